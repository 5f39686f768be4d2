"""``vrn demo``: migrate, load reference and police data, write and load the synthetic
person-level world built on the police data, create demo sign-ins, serve."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from vrn.demo import setup
from vrn.ingest.queries import current_synthetic_loads
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
        parser.add_argument(
            "--no-synthetic",
            action="store_true",
            help="do not write or load the synthetic person-level world (seed "
            f"{setup.SYNTHETIC_SEED}); one loaded before stays loaded",
        )
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
        if any(r.status in ("refused", "failed") for r in results):
            raise CommandError("Some police files were not loaded; see the table above.")

        if options["no_synthetic"]:
            self._skip_synthetic()
        else:
            self._synthetic()

        self._warm_dashboard()

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

    def _synthetic(self) -> None:
        """Write the synthetic world into the data directory unless it is there already for
        the same seed and inputs, then load its data files like any partner files."""
        directory = setup.synthetic_directory()
        try:
            plan = setup.plan_synthetic_world(directory)
        except ValueError as error:
            raise CommandError(f"Cannot build the synthetic world: {error}") from error
        if plan.manifest is not None:
            self._step(
                f"Synthetic world (seed {plan.seed}) in {directory} is up to date, not "
                f"written again: {plan.reason}"
            )
            manifest, notes = setup.write_synthetic_world(plan)
        else:
            self._step(
                f"Writing the synthetic world (seed {plan.seed}, {plan.crimes:,} crimes "
                f"dressed with invented people) to {directory}, as {plan.reason}"
            )
            started = time.perf_counter()
            with tqdm(total=plan.crimes, unit="crime", unit_scale=True, file=sys.stderr) as bar:
                manifest, notes = setup.write_synthetic_world(plan, on_block=bar.update)
            self.stdout.write(f"  written in {time.perf_counter() - started:.1f} s")
        for note in notes:
            self.stdout.write(f"  note: {note}")

        try:
            files = setup.synthetic_files(manifest)
        except ValueError as error:
            raise CommandError(f"Cannot load the synthetic world: {error}") from error
        self._step(f"Loading the {len(files)} synthetic files (every row marked synthetic)")
        with tqdm(total=len(files), unit="file", file=sys.stderr) as progress:
            loaded = setup.load_synthetic_world(
                directory, manifest, on_file_done=lambda _: progress.update(1)
            )
        if loaded.withdrawn:
            self.stdout.write(
                f"Withdrew the earlier synthetic world first ({loaded.withdrawn_rows:,} rows): "
                + ", ".join(loaded.withdrawn)
            )
        results = loaded.results
        self.stdout.write(summary_table(results))
        self.stdout.write(f"Planted findings (truth): {setup.truth_file(directory)}")
        if any(r.status in ("refused", "failed") for r in results):
            raise CommandError("Some synthetic files were not loaded; see the table above.")

    def _warm_dashboard(self) -> None:
        """Build the dashboard's data and render its pages now, so the first visit is fast
        (``vrn dashboard warm``, docs/dashboard.md)."""
        self._step("Building the dashboard's data and pages")
        try:
            call_command("dashboard", "warm", "--no-progress", stdout=self.stdout)
        except CommandError as error:
            self.stdout.write(f"  Not built: {error}")

    def _skip_synthetic(self) -> None:
        loaded = current_synthetic_loads().count()
        text = "Skipping the synthetic person-level world (--no-synthetic)"
        if loaded:
            text += (
                f"; {loaded} synthetic file{'s' if loaded != 1 else ''} loaded before "
                "stay loaded, and every page says so"
            )
        self._step(text)

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{text}"))
