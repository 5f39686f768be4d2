"""``vrn hotspots``: where crime concentrates, where it is emerging, near repeats, the
Cardiff Model comparison, backtests of the forecasts and the tasking list."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.analytics.spatial.backtest import DEFAULT_COVERAGES
from vrn.analytics.spatial.cardiff import DEFAULT_DAYS, DEFAULT_DISTANCE, DEFAULT_MINIMUM_ED
from vrn.analytics.spatial.emerging import EmergingSettings
from vrn.analytics.spatial.forecast import DEFAULT_METHOD, METHODS
from vrn.analytics.spatial.knox import DEFAULT_ITERATIONS
from vrn.hotspots import forecasting, maps, planted_world, surveillance
from vrn.hotspots.arguments import add_grid, add_selection, selection_from
from vrn.hotspots.exports import write_csv, write_geojson
from vrn.hotspots.selection import SelectionError

#: Months backtested unless --test-months says otherwise.
BACKTEST_MONTHS = 6


def _numbers(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of numbers like 0,100,200"
        ) from None


def _share(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share between 0 and 1 (or 1% to 100%)")
    return value


class Command(BaseCommand):
    help = (
        "Spatial analysis of the loaded data on the network's grid (British National Grid "
        "cells): map, emerging, near-repeat, cardiff, backtest or tasking. "
        "`vrn hotspots ANALYSIS --help` gives each one's options."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        analyses = parser.add_subparsers(dest="analysis", required=True, metavar="ANALYSIS")

        def analysis(name: str, help_text: str) -> argparse.ArgumentParser:
            sub: argparse.ArgumentParser = analyses.add_parser(
                name, help=help_text, description=help_text
            )
            sub.add_argument(
                "--out", type=Path, required=True, metavar="DIR", help="folder for the files"
            )
            return sub

        hot = analysis(
            "map",
            "Counts, rates, kernel density and Getis-Ord Gi* hot and cold spots per cell; "
            "writes cells.csv and cells.geojson",
        )
        add_selection(hot)
        add_grid(hot)
        hot.add_argument(
            "--bandwidth",
            type=float,
            metavar="M",
            help="kernel density bandwidth in metres (default: ArcGIS's spatial variant of "
            "Silverman's rule)",
        )
        hot.add_argument(
            "--permutations",
            type=int,
            default=maps.DEFAULT_PERMUTATIONS,
            help=f"Gi* conditional permutations (default {maps.DEFAULT_PERMUTATIONS})",
        )
        hot.add_argument("--seed", type=int, default=maps.DEFAULT_SEED)
        hot.add_argument(
            "--inference",
            choices=maps.INFERENCES,
            default=maps.DEFAULT_INFERENCE,
            help="p-values the classes use (default normal, as ArcGIS; permutation: the "
            "tie-corrected conditional permutation p-values, far more cautious here)",
        )

        emerging = analysis(
            "emerging",
            "Emerging hot spot analysis: Gi* each month and the Mann-Kendall trend of each "
            "cell, classed as in ArcGIS (new, consecutive, intensifying, persistent, "
            "diminishing, sporadic, oscillating, historical; cold likewise); writes "
            "emerging.csv and emerging.geojson",
        )
        add_selection(emerging)
        add_grid(emerging)
        defaults = EmergingSettings()
        emerging.add_argument(
            "--gi-alpha",
            type=float,
            default=defaults.gi_alpha,
            help=f"Gi* level of a hot or cold month, after the false discovery rate "
            f"(default {defaults.gi_alpha:g}: any ArcGIS Gi_Bin)",
        )
        emerging.add_argument(
            "--trend-alpha",
            type=float,
            default=defaults.trend_alpha,
            help=f"Mann-Kendall level of a trend (default {defaults.trend_alpha:g})",
        )
        emerging.add_argument(
            "--share",
            type=float,
            default=defaults.share,
            help=f"share of months that makes a persistent, intensifying, diminishing or "
            f"historical pattern (default {defaults.share:g})",
        )
        emerging.add_argument(
            "--minimum-months",
            type=int,
            default=defaults.minimum_slices,
            help=f"fewest months analysed (default {defaults.minimum_slices})",
        )

        planted = analysis(
            "planted",
            "Precision and recall of Gi* hot spots against the hot spots planted in a pure "
            "synthetic world (vrn synth --mode pure): reads its police-crimes.csv and "
            "truth.json",
        )
        planted.add_argument("--world", type=Path, required=True, metavar="DIR")
        add_grid(planted)
        planted.add_argument("--permutations", type=int, default=maps.DEFAULT_PERMUTATIONS)
        planted.add_argument("--seed", type=int, default=maps.DEFAULT_SEED)
        planted.add_argument("--inference", choices=maps.INFERENCES, default=maps.DEFAULT_INFERENCE)

        near = analysis(
            "near-repeat",
            "Knox test of near repeats: pairs of crimes close in space and time against "
            "Monte Carlo expectation; writes near-repeat.csv",
        )
        add_selection(near)
        near.add_argument(
            "--distance-bands",
            type=_numbers,
            metavar="M,M,...",
            help="band edges in metres (default 0,100,200,300,400,500)",
        )
        near.add_argument(
            "--time-bands",
            type=_numbers,
            metavar="N,N,...",
            help="band edges in days, or months for data.police.uk",
        )
        near.add_argument(
            "--iterations",
            type=int,
            default=DEFAULT_ITERATIONS,
            help=f"Monte Carlo permutations (default {DEFAULT_ITERATIONS}); the smallest "
            "p-value is 1/(iterations+1)",
        )
        near.add_argument("--seed", type=int, default=0)

        cardiff = analysis(
            "cardiff",
            "The Cardiff Model comparison: ED assaults matched to police-recorded violence by "
            "place and time; the share unknown to police and the hidden hotspots",
        )
        cardiff.add_argument("--from", dest="first", metavar="YYYY-MM")
        cardiff.add_argument("--to", dest="last", metavar="YYYY-MM")
        cardiff.add_argument(
            "--police",
            choices=("police", "police-uk"),
            help="police data to match against (default: the force extract where loaded)",
        )
        cardiff.add_argument(
            "--distance",
            type=float,
            default=DEFAULT_DISTANCE,
            metavar="M",
            help=f"metres (default {DEFAULT_DISTANCE:g})",
        )
        cardiff.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"days either side (default {DEFAULT_DAYS})",
        )
        cardiff.add_argument(
            "--minimum-ed",
            type=int,
            default=DEFAULT_MINIMUM_ED,
            help=f"fewest ED assaults in a hidden hotspot (default {DEFAULT_MINIMUM_ED})",
        )
        add_grid(cardiff)

        backtest = analysis(
            "backtest",
            "Rolling-origin backtest of the forecasting methods: hit rate and PAI at each "
            "area coverage for each test month, each forecast from earlier months only",
        )
        add_selection(backtest)
        add_grid(backtest)
        backtest.add_argument(
            "--test-months",
            metavar="YYYY-MM,...",
            help=f"default: the last {BACKTEST_MONTHS} months of the data",
        )
        backtest.add_argument(
            "--methods",
            metavar="NAME,...",
            help="default: every method (" + ", ".join(METHODS) + ")",
        )
        backtest.add_argument(
            "--offsets",
            action="store_true",
            help="repeat on the grid shifted by half a cell east, north and both "
            "(grid-offset sensitivity)",
        )
        backtest.add_argument(
            "--seed",
            type=int,
            default=forecasting.DEFAULT_SEED,
            help="seed of the order of tied cells",
        )

        tasking = analysis(
            "tasking",
            "The tasking list: next month's highest-risk cells covering a share of the "
            "network's area, ranked; writes tasking.csv and tasking.geojson",
        )
        tasking.add_argument("--month", required=True, metavar="YYYY-MM")
        tasking.add_argument(
            "--coverage",
            type=_share,
            default=0.01,
            help="share of the network's area to flag (default 1%%)",
        )
        tasking.add_argument("--method", choices=list(METHODS), default=DEFAULT_METHOD)
        add_selection(tasking, months=False)
        add_grid(tasking)
        tasking.add_argument("--seed", type=int, default=forecasting.DEFAULT_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: exists and is not a folder")
        handlers: dict[str, Callable[[dict[str, Any], Path], list[Path]]] = {
            "map": self._map,
            "emerging": self._emerging,
            "planted": self._planted,
            "near-repeat": self._near_repeat,
            "cardiff": self._cardiff,
            "backtest": self._backtest,
            "tasking": self._tasking,
        }
        try:
            out.mkdir(parents=True, exist_ok=True)
            written = handlers[options["analysis"]](options, out)
        except SelectionError as error:
            raise CommandError(str(error)) from None
        except ValueError as error:  # an option the analysis refuses, e.g. band edges
            raise CommandError(str(error)) from None
        for path in written:
            self.stdout.write(f"  written {path}")

    def _progress(self, text: str) -> None:
        self.stderr.write(text)

    def _map(self, options: dict[str, Any], out: Path) -> list[Path]:
        selection = selection_from(options)
        self._progress(
            f"Gi* ({options['permutations']:,} permutations) and kernel density of "
            f"{selection.what} ..."
        )
        result = maps.hotspot_map(
            selection,
            options["shape"],
            options["cell_size"],
            options["bandwidth"],
            options["permutations"],
            options["seed"],
            options["inference"],
        )
        table = result.table()
        self.stdout.write(
            f"{result.summary()} ({result.outside:,} points fell outside the network's area.)"
        )
        self.stdout.write(f"Kernel density: {result.kde.bandwidth_rule}.")
        layer = result.network.grid.to_geojson(
            {column: table[column] for column in table.columns if column != "cell"}
        )
        return [write_csv(out / "cells.csv", table), write_geojson(out / "cells.geojson", layer)]

    def _emerging(self, options: dict[str, Any], out: Path) -> list[Path]:
        selection = selection_from(options)
        self._progress(f"Emerging hot spots of {selection.what}, month by month ...")
        settings = EmergingSettings(
            gi_alpha=options["gi_alpha"],
            trend_alpha=options["trend_alpha"],
            share=options["share"],
            minimum_slices=options["minimum_months"],
        )
        result = maps.emerging(selection, options["shape"], options["cell_size"], settings)
        table = result.table()
        counts = table["pattern"].value_counts()
        self.stdout.write(
            f"{len(result.months)} months, {result.months[0]} to {result.months[-1]}, "
            f"{len(table):,} cells:"
        )
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        layer = result.network.grid.to_geojson(
            {column: table[column] for column in table.columns if column != "cell"}
        )
        return [
            write_csv(out / "emerging.csv", table),
            write_geojson(out / "emerging.geojson", layer),
        ]

    def _planted(self, options: dict[str, Any], out: Path) -> list[Path]:
        self._progress(f"Gi* on the planted world in {options['world']} ...")
        recovery, hot, names = planted_world.recover(
            options["world"],
            options["shape"],
            options["cell_size"],
            options["permutations"],
            options["seed"],
            options["inference"],
        )
        self.stdout.write(
            f"Planted hot spots: {recovery.planted}; recalled: {recovery.recalled} "
            f"(recall {recovery.recall:.0%}). Hot clusters (Gi*, after the false discovery "
            "rate): "
            f"{recovery.clusters}, of which {recovery.true_clusters} at a planted place "
            f"(precision {recovery.precision:.0%}); {recovery.top_true} of the "
            f"{recovery.planted} strongest (precision {recovery.precision_at_planted:.0%}). "
            f"Hot cells near a planted place: {recovery.true_cells} of {recovery.cells} "
            f"({recovery.cell_precision:.0%}); within {recovery.radius:.0f} m."
        )
        missed = [name for name, found in zip(names, recovery.found, strict=True) if not found]
        if missed:
            self.stdout.write(f"Not found: {'; '.join(missed)}.")
        return [write_csv(out / "planted.csv", hot)]

    def _near_repeat(self, options: dict[str, Any], out: Path) -> list[Path]:
        selection = selection_from(options)
        self._progress(f"Knox test on {selection.what}, {options['iterations']:,} permutations ...")
        result = surveillance.near_repeat(
            selection,
            options["distance_bands"],
            [int(edge) for edge in options["time_bands"]] if options["time_bands"] else None,
            options["iterations"],
            options["seed"],
        )
        self.stdout.write(
            f"{result.n_events:,} events, {result.n_pairs:,} pairs. "
            "Knox ratios (* p <= 0.05, ** p <= 0.01):"
        )
        self.stdout.write(result.ratio_table().to_string())
        self.stdout.write(result.resolution_note)
        if result.caveat:
            self.stdout.write(result.caveat)
        rows = []
        for i, space in enumerate(result.space_labels):
            for j, time in enumerate(result.time_labels):
                rows.append(
                    {
                        "distance_apart": space,
                        "time_apart": time,
                        "observed_pairs": int(result.observed[i, j]),
                        "expected_pairs": round(float(result.expected[i, j]), 3),
                        "knox_ratio": round(float(result.ratio[i, j]), 4),
                        "p_value": round(float(result.p_value[i, j]), 6),
                    }
                )
        return [write_csv(out / "near-repeat.csv", pd.DataFrame(rows))]

    def _cardiff(self, options: dict[str, Any], out: Path) -> list[Path]:
        self._progress("Matching ED assaults to police-recorded violence ...")
        result = surveillance.cardiff(
            options["first"] and selection_from({**options, "source": "ed"}).first,
            options["last"] and selection_from({**options, "source": "ed"}).last,
            options["police"],
            options["distance"],
            options["days"],
            options["minimum_ed"],
            options["shape"],
            options["cell_size"],
        )
        shares = result.all_shares()
        overall = shares[shares["by"] == "all"].iloc[0]
        self.stdout.write(
            f"{result.first} to {result.last}, police data: {result.police_source}. "
            f"{int(overall['matchable']):,} ED assaults could be matched; "
            f"{int(overall['matched']):,} matched a police-recorded violent crime within "
            f"{result.comparison.distance:g} m and {result.comparison.days} days; "
            f"{overall['chance_match_share']:.0%} would match by coincidence. "
            f"Share unknown to police: {overall['share_unknown_corrected']:.1%} "
            f"(95% CI {overall['lower']:.1%} to {overall['upper']:.1%}), "
            f"{overall['share_unknown']:.1%} before correcting for coincidence."
        )
        self.stdout.write(f"Hidden hotspots: {len(result.hidden):,} cells.")
        for caveat in result.comparison.caveats:
            self.stdout.write(caveat)
        grid = result.network.grid
        tested = result.cells[result.cells["tested"]]
        layer = grid.to_geojson(
            {
                column: result.cells[column]
                for column in ("ed", "police", "ratio", "q_value", "hidden_hotspot")
            }
        )
        layer["features"] = [
            feature
            for feature, keep in zip(layer["features"], result.cells["tested"], strict=True)
            if keep
        ]
        return [
            write_csv(out / "share-unknown.csv", shares),
            write_csv(out / "cells.csv", tested),
            write_geojson(out / "cells.geojson", layer),
        ]

    def _backtest(self, options: dict[str, Any], out: Path) -> list[Path]:
        selection = selection_from(options)
        if options["test_months"]:
            months = [month.strip() for month in options["test_months"].split(",") if month.strip()]
        else:
            months = forecasting.last_months(selection, BACKTEST_MONTHS)
        names = (
            [name.strip() for name in options["methods"].split(",")] if options["methods"] else None
        )
        size = options["cell_size"]
        offsets = (
            [(0.0, 0.0), (size / 2, 0.0), (0.0, size / 2), (size / 2, size / 2)]
            if options["offsets"]
            else []
        )
        self._progress(f"Backtesting on {selection.what}, {months[0]} to {months[-1]} ...")
        table = forecasting.backtest(
            selection,
            months,
            names,
            options["shape"],
            size,
            DEFAULT_COVERAGES,
            options["seed"],
            offsets,
        )
        self.stdout.write(table.to_markdown())
        written = [
            write_csv(out / "backtest.csv", table.rows),
            write_csv(out / "backtest-summary.csv", table.summary()),
        ]
        if offsets:
            written.append(write_csv(out / "backtest-offsets.csv", table.offset_summary()))
        markdown = out / "backtest.md"
        markdown.write_text(table.to_markdown() + "\n")
        return [*written, markdown]

    def _tasking(self, options: dict[str, Any], out: Path) -> list[Path]:
        selection = selection_from(options)
        result = forecasting.forecast_month(
            selection,
            options["month"],
            options["method"],
            options["shape"],
            options["cell_size"],
            options["seed"],
        )
        listed = result.tasking(options["coverage"])
        grid = result.network.grid
        layer = grid.to_geojson({"rank": result.rank, "score": result.scores})
        chosen = set(listed["cell"])
        layer["features"] = [
            feature for feature in layer["features"] if feature["properties"]["cell"] in chosen
        ]
        layer["features"].sort(key=lambda feature: feature["properties"]["rank"])
        layer["properties"] = result.metadata()
        self.stdout.write(
            f"{len(listed):,} cells cover {listed['area_share'].iloc[-1]:.1%} of the network's "
            f"area for {result.month} ({result.method}, {selection.what})."
        )
        return [
            write_csv(out / "tasking.csv", listed),
            write_geojson(out / "tasking.geojson", layer),
        ]
