"""Fast bulk insert of many rows into one table, the way each database does it best.

PostgreSQL gets ``COPY ... FROM STDIN``; SQLite gets one prepared ``executemany``.
Both run inside the caller's transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def bulk_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table.

    ``fields`` are model field names (``load`` for a foreign key); values must already be
    database-ready (``None`` for NULL, ISO strings or dates for dates). Returns the count.
    """
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            batch = list(rows)
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", batch
            )
            count = len(batch)
    return count
