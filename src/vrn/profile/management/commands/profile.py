"""``vrn profile``: the problem profile of an area as profile.json, profile.html and
profile.pdf."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from vrn.analytics.findings import FINDINGS
from vrn.analytics.measures import Period
from vrn.definitions import DefinitionError, load_definitions
from vrn.measures.management.commands.measures import _month
from vrn.profile.build import ProfileError, boundaries_for, build_profile
from vrn.profile.report import render_html, render_pdf

#: Steps of the progress bar: reading the seven frames and the population, each
#: finding function, then the three files.
READ_STEPS = 8
WRITE_STEPS = 3


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``path`` whole or not at all (a partial file is renamed only when complete)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


class Command(BaseCommand):
    help = (
        "Compute the problem profile (every Strategic Needs Assessment finding, with its "
        "definition, period, denominator and 95% limits) for the network, a CSP or a local "
        "authority, and write profile.json, profile.html and profile.pdf to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area",
            default="network",
            help="'network' (default), or the code or name of a CSP or local authority",
        )
        parser.add_argument(
            "--from", dest="first", metavar="YYYY-MM", help="first month (default: the data's)"
        )
        parser.add_argument(
            "--to", dest="last", metavar="YYYY-MM", help="last month (default: the data's)"
        )
        parser.add_argument(
            "--compare-to",
            metavar="AREA",
            help="compare every finding with the same finding for another area (network, a "
            "CSP or local authority) or 'england'",
        )
        parser.add_argument("--out", type=Path, required=True, metavar="DIR")
        parser.add_argument(
            "--no-pdf", action="store_true", help="write profile.json and profile.html only"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        first = _month(options["first"], "--from") if options["first"] else None
        last = _month(options["last"], "--to") if options["last"] else None
        if (first is None) != (last is None):
            raise CommandError("give both --from and --to, or neither (the data's months)")
        period = None
        if first and last:
            if last < first:
                raise CommandError(f"--to {last} is before --from {first}")
            period = Period.of(first, last)
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: exists and is not a folder")
        try:
            definitions = load_definitions(settings.VRN_DEFINITIONS_DIR)
        except DefinitionError as error:
            raise CommandError(f"the definitions do not load: {error}") from error
        steps = READ_STEPS + len(FINDINGS) + WRITE_STEPS - options["no_pdf"]
        with tqdm(total=steps, unit="step", file=sys.stderr, disable=options["no_progress"]) as bar:

            def progress(what: str) -> None:
                bar.set_description(what[:40])
                bar.update()

            try:
                profile = build_profile(
                    options["area"], period, definitions, progress, options["compare_to"]
                )
            except ProfileError as error:
                raise CommandError(str(error)) from error
            data = profile.to_dict()
            out.mkdir(parents=True, exist_ok=True)
            progress("profile.json")
            text = json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False)
            write_atomically(out / "profile.json", text.encode())
            progress("profile.html")
            boundaries = boundaries_for(profile.scope)
            html = render_html(data, boundaries)
            write_atomically(out / "profile.html", html.encode())
            if not options["no_pdf"]:
                progress("profile.pdf")
                printed = render_html(data, boundaries, data_tables=False)
                write_atomically(out / "profile.pdf", render_pdf(printed))
        computed, missing = len(data["findings"]), len(data["not_computed"])
        self.stdout.write(
            f"{profile.scope.name}, {profile.period}: {computed} findings computed, "
            f"{missing} not computed{' (synthetic data)' if profile.synthetic else ''}; "
            f"written to {out}"
        )
        for key, reason in data["not_computed"].items():
            self.stdout.write(f"  not computed: {key}: {reason}")
