"""ICD-10 code sets: ranges, exclusions, the spellings hospital data uses, vectorised."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrn.definitions import Definitions, IcdCodeSet, IcdRange, normalise_icd
from vrn.definitions.icd import IcdItemError

VIOLENCE = IcdCodeSet.parse("violence", ["X85-Y09"])


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("X99", True),
        ("X99.1", True),
        ("X991", True),
        ("x99.1", True),
        (" X99 ", True),
        ("X99-", True),
        ("X99X", True),  # HES filler for a 3-character code
        ("X85", True),
        ("Y04", True),
        ("Y09", True),
        ("Y099", True),
        ("X84", False),
        ("X849", False),
        ("Y10", False),
        ("W50", False),
        ("X9", False),
        ("", False),
    ],
)
def test_violence_range(code: str, expected: bool) -> None:
    assert VIOLENCE.contains(code) is expected
    assert VIOLENCE.matches(pd.Series([code])).tolist() == [expected]


def test_missing_codes_never_match() -> None:
    assert VIOLENCE.contains(None) is False
    assert VIOLENCE.matches(pd.Series([None, pd.NA, float("nan")])).tolist() == [False] * 3


def test_matches_keeps_the_index() -> None:
    codes = pd.Series(["X99", "A00"], index=[10, 20])
    result = VIOLENCE.matches(codes)
    assert result.dtype == bool and list(result.index) == [10, 20]


def test_shipped_condition_sets(shipped: Definitions) -> None:
    sets = shipped.hospital.code_sets
    assert "F10" in sets["alcohol"] and "F10" not in sets["mental_health"]
    assert "F10.2" not in sets["mental_health"] and "F10.2" not in sets["substance_misuse"]
    assert "F11" in sets["substance_misuse"] and "F11" not in sets["mental_health"]
    assert "F19.9" in sets["substance_misuse"] and "F20" not in sets["substance_misuse"]
    assert "F20" in sets["mental_health"] and "F09" in sets["mental_health"]
    assert "F32.1" in sets["mental_health"] and "G30" not in sets["mental_health"]
    assert "X99" in sets["sharp_object"] and "Y04" in sets["bodily_force"]
    assert str(sets["mental_health"]) == "F00-F99 excluding F10-F19"


def test_subcategory_items() -> None:
    one = IcdCodeSet.parse("one", ["X99.1"])
    assert one.contains("X991") and one.contains("X99.1")
    assert not one.contains("X99") and not one.contains("X992") and not one.contains("X99X")
    span = IcdCodeSet.parse("span", ["X99.0-X99.4"])
    assert [span.contains(f"X99{n}") for n in (0, 4, 5)] == [True, True, False]


@pytest.mark.parametrize("item", ["Y09-X85", "X85-Y9", "X85-Y09.1", "XX9", "X99.A", "X-Y"])
def test_unreadable_items(item: str) -> None:
    with pytest.raises(IcdItemError):
        IcdRange.parse(item)


def test_normalise() -> None:
    assert normalise_icd(" x99.1- ") == "X991"
    assert normalise_icd("F10*") == "F10"


def test_subset_and_overlap() -> None:
    assert IcdCodeSet.parse("s", ["X99"]).is_subset_of(VIOLENCE)
    assert not IcdCodeSet.parse("s", ["X99", "W50"]).is_subset_of(VIOLENCE)
    assert IcdCodeSet.parse("a", ["X99"]).overlaps(IcdCodeSet.parse("b", ["X99.1"]))
    assert not IcdCodeSet.parse("a", ["X99"]).overlaps(IcdCodeSet.parse("b", ["Y04"]))


codes = st.from_regex(r"[A-Z][0-9]{2}(\.?[0-9X-])?", fullmatch=True)


@given(st.lists(codes, max_size=30))
def test_vectorised_agrees_with_one_at_a_time(values: list[str]) -> None:
    mental = IcdCodeSet.parse("m", ["F00-F99"], exclude=["F10-F19"])
    series = pd.Series(values, dtype=object)
    for code_set in (VIOLENCE, mental):
        assert code_set.matches(series).tolist() == [code_set.contains(v) for v in values]
