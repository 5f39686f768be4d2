"""Reference fixture directory, writable copies of it, and a snapshot of the tables."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from vrn.geography.loaders import REFERENCE_MODELS
from vrn.geography.models import ReferenceLoad

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


@pytest.fixture
def reference_dir() -> Path:
    """The committed fixture directory (same layout as the real one); do not modify."""
    return REFERENCE


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture directory, for corrupted variants."""
    return Path(shutil.copytree(REFERENCE, tmp_path / "reference"))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every reference table, without surrogate ids, in a stable order."""
    tables = {}
    for model in REFERENCE_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        tables[model.__name__] = list(model.objects.order_by(*fields[:3]).values(*fields))
    tables["ReferenceLoad"] = list(ReferenceLoad.objects.order_by("id").values())
    return tables
