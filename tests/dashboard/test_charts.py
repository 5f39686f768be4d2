"""SVG charts from a chart specification: accessible, escaped, faithful to the numbers."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrn.dashboard.charts import _ticks, csv_rows, describe, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def line_spec() -> dict[str, object]:
    return {
        "id": "monthly",
        "type": "line",
        "title": "Records each month, A & B <test>",
        "x": {
            "title": "Month",
            "values": ["2023-12", "2024-01", "2024-02"],
            "labels": ["Dec 2023", "Jan 2024", "Feb 2024"],
        },
        "series": [
            {"name": "All crime", "values": [1200, 900, 1500]},
            {"name": "Robbery", "values": [3, None, 1]},
        ],
        "units": "records",
    }


def bar_spec() -> dict[str, object]:
    return {
        "id": "rates",
        "type": "bar",
        "title": "Crimes per 1,000 residents",
        "x": {"title": "Area", "values": ["E1", "E2", "NET"], "labels": ["Alpha", "Beta", "Net"]},
        "series": [{"name": "Crimes per 1,000 residents", "values": [2.0, None, 1.1]}],
        "units": "crimes per 1,000 residents",
        "decimals": 1,
        "benchmark": "NET",
    }


def test_line_chart_is_valid_svg_with_title_and_description() -> None:
    svg = ET.fromstring(render_svg(line_spec()))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "monthly-title monthly-desc"
    assert svg.find(f"{SVG}title").text == "Records each month, A & B <test>"
    assert svg.find(f"{SVG}desc").get("id") == "monthly-desc"


def test_line_chart_draws_one_marker_per_known_value_and_breaks_at_gaps() -> None:
    svg = ET.fromstring(render_svg(line_spec()))
    markers = [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")]
    assert markers == [
        "Dec 2023: 1,200 records",
        "Jan 2024: 900 records",
        "Feb 2024: 1,500 records",
        "Dec 2023: 3 records",
        "Feb 2024: 1 records",
    ]
    # All crime is one line; Robbery has no value in January, so no line is drawn across it.
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1


def test_line_chart_labels_months_and_years() -> None:
    texts = [t.text for t in ET.fromstring(render_svg(line_spec())).iter(f"{SVG}text")]
    assert texts.count("Dec") == 2 and texts.count("Jan") == 2
    assert texts.count("2023") == 2 and texts.count("2024") == 2  # first point and January


def test_bar_chart_writes_values_and_marks_the_benchmark() -> None:
    svg = ET.fromstring(render_svg(bar_spec()))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Alpha", "2.0", "Beta", "not available", "Net", "1.1"]
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert fills == ["#1d70b8", "#505a5f"]


def test_bar_chart_draws_intervals_and_makes_room_for_them() -> None:
    spec = bar_spec() | {
        "intervals": [[1.0, 4.0], None, [0.9, 1.3]],
        "interval_label": "95% confidence interval",
    }
    svg = ET.fromstring(render_svg(spec))
    whiskers = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "vrn-chart__interval"]
    assert len(whiskers) == 2
    titles = [r.find(f"{SVG}title").text for r in svg.iter(f"{SVG}rect")]
    assert titles[0] == "Alpha: 2.0 crimes per 1,000 residents (95% confidence interval 1.0 to 4.0)"
    # Alpha's whisker ends at 4.0, twice its bar's length (2.0), on the same scale.
    bar = next(svg.iter(f"{SVG}rect"))
    right_end = float(whiskers[0].get("d").split("H")[1].split("M")[0])
    left, width = float(bar.get("x")), float(bar.get("width"))
    assert (right_end - left) / width == pytest.approx(2.0, abs=0.01)
    assert describe(spec) == (
        "Bar chart of crimes per 1,000 residents by area: Alpha 2.0 (1.0 to 4.0); "
        "Beta not available; Net 1.1 (0.9 to 1.3); in brackets the 95% confidence interval."
    )


def test_descriptions_summarise_the_numbers() -> None:
    assert describe(line_spec()) == (
        "Line chart, 3 points from Dec 2023 to Feb 2024, one panel per series. "
        "All crime: 1,200 records in Dec 2023, 1,500 in Feb 2024; highest 1,500 in Feb 2024, "
        "lowest 900 in Jan 2024. Robbery: 3 records in Dec 2023, 1 in Feb 2024; highest 3 in "
        "Dec 2023, lowest 1 in Feb 2024."
    )
    assert describe(bar_spec()) == (
        "Bar chart of crimes per 1,000 residents by area: Alpha 2.0; Beta not available; Net 1.1."
    )


def test_csv_rows_are_the_plotted_values() -> None:
    assert csv_rows(line_spec()) == [
        ["Month", "All crime", "Robbery"],
        ["2023-12", 1200, 3],
        ["2024-01", 900, None],
        ["2024-02", 1500, 1],
    ]


def test_an_empty_chart_still_renders() -> None:
    spec = line_spec() | {"x": {"title": "Month", "values": [], "labels": []}, "series": []}
    svg = ET.fromstring(render_svg(spec))
    assert svg.find(f"{SVG}desc").text == "Records each month, A & B <test>: no data."


def test_unknown_chart_types_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown chart type 'pie'"):
        render_svg(line_spec() | {"type": "pie"})


@given(st.floats(min_value=0.01, max_value=1e7), st.sampled_from([0, 1]))
def test_ticks_start_at_zero_and_cover_the_maximum(maximum: float, decimals: int) -> None:
    ticks = _ticks(maximum, decimals)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum * (1 - 1e-9)
    assert ticks[-2] < maximum
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    if decimals == 0:
        assert all(float(t).is_integer() for t in ticks)
