"""An OPD's database that stops answering: a server on 127.0.0.1 that takes the connection and never speaks, and a
real MariaDB or PostgreSQL whose view takes far longer than the query timeout. Each fails the load at the timeout,
naming the database without its password, and loads nothing."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import sqlalchemy as sa

from config import load_config
from conftest import count
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables
from tests import dbservers

pytestmark = pytest.mark.integration
CONTRACT = """
[sources.lambat]
kind = "sql"
opd = "DISDUKCAPIL"
query_timeout = "1s"

[sources.lambat.streams.catatan]
table = "lambat_catatan"
location = "catatan"
key = ["id"]
cursor_field = "diperbarui_pada"

[sources.lambat.streams.catatan.fields]
id = {{ from = "id", required = true }}
diperbarui = {{ from = "diperbarui_pada", type = "instant", required = true }}
"""
SLOW_VIEW = {
    "postgresql": "CREATE VIEW catatan AS SELECT 'C-1' AS id, now() AS diperbarui_pada FROM (SELECT pg_sleep(5)) AS s",
    "mariadb": "CREATE VIEW catatan AS SELECT 'C-1' AS id, now() AS diperbarui_pada FROM (SELECT SLEEP(5) AS s) AS t",
}


@pytest.fixture
def source(warehouse, tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text(CONTRACT.format(), encoding="utf-8")
    found = load_config(path, env={}).sources["lambat"]
    ensure_tables(warehouse, {"lambat": found})
    return found


def _timed_load(warehouse, source, url):
    started = time.monotonic()
    result = run_source(warehouse, "lambat", source, Connection(database_url=url))
    return result, time.monotonic() - started


@pytest.fixture
def silent_port():
    """A port where connections are taken and nothing is ever said back."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken = []

    def accept():
        while True:
            try:
                taken.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for s in taken:
        s.close()


@pytest.mark.parametrize("scheme", ["mysql+pymysql://pantau:rahasia@", "postgresql+psycopg://pantau:rahasia@"])
def test_a_database_that_never_answers_fails_the_load_at_the_timeout(warehouse, source, silent_port, scheme):
    result, seconds = _timed_load(warehouse, source, f"{scheme}127.0.0.1:{silent_port}/opd")
    assert result.status == "failed" and f"127.0.0.1:{silent_port}" in result.error and "rahasia" not in result.error, result.error
    assert seconds < 5 and count(warehouse, "lambat_catatan") == 0


@pytest.mark.parametrize("server", ["mariadb", "postgresql"])
def test_a_query_slower_than_the_timeout_fails_the_load_at_the_timeout(warehouse, source, server):
    dbservers.require(server)
    with dbservers.throwaway_database(server) as url:
        engine = sa.create_engine(url)
        with engine.begin() as db:
            db.execute(sa.text(SLOW_VIEW[server]))
        engine.dispose()
        result, seconds = _timed_load(warehouse, source, url)
    assert result.status == "failed" and "basis data" in result.error, result.error
    assert seconds < 4.5 and count(warehouse, "lambat_catatan") == 0
