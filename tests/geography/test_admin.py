"""The read-only admin views of the reference tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from vrn.geography.loaders import load_reference

pytestmark = pytest.mark.django_db

MODELS = ["area", "lsoachange", "deprivation", "population", "boundary", "referenceload"]


@pytest.mark.parametrize("model", MODELS)
def test_lists_with_search(admin_client: Client, reference_dir: Path, model: str) -> None:
    load_reference(reference_dir)

    response = admin_client.get(f"/admin/geography/{model}/", {"q": "E01034013"})

    assert response.status_code == 200


def test_search_finds_by_name(admin_client: Client, reference_dir: Path) -> None:
    load_reference(reference_dir)

    response = admin_client.get("/admin/geography/area/", {"q": "Westcotes"})

    assert b"E05010476" in response.content


@pytest.mark.parametrize("model", MODELS)
def test_cannot_add(admin_client: Client, model: str) -> None:
    assert admin_client.get(f"/admin/geography/{model}/add/").status_code == 403


def test_detail_is_read_only(admin_client: Client, reference_dir: Path) -> None:
    load_reference(reference_dir)

    response = admin_client.get("/admin/geography/area/E01034013/change/")

    assert response.status_code == 200
    assert b'name="_save"' not in response.content
