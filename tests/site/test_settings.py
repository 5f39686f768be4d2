"""Settings come from the environment; production refuses to start without a real key."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.site.production import TEST_SECRET_KEY
from vrn.geography.network import LLR, network_from_environment

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'debug': settings.DEBUG,"
    " 'network': list(settings.VRN_NETWORK.local_authority_codes)}))"
)


def _settings(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRN_", "DATABASE_URL"))}
    env.pop("SECRET_KEY", None)
    env.update(DJANGO_SETTINGS_MODULE="vrn.site.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings(VRN_ENV="production")
    assert result.returncode != 0
    assert "VRN_ENV=production needs a real SECRET_KEY" in result.stderr


def test_production_refuses_a_short_key() -> None:
    result = _settings(VRN_ENV="production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_starts_with_a_real_key(tmp_path: object) -> None:
    result = _settings(VRN_ENV="production", SECRET_KEY=TEST_SECRET_KEY, VRN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_default_database_is_sqlite_under_the_data_directory(tmp_path: object) -> None:
    result = _settings(VRN_DATA_DIR=str(tmp_path))
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == f"{tmp_path}/vrn.sqlite3"


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("sqlite:////tmp/other.sqlite3", "django.db.backends.sqlite3", "/tmp/other.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/vrn", "django.db.backends.postgresql", "vrn"),
    ],
)
def test_database_url_selects_any_database(url: str, engine: str, name: str) -> None:
    values = json.loads(_settings(DATABASE_URL=url).stdout)
    assert (values["engine"], values["name"]) == (engine, name)


def test_network_defaults_to_llr_and_is_configurable() -> None:
    assert json.loads(_settings().stdout)["network"] == list(LLR.local_authority_codes)
    other = _settings(VRN_NETWORK_LOCAL_AUTHORITIES="E08000025, e08000026")
    assert json.loads(other.stdout)["network"] == ["E08000025", "E08000026"]


def test_network_codes_are_checked() -> None:
    with pytest.raises(ValueError, match="not: NOTACODE"):
        network_from_environment({"VRN_NETWORK_LOCAL_AUTHORITIES": "E08000025,NOTACODE"})


def test_counties_are_configurable_and_checked() -> None:
    assert LLR.counties["Leicestershire"] == tuple(f"E07000{n}" for n in range(129, 136))
    codes = "E07000129,E07000130,E06000016"
    network = network_from_environment(
        {
            "VRN_NETWORK_LOCAL_AUTHORITIES": codes,
            "VRN_NETWORK_COUNTIES": "Leicestershire=E07000129 E07000130; Other=e06000016",
        }
    )
    assert network.counties == {
        "Leicestershire": ("E07000129", "E07000130"),
        "Other": ("E06000016",),
    }
    assert network_from_environment({"VRN_NETWORK_LOCAL_AUTHORITIES": codes}).counties == {}
    with pytest.raises(ValueError, match="not among VRN_NETWORK_LOCAL_AUTHORITIES"):
        network_from_environment(
            {"VRN_NETWORK_LOCAL_AUTHORITIES": codes, "VRN_NETWORK_COUNTIES": "X=E07000131"}
        )
    with pytest.raises(ValueError, match="is not like"):
        network_from_environment(
            {"VRN_NETWORK_LOCAL_AUTHORITIES": codes, "VRN_NETWORK_COUNTIES": "E07000129"}
        )


def test_a_tile_server_is_allowed_by_the_content_security_policy() -> None:
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRN_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="vrn.site.settings",
        VRN_MAP_TILES="https://tiles.example.org/{z}/{x}/{y}.png",
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "https://tiles.example.org" in run.stdout
    assert _settings(VRN_MAP_TILES="http://tiles.example.org/{z}/{x}/{y}.png").returncode != 0
    assert _settings(VRN_MAP_TILES="https://tiles.example.org/tile.png").returncode != 0
