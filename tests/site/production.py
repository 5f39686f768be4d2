"""Running the site's code in a subprocess with a production environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: The ``vrn`` command, run by this Python.
VRN = [sys.executable, "-c", "from vrn.cli import main; main()"]

#: A key that passes the production checks; for tests only.
TEST_SECRET_KEY = "test-only-KvPec2RKhhJL2JddPkWRJ12fES15dJZ_7IgqHK4EgO8RfmlpeeyQw3"


def environment(data_dir: Path | str, **variables: str) -> dict[str, str]:
    """This process's environment without the site's variables, plus a production
    configuration (data in ``data_dir``) and ``variables``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VRN_", "DATABASE_URL", "DJANGO_", "AXES_"))
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="vrn.site.settings",
        VRN_ENV="production",
        SECRET_KEY=TEST_SECRET_KEY,
        ALLOWED_HOSTS="vrn.example.org,127.0.0.1",
        VRN_DATA_DIR=str(data_dir),
        VRN_LOG_LEVEL="WARNING",
    )
    env.update(variables)
    return env


def vrn(
    *arguments: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``vrn ARGUMENTS`` in a subprocess with ``env``."""
    return subprocess.run(
        [*VRN, *arguments], env=env, capture_output=True, text=True, timeout=timeout
    )
