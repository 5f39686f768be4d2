"""The Home Office success measures as rules over the other definitions."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.definitions import AdmissionRule, CrimeColumns, Definitions, PoliceRule


def test_the_measures_and_their_rules(shipped: Definitions) -> None:
    measures = shipped.success_measures
    assert measures.ids == (
        "sharp_object_admissions",
        "sharp_object_admissions_u25",
        "knife_enabled_serious_violence",
        "knife_enabled_serious_violence_u25",
        "non_domestic_homicide",
        "non_domestic_homicide_u25_knife",
    )
    sharp = measures["sharp_object_admissions_u25"]
    assert sharp.rule == AdmissionRule("sharp_object", True, True)
    assert sharp.age is not None and (sharp.age.scheme, sharp.age.bands) == ("under25", ("0-24",))
    assert sharp.quote == measures["sharp_object_admissions"].quote
    homicide = measures["non_domestic_homicide"].rule
    assert homicide == PoliceRule(("1", "4.1", "4.2", "4.10"), False, True)
    knife_homicide = measures["non_domestic_homicide_u25_knife"].rule
    assert isinstance(knife_homicide, PoliceRule)
    assert knife_homicide.knife_or_sharp_instrument and knife_homicide.exclude_domestic
    knife = measures["knife_enabled_serious_violence"].rule
    assert isinstance(knife, PoliceRule) and knife.knife_or_sharp_instrument
    assert {"2", "3B", "5D", "8N", "34B", "19C", "20A"} <= set(knife.offence_codes)
    with pytest.raises(KeyError):
        measures["nonsense"]


@pytest.fixture
def crimes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "offence_code": ["8N", "8N", "34B", "1", "1", "1", "4.1", "105A", "5D"],
            "knife_or_sharp_instrument": [True, False, True, True, False, True, True, True, None],
            "domestic": [False, False, False, False, False, True, None, False, False],
            "victim_age": [24, 19, 25, 17, 17, 30, None, 20, 22],
        }
    )


def test_police_measures(shipped: Definitions, crimes: pd.DataFrame) -> None:
    def mask(measure_id: str) -> list[bool]:
        return shipped.measure_mask(measure_id, crimes).tolist()

    assert mask("knife_enabled_serious_violence") == [1, 0, 1, 1, 0, 1, 1, 0, 0]
    assert mask("knife_enabled_serious_violence_u25") == [1, 0, 0, 1, 0, 0, 0, 0, 0]
    assert mask("non_domestic_homicide") == [0, 0, 0, 1, 1, 0, 1, 0, 0]
    assert mask("non_domestic_homicide_u25_knife") == [0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_police_measure_column_names(shipped: Definitions, crimes: pd.DataFrame) -> None:
    renamed = crimes.rename(columns={"victim_age": "age_of_victim"})
    columns = CrimeColumns(victim_age="age_of_victim")
    assert shipped.measure_mask("non_domestic_homicide_u25_knife", renamed, columns).any()
    with pytest.raises(ValueError, match="'victim_age' is missing"):
        shipped.measure_mask("non_domestic_homicide_u25_knife", renamed)


def test_hospital_measures(shipped: Definitions) -> None:
    episodes = pd.DataFrame(
        {
            "diag_01": ["S21", "S21", "S21", "S21", "S21"],
            "diag_02": ["X99.1", "X99", "Y04", "X99", "X99"],
            "admission_method": ["21", "21", "21", "12", "21"],
            "episode_order": [1, 1, 1, 1, 1],
            "episode_status": [3, 3, 3, 3, 3],
            "age": [24, 25, 20, 20, None],
        }
    )
    assert shipped.measure_mask("sharp_object_admissions", episodes).tolist() == [
        True,
        True,
        False,
        False,
        True,
    ]
    assert shipped.measure_mask("sharp_object_admissions_u25", episodes).tolist() == [
        True,
        False,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="pass EpisodeColumns"):
        shipped.measure_mask("sharp_object_admissions", episodes, CrimeColumns())
