"""The forms of the caseworker's journey, rendered in the GOV.UK Design System's patterns
(``templates/interventions/_field.html``: labels, hints, inline errors, fieldsets with
legends for radios, checkboxes and the day-month-year date input).

The forms parse types only (dates, whole numbers); what the values mean (codes, dates in
order, scores in range) is checked by :mod:`vrn.interventions.entry`, whose errors
:meth:`JourneyForm.add_entry_errors` puts on the fields. Every message names its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from vrn.definitions.factors import DOMAINS
from vrn.interventions import reference
from vrn.interventions.models import CaseNote, Ethnicity, Participant, Programme, Sex

#: (value, label, hint) of each choice of a field.
Options = Sequence[tuple[str, str, str]]


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str
    hint: str
    checked: bool


@dataclass(frozen=True)
class DatePart:
    id: str
    name: str
    label: str
    value: str
    width: int


class GovukBoundField(BoundField):
    """What the field templates need: the field's kind, ids for the hint and error, its
    options with which are chosen, and the parts of a date."""

    @property
    def kind(self) -> str:
        return str(getattr(self.field, "kind", "text"))

    @property
    def anchor(self) -> str:
        """The id of the field's first input: where the error summary links."""
        return self.auto_id or self.html_name

    @property
    def hint_id(self) -> str:
        return f"{self.anchor}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.anchor}-error"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.help_text else []
        return " ".join([*ids, self.error_id] if self.errors else ids)

    @property
    def css_class(self) -> str:
        return str(getattr(self.field, "css_class", ""))

    @property
    def options(self) -> list[Option]:
        source: Callable[[], Options] | None = getattr(self.field, "options", None)
        if source is None:
            return []
        value = self.value()
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        return [
            Option(
                id=self.anchor if number == 0 else f"{self.anchor}-{number + 1}",
                value=key,
                label=text,
                hint=hint,
                checked=key in chosen,
            )
            for number, (key, text, hint) in enumerate(source())
        ]

    @property
    def parts(self) -> list[DatePart]:
        values = self.value() or ["", "", ""]
        return [
            DatePart(
                id=self.anchor if name == "day" else f"{self.anchor}_{name}",
                name=f"{self.html_name}_{name}",
                label=name.capitalize(),
                value=str(value or ""),
                width=4 if name == "year" else 2,
            )
            for name, value in zip(DATE_PARTS, values, strict=True)
        ]


# --------------------------------------------------------------------------- fields

DATE_PARTS = ("day", "month", "year")


class DateParts(forms.Widget):
    """The three inputs of a GOV.UK date input: ``<name>_day``, ``_month``, ``_year``."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}_{part}", "")) for part in DATE_PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}_{part}" not in data for part in DATE_PARTS)


#: The most digits a whole number typed in a form may have (a larger one is a mistake, and
#: would not fit the database's integer columns).
MAX_DIGITS = 9


def digits(text: str) -> bool:
    """Whether ``text`` is made of the digits 0 to 9 only (``str.isdigit`` also takes
    digits ``int`` refuses, such as "²")."""
    return bool(text) and text.isascii() and text.isdigit()


class DateField(forms.Field):
    """A date as day, month and year (GOV.UK date input); blank is None."""

    kind = "date"
    widget = DateParts

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        super().__init__(label=label, required=required, **kwargs)
        self.error_messages["required"] = f"{label} is required"

    def prepare_value(self, value: Any) -> list[str]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(part or "") for part in value]
        return ["", "", ""]

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            return None
        missing = [
            name for name, part in zip(DATE_PARTS, (day, month, year), strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"{self.label} must include a {' and a '.join(missing)}")
        if not all(digits(part) for part in (day, month, year)):
            raise ValidationError(f"{self.label} must be a real date, in numbers")
        if len(year) != 4:
            raise ValidationError(f"{self.label} must include a year of 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self.label} must be a real date") from None


class TextField(forms.CharField):
    """A text input (``kind`` "text", "number" for a value typed as digits, "textarea")."""

    def __init__(
        self, *, label: str, kind: str = "text", css_class: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)
        self.kind = kind
        self.css_class = css_class


class WholeNumberField(forms.Field):
    kind = "number"
    css_class = "govuk-input--width-3"

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not digits(text):
            raise ValidationError(f"{self.label} must be a whole number, like 15")
        if len(text.lstrip("0")) > MAX_DIGITS:
            raise ValidationError(f"{self.label} must be a number of at most {MAX_DIGITS} digits")
        return int(text)


class ChoiceTextField(forms.CharField):
    """One choice (radios or a select) from ``options``; which values mean something is
    for :mod:`~vrn.interventions.entry` to say, so any text is passed on."""

    def __init__(
        self, *, label: str, options: Callable[[], Options], kind: str = "radios", **kwargs: Any
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)
        self.options = options
        self.kind = kind


class ChoicesField(forms.Field):
    """Any number of choices (checkboxes): a list of the values ticked."""

    kind = "checkboxes"
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, label: str, options: Callable[[], Options], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)
        self.options = options

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value or []]


def codes(code_list: str, *, hints: bool = True, blank: str | None = None) -> Callable[[], Options]:
    """The options of a code list of the definitions in force (read when shown, so an
    edited definition needs no restart); ``blank``: the label of a first, empty option."""

    def options() -> Options:
        found = [
            (code.id, code.label, (code.description or "") if hints else "")
            for code in reference.codes().codes(code_list)
        ]
        return [("", blank, ""), *found] if blank is not None else found

    return options


def fixed(choices: Sequence[tuple[str, str]]) -> Callable[[], Options]:
    return lambda: [(str(value), str(text), "") for value, text in choices]


# --------------------------------------------------------------------------- forms


class JourneyForm(forms.Form):
    """A form whose errors may also come from :class:`~vrn.interventions.entry.EntryError`."""

    bound_field_class = GovukBoundField
    #: entry's field name -> this form's field, where they differ.
    entry_fields: Mapping[str, str] = {}

    def add_entry_errors(self, errors: Mapping[str, str]) -> None:
        """Put each of entry's ``field -> message`` on the form's field, naming it."""
        for name, message in errors.items():
            target = self.entry_fields.get(name, name)
            if target in self.fields:
                self.add_error(target, f"{self.fields[target].label} {message}")
            else:
                self.add_error(None, f"{name.replace('_', ' ').capitalize()} {message}")

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error, in the order of the page: the error summary.
        Errors of the whole form link to its first field."""
        found: list[tuple[str, str]] = []
        first = next(iter(self), None)
        for message in self.non_field_errors():
            found.append((first.anchor if isinstance(first, GovukBoundField) else "", str(message)))
        for bound in self:
            assert isinstance(bound, GovukBoundField)
            found += [(bound.anchor, str(message)) for message in bound.errors]
        return found


class PurposeForm(JourneyForm):
    purpose = ChoiceTextField(
        label="Why are you opening participant records?",
        options=codes("access_purpose"),
        help_text="Every record you open is logged with this purpose. You will be asked "
        "again after 8 hours.",
    )

    def clean_purpose(self) -> str:
        value = str(self.cleaned_data.get("purpose") or "")
        if value not in reference.codes().ids("access_purpose"):
            raise ValidationError("Select why you are opening participant records")
        return value


class FilterForm(JourneyForm):
    """The participant list's filters (GET)."""

    programme = ChoiceTextField(label="Programme", kind="select", options=fixed([]))
    status = ChoiceTextField(
        label="Status",
        kind="select",
        options=fixed(
            [
                ("", "Any status"),
                ("referred", "Referred (not started)"),
                ("started", "Started"),
                ("exited", "Exited"),
            ]
        ),
    )
    case_reference = TextField(
        label="Case reference",
        help_text="Your record number, or its first characters",
        css_class="govuk-input--width-10",
        max_length=40,
    )

    def __init__(
        self, *args: Any, programmes: Sequence[Programme], search: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme_ids = {str(p.pk): p.pk for p in programmes}
        field = self.fields["programme"]
        assert isinstance(field, ChoiceTextField)
        field.options = fixed([("", "All programmes"), *((str(p.pk), str(p)) for p in programmes)])
        field.error_messages["invalid"] = "Programme must be one of the programmes listed"
        if not search:
            del self.fields["case_reference"]

    def clean_programme(self) -> int | None:
        value = str(self.cleaned_data.get("programme") or "")
        if value and value not in self.programme_ids:
            raise ValidationError("Programme must be one of the programmes listed")
        return self.programme_ids.get(value)

    def clean_status(self) -> str:
        value = str(self.cleaned_data.get("status") or "")
        if value not in ("", "referred", "started", "exited"):
            raise ValidationError("Status must be referred, started or exited")
        return value


IDENTIFIERS_HINT = (
    "They are turned into a pseudonym (a keyed code that cannot be reversed) as soon as you "
    "save, and are never stored."
)


class ReferralForm(JourneyForm):
    """A new participant: :func:`vrn.interventions.entry.new_participant`."""

    entry_fields = {
        "residence_postcode": "postcode",
        "residence_postcode_district": "postcode",
        "person_key": "nhs_number",
    }
    identifiers_hint = IDENTIFIERS_HINT

    programme = ChoiceTextField(label="Programme", options=fixed([]))
    case_reference = TextField(
        label="Case reference",
        help_text="Your organisation's own record number for this person: letters, digits "
        "and / _ . - only. Never a name or an NHS number.",
        css_class="govuk-input--width-20",
    )
    referral_date = DateField(label="Referral date", help_text="For example, 27 3 2024")
    referral_source = ChoiceTextField(
        label="Referral source",
        kind="select",
        options=codes("referral_source", hints=False, blank="Select where the referral came from"),
    )
    reachable_moment = ChoiceTextField(
        label="Reachable moment",
        kind="select",
        help_text="The moment of crisis or change the referral followed, if any",
        options=codes("reachable_moment", hints=False, blank="Not recorded"),
    )
    consent_status = ChoiceTextField(label="Consent", options=codes("consent_status"))
    lawful_basis = ChoiceTextField(
        label="Lawful basis for processing", options=codes("lawful_basis")
    )
    nhs_number = TextField(
        label="NHS number",
        help_text="10 digits, for example 943 476 5919. " + IDENTIFIERS_HINT,
        css_class="govuk-input--width-10",
    )
    surname = TextField(label="Surname", css_class="govuk-!-width-one-half")
    forename = TextField(label="Forename", css_class="govuk-!-width-one-half")
    date_of_birth = DateField(
        label="Date of birth",
        help_text="For example, 6 5 2007. Used for the pseudonym and the age at referral; "
        "never stored.",
    )
    person_id = TextField(
        label="Your person identifier",
        help_text="Your organisation's own identifier for the person, if you have no NHS "
        "number and no name with a date of birth",
        css_class="govuk-input--width-20",
    )
    postcode = TextField(
        label="Home postcode or postcode district",
        help_text="A full postcode (only its district, like LE1, is kept) or just the district",
        css_class="govuk-input--width-10",
    )
    residence_lsoa = TextField(
        label="Home neighbourhood (2021 LSOA code)",
        help_text="If you know it, for example E01025623",
        css_class="govuk-input--width-10",
    )
    age_at_referral = WholeNumberField(
        label="Age at referral",
        help_text="In years; only if you have not given the date of birth",
    )
    sex = ChoiceTextField(label="Sex", options=fixed(Sex.choices), kind="inline-radios")
    ethnicity = ChoiceTextField(label="Ethnicity", options=fixed(Ethnicity.choices))
    priority_groups = ChoicesField(
        label="Priority groups",
        help_text="Select all that apply",
        options=lambda: [(g.id, g.label, "") for g in reference.priorities().groups],
    )
    start_date = DateField(
        label="Start date",
        help_text="When the person started on the programme, if they have. For example, 3 4 2024",
    )

    #: The fields whose values identify the person: made into the person key, never stored
    #: (and hidden in error reports: :meth:`identifier_inputs`).
    identifier_fields = (
        "nhs_number",
        "surname",
        "forename",
        "date_of_birth",
        "person_id",
        "postcode",
    )

    @classmethod
    def identifier_inputs(cls) -> list[str]:
        """The names of the inputs the identifiers are posted in (a date's three parts)."""
        names = []
        for name in cls.identifier_fields:
            if isinstance(cls.base_fields[name], DateField):
                names += [f"{name}_{part}" for part in DATE_PARTS]
            else:
                names.append(name)
        return names

    def __init__(self, *args: Any, programmes: Sequence[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, ChoiceTextField)
        field.options = lambda: [(str(p.pk), str(p), p.summary) for p in programmes]
        if len(programmes) == 1 and not self.is_bound:
            self.initial["programme"] = str(programmes[0].pk)

    def add_entry_errors(self, errors: Mapping[str, str]) -> None:
        if "identifiers" in errors:
            self.add_error(
                "nhs_number",
                "NHS number and the other identifiers cannot be pseudonymised: the "
                "platform's pseudonym key is not set up. Ask an administrator",
            )
        super().add_entry_errors({k: v for k, v in errors.items() if k != "identifiers"})

    def programme_id(self) -> int | None:
        value = str(self.cleaned_data.get("programme") or "").strip()
        return int(value) if digits(value) and len(value) <= MAX_DIGITS else None

    def entry_values(self, programme: Programme | None) -> dict[str, Any]:
        """What :func:`~vrn.interventions.entry.new_participant` takes."""
        data = self.cleaned_data
        postcode = str(data.get("postcode") or "").strip()
        # A district is at most 4 characters (LE11); a full postcode at least 5 (M11AA).
        full = len(postcode.replace(" ", "")) > 4
        born = data.get("date_of_birth")
        values = {name: data.get(name) for name in self.fields if name not in ("postcode",)}
        values.update(
            programme=programme,
            date_of_birth=born.isoformat() if born else "",
            residence_postcode=postcode if full else "",
            residence_postcode_district="" if full else postcode,
        )
        return values


class ProgressForm(JourneyForm):
    """A start, an exit or a change of consent: :func:`~vrn.interventions.entry.update_progress`."""

    start_date = DateField(label="Start date", help_text="For example, 3 4 2024")
    exit_date = DateField(
        label="Exit date", help_text="Leave blank while the person is on the programme"
    )
    exit_reason = ChoiceTextField(
        label="Exit reason",
        kind="select",
        options=codes("exit_reason", hints=False, blank="Not exited"),
    )
    consent_status = ChoiceTextField(label="Consent", options=codes("consent_status"))

    @staticmethod
    def initial_for(participant: Participant) -> dict[str, Any]:
        return {
            "start_date": participant.start_date,
            "exit_date": participant.exit_date,
            "exit_reason": participant.exit_reason,
            "consent_status": participant.consent_status,
        }


ANSWERS = [("yes", "Yes", ""), ("no", "No", ""), ("unknown", "Not known", "")]
STAGES = [
    ("entry", "Entry", "On joining the programme"),
    ("review", "Review", "During the programme"),
    ("exit", "Exit", "On leaving the programme"),
]


class AssessmentForm(JourneyForm):
    """The checklist of risk and protective factors in force: a yes, no or not known for
    each factor, by kind and domain: :func:`~vrn.interventions.entry.new_assessment`."""

    assessed_on = DateField(
        label="Assessment date", required=True, help_text="For example, 12 3 2024"
    )
    stage = ChoiceTextField(label="Stage", options=lambda: STAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = reference.checklist()
        for factor in self.checklist.factors:
            self.fields[f"factor_{factor.id}"] = ChoiceTextField(
                label=factor.label, options=lambda: ANSWERS, kind="inline-radios", initial="unknown"
            )

    @property
    def groups(self) -> list[tuple[str, str, list[tuple[str, list[GovukBoundField]]]]]:
        """(kind id, heading, [(domain heading, fields)]) of the checklist."""
        found = []
        for kind, heading in (("risk", "Risk factors"), ("protective", "Protective factors")):
            domains = []
            for domain in DOMAINS:
                fields = [
                    self[f"factor_{f.id}"]
                    for f in self.checklist.factors
                    if f.kind == kind and f.domain == domain
                ]
                if fields:
                    title = domain.replace("_", " ").replace("and society", "and wider society")
                    domains.append((title.capitalize(), fields))
            found.append((kind, heading, domains))
        return found  # type: ignore[return-value]

    def answers(self) -> dict[str, bool]:
        """Factor id -> present, for the factors answered yes or no."""
        answers = {}
        for factor in self.checklist.factors:
            value = self.cleaned_data.get(f"factor_{factor.id}")
            if value in ("yes", "no"):
                answers[factor.id] = value == "yes"
            elif value not in ("", "unknown", None):
                self.add_error(
                    f"factor_{factor.id}", f"{factor.label} must be yes, no or not known"
                )
        return answers


class ContactForm(JourneyForm):
    contact_date = DateField(
        label="Contact date", required=True, help_text="For example, 12 3 2024"
    )
    kind = ChoiceTextField(label="Kind of contact", options=codes("contact_kind"))
    attendance = ChoiceTextField(label="Attendance", options=codes("attendance"))
    duration_minutes = WholeNumberField(label="Duration in minutes", help_text="If it took place")


class ScaleForm(JourneyForm):
    """Which scale to review on (GET): the programme's scales, or every scale."""

    scale = ChoiceTextField(label="Which scale is this review on?", options=fixed([]))

    def __init__(self, *args: Any, scale_ids: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scale_ids = list(scale_ids)
        scales = reference.scales()
        field = self.fields["scale"]
        assert isinstance(field, ChoiceTextField)
        field.options = lambda: [
            (
                scale.id,
                scale.label,
                f"{scale.perspective.replace('_', ' ').capitalize()}; {len(scale.areas)} areas "
                f"scored {scale.minimum} to {scale.maximum}",
            )
            for scale in scales.scales
            if scale.id in self.scale_ids
        ]

    def clean_scale(self) -> str:
        value = str(self.cleaned_data.get("scale") or "")
        if value not in self.scale_ids:
            raise ValidationError("Select the scale this review is on")
        return value


class ReviewForm(JourneyForm):
    """A distance-travelled review on one scale: a score for each of its areas:
    :func:`~vrn.interventions.entry.new_review`."""

    review_date = DateField(label="Review date", required=True, help_text="For example, 12 3 2024")

    def __init__(self, *args: Any, scale_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scale = reference.scales().scale(scale_id)
        for area in self.scale.areas:
            self.fields[f"score_{area.id}"] = TextField(
                label=area.label,
                kind="number",
                css_class="govuk-input--width-3",
                help_text=f"{area.description} A score from {self.scale.minimum} to "
                f"{self.scale.maximum}; leave blank if not scored.",
                max_length=20,
            )

    @property
    def areas(self) -> list[GovukBoundField]:
        return [self[f"score_{area.id}"] for area in self.scale.areas]  # type: ignore[misc]

    def scores(self) -> dict[str, str]:
        return {
            area.id: str(self.cleaned_data.get(f"score_{area.id}") or "").strip()
            for area in self.scale.areas
        }

    def add_entry_errors(self, errors: Mapping[str, str]) -> None:
        scores = {}
        for name, message in errors.items():
            if name.startswith("scores."):
                scores[f"score_{name.removeprefix('scores.')}"] = message
            elif name == "scores":
                self.add_error(f"score_{self.scale.areas[0].id}", f"The review {message}")
        super().add_entry_errors(
            {k: v for k, v in errors.items() if not k.startswith("scores")} | scores
        )


class OutcomeForm(JourneyForm):
    kind = ChoiceTextField(
        label="Outcome",
        kind="select",
        options=codes("outcome_kind", hints=False, blank="Select the outcome"),
    )
    outcome_date = DateField(
        label="Outcome date", required=True, help_text="For example, 12 3 2024"
    )
    evidence = ChoiceTextField(label="Evidence", options=codes("evidence_kind"))


class NoteForm(JourneyForm):
    text = TextField(
        label="Case note",
        kind="textarea",
        help_text="Only caseworkers of your organisation (or only you) can read it; it is "
        "never exported. Up to 5,000 characters.",
    )
    visibility = ChoiceTextField(
        label="Who can read it",
        options=fixed(CaseNote.Visibility.choices),
        initial=CaseNote.Visibility.PROVIDER,
    )


def _priority_groups() -> Options:
    return [(group.id, group.label, "") for group in reference.priorities().groups]


def _priority_areas() -> Options:
    return [(area.id, area.name, "") for area in reference.priorities().areas]


def _scales() -> Options:
    return [(scale.id, scale.label, "") for scale in reference.scales().scales]


def _approaches() -> Options:
    found = [(approach.id, approach.label, "") for approach in reference.evidence().approaches]
    return [("", "None", ""), *found]


class ProgrammeForm(JourneyForm):
    """A programme's facts, for a programme manager: checked by
    :func:`~vrn.interventions.programmes.programme_values`, the check of the programme
    files too."""

    name = TextField(label="Name")
    # Not "summary": a form's summary is its error summary.
    what_it_does = TextField(label="What it does", kind="textarea")
    prevention_level = ChoiceTextField(label="Prevention level", options=codes("prevention_level"))
    life_course_stages = ChoicesField(
        label="Life-course stages", options=codes("life_course_stage", hints=False)
    )
    target_groups = ChoicesField(label="Priority groups it targets", options=_priority_groups)
    target_areas = ChoicesField(label="Priority areas it targets", options=_priority_areas)
    strategy_actions = TextField(
        label="Response Strategy actions it delivers",
        kind="textarea",
        help_text="One action a line, as the strategy words it",
    )
    evidence_approach = ChoiceTextField(
        label="YEF Toolkit approach", kind="select", options=_approaches
    )
    board_sponsor = TextField(label="Board sponsor")
    funder = TextField(label="Funder")
    funding = WholeNumberField(label="Funding for the period (£)")
    period_start = DateField(label="Start of the funded period", help_text="For example, 1 4 2024")
    period_end = DateField(label="End of the funded period", help_text="Leave blank if open")
    capacity = WholeNumberField(label="Capacity (participants over the period)")
    scales = ChoicesField(label="Distance-travelled scales it uses", options=_scales)
    linkage_agreement = TextField(
        label="Information-sharing agreement for matching",
        help_text=(
            "The agreement that allows matching participants' pseudonyms to police and ED "
            "data (re-offending and re-attendance). Leave blank if there is none."
        ),
    )

    @staticmethod
    def initial_for(programme: Programme) -> dict[str, Any]:
        return {
            "name": programme.name,
            "what_it_does": programme.summary,
            "prevention_level": programme.prevention_level,
            "life_course_stages": programme.life_course_stages,
            "target_groups": programme.target_groups,
            "target_areas": programme.target_areas,
            "strategy_actions": "\n".join(programme.strategy_actions),
            "evidence_approach": programme.evidence_approach,
            "board_sponsor": programme.board_sponsor,
            "funder": programme.funder,
            "funding": None if programme.funding is None else int(programme.funding),
            "period_start": programme.period_start,
            "period_end": programme.period_end,
            "capacity": programme.capacity,
            "scales": programme.scales,
            "linkage_agreement": programme.linkage_agreement,
        }

    def entry(self, programme: Programme) -> dict[str, Any]:
        """The programme-file entry these answers make (the provider is the programme's)."""
        data = self.cleaned_data
        provider = programme.provider
        return {
            "code": programme.code,
            "provider": {"code": provider.code, "name": provider.name, "kind": provider.kind},
            **{
                key: value
                for key, value in data.items()
                if key not in ("strategy_actions", "what_it_does")
            },
            "summary": data["what_it_does"],
            "strategy_actions": [
                line.strip()
                for line in (data["strategy_actions"] or "").splitlines()
                if line.strip()
            ],
            "synthetic": programme.synthetic,
        }
