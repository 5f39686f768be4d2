"""Violence-related admissions, cause groups with their precedence, related conditions."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from vrn.definitions import Definitions, EpisodeColumns


@pytest.fixture
def episodes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "diag_01": ["S01.2", "S21.1", "F10.0", "T14.1", "S01.2", "S01.2", "X99.1", "J18"],
            "diag_02": ["Y04.0", "X99.1", "X99", None, "X99", "X85", "Y04", None],
            "diag_03": ["X99", "Y04", "F11.2", "Y09", "F32", None, None, None],
            "admission_method": ["21", "2A", 21, "21", "11", "21", "22", "21"],
            "episode_order": [1, 1, 1, 2, 1, 1, "01", 1],
            "episode_status": [3, 3, 3, 3, 3, 1, 3, 3],
            "age": [17, 30, None, 5, 24, 25, 10, 40],
        }
    )


def test_violence_related_admission(shipped: Definitions, episodes: pd.DataFrame) -> None:
    # rows 3 (second episode), 4 (elective), 5 (unfinished), 7 (no violence code) do not count
    assert shipped.hospital.violence_related(episodes).tolist() == [
        True,
        True,
        True,
        False,
        False,
        False,
        True,
        False,
    ]


def test_cause_group_by_first_position(shipped: Definitions, episodes: pd.DataFrame) -> None:
    result = shipped.hospital.cause_group(episodes)
    assert result.tolist()[:7] == [
        "bodily_force",  # Y04 in position 2 comes before X99 in position 3
        "sharp_object",
        "sharp_object",
        "other",  # Y09
        "sharp_object",
        "other",  # X85
        "sharp_object",
    ]
    assert pd.isna(result[7])


def test_cause_group_by_group_order(shipped: Definitions, episodes: pd.DataFrame) -> None:
    hospital = replace(shipped.hospital, cause_precedence="group_order")
    result = hospital.cause_group(episodes)
    assert result[0] == "sharp_object"  # any X99 wins over Y04 in this rule
    assert result[3] == "other" and pd.isna(result[7])


def test_condition_flags(shipped: Definitions, episodes: pd.DataFrame) -> None:
    flags = shipped.hospital.condition_flags(episodes)
    assert list(flags.columns) == ["mental_health", "substance_misuse", "alcohol"]
    assert flags.loc[2].tolist() == [False, True, True]  # F10.0 and F11.2
    assert flags.loc[4].tolist() == [True, False, False]  # F32
    assert not flags.loc[0].any()


def test_diagnosis_columns(episodes: pd.DataFrame) -> None:
    renamed = episodes.rename(columns={"diag_01": "DIAG_1", "diag_02": "DIAG_10"})
    assert EpisodeColumns().diagnosis_columns(renamed) == ("DIAG_1", "diag_03", "DIAG_10")
    assert EpisodeColumns(diagnoses=("diag_02",)).diagnosis_columns(episodes) == ("diag_02",)
    with pytest.raises(ValueError, match="no diagnosis columns"):
        EpisodeColumns().diagnosis_columns(pd.DataFrame({"code": []}))
    with pytest.raises(ValueError, match="missing: diag_09"):
        EpisodeColumns(diagnoses=("diag_09",)).diagnosis_columns(episodes)


def test_shipped_rules(shipped: Definitions) -> None:
    hospital = shipped.hospital
    assert hospital.violence_related_admission.code_set == "violence"
    assert [g.id for g in hospital.cause_groups] == ["sharp_object", "bodily_force", "other"]
    assert hospital.cause_groups[-1].code_set is None
    assert "2A" in hospital.episodes.emergency_admission_methods
    assert "11" not in hospital.episodes.emergency_admission_methods
