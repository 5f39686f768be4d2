"""Where violence concentrates: volumes and rates by ward, LSOA, CSP and local authority,
and the year-on-year change in robbery by area."""

from __future__ import annotations

import pandas as pd

from vrn.analytics.findings.base import (
    PERCENT_CHANGE,
    RATE_INTERVALS,
    Estimate,
    Finding,
    NotComputed,
    number,
    significance_of,
)
from vrn.analytics.findings.inputs import ProfileInputs
from vrn.analytics.findings.police import RATE_PER
from vrn.analytics.findings.violence import flag_of, perpetrator_groups, violence
from vrn.analytics.stats import compare_with_benchmark, percentage_change, rate
from vrn.analytics.year_on_year import year_apart

LEVELS = {
    "ward": "ward",
    "lsoa": "LSOA",
    "csp": "Community Safety Partnership",
    "local_authority": "local authority",
}
#: The police.uk category of robbery, and the offence group it holds in the extract.
ROBBERY = "Robbery"


def _area_rates(inputs: ProfileInputs, events: pd.DataFrame, level: str) -> pd.DataFrame:
    """Events per 1,000 residents a year in each area of ``level`` with residents, with 95%
    limits, each compared with the whole area's rate at 99.8% (as a funnel plot does for
    many areas: at 95%, one area in 20 would differ by chance)."""
    population = inputs.population.dropna(subset=[level])
    at_risk = population.groupby(level)["residents"].sum() * inputs.years
    table = at_risk[at_risk > 0].rename("population").rename_axis("area").reset_index()
    if table.empty:  # no residents at this level: no rates
        return table
    counts = events[level].value_counts()
    table["count"] = table["area"].map(counts).fillna(0).astype(int)
    rates = rate(table, "count", "population", confidence=(0.95, 0.998), multiplier=RATE_PER)
    table["rate"] = rates["value"].to_numpy()
    table["rate_lower"] = rates["lower95_0cl"].to_numpy()
    table["rate_upper"] = rates["upper95_0cl"].to_numpy()
    overall = float(table["count"].sum() / table["population"].sum() * RATE_PER)
    compared = compare_with_benchmark(rates, overall, confidence=0.998)
    table["significance"] = compared["comparison"].astype(str).to_numpy()
    table["name"] = table["area"].map(inputs.scope.name_of)
    table["area_rate"] = overall
    columns = ["area", "name", "count", "population", "rate", "rate_lower", "rate_upper"]
    return table[[*columns, "significance", "area_rate"]]


def rates_by_area(inputs: ProfileInputs) -> list[Finding]:
    counted = violence(inputs)
    findings = []
    for level, noun in LEVELS.items():
        table = _area_rates(inputs, counted.events, level)
        if len(table) < 2 or table["population"].sum() <= 0:
            continue
        by_rate = table.sort_values("rate", ascending=False).reset_index(drop=True)
        by_volume = table.sort_values("count", ascending=False).reset_index(drop=True)
        top = by_rate.iloc[0]
        higher_areas = by_rate[by_rate["significance"] == "Higher"]
        higher = len(higher_areas)
        findings.append(
            Finding(
                id=f"rates_by_{level}",
                title=f"{counted.label.split(' (')[0].capitalize()} by {noun}",
                topic="place",
                value=str(top["name"]),
                lower=None,
                upper=None,
                unit=noun,
                sentence=(
                    f"By {noun}, the highest rate of {counted.label} was in {top['name']}: "
                    f"{top['rate']:.1f} per 1,000 residents a year (95% CI "
                    f"{top['rate_lower']:.1f} to {top['rate_upper']:.1f}) against "
                    f"{top['area_rate']:.1f} across {inputs.scope.name}; the highest volume "
                    f"was in {by_volume.iloc[0]['name']} "
                    f"({inputs.count(int(by_volume.iloc[0]['count']))} "
                    f"offences). {higher} of {len(table)} {noun}s had a rate significantly "
                    "above the area's (99.8% limits)"
                    + (
                        f", the highest {higher_areas.iloc[0]['name']}"
                        if higher and higher_areas.iloc[0]["name"] != top["name"]
                        else ""
                    )
                    + f" ({inputs.period})."
                ),
                definition=(
                    f"Offences of {counted.label} located in each {noun}, per 1,000 residents "
                    "a year (Census 2021) with 95% limits; significantly higher or lower where "
                    "the area's 99.8% limits exclude the whole area's rate."
                ),
                method=RATE_INTERVALS + "; each area's 99.8% interval compared with the whole "
                "area's rate (funnel-plot convention for many areas)",
                period=str(inputs.period),
                area=inputs.scope.name,
                comparator=f"{inputs.scope.name} rate",
                comparator_value=float(top["area_rate"]),
                definitions=counted.definitions,
                data=by_rate,
                counts=("count",),
            )
        )
    if not findings:
        raise NotComputed("the area has no residents in the reference population")
    return findings


def _robbery(inputs: ProfileInputs) -> tuple[pd.DataFrame, str, tuple[str, ...]]:
    if inputs.crimes is not None and len(inputs.crimes):
        codes = inputs.definitions.offence_codes
        types = codes.police_uk_crime_type(inputs.crimes["offence"])
        return (
            inputs.crimes[types == ROBBERY],
            "robbery (offence codes of the police.uk Robbery category)",
            (codes.ref.short_id,),
        )
    street = inputs.street_crimes
    if street is None or not len(street):
        raise NotComputed(f"needs police-recorded crime for {inputs.period}")
    return street[street["crime_type"] == ROBBERY], 'police.uk "Robbery"', ()


def robbery_rate_change(inputs: ProfileInputs) -> list[Finding]:
    """All robbery: the last 12 months of the period against the 12 before, by local
    authority."""
    _two_years(inputs)
    robbery, label, definitions = _robbery(inputs)
    return [_change(inputs, robbery, label, definitions, "robbery_rate_change", "Robbery")]


def robbery_u25_rate_change(inputs: ProfileInputs) -> list[Finding]:
    """Robbery by under-25s (the Response Strategy's "robbery offences by under 25s"), the
    same way; needs the force extract with its suspects and offenders."""
    _two_years(inputs)
    inputs.need("crimes", "the force's crime extract (police-extract)")
    robbery, label, definitions = _robbery(inputs)
    young = flag_of(robbery["crime_id"], perpetrator_groups(inputs), "under_25")
    label = f"{label.split(' (')[0]} by suspects or offenders under 25"
    finding = _change(
        inputs,
        robbery[young.to_numpy()],
        label,
        definitions,
        "robbery_u25_rate_change",
        "Robbery by under-25s",
    )
    return [finding]


def _two_years(inputs: ProfileInputs) -> None:
    months = inputs.period.labels
    if year_apart(months) is None:
        raise NotComputed(
            "a change on the year before needs at least 13 months of data; the period has "
            f"{len(months)}"
        )


def _change(
    inputs: ProfileInputs,
    robbery: pd.DataFrame,
    label: str,
    definitions: tuple[str, ...],
    finding_id: str,
    title: str,
) -> Finding:
    """Offences of ``robbery`` in the last 12 months of the period against the 12 before,
    for the area and each of its local authorities."""
    months = inputs.period.labels
    window = year_apart(months)
    if window is None:  # _two_years has said why
        raise NotComputed(f"{inputs.period} is too short to compare with the year before")
    earlier, later = set(window.earlier), set(window.later)
    later_span, earlier_span = window.later_span, window.earlier_span
    population = inputs.population.groupby("local_authority")["residents"].sum()
    rows = []
    for code, residents in population.items():
        in_area = robbery[robbery["local_authority"] == code]
        rows.append(
            (
                code,
                inputs.scope.name_of(code),
                int(in_area["month"].isin(earlier).sum()),
                int(in_area["month"].isin(later).sum()),
                float(residents),
            )
        )
    table = pd.DataFrame(rows, columns=["area", "name", "earlier", "later", "population"])
    total = pd.DataFrame(
        [
            (
                inputs.scope.code,
                inputs.scope.name,
                int(table["earlier"].sum()),
                int(table["later"].sum()),
                float(table["population"].sum()),
            )
        ],
        columns=table.columns,
    )
    table = pd.concat([total, table], ignore_index=True)
    some = (table["earlier"] + table["later"]) > 0
    table["change"] = table["change_lower"] = table["change_upper"] = float("nan")
    if some.any():
        change = percentage_change(
            table.loc[some, "earlier"],
            table.loc[some, "population"],
            table.loc[some, "later"],
            table.loc[some, "population"],
        )
        table.loc[some, "change"] = change["value"].to_numpy()
        table.loc[some, "change_lower"] = change["lowercl"].to_numpy()
        table.loc[some, "change_upper"] = change["uppercl"].to_numpy()
    table["significance"] = [
        significance_of(Estimate(c, lo, hi), 0.0)
        for c, lo, hi in zip(
            table["change"], table["change_lower"], table["change_upper"], strict=True
        )
    ]
    first = table.iloc[0]
    estimate = Estimate(
        number(first["change"]), number(first["change_lower"]), number(first["change_upper"])
    )
    if estimate.value is None:
        earlier_count, later_count = int(first["earlier"]), int(first["later"])
        if earlier_count + later_count == 0:
            raise NotComputed(f"no {label} in the last two years of {inputs.period}")
        raise NotComputed(
            f"no {label} in the earlier months ({earlier_span}) and "
            f"{inputs.count(later_count)} in the later: a percentage change from none has no "
            "value"
        )
    direction = "rose" if estimate.value > 0 else "fell"
    significant = table.iloc[1:][table.iloc[1:]["significance"] != "not significant"]
    return Finding(
        id=finding_id,
        title=f"{title}: change on the year before",
        topic="place",
        value=estimate.value,
        lower=estimate.lower,
        upper=estimate.upper,
        unit=PERCENT_CHANGE,
        sentence=(
            f"Recorded {label.split(' (')[0]} {direction} by {abs(estimate.value):.0f}% "
            f"(95% CI {estimate.lower:+.0f}% to {estimate.upper:+.0f}%) in "
            f"{later_span} against {earlier_span}: "
            f"{inputs.count(int(first['later']))} offences against "
            f"{inputs.count(int(first['earlier']))}"
            + (
                f"; significant changes in {', '.join(significant['name'])}."
                if len(significant)
                else "; no local authority's change was significant."
            )
        ),
        definition=(
            f"Offences of {label} in the last 12 months of the period against the 12 "
            "before (a period of 13 to 23 months: its last months against the same months "
            "a year before), per resident (the same Census 2021 population in both)."
        ),
        method="exact conditional interval for the ratio of the two rates",
        period=f"{later_span} against {earlier_span}",
        area=inputs.scope.name,
        numerator=int(first["later"]),
        denominator=int(first["earlier"]),
        denominator_label="offences in the earlier year",
        comparator="the year before",
        comparator_value=0.0,
        significance=significance_of(estimate, 0.0),
        definitions=definitions,
        data=table,
        counts=("earlier", "later"),
    )


FINDINGS = {
    "rates_by_area": rates_by_area,
    "robbery_rate_change": robbery_rate_change,
    "robbery_u25_rate_change": robbery_u25_rate_change,
}
