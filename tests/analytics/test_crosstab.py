"""The cross-tabulation of events by the five analysis variables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vrn.analytics.crosstab import ANALYSIS_VARIABLES, Rates, crosstab, variable_of
from vrn.analytics.stats import rate, wilson_interval


@pytest.fixture
def events() -> pd.DataFrame:
    """100 violent crimes: 65 with a male victim, 35 female; 40 in public places."""
    sex = ["male"] * 65 + ["female"] * 35
    public = ([True] * 30 + [False] * 35) + ([True] * 10 + [False] * 25)
    authority = (["E06000016"] * 50 + ["E07000129"] * 15) + (["E06000016"] * 20 + [None] * 15)
    hour = pd.Categorical([i % 20 for i in range(100)], categories=range(24))
    return pd.DataFrame(
        {"victim_sex": sex, "public_place": public, "local_authority": authority, "hour": hour}
    )


def test_counts_and_shares_with_wilson_limits(events: pd.DataFrame) -> None:
    table = crosstab(events, ["victim_sex"]).set_index("victim_sex")

    assert table["count"].to_dict() == {"female": 35, "male": 65}
    assert table.loc["male", "share"] == pytest.approx(0.65)
    # Known values: 65 of 100 has 95% Wilson limits 0.5525 to 0.7364.
    assert table.loc["male", ["share_lower", "share_upper"]].round(4).tolist() == [
        0.5525,
        0.7364,
    ]
    lower, upper = wilson_interval(35, 100)
    assert table.loc["female", "share_lower"] == pytest.approx(lower)
    assert table.loc["female", "share_upper"] == pytest.approx(upper)


def test_every_category_of_a_categorical_dimension_has_a_row(events: pd.DataFrame) -> None:
    table = crosstab(events, ["hour"])
    assert table["hour"].tolist() == list(range(24))
    assert table["count"].tolist() == [5] * 20 + [0] * 4
    assert table["count"].sum() == 100


def test_missing_values_are_a_category_not_dropped(events: pd.DataFrame) -> None:
    table = crosstab(events, ["local_authority"])
    assert table["count"].sum() == 100
    assert table.loc[table["local_authority"].isna(), "count"].tolist() == [15]


def test_shares_within_a_dimension(events: pd.DataFrame) -> None:
    """The share of each sex's violence in public places: within victim_sex."""
    table = crosstab(events, ["victim_sex", "public_place"], share_within=["victim_sex"])
    public = table[table["public_place"]].set_index("victim_sex")
    assert public["share"].to_dict() == pytest.approx({"female": 10 / 35, "male": 30 / 65})
    assert table.groupby("victim_sex")["share"].sum().tolist() == pytest.approx([1, 1])


def test_where_chooses_the_events(events: pd.DataFrame) -> None:
    """The share of public-place violence with a male victim."""
    table = crosstab(events, ["victim_sex"], where=events["public_place"])
    assert table.set_index("victim_sex")["count"].to_dict() == {"female": 10, "male": 30}
    assert table["share"].tolist() == pytest.approx([0.25, 0.75])


def test_rates_per_thousand_residents_with_the_projects_limits(events: pd.DataFrame) -> None:
    residents = pd.DataFrame(
        {"local_authority": ["E06000016", "E07000129"], "population": [370_000, 103_000]}
    )
    table = crosstab(
        events, ["local_authority"], population=Rates(residents, ("local_authority",))
    ).set_index("local_authority", drop=False)

    leicester = table.loc["E06000016"]
    assert leicester["rate"] == pytest.approx(70 / 370_000 * 1000)
    expected = rate(
        pd.DataFrame({"x": [70, 15], "n": [370_000, 103_000]}), "x", "n", multiplier=1000
    )
    assert leicester[["rate_lower", "rate_upper"]].tolist() == pytest.approx(
        expected.loc[0, ["lowercl", "uppercl"]].tolist()
    )
    assert table.loc["E07000129", "rate_method"] == "Byars"
    unplaced = table[table["local_authority"].isna()]
    assert unplaced["count"].tolist() == [15] and np.isnan(unplaced["rate"].iloc[0])


def test_rates_by_a_population_of_fewer_dimensions(events: pd.DataFrame) -> None:
    """Male and female victims per 1,000 of each authority's residents."""
    residents = pd.DataFrame({"local_authority": ["E06000016"], "population": [370_000]})
    table = crosstab(
        events,
        ["local_authority", "victim_sex"],
        population=Rates(residents, ("local_authority",)),
        where=events["local_authority"] == "E06000016",
    )
    assert table.set_index("victim_sex")["rate"].to_dict() == pytest.approx(
        {"female": 20 / 370, "male": 50 / 370}
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"by": []}, "at least one column"),
        ({"by": ["weapon"]}, "'weapon' not in the events"),
        ({"by": ["victim_sex"], "share_within": ["hour"]}, "must be among by"),
        (
            {
                "by": ["victim_sex"],
                "population": Rates(pd.DataFrame({"ward": ["x"], "population": [1]}), ("ward",)),
            },
            "must be among the dimensions",
        ),
    ],
)
def test_bad_arguments_are_refused_naming_them(
    events: pd.DataFrame, arguments: dict[str, object], message: str
) -> None:
    by = arguments.pop("by")
    with pytest.raises(ValueError, match=message):
        crosstab(events, by, **arguments)  # type: ignore[arg-type]


def test_every_dimension_belongs_to_one_of_the_five_variables() -> None:
    assert list(ANALYSIS_VARIABLES) == ["nature", "perpetrator", "victim", "time", "location"]
    names = [name for names in ANALYSIS_VARIABLES.values() for name in names]
    assert len(names) == len(set(names))
    assert variable_of("victim_age_band") == "victim"
    assert variable_of("imd_decile") == "location"
    assert variable_of("colour") is None
