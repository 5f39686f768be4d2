"""`vrn synth` on the database: pure mode from the reference tables alone, augmented mode on
the police.uk fixtures (every real incident keeps its month, crime type and location)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from vrn.crime.models import StreetCrime
from vrn.crime.police_uk import PoliceUkStreet
from vrn.definitions import load_definitions
from vrn.geography.models import CENSUS_2021, IOD_2025, Area, AreaType, Deprivation, Population
from vrn.ingest.pipeline import LoadContext, load_file
from vrn.synth.management.commands.synth import Command

from .conftest import digests

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"
GROUPS = [("0-15", 0, 15), ("16-24", 16, 24), ("25-34", 25, 34), ("35-49", 35, 49)]
GROUPS += [("50-64", 50, 64), ("65+", 65, None)]


def synth(*args: str) -> str:
    stdout = io.StringIO()
    call_command(Command(), *args, "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def load_reference() -> None:
    call_command("load_reference", str(REFERENCE), stdout=io.StringIO(), stderr=io.StringIO())


def test_pure_mode_needs_only_the_reference_tables(tmp_path: Path) -> None:
    load_reference()
    first = tmp_path / "first"
    output = synth("--mode", "pure", "--seed", "3", "--crimes", "2000", "--out", str(first))

    assert "2,000 crimes" in output
    assert "indicators.csv" in output
    crimes = pd.read_csv(first / "police-crimes.csv", dtype=str, keep_default_na=False)
    assert len(crimes) == 2000
    assert (crimes["synthetic"] == "true").all()
    network = set(
        Area.objects.filter(
            type=AreaType.LSOA, local_authority_id__in=settings.VRN_NETWORK.local_authority_codes
        ).values_list("code", flat=True)
    )
    assert set(crimes["lsoa_code"]) <= network
    truth = json.loads((first / "truth.json").read_text())
    assert truth["weekday_peak_hour"]["value"] == 15
    assert "hotspots" in truth
    readme = (first / "README.txt").read_text()
    assert "vrn synth --mode pure --seed 3 --crimes 2000 --out DIR" in readme

    again = tmp_path / "again"
    synth("--mode", "pure", "--seed", "3", "--crimes", "2000", "--out", str(again))
    assert digests(first) == digests(again)


def test_without_reference_data_it_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="load-reference"):
        synth("--mode", "pure", "--seed", "1", "--out", str(tmp_path))


def test_augmented_without_police_data_it_says_what_to_do(tmp_path: Path) -> None:
    load_reference()
    with pytest.raises(CommandError, match="police-uk"):
        synth("--mode", "augmented", "--seed", "1", "--out", str(tmp_path))


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="seed"):
        synth("--mode", "pure", "--seed", "-1", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="crimes"):
        synth("--mode", "pure", "--seed", "1", "--crimes", "0", "--out", str(tmp_path))


def _population_and_deprivation() -> None:
    """The police fixture's LSOAs get residents and a decile (the fixture has neither)."""
    for number, lsoa in enumerate(Area.objects.filter(type=AreaType.LSOA).order_by("code")):
        Deprivation.objects.create(
            lsoa=lsoa,
            release=IOD_2025,
            imd_score=20.0,
            imd_rank=1000 + number,
            imd_decile=1 + number % 10,
        )
        for label, low, high in GROUPS:
            Population.objects.create(
                lsoa=lsoa,
                source=CENSUS_2021,
                age_group=label,
                age_from=low,
                age_to=high,
                residents=150 + 10 * number,
            )


def test_augmented_keeps_every_incident_month_type_and_location(
    police_reference: dict[str, object],
    street_files: Path,
    context: LoadContext,
    tmp_path: Path,
) -> None:
    _population_and_deprivation()
    for path in sorted(street_files.glob("*.csv")):
        assert load_file(PoliceUkStreet(), path, context).status == "loaded"
    skeleton = list(
        StreetCrime.objects.filter(is_anti_social_behaviour=False)
        .order_by("month", "load_id", "line_number")
        .values("month", "crime_type", "latitude", "longitude", "lsoa21_code")
    )

    synth("--mode", "augmented", "--seed", "4", "--out", str(tmp_path))

    crimes = pd.read_csv(tmp_path / "police-crimes.csv", dtype=str, keep_default_na=False)
    assert len(crimes) == len(skeleton) > 0
    offences = load_definitions().offence_codes
    for row, real in zip(crimes.itertuples(), skeleton, strict=True):
        assert row.committed_from[:7] == real["month"].strftime("%Y-%m")
        assert offences[row.offence_code].police_uk_crime_type == real["crime_type"]
        assert row.lsoa_code == real["lsoa21_code"]
        if real["latitude"] is None:
            assert (row.latitude, row.longitude) == ("", "")
        else:
            assert float(row.latitude) == pytest.approx(real["latitude"], abs=5e-7)
            assert float(row.longitude) == pytest.approx(real["longitude"], abs=5e-7)
    assert (crimes["synthetic"] == "true").all()
    people = pd.read_csv(tmp_path / "police-people.csv", dtype=str)
    assert people["crime_reference"].isin(crimes["crime_reference"]).all()
    readme = (tmp_path / "README.txt").read_text()
    assert "keeps its month, crime type and location" in readme


def test_vrn_command_passes_synth_through(tmp_path: Path) -> None:
    if "vrn.synth" not in settings.INSTALLED_APPS:
        pytest.skip("vrn.synth is not in INSTALLED_APPS yet")
    from vrn.cli import main

    load_reference()
    main(
        ["vrn", "synth", "--mode", "pure", "--seed", "1", "--crimes", "100", "--out", str(tmp_path)]
    )
    assert (tmp_path / "truth.json").exists()
