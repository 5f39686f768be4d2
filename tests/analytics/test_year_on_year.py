"""Change on the year before, and the dashboard's headline tiles built on it."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.analytics.headlines import headlines
from vrn.analytics.measures import compute_measures
from vrn.analytics.stats import percentage_change
from vrn.analytics.year_on_year import change_on_year, year_apart
from vrn.definitions import load_definitions


def months(first: str, count: int) -> list[str]:
    return [str(p) for p in pd.period_range(first, periods=count, freq="M")]


def test_a_year_is_compared_with_the_year_before() -> None:
    window = year_apart(months("2023-01", 24))
    assert window is not None
    assert (window.earlier_span, window.later_span) == ("2023-01 to 2023-12", "2024-01 to 2024-12")
    longer = year_apart(months("2020-01", 60))
    assert longer is not None and longer.later_span == "2024-01 to 2024-12"


def test_a_shorter_series_compares_the_same_months_a_year_apart() -> None:
    window = year_apart(months("2023-01", 18))
    assert window is not None
    assert (window.earlier_span, window.later_span) == ("2023-01 to 2023-06", "2024-01 to 2024-06")
    assert year_apart(months("2023-01", 13)).later == ("2024-01",)  # type: ignore[union-attr]
    assert year_apart(months("2023-01", 12)) is None
    quarter = year_apart(months("2023-01", 24), window=3)
    assert quarter is not None and quarter.earlier == ("2023-10", "2023-11", "2023-12")
    with pytest.raises(ValueError, match="window"):
        year_apart(months("2023-01", 24), window=0)


def test_change_uses_the_exact_limits_and_says_when_it_is_significant() -> None:
    series = pd.DataFrame({"month": months("2023-01", 24), "count": [10] * 12 + [20] * 12})
    change = change_on_year(series)
    assert change is not None
    assert (change.earlier_count, change.later_count) == (120, 240)
    expected = percentage_change(120, 1, 240, 1)
    assert change.value == pytest.approx(100.0)
    assert change.lower == pytest.approx(expected["lowercl"].iloc[0])
    assert change.upper == pytest.approx(expected["uppercl"].iloc[0])
    assert change.significance == "higher"
    flat = change_on_year(series.assign(count=[10] * 23 + [11]))
    assert flat is not None and flat.significance == "not significant"
    from_none = change_on_year(series.assign(count=[0] * 12 + [3] * 12))
    assert from_none is not None and from_none.value is None
    assert change_on_year(series.head(12)) is None


def test_headlines_for_every_figure_of_the_measures() -> None:
    crimes = pd.DataFrame(
        {
            "crime_id": [f"C{i}" for i in range(30)],
            "month": ["2023-02"] * 10 + ["2024-02"] * 20,
            "area_code": "E06000016",
            "offence_code": "8N",
            "public_place": True,
            "domestic": False,
            "knife_or_sharp_instrument": True,
        }
    )
    people = pd.DataFrame({"crime_id": crimes["crime_id"], "role": "victim", "age": 19})
    result = compute_measures(
        load_definitions(),
        crimes=crimes,
        people=people,
        first_month="2023-01",
        last_month="2024-06",
    )
    tiles = {tile.measure: tile for tile in headlines(result)}
    assert set(tiles) == {figure.id for figure in result.figures}
    serious = tiles["serious_violence"]
    assert len(serious.counts) == 18 and sum(serious.counts) == 30
    assert serious.change is not None
    assert serious.change.window.later_span == "2024-01 to 2024-06"
    assert (serious.change.earlier_count, serious.latest) == (10, 20)
    assert serious.change.value == pytest.approx(100.0)
