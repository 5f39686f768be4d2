"""Bulk files of intervention records, loaded through the one ingest pipeline
(docs/formats/interventions.md): participants, their assessments, contacts, reviews and
outcomes, one format each, and an adapter for journey-star style exports.

``vrn ingest interventions FILE...`` takes files of every kind at once, tells them apart
by their columns and loads participants first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vrn.ingest.partner_csv import header_columns
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import FileRefused, RawFile
from vrn.interventions.formats import common
from vrn.interventions.formats.assessments import InterventionAssessments
from vrn.interventions.formats.contacts import InterventionContacts
from vrn.interventions.formats.outcomes import InterventionOutcomes
from vrn.interventions.formats.outcomes_star import OutcomesStar
from vrn.interventions.formats.participants import InterventionParticipants
from vrn.interventions.formats.reviews import InterventionReviews

#: Every kind's dataset, by kind.
KINDS: Mapping[str, Callable[[], Dataset]] = {
    "participants": InterventionParticipants,
    "assessments": InterventionAssessments,
    "contacts": InterventionContacts,
    "reviews": InterventionReviews,
    "outcomes": InterventionOutcomes,
}
#: The format for files of any kind.
ANY_KIND = "interventions"
STAR = "outcomes-star"


class InterventionFiles(Dataset):
    """``vrn ingest interventions``: a file of any kind, told apart by its columns.

    ``parse`` hands each file to its kind's dataset; ``model`` and ``fields`` are those of
    the kind parsed last, which is what the pipeline then inserts."""

    name = common.NAME

    def __init__(self) -> None:
        self.kinds = {kind: factory() for kind, factory in KINDS.items()}
        self._current: Dataset = self.kinds["participants"]

    @property
    def model(self) -> Any:
        return self._current.model

    # Read-only here: the base's plain attributes are never assigned on a dataset instance.
    @property
    def fields(self) -> Sequence[str]:  # type: ignore[override]
        return self._current.fields

    @property
    def field_headings(self) -> Mapping[str, str]:  # type: ignore[override]
        return self._current.field_headings

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        kind = common.kind_of(raw.name, header_columns(raw.text))
        if kind is None:
            raise FileRefused(
                raw.name,
                "is not an intervention file: it has none of the columns "
                + ", ".join(f"{column} ({k})" for column, k in common.SIGNATURES.items()),
            )
        self._current = self.kinds[kind]
        return self._current.parse(raw, context)

    def batch_order(self, paths: Sequence[Path]) -> list[Path]:
        return common.in_batch_order(paths)


def formats() -> dict[str, Callable[[], Dataset]]:
    """Every intervention format by its ``vrn ingest`` name."""
    return {
        **{common.FORMATS[kind]: factory for kind, factory in KINDS.items()},
        STAR: OutcomesStar,
        ANY_KIND: InterventionFiles,
    }


def register() -> None:
    from vrn.ingest.registry import register as register_format

    for name, factory in formats().items():
        register_format(name, factory)
