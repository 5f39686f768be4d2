"""Benchmark: every dashboard page under the production server, with concurrent clients.

Usage: python benchmarks/dashboard.py [--databases sqlite,postgresql] [--crimes 600000]
                                      [--first-month 2020-01] [--last-month 2024-12]
                                      [--clients 20] [--seconds 20] [--workers N]
                                      [--data-dir DIR] [--postgres-url URL]
                                      [--scratch DIR] [--keep] [--paths PATH,...]

For each database, a child process sets up a scratch database (not part of the
measurement; its time is reported): migrate, load the reference data of DIR (the real
data, settings.REFERENCE_DATA_DIR), write a pure synthetic world with `vrn synth --mode pure
--seed 1 --crimes N --first-month .. --last-month ..` (five years at a force's 120,000
crimes a year by default, with people, ED attendances and hospital admissions), load its
files through the ingest pipeline as the demo does, and create a board member.

Every child runs with the environment cleared of the caller's VRN_* settings, so the
defaults of docs/configuration.md apply, and with VRN_DATA_DIR and VRN_CACHE_DIR in the
scratch folder. The cache folder (the dashboard's built data and the cached page content)
is emptied before each run, so every run starts cold. Then, with VRN_ENV=production, a
child collects the static files, runs `vrn dashboard warm`, timed (it builds the
dashboard's data and renders every page of the sitemap into the shared page cache: what
the first visitors would otherwise wait for), and lists the pages. The site is served as
`vrn serve --production` serves it: gunicorn with the same arguments (WSGI application
loaded before forking, access log to its output: the server log in the scratch folder),
plus --no-control-socket (gunicorn's administrative socket, whose default path is one per
user, shared with any other gunicorn on the machine).

A third child drives it over loopback. First the floor: a static file from the same server.
Then each worker's first request: WORKERS fresh clients request the public About page at
once, so that each worker serves one (the resident memory of every worker is read before
and after, to check that each one read the dashboard's data then). Then every page: CLIENTS
threads (each with its own HTTP connection, kept alive when the server allows, and its own
session: it signs in through the sign-in form, CSRF token and all, before its first
signed-in page) request the page again and again for SECONDS. Each client's first request
to a page is not counted (the slowest is shown as "first"). Requests say `X-Forwarded-Proto:
https`, as the TLS proxy of docs/deployment.md would, so the production protections (HTTPS
redirect, secure cookies) apply as they do in production. While each page is measured, the
CPU used by other processes (not the server, this driver or, on PostgreSQL, the database
server's processes for the benchmark's database) is read from /proc, so that a run sharing
the machine says so, with the server's CPU time per request.

Prints markdown: per database, a summary per kind of page (requests per second, the worst
page's median, p95 and first request, errors), then the warm time, the workers' first
requests and memory, the other processes' share of the CPU, and the setup; then a table of
every page: requests, requests per second, median, 95th-percentile and maximum latency,
the first request, KB per response, errors (not 200, or no answer) and the other
processes' share of the CPU. Targets: p95 under 300 ms for every page at 20 clients and no
errors, on SQLite and PostgreSQL. Exits non-zero only when setup fails (warming included),
not when a target is missed.

The pages are `vrn.dashboard.sitemap.benchmark_pages()`, every page of the loaded data.
`--paths` overrides them: comma-separated paths, requested signed in; prefix one with
`anon:` to request it signed out.

`--keep` keeps the scratch folder (and PostgreSQL database, named after the folder) and
reuses it on the next run with the same crimes and months, skipping the setup (the times
reported are then the original setup's); without it both are removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
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

from world import SetupError, load_world, log, row_counts

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
#: The scratch PostgreSQL database's name, followed by a hash of the scratch folder, so that
#: two scratch folders kept with --keep never share (or drop) one database.
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
#: The page each worker's first request asks for: public, cheap to draw, and it needs the
#: dashboard's data (as every dashboard page does).
FIRST_REQUEST_PAGE = "/public/about/"
#: The kinds of page of vrn.dashboard.sitemap, in the order of the summary ("static" is the
#: floor, "given" a page of --paths).
KINDS = ("static", "overview", "measure", "explore", "map", "risk", "about", "given")
SERVER_START_SECONDS = 180


# --------------------------------------------------------------------------- setup child


def setup(crimes: int, first_month: str, last_month: str, label: str) -> dict[str, Any]:
    """Runs in a child process (development settings): migrate, reference data, the world,
    the board member. Returns what was done and how long it took."""
    import django

    django.setup()
    from django.conf import settings

    world = Path(settings.DATA_DIR) / "world"
    seconds, manifest = load_world(
        label, world, seed=SEED, crimes=crimes, first_month=first_month, last_month=last_month
    )

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


# ------------------------------------------------------------------------- prepare child


def prepare() -> dict[str, Any]:
    """Runs in a child process (production settings): check the migrations, collect the
    static files, warm the dashboard (`vrn dashboard warm`, timed), list its pages."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from vrn.dashboard.sitemap import benchmark_pages
    from vrn.demo.management.commands.serve import unapplied_migrations

    missing = unapplied_migrations()
    if missing:
        raise SetupError(f"the database needs migrations: {', '.join(missing[:5])}")
    call_command("collectstatic", interactive=False, verbosity=0)
    output = io.StringIO()
    started = time.perf_counter()
    call_command("dashboard", "warm", no_progress=True, stdout=output, stderr=io.StringIO())
    warm_seconds = time.perf_counter() - started
    pages = [
        {"kind": p.kind, "name": p.name, "path": p.path, "signed_in": p.signed_in}
        for p in benchmark_pages()
    ]
    built = list((Path(settings.VRN_CACHE_DIR) / "dashboard").glob("*.pickle"))
    return {
        "warm_seconds": warm_seconds,
        "warm_output": output.getvalue().strip(),
        "data_file_mb": sum(f.stat().st_size for f in built) / 1024**2,
        "cache": settings.CACHES["default"]["BACKEND"],
        "cache_dir": str(settings.VRN_CACHE_DIR),
        "build_wait": settings.VRN_DASHBOARD_BUILD_WAIT,
        "pages": pages,
    }


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


def drive_page(
    clients: list[Client], page: dict[str, Any], seconds: float, cpu: CpuMeter
) -> dict[str, Any]:
    """Every client requests ``page`` until ``seconds`` have passed since they all began
    (after each one's first, uncounted, request)."""
    sample = Sample()
    window: dict[str, float] = {}
    before: list[CpuSnapshot] = []

    def begin() -> None:
        before.append(cpu.snapshot())
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
    shares = cpu.shares(before[0], cpu.snapshot())
    server_cpu = shares.pop("server_cpu_seconds", None)
    latencies = sorted(sample.latencies)
    elapsed = (sample.end or window["deadline"]) - window["start"]
    return {
        **page,
        **shares,
        "requests": len(latencies),
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "median_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * _percentile(latencies, 0.95) if latencies else None,
        "max_ms": 1000 * latencies[-1] if latencies else None,
        "first_ms": 1000 * max(sample.first) if sample.first else None,
        "kb": sample.bytes / len(latencies) / 1024 if latencies else None,
        # The server's (and database's) CPU time per counted request: the cost of the page.
        "cpu_ms": 1000 * server_cpu / len(latencies) if latencies and server_cpu else None,
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


def first_requests(port: int, count: int, path: str) -> list[dict[str, Any]]:
    """``count`` fresh clients request ``path`` at once: milliseconds and status of each."""
    barrier = threading.Barrier(count)
    found: list[dict[str, Any]] = []
    lock = threading.Lock()

    def run() -> None:
        client = Client(port)
        barrier.wait()
        started = time.perf_counter()
        try:
            status: int | str = client.request("GET", path, session=False)[0]
        except (OSError, http.client.HTTPException) as error:
            status = f"{type(error).__name__}: {error}"
        with lock:
            found.append({"ms": 1000 * (time.perf_counter() - started), "status": status})

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(found, key=lambda r: float(r["ms"]))


def drive(plan: dict[str, Any]) -> dict[str, Any]:
    """Runs in a child process: the static floor, each worker's first request, then every
    page; the workers' memory along the way."""
    port, server = plan["port"], plan["server_pid"]
    cpu = CpuMeter(server, plan["database"])
    clients = [Client(port) for _ in range(plan["clients"])]
    floor = {
        "kind": "static",
        "name": "static file (floor)",
        "path": static_path(port),
        "signed_in": False,
    }
    results = [drive_page(clients, floor, plan["seconds"], cpu)]
    log(f"  floor {floor['path']}: p95 {_ms(results[0]['p95_ms'])} ms")

    memory_before = worker_memory(server)
    log(f"  first request of each of {plan['workers']} workers: {FIRST_REQUEST_PAGE}")
    first = first_requests(port, plan["workers"], FIRST_REQUEST_PAGE)
    memory_first = worker_memory(server)
    log("    " + ", ".join(f"{r['ms']:.0f} ms ({r['status']})" for r in first))

    for page in plan["pages"]:
        log(f"  {page['path']} ({plan['clients']} clients, {plan['seconds']} s)")
        result = drive_page(clients, page, plan["seconds"], cpu)
        log(
            f"    {result['requests']:,} requests, p95 {_ms(result['p95_ms'])} ms, "
            f"{result['errors']} errors, first {_ms(result['first_ms'])} ms"
        )
        results.append(result)
    return {
        "pages": results,
        "first_requests": first,
        "memory": {"before": memory_before, "first": memory_first, "end": worker_memory(server)},
    }


# ------------------------------------------------------------------- CPU and memory (/proc)


def _proc_stat(pid: str) -> tuple[str, int, list[int]] | None:
    """A process's name, parent and CPU ticks (utime, stime, cutime, cstime), from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[1]), [int(x) for x in fields[11:15]]


@dataclass
class CpuSnapshot:
    busy: int
    total: int
    #: Ticks of each of the benchmark's processes (gunicorn's master with its reaped
    #: children's: workers that were replaced).
    ours: dict[int, int]


class CpuMeter:
    """The machine's CPU time and that of the benchmark's own processes: the server (master
    and workers), this driver and, when measuring PostgreSQL, the database server's
    processes working on the benchmark's database (their title names it: the workers'
    connections, autovacuum). What remains was used by other processes sharing the
    machine. Linux only (/proc); elsewhere nothing is reported."""

    def __init__(self, server_pid: int, database: str | None) -> None:
        self.server = server_pid
        self.database = database
        self.available = Path("/proc/stat").exists()

    def snapshot(self) -> CpuSnapshot:
        if not self.available:
            return CpuSnapshot(0, 0, {})
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        total, idle = sum(ticks), ticks[3] + ticks[4]  # idle and iowait
        processes = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (stat := _proc_stat(entry)) is not None:
                processes[int(entry)] = stat
        ours: dict[int, int] = {}
        for pid, (name, parent, (utime, stime, cutime, cstime)) in processes.items():
            if pid == self.server:
                ours[pid] = utime + stime + cutime + cstime
            elif pid == os.getpid() or parent == self.server or self._ours(pid, name):
                ours[pid] = utime + stime
        return CpuSnapshot(total - idle, total, ours)

    def _ours(self, pid: int, name: str) -> bool:
        """A PostgreSQL process working on the benchmark's database."""
        if self.database is None or name != "postgres":
            return False
        try:
            return self.database.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    def shares(self, before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float | None]:
        """The shares of the machine's CPU capacity (all cores) used between the two: by
        everything, by other processes, by this driver; and the server's (and database's)
        CPU time in seconds."""
        total = after.total - before.total
        if not self.available or total <= 0:
            return {"busy_share": None, "other_share": None, "driver_share": None}
        ours = sum(ticks - before.ours.get(pid, 0) for pid, ticks in after.ours.items())
        busy = after.busy - before.busy
        driver = after.ours.get(os.getpid(), 0) - before.ours.get(os.getpid(), 0)
        return {
            "busy_share": busy / total,
            "other_share": max(0, busy - ours) / total,
            "driver_share": driver / total,
            "server_cpu_seconds": (ours - driver) / os.sysconf("SC_CLK_TCK"),
        }


def worker_memory(server_pid: int) -> dict[str, dict[str, float]]:
    """Each gunicorn worker's resident (RSS), proportional (PSS: shared pages divided among
    the processes sharing them) and peak resident memory, in MB."""
    found: dict[str, dict[str, float]] = {}
    if not Path("/proc/stat").exists():
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or (stat := _proc_stat(entry)) is None or stat[1] != server_pid:
            continue
        values: dict[str, float] = {}
        for name in ("smaps_rollup", "status"):
            try:
                text = Path(f"/proc/{entry}/{name}").read_text()
            except OSError:
                continue
            for line in text.splitlines():
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss", "VmHWM"):
                    values[key.lower()] = int(rest.split()[0]) / 1024
        found[entry] = values
    return found


# -------------------------------------------------------------------------------- parent


def default_workers() -> int:
    """As settings.VRN_WEB_WORKERS: 2 x cores + 1, at most 8 (docs/deployment.md)."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def environment(
    database_url: str, data_dir: Path, reference_dir: Path, production: bool, workers: int
) -> dict[str, str]:
    """The children's environment: the caller's without any VRN_* setting or Django
    configuration (so the documented defaults apply, as in a plain deployment), then the
    scratch database and folders."""
    removed = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if k not in removed and not k.startswith("VRN_")}
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
        env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=f"{HOST},localhost")
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
    """`vrn serve --production`'s gunicorn command (access log included, as production
    writes it), without gunicorn's control socket: an administrative socket, not used in
    serving requests, whose default path is one per user, shared with any other gunicorn
    on the machine."""
    from vrn.demo.management.commands.serve import gunicorn_arguments

    return [*gunicorn_arguments(f"{HOST}:{port}", workers), "--no-control-socket"]


def start_server(
    env: dict[str, str], workers: int, server_log: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn on a free port, its output (access and error logs, the site's log) to
    ``server_log``."""
    port = free_port()
    with server_log.open("wb") as output:
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
            raise SetupError(f"gunicorn stopped (exit {server.returncode}):\n{_tail(server_log)}")
        try:
            status, _ = Client(port).request("GET", "/", session=False)
            if status == 200:
                return server, port
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise SetupError(f"gunicorn did not answer with 200 on /:\n{_tail(server_log)}")
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
    bench_database = f"{BENCH_DATABASE}_{hashlib.sha256(str(folder).encode()).hexdigest()[:8]}"
    if database == "sqlite":
        url = f"sqlite:///{folder}/bench.sqlite3"
    else:
        url = admin_url.rsplit("/", 1)[0] + "/" + bench_database
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
            admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{bench_database}'"
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
                log(f"[{name}] database {bench_database}")
                postgres(admin_url, f"DROP DATABASE IF EXISTS {bench_database}")
                postgres(admin_url, f"CREATE DATABASE {bench_database}")
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
        # Every run starts cold: no built data, no cached page content from an earlier run.
        shutil.rmtree(data_dir / "cache", ignore_errors=True)
        log(f"=== {name}: collect static files, `vrn dashboard warm`, list the pages ===")
        started = time.perf_counter()
        prepared = child("--prepare", env)
        prepared["seconds"] = time.perf_counter() - started
        log(f"[{name}] warm {prepared['warm_seconds']:.1f} s: {prepared['warm_output']}")
        if args.paths:
            prepared["pages"] = [
                {
                    "kind": "given",
                    "name": path.removeprefix("anon:"),
                    "path": path.removeprefix("anon:"),
                    "signed_in": not path.startswith("anon:"),
                }
                for path in (p.strip() for p in args.paths.split(","))
                if path
            ]
            prepared["pages_note"] = "pages given with --paths"
        log(f"[{name}] {len(prepared['pages'])} pages")

        log(f"=== {name}: gunicorn with {args.workers} workers ===")
        server_log = args.scratch / f"gunicorn-{database}.log"
        server, port = start_server(env, args.workers, server_log)
        try:
            plan = {
                "port": port,
                "server_pid": server.pid,
                "database": bench_database if database == "postgresql" else None,
                "workers": args.workers,
                "clients": args.clients,
                "seconds": args.seconds,
                "pages": prepared["pages"],
            }
            driven = child("--drive", env, stdin=json.dumps(plan))
        finally:
            stop_server(server)
        return {
            "database": name,
            "setup": setup_result,
            "prepared": prepared,
            **driven,
            "log": str(server_log),
        }
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            if database == "postgresql":
                postgres(admin_url, f"DROP DATABASE IF EXISTS {bench_database}")


def report(runs: list[dict[str, Any]], args: argparse.Namespace, skipped: list[str]) -> None:
    print(
        f"Dashboard under gunicorn ({args.workers} workers, VRN_ENV=production, the arguments "
        f"of `vrn serve --production`), {args.clients} concurrent clients for "
        f"{args.seconds:g} s per page, over loopback, on {machine()}; pure synthetic world, "
        f"seed {SEED}, {args.crimes:,} crimes, {args.first_month}..{args.last_month}. Code: "
        f"{args.code}. Latency in ms. 'first': the slowest client's first (uncounted) request "
        "to the page. 'other CPU': the share of the machine's CPU (all cores) used by "
        "processes other than the benchmark's server, driver and database while the page was "
        "measured; 'driver CPU': the driver's share (it runs on the same machine). 'server "
        "CPU ms/request': the CPU time of gunicorn's processes (and PostgreSQL's for the "
        "benchmark's database) per counted request. Errors: counted requests not answered "
        "200 (+ sign-ins and first requests that failed).\n"
    )
    missed: list[str] = []
    for run in runs:
        print(f"{run['database']}, by kind of page (worst page of each kind):\n")
        print(
            "| kind | pages | requests | req/s | median (worst) | p95 (worst) | first (worst) "
            "| server CPU ms/request (worst) | errors | other CPU (max) "
            "| p95 < 300 ms, no errors |"
        )
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
        for kind, pages in _by_kind(run["pages"]):
            errors = sum(p["errors"] + p["errors_before"] for p in pages)
            seconds = sum(p["seconds"] for p in pages)
            requests = sum(p["requests"] for p in pages)
            bad = [p for p in pages if not _met(p)]
            if kind == "static":
                verdict = "floor"
            else:
                verdict = "met" if not bad else f"MISSED on {len(bad)} of {len(pages)}"
                missed += [f"{run['database']} {p['path']}" for p in bad]
            print(
                f"| {kind} | {len(pages)} | {requests:,} | "
                f"{requests / seconds if seconds > 0 else 0:.1f} | "
                f"{_ms(_worst(pages, 'median_ms'))} | {_ms(_worst(pages, 'p95_ms'))} | "
                f"{_ms(_worst(pages, 'first_ms'))} | {_ms(_worst(pages, 'cpu_ms'), 1)} | "
                f"{errors} | "
                f"{_share(_worst(pages, 'other_share'))} | {verdict} |"
            )
        print()
        _run_notes(run)
        print()

    print("Every page:\n")
    print(
        "| database | kind | page | path | signed in | requests | req/s | median | p95 | max "
        "| first | KB | server CPU ms/request | errors | other CPU | driver CPU "
        "| p95 < 300 ms, no errors |"
    )
    print("|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for run in runs:
        for page in run["pages"]:
            verdict = "floor" if page["kind"] == "static" else "met" if _met(page) else "MISSED"
            print(
                f"| {run['database']} | {page['kind']} | {page['name']} | `{page['path']}` | "
                f"{'yes' if page['signed_in'] else 'no'} | {page['requests']:,} | "
                f"{page['per_second']:.1f} | {_ms(page['median_ms'])} | {_ms(page['p95_ms'])} | "
                f"{_ms(page['max_ms'])} | {_ms(page['first_ms'])} | "
                f"{_ms(page['kb'], 1)} | {_ms(page.get('cpu_ms'), 1)} | {page['errors']}"
                + (f" (+{page['errors_before']} before)" if page["errors_before"] else "")
                + f" | {_share(page['other_share'])} | {_share(page.get('driver_share'))} "
                f"| {verdict} |"
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
    for name in skipped:
        print(f"{name}: not measured (unavailable)")
    what = [f"missed on {', '.join(missed)}"] if missed else []
    what += [f"{', '.join(skipped)} not measured"] if skipped else []
    print(
        f"\nTargets (p95 under {TARGET_P95_MS:.0f} ms at {args.clients} clients, no errors, "
        "every page, SQLite and PostgreSQL): "
        + (f"NOT MET: {'; '.join(what)}" if what else "all met")
    )


def _run_notes(run: dict[str, Any]) -> None:
    """Warm time, the workers' first requests and memory, the machine's other load, setup."""
    setup, prepared = run["setup"], run["prepared"]
    print(
        f"- `vrn dashboard warm` (caches emptied before): {prepared['warm_seconds']:.1f} s "
        f"({prepared['warm_output']}); collectstatic + warm + page list "
        f"{prepared['seconds']:.0f} s; cache {prepared['cache'].rsplit('.', 1)[-1]} in "
        f"{prepared['cache_dir']}; VRN_DASHBOARD_BUILD_WAIT {prepared['build_wait']}."
    )
    first = run["first_requests"]
    statuses = sorted({str(r["status"]) for r in first})
    before, after = run["memory"]["before"], run["memory"]["first"]
    grown = sorted(
        after[pid].get("rss", 0.0) - before[pid].get("rss", 0.0) for pid in after if pid in before
    )
    size = prepared["data_file_mb"]
    if size >= 20:  # else a worker reading it is not told apart from its other growth
        loaded = sum(1 for mb in grown if mb >= size / 2)
        read = f": {loaded} of {len(grown)} workers read the {size:.0f} MB data file then"
    else:
        read = f" (the data file is {size:.1f} MB)"
    print(
        f"- Each worker's first request ({len(first)} fresh clients at once on "
        f"`{FIRST_REQUEST_PAGE}`): " + ", ".join(f"{r['ms']:.0f}" for r in first) + " ms "
        f"(status {', '.join(statuses)}); the workers' resident memory grew by "
        + ", ".join(f"{mb:.0f}" for mb in grown)
        + f" MB{read}."
    )
    end = run["memory"]["end"].values()
    if end:
        rss = [m.get("rss", 0.0) for m in end]
        pss = [m.get("pss", 0.0) for m in end]
        hwm = [m.get("vmhwm", 0.0) for m in end]
        print(
            f"- Workers' memory at the end ({len(rss)} workers): resident {min(rss):.0f}-"
            f"{max(rss):.0f} MB each, proportional (shared pages divided) {min(pss):.0f}-"
            f"{max(pss):.0f} MB each, {sum(pss):,.0f} MB together; peak resident "
            f"{max(hwm):.0f} MB."
        )
    shares = [
        (p["other_share"], p["seconds"]) for p in run["pages"] if p["other_share"] is not None
    ]
    if shares:
        mean = sum(s * t for s, t in shares) / sum(t for _, t in shares)
        print(
            f"- Other processes on the machine used {_share(mean)} of its CPU on average while "
            f"pages were measured (at most {_share(max(s for s, _ in shares))} during one page)."
        )
    s, rows = setup["seconds"], setup["rows"]
    reused = " (reused with --keep: the times of the original setup)" if setup["reused"] else ""
    print(
        f"- Setup{reused}, s: reference {s['reference']:.0f}, synth {s['synth']:.0f}, ingest "
        f"{s['ingest']:.0f}, account {s['account']:.1f}, total {s['total']:.0f}; rows: "
        f"{rows['crimes']:,} crimes, {rows['people']:,} people, {rows['attendances']:,} ED "
        f"attendances, {rows['admissions']:,} admissions."
    )
    if prepared.get("pages_note"):
        print(f"- {prepared['pages_note']}.")
    print(f"- Server log: {run['log']}")


def _by_kind(pages: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    kinds = list(KINDS) + sorted({p["kind"] for p in pages} - set(KINDS))
    return [
        (k, [p for p in pages if p["kind"] == k])
        for k in kinds
        if any(p["kind"] == k for p in pages)
    ]


def _worst(pages: list[dict[str, Any]], key: str) -> float | None:
    values = [p[key] for p in pages if p.get(key) is not None]
    return max(values) if values else None


def _met(page: dict[str, Any]) -> bool:
    errors = page["errors"] + page["errors_before"]
    return errors == 0 and (page["p95_ms"] or math.inf) < TARGET_P95_MS


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def machine() -> str:
    """The machine's cores and memory, as this process sees them."""
    cores = os.cpu_count() or 0
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
    except (OSError, IndexError, ValueError):
        return f"{cores} cores"
    return f"{cores} cores, {kb / 1024**2:.0f} GB memory"


def code_version() -> str:
    """The commit of the code measured, and whether src/ differs from it (read-only git)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "--no-optional-locks", "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {head}" + (" with uncommitted changes in src/" if changed else "")


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

    args.code = code_version()
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
    if code_version() != args.code:
        args.code += f", then {code_version()} before the end: the run measured a mix"
    report(runs, args, skipped)


if __name__ == "__main__":
    main()
