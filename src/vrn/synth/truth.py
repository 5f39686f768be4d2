"""What a synthetic world plants, computed from the model, never measured from the sample.

Each finding is either *analytic* (a parameter or a closed-form function of the model's
tables and the geography) or the *expected value of the generating process*: a ratio of
expected counts, computed exactly by contracting the same probability tables the sampler
draws from over the crimes (pure mode: the planted distribution of N crimes; augmented
mode: the real skeleton incidents, which are fixed). A ratio of expected counts is what an
estimator (a ratio of observed counts) converges to as the world grows.

Ids are the finding ids the problem profile uses; every value is rounded to 6 decimals.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from vrn.synth import calibration as cal
from vrn.synth.model import (
    AREA_COUNTY,
    AREA_LEICESTER,
    O25,
    U25,
    Floats,
    Model,
    weekday_of,
)

#: The definitions every police finding uses.
SV = (
    "serious violence (serious-violence definition: an offence code in its groupings "
    "homicide, violence with injury, robbery; location_type public; not domestic)"
)
SV_GROUPINGS = (
    "offences in the serious-violence groupings (homicide, violence with injury, robbery), "
    "whatever the place or domestic flag"
)
U25_SUSPECT = (
    "with suspects or offenders under 25 (every suspect/offender of a crime is in the same "
    "age group, under 25 or 25 and over)"
)
ADMISSION = (
    "violence-related admissions (hospital definition: X85-Y09 in any diagnosis position, "
    "emergency admission method, first finished episode)"
)
EXPECTED = "Expected value of the generating process (a ratio of expected counts)"
ANALYTIC = "Analytic"


def _round(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 6)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def compute_truth(model: Model) -> dict[str, dict[str, Any]]:
    """The planted findings of a world, by id: ``{"value": ..., "description": ...}``."""
    p = model.parameters
    truth: dict[str, dict[str, Any]] = {}

    def put(finding: str, value: Any, description: str) -> None:
        if isinstance(value, float) or value is None:
            value = _round(value)
        truth[finding] = {"value": value, "description": description}

    crimes = model.expected_crimes.sum(axis=1)  # by code
    sv_cs = model.sv_given_code_suspect()  # code x suspect group
    by_group = np.array([float(crimes @ (model.p_suspect[:, s] * sv_cs[:, s])) for s in range(3)])
    put(
        "u25_vs_25plus_rate_ratio",
        _ratio(by_group[U25] / model.pop_u25, by_group[O25] / model.pop_o25),
        f"Rate per resident of {SV} {U25_SUSPECT}, divided by the same rate for suspects aged "
        "25 and over (residents of the network by age, Census 2021). "
        f"{EXPECTED}. Response Strategy: 'almost twice'.",
    )
    put(
        "u25_perpetrator_share_public_sv",
        _ratio(by_group[U25], by_group.sum()),
        f"Share of {SV} whose suspects or offenders are under 25 (crimes with no suspect "
        f"identified count in the denominator). {EXPECTED}. Response Strategy: 24%.",
    )
    groupings_u25 = crimes * model.p_suspect[:, U25] * model.in_sv
    put(
        "u25_public_place_share",
        _ratio(float(groupings_u25 @ model.p_place[:, U25, 0]), float(groupings_u25.sum())),
        f"Share of {SV_GROUPINGS} {U25_SUSPECT} recorded with location_type public (the "
        "serious-violence definition itself is public-place only, so this uses the groupings "
        f"alone, as the SNA must have). {EXPECTED}. Response Strategy: 58%.",
    )
    put(
        "u25_public_knife_leicester_share",
        model.knife_leicester_share(model.p_weapon) if model.leicester_la is not None else None,
        "Share in Leicester (local authority E06000016, from the crime's LSOA) of knife-"
        "enabled offences (the offence codes of the knife_enabled_serious_violence success "
        "measure, weapon knife_or_sharp) with suspects under 25, in a public place. "
        f"{EXPECTED}. Response Strategy: 72%.",
    )

    sv_profile = model.time_profile_names.index("sv")
    if model.mode == "pure":
        weights = model.day_weights[sv_profile]
        weekend = weekday_of(model.days) >= 5
        put(
            "weekend_rate_ratio",
            _ratio(
                float(weights[weekend].sum()) / int(weekend.sum()),
                float(weights[~weekend].sum()) / int((~weekend).sum()),
            ),
            f"Mean daily number of {SV} on Saturdays and Sundays divided by the mean on "
            "Mondays to Fridays (date of committed_from) over the period. "
            f"{EXPECTED} (close to the planted day-of-week weight {p.weekend_rate_ratio}; the "
            "planted change makes the calendar matter slightly).",
        )
    else:
        put(
            "weekend_rate_ratio",
            _augmented_weekend_ratio(model, sv_profile),
            f"Mean daily number of {SV} on Saturdays and Sundays divided by the mean on "
            "Mondays to Fridays (date of committed_from), over the days of the skeleton's "
            f"months. {EXPECTED}.",
        )
    put(
        "weekday_peak_hour",
        int(np.argmax(model.hour_weights[sv_profile, 0])),
        f"The hour of the day (0-23, of committed_from) with the most {SV} on Mondays to "
        f"Fridays; 15 means 3-4pm. {ANALYTIC}: the mode of the planted weekday hour profile "
        f"(the next hour is {1 / cal.SV_PEAK_MARGIN:.2f} times as likely or less).",
    )

    put(
        "male_15_19_rate_ratio",
        _male_15_19(model, crimes),
        f"Rate per resident of being a victim of {SV} for males aged 15-19, divided by the "
        "rate for all residents (victims counted once per crime; population: Census 2021 "
        f"with an assumed sex split). {EXPECTED}. Response Strategy: males 15 to 19 most at risk.",
    )

    admitted = (model.linked_attendances() + model.ed_only_attendances()) * model.p_admit[
        :, None, None
    ]
    groups = model.cause_group_of_means()
    put(
        "u25_admissions_bodily_force_share_leicestershire",
        _cause_share(admitted, groups, "bodily_force", AREA_COUNTY),
        f"Share of {ADMISSION} of patients aged under 25 living in Leicestershire county (its "
        "seven districts) whose cause group is bodily_force (Y04 first among the violence "
        f"codes). {EXPECTED}. Response Strategy: 70%.",
    )
    put(
        "u25_admissions_sharp_object_share_leicester",
        _cause_share(admitted, groups, "sharp_object", AREA_LEICESTER),
        f"Share of {ADMISSION} of patients aged under 25 living in Leicester whose cause group "
        f"is sharp_object (X99). {EXPECTED}. Response Strategy: 26%.",
    )
    for finding, value, quote in (
        ("admissions_mental_health_share", p.admissions_mental_health_share, "43%"),
        ("admissions_substance_misuse_share", p.admissions_substance_misuse_share, "30%"),
        ("admissions_alcohol_share", p.admissions_alcohol_share, "14%"),
    ):
        flag = finding.removeprefix("admissions_").removesuffix("_share")
        put(
            finding,
            value,
            f"Share of {ADMISSION} with the {flag} condition flag (hospital definition) in "
            f"any diagnosis position. {ANALYTIC}: the planted probability, independent of "
            f"everything else. Response Strategy: {quote}.",
        )
    put(
        "leicester_admissions_most_deprived_share",
        model.leicester_most_deprived_share(model.p_residence_lsoa),
        f"Share of {ADMISSION} of Leicester residents living in an LSOA of IMD decile 1 "
        f"(IoD2025). {ANALYTIC}: where people live within a local authority depends only on "
        "population and deprivation (solved gradient). Response Strategy: 32%.",
    )
    linked = float(model.linked_attendances().sum()) + model.expected_reattendances_linked
    ed_only = float(model.ed_only_attendances().sum()) + model.expected_reattendances_ed_only
    put(
        "ed_assaults_unknown_to_police_share",
        _ratio(ed_only, linked + ed_only),
        "Share of emergency-department assault attendances (istv.csv) with no police-recorded "
        "crime: the patient's person_key is not a victim in police-people.csv (a re-attendance "
        "counts as known when the patient's first assault was recorded). "
        f"{EXPECTED}. Cardiff Model literature: about two thirds.",
    )
    put(
        "repeat_victim_share",
        _ratio(
            model.repeated_rows(model.victim_pool_hits(), model.victim_pool_size),
            model.expected_victim_rows(),
        ),
        "Share of victim rows (police-people.csv, role victim) whose person_key is a victim "
        f"of at least one other crime. {EXPECTED} (pool sizes and the probability "
        "generating function of appearances; see docs/synthetic-data.md).",
    )
    put(
        "repeat_offender_share",
        _ratio(
            model.repeated_rows(model.suspect_pool_hits(), model.suspect_pool_size),
            model.expected_suspect_rows(),
        ),
        "Share of suspect and offender rows (police-people.csv) whose person_key is a "
        f"suspect or offender in at least one other crime. {EXPECTED}.",
    )
    put(
        "deprivation_rate_ratio_decile1_vs_10",
        _deprivation_ratio(model),
        f"Rate per resident of {SV} located in LSOAs of IMD decile 1 (most deprived), divided "
        f"by the rate in decile 10, over the network's LSOAs. {EXPECTED}.",
    )
    if model.mode == "pure":
        _pure_only(model, put)
    return dict(sorted(truth.items()))


def _augmented_weekend_ratio(model: Model, profile: int) -> float | None:
    sv_code = (model.sv_given_code_suspect() * model.p_suspect).sum(axis=1)
    sv_type = model.code_given_type @ sv_code
    per_row = sv_type[model.skeleton_type]
    n_months = len(model.month_names)
    by_month = np.bincount(model.skeleton_month, weights=per_row, minlength=n_months)
    weights = model.month_day_weights[profile * n_months : (profile + 1) * n_months]
    days = model.month_firsts[:, None] + np.arange(31)[None, :]
    weekend = (weekday_of(days) >= 5) & model.month_in_days
    weekday = (weekday_of(days) < 5) & model.month_in_days
    expected_weekend = float((by_month[:, None] * weights * weekend).sum())
    expected_weekday = float((by_month[:, None] * weights * weekday).sum())
    return _ratio(expected_weekend / int(weekend.sum()), expected_weekday / int(weekday.sum()))


def _male_15_19(model: Model, crimes: Floats) -> float | None:
    sv_code = (model.sv_given_code_suspect() * model.p_suspect).sum(axis=1)
    victims = crimes * sv_code * (model.p_victims @ np.arange(4))
    cells = victims @ model.profile_cells[model.victim_profile[:, 0]]
    male_15_19 = (model.cell_sex == 0) & (model.cell_age >= 15) & (model.cell_age <= 19)
    return _ratio(
        float(cells[male_15_19].sum()) / float(model.pop_cells[male_15_19].sum()),
        float(cells.sum()) / float(model.pop_cells.sum()),
    )


def _cause_share(admitted: Floats, groups: list[str], group: str, area: int) -> float | None:
    cell = admitted[:, area, 0]
    mask = np.array([g == group for g in groups])
    return _ratio(float(cell[mask].sum()), float(cell.sum()))


def _deprivation_ratio(model: Model) -> float | None:
    sv_code = (model.sv_given_code_suspect() * model.p_suspect).sum(axis=1)
    by_location = sv_code @ model.expected_crimes
    rates = []
    for decile in (1, 10):
        lsoas = model.lsoa_decile == decile
        population = float(model.lsoa_population[lsoas].sum())
        if population <= 0:
            return None
        rates.append(float(by_location[: model.n_lsoa][lsoas].sum()) / population)
    return _ratio(rates[0], rates[1])


def _pure_only(model: Model, put: Any) -> None:
    p = model.parameters
    sv_profile = model.time_profile_names.index("sv")
    weights = model.day_weights[sv_profile]
    after = model.days >= np.datetime64(p.change_date, "D")
    put(
        "change_date",
        p.change_date.isoformat(),
        f"The first day of the planted change in the daily rate of {SV_GROUPINGS}. "
        f"{ANALYTIC}: a parameter (pure mode).",
    )
    put(
        "change_rate_ratio",
        _ratio(
            float(weights[after].sum()) / int(after.sum()),
            float(weights[~after].sum()) / int((~after).sum()),
        ),
        f"Mean daily number of {SV_GROUPINGS} (equally of {SV}) from change_date divided by the "
        f"mean before it. {EXPECTED} (the planted multiplier {p.change_rate_ratio}, adjusted "
        "for the mix of weekdays in each part of the period).",
    )
    hotspots = []
    for hotspot, lsoa, weight in zip(
        model.hotspots, model.hotspot_lsoa, model.hotspot_weights, strict=True
    ):
        hotspots.append(
            {
                "name": hotspot.name,
                "latitude": round(hotspot.latitude, 6),
                "longitude": round(hotspot.longitude, 6),
                "lsoa_code": model.lsoa_codes[lsoa],
                "share": round(float(model.hotspot_share * weight), 6),
            }
        )
    put(
        "hotspots",
        sorted(hotspots, key=lambda h: str(h["name"])),
        "The planted hotspots: each has `share` of the violent offences (serious violence, "
        "other violence, sexual, public order, weapons, drugs) placed around it (normal "
        f"scatter, {cal.HOTSPOT_SD_M:.0f} m standard deviation) and recorded in its LSOA "
        f"(the LSOA nearest the point). {ANALYTIC}: parameters (pure mode).",
    )
