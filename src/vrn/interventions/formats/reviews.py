"""Distance-travelled reviews (``vrn ingest intervention-reviews``): one row per review of
a participant on one scale, one column per area (docs/formats/interventions.md). A file
is the authority for the (provider, scale, month of ``review_date``) of its rows.

An area column's heading is the area's id, label or an alias (``distance-scales``
definition, matched ignoring case and spacing). A file may hold reviews on several scales:
its area columns are then the union of their areas, and on each row only the columns of
that row's scale may have a score (the others are left blank).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from vrn.definitions.scales import normalise_heading
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import (
    EXTRA_PREFIX,
    Column,
    Layout,
    PartnerTable,
    check_code,
    flag_duplicates,
    iso_dates,
    partitions,
    record_keys,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import FileRefused, RawFile, csv_records
from vrn.interventions import reference
from vrn.interventions.entry import review_scores
from vrn.interventions.formats import common
from vrn.interventions.models import Review

KIND = "reviews"

COLUMNS = (
    Column("provider_code", required=True),
    Column("case_reference", required=True),
    Column("review_date", required=True),
    Column("scale", required=True),
    Column("synthetic"),
)

FIELDS = [*common.COMMON_FIELDS, "review_date", "scale", "perspective", "scores", "mean_score"]


@dataclass(frozen=True)
class AreaColumns:
    """The file's area columns: heading (trimmed, case-folded) -> scale id -> area id."""

    areas: dict[str, dict[str, str]]
    #: The headings as the file writes them, by their key.
    headings: dict[str, str]
    #: (heading key, scale id) of the columns that name their area by its id.
    by_id: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, raw: RawFile, known: Layout, scale_ids: Sequence[str], what: str) -> AreaColumns:
        """Match every heading that is not a column of ``known`` (nor a partner's own) to
        the areas of ``scale_ids``; refuse the file, naming them, if any matches none."""
        header, _ = csv_records(raw.text)
        scales = reference.scales()
        areas: dict[str, dict[str, str]] = {}
        headings: dict[str, str] = {}
        by_id: set[tuple[str, str]] = set()
        unknown = []
        for heading in header:
            key = heading.strip().casefold()
            if key.startswith(EXTRA_PREFIX) or known.column(key) is not None:
                continue
            found = {}
            for scale_id in scale_ids:
                area = scales.area_for_heading(scale_id, heading)
                if area is not None:
                    found[scale_id] = area.id
                    if normalise_heading(heading) == normalise_heading(area.id):
                        by_id.add((key, scale_id))
            if found:
                areas[key] = found
                headings[key] = heading
            else:
                unknown.append(heading)
        if unknown:
            listed = ", ".join(
                repr(name) if name else "(a column with no name)" for name in unknown
            )
            raise FileRefused(
                raw.name,
                f"has columns that are neither columns of {what} nor areas of "
                f"{_scales_text(scale_ids)}: {listed}. An area column is headed by the "
                "area's id, label or an alias in the distance-scales definition (add a "
                "provider's own headings as aliases there); a partner's own columns must "
                f"start with {EXTRA_PREFIX}",
            )
        return cls(areas, headings, frozenset(by_id))

    def columns(self) -> tuple[Column, ...]:
        return tuple(Column(key) for key in self.areas)

    def for_scales(self, file_name: str, scale_ids: Sequence[str]) -> AreaColumns:
        """The columns of each scale the file uses, one per area. Where several columns
        name one area, the one headed by the area's id is that area's, and the others
        must be columns of another scale the file uses (a file of several scales with a
        column per area id: ``education_and_work`` of one scale is the label of
        ``education_work`` of another); otherwise the file is refused."""
        areas = {key: dict(found) for key, found in self.areas.items()}
        dropped: dict[str, tuple[str, str, list[str]]] = {}
        for scale_id in scale_ids:
            by_area: dict[str, list[str]] = {}
            for key, found in self.areas.items():
                if scale_id in found:
                    by_area.setdefault(found[scale_id], []).append(key)
            for area, keys in by_area.items():
                if len(keys) == 1:
                    continue
                named = [key for key in keys if (key, scale_id) in self.by_id]
                if len(named) != 1:
                    self._refuse_twice(file_name, area, scale_id, keys)
                for key in keys:
                    if key != named[0]:
                        del areas[key][scale_id]
                        dropped.setdefault(key, (area, scale_id, keys))
        for key, (area, scale_id, keys) in dropped.items():
            if not set(areas[key]) & set(scale_ids):
                self._refuse_twice(file_name, area, scale_id, keys)
        return AreaColumns(areas, self.headings, self.by_id)

    def _refuse_twice(self, file_name: str, area: str, scale_id: str, keys: list[str]) -> NoReturn:
        listed = ", ".join(repr(self.headings[key]) for key in keys)
        raise FileRefused(
            file_name,
            f"has {len(keys)} columns for the area {area} of the scale {scale_id} "
            f"({listed}); give each area once",
        )


def _scales_text(scale_ids: Sequence[str]) -> str:
    if len(scale_ids) == 1:
        return f"the scale {scale_ids[0]}"
    return "any distance-travelled scale"


def score_rows(
    table: PartnerTable,
    problems: Problems,
    scale: Any,
    area_columns: AreaColumns,
    *,
    not_scored: frozenset[str] = frozenset(),
) -> list[dict[str, float]]:
    """Each row's scores by area id, checked against its scale by
    :func:`vrn.interventions.entry.review_scores` (the check the web forms and the API
    use). A score in a column that is no area of the row's scale, a value that is not a
    number or out of the scale's range, and a row with no score are problems. Values in
    ``not_scored`` (case-folded) count as blank."""
    texts = {key: table.text(key) for key in area_columns.areas}
    found: list[dict[str, float]] = [{} for _ in range(len(table))]
    fields = np.full(len(table), None, dtype=object)
    reasons = np.full(len(table), None, dtype=object)
    for row in np.flatnonzero(~problems.found):
        scale_id = scale[row]
        given: dict[str, str] = {}
        area_key: dict[str, str] = {}
        for key, areas in area_columns.areas.items():
            value = texts[key][row]
            if value == "" or value.casefold() in not_scored:
                continue
            if scale_id not in areas:
                fields[row] = key
                reasons[row] = (
                    f"is not an area of the scale {scale_id}; leave it blank on rows of that scale"
                )
                break
            given[areas[scale_id]] = value
            area_key[areas[scale_id]] = key
        if fields[row] is not None:
            continue
        kept, wrong = review_scores(scale_id, given)
        if not wrong:
            found[row] = kept
            continue
        field, message = next(iter(wrong.items()))
        if field.startswith("scores."):
            fields[row] = area_key.get(field.removeprefix("scores."), "scale")
            reasons[row] = message
        else:
            fields[row] = "scale"
            reasons[row] = f"no area of the scale {scale_id} has a score; score at least one"
    common.flag_each(problems, fields, reasons)
    return found


def review_columns(
    scales: Any, scale: Any, scores: Sequence[Mapping[str, float]], valid: Any
) -> list[list[Any]]:
    """The values of scale, perspective, scores and mean score for rows ``valid``."""
    perspective = {item.id: item.perspective for item in scales.scales}
    return [
        scale[valid].tolist(),
        [perspective[scale_id] for scale_id in scale[valid]],
        [common.json_text(dict(scores[row])) for row in valid],
        [float(np.mean(list(scores[row].values()))) for row in valid],
    ]


def flag_repeated_reviews(journey: common.Journey, scale: Any) -> None:
    """A second review of the same participant on the same scale and day."""
    keys = record_keys(
        record_keys(journey.provider_code, journey.case_reference),
        record_keys(scale, journey.date.astype(str).astype(object)),
    )
    found = journey.problems.found
    # Rows already at fault are not loaded, so no row repeats them.
    keys[found] = [f"\x00{row}" for row in np.flatnonzero(found)]
    flag_duplicates(
        journey.problems,
        keys,
        journey.table.line_numbers,
        "review_date",
        "review of this participant on this scale and day",
        ignore=found,
    )


class InterventionReviews(Dataset):
    name = common.NAME
    model = Review
    fields = FIELDS
    field_headings = common.COMMON_HEADINGS

    def batch_order(self, paths: Any) -> list[Any]:
        return common.in_batch_order(paths)

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        common.require_kind(raw, KIND)
        scales = reference.scales()
        known = Layout(kind="intervention reviews file", columns=COLUMNS)
        area_columns = AreaColumns.of(raw, known, scales.ids, "an intervention reviews file")
        layout = Layout(kind=known.kind, columns=(*COLUMNS, *area_columns.columns()))
        journey = common.Journey.read(raw, layout, context, "review_date")
        table, problems = journey.table, journey.problems
        scale = check_code(table, problems, "scale", scales.ids)
        used = sorted(set(scale.tolist()) - {""})
        scores = score_rows(table, problems, scale, area_columns.for_scales(raw.name, used))
        flag_repeated_reviews(journey, scale)
        journey.finish(raw, context)
        return parsed_reviews(journey, scales, scale, scores, context)


def parsed_reviews(
    journey: common.Journey,
    scales: Any,
    scale: Any,
    scores: Sequence[Mapping[str, float]],
    context: LoadContext,
    rejections: Any = None,
) -> ParsedFile:
    """The reviews of a checked file, partitioned by provider, scale and month."""
    valid = journey.valid
    rows = ColumnRows(
        [
            *journey.common_columns(context),
            iso_dates(journey.date[valid]),
            *review_columns(scales, scale, scores, valid),
        ]
    )
    return ParsedFile(
        rows_read=journey.table.rows_read,
        partitions=partitions(
            journey.synthetic,
            [KIND],
            journey.provider_code[valid],
            scale[valid],
            journey.month[valid],
            period=context.period,
        ),
        rows=rows,
        rejections=journey.rejections() if rejections is None else rejections,
        synthetic=journey.synthetic,
    )
