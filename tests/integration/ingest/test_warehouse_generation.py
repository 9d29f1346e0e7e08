"""The warehouse generation moves with every committed write that may change data, and not with the watch's probe,
so what readers keep (stored values, the explorer's answers) lasts until the data changes."""

import pytest

from warehouse import Warehouse

pytestmark = pytest.mark.integration


def test_the_watchs_probe_leaves_the_generation_and_a_write_moves_it(tmp_path):
    wh = Warehouse(tmp_path / "pantau.duckdb")
    try:
        wh.watch.probe_every_s = 0  # a real probe write at every check
        before = wh.generation
        for _ in range(3):
            wh.watch.check()
        assert wh.cursor().execute("SELECT count(*) FROM warehouse_probe").fetchone() == (1,)
        assert wh.generation == before
        with wh.transaction() as tx:
            tx.execute("INSERT OR REPLACE INTO warehouse_probe VALUES (1, now() AT TIME ZONE 'UTC')")
        assert wh.generation == before + 1
        with pytest.raises(RuntimeError), wh.transaction() as tx:
            tx.execute("SELECT 1")
            raise RuntimeError("rolled back")
        assert wh.generation == before + 1
    finally:
        wh.close()
