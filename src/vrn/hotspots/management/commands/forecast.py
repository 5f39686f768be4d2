"""``vrn forecast``: next month's risk per cell of the network's grid, as GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.analytics.spatial.forecast import DEFAULT_METHOD, METHODS
from vrn.hotspots.arguments import add_grid, add_selection, selection_from
from vrn.hotspots.forecasting import DEFAULT_SEED, check_month, forecast_month
from vrn.hotspots.selection import SelectionError
from vrn.profile.management.commands.profile import write_atomically


class Command(BaseCommand):
    help = (
        "Forecast the risk of crime in each cell of the network's grid for --month, from the "
        "months before it only, and write every cell as a WGS84 polygon with its score and "
        "rank (1 = highest risk) to --out (GeoJSON)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--method",
            choices=list(METHODS),
            default=DEFAULT_METHOD,
            help=f"default {DEFAULT_METHOD!r}; "
            + "; ".join(f"{m.name}: {m.description}" for m in METHODS.values()),
        )
        parser.add_argument("--month", required=True, metavar="YYYY-MM", help="month to forecast")
        add_selection(parser, months=False)
        add_grid(parser)
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="seed of the order of tied cells"
        )
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.geojson")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.is_dir():
            raise CommandError(f"--out {out}: is a folder; give a file name")
        if not out.parent.exists():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
        selection = selection_from(options)
        try:
            month = check_month(options["month"], "--month")
            self.stderr.write(f"Forecasting {selection.what} for {month} ...")
            result = forecast_month(
                selection,
                month,
                options["method"],
                options["shape"],
                options["cell_size"],
                options["seed"],
            )
        except SelectionError as error:
            raise CommandError(str(error)) from None
        write_atomically(out, json.dumps(result.geojson()).encode())
        grid = result.network.grid
        self.stdout.write(
            f"{result.method}: {len(grid):,} cells ({grid.description}) for {month}, trained on "
            f"{result.crimes_trained_on:,} crimes from {result.trained_from} to "
            f"{result.trained_to}; written to {out}"
        )
