"""Like-for-like comparisons on small hand-computed fixtures: a month not yet delivered is neither compared nor
drawn as zero, a month its source may still revise is provisional, and an assessment compares with the previous
assessment year."""

import datetime as dt
from dataclasses import replace

import ibis
import pytest

from dashboard.app import create_app
from dashboard.services import DashboardServices
from metrics.catalogue import BY_ID
from metrics.compute import compute
from metrics.freshness import Policy
from metrics.service import MetricsService
from metrics.spbe.framework import framework

pytestmark = pytest.mark.integration
D = dt.date
AS_OF = dt.datetime(2026, 12, 2, 3, 0)  # Wednesday 2 December 2026, 10.00 WIB
VISITS = ("destinasi", "kode_kecamatan", "bulan", "wisatawan_nusantara", "wisatawan_mancanegara")
PUSKESMAS = ("id", "kode_puskesmas", "nama_puskesmas", "kode_kecamatan", "bulan", "jumlah_kunjungan", "diperbarui_utc", "diperbarui_tgl")


def insert(cur, table, columns, rows):
    marks = ", ".join("?" for _ in columns)
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}, _load_id) VALUES ({marks}, 'l')", rows)


def policy(window: dt.timedelta | None = None) -> Policy:
    return Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2), simulated=True, revision_window=window)


def tourism(cur):
    # November 2026 is not delivered yet on 2 December; November 2025 was.
    insert(cur, "pariwisata_kunjungan", VISITS, [
        ("Pantai Gandoriah", "13.05.01", D(2025, 1, 1), 75, 5), ("Pantai Gandoriah", "13.05.01", D(2025, 10, 1), 40, 0),
        ("Pantai Gandoriah", "13.05.01", D(2025, 11, 1), 777, 0),
        ("Pantai Gandoriah", "13.05.01", D(2026, 1, 1), 95, 5), ("Pantai Gandoriah", "13.05.01", D(2026, 10, 1), 50, 0),
    ])


def test_a_monthly_source_missing_its_last_month_compares_the_months_it_has(warehouse):
    cur = warehouse.cursor()
    tourism(cur)
    result = compute(BY_ID["kunjungan_wisata"], ibis.duckdb.from_connection(cur), AS_OF)
    assert (result.period_start, result.period_end) == (D(2026, 1, 1), D(2026, 11, 30))
    # January-October 2026 (100 + 50) against January-October 2025 (80 + 40), not January-November (897).
    assert (result.covered, result.year_before_span) == ((D(2026, 1, 1), D(2026, 10, 31)), (D(2025, 1, 1), D(2025, 10, 31)))
    assert (result.value, result.year_before_value) == (150.0, 120.0)
    # February-September, between two deliveries, are real zeros; November 2026 is undelivered: no point, not 0.
    # December 2025, where the trend starts, is before the first delivery in it: no point either.
    assert result.series == [("2026-01-01", 100.0, False), *[(f"2026-{m:02d}-01", 0.0, False) for m in range(2, 10)], ("2026-10-01", 50.0, False)]
    assert result.provisional_from is None  # no revision window given: the source never revises


def test_the_reading_says_which_spans_were_compared_and_judges_the_like_for_like_change(warehouse):
    tourism(warehouse.cursor())
    service = MetricsService(warehouse, {"pariwisata": policy(dt.timedelta(days=45))}, (BY_ID["kunjungan_wisata"],), clock=lambda: AS_OF)
    service.refresh()
    reading = service.reading("kunjungan_wisata")
    # +25 % (150 on 120) is growth: green. Against January-November 2025 it would read -83 % red.
    assert (reading.year_change, reading.status) == (25.0, "green")
    # October ended 32 days before 2 December, within the 45 days the source may revise it: provisional. September
    # ended 63 days before: final.
    assert reading.provisional_from == D(2026, 10, 1) and reading.provisional
    assert [(p.day.month, p.provisional) for p in reading.series][-2:] == [(9, False), (10, True)]


def test_the_api_gives_the_spans_compared_and_flags_provisional_points(warehouse):
    tourism(warehouse.cursor())
    service = MetricsService(warehouse, {"pariwisata": policy(dt.timedelta(days=45))}, (BY_ID["kunjungan_wisata"],), clock=lambda: AS_OF)
    service.refresh()
    client = create_app(DashboardServices(service, None, "token", "Kab")).server.test_client()
    one = client.get("/api/v1/indicators/kunjungan_wisata").json
    assert one["period"] == {"start": "2026-01-01", "end": "2026-11-30", "kind": "year_to_month"}
    assert one["covered"] == {"start": "2026-01-01", "end": "2026-10-31"}
    assert one["year_before_span"] == {"start": "2025-01-01", "end": "2025-10-31"} and one["previous_span"] is None
    assert one["compared"] == {"previous": None, "year_before": {"id": "Jan–Okt 2026 vs Jan–Okt 2025", "en": "Jan–Oct 2026 vs Jan–Oct 2025"}}
    assert (one["year_change"], one["year_difference"], one["provisional"], one["provisional_from"]) == (25.0, 30.0, True, "2026-10-01")
    assert one["series"][-2:] == [["2026-09-01", 0.0, False], ["2026-10-01", 50.0, True]]
    listed = client.get("/api/v1/indicators").json["indicators"]
    assert [i["compared"] for i in listed] == [one["compared"]]
    # On request, by month: the zero between deliveries is there and not delivered; November has no row.
    rows = client.get("/api/v1/indicators/kunjungan_wisata/series?from=2026-01-01&to=2026-11-30&grain=month").json["series"]
    assert [(r["periode"], r["value"], r["delivered"], r["provisional"]) for r in rows][-3:] == [
        ("2026-08-01", 0.0, False, False), ("2026-09-01", 0.0, False, False), ("2026-10-01", 50.0, True, True)]


def puskesmas(month: D, visits: int, updated: dt.datetime, id_: str | None = None) -> tuple:
    return (id_ or f"P1-{month:%Y%m}", "P1", "a", "13.05.01", month, visits, updated, updated.date())


def test_a_month_revised_within_its_window_is_provisional_until_the_window_passes(warehouse):
    cur = warehouse.cursor()
    insert(cur, "kesehatan_kunjungan", PUSKESMAS, [
        puskesmas(D(2025, 11, 1), 200, dt.datetime(2025, 12, 5)),
        puskesmas(D(2026, 10, 1), 260, dt.datetime(2026, 11, 5)),
        puskesmas(D(2026, 11, 1), 300, dt.datetime(2026, 11, 30)),
    ])
    visits = replace(BY_ID["kunjungan_puskesmas"], params={"penduduk": 2000.0})  # 2 thousand residents
    con = ibis.duckdb.from_connection(cur)
    window = dt.timedelta(days=14)
    first = compute(visits, con, AS_OF, window)
    # November 2026: 300 visits over 2 thousand = 150, against November 2025's 200 / 2 = 100.
    assert (first.value, first.year_before_value, first.covered) == (150.0, 100.0, (D(2026, 11, 1), D(2026, 11, 30)))
    assert first.provisional_from == D(2026, 11, 1)
    assert [(p, provisional) for p, _, provisional in first.series][-2:] == [("2026-10-01", False), ("2026-11-01", True)]
    # The Puskesmas closes November's report on 3 December with late entries: the figure moves, still provisional.
    cur.execute("UPDATE kesehatan_kunjungan SET jumlah_kunjungan = 330, diperbarui_utc = '2026-12-03 02:00' WHERE id = 'P1-202611'")
    revised = compute(visits, con, dt.datetime(2026, 12, 3, 3, 0), window)
    assert (revised.value, revised.provisional_from) == (165.0, D(2026, 11, 1))
    # 30 November + 14 days: still revisable on 14 December (WIB), final from the 15th.
    assert compute(visits, con, dt.datetime(2026, 12, 14, 16, 59), window).provisional_from == D(2026, 11, 1)
    final = compute(visits, con, dt.datetime(2026, 12, 14, 17, 0), window)  # 15 December, 00.00 WIB
    assert final.provisional_from is None and not any(p for _, _, p in final.series)


def decided(id_: str, day: D, on_time: bool) -> tuple:
    # Filed and decided the same day against an SLA of 1 working day: on time; filed 20 working days earlier: late.
    filed = day if on_time else day - dt.timedelta(days=40)
    return (id_, "usaha", "x", "daring", "13.05.01", dt.datetime.combine(filed, dt.time(2)), filed,
            dt.datetime.combine(day, dt.time(2)), day, "terbit", 1, dt.datetime.combine(day, dt.time(2)), day)


APPLICATION = ("id", "jenis", "nama_izin", "kanal", "kode_kecamatan", "diajukan_utc", "diajukan_tgl", "diputuskan_utc",
               "diputuskan_tgl", "status", "sla_hari_kerja", "diperbarui_utc", "diperbarui_tgl")


def test_a_quiet_day_in_a_daily_source_is_a_zero_so_the_whole_periods_are_compared(warehouse):
    cur = warehouse.cursor()
    insert(cur, "perizinan_permohonan", APPLICATION, [
        decided("A", D(2026, 10, 10), True),
        decided("B", D(2026, 11, 1), False),  # in the 30 days before
        decided("C", D(2026, 11, 3), True), decided("D", D(2026, 11, 30), False),
    ])
    result = compute(BY_ID["izin_tepat_waktu"], ibis.duckdb.from_connection(cur), AS_OF)
    # Nothing was decided on 1 or 2 December: quiet days, not undelivered ones. The last 30 days (3 November-
    # 2 December: C and D, 50 %) compare with the 30 days before (4 October-2 November: A and B, 50 %).
    assert (result.period_start, result.period_end, result.covered) == (D(2026, 11, 3), D(2026, 12, 2), (D(2026, 11, 3), D(2026, 12, 2)))
    assert (result.previous_span, result.value, result.previous_value) == ((D(2026, 10, 4), D(2026, 11, 2)), 50.0, 50.0)
    assert result.year_before_span == (D(2025, 11, 3), D(2025, 12, 2))


def test_an_assessment_compares_with_the_previous_assessment_year_and_has_no_point_without_one(warehouse):
    version = framework("permenpanrb-59-2020")
    cur = warehouse.cursor()
    rows = [(2021, "PermenPANRB 59/2020", i.number, "x", 2) for i in version.indicators]  # index 2.00
    rows += [(2024, "PermenPANRB 59/2020", i.number, "x", 3) for i in version.indicators]  # index 3.00
    # 2025: indicators 42-47 (weight 3 % each, 18 % in all) two levels up: 3.00 + 0.18 × 2 = 3.36.
    rows += [(2025, "PermenPANRB 59/2020", i.number, "x", 5 if i.number >= 42 else 3) for i in version.indicators]
    insert(cur, "spbe_penilaian", ("tahun", "versi_kerangka", "nomor_indikator", "nama_indikator", "tingkat"), rows)
    service = MetricsService(warehouse, {"spbe": policy()}, (BY_ID["spbe_indeks"],), clock=lambda: AS_OF)
    service.refresh()
    reading = service.reading("spbe_indeks")
    # 2025 against 2024, not against itself as the assessment still valid on 2 December 2025.
    assert (reading.value, reading.year_before_value) == (pytest.approx(3.36), pytest.approx(3.0))
    assert (reading.year_difference, reading.year_change) == (pytest.approx(0.36), pytest.approx(12.0))
    assert (reading.covered.start, reading.covered.end, reading.year_before_span.start, reading.year_before_span.end) == (
        D(2025, 1, 1), D(2025, 12, 31), D(2024, 1, 1), D(2024, 12, 31))
    # The trend from 2022: a point for each assessed year only; 2022, 2023 and 2026 have no assessment.
    assert [(p.day.year, round(p.value, 2)) for p in reading.series] == [(2024, 3.0), (2025, 3.36)]
    api = reading.as_dict()
    assert (api["year_difference"], api["year_change"]) == (0.36, 12.0)
    # The SPBE page's history says the same: each assessed year against the assessed year before it.
    history = service.spbe()["history"]
    assert [(h["year"], h["previous_year"], h["change"] and round(h["change"], 2)) for h in history] == [(2021, None, None), (2024, 2021, 1.0), (2025, 2024, 0.36)]
    # Years without an assessment in between are skipped: in mid-2024 the assessment before 2024's is 2021's.
    in_2024 = compute(BY_ID["spbe_indeks"], ibis.duckdb.from_connection(cur), dt.datetime(2024, 6, 1))
    assert (in_2024.value, in_2024.year_before_value, in_2024.year_before_span) == (pytest.approx(3.0), pytest.approx(2.0), (D(2021, 1, 1), D(2021, 12, 31)))
    assert [p for p, _, _ in in_2024.series] == ["2021-01-01", "2024-01-01"]
