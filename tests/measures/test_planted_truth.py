"""Planted truth: a small synthetic pure world (`vrn synth`), loaded through the ingesters;
`vrn measures` recovers the planted under-25 public-place share within sampling error.

The generator plants truth.json's ``u25_public_place_share`` (the Response Strategy's
58%) on every offence in the serious-violence groupings with suspects under 25, domestic
ones included. The serious-violence definition excludes domestic crimes, so the share it
implies (the definition without its public-place rule, the report's ``definition`` base)
is a different number; the test computes that one from the generator's model and checks
the command against both.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from vrn.definitions import load_definitions
from vrn.synth.model import U25, Model
from vrn.synth.parameters import Parameters
from vrn.synth.sources import world_from_database

from ..synth.test_command import load_reference, synth

pytestmark = pytest.mark.django_db

SEED = 11
#: About 470 offences in the groupings by under-25s: a standard error near 0.023.
CRIMES = 20_000


def _definition_share(model: Model) -> float:
    """The expected share public of the groupings' offences by under-25s that are not
    domestic: the serious-violence definition without its public-place rule."""
    crimes = model.expected_crimes.sum(axis=1) * model.p_suspect[:, U25] * model.in_sv
    not_domestic = model.p_place[:, U25, :] * (1 - model.p_domestic)  # codes x places
    return float(crimes @ not_domestic[:, 0]) / float(crimes @ not_domestic.sum(axis=1))


def _z(row: dict[str, Any], truth: float) -> tuple[float, float]:
    """(z, standard error) of a row's share against ``truth`` (binomial)."""
    se = math.sqrt(truth * (1 - truth) / row["offences"])
    return (row["value"] - truth) / se, se


def test_u25_public_place_share_is_recovered(tmp_path: Path) -> None:
    load_reference()
    synth("--mode", "pure", "--seed", str(SEED), "--crimes", str(CRIMES), "--out", str(tmp_path))
    for name in ("police-crimes.csv", "police-people.csv"):
        call_command(
            "ingest",
            "police-extract",
            str(tmp_path / name),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    stdout = io.StringIO()
    call_command("measures", "--json", stdout=stdout)
    data = json.loads(stdout.getvalue())
    assert data["synthetic"] is True
    rows = {row["base"]: row for row in data["public_place_share"]["rows"]}

    truth = json.loads((tmp_path / "truth.json").read_text())["u25_public_place_share"]["value"]
    z, se = _z(rows["groupings"], truth)
    assert 0.02 < se < 0.03
    assert abs(z) < 4, (rows["groupings"], truth, se)

    definitions = load_definitions()
    model = Model(
        parameters=Parameters(),
        world=world_from_database(definitions),
        definitions=definitions,
        mode="pure",
        n_crimes=CRIMES,
    )
    assert truth == pytest.approx(
        float(
            np.average(
                model.p_place[:, U25, 0],
                weights=model.expected_crimes.sum(axis=1) * model.p_suspect[:, U25] * model.in_sv,
            )
        ),
        abs=1e-6,
    )
    expected = _definition_share(model)
    z_definition, se_definition = _z(rows["definition"], expected)
    assert abs(z_definition) < 4, (rows["definition"], expected, se_definition)
    # The two notions differ by far more than sampling error: about 0.70 against 0.58.
    assert (expected - truth) / se_definition > 4
