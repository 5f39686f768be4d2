"""The load of one file, the same for every dataset.

A :class:`Dataset` knows its format: it parses and validates a file into rows to load,
rows to quarantine and the partitions (e.g. force and month) the file is the authority
for, which follow from the period the file declares (:mod:`vrn.ingest.period`), never
from a stray row. :func:`load_file` does the rest, identically for every dataset:

* the same content loaded again (same SHA-256 as a current load) changes nothing;
* a file whose partitions were loaded before replaces them: the rows of the earlier load
  are deleted and the load is marked superseded, recorded in the audit trail. Without
  ``LoadContext.replace_other_files`` a file replaces only a corrected copy of itself: a
  load of the same file name covering the same partitions; and only whole loads;
* the decision and the writes for one file happen in one transaction that holds the
  dataset's lock, so loads running at the same time give the result of one after the
  other; an error or Ctrl-C part-way leaves the database as it was before that file;
* values that do not fit their columns are quarantined before the database sees them
  (:mod:`vrn.ingest.fit`), so every database gives the same outcome;
* ``rows_read == rows_loaded + rows_quarantined`` is stored with the load and enforced
  by a database constraint;
* whatever goes wrong with one file, the result is an accounting line for it (status
  ``refused`` or ``failed``), never an exception, and the next file of a batch loads.

:func:`withdraw_loads` removes whole loads (their rows, not the record of the load), for
data that is replaced as a whole rather than partition by partition, such as a synthetic
world generated again.
"""

from __future__ import annotations

import abc
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from vrn.audit.events import record as audit
from vrn.ingest.bulk import ColumnRows, bulk_insert
from vrn.ingest.fit import rows_that_do_not_fit
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.period import Period
from vrn.ingest.reading import FileRefused, RawFile, read_text_file

logger = logging.getLogger(__name__)

#: Refuse a file whole when more than this share of its rows would be quarantined.
DEFAULT_MAX_REJECTED_SHARE = 0.5


@dataclass(frozen=True)
class Rejection:
    """A row refused into quarantine: where it is, which field, and why."""

    line_number: int
    field: str
    reason: str
    raw: dict[str, str]


@dataclass
class ParsedFile:
    """What a dataset made of one file, before anything touches the database."""

    rows_read: int
    partitions: list[list[str]]
    #: Values of ``Dataset.fields`` for each row to load: tuples, or ColumnRows (faster).
    rows: Sequence[Sequence[Any]]
    rejections: list[Rejection] = field(default_factory=list)
    #: The file is synthetic data (stored on the FileLoad; its rows say so themselves).
    synthetic: bool = False


@dataclass(frozen=True)
class LoadContext:
    """Facts from outside the file: who loads, today's date, and the loader's choices."""

    loaded_by: str
    today: date
    #: The period the files cover, as declared by the loader (``--period``); None: each
    #: file's own (the month in a data.police.uk file's name; a partner file's rows).
    period: Period | None = None
    #: A file may replace rows loaded from a file of another name
    #: (``--replace-other-files``); otherwise such a load is refused.
    replace_other_files: bool = False
    #: The organisation (``accounts.Organisation.code``) the files are loaded for
    #: (``--organisation``; a web upload: the uploader's). Formats whose rows name their
    #: organisation quarantine rows of any other; None: each row's own.
    organisation: str | None = None


class Dataset(abc.ABC):
    """A file format the platform loads. Subclasses set the attributes and ``parse``."""

    #: Stable name stored on each FileLoad, e.g. "police-uk-street".
    name: str
    #: The model rows go into (it has a ``load`` foreign key to FileLoad), and the model
    #: fields in the order ``parse`` produces them (not ``load``: the pipeline adds it).
    model: Any
    fields: Sequence[str]
    #: The file's heading for a field where it differs from the field's name (messages).
    field_headings: Mapping[str, str] = {}
    #: Without ``--period``, the months a file covers come from its rows (partner
    #: extracts); False where a file covers one declared month, or no months at all.
    period_from_rows: bool = True

    @abc.abstractmethod
    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        """Validate ``raw``; raise FileRefused if the file as a whole is unacceptable."""

    def batch_order(self, paths: Sequence[Path]) -> list[Path]:
        """The order to load a batch of files in (default: as given). A format whose files
        depend on each other, such as people files on crimes files, puts the others first."""
        return list(paths)


@dataclass(frozen=True)
class FileResult:
    """The accounting for one file, as shown in the summary table and ``--json``."""

    file: str
    sha256: str
    status: str  # loaded | replaced | unchanged | refused | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""
    load_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "status": self.status,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "message": self.message,
            "load_id": self.load_id,
        }


def load_file(
    dataset: Dataset,
    path: Path,
    context: LoadContext,
    max_rejected_share: float = DEFAULT_MAX_REJECTED_SHARE,
) -> FileResult:
    """Load one file into ``dataset``; see the module docstring for the guarantees.

    Never raises for anything in the file or the database: a file that cannot be loaded
    gets a result with status ``refused`` (the file is at fault, the message says how)
    or ``failed`` (an unexpected error; nothing from the file was stored)."""
    sha256 = ""
    try:
        raw = read_text_file(path)
        sha256 = raw.sha256
        return _load(dataset, raw, context, max_rejected_share)
    except FileRefused as refusal:
        return FileResult(
            file=path.name or str(path), sha256=sha256, status="refused", message=refusal.problem
        )
    except Exception as error:  # one file's failure must not stop a batch or show a trace
        logger.debug("loading %s failed", path.name, exc_info=True)
        return FileResult(
            file=path.name or str(path),
            sha256=sha256,
            status="failed",
            message=(
                f"was not loaded because of an unexpected error ({type(error).__name__}: "
                f"{_shortened(str(error))}); nothing from it was stored"
            ),
        )


def _load(
    dataset: Dataset, raw: RawFile, context: LoadContext, max_rejected_share: float
) -> FileResult:
    existing = _current_load_of(dataset, raw.sha256)
    if existing is not None:
        return _unchanged(raw, existing)
    loads_seen = _loads_of(dataset)
    parsed = _parse(dataset, raw, context, max_rejected_share)
    with transaction.atomic():
        lock_dataset(dataset.name)
        # Decided again under the lock: another process may have loaded it meanwhile.
        existing = _current_load_of(dataset, raw.sha256)
        if existing is not None:
            return _unchanged(raw, existing)
        if _loads_of(dataset) != loads_seen:
            # Its loads changed while the file was parsed; checks that read them (records
            # already loaded, a people file's crimes) are made again, now under the lock.
            parsed = _parse(dataset, raw, context, max_rejected_share)
        load, replaced = _record_load(dataset, raw, parsed, context)
    return FileResult(
        file=raw.name,
        sha256=raw.sha256,
        status="replaced" if replaced else "loaded",
        rows_read=load.rows_read,
        rows_loaded=load.rows_loaded,
        rows_quarantined=load.rows_quarantined,
        message=_replacement_message(replaced),
        load_id=load.pk,
    )


def _current_load_of(dataset: Dataset, sha256: str) -> FileLoad | None:
    return FileLoad.objects.filter(
        dataset=dataset.name, sha256=sha256, status=FileLoad.Status.CURRENT
    ).first()


def _parse(
    dataset: Dataset, raw: RawFile, context: LoadContext, max_rejected_share: float
) -> ParsedFile:
    parsed = dataset.parse(raw, context)
    _quarantine_misfits(dataset, parsed)
    _check_rejected_share(raw, parsed, max_rejected_share)
    return parsed


def _loads_of(dataset: Dataset) -> tuple[int | None, int]:
    """What changes when a load of the dataset is made, replaced or withdrawn: the newest
    load's id and the number of current loads."""
    loads = FileLoad.objects.filter(dataset=dataset.name)
    return (
        loads.order_by("-pk").values_list("pk", flat=True).first(),
        loads.filter(status=FileLoad.Status.CURRENT).count(),
    )


def lock_dataset(name: str) -> None:
    """Hold the lock of dataset ``name`` until the end of the current transaction, so that
    loads and withdrawals of the dataset decide what they change one after the other.

    PostgreSQL: a transaction-level advisory lock keyed by the dataset's name. SQLite:
    the transaction itself began with ``BEGIN IMMEDIATE`` (settings), which already
    holds the database's only write lock."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"vrn.ingest:{name}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def _quarantine_misfits(dataset: Dataset, parsed: ParsedFile) -> None:
    """Move rows with a value that does not fit its column into quarantine."""
    rows = parsed.rows
    if not isinstance(rows, ColumnRows):
        rows = ColumnRows.from_rows(rows, len(dataset.fields))
    parsed.rows = rows
    misfits = rows_that_do_not_fit(dataset.model, dataset.fields, rows.columns)
    if not misfits:
        return
    dropped = {misfit.row for misfit in misfits}
    kept = [row for row in range(len(rows)) if row not in dropped]
    parsed.rows = ColumnRows([[column[row] for row in kept] for column in rows.columns])
    line_numbers = rows.columns[list(dataset.fields).index("line_number")]
    parsed.rejections = sorted(
        [
            *parsed.rejections,
            *(
                Rejection(
                    int(line_numbers[misfit.row]),
                    dataset.field_headings.get(misfit.field, misfit.field),
                    misfit.reason,
                    {},
                )
                for misfit in misfits
            ),
        ],
        key=lambda rejection: rejection.line_number,
    )


def _shortened(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def load_files(
    dataset: Dataset,
    paths: Sequence[Path],
    context: LoadContext,
    on_file_done: Callable[[FileResult], None] | None = None,
    max_rejected_share: float = DEFAULT_MAX_REJECTED_SHARE,
) -> list[FileResult]:
    """Load each file in turn, in the dataset's batch order, each atomically on its own,
    and report after each."""
    results = []
    for path in dataset.batch_order(paths):
        result = load_file(dataset, path, context, max_rejected_share=max_rejected_share)
        results.append(result)
        if on_file_done is not None:
            on_file_done(result)
    return results


@transaction.atomic
def withdraw_loads(loads: Sequence[FileLoad]) -> int:
    """Delete the rows of these current loads and mark them withdrawn, in one transaction;
    the loads themselves (and their quarantine) stay, as the record of what was loaded.
    Returns the number of rows deleted."""
    ids = [load.pk for load in loads if load.status == FileLoad.Status.CURRENT]
    if not ids:
        return 0
    current = FileLoad.objects.select_for_update().filter(
        pk__in=ids, status=FileLoad.Status.CURRENT
    )
    by_table: dict[str, list[int]] = {}
    for pk, table in current.values_list("pk", "table"):
        by_table.setdefault(table, []).append(pk)
    deleted = 0
    for table, pks in by_table.items():
        for model in [apps.get_model(table)] if table else tables_with_loads():
            deleted += model._default_manager.filter(load_id__in=pks).delete()[0]
    FileLoad.objects.filter(pk__in=[pk for pks in by_table.values() for pk in pks]).update(
        status=FileLoad.Status.WITHDRAWN
    )
    return deleted


def tables_of(load: FileLoad) -> list[type[models.Model]]:
    """The table a load's rows went into; every table with loads for a load from before
    ``FileLoad.table``."""
    return [apps.get_model(load.table)] if load.table else tables_with_loads()


def tables_with_loads() -> list[type[models.Model]]:
    """Every model with a ``load`` foreign key to FileLoad (for loads older than
    ``FileLoad.table``)."""
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "load"), None)
        if isinstance(field, models.ForeignKey) and field.related_model is FileLoad:
            found.append(model)
    return found


def _unchanged(raw: RawFile, existing: FileLoad) -> FileResult:
    return FileResult(
        file=raw.name,
        sha256=raw.sha256,
        status="unchanged",
        rows_read=existing.rows_read,
        rows_loaded=existing.rows_loaded,
        rows_quarantined=existing.rows_quarantined,
        message=f"already loaded as load {existing.pk} on {existing.loaded_at:%Y-%m-%d %H:%M}",
        load_id=existing.pk,
    )


def _check_rejected_share(raw: RawFile, parsed: ParsedFile, max_share: float) -> None:
    if parsed.rows_read == 0:
        raise FileRefused(raw.name, "has a header but no data rows")
    rejected = len(parsed.rejections)
    if rejected / parsed.rows_read > max_share:
        examples = "; ".join(
            f"line {r.line_number}, {r.field}: {r.reason}" for r in parsed.rejections[:3]
        )
        raise FileRefused(
            raw.name,
            f"{rejected:,} of {parsed.rows_read:,} rows are invalid (more than "
            f"{max_share:.0%}), so the file looks corrupt and was not loaded. "
            f"First problems: {examples}",
        )


def _record_load(
    dataset: Dataset, raw: RawFile, parsed: ParsedFile, context: LoadContext
) -> tuple[FileLoad, list[FileLoad]]:
    """Inside one transaction: supersede, delete, insert rows and quarantine, record."""
    replaced = _loads_replaced_by(dataset, raw, parsed.partitions, context)
    deleted = {old.pk: dataset.model.objects.filter(load=old).delete()[0] for old in replaced}
    load = FileLoad.objects.create(
        dataset=dataset.name,
        file_name=raw.name,
        sha256=raw.sha256,
        size_bytes=raw.size_bytes,
        loaded_at=timezone.now(),
        loaded_by=context.loaded_by[:150],
        partitions=parsed.partitions,
        rows_read=parsed.rows_read,
        rows_loaded=len(parsed.rows),
        rows_quarantined=len(parsed.rejections),
        synthetic=parsed.synthetic,
        table=dataset.model._meta.label,
    )
    FileLoad.objects.filter(
        pk__in=[old.pk for old in replaced], status=FileLoad.Status.CURRENT
    ).update(status=FileLoad.Status.SUPERSEDED, superseded_by=load)
    for old in replaced:
        audit(
            "ingest.replace",
            actor=context.loaded_by,
            target=f"load {old.pk} ({old.file_name})",
            dataset=dataset.name,
            rows_deleted=deleted[old.pk],
            replaced_by=load.pk,
            replaced_by_file=raw.name,
            same_file_name=old.file_name == raw.name,
        )
    load_id = load.pk
    rows = parsed.rows
    if not isinstance(rows, ColumnRows):
        rows = ColumnRows.from_rows(rows, len(dataset.fields))
    bulk_insert(dataset.model, ["load", *dataset.fields], rows.with_first_column(load_id))
    QuarantinedRow.objects.bulk_create(
        [
            QuarantinedRow(
                load=load,
                line_number=r.line_number,
                field=r.field[:100],
                reason=r.reason,
                raw=r.raw,
            )
            for r in parsed.rejections
        ],
        batch_size=1000,
    )
    return load, replaced


def _loads_replaced_by(
    dataset: Dataset, raw: RawFile, partitions: list[list[str]], context: LoadContext
) -> list[FileLoad]:
    """Current loads whose partitions this file covers. Refused: a load this file covers
    only in part; and, unless the loader allows it, any load that is not an earlier copy
    of this file (another file name, or other partitions). Every such load is named."""
    new = {tuple(p) for p in partitions}
    replaced, others = [], []
    current = FileLoad.objects.filter(dataset=dataset.name, status=FileLoad.Status.CURRENT)
    for load in current.select_for_update().order_by("pk"):
        old = {tuple(p) for p in load.partitions}
        if not old & new:
            continue
        if not old <= new:
            raise FileRefused(
                raw.name,
                f"covers {_describe(new & old)} but load {load.pk} ({load.file_name}) also "
                f"covers {_describe(old - new)}; a file replaces whole earlier loads only, so "
                "nothing was loaded. To replace part of that load, withdraw it first "
                f"(`vrn withdraw {load.pk}`) and load its other periods again",
            )
        replaced.append(load)
        if load.file_name != raw.name or old != new:
            others.append(load)
    if others and not context.replace_other_files:
        raise FileRefused(raw.name, _other_loads_problem(raw, others))
    if others and dataset.period_from_rows and context.period is None:
        raise FileRefused(
            raw.name,
            f"would replace {_list_loads(others)}, but --replace-other-files needs --period "
            "for this format: without it the months a file covers come from its rows, so "
            "one stray row could make it replace another month; nothing was loaded",
        )
    return replaced


def _other_loads_problem(raw: RawFile, others: list[FileLoad]) -> str:
    rows = sum(load.rows_loaded for load in others)
    same_name = [load for load in others if load.file_name == raw.name]
    problem = (
        f"would withdraw {rows:,} rows loaded earlier: {_list_loads(others)}; nothing was loaded. "
    )
    if same_name:
        covered = {tuple(p) for load in same_name for p in load.partitions}
        problem += (
            f"Load {same_name[0].pk} has this file's name but covers only "
            f"{_describe(covered)}, so this is not a corrected copy of it: a row dated "
            "outside the extract's period does this; declare the period with --period to "
            "quarantine such rows. "
        )
    return (
        problem
        + "If this file is meant to replace them, load it again with "
        + ("--replace-other-files")
    )


def _list_loads(loads: list[FileLoad]) -> str:
    return ", ".join(
        f"load {load.pk} ({load.file_name}, {load.rows_loaded:,} rows)" for load in loads
    )


def _describe(partitions: set[tuple[str, ...]], most: int = 6) -> str:
    listed = sorted(partitions)
    shown = ", ".join(" ".join(p) for p in listed[:most])
    return shown if len(listed) <= most else f"{shown} and {len(listed) - most:,} more"


def _replacement_message(replaced: list[FileLoad]) -> str:
    if not replaced:
        return ""
    return "replaced " + ", ".join(f"load {old.pk} ({old.file_name})" for old in replaced)
