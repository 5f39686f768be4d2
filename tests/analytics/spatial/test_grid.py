"""Grids: exact tessellation, location against polygon tests, neighbours, GeoJSON, apportioning."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from vrn.analytics.spatial.grid import apportion, build_grid, per_km2, per_resident
from vrn.analytics.spatial.projection import wgs84_to_bng

# An irregular area near Leicester: a ragged polygon with a hole, plus a detached island.
_ANGLES = np.linspace(0, 2 * np.pi, 400, endpoint=False)
_RADII = 3000 * (1 + 0.2 * np.sin(5 * _ANGLES) + 0.05 * np.cos(17 * _ANGLES))
MAIN = shapely.Polygon(
    np.column_stack([458000 + _RADII * np.cos(_ANGLES), 304000 + _RADII * np.sin(_ANGLES)]),
    holes=[shapely.Point(458400, 303900).buffer(700).exterior.coords],
)
AREA = shapely.MultiPolygon([MAIN, shapely.box(466000, 300000, 466900, 300500)])


def reference_cells(grid, x, y):
    """The cell whose clipped polygon holds each point, by brute-force polygon tests."""
    tree = shapely.STRtree(grid.polygons)
    points = shapely.points(x, y)
    point_index, cell_index = tree.query(points, predicate="intersects")
    result = np.full(len(x), -1)
    result[point_index] = cell_index
    return result


@pytest.mark.parametrize("shape", ["square", "hexagon"])
@pytest.mark.parametrize("offset", [(0.0, 0.0), (113.0, -57.5)])
def test_cells_tessellate_the_area_exactly(shape, offset):
    grid = build_grid(AREA, shape, 250.0, offset)
    assert grid.area_km2.sum() * 1e6 == pytest.approx(AREA.area, rel=1e-9)
    union = shapely.union_all(grid.polygons)
    assert shapely.symmetric_difference(union, AREA).area < 1e-3
    # Cells do not overlap: the sum of areas equals the area of the union.
    assert union.area == pytest.approx(grid.area_km2.sum() * 1e6, rel=1e-9)
    assert len(set(grid.cell_ids.tolist())) == len(grid)
    assert (grid.area_km2 <= grid.full_cell_km2 * (1 + 1e-9)).all()


def test_a_box_on_the_lattice_gives_whole_cells_with_corner_ids():
    grid = build_grid(shapely.box(458000, 304000, 459000, 304500), "square", 250)
    assert len(grid) == 8
    assert grid.cell_ids.tolist()[:4] == [
        "S250-458000-304000",
        "S250-458250-304000",
        "S250-458500-304000",
        "S250-458750-304000",
    ]
    assert grid.cell_ids[-1] == "S250-458750-304250"
    np.testing.assert_allclose(grid.area_km2, 0.0625)
    assert (grid.centre_x[0], grid.centre_y[0]) == (458125.0, 304125.0)


def test_offset_shifts_centres_and_ids():
    area = shapely.box(458000, 304000, 459000, 305000)
    plain = build_grid(area, "square", 250)
    shifted = build_grid(area, "square", 250, offset=(100, 50))
    assert len(plain) == 16 and len(shifted) == 25  # the shifted lines cut a 5 x 5 block
    assert shifted.cell_ids[0] == "S250-457850-303800"
    assert shifted.centre_x[0] == 457975 and shifted.centre_y[0] == 303925
    assert not set(plain.cell_ids.tolist()) & set(shifted.cell_ids.tolist())
    assert shifted.area_km2.sum() == pytest.approx(1.0)
    # Edge cells are clipped: the lower-left one keeps 100 m x 50 m.
    assert shifted.area_km2[0] == pytest.approx(0.1 * 0.05)


def test_hexagons_have_the_stated_width_area_and_centre_ids():
    grid = build_grid(shapely.box(450000, 300000, 460000, 310000), "hexagon", 250)
    assert grid.full_cell_km2 == pytest.approx(math.sqrt(3) / 2 * 0.25**2)
    interior = np.flatnonzero(np.isclose(grid.area_km2, grid.full_cell_km2))
    polygon = grid.polygons[interior[0]]
    x0, _, x1, _ = polygon.bounds
    assert x1 - x0 == pytest.approx(250)  # flat to flat, left to right
    cell_id = grid.cell_ids[interior[0]]
    assert (
        cell_id == f"H250-{round(grid.centre_x[interior[0]])}-{round(grid.centre_y[interior[0]])}"
    )


@pytest.mark.parametrize("shape", ["square", "hexagon"])
@pytest.mark.parametrize("offset", [(0.0, 0.0), (77.0, 31.0)])
def test_locate_agrees_with_polygon_containment(shape, offset):
    grid = build_grid(AREA, shape, 300.0, offset)
    rng = np.random.default_rng(4)
    xmin, ymin, xmax, ymax = AREA.bounds
    x = rng.uniform(xmin - 500, xmax + 500, 30_000)
    y = rng.uniform(ymin - 500, ymax + 500, 30_000)
    located = grid.locate(x, y)
    np.testing.assert_array_equal(located, reference_cells(grid, x, y))
    assert (located == -1).sum() > 1000 and (located >= 0).sum() > 5000


def test_locate_handles_missing_points_and_centres():
    grid = build_grid(AREA, "hexagon", 250.0)
    located = grid.locate(
        [np.nan, grid.centre_x[5], 0.0, grid.centre_x[5]],
        [304000.0, grid.centre_y[5], 0.0, np.nan],
    )
    assert located.tolist() == [-1, 5, -1, -1]


def test_counts_with_weights_and_rates():
    grid = build_grid(shapely.box(0, 0, 500, 250), "square", 250)
    counts = grid.counts([10, 20, 260, 600, np.nan], [10, 20, 10, 10, 5])
    assert counts.tolist() == [2.0, 1.0]
    weighted = grid.counts([10, 20, 260], [10, 20, 10], weights=[2, 0.5, 4])
    assert weighted.tolist() == [2.5, 4.0]
    assert per_km2(counts, grid).tolist() == [32.0, 16.0]
    rates = per_resident(counts, [400, 0], per=1000)
    assert rates[0] == 5.0 and math.isnan(rates[1])


def test_minimum_share_drops_slivers_and_their_points():
    area = shapely.box(0, 0, 1010, 250)  # the last column holds 10 m of 250
    assert len(build_grid(area, "square", 250)) == 5
    grid = build_grid(area, "square", 250, minimum_share=0.05)
    assert len(grid) == 4
    assert grid.locate([1005], [100]).tolist() == [-1]


@pytest.mark.parametrize(("shape", "expected"), [("square", 8), ("hexagon", 6)])
def test_queen_weights_give_eight_or_six_neighbours_inside(shape, expected):
    grid = build_grid(shapely.box(450000, 300000, 455000, 305000), shape, 250)
    w = grid.weights()
    counts = np.array([w.cardinalities[i] for i in range(len(grid))])
    whole = np.isclose(grid.area_km2, grid.full_cell_km2)
    away_from_edge = (
        (grid.centre_x > 450600)
        & (grid.centre_x < 454400)
        & (grid.centre_y > 300600)
        & (grid.centre_y < 304400)
    )
    assert (counts[whole & away_from_edge] == expected).all()
    assert counts.max() == expected
    if shape == "square":
        corner = int(np.argmin(grid.centre_x + grid.centre_y))
        assert counts[corner] == 3
    else:
        first = next(iter(i for i in range(len(grid)) if whole[i] and away_from_edge[i]))
        distances = np.hypot(
            grid.centre_x[w.neighbors[first]] - grid.centre_x[first],
            grid.centre_y[w.neighbors[first]] - grid.centre_y[first],
        )
        np.testing.assert_allclose(distances, 250)


def test_distance_band_weights_and_islands():
    grid = build_grid(shapely.box(450000, 300000, 455000, 305000), "square", 250)
    w = grid.weights(distance=500)
    middle = int(np.argmin(np.hypot(grid.centre_x - 452625, grid.centre_y - 302625)))
    assert w.cardinalities[middle] == 12  # 4 at 250 m, 4 at 354 m, 4 at 500 m
    apart = shapely.MultiPolygon(
        [shapely.box(450000, 300000, 451000, 301000), shapely.box(460000, 300000, 460250, 300250)]
    )
    island_grid = build_grid(apart, "square", 250)
    weights = island_grid.weights()
    assert weights.islands == np.flatnonzero(island_grid.centre_x > 459000).tolist()
    assert weights.n == len(island_grid)


def test_geojson_round_trip_is_within_a_metre():
    grid = build_grid(AREA, "hexagon", 400.0)
    values = np.arange(len(grid), dtype=float)
    values[3] = np.nan
    before = grid.polygons[3]
    collection = grid.to_geojson({"count": values, "label": ["x"] * len(grid)})
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(grid)
    feature = collection["features"][3]
    assert feature["properties"] == {"cell": grid.cell_ids[3], "count": None, "label": "x"}
    assert collection["features"][4]["properties"]["count"] == 4.0
    assert grid.polygons[3] is before
    for index in (0, 3, len(grid) - 1):
        geometry = shapely.geometry.shape(collection["features"][index]["geometry"])
        coordinates = shapely.get_coordinates(geometry)
        assert all(len(repr(float(value)).split(".")[-1]) <= 6 for value in coordinates.ravel())
        easting, northing = wgs84_to_bng(coordinates[:, 0], coordinates[:, 1])
        original = shapely.get_coordinates(grid.polygons[index])
        assert np.hypot(easting - original[:, 0], northing - original[:, 1]).max() < 1.0


def test_geojson_of_chosen_cells_in_their_order():
    grid = build_grid(AREA, "square", 400.0)
    values = np.arange(len(grid), dtype=float)
    whole = grid.to_geojson({"count": values})
    chosen = grid.to_geojson({"count": values}, cells=[5, 2])
    assert [f["properties"]["cell"] for f in chosen["features"]] == [
        grid.cell_ids[5],
        grid.cell_ids[2],
    ]
    assert chosen["features"][0] == whole["features"][5]
    assert chosen["features"][1]["properties"]["count"] == 2.0
    assert grid.to_geojson(cells=[])["features"] == []


def test_apportion_preserves_totals_and_shares_by_area():
    grid = build_grid(shapely.box(0, 0, 1000, 500), "square", 250)
    sources = np.array([shapely.box(0, 0, 500, 250), shapely.box(500, 0, 1000, 500)])
    residents = apportion(grid, sources, [100.0, 400.0])
    assert residents.sum() == pytest.approx(500.0)
    assert residents[:2].tolist() == pytest.approx([50.0, 50.0])  # the first source, halved
    assert residents[2:4].tolist() == pytest.approx([100.0, 100.0])  # a quarter each
    assert residents[4:6].tolist() == [0.0, 0.0]  # nobody lives there


def test_apportion_of_irregular_sources_keeps_the_total_inside_the_area():
    grid = build_grid(AREA, "hexagon", 300.0)
    rng = np.random.default_rng(9)
    seeds = shapely.MultiPoint(rng.uniform(AREA.bounds[:2], AREA.bounds[2:], (60, 2)))
    pieces = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=AREA.envelope))
    sources = shapely.intersection(pieces, AREA)
    sources = sources[shapely.area(sources) > 0]
    values = rng.uniform(500, 3000, len(sources))
    residents = apportion(grid, sources, values)
    assert residents.sum() == pytest.approx(values.sum(), rel=1e-9)
    # A source reaching outside the area only counts its inside share.
    outside = apportion(grid, [shapely.box(466000, 300000, 467800, 300500)], [100.0])
    assert outside.sum() == pytest.approx(50.0)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="shape"):
        build_grid(AREA, "triangle")
    with pytest.raises(ValueError, match="size"):
        build_grid(AREA, size=5)
    with pytest.raises(ValueError, match="invalid geometry"):
        build_grid(shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]))
    with pytest.raises(ValueError, match="area"):
        build_grid(shapely.Point(0, 0))
    grid = build_grid(shapely.box(0, 0, 500, 250))
    with pytest.raises(ValueError, match="reserved"):
        grid.to_geojson({"cell": [1, 2]})
    with pytest.raises(ValueError, match="distance"):
        grid.weights(distance=0)
