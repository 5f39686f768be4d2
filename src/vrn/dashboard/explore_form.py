"""The Explore page's parameters: the query string read into a checked
:class:`~vrn.analytics.explore.Query`, and the choices the form offers.

Every parameter lives in the URL, so a view can be bookmarked and shared:
``?measure=serious_violence&area=E22000168&from=2023-04&to=2024-03&by=ward&by2=&
victim_sex=female&weapon=knife_or_sharp`` (a filter is its dimension's name, repeated for
each value kept). Unknown parameters are ignored; bad values give messages that name the
field, for the GOV.UK error summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.urls import reverse
from django.utils.http import urlencode

from vrn.analytics.dashboard_events import DashboardEvents, MeasureInfo
from vrn.analytics.explore import (
    DIMENSION_BY_NAME,
    MISSING,
    VARIABLES,
    Dimension,
    Query,
    available,
    label,
    value_key,
)
from vrn.dashboard import pages
from vrn.dashboard.site import Site

DEFAULT_MEASURE = "serious_violence"
#: Dimensions not offered as filters (the period has its own fields).
NOT_FILTERS = frozenset({"month"})
#: The most values one filter may keep (a longer list is a malformed URL).
MAX_VALUES = 1_000


@dataclass(frozen=True)
class Parsed:
    query: Query
    #: field name -> message (empty when the query is valid).
    errors: Mapping[str, str] = field(default_factory=dict)


def default_measure(events: DashboardEvents) -> str:
    ids = events.measure_ids
    return DEFAULT_MEASURE if DEFAULT_MEASURE in ids else ids[0]


def parse(events: DashboardEvents, params: Mapping[str, Sequence[str]]) -> Parsed:
    """The query the parameters ask for, and what is wrong with them."""

    def one(name: str) -> str:
        values = params.get(name) or [""]
        return str(values[-1]).strip()

    errors: dict[str, str] = {}
    measure_id = one("measure") or default_measure(events)
    if measure_id not in events.measure_ids:
        errors["measure"] = "Choose a measure from the list"
        measure_id = default_measure(events)
    measure = events.measure(measure_id)
    dimensions = {d.name: d for d in available(events, measure)}
    area = one("area")
    if area and area not in events.results:
        errors["area"] = "Choose an area from the list"
        area = ""
    months = events.period.labels
    first, last = one("from") or months[0], one("to") or months[-1]
    if first not in months:
        errors["from"] = f"Choose a month from {months[0]} to {months[-1]}"
        first = months[0]
    if last not in months:
        errors["to"] = f"Choose a month from {months[0]} to {months[-1]}"
        last = months[-1]
    if last < first:
        errors["to"] = "The last month must be the same as or after the first"
        last = months[-1]
    by: list[str] = []
    for name in ("by", "by2"):
        value = one(name)
        if not value:
            continue
        if value not in dimensions:
            errors[name] = f"Choose a breakdown {measure.label.lower()} records"
        elif value in by:
            errors[name] = "Choose a second breakdown different from the first"
        else:
            by.append(value)
    sides = {DIMENSION_BY_NAME[n].side for n in by} - {"crime"}
    if len(sides) > 1:
        errors["by2"] = "Break down by the victim or by the perpetrator, not both at once"
        by = by[:1]
    filters: dict[str, frozenset[str]] = {}
    for name in DIMENSION_BY_NAME:
        values = [str(v) for v in params.get(name, []) if str(v) != "all"]
        if not values or name in NOT_FILTERS:
            continue
        if name not in dimensions:
            errors[name] = f"{DIMENSION_BY_NAME[name].label} is not recorded for this measure"
            continue
        if len(values) > MAX_VALUES:
            errors[name] = f"Choose at most {MAX_VALUES:,} values"
            continue
        filters[name] = frozenset(values)
    query = Query(
        measure=measure_id,
        area=area or None,
        first=first,
        last=last,
        filters=filters,
        by=tuple(by),
    )
    return Parsed(query, errors)


def explore_url(site: Site, query: Query) -> str | None:
    """Explore's URL for ``query`` (None in public: Explore is for signed-in users)."""
    if site.public:
        return None
    return f"{reverse('dashboard:explore')}?{urlencode(query_params(query))}"


def query_params(query: Query) -> list[tuple[str, str]]:
    """The query as URL parameters (the inverse of :func:`parse`)."""
    params = [("measure", query.measure)]
    if query.area:
        params.append(("area", query.area))
    if query.first:
        params.append(("from", query.first))
    if query.last:
        params.append(("to", query.last))
    for name, value in zip(("by", "by2"), query.by, strict=False):
        params.append((name, value))
    for name in sorted(query.filters):
        params += [(name, value) for value in sorted(query.filters[name])]
    return params


#: A filter with more values than this is a list box, not a column of checkboxes.
MANY_VALUES = 30


@dataclass(frozen=True)
class FilterField:
    dimension: Dimension
    options: list[tuple[str, str, bool]]  # key, label, checked
    chosen: int

    @property
    def many(self) -> bool:
        """Whether to offer the values as a list box (LSOAs, wards)."""
        return len(self.options) > MANY_VALUES


def filter_fields(
    events: DashboardEvents, measure: MeasureInfo, query: Query
) -> dict[str, list[FilterField]]:
    """The filters the form offers for the measure, by analysis variable."""
    grouped: dict[str, list[FilterField]] = {variable: [] for variable in VARIABLES}
    for dimension in available(events, measure):
        if dimension.name in NOT_FILTERS:
            continue
        kept = query.filters.get(dimension.name, frozenset())
        options = [
            (key, label(events, dimension.name, key), key in kept)
            for key in values_of(events, measure, dimension.name)
        ]
        grouped[dimension.variable].append(FilterField(dimension, options, len(kept)))
    return {variable: fields for variable, fields in grouped.items() if fields}


def values_of(events: DashboardEvents, measure: MeasureInfo, name: str) -> list[str]:
    """Every value of a dimension in the data (places: those of the network), not known
    last."""
    if name in ("lsoa", "ward", "local_authority", "csp"):
        places = events.population[name].dropna().astype(str).unique()
        return sorted(places, key=lambda code: label(events, name, code))
    if name == "imd_decile":
        return [str(d) for d in range(1, 11)] + [MISSING]
    if name == "weekday":
        return [str(d) for d in range(1, 8)]
    if name == "hour":
        return [str(h) for h in range(24)]
    frame = _frame_with(events, measure, name)
    if frame is None:
        return []
    column = frame[name]
    if pd.api.types.is_bool_dtype(column):
        return ["yes", "no"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        keys = [value_key(c) for c in column.cat.categories]
    else:
        keys = sorted({value_key(v) for v in column.dropna().unique()})
    has_missing = bool(column.isna().any())
    keys = [k for k in keys if k != MISSING]
    return keys + ([MISSING] if has_missing else [])


def _frame_with(events: DashboardEvents, measure: MeasureInfo, name: str) -> pd.DataFrame | None:
    if measure.source == "hospital":
        return events.admissions
    side = DIMENSION_BY_NAME[name].side
    return {
        "crime": events.crimes,
        "victim": events.victims,
        "perpetrator": events.perpetrators,
    }[side]


def filters_text(events: DashboardEvents, query: Query) -> str:
    """The filters in words: ``Victim's sex: Female; Weapon: Knife or sharp instrument``."""
    parts = []
    for name in sorted(query.filters, key=list(DIMENSION_BY_NAME).index):
        values = sorted(label(events, name, value) for value in query.filters[name])
        parts.append(f"{DIMENSION_BY_NAME[name].label}: {', '.join(values)}")
    return "; ".join(parts)


def page(events: DashboardEvents, parsed: Parsed, site: Site) -> dict[str, Any]:
    """The Explore page's values: the form's choices and state, and the answer (a chart,
    its table and its CSV) unless the parameters are wrong."""
    query = parsed.query
    measure = events.measure(query.measure)
    dimensions = available(events, measure)
    params = query_params(query)
    context: dict[str, Any] = {
        "query": query,
        "measure": measure,
        "measures": [(m.id, m.label, m.id == query.measure) for m in events.measures],
        "areas": [
            (code, name, code == (query.area or "")) for code, name in pages.area_choices(events)
        ],
        "months": [(m, pages.month_name(m)) for m in events.period.labels],
        "month_fields": [("from", "From", query.first), ("to", "To", query.last)],
        "by_fields": [("by", "Break down by"), ("by2", "Then by")],
        "breakdowns": [
            (variable, [d for d in dimensions if d.variable == variable])
            for variable in VARIABLES
            if any(d.variable == variable for d in dimensions)
        ],
        "filters": filter_fields(events, measure, query),
        "filters_text": filters_text(events, query),
        "area_name": pages.area_name(events, query.area or ""),
        "permalink": f"?{urlencode(params)}",
    }
    if parsed.errors:
        return context
    csv_url = f"{reverse('dashboard:explore-csv')}?{urlencode(params)}"
    if query.by:
        context["result"] = pages.breakdown(events, query, site.audience, csv_url, "explore")
    else:
        context["total"] = pages.total(events, query, site.audience)
        context["csv_url"] = csv_url
    return context
