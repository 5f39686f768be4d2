"""Benchmark: the full problem profile (findings, HTML, PDF) against reading its inputs.

Usage: python benchmarks/profile.py [--sizes 1e5,1e6] [--databases sqlite,postgresql]
                                    [--repeats N] [--data-dir DIR] [--postgres-url URL]
                                    [--seed N] [--cprofile]

For each database and size, a fresh process sets up a fresh database (not timed): migrate,
load the reference data of DIR (the real data, settings.REFERENCE_DATA_DIR), write a pure
synthetic world with `vrn synth --mode pure --seed 1 --crimes N` into a scratch folder and
load its files through the ingest pipeline, as the demo does. It then times, N times
(median reported), `read_inputs` of the network over the loaded months (just reading the
inputs), `build_profile("network")` with `to_dict()` (every finding), the HTML (with the
boundaries of the maps) and the PDF. The figure tracked is total / read (target under 5),
with a total under 10 s for a force-year (100,000 crimes with people) and a cost linear in
rows (10x the crimes, about 10x the time). Each run uses its own process (Django settings
are global) and scratch folder; PostgreSQL gets a scratch database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from world import load_world, log, row_counts

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "vrn_profile_benchmark"
DEFAULT_SIZES = "1e5,1e6"
FORCE_YEAR = 100_000
TARGET_SECONDS = 10.0
TARGET_RATIO = 5.0
#: Steps of build_profile shown per run in "where the time goes".
TOP_STEPS = 8


def setup_world(label: str, crimes: int, seed: int, scratch: Path) -> dict[str, Any]:
    """Migrate, load the reference data, write the pure world and load its files."""
    seconds, manifest = load_world(label, scratch / "world", seed=seed, crimes=crimes)
    return {"setup": seconds, "files": dict(manifest.rows)}


class StepTimer:
    """A progress callback that times each step of build_profile (until the next)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._step: str | None = None
        self._since = time.perf_counter()

    def __call__(self, what: str) -> None:
        self.stop()
        self._step, self._since = what, time.perf_counter()

    def stop(self) -> None:
        if self._step is not None:
            elapsed = time.perf_counter() - self._since
            self.seconds[self._step] = self.seconds.get(self._step, 0.0) + elapsed
        self._step = None


def timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def measure(database_url: str, crimes: int, repeats: int, seed: int, profile: bool) -> str:
    """Runs in a child process: set up the database, then time the profile. Returns JSON."""
    label = f"{'SQLite' if database_url.startswith('sqlite') else 'PostgreSQL'} {crimes:,}"
    scratch = Path(os.environ["VRN_DATA_DIR"])
    import django

    django.setup()
    from vrn.definitions import load_definitions
    from vrn.profile.build import (
        boundaries_for,
        build_profile,
        default_period,
        read_inputs,
        resolve_area,
    )
    from vrn.profile.report import render_html, render_pdf

    def read() -> Any:
        return read_inputs(resolve_area("network"), default_period(), load_definitions())

    def findings(progress: StepTimer | None = None) -> dict[str, Any]:
        return build_profile("network", progress=progress).to_dict()

    def html_of(data: dict[str, Any]) -> str:
        """profile.html: every finding with its data table."""
        return render_html(data, boundaries_for(resolve_area("network")))

    def pdf_of(data: dict[str, Any]) -> bytes:
        """profile.pdf: printed from the report without the data tables, as vrn profile does."""
        printed = render_html(data, boundaries_for(resolve_area("network")), data_tables=False)
        return render_pdf(printed)

    result = setup_world(label, crimes, seed, scratch)
    result["rows"] = row_counts()
    runs: list[dict[str, float | None]] = []
    steps: list[dict[str, float]] = []
    for repeat in range(repeats):
        log(f"[{label}] repeat {repeat + 1} of {repeats}")
        inputs, read_s = timed(read)
        timer = StepTimer()
        data, findings_s = timed(findings, timer)
        timer.stop()
        steps.append(timer.seconds)
        document, html_s = timed(html_of, data)
        pdf, pdf_s = timed(pdf_of, data)
        result["documents"] = {"html_chars": len(document), "pdf_bytes": len(pdf)}
        runs.append({"read": read_s, "findings": findings_s, "html": html_s, "pdf": pdf_s})
        log(
            f"[{label}] read {read_s:.2f} s, findings {findings_s:.2f} s, html {_s(html_s)} s, "
            f"pdf {_s(pdf_s)} s"
        )
    result["frames"] = {
        name: len(getattr(inputs, name))
        for name in ("crimes", "victims", "perpetrators", "attendances", "admissions")
        if getattr(inputs, name) is not None
    }
    result["months"] = inputs.period.months
    result["period"] = str(inputs.period)
    result["findings_computed"] = len(data["findings"])
    result["not_computed"] = data["not_computed"]
    result["runs"] = runs
    result["steps"] = {key: statistics.median(s.get(key, 0.0) for s in steps) for key in steps[0]}
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(findings)
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(15)
            log(f"[{label}] cProfile of build_profile + to_dict, by {order}:\n{out.getvalue()}")
        profiler = cProfile.Profile()
        profiler.runcall(lambda: pdf_of(data))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        log(f"[{label}] cProfile of the pdf, by cumulative:\n{out.getvalue()}")
    return json.dumps(result)


def _s(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.2f}"


def run_child(
    database_url: str, data_dir: Path, crimes: int, args: argparse.Namespace
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vrn-profile-bench-") as scratch:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "VRN_DATA_DIR": scratch,
            "VRN_REFERENCE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "vrn.site.settings"),
        }
        if database_url == "sqlite":
            environment["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        command = [sys.executable, __file__, "--child", "--crimes", str(crimes)]
        command += ["--repeats", str(args.repeats), "--seed", str(args.seed)]
        command += ["--cprofile"] if args.cprofile else []
        output = subprocess.run(
            command, check=True, stdout=subprocess.PIPE, text=True, env=environment
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_database(admin_url: str, create: bool) -> str | None:
    """Drop the scratch database and (with ``create``) create it afresh: its URL."""
    import psycopg

    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            if create:
                connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    except psycopg.OperationalError as error:
        log(f"PostgreSQL unavailable ({str(error).strip()}); skipping it")
        return None
    return admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Medians over the repeats; total = findings + html + pdf (None without a report)."""
    runs = result["runs"]
    summary: dict[str, Any] = {}
    for key in ("read", "findings", "html", "pdf"):
        values = [run[key] for run in runs]
        summary[key] = None if None in values else statistics.median(values)
    totals = [run["findings"] + run["html"] + run["pdf"] for run in runs if run["html"] is not None]
    summary["total"] = statistics.median(totals) if len(totals) == len(runs) else None
    summary["measured"] = summary["total"] if summary["total"] is not None else summary["findings"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated crimes")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the real reference data (default: VRN_REFERENCE_DATA_DIR, else ../shared/data/real)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cprofile", action="store_true", help="print a cProfile of build_profile to stderr"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--crimes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    # This file is profile.py: keep its folder off the path, so that `import profile` (as
    # cProfile does) finds the standard library's module, not this one.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]

    if args.child:
        database_url = os.environ["DATABASE_URL"]
        print(measure(database_url, args.crimes, args.repeats, args.seed, args.cprofile))
        return

    shipped = Path(__file__).resolve().parents[1].parent / "shared/data/real"
    data_dir = args.data_dir or Path(os.environ.get("VRN_REFERENCE_DATA_DIR", shipped))
    sizes = [int(float(size)) for size in args.sizes.split(",")]
    databases = [name.strip().lower() for name in args.databases.split(",")]
    unknown = sorted(set(databases) - {"sqlite", "postgresql"})
    if unknown:
        sys.exit(f"unknown database(s) {', '.join(unknown)}: give sqlite and/or postgresql")

    results: list[tuple[str, int, dict[str, Any]]] = []
    for database in databases:
        for crimes in sizes:
            log(f"=== {database}, {crimes:,} crimes ===")
            if database == "sqlite":
                results.append(("SQLite", crimes, run_child("sqlite", data_dir, crimes, args)))
                continue
            url = postgres_database(args.postgres_url, create=True)
            if url is None:
                break
            try:
                results.append(("PostgreSQL", crimes, run_child(url, data_dir, crimes, args)))
            finally:
                postgres_database(args.postgres_url, create=False)
    report(results, args.repeats)


def report(results: list[tuple[str, int, dict[str, Any]]], repeats: int) -> None:
    if not results:
        sys.exit("nothing measured")
    summaries = [(name, crimes, result, summarise(result)) for name, crimes, result in results]
    first = results[0][2]
    print(
        f"Problem profile of the network (`vrn profile --area network`): median of {repeats} "
        "run(s); seconds\n"
    )
    print(
        f"Synthetic pure world (`vrn synth --mode pure --seed 1 --crimes N`), period "
        f"{first['period']} ({first['months']} months): the pure world always spans 24 months "
        "(parameters period_start..period_end; `vrn synth` has no option to change them), so "
        "N crimes are N/2 crimes a year. 'findings' is build_profile + to_dict (it reads the "
        "inputs itself); total = findings + html + pdf; ratio = total / read.\n"
    )
    header = (
        f"{'database':<11}{'crimes':>10}{'crimes/yr':>10}{'people':>10}{'ED':>8}{'adm':>7}"
        f"{'read s':>8}{'findings':>9}{'html s':>8}{'pdf s':>8}{'total s':>9}{'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, _, result, s in summaries:
        rows = result["rows"]
        ratio = None if s["total"] is None else s["total"] / s["read"]
        print(
            f"{name:<11}{rows['crimes']:>10,}{rows['crimes'] // 2:>10,}{rows['people']:>10,}"
            f"{rows['attendances']:>8,}{rows['admissions']:>7,}{s['read']:>8.2f}"
            f"{s['findings']:>9.2f}{_cell(s['html'], 8)}{_cell(s['pdf'], 8)}"
            f"{_cell(s['total'], 9)}{_cell(ratio, 7)}"
        )

    print("\nScaling (each size against the smallest of the same database; linear = rows x):\n")
    header = (
        f"{'database':<11}{'crimes':>10}{'rows x':>8}{'read x':>8}{'findings x':>11}"
        f"{'html x':>8}{'pdf x':>8}{'total x':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, crimes, result, s in summaries:
        base = next(b for b in summaries if b[0] == name)
        if base[1] == crimes:
            continue
        b = base[3]
        print(
            f"{name:<11}{crimes:>10,}{result['rows']['crimes'] / base[2]['rows']['crimes']:>8.1f}"
            f"{s['read'] / b['read']:>8.1f}{s['findings'] / b['findings']:>11.1f}"
            f"{_cell(_over(s['html'], b['html']), 8, 1)}{_cell(_over(s['pdf'], b['pdf']), 8, 1)}"
            f"{_cell(_over(s['total'], b['total']), 9, 1)}"
        )

    print("\nSetup (not timed above), seconds: reference data, vrn synth, ingest of the world\n")
    for name, crimes, result, _ in summaries:
        setup, files = result["setup"], result["files"]
        print(
            f"{name:<11}{crimes:>10,}  reference {setup['reference']:>6.1f}  synth "
            f"{setup['synth']:>6.1f}  ingest {setup['ingest']:>7.1f}  files: "
            + ", ".join(f"{file} {count:,}" for file, count in files.items())
        )
        if "documents" in result:
            documents = result["documents"]
            print(
                f"{'':<11}{'':>10}  HTML {documents['html_chars'] / 1e6:.1f} MB of text, "
                f"PDF {documents['pdf_bytes'] / 1e6:.1f} MB"
            )

    print(f"\nWhere the time of build_profile goes (median seconds, top {TOP_STEPS} steps):\n")
    for name, crimes, result, _ in summaries:
        top = sorted(result["steps"].items(), key=lambda item: -item[1])[:TOP_STEPS]
        print(f"{name} {crimes:,}: " + ", ".join(f"{step} {sec:.2f}" for step, sec in top))
    for name, crimes, result, _ in summaries:
        if result["not_computed"]:
            print(f"\n{name} {crimes:,}: not computed: {result['not_computed']}")

    print("\nTargets:")
    force_year = [r for r in summaries if r[1] == FORCE_YEAR] or [
        r for r in summaries if r[1] == min(c for _, c, _, _ in summaries)
    ]
    for name, crimes, _, s in force_year:
        total = s["total"]
        verdict = "n/a (no report)" if total is None else _holds(total < TARGET_SECONDS)
        print(f"  {name} {crimes:,} crimes: total under {TARGET_SECONDS:.0f} s: {verdict}")
    for name, crimes, _, s in summaries:
        total = s["total"]
        verdict = "n/a" if total is None else _holds(total / s["read"] < TARGET_RATIO)
        print(f"  {name} {crimes:,} crimes: total under {TARGET_RATIO:.0f}x read: {verdict}")


def _over(value: float | None, base: float | None) -> float | None:
    return None if value is None or base is None else value / base


def _cell(value: float | None, width: int, decimals: int = 2) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width}.{decimals}f}"


def _holds(ok: bool) -> str:
    return "holds" if ok else "MISSED"


if __name__ == "__main__":
    main()
