"""Every problem in a definition file names the file, the entry (line or key) and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.conftest import EditFile
from vrn.definitions import DefinitionError, load_definitions


def error_for(override_dir: Path) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load_definitions(override_dir)
    assert isinstance(caught.value, ValueError)
    return caught.value


def test_malformed_toml_names_the_line(edit: EditFile, override_dir: Path) -> None:
    edit("hospital", ("[episodes]", "[episodes"))
    error = error_for(override_dir)
    assert error.file.endswith("hospital.toml")
    assert error.entry.startswith("line ")
    assert "not valid TOML" in error.problem
    assert str(error) == f"{error.file}: {error.entry}: {error.problem}"


@pytest.mark.parametrize("field", ["name", "version", "source", "description"])
def test_missing_header_field(edit: EditFile, override_dir: Path, field: str) -> None:
    path = edit("age-bands")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith(f"{field} = ")))
    error = error_for(override_dir)
    assert error.file.endswith("age-bands.toml")
    assert error.entry == field
    assert "missing" in error.problem


@pytest.mark.parametrize("version", ['"two"', "0", "true", "2025-04-01T10:00:00"])
def test_bad_version(edit: EditFile, override_dir: Path, version: str) -> None:
    edit("priorities", ("version = 1", f"version = {version}"))
    error = error_for(override_dir)
    assert (error.entry, "is not a version" in error.problem) == ("version", True)


def test_name_must_match_the_file(edit: EditFile, override_dir: Path) -> None:
    edit("hospital", ('name = "hospital"', 'name = "hospitals"'))
    error = error_for(override_dir)
    assert error.entry == "name" and "'hospitals'" in error.problem


def test_unknown_offence_code_in_serious_violence(edit: EditFile, override_dir: Path) -> None:
    edit("serious-violence", ('"34B",  # Robbery of personal property', '"34B", "34X",'))
    error = error_for(override_dir)
    assert error.file.endswith("serious-violence.toml")
    assert error.entry == "grouping[2] (robbery).codes[2]"
    assert "'34X' is not in offence-codes" in error.problem


def test_unknown_offence_code_in_a_measure(edit: EditFile, override_dir: Path) -> None:
    edit("success-measures", ('offence_codes = ["1", "4.1"', 'offence_codes = ["1", "4.11"'))
    error = error_for(override_dir)
    assert error.entry == "measure[4] (non_domestic_homicide).offence_codes[1]"
    assert "'4.11'" in error.problem


def test_sexual_offence_code_in_serious_violence(edit: EditFile, override_dir: Path) -> None:
    edit("serious-violence", ('"34B",  # Robbery of personal property', '"34B", "19C",'))
    error = error_for(override_dir)
    assert error.entry == "grouping[2] (robbery).codes[2]"
    assert "sexual offence" in error.problem


def test_code_in_two_groupings(edit: EditFile, override_dir: Path) -> None:
    edit("serious-violence", ('"34B",  # Robbery of personal property', '"34B", "8N",'))
    error = error_for(override_dir)
    assert "already in grouping 'violence_with_injury'" in error.problem


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("Y09-X85", "starts after it ends"),
        ("X85-Y0", "is not an ICD-10 code"),
        ("X85-Y09.1", "both ends"),
        ("85X", "is not an ICD-10 code"),
        ("X85-Y01-Y09", "not an ICD-10 code or range"),
    ],
)
def test_bad_icd_item(edit: EditFile, override_dir: Path, item: str, problem: str) -> None:
    edit("hospital", ('include = ["X85-Y09"]', f'include = ["{item}"]'))
    error = error_for(override_dir)
    assert error.file.endswith("hospital.toml")
    assert error.entry == "code_sets.violence.include[0]"
    assert problem in error.problem


def test_cause_group_outside_violence_codes(edit: EditFile, override_dir: Path) -> None:
    edit("hospital", ('include = ["Y04"]', 'include = ["Y04", "W50"]'))
    error = error_for(override_dir)
    assert error.entry == "causes.group[1] (bodily_force).code_set"
    assert "not within the violence-related admission codes" in error.problem


def test_overlapping_cause_groups(edit: EditFile, override_dir: Path) -> None:
    edit("hospital", ('include = ["Y04"]', 'include = ["Y04", "X99.1"]'))
    error = error_for(override_dir)
    assert "overlaps the codes of group 'sharp_object'" in error.problem


def test_unknown_code_set_reference(edit: EditFile, override_dir: Path) -> None:
    edit("success-measures", ('code_set = "sharp_object"', 'code_set = "sharp_objects"'))
    error = error_for(override_dir)
    assert error.file.endswith("success-measures.toml")
    assert error.entry == "measure[0] (sharp_object_admissions).code_set"


def test_unknown_age_band_reference(edit: EditFile, override_dir: Path) -> None:
    edit("priorities", ('bands = ["15-19"]', 'bands = ["15-20"]'))
    error = error_for(override_dir)
    assert error.entry == "group[1] (males_15_19).age.bands[0]"
    assert "not a band of scheme sna" in error.problem


def test_gap_in_age_bands(edit: EditFile, override_dir: Path) -> None:
    edit("age-bands", ('"20-24", "25-34"', '"20-24", "26-34"'))
    error = error_for(override_dir)
    assert error.entry == "scheme[1] (sna).bands"
    assert "should start at 25" in error.problem


def test_misspelt_key_is_reported_not_ignored(edit: EditFile, override_dir: Path) -> None:
    edit("serious-violence", ("exclude_domestic = true", "exclude_domestc = true"))
    error = error_for(override_dir)
    assert error.entry == "rules.exclude_domestic"
    assert "missing" in error.problem


def test_extra_key_is_reported(edit: EditFile, override_dir: Path) -> None:
    edit("serious-violence", ("exclude_domestic = true", "exclude_domestic = true\nwho = 1"))
    error = error_for(override_dir)
    assert (error.entry, "unknown key" in error.problem) == ("rules.who", True)


def test_bad_offence_table_row_names_the_line(edit: EditFile, override_dir: Path) -> None:
    from vrn.definitions import shipped_directory

    edit("offence-codes")
    rows = (shipped_directory() / "CrimeCatMappings.csv").read_text().splitlines()
    rows[3] = rows[3].replace("Violence and Sexual Offences", "Violent crime")
    (override_dir / "CrimeCatMappings.csv").write_text("\n".join(rows) + "\n")
    error = error_for(override_dir)
    assert error.file.endswith("CrimeCatMappings.csv")
    assert error.entry == "line 4 (code 20A)"
    assert "'Violent crime' is not one of police_uk_crime_types" in error.problem


def test_duplicate_offence_code_names_both_lines(edit: EditFile, override_dir: Path) -> None:
    from vrn.definitions import shipped_directory

    edit("offence-codes")
    table = (shipped_directory() / "CrimeCatMappings.csv").read_text()
    (override_dir / "CrimeCatMappings.csv").write_text(
        table + "132,Robbery,34A,Robbery again,Robbery of business property,Robbery\n"
    )
    error = error_for(override_dir)
    assert error.entry == "line 134 (code 34A)"
    assert "already given on line 78" in error.problem


def test_bad_area_code(edit: EditFile, override_dir: Path) -> None:
    edit("priorities", ('local_authority = "E06000016" }', 'local_authority = "E22000168" }'))
    error = error_for(override_dir)
    assert error.entry == "area[0] (leicester_csp).codes.local_authority"
    assert "is not a local_authority code" in error.problem


def test_variant_of_an_unknown_measure(edit: EditFile, override_dir: Path) -> None:
    edit("success-measures", ('variant_of = "non_domestic_homicide"', 'variant_of = "homicide"'))
    error = error_for(override_dir)
    assert error.entry == "measure[5] (non_domestic_homicide_u25_knife).variant_of"
