"""Benchmark: intervention reports and the API at force scale.

Usage: python benchmarks/interventions.py [--databases sqlite,postgresql]
                                          [--participants 50000] [--contacts 350000]
                                          [--reviews 150000] [--clients 20] [--seconds 10]
                                          [--workers N] [--scratch DIR] [--keep]

For each database, a child process sets up a scratch database (timed, not part of the
targets): migrate, three providers with a programme each, a caseworker of the largest
provider and an analyst, then PARTICIPANTS participants with CONTACTS contacts and
REVIEWS distance-travelled reviews (and an entry assessment and outcomes), drawn with a
fixed seed and written with the ingest pipeline's bulk insert. On PostgreSQL the setup
ends with VACUUM ANALYZE, as autovacuum would soon after such a load in a deployment; SQLite has
no automatic statistics and gets none.

Then, in a child with production settings and an empty cache:

* the network report and one programme report are built cold (``build_report``: every
  query and every statistic; the figure a page or ``vrn interventions report`` waits for
  the first time after a change) and then read from the cache, as the report pages do;
* gunicorn serves the site as ``vrn serve --production`` does, and CLIENTS threads (each
  its own connection and session, signed in through the sign-in form) request each API
  list page for SECONDS; the first request of each client is not counted.

Prints markdown tables: setup, report times (target: under 5 s), and per API page the
requests, requests per second, median, p95 (target: under 300 ms) and maximum latency and
errors. Exits non-zero only when setup fails, not when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from world import SetupError, log

import dashboard as served

SEED = 11
REPORT_TARGET_SECONDS = 5.0
API_TARGET_P95_MS = 300.0
CASEWORKER = "bench-caseworker"
ANALYST = "bench-analyst"
PASSWORD = "bench-not-a-secret-password-42"
BENCH_DATABASE = "vrn_interventions_benchmark"
#: Programmes: (code, provider code, provider name, share of participants).
PROGRAMMES = (
    ("VIP", "turning-point", "Turning Point", 0.4),
    ("MVP", "mvp-schools", "LLR schools MVP team", 0.4),
    ("UP", "leicestershire-cares", "Leicestershire Cares", 0.2),
)


# ------------------------------------------------------------------------ setup child


def setup(participants: int, contacts: int, reviews: int) -> dict[str, Any]:
    import django

    django.setup()
    import datetime as dt

    import numpy as np
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from vrn.accounts.models import Organisation, User
    from vrn.accounts.roles import Role
    from vrn.ingest.bulk import ColumnRows, bulk_insert
    from vrn.interventions import reference
    from vrn.interventions.models import (
        Assessment,
        Contact,
        Outcome,
        Participant,
        Programme,
        Review,
    )

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds["migrate"] = time.perf_counter() - started

    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    codes = reference.codes()
    scale = reference.scales().scales[0]
    areas = [area.id for area in scale.areas]
    factors = [factor.id for factor in reference.checklist().factors]
    groups = [group.id for group in reference.priorities().groups]
    programmes = []
    for code, provider_code, provider_name, _ in PROGRAMMES:
        organisation = Organisation.objects.create(
            name=provider_name, code=provider_code, kind=Organisation.Kind.PROVIDER
        )
        programmes.append(
            Programme.objects.create(
                code=code,
                name=f"{provider_name} programme",
                provider=organisation,
                prevention_level="secondary",
                period_start=dt.date(2021, 4, 1),
                funding=1_000_000,
                capacity=participants,
                scales=[scale.id],
                linkage_agreement="benchmark",
            )
        )
    caseworker = User.objects.create_user(
        username=CASEWORKER, password=PASSWORD, organisation=programmes[0].provider
    )
    caseworker.groups.add(Group.objects.get(name=Role.PROVIDER_CASEWORKER.label))
    analyst = User.objects.create_user(username=ANALYST, password=PASSWORD)
    analyst.groups.add(Group.objects.get(name=Role.ANALYST.label))

    shares = np.array([share for *_, share in PROGRAMMES])
    which = rng.choice(len(PROGRAMMES), size=participants, p=shares / shares.sum())
    day0 = np.datetime64("2021-04-01")
    referral = day0 + rng.integers(0, 3 * 365, participants).astype("timedelta64[D]")
    has_start = rng.random(participants) < 0.8
    start = referral + rng.integers(1, 30, participants).astype("timedelta64[D]")
    has_exit = has_start & (rng.random(participants) < 0.7)
    exit_day = start + rng.integers(60, 300, participants).astype("timedelta64[D]")
    reasons = np.array(list(codes.ids("exit_reason")), dtype=object)
    exit_reason = np.where(has_exit, rng.choice(reasons, participants), "")
    provider_ids = np.array([programmes[i].provider_id for i in which])
    programme_ids = np.array([programmes[i].pk for i in which])
    references = np.array([f"B-{n:06d}" for n in range(participants)], dtype=object)
    keys = np.array(
        [hashlib.sha256(f"bench{n}".encode()).hexdigest() for n in range(participants)],
        dtype=object,
    )
    sources = np.array(list(codes.ids("referral_source")), dtype=object)

    def day(values: Any, mask: Any = None) -> list[Any]:
        text = np.datetime_as_string(values, unit="D").astype(object)
        if mask is not None:
            text[~mask] = None
        return list(text)

    common = {
        "provider": provider_ids.tolist(),
        "synthetic": [False] * participants,
        "recorded_by": ["benchmark"] * participants,
    }
    with transaction.atomic():
        bulk_insert(
            Participant,
            [
                "provider",
                "case_reference",
                "synthetic",
                "recorded_by",
                "programme",
                "person_key",
                "key_basis",
                "referral_date",
                "referral_source",
                "reachable_moment",
                "consent_status",
                "lawful_basis",
                "age_at_referral",
                "sex",
                "ethnicity",
                "priority_groups",
                "residence_postcode_district",
                "residence_lsoa21_code",
                "residence_local_authority_code",
                "start_date",
                "exit_date",
                "exit_reason",
            ],
            ColumnRows(
                [
                    common["provider"],
                    list(references),
                    common["synthetic"],
                    common["recorded_by"],
                    programme_ids.tolist(),
                    list(keys),
                    ["given"] * participants,
                    day(referral),
                    list(rng.choice(sources, participants)),
                    ["ae_attendance"] * participants,
                    ["given"] * participants,
                    ["consent"] * participants,
                    rng.integers(11, 25, participants).tolist(),
                    rng.choice(["M", "F"], participants).tolist(),
                    ["not_stated"] * participants,
                    [
                        json.dumps(list(rng.choice(groups, 2, replace=False)))
                        for _ in range(participants)
                    ],
                    [""] * participants,
                    [""] * participants,
                    list(rng.choice(["E06000016", "E07000130", "E06000017"], participants)),
                    day(start, has_start),
                    day(exit_day, has_exit),
                    list(exit_reason),
                ]
            ),
        )
        owner = rng.integers(0, participants, contacts)
        when = referral[owner] + rng.integers(0, 200, contacts).astype("timedelta64[D]")
        bulk_insert(
            Contact,
            [
                "provider",
                "case_reference",
                "synthetic",
                "recorded_by",
                "contact_date",
                "kind",
                "attendance",
                "duration_minutes",
            ],
            ColumnRows(
                [
                    provider_ids[owner].tolist(),
                    list(references[owner]),
                    [False] * contacts,
                    ["benchmark"] * contacts,
                    day(when),
                    list(rng.choice(list(codes.ids("contact_kind")), contacts)),
                    list(
                        rng.choice(
                            list(codes.ids("attendance")), contacts, p=[0.7, 0.2, 0.05, 0.05]
                        )
                    ),
                    rng.integers(15, 120, contacts).tolist(),
                ]
            ),
        )
        owner = np.sort(rng.integers(0, participants, reviews))
        when = referral[owner] + rng.integers(0, 300, reviews).astype("timedelta64[D]")
        scores = rng.integers(scale.minimum, scale.maximum + 1, (reviews, len(areas)))
        bulk_insert(
            Review,
            [
                "provider",
                "case_reference",
                "synthetic",
                "recorded_by",
                "review_date",
                "scale",
                "perspective",
                "scores",
                "mean_score",
            ],
            ColumnRows(
                [
                    provider_ids[owner].tolist(),
                    list(references[owner]),
                    [False] * reviews,
                    ["benchmark"] * reviews,
                    day(when),
                    [scale.id] * reviews,
                    [scale.perspective] * reviews,
                    [json.dumps(dict(zip(areas, map(int, row), strict=True))) for row in scores],
                    scores.mean(axis=1).tolist(),
                ]
            ),
        )
        bulk_insert(
            Assessment,
            [
                "provider",
                "case_reference",
                "synthetic",
                "recorded_by",
                "assessed_on",
                "stage",
                "answers",
                "risk_score",
                "protective_score",
                "checklist",
            ],
            ColumnRows(
                [
                    common["provider"],
                    list(references),
                    common["synthetic"],
                    common["recorded_by"],
                    day(referral),
                    ["entry"] * participants,
                    [
                        json.dumps(
                            {
                                f: bool(v)
                                for f, v in zip(
                                    factors, rng.random(len(factors)) < 0.3, strict=True
                                )
                            }
                        )
                        for _ in range(participants)
                    ],
                    rng.integers(0, 10, participants).astype(float).tolist(),
                    rng.integers(0, 6, participants).astype(float).tolist(),
                    [reference.checklist().ref.short_id] * participants,
                ]
            ),
        )
        with_outcome = np.flatnonzero(has_exit & (rng.random(participants) < 0.5))
        kinds = list(codes.ids("outcome_kind"))
        bulk_insert(
            Outcome,
            [
                "provider",
                "case_reference",
                "synthetic",
                "recorded_by",
                "kind",
                "outcome_date",
                "evidence",
                "verified",
            ],
            ColumnRows(
                [
                    provider_ids[with_outcome].tolist(),
                    list(references[with_outcome]),
                    [False] * len(with_outcome),
                    ["benchmark"] * len(with_outcome),
                    list(rng.choice(kinds, len(with_outcome))),
                    day(exit_day[with_outcome]),
                    ["document_seen"] * len(with_outcome),
                    [True] * len(with_outcome),
                ]
            ),
        )
    seconds["records"] = time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load in a deployment (a test
        # server may run with it off): without statistics the planner misjudges a
        # provider's share of the participants.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    first = Participant.objects.filter(provider=programmes[0].provider).order_by("pk").first()
    return {
        "seconds": seconds,
        "rows": {
            "participants": Participant.objects.count(),
            "contacts": Contact.objects.count(),
            "reviews": Review.objects.count(),
            "assessments": Assessment.objects.count(),
            "outcomes": Outcome.objects.count(),
        },
        "participant": first.pk if first else None,
    }


# ---------------------------------------------------------------------- reports child


def reports() -> dict[str, Any]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from vrn.interventions import report_service
    from vrn.interventions.reports import Selection

    # As `vrn serve --production` does before starting gunicorn.
    call_command("collectstatic", "--noinput", verbosity=0)
    cache.clear()
    timings = []
    for label, selection in (
        ("network report", Selection()),
        ("programme report (VIP)", Selection(programme="VIP")),
    ):
        started = time.perf_counter()
        report = report_service.current_report(selection)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        report_service.current_report(selection)
        cached = time.perf_counter() - started
        timings.append(
            {
                "report": label,
                "participants": int(report.journey_total.iloc[0]["referred"]),
                "cold": cold,
                "cached": cached,
            }
        )
    return {"reports": timings}


# ------------------------------------------------------------------------ the driver


def drive(plan: dict[str, Any]) -> dict[str, Any]:
    served.USERNAME = plan["username"]
    served.PASSWORD = PASSWORD
    cpu = served.CpuMeter(plan["server_pid"], plan["database"])
    clients = [served.Client(plan["port"]) for _ in range(plan["clients"])]
    results = []
    for page in plan["pages"]:
        log(f"  {page['name']}")
        results.append(served.drive_page(clients, page, plan["seconds"], cpu))
    return {"pages": results}


def api_pages(participant: int) -> list[tuple[str, str, str]]:
    """(who, name, path) of the API pages measured."""
    return [
        (CASEWORKER, "programmes", "/api/programmes/"),
        (CASEWORKER, "participants (caseworker, page 1)", "/api/participants/?purpose=casework"),
        (
            CASEWORKER,
            "participants (caseworker, page 20)",
            "/api/participants/?purpose=casework&page=20",
        ),
        (ANALYST, "participants (analyst, page 1)", "/api/participants/?purpose=evaluation"),
        (CASEWORKER, "a participant", f"/api/participants/{participant}/?purpose=casework"),
        (
            CASEWORKER,
            "a participant's contacts",
            f"/api/participants/{participant}/contacts/?purpose=casework",
        ),
        (
            CASEWORKER,
            "a participant's reviews",
            f"/api/participants/{participant}/reviews/?purpose=casework",
        ),
    ]


def run_database(database: str, args: argparse.Namespace) -> dict[str, Any] | None:
    name = "SQLite" if database == "sqlite" else "PostgreSQL"
    folder = args.scratch / database
    data_dir = folder / "data"
    bench_database = f"{BENCH_DATABASE}_{hashlib.sha256(str(folder).encode()).hexdigest()[:8]}"
    if database == "sqlite":
        url = f"sqlite:///{folder}/bench.sqlite3"
    else:
        url = args.postgres_url.rsplit("/", 1)[0] + "/" + bench_database
        if served.postgres(args.postgres_url, "SELECT 1") is None:
            return None
    wanted = [args.participants, args.contacts, args.reviews, SEED]
    ready = folder / "ready.json"
    reference_dir = folder / "no-reference"
    try:
        setup_result = None
        if args.keep and ready.exists() and json.loads(ready.read_text()).get("wanted") == wanted:
            setup_result = json.loads(ready.read_text())
            log(f"=== {name}: reusing {folder} (--keep) ===")
        if setup_result is None:
            log(f"=== {name}: setting up in {folder} ===")
            shutil.rmtree(folder, ignore_errors=True)
            data_dir.mkdir(parents=True)
            reference_dir.mkdir()
            if database == "postgresql":
                served.postgres(args.postgres_url, f"DROP DATABASE IF EXISTS {bench_database}")
                served.postgres(args.postgres_url, f"CREATE DATABASE {bench_database}")
            env = served.environment(url, data_dir, reference_dir, False, args.workers)
            setup_result = _child(
                "--setup",
                env,
                "--participants",
                str(args.participants),
                "--contacts",
                str(args.contacts),
                "--reviews",
                str(args.reviews),
            )
            setup_result["wanted"] = wanted
            ready.write_text(json.dumps(setup_result))
        env = served.environment(url, data_dir, reference_dir, True, args.workers)
        shutil.rmtree(data_dir / "cache", ignore_errors=True)
        log(f"=== {name}: reports, cold then cached ===")
        timed = _child("--reports", env)
        log(f"=== {name}: gunicorn with {args.workers} workers, {args.clients} clients ===")
        server_log = args.scratch / f"gunicorn-interventions-{database}.log"
        pages: list[dict[str, Any]] = []
        server, port = served.start_server(env, args.workers, server_log)
        for who, page_name, path in api_pages(setup_result["participant"]):
            plan = {
                "port": port,
                "server_pid": server.pid,
                "database": bench_database if database == "postgresql" else None,
                "clients": args.clients,
                "seconds": args.seconds,
                "username": who,
                "pages": [{"kind": "api", "name": page_name, "path": path, "signed_in": True}],
            }
            try:
                pages += _child("--drive", env, stdin=json.dumps(plan))["pages"]
            except SetupError:
                served.stop_server(server)
                raise
        served.stop_server(server)
        return {"database": name, "setup": setup_result, **timed, "pages": pages}
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            if database == "postgresql":
                served.postgres(args.postgres_url, f"DROP DATABASE IF EXISTS {bench_database}")


def _child(mode: str, env: dict[str, str], *arguments: str, stdin: str | None = None) -> Any:
    """Run this script in ``mode`` in a child process; its JSON answer (last stdout line)."""
    import subprocess

    command = [sys.executable, str(Path(__file__).resolve()), mode, *arguments]
    completed = subprocess.run(
        command, env=env, input=stdin, stdout=subprocess.PIPE, text=True, check=False
    )
    if completed.returncode != 0:
        raise SetupError(f"{mode} failed (exit {completed.returncode}); see its output above")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def report(runs: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        "# Intervention monitoring benchmark\n\n"
        f"{served.machine()}; code {served.code_version()}.\n"
    )
    for run in runs:
        rows = run["setup"]["rows"]
        print(f"## {run['database']}\n")
        print(
            "Records: "
            + ", ".join(f"{count:,} {table}" for table, count in rows.items())
            + f". Setup (not a target): migrate {run['setup']['seconds']['migrate']:.1f} s, "
            f"records {run['setup']['seconds']['records']:.1f} s.\n"
        )
        print("| report | participants | cold (s) | cached (s) | target | pass |")
        print("| --- | ---: | ---: | ---: | --- | --- |")
        for timing in run["reports"]:
            met = "pass" if timing["cold"] < REPORT_TARGET_SECONDS else "MISS"
            print(
                f"| {timing['report']} | {timing['participants']:,} | {timing['cold']:.2f} | "
                f"{timing['cached']:.3f} | < {REPORT_TARGET_SECONDS:.0f} s | {met} |"
            )
        print(
            f"\nAPI, {args.clients} clients, {args.seconds:.0f} s per page, "
            f"{args.workers} workers:\n"
        )
        print("| page | requests | req/s | median ms | p95 ms | max ms | errors | target | pass |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for page in run["pages"]:
            p95 = page["p95_ms"]
            met = (
                "pass"
                if p95 is not None and p95 < API_TARGET_P95_MS and not page["errors"]
                else "MISS"
            )
            print(
                f"| {page['name']} | {page['requests']:,} | {page['per_second']:.0f} | "
                f"{served._ms(page['median_ms'])} | {served._ms(p95)} | "
                f"{served._ms(page['max_ms'])} | "
                f"{page['errors']} | p95 < {API_TARGET_P95_MS:.0f} ms | {met} |"
            )
            if page["error_examples"]:
                print(f"|  | errors: {'; '.join(page['error_examples'])} |||||||")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=350_000)
    parser.add_argument("--reviews", type=int, default=150_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=served.default_workers())
    parser.add_argument("--postgres-url", default=served.DEFAULT_POSTGRES)
    parser.add_argument(
        "--scratch", type=Path, default=Path(tempfile.gettempdir()) / "vrn-interventions-benchmark"
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reports", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.participants, args.contacts, args.reviews)))
        return
    if args.reports:
        print(json.dumps(reports()))
        return
    if args.drive:
        print(json.dumps(drive(json.loads(sys.stdin.read()))))
        return
    args.scratch = args.scratch.resolve()
    runs = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        if database not in ("sqlite", "postgresql"):
            sys.exit(f"unknown database {database!r}: give sqlite and/or postgresql")
        try:
            run = run_database(database, args)
        except SetupError as error:
            sys.exit(f"setup failed on {database}: {error}")
        if run is not None:
            runs.append(run)
    report(runs, args)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    main()
