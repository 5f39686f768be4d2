"""Distance travelled: each participant's first review against their latest, per scale.

For each participant and scale the first review is the earliest ``review_date`` and the
latest is the last later date; a participant needs at least two review dates (those with
one are counted in ``n_single_review``). The participant's score at a review is the mean
of the area scores recorded on that date. For each area of a scale the same is done with
that area's own scores. The pairs go to :func:`vrn.analytics.stats.paired_change`.

Orientation: every change, its limits, ``dz`` and the Hodges-Lehmann estimate are
**improvements**: positive is better. For a scale where a higher score is better that is
``latest - first``; where a lower score is better (``higher_is_better=False``) it is
``first - latest``. ``mean_before`` and ``mean_after`` stay in the scale's own units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from vrn.analytics.interventions._frames import (
    PARTICIPANT_COLUMNS,
    REVIEW_COLUMNS,
    check_frame,
    confidence_label,
)
from vrn.analytics.stats import PairedChange, Share, paired_change
from vrn.analytics.stats._checks import confidence_level

HIGHER_IS_BETTER = "improvement = latest - first (higher scores are better)"
LOWER_IS_BETTER = "improvement = first - latest (lower scores are better)"

SCALE_LEVEL = "scale"
AREA_LEVEL = "area"


class Scale(NamedTuple):
    """A scale's range, direction and (optionally) reliability for reliable change.

    ``norm_sd`` is a norm group's baseline standard deviation for the reliable change
    index; without it the sample's baseline SD is used.
    """

    minimum: float
    maximum: float
    higher_is_better: bool
    reliability: float | None = None
    norm_sd: float | None = None


#: The result columns after the ``by`` columns, in order.
COLUMNS = (
    "scale",
    "level",
    "area",
    "higher_is_better",
    "orientation",
    "participants",
    "n_single_review",
    "n",
    "median_days_between",
    "mean_before",
    "mean_after",
    "mean_change",
    "change_lowercl",
    "change_uppercl",
    "sd_change",
    "t",
    "p_value",
    "dz",
    "dz_lowercl",
    "dz_uppercl",
    "wilcoxon_p_value",
    "wilcoxon_method",
    "hodges_lehmann",
    "hl_lowercl",
    "hl_uppercl",
    *(
        f"{name}{suffix}"
        for name in ("improved", "same", "worse")
        for suffix in ("", "_share", "_lowercl", "_uppercl")
    ),
    "reliability",
    "reliable_criterion",
    *(
        f"{name}{suffix}"
        for name in ("reliable_improved", "reliable_no_change", "reliable_deteriorated")
        for suffix in ("", "_share", "_lowercl", "_uppercl")
    ),
    "confidence",
    "note",
)


def distance_travelled(
    reviews: pd.DataFrame,
    scales: Mapping[str, Scale | tuple[Any, ...]],
    *,
    participants: pd.DataFrame | None = None,
    by: Sequence[str] = (),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Change from first to latest review for each scale and each of its areas.

    Parameters
    ----------
    reviews : pandas.DataFrame
        One row per score: ``participant_id``, ``scale``, ``area``, ``review_date``,
        ``score`` (a missing score is left out). Rows of scales not in ``scales`` are
        ignored; a score outside its scale's range is an error.
    scales : mapping of scale id to :class:`Scale` or tuple
        ``(minimum, maximum, higher_is_better, reliability or None)``, optionally with a
        fifth item, the norm group's baseline SD.
    participants : pandas.DataFrame, optional
        Supplies the ``by`` columns (by ``participant_id``) when ``reviews`` lacks them.
    by : tuple of column names, default ``()`` (the network)
        For example ``("programme",)``; groups are sorted by their keys.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        Per group of ``by``, per scale (in ``scales``' order): one row for the whole scale
        (``level`` ``"scale"``, ``area`` ``""``) then one per area (``level`` ``"area"``,
        sorted). Columns :data:`COLUMNS` after the ``by`` columns: ``participants`` (with a
        review), ``n_single_review`` (only one review date), ``n`` (pairs used),
        ``median_days_between`` first and latest review, the means, the oriented mean
        change with its paired t limits, ``sd_change``, ``t``, ``p_value``, ``dz`` with
        noncentral-t limits, the Wilcoxon signed-rank p-value and method, the
        Hodges-Lehmann estimate and limits, the counts, shares and Wilson limits of those
        improved, the same and worse, and, where a reliability is given, the Jacobson-Truax
        criterion and reliable change counts and shares. A row with fewer than 2 pairs has
        NaN statistics and a ``note``.

    Examples
    --------
    >>> reviews = pd.DataFrame({
    ...     "participant_id": [1, 1, 2, 2, 3, 3],
    ...     "scale": "wellbeing",
    ...     "area": "overall",
    ...     "review_date": pd.to_datetime(["2024-01-01", "2024-04-01"] * 3),
    ...     "score": [3, 5, 4, 6, 2, 3],
    ... })
    >>> table = distance_travelled(reviews, {"wellbeing": Scale(1, 10, True)})
    >>> table[["level", "n", "mean_before", "mean_after", "mean_change", "improved"]].round(4)
       level  n  mean_before  mean_after  mean_change  improved
    0  scale  3          3.0      4.6667       1.6667         3
    1   area  3          3.0      4.6667       1.6667         3
    """
    level = confidence_level(confidence)
    specs = _scales(scales)
    frame = check_frame(reviews, "reviews", REVIEW_COLUMNS)
    frame = frame[frame["scale"].isin(list(specs)) & frame["score"].notna()]
    _check_ranges(frame, specs)
    keys = _keys(frame, participants, by)
    frame = _with_keys(frame, participants, keys)
    groups: list[tuple[tuple[Any, ...], pd.DataFrame]]
    if keys:
        groups = [
            (name if isinstance(name, tuple) else (name,), group)
            for name, group in frame.groupby(keys, sort=True, dropna=False)
        ]
    else:
        groups = [((), frame)]
    rows: list[dict[str, Any]] = []
    for values, group in groups:
        prefix = dict(zip(keys, values, strict=True))
        for scale_id, spec in specs.items():
            scores = group[group["scale"] == scale_id]
            rows.append({**prefix, **_row(scores, scale_id, "", spec, level)})
            for area in sorted(scores["area"].unique()):
                area_scores = scores[scores["area"] == area]
                rows.append({**prefix, **_row(area_scores, scale_id, area, spec, level)})
    table = pd.DataFrame(rows, columns=[*keys, *COLUMNS])
    table["confidence"] = confidence_label(level)
    return table


def _row(
    scores: pd.DataFrame, scale_id: str, area: str, spec: Scale, level: float
) -> dict[str, Any]:
    """One result row from the scores of one scale (or one area of it)."""
    per_review = (
        scores.groupby(["participant_id", "review_date"], sort=True)["score"].mean().reset_index()
    )
    ordered = per_review.groupby("participant_id", sort=True)
    dates = ordered["review_date"].agg(["first", "last", "size"])
    values = ordered["score"].agg(["first", "last"])
    repeated = (dates["size"] >= 2).to_numpy(bool)
    before = values["first"].to_numpy(np.float64)[repeated]
    after = values["last"].to_numpy(np.float64)[repeated]
    days = (dates["last"] - dates["first"]).dt.days.to_numpy(np.float64)[repeated]
    row: dict[str, Any] = {
        "scale": scale_id,
        "level": AREA_LEVEL if area else SCALE_LEVEL,
        "area": area,
        "higher_is_better": spec.higher_is_better,
        "orientation": HIGHER_IS_BETTER if spec.higher_is_better else LOWER_IS_BETTER,
        "participants": len(dates),
        "n_single_review": int((~repeated).sum()),
        "n": len(before),
        "median_days_between": float(np.median(days)) if len(days) else np.nan,
        "mean_before": float(before.mean()) if len(before) else np.nan,
        "mean_after": float(after.mean()) if len(after) else np.nan,
        "reliability": spec.reliability,
        "note": None,
    }
    if len(before) < 2:
        row["note"] = (
            f"{len(before)} participant(s) with two reviews: at least 2 are needed"
            if len(dates)
            else "no reviews"
        )
        return row
    sign = 1.0 if spec.higher_is_better else -1.0
    reliability = spec.reliability
    notes = []
    if reliability is not None and spec.norm_sd is None and float(np.std(before)) == 0:
        reliability = None
        notes.append("every first score is the same: no reliable change without a norm SD")
    # Negating both scores makes "after - before" the improvement for a lower-is-better
    # scale while keeping the baseline SD that reliable change uses.
    result = paired_change(
        sign * before,
        sign * after,
        level,
        higher_is_better=True,
        reliable_change_sd=spec.norm_sd if reliability is not None else None,
        reliability=reliability,
    )
    row.update(_statistics(result))
    if result.sd_change == 0:
        notes.append("every participant changed by the same amount: no t or dz")
    row["note"] = "; ".join(notes) or None
    return row


def _statistics(result: PairedChange) -> dict[str, Any]:
    row: dict[str, Any] = {
        "mean_change": result.mean_change,
        "change_lowercl": result.change_lower,
        "change_uppercl": result.change_upper,
        "sd_change": result.sd_change,
        "t": result.t,
        "p_value": result.p_value,
        "dz": result.dz,
        "dz_lowercl": result.dz_lower,
        "dz_uppercl": result.dz_upper,
        "wilcoxon_p_value": result.wilcoxon_p_value,
        "wilcoxon_method": result.wilcoxon_method,
        "hodges_lehmann": result.hodges_lehmann,
        "hl_lowercl": result.hl_lower,
        "hl_uppercl": result.hl_upper,
    }
    shares = {"improved": result.improved, "same": result.same, "worse": result.worse}
    reliable = result.reliable
    if reliable is not None:
        row["reliable_criterion"] = reliable.criterion
        shares.update(
            reliable_improved=reliable.improved,
            reliable_no_change=reliable.no_change,
            reliable_deteriorated=reliable.deteriorated,
        )
    for name, share in shares.items():
        row.update(_share(name, share))
    return row


def _share(name: str, share: Share) -> dict[str, Any]:
    return {
        name: share.count,
        f"{name}_share": share.share,
        f"{name}_lowercl": share.lower,
        f"{name}_uppercl": share.upper,
    }


def _scales(scales: Mapping[str, Scale | tuple[Any, ...]]) -> dict[str, Scale]:
    if not isinstance(scales, Mapping):
        raise ValueError(f"scales: expected a mapping of scale id to Scale, not {scales!r}")
    specs: dict[str, Scale] = {}
    for scale_id, value in scales.items():
        if not isinstance(value, tuple) or len(value) not in (4, 5):
            raise ValueError(
                f"scales[{scale_id!r}]: expected (minimum, maximum, higher_is_better, "
                f"reliability or None), not {value!r}"
            )
        spec = Scale(*value)
        if not isinstance(spec.higher_is_better, bool):
            raise ValueError(
                f"scales[{scale_id!r}]: higher_is_better must be True or False, "
                f"not {spec.higher_is_better!r}"
            )
        if not float(spec.minimum) < float(spec.maximum):
            raise ValueError(
                f"scales[{scale_id!r}]: minimum {spec.minimum!r} is not below "
                f"maximum {spec.maximum!r}"
            )
        specs[str(scale_id)] = spec
    return specs


def _check_ranges(frame: pd.DataFrame, specs: dict[str, Scale]) -> None:
    for scale_id, spec in specs.items():
        scores = frame.loc[frame["scale"] == scale_id, "score"]
        outside = (scores < float(spec.minimum)) | (scores > float(spec.maximum))
        if outside.any():
            position = int(np.flatnonzero(outside.to_numpy())[0])
            row, score = outside.index[position], float(scores.iloc[position])
            row = int(row) if isinstance(row, np.integer) else row
            raise ValueError(
                f"reviews: column 'score': {score:g} at row {row!r} is outside scale "
                f"{scale_id!r} ({spec.minimum:g} to {spec.maximum:g})"
            )


def _keys(frame: pd.DataFrame, participants: pd.DataFrame | None, by: Sequence[str]) -> list[str]:
    if isinstance(by, str):
        raise ValueError(f"by: give a tuple of column names such as ('programme',), not {by!r}")
    keys = list(by)
    missing = [key for key in keys if key not in frame.columns]
    if missing and participants is None:
        raise ValueError(
            f"reviews: column {missing[0]!r} (named in by) is missing; add it, or pass "
            "participants to take it from"
        )
    return keys


def _with_keys(
    frame: pd.DataFrame, participants: pd.DataFrame | None, keys: list[str]
) -> pd.DataFrame:
    """``frame`` with the ``by`` columns it lacks taken from ``participants``."""
    missing = [key for key in keys if key not in frame.columns]
    if not missing or participants is None:
        return frame
    columns = {"participant_id": PARTICIPANT_COLUMNS["participant_id"]}
    people = check_frame(participants, "participants", columns, by=missing)
    lookup = people[["participant_id", *missing]].drop_duplicates("participant_id")
    merged = frame.merge(lookup, on="participant_id", how="left", validate="many_to_one")
    for key in missing:
        merged[key] = merged[key].where(merged[key].notna(), "")
    return merged
