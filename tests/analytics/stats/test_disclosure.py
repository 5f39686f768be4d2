"""Disclosure control: the HES rule, suppression below k with audited secondary suppression.

The secondary-suppression guarantee is checked by oracles independent of the policy's own
audit: an integer program (scipy's ``milp``) over the interior cells of the table read
back from the *published* DataFrame, and, for 2 x 2 tables, brute-force enumeration of
every integer completion.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from vrn.analytics.stats.disclosure import (
    DEFAULT_POLICY,
    DisclosurePolicy,
    HesRule,
    SuppressBelow,
)
from vrn.analytics.stats.disclosure_audit import (
    bordered,
    feasible_ranges,
    secondary_suppression,
)

# ---------------------------------------------------------------------------------------
# Strategies and helpers
# ---------------------------------------------------------------------------------------

#: Counts that are often small (suppressed), sometimes zero and sometimes large.
counts_st = st.one_of(st.just(0), st.just(1), st.integers(0, 12), st.integers(8, 60))


@st.composite
def hes_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, list[str], list[bool]]:
    """A table with 1-3 count columns, exempt rate and label columns, some national rows."""
    n = draw(st.integers(0, 12))
    names = draw(
        st.lists(
            st.sampled_from(["events", "deaths", "visits"]), min_size=1, max_size=3, unique=True
        )
    )
    data: dict[str, object] = {"area": [f"E{i:02d}" for i in range(n)]}
    for name in names:
        data[name] = draw(
            st.lists(st.integers(0, 500) | st.integers(0, 12), min_size=n, max_size=n)
        )
    data["rate"] = draw(st.lists(st.floats(0, 100) | st.just(float("nan")), min_size=n, max_size=n))
    national = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    table = pd.DataFrame(data)
    table["rate"] = table["rate"].astype(float)
    return table, names, national


@st.composite
def two_way_tables(
    draw: st.DrawFn, rows: tuple[int, int] = (2, 6), cols: tuple[int, int] = (2, 6)
) -> NDArray[np.int64]:
    n = draw(st.integers(*rows))
    m = draw(st.integers(*cols))
    cells = draw(st.lists(counts_st, min_size=n * m, max_size=n * m))
    return np.array(cells, dtype=np.int64).reshape(n, m)


def frame(cells: NDArray[np.int64]) -> pd.DataFrame:
    n, m = cells.shape
    return pd.DataFrame(
        cells, columns=[f"c{j}" for j in range(m)], index=[f"r{i}" for i in range(n)]
    )


@dataclass
class Published:
    """What an intruder reads from a published SuppressBelow table (None = suppressed)."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None  # None when the table has no total column
    col_totals: list[int | None] | None  # None when the table has no total row
    grand: int | None
    has_grand: bool


def read_published(out: pd.DataFrame, n: int, m: int, symbol: str = "*") -> Published:
    """Parse the published strings back into numbers, independently of the policy."""

    def value(text: object) -> int | None:
        assert isinstance(text, str)
        return None if text == symbol else int(text)

    columns = [f"c{j}" for j in range(m)]
    has_col = m > 1
    has_row = n > 1
    cells = [[value(out.iloc[i][c]) for c in columns] for i in range(n)]
    row_totals = [value(out.iloc[i]["Total"]) for i in range(n)] if has_col else None
    col_totals = [value(out.iloc[n][c]) for c in columns] if has_row else None
    grand = value(out.iloc[n]["Total"]) if has_row and has_col else None
    return Published(cells, row_totals, col_totals, grand, has_row and has_col)


#: An upper bound far above any test count, so that every integer program is bounded.
UNBOUNDED = 1e6


def oracle_ranges(
    pub: Published, n: int, m: int, zeros_shown: bool
) -> list[tuple[str, float, float]]:
    """Integer min and max of every suppressed entry, by MILP over the interior cells.

    The intruder knows: published cells, published totals, that everything adds up,
    that cells are non-negative integers, and (when zeros are shown) that a suppressed
    cell or total is at least 1.
    """
    size = n * m
    lb = np.zeros(size)
    ub = np.full(size, UNBOUNDED)
    for i, j in itertools.product(range(n), range(m)):
        known = pub.cells[i][j]
        if known is None:
            lb[i * m + j] = 1 if zeros_shown else 0
        else:
            lb[i * m + j] = ub[i * m + j] = known
    rows: list[NDArray[np.float64]] = []
    lo: list[float] = []
    hi: list[float] = []
    targets: list[tuple[str, NDArray[np.float64]]] = []

    def linear(entries: list[tuple[int, int]]) -> NDArray[np.float64]:
        vec = np.zeros(size)
        for i, j in entries:
            vec[i * m + j] = 1.0
        return vec

    def total(name: str, entries: list[tuple[int, int]], known: int | None) -> None:
        vec = linear(entries)
        rows.append(vec)
        if known is None:
            lo.append(1 if zeros_shown else 0)
            hi.append(np.inf)
            targets.append((name, vec))
        else:
            lo.append(known)
            hi.append(known)

    if pub.row_totals is not None:
        for i in range(n):
            total(f"row total {i}", [(i, j) for j in range(m)], pub.row_totals[i])
    if pub.col_totals is not None:
        for j in range(m):
            total(f"column total {j}", [(i, j) for i in range(n)], pub.col_totals[j])
    if pub.has_grand:
        total("grand total", [(i, j) for i in range(n) for j in range(m)], pub.grand)
    for i, j in itertools.product(range(n), range(m)):
        if pub.cells[i][j] is None:
            targets.append((f"cell {i},{j}", linear([(i, j)])))

    constraints = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    out = []
    for name, vec in targets:
        ends = []
        for sense in (1.0, -1.0):
            result = milp(
                sense * vec,
                constraints=constraints,
                integrality=np.ones(size),
                bounds=Bounds(lb, ub),
            )
            assert result.status == 0, (name, result.message)
            ends.append(sense * result.fun)
        out.append((name, ends[0], ends[1]))
    return out


def assert_published_faithfully(
    out: pd.DataFrame, cells: NDArray[np.int64], policy: SuppressBelow
) -> Published:
    """Shown values are exact, small values are hidden, and totals add up."""
    n, m = cells.shape
    pub = read_published(out, n, m, policy.symbol)
    full = bordered(cells)
    lowest = 0 if policy.suppress_zero else 1
    entries: list[tuple[int | None, int]] = [
        (pub.cells[i][j], int(full[i, j])) for i in range(n) for j in range(m)
    ]
    if pub.row_totals is not None:
        entries += [(pub.row_totals[i], int(full[i, m])) for i in range(n)]
    if pub.col_totals is not None:
        entries += [(pub.col_totals[j], int(full[n, j])) for j in range(m)]
    if pub.has_grand:
        entries.append((pub.grand, int(full[n, m])))
    for shown, true in entries:
        if shown is None:
            assert policy.suppress_zero or true != 0, "a zero was suppressed"
        else:
            assert shown == true
            assert not lowest <= true < policy.k, f"small count {true} published"
    return pub


# ---------------------------------------------------------------------------------------
# The policy protocol
# ---------------------------------------------------------------------------------------


def test_default_policy_is_the_hes_rule() -> None:
    assert isinstance(DEFAULT_POLICY, HesRule)
    assert HesRule(high=7, base=5, symbol="*") == DEFAULT_POLICY
    assert DEFAULT_POLICY.name == "hes"


@pytest.mark.parametrize(
    "policy", [HesRule(), SuppressBelow(k=5), SuppressBelow(k=10, secondary=False)]
)
def test_policies_describe_themselves(policy: DisclosurePolicy) -> None:
    assert isinstance(policy, DisclosurePolicy)
    assert policy.name
    assert policy.description.endswith(".")
    assert policy.symbol in policy.description


def test_descriptions() -> None:
    assert SuppressBelow(k=10, secondary=False).description == "Counts from 1 to 9 are shown as *."
    assert SuppressBelow(k=5, suppress_zero=True, symbol="c").description.startswith(
        "Counts from 0 to 4 are shown as c. Further counts and totals are shown as c"
    )
    assert "cannot be worked out exactly" in SuppressBelow(k=10).description
    assert "fewer than 4 possible values" in SuppressBelow(k=10, protection=3).description
    assert "from 1 to 5" in HesRule(high=5, base=10).description
    assert SuppressBelow(k=6).name == "suppress-below-6+secondary"
    assert SuppressBelow(k=6, secondary=False).name == "suppress-below-6"


def test_policies_are_immutable_values() -> None:
    with pytest.raises(AttributeError):
        HesRule().high = 3
    assert SuppressBelow(k=5) == SuppressBelow(k=5)
    assert hash(HesRule()) == hash(HesRule())


# ---------------------------------------------------------------------------------------
# HesRule
# ---------------------------------------------------------------------------------------


class TestHesRule:
    def test_worked_table(self) -> None:
        table = pd.DataFrame(
            {
                "area": ["Blaby", "Charnwood", "Harborough", "Melton", "Oadby", "England"],
                "admissions": [0, 1, 7, 8, 12, 3],
                "deaths": [13, 22, 23, 2, 0, 5],
                "rate": [0.0, 1.25, 8.75, 10.0, 15.0, 0.2],
                "lowercl": [0.0, 0.03, 3.5, 4.3, 7.7, 0.04],
                "national": [False, False, False, False, False, True],
            }
        )
        out = HesRule().apply(table, ["admissions", "deaths"], national="national")
        assert out["admissions"].tolist() == ["0", "*", "*", "10", "10", "3"]
        assert out["deaths"].tolist() == ["15", "20", "25", "*", "0", "5"]
        assert str(out["admissions"].dtype) == "string"
        for exempt in ["area", "rate", "lowercl", "national"]:
            pd.testing.assert_series_equal(out[exempt], table[exempt])
        assert list(out.columns) == list(table.columns)
        assert out.index.equals(table.index)

    def test_csv_and_html_show_the_published_text(self) -> None:
        table = pd.DataFrame({"area": ["A", "B"], "n": [4, 1234]})
        out = HesRule().apply(table, "n")
        assert out.to_csv(index=False) == "area,n\nA,*\nB,1235\n"
        assert "<td>*</td>" in out.to_html()

    def test_national_as_series_list_or_array(self) -> None:
        table = pd.DataFrame({"n": [3, 3, 3]}, index=["x", "y", "z"])
        expected = ["*", "3", "*"]
        for national in (
            pd.Series([False, True, False], index=["x", "y", "z"]),
            [False, True, False],
            np.array([False, True, False]),
            pd.Series([False, True, False], index=["x", "y", "z"], dtype="boolean"),
        ):
            assert HesRule().apply(table, "n", national=national)["n"].tolist() == expected

    def test_other_thresholds_and_even_base_rounds_halves_up(self) -> None:
        table = pd.DataFrame({"n": [0, 5, 6, 15, 24, 25]})
        out = HesRule(high=5, base=10, symbol="~").apply(table, "n")
        assert out["n"].tolist() == ["0", "~", "10", "20", "20", "30"]

    def test_empty_table(self) -> None:
        table = pd.DataFrame({"n": pd.Series([], dtype="int64")})
        out = HesRule().apply(table, "n")
        assert len(out) == 0
        assert str(out["n"].dtype) == "string"

    def test_integral_floats_and_nullable_ints_are_counts(self) -> None:
        table = pd.DataFrame(
            {"f": [3.0, 12.0], "i": pd.array([3, 12], dtype="Int64"), "o": [3, 12]}
        ).astype({"o": object})
        out = HesRule().apply(table, ["f", "i", "o"])
        for column in ["f", "i", "o"]:
            assert out[column].tolist() == ["*", "10"]

    @pytest.mark.parametrize(
        ("kwargs", "problem"),
        [
            ({"high": 0}, "high must be"),
            ({"base": 0}, "base must be"),
            ({"high": 2.5}, "high must be"),
            ({"high": True}, "high must be"),
            ({"high": 1, "base": 5}, "would round the count 2 to 0, which is not above 1"),
            ({"high": 7, "base": 20}, "would round the count 8 to 0"),
            ({"high": 7, "base": 7}, "would round the count 8 to 7, which is not above 7"),
            ({"symbol": ""}, "symbol"),
            ({"symbol": "5"}, "would read as a number"),
            ({"symbol": 0}, "symbol"),
        ],
    )
    def test_bad_parameters(self, kwargs: dict[str, object], problem: str) -> None:
        with pytest.raises(ValueError, match=problem):
            HesRule(**kwargs)

    @settings(max_examples=60, deadline=None)
    @given(hes_tables())
    def test_properties(self, drawn: tuple[pd.DataFrame, list[str], list[bool]]) -> None:
        table, names, national = drawn
        before = table.copy(deep=True)
        out = HesRule().apply(table, names, national=national)

        pd.testing.assert_frame_equal(table, before)  # the caller's data is untouched
        assert table.dtypes.equals(before.dtypes)
        for exempt in ["area", "rate"]:
            pd.testing.assert_series_equal(out[exempt], table[exempt])
        for name in names:
            assert str(out[name].dtype) == "string"
            for true, shown, is_national in zip(table[name], out[name], national, strict=True):
                if is_national:
                    assert shown == str(true)
                elif true == 0:
                    assert shown == "0"
                elif 1 <= true <= 7:
                    assert shown == "*"
                else:
                    value = int(shown)
                    assert not 1 <= value <= 7
                    assert value % 5 == 0
                    assert abs(value - true) <= 2
                    assert value >= 10

    def test_output_is_a_copy(self) -> None:
        table = pd.DataFrame({"n": [3, 30], "rate": [1.0, 2.0]})
        out = HesRule().apply(table, "n")
        out.loc[0, "rate"] = 99.0
        assert table.loc[0, "rate"] == 1.0


# ---------------------------------------------------------------------------------------
# Bad input, for both policies
# ---------------------------------------------------------------------------------------

POLICIES = [HesRule(), SuppressBelow(k=5), SuppressBelow(k=5, secondary=False)]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
class TestBadInput:
    @staticmethod
    def table(column: object) -> pd.DataFrame:
        return pd.DataFrame({"area": ["a", "b", "c"], "ok": [10, 20, 30], "n": column})

    def test_unknown_column(self, policy: DisclosurePolicy) -> None:
        with pytest.raises(ValueError, match=r"unknown column 'cases'.*has columns"):
            policy.apply(self.table([1, 2, 3]), ["ok", "cases"])

    def test_negative_count(self, policy: DisclosurePolicy) -> None:
        with pytest.raises(ValueError, match=r"column 'n' holds negative count -2 at row 1"):
            policy.apply(self.table([1, -2, 3]), ["ok", "n"])

    @pytest.mark.parametrize(
        ("column", "shown"),
        [
            ([1.0, 2.5, 3.0], "2.5"),
            ([1.0, np.inf, 3.0], "inf"),
            (pd.Series([1, "3", 2], dtype=object), "'3'"),
            (pd.Series([1, 2.5, 2], dtype=object), "2.5"),
        ],
    )
    def test_non_integer_count(self, policy: DisclosurePolicy, column: object, shown: str) -> None:
        with pytest.raises(ValueError, match=rf"column 'n' holds non-integer value {shown}"):
            policy.apply(self.table(column), ["ok", "n"])

    @pytest.mark.parametrize(
        "column",
        [
            [1.0, np.nan, 3.0],
            pd.array([1, None, 3], dtype="Int64"),
            pd.Series([1, None, 3], dtype=object),
        ],
    )
    def test_missing_count(self, policy: DisclosurePolicy, column: object) -> None:
        with pytest.raises(
            ValueError, match=r"column 'n' has 1 missing value\(s\), first at row 1"
        ):
            policy.apply(self.table(column), ["ok", "n"])

    def test_booleans_and_text_are_not_counts(self, policy: DisclosurePolicy) -> None:
        with pytest.raises(ValueError, match="column 'n' holds booleans"):
            policy.apply(self.table([True, False, True]), ["ok", "n"])
        published = HesRule().apply(self.table([1, 2, 3]), "n")
        with pytest.raises(ValueError, match="column 'n' has dtype string"):
            policy.apply(published, ["ok", "n"])

    def test_counts_argument(self, policy: DisclosurePolicy) -> None:
        with pytest.raises(ValueError, match="at least one count column"):
            policy.apply(self.table([1, 2, 3]), [])
        with pytest.raises(ValueError, match="count column 'n' is named twice"):
            policy.apply(self.table([1, 2, 3]), ["n", "n"])
        with pytest.raises(TypeError, match="DataFrame"):
            policy.apply(np.array([[1, 2]]), ["n"])

    def test_duplicate_column_labels(self, policy: DisclosurePolicy) -> None:
        table = pd.DataFrame([[1, 2], [3, 4]], columns=["n", "n"])
        with pytest.raises(ValueError, match="column 'n' appears more than once"):
            policy.apply(table, "n")

    def test_bad_input_leaves_the_table_alone(self, policy: DisclosurePolicy) -> None:
        table = self.table([1.0, 2.5, 3.0])
        before = table.copy(deep=True)
        with pytest.raises(ValueError):
            policy.apply(table, ["ok", "n"])
        pd.testing.assert_frame_equal(table, before)


class TestBadNationalMask:
    table = pd.DataFrame({"n": [1, 2, 3], "flag": [True, False, True], "code": [1, 0, 1]})

    @pytest.mark.parametrize(
        ("national", "problem"),
        [
            ("nation", "unknown column 'nation' given as national"),
            ("n", "both a count and the national mask"),
            ("code", "national column 'code' must be boolean"),
            ([True, False], "2 values but the table has 3 rows"),
            (pd.Series([True, False, True], index=[5, 6, 7]), "index does not match"),
            (pd.Series([True, None, True], dtype="boolean"), "missing values"),
            ([1, 0, 1], "must be boolean"),
        ],
    )
    def test_hes(self, national: object, problem: str) -> None:
        with pytest.raises(ValueError, match=problem):
            HesRule().apply(self.table, "n", national=national)

    def test_suppress_below_refuses_national_rows(self) -> None:
        with pytest.raises(ValueError, match="does not take national="):
            SuppressBelow(k=5).apply(self.table, "n", national="flag")


# ---------------------------------------------------------------------------------------
# SuppressBelow: known values
# ---------------------------------------------------------------------------------------


def published_rows(out: pd.DataFrame) -> list[list[object]]:
    return [[label, *row] for label, row in zip(out.index, out.to_numpy().tolist(), strict=True)]


class TestSuppressBelowKnownValues:
    def test_worked_table(self) -> None:
        # One small cell (2 < 5). Row North needs a second suppression: the smallest other
        # cell there is 10. Column "under 18" needs one: 8. Column "18 to 24" then has only
        # the 10 suppressed: add 9. Each suppressed cell now lies on a rectangle whose
        # other corners are suppressed; the audit finds under-18 North anywhere in 1..9.
        table = pd.DataFrame(
            {
                "area": ["North", "South", "West"],
                "under 18": [2, 8, 20],
                "18 to 24": [10, 9, 30],
                "25 and over": [12, 15, 40],
                "rate": [1.5, 2.5, 3.5],
            }
        ).set_index("area")
        out = SuppressBelow(k=5).apply(table, ["under 18", "18 to 24", "25 and over"])
        assert list(out.columns) == ["under 18", "18 to 24", "25 and over", "Total", "rate"]
        assert published_rows(out.drop(columns="rate")) == [
            ["North", "*", "*", "12", "24"],
            ["South", "*", "*", "15", "32"],
            ["West", "20", "30", "40", "90"],
            ["Total", "30", "49", "67", "146"],
        ]
        assert out["rate"].tolist()[:3] == [1.5, 2.5, 3.5]
        assert pd.isna(out.loc["Total", "rate"])
        assert out.index.name == "area"

    def test_two_suppressions_per_line_is_not_enough(self) -> None:
        # The four 1s (k=3) already give every row and column two suppressions, yet row
        # r1's total 7 minus the shown 5 leaves 2 for two cells, and a shown-as-* count is
        # at least 1 because zeros are shown: both are 1. The audit catches this; here no
        # smaller set of suppressions works, so every cell is hidden and only totals show.
        cells = np.array([[1, 1, 5], [1, 1, 5], [5, 5, 5]])
        heuristic_only = np.zeros((4, 4), dtype=bool)
        heuristic_only[:2, :2] = True
        low, high = feasible_ranges(bordered(cells), heuristic_only)
        assert low[0, 0] == high[0, 0] == 1

        out = SuppressBelow(k=3).apply(frame(cells), ["c0", "c1", "c2"])
        assert published_rows(out) == [
            ["r0", "*", "*", "*", "7"],
            ["r1", "*", "*", "*", "7"],
            ["r2", "*", "*", "*", "15"],
            ["Total", "7", "7", "15", "29"],
        ]

    def test_when_zeros_are_hidden_too_the_rectangle_suffices(self) -> None:
        cells = np.array([[1, 1, 5], [1, 1, 5], [5, 5, 5]])
        out = SuppressBelow(k=3, suppress_zero=True).apply(frame(cells), ["c0", "c1", "c2"])
        assert published_rows(out) == [
            ["r0", "*", "*", "5", "7"],
            ["r1", "*", "*", "5", "7"],
            ["r2", "5", "5", "5", "15"],
            ["Total", "7", "7", "15", "29"],
        ]

    def test_small_totals_are_suppressed(self) -> None:
        # Row r0 totals 3 and column c0 totals 3: both small, both hidden. The shown zeros
        # and the grand total would then give the 3 away (23 - 20), so 20 is hidden, which
        # hides its row and column totals in turn.
        cells = np.array([[3, 0], [0, 20]])
        out = SuppressBelow(k=5).apply(frame(cells), ["c0", "c1"])
        assert published_rows(out) == [
            ["r0", "*", "0", "*"],
            ["r1", "0", "*", "*"],
            ["Total", "*", "*", "23"],
        ]

    def test_one_count_column_gets_no_total_column(self) -> None:
        table = pd.DataFrame({"n": [3, 40, 50]}, index=["a", "b", "c"])
        out = SuppressBelow(k=5).apply(table, "n")
        assert published_rows(out) == [["a", "*"], ["b", "*"], ["c", "50"], ["Total", "93"]]

    def test_one_row_gets_no_total_row(self) -> None:
        table = pd.DataFrame({"a": [3], "b": [40], "c": [50]}, index=["only"])
        out = SuppressBelow(k=5).apply(table, ["a", "b", "c"])
        assert published_rows(out) == [["only", "*", "*", "50", "93"]]

    def test_primary_only(self) -> None:
        cells = np.array([[0, 3], [12, 9]])
        out = SuppressBelow(k=10, secondary=False).apply(frame(cells), ["c0", "c1"])
        assert published_rows(out) == [["r0", "0", "*"], ["r1", "12", "*"]]
        out = SuppressBelow(k=10, secondary=False, suppress_zero=True).apply(
            frame(cells), ["c0", "c1"]
        )
        assert published_rows(out) == [["r0", "*", "*"], ["r1", "12", "*"]]

    def test_no_small_counts_changes_nothing_but_the_text(self) -> None:
        cells = np.array([[10, 20], [30, 40]])
        out = SuppressBelow(k=10).apply(frame(cells), ["c0", "c1"])
        assert published_rows(out) == [
            ["r0", "10", "20", "30"],
            ["r1", "30", "40", "70"],
            ["Total", "40", "60", "100"],
        ]

    def test_total_row_keeps_exempt_columns_usable(self) -> None:
        table = pd.DataFrame(
            {
                "c0": [10, 20],
                "label": ["x", "y"],
                "c1": [30, 40],
                "population": [1000, 2000],
                "flag": [True, False],
                "rate": [1.0, 2.0],
            }
        )
        before = table.copy(deep=True)
        out = SuppressBelow(k=5, total_label="All").apply(table, ["c0", "c1"])
        pd.testing.assert_frame_equal(table, before)
        assert list(out.columns) == ["c0", "label", "c1", "All", "population", "flag", "rate"]
        assert out.index.tolist() == [0, 1, "All"]
        assert str(out["population"].dtype) == "Int64"
        assert str(out["flag"].dtype) == "boolean"
        assert out["population"].tolist()[:2] == [1000, 2000]
        assert out["label"].tolist()[:2] == ["x", "y"]
        assert out.loc["All"].drop(["c0", "c1", "All"]).isna().all()
        for column in ["c0", "c1", "All"]:
            assert str(out[column].dtype) == "string"

    def test_multiindex_rows(self) -> None:
        index = pd.MultiIndex.from_tuples([("N", "a"), ("N", "b"), ("S", "c")], names=["r", "d"])
        table = pd.DataFrame({"c0": [1, 20, 30], "c1": [20, 30, 40]}, index=index)
        out = SuppressBelow(k=5).apply(table, ["c0", "c1"])
        assert out.index[-1] == ("Total", "")
        assert out.index.names == ["r", "d"]

    def test_total_label_clashes(self) -> None:
        table = pd.DataFrame({"c0": [1, 20], "Total": [20, 30]})
        with pytest.raises(ValueError, match="already has a column 'Total'"):
            SuppressBelow(k=5).apply(table, ["c0", "Total"])
        table = pd.DataFrame({"c0": [1, 20], "c1": [20, 30]}, index=["a", "Total"])
        with pytest.raises(ValueError, match="already has a row 'Total'"):
            SuppressBelow(k=5).apply(table, ["c0", "c1"])

    @pytest.mark.parametrize(
        ("kwargs", "problem"),
        [
            ({"k": 1}, "k must be"),
            ({"k": True}, "k must be"),
            ({"k": 4.5}, "k must be"),
            ({"k": 5, "protection": 0}, "protection must be"),
            ({"k": 5, "symbol": " "}, "symbol"),
        ],
    )
    def test_bad_parameters(self, kwargs: dict[str, object], problem: str) -> None:
        with pytest.raises(ValueError, match=problem):
            SuppressBelow(**kwargs)


# ---------------------------------------------------------------------------------------
# SuppressBelow: the guarantee, checked by independent oracles
# ---------------------------------------------------------------------------------------


def check_guarantee(cells: NDArray[np.int64], policy: SuppressBelow) -> pd.DataFrame:
    table = frame(cells)
    before = table.copy(deep=True)
    out = policy.apply(table, list(table.columns))
    pd.testing.assert_frame_equal(table, before)
    n, m = cells.shape
    pub = assert_published_faithfully(out, cells, policy)
    for name, low, high in oracle_ranges(pub, n, m, zeros_shown=not policy.suppress_zero):
        assert high - low >= policy.protection, f"{name} narrowed to [{low}, {high}]"
    return out


@settings(max_examples=40, deadline=None)
@given(
    two_way_tables(),
    st.integers(3, 10),
    st.booleans(),
)
def test_no_suppressed_entry_can_be_recovered(
    cells: NDArray[np.int64], k: int, suppress_zero: bool
) -> None:
    check_guarantee(cells, SuppressBelow(k=k, suppress_zero=suppress_zero))


@settings(max_examples=15, deadline=None)
@given(two_way_tables(rows=(2, 4), cols=(2, 4)), st.integers(2, 4))
def test_wider_protection_is_met(cells: NDArray[np.int64], protection: int) -> None:
    check_guarantee(cells, SuppressBelow(k=5, protection=protection))


@settings(max_examples=20, deadline=None)
@given(
    st.one_of(two_way_tables(rows=(1, 1), cols=(1, 6)), two_way_tables(rows=(1, 6), cols=(1, 1))),
    st.booleans(),
)
def test_one_way_tables(cells: NDArray[np.int64], suppress_zero: bool) -> None:
    out = check_guarantee(cells, SuppressBelow(k=5, suppress_zero=suppress_zero))
    n, m = cells.shape
    assert out.shape[0] == n + (n > 1)
    assert ("Total" in out.columns) == (m > 1)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.one_of(st.integers(0, 6), st.integers(6, 9)), min_size=4, max_size=4),
    st.integers(3, 6),
    st.booleans(),
)
def test_brute_force_on_two_by_two(values: list[int], k: int, suppress_zero: bool) -> None:
    """Enumerate every integer completion: each suppressed entry takes two or more values."""
    cells = np.array(values, dtype=np.int64).reshape(2, 2)
    policy = SuppressBelow(k=k, suppress_zero=suppress_zero)
    out = policy.apply(frame(cells), ["c0", "c1"])
    pub = assert_published_faithfully(out, cells, policy)
    lowest = 0 if suppress_zero else 1
    bound = int(cells.sum()) + 3  # room for a completion above the truth
    domains = [
        np.arange(lowest, bound + 1) if pub.cells[i][j] is None else np.array([pub.cells[i][j]])
        for i, j in itertools.product(range(2), range(2))
    ]
    seen: dict[str, set[int]] = {}
    for a in domains[0]:  # one slice at a time keeps the arrays small
        grid = np.meshgrid(*domains[1:], indexing="ij")
        b, c, d = (g.ravel() for g in grid)
        entries = _entries(pub, [a + 0 * b, b, c, d])
        ok = np.ones(b.shape, dtype=bool)
        for _, shown, value in entries:
            # a completion must match every published figure, and a suppressed total is
            # at least the least value a suppressed entry can take
            ok &= (value == shown) if shown is not None else (value >= lowest)
        for key, shown, value in entries:
            if shown is None:
                seen.setdefault(key, set()).update(np.unique(value[ok]).tolist())
    truth = [np.array([v]) for v in cells.ravel()]
    for key, shown, value in _entries(pub, truth):
        if shown is None:
            assert int(value[0]) in seen[key], f"{key}: the true table is not a completion"
            assert len(seen[key]) >= 2, f"{key} can only be {int(value[0])}"


def _entries(
    pub: Published, cells: list[NDArray[np.int64]]
) -> list[tuple[str, int | None, NDArray[np.int64]]]:
    """(name, published value or None, values in the completions) for every 2 x 2 entry."""
    assert pub.row_totals is not None and pub.col_totals is not None
    a, b, c, d = cells
    return [
        ("cell 0,0", pub.cells[0][0], a),
        ("cell 0,1", pub.cells[0][1], b),
        ("cell 1,0", pub.cells[1][0], c),
        ("cell 1,1", pub.cells[1][1], d),
        ("row total 0", pub.row_totals[0], a + b),
        ("row total 1", pub.row_totals[1], c + d),
        ("column total 0", pub.col_totals[0], a + c),
        ("column total 1", pub.col_totals[1], b + d),
        ("grand total", pub.grand, a + b + c + d),
    ]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(two_way_tables(rows=(2, 8), cols=(2, 8)), st.integers(3, 10), st.booleans())
def test_no_suppressed_entry_can_be_recovered_many_tables(
    cells: NDArray[np.int64], k: int, suppress_zero: bool
) -> None:
    check_guarantee(cells, SuppressBelow(k=k, suppress_zero=suppress_zero))


# ---------------------------------------------------------------------------------------
# The audit module directly
# ---------------------------------------------------------------------------------------


class TestAudit:
    def test_bordered(self) -> None:
        assert bordered([[1, 2, 3]]).tolist() == [[1, 2, 3, 6], [1, 2, 3, 6]]
        with pytest.raises(ValueError, match="two-dimensional"):
            bordered([1, 2])

    def test_feasible_ranges_without_the_zero_bound(self) -> None:
        table = bordered([[1, 1, 5], [1, 1, 5], [5, 5, 5]])
        suppressed = np.zeros((4, 4), dtype=bool)
        suppressed[:2, :2] = True
        low, high = feasible_ranges(table, suppressed, zeros_published=False)
        assert (low[0, 0], high[0, 0]) == (0, 2)
        assert np.isnan(low[2, 2])

    def test_unbounded_when_every_total_is_hidden(self) -> None:
        table = bordered([[4, 0], [0, 9]])
        low, high = feasible_ranges(table, table > 0)  # every non-zero entry hidden
        assert low[0, 0] == 1 and high[0, 0] == np.inf

    @pytest.mark.parametrize(
        ("values", "suppressed", "problem"),
        [
            ([[1, 2]], [[True, False]], "at least 2 x 2"),
            ([[1, 1], [1, 2]], [[True, False], [False, False]], "do not add up"),
            ([[1, 1], [1, 1]], [[True, False]], "suppressed has shape"),
            ([[0, 0], [0, 0]], [[True, False], [False, False]], "a zero is suppressed"),
            ([[-1, -1], [-1, -1]], [[True, False], [False, False]], "negative"),
        ],
    )
    def test_bad_tables(self, values: object, suppressed: object, problem: str) -> None:
        with pytest.raises(ValueError, match=problem):
            feasible_ranges(values, suppressed)

    def test_bad_protection(self) -> None:
        table = bordered([[1, 2], [3, 4]])
        with pytest.raises(ValueError, match="protection"):
            secondary_suppression(table, table < 0, protection=0)

    def test_primary_is_not_modified(self) -> None:
        table = bordered([[1, 20], [30, 40]])
        primary = (table > 0) & (table < 5)
        before = primary.copy()
        result = secondary_suppression(table, primary)
        assert np.array_equal(primary, before)
        assert result.sum() == 4
