"""``vrn synth``: write a seeded synthetic LLR world in the partner formats."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
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
from vrn.synth.parameters import Parameters
from vrn.synth.records import record_world
from vrn.synth.sources import skeleton_from_database, world_from_database

#: Crimes in a pure-mode world when --crimes is not given.
DEFAULT_PURE_CRIMES = 100_000
#: A planted change moved by --first-month/--last-month starts this many months before the end.
CHANGE_MONTHS_BEFORE_END = 9
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Command(BaseCommand):
    help = (
        "Write a seeded synthetic world (police crimes and people, ED attendances, hospital "
        "admissions, risk-factor indicators, intervention participants and their journeys, "
        "truth.json) in the partner formats. Every row is marked synthetic."
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
        parser.add_argument(
            "--first-month",
            default=None,
            metavar="YYYY-MM",
            help="pure: the first month of the world (default "
            f"{_month(Parameters().period_start)})",
        )
        parser.add_argument(
            "--last-month",
            default=None,
            metavar="YYYY-MM",
            help="pure: the last month of the world (default "
            f"{_month(Parameters().period_end)}; before the current month). The planted change "
            f"stays on {Parameters().change_date} when that is inside the period (after its "
            f"first day); otherwise it moves to the start of the last {CHANGE_MONTHS_BEFORE_END} "
            "months (of a shorter period, the first day of its middle month; of a single "
            "month, its 16th)",
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
        first_month: str | None = options["first_month"]
        last_month: str | None = options["last_month"]
        if mode != "pure" and (first_month or last_month):
            raise CommandError(
                "--first-month and --last-month are for --mode pure only: an augmented world "
                "keeps the months of the loaded data.police.uk incidents"
            )
        parameters = period_parameters(first_month, last_month)
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
                parameters=parameters,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        command = f"vrn synth --mode {mode} --seed {seed}"
        if options["crimes"] is not None:
            command += f" --crimes {options['crimes']}"
        if first_month:
            command += f" --first-month {first_month}"
        if last_month:
            command += f" --last-month {last_month}"
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
            self.stdout.write(f"  {name:<30}{count:>12,} rows")
        self.stdout.write("  truth.json, README.txt, manifest.json")


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _parse_month(option: str, text: str) -> dt.date:
    """The first day of ``text`` (YYYY-MM), or a CommandError naming ``option``."""
    match = _MONTH.match(text.strip())
    month = int(match.group(2)) if match else 0
    if not match or not 1 <= month <= 12 or int(match.group(1)) < 1:
        raise CommandError(f"{option} must be a month as YYYY-MM (e.g. 2021-06), not {text!r}")
    return dt.date(int(match.group(1)), month, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_parameters(
    first_month: str | None, last_month: str | None, today: dt.date | None = None
) -> Parameters:
    """The pure-mode parameters for --first-month/--last-month (either may be None: the
    default period's month), with the planted change inside the period."""
    default = Parameters()
    if first_month is None and last_month is None:
        return default
    start = (
        _parse_month("--first-month", first_month)
        if first_month is not None
        else default.period_start
    )
    last = (
        _parse_month("--last-month", last_month)
        if last_month is not None
        else default.period_end.replace(day=1)
    )
    if last < start:
        raise CommandError(
            f"--last-month {_month(last)} comes before --first-month {_month(start)}"
        )
    current = (today or dt.date.today()).replace(day=1)
    if last >= current:
        raise CommandError(
            f"--last-month {_month(last)} must be before the current month {_month(current)}: "
            "the partner formats refuse dates in the future"
        )
    end = _add_months(last, 1) - dt.timedelta(days=1)
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    change = default.change_date
    if not start < change <= end:
        if months > CHANGE_MONTHS_BEFORE_END:
            change = _add_months(last, 1 - CHANGE_MONTHS_BEFORE_END)
        elif months > 1:
            change = _add_months(start, months // 2)
        else:
            change = start.replace(day=16)
    return dataclasses.replace(default, period_start=start, period_end=end, change_date=change)
