"""Loading the shipped definitions, overriding them, and the references results record."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from tests.definitions.conftest import EditFile
from vrn.definitions import (
    DEFINITION_NAMES,
    DefinitionError,
    DefinitionRef,
    Definitions,
    definitions_dir_from_environment,
    export_definitions,
    load_definitions,
    shipped_directory,
)
from vrn.definitions.__main__ import main


class TestShipped:
    def test_every_definition_loads_with_a_header_and_reference(self, shipped: Definitions) -> None:
        assert list(shipped.refs) == list(DEFINITION_NAMES)
        for name, ref in shipped.refs.items():
            assert ref.name == name
            assert ref.version == 1
            assert len(ref.sha256) == 64
            assert ref.short_id == f"{name}@1#{ref.sha256[:8]}"
        assert shipped.overridden() == ()

    def test_headers_name_their_source(self, shipped: Definitions) -> None:
        assert "Response Strategy" in shipped.serious_violence.header.source
        assert "Home Office" in shipped.success_measures.header.source
        assert shipped.serious_violence.header.supersedes is None

    def test_offence_table_has_the_132_rows_and_splits_homicide(self, shipped: Definitions) -> None:
        offences = shipped.offence_codes
        assert len({entry.table_code for entry in offences.codes}) == 132
        assert len(offences) == 135  # the homicide row gives 1, 4.1, 4.10 and 4.2
        assert offences["1"].description == "Murder"
        assert offences["4.10"].table_code == "1/4.1/4.10/4.2"
        assert offences["5d"].description == "Assault with intent to cause serious harm"
        assert offences["34B"].police_uk_crime_type == "Robbery"
        assert offences["8N"].police_uk_crime_type == "Violence and sexual offences"
        assert "5A" not in offences  # retired code, absent from the mapping

    def test_shipped_table_is_the_unchanged_copy_named_in_its_origin(self) -> None:
        toml = tomllib.loads((shipped_directory() / "offence-codes.toml").read_text())
        table = shipped_directory() / toml["table"]["file"]
        digest = hashlib.sha256(table.read_bytes()).hexdigest()
        assert digest in toml["table"]["origin"]
        assert (shipped_directory() / "LICENSE.crime-sim-toolkit.txt").is_file()

    def test_police_uk_types_are_the_current_police_uk_categories(
        self, shipped: Definitions
    ) -> None:
        from vrn.crime.police_uk import CRIME_TYPES

        retired = {"Violent crime", "Public disorder and weapons"}
        assert set(shipped.offence_codes.police_uk_crime_types) == CRIME_TYPES - retired

    def test_police_uk_crime_type_is_vectorised(self, shipped: Definitions) -> None:
        codes = pd.Series([" 34b", "8N", "ZZ", None])
        result = shipped.offence_codes.police_uk_crime_type(codes)
        assert result.tolist()[:2] == ["Robbery", "Violence and sexual offences"]
        assert result.isna().tolist() == [False, False, True, True]

    def test_ref_as_dict_is_json_ready(self, shipped: Definitions) -> None:
        ref = shipped.serious_violence.ref
        assert ref.as_dict() == {
            "name": "serious-violence",
            "version": "1",
            "sha256": ref.sha256,
            "id": ref.short_id,
        }
        assert str(ref) == ref.short_id


class TestOverride:
    def test_edited_definition_changes_results_version_and_hash(
        self, shipped: Definitions, edit: EditFile, override_dir: Path
    ) -> None:
        crimes = pd.DataFrame(
            {"offence_code": ["8N", "3B"], "public_place": [True, True], "domestic": [False] * 2}
        )
        assert shipped.serious_violence.mask(crimes).tolist() == [True, False]
        edit(
            "serious-violence",
            ("version = 1", 'version = 2\nsupersedes = "serious-violence@1"'),
            ('"8S",   # Assault with injury on a constable', '"8S", "3B",'),
        )
        edited = load_definitions(override_dir)
        assert edited.serious_violence.mask(crimes).tolist() == [True, True]
        ref = edited.serious_violence.ref
        assert ref.version == 2
        assert ref.sha256 != shipped.serious_violence.ref.sha256
        assert edited.serious_violence.header.supersedes == "serious-violence@1"
        assert edited.overridden() == ("serious-violence",)
        # the others still come from the package, unchanged
        assert edited.hospital.ref == shipped.hospital.ref

    def test_content_change_without_version_bump_still_changes_the_reference(
        self, shipped: Definitions, edit: EditFile, override_dir: Path
    ) -> None:
        edit("hospital", ('include = ["X99"]', 'include = ["X99", "X95"]'))
        edited = load_definitions(override_dir).hospital.ref
        assert edited.version == shipped.hospital.ref.version
        assert edited.sha256 != shipped.hospital.ref.sha256
        assert edited.short_id != shipped.hospital.ref.short_id

    def test_comments_and_layout_do_not_change_the_reference(
        self, shipped: Definitions, edit: EditFile, override_dir: Path
    ) -> None:
        edit("age-bands", ("name = ", "# an analyst's note\n\nname   =  "))
        assert load_definitions(override_dir).age_bands.ref == shipped.age_bands.ref

    def test_date_versions_are_allowed(self, edit: EditFile, override_dir: Path) -> None:
        edit("priorities", ("version = 1", "version = 2025-04-01"))
        ref = load_definitions(override_dir).priorities.ref
        assert ref.version == dt.date(2025, 4, 1)
        assert ref.short_id.startswith("priorities@2025-04-01#")

    def test_edited_offence_table_changes_the_offence_codes_reference(
        self, shipped: Definitions, override_dir: Path
    ) -> None:
        table = (shipped_directory() / "CrimeCatMappings.csv").read_text()
        (override_dir / "CrimeCatMappings.csv").write_text(
            table + "132,Violence against the person,5A,Inflicting GBH with intent,"
            "Violence with injury,Violence and Sexual Offences\n"
        )
        edited = load_definitions(override_dir)
        assert "5A" not in shipped.offence_codes
        # the table is read beside offence-codes.toml, so the shipped TOML ignores it ...
        assert edited.offence_codes.ref == shipped.offence_codes.ref
        # ... until the TOML is copied beside it
        (override_dir / "offence-codes.toml").write_text(
            (shipped_directory() / "offence-codes.toml").read_text()
        )
        edited = load_definitions(override_dir)
        assert "5A" in edited.offence_codes
        assert edited.offence_codes.ref.sha256 != shipped.offence_codes.ref.sha256

    def test_measure_references_name_every_definition_used(self, shipped: Definitions) -> None:
        refs = shipped.measure_references("sharp_object_admissions_u25")
        assert [ref.name for ref in refs] == ["success-measures", "hospital", "age-bands"]
        refs = shipped.measure_references("non_domestic_homicide")
        assert [ref.name for ref in refs] == ["success-measures", "offence-codes"]
        assert all(isinstance(ref, DefinitionRef) for ref in refs)

    def test_unknown_toml_in_the_override_folder_is_an_error(self, override_dir: Path) -> None:
        (override_dir / "serious_violence.toml").write_text("")
        with pytest.raises(DefinitionError) as caught:
            load_definitions(override_dir)
        assert caught.value.file.endswith("serious_violence.toml")
        assert "not a definition file" in str(caught.value)

    def test_missing_override_folder_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(DefinitionError, match="not a folder"):
            load_definitions(tmp_path / "nowhere")


class TestSettingsAndCommand:
    def test_environment_function(self, tmp_path: Path) -> None:
        assert definitions_dir_from_environment({}) is None
        assert definitions_dir_from_environment({"VRN_DEFINITIONS_DIR": "  "}) is None
        assert definitions_dir_from_environment({"VRN_DEFINITIONS_DIR": str(tmp_path)}) == (
            tmp_path.resolve()
        )
        with pytest.raises(ValueError, match="VRN_DEFINITIONS_DIR"):
            definitions_dir_from_environment({"VRN_DEFINITIONS_DIR": str(tmp_path / "x")})

    def test_export_copies_for_editing_and_never_overwrites(self, tmp_path: Path) -> None:
        written = export_definitions(tmp_path, ("offence-codes", "hospital"))
        assert sorted(path.name for path in written) == [
            "CrimeCatMappings.csv",
            "LICENSE.crime-sim-toolkit.txt",
            "hospital.toml",
            "offence-codes.toml",
        ]
        assert load_definitions(tmp_path).refs == load_definitions().refs
        with pytest.raises(FileExistsError):
            export_definitions(tmp_path, ("hospital",))
        with pytest.raises(ValueError, match="unknown"):
            export_definitions(tmp_path, ("nonsense",))

    def test_check_command_prints_references(
        self, capsys: pytest.CaptureFixture[str], edit: EditFile, override_dir: Path
    ) -> None:
        assert main(["check"]) == 0
        out = capsys.readouterr().out
        assert "serious-violence@1#" in out and "shipped" in out
        edit("age-bands", ('bands = ["0-24", "25+"]', 'bands = ["0-24", "26+"]'))
        assert main(["check", str(override_dir)]) == 1
        assert "age-bands.toml" in capsys.readouterr().err

    def test_export_command(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert main(["export", str(tmp_path), "priorities"]) == 0
        assert (tmp_path / "priorities.toml").is_file()
        assert main(["export", str(tmp_path), "priorities"]) == 1
        assert "not overwritten" in capsys.readouterr().err
