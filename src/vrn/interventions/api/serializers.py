"""What the API reads and writes. Serializers parse types only (dates, numbers, text);
what a value means (a code in force, dates in order, scores in range) is checked by
``vrn.interventions.entry``, whose errors the views map onto the same fields.

Codes are parsed as text (:class:`CodeField`); the schema lists the codes in force for
each (``schema.py``), so a deployment's own definitions show in its schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rest_framework import serializers

from vrn.accounts.roles import PERSON_LEVEL_PERMISSION
from vrn.interventions import reference
from vrn.interventions.models import CASE_REFERENCE_PATTERN, Ethnicity, Participant, Sex

#: What a JSON object key of the API may be: a code, never free text.
MAXIMUM_KEY_LENGTH = 64


def _code_list(name: str) -> Callable[[], Sequence[str]]:
    def codes() -> Sequence[str]:
        return reference.codes().ids(name)

    codes.__doc__ = f"the {name.replace('_', ' ')} codes (intervention-codes)"
    return codes


def priority_groups() -> Sequence[str]:
    """the priority group ids (priorities)"""
    return [group.id for group in reference.priorities().groups]


def scale_ids() -> Sequence[str]:
    """the distance-travelled scale ids (distance-scales)"""
    return reference.scales().ids


def scale_areas() -> Sequence[str]:
    """the areas of every distance-travelled scale (distance-scales)"""
    return list(dict.fromkeys(a.id for s in reference.scales().scales for a in s.areas))


def factor_ids() -> Sequence[str]:
    """the risk and protective factor ids (risk-factors)"""
    return reference.checklist().ids


def sexes() -> Sequence[str]:
    """the sex codes"""
    return list(Sex.values)


def ethnicities() -> Sequence[str]:
    """the ethnicity groups"""
    return list(Ethnicity.values)


def stages() -> Sequence[str]:
    """the assessment stages"""
    return ["entry", "review", "exit"]


def visibilities() -> Sequence[str]:
    """who may read a case note"""
    return ["provider", "author"]


ACCESS_PURPOSES = _code_list("access_purpose")


class CodeField(serializers.CharField):  # type: ignore[misc]
    """A code from a list in force (``codes``): read as text, checked by ``entry``."""

    def __init__(self, codes: Callable[[], Sequence[str]], **kwargs: Any) -> None:
        self.codes = codes
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


class KeyedField(serializers.DictField):  # type: ignore[misc]
    """A JSON object whose keys are codes (``keys``: the codes in force)."""

    def __init__(self, keys: Callable[[], Sequence[str]], **kwargs: Any) -> None:
        self.keys = keys
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if len(key) > MAXIMUM_KEY_LENGTH or not key.isprintable():
                    raise serializers.ValidationError(
                        f"has a key that is not a code (printable, at most "
                        f"{MAXIMUM_KEY_LENGTH} characters)"
                    )
        return super().to_internal_value(data)


class Input(serializers.Serializer):  # type: ignore[misc]
    """A request body: a field the endpoint does not take is refused, not ignored (a
    misspelt field would otherwise be lost without a word)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [str(key) for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError(
                    {
                        key[:MAXIMUM_KEY_LENGTH]: ["is not a field of this endpoint"]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


class CaseReferenceField(serializers.CharField):  # type: ignore[misc]
    """A provider's record number: text here (``entry`` checks its form); the schema
    gives its pattern."""

    pattern = f"^{CASE_REFERENCE_PATTERN}$"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)


# --- Programmes -------------------------------------------------------------------------


class ProgrammeSerializer(serializers.Serializer):  # type: ignore[misc]
    """A funded intervention: facts about the programme, nothing about any person."""

    code = serializers.CharField(help_text="the programme's short code, e.g. VIP")
    name = serializers.CharField()
    provider = serializers.CharField(source="provider.code", help_text="the provider's code")
    provider_name = serializers.CharField(source="provider.name")
    summary = serializers.CharField()
    prevention_level = serializers.CharField()
    life_course_stages = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.ListField(child=serializers.CharField())
    target_areas = serializers.ListField(child=serializers.CharField())
    strategy_actions = serializers.ListField(child=serializers.CharField())
    evidence_approach = serializers.CharField()
    board_sponsor = serializers.CharField()
    funder = serializers.CharField()
    funding = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="£ for the period"
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    scales = serializers.ListField(child=serializers.CharField())
    synthetic = serializers.BooleanField()


# --- Participants -----------------------------------------------------------------------


def shows_person_key(context: Mapping[str, Any]) -> bool:
    """Whether the caller sees person keys: only with person-level access (the network's
    analysts), never by default (no caller known: not shown)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(
        user is not None and user.is_authenticated and user.has_perm(PERSON_LEVEL_PERMISSION)
    )


class ParticipantSerializer(serializers.Serializer):  # type: ignore[misc]
    """A participant as the API shows them. ``case_reference`` only to a caseworker of the
    holding provider; ``person_key`` (the keyed pseudonym that links records across
    partners' data) only to the network's analysts (person-level access,
    :func:`shows_person_key`): not to a programme manager, nor to a caseworker."""

    id = serializers.IntegerField(help_text="the platform's number for the participant")
    programme = serializers.CharField(source="programme.code")
    provider = serializers.CharField(source="provider.code")
    case_reference = serializers.CharField(
        required=False, help_text="the provider's own record number (holding provider only)"
    )
    person_key = serializers.CharField(
        required=False,
        help_text="the keyed pseudonym, or empty (the network's analysts only)",
    )
    key_basis = serializers.CharField(help_text="how the person key was made: nhs, name, ...")
    referral_date = serializers.DateField()
    referral_source = serializers.CharField()
    reachable_moment = serializers.CharField()
    consent_status = serializers.CharField()
    lawful_basis = serializers.CharField()
    age_at_referral = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    ethnicity = serializers.CharField()
    priority_groups = serializers.ListField(child=serializers.CharField())
    residence_postcode_district = serializers.CharField()
    residence_lsoa21_code = serializers.CharField()
    residence_local_authority_code = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    exit_date = serializers.DateField(allow_null=True)
    exit_reason = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="open, or exited")
    synthetic = serializers.BooleanField()
    recorded_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, participant: Participant) -> str:
        return "exited" if participant.exit_date is not None else "open"

    def to_representation(self, participant: Participant) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(participant)
        if self.context.get("shows_case_reference", {}).get(participant.pk):
            del data["person_key"]
        else:
            del data["case_reference"]
            if not shows_person_key(self.context):
                del data["person_key"]
        return data


#: The identifiers a referral may give: made into the person key, never stored or shown.
IDENTIFIER_FIELDS = (
    "nhs_number",
    "surname",
    "forename",
    "date_of_birth",
    "person_id",
    "residence_postcode",
    "residence_postcode_district",
)


class ReferralSerializer(Input):
    """A referral: the participant's record and the identifiers their person key is made
    from (write-only: replaced by the key, never stored, never returned)."""

    programme = serializers.CharField(max_length=16, help_text="the programme's code")
    case_reference = CaseReferenceField(
        help_text="your own record number: letters, digits and / _ . - (never a name)"
    )
    referral_date = serializers.DateField()
    referral_source = CodeField(_code_list("referral_source"))
    reachable_moment = CodeField(_code_list("reachable_moment"), required=False, allow_blank=True)
    consent_status = CodeField(_code_list("consent_status"))
    lawful_basis = CodeField(_code_list("lawful_basis"))
    age_at_referral = serializers.IntegerField(required=False, allow_null=True)
    sex = CodeField(sexes, required=False)
    ethnicity = CodeField(ethnicities, required=False)
    priority_groups = serializers.ListField(
        child=CodeField(priority_groups), required=False, max_length=50
    )
    residence_lsoa = serializers.CharField(
        required=False, allow_blank=True, max_length=9, help_text="2021 LSOA code"
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    nhs_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=20
    )
    surname = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100
    )
    forename = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100
    )
    date_of_birth = serializers.DateField(write_only=True, required=False, allow_null=True)
    person_id = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="your own number for the person (links only your records)",
    )
    residence_postcode = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="reduced to its district",
    )
    residence_postcode_district = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=4
    )

    def entry_values(self) -> dict[str, Any]:
        """The validated values as ``entry.new_participant`` takes them (the programme
        still a code)."""
        values = dict(self.validated_data)
        if values.get("date_of_birth") is not None:
            values["date_of_birth"] = values["date_of_birth"].isoformat()
        return values


class ProgressSerializer(Input):
    """A start, an exit (date and reason) or a change of consent; only the fields given
    change."""

    start_date = serializers.DateField(required=False, allow_null=True)
    exit_date = serializers.DateField(required=False, allow_null=True)
    exit_reason = CodeField(_code_list("exit_reason"), required=False, allow_blank=True)
    consent_status = CodeField(_code_list("consent_status"), required=False)


# --- Journey records --------------------------------------------------------------------


class RecordSerializer(serializers.Serializer):  # type: ignore[misc]
    """What every journey record shows: its number, the participant's, when recorded."""

    id = serializers.IntegerField()
    participant = serializers.SerializerMethodField(help_text="the participant's number")
    recorded_at = serializers.DateTimeField(allow_null=True)

    def get_participant(self, record: Any) -> int:
        participant_id: int = self.context["participant_id"]
        return participant_id


class ContactSerializer(RecordSerializer):
    """A session or contact offered, and whether it happened."""

    contact_date = serializers.DateField()
    kind = serializers.CharField()
    attendance = serializers.CharField()
    duration_minutes = serializers.IntegerField(allow_null=True)


class NewContactSerializer(Input):
    """A contact: an attended one cannot be in the future."""

    contact_date = serializers.DateField()
    kind = CodeField(_code_list("contact_kind"))
    attendance = CodeField(_code_list("attendance"))
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)


class AssessmentSerializer(RecordSerializer):
    """An assessment of need: the factors present, scored."""

    assessed_on = serializers.DateField()
    stage = serializers.CharField()
    answers = serializers.DictField(
        child=serializers.BooleanField(allow_null=True),
        help_text="factor id -> present (true), absent (false) or not known (null)",
    )
    risk_score = serializers.FloatField()
    protective_score = serializers.FloatField()
    checklist = serializers.CharField(help_text="the checklist's definition")


class NewAssessmentSerializer(Input):
    """An assessment: each factor of the checklist in force present or not."""

    assessed_on = serializers.DateField()
    stage = CodeField(stages, required=False, default="entry")
    answers = KeyedField(
        factor_ids,
        child=serializers.BooleanField(allow_null=True),
        help_text="factor id -> present (true), absent (false) or unknown (null)",
    )


class ReviewSerializer(RecordSerializer):
    """A distance-travelled review on one scale."""

    review_date = serializers.DateField()
    scale = serializers.CharField()
    perspective = serializers.CharField(help_text="self_report or practitioner")
    scores = serializers.DictField(child=serializers.FloatField(), help_text="area id -> score")
    mean_score = serializers.FloatField()


class NewReviewSerializer(Input):
    """A review: a score for each area of the scale given (at least one)."""

    review_date = serializers.DateField()
    scale = CodeField(scale_ids)
    scores = KeyedField(
        scale_areas,
        child=serializers.FloatField(allow_null=True),
        help_text="area id -> score, for areas of the scale (null or left out: not scored)",
    )


class OutcomeSerializer(RecordSerializer):
    """A confirmed outcome, with its evidence."""

    kind = serializers.CharField()
    outcome_date = serializers.DateField()
    evidence = serializers.CharField()
    verified = serializers.BooleanField()


class NewOutcomeSerializer(Input):
    """An outcome and its evidence."""

    kind = CodeField(_code_list("outcome_kind"))
    outcome_date = serializers.DateField()
    evidence = CodeField(_code_list("evidence_kind"))


class CaseNoteSerializer(RecordSerializer):
    """A case note: seen only by the provider's caseworkers (or only its author)."""

    text = serializers.CharField()
    visibility = serializers.CharField(help_text="provider, or author (only its author)")
    recorded_by = serializers.CharField()


class NewCaseNoteSerializer(Input):
    """A case note: never shown to the network, never exported."""

    text = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
    visibility = CodeField(visibilities, required=False, default="provider")


# --- Query parameters -------------------------------------------------------------------


class PurposeQuery(serializers.Serializer):  # type: ignore[misc]
    """Why the caller reads participant records."""

    purpose = CodeField(
        ACCESS_PURPOSES,
        help_text="why you are reading these records (recorded in the audit trail)",
    )

    def validate_purpose(self, value: str) -> str:
        codes = ACCESS_PURPOSES()
        if value not in codes:
            raise serializers.ValidationError("must be one of " + ", ".join(codes))
        return value


class ParticipantQuery(PurposeQuery):
    """The filters of the participant list: each narrows what the caller may see."""

    programme = serializers.CharField(
        required=False, max_length=16, help_text="only this programme's participants (code)"
    )
    provider = serializers.CharField(
        required=False, max_length=32, help_text="only this provider's participants (code)"
    )
    referred_from = serializers.DateField(required=False, help_text="referred on or after")
    referred_to = serializers.DateField(required=False, help_text="referred on or before")
    status = serializers.ChoiceField(
        choices=["open", "exited"],
        required=False,
        help_text="open (no exit date) or exited",
    )
    case_reference = serializers.CharField(
        required=False,
        max_length=40,
        help_text="your own record number (caseworkers of the holding provider only)",
    )
