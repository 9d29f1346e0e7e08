"""The 17 kecamatan of Kabupaten Padang Pariaman, their codes, spelling variants and areas."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from region.paths import REGION_DATA

# Spelling variants seen in OPD systems (shared reference: region-padang-pariaman.md), keyed by BPS code.
SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {
    "1306020": ("Lubuak Alung",),
    "1306021": ("Sintuak Toboh Gadang",),
    "1306030": ("Ulakan Tapakih",),
    "1306050": ("2x11 Enam Lingkung",),
    "1306051": ("VI Lingkung",),
    "1306052": ("2x11 Kayu Tanam",),
    "1306060": ("VII Koto Sungai Sarik",),
    "1306070": ("V Koto Kp Dalam",),
    "1306090": ("Sungai Garingging",),
}


@dataclass(frozen=True)
class Kecamatan:
    """One kecamatan. `kode` (Kemendagri 13.05.xx) is the join key; never join on names."""

    kode: str
    kode_bps: str
    nama: str
    nama_kepmendagri: str
    area_km2: float


def _ring_area_km2(ring: list[list[float]]) -> float:
    # Shoelace on an equirectangular projection: accurate to well under 1% this close to the equator.
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    kx, ky = 111.320 * math.cos(lat0), 110.574
    area = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        area += (x1 * kx) * (y2 * ky) - (x2 * kx) * (y1 * ky)
    return abs(area) / 2


def _geometry_area_km2(geometry: dict) -> float:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(_ring_area_km2(poly[0]) - sum(_ring_area_km2(hole) for hole in poly[1:]) for poly in polygons)


@cache
def boundaries() -> dict:
    """The kecamatan boundaries as a GeoJSON FeatureCollection."""
    with open(REGION_DATA / "padang_pariaman_kecamatan.geojson", encoding="utf-8") as f:
        return json.load(f)


@cache
def all_kecamatan() -> tuple[Kecamatan, ...]:
    """All kecamatan, ordered by Kemendagri code."""
    found = []
    for feature in boundaries()["features"]:
        p = feature["properties"]
        found.append(
            Kecamatan(
                kode=p["kode"],
                kode_bps=p["kode_bps"],
                nama=p["kecamatan"],
                nama_kepmendagri=p["nama_kepmendagri_2025"],
                area_km2=round(_geometry_area_km2(feature["geometry"]), 2),
            )
        )
    return tuple(sorted(found, key=lambda k: k.kode))


def _key(text: str) -> str:
    return " ".join(text.lower().replace("x", " x ").split())


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for k in all_kecamatan():
        names = (k.kode, k.kode_bps, k.nama, k.nama_kepmendagri, *SPELLING_VARIANTS.get(k.kode_bps, ()))
        for name in names:
            table[_key(name)] = k.kode
    return table


def normalise_kecamatan(value: str | None) -> str | None:
    """Kemendagri code for a code, BPS code, name or known spelling variant; None when unknown."""
    if value is None:
        return None
    return _lookup().get(_key(str(value)))
