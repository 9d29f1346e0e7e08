"""Indicator values from loaded simulated data, checked against an independent computation in pandas."""

import datetime as dt

import pandas as pd
import pytest

from conftest import FIXED_NOW, Clock
from ingest.calendar import refresh_calendar
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables
from metrics.catalogue import BY_ID
from metrics.compute import period_for
from metrics.freshness import Policy
from metrics.service import MetricsService
from region.calendar import WorkingCalendar
from simulator import SimulatedOPDs
from warehouse import Warehouse

pytestmark = pytest.mark.integration
AS_OF = FIXED_NOW.replace(tzinfo=None)
POLICY = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2), simulated=True)


@pytest.fixture(scope="module")
def service(tmp_path_factory, sources):
    """Every simulated source loaded once and every indicator computed; the module's tests only read it."""
    root = tmp_path_factory.mktemp("metrics")
    warehouse = Warehouse(root / "pantau.duckdb")
    refresh_calendar(warehouse, WorkingCalendar())
    ensure_tables(warehouse, sources)
    names = ("perizinan", "dukcapil", "absensi", "pengaduan", "tte", "damkar", "kesehatan", "lingkungan", "pariwisata", "masterplan",
             "pendapatan", "spbe")
    with SimulatedOPDs(root / "sim", seed=2019, history_days=60, sync_every_s=3600, now=Clock()) as simulator:
        for name in names:
            assert run_source(warehouse, name, sources[name], Connection(**simulator.connection(name))).status == "ok"
    service = MetricsService(warehouse, {s: POLICY for s in names}, clock=lambda: AS_OF)
    service.refresh()
    yield service, warehouse
    warehouse.close()


@pytest.fixture(scope="module")
def loaded(service):
    metrics, warehouse = service
    return {r.id: r.as_dict() for r in metrics.readings()}, warehouse  # the figures as the API gives them


def frame(warehouse, sql):
    return warehouse.cursor().execute(sql).df()


def test_izin_tepat_waktu_matches_a_working_day_count(loaded):
    readings, warehouse = loaded
    start, end = period_for(BY_ID["izin_tepat_waktu"], AS_OF)
    apps = frame(warehouse, "SELECT diajukan_tgl, diputuskan_tgl, sla_hari_kerja FROM perizinan_permohonan WHERE diputuskan_tgl IS NOT NULL")
    apps = apps[(apps.diputuskan_tgl.dt.date >= start) & (apps.diputuskan_tgl.dt.date <= end)]
    calendar = WorkingCalendar()
    on_time = [calendar.working_days_between(a.date(), d.date()) <= sla for a, d, sla in apps.itertuples(index=False)]
    assert readings["izin_tepat_waktu"]["denominator"] == len(apps) > 0
    assert readings["izin_tepat_waktu"]["value"] == round(100 * sum(on_time) / len(apps), 2)


def test_lahir_tercatat_60h_matches(loaded):
    readings, warehouse = loaded
    start, end = period_for(BY_ID["lahir_tercatat_60h"], AS_OF)
    births = frame(warehouse, "SELECT tanggal_lahir, daftar_tgl FROM dukcapil_kelahiran")
    births = births[(births.daftar_tgl.dt.date >= start) & (births.daftar_tgl.dt.date <= end)]
    within = ((births.daftar_tgl - births.tanggal_lahir).dt.days <= 60).sum()
    assert readings["lahir_tercatat_60h"]["value"] == round(100 * within / len(births), 2)


def test_absensi_tepat_waktu_matches_with_ramadan_hours(loaded):
    readings, warehouse = loaded
    start, end = period_for(BY_ID["absensi_tepat_waktu"], AS_OF)
    assert end == dt.date(2026, 11, 26)  # a partial day would bias punctuality: the period ends yesterday
    rows = frame(warehouse, "SELECT tanggal, masuk_menit FROM absensi_harian WHERE masuk_menit IS NOT NULL")
    rows = rows[(rows.tanggal.dt.date >= start) & (rows.tanggal.dt.date <= end)]
    calendar = WorkingCalendar()
    rows = rows[[calendar.is_working_day(d.date()) for d in rows.tanggal]]
    limit = [480 if calendar.is_ramadan(d.date()) else 450 for d in rows.tanggal]
    expected = round(100 * (rows.masuk_menit <= pd.Series(limit, index=rows.index)).sum() / len(rows), 2)
    assert readings["absensi_tepat_waktu"]["value"] == expected


def test_readings_carry_as_of_period_series_and_freshness(loaded):
    readings, _ = loaded
    for r in readings.values():
        indicator = BY_ID[r["id"]]
        assert r["value"] is not None, r["id"]
        # Year-to-date periods compare with a year before; a source without history compares with nothing.
        has_previous = indicator.history and indicator.period.previous(period_for(indicator, AS_OF)) is not None
        assert has_previous or r["previous_value"] is None, r["id"]
        assert r["as_of"] == "2026-11-27T03:00:00+00:00"
        without_year_before = indicator.judged_on == "year_change" and r["year_before_value"] is None  # 60 days simulated
        assert r["status"] in {"green", "amber", "red"} or without_year_before, r["id"]
        assert r["series"] or not indicator.history, r["id"]
        assert r["simulated"] is True and r["sources"][0]["state"] in {"fresh", "late", "stale"}


def test_every_indicator_compiles_for_spark(loaded, monkeypatch):
    """An indicator is an Ibis expression, not engine SQL: each must compile to Spark SQL, reading its sources'
    tables and no time-zone function (local dates are stored at load)."""
    import ibis

    from metrics.catalogue import INDICATORS

    _, warehouse = loaded
    con = ibis.duckdb.from_connection(warehouse.cursor())
    # Float literals read an option the PySpark backend registers on import; pyspark itself is not installed here.
    from ibis.config import Config

    class PySparkOptions(Config):
        treat_nan_as_null: bool = False

    monkeypatch.setattr(ibis.options, "pyspark", PySparkOptions())
    for indicator in INDICATORS:
        start, end = period_for(indicator, AS_OF)
        spark_sql = ibis.to_sql(indicator.query(con, start, end, **indicator.params), dialect="pyspark")
        assert all(source in spark_sql for source in indicator.sources), indicator.id
        assert "timezone" not in spark_sql.lower() and "at time zone" not in spark_sql.lower(), indicator.id


def in_period(frame, column, indicator_id):
    start, end = period_for(BY_ID[indicator_id], AS_OF)
    days = frame[column].dt.date
    return frame[(days >= start) & (days <= end)]


def ratio(good, total):
    return round(100 * good / total, 2) if total else None


def test_izin_daring(loaded):
    readings, warehouse = loaded
    apps = in_period(frame(warehouse, "SELECT diajukan_tgl, kanal FROM perizinan_permohonan"), "diajukan_tgl", "izin_daring")
    assert readings["izin_daring"]["value"] == ratio((apps.kanal == "daring").sum(), len(apps))


def test_kematian_tercatat_30h(loaded):
    readings, warehouse = loaded
    deaths = in_period(frame(warehouse, "SELECT tanggal_meninggal, daftar_tgl FROM dukcapil_kematian"), "daftar_tgl", "kematian_tercatat_30h")
    within = ((deaths.daftar_tgl - deaths.tanggal_meninggal).dt.days <= 30).sum()
    assert readings["kematian_tercatat_30h"]["value"] == ratio(within, len(deaths))


def test_tte_share_and_failures(loaded):
    readings, warehouse = loaded
    docs = frame(warehouse, "SELECT dibuat_tgl, ditandatangani_tgl, metode, hasil FROM tte_dokumen")
    made = in_period(docs, "dibuat_tgl", "tte_porsi")
    # Signed electronically means the signature succeeded (on a valid certificate); failed, expired and unsigned do
    # not. A document waiting for its signature counts once signed or once more than 3 working days have passed.
    end = period_for(BY_ID["tte_porsi"], AS_OF)[1]
    calendar = WorkingCalendar()
    waited = made.dibuat_tgl.map(lambda d: calendar.working_days_between(d.date(), end) > 3).astype(bool)
    due = made[made.ditandatangani_tgl.notna() | waited]
    assert 0 < len(due) < len(made)  # today's letters are still on the signers' desks
    assert readings["tte_porsi"]["value"] == ratio(((due.metode == "elektronik") & (due.hasil == "berhasil")).sum(), len(due))
    signed = in_period(docs[docs.metode == "elektronik"].dropna(subset=["ditandatangani_tgl"]), "ditandatangani_tgl", "tte_gagal")
    assert readings["tte_gagal"]["value"] == ratio((signed.hasil != "berhasil").sum(), len(signed))
    assert readings["tte_gagal"]["direction"] == "lower"


def test_damkar_respons_15m_counts_unreached_incidents_against(loaded):
    readings, warehouse = loaded
    incidents = in_period(frame(warehouse, "SELECT dilaporkan_utc, dilaporkan_tgl, tiba_utc FROM damkar_kejadian"), "dilaporkan_tgl", "damkar_respons_15m")
    reached = ((incidents.tiba_utc - incidents.dilaporkan_utc).dt.total_seconds() <= 900).sum()  # NaT compares False
    assert readings["damkar_respons_15m"]["value"] == ratio(reached, len(incidents))


def test_aduan_verifikasi_3hk_counts_only_complaints_whose_deadline_passed(loaded):
    readings, warehouse = loaded
    start, end = period_for(BY_ID["aduan_verifikasi_3hk"], AS_OF)
    calendar = WorkingCalendar()
    complaints = in_period(frame(warehouse, "SELECT dilaporkan_tgl, diverifikasi_tgl FROM pengaduan_laporan"), "dilaporkan_tgl", "aduan_verifikasi_3hk")
    good = total = 0
    for reported, verified in complaints.itertuples(index=False):
        on_time = pd.notna(verified) and calendar.working_days_between(reported.date(), verified.date()) <= 3
        due = on_time or calendar.working_days_between(reported.date(), end) > 3
        total += due
        good += on_time
    assert 0 < total < len(complaints)  # recent open complaints are not yet due
    assert readings["aduan_verifikasi_3hk"]["value"] == ratio(good, total)


def test_the_wall_flags_one_indicator_per_headline_service(loaded):
    readings, _ = loaded
    assert {i for i, r in readings.items() if r["wall"]} == {"izin_tepat_waktu", "lahir_tercatat_60h", "absensi_tepat_waktu", "pembayaran_nontunai"}


def test_pembayaran_nontunai_is_a_share_of_rupiah_not_of_payments(loaded):
    readings, warehouse = loaded
    paid = in_period(frame(warehouse, "SELECT dibayar_tgl, kanal, jumlah, status FROM pendapatan_pembayaran"), "dibayar_tgl", "pembayaran_nontunai")
    standing = paid[paid.status == "lunas"]
    digital = standing[standing.kanal.isin(["qris", "transfer", "virtual_account"])]
    reading = readings["pembayaran_nontunai"]
    assert reading["denominator"] == standing.jumlah.sum() > 0 and len(standing) < len(paid)  # reversed ones left out
    assert reading["value"] == round(100 * digital.jumlah.sum() / standing.jumlah.sum(), 2)
    assert reading["value"] != ratio(len(digital), len(standing))  # by count it would read otherwise


def test_pad_realisasi_is_receipts_since_january_over_the_yearly_target(loaded):
    readings, warehouse = loaded
    paid = in_period(frame(warehouse, "SELECT dibayar_tgl, jumlah, status FROM pendapatan_pembayaran"), "dibayar_tgl", "pad_realisasi")
    target = BY_ID["pad_realisasi"].params["target_tahunan_miliar"] * 1e9
    reading = readings["pad_realisasi"]
    assert reading["period"]["start"] == "2026-01-01"
    assert reading["value"] == round(100 * paid[paid.status == "lunas"].jumlah.sum() / target, 2) and reading["status"] == "amber"


def test_every_smart_city_dimension_has_a_score_explained_by_its_indicators(service, loaded):
    metrics, _ = service
    readings, _ = loaded
    dimensions = metrics.smartcity()["dimensions"]
    assert [d["dimension"] for d in dimensions] == ["Smart Governance", "Smart Branding", "Smart Economy", "Smart Living",
                                                   "Smart Society", "Smart Environment"]
    assert all(any(readings[i]["value"] is not None for i in d["indicators"]) for d in dimensions)  # each has data
    # Branding is judged on growth on a year before, which these 60 days of history cannot give; the rest are scored.
    assert [d["dimension"] for d in dimensions if d["score"] is None] == ["Smart Branding"]
    economy = next(d for d in dimensions if d["dimension"] == "Smart Economy")
    assert economy["indicators"] == ["pembayaran_nontunai", "pad_realisasi"]
    attained = [min(readings[i]["value"] / readings[i]["target"], 1) for i in economy["indicators"]]
    assert economy["score"] == round(5 * sum(attained) / 2, 2)


def test_configured_holidays_and_targets_reach_the_warehouse_and_readings(tmp_path):
    from config import load_config
    from runtime.context import Pantau

    path = tmp_path / "pantau.toml"
    path.write_text(
        f'[warehouse]\npath = "{tmp_path / "w.duckdb"}"\n[calendar]\nextra_holidays = [2026-12-07]\n'
        '[indicators.izin_daring]\ntarget = 60\ngreen = 60\namber = 50\ntarget_basis = "Perbup 1/2026"\n'
    )
    pantau = Pantau(load_config(path, env={}))
    try:
        cur = pantau.warehouse.cursor()
        rows = cur.execute("SELECT tanggal, hari_kerja FROM kalender_kerja WHERE tanggal BETWEEN '2026-12-04' AND '2026-12-08' ORDER BY 1").fetchall()
        assert [working for _, working in rows] == [True, False, False, False, True]  # Fri, Sat, Sun, the regional holiday, Tue
        reading = pantau.metrics.reading("izin_daring").as_dict()
        assert (reading["target"], reading["thresholds"], reading["target_basis"]) == (60, {"green": 60, "amber": 50}, "Perbup 1/2026")
    finally:
        pantau.warehouse.close()


def test_stored_values_are_read_once_until_the_warehouse_commits_a_write(warehouse):
    metrics = MetricsService(warehouse, {"absensi": Policy(dt.timedelta(minutes=15), dt.timedelta(hours=2))}, (BY_ID["absensi_tepat_waktu"],))
    assert metrics.breakdown("absensi_tepat_waktu", "kode_opd") == []
    version = metrics.data_version()
    # Written behind the service's back on a cursor, outside a transaction: a screen may keep what it read.
    warehouse.cursor().execute("INSERT INTO indicator_breakdowns VALUES ('absensi_tepat_waktu', 'default', 'kode_opd', 'BKPSDM', 91.0, 91, 100)")
    assert metrics.breakdown("absensi_tepat_waktu", "kode_opd") == [] and metrics.data_version() == version
    # Any committed write (a load, a recompute) makes the next read fresh.
    with warehouse.transaction() as tx:
        tx.execute("UPDATE indicator_breakdowns SET value = 97.0 WHERE member = 'BKPSDM'")
    assert metrics.data_version() == version + 1
    assert [(r.member, r.value) for r in metrics.breakdown("absensi_tepat_waktu", "kode_opd")] == [("BKPSDM", 97.0)]
