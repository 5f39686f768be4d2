"""Reading and checking public data files: BOMs, thousands separators, GSS codes, GeoJSON.

Pure functions (no Django). A CSV table is read as text, one row per data line,
indexed by its 1-based line number in the file (the header is line 1), so that every
problem can be reported as file, line and field; GeoJSON problems name the feature.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
import shapely.geometry
from shapely.errors import ShapelyError

#: A 9-character ONS (GSS) code: country letter and eight digits, e.g. E01013600.
GSS_CODE = r"[EWSN]\d{8}"
#: A decimal number, optionally with thousands separators ("29,199", "-1.771", "8.0").
NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?"
#: How many bad values an error message quotes before summarising the rest.
QUOTED_PROBLEMS = 5


class ReferenceDataError(ValueError):
    """A reference file is missing, malformed or inconsistent; nothing was loaded."""


def open_text(path: Path) -> TextIO:
    """Open a CSV file (gzipped if its name ends in .gz) as text, dropping any UTF-8 BOM."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_csv(path: Path, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Read a CSV as text with the given columns, indexed by line number.

    ``name`` is how the file is called in error messages. Blank lines are skipped;
    a missing column or a row with the wrong number of fields is a
    :class:`ReferenceDataError`. Columns not asked for are dropped.
    """
    wanted = list(columns)
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = [column.strip() for column in next(reader, [])]
        missing = [column for column in wanted if column not in header]
        if missing:
            raise ReferenceDataError(
                f"{name}: missing column(s) {', '.join(missing)}; "
                f"the header has {', '.join(header) or 'nothing'}"
            )
        rows, lines = [], []
        for row in reader:
            if not any(field.strip() for field in row):
                continue
            if len(row) != len(header):
                raise ReferenceDataError(
                    f"{name} line {reader.line_num}: {len(row)} fields, "
                    f"expected {len(header)} as in the header"
                )
            rows.append(row)
            lines.append(reader.line_num)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=str)
    return frame[wanted].apply(lambda column: column.str.strip())


def bad_values(name: str, frame: pd.DataFrame, column: str, bad: pd.Series, problem: str) -> None:
    """Raise a :class:`ReferenceDataError` quoting the rows where ``bad`` is true, if any.

    The message reads "<file>: field <column> <problem>: line <n> '<value>', ...".
    """
    if not bad.any():
        return
    found = frame.loc[bad, column]
    quoted = ", ".join(
        f"line {line} {value!r}" for line, value in found.head(QUOTED_PROBLEMS).items()
    )
    more = f" and {len(found) - QUOTED_PROBLEMS} more" if len(found) > QUOTED_PROBLEMS else ""
    raise ReferenceDataError(f"{name}: field {column} {problem}: {quoted}{more}")


def check_codes(name: str, frame: pd.DataFrame, column: str) -> None:
    """Check that every value of ``column`` is a GSS code."""
    bad = ~frame[column].str.fullmatch(GSS_CODE, na=False)
    bad_values(name, frame, column, bad, "is not a 9-character GSS code such as E01013600")


def check_present(name: str, frame: pd.DataFrame, column: str) -> None:
    """Check that no value of ``column`` is empty."""
    bad_values(name, frame, column, frame[column] == "", "is empty")


def check_unique(name: str, frame: pd.DataFrame, columns: list[str]) -> None:
    """Check that no two rows share the same values of ``columns``."""
    repeated = frame.duplicated(columns, keep="first")
    key = " and ".join(columns)
    bad_values(name, frame, columns[0], repeated, f"repeats an earlier row with the same {key}")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse text to floats, allowing thousands separators; NaN where not a number.

    >>> parse_numbers(pd.Series(["29,199", "-1.771", "8.0", "1,2", ""])).tolist()
    [29199.0, -1.771, 8.0, nan, nan]
    """
    valid = values.str.fullmatch(NUMBER, na=False)
    numbers = values.where(valid).str.replace(",", "", regex=False)
    return pd.to_numeric(numbers).astype(float)


def numbers(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """The values of ``column`` as floats; any value that is not a number is an error."""
    parsed = parse_numbers(frame[column])
    bad_values(name, frame, column, parsed.isna(), "is not a number")
    return parsed


def whole_numbers(
    name: str, frame: pd.DataFrame, column: str, low: int = 0, high: int | None = None
) -> pd.Series:
    """The values of ``column`` as integers in ``[low, high]``; "8.0" is read as 8."""
    parsed = numbers(name, frame, column)
    bad = (parsed != parsed.round()) | (parsed < low)
    if high is not None:
        bad |= parsed > high
    limits = f"from {low}" + (f" to {high}" if high is not None else "")
    bad_values(name, frame, column, bad, f"is not a whole number {limits}")
    return parsed.astype("int64")


def read_features(path: Path, name: str, code_property: str) -> list[tuple[str, dict[str, Any]]]:
    """Read a GeoJSON FeatureCollection of polygons as (code, geometry) pairs, in file order.

    Each feature needs a GSS code in ``code_property`` and a valid Polygon or
    MultiPolygon; otherwise a :class:`ReferenceDataError` names the feature (1-based).
    """
    with open_text(path) as handle:
        collection = json.load(handle)
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise ReferenceDataError(f"{name}: not a GeoJSON FeatureCollection")
    return [
        _feature(name, number, feature, code_property) for number, feature in enumerate(features, 1)
    ]


def _feature(
    name: str, number: int, feature: Any, code_property: str
) -> tuple[str, dict[str, Any]]:
    """Check one GeoJSON feature and return its code and geometry."""
    where = f"{name} feature {number}"
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise ReferenceDataError(f"{where}: not a GeoJSON feature with properties")
    code = feature["properties"].get(code_property)
    if not isinstance(code, str) or not re.fullmatch(GSS_CODE, code):
        raise ReferenceDataError(
            f"{where}: field {code_property} is not a 9-character GSS code: {code!r}"
        )
    geometry = feature.get("geometry")
    try:
        polygon = shapely.geometry.shape(geometry)
    except (ShapelyError, AttributeError, KeyError, TypeError, ValueError) as error:
        raise ReferenceDataError(
            f"{where} ({code}): field geometry is unreadable: {error}"
        ) from error
    if polygon.geom_type not in {"Polygon", "MultiPolygon"} or not polygon.is_valid:
        raise ReferenceDataError(
            f"{where} ({code}): field geometry is not a valid polygon ({polygon.geom_type})"
        )
    return code, geometry
