"""The regional revenue source through SQLAlchemy: the simulated SQLite file, and the same table on SQLite, MariaDB
(as BPKD runs it) and PostgreSQL, with the types such a system uses (DECIMAL amounts, DATETIME moments)."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import count
from ingest.connectors import Connection
from tests import dbservers

pytestmark = pytest.mark.integration

PAYMENTS = sa.Table(
    "pembayaran",
    sa.MetaData(),
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("jenis_pajak", sa.String(40)),
    sa.Column("kanal", sa.String(20)),
    sa.Column("kode_kecamatan", sa.String(60), nullable=True),
    sa.Column("jumlah", sa.Numeric(15, 2)),
    sa.Column("dibayar_pada", sa.DateTime),
    sa.Column("status", sa.String(10)),
    sa.Column("diperbarui_pada", sa.DateTime),
)
JENIS = ["PBB-P2", "BPHTB", "PBJT-MAMIN", "RET-PASAR", "PBJT-LISTRIK"]
KANAL = ["QRIS", "TRANSFER", "VA", "TELLER", "TUNAI", "va"]
KECAMATAN = ["13.05.01", "Lubuak Alung", "1306100", "VI Lingkung", None]  # Lubuk Alung twice, then 13.05.09, 13.05.17


def _payments(n: int, start: dt.datetime) -> list[dict]:
    """n payments an hour apart (WIB wall clock); every 25th names a place outside the regency, every 40th (from the 39th) is Rp 0."""
    rows = []
    for i in range(n):
        paid = start + dt.timedelta(hours=i)
        rows.append({
            "id": f"BYR-202611-{i:06d}", "jenis_pajak": JENIS[i % 5], "kanal": KANAL[i % 6],
            "kode_kecamatan": "Pariaman Tengah" if i % 25 == 24 else KECAMATAN[i % 5],
            "jumlah": 0 if i % 40 == 38 else 125_000 + 1_000 * i, "dibayar_pada": paid, "status": "LUNAS",
            "diperbarui_pada": paid + dt.timedelta(minutes=3),
        })
    return rows


def _database(kind: str, tmp_path: Path):
    if kind == "sqlite":
        from contextlib import nullcontext

        return nullcontext(f"sqlite:///{tmp_path / 'pendapatan.sqlite'}")
    dbservers.require(kind)
    return dbservers.throwaway_database(kind)


@pytest.mark.parametrize("kind", ["sqlite", "mariadb", "postgresql"])
def test_payments_load_with_rejects_then_new_and_reversed_ones(kind, tmp_path, warehouse, load):
    with _database(kind, tmp_path) as url:
        engine = sa.create_engine(url)
        rows = _payments(200, dt.datetime(2026, 11, 2, 8, 0))
        with engine.begin() as db:
            PAYMENTS.metadata.create_all(db)
            db.execute(PAYMENTS.insert(), rows)
        try:
            first = load("pendapatan", Connection(database_url=url))
            assert first.status == "ok", first.error
            # 8 name a place outside the regency (i = 24, 49, ...), 5 are Rp 0 (i = 38, 78, ...); none is both.
            assert (first.rows_read, first.inserted, first.rejected) == (200, 187, 13)
            cur = warehouse.cursor()
            reasons = dict(cur.execute("SELECT reason, count(*) FROM rejects GROUP BY reason").fetchall())
            assert reasons == {"kecamatan tidak dikenal: 'Pariaman Tengah'": 8, "jumlah pembayaran harus lebih dari 0": 5}
            loaded = {r[0]: r[1:] for r in cur.execute(
                "SELECT id, jenis_pajak, kanal, kode_kecamatan, jumlah, dibayar_utc, dibayar_tgl, status FROM pendapatan_pembayaran").fetchall()}
            assert loaded["BYR-202611-000001"] == ("bphtb", "transfer", "13.05.01", 126_000.0, dt.datetime(2026, 11, 2, 2, 0), dt.date(2026, 11, 2), "lunas")
            assert loaded["BYR-202611-000005"][1] == "virtual_account"  # "va" as some cashiers type it
            assert loaded["BYR-202611-000004"][2] is None and loaded["BYR-202611-000002"][2] == "13.05.09"  # a BPS code
            # 8.00 WIB on 2 Nov plus 16 hours is 00.00 WIB on 3 Nov: a new WIB day, still 2 Nov in UTC.
            assert loaded["BYR-202611-000016"][4:6] == (dt.datetime(2026, 11, 2, 17, 0), dt.date(2026, 11, 3))
            assert sum(v[3] for v in loaded.values()) == sum(r["jumlah"] for r in rows if r["id"] in loaded)

            with engine.begin() as db:
                db.execute(PAYMENTS.insert(), _payments(210, dt.datetime(2026, 11, 2, 8, 0))[200:])
                db.execute(PAYMENTS.update().where(PAYMENTS.c.id == "BYR-202611-000007")
                           .values(status="BATAL", diperbarui_pada=dt.datetime(2026, 11, 20, 10, 0)))
            later = load("pendapatan", Connection(database_url=url))
            assert later.status == "ok", later.error
            # i = 200..209 are new and valid; i = 199, the newest of the first load, is read again within the
            # lookback and rejected again, as it still names a place outside the regency.
            assert (later.rows_read, later.inserted, later.updated, later.rejected) == (12, 10, 1, 1)
            status = cur.execute("SELECT status, diperbarui_tgl FROM pendapatan_pembayaran WHERE id = 'BYR-202611-000007'").fetchone()
            assert status == ("batal", dt.date(2026, 11, 20)) and count(warehouse, "pendapatan_pembayaran") == 197
        finally:
            engine.dispose()


def test_simulated_sqlite_loads_whole_and_incrementally(warehouse, simulator, clock, load):
    connection = Connection(**simulator.connection("pendapatan"))
    first = load("pendapatan", connection)
    with sqlite3.connect(simulator.database_path("pendapatan")) as db:
        offered = db.execute("SELECT count(*) FROM pembayaran").fetchone()[0]
    assert first.status == "ok" and first.rows_read == offered == first.inserted + first.rejected
    assert 0 < first.rejected < 0.01 * offered and count(warehouse, "pendapatan_pembayaran") == first.inserted
    again = load("pendapatan", connection)
    assert (again.inserted, again.updated) == (0, 0)
    clock.advance(days=14)
    simulator.sync()
    later = load("pendapatan", connection)
    assert later.status == "ok" and later.inserted > 0 and later.updated > 0  # new payments, and some reversed
    batal = warehouse.cursor().execute("SELECT count(*) FROM pendapatan_pembayaran WHERE status = 'batal'").fetchone()[0]
    assert 0 < batal < 0.01 * count(warehouse, "pendapatan_pembayaran")
