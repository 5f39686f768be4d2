"""Outcomes Star-style exports (``vrn ingest outcomes-star``): one row per participant
per reading, one column per area scored 1-10, loaded as distance-travelled reviews
(docs/formats/interventions.md).

The adapter knows no proprietary scale text: area headings are matched to a scale of the
distance-scales definition (the shipped ``journey_star_style``, or the scale a ``scale``
column names) by the areas' ids, labels and aliases. The id and date columns may go by
the common names exports give them; columns that describe the reading rather than the
person (worker, service, star version, reading number) are ignored and never stored.
Rows name their provider in ``provider_code``, or the file is loaded for one
organisation (``--organisation``, or the uploader's).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import MASKED, Column, Layout, PartnerTable, check_code
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile, Rejection
from vrn.ingest.reading import FileRefused, RawFile, csv_records
from vrn.ingest.values import date_value
from vrn.interventions import reference
from vrn.interventions.formats import common, reviews
from vrn.interventions.models import Review

#: The scale of a file without a ``scale`` column.
DEFAULT_SCALE = "journey_star_style"
#: Score values that mean the area was not scored.
NOT_SCORED = frozenset({"n/a", "na", "-", "not scored"})

_GAP = r"[\s_.\-]*"
#: Headings (trimmed, any case) of the case reference column.
CASE_REFERENCE_HEADINGS = (
    rf"(case|client|service{_GAP}user|participant|customer){_GAP}"
    rf"(id|ref|reference|number|no)\.?|ref(erence)?"
)
#: Headings of the date of the reading.
DATE_HEADINGS = (
    rf"((review|reading|assessment|star|completion|completed){_GAP})?date"
    rf"|date{_GAP}(of{_GAP})?(review|reading|assessment|completion)|date{_GAP}completed"
)
#: Headings of columns about the reading, not the person: ignored.
IGNORED_HEADINGS = {
    "(reading number)": rf"(reading|review|assessment){_GAP}(number|no)\.?",
    "(star)": rf"star({_GAP}(name|type|version|id))?|version|tool",
    "(worker)": rf"(key{_GAP})?worker|practitioner|staff{_GAP}member",
    "(service)": r"service|team|project|organisation",
}

COLUMNS = (
    Column("provider_code"),
    Column("case_reference", required=True),
    Column("review_date", required=True),
    Column("scale"),
    Column("synthetic"),
    *(Column(name) for name in IGNORED_HEADINGS),
)
_PATTERNS = (
    (CASE_REFERENCE_HEADINGS, "case_reference"),
    (DATE_HEADINGS, "review_date"),
    *((pattern, name) for name, pattern in IGNORED_HEADINGS.items()),
)
_KNOWN = Layout(kind="outcomes-star export", columns=COLUMNS, patterns=_PATTERNS)
_UK_DATE = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)
_ISO_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


class OutcomesStar(Dataset):
    """``vrn ingest outcomes-star``: reviews from a journey-star style export."""

    name = common.NAME
    model = Review
    fields = reviews.FIELDS
    field_headings = common.COMMON_HEADINGS

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        scales = reference.scales()
        has_scale = "scale" in _keys(raw)
        if not has_scale and DEFAULT_SCALE not in scales.ids:
            raise FileRefused(
                raw.name,
                f"has no scale column, and the scale {DEFAULT_SCALE} is not in the "
                "distance-scales definition in force; add a scale column",
            )
        scale_ids = scales.ids if has_scale else (DEFAULT_SCALE,)
        area_columns = reviews.AreaColumns.of(raw, _KNOWN, scale_ids, "an outcomes-star export")
        layout = Layout(
            kind=_KNOWN.kind, columns=(*COLUMNS, *area_columns.columns()), patterns=_PATTERNS
        )
        if "provider_code" not in _keys(raw) and context.organisation is None:
            raise FileRefused(
                raw.name,
                "has no provider_code column, so the organisation the readings belong to "
                "must be given (vrn ingest --organisation CODE); nothing was loaded",
            )
        journey = common.Journey.read(raw, layout, context, "review_date", dates=star_dates)
        table, problems = journey.table, journey.problems
        if has_scale:
            scale = check_code(table, problems, "scale", scales.ids)
            blank = scale == ""
            scale[blank & ~problems.found] = DEFAULT_SCALE
        else:
            scale = np.full(len(table), DEFAULT_SCALE, dtype=object)
        used = sorted(set(scale.tolist()) - {""})
        scores = reviews.score_rows(
            table, problems, scale, area_columns.for_scales(raw.name, used), not_scored=NOT_SCORED
        )
        reviews.flag_repeated_reviews(journey, scale)
        journey.finish(raw, context)
        return reviews.parsed_reviews(
            journey, scales, scale, scores, context, rejections=_masked(table, journey)
        )


def _keys(raw: RawFile) -> set[str]:
    """The file's columns as this format names them (variants matched)."""
    header, _ = csv_records(raw.text)
    return {name for heading in header if (name := _KNOWN.column(heading.strip().casefold()))}


def star_dates(table: PartnerTable, problems: Problems, name: str, today: dt.date) -> Any:
    """Column ``name`` as dates, not in the future: ``YYYY-MM-DD`` or, as exports often
    write them, ``DD/MM/YYYY`` (day first, as in the UK); a time of day after the date is
    dropped."""
    column = table.distinct(name)
    parsed = np.array([_star_date(text) for text in column.uniques], dtype="datetime64[D]")
    bad = np.array([text != "" for text in column.uniques], dtype=bool) & np.isnat(parsed)
    texts = column.uniques
    problems.flag(
        column.spread(bad),
        name,
        lambda rows: [
            f"'{texts[code]}' is not a date in YYYY-MM-DD or DD/MM/YYYY form"
            for code in column.codes[rows]
        ],
    )
    dates = column.spread(parsed)
    future = dates > np.datetime64(today, "D")
    problems.flag(future, name, lambda rows: [f"{d} is in the future" for d in dates[rows]])
    return dates


def _star_date(text: str) -> np.datetime64:
    uk = _UK_DATE.fullmatch(text)
    if uk is not None:
        day, month, year = (int(part) for part in uk.groups())
        try:
            return np.datetime64(dt.date(year, month, day), "D")
        except ValueError:
            return np.datetime64("NaT", "D")
    timed = _ISO_WITH_TIME.fullmatch(text)
    return date_value(timed.group(1) if timed is not None else text)


def _masked(table: PartnerTable, journey: common.Journey) -> list[Rejection]:
    """The rejections with the values of the ignored columns masked."""
    ignored = {table.heading(name) for name in IGNORED_HEADINGS if table.has(name)}
    return [
        Rejection(
            rejection.line_number,
            rejection.field,
            rejection.reason,
            {k: (MASKED if k in ignored and v else v) for k, v in rejection.raw.items()},
        )
        for rejection in journey.rejections()
    ]
