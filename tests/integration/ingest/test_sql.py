"""SQL connector through SQLAlchemy: the simulated SQLite database, and real MariaDB and PostgreSQL servers."""

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa

from conftest import count, saved_cursor
from ingest.connectors import Connection
from tests import dbservers

pytestmark = pytest.mark.integration


def test_sqlite_streams_load_incrementally(warehouse, simulator, clock, load):
    connection = Connection(**simulator.connection("dukcapil"))
    first = load("dukcapil", connection)
    with sqlite3.connect(simulator.dukcapil_path) as db:
        births = db.execute("SELECT count(*) FROM kelahiran").fetchone()[0]
        deaths = db.execute("SELECT count(*) FROM kematian").fetchone()[0]
    assert first.status == "ok"
    assert first.streams["kelahiran"]["inserted"] == births == count(warehouse, "dukcapil_kelahiran")
    assert first.streams["kematian"]["inserted"] == deaths == count(warehouse, "dukcapil_kematian")
    again = load("dukcapil", connection)
    assert (again.inserted, again.updated) == (0, 0)
    clock.advance(days=3)
    simulator.sync()
    later = load("dukcapil", connection)
    assert later.inserted > 0
    with sqlite3.connect(simulator.dukcapil_path) as db:
        assert count(warehouse, "dukcapil_kelahiran") == db.execute("SELECT count(*) FROM kelahiran").fetchone()[0]


def test_lookback_catches_a_record_that_arrives_late(warehouse, simulator, load):
    connection = Connection(**simulator.connection("dukcapil"))
    load("dukcapil", connection)
    cursor = dt.datetime.fromisoformat(saved_cursor(warehouse, "dukcapil", "kelahiran"))
    with sqlite3.connect(simulator.dukcapil_path) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(kelahiran)")]
        row = dict(zip(columns, db.execute("SELECT * FROM kelahiran ORDER BY diperbarui_pada DESC LIMIT 1").fetchone(), strict=True))
        # Committed now, but stamped five minutes before the newest record already read.
        late = row | {"id": "LHR-TERLAMBAT-0001", "diperbarui_pada": (cursor - dt.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")}
        db.execute(f"INSERT INTO kelahiran ({', '.join(late)}) VALUES ({', '.join('?' * len(late))})", list(late.values()))
    assert load("dukcapil", connection).inserted == 1
    assert load("dukcapil", connection, lookback=dt.timedelta(seconds=1)).inserted == 0


def test_missing_table_fails_cleanly(warehouse, tmp_path, load):
    result = load("dukcapil", Connection(database_url=f"sqlite:///{tmp_path}/empty.sqlite"))
    assert result.status == "failed" and "no such table: kelahiran" in result.error


BIRTHS = sa.Table(
    "kelahiran",
    sa.MetaData(),
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("tanggal_lahir", sa.Date),
    sa.Column("tanggal_daftar", sa.DateTime),
    sa.Column("tanggal_terbit_akta", sa.DateTime, nullable=True),
    sa.Column("kode_kecamatan", sa.String(40)),
    sa.Column("kanal", sa.String(20)),
    sa.Column("diperbarui_pada", sa.DateTime),
)


def _births(n: int, start: dt.datetime) -> list[dict]:
    rows = []
    for i in range(n):
        registered = start + dt.timedelta(hours=i)
        rows.append(
            {
                "id": f"LHR-{i:05d}", "tanggal_lahir": (registered - dt.timedelta(days=10 + i % 90)).date(),
                "tanggal_daftar": registered, "tanggal_terbit_akta": registered + dt.timedelta(hours=2) if i % 3 else None,
                "kode_kecamatan": ["13.05.01", "Lubuak Alung", "1306100", "Atlantis"][i % 4], "kanal": "loket",
                "diperbarui_pada": registered + dt.timedelta(hours=2),
            }
        )
    return rows


@pytest.mark.parametrize("server", ["mariadb", "postgresql"])
def test_database_server_source(server, warehouse, load, sources):
    dbservers.require(server)
    with dbservers.throwaway_database(server) as url:
        engine = sa.create_engine(url)
        births_only = {"kelahiran": sources["dukcapil"].streams["kelahiran"]}
        with engine.begin() as db:
            BIRTHS.metadata.create_all(db)
            db.execute(BIRTHS.insert(), _births(200, dt.datetime(2026, 11, 1, 8, 0)))
        first = load("dukcapil", Connection(database_url=url), streams=births_only)
        assert first.status == "ok", first.error
        # One in four rows names a kecamatan nobody knows: rejected with the reason, the rest loaded.
        assert (first.rows_read, first.inserted, first.rejected) == (200, 150, 50)
        assert count(warehouse, "dukcapil_kelahiran") == 150
        with engine.begin() as db:
            db.execute(BIRTHS.insert(), _births(210, dt.datetime(2026, 11, 1, 8, 0))[200:])
            db.execute(BIRTHS.update().where(BIRTHS.c.id == "LHR-00198").values(tanggal_terbit_akta=dt.datetime(2026, 11, 12), diperbarui_pada=dt.datetime(2026, 11, 12)))
        later = load("dukcapil", Connection(database_url=url), streams=births_only)
        assert later.status == "ok", later.error
        assert later.inserted == 8 and later.updated == 1  # 10 new rows, 2 of them with an unknown kecamatan
        engine.dispose()

