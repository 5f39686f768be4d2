"""Outcomes (``vrn ingest intervention-outcomes``): one row per confirmed outcome, with
its evidence (docs/formats/interventions.md). A file is the authority for the (provider,
month of ``outcome_date``) of its rows."""

from __future__ import annotations

from typing import Any

from vrn.ingest.bulk import ColumnRows
from vrn.ingest.partner_csv import Column, Layout, check_code, iso_dates, partitions
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import RawFile
from vrn.interventions import checks, reference
from vrn.interventions.formats import common
from vrn.interventions.models import Outcome

KIND = "outcomes"

LAYOUT = Layout(
    kind="intervention outcomes file",
    columns=(
        Column("provider_code", required=True),
        Column("case_reference", required=True),
        Column("kind", required=True),
        Column("outcome_date", required=True),
        Column("evidence", required=True),
        Column("synthetic"),
    ),
)


class InterventionOutcomes(Dataset):
    name = common.NAME
    model = Outcome
    fields = [*common.COMMON_FIELDS, "kind", "outcome_date", "evidence", "verified"]
    field_headings = common.COMMON_HEADINGS

    def batch_order(self, paths: Any) -> list[Any]:
        return common.in_batch_order(paths)

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        common.require_kind(raw, KIND)
        journey = common.Journey.read(raw, LAYOUT, context, "outcome_date")
        table, problems = journey.table, journey.problems
        codes = reference.codes()
        kind = check_code(table, problems, "kind", codes.ids("outcome_kind"))
        evidence = check_code(table, problems, "evidence", codes.ids("evidence_kind"))
        journey.finish(raw, context)
        verified = {code: checks.verified(code) for code in set(evidence.tolist())}

        valid = journey.valid
        rows = ColumnRows(
            [
                *journey.common_columns(context),
                kind[valid].tolist(),
                iso_dates(journey.date[valid]),
                evidence[valid].tolist(),
                [verified[code] for code in evidence[valid].tolist()],
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
