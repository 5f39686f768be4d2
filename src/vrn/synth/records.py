"""Recording the synthetic worlds written, and finding the world of a load (Django-aware,
like ``sources``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vrn.synth.models import SyntheticWorld
from vrn.synth.output import MANIFEST, TRUTH, Manifest


def record_world(directory: Path, manifest: Manifest, command: str) -> SyntheticWorld:
    """Record (or update) the world in ``directory`` as its manifest describes it; it was
    written when its manifest was."""
    written_at = datetime.fromtimestamp((directory / MANIFEST).stat().st_mtime, tz=UTC)
    world, _ = SyntheticWorld.objects.update_or_create(
        directory=str(directory.resolve()),
        defaults={
            "seed": str(manifest.seed),
            "mode": manifest.mode,
            "crimes": manifest.crimes,
            "command": command,
            "files": manifest.files,
            "rows": manifest.rows,
            "written_at": written_at,
        },
    )
    return world


@dataclass(frozen=True)
class LoadedWorld:
    """A recorded world and the loads (of those given) whose file is one of its files."""

    world: SyntheticWorld
    load_ids: tuple[int, ...]

    @property
    def truth_path(self) -> Path:
        return Path(self.world.directory) / TRUTH


def worlds_of(loads: Iterable[Any]) -> list[LoadedWorld]:
    """The recorded worlds that the given loads (with ``pk`` and ``sha256``) came from,
    latest written first; a world whose files were written again elsewhere counts once per
    folder."""
    by_sha: dict[str, list[int]] = {}
    for load in loads:
        by_sha.setdefault(load.sha256, []).append(load.pk)
    if not by_sha:
        return []
    found = []
    for world in SyntheticWorld.objects.all():
        ids = sorted(pk for sha in world.files.values() for pk in by_sha.get(sha, []))
        if ids:
            found.append(LoadedWorld(world, tuple(ids)))
    return found
