"""``vrn synth``: write a seeded synthetic LLR world in the partner formats."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from vrn.definitions import load_definitions
from vrn.synth.fingerprint import inputs_fingerprint
from vrn.synth.generate import Synthesis
from vrn.synth.output import write_manifest, write_world
from vrn.synth.records import record_world
from vrn.synth.sources import skeleton_from_database, world_from_database

#: Crimes in a pure-mode world when --crimes is not given.
DEFAULT_PURE_CRIMES = 100_000


class Command(BaseCommand):
    help = (
        "Write a seeded synthetic world (police crimes and people, ED attendances, hospital "
        "admissions, risk-factor indicators, truth.json) in the partner formats. Every row is "
        "marked synthetic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mode",
            choices=("augmented", "pure"),
            default="augmented",
            help="augmented: dress the loaded data.police.uk incidents with synthetic detail "
            "(default); pure: synthetic incidents on the network's geography",
        )
        parser.add_argument("--seed", type=int, required=True, help="non-negative integer")
        parser.add_argument(
            "--crimes",
            type=int,
            default=None,
            help=f"pure: number of crimes (default {DEFAULT_PURE_CRIMES:,}); augmented: use "
            "only the first N incidents",
        )
        parser.add_argument("--out", type=Path, required=True, help="output folder")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        mode: str = options["mode"]
        seed: int = options["seed"]
        crimes: int | None = options["crimes"]
        if seed < 0:
            raise CommandError("--seed must be a non-negative integer")
        if crimes is not None and crimes < 1:
            raise CommandError("--crimes must be at least 1")
        if mode == "pure" and crimes is None:
            crimes = DEFAULT_PURE_CRIMES
        started = time.perf_counter()
        definitions = load_definitions(settings.VRN_DEFINITIONS_DIR)
        try:
            world = world_from_database(definitions)
            skeleton = skeleton_from_database() if mode == "augmented" else None
            synthesis = Synthesis(
                world=world,
                definitions=definitions,
                seed=seed,
                mode=mode,
                crimes=crimes,
                skeleton=skeleton,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        command = f"vrn synth --mode {mode} --seed {seed}"
        if options["crimes"] is not None:
            command += f" --crimes {options['crimes']}"
        command += " --out DIR"
        with tqdm(
            total=synthesis.n_crimes,
            unit="crime",
            unit_scale=True,
            file=sys.stderr,
            disable=options["no_progress"],
        ) as progress:
            written = write_world(
                synthesis, options["out"], command=command, on_block=progress.update
            )
        fingerprint = inputs_fingerprint(
            world=world,
            definitions=definitions,
            seed=seed,
            mode=mode,
            crimes=crimes,
            skeleton=skeleton,
            parameters=synthesis.parameters,
        )
        record_world(written.directory, write_manifest(synthesis, written, fingerprint), command)
        seconds = time.perf_counter() - started
        for note in synthesis.model.notes:
            self.stderr.write(f"note: {note}")
        self.stdout.write(
            f"Wrote a synthetic {mode} world (seed {seed}, {synthesis.n_crimes:,} crimes) to "
            f"{written.directory} in {seconds:.1f} s:"
        )
        for name, count in written.rows.items():
            self.stdout.write(f"  {name:<20}{count:>12,} rows")
        self.stdout.write("  truth.json, README.txt, manifest.json")
