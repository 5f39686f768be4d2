"""Two `vrn ingest` processes loading the same or overlapping files at once give the result
of one load: every month once, never twice, on SQLite and on PostgreSQL.

The loads run as real processes against a database of their own (a file for SQLite; a
scratch database on the same server for PostgreSQL), set up with `vrn migrate` and
`vrn load-reference` like a new deployment.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
JANUARY = FIXTURES / "police_uk" / "2023-01-leicestershire-street.csv"
MONTHS = [f"2023-{month:02d}" for month in range(1, 9)]
#: Copies of the fixture's rows per file, so that loads take long enough to overlap.
COPIES = 20


def _vrn(env: dict[str, str], *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from vrn.cli import main; main()", *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(env: dict[str, str], *arguments: str) -> str:
    process = _vrn(env, *arguments)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-2000:]
    return out


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a new deployment with its own database, migrated, with the
    test reference geography loaded."""
    data_dir = tmp_path_factory.mktemp("concurrent")
    env = {**os.environ, "VRN_DATA_DIR": str(data_dir), "VRN_ENV": "development"}
    env.pop("DATABASE_URL", None)
    server = settings.DATABASES["default"]
    scratch = None
    if server["ENGINE"].endswith("postgresql"):
        scratch = f"vrn_concurrent_{uuid.uuid4().hex[:12]}"
        admin = _postgres_url(server, server.get("NAME") or "postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = _postgres_url(server, scratch)
    _run(env, "migrate", "-v0")
    _run(env, "load-reference", str(FIXTURES / "reference"))
    yield env
    if scratch is not None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _postgres_url(server: dict[str, object], name: str) -> str:
    user = server.get("USER") or "postgres"
    password = f":{server['PASSWORD']}" if server.get("PASSWORD") else ""
    host = server.get("HOST") or "127.0.0.1"
    port = server.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _month_files(folder: Path) -> list[Path]:
    """data.police.uk files for eight months, each the fixture's rows repeated with new
    Crime IDs and no LSOA code (so they need only the test reference geography)."""
    folder.mkdir(exist_ok=True)
    with JANUARY.open(newline="") as source:
        rows = list(csv.reader(source))
    header, body = rows[0], rows[1:]
    files = []
    for month in MONTHS:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for copy in range(COPIES):
            for number, row in enumerate(body):
                row = list(row)
                row[1] = month
                row[7] = row[8] = ""  # LSOA code and name
                if row[0]:
                    row[0] = hashlib.sha256(f"{month}/{copy}/{number}".encode()).hexdigest()
                writer.writerow(row)
        path = folder / f"{month}-leicestershire-street.csv"
        path.write_text(out.getvalue())
        files.append(path)
    return files


def _state(env: dict[str, str]) -> dict[str, object]:
    """Current loads per month and crime rows per month, read with the database's own
    client library (not the ORM of this test process, which uses another database)."""
    query_loads = (
        "SELECT file_name, COUNT(*) FROM ingest_fileload WHERE status = 'current' "
        "GROUP BY file_name ORDER BY file_name"
    )
    query_rows = "SELECT month, COUNT(*) FROM crime_streetcrime GROUP BY month ORDER BY month"
    url = env.get("DATABASE_URL")
    if url:
        with psycopg.connect(url) as connection:
            loads = connection.execute(query_loads).fetchall()
            rows = connection.execute(query_rows).fetchall()
    else:
        connection = sqlite3.connect(Path(env["VRN_DATA_DIR"]) / "vrn.sqlite3")
        try:
            loads = connection.execute(query_loads).fetchall()
            rows = connection.execute(query_rows).fetchall()
        finally:
            connection.close()
    return {
        "loads": {name: count for name, count in loads},
        "rows": {str(month)[:7]: count for month, count in rows},
    }


def _reset(env: dict[str, str]) -> None:
    """Withdraw every current load (the supported way to empty the crime table)."""
    statement = "SELECT id FROM ingest_fileload WHERE status = 'current'"
    url = env.get("DATABASE_URL")
    if url:
        with psycopg.connect(url) as connection:
            ids = [str(pk) for (pk,) in connection.execute(statement).fetchall()]
    else:
        connection = sqlite3.connect(Path(env["VRN_DATA_DIR"]) / "vrn.sqlite3")
        try:
            ids = [str(pk) for (pk,) in connection.execute(statement).fetchall()]
        finally:
            connection.close()
    if ids:
        _run(env, "withdraw", *ids, "--yes")


@pytest.mark.parametrize("order", ["same order", "opposite orders"])
def test_two_loads_of_the_same_files_at_once_load_each_month_once(
    database: dict[str, str], tmp_path: Path, order: str
) -> None:
    _reset(database)
    files = [str(path) for path in _month_files(tmp_path / "files")]
    second = files if order == "same order" else files[::-1]

    first_process = _vrn(database, "ingest", "police-uk", *files, "--json")
    second_process = _vrn(database, "ingest", "police-uk", *second, "--json")
    results = []
    for process in (first_process, second_process):
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-2000:]
        assert "Traceback" not in err
        results.append(json.loads(out))

    rows_per_file = COPIES * 34
    state = _state(database)
    assert state["loads"] == {Path(name).name: 1 for name in files}
    assert state["rows"] == dict.fromkeys(MONTHS, rows_per_file)
    for month_file in files:
        statuses = sorted(
            result["status"]
            for run in results
            for result in run
            if result["file"] == Path(month_file).name
        )
        assert statuses == ["loaded", "unchanged"]


def test_two_corrections_of_the_same_files_at_once_leave_one_current_copy(
    database: dict[str, str], tmp_path: Path
) -> None:
    """Two corrected versions of the same month files, loaded at once over an earlier
    load: each month ends with exactly one current load (whichever came second), never
    both, never neither, and its rows once."""
    _reset(database)
    originals = _month_files(tmp_path / "original")
    _run(database, "ingest", "police-uk", *map(str, originals))
    versions = {}
    for version, crime_type in (("a", "Shoplifting"), ("b", "Bicycle theft")):
        versions[version] = _month_files(tmp_path / version)
        for path in versions[version]:
            path.write_text(path.read_text().replace("Other theft", crime_type))

    first_process = _vrn(database, "ingest", "police-uk", *map(str, versions["a"]))
    second_process = _vrn(database, "ingest", "police-uk", *map(str, versions["b"][::-1]))
    for process in (first_process, second_process):
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-2000:]

    state = _state(database)
    assert state["loads"] == {path.name: 1 for path in originals}
    assert state["rows"] == dict.fromkeys(MONTHS, COPIES * 34)
