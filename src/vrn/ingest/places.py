"""Where a partner row happened or a person lives, against the reference geography.

* LSOA codes (2011 or 2021) are harmonised to 2021 as for police.uk (docs/ingest.md): a
  2021 code as given; a 2011 code by its single successor, or for a split LSOA by the part
  whose boundary contains (or is nearest to) the row's point; otherwise left blank with
  the local authority common to the parts.
* Points with no LSOA are located in the LSOA boundaries held (the network's), and outside
  them in the local authority boundaries.
* British National Grid coordinates are converted to WGS84 by
  `vrn.analytics.spatial.projection` (good to a few metres: plenty for placing a point in
  an LSOA and for checking that two coordinate pairs agree within 100 m).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db import models
from shapely.geometry import shape

from vrn.geography import queries as geography
from vrn.geography.models import AreaType, Boundary
from vrn.ingest.columns import Distinct, Problems
from vrn.ingest.reading import FileRefused

Floats = np.ndarray[Any, np.dtype[np.float64]]
Objects = np.ndarray[Any, np.dtype[np.object_]]
Mask = np.ndarray[Any, np.dtype[np.bool_]]

#: WGS84 bounds of the United Kingdom, generously rounded (as for police.uk).
LONGITUDE_RANGE = (-8.7, 1.8)
LATITUDE_RANGE = (49.8, 60.9)
#: British National Grid bounds of Great Britain (metres).
EASTING_RANGE = (0.0, 700_000.0)
NORTHING_RANGE = (0.0, 1_300_000.0)
#: Grid and WGS84 coordinates of one row must agree within this distance (metres).
AGREEMENT_METRES = 100.0


class PlaceMatch(models.TextChoices):
    AS_PUBLISHED = "2021", "Given as a 2021 LSOA"
    FROM_2011_SINGLE = "2011-single", "2011 LSOA with a single 2021 successor"
    FROM_2011_SPLIT_POINT = "2011-split-point", "2011 LSOA split; 2021 part chosen by location"
    FROM_2011_SPLIT_UNRESOLVED = (
        "2011-split-unresolved",
        "2011 LSOA split and no way to choose the part; local authority kept",
    )
    POINT = "point", "No LSOA given; located from the coordinates"
    POINT_AUTHORITY = (
        "point-authority",
        "No LSOA given; the coordinates lie outside the LSOA boundaries held, so only the "
        "local authority was found",
    )
    NONE = "none", "No LSOA and no usable coordinates"


@dataclass
class Placed:
    """Each row's 2021 LSOA, how it was found, local authority and network flag."""

    lsoa21: Objects
    match: Objects
    local_authority: Objects
    in_network: Mask

    @property
    def known(self) -> Mask:
        """Rows placed at least in a local authority."""
        return np.asarray(self.local_authority != "", dtype=np.bool_)


class Places:
    """Lookups against the reference geography, cached for one ``vrn ingest`` run."""

    def __init__(self) -> None:
        self._reference_loaded = False
        self._looked_up: set[str] = set()
        self._lsoa21: dict[str, str | None] = {}
        self._lsoa11: dict[str, list[tuple[str, str]]] = {}
        self._lsoa_index: tuple[Any, list[str], list[str], dict[str, Any]] | None = None
        self._authority_index: tuple[Any, list[str]] | None = None

    def require_reference(self, file_name: str) -> None:
        if not self._reference_loaded:
            self._reference_loaded = geography.lsoas_loaded()
        if not self._reference_loaded:
            raise FileRefused(
                file_name,
                "cannot be checked because the reference geography is not loaded; "
                "run `vrn load-reference` first",
            )

    def check_lsoas(self, codes: Objects, problems: Problems, field: str) -> Objects:
        """Upper-cased codes; a code that is neither a 2021 nor a 2011 LSOA is a problem."""
        column = Distinct(codes).transform(str.upper)
        self._look_up(column.uniques)
        unknown = column.apply(
            lambda code: code != "" and code not in self._lsoa21 and code not in self._lsoa11,
            dtype=bool,
        )
        problems.flag(
            column.spread(unknown),
            field,
            lambda rows: [
                f"'{codes[row]}' is neither a 2021 nor a 2011 LSOA code in the reference geography"
                for row in rows
            ],
        )
        return column.values()

    def place(
        self, codes: Objects, longitude: Floats, latitude: Floats, use_point: Mask | None = None
    ) -> Placed:
        """Harmonise each row's LSOA code (checked by ``check_lsoas``); rows with no code
        are located by their point where ``use_point`` allows (default: wherever given)."""
        located = ~np.isnan(longitude) & ~np.isnan(latitude)
        if use_point is not None:
            located &= use_point
        column = Distinct(codes)
        placed = np.empty((len(column.uniques), 3), dtype=object)
        split: list[int] = []
        for position, code in enumerate(column.uniques):
            placed[position] = ("", PlaceMatch.NONE.value, "")
            if code in self._lsoa21:
                placed[position] = (code, PlaceMatch.AS_PUBLISHED.value, self._lsoa21[code] or "")
            elif code in self._lsoa11:
                successors = [part for part, _ in self._lsoa11[code]]
                if len(successors) == 1:
                    only = successors[0]
                    placed[position] = (
                        only,
                        PlaceMatch.FROM_2011_SINGLE.value,
                        self._lsoa21.get(only) or "",
                    )
                else:
                    shared = {self._lsoa21.get(part) or "" for part in successors}
                    placed[position] = (
                        "",
                        PlaceMatch.FROM_2011_SPLIT_UNRESOLVED.value,
                        shared.pop() if len(shared) == 1 else "",
                    )
                    split.append(position)
        rows = placed[column.codes]
        lsoa21, match, authority = rows[:, 0].copy(), rows[:, 1].copy(), rows[:, 2].copy()

        for position in split:
            successors = [part for part, _ in self._lsoa11[column.uniques[position]]]
            chosen_rows = np.flatnonzero((column.codes == position) & located)
            chosen = self._nearest(successors, longitude[chosen_rows], latitude[chosen_rows])
            if chosen is not None:
                lsoa21[chosen_rows] = chosen
                match[chosen_rows] = PlaceMatch.FROM_2011_SPLIT_POINT.value
                authority[chosen_rows] = [self._lsoa21.get(part) or "" for part in chosen]

        by_point = np.flatnonzero((codes == "") & located)
        if len(by_point):
            found_lsoa, found_authority = self.locate(longitude[by_point], latitude[by_point])
            lsoa21[by_point] = found_lsoa
            authority[by_point] = found_authority
            match[by_point] = np.where(
                found_lsoa != "",
                PlaceMatch.POINT.value,
                np.where(found_authority != "", PlaceMatch.POINT_AUTHORITY.value, match[by_point]),
            )
        network = frozenset(settings.VRN_NETWORK.local_authority_codes)
        in_network = Distinct(authority).map(network.__contains__, dtype=bool)
        return Placed(lsoa21=lsoa21, match=match, local_authority=authority, in_network=in_network)

    def locate(self, longitude: Floats, latitude: Floats) -> tuple[Objects, Objects]:
        """The 2021 LSOA (if its boundary is held) and local authority of each point."""
        rows = len(longitude)
        lsoa = np.full(rows, "", dtype=object)
        authority = np.full(rows, "", dtype=object)
        if not rows:
            return lsoa, authority
        points = shapely.points(longitude, latitude)
        tree, codes, authorities, _ = self._lsoas()
        if codes:
            found, where = _first_hits(tree, points)
            lsoa[found] = np.asarray(codes, dtype=object)[where]
            authority[found] = np.asarray(authorities, dtype=object)[where]
        outside = np.flatnonzero(lsoa == "")
        if len(outside):
            tree, codes = self._authorities()
            if codes:
                found, where = _first_hits(tree, points[outside])
                authority[outside[found]] = np.asarray(codes, dtype=object)[where]
        return lsoa, authority

    def _look_up(self, codes: Iterable[str]) -> None:
        new = set(codes) - self._looked_up - {""}
        if not new:
            return
        self._lsoa21.update(geography.lsoa_lookup(new))
        from_2011 = geography.lsoa11_to_21(new - self._lsoa21.keys())
        self._lsoa11.update(from_2011)
        parts = {code for split in from_2011.values() for code, _ in split}
        self._lsoa21.update(geography.lsoa_lookup(parts - self._lsoa21.keys()))
        self._looked_up |= new

    def _nearest(
        self, successors: list[str], longitude: Floats, latitude: Floats
    ) -> list[str] | None:
        """For each point, the part whose boundary contains it or is nearest (the first in
        code order); None without every part's boundary."""
        _, _, _, shapes = self._lsoas()
        if not len(longitude) or not all(code in shapes for code in successors):
            return None
        points = shapely.points(longitude, latitude)
        distances = np.stack([shapely.distance(shapes[code], points) for code in successors])
        return [successors[i] for i in np.argmin(distances, axis=0)]

    def _lsoas(self) -> tuple[Any, list[str], list[str], dict[str, Any]]:
        if self._lsoa_index is None:
            rows = (
                Boundary.objects.filter(area__type=AreaType.LSOA)
                .order_by("area_id")
                .values_list("area_id", "area__local_authority_id", "geometry")
            )
            codes, authorities, geometries = [], [], []
            for code, authority, geometry in rows:
                codes.append(code)
                authorities.append(authority or "")
                geometries.append(shape(geometry))
            self._lsoa_index = (
                shapely.STRtree(geometries),
                codes,
                authorities,
                dict(zip(codes, geometries, strict=True)),
            )
        return self._lsoa_index

    def _authorities(self) -> tuple[Any, list[str]]:
        if self._authority_index is None:
            rows = (
                Boundary.objects.filter(area__type=AreaType.LOCAL_AUTHORITY)
                .order_by("area_id")
                .values_list("area_id", "geometry")
            )
            codes = [code for code, _ in rows]
            self._authority_index = (shapely.STRtree([shape(g) for _, g in rows]), codes)
        return self._authority_index


def _first_hits(tree: Any, points: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Points that fall in some geometry of ``tree`` and the first such geometry of each."""
    hits = tree.query(points, predicate="intersects")
    if not hits.shape[1]:
        return np.array([], dtype=np.intp), np.array([], dtype=np.intp)
    order = np.lexsort((hits[1], hits[0]))
    inputs, targets = hits[0][order], hits[1][order]
    found, first = np.unique(inputs, return_index=True)
    return found, targets[first]
