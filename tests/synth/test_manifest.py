"""The fingerprint of a world's inputs and the manifest written beside it: a folder is
reused only when it holds exactly the world the same inputs give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vrn.definitions import Definitions
from vrn.synth import (
    MANIFEST,
    Parameters,
    Synthesis,
    World,
    check_manifest,
    inputs_fingerprint,
    write_manifest,
    write_world,
)
from vrn.synth.models import SyntheticWorld

from .test_command import load_reference, synth


def _fingerprint(world: World, definitions: Definitions, **changes: object) -> str:
    values: dict[str, object] = {"seed": 1, "mode": "pure", "crimes": 500} | changes
    return inputs_fingerprint(world=world, definitions=definitions, **values)  # type: ignore[arg-type]


def test_fingerprint_changes_with_every_input(world: World, definitions: Definitions) -> None:
    base = _fingerprint(world, definitions)
    assert _fingerprint(world, definitions) == base
    population = world.population.copy()
    population.iloc[0, 0] += 1
    other_world = World(world.lsoas, population, world.local_authority_names)
    changed = [
        _fingerprint(world, definitions, seed=2),
        _fingerprint(world, definitions, crimes=501),
        _fingerprint(world, definitions, parameters=Parameters(weekend_rate_ratio=1.5)),
        _fingerprint(other_world, definitions),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_manifest_accepts_only_the_same_world_unchanged(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    synthesis = Synthesis(world=world, definitions=definitions, seed=1, mode="pure", crimes=500)
    fingerprint = _fingerprint(world, definitions)
    assert check_manifest(tmp_path, fingerprint)[0] is None  # nothing there yet

    written = write_world(synthesis, tmp_path, command="vrn synth --seed 1")
    manifest = write_manifest(synthesis, written, fingerprint)
    assert set(manifest.files) == {*written.rows, "truth.json", "README.txt"}
    assert json.loads((tmp_path / MANIFEST).read_text())["fingerprint"] == fingerprint
    assert check_manifest(tmp_path, fingerprint) == (
        manifest,
        "the same seed and inputs, every file unchanged",
    )

    assert "inputs changed" in check_manifest(tmp_path, "0" * 64)[1]
    (tmp_path / "truth.json").write_text("{}\n")
    assert check_manifest(tmp_path, fingerprint) == (
        None,
        "truth.json was changed since it was written",
    )
    (tmp_path / "truth.json").unlink()
    assert check_manifest(tmp_path, fingerprint) == (None, "truth.json is missing")
    (tmp_path / MANIFEST).write_text("not json")
    assert "no complete world" in check_manifest(tmp_path, fingerprint)[1]


@pytest.mark.django_db
def test_vrn_synth_writes_a_manifest_and_records_the_world(tmp_path: Path) -> None:
    load_reference()
    out = tmp_path / "world"
    synth("--mode", "pure", "--seed", "4", "--crimes", "300", "--out", str(out))

    manifest = json.loads((out / MANIFEST).read_text())
    [recorded] = SyntheticWorld.objects.all()
    assert (recorded.seed, recorded.mode, recorded.crimes) == ("4", "pure", 300)
    assert recorded.directory == str(out.resolve())
    assert recorded.files == manifest["files"]
    assert recorded.command == "vrn synth --mode pure --seed 4 --crimes 300 --out DIR"

    synth("--mode", "pure", "--seed", "4", "--crimes", "300", "--out", str(out))
    assert SyntheticWorld.objects.count() == 1  # the same folder is recorded once
