"""Kecamatan and OPD as the simulated systems write them: codes, names and spelling variants, share of activity."""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from region.kecamatan import SPELLING_VARIANTS, all_kecamatan, boundaries
from region.opd import OPDS

# Places outside the regency that staff sometimes type (neighbouring Kota Pariaman and Kota Padang), and an
# empty cell: the rare records an ingester must reject.
OUTSIDE_REGENCY = ("Pariaman Tengah", "Pariaman Utara", "Koto Tangah", "")

# Parit Malintang, the regency capital and the fire brigade's post (region notes: about -0.63, 100.28).
PARIT_MALINTANG = (-0.63, 100.28)


@cache
def kecamatan_weights() -> tuple[tuple[str, ...], np.ndarray]:
    """Kemendagri codes of the 17 kecamatan and the share of records each receives.

    Per-kecamatan population is not at hand (only the regency total is published in the reference), so
    activity is spread in proportion to area, as the region notes allow; the screens must not present these
    shares as official statistics.

    Returns:
        (codes ordered by code, weights summing to 1).
    """
    kec = all_kecamatan()
    area = np.array([k.area_km2 for k in kec])
    return tuple(k.kode for k in kec), area / area.sum()


@cache
def kecamatan_names() -> tuple[tuple[str, ...], ...]:
    """For each kecamatan in code order, the ways staff write it: the common name first, then its variants."""
    return tuple((k.nama, *SPELLING_VARIANTS.get(k.kode_bps, ())) for k in all_kecamatan())


def kecamatan_texts(
    rng: np.random.Generator, kecamatan: np.ndarray, name_share: float, bad_share: float
) -> np.ndarray:
    """How a system writes kecamatan: mostly the code, some by name or a spelling variant, rarely a wrong place.

    Args:
        rng: the generator of the records being written.
        kecamatan: indexes into the codes of `kecamatan_weights()`.
        name_share: share written as a name (half of those as a spelling variant where one exists).
        bad_share: share written as a place outside the regency or left empty.

    Returns:
        A string array like `kecamatan`.
    """
    codes, _ = kecamatan_weights()
    names = kecamatan_names()
    n = len(kecamatan)
    u = rng.random(n)
    variant = rng.random(n) < 0.5
    bad = rng.integers(0, len(OUTSIDE_REGENCY), n)
    out = np.array(codes, dtype=object)[kecamatan]
    for i in np.flatnonzero(u < name_share + bad_share).tolist():
        if u[i] < bad_share:
            out[i] = OUTSIDE_REGENCY[bad[i]]
        else:
            spellings = names[kecamatan[i]]
            out[i] = spellings[-1] if variant[i] else spellings[0]
    return out.astype(str)


def opd_texts(rng: np.random.Generator, opd: np.ndarray, name_share: float) -> np.ndarray:
    """How a system writes OPDs: mostly the code, some by common or full name (as in region/opd.py).

    Args:
        rng: the generator of the records being written.
        opd: indexes into `region.opd.OPDS`.
        name_share: share written by name, half of them by the full name.

    Returns:
        A string array like `opd`.
    """
    n = len(opd)
    by_name = rng.random(n) < name_share
    full = rng.random(n) < 0.5
    codes = np.array([o.kode for o in OPDS])[opd]
    common = np.array([o.nama for o in OPDS])[opd]
    longest = np.array([o.nama_lengkap for o in OPDS])[opd]
    return np.where(by_name, np.where(full, longest, common), codes).astype(str)


@cache
def km_from_parit_malintang() -> np.ndarray:
    """Straight-line km from Parit Malintang to each kecamatan's centroid, in code order."""
    by_code = {f["properties"]["kode"]: f["geometry"] for f in boundaries()["features"]}
    lat0, lon0 = PARIT_MALINTANG
    out = []
    for k in all_kecamatan():
        lat, lon = _centroid(by_code[k.kode])
        out.append(math.hypot((lon - lon0) * 111.32 * math.cos(math.radians(lat0)), (lat - lat0) * 110.574))
    return np.array(out)


def _centroid(geometry: dict) -> tuple[float, float]:
    # Area-weighted centroid of the outer rings (shoelace); plenty for travel times.
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    area = cx = cy = 0.0
    for poly in polygons:
        ring = poly[0]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            c = x1 * y2 - x2 * y1
            area += c
            cx += (x1 + x2) * c
            cy += (y1 + y2) * c
    return cy / (3 * area), cx / (3 * area)
