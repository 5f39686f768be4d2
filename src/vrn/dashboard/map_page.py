"""The map page: a measure's rate per 1,000 residents a year by LSOA, ward or local
authority as a choropleth (classed breaks, legend) with the same figures as a table.

The public face offers no level finer than ``VRN_PUBLIC_MAP_LEVEL`` (ward by default).
The map is drawn from the loaded boundaries only, and no request leaves the site, unless
a deployment sets a tile server (``VRN_MAP_TILES``): then the visitor's browser fetches the
tiles behind the areas (the server never does), with the provider's attribution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.safestring import mark_safe

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.analytics.explore import DIMENSION_BY_NAME, RATE_UNIT, Query, explore
from vrn.dashboard import charts
from vrn.dashboard.boundaries import map_boundaries
from vrn.dashboard.explore_form import default_measure
from vrn.dashboard.pages import lower_first
from vrn.dashboard.published import rows
from vrn.dashboard.site import Site


@dataclass(frozen=True)
class MapChoice:
    measure: str
    level: str
    errors: Mapping[str, str] = field(default_factory=dict)


def parse(events: DashboardEvents, params: Mapping[str, Sequence[str]], site: Site) -> MapChoice:
    """The measure and level asked for (defaults: serious violence, the finest level the
    face allows), with messages for values that are not offered."""

    def one(name: str) -> str:
        values = params.get(name) or [""]
        return str(values[-1]).strip()

    errors = {}
    measure = one("measure") or default_measure(events)
    if measure not in events.measure_ids:
        errors["measure"] = "Choose a measure from the list"
        measure = default_measure(events)
    levels = site.map_levels
    level = one("level") or levels[0]
    if level not in levels:
        errors["level"] = (
            "Choose a level from the list"
            if level not in ("lsoa", "ward", "local_authority")
            else f"The public map shows areas no smaller than "
            f"{DIMENSION_BY_NAME[levels[0]].label.lower()}s"
        )
        level = levels[0]
    return MapChoice(measure, level, errors)


def page(events: DashboardEvents, choice: MapChoice, area: str, site: Site) -> dict[str, Any]:
    """The map, its table and its CSV."""
    query = Query(choice.measure, area or None, by=(choice.level,))
    explored = explore(events, query)
    shown = rows(explored, site.audience)
    geometry = map_boundaries(events, choice.level)
    dimension = DIMENSION_BY_NAME[choice.level]
    spec = {
        "id": "map",
        "type": "map",
        "title": f"{explored.measure.label}: {explored.unit} {RATE_UNIT} by "
        f"{lower_first(dimension.label)}, {explored.area_name}, {explored.period}",
        "areas": [
            {
                "code": row.keys[0],
                "name": row.labels[0],
                "value": row.rate,
                "lower": row.rate_lower,
                "upper": row.rate_upper,
                "geometry": geometry.get(row.keys[0]),
            }
            for row in shown
            if row.keys[0]
        ],
        "units": f"{explored.unit} {RATE_UNIT}",
        "decimals": 2,
        "method": "jenks",
        "interval_label": "95% confidence interval",
        "tiles": settings.VRN_MAP_TILES or None,
    }
    params = {"measure": choice.measure, "level": choice.level}
    return {
        "choice": choice,
        "errors": choice.errors,
        "explored": explored,
        "rows": shown,
        "map": mark_safe(charts.render_svg(spec)),  # escaped by the renderer
        "csv_url": site.url("map-csv", area=area, **params),
        "levels": [(level, DIMENSION_BY_NAME[level].label) for level in site.map_levels],
        "measures": [(m.id, m.label) for m in events.measures],
        "tiles": settings.VRN_MAP_TILES,
        "tiles_attribution": settings.VRN_MAP_TILES_ATTRIBUTION,
    }
