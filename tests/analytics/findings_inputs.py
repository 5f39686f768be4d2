"""Small hand-made :class:`ProfileInputs` whose findings can be worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from vrn.analytics.findings import ProfileInputs, Scope
from vrn.analytics.measures import Period
from vrn.definitions import Definitions, load_definitions

CITY, TOWN = "E06000016", "E07000129"
SCOPE = Scope(
    code="LLR",
    name="Test network",
    kind="network",
    local_authorities={CITY: "Leicester", TOWN: "Blaby"},
    counties={"Leicestershire": (TOWN,)},
    ward_names={"W1": "Ward one", "W2": "Ward two"},
)
#: Census groups (age_from, age_to) and residents per LSOA.
GROUPS = [(0, 15, 160), (16, 24, 90), (25, 34, 100), (35, 49, 150), (50, 64, 150), (65, None, 350)]
LSOAS = [
    ("L1", "W1", CITY, 1),
    ("L2", "W1", CITY, 10),
    ("L3", "W2", TOWN, 5),
    ("L4", "W2", TOWN, 6),
]


def population(scale: int = 1) -> pd.DataFrame:
    """Four LSOAs of 1,000 residents each (times ``scale``), 250 of them under 25."""
    rows = [
        (lsoa, ward, authority, authority, decile, low, high, residents * scale)
        for lsoa, ward, authority, decile in LSOAS
        for low, high, residents in GROUPS
    ]
    columns = ["lsoa", "ward", "local_authority", "csp", "imd_decile"]
    return pd.DataFrame(rows, columns=[*columns, "age_from", "age_to", "residents"])


def crimes(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """Crimes with defaults: a public, non-domestic 8N (violence with injury) in L1."""
    defaults: dict[str, object] = {
        "offence": "8N",
        "crime_group": "Violence against the person",
        "weapon": "none",
        "domestic": False,
        "public_place": True,
        "injury": "minor",
        "month": "2024-01",
        "weekday": 1,
        "hour": 12,
        "lsoa": "L1",
        "synthetic": False,
    }
    places = {lsoa: (ward, authority, decile) for lsoa, ward, authority, decile in LSOAS}
    frame = []
    for i, row in enumerate(rows):
        crime = {**defaults, **row, "crime_id": f"C{i}"}
        ward, authority, decile = places[str(crime["lsoa"])]
        crime.update(ward=ward, local_authority=authority, csp=authority, imd_decile=decile)
        frame.append(crime)
    return pd.DataFrame(frame)


def people(
    crime_frame: pd.DataFrame, rows: Sequence[tuple[int, str, float, str, str]], prefix: str
) -> pd.DataFrame:
    """People of ``(crime index, role, age, sex, person_key)`` joined to their crimes."""
    definitions = load_definitions()
    frame = pd.DataFrame(rows, columns=["crime", "role", f"{prefix}_age", f"{prefix}_sex", "key"])
    frame["crime_id"] = "C" + frame.pop("crime").astype(str)
    frame["person_key"] = frame.pop("key")
    frame[f"{prefix}_age_band"] = definitions.age_bands.assign("sna", frame[f"{prefix}_age"])
    frame[f"{prefix}_residence"] = CITY
    return frame.merge(crime_frame, on="crime_id")


def inputs(
    definitions: Definitions | None = None,
    period: tuple[str, str] = ("2024-01", "2024-12"),
    **frames: pd.DataFrame | None,
) -> ProfileInputs:
    return ProfileInputs(
        definitions=definitions or load_definitions(),
        period=Period.of(*period),
        scope=SCOPE,
        population=frames.pop("population", None)
        if frames.get("population") is not None
        else population(),
        **frames,
    )
