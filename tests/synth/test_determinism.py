"""Same seed, same bytes; another seed, other bytes; the truth does not depend on the seed."""

from __future__ import annotations

from pathlib import Path

from vrn.definitions import Definitions
from vrn.synth import Synthesis, World, write_world
from vrn.synth.generate import BLOCK_SIZE
from vrn.synth.journeys import FILE_NAMES as INTERVENTION_FILES

from .conftest import digests

COMMAND = "vrn synth --mode pure --seed 5 --crimes 3000 --out DIR"


def _write(world: World, definitions: Definitions, seed: int, crimes: int, out: Path) -> Path:
    synthesis = Synthesis(
        world=world, definitions=definitions, seed=seed, mode="pure", crimes=crimes
    )
    write_world(synthesis, out, command=COMMAND)
    return out


def test_same_seed_gives_identical_bytes(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    first = digests(_write(world, definitions, 5, 3000, tmp_path / "a"))
    second = digests(_write(world, definitions, 5, 3000, tmp_path / "b"))

    assert set(first) == {
        "police-crimes.csv",
        "police-people.csv",
        "istv.csv",
        "admissions.csv",
        "indicators.csv",
        *INTERVENTION_FILES.values(),
        "truth.json",
        "README.txt",
    }
    assert first == second


def test_same_seed_identical_across_blocks(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    """More than one block (the unit of randomness): still identical, block order fixed."""
    crimes = BLOCK_SIZE + 500
    first = digests(_write(world, definitions, 9, crimes, tmp_path / "a"))
    second = digests(_write(world, definitions, 9, crimes, tmp_path / "b"))

    assert first == second
    rows = (tmp_path / "a" / "police-crimes.csv").read_text().count("\n") - 1
    assert rows == crimes


def test_different_seeds_differ_in_every_data_file(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    first = digests(_write(world, definitions, 5, 3000, tmp_path / "a"))
    second = digests(_write(world, definitions, 6, 3000, tmp_path / "b"))

    for name in (
        "police-crimes.csv",
        "police-people.csv",
        "istv.csv",
        "admissions.csv",
        "indicators.csv",
        *INTERVENTION_FILES.values(),
    ):
        assert first[name] != second[name], name
    # the planted truth is a property of the model, not of the sample
    assert first["truth.json"] == second["truth.json"]


def test_components_have_independent_streams(world: World, definitions: Definitions) -> None:
    """Changing an admissions parameter leaves the police files untouched."""
    from vrn.synth import Parameters

    base = Synthesis(world=world, definitions=definitions, seed=3, mode="pure", crimes=2000)
    changed = Synthesis(
        world=world,
        definitions=definitions,
        seed=3,
        mode="pure",
        crimes=2000,
        parameters=Parameters(second_episode_share=0.5),
    )
    a, b = next(base.blocks()), next(changed.blocks())

    assert a.crimes.equals(b.crimes)
    assert a.people.equals(b.people)
    assert a.istv.equals(b.istv)
    assert not a.admissions.equals(b.admissions)


def test_line_endings_and_encoding(world: World, definitions: Definitions, tmp_path: Path) -> None:
    out = _write(world, definitions, 5, 500, tmp_path / "a")
    for name in ("police-crimes.csv", "istv.csv", "indicators.csv", "truth.json", "README.txt"):
        data = (out / name).read_bytes()
        assert b"\r" not in data
        assert data.endswith(b"\n")
        data.decode("utf-8")
    readme = (out / "README.txt").read_text()
    assert "SYNTHETIC DATA" in readme
    assert "Seed: 5" in readme
    assert COMMAND in readme
    assert str(tmp_path) not in readme
