"""The problem profile recovers what a synthetic world plants, within its 95% intervals.

Each seed's pure world (on the real LLR geography) is written by ``vrn synth``, loaded
through the ingest pipeline and profiled with ``build_profile``, exactly as a user would;
every finding whose id is a ``truth.json`` key is compared with the planted value. The
default run checks a few seeds; ``-m seeds`` runs many and reports the coverage of every
finding (recorded in docs/profile.md).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from scipy.stats import binomtest

from vrn.demo.setup import SYNTHETIC_FORMATS
from vrn.geography.loaders import load_reference
from vrn.geography.network import LLR
from vrn.ingest import registry
from vrn.ingest.pipeline import LoadContext, load_files
from vrn.profile.build import build_profile
from vrn.synth.management.commands.synth import Command as Synth

pytestmark = pytest.mark.django_db

#: Planted values with no finding of the problem profile: the change and hotspots are for
#: the trend and hotspot analyses, the indicator parameters describe the indicator file.
NOT_PROFILE_FINDINGS = (
    "change_date",
    "change_rate_ratio",
    "hotspots",
    "indicator",
    "interventions",
)
#: The busiest hour has no interval: it is recovered when the planted hour is among the
#: hours the data cannot tell from the peak.
PEAK = "weekday_peak_hour"
CRIMES = 20_000


@pytest.fixture
def llr(settings: Any) -> None:
    directory = Path(settings.REFERENCE_DATA_DIR)
    if not (directory / "geographr").is_dir():
        pytest.skip(f"no real reference data at {directory}")
    settings.VRN_NETWORK = LLR
    load_reference(directory)


def planted(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth.json values the profile estimates."""
    return {
        key: entry["value"]
        for key, entry in truth.items()
        if not key.startswith(NOT_PROFILE_FINDINGS) and entry["value"] is not None
    }


def recovered(seed: int, folder: Path, crimes: int = CRIMES) -> dict[str, bool]:
    """Write, load and profile one seed's world (inside a transaction rolled back after);
    for each planted finding, whether the profile's interval holds the planted value."""
    call_command(
        Synth(),
        *("--mode", "pure", "--seed", str(seed), "--crimes", str(crimes)),
        *("--out", str(folder), "--no-progress"),
        stdout=io.StringIO(),
    )
    truth = planted(json.loads((folder / "truth.json").read_text()))
    context = LoadContext(loaded_by="tester", today=date(2026, 12, 7))
    with transaction.atomic():
        for format_name in dict.fromkeys(SYNTHETIC_FORMATS.values()):
            paths = [folder / name for name, f in SYNTHETIC_FORMATS.items() if f == format_name]
            results = load_files(registry.dataset_for(format_name), paths, context)
            assert {result.status for result in results} == {"loaded"}, results
        profile = build_profile("network")
        transaction.set_rollback(True)
    missing = sorted(set(truth) - set(profile.findings))
    assert not missing, f"planted findings the profile did not compute: {missing}"
    outcome = {}
    for key, value in truth.items():
        finding = profile.findings[key]
        if key == PEAK:
            hours = finding.data.set_index("hour")["plausible_peak"]
            outcome[key] = bool(hours.get(value, False))
        else:
            assert finding.lower is not None and finding.upper is not None, key
            outcome[key] = finding.lower <= value <= finding.upper
    return outcome


def _seeds(seeds: range, folder: Path) -> Iterator[dict[str, bool]]:
    for seed in seeds:
        yield recovered(seed, folder / str(seed))


def test_a_few_seeds_recover_every_planted_finding(llr: None, tmp_path: Path) -> None:
    """Each finding lies within its 95% interval in at least 2 of 3 seeds (a finding that
    estimated the wrong quantity would miss in all)."""
    outcomes = list(_seeds(range(3), tmp_path))
    assert len(outcomes[0]) >= 17
    misses = {key: sum(not o[key] for o in outcomes) for key in outcomes[0]}
    assert all(count <= 1 for count in misses.values()), misses


@pytest.mark.seeds
def test_coverage_over_many_seeds(llr: None, tmp_path: Path) -> None:
    """Coverage of every finding's 95% interval over ``VRN_RECOVERY_SEEDS`` seeds (40 by
    default) is consistent with at least 95% (one-sided exact binomial test at 1%)."""
    import os

    count = int(os.environ.get("VRN_RECOVERY_SEEDS", "40"))
    outcomes = list(_seeds(range(1000, 1000 + count), tmp_path))
    coverage = {key: sum(o[key] for o in outcomes) for key in outcomes[0]}
    print("\nfinding coverage over", count, "seeds")
    for key, covered in sorted(coverage.items()):
        print(f"{key:55s} {covered:3d}/{count} {covered / count:6.1%}")
    too_low = {
        key: covered
        for key, covered in coverage.items()
        if binomtest(covered, count, 0.95, alternative="less").pvalue < 0.01
    }
    assert not too_low, too_low
    assert math.isfinite(sum(coverage.values()))
