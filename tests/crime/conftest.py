"""Reference geography and files for the police.uk loader tests."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from vrn.crime.police_uk import PoliceUkStreet
from vrn.geography.models import Area, AreaType, Boundary, LsoaChange
from vrn.ingest.pipeline import LoadContext

POLICE_UK = Path(__file__).resolve().parents[1] / "fixtures" / "police_uk"
JANUARY = "2023-01-leicestershire-street.csv"
FEBRUARY = "2023-02-leicestershire-street.csv"


@pytest.fixture
def police_reference(db: None) -> dict[str, object]:
    """The slice of reference geography the fixture files need, from reference.json."""
    reference = json.loads((POLICE_UK / "reference.json").read_text())
    authorities = {
        code: Area.objects.create(
            code=code, name=f"Authority {code}", type=AreaType.LOCAL_AUTHORITY
        )
        for code in sorted(set(reference["lsoa21"].values()))
    }
    for code, authority in reference["lsoa21"].items():
        Area.objects.create(
            code=code,
            name=f"LSOA {code}",
            type=AreaType.LSOA,
            local_authority=authorities[authority],
        )
    for row in reference["lsoa11_to_21"]:
        LsoaChange.objects.create(
            lsoa11_code=row["lsoa11_code"],
            lsoa11_name=row["lsoa11_name"],
            lsoa21_id=row["lsoa21_code"],
            change_code=row["change_code"],
        )
    for code, geometry in reference["boundaries"].items():
        Boundary.objects.create(area_id=code, geometry=geometry, source="test fixture")
    return reference


@pytest.fixture
def street_files(tmp_path: Path) -> Path:
    """A writable copy of the fixture files, so tests can make corrupted variants."""
    for name in (JANUARY, FEBRUARY):
        shutil.copy(POLICE_UK / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def context() -> LoadContext:
    return LoadContext(loaded_by="tester", today=date(2024, 12, 31))


@pytest.fixture
def dataset(police_reference: dict[str, object]) -> PoliceUkStreet:
    return PoliceUkStreet()
