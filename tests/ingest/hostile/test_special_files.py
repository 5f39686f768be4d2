"""A named pipe, a device or a directory given as a file is refused at once: no hang, no
endless read. In-process with an alarm as the guard, and through ``vrn ingest`` in a
subprocess with a timeout and a memory limit (a read of /dev/zero never ends)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from vrn.ingest.pipeline import LoadContext

from ...partners import KEY
from .checks import assert_clean_refusal, counts, load
from .corpus import KINDS

FORMATS = sorted({kind.format for kind in KINDS})
#: Seconds a refusal may take.
GUARD = 15
#: Address space for the subprocess: enough for Django and pandas, not for /dev/zero.
MEMORY_LIMIT = 3 * 1024**3


class Hung(Exception):
    pass


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Raise Hung in the main thread after ``seconds`` (interrupting a blocked open())."""

    def ring(signum: int, frame: Any) -> None:
        raise Hung(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "2024-01-leicestershire-street.csv"
    os.mkfifo(path)
    yield path
    # Release a reader still blocked on the pipe, if any.
    with suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("special", ["fifo", "directory", "/dev/null"])
def test_refused_at_once_in_process(
    format_name: str,
    special: str,
    reference: None,
    pseudonym_key: str,
    context: LoadContext,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    if special == "fifo":
        path = request.getfixturevalue("fifo")
    elif special == "directory":
        path = tmp_path / "2024-01-leicestershire-street.csv"
        path.mkdir()
    else:
        path = Path(special)
    before = counts()

    with alarm(GUARD):
        result = load(format_name, path, context)

    assert_clean_refusal(result, path.name, before)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database of its own for ``vrn ingest`` in a subprocess."""
    folder = tmp_path_factory.mktemp("vrn-data")
    result = subprocess.run(
        [sys.executable, "-m", "vrn.cli", "migrate", "-v", "0"],
        env=_environment(folder),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return folder


def _environment(folder: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "VRN_TEST_DATABASE_NAME")
    }
    environment.update(VRN_DATA_DIR=str(folder), VRN_PSEUDONYM_KEY=KEY)
    return environment


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("format_name", FORMATS)
def test_refused_at_once_by_the_command(format_name: str, data_dir: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "2024-01-leicestershire-street.csv"
    os.mkfifo(pipe)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    specials = [pipe, Path("/dev/zero"), Path("/dev/null"), folder]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "vrn.cli", "ingest", format_name, *map(str, specials), "--json"],
            env=_environment(data_dir),
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"vrn ingest {format_name} did not finish within 60 s (a read that hangs)")
    finally:
        with suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    results = json.loads(result.stdout)
    assert sorted(r["file"] for r in results) == sorted(path.name for path in specials)
    for entry in results:
        assert entry["status"] == "refused", entry
        assert entry["message"], entry
