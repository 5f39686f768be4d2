"""The participant journey: referred, started, exited, completed and still open.

Every participant row is a referral. From its dates:

- ``started``: ``start_date`` is set;
- ``exited``: started, and ``exit_date`` is set (left the programme after starting);
- ``completed``: exited with an ``exit_reason`` in ``completed_reasons``;
- ``open``: no ``exit_date`` yet, split into ``in_programme`` (started) and
  ``awaiting_start`` (not started);
- ``closed_without_start``: an ``exit_date`` but no ``start_date`` (declined, could not be
  contacted, not eligible).

So ``referred = open + exited + closed_without_start`` and
``started = in_programme + exited``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import (
    PARTICIPANT_COLUMNS,
    add_share,
    check_frame,
    confidence_label,
    group_keys,
    group_sums,
    text_collection,
)
from vrn.analytics.stats._checks import confidence_level

#: The count columns of :func:`journey_counts`, in order.
COUNT_COLUMNS = (
    "referred",
    "started",
    "exited",
    "completed",
    "open",
    "in_programme",
    "awaiting_start",
    "closed_without_start",
)

_JOURNEY_COLUMNS = ("participant_id", "start_date", "exit_date", "exit_reason")


def journey_counts(
    participants: pd.DataFrame,
    completed_reasons: Collection[str],
    by: Sequence[str] = ("programme",),
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Counts of the journey stages and the conversion and completion shares, by group.

    Parameters
    ----------
    participants : pandas.DataFrame
        One row per participant (see the package docstring); needs ``participant_id``,
        ``start_date``, ``exit_date``, ``exit_reason`` and the ``by`` columns.
    completed_reasons : collection of str
        The exit reasons that count as completing the programme (such as
        ``{"completed", "goals met"}``).
    by : tuple of column names, default ``("programme",)``
        ``()`` for the whole network (one row), ``("programme",)``, ``("provider",)`` or
        any columns of ``participants``. Groups are sorted by their keys.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns; the counts :data:`COUNT_COLUMNS`; and three
        shares, each with ``_lowercl``/``_uppercl`` Wilson limits:
        ``conversion`` (started / referred), ``completion_of_exited`` (completed /
        exited) and ``completion_of_started`` (completed / started, which counts those
        still in the programme as not completed); then ``confidence`` and ``note`` (why a
        share is missing). A group with no one in a denominator has NaN for that share.

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "participant_id": range(10),
    ...     "start_date": pd.to_datetime(["2024-01-05"] * 7 + [None] * 3),
    ...     "exit_date": pd.to_datetime(["2024-06-01"] * 5 + [None] * 5),
    ...     "exit_reason": ["completed"] * 3 + ["disengaged"] * 2 + [""] * 5,
    ... })
    >>> table = journey_counts(people, {"completed"}, by=())
    >>> table[["referred", "started", "exited", "completed", "open"]]
       referred  started  exited  completed  open
    0        10        7       5          3     5
    >>> table[["conversion", "conversion_lowercl", "conversion_uppercl"]].round(4)
       conversion  conversion_lowercl  conversion_uppercl
    0         0.7              0.3968              0.8922
    """
    level = confidence_level(confidence)
    reasons = set(text_collection(completed_reasons, "completed_reasons"))
    columns = {name: PARTICIPANT_COLUMNS[name] for name in _JOURNEY_COLUMNS}
    keys = group_keys(by)
    columns.update({key: PARTICIPANT_COLUMNS[key] for key in keys if key in PARTICIPANT_COLUMNS})
    frame = check_frame(participants, "participants", columns, by=keys)
    started = frame["start_date"].notna().to_numpy(bool)
    closed = frame["exit_date"].notna().to_numpy(bool)
    finished = frame["exit_reason"].isin(reasons).to_numpy(bool)
    flags = pd.DataFrame(
        {
            "referred": np.ones(len(frame), dtype=bool),
            "started": started,
            "exited": started & closed,
            "completed": started & closed & finished,
            "open": ~closed,
            "in_programme": started & ~closed,
            "awaiting_start": ~started & ~closed,
            "closed_without_start": ~started & closed,
        },
        index=frame.index,
    ).astype(np.int64)
    table = group_sums(flags, frame, keys)
    add_share(table, "conversion", "started", "referred", level, "no one referred")
    add_share(table, "completion_of_started", "completed", "started", level, "no one started")
    add_share(table, "completion_of_exited", "completed", "exited", level, "no one exited")
    table["confidence"] = confidence_label(level)
    return table[[*keys, *COUNT_COLUMNS, *_share_columns(), "confidence", "note"]]


def _share_columns() -> list[str]:
    names = ("conversion", "completion_of_exited", "completion_of_started")
    return [f"{name}{suffix}" for name in names for suffix in ("", "_lowercl", "_uppercl")]
