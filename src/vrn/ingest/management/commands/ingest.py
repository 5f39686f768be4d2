"""``vrn ingest FORMAT FILE... [--json]``: load files, one transaction per file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from vrn.ingest import registry
from vrn.ingest.period import Period
from vrn.ingest.pipeline import DEFAULT_MAX_REJECTED_SHARE, LoadContext, load_files
from vrn.ingest.report import as_json, summary_table


class Command(BaseCommand):
    help = (
        "Load data files. Each file is loaded atomically; a file loaded before is skipped; "
        "a file that is refused or fails does not stop the others (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=registry.format_names(), help="file format")
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--json", action="store_true", help="print per-file accounting as JSON on stdout"
        )
        parser.add_argument(
            "--user", default=None, help="who is loading (default: the operating-system user)"
        )
        parser.add_argument(
            "--period",
            type=_period,
            default=None,
            metavar="YYYY-MM[..YYYY-MM]",
            help=(
                "the month or months the files cover; rows dated outside are quarantined "
                "(a data.police.uk file covers the month in its name)"
            ),
        )
        parser.add_argument(
            "--replace-other-files",
            action="store_true",
            help=(
                "let a file replace data loaded from a file of another name (otherwise such "
                "a load is refused, since it would withdraw that file's rows); each "
                "replacement is recorded in the audit trail"
            ),
        )
        parser.add_argument(
            "--organisation",
            default=None,
            metavar="CODE",
            help=(
                "the organisation (its code) the files are loaded for: rows naming another "
                "are quarantined, and a file with no provider column (an outcomes-star "
                "export) is that organisation's"
            ),
        )
        parser.add_argument(
            "--max-rejected-share",
            type=float,
            default=DEFAULT_MAX_REJECTED_SHARE,
            help="refuse a file whole when more than this share of its rows is invalid",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = registry.dataset_for(options["format"])
        context = LoadContext(
            loaded_by=options["user"] or getpass.getuser(),
            today=timezone.localdate(),
            period=options["period"],
            replace_other_files=options["replace_other_files"],
            organisation=options["organisation"],
        )
        files: list[Path] = options["files"]
        progress = tqdm(
            total=len(files),
            unit="file",
            desc=f"Loading {options['format']}",
            file=sys.stderr,  # tqdm redraws the line; Django's wrapper would add newlines
            disable=len(files) < 2,
        )

        def file_done(result: Any) -> None:
            progress.set_postfix_str(f"{result.file}: {result.status}")
            progress.update(1)

        try:
            results = load_files(
                dataset,
                files,
                context,
                on_file_done=file_done,
                max_rejected_share=options["max_rejected_share"],
            )
        finally:
            progress.close()

        if options["json"]:
            self.stdout.write(as_json(results))
            self.stderr.write(summary_table(results))
        else:
            self.stdout.write(summary_table(results))
        refused = sum(r.status == "refused" for r in results)
        failed = sum(r.status == "failed" for r in results)
        if refused or failed:
            parts = [f"{n} {what}" for n, what in ((refused, "refused"), (failed, "failed")) if n]
            raise CommandError(
                f"{refused + failed} of {len(results)} files not loaded ({', '.join(parts)})",
                returncode=1,
            )


#: The earliest month a period may start (a guard against typos such as 0204-01).
EARLIEST_MONTH = "1990-01"


def _period(text: str) -> Period:
    try:
        period = Period.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    this_month = f"{timezone.localdate():%Y-%m}"
    if period.last > this_month:
        raise argparse.ArgumentTypeError(f"{text!r} ends after this month ({this_month})")
    if period.first < EARLIEST_MONTH:
        raise argparse.ArgumentTypeError(f"{text!r} starts before {EARLIEST_MONTH}")
    return period
