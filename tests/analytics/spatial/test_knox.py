"""The Knox test: hand-counted tables, the exact permutation mean, planted near repeats."""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pytest

from vrn.analytics.spatial.knox import knox_test, month_resolution_caveat

# Five events. A and B share a point; C is exactly 100 m from both (a 60-80-100 triangle);
# D is 50 m from A and B and hypot(60, 30) = 67.1 m from C; E is about 1 km from the rest.
HAND_X = [0.0, 0.0, 60.0, 0.0, 1000.0]
HAND_Y = [0.0, 0.0, 80.0, 50.0, 0.0]
HAND_T = [0, 0, 7, 8, 30]


def brute_force_counts(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    space_edges: Sequence[float],
    time_edges: Sequence[int],
) -> np.ndarray:
    """Count every pair by hand (no same-location band): an oracle independent of the code."""
    table = np.zeros((len(space_edges), len(time_edges)), dtype=int)
    for i, j in itertools.combinations(range(len(x)), 2):
        distance = math.hypot(x[i] - x[j], y[i] - y[j])
        apart = abs(int(t[i]) - int(t[j]))
        row = sum(distance >= edge for edge in space_edges) - 1
        column = sum(apart >= edge for edge in time_edges) - 1
        table[row, column] += 1
    return table


class TestObservedTable:
    def test_hand_counted_example_with_boundaries(self) -> None:
        result = knox_test(
            HAND_X, HAND_Y, HAND_T, space_edges=[0, 100, 200], time_edges=[0, 1, 8, 15]
        )
        assert result.space_labels == (
            "same location",
            "over 0 m to under 100 m",
            "100 m to under 200 m",
            "200 m or more",
        )
        assert result.time_labels == ("same day", "1 to 7 days", "8 to 14 days", "15 days or more")
        # A-B: same place, same day. A-C and B-C: exactly 100 m and exactly 7 days, so in
        # "100 m to under 200 m" and "1 to 7 days". A-D and B-D: 50 m, exactly 8 days.
        # C-D: 67 m, 1 day. Every pair with E: about 1 km, 22 to 30 days.
        assert result.observed.tolist() == [
            [1, 0, 0, 0],
            [0, 1, 2, 0],
            [0, 2, 0, 0],
            [0, 0, 0, 4],
        ]
        assert result.n_pairs == 10 == result.observed.sum()
        assert result.n_events == 5

    def test_without_a_same_location_band(self) -> None:
        result = knox_test(
            HAND_X,
            HAND_Y,
            HAND_T,
            space_edges=[0, 100, 200],
            time_edges=[0, 1, 8, 15],
            same_location=False,
        )
        assert result.space_labels[0] == "0 m to under 100 m"
        assert result.observed.tolist() == [[1, 1, 2, 0], [0, 2, 0, 0], [0, 0, 0, 4]]

    def test_agrees_with_counting_every_pair_by_hand(self) -> None:
        rng = np.random.default_rng(7)
        x, y = rng.uniform(0, 600, 120).round(), rng.uniform(0, 600, 120).round()
        t = rng.integers(0, 40, 120)
        space_edges, time_edges = [0, 50, 125, 200], [0, 1, 4, 15, 30]
        result = knox_test(
            x, y, t, space_edges=space_edges, time_edges=time_edges, same_location=False
        )
        expected = brute_force_counts(x, y, t, space_edges, time_edges)
        assert result.observed.tolist() == expected.tolist()

    def test_the_last_edges_belong_to_the_beyond_bands(self) -> None:
        # Exactly 100 m apart (a 60-80-100 triangle) and exactly 7 days apart.
        result = knox_test([0, 60], [0, 80], [0, 7], space_edges=[0, 100], time_edges=[0, 7])
        assert result.observed.tolist() == [[0, 0], [0, 0], [0, 1]]
        assert result.space_labels[-1] == "100 m or more"
        assert result.time_labels == ("0 to 6 days", "7 days or more")

    def test_two_events_are_always_where_they_are(self) -> None:
        # One pair: every permutation of two times gives the same time apart, so every cell
        # has p = 1 and the occupied cell a ratio of exactly 1.
        result = knox_test([0, 30], [0, 40], [0, 3], space_edges=[0, 100], time_edges=[0, 7])
        assert result.observed.tolist() == [[0, 0], [1, 0], [0, 0]]
        assert result.ratio[1, 0] == 1.0
        assert np.all(result.p_value == 1.0)

    def test_dates_and_months(self) -> None:
        days = np.array(["2024-01-01", "2024-01-08", "2024-03-31"], dtype="datetime64[D]")
        result = knox_test([0, 10, 20], [0, 0, 0], days, space_edges=[0, 100], time_edges=[0, 8])
        assert result.observed.tolist() == [[0, 0], [1, 2], [0, 0]]
        as_dates = [
            datetime.date(2024, 1, 1),
            datetime.date(2024, 1, 8),
            datetime.date(2024, 3, 31),
        ]
        same = knox_test([0, 10, 20], [0, 0, 0], as_dates, space_edges=[0, 100], time_edges=[0, 8])
        assert same.observed.tolist() == result.observed.tolist()
        monthly = knox_test([0, 10, 20], [0, 0, 0], days, space_edges=[0, 100], time_unit="month")
        assert monthly.time_labels == ("same month", "1 month", "2 months", "3 months or more")
        # January-January, January-March twice.
        assert monthly.observed[1].tolist() == [1, 0, 2, 0]
        assert monthly.caveat == month_resolution_caveat("month")
        assert result.caveat is None

    def test_bad_input_is_refused(self) -> None:
        with pytest.raises(ValueError, match="space_edges"):
            knox_test([0, 1], [0, 1], [0, 1], space_edges=[50, 100])
        with pytest.raises(ValueError, match="time_edges"):
            knox_test([0, 1], [0, 1], [0, 1], time_edges=[0, 1.5, 3])
        with pytest.raises(ValueError, match="x: missing"):
            knox_test([0, np.nan], [0, 1], [0, 1])
        with pytest.raises(ValueError, match="t: expected whole numbers"):
            knox_test([0, 1], [0, 1], [0, 1.5])
        with pytest.raises(ValueError, match="time_unit"):
            knox_test([0, 1], [0, 1], [0, 1], time_unit="week")


class TestExpectedCounts:
    """On seven events, the mean over all 5,040 permutations of the times."""

    X = [0.0, 40.0, 90.0, 150.0, 160.0, 400.0, 410.0]
    Y = [0.0, 30.0, 0.0, 20.0, 0.0, 0.0, 10.0]
    T = [0, 1, 1, 5, 9, 10, 30]
    SPACE, TIME = [0, 60, 200], [0, 2, 8]

    def all_permutations(self) -> np.ndarray:
        x, y, t = np.array(self.X), np.array(self.Y), np.array(self.T)
        return np.array(
            [
                brute_force_counts(x, y, t[list(order)], self.SPACE, self.TIME)
                for order in itertools.permutations(range(len(t)))
            ]
        )

    def test_exact_expectation_and_monte_carlo_mean(self) -> None:
        tables = self.all_permutations()
        exact_mean = tables.mean(axis=0)
        observed = brute_force_counts(
            np.array(self.X), np.array(self.Y), np.array(self.T), self.SPACE, self.TIME
        )
        exact_p = (tables >= observed).mean(axis=0)
        result = knox_test(
            self.X,
            self.Y,
            self.T,
            space_edges=self.SPACE,
            time_edges=self.TIME,
            same_location=False,
            iterations=20_000,
            seed=3,
        )
        assert result.exact_expected == pytest.approx(exact_mean, abs=1e-12)
        # Monte Carlo: within 4 standard errors of the exact mean and p-value.
        error = tables.std(axis=0) / math.sqrt(20_000)
        assert np.all(np.abs(result.expected - exact_mean) <= 4 * error + 1e-12)
        assert result.p_value == pytest.approx(exact_p, abs=0.015)

    def test_expected_counts_keep_the_total(self) -> None:
        result = knox_test(self.X, self.Y, self.T, space_edges=self.SPACE, iterations=50)
        assert result.expected.sum() == pytest.approx(result.n_pairs)
        assert result.exact_expected.sum() == pytest.approx(result.n_pairs)


def poisson_events(n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Events uniform over a 5 km square and a year: no space-time interaction."""
    return rng.uniform(0, 5000, n), rng.uniform(0, 5000, n), rng.integers(0, 365, n)


def near_repeat_events(n_parents: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Parents as above; each spawns 0 to 2 children within 100 m and 1 to 7 days later."""
    x, y, t = poisson_events(n_parents, rng)
    children = rng.integers(0, 3, n_parents)
    parent = np.repeat(np.arange(n_parents), children)
    angle = rng.uniform(0, 2 * np.pi, len(parent))
    radius = 100 * np.sqrt(rng.uniform(0, 1, len(parent))) * 0.99
    child_x = x[parent] + radius * np.cos(angle)
    child_y = y[parent] + radius * np.sin(angle)
    child_t = t[parent] + rng.integers(1, 8, len(parent))
    return (
        np.concatenate([x, child_x]),
        np.concatenate([y, child_y]),
        np.concatenate([t, child_t]),
    )


BANDS = {"space_edges": [0, 100, 200, 300, 400], "time_edges": [0, 8, 15, 22, 29]}


class TestPlantedPatterns:
    def test_planted_near_repeats_are_found_in_the_first_cell(self) -> None:
        x, y, t = near_repeat_events(1500, np.random.default_rng(11))
        result = knox_test(x, y, t, same_location=False, iterations=999, seed=1, **BANDS)
        assert result.table("ratio").iloc[0, 0] == result.ratio[0, 0]
        assert result.ratio[0, 0] > 2
        assert result.p_value[0, 0] == pytest.approx(0.001)  # the smallest possible
        assert result.significant_01[0, 0] and result.significant_05[0, 0]
        assert result.ratio_table().iloc[0, 0].endswith("**")
        # Further away in space and time there is nothing planted.
        assert result.ratio[2:4, 2:4] == pytest.approx(np.ones((2, 2)), abs=0.2)

    def test_no_excess_without_interaction(self) -> None:
        x, y, t = poisson_events(3000, np.random.default_rng(12))
        result = knox_test(x, y, t, same_location=False, iterations=199, seed=2, **BANDS)
        near = result.exact_expected[:-1, :-1] >= 30
        assert near.sum() >= 12
        assert result.ratio[:-1, :-1][near] == pytest.approx(1, abs=0.3)
        assert result.ratio[0, 0] < 1.3
        # At most a chance share of the 20 near cells reach p <= 0.05 (one-sided each).
        assert result.significant_05[:-1, :-1].sum() <= 3


class TestReproducibilityAndResolution:
    def test_seeded_runs_reproduce(self) -> None:
        x, y, t = poisson_events(400, np.random.default_rng(5))
        first = knox_test(x, y, t, iterations=99, seed=42, **BANDS)
        again = knox_test(x, y, t, iterations=99, seed=42, **BANDS)
        other = knox_test(x, y, t, iterations=99, seed=43, **BANDS)
        assert np.array_equal(first.expected, again.expected)
        assert np.array_equal(first.p_value, again.p_value)
        assert not np.array_equal(first.expected, other.expected)
        generator = knox_test(x, y, t, iterations=99, seed=np.random.default_rng(42), **BANDS)
        assert np.array_equal(first.expected, generator.expected)

    def test_p_value_resolution_is_stated(self) -> None:
        x, y, t = poisson_events(200, np.random.default_rng(6))
        result = knox_test(x, y, t, iterations=999, seed=0, **BANDS)
        assert result.p_value_resolution == pytest.approx(0.001)
        assert "1/1000 = 0.001" in result.resolution_note
        assert result.p_value.min() >= 0.001
        small = knox_test(x, y, t, iterations=19, seed=0, **BANDS)
        steps = small.p_value * 20
        assert np.allclose(steps, steps.round())
        assert small.p_value.min() >= 0.05
        assert "1/20 = 0.05" in small.resolution_note

    def test_month_caveat_says_what_month_data_cannot_show(self) -> None:
        text = month_resolution_caveat("month")
        assert text is not None
        assert "days-to-weeks" in text and "coincidence" in text and "snapped" in text
        assert month_resolution_caveat("day") is None
