"""Outcome rates: the share of participants with at least one outcome of each kind."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import (
    OUTCOME_COLUMNS,
    PARTICIPANT_COLUMNS,
    add_share,
    check_frame,
    confidence_label,
    group_keys,
    group_sums,
    text_collection,
)
from vrn.analytics.stats._checks import confidence_level

#: The denominators :func:`outcome_rates` accepts, as :func:`journey_counts` counts them.
DENOMINATORS = ("started", "exited", "referred")

#: The result columns after the ``by`` columns, in order.
COLUMNS = (
    "kind",
    "denominator",
    "participants",
    "with_outcome",
    "proportion",
    "proportion_lowercl",
    "proportion_uppercl",
    "verified_only",
    "confidence",
    "note",
)


def outcome_rates(
    participants: pd.DataFrame,
    outcomes: pd.DataFrame,
    kinds: Sequence[str],
    denominator: str = "started",
    *,
    verified_only: bool = False,
    by: Sequence[str] = ("programme",),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Participants with at least one outcome of each kind, over a journey denominator.

    Parameters
    ----------
    participants : pandas.DataFrame
        Needs ``participant_id``, ``start_date``, ``exit_date`` and the ``by`` columns.
    outcomes : pandas.DataFrame
        ``participant_id``, ``kind``, ``outcome_date``, ``verified``. Any outcome recorded
        for a participant counts, whatever its date; outcomes of participants not in
        ``participants`` are ignored.
    kinds : sequence of str
        The outcome kinds to report, one row each (in this order), even with none recorded.
    denominator : {"started", "exited", "referred"}, default "started"
        Who is counted: participants who started, who started and exited (as in
        :func:`journey_counts`) or everyone referred. Only outcomes of these people count.
    verified_only : bool, default False
        Count only outcomes with ``verified`` true.
    by : tuple of column names, default ``("programme",)``; ``()`` for the network
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group and kind: the ``by`` columns, then :data:`COLUMNS`:
        ``participants`` (the denominator's count), ``with_outcome``, ``proportion``
        with Wilson limits (NaN with a ``note`` when ``participants`` is 0).

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "participant_id": [1, 2, 3, 4],
    ...     "programme": "mentoring",
    ...     "start_date": pd.to_datetime(["2024-01-01"] * 4),
    ...     "exit_date": pd.NaT,
    ... })
    >>> outcomes = pd.DataFrame({
    ...     "participant_id": [1, 1, 3], "kind": ["education"] * 3,
    ...     "outcome_date": pd.to_datetime(["2024-03-01"] * 3), "verified": [True, True, False],
    ... })
    >>> table = outcome_rates(people, outcomes, ["education"])
    >>> table[["programme", "kind", "participants", "with_outcome", "proportion"]]
       programme       kind  participants  with_outcome  proportion
    0  mentoring  education             4             2         0.5
    >>> outcome_rates(people, outcomes, ["education"], verified_only=True)["with_outcome"][0]
    np.int64(1)
    """
    level = confidence_level(confidence)
    if denominator not in DENOMINATORS:
        raise ValueError(
            f"denominator: expected 'started', 'exited' or 'referred', not {denominator!r}"
        )
    if not isinstance(verified_only, bool):
        raise ValueError(f"verified_only: expected True or False, not {verified_only!r}")
    wanted = text_collection(kinds, "kinds")
    columns = {name: PARTICIPANT_COLUMNS[name] for name in ("participant_id", "start_date")}
    columns["exit_date"] = PARTICIPANT_COLUMNS["exit_date"]
    keys = group_keys(by)
    columns.update({key: PARTICIPANT_COLUMNS[key] for key in keys if key in PARTICIPANT_COLUMNS})
    frame = check_frame(participants, "participants", columns, by=keys)
    records = check_frame(outcomes, "outcomes", OUTCOME_COLUMNS)
    if verified_only:
        records = records[records["verified"]]
    started = frame["start_date"].notna().to_numpy(bool)
    if denominator == "referred":
        counted = np.ones(len(frame), dtype=bool)
    elif denominator == "started":
        counted = started
    else:
        counted = started & frame["exit_date"].notna().to_numpy(bool)
    tables = []
    for kind in wanted:
        achieved = frame["participant_id"].isin(
            records.loc[records["kind"] == kind, "participant_id"]
        )
        flags = pd.DataFrame(
            {
                "participants": counted.astype(np.int64),
                "with_outcome": (counted & achieved.to_numpy(bool)).astype(np.int64),
            },
            index=frame.index,
        )
        table = group_sums(flags, frame, keys)
        table.insert(len(keys), "kind", kind)
        tables.append(table)
    if tables:
        table = pd.concat(tables, ignore_index=True)
        table = table.sort_values(keys, kind="stable").reset_index(drop=True) if keys else table
    else:
        table = pd.DataFrame({name: [] for name in (*keys, "kind", "participants", "with_outcome")})
    table["denominator"] = denominator
    add_share(table, "proportion", "with_outcome", "participants", level, f"no one {denominator}")
    table["verified_only"] = verified_only
    table["confidence"] = confidence_label(level)
    return table[[*keys, *COLUMNS]]
