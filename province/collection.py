"""The layout of a Parquet collection that regions export into and the province rolls up from.

    DIR/<table>/kode_wilayah=13.05/[bulan=2026-11/]data_0.parquet   one table, partitioned by region (and month)
    DIR/schemas/<table>.parquet                                     its columns, no rows (read when no region has rows)
    DIR/manifests/13.05.json                                        a region's manifest

Each region writes only under its own `kode_wilayah=` folders and its own manifest, so the regions' exports are
merged by copying their folders into one. Partition values are text on every engine: a code such as 13.10 read as
a number would turn into 13.1.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REGION_COLUMN = "kode_wilayah"
MONTH_COLUMN = "bulan_partisi"
# The tables with one row per person-day or per transaction, partitioned by month too, and the local date it is of.
MONTHLY = {"absensi_harian": "tanggal", "absensi_presensi": "waktu_tgl", "pendapatan_pembayaran": "dibayar_tgl", "tte_dokumen": "dibuat_tgl"}


def partition_columns(table: str) -> tuple[str, ...]:
    """The columns `table` is partitioned by."""
    return (REGION_COLUMN, MONTH_COLUMN) if table in MONTHLY else (REGION_COLUMN,)

SCHEMA_DIR = "schemas"
MANIFEST_DIR = "manifests"
FORMAT = 1


class CollectionError(Exception):
    """A collection that cannot be rolled up as it is: a missing or damaged file, a manifest that does not match."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """One region's export: its code and name, the moment its data stands at, its sources' last successful loads,
    its tables with their files, rows and checksums, and its indicators' configured parameters."""

    path: Path
    body: dict

    @property
    def kode(self) -> str:
        return self.body["region"]["kode"]

    @property
    def nama(self) -> str:
        return self.body["region"]["nama"]

    @property
    def as_of(self) -> str:
        return self.body["as_of"]

    def params(self, indicator_id: str) -> dict[str, float]:
        return self.body.get("params", {}).get(indicator_id, {})

    def last_success(self, source: str) -> str | None:
        return self.body.get("sources", {}).get(source)

    def rows(self, table: str) -> int:
        return self.body["tables"].get(table, {}).get("rows", 0)


def read_manifests(root: Path, verify: bool = True) -> dict[str, Manifest]:
    """Every region's manifest in the collection at `root`, by region code; with `verify`, every file is checked
    against the checksum and row count its manifest states.

    Raises:
        CollectionError: no manifest, one that is not JSON, two for one region, or a file missing or changed.
    """
    folder = root / MANIFEST_DIR
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        raise CollectionError(f"{folder}: tidak ada manifest wilayah (*.json); jalankan 'app.py export --parquet {root}' di tiap wilayah")
    found: dict[str, Manifest] = {}
    for path in paths:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            manifest = Manifest(path, body)
            kode = manifest.kode
        except (ValueError, KeyError, TypeError) as exc:
            raise CollectionError(f"{path}: bukan manifest yang sah ({exc})") from None
        if body.get("format") != FORMAT:
            raise CollectionError(f"{path}: format manifest {body.get('format')!r}, yang dibaca {FORMAT}")
        if kode in found:
            raise CollectionError(f"{path}: wilayah {kode} sudah dimuat dari {found[kode].path}")
        if verify:
            _verify(root, manifest)
        found[kode] = manifest
    return found


def _verify(root: Path, manifest: Manifest) -> None:
    import pyarrow.parquet as pq

    for table, entry in manifest.body["tables"].items():
        for file in entry["files"]:
            path = root / file["path"]
            if not path.is_file():
                raise CollectionError(f"{manifest.path}: berkas {path} (tabel {table}) tidak ada")
            if sha256_of(path) != file["sha256"]:
                raise CollectionError(f"{path}: checksum tidak sama dengan manifest {manifest.path} (berkas berubah atau rusak)")
            rows = pq.ParquetFile(path).metadata.num_rows
            if rows != file["rows"]:
                raise CollectionError(f"{path}: {rows} baris, manifest {manifest.path} menyatakan {file['rows']}")


def tables_of(manifests: dict[str, Manifest]) -> list[str]:
    """Every table some region exported, in name order."""
    return sorted({t for m in manifests.values() for t in m.body["tables"]})
