"""Writing the analyses' tables (CSV) and layers (GeoJSON), each file whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vrn.profile.management.commands.profile import write_atomically


def write_csv(path: Path, table: pd.DataFrame) -> Path:
    """``table`` as CSV (no index; floats as written by pandas, NaN as empty)."""
    write_atomically(path, table.to_csv(index=False, lineterminator="\n").encode())
    return path


def write_geojson(path: Path, collection: dict[str, Any]) -> Path:
    write_atomically(path, json.dumps(collection, default=_plain).encode())
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
