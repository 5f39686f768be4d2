"""`vrn measures` on hand-made files loaded through the ingesters: known counts, rates from
the loaded population, the recorded definitions, and the issue's acceptance test: an
edited definition in a folder changes the figures and the recorded reference, with no
code change."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from vrn.definitions import load_definitions
from vrn.geography.queries import population_by_local_authority

from .conftest import EXPECTED

pytestmark = pytest.mark.django_db

LEICESTER = "E06000016"
BLABY = "E07000129"
OUTSIDE = "E06000061"  # North Northamptonshire


def measures(*args: str) -> str:
    stdout = io.StringIO()
    call_command("measures", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def measures_json(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(measures("--json", *args))
    return data


def counts(data: dict[str, Any]) -> dict[str, int]:
    return {measure["id"]: measure["count"] for measure in data["measures"]}


def measure(data: dict[str, Any], measure_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in data["measures"] if m["id"] == measure_id)
    return found


def test_known_counts_from_loaded_files(loaded: None) -> None:
    data = measures_json()
    assert counts(data) == EXPECTED
    assert data["period"] == {"first": "2024-01", "last": "2024-03", "months": 3}
    assert data["synthetic"] is False
    assert data["notes"] == []
    sv = measure(data, "serious_violence")
    by_area = {row["area_code"]: row["count"] for row in sv["by_area"]}
    assert by_area == {LEICESTER: 2, BLABY: 1, OUTSIDE: 1, None: 1}
    assert [row["count"] for row in sv["by_month"]] == [1, 2, 2]
    share = {row["base"]: row for row in data["public_place_share"]["rows"]}
    # By suspects under 25: K1 (17, public), K4 (21, public), K2 (23, domestic, private).
    assert (share["definition"]["public"], share["definition"]["offences"]) == (2, 2)
    assert (share["groupings"]["public"], share["groupings"]["offences"]) == (2, 3)


def test_rates_use_the_loaded_population(loaded: None) -> None:
    residents = population_by_local_authority()
    data = measures_json()
    sv = measure(data, "serious_violence")
    network = residents[LEICESTER] + residents[BLABY]
    assert sv["count_in_areas"] == 3  # the unplaced K4 and K7 outside the network are not
    assert sv["population"] == network
    assert sv["rate"] == pytest.approx(3 / (network * 3 / 12) * 100_000)
    leicester = next(row for row in sv["by_area"] if row["area_code"] == LEICESTER)
    assert leicester["rate"] == pytest.approx(2 / (residents[LEICESTER] / 4) * 100_000)
    outside = next(row for row in sv["by_area"] if row["area_code"] == OUTSIDE)
    assert outside["population"] is None and outside["rate"] is None


def test_every_result_names_its_definitions(loaded: None) -> None:
    shipped = load_definitions()
    data = measures_json()
    assert [ref["id"] for ref in data["definitions"]] == [
        shipped.refs[name].short_id
        for name in (
            "offence-codes",
            "serious-violence",
            "hospital",
            "success-measures",
            "age-bands",
        )
    ]
    for measure_id in shipped.success_measures.ids:
        assert measure(data, measure_id)["definitions"] == [
            ref.short_id for ref in shipped.measure_references(measure_id)
        ]
    assert data["definitions_overridden"] == []


def test_the_readable_report(loaded: None) -> None:
    text = measures("--from", "2024-01", "--to", "2024-03")
    assert "Success measures and serious violence, LLR, 2024-01 to 2024-03 (3 months)" in text
    assert "SYNTHETIC" not in text
    assert (
        "Knife-enabled serious violence, victims under 25 [knife_enabled_serious_violence_u25]"
        in (text)
    )
    assert "Serious violence [serious_violence]" in text
    assert "serious-violence@1#" in text
    assert "Leicester (E06000016)" in text and "not known" in text
    assert "per 100,000 residents aged 0-24 a year" in text
    assert "Share of serious violence by under-25s in a public place" in text


def test_an_edited_definition_changes_the_figures_and_the_reference(
    loaded: None, tmp_path: Path
) -> None:
    """The issue's acceptance test, through the command: copy the shipped file with the
    package's export command, drop robbery from serious violence, bump the version."""
    folder = tmp_path / "my-definitions"
    subprocess.run(
        [sys.executable, "-m", "vrn.definitions", "export", str(folder), "serious-violence"],
        check=True,
        capture_output=True,
    )
    path = folder / "serious-violence.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[grouping]]\nid = "robbery"')
    end = text.index("[[excluded]]")
    edited = text[:start] + text[end:]
    path.write_text(edited.replace("version = 1", "version = 2", 1), encoding="utf-8")

    before = measures_json()
    after = measures_json("--definitions", str(folder))
    assert counts(before)["serious_violence"] == 5
    assert counts(after)["serious_violence"] == 3  # the robberies K1 and K5 are gone
    assert counts(after)["serious_violence_u25"] == 2  # K1 was a robbery
    assert counts(after)["knife_enabled_serious_violence"] == 4  # not this definition's
    old = {ref["name"]: ref for ref in before["definitions"]}["serious-violence"]
    new = {ref["name"]: ref for ref in after["definitions"]}["serious-violence"]
    assert old["version"] == "1" and new["version"] == "2"
    assert new["sha256"] != old["sha256"]
    assert measure(after, "serious_violence")["definitions"][0] == new["id"]
    assert after["public_place_share"]["definitions"][0] == new["id"]
    assert after["definitions_overridden"] == ["serious-violence"]
    # The other definitions are the shipped ones, recorded unchanged.
    assert [ref for ref in after["definitions"] if ref["name"] != "serious-violence"] == [
        ref for ref in before["definitions"] if ref["name"] != "serious-violence"
    ]

    # VRN_DEFINITIONS_DIR (settings) does the same without the option.
    with override_settings(VRN_DEFINITIONS_DIR=folder):
        assert counts(measures_json())["serious_violence"] == 3


def test_a_period(loaded: None) -> None:
    data = measures_json("--from", "2024-02")
    assert data["period"] == {"first": "2024-02", "last": "2024-03", "months": 2}
    assert counts(data)["serious_violence"] == 4  # K1 was in January
    wide = measures_json("--from", "2023-11", "--to", "2024-06")
    assert wide["period"]["months"] == 8
    assert any("police data cover only 2024-01 to 2024-03" in note for note in wide["notes"])
    assert [row["count"] for row in measure(wide, "serious_violence")["by_month"]] == [
        0,
        0,
        1,
        2,
        2,
        0,
        0,
        0,
    ]


def test_synthetic_rows_are_flagged(loaded: None) -> None:
    from vrn.police.models import Crime

    Crime.objects.filter(crime_reference="K6").update(synthetic=True)
    # K6 (other theft) counts in no measure and is not even read.
    assert measures_json()["synthetic"] is False
    Crime.objects.filter(crime_reference="K1").update(synthetic=True)
    assert measures_json()["synthetic"] is True
    assert "SYNTHETIC DATA" in measures()


def test_no_data(reference: None) -> None:
    assert "no data loaded" in measures()
    data = measures_json()
    assert data["period"] is None and data["definitions"]
    assert set(counts(data).values()) == {0}


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="YYYY-MM"):
        measures("--from", "2024-13")
    with pytest.raises(CommandError, match="before"):
        measures("--from", "2024-03", "--to", "2024-01")
    (tmp_path / "serious-violence.toml").write_text('name = "serious-violence"\n')
    with pytest.raises(CommandError, match="the definitions do not load"):
        measures("--definitions", str(tmp_path))
