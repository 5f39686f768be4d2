"""``vrn withdraw LOAD_ID... [--yes] [--user NAME]``: remove the rows of whole loads."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.ingest import withdrawal
from vrn.ingest.withdrawal import Withdrawal, WithdrawalRefused


class Command(BaseCommand):
    help = (
        "Withdraw file loads: delete their rows and mark them withdrawn, keeping the load "
        "records and their quarantined rows. Shows what will go (counts, never records), "
        "asks before deleting unless --yes, and records the withdrawal in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "load_ids", nargs="+", type=int, metavar="LOAD_ID", help="file load id (admin)"
        )
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--user", default=None, help="who is withdrawing (default: the operating-system user)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["load_ids"]
        try:
            planned = withdrawal.plan(ids)
        except WithdrawalRefused as refused:
            raise CommandError(_refusal(refused), returncode=1) from refused
        self.stdout.write(describe(planned))
        if not options["yes"] and not _confirmed(planned):
            self.stdout.write("Nothing withdrawn.")
            return
        try:
            done = withdrawal.withdraw(ids, actor=options["user"] or getpass.getuser())
        except WithdrawalRefused as refused:  # changed since the counts were shown
            raise CommandError(_refusal(refused), returncode=1) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Withdrew {_loads(len(done.loads))}: {done.rows:,} rows deleted, "
                f"{done.quarantined:,} quarantined rows kept with the load records."
            )
        )


def describe(planned: Withdrawal) -> str:
    """What withdrawing these loads removes, as counts."""
    lines = [f"Withdrawing {_loads(len(planned.loads))}:"]
    for load in planned.loads:
        kind = "synthetic" if load.synthetic else "real"
        lines.append(f"  load {load.load_id}: {load.dataset}, {load.file_name} ({kind})")
        for table in load.tables:
            lines.append(f"    {table.rows:>12,}  {table.name} ({table.model}) to delete")
        lines.append(f"    {load.quarantined:>12,}  quarantined rows, kept with the load record")
    lines.append(f"In all {planned.rows:,} rows to delete.")
    return "\n".join(lines)


def _confirmed(planned: Withdrawal) -> bool:
    try:
        answer = input(f"Delete these {planned.rows:,} rows? Type 'yes' to go on: ")
    except EOFError:
        return False
    return answer.strip().lower() == "yes"


def _refusal(refused: WithdrawalRefused) -> str:
    return "Nothing withdrawn: " + "; ".join(refused.problems) + "."


def _loads(count: int) -> str:
    return f"{count} load{'s' if count != 1 else ''}"
