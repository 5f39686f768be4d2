"""Reports from recorded journeys: the figures are the analytics' on the stored records."""

from __future__ import annotations

import datetime as dt

import pytest

from vrn.interventions import entry, reference, reports
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
