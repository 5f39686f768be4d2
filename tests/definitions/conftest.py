"""Helpers for the definitions tests: an override folder with edited copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from vrn.definitions import Definitions, load_definitions, shipped_directory

#: Write ``<name>.toml`` into the override folder: the shipped text with replacements.
EditFile = Callable[..., Path]


@pytest.fixture(scope="session")
def shipped() -> Definitions:
    return load_definitions()


@pytest.fixture
def override_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "definitions"
    directory.mkdir()
    return directory


@pytest.fixture
def edit(override_dir: Path) -> EditFile:
    """``edit("serious-violence", ("old", "new"), ...)``: copy a shipped file into the
    override folder with each ``old`` text (which must occur) replaced by ``new``."""

    def write(name: str, *replacements: tuple[str, str], text: str | None = None) -> Path:
        source = shipped_directory() / f"{name}.toml"
        content = source.read_text(encoding="utf-8") if text is None else text
        for old, new in replacements:
            assert old in content, f"{old!r} not in {name}.toml"
            content = content.replace(old, new, 1)
        target = override_dir / f"{name}.toml"
        target.write_text(content, encoding="utf-8")
        return target

    return write


def copy_shipped(name: str, directory: Path) -> Path:
    return Path(shutil.copy(shipped_directory() / name, directory / name))
