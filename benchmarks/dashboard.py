"""Benchmark: every dashboard page under the production server, with concurrent clients.

Usage: python benchmarks/dashboard.py [--databases sqlite,postgresql] [--crimes 600000]
                                      [--first-month 2020-01] [--last-month 2024-12]
                                      [--clients 20] [--seconds 20] [--workers N]
                                      [--data-dir DIR] [--postgres-url URL]
                                      [--scratch DIR] [--keep] [--paths PATH,...]

For each database, a fresh process sets up a scratch database (not timed, reported):
migrate, load the reference data of DIR (the real data, settings.REFERENCE_DATA_DIR),
write a pure synthetic world with `vrn synth --mode pure --seed 1 --crimes N --first-month
.. --last-month ..` (five years at a force's 120,000 crimes a year by default, with people,
ED attendances and hospital admissions), load its files through the ingest pipeline as the
demo does, and create a board member. With VRN_ENV=production a second process then
collects the static files and runs `vrn dashboard warm` (the dashboard's caches) when that
command exists, and the site is served as `vrn serve --production` serves it: gunicorn with
the same arguments (WSGI application loaded before forking), without the access log.

A third process drives it over loopback: for each page, CLIENTS threads (each with its own
HTTP connection, kept alive when the server allows, and its own session: it signs in through
the sign-in form, CSRF token and all, before its first signed-in page) request the page
again and again for SECONDS. Each client's first request to a page is not counted (shown
as "first ms": the cold cost). Requests say `X-Forwarded-Proto: https`, as the TLS proxy of
docs/deployment.md would, so the production protections (HTTPS redirect, secure cookies)
apply as they do in production. A static file from the same server comes first: the floor.

Prints a markdown table, per database and page: requests, requests per second, median,
95th-percentile and maximum latency, errors (not 200, or no answer). Targets: p95 under
300 ms for every page at 20 clients and no errors, on SQLite and PostgreSQL. Exits
non-zero only when setup fails, not when a target is missed.

The pages are `vrn.dashboard.sitemap.benchmark_pages()`; while that module does not exist,
a small fallback list (the home page and the network dashboard). `--paths` overrides both:
comma-separated paths, requested signed in; prefix one with `anon:` to request it signed out.

`--keep` keeps the scratch folder (and PostgreSQL database) and reuses it on the next run
with the same crimes and months, skipping the setup; without it both are removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "vrn_dashboard_benchmark"
DEFAULT_CRIMES = 600_000
DEFAULT_FIRST_MONTH = "2020-01"
DEFAULT_LAST_MONTH = "2024-12"
SEED = 1
TARGET_P95_MS = 300.0
#: The benchmark's board member (a scratch database only).
USERNAME = "bench-board"
PASSWORD = "bench-board-not-a-secret-7Qx"
HOST = "127.0.0.1"
#: As the TLS reverse proxy of docs/deployment.md tells the site.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
#: The static file measured as the floor when the home page names no stylesheet.
STATIC_FALLBACK = "/static/govuk-frontend/govuk-frontend.min.css"
#: Pages measured while vrn.dashboard.sitemap does not exist yet.
FALLBACK_PAGES: list[dict[str, Any]] = [
    {"name": "home", "path": "/", "signed_in": False},
    {"name": "dashboard (network)", "path": "/dashboard/", "signed_in": True},
]
SERVER_START_SECONDS = 180


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class SetupError(Exception):
    """Setting up a database or its server failed: the benchmark cannot measure."""


# --------------------------------------------------------------------------- setup child


def setup(crimes: int, first_month: str, last_month: str, label: str) -> dict[str, Any]:
    """Runs in a child process (development settings): migrate, reference data, the world,
    the board member. Returns what was done and how long it took."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from vrn.demo.setup import load_synthetic_world
    from vrn.synth.output import read_manifest

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    log(f"[{label}] migrate")
    call_command("migrate", verbosity=0)
    log(f"[{label}] load reference data from {settings.REFERENCE_DATA_DIR}")
    call_command(
        "load_reference",
        str(settings.REFERENCE_DATA_DIR),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    seconds["reference"] = time.perf_counter() - started

    started = time.perf_counter()
    world = Path(settings.DATA_DIR) / "world"
    log(
        f"[{label}] vrn synth --mode pure --seed {SEED} --crimes {crimes} "
        f"--first-month {first_month} --last-month {last_month}"
    )
    call_command(
        "synth",
        mode="pure",
        seed=SEED,
        crimes=crimes,
        first_month=first_month,
        last_month=last_month,
        out=world,
        no_progress=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    seconds["synth"] = time.perf_counter() - started
    manifest = read_manifest(world)
    if manifest is None:
        raise SetupError(f"vrn synth wrote no manifest in {world}")

    started = time.perf_counter()

    def done(result: Any) -> None:
        log(
            f"[{label}] ingest {result.file}: {result.status}, {result.rows_loaded:,} rows "
            f"({time.perf_counter() - started:.0f} s)"
        )

    loaded = load_synthetic_world(world, manifest, on_file_done=done)
    failed = [f"{r.file}: {r.status}" for r in loaded.results if r.status != "loaded"]
    if failed:
        raise SetupError(f"files not loaded: {', '.join(failed)}")
    seconds["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    board_member()
    seconds["account"] = time.perf_counter() - started
    return {"seconds": seconds, "rows": row_counts(), "files": dict(manifest.rows)}


def board_member() -> None:
    """The benchmark's board member, made as `vrn demo` makes its accounts."""
    from vrn.accounts.models import Organisation, User
    from vrn.accounts.roles import Role, assign_role

    organisation, _ = Organisation.objects.get_or_create(
        name="Community Safety Partnership",
        defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY},
    )
    user, _ = User.objects.get_or_create(username=USERNAME)
    user.organisation = organisation
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    assign_role(user, Role.BOARD_MEMBER)


def row_counts() -> dict[str, int]:
    from vrn.health.models import AdmissionEpisode, EdAttendance
    from vrn.police.models import Crime, Person

    return {
        "crimes": Crime.objects.count(),
        "people": Person.objects.count(),
        "attendances": EdAttendance.objects.count(),
        "admissions": AdmissionEpisode.objects.count(),
    }


# ------------------------------------------------------------------------- prepare child


def prepare() -> dict[str, Any]:
    """Runs in a child process (production settings): check the migrations, collect the
    static files, warm the dashboard's caches if `vrn dashboard warm` exists, list the
    pages."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command, get_commands

    from vrn.demo.management.commands.serve import unapplied_migrations

    missing = unapplied_migrations()
    if missing:
        raise SetupError(f"the database needs migrations: {', '.join(missing[:5])}")
    call_command("collectstatic", interactive=False, verbosity=0)
    result: dict[str, Any] = {"cache": settings.CACHES["default"]["BACKEND"]}
    if "dashboard" in get_commands():
        started = time.perf_counter()
        try:
            call_command("dashboard", "warm", stdout=io.StringIO(), stderr=io.StringIO())
        except Exception as error:  # reported, and the benchmark goes on cold
            result["warm_error"] = f"{type(error).__name__}: {error}"
        result["warm_seconds"] = time.perf_counter() - started
    result["pages"], result["pages_note"] = pages()
    return result


def pages() -> tuple[list[dict[str, Any]], str | None]:
    """The dashboard's pages, as vrn.dashboard.sitemap lists them for benchmarks."""
    try:
        from vrn.dashboard.sitemap import benchmark_pages
    except ModuleNotFoundError as error:
        if error.name not in ("vrn.dashboard.sitemap",):
            raise
        note = (
            "vrn.dashboard.sitemap does not exist yet: measuring the FALLBACK page list "
            f"({', '.join(p['path'] for p in FALLBACK_PAGES)})"
        )
        return FALLBACK_PAGES, note
    listed = benchmark_pages() if callable(benchmark_pages) else benchmark_pages
    return [
        {"name": str(p.name), "path": str(p.path), "signed_in": bool(p.signed_in)} for p in listed
    ], None


# --------------------------------------------------------------------------- drive child


@dataclass
class Client:
    """One simulated user: a connection and a session of its own."""

    port: int
    connection: http.client.HTTPConnection | None = None
    cookies: SimpleCookie = field(default_factory=SimpleCookie)
    signed_in: bool = False

    def request(
        self,
        method: str,
        path: str,
        *,
        session: bool,
        body: str | None = None,
        **headers: str,
    ) -> tuple[int, bytes]:
        """Status and body; cookies kept when ``session``. Reconnects when the server closed
        the connection (gunicorn's sync workers close it after every response)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        sent = {
            "Host": f"{HOST}:{self.port}",
            "Accept-Encoding": "gzip",
            **PROXY_HEADERS,
            **headers,
        }
        if session and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        if response.will_close:
            self.connection.close()
        if session:
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
        return response.status, content

    def sign_in(self) -> None:
        self.cookies.clear()
        status, _ = self.request("GET", "/sign-in/", session=True)
        if status != 200 or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET /sign-in/ gave {status} and no CSRF cookie")
        form = urlencode(
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"].value,
            }
        )
        origin = f"https://{HOST}:{self.port}"
        status, content = self.request("POST", "/sign-in/", session=True, body=form, Origin=origin)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in gave {status}: {content[:300]!r}")
        self.signed_in = True


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    #: Counted requests that failed; and failures of the sign-ins and first requests.
    errors: int = 0
    errors_before: int = 0
    error_examples: list[str] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    bytes: int = 0
    end: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str, counted: bool) -> None:
        with self.lock:
            if counted:
                self.errors += 1
            else:
                self.errors_before += 1
            if what not in self.error_examples and len(self.error_examples) < 3:
                self.error_examples.append(what)


def drive_page(clients: list[Client], page: dict[str, Any], seconds: float) -> dict[str, Any]:
    """Every client requests ``page`` until ``seconds`` have passed since they all began."""
    sample = Sample()
    window: dict[str, float] = {}

    def begin() -> None:
        window["start"] = time.perf_counter()
        window["deadline"] = window["start"] + seconds

    barrier = threading.Barrier(len(clients), action=begin)

    def one(client: Client, counted: bool) -> None:
        started = time.perf_counter()
        try:
            status, content = client.request("GET", page["path"], session=page["signed_in"])
        except (OSError, http.client.HTTPException) as error:
            sample.error(f"{type(error).__name__}: {error}", counted)
            return
        elapsed = time.perf_counter() - started
        with sample.lock:
            if counted:
                sample.latencies.append(elapsed)
                sample.bytes += len(content)
                sample.end = max(sample.end, time.perf_counter())
            else:
                sample.first.append(elapsed)
        if status != 200:
            sample.error(f"HTTP {status}", counted)

    def run(client: Client) -> None:
        try:
            if page["signed_in"] and not client.signed_in:
                client.sign_in()
            one(client, counted=False)
        except Exception as error:
            sample.error(f"{type(error).__name__}: {error}", counted=False)
        barrier.wait()
        while time.perf_counter() < window["deadline"]:
            one(client, counted=True)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(sample.latencies)
    elapsed = (sample.end or window["deadline"]) - window["start"]
    return {
        **page,
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "median_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * _percentile(latencies, 0.95) if latencies else None,
        "max_ms": 1000 * latencies[-1] if latencies else None,
        "first_ms": 1000 * max(sample.first) if sample.first else None,
        "kb": sample.bytes / len(latencies) / 1024 if latencies else None,
        "errors": sample.errors,
        "errors_before": sample.errors_before,
        "error_examples": sample.error_examples,
    }


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def static_path(port: int) -> str:
    """The collected (hashed) name of the GOV.UK Frontend stylesheet, as the home page has it."""
    status, content = Client(port).request("GET", "/", session=False)
    found = re.search(rb'href="(/static/govuk-frontend/govuk-frontend\.min\.\w+\.css)"', content)
    return found[1].decode() if status == 200 and found else STATIC_FALLBACK


def drive(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Runs in a child process: the static floor, then every page."""
    port = plan["port"]
    clients = [Client(port) for _ in range(plan["clients"])]
    floor = {"name": "static file (floor)", "path": static_path(port), "signed_in": False}
    results = []
    for page in [floor, *plan["pages"]]:
        log(f"  {page['path']} ({plan['clients']} clients, {plan['seconds']} s)")
        result = drive_page(clients, page, plan["seconds"])
        result["floor"] = page is floor
        log(
            f"    {result['requests']:,} requests, p95 {_ms(result['p95_ms'])} ms, "
            f"{result['errors']} errors"
        )
        results.append(result)
    return results


# -------------------------------------------------------------------------------- parent


def default_workers() -> int:
    """As settings.VRN_WEB_WORKERS: 2 x cores + 1, at most 8 (docs/deployment.md)."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def environment(
    database_url: str, data_dir: Path, reference_dir: Path, production: bool, workers: int
) -> dict[str, str]:
    removed = {"VRN_DEBUG", "VRN_SECURE_SSL_REDIRECT", "VRN_PROXY_COUNT", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.update(
        DJANGO_SETTINGS_MODULE="vrn.site.settings",
        DATABASE_URL=database_url,
        VRN_DATA_DIR=str(data_dir),
        # The caches the server and `vrn dashboard warm` share: the scratch folder's, never
        # a cache folder of the caller's environment.
        VRN_CACHE_DIR=str(data_dir / "cache"),
        VRN_REFERENCE_DATA_DIR=str(reference_dir),
        VRN_LOG_LEVEL="WARNING",
        VRN_ENV="production" if production else "development",
        VRN_WEB_WORKERS=str(workers),
    )
    if production:
        env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=f"{HOST},localhost",
        )
    else:
        env.pop("SECRET_KEY", None)
        env.pop("ALLOWED_HOSTS", None)
    return env


def child(mode: str, env: dict[str, str], *arguments: str, stdin: str | None = None) -> Any:
    """Run this script in ``mode`` in a child process; its JSON answer (last stdout line)."""
    command = [sys.executable, str(Path(__file__).resolve()), mode, *arguments]
    completed = subprocess.run(
        command, env=env, input=stdin, stdout=subprocess.PIPE, text=True, check=False
    )
    if completed.returncode != 0:
        raise SetupError(f"{mode} failed (exit {completed.returncode}); see its output above")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def postgres(admin_url: str, sql: str) -> list[Any] | None:
    """Run ``sql`` on the server (autocommit); None if PostgreSQL is unavailable."""
    import psycopg

    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []
    except psycopg.OperationalError as error:
        log(f"PostgreSQL unavailable ({str(error).strip()})")
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_command(port: int, workers: int) -> list[str]:
    """`vrn serve --production`'s gunicorn command, without the access log (it costs time)."""
    from vrn.demo.management.commands.serve import gunicorn_arguments

    arguments = gunicorn_arguments(f"{HOST}:{port}", workers)
    at = arguments.index("--access-logfile")
    del arguments[at : at + 2]
    # No control socket: its default path is one per user, shared with any other gunicorn.
    return [*arguments, "--no-control-socket"]


def start_server(
    env: dict[str, str], workers: int, error_log: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn on a free port, its output (errors, the site's log) to ``error_log``."""
    port = free_port()
    with error_log.open("wb") as output:
        server = subprocess.Popen(
            gunicorn_command(port, workers),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if server.poll() is not None:
            raise SetupError(f"gunicorn stopped (exit {server.returncode}):\n{_tail(error_log)}")
        try:
            status, _ = Client(port).request("GET", "/", session=False)
            if status == 200:
                return server, port
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise SetupError(f"gunicorn did not answer with 200 on /:\n{_tail(error_log)}")
        time.sleep(0.5)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else "(no log)"


def run_database(
    database: str, args: argparse.Namespace, reference_dir: Path
) -> dict[str, Any] | None:
    """Set up (or reuse), serve and drive one database. None when PostgreSQL is unavailable."""
    name = "SQLite" if database == "sqlite" else "PostgreSQL"
    folder = args.scratch / database
    data_dir = folder / "data"
    admin_url = args.postgres_url
    if database == "sqlite":
        url = f"sqlite:///{folder}/bench.sqlite3"
    else:
        url = admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE
        if postgres(admin_url, "SELECT 1") is None:
            return None
    wanted = {
        "crimes": args.crimes,
        "first_month": args.first_month,
        "last_month": args.last_month,
        "seed": SEED,
    }
    ready = folder / "ready.json"
    setup_result: dict[str, Any] | None = None
    if args.keep and ready.exists():
        recorded = json.loads(ready.read_text())
        exists = database == "sqlite" or postgres(
            admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DATABASE}'"
        )
        if recorded.get("world") == wanted and exists:
            setup_result = {**recorded, "reused": True}
            log(f"=== {name}: reusing the database set up in {folder} (--keep) ===")
    try:
        if setup_result is None:
            log(f"=== {name}: setting up (not timed) in {folder} ===")
            shutil.rmtree(folder, ignore_errors=True)
            data_dir.mkdir(parents=True)
            if database == "postgresql":
                postgres(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
                postgres(admin_url, f"CREATE DATABASE {BENCH_DATABASE}")
            started = time.perf_counter()
            env = environment(url, data_dir, reference_dir, False, args.workers)
            setup_result = child(
                "--setup",
                env,
                "--crimes",
                str(args.crimes),
                "--first-month",
                args.first_month,
                "--last-month",
                args.last_month,
                "--label",
                name,
            )
            setup_result["seconds"]["total"] = time.perf_counter() - started
            setup_result["world"] = wanted
            ready.write_text(json.dumps(setup_result))
            setup_result["reused"] = False

        env = environment(url, data_dir, reference_dir, True, args.workers)
        log(f"=== {name}: collect static files, warm the caches, list the pages ===")
        started = time.perf_counter()
        prepared = child("--prepare", env)
        prepared["seconds"] = time.perf_counter() - started
        if args.paths:
            prepared["pages"] = [
                {
                    "name": path.removeprefix("anon:"),
                    "path": path.removeprefix("anon:"),
                    "signed_in": not path.startswith("anon:"),
                }
                for path in (p.strip() for p in args.paths.split(","))
                if path
            ]
            prepared["pages_note"] = "pages given with --paths"
        if prepared.get("pages_note"):
            log(f"[{name}] {prepared['pages_note']}")

        log(f"=== {name}: gunicorn with {args.workers} workers ===")
        error_log = args.scratch / f"gunicorn-{database}.log"
        server, port = start_server(env, args.workers, error_log)
        try:
            plan = {
                "port": port,
                "clients": args.clients,
                "seconds": args.seconds,
                "pages": prepared["pages"],
            }
            results = child("--drive", env, stdin=json.dumps(plan))
        finally:
            stop_server(server)
        return {
            "database": name,
            "setup": setup_result,
            "prepared": prepared,
            "pages": results,
            "log": str(error_log),
        }
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            if database == "postgresql":
                postgres(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def report(runs: list[dict[str, Any]], args: argparse.Namespace, skipped: list[str]) -> None:
    print(
        f"Dashboard under gunicorn ({args.workers} workers, VRN_ENV=production), "
        f"{args.clients} concurrent clients for {args.seconds:g} s per page, over loopback; "
        f"pure synthetic world, seed {SEED}, {args.crimes:,} crimes, "
        f"{args.first_month}..{args.last_month}. Latency in ms; 'first' is the slowest "
        "client's first (uncounted) request; KB per response as sent (gzip accepted); errors "
        "are counted requests not answered 200 (+ sign-ins and first requests that failed).\n"
    )
    print(
        "| database | page | path | signed in | requests | req/s | median | p95 | max | first "
        "| KB | errors | p95 < 300 ms, no errors |"
    )
    print("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    missed: list[str] = []
    for run in runs:
        for page in run["pages"]:
            errors = page["errors"] + page["errors_before"]
            ok = errors == 0 and (page["p95_ms"] or math.inf) < TARGET_P95_MS
            if page["floor"]:
                verdict = "floor"
            else:
                verdict = "met" if ok else "MISSED"
                if not ok:
                    missed.append(f"{run['database']} {page['path']}")
            print(
                f"| {run['database']} | {page['name']} | `{page['path']}` | "
                f"{'yes' if page['signed_in'] else 'no'} | {page['requests']:,} | "
                f"{page['per_second']:.1f} | {_ms(page['median_ms'])} | {_ms(page['p95_ms'])} | "
                f"{_ms(page['max_ms'])} | {_ms(page['first_ms'])} | "
                f"{_ms(page['kb'], 1)} | {page['errors']}"
                + (f" (+{page['errors_before']} before)" if page["errors_before"] else "")
                + f" | {verdict} |"
            )
    print()
    for run in runs:
        for page in run["pages"]:
            if page["error_examples"]:
                print(
                    f"{run['database']} {page['path']}: errors such as "
                    + "; ".join(page["error_examples"])
                    + f" (server log: {run['log']})"
                )
    print("Setup (not timed above), seconds:")
    for run in runs:
        setup, prepared = run["setup"], run["prepared"]
        s, rows = setup["seconds"], setup["rows"]
        reused = " (reused with --keep; times of the original setup)" if setup["reused"] else ""
        print(
            f"  {run['database']}{reused}: reference {s['reference']:.0f}, synth "
            f"{s['synth']:.0f}, ingest {s['ingest']:.0f}, account {s['account']:.1f}, total "
            f"{s['total']:.0f}; rows: {rows['crimes']:,} crimes, {rows['people']:,} people, "
            f"{rows['attendances']:,} ED attendances, {rows['admissions']:,} admissions"
        )
        if "warm_seconds" not in prepared:
            warm = "no `vrn dashboard warm` command yet: not warmed (caches " + (
                "as the previous run left them)" if setup["reused"] else "cold)"
            )
        elif "warm_error" in prepared:
            warm = f"`vrn dashboard warm` FAILED after {prepared['warm_seconds']:.1f} s: "
            warm += prepared["warm_error"]
        else:
            warm = f"`vrn dashboard warm` {prepared['warm_seconds']:.1f} s"
        print(
            f"  {run['database']}: collectstatic + warm + page list {prepared['seconds']:.0f} "
            f"s; {warm}; cache backend {prepared['cache']}"
        )
        if prepared["cache"].endswith("LocMemCache") and "warm_seconds" in prepared:
            print(
                "    (a local-memory cache is per process: warming it in another process does "
                "not reach gunicorn's workers)"
            )
        if prepared.get("pages_note"):
            print(f"  {run['database']}: {prepared['pages_note']}")
    for name in skipped:
        print(f"  {name}: not measured (unavailable)")
    print()
    if missed or skipped:
        what = [f"missed on {', '.join(missed)}"] if missed else []
        what += [f"{', '.join(skipped)} not measured"] if skipped else []
        print(
            f"Targets (p95 under {TARGET_P95_MS:.0f} ms at {args.clients} clients, no errors, "
            f"every page, SQLite and PostgreSQL): NOT MET: {'; '.join(what)}"
        )
    else:
        print(
            f"Targets (p95 under {TARGET_P95_MS:.0f} ms at {args.clients} clients, no errors, "
            "every page, SQLite and PostgreSQL): all met"
        )


def _ms(value: float | None, decimals: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{decimals}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--crimes", type=int, default=DEFAULT_CRIMES)
    parser.add_argument("--first-month", default=DEFAULT_FIRST_MONTH, metavar="YYYY-MM")
    parser.add_argument("--last-month", default=DEFAULT_LAST_MONTH, metavar="YYYY-MM")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time per page")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="gunicorn workers (default as VRN_WEB_WORKERS: 2 x cores + 1, at most 8)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the real reference data (default: VRN_REFERENCE_DATA_DIR, else ../shared/data/real)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "vrn-dashboard-benchmark",
        help="scratch folder (a subfolder per database)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the scratch databases, and reuse them when set up with the same world",
    )
    parser.add_argument(
        "--paths", default=None, help="comma-separated paths instead of the dashboard's pages"
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.setup:
        print(json.dumps(setup(args.crimes, args.first_month, args.last_month, args.label)))
        return
    if args.prepare:
        print(json.dumps(prepare()))
        return
    if args.drive:
        print(json.dumps(drive(json.loads(sys.stdin.read()))))
        return

    shipped = Path(__file__).resolve().parents[1].parent / "shared/data/real"
    reference_dir = (
        args.data_dir or Path(os.environ.get("VRN_REFERENCE_DATA_DIR", shipped))
    ).resolve()
    databases = [name.strip().lower() for name in args.databases.split(",") if name.strip()]
    unknown = sorted(set(databases) - {"sqlite", "postgresql"})
    if unknown:
        sys.exit(f"unknown database(s) {', '.join(unknown)}: give sqlite and/or postgresql")
    if args.clients < 1 or args.seconds <= 0 or args.workers < 1:
        sys.exit("--clients, --seconds and --workers must be positive")
    if not reference_dir.is_dir():
        sys.exit(f"no reference data folder {reference_dir} (give --data-dir)")
    args.scratch = args.scratch.resolve()

    runs: list[dict[str, Any]] = []
    skipped: list[str] = []
    for database in databases:
        try:
            run = run_database(database, args, reference_dir)
        except SetupError as error:
            sys.exit(f"setup failed on {database}: {error}")
        if run is None:
            skipped.append("PostgreSQL")
        else:
            runs.append(run)
    if not runs:
        sys.exit("nothing measured")
    report(runs, args, skipped)


if __name__ == "__main__":
    main()
