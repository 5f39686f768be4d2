"""What a finding of the problem profile is, and the shapes most findings take.

A :class:`Finding` is one figure of the Strategic Needs Assessment with everything a
reader needs to trust it: the value and its 95% limits, the unit, what it is compared
with and whether the difference is significant, the definition and method, the period,
area and denominator, the table behind it and a sentence generated from those numbers.
A finding function raises :class:`NotComputed` with a plain reason when the loaded data
cannot support it.

:func:`share` and :func:`ratio_of_rates` build the two commonest shapes from counts with
the project's interval methods (:mod:`vrn.analytics.stats`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.stats import rate_ratio, wilson_interval

#: Units a finding's value can have.
PROPORTION = "proportion"
RATIO = "rate ratio"
HOUR = "hour of the day"
PERCENT_CHANGE = "percentage change"
DAYS = "days"
#: The method of a share of independent rows.
WILSON = "Wilson score interval"
#: The method of a crude rate's limits (vrn.analytics.stats.rate).
RATE_INTERVALS = "exact Poisson interval below 10 events, Byar's from 10"


class NotComputed(Exception):
    """The loaded data cannot support a finding; the message says why, plainly."""


@dataclass(frozen=True, eq=False)
class Finding:
    """One figure of the problem profile. ``lower``/``upper`` are 95% limits (None where
    the value has none); ``data`` is the table behind it, whose ``counts`` columns are
    counts to put through disclosure control before publication."""

    id: str
    title: str
    topic: str
    value: Any
    lower: float | None
    upper: float | None
    unit: str
    sentence: str
    definition: str
    method: str
    period: str
    area: str
    numerator: float | None = None
    denominator: float | None = None
    denominator_label: str = ""
    comparator: str | None = None
    comparator_value: float | None = None
    significance: str | None = None
    p_value: float | None = None
    definitions: tuple[str, ...] = ()
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: The same finding for another area, when a comparison was asked for
    #: (:func:`vrn.analytics.findings.compare.compare`).
    comparison: dict[str, Any] | None = None
    #: Whether ``value`` is itself a count of events (published through the policy).
    value_is_count: bool = False
    #: The comparison in the words of the field's tool, where it has them (Fingertips:
    #: "Better", "Worse", "Similar", "Higher", "Lower", "Not compared").
    comparison_label: str | None = None

    def with_context(self, **changes: Any) -> Finding:
        """A copy with some fields changed (e.g. the area and period)."""
        return replace(self, **changes)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within the finding's limits."""
        if self.lower is None or self.upper is None:
            return bool(self.value == value)
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class Estimate:
    """A value with its limits and, for a comparison, its significance."""

    value: float | None
    lower: float | None
    upper: float | None
    significance: str | None = None
    p_value: float | None = None


def number(value: float | None) -> float | None:
    """A float, or None for a missing or infinite value."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def share(x: float, n: float, *, design_effect: float = 1.0, confidence: float = 0.95) -> Estimate:
    """The proportion ``x / n`` with Wilson limits.

    ``design_effect`` (at least 1) widens the limits for rows that are not independent
    (rows of the same person): the Wilson interval of the same proportion on the effective
    sample size ``n / design_effect`` (Kish 1965; Korn and Graubard 1998)."""
    if n <= 0:
        raise NotComputed("there are no events to take a share of")
    effect = max(float(design_effect), 1.0)
    lower, upper = wilson_interval(x / effect, n / effect, confidence)
    return Estimate(x / n, float(lower), float(upper))


def ratio_of_rates(
    x1: float, n1: float, x2: float, n2: float, *, nested: bool = False, confidence: float = 0.95
) -> Estimate:
    """The rate ratio ``(x1/n1) / (x2/n2)`` with exact limits and its significance.

    Independent counts use the exact conditional method of
    :func:`vrn.analytics.stats.rate_ratio`. With ``nested`` the first group is part of the
    second (a subgroup against everyone): given ``x2`` events, ``x1`` is binomial, so the
    Wilson limits of ``x1 / x2`` times ``n2 / n1`` give the limits."""
    if n1 <= 0 or n2 <= 0:
        raise NotComputed("a group has no population at risk")
    if x1 + x2 <= 0:
        raise NotComputed("there are no events in either group")
    if nested:
        if x2 <= 0:
            raise NotComputed("there are no events")
        scale = n2 / n1
        lower, upper = wilson_interval(x1, x2, confidence)
        estimate = Estimate(x1 / x2 * scale, float(lower) * scale, float(upper) * scale)
    else:
        table = rate_ratio(x1, n1, x2, n2, confidence=confidence)
        estimate = Estimate(
            number(table["value"].iloc[0]),
            number(table["lowercl"].iloc[0]),
            number(table["uppercl"].iloc[0]),
        )
    return replace(estimate, significance=significance_of(estimate, 1.0))


def significance_of(estimate: Estimate, null: float) -> str:
    """``"higher"``, ``"lower"`` or ``"not significant"``: where the limits lie against
    the value of no difference."""
    if estimate.lower is not None and estimate.lower > null:
        return "higher"
    if estimate.upper is not None and estimate.upper < null:
        return "lower"
    return "not significant"


def design_effect(appearances: Sequence[int] | np.ndarray | pd.Series) -> float:
    """The design effect of rows clustered in people who appear ``appearances`` times each:
    ``sum(m^2) / sum(m)``, the variance inflation of a proportion whose rows within a
    person all have the same value (the worst case; at least 1)."""
    sizes = np.asarray(appearances, dtype=float)
    if sizes.size == 0 or sizes.sum() <= 0:
        return 1.0
    return max(float((sizes**2).sum() / sizes.sum()), 1.0)


def percent(value: float | None, decimals: int = 0) -> str:
    """``0.5812`` as ``"58%"``."""
    if value is None:
        return "not known"
    return f"{100 * value:.{decimals}f}%"


def times(value: float | None) -> str:
    """A ratio in words: ``1.93`` as ``"1.9 times"``."""
    if value is None:
        return "not known"
    return f"{value:.1f} times" if value < 10 else f"{value:.0f} times"


def interval_text(estimate: Estimate, render: Any = None) -> str:
    """``"(95% CI 55% to 61%)"`` for a share (``render=percent``) or a ratio."""
    show = render or (lambda v: f"{v:.2f}")
    if estimate.lower is None or estimate.upper is None:
        return ""
    return f"(95% CI {show(estimate.lower)} to {show(estimate.upper)})"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready rows (missing and infinite numbers as None)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({str(key): _plain(value) for key, value in row.items()})
    return out


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value
