"""A two-authority network with a handful of crimes whose figures are known by hand.

Alpha (E06000901, CSP E22000901) has 1,500 Census 2021 residents and, in January and
February 2023, 3 crimes (2.0 per 1,000) and 1 anti-social behaviour incident. Beta
(E06000902, CSP E22000902) has 2,000 residents and 1 crime (0.5 per 1,000). The network:
4 crimes, 3,500 residents, 1.1 per 1,000. One more record has no location and two lie
outside the network: 8 records in all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.geography.models import CENSUS_2021, Area, AreaType, Population
from vrn.geography.network import Network
from vrn.ingest.models import FileLoad

ALPHA, BETA = "E06000901", "E06000902"
ALPHA_CSP, BETA_CSP = "E22000901", "E22000902"
ELSEWHERE = "E07000999"
NETWORK = Network(name="Test Network", short_name="TN", local_authority_codes=(ALPHA, BETA))


@pytest.fixture
def network(settings: Any) -> Network:
    settings.VRN_NETWORK = NETWORK
    return NETWORK


@pytest.fixture
def geography(db: None) -> None:
    """Two CSPs, each with one local authority and one LSOA, and their residents."""
    for la_code, la_name, csp_code, lsoa_code, residents in [
        (ALPHA, "Alpha", ALPHA_CSP, "E01000901", [1000, 500]),
        (BETA, "Beta", BETA_CSP, "E01000902", [2000]),
    ]:
        csp = Area.objects.create(code=csp_code, name=f"{la_name} CSP", type=AreaType.CSP)
        la = Area.objects.create(
            code=la_code, name=la_name, type=AreaType.LOCAL_AUTHORITY, parent=csp
        )
        lsoa = Area.objects.create(
            code=lsoa_code, name=f"{la_name} 001A", type=AreaType.LSOA, local_authority=la
        )
        for i, count in enumerate(residents):
            Population.objects.create(
                lsoa=lsoa,
                source=CENSUS_2021,
                age_group=f"group {i}",
                age_from=i * 50,
                age_to=None,
                residents=count,
            )
        # Another source for the same LSOA must not be added to the denominator.
        Population.objects.create(
            lsoa=lsoa, source="Mid-2022 estimate", age_group="all", age_from=0, residents=99_999
        )


@pytest.fixture
def make_crime(db: None) -> Callable[..., StreetCrime]:
    """Create one street-level record; keyword arguments override the defaults."""
    load = FileLoad.objects.create(
        dataset="police-uk-street",
        file_name="2023-01-test-street.csv",
        sha256="0" * 64,
        size_bytes=1,
        loaded_at=datetime(2024, 7, 1, 9, 30, tzinfo=UTC),
        loaded_by="tester",
        rows_read=0,
        rows_loaded=0,
        rows_quarantined=0,
    )
    lines = iter(range(2, 10_000))

    def make(**fields: Any) -> StreetCrime:
        values: dict[str, Any] = {
            "load": load,
            "line_number": next(lines),
            "crime_id": "x",
            "month": date(2023, 1, 1),
            "reported_by": "Test Police",
            "falls_within": "Test Police",
            "longitude": -1.1,
            "latitude": 52.6,
            "lsoa21_code": "",
            "lsoa_match": LsoaMatch.AS_PUBLISHED,
            "crime_type": "Violence and sexual offences",
            "local_authority_code": ALPHA,
            "is_anti_social_behaviour": False,
            "has_location": True,
            "in_network_area": True,
        }
        values |= fields
        return StreetCrime.objects.create(**values)

    return make


@pytest.fixture
def crimes(make_crime: Callable[..., StreetCrime]) -> None:
    """The records described in the module docstring."""
    january, february = date(2023, 1, 1), date(2023, 2, 1)
    make_crime(month=january)
    make_crime(month=january)
    make_crime(month=february, crime_type="Robbery")
    make_crime(
        month=february,
        crime_type="Anti-social behaviour",
        crime_id="",
        is_anti_social_behaviour=True,
    )
    make_crime(month=january, crime_type="Burglary", local_authority_code=BETA)
    make_crime(
        month=january,
        longitude=None,
        latitude=None,
        local_authority_code="",
        lsoa_match=LsoaMatch.NONE,
        has_location=False,
        in_network_area=False,
    )
    for _ in range(2):
        make_crime(
            month=february,
            reported_by="Other Police",
            local_authority_code=ELSEWHERE,
            in_network_area=False,
        )


@pytest.fixture
def dashboard_data(network: Network, geography: None, crimes: None) -> None:
    """The network, its geography and its records, all at once."""


@pytest.fixture
def sign_in(db: None) -> Callable[..., Client]:
    """A client signed in as a new user with the given role (None: no role at all)."""

    def sign_in(role: Role | None = Role.BOARD_MEMBER, *permissions: str) -> Client:
        user = User.objects.create_user(username=f"user{User.objects.count()}")
        if role is not None:
            user.groups.add(Group.objects.get(name=role.label))
        for codename in permissions:
            user.user_permissions.add(Permission.objects.get(codename=codename))
        client = Client()
        client.force_login(user)
        return client

    return sign_in
