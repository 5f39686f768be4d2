"""``vrn interventions report``: the intervention report on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.dashboard.published import Audience
from vrn.interventions import published, report_queries, reports
from vrn.interventions.programmes import ProgrammeError, read_programmes_file, upsert_programmes
from vrn.web.downloads import mark_synthetic


class Command(BaseCommand):
    help = (
        "Intervention reports: reach, referral to start, completion, distance travelled "
        "with paired statistics, outcome rates, re-offending and ED re-attendance against a "
        "matched comparison, and costs, with 95% intervals; for every programme, one "
        "programme (--programme CODE) or one provider (--provider CODE). Exact figures: "
        "for the network's analysts, not for publication."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="report|programmes")
        report = commands.add_parser("report", help="print a report")
        chosen = report.add_mutually_exclusive_group()
        chosen.add_argument("--programme", metavar="CODE", help="one programme, by its code")
        chosen.add_argument("--provider", metavar="CODE", help="one provider's programmes")
        report.add_argument("--json", action="store_true", help="every figure as JSON")
        report.add_argument("--csv", type=Path, metavar="FILE", help="also write the tables")
        load = commands.add_parser(
            "programmes",
            help="create or update programmes and their providers from a TOML file of "
            "[[programme]] entries (the layout of src/vrn/demo/data/programmes.toml)",
        )
        load.add_argument("file", type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "programmes":
            for line in _load_programmes(options["file"]):
                self.stdout.write(line)
            return
        selection = reports.Selection(programme=options["programme"], provider=options["provider"])
        try:
            report = reports.build_report(selection)
        except reports.ReportError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(published.as_json(report), indent=2, default=str))
        tables = published.tables(
            report, Audience(policy=None), report_queries.area_names(report.areas["area"])
        )
        if options["csv"]:
            rows: list[list[object]] = [
                list(row) for row in published.csv_rows(tables, report.title)
            ]
            if report.synthetic:
                rows = mark_synthetic(rows)
            _write_csv(options["csv"], rows)
        if not options["json"]:
            self.stdout.write(_text(report, tables))


def _load_programmes(path: Path) -> list[str]:
    try:
        saved = upsert_programmes(read_programmes_file(path))
    except ProgrammeError as error:
        raise CommandError(str(error)) from error
    return [
        f"{programme.code}: {programme.name} ({programme.provider.name})" for programme in saved
    ]


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    import csv

    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    except OSError as error:
        raise CommandError(f"--csv {path}: cannot be written ({error.strerror})") from error


def _text(report: reports.InterventionReport, tables: list[published.Table]) -> str:
    lines = [report.title, "=" * len(report.title)]
    if report.synthetic:
        lines.append("Includes synthetic data.")
    for table in tables:
        lines += ["", table.caption, "-" * len(table.caption)]
        body = [table.headings, *table.rows]
        widths = [max(len(row[i]) for row in body) for i in range(len(table.headings))]
        for row in body:
            lines.append(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        if not table.rows:
            lines.append("(none)")
        lines += [f"Note: {note}" for note in table.notes]
    lines += ["", *(f"Note: {note}" for note in (*report.notes, *report.data_quality))]
    lines.append("Definitions: " + ", ".join(report.definitions.values()))
    return "\n".join(lines) + "\n"
