"""The vectorised Mann-Kendall test gives exactly what mann_kendall gives, row by row."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest

from vrn.analytics.stats.mann_kendall import mann_kendall, mann_kendall_rows

# The package exports the function under the module's name, so import the module itself.
module = importlib.import_module("vrn.analytics.stats.mann_kendall")

FIELDS = ("s", "variance", "z", "tau", "p_value", "slope", "slope_lower", "slope_upper")


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("length", [3, 4, 5, 7, 10, 11, 18, 30])
@pytest.mark.parametrize("kind", ["continuous", "small integers", "mostly flat"])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_rows_equal_mann_kendall_on_random_series(length, kind, confidence):
    rng = np.random.default_rng(length * 100 + len(kind))
    if kind == "continuous":
        series = rng.normal(size=(150, length)) + np.linspace(0, rng.normal(), length)
    elif kind == "small integers":
        series = rng.integers(0, 4, size=(150, length)).astype(float)
    else:
        series = np.where(rng.random((150, length)) < 0.8, 2.0, rng.normal(size=(150, length)))
    rows = mann_kendall_rows(series, confidence)
    assert rows.n == length and rows.confidence == confidence
    for index, values in enumerate(series):
        one = mann_kendall(values, confidence)
        for field in FIELDS:
            assert same(getattr(one, field), float(getattr(rows, field)[index])), (field, values)
        assert one.method == rows.method[index]
        assert one.direction == rows.direction[index]


def test_blocks_of_rows_give_the_same_result(monkeypatch):
    series = np.random.default_rng(0).normal(size=(37, 12))
    whole = mann_kendall_rows(series)
    monkeypatch.setattr(module, "_ROW_BLOCK", 5)
    blocked = mann_kendall_rows(series)
    for field in (*FIELDS, "method", "direction"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(blocked, field))


def test_constant_rows_and_bad_input():
    result = mann_kendall_rows([[3, 3, 3, 3], [1, 2, 3, 4]])
    assert result.s.tolist() == [0, 6]
    assert math.isnan(result.tau[0]) and result.z[0] == 0 and result.p_value[0] == 1
    assert result.direction.tolist() == ["no significant trend", "no significant trend"]
    with pytest.raises(ValueError, match="2-D"):
        mann_kendall_rows([1, 2, 3])
    with pytest.raises(ValueError, match="row 1"):
        mann_kendall_rows([[1, 2, 3], [1, np.nan, 3]])
    with pytest.raises(ValueError, match="at least 3"):
        mann_kendall_rows([[1, 2]])
