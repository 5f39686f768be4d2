"""Crude rates: events per a fixed number of people."""

from __future__ import annotations


def rate_per(count: int, population: int, per: int = 1000) -> float | None:
    """Crude rate of ``count`` events per ``per`` people.

    Parameters
    ----------
    count : int
        Events in the period, for example crimes recorded.
    population : int
        People at risk, the denominator (for example Census 2021 usual residents).
    per : int, default 1000
        The number of people the rate is expressed per.

    Returns
    -------
    float or None
        ``count * per / population``, not rounded; None when the population is zero,
        because there is no rate without a denominator.

    Examples
    --------
    >>> rate_per(3, 1500)
    2.0
    >>> rate_per(7, 0) is None
    True
    """
    if count < 0 or population < 0 or per <= 0:
        raise ValueError(
            f"count and population must be non-negative and per positive, "
            f"not {count}, {population}, {per}"
        )
    if population == 0:
        return None
    return count * per / population
