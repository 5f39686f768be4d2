"""``vrn load-reference [DIR] [--json]``: replace the reference tables from public files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.geography.loaders import ReferenceDataError, load_reference
from vrn.geography.models import ReferenceLoad


class Command(BaseCommand):
    help = (
        "Replace the reference tables (areas, LSOA changes, deprivation, population, "
        "boundaries) from the public files under DIR (default: VRN_REFERENCE_DATA_DIR)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", nargs="?", type=Path, help="reference data directory", default=None
        )
        parser.add_argument(
            "--json", action="store_true", help="print the summary as JSON on stdout"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or settings.REFERENCE_DATA_DIR
        progress = self.stderr.write if options["verbosity"] > 0 else None
        try:
            load = load_reference(directory, progress=progress)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(load.summary(), indent=2))
        else:
            self.stdout.write(_summary_table(load))


def _summary_table(load: ReferenceLoad) -> str:
    """The table -> rows summary and the notes, as plain text."""
    width = max(len(table) for table in load.counts)
    lines = [f"{'table'.ljust(width)}  {'rows':>9}"]
    lines += [f"{table.ljust(width)}  {rows:>9,}" for table, rows in load.counts.items()]
    lines.append(f"Loaded from {load.source_dir} in {load.duration_seconds:.1f} s.")
    lines += [f"Note: {note}" for note in load.notes]
    return "\n".join(lines)
