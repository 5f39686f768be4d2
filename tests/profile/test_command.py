"""`vrn profile` end to end on a small synthetic world: the three files, the area and
period options, comparisons and the errors a user can make."""

from __future__ import annotations

import io
import json
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vrn.analytics.findings import hotspots
from vrn.crime.police_uk import PoliceUkStreet
from vrn.demo.setup import SYNTHETIC_FORMATS
from vrn.ingest import registry
from vrn.ingest.pipeline import LoadContext, load_files
from vrn.profile.management.commands.profile import Command

from ..crime.conftest import police_reference, street_files
from ..synth.test_command import _population_and_deprivation, load_reference, synth

__all__ = ["police_reference", "street_files"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """The fixture geography and a pure synthetic world of 3,000 crimes, loaded."""
    load_reference()
    folder = tmp_path / "world"
    synth("--mode", "pure", "--seed", "11", "--crimes", "3000", "--out", str(folder))
    context = LoadContext(loaded_by="tester", today=date(2026, 12, 7))
    for format_name in dict.fromkeys(SYNTHETIC_FORMATS.values()):
        paths = [folder / name for name, f in SYNTHETIC_FORMATS.items() if f == format_name]
        results = load_files(registry.dataset_for(format_name), paths, context)
        assert {result.status for result in results} == {"loaded"}
    return folder


def profile(*args: str) -> str:
    stdout = io.StringIO()
    call_command(Command(), *args, "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def test_writes_json_html_and_pdf_for_the_network(world: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = profile(
        "--area", "network", "--from", "2023-01", "--to", "2024-12", "--out", str(out)
    )
    assert "findings computed" in summary and "(synthetic data)" in summary
    data = json.loads((out / "profile.json").read_text())
    assert data["period"] == {"first": "2023-01", "last": "2024-12", "months": 24}
    assert data["synthetic"] is True
    finding = data["findings"]["u25_vs_25plus_rate_ratio"]
    for field in ("value", "lower", "upper", "unit", "definition", "period", "area", "sentence"):
        assert finding[field] not in (None, ""), field
    assert finding["lower"] <= finding["value"] <= finding["upper"]
    assert set(data) >= {"findings", "not_computed", "sources", "definitions"}
    html = (out / "profile.html").read_text()
    assert finding["sentence"].split(":")[0] in html
    assert "Synthetic data" in html or "SYNTHETIC" in html
    assert (out / "profile.pdf").read_bytes().startswith(b"%PDF")
    assert not list(out.glob("*.partial"))


def test_every_published_count_is_disclosure_controlled(world: Path, tmp_path: Path) -> None:
    profile("--out", str(tmp_path / "out"), "--no-pdf")
    data = json.loads((tmp_path / "out" / "profile.json").read_text())
    checked = 0
    for finding in data["findings"].values():
        counts: list[Any] = [finding["numerator"], finding["denominator"]]
        counts += [row[column] for row in finding["data"] for column in finding["counts"]]
        for count in counts:
            if isinstance(count, str):
                checked += 1
                assert count == "*" or (int(count) % 5 == 0), (finding["id"], count)
            else:
                assert count is None or not float(count).is_integer(), (finding["id"], count)
    assert checked > 100


def test_a_csp_compared_with_the_network(world: Path, tmp_path: Path) -> None:
    summary = profile("--area", "Leicester", "--compare-to", "network", "--out", str(tmp_path))
    assert summary.startswith("Leicester,")
    data = json.loads((tmp_path / "profile.json").read_text())
    assert data["area"]["name"] == "Leicester"
    assert data["compare_to"]["area"] == "Leicester, Leicestershire and Rutland"
    compared = [f for f in data["findings"].values() if f["comparison"]]
    assert compared
    assert all(c["comparison"]["significance"] is not None for c in compared if c["lower"])


def test_police_uk_only_lists_what_it_cannot_compute(
    police_reference: dict[str, object], street_files: Path, tmp_path: Path
) -> None:
    _population_and_deprivation()
    context = LoadContext(loaded_by="tester", today=date(2026, 12, 7))
    files = sorted(street_files.glob("*.csv"))
    assert {r.status for r in load_files(PoliceUkStreet(), files, context)} == {"loaded"}
    summary = profile("--out", str(tmp_path), "--no-pdf")
    data = json.loads((tmp_path / "profile.json").read_text())
    assert "u25_vs_25plus_rate_ratio" in data["not_computed"]
    assert "force's crime extract" in data["not_computed"]["u25_vs_25plus_rate_ratio"]
    assert "rates_by_local_authority" in data["findings"]
    assert "not computed" in summary
    # The hotspot findings read police.uk's points (too few in the area here).
    assert (
        'data.police.uk "Violence and sexual offences"'
        in (data["not_computed"]["violence_concentration"])
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "Atlantis"], "no area 'Atlantis'"),
        (["--from", "2024-13", "--to", "2024-12"], "expected a month as YYYY-MM"),
        (["--from", "2024-01"], "give both --from and --to"),
        (["--from", "2024-05", "--to", "2024-01"], "is before --from"),
        (["--area", "Leicester", "--compare-to", "Leicester"], "is the area itself"),
    ],
)
def test_user_errors_are_clear(world: Path, tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        profile(*args, "--out", str(tmp_path / "out"), "--no-pdf")
    assert not (tmp_path / "out" / "profile.json").exists()


def test_writes_the_hotspot_topic(world: Path, tmp_path: Path) -> None:
    """The synthetic world's crimes and assaults have points: all four findings."""
    profile("--out", str(tmp_path), "--no-pdf")
    data = json.loads((tmp_path / "profile.json").read_text())
    assert ["hotspots", "Hotspots and injury surveillance"] in data["topics"]
    found = {key: f for key, f in data["findings"].items() if f["topic"] == "hotspots"}
    assert set(found) == set(hotspots.FINDINGS)
    for key in ("violence_concentration", "ed_assaults_unknown_to_police_cardiff"):
        assert 0 < found[key]["value"] < 1, key
    assert found["violence_hotspots"]["value"] > 0
    assert found["hotspot_forecast_pai"]["value"] > 1
    assert any("hotspot grid" in source["dataset"] for source in data["sources"])
    html = unescape((tmp_path / "profile.html").read_text())
    assert "Hotspots and injury surveillance" in html
    for finding in found.values():
        assert finding["sentence"] and finding["definition"] and finding["method"]
        assert finding["data"] and finding["counts"]
        assert finding["sentence"].split(":")[0] in html
