"""Every file has exactly its documented header and vocabularies, and rows are coherent."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vrn.definitions import Definitions
from vrn.synth import Skeleton, Synthesis, World, write_world
from vrn.synth.generate import ADMISSION_COLUMNS, CRIME_COLUMNS, ISTV_COLUMNS, PEOPLE_COLUMNS

#: The columns each format documents (docs/formats/*.md); a file must use only these.
DOCUMENTED = {
    "police-crimes.csv": {
        "crime_reference",
        "force_code",
        "offence_code",
        "offence_description",
        "committed_from",
        "committed_to",
        "easting",
        "northing",
        "latitude",
        "longitude",
        "lsoa_code",
        "location_type",
        "weapon",
        "domestic",
        "injury",
        "synthetic",
    },
    "police-people.csv": {
        "crime_reference",
        "force_code",
        "role",
        "person_key",
        "age",
        "sex",
        "ethnicity",
        "residence_lsoa",
        "residence_postcode",
        "synthetic",
    },
    "istv.csv": {
        "attendance_id",
        "treatment_site_code",
        "arrival",
        "incident_date",
        "incident_time",
        "incident_location",
        "incident_easting",
        "incident_northing",
        "incident_latitude",
        "incident_longitude",
        "geocode_confidence",
        "incident_location_type",
        "means_of_assault",
        "age",
        "sex",
        "residence_postcode_district",
        "residence_lsoa",
        "person_key",
        "synthetic",
    },
    "admissions.csv": {
        "episode_id",
        "provider_code",
        "person_key",
        "admission_date",
        "admission_method",
        "episode_order",
        "episode_status",
        "episode_start",
        "episode_end",
        "discharge_date",
        "length_of_stay",
        *(f"diag_{i:02d}" for i in range(1, 21)),
        "age",
        "sex",
        "residence_lsoa",
        "synthetic",
    },
}
REQUIRED = {
    "police-crimes.csv": (
        "crime_reference",
        "force_code",
        "offence_code",
        "committed_from",
        "location_type",
        "weapon",
        "domestic",
        "injury",
    ),
    "police-people.csv": ("crime_reference", "force_code", "role", "person_key"),
    "istv.csv": ("attendance_id", "treatment_site_code", "arrival", "means_of_assault"),
    "admissions.csv": (
        "episode_id",
        "provider_code",
        "person_key",
        "admission_date",
        "admission_method",
        "episode_order",
        "episode_status",
        "diag_01",
    ),
}
HEADERS = {
    "police-crimes.csv": CRIME_COLUMNS,
    "police-people.csv": PEOPLE_COLUMNS,
    "istv.csv": ISTV_COLUMNS,
    "admissions.csv": ADMISSION_COLUMNS,
}
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{2}:\d{2}$")
KEY = re.compile(r"^[0-9a-f]{64}$")
ICD = re.compile(r"^[A-Z]\d{2}[0-9A-Z]?$")


def make_skeleton(world: World, rows: int = 6000) -> Skeleton:
    """Made-up police.uk incidents on the made-up world (for the pure-core tests)."""
    rng = np.random.default_rng(7)
    types = [
        "Violence and sexual offences",
        "Public order",
        "Criminal damage and arson",
        "Other theft",
        "Vehicle crime",
        "Shoplifting",
        "Burglary",
        "Drugs",
        "Other crime",
        "Bicycle theft",
        "Possession of weapons",
        "Robbery",
        "Theft from the person",
    ]
    weights = np.array([62421, 17078, 15227, 13150, 10155, 9815, 7708, 5053, 3602, 2144, 1506])
    weights = np.r_[weights, 1304, 1290] / np.r_[weights, 1304, 1290].sum()
    lsoa = rng.integers(0, len(world.lsoas), rows)
    located = rng.random(rows) > 0.03
    months = pd.to_datetime("2023-01-01") + pd.to_timedelta(rng.integers(0, 18, rows) * 31, "D")
    return Skeleton(
        pd.DataFrame(
            {
                "month": months.to_period("M").to_timestamp(),
                "crime_type": np.array(types)[rng.choice(len(types), rows, p=weights)],
                "latitude": np.where(located, world.lsoas["latitude"].to_numpy()[lsoa], np.nan),
                "longitude": np.where(located, world.lsoas["longitude"].to_numpy()[lsoa], np.nan),
                "lsoa_code": np.where(located, world.lsoas["lsoa_code"].to_numpy()[lsoa], ""),
                "local_authority_code": np.where(
                    located, world.lsoas["local_authority_code"].to_numpy()[lsoa], ""
                ),
                "location": [f"On or near Street {i % 97}" for i in range(rows)],
            }
        )
    )


@pytest.fixture(scope="module", params=["pure", "augmented"])
def written(
    request: pytest.FixtureRequest,
    world: World,
    definitions: Definitions,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    mode = request.param
    out = tmp_path_factory.mktemp(mode)
    synthesis = Synthesis(
        world=world,
        definitions=definitions,
        seed=11,
        mode=mode,
        crimes=20_000 if mode == "pure" else None,
        skeleton=make_skeleton(world) if mode == "augmented" else None,
    )
    write_world(synthesis, out, command=f"vrn synth --mode {mode} --seed 11 --out DIR")
    return out


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_is_documented_and_complete(written: Path, name: str) -> None:
    header = (written / name).read_text(encoding="utf-8").split("\n", 1)[0].split(",")

    assert tuple(header) == HEADERS[name]
    assert set(header) <= DOCUMENTED[name]
    assert set(REQUIRED[name]) <= set(header)
    frame = read(written, name)
    assert len(frame) > 0
    for column in REQUIRED[name]:
        assert (frame[column] != "").all(), column
    assert (frame["synthetic"] == "true").all()


def test_crimes_vocabularies_and_definitions(written: Path, definitions: Definitions) -> None:
    crimes = read(written, "police-crimes.csv")
    offences = definitions.offence_codes

    assert crimes["crime_reference"].is_unique
    assert (crimes["crime_reference"].str.len() <= 40).all()
    assert (crimes["force_code"] == "E23000021").all()
    assert crimes["offence_code"].map(lambda code: code in offences).all()
    descriptions = crimes["offence_code"].map(lambda code: offences[code].description)
    assert (crimes["offence_description"] == descriptions).all()
    assert set(crimes["location_type"]) <= {"public", "private", "unknown"}
    assert set(crimes["weapon"]) <= {"knife_or_sharp", "firearm", "other", "none", "unknown"}
    assert set(crimes["domestic"]) <= {"Y", "N"}
    assert set(crimes["injury"]) <= {"none", "minor", "serious", "fatal", "unknown"}
    assert crimes["committed_from"].str.match(DATETIME).all()
    windowed = crimes["committed_to"] != ""
    assert crimes.loc[windowed, "committed_to"].str.match(DATETIME).all()
    assert (crimes.loc[windowed, "committed_to"] > crimes.loc[windowed, "committed_from"]).all()
    latitude = pd.to_numeric(crimes["latitude"].replace("", np.nan))
    assert latitude.dropna().between(49.8, 60.9).all()


def test_crimes_are_coherent(written: Path, definitions: Definitions) -> None:
    crimes = read(written, "police-crimes.csv")
    group = crimes["offence_code"].map(lambda code: definitions.offence_codes[code].group)
    homicide = crimes["offence_code"].isin(["1", "4.1"])
    assert (crimes.loc[homicide, "injury"] == "fatal").all()
    assert (
        (crimes.loc[~homicide & (crimes["injury"] == "fatal"), "offence_code"])
        .isin(["4.4", "4.6", "4.8", "37.1"])
        .all()
    )
    with_injury = crimes["offence_code"].isin(["8N", "8P", "8S", "5D", "2"])
    assert (crimes.loc[with_injury, "injury"].isin(["minor", "serious"])).all()
    without = crimes["offence_code"].isin(["105A", "105B", "104"])
    assert (crimes.loc[without, "injury"] == "none").all()
    assert (crimes.loc[crimes["offence_code"] == "10D", "weapon"] == "knife_or_sharp").all()
    domestic = crimes["domestic"] == "Y"
    plausible = (
        group.isin(["Violence against the person", "Sexual offences"])
        | crimes["offence_code"].isin(["9A", "9B", "62A", "66"])
        | crimes["offence_code"].str.startswith("5")
    )
    assert plausible[domestic].all()
    assert (crimes.loc[domestic, "location_type"] == "private").mean() > 0.75
    assert not domestic[crimes["offence_code"].isin(["34A", "34B"])].any()


def test_people(written: Path, definitions: Definitions) -> None:
    crimes = read(written, "police-crimes.csv")
    people = read(written, "police-people.csv")

    assert people["crime_reference"].isin(crimes["crime_reference"]).all()
    assert set(people["role"]) <= {"victim", "suspect", "offender"}
    assert people["person_key"].str.match(KEY).all()
    assert not people.duplicated(["crime_reference", "person_key", "role"]).any()
    ages = pd.to_numeric(people["age"])
    assert ages.between(0, 120).all()
    assert (ages[people["role"] != "victim"] >= 10).all()
    assert set(people["sex"]) <= {"M", "F", "X", "U"}
    assert set(people["ethnicity"]) <= {"white", "mixed", "asian", "black", "other", "not_stated"}
    # a sexual offence code fixes the victim: 19C is rape of a female aged 16 and over
    rape = people.merge(crimes.loc[crimes["offence_code"] == "19C", ["crime_reference"]])
    victims = rape[rape["role"] == "victim"]
    assert (victims["sex"] == "F").all()
    assert (pd.to_numeric(victims["age"]) >= 16).all()
    # one suspect age group per crime (under 25 or 25 and over)
    suspects = people[people["role"] != "victim"].assign(age_n=pd.to_numeric(people["age"]))
    spread = suspects.groupby("crime_reference")["age_n"].agg(["min", "max"])
    assert ((spread["max"] <= 24) | (spread["min"] >= 25)).all()
    # a person keeps their age, sex and residence across crimes
    stable = people.groupby("person_key")[["age", "sex", "residence_lsoa"]].nunique()
    assert (stable <= 1).all().all()


def test_istv(written: Path) -> None:
    istv = read(written, "istv.csv")
    people = read(written, "police-people.csv")

    assert istv["attendance_id"].is_unique
    assert (istv["treatment_site_code"] == "RWEAA").all()
    assert istv["arrival"].str.match(DATETIME).all()
    assert istv["incident_date"].str.match(DATE).all()
    assert istv["incident_time"].str.match(TIME).all()
    incident = pd.to_datetime(istv["incident_date"] + " " + istv["incident_time"])
    arrival = pd.to_datetime(istv["arrival"])
    assert (arrival >= incident).all()
    assert (arrival - incident <= pd.Timedelta(days=1)).all()
    assert set(istv["means_of_assault"]) <= {
        "body_part",
        "knife_sharp",
        "blunt_object",
        "glass_bottle",
        "firearm",
        "other",
        "unknown",
    }
    assert set(istv["incident_location_type"]) <= {
        "street",
        "licensed_premises",
        "home",
        "school",
        "workplace",
        "public_transport",
        "other_public",
        "other",
        "unknown",
    }
    located = istv["incident_latitude"] != ""
    assert set(istv.loc[located, "geocode_confidence"]) <= {"exact", "street", "area"}
    assert (istv.loc[~located, "geocode_confidence"] == "none").all()
    assert (istv["incident_location"].str.len() <= 200).all()
    assert istv["person_key"].str.match(KEY).all()
    # a knife crime's victim arrives with a knife wound
    crimes = read(written, "police-crimes.csv")
    victims = people[people["role"] == "victim"].merge(crimes, on="crime_reference")
    linked = istv.merge(victims, on="person_key")
    linked = linked[linked["incident_date"] == linked["committed_from"].str[:10]]
    knife = linked["weapon"] == "knife_or_sharp"
    assert (linked.loc[knife, "means_of_assault"] == "knife_sharp").all()
    assert (linked.loc[linked["weapon"] == "none", "means_of_assault"] == "body_part").all()


def test_admissions(written: Path, definitions: Definitions) -> None:
    admissions = read(written, "admissions.csv")
    istv = read(written, "istv.csv")

    assert admissions["episode_id"].is_unique
    assert (admissions["provider_code"] == "RWE").all()
    assert (admissions["admission_method"] == "21").all()
    assert set(admissions["episode_order"]) <= {"1", "2"}
    assert (admissions["episode_status"] == "3").all()
    for column in ("admission_date", "episode_start", "episode_end", "discharge_date"):
        assert admissions[column].str.match(DATE).all()
    assert (admissions["episode_end"] >= admissions["episode_start"]).all()
    assert (admissions["discharge_date"] >= admissions["admission_date"]).all()
    assert pd.to_numeric(admissions["length_of_stay"]).between(0, 9).all()
    diagnoses = admissions[[f"diag_{i:02d}" for i in range(1, 6)]]
    used = diagnoses[diagnoses != ""].stack()
    assert used.str.match(ICD).all()
    # primary diagnosis an injury (S00-T14), then the external cause of the assault
    assert admissions["diag_01"].str.match(r"^(S\d\d|T(0\d|1[0-4]))").all()
    assert admissions["diag_02"].str[:3].isin(["X95", "X99", "Y00", "Y04", "Y08", "Y09"]).all()
    assert (
        definitions.hospital.violence_related(admissions).sum()
        == (admissions["episode_order"] == "1").sum()
    )
    # every admission comes from an attendance, with a cause matching the means of assault
    first = admissions[admissions["episode_order"] == "1"]
    attendances = istv.assign(admission_date=istv["arrival"].str[:10])
    joined = first.merge(attendances, on=["person_key", "admission_date"])
    cause = {
        "knife_sharp": "X99",
        "glass_bottle": "X99",
        "body_part": "Y04",
        "blunt_object": "Y00",
        "firearm": "X95",
        "other": "Y08",
        "unknown": "Y09",
    }
    consistent = joined["diag_02"].str[:3] == joined["means_of_assault"].map(cause)
    assert consistent.groupby(joined["episode_id"]).any().reindex(first["episode_id"]).all()
    assert set(admissions["sex"]) <= {"1", "2", "9", "0"}


def test_unreported_assaults_are_near_real_places(written: Path, world: World) -> None:
    istv = read(written, "istv.csv")
    people = read(written, "police-people.csv")
    unknown = istv[~istv["person_key"].isin(people["person_key"])]
    assert len(unknown) > len(istv) / 2
    located = unknown[unknown["incident_latitude"] != ""]
    latitude = pd.to_numeric(located["incident_latitude"])
    longitude = pd.to_numeric(located["incident_longitude"])
    lsoa_lat = world.lsoas["latitude"].to_numpy()
    lsoa_lon = world.lsoas["longitude"].to_numpy()
    nearest = np.min(
        np.hypot(
            (latitude.to_numpy()[:, None] - lsoa_lat[None, :]) * 111_320,
            (longitude.to_numpy()[:, None] - lsoa_lon[None, :]) * 68_000,
        ),
        axis=1,
    )
    # within a kilometre or so of a real place (an LSOA point or a hotspot)
    assert np.median(nearest) < 1000
