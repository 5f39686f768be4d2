"""The column-at-a-time helpers datasets validate with."""

from __future__ import annotations

import numpy as np

from vrn.ingest.columns import Distinct, Problems


def test_distinct_calls_once_per_value_and_spreads_the_results() -> None:
    calls: list[str] = []

    def shout(value: str) -> str:
        calls.append(value)
        return value.upper()

    column = Distinct(["a", "b", "a", "a", "c", "b"])

    assert column.map(shout).tolist() == ["A", "B", "A", "A", "C", "B"]
    assert calls == ["a", "b", "c"]
    assert column.map(lambda value: value == "a", dtype=bool).tolist() == [
        True,
        False,
        True,
        True,
        False,
        False,
    ]


def test_transform_keeps_rows_even_when_values_merge() -> None:
    column = Distinct([" a", "a", "b "]).transform(str.strip)

    assert column.values().tolist() == ["a", "a", "b"]
    assert column.map(len).tolist() == [1, 1, 1]


def test_problems_keep_the_first_problem_of_each_row() -> None:
    problems = Problems(4)
    problems.flag(np.array([True, False, True, False]), "Month", "is wrong")
    problems.flag(
        np.array([True, True, False, False]),
        "Crime type",
        lambda rows: [f"row {row}" for row in rows],
    )

    assert problems.found.tolist() == [True, True, True, False]
    assert problems.field.tolist() == ["Month", "Crime type", "Month", None]
    assert problems.reason.tolist() == ["is wrong", "row 1", "is wrong", None]
