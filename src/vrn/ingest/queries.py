"""What is loaded, for pages that say so: whether any synthetic data is loaded, and the rows
of every table that loads fill, real and synthetic apart.

A *loaded table* is any model with a ``load`` foreign key to :class:`FileLoad` and a
``synthetic`` flag (the partner row tables today); a new format's table is found without
being listed here. Counts come from the loads' accounting (``FileLoad.table`` and
``rows_loaded``), so they cost one query on the small table of loads however many rows
are loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Count, Sum
from django.utils.text import capfirst

from vrn.geography.models import ReferenceLoad
from vrn.ingest.models import FileLoad


@dataclass(frozen=True)
class LoadedRows:
    """Rows of one table, all synthetic or all real."""

    source: str  # the app's verbose name, e.g. "Police crime extract (person level)"
    records: str  # the model's verbose name (plural), e.g. "Crimes"
    model: str  # "app_label.ModelName"
    synthetic: bool
    rows: int


@dataclass(frozen=True)
class SyntheticLoad:
    """A current load of synthetic data."""

    pk: int
    dataset: str
    file_name: str
    sha256: str
    rows_loaded: int
    loaded_at: Any


def current_synthetic_loads() -> models.QuerySet[FileLoad]:
    return FileLoad.objects.filter(synthetic=True, status=FileLoad.Status.CURRENT)


def synthetic_data_loaded() -> bool:
    """Whether any synthetic data is loaded now: one small query on the table of loads (the
    base template asks on every page, see ``vrn.web.context_processors``)."""
    return current_synthetic_loads().exists()


def synthetic_loads() -> list[SyntheticLoad]:
    """The current synthetic loads, oldest first."""
    rows = (
        current_synthetic_loads()
        .order_by("loaded_at", "pk")
        .values_list("pk", "dataset", "file_name", "sha256", "rows_loaded", "loaded_at")
    )
    return [SyntheticLoad(*row) for row in rows]


@dataclass(frozen=True)
class DatasetLoads:
    """The current loads of one dataset (FileLoad.dataset), real or synthetic."""

    dataset: str
    synthetic: bool
    files: int
    rows: int


def current_loads_by_dataset() -> list[DatasetLoads]:
    """Current loads counted by dataset, real and synthetic apart, by dataset name."""
    rows = (
        FileLoad.objects.filter(status=FileLoad.Status.CURRENT)
        .values_list("dataset", "synthetic")
        .annotate(files=Count("pk"), rows=Sum("rows_loaded"))
        .order_by("dataset", "synthetic")
    )
    return [DatasetLoads(*row) for row in rows]


def loaded_tables() -> list[type[models.Model]]:
    """Every model that file loads fill and that flags synthetic rows, in app order."""
    found = []
    for model in apps.get_models():
        names = {field.name: field for field in model._meta.get_fields()}
        load, synthetic = names.get("load"), names.get("synthetic")
        if (
            isinstance(load, models.ForeignKey)
            and load.related_model is FileLoad
            and isinstance(synthetic, models.BooleanField)
        ):
            found.append(model)
    return found


def loaded_rows() -> list[LoadedRows]:
    """Rows in each loaded table (:func:`loaded_tables`), real and synthetic apart; tables
    with no rows left out. From the accounting of the current loads (their ``rows_loaded``
    are the rows in the table), so one small query on the loads, never a count of the
    tables themselves."""
    tables = {model._meta.label: model for model in loaded_tables()}
    counts = dict(
        ((table, synthetic), rows)
        for table, synthetic, rows in FileLoad.objects.filter(
            status=FileLoad.Status.CURRENT, table__in=list(tables)
        )
        .values_list("table", "synthetic")
        .annotate(rows=Sum("rows_loaded"))
        .order_by()
    )
    result = []
    for label, model in tables.items():
        meta = model._meta
        for synthetic in (False, True):
            rows = counts.get((label, synthetic))
            if rows:
                result.append(
                    LoadedRows(
                        source=str(meta.app_config.verbose_name) if meta.app_config else label,
                        records=capfirst(str(meta.verbose_name_plural)),
                        model=label,
                        synthetic=synthetic,
                        rows=rows,
                    )
                )
    return result


def data_state() -> str:
    """A fingerprint of the data loaded now: which loads are current (every load,
    correction or withdrawal changes it), the newest reference load, and the database, so
    a cache keyed by it never serves figures of other or older data."""
    loads = FileLoad.objects.order_by("pk").values_list("pk", "sha256", "status", "loaded_at")
    reference = ReferenceLoad.objects.order_by("-pk").values_list("pk", "loaded_at").first()
    database = connection.settings_dict["NAME"]
    text = repr((str(database), reference, list(loads)))
    return hashlib.sha256(text.encode()).hexdigest()
