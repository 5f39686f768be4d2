"""Indicators (Fingertips all-data CSV): values, every rejection path, header variants,
idempotency and replacement by indicator."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from vrn.indicators.models import IndicatorValue
from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import LoadContext

from ..partners import (
    PARTNERS,
    accounted,
    assert_third_row_quarantined,
    load,
    other_files,
    quarantine,
    read_rows,
    rejection_cases,
    write_csv,
)

pytestmark = pytest.mark.django_db

INDICATORS = PARTNERS / "indicators.csv"
HEADER, ROWS = read_rows(INDICATORS)
GOOD = {
    "Indicator ID": "90001",
    "Indicator Name": "First time entrants to the youth justice system",
    "Area Code": "E06000016",
    "Area Name": "Leicester",
    "Area Type": "Counties & UAs (from Apr 2023)",
    "Sex": "Persons",
    "Age": "10-17 yrs",
    "Time period": "2023",
    "Value": "250.5",
    "Lower CI 95.0 limit": "220.1",
    "Upper CI 95.0 limit": "280.9",
}


def test_loads_every_row(db: None, context: LoadContext) -> None:
    result = load("indicators", INDICATORS, context)

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 5, 5)
    assert accounted(result)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["indicator", "11201"],
        ["indicator", "93203"],
    ]
    leicester = IndicatorValue.objects.get(area_code="E06000016", indicator_id=11201, category="")
    assert (leicester.value, leicester.lower_ci_95, leicester.upper_ci_99_8) == (52.1, 48.3, 58.3)
    assert (leicester.count, leicester.denominator) == (578.0, 1109000.0)
    assert (leicester.compared_to_england, leicester.compared_to_parent) == ("Worse", "Worse")
    assert (leicester.time_period, leicester.time_period_sortable) == ("2020/21 - 22/23", 20200000)
    assert leicester.parent_code == "E12000004"
    rutland = IndicatorValue.objects.get(area_code="E06000017")
    assert (rutland.value, rutland.lower_ci_95) == (None, None)
    assert rutland.value_note.startswith("Value suppressed")
    decile = IndicatorValue.objects.get(category="Most deprived decile (IMD2019)")
    assert decile.category_type.startswith("County & UA deprivation deciles")


@pytest.mark.parametrize(
    "parent_heading",
    [
        "Compared to percentiles",
        "Compared to CCGs (from Apr 2021) value or percentiles",
        "compared to parent value or percentiles",
    ],
)
def test_the_parent_comparison_heading_varies(
    db: None, context: LoadContext, tmp_path: Path, parent_heading: str
) -> None:
    header = [*GOOD, "Compared to England value or percentiles", parent_heading]
    row = {**GOOD, "Compared to England value or percentiles": "Better", parent_heading: "Higher"}
    result = load("indicators", write_csv(tmp_path / "i.csv", header, [row]), context)
    assert result.status == "loaded"
    value = IndicatorValue.objects.get()
    assert (value.compared_to_england, value.compared_to_parent) == ("Better", "Higher")


REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    *[
        (f"{name}-empty", {name: ""}, name, "is empty; this column is required")
        for name in (
            "Indicator ID",
            "Indicator Name",
            "Area Code",
            "Area Name",
            "Area Type",
            "Sex",
            "Age",
            "Time period",
        )
    ],
    ("id", {"Indicator ID": "90001.5"}, "Indicator ID", "'90001.5' is not a whole number"),
    ("sex", {"Sex": "All"}, "Sex", "'All' is not one of: Persons, Male, Female"),
    ("value", {"Value": "n/a"}, "Value", "'n/a' is not a number"),
    ("count", {"Count": "many"}, "Count", "'many' is not a number"),
    ("count-negative", {"Count": "-3"}, "Count", "'-3' is negative; a count cannot be"),
    ("value-nan", {"Value": "NaN"}, "Value", "'NaN' is not a number"),
    ("limit-infinite", {"Upper CI 95.0 limit": "inf"}, "Upper CI 95.0 limit", "not a number"),
    ("sortable", {"Time period Sortable": "2023Q1"}, "Time period Sortable", "not a whole number"),
    (
        "limits",
        {"Lower CI 95.0 limit": "300", "Value": ""},
        "Lower CI 95.0 limit",
        "is above the upper limit",
    ),
    ("below", {"Value": "200"}, "Value", "is below its lower 95.0% limit"),
    ("above", {"Value": "300"}, "Value", "is above its upper 95.0% limit"),
    (
        "above-99.8",
        {"Upper CI 99.8 limit": "250"},
        "Value",
        "is above its upper 99.8% limit",
    ),
    ("area-long", {"Area Code": "E" * 21}, "Area Code", "is longer than 20 characters"),
    (
        "duplicate",
        {"Time period": "2021"},
        "Indicator ID",
        "duplicates the indicator, area, sex, age, category and period on line 2",
    ),
]


@rejection_cases(REJECTIONS)
def test_each_rejection_path(
    db: None,
    context: LoadContext,
    tmp_path: Path,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    header = [*GOOD, "Time period Sortable", "Count", "Upper CI 99.8 limit"]
    rows = [{**GOOD, "Time period": period} for period in ("2021", "2022", "2023")]
    rows[2].update(changes)
    result = load("indicators", write_csv(tmp_path / "i.csv", header, rows), context)

    assert_third_row_quarantined(result, field, reason)


def test_unknown_column_refuses_the_file(db: None, context: LoadContext, tmp_path: Path) -> None:
    header = [*GOOD, "Valeu"]
    result = load("indicators", write_csv(tmp_path / "i.csv", header, [GOOD]), context)
    assert result.status == "refused"
    assert "does not have: 'Valeu'" in result.message


def test_a_newer_export_replaces_the_same_indicators(
    db: None, context: LoadContext, tmp_path: Path
) -> None:
    first = load("indicators", INDICATORS, context)
    assert load("indicators", INDICATORS, context).status == "unchanged"
    revised = [{**row, "Value": ""} for row in ROWS]
    revised_file = write_csv(tmp_path / "i.csv", HEADER, revised)
    result = load("indicators", revised_file, other_files(context))
    assert result.status == "replaced"
    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.SUPERSEDED
    assert set(IndicatorValue.objects.values_list("value", flat=True)) == {None}

    only_one = [row for row in ROWS if row["Indicator ID"] == "11201"]
    partial = load("indicators", write_csv(tmp_path / "one.csv", HEADER, only_one), context)
    assert partial.status == "refused"
    assert "covers indicator 11201 but load" in partial.message

    other = load("indicators", write_csv(tmp_path / "new.csv", [*GOOD], [GOOD]), context)
    assert other.status == "loaded"  # another indicator: a partition of its own


def test_fixture_rows_with_negative_counts_or_non_finite_numbers_are_quarantined(
    db: None, context: LoadContext, tmp_path: Path
) -> None:
    """The fixture's rows load; copies of one (for other periods) with a negative count or
    denominator, a NaN or infinite value or limit, or a value outside its limits do not."""
    leicester = ROWS[1]
    bad = [
        ({"Count": "-578"}, "Count", "'-578' is negative; a count cannot be"),
        ({"Denominator": "-1109000"}, "Denominator", "is negative; a denominator cannot be"),
        ({"Value": "nan"}, "Value", "'nan' is not a number"),
        ({"Lower CI 99.8 limit": "-Infinity"}, "Lower CI 99.8 limit", "is not a number"),
        ({"Value": "1e400"}, "Value", "'1e400' is not a number"),
        ({"Value": "60.0"}, "Value", "is above its upper 95.0% limit"),
    ]
    copies = [
        {**leicester, **changes, "Time period": f"20{10 + number}/{11 + number}"}
        for number, (changes, _, _) in enumerate(bad)
    ]
    zero = {**leicester, "Count": "0", "Time period": "2009/10"}  # zero is not negative
    rows = [*ROWS, zero, *copies]
    result = load("indicators", write_csv(tmp_path / "i.csv", HEADER, rows), context)

    assert (result.status, result.rows_read, result.rows_loaded) == (
        "loaded",
        len(ROWS) + 1 + len(bad),
        len(ROWS) + 1,
    )
    assert accounted(result)
    quarantined = quarantine(result)
    assert [(field, line) for line, field, _ in quarantined] == [
        (field, len(ROWS) + 3 + number) for number, (_, field, _) in enumerate(bad)
    ]
    for (_, _, reason), (_, _, expected) in zip(quarantined, bad, strict=True):
        assert expected in reason
    stored = IndicatorValue.objects.values_list("count", "denominator", "value")
    assert all(
        number is None or (math.isfinite(number) and (name == "value" or number >= 0))
        for row in stored
        for name, number in zip(("count", "denominator", "value"), row, strict=True)
    )
