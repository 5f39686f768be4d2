"""Intervention journeys: the files in the intervention formats with valid codes, coherent
journeys, VIP participants drawn from the world's own ED attendees, and the planted
effects (distance travelled, rates, ED re-attendance) recovered from the files."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from vrn.analytics.interventions.matching import age_band, matched_comparison
from vrn.analytics.stats import paired_change, proportion
from vrn.definitions import Definitions
from vrn.interventions.models import CASE_REFERENCE_PATTERN
from vrn.synth import Parameters, Synthesis, World, write_world
from vrn.synth.journeys import FILE_NAMES, expected_score
from vrn.synth.programmes import MVP, UP, VIP

from .test_formats import make_skeleton

PARTICIPANTS = (
    "provider_code",
    "programme_code",
    "case_reference",
    "referral_date",
    "referral_source",
    "reachable_moment",
    "consent_status",
    "lawful_basis",
    "age",
    "sex",
    "ethnicity",
    "priority_groups",
    "residence_lsoa",
    "start_date",
    "exit_date",
    "exit_reason",
    "person_key",
    "synthetic",
)
CONTACTS = (
    "provider_code",
    "case_reference",
    "contact_date",
    "kind",
    "attendance",
    "duration_minutes",
    "synthetic",
)
OUTCOMES = ("provider_code", "case_reference", "kind", "outcome_date", "evidence", "synthetic")
PROVIDERS = {"VIP": "turning-point", "MVP": "mvp-schools", "UP": "leicestershire-cares"}
PREFIXES = {"VIP": "TP", "MVP": "MVP", "UP": "LC"}
#: The large world's last day (the default pure-mode period ends 2024-12-31).
LAST_DAY = "2024-12-31"


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


class Files:
    """The intervention files (and ISTV) of a world, read as text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.participants = read(folder, FILE_NAMES["participants"])
        self.assessments = read(folder, FILE_NAMES["assessments"])
        self.contacts = read(folder, FILE_NAMES["contacts"])
        self.reviews = read(folder, FILE_NAMES["reviews"])
        self.outcomes = read(folder, FILE_NAMES["outcomes"])
        self.istv = read(folder, "istv.csv")

    def header(self, part: str) -> tuple[str, ...]:
        text = (self.folder / FILE_NAMES[part]).read_text(encoding="utf-8")
        return tuple(text.split("\n", 1)[0].split(","))


@pytest.fixture(scope="module", params=["pure", "augmented"])
def small(
    request: pytest.FixtureRequest,
    world: World,
    definitions: Definitions,
    tmp_path_factory: pytest.TempPathFactory,
) -> Files:
    mode = request.param
    out = tmp_path_factory.mktemp(f"interventions-{mode}")
    synthesis = Synthesis(
        world=world,
        definitions=definitions,
        seed=11,
        mode=mode,
        crimes=40_000 if mode == "pure" else None,
        skeleton=make_skeleton(world, rows=40_000) if mode == "augmented" else None,
    )
    write_world(synthesis, out, command="test")
    return Files(out)


@pytest.fixture(scope="module")
def large(
    world: World, definitions: Definitions, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], Files]:
    out = tmp_path_factory.mktemp("interventions-large")
    synthesis = Synthesis(
        world=world, definitions=definitions, seed=2026, mode="pure", crimes=200_000
    )
    write_world(synthesis, out, command="test")
    return synthesis.truth["interventions"]["value"], Files(out)


# --- The files ------------------------------------------------------------------------


def test_headers_are_exactly_the_formats(small: Files, definitions: Definitions) -> None:
    scales = [s for s in definitions.distance_scales.scales if s.id in _used_scales()]
    areas: list[str] = []
    for scale in scales:
        areas += [area.id for area in scale.areas if area.id not in areas]

    assert small.header("participants") == PARTICIPANTS
    assert small.header("contacts") == CONTACTS
    assert small.header("outcomes") == OUTCOMES
    assert small.header("reviews")[:4] == (
        "provider_code",
        "case_reference",
        "review_date",
        "scale",
    )
    assert small.header("reviews")[4:] == (*areas, "synthetic")
    assert small.header("assessments")[:4] == (
        "provider_code",
        "case_reference",
        "assessed_on",
        "stage",
    )
    assert small.header("assessments")[4:] == (*definitions.risk_factors.ids, "synthetic")
    for part in FILE_NAMES:
        frame = getattr(small, part)
        assert len(frame) > 0, part
        assert (frame["synthetic"] == "true").all(), part


def _used_scales() -> set[str]:
    return {"vrn_self_report_journey", "vrn_practitioner_journey"}


def test_every_code_is_in_the_definitions(
    small: Files, definitions: Definitions, world: World
) -> None:
    codes = definitions.intervention_codes
    people = small.participants

    assert set(people["programme_code"]) == set(PROVIDERS)
    assert (people["provider_code"] == people["programme_code"].map(PROVIDERS)).all()
    assert set(people["referral_source"]) <= set(codes.ids("referral_source"))
    assert set(people["reachable_moment"]) <= {"", *codes.ids("reachable_moment")}
    assert set(people["consent_status"]) <= set(codes.ids("consent_status"))
    assert set(people["lawful_basis"]) <= set(codes.ids("lawful_basis"))
    withdrawn = people["consent_status"].isin(["refused", "withdrawn"])
    assert not (withdrawn & (people["lawful_basis"] == "consent")).any()
    assert set(people["sex"]) <= {"M", "F", "X", "U"}
    assert set(people["ethnicity"]) <= {"white", "mixed", "asian", "black", "other", "not_stated"}
    groups = {g for text in people["priority_groups"] for g in text.split(";") if g}
    assert groups <= {group.id for group in definitions.priorities.groups}
    assert set(people["residence_lsoa"]) <= set(world.lsoas["lsoa_code"])
    assert set(people["exit_reason"]) <= {"", *codes.ids("exit_reason")}
    assert people["person_key"].str.fullmatch(r"[0-9a-f]{64}").all()

    assert set(small.contacts["kind"]) <= set(codes.ids("contact_kind"))
    assert set(small.contacts["attendance"]) <= set(codes.ids("attendance"))
    assert set(small.outcomes["kind"]) <= set(codes.ids("outcome_kind"))
    assert set(small.outcomes["evidence"]) <= set(codes.ids("evidence_kind"))
    assert set(small.assessments["stage"]) == {"entry"}
    answers = small.assessments[list(definitions.risk_factors.ids)]
    assert set(np.unique(answers.to_numpy())) == {"yes", "no"}
    assert set(small.reviews["scale"]) == _used_scales()
    for scale_id in _used_scales():
        scale = definitions.distance_scales.scale(scale_id)
        rows = small.reviews[small.reviews["scale"] == scale_id]
        scores = rows[list(scale.area_ids)].apply(pd.to_numeric)
        assert scores.notna().all().all(), scale_id
        assert scores.isin(range(scale.minimum, scale.maximum + 1)).all().all(), scale_id
        others = [c for c in small.header("reviews")[4:-1] if c not in scale.area_ids]
        assert (rows[others] == "").all().all(), scale_id


def test_journeys_are_coherent(small: Files, definitions: Definitions) -> None:
    people = small.participants
    pattern = re.compile(CASE_REFERENCE_PATTERN)
    assert people["case_reference"].map(lambda ref: bool(pattern.fullmatch(ref))).all()
    prefix = people["programme_code"].map(PREFIXES)
    assert (people["case_reference"].str.split("-").str[0] == prefix).all()
    assert people["case_reference"].str.fullmatch(r"[A-Z]+-\d{6}").all()
    assert not people.duplicated(["provider_code", "case_reference"]).any()

    started = people["start_date"] != ""
    exited = people["exit_date"] != ""
    assert (people.loc[started, "start_date"] >= people.loc[started, "referral_date"]).all()
    assert (people.loc[exited, "exit_date"] >= people.loc[exited, "referral_date"]).all()
    assert (
        people.loc[started & exited, "exit_date"] > people.loc[started & exited, "start_date"]
    ).all()
    assert ((people["exit_reason"] != "") == exited).all()
    completed = people["exit_reason"].isin(definitions.intervention_codes.completed_exit_reasons)
    assert (started | ~completed).all()  # only a starter completes
    # conversion and completion below 100%, open cases at the world's end
    for code in PROVIDERS:
        mine = people["programme_code"] == code
        assert 0 < started[mine].mean() < 1, code
        assert 0 < completed[mine & started].mean() < 1, code
    assert (started & ~exited).any()

    journey = people.set_index(["provider_code", "case_reference"])
    for part, column in (
        ("contacts", "contact_date"),
        ("reviews", "review_date"),
        ("outcomes", "outcome_date"),
        ("assessments", "assessed_on"),
    ):
        frame = getattr(small, part)
        joined = frame.join(journey, on=["provider_code", "case_reference"], rsuffix="_p")
        assert joined["referral_date"].ne("").all(), part  # every row has its participant
        assert (joined[column] >= joined["referral_date"]).all(), part
        if part != "contacts":  # only the attempts to engage come before a start
            assert (joined["start_date"] != "").all(), part
            assert (joined[column] >= joined["start_date"]).all(), part
        if part in ("contacts", "reviews"):
            closed = joined["exit_date"] != ""
            assert (joined.loc[closed, column] <= joined.loc[closed, "exit_date"]).all(), part
    assessed = small.assessments.merge(people, on=["provider_code", "case_reference"])
    assert (assessed["assessed_on"] == assessed["start_date"]).all()
    assert len(small.assessments) == started.sum()
    attended = small.contacts["attendance"].isin(definitions.intervention_codes.attended_codes)
    minutes = pd.to_numeric(small.contacts["duration_minutes"])
    assert minutes[attended].between(1, 24 * 60).all()
    assert minutes[~attended].isna().all()
    assert 0 < (~attended).mean() < 0.5  # some missed sessions


def test_vip_participants_are_the_worlds_ed_attendees(small: Files) -> None:
    vip = small.participants[small.participants["programme_code"] == "VIP"]
    istv = small.istv.assign(referral_date=small.istv["arrival"].str[:10])
    found = vip.merge(istv, on=["person_key", "referral_date"], suffixes=("", "_ed"))

    assert set(found["case_reference"]) == set(vip["case_reference"])
    assert (found["age"] == found["age_ed"]).all()
    assert (found["sex"] == found["sex_ed"]).all()
    assert (found["residence_lsoa"] == found["residence_lsoa_ed"]).all()
    assert pd.to_numeric(vip["age"]).between(11, 24).all()
    assert set(vip["referral_source"]) == {"emergency_department"}
    assert set(vip["reachable_moment"]) == {"ae_attendance"}
    others = small.participants[small.participants["programme_code"] != "VIP"]
    assert not others["person_key"].isin(small.istv["person_key"]).any()
    ages = pd.to_numeric(others["age"])
    assert ages[others["programme_code"] == "MVP"].between(12, 16).all()
    assert ages[others["programme_code"] == "UP"].between(16, 24).all()
    assert set(others.loc[others["programme_code"] == "MVP", "referral_source"]) == {"school"}


def test_streams_are_independent(world: World, definitions: Definitions) -> None:
    """A community programme's parameters change only its own journeys; the ED
    programme's referral share changes who re-attends, so the ED file too."""
    base = Synthesis(world=world, definitions=definitions, seed=4, mode="pure", crimes=20_000)
    mvp = dataclasses.replace(MVP, conversion=0.5)
    other = Synthesis(
        world=world,
        definitions=definitions,
        seed=4,
        mode="pure",
        crimes=20_000,
        parameters=Parameters(programmes=(VIP, mvp, UP)),
    )
    a, b = next(base.blocks()), next(other.blocks())
    for part in ("crimes", "people", "istv", "admissions"):
        assert getattr(a, part).equals(getattr(b, part)), part
    assert a.journeys.participants.equals(b.journeys.participants)
    first = [frames.participants for frames in base.community_journeys()]
    second = [frames.participants for frames in other.community_journeys()]
    assert not first[0].equals(second[0])  # MVP
    assert first[1].equals(second[1])  # UP

    vip = dataclasses.replace(VIP, ed_referral_share=0.5)
    third = Synthesis(
        world=world,
        definitions=definitions,
        seed=4,
        mode="pure",
        crimes=20_000,
        parameters=Parameters(programmes=(vip, MVP, UP)),
    )
    c = next(third.blocks())
    assert a.crimes.equals(c.crimes) and a.people.equals(c.people)
    assert len(c.journeys.participants) > 2 * len(a.journeys.participants)
    assert not a.istv.equals(c.istv)


def test_without_programmes_there_are_headers_only(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    synthesis = Synthesis(
        world=world,
        definitions=definitions,
        seed=4,
        mode="pure",
        crimes=5000,
        parameters=Parameters(programmes=()),
    )
    written = write_world(synthesis, tmp_path, command="test")

    assert all(written.rows[name] == 0 for name in FILE_NAMES.values())
    truth = synthesis.truth["interventions"]["value"]
    assert truth["programmes"] == {}
    assert truth["ed_reattendance"]["share"] == 0.3
    assert truth["ed_reattendance"]["expected_rows"] > 0
    assert read(tmp_path, FILE_NAMES["reviews"]).columns.tolist() == [
        "provider_code",
        "case_reference",
        "review_date",
        "scale",
        "synthetic",
    ]


def test_codes_missing_from_the_definitions_are_noted(
    world: World, definitions: Definitions
) -> None:
    codes = definitions.intervention_codes
    moments = tuple(code for code in codes.reachable_moment if code.id != "ae_attendance")
    edited = dataclasses.replace(
        definitions, intervention_codes=dataclasses.replace(codes, reachable_moment=moments)
    )
    synthesis = Synthesis(world=world, definitions=edited, seed=4, mode="pure", crimes=20_000)

    assert "programme VIP: reachable_moment ae_attendance not in the definitions; left out" in (
        synthesis.model.notes
    )
    vip = next(synthesis.blocks()).journeys.participants
    assert len(vip) > 0 and (vip["reachable_moment"] == "").all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"conversion": 1.5}, "programme VIP: conversion must be a share"),
        ({"ages": (30, 20)}, "programme VIP: ages must be a range"),
        ({"ages": (5, 24)}, "programme VIP: ages must lie within ed_reattendance_ages"),
        ({"reattendance_share_started": None}, "reattendance_share_started is needed"),
    ],
)
def test_programmes_are_checked(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Parameters(programmes=(dataclasses.replace(VIP, **change), MVP, UP))


def test_only_one_programme_takes_ed_attendees() -> None:
    second = dataclasses.replace(VIP, code="VIP2", case_prefix="TP2")
    with pytest.raises(ValueError, match="at most one programme may take ED attendees"):
        Parameters(programmes=(VIP, second))


# --- The truth ------------------------------------------------------------------------


def test_truth_is_computed_from_the_parameters(world: World, definitions: Definitions) -> None:
    synthesis = Synthesis(world=world, definitions=definitions, seed=1, mode="pure", crimes=1000)
    truth = synthesis.truth["interventions"]["value"]
    programmes = truth["programmes"]

    assert set(programmes) == {"VIP", "MVP", "UP"}
    up = programmes["UP"]
    # 0.5 completers at 0.45 and 0.5 others at 0.15
    assert up["outcome_rates"]["entered_employment"]["started"] == pytest.approx(0.30)
    # sustained employment comes after entering it: 0.5 * 0.45 * 0.7 + 0.5 * 0.15 * 0.4
    assert up["outcome_rates"]["sustained_employment_13_weeks"]["started"] == pytest.approx(0.1875)
    assert up["expected_referrals"] == pytest.approx(300 * 1000 / 100_000)
    vip = programmes["VIP"]
    assert vip["ed_reattendance_12m"] == {
        "started": 0.2,
        "referred_not_started": 0.3,
        "not_referred": 0.3,
    }
    assert (vip["conversion_rate"], vip["completion_rate"]) == (0.65, 0.55)
    assert vip["cohort_referred_by"] == "2024-06-20"  # 194 days before 2024-12-31
    changes = {
        (code, scale): values["planted_change"]
        for code, entry in programmes.items()
        for scale, values in entry["distance_travelled"].items()
    }
    assert changes == {
        ("VIP", "vrn_self_report_journey"): 1.5,
        ("VIP", "vrn_practitioner_journey"): 0.8,
        ("MVP", "vrn_self_report_journey"): 0.6,
        ("MVP", "vrn_practitioner_journey"): 0.3,
        ("UP", "vrn_self_report_journey"): 1.2,
        ("UP", "vrn_practitioner_journey"): 0.7,
    }
    for entry in programmes.values():
        for values in entry["distance_travelled"].values():
            # rounding and the scale's ends take a little off the planted change
            assert 0.8 * values["planted_change"] < values["expected_change"]
            assert values["expected_change"] < values["planted_change"]
    assert truth["ed_reattendance"]["last_index_date_with_full_window"] == "2024-01-01"


def test_expected_score_is_the_mean_of_the_rounded_clipped_score(
    definitions: Definitions,
) -> None:
    scale = definitions.distance_scales.scale("vrn_practitioner_journey")  # 1 to 5
    rng = np.random.default_rng(0)
    draws = rng.normal(4.2, 0.9, 2_000_000)
    simulated = np.clip(np.round(draws), scale.minimum, scale.maximum).mean()

    assert expected_score(4.2, 0.9, scale) == pytest.approx(simulated, abs=0.002)
    assert expected_score(2.6, 0.0, scale) == 3.0
    assert expected_score(40.0, 1.0, scale) == pytest.approx(5.0)


# --- The planted effects, recovered ---------------------------------------------------


def _cohort(truth: dict[str, Any], files: Files, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The programme's referrals whose whole journey is in the files, and its starters."""
    people = files.participants[files.participants["programme_code"] == code]
    cohort = people[people["referral_date"] <= truth["programmes"][code]["cohort_referred_by"]]
    return cohort, cohort[cohort["start_date"] != ""]


def _within(
    successes: int, trials: int, value: float, confidence: float = 0.998, above: float = 0.0
) -> bool:
    """Whether the Wilson interval of successes / trials meets [value, value + above]."""
    table = pd.DataFrame({"x": [successes], "n": [trials]})
    row = proportion(table, "x", "n", confidence=confidence).iloc[0]
    return bool(row["lowercl"] <= value + above and value <= row["uppercl"])


@pytest.mark.parametrize("code", ["VIP", "MVP", "UP"])
def test_distance_travelled_is_recovered(
    large: tuple[dict[str, Any], Files], definitions: Definitions, code: str
) -> None:
    truth, files = large
    mine = files.reviews[files.reviews["provider_code"] == PROVIDERS[code]]
    planted = truth["programmes"][code]["distance_travelled"]
    assert set(planted) == set(mine["scale"]) == _used_scales()
    for scale_id, values in planted.items():
        areas = list(definitions.distance_scales.scale(scale_id).area_ids)
        rows = mine[mine["scale"] == scale_id]
        rows = rows.assign(score=rows[areas].apply(pd.to_numeric).mean(axis=1))
        rows = rows.sort_values(["case_reference", "review_date"])
        scores = rows.groupby("case_reference")["score"]
        paired = scores.size() >= 2
        result = paired_change(scores.first()[paired], scores.last()[paired])

        assert result.n >= 200, (code, scale_id)
        assert result.change_lower <= values["expected_change"] <= result.change_upper, (
            code,
            scale_id,
            result.summary,
        )
        assert result.change_lower > 0  # an improvement


@pytest.mark.parametrize("code", ["VIP", "MVP", "UP"])
def test_conversion_completion_and_outcome_rates_are_recovered(
    large: tuple[dict[str, Any], Files], definitions: Definitions, code: str
) -> None:
    truth, files = large
    planted = truth["programmes"][code]
    cohort, started = _cohort(truth, files, code)
    assert len(cohort) >= 150

    assert _within(len(started), len(cohort), planted["conversion_rate"])
    completed = started["exit_reason"].isin(definitions.intervention_codes.completed_exit_reasons)
    assert (started["exit_date"] != "").all()  # the cohort's journeys are over
    assert _within(int(completed.sum()), len(started), planted["completion_rate"])
    outcomes = files.outcomes[files.outcomes["provider_code"] == PROVIDERS[code]]
    for kind, rates in planted["outcome_rates"].items():
        had = started["case_reference"].isin(
            outcomes.loc[outcomes["kind"] == kind, "case_reference"]
        )
        assert _within(int(had.sum()), len(started), rates["started"]), kind
    # sizes follow the world: the referrals are within sampling error of the expected
    expected = planted["expected_referrals"]
    referred = int((files.participants["programme_code"] == code).sum())
    assert abs(referred - expected) < 4 * math.sqrt(expected)


def test_vip_reduces_ed_reattendance(large: tuple[dict[str, Any], Files]) -> None:
    """Starters re-attend ED within 12 months at the planted 20%, matched attendees who
    were not referred at 30% (the police file's repeat victims add under a point)."""
    truth, files = large
    planted = truth["programmes"]["VIP"]["ed_reattendance_12m"]
    istv = files.istv.assign(
        event_date=pd.to_datetime(files.istv["arrival"].str[:10]),
        age_n=pd.to_numeric(files.istv["age"]),
    )
    vip = files.participants[files.participants["programme_code"] == "VIP"]
    starters = vip[vip["start_date"] != ""]
    treated = pd.DataFrame(
        {
            "person_key": starters["person_key"],
            "index_date": pd.to_datetime(starters["referral_date"]),
            "age_band": age_band(pd.to_numeric(starters["age"])).to_numpy(),
            "sex": starters["sex"],
        }
    )
    first = istv.sort_values(["event_date", "attendance_id"]).drop_duplicates("person_key")
    first = first[first["age_n"].between(11, 24) & ~first["person_key"].isin(vip["person_key"])]
    pool = pd.DataFrame(
        {
            "person_key": first["person_key"],
            "index_date": first["event_date"],
            "age_band": age_band(first["age_n"]).to_numpy(),
            "sex": first["sex"],
        }
    )
    result = matched_comparison(
        treated,
        pool,
        istv[["person_key", "event_date"]],
        window_days=365,
        data_end=LAST_DAY,
        ratio=3,
        seed=1,
    )
    natural = 0.01

    assert result.treated_matched >= 300
    assert result.treated_lowercl <= planted["started"] + natural
    assert planted["started"] <= result.treated_uppercl
    assert result.comparison_lowercl <= planted["not_referred"] + natural
    assert planted["not_referred"] <= result.comparison_uppercl
    difference = planted["started"] - planted["not_referred"]
    assert result.difference_lowercl <= difference <= result.difference_uppercl
    assert result.difference_uppercl < 0  # a reduction

    # every attendee not referred, against the planted share directly
    window = first[first["event_date"] <= pd.Timestamp(LAST_DAY) - pd.Timedelta(days=365)]
    again = window[["person_key", "event_date"]].merge(
        istv[["person_key", "event_date"]], on="person_key", suffixes=("", "_again")
    )
    gap = (again["event_date_again"] - again["event_date"]).dt.days
    returned = set(again.loc[(gap > 0) & (gap <= 365), "person_key"])
    hits = int(window["person_key"].isin(returned).sum())
    assert len(window) >= 3000
    assert _within(hits, len(window), planted["not_referred"], 0.95, above=natural)
