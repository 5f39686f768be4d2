"""The query helpers, on the loaded fixture, for the default and another network."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from vrn.geography.loaders import load_reference
from vrn.geography.network import Network
from vrn.geography.queries import (
    lsoa11_to_21,
    lsoa_boundaries,
    lsoa_lookup,
    lsoas_loaded,
    network_csps,
    network_local_authorities,
    population_by_local_authority,
)

pytestmark = pytest.mark.django_db

OTHER = Network(
    name="Blaby and North Northants",
    short_name="BNN",
    local_authority_codes=(
        "E07000129",
        "E06000061",
    ),
)


@pytest.fixture(autouse=True)
def _loaded(reference_dir: Path) -> None:
    load_reference(reference_dir)


def _codes(areas: object) -> list[str]:
    return sorted(area.code for area in areas)  # type: ignore[attr-defined]


def test_network_local_authorities_default_network() -> None:
    assert _codes(network_local_authorities()) == ["E06000016", "E07000129"]


def test_network_csps_default_network() -> None:
    assert _codes(network_csps()) == ["E22000164", "E22000168"]


@override_settings(VRN_NETWORK=OTHER)
def test_network_queries_follow_the_settings() -> None:
    assert _codes(network_local_authorities()) == ["E06000061", "E07000129"]
    # North Northamptonshire has several CSPs, so it sits directly under its force.
    assert _codes(network_csps()) == ["E22000164"]


def test_lsoa_lookup() -> None:
    lookup = lsoa_lookup()

    assert len(lookup) == 7
    assert lookup["E01034013"] == "E06000016"
    assert lookup["E01027342"] == "E06000061"


def test_lsoa11_to_21_keeps_splits_and_merges() -> None:
    lookup = lsoa11_to_21()

    assert lookup["E01013778"] == [("E01034013", "S"), ("E01034014", "S")]
    assert lookup["E01013647"] == lookup["E01032875"] == [("E01034020", "M")]
    assert lookup["E01013776"] == [("E01013776", "U")]
    assert len(lookup) == 7


def test_lookups_of_given_codes_only() -> None:
    codes = ["E01034013", "E01013778", "E06000016", "E99999999"]  # 2021, 2011, LA, unknown

    assert lsoas_loaded()
    assert lsoa_lookup(codes) == {"E01034013": "E06000016"}
    assert lsoa11_to_21(codes) == {"E01013778": [("E01034013", "S"), ("E01034014", "S")]}
    assert lsoa_lookup([]) == {} == lsoa11_to_21([])


def test_lsoa_boundaries_for_point_in_polygon() -> None:
    shapes = lsoa_boundaries(["E01034013", "E01034014", "E01027342"])

    assert sorted(shapes) == ["E01034013", "E01034014"]  # no LLR-file polygon for Northants
    centre = shapes["E01034013"].representative_point()
    assert shapes["E01034013"].contains(centre)
    assert not shapes["E01034014"].contains(centre)


def test_population_by_local_authority() -> None:
    assert population_by_local_authority() == {
        "E06000016": 8862,
        "E07000129": 3236,
        "E06000061": 1639,
    }
    assert population_by_local_authority("Census 2011") == {}
