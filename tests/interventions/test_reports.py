"""Reports from recorded journeys: the figures are the analytics' on the stored records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vrn.analytics.stats import HesRule
from vrn.dashboard.published import Audience
from vrn.interventions import entry, published, reference, reports
from vrn.interventions.models import Participant

from .conftest import Provider

pytestmark = pytest.mark.django_db


def _journeys(provider: Provider, count: int, started: int, completed: int) -> list[Participant]:
    who = entry.actor_for(provider.caseworker)
    scale = reference.scales().scales[0]
    area = scale.areas[0].id
    made = []
    for number in range(count):
        participant = entry.new_participant(
            who,
            {
                "programme": provider.programme,
                "case_reference": f"C-{number}",
                "referral_date": dt.date(2024, 1, 10),
                "referral_source": "school",
                "consent_status": "given",
                "lawful_basis": "consent",
                "person_id": f"C-{number}",
                "age_at_referral": 15,
                "sex": "M",
                "priority_groups": ["males_under_25"] if number % 2 else [],
            },
        )
        if number < started:
            entry.update_progress(who, participant, {"start_date": dt.date(2024, 1, 20)})
            for day, score in ((dt.date(2024, 2, 1), 3), (dt.date(2024, 5, 1), 3 + number % 3)):
                entry.new_review(
                    who, participant, review_date=day, scale=scale.id, scores={area: score}
                )
        if number < completed:
            entry.update_progress(
                who, participant, {"exit_date": dt.date(2024, 6, 1), "exit_reason": "completed"}
            )
            entry.new_outcome(
                who,
                participant,
                kind="entered_education",
                outcome_date=dt.date(2024, 6, 1),
                evidence="document_seen",
            )
        made.append(participant)
    return made


def test_a_programme_report(provider_a: Provider, provider_b: Provider) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    _journeys(provider_b, count=4, started=4, completed=4)
    report = reports.build_report(reports.Selection(programme="VIP"))
    row = report.journey_total.iloc[0]
    assert (row["referred"], row["started"], row["exited"], row["completed"]) == (10, 7, 3, 3)
    assert row["conversion"] == pytest.approx(0.7)
    scale = reference.scales().scales[0].id
    overall = report.distance[
        (report.distance["scale"] == scale) & (report.distance["level"] == "scale")
    ].iloc[0]
    # Changes 0, +1, +2, 0, +1, +2, 0 (scores 3 then 3 + number % 3).
    assert overall["n"] == 7
    assert overall["mean_change"] == pytest.approx(6 / 7)
    education = report.outcomes[report.outcomes["kind"] == "entered_education"].iloc[0]
    assert (education["with_outcome"], education["participants"]) == (3, 7)
    cost = report.costs[report.costs["kind"] == "entered_education"].iloc[0]
    assert cost["cost_per_started"] == pytest.approx(100_000 / 7)
    network = reports.build_report(reports.Selection())
    assert network.journey_total.iloc[0]["referred"] == 14
    assert set(network.journey["programme"]) == {"VIP", "UP"}


def test_an_unknown_programme_is_refused(provider_a: Provider) -> None:
    with pytest.raises(reports.ReportError, match="NOPE"):
        reports.build_report(reports.Selection(programme="NOPE"))


def test_the_command_prints_the_report_and_its_json(provider_a: Provider, tmp_path: Path) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    out = io.StringIO()
    call_command("interventions", "report", "--programme", "VIP", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["journey_total"][0]["referred"] == 10
    assert figures["selection"] == "programme-VIP"
    text = io.StringIO()
    csv_file = tmp_path / "report.csv"
    call_command("interventions", "report", "--csv", str(csv_file), stdout=text)
    assert "Referral to start, and completion" in text.getvalue()
    assert "70.0% (" in text.getvalue()  # 7 of 10 started, with its interval
    with csv_file.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["report", "table"]
    assert any(row[1] == "Distance travelled: first against latest review" for row in rows)
    with pytest.raises(CommandError, match="NOPE"):
        call_command("interventions", "report", "--programme", "NOPE")


def test_published_tables_keep_small_numbers_back(provider_a: Provider) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    report = reports.build_report(reports.Selection(programme="VIP"))
    board = Audience(policy=HesRule())
    journey = published.journey_table(report, board)
    vip = journey.rows[0]
    # 10 referred (rounded to 10), 7 started and 3 completed (suppressed): no share is shown.
    assert vip[1:4] == ["10", "*", ""]
    assert vip[5:7] == ["*", ""]
    exact = published.journey_table(report, Audience(policy=None)).rows[0]
    assert exact[1:3] == ["10", "7"]
    assert exact[3].startswith("70.0% (")
    distance = published.distance_table(report, board)
    assert all(row[4:] == [""] * 5 for row in distance.rows)
