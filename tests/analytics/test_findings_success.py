"""The success measures and serious violence as findings: counts, rates, trends, shares."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.analytics.findings import Finding, NotComputed, success
from vrn.analytics.measures import MeasureResult
from vrn.analytics.stats import count_trend, rate, wilson_interval
from vrn.definitions import load_definitions

from .findings_inputs import CITY, crimes, inputs, people

MONTHS = [f"2024-{month:02d}" for month in range(1, 13)]


def one(findings: list[Finding], finding_id: str) -> Finding:
    [finding] = [f for f in findings if f.id == finding_id]
    return finding


def test_serious_violence_is_a_rate_per_100000_with_the_monthly_counts_and_trend() -> None:
    # 1 + 2 + ... + 12 = 78 public, non-domestic 8N offences, more each month; a domestic
    # one and a private one are not serious violence; one outside the area is left out.
    rows = [{"month": month} for i, month in enumerate(MONTHS) for _ in range(i + 1)]
    rows += [{"domestic": True}, {"public_place": False}]
    crime_frame = crimes(rows)
    outside = crimes([{}]).assign(crime_id="X1", local_authority="E06000017")
    crime_frame = pd.concat([crime_frame, outside], ignore_index=True)
    ages = [(i, "victim", 30.0, "female", f"V{i}") for i in range(len(rows))]
    ages[0] = (0, "victim", 19.0, "female", "V0")  # one under-25 victim, in January
    data = inputs(crimes=crime_frame, victims=people(crime_frame, ages, "victim"))

    findings = success.serious_violence(data)

    [serious, young] = findings
    assert (serious.id, young.id) == ("serious_violence", "serious_violence_u25")
    assert serious.numerator == 78
    # 4,000 residents (four LSOAs of 1,000 in the two local authorities), for a year.
    expected = rate(pd.DataFrame({"x": [78], "n": [4_000]}), "x", "n")
    assert serious.value == pytest.approx(78 / 4_000 * 100_000)
    assert (serious.lower, serious.upper) == pytest.approx(
        (expected["lowercl"].iloc[0], expected["uppercl"].iloc[0])
    )
    assert serious.unit == success.RATE_UNIT
    assert serious.data.columns.tolist() == ["month", "count"]
    assert serious.data["count"].tolist() == list(range(1, 13))
    trend = count_trend(serious.data, "count", "month")
    assert serious.comparator_value == pytest.approx(trend.annual_change)
    assert serious.significance == "higher" and serious.p_value == pytest.approx(trend.p_value)
    assert "Over the period: rising by" in serious.sentence
    assert any("* crimes located outside Test network" in note for note in serious.notes)
    assert serious.definitions == data.cache["measures"].measure_definitions["serious_violence"]
    assert young.numerator == 1
    # Residents under 25: 250 in each of the four LSOAs.
    assert young.denominator == pytest.approx(1_000)
    # One event in January and none after: no trend can be fitted, and a note says so.
    assert young.comparator is None
    assert any(note.startswith("No trend") for note in young.notes)


def test_the_measures_are_computed_once_per_inputs() -> None:
    crime_frame = crimes([{"weapon": "knife_or_sharp"}])
    data = inputs(
        crimes=crime_frame,
        victims=people(crime_frame, [], "victim"),
        period=("2024-01", "2024-06"),
    )
    first = success.success_measures(data)
    result = data.cache["measures"]
    assert isinstance(result, MeasureResult)
    success.serious_violence(data)
    assert data.cache["measures"] is result
    knife = one(first, "success_knife_enabled_serious_violence")
    assert knife.numerator == 1
    assert knife.definitions == result.measure_definitions["knife_enabled_serious_violence"]
    # Six months: too short for a trend, which a note says.
    assert knife.comparator is None
    assert any("too short for a regression trend" in note for note in knife.notes)
    # Without admissions the hospital measures are not among the findings.
    assert not any(f.id.startswith("success_sharp_object_admissions") for f in first)


def test_hospital_success_measures_from_the_admissions() -> None:
    admissions = pd.DataFrame(
        {
            "month": ["2024-02", "2024-03", "2024-03"],
            "local_authority": [CITY, CITY, CITY],
            "admission_method": "21",
            "episode_order": 1,
            "episode_status": "3",
            "age": [17, 40, 30],
            "diag_01": ["S211", "S011", "S011"],
            "diag_02": ["X991", "X990", "Y040"],
        }
    )
    findings = success.success_measures(inputs(admissions=admissions))
    assert one(findings, "success_sharp_object_admissions").numerator == 2
    young = one(findings, "success_sharp_object_admissions_u25")
    assert young.numerator == 1
    assert "residents of Test network had * hospital admissions" in young.sentence
    with pytest.raises(NotComputed, match="force's crime extract"):
        success.serious_violence(inputs(admissions=admissions))


def test_the_public_place_share_is_on_the_groupings_base() -> None:
    # Offences by under-25 suspects: 3 public, 1 private domestic, 1 private; one by a
    # 40-year-old (not counted).
    crime_frame = crimes(
        [
            {},
            {},
            {"offence": "34B"},
            {"public_place": False, "domestic": True},
            {"public_place": False},
            {},
        ]
    )
    suspects = [(i, "suspect", 17.0, "male", f"S{i}") for i in range(5)]
    suspects.append((5, "offender", 40.0, "male", "S5"))
    data = inputs(crimes=crime_frame, perpetrators=people(crime_frame, suspects, "suspect"))
    [finding] = success.u25_public_place_share(data)
    assert finding.id == "u25_public_place_share"
    assert finding.value == pytest.approx(3 / 5)
    lower, upper = wilson_interval(3, 5)
    assert (finding.lower, finding.upper) == pytest.approx((float(lower), float(upper)))
    assert (finding.numerator, finding.denominator) == (3, 5)
    assert finding.data.set_index("base").loc["definition", "offences"] == 4
    assert any(note.startswith("On the definition base") for note in finding.notes)
    refs = load_definitions().references("serious-violence", "offence-codes", "age-bands")
    assert finding.definitions == tuple(ref.short_id for ref in refs)


def test_without_police_or_hospital_data_nothing_is_computed() -> None:
    with pytest.raises(NotComputed, match="neither is loaded"):
        success.success_measures(inputs())
    crime_frame = crimes([{}])
    data = inputs(crimes=crime_frame, victims=people(crime_frame, [], "victim"))
    with pytest.raises(NotComputed, match="with a suspect or offender under 25"):
        success.u25_public_place_share(data)
