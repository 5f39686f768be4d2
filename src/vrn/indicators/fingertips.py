"""Indicators in the layout of a Fingertips "all data" CSV (``vrn ingest indicators``;
docs/formats/indicators.md). A file is the authority for the indicators it contains: a
newer export of the same indicators replaces their earlier values."""

from __future__ import annotations

from typing import Any

import numpy as np

from vrn.indicators.models import IndicatorValue
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Positions, Problems
from vrn.ingest.partner_csv import (
    Array,
    Column,
    Layout,
    PartnerTable,
    check_code,
    check_length,
    check_required,
    file_synthetic,
    flag_duplicates,
    optional_integers,
    optional_numbers,
    parse_numbers,
    parse_whole_numbers,
    partitions,
    read_partner_table,
    record_keys,
    synthetic_flags,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.reading import RawFile

SEXES = ("Persons", "Male", "Female")
#: Text columns: heading -> (model field, longest value).
TEXT = {
    "Indicator Name": ("indicator_name", 255),
    "Parent Code": ("parent_code", 20),
    "Parent Name": ("parent_name", 255),
    "Area Code": ("area_code", 20),
    "Area Name": ("area_name", 255),
    "Area Type": ("area_type", 100),
    "Age": ("age", 50),
    "Category Type": ("category_type", 255),
    "Category": ("category", 255),
    "Time period": ("time_period", 30),
    "Value note": ("value_note", 255),
    "Recent Trend": ("recent_trend", 255),
    "Compared to England value or percentiles": ("compared_to_england", 255),
    "Compared to parent value or percentiles": ("compared_to_parent", 255),
    "New data": ("new_data", 255),
    "Compared to goal": ("compared_to_goal", 255),
    "Time period range": ("time_period_range", 50),
}
#: Number columns: heading -> model field.
NUMBERS = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci_95",
    "Upper CI 95.0 limit": "upper_ci_95",
    "Lower CI 99.8 limit": "lower_ci_99_8",
    "Upper CI 99.8 limit": "upper_ci_99_8",
    "Count": "count",
    "Denominator": "denominator",
}
#: Number columns that cannot be negative: heading -> what it is, for the reason.
NOT_NEGATIVE = {"Count": "a count", "Denominator": "a denominator"}
REQUIRED = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Time period",
)
PARENT_COMPARISON = "Compared to parent value or percentiles"

LAYOUT = Layout(
    kind="indicators file (Fingertips all-data CSV)",
    columns=(
        Column("Indicator ID", required=True),
        *(Column(name, required=name in REQUIRED) for name in TEXT),
        Column("Sex", required=True),
        Column("Time period Sortable"),
        *(Column(name) for name in NUMBERS),
        Column("synthetic"),
    ),
    # Fingertips names the parent comparison after the parent's area type ("Compared to
    # Region value or percentiles", "... CCGs (from Apr 2021) ..."); older exports say
    # "Compared to percentiles".
    patterns=(
        (r"compared to (?!england ).+ value or percentiles", PARENT_COMPARISON),
        (r"compared to percentiles", PARENT_COMPARISON),
    ),
)

#: What identifies a row (docs/formats/indicators.md): once per file.
KEY = ("Indicator ID", "Area Code", "Sex", "Age", "Category Type", "Category", "Time period")


class Fingertips(Dataset):
    name = "indicators"
    #: A file covers indicators, not months.
    period_from_rows = False
    model = IndicatorValue
    fields = [
        "line_number",
        "synthetic",
        "indicator_id",
        "time_period_sortable",
        "sex",
        *(field for field, _ in TEXT.values()),
        *NUMBERS.values(),
    ]

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_partner_table(raw, LAYOUT)
        problems = Problems(len(table))
        check_required(table, problems)
        indicator = parse_whole_numbers(table, problems, "Indicator ID", 1, 999_999_999)
        for heading, (_, limit) in TEXT.items():
            check_length(table, problems, heading, limit)
        sex = check_code(table, problems, "Sex", SEXES)
        sortable = parse_whole_numbers(table, problems, "Time period Sortable", 0, 999_999_999)
        numbers = {heading: parse_numbers(table, problems, heading) for heading in NUMBERS}
        _check_not_negative(table, problems, numbers)
        _check_limits(table, problems, numbers)
        synthetic = synthetic_flags(table, problems)
        key = table.text(KEY[0])
        for heading in KEY[1:]:
            key = record_keys(key, table.text(heading).astype(object))
        flag_duplicates(
            problems,
            key,
            table.line_numbers,
            "Indicator ID",
            "indicator, area, sex, age, category and period",
        )
        is_synthetic = file_synthetic(raw.name, synthetic, np.flatnonzero(~problems.found))

        valid = np.flatnonzero(~problems.found)
        ids = optional_integers(indicator[valid])
        rows = ColumnRows(
            [
                table.line_numbers[valid].tolist(),
                [is_synthetic] * len(valid),
                ids,
                optional_integers(sortable[valid]),
                sex[valid].tolist(),
                *(table.text(heading)[valid].tolist() for heading in TEXT),
                *(optional_numbers(numbers[heading][valid]) for heading in NUMBERS),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(is_synthetic, ["indicator"], np.asarray(ids, dtype=object)),
            rows=rows,
            rejections=table.rejections(problems),
            synthetic=is_synthetic,
        )


def _check_not_negative(table: PartnerTable, problems: Problems, numbers: dict[str, Any]) -> None:
    """Counts and denominators are not negative (``parse_numbers`` has already refused
    ``NaN`` and infinities)."""
    for heading, what in NOT_NEGATIVE.items():
        text = table.text(heading)
        with np.errstate(invalid="ignore"):
            negative = numbers[heading] < 0

        def is_negative(rows: Positions, text: Array = text, what: str = what) -> list[str]:
            return [f"'{text[row]}' is negative; {what} cannot be" for row in rows]

        problems.flag(negative, heading, is_negative)


def _check_limits(table: PartnerTable, problems: Problems, numbers: dict[str, Any]) -> None:
    """Lower limits not above upper limits; where a value is given, limits bracket it."""
    value = numbers["Value"]
    for level in ("95.0", "99.8"):
        lower, upper = numbers[f"Lower CI {level} limit"], numbers[f"Upper CI {level} limit"]
        with np.errstate(invalid="ignore"):
            problems.flag(lower > upper, f"Lower CI {level} limit", "is above the upper limit")
            problems.flag(value < lower, "Value", f"is below its lower {level}% limit")
            problems.flag(value > upper, "Value", f"is above its upper {level}% limit")
