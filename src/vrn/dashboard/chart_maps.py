"""Choropleth map: areas shaded by the class of their value (see ``charts``).

Specification::

    {
        "id": "ward-rates", "type": "map", "title": "Violence per 1,000 residents by ward",
        "areas": [
            {"code": "E05000001", "name": "Abbey", "value": 4.2,   # None: not available
             "lower": 3.1, "upper": 5.6,                           # optional 95% limits
             "note": "higher than the network",                    # optional, in the tooltip
             "highlight": True,                                    # optional: outlined
             "geometry": {"type": "Polygon", "coordinates": [...]}},  # GeoJSON, WGS84
            ...
        ],
        "units": "crimes per 1,000 residents a year", "decimals": 1,
        "classes": 5, "method": "jenks",        # optional; or "quantile"
        "highlight_label": "Significantly higher than the network",  # legend for outlines
        "interval_label": "95% confidence interval",
        "tiles": "https://tiles.example/{z}/{x}/{y}.png",  # optional background (XYZ tiles)
        "context": [{"type": "Polygon", ...}, ...],  # optional grey outlines beneath
        "categories": [                      # optional: fill by category, not by class
            {"value": 3, "label": "Hot spot, 99% confidence", "colour": "#d4351c"}, ...],
    }

With ``categories`` each area's ``value`` names its category (areas whose value is none
of them are not drawn), and the legend lists the categories in order: for hotspot classes
and other categorical layers. ``context`` outlines (local authorities, say) are drawn in
grey under the areas and count towards the map's extent, so that a few small cells are
seen in place.

Longitude and latitude are drawn on a plain equirectangular projection whose x is scaled
by the cosine of the middle latitude, which keeps shapes true at the scale of a force
area. Each area is one ``<path>`` (its polygons and holes, even-odd filled) with a
``<title>``. No tiles and no requests unless ``tiles`` names a tile server: then the
Web Mercator tiles covering the map, at the zoom nearest its scale, are drawn beneath the
areas (each tile placed by its corners, which at a force's scale matches the projection
to well under a pixel) and the areas are filled at 70% opacity.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from html import escape
from typing import Any

from vrn.dashboard.chart_classes import METHODS, class_items, classify, hatch, legend
from vrn.dashboard.charts import BLACK, WIDTH, Spec, _number, _svg

#: The tallest the map itself is drawn, in SVG units.
MAX_HEIGHT = 520
_MARGIN = 4

Ring = Sequence[Sequence[float]]


def rings(geometry: dict[str, Any] | None) -> Iterator[Ring]:
    """Every ring (outer boundaries and holes) of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return
    kind = geometry.get("type")
    if kind == "Polygon":
        yield from geometry["coordinates"]
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    elif kind == "GeometryCollection":
        for part in geometry.get("geometries", []):
            yield from rings(part)
    else:
        raise ValueError(f"cannot draw a {kind!r} geometry; expected Polygon or MultiPolygon")


def _drawn(spec: Spec) -> list[dict[str, Any]]:
    return [area for area in spec["areas"] if any(True for _ in rings(area.get("geometry")))]


def _categories(spec: Spec) -> dict[Any, dict[str, Any]]:
    return {category["value"]: category for category in spec.get("categories", ())}


def render(spec: Spec) -> str:
    areas = _drawn(spec)
    decimals = spec.get("decimals", 0)
    categories = _categories(spec)
    if categories:
        areas = [area for area in areas if area.get("value") in categories]
    # Classed on every area's value, drawn or not, as the description is.
    values = [area.get("value") for area in spec["areas"]]
    classes = None if categories else classify(values, spec.get("classes", 5), _method(spec))
    context = list(spec.get("context", ()))
    shapes = [area["geometry"] for area in areas] + context
    points = [point for shape in shapes for ring in rings(shape) for point in ring]
    pattern = f"{spec['id']}-missing"
    body = [hatch(pattern)]
    map_height = 0.0
    if points:
        west, east = min(p[0] for p in points), max(p[0] for p in points)
        south, north = min(p[1] for p in points), max(p[1] for p in points)
        squash = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * squash, 1e-9)
        span_y = max(north - south, 1e-9)
        scale = min((WIDTH - 2 * _MARGIN) / span_x, (MAX_HEIGHT - 2 * _MARGIN) / span_y)
        map_height = span_y * scale + 2 * _MARGIN
        offset = (WIDTH - span_x * scale) / 2

        def project(point: Sequence[float]) -> tuple[float, float]:
            # Half a unit of the view box is finer than print or screen shows; points
            # that round to the same place are dropped (boundaries are very detailed).
            return (
                round(2 * (offset + (point[0] - west) * squash * scale)) / 2,
                round(2 * (_MARGIN + (north - point[1]) * scale)) / 2,
            )

        if spec.get("tiles"):
            body.extend(_tiles(spec["tiles"], (west, south, east, north), squash * scale, project))
        opacity = ' fill-opacity="0.7"' if spec.get("tiles") else ""
        body.extend(
            f'<path class="vrn-chart__context" d="{_path(shape, project)}" fill="none" '
            f'stroke="#6f777b" stroke-width="0.75" aria-hidden="true"/>'
            for shape in context
        )
        highlighted = []
        for area in areas:
            path = _path(area["geometry"], project)
            value = area.get("value")
            if categories:
                k = list(categories).index(value)
                css, fill = f"vrn-chart__category--{k + 1}", categories[value]["colour"]
            elif value is None or classes is None:
                css, fill = "vrn-chart__class--missing", f"url(#{pattern})"
            else:
                k = classes.index(value)
                css, fill = f"vrn-chart__class--{k + 1}", classes.colour(k)
            body.append(
                f'<path class="vrn-chart__area {css}" d="{path}" fill="{escape(fill)}"{opacity} '
                f'fill-rule="evenodd" stroke="#ffffff" stroke-width="0.75">'
                f"<title>{escape(_tooltip(spec, area, decimals))}</title></path>"
            )
            if area.get("highlight"):
                highlighted.append(path)
        # Outlines last, so that no neighbour's fill covers them.
        body.extend(
            f'<path class="vrn-chart__highlight" d="{path}" fill="none" stroke="{BLACK}" '
            f'stroke-width="2.5" aria-hidden="true"/>'
            for path in highlighted
        )
    items = class_items(classes, decimals) + [
        (f"vrn-chart__class vrn-chart__category--{k + 1}", category["colour"], category["label"])
        for k, category in enumerate(categories.values())
    ]
    if any(area.get("value") is None for area in areas):
        items.append(
            ("vrn-chart__class vrn-chart__class--missing", f"url(#{pattern})", "Not available")
        )
    if any(area.get("highlight") for area in areas):
        items.append(
            (
                "vrn-chart__class vrn-chart__class--highlight",
                "none",
                spec.get("highlight_label", "Outlined"),
            )
        )
    title = spec["units"].capitalize()
    if not categories:
        title += f" ({METHODS.get(_method(spec), _method(spec))})"
    svg, height = legend(items, map_height + 12, WIDTH, title)
    body.append(svg)
    return _svg(spec, map_height + 12 + height, body)


def _tiles(
    template: str,
    bounds: tuple[float, float, float, float],
    pixels_per_degree: float,
    project: Any,
) -> list[str]:
    """``<image>`` elements of the XYZ tiles covering ``bounds`` (west, south, east,
    north) at the zoom whose 256-pixel tiles are nearest the map's scale."""
    west, south, east, north = bounds
    zoom = min(18, max(0, round(math.log2(max(pixels_per_degree, 1e-9) * 360 / 256))))
    n = 2**zoom

    def column(lon: float) -> int:
        return int((lon + 180) / 360 * n)

    def row(lat: float) -> int:
        rad = math.radians(lat)
        return int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)

    def corner(x: int, y: int) -> tuple[float, float]:
        lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
        return x / n * 360 - 180, lat

    images = []
    for x in range(column(west), column(east) + 1):
        for y in range(row(north), row(south) + 1):
            left, top = project(corner(x, y))
            right, bottom = project(corner(x + 1, y + 1))
            url = template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))
            images.append(
                f'<image href="{escape(url)}" x="{left}" y="{top}" width="{right - left}" '
                f'height="{bottom - top}" preserveAspectRatio="none" aria-hidden="true"/>'
            )
    return images


def _path(geometry: dict[str, Any], project: Any) -> str:
    parts = []
    for ring in rings(geometry):
        drawn: list[tuple[float, float]] = []
        for point in ring:
            xy = project(point)
            if not drawn or xy != drawn[-1]:
                drawn.append(xy)
        if len(drawn) >= 3:
            head = f"M{drawn[0][0]:g} {drawn[0][1]:g}"
            parts.append(head + "".join(f"L{x:g} {y:g}" for x, y in drawn[1:]) + "Z")
    return "".join(parts)


def _tooltip(spec: Spec, area: dict[str, Any], decimals: int) -> str:
    text = f"{area.get('name') or area['code']} ({area['code']}): "
    value = area.get("value")
    categories = _categories(spec)
    if categories:
        text += str(categories[value]["label"])
        return text + (f"; {area['note']}" if area.get("note") else "")
    if value is None:
        return text + "not available"
    text += f"{_number(value, decimals)} {spec['units']}"
    if area.get("lower") is not None and area.get("upper") is not None:
        text += (
            f" ({spec.get('interval_label', '95% confidence interval')} "
            f"{_number(area['lower'], decimals)} to {_number(area['upper'], decimals)})"
        )
    if area.get("note"):
        text += f"; {area['note']}"
    return text


def describe(spec: Spec) -> str:
    areas = spec["areas"]
    decimals = spec.get("decimals", 0)
    categories = _categories(spec)
    if categories:
        counts = [
            f"{category['label']} ({sum(area.get('value') == value for area in areas):,})"
            for value, category in categories.items()
        ]
        return f"Map of {spec['title'][:1].lower()}{spec['title'][1:]}: {'; '.join(counts)}."
    known = [area for area in areas if area.get("value") is not None]
    if not known:
        return f"{spec['title']}: no data."
    classes = classify([area["value"] for area in known], spec.get("classes", 5), _method(spec))
    assert classes is not None
    high = max(known, key=lambda area: area["value"])
    low = min(known, key=lambda area: area["value"])
    ranges = "; ".join(
        f"{classes.label(i, decimals)} ({classes.counts[i]} areas)"
        for i in range(len(classes.uppers))
    )
    text = (
        f"Map of {len(areas)} areas shaded by {spec['units']} in {len(classes.uppers)} "
        f"classes by {METHODS.get(_method(spec), _method(spec))}: {ranges}. "
        f"Highest {high.get('name') or high['code']} ({_number(high['value'], decimals)}); "
        f"lowest {low.get('name') or low['code']} ({_number(low['value'], decimals)})."
    )
    highlighted = [area.get("name") or area["code"] for area in areas if area.get("highlight")]
    if highlighted:
        text += f" {spec.get('highlight_label', 'Outlined')}: {', '.join(highlighted)}."
    if len(known) < len(areas):
        text += f" {len(areas) - len(known)} areas not available."
    undrawn = len(areas) - len(_drawn(spec))
    if undrawn:
        text += f" {undrawn} areas have no boundary and are not drawn."
    return text


def csv_rows(spec: Spec) -> list[list[object]]:
    categories = _categories(spec)
    if categories:
        return [
            ["Area code", "Area", spec["units"]],
            *(
                [
                    area["code"],
                    area.get("name", ""),
                    categories.get(area.get("value"), {}).get("label"),
                ]
                for area in spec["areas"]
            ),
        ]
    header: list[object] = ["Area code", "Area", spec["units"], "Lower limit", "Upper limit"]
    body: list[list[object]] = [
        [
            area["code"],
            area.get("name", ""),
            area.get("value"),
            area.get("lower"),
            area.get("upper"),
        ]
        for area in spec["areas"]
    ]
    return [header, *body]


def _method(spec: Spec) -> str:
    return str(spec.get("method", "jenks"))
