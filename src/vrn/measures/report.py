"""The text report of ``vrn measures``: one table per measure, then the public-place share.

Plain Python on a :class:`~vrn.analytics.measures.MeasureResult`; no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from vrn.analytics.measures import RATE_PER, Figure, MeasureResult
from vrn.definitions import AgeRestriction

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _number(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _interval(lower: object, upper: object, digits: int = 1) -> str:
    if lower is None or (isinstance(lower, float) and math.isnan(lower)):
        return ""
    return f"{_number(lower, digits)} to {_number(upper, digits)}"


def _ages(restriction: AgeRestriction) -> str:
    return ", ".join(restriction.bands)


def _area(code: object, names: Mapping[str, str]) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "not known"
    text = str(code)
    return f"{names[text]} ({text})" if text in names else text


def render(
    result: MeasureResult,
    *,
    area_names: Mapping[str, str],
    network: str,
    overridden: Sequence[str] = (),
) -> str:
    """The whole report as text."""
    lines: list[str] = []
    period = result.period
    if period is None:
        lines.append(f"Success measures and serious violence, {network}: no data loaded.")
        return "\n".join(lines) + "\n"
    months = "month" if period.months == 1 else "months"
    lines.append(
        f"Success measures and serious violence, {network}, {period} ({period.months} {months})"
    )
    if result.synthetic:
        lines.append("SYNTHETIC DATA: some or all rows are synthetic, not real people.")
    lines.append("Definitions: " + ", ".join(ref["id"] for ref in result.definitions))
    if overridden:
        lines.append("  edited copies used for: " + ", ".join(overridden))
    has_rates = "rate" in result.summary.columns
    if not has_rates:
        lines.append("No population loaded: counts only, no rates.")
    for figure, row in zip(result.figures, result.summary.to_dict("records"), strict=True):
        lines.append("")
        lines += _figure_lines(result, figure, row, area_names, has_rates)
    if result.public_place_share is not None:
        lines.append("")
        lines += _share_lines(result)
    if result.notes:
        lines.append("")
        lines.append("Notes:")
        lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _figure_lines(
    result: MeasureResult,
    figure: Figure,
    row: Mapping[str, Any],
    area_names: Mapping[str, str],
    has_rates: bool,
) -> list[str]:
    measure = figure.id
    lines = [f"{figure.label} [{measure}]"]
    lines.append(f"  {figure.data_source}; " + ", ".join(ref.short_id for ref in figure.references))
    count = int(row["count"])
    if has_rates:
        in_areas = int(row["count_in_areas"])
        residents = "residents" if figure.age is None else f"residents aged {_ages(figure.age)}"
        rate = row["rate"]
        headline = f"  {count:,} in all; {in_areas:,} in the network's local authorities"
        if not (isinstance(rate, float) and math.isnan(rate)):
            headline += (
                f": {_number(rate)} per {RATE_PER:,} {residents} a year "
                f"(95% CI {_interval(row['lowercl'], row['uppercl'])})"
            )
        lines.append(headline)
    else:
        lines.append(f"  {count:,} in all")

    areas = result.by_area[result.by_area["measure"] == measure]
    # Areas outside the network (no population, so no rate) are listed only where they count.
    shown = areas["count"] > 0
    if has_rates:
        shown |= areas["rate"].notna()
    areas = areas[shown]
    names = [_area(code, area_names) for code in areas["area_code"]]
    width = max([len("local authority"), *map(len, names)])
    header = f"  {'local authority':<{width}}  {'count':>7}"
    if has_rates:
        header += f"  {'per ' + format(RATE_PER, ',') + ' a year':>20}  95% CI"
    lines.append(header)
    for name, area in zip(names, areas.itertuples(index=False), strict=True):
        line = f"  {name:<{width}}  {int(area.count):>7,}"
        if has_rates and not pd.isna(area.rate):
            line += f"  {_number(area.rate):>20}  {_interval(area.lowercl, area.uppercl)}"
        lines.append(line.rstrip())

    monthly = result.by_month[result.by_month["measure"] == measure]
    by_year: dict[str, dict[int, int]] = {}
    for month, value in zip(monthly["month"], monthly["count"], strict=True):
        year, number = month.split("-")
        by_year.setdefault(year, {})[int(number)] = int(value)
    lines.append("  month " + "".join(f"{name:>6}" for name in MONTHS))
    for year, values in by_year.items():
        cells = "".join(f"{values[m]:>6,}" if m in values else f"{'':>6}" for m in range(1, 13))
        lines.append(f"  {year:<5} {cells}".rstrip())
    return lines


def _share_lines(result: MeasureResult) -> list[str]:
    share = result.public_place_share
    assert share is not None
    lines = [
        f"Share of serious violence by under-25s in a public place (suspects or offenders "
        f"aged {_ages(share.age)})",
        "  police; " + ", ".join(ref.short_id for ref in share.references),
        f"  {'base':<12}{'public':>8}{'offences':>10}{'share':>8}  95% CI",
    ]
    for row in share.table.itertuples(index=False):
        value = "-" if pd.isna(row.value) else f"{row.value:.1%}"
        interval = ""
        if not pd.isna(row.lowercl):
            interval = f"{row.lowercl:.1%} to {row.uppercl:.1%}"
        lines.append(
            f"  {row.base:<12}{row.public:>8,}{row.offences:>10,}{value:>8}  {interval}".rstrip()
        )
    for row in share.table.itertuples(index=False):
        lines.append(f"  {row.base}: {row.description}")
    return lines
