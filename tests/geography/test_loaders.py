"""Loading the reference fixture: counts, hierarchy, values, idempotence and atomicity."""

from __future__ import annotations

import doctest
import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.geography.conftest import snapshot
from vrn.geography import loaders
from vrn.geography.loaders import ReferenceDataError, load_reference
from vrn.geography.models import (
    Area,
    AreaType,
    Boundary,
    Deprivation,
    LsoaChange,
    Population,
    ReferenceLoad,
)

pytestmark = pytest.mark.django_db

LEICESTER, BLABY, NORTH_NORTHANTS = "E06000016", "E07000129", "E06000061"
WARDS = "geographr/lookup_lsoa21_ward24_ltla24.csv"
CENSUS = "census2021-lsoa-age/census21_pop.csv.gz"


def test_loads_exact_counts(reference_dir: Path) -> None:
    load = load_reference(reference_dir)

    assert load.counts == {
        "Area": 22,
        "LsoaChange": 8,
        "Deprivation": 7,
        "Population": 42,
        "Boundary": 9,
        "Area csp24": 6,
        "Area lsoa21": 7,
        "Area ltla24": 3,
        "Area pfa24": 2,
        "Area ward24": 4,
    }
    assert Population.objects.count() == 42
    assert load.files[CENSUS]["rows"] == 42
    assert len(load.files[CENSUS]["sha256"]) == 64


def test_records_the_load(reference_dir: Path) -> None:
    now = datetime(2025, 1, 31, 12, tzinfo=UTC)

    load = load_reference(reference_dir, now=now)

    assert ReferenceLoad.objects.get() == load
    assert load.loaded_at == now
    assert load.source_dir == str(reference_dir)
    assert set(load.files) == {source.path for source in loaders.SOURCES}


def test_notes_count_what_was_not_linked(reference_dir: Path) -> None:
    notes = load_reference(reference_dir).notes

    assert notes == [
        "1 ltla24 areas in several csp24 areas: placed under their pfa24: E06000061",
        "1 imd-humaniverse/imd2025_england_lsoa21.csv.gz: LSOAs not in the hierarchy: E01000001",
        "1 geographr/boundaries_ltla24.geojson: areas not in the hierarchy: E06000017",
    ]


def test_hierarchy_parents(reference_dir: Path) -> None:
    load_reference(reference_dir)

    lsoa = Area.objects.get(code="E01034013")
    chain = [lsoa, lsoa.parent, lsoa.parent.parent, lsoa.parent.parent.parent]
    chain.append(chain[-1].parent)
    assert [(area.code, area.type) for area in chain] == [
        ("E01034013", AreaType.LSOA),
        ("E05010476", AreaType.WARD),
        (LEICESTER, AreaType.LOCAL_AUTHORITY),
        ("E22000168", AreaType.CSP),
        ("E23000021", AreaType.POLICE_FORCE_AREA),
    ]
    assert chain[-1].parent is None
    assert Area.objects.get(code=BLABY).parent_id == "E22000164"


def test_authority_with_several_csps_sits_under_its_force(reference_dir: Path) -> None:
    load_reference(reference_dir)

    assert Area.objects.get(code=NORTH_NORTHANTS).parent_id == "E23000022"
    csps = Area.objects.filter(type=AreaType.CSP, parent_id="E23000022")
    assert csps.count() == 4


def test_local_authority_set_on_lsoas_and_wards(reference_dir: Path) -> None:
    load_reference(reference_dir)

    lsoas = dict(Area.objects.filter(type=AreaType.LSOA).values_list("code", "local_authority"))
    assert lsoas == {
        "E01034013": LEICESTER,
        "E01034014": LEICESTER,
        "E01013776": LEICESTER,
        "E01034020": LEICESTER,
        "E01025664": BLABY,
        "E01025665": BLABY,
        "E01027342": NORTH_NORTHANTS,
    }
    assert Area.objects.get(code="E05015266").local_authority_id == BLABY
    assert not Area.objects.filter(type=AreaType.LOCAL_AUTHORITY, local_authority__isnull=False)


def test_lsoa_changes_keep_split_and_merge(reference_dir: Path) -> None:
    load_reference(reference_dir)

    split = LsoaChange.objects.filter(lsoa11_code="E01013778").order_by("lsoa21")
    assert [(c.lsoa21_id, c.change_code) for c in split] == [("E01034013", "S"), ("E01034014", "S")]
    merged = LsoaChange.objects.filter(lsoa21="E01034020").order_by("lsoa11_code")
    assert [(c.lsoa11_code, c.lsoa11_name) for c in merged] == [
        ("E01013647", "Leicester 040B"),
        ("E01032875", "Leicester 040D"),
    ]


def test_deprivation_values_as_in_the_file(reference_dir: Path) -> None:
    load_reference(reference_dir)

    row = Deprivation.objects.get(lsoa="E01034020")
    assert (row.release, row.imd_score, row.imd_rank, row.imd_decile) == (
        "IoD2025",
        39.492,
        4712,
        2,
    )
    assert row.domains == {
        "income": {"score": 0.225, "rank": 13912, "decile": 5},
        "employment": {"score": 0.183, "rank": 8069, "decile": 3},
        "education": {"score": 25.319, "rank": 11200, "decile": 4},
        "health": {"score": 2.273, "rank": 166, "decile": 1},
        "crime": {"score": 0.678, "rank": 7282, "decile": 3},
        "housing_and_services": {"score": 39.928, "rank": 2144, "decile": 1},
        "environment": {"score": 34.505, "rank": 7101, "decile": 3},
    }
    assert isinstance(row.imd_rank, int)


def test_population_with_bom_and_thousands_separator(reference_dir: Path) -> None:
    load_reference(reference_dir)

    students = Population.objects.get(lsoa="E01034013", age_group="Aged 16 to 24 years")
    assert (students.residents, students.age_from, students.age_to) == (1147, 16, 24)
    assert students.source == "Census 2021"
    ages = Population.objects.filter(lsoa="E01034013").order_by("age_from")
    assert [(p.age_from, p.age_to) for p in ages] == [
        (0, 15),
        (16, 24),
        (25, 34),
        (35, 49),
        (50, 64),
        (65, None),
    ]
    assert sum(p.residents for p in ages) == 1936


def test_boundaries_parsed(reference_dir: Path) -> None:
    load_reference(reference_dir)

    lsoa = Boundary.objects.get(area="E01034013")
    assert lsoa.geometry["type"] == "MultiPolygon"
    assert lsoa.source == "geographr/boundaries_lsoa21_LLR.geojson"
    authorities = Boundary.objects.filter(area__type=AreaType.LOCAL_AUTHORITY)
    assert sorted(authorities.values_list("area", flat=True)) == [
        LEICESTER,
        NORTH_NORTHANTS,
        BLABY,
    ]


def test_second_load_leaves_identical_contents(reference_dir: Path) -> None:
    first = load_reference(reference_dir)
    before = snapshot()

    second = load_reference(reference_dir)

    after = snapshot()
    assert after.pop("ReferenceLoad")[-1]["counts"] == first.counts
    before.pop("ReferenceLoad")
    assert after == before
    assert (second.counts, second.files, second.notes) == (first.counts, first.files, first.notes)


def test_optional_authority_boundaries_may_be_missing(reference_copy: Path) -> None:
    (reference_copy / "geographr/boundaries_ltla24.geojson").unlink()

    load = load_reference(reference_copy)

    assert load.counts["Boundary"] == 6
    assert "geographr/boundaries_ltla24.geojson not present" in load.notes[-1]


def test_missing_file_is_named_with_what_it_is(reference_copy: Path) -> None:
    (reference_copy / CENSUS).unlink()

    with pytest.raises(ReferenceDataError, match=CENSUS) as error:
        load_reference(reference_copy)

    assert "Census 2021 usual residents" in str(error.value)


def test_missing_column_names_file_and_column(reference_copy: Path) -> None:
    _edit(reference_copy / WARDS, "ward24_code,", "ward_code,")

    with pytest.raises(ReferenceDataError, match=f"{WARDS}: missing column.*ward24_code"):
        load_reference(reference_copy)


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        (
            WARDS,
            "E01013776,Westcotes,E05010476",
            "E01013776,Westcotes,E0501047",
            f"{WARDS}: field ward24_code is not a 9-character GSS code.*line 3 'E0501047'",
        ),
        (
            CENSUS,
            "Aged 65 years and over,82",
            "Aged 65 years and over,8 2",
            f"{CENSUS}: field usual_residents is not a number.*line 31 '8 2'",
        ),
        (
            CENSUS,
            "Aged 50 to 64 years,113",
            "Aged 50 to 64,113",
            f"{CENSUS}: field age_group is not like.*line 30 'Aged 50 to 64'",
        ),
        (
            "imd-humaniverse/imd2025_england_lsoa21.csv.gz",
            "E01034020,2.0,",
            "E01034020,2.5,",
            "field IMD_decile is not a whole number from 1 to 10.*line 9 '2.5'",
        ),
        (
            "geographr/lookup_lsoa11_lsoa21_ltla22.csv",
            "E01013778,S,Leicester 023H",
            "E01013778,Z,Leicester 023H",
            "field change_code is not one of M, S, U, X.*line 3 'Z'",
        ),
    ],
)
def test_bad_row_names_file_line_and_field_and_changes_nothing(
    reference_dir: Path, reference_copy: Path, path: str, old: str, new: str, message: str
) -> None:
    load_reference(reference_dir)
    before = snapshot()
    _edit(reference_copy / path, old, new)

    with pytest.raises(ReferenceDataError, match=message):
        load_reference(reference_copy)

    assert snapshot() == before


def test_failure_while_writing_rolls_everything_back(
    reference_dir: Path, reference_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_reference(reference_dir)
    before = snapshot()
    _edit(reference_copy / WARDS, "Blaby 012E,E01025665,", "Blaby 012X,E01025665,")

    def fail() -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(loaders, "_table_counts", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load_reference(reference_copy)

    assert snapshot() == before


def test_ward_in_two_authorities_is_loaded_without_parent(reference_copy: Path) -> None:
    _edit(
        reference_copy / WARDS,
        "Blaby 012E,E01025665,Fosse Highcross,E05015266,Blaby,E07000129\n",
        "",
    )
    _append(
        reference_copy / WARDS, "Blaby 012E,E01025665,Fosse Highcross,E05015266,Leicester,E06000016"
    )

    load = load_reference(reference_copy)

    ward = Area.objects.get(code="E05015266")
    assert (ward.parent_id, ward.local_authority_id) == (None, None)
    assert Area.objects.get(code="E01025665").local_authority_id == LEICESTER
    assert "1 ward24 areas in several ltla24 areas: loaded with no parent: E05015266" in load.notes


def test_authority_missing_from_the_csp_lookup_is_noted(reference_copy: Path) -> None:
    _edit(
        reference_copy / "geographr/lookup_ltla24_csp24_pfa24.csv",
        "E07000129,Blaby,E22000164,Blaby,E23000021,Leicestershire\n",
        "",
    )

    load = load_reference(reference_copy)

    assert Area.objects.get(code=BLABY).parent_id is None
    assert any(note.startswith("1 ltla24 areas not in") and BLABY in note for note in load.notes)


def test_code_at_two_levels_is_an_error(reference_copy: Path) -> None:
    _edit(
        reference_copy / "geographr/lookup_ltla24_csp24_pfa24.csv",
        "E07000129,Blaby,E22000164,",
        "E07000129,Blaby,E07000129,",
    )

    with pytest.raises(ReferenceDataError, match=r"codes at two levels: E07000129 \(csp24\)"):
        load_reference(reference_copy)


def test_docstring_examples() -> None:
    assert doctest.testmod(loaders) == (0, 2)  # (failed, attempted)


def _edit(path: Path, old: str, new: str) -> None:
    """Replace one occurrence of ``old`` in a (possibly gzipped) text file."""
    text = _read(path)
    assert text.count(old) == 1, old
    _write(path, text.replace(old, new))


def _append(path: Path, line: str) -> None:
    _write(path, _read(path) + line + "\n")


def _read(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
