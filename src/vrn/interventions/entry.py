"""Recording a participant's journey: the one place the web forms, the API and the demo
make and change records. Each function checks what its fields mean (codes against the
definitions, dates in order, scores in range), raises :class:`EntryError` naming each
field at fault, and otherwise saves in one transaction and audits the change.

The forms and serializers parse types (dates, numbers); the checks of meaning are here,
so both ways in agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from vrn.geography.queries import lsoa_lookup
from vrn.interventions import audit, reference
from vrn.interventions import checks as rules
from vrn.interventions.models import (
    Assessment,
    CaseNote,
    Contact,
    Ethnicity,
    Outcome,
    Participant,
    Programme,
    Review,
    Sex,
)
from vrn.interventions.pseudonyms import FileRefused, pseudonymise_person


class EntryError(ValueError):
    """What is wrong with a record, field by field (``errors``: field -> message)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


@dataclass(frozen=True)
class Actor:
    """Who records: their user name, organisation and network address (for the audit)."""

    username: str
    organisation_id: int
    organisation_code: str
    address: str = ""
    via: str = "web"
    #: Why the records are changed (an access_purpose code), for the audit trail.
    purpose: str = "casework"


class _Checks:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def check(self, field: str, problem: str | None) -> None:
        if problem is not None:
            self.add(field, problem)

    def code(self, field: str, value: str, code_list: str, *, blank: bool = False) -> None:
        self.check(field, rules.code_problem(code_list, value, required=not blank))

    def not_future(self, field: str, value: dt.date | None, today: dt.date) -> None:
        if value is not None and value > today:
            self.add(field, "is in the future")

    def raise_any(self) -> None:
        if self.errors:
            raise EntryError(self.errors)


def _today() -> dt.date:
    return timezone.localdate()


def _audit_change(actor: Actor, participant: Participant, what: str) -> None:
    audit.audit_records(
        audit.CHANGE,
        actor=actor.username,
        address=actor.address,
        participant_ids=[participant.pk],
        purpose=actor.purpose,
        via=actor.via,
        what=what,
    )


def _stamp(actor: Actor, record: Any, participant: Participant) -> None:
    record.provider_id = participant.provider_id
    record.case_reference = participant.case_reference
    record.synthetic = participant.synthetic
    record.recorded_by = actor.username
    record.recorded_at = timezone.now()


def new_participant(actor: Actor, values: Mapping[str, Any]) -> Participant:
    """Refer a participant to a programme of the actor's organisation.

    ``values``: programme (Programme), case_reference, referral_date, referral_source,
    reachable_moment, consent_status, lawful_basis, age_at_referral (int or None), sex,
    ethnicity, priority_groups (ids), residence_lsoa, start_date (or None), and the
    identifiers (any of nhs_number, surname, forename, date_of_birth, person_id,
    residence_postcode, residence_postcode_district, person_key), which are replaced by a
    person key here and never stored.
    """
    checks = _Checks()
    today = _today()
    programme: Programme | None = values.get("programme")
    if programme is None:
        checks.add("programme", "is required")
    elif programme.provider_id != actor.organisation_id:
        checks.add("programme", "is not delivered by your organisation")
    case_reference = str(values.get("case_reference") or "").strip()
    reference_problem = rules.case_reference_problem(case_reference)
    if reference_problem is not None:
        checks.add("case_reference", reference_problem)
    elif Participant.objects.filter(
        provider_id=actor.organisation_id, case_reference=case_reference
    ).exists():
        checks.add("case_reference", "is already used for another participant")
    referral_date = values.get("referral_date")
    if referral_date is None:
        checks.add("referral_date", "is required")
    checks.not_future("referral_date", referral_date, today)
    start_date = values.get("start_date")
    checks.not_future("start_date", start_date, today)
    for field, message in rules.progress_problems(referral_date, start_date, None, "").items():
        checks.add(field, message)
    checks.code("referral_source", values.get("referral_source") or "", "referral_source")
    checks.code(
        "reachable_moment", values.get("reachable_moment") or "", "reachable_moment", blank=True
    )
    checks.code("consent_status", values.get("consent_status") or "", "consent_status")
    checks.code("lawful_basis", values.get("lawful_basis") or "", "lawful_basis")
    checks.check(
        "lawful_basis",
        rules.consent_problem(values.get("consent_status") or "", values.get("lawful_basis") or ""),
    )
    sex = values.get("sex") or Sex.UNKNOWN
    if sex not in Sex.values:
        checks.add("sex", "is not one of M, F, X, U")
    ethnicity = values.get("ethnicity") or Ethnicity.NOT_STATED
    if ethnicity not in Ethnicity.values:
        checks.add("ethnicity", "is not one of " + ", ".join(Ethnicity.values))
    groups = list(values.get("priority_groups") or [])
    checks.check("priority_groups", rules.priority_groups_problem(groups))
    age = values.get("age_at_referral")
    checks.check("age_at_referral", rules.age_problem(None if age is None else int(age)))
    lsoa = str(values.get("residence_lsoa") or "").strip().upper()
    authority = ""
    if lsoa:
        found = lsoa_lookup([lsoa])
        if lsoa not in found:
            checks.add("residence_lsoa", "is not a 2021 LSOA code (e.g. E01025623)")
        else:
            authority = found[lsoa] or ""
    identifiers = {
        name: str(values.get(name) or "")
        for name in (
            "person_key",
            "nhs_number",
            "surname",
            "forename",
            "date_of_birth",
            "person_id",
            "residence_postcode",
            "residence_postcode_district",
        )
    }
    person = None
    try:
        person = pseudonymise_person(identifiers, actor.organisation_code)
    except FileRefused as refusal:
        checks.add("identifiers", refusal.problem.replace("columns", "fields"))
    if person is not None:
        for field, message in person.problems.items():
            checks.add(field, message)
        if person.date_of_birth is not None and referral_date is not None:
            born = person.date_of_birth.astype("datetime64[D]").item()
            years = (
                referral_date.year
                - born.year
                - ((referral_date.month, referral_date.day) < (born.month, born.day))
            )
            if years < 0:
                checks.add("date_of_birth", "is after the referral date")
            elif age is None:
                age = years
    checks.raise_any()
    assert programme is not None and person is not None and referral_date is not None
    participant = Participant(
        programme=programme,
        provider_id=actor.organisation_id,
        case_reference=case_reference,
        person_key=person.person_key,
        key_basis=person.key_basis,
        referral_date=referral_date,
        referral_source=values["referral_source"],
        reachable_moment=values.get("reachable_moment") or "",
        consent_status=values["consent_status"],
        lawful_basis=values["lawful_basis"],
        age_at_referral=age,
        sex=sex,
        ethnicity=ethnicity,
        priority_groups=groups,
        residence_postcode_district=person.postcode_district,
        residence_lsoa21_code=lsoa,
        residence_local_authority_code=authority,
        start_date=start_date,
        synthetic=bool(values.get("synthetic", False)),
        recorded_by=actor.username,
        recorded_at=timezone.now(),
    )
    with transaction.atomic():
        participant.save()
        _audit_change(actor, participant, "referral")
    return participant


def update_progress(actor: Actor, participant: Participant, values: Mapping[str, Any]) -> None:
    """Record a start, an exit (date and reason) or a change of consent."""
    checks = _Checks()
    today = _today()
    start = values.get("start_date", participant.start_date)
    exit_date = values.get("exit_date", participant.exit_date)
    reason = values.get("exit_reason", participant.exit_reason) or ""
    for field, value in (("start_date", start), ("exit_date", exit_date)):
        checks.not_future(field, value, today)
    for field, message in rules.progress_problems(
        participant.referral_date, start, exit_date, reason
    ).items():
        checks.add(field, message)
    if exit_date is not None and reason:
        checks.code("exit_reason", reason, "exit_reason")
    consent = values.get("consent_status", participant.consent_status)
    checks.code("consent_status", consent, "consent_status")
    checks.raise_any()
    participant.start_date = start
    participant.exit_date = exit_date
    participant.exit_reason = reason if exit_date is not None else ""
    participant.consent_status = consent
    with transaction.atomic():
        participant.save(update_fields=["start_date", "exit_date", "exit_reason", "consent_status"])
        _audit_change(actor, participant, "progress")


def new_assessment(
    actor: Actor,
    participant: Participant,
    *,
    assessed_on: dt.date,
    stage: str,
    answers: Mapping[str, bool],
) -> Assessment:
    """Score the risk and protective factor checklist in force."""
    checks = _Checks()
    checks.not_future("assessed_on", assessed_on, _today())
    checks.check("assessed_on", rules.before_referral(assessed_on, participant.referral_date))
    checks.check("stage", rules.stage_problem(stage))
    checklist = reference.checklist()
    try:
        score = checklist.score(answers)
    except ValueError as error:
        checks.add("answers", str(error))
    checks.raise_any()
    assessment = Assessment(
        assessed_on=assessed_on,
        stage=stage,
        # None: not known (scored as not present, and counted as unanswered).
        answers={key: None if value is None else bool(value) for key, value in answers.items()},
        risk_score=score.risk,
        protective_score=score.protective,
        checklist=checklist.ref.short_id,
    )
    _stamp(actor, assessment, participant)
    with transaction.atomic():
        assessment.save()
        _audit_change(actor, participant, "assessment")
    return assessment


def new_contact(
    actor: Actor,
    participant: Participant,
    *,
    contact_date: dt.date,
    kind: str,
    attendance: str,
    duration_minutes: int | None = None,
) -> Contact:
    checks = _Checks()
    checks.check("contact_date", rules.before_referral(contact_date, participant.referral_date))
    checks.code("kind", kind, "contact_kind")
    checks.code("attendance", attendance, "attendance")
    checks.check("contact_date", rules.contact_date_problem(contact_date, attendance, _today()))
    checks.check("duration_minutes", rules.duration_problem(duration_minutes))
    checks.raise_any()
    contact = Contact(
        contact_date=contact_date,
        kind=kind,
        attendance=attendance,
        duration_minutes=duration_minutes,
    )
    _stamp(actor, contact, participant)
    with transaction.atomic():
        contact.save()
        _audit_change(actor, participant, "contact")
    return contact


def review_scores(
    scale_id: str, scores: Mapping[str, Any]
) -> tuple[dict[str, float], dict[str, str]]:
    """Scores by area id checked against the scale: (scores, problems by field)."""
    problems: dict[str, str] = {}
    try:
        scale = reference.scales().scale(scale_id)
    except (KeyError, LookupError, StopIteration):
        return {}, {"scale": "is not one of the distance-travelled scales"}
    kept: dict[str, float] = {}
    areas = {area.id for area in scale.areas}
    for area_id, value in scores.items():
        if area_id not in areas:
            problems[f"scores.{area_id}"] = f"is not an area of the scale {scale.id}"
            continue
        if value is None or value == "":
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems[f"scores.{area_id}"] = "is not a number"
            continue
        if not np.isfinite(number) or not scale.minimum <= number <= scale.maximum:
            problems[f"scores.{area_id}"] = f"must be between {scale.minimum} and {scale.maximum}"
            continue
        kept[area_id] = number
    if not kept and not problems:
        problems["scores"] = "has no score: score at least one area"
    return kept, problems


def new_review(
    actor: Actor,
    participant: Participant,
    *,
    review_date: dt.date,
    scale: str,
    scores: Mapping[str, Any],
) -> Review:
    """A distance-travelled review: a score for each area of the scale (blank areas are
    left out; the review's score is the mean of those given)."""
    checks = _Checks()
    checks.not_future("review_date", review_date, _today())
    checks.check("review_date", rules.before_referral(review_date, participant.referral_date))
    kept, problems = review_scores(scale, scores)
    for field, message in problems.items():
        checks.add(field, message)
    checks.raise_any()
    review = Review(
        review_date=review_date,
        scale=scale,
        perspective=reference.scales().scale(scale).perspective,
        scores=kept,
        mean_score=float(np.mean(list(kept.values()))),
    )
    _stamp(actor, review, participant)
    with transaction.atomic():
        review.save()
        _audit_change(actor, participant, "review")
    return review


def new_outcome(
    actor: Actor, participant: Participant, *, kind: str, outcome_date: dt.date, evidence: str
) -> Outcome:
    checks = _Checks()
    checks.code("kind", kind, "outcome_kind")
    checks.code("evidence", evidence, "evidence_kind")
    checks.not_future("outcome_date", outcome_date, _today())
    checks.check("outcome_date", rules.before_referral(outcome_date, participant.referral_date))
    checks.raise_any()
    outcome = Outcome(
        kind=kind,
        outcome_date=outcome_date,
        evidence=evidence,
        verified=rules.verified(evidence),
    )
    _stamp(actor, outcome, participant)
    with transaction.atomic():
        outcome.save()
        _audit_change(actor, participant, "outcome")
    return outcome


def new_case_note(
    actor: Actor, participant: Participant, *, text: str, visibility: str
) -> CaseNote:
    checks = _Checks()
    text = text.strip()
    if not text:
        checks.add("text", "is required")
    elif len(text) > 5000:
        checks.add("text", "must be 5,000 characters or fewer")
    if visibility not in CaseNote.Visibility.values:
        checks.add("visibility", "must be provider or author")
    checks.raise_any()
    note = CaseNote(text=text, visibility=visibility)
    _stamp(actor, note, participant)
    with transaction.atomic():
        note.save()
        _audit_change(actor, participant, "case note")
    return note


def actor_for(
    user: Any, *, address: str = "", via: str = "web", purpose: str = "casework"
) -> Actor:
    """The actor for a caseworker (callers check :func:`access.is_caseworker` first)."""
    organisation = user.organisation
    return Actor(
        username=user.get_username(),
        organisation_id=organisation.pk,
        organisation_code=organisation.code or f"org{organisation.pk}",
        address=address,
        via=via,
        purpose=purpose,
    )


__all__: Sequence[str] = [
    "Actor",
    "EntryError",
    "actor_for",
    "new_assessment",
    "new_case_note",
    "new_contact",
    "new_outcome",
    "new_participant",
    "new_review",
    "review_scores",
    "update_progress",
]
