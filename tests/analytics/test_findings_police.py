"""Police findings of the problem profile against values worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from vrn.analytics.findings import NotComputed, deprivation, place, police, time
from vrn.analytics.stats import rate_ratio, wilson_interval

from .findings_inputs import CITY, TOWN, crimes, inputs, people


def _one(findings: list, finding_id: str):  # type: ignore[no-untyped-def]
    [finding] = [f for f in findings if f.id == finding_id]
    return finding


def test_under_25_rate_ratio_is_the_exact_ratio_of_rates() -> None:
    # 6 offences by under-25s, 4 by over-25s, 1 by both, 2 with no suspect; 1 domestic
    # (not serious violence) by an under-25.
    crime_frame = crimes([{} for _ in range(13)] + [{"domestic": True}])
    suspects = [(i, "suspect", 19, "male", f"P{i}") for i in range(6)]
    suspects += [(i, "offender", 40, "male", f"Q{i}") for i in range(6, 10)]
    suspects += [(10, "suspect", 20, "male", "R1"), (10, "suspect", 30, "male", "R2")]
    suspects += [(13, "suspect", 18, "male", "S1")]
    frame = people(crime_frame, suspects, "suspect")
    result = police.u25_vs_25plus_rate_ratio(inputs(crimes=crime_frame, perpetrators=frame))
    [finding] = result
    # 7 crimes with an under-25 among 4 x 250 residents under 25; 5 with an over-25 among
    # 4 x 750.
    expected = rate_ratio(7, 1000, 5, 3000)
    assert finding.value == pytest.approx((7 / 1000) / (5 / 3000))
    assert finding.lower == pytest.approx(expected["lowercl"].iloc[0])
    assert finding.upper == pytest.approx(expected["uppercl"].iloc[0])
    assert finding.unit == "rate ratio"
    assert "4.2 times" in finding.sentence
    share = police.u25_perpetrator_share_public_sv(inputs(crimes=crime_frame, perpetrators=frame))
    assert share[0].value == pytest.approx(7 / 13)
    lower, upper = wilson_interval(7, 13)
    assert (share[0].lower, share[0].upper) == pytest.approx((float(lower), float(upper)))


def test_without_an_extract_the_perpetrator_findings_say_why() -> None:
    with pytest.raises(NotComputed, match="force's crime extract"):
        police.u25_vs_25plus_rate_ratio(inputs())


def test_knife_shares_by_local_authority() -> None:
    knife = {"offence": "8N", "weapon": "knife_or_sharp"}
    crime_frame = crimes(
        [knife] * 3 + [{**knife, "lsoa": "L3"}] + [{**knife, "public_place": False}] + [{}]
    )
    suspects = [(i, "suspect", 17, "male", f"P{i}") for i in range(6)]
    result = police.u25_public_knife_shares(
        inputs(crimes=crime_frame, perpetrators=people(crime_frame, suspects, "suspect"))
    )
    by_id = {finding.id: finding for finding in result}
    assert by_id["u25_public_knife_leicester_share"].value == pytest.approx(0.75)
    assert by_id["u25_public_knife_blaby_share"].value == pytest.approx(0.25)
    assert by_id["u25_public_knife_leicester_share"].denominator == 4


def test_male_15_19_ratio_uses_the_assumed_sex_split() -> None:
    crime_frame = crimes([{} for _ in range(10)])
    victims = [(i, "victim", 17 if i < 4 else 40, "male", f"V{i}") for i in range(10)]
    findings = police.victim_rates_by_age_sex(
        inputs(crimes=crime_frame, victims=people(crime_frame, victims, "victim"))
    )
    ratio = _one(findings, "male_15_19_rate_ratio")
    # Males 15-19 per LSOA: 160/16 x 0.512 (age 15) + 90 x 4/9 x 0.515 (16-19).
    males = 4 * (160 / 16 * 0.512 + 90 * 4 / 9 * 0.515)
    assert ratio.value == pytest.approx((4 / males) / (10 / 4000))
    lower, upper = wilson_interval(4, 10)
    scale = 4000 / males
    assert (ratio.lower, ratio.upper) == pytest.approx((lower * scale, upper * scale))
    table = _one(findings, "victim_rates_by_age_sex").data
    assert len(table) == 18  # 9 bands x 2 sexes
    assert table["count"].sum() == 10
    assert _one(findings, "victim_rates_by_age_sex").value == "male 15-19"


def test_repeat_share_counts_rows_of_people_in_two_or_more_crimes() -> None:
    crime_frame = crimes([{} for _ in range(6)])
    victims = [(0, "victim", 30, "female", "A"), (1, "victim", 30, "female", "A")]
    victims += [(2, "victim", 30, "female", "A"), (3, "victim", 20, "male", "B")]
    victims += [(4, "victim", 20, "male", "C"), (5, "victim", 20, "male", "D")]
    [finding] = police.repeat_victim_share(
        inputs(crimes=crime_frame, victims=people(crime_frame, victims, "victim"))
    )
    assert finding.value == pytest.approx(3 / 6)
    # The interval is wider than the rows' own Wilson interval: the rows of A are one person.
    lower, upper = wilson_interval(3, 6)
    assert finding.lower < lower and finding.upper > upper


def test_weekend_ratio_is_per_calendar_day() -> None:
    # January 2024: 31 days, 8 of them Saturdays or Sundays.
    crime_frame = crimes([{"weekday": 6}] * 8 + [{"weekday": 2}] * 23 + [{"weekday": None}])
    [finding] = time.weekend_rate_ratio(inputs(crimes=crime_frame, period=("2024-01", "2024-01")))
    assert finding.value == pytest.approx((8 / 8) / (23 / 23))
    expected = rate_ratio(8, 8, 23, 23)
    assert finding.lower == pytest.approx(expected["lowercl"].iloc[0])
    assert finding.notes == ("* crimes recorded without a date and time are left out.",)


def test_a_weekday_peak_is_called_real_only_when_it_is() -> None:
    clear = crimes([{"hour": 15}] * 30 + [{"hour": 14}] * 10 + [{"weekday": 6, "hour": 2}] * 50)
    findings = time.day_hour_profile(inputs(crimes=clear))
    peak = _one(findings, "weekday_peak_hour")
    assert (peak.value, peak.significance) == (15, "real peak")
    assert peak.p_value == pytest.approx(0.00222, abs=1e-4)  # 2 P(X >= 30), X ~ Bin(40, 1/2)
    close = crimes([{"hour": 15}] * 11 + [{"hour": 14}] * 10)
    assert _one(time.day_hour_profile(inputs(crimes=close)), "weekday_peak_hour").significance == (
        "not significant"
    )
    heat = _one(findings, "day_hour_profile").data
    assert len(heat) == 7 * 24 and heat["count"].sum() == 90


def test_deprivation_ratio_sii_and_quintiles() -> None:
    crime_frame = crimes([{"lsoa": "L1"}] * 30 + [{"lsoa": "L2"}] * 5 + [{"lsoa": "L3"}] * 12)
    findings = deprivation.deprivation_rates(
        inputs(crimes=crime_frame)
    ) + deprivation.decile_1_vs_10(inputs(crimes=crime_frame))
    ratio = _one(findings, "deprivation_rate_ratio_decile1_vs_10")
    assert ratio.value == pytest.approx(6.0)
    assert ratio.significance == "higher"
    deciles = _one(findings, "deprivation_rates_by_decile").data
    assert deciles["count"].tolist() == [30, 0, 0, 0, 12, 0, 0, 0, 0, 5]
    assert deciles.loc[0, "rate"] == pytest.approx(30.0)  # per 1,000 a year
    quintiles = _one(findings, "deprivation_rates_by_quintile").data
    assert quintiles["count"].tolist() == [30, 0, 12, 0, 5]
    # Only three deciles have crime: too few for a slope of inequality.
    assert not [f for f in findings if f.id == "deprivation_sii"]


def test_rates_by_area_rank_and_compare() -> None:
    crime_frame = crimes([{"lsoa": "L1"}] * 40 + [{"lsoa": "L3"}] * 4)
    findings = place.rates_by_area(inputs(crimes=crime_frame))
    wards = _one(findings, "rates_by_ward")
    assert wards.value == "Ward one"
    table = wards.data.set_index("area")
    assert table.loc["W1", "count"] == 40 and table.loc["W1", "significance"] == "Higher"
    assert table.loc["W2", "significance"] == "Lower"
    assert {f.id for f in findings} >= {
        "rates_by_ward",
        "rates_by_lsoa",
        "rates_by_local_authority",
    }


def test_robbery_change_needs_two_years_and_compares_them() -> None:
    robbery = {"offence": "34B"}
    rows = [{**robbery, "month": "2023-03"}] * 20 + [{**robbery, "month": "2024-03"}] * 30
    rows += [{**robbery, "month": "2024-05", "lsoa": "L3"}] * 4
    crime_frame = crimes(rows)
    [finding] = place.robbery_rate_change(inputs(crimes=crime_frame, period=("2023-01", "2024-12")))
    assert finding.value == pytest.approx(70.0)  # 20 -> 34
    table = finding.data.set_index("area")
    assert table.loc[CITY, "later"] == 30 and table.loc[TOWN, "later"] == 4
    # 0 to 4 offences: no percentage change, and an exact interval too wide to be sure.
    assert math.isnan(table.loc[TOWN, "change"])
    assert table.loc[TOWN, "significance"] == "not significant"
    assert not math.isnan(table.loc[CITY, "change_upper"])
    # 12 months: nothing to compare with.
    with pytest.raises(NotComputed, match="at least 13 months"):
        place.robbery_rate_change(inputs(crimes=crime_frame))
    # 18 months: the last 6 against the same 6 months a year before.
    [half] = place.robbery_rate_change(inputs(crimes=crime_frame, period=("2023-01", "2024-06")))
    assert half.period == "2024-01 to 2024-06 against 2023-01 to 2023-06"
    assert half.value == pytest.approx(70.0)  # 20 -> 34


def test_police_uk_only_is_never_called_serious_violence() -> None:
    street = pd.DataFrame(
        {
            "crime_type": ["Violence and sexual offences"] * 3 + ["Burglary"],
            "month": ["2024-01"] * 4,
            "lsoa": ["L1", "L1", "L3", "L1"],
            "ward": ["W1", "W1", "W2", "W1"],
            "local_authority": [CITY, CITY, TOWN, CITY],
            "csp": [CITY, CITY, TOWN, CITY],
            "imd_decile": [1, 1, 5, 1],
        }
    )
    findings = place.rates_by_area(inputs(street_crimes=street))
    wards = _one(findings, "rates_by_ward")
    assert "serious violence" not in wards.sentence.replace("serious-violence definition", "")
    assert 'police.uk "Violence and sexual offences"' in wards.sentence
    assert wards.data["count"].sum() == 3
    with pytest.raises(NotComputed):
        time.weekend_rate_ratio(inputs(street_crimes=street))


def test_robbery_by_under_25s_counts_only_their_robberies() -> None:
    robbery = {"offence": "34B"}
    rows = [{**robbery, "month": "2023-03"}] * 10 + [{**robbery, "month": "2024-03"}] * 15
    crime_frame = crimes(rows + [{**robbery, "month": "2024-04"}] * 5)
    suspects = [(i, "suspect", 19, "male", f"P{i}") for i in (*range(4), *range(10, 22))]
    suspects += [(i, "suspect", 40, "male", f"Q{i}") for i in range(25, 30)]
    frame = people(crime_frame, suspects, "suspect")
    two_years = inputs(crimes=crime_frame, perpetrators=frame, period=("2023-01", "2024-12"))
    [finding] = place.robbery_u25_rate_change(two_years)
    assert finding.id == "robbery_u25_rate_change"
    assert finding.value == pytest.approx(200.0)  # 4 -> 12 robberies by under-25s
    assert "under 25" in finding.sentence
    [everyone] = place.robbery_rate_change(two_years)
    assert everyone.value == pytest.approx(100.0)  # 10 -> 20
