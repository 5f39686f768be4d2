"""Figures as a page or a CSV shows them: exact for signed-in users with the dashboard
permission, through the disclosure policy for everyone else.

The public policy (the NHS HES rule unless configured otherwise) applies to every count:
1-7 are shown as ``*``, others rounded to the nearest 5. A share or rate is published only
beside a count that is (a rate of a suppressed count would give it away); it is computed
from the unrounded count, as the rule expects. Pure: no Django, no queries.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from vrn.analytics.explore import RATE_UNIT, Explored
from vrn.analytics.stats import DisclosurePolicy


@dataclass(frozen=True)
class Audience:
    """Who the figures are for: ``policy`` None means exact counts (signed-in users with
    the dashboard permission); otherwise every count goes through it."""

    policy: DisclosurePolicy | None

    @property
    def public(self) -> bool:
        return self.policy is not None

    def counts(self, values: Sequence[int]) -> list[str]:
        """Counts as text: exact with thousands separators, or as the policy publishes."""
        numbers = [int(v) for v in values]
        if self.policy is None:
            return [f"{n:,}" for n in numbers]
        if not numbers:
            return []
        shown = self.policy.apply(pd.DataFrame({"count": numbers}), "count")["count"]
        return [f"{int(t):,}" if str(t).isdigit() else str(t) for t in shown]

    def count(self, value: int) -> str:
        return self.counts([value])[0]

    def released(self, values: Sequence[int]) -> list[bool]:
        """Whether a figure derived from each count may be shown beside it."""
        return [text.replace(",", "").isdigit() for text in self.counts(values)]


def number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.{decimals}f}"


def percent(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{100 * value:.1f}%"


@dataclass(frozen=True)
class Row:
    """One row of a breakdown as shown: its labels and keys, the count as published, and
    the share and rate with their limits where they may be shown."""

    keys: tuple[str, ...]
    labels: tuple[str, ...]
    count: str
    count_value: int | None  # the exact count when it may be shown, else None
    share: str
    share_limits: str
    rate: float | None
    rate_text: str
    rate_limits: str
    rate_lower: float | None
    rate_upper: float | None


def rows(explored: Explored, audience: Audience) -> list[Row]:
    """The breakdown's rows as ``audience`` may see them."""
    table = explored.table
    if table.empty:
        return []
    by = explored.query.by
    counts = [int(c) for c in table["count"]]
    shown = audience.counts(counts)
    released = audience.released(counts)
    result = []
    for index, record in enumerate(table.to_dict("records")):
        ok = released[index]
        rate = _float(record.get("rate")) if ok else None
        lower = _float(record.get("rate_lower")) if ok else None
        upper = _float(record.get("rate_upper")) if ok else None
        result.append(
            Row(
                keys=tuple(str(record[name]) for name in by),
                labels=tuple(str(record[f"{name}_label"]) for name in by),
                count=shown[index],
                count_value=counts[index] if audience.policy is None else None,
                share=percent(_float(record.get("share"))) if ok else "",
                share_limits=_limits(record.get("share_lower"), record.get("share_upper"), True)
                if ok
                else "",
                rate=rate,
                rate_text=number(rate, 2),
                rate_limits=_limits(lower, upper, False),
                rate_lower=lower,
                rate_upper=upper,
            )
        )
    return result


def csv_rows(explored: Explored, audience: Audience, filters_text: str) -> list[list[object]]:
    """The breakdown (or the total, without one) as CSV rows, a header first: what is
    counted, where, when, by which definitions and under which disclosure policy, on
    every row, so that the file explains itself wherever it is copied."""
    by = explored.query.by
    header: list[object] = ["measure", "unit", "area", "period", "filters"]
    header += [f"{name}_code" for name in by] + list(by)
    header += ["count", "share", "share_lower", "share_upper"]
    header += ["rate", "rate_lower", "rate_upper", "rate_unit"]
    header += ["definitions", "disclosure_policy"]
    policy = audience.policy.description if audience.policy else "exact counts (not published)"
    fixed: list[object] = [
        explored.measure.label,
        explored.unit,
        explored.area_name,
        str(explored.period),
        filters_text or "none",
    ]
    tail: list[object] = [" ".join(explored.measure.definitions), policy]
    lines: list[list[object]] = [header]
    if not by:
        total = audience.count(explored.total)
        ok = audience.released([explored.total])[0]
        rate = explored.total_rate if ok else None
        lines.append(
            [
                *fixed,
                total.replace(",", ""),
                "",
                "",
                "",
                *(_csv_number(v) for v in (rate or (None, None, None))),
                RATE_UNIT if rate else "",
                *tail,
            ]
        )
        return lines
    for row, record in zip(
        rows(explored, audience), explored.table.to_dict("records"), strict=True
    ):
        ok = row.share != ""
        lines.append(
            [
                *fixed,
                *row.keys,
                *row.labels,
                row.count.replace(",", ""),
                *(
                    _csv_number(record.get(c)) if ok else ""
                    for c in ("share", "share_lower", "share_upper")
                ),
                _csv_number(row.rate),
                _csv_number(row.rate_lower),
                _csv_number(row.rate_upper),
                RATE_UNIT if row.rate is not None else "",
                *tail,
            ]
        )
    return lines


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number_) else number_


def _limits(lower: Any, upper: Any, as_percent: bool) -> str:
    low, high = _float(lower), _float(upper)
    if low is None or high is None:
        return ""
    if as_percent:
        return f"{percent(low)} to {percent(high)}"
    return f"{number(low, 2)} to {number(high, 2)}"


def _csv_number(value: Any) -> str:
    number_ = _float(value)
    return "" if number_ is None else f"{number_:.6g}"
