"""Every committed load is followed by its indicators' recompute, also when loads of several sources run at once."""

import logging
import threading

import pytest

from metrics.catalogue import depending_on
from runtime.configuration import load_checked
from runtime.context import Pantau

pytestmark = pytest.mark.integration
SOURCES = ("perizinan", "pengaduan")


@pytest.fixture
def pantau(tmp_path):
    env = {"PANTAU_WAREHOUSE__PATH": str(tmp_path / "pantau.duckdb"), "PANTAU_SIMULATOR__DATA_DIR": str(tmp_path / "sim"),
           "PANTAU_SIMULATOR__HISTORY_DAYS": "30", "PANTAU_SIMULATOR__SYNC_EVERY": "1h"}
    made = Pantau(load_checked(None, env=env))
    made.start_simulator()
    yield made
    made.close()


def test_parallel_loads_of_two_sources_are_each_followed_by_their_recompute(pantau, caplog):
    for name in SOURCES:
        assert pantau.load(name).status == "ok"
    results = []
    with caplog.at_level(logging.WARNING):
        for _ in range(6):  # three operators loading each source at once, six times over: 36 loads
            threads = [threading.Thread(target=lambda n=n: results.append(pantau.load(n))) for n in SOURCES for _ in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert len(results) == 36 and {r.status for r in results} == {"ok"}
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or "conflict" in r.getMessage().lower()]
    assert not any(r.notes for r in results)

    cur = pantau.warehouse.cursor()
    last_load = dict(cur.execute("SELECT source, max(finished_at) FROM loads WHERE status = 'ok' GROUP BY source").fetchall())
    computed = dict(cur.execute("SELECT indicator_id, computed_at FROM indicator_values").fetchall())
    for name in SOURCES:
        for indicator in depending_on(name, pantau.metrics.indicators):
            assert computed[indicator.id] > last_load[name], (indicator.id, computed[indicator.id], last_load[name])
    assert pantau.metrics.not_recomputed() == []
    states = pantau.metrics.recompute_states()
    assert {states[i.id].load_id.split("-")[0] for n in SOURCES for i in depending_on(n, pantau.metrics.indicators)} == set(SOURCES)


def test_a_stop_between_a_load_and_its_recompute_is_caught_up_at_the_next_start(pantau):
    assert pantau.load("perizinan").status == "ok"
    ids = [i.id for i in depending_on("perizinan", pantau.metrics.indicators)]
    cur = pantau.warehouse.cursor()
    # As if the process had stopped after the load committed and before its recompute.
    cur.execute(f"UPDATE indicator_values SET computed_at = TIMESTAMP '2000-01-01' WHERE indicator_id IN ({', '.join('?' * len(ids))})", ids)
    assert sorted(pantau.metrics.catch_up()) == sorted(ids)
    assert pantau.metrics.catch_up() == []
