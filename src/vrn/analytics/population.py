"""Assumptions about the resident population that the loaded data cannot give.

The loaded Census 2021 LSOA counts are by age group, without sex. Rates by sex need a
split: :data:`ASSUMED_MALE_SHARE`, the male share of each Census 2021 age group (by its
first year of age): about half, fewer men at older ages (ONS mid-year estimates for
England, rounded). The synthetic world plants people with the same shares, so what it
plants and what the profile estimates rest on one assumption; rates by sex on real data
depend on it until population by sex is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping

ASSUMED_MALE_SHARE: Mapping[int, float] = {
    0: 0.512,
    16: 0.515,
    25: 0.500,
    35: 0.490,
    50: 0.490,
    65: 0.450,
}
