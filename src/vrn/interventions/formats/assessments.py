"""Assessments of need (``vrn ingest intervention-assessments``): one row per assessment,
one column per factor of the risk and protective factor checklist in force, answered
``yes``, ``no`` or left blank (docs/formats/interventions.md). A file is the authority for
the (provider, month of ``assessed_on``) of its rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from vrn.ingest.bulk import ColumnRows
from vrn.ingest.partner_csv import Column, Layout, check_code, iso_dates, partitions
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import RawFile
from vrn.interventions import checks, reference
from vrn.interventions.formats import common
from vrn.interventions.models import Assessment

KIND = "assessments"
#: The answers a factor column takes (any case); blank is not answered.
PRESENT, ABSENT = "yes", "no"


def layout() -> Layout:
    """The columns, with one per factor of the checklist in force."""
    return Layout(
        kind="intervention assessments file",
        columns=(
            Column("provider_code", required=True),
            Column("case_reference", required=True),
            Column("assessed_on", required=True),
            Column("stage", required=True),
            *(Column(factor) for factor in reference.checklist().ids),
            Column("synthetic"),
        ),
    )


class InterventionAssessments(Dataset):
    name = common.NAME
    model = Assessment
    fields = [
        *common.COMMON_FIELDS,
        "assessed_on",
        "stage",
        "answers",
        "risk_score",
        "protective_score",
        "checklist",
    ]
    field_headings = common.COMMON_HEADINGS

    def batch_order(self, paths: Any) -> list[Any]:
        return common.in_batch_order(paths)

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        common.require_kind(raw, KIND)
        checklist = reference.checklist()
        journey = common.Journey.read(raw, layout(), context, "assessed_on")
        table, problems = journey.table, journey.problems
        stage = check_code(table, problems, "stage", checks.STAGES)
        given = [factor for factor in checklist.ids if table.has(factor)]
        answers: list[dict[str, bool]] = [{} for _ in range(len(table))]
        for factor in given:
            values = check_code(table, problems, factor, (PRESENT, ABSENT))
            for row in np.flatnonzero(values != ""):
                answers[row][factor] = bool(values[row] == PRESENT)
        journey.finish(raw, context)

        valid = journey.valid
        scores = [checklist.score(answers[row]) for row in valid]
        rows = ColumnRows(
            [
                *journey.common_columns(context),
                iso_dates(journey.date[valid]),
                stage[valid].tolist(),
                [common.json_text(answers[row]) for row in valid],
                [score.risk for score in scores],
                [score.protective for score in scores],
                [checklist.ref.short_id] * len(valid),
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
