"""The serious-violence mask and groupings on a small hand-made table of crimes."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.definitions import Definitions

# offence code, public place, domestic, sexual element, expected grouping (None: not SV)
ROWS = [
    ("1", True, False, False, "homicide"),  # murder in a public place
    ("4.1", True, True, False, None),  # domestic manslaughter
    ("8N", True, False, False, "violence_with_injury"),
    ("8N", False, False, False, None),  # assault with injury in a private place
    ("8N", None, False, False, None),  # location unknown: cannot be shown public
    ("8N", True, None, False, "violence_with_injury"),  # no domestic flag: not domestic
    ("5D", True, True, False, None),  # domestic GBH with intent
    ("5e", True, False, False, "violence_with_injury"),  # code case does not matter
    (" 34B ", True, False, False, "robbery"),
    ("34A", True, False, True, None),  # robbery with a sexual element
    ("19C", True, False, True, None),  # rape: a sexual offence, never listed
    ("17A", True, False, True, None),  # sexual assault
    ("105A", True, False, False, None),  # assault without injury
    ("3B", True, False, False, None),  # threats to kill: violence without injury
    ("4.4", True, False, False, None),  # death by dangerous driving: excluded
    ("4.10", True, False, False, None),  # corporate manslaughter: excluded
    (None, True, False, False, None),
]


@pytest.fixture
def crimes() -> pd.DataFrame:
    return pd.DataFrame(
        [row[:4] for row in ROWS],
        columns=["offence_code", "public_place", "domestic", "sexual"],
        index=pd.RangeIndex(100, 100 + len(ROWS)),
    ).astype({"public_place": "boolean", "domestic": "boolean", "sexual": "boolean"})


def test_mask_and_grouping(shipped: Definitions, crimes: pd.DataFrame) -> None:
    result = shipped.serious_violence.classify(crimes, sexual="sexual")
    expected = [row[4] for row in ROWS]
    assert list(result.index) == list(crimes.index)
    assert result["serious_violence"].dtype == bool
    assert result["serious_violence"].tolist() == [group is not None for group in expected]
    assert [None if pd.isna(g) else g for g in result["grouping"]] == expected


def test_without_a_sexual_flag_only_codes_exclude_sexual_offences(
    shipped: Definitions, crimes: pd.DataFrame
) -> None:
    mask = shipped.serious_violence.mask(crimes)
    assert mask[109]  # the robbery with a sexual element now counts
    assert not mask[110] and not mask[111]  # rape and sexual assault never do


def test_flags_may_be_text_or_numbers(shipped: Definitions) -> None:
    crimes = pd.DataFrame(
        {"offence_code": ["8N"] * 4, "public_place": ["Y", "yes", 1, "N"], "domestic": "n"}
    )
    assert shipped.serious_violence.mask(crimes).tolist() == [True, True, True, False]


def test_other_column_names(shipped: Definitions) -> None:
    crimes = pd.DataFrame({"ho_code": ["34B"], "is_public": [True], "da_flag": [False]})
    mask = shipped.serious_violence.mask(
        crimes, offence_code="ho_code", public_place="is_public", domestic="da_flag"
    )
    assert mask.tolist() == [True]


def test_missing_or_unreadable_columns_are_named(shipped: Definitions) -> None:
    with pytest.raises(ValueError, match=r"'domestic' is missing.*domestic excluded"):
        shipped.serious_violence.mask(pd.DataFrame({"offence_code": ["8N"], "public_place": [1]}))
    with pytest.raises(ValueError, match=r"'public_place' must be yes/no.*'outside'"):
        shipped.serious_violence.mask(
            pd.DataFrame({"offence_code": ["8N"], "public_place": ["outside"], "domestic": [0]})
        )


def test_codes_groupings_and_police_uk_types(shipped: Definitions) -> None:
    sv = shipped.serious_violence
    assert [g.id for g in sv.groupings] == ["homicide", "violence_with_injury", "robbery"]
    assert sv.codes == (
        *("1", "4.1", "4.2"),
        *("2", "4.3", "4.7", "5D", "5E", "8N", "8P", "8S"),
        *("34A", "34B"),
    )
    grouping = sv.grouping_of("5d")
    assert grouping is not None and grouping.id == "violence_with_injury"
    assert sv.grouping_of("3B") is None
    assert sv.public_place_only and sv.exclude_domestic and sv.exclude_sexual_offences
    assert sv.police_uk_crime_types(shipped.offence_codes) == (
        "Robbery",
        "Violence and sexual offences",
    )
    excluded = {code for entry in sv.excluded for code in entry.codes}
    assert excluded == {"4.10", "4.4", "4.6", "4.8", "4.9", "37.1"}


def test_offence_codes_read_as_decimals_are_refused(shipped: Definitions) -> None:
    crimes = pd.DataFrame({"offence_code": [4.1, 1.0], "public_place": True, "domestic": False})
    with pytest.raises(ValueError, match=r"4\.1 and 4\.10 are different codes"):
        shipped.serious_violence.mask(crimes)
    whole = pd.DataFrame({"offence_code": [1, 2], "public_place": True, "domestic": False})
    assert shipped.serious_violence.mask(whole).tolist() == [True, True]
