"""The synthetic indicators file: risk and protective factors as Fingertips indicators.

``indicators.csv`` has the layout of a Fingertips "all data" export (docs/formats/
indicators.md): one row per indicator, area and financial year, for England, the East
Midlands region, Leicestershire county (when the world has all its districts) and each of
the network's local authorities. The indicators are those of
:attr:`Parameters.indicators <vrn.synth.parameters.Parameters.indicators>`, with synthetic
ids (9000xx), never real Fingertips ids.

Everything but the counts is planned from the parameters and the world, without
randomness (:class:`IndicatorPlan`): the periods (the financial years the world's months
fall in), the denominators (Census 2021 residents of the indicator's ages, spread evenly
over the years of each Census age group) and the expected values (log-linear in the local
authority's population-weighted mean IMD decile). The counts are then drawn, binomial for
a proportion and Poisson for a rate, from one random stream of their own, and the value
and its 95% and 99.8% limits computed with :mod:`vrn.analytics.stats` (Wilson for a
proportion; exact below 10 events and Byar's above for a rate). The county's count and
denominator are the sums of its districts'. ``truth.json`` gets the planted slopes and
expected values (:meth:`IndicatorPlan.truth`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics import stats
from vrn.synth.model import Model
from vrn.synth.parameters import IndicatorSpec

#: The Fingertips all-data headings, in Fingertips' order, and ``synthetic``.
INDICATOR_COLUMNS = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Region value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
    "synthetic",
)

#: England's population-weighted mean IMD decile: deciles are national, so about 5.5.
ENGLAND_MEAN_DECILE = 5.5
#: Confidence levels of the limits (Fingertips': 95% and 99.8%).
LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    area_type: str
    parent_code: str = ""
    parent_name: str = ""


ENGLAND = Area("E92000001", "England", "England")
REGION = Area("E12000004", "East Midlands region", "Region", ENGLAND.code, ENGLAND.name)
COUNTY = Area(
    "E10000018", "Leicestershire", "Counties & UAs (from Apr 2023)", REGION.code, REGION.name
)
#: Area type of the network's local authorities (districts and unitary authorities).
DISTRICTS = "Districts & UAs (from Apr 2023)"

#: Residents of England and of the East Midlands by Census 2021 age group (0-15, 16-24,
#: 25-34, 35-49, 50-64, 65+): rounded approximations of Census 2021, our figures, used
#: only as the denominators of the synthetic England and region rows.
ENGLAND_POPULATION = (10_620_000, 5_940_000, 7_630_000, 10_920_000, 11_070_000, 10_310_000)
EAST_MIDLANDS_POPULATION = (900_000, 550_000, 620_000, 900_000, 990_000, 920_000)


@dataclass(frozen=True)
class Period:
    """A financial year, April to March: ``2023/24``, sortable ``20230000``."""

    year: int
    #: Years from the first period written (the exponent of the annual ratio).
    index: int

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def sortable(self) -> int:
        return self.year * 10_000


def financial_years(first: dt.date, last: dt.date) -> tuple[Period, ...]:
    """Every financial year (April-March) with at least one day from ``first`` to ``last``."""
    start = first.year - (1 if first.month < 4 else 0)
    end = last.year - (1 if last.month < 4 else 0)
    return tuple(Period(year, year - start) for year in range(start, end + 1))


def world_period(model: Model) -> tuple[dt.date, dt.date]:
    """The first and last day of the world: the pure-mode period, or the skeleton's months."""
    if model.mode == "pure":
        return model.parameters.period_start, model.parameters.period_end
    months = [str(month) for month in model.month_names]
    return dt.date.fromisoformat(months[0] + "-01"), dt.date.fromisoformat(months[-1] + "-01")


def _age_share(lower: int, upper: int | None, age_from: int, age_to: int) -> float:
    """Share of an age group's residents aged ``age_from``-``age_to``, the group's residents
    spread evenly over its years (an open group as the model spreads it: decaying by
    e-folds of 10 years)."""
    if upper is not None:
        overlap = min(upper, age_to) - max(lower, age_from) + 1
        return max(overlap, 0) / (upper - lower + 1)
    if age_to < lower:
        return 0.0
    start = max(age_from, lower) - lower
    return math.exp(-start / 10.0) - math.exp(-(age_to - lower + 1) / 10.0)


class IndicatorPlan:
    """The indicators of a world, planned from the model without randomness: areas,
    periods, denominators and expected values; :meth:`frame` draws the counts."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.parameters = model.parameters
        self.specs: tuple[IndicatorSpec, ...] = tuple(model.parameters.indicators)
        self.notes: list[str] = []
        self.periods = financial_years(*world_period(model))
        scheme = model.definitions.age_bands["census2021"]
        self._bands = [(band.lower, band.upper) for band in scheme.bands]
        population = model.world.population.to_numpy(dtype=float)
        by_la = np.zeros((model.n_la, population.shape[1]))
        np.add.at(by_la, model.lsoa_la, population)
        self._la_population = by_la
        self.la_codes = list(model.la_codes)
        self.la_mean_decile = self._mean_deciles()
        county = tuple(model.parameters.county_local_authorities)
        self.county_districts = county if set(county) <= set(self.la_codes) else ()
        self.la_areas = [
            Area(code, name, DISTRICTS, REGION.code, REGION.name)
            for code, name in zip(self.la_codes, model.la_names, strict=True)
        ]
        for spec in self.specs:
            empty = [code for code, n in self.denominators(spec).items() if n <= 0]
            if empty:
                self.notes.append(
                    f"indicators: no residents aged {spec.age} in {', '.join(empty)}; no "
                    f"{spec.short_name} row for them"
                )
            for area, values in self.expected(spec).items():
                if spec.statistic == "proportion" and max(values.values()) >= spec.multiplier:
                    raise ValueError(
                        f"indicator {spec.indicator_id}: the expected value in {area} reaches "
                        "100%; lower england_value, deprivation_ratio or annual_ratio"
                    )

    def _mean_deciles(self) -> dict[str, float]:
        m = self.model
        residents = m.lsoa_population
        known = m.lsoa_decile > 0
        means: dict[str, float] = {}
        for i, code in enumerate(self.la_codes):
            rows = (m.lsoa_la == i) & known
            weight = float(residents[rows].sum())
            if weight > 0:
                means[code] = float((residents[rows] * m.lsoa_decile[rows]).sum()) / weight
            else:
                means[code] = ENGLAND_MEAN_DECILE
                self.notes.append(
                    f"indicators: {code} has no LSOA with a known IMD decile; its mean decile "
                    f"is taken as England's ({ENGLAND_MEAN_DECILE})"
                )
        return means

    # ------------------------------------------------------------------ planned values
    def slope(self, spec: IndicatorSpec) -> float:
        """Change in the natural log of the expected value per decile of mean IMD decile."""
        return -math.log(spec.deprivation_ratio) / 9.0

    def _share(self, spec: IndicatorSpec) -> np.ndarray:
        return np.array(
            [_age_share(lower, upper, spec.age_from, spec.age_to) for lower, upper in self._bands]
        )

    def denominators(self, spec: IndicatorSpec) -> dict[str, int]:
        """Residents of the indicator's ages by area code (England, region, authorities)."""
        share = self._share(spec)
        result = {
            ENGLAND.code: round(float(np.dot(ENGLAND_POPULATION, share))),
            REGION.code: round(float(np.dot(EAST_MIDLANDS_POPULATION, share))),
        }
        for code, population in zip(self.la_codes, self._la_population @ share, strict=True):
            result[code] = round(float(population))
        return result

    def _value(self, spec: IndicatorSpec, decile: float, period: Period) -> float:
        return float(
            spec.england_value
            * spec.annual_ratio**period.index
            * math.exp(self.slope(spec) * (decile - ENGLAND_MEAN_DECILE))
        )

    def expected(self, spec: IndicatorSpec) -> dict[str, dict[str, float]]:
        """Expected value by area code and period label: England, the region, each local
        authority and (when written) the county, whose value is the ratio of its districts'
        expected counts to their denominators."""
        deciles = {
            ENGLAND.code: ENGLAND_MEAN_DECILE,
            REGION.code: self.parameters.region_mean_imd_decile,
            **self.la_mean_decile,
        }
        result = {
            code: {period.label: self._value(spec, decile, period) for period in self.periods}
            for code, decile in deciles.items()
        }
        if self.county_districts:
            n = self.denominators(spec)
            total = sum(n[code] for code in self.county_districts)
            if total > 0:
                result[COUNTY.code] = {
                    period.label: sum(
                        n[code] * result[code][period.label] for code in self.county_districts
                    )
                    / total
                    for period in self.periods
                }
        return result

    # ------------------------------------------------------------------ truth
    def truth(self) -> dict[str, dict[str, Any]]:
        """The planted indicator findings, by truth id (values rounded to 6 decimals)."""
        truth: dict[str, dict[str, Any]] = {
            "indicators_la_mean_imd_decile": {
                "value": {code: round(value, 6) for code, value in self.la_mean_decile.items()},
                "description": (
                    "indicators.csv: each local authority's population-weighted mean IMD "
                    "decile (IoD2025, 1 most deprived; Census 2021 residents of all ages, "
                    "LSOAs without a decile left out), the deprivation measure the "
                    "indicators' expected values depend on. Analytic: from the world's "
                    "geography."
                ),
            }
        }
        years = ", ".join(period.label for period in self.periods)
        for spec in self.specs:
            key = f"indicator_{spec.short_name}"
            unit = _unit(spec)
            about = f"Indicator {spec.indicator_id} (synthetic id) '{spec.name}', {spec.age}"
            truth[f"{key}_deprivation_slope"] = {
                "value": round(self.slope(spec), 6),
                "description": (
                    f"{about}: the change in the natural log of a local authority's expected "
                    "value per one-decile increase in its mean IMD decile "
                    "(indicators_la_mean_imd_decile); negative, so the value is higher where "
                    f"deprivation is higher: an authority whose residents all lived in decile "
                    f"1 would have {spec.deprivation_ratio:g} times the value of one all in "
                    "decile 10. The same slope holds for each financial year. Analytic: "
                    "-ln(deprivation_ratio) / 9 (parameters.indicators)."
                ),
            }
            truth[f"{key}_annual_ratio"] = {
                "value": round(spec.annual_ratio, 6),
                "description": (
                    f"{about}: expected value in each financial year divided by the year "
                    "before, in every area. Analytic: a parameter."
                ),
            }
            truth[f"{key}_expected_values"] = {
                "value": {
                    code: {label: round(value, 6) for label, value in by_period.items()}
                    for code, by_period in sorted(self.expected(spec).items())
                },
                "description": (
                    f"{about}: the expected value ({unit}) by area code and financial year "
                    f"({years}): England (E92000001) {spec.england_value:g} in the first "
                    f"year times annual_ratio per year; the region (E12000004) and each "
                    f"local authority that times exp(slope x (mean decile - "
                    f"{ENGLAND_MEAN_DECILE})); Leicestershire (E10000018, when written) "
                    "the ratio of its districts' expected counts to their denominators. The "
                    "Value column is Count / Denominator, Count drawn "
                    f"{'binomial' if spec.statistic == 'proportion' else 'Poisson'} around "
                    "the expected value. Analytic."
                ),
            }
        return truth

    # ------------------------------------------------------------------ the file
    def frame(self, rng: np.random.Generator) -> pd.DataFrame:
        """The rows of ``indicators.csv``, columns :data:`INDICATOR_COLUMNS`.

        Draws, per indicator in order, one count per (period, area) for England, the region
        and the local authorities (in that order, periods outer), in one vectorised call.
        """
        frames = [self._indicator_frame(spec, rng) for spec in self.specs]
        if not frames:
            return pd.DataFrame(columns=list(INDICATOR_COLUMNS))
        return pd.concat(frames, ignore_index=True)

    def _indicator_frame(self, spec: IndicatorSpec, rng: np.random.Generator) -> pd.DataFrame:
        denominators = self.denominators(spec)
        expected = self.expected(spec)
        las = [area for area in self.la_areas if denominators[area.code] > 0]
        cells = [(period, area) for period in self.periods for area in (ENGLAND, REGION, *las)]
        n = np.array([denominators[area.code] for _, area in cells], dtype=np.int64)
        mean = np.array([expected[area.code][period.label] for period, area in cells])
        if spec.statistic == "proportion":
            counts = rng.binomial(n, mean / spec.multiplier)
        else:
            counts = rng.poisson(n * mean / spec.multiplier)
        drawn = {
            (period.year, area.code): (int(count), int(size))
            for (period, area), count, size in zip(cells, counts, n, strict=True)
        }
        county = [COUNTY] if COUNTY.code in expected else []
        areas = [ENGLAND, REGION, *county, *las]
        rows: list[tuple[Period, Area, int, int]] = []
        for period in self.periods:
            for area in areas:
                if area is COUNTY:
                    parts = [
                        drawn[(period.year, code)]
                        for code in self.county_districts
                        if (period.year, code) in drawn
                    ]
                    count, size = sum(c for c, _ in parts), sum(d for _, d in parts)
                else:
                    count, size = drawn[(period.year, area.code)]
                rows.append((period, area, count, size))
        table = pd.DataFrame(
            {
                "Count": np.array([row[2] for row in rows], dtype=np.int64),
                "Denominator": np.array([row[3] for row in rows], dtype=np.int64),
            }
        )
        compute = stats.proportion if spec.statistic == "proportion" else stats.rate
        result = compute(
            table, "Count", "Denominator", confidence=LEVELS, multiplier=spec.multiplier
        )
        values = result["value"].to_numpy(dtype=float)
        lower95 = result["lower95_0cl"].to_numpy(dtype=float)
        upper95 = result["upper95_0cl"].to_numpy(dtype=float)
        # England is the first row of each period, the region the second.
        first = np.repeat(np.arange(len(self.periods)) * len(areas), len(areas))
        england, region = values[first], values[first + 1]
        versus_england = [
            "Not compared"
            if area is ENGLAND
            else compare(lower95[i], upper95[i], england[i], spec.polarity)
            for i, (_, area, _, _) in enumerate(rows)
        ]
        versus_region = [
            "Not compared"
            if area is ENGLAND or area is REGION
            else compare(lower95[i], upper95[i], region[i], spec.polarity)
            for i, (_, area, _, _) in enumerate(rows)
        ]
        return pd.DataFrame(
            {
                "Indicator ID": spec.indicator_id,
                "Indicator Name": spec.name,
                "Parent Code": [area.parent_code for _, area, _, _ in rows],
                "Parent Name": [area.parent_name for _, area, _, _ in rows],
                "Area Code": [area.code for _, area, _, _ in rows],
                "Area Name": [area.name for _, area, _, _ in rows],
                "Area Type": [area.area_type for _, area, _, _ in rows],
                "Sex": "Persons",
                "Age": spec.age,
                "Category Type": "",
                "Category": "",
                "Time period": [period.label for period, _, _, _ in rows],
                "Value": values,
                "Lower CI 95.0 limit": lower95,
                "Upper CI 95.0 limit": upper95,
                "Lower CI 99.8 limit": result["lower99_8cl"].to_numpy(dtype=float),
                "Upper CI 99.8 limit": result["upper99_8cl"].to_numpy(dtype=float),
                "Count": table["Count"],
                "Denominator": table["Denominator"],
                "Value note": "",
                "Recent Trend": "",
                "Compared to England value or percentiles": versus_england,
                "Compared to Region value or percentiles": versus_region,
                "Time period Sortable": [period.sortable for period, _, _, _ in rows],
                "New data": "",
                "Compared to goal": "",
                "Time period range": "1y",
                "synthetic": "true",
            },
            columns=list(INDICATOR_COLUMNS),
        )


def compare(lower: float, upper: float, benchmark: float, polarity: str) -> str:
    """Fingertips' comparison of an area with a benchmark value by the area's 95% limits:
    ``Better``/``Similar``/``Worse`` (low is good) or ``Higher``/``Similar``/``Lower``."""
    if lower > benchmark:
        return "Worse" if polarity == "low_is_good" else "Higher"
    if upper < benchmark:
        return "Better" if polarity == "low_is_good" else "Lower"
    return "Similar"


def _unit(spec: IndicatorSpec) -> str:
    if spec.statistic == "proportion":
        return "percentage" if spec.multiplier == 100 else f"proportion of {spec.multiplier:g}"
    return f"rate per {spec.multiplier:,.0f} residents aged {spec.age}"


__all__ = [
    "COUNTY",
    "ENGLAND",
    "INDICATOR_COLUMNS",
    "REGION",
    "IndicatorPlan",
    "Period",
    "compare",
    "financial_years",
]
