"""Recomputes on a real warehouse: a write conflict is retried, a failure is logged with its load, kept, and made good."""

import dataclasses
import datetime as dt
import logging
import threading

import pytest

from conftest import FIXED_NOW
from metrics.catalogue import BY_ID
from metrics.freshness import Policy
from metrics.recompute import RecomputeFailed
from metrics.service import MetricsService

pytestmark = pytest.mark.integration
POLICY = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2))


def service(warehouse, *indicators) -> MetricsService:
    sources = {s for i in indicators for s in i.sources}
    return MetricsService(warehouse, {s: POLICY for s in sources}, indicators, clock=lambda: FIXED_NOW.replace(tzinfo=None))


def test_a_write_conflict_is_retried_until_the_values_are_stored(warehouse, caplog):
    metrics = service(warehouse, BY_ID["izin_tepat_waktu"])
    metrics.refresh("perizinan")
    # Another transaction holds the indicator's row, as a concurrent recompute did before recomputes took turns.
    holder: list = []
    opened = threading.Thread(target=lambda: holder.append(warehouse.cursor()))
    opened.start()
    opened.join()
    other = holder[0]
    other.begin()
    other.execute("UPDATE indicator_values SET numerator = -1 WHERE indicator_id = 'izin_tepat_waktu'")

    class CommitOnConflict(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "write conflict" in record.getMessage() and holder:
                holder.pop().commit()

    handler = CommitOnConflict()
    logging.getLogger("metrics.recompute").addHandler(handler)
    try:
        with caplog.at_level(logging.WARNING):
            assert metrics.refresh("perizinan", "perizinan-2") == ["izin_tepat_waktu"]
    finally:
        logging.getLogger("metrics.recompute").removeHandler(handler)
    assert [r.getMessage() for r in caplog.records] == ["storing indicator values met a write conflict (attempt 1 of 4); retrying"]
    assert warehouse.cursor().execute("SELECT numerator FROM indicator_values WHERE indicator_id = 'izin_tepat_waktu'").fetchone()[0] != -1
    assert metrics.recompute_states()["izin_tepat_waktu"].load_id == "perizinan-2"


def test_a_failed_recompute_is_logged_with_its_load_kept_in_the_state_and_done_with_the_next(warehouse, caplog):
    broken = threading.Event()
    broken.set()
    real = BY_ID["izin_daring"]

    def query(backend, start, end, **params):
        if broken.is_set():
            raise OSError("No space left on device")
        return real.query(backend, start, end, **params)

    metrics = service(warehouse, dataclasses.replace(real, query=query), BY_ID["izin_tepat_waktu"], BY_ID["lahir_tercatat_60h"])
    with caplog.at_level(logging.ERROR), pytest.raises(RecomputeFailed) as failed:
        metrics.refresh("perizinan", "perizinan-1")
    assert failed.value.ids == ["izin_daring"]
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR and r.name == "metrics.recompute" and not r.exc_info]
    assert said == ["nilai indikator izin_daring tidak dihitung ulang setelah muatan perizinan-1: OSError: No space left on device"]
    stored = {r[0] for r in warehouse.cursor().execute("SELECT indicator_id FROM indicator_values").fetchall()}
    assert stored == {"izin_tepat_waktu"}  # the others of the load are stored
    assert metrics.not_recomputed() == ["izin_daring"]
    state = metrics.recompute_states()["izin_daring"]
    assert (state.failed_load_id, state.error, state.computed_at) == ("perizinan-1", "OSError: No space left on device", None)

    broken.clear()
    assert sorted(metrics.refresh("dukcapil", "dukcapil-2")) == ["izin_daring", "lahir_tercatat_60h"]  # made good with the next
    assert metrics.not_recomputed() == []
    assert metrics.recompute_states()["izin_daring"].as_dict()["load_id"] == "dukcapil-2"
