"""``vrn demo``: migrate, load reference and police data, create demo sign-ins, serve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from vrn.demo import setup
from vrn.ingest.report import summary_table


class Command(BaseCommand):
    help = "Set up the demo on real LLR data and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="public source files (default: VRN_REFERENCE_DATA_DIR)",
        )
        parser.add_argument("--no-serve", action="store_true", help="set up, then stop")
        parser.add_argument("--reload-reference", action="store_true")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "vrn demo creates public demo passwords; it refuses to run with VRN_ENV=production."
            )
        data_dir: Path = options["data_dir"] or settings.REFERENCE_DATA_DIR
        if not (data_dir / "police-uk-street").is_dir():
            raise CommandError(
                f"No public data found at {data_dir}: expected police-uk-street/, geographr/, "
                "imd-humaniverse/ and census2021-lsoa-age/ there. Set VRN_REFERENCE_DATA_DIR "
                "or pass --data-dir."
            )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self._step("Creating the database")
        call_command("migrate", interactive=False, verbosity=0)

        if options["reload_reference"] or not setup.reference_loaded():
            self._step("Loading reference geography, deprivation and population")
            call_command("load_reference", str(data_dir))
        else:
            self._step("Reference data already loaded (use --reload-reference to reload)")

        files = setup.police_files(data_dir)
        self._step(f"Loading {len(files)} months of data.police.uk street-level crime")
        with tqdm(total=len(files), unit="file", file=sys.stderr) as progress:
            results = setup.load_police_data(data_dir, on_file_done=lambda _: progress.update(1))
        self.stdout.write(summary_table(results))
        if any(r.status == "refused" for r in results):
            raise CommandError("Some police files were refused; see the table above.")

        self._step("Creating demo sign-ins")
        for account in setup.create_demo_accounts():
            self.stdout.write(
                f"  {account.role.label:<20} user {account.username:<11} "
                f"password {account.password}"
            )
        if options["no_serve"]:
            return
        self._step(f"Serving on http://{options['addrport']}/ (Ctrl-C to stop)")
        call_command("serve", options["addrport"])

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{text}"))
