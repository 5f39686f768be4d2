"""The vendored GOV.UK Frontend: complete, served locally, and every asset it names exists."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

CSS = "govuk-frontend/govuk-frontend.min.css"
JS = "govuk-frontend/govuk-frontend.min.js"


def read(path: str) -> str:
    found = finders.find(path)
    assert found, f"{path} is not in any static directory"
    with open(found, encoding="utf-8") as file:
        return file.read()


def test_every_url_in_the_stylesheet_resolves_to_a_vendored_file() -> None:
    urls = set(re.findall(r"url\(([^)]+)\)", read(CSS)))
    assert urls, "expected the fonts and the crest"
    for url in urls:
        assert not url.startswith(("/", "http")), f"{url} would not resolve under STATIC_URL"
        assert finders.find(f"govuk-frontend/{url}"), f"{url} is missing"


def test_stylesheet_and_script_are_govuk_frontend_5_without_source_maps() -> None:
    script = read(JS)
    assert re.match(r'const version="5\.\d+\.\d+"', script)
    assert "initAll" in script and "export{" in script
    assert "sourceMappingURL" not in script
    assert "sourceMappingURL" not in read(CSS)


def test_licence_is_vendored_with_the_files() -> None:
    licence = read("govuk-frontend/LICENSE.txt")
    assert "The MIT License" in licence
    assert "Crown Copyright (Government Digital Service)" in licence


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (CSS, "text/css"),
        (JS, "text/javascript"),
        ("govuk-frontend/assets/fonts/bold-b542beb274-v2.woff2", "font/woff2"),
        ("govuk-frontend/assets/manifest.json", "application/json"),
        ("web/vrn.css", "text/css"),
    ],
)
def test_the_app_serves_the_assets_itself(client: Client, path: str, content_type: str) -> None:
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
