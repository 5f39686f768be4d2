"""CSV downloads, marked when they hold synthetic data.

Every CSV the site serves goes through :func:`csv_response`, which must be told whether
the rows come from (or include) synthetic data. A synthetic download is marked the way the
partner formats mark synthetic files (docs/formats/README.md): a last column
``synthetic`` that is ``true`` on every row, and a file name starting ``synthetic-``, so
the mark survives being opened, filtered or copied elsewhere.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

SYNTHETIC_COLUMN = "synthetic"
SYNTHETIC_PREFIX = "synthetic-"


def mark_synthetic(rows: Iterable[Iterable[object]]) -> list[list[object]]:
    """``rows`` (a header first) with a ``synthetic`` column, ``true`` on every data row."""
    marked = []
    for number, row in enumerate(rows):
        marked.append([*row, SYNTHETIC_COLUMN if number == 0 else "true"])
    return marked


def csv_response(
    rows: Iterable[Iterable[object]], filename: str, *, synthetic: bool
) -> HttpResponse:
    """A CSV download of ``rows`` (a header first) as ``filename``; ``synthetic``: the rows
    come from or include synthetic data, which marks the file (see the module docstring).
    A view building a CSV from partner data passes whether any of it is synthetic."""
    if synthetic:
        rows = mark_synthetic(rows)
        if not filename.startswith(SYNTHETIC_PREFIX):
            filename = SYNTHETIC_PREFIX + filename
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    disposition = content_disposition_header(True, filename)
    assert disposition is not None  # always a header for an attachment
    response["Content-Disposition"] = disposition
    csv.writer(response).writerows(rows)
    return response
