"""Re-offending or ED re-attendance against a matched comparison group.

Treated people (participants, by their pseudonymous ``person_key``) are matched to people
from a comparison pool (for example everyone attending ED after an assault, or everyone
recorded by the police for violence) on the matching columns exactly and on the index
date within a caliper, without replacement, by seeded random choice. The outcome is any
event (ED attendance, police record) in the window after each person's index date.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import Kind, check_frame, confidence_label, wilson
from vrn.analytics.stats import proportion_difference, proportion_ratio
from vrn.analytics.stats._checks import confidence_level

#: Default age bands for matching: under 10, 10-13, 14-17, 18-20, 21-24, 25+.
AGE_BAND_EDGES = (10, 14, 18, 21, 25)

_EVENT_COLUMNS: dict[str, Kind] = {"person_key": "key", "event_date": "date"}


@dataclass(frozen=True, eq=False)
class MatchedComparison:
    """The result of :func:`matched_comparison`.

    Counts of people: ``treated_total`` rows given; excluded for a missing person key or
    index date (``treated_excluded_no_key``), for a repeated person key (only the
    earliest index date is kept: ``treated_excluded_duplicate``) or because the outcome
    window ends after ``data_end`` (``treated_excluded_window``); ``treated_eligible``
    remain, of whom ``treated_matched`` found a full set of comparison people and
    ``treated_unmatched`` did not (``treated_missing_match_value`` of them had a missing
    matching value). Pool rows: ``pool_total``, excluded for no key or date, for being a
    treated person (``pool_excluded_treated``, any row of any treated person key) or for
    the window; ``pool_eligible`` rows remain, ``comparison_matched`` people were used.

    Rates are the shares with an event in the window, with Wilson limits: among the
    matched treated (``treated_events`` of ``treated_matched``) and among the matched
    comparison people (``comparison_events`` of ``comparison_matched``). ``difference``
    is treated minus comparison (Newcombe's hybrid score interval) and ``risk_ratio`` is
    treated over comparison (Katz log interval). ``matches`` lists the matched sets:
    ``set``, ``treated_key``, ``treated_index_date``, ``control_key``,
    ``control_index_date``.
    """

    window_days: int
    data_end: pd.Timestamp
    match_on: tuple[str, ...]
    caliper_days: int
    controls_per_treated: int
    seed: int
    confidence: float
    treated_total: int
    treated_excluded_no_key: int
    treated_excluded_duplicate: int
    treated_excluded_window: int
    treated_eligible: int
    treated_matched: int
    treated_unmatched: int
    treated_missing_match_value: int
    pool_total: int
    pool_excluded_no_key: int
    pool_excluded_treated: int
    pool_excluded_window: int
    pool_eligible: int
    comparison_matched: int
    treated_events: int
    treated_rate: float
    treated_lowercl: float
    treated_uppercl: float
    comparison_events: int
    comparison_rate: float
    comparison_lowercl: float
    comparison_uppercl: float
    difference: float
    difference_lowercl: float
    difference_uppercl: float
    risk_ratio: float
    risk_ratio_lowercl: float
    risk_ratio_uppercl: float
    method: str
    note: str | None
    matches: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Every figure but ``matches`` as a one-row DataFrame (``match_on`` joined)."""
        values = {key: value for key, value in asdict(self).items() if key != "matches"}
        values["match_on"] = ", ".join(self.match_on)
        values["confidence"] = confidence_label(self.confidence)
        return pd.DataFrame([values])


def matched_comparison(
    treated: pd.DataFrame,
    pool: pd.DataFrame,
    events: pd.DataFrame,
    *,
    window_days: int,
    data_end: Any,
    match_on: Sequence[str] = ("age_band", "sex"),
    ratio: int = 1,
    seed: int,
    caliper_days: int = 90,
    confidence: float = 0.95,
) -> MatchedComparison:
    """Compare the event rate of treated people with a matched comparison group.

    Method:

    1. **Eligibility.** A person needs a ``person_key`` and an ``index_date``, and their
       whole window must be observed: ``index_date + window_days <= data_end``. Treated
       rows with a repeated key keep the earliest index date. Pool rows of any treated
       person key are dropped. The pool may hold several rows (index dates) per person;
       each person is used at most once.
    2. **Matching.** Treated people are visited in a random order; each takes ``ratio``
       comparison people at random among unused pool rows with the same values of every
       ``match_on`` column and an index date within ``caliper_days`` of its own. A
       treated person with fewer than ``ratio`` candidates is unmatched and takes none.
       All randomness comes from ``numpy.random.default_rng(seed)`` after sorting the
       inputs by key and date, so a seed gives the same result whatever the row order.
    3. **Outcome.** Any event in ``(index_date, index_date + window_days]`` (the index
       date itself excluded).
    4. **Comparison.** The two shares with Wilson limits; their difference with
       Newcombe's hybrid score interval and ratio with the Katz log interval. These treat
       the groups as independent samples and ignore the matching.

    Parameters
    ----------
    treated, pool : pandas.DataFrame
        ``person_key``, ``index_date`` and the ``match_on`` columns.
    events : pandas.DataFrame
        ``person_key``, ``event_date`` (ED attendances or police records).
    window_days : int
        Length of the outcome window, days (> 0).
    data_end : date
        The last date the events cover.
    match_on : sequence of column names, default ``("age_band", "sex")``
        Matched exactly, compared as text; a missing or blank value matches nothing.
        See :func:`age_band`.
    ratio : int, default 1
        Comparison people per treated person (k:1).
    seed : int
    caliper_days : int, default 90
        Largest difference between index dates, days.
    confidence : float, default 0.95

    Returns
    -------
    MatchedComparison
    """
    level = confidence_level(confidence)
    window = _days(window_days, "window_days", 1)
    caliper = _days(caliper_days, "caliper_days", 0)
    k = _days(ratio, "ratio", 1)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed: expected an integer, not {seed!r}")
    end = pd.Timestamp(data_end)
    if pd.isna(end):
        raise ValueError(f"data_end: expected a date, not {data_end!r}")
    matching = _match_columns(match_on)
    people_columns: dict[str, Kind] = {"person_key": "key", "index_date": "date"}
    people_columns.update({name: "text" for name in matching})
    treated_frame = check_frame(treated, "treated", people_columns)
    pool_frame = check_frame(pool, "pool", people_columns)
    event_frame = check_frame(events, "events", _EVENT_COLUMNS)
    event_frame = event_frame[event_frame["person_key"].notna() & event_frame["event_date"].notna()]

    counts: dict[str, Any] = {"treated_total": len(treated_frame), "pool_total": len(pool_frame)}
    keyed = treated_frame["person_key"].notna() & treated_frame["index_date"].notna()
    counts["treated_excluded_no_key"] = int((~keyed).sum())
    people = treated_frame[keyed].sort_values(["person_key", "index_date"], kind="stable")
    first = ~people["person_key"].duplicated()
    counts["treated_excluded_duplicate"] = int((~first).sum())
    people = people[first]
    treated_keys = set(treated_frame["person_key"].dropna())
    observed = people["index_date"] + pd.Timedelta(days=window) <= end
    counts["treated_excluded_window"] = int((~observed).sum())
    people = people[observed].reset_index(drop=True)
    counts["treated_eligible"] = len(people)

    keyed = pool_frame["person_key"].notna() & pool_frame["index_date"].notna()
    counts["pool_excluded_no_key"] = int((~keyed).sum())
    candidates = pool_frame[keyed]
    is_treated = candidates["person_key"].isin(treated_keys)
    counts["pool_excluded_treated"] = int(is_treated.sum())
    candidates = candidates[~is_treated]
    observed = candidates["index_date"] + pd.Timedelta(days=window) <= end
    counts["pool_excluded_window"] = int((~observed).sum())
    candidates = (
        candidates[observed]
        .sort_values(["person_key", "index_date"], kind="stable")
        .reset_index(drop=True)
    )
    counts["pool_eligible"] = len(candidates)

    matches, missing_value = _match(people, candidates, matching, caliper, k, int(seed))
    counts["treated_missing_match_value"] = missing_value
    treated_positions = matches["treated_row"].to_numpy(np.int64)
    matched_treated = people.iloc[treated_positions[::k]]
    controls = candidates.iloc[matches["control_row"].to_numpy()]
    n_treated, n_controls = len(matched_treated), len(controls)
    counts["treated_matched"] = n_treated
    counts["treated_unmatched"] = len(people) - n_treated
    counts["comparison_matched"] = n_controls
    treated_hits = _had_event(matched_treated, event_frame, window)
    control_hits = _had_event(controls, event_frame, window)
    counts["treated_events"] = int(treated_hits.sum())
    counts["comparison_events"] = int(control_hits.sum())

    figures: dict[str, Any] = _figures(
        counts["treated_events"], n_treated, counts["comparison_events"], n_controls, level
    )
    listing = pd.DataFrame(
        {
            "set": matches["set"].to_numpy(np.int64),
            "treated_key": people["person_key"].to_numpy(object)[treated_positions],
            "treated_index_date": people["index_date"].to_numpy()[treated_positions],
            "control_key": controls["person_key"].to_numpy(object),
            "control_index_date": controls["index_date"].to_numpy(),
        }
    )
    return MatchedComparison(
        window_days=window,
        data_end=end,
        match_on=tuple(matching),
        caliper_days=caliper,
        controls_per_treated=k,
        seed=int(seed),
        confidence=level,
        **counts,
        **figures,
        method=_method_text(matching, caliper, k, int(seed), window, end, counts, level),
        note=_note(counts),
        matches=listing,
    )


def age_band(ages: Any, edges: Sequence[float] = AGE_BAND_EDGES) -> pd.Series[Any]:
    """Age bands for matching: ``"under 10"``, ``"10-13"``, ..., ``"25+"``; ``""`` if unknown.

    Examples
    --------
    >>> age_band(pd.Series([9, 10, 17.5, 24, 30, None])).tolist()
    ['under 10', '10-13', '14-17', '21-24', '25+', '']
    """
    values = pd.to_numeric(pd.Series(ages), errors="coerce")
    bounds = [float(edge) for edge in edges]
    if bounds != sorted(bounds) or len(set(bounds)) != len(bounds) or not bounds:
        raise ValueError(f"edges: expected increasing ages, not {tuple(edges)!r}")
    labels = [f"under {bounds[0]:g}"]
    labels += [f"{low:g}-{high - 1:g}" for low, high in itertools.pairwise(bounds)]
    labels.append(f"{bounds[-1]:g}+")
    positions = np.searchsorted(bounds, values.to_numpy(np.float64), side="right")
    result = [
        labels[p] if not math.isnan(v) else "" for p, v in zip(positions, values, strict=True)
    ]
    return pd.Series(result, index=values.index, dtype=object)


def _days(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name}: expected a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _match_columns(match_on: Sequence[str]) -> list[str]:
    if isinstance(match_on, str):
        raise ValueError(f"match_on: give a tuple of column names, not {match_on!r}")
    return [str(name) for name in match_on]


def _cell_keys(frame: pd.DataFrame, columns: list[str]) -> tuple[list[tuple[Any, ...]], np.ndarray]:
    """Each row's tuple of matching values, and whether any is missing."""
    if not columns:
        return [()] * len(frame), np.zeros(len(frame), dtype=bool)
    missing = (frame[columns] == "").any(axis=1).to_numpy(bool)
    return list(zip(*(frame[column].tolist() for column in columns), strict=True)), missing


def _match(
    people: pd.DataFrame,
    candidates: pd.DataFrame,
    columns: list[str],
    caliper: int,
    k: int,
    seed: int,
) -> tuple[pd.DataFrame, int]:
    """Matched sets: ``set``, ``treated_row`` and ``control_row`` (positions)."""
    rng = np.random.default_rng(seed)
    pool_keys, pool_missing = _cell_keys(candidates, columns)
    cells: dict[tuple[Any, ...], list[int]] = {}
    for row, (key, missing) in enumerate(zip(pool_keys, pool_missing, strict=True)):
        if not missing:
            cells.setdefault(key, []).append(row)
    pool_days = _day_numbers(candidates["index_date"])
    persons = pd.factorize(candidates["person_key"])[0] if len(candidates) else np.array([], int)
    available = np.ones(int(persons.max()) + 1 if len(persons) else 0, dtype=bool)
    arrays = {key: np.asarray(rows, dtype=np.int64) for key, rows in cells.items()}
    treated_keys, treated_missing = _cell_keys(people, columns)
    treated_days = _day_numbers(people["index_date"])
    sets: list[int] = []
    treated_rows: list[int] = []
    control_rows: list[int] = []
    order = rng.permutation(len(people))
    for row in order:
        rows = arrays.get(treated_keys[row]) if not treated_missing[row] else None
        if rows is None:
            continue
        near = rows[np.abs(pool_days[rows] - treated_days[row]) <= caliper]
        chosen: list[int] = []
        for _ in range(k):
            free = near[available[persons[near]]]
            if free.size == 0:
                break
            pick = int(free[rng.integers(free.size)])
            chosen.append(pick)
            available[persons[pick]] = False
        if len(chosen) < k:
            available[persons[chosen]] = True
            continue
        sets.extend([len(sets) // k] * k)
        treated_rows.extend([int(row)] * k)
        control_rows.extend(chosen)
    matches = pd.DataFrame(
        {
            "set": np.asarray(sets, dtype=np.int64),
            "treated_row": np.asarray(treated_rows, dtype=np.int64),
            "control_row": np.asarray(control_rows, dtype=np.int64),
        }
    )
    return matches, int(treated_missing.sum())


def _day_numbers(dates: pd.Series[Any]) -> np.ndarray:
    return np.asarray(
        dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    )


def _had_event(people: pd.DataFrame, events: pd.DataFrame, window: int) -> np.ndarray:
    """Whether each person has an event in (index_date, index_date + window]."""
    hits = np.zeros(len(people), dtype=bool)
    if not len(people) or not len(events):
        return hits
    frame = pd.DataFrame(
        {
            "position": np.arange(len(people)),
            "person_key": people["person_key"].to_numpy(object),
            "start": people["index_date"].to_numpy(),
        }
    )
    joined = frame.merge(events[["person_key", "event_date"]], on="person_key", how="inner")
    inside = (joined["event_date"] > joined["start"]) & (
        joined["event_date"] <= joined["start"] + pd.Timedelta(days=window)
    )
    hits[joined.loc[inside, "position"].unique()] = True
    return hits


def _figures(
    treated_events: int, n_treated: int, comparison_events: int, n_controls: int, level: float
) -> dict[str, float]:
    shares = wilson(
        np.array([treated_events, comparison_events], dtype=np.float64),
        np.array([n_treated, n_controls], dtype=np.float64),
        level,
    )
    value, lower, upper = (array.tolist() for array in shares)
    figures = {
        "treated_rate": value[0],
        "treated_lowercl": lower[0],
        "treated_uppercl": upper[0],
        "comparison_rate": value[1],
        "comparison_lowercl": lower[1],
        "comparison_uppercl": upper[1],
        "difference": math.nan,
        "difference_lowercl": math.nan,
        "difference_uppercl": math.nan,
        "risk_ratio": math.nan,
        "risk_ratio_lowercl": math.nan,
        "risk_ratio_uppercl": math.nan,
    }
    if n_treated > 0 and n_controls > 0:
        arguments = (treated_events, n_treated, comparison_events, n_controls)
        difference = proportion_difference(*arguments, confidence=level).iloc[0]
        ratio = proportion_ratio(*arguments, confidence=level).iloc[0]
        for name, row in (("difference", difference), ("risk_ratio", ratio)):
            figures[name] = float(row["value"])
            figures[f"{name}_lowercl"] = float(row["lowercl"])
            figures[f"{name}_uppercl"] = float(row["uppercl"])
    return figures


def _method_text(
    columns: list[str],
    caliper: int,
    k: int,
    seed: int,
    window: int,
    end: pd.Timestamp,
    counts: dict[str, int],
    level: float,
) -> str:
    names = " and ".join([", ".join(columns[:-1]), columns[-1]] if len(columns) > 1 else columns)
    exact = f"the same {names}, and " if columns else ""
    return (
        f"Each treated person was matched, without replacement, to {k} comparison "
        f"{'person' if k == 1 else 'people'} from the pool with {exact}an index date within "
        f"{caliper} days, chosen at random (seed {seed}); treated people with fewer "
        f"candidates were left unmatched. Outcome: any event in the {window} days after the "
        f"index date (the index date excluded). Only people whose whole window ended by "
        f"{end.date().isoformat()} were eligible: {counts['treated_excluded_window']} treated "
        f"and {counts['pool_excluded_window']} pool rows were excluded for a window ending "
        f"later. Rates with Wilson {confidence_label(level)} limits; the difference "
        "(treated minus comparison) with Newcombe's hybrid score interval and the risk "
        "ratio with the Katz log interval, both treating the groups as independent samples "
        "(the matching is not used in the intervals)."
    )


def _note(counts: dict[str, int]) -> str | None:
    notes = []
    if counts["treated_eligible"] == 0:
        notes.append("no treated person was eligible")
    if counts["pool_eligible"] == 0:
        notes.append("no comparison pool was eligible")
    if counts["treated_unmatched"] and counts["treated_eligible"]:
        notes.append(
            f"{counts['treated_unmatched']} of {counts['treated_eligible']} eligible treated "
            "people could not be matched"
        )
    if counts["treated_missing_match_value"]:
        notes.append(
            f"{counts['treated_missing_match_value']} treated had a missing matching value"
        )
    if counts["treated_matched"] == 0:
        notes.append("no matched sets: no rates to compare")
    return "; ".join(notes) or None
