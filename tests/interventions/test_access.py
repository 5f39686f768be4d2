"""Who sees which participant records (``access``), whatever the role."""

from __future__ import annotations

import datetime as dt

import pytest

from vrn.accounts.models import User
from vrn.interventions import access, entry
from vrn.interventions.models import CaseNote, Contact, Participant

from .conftest import Provider

pytestmark = pytest.mark.django_db


def _participant(provider: Provider, reference: str) -> Participant:
    who = entry.actor_for(provider.caseworker)
    participant = entry.new_participant(
        who,
        {
            "programme": provider.programme,
            "case_reference": reference,
            "referral_date": dt.date(2024, 3, 4),
            "referral_source": "school",
            "consent_status": "given",
            "lawful_basis": "consent",
            "person_id": reference,
        },
    )
    entry.new_contact(
        who,
        participant,
        contact_date=dt.date(2024, 3, 5),
        kind="one_to_one",
        attendance="attended",
    )
    entry.new_case_note(who, participant, text="Shared with the team.", visibility="provider")
    entry.new_case_note(who, participant, text="Only mine.", visibility="author")
    return participant


def test_each_caseworker_sees_only_their_own_organisations_records(
    provider_a: Provider, provider_b: Provider, analyst: User, board_member: User
) -> None:
    mine = _participant(provider_a, "A-1")
    theirs = _participant(provider_b, "B-1")
    assert list(access.participants(provider_a.caseworker)) == [mine]
    assert list(access.participants(provider_b.caseworker)) == [theirs]
    contacts = access.scoped(provider_a.caseworker, Contact.objects.all())
    assert {contact.case_reference for contact in contacts} == {"A-1"}
    assert set(access.participants(analyst)) == {mine, theirs}
    assert not access.participants(board_member).exists()
    assert access.may_record_for(provider_a.caseworker, mine)
    assert not access.may_record_for(provider_a.caseworker, theirs)
    assert not access.may_record_for(analyst, mine)


def test_case_notes_stay_with_the_provider_and_author_only_notes_with_the_author(
    provider_a: Provider, analyst: User
) -> None:
    participant = _participant(provider_a, "A-1")
    colleague = User.objects.create_user(
        username="colleague", password="x" * 20, organisation=provider_a.organisation
    )
    colleague.groups.set(provider_a.caseworker.groups.all())
    author_notes = {note.text for note in access.case_notes(provider_a.caseworker, participant)}
    assert author_notes == {"Shared with the team.", "Only mine."}
    assert [note.text for note in access.case_notes(colleague, participant)] == [
        "Shared with the team."
    ]
    assert not access.case_notes(analyst, participant).exists()
    assert CaseNote.objects.count() == 2


def test_a_caseworker_without_an_organisation_sees_nothing(provider_a: Provider) -> None:
    _participant(provider_a, "A-1")
    drifter = User.objects.create_user(username="drifter", password="x" * 20)
    drifter.groups.set(provider_a.caseworker.groups.all())
    assert not access.participants(drifter).exists()
    assert not access.is_caseworker(drifter)
