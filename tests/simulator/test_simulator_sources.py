"""The eight newer simulated OPD systems: deterministic, realistic in shape, messy in the ways real ones are."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from metrics.spbe.framework import framework
from region.calendar import WIB, WorkingCalendar
from region.kecamatan import all_kecamatan, normalise_kecamatan
from region.opd import OPDS
from simulator.damkar import Damkar, km_to_posts
from simulator.days import day_number
from simulator.drops import Export, sync_exports
from simulator.geometri import kecamatan_centroids
from simulator.kesehatan import PUSKESMAS, Kesehatan
from simulator.lingkungan import ENCODING, Lingkungan, tps_list
from simulator.lingkungan import HEADER as LINGKUNGAN_HEADER
from simulator.masterplan import HEADER as MASTERPLAN_HEADER
from simulator.masterplan import Masterplan, programs
from simulator.pariwisata import DESTINASI, Pariwisata
from simulator.pariwisata import HEADER as PARIWISATA_HEADER
from simulator.pengaduan import KANAL, KATEGORI, KLASIFIKASI, STATUS, Pengaduan
from simulator.spbe import FRAMEWORK, INDICATORS, Spbe, levels_by_year
from simulator.tte import HASIL, JENIS_DOKUMEN, Tte

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)  # a Friday, a working day
CAL = WorkingCalendar()
KODES = {k.kode for k in all_kecamatan()}
OPD_CODES = {o.kode for o in OPDS}
OPD_TEXTS = OPD_CODES | {o.nama for o in OPDS} | {o.nama_lengkap for o in OPDS}
# The SPBE framework facts, copied from the reference material (users and CI have only the repository).
SPBE_REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "spbe.md"


@cache
def _wd(a: dt.date, b: dt.date) -> int:
    return CAL.working_days_between(a, b)


def _ts(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


@cache
def _pengaduan(seed: int = 2019, days: int = 800) -> list[dict]:
    return Pengaduan(seed, days).records(NOW)


@cache
def _tte(seed: int = 2019, days: int = 800) -> list[dict]:
    return Tte(seed, days).records(NOW)


@cache
def _damkar(seed: int = 2019, days: int = 800) -> list[dict]:
    return Damkar(seed, days).records(NOW)


def _per_working_day(records: list[dict], field: str) -> list[int]:
    counts = Counter(r[field][:10] for r in records if r[field][:10] < NOW.date().isoformat())
    return [n for d, n in counts.items() if CAL.is_working_day(dt.date.fromisoformat(d))]


def _assert_rest_basics(records: list[dict], prefix: str, first_field: str, digits: int = 4) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    keys = [(_ts(r["diperbarui_pada"]), r["id"]) for r in records]
    assert keys == sorted(keys)
    for r in records:
        assert re.fullmatch(rf"{prefix}-\d{{8}}-\d{{{digits}}}", r["id"]), r["id"]
        assert r["id"][len(prefix) + 1 : len(prefix) + 9] == r[first_field][:10].replace("-", "")
        for name, value in r.items():
            if name.endswith("_pada") and value is not None:
                moment = _ts(value)
                assert moment.utcoffset() == dt.timedelta(hours=7) and moment <= NOW, (name, value)


# --- determinism ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("system", [Pengaduan, Tte, Damkar])
def test_rest_systems_are_deterministic_and_independent_of_the_window(system):
    a = system(2019, 60).records(NOW)
    assert a == system(2019, 60).records(NOW)
    assert a != system(7, 60).records(NOW)
    start = (NOW - dt.timedelta(days=60)).date().isoformat()
    first = next(k for k in a[0] if k.endswith("_pada"))
    longer = system(2019, 120).records(NOW)
    assert a == [r for r in longer if r[first][:10] >= start]


def test_file_and_sql_systems_are_deterministic():
    day = day_number(dt.date(2026, 11, 26))
    assert Lingkungan(2019).csv_bytes(day, NOW) == Lingkungan(2019).csv_bytes(day, NOW)
    assert Lingkungan(2019).csv_bytes(day, NOW) != Lingkungan(3).csv_bytes(day, NOW)
    month = (day_number(dt.date(2026, 10, 1)), day_number(dt.date(2026, 10, 31)))
    assert Pariwisata(2019).xlsx(month, NOW) == Pariwisata(2019).xlsx(month, NOW)  # byte-stable workbooks
    assert Pariwisata(2019).xlsx(month, NOW) != Pariwisata(3).xlsx(month, NOW)
    assert Masterplan(2019).xlsx(NOW) == Masterplan(2019).xlsx(NOW)
    assert Spbe(2019).csv_bytes(2025) == Spbe(2019).csv_bytes(2025) != Spbe(3).csv_bytes(2025)
    assert Kesehatan(2019, 60).rows(NOW) == Kesehatan(2019, 60).rows(NOW) != Kesehatan(3, 60).rows(NOW)


# --- pengaduan -----------------------------------------------------------------------------------------------


def test_pengaduan_record_invariants():
    records = _pengaduan()
    _assert_rest_basics(records, "LPR", "dilaporkan_pada")
    categories = {k.nama for k in KATEGORI}
    misordered = 0
    for r in records:
        assert r["kanal"] in KANAL and r["klasifikasi"] in KLASIFIKASI and r["kategori"] in categories
        assert r["opd_tujuan"] in OPD_TEXTS | {"Lainnya"}
        times = [_ts(r[f]) for f in ("dilaporkan_pada", "diverifikasi_pada", "didisposisi_pada", "dijawab_pada")]
        present = [t for t in times if t is not None]
        misordered += present != sorted(present)
        if r["ditutup_pada"] is not None:
            assert _ts(r["ditutup_pada"]) >= max(t for t in times[:2] if t is not None)
        if r["kanal"] == "langsung":
            assert CAL.is_working_day(times[0].date())  # the walk-in desk keeps office days
        assert r["diperbarui_pada"] == max((v for k, v in r.items() if k.endswith("_pada") and v), key=_ts)
        filled = sum(t is not None for t in times[1:]) + (r["ditutup_pada"] is not None)
        if r["status"] == "ditolak":
            assert r["didisposisi_pada"] is None and r["ditutup_pada"] == r["diverifikasi_pada"]
        else:
            assert r["status"] == STATUS[filled], r
    assert 0 < misordered <= 0.003 * len(records)  # a desk PC with a wrong clock, rarely


def test_pengaduan_volumes_and_service_levels_are_realistic():
    records = _pengaduan()
    assert 12 <= len(records) / 800 <= 25
    verified = [r for r in records if r["diverifikasi_pada"] and r["status"] != "ditolak"]
    within_3 = [_wd(_ts(r["dilaporkan_pada"]).date(), _ts(r["diverifikasi_pada"]).date()) <= 3 for r in verified]
    assert 0.85 <= statistics.mean(within_3) <= 0.95
    old = [r for r in records if _ts(r["dilaporkan_pada"]) < NOW - dt.timedelta(days=61) and r["status"] != "ditolak"]
    closed_60 = defaultdict(list)
    for r in old:
        ok = r["ditutup_pada"] is not None and _ts(r["ditutup_pada"]) - _ts(r["dilaporkan_pada"]) <= dt.timedelta(60)
        closed_60[r["opd_tujuan"]].append(ok)
    overall = [ok for v in closed_60.values() for ok in v]
    assert 0.80 <= statistics.mean(overall) <= 0.90
    big = sorted(statistics.mean(v) for k, v in closed_60.items() if k in OPD_CODES and len(v) >= 200)
    assert big[-1] - big[0] > 0.05  # OPDs differ
    backlog = [r for r in old if r["ditutup_pada"] is None]
    assert len(backlog) > 0.02 * len(old)  # old complaints still open, as on any real desk
    assert 0.03 <= sum(r["status"] == "ditolak" for r in records) / len(records) <= 0.06


def test_pengaduan_kecamatan_and_opd_are_mostly_codes_with_names_and_rare_unknowns():
    records = _pengaduan()
    kec = Counter(r["kode_kecamatan"] in KODES for r in records)
    assert 0.85 <= kec[True] / len(records) <= 0.97
    unknown = [r for r in records if normalise_kecamatan(r["kode_kecamatan"]) is None]
    assert 0 < len(unknown) <= 0.005 * len(records)
    assert {r["kode_kecamatan"] for r in records} & {"Lubuak Alung", "Sungai Garingging"}  # spelling variants
    by_name = [r for r in records if r["opd_tujuan"] not in OPD_CODES]
    assert 0.05 <= len(by_name) / len(records) <= 0.15


def test_pengaduan_moves_with_the_clock_and_pages_by_key():
    source = Pengaduan(2019, history_start=dt.date(2026, 10, 1))
    before = {r["id"]: r for r in source.records(NOW)}
    later = {r["id"]: r for r in source.records(NOW + dt.timedelta(days=20))}
    assert set(before) < set(later)
    progressed = [i for i, r in before.items() if r["status"] != later[i]["status"]]
    assert progressed and all(later[i]["diperbarui_pada"] > before[i]["diperbarui_pada"] for i in progressed)
    records = list(before.values())
    pages, after = [], None
    while True:
        page, after = source.query_after(NOW, None, after, 97)
        pages += page
        if after is None:
            break
    assert pages == records
    since = _ts(records[len(records) // 3]["diperbarui_pada"])
    assert source.query_after(NOW, since, None, 10**6)[0] == [r for r in records if _ts(r["diperbarui_pada"]) >= since]


# --- tte -----------------------------------------------------------------------------------------------------


def test_tte_record_invariants():
    records = _tte()
    _assert_rest_basics(records, "TTE", "dibuat_pada")
    misordered = 0
    for r in records:
        assert r["kode_opd"] in OPD_CODES | {""} and r["jenis_dokumen"] in JENIS_DOKUMEN
        assert r["metode"] in ("elektronik", "basah")
        assert (r["ditandatangani_pada"] is None) == (r["hasil"] is None)
        if r["hasil"] is not None:
            assert r["hasil"] in HASIL and (r["metode"] == "elektronik" or r["hasil"] == "berhasil")
            misordered += _ts(r["ditandatangani_pada"]) < _ts(r["dibuat_pada"])
    assert 0 < misordered <= 0.003 * len(records)
    assert 0 < sum(r["kode_opd"] == "" for r in records) <= 0.003 * len(records)
    pending = [r for r in records if r["hasil"] is None]
    assert pending and all(_ts(r["dibuat_pada"]) > NOW - dt.timedelta(days=10) for r in pending)


def test_tte_volumes_adoption_and_failures_are_realistic():
    records = _tte()
    per_day = _per_working_day(records, "dibuat_pada")
    assert 80 <= statistics.mean(per_day) <= 150
    signed = [r for r in records if r["metode"] == "elektronik" and r["hasil"]]
    failed = sum(r["hasil"] != "berhasil" for r in signed) / len(signed)
    assert 0.01 <= failed <= 0.02
    fifth = len(records) // 5
    share = [statistics.mean(r["metode"] == "elektronik" for r in part) for part in (records[:fifth], records[-fifth:])]
    assert share[0] + 0.08 < share[1]  # electronic signing spreads
    by_opd = defaultdict(list)
    for r in records:
        by_opd[r["kode_opd"]].append(r["metode"] == "elektronik")
    shares = sorted(statistics.mean(v) for k, v in by_opd.items() if k)
    assert shares[-1] - shares[0] > 0.2


# --- damkar --------------------------------------------------------------------------------------------------


def test_damkar_record_invariants_and_volume():
    records = _damkar()
    _assert_rest_basics(records, "DMK", "dilaporkan_pada", digits=2)
    assert 1 <= len(records) / 800 <= 3
    assert {r["jenis"] for r in records} == {"kebakaran_bangunan", "kebakaran_lahan", "penyelamatan", "lainnya"}
    misordered = unknown = 0
    for r in records:
        reported, arrived, done = (_ts(r[f]) for f in ("dilaporkan_pada", "tiba_pada", "selesai_pada"))
        unknown += normalise_kecamatan(r["kode_kecamatan"]) is None
        if arrived is not None:
            misordered += arrived < reported
        if done is not None:
            assert arrived is not None and done >= arrived
    assert misordered <= 0.005 * len(records) and unknown <= 0.005 * len(records)
    assert misordered + unknown > 0  # rare, but there
    assert 0.1 <= sum(r["kode_kecamatan"] not in KODES for r in records) / len(records) <= 0.3  # names typed


def test_damkar_response_time_grows_with_distance_from_the_nearest_post():
    codes = [k.kode for k in all_kecamatan()]
    centre = kecamatan_centroids()
    km = dict(zip(codes, km_to_posts(centre[:, 0], centre[:, 1])[:, 0], strict=True))
    near, far = [], []
    for r in _damkar():
        kode = normalise_kecamatan(r["kode_kecamatan"])
        if kode is None or r["tiba_pada"] is None or _ts(r["tiba_pada"]) < _ts(r["dilaporkan_pada"]):
            continue
        minutes = (_ts(r["tiba_pada"]) - _ts(r["dilaporkan_pada"])).total_seconds() / 60
        (near if km[kode] < 2 else far if km[kode] > 9 else []).append(minutes)
    assert len(near) > 300 and len(far) > 100
    assert statistics.mean(m <= 15 for m in near) >= 0.7  # a kecamatan with its own post
    assert statistics.mean(m <= 15 for m in far) <= 0.3  # more than 9 km from any post
    assert statistics.median(far) > statistics.median(near) + 6


def test_damkar_land_fires_follow_the_dry_season():
    lahan = Counter(r["dilaporkan_pada"][5:7] for r in _damkar() if r["jenis"] == "kebakaran_lahan")
    assert sum(lahan[m] for m in ("07", "08", "09")) > 2 * sum(lahan[m] for m in ("11", "12", "01"))


# --- kesehatan -----------------------------------------------------------------------------------------------


def test_kesehatan_puskesmas_cover_every_kecamatan():
    assert 22 <= len(PUSKESMAS) <= 28
    assert {p.kode_kecamatan for p in PUSKESMAS} == KODES
    assert len({p.kode for p in PUSKESMAS}) == len(PUSKESMAS)


def test_kesehatan_rows_one_per_puskesmas_and_month_with_realistic_values():
    rows = Kesehatan(2019, 800).rows(NOW)
    kunjungan, imunisasi = rows["kunjungan"], rows["imunisasi"]
    assert [r[0][4:] for r in kunjungan] == [r[0][4:] for r in imunisasi]
    assert len({r[0] for r in kunjungan}) == len(kunjungan)
    months = sorted({r[4] for r in kunjungan})
    assert months[0] == "2024-09" and months[-1] == "2026-11" and len(kunjungan) == len(months) * len(PUSKESMAS)
    for r in kunjungan:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", r[6]) and r[6] <= "2026-11-27 10:00:00"
        assert r[6][:7] >= r[4]  # typed in during the month or when the report is closed
    assert {r[3] for r in kunjungan} - KODES  # some Puskesmas write the kecamatan by name
    assert all(normalise_kecamatan(r[3]) for r in kunjungan)
    full = [r for r in kunjungan if r[4] == "2026-09"]
    assert 35_000 <= sum(r[5] for r in full) <= 75_000  # about 1.2 visits a person a year, by month
    bad = [r for r in kunjungan if r[5] < 0] + [r for r in imunisasi if r[3] <= 0]
    assert len(bad) <= 0.01 * (len(kunjungan) + len(imunisasi))
    valid = [r for r in imunisasi if r[2] < "2026-11" and r[3] > 0]
    coverage = sum(r[4] for r in valid) / sum(r[3] for r in valid)
    assert 0.7 <= coverage <= 0.97
    by_centre = defaultdict(list)
    for r in valid:
        by_centre[r[1]].append(r[4] / r[3])
    means = sorted(statistics.mean(v) for v in by_centre.values())
    assert means[-1] - means[0] > 0.1  # some Puskesmas are consistently behind


def test_kesehatan_current_month_grows_and_closed_months_stay():
    source = Kesehatan(2019, history_start=dt.date(2026, 9, 1))
    now = {r[0]: r for r in source.rows(NOW)["kunjungan"]}
    later = {r[0]: r for r in source.rows(NOW + dt.timedelta(days=3, hours=8))["kunjungan"]}
    current = [i for i, r in now.items() if r[4] == "2026-11"]
    assert current and all(later[i][5] > now[i][5] and later[i][6] > now[i][6] for i in current)
    closed = [i for i, r in now.items() if r[4] == "2026-09"]
    assert all(later[i] == now[i] for i in closed)
    first = {r[0]: r for r in source.rows(dt.datetime(2026, 10, 1, 8, tzinfo=WIB))["kunjungan"]}
    assert not [i for i in first if "202610" in i]  # a month's rows appear with its first entry


# --- lingkungan ----------------------------------------------------------------------------------------------


def _lingkungan_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode(ENCODING))))


def test_lingkungan_file_is_windows_1252_with_decimal_comma():
    source = Lingkungan(2019)
    special = None
    day = dt.date(2026, 11, 2)  # a Monday
    while special is None:
        content = source.csv_bytes(day_number(day), NOW)
        if content and any(ch in content for ch in (b"\xe9", b"\x92")):  # é and ’ in Windows-1252
            special = content
        day += dt.timedelta(days=1)
    with pytest.raises(UnicodeDecodeError):
        special.decode("utf-8")
    text = special.decode("cp1252")
    assert text.splitlines()[0] == ",".join(LINGKUNGAN_HEADER) and "\r\n" in text
    for r in _lingkungan_rows(special):
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", r["Tanggal"])
        assert re.fullmatch(r"-?\d+,\d{2}", r["Tonase (ton)"])
    assert re.search(r',"\d+,\d{2}"\r\n', text)  # the decimal comma is quoted


def test_lingkungan_points_schedules_and_volumes():
    points = {p.kode: p for p in tps_list()}
    assert 30 <= len(points) <= 40
    source = Lingkungan(2019)
    tonnes, rows_total, bad, days = 0.0, 0, 0, 0
    day = dt.date(2026, 6, 1)
    while day < dt.date(2026, 9, 1):
        content = source.csv_bytes(day_number(day), NOW)
        days += 1
        if content is None:
            day += dt.timedelta(days=1)
            continue
        for r in _lingkungan_rows(content):
            rows_total += 1
            if r["Tanggal"] != day.strftime("%d-%m-%Y"):
                bad += 1
                continue
            assert day.weekday() in points[r["Kode TPS"]].hari  # rows only on the point's collection days
            assert normalise_kecamatan(r["Kecamatan"]) == [k.kode for k in all_kecamatan()][
                points[r["Kode TPS"]].kecamatan
            ]
            tonnes += float(r["Tonase (ton)"].replace(",", "."))
        day += dt.timedelta(days=1)
    # About half to two thirds of the 451,388 residents x 0.5 kg a day (226 t) that sampah_terangkut assumes.
    assert 100 <= tonnes / days <= 160
    assert bad <= 0.005 * rows_total


def test_lingkungan_todays_file_grows_through_the_day():
    source = Lingkungan(2019)
    today = day_number(NOW.date())
    assert source.csv_bytes(today, NOW.replace(hour=6)) is None
    morning = _lingkungan_rows(source.csv_bytes(today, NOW))
    evening = _lingkungan_rows(source.csv_bytes(today, NOW.replace(hour=18)))
    assert 0 < len(morning) < len(evening) and evening[: len(morning)] == morning
    assert source.csv_bytes(today + 1, NOW) is None


# --- pariwisata ----------------------------------------------------------------------------------------------


def _sheet(content: bytes, name: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [name]
    return list(workbook[name].iter_rows(values_only=True))


def _month(year: int, month: int) -> tuple[int, int]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return day_number(first), day_number(nxt) - 1


def test_pariwisata_workbook_columns_and_values():
    rows = _sheet(Pariwisata(2019).xlsx(_month(2026, 10), NOW), "Kunjungan")
    assert rows[0] == PARIWISATA_HEADER
    assert len(rows) - 1 == len(DESTINASI) and 12 <= len(DESTINASI) <= 18
    for destinasi, kecamatan, bulan, nusantara, mancanegara in rows[1:]:
        assert bulan == dt.datetime(2026, 10, 1)  # a real Excel date
        assert isinstance(nusantara, int) and isinstance(mancanegara, int) and 0 <= mancanegara < nusantara
        assert kecamatan and destinasi


def test_pariwisata_is_dropped_after_the_month_and_peaks_in_the_holidays():
    source = Pariwisata(2019)
    assert source.xlsx(_month(2026, 11), NOW) is None  # the month is not over
    assert source.xlsx(_month(2026, 10), dt.datetime(2026, 11, 1, 12, tzinfo=WIB)) is None  # not yet reported

    def total(year: int, month: int) -> int:
        return sum(r[3] for r in source.month_rows(_month(year, month), corrected=False))

    ordinary = statistics.median(total(2025, m) for m in (2, 5, 8, 9, 10, 11))
    assert total(2025, 4) > 1.5 * ordinary  # Lebaran 1446 H (31 March 2025) fills the first week of April
    assert total(2025, 12) > 1.2 * ordinary and total(2025, 7) > 1.1 * ordinary
    assert total(2025, 3) < ordinary  # Ramadan


# --- masterplan ----------------------------------------------------------------------------------------------


def test_masterplan_has_62_programmes_finished_as_the_evaluations_say():
    plan = programs(2019)
    assert len(plan) == 62 and len({p.kode for p in plan}) == 62
    by_2021 = Counter(p.dimensi for p in plan if p.selesai is not None and p.selesai <= day_number(dt.date(2021, 12, 31)))
    assert by_2021 == {
        "Smart Governance": 17, "Smart Branding": 3, "Smart Economy": 6, "Smart Society": 5, "Smart Living": 5,
        "Smart Environment": 2,
    }
    assert sum(p.selesai is not None and p.selesai <= day_number(dt.date(2024, 9, 30)) for p in plan) == 44


def test_masterplan_sheet_columns_and_progress_over_time():
    source = Masterplan(2019)
    rows = _sheet(source.xlsx(NOW), "Program")
    assert rows[0] == MASTERPLAN_HEADER and len(rows) == 63
    names = {o.nama for o in OPDS} | {o.nama_lengkap for o in OPDS}
    assert all(r[5] in names for r in rows[1:])
    assert Counter(r[5] in {o.nama for o in OPDS} for r in rows[1:])[True] > 45  # mostly the common name
    assert all(isinstance(r[9], int) and r[9] > 0 for r in rows[1:])
    history: dict[str, list[float]] = defaultdict(list)
    moment = dt.datetime(2024, 9, 25, 12, tzinfo=WIB)
    versions = set()
    while moment <= NOW:
        saved = source.saved_at(moment)
        versions.add(saved)
        for r in source.rows(saved):
            assert r[7] in ("Belum Mulai", "Berjalan", "Selesai")
            if r[8] <= 100:  # a typo (e.g. 185) is fixed the next month
                history[r[1]].append(r[8])
            assert (r[7] == "Selesai") == (r[8] == 100) and (r[7] != "Belum Mulai" or r[8] == 0)
        moment += dt.timedelta(days=15)
    assert len(versions) >= 24  # about monthly
    assert all(v == sorted(v) for v in history.values())  # progress never goes back
    assert sum(v[-1] > v[0] for v in history.values()) >= 5


# --- spbe ----------------------------------------------------------------------------------------------------


def _spbe_weights() -> np.ndarray:
    # spbe.md: each aspect's weight shared equally by its indicators.
    aspects = ((13, 1, 10), (10, 11, 14), (10, 15, 18), (5, 19, 20), (12, 21, 28), (4.5, 29, 31), (27.5, 32, 41),
               (18, 42, 47))
    weights = np.zeros(47)
    for weight, first, last in aspects:
        weights[first - 1 : last] = weight / (last - first + 1)
    return weights


def test_spbe_indicators_are_the_47_of_permenpanrb_59_2020():
    # The importer recognises the framework the simulated file names, and it has the simulator's 47 indicators.
    assert len(INDICATORS) == 47 == len(framework("permenpanrb-59-2020").indicators)
    assert framework("permenpanrb-59-2020").name.startswith(FRAMEWORK)
    named = {}
    for line in SPBE_REFERENCE.read_text(encoding="utf-8").splitlines():
        for number, name in re.findall(r"\|\s*(\d{1,2})\s*\|\s*([^|]+?)\s*(?=\|)", line):
            named[int(number)] = name
    for i, name in enumerate(INDICATORS, start=1):
        assert named[i].startswith(name), (i, named[i], name)


def test_spbe_files_index_range_and_rising_levels():
    source = Spbe(2019, 800)
    assert source.years(NOW) == [2024, 2025]
    assert source.years(dt.datetime(2026, 1, 2, tzinfo=WIB)) == [2023, 2024]  # 2025's file comes later in January
    assert Spbe(2019, 2500).years(NOW) == [2020, 2021, 2022, 2023, 2024, 2025]
    weights = _spbe_weights()
    indices = {}
    for year in range(2020, 2026):
        content = source.csv_bytes(year)
        assert content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert [int(r["nomor_indikator"]) for r in rows] == list(range(1, 48))
        assert {r["tahun"] for r in rows} == {str(year)} and {r["versi_kerangka"] for r in rows} == {FRAMEWORK}
        assert [r["nama_indikator"] for r in rows] == list(INDICATORS)
        levels = np.array([int(r["tingkat"]) for r in rows])
        assert sum(not 1 <= v <= 5 for v in levels) <= 1  # at most one indicator left unassessed (0)
        indices[year] = float((weights * levels_by_year(2019, year)[year]).sum() / 100)
    assert all(3.35 <= v <= 4.15 for v in indices.values())
    assert list(indices.values()) == sorted(indices.values()) and indices[2025] - indices[2020] > 0.4
    for year in range(2021, 2026):
        assert (levels_by_year(2019, 2025)[year] >= levels_by_year(2019, 2025)[year - 1]).all()


# --- file drops ----------------------------------------------------------------------------------------------


def test_drops_write_changed_content_only_and_skip_final_exports(tmp_path: Path):
    inbox, state = tmp_path / "inbox", tmp_path / "state.json"
    made: list[str] = []

    def export(key: str, content: bytes, final: bool) -> Export:
        def make() -> bytes:
            made.append(key)
            return content

        return Export(key, f"{key}.csv", final, make)

    assert [p.name for p in sync_exports(inbox, state, 1, [export("a", b"1", True), export("b", b"2", False)])] == [
        "a.csv", "b.csv",
    ]
    made.clear()
    assert sync_exports(inbox, state, 1, [export("a", b"1", True), export("b", b"2", False)]) == []
    assert made == ["b"]  # a final export is not even regenerated
    (inbox / "b.csv").unlink()  # moved away by the ingester: unchanged content stays away
    assert sync_exports(inbox, state, 1, [export("b", b"2", False)]) == []
    assert [p.name for p in sync_exports(inbox, state, 1, [export("b", b"22", True)])] == ["b.csv"]
    assert sync_exports(inbox, state, 2, [export("a", b"1", True)]) == [inbox / "a.csv"]  # another seed: afresh
    # The attendance state's earlier layout ({"days": ...}) is read as it is.
    state.write_text(json.dumps({"seed": 3, "days": {"c": {"sha256": hashlib.sha256(b"3").hexdigest(), "final": True}}}))
    assert sync_exports(inbox, state, 3, [export("c", b"3", True)]) == []
