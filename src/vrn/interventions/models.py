"""Programmes, participants and every record of a participant's journey.

Codes (prevention level, referral source, outcome kind, ...) are validated against the
definition files (``vrn.definitions``: intervention-codes, risk-factors, distance-scales,
evidence-ratings) where records are made, not by database choices, so a deployment's
own lists need no migration.

A participant is known by the organisation holding the record (``provider``) and that
organisation's ``case_reference``; every journey record carries the same pair rather than
a foreign key, like a police extract's people and crimes. So a corrected bulk file that
replaces participants (the one ingest pipeline replaces whole loads) never deletes the
contacts, reviews or outcomes recorded for them, and every table is scoped to a
caseworker's organisation by the same ``provider`` filter. Rows entered through the web
forms or the API have no ``load``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from vrn.accounts.models import Organisation
from vrn.ingest.models import FileLoad
from vrn.ingest.pseudonymise import KeyBasis

# The police extract's codes: the same person's sex and ethnicity read alike everywhere.
from vrn.police.models import Ethnicity as Ethnicity
from vrn.police.models import Sex as Sex

#: A case reference: the provider's own record number, never a name or an NHS number.
CASE_REFERENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}"


class Programme(models.Model):
    """A funded intervention, delivered by one provider organisation."""

    code = models.SlugField(max_length=16, unique=True, help_text="short code, e.g. VIP")
    name = models.CharField(max_length=200)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    summary = models.TextField(blank=True)
    prevention_level = models.CharField(max_length=32, help_text="intervention-codes")
    life_course_stages = models.JSONField(default=list, blank=True)
    target_groups = models.JSONField(
        default=list, blank=True, help_text="priority group ids (priorities)"
    )
    target_areas = models.JSONField(
        default=list, blank=True, help_text="priority area ids (priorities)"
    )
    strategy_actions = models.JSONField(
        default=list, blank=True, help_text="the Response Strategy actions it delivers"
    )
    evidence_approach = models.CharField(
        max_length=64, blank=True, help_text="YEF Toolkit approach id (evidence-ratings)"
    )
    board_sponsor = models.CharField(max_length=200, blank=True)
    funder = models.CharField(max_length=200, blank=True)
    funding = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="£ for the period"
    )
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="participants the funding is for, over the period"
    )
    scales = models.JSONField(
        default=list, blank=True, help_text="distance-travelled scale ids (distance-scales)"
    )
    linkage_agreement = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "the information-sharing agreement that allows matching participants' pseudonyms "
            "to police and ED data (re-offending, re-attendance); blank: no matching"
        ),
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        permissions = [
            ("view_intervention_records", "Can view pseudonymised participant records"),
            ("view_intervention_reports", "Can view exact intervention reports"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="programme_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Recorded(models.Model):
    """What every participant record has: who holds it, where it came from."""

    # No index of its own: every table's (provider, case_reference) index leads with it. A
    # second index on provider alone tempts SQLite's planner (without ANALYZE) to scan all
    # of a provider's contacts to find one participant's.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case_reference = models.CharField(max_length=40)
    #: The bulk file it was loaded from; None when entered through a form or the API.
    load = models.ForeignKey(
        FileLoad, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    line_number = models.PositiveIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Participant(Recorded):
    """A person referred to a programme: pseudonymised at entry, never named."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participants")
    person_key = models.CharField(max_length=64, blank=True)
    key_basis = models.CharField(max_length=5, choices=KeyBasis.CHOICES, blank=True)
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=40)
    reachable_moment = models.CharField(max_length=40, blank=True)
    consent_status = models.CharField(max_length=24)
    lawful_basis = models.CharField(max_length=32)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(
        max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    priority_groups = models.JSONField(default=list, blank=True)
    residence_postcode_district = models.CharField(max_length=4, blank=True)
    residence_lsoa21_code = models.CharField(max_length=9, blank=True)
    residence_local_authority_code = models.CharField(max_length=9, blank=True)
    start_date = models.DateField(null=True, blank=True)
    exit_date = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "case_reference"], name="participant_case_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("referral_date")),
                name="participant_start_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("referral_date")),
                name="participant_exit_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | ~Q(exit_reason=""),
                name="participant_exit_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "referral_date"]),
            models.Index(fields=["person_key"]),
            # A caseworker's list: their organisation's participants, a page at a time.
            models.Index(fields=["provider", "id"], name="participant_provider_page"),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Assessment(Recorded):
    """The assessment of need: which risk and protective factors are present, scored."""

    assessed_on = models.DateField()
    stage = models.CharField(max_length=8, default="entry", help_text="entry, review or exit")
    answers = models.JSONField(default=dict, help_text="factor id -> present (risk-factors)")
    risk_score = models.FloatField()
    protective_score = models.FloatField()
    checklist = models.CharField(max_length=80, help_text="the checklist's definition id")

    class Meta:
        indexes = [models.Index(fields=["provider", "case_reference"])]


class Contact(Recorded):
    """A session or contact offered to a participant, and whether it happened."""

    contact_date = models.DateField()
    kind = models.CharField(max_length=32)
    attendance = models.CharField(max_length=32)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["provider", "case_reference"]),
            models.Index(fields=["contact_date"]),
        ]


class Review(Recorded):
    """One distance-travelled review on one scale: a score per area of the scale."""

    review_date = models.DateField()
    scale = models.CharField(max_length=64)
    perspective = models.CharField(max_length=16, help_text="self_report or practitioner")
    scores = models.JSONField(help_text="area id -> score")
    mean_score = models.FloatField(help_text="the mean of the area scores")

    class Meta:
        indexes = [
            models.Index(fields=["provider", "case_reference"]),
            models.Index(fields=["scale", "review_date"]),
        ]


class Outcome(Recorded):
    """A confirmed outcome, with its evidence."""

    kind = models.CharField(max_length=48)
    outcome_date = models.DateField()
    evidence = models.CharField(max_length=48)
    verified = models.BooleanField(help_text="the evidence kind counts as verified")

    class Meta:
        indexes = [models.Index(fields=["provider", "case_reference"])]


class CaseNote(Recorded):
    """Free text about a participant: seen only by its provider's caseworkers (or only its
    author), never by the network, never exported, never loaded from files."""

    class Visibility(models.TextChoices):
        PROVIDER = "provider", "Caseworkers of this organisation"
        AUTHOR = "author", "Only the author"

    text = models.TextField(max_length=5000)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PROVIDER
    )

    class Meta:
        indexes = [models.Index(fields=["provider", "case_reference"])]
