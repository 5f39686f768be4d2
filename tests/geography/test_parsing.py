"""Reading CSV and GeoJSON files: BOMs, line numbers, numbers, codes, polygons."""

from __future__ import annotations

import doctest
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrn.geography import parsing
from vrn.geography.parsing import (
    ReferenceDataError,
    check_codes,
    check_unique,
    numbers,
    parse_numbers,
    read_csv,
    read_features,
    whole_numbers,
)

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def _csv(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def test_read_csv_strips_bom_and_indexes_by_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, '\ufeffcode,count,extra\nE01000001,"1,234",x\n\nE01000002,5,y\n')

    frame = read_csv(path, "table.csv", ["code", "count"])

    assert list(frame.columns) == ["code", "count"]
    assert frame.to_dict("index") == {
        2: {"code": "E01000001", "count": "1,234"},
        4: {"code": "E01000002", "count": "5"},
    }


def test_read_csv_reads_gzip(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\ufeffcode\nE01000001\n", "table.csv.gz")

    assert read_csv(path, "table.csv.gz", ["code"])["code"].tolist() == ["E01000001"]


def test_read_csv_names_missing_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "code,name\nE01000001,A\n")

    with pytest.raises(ReferenceDataError, match=r"t\.csv: missing column\(s\) count, rank"):
        read_csv(path, "t.csv", ["code", "count", "rank"])


def test_read_csv_refuses_ragged_rows(tmp_path: Path) -> None:
    path = _csv(tmp_path, "code,name\nE01000001,A\nE01000002,B,extra\n")

    with pytest.raises(ReferenceDataError, match=r"t\.csv line 3: 3 fields, expected 2"):
        read_csv(path, "t.csv", ["code"])


def test_parse_numbers_handles_thousands_separators() -> None:
    values = pd.Series(["29,199", "1,234,567.5", "-0.5", "8.0", "1e-3", "12,34", "1,2345", "", "x"])

    parsed = parse_numbers(values).tolist()

    assert parsed[:5] == [29199.0, 1234567.5, -0.5, 8.0, 0.001]
    assert all(pd.isna(value) for value in parsed[5:])


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_numbers_reads_any_integer_written_with_separators(number: int) -> None:
    written = pd.Series([f"{number:,}", str(number)])

    assert parse_numbers(written).tolist() == [float(number), float(number)]


def test_numbers_reports_line_and_field() -> None:
    frame = pd.DataFrame({"score": ["1.5", "n/a"]}, index=[2, 3])

    with pytest.raises(
        ReferenceDataError, match=r"f\.csv: field score is not a number: line 3 'n/a'"
    ):
        numbers("f.csv", frame, "score")


def test_whole_numbers_accept_float_text_that_is_whole() -> None:
    frame = pd.DataFrame({"rank": ["8.0", "26,525.0"]}, index=[2, 3])

    assert whole_numbers("f.csv", frame, "rank", low=1).tolist() == [8, 26525]


@pytest.mark.parametrize("value", ["8.5", "0", "11"])
def test_whole_numbers_refuse_fractions_and_out_of_range(value: str) -> None:
    frame = pd.DataFrame({"decile": ["1", value]}, index=[2, 3])

    with pytest.raises(ReferenceDataError, match=f"field decile .* 1 to 10: line 3 '{value}'"):
        whole_numbers("f.csv", frame, "decile", low=1, high=10)


def test_check_codes_quotes_the_first_few_bad_rows() -> None:
    codes = ["E01000001", "E0100001", "", "e01000001", "E01000001X", "X01000001", "E0100000A"]
    frame = pd.DataFrame({"code": codes}, index=range(2, 9))

    with pytest.raises(ReferenceDataError) as error:
        check_codes("f.csv", frame, "code")

    assert str(error.value) == (
        "f.csv: field code is not a 9-character GSS code such as E01013600: "
        "line 3 'E0100001', line 4 '', line 5 'e01000001', line 6 'E01000001X', "
        "line 7 'X01000001' and 1 more"
    )


def test_check_unique_names_the_repeated_line() -> None:
    frame = pd.DataFrame({"code": ["A", "B", "A"], "group": ["1", "1", "1"]}, index=[2, 3, 4])

    with pytest.raises(ReferenceDataError, match=r"field code repeats .* code and group: line 4"):
        check_unique("f.csv", frame, ["code", "group"])


def _geojson(tmp_path: Path, *features: dict[str, object]) -> Path:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def _feature(code: object, geometry: object) -> dict[str, object]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def test_read_features_returns_codes_and_geometry(tmp_path: Path) -> None:
    path = _geojson(tmp_path, _feature("E01000001", SQUARE))

    assert read_features(path, "areas.geojson", "code") == [("E01000001", SQUARE)]


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        (_feature("E0100000", SQUARE), ": field code is not a 9-character GSS code"),
        (_feature("E01000002", BOWTIE), r" \(E01000002\): field geometry is not a valid"),
        (_feature("E01000002", {"type": "Polygon"}), "field geometry is unreadable"),
        (_feature("E01000002", {"type": "Point", "coordinates": [0, 0]}), r"polygon \(Point\)"),
        ({"type": "Feature"}, ": not a GeoJSON feature"),
    ],
)
def test_read_features_names_the_bad_feature(
    tmp_path: Path, feature: dict[str, object], message: str
) -> None:
    path = _geojson(tmp_path, _feature("E01000001", SQUARE), feature)

    with pytest.raises(ReferenceDataError, match=rf"areas\.geojson feature 2.*{message}"):
        read_features(path, "areas.geojson", "code")


def test_docstring_examples() -> None:
    assert doctest.testmod(parsing) == (0, 1)  # (failed, attempted)
