"""Make and evolve each stream's warehouse table from its contract, so a configured source needs no migration.

Columns are only ever added. A column whose type no longer matches the contract stops start-up with a message:
changing a stored type is a data decision for a person, not a side effect of a configuration edit.
"""

from __future__ import annotations

from config.sources import SourceConfig
from ingest.connectors.base import ORIGIN
from warehouse import Warehouse

LOAD_ID = "_load_id"
# Beside it, `_origin` (ingest.connectors.base.ORIGIN): where each accepted row came from ("absensi_2026-11.csv baris 17",
# "permohonan halaman 3 #12"; a derived row states its derivation). Nullable: rows loaded before origins were kept have none.


class TableMismatch(Exception):
    """A stream's table exists with a column of another type than its contract declares."""


def ensure_tables(warehouse: Warehouse, sources: dict[str, SourceConfig]) -> list[str]:
    """Create missing tables and columns for every stream; returns the tables created or extended."""
    changed = []
    cur = warehouse.cursor()
    for name, source in sources.items():
        # A derived table sharing a stream's table has the same columns and key (config.sources checks it).
        for stream_name, stream in [*source.streams.items(), *source.derive.items()]:
            wanted = stream.columns()
            existing = dict(
                cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [stream.table]).fetchall()
            )
            if not existing:
                columns = ", ".join(f'"{c}" {t}' for c, t in wanted.items())
                key = ", ".join(f'"{k}"' for k in stream.key)
                cur.execute(f'CREATE TABLE "{stream.table}" ({columns}, "{LOAD_ID}" VARCHAR NOT NULL, "{ORIGIN}" VARCHAR, PRIMARY KEY ({key}))')
                changed.append(stream.table)
                continue
            if ORIGIN not in existing:
                cur.execute(f'ALTER TABLE "{stream.table}" ADD COLUMN "{ORIGIN}" VARCHAR')
                existing[ORIGIN] = "VARCHAR"
                changed.append(stream.table)
            for column, sql_type in wanted.items():
                if column not in existing:
                    cur.execute(f'ALTER TABLE "{stream.table}" ADD COLUMN "{column}" {sql_type}')
                    changed.append(stream.table)
                elif existing[column] != sql_type:
                    raise TableMismatch(
                        f"sumber {name}, stream {stream_name}: kolom {stream.table}.{column} bertipe {existing[column]} di gudang data, "
                        f"tetapi kontrak menyatakan {sql_type}; ubah kontrak atau pindahkan data lama lebih dulu"
                    )
    return changed
