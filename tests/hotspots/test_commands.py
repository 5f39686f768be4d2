"""`vrn forecast` and `vrn hotspots` end to end on a small loaded world."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from tests.hotspots.conftest import PLANTED, load_street_months, street
from vrn.analytics.spatial.projection import wgs84_to_bng

__all__ = ["street"]

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    stdout = io.StringIO()
    call_command(command, *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def test_forecast_writes_every_cell_with_score_and_rank(street: Path, tmp_path: Path) -> None:
    out = tmp_path / "forecast.geojson"
    summary = run("forecast", "--month", "2023-12", "--out", str(out))
    assert "trained on" in summary and "2023-01 to 2023-11" in summary
    collection = json.loads(out.read_text())
    features = collection["features"]
    ranks = sorted(f["properties"]["rank"] for f in features)
    assert ranks == list(range(1, len(features) + 1))
    assert all(f["properties"]["score"] >= 0 for f in features)
    assert collection["properties"]["method"] == "blend"
    # WGS84 polygons, in Leicester and Blaby.
    lon, lat = np.array(features[0]["geometry"]["coordinates"][0]).T
    assert -1.4 < lon.mean() < -1.0 and 52.4 < lat.mean() < 52.8
    # The planted cluster is the top of the list.
    top = min(features, key=lambda f: f["properties"]["rank"])
    x, y = wgs84_to_bng(*np.array(top["geometry"]["coordinates"][0]).T)
    assert np.hypot(x.mean() - PLANTED["x"], y.mean() - PLANTED["y"]) < 400


def test_the_forecast_never_reads_the_month_or_later(street: Path, tmp_path: Path) -> None:
    before = tmp_path / "before.geojson"
    run("forecast", "--month", "2023-10", "--method", "prospective", "--out", str(before))
    load_street_months(tmp_path / "later", ["2024-01", "2024-02"], seed=9)
    after = tmp_path / "after.geojson"
    run("forecast", "--month", "2023-10", "--method", "prospective", "--out", str(after))
    assert json.loads(before.read_text())["features"] == json.loads(after.read_text())["features"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2023-13"], "not a month"),
        (["--month", "2022-06"], "before 2022-06 to learn from"),
        (["--month", "2023-12", "--crime-type", "Piracy"], "'Piracy' is not loaded"),
        (["--month", "2023-12", "--cell-size", "5"], "cell size"),
        (["--month", "9999-12"], "more than 12 months after the last month"),
        (
            ["--month", "2023-12", "--source", "ed", "--crime-type", "Robbery"],
            "not with --source ed",
        ),
    ],
)
def test_forecast_errors_say_what_is_wrong(
    street: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run("forecast", *args, "--out", str(tmp_path / "f.geojson"))
    assert not (tmp_path / "f.geojson").exists()


def test_map_finds_the_planted_cluster(street: Path, tmp_path: Path) -> None:
    summary = run("hotspots", "map", "--out", str(tmp_path))
    assert "Gi* hot spots after the false discovery rate" in summary
    assert "Kernel density" in summary
    cells = pd.read_csv(tmp_path / "cells.csv")
    assert cells["crimes"].sum() > 0
    hot = cells[cells["hotspot_class"] > 0]
    assert len(hot)
    distance = np.hypot(hot["easting"] - PLANTED["x"], hot["northing"] - PLANTED["y"])
    assert distance.min() < 300
    layer = json.loads((tmp_path / "cells.geojson").read_text())
    assert len(layer["features"]) == len(cells)


def test_tasking_backtest_emerging_and_near_repeat(street: Path, tmp_path: Path) -> None:
    listed = run(
        "hotspots", "tasking", "--month", "2024-01", "--coverage", "5%", "--out", str(tmp_path)
    )
    assert "cover" in listed
    tasking = pd.read_csv(tmp_path / "tasking.csv")
    assert tasking["rank"].tolist() == sorted(tasking["rank"])
    assert tasking["area_share"].iloc[-1] <= 0.05

    table = run(
        "hotspots",
        "backtest",
        "--test-months",
        "2023-11,2023-12",
        "--methods",
        "blend,long-run",
        "--out",
        str(tmp_path),
    )
    assert "| blend |" in table and "| long-run |" in table
    rows = pd.read_csv(tmp_path / "backtest.csv")
    assert set(rows["test_month"]) == {"2023-11", "2023-12"}
    assert set(rows["coverage"]) == {0.01, 0.02, 0.05, 0.1}

    patterns = run("hotspots", "emerging", "--out", str(tmp_path))
    assert "12 months" in patterns
    assert len(pd.read_csv(tmp_path / "emerging.csv"))
    run("hotspots", "emerging", "--share", "0.8", "--trend-alpha", "0.1", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="share"):
        run("hotspots", "emerging", "--share", "2", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="at least 13 months"):
        run("hotspots", "emerging", "--minimum-months", "13", "--out", str(tmp_path))

    knox = run("hotspots", "near-repeat", "--iterations", "99", "--out", str(tmp_path))
    assert "dated to the month only" in knox and "1/100" in knox
    assert set(pd.read_csv(tmp_path / "near-repeat.csv").columns) >= {"knox_ratio", "p_value"}


def test_cardiff_on_the_synthetic_partner_data(street: Path, tmp_path: Path) -> None:
    summary = run("hotspots", "cardiff", "--out", str(tmp_path))
    assert "Share unknown to police" in summary and "coincidence" in summary
    shares = pd.read_csv(tmp_path / "share-unknown.csv")
    overall = shares[shares["by"] == "all"].iloc[0]
    assert 0 <= overall["lower"] <= overall["share_unknown_corrected"] <= overall["upper"] <= 1
    assert overall["share_unknown_corrected"] >= overall["share_unknown"]


def test_backtest_without_earlier_months_is_refused(street: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no earlier month"):
        run("hotspots", "backtest", "--test-months", "2023-01", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="nothing to score it against"):
        run("hotspots", "backtest", "--test-months", "2023-12,9999-12", "--out", str(tmp_path))
