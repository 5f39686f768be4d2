"""Load the real reference directory, if present, and check the figures in its README."""

from __future__ import annotations

import pytest
from django.conf import settings

from vrn.geography.loaders import load_reference
from vrn.geography.models import Area, AreaType
from vrn.geography.queries import network_local_authorities, population_by_local_authority

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def real_load() -> None:
    if not (settings.REFERENCE_DATA_DIR / "geographr").is_dir():
        pytest.skip(f"no real reference data at {settings.REFERENCE_DATA_DIR}")
    load_reference(settings.REFERENCE_DATA_DIR)


def test_real_reference_data_matches_its_readme(real_load: None) -> None:
    authorities = set(network_local_authorities().values_list("code", flat=True))
    llr_lsoas = Area.objects.filter(type=AreaType.LSOA, local_authority__in=authorities)
    llr_wards = Area.objects.filter(type=AreaType.WARD, local_authority__in=authorities)
    population = population_by_local_authority()

    assert len(authorities) == 9
    assert llr_lsoas.count() == 634
    assert llr_wards.count() == 174
    assert sum(population[code] for code in authorities) == 1_121_954
    assert population["E06000016"] == 368_558
    assert Area.objects.filter(type=AreaType.LSOA).count() == 35_672
    assert sum(population.values()) == 59_597_114
