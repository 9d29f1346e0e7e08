"""The warehouse file: migrations, one owning process, transactions that roll back whole."""

import os
import subprocess
import sys

import pytest

from region.paths import PROJECT_ROOT
from warehouse import Warehouse
from warehouse.migrations import available

pytestmark = pytest.mark.integration


def test_migrations_create_and_reopen_without_change(tmp_path):
    path = tmp_path / "w.duckdb"
    first = Warehouse(path)
    latest = available()[-1][0]
    assert first.schema_version == latest
    tables = {r[0] for r in first.cursor().execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"loads", "source_cursors", "rejects", "file_ledger", "kalender_kerja", "indicator_values", "source_control"} <= tables
    first.close()
    again = Warehouse(path)
    assert again.schema_version == latest
    assert again.cursor().execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available())
    again.close()


def test_second_process_is_told_who_holds_the_file(tmp_path):
    path = tmp_path / "w.duckdb"
    owner = Warehouse(path)
    code = f"from warehouse import Warehouse, WarehouseBusy\ntry:\n    Warehouse({str(path)!r})\nexcept WarehouseBusy as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert f"is in use by process {os.getpid()}" in out.stdout
    owner.close()


def test_transaction_rolls_back_whole(warehouse):
    with pytest.raises(RuntimeError):
        with warehouse.transaction() as tx:
            tx.execute("INSERT INTO source_cursors VALUES ('x', 's', 'c', 'l', now())")
            raise RuntimeError("boom")
    assert warehouse.cursor().execute("SELECT count(*) FROM source_cursors").fetchone()[0] == 0


def test_cursor_per_thread(warehouse):
    import threading

    seen = []
    thread = threading.Thread(target=lambda: seen.append(warehouse.cursor()))
    thread.start()
    thread.join()
    assert seen[0] is not warehouse.cursor()
    assert warehouse.cursor() is warehouse.cursor()


def test_the_latest_runs_facts_are_all_of_that_run(warehouse):
    import datetime as dt

    from warehouse.operations import COUNT_COLUMNS, load_summaries, record_load, run_facts

    def run(load_id: str, minute: int, status: str, error: str | None, notes: str | None, rows: int) -> None:
        at = dt.datetime(2026, 11, 27, 3, minute)
        with warehouse.transaction() as tx:
            record_load(tx, load_id=load_id, source="perizinan", started_at=at, finished_at=at + dt.timedelta(seconds=5), status=status,
                        counts=dict.fromkeys(COUNT_COLUMNS, 0) | {"rows_read": rows, "inserted": rows}, cursor_before={}, cursor_after={},
                        error=error, notes=notes, streams={})

    run("a", 0, "ok", None, "kolom tambahan diabaikan: x", 7)
    run("b", 5, "failed", "HTTP 503", "kolom tambahan diabaikan: y", 0)
    run("c", 10, "ok", None, None, 3)
    facts = run_facts(warehouse.cursor())["perizinan"]
    assert (facts.last_load_id, facts.last_status, facts.last_error, facts.last_rows_read) == ("c", "ok", None, 3)
    assert facts.last_success_at == dt.datetime(2026, 11, 27, 3, 10, 5)
    assert load_summaries(warehouse.cursor(), ["c"])["c"].notes is None  # neither b's nor a's note
    run("d", 15, "failed", "HTTP 500", None, 0)
    facts = run_facts(warehouse.cursor())["perizinan"]
    assert (facts.last_load_id, facts.last_error, facts.last_success_at) == ("d", "HTTP 500", dt.datetime(2026, 11, 27, 3, 10, 5))


@pytest.mark.parametrize("reopened", [False, True])
def test_committed_writes_are_checkpointed_out_of_memory(tmp_path, reopened):
    """Nothing the warehouse does on opening keeps a transaction open: one would stop every checkpoint, and each
    load's rows would stay in the server's memory and in the write-ahead log for as long as it runs."""
    path = tmp_path / "w.duckdb"
    if reopened:
        Warehouse(path).close()
    wh = Warehouse(path)
    try:
        with wh.transaction() as tx:
            tx.execute("CREATE TABLE big AS SELECT range AS id, repeat('x', 40) || range AS name FROM range(600000)")
        in_memory = wh.cursor().execute("SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'").fetchall()[0][0]
        wal = path.with_name(path.name + ".wal")
        assert in_memory < 4_000_000 and (not wal.exists() or wal.stat().st_size < 1_000_000)
        wh.cursor().execute("CHECKPOINT")  # refused while another transaction holds a write
    finally:
        wh.close()



def test_memory_limit_and_spill_folder(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb", memory_limit_mb=200)
    try:
        settings = dict(wh.cursor().execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'temp_directory', 'allocator_background_threads')").fetchall())
        assert settings["temp_directory"] == str(tmp_path / "w.duckdb.tmp")
        assert settings["allocator_background_threads"] == "true"
        assert settings["memory_limit"].startswith("190.7 MiB")  # 200 MB
        # A sort well past the limit spills beside the file instead of failing.
        rows = wh.cursor().execute(
            "SELECT count(*) FROM (SELECT range AS i, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(4000000) ORDER BY s)"
        ).fetchall()
        assert rows == [(4_000_000,)]
    finally:
        wh.close()
