"""Emerging hot spots: one hand-built series per pattern, the precedence between patterns,
and a synthetic space-time cube with a planted intensifying cluster and a new hot spot."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from vrn.analytics.spatial.emerging import (
    EmergingSettings,
    classify_patterns,
    emerging_hot_spots,
    pattern_label,
)
from vrn.analytics.spatial.gistar import gi_star
from vrn.analytics.spatial.grid import build_grid

UP = (3.0, 0.001)  # Mann-Kendall z and p: a significant increase
DOWN = (-3.0, 0.001)
FLAT = (0.4, 0.7)


def classify(sequence: str, trend: tuple[float, float], settings=None) -> int:
    """The pattern of one cell from ``H`` (hot), ``C`` (cold) and ``.`` per slice."""
    hot = [[mark == "H" for mark in sequence]]
    cold = [[mark == "C" for mark in sequence]]
    return int(classify_patterns(hot, cold, [trend[0]], [trend[1]], settings)[0])


@pytest.mark.parametrize(
    ("sequence", "trend", "expected"),
    [
        (".........H", FLAT, "New hot spot"),
        ("C........H", UP, "New hot spot"),  # never hot before; new comes before oscillating
        (".......HHH", UP, "Consecutive hot spot"),
        ("C.C....HHH", FLAT, "Consecutive hot spot"),
        ("HHHHHHHHHH", UP, "Intensifying hot spot"),
        (".HHHHHHHHH", UP, "Intensifying hot spot"),  # 9 of 10 slices is 90%
        ("HHHHHHHHHH", FLAT, "Persistent hot spot"),
        ("HHHH.HHHHH", FLAT, "Persistent hot spot"),
        ("HHHHHHHHHH", DOWN, "Diminishing hot spot"),
        ("..H..H...H", FLAT, "Sporadic hot spot"),
        ("HH..HH..HH", UP, "Sporadic hot spot"),  # the final run does not hold every hot slice
        ("H.C......H", FLAT, "Oscillating hot spot"),
        ("CCCCH...HH", UP, "Oscillating hot spot"),
        ("HHHHHHHHH.", FLAT, "Historical hot spot"),
        ("HHHHHHHHH.", DOWN, "Historical hot spot"),
        (".........C", FLAT, "New cold spot"),
        (".......CCC", FLAT, "Consecutive cold spot"),
        ("CCCCCCCCCC", DOWN, "Intensifying cold spot"),
        ("CCCCCCCCCC", FLAT, "Persistent cold spot"),
        ("CCCCCCCCCC", UP, "Diminishing cold spot"),
        ("C...C...CC", FLAT, "Sporadic cold spot"),
        ("H...C....C", FLAT, "Oscillating cold spot"),
        ("CCCCCCCCC.", FLAT, "Historical cold spot"),
        ("HHHHHHHHHC", FLAT, "New cold spot"),  # cold now: the final slice decides the side
        ("HHH.......", UP, "No pattern detected"),
        ("HHHHHHHH..", FLAT, "No pattern detected"),  # 80% hot, not hot now
        ("..........", UP, "No pattern detected"),
    ],
)
def test_each_pattern_from_a_hand_built_series(sequence, trend, expected):
    assert pattern_label(classify(sequence, trend)) == expected


def test_the_ninety_percent_boundary_and_settings():
    eighteen = "H" * 17 + "."
    assert pattern_label(classify("." + "H" * 17, FLAT)) == "Persistent hot spot"  # 17/18 >= 0.9
    assert pattern_label(classify(eighteen, FLAT)) == "Historical hot spot"
    # 16 of 18 is 88.9%: not persistent, and the final run holds only some hot slices.
    assert pattern_label(classify(".HHHHHHHH.HHHHHHHH", FLAT)) == "Sporadic hot spot"
    looser = EmergingSettings(share=0.8)
    assert pattern_label(classify("HHHHHHHH..", FLAT, looser)) == "Historical hot spot"
    stricter_trend = EmergingSettings(trend_alpha=0.0005)
    assert pattern_label(classify("HHHHHHHHHH", UP, stricter_trend)) == "Persistent hot spot"


def test_the_classifier_checks_its_inputs():
    with pytest.raises(ValueError, match="same slice"):
        classify_patterns([[True, True, True]], [[False, True, False]], [0.0], [1.0])
    with pytest.raises(ValueError, match="same shape"):
        classify_patterns([[True, True, True]], [[False, True]], [0.0], [1.0])
    with pytest.raises(ValueError, match="share"):
        EmergingSettings(share=0.4)
    with pytest.raises(ValueError, match="trend_alpha"):
        EmergingSettings(trend_alpha=0)


GRID = build_grid(shapely.box(450000, 300000, 455000, 305000), "square", 250)  # 20 x 20
SLICES = 12


def cell_at(column: int, row: int) -> int:
    return row * 20 + column


def planted_cube(seed: int = 3) -> np.ndarray:
    """Poisson(5) counts; a 3 x 3 cluster around (5, 5) adding 6 + 3t in slice t; a 3 x 3
    block around (14, 14) adding 25 in the final slice only."""
    cube = np.random.default_rng(seed).poisson(5, (400, SLICES)).astype(float)
    for column in range(4, 7):
        for row in range(4, 7):
            cube[cell_at(column, row)] += 6 + 3 * np.arange(SLICES)
    for column in range(13, 16):
        for row in range(13, 16):
            cube[cell_at(column, row), -1] += 25
    return cube


def test_a_planted_intensifying_cluster_and_a_new_hot_spot_are_found():
    result = emerging_hot_spots(planted_cube(), GRID.weights())
    intensifying, new = cell_at(5, 5), cell_at(14, 14)
    assert result.pattern[intensifying] == "Intensifying hot spot"
    assert result.trend_direction[intensifying] == "increasing"
    assert result.hot_slices[intensifying] == SLICES and result.cold_slices[intensifying] == 0
    assert result.pattern[new] == "New hot spot"
    assert result.hot_slices[new] == 1 and result.final_class[new] == 3
    assert result.category[intensifying] == 3 and result.category[new] == 1
    # Background cells far from both plants mostly show no pattern.
    background = [cell_at(column, 18) for column in range(20)]
    assert (result.category[background] == 0).mean() >= 0.9
    # The cube's z-scores are Gi* of each slice.
    np.testing.assert_array_equal(
        result.z[:, 4], gi_star(planted_cube()[:, 4], GRID.weights(), 0).z
    )
    assert result.z.shape == result.classes.shape == (400, SLICES)


def test_permutations_give_the_same_planted_patterns():
    # Without FDR: 999 permutations cannot pass BH over 400 cells in every slice.
    settings = EmergingSettings(permutations=999, seed=5, fdr=False, gi_alpha=0.01)
    result = emerging_hot_spots(planted_cube(), GRID.weights(), settings)
    assert result.pattern[cell_at(5, 5)] == "Intensifying hot spot"
    assert result.pattern[cell_at(14, 14)] == "New hot spot"
    assert result.settings.permutations == 999


def test_islands_empty_slices_and_too_few_slices():
    apart = shapely.MultiPolygon(
        [shapely.box(450000, 300000, 451250, 301250), shapely.box(460000, 300000, 460250, 300250)]
    )
    grid = build_grid(apart, "square", 250)
    island = int(np.flatnonzero(grid.centre_x > 459000)[0])
    cube = np.random.default_rng(1).poisson(3, (len(grid), 10)).astype(float)
    cube[:, 4] = 0  # a slice without events
    result = emerging_hot_spots(cube, grid.weights())
    assert result.trend_direction[island] == "not tested" and result.category[island] == 0
    assert np.isnan(result.trend_p[island])
    assert np.isnan(result.z[:, 4]).all() and (result.classes[:, 4] == 0).all()
    assert np.isfinite(np.delete(result.trend_p, island)).all()
    with pytest.raises(ValueError, match="at least 10"):
        emerging_hot_spots(cube[:, :9], grid.weights())
