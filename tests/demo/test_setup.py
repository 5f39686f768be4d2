"""The demo's building blocks: one sign-in per role, police files found and loaded, the
synthetic world written once and loaded with every row accounted for; the command with and
without it."""

from __future__ import annotations

import io
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from vrn.accounts.models import User
from vrn.accounts.roles import Role, roles_of
from vrn.definitions import load_definitions
from vrn.demo import setup
from vrn.geography.models import ReferenceLoad
from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.queries import synthetic_loads
from vrn.interventions.models import Participant, Programme
from vrn.police.models import Crime, Person
from vrn.synth import Parameters
from vrn.synth.models import SyntheticWorld
from vrn.synth.output import read_manifest
from vrn.synth.records import worlds_of

from ..crime.conftest import FEBRUARY, JANUARY, POLICE_UK
from ..synth.test_command import _population_and_deprivation, load_reference, synth

pytestmark = pytest.mark.django_db


def test_one_sign_in_per_role_with_the_right_permissions() -> None:
    setup.create_demo_accounts()
    setup.create_demo_accounts()  # running the demo again resets, never duplicates

    users = {user.username: user for user in User.objects.all()}
    assert len(users) == len(Role) + 1  # a second caseworker, of another provider
    assert {roles_of(user)[0] for user in users.values()} == set(Role)
    assert users["board"].check_password("demo-board")
    assert users["board"].has_perm("accounts.view_network_dashboard")
    assert not users["caseworker"].has_perm("accounts.view_network_dashboard")
    assert not users["public"].has_perm("accounts.view_network_dashboard")
    assert users["admin"].is_staff and not users["analyst"].is_staff


def test_caseworkers_belong_to_programme_providers() -> None:
    setup.create_demo_accounts()

    users = {user.username: user for user in User.objects.all()}
    turning_point = users["caseworker"].organisation
    cares = users["caseworker-cares"].organisation
    assert turning_point is not None and cares is not None
    assert (turning_point.name, turning_point.code) == ("Turning Point", "turning-point")
    assert (cares.name, cares.code) == ("Leicestershire Cares", "leicestershire-cares")
    assert users["caseworker-cares"].check_password("demo-caseworker-cares")
    assert roles_of(users["caseworker-cares"]) == [Role.PROVIDER_CASEWORKER]
    programmes = {p.code: p for p in Programme.objects.select_related("provider")}
    assert set(programmes) == {"VIP", "MVP", "UP"}
    assert programmes["VIP"].provider == turning_point
    assert programmes["UP"].provider == cares
    assert programmes["MVP"].provider.code == "mvp-schools"
    assert all(programme.synthetic for programme in programmes.values())


def test_loads_every_street_file_under_the_data_directory(
    police_reference: dict[str, object], tmp_path: Path
) -> None:
    force = tmp_path / "police-uk-street" / "leicestershire"
    force.mkdir(parents=True)
    for name in (FEBRUARY, JANUARY):
        shutil.copy(POLICE_UK / name, force / name)

    results = setup.load_police_data(tmp_path)

    assert [(r.file, r.status, r.rows_loaded) for r in results] == [
        (JANUARY, "loaded", 34),
        (FEBRUARY, "loaded", 10),
    ]
    assert [r.status for r in setup.load_police_data(tmp_path)] == ["unchanged", "unchanged"]


# --- The synthetic layer -------------------------------------------------------------


def _public_data(tmp_path: Path, *months: str) -> Path:
    """A public data folder holding the police.uk fixture files of ``months``."""
    folder = tmp_path / "public"
    force = folder / "police-uk-street" / "leicestershire"
    force.mkdir(parents=True, exist_ok=True)
    for name in months:
        shutil.copy(POLICE_UK / name, force / name)
    return folder


@pytest.fixture
def demo_world(police_reference: dict[str, object], settings: Any, tmp_path: Path) -> Path:
    """The police fixture's geography with residents and deciles, and a data directory."""
    _population_and_deprivation()
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _data_rows(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line)


def test_synthetic_world_loads_every_row_and_a_second_run_changes_nothing(
    demo_world: Path, tmp_path: Path
) -> None:
    setup.load_police_data(_public_data(tmp_path, JANUARY, FEBRUARY))
    directory = setup.synthetic_directory()
    assert directory == demo_world / "synthetic" / f"seed-{setup.SYNTHETIC_SEED}"

    plan = setup.plan_synthetic_world(directory)
    assert plan.manifest is None and "no complete world" in plan.reason
    manifest, _ = setup.write_synthetic_world(plan)
    files = setup.synthetic_files(manifest)
    assert files[:4] == ["police-crimes.csv", "police-people.csv", "istv.csv", "admissions.csv"]
    loaded = setup.load_synthetic_world(directory, manifest)
    assert (loaded.withdrawn, loaded.withdrawn_rows) == ([], 0)
    results = loaded.results

    # Every row of every file is accounted for, none quarantined, all marked synthetic.
    assert [r.file for r in results] == files
    for result in results:
        written = _data_rows(directory / result.file)
        assert (result.status, result.rows_quarantined) == ("loaded", 0), result
        assert result.rows_read == result.rows_loaded == written == manifest.rows[result.file]
    assert not QuarantinedRow.objects.exists()
    for model, name in [
        (Crime, "police-crimes.csv"),
        (Person, "police-people.csv"),
        (EdAttendance, "istv.csv"),
        (AdmissionEpisode, "admissions.csv"),
    ]:
        assert model.objects.count() == manifest.rows[name] > 0
        assert set(model.objects.values_list("synthetic", flat=True)) == {True}
    loads = FileLoad.objects.filter(pk__in=[r.load_id for r in results])
    assert set(loads.values_list("synthetic", "loaded_by")) == {(True, "vrn demo")}
    assert setup.truth_file(directory).is_file()
    # The world is recorded, so a page can trace the loads to their seed and truth file.
    [traced] = worlds_of(synthetic_loads())
    assert traced.world.seed == str(setup.SYNTHETIC_SEED)
    assert set(traced.load_ids) == {r.load_id for r in results}
    assert traced.truth_path == setup.truth_file(directory).resolve()

    # Again: the files are reused (not even rewritten) and every load is unchanged.
    stamps = {path.name: path.stat().st_mtime_ns for path in directory.iterdir()}
    again = setup.plan_synthetic_world(directory)
    assert again.manifest == manifest
    assert again.reason == "the same seed and inputs, every file unchanged"
    setup.write_synthetic_world(again)
    assert {path.name: path.stat().st_mtime_ns for path in directory.iterdir()} == stamps
    second = setup.load_synthetic_world(directory, manifest)
    assert {r.status for r in second.results} == {"unchanged"}
    assert second.withdrawn == []
    assert SyntheticWorld.objects.count() == 1


def test_synthetic_world_is_written_again_only_when_needed(
    demo_world: Path, tmp_path: Path
) -> None:
    public = _public_data(tmp_path, JANUARY)
    setup.load_police_data(public)
    directory = setup.synthetic_directory()
    first, _ = setup.write_synthetic_world(setup.plan_synthetic_world(directory))
    setup.load_synthetic_world(directory, first)

    # A file changed on disk: written again, identical to the first time.
    (directory / "istv.csv").write_text("tampered\n", encoding="utf-8")
    plan = setup.plan_synthetic_world(directory)
    assert (plan.manifest, plan.reason) == (None, "istv.csv was changed since it was written")
    assert setup.write_synthetic_world(plan)[0] == first

    # Another police.uk month loaded: the skeleton changed, so the world does too, and it
    # replaces the one loaded before whole (its loads withdrawn, not partition by partition).
    setup.load_police_data(_public_data(tmp_path, JANUARY, FEBRUARY))
    plan = setup.plan_synthetic_world(directory)
    assert plan.manifest is None and "inputs changed" in plan.reason
    second, _ = setup.write_synthetic_world(plan)
    assert second.fingerprint != first.fingerprint
    assert second.rows["police-crimes.csv"] > first.rows["police-crimes.csv"]
    before = {load.pk for load in synthetic_loads()}
    loaded = setup.load_synthetic_world(directory, second)
    statuses = {r.file: r.status for r in loaded.results}
    assert set(statuses.values()) <= {"loaded", "unchanged"}, loaded.results
    assert statuses["police-crimes.csv"] == statuses["admissions.csv"] == "loaded"
    kept = {r.load_id for r in loaded.results if r.status == "unchanged"}
    assert len(loaded.withdrawn) == len(before - kept) > 0
    assert set(FileLoad.objects.filter(pk__in=before - kept).values_list("status", flat=True)) == {
        FileLoad.Status.WITHDRAWN
    }
    for model, name in [(Crime, "police-crimes.csv"), (Person, "police-people.csv")]:
        assert model.objects.count() == second.rows[name]
    assert {load.pk for load in synthetic_loads()} == {r.load_id for r in loaded.results}


def _demo(*args: str) -> str:
    stdout = io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def test_demo_command_with_and_without_the_synthetic_layer(
    demo_world: Path, tmp_path: Path
) -> None:
    ReferenceLoad.objects.create(
        loaded_at=timezone.now(), duration_seconds=0, source_dir="test", files={}, counts={}
    )
    public = str(_public_data(tmp_path, JANUARY, FEBRUARY))

    output = _demo("--data-dir", public, "--no-synthetic")
    assert "Skipping the synthetic person-level world (--no-synthetic)\n" in output
    assert not FileLoad.objects.filter(synthetic=True).exists()
    assert not (demo_world / "synthetic").exists()

    output = _demo("--data-dir", public)
    directory = setup.synthetic_directory()
    assert f"Writing the synthetic world (seed {setup.SYNTHETIC_SEED}" in output
    assert "police-crimes.csv  loaded" in output
    assert f"Planted findings (truth): {directory / 'truth.json'}" in output
    assert not Crime.objects.filter(synthetic=False).exists() and Crime.objects.exists()

    output = _demo("--data-dir", public)
    assert "is up to date, not written again" in output
    assert "police-crimes.csv  unchanged" in output
    assert "unchanged: already loaded as load" in output

    output = _demo("--data-dir", public, "--no-synthetic")
    assert "synthetic files loaded before stay loaded" in output


def test_a_world_with_participants_loads_its_intervention_files(tmp_path: Path) -> None:
    """The programmes and providers are created first; participants load before their
    journeys, every row accounted for."""
    load_reference()
    folder = tmp_path / "world"
    synth("--mode", "pure", "--seed", "5", "--crimes", "3000", "--out", str(folder))
    manifest = read_manifest(folder)
    assert manifest is not None

    files = setup.synthetic_files(manifest)
    assert files[5:] == list(setup.INTERVENTION_FORMATS)
    loaded = setup.load_synthetic_world(folder, manifest)

    assert [r.file for r in loaded.results] == files
    for result in loaded.results:
        assert (result.status, result.rows_quarantined) == ("loaded", 0), result
        assert result.rows_loaded == manifest.rows[result.file] > 0
    assert Participant.objects.count() == manifest.rows["intervention-participants.csv"]
    assert set(Participant.objects.values_list("programme__code", flat=True)) == {
        "VIP",
        "MVP",
        "UP",
    }
    assert set(Participant.objects.values_list("synthetic", flat=True)) == {True}


def test_the_demo_programmes_are_those_of_the_synthetic_world() -> None:
    """The programmes file and the generator's specs name the same programmes, providers
    and scales, so every intervention row of the world finds its programme."""
    with open(setup.PROGRAMMES_FILE, "rb") as handle:
        entries = tomllib.load(handle)["programme"]
    specs = Parameters().programmes
    definitions = load_definitions()

    assert [
        (e["code"], e["name"], e["provider"]["code"], e["provider"]["name"]) for e in entries
    ] == [(s.code, s.name, s.provider_code, s.provider_name) for s in specs]
    for entry, spec in zip(entries, specs, strict=True):
        perspectives = [definitions.distance_scales.scale(i).perspective for i in entry["scales"]]
        assert perspectives == [effect.perspective for effect in spec.scales], spec.code
        assert entry["synthetic"] is True
