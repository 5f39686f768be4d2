"""Rendering load results: a summary table for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from vrn.ingest.pipeline import FileResult

_COLUMNS = ("file", "status", "rows_read", "rows_loaded", "rows_quarantined")


def summary_table(results: Sequence[FileResult]) -> str:
    """A plain-text table, one line per file, totals last, refusal reasons below."""
    rows = [
        [r.file, r.status, f"{r.rows_read:,}", f"{r.rows_loaded:,}", f"{r.rows_quarantined:,}"]
        for r in results
    ]
    rows.append(
        [
            f"total ({len(results)} files)",
            _status_counts(results),
            f"{sum(r.rows_read for r in results):,}",
            f"{sum(r.rows_loaded for r in results):,}",
            f"{sum(r.rows_quarantined for r in results):,}",
        ]
    )
    header = [c.replace("_", " ") for c in _COLUMNS]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * width for width in widths)
    lines = [line(header), rule, *(line(row) for row in rows[:-1]), rule, line(rows[-1])]
    notes = [f"{r.file}: {r.status}: {r.message}" for r in results if r.message]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def _status_counts(results: Sequence[FileResult]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def as_json(results: Sequence[FileResult]) -> str:
    return json.dumps([r.as_json() for r in results], indent=2)
