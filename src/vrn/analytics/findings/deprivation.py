"""Violence and deprivation: rates by IMD decile and quintile, the decile 1 against 10
rate ratio, and the slope and relative index of inequality."""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrn.analytics.crosstab import Rates, crosstab
from vrn.analytics.findings.base import RATIO, Finding, NotComputed, interval_text, number, times
from vrn.analytics.findings.base import ratio_of_rates as rate_ratio_estimate
from vrn.analytics.findings.inputs import ProfileInputs
from vrn.analytics.findings.police import EXACT_RATIO, RATE_PER
from vrn.analytics.findings.violence import violence
from vrn.analytics.stats import sii

DECILES = pd.CategoricalDtype(range(1, 11))
RATES = "exact Poisson interval below 10 events, Byar's from 10"
#: Simulations for the limits of the SII and RII (seeded: the same data give the same
#: limits).
SII_REPEATS = 20_000


def _rates(inputs: ProfileInputs, events: pd.DataFrame, by: str) -> pd.DataFrame:
    population = inputs.population.dropna(subset=["imd_decile"]).copy()
    events = events.dropna(subset=["imd_decile"]).copy()
    for frame in (population, events):
        frame["imd_decile"] = frame["imd_decile"].astype(int).astype(DECILES)
    if by == "imd_quintile":
        dtype = pd.CategoricalDtype(range(1, 6))
        for frame in (population, events):
            frame["imd_quintile"] = ((frame["imd_decile"].astype(int) + 1) // 2).astype(dtype)
    at_risk = population.groupby(by, observed=False)["residents"].sum() * inputs.years
    table = crosstab(
        events,
        [by],
        population=Rates(at_risk.rename("population").reset_index(), (by,), per=RATE_PER),
    )
    return table.dropna(subset=[by]).reset_index(drop=True)


def deprivation_gradient(inputs: ProfileInputs) -> list[Finding]:
    counted = violence(inputs)
    events = counted.events
    if "imd_decile" not in inputs.population or inputs.population["imd_decile"].isna().all():
        raise NotComputed("needs the index of multiple deprivation (vrn load-reference)")
    deciles = _rates(inputs, events, "imd_decile")
    quintiles = _rates(inputs, events, "imd_quintile")
    base: dict[str, Any] = {
        "topic": "deprivation",
        "period": str(inputs.period),
        "area": inputs.scope.name,
        "definitions": counted.definitions,
    }
    definition = (
        f"Offences of {counted.label} located in LSOAs of each IMD decile (IoD2025, 1 = most "
        "deprived 10% in England), per 1,000 residents of those LSOAs a year (Census 2021)."
    )
    findings = [
        Finding(
            id=f"deprivation_rates_by_{by[4:]}",
            title=f"{counted.label.split(' (')[0].capitalize()} by deprivation {by[4:]}",
            value=number(table["rate"].iloc[0]),
            lower=number(table["rate_lower"].iloc[0]),
            upper=number(table["rate_upper"].iloc[0]),
            unit="rate per 1,000 residents a year",
            sentence=(
                f"In the most deprived {by[4:]} the rate of {counted.label} was "
                f"{table['rate'].iloc[0]:.2f} per 1,000 residents a year, against "
                f"{table['rate'].iloc[-1]:.2f} in the least deprived ({inputs.period})."
            ),
            definition=definition.replace("decile", by[4:]),
            method=RATES,
            data=table[[by, "count", "population", "rate", "rate_lower", "rate_upper"]],
            counts=("count",),
            **base,
        )
        for by, table in (("imd_decile", deciles), ("imd_quintile", quintiles))
        if table["rate"].notna().any()
    ]
    if not findings:
        raise NotComputed("no resident lives in an LSOA with a deprivation decile")
    first, last = deciles.iloc[0], deciles.iloc[-1]
    if first["population"] > 0 and last["population"] > 0 and first["count"] + last["count"]:
        estimate = rate_ratio_estimate(
            first["count"], first["population"], last["count"], last["population"]
        )
        findings.append(
            Finding(
                id="deprivation_rate_ratio_decile1_vs_10",
                title="Most against least deprived decile: rate ratio",
                value=estimate.value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=RATIO,
                sentence=(
                    f"Residents of the most deprived 10% of neighbourhoods saw "
                    f"{times(estimate.value)} the rate of {counted.label} of those in the "
                    f"least deprived 10% {interval_text(estimate)}."
                ),
                definition=definition + " Decile 1 divided by decile 10.",
                method=EXACT_RATIO,
                numerator=int(first["count"]),
                denominator=int(last["count"]),
                denominator_label="offences in decile 10 LSOAs",
                comparator="IMD decile 10",
                comparator_value=1.0,
                significance=estimate.significance,
                **base,
            )
        )
    findings += _inequality(deciles, counted.label, definition, base)
    return findings


def _inequality(
    deciles: pd.DataFrame, label: str, definition: str, base: dict[str, Any]
) -> list[Finding]:
    usable = deciles[(deciles["population"] > 0) & (deciles["count"] > 0)]
    if len(usable) < 5:
        return []
    result = sii(
        usable,
        "imd_decile",
        "population",
        "rate",
        "rate_lower",
        "rate_upper",
        multiplier=-1,
        repeats=SII_REPEATS,
        seed=0,
    ).iloc[0]
    method = str(result["method"])
    sii_value = number(result["sii"])
    rii_value = number(result["rii"])
    return [
        Finding(
            id="deprivation_sii",
            title="Slope index of inequality",
            value=sii_value,
            lower=number(result["sii_lowercl"]),
            upper=number(result["sii_uppercl"]),
            unit="rate per 1,000 residents a year",
            sentence=(
                f"The slope index of inequality: from the least to the most deprived end of "
                f"the area the rate of {label} rises by {sii_value:.2f} per 1,000 residents a "
                "year on the fitted line."
            ),
            definition=definition + " The SII is the fitted rate at the most deprived end "
            "minus that at the least deprived end.",
            method=method,
            comparator="no gradient",
            comparator_value=0.0,
            **base,
        ),
        Finding(
            id="deprivation_rii",
            title="Relative index of inequality",
            value=rii_value,
            lower=number(result["rii_lowercl"]),
            upper=number(result["rii_uppercl"]),
            unit=RATIO,
            sentence=(
                f"The relative index of inequality: the fitted rate at the most deprived end "
                f"is {times(rii_value)} that at the least deprived end."
            ),
            definition=definition + " The RII is the fitted rate at the most deprived end "
            "divided by that at the least deprived end.",
            method=method,
            comparator="no gradient",
            comparator_value=1.0,
            **base,
        ),
    ]


FINDINGS = {"deprivation_gradient": deprivation_gradient}
