"""Violence and deprivation: rates by IMD decile and quintile, the decile 1 against 10
rate ratio, and the slope and relative index of inequality."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from vrn.analytics.crosstab import Rates, crosstab
from vrn.analytics.findings.base import (
    RATE_INTERVALS,
    RATIO,
    Estimate,
    Finding,
    NotComputed,
    interval_text,
    number,
    ratio_of_rates,
    significance_of,
    times,
)
from vrn.analytics.findings.inputs import ProfileInputs
from vrn.analytics.findings.police import EXACT_RATIO, RATE_PER
from vrn.analytics.findings.violence import Counted, violence
from vrn.analytics.stats import sii

DECILES = pd.CategoricalDtype(range(1, 11))
QUINTILES = pd.CategoricalDtype(range(1, 6))
#: Simulations for the limits of the SII and RII (seeded: the same data give the same
#: limits).
SII_REPEATS = 20_000
RATE_UNIT = "rate per 1,000 residents a year"
COLUMNS = ["count", "population", "rate", "rate_lower", "rate_upper"]


def _definition(counted: Counted, quantile: str = "decile") -> str:
    return (
        f"Offences of {counted.label} located in LSOAs of each IMD {quantile} (IoD2025, 1 = "
        "most deprived in England), per 1,000 residents of those LSOAs a year (Census 2021)."
    )


def _rates(inputs: ProfileInputs, events: pd.DataFrame, by: str) -> pd.DataFrame:
    """Events per 1,000 residents a year by ``imd_decile`` or ``imd_quintile``, every
    quantile listed (none at risk: no rate)."""
    population = inputs.population.dropna(subset=["imd_decile"]).copy()
    events = events.dropna(subset=["imd_decile"]).copy()
    for frame in (population, events):
        decile = frame["imd_decile"].astype(int)
        frame["imd_decile"] = decile.astype(DECILES)
        frame["imd_quintile"] = ((decile + 1) // 2).astype(QUINTILES)
    at_risk = population.groupby(by, observed=False)["residents"].sum() * inputs.years
    table = crosstab(
        events,
        [by],
        population=Rates(at_risk.rename("population").reset_index(), (by,), per=RATE_PER),
    )
    return table.dropna(subset=[by]).reset_index(drop=True)


def _deciles(inputs: ProfileInputs) -> tuple[Counted, pd.DataFrame]:
    counted = violence(inputs)
    if "imd_decile" not in inputs.population or inputs.population["imd_decile"].isna().all():
        raise NotComputed("needs the index of multiple deprivation (vrn load-reference)")
    key = "deprivation.deciles"
    if key not in inputs.cache:
        inputs.cache[key] = _rates(inputs, counted.events, "imd_decile")
    table: pd.DataFrame = inputs.cache[key]
    return counted, table


def deprivation_rates(inputs: ProfileInputs) -> list[Finding]:
    """Rates by decile and by quintile, most and least deprived with residents compared."""
    counted, deciles = _deciles(inputs)
    findings = []
    quintiles = _rates(inputs, counted.events, "imd_quintile")
    for by, table in (("decile", deciles), ("quintile", quintiles)):
        at_risk = table[table["population"] > 0]
        if at_risk.empty:
            continue
        most, least = at_risk.iloc[0], at_risk.iloc[-1]
        findings.append(
            Finding(
                id=f"deprivation_rates_by_{by}",
                title=f"{counted.label.split(' (')[0].capitalize()} by deprivation {by}",
                topic="deprivation",
                value=number(most["rate"]),
                lower=number(most["rate_lower"]),
                upper=number(most["rate_upper"]),
                unit=RATE_UNIT,
                sentence=(
                    f"In the most deprived {by} with residents ({by} {int(most[f'imd_{by}'])}) "
                    f"the rate of {counted.label} was {most['rate']:.2f} per 1,000 residents a "
                    f"year, against {least['rate']:.2f} in the least deprived ({by} "
                    f"{int(least[f'imd_{by}'])}), {inputs.period}."
                ),
                definition=_definition(counted, by),
                method=RATE_INTERVALS,
                period=str(inputs.period),
                area=inputs.scope.name,
                definitions=counted.definitions,
                data=table[
                    [f"imd_{by}", "count", "population", "rate", "rate_lower", "rate_upper"]
                ],
                counts=("count",),
            )
        )
    if not findings:
        raise NotComputed("no resident of the area lives in an LSOA with a deprivation decile")
    return findings + _inequality(inputs, counted, deciles)


def decile_1_vs_10(inputs: ProfileInputs) -> list[Finding]:
    counted, deciles = _deciles(inputs)
    first, last = deciles.iloc[0], deciles.iloc[-1]
    if first["population"] <= 0 or last["population"] <= 0:
        missing = [str(d) for d, row in ((1, first), (10, last)) if row["population"] <= 0]
        raise NotComputed(
            f"no resident of {inputs.scope.name} lives in an LSOA of IMD decile "
            f"{' or '.join(missing)}"
        )
    if first["count"] + last["count"] == 0:
        raise NotComputed(f"no offence of {counted.label} in decile 1 or decile 10 LSOAs")
    estimate = ratio_of_rates(
        first["count"], first["population"], last["count"], last["population"]
    )
    ratio_text = (
        f"{times(estimate.value)} the rate" if estimate.value is not None else "a rate above"
    )
    return [
        Finding(
            id="deprivation_rate_ratio_decile1_vs_10",
            title="Most against least deprived decile: rate ratio",
            topic="deprivation",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=RATIO,
            sentence=(
                f"Residents of the most deprived 10% of neighbourhoods saw {ratio_text} of "
                f"{counted.label} of those in the least deprived 10% {interval_text(estimate)}."
            ),
            definition=_definition(counted) + " Decile 1 divided by decile 10.",
            method=EXACT_RATIO,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=int(first["count"]),
            denominator=int(last["count"]),
            denominator_label="offences in decile 10 LSOAs",
            comparator="IMD decile 10",
            comparator_value=1.0,
            significance=estimate.significance,
            definitions=counted.definitions,
        )
    ]


def _inequality(inputs: ProfileInputs, counted: Counted, deciles: pd.DataFrame) -> list[Finding]:
    """SII and RII over every decile with residents. Rates are simulated on the log scale
    unless a decile has no events (a rate of 0 has no log): then on the linear scale."""
    usable = deciles[deciles["population"] > 0]
    if len(usable) < 5:
        return []
    value_type: Literal["rate", "other"] = "rate" if (usable["count"] > 0).all() else "other"
    result = sii(
        usable,
        "imd_decile",
        "population",
        "rate",
        "rate_lower",
        "rate_upper",
        value_type=value_type,
        multiplier=-1,
        repeats=SII_REPEATS,
        seed=0,
    ).iloc[0]
    method = str(result["method"])
    base: dict[str, Any] = {
        "topic": "deprivation",
        "method": method,
        "period": str(inputs.period),
        "area": inputs.scope.name,
        "definitions": counted.definitions,
        "comparator": "no gradient",
    }
    findings = []
    sii_value = number(result["sii"])
    if sii_value is not None:
        sii_estimate = _estimate(result, "sii")
        findings.append(
            Finding(
                id="deprivation_sii",
                title="Slope index of inequality",
                value=sii_value,
                lower=sii_estimate.lower,
                upper=sii_estimate.upper,
                unit=RATE_UNIT,
                sentence=(
                    f"The slope index of inequality: from the least to the most deprived end "
                    f"of the area the rate of {counted.label} changes by {sii_value:+.2f} per "
                    "1,000 residents a year on the fitted line "
                    f"{interval_text(sii_estimate)}."
                ),
                definition=_definition(counted) + " The SII is the fitted rate at the most "
                "deprived end minus that at the least deprived end.",
                comparator_value=0.0,
                significance=significance_of(sii_estimate, 0.0),
                **base,
            )
        )
    rii_value = number(result["rii"])
    if rii_value is not None:
        rii_estimate = _estimate(result, "rii")
        findings.append(
            Finding(
                id="deprivation_rii",
                title="Relative index of inequality",
                value=rii_value,
                lower=rii_estimate.lower,
                upper=rii_estimate.upper,
                unit=RATIO,
                sentence=(
                    f"The relative index of inequality: the fitted rate at the most deprived "
                    f"end is {times(rii_value)} that at the least deprived end "
                    f"{interval_text(rii_estimate)}."
                ),
                definition=_definition(counted) + " The RII is the fitted rate at the most "
                "deprived end divided by that at the least deprived end.",
                comparator_value=1.0,
                significance=significance_of(rii_estimate, 1.0),
                **base,
            )
        )
    return findings


def _estimate(result: pd.Series, name: str) -> Estimate:
    return Estimate(
        number(result[name]), number(result[f"{name}_lowercl"]), number(result[f"{name}_uppercl"])
    )


FINDINGS = {
    "deprivation_rates": deprivation_rates,
    "deprivation_rate_ratio_decile1_vs_10": decile_1_vs_10,
}
