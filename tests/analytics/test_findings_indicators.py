"""Risk-factor indicators against England: the latest period, the file's comparison or ours."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from vrn.analytics.findings import Finding, NotComputed, indicators
from vrn.analytics.stats import compare_with_benchmark

from .findings_inputs import CITY, TOWN, inputs

COUNTY = "E10000018"


def row(area: str, name: str, period: int, value: float | None, **extra: Any) -> dict[str, Any]:
    lower, upper = (None, None) if value is None else (value - 1.0, value + 1.0)
    return {
        "indicator_id": 900001,
        "indicator_name": "Persistent absentees",
        "area_code": area,
        "area_name": name,
        "area_type": "Districts & UAs (from Apr 2023)",
        "parent_code": "",
        "sex": "Persons",
        "age": "11-15 yrs",
        "time_period": f"{period}/{(period + 1) % 100:02d}",
        "time_period_sortable": period * 10_000,
        "value": value,
        "lower_ci_95": lower,
        "upper_ci_95": upper,
        "count": None if value is None else value * 10,
        "denominator": None if value is None else 1_000.0,
        "value_note": "",
        "compared_to_england": "",
        "compared_to_parent": "",
        "synthetic": True,
        **extra,
    }


def frame() -> pd.DataFrame:
    rows = []
    for period, england in ((2022, 22.0), (2023, 21.0)):
        rows.append(row(indicators.ENGLAND, "England", period, england, area_type="England"))
        rows.append(row(CITY, "Leicester", period, 30.0, compared_to_england="Worse"))
        rows.append(row(TOWN, "Blaby", period, 21.5))  # no comparison given: ours
        rows.append(row(COUNTY, "Leicestershire", period, 18.0))
    rows.append(row("E06000017", "Rutland", 2023, 25.0))  # not in the area
    # A breakdown by sex: kept in the data, not reported.
    rows.append(row(CITY, "Leicester", 2023, 33.0, sex="Male"))
    return pd.DataFrame(rows)


def one(findings: list[Finding], finding_id: str) -> Finding:
    [finding] = [f for f in findings if f.id == finding_id]
    return finding


def test_each_area_latest_value_against_england() -> None:
    findings = indicators.risk_factors(inputs(indicators=frame()))

    assert {f.id for f in findings} == {
        "risk_factor_900001",
        "risk_factor_900001_leicester",
        "risk_factor_900001_blaby",
        "risk_factor_900001_leicestershire",
    }
    city = one(findings, "risk_factor_900001_leicester")
    assert (city.value, city.lower, city.upper) == (30.0, 29.0, 31.0)
    assert city.period == "2023/24" and city.area == "Leicester"
    assert (city.comparator, city.comparator_value) == ("England", 21.0)
    assert city.significance == "higher"  # the file's "Worse", above England's value
    assert city.unit == "%"  # value = count / denominator x 100
    assert "30.0% (95% CI 29.0% to 31.0%) in 2023/24, significantly worse than England" in (
        city.sentence
    )
    assert set(city.data["area_code"]) == {CITY, indicators.ENGLAND}
    # Blaby's interval 20.5-22.5 contains England's 21.0: similar, as compare_with_benchmark.
    town = one(findings, "risk_factor_900001_blaby")
    expected = compare_with_benchmark(pd.DataFrame({"lowercl": [20.5], "uppercl": [22.5]}), 21.0)
    assert expected["comparison"].iloc[0] == "Similar"
    assert town.significance == "not significant" and "similar to England" in town.sentence
    assert "computed" in town.method or "compare_with_benchmark" in town.method
    county = one(findings, "risk_factor_900001_leicestershire")
    assert county.significance == "lower" and county.area == "Leicestershire"

    headline = one(findings, "risk_factor_900001")
    assert (headline.value, headline.numerator, headline.denominator) == (2, 2, 3)
    assert headline.area == "Test network" and headline.comparator_value == 21.0
    assert "Leicester 30.0%" in headline.sentence and "Blaby 21.5%" in headline.sentence
    assert len(headline.data) == len(frame())  # every area, sex and period row
    assert headline.notes and "Synthetic" in headline.notes[0]


def test_a_suppressed_value_is_said_and_not_compared() -> None:
    rows = frame()
    latest = (rows["area_code"] == TOWN) & (rows["time_period_sortable"] == 20230000)
    rows.loc[latest, ["value", "lower_ci_95", "upper_ci_95"]] = None
    rows.loc[latest, "value_note"] = "Value suppressed for disclosure control"
    findings = indicators.risk_factors(inputs(indicators=rows))
    assert "risk_factor_900001_blaby" not in {f.id for f in findings}
    headline = one(findings, "risk_factor_900001")
    assert "Blaby: no value (Value suppressed for disclosure control)" in headline.sentence
    assert headline.denominator == 2


def test_without_indicators_or_areas_nothing_is_computed() -> None:
    with pytest.raises(NotComputed, match="indicators"):
        indicators.risk_factors(inputs())
    elsewhere = frame()
    elsewhere = elsewhere[elsewhere["area_code"].isin([indicators.ENGLAND, "E06000017"])]
    with pytest.raises(NotComputed, match="no loaded indicator has a value for Test network"):
        indicators.risk_factors(inputs(indicators=elsewhere))
