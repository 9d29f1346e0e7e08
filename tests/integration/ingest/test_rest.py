"""REST connector against the simulated HTTP systems on 127.0.0.1: pages, auth, cursor, and every fault."""

import datetime as dt

import httpx
import pytest

import ingest.run
from conftest import count, saved_cursor
from ingest.connectors import Connection

pytestmark = pytest.mark.integration
FAST = {"timeout": dt.timedelta(seconds=0.5), "retries": 2}


def api_total(sim):
    return httpx.get(f"{sim.perizinan_url}/permohonan", params={"per_page": 1}).json()["meta"]["total"]


def test_page_number_load_is_complete_incremental_and_idempotent(warehouse, simulator, clock, load):
    connection = Connection(**simulator.connection("perizinan"))
    first = load("perizinan", connection)
    assert first.status == "ok" and first.rejected == 0
    assert first.inserted == count(warehouse, "perizinan_permohonan") == api_total(simulator)
    assert first.rows_read > 500  # several pages were followed
    cursor = saved_cursor(warehouse, "perizinan", "permohonan")

    again = load("perizinan", connection)
    assert (again.inserted, again.updated) == (0, 0)
    assert again.rows_read < first.rows_read and again.rows_read == again.unchanged  # only from the cursor on

    clock.advance(days=1)
    later = load("perizinan", connection)
    assert later.inserted > 0 and later.updated > 0  # new applications, and decisions on open ones
    assert count(warehouse, "perizinan_permohonan") == api_total(simulator)
    assert saved_cursor(warehouse, "perizinan", "permohonan") > cursor
    stamped = warehouse.cursor().execute("SELECT count(*) FROM perizinan_permohonan WHERE _load_id = ?", [later.load_id]).fetchone()[0]
    assert stamped == later.inserted + later.updated
    # Every row says the page and position it was read at; a row written again says where its new version came from.
    pages = warehouse.cursor().execute("SELECT DISTINCT regexp_replace(_origin, ' #[0-9]+$', '') FROM perizinan_permohonan").fetchall()
    assert pages and all(" halaman " in p[0] for p in pages), pages
    assert warehouse.cursor().execute("SELECT count(*) FROM perizinan_permohonan WHERE _origin IS NULL").fetchone() == (0,)


def test_next_link_pagination_with_bearer_token(warehouse, simulator, load):
    settings = simulator.connection("pengaduan")
    result = load("pengaduan", Connection(**settings), page_size=200)
    assert result.status == "ok" and result.rows_read > 400  # followed several next links
    assert result.rows_read == result.inserted + result.updated + result.unchanged + result.superseded + result.rejected + result.skipped
    assert count(warehouse, "pengaduan_laporan") == result.inserted


def test_missing_or_wrong_token_is_refused_clearly(warehouse, simulator, load):
    settings = simulator.connection("pengaduan") | {"token": "salah"}
    result = load("pengaduan", Connection(**settings))
    assert result.status == "failed" and "ditolak (HTTP 401)" in result.error


def test_api_key_header(warehouse, simulator, load):
    result = load("tte", Connection(**simulator.connection("tte")))
    assert result.status == "ok" and result.inserted > 0
    wrong = load("tte", Connection(**(simulator.connection("tte") | {"token": "x"})))
    assert wrong.status == "failed" and "HTTP 401" in wrong.error


def test_reconciliation_is_stored(warehouse, simulator, load):
    result = load("perizinan", Connection(**simulator.connection("perizinan")))
    row = warehouse.cursor().execute(
        "SELECT status, rows_read, inserted + updated + unchanged + superseded + rejected + skipped FROM loads WHERE load_id = ?", [result.load_id]
    ).fetchone()
    assert row == ("ok", result.rows_read, result.rows_read)


@pytest.mark.parametrize(
    "fault, message",
    [
        ("error", "HTTP 500"),
        ("refuse", "HTTP 503"),
        ("429", "HTTP 429"),
        ("garbage", "bukan JSON halaman yang diharapkan"),
        ("truncated", "bukan JSON halaman yang diharapkan"),
        ("renamed", "kolom wajib tidak ada di data sumber: diperbarui_pada"),
        ("hang", "ReadTimeout"),
    ],
)
def test_every_fault_fails_cleanly_and_changes_nothing(warehouse, simulator, clock, load, fault, message):
    connection = Connection(**simulator.connection("perizinan"))
    load("perizinan", connection)
    before = (count(warehouse, "perizinan_permohonan"), saved_cursor(warehouse, "perizinan", "permohonan"))
    clock.advance(days=1)
    simulator.faults.set("perizinan", fault)
    result = load("perizinan", connection, **FAST)
    assert result.status == "failed" and message in result.error
    assert (count(warehouse, "perizinan_permohonan"), saved_cursor(warehouse, "perizinan", "permohonan")) == before
    logged = warehouse.cursor().execute("SELECT status, error FROM loads WHERE load_id = ?", [result.load_id]).fetchone()
    assert logged == ("failed", result.error)
    simulator.faults.set("perizinan", None)
    assert load("perizinan", connection).status == "ok"  # recovers on the next run


def test_unreachable_source_fails_after_bounded_retries(warehouse, load):
    result = load("perizinan", Connection(url="http://127.0.0.1:9/api"), **FAST)
    assert result.status == "failed" and "gagal setelah 2 percobaan: ConnectError" in result.error


def test_failure_inside_the_transaction_rolls_everything_back(warehouse, simulator, load, monkeypatch):
    def broken_log(*_args, **_kwargs):
        raise OSError("disk full while writing the run log")

    monkeypatch.setattr(ingest.run, "_log_run", broken_log)
    result = load("perizinan", Connection(**simulator.connection("perizinan")))
    assert result.status == "failed"
    assert count(warehouse, "perizinan_permohonan") == 0
    assert saved_cursor(warehouse, "perizinan", "permohonan") is None
