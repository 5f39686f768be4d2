"""Production mode: known environments only, a strong SECRET_KEY, a clean `check --deploy`,
and a site that will not start without its static files."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from tests.site.production import environment, vrn
from vrn.site.settings import weak_secret_key

PRINT = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'environment': s.ENVIRONMENT, 'debug': s.DEBUG, "
    "'hsts': [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD], "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'silenced': s.SILENCED_SYSTEM_CHECKS, "
    "'failure_limit': s.AXES_FAILURE_LIMIT, 'cool_off': s.AXES_COOLOFF_TIME.total_seconds(), "
    "'proxies': s.VRN_PROXY_COUNT, 'workers': s.VRN_WEB_WORKERS}))"
)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def _settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return _python(PRINT, environment(tmp_path, **variables))


@pytest.mark.parametrize("value", ["prod", "Staging", "dev", "test", "production "])
def test_an_unknown_environment_is_refused(tmp_path: Path, value: str) -> None:
    result = _settings(tmp_path, VRN_ENV=value)
    if value.strip() == "production":  # surrounding space is forgiven
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode != 0
    assert f"VRN_ENV={value!r} is not a known environment" in result.stderr
    assert "one of development, production" in result.stderr


@pytest.mark.parametrize(
    ("value", "environment_name"), [("PRODUCTION", "production"), ("Development", "development")]
)
def test_environment_names_are_read_in_any_case(
    tmp_path: Path, value: str, environment_name: str
) -> None:
    result = _settings(tmp_path, VRN_ENV=value)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["environment"] == environment_name
    assert values["debug"] is (environment_name == "development")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("k" * 64, "fewer than 12 different characters"),
        ("ab" * 40, "fewer than 12 different characters"),
        ("0123456789abcdef" * 4, "repeats a short pattern"),
        ("vrn-development-only-key-never-use-in-production", "development key"),
        ("django-insecure-" + get_random_secret_key(), "development key"),
        (secrets.token_urlsafe(30), "fewer than 50 characters"),
    ],
)
def test_weak_secret_keys_are_named(key: str, reason: str) -> None:
    assert reason in (weak_secret_key(key) or "")


def test_random_keys_made_the_usual_ways_are_strong_enough() -> None:
    for _ in range(200):
        assert weak_secret_key(get_random_secret_key()) is None
        assert weak_secret_key(secrets.token_urlsafe(50)) is None
        assert weak_secret_key(secrets.token_hex(32)) is None  # 64 characters, 16 different


def test_production_refuses_a_key_of_one_repeated_character(tmp_path: Path) -> None:
    result = _settings(tmp_path, SECRET_KEY="x" * 80)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY (it has fewer than 12 different characters)" in result.stderr


def test_production_security_settings(tmp_path: Path) -> None:
    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["hsts"] == [31536000, True, True]
    assert values["ssl_redirect"] is True
    assert values["silenced"] == []
    # Sign-in throttling defaults; one worker per core and a half, within limits.
    assert (values["failure_limit"], values["cool_off"]) == (10, 15 * 60)
    assert values["proxies"] == 0
    assert 1 <= values["workers"] <= 8


def test_throttling_proxies_and_workers_come_from_the_environment(tmp_path: Path) -> None:
    result = _settings(
        tmp_path,
        VRN_SIGN_IN_FAILURE_LIMIT="5",
        VRN_SIGN_IN_COOLOFF_MINUTES="60",
        VRN_PROXY_COUNT="1",
        VRN_WEB_WORKERS="3",
    )
    values = json.loads(result.stdout)
    assert (values["failure_limit"], values["cool_off"], values["proxies"]) == (5, 3600, 1)
    assert values["workers"] == 3
    bad = _settings(tmp_path, VRN_SIGN_IN_FAILURE_LIMIT="none")
    assert bad.returncode != 0
    assert "VRN_SIGN_IN_FAILURE_LIMIT must be a whole number of at least 1" in bad.stderr


def test_deliberately_turned_off_protections_are_not_reported(tmp_path: Path) -> None:
    result = _settings(tmp_path, VRN_SECURE_SSL_REDIRECT="off", VRN_HSTS_PRELOAD="off")
    values = json.loads(result.stdout)
    assert values["ssl_redirect"] is False
    assert values["hsts"] == [31536000, True, False]
    assert values["silenced"] == ["security.W008", "security.W021"]


def test_check_deploy_finds_nothing_in_production(tmp_path: Path) -> None:
    result = vrn(
        "check", "--deploy", "--fail-level", "WARNING", env=environment(tmp_path), timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output and "ERRORS" not in output


def test_the_wsgi_application_refuses_to_start_without_collected_static_files(
    tmp_path: Path,
) -> None:
    result = _python("import vrn.site.wsgi", environment(tmp_path))
    assert result.returncode != 0
    assert "The static files have not been collected: staticfiles.json is missing" in result.stderr
    assert "vrn serve --production" in result.stderr


def test_serve_production_needs_production_settings(tmp_path: Path) -> None:
    result = vrn("serve", "--production", env=environment(tmp_path, VRN_ENV="development"))
    assert result.returncode != 0
    assert "vrn serve --production needs VRN_ENV=production" in result.stderr


def test_serve_production_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = vrn("serve", "--production", "127.0.0.1:1", env=environment(tmp_path))
    assert result.returncode != 0
    assert "migration(s)" in result.stderr
    assert "run `vrn migrate` first, or start with `vrn serve --production --migrate`" in (
        result.stderr
    )
