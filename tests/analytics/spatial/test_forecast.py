"""Forecasting methods: known values on tiny grids, no peeking, planted hotspots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vrn.analytics.spatial.forecast import (
    DEFAULT_METHOD,
    METHODS,
    History,
    fit_blend,
    forecast,
    history_before,
    month_index,
    month_label,
    resolve_parameters,
)

SPACING = 250.0


def square_grid(side: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres of a side x side grid; cell index = row * side + column."""
    rows, columns = np.divmod(np.arange(side * side), side)
    return columns * SPACING, rows * SPACING


def month_labels(n: int, start: str = "2023-01") -> list[str]:
    first = month_index(start)
    return [month_label(first + k) for k in range(n)]


def test_months_round_trip() -> None:
    assert month_index("2024-01") - month_index("2023-12") == 1
    assert month_label(month_index("2023-07")) == "2023-07"


def test_registry_describes_every_method() -> None:
    assert DEFAULT_METHOD in METHODS
    assert {"last-month", "long-run", "retrospective", "prospective"} <= set(METHODS)
    for name, method in METHODS.items():
        assert method.name == name
        assert method.description and method.reference
        assert all(p.description for p in method.parameters)


def test_naive_methods() -> None:
    x, y = square_grid(2)
    counts = np.array([[1, 2, 9], [0, 1, 0], [3, 0, 0], [0, 0, 5]], dtype=float)
    months = month_labels(3)
    assert forecast("last-month", counts, x, y, months, months[2]).tolist() == [2, 1, 0, 0]
    assert forecast("long-run", counts, x, y, months, months[2]).tolist() == [3, 1, 3, 0]
    # The month after the last: a true forecast uses every month.
    assert forecast("long-run", counts, x, y, months, "2023-04").tolist() == [12, 1, 3, 5]


def test_retrospective_is_a_quartic_kernel_density_a_month() -> None:
    x, y = square_grid(3)
    counts = np.zeros((9, 2))
    counts[4, 1] = 1  # one event in the centre cell, in the second of two months
    scores = forecast("retrospective", counts, x, y, month_labels(2), "2023-03")
    peak = 3 / (math.pi * 0.4**2)  # per km^2, bandwidth 400 m
    edge = peak * (1 - (250 / 400) ** 2) ** 2
    corner = peak * (1 - 2 * (250 / 400) ** 2) ** 2
    # The window (12 months) is longer than the history: the density is over 2 months.
    expected = np.array([corner, edge, corner, edge, peak, edge, corner, edge, corner]) / 2
    assert scores == pytest.approx(expected)
    one_month = forecast("retrospective", counts, x, y, month_labels(2), "2023-03", window_months=1)
    assert one_month == pytest.approx(expected * 2)


def test_prospective_weights_distance_and_time_bands() -> None:
    x, y = square_grid(3)
    counts = np.zeros((9, 3))
    counts[4, 2] = 1  # centre, last month: 0 whole months elapsed
    counts[0, 1] = 2  # corner, the month before: 1 month elapsed
    counts[8, 0] = 5  # three months before the target: outside the 2-month window
    scores = forecast("prospective", counts, x, y, month_labels(3), "2023-04")
    # Bands of half the cell spacing (125 m): neighbours at 250 m and 354 m are 2 bands
    # away (weight 1/3); 500 m is beyond the 400 m bandwidth.
    third = 1 / 3
    expected = [
        2 * 0.5 + third,  # the corner cell: its own events (time 1/2), the centre
        2 * 0.5 * third + third,
        third,
        2 * 0.5 * third + third,
        1 + 2 * 0.5 * third,  # the centre: its own event, the corner's two
        third,
        third,
        third,
        third,  # its own events are too old
    ]
    assert scores == pytest.approx(expected)
    banded = forecast("prospective", counts, x, y, month_labels(3), "2023-04", distance_band_m=50.0)
    assert banded[4] == pytest.approx(1 + 2 * 0.5 / (1 + 7))  # 353.6 m: 7 bands of 50 m
    assert banded[1] == pytest.approx(2 * 0.5 / 6 + 1 / 6)  # 250 m: 5 bands


def test_blend_reproduces_a_pattern_that_never_changes() -> None:
    x, y = square_grid(6)
    pattern = np.random.default_rng(3).integers(0, 6, size=36).astype(float)
    counts = np.repeat(pattern[:, None], 12, axis=1)
    scores = forecast(DEFAULT_METHOD, counts, x, y, month_labels(12), "2024-01")
    assert scores == pytest.approx(pattern, abs=1e-3)


def test_blend_fit_is_non_negative_and_calibrated() -> None:
    x, y = square_grid(12)
    rng = np.random.default_rng(5)
    rate = rng.gamma(0.5, 2.0, size=144)
    counts = rng.poisson(np.repeat(rate[:, None], 14, axis=1)).astype(float)
    months = month_labels(14)
    history = history_before(counts, x, y, months, "2024-03")
    fit = fit_blend(history, resolve_parameters(METHODS["blend"], {}))
    assert np.all(fit.weights >= 0)
    assert fit.origins[0] == months[6]  # min_history = 6 months before the first origin
    # A steady process: expected crimes next month close to the mean a month.
    assert fit.scores().sum() == pytest.approx(counts.mean(axis=1).sum(), rel=0.1)


def test_seasonal_term_only_when_estimable() -> None:
    x, y = square_grid(5)
    counts = np.random.default_rng(1).poisson(1.0, size=(25, 17)).astype(float)
    months = month_labels(17)
    params = resolve_parameters(METHODS["blend"], {})

    def terms(target: str, **changes: object) -> tuple[str, ...]:
        history = history_before(counts, x, y, months, target)
        return fit_blend(history, {**params, **changes}).terms

    # 13 months of history: only one origin has a year behind it, fewer than 3.
    assert "same month last year" not in terms("2024-02")
    # 17 months: origins 12 to 16 have one; the term is fitted on those only.
    assert "same month last year" in terms("2024-06")
    assert "same month last year" not in terms("2024-06", seasonal=False)
    scores = forecast("blend", counts, x, y, months, "2024-06")
    assert np.all(np.isfinite(scores)) and np.all(scores > 0)


def test_blend_with_one_or_two_months_of_history() -> None:
    x, y = square_grid(2)
    counts = np.array([[1, 2], [0, 1], [3, 0], [0, 0]], dtype=float)
    assert forecast("blend", counts, x, y, month_labels(2), "2023-02").tolist() == [1, 0, 3, 0]
    scores = forecast("blend", counts, x, y, month_labels(2), "2023-03")
    assert scores.shape == (4,) and np.all(np.isfinite(scores))


@pytest.mark.parametrize("method", list(METHODS))
def test_no_peeking(method: str) -> None:
    x, y = square_grid(5)
    rng = np.random.default_rng(11)
    counts = rng.poisson(1.5, size=(25, 16)).astype(float)
    months = month_labels(16)
    target = months[13]
    scores = forecast(method, counts, x, y, months, target)
    changed = counts.copy()
    changed[:, 13:] = rng.poisson(9.0, size=(25, 3))
    assert np.array_equal(forecast(method, changed, x, y, months, target), scores)
    truncated = forecast(method, counts[:, :13], x, y, months[:13], target)
    assert np.array_equal(truncated, scores)


@pytest.mark.parametrize("method", list(METHODS))
def test_planted_persistent_hotspot_ranks_first(method: str) -> None:
    x, y = square_grid(15)
    rng = np.random.default_rng(2)
    rate = np.full(225, 0.1)
    hotspot = 7 * 15 + 9
    rate[hotspot] = 20.0
    counts = rng.poisson(np.repeat(rate[:, None], 12, axis=1)).astype(float)
    scores = forecast(method, counts, x, y, month_labels(12), "2024-01")
    assert int(np.argmax(scores)) == hotspot
    assert np.sum(scores == scores.max()) == 1


def test_default_method_when_none() -> None:
    x, y = square_grid(3)
    counts = np.random.default_rng(0).poisson(2.0, size=(9, 8)).astype(float)
    months = month_labels(8)
    assert np.array_equal(
        forecast(None, counts, x, y, months, months[-1]),
        forecast(DEFAULT_METHOD, counts, x, y, months, months[-1]),
    )


def test_refusals() -> None:
    x, y = square_grid(2)
    counts = np.ones((4, 3))
    months = month_labels(3)
    with pytest.raises(ValueError, match="no training data"):
        forecast("long-run", counts, x, y, months, "2023-01")
    with pytest.raises(ValueError, match="no training data"):
        forecast("long-run", counts, x, y, months, "2022-11")
    with pytest.raises(ValueError, match="one month ahead"):
        forecast("long-run", counts, x, y, months, "2023-05")
    with pytest.raises(ValueError, match="consecutive"):
        forecast("long-run", counts, x, y, ["2023-01", "2023-03", "2023-04"], "2023-04")
    with pytest.raises(ValueError, match="YYYY-MM"):
        forecast("long-run", counts, x, y, months, "2023-13")
    with pytest.raises(ValueError, match="3 labels"):
        forecast("long-run", np.ones((4, 2)), x, y, months, "2023-02")
    with pytest.raises(ValueError, match="unknown method"):
        forecast("crystal-ball", counts, x, y, months, "2023-03")
    with pytest.raises(ValueError, match="no parameter bandwidth"):
        forecast("long-run", counts, x, y, months, "2023-03", bandwidth_m=400)
    with pytest.raises(ValueError, match="bandwidth_m must be a positive"):
        forecast("retrospective", counts, x, y, months, "2023-03", bandwidth_m=-1)
    with pytest.raises(ValueError, match="window_months must be a whole"):
        forecast("prospective", counts, x, y, months, "2023-03", window_months=0)
    with pytest.raises(ValueError, match="negative"):
        forecast("long-run", -counts, x, y, months, "2023-03")
    with pytest.raises(ValueError, match="finite"):
        forecast("long-run", counts, [0, np.nan, 0, 1], y, months, "2023-03")
    with pytest.raises(ValueError, match="one value per cell"):
        forecast("long-run", counts, x[:3], y, months, "2023-03")


def test_a_history_may_not_hold_the_target_month() -> None:
    x, y = square_grid(2)
    with pytest.raises(ValueError, match="never uses the target month"):
        History(np.ones((4, 3)), x, y, tuple(month_labels(3)), "2023-03")
