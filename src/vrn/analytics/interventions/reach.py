"""Reach: how many participants are in each priority group, and where they live against need.

Priority groups are the participants' boolean ``group:<id>`` columns. Areas compare each
area's share of participants with its share of need (for example victims and suspects of
serious violence under 25 from the problem profile). The need counts are treated as fixed
(they are the whole recorded population, not a sample), so the only sampling error is in
the participant share: the reach ratio's limits are the Wilson limits of the participant
share divided by the need share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import (
    GROUP_PREFIX,
    NEED_COLUMNS,
    PARTICIPANT_COLUMNS,
    add_note,
    add_share,
    check_frame,
    confidence_label,
    group_keys,
    group_sums,
    text_collection,
)
from vrn.analytics.stats._checks import confidence_level

#: Whom reach counts: everyone referred, or those who started.
POPULATIONS = ("referred", "started")

UNDER = "under-reached"
SIMILAR = "similar"
OVER = "over-reached"
NOT_COMPARED = "not compared"
#: The categories of the ``reach`` column of :func:`area_reach`.
REACH_CATEGORIES = (UNDER, SIMILAR, OVER, NOT_COMPARED)

GROUP_COLUMNS = (
    "group",
    "column",
    "participants",
    "in_group",
    "unknown",
    "share",
    "share_lowercl",
    "share_uppercl",
    "population",
    "confidence",
    "note",
)
AREA_COLUMNS = (
    "area",
    "participants",
    "participants_in_need_areas",
    "unknown_area",
    "outside_need_areas",
    "participant_share",
    "participant_share_lowercl",
    "participant_share_uppercl",
    "need_count",
    "need_share",
    "reach_ratio",
    "reach_ratio_lowercl",
    "reach_ratio_uppercl",
    "reach",
    "population",
    "confidence",
    "note",
)


@dataclass(frozen=True)
class Reach:
    """The result of :func:`reach`: :func:`group_reach` and :func:`area_reach` tables."""

    groups: pd.DataFrame
    areas: pd.DataFrame


def reach(
    participants: pd.DataFrame,
    need: pd.DataFrame | None,
    group_flags: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    population: str = "started",
    confidence: float = 0.95,
) -> Reach:
    """Both reach tables; ``need=None`` gives an empty area table.

    See :func:`group_reach` and :func:`area_reach` for the arguments and columns.
    """
    groups = group_reach(
        participants, group_flags, by=by, population=population, confidence=confidence
    )
    if need is None:
        keys = group_keys(by)
        areas = pd.DataFrame({name: [] for name in (*keys, *AREA_COLUMNS)})
    else:
        areas = area_reach(participants, need, by=by, population=population, confidence=confidence)
    return Reach(groups=groups, areas=areas)


def group_reach(
    participants: pd.DataFrame,
    group_flags: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    population: str = "started",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The share of participants in each priority group, with Wilson limits.

    Parameters
    ----------
    participants : pandas.DataFrame
        Needs ``participant_id``, ``start_date`` and the ``group:<id>`` columns.
    group_flags : sequence of str, optional
        Priority group ids (without the ``group:`` prefix); by default every ``group:``
        column, in column order. A named group without its column is an error.
    by : tuple of column names, default ``()`` (the network)
    population : {"started", "referred"}, default "started"
        Count those who started, or everyone referred.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group of ``by`` and priority group: the ``by`` columns, ``group``,
        ``column``, ``participants`` (the denominator), ``in_group``, ``unknown`` (a
        missing flag, counted as not in the group), ``share`` with ``share_lowercl`` and
        ``share_uppercl``, ``population``, ``confidence`` and ``note``.

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "participant_id": range(4),
    ...     "start_date": pd.to_datetime(["2024-01-01"] * 4),
    ...     "group:care_experienced": [True, False, True, False],
    ... })
    >>> group_reach(people)[["group", "participants", "in_group", "share"]]
                  group  participants  in_group  share
    0  care_experienced             4         2    0.5
    """
    level = confidence_level(confidence)
    frame = _participants(participants, by)
    keys = group_keys(by)
    chosen = _population(frame, population)
    ids = (
        [str(column)[len(GROUP_PREFIX) :] for column in frame.columns if _is_flag(column)]
        if group_flags is None
        else text_collection(group_flags, "group_flags")
    )
    tables = []
    for group_id in ids:
        column = f"{GROUP_PREFIX}{group_id}"
        if column not in frame.columns:
            if frame.empty and len(participants.columns) == 0:  # a bare empty frame
                frame[column] = pd.Series(dtype=bool)
            else:
                raise ValueError(f"participants: column {column!r} is missing (group_flags)")
        checked = check_frame(frame[[column]], "participants", {column: "flag"})
        flags = pd.DataFrame(
            {
                "participants": chosen.astype(np.int64),
                "in_group": (chosen & checked[column].to_numpy(bool)).astype(np.int64),
                "unknown": (chosen & frame[column].isna().to_numpy(bool)).astype(np.int64),
            },
            index=frame.index,
        )
        table = group_sums(flags, frame, keys)
        table.insert(len(keys), "group", group_id)
        table.insert(len(keys) + 1, "column", column)
        tables.append(table)
    if tables:
        table = pd.concat(tables, ignore_index=True)
    else:
        table = pd.DataFrame({name: [] for name in (*keys, *GROUP_COLUMNS[:5])})
    add_share(table, "share", "in_group", "participants", level, f"no one {population}")
    table["population"] = population
    table["confidence"] = confidence_label(level)
    add_note(table, table["unknown"] > 0, "some flags missing: counted as not in the group")
    return table[[*keys, *GROUP_COLUMNS]]


def area_reach(
    participants: pd.DataFrame,
    need: pd.DataFrame,
    *,
    by: Sequence[str] = (),
    population: str = "started",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each area's share of participants against its share of need.

    For each area of ``need``: the participant share is participants resident there out
    of participants resident in any area of ``need`` (people with an unknown area, ``""``,
    and people living outside the areas of ``need`` are left out of the denominator and
    counted in ``unknown_area`` and ``outside_need_areas``), with Wilson limits. The need
    share is the area's ``need_count`` over the total, treated as fixed. The reach ratio
    is participant share / need share; its limits are the Wilson limits divided by the
    need share. ``reach`` is ``"under-reached"`` when the participant share's upper limit
    is below the need share, ``"over-reached"`` when its lower limit is above it,
    ``"similar"`` otherwise and ``"not compared"`` with no participants or no need.

    Parameters
    ----------
    participants : pandas.DataFrame
        Needs ``participant_id``, ``start_date`` and ``residence_area``.
    need : pandas.DataFrame
        ``area`` (each once) and ``need_count`` (zero or more).
    by : tuple of column names, default ``()`` (the network)
        Compare each group's participants (such as each programme's) with the same need.
    population : {"started", "referred"}, default "started"
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group of ``by`` and area of ``need`` (in ``need``'s order), with the
        columns :data:`AREA_COLUMNS` after the ``by`` columns.

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "participant_id": range(10),
    ...     "start_date": pd.to_datetime(["2024-01-01"] * 10),
    ...     "residence_area": ["E01"] * 8 + ["E02"] * 2,
    ... })
    >>> need = pd.DataFrame({"area": ["E01", "E02"], "need_count": [50, 50]})
    >>> table = area_reach(people, need)
    >>> table[["area", "participant_share", "need_share", "reach_ratio", "reach"]]
      area  participant_share  need_share  reach_ratio    reach
    0  E01                0.8         0.5          1.6  similar
    1  E02                0.2         0.5          0.4  similar
    """
    level = confidence_level(confidence)
    frame = _participants(participants, by, ("residence_area",))
    keys = group_keys(by)
    chosen = _population(frame, population)
    areas = _need(need)
    area_names = list(areas["area"])
    total_need = float(areas["need_count"].sum())
    resident = frame["residence_area"]
    known = resident != ""
    inside = resident.isin(area_names)
    flags = pd.DataFrame(
        {
            "participants_in_need_areas": chosen & inside.to_numpy(bool),
            "unknown_area": chosen & ~known.to_numpy(bool),
            "outside_need_areas": chosen & (known & ~inside).to_numpy(bool),
        },
        index=frame.index,
    ).astype(np.int64)
    totals = group_sums(flags, frame, keys)
    rows = totals.loc[totals.index.repeat(len(area_names))].reset_index(drop=True)
    rows.insert(len(keys), "area", area_names * len(totals))
    living = frame.loc[chosen, [*keys, "residence_area"]].rename(columns={"residence_area": "area"})
    counted = living.groupby([*keys, "area"], sort=False, dropna=False).size()
    rows = rows.merge(counted.rename("participants").reset_index(), on=[*keys, "area"], how="left")
    rows["participants"] = rows["participants"].fillna(0).astype(np.int64)
    rows["need_count"] = np.tile(areas["need_count"].to_numpy(np.float64), len(totals))
    add_share(
        rows,
        "participant_share",
        "participants",
        "participants_in_need_areas",
        level,
        f"no one {population} lives in the areas of need",
    )
    need_share = rows["need_count"].to_numpy(np.float64) / total_need if total_need > 0 else None
    rows["need_share"] = np.nan if need_share is None else need_share
    share = rows["participant_share"].to_numpy(np.float64)
    lower = rows["participant_share_lowercl"].to_numpy(np.float64)
    upper = rows["participant_share_uppercl"].to_numpy(np.float64)
    fixed = rows["need_share"].to_numpy(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        positive = fixed > 0
        divisor = np.where(positive, fixed, 1.0)
        rows["reach_ratio"] = np.where(positive, share / divisor, np.nan)
        rows["reach_ratio_lowercl"] = np.where(positive, lower / divisor, np.nan)
        rows["reach_ratio_uppercl"] = np.where(positive, upper / divisor, np.nan)
    compared = ~np.isnan(lower) & ~np.isnan(fixed)
    labels = np.select(
        [~compared, upper < fixed, lower > fixed], [NOT_COMPARED, UNDER, OVER], SIMILAR
    )
    rows["reach"] = pd.Categorical(labels, categories=REACH_CATEGORIES)
    rows["population"] = population
    rows["confidence"] = confidence_label(level)
    add_note(rows, np.full(len(rows), total_need <= 0), "no need recorded in any area")
    add_note(
        rows,
        (rows["need_count"] == 0).to_numpy(bool) & (total_need > 0),
        "no need recorded in this area: no reach ratio",
    )
    return rows[[*keys, *AREA_COLUMNS]]


def _participants(
    participants: pd.DataFrame, by: Sequence[str], extra: tuple[str, ...] = ()
) -> pd.DataFrame:
    keys = group_keys(by)
    names = ("participant_id", "start_date", *extra, *keys)
    columns = {name: PARTICIPANT_COLUMNS[name] for name in names if name in PARTICIPANT_COLUMNS}
    return check_frame(participants, "participants", columns, by=keys)


def _population(frame: pd.DataFrame, population: str) -> np.ndarray:
    if population not in POPULATIONS:
        raise ValueError(f"population: expected 'started' or 'referred', not {population!r}")
    if population == "referred":
        return np.ones(len(frame), dtype=bool)
    return np.asarray(frame["start_date"].notna().to_numpy(bool), dtype=bool)


def _is_flag(column: object) -> bool:
    return isinstance(column, str) and column.startswith(GROUP_PREFIX)


def _need(need: pd.DataFrame) -> pd.DataFrame:
    areas = check_frame(need, "need", NEED_COLUMNS)
    counts = areas["need_count"]
    if counts.isna().any():
        raise ValueError("need: column 'need_count' has a missing value")
    if (counts < 0).any() or np.isinf(counts).any():
        raise ValueError("need: column 'need_count' must be zero or more and finite")
    repeated = areas["area"].duplicated()
    if repeated.any():
        raise ValueError(f"need: area {areas['area'][repeated].iloc[0]!r} appears more than once")
    return areas
