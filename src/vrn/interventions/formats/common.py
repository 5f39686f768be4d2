"""What the intervention formats share: which kind a file is, the provider and case
reference of each row, the participant a journey row belongs to, and the columns every
row table has (docs/formats/interventions.md).

Every intervention file is loaded as the dataset ``interventions`` (``FileLoad.dataset``)
with partitions led by its kind (``participants``, ``contacts``, ...), like the crimes
and people files of a police extract: kinds never replace each other, and a file is
unchanged whichever intervention format it is given to.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.utils import timezone

from vrn.accounts.models import Organisation
from vrn.ingest.columns import Problems
from vrn.ingest.identifiers import redact
from vrn.ingest.partner_csv import (
    Layout,
    PartnerTable,
    check_required,
    file_synthetic,
    flag_outside_period,
    header_columns,
    lookup_records,
    months,
    parse_dates,
    read_partner_table,
    record_keys,
    synthetic_flags,
)
from vrn.ingest.pipeline import LoadContext, Rejection
from vrn.ingest.pseudonymise import normal_nhs_number
from vrn.ingest.reading import FileRefused, RawFile
from vrn.interventions import checks
from vrn.interventions.models import Participant

Array = np.ndarray[Any, Any]
Dates = np.ndarray[Any, np.dtype[np.datetime64]]
#: Reads a date column: (table, problems, column, today) -> dates.
DateParser = Callable[[PartnerTable, Problems, str, dt.date], Dates]

#: ``FileLoad.dataset`` of every intervention file.
NAME = "interventions"
#: The format of each kind of file, in the order a batch loads them (participants first,
#: so that journey rows find the participants given in the same command).
FORMATS = {
    "participants": "intervention-participants",
    "assessments": "intervention-assessments",
    "contacts": "intervention-contacts",
    "reviews": "intervention-reviews",
    "outcomes": "intervention-outcomes",
}
#: The column that tells each kind of file apart.
SIGNATURES = {
    "programme_code": "participants",
    "assessed_on": "assessments",
    "contact_date": "contacts",
    "review_date": "reviews",
    "outcome_date": "outcomes",
}
#: The columns every row table gets besides its own, in this order.
COMMON_FIELDS = [
    "line_number",
    "synthetic",
    "provider",
    "case_reference",
    "recorded_by",
    "recorded_at",
]
COMMON_HEADINGS = {"provider": "provider_code"}


def kind_of(file_name: str, columns: Sequence[str]) -> str | None:
    """The kind of intervention file with these (case-folded) columns, None if none."""
    kinds = {kind for column, kind in SIGNATURES.items() if column in columns}
    if len(kinds) > 1:
        found = ", ".join(f"{c} ({k})" for c, k in SIGNATURES.items() if c in columns)
        raise FileRefused(
            file_name, f"has the columns of more than one kind of intervention file: {found}"
        )
    return kinds.pop() if kinds else None


def sniff(path: Path) -> str:
    """The kind of an intervention file from its first line; ``""`` if it cannot tell
    (or it is not a regular file: a named pipe would make ``open`` wait for ever)."""
    if not path.is_file():
        return ""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        return kind_of(path.name, [name.strip().casefold() for name in header]) or ""
    except (OSError, UnicodeDecodeError, FileRefused, csv.Error):
        return ""


def in_batch_order(paths: Sequence[Path]) -> list[Path]:
    """Participants files first, then assessments, contacts, reviews, outcomes; files of
    no known kind last (each in the order given)."""
    order = list(FORMATS)
    return sorted(
        paths, key=lambda path: order.index(kind) if (kind := sniff(path)) else len(order)
    )


def require_kind(raw: RawFile, kind: str) -> None:
    """Refuse a file of another kind given to this kind's format, naming the right one."""
    found = kind_of(raw.name, header_columns(raw.text))
    if found is not None and found != kind:
        signature = next(column for column, k in SIGNATURES.items() if k == found)
        raise FileRefused(
            raw.name,
            f"is an intervention {found} file (it has a {signature} column), not a {kind} "
            f"file; load it as {FORMATS[found]} (or as interventions, which takes every "
            "kind)",
        )


# --- Organisations and programmes ------------------------------------------------------------


@dataclass(frozen=True)
class Organisations:
    """Organisations by code (matched ignoring case): id and code as stored."""

    by_code: dict[str, tuple[int, str]]

    @classmethod
    def load(cls) -> Organisations:
        found = Organisation.objects.exclude(code="").values_list("pk", "code")
        return cls({code.casefold(): (pk, code) for pk, code in found})

    def get(self, code: str) -> tuple[int, str] | None:
        return self.by_code.get(code.casefold())


def own_organisation(
    raw: RawFile, context: LoadContext, organisations: Organisations
) -> tuple[int, str] | None:
    """The organisation the file is loaded for (``LoadContext.organisation``), if any."""
    if context.organisation is None:
        return None
    own = organisations.get(context.organisation)
    if own is None:
        raise FileRefused(
            raw.name,
            f"is loaded for the organisation {context.organisation!r}, which is not an "
            "organisation's code; nothing was loaded",
        )
    return own


def check_providers(
    table: PartnerTable,
    problems: Problems,
    own: tuple[int, str] | None,
    organisations: Organisations,
) -> tuple[Array, Array]:
    """Each row's provider: its code as stored and its id (None where unknown). A code
    that is no organisation's, or (when the file is loaded for one organisation) another
    organisation's, is a problem. Without a ``provider_code`` column, every row is the
    loading organisation's."""
    rows = len(table)
    if not table.has("provider_code") and own is not None:
        return np.full(rows, own[1], dtype=object), np.full(rows, own[0], dtype=object)
    column = table.distinct("provider_code")
    found = column.apply(lambda code: organisations.get(code) if code else None)
    texts = column.uniques
    unknown = np.array(
        [value is None and text != "" for value, text in zip(found, texts, strict=True)],
        dtype=bool,
    )
    problems.flag(
        column.spread(unknown),
        "provider_code",
        lambda positions: [
            f"'{texts[code]}' is not an organisation's code" for code in column.codes[positions]
        ],
    )
    if own is not None:
        other = np.array([value is not None and value[0] != own[0] for value in found], dtype=bool)
        problems.flag(
            column.spread(other),
            "provider_code",
            f"you can upload only for your own organisation ({own[1]})",
        )
    codes = column.spread(np.array([v[1] if v else "" for v in found], dtype=object))
    ids = column.spread(np.array([v[0] if v else None for v in found], dtype=object))
    return codes, ids


def check_case_references(table: PartnerTable, problems: Problems) -> Array:
    """The ``case_reference`` column, each the provider's own record number
    (:func:`vrn.interventions.checks.case_reference_problem`)."""
    column = table.distinct("case_reference")
    reasons = column.apply(lambda value: checks.case_reference_problem(value) if value else None)
    bad = np.array([reason is not None for reason in reasons], dtype=bool)
    problems.flag(
        column.spread(bad), "case_reference", lambda rows: reasons[column.codes[rows]].tolist()
    )
    return column.values()


def flag_each(problems: Problems, fields: Array, reasons: Array) -> None:
    """Flag each row with its own field and reason (None: no problem)."""
    for field in dict.fromkeys(fields.tolist()):
        if field is not None:
            mask = np.asarray(fields == field, dtype=bool)
            problems.flag(mask, str(field), lambda rows: reasons[rows].tolist())


def protected(table: PartnerTable, rejections: list[Rejection]) -> list[Rejection]:
    """Rejections with a case reference that may be an NHS number kept only as its shape
    (the pipeline redacts the person columns; a case reference is not one)."""
    heading = table.heading("case_reference")
    kept = []
    for rejection in rejections:
        value = rejection.raw.get(heading, "")
        if value and normal_nhs_number(value) is not None:
            rejection = Rejection(
                rejection.line_number,
                rejection.field,
                rejection.reason,
                {**rejection.raw, heading: redact(value)},
            )
        kept.append(rejection)
    return kept


# --- Journey records ---------------------------------------------------------------------------


def as_dates(values: Dates) -> list[dt.date | None]:
    """numpy dates as ``datetime.date`` (None for NaT)."""
    return list(values.astype("datetime64[D]").astype(object).tolist())


def referral_dates(
    provider_ids: Array, case_references: Array, rows: Array, synthetic: bool
) -> Dates:
    """The referral date of each row's participant (held by its provider, real or
    synthetic as the file is), NaT where there is none."""
    sources = np.array([-1 if pk is None else pk for pk in provider_ids], dtype=object)
    found = lookup_records(
        Participant,
        "provider",
        "case_reference",
        sources,
        case_references,
        rows,
        ("referral_date",),
        synthetic=synthetic,
    )
    dates = np.full(len(provider_ids), np.datetime64("NaT"), dtype="datetime64[D]")
    position = found.index.get_indexer(record_keys(sources, case_references))
    hit = rows & (position >= 0)
    dates[hit] = found["referral_date"].to_numpy(dtype="datetime64[D]")[position[hit]]
    return dates


@dataclass
class Journey:
    """A journey file read and checked as far as every kind is: each row's provider, case
    reference and date; :meth:`finish` then finds each row's participant."""

    table: PartnerTable
    problems: Problems
    provider_code: Array
    provider_id: Array
    case_reference: Array
    date: Dates
    date_column: str
    #: ``YYYY-MM`` of each row's date.
    month: Array
    synthetic: bool = False

    @classmethod
    def read(
        cls,
        raw: RawFile,
        layout: Layout,
        context: LoadContext,
        date_column: str,
        *,
        future_allowed: bool = False,
        dates: DateParser = parse_dates,
    ) -> Journey:
        table = read_partner_table(raw, layout)
        problems = Problems(len(table))
        check_required(table, problems)
        organisations = Organisations.load()
        own = own_organisation(raw, context, organisations)
        provider_code, provider_id = check_providers(table, problems, own, organisations)
        case_reference = check_case_references(table, problems)
        today = dt.date.max if future_allowed else context.today
        date = dates(table, problems, date_column, today)
        return cls(
            table,
            problems,
            provider_code,
            provider_id,
            case_reference,
            date,
            date_column,
            months(date),
        )

    def finish(self, raw: RawFile, context: LoadContext) -> None:
        """The file's synthetic flag, the period it covers, and each row's participant:
        held by the row's provider (real or synthetic as the file is) and referred no
        later than the row's date."""
        problems = self.problems
        flags = synthetic_flags(self.table, problems)
        flag_outside_period(problems, self.month, context.period, self.date_column)
        self.synthetic = file_synthetic(raw.name, flags, np.flatnonzero(~problems.found))
        rows = ~problems.found
        referral = referral_dates(self.provider_id, self.case_reference, rows, self.synthetic)
        if rows.any() and np.isnat(referral[rows]).all():
            raise FileRefused(
                raw.name,
                f"none of its participants is held ({'synthetic' if self.synthetic else 'real'}"
                " participants with these providers' case references); load the participants "
                "file first (or in the same command: vrn ingest interventions FILE...)",
            )
        providers = self.provider_code
        problems.flag(
            rows & np.isnat(referral),
            "case_reference",
            lambda found: [
                f"no participant with this case reference for {providers[row]}" for row in found
            ],
        )
        with np.errstate(invalid="ignore"):
            early = ~np.isnat(referral) & ~np.isnat(self.date) & (self.date < referral)
        problems.flag(early, self.date_column, checks.BEFORE_REFERRAL)

    @property
    def valid(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        return np.flatnonzero(~self.problems.found)

    def common_columns(self, context: LoadContext) -> list[list[Any]]:
        """The values of :data:`COMMON_FIELDS` for the valid rows."""
        valid = self.valid
        return common_columns(
            self.table, valid, self.synthetic, self.provider_id, self.case_reference, context
        )

    def rejections(self) -> list[Rejection]:
        return protected(self.table, self.table.rejections(self.problems))


def common_columns(
    table: PartnerTable,
    valid: np.ndarray[Any, np.dtype[np.intp]],
    synthetic: bool,
    provider_id: Array,
    case_reference: Array,
    context: LoadContext,
) -> list[list[Any]]:
    """The values of :data:`COMMON_FIELDS` for rows ``valid``: recorded by the loader,
    now."""
    count = len(valid)
    now = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return [
        table.line_numbers[valid].tolist(),
        [synthetic] * count,
        [int(pk) for pk in provider_id[valid]],
        case_reference[valid].tolist(),
        [context.loaded_by[:150]] * count,
        [now] * count,
    ]


def json_text(value: Any) -> str:
    """A JSON field's value as the bulk insert writes it (text on either database)."""
    return json.dumps(value, ensure_ascii=False)
