"""Setting up a benchmark's database the way the demo does: migrate, load the reference
data, write a pure synthetic world with ``vrn synth`` and load its files through the
ingest pipeline. Shared by the benchmarks; runs in a process whose Django settings point at
the scratch database."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class SetupError(Exception):
    """Setting up a database failed: the benchmark cannot measure."""


def load_world(label: str, world: Path, **synth: Any) -> tuple[dict[str, float], Any]:
    """Migrate, load the reference data, write the world (``synth``: options of
    ``vrn synth --mode pure``, e.g. ``seed``, ``crimes``, ``first_month``) into ``world``
    and load it. Returns the seconds of each step and the world's manifest."""
    from django.conf import settings
    from django.core.management import call_command

    from vrn.demo.setup import load_synthetic_world
    from vrn.synth.output import read_manifest

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    log(f"[{label}] migrate")
    call_command("migrate", verbosity=0)
    log(f"[{label}] load reference data from {settings.REFERENCE_DATA_DIR}")
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_reference", str(settings.REFERENCE_DATA_DIR), **quiet)
    seconds["reference"] = time.perf_counter() - started

    started = time.perf_counter()
    options = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in synth.items())
    log(f"[{label}] vrn synth --mode pure {options}")
    call_command("synth", mode="pure", out=world, no_progress=True, **synth, **quiet)
    seconds["synth"] = time.perf_counter() - started
    manifest = read_manifest(world)
    if manifest is None:
        raise SetupError(f"vrn synth wrote no manifest in {world}")

    started = time.perf_counter()

    def done(result: Any) -> None:
        log(
            f"[{label}] ingest {result.file}: {result.status}, {result.rows_loaded:,} rows "
            f"({time.perf_counter() - started:.0f} s)"
        )

    loaded = load_synthetic_world(world, manifest, on_file_done=done)
    failed = [f"{r.file}: {r.status}" for r in loaded.results if r.status != "loaded"]
    if failed:
        raise SetupError(f"files not loaded: {', '.join(failed)}")
    seconds["ingest"] = time.perf_counter() - started
    return seconds, manifest


def row_counts() -> dict[str, int]:
    """Rows of the partner tables loaded: crimes, people, ED attendances, admissions."""
    from vrn.health.models import AdmissionEpisode, EdAttendance
    from vrn.police.models import Crime, Person

    return {
        "crimes": Crime.objects.count(),
        "people": Person.objects.count(),
        "attendances": EdAttendance.objects.count(),
        "admissions": AdmissionEpisode.objects.count(),
    }
