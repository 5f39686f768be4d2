"""Kernel density: the kernels' known values and integrals, the bandwidth rule by hand,
weights as repeated points, and the error of binning."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from vrn.analytics.spatial import kde
from vrn.analytics.spatial.grid import build_grid
from vrn.analytics.spatial.kde import density_at, kernel_density, silverman_bandwidth


def lattice(half_width: float, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    steps = np.arange(-half_width + spacing / 2, half_width, spacing)
    x, y = np.meshgrid(steps, steps)
    return x.ravel(), y.ravel()


@pytest.mark.parametrize(("kernel", "reach"), [("quartic", 1.0), ("gaussian", 6.0)])
def test_a_single_point_integrates_to_one(kernel, reach):
    h = 400.0
    spacing = h / 40
    at_x, at_y = lattice(reach * h, spacing)
    result = density_at([0.0], [0.0], at_x, at_y, kernel=kernel, bandwidth=h)
    cell_km2 = (spacing / 1000) ** 2
    assert result.density.sum() * cell_km2 == pytest.approx(1.0, abs=2e-4)


def test_quartic_and_gaussian_values_by_hand():
    h = 500.0
    at_x = np.array([0.0, 250.0, 499.0, 500.0, 900.0])
    quartic = density_at([1000.0], [2000.0], 1000 + at_x, np.full(5, 2000.0), bandwidth=h)
    expected = [3 / (math.pi * h**2) * (1 - (d / h) ** 2) ** 2 * 1e6 for d in at_x[:3]]
    np.testing.assert_allclose(quartic.density[:3], expected, rtol=1e-12)
    assert quartic.density[0] == pytest.approx(3 / (math.pi * 0.25))  # 3/(pi h²), h = 0.5 km
    assert quartic.density[3:].tolist() == [0.0, 0.0]
    gaussian = density_at([0.0], [0.0], [0.0, 500.0], [0.0, 0.0], bandwidth=h, kernel="gaussian")
    peak = 1 / (2 * math.pi * 0.25)
    np.testing.assert_allclose(gaussian.density, [peak, peak * math.exp(-0.5)], rtol=1e-12)


def test_bandwidth_rule_picks_the_standard_distance_by_hand():
    # Centre (0, 0); distances 3, 3, 4, 4, 0: SD = sqrt(50 / 5), Dm = 3.
    result = silverman_bandwidth([-3, 3, 0, 0, 0], [0, 0, -4, 4, 0])
    assert result.standard_distance == pytest.approx(math.sqrt(10))
    assert result.median_distance == 3
    assert result.bandwidth == pytest.approx(0.9 * math.sqrt(10) * 5**-0.2)
    assert result.bandwidth == pytest.approx(2.0627, abs=1e-4)


def test_bandwidth_rule_picks_the_median_distance_when_an_outlier_inflates_sd():
    # Distances 1, 1, 1, 1, 50, 50 from (0, 0): SD = sqrt(5004 / 6) = 28.9, Dm = 1.
    result = silverman_bandwidth([-1, 1, 0, 0, -50, 50], [0, 0, -1, 1, 0, 0])
    assert result.standard_distance == pytest.approx(math.sqrt(5004 / 6))
    assert result.median_distance == 1
    assert result.bandwidth == pytest.approx(0.9 * math.sqrt(1 / math.log(2)) * 6**-0.2)
    assert "n = 6" in result.rule and "Dm = 1 m" in result.rule


def test_the_default_bandwidth_is_recorded_with_its_rule():
    rng = np.random.default_rng(3)
    x, y = rng.normal(460000, 2000, 500), rng.normal(305000, 1000, 500)
    result = density_at(x, y, [460000.0], [305000.0])
    assert result.bandwidth == silverman_bandwidth(x, y).bandwidth
    assert result.bandwidth_rule.startswith("ArcGIS Pro default (spatial Silverman rule)")
    fixed = density_at(x, y, [460000.0], [305000.0], bandwidth=750)
    assert fixed.bandwidth == 750 and fixed.bandwidth_rule == "fixed: 750 m"


def test_weights_equal_repeated_points():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 3000, 40), rng.uniform(0, 3000, 40)
    weights = rng.integers(0, 5, 40)
    repeated_x, repeated_y = np.repeat(x, weights), np.repeat(y, weights)
    at_x, at_y = lattice(3000, 100)
    at_x, at_y = at_x + 1500, at_y + 1500
    weighted = density_at(x, y, at_x, at_y, weights=weights)
    repeated = density_at(repeated_x, repeated_y, at_x, at_y)
    assert weighted.bandwidth == pytest.approx(repeated.bandwidth, rel=1e-12)
    np.testing.assert_allclose(weighted.density, repeated.density, rtol=1e-10, atol=1e-12)
    assert weighted.events == repeated.events == weights.sum()


def test_expected_counts_on_a_grid_add_up_to_the_events():
    grid = build_grid(shapely.box(0, 0, 4000, 4000), "square", 50)
    rng = np.random.default_rng(8)
    x, y = rng.normal(2000, 300, 200), rng.normal(2000, 300, 200)
    result = kernel_density(grid, x, y, bandwidth=400)
    assert result.expected is not None
    assert result.expected.sum() == pytest.approx(200, rel=1e-3)
    np.testing.assert_allclose(result.expected, result.density * 0.0025)


def test_linear_binning_error_is_small():
    rng = np.random.default_rng(11)
    centres = rng.uniform(0, 20000, (15, 2))
    points = centres[rng.integers(0, 15, 30000)] + rng.normal(0, 800, (30000, 2))
    at_x, at_y = lattice(10000, 250)
    at_x, at_y = at_x + 10000, at_y + 10000
    exact = density_at(points[:, 0], points[:, 1], at_x, at_y, bandwidth=1000, binning="exact")
    binned = density_at(points[:, 0], points[:, 1], at_x, at_y, bandwidth=1000, binning=50.0)
    assert exact.method == "exact" and binned.method == "linear binning to a 50 m lattice"
    error = np.abs(binned.density - exact.density).max() / exact.density.max()
    assert error < 2e-3
    coarse = density_at(points[:, 0], points[:, 1], at_x, at_y, bandwidth=1000, binning=400.0)
    assert np.abs(coarse.density - exact.density).max() / exact.density.max() > error


def test_auto_binning_switches_on_above_the_pair_budget(monkeypatch):
    rng = np.random.default_rng(2)
    x, y = rng.uniform(0, 5000, 2000), rng.uniform(0, 5000, 2000)
    at_x, at_y = lattice(2500, 100)
    exact = density_at(x, y, at_x + 2500, at_y + 2500, bandwidth=800)
    assert exact.method == "exact"
    monkeypatch.setattr(kde, "AUTO_BINNING_PAIRS", 1000)
    binned = density_at(x, y, at_x + 2500, at_y + 2500, bandwidth=800)
    assert binned.method == "linear binning to a 40 m lattice"
    assert np.abs(binned.density - exact.density).max() / exact.density.max() < 5e-3


def test_chunking_does_not_change_the_result(monkeypatch):
    rng = np.random.default_rng(6)
    x, y = rng.uniform(0, 2000, 300), rng.uniform(0, 2000, 300)
    at_x, at_y = lattice(1000, 50)
    whole = density_at(x, y, at_x + 1000, at_y + 1000, bandwidth=300)
    monkeypatch.setattr(kde, "_CHUNK_PAIRS", 500)
    chunked = density_at(x, y, at_x + 1000, at_y + 1000, bandwidth=300)
    np.testing.assert_allclose(chunked.density, whole.density, rtol=1e-12)


def test_missing_coordinates_are_dropped_and_bad_arguments_refused():
    result = density_at([0.0, np.nan], [0.0, 5.0], [0.0], [0.0], bandwidth=100)
    assert result.events == 1.0
    with pytest.raises(ValueError, match="kernel"):
        density_at([0.0], [0.0], [0.0], [0.0], kernel="epanechnikov", bandwidth=100)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bandwidth"):
        density_at([0.0], [0.0], [0.0], [0.0], bandwidth=-1)
    with pytest.raises(ValueError, match="at least 2 points"):
        density_at([0.0], [0.0], [0.0], [0.0])
    with pytest.raises(ValueError, match="bandwidth rule gives 0"):
        silverman_bandwidth([0, 0, 0, 1, -1], [0, 0, 0, 0, 0])
    with pytest.raises(ValueError, match="weights"):
        density_at([0.0], [0.0], [0.0], [0.0], weights=[-1.0], bandwidth=100)
