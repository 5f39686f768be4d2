"""The planted truth: computed from the model, reproducing the Response Strategy's findings,
and recovered from the written files within sampling error."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vrn.definitions import Definitions
from vrn.synth import Parameters, Synthesis, World, write_world

from .conftest import COUNTY, LEICESTER
from .estimates import Estimate, WorldFiles, change_estimate, estimate_all, weekday_hours
from .test_formats import make_skeleton

#: How many standard errors an estimate may be from the truth.
TOLERANCE = 4.0
CRIMES = 150_000


def truth_values(synthesis: Synthesis) -> dict[str, object]:
    return {key: entry["value"] for key, entry in synthesis.truth.items()}


@pytest.fixture(scope="module")
def pure(
    world: World, definitions: Definitions, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Synthesis, WorldFiles]:
    out = tmp_path_factory.mktemp("pure")
    synthesis = Synthesis(
        world=world, definitions=definitions, seed=2025, mode="pure", crimes=CRIMES
    )
    write_world(synthesis, out, command="test")
    return synthesis, WorldFiles(out, world, definitions)


def test_defaults_reproduce_the_response_strategy(world: World, definitions: Definitions) -> None:
    synthesis = Synthesis(world=world, definitions=definitions, seed=1, mode="pure", crimes=1000)
    truth = truth_values(synthesis)

    assert truth["u25_vs_25plus_rate_ratio"] == pytest.approx(1.9)  # "almost twice"
    assert truth["u25_perpetrator_share_public_sv"] == pytest.approx(0.24)
    assert truth["u25_public_place_share"] == pytest.approx(0.58)
    assert truth["u25_public_knife_leicester_share"] == pytest.approx(0.72)
    assert truth["weekday_peak_hour"] == 15
    assert truth["weekend_rate_ratio"] > 1.2
    assert truth["male_15_19_rate_ratio"] > 2
    assert truth["u25_admissions_bodily_force_share_leicestershire"] == pytest.approx(0.70)
    assert truth["u25_admissions_sharp_object_share_leicester"] == pytest.approx(0.26)
    assert truth["admissions_mental_health_share"] == 0.43
    assert truth["admissions_substance_misuse_share"] == 0.30
    assert truth["admissions_alcohol_share"] == 0.14
    assert truth["leicester_admissions_most_deprived_share"] == pytest.approx(0.32)
    assert truth["ed_assaults_unknown_to_police_share"] >= 0.5
    assert truth["deprivation_rate_ratio_decile1_vs_10"] > 1
    assert 0 < truth["repeat_victim_share"] < 0.5
    assert 0 < truth["repeat_offender_share"] < 0.5
    assert truth["change_date"] == "2024-04-01"
    assert truth["change_rate_ratio"] == pytest.approx(0.85, abs=0.01)
    assert {h["name"] for h in truth["hotspots"]} == {  # type: ignore[attr-defined]
        h.name for h in Parameters().hotspots
    }
    assert synthesis.model.notes == []
    for entry in synthesis.truth.values():
        assert entry["description"]


def test_truth_json_is_sorted_and_stable(world: World, definitions: Definitions) -> None:
    synthesis = Synthesis(world=world, definitions=definitions, seed=1, mode="pure", crimes=1000)
    from vrn.synth.output import truth_text

    text = truth_text(synthesis)
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert all(set(entry) == {"value", "description"} for entry in parsed.values())
    again = Synthesis(world=world, definitions=definitions, seed=99, mode="pure", crimes=1000)
    assert truth_text(again) == text


def test_truth_follows_the_parameters(world: World, definitions: Definitions) -> None:
    parameters = Parameters(
        u25_public_place_share=0.5,
        u25_vs_25plus_rate_ratio=1.5,
        weekday_peak_hour=17,
        admissions_alcohol_share=0.2,
        ed_assaults_unknown_to_police_share=0.55,
    )
    synthesis = Synthesis(
        world=world,
        definitions=definitions,
        seed=1,
        mode="pure",
        crimes=1000,
        parameters=parameters,
    )
    truth = truth_values(synthesis)
    assert truth["u25_public_place_share"] == pytest.approx(0.5)
    assert truth["u25_vs_25plus_rate_ratio"] == pytest.approx(1.5)
    assert truth["weekday_peak_hour"] == 17
    assert truth["admissions_alcohol_share"] == 0.2
    assert truth["ed_assaults_unknown_to_police_share"] == pytest.approx(0.55)


def _check(estimates: dict[str, Estimate], truth: dict[str, object]) -> None:
    failures = []
    for finding, estimate in estimates.items():
        value = truth[finding]
        assert isinstance(value, float), finding
        z = estimate.z(value)
        if not abs(z) <= TOLERANCE:
            failures.append(f"{finding}: estimate {estimate.value:.4f}, truth {value}, z {z:.1f}")
    assert not failures, failures


def test_pure_world_recovers_the_planted_truth(pure: tuple[Synthesis, WorldFiles]) -> None:
    synthesis, files = pure
    truth = truth_values(synthesis)
    estimates = estimate_all(files, COUNTY, LEICESTER)
    estimates["change_rate_ratio"] = change_estimate(files, str(truth["change_date"]))

    assert len(estimates) == 17
    _check(estimates, truth)


def test_weekday_peak_is_recovered(pure: tuple[Synthesis, WorldFiles]) -> None:
    synthesis, files = pure
    hours = weekday_hours(files)
    peak = synthesis.truth["weekday_peak_hour"]["value"]
    assert hours.idxmax() == peak
    # and not by chance: the peak beats the runner-up by more than 3 standard errors
    runner_up = hours.drop(peak).max()
    assert hours[peak] - runner_up > 3 * math.sqrt(hours[peak] + runner_up)


def test_hotspots_are_recovered(pure: tuple[Synthesis, WorldFiles]) -> None:
    synthesis, files = pure
    crimes = files.crimes
    violent = crimes[crimes["offence_code"].map(_violent_location(synthesis))]
    latitude = pd.to_numeric(violent["latitude"]).to_numpy()
    longitude = pd.to_numeric(violent["longitude"]).to_numpy()
    for hotspot in synthesis.truth["hotspots"]["value"]:
        dy = (latitude - hotspot["latitude"]) * 111_320
        dx = (longitude - hotspot["longitude"]) * 111_320 * math.cos(math.radians(52.6))
        near = np.hypot(dx, dy) < 300  # 2.5 standard deviations of the scatter
        expected = hotspot["share"] * (1 - math.exp(-(300**2) / (2 * 120**2)))
        estimate = near.mean()
        se = math.sqrt(expected * (1 - expected) / len(near))
        # at least the planted share (background crime adds to it)
        assert estimate > expected - TOLERANCE * se, hotspot["name"]
        in_lsoa = (violent["lsoa_code"] == hotspot["lsoa_code"]).mean()
        assert in_lsoa > hotspot["share"] - TOLERANCE * se, hotspot["name"]


def _violent_location(synthesis: Synthesis) -> dict[str, bool]:
    model = synthesis.model
    return {code: model.code_location[i] == 0 for i, code in enumerate(model.codes)}


def test_augmented_world_recovers_the_planted_truth(
    world: World, definitions: Definitions, tmp_path: Path
) -> None:
    skeleton = make_skeleton(world, rows=120_000)
    synthesis = Synthesis(
        world=world, definitions=definitions, seed=2025, mode="augmented", skeleton=skeleton
    )
    write_world(synthesis, tmp_path, command="test")
    files = WorldFiles(tmp_path, world, definitions)
    truth = truth_values(synthesis)
    assert "change_rate_ratio" not in truth
    assert "hotspots" not in truth

    _check(estimate_all(files, COUNTY, LEICESTER), truth)


@pytest.mark.slow
def test_no_bias_over_many_seeds(world: World, definitions: Definitions, tmp_path: Path) -> None:
    """Over 12 seeds the mean standardised error of every finding is near 0."""
    seeds = range(100, 112)
    z: dict[str, list[float]] = {}
    for seed in seeds:
        out = tmp_path / str(seed)
        synthesis = Synthesis(
            world=world, definitions=definitions, seed=seed, mode="pure", crimes=60_000
        )
        write_world(synthesis, out, command="test")
        files = WorldFiles(out, world, definitions)
        truth = truth_values(synthesis)
        for finding, estimate in estimate_all(files, COUNTY, LEICESTER).items():
            value = truth[finding]
            assert isinstance(value, float)
            z.setdefault(finding, []).append(estimate.z(value))
    limit = TOLERANCE / math.sqrt(len(seeds))
    biased = {k: float(np.mean(v)) for k, v in z.items() if abs(np.mean(v)) > limit}
    assert not biased, biased
