"""The pieces: parameters, the solved model, the sampling helpers, person keys and times."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from vrn.definitions import Definitions
from vrn.synth import Parameters, Skeleton, Synthesis, World, parameter_sources
from vrn.synth.model import Model
from vrn.synth.sampling import (
    cumulative,
    draw,
    minutes_to_text,
    person_keys,
    skip_spring_forward,
)


def test_every_parameter_has_a_source() -> None:
    sources = parameter_sources()
    assert len(sources) > 30
    for name, _, source in sources:
        assert source, name
    quoted = dict((name, source) for name, _, source in sources)
    assert (
        "'58% of all serious violence offences by those under 25 years"
        in quoted["u25_public_place_share"]
    )


@pytest.mark.parametrize(
    "change",
    [
        {"u25_public_place_share": 1.2},
        {"ed_assaults_unknown_to_police_share": 1.0},
        {"weekday_peak_hour": 24},
        {"change_date": dt.date(2030, 1, 1)},
        {"u25_vs_25plus_rate_ratio": 0},
        {"male_share_by_census_band": (0.5,)},
    ],
)
def test_parameters_are_checked(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Parameters(**change)  # type: ignore[arg-type]


def test_the_solved_model(world: World, definitions: Definitions) -> None:
    model = Model(Parameters(), world, definitions, "pure", 10_000)
    # P(suspect under 25 | identified) from the rate ratio, closed form
    a = model.solved["sv_suspect_u25_share"]
    p = Parameters()
    odds = a / (1 - a)
    assert odds == pytest.approx(
        p.u25_vs_25plus_rate_ratio
        * (model.pop_u25 / model.pop_o25)
        * (p.o25_public_place_share / p.u25_public_place_share)
    )
    assert 0 < model.solved["sv_suspect_identified"] <= 1
    # knife-enabled codes are more often knives in Leicester, the rest unchanged
    knife = model.in_knife
    assert (model.p_weapon[knife, 1, 0] >= model.p_weapon[knife, 0, 0]).all()
    assert np.allclose(model.p_weapon[~knife, 1], model.p_weapon[~knife, 0])
    assert np.allclose(model.p_weapon.sum(axis=2), 1)
    # every probability table is a distribution
    for table in (model.p_place, model.p_injury, model.p_residence_la, model.p_means_ed):
        assert np.allclose(table.sum(axis=-1), 1)
    assert model.notes == []


def test_no_leicester_in_the_world_is_noted_not_fatal(definitions: Definitions) -> None:
    world = World(
        lsoas=pd.DataFrame(
            {
                "lsoa_code": ["E01000001", "E01000002"],
                "local_authority_code": ["E07000131", "E07000131"],
                "imd_decile": [3, 9],
                "latitude": [52.48, 52.49],
                "longitude": [-0.92, -0.93],
                "radius_m": [900.0, float("nan")],
            }
        ),
        population=pd.DataFrame(
            [[300, 200, 200, 300, 300, 300]] * 2,
            columns=["0-15", "16-24", "25-34", "35-49", "50-64", "65+"],
        ),
    )
    synthesis = Synthesis(world=world, definitions=definitions, seed=1, mode="pure", crimes=500)
    assert any("Leicester" in note for note in synthesis.model.notes)
    assert synthesis.truth["u25_public_knife_leicester_share"]["value"] is None
    block = next(synthesis.blocks())
    assert len(block.crimes) == 500


def test_world_and_skeleton_are_checked() -> None:
    with pytest.raises(ValueError, match="lacks"):
        World(lsoas=pd.DataFrame({"lsoa_code": ["x"]}), population=pd.DataFrame())
    with pytest.raises(ValueError, match="police-uk"):
        Skeleton(
            pd.DataFrame(
                columns=[
                    "month",
                    "crime_type",
                    "latitude",
                    "longitude",
                    "lsoa_code",
                    "local_authority_code",
                    "location",
                ]
            )
        )


def test_anti_social_behaviour_is_refused(world: World, definitions: Definitions) -> None:
    skeleton = Skeleton(
        pd.DataFrame(
            {
                "month": ["2023-01-01"],
                "crime_type": ["Anti-social behaviour"],
                "latitude": [52.6],
                "longitude": [-1.1],
                "lsoa_code": [""],
                "local_authority_code": [""],
                "location": ["On or near X"],
            }
        )
    )
    with pytest.raises(ValueError, match="anti-social behaviour"):
        Synthesis(world=world, definitions=definitions, seed=1, mode="augmented", skeleton=skeleton)


def test_draw_follows_the_table() -> None:
    rng = np.random.default_rng(0)
    table = np.array([[0.0, 0.2, 0.0, 0.8, 0.0], [0.5, 0.0, 0.5, 0.0, 0.0]])
    cum = cumulative(table)
    assert (cum[:, -1] == 1).all()
    index = np.repeat([0, 1], 50_000)
    drawn = draw(rng, cum, index)
    first = np.bincount(drawn[:50_000], minlength=5) / 50_000
    second = np.bincount(drawn[50_000:], minlength=5) / 50_000
    assert first == pytest.approx(table[0], abs=0.01)
    assert second == pytest.approx(table[1], abs=0.01)
    # many categories: grouped search, same semantics
    wide = np.zeros((2, 100))
    wide[0, 97] = 1
    wide[1, 3] = 1
    assert set(draw(rng, cumulative(wide), np.array([0, 1, 0]))) == {97, 3}


def test_cumulative_refuses_empty_rows() -> None:
    with pytest.raises(ValueError):
        cumulative([[0.0, 0.0]])


def test_person_keys() -> None:
    salts = np.array([1, 2, 3, 4], dtype=np.uint64)
    ids = np.arange(100_000, dtype=np.uint64)
    keys = person_keys(ids, salts)
    assert len(set(keys)) == len(keys)
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys[:100])
    assert person_keys(ids[:10], salts).tolist() == keys[:10].tolist()
    other = person_keys(ids[:10], np.array([5, 6, 7, 8], dtype=np.uint64))
    assert not set(other) & set(keys[:10])


def test_times() -> None:
    minute = int(np.datetime64("2024-03-31T01:30", "m").astype(np.int64))
    moved = skip_spring_forward(np.array([minute, minute + 24 * 60]))
    full, date, time = minutes_to_text(moved)
    assert list(full) == ["2024-03-31 02:30", "2024-04-01 01:30"]
    assert list(date) == ["2024-03-31", "2024-04-01"]
    assert list(time) == ["02:30", "01:30"]
