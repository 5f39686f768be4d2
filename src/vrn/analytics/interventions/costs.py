"""Costs: funding per participant started and per participant with an outcome.

``cost_per_started = funding / started``. ``cost_per_outcome = funding / (started * p)``,
where ``p`` is the outcome proportion of :func:`outcome_rates` (``with_outcome /
participants``); with the "started" denominator ``started * p`` is simply the number with
the outcome. Funding and starts are treated as fixed and the outcome proportion as the
uncertain quantity: the limits of the cost per outcome are ``funding / (started *
p_upper)`` and ``funding / (started * p_lower)`` from the Wilson limits of ``p``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import (
    PROGRAMME_COLUMNS,
    Kind,
    add_note,
    check_frame,
    confidence_label,
    wilson,
)
from vrn.analytics.stats._checks import confidence_level

#: The result columns after ``programme`` (absent for the network), in order.
COLUMNS = (
    "provider",
    "funding",
    "capacity",
    "period_start",
    "period_end",
    "started",
    "started_per_place",
    "cost_per_started",
    "kind",
    "outcome_denominator",
    "outcome_participants",
    "with_outcome",
    "outcome_proportion",
    "outcome_proportion_lowercl",
    "outcome_proportion_uppercl",
    "expected_with_outcome",
    "cost_per_outcome",
    "cost_per_outcome_lowercl",
    "cost_per_outcome_uppercl",
    "confidence",
    "note",
)

_JOURNEY: dict[str, Kind] = {"programme": "text", "started": "number"}
_OUTCOMES: dict[str, Kind] = {
    "programme": "text",
    "kind": "text",
    "participants": "number",
    "with_outcome": "number",
    "denominator": "text",
}


def costs(
    programmes: pd.DataFrame,
    journey: pd.DataFrame,
    outcome_counts: pd.DataFrame | None = None,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Cost per participant started and per participant with an outcome, by programme.

    Parameters
    ----------
    programmes : pandas.DataFrame
        ``programme``, ``provider``, ``funding`` (£ for the period), ``capacity`` (places,
        or NaN), ``period_start``, ``period_end``. A programme on several rows (several
        providers or funding lines) has its funding and capacity summed.
    journey : pandas.DataFrame
        :func:`journey_counts` for the same period: by ``("programme",)``, or ``by=()``
        for one network row (funding then summed over every programme).
    outcome_counts : pandas.DataFrame, optional
        :func:`outcome_rates` with the same ``by``: ``kind``, ``participants``,
        ``with_outcome`` (and ``denominator``). Without it only cost per started is given.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per programme and outcome kind (one per programme, ``kind`` None, without
        outcome counts): ``programme`` (by programme only), then :data:`COLUMNS`.
        ``started_per_place`` is ``started / capacity``. Costs are NaN with a ``note`` when
        there is no funding, no one started or no one had the outcome.

    Examples
    --------
    >>> programmes = pd.DataFrame({
    ...     "programme": ["mentoring"], "provider": ["Youth Trust"], "funding": [50_000.0],
    ...     "capacity": [40], "period_start": pd.Timestamp("2024-04-01"),
    ...     "period_end": pd.Timestamp("2025-03-31"),
    ... })
    >>> journey = pd.DataFrame({"programme": ["mentoring"], "started": [25]})
    >>> outcomes = pd.DataFrame({"programme": ["mentoring"], "kind": ["education"],
    ...                          "participants": [25], "with_outcome": [10]})
    >>> table = costs(programmes, journey, outcomes)
    >>> table[["cost_per_started", "cost_per_outcome"]]
       cost_per_started  cost_per_outcome
    0            2000.0            5000.0
    """
    level = confidence_level(confidence)
    funded = check_frame(programmes, "programmes", PROGRAMME_COLUMNS)
    for column in ("funding", "capacity"):
        if (funded[column] < 0).any() or np.isinf(funded[column]).any():
            raise ValueError(f"programmes: column {column!r} must be zero or more and finite")
    by_programme = isinstance(journey, pd.DataFrame) and "programme" in journey.columns
    keys = ["programme"] if by_programme else []
    required = ("programme", "started") if by_programme else ("started",)
    starts = check_frame(journey, "journey", _JOURNEY, required=required)
    table = _funding(funded, keys).merge(
        starts[[*keys, "started"]].groupby(keys).sum().reset_index()
        if keys
        else pd.DataFrame({"started": [starts["started"].sum()]}),
        how="outer" if keys else "cross",
        on=keys or None,
    )
    table["started"] = table["started"].fillna(0.0).astype(np.int64)
    funding = table["funding"].to_numpy(np.float64)
    started = table["started"].to_numpy(np.float64)
    capacity = table["capacity"].to_numpy(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["started_per_place"] = np.where(capacity > 0, started / capacity, np.nan)
        table["cost_per_started"] = np.where(started > 0, funding / started, np.nan)
    table = _with_outcomes(table, outcome_counts, keys)
    _outcome_costs(table, level)
    table["confidence"] = confidence_label(level)
    add_note(table, np.isnan(_funding_values(table)), "no funding recorded")
    add_note(table, table["started"].to_numpy(np.float64) == 0, "no one started")
    return table[[*keys, *COLUMNS]].reset_index(drop=True)


def _funding_values(table: pd.DataFrame) -> np.ndarray:
    """The ``funding`` column as floats."""
    return np.asarray(table["funding"].to_numpy(np.float64), dtype=np.float64)


def _funding(funded: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Funding, capacity, providers and period, one row per programme (or one in all)."""
    if keys:
        grouped = funded.groupby("programme", sort=True)
    else:
        grouped = funded.assign(_all=0).groupby("_all")
    table = grouped.agg(
        provider=("provider", lambda values: ", ".join(sorted(set(values) - {""}))),
        funding=("funding", lambda values: values.sum(min_count=1)),
        capacity=("capacity", lambda values: values.sum(min_count=1)),
        period_start=("period_start", "min"),
        period_end=("period_end", "max"),
    )
    if keys:
        return table.reset_index()
    if table.empty:
        return pd.DataFrame(
            {
                "provider": [""],
                "funding": [np.nan],
                "capacity": [np.nan],
                "period_start": [pd.NaT],
                "period_end": [pd.NaT],
            }
        )
    return table.reset_index(drop=True)


def _with_outcomes(
    table: pd.DataFrame, outcome_counts: pd.DataFrame | None, keys: list[str]
) -> pd.DataFrame:
    """One row per programme and outcome kind, with the outcome counts."""
    columns = ("kind", "outcome_denominator", "outcome_participants", "with_outcome")
    if outcome_counts is None:
        return table.assign(**{name: None for name in columns})
    if not keys and isinstance(outcome_counts, pd.DataFrame) and "programme" in outcome_counts:
        raise ValueError(
            "outcome_counts: has a 'programme' column but journey is for the whole network; "
            "give both by programme or both for the network"
        )
    required = (*keys, "kind", "participants", "with_outcome")
    counts = check_frame(outcome_counts, "outcome_counts", _OUTCOMES, required=required)
    if "denominator" not in counts.columns:
        counts["denominator"] = ""
    counts = counts.rename(
        columns={"participants": "outcome_participants", "denominator": "outcome_denominator"}
    )[[*keys, *columns]]
    if counts.empty:
        return table.assign(**{name: None for name in columns})
    if keys:
        kinds = pd.DataFrame({"kind": pd.unique(counts["kind"])})
        grid = table.merge(kinds, how="cross")
        return grid.merge(counts, on=[*keys, "kind"], how="left")
    return table.merge(counts, how="cross")


def _outcome_costs(table: pd.DataFrame, level: float) -> None:
    """Add the outcome proportion, expected outcomes and cost per outcome, in place."""
    counts = pd.to_numeric(table["with_outcome"], errors="coerce").to_numpy(np.float64)
    sizes = pd.to_numeric(table["outcome_participants"], errors="coerce").to_numpy(np.float64)
    known = ~np.isnan(counts) & ~np.isnan(sizes)
    share = np.full(len(table), np.nan)
    lower, upper = share.copy(), share.copy()
    if known.any():
        share[known], lower[known], upper[known] = wilson(counts[known], sizes[known], level)
    table["outcome_proportion"] = share
    table["outcome_proportion_lowercl"] = lower
    table["outcome_proportion_uppercl"] = upper
    funding = _funding_values(table)
    started = table["started"].to_numpy(np.float64)
    expected = started * share
    table["expected_with_outcome"] = expected
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = expected > 0
        table["cost_per_outcome"] = np.where(usable, funding / expected, np.nan)
        table["cost_per_outcome_lowercl"] = np.where(usable, funding / (started * upper), np.nan)
        table["cost_per_outcome_uppercl"] = np.where(
            usable, np.where(lower > 0, funding / (started * lower), np.inf), np.nan
        )
    has_kind = table["kind"].notna().to_numpy(bool)
    add_note(table, has_kind & ~known, "no outcome counts for this programme")
    add_note(
        table,
        has_kind & known & (counts == 0) & (sizes > 0),
        "no one had the outcome: no cost per outcome",
    )
    add_note(
        table,
        has_kind & known & (sizes == 0) & (started > 0),
        "no one in the outcome denominator: no cost per outcome",
    )
