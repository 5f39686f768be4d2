"""The options the hotspot commands share: what to read, and the grid."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError

from vrn.hotspots.grids import DEFAULT_SIZE, SHAPES
from vrn.hotspots.selection import DEFAULT_CRIME_TYPE, SOURCES, Selection, SelectionError


def add_selection(parser: argparse.ArgumentParser, months: bool = True) -> None:
    parser.add_argument(
        "--source",
        choices=list(SOURCES),
        default="police-uk",
        help="police-uk (default): data.police.uk street-level crime; police: the force's "
        "crime extract; ed: emergency-department assaults (ISTV)",
    )
    parser.add_argument(
        "--crime-type",
        metavar="TYPE",
        help=f"a data.police.uk crime type (default {DEFAULT_CRIME_TYPE!r}; 'all' for every "
        "type); the force extract's offence codes map to them",
    )
    parser.add_argument(
        "--measure", metavar="ID", help="a dashboard measure of the force extract instead"
    )
    if months:
        parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="first month")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="last month")


def add_grid(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shape", choices=SHAPES, default="square", help="cell shape")
    parser.add_argument(
        "--cell-size",
        type=float,
        default=DEFAULT_SIZE,
        metavar="M",
        help=f"metres between neighbouring cells' centres (default {DEFAULT_SIZE:g})",
    )


def selection_from(options: dict[str, Any]) -> Selection:
    """The :class:`Selection` the options name; a :class:`CommandError` if they clash."""
    source = options["source"]
    crime_type = options.get("crime_type")
    if source == "ed" or options.get("measure"):
        if crime_type not in (None, "all"):
            raise CommandError("--crime-type: not with --source ed or --measure")
        crime_type = None
    elif crime_type is None:
        crime_type = DEFAULT_CRIME_TYPE
    elif crime_type == "all":
        crime_type = None
    try:
        return Selection(
            source,
            crime_type,
            options.get("measure"),
            _month(options.get("first"), "--from"),
            _month(options.get("last"), "--to"),
        )
    except SelectionError as error:
        raise CommandError(str(error)) from None


def _month(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        raise CommandError(f"{option}: {text!r} is not a month written YYYY-MM")
    if not 1 <= int(text[5:]) <= 12:
        raise CommandError(f"{option}: {text!r} has no month {text[5:]}")
    return text
