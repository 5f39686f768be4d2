"""Migrations that change data, run forwards on data the earlier schema allowed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ingest", "0002_fileload_synthetic_table_withdrawn")]
AFTER = [("ingest", "0003_one_current_copy")]


@pytest.mark.django_db(transaction=True)
def test_a_file_current_twice_keeps_its_first_copy_before_the_constraint() -> None:
    """Two loads at once could once load a file twice; the migration that forbids it
    withdraws the later copy (its rows deleted, recorded) instead of failing."""
    try:
        _withdraw_the_later_copy()
    finally:  # the rest of the suite needs the latest schema
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _withdraw_the_later_copy() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    FileLoad = old.get_model("ingest", "FileLoad")
    StreetCrime = old.get_model("crime", "StreetCrime")
    copies = [
        FileLoad.objects.create(
            dataset="police-uk-street",
            file_name="2023-01-leicestershire-street.csv",
            sha256="a" * 64,
            size_bytes=1,
            loaded_at="2024-01-01T00:00:00Z",
            loaded_by="test",
            rows_read=1,
            rows_loaded=1,
            rows_quarantined=0,
            table="crime.StreetCrime",
        )
        for _ in range(2)
    ]
    for load in copies:
        StreetCrime.objects.create(
            load=load,
            line_number=2,
            crime_id="",
            month="2023-01-01",
            reported_by="Leicestershire Police",
            falls_within="Leicestershire Police",
            crime_type="Anti-social behaviour",
            lsoa_match="none",
            in_network_area=False,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    loads = new.get_model("ingest", "FileLoad").objects.order_by("pk")
    assert list(loads.values_list("status", flat=True)) == ["current", "withdrawn"]
    crimes = new.get_model("crime", "StreetCrime").objects
    assert list(crimes.values_list("load_id", flat=True)) == [copies[0].pk]
    event = new.get_model("audit", "AuditEvent").objects.get()
    assert (event.action, event.target) == (
        "ingest.withdraw",
        f"load {copies[1].pk} (2023-01-leicestershire-street.csv)",
    )
    assert event.detail["rows_deleted"] == 1
