"""Benchmark: police.uk ingest of the 18 real months against a bare pandas parse.

Usage: python benchmarks/ingest.py [--data-dir DIR] [--postgres-url URL] [--repeat N]

Prints a table: for SQLite and PostgreSQL, the time to ingest every file into a fresh
database (reference data loaded beforehand, not timed), rows per second, and the ratio
to the time pandas alone takes to parse the same files. The target is a ratio of at
most 3 for SQLite. Each database runs in its own process (Django settings are global).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "vrn_benchmark"


def pandas_parse_seconds(files: list[Path], repeat: int) -> float:
    import pandas as pd

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            pd.read_csv(path)
        best = min(best, time.perf_counter() - start)
    return best


def measure_backend(database_url: str, data_dir: Path) -> dict[str, float]:
    """Runs in a child process: migrate, load reference, then time the ingest."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from vrn.crime.police_uk import PoliceUkStreet
    from vrn.demo.setup import police_files
    from vrn.ingest.pipeline import LoadContext, load_files

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", str(data_dir), verbosity=0, stdout=quiet, stderr=quiet)
    files = police_files(data_dir)
    context = LoadContext(loaded_by="benchmark", today=timezone.localdate())

    start = time.perf_counter()
    results = load_files(PoliceUkStreet(), files, context)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = load_files(PoliceUkStreet(), files, context)
    second = time.perf_counter() - start
    assert all(r.status == "loaded" for r in results), [r for r in results if r.status != "loaded"]
    assert all(r.status == "unchanged" for r in again)
    return {
        "rows": sum(r.rows_read for r in results),
        "loaded": sum(r.rows_loaded for r in results),
        "seconds": first,
        "repeat_seconds": second,
    }


def run_child(database_url: str, data_dir: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", database_url, "--data-dir", str(data_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def fresh_postgres(admin_url: str) -> str | None:
    import psycopg

    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL unavailable ({str(error).strip()}); skipping it", file=sys.stderr)
        return None
    return admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(__file__).resolve().parents[1].parent / "shared/data/real"
    data_dir = Path(os.environ.get("VRN_REFERENCE_DATA_DIR", data_dir))

    if args.child:
        print(json.dumps(measure_backend(args.child, data_dir)))
        return

    files = sorted((data_dir / "police-uk-street").glob("*/*-street.csv"))
    if not files:
        sys.exit(f"no police.uk files under {data_dir}/police-uk-street")
    parse = pandas_parse_seconds(files, args.repeat)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        rows.append(("SQLite", run_child(f"sqlite:///{scratch}/bench.sqlite3", data_dir)))
    postgres = fresh_postgres(args.postgres_url)
    if postgres:
        rows.append(("PostgreSQL", run_child(postgres, data_dir)))

    print(f"police.uk street-level ingest: {len(files)} files\n")
    header = (
        f"{'backend':<12}{'rows':>10}{'ingest s':>10}{'rows/s':>10}{'x pandas':>10}{'reload s':>10}"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{'pandas parse':<12}{rows[0][1]['rows']:>10,.0f}{parse:>10.2f}"
        f"{rows[0][1]['rows'] / parse:>10,.0f}{1:>10.2f}{'':>10}"
    )
    for name, result in rows:
        print(
            f"{name:<12}{result['rows']:>10,.0f}{result['seconds']:>10.2f}"
            f"{result['rows'] / result['seconds']:>10,.0f}{result['seconds'] / parse:>10.2f}"
            f"{result['repeat_seconds']:>10.2f}"
        )
    print(
        "\nTarget: SQLite ingest within 3x the pandas parse time. "
        "'reload s' is a second load of the same files (all unchanged)."
    )


if __name__ == "__main__":
    main()
