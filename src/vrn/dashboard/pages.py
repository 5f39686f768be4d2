"""What the overview and measure pages show, from the current events.

Each function takes the events (:mod:`vrn.dashboard.store`), what the request asked for
(already checked) and the audience, and returns plain values for the template: text
already passed through the disclosure policy where the audience is public, chart SVG and
the URLs of the CSVs. No queries and no requests: the views call these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.utils.safestring import SafeString, mark_safe

from vrn.analytics.dashboard_events import DashboardEvents, MeasureInfo
from vrn.analytics.explore import DIMENSION_BY_NAME, WEEKDAY_NAMES, Explored, Query, explore
from vrn.analytics.headlines import Headline, headlines
from vrn.analytics.measures import RATE_PER, MeasureResult
from vrn.analytics.stats import count_trend
from vrn.dashboard import charts
from vrn.dashboard.published import Audience, Row, number, rows
from vrn.dashboard.site import Site

INTERVAL = "95% confidence interval"


@dataclass(frozen=True)
class Tile:
    measure: MeasureInfo
    latest: str  # the count of the latest months, as published
    latest_span: str
    earlier: str
    earlier_span: str
    change: str  # "-12.3%" or "" where not shown
    change_limits: str
    significance: str  # "lower", "higher", "not significant" or ""
    sparkline: SafeString
    months: str  # the span of the series


def area_choices(events: DashboardEvents) -> list[tuple[str, str]]:
    """``(code, name)`` of the network ("" ) and each CSP, for the area pickers."""
    csps = sorted(
        {code for code in events.results if code and code in events.scope.csp_names},
        key=lambda code: events.scope.name_of(code),
    )
    return [("", events.scope.name)] + [(code, events.scope.name_of(code)) for code in csps]


def area_name(events: DashboardEvents, area: str) -> str:
    return events.scope.name if not area else events.scope.name_of(area)


def valid_area(events: DashboardEvents, area: str) -> bool:
    return area == "" or area in events.results


def tiles(events: DashboardEvents, area: str, audience: Audience) -> list[Tile]:
    """A headline tile for each figure of the area's measures, serious violence first."""
    result = events.results[area]
    by_id = {h.measure: h for h in headlines(result)}
    order = _tile_order(events)
    return [_tile(events.measure(m), by_id[m], audience) for m in order if m in by_id]


def _tile_order(events: DashboardEvents) -> list[str]:
    ids = [m.id for m in events.measures]
    first = [m for m in ("serious_violence", "serious_violence_u25") if m in ids]
    return first + [m for m in ids if m not in first]


def _tile(info: MeasureInfo, headline: Headline, audience: Audience) -> Tile:
    change = headline.change
    shown_months = audience.counts(headline.counts)
    values = [
        int(t.replace(",", "")) if t.replace(",", "").isdigit() else None for t in shown_months
    ]
    labels = [_month(m) for m in headline.months]
    spark = charts.render_svg(
        {
            "id": f"spark-{info.id}",
            "type": "sparkline",
            "title": f"{info.label} each month",
            "x": {"labels": labels},
            "values": values,
            "units": "counted",
        }
    )
    months = f"{labels[0]} to {labels[-1]}" if labels else ""
    if change is None:
        total = sum(headline.counts)
        return Tile(
            info, audience.count(total), months, "", "", "", "", "", mark_safe(spark), months
        )
    released = all(audience.released([change.earlier_count, change.later_count]))
    return Tile(
        measure=info,
        latest=audience.count(change.later_count),
        latest_span=_span(change.window.later),
        earlier=audience.count(change.earlier_count),
        earlier_span=_span(change.window.earlier),
        change=_signed(change.value) if released and change.value is not None else "",
        change_limits=(
            f"{_signed(change.lower)} to {_signed(change.upper)}"
            if released and change.lower is not None and change.upper is not None
            else ""
        ),
        significance=change.significance if released else "",
        sparkline=mark_safe(spark),  # built from escaped text by the chart renderer
        months=months,
    )


def _month(label_: str) -> str:
    return str(pd.Period(label_, freq="M").strftime("%b %Y"))


def _span(months: Sequence[str]) -> str:
    if not months:
        return ""
    first, last = _month(months[0]), _month(months[-1])
    return first if first == last else f"{first} to {last}"


def _signed(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:+.1f}%"


@dataclass(frozen=True)
class Breakdown:
    """One section of a measure page: a chart, its table and its CSV."""

    dimension: str
    title: str
    explored: Explored
    rows: list[Row]
    chart: SafeString
    csv_url: str
    shows_rates: bool


#: The breakdowns of a measure page after the one by place, by the measure's data source.
MEASURE_BREAKDOWNS = {
    "police": (
        ("victim_age_band",),
        ("victim_sex",),
        ("public_place",),
        ("weapon",),
        ("imd_decile",),
        ("weekday", "hour"),
    ),
    "hospital": (("victim_age_band",), ("victim_sex",), ("imd_decile",)),
}


def measure_breakdowns(
    info: MeasureInfo, area: str, levels: Sequence[str]
) -> list[tuple[str, ...]]:
    """The breakdowns of a measure page: by month, by place (CSP for the network; ward for
    a CSP where the face shows wards, else local authority), then by the variables."""
    place = "csp" if not area else "ward" if "ward" in levels else "local_authority"
    return [("month",), (place,), *MEASURE_BREAKDOWNS[info.source]]


def measure_summary(
    events: DashboardEvents, measure_id: str, area: str, audience: Audience
) -> dict[str, object]:
    """The measure's figure for the area: its count and rate over the whole period (from
    the measures' own result, age-specific), the trend of its monthly counts, and its
    definitions and notes."""
    result: MeasureResult = events.results[area]
    info = events.measure(measure_id)
    summary = result.summary[result.summary["measure"] == measure_id]
    # The result's notes on the measure's own data source.
    if info.source == "police":
        notes = [n for n in result.notes if not n.startswith("hospital")]
    else:
        notes = [n for n in result.notes if not n.startswith("police")]
    context: dict[str, object] = {
        "info": info,
        "notes": [note[:1].upper() + note[1:] for note in notes],
    }
    if summary.empty:  # all_crime is not a measure of the result
        return context
    row = summary.iloc[0]
    count = int(row["count"])
    released = audience.released([count])[0]
    context["count"] = audience.count(count)
    if "rate" in summary.columns and released and not pd.isna(row.get("rate")):
        context["rate"] = number(float(row["rate"]), 1)
        context["rate_limits"] = (
            f"{number(float(row['lowercl']), 1)} to {number(float(row['uppercl']), 1)}"
        )
        context["rate_unit"] = (
            f"per {RATE_PER:,} residents" + (f" aged {info.age}" if info.age else "") + " a year"
        )
    months = result.by_month[result.by_month["measure"] == measure_id]
    if released:
        context["trend"] = _trend(months)
    return context


def _trend(months: pd.DataFrame) -> dict[str, str] | None:
    try:
        trend = count_trend(
            months.assign(period=pd.PeriodIndex(months["month"], freq="M")), "count", "period"
        )
    except (ValueError, ArithmeticError):
        return None
    direction = (
        "falling"
        if trend.annual_change_upper < 0
        else "rising"
        if trend.annual_change_lower > 0
        else "no significant trend"
    )
    return {
        "change": _signed(trend.annual_change),
        "limits": f"{_signed(trend.annual_change_lower)} to {_signed(trend.annual_change_upper)}",
        "direction": direction,
        "months": str(trend.months),
    }


def breakdown(
    events: DashboardEvents,
    query: Query,
    audience: Audience,
    csv_url: str,
    chart_id: str,
) -> Breakdown:
    """One breakdown of a measure (``query.by`` has one dimension, or weekday and hour)."""
    explored = explore(events, query)
    shown = rows(explored, audience)
    name = query.by[0]
    title = " and ".join(lower_first(DIMENSION_BY_NAME[d].label) for d in query.by)
    spec = chart_spec(explored, shown, chart_id)
    return Breakdown(
        dimension=name,
        title=f"By {title}",
        explored=explored,
        rows=shown,
        chart=mark_safe(charts.render_svg(spec)) if spec else mark_safe(""),
        csv_url=csv_url,
        shows_rates=explored.has_rates,
    )


def chart_spec(explored: Explored, shown: list[Row], chart_id: str) -> charts.Spec | None:
    """The chart of a breakdown: a line by month, a heat map by day and hour, bars with
    intervals for rates by place, bars of counts otherwise (None for other pairs)."""
    by = explored.query.by
    title = f"{explored.measure.label}: {explored.unit}"
    if not shown:
        return None
    if len(by) == 2:
        return (
            _heatmap(explored, shown, chart_id, title) if set(by) == {"weekday", "hour"} else None
        )
    name = DIMENSION_BY_NAME[by[0]].label
    spec: charts.Spec = {
        "id": chart_id,
        "type": "bar",
        "title": f"{title} by {lower_first(name)}",
        "x": {
            "title": name,
            "values": [r.keys[0] for r in shown],
            "labels": [r.labels[0] for r in shown],
        },
        "series": [
            {"name": explored.unit.capitalize(), "values": [_shown_value(r) for r in shown]}
        ],
        "units": explored.unit,
    }
    if by == ("month",):
        short = [_month(key) for key in spec["x"]["values"]]  # "Jan 2024": the axis's form
        spec |= {
            "type": "line",
            "title": f"{title} each month, {explored.area_name}",
            "x": {**spec["x"], "labels": short},
        }
    elif explored.has_rates:
        spec |= {
            "title": f"{title} per 1,000 residents a year by {lower_first(name)}",
            "series": [
                {"name": "Rate per 1,000 residents a year", "values": [r.rate for r in shown]}
            ],
            "units": "per 1,000 residents a year",
            "decimals": 2,
            "intervals": [
                [r.rate_lower, r.rate_upper] if r.rate_lower is not None else None for r in shown
            ],
            "interval_label": INTERVAL,
        }
    return spec


def _shown_value(row: Row) -> int | None:
    """The count a chart may draw: the exact one, or the published (rounded) one; None
    where it is suppressed."""
    if row.count_value is not None:
        return row.count_value
    text = row.count.replace(",", "")
    return int(text) if text.isdigit() else None


def _heatmap(explored: Explored, shown: list[Row], chart_id: str, title: str) -> charts.Spec:
    by = explored.query.by
    day_first = by[0] == "weekday"
    cells: dict[tuple[str, str], int | None] = {}
    for row in shown:
        day, hour = row.keys if day_first else row.keys[::-1]
        cells[(day, hour)] = _shown_value(row)
    days = [str(d) for d in range(1, 8)]
    hours = [str(h) for h in range(24)]
    return {
        "id": chart_id,
        "type": "heatmap",
        "title": f"{title} by day of the week and hour",
        "rows": {"title": "Day of the week", "labels": list(WEEKDAY_NAMES)},
        "columns": {"title": "Hour of the day", "labels": [f"{int(h):02d}" for h in hours]},
        "values": [[cells.get((d, h)) for h in hours] for d in days],
        "units": explored.unit,
        "missing_label": "Not shown (suppressed or not known)",
    }


def lower_first(text: str) -> str:
    """``Deprivation decile (IMD)`` as ``deprivation decile (IMD)``: the first letter only,
    so that abbreviations keep their capitals."""
    return text[:1].lower() + text[1:]


def month_name(label_: str) -> str:
    """``2024-03`` as ``March 2024``."""
    return str(pd.Period(label_, freq="M").strftime("%B %Y"))


def total(events: DashboardEvents, query: Query, audience: Audience) -> dict[str, object]:
    """The count (and rate) of a query without a breakdown, as ``audience`` may see it."""
    explored = explore(events, query)
    released = audience.released([explored.total])[0]
    result: dict[str, object] = {"explored": explored, "count": audience.count(explored.total)}
    if released and explored.total_rate is not None:
        value, lower, upper = explored.total_rate
        result["rate"] = number(value, 2)
        result["rate_limits"] = f"{number(lower, 2)} to {number(upper, 2)}"
    return result


@dataclass(frozen=True)
class Download:
    title: str
    url: str


def public_downloads(events: DashboardEvents, site: Site) -> list[Download]:
    """Every CSV of the network's pages of ``site`` (the public face): each measure's
    breakdowns and the map at each level the face may show."""
    links = []
    for info in events.measures:
        for by in measure_breakdowns(info, "", site.map_levels):
            names = " and ".join(lower_first(DIMENSION_BY_NAME[d].label) for d in by)
            links.append(
                Download(f"{info.label} by {names}", site.url("measure-csv", info.id, "-".join(by)))
            )
    for level in site.map_levels:
        for info in events.measures:
            links.append(
                Download(
                    f"Map: {info.label} by {lower_first(DIMENSION_BY_NAME[level].label)}",
                    site.url("map-csv", measure=info.id, level=level),
                )
            )
    return links


#: The datasets (``vrn.profile.publish.sources_of`` names, by their start) each kind of
#: data comes from; the population is used by every page.
SOURCE_PREFIXES = {
    "police": ("force ",),
    "hospital": ("hospital admissions",),
    "indicators": ("risk and protective factor",),
    "population": ("census 2021",),
    "street": ("data.police.uk",),
    "ed": ("emergency department",),
}


def sources_used(events: DashboardEvents, *kinds: str) -> list[dict[str, object]]:
    """The datasets a page's figures come from: those of ``kinds`` (``police``,
    ``hospital``, ``indicators``, ``street``, ``ed``) and the population; every dataset
    read without kinds."""
    if not kinds:
        return list(events.sources)
    prefixes = tuple(p for kind in (*kinds, "population") for p in SOURCE_PREFIXES[kind])
    return [s for s in events.sources if str(s["dataset"]).lower().startswith(prefixes)]
