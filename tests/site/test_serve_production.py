"""`vrn serve --production` for real: gunicorn in a subprocess, fetched over HTTP.

The site is reached as if through a TLS reverse proxy (``X-Forwarded-Proto: https``), so
the production protections all apply: HSTS, secure cookies, the HTTPS redirect.
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.site.production import VRN, environment, vrn

PASSWORD = "a-long-test-password-42"
HTTPS = {"X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Site:
    port: int
    cookies: SimpleCookie

    def request(
        self, method: str, path: str, body: str | None = None, **headers: str
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **HTTPS, **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.read_body = response.read()  # type: ignore[attr-defined]
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response

    def get(self, path: str, **headers: str) -> http.client.HTTPResponse:
        return self.request("GET", path, **headers)


def _body(response: http.client.HTTPResponse) -> str:
    return response.read_body.decode()  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("production-data")
    env = environment(data_dir, VRN_WEB_WORKERS="2", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    port = _free_port()
    log = (data_dir / "serve.log").open("w")
    server = subprocess.Popen(
        [*VRN, "serve", "--production", "--migrate", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        site = Site(port, SimpleCookie())
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"vrn serve --production stopped:\n{_log(data_dir)}")
            try:
                if site.get("/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"vrn serve --production did not answer:\n{_log(data_dir)}")
            time.sleep(0.5)
        made = vrn(
            "createsuperuser",
            "--noinput",
            "--username",
            "admin",
            "--email",
            "a@example.org",
            env=env,
        )
        assert made.returncode == 0, made.stderr
        yield site
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _log(data_dir: Path) -> str:
    return (data_dir / "serve.log").read_text()


def _assert_security_headers(response: http.client.HTTPResponse) -> None:
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_a_page_and_its_static_files_are_served(site: Site) -> None:
    response = site.get("/")
    assert response.status == 200
    _assert_security_headers(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    html = _body(response)
    assert '<h1 class="govuk-heading-xl">VRN Platform</h1>' in html
    # Static files under their hashed, collected names; served by the application.
    stylesheet = re.search(r'href="(/static/govuk-frontend/govuk-frontend\.min\.\w+\.css)"', html)
    script = re.search(r'src="(/static/web/init\.\w+\.js)"', html)
    assert stylesheet and script, html
    for path, content_type in [(stylesheet[1], "text/css"), (script[1], "text/javascript")]:
        static = site.get(path)
        assert static.status == 200
        assert static.headers["Content-Type"].startswith(content_type)
        assert "immutable" in static.headers["Cache-Control"]
        _assert_security_headers(static)
    # The module the init script imports, under its own name.
    assert site.get("/static/govuk-frontend/govuk-frontend.min.js").status == 200


def test_plain_http_is_redirected_to_https(site: Site) -> None:
    response = site.get("/", **{"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{site.port}/"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Content-Security-Policy" in response.headers


def test_signed_in_pages_and_downloads_are_never_stored(site: Site) -> None:
    site.cookies.clear()
    site.get("/sign-in/")
    token = site.cookies["csrftoken"].value
    origin = f"https://127.0.0.1:{site.port}"
    form = urlencode({"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token})
    signed_in = site.request("POST", "/sign-in/", body=form, Origin=origin)
    assert signed_in.status == 302, _body(signed_in)
    assert site.cookies["sessionid"]["secure"]

    page = site.get("/")
    assert page.status == 200
    assert "Signed in as admin" in _body(page)
    assert "no-store" in page.headers["Cache-Control"]
    _assert_security_headers(page)

    download = site.get("/dashboard/street/records-by-type.csv")
    assert download.status == 200, _body(download)
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in download.headers["Cache-Control"]
    site.cookies.clear()
