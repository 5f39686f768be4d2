"""Contacts (``vrn ingest intervention-contacts``): one row per session or contact offered
to a participant, and whether it happened (docs/formats/interventions.md). A file is the
authority for the (provider, month of ``contact_date``) of its rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from vrn.ingest.bulk import ColumnRows
from vrn.ingest.partner_csv import (
    Column,
    Layout,
    check_code,
    iso_dates,
    optional_integers,
    parse_whole_numbers,
    partitions,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import RawFile
from vrn.interventions import checks, reference
from vrn.interventions.formats import common
from vrn.interventions.models import Contact

KIND = "contacts"

LAYOUT = Layout(
    kind="intervention contacts file",
    columns=(
        Column("provider_code", required=True),
        Column("case_reference", required=True),
        Column("contact_date", required=True),
        Column("kind", required=True),
        Column("attendance", required=True),
        Column("duration_minutes"),
        Column("synthetic"),
    ),
)


class InterventionContacts(Dataset):
    name = common.NAME
    model = Contact
    fields = [*common.COMMON_FIELDS, "contact_date", "kind", "attendance", "duration_minutes"]
    field_headings = common.COMMON_HEADINGS

    def batch_order(self, paths: Any) -> list[Any]:
        return common.in_batch_order(paths)

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        common.require_kind(raw, KIND)
        # A contact booked, or cancelled, may be in the future; one attended may not.
        journey = common.Journey.read(raw, LAYOUT, context, "contact_date", future_allowed=True)
        table, problems = journey.table, journey.problems
        codes = reference.codes()
        kind = check_code(table, problems, "kind", codes.ids("contact_kind"))
        attendance = check_code(table, problems, "attendance", codes.ids("attendance"))
        later = np.flatnonzero(journey.date > np.datetime64(context.today, "D"))
        future = np.full(len(table), None, dtype=object)
        future[later] = [
            checks.contact_date_problem(day, code, context.today) if day else None
            for day, code in zip(
                common.as_dates(journey.date[later]), attendance[later].tolist(), strict=True
            )
        ]
        problems.flag(
            future != None,  # noqa: E711 (element-wise)
            "contact_date",
            lambda rows: future[rows].tolist(),
        )
        duration = parse_whole_numbers(table, problems, "duration_minutes", *checks.DURATION_RANGE)
        journey.finish(raw, context)

        valid = journey.valid
        rows = ColumnRows(
            [
                *journey.common_columns(context),
                iso_dates(journey.date[valid]),
                kind[valid].tolist(),
                attendance[valid].tolist(),
                optional_integers(duration[valid]),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                journey.synthetic,
                [KIND],
                journey.provider_code[valid],
                journey.month[valid],
                period=context.period,
            ),
            rows=rows,
            rejections=journey.rejections(),
            synthetic=journey.synthetic,
        )
