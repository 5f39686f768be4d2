"""``vrn dashboard warm``: build the dashboard's data for what is loaded now and render
every page into the shared cache, ahead of the first visitor (docs/dashboard.md).

The dashboard builds its data on the first request after a load when nobody has warmed
it; at a force's scale that takes tens of seconds, and each page's first rendering up to a
second. Run this after loading files (the demo does) so that every page is fast from the
first visit. ``--no-pages`` builds the data only.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from vrn.dashboard import sitemap, store
from vrn.dashboard.warm import warm_pages

#: The steps of the build the progress bar counts: the profile's seven frames and the
#: population, then the measures of every area.
STEPS = 9


class Command(BaseCommand):
    help = "Build the dashboard's data for the data loaded now (warm), ahead of the first visitor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["warm"], help="warm: build the dashboard's data")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--no-pages", action="store_true", help="build the data only, render no page"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with tqdm(total=STEPS, unit="step", file=sys.stderr, disable=options["no_progress"]) as bar:

            def progress(what: str) -> None:
                bar.set_description(what)
                bar.update(1)

            try:
                state = store.current_state(progress, wait=None)
            except store.NoData as reason:
                raise CommandError(f"nothing to build: {reason}") from None
        built = time.perf_counter() - started
        events = state.events
        rendered: list[tuple[str, int]] = []
        if not options["no_pages"]:
            listed = sitemap.pages(events)
            with tqdm(
                total=len(listed), unit="page", file=sys.stderr, disable=options["no_progress"]
            ) as bar:
                rendered = warm_pages(events, lambda name: bar.update(1))
        failed = [f"{path} ({status})" for path, status in rendered if status != 200]
        if failed:
            raise CommandError(f"pages that did not render: {', '.join(failed)}")
        seconds = time.perf_counter() - started
        crimes = 0 if events.crimes is None else len(events.crimes)
        self.stdout.write(
            f"Dashboard data ready for {events.scope.name}, {events.period}: {crimes:,} crimes, "
            f"{len(events.results) - 1} CSPs; {len(rendered)} pages rendered "
            f"({built:.1f} s to build, {seconds:.1f} s in all; state {state.key[:12]})."
        )
