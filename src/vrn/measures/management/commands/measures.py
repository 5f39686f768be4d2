"""``vrn measures``: the success measures and serious violence on the loaded data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.analytics.measures import Period, compute_measures, police_offence_codes
from vrn.definitions import DefinitionError, load_definitions
from vrn.measures import queries
from vrn.measures.report import render

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str, option: str) -> str:
    if not _MONTH.match(value):
        raise CommandError(f"{option} {value!r}: expected a month as YYYY-MM, e.g. 2024-01")
    return value


class Command(BaseCommand):
    help = (
        "Count the Home Office success measures and serious violence (overall and under "
        "25) by month and local authority, with rates per 100,000 residents a year, from "
        "the loaded police extract and hospital episodes, as the definitions say. Every "
        "result names the definitions (name@version#sha256) that produced it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="first", metavar="YYYY-MM", help="first month (default: the data's)"
        )
        parser.add_argument(
            "--to", dest="last", metavar="YYYY-MM", help="last month (default: the data's)"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the full result as JSON on stdout"
        )
        parser.add_argument(
            "--definitions",
            type=Path,
            metavar="DIR",
            help="folder of edited definition files (default: VRN_DEFINITIONS_DIR, else the "
            "shipped definitions)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first = _month(options["first"], "--from") if options["first"] else None
        last = _month(options["last"], "--to") if options["last"] else None
        if first and last and last < first:
            raise CommandError(f"--to {last} is before --from {first}")
        directory = options["definitions"] or settings.VRN_DEFINITIONS_DIR
        try:
            definitions = load_definitions(directory)
        except DefinitionError as error:
            raise CommandError(f"the definitions do not load: {error}") from error

        # With one bound given, the other is the data's: read everything from (or up to) it.
        read = Period.of(first or "1900-01", last or "2999-12") if first or last else None
        crimes, people = queries.crimes_and_people(read, police_offence_codes(definitions))
        episodes = queries.episodes(read)
        network = settings.VRN_NETWORK
        population = queries.population(network.local_authority_codes)
        try:
            result = compute_measures(
                definitions,
                crimes=crimes,
                people=people,
                episodes=episodes,
                population=population,
                first_month=first,
                last_month=last,
            )
        except ValueError as error:  # e.g. an age-bands.toml without the under25 scheme
            raise CommandError(str(error)) from error
        overridden = list(definitions.overridden())
        if options["json"]:
            data = {
                "network": {
                    "name": network.name,
                    "local_authorities": list(network.local_authority_codes),
                },
                **result.to_dict(),
                "definitions_overridden": overridden,
            }
            self.stdout.write(json.dumps(data, indent=2, allow_nan=False))
            return
        codes = {code for code in result.by_area["area_code"] if code is not None}
        self.stdout.write(
            render(
                result,
                area_names=queries.area_names(codes),
                network=network.short_name,
                overridden=overridden,
            ),
            ending="",
        )
