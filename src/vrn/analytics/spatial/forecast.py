"""Next-month crime risk per grid cell from monthly counts.

Every method scores each cell for ``target_month`` from the months strictly before it;
:func:`forecast` slices the history, so no method can see the target month or later.
Methods are registered by name in :data:`METHODS` with a description, a reference and
their parameters; :data:`DEFAULT_METHOD` is the one to use unless a comparison is wanted.
``vrn.analytics.spatial.backtest`` evaluates them. docs/statistics/forecasting.md explains
each method, its parameters and its reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, sparse
from scipy.spatial import cKDTree

Floats = np.ndarray[Any, np.dtype[np.float64]]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a method: its name, default and meaning."""

    name: str
    default: Any
    description: str


@dataclass(frozen=True)
class History:
    """What a method sees: the counts of the months before the target, and the cells.

    ``counts`` is (cells, months) for ``months`` (consecutive, ordered), the last of which
    is the month just before ``target_month``.
    """

    counts: Floats
    centre_x: Floats
    centre_y: Floats
    months: tuple[str, ...]
    target_month: str

    def __post_init__(self) -> None:
        if not self.months or self.counts.shape[1] != len(self.months):
            raise ValueError("a history needs at least one month, one column per month")
        if month_index(self.months[-1]) + 1 != month_index(self.target_month):
            raise ValueError(
                f"the history must end the month before target_month {self.target_month!r}, "
                f"not at {self.months[-1]!r}: a forecast never uses the target month or later"
            )


Scorer = Callable[[History, dict[str, Any]], Floats]


@dataclass(frozen=True)
class Method:
    """A registered forecasting method."""

    name: str
    description: str
    reference: str
    parameters: tuple[Parameter, ...]
    score: Scorer

    def defaults(self) -> dict[str, Any]:
        """The parameters' default values by name."""
        return {p.name: p.default for p in self.parameters}


# --- months -------------------------------------------------------------------------------


def month_index(label: str) -> int:
    """``"YYYY-MM"`` -> months since year 0 (consecutive months differ by 1)."""
    match = _MONTH.match(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"month {label!r} is not a 'YYYY-MM' label")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(index: int) -> str:
    """Inverse of :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def check_months(months: Sequence[str], n_columns: int) -> list[int]:
    """Validate month labels against the counts' columns; return their indices."""
    if len(months) != n_columns:
        raise ValueError(f"months has {len(months)} labels but counts has {n_columns} columns")
    indices = [month_index(m) for m in months]
    for before, after, label in zip(indices, indices[1:], months[1:], strict=False):
        if after != before + 1:
            raise ValueError(
                f"months must be consecutive and ordered: {label!r} follows {month_label(before)!r}"
            )
    return indices


# --- input checks -------------------------------------------------------------------------


def check_counts(counts: ArrayLike) -> Floats:
    """A finite, non-negative (cells, months) float array."""
    array = np.asarray(counts, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"counts must be 2-D (cells, months), not {array.ndim}-D")
    if not np.all(np.isfinite(array)):
        raise ValueError("counts must be finite (no NaN or infinity)")
    if np.any(array < 0):
        raise ValueError("counts must not be negative")
    return array


def check_cells(values: ArrayLike, n_cells: int, name: str) -> Floats:
    """A finite 1-D array with one value per cell."""
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (n_cells,):
        raise ValueError(
            f"{name} must have one value per cell ({n_cells}), not shape {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN)")
    return array


def history_before(
    counts: ArrayLike,
    centre_x: ArrayLike,
    centre_y: ArrayLike,
    months: Sequence[str],
    target_month: str,
) -> History:
    """The months strictly before ``target_month``, checked.

    The target may be any month after the first, up to the month after the last: a forecast
    is always one month ahead of its history. Months from the target on are dropped.
    """
    array = check_counts(counts)
    indices = check_months(months, array.shape[1])
    target = month_index(target_month)
    n_cells = array.shape[0]
    x = check_cells(centre_x, n_cells, "centre_x")
    y = check_cells(centre_y, n_cells, "centre_y")
    if not indices or target <= indices[0]:
        first = months[0] if months else "none"
        raise ValueError(
            f"no training data: target_month {target_month!r} must be after the "
            f"first month of counts ({first!r})"
        )
    if target > indices[-1] + 1:
        raise ValueError(
            f"target_month {target_month!r} is more than one month after the last "
            f"month of counts ({months[-1]!r}); forecasts are one month ahead"
        )
    n_train = target - indices[0]
    return History(
        counts=np.ascontiguousarray(array[:, :n_train]),
        centre_x=x,
        centre_y=y,
        months=tuple(months[:n_train]),
        target_month=target_month,
    )


# --- neighbours ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _pairs_cached(
    x_bytes: bytes, y_bytes: bytes, radius: float
) -> tuple[np.ndarray[Any, np.dtype[np.intp]], np.ndarray[Any, np.dtype[np.intp]], Floats]:
    x = np.frombuffer(x_bytes, dtype=np.float64)
    y = np.frombuffer(y_bytes, dtype=np.float64)
    tree = cKDTree(np.column_stack([x, y]))
    found = tree.sparse_distance_matrix(tree, radius, output_type="ndarray")
    rows = np.asarray(found["i"], dtype=np.intp)
    cols = np.asarray(found["j"], dtype=np.intp)
    distance = np.asarray(found["v"], dtype=np.float64)
    for array in (rows, cols, distance):
        array.setflags(write=False)
    return rows, cols, distance


def cell_pairs(
    centre_x: Floats, centre_y: Floats, radius: float
) -> tuple[np.ndarray[Any, np.dtype[np.intp]], np.ndarray[Any, np.dtype[np.intp]], Floats]:
    """Every pair of cells (itself included) whose centres are within ``radius`` metres."""
    return _pairs_cached(
        np.ascontiguousarray(centre_x, dtype=np.float64).tobytes(),
        np.ascontiguousarray(centre_y, dtype=np.float64).tobytes(),
        float(radius),
    )


def cell_spacing(centre_x: Floats, centre_y: Floats) -> float:
    """The median distance from a cell centre to its nearest neighbour (the cell width of a
    square grid)."""
    if centre_x.size < 2:
        raise ValueError("the cell spacing needs at least two cells")
    tree = cKDTree(np.column_stack([centre_x, centre_y]))
    distance, _ = tree.query(np.column_stack([centre_x, centre_y]), k=2)
    return float(np.median(distance[:, 1]))


def _kernel_matrix(
    history: History, radius: float, weight: Callable[[Floats], Floats]
) -> sparse.csr_matrix:
    rows, cols, distance = cell_pairs(history.centre_x, history.centre_y, radius)
    n = history.centre_x.size
    return sparse.csr_matrix((weight(distance), (rows, cols)), shape=(n, n))


def quartic(distance: Floats, bandwidth: float) -> Floats:
    """The quartic (biweight) kernel in crimes per km^2 for one event: 3/(pi h^2) (1-d^2/h^2)^2
    within the bandwidth ``h`` (metres), else 0."""
    h_km = bandwidth / 1000.0
    u = np.clip(1.0 - (distance / bandwidth) ** 2, 0.0, None)
    return np.asarray(3.0 / (np.pi * h_km**2) * u**2, dtype=np.float64)


# --- methods ------------------------------------------------------------------------------


def _last_month(history: History, params: dict[str, Any]) -> Floats:
    return history.counts[:, -1].copy()


def _long_run(history: History, params: dict[str, Any]) -> Floats:
    return np.asarray(history.counts.sum(axis=1), dtype=np.float64)


def _positive(params: dict[str, Any], name: str) -> float:
    value = float(params[name])
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, not {params[name]!r}")
    return value


def _whole(params: dict[str, Any], name: str, minimum: int = 1) -> int:
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _retrospective(history: History, params: dict[str, Any]) -> Floats:
    bandwidth = _positive(params, "bandwidth_m")
    window = _whole(params, "window_months")
    recent = history.counts[:, -window:]
    kernel = _kernel_matrix(history, bandwidth, lambda d: quartic(d, bandwidth))
    return np.asarray(kernel @ recent.sum(axis=1) / recent.shape[1], dtype=np.float64)


def _prospective(history: History, params: dict[str, Any]) -> Floats:
    bandwidth = _positive(params, "bandwidth_m")
    window = _whole(params, "window_months")
    band = params["distance_band_m"]
    band = (
        cell_spacing(history.centre_x, history.centre_y) / 2.0
        if band is None
        else _positive(params, "distance_band_m")
    )
    kernel = _kernel_matrix(history, bandwidth, lambda d: 1.0 / (1.0 + np.floor(d / band + 1e-9)))
    recent = history.counts[:, -window:][:, ::-1]  # column k: k whole months elapsed
    time_weight = 1.0 / (1.0 + np.arange(recent.shape[1]))
    return np.asarray(kernel @ (recent @ time_weight), dtype=np.float64)


# --- the default: a rolling-origin Poisson blend ---------------------------------------------


@dataclass(frozen=True)
class BlendFit:
    """The fitted blend for one target month: the weight of each term (expected crimes per
    month in the cell = sum of weight x term), the origins it was fitted on, and the terms
    for the target month (cells x terms)."""

    terms: tuple[str, ...]
    weights: Floats
    origins: tuple[str, ...]
    features: Floats

    def scores(self) -> Floats:
        """Expected crimes in each cell in the target month."""
        return np.asarray(self.features @ self.weights, dtype=np.float64)


def _neighbour_mean(history: History, radius: float) -> sparse.csr_matrix:
    """Quartic-weighted mean over the other cells within ``radius``, scaled so a cell with a
    full ring of neighbours has weights summing to 1 (missing neighbours count as 0)."""
    rows, cols, distance = cell_pairs(history.centre_x, history.centre_y, radius)
    other = rows != cols
    weight = (1.0 - (distance[other] / radius) ** 2) ** 2
    n = history.centre_x.size
    matrix = sparse.csr_matrix((weight, (rows[other], cols[other])), shape=(n, n))
    full = float(matrix.sum(axis=1).max()) if matrix.nnz else 1.0
    return sparse.csr_matrix(matrix / full)


def _blend_terms(history: History, params: dict[str, Any]) -> tuple[list[str], Floats]:
    """Terms for every origin 1..T (array cells x origins x terms); origin t forecasts
    month t from months < t, origin T is the target."""
    counts = history.counts
    n, months = counts.shape
    near = _neighbour_mean(history, _positive(params, "near_m"))
    wide = _neighbour_mean(history, _positive(params, "wide_m"))
    recent_months = _whole(params, "recent_months")
    cumulative = np.zeros((n, months + 1))
    np.cumsum(counts, axis=1, out=cumulative[:, 1:])
    origin = np.arange(1, months + 1)
    long_run = cumulative[:, 1:] / origin  # mean a month before each origin
    start = np.maximum(origin - recent_months, 0)
    recent = (cumulative[:, 1:] - cumulative[:, start]) / (origin - start)
    terms: list[tuple[str, Floats]] = [
        ("cell long-run", long_run),
        ("near long-run", np.asarray(near @ long_run)),
        ("wide long-run", np.asarray(wide @ long_run)),
        ("cell recent", recent),
        ("near recent", np.asarray(near @ recent)),
        ("constant", np.ones_like(long_run)),
    ]
    if params["seasonal"]:
        seasonal = np.full_like(long_run, np.nan)
        lagged = counts[:, : max(months - 11, 0)]  # month t - 12 for origins t >= 12
        if lagged.shape[1]:
            smoothed = lagged + np.asarray(near @ lagged)
            seasonal[:, 11:] = smoothed
        terms.insert(-1, ("same month last year", seasonal))
    names = [name for name, _ in terms]
    return names, np.stack([values for _, values in terms], axis=2)


def _fit_weights(features: Floats, outcome: Floats) -> Floats:
    """Non-negative weights maximising the Poisson likelihood of ``outcome`` with mean
    ``features @ w`` (identity link). Rows with no crimes enter only through the sum."""
    total = features.sum(axis=0)
    positive = outcome > 0
    x = features[positive]
    y = outcome[positive]
    scale = np.where(total > 0, total, 1.0)

    def objective(w_scaled: Floats) -> tuple[float, Floats]:
        w = w_scaled / scale
        mean = np.maximum(x @ w, 1e-300)
        value = float(total @ w - y @ np.log(mean))
        gradient = (total - x.T @ (y / mean)) / scale
        return value, gradient

    start = np.full(features.shape[1], outcome.sum() / features.shape[1])
    result = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(1e-9 * max(outcome.sum(), 1.0), None)] * features.shape[1],
        options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-9},
    )
    return np.asarray(result.x / scale, dtype=np.float64)


def fit_blend(history: History, params: dict[str, Any]) -> BlendFit:
    """Fit the blend's weights by rolling origin on the history alone."""
    names, terms = _blend_terms(history, params)
    months = history.counts.shape[1]
    # Origin t forecasts month t (0-based) from months < t; its terms are column t - 1.
    origins = list(range(min(_whole(params, "min_history"), months - 1), months))
    keep = list(range(len(names)))
    if "same month last year" in names:
        seasonal_origins = [t for t in origins if t >= 12]
        if len(seasonal_origins) >= _whole(params, "seasonal_min_origins"):
            origins = seasonal_origins
        else:
            keep.remove(names.index("same month last year"))
    used = tuple(names[k] for k in keep)
    target_terms = np.ascontiguousarray(terms[:, -1, :][:, keep])
    if origins[0] < 1:
        # One month of history leaves nothing to fit on: the blend is the cell's count.
        weights = np.asarray([float(name == "cell long-run") for name in used])
        return BlendFit(used, weights, (), target_terms)
    x = terms[:, [t - 1 for t in origins], :][:, :, keep].reshape(-1, len(keep))
    y = history.counts[:, origins].reshape(-1)
    return BlendFit(
        used, _fit_weights(x, y), tuple(history.months[t] for t in origins), target_terms
    )


def _blend(history: History, params: dict[str, Any]) -> Floats:
    return fit_blend(history, params).scores()


# --- registry -----------------------------------------------------------------------------

METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method(
            "last-month",
            "Naive: the cell's count in the month before the target.",
            "Naive baseline.",
            (),
            _last_month,
        ),
        Method(
            "long-run",
            "Naive: the cell's count over all the months before the target.",
            "Naive baseline.",
            (),
            _long_run,
        ),
        Method(
            "retrospective",
            "Quartic kernel density (crimes per km^2 a month) of the events in a fixed window "
            "of past months, no time decay.",
            "Bowers, Johnson and Pease (2004), the retrospective comparison; quartic kernel "
            "as in Chainey, Tompson and Uhlig (2008).",
            (
                Parameter("bandwidth_m", 400.0, "kernel bandwidth (metres)"),
                Parameter("window_months", 12, "months of history used"),
            ),
            _retrospective,
        ),
        Method(
            "prospective",
            "Prospective hotspotting: each past event within the bandwidth and the window "
            "adds 1/(1 + distance bands) x 1/(1 + whole months elapsed).",
            "Bowers, Johnson and Pease (2004), with months for the original's weeks.",
            (
                Parameter("bandwidth_m", 400.0, "spatial bandwidth (metres, inclusive)"),
                Parameter("window_months", 2, "temporal bandwidth (months)"),
                Parameter(
                    "distance_band_m",
                    None,
                    "width of a distance band (metres); None: half the cell spacing",
                ),
            ),
            _prospective,
        ),
        Method(
            "blend",
            "Poisson blend of the cell's and its neighbours' long-run and recent rates (and "
            "last year's same month when estimable), weights fitted by rolling origin on "
            "the training months.",
            "Non-negative stacking weights (Breiman 1996) fitted by Poisson likelihood on "
            "rolling origins (Tashman 2000).",
            (
                Parameter("near_m", 400.0, "radius of the near neighbourhood (metres)"),
                Parameter("wide_m", 1000.0, "radius of the wide neighbourhood (metres)"),
                Parameter("recent_months", 3, "months in the recent terms"),
                Parameter("min_history", 6, "months of history before the first origin"),
                Parameter("seasonal", True, "use the same month last year when estimable"),
                Parameter(
                    "seasonal_min_origins",
                    3,
                    "origins with a year of history needed to fit the seasonal term",
                ),
            ),
            _blend,
        ),
    )
}

#: The method to use unless comparing: it beat both naive baselines on the real
#: backtest reported in docs/statistics/forecasting.md.
DEFAULT_METHOD = "blend"


def get_method(name: str | None) -> Method:
    """The registered method called ``name`` (None: the default)."""
    key = DEFAULT_METHOD if name is None else name
    try:
        return METHODS[key]
    except KeyError:
        raise ValueError(f"unknown method {key!r}; choose from {', '.join(METHODS)}") from None


def resolve_parameters(method: Method, params: dict[str, Any]) -> dict[str, Any]:
    """The method's defaults updated with ``params``; unknown names are refused."""
    known = method.defaults()
    unknown = sorted(set(params) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise ValueError(
            f"method {method.name!r} has no parameter {', '.join(unknown)} (parameters: {allowed})"
        )
    return {**known, **params}


def forecast(
    method: str | None,
    counts: ArrayLike,
    centre_x: ArrayLike,
    centre_y: ArrayLike,
    months: Sequence[str],
    target_month: str,
    **params: Any,
) -> Floats:
    """Score each cell's risk in ``target_month`` from the months strictly before it.

    ``counts`` is (cells, months) for the consecutive ``months`` ("YYYY-MM"); centres are in
    metres. Higher scores mean higher risk. ``method`` None is :data:`DEFAULT_METHOD`.

    >>> forecast("long-run", [[1, 2, 9], [0, 1, 0]], [0, 250], [0, 0],
    ...          ["2024-01", "2024-02", "2024-03"], "2024-03").tolist()
    [3.0, 1.0]
    """
    chosen = get_method(method)
    resolved = resolve_parameters(chosen, params)
    history = history_before(counts, centre_x, centre_y, months, target_month)
    scores = np.asarray(chosen.score(history, resolved), dtype=np.float64)
    if scores.shape != (history.counts.shape[0],) or not np.all(np.isfinite(scores)):
        raise RuntimeError(
            f"method {chosen.name!r} gave scores that are not one finite value per cell"
        )
    return scores
