"""Headers on every response: a strict Content-Security-Policy that the pages keep to (no
inline scripts, styles or event handlers, the admin's included), a Permissions-Policy, and
no caching of anything a signed-in user sees or downloads."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

import vrn
from vrn.accounts.models import User
from vrn.audit.events import record
from vrn.web.downloads import csv_response
from vrn.web.middleware import SecurityHeadersMiddleware

SOURCE = Path(vrn.__file__).resolve().parent


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: inline scripts, styles, style attributes and
    event-handler attributes, and ``javascript:`` links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.found.append("<style>")
        # JSON data blocks are never run, so a policy need not allow them.
        data = (names.get("type") or "") in {"application/json", "application/ld+json"}
        if tag == "script" and "src" not in names and not data:
            self._in = "script"

    def handle_data(self, data: str) -> None:
        if self._in == "script" and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_strict_policy(response: HttpResponse) -> None:
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions
    assert "interest-cohort=()" in permissions


def test_the_finder_finds_what_the_policy_refuses() -> None:
    html = (
        "<script>run()</script><script type='module'>import x</script><style>a{}</style>"
        "<div style='a' onclick='b'></div><a href='javascript:run()'>x</a>"
        "<script src='/static/a.js'></script><script type='application/json'>{}</script>"
    )
    assert inline_code(html) == [
        "<script>run()",
        "<script>import x",
        "<style>",
        "<div style=...>",
        "<div onclick=...>",
        "<a href=javascript:...>",
    ]


def test_no_template_of_the_project_has_inline_code() -> None:
    templates = sorted(SOURCE.glob("*/templates/**/*.html"))
    assert len(templates) > 5
    for template in templates:
        text = template.read_text(encoding="utf-8")
        # Template tags would confuse the HTML parser only inside attributes; strip them.
        html = re.sub(r"{%.*?%}|{{.*?}}", "x", text, flags=re.S)
        assert inline_code(html) == [], template.relative_to(SOURCE)


ANONYMOUS_PAGES = [
    reverse("web:home"),
    reverse("web:sign-in"),
    reverse("web:synthetic-data"),
    reverse("admin:login"),
    "/no-such-page/",
]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_pages_for_visitors_have_the_headers_and_may_be_cached(
    client: Client, db: None, url: str
) -> None:
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert_strict_policy(response)
    if "login" not in url and "sign-in" not in url:  # Django never caches sign-in forms
        assert "no-store" not in response.get("Cache-Control", "")
    assert inline_code(response.content.decode()) == []


@pytest.fixture
def administrator(client: Client, db: None) -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-42")
    client.force_login(user)
    record("sign-in.failed", actor="someone", address="127.0.0.1", target="/sign-in/")
    return client


def signed_in_pages() -> list[str]:
    return [
        reverse("web:home"),
        reverse("web:synthetic-data"),
        reverse("dashboard:street"),
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        "admin:accounts_user_change",  # of the signed-in user
        reverse("admin:audit_auditevent_changelist"),
        reverse("admin:ingest_fileload_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:password_change"),
        "/no-such-page/",
    ]


@pytest.mark.parametrize("url", signed_in_pages())
def test_pages_for_signed_in_users_have_the_headers_and_are_never_stored(
    administrator: Client, url: str
) -> None:
    if url == "admin:accounts_user_change":
        url = reverse(url, args=[User.objects.get(username="root").pk])
    response = administrator.get(url)
    assert response.status_code in {200, 404}, url
    assert_strict_policy(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert inline_code(response.content.decode()) == [], url


def test_static_files_have_the_headers(client: Client) -> None:
    response = client.get("/static/web/init.js")
    assert response.status_code == 200
    assert_strict_policy(response)


def test_the_frontend_scripts_are_files(client: Client, db: None) -> None:
    html = client.get(reverse("web:home")).content.decode()
    assert '<script src="/static/web/js-enabled.js"></script>' in html
    assert '<script type="module" src="/static/web/init.js"></script>' in html
    init = client.get("/static/web/init.js")
    text = b"".join(init.streaming_content).decode()  # type: ignore[attr-defined]
    assert 'import { initAll } from "../govuk-frontend/govuk-frontend.min.js";' in text


def _through_middleware(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    return SecurityHeadersMiddleware(lambda _: response)(request)  # type: ignore[return-value]


def test_every_download_is_never_stored_even_for_a_visitor() -> None:
    request = RequestFactory().get("/file.csv")
    request.user = AnonymousUser()
    response = _through_middleware(csv_response([["a"], [1]], "file.csv", synthetic=False), request)
    assert "no-store" in response["Cache-Control"]
    plain = _through_middleware(HttpResponse("page"), request)
    assert "Cache-Control" not in plain
    assert "camera=()" in plain["Permissions-Policy"]


def test_a_response_before_authentication_is_not_marked() -> None:
    request = RequestFactory().get("/")  # no request.user: e.g. a static file or a redirect
    response = _through_middleware(HttpResponse("x"), request)
    assert "Cache-Control" not in response
    assert "Permissions-Policy" in response
