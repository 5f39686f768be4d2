"""Hand-made partner files on the reference fixture's geography, loaded through the
ingesters, with the counts each measure should give."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrn.ingest.pipeline import LoadContext

from ..partners import context, load, reference, write_csv

__all__ = ["context", "loaded", "reference"]

FORCE = "E23000021"
LEICESTER_LSOA = "E01013776"  # Leicester, E06000016
BLABY_LSOA = "E01025664"  # Blaby, E07000129
OUTSIDE_LSOA = "E01027342"  # North Northamptonshire: outside the network

# reference, offence, committed, LSOA, location, weapon, domestic, victims, suspects
CRIMES = [
    ("K1", "34B", "2024-01-10 21:00", LEICESTER_LSOA, "public", "knife_or_sharp", "N", [19], [17]),
    ("K2", "8N", "2024-01-12 23:00", LEICESTER_LSOA, "private", "knife_or_sharp", "Y", [22], [23]),
    ("K3", "1", "2024-02-03 01:30", BLABY_LSOA, "public", "knife_or_sharp", "N", [17], []),
    ("K4", "8N", "2024-03-01 15:00", "", "public", "unknown", "N", [None], [21]),
    ("K5", "34B", "2024-03-05 18:00", LEICESTER_LSOA, "public", "none", "N", [30, 45], [26]),
    ("K6", "49", "2024-02-01 09:00", LEICESTER_LSOA, "public", "none", "N", [33], []),
    ("K7", "8N", "2024-02-10 22:00", OUTSIDE_LSOA, "public", "knife_or_sharp", "N", [40], [40]),
]
# episode, admitted, method, order, status, diagnoses, age, LSOA of residence
EPISODES = [
    ("A1", "2024-01-10", "21", "1", "3", ["S21.1", "X99.1"], "22", LEICESTER_LSOA),
    ("A2", "2024-01-10", "21", "2", "3", ["S21.1", "X99.1"], "22", LEICESTER_LSOA),
    ("A3", "2024-02-14", "21", "1", "3", ["S00.9", "Y04.0"], "19", BLABY_LSOA),
    ("A4", "2024-03-20", "2A", "1", "3", ["S21.0", "F10.2", "X99.9"], "30", BLABY_LSOA),
]

#: What the shipped definitions count in these files.
EXPECTED = {
    "sharp_object_admissions": 2,  # A1, A4 (A2 is the spell's second episode)
    "sharp_object_admissions_u25": 1,  # A1, aged 22
    "knife_enabled_serious_violence": 4,  # K1, K2, K3, K7
    "knife_enabled_serious_violence_u25": 3,  # K1 (19), K2 (22), K3 (17)
    "non_domestic_homicide": 1,  # K3
    "non_domestic_homicide_u25_knife": 1,  # K3
    "serious_violence": 5,  # K1, K3, K4, K5, K7 (K2 is domestic, K6 other theft)
    "serious_violence_u25": 3,  # K1, K3, K4 (suspect aged 21)
}


def _key(text: str) -> str:
    """A made-up 64-hex-digit person key."""
    return text.encode().hex().ljust(64, "0")[:64]


def write_files(folder: Path) -> tuple[Path, Path, Path]:
    crime_rows, person_rows = [], []
    for reference_, code, committed, lsoa, place, weapon, domestic, victims, suspects in CRIMES:
        crime_rows.append(
            {
                "crime_reference": reference_,
                "force_code": FORCE,
                "offence_code": code,
                "committed_from": committed,
                "lsoa_code": lsoa,
                "location_type": place,
                "weapon": weapon,
                "domestic": domestic,
                "injury": "fatal" if code == "1" else "minor",
            }
        )
        for role, ages in (("victim", victims), ("suspect", suspects)):
            for number, age in enumerate(ages):
                person_rows.append(
                    {
                        "crime_reference": reference_,
                        "force_code": FORCE,
                        "role": role,
                        "person_key": _key(f"{reference_}{role}{number}"),
                        "age": "" if age is None else str(age),
                    }
                )
    crimes = write_csv(
        folder / "crimes.csv",
        [
            "crime_reference",
            "force_code",
            "offence_code",
            "committed_from",
            "lsoa_code",
            "location_type",
            "weapon",
            "domestic",
            "injury",
        ],
        crime_rows,
    )
    people = write_csv(
        folder / "people.csv",
        ["crime_reference", "force_code", "role", "person_key", "age"],
        person_rows,
    )
    episode_rows = []
    for episode, admitted, method, order, status, diagnoses, age, lsoa in EPISODES:
        row = {
            "episode_id": episode,
            "provider_code": "RWE",
            "person_key": _key(episode[:2] if order == "1" else "A1"),
            "admission_date": admitted,
            "admission_method": method,
            "episode_order": order,
            "episode_status": status,
            "age": age,
            "residence_lsoa": lsoa,
        }
        row.update({f"diag_{i:02d}": code for i, code in enumerate(diagnoses, start=1)})
        episode_rows.append(row)
    header = ["episode_id", "provider_code", "person_key", "admission_date", "admission_method"]
    header += ["episode_order", "episode_status", "diag_01", "diag_02", "diag_03", "age"]
    header += ["residence_lsoa"]
    admissions = write_csv(folder / "admissions.csv", header, episode_rows)
    return crimes, people, admissions


@pytest.fixture
def loaded(reference: None, context: LoadContext, tmp_path: Path) -> None:
    """The files above, loaded (every row accepted)."""
    for name, path in zip(
        ("police-extract", "police-extract", "admissions"), write_files(tmp_path), strict=True
    ):
        result = load(name, path, context)
        assert (result.status, result.rows_quarantined) == ("loaded", 0), (path, result)
