"""Where simulated things happen: kecamatan centroids, random points inside the real boundaries, distances."""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from region.kecamatan import all_kecamatan, boundaries

# Parit Malintang, the regency capital (region notes: about -0.63, 100.28).
PARIT_MALINTANG = (-0.63, 100.28)
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320 * math.cos(math.radians(PARIT_MALINTANG[0]))  # equirectangular at the regency's latitude


def km_between(lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float, lon2: np.ndarray | float) -> np.ndarray:
    """Straight-line km between points (equirectangular: within well under 1 % over a regency this close to the equator)."""
    return np.hypot((np.asarray(lon1) - lon2) * _KM_PER_DEG_LON, (np.asarray(lat1) - lat2) * _KM_PER_DEG_LAT)


@cache
def _polygons() -> tuple[tuple[tuple[np.ndarray, ...], ...], ...]:
    """For each kecamatan in code order, its polygons, each as (outer ring, holes...) arrays of (lon, lat)."""
    by_code = {f["properties"]["kode"]: f["geometry"] for f in boundaries()["features"]}
    out = []
    for k in all_kecamatan():
        geometry = by_code[k.kode]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        out.append(tuple(tuple(np.array(ring, dtype=float) for ring in poly) for poly in polygons))
    return tuple(out)


def _inside_ring(ring: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    # Even-odd ray casting, all points against all edges at once.
    x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    py, px = lat[:, None], lon[:, None]
    crosses = (y1 > py) != (y2 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
    return (crosses & (px < x_at)).sum(axis=1) % 2 == 1


def inside_kecamatan(kecamatan: int, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Whether each point lies inside the kecamatan (index in code order), holes excluded."""
    lat, lon = np.atleast_1d(np.asarray(lat, dtype=float)), np.atleast_1d(np.asarray(lon, dtype=float))
    found = np.zeros(len(lat), dtype=bool)
    for outer, *holes in _polygons()[kecamatan]:
        here = _inside_ring(outer, lon, lat)
        for hole in holes:
            here &= ~_inside_ring(hole, lon, lat)
        found |= here
    return found


def points_in_kecamatan(rng: np.random.Generator, kecamatan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A random point inside each given kecamatan's real boundary, spread evenly over its area.

    No settlement layer is at hand, so a place is as likely anywhere in its kecamatan; rejection sampling from
    the bounding box keeps the draws a pure function of the generator.

    Args:
        rng: the generator of the records being placed.
        kecamatan: indexes into the kecamatan in code order.

    Returns:
        (lat, lon) arrays like `kecamatan`.
    """
    lat, lon = np.empty(len(kecamatan)), np.empty(len(kecamatan))
    for k in np.unique(kecamatan).tolist():
        where = np.flatnonzero(kecamatan == k)
        rings = np.concatenate([poly[0] for poly in _polygons()[k]])
        (lon0, lat0), (lon1, lat1) = rings.min(axis=0), rings.max(axis=0)
        got_lat, got_lon = np.empty(0), np.empty(0)
        while len(got_lat) < len(where):
            n = 3 * (len(where) - len(got_lat)) + 8
            c_lat, c_lon = rng.uniform(lat0, lat1, n), rng.uniform(lon0, lon1, n)
            keep = inside_kecamatan(k, c_lat, c_lon)
            got_lat, got_lon = np.concatenate([got_lat, c_lat[keep]]), np.concatenate([got_lon, c_lon[keep]])
        lat[where], lon[where] = got_lat[: len(where)], got_lon[: len(where)]
    return lat, lon


@cache
def kecamatan_centroids() -> np.ndarray:
    """(lat, lon) of each kecamatan's area-weighted centroid, in code order (shape 17 x 2)."""
    out = []
    for polygons in _polygons():
        area = cx = cy = 0.0
        for outer, *_ in polygons:
            x1, y1, x2, y2 = outer[:-1, 0], outer[:-1, 1], outer[1:, 0], outer[1:, 1]
            c = x1 * y2 - x2 * y1
            area += c.sum()
            cx += ((x1 + x2) * c).sum()
            cy += ((y1 + y2) * c).sum()
        out.append((cy / (3 * area), cx / (3 * area)))
    return np.array(out)
