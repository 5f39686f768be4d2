"""Vectorised draws and formatting used by the sampler.

Every draw uses an explicit :class:`numpy.random.Generator`, consumes a fixed number of
variates per row, and is independent of how rows are grouped internally, so the output is
a function of the seed alone.
"""

from __future__ import annotations

import binascii
import math
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: Above this many categories a draw groups rows by table instead of broadcasting.
_BROADCAST_LIMIT = 64

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def cumulative(probabilities: npt.ArrayLike) -> Floats:
    """Cumulative rows for :func:`draw`; the last category with weight ends at exactly 1."""
    table = np.atleast_2d(np.asarray(probabilities, dtype=float))
    total = table.sum(axis=1, keepdims=True)
    if (total <= 0).any() or (table < 0).any():
        raise ValueError("a probability table has a row with no weight or a negative weight")
    cum = np.cumsum(table / total, axis=1)
    positive = table > 0
    last = table.shape[1] - 1 - np.argmax(positive[:, ::-1], axis=1)
    cum[np.arange(table.shape[1])[None, :] >= last[:, None]] = 1.0
    result: Floats = cum
    return result


def draw(
    rng: np.random.Generator, cum: Floats, index: npt.ArrayLike | None = None, n: int = 0
) -> Ints:
    """One categorical draw per row, from row ``index[i]`` of the cumulative table ``cum``
    (or from its single row ``n`` times). Uses exactly one uniform per row."""
    if index is None:
        u = rng.random(n)
        result: Ints = np.searchsorted(cum[0], u, side="right").astype(np.int64)
        return result
    rows = np.asarray(index, dtype=np.int64)
    u = rng.random(len(rows))
    if cum.shape[1] <= _BROADCAST_LIMIT:
        result = (u[:, None] >= cum[rows]).sum(axis=1).astype(np.int64)
        return result
    out = np.empty(len(rows), dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    ends = np.r_[starts[1:], len(rows)]
    for start, end in zip(starts, ends, strict=True):
        members = order[start:end]
        out[members] = np.searchsorted(cum[sorted_rows[start]], u[members], side="right")
    return out


def choice(rng: np.random.Generator, options: tuple[str, ...], n: int) -> npt.NDArray[Any]:
    """``n`` values drawn uniformly from ``options`` (object array)."""
    values = np.array(options, dtype=object)
    result: npt.NDArray[Any] = values[rng.integers(0, len(options), n)]
    return result


def scatter(
    rng: np.random.Generator,
    latitude: Floats,
    longitude: Floats,
    radius_m: Floats,
    normal: bool,
) -> tuple[Floats, Floats]:
    """Points around centres: uniform in a disc of ``radius_m`` or normal with that standard
    deviation. Uses two variates per point; NaN centres stay NaN."""
    first = rng.random(len(latitude))
    second = rng.random(len(latitude))
    # normal: the Box-Muller radius; disc: the square root makes the density uniform
    distance = radius_m * (np.sqrt(-2.0 * np.log1p(-first)) if normal else np.sqrt(first))
    angle = 2 * math.pi * second
    dy = distance * np.sin(angle)
    dx = distance * np.cos(angle)
    lat = latitude + dy / 111_320.0
    lon = longitude + dx / (111_320.0 * np.cos(np.radians(latitude)))
    return np.round(lat, 6), np.round(lon, 6)


def _splitmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        result: npt.NDArray[np.uint64] = z ^ (z >> np.uint64(31))
    return result


def person_keys(ids: npt.NDArray[np.uint64], salts: npt.NDArray[np.uint64]) -> npt.NDArray[Any]:
    """64-hexadecimal-digit person keys, one per synthetic person number.

    Four 64-bit lanes, each SplitMix64 of the person number mixed with a salt drawn from
    the seed. Each lane is a bijection of the person number, so different people never
    share a key; the keys look like the HMAC-SHA-256 keys partners send and are derived
    from no identifier.
    """
    ids = np.asarray(ids, dtype=np.uint64)
    lanes = np.stack(
        [_splitmix64(_splitmix64(ids ^ salt) + np.uint64(lane)) for lane, salt in enumerate(salts)],
        axis=1,
    )
    raw = lanes.astype(">u8").tobytes()
    text = binascii.hexlify(raw)
    result: npt.NDArray[Any] = np.frombuffer(text, dtype="S64").astype("U64").astype(object)
    return result


def minutes_to_text(minutes: Ints) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    """``YYYY-MM-DD HH:MM`` date-times, ``YYYY-MM-DD`` dates and ``HH:MM`` times of minutes
    since 1970-01-01 00:00 (local time)."""
    n = len(minutes)
    if n == 0:
        empty = np.array([], dtype=object)
        return empty, empty, empty
    text = np.datetime_as_string(np.asarray(minutes, dtype="datetime64[m]"), unit="m")
    codes = np.ascontiguousarray(text.astype("<U16")).view(np.uint32).reshape(n, 16).copy()
    codes[:, 10] = ord(" ")
    full = codes.view("<U16").reshape(n)
    dates = np.ascontiguousarray(codes[:, :10]).view("<U10").reshape(n)
    times = np.ascontiguousarray(codes[:, 11:]).view("<U5").reshape(n)
    return full.astype(object), dates.astype(object), times.astype(object)


def days_to_text(days: Ints) -> npt.NDArray[Any]:
    """``YYYY-MM-DD`` of days since 1970-01-01."""
    result: npt.NDArray[Any] = np.datetime_as_string(
        np.asarray(days, dtype="datetime64[D]"), unit="D"
    ).astype(object)
    return result


def skip_spring_forward(minutes: Ints) -> Ints:
    """Move local times that do not exist (the hour the UK clocks go forward, 01:00-01:59
    on the last Sunday of March) one hour later."""
    if len(minutes) == 0:
        return minutes
    days = minutes // 1440
    years = np.unique(np.asarray(days, dtype="datetime64[D]").astype("datetime64[Y]"))
    gaps = []
    for year in years.astype(int) + 1970:
        end_of_march = np.datetime64(f"{year}-03-31", "D").astype(np.int64)
        gaps.append(end_of_march - ((end_of_march + 4) % 7))  # the last Sunday
    in_gap = np.isin(days, gaps) & ((minutes % 1440) // 60 == 1)
    result: Ints = np.where(in_gap, minutes + 60, minutes)
    return result
