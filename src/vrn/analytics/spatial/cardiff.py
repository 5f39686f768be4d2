"""The Cardiff Model comparison: assaults seen in the emergency department against
violence recorded by the police.

ISTV data are anonymised, so assaults are matched to police-recorded violence on place
and time, never on people. An ED assault is "known to police" when a police-recorded
violent crime lies within ``distance`` metres and ``days`` days of it (both limits
inclusive); each police crime matches at most one assault. Assaults without a usable
location are "not matchable", never "unknown to police". Shares unknown to police carry
Wilson intervals (:func:`~vrn.analytics.stats.wilson_interval`).
:func:`hidden_hotspots` finds grid cells where hospital-reported violence concentrates
but police-recorded violence does not. docs/statistics/near-repeat-and-cardiff.md
explains the defaults and limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, sparse
from scipy import stats as scipy_stats
from scipy.sparse.csgraph import maximum_bipartite_matching
from scipy.spatial import cKDTree

from vrn.analytics.stats import rate_ratio, wilson_interval

DatedBy = Literal["day", "month"]
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Metres: street-level geocoding of a patient's description plus police location error.
DEFAULT_DISTANCE = 250.0
#: Days either side of the incident date: reporting lag and assaults either side of midnight.
DEFAULT_DAYS = 3
#: Hidden hotspots need at least this many ED assaults in the cell.
DEFAULT_MINIMUM_ED = 5

MATCHED = "matched"
UNKNOWN = "unknown to police"
NOT_MATCHABLE = "not matchable"
STATUSES = (MATCHED, UNKNOWN, NOT_MATCHABLE)

NO_LOCATION = "no coordinates"
CONFIDENCE_NONE = "geocode confidence none"
NO_DATE = "no date"

HOUR_BANDS = ("00-05", "06-11", "12-17", "18-23")
NIGHT_TIME_ECONOMY = ("21:00-05:59", "06:00-20:59")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOUR_UNKNOWN = "hour unknown"
NOT_RECORDED = "not recorded"
#: The project's geocode confidence values (health.models.GeocodeConfidence) in order of
#: precision, then a high/medium/low scale; any other value follows, alphabetically.
CONFIDENCE_ORDER = ("exact", "street", "area", "high", "medium", "low", "none")

ED_COLUMNS = ("x", "y", "date", "geocode_confidence", "means_of_assault")
POLICE_COLUMNS = ("x", "y", "date")
TABLE_COLUMNS = (
    "group",
    "ed_assaults",
    "not_matchable",
    "matched",
    "unknown_to_police",
    "share_unknown",
    "lower",
    "upper",
)

GREEDY_METHOD = (
    "greedy one-to-one: all candidate pairs in order of days apart, then metres apart, "
    "then row order; a pair is taken when neither its assault nor its crime is taken"
)

_MONTH_CAVEAT = (
    "Police crimes are dated to the month only (data.police.uk), so an assault matches any "
    "violent crime nearby in the same calendar month: coincidences up to 30 days apart "
    "count as known to police, which lowers the share unknown, while an assault at the "
    "end of a month cannot match a crime reported early in the next. The police points are "
    "also snapped to anonymous map points, up to a few hundred metres from the real place. "
    "Read the share unknown as a rough lower bound."
)
_AREA_CAVEAT = (
    "Assaults geocoded only to a neighbourhood or postcode district (confidence 'area' or "
    "'low') sit at a centroid that can be further than the matching distance from the real "
    "place; compare the shares by geocode confidence."
)


@dataclass(frozen=True)
class CardiffComparison:
    """The result of :func:`compare_ed_with_police`.

    Every ``by_*`` table has the columns ``group``, ``ed_assaults`` (all assaults in the
    group), ``not_matchable``, ``matched``, ``unknown_to_police``, ``share_unknown``
    (unknown / (matched + unknown)) and its Wilson limits ``lower`` and ``upper`` (NaN
    when nothing in the group could be matched). ``by_area`` adds ``police_recorded``.

    Attributes
    ----------
    assaults : pandas.DataFrame
        One row per ED assault (the caller's index): ``status`` (``matched``, ``unknown
        to police``, ``not matchable``), ``reason`` (why not matchable), ``police_match``
        (the police row's index label), ``metres_apart``, ``days_apart`` (months apart when
        police data are dated by month), and the grouping columns.
    overall, by_area, by_month, by_hour_band, by_night_time_economy, by_weekday,
    by_means_of_assault, by_geocode_confidence, by_date_source : pandas.DataFrame
        Shares unknown to police, overall and by each grouping.
    matched_if_maximised : int
        Assaults matched by a maximum one-to-one matching of the same candidate pairs
        (Hopcroft-Karp): the most any one-to-one rule could match. The gap to the greedy
        count shows how much the rule matters.
    distance, days : float, int
        The matching limits used.
    dated_by : str
        ``"day"`` or ``"month"`` (police dates).
    police_without_location : int
        Police crimes without coordinates, which cannot match anything.
    method : str
        The matching rule in words.
    caveats : tuple of str
        What the reader needs to know about these data.
    """

    assaults: pd.DataFrame
    overall: pd.DataFrame
    by_area: pd.DataFrame
    by_month: pd.DataFrame
    by_hour_band: pd.DataFrame
    by_night_time_economy: pd.DataFrame
    by_weekday: pd.DataFrame
    by_means_of_assault: pd.DataFrame
    by_geocode_confidence: pd.DataFrame
    by_date_source: pd.DataFrame
    matched_if_maximised: int
    distance: float
    days: int
    dated_by: str
    police_without_location: int
    method: str
    caveats: tuple[str, ...]


def compare_ed_with_police(
    ed: pd.DataFrame,
    police: pd.DataFrame,
    *,
    distance: float = DEFAULT_DISTANCE,
    days: int = DEFAULT_DAYS,
    dated_by: DatedBy = "day",
    area_column: str = "area_code",
    confidence: float = 0.95,
) -> CardiffComparison:
    """Match ED assaults to police-recorded violence on place and time.

    Parameters
    ----------
    ed : pandas.DataFrame
        One row per ED assault: ``x``, ``y`` (metres, British National Grid; NaN when not
        geocoded), ``date`` (incident date, or arrival date when that is missing),
        ``geocode_confidence`` (e.g. ``exact``, ``street``, ``area``, ``none``),
        ``means_of_assault``, the area code column ``area_column``, and optionally
        ``hour`` (0-23, may be missing) and ``date_source`` (``incident`` or
        ``arrival``).
    police : pandas.DataFrame
        One row per police-recorded violent crime: ``x``, ``y``, ``date`` and optionally
        ``area_column``. With ``dated_by="month"`` only the month of ``date`` is used.
    distance : float, default 250
        Metres; a crime exactly this far away matches.
    days : int, default 3
        Days either side of the assault's date; a crime exactly this many days away
        matches. Ignored with ``dated_by="month"`` (same calendar month).
    dated_by : {"day", "month"}
        How the police crimes are dated.
    area_column : str, default "area_code"
        The column of area codes (LSOA, ward, local authority) for ``by_area``.
    confidence : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    CardiffComparison

    Examples
    --------
    >>> ed = pd.DataFrame({"x": [0.0, 0.0, 5000.0, np.nan], "y": [0.0, 10.0, 0.0, np.nan],
    ...     "date": pd.to_datetime(["2024-05-04"] * 4), "geocode_confidence":
    ...     ["exact", "exact", "street", "none"], "means_of_assault": "body_part",
    ...     "area_code": "E01"})
    >>> police = pd.DataFrame({"x": [100.0], "y": [0.0],
    ...     "date": pd.to_datetime(["2024-05-06"])})
    >>> result = compare_ed_with_police(ed, police)
    >>> result.assaults["status"].tolist()
    ['matched', 'unknown to police', 'unknown to police', 'not matchable']
    >>> result.overall[["ed_assaults", "not_matchable", "matched", "unknown_to_police"]]
       ed_assaults  not_matchable  matched  unknown_to_police
    0            4              1        1                  2
    """
    if dated_by not in ("day", "month"):
        raise ValueError(f"dated_by: expected 'day' or 'month', not {dated_by!r}")
    limit = _positive_number(distance, "distance")
    window = _whole_days(days)
    _require(ed, (*ED_COLUMNS, area_column), "ed")
    _require(police, POLICE_COLUMNS, "police")

    ed_x, ed_y = _coordinates(ed, "ed")
    ed_dates = _dates(ed["date"], "ed", allow_missing=True)
    police_x, police_y = _coordinates(police, "police")
    police_dates = _dates(police["date"], "police", allow_missing=False)
    if dated_by == "day":
        _refuse_month_dates(police_dates)
    unit = "D" if dated_by == "day" else "M"
    ed_time = _time_numbers(ed_dates, unit)
    police_time = _time_numbers(police_dates, unit)
    window = window if dated_by == "day" else 0

    confidence_text = _text(ed["geocode_confidence"], NOT_RECORDED)
    reason = np.select(
        [
            ~(np.isfinite(ed_x) & np.isfinite(ed_y)),
            confidence_text.str.lower().to_numpy() == "none",
            ed_dates.isna().to_numpy(),
        ],
        [NO_LOCATION, CONFIDENCE_NONE, NO_DATE],
        "",
    )
    matchable = reason == ""
    police_located = np.isfinite(police_x) & np.isfinite(police_y)

    ed_rows = np.flatnonzero(matchable)
    police_rows = np.flatnonzero(police_located)
    first, second, metres, apart = _candidates(
        (ed_x[ed_rows], ed_y[ed_rows], ed_time[ed_rows]),
        (police_x[police_rows], police_y[police_rows], police_time[police_rows]),
        limit,
        window,
    )
    chosen = _greedy(first, second, metres, apart, len(ed_rows), len(police_rows))
    most = _maximum_matched(first, second, len(ed_rows), len(police_rows))

    status = np.where(matchable, UNKNOWN, NOT_MATCHABLE).astype(object)
    match_position = np.full(len(ed), -1, dtype=np.int64)
    metres_apart = np.full(len(ed), np.nan)
    time_apart = np.full(len(ed), np.nan)
    matched_rows = ed_rows[chosen >= 0]
    picked = chosen[chosen >= 0]
    status[matched_rows] = MATCHED
    match_position[matched_rows] = police_rows[second[picked]]
    metres_apart[matched_rows] = metres[picked]
    time_apart[matched_rows] = apart[picked]

    police_label = pd.Series(pd.NA, index=ed.index, dtype=object)
    has_match = match_position >= 0
    police_label[has_match] = police.index.to_numpy()[match_position[has_match]]
    assaults = pd.DataFrame(
        {
            "status": pd.Categorical(status, categories=STATUSES),
            "reason": pd.Series(reason, index=ed.index).replace("", pd.NA),
            "police_match": police_label,
            "metres_apart": metres_apart,
            "days_apart" if dated_by == "day" else "months_apart": time_apart,
            "area": _text(ed[area_column], NOT_RECORDED).to_numpy(),
            "month": _month_labels(ed_dates),
            "hour_band": _hour_bands(ed),
            "night_time_economy": _night_time_economy(ed),
            "weekday": _weekdays(ed_dates),
            "means_of_assault": _text(ed["means_of_assault"], NOT_RECORDED).to_numpy(),
            "geocode_confidence": confidence_text.to_numpy(),
            "date_source": _date_source(ed),
        },
        index=ed.index,
    )

    def table(column: str | None, order: Sequence[str] | None = None) -> pd.DataFrame:
        return share_unknown(assaults, by=column, order=order, confidence=confidence)

    by_area = table("area")
    by_area["police_recorded"] = _police_by_area(police, area_column, by_area["group"])
    months = sorted(set(assaults["month"]) - {NO_DATE})
    caveats = [_AREA_CAVEAT]
    if dated_by == "month":
        caveats.insert(0, _MONTH_CAVEAT)
    return CardiffComparison(
        assaults=assaults,
        overall=table(None),
        by_area=by_area,
        by_month=table("month", [*months, NO_DATE]),
        by_hour_band=table("hour_band", [*HOUR_BANDS, HOUR_UNKNOWN]),
        by_night_time_economy=table("night_time_economy", [*NIGHT_TIME_ECONOMY, HOUR_UNKNOWN]),
        by_weekday=table("weekday", [*WEEKDAYS, NO_DATE]),
        by_means_of_assault=table("means_of_assault"),
        by_geocode_confidence=table("geocode_confidence", CONFIDENCE_ORDER),
        by_date_source=table("date_source", ("incident", "arrival")),
        matched_if_maximised=most,
        distance=limit,
        days=window,
        dated_by=dated_by,
        police_without_location=int((~police_located).sum()),
        method=GREEDY_METHOD,
        caveats=tuple(caveats),
    )


def share_unknown(
    assaults: pd.DataFrame,
    by: str | None = None,
    *,
    order: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The share of matchable ED assaults unknown to police, with Wilson limits.

    ``assaults`` is :attr:`CardiffComparison.assaults` (or any frame with its ``status``
    column); ``by`` names a column to group by (``None``: one row, group ``"all"``).
    Groups listed in ``order`` come first, in that order; the rest follow sorted.

    Examples
    --------
    >>> assaults = pd.DataFrame({"status": ["matched", "unknown to police",
    ...     "unknown to police", "not matchable"], "area": ["A", "A", "B", "B"]})
    >>> share_unknown(assaults, "area")[["group", "ed_assaults", "share_unknown"]]
      group  ed_assaults  share_unknown
    0     A            2            0.5
    1     B            2            1.0
    """
    status = assaults["status"].astype(str)
    keys = pd.Series("all", index=assaults.index) if by is None else assaults[by].astype(str)
    counts = pd.crosstab(keys, status).reindex(columns=list(STATUSES), fill_value=0)
    present = list(counts.index)
    wanted = [group for group in (order or ()) if group in present]
    counts = counts.loc[wanted + sorted(set(present) - set(wanted))]
    matched = counts[MATCHED].to_numpy(dtype=np.int64)
    unknown = counts[UNKNOWN].to_numpy(dtype=np.int64)
    matchable = matched + unknown
    lower, upper = _wilson(unknown, matchable, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(matchable > 0, unknown / np.maximum(matchable, 1), np.nan)
    return pd.DataFrame(
        {
            "group": [str(group) for group in counts.index],
            "ed_assaults": counts.sum(axis=1).to_numpy(dtype=np.int64),
            "not_matchable": counts[NOT_MATCHABLE].to_numpy(dtype=np.int64),
            "matched": matched,
            "unknown_to_police": unknown,
            "share_unknown": share,
            "lower": lower,
            "upper": upper,
        }
    )


#: Police dates are shifted by these to see how often an assault matches by coincidence:
#: whole weeks (the day of the week kept), each more than twice the matching window so
#: that no true link survives, and near enough to keep the season and the local ebb and
#: flow of violence; whole months for police data dated by month.
CHANCE_SHIFT_DAYS = (-28, -21, -14, -7, 7, 14, 21, 28)
CHANCE_SHIFT_MONTHS = (-3, -2, -1, 1, 2, 3)
CORRECTED_COLUMNS = (
    "group",
    "matchable",
    "matched",
    "chance_match_share",
    "share_unknown",
    "share_unknown_corrected",
    "lower",
    "upper",
)


def chance_matches(
    ed: pd.DataFrame,
    police: pd.DataFrame,
    *,
    shifts: Sequence[int] | None = None,
    **options: Any,
) -> FloatArray:
    """For each ED assault, the share of date-shifted runs in which it matched a police
    crime: how often it matches by coincidence of place and time alone.

    The police dates are moved by each of ``shifts`` (days, or months with
    ``dated_by="month"``; default :data:`CHANCE_SHIFT_DAYS` or :data:`CHANCE_SHIFT_MONTHS`),
    wrapping round the police data's span so that no crime is lost at its ends, and the
    assaults matched again with :func:`compare_ed_with_police` and ``options``. A shift
    breaks every true link, so what still matches is coincidence.
    """
    dated_by = options.get("dated_by", "day")
    if shifts is None:
        shifts = CHANCE_SHIFT_DAYS if dated_by == "day" else CHANCE_SHIFT_MONTHS
    if not shifts:
        raise ValueError("shifts: give at least one shift")
    window = int(options.get("days", DEFAULT_DAYS)) if dated_by == "day" else 0
    short = [shift for shift in shifts if abs(int(shift)) <= 2 * window]
    if short:
        raise ValueError(
            f"shifts: {short} would keep true links (a shift must be more than twice the "
            f"{window}-day window)"
        )
    unit = "D" if dated_by == "day" else "M"
    dates = _dates(police["date"], "police", allow_missing=False)
    numbers = _time_numbers(dates, unit)
    start, span = int(numbers.min()), int(numbers.max() - numbers.min()) + 1
    matched = np.zeros(len(ed), dtype=np.float64)
    for shift in shifts:
        moved = start + (numbers - start + int(shift)) % span
        shifted = police.assign(
            date=np.asarray(moved, dtype=f"datetime64[{unit}]").astype("datetime64[ns]")
        )
        result = compare_ed_with_police(ed, shifted, **options)
        matched += (result.assaults["status"] == MATCHED).to_numpy()
    return matched / len(shifts)


def corrected_share_unknown(
    assaults: pd.DataFrame,
    chance: ArrayLike,
    by: str | None = None,
    *,
    police_crimes: int | None = None,
    order: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The share unknown to police corrected for coincidental matches, by group.

    An assault truly known to police matches its crime; one unknown to police matches by
    coincidence with probability ``c'``. So the observed share matched is
    ``m = k + (1 - k) c'`` and the share unknown is ``1 - k = (1 - m) / (1 - c')``.

    ``c'`` comes from the date-shifted runs (:func:`chance_matches`; ``c`` is the mean
    over a group's matchable assaults), with one adjustment: in the shifted runs every
    police crime is free to match by coincidence, while in the real data the crimes of
    the assaults known to police are taken by them. Coincidences are treated as a Poisson
    count in the crimes free, ``c = 1 - exp(-lambda)``, so with a share ``d`` of the
    ``police_crimes`` taken, ``c' = 1 - (1 - c) ** (1 - d)``; ``d = k N / P`` is solved
    with ``k`` over all assaults (``N`` matchable assaults, ``P`` police crimes) and used
    for every group. Without ``police_crimes`` no crime is taken (``d = 0``), which
    overstates coincidence. The Wilson limits of the observed share are carried through
    the same formula (``c'`` taken as known) and capped at 1.
    """
    table = share_unknown(assaults, by, order=order, confidence=confidence)
    frame = pd.DataFrame(
        {
            "key": "all" if by is None else assaults[by].astype(str),
            "chance": np.asarray(chance, dtype=np.float64),
            "matchable": (assaults["status"].astype(str) != NOT_MATCHABLE).to_numpy(),
        },
        index=assaults.index,
    )
    chosen = frame[frame["matchable"]]
    taken = _share_taken(
        int((assaults["status"].astype(str) == MATCHED).sum()),
        len(chosen),
        float(chosen["chance"].mean()) if len(chosen) else 0.0,
        police_crimes,
    )
    c = table["group"].map(chosen.groupby("key")["chance"].mean()).to_numpy(dtype=np.float64)
    free = 1 - c  # the chance of no coincidence, before and after the crimes taken
    with np.errstate(divide="ignore", invalid="ignore"):
        free_after = np.where(free > 0, free ** (1 - taken), np.nan)
        corrected = np.minimum(table["share_unknown"].to_numpy() / free_after, 1.0)
        lower = np.minimum(table["lower"].to_numpy() / free_after, 1.0)
        upper = np.minimum(table["upper"].to_numpy() / free_after, 1.0)
    return pd.DataFrame(
        {
            "group": table["group"],
            "matchable": table["matched"] + table["unknown_to_police"],
            "matched": table["matched"],
            "chance_match_share": 1 - free_after,
            "share_unknown": table["share_unknown"],
            "share_unknown_corrected": corrected,
            "lower": lower,
            "upper": upper,
        }
    )


def _share_taken(matched: int, matchable: int, chance: float, police_crimes: int | None) -> float:
    """The share ``d`` of police crimes taken by assaults truly known to police: solves
    ``m = k + (1 - k)(1 - (1 - c) ** (1 - k N / P))`` for ``k`` (it rises with ``k``)."""
    if not police_crimes or matchable == 0 or chance <= 0:
        return 0.0
    if chance >= 1:
        return min(matched / police_crimes, 1.0)
    m, n, p = matched / matchable, matchable, float(police_crimes)

    def excess(k: float) -> float:
        taken = min(k * n / p, 1.0)
        return float(k + (1 - k) * (1 - (1 - chance) ** (1 - taken)) - m)

    if excess(0.0) >= 0:
        return 0.0
    k = float(optimize.brentq(excess, 0.0, 1.0))
    return min(k * n / p, 1.0)


def hidden_hotspots(
    ed_counts: ArrayLike,
    police_counts: ArrayLike,
    *,
    minimum_ed: int = DEFAULT_MINIMUM_ED,
    fdr: float = 0.05,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Cells where ED-reported violence concentrates but police-recorded violence does not.

    Conditional on a cell's total ``n = ed + police``, its ED count is
    ``Binomial(n, p0)`` with ``p0 = total ED / (total ED + total police)`` when the two
    sources are spread alike. Each cell with ``n > 0`` is tested one-sided (more ED than
    expected), the p-values adjusted by Benjamini-Hochberg across the cells tested
    (``scipy.stats.false_discovery_control``), and a cell is a hidden hotspot when
    ``q <= fdr`` and it has at least ``minimum_ed`` ED assaults. The ratio is the cell's
    share of all ED assaults over its share of police violence, with exact conditional
    limits (:func:`~vrn.analytics.stats.rate_ratio`).

    Parameters
    ----------
    ed_counts, police_counts : array_like
        Counts per cell over the same period and cells (1-d; ``ravel()`` a grid first).
        A pandas Series lends its index to the result.
    minimum_ed : int, default 5
        Fewest ED assaults a flagged cell may have.
    fdr : float, default 0.05
        False discovery rate.
    confidence : float, default 0.95
        Level of the ratio's two-sided limits.

    Returns
    -------
    pandas.DataFrame
        One row per cell: ``ed``, ``police``, ``total``, ``expected_ed`` (``n p0``),
        ``ratio``, ``lower``, ``upper``, ``p_value``, ``q_value`` (NaN when untested),
        ``tested``, ``hidden_hotspot`` and ``note`` (why a ratio is missing).

    Examples
    --------
    >>> cells = hidden_hotspots([30, 10, 10, 0], [10, 30, 30, 0])
    >>> cells[["ed", "police", "tested", "hidden_hotspot"]]
       ed  police  tested  hidden_hotspot
    0  30      10    True            True
    1  10      30    True           False
    2  10      30    True           False
    3   0       0   False           False
    """
    index = ed_counts.index if isinstance(ed_counts, pd.Series) else None
    ed = _counts(ed_counts, "ed_counts")
    police = _counts(police_counts, "police_counts")
    if ed.shape != police.shape:
        raise ValueError(
            f"ed_counts, police_counts: expected the same cells, not {len(ed)} and {len(police)}"
        )
    if ed.sum() == 0 or police.sum() == 0:
        raise ValueError("ed_counts, police_counts: each needs at least one event over all cells")
    if not 0 < fdr < 1:
        raise ValueError(f"fdr: expected a rate between 0 and 1, not {fdr!r}")
    if isinstance(minimum_ed, bool) or not isinstance(minimum_ed, int | np.integer):
        raise ValueError(f"minimum_ed: expected a whole number, not {minimum_ed!r}")
    total = ed + police
    share = ed.sum() / total.sum()
    tested = total > 0
    p_value = np.full(len(ed), np.nan)
    p_value[tested] = scipy_stats.binom.sf(ed[tested] - 1, total[tested], share)
    q_value = np.full(len(ed), np.nan)
    if tested.any():
        q_value[tested] = scipy_stats.false_discovery_control(p_value[tested], method="bh")
    ratio = rate_ratio(ed, ed.sum(), police, police.sum(), confidence=confidence)
    flagged = tested & (np.nan_to_num(q_value, nan=1.0) <= fdr) & (ed >= minimum_ed)
    result = pd.DataFrame(
        {
            "ed": ed,
            "police": police,
            "total": total,
            "expected_ed": total * share,
            "ratio": ratio["value"].to_numpy(),
            "lower": ratio["lowercl"].to_numpy(),
            "upper": ratio["uppercl"].to_numpy(),
            "p_value": p_value,
            "q_value": q_value,
            "tested": tested,
            "hidden_hotspot": flagged,
            "note": ratio["note"].to_numpy(),
        }
    )
    if index is not None:
        result.index = index
    return result


# --- matching ------------------------------------------------------------------------------


def _candidates(
    ed: tuple[FloatArray, FloatArray, IntArray],
    police: tuple[FloatArray, FloatArray, IntArray],
    limit: float,
    window: int,
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Every (assault, crime) pair within ``limit`` metres and ``window`` time units.

    Time is scaled so the window fits inside the distance; a box search in three
    dimensions (Chebyshev distance) finds a superset, filtered exactly afterwards.
    """
    empty = np.zeros(0, dtype=np.int64)
    if len(ed[0]) == 0 or len(police[0]) == 0:
        return empty, empty, np.zeros(0), empty
    scale = limit / (window + 0.5)
    ed_tree = cKDTree(np.column_stack([ed[0], ed[1], ed[2] * scale]))
    police_tree = cKDTree(np.column_stack([police[0], police[1], police[2] * scale]))
    pairs = ed_tree.sparse_distance_matrix(
        police_tree, limit * (1 + 1e-9), p=np.inf, output_type="ndarray"
    )
    first = pairs["i"].astype(np.int64)
    second = pairs["j"].astype(np.int64)
    metres = np.hypot(ed[0][first] - police[0][second], ed[1][first] - police[1][second])
    apart = np.abs(ed[2][first] - police[2][second])
    keep = (metres <= limit) & (apart <= window)
    return first[keep], second[keep], metres[keep], apart[keep]


def _greedy(
    first: IntArray,
    second: IntArray,
    metres: FloatArray,
    apart: IntArray,
    n_ed: int,
    n_police: int,
) -> IntArray:
    """Position in the candidate arrays of each assault's match (-1: none)."""
    order = np.lexsort((second, first, metres, apart))
    chosen = np.full(n_ed, -1, dtype=np.int64)
    ed_taken = np.zeros(n_ed, dtype=bool)
    police_taken = np.zeros(n_police, dtype=bool)
    for position, assault, crime in zip(
        order.tolist(), first[order].tolist(), second[order].tolist(), strict=True
    ):
        if ed_taken[assault] or police_taken[crime]:
            continue
        ed_taken[assault] = police_taken[crime] = True
        chosen[assault] = position
    return chosen


def _maximum_matched(first: IntArray, second: IntArray, n_ed: int, n_police: int) -> int:
    if len(first) == 0:
        return 0
    graph = sparse.csr_matrix(
        (np.ones(len(first), dtype=np.int8), (first, second)), shape=(n_ed, n_police)
    )
    matching = maximum_bipartite_matching(graph, perm_type="column")
    return int((matching >= 0).sum())


# --- inputs --------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(map(repr, missing))}")


def _positive_number(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name}: expected a number of metres, not {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a positive number of metres, not {value!r}")
    return float(value)


def _whole_days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"days: expected a whole number of days, 0 or more, not {value!r}")
    return int(value)


def _coordinates(frame: pd.DataFrame, name: str) -> tuple[FloatArray, FloatArray]:
    try:
        x = frame["x"].to_numpy(dtype=np.float64, na_value=np.nan)
        y = frame["y"].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: columns 'x' and 'y' must be numbers (metres)") from None
    return x, y


def _dates(values: pd.Series, name: str, allow_missing: bool) -> pd.Series:
    try:
        dates = pd.to_datetime(values).dt.normalize()
    except (TypeError, ValueError):
        raise ValueError(f"{name}: column 'date' must hold dates") from None
    if not allow_missing and dates.isna().any():
        position = int(np.argmax(dates.isna().to_numpy()))
        raise ValueError(f"{name}: column 'date' is missing at row {values.index[position]!r}")
    return dates


def _refuse_month_dates(dates: pd.Series) -> None:
    if len(dates) >= 20 and bool((dates.dt.day == 1).all()):
        raise ValueError(
            "police: every date is the first of a month, as in data.police.uk; "
            "pass dated_by='month'"
        )


def _time_numbers(dates: pd.Series, unit: str) -> IntArray:
    values = dates.to_numpy(dtype="datetime64[ns]").astype(f"datetime64[{unit}]")
    numbers = values.astype(np.int64)
    return np.where(np.isnat(values), 0, numbers).astype(np.int64)


def _text(values: pd.Series, missing: str) -> pd.Series:
    return values.astype(object).where(values.notna(), missing).astype(str)


def _hours(ed: pd.DataFrame) -> FloatArray:
    if "hour" not in ed.columns:
        return np.full(len(ed), np.nan)
    hours = np.asarray(pd.to_numeric(ed["hour"], errors="coerce"), dtype=np.float64)
    bad = np.isfinite(hours) & ((hours < 0) | (hours > 23) | (hours != np.floor(hours)))
    if bad.any():
        position = int(np.argmax(bad))
        raise ValueError(f"ed: column 'hour' holds {hours[position]!r}; expected 0 to 23")
    return hours


def _hour_bands(ed: pd.DataFrame) -> NDArray[Any]:
    hours = _hours(ed)
    band = np.array(HOUR_BANDS, dtype=object)[np.nan_to_num(hours // 6).astype(int)]
    return np.where(np.isnan(hours), HOUR_UNKNOWN, band)


def _night_time_economy(ed: pd.DataFrame) -> NDArray[Any]:
    hours = _hours(ed)
    night = (hours >= 21) | (hours < 6)
    labels = np.where(night, NIGHT_TIME_ECONOMY[0], NIGHT_TIME_ECONOMY[1]).astype(object)
    return np.where(np.isnan(hours), HOUR_UNKNOWN, labels)


def _month_labels(dates: pd.Series) -> NDArray[Any]:
    return np.asarray(dates.dt.strftime("%Y-%m").fillna(NO_DATE), dtype=object)


def _weekdays(dates: pd.Series) -> NDArray[Any]:
    numbers = dates.dt.dayofweek.to_numpy(dtype=np.float64, na_value=np.nan)
    names = np.array(WEEKDAYS, dtype=object)[np.nan_to_num(numbers).astype(int)]
    return np.where(np.isnan(numbers), NO_DATE, names)


def _date_source(ed: pd.DataFrame) -> NDArray[Any]:
    if "date_source" not in ed.columns:
        return np.full(len(ed), NOT_RECORDED, dtype=object)
    return np.asarray(_text(ed["date_source"], NOT_RECORDED), dtype=object)


def _police_by_area(police: pd.DataFrame, area_column: str, groups: pd.Series) -> pd.Series:
    if area_column not in police.columns:
        return pd.Series(pd.NA, index=groups.index, dtype="Int64")
    counts = _text(police[area_column], NOT_RECORDED).value_counts()
    return pd.Series(
        counts.reindex(groups.to_numpy(), fill_value=0).to_numpy(), index=groups.index
    ).astype("Int64")


def _wilson(unknown: IntArray, matchable: IntArray, confidence: float) -> tuple[FloatArray, ...]:
    lower = np.full(len(unknown), np.nan)
    upper = np.full(len(unknown), np.nan)
    some = matchable > 0
    if some.any():
        lower[some], upper[some] = wilson_interval(unknown[some], matchable[some], confidence)
    return lower, upper


def _counts(values: ArrayLike, name: str) -> IntArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name}: expected one count per cell (1-d); ravel() a grid first")
    bad = ~np.isfinite(array) | (array < 0) | (array != np.round(array))
    if bad.any():
        position = int(np.argmax(bad))
        raise ValueError(
            f"{name}: expected whole counts, 0 or more; cell {position} holds {array[position]!r}"
        )
    return array.astype(np.int64)
