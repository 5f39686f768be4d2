"""The planted parameters of a synthetic world, each with the source it comes from.

Every field of :class:`Parameters` has a default and, in its metadata, the ``source``: a
quote from the LLR VRN Response Strategy 2020/21 ("Key Findings", seed document 001) for
the figures the Strategic Needs Assessment (SNA) reports, another public source, or
"assumption" with the reason. :func:`parameter_sources` lists them for the documentation
and the README written beside every synthetic world.

The findings the generator reproduces are *targets*: the model solves for the internal
probabilities that make the expected value equal the target (see ``vrn.synth.model``), and
``truth.json`` reports the value the model actually implies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from vrn.analytics.population import ASSUMED_MALE_SHARE
from vrn.synth.programmes import DEFAULT_PROGRAMMES, NEWS, ProgrammeSpec, check_programme

#: The Response Strategy (seed document 001), section "Key Findings: Extent and Nature of
#: Serious Violence (under 25s)" and the Introduction that repeats it.
STRATEGY = "LLR VRN Response Strategy 2020/21, Key Findings"


def _param(default: Any, source: str) -> Any:
    return field(default=default, metadata={"source": source})


@dataclass(frozen=True)
class Hotspot:
    """A planted hotspot: a named place whose surroundings get extra violent crime."""

    name: str
    latitude: float
    longitude: float
    #: Relative weight among the hotspots.
    weight: float


#: Approximate centres of the town centres and night-time economies of LLR (WGS84), our
#: choice; the SNA names West and Central Leicester as the areas of highest prevalence.
DEFAULT_HOTSPOTS = (
    Hotspot("Leicester city centre (Clock Tower)", 52.6366, -1.1335, 0.35),
    Hotspot("Leicester West (Narborough Road)", 52.6255, -1.1545, 0.15),
    Hotspot("Leicester East (Belgrave Road)", 52.6495, -1.1235, 0.10),
    Hotspot("Loughborough town centre", 52.7719, -1.2063, 0.20),
    Hotspot("Hinckley town centre", 52.5410, -1.3720, 0.10),
    Hotspot("Coalville town centre", 52.7220, -1.3690, 0.10),
)

#: Relative risk of being the victim of non-domestic violence by SNA age band and sex
#: (male, female). Shape our assumption; the SNA: "Males aged 15 to 19 years are most at risk".
DEFAULT_VICTIM_RISK = (
    ("0-9", 0.15, 0.12),
    ("10-14", 1.2, 0.8),
    ("15-19", 4.0, 2.0),
    ("20-24", 3.2, 1.9),
    ("25-34", 2.2, 1.4),
    ("35-44", 1.5, 1.0),
    ("45-54", 0.9, 0.6),
    ("55-64", 0.45, 0.3),
    ("65+", 0.15, 0.1),
)

#: Relative risk of being a suspect of violence by SNA age band and sex (male, female).
#: Within the under-25 and 25+ groups only the shape matters: the split between the groups
#: is solved from ``u25_vs_25plus_rate_ratio``.
DEFAULT_SUSPECT_RISK = (
    ("0-9", 0.0, 0.0),
    ("10-14", 1.5, 0.5),
    ("15-19", 5.0, 1.2),
    ("20-24", 4.0, 0.9),
    ("25-34", 3.0, 0.7),
    ("35-44", 2.0, 0.5),
    ("45-54", 1.0, 0.25),
    ("55-64", 0.4, 0.1),
    ("65+", 0.1, 0.03),
)

#: The Response Strategy's section on risk and protective factors, and its priority groups.
RISK_FACTORS = "LLR VRN Response Strategy 2020/21, Key Findings: Risk and Protective Factors"
PRIORITY_GROUPS = "LLR VRN Response Strategy 2020/21, Initial Priority Groups"


@dataclass(frozen=True)
class IndicatorSpec:
    """A planted risk or protective factor, written to ``indicators.csv`` as a Fingertips
    indicator.

    The expected value in a local authority is ``england_value * annual_ratio**k *
    deprivation_ratio**((5.5 - d) / 9)``, where ``k`` counts financial years from the
    first one written and ``d`` is the population-weighted mean IMD decile of the local
    authority's residents (5.5 is England's, deciles being national): an authority whose
    residents all lived in decile 1 would have ``deprivation_ratio`` times the value of
    one whose residents all lived in decile 10.
    """

    #: Synthetic Fingertips-style id (9000xx): NOT a real Fingertips indicator id.
    indicator_id: int
    #: Used in the truth ids (``indicator_<short_name>_...``).
    short_name: str
    name: str
    #: Fingertips age label, and the ages (inclusive) of the denominator.
    age: str
    age_from: int
    age_to: int
    #: ``proportion`` (Wilson limits) or ``rate`` (exact below 10 events, Byar's above).
    statistic: str
    #: 100 for a percentage; 100,000 or 10,000 for a rate per that many residents.
    multiplier: float
    #: Expected England value in the first financial year, in the unit of ``multiplier``.
    england_value: float
    deprivation_ratio: float
    annual_ratio: float
    #: ``low_is_good`` (compared as Better/Similar/Worse) or ``none`` (Higher/Similar/Lower).
    polarity: str
    source: str


#: The risk factors the Response Strategy names, as synthetic indicators. England values
#: and ratios are our assumptions, of the order of the published national figures.
DEFAULT_INDICATORS = (
    IndicatorSpec(
        900001,
        "persistent_absence",
        "Persistent absentees - secondary school pupils",
        "11-15 yrs",
        11,
        15,
        "proportion",
        100.0,
        22.0,
        1.8,
        0.96,
        "low_is_good",
        f"{RISK_FACTORS}: 'Low school attendance and exclusions are known risk factors'; "
        "'There is a higher rate of persistent absenteeism in secondary schools than in "
        "primary schools. Leicester has a consistently significantly higher rate for both "
        "primary and secondary schools.' (values our assumption)",
    ),
    IndicatorSpec(
        900002,
        "suspensions",
        "Pupils with one or more suspensions",
        "5-15 yrs",
        5,
        15,
        "proportion",
        100.0,
        2.6,
        2.5,
        1.05,
        "low_is_good",
        f"{RISK_FACTORS}: 'Low school attendance and exclusions are known risk factors'; "
        "'58% of children who received permanent or fixed period school exclusions across "
        "LLR was due to severe behavioural problems.' (fixed-period exclusions are now "
        "called suspensions; values our assumption)",
    ),
    IndicatorSpec(
        900003,
        "neet",
        "16-17 year olds not in education, employment or training (NEET) or whose "
        "activity is not known",
        "16-17 yrs",
        16,
        17,
        "proportion",
        100.0,
        5.4,
        2.2,
        1.0,
        "low_is_good",
        f"{RISK_FACTORS}: 'Levels of NEET and unemployment are higher than the national "
        "average for those young people living in Leicester.' (values our assumption)",
    ),
    IndicatorSpec(
        900004,
        "first_time_entrants",
        "First time entrants to the youth justice system",
        "10-17 yrs",
        10,
        17,
        "rate",
        100_000.0,
        150.0,
        2.6,
        0.92,
        "low_is_good",
        f"{RISK_FACTORS}: 'Early involvement in the Criminal Justice System is a known risk "
        "factor for serious youth violence. The proportion of children and young people in "
        "the youth justice system and first-time entrants has been falling across all areas "
        "in LLR and England, however, the levels in Leicester remain significantly higher "
        "than the national average.' (values our assumption; 'falling' as an annual ratio "
        "of 0.92)",
    ),
    IndicatorSpec(
        900005,
        "children_in_care",
        "Children in care",
        "<18 yrs",
        0,
        17,
        "rate",
        10_000.0,
        70.0,
        3.0,
        1.01,
        "none",
        f"{PRIORITY_GROUPS}: 'Children/young people who are or have been in local authority "
        "care' (a group at increased risk of involvement in serious violence; values our "
        "assumption)",
    ),
)

_PERIOD_START = dt.date(2023, 1, 1)
_PERIOD_END = dt.date(2024, 12, 31)
_CHANGE_DATE = dt.date(2024, 4, 1)


@dataclass(frozen=True)
class Parameters:
    """Everything that shapes a synthetic world besides the seed, the geography and the
    skeleton. The defaults reproduce the Response Strategy's findings for LLR."""

    # --- Findings of the Strategic Needs Assessment (targets) ---------------------------
    u25_vs_25plus_rate_ratio: float = _param(
        1.9,
        f"{STRATEGY}: 'The rate of serious violence by those under 25 years is almost twice "
        "that of those aged 25 years and over.' (1.9 reads 'almost twice')",
    )
    u25_perpetrator_share_public_sv: float = _param(
        0.24,
        f"{STRATEGY}: 'Suspected and convicted perpetrators under 25 years were responsible "
        "for 24% of serious violence offences in public places across LLR in 2018/19.'",
    )
    u25_public_place_share: float = _param(
        0.58,
        f"{STRATEGY}: '58% of all serious violence offences by those under 25 years occurred "
        "in a public place.'",
    )
    u25_public_knife_leicester_share: float = _param(
        0.72,
        f"{STRATEGY}: '72% of offences involving a knife or sharp instrument by under 25 "
        "years in public places occurred in Leicester.'",
    )
    weekend_rate_ratio: float = _param(
        1.4,
        f"{STRATEGY}: 'There is a peak of serious violence offences at weekends.' (the size "
        "of the peak, 1.4 times the weekday daily rate, is our assumption)",
    )
    weekday_peak_hour: int = _param(
        15,
        f"{STRATEGY}: 'one of the peak times is between 3-4pm, Monday to Friday which "
        "coincides with the school day finishing.'",
    )
    u25_admissions_bodily_force_share_leicestershire: float = _param(
        0.70,
        f"{STRATEGY}: '70% of violence related hospital admissions of Leicestershire "
        "residents (under 25 years) were caused by assault by bodily force'",
    )
    u25_admissions_sharp_object_share_leicester: float = _param(
        0.26,
        f"{STRATEGY}: '26% of violence related hospital admissions of Leicester residents "
        "(under 25 years) were caused by assault by a sharp object'",
    )
    admissions_mental_health_share: float = _param(
        0.43,
        f"{STRATEGY}: '43% of hospital admissions for violence were related to mental "
        "health issues'",
    )
    admissions_substance_misuse_share: float = _param(
        0.30, f"{STRATEGY}: '30% to substance misuse'"
    )
    admissions_alcohol_share: float = _param(
        0.14, f"{STRATEGY}: 'although only 14% were related to alcohol'"
    )
    leicester_admissions_most_deprived_share: float = _param(
        0.32,
        f"{STRATEGY}: 'Almost a third (32%) of violence admissions of Leicester residents "
        "live in the most deprived areas.' (most deprived: IMD decile 1)",
    )
    ed_assaults_unknown_to_police_share: float = _param(
        0.65,
        "Cardiff University, 'Reducing violent crime' (Cardiff Violence Prevention Group): "
        "'65% of these cases weren't known to the police'; 'Up to two thirds of violent "
        "incidents requiring hospital treatment are unknown to the police'",
    )

    # --- Assumptions that complete the model -------------------------------------------
    o25_public_place_share: float = _param(
        0.45,
        "assumption: share of serious-violence-grouping offences by suspects aged 25 and "
        "over in a public place (lower than under 25s, more domestic settings)",
    )
    unknown_suspect_public_place_share: float = _param(
        0.55, "assumption: the same share where no suspect is identified"
    )
    victim_risk: tuple[tuple[str, float, float], ...] = _param(
        DEFAULT_VICTIM_RISK,
        f"{STRATEGY}: 'Males aged 15 to 19 years are most at risk' (shape our assumption)",
    )
    suspect_risk: tuple[tuple[str, float, float], ...] = _param(
        DEFAULT_SUSPECT_RISK,
        f"{STRATEGY}: 'Males under 25s and in particular 15-19 year olds are most at risk of "
        "involvement in serious violence' (shape our assumption)",
    )
    repeat_victim_fraction: float = _param(
        0.15,
        f"{STRATEGY}: 'most at risk of repeated victimisation' (share of primary victims "
        "drawn from a pool of repeat victims: our assumption)",
    )
    repeat_offender_fraction: float = _param(
        0.20,
        f"{STRATEGY}: 'Males aged 15 to 19 years are more at risk of repeated serious "
        "violence offences' (share of primary suspects drawn from a pool: our assumption)",
    )
    repeat_mean_appearances: float = _param(
        2.5, "assumption: expected appearances of a member of a repeat pool"
    )
    violence_deprivation_ratio: float = _param(
        3.0,
        f"{STRATEGY}: 'particularly those living in Leicester in areas of high population "
        "density and deprivation' (background rate of violent crime per resident in IMD "
        "decile 1 vs decile 10; 3.0 our assumption; deciles between log-linear)",
    )
    property_deprivation_ratio: float = _param(
        1.5, "assumption: the same for property and other crime"
    )
    hotspots: tuple[Hotspot, ...] = _param(
        DEFAULT_HOTSPOTS,
        f"{STRATEGY}: 'West and Central Leicester have the highest prevalence' (places and "
        "weights our choice; pure mode only)",
    )
    hotspot_share: float = _param(
        0.15, "assumption: share of violent crime placed around the hotspots (pure mode)"
    )
    ed_hotspot_share: float = _param(
        0.5,
        "assumption: share of assaults unknown to police placed around the hotspots (night-"
        "time economy; pure mode)",
    )
    residence_same_local_authority: float = _param(
        0.8,
        "assumption: probability that a person lives in the local authority where the "
        "incident happened (otherwise anywhere in the network, by population)",
    )
    period_start: dt.date = field(
        default=_PERIOD_START, metadata={"source": "assumption: pure-mode period"}
    )
    period_end: dt.date = field(
        default=_PERIOD_END, metadata={"source": "assumption: pure-mode period"}
    )
    change_date: dt.date = field(
        default=_CHANGE_DATE,
        metadata={
            "source": "assumption: a planted change (e.g. an intervention starting) in pure mode"
        },
    )
    change_rate_ratio: float = _param(
        0.85,
        "assumption: daily rate of serious-violence-grouping offences from change_date "
        "relative to before it (pure mode)",
    )
    ed_attendance_minor: float = _param(
        0.30, "assumption: a victim with a minor injury attends the emergency department"
    )
    ed_attendance_serious: float = _param(
        0.90, "assumption: a victim with a serious injury attends the emergency department"
    )
    second_episode_share: float = _param(
        0.10, "assumption: share of admissions with a second consultant episode"
    )
    male_share_by_census_band: tuple[float, ...] = _param(
        tuple(ASSUMED_MALE_SHARE.values()),
        "assumption: male share of the Census 2021 age groups 0-15 ... 65+ (the loaded LSOA "
        "counts have no sex; about half, fewer at older ages): "
        "vrn.analytics.population.ASSUMED_MALE_SHARE, which the problem profile uses too",
    )
    county_local_authorities: tuple[str, ...] = _param(
        (
            "E07000129",
            "E07000130",
            "E07000131",
            "E07000132",
            "E07000133",
            "E07000134",
            "E07000135",
        ),
        "Leicestershire county's seven districts (the SNA's 'Leicestershire', as opposed "
        "to Leicester city and Rutland)",
    )
    force_code: str = _param("E23000021", "Leicestershire police force area")
    ed_site_code: str = _param("RWEAA", "ODS: Leicester Royal Infirmary emergency department")
    provider_code: str = _param("RWE", "ODS: University Hospitals of Leicester NHS Trust")
    indicators: tuple[IndicatorSpec, ...] = _param(
        DEFAULT_INDICATORS,
        f"{RISK_FACTORS} (each indicator's quote is its `source`): risk factors as synthetic "
        "Fingertips indicators 900001-900005 (not real Fingertips ids); England values, "
        "deprivation and annual ratios our assumption",
    )
    region_mean_imd_decile: float = _param(
        5.6,
        "assumption: population-weighted mean IMD decile of the East Midlands region (close "
        "to England's 5.5), for the region's expected indicator values",
    )
    ed_reattendance_ages: tuple[int, int] = _param(
        (11, 24),
        f"{STRATEGY}: the under-25s (from 11, secondary school age) are the strategy's focus; "
        "attendees of these ages may attend again after another assault",
    )
    ed_reattendance_share: float = _param(
        0.30,
        "assumption: P(another ED assault attendance within 12 months) for an attendee aged "
        "within ed_reattendance_ages who did not start a programme of ED attendees",
    )
    programmes: tuple[ProgrammeSpec, ...] = _param(
        DEFAULT_PROGRAMMES,
        f"{NEWS} and {STRATEGY} priorities 3-5: the Violence Intervention Project (A&E), "
        "Mentors in Violence Prevention (schools) and Unlocking Potential (education, training "
        "and employment); each spec's `source` quotes them. Rates, durations and effects are "
        "our assumption (vrn.synth.programmes)",
    )

    def __post_init__(self) -> None:
        shares = {
            "u25_perpetrator_share_public_sv": self.u25_perpetrator_share_public_sv,
            "u25_public_place_share": self.u25_public_place_share,
            "u25_public_knife_leicester_share": self.u25_public_knife_leicester_share,
            "u25_admissions_bodily_force_share_leicestershire": (
                self.u25_admissions_bodily_force_share_leicestershire
            ),
            "u25_admissions_sharp_object_share_leicester": (
                self.u25_admissions_sharp_object_share_leicester
            ),
            "admissions_mental_health_share": self.admissions_mental_health_share,
            "admissions_substance_misuse_share": self.admissions_substance_misuse_share,
            "admissions_alcohol_share": self.admissions_alcohol_share,
            "leicester_admissions_most_deprived_share": (
                self.leicester_admissions_most_deprived_share
            ),
            "ed_assaults_unknown_to_police_share": self.ed_assaults_unknown_to_police_share,
            "o25_public_place_share": self.o25_public_place_share,
            "unknown_suspect_public_place_share": self.unknown_suspect_public_place_share,
            "repeat_victim_fraction": self.repeat_victim_fraction,
            "repeat_offender_fraction": self.repeat_offender_fraction,
            "hotspot_share": self.hotspot_share,
            "ed_hotspot_share": self.ed_hotspot_share,
            "residence_same_local_authority": self.residence_same_local_authority,
            "ed_attendance_minor": self.ed_attendance_minor,
            "ed_attendance_serious": self.ed_attendance_serious,
            "second_episode_share": self.second_episode_share,
        }
        for name, value in shares.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a share between 0 and 1, not {value}")
        if not 0.0 < self.ed_assaults_unknown_to_police_share < 1.0:
            raise ValueError("ed_assaults_unknown_to_police_share must be strictly between 0 and 1")
        for name in (
            "u25_vs_25plus_rate_ratio",
            "weekend_rate_ratio",
            "violence_deprivation_ratio",
            "property_deprivation_ratio",
            "change_rate_ratio",
        ):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if self.repeat_mean_appearances < 1:
            raise ValueError("repeat_mean_appearances must be at least 1")
        if not 0 <= self.weekday_peak_hour <= 23:
            raise ValueError("weekday_peak_hour must be an hour 0-23")
        if not self.period_start < self.change_date <= self.period_end:
            raise ValueError("change_date must fall after period_start and by period_end")
        if len(self.male_share_by_census_band) != 6:
            raise ValueError("male_share_by_census_band needs one share per Census 2021 group")
        for hotspot in self.hotspots:
            if hotspot.weight < 0:
                raise ValueError(f"hotspot {hotspot.name!r} has a negative weight")
        if not 1.0 <= self.region_mean_imd_decile <= 10.0:
            raise ValueError("region_mean_imd_decile must be between 1 and 10")
        for spec in self.indicators:
            _check_indicator(spec)
        for attribute in ("indicator_id", "short_name"):
            values = [getattr(spec, attribute) for spec in self.indicators]
            if len(set(values)) != len(values):
                raise ValueError(f"two indicators have the same {attribute}")
        self._check_programmes()

    def _check_programmes(self) -> None:
        low, high = self.ed_reattendance_ages
        if not 0 <= low <= high:
            raise ValueError("ed_reattendance_ages must be a range (low, high), low <= high")
        if not 0.0 <= self.ed_reattendance_share <= 1.0:
            raise ValueError("ed_reattendance_share must be a share between 0 and 1")
        for spec in self.programmes:
            check_programme(spec)
        for attribute in ("code", "case_prefix"):
            values = [getattr(spec, attribute) for spec in self.programmes]
            if len(set(values)) != len(values):
                raise ValueError(f"two programmes have the same {attribute}")
        ed = [spec for spec in self.programmes if spec.cohort == "ed_attendees"]
        if len(ed) > 1:
            raise ValueError("at most one programme may take ED attendees")
        for spec in ed:
            if not low <= spec.ages[0] <= spec.ages[1] <= high:
                raise ValueError(
                    f"programme {spec.code}: ages must lie within ed_reattendance_ages"
                )


def _check_indicator(spec: IndicatorSpec) -> None:
    name = f"indicator {spec.indicator_id} ({spec.short_name})"
    if not 1 <= spec.indicator_id <= 999_999_999:
        raise ValueError(f"{name}: the id must be a whole number from 1 to 999,999,999")
    if not spec.short_name.isidentifier() or spec.short_name != spec.short_name.lower():
        raise ValueError(f"{name}: the short name must be lower-case letters, digits and _")
    if spec.statistic not in ("proportion", "rate"):
        raise ValueError(f"{name}: statistic must be 'proportion' or 'rate'")
    if spec.polarity not in ("low_is_good", "none"):
        raise ValueError(f"{name}: polarity must be 'low_is_good' or 'none'")
    if not 0 <= spec.age_from <= spec.age_to <= 120:
        raise ValueError(f"{name}: ages must satisfy 0 <= age_from <= age_to <= 120")
    for attribute in ("multiplier", "england_value", "deprivation_ratio", "annual_ratio"):
        if not getattr(spec, attribute) > 0:
            raise ValueError(f"{name}: {attribute} must be positive")
    if spec.statistic == "proportion" and (
        spec.england_value * spec.deprivation_ratio**0.5 >= spec.multiplier
    ):
        raise ValueError(f"{name}: the value in the most deprived areas would reach 100%")


def parameter_sources(parameters: Parameters | None = None) -> list[tuple[str, object, str]]:
    """``(name, value, source)`` for every parameter, in declaration order."""
    parameters = parameters or Parameters()
    return [
        (item.name, getattr(parameters, item.name), str(item.metadata.get("source", "")))
        for item in fields(parameters)
    ]
