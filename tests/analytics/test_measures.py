"""The success measures and serious violence on hand-made tables, with known counts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from vrn.analytics.measures import (
    PUBLIC_PLACE_SHARE,
    SERIOUS_VIOLENCE,
    SERIOUS_VIOLENCE_U25,
    MeasureResult,
    Period,
    compute_measures,
    police_offence_codes,
)
from vrn.definitions import Definitions, export_definitions, load_definitions

LEICESTER = "E06000016"
BLABY = "E07000129"
NA = None

# id, month, area, offence code, public place, domestic, knife, victim ages, suspect ages
CRIMES = [
    ("C1", "2024-01", LEICESTER, "34B", True, False, True, [19], [17]),  # knife robbery
    ("C2", "2024-01", LEICESTER, "8N", False, True, True, [22], [23]),  # domestic stabbing
    ("C3", "2024-01", LEICESTER, "8N", True, True, False, [40], [45]),  # domestic, in public
    ("C4", "2024-02", BLABY, "1", True, False, True, [17], []),  # knife murder of a 17-year-old
    ("C5", "2024-02", BLABY, "1", False, True, False, [50], [52]),  # domestic murder
    ("C6", "2024-03", "", "8N", True, False, NA, [NA], [21]),  # no place, knife or victim age
    ("C7", "2024-03", LEICESTER, "8N", NA, False, False, [24], [30]),  # place unknown
    ("C8", "2024-03", LEICESTER, "49", True, False, False, [33], []),  # other theft
    ("C9", "2024-03", LEICESTER, "34B", True, False, False, [30, 45], [26]),
    ("C10", "2024-02", LEICESTER, "8N", True, False, True, [40, 20], []),  # two victims
    ("C11", "2024-02", BLABY, "5D", True, False, True, [35], [19]),
    ("C12", "2023-12", LEICESTER, "1", True, False, True, [18], [18]),  # before the period
    ("C13", "2024-03", LEICESTER, "8N", False, False, False, [16], [16]),  # private, not domestic
    ("C14", "2024-03", LEICESTER, "34B", NA, False, False, [50], [20]),  # place unknown
]

# month, area, method, episode order, status, age, diagnoses
EPISODES = [
    ("2024-01", LEICESTER, "21", 1, "3", 22, ["S21.1", "X99.1"]),  # counts, and under 25
    ("2024-01", LEICESTER, "21", 2, "3", 22, ["S21.1", "X99.1"]),  # second episode of the spell
    ("2024-02", LEICESTER, "11", 1, "3", 19, ["S31.0", "X99"]),  # elective
    ("2024-02", BLABY, "21", 1, "3", 19, ["S00.9", "Y04.0"]),  # bodily force
    ("2024-03", BLABY, "2A", 1, "3", 30, ["S21.0", "F10.2", "X99.9"]),  # counts, 30
    ("2024-03", LEICESTER, "21", 1, "1", 20, ["X99.0", ""]),  # not finished
    ("2024-03", "", "21", 1, "3", NA, ["T14.1", "X995"]),  # counts; age and area unknown
]

# area, age from, age to, residents
POPULATION = [
    (LEICESTER, 0, 15, 1000),
    (LEICESTER, 16, 24, 500),
    (LEICESTER, 25, 34, 1000),
    (LEICESTER, 35, 49, 1000),
    (LEICESTER, 50, 64, 1000),
    (LEICESTER, 65, NA, 500),
    (BLABY, 0, 15, 200),
    (BLABY, 16, 24, 100),
    (BLABY, 25, NA, 700),
]


def crimes_frame() -> pd.DataFrame:
    columns = ["crime_id", "month", "area_code", "offence_code", "public_place", "domestic"]
    columns.append("knife_or_sharp_instrument")
    return pd.DataFrame([row[:7] for row in CRIMES], columns=columns)


def people_frame() -> pd.DataFrame:
    rows = []
    for crime, *_, victims, suspects in CRIMES:
        rows += [(crime, "victim", age) for age in victims]
        rows += [(crime, "suspect", age) for age in suspects]
    return pd.DataFrame(rows, columns=["crime_id", "role", "age"])


def episodes_frame() -> pd.DataFrame:
    rows = []
    for month, area, method, order, status, age, diagnoses in EPISODES:
        codes = [*diagnoses, "", "", ""][:3]
        rows.append((month, area, method, order, status, age, *codes))
    columns = ["month", "area_code", "admission_method", "episode_order", "episode_status"]
    columns += ["age", "diag_01", "diag_02", "diag_03"]
    return pd.DataFrame(rows, columns=columns)


def population_frame() -> pd.DataFrame:
    return pd.DataFrame(POPULATION, columns=["area_code", "age_from", "age_to", "population"])


@pytest.fixture(scope="module")
def shipped() -> Definitions:
    return load_definitions()


def compute(definitions: Definitions, **options: object) -> MeasureResult:
    arguments: dict[str, object] = {
        "crimes": crimes_frame(),
        "people": people_frame(),
        "episodes": episodes_frame(),
        "population": population_frame(),
        "first_month": "2024-01",
        "last_month": "2024-03",
    }
    arguments.update(options)
    return compute_measures(definitions, **arguments)  # type: ignore[arg-type]


def counts(result: MeasureResult) -> dict[str, int]:
    return dict(zip(result.summary["measure"], result.summary["count"], strict=True))


def counted_rows(result: MeasureResult, measure: str) -> dict[str, int]:
    """Counts by area (``None`` for unknown) of one measure, zeros left out."""
    rows = result.by_area[(result.by_area["measure"] == measure) & (result.by_area["count"] > 0)]
    return dict(zip(rows["area_code"], rows["count"], strict=True))


@pytest.fixture(scope="module")
def result(shipped: Definitions) -> MeasureResult:
    return compute(shipped)


def test_known_counts(result: MeasureResult) -> None:
    assert counts(result) == {
        "sharp_object_admissions": 3,  # first emergency finished episodes with X99 anywhere
        "sharp_object_admissions_u25": 1,  # the 22-year-old; the age-unknown one is not
        "knife_enabled_serious_violence": 5,  # C1, C2, C4, C10, C11
        "knife_enabled_serious_violence_u25": 4,  # C1 (19), C2 (22), C4 (17), C10 (20 of 2)
        "non_domestic_homicide": 1,  # C4; C5 is domestic, C12 before the period
        "non_domestic_homicide_u25_knife": 1,  # C4
        SERIOUS_VIOLENCE: 6,  # C1, C4, C6, C9, C10, C11
        SERIOUS_VIOLENCE_U25: 5,  # C9's people are all 25 and over
    }


def test_the_issue_examples(shipped: Definitions) -> None:
    crimes = crimes_frame()
    people = people_frame()

    def only(crime: str) -> dict[str, int]:
        outcome = compute_measures(
            shipped,
            crimes=crimes[crimes["crime_id"] == crime],
            people=people[people["crime_id"] == crime],
        )
        return {measure: count for measure, count in counts(outcome).items() if count}

    # A knife robbery of a 19-year-old in a public place.
    assert only("C1") == {
        "knife_enabled_serious_violence": 1,
        "knife_enabled_serious_violence_u25": 1,
        SERIOUS_VIOLENCE: 1,
        SERIOUS_VIOLENCE_U25: 1,
    }
    # A domestic stabbing is knife-enabled but not serious violence (domestic, private).
    assert SERIOUS_VIOLENCE not in only("C2")
    assert "knife_enabled_serious_violence" in only("C2")
    # Domestic in a public place: still not serious violence.
    assert only("C3") == {}

    episodes = episodes_frame()
    first, second = episodes.iloc[[0]], episodes.iloc[[1]]
    assert counts(compute_measures(shipped, episodes=first)) == {
        "sharp_object_admissions": 1,
        "sharp_object_admissions_u25": 1,
    }
    assert counts(compute_measures(shipped, episodes=second)) == {
        "sharp_object_admissions": 0,
        "sharp_object_admissions_u25": 0,
    }


def test_by_month_and_area(result: MeasureResult) -> None:
    months = result.by_month[result.by_month["measure"] == SERIOUS_VIOLENCE]
    assert months["month"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert months["count"].tolist() == [1, 3, 2]
    assert counted_rows(result, SERIOUS_VIOLENCE) == {LEICESTER: 3, BLABY: 2, None: 1}
    assert counted_rows(result, "sharp_object_admissions") == {LEICESTER: 1, BLABY: 1, None: 1}
    # Every measure has every month and every area, zeros included.
    assert len(result.by_month) == 8 * 3
    assert set(result.by_area["area_code"]) == {LEICESTER, BLABY, None}


def test_rates_per_100000_a_year(result: MeasureResult) -> None:
    summary = result.summary.set_index("measure")
    sv = summary.loc[SERIOUS_VIOLENCE]
    # 5 of the 6 in the population's areas; 6,000 residents over 3 months = 1,500 years.
    assert (sv["count_in_areas"], sv["population"], sv["person_years"]) == (5, 6000, 1500)
    assert sv["rate"] == pytest.approx(5 / 1500 * 100_000)
    assert sv["lowercl"] < sv["rate"] < sv["uppercl"]
    assert sv["method"] == "Exact"
    # Under-25 figures are per resident under 25 (the 0-15 and 16-24 bands).
    u25 = summary.loc[SERIOUS_VIOLENCE_U25]
    assert (u25["count_in_areas"], u25["population"]) == (4, 1800)
    assert u25["rate"] == pytest.approx(4 / 450 * 100_000)
    areas = result.by_area.set_index(["measure", "area_code"], drop=False)
    leicester = areas.loc[(SERIOUS_VIOLENCE, LEICESTER)]
    assert leicester["rate"] == pytest.approx(3 / (5000 / 4) * 100_000)
    unknown = result.by_area[
        (result.by_area["measure"] == SERIOUS_VIOLENCE) & result.by_area["area_code"].isna()
    ]
    assert unknown["rate"].isna().all()


def test_public_place_share_of_offences_by_under_25s(result: MeasureResult) -> None:
    assert result.public_place_share is not None
    table = result.public_place_share.table.set_index("base")
    # Suspects under 25: C1, C2, C6, C11, C13, C14. Without the place rule the definition
    # keeps C1, C6, C11 (public), C13 (private), C14 (unknown): 3 of 5.
    assert (table.at["definition", "public"], table.at["definition", "offences"]) == (3, 5)
    assert table.at["definition", "value"] == pytest.approx(0.6)
    # The groupings alone add the domestic stabbing C2 (private): 3 of 6.
    assert (table.at["groupings", "public"], table.at["groupings", "offences"]) == (3, 6)
    assert table.at["groupings", "lowercl"] < 0.5 < table.at["groupings", "uppercl"]


def test_the_result_records_the_definitions(shipped: Definitions, result: MeasureResult) -> None:
    refs = shipped.refs
    assert [ref["name"] for ref in result.definitions] == [
        "offence-codes",
        "serious-violence",
        "hospital",
        "success-measures",
        "age-bands",
    ]
    assert list(result.definitions) == [refs[ref["name"]].as_dict() for ref in result.definitions]
    by_measure = result.measure_definitions
    for measure in shipped.success_measures.ids:
        assert by_measure[measure] == tuple(
            ref.short_id for ref in shipped.measure_references(measure)
        )
    assert by_measure[SERIOUS_VIOLENCE] == (
        refs["serious-violence"].short_id,
        refs["offence-codes"].short_id,
    )
    assert refs["age-bands"].short_id in by_measure[SERIOUS_VIOLENCE_U25]
    assert refs["age-bands"].short_id in by_measure[PUBLIC_PLACE_SHARE]
    assert result.period == Period.of("2024-01", "2024-03")
    assert result.synthetic is False


def test_only_what_was_given_is_computed_and_recorded(shipped: Definitions) -> None:
    police_only = compute(shipped, episodes=None)
    assert "sharp_object_admissions" not in counts(police_only)
    assert "hospital" not in [ref["name"] for ref in police_only.definitions]
    hospital_only = compute(shipped, crimes=None, people=None)
    assert list(counts(hospital_only)) == ["sharp_object_admissions", "sharp_object_admissions_u25"]
    assert hospital_only.public_place_share is None
    assert [ref["name"] for ref in hospital_only.definitions] == [
        "hospital",
        "success-measures",
        "age-bands",
    ]


def test_an_edited_definition_changes_figures_and_reference(
    shipped: Definitions, tmp_path: Path
) -> None:
    export_definitions(tmp_path, ("serious-violence",))
    path = tmp_path / "serious-violence.toml"
    text = path.read_text(encoding="utf-8")
    robbery = text.index('[[grouping]]\nid = "robbery"')
    text = text[:robbery] + text[text.index("# Codes in the same Home Office subgroups") :]
    path.write_text(text.replace("version = 1", "version = 2", 1), encoding="utf-8")
    edited = load_definitions(tmp_path)

    before, after = compute(shipped), compute(edited)
    assert counts(before)[SERIOUS_VIOLENCE] == 6
    assert counts(after)[SERIOUS_VIOLENCE] == 4  # the robberies C1 and C9 no longer count
    assert counts(after)["knife_enabled_serious_violence"] == 5  # another definition
    old = before.measure_definitions[SERIOUS_VIOLENCE][0]
    new = after.measure_definitions[SERIOUS_VIOLENCE][0]
    assert old.startswith("serious-violence@1#") and new.startswith("serious-violence@2#")
    recorded = {ref["name"]: ref for ref in after.definitions}
    assert recorded["serious-violence"]["version"] == "2"
    assert recorded["serious-violence"]["sha256"] != shipped.serious_violence.ref.sha256
    assert recorded["success-measures"] == shipped.success_measures.ref.as_dict()


def test_period_defaults_to_the_data_and_filters_rows(shipped: Definitions) -> None:
    everything = compute(shipped, first_month=None, last_month=None)
    assert everything.period == Period.of("2023-12", "2024-03")
    assert counts(everything)["non_domestic_homicide"] == 2  # C12 is back
    later = compute(shipped, first_month="2024-02", last_month=None)
    assert later.period == Period.of("2024-02", "2024-03")
    assert counts(later)[SERIOUS_VIOLENCE] == 5
    assert "police data cover only 2024-02 to 2024-03" not in " ".join(later.notes)
    after = compute(shipped, first_month="2024-06", last_month=None)
    assert after.period == Period.of("2024-06", "2024-06")
    assert set(counts(after).values()) == {0}
    assert "no police data in 2024-06 to 2024-06: its figures are 0" in after.notes
    wide = compute(shipped, first_month="2023-06", last_month="2024-06")
    assert any("police data cover only 2023-12 to 2024-03 of 2023-06 to" in n for n in wide.notes)
    assert wide.summary.set_index("measure").at[SERIOUS_VIOLENCE, "person_years"] == 6000 * 13 / 12


def test_synthetic_rows_are_reported(shipped: Definitions) -> None:
    crimes = crimes_frame().assign(synthetic=False)
    assert compute(shipped, crimes=crimes).synthetic is False
    crimes.loc[3, "synthetic"] = True
    assert compute(shipped, crimes=crimes).synthetic is True
    episodes = episodes_frame().assign(synthetic="true")
    assert compute(shipped, episodes=episodes).synthetic is True


def test_population_bands_that_straddle_an_age_restriction(shipped: Definitions) -> None:
    population = pd.DataFrame(
        [(LEICESTER, 0, 19, 1000), (LEICESTER, 20, NA, 4000)],
        columns=["area_code", "age_from", "age_to", "population"],
    )
    result = compute(shipped, population=population)
    summary = result.summary.set_index("measure")
    assert summary.at[SERIOUS_VIOLENCE, "population"] == 5000
    assert pd.isna(summary.at[SERIOUS_VIOLENCE_U25, "rate"])
    assert any("serious_violence_u25: no rate" in note for note in result.notes)


def test_without_population_there_are_counts_only(shipped: Definitions) -> None:
    result = compute(shipped, population=None)
    assert "rate" not in result.summary.columns
    assert counts(result)[SERIOUS_VIOLENCE] == 6


def test_json_form(result: MeasureResult) -> None:
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["period"] == {"first": "2024-01", "last": "2024-03", "months": 3}
    assert data["synthetic"] is False
    assert data["definitions"][0]["name"] == "offence-codes"
    sv = next(m for m in data["measures"] if m["id"] == SERIOUS_VIOLENCE)
    assert sv["count"] == 6 and sv["definitions"][0].startswith("serious-violence@1#")
    assert [row["count"] for row in sv["by_month"]] == [1, 3, 2]
    unknown = next(row for row in sv["by_area"] if row["area_code"] is None)
    assert unknown["count"] == 1 and unknown["rate"] is None
    share = data["public_place_share"]
    assert share["age"] == "under25: 0-24"
    assert [row["base"] for row in share["rows"]] == ["definition", "groupings"]


def test_bad_input(shipped: Definitions) -> None:
    with pytest.raises(ValueError, match="people table is needed"):
        compute_measures(shipped, crimes=crimes_frame())
    with pytest.raises(ValueError, match=r"crimes: column\(s\) missing: domestic"):
        compute_measures(
            shipped, crimes=crimes_frame().drop(columns="domestic"), people=people_frame()
        )
    duplicated = pd.concat([crimes_frame(), crimes_frame().iloc[[0]]])
    with pytest.raises(ValueError, match="crime_id 'C1' appears more than once"):
        compute_measures(shipped, crimes=duplicated, people=people_frame())
    with pytest.raises(ValueError, match="last month"):
        compute(shipped, last_month="soon")
    with pytest.raises(ValueError, match="ends"):
        compute(shipped, first_month="2024-03", last_month="2024-01")


def test_no_data_at_all(shipped: Definitions) -> None:
    result = compute_measures(shipped)
    assert result.period is None and result.summary.empty and result.definitions == ()


def test_reading_only_the_offence_codes_that_can_count_changes_nothing(
    shipped: Definitions,
) -> None:
    codes = police_offence_codes(shipped)
    assert {"1", "4.10", "8N", "34A", "19C", "3B"} <= codes
    assert "49" not in codes
    crimes = crimes_frame()
    kept = crimes[crimes["offence_code"].isin(codes)]
    assert len(kept) < len(crimes)
    people = people_frame()
    full, part = compute(shipped), compute(shipped, crimes=kept, people=people)
    pd.testing.assert_frame_equal(full.summary, part.summary)
    pd.testing.assert_frame_equal(full.by_area, part.by_area)
    assert full.public_place_share is not None and part.public_place_share is not None
    pd.testing.assert_frame_equal(full.public_place_share.table, part.public_place_share.table)
