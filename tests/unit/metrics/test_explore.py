"""Explorer semantics on a small hand-computed real DuckDB: like for like with what a monthly source covers, the
other comparisons, filters, a breakdown ranked with the kecamatan without data last, and a growth judged on its change."""

import datetime as dt

import pytest

from metrics.catalogue import BY_ID
from metrics.freshness import Policy
from metrics.question import Question
from metrics.service import MetricsService

D = dt.date
AS_OF = dt.datetime(2026, 12, 2, 3, 0)  # Wednesday 2 December 2026, 10.00 WIB
VISITS = ("destinasi", "kode_kecamatan", "bulan", "wisatawan_nusantara", "wisatawan_mancanegara")


@pytest.fixture
def explorer(warehouse):
    cur = warehouse.cursor()
    # November 2026 is not delivered yet on 2 December; November 2025 was.
    rows = [
        ("Pantai Gandoriah", "13.05.01", D(2025, 1, 1), 75, 5), ("Pantai Gandoriah", "13.05.01", D(2025, 10, 1), 40, 0),
        ("Pantai Gandoriah", "13.05.01", D(2025, 11, 1), 777, 0),
        ("Pantai Gandoriah", "13.05.01", D(2026, 1, 1), 95, 5), ("Pantai Gandoriah", "13.05.01", D(2026, 10, 1), 50, 0),
        ("Air Terjun", "13.05.02", D(2025, 10, 1), 20, 0), ("Air Terjun", "13.05.02", D(2026, 10, 1), 10, 0),
    ]
    cur.executemany(f"INSERT INTO pariwisata_kunjungan ({', '.join(VISITS)}, _load_id) VALUES (?, ?, ?, ?, ?, 'l')", rows)
    policy = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2), simulated=True)
    service = MetricsService(warehouse, {"pariwisata": policy}, (BY_ID["kunjungan_wisata"],), clock=lambda: AS_OF)
    service.refresh()
    return service.explorer()


def test_like_for_like_sets_the_months_delivered_against_the_same_months_a_year_before(explorer):
    a = explorer.answer(Question("kunjungan_wisata"))
    assert a.span == (D(2026, 1, 1), D(2026, 11, 30)) and a.covered == (D(2026, 1, 1), D(2026, 10, 31))
    assert (a.value, a.compared_span, a.compared_value) == (160.0, (D(2025, 1, 1), D(2025, 10, 31)), 140.0)
    assert a.change == pytest.approx(100 * 20 / 140) and a.change_relative and a.status == "green"
    assert a.simulated and a.today == D(2026, 12, 2)
    # Every month of the span, November undelivered: no value, not 0; the comparison's months align by position.
    assert [p.periode.month for p in a.series] == list(range(1, 12)) and a.series[-1].value is None
    assert [p.value for p in a.compared_series][:2] == [80.0, 0.0] and len(a.compared_series) == 10  # January-October 2025


def test_the_same_dates_a_year_before_include_a_month_delivered_then(explorer):
    a = explorer.answer(Question("kunjungan_wisata", comparison="tahun_lalu"))
    assert (a.compared_span, a.compared_value) == ((D(2025, 1, 1), D(2025, 11, 30)), 917.0)
    assert a.status == "red"  # growth judged on the change shown: -82.6 %


def test_the_previous_period_of_the_same_length(explorer):
    a = explorer.answer(Question("kunjungan_wisata", period="rentang", start=D(2026, 10, 1), end=D(2026, 10, 31), comparison="sebelumnya"))
    # No record from 31 August to 30 September: no data, not a zero to grow from.
    assert a.compared_span == (D(2026, 8, 31), D(2026, 9, 30)) and a.value == 60.0 and a.compared_value is None
    assert a.change is None and a.status == "no_data" and [p.value for p in a.compared_series] == [None, None]


def test_a_filter_keeps_its_members_records_and_a_day_grain_keeps_monthly_coverage(explorer):
    a = explorer.answer(Question("kunjungan_wisata", grain="day").with_filter("kode_kecamatan", ("13.05.02",)))
    assert (a.value, a.compared_value) == (10.0, 20.0) and a.covered == (D(2026, 10, 1), D(2026, 10, 31))
    assert a.grain == "day" and len(a.series) == 334
    none = explorer.answer(Question("kunjungan_wisata").with_filter("kode_kecamatan", ("13.05.03",)))
    assert none.value is None and none.status == "no_data" and none.covered is None


def test_the_breakdown_ranks_best_first_with_the_kecamatan_without_data_last(explorer):
    a = explorer.answer(Question("kunjungan_wisata", by="kode_kecamatan"))
    assert [(m.code, m.value) for m in a.breakdown[:2]] == [("13.05.01", 150.0), ("13.05.02", 10.0)]
    assert len(a.breakdown) == 17 and all(m.value is None and m.status == "no_data" for m in a.breakdown[2:])
    assert a.breakdown[0].name and a.breakdown[0].name != "13.05.01"
    assert all(m.status == "no_data" for m in a.breakdown)  # a growth target says nothing of one member's level


def test_an_answer_is_remembered_and_a_new_breakdown_reads_only_the_breakdown(explorer, monkeypatch):
    q = Question("kunjungan_wisata")
    first = explorer.answer(q)
    assert explorer.answer(q) is first
    import metrics.explore as explore

    calls = []
    real = explore.buckets
    monkeypatch.setattr(explore, "buckets", lambda *a, **k: calls.append(a[2:]) or real(*a, **k))
    explorer.answer(Question("kunjungan_wisata", by="kode_kecamatan"))
    assert calls == []  # the value, series and comparison are the ones read for `q`


def kept_views(explorer):
    cur = explorer._metrics.backend().con
    return {r[0] for r in cur.execute("SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'pantau_explore_rows_%'").fetchall()}


def test_rows_kept_in_memory_are_dropped_once_the_warehouse_changes(explorer, warehouse):
    before = explorer.answer(Question("kunjungan_wisata").with_filter("kode_kecamatan", ("13.05.01",)))
    first = kept_views(explorer)
    assert first  # the span's rows, and the year before's, read once
    explorer.answer(Question("kunjungan_wisata").with_filter("kode_kecamatan", ("13.05.01", "13.05.02")))
    assert kept_views(explorer) == first  # another filter on the same spans reads the same rows
    with warehouse.transaction() as tx:
        tx.execute("DELETE FROM pariwisata_kunjungan WHERE kode_kecamatan = '13.05.01' AND bulan = DATE '2026-10-01'")
    after = explorer.answer(Question("kunjungan_wisata").with_filter("kode_kecamatan", ("13.05.01",)))
    assert (before.value, after.value) == (150.0, 100.0)
    assert kept_views(explorer).isdisjoint(first)


def test_the_rows_kept_stay_within_their_bytes_and_a_large_span_is_not_kept():
    import pyarrow as pa

    from metrics.kept import RowStore

    store = RowStore(kept_bytes=3 * 8_000, per_span=1_000)
    reads = []

    def read(n):
        return lambda most: reads.append(n) or (pa.table({"x": list(range(n))}) if n <= most else None)

    for key in range(5):
        store.get(1, (key,), read(1_000))  # 8,000 bytes each
    assert len(store.names()) == 3 and reads == [1_000] * 5
    store.get(1, (4,), read(1_000))
    assert len(reads) == 5  # still kept: not read again
    assert store.get(1, ("large",), read(1_001)) is None and store.get(1, ("large",), read(1_001)) is None
    assert len(reads) == 6  # a span too large is remembered as such, not read to memory again
    store.get(2, (4,), read(1_000))
    assert len(store.names()) == 1 and len(reads) == 7  # a new warehouse generation starts afresh
