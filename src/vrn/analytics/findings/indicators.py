"""Risk and protective factors: the loaded Fingertips-format indicators, against England.

``inputs.indicators`` holds one row per indicator, area, sex, age and period (the
Fingertips "all data" layout, whole areas only; ``vrn.profile.health_queries
.indicator_values``). For each indicator, the areas of the profile are its local
authorities (by code) and its counties (by name, as Fingertips has county rows of their
own); their latest period's values are compared with England's: by the file's own
"Compared to England" column where it says, otherwise by
:func:`vrn.analytics.stats.compare_with_benchmark` of the area's 95% limits against
England's value in the same period.

Each indicator gives ``risk_factor_{indicator id}`` (how many of the areas differ
significantly from England, with every area's value in the sentence) and, for each area
with a value, ``risk_factor_{indicator id}_{area}`` (its value with limits against
England's).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.findings.base import Estimate, Finding, NotComputed, interval_text, number
from vrn.analytics.findings.inputs import ProfileInputs, slug
from vrn.analytics.stats import compare_with_benchmark

ENGLAND = "E92000001"
TOPIC = "risk factors"
#: The sex whose rows an indicator is reported for when it has them.
PERSONS = "Persons"
#: Fingertips comparison words that say the area differs significantly.
DIFFERENT = ("Higher", "Lower", "Better", "Worse")
#: Fingertips comparison words that say nothing was compared.
NOT_COMPARED = ("", "Not compared", "Cannot be calculated")
METHOD_FILE = "as published: the file's 'Compared to England' column (95% confidence)"
METHOD_OURS = (
    "the area's 95% confidence interval (as published) compared with England's value "
    "(vrn.analytics.stats.compare_with_benchmark)"
)
#: Multipliers recognised from value = count / denominator x multiplier.
MULTIPLIERS = {100: "%", 1_000: "per 1,000", 10_000: "per 10,000", 100_000: "per 100,000"}


@dataclass(frozen=True)
class Place:
    """An area of the profile as the indicator file names it."""

    code: str
    name: str
    kind: str  # "local_authority", "county" or the scope's kind


def _places(inputs: ProfileInputs, rows: pd.DataFrame) -> list[Place]:
    """The scope's own area (if the file has it), its local authorities and its counties
    (matched by name), in that order, each once."""
    scope = inputs.scope
    codes = set(rows["area_code"])
    places = []
    if scope.code in codes and scope.code not in scope.local_authorities:
        places.append(Place(scope.code, scope.name, scope.kind))
    for code, name in scope.local_authorities.items():
        if code in codes:
            places.append(Place(code, name, "local_authority"))
    names = rows.drop_duplicates("area_code").set_index("area_code")["area_name"]
    taken = {place.code for place in places}
    for county in scope.counties:
        matches = [
            str(code)
            for code, name in names.items()
            if str(name).strip().lower() == county.strip().lower() and code not in taken
        ]
        if matches:
            places.append(Place(matches[0], county, "county"))
    return places


def _series(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the indicator's headline series: ``Persons`` where it has them, and
    the age with the most rows."""
    if (rows["sex"] == PERSONS).any():
        rows = rows[rows["sex"] == PERSONS]
    ages = rows["age"].value_counts()
    top = sorted(ages[ages == ages.max()].index)[0]
    return rows[rows["age"] == top]


def _order(rows: pd.DataFrame) -> pd.Series:
    """A sortable key of each row's period: Fingertips' sortable number where given, else
    the period's text."""
    sortable = pd.to_numeric(rows["time_period_sortable"], errors="coerce")
    if sortable.notna().all():
        return sortable.astype(float)
    ranks = {text: i for i, text in enumerate(sorted(set(rows["time_period"].astype(str))))}
    return rows["time_period"].astype(str).map(ranks).astype(float)


def _unit(rows: pd.DataFrame) -> str:
    """The unit the values are in, from value = count / denominator x multiplier."""
    usable = rows.dropna(subset=["value", "count", "denominator"])
    usable = usable[(usable["count"] > 0) & (usable["denominator"] > 0)]
    if usable.empty:
        return "value as published"
    multiplier = float(np.median(usable["value"] * usable["denominator"] / usable["count"]))
    for candidate, unit in MULTIPLIERS.items():
        if math.isclose(multiplier, candidate, rel_tol=0.01):
            return unit
    return "value as published"


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "not known"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:,.1f}" + (f" {unit}" if unit.startswith("per") else "")


def _direction(value: float | None, england: float | None, word: str) -> str | None:
    """``higher``/``lower``/``not significant`` (the Finding's words) from a Fingertips
    comparison word."""
    if word in NOT_COMPARED:
        return None
    if word not in DIFFERENT:
        return "not significant"
    if word in ("Higher", "Lower"):
        return word.lower()
    if value is None or england is None:
        return None
    return "higher" if value > england else "lower"


def _compare(latest: pd.DataFrame, england: float | None) -> pd.DataFrame:
    """Each row's comparison with England: the file's where given, else ours."""
    table = latest.copy()
    given = table["compared_to_england"].fillna("").astype(str).str.strip()
    table["comparison"] = given
    table["comparison_source"] = "file"
    missing = given.isin(NOT_COMPARED)
    if england is not None and missing.any():
        ours = compare_with_benchmark(
            table.loc[missing], float(england), lower="lower_ci_95", upper="upper_ci_95"
        )
        table.loc[missing, "comparison"] = ours["comparison"].astype(str).to_numpy()
        table.loc[missing, "comparison_source"] = "computed"
    table.loc[table["comparison"] == "", "comparison"] = "Not compared"
    return table


def risk_factors(inputs: ProfileInputs) -> list[Finding]:
    """``risk_factor_{id}`` and ``risk_factor_{id}_{area}`` for each loaded indicator."""
    indicators = inputs.need("indicators", "Fingertips-format indicators (indicators)")
    findings: list[Finding] = []
    for indicator_id, rows in indicators.groupby("indicator_id", sort=True):
        findings += _indicator(inputs, indicator_id, rows)
    if not findings:
        raise NotComputed(
            f"no loaded indicator has a value for {inputs.scope.name} or its local "
            "authorities and counties"
        )
    return findings


def _indicator(inputs: ProfileInputs, indicator_id: Hashable, rows: pd.DataFrame) -> list[Finding]:
    places = _places(inputs, rows)
    if not places:
        return []
    series = _series(rows)
    series = series.assign(order=_order(series))
    codes = [place.code for place in places]
    valued = series[series["area_code"].isin(codes) & series["value"].notna()]
    if valued.empty:
        return []
    latest_order = valued["order"].max()
    latest = series[series["order"] == latest_order]
    period = str(latest["time_period"].iloc[0])
    england_rows = latest[(latest["area_code"] == ENGLAND) & latest["value"].notna()]
    england = number(england_rows["value"].iloc[0]) if not england_rows.empty else None
    areas = latest[latest["area_code"].isin(codes)].drop_duplicates("area_code")
    compared = _compare(areas, england).set_index("area_code")
    name = str(rows["indicator_name"].iloc[0])
    unit = _unit(series)
    sex, age = str(series["sex"].iloc[0]), str(series["age"].iloc[0])
    data = rows.drop(columns=[c for c in ("order",) if c in rows.columns]).sort_values(
        ["area_code", "sex", "age", "time_period"]
    )
    refs: tuple[str, ...] = ()
    synthetic = bool(rows["synthetic"].any()) if "synthetic" in rows.columns else False
    notes = (
        ("Synthetic indicator (ids 900001-900005 are not Fingertips ids).",) if synthetic else ()
    )
    per_area: list[Finding] = []
    described = []
    different = 0
    counted = 0
    for place in places:
        if place.code not in compared.index:
            continue
        row: Any = compared.loc[place.code]
        value = number(row["value"])
        if value is None:
            described.append(f"{place.name}: no value ({row.get('value_note') or 'suppressed'})")
            continue
        estimate = Estimate(value, number(row["lower_ci_95"]), number(row["upper_ci_95"]))
        word = str(row["comparison"])
        significance = _direction(value, england, word)
        source = METHOD_FILE if row["comparison_source"] == "file" else METHOD_OURS
        if word not in NOT_COMPARED:
            counted += 1
            different += word in DIFFERENT
        limits = interval_text(estimate, lambda v: _show(v, unit).split(" per")[0])
        against = (
            f", {_word_text(word)} England ({_show(england, unit)})"
            if word not in NOT_COMPARED
            else ""
        )
        described.append(f"{place.name} {_show(value, unit)} {limits}{against}")
        per_area.append(
            Finding(
                id=f"risk_factor_{indicator_id}_{slug(place.name)}",
                title=f"{name}: {place.name}",
                topic=TOPIC,
                value=value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=unit,
                sentence=(
                    f"{name} ({sex.lower()}, {age}) in {place.name} was {_show(value, unit)} "
                    f"{limits} in {period}{against}."
                ),
                definition=_definition(name, indicator_id, sex, age, place),
                method=f"95% limits as published; comparison {source}",
                period=period,
                area=place.name,
                numerator=number(row["count"]),
                denominator=number(row["denominator"]),
                denominator_label="denominator as published",
                comparator="England" if england is not None else None,
                comparator_value=england,
                significance=significance,
                definitions=refs,
                data=data[data["area_code"].isin([place.code, ENGLAND])].reset_index(drop=True),
                counts=("count", "denominator"),
                notes=notes,
                comparison_label=word,
            )
        )
    if not per_area:
        return []
    headline = Finding(
        id=f"risk_factor_{indicator_id}",
        title=name,
        topic=TOPIC,
        value=different,
        lower=None,
        upper=None,
        unit="areas significantly different from England",
        sentence=(f"{name} ({sex.lower()}, {age}), {period}: " + "; ".join(described) + "."),
        definition=_definition(name, indicator_id, sex, age, None),
        method=(
            f"95% limits as published; comparison {METHOD_FILE} where given, otherwise "
            f"{METHOD_OURS}"
        ),
        period=period,
        area=inputs.scope.name,
        numerator=different,
        denominator=counted,
        denominator_label="areas compared with England",
        comparator="England" if england is not None else None,
        comparator_value=england,
        definitions=refs,
        data=data.reset_index(drop=True),
        counts=("count", "denominator"),
        notes=notes,
    )
    return [headline, *per_area]


def _word_text(word: str) -> str:
    if word in DIFFERENT:
        return f"significantly {word.lower()} than"
    return "similar to"


def _definition(name: str, indicator_id: Hashable, sex: str, age: str, place: Place | None) -> str:
    where = (
        f"{place.name} ({place.code})"
        if place is not None
        else "each local authority and county of the area"
    )
    return (
        f"Indicator {indicator_id} '{name}', {sex}, {age}, as loaded from the Fingertips-format "
        f"file, for {where}: the latest period with a value, against England's value in "
        "that period."
    )


FINDINGS = {"risk_factors": risk_factors}
