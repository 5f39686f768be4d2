"""Gi* against the hot spots planted in a pure synthetic world (``vrn synth --mode
pure``), on the network's grid: the check that the method finds what is there."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from vrn.analytics.spatial.evaluation import Recovery, planted_recovery
from vrn.analytics.spatial.gistar import Inference, gi_star
from vrn.analytics.spatial.projection import wgs84_to_bng
from vrn.hotspots.grids import network_grid
from vrn.hotspots.selection import DEFAULT_CRIME_TYPE, SelectionError
from vrn.synth.calibration import HOTSPOT_SD_M
from vrn.web.active_definitions import active_definitions


def recover(
    world: Path,
    shape: str,
    size: float,
    permutations: int,
    seed: int,
    inference: Inference = "normal",
) -> tuple[Recovery, pd.DataFrame, list[str]]:
    """Precision and recall of the Gi* hot spots (any confidence level after the false
    discovery rate) of the world's violent crime against
    its planted hot spots (within three scatter deviations and half a cell), the hot
    cells, and the planted hot spots' names (in the order of ``Recovery.found``)."""
    crimes_file, truth_file = world / "police-crimes.csv", world / "truth.json"
    if not crimes_file.is_file() or not truth_file.is_file():
        raise SelectionError(f"{world}: needs police-crimes.csv and truth.json (vrn synth)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    if "hotspots" not in truth:
        raise SelectionError(f"{truth_file}: no planted hotspots (made in pure mode only)")
    planted = truth["hotspots"]["value"]
    crimes = pd.read_csv(crimes_file, dtype=str, keep_default_na=False)
    types = active_definitions().offence_codes.to_frame().set_index("code")["police_uk_crime_type"]
    violent = crimes[
        crimes["offence_code"].str.strip().str.upper().map(types) == DEFAULT_CRIME_TYPE
    ]
    x, y = wgs84_to_bng(
        pd.to_numeric(violent["longitude"], errors="coerce"),
        pd.to_numeric(violent["latitude"], errors="coerce"),
    )
    grid = network_grid(shape, size).grid
    counts = grid.counts(x, y)
    result = gi_star(
        counts, grid.weights(), permutations=permutations, seed=seed, inference=inference
    )
    hot = result.classes > 0
    planted_x, planted_y = wgs84_to_bng(
        [h["longitude"] for h in planted], [h["latitude"] for h in planted]
    )
    radius = 3 * HOTSPOT_SD_M + size * np.sqrt(2) / 2
    recovery = planted_recovery(
        grid.centre_x[hot], grid.centre_y[hot], planted_x, planted_y, radius, size, result.z[hot]
    )
    cells = pd.DataFrame(
        {
            "cell": grid.cell_ids[hot],
            "crimes": counts[hot].astype(np.int64),
            "gi_z": np.round(result.z[hot], 4),
            "gi_q": np.round(result.q[hot], 6),
        }
    )
    return recovery, cells, [str(h["name"]) for h in planted]
