"""Hospital and emergency-department findings against values worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from vrn.analytics.findings import Finding, NotComputed, hospital
from vrn.analytics.findings.base import design_effect
from vrn.analytics.stats import mean, wilson_interval
from vrn.definitions import load_definitions

from .findings_inputs import CITY, TOWN, inputs

DECILE = {"L1": 1, "L2": 10, "L3": 5, "L4": 6}
AUTHORITY = {"L1": CITY, "L2": CITY, "L3": TOWN, "L4": TOWN}


def admissions(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Violence-related admissions with defaults: a 30-year-old man living in L1, assault
    by bodily force, no condition flag, two days' stay."""
    defaults: dict[str, Any] = {
        "month": "2024-03",
        "person_key": None,
        "age": 30,
        "sex": "male",
        "lsoa": "L1",
        "cause": "bodily_force",
        "mental_health": False,
        "substance_misuse": False,
        "alcohol": False,
        "length_of_stay": 2,
        "synthetic": False,
    }
    frame = []
    for row in rows:
        admission = {**defaults, **row}
        lsoa = admission["lsoa"]
        admission["local_authority"] = admission.get("local_authority", AUTHORITY.get(lsoa))
        admission["imd_decile"] = DECILE.get(lsoa) if lsoa else None
        frame.append(admission)
    return pd.DataFrame(frame)


def attendances(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    defaults: dict[str, Any] = {
        "month": "2024-03",
        "person_key": None,
        "means_of_assault": "body_part",
        "age": 20,
        "sex": "male",
        "local_authority": CITY,
        "synthetic": False,
    }
    return pd.DataFrame([{**defaults, **row} for row in rows])


def victims(keys: Sequence[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "crime_id": [f"C{i}" for i in range(len(keys))],
            "role": "victim",
            "person_key": list(keys),
            "victim_age": 20,
        }
    )


def one(findings: list[Finding], finding_id: str) -> Finding:
    [finding] = [f for f in findings if f.id == finding_id]
    return finding


def wilson(x: float, n: float) -> tuple[float, float]:
    lower, upper = wilson_interval(x, n)
    return float(lower), float(upper)


def test_condition_shares_are_wilson_proportions_of_admissions() -> None:
    frame = admissions(
        [{"mental_health": True}] * 43
        + [{"lsoa": "L3", "alcohol": True}] * 14
        + [{"substance_misuse": True}] * 30
        + [{}] * 13
    )
    findings = hospital.admissions_condition_shares(inputs(admissions=frame))

    assert [f.id for f in findings] == [
        "admissions_mental_health_share",
        "admissions_substance_misuse_share",
        "admissions_alcohol_share",
    ]
    mental = findings[0]
    assert mental.value == pytest.approx(0.43)
    assert (mental.lower, mental.upper) == pytest.approx(wilson(43, 100))
    assert (mental.numerator, mental.denominator) == (43, 100)
    assert mental.sentence.startswith("43% (95% CI 34% to 53%) of the 100 violence-related")
    assert "2024-01 to 2024-12" in mental.sentence
    assert mental.definitions == (load_definitions().hospital.ref.short_id,)
    assert mental.method == hospital.WILSON and mental.period == "2024-01 to 2024-12"
    # The table behind: one row per local authority of residence and the whole area.
    table = mental.data.set_index("name")
    assert table.loc["Leicester", ["count", "admissions"]].tolist() == [43, 86]
    assert table.loc["Blaby", ["count", "admissions"]].tolist() == [0, 14]
    assert table.loc["Test network", "value"] == pytest.approx(0.43)
    assert set(mental.counts) <= set(mental.data.columns)
    # Every alcohol admission is in Blaby: significantly higher than the network's 14%.
    alcohol = findings[2]
    assert alcohol.data.set_index("name").loc["Blaby", "comparison"] == "Higher"
    assert "significantly higher than the area's in Blaby" in alcohol.sentence


def test_admissions_of_people_living_elsewhere_are_left_out_with_a_note() -> None:
    frame = admissions([{"mental_health": True}, {}, {"lsoa": None, "local_authority": None}])
    [mental, *_] = hospital.admissions_condition_shares(inputs(admissions=frame))
    assert (mental.numerator, mental.denominator) == (1, 2)
    assert "* admissions of people living outside the area" in mental.notes[0]


def test_cause_shares_of_under_25s_by_local_authority_and_county() -> None:
    city = [{"age": 18, "cause": "sharp_object"}] * 3 + [{"age": 20}] * 7
    town = [{"age": 24, "lsoa": "L3"}] * 7 + [{"age": 16, "lsoa": "L4", "cause": "other"}] * 3
    older = [{"age": 25, "cause": "sharp_object"}] * 20  # not under 25: left out
    findings = hospital.u25_admission_cause_shares(
        inputs(admissions=admissions(city + town + older))
    )

    ids = {f.id for f in findings}
    for cause in ("sharp_object", "bodily_force", "other"):
        for area in ("leicester", "blaby", "leicestershire"):
            assert f"u25_admissions_{cause}_share_{area}" in ids
    assert len(ids) == 9  # the network itself gets no id: it is the benchmark
    sharp = one(findings, "u25_admissions_sharp_object_share_leicester")
    assert sharp.value == pytest.approx(0.3)
    assert (sharp.lower, sharp.upper) == pytest.approx(wilson(3, 10))
    assert sharp.area == "Leicester" and sharp.comparator == "Test network"
    assert sharp.comparator_value == pytest.approx(3 / 20)
    assert sharp.significance == "not significant"
    definitions = load_definitions()
    assert sharp.definitions == (
        definitions.hospital.ref.short_id,
        definitions.age_bands.ref.short_id,
    )
    assert "of the 10 violence-related hospital admissions of Leicester residents under 25" in (
        sharp.sentence
    )
    county = one(findings, "u25_admissions_bodily_force_share_leicestershire")
    assert county.value == pytest.approx(0.7)
    assert (county.numerator, county.denominator) == (7, 10)

    [summary] = hospital.admission_causes_by_area(
        inputs(admissions=admissions(city + town + older))
    )
    assert summary.id == "admission_causes_by_area" and summary.value == 20
    table = summary.data
    network = table[table["area"] == "Test network"].set_index("cause")
    assert network.loc["bodily_force", "value"] == pytest.approx(14 / 20)
    assert (network["comparison"] == "Not compared").all()
    leicester = table[table["area"] == "Leicester"].set_index("cause")
    assert leicester.loc["sharp_object", "benchmark"] == pytest.approx(3 / 20)
    assert set(table["comparison"]) <= {"Higher", "Similar", "Lower", "Not compared"}


def test_an_area_without_under_25_admissions_gets_no_cause_finding() -> None:
    frame = admissions([{"age": 18}] * 5 + [{"age": 40, "lsoa": "L3"}])
    findings = hospital.u25_admission_cause_shares(inputs(admissions=frame))
    assert {f.area for f in findings} == {"Leicester"}
    with pytest.raises(NotComputed, match="no violence-related admission of a resident under 25"):
        hospital.u25_admission_cause_shares(inputs(admissions=admissions([{"age": 40}])))


def test_most_deprived_share_of_each_local_authoritys_residents() -> None:
    frame = admissions(
        [{"lsoa": "L1"}] * 32
        + [{"lsoa": "L2"}] * 68
        + [{"lsoa": None, "local_authority": CITY}] * 5  # no decile: left out
        + [{"lsoa": "L3"}] * 10
    )
    findings = hospital.admissions_most_deprived_shares(inputs(admissions=frame))

    assert [f.id for f in findings] == [
        "leicester_admissions_most_deprived_share",
        "blaby_admissions_most_deprived_share",
    ]
    city = findings[0]
    assert city.value == pytest.approx(0.32)
    assert (city.lower, city.upper) == pytest.approx(wilson(32, 100))
    assert (city.numerator, city.denominator) == (32, 100)
    assert "* admissions of Leicester residents with no known LSOA" in city.notes[-1]
    # Half of Leicester's residents live in decile 1 (L1 of L1 and L2).
    assert city.comparator_value == pytest.approx(0.5)
    assert city.significance == "lower"
    row = city.data.set_index("local_authority").loc[CITY]
    assert row["quintile_1"] == 32 and row["quintile_1_share"] == pytest.approx(0.32)
    town = findings[1]
    assert (town.value, town.numerator) == (0, 0)


def test_length_of_stay_is_a_mean_with_t_limits() -> None:
    frame = admissions(
        [{"length_of_stay": days} for days in (0, 1, 2, 3, 9)] + [{"length_of_stay": None}]
    )
    [finding] = hospital.admissions_length_of_stay(inputs(admissions=frame))
    expected = mean(pd.DataFrame({"x": [0, 1, 2, 3, 9]}), "x")
    assert finding.value == pytest.approx(3.0)
    assert finding.lower == pytest.approx(expected["lowercl"].iloc[0])
    assert finding.upper == pytest.approx(expected["uppercl"].iloc[0])
    assert finding.unit == "days" and finding.denominator == 5
    assert "3.0 days on average" in finding.sentence and "median 2 days" in finding.sentence
    assert "* admissions with no length of stay" in finding.notes[-1]
    data = finding.data
    assert data.loc[data["breakdown"] == "all", "admissions"].tolist() == [5]
    with pytest.raises(NotComputed, match="two or more"):
        hospital.admissions_length_of_stay(inputs(admissions=admissions([{}])))


def test_ed_attendances_unknown_to_the_police() -> None:
    frame = attendances(
        [{"person_key": f"K{i}"} for i in range(4)]  # victims: known
        + [{"person_key": f"N{i}", "means_of_assault": "knife_sharp"} for i in range(4)]
        + [{"person_key": None, "local_authority": TOWN}] * 2  # no key: unknown
    )
    police_victims = victims(["K0", "K1", "K2", "K3", None, ""])
    [finding] = hospital.ed_assaults_unknown_to_police_share(
        inputs(attendances=frame, victims=police_victims)
    )
    assert finding.id == "ed_assaults_unknown_to_police_share"
    assert finding.value == pytest.approx(0.6)
    assert (finding.lower, finding.upper) == pytest.approx(wilson(6, 10))  # design effect 1
    data = finding.data.set_index(["breakdown", "group"])
    assert data.loc[("means of assault", "knife_sharp"), "unknown_to_police"] == 4
    assert data.loc[("local authority of residence", "Blaby"), "value"] == pytest.approx(1.0)
    assert any("* attendances have no person key" in note for note in finding.notes)


def test_repeat_attendances_of_one_person_widen_the_limits() -> None:
    frame = attendances([{"person_key": "A"}] * 3 + [{"person_key": f"N{i}"} for i in range(5)])
    [finding] = hospital.ed_assaults_unknown_to_police_share(
        inputs(attendances=frame, victims=victims(["A"]))
    )
    effect = design_effect(np.array([3, 1, 1, 1, 1, 1]))
    assert effect == pytest.approx(14 / 8)
    assert finding.value == pytest.approx(5 / 8)
    assert (finding.lower, finding.upper) == pytest.approx(wilson(5 / effect, 8 / effect))
    assert "design effect 1.75" in finding.method


def test_findings_say_why_they_are_not_computed() -> None:
    with pytest.raises(NotComputed, match="violence-related hospital admissions"):
        hospital.admissions_condition_shares(inputs())
    with pytest.raises(NotComputed, match="emergency-department assault attendances"):
        hospital.ed_assaults_unknown_to_police_share(inputs(victims=victims(["A"])))
    with pytest.raises(NotComputed, match="force's crime extract"):
        hospital.ed_assaults_unknown_to_police_share(inputs(attendances=attendances([{}])))


def test_every_finding_function_is_registered() -> None:
    assert set(hospital.FINDINGS.values()) == {
        hospital.admissions_condition_shares,
        hospital.u25_admission_cause_shares,
        hospital.admission_causes_by_area,
        hospital.admissions_most_deprived_shares,
        hospital.admissions_length_of_stay,
        hospital.ed_assaults_unknown_to_police_share,
    }
