"""What the intervention pages read: programmes, the participants a user may see and each
participant's journey, always through :mod:`vrn.interventions.access` (the only scoping),
as rows ready to show (codes with their labels from the definitions in force)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vrn.interventions import access, reference
from vrn.interventions.models import (
    Assessment,
    CaseNote,
    Contact,
    Outcome,
    Participant,
    Programme,
    Review,
)

if TYPE_CHECKING:
    from vrn.interventions.access import AnyUser

#: Participants on a page of the list.
PAGE_SIZE = 50

#: Where a participant is on their journey, in order.
STATUSES = {"referred": "Referred", "started": "Started", "exited": "Exited"}

_STATUS_FILTERS = {
    "referred": Q(start_date__isnull=True, exit_date__isnull=True),
    "started": Q(start_date__isnull=False, exit_date__isnull=True),
    "exited": Q(exit_date__isnull=False),
}


def label(code_list: str, code: str) -> str:
    """A code's label in the definitions in force; the code itself if they no longer have
    it, "" for a blank code."""
    if not code:
        return ""
    try:
        return reference.codes().label(code_list, code)
    except KeyError:
        return code


def status(participant: Participant) -> str:
    if participant.exit_date is not None:
        return "exited"
    return "started" if participant.start_date is not None else "referred"


# --------------------------------------------------------------------------- programmes


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    prevention_level: str
    referred: int
    started: int
    exited: int

    @property
    def participants(self) -> int:
        return self.referred + self.started + self.exited


def visible_programmes(user: AnyUser) -> QuerySet[Programme]:
    """The network team's every programme; a caseworker's own organisation's; else none."""
    programmes = Programme.objects.select_related("provider").order_by("code")
    if access.sees_all_records(user):
        return programmes
    own = access.organisation_id(user)
    return programmes.none() if own is None else programmes.filter(provider_id=own)


def programme_rows(user: AnyUser) -> list[ProgrammeRow]:
    """Each programme the user sees, with its participants (as far as the user may see
    them) by status."""
    counts = {
        row["programme"]: row
        for row in access.participants(user)
        .order_by()
        .values("programme")
        .annotate(**{name: Count("pk", filter=q) for name, q in _STATUS_FILTERS.items()})
    }
    return [
        ProgrammeRow(
            programme=programme,
            prevention_level=label("prevention_level", programme.prevention_level),
            referred=counts.get(programme.pk, {}).get("referred", 0),
            started=counts.get(programme.pk, {}).get("started", 0),
            exited=counts.get(programme.pk, {}).get("exited", 0),
        )
        for programme in visible_programmes(user)
    ]


def own_programmes(user: AnyUser) -> list[Programme]:
    """The programmes a caseworker may refer to: their organisation's."""
    own = access.organisation_id(user)
    if own is None:
        return []
    return list(Programme.objects.filter(provider_id=own).order_by("code"))


def programme(pk: int) -> Programme | None:
    """Any programme by id (whose it is, the record's checks decide)."""
    return Programme.objects.filter(pk=pk).first()


# --------------------------------------------------------------------------- participants


@dataclass(frozen=True)
class Filters:
    """The list's filters: a programme id, a status and a case reference (or its start)."""

    programme: int | None = None
    status: str = ""
    case_reference: str = ""

    def describe(self) -> str:
        """The filters in words, for the audit trail (never the case reference searched)."""
        parts = []
        if self.programme is not None:
            parts.append(f"programme {self.programme}")
        if self.status:
            parts.append(f"status {self.status}")
        if self.case_reference:
            parts.append("search by case reference")
        return "; ".join(parts) or "no filter"


def participants(user: AnyUser, filters: Filters) -> QuerySet[Participant]:
    """The participants the user may see, filtered, newest referral first. The case
    reference search is a caseworker's, within their own organisation only."""
    records = access.participants(user)
    if filters.programme is not None:
        records = records.filter(programme_id=filters.programme)
    if filters.status:
        records = records.filter(_STATUS_FILTERS[filters.status])
    if filters.case_reference:
        own = access.organisation_id(user)
        if own is None:
            return records.none()
        records = records.filter(
            provider_id=own, case_reference__istartswith=filters.case_reference
        )
    return records.order_by("-referral_date", "-pk")


def participant_page(
    user: AnyUser, filters: Filters | None, number: str | None
) -> Page[Participant]:
    """One page of :func:`participants` (the last for a number past it, the first for
    one that is not a number); empty for wrong filters (None)."""
    records = participants(user, filters) if filters else Participant.objects.none()
    return Paginator(records, PAGE_SIZE).get_page(number)


def participant(user: AnyUser, pk: int) -> Participant | None:
    """The participant if the user may see it; None whether or not it exists."""
    return access.participants(user).filter(pk=pk).first()


@dataclass(frozen=True)
class ParticipantRow:
    pk: int
    name: str
    case_reference: str | None
    programme: str
    provider: str
    referral_date: dt.date
    status: str


def participant_rows(user: AnyUser, records: Iterable[Participant]) -> list[ParticipantRow]:
    """Rows of the list: the case reference only for the holding provider's caseworker."""
    return [
        ParticipantRow(
            pk=record.pk,
            name=str(record),
            case_reference=record.case_reference
            if access.shows_case_reference(user, record)
            else None,
            programme=str(record.programme),
            provider=record.provider.name,
            referral_date=record.referral_date,
            status=STATUSES[status(record)],
        )
        for record in records
    ]


EXPORT_COLUMNS = (
    "participant",
    "case_reference",
    "provider",
    "programme",
    "referral_date",
    "referral_source",
    "reachable_moment",
    "consent_status",
    "lawful_basis",
    "age_at_referral",
    "sex",
    "ethnicity",
    "priority_groups",
    "residence_postcode_district",
    "residence_lsoa21_code",
    "residence_local_authority_code",
    "start_date",
    "exit_date",
    "exit_reason",
    "status",
)


def export_rows(user: AnyUser, records: Sequence[Participant]) -> list[list[object]]:
    """The list as a table (a header first): codes as stored, no case notes, no person
    key; the ``case_reference`` column only for a caseworker (their own records')."""
    columns = [c for c in EXPORT_COLUMNS if c != "case_reference" or access.is_caseworker(user)]
    rows: list[list[object]] = [list(columns)]
    for record in records:
        values: dict[str, object] = {
            "participant": record.pk,
            "case_reference": record.case_reference
            if access.shows_case_reference(user, record)
            else "",
            "provider": record.provider.code or record.provider.name,
            "programme": record.programme.code,
            "age_at_referral": "" if record.age_at_referral is None else record.age_at_referral,
            "priority_groups": ";".join(record.priority_groups),
            "start_date": record.start_date or "",
            "exit_date": record.exit_date or "",
            "status": status(record),
        }
        rows.append(
            [values[c] if c in values else getattr(record, c) for c in columns],
        )
    return rows


# --------------------------------------------------------------------------- a journey


@dataclass(frozen=True)
class AssessmentView:
    assessment: Assessment
    stage: str
    risk_max: float | None
    protective_max: float | None
    #: Labels of the factors answered present, by kind.
    risks: list[str]
    protections: list[str]
    unknown: int


@dataclass(frozen=True)
class ContactRow:
    contact: Contact
    kind: str
    attendance: str
    attended: bool


@dataclass(frozen=True)
class ScaleTable:
    """The reviews on one scale: a column per review (oldest first), a row per area."""

    scale_id: str
    label: str
    perspective: str
    range_text: str
    higher_is_better: bool | None
    dates: list[dt.date]
    rows: list[tuple[str, list[str]]]
    means: list[str]
    change: str


@dataclass(frozen=True)
class OutcomeRow:
    outcome: Outcome
    kind: str
    evidence: str


@dataclass(frozen=True)
class NoteRow:
    note: CaseNote
    visibility: str


@dataclass(frozen=True)
class Journey:
    assessments: int
    latest_assessment: AssessmentView | None
    contacts: list[ContactRow]
    #: Contacts up to today, and those attended.
    contacts_due: int
    contacts_attended: int
    scales: list[ScaleTable]
    outcomes: list[OutcomeRow]
    notes: list[NoteRow] = field(default_factory=list)

    @property
    def attendance_rate(self) -> str:
        if not self.contacts_due:
            return ""
        return f"{100 * self.contacts_attended / self.contacts_due:.0f}%"


J = TypeVar("J", Assessment, Contact, Review, Outcome)


def _records(user: AnyUser, model: type[J], participant: Participant) -> QuerySet[J]:
    rows = model._default_manager.filter(
        provider_id=participant.provider_id, case_reference=participant.case_reference
    )
    return access.scoped(user, rows)


def assessed(user: AnyUser, participant: Participant) -> bool:
    """Whether the participant has an assessment the user may see."""
    return _records(user, Assessment, participant).exists()


def journey(user: AnyUser, participant: Participant) -> Journey:
    """Everything recorded about ``participant`` that the user may see."""
    assessments = list(_records(user, Assessment, participant).order_by("-assessed_on", "-pk"))
    contacts = list(_records(user, Contact, participant).order_by("contact_date", "pk"))
    reviews = list(_records(user, Review, participant).order_by("review_date", "pk"))
    outcomes = list(_records(user, Outcome, participant).order_by("outcome_date", "pk"))
    notes = access.case_notes(user, participant).order_by("-recorded_at", "-pk")
    attended_codes = set(reference.codes().attended_codes)
    today = timezone.localdate()
    contact_rows = [
        ContactRow(
            contact=contact,
            kind=label("contact_kind", contact.kind),
            attendance=label("attendance", contact.attendance),
            attended=contact.attendance in attended_codes,
        )
        for contact in contacts
    ]
    due = [row for row in contact_rows if row.contact.contact_date <= today]
    return Journey(
        assessments=len(assessments),
        latest_assessment=_assessment_view(assessments[0]) if assessments else None,
        contacts=contact_rows,
        contacts_due=len(due),
        contacts_attended=sum(row.attended for row in due),
        scales=_scale_tables(reviews),
        outcomes=[
            OutcomeRow(
                outcome=outcome,
                kind=label("outcome_kind", outcome.kind),
                evidence=label("evidence_kind", outcome.evidence),
            )
            for outcome in outcomes
        ],
        notes=[NoteRow(note=note, visibility=note.get_visibility_display()) for note in notes],
    )


def _assessment_view(assessment: Assessment) -> AssessmentView:
    checklist = reference.checklist()
    current = assessment.checklist == checklist.ref.short_id
    empty = checklist.score({})
    labels = {factor.id: factor for factor in checklist.factors}
    present = [key for key, value in assessment.answers.items() if value is True]
    # An answer of None is "not known": not an answer.
    answered = sum(
        1 for key, value in assessment.answers.items() if value is not None and key in labels
    )

    def named(kind: str) -> list[str]:
        return [labels[key].label for key in present if key in labels and labels[key].kind == kind]

    return AssessmentView(
        assessment=assessment,
        stage=assessment.stage.capitalize(),
        risk_max=empty.risk_max if current else None,
        protective_max=empty.protective_max if current else None,
        risks=named("risk"),
        protections=named("protective"),
        unknown=len(checklist.factors) - answered if current else 0,
    )


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _scale_tables(reviews: list[Review]) -> list[ScaleTable]:
    tables = []
    scale_ids = list(dict.fromkeys(review.scale for review in reviews))
    for scale_id in scale_ids:
        on_scale = [review for review in reviews if review.scale == scale_id]
        try:
            scale = reference.scales().scale(scale_id)
        except KeyError:
            scale = None
        if scale is not None:
            areas = [(area.id, area.label) for area in scale.areas]
        else:
            areas = [(a, a) for a in dict.fromkeys(k for r in on_scale for k in r.scores)]
        rows = [
            (
                name,
                [_number(r.scores[area_id]) if area_id in r.scores else "" for r in on_scale],
            )
            for area_id, name in areas
        ]
        means = [r.mean_score for r in on_scale]
        change = means[-1] - means[0] if len(means) > 1 else None
        tables.append(
            ScaleTable(
                scale_id=scale_id,
                label=scale.label if scale else scale_id,
                perspective=on_scale[0].perspective.replace("_", " "),
                range_text=f"{scale.minimum} to {scale.maximum}" if scale else "",
                higher_is_better=scale.higher_is_better if scale else None,
                dates=[r.review_date for r in on_scale],
                rows=rows,
                means=[f"{m:.1f}" for m in means],
                change="" if change is None else f"{change:+.1f}",
            )
        )
    return tables


def programme_by_code(code: str) -> Programme | None:
    return Programme.objects.select_related("provider").filter(code=code).first()
