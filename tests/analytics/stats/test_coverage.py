"""Simulation: the 95% intervals cover the true value in about 95% of repetitions.

Each repetition draws its own true rate or proportion (moderate counts), simulates one
observation and asks whether the interval contains the truth. Seeds are fixed, so the
figures are reproducible; the repetitions are many enough that simulation error (about
0.1 percentage points) is small beside the 94-96% band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vrn.analytics.stats import ESP2013, dsr, proportion, rate

pytestmark = pytest.mark.slow
REPETITIONS = 50_000


def covered(result: pd.DataFrame, truth: np.ndarray, suffix: str) -> float:
    inside = (result[f"lower{suffix}cl"] <= truth) & (truth <= result[f"upper{suffix}cl"])
    return float(inside.mean())


def test_rate_intervals_cover_the_true_rate() -> None:
    rng = np.random.default_rng(20261121)
    expected_count = rng.uniform(20, 200, REPETITIONS)
    population = rng.integers(10_000, 500_000, REPETITIONS)
    table = pd.DataFrame({"x": rng.poisson(expected_count), "n": population})
    result = rate(table, "x", "n", confidence=(0.95, 0.998))
    truth = expected_count / population * 100_000
    # Poisson limits are slightly conservative by design (about 95.6% at these counts).
    assert 0.94 <= covered(result, truth, "95_0") <= 0.96
    assert covered(result, truth, "99_8") >= 0.997


def test_proportion_intervals_cover_the_true_proportion() -> None:
    rng = np.random.default_rng(1927)
    truth = rng.uniform(0.1, 0.5, REPETITIONS)
    size = rng.integers(100, 1000, REPETITIONS)
    table = pd.DataFrame({"x": rng.binomial(size, truth), "n": size})
    result = proportion(table, "x", "n", confidence=(0.95, 0.998))
    assert 0.94 <= covered(result, truth, "95_0") <= 0.96
    assert covered(result, truth, "99_8") >= 0.997


def test_dsr_intervals_cover_the_true_standardised_rate() -> None:
    rng = np.random.default_rng(1991)
    areas = 5_000
    band_rates = np.linspace(0.0002, 0.004, 19) * rng.uniform(0.5, 2, (areas, 1))
    population = rng.integers(2_000, 20_000, (areas, 19))
    table = pd.DataFrame(
        {
            "area": np.repeat(np.arange(areas), 19),
            "x": rng.poisson(band_rates * population).ravel(),
            "n": population.ravel(),
        }
    )
    result = dsr(table, "x", "n", ESP2013.to_numpy(), group_by="area")
    weights = ESP2013.to_numpy()
    truth = (band_rates * weights).sum(axis=1) / weights.sum() * 100_000
    inside = (result["lowercl"] <= truth) & (truth <= result["uppercl"])
    # Dobson limits are known to be slightly conservative (Fay and Feuer 1997).
    assert 0.94 <= inside.mean() <= 0.97
