"""The reports recover what the synthetic world plants: a world written by `vrn synth`,
loaded through the ingest pipeline as the demo loads it, then reported on exactly as the
pages and `vrn interventions report` do (`reports.build_report`)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from vrn.demo.setup import create_demo_programmes
from vrn.interventions import reports

from ..synth.test_command import load_reference, synth

pytestmark = pytest.mark.django_db

#: Only what the reports read: the ED attendances (re-attendance) and the journeys.
FILES = (
    ("istv", "istv.csv"),
    ("intervention-participants", "intervention-participants.csv"),
    ("intervention-contacts", "intervention-contacts.csv"),
    ("intervention-reviews", "intervention-reviews.csv"),
    ("intervention-outcomes", "intervention-outcomes.csv"),
)


@pytest.fixture
def planted(tmp_path: Path) -> dict[str, Any]:
    load_reference()
    synth("--mode", "pure", "--seed", "7", "--crimes", "60000", "--out", str(tmp_path))
    create_demo_programmes()
    for format_name, name in FILES:
        out = io.StringIO()
        call_command("ingest", format_name, str(tmp_path / name), "--json", stdout=out)
        [result] = json.loads(out.getvalue())
        assert (result["status"], result["rows_quarantined"]) == ("loaded", 0), result
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    found: dict[str, Any] = truth["interventions"]["value"]
    return found


def test_distance_travelled_and_reattendance_are_recovered(planted: dict[str, Any]) -> None:
    for code, programme in planted["programmes"].items():
        report = reports.build_report(reports.Selection(programme=code))
        overall = report.distance[report.distance["level"] == "scale"].set_index("scale")
        for scale_id, values in programme["distance_travelled"].items():
            row = overall.loc[scale_id]
            assert row["n"] >= 50, (code, scale_id)
            assert row["change_lowercl"] <= values["expected_change"] <= row["change_uppercl"], (
                code,
                scale_id,
                row["mean_change"],
            )
            assert row["change_lowercl"] > 0, (code, scale_id)  # an improvement
    vip = planted["programmes"]["VIP"]["ed_reattendance_12m"]
    report = reports.build_report(reports.Selection(programme="VIP"))
    [comparison] = [c for c in report.comparisons if c.events.startswith("ED")]
    result = comparison.result
    difference = vip["started"] - vip["not_referred"]
    assert result.treated_matched >= 100
    # The world's repeat victims known to police add under a point to every rate.
    assert result.treated_lowercl <= vip["started"] + 0.01
    assert vip["started"] <= result.treated_uppercl
    assert result.comparison_lowercl <= vip["not_referred"] + 0.01
    assert vip["not_referred"] <= result.comparison_uppercl
    assert result.difference_lowercl <= difference <= result.difference_uppercl
