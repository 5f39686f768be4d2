"""Gi*: esda's statistic and esda's own simulations behind both permutation counts, ties
counted on both sides, the testable family, Benjamini-Hochberg by hand and against
esda.fdr, and planted hot and cold areas found on a lattice."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from esda import fdr as esda_fdr
from esda.getisord import G_Local

from vrn.analytics.spatial.gistar import (
    CLASS_LABELS,
    benjamini_hochberg,
    gi_star,
    gi_star_slices,
    hot_spot_classes,
)
from vrn.analytics.spatial.grid import build_grid

GRID = build_grid(shapely.box(450000, 300000, 455000, 305000), "square", 250)  # 20 x 20
WEIGHTS = GRID.weights()
ESDA_WARNING = "ignore:The alternative hypothesis:DeprecationWarning"
BUSY = 2 * 20 + 10


def cell_at(column: int, row: int) -> int:
    return row * 20 + column


def planted_values(seed: int = 1) -> np.ndarray:
    """Poisson(10) counts with a 3 x 3 block of +25 around (5, 5) and a 5 x 5 block of
    ones (well below the average of 10, but not empty) around (14, 14)."""
    values = np.random.default_rng(seed).poisson(10, 400).astype(float)
    for column in range(4, 7):
        for row in range(4, 7):
            values[cell_at(column, row)] += 25
    for column in range(12, 17):
        for row in range(12, 17):
            values[cell_at(column, row)] = 1
    return values


def sparse_values(seed: int = 0) -> np.ndarray:
    """Mostly zeros, as crime counts on a fine grid: Poisson(0.15) (86% zeros) with a
    3 x 3 cluster of 4s around (5, 5)."""
    values = np.random.default_rng(seed).poisson(0.15, 400).astype(float)
    for column in range(4, 7):
        for row in range(4, 7):
            values[cell_at(column, row)] = 4
    return values


def with_a_busy_cell() -> np.ndarray:
    """:func:`planted_values` with 150 at (10, 2) and nothing around it: its own count
    makes its z positive while its neighbours are quieter than almost any draw."""
    values = planted_values()
    for column in range(9, 12):
        for row in range(1, 4):
            values[cell_at(column, row)] = 0
    values[BUSY] = 150
    return values


def neighbourhood_sums(values: np.ndarray) -> np.ndarray:
    star = WEIGHTS.sparse.tocsr(copy=True)
    star.setdiag(1.0)
    return np.asarray(star @ values)


@pytest.mark.filterwarnings(ESDA_WARNING)
def test_both_counts_are_esda_s_own_simulations():
    values = sparse_values()
    ours = gi_star(values, WEIGHTS, permutations=199, seed=7, family="all")
    kept = G_Local(
        values, WEIGHTS, transform="B", permutations=199, star=True, seed=7, n_jobs=1
    )  # keep_simulations=True by default: rGs is cells x permutations
    assert kept.rGs.shape == (400, 199)
    larger = (kept.rGs >= kept.Gs[:, None]).sum(axis=1)
    smaller = (kept.rGs <= kept.Gs[:, None]).sum(axis=1)
    np.testing.assert_array_equal(ours.z, kept.Zs)
    np.testing.assert_array_equal(ours.p_hot, (larger + 1) / 200)
    np.testing.assert_array_equal(ours.p_cold, (smaller + 1) / 200)
    # Folded as esda folds it, the hot-side count gives esda's p_sim (float32) exactly.
    folded = (np.minimum(larger, 199 - larger) + 1) / 200
    np.testing.assert_array_equal(folded, np.round(kept.p_sim.astype(float) * 200) / 200)
    np.testing.assert_array_equal(ours.p_sim, np.minimum(ours.p_hot, ours.p_cold))
    np.testing.assert_array_equal(ours.p_sim_two_sided, np.minimum(1, 2 * ours.p_sim))
    np.testing.assert_allclose(ours.p_norm, 2 * kept.p_norm, rtol=1e-12)
    # Without ties, ours and esda's one-sided p-values are the same.
    no_ties = (kept.rGs != kept.Gs[:, None]).all(axis=1)
    assert no_ties.sum() >= 10
    np.testing.assert_array_equal(ours.p_sim[no_ties], folded[no_ties])
    assert ours.resolution == 1 / 200 and ours.p_sim.min() >= 1 / 200


@pytest.mark.filterwarnings(ESDA_WARNING)
def test_the_reflected_run_counts_the_lower_side_but_its_fold_cannot_say_which():
    # Gi* of max(y) - y falls as Gi* of y rises and, with the same seed, esda draws the
    # same neighbours: #(simulated' >= observed') == #(simulated <= observed).
    values = with_a_busy_cell()
    kept = G_Local(values, WEIGHTS, transform="B", permutations=199, star=True, seed=7, n_jobs=1)
    mirror = G_Local(
        values.max() - values, WEIGHTS, transform="B", permutations=199, star=True, seed=7, n_jobs=1
    )
    smaller = (kept.rGs <= kept.Gs[:, None]).sum(axis=1)
    np.testing.assert_array_equal((mirror.rGs >= mirror.Gs[:, None]).sum(axis=1), smaller)
    # But esda keeps only the folded p_sim of each run. The planted cluster's centre (no
    # simulation reaches it) and the busy cell (every simulation exceeds it: the same
    # 150 plus non-empty neighbours) get the floor 1/200 in both runs, though one is a
    # hot extreme and the other a cold one; hence esda's engine with both alternatives.
    centre = cell_at(5, 5)
    for run in (kept, mirror):
        assert run.p_sim[centre] == run.p_sim[BUSY] == np.float32(1 / 200)
    ours = gi_star(values, WEIGHTS, permutations=199, seed=7)
    assert ours.p_hot[centre] == ours.p_cold[BUSY] == 1 / 200
    assert ours.p_cold[centre] == ours.p_hot[BUSY] == 1.0


def test_an_all_zero_neighbourhood_is_never_significant():
    values = sparse_values()
    empty = neighbourhood_sums(values) == 0
    assert empty.sum() >= 10
    # esda's folded pseudo p-value puts every one of them at the floor: "cold, 99%".
    with pytest.warns(DeprecationWarning, match="alternative hypothesis"):
        direct = G_Local(values, WEIGHTS, "B", permutations=999, star=True, n_jobs=1, seed=1)
    assert (direct.p_sim[empty] < 0.0011).all()
    for family in ("testable", "all"):
        result = gi_star(values, WEIGHTS, permutations=999, seed=1, family=family, fdr=False)
        assert (result.classes[empty] == 0).all() and not result.significant[empty].any()
        assert result.hot[cell_at(5, 5)] and result.classes[cell_at(5, 5)] == 3
    # Tested anyway, their two-sided p-value is about twice the chance that all eight
    # neighbours drawn are empty (0.86^8 = 0.3), not 0.002.
    assert (result.p_value[empty] > 0.3).all() and (result.p_hot[empty] == 1).all()


def test_a_planted_cluster_is_hot_and_a_planted_low_area_among_busy_cells_is_cold():
    analytical = gi_star(planted_values(), WEIGHTS, permutations=0)
    assert analytical.inference == "normal"
    assert analytical.classes[cell_at(5, 5)] == 3 and analytical.classes[cell_at(14, 14)] == -3
    result = gi_star(planted_values(), WEIGHTS, permutations=999, seed=1)
    assert result.inference == "permutation" and result.testable.all()
    # 999 permutations resolve two-sided p down to 0.002; BH over 400 cells then allows
    # 95% confidence but not always 99%.
    assert result.classes[cell_at(5, 5)] >= 2 and result.classes[cell_at(14, 14)] <= -2
    assert result.hot[cell_at(5, 5)] and result.cold[cell_at(14, 14)]
    assert result.p_cold[cell_at(14, 14)] == result.resolution
    hot_cells = {divmod(int(index), 20) for index in np.flatnonzero(result.classes > 0)}
    assert hot_cells <= {(row, column) for row in range(2, 9) for column in range(2, 9)}
    cold_cells = {divmod(int(index), 20) for index in np.flatnonzero(result.classes < 0)}
    assert cold_cells <= {(row, column) for row in range(10, 19) for column in range(10, 19)}
    assert len(cold_cells) >= 9


def test_the_family_is_the_cells_with_an_event_near_them():
    values = sparse_values()
    result = gi_star(values, WEIGHTS, permutations=999, seed=1)
    assert result.family == "testable"
    np.testing.assert_array_equal(result.testable, neighbourhood_sums(values) > 0)
    outside = ~result.testable
    for p in (result.p_value, result.p_norm, result.p_hot, result.p_cold, result.p_sim, result.q):
        assert np.isnan(p[outside]).all() and np.isfinite(p[result.testable]).all()
    assert (result.classes[outside] == 0).all() and np.isfinite(result.z).all()
    # Benjamini-Hochberg over the tested cells only.
    np.testing.assert_array_equal(
        result.q[result.testable], benjamini_hochberg(result.p_value[result.testable])
    )
    every = gi_star(values, WEIGHTS, permutations=999, seed=1, family="all")
    assert every.testable.all() and np.isfinite(every.q).all()
    np.testing.assert_array_equal(every.p_value[result.testable], result.p_value[result.testable])
    # The untested cells only dilute: each tested cell's q is at least as small.
    assert (result.q[result.testable] <= every.q[result.testable]).all()
    # Normal p-values are judged over the same family.
    normal = gi_star(values, WEIGHTS, permutations=0)
    np.testing.assert_array_equal(normal.testable, result.testable)
    np.testing.assert_array_equal(
        normal.q[normal.testable], benjamini_hochberg(normal.p_norm[normal.testable])
    )


def test_permutation_inference_is_the_default_and_follows_z():
    values = with_a_busy_cell()
    default = gi_star(values, WEIGHTS, seed=4)
    assert default.inference == "permutation" and default.permutations == 999
    normal = gi_star(values, WEIGHTS, seed=4, inference="normal")
    np.testing.assert_array_equal(normal.p_value, normal.p_norm)
    # Both p-values are reported either way.
    np.testing.assert_array_equal(default.p_norm, normal.p_norm)
    np.testing.assert_array_equal(default.p_sim_two_sided, normal.p_sim_two_sided)
    # The classes use the two-sided permutation p-value on the side of z ...
    agree = np.where(default.z > 0, default.p_hot < default.p_cold, default.p_cold < default.p_hot)
    np.testing.assert_array_equal(default.p_value[agree], default.p_sim_two_sided[agree])
    assert (default.p_value[~agree] == 1).all()
    # ... so the busy cell, hot by its z-score, cold by its neighbours, is neither.
    assert default.z[BUSY] > 0 and default.p_cold[BUSY] == default.resolution
    assert default.p_sim_two_sided[BUSY] == 0.002 and default.p_value[BUSY] == 1
    assert default.classes[BUSY] == 0


@pytest.mark.filterwarnings("ignore:`row_stack` alias is deprecated:DeprecationWarning")
def test_the_same_seed_gives_the_same_result_and_leaves_numpy_alone():
    values = planted_values()
    np.random.seed(123)
    state = np.random.get_state()
    first = gi_star(values, WEIGHTS, permutations=99, seed=3)
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2] == state[2]
    second = gi_star(values, WEIGHTS, permutations=99, seed=3, n_jobs=2)
    other = gi_star(values, WEIGHTS, permutations=99, seed=4)
    np.testing.assert_array_equal(first.p_hot, second.p_hot)
    np.testing.assert_array_equal(first.p_cold, second.p_cold)
    assert not np.array_equal(first.p_sim, other.p_sim)


def test_benjamini_hochberg_by_hand():
    # Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4) -> 0.02, 0.02, 0.04, 0.04 after the step-up.
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(q, [0.02, 0.04, 0.04, 0.02])


@pytest.mark.parametrize("alpha", [0.10, 0.05, 0.01])
def test_fdr_agrees_with_esda_cutoff(alpha):
    result = gi_star(planted_values(), WEIGHTS, permutations=0, alpha=alpha)
    cutoff = esda_fdr(result.p_value, alpha)
    np.testing.assert_array_equal(result.significant, result.p_value < cutoff)
    assert 5 < result.significant.sum() < 100


def test_classes_follow_the_confidence_levels():
    assert hot_spot_classes(
        [3.0, -3.0, 2.0, -1.8, 0.4], [0.001, 0.01, 0.03, 0.08, 0.5]
    ).tolist() == [3, -3, 2, -1, 0]
    result = gi_star(planted_values(), WEIGHTS, permutations=0, fdr=True)
    # With FDR a cell is at a level only if its q-value passes it.
    np.testing.assert_array_equal(result.classes, hot_spot_classes(result.z, result.q))
    plain = gi_star(planted_values(), WEIGHTS, permutations=0, fdr=False)
    np.testing.assert_array_equal(plain.classes, hot_spot_classes(plain.z, plain.p_norm))
    assert (np.abs(result.classes) <= np.abs(plain.classes)).all()
    assert (np.abs(result.classes) < np.abs(plain.classes)).any()
    assert result.labels[np.argmax(result.classes)] == CLASS_LABELS[3] == "Hot spot, 99% confidence"


def test_few_permutations_cannot_pass_the_false_discovery_rate():
    # 199 permutations: two-sided p >= 0.01, and BH over 400 cells needs far smaller.
    few = gi_star(planted_values(), WEIGHTS, permutations=199, seed=2)
    assert few.p_value.min() == 0.01 and not few.significant.any()
    assert few.q.min() > 0.05 and np.abs(few.classes).max() == 1
    normal = gi_star(planted_values(), WEIGHTS, permutations=199, seed=2, inference="normal")
    assert normal.inference == "normal" and normal.significant[cell_at(5, 5)]
    np.testing.assert_array_equal(normal.p_value, normal.p_norm)


def test_islands_and_all_zero_values_do_not_crash():
    apart = shapely.MultiPolygon(
        [shapely.box(450000, 300000, 451250, 301250), shapely.box(460000, 300000, 460250, 300250)]
    )
    grid = build_grid(apart, "square", 250)
    island = int(np.flatnonzero(grid.centre_x > 459000)[0])
    values = np.arange(len(grid), dtype=float)
    values[island] = 100
    result = gi_star(values, grid.weights(), permutations=99)
    assert result.islands.tolist() == [index == island for index in range(len(grid))]
    assert result.testable.tolist() == [index != island for index in range(len(grid))]
    assert np.isnan(result.z[island]) and np.isnan(result.p_sim[island])
    assert np.isnan(result.q[island]) and result.classes[island] == 0
    assert not result.significant[island]
    assert np.isfinite(np.delete(result.z, island)).all()
    assert "1 without neighbours" in result.weights_description

    for constant in (np.zeros(len(grid)), np.full(len(grid), 4.0)):
        flat = gi_star(constant, grid.weights(), permutations=99)
        assert np.isnan(flat.z).all() and np.isnan(flat.p_value).all()
        assert (flat.classes == 0).all() and not flat.significant.any()
        assert not flat.testable.any()


def test_slices_match_single_calls():
    cube = np.column_stack([planted_values(seed) for seed in (1, 2, 3)])
    cube[:30, 1] = 0  # a corner with no events in one slice
    analytical = gi_star_slices(cube, WEIGHTS)
    for index, result in enumerate(analytical):
        assert result.inference == "normal" and result.family == "all"
        single = gi_star(cube[:, index], WEIGHTS, permutations=0, family="all")
        np.testing.assert_array_equal(result.z, single.z)
        np.testing.assert_array_equal(result.classes, single.classes)
    assert analytical[1].testable.all()
    permuted = gi_star_slices(cube, WEIGHTS, permutations=49, seed=10, family="testable")
    assert [result.seed for result in permuted] == [10, 11, 12]
    assert [result.inference for result in permuted] == ["permutation"] * 3
    assert not permuted[1].testable.all() and permuted[0].testable.all()
    for index in range(3):
        single = gi_star(cube[:, index], WEIGHTS, permutations=49, seed=10 + index)
        np.testing.assert_array_equal(permuted[index].p_hot, single.p_hot)
        np.testing.assert_array_equal(permuted[index].p_cold, single.p_cold)
        np.testing.assert_array_equal(permuted[index].classes, single.classes)


def test_bad_values_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        gi_star(np.full(400, -1.0), WEIGHTS)
    with pytest.raises(ValueError, match="400 values"):
        gi_star(np.ones(10), WEIGHTS)
    with pytest.raises(ValueError, match="missing"):
        gi_star(np.full(400, np.nan), WEIGHTS)
    with pytest.raises(ValueError, match="seed"):
        gi_star(planted_values(), WEIGHTS, seed=-1)
    with pytest.raises(ValueError, match="alpha"):
        gi_star(planted_values(), WEIGHTS, alpha=5)
    with pytest.raises(ValueError, match="needs permutations"):
        gi_star(planted_values(), WEIGHTS, permutations=0, inference="permutation")
    with pytest.raises(ValueError, match="inference"):
        gi_star(planted_values(), WEIGHTS, inference="exact")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="family"):
        gi_star(planted_values(), WEIGHTS, family="some")  # type: ignore[arg-type]
