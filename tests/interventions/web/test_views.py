"""The intervention pages for each role and each provider: who reaches what, what each
sees (a provider's own records; the network's pseudonymised view; nothing for the board
or the public), the purpose asked before any record is opened, and the audit of every
view, list and export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vrn.accounts.models import User
from vrn.audit.models import AuditEvent
from vrn.interventions import entry, views
from vrn.interventions.models import (
    Assessment,
    CaseNote,
    Contact,
    Outcome,
    Participant,
    Review,
)

from ..conftest import Provider
from .conftest import refer

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]

#: Every page without a participant, and every page of one (``{pk}``).
PAGES = ["home", "purpose", "participants", "participants-csv", "participant-new"]
PARTICIPANT_PAGES = [
    "participant",
    "progress",
    "assessment",
    "contact",
    "review",
    "outcome",
    "note",
]
FORMS = PARTICIPANT_PAGES[1:]


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"interventions:{name}", kwargs={"pk": pk} if pk is not None else None)


def every_url(pk: int) -> list[str]:
    return [url(name) for name in PAGES] + [url(name, pk) for name in PARTICIPANT_PAGES]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def people(provider_a: Provider, provider_b: Provider) -> dict[str, Participant]:
    """Two participants of each provider, with a journey and case notes."""
    found = {
        "a1": refer(provider_a, "TP-0001"),
        "a2": refer(provider_a, "TP-0002", start_date=dt.date(2024, 3, 10)),
        "b1": refer(provider_b, "LC/77"),
        "b2": refer(provider_b, "LC/78"),
    }
    actor = entry.actor_for(provider_a.caseworker)
    a1 = found["a1"]
    entry.new_case_note(actor, a1, text="Met at the youth club; keen", visibility="provider")
    entry.new_contact(
        actor, a1, contact_date=dt.date(2024, 3, 12), kind="one_to_one", attendance="attended"
    )
    return found


# --------------------------------------------------------------------------- who reaches what


def test_a_visitor_is_sent_to_sign_in_from_every_page(people: dict[str, Participant]) -> None:
    client = Client()
    for address in every_url(people["a1"].pk):
        response = client.get(address)
        assert response.status_code == 302, address
        location = urlsplit(response["Location"])
        assert location.path == reverse("web:sign-in"), address
        assert parse_qs(location.query)["next"] == [address]


def test_the_board_and_the_public_get_403_everywhere(
    people: dict[str, Participant],
    board_member: User,
    public_user: User,
    signed_in: SignedIn,
) -> None:
    for user in (board_member, public_user):
        client = signed_in(user, purpose=None)
        for address in every_url(people["a1"].pk):
            assert client.get(address).status_code == 403, (user, address)
        response = client.post(url("purpose"), {"purpose": "casework"})
        assert response.status_code == 403
        assert views.PURPOSE_SESSION_KEY not in client.session
    assert (
        not AuditEvent.objects.filter(action__startswith="interventions.")
        .exclude(action="interventions.change")
        .exists()
    )


def test_a_caseworker_sees_their_own_programmes_and_what_to_do(
    provider_a: Provider, provider_b: Provider, signed_in: SignedIn
) -> None:
    page = html(signed_in(provider_a.caseworker, purpose=None).get(url("home")))
    assert "Turning Point programme" in page and "Leicestershire Cares programme" not in page
    for name in ("participant-new", "participants"):
        assert f'href="{url(name)}"' in page


def test_the_network_team_sees_every_programme(
    provider_a: Provider, provider_b: Provider, analyst: User, manager: User, signed_in: SignedIn
) -> None:
    for user in (analyst, manager):
        page = html(signed_in(user, purpose=None).get(url("home")))
        assert "Turning Point programme" in page and "Leicestershire Cares programme" in page
        assert f'href="{url("participant-new")}"' not in page


def test_provider_b_gets_404_for_provider_a_participant_on_every_page(
    people: dict[str, Participant], provider_b: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_b.caseworker)
    a1 = people["a1"]
    for name in PARTICIPANT_PAGES:
        assert client.get(url(name, a1.pk)).status_code == 404, name
    # Not a page of a participant that does not exist either: the same answer, even for
    # an id past any database integer.
    assert client.get(url("participant", 987654)).status_code == 404
    assert client.get("/interventions/participants/99999999999999999999/").status_code == 404
    posts = {
        "progress": {"start_date_day": "5", "start_date_month": "3", "start_date_year": "2024"},
        "note": {"text": "Someone else's participant", "visibility": "provider"},
        "contact": {
            "contact_date_day": "5",
            "contact_date_month": "3",
            "contact_date_year": "2024",
            "kind": "one_to_one",
            "attendance": "attended",
        },
    }
    for name, data in posts.items():
        assert client.post(url(name, a1.pk), data).status_code == 404, name
    assert CaseNote.objects.count() == 1 and Contact.objects.count() == 1
    assert Participant.objects.get(pk=a1.pk).start_date is None
    assert not AuditEvent.objects.filter(action="interventions.view").exists()


def test_provider_b_finds_none_of_provider_a_rows_in_the_list_search_or_csv(
    people: dict[str, Participant],
    provider_a: Provider,
    provider_b: Provider,
    signed_in: SignedIn,
) -> None:
    client = signed_in(provider_b.caseworker)
    page = html(client.get(url("participants")))
    assert "LC/77" in page and "LC/78" in page
    assert "TP-000" not in page
    for participant in (people["a1"], people["a2"]):
        assert url("participant", participant.pk) not in page
    # A's case references, exactly or as a prefix, find nothing.
    for search in ("TP-0001", "TP", "T"):
        found = html(client.get(url("participants"), {"case_reference": search}))
        assert "No participant matches these filters" in found and "0 participants" in found
        for participant in people.values():
            assert url("participant", participant.pk) not in found
        assert csv_rows(client.get(url("participants-csv"), {"case_reference": search})) == [
            csv_rows(client.get(url("participants-csv")))[0]
        ]
    # A's programme is not one of B's to filter by.
    wrong = html(client.get(url("participants"), {"programme": provider_a.programme.pk}))
    assert "Programme must be one of the programmes listed" in wrong
    assert 'href="#id_programme"' in wrong
    assert "TP-000" not in wrong and "LC/77" not in wrong
    refused = client.get(url("participants-csv"), {"programme": provider_a.programme.pk})
    assert refused.status_code == 400
    rows = csv_rows(client.get(url("participants-csv")))
    assert rows[0][:2] == ["participant", "case_reference"]
    assert sorted(row[1] for row in rows[1:]) == ["LC/77", "LC/78"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted([people["b1"].pk, people["b2"].pk])


def test_a_caseworker_searches_their_own_case_references_exactly_or_by_prefix(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker)
    exact = html(client.get(url("participants"), {"case_reference": "TP-0002"}))
    assert "TP-0002" in exact and "TP-0001" not in exact
    prefix = html(client.get(url("participants"), {"case_reference": "tp-000"}))
    assert "TP-0001" in prefix and "TP-0002" in prefix
    assert "2 participants" in prefix


def test_the_status_filter(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    a1, a2 = people["a1"], people["a2"]
    actor = entry.actor_for(provider_a.caseworker)
    entry.update_progress(
        actor,
        a1,
        {
            "start_date": dt.date(2024, 3, 5),
            "exit_date": dt.date(2024, 6, 1),
            "exit_reason": "completed",
        },
    )
    client = signed_in(provider_a.caseworker)
    expected = {"referred": [], "started": [a2.pk], "exited": [a1.pk]}
    for status, pks in expected.items():
        rows = csv_rows(client.get(url("participants-csv"), {"status": status}))
        assert [int(row[0]) for row in rows[1:]] == pks, status
        assert all(row[-1] == status for row in rows[1:])
        page = html(client.get(url("participants"), {"status": status}))
        assert f"{len(pks)} participant" in page
    bad = html(client.get(url("participants"), {"status": "vanished"}))
    assert "Status must be referred, started or exited" in bad


def test_the_network_team_sees_the_pseudonymised_list_without_case_references(
    people: dict[str, Participant], analyst: User, manager: User, signed_in: SignedIn
) -> None:
    for user in (analyst, manager):
        client = signed_in(user, purpose="evaluation")
        page = html(client.get(url("participants")))
        for participant in people.values():
            assert f"Participant {participant.pk}" in page
            assert participant.case_reference not in page
        assert 'name="case_reference"' not in page  # no search by case reference
        # A case reference in the address is no search for them: nothing is filtered.
        searched = html(client.get(url("participants"), {"case_reference": "TP-0001"}))
        assert "4 participants" in searched
        rows = csv_rows(client.get(url("participants-csv")))
        assert "case_reference" not in rows[0]
        text = "\n".join(",".join(row) for row in rows)
        for participant in people.values():
            assert participant.case_reference not in text
        assert "Met at the youth club" not in text
        assert sorted(int(row[0]) for row in rows[1:]) == sorted(p.pk for p in people.values())


def test_the_network_team_sees_a_participant_without_case_reference_or_notes(
    people: dict[str, Participant], analyst: User, signed_in: SignedIn
) -> None:
    client = signed_in(analyst, purpose="evaluation")
    a1 = people["a1"]
    page = html(client.get(url("participant", a1.pk)))
    assert f"Participant {a1.pk}" in page
    assert "TP-0001" not in page
    assert "Met at the youth club" not in page and "Case notes" not in page
    assert "1 of 1 contact up to today attended (100%)" in page
    for name in FORMS:
        assert url(name, a1.pk) not in page
        assert client.get(url(name, a1.pk)).status_code == 403, name
    assert client.get(url("participant-new")).status_code == 403


def test_a_caseworker_sees_their_participant_with_notes_and_links_to_record(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    a1 = people["a1"]
    hidden = CaseNote.objects.create(
        provider=provider_a.organisation,
        case_reference=a1.case_reference,
        text="Only for its author",
        visibility=CaseNote.Visibility.AUTHOR,
        recorded_by="someone-else",
    )
    page = html(signed_in(provider_a.caseworker).get(url("participant", a1.pk)))
    assert "TP-0001" in page
    assert "Met at the youth club; keen" in page
    assert hidden.text not in page
    for name in FORMS:
        assert f'href="{url(name, a1.pk)}"' in page


# --------------------------------------------------------------------------- purpose


def test_a_record_page_asks_for_the_purpose_first_and_comes_back(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker, purpose=None)
    address = url("participant", people["a1"].pk)
    for target in (address, url("participants") + "?status=started", url("participants-csv")):
        response = client.get(target)
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == url("purpose")
        assert parse_qs(location.query)["next"] == [target]
    assert not AuditEvent.objects.exclude(action="interventions.change").exists()

    form = html(client.get(url("purpose"), {"next": address}))
    for label in ("Casework", "Supervision", "Safeguarding", "Data quality", "Evaluation"):
        assert label in form
    assert f'value="{address}"' in form

    refused = html(client.post(url("purpose"), {"purpose": "curiosity", "next": address}))
    assert "There is a problem" in refused
    assert 'href="#id_purpose"' in refused
    assert "Select why you are opening participant records" in refused
    assert views.PURPOSE_SESSION_KEY not in client.session

    response = client.post(url("purpose"), {"purpose": "safeguarding", "next": address})
    assert response.status_code == 302 and response["Location"] == address
    assert client.session[views.PURPOSE_SESSION_KEY]["code"] == "safeguarding"
    assert client.get(address).status_code == 200
    [event] = events("interventions.view")
    assert event.detail["purpose"] == "safeguarding"
    assert event.detail["participants"] == [people["a1"].pk]


@pytest.mark.parametrize(
    "unsafe", ["https://elsewhere.example/steal", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_purpose_page_only_goes_back_to_this_site(
    unsafe: str, provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker, purpose=None)
    response = client.post(url("purpose"), {"purpose": "casework", "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == url("participants")


def test_the_purpose_is_asked_again_after_eight_hours(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker)
    address = url("participant", people["a1"].pk)
    assert client.get(address).status_code == 200
    session = client.session
    earlier = timezone.now() - dt.timedelta(hours=views.PURPOSE_HOURS, minutes=1)
    session[views.PURPOSE_SESSION_KEY] = {"code": "casework", "at": earlier.isoformat()}
    session.save()
    response = client.get(address)
    assert response.status_code == 302 and urlsplit(response["Location"]).path == url("purpose")
    session[views.PURPOSE_SESSION_KEY]["at"] = (earlier + dt.timedelta(minutes=2)).isoformat()
    session.save()
    assert client.get(address).status_code == 200


# --------------------------------------------------------------------------- the audit


def test_the_list_is_audited_with_the_ids_shown_and_the_purpose(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker, purpose="supervision")
    client.get(url("participants"), {"status": "started"})
    [event] = events("interventions.list")
    assert event.actor == "caseworker-a"
    assert event.detail["participants"] == [people["a2"].pk]
    assert event.detail["count"] == 1
    assert event.detail["purpose"] == "supervision"
    assert event.detail["via"] == "web"
    assert "status started" in event.detail["what"]
    client.get(url("participants"), {"case_reference": "TP-0001"})
    searched = events("interventions.list")[-1]
    assert searched.detail["participants"] == [people["a1"].pk]
    assert "TP-0001" not in str(searched.detail) and "TP-0001" not in searched.target


def test_the_export_is_audited_with_every_id(
    people: dict[str, Participant], analyst: User, signed_in: SignedIn
) -> None:
    signed_in(analyst, purpose="evaluation").get(url("participants-csv"))
    [event] = events("interventions.export")
    assert event.actor == "analyst"
    assert event.detail["participants"] == sorted(p.pk for p in people.values())
    assert event.detail["count"] == 4
    assert event.detail["purpose"] == "evaluation"


def test_a_view_is_audited_and_so_is_opening_a_form(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    client = signed_in(provider_a.caseworker, purpose="data_quality")
    a1 = people["a1"]
    client.get(url("participant", a1.pk))
    client.get(url("outcome", a1.pk))
    first, second = events("interventions.view")
    assert first.target == f"participant {a1.pk}" and first.detail["what"] == "participant page"
    assert second.detail["what"] == "outcome form"
    assert {first.detail["purpose"], second.detail["purpose"]} == {"data_quality"}


def test_the_list_is_paginated_fifty_a_page(provider_a: Provider, signed_in: SignedIn) -> None:
    made = [refer(provider_a, f"TP-{n:04d}", person_id="") for n in range(51)]
    client = signed_in(provider_a.caseworker)
    first = html(client.get(url("participants")))
    assert "Participants 1 to 50 of 51" in first
    assert 'aria-label="Page 2"' in first
    second = html(client.get(url("participants"), {"page": "2"}))
    assert "Participants 51 to 51 of 51" in second
    one, two = events("interventions.list")
    assert len(one.detail["participants"]) == 50
    # Newest referral first, then the newest record: the first made is on page 2.
    assert two.detail["participants"] == [made[0].pk]
    assert len(csv_rows(client.get(url("participants-csv")))) == 52


def test_the_participant_page_shows_the_journey(
    people: dict[str, Participant], provider_a: Provider, signed_in: SignedIn
) -> None:
    a1 = people["a1"]
    actor = entry.actor_for(provider_a.caseworker)
    entry.new_assessment(
        actor,
        a1,
        assessed_on=dt.date(2024, 3, 6),
        stage="entry",
        answers={"impulsivity": True, "social_isolation": True, "male": False},
    )
    for day, score in ((7, 3), (28, 6)):
        entry.new_review(
            actor,
            a1,
            review_date=dt.date(2024, 3, day),
            scale="vrn_self_report_journey",
            scores={"feeling_safe": score, "relationships": score + 1},
        )
    entry.new_outcome(
        actor,
        a1,
        kind="entered_training",
        outcome_date=dt.date(2024, 4, 2),
        evidence="document_seen",
    )
    page = html(signed_in(provider_a.caseworker).get(url("participant", a1.pk)))
    assert Assessment.objects.count() == 1 and Review.objects.count() == 2
    assert Outcome.objects.count() == 1
    assert "Impulsivity" in page and "Social isolation" in page
    assert 'Risk score</dt><dd class="govuk-summary-list__value">2 of' in page
    assert "VRN self-report journey" in page
    assert "3.5" in page and "6.5" in page and "+3.0" in page
    assert "Entered training" in page and "Document seen" in page
