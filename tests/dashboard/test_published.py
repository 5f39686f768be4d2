"""Figures as each audience sees them: exact when signed in; through the HES rule in
public, where a share or rate is shown only beside a count that is published; and CSV rows
that carry the measure, period, definitions and policy on every row."""

from __future__ import annotations

import csv
import io

from vrn.analytics.explore import Query, explore
from vrn.analytics.stats import DEFAULT_POLICY
from vrn.analytics.stats.disclosure import HesRule
from vrn.dashboard.published import Audience, csv_rows, rows

from ..analytics.test_explore import SV, events

__all__ = ["events"]

EXACT = Audience(None)
PUBLIC = Audience(DEFAULT_POLICY)


def test_counts_are_exact_or_published_under_the_rule() -> None:
    values = [0, 1, 7, 8, 12, 13, 1234]
    assert EXACT.counts(values) == ["0", "1", "7", "8", "12", "13", "1,234"]
    assert PUBLIC.counts(values) == ["0", "*", "*", "10", "10", "15", "1,235"]
    assert PUBLIC.released(values) == [True, False, False, True, True, True, True]
    assert Audience(HesRule(high=9, base=10)).counts([9, 14]) == ["*", "10"]


def test_public_rows_hide_what_a_small_count_would_give_away(events: object) -> None:
    result = explore(events, Query(SV, by=("ward",)))  # type: ignore[arg-type]
    exact = {row.keys[0]: row for row in rows(result, EXACT)}
    public = {row.keys[0]: row for row in rows(result, PUBLIC)}
    assert exact["W1"].count == "2" and exact["W1"].rate_text == "1.00"
    assert exact["W1"].share == "100.0%"
    assert public["W1"].count == "*"
    assert (public["W1"].share, public["W1"].rate, public["W1"].rate_text) == ("", None, "")
    assert public["W2"].count == "0" and public["W2"].rate_text == "0.00"


def test_a_csv_explains_itself_on_every_row(events: object) -> None:
    result = explore(events, Query(SV, by=("victim_sex",)))  # type: ignore[arg-type]
    lines = list(csv.reader(io.StringIO(_text(csv_rows(result, PUBLIC, "Weapon: none")))))
    header, body = lines[0], lines[1:]
    assert header[:5] == ["measure", "unit", "area", "period", "filters"]
    assert header[-2:] == ["definitions", "disclosure_policy"]
    assert len(body) == 2
    for row in body:
        record = dict(zip(header, row, strict=True))
        assert record["measure"] == "Serious violence"
        assert record["period"] == "2024-01 to 2024-12"
        assert record["filters"] == "Weapon: none"
        assert record["definitions"].startswith("serious-violence@")
        assert record["disclosure_policy"] == DEFAULT_POLICY.description
        assert record["count"] == "*" and record["share"] == ""
    exact = list(csv.reader(io.StringIO(_text(csv_rows(result, EXACT, "")))))
    assert [row[exact[0].index("count")] for row in exact[1:]] == ["1", "2"]
    assert {row[exact[0].index("filters")] for row in exact[1:]} == {"none"}


def test_a_total_without_a_breakdown_is_one_row(events: object) -> None:
    result = explore(events, Query(SV))  # type: ignore[arg-type]
    lines = csv_rows(result, EXACT, "")
    assert len(lines) == 2
    record = dict(zip(lines[0], lines[1], strict=True))
    assert record["count"] == "2" and float(str(record["rate"])) == 0.5


def _text(lines: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    return out.getvalue()
