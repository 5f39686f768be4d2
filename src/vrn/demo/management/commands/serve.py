"""``vrn serve [ADDRPORT]``: serve the site (default http://127.0.0.1:8000).

Without options: Django's development server, for a single analyst or a demo.

``vrn serve --production [ADDRPORT]`` (``VRN_ENV=production``): check that the database is
migrated (``--migrate`` applies what is missing), collect the static files (quietly; it is
safe to repeat), then replace this process with gunicorn serving ``vrn.site.wsgi`` with
``VRN_WEB_WORKERS`` workers, behind a TLS reverse proxy (docs/deployment.md).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

WSGI_APPLICATION = "vrn.site.wsgi:application"


def unapplied_migrations() -> list[str]:
    """The migrations the database still needs, as ``app.name``."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.prepare_database()
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]


def gunicorn_arguments(addrport: str, workers: int) -> list[str]:
    """The command line that runs gunicorn on ``addrport`` with ``workers`` workers."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APPLICATION,
        "--bind",
        addrport,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Load the application once, before forking: a bad configuration or missing static
        # files stop the server at once, with the reason, instead of failing each worker.
        "--preload",
    ]


class Command(BaseCommand):
    help = (
        "Serve the site: Django's development server for a single analyst or a demo, or with "
        "--production (VRN_ENV=production) gunicorn after checking migrations and collecting "
        "static files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="default 127.0.0.1:8000"
        )
        parser.add_argument(
            "--production",
            action="store_true",
            help="serve with gunicorn (needs VRN_ENV=production), behind a TLS reverse proxy",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="with --production: apply unapplied migrations instead of refusing to start",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["production"]:
            if options["migrate"]:
                raise CommandError("--migrate goes with --production; run `vrn migrate`.")
            call_command("runserver", options["addrport"], use_reloader=False)
            return
        if not settings.PRODUCTION:
            raise CommandError(
                "vrn serve --production needs VRN_ENV=production (and the rest of the production "
                "configuration: docs/deployment.md)."
            )
        self.ensure_migrated(apply=options["migrate"])
        call_command("collectstatic", interactive=False, verbosity=0)
        arguments = gunicorn_arguments(options["addrport"], settings.VRN_WEB_WORKERS)
        self.stdout.write(
            f"Serving on http://{options['addrport']}/ with {settings.VRN_WEB_WORKERS} "
            "gunicorn workers (stop with Ctrl-C or SIGTERM)."
        )
        self.stdout.flush()
        connections.close_all()
        os.execv(sys.executable, arguments)

    def ensure_migrated(self, *, apply: bool) -> None:
        missing = unapplied_migrations()
        if not missing:
            return
        if apply:
            call_command("migrate", interactive=False, verbosity=1)
            return
        raise CommandError(
            f"The database needs {len(missing)} migration(s) ({', '.join(missing[:5])}"
            f"{', ...' if len(missing) > 5 else ''}): run `vrn migrate` first, or start with "
            "`vrn serve --production --migrate`."
        )
