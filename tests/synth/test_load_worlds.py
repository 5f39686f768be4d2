"""`vrn synth` worlds load with the partner ingesters, every row accounted for and none
quarantined, in both modes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from vrn.crime.police_uk import PoliceUkStreet
from vrn.demo.setup import create_demo_programmes
from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.indicators.models import IndicatorValue
from vrn.ingest.models import QuarantinedRow
from vrn.ingest.pipeline import LoadContext, load_file
from vrn.interventions.models import Assessment, Contact, Outcome, Participant, Review
from vrn.police.models import Crime, Person

from .test_command import _population_and_deprivation, load_reference, synth

pytestmark = pytest.mark.django_db

#: The order to load a world in, by format (crimes before their people, participants
#: before their journeys).
WORLD = [
    ("police-extract", "police-crimes.csv", Crime),
    ("police-extract", "police-people.csv", Person),
    ("istv", "istv.csv", EdAttendance),
    ("admissions", "admissions.csv", AdmissionEpisode),
    ("indicators", "indicators.csv", IndicatorValue),
    ("intervention-participants", "intervention-participants.csv", Participant),
    ("intervention-assessments", "intervention-assessments.csv", Assessment),
    ("intervention-contacts", "intervention-contacts.csv", Contact),
    ("intervention-reviews", "intervention-reviews.csv", Review),
    ("intervention-outcomes", "intervention-outcomes.csv", Outcome),
]


def _rows_written(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line)


def _load_world(
    folder: Path, capsys: pytest.CaptureFixture[str], *, interventions: bool = True
) -> None:
    """Load every file of the world in ``folder``; without ``interventions`` (a world too
    small to have participants) the intervention files must be empty and are left out."""
    create_demo_programmes()  # the programmes and providers the intervention files name
    capsys.readouterr()
    for format_name, name, model in WORLD:
        written = _rows_written(folder / name)
        if not interventions and name.startswith("intervention-"):
            assert written == 0, name
            continue
        call_command("ingest", format_name, str(folder / name), "--json", stderr=io.StringIO())
        [result] = json.loads(capsys.readouterr().out)
        assert (result["status"], result["rows_quarantined"]) == ("loaded", 0), result
        assert result["rows_read"] == result["rows_loaded"] == written > 0
        assert model.objects.count() == written
        assert set(model.objects.values_list("synthetic", flat=True)) == {True}
    assert not QuarantinedRow.objects.exists()


def test_pure_world_loads_completely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_reference()
    synth("--mode", "pure", "--seed", "5", "--crimes", "3000", "--out", str(tmp_path))
    _load_world(tmp_path, capsys)
    # The ED patients the police know of are police victims (same person_key).
    victims = set(Person.objects.filter(role="victim").values_list("person_key", flat=True))
    patients = set(EdAttendance.objects.values_list("person_key", flat=True))
    assert victims & patients
    # Every programme has participants; the VIP's are ED patients (same person_key).
    by_programme = {
        code: set(
            Participant.objects.filter(programme__code=code).values_list("person_key", flat=True)
        )
        for code in ("VIP", "MVP", "UP")
    }
    assert all(by_programme.values()), by_programme
    assert by_programme["VIP"] <= patients
    assert not (by_programme["MVP"] | by_programme["UP"]) & patients


def test_augmented_world_loads_completely(
    police_reference: dict[str, object],
    street_files: Path,
    context: LoadContext,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _population_and_deprivation()
    for path in sorted(street_files.glob("*.csv")):
        assert load_file(PoliceUkStreet(), path, context).status == "loaded"
    out = tmp_path / "world"
    synth("--mode", "augmented", "--seed", "6", "--out", str(out))
    _load_world(out, capsys, interventions=False)
