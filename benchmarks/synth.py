"""Benchmark: `vrn synth --mode pure` at growing numbers of crimes.

Usage: python benchmarks/synth.py [--sizes 1e4,1e5,1e6,1e7] [--data-dir DIR] [--seed N]
                                  [--database-url URL]

Loads the reference geography of DIR into a scratch SQLite database once (not timed; or
uses --database-url, which must already hold it), then for each size runs a fresh process
that reads the world from the database, generates the world and writes every file to a
scratch folder. Prints, per size: rows written (every CSV file), seconds, rows per
second, crimes per second, and the process's peak resident memory, with the memory it
had before generating (Django, pandas and the world loaded). Costs should grow linearly
in the number of crimes and memory stay flat (the generator streams fixed-size blocks).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = "1e4,1e5,1e6,1e7"


def setup_database(database_url: str, data_dir: Path) -> None:
    """Runs in a child process: migrate and load the reference tables."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", str(data_dir), stdout=io.StringIO(), stderr=io.StringIO())


def measure(database_url: str, crimes: int, seed: int) -> dict[str, float]:
    """Runs in a child process: read the world, then time generating and writing it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    import django

    django.setup()
    from vrn.definitions import load_definitions
    from vrn.synth import Synthesis, write_world
    from vrn.synth.sources import world_from_database

    definitions = load_definitions()
    world = world_from_database(definitions)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        synthesis = Synthesis(
            world=world, definitions=definitions, seed=seed, mode="pure", crimes=crimes
        )
        written = write_world(synthesis, scratch, command="benchmark")
        seconds = time.perf_counter() - start
        size = sum(path.stat().st_size for path in Path(scratch).iterdir())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "crimes": crimes,
        "rows": written.total_rows,
        "seconds": seconds,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "bytes": size,
    }


def child(*args: str) -> str:
    return subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated crimes")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="a database already loaded")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--crimes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(__file__).resolve().parents[1].parent / "shared/data/real"
    data_dir = Path(os.environ.get("VRN_REFERENCE_DATA_DIR", data_dir))

    if args.setup:
        setup_database(args.setup, data_dir)
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.crimes, args.seed)))
        return

    sizes = [int(float(size)) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url
        if database_url is None:
            database_url = f"sqlite:///{scratch}/bench.sqlite3"
            print(f"loading reference data from {data_dir} (not timed) ...", file=sys.stderr)
            child("--setup", database_url, "--data-dir", str(data_dir))
        results = []
        for crimes in sizes:
            print(f"{crimes:,} crimes ...", file=sys.stderr)
            output = child(
                "--measure", database_url, "--crimes", str(crimes), "--seed", str(args.seed)
            )
            results.append(json.loads(output.strip().splitlines()[-1]))

    print("vrn synth --mode pure: generate and write every file (one process per size)\n")
    header = (
        f"{'crimes':>12}{'rows':>13}{'seconds':>10}{'rows/s':>11}{'crimes/s':>11}"
        f"{'MB written':>12}{'peak MB':>9}{'before':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['crimes']:>12,.0f}{r['rows']:>13,.0f}{r['seconds']:>10.1f}"
            f"{r['rows'] / r['seconds']:>11,.0f}{r['crimes'] / r['seconds']:>11,.0f}"
            f"{r['bytes'] / 1e6:>12,.0f}{r['peak_mb']:>9,.0f}{r['baseline_mb']:>8,.0f}"
        )
    print(
        "\n'peak MB': the process's peak resident memory; 'before': the same before generating "
        "(Python, Django, pandas and the world loaded)."
    )


if __name__ == "__main__":
    main()
