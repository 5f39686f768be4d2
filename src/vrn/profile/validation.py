"""Checking the profile's figures against an independent published source.

:func:`lsoa_violence_agreement` measures how well two per-LSOA rates rank the LSOAs alike
(Spearman's rho with a Fisher z interval, and Kendall's tau). It only needs pandas and
scipy. :func:`measure_real_data_agreement` applies it to the loaded data: our rate of
data.police.uk "Violence and sexual offences" per 1,000 residents (Census 2021, all ages)
a year, against the IoD2025 violence indicators (with injury + without injury, per 1,000
at-risk population), for every LSOA of the network. docs/profile-validation.md gives the
figures measured on the real Leicester, Leicestershire and Rutland data and why the two
rates differ.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from scipy import stats as scipy_stats

from vrn.analytics.crosstab import Rates, crosstab
from vrn.analytics.measures import Period
from vrn.profile.queries import lsoa_places, residents, street_crime_events

#: The data.police.uk category counted as violence.
VIOLENCE = "Violence and sexual offences"
#: The IoD2025 indicators summed into their violence rate (per 1,000 at-risk population).
IOD_VIOLENCE_COLUMNS = (
    "violence_with_injury_rate_per_1_000_at_risk_population",
    "violence_without_injury_rate_per_1_000_at_risk_population",
)
IOD_LSOA_COLUMN = "lsoa21_code"


@dataclass(frozen=True)
class Agreement:
    """How alike two per-LSOA rates rank the ``lsoas`` they both give a rate for.

    ``rho`` is Spearman's rank correlation with its ``confidence`` interval
    (``rho_lower``, ``rho_upper``: Fisher's z with the Bonett and Wright (2000) standard
    error sqrt((1 + rho^2 / 2) / (n - 3))); ``tau`` is Kendall's tau-b, for information.
    """

    lsoas: tuple[str, ...]
    rho: float
    rho_lower: float
    rho_upper: float
    tau: float
    confidence: float = 0.95

    @property
    def n(self) -> int:
        return len(self.lsoas)

    def __str__(self) -> str:
        return (
            f"Spearman rho {self.rho:.3f} ({self.confidence:.0%} CI {self.rho_lower:.3f} to "
            f"{self.rho_upper:.3f}), Kendall tau {self.tau:.3f}, n = {self.n} LSOAs"
        )


def lsoa_violence_agreement(
    ours: pd.DataFrame, theirs: pd.DataFrame, confidence: float = 0.95
) -> Agreement:
    """Rank agreement of two per-LSOA rates, each a frame with ``lsoa`` and ``rate``.

    Only the LSOAs with a rate in both frames are compared (a missing rate leaves the LSOA
    out). ValueError when an LSOA appears twice in a frame, when fewer than four LSOAs are
    left, or when either rate is the same in every LSOA (no ranking to compare).

    >>> ours = pd.DataFrame({"lsoa": ["a", "b", "c", "d", "e"], "rate": [1, 2, 3, 4, 5.0]})
    >>> theirs = pd.DataFrame({"lsoa": ["e", "d", "c", "b", "a"], "rate": [9, 7, 8, 2, 1.0]})
    >>> agreement = lsoa_violence_agreement(ours, theirs)
    >>> round(agreement.rho, 3), round(agreement.tau, 3), agreement.n
    (0.9, 0.8, 5)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    for name, frame in (("ours", ours), ("theirs", theirs)):
        missing = {"lsoa", "rate"} - set(frame.columns)
        if missing:
            raise ValueError(f"{name}: no column {', '.join(sorted(missing))}")
        repeated = frame["lsoa"][frame["lsoa"].duplicated()]
        if not repeated.empty:
            raise ValueError(f"{name}: more than one rate for LSOA {repeated.iloc[0]}")
    both = (
        ours[["lsoa", "rate"]]
        .merge(theirs[["lsoa", "rate"]], on="lsoa", suffixes=("_ours", "_theirs"))
        .dropna()
        .sort_values("lsoa")
    )
    n = len(both)
    if n < 4:
        raise ValueError(f"only {n} LSOAs have both rates: at least 4 are needed")
    x = both["rate_ours"].to_numpy(dtype=float)
    y = both["rate_theirs"].to_numpy(dtype=float)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ValueError("a rate is the same in every LSOA: there is no ranking to compare")
    rho = _exact_extremes(float(scipy_stats.spearmanr(x, y).statistic))
    tau = _exact_extremes(float(scipy_stats.kendalltau(x, y).statistic))
    lower, upper = _fisher_interval(rho, n, confidence)
    return Agreement(
        lsoas=tuple(both["lsoa"].astype(str)),
        rho=rho,
        rho_lower=lower,
        rho_upper=upper,
        tau=tau,
        confidence=confidence,
    )


def _exact_extremes(correlation: float) -> float:
    """A correlation of exactly 1 or -1 where rounding left it a hair away."""
    if math.isclose(abs(correlation), 1.0, rel_tol=0.0, abs_tol=1e-12):
        return math.copysign(1.0, correlation)
    return correlation


def _fisher_interval(rho: float, n: int, confidence: float) -> tuple[float, float]:
    """Fisher's z interval for Spearman's rho with the Bonett-Wright standard error."""
    if abs(rho) >= 1:
        return rho, rho
    z = math.atanh(rho)
    se = math.sqrt((1 + rho**2 / 2) / (n - 3))
    critical = float(scipy_stats.norm.ppf(0.5 + confidence / 2))
    return math.tanh(z - critical * se), math.tanh(z + critical * se)


# --- On the loaded data (Django) ----------------------------------------------------


def network_lsoas(local_authorities: Collection[str] | None = None) -> list[str]:
    """The 2021 LSOAs of ``local_authorities`` (by default the network's), sorted."""
    codes = set(
        settings.VRN_NETWORK.local_authority_codes
        if local_authorities is None
        else local_authorities
    )
    places = lsoa_places()
    return sorted(places.loc[places["local_authority"].isin(codes), "lsoa"].astype(str))


def loaded_street_period() -> tuple[Period, int]:
    """The months of the loaded data.police.uk crimes: the period from the first to the
    last, and how many distinct months are loaded (fewer than the period's if some are
    missing). ValueError when none are loaded."""
    months = street_crime_events()["month"].dropna().unique()
    if len(months) == 0:
        raise ValueError("no data.police.uk street-level crimes are loaded")
    return Period.of(min(months), max(months)), len(months)


def our_violence_rates(lsoas: Collection[str], period: Period | None = None) -> pd.DataFrame:
    """data.police.uk "Violence and sexual offences" crimes in each of ``lsoas`` per 1,000
    Census 2021 residents (all ages) a year, over the loaded months of ``period`` (all
    loaded months by default): ``lsoa``, ``count``, ``population``, ``rate``. An LSOA
    without a crime has a rate of 0; one without residents has none."""
    events = street_crime_events(period)
    months = events["month"].nunique()
    if months == 0:
        raise ValueError("no data.police.uk street-level crimes are loaded in the period")
    wanted = sorted(set(lsoas))
    violence = events.loc[events["crime_type"].eq(VIOLENCE) & events["lsoa"].isin(wanted)]
    violence = violence.assign(lsoa=pd.Categorical(violence["lsoa"], categories=wanted))
    population = residents(by=("lsoa",))
    population = population.loc[population["lsoa"].isin(wanted)].assign(
        lsoa=lambda frame: pd.Categorical(frame["lsoa"], categories=wanted)
    )
    table = crosstab(
        violence,
        ["lsoa"],
        population=Rates(population, keys=("lsoa",), per=1_000 * 12 / months),
    )
    table["lsoa"] = table["lsoa"].astype(str)
    return table[["lsoa", "count", "population", "rate"]].reset_index(drop=True)


def their_violence_rates(indicators_path: Path | str, lsoas: Collection[str]) -> pd.DataFrame:
    """The IoD2025 violence rate of each of ``lsoas`` (``lsoa``, ``rate``): violence with
    injury plus violence without injury, per 1,000 at-risk population, from the
    ``imd2025_england_lsoa21_indicators`` table (CSV, optionally gzipped)."""
    table = pd.read_csv(
        indicators_path,
        usecols=[IOD_LSOA_COLUMN, *IOD_VIOLENCE_COLUMNS],
        dtype={IOD_LSOA_COLUMN: str},
    )
    table = table.loc[table[IOD_LSOA_COLUMN].isin(set(lsoas))]
    rate = table[list(IOD_VIOLENCE_COLUMNS)].sum(axis=1, min_count=len(IOD_VIOLENCE_COLUMNS))
    return pd.DataFrame({"lsoa": table[IOD_LSOA_COLUMN].to_numpy(), "rate": rate.to_numpy()})


def measure_real_data_agreement(
    indicators_path: Path | str,
    local_authorities: Collection[str] | None = None,
    period: Period | None = None,
    confidence: float = 0.95,
) -> Agreement:
    """Agreement of our per-LSOA violence rate (:func:`our_violence_rates`, from the loaded
    data.police.uk crimes) with the IoD2025 one (:func:`their_violence_rates`), over the
    LSOAs of ``local_authorities`` (by default every authority of the network)."""
    lsoas = network_lsoas(local_authorities)
    if not lsoas:
        raise ValueError("no LSOA of these local authorities is loaded (vrn load-reference)")
    return lsoa_violence_agreement(
        our_violence_rates(lsoas, period),
        their_violence_rates(indicators_path, lsoas),
        confidence=confidence,
    )
