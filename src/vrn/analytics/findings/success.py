"""The Home Office success measures and serious violence, as findings of the profile.

The counting is :func:`vrn.analytics.measures.compute_measures`, called once per
:class:`ProfileInputs` (the result is kept in ``inputs.cache["measures"]``) on tables
built from the profile's frames: crimes of the force extract that happened in the area's
local authorities with their victims, suspects and offenders, and violence-related
admissions of the area's residents. Each figure becomes a finding ``success_{measure id}``
(``serious_violence`` and ``serious_violence_u25`` keep their ids): its rate per 100,000
residents a year with 95% limits (its count where there is no population), the trend of
its monthly counts (:func:`vrn.analytics.stats.count_trend`) and the monthly counts as the
table behind it. ``u25_public_place_share`` is the measures' public-place share on the
``groupings`` base, the quantity the synthetic world plants.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from vrn.analytics.findings.base import (
    PERCENT_CHANGE,
    PROPORTION,
    RATE_INTERVALS,
    WILSON,
    Estimate,
    Finding,
    NotComputed,
    interval_text,
    number,
)
from vrn.analytics.findings.base import percent as percent_text
from vrn.analytics.findings.inputs import ProfileInputs
from vrn.analytics.measures import (
    EPISODE_COLUMNS,
    PUBLIC_PLACE_SHARE,
    RATE_PER,
    SERIOUS_VIOLENCE,
    SERIOUS_VIOLENCE_U25,
    MeasureResult,
    compute_measures,
)
from vrn.analytics.stats import CountTrend, count_trend
from vrn.analytics.stats.trends import MINIMUM_MONTHS
from vrn.definitions import AdmissionRule

#: The unit of a figure's value: a rate, or a count where no rate can be computed.
RATE_UNIT = f"rate per {RATE_PER:,} residents a year"
COUNT_UNIT = "count"
TOPIC = "success"
#: The base of the public-place share the profile reports (see docs/measures.md).
SHARE_BASE = "groupings"
RATE_METHOD = RATE_INTERVALS
TREND_METHOD = (
    "trend: log-linear regression of the monthly counts with seasonal terms (Poisson, or "
    "negative binomial when overdispersed), Wald limits of the annual change"
)
CACHE_KEY = "measures"


def measures(inputs: ProfileInputs) -> MeasureResult:
    """The success measures and serious violence of the inputs' area and period, computed
    once and kept in ``inputs.cache["measures"]``; notes on what was left out in
    ``inputs.cache["measures.notes"]``."""
    cached = inputs.cache.get(CACHE_KEY)
    if isinstance(cached, MeasureResult):
        return cached
    notes: list[str] = []
    crimes, people = police_tables(inputs, notes)
    episodes = episode_table(inputs, notes)
    if crimes is None and episodes is None:
        raise NotComputed(
            f"needs the force's crime extract (police-extract) or violence-related hospital "
            f"admissions, and neither is loaded for {inputs.period}"
        )
    result = compute_measures(
        inputs.definitions,
        crimes=crimes,
        people=people,
        episodes=episodes,
        population=_population(inputs),
        first_month=inputs.period.first,
        last_month=inputs.period.last,
    )
    inputs.cache[CACHE_KEY] = result
    inputs.cache[f"{CACHE_KEY}.notes"] = tuple(notes)
    return result


def _codes(inputs: ProfileInputs) -> list[str]:
    return list(inputs.scope.local_authorities)


def police_tables(
    inputs: ProfileInputs, notes: list[str]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Crimes (``CRIME_COLUMNS``) located in the area and their people (``PERSON_COLUMNS``)."""
    frame = inputs.crimes
    if frame is None or frame.empty:
        return None, None
    inside = frame["local_authority"].isin(_codes(inputs)).fillna(False).astype(bool)
    if (~inside).any():
        notes.append(
            f"{inputs.count(int((~inside).sum()))} crimes located outside {inputs.scope.name}, "
            "or in no "
            "known local authority, are left out of the police figures."
        )
    chosen = frame[inside]
    weapon = chosen["weapon"].astype(object)
    knife = pd.Series(weapon == "knife_or_sharp", index=chosen.index, dtype="boolean")
    crimes = pd.DataFrame(
        {
            "crime_id": chosen["crime_id"],
            "month": chosen["month"],
            "area_code": chosen["local_authority"],
            "offence_code": chosen["offence"],
            "public_place": chosen["public_place"],
            "domestic": chosen["domestic"],
            "knife_or_sharp_instrument": knife.mask(weapon.isna() | (weapon == "unknown")),
        }
    )
    if "synthetic" in chosen.columns:
        crimes["synthetic"] = chosen["synthetic"]
    parts = []
    for name, age in (("victims", "victim_age"), ("perpetrators", "suspect_age")):
        people = getattr(inputs, name)
        if people is None or people.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "crime_id": people["crime_id"].to_numpy(),
                    "role": people["role"].to_numpy(),
                    "age": people[age].to_numpy(),
                }
            )
        )
    empty = pd.DataFrame({"crime_id": [], "role": [], "age": []})
    people_table = pd.concat(parts, ignore_index=True) if parts else empty
    if inputs.perpetrators is None or inputs.perpetrators.empty:
        notes.append("No suspects or offenders are loaded: figures by their age cannot be made.")
    return crimes.reset_index(drop=True), people_table


def episode_table(inputs: ProfileInputs, notes: list[str]) -> pd.DataFrame | None:
    """The admissions of the area's residents as hospital episodes (``EPISODE_COLUMNS``
    and the diagnosis positions), or None."""
    admissions = inputs.admissions
    if admissions is None or admissions.empty:
        return None
    needed = [column for column in EPISODE_COLUMNS if column != "area_code"]
    missing = [column for column in needed if column not in admissions.columns]
    diagnoses = [column for column in admissions.columns if str(column).startswith("diag_")]
    if missing or not diagnoses:
        notes.append(
            "The admissions carry no diagnosis or episode columns, so the hospital success "
            "measures are not counted."
        )
        return None
    inside = admissions["local_authority"].isin(_codes(inputs)).fillna(False).astype(bool)
    if (~inside).any():
        notes.append(
            f"{inputs.count(int((~inside).sum()))} admissions of people living outside "
            f"{inputs.scope.name}, or of unknown residence, are left out of the hospital "
            "figures."
        )
    chosen = admissions[inside]
    table = chosen[[*needed, *diagnoses]].assign(area_code=chosen["local_authority"])
    if "synthetic" in chosen.columns:
        table["synthetic"] = chosen["synthetic"]
    _check_nested(inputs, notes)
    return table  # indexed like ``inputs.admissions``


def _check_nested(inputs: ProfileInputs, notes: list[str]) -> None:
    """Note a hospital measure whose rule is wider than the violence-related admission:
    it is counted among violence-related admissions only (the frame holds no others)."""
    hospital = inputs.definitions.hospital
    violence = hospital.violence_related_admission
    for measure in inputs.definitions.success_measures.measures:
        rule = measure.rule
        if not isinstance(rule, AdmissionRule):
            continue
        within = (
            hospital.code_set(rule.code_set).is_subset_of(hospital.code_set(violence.code_set))
            and (rule.emergency_only or not violence.emergency_only)
            and (rule.first_finished_episode_only or not violence.first_finished_episode_only)
        )
        if not within:
            notes.append(
                f"{measure.id}: its rule counts episodes that are not violence-related "
                "admissions, which the profile does not load; it is counted among "
                "violence-related admissions only and may be understated."
            )


def _population(inputs: ProfileInputs) -> pd.DataFrame | None:
    """Residents of the area's local authorities by Census age group (POPULATION_COLUMNS)."""
    population = inputs.population
    if population is None or population.empty:
        return None
    chosen = population[population["local_authority"].isin(_codes(inputs))]
    if chosen.empty:
        return None
    table = (
        chosen.assign(age_to=chosen["age_to"].astype(float))
        .groupby(["local_authority", "age_from", "age_to"], dropna=False)["residents"]
        .sum()
        .reset_index()
    )
    return table.rename(columns={"local_authority": "area_code", "residents": "population"})


# --------------------------------------------------------------------------- figures


def _trend(months: pd.DataFrame) -> tuple[CountTrend | None, str]:
    """The trend of the monthly counts, or None and why not."""
    if len(months) < MINIMUM_MONTHS:
        return None, (
            f"No trend: {len(months)} months is too short for a regression trend (at least "
            f"{MINIMUM_MONTHS} are needed)."
        )
    if not months["count"].any():
        return None, "No trend: every monthly count is zero."
    try:
        trend = count_trend(months, "count", "month")
    except ValueError as error:
        return None, f"No trend: {error}."
    except ArithmeticError:  # a fit that diverges (e.g. all events in one month)
        return None, "No trend: the monthly counts are too few or too uneven for a fit."
    limits = (trend.annual_change, trend.annual_change_lower, trend.annual_change_upper)
    if not all(math.isfinite(value) for value in limits):
        return None, "No trend: the monthly counts are too few or too uneven for a fit."
    return trend, ""


def _figure_finding(
    inputs: ProfileInputs, result: MeasureResult, figure_id: str, finding_id: str
) -> Finding:
    figure = next(figure for figure in result.figures if figure.id == figure_id)
    summary = result.summary.set_index("measure").loc[figure_id]
    months = result.by_month.loc[result.by_month["measure"] == figure_id, ["month", "count"]]
    months = months.reset_index(drop=True)
    count = int(summary["count"])
    rate = number(summary.get("rate"))
    what = _counted(figure.label, figure.data_source, inputs.count(count), inputs.scope.name)
    if rate is not None:
        value: float = rate
        lower, upper = number(summary["lowercl"]), number(summary["uppercl"])
        unit, method = RATE_UNIT, RATE_METHOD
        population = number(summary["population"])
        limits = interval_text(Estimate(rate, lower, upper), lambda v: f"{v:.1f}")
        headline = (
            f"In {inputs.period}, {what}: {rate:.1f} per {RATE_PER:,} residents a year {limits}."
        )
        denominator: float | None = population
        denominator_label = "residents of the figure's ages" if figure.age else "residents"
    else:
        value, lower, upper, unit, method = count, None, None, COUNT_UNIT, "count"
        headline = f"In {inputs.period}, {what} (no population is loaded for a rate)."
        denominator, denominator_label = None, ""
    trend, why_not = _trend(months)
    notes = [*inputs.cache.get(f"{CACHE_KEY}.notes", ()), *result.notes]
    significance: str | None = None
    comparator: str | None = None
    comparator_value: float | None = None
    p_value: float | None = None
    if trend is not None:
        text = trend.summary
        headline += f" Over the period: {text[:1].lower() + text[1:]}."
        significance = (
            ("higher" if trend.annual_change > 0 else "lower")
            if trend.significant
            else "not significant"
        )
        comparator = "no change over the period (trend: annual change, %)"
        comparator_value = trend.annual_change
        p_value = trend.p_value
        notes.append(
            f"Trend ({PERCENT_CHANGE} a year): {trend.annual_change:+.1f}% "
            f"(95% CI {trend.annual_change_lower:+.1f}% to {trend.annual_change_upper:+.1f}%), "
            f"p = {trend.p_value:.3g}, {trend.family}, {trend.months} months."
        )
        method += "; " + TREND_METHOD
    else:
        notes.append(why_not)
    measure_text = _figure_definition(inputs, figure_id)
    return Finding(
        id=finding_id,
        title=figure.label,
        topic=TOPIC,
        value=value,
        value_is_count=rate is None,
        lower=lower,
        upper=upper,
        unit=unit,
        sentence=headline,
        definition=measure_text,
        method=method,
        period=str(inputs.period),
        area=inputs.scope.name,
        numerator=count,
        denominator=denominator,
        denominator_label=denominator_label,
        comparator=comparator,
        comparator_value=comparator_value,
        significance=significance,
        p_value=p_value,
        definitions=result.measure_definitions[figure_id],
        data=months,
        counts=("count",),
        notes=tuple(notes),
    )


def _counted(label: str, source: str, count: str, area: str) -> str:
    """How many of a figure were counted, and where: ``"12 offences of serious violence
    were recorded in Leicester"``, ``"residents of Leicester had 3 hospital admissions
    for ..."``."""
    text = label[:1].lower() + label[1:]
    if source == "police":
        return f"{count} offences of {text} were recorded in {area}"
    return f"residents of {area} had {count} {text}"


def _figure_definition(inputs: ProfileInputs, figure_id: str) -> str:
    definitions = inputs.definitions
    if figure_id in definitions.success_measures.ids:
        measure = definitions.success_measures[figure_id]
        where = (
            "crimes located in the area's local authorities (one count per crime)"
            if measure.data_source == "police"
            else "admissions of residents of the area's local authorities"
        )
        text = f"{measure.description} Counted: {where}."
    else:
        serious = definitions.serious_violence
        text = (
            f"Serious violence as the serious-violence definition ({serious.ref.short_id}) "
            f"says: {serious.header.description} Counted: crimes located in the area's local "
            "authorities, once each."
        )
        if figure_id == SERIOUS_VIOLENCE_U25:
            text += " Only crimes with a victim, suspect or offender aged under 25."
    return text + f" Rate: per {RATE_PER:,} residents of the figure's ages (Census 2021) a year."


def success_measures(inputs: ProfileInputs) -> list[Finding]:
    """``success_{measure id}`` for each Home Office success measure of a data source that
    is loaded."""
    result = measures(inputs)
    ids = set(inputs.definitions.success_measures.ids)
    findings = [
        _figure_finding(inputs, result, figure.id, f"success_{figure.id}")
        for figure in result.figures
        if figure.id in ids
    ]
    if not findings:
        raise NotComputed("no success measure's data source is loaded")
    return findings


def serious_violence(inputs: ProfileInputs) -> list[Finding]:
    """``serious_violence`` and ``serious_violence_u25``."""
    result = measures(inputs)
    present = {figure.id for figure in result.figures}
    if SERIOUS_VIOLENCE not in present:
        raise NotComputed(
            f"needs the force's crime extract (police-extract), and none is loaded for "
            f"{inputs.period}"
        )
    return [
        _figure_finding(inputs, result, figure_id, figure_id)
        for figure_id in (SERIOUS_VIOLENCE, SERIOUS_VIOLENCE_U25)
        if figure_id in present
    ]


def u25_public_place_share(inputs: ProfileInputs) -> list[Finding]:
    """The share of offences in the serious-violence groupings by suspects or offenders
    under 25 that happened in a public place (base ``groupings``)."""
    result = measures(inputs)
    shared = result.public_place_share
    if shared is None:
        raise NotComputed(
            f"needs the force's crime extract (police-extract), and none is loaded for "
            f"{inputs.period}"
        )
    table = shared.table
    row: Any = table.set_index("base").loc[SHARE_BASE]
    offences, public = int(row["offences"]), int(row["public"])
    if offences <= 0:
        raise NotComputed(
            f"no offence in the serious-violence groupings with a suspect or offender under "
            f"25 in {inputs.period}"
        )
    estimate = Estimate(float(row["value"]), number(row["lowercl"]), number(row["uppercl"]))
    other = table[table["base"] != SHARE_BASE]
    notes = [
        f"On the {base} base ({description}): {percent_text(value)} of {inputs.count(int(n))}."
        for base, description, value, n in zip(
            other["base"], other["description"], other["value"], other["offences"], strict=True
        )
    ]
    return [
        Finding(
            id=PUBLIC_PLACE_SHARE,
            title="Share of serious violence by under-25s in a public place",
            topic=TOPIC,
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=PROPORTION,
            sentence=(
                f"{percent_text(estimate.value)} {interval_text(estimate, percent_text)} of "
                f"the {inputs.count(offences)} offences in the serious-violence groupings by "
                "suspects or "
                f"offenders under 25 located in {inputs.scope.name} in {inputs.period} "
                "happened in a public place."
            ),
            definition=(
                "Offences whose code is in the serious-violence definition's groupings, "
                "domestic ones included (the definition itself is public-place only, so its "
                "public-place rule is set aside), with a suspect or offender aged under 25 "
                f"({shared.age}): those recorded in a public place (an unknown place counts "
                "in the denominator only)."
            ),
            method=WILSON,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=public,
            denominator=offences,
            denominator_label="offences in the groupings by under-25s",
            definitions=tuple(ref.short_id for ref in shared.references),
            data=table,
            counts=("public", "offences"),
            notes=(*notes, *inputs.cache.get(f"{CACHE_KEY}.notes", ())),
        )
    ]


FINDINGS = {
    "success_measures": success_measures,
    "serious_violence": serious_violence,
    "u25_public_place_share": u25_public_place_share,
}
