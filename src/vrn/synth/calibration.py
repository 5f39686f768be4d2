"""Fixed tables that make a synthetic world look like LLR data: the offence mix, what each
kind of offence looks like (time, place, weapon, injury, victims, suspects) and the hospital
coding of injuries.

These tables carry realism, not findings: no finding in ``truth.json`` is read from them
directly (the model solves the probabilities that carry the findings; see
``vrn.synth.model``). Where a number comes from data, its source is given; the rest are
stated assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Police recorded crime, Leicestershire, financial year 2017/18 (four quarters summed), by
#: Home Office offence code: ``prc-pfa-201718_new.csv`` shipped in the PyPI package
#: crime-sim-toolkit 1.5.0 (Home Office open data, OGL v3). Codes with no offences are left
#: out. The combined homicide row (18 offences) is split 15 murder, 3 manslaughter (our
#: assumption). Left out as needing victims the model does not make: 4.3 intentional
#: destruction of a viable unborn child (1 offence).
OFFENCE_WEIGHTS: dict[str, int] = {
    "80": 21, "71": 27, "73": 9, "31A": 9, "29A": 98, "37.2": 49, "56A": 93, "56B": 235,
    "8N": 7030, "8S": 51, "5D": 256, "105A": 8776, "104": 239, "30D": 108, "28F": 229,
    "28H": 10, "2": 29, "83": 3, "35": 155, "30C": 2847, "28E": 5948, "37.1": 1, "4.6": 2,
    "4.8": 2, "4.4": 3, "22A": 19, "13": 32, "3A": 1, "58B": 918, "58A": 2440, "58C": 4085,
    "11A": 73, "802": 80, "95": 4, "43": 19, "28G": 43, "5E": 52, "24": 2, "88E": 199, "60": 8,
    "814": 4, "33": 57, "54": 36, "8L": 3204, "1": 15, "4.1": 3, "23": 53,
    "126": 676, "36": 72, "49A": 2446, "33A": 182, "8R": 1740, "106": 35, "86": 403, "69": 85,
    "58D": 2107, "92C": 37, "81": 3, "61": 75, "88C": 3, "99": 133, "66": 1470, "49": 7485,
    "67": 3, "79": 169, "10D": 298, "92E": 760, "92D": 321, "61A": 5, "10B": 44, "10A": 70,
    "10C": 340, "14": 1, "38": 66, "9A": 2782, "8P": 24, "105B": 53, "58J": 23, "8M": 71,
    "9B": 504, "19C": 556, "19E": 52, "19D": 92, "19F": 43, "19H": 31, "19G": 19, "34A": 70,
    "34B": 821, "70": 5, "21": 128, "22B": 146, "20A": 569, "20B": 87, "17A": 94, "17B": 37,
    "88A": 115, "46": 6701, "27": 27, "8Q": 76, "41": 74, "47": 110, "39": 711, "45": 7635,
    "40": 302, "42": 12, "44": 1895, "48": 1706, "59": 356, "3B": 761, "92A": 469, "62A": 28,
    "96": 1,
}  # fmt: skip

WEAPONS = ("knife_or_sharp", "firearm", "other", "none", "unknown")
INJURIES = ("none", "minor", "serious", "fatal", "unknown")
PLACES = ("public", "private", "unknown")
MEANS = ("body_part", "knife_sharp", "blunt_object", "glass_bottle", "firearm", "other", "unknown")

NO_WEAPON = (0.0, 0.0, 0.0, 0.97, 0.03)
NO_INJURY = (1.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class OffenceClass:
    """What offences of one kind look like. Probabilities are over the tuples above."""

    name: str
    #: Key of :data:`TIME_PROFILES`; ``sv`` is built from the parameters.
    time_profile: str
    #: Placed with the violent-crime geography (deprivation gradient, hotspots) or the
    #: property one.
    violent_location: bool
    #: P(a suspect is identified); ``None``: the serious-violence groupings, solved.
    suspect_known: float | None
    suspect_profile: str = "violence"
    #: P(public place); ``None``: the serious-violence groupings, from the parameters.
    public: float | None = 0.5
    unknown_place: float = 0.02
    #: P(flagged domestic) in a (public, private, unknown) place.
    domestic: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: P(0, 1, 2, 3 victims).
    victims: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 0.0)
    victim_profile: str = "adult"
    domestic_victim_profile: str = "domestic"
    #: Share recorded with a time window (committed_to) instead of an exact time.
    window: float = 0.0
    weapon: tuple[float, ...] = NO_WEAPON
    #: Injury distribution by weapon (default: :attr:`injury_default`).
    injury: dict[str, tuple[float, ...]] = field(default_factory=dict)
    injury_default: tuple[float, ...] = NO_INJURY
    #: Whether an injured victim may attend the emergency department.
    ed_eligible: bool = False


_VIOLENT_VICTIMS = (0.0, 0.92, 0.06, 0.02)
_SV_DOMESTIC = (0.05, 0.45, 0.2)
_ASSAULT_DOMESTIC = (0.08, 0.55, 0.3)

CLASSES: dict[str, OffenceClass] = {
    cls.name: cls
    for cls in (
        OffenceClass(
            "homicide",
            "sv",
            True,
            None,
            public=None,
            domestic=_SV_DOMESTIC,
            victims=(0.0, 1.0, 0.0, 0.0),
            victim_profile="violence",
            weapon=(0.40, 0.04, 0.20, 0.30, 0.06),
            injury_default=(0.0, 0.0, 0.0, 1.0, 0.0),
        ),
        OffenceClass(
            "serious_assault",
            "sv",
            True,
            None,
            public=None,
            domestic=_SV_DOMESTIC,
            victims=_VIOLENT_VICTIMS,
            victim_profile="violence",
            weapon=(0.25, 0.02, 0.30, 0.38, 0.05),
            injury_default=(0.0, 0.2, 0.8, 0.0, 0.0),
            ed_eligible=True,
        ),
        OffenceClass(
            "assault_injury",
            "sv",
            True,
            None,
            public=None,
            domestic=_ASSAULT_DOMESTIC,
            victims=_VIOLENT_VICTIMS,
            victim_profile="violence",
            weapon=(0.04, 0.002, 0.12, 0.80, 0.038),
            injury={"knife_or_sharp": (0.0, 0.5, 0.5, 0.0, 0.0)},
            injury_default=(0.0, 0.85, 0.15, 0.0, 0.0),
            ed_eligible=True,
        ),
        OffenceClass(
            "robbery",
            "sv",
            True,
            None,
            public=None,
            victims=(0.0, 0.95, 0.05, 0.0),
            victim_profile="violence",
            weapon=(0.12, 0.01, 0.07, 0.75, 0.05),
            injury={"knife_or_sharp": (0.6, 0.2, 0.2, 0.0, 0.0)},
            injury_default=(0.6, 0.3, 0.1, 0.0, 0.0),
            ed_eligible=True,
        ),
        OffenceClass(
            "assault_no_injury",
            "violence",
            True,
            0.55,
            public=0.45,
            domestic=_ASSAULT_DOMESTIC,
            victims=_VIOLENT_VICTIMS,
            victim_profile="violence",
            weapon=(0.005, 0.0, 0.03, 0.95, 0.015),
        ),
        OffenceClass(
            "threats",
            "violence",
            True,
            0.6,
            public=0.3,
            unknown_place=0.03,
            domestic=(0.1, 0.5, 0.3),
            victims=_VIOLENT_VICTIMS,
            victim_profile="violence",
            weapon=(0.2, 0.02, 0.05, 0.7, 0.03),
        ),
        OffenceClass(
            "harassment",
            "daytime",
            True,
            0.7,
            public=0.2,
            unknown_place=0.1,
            domestic=(0.1, 0.45, 0.3),
            victims=(0.0, 0.97, 0.03, 0.0),
            victim_profile="violence",
            window=0.5,
        ),
        OffenceClass(
            "other_violence",
            "violence",
            True,
            0.7,
            public=0.2,
            domestic=(0.05, 0.3, 0.1),
            victims=(0.1, 0.9, 0.0, 0.0),
            victim_profile="violence",
            injury_default=(0.6, 0.35, 0.05, 0.0, 0.0),
        ),
        OffenceClass(
            "sexual",
            "violence",
            True,
            0.6,
            public=0.3,
            unknown_place=0.05,
            domestic=(0.05, 0.35, 0.2),
            victims=(0.0, 1.0, 0.0, 0.0),
            victim_profile="sexual",
            domestic_victim_profile="sexual",
            window=0.3,
            weapon=(0.01, 0.0, 0.01, 0.95, 0.03),
            injury_default=(0.3, 0.1, 0.0, 0.0, 0.6),
        ),
        OffenceClass(
            "driving_death",
            "violence",
            True,
            0.9,
            public=1.0,
            unknown_place=0.0,
            victims=(0.0, 1.0, 0.0, 0.0),
            victim_profile="violence",
            weapon=(0.0, 0.0, 1.0, 0.0, 0.0),
            injury_default=(0.0, 0.0, 0.3, 0.7, 0.0),
        ),
        OffenceClass(
            "public_order",
            "violence",
            True,
            0.5,
            public=0.8,
            domestic=(0.02, 0.1, 0.05),
            victims=(0.5, 0.5, 0.0, 0.0),
            victim_profile="violence",
        ),
        OffenceClass(
            "weapons",
            "violence",
            True,
            0.95,
            public=0.85,
            victims=(1.0, 0.0, 0.0, 0.0),
        ),
        OffenceClass("drugs", "violence", True, 0.95, public=0.75, victims=(1.0, 0.0, 0.0, 0.0)),
        OffenceClass(
            "burglary_home",
            "night",
            False,
            0.15,
            suspect_profile="property",
            public=0.0,
            unknown_place=0.0,
            victims=(0.0, 0.95, 0.05, 0.0),
            window=0.7,
        ),
        OffenceClass(
            "burglary_business",
            "night",
            False,
            0.15,
            suspect_profile="property",
            public=0.0,
            unknown_place=0.0,
            victims=(0.6, 0.4, 0.0, 0.0),
            window=0.7,
        ),
        OffenceClass(
            "vehicle", "night", False, 0.08, suspect_profile="property", public=0.85, window=0.6
        ),
        OffenceClass(
            "theft",
            "daytime",
            False,
            0.25,
            suspect_profile="property",
            public=0.5,
            unknown_place=0.05,
            victims=(0.3, 0.7, 0.0, 0.0),
            window=0.4,
        ),
        OffenceClass(
            "bicycle", "daytime", False, 0.1, suspect_profile="property", public=0.8, window=0.4
        ),
        OffenceClass(
            "theft_person",
            "daytime",
            False,
            0.15,
            suspect_profile="property",
            public=0.95,
            unknown_place=0.0,
            victim_profile="violence",
            window=0.2,
        ),
        OffenceClass(
            "shoplifting",
            "shop",
            False,
            0.5,
            suspect_profile="property",
            public=1.0,
            unknown_place=0.0,
            victims=(1.0, 0.0, 0.0, 0.0),
        ),
        OffenceClass(
            "damage",
            "night",
            False,
            0.25,
            suspect_profile="property",
            public=0.45,
            domestic=(0.03, 0.25, 0.05),
            victims=(0.2, 0.8, 0.0, 0.0),
            window=0.5,
        ),
        OffenceClass(
            "other",
            "daytime",
            False,
            0.6,
            suspect_profile="property",
            public=0.4,
            unknown_place=0.1,
            victims=(0.8, 0.2, 0.0, 0.0),
            window=0.3,
        ),
    )
}

_SEXUAL_CODES = [
    "17A", "17B", "19C", "19D", "19E", "19F", "19G", "19H", "20A", "20B", "21", "22A", "22B",
    "23", "70", "71", "73", "88A", "88C", "88E",
]  # fmt: skip

#: Offence code -> class. Codes not listed are ``other``.
CODE_CLASS: dict[str, str] = {
    **dict.fromkeys(["1", "4.1"], "homicide"),
    **dict.fromkeys(["2", "5D", "5E"], "serious_assault"),
    **dict.fromkeys(["8N", "8P", "8S"], "assault_injury"),
    **dict.fromkeys(["34A", "34B"], "robbery"),
    **dict.fromkeys(["104", "105A", "105B"], "assault_no_injury"),
    **dict.fromkeys(["3A", "3B"], "threats"),
    **dict.fromkeys(["8L", "8M", "8Q", "8R"], "harassment"),
    **dict.fromkeys(["11A", "13", "36", "106", "14"], "other_violence"),
    **dict.fromkeys(_SEXUAL_CODES, "sexual"),
    **dict.fromkeys(["4.4", "4.6", "4.8", "37.1"], "driving_death"),
    **dict.fromkeys(["9A", "9B", "62A", "66"], "public_order"),
    **dict.fromkeys(["10A", "10B", "10C", "10D", "81"], "weapons"),
    **dict.fromkeys(["92A", "92C", "92D", "92E"], "drugs"),
    **dict.fromkeys(["28E", "28F", "28G", "28H", "29A"], "burglary_home"),
    **dict.fromkeys(["30C", "30D", "31A"], "burglary_business"),
    **dict.fromkeys(["45", "48", "126", "37.2"], "vehicle"),
    **dict.fromkeys(["35", "40", "41", "42", "43", "47", "49", "49A"], "theft"),
    "44": "bicycle",
    "39": "theft_person",
    "46": "shoplifting",
    **dict.fromkeys(["56A", "56B", "58A", "58B", "58C", "58D", "58J", "59"], "damage"),
}

#: Per-code departures from the class: weapon, injury by weapon, place, victims, profile.
CODE_OVERRIDES: dict[str, dict[str, object]] = {
    "2": {"weapon": (0.45, 0.08, 0.20, 0.20, 0.07), "injury_default": (0.0, 0.3, 0.7, 0.0, 0.0)},
    "5E": {
        "weapon": (0.10, 0.03, 0.30, 0.50, 0.07),
        "injury_default": (0.3, 0.4, 0.3, 0.0, 0.0),
    },
    "34A": {
        "weapon": (0.20, 0.05, 0.10, 0.60, 0.05),
        "victims": (0.0, 1.0, 0.0, 0.0),
    },
    "8S": {"weapon": (0.02, 0.0, 0.10, 0.85, 0.03)},
    "62A": {"weapon": (0.05, 0.0, 0.2, 0.7, 0.05), "victims": (0.0, 0.7, 0.2, 0.1)},
    "66": {"victims": (1.0, 0.0, 0.0, 0.0)},
    "10A": {"weapon": (0.0, 1.0, 0.0, 0.0, 0.0)},
    "10B": {"weapon": (0.0, 1.0, 0.0, 0.0, 0.0)},
    "81": {"weapon": (0.0, 1.0, 0.0, 0.0, 0.0)},
    "10C": {"weapon": (0.0, 0.0, 1.0, 0.0, 0.0)},
    "10D": {"weapon": (1.0, 0.0, 0.0, 0.0, 0.0)},
    "11A": {"victim_profile": "child", "domestic_victim_profile": "child"},
    "13": {"victim_profile": "child", "domestic_victim_profile": "child"},
    "14": {"victims": (1.0, 0.0, 0.0, 0.0)},
    "106": {"victim_profile": "adult", "domestic_victim_profile": "adult"},
    "40": {"public": 0.0},
    "58A": {"public": 0.0},
    "58C": {"public": 0.8},
    "56A": {"public": 0.1, "victims": (0.1, 0.9, 0.0, 0.0)},
}

#: Victim age-sex profiles: (risk table, sex or None, minimum age, maximum age).
#: ``violence`` uses ``Parameters.victim_risk``; sexual-offence codes get their own
#: profiles because the code fixes the victim's sex and age (e.g. 19C rape of a female
#: aged 16 and over).
PROFILE_SPECS: dict[str, tuple[str, str | None, int, int]] = {
    "violence": ("violence", None, 0, 100),
    "domestic": ("domestic", None, 16, 100),
    "adult": ("adult", None, 18, 100),
    "child": ("flat", None, 0, 15),
    "sexual": ("sexual", None, 13, 100),
    "sexual_17A": ("sexual", "M", 13, 100),
    "sexual_17B": ("flat", "M", 5, 12),
    "sexual_19C": ("sexual", "F", 16, 100),
    "sexual_19D": ("sexual", "F", 13, 15),
    "sexual_19E": ("flat", "F", 5, 12),
    "sexual_19F": ("sexual", "M", 16, 100),
    "sexual_19G": ("sexual", "M", 13, 15),
    "sexual_19H": ("flat", "M", 5, 12),
    "sexual_20A": ("sexual", "F", 13, 100),
    "sexual_20B": ("flat", "F", 5, 12),
    "sexual_21": ("flat", None, 5, 12),
    "sexual_22B": ("sexual", None, 13, 15),
    "sexual_23": ("flat", None, 5, 17),
    "sexual_71": ("flat", None, 10, 17),
    "sexual_88A": ("flat", None, 10, 15),
}

#: Victim profiles whose primary victims may come from a repeat-victim pool.
POOLED_VICTIM_PROFILES = ("violence", "domestic", "adult")

#: Relative risks by SNA band (male, female) for the profiles that are not parameters.
RISK_TABLES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "domestic": (
        ("0-9", 0.0, 0.0),
        ("10-14", 0.0, 0.0),
        ("15-19", 0.4, 1.5),
        ("20-24", 0.7, 3.0),
        ("25-34", 0.9, 3.2),
        ("35-44", 0.8, 2.6),
        ("45-54", 0.6, 1.6),
        ("55-64", 0.3, 0.8),
        ("65+", 0.1, 0.3),
    ),
    "adult": (
        ("0-9", 0.0, 0.0),
        ("10-14", 0.0, 0.0),
        ("15-19", 0.3, 0.3),
        ("20-24", 0.8, 0.8),
        ("25-34", 1.2, 1.1),
        ("35-44", 1.3, 1.2),
        ("45-54", 1.2, 1.1),
        ("55-64", 1.0, 0.9),
        ("65+", 0.7, 0.7),
    ),
    "sexual": (
        ("0-9", 0.2, 0.5),
        ("10-14", 0.5, 3.0),
        ("15-19", 0.6, 5.0),
        ("20-24", 0.4, 3.5),
        ("25-34", 0.3, 2.0),
        ("35-44", 0.2, 1.2),
        ("45-54", 0.1, 0.6),
        ("55-64", 0.05, 0.3),
        ("65+", 0.02, 0.1),
    ),
    "flat": tuple((band, 1.0, 1.0) for band in ("0-9", "10-14", "15-19", "20-24", "25-34"))
    + tuple((band, 1.0, 1.0) for band in ("35-44", "45-54", "55-64", "65+")),
    "property_suspect": (
        ("0-9", 0.0, 0.0),
        ("10-14", 0.8, 0.4),
        ("15-19", 2.5, 1.0),
        ("20-24", 2.5, 0.9),
        ("25-34", 2.2, 0.8),
        ("35-44", 1.6, 0.6),
        ("45-54", 0.9, 0.3),
        ("55-64", 0.4, 0.15),
        ("65+", 0.1, 0.05),
    ),
}

#: The youngest age at which a suspect is recorded (age of criminal responsibility).
SUSPECT_MIN_AGE = 10
#: P(1, 2, 3 suspects) when any suspect is identified, and P(a suspect is an offender:
#: charged, cautioned or convicted).
SUSPECT_COUNTS = (0.8, 0.15, 0.05)
OFFENDER_SHARE = 0.35


def _hours(*parts: str) -> tuple[float, ...]:
    """24 hourly weights written as text, hours 0-11 then 12-23."""
    values = tuple(float(value) for part in parts for value in part.split())
    assert len(values) == 24
    return values


#: Hour shape of serious violence on weekdays before the planted school-out peak is added.
SV_WEEKDAY_HOURS = _hours(
    "1.2 1.0 0.8 0.6 0.4 0.3 0.4 0.6 1.0 1.1 1.2 1.4",
    "1.6 1.7 1.9 2.0 2.1 2.1 2.0 2.0 2.0 2.0 1.9 1.6",
)
SV_WEEKEND_HOURS = _hours(
    "3.0 3.2 2.8 2.0 1.2 0.6 0.4 0.4 0.5 0.6 0.8 1.0",
    "1.2 1.4 1.5 1.6 1.7 1.8 1.9 2.0 2.2 2.5 2.8 3.0",
)
#: How much higher than the next-highest hour the planted weekday peak is.
SV_PEAK_MARGIN = 1.3

#: Time profiles: (weights Monday..Sunday, weekday hours 0-23, weekend hours 0-23).
TIME_PROFILES: dict[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = {
    "violence": (
        (1.0, 1.0, 1.0, 1.0, 1.1, 1.25, 1.2),
        _hours(
            "1.0 0.8 0.6 0.4 0.3 0.3 0.5 0.8 1.2 1.4 1.5 1.6",
            "1.7 1.8 1.9 2.0 2.0 2.0 1.9 1.8 1.7 1.6 1.4 1.2",
        ),
        SV_WEEKEND_HOURS,
    ),
    "daytime": (
        (1.05, 1.05, 1.05, 1.05, 1.05, 0.9, 0.85),
        _hours(
            "0.3 0.2 0.2 0.2 0.2 0.3 0.5 0.9 1.4 1.7 1.9 2.0",
            "2.1 2.1 2.0 2.0 1.9 1.8 1.6 1.3 1.0 0.8 0.6 0.4",
        ),
        _hours(
            "0.5 0.4 0.3 0.2 0.2 0.2 0.3 0.5 0.8 1.2 1.6 1.9",
            "2.0 2.0 2.0 1.9 1.8 1.6 1.4 1.2 1.0 0.9 0.7 0.6",
        ),
    ),
    "night": (
        (1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0),
        _hours(
            "1.6 1.8 1.8 1.6 1.2 0.8 0.6 0.6 0.7 0.8 0.8 0.8",
            "0.8 0.8 0.8 0.9 1.0 1.1 1.3 1.5 1.7 1.8 1.8 1.7",
        ),
        _hours(
            "1.9 2.0 1.9 1.6 1.2 0.8 0.6 0.6 0.6 0.7 0.8 0.8",
            "0.8 0.8 0.8 0.9 1.0 1.1 1.3 1.5 1.7 1.8 1.9 1.9",
        ),
    ),
    "shop": (
        (1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 0.8),
        _hours(
            "0.0 0.0 0.0 0.0 0.0 0.0 0.1 0.3 0.8 1.3 1.6 1.8",
            "2.0 2.0 2.0 2.0 2.0 1.9 1.6 1.2 0.8 0.4 0.2 0.05",
        ),
        _hours(
            "0.0 0.0 0.0 0.0 0.0 0.0 0.05 0.2 0.6 1.1 1.5 1.8",
            "2.0 2.0 2.0 2.0 1.9 1.7 1.3 0.9 0.5 0.3 0.1 0.05",
        ),
    ),
    "nte": (
        (0.8, 0.8, 0.85, 0.9, 1.2, 1.6, 1.4),
        _hours(
            "1.5 1.3 1.0 0.7 0.4 0.3 0.3 0.4 0.6 0.7 0.8 0.9",
            "1.0 1.0 1.1 1.3 1.3 1.3 1.3 1.4 1.5 1.6 1.7 1.7",
        ),
        _hours(
            "3.5 3.8 3.2 2.2 1.2 0.6 0.4 0.4 0.4 0.5 0.6 0.8",
            "0.9 1.0 1.1 1.2 1.3 1.4 1.5 1.7 2.0 2.4 2.9 3.3",
        ),
    ),
}

#: ED: means of assault (:data:`MEANS`) given the crime's weapon (:data:`WEAPONS`).
MEANS_BY_WEAPON: dict[str, tuple[float, ...]] = {
    "knife_or_sharp": (0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "firearm": (0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "other": (0.0, 0.0, 0.5, 0.35, 0.0, 0.15, 0.0),
    "none": (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "unknown": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
}
#: Baseline means of assault for attendances the police never hear of (before the
#: calibration that reproduces the admission cause findings).
ED_ONLY_MEANS = (0.62, 0.08, 0.10, 0.08, 0.005, 0.06, 0.055)
#: P(admitted | attendance) by means of assault (our assumption; knives most often).
ADMISSION_BY_MEANS = (0.08, 0.28, 0.15, 0.12, 0.50, 0.10, 0.08)

#: ISTV incident location types (ISB 1594) given the crime's place.
ISTV_LOCATION_TYPES = (
    "street",
    "licensed_premises",
    "home",
    "school",
    "workplace",
    "public_transport",
    "other_public",
    "other",
    "unknown",
)
ISTV_TYPE_BY_PLACE: dict[str, tuple[float, ...]] = {
    "public": (0.6, 0.2, 0.0, 0.03, 0.0, 0.05, 0.12, 0.0, 0.0),
    "private": (0.0, 0.0, 0.8, 0.0, 0.15, 0.0, 0.0, 0.05, 0.0),
    "unknown": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
}
ISTV_TYPE_ED_ONLY = (0.45, 0.25, 0.15, 0.01, 0.02, 0.03, 0.07, 0.0, 0.02)
#: How a patient would describe each kind of place (pure mode; augmented mode uses the
#: real police.uk location of the incident it is near).
ISTV_PLACE_TEXT = {
    "street": "in the street",
    "licensed_premises": "outside a pub or club",
    "home": "at home",
    "school": "near school",
    "workplace": "at work",
    "public_transport": "at a bus or train station",
    "other_public": "in a park or shop",
    "other": "at a friend's house",
    "unknown": "does not know",
}

#: ICD-10 injury (S00-T14) codes for the primary diagnosis, by means of assault, written
#: as HES writes them (no dot).
INJURY_CODES: dict[str, tuple[str, ...]] = {
    "body_part": ("S026", "S022", "S009", "S060", "S623", "S099"),
    "knife_sharp": ("S211", "S311", "S411", "S518", "S619", "S018", "S711"),
    "blunt_object": ("S060", "S020", "S010", "S423", "S099"),
    "glass_bottle": ("S018", "S015", "S619", "S518"),
    "firearm": ("S211", "S318", "S711"),
    "other": ("T140", "S099", "S009"),
    "unknown": ("T140", "S099"),
}
#: External cause (ICD-10 X85-Y09) of each means of assault.
EXTERNAL_CAUSE = {
    "body_part": "Y04",
    "knife_sharp": "X99",
    "blunt_object": "Y00",
    "glass_bottle": "X99",
    "firearm": "X95",
    "other": "Y08",
    "unknown": "Y09",
}
#: ICD-10 fourth character (place of occurrence) by ISTV location type.
PLACE_CHARACTER = {
    "street": "4",
    "licensed_premises": "5",
    "home": "0",
    "school": "2",
    "workplace": "8",
    "public_transport": "4",
    "other_public": "8",
    "other": "8",
    "unknown": "9",
}
#: Secondary diagnoses that carry the related-condition findings (hospital.toml sets).
MENTAL_HEALTH_CODES = ("F329", "F411", "F431", "F603", "F209", "F900")
SUBSTANCE_MISUSE_CODES = ("F121", "F141", "F191", "F112")
ALCOHOL_CODES = ("F100", "F101", "F102")
#: Length of stay in days 0-9 ("requiring significantly longer hospital stays of up to 9
#: days"): relative weights.
LENGTH_OF_STAY = (0.30, 0.22, 0.14, 0.10, 0.07, 0.05, 0.04, 0.03, 0.03, 0.02)

#: Ethnic groups (2021 Census 5+1 as the police record them) by residence: Leicester, and
#: the rest of the network. Approximate, rounded Census 2021 shares (not read from a file
#: in this repository); no finding depends on them. A share is recorded ``not_stated``.
ETHNICITIES = ("white", "mixed", "asian", "black", "other", "not_stated")
ETHNICITY_LEICESTER = (0.41, 0.04, 0.43, 0.08, 0.04)
ETHNICITY_ELSEWHERE = (0.89, 0.02, 0.07, 0.01, 0.01)
ETHNICITY_NOT_STATED = 0.06

#: Within how many metres of its LSOA's representative point a background crime is placed
#: when the LSOA's size is unknown; hotspot crimes scatter with this standard deviation.
DEFAULT_RADIUS_M = 300.0
HOTSPOT_SD_M = 120.0
#: Emergency-department attendances the police do not know of scatter this far around
#: the real incident they are placed near (augmented mode).
NEAR_REAL_SD_M = 150.0

#: A further assault attendance (re-attendance) happens this many days (uniformly, both
#: included) after the first assault, so that its arrival falls within 365 days after the
#: first attendance's arrival date and after it.
REATTENDANCE_DAYS = (2, 364)
#: The checklist factor answered from a participant's sex (present for males), when the
#: risk-factors definition has it.
SEX_FACTOR = "male"
