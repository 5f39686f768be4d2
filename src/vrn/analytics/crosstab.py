"""Cross-tabulation of events by the five analysis variables of the problem profile.

The force's analysis tool slices violence by the nature of the incident, the perpetrator,
the victim, the time and the location. :func:`crosstab` does that for any table of events
(one row per crime, per person involved, per attendance ...) and any combination of its
columns: counts, each slice's share of the events with Wilson limits, and, given the
population at risk, rates per 1,000 residents with exact Poisson / Byar's limits. The
intervals are those of :mod:`vrn.analytics.stats` (no second implementation).

:data:`ANALYSIS_VARIABLES` names the columns the data layer provides under each of the
five variables, so that a caller can ask for "the victim" and get its dimensions. Pure
pandas: the data layer fetches the frames and derives the columns (age bands from the
definitions, weekday and hour from times, areas from the reference geography).

>>> events = pd.DataFrame({"sex": ["male", "male", "female"], "public_place": [1, 0, 1]})
>>> table = crosstab(events, ["sex"])
>>> table[["sex", "count", "share"]].round(3).to_dict("records")
[{'sex': 'female', 'count': 1, 'share': 0.333}, {'sex': 'male', 'count': 2, 'share': 0.667}]
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vrn.analytics.stats import proportion, rate

#: The dimensions the data layer provides, under the analysis variable each belongs to.
ANALYSIS_VARIABLES: Mapping[str, tuple[str, ...]] = {
    "nature": ("crime_group", "offence", "weapon", "domestic", "public_place", "injury"),
    "perpetrator": ("suspect_age_band", "suspect_sex", "suspect_residence"),
    "victim": ("victim_age_band", "victim_sex", "victim_residence"),
    "time": ("month", "weekday", "hour"),
    "location": ("lsoa", "ward", "local_authority", "csp", "imd_decile"),
}


@dataclass(frozen=True)
class Rates:
    """The population at risk for rates: ``frame`` holds ``column`` (residents) for each
    combination of ``keys`` (a subset of the cross-tabulation's dimensions, e.g. the
    local authority, or age band and sex), and rates are per ``per`` residents."""

    frame: pd.DataFrame
    keys: tuple[str, ...]
    column: str = "population"
    per: float = 1_000


def variable_of(dimension: str) -> str | None:
    """The analysis variable a dimension belongs to ("victim" for ``victim_sex``)."""
    for variable, dimensions in ANALYSIS_VARIABLES.items():
        if dimension in dimensions:
            return variable
    return None


def crosstab(
    events: pd.DataFrame,
    by: Sequence[str],
    *,
    where: pd.Series | None = None,
    share_within: Sequence[str] = (),
    population: Rates | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Events counted by every combination of the ``by`` columns.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event. A categorical column gives a row for each of its categories,
        zero counts included (e.g. all 24 hours); other columns give the values present.
        A missing value is a category of its own (shown as missing), never dropped.
    by : column names
        The dimensions to slice by (any combination of the five variables).
    where : boolean Series aligned with ``events``, optional
        Only the events where it is true (e.g. under-25 victims in public places).
    share_within : column names, optional
        Shares are of the events in the same combination of these columns (a subset of
        ``by``); by default, of all the events counted.
    population : Rates, optional
        Adds ``population``, ``rate`` and its limits; combinations without a population
        (or with none at risk) get no rate.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``count``, ``share`` with ``share_lower`` and ``share_upper``
        (Wilson), and with ``population``: ``population``, ``rate``, ``rate_lower``,
        ``rate_upper`` and ``rate_method`` (``Exact`` below 10 events, else ``Byars``).
    """
    by = list(by)
    _check(events, by, where, share_within, population)
    chosen = events if where is None else events[where.reindex(events.index, fill_value=False)]
    counts = (
        chosen.groupby(by, observed=False, dropna=False, sort=True)
        .size()
        .rename("count")
        .reset_index()
    )
    within = list(share_within)
    totals = (
        counts.groupby(within, observed=False, dropna=False)["count"].transform("sum")
        if within
        else pd.Series(counts["count"].sum(), index=counts.index)
    )
    counts["count"] = counts["count"].astype(np.int64)
    shares = _shares(counts["count"], totals, confidence)
    table = pd.concat([counts, shares], axis=1)
    if population is not None:
        table = _with_rates(table, population, confidence)
    return table


def _check(
    events: pd.DataFrame,
    by: list[str],
    where: pd.Series | None,
    share_within: Sequence[str],
    population: Rates | None,
) -> None:
    if not by:
        raise ValueError("by: give at least one column to slice by")
    missing = [column for column in by if column not in events.columns]
    if missing:
        raise ValueError(
            f"by: {', '.join(map(repr, missing))} not in the events (columns are "
            f"{', '.join(map(str, events.columns))})"
        )
    outside = [column for column in share_within if column not in by]
    if outside:
        raise ValueError(f"share_within: {', '.join(map(repr, outside))} must be among by")
    if where is not None and where.dtype != bool:
        raise ValueError("where: expected a boolean Series aligned with the events")
    if population is not None:
        keys = list(population.keys)
        if not set(keys) <= set(by):
            raise ValueError(
                f"population: its keys {keys} must be among the dimensions sliced by {by}"
            )
        for column in [*keys, population.column]:
            if column not in population.frame.columns:
                raise ValueError(f"population: no column {column!r} in its frame")
        if population.frame.duplicated(keys).any():
            raise ValueError(f"population: more than one row for some {keys}")


def _shares(counts: pd.Series, totals: pd.Series, confidence: float) -> pd.DataFrame:
    """Each count's share of its total, with Wilson limits (none where the total is 0)."""
    frame = pd.DataFrame({"x": counts.to_numpy(), "n": totals.to_numpy()}, index=counts.index)
    result = pd.DataFrame(
        np.nan, index=counts.index, columns=["share", "share_lower", "share_upper"]
    )
    some = frame["n"] > 0
    if some.any():
        shares = proportion(frame[some], "x", "n", confidence=confidence)
        result.loc[some, "share"] = shares["value"].to_numpy()
        result.loc[some, "share_lower"] = shares["lowercl"].to_numpy()
        result.loc[some, "share_upper"] = shares["uppercl"].to_numpy()
    return result


def _with_rates(table: pd.DataFrame, population: Rates, confidence: float) -> pd.DataFrame:
    """``table`` with the population of each row (summed over the dimensions it does not
    depend on) and the rate per ``population.per`` residents."""
    keys: list[Hashable] = list(population.keys)
    residents = population.frame[[*keys, population.column]].rename(
        columns={population.column: "population"}
    )
    if keys:
        joined = table.merge(residents, on=keys, how="left", validate="many_to_one")
    else:
        joined = table.assign(population=float(residents["population"].sum()))
    joined["rate"] = joined["rate_lower"] = joined["rate_upper"] = np.nan
    joined["rate_method"] = None
    at_risk = joined["population"].fillna(0) > 0
    if at_risk.any():
        rates = rate(
            joined.loc[at_risk, ["count", "population"]],
            "count",
            "population",
            confidence=confidence,
            multiplier=population.per,
        )
        joined.loc[at_risk, "rate"] = rates["value"].to_numpy()
        joined.loc[at_risk, "rate_lower"] = rates["lowercl"].to_numpy()
        joined.loc[at_risk, "rate_upper"] = rates["uppercl"].to_numpy()
        joined.loc[at_risk, "rate_method"] = rates["method"].to_numpy()
    return joined
