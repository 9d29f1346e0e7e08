"""The province's regions (kabupaten/kota): Kemendagri codes, names, kind, kecamatan and boundaries, from data/region/.

West Sumatra's 19 kabupaten/kota and 179 kecamatan (SOURCE.md says where they come from). A region's facts are
read from these files, never written in code; join on `kode`, never on names.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache

from region.paths import REGION_DATA

PROVINCE_CODE = "13"
PROVINCE_NAME = "Provinsi Sumatera Barat"
# The credit SOURCE.md asks for under every map drawn from these boundaries.
MAP_CREDIT = "Batas administrasi: BIG, via cahyadsn/wilayah_boundaries (MIT); kode wilayah Kepmendagri 300.2.2-2138/2025"


@dataclass(frozen=True)
class Region:
    """One kabupaten or kota: its Kemendagri code (13.05), official name, kind and kecamatan as (code, name) pairs."""

    kode: str
    nama: str
    jenis: str
    kecamatan: tuple[tuple[str, str], ...]


@cache
def boundaries() -> dict:
    """The regions' boundaries as a GeoJSON FeatureCollection (properties kode, nama, jenis)."""
    with open(REGION_DATA / "sumatera_barat_kabkota.geojson", encoding="utf-8") as f:
        return json.load(f)


@cache
def regions() -> tuple[Region, ...]:
    """Every region of the province, ordered by code, with its kecamatan ordered by code."""
    kecamatan: dict[str, list[tuple[str, str]]] = {}
    with open(REGION_DATA / "sumatera_barat_kecamatan.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kecamatan.setdefault(row["kode_kabkota"], []).append((row["kode"], row["kecamatan"]))
    found = [
        Region(p["kode"], p["nama"], p["jenis"], tuple(sorted(kecamatan.get(p["kode"], ()))))
        for p in (feature["properties"] for feature in boundaries()["features"])
    ]
    return tuple(sorted(found, key=lambda r: r.kode))


def region(kode: str) -> Region:
    """The region with Kemendagri code `kode`.

    Raises:
        ValueError: no region of the province has that code.
    """
    for r in regions():
        if r.kode == kode:
            return r
    raise ValueError(f"kode wilayah {kode!r} tidak dikenal; yang ada: {', '.join(r.kode for r in regions())}")
