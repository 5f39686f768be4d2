"""Distance travelled: first against latest review, through stats.paired_change."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import (
    SLEEP_DRUG_1,
    SLEEP_DRUG_2,
    planted_reviews,
    reviews_from_pairs,
)
from vrn.analytics.interventions import Scale, distance_travelled
from vrn.analytics.interventions.distance import COLUMNS, HIGHER_IS_BETTER, LOWER_IS_BETTER
from vrn.analytics.stats import wilson_interval

SLEEP_SCALE = {"wellbeing": Scale(-5, 10, True)}


def test_five_people_by_hand() -> None:
    # Changes 2, 2, 0, 1, 3: mean 1.6, SD sqrt(1.3), t = 1.6 / (sqrt(1.3) / sqrt(5)).
    reviews = reviews_from_pairs([3, 4, 2, 5, 4], [5, 6, 2, 6, 7])
    row = distance_travelled(reviews, {"wellbeing": (1, 10, True, None)}).iloc[0]
    assert row["n"] == 5 and row["participants"] == 5 and row["n_single_review"] == 0
    assert row["mean_before"] == pytest.approx(3.6) and row["mean_after"] == pytest.approx(5.2)
    assert row["mean_change"] == pytest.approx(1.6)
    assert row["sd_change"] == pytest.approx(math.sqrt(1.3))
    assert row["t"] == pytest.approx(1.6 / (math.sqrt(1.3) / math.sqrt(5)))
    assert row["median_days_between"] == 91
    assert (row["improved"], row["same"], row["worse"]) == (4, 1, 0)
    lower, upper = wilson_interval(4, 5)
    assert row["improved_share"] == pytest.approx(0.8)
    assert row["improved_lowercl"] == pytest.approx(float(lower))
    assert row["improved_uppercl"] == pytest.approx(float(upper))
    assert row["orientation"] == HIGHER_IS_BETTER
    assert np.isnan(row["reliable_criterion"])


def test_matches_r_paired_t_on_the_sleep_data() -> None:
    # R: t.test(extra ~ group, data = sleep, paired = TRUE): group 2 - group 1 is +1.58,
    # t = 4.0621, df = 9, p = 0.002833, 95% CI 0.7001142 to 2.4598858.
    reviews = reviews_from_pairs(SLEEP_DRUG_1, SLEEP_DRUG_2)
    table = distance_travelled(reviews, SLEEP_SCALE)
    assert list(table["level"]) == ["scale", "area"]
    row = table.iloc[0]
    assert row["mean_change"] == pytest.approx(1.58)
    assert row["t"] == pytest.approx(4.0621, abs=5e-5)
    assert row["p_value"] == pytest.approx(0.002833, abs=5e-7)
    assert row["change_lowercl"] == pytest.approx(0.7001142, abs=5e-8)
    assert row["change_uppercl"] == pytest.approx(2.4598858, abs=5e-8)
    assert row["dz"] == pytest.approx(1.58 / 1.2299955, abs=1e-6)
    assert row["dz_lowercl"] < row["dz"] < row["dz_uppercl"]
    assert row["hl_lowercl"] <= row["hodges_lehmann"] <= row["hl_uppercl"]
    assert row["wilcoxon_p_value"] < 0.05


def test_lower_is_better_is_oriented_as_improvement() -> None:
    reviews = reviews_from_pairs(SLEEP_DRUG_1, SLEEP_DRUG_2, scale="distress")
    row = distance_travelled(reviews, {"distress": Scale(-5, 10, False)}).iloc[0]
    assert row["orientation"] == LOWER_IS_BETTER
    assert row["mean_before"] == pytest.approx(0.75) and row["mean_after"] == pytest.approx(2.33)
    assert row["mean_change"] == pytest.approx(-1.58)
    assert row["change_lowercl"] == pytest.approx(-2.4598858, abs=5e-8)
    assert row["change_uppercl"] == pytest.approx(-0.7001142, abs=5e-8)
    assert row["t"] == pytest.approx(-4.0621, abs=5e-5)
    assert row["dz"] < 0 and row["hodges_lehmann"] < 0
    assert (row["improved"], row["same"], row["worse"]) == (0, 1, 9)


def test_score_at_a_review_is_the_mean_of_its_areas_and_latest_is_the_last_date() -> None:
    day = pd.Timestamp
    rows = [
        # participant 1: reviews on three dates; first 2 and 4 (mean 3), latest 6 and 8 (7)
        (1, "w", "home", day("2024-01-01"), 2.0),
        (1, "w", "school", day("2024-01-01"), 4.0),
        (1, "w", "home", day("2024-03-01"), 9.0),
        (1, "w", "home", day("2024-06-01"), 6.0),
        (1, "w", "school", day("2024-06-01"), 8.0),
        # participant 2: first 5 (home only), latest 5 and 7 (6)
        (2, "w", "home", day("2024-02-01"), 5.0),
        (2, "w", "home", day("2024-05-01"), 5.0),
        (2, "w", "school", day("2024-05-01"), 7.0),
        # participant 3: one review only
        (3, "w", "home", day("2024-02-01"), 5.0),
        (3, "w", "school", day("2024-02-01"), np.nan),
    ]
    reviews = pd.DataFrame(
        rows, columns=["participant_id", "scale", "area", "review_date", "score"]
    )
    table = distance_travelled(reviews, {"w": Scale(1, 10, True, None)}).set_index("area")
    whole = table.loc[""]
    assert whole["participants"] == 3 and whole["n_single_review"] == 1 and whole["n"] == 2
    assert whole["mean_before"] == pytest.approx(4.0)  # (3 + 5) / 2
    assert whole["mean_after"] == pytest.approx(6.5)  # (7 + 6) / 2
    school = table.loc["school"]  # participant 1 only (2's school has one date; 3's is NaN)
    assert school["participants"] == 2 and school["n"] == 1 and school["n_single_review"] == 1
    assert np.isnan(school["mean_change"])
    assert "at least 2 are needed" in school["note"]
    home = table.loc["home"]
    assert home["n"] == 2 and home["mean_change"] == pytest.approx(((6 - 2) + (5 - 5)) / 2)


def test_reliable_change_where_a_reliability_is_given() -> None:
    reviews = reviews_from_pairs([3, 4, 2, 5, 4, 3], [5, 6, 2, 6, 9, 3])
    row = distance_travelled(reviews, {"wellbeing": Scale(1, 10, True, 0.8)}).iloc[0]
    sd = float(np.std([3, 4, 2, 5, 4, 3], ddof=1))
    criterion = 1.959963984540054 * math.sqrt(2) * sd * math.sqrt(0.2)
    assert row["reliability"] == 0.8
    assert row["reliable_criterion"] == pytest.approx(criterion)
    changes = np.array([2, 2, 0, 1, 5, 0])
    assert row["reliable_improved"] == int((changes > criterion).sum())
    assert row["reliable_improved"] + row["reliable_no_change"] == 6
    normed = distance_travelled(reviews, {"wellbeing": Scale(1, 10, True, 0.8, 3.0)}).iloc[0]
    assert normed["reliable_criterion"] == pytest.approx(
        1.959963984540054 * math.sqrt(2) * 3 * math.sqrt(0.2)
    )


def test_planted_improvement_is_recovered() -> None:
    reviews = planted_reviews(seed=20240601)
    table = distance_travelled(reviews, {"wellbeing": Scale(1, 10, True, None)})
    assert list(table["area"]) == ["", "home", "school"]
    for _, row in table.iterrows():
        assert row["n"] == 2_000 and row["n_single_review"] == 50
        assert row["change_lowercl"] < 1.5 < row["change_uppercl"]
        assert row["change_lowercl"] > 0
        assert row["hl_lowercl"] > 0
        assert row["dz"] == pytest.approx(0.75, abs=0.1)  # 1.5 / 2


def test_by_programme_from_participants() -> None:
    reviews = reviews_from_pairs([3, 4, 2, 5, 4, 3], [5, 6, 2, 6, 7, 4])
    people = pd.DataFrame({"participant_id": [1, 2, 3, 4, 5, 6], "programme": list("aaabbb")})
    table = distance_travelled(
        reviews, {"wellbeing": Scale(1, 10, True)}, participants=people, by=("programme",)
    )
    assert list(table["programme"]) == ["a", "a", "b", "b"]
    assert list(table["n"]) == [3, 3, 3, 3]
    assert table["mean_change"].iloc[0] == pytest.approx((2 + 2 + 0) / 3)
    with pytest.raises(ValueError, match=r"reviews: column 'programme' \(named in by\)"):
        distance_travelled(reviews, {"wellbeing": Scale(1, 10, True)}, by=("programme",))


def test_edge_cases() -> None:
    empty = distance_travelled(pd.DataFrame(), {"wellbeing": Scale(1, 10, True)})
    assert len(empty) == 1 and empty["n"].iloc[0] == 0 and empty["note"].iloc[0] == "no reviews"
    assert list(empty.columns) == list(COLUMNS)
    one = reviews_from_pairs([3], [5]).iloc[:1]
    row = distance_travelled(one, {"wellbeing": Scale(1, 10, True)}).iloc[0]
    assert row["n_single_review"] == 1 and row["n"] == 0 and np.isnan(row["mean_change"])
    same = reviews_from_pairs([3, 4, 5], [4, 5, 6])
    row = distance_travelled(same, {"wellbeing": Scale(1, 10, True, 0.9)}).iloc[0]
    assert row["mean_change"] == 1 and np.isnan(row["t"])
    assert "same amount" in row["note"]
    flat = reviews_from_pairs([3, 3, 3], [4, 5, 6])
    row = distance_travelled(flat, {"wellbeing": Scale(1, 10, True, 0.9)}).iloc[0]
    assert np.isnan(row["reliable_criterion"]) and "norm SD" in row["note"]
    other = reviews_from_pairs([3, 4], [5, 6], scale="other")
    assert distance_travelled(other, {"wellbeing": Scale(1, 10, True)})["n"].iloc[0] == 0


def test_bad_input() -> None:
    reviews = reviews_from_pairs([3, 4], [5, 11])
    with pytest.raises(ValueError, match=r"score.*11 at row 3 is outside scale 'wellbeing'"):
        distance_travelled(reviews, {"wellbeing": Scale(1, 10, True)})
    with pytest.raises(ValueError, match=r"reviews: column 'review_date' is missing"):
        distance_travelled(reviews.drop(columns="review_date"), {"wellbeing": Scale(1, 10, True)})
    with pytest.raises(ValueError, match=r"scales\['wellbeing'\]: expected"):
        distance_travelled(reviews, {"wellbeing": (1, 10)})
    with pytest.raises(ValueError, match=r"higher_is_better must be True or False"):
        distance_travelled(reviews, {"wellbeing": (1, 10, "yes", None)})
    with pytest.raises(ValueError, match=r"minimum 10 is not below maximum 1"):
        distance_travelled(reviews, {"wellbeing": (10, 1, True, None)})
