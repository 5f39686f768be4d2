"""The planted intervention programmes: who is referred, how journeys go, what changes.

Three programmes, as the VRN's news item on its funded interventions names them (seed
document 003) and the Response Strategy's priorities 3-5 plan them: the Violence
Intervention Project (VIP, Turning Point, youth workers in Leicester Royal Infirmary's
A&E), Mentors in Violence Prevention (MVP, secondary schools) and Unlocking Potential (UP,
Leicestershire Cares, education, training and employment). Every rate, duration and
effect below is our assumption, chosen to look like such programmes; none is a published
figure. Codes are ids of the definition files (intervention-codes, priorities,
risk-factors); an id the definitions in use do not have is left out with a note, so a
deployment's own definitions never break a world (``vrn.synth.journeys``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: ``(id, weight)`` pairs: a categorical choice among code ids.
Weights = tuple[tuple[str, float], ...]
#: ``(id, share)`` pairs: independent yes/no draws.
Shares = tuple[tuple[str, float], ...]

#: Seed document 003 (news item "VRN marks two year anniversary").
NEWS = "VRN news item 'VRN marks two year anniversary' (seed document 003)"
STRATEGY = "LLR VRN Response Strategy 2020/21"


@dataclass(frozen=True)
class ScaleEffect:
    """Distance travelled on one scale: reviews on the first scale of the distance-scales
    definition with ``perspective``.

    A participant's latent level is ``baseline ~ N(baseline_mean, baseline_sd)``; their
    change ``~ N(change, change_sd)``. The review at fraction ``f`` of the way from their
    first to their last review (``f = j / (m - 1)`` for the ``j``-th of ``m`` reviews)
    scores each area ``clip(round(baseline + f * change + N(0, noise_sd)))`` within the
    scale's range, so the last review shows the whole change.
    """

    perspective: str
    #: Share of starters reviewed on this scale.
    share_reviewed: float
    baseline_mean: float
    baseline_sd: float
    #: The planted mean change of the latent level, first to last review (scale points).
    change: float
    change_sd: float
    noise_sd: float


@dataclass(frozen=True)
class OutcomeRate:
    """A confirmed outcome: its probability for a starter who completed the programme and
    for one who did not. With ``requires``, the rates are given that outcome (which comes
    ``lag_days`` before this one), e.g. sustained employment after entering employment."""

    kind: str
    completed: float
    not_completed: float
    evidence: Weights
    requires: str | None = None
    lag_days: int = 0


@dataclass(frozen=True)
class ProgrammeSpec:
    """One programme's planted journeys (every number our assumption)."""

    code: str
    name: str
    provider_code: str
    provider_name: str
    #: Case references are ``<case_prefix>-000123``.
    case_prefix: str
    #: ``ed_attendees``: referred from the world's ED assault attendances (on the day of
    #: the attendance, aged within ``ages``); ``community``: new people.
    cohort: str
    ages: tuple[int, int]
    #: ``community``: expected referrals per 100,000 crimes of the world.
    referrals_per_100k_crimes: float
    #: ``ed_attendees``: P(referred | an attendance of someone aged within ``ages``).
    ed_referral_share: float
    #: ``community``: share of participants who are male (the rest female).
    male_share: float
    referral_sources: Weights
    reachable_moments: Weights
    consent_status: str
    lawful_basis: str
    #: The lawful basis recorded once a participant has withdrawn consent.
    lawful_basis_after_withdrawal: str
    #: Priority groups that need partner data to pick out (sex and age groups are set
    #: from the participant's sex and age by the priorities definition).
    priority_group_shares: Shares
    #: ``community``: relative weight of residents of these priority areas (others 1).
    area_weights: Weights
    #: ``community``: referrals only on school days (weekdays outside August).
    school_days: bool
    #: P(start | referral).
    conversion: float
    start_delay_days: tuple[int, int]
    #: P(completed | start).
    completion: float
    completed_days: tuple[int, int]
    not_completed_days: tuple[int, int]
    #: Exit reasons of starters who do not complete, and of referrals that never start.
    exit_reasons: Weights
    not_started_exit_reasons: Weights
    #: Days after the referral that a referral that never starts is closed.
    not_started_close_days: tuple[int, int]
    contact_interval_days: int
    contact_kinds: Weights
    #: P(a contact did not happen) for completers and for the others.
    missed_share_completed: float
    missed_share_not_completed: float
    #: How a contact that did not happen is recorded (attendance codes not attended).
    missed_attendance: Weights
    duration_minutes: tuple[int, int]
    #: Reviews planned per starter (at even steps over the planned duration; those after
    #: an early exit are not held).
    reviews: tuple[int, int]
    scales: tuple[ScaleEffect, ...]
    #: P(factor present) at the entry assessment: by kind, and per factor id.
    risk_factor_share: float
    protective_factor_share: float
    factor_shares: Shares
    outcomes: tuple[OutcomeRate, ...]
    #: Outcomes fall this many days after the start (uniformly), before any lag.
    outcome_days: tuple[int, int]
    #: ``ed_attendees``: P(another ED assault attendance within 12 months) for starters
    #: (the others have :attr:`Parameters.ed_reattendance_share`).
    reattendance_share_started: float | None
    source: str

    @property
    def follow_up_days(self) -> int:
        """Days after a referral by which every event of its journey has happened."""
        lag = max((outcome.lag_days for outcome in self.outcomes), default=0)
        after_start = max(
            self.completed_days[1], self.not_completed_days[1], self.outcome_days[1] + lag
        )
        return max(self.start_delay_days[1] + after_start, self.not_started_close_days[1])


_SELF, _PRACTITIONER = "self_report", "practitioner"
_EMPLOYMENT_EVIDENCE: Weights = (
    ("employer_or_college_confirmation", 0.55),
    ("document_seen", 0.3),
    ("participant_report", 0.15),
)
_EDUCATION_EVIDENCE: Weights = (
    ("employer_or_college_confirmation", 0.6),
    ("document_seen", 0.25),
    ("participant_report", 0.15),
)
_NON_ATTENDANCE: Weights = (
    ("did_not_attend", 0.7),
    ("cancelled_by_participant", 0.2),
    ("cancelled_by_provider", 0.1),
)

VIP = ProgrammeSpec(
    code="VIP",
    name="Violence Intervention Project",
    provider_code="turning-point",
    provider_name="Turning Point",
    case_prefix="TP",
    cohort="ed_attendees",
    ages=(11, 24),
    referrals_per_100k_crimes=0.0,
    ed_referral_share=0.15,
    male_share=0.0,
    referral_sources=(("emergency_department", 1.0),),
    reachable_moments=(("ae_attendance", 1.0),),
    consent_status="given",
    lawful_basis="consent",
    lawful_basis_after_withdrawal="legitimate_interests",
    priority_group_shares=(
        ("at_risk_of_exploitation", 0.3),
        ("victims_of_exploitation", 0.1),
        ("absent_or_excluded", 0.25),
        ("looked_after", 0.08),
        ("substance_misuse_not_in_treatment", 0.2),
        ("neurodevelopmental_conditions", 0.12),
        ("exposed_to_aces", 0.35),
    ),
    area_weights=(),
    school_days=False,
    conversion=0.65,
    start_delay_days=(0, 14),
    completion=0.55,
    completed_days=(70, 180),
    not_completed_days=(7, 90),
    exit_reasons=(
        ("partially_completed", 0.25),
        ("disengaged", 0.4),
        ("moved_away", 0.08),
        ("referred_on", 0.12),
        ("in_custody", 0.05),
        ("withdrew_consent", 0.07),
        ("other", 0.03),
    ),
    not_started_exit_reasons=(
        ("disengaged", 0.6),
        ("withdrew_consent", 0.25),
        ("referred_on", 0.1),
        ("moved_away", 0.05),
    ),
    not_started_close_days=(14, 42),
    contact_interval_days=7,
    contact_kinds=(
        ("one_to_one", 0.65),
        ("phone_or_online", 0.2),
        ("outreach", 0.1),
        ("multi_agency_meeting", 0.05),
    ),
    missed_share_completed=0.12,
    missed_share_not_completed=0.35,
    missed_attendance=_NON_ATTENDANCE,
    duration_minutes=(30, 90),
    reviews=(2, 4),
    scales=(
        ScaleEffect(_SELF, 1.0, 4.5, 1.2, 1.5, 1.0, 1.0),
        ScaleEffect(_PRACTITIONER, 1.0, 2.4, 0.6, 0.8, 0.5, 0.6),
    ),
    risk_factor_share=0.3,
    protective_factor_share=0.3,
    factor_shares=(
        ("pro_offending_attitude_or_involvement", 0.45),
        ("delinquent_peers_or_gang_membership", 0.45),
        ("early_substance_misuse", 0.35),
        ("exposure_to_family_violence", 0.4),
        ("adverse_childhood_experiences", 0.5),
    ),
    outcomes=(
        OutcomeRate("no_further_offending_reported", 0.45, 0.15, (("partner_system_record", 1.0),)),
        OutcomeRate("entered_education", 0.15, 0.05, _EDUCATION_EVIDENCE),
        OutcomeRate("entered_training", 0.15, 0.05, _EDUCATION_EVIDENCE),
        OutcomeRate("entered_employment", 0.12, 0.04, _EMPLOYMENT_EVIDENCE),
        OutcomeRate(
            "engaged_substance_misuse_treatment",
            0.15,
            0.05,
            (("partner_system_record", 0.8), ("participant_report", 0.2)),
        ),
    ),
    outcome_days=(14, 180),
    reattendance_share_started=0.20,
    source=f"{NEWS}: 'it engages young people in Leicester Royal Infirmary's A&E with "
    "violence related injuries', delivered by Turning Point; "
    f"{STRATEGY}, Priority 5 action 3: 'Continuing the Violence Intervention Project (VIP) in "
    "the Emergency department'. Rates, durations and effects: our assumption",
)

MVP = ProgrammeSpec(
    code="MVP",
    name="Mentors in Violence Prevention",
    provider_code="mvp-schools",
    provider_name="LLR schools MVP team",
    case_prefix="MVP",
    cohort="community",
    ages=(12, 16),
    referrals_per_100k_crimes=800.0,
    ed_referral_share=0.0,
    male_share=0.5,
    referral_sources=(("school", 1.0),),
    reachable_moments=(("none", 1.0),),
    consent_status="not_required",
    lawful_basis="public_task",
    lawful_basis_after_withdrawal="public_task",
    priority_group_shares=(
        ("absent_or_excluded", 0.1),
        ("looked_after", 0.03),
        ("neurodevelopmental_conditions", 0.08),
        ("exposed_to_aces", 0.15),
    ),
    area_weights=(("leicester_csp", 2.0), ("charnwood_csp", 1.5)),
    school_days=True,
    conversion=0.92,
    start_delay_days=(0, 21),
    completion=0.82,
    completed_days=(42, 84),
    not_completed_days=(7, 42),
    exit_reasons=(
        ("partially_completed", 0.5),
        ("disengaged", 0.2),
        ("moved_away", 0.15),
        ("other", 0.15),
    ),
    not_started_exit_reasons=(("other", 0.5), ("disengaged", 0.3), ("moved_away", 0.2)),
    not_started_close_days=(7, 28),
    contact_interval_days=7,
    contact_kinds=(("group_session", 0.9), ("one_to_one", 0.1)),
    missed_share_completed=0.06,
    missed_share_not_completed=0.25,
    missed_attendance=(
        ("did_not_attend", 0.5),
        ("cancelled_by_provider", 0.3),
        ("cancelled_by_participant", 0.2),
    ),
    duration_minutes=(50, 60),
    reviews=(2, 3),
    scales=(
        ScaleEffect(_SELF, 1.0, 6.0, 1.2, 0.6, 0.8, 1.0),
        ScaleEffect(_PRACTITIONER, 0.25, 3.4, 0.6, 0.3, 0.4, 0.5),
    ),
    risk_factor_share=0.1,
    protective_factor_share=0.55,
    factor_shares=(("bullying", 0.2),),
    outcomes=(
        OutcomeRate(
            "improved_school_attendance",
            0.25,
            0.1,
            (("partner_system_record", 0.8), ("document_seen", 0.2)),
        ),
    ),
    outcome_days=(28, 120),
    reattendance_share_started=None,
    source=f"{NEWS}: 'trains young people in secondary schools as mentors'; {STRATEGY}, "
    "Priority 3 action 4: 'investing in evidence-informed programmes aimed at preventing "
    "bullying and early onset of violence, including Community Mentors in Violence "
    "Prevention'. The seeds name no delivery organisation: 'LLR schools MVP team' is "
    "illustrative. Rates, durations and effects: our assumption",
)

UP = ProgrammeSpec(
    code="UP",
    name="Unlocking Potential",
    provider_code="leicestershire-cares",
    provider_name="Leicestershire Cares",
    case_prefix="LC",
    cohort="community",
    ages=(16, 24),
    referrals_per_100k_crimes=300.0,
    ed_referral_share=0.0,
    male_share=0.6,
    referral_sources=(
        ("youth_offending_service", 0.2),
        ("probation", 0.1),
        ("childrens_social_care", 0.15),
        ("voluntary_sector", 0.2),
        ("self_or_family", 0.15),
        ("school", 0.1),
        ("police_other", 0.1),
    ),
    reachable_moments=(
        ("none", 0.8),
        ("release_from_custody", 0.1),
        ("school_exclusion", 0.1),
    ),
    consent_status="given",
    lawful_basis="consent",
    lawful_basis_after_withdrawal="legitimate_interests",
    priority_group_shares=(
        ("absent_or_excluded", 0.35),
        ("looked_after", 0.15),
        ("in_transition", 0.15),
        ("at_risk_of_exploitation", 0.2),
        ("substance_misuse_not_in_treatment", 0.15),
        ("neurodevelopmental_conditions", 0.12),
    ),
    area_weights=(("leicester_csp", 1.5),),
    school_days=False,
    conversion=0.75,
    start_delay_days=(0, 28),
    completion=0.5,
    completed_days=(120, 300),
    not_completed_days=(14, 150),
    exit_reasons=(
        ("partially_completed", 0.25),
        ("disengaged", 0.35),
        ("moved_away", 0.1),
        ("referred_on", 0.1),
        ("in_custody", 0.05),
        ("withdrew_consent", 0.05),
        ("other", 0.1),
    ),
    not_started_exit_reasons=(
        ("disengaged", 0.6),
        ("withdrew_consent", 0.2),
        ("referred_on", 0.15),
        ("moved_away", 0.05),
    ),
    not_started_close_days=(14, 56),
    contact_interval_days=14,
    contact_kinds=(
        ("one_to_one", 0.6),
        ("group_session", 0.2),
        ("phone_or_online", 0.15),
        ("multi_agency_meeting", 0.05),
    ),
    missed_share_completed=0.15,
    missed_share_not_completed=0.35,
    missed_attendance=_NON_ATTENDANCE,
    duration_minutes=(45, 120),
    reviews=(2, 4),
    scales=(
        ScaleEffect(_SELF, 1.0, 4.8, 1.2, 1.2, 1.0, 1.0),
        ScaleEffect(_PRACTITIONER, 1.0, 2.5, 0.6, 0.7, 0.5, 0.6),
    ),
    risk_factor_share=0.3,
    protective_factor_share=0.35,
    factor_shares=(("unemployment", 0.9), ("low_educational_achievement", 0.5)),
    outcomes=(
        OutcomeRate("entered_employment", 0.45, 0.15, _EMPLOYMENT_EVIDENCE),
        OutcomeRate(
            "sustained_employment_13_weeks",
            0.7,
            0.4,
            _EMPLOYMENT_EVIDENCE,
            requires="entered_employment",
            lag_days=91,
        ),
        OutcomeRate("entered_training", 0.25, 0.15, _EDUCATION_EVIDENCE),
        OutcomeRate("entered_education", 0.15, 0.1, _EDUCATION_EVIDENCE),
    ),
    outcome_days=(21, 240),
    reattendance_share_started=None,
    source=f"{NEWS}: 'supporting young people into Education, Training and Employment by "
    "offering concrete opportunities with employers and the wrap-around support to ensure "
    f"the young person achieves sustainable outcomes', delivered by Leicestershire Cares; "
    f"{STRATEGY}, Priority 4 action 3: 'continuation of Leicestershire Cares UP project'. "
    "Rates, durations and effects: our assumption",
)

DEFAULT_PROGRAMMES = (VIP, MVP, UP)

COHORTS = ("ed_attendees", "community")
PERSPECTIVES = ("self_report", "practitioner")


def check_programme(spec: ProgrammeSpec) -> None:
    """ValueError naming the programme and the field for anything out of range."""
    name = f"programme {spec.code}"

    def fail(field: str, message: str) -> None:
        raise ValueError(f"{name}: {field} {message}")

    if spec.cohort not in COHORTS:
        fail("cohort", f"must be one of {', '.join(COHORTS)}")
    if not spec.code or not spec.case_prefix or not spec.provider_code:
        fail("code", "case_prefix and provider_code must not be empty")
    for field in (
        "ed_referral_share",
        "male_share",
        "conversion",
        "completion",
        "missed_share_completed",
        "missed_share_not_completed",
        "risk_factor_share",
        "protective_factor_share",
    ):
        if not 0.0 <= getattr(spec, field) <= 1.0:
            fail(field, "must be a share between 0 and 1")
    if spec.reattendance_share_started is not None and not (
        0.0 <= spec.reattendance_share_started <= 1.0
    ):
        fail("reattendance_share_started", "must be a share between 0 and 1")
    if spec.referrals_per_100k_crimes < 0:
        fail("referrals_per_100k_crimes", "must not be negative")
    for field in (
        "ages",
        "start_delay_days",
        "completed_days",
        "not_completed_days",
        "not_started_close_days",
        "duration_minutes",
        "reviews",
        "outcome_days",
    ):
        low, high = getattr(spec, field)
        if not 0 <= low <= high:
            fail(field, "must be a range (low, high) with 0 <= low <= high")
    if spec.completed_days[0] < 1 or spec.not_completed_days[0] < 1:
        fail("completed_days", "and not_completed_days must start at 1 day or more")
    if spec.reviews[0] < 1:
        fail("reviews", "must plan at least one review")
    if spec.contact_interval_days < 1:
        fail("contact_interval_days", "must be at least 1")
    for field in (
        "referral_sources",
        "reachable_moments",
        "exit_reasons",
        "not_started_exit_reasons",
        "contact_kinds",
        "missed_attendance",
        "area_weights",
    ):
        for code, weight in getattr(spec, field):
            if weight < 0:
                fail(field, f"has a negative weight for {code}")
    for field in ("priority_group_shares", "factor_shares"):
        for code, share in getattr(spec, field):
            if not 0.0 <= share <= 1.0:
                fail(field, f"has a share for {code} outside 0-1")
    for scale in spec.scales:
        if scale.perspective not in PERSPECTIVES:
            fail("scales", f"perspective must be one of {', '.join(PERSPECTIVES)}")
        if not 0.0 <= scale.share_reviewed <= 1.0:
            fail("scales", "share_reviewed must be between 0 and 1")
        if min(scale.baseline_sd, scale.change_sd, scale.noise_sd) < 0:
            fail("scales", "standard deviations must not be negative")
    kinds = [outcome.kind for outcome in spec.outcomes]
    for outcome in spec.outcomes:
        if not (0.0 <= outcome.completed <= 1.0 and 0.0 <= outcome.not_completed <= 1.0):
            fail("outcomes", f"{outcome.kind}: rates must be between 0 and 1")
        if (
            outcome.requires is not None
            and outcome.requires not in kinds[: kinds.index(outcome.kind)]
        ):
            fail("outcomes", f"{outcome.kind} requires {outcome.requires}, which must come first")
        if outcome.lag_days < 0:
            fail("outcomes", f"{outcome.kind}: lag_days must not be negative")
    if len(set(kinds)) != len(kinds):
        fail("outcomes", "lists an outcome kind twice")
    if spec.cohort == "ed_attendees" and spec.reattendance_share_started is None:
        fail("reattendance_share_started", "is needed for a programme of ED attendees")
