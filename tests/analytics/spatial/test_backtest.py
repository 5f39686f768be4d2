"""Backtest: the tie rule, the area-coverage rule, hit rate and PAI, rolling origin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vrn.analytics.spatial.backtest import (
    BacktestTable,
    evaluate_month,
    flag_cells,
    grid_offset_sensitivity,
    rank_cells,
    rolling_origin,
    tie_seed,
)
from vrn.analytics.spatial.forecast import DEFAULT_METHOD

from .test_forecast import month_labels, square_grid

# --- ties ----------------------------------------------------------------------------------


def test_higher_scores_first_and_ties_reproducible_by_seed() -> None:
    scores = np.array([1.0, 5.0, 1.0, 1.0, 3.0, 1.0])
    order = rank_cells(scores, seed=7)
    assert order[:2].tolist() == [1, 4]
    assert sorted(order[2:].tolist()) == [0, 2, 3, 5]
    assert np.array_equal(rank_cells(scores, seed=7), order)
    tie_orders = {tuple(rank_cells(scores, seed=s)[2:]) for s in range(50)}
    assert len(tie_orders) > 10  # the seed, not the cell order, decides


def test_ties_are_not_broken_by_cell_order() -> None:
    first_ranked = [int(rank_cells(np.zeros(10), seed=s)[0]) for s in range(400)]
    counts = np.bincount(first_ranked, minlength=10)
    assert counts.min() > 15  # every cell comes first about 40 times in 400


def test_rounding_noise_is_a_tie() -> None:
    scores = np.array([0.1 + 0.2, 0.3])  # 0.30000000000000004 and 0.3
    firsts = {int(rank_cells(scores, seed=s)[0]) for s in range(20)}
    assert firsts == {0, 1}


def test_a_method_with_all_scores_tied_gains_nothing_from_cell_order() -> None:
    # The month's crimes are all in the first cells; a stable sort would flag them.
    actual = np.zeros(200)
    actual[:10] = 3
    area = np.full(200, 0.0625)
    hit_rates = [
        evaluate_month(np.zeros(200), actual, area, coverages=(0.05,), seed=s)["hit_rate"][0]
        for s in range(300)
    ]
    assert np.mean(hit_rates) == pytest.approx(0.05, abs=0.01)


# --- flagging, hit rate and PAI -----------------------------------------------------------

AREAS = np.array([1.0, 0.5, 1.0, 1.0, 1.5])  # total 5 km^2; clipped cells are smaller


def test_flagging_stops_at_the_first_cell_over_the_line() -> None:
    order = [0, 1, 2, 3, 4]
    exactly = flag_cells(order, AREAS, 0.3)  # limit 1.5 km^2: 1 + 0.5 fits exactly
    assert exactly.cells.tolist() == [0, 1]
    assert exactly.area_share == pytest.approx(0.3)
    under = flag_cells(order, AREAS, 0.25)  # limit 1.25: the 0.5 cell would go over
    assert under.cells.tolist() == [0]
    assert under.area_share == pytest.approx(0.2)
    # A smaller cell further down is not taken once a cell has gone over the line.
    assert flag_cells([4, 1, 0], AREAS, 0.25).cells.tolist() == []
    assert flag_cells([4, 1, 0], AREAS, 0.25).area_share == 0.0
    assert flag_cells(order, AREAS, 1.0).cells.tolist() == order


def test_hit_rate_and_pai_by_hand() -> None:
    scores = np.array([9.0, 8.0, 7.0, 6.0, 5.0])
    actual = np.array([4.0, 1.0, 0.0, 3.0, 2.0])  # 10 crimes
    table = evaluate_month(scores, actual, AREAS, coverages=(0.25, 0.3, 0.7))
    assert table["flagged_cells"].tolist() == [1, 2, 4]
    assert table["area_share"].tolist() == pytest.approx([0.2, 0.3, 0.7])
    assert table["hits"].tolist() == [4, 5, 8]
    assert table["hit_rate"].tolist() == pytest.approx([0.4, 0.5, 0.8])
    # PAI divides by the area share actually flagged, not the nominal coverage.
    assert table["pai"].tolist() == pytest.approx([0.4 / 0.2, 0.5 / 0.3, 0.8 / 0.7])
    assert (table["crimes"] == 10).all()


def test_a_month_without_crimes_has_no_measures() -> None:
    table = evaluate_month(np.arange(5.0), np.zeros(5), AREAS, coverages=(0.3,))
    assert np.isnan(table["hit_rate"][0]) and np.isnan(table["pai"][0])


def test_evaluation_refusals() -> None:
    with pytest.raises(ValueError, match="coverage"):
        flag_cells([0, 1], [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="area_km2 must be positive"):
        evaluate_month([1.0, 2.0], [1.0, 0.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="finite"):
        rank_cells([1.0, np.nan], seed=0)


# --- rolling origin -----------------------------------------------------------------------


def small_world(seed: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    x, y = square_grid(8)
    rate = np.random.default_rng(seed).gamma(0.6, 1.5, size=64)
    counts = np.random.default_rng(seed + 1).poisson(np.repeat(rate[:, None], 10, axis=1))
    return counts.astype(float), x, y, month_labels(10)


def test_rolling_origin_rows_and_summary() -> None:
    counts, x, y, months = small_world()
    area = np.full(64, 0.0625)
    area[:8] = 0.03  # a clipped edge
    table = rolling_origin(
        "long-run", counts, x, y, area, months, months[-3:], coverages=(0.05, 0.1), seed=3
    )
    rows = table.rows
    assert len(rows) == 6
    assert rows["test_month"].tolist() == [m for m in months[-3:] for _ in range(2)]
    assert rows["crimes"].tolist() == [counts[:, k].sum() for k in (7, 7, 8, 8, 9, 9)]
    # Each month is scored from the months before it only.
    first = evaluate_month(
        counts[:, :7].sum(axis=1), counts[:, 7], area, (0.05, 0.1), seed=tie_seed(3, 0)
    )
    pd.testing.assert_frame_equal(rows[first.columns][:2], first)
    summary = table.summary().set_index("coverage")
    five = rows[rows["coverage"] == 0.05]
    assert summary.loc[0.05, "pai_mean"] == pytest.approx(five["pai"].mean())
    assert summary.loc[0.05, "pai_min"] == pytest.approx(five["pai"].min())
    assert summary.loc[0.05, "pai_max"] == pytest.approx(five["pai"].max())
    assert summary.loc[0.05, "pai_std"] == pytest.approx(five["pai"].std(ddof=1))
    assert summary.loc[0.05, "hit_rate_mean"] == pytest.approx(five["hit_rate"].mean())
    assert summary.loc[0.05, "test_months"] == 3


def test_every_method_gets_the_same_tie_order() -> None:
    # With one month of history last-month and long-run give the same scores.
    counts, x, y, months = small_world()
    area = np.full(64, 0.0625)
    args = (counts, x, y, area, months, months[1:2])
    last = rolling_origin("last-month", *args, seed=9).rows.drop(columns="method")
    long_run = rolling_origin("long-run", *args, seed=9).rows.drop(columns="method")
    pd.testing.assert_frame_equal(last, long_run)


def test_markdown_table() -> None:
    counts, x, y, months = small_world()
    area = np.full(64, 0.0625)
    tables = [
        rolling_origin(m, counts, x, y, area, months, months[-2:], coverages=(0.05, 0.1))
        for m in ("long-run", "last-month")
    ]
    text = BacktestTable.combine(tables).to_markdown()
    lines = text.splitlines()
    assert lines[0] == "| Method | 5% of area | 10% of area |"
    assert lines[2].startswith("| long-run | ") and lines[3].startswith("| last-month | ")
    assert "over 2 test months" in text


def test_rolling_origin_refusals() -> None:
    counts, x, y, months = small_world()
    area = np.full(64, 0.0625)
    with pytest.raises(ValueError, match="not among the months"):
        rolling_origin("long-run", counts, x, y, area, months, ["2030-01"])
    with pytest.raises(ValueError, match="no training data"):
        rolling_origin("long-run", counts, x, y, area, months, months[:1])
    with pytest.raises(ValueError, match="test_months is empty"):
        rolling_origin("long-run", counts, x, y, area, months, [])


def test_grid_offset_sensitivity() -> None:
    rng = np.random.default_rng(0)
    points_x = rng.normal(1000, 300, size=4000)
    points_y = rng.normal(1000, 300, size=4000)
    month = rng.integers(0, 8, size=4000)
    size = 250.0

    def build(offset: tuple[float, float]) -> tuple[np.ndarray, ...]:
        dx, dy = offset
        column = np.floor((points_x - dx) / size).astype(int) + 4
        row = np.floor((points_y - dy) / size).astype(int) + 4
        side = 16
        counts = np.zeros((side * side, 8))
        np.add.at(counts, (row * side + column, month), 1)
        rows, columns = np.divmod(np.arange(side * side), side)
        centre_x = (columns - 4 + 0.5) * size + dx
        centre_y = (rows - 4 + 0.5) * size + dy
        return counts, centre_x, centre_y, np.full(side * side, 0.0625)

    offsets = [(0.0, 0.0), (size / 2, 0.0), (0.0, size / 2), (size / 2, size / 2)]
    months = month_labels(8)
    table = grid_offset_sensitivity(
        build, offsets, "long-run", months, months[-2:], coverages=(0.05,)
    )
    assert len(table.rows) == 8
    assert set(zip(table.rows["offset_x"], table.rows["offset_y"], strict=True)) == set(offsets)
    spread = table.offset_summary()
    assert spread["offsets"].tolist() == [4]
    per_offset = table.summary(("method", "offset_x", "offset_y", "coverage"))
    assert spread["pai_mean_mean"][0] == pytest.approx(per_offset["pai_mean"].mean())
    assert spread["pai_mean_min"][0] == pytest.approx(per_offset["pai_mean"].min())
    with pytest.raises(ValueError, match="no grid offsets"):
        BacktestTable(table.rows.drop(columns=["offset_x", "offset_y"])).offset_summary()


# --- the default against long-run on a planted moving process ---------------------------


def moving_hotspots(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Four hotspots of 6 crimes a month on a low background; each stays three months in a
    cell, then moves one cell on."""
    side, n_months = 24, 18
    x, y = square_grid(side)
    rng = np.random.default_rng(seed)
    rate = np.full((side * side, n_months), 0.05)
    starts = [(3, 3), (3, 14), (14, 3), (14, 14)]
    steps = [(1, 0), (0, 1), (1, 1), (-1, 0)]
    for (row, column), (step_row, step_column) in zip(starts, steps, strict=True):
        for month in range(n_months):
            moved = month // 3
            cell = (row + step_row * moved) * side + column + step_column * moved
            rate[cell, month] += 6.0
    return rng.poisson(rate).astype(float), x, y, month_labels(n_months)


def test_default_beats_long_run_on_slowly_moving_hotspots() -> None:
    counts, x, y, months = moving_hotspots()
    area = np.full(counts.shape[0], 0.0625)
    args = (counts, x, y, area, months, months[-6:])

    def mean_pai(method: str) -> float:
        table = rolling_origin(method, *args, coverages=(0.02,), seed=1)
        return float(table.summary()["pai_mean"][0])

    assert mean_pai(DEFAULT_METHOD) > 1.5 * mean_pai("long-run")
