"""The hotspot and injury-surveillance findings on hand-made points whose answers are known:
a 5 km square of 400 cells of 250 m."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
import pytest
import shapely

from vrn.analytics.findings import NotComputed, hotspots
from vrn.analytics.findings.inputs import PlaceInputs
from vrn.analytics.findings.registry import FINDINGS, compute_all
from vrn.analytics.stats import wilson_interval

from .findings_inputs import CITY, inputs

AREA = shapely.box(0, 0, 5000, 5000)
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
#: 20 cells (5% of the area): columns 0-4, rows 0-3.
HOT = [(i, j) for i in range(5) for j in range(4)]


def centre(i: int, j: int) -> tuple[float, float]:
    return 125.0 + 250 * i, 125.0 + 250 * j


def violence(points: Iterable[tuple[float, float, str, int]]) -> pd.DataFrame:
    """Crimes at ``(x, y, month, day)``."""
    rows = [
        {"x": x, "y": y, "month": month, "date": dt.date(int(month[:4]), int(month[5:]), day)}
        for x, y, month, day in points
    ]
    return pd.DataFrame(rows, columns=["x", "y", "month", "date"])


def places(
    crimes: pd.DataFrame, assaults: pd.DataFrame | None = None, dated_by: str = "day"
) -> PlaceInputs:
    return PlaceInputs(
        area=AREA,
        violence=crimes,
        violence_dated_by=dated_by,
        violence_label="violent crime (test)",
        assaults=assaults,
    )


def assaults(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    defaults: dict[str, object] = {
        "month": "2024-03",
        "dated_by": "incident",
        "hour": 23,
        "geocode_confidence": "exact",
        "means_of_assault": "body_part",
        "incident_local_authority": CITY,
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    frame["date"] = [
        dt.date(int(m[:4]), int(m[5:]), int(d))
        for m, d in zip(frame["month"], frame.pop("day"), strict=True)
    ]
    return frame


def stable_hotspots(per_cell: int = 3) -> pd.DataFrame:
    """Every month, ``per_cell`` crimes in each of the 20 hot cells and nothing else."""
    return violence(
        (*centre(i, j), month, 1 + k) for month in MONTHS for i, j in HOT for k in range(per_cell)
    )


def test_concentration_is_the_share_in_the_top_five_percent_of_the_area() -> None:
    hot = [(*centre(i, j), MONTHS[k], 5) for i, j in HOT for k in range(10)]
    spread = [(*centre(i, j), "2024-06", 5) for i in range(10, 20) for j in range(10, 20)]
    elsewhere = [(-1000.0, 100.0, "2024-06", 5), (*centre(0, 0), "2023-12", 5)]
    findings = hotspots.violence_concentration(
        inputs(places=places(violence(hot + spread + elsewhere)))
    )
    (finding,) = findings
    assert finding.value == pytest.approx(200 / 300)
    assert (finding.numerator, finding.denominator) == (200, 300)
    assert finding.comparator_value == pytest.approx(0.05)
    table = finding.data.set_index("area_coverage")
    assert table.loc[0.05, "cells"] == 20
    assert table.loc[0.05, "area_km2"] == pytest.approx(1.25)
    assert table.loc[0.01, "crime_share"] == pytest.approx(40 / 300)
    assert table.loc[0.5, "crimes"] == 300
    assert finding.counts == ("crimes",)
    assert finding.sentence.startswith("67% of violent crime")
    assert "5.0% of the area" in finding.sentence and "120 of the 400 cells" in finding.sentence


def test_concentration_needs_enough_crimes_and_places() -> None:
    few = violence((*centre(0, 0), "2024-01", 1) for _ in range(49))
    with pytest.raises(NotComputed, match="at least 50"):
        hotspots.violence_concentration(inputs(places=places(few)))
    with pytest.raises(NotComputed, match="LSOA boundaries"):
        hotspots.violence_concentration(inputs())
    tiny = PlaceInputs(shapely.box(0, 0, 500, 500), stable_hotspots(), "day", "test")
    with pytest.raises(NotComputed, match="4 cells"):
        hotspots.violence_concentration(inputs(places=tiny))


def test_gi_star_hot_spots_are_the_cluster_and_its_edge() -> None:
    block = [(i, j) for i in range(8, 12) for j in range(8, 12)]
    crimes = [(*centre(i, j), MONTHS[k % 12], 3) for i, j in block for k in range(10)]
    crimes += [(*centre(2, 15), "2024-05", 3)] * 3
    (finding,) = hotspots.violence_hotspots(inputs(places=places(violence(crimes))))
    table = finding.data
    assert finding.value == len(table) > 0
    assert {"S250-2250-2250", "S250-2500-2500"} <= set(table["cell"])
    columns = ((table["easting"] - 125) // 250).astype(int)
    rows = ((table["northing"] - 125) // 250).astype(int)
    assert columns.between(7, 12).all() and rows.between(7, 12).all()
    assert (table["q"] <= 0.10).all() and (table["z"] > 0).all()
    assert table["z"].is_monotonic_decreasing
    assert finding.numerator == table["count"].sum() and finding.denominator == 163
    assert finding.counts == ("count",)
    assert "normal distribution" in finding.method and "Benjamini-Hochberg" in finding.method
    again = hotspots.violence_hotspots(inputs(places=places(violence(crimes))))[0]
    pd.testing.assert_frame_equal(again.data, table)


def test_gi_star_finds_no_hot_spot_in_an_even_spread() -> None:
    even = violence((*centre(i, j), "2024-03", 3) for i in range(20) for j in range(20))
    (finding,) = hotspots.violence_hotspots(inputs(places=places(even)))
    assert finding.value == 0 and finding.data.empty
    assert finding.sentence.startswith("None of the 400 cells")


#: Police crimes at 30 places 600 m apart, one a month-day each; assaults at 20 other
#: places, 600 m from any crime.
SITES = [(300.0 + 600 * i, 300.0 + 600 * j) for i in range(8) for j in range(8)]


def cardiff_world() -> tuple[pd.DataFrame, pd.DataFrame]:
    crimes = violence((*SITES[k], MONTHS[k % 11], 10) for k in range(30))
    known: list[dict[str, object]] = [
        {"x": SITES[k][0] + 100, "y": SITES[k][1], "month": MONTHS[k % 11], "day": 11}
        for k in range(30)
    ]
    unknown: list[dict[str, object]] = [
        {"x": SITES[k][0], "y": SITES[k][1], "month": MONTHS[k % 11], "day": 10}
        for k in range(30, 50)
    ]
    no_location: list[dict[str, object]] = [{"x": None, "y": None, "day": 1} for _ in range(3)]
    elsewhere: list[dict[str, object]] = [
        {"x": -5000.0, "y": 0.0, "day": 1},
        {"x": -5000.0, "y": 0.0, "day": 1, "incident_local_authority": None},
        {"x": None, "y": None, "day": 1, "incident_local_authority": "E06000099"},
    ]
    for row in unknown[:5]:
        row["means_of_assault"] = "sharp_object"
    return crimes, assaults([*known, *unknown, *no_location, *elsewhere])


def test_cardiff_share_without_coincidence_is_the_plain_share() -> None:
    crimes, ed = cardiff_world()
    (finding,) = hotspots.ed_assaults_unknown_to_police_cardiff(inputs(places=places(crimes, ed)))
    lower, upper = wilson_interval(20, 50)
    assert finding.value == pytest.approx(0.4)
    assert finding.lower == pytest.approx(lower) and finding.upper == pytest.approx(upper)
    assert finding.comparator_value == pytest.approx(0.4)
    assert finding.denominator == 50
    table = finding.data.set_index("means_of_assault")
    assert table.loc["all assaults", "ed_assaults"] == 53
    assert table.loc["all assaults", "not_matchable"] == 3
    assert table.loc["all assaults", "chance_match_share"] == pytest.approx(0.0)
    assert table.loc["sharp_object", "unknown_to_police"] == 5
    assert table.loc["sharp_object", "share_unknown_corrected"] == pytest.approx(1.0)
    assert "within 250 m and 3 days" in finding.sentence
    assert finding.period == "2024-01 to 2024-11"
    assert any("cannot be matched" in note for note in finding.notes)


def test_cardiff_allows_for_coincidence() -> None:
    crimes, ed = cardiff_world()
    # A busy place: a crime every week all year, and ten assaults there unknown to police.
    busy = [(2500.0, 4900.0, f"2024-{m:02d}", d) for m in range(1, 12) for d in (2, 9, 16, 23)]
    crimes = pd.concat([crimes, violence(busy)], ignore_index=True)
    there = [{"x": 2500.0, "y": 4900.0, "month": f"2024-{m:02d}", "day": 28} for m in range(1, 11)]
    ed = pd.concat([ed, assaults(there)], ignore_index=True)
    (finding,) = hotspots.ed_assaults_unknown_to_police_cardiff(inputs(places=places(crimes, ed)))
    table = finding.data.set_index("means_of_assault")
    assert table.loc["all assaults", "chance_match_share"] > 0
    assert finding.value > finding.comparator_value
    assert finding.lower is not None and finding.lower <= finding.value <= (finding.upper or 0)


def test_cardiff_with_police_data_dated_by_month() -> None:
    crimes, ed = cardiff_world()
    crimes["date"] = [dt.date(int(m[:4]), int(m[5:]), 1) for m in crimes["month"]]
    (finding,) = hotspots.ed_assaults_unknown_to_police_cardiff(
        inputs(places=places(crimes, ed, dated_by="month"))
    )
    assert "in the same month" in finding.sentence
    assert any("data.police.uk" in note for note in finding.notes)


def test_cardiff_needs_assaults_and_enough_of_them() -> None:
    crimes, ed = cardiff_world()
    with pytest.raises(NotComputed, match="istv"):
        hotspots.ed_assaults_unknown_to_police_cardiff(inputs(places=places(crimes)))
    with pytest.raises(NotComputed, match="at least 20"):
        hotspots.ed_assaults_unknown_to_police_cardiff(
            inputs(places=places(crimes, ed.iloc[35:].reset_index(drop=True)))
        )
    with pytest.raises(NotComputed, match="share no month"):
        hotspots.ed_assaults_unknown_to_police_cardiff(
            inputs(places=places(crimes[crimes["month"] <= "2024-02"], ed[ed["month"] > "2024-03"]))
        )


def test_forecast_of_stable_hotspots_finds_them_all() -> None:
    (finding,) = hotspots.forecast_accuracy(inputs(places=places(stable_hotspots())))
    # The 20 hot cells are 5% of the area and hold every crime: PAI = 1 / 0.05.
    assert finding.value == pytest.approx(20.0)
    assert finding.comparator_value == pytest.approx(20.0)
    assert list(finding.data["month"]) == MONTHS[-6:]
    assert (finding.data["hits"] == 60).all() and (finding.data["crimes"] == 60).all()
    assert finding.period == "2024-07 to 2024-12"
    assert "a PAI of 20.0" in finding.sentence


def test_forecast_needs_a_year_and_crimes_in_every_month_tested() -> None:
    crimes = stable_hotspots()
    with pytest.raises(NotComputed, match="needs 12 months"):
        hotspots.forecast_accuracy(inputs(places=places(crimes), period=("2024-02", "2024-12")))
    quiet = crimes[(crimes["month"] != "2024-09") | ((crimes["x"] < 200) & (crimes["y"] < 200))]
    with pytest.raises(NotComputed, match=r"2024-09\) has \* violent crimes"):
        hotspots.forecast_accuracy(inputs(places=places(quiet.reset_index(drop=True))))


def test_the_topic_runs_whole_and_says_why_without_points() -> None:
    keys = [key for key in FINDINGS if FINDINGS[key].__module__ == hotspots.__name__]
    assert keys == list(hotspots.FINDINGS)
    computed = compute_all(inputs(places=places(stable_hotspots())), only=keys.__contains__)
    assert not computed.failed
    assert {f.topic for f in computed.findings.values()} == {"hotspots"}
    assert "ed_assaults_unknown_to_police_cardiff" in computed.not_computed
    nothing = compute_all(inputs(), only=keys.__contains__)
    assert set(nothing.not_computed) == set(keys) and not nothing.failed


def test_no_figure_when_the_busiest_cell_is_more_than_five_percent_of_the_area() -> None:
    # 16 whole cells and 20 slivers 10 m high: a whole cell is 6% of the area.
    area = shapely.union_all([shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 6000, 10)])
    crimes = violence((*centre(1, 1), month, day) for month in MONTHS for day in range(1, 13))
    chosen = inputs(places=PlaceInputs(area, crimes, "day", "test"))
    with pytest.raises(NotComputed, match="fit in 5%"):
        hotspots.violence_concentration(chosen)
    with pytest.raises(NotComputed, match="fit in 5%"):
        hotspots.forecast_accuracy(chosen)
