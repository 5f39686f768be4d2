"""Withdrawing loads: count what goes, delete it, and say so in the audit trail.

The one way the application removes a load's rows (``vrn withdraw``, the admin's action on
file loads, and ``vrn demo`` replacing its synthetic world). :func:`plan` counts what a
withdrawal would remove (rows per table, and the quarantined rows that stay with the load
record) and refuses loads that are unknown or not current; :func:`withdraw` does it with
:func:`vrn.ingest.pipeline.withdraw_loads` and records one ``ingest.withdraw`` audit event
per load, all in one transaction. Counts only: no record is ever listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from vrn.audit import events
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import lock_dataset, tables_of, withdraw_loads

AUDIT_ACTION = "ingest.withdraw"
#: The largest id a load can have (a 64-bit key); a larger number names no load.
_LARGEST_ID = 2**63 - 1


class WithdrawalRefused(Exception):
    """Some of the loads asked for cannot be withdrawn; ``problems`` says why, one per load."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TableRows:
    """The rows of one load in one table."""

    model: str  # "app_label.ModelName"
    name: str  # the model's verbose name (plural), e.g. "admission episodes"
    rows: int


@dataclass(frozen=True)
class LoadCounts:
    """What withdrawing one load removes (``tables``) and keeps (``quarantined``)."""

    load_id: int
    dataset: str
    file_name: str
    synthetic: bool
    tables: list[TableRows]
    quarantined: int

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def target(self) -> str:
        """How the audit trail names the load."""
        return f"load {self.load_id} ({self.file_name})"


@dataclass(frozen=True)
class Withdrawal:
    """The counts of every load of one withdrawal, in the order asked."""

    loads: list[LoadCounts]

    @property
    def rows(self) -> int:
        return sum(load.rows for load in self.loads)

    @property
    def quarantined(self) -> int:
        return sum(load.quarantined for load in self.loads)


def plan(load_ids: Sequence[int]) -> Withdrawal:
    """Count what withdrawing these loads would remove; WithdrawalRefused if any of them
    is unknown or not current (already withdrawn, or superseded by a corrected file)."""
    ids = list(dict.fromkeys(int(pk) for pk in load_ids))
    found = FileLoad.objects.in_bulk([pk for pk in ids if 0 < pk <= _LARGEST_ID])
    problems = []
    for pk in ids:
        load = found.get(pk)
        if load is None:
            problems.append(f"there is no load {pk}")
        elif load.status == FileLoad.Status.WITHDRAWN:
            problems.append(f"load {pk} ({load.file_name}) is already withdrawn")
        elif load.status != FileLoad.Status.CURRENT:
            problems.append(
                f"load {pk} ({load.file_name}) is {load.get_status_display().lower()}: "
                "it has no rows of its own to withdraw"
            )
    if problems:
        raise WithdrawalRefused(problems)
    return Withdrawal([_counts(found[pk]) for pk in ids])


def withdraw(load_ids: Sequence[int], *, actor: str, address: str = "") -> Withdrawal:
    """Withdraw these loads (see :func:`plan`, which refuses the same loads) in one
    transaction: delete their rows, mark them withdrawn, and record an audit event for each
    load with its counts. Returns the counts as they were just before."""
    with transaction.atomic():
        # The datasets' locks first (as loads take them, in name order), so that no load
        # replaces these meanwhile and the counts are those of the rows deleted.
        ids = [pk for pk in map(int, load_ids) if 0 < pk <= _LARGEST_ID]
        datasets = FileLoad.objects.filter(pk__in=ids).values_list("dataset", flat=True)
        for name in sorted(set(datasets)):
            lock_dataset(name)
        withdrawal = plan(load_ids)
        loads = list(FileLoad.objects.filter(pk__in=[c.load_id for c in withdrawal.loads]))
        withdraw_loads(loads)
        for counts in withdrawal.loads:
            events.record(
                AUDIT_ACTION,
                actor=actor,
                address=address,
                target=counts.target,
                dataset=counts.dataset,
                synthetic=counts.synthetic,
                rows={table.model: table.rows for table in counts.tables},
                rows_deleted=counts.rows,
                quarantined_rows_kept=counts.quarantined,
            )
    return withdrawal


def _counts(load: FileLoad) -> LoadCounts:
    tables = []
    for model in tables_of(load):
        rows = model._default_manager.filter(load_id=load.pk).count()
        if rows or load.table:
            tables.append(TableRows(model._meta.label, str(model._meta.verbose_name_plural), rows))
    return LoadCounts(
        load_id=load.pk,
        dataset=load.dataset,
        file_name=load.file_name,
        synthetic=load.synthetic,
        tables=tables,
        quarantined=QuarantinedRow.objects.filter(load=load).count(),
    )
