"""Heat map, population pyramid and choropleth map: accessible, classed, faithful."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrn.dashboard.chart_classes import classify, palette
from vrn.dashboard.charts import csv_rows, describe, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def heatmap_spec() -> dict[str, Any]:
    return {
        "id": "day-hour",
        "type": "heatmap",
        "title": "Crimes by day & hour <test>",
        "rows": {"title": "Day of the week", "labels": ["Monday", "Tuesday"]},
        "columns": {"title": "Hour of the day", "labels": ["00", "01", "02"]},
        "values": [[0, 2, 40], [None, 10, 45]],
        "units": "crimes",
        "classes": 3,
        "missing_label": "Suppressed",
    }


def pyramid_spec() -> dict[str, Any]:
    return {
        "id": "age-sex",
        "type": "pyramid",
        "title": "Victims by age and sex",
        "x": {"title": "Age band", "values": ["0-14", "15-24"], "labels": ["0-14", "15-24"]},
        "series": [
            {"name": "Male", "values": [1.5, 6.25]},
            {"name": "Female", "values": [None, 3.0]},
        ],
        "intervals": [[[1.0, 2.0], [5.5, 7.0]], [None, [2.5, 3.5]]],
        "interval_label": "95% confidence interval",
        "units": "victims per 1,000 residents a year",
        "decimals": 2,
    }


def _square(lon: float, lat: float) -> list[list[float]]:
    return [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]


def map_spec() -> dict[str, Any]:
    areas = [
        {
            "code": f"E0500000{i}",
            "name": f"Ward <{i}>",
            "value": value,
            "lower": None if value is None else value - 1,
            "upper": None if value is None else value + 1,
            "geometry": {"type": "Polygon", "coordinates": [_square(-1.2 + 0.1 * i, 52.6)]},
        }
        for i, value in enumerate([1.0, 2.0, 9.0, 10.0, None])
    ]
    areas[3]["highlight"] = True
    areas[3]["note"] = "higher"
    areas[2]["geometry"] = {
        "type": "MultiPolygon",
        "coordinates": [[_square(-1.0, 52.6)], [_square(-1.0, 52.8)]],
    }
    areas.append({"code": "E05000009", "name": "Nowhere", "value": 3.0, "geometry": None})
    return {
        "id": "wards",
        "type": "map",
        "title": "Rates by ward",
        "areas": areas,
        "units": "crimes per 1,000 residents a year",
        "decimals": 1,
        "classes": 2,
        "highlight_label": "Significantly higher",
    }


def _svg(spec: dict[str, Any]) -> ET.Element:
    return ET.fromstring(render_svg(spec))


@pytest.mark.parametrize("spec", [heatmap_spec(), pyramid_spec(), map_spec()])
def test_each_kind_is_valid_accessible_svg(spec: dict[str, Any]) -> None:
    svg = _svg(spec)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{spec['id']}-title {spec['id']}-desc"
    assert svg.find(f"{SVG}title").text == spec["title"]  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == describe(spec)  # type: ignore[union-attr]
    assert "http" not in render_svg(spec).replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_heatmap_cells_legend_and_description() -> None:
    svg = _svg(heatmap_spec())
    cells = [r for r in svg.iter(f"{SVG}rect") if "vrn-chart__cell" in (r.get("class") or "")]
    assert len(cells) == 6
    titles = [c.find(f"{SVG}title").text for c in cells]  # type: ignore[union-attr]
    assert titles[0] == "Monday, 00: 0 crimes"
    assert titles[3] == "Tuesday, 00: not available"
    assert "vrn-chart__cell--missing" in (cells[3].get("class") or "")
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "vrn-chart__legend")
    labels = [t.text for t in legend.iter(f"{SVG}text")]
    assert labels == ["Crimes (natural breaks (Jenks))", "0 to 2", "10", "40 to 45", "Suppressed"]
    swatches = [r.get("class") for r in legend.iter(f"{SVG}rect")]
    assert swatches[:3] == [f"vrn-chart__class vrn-chart__class--{k}" for k in (1, 2, 3)]
    # The darkest class, where 40 and 45 fall, has its numbers written in white.
    assert "vrn-chart__class--3" in (cells[2].get("class") or "")
    text = describe(heatmap_spec())
    assert "Highest 45 at Tuesday 02" in text and "lowest 0 at Monday 00" in text
    assert "1 cells not available" in text
    assert csv_rows(heatmap_spec())[2] == ["Tuesday", None, 10, 45]


def test_pyramid_bars_whiskers_and_description() -> None:
    svg = _svg(pyramid_spec())
    bars = [r for r in svg.iter(f"{SVG}rect") if "vrn-chart__bar" in (r.get("class") or "")]
    assert [b.find(f"{SVG}title").text for b in bars] == [  # type: ignore[union-attr]
        "Male, 0-14: 1.50 victims per 1,000 residents a year "
        "(95% confidence interval 1.00 to 2.00)",
        "Male, 15-24: 6.25 victims per 1,000 residents a year "
        "(95% confidence interval 5.50 to 7.00)",
        "Female, 15-24: 3.00 victims per 1,000 residents a year "
        "(95% confidence interval 2.50 to 3.50)",
    ]
    # Male bars grow left from the centre, female bars right; the youngest are lowest.
    male_young, male_old, female_old = bars
    assert float(male_young.get("y", 0)) > float(male_old.get("y", 0))
    male_right = float(male_old.get("x", 0)) + float(male_old.get("width", 0))
    assert male_right < float(female_old.get("x", 0))
    assert len(list(svg.iter(f"{SVG}path"))) == 3  # a whisker for each interval
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "not available" in texts and "6.25" in texts
    text = describe(pyramid_spec())
    assert "Female: 0-14 not available; 15-24 3.00 (2.50 to 3.50)." in text
    assert "Highest: Male 15-24, 6.25." in text
    assert csv_rows(pyramid_spec())[1] == ["0-14", 1.5, 1.0, 2.0, None, None, None]


def test_map_draws_one_polygon_per_area_with_a_boundary() -> None:
    spec = map_spec()
    svg = _svg(spec)
    areas = [p for p in svg.iter(f"{SVG}path") if "vrn-chart__area" in (p.get("class") or "")]
    assert len(areas) == 5  # the sixth has no boundary
    assert areas[2].get("d", "").count("M") == 2  # a MultiPolygon is one path of two rings
    titles = [p.find(f"{SVG}title").text for p in areas]  # type: ignore[union-attr]
    assert titles[0] == "Ward <0> (E05000000): 1.0 crimes per 1,000 residents a year " + (
        "(95% confidence interval 0.0 to 2.0)"
    )
    assert titles[3].endswith("; higher")  # type: ignore[union-attr]
    assert titles[4] == "Ward <4> (E05000004): not available"
    classes = [p.get("class") for p in areas]
    assert classes[:4] == [f"vrn-chart__area vrn-chart__class--{k}" for k in (1, 1, 2, 2)]
    assert classes[4] == "vrn-chart__area vrn-chart__class--missing"
    outlines = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "vrn-chart__highlight"]
    assert len(outlines) == 1
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "vrn-chart__legend")
    labels = [t.text for t in legend.iter(f"{SVG}text")][1:]
    assert labels == ["1.0 to 3.0", "9.0 to 10.0", "Not available", "Significantly higher"]
    text = describe(spec)
    assert "Map of 6 areas" in text and "2 classes by natural breaks (Jenks)" in text
    assert "Highest Ward <3> (10.0); lowest Ward <0> (1.0)." in text
    assert "1 areas not available. 1 areas have no boundary and are not drawn." in text
    assert csv_rows(spec)[1] == ["E05000000", "Ward <0>", 1.0, 0.0, 2.0]


def test_map_projection_keeps_shapes_at_the_middle_latitude() -> None:
    spec = map_spec()
    spec["areas"] = spec["areas"][:1]  # one 0.1 x 0.1 degree square at 52.6-52.7 N
    path = _svg(spec).find(f"{SVG}path[@class='vrn-chart__area vrn-chart__class--1']")
    assert path is not None
    numbers = [
        float(n)
        for n in path.get("d", "").replace("M", " ").replace("L", " ").replace("Z", " ").split()
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    ratio = (max(xs) - min(xs)) / (max(ys) - min(ys))
    assert ratio == pytest.approx(0.6069, abs=0.01)  # cos(52.65 degrees)


@pytest.mark.parametrize("spec", [heatmap_spec(), pyramid_spec(), map_spec()])
def test_empty_data_is_drawn_and_described(spec: dict[str, Any]) -> None:
    if spec["type"] == "heatmap":
        spec["rows"]["labels"], spec["values"] = [], []
    elif spec["type"] == "pyramid":
        spec["x"] = {"title": "Age band", "values": [], "labels": []}
        spec["series"] = [{"name": "Male", "values": []}, {"name": "Female", "values": []}]
        spec["intervals"] = [[], []]
    else:
        spec["areas"] = []
    svg = _svg(spec)
    assert describe(spec) == f"{spec['title']}: no data."
    assert svg.find(f"{SVG}desc").text == f"{spec['title']}: no data."  # type: ignore[union-attr]
    assert len(csv_rows(spec)) == 1


def test_all_missing_values_are_drawn_as_not_available() -> None:
    spec = map_spec()
    for area in spec["areas"]:
        area["value"] = None
    svg = _svg(spec)
    areas = [p for p in svg.iter(f"{SVG}path") if "vrn-chart__area" in (p.get("class") or "")]
    assert {p.get("class") for p in areas} == {"vrn-chart__area vrn-chart__class--missing"}
    assert describe(spec) == "Rates by ward: no data."


def test_unknown_geometry_is_refused() -> None:
    spec = map_spec()
    spec["areas"][0]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    with pytest.raises(ValueError, match="cannot draw a 'Point' geometry"):
        render_svg(spec)


def test_palette_and_quantile_classes() -> None:
    assert palette(2) == ("#eff3ff", "#084594")
    classes = classify([1, 2, 3, 4, 5, 6, 7, 8], 4, "quantile")
    assert classes is not None and classes.uppers == (2.0, 4.0, 6.0, 8.0)
    assert classify([None, None]) is None
    with pytest.raises(ValueError, match="unknown classing method"):
        classify([1.0], 2, "equal")


@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=7),
    st.sampled_from(["jenks", "quantile"]),
)
def test_classes_cover_every_value_once_in_order(values: list[int], k: int, method: str) -> None:
    classes = classify(values, k, method)
    assert classes is not None
    assert 1 <= len(classes.uppers) <= min(k, len(set(values)))
    assert list(classes.uppers) == sorted(set(classes.uppers))
    assert sum(classes.counts) == len(values)
    assert classes.uppers[-1] == max(values) and classes.lowers[0] == min(values)
    for value in values:
        i = classes.index(value)
        assert classes.lowers[i] <= value <= classes.uppers[i]


def test_jenks_finds_the_natural_groups() -> None:
    classes = classify([1, 1, 2, 2, 50, 51, 52, 200], 3)
    assert classes is not None
    assert classes.uppers == (2.0, 52.0, 200.0)


def test_a_map_with_tiles_draws_them_beneath_the_areas() -> None:
    spec = {**map_spec(), "tiles": "https://tiles.example/{z}/{x}/{y}.png"}
    svg = _svg(spec)
    images = list(svg.iter(f"{SVG}image"))
    assert images, "no tiles drawn"
    hrefs = [image.get("href") or "" for image in images]
    assert all(h.startswith("https://tiles.example/") and h.endswith(".png") for h in hrefs)
    zoom = {h.split("/")[3] for h in hrefs}
    assert len(zoom) == 1 and 7 <= int(zoom.pop()) <= 12  # a map about 0.5 degrees wide
    children = list(svg)
    first_area = next(
        i for i, e in enumerate(children) if "vrn-chart__area" in (e.get("class") or "")
    )
    assert max(children.index(image) for image in images) < first_area
    assert all(
        p.get("fill-opacity") == "0.7"
        for p in svg.iter(f"{SVG}path")
        if "vrn-chart__area" in (p.get("class") or "")
    )
    assert "<image" not in render_svg(map_spec())  # none without a tile server
