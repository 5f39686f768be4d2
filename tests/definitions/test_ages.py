"""Age-band schemes: boundaries, missing ages, and agreement with the statistics library."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.definitions import UNKNOWN, AgeBandScheme, Definitions
from vrn.definitions.ages import AgeBandError


@pytest.mark.parametrize(
    ("scheme", "ages", "expected"),
    [
        ("under25", [0, 24, 24.9, 25, 90], ["0-24", "0-24", "0-24", "25+", "25+"]),
        (
            "sna",
            [9, 10, 14, 15, 19, 20, 24, 25],
            ["0-9", "10-14", "10-14", "15-19", "15-19", "20-24", "20-24", "25-34"],
        ),
        ("sna", [64, 65, 120], ["55-64", "65+", "65+"]),
        ("esp2013", [0, 4, 5, 89, 90, 104], ["0-4", "0-4", "5-9", "85-89", "90+", "90+"]),
        ("children_young_adults", [17, 18, 24, 25], ["0-17", "18-24", "18-24", "25+"]),
        ("census2021", [15, 16, 49, 50], ["0-15", "16-24", "35-49", "50-64"]),
    ],
)
def test_boundaries(
    shipped: Definitions, scheme: str, ages: list[float], expected: list[str]
) -> None:
    assert shipped.age_bands.assign(scheme, pd.Series(ages)).tolist() == expected
    assert [shipped.age_bands[scheme].band_of(age) for age in ages] == expected


def test_missing_and_unusable_ages_are_unknown(shipped: Definitions) -> None:
    ages = pd.Series([None, float("nan"), -1, "twenty", "24"], index=list("abcde"))
    result = shipped.age_bands.assign("under25", ages)
    assert result.tolist() == [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, "0-24"]
    assert list(result.index) == list("abcde")
    assert list(result.cat.categories) == ["0-24", "25+", UNKNOWN]
    assert result.cat.ordered
    assert shipped.age_bands["sna"].band_of(None) == UNKNOWN


def test_esp2013_bands_match_the_statistics_library(shipped: Definitions) -> None:
    from vrn.analytics.stats import ESP2013

    assert list(shipped.age_bands["esp2013"].labels[:-1]) == list(ESP2013.index)


@pytest.mark.parametrize(
    ("labels", "problem"),
    [
        (["0-24", "26+"], "should start at 25"),
        (["1-24", "25+"], "should start at 0"),
        (["0-24"], "must be open-ended"),
        (["0+", "25+"], "is open-ended but is not the last"),
        (["0-24", "25-20", "21+"], "ends before it starts"),
        (["under 25", "25+"], "is not 'lower-upper'"),
    ],
)
def test_bad_schemes(labels: list[str], problem: str) -> None:
    with pytest.raises(AgeBandError, match=problem):
        AgeBandScheme.parse("bad", labels)
