"""The warehouse watch on a real DuckDB file: a file deleted, replaced, unwritable or out of disk is seen, said once, and
cleared when it is fixed."""

import logging
import os
import shutil
import subprocess
import sys

import pytest

from region.paths import PROJECT_ROOT
from tests.privileged import fill, immutable, small_disk
from warehouse import Warehouse

pytestmark = pytest.mark.integration


@pytest.fixture
def opened(tmp_path):
    wh = Warehouse(tmp_path / "data" / "pantau.duckdb")
    wh.watch.probe_every_s = 0  # a real write at every check, not every 10 s
    yield wh
    wh.close()


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "warehouse.watch" and r.levelno >= logging.ERROR]


def test_a_deleted_folder_is_seen_and_said_once(opened, caplog):
    assert opened.watch.check() is None
    shutil.rmtree(opened.path.parent)
    fault = opened.watch.check()
    assert fault.kind == "missing" and fault.reason.startswith("folder gudang data hilang")
    assert str(opened.path) not in fault.reason  # health and the wall are open to read; the log names the file
    assert opened.watch.check().since == fault.since and opened.fault == fault
    assert len(errors(caplog)) == 1 and str(opened.path) in errors(caplog)[0]


def test_a_deleted_file_then_a_replaced_one_then_the_original_back(opened, caplog):
    aside = opened.path.with_name("aside.duckdb")
    os.rename(opened.path, aside)
    assert opened.watch.check().kind == "missing"
    assert opened.watch.check().reason.startswith("berkas gudang data hilang")
    shutil.copyfile(aside, opened.path)  # a restored backup, say: not the file this process writes
    assert opened.watch.check().kind == "replaced"
    os.replace(aside, opened.path)
    with caplog.at_level(logging.WARNING):
        assert opened.watch.check() is None
    assert any("fault cleared" in r.getMessage() for r in caplog.records)
    assert len(errors(caplog)) == 2  # missing, then replaced: once each


def test_free_space_under_the_minimum_is_a_fault_before_any_write_fails(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    free_mb = shutil.disk_usage(folder).free // 2**20
    wh = Warehouse(folder / "pantau.duckdb", min_free_mb=free_mb + 10_000)
    try:
        fault = wh.watch.check()
        assert fault.kind == "disk_full" and abs(fault.free_mb - free_mb) < 1000
        assert f"di bawah batas warehouse.min_free_mb ({free_mb + 10_000} MB)" in fault.reason
    finally:
        wh.close()


def test_the_checks_never_release_the_lock_duckdb_holds(opened):
    for _ in range(3):
        opened.watch.check()
    opened.watch.current(max_age_s=0)
    code = f"from warehouse import Warehouse, WarehouseBusy\ntry:\n    Warehouse({str(opened.path)!r})\nexcept WarehouseBusy as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert f"is in use by process {os.getpid()}" in out.stdout


def test_a_folder_that_takes_no_writes_is_seen_though_root_may_write_anything(opened):
    opened.watch.check()
    with immutable(opened.path.parent):
        fault = opened.watch.check()
        assert fault.kind == "unwritable" and "tidak dapat ditulis" in fault.reason
    assert opened.watch.check() is None


def test_a_full_disk_is_seen_and_writes_resume_when_space_is_freed(tmp_path):
    with small_disk(tmp_path / "disk", 16) as disk:
        wh = Warehouse(disk / "pantau.duckdb")  # no minimum: the real write probe finds the full disk
        wh.watch.probe_every_s = 0
        try:
            assert wh.watch.check() is None
            filler = fill(disk)
            fault = wh.watch.check()
            assert fault.kind == "disk_full" and fault.reason.startswith("disk gudang data penuh") and fault.free_mb == 0
            filler.unlink()
            assert wh.watch.check() is None
            with wh.transaction() as tx:
                tx.execute("INSERT INTO source_control VALUES ('x', true, now())")
            assert wh.cursor().execute("SELECT count(*) FROM source_control").fetchone() == (1,)
        finally:
            wh.close()
