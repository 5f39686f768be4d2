"""Estimates of the planted findings from the files of a synthetic world, with standard
errors, computed as an analyst would: from the written CSVs and the definitions.

Each estimate is ``(value, standard_error, scale)``: ``scale`` ``"log"`` means the
standard error is of the log of the value (ratios of Poisson counts), ``"linear"`` of the
value itself (proportions; binomial, or cluster-robust where rows of one person are
correlated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from vrn.definitions import Definitions
from vrn.synth.parameters import Parameters
from vrn.synth.world import World


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    scale: str  # "log" or "linear"

    def z(self, truth: float) -> float:
        if self.scale == "log":
            return (math.log(self.value) - math.log(truth)) / self.se
        return (self.value - truth) / self.se


def proportion(successes: float, trials: float) -> Estimate:
    p = successes / trials
    return Estimate(p, math.sqrt(max(p * (1 - p), 1e-12) / trials), "linear")


def clustered_proportion(y: np.ndarray, n: np.ndarray) -> Estimate:
    """Ratio estimator sum(y) / sum(n) over independent clusters, cluster-robust SE."""
    p = y.sum() / n.sum()
    clusters = len(n)
    variance = clusters / (clusters - 1) * ((y - p * n) ** 2).sum() / n.sum() ** 2
    return Estimate(p, math.sqrt(variance), "linear")


def rate_ratio(a: float, exposure_a: float, b: float, exposure_b: float) -> Estimate:
    """(a / exposure_a) / (b / exposure_b) for independent Poisson counts a and b."""
    return Estimate((a / exposure_a) / (b / exposure_b), math.sqrt(1 / a + 1 / b), "log")


def subset_rate_ratio(a: float, exposure_a: float, b: float, exposure_b: float) -> Estimate:
    """As :func:`rate_ratio` where the count ``a`` is part of ``b`` (binomial share)."""
    p = a / b
    return Estimate((a / exposure_a) / (b / exposure_b), math.sqrt((1 - p) / a), "log")


class WorldFiles:
    """The four CSV files of a world, read as text, with the derived columns analyses use."""

    def __init__(self, directory: Path, world: World, definitions: Definitions) -> None:
        read = lambda name: pd.read_csv(directory / name, dtype=str, keep_default_na=False)  # noqa: E731
        self.definitions = definitions
        self.world = world
        crimes = read("police-crimes.csv")
        people = read("police-people.csv")
        self.istv = read("istv.csv")
        self.admissions = read("admissions.csv")
        crimes["public_place"] = crimes["location_type"] == "public"
        crimes["domestic_flag"] = crimes["domestic"] == "Y"
        classified = definitions.serious_violence.classify(
            crimes, public_place="public_place", domestic="domestic_flag"
        )
        crimes["sv"] = classified["serious_violence"]
        crimes["sv_grouping"] = crimes["offence_code"].isin(definitions.serious_violence.codes)
        people["age_n"] = pd.to_numeric(people["age"])
        suspects = people[people["role"].isin(["suspect", "offender"])]
        youngest = suspects.groupby("crime_reference")["age_n"].agg(["min", "max"])
        crimes = crimes.join(youngest, on="crime_reference")
        crimes["suspect_group"] = np.select(
            [crimes["max"] <= 24, crimes["min"] >= 25], ["u25", "o25"], "none"
        )
        la_of = dict(
            zip(world.lsoas["lsoa_code"], world.lsoas["local_authority_code"], strict=True)
        )
        decile_of = dict(zip(world.lsoas["lsoa_code"], world.lsoas["imd_decile"], strict=True))
        crimes["la"] = crimes["lsoa_code"].map(la_of)
        crimes["decile"] = crimes["lsoa_code"].map(decile_of)
        committed = pd.to_datetime(crimes["committed_from"])
        crimes["weekday"] = committed.dt.weekday
        crimes["hour"] = committed.dt.hour
        crimes["day"] = committed.dt.normalize()
        self.crimes = crimes
        self.people = people
        self.la_of = la_of
        self.decile_of = decile_of
        population = world.population
        self.population = population.to_numpy(dtype=float).sum()
        # residents under 25: the 0-15 and 16-24 groups
        self.population_u25 = population[["0-15", "16-24"]].to_numpy().sum()
        self.population_o25 = self.population - self.population_u25

    def sv(self) -> pd.DataFrame:
        return self.crimes[self.crimes["sv"]]

    def violence_admissions(self) -> pd.DataFrame:
        episodes = self.admissions.copy()
        related = self.definitions.hospital.violence_related(episodes)
        episodes = episodes[related].copy()
        episodes["cause"] = self.definitions.hospital.cause_group(episodes)
        flags = self.definitions.hospital.condition_flags(episodes)
        episodes = episodes.join(flags)
        episodes["age_n"] = pd.to_numeric(episodes["age"])
        episodes["la"] = episodes["residence_lsoa"].map(self.la_of)
        episodes["decile"] = episodes["residence_lsoa"].map(self.decile_of)
        return episodes


def estimate_all(files: WorldFiles, county: tuple[str, ...], leicester: str) -> dict[str, Estimate]:
    crimes = files.crimes
    sv = files.sv()
    out: dict[str, Estimate] = {}
    u25 = float((sv["suspect_group"] == "u25").sum())
    o25 = float((sv["suspect_group"] == "o25").sum())
    out["u25_vs_25plus_rate_ratio"] = rate_ratio(
        u25, files.population_u25, o25, files.population_o25
    )
    out["u25_perpetrator_share_public_sv"] = proportion(u25, len(sv))
    groupings_u25 = crimes[crimes["sv_grouping"] & (crimes["suspect_group"] == "u25")]
    out["u25_public_place_share"] = proportion(
        float(groupings_u25["public_place"].sum()), len(groupings_u25)
    )
    knife_codes = files.definitions.success_measures["knife_enabled_serious_violence"].rule
    knife = crimes[
        crimes["offence_code"].isin(knife_codes.offence_codes)  # type: ignore[union-attr]
        & (crimes["weapon"] == "knife_or_sharp")
        & (crimes["suspect_group"] == "u25")
        & crimes["public_place"]
    ]
    out["u25_public_knife_leicester_share"] = proportion(
        float((knife["la"] == leicester).sum()), len(knife)
    )
    days = pd.date_range(crimes["day"].min(), crimes["day"].max())
    weekend_days = int((days.weekday >= 5).sum())
    weekdays = len(days) - weekend_days
    out["weekend_rate_ratio"] = rate_ratio(
        float((sv["weekday"] >= 5).sum()), weekend_days, float((sv["weekday"] < 5).sum()), weekdays
    )
    victims = files.people[files.people["role"] == "victim"].merge(
        sv[["crime_reference"]], on="crime_reference"
    )
    male_15_19 = (victims["sex"] == "M") & victims["age_n"].between(15, 19)
    population_m1519 = _population_male_15_19(files)
    out["male_15_19_rate_ratio"] = subset_rate_ratio(
        float(male_15_19.sum()), population_m1519, len(victims), files.population
    )
    admissions = files.violence_admissions()
    young = admissions[admissions["age_n"] <= 24]
    in_county = young[young["la"].isin(county)]
    out["u25_admissions_bodily_force_share_leicestershire"] = proportion(
        float((in_county["cause"] == "bodily_force").sum()), len(in_county)
    )
    in_city = young[young["la"] == leicester]
    out["u25_admissions_sharp_object_share_leicester"] = proportion(
        float((in_city["cause"] == "sharp_object").sum()), len(in_city)
    )
    for flag in ("mental_health", "substance_misuse", "alcohol"):
        out[f"admissions_{flag}_share"] = proportion(float(admissions[flag].sum()), len(admissions))
    city = admissions[admissions["la"] == leicester]
    out["leicester_admissions_most_deprived_share"] = proportion(
        float((city["decile"] == 1).sum()), len(city)
    )
    victim_keys = set(files.people.loc[files.people["role"] == "victim", "person_key"])
    unknown = ~files.istv["person_key"].isin(victim_keys)
    out["ed_assaults_unknown_to_police_share"] = proportion(float(unknown.sum()), len(unknown))
    out["repeat_victim_share"] = _repeat(files.people[files.people["role"] == "victim"])
    out["repeat_offender_share"] = _repeat(
        files.people[files.people["role"].isin(["suspect", "offender"])]
    )
    population_by_decile = _population_by_decile(files)
    d1 = float((sv["decile"] == 1).sum())
    d10 = float((sv["decile"] == 10).sum())
    out["deprivation_rate_ratio_decile1_vs_10"] = rate_ratio(
        d1, population_by_decile[1], d10, population_by_decile[10]
    )
    return out


def change_estimate(files: WorldFiles, change_date: str) -> Estimate:
    crimes = files.crimes[files.crimes["sv_grouping"]]
    start, end = files.crimes["day"].min(), files.crimes["day"].max()
    change = pd.Timestamp(change_date)
    after = crimes["day"] >= change
    days_before = (change - start).days
    days_after = (end - change).days + 1
    return rate_ratio(float(after.sum()), days_after, float((~after).sum()), days_before)


def weekday_hours(files: WorldFiles) -> pd.Series:
    sv = files.sv()
    return sv.loc[sv["weekday"] < 5, "hour"].value_counts().sort_index()


def _repeat(rows: pd.DataFrame) -> Estimate:
    per_person = rows.groupby("person_key")["crime_reference"].nunique()
    appearances = rows.groupby("person_key").size()
    repeated = (per_person >= 2).to_numpy()
    n = appearances.to_numpy(dtype=float)
    return clustered_proportion(n * repeated, n)


def _population_male_15_19(files: WorldFiles) -> float:
    """Males aged 15-19 as the generator counts them: a Census 2021 group spread evenly over
    its years (15 is one of the 16 years of 0-15; 16-19 four of the nine of 16-24), times
    the group's male share."""
    population = files.world.population
    male_share = Parameters().male_share_by_census_band
    return float(
        population["0-15"].sum() / 16 * male_share[0]
        + population["16-24"].sum() * 4 / 9 * male_share[1]
    )


def _population_by_decile(files: WorldFiles) -> dict[int, float]:
    totals = files.world.population.to_numpy(dtype=float).sum(axis=1)
    deciles = files.world.lsoas["imd_decile"].to_numpy()
    return {d: float(totals[deciles == d].sum()) for d in range(0, 11)}
