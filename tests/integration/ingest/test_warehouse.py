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
