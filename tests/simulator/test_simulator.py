"""The simulated OPD systems: deterministic from a seed, realistic in shape, moving as time passes."""

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

import numpy as np
import pytest

from region.calendar import WIB, WorkingCalendar
from region.kecamatan import all_kecamatan
from region.opd import OPDS
from simulator.absensi import HEADER, Absensi
from simulator.days import SimCalendar, day_number
from simulator.dukcapil import Dukcapil
from simulator.perizinan import KATALOG, Perizinan
from simulator.rng import rng_for, stable_seed

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)  # a Friday, a working day
CAL = WorkingCalendar()
KODES = {k.kode for k in all_kecamatan()}
FIELDS = {
    "id", "jenis", "nama_izin", "kanal", "kode_kecamatan", "diajukan_pada", "diputuskan_pada", "status",
    "sla_hari_kerja", "diperbarui_pada",
}


@cache
def _working_days_between(a: dt.date, b: dt.date) -> int:
    return CAL.working_days_between(a, b)


@cache
def _perizinan(seed: int, history_days: int) -> list[dict]:
    return Perizinan(seed, history_days).records(NOW)


@cache
def _dukcapil(seed: int, history_days: int) -> dict[str, list[tuple]]:
    return Dukcapil(seed, history_days).rows(NOW)


def _ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _days_taken(start: str, end: str) -> int:
    """Working days from one ISO timestamp's date to another's."""
    return _working_days_between(_ts(start).date(), _ts(end).date())


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8")), delimiter=";"))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


# --- seeding -------------------------------------------------------------------------------------------------


def test_stable_seed_does_not_depend_on_the_process():
    expected = int.from_bytes(hashlib.sha256(b"2019:perizinan:2025-01-03").digest()[:8], "big")
    assert stable_seed(2019, "perizinan", "2025-01-03") == expected
    assert rng_for(1, "x").random(5).tolist() == rng_for(1, "x").random(5).tolist()
    assert rng_for(1, "x").random(5).tolist() != rng_for(2, "x").random(5).tolist()


def test_day_table_working_day_arithmetic_matches_the_calendar():
    start = dt.date(2025, 3, 20)  # across Lebaran 2025 and its collective leave
    table = SimCalendar().table(day_number(start), day_number(start) + 60)
    for k in (0, 1, 3, 8, 15):
        end = table.add_working_days(np.array([day_number(start)]), np.array([k]))[0]
        assert CAL.working_days_between(start, dt.date(1970, 1, 1) + dt.timedelta(days=int(end))) == k


# --- perizinan -----------------------------------------------------------------------------------------------


def test_perizinan_same_seed_and_now_give_identical_records():
    a = Perizinan(2019, 60).records(NOW)
    b = Perizinan(2019, 60).records(NOW)
    assert json.dumps(a) == json.dumps(b)
    assert json.dumps(Perizinan(7, 60).records(NOW)) != json.dumps(a)


def test_perizinan_records_do_not_depend_on_the_history_window():
    short, long = _perizinan(2019, 60), _perizinan(2019, 400)
    start = (NOW - dt.timedelta(days=60)).date().isoformat()
    assert short == [r for r in long if r["diajukan_pada"][:10] >= start]


def test_perizinan_record_invariants():
    records = _perizinan(2019, 400)
    catalogue = {k.nama: k for k in KATALOG}
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for r in records:
        assert set(r) == FIELDS
        assert re.fullmatch(r"IZN-\d{8}-\d{4}", r["id"])
        assert r["id"][4:12] == r["diajukan_pada"][:10].replace("-", "")
        assert r["jenis"] in ("usaha", "non_usaha") and r["kanal"] in ("daring", "luring")
        assert r["kode_kecamatan"] in KODES
        assert r["jenis"] == catalogue[r["nama_izin"]].jenis
        assert r["sla_hari_kerja"] == catalogue[r["nama_izin"]].sla_hari_kerja
        submitted = _ts(r["diajukan_pada"])
        assert submitted.utcoffset() == dt.timedelta(hours=7)
        assert submitted <= NOW
        day = submitted.date()
        if r["kanal"] == "luring" or CAL.is_working_day(day):
            assert CAL.is_working_day(day), r  # desks are closed on weekends and holidays
            opening = dt.time(8, 0) if CAL.is_ramadan(day) else dt.time(7, 30)
            assert opening <= submitted.time() <= dt.time(16, 30), r
        if r["diputuskan_pada"] is None:
            assert r["status"] == "diproses"
            assert r["diperbarui_pada"] == r["diajukan_pada"]
        else:
            assert r["status"] in ("terbit", "ditolak")
            decided = _ts(r["diputuskan_pada"])
            assert submitted <= decided <= NOW
            assert CAL.is_working_day(decided.date())
            assert r["diperbarui_pada"] == r["diputuskan_pada"]
    keys = [(_ts(r["diperbarui_pada"]), r["id"]) for r in records]
    assert keys == sorted(keys)


def test_perizinan_volumes_and_shares_are_realistic():
    records = _perizinan(2019, 800)
    decided = [r for r in records if r["diputuskan_pada"]]
    on_time = [_days_taken(r["diajukan_pada"], r["diputuskan_pada"]) <= r["sla_hari_kerja"] for r in decided]
    assert 0.88 <= statistics.mean(on_time) <= 0.97
    assert 0.03 <= sum(r["status"] == "ditolak" for r in decided) / len(decided) <= 0.08
    assert 0.60 <= sum(r["jenis"] == "usaha" for r in records) / len(records) <= 0.70
    before_today = [r for r in records if r["diajukan_pada"][:10] < NOW.date().isoformat()]
    per_day = Counter(r["diajukan_pada"][:10] for r in before_today)
    working = [n for d, n in per_day.items() if CAL.is_working_day(dt.date.fromisoformat(d))]
    assert 25 <= statistics.mean(working) <= 45
    assert sum(per_day.values()) - sum(working) < 0.1 * len(records)  # weekends: a few online filings at most
    first, last = records[: len(records) // 5], records[-len(records) // 5 :]
    share = [sum(r["kanal"] == "daring" for r in part) / len(part) for part in (first, last)]
    assert 0.65 <= share[0] < share[1] <= 0.92  # online share rises over time
    # A few recent applications are still open past their SLA (a fiktif-positif risk), but only a few.
    open_ = [r for r in records if r["diputuskan_pada"] is None]
    overdue = [r for r in open_ if _days_taken(r["diajukan_pada"], NOW.isoformat()) > r["sla_hari_kerja"]]
    assert 0 < len(overdue) < 0.01 * len(records)


def test_perizinan_volume_follows_kecamatan_area():
    records = _perizinan(2019, 800)
    counts = Counter(r["kode_kecamatan"] for r in records)
    by_area = sorted(all_kecamatan(), key=lambda k: k.area_km2)
    assert counts[by_area[-1].kode] > 4 * counts[by_area[0].kode]


def test_perizinan_window_slides_with_now_unless_pinned():
    sliding = Perizinan(2019, 60)
    assert sliding.records(NOW + dt.timedelta(days=3))[0]["diajukan_pada"][:10] >= "2026-10-01"
    pinned = Perizinan(2019, history_start=dt.date(2026, 9, 28))
    assert pinned.records(NOW + dt.timedelta(days=3))[0]["diajukan_pada"][:10] == "2026-09-28"


def test_perizinan_records_appear_and_get_decided_as_time_passes():
    source = Perizinan(2019, history_start=dt.date(2026, 9, 28))
    before = {r["id"]: r for r in source.records(NOW)}
    later = {r["id"]: r for r in source.records(NOW + dt.timedelta(days=1))}
    assert len(later) > len(before)
    assert not any(_ts(r["diajukan_pada"]) > NOW for r in before.values())
    much_later = {r["id"]: r for r in source.records(NOW + dt.timedelta(days=90))}
    pending = [i for i, r in before.items() if r["status"] == "diproses"]
    assert pending
    for i in pending:
        assert much_later[i]["diajukan_pada"] == before[i]["diajukan_pada"]
        assert much_later[i]["status"] in ("terbit", "ditolak")
        assert _ts(much_later[i]["diputuskan_pada"]) > NOW
    for i, r in before.items():  # decided records never change again
        if r["status"] != "diproses":
            assert later[i] == r


def test_perizinan_updated_since_is_inclusive_and_compares_instants():
    source = Perizinan(2019, 60)
    records = source.records(NOW)
    since = _ts(records[len(records) // 2]["diperbarui_pada"])
    filtered = source.records(NOW, updated_since=since)
    assert _ts(filtered[0]["diperbarui_pada"]) == since  # inclusive
    assert filtered == [r for r in records if _ts(r["diperbarui_pada"]) >= since]
    assert source.records(NOW, updated_since=since.astimezone(dt.UTC)) == filtered
    page, total = source.query(NOW, since, page=2, per_page=10)
    assert total == len(filtered) and page == filtered[10:20]


# --- dukcapil ------------------------------------------------------------------------------------------------


def test_dukcapil_same_seed_and_now_give_identical_rows():
    assert Dukcapil(2019, 60).rows(NOW) == _dukcapil(2019, 60)
    assert Dukcapil(8, 60).rows(NOW)["kelahiran"] != _dukcapil(2019, 60)["kelahiran"]


def test_dukcapil_ids_do_not_depend_on_the_history_window():
    short, long = _dukcapil(2019, 60), _dukcapil(2019, 800)
    for table in ("kelahiran", "kematian"):
        assert set(short[table]) <= set(long[table])


def test_dukcapil_row_invariants():
    rows = _dukcapil(2019, 800)
    births, deaths = rows["kelahiran"], rows["kematian"]
    days = 800
    assert 17 <= len(births) / days <= 25  # ~21 a day for 451,388 people at ~17 births per 1000 a year
    assert 6 <= len(deaths) / days <= 10
    now_text = NOW.strftime("%Y-%m-%d %H:%M:%S")
    for table, limit in ((births, 60), (deaths, 30)):
        ids = [r[0] for r in table]
        assert len(ids) == len(set(ids))
        delays = []
        for r in table:
            rid, event, registered, *middle, kecamatan, kanal, updated = r
            assert re.fullmatch(r"(LHR|KMT)-\d{8}-\d{4}", rid) and rid[4:12] == registered[:10].replace("-", "")
            assert kecamatan in KODES and kanal in ("loket", "daring", "jemput_bola")
            reg = dt.datetime.strptime(registered, "%Y-%m-%d %H:%M:%S")
            assert CAL.is_working_day(reg.date()) and dt.time(7, 30) <= reg.time() <= dt.time(16, 30)
            assert registered <= now_text
            delays.append((reg.date() - dt.date.fromisoformat(event)).days)
            akta = middle[0] if middle else None
            if akta is None:
                assert updated == registered
            else:
                assert registered <= akta <= now_text and updated == akta
        assert min(delays) >= 1
        within = sum(d <= limit for d in delays) / len(delays)
        assert (0.84 if limit == 60 else 0.72) <= within <= 0.95
        assert max(delays) > limit + 60  # a tail of registrations months late
    issued = [r for r in births if r[3] is not None]
    same_day = sum(r[3][:10] == r[2][:10] for r in issued) / len(issued)
    assert 0.55 <= same_day <= 0.9
    pending = [r for r in births if r[3] is None]
    assert pending and all(r[2] >= "2026-11-1" for r in pending)  # only recent certificates still pending


def test_dukcapil_rows_appear_and_certificates_fill_in_as_time_passes():
    source = Dukcapil(2019, history_start=dt.date(2026, 9, 28))
    now_rows = {r[0]: r for r in source.rows(NOW)["kelahiran"]}
    later_rows = {r[0]: r for r in source.rows(NOW + dt.timedelta(days=10))["kelahiran"]}
    assert set(now_rows) < set(later_rows)
    filled = [i for i, r in now_rows.items() if r[3] is None and later_rows[i][3] is not None]
    assert filled
    for i in filled:
        assert later_rows[i][6] > now_rows[i][6]


# --- absensi -------------------------------------------------------------------------------------------------


def _export(absensi: Absensi, day: dt.date, now: dt.datetime = NOW) -> bytes | None:
    return absensi.csv_bytes(day_number(day), now)


def test_absensi_same_seed_and_now_give_identical_bytes():
    day = dt.date(2026, 11, 26)
    assert _export(Absensi(2019), day) == _export(Absensi(2019), day)
    assert _export(Absensi(5), day) != _export(Absensi(2019), day)


def test_absensi_staff_are_stable_and_spread_over_the_opds():
    staff = Absensi(2019).staff
    assert 1400 <= len(staff.nip) <= 1600
    assert len(set(staff.nip)) == len(staff.nip)
    assert all(re.fullmatch(r"\d{18}", n) for n in staff.nip)
    assert all(n.strip() for n in staff.nama)
    sizes = Counter(staff.kode_opd)
    assert set(sizes) == {o.kode for o in OPDS}
    assert max(sizes.values()) > 3 * min(sizes.values())
    assert Absensi(2019).staff.nip == staff.nip


def test_absensi_a_few_staff_stay_away_ten_working_days_in_a_row_each_year():
    # PP 94/2021 dismisses after ten consecutive working days of unexcused absence; the demo must reach that step
    # now and then, for a handful of people, not for many.
    absensi = Absensi(2019)
    working = [d for d in (dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(365)) if CAL.is_working_day(d)]
    run = Counter()
    longest = Counter()
    for day in working:
        alpa = absensi.day(day_number(day)).status == 0
        for i in range(len(alpa)):
            run[i] = run[i] + 1 if alpa[i] else 0
            longest[i] = max(longest[i], run[i])
    reached = sorted(i for i, n in longest.items() if n >= 10)
    assert 1 <= len(reached) <= 8, reached
    assert reached == sorted(int(i) for i in (absensi.staff.away_from >= 0).nonzero()[0] if longest[int(i)] >= 10)


def test_absensi_csv_format():
    day = dt.date(2026, 11, 26)
    content = _export(Absensi(2019), day)
    text = content.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert all(line.count(";") == 7 for line in lines)
    rows = _rows(content)
    assert len(rows) == len(Absensi(2019).staff.nip)
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) <= {"hadir", "izin", "sakit", "cuti", "dinas luar", "alpa"}
    opds = {o.kode for o in OPDS}
    for r in rows:
        assert r["tanggal"] == "26/11/2026" and r["kode_opd"] in opds
        if r["status"] != "hadir":
            assert r["jam_masuk"] == r["jam_pulang"] == r["jam_kerja"] == ""
            continue
        assert re.fullmatch(r"\d{2}:\d{2}", r["jam_masuk"])
        if r["jam_pulang"]:
            assert re.fullmatch(r"\d{2}:\d{2}", r["jam_pulang"])
            assert re.fullmatch(r"\d{1,2},\d{2}", r["jam_kerja"])
            worked = (_minutes(r["jam_pulang"]) - _minutes(r["jam_masuk"])) / 60
            assert float(r["jam_kerja"].replace(",", ".")) == pytest.approx(worked, abs=0.006)
        else:
            assert r["jam_kerja"] == ""  # forgot to tap out
    assert _export(Absensi(2019), dt.date(2026, 11, 28)) is None  # Saturday: no file
    assert _export(Absensi(2019), dt.date(2026, 11, 30)) is None  # not yet


def test_absensi_ramadan_days_start_and_end_differently():
    absensi = Absensi(2019)
    masuk: dict[bool, list[int]] = defaultdict(list)
    pulang: dict[bool, list[int]] = defaultdict(list)
    day = dt.date(2026, 2, 2)
    while day <= dt.date(2026, 4, 17):
        content = _export(absensi, day)
        if content:
            for r in _rows(content):
                if r["jam_masuk"]:
                    masuk[CAL.is_ramadan(day)].append(_minutes(r["jam_masuk"]))
                if r["jam_pulang"]:
                    pulang[CAL.is_ramadan(day)].append(_minutes(r["jam_pulang"]))
        day += dt.timedelta(days=1)
    assert statistics.mean(masuk[True]) - statistics.mean(masuk[False]) > 20
    assert statistics.mean(pulang[True]) < statistics.mean(pulang[False]) - 30
    normal = masuk[False]
    assert 0.7 <= sum(6 * 60 + 45 <= m <= 7 * 60 + 30 for m in normal) / len(normal) <= 0.95


def test_absensi_today_holds_only_what_the_machines_know():
    absensi = Absensi(2019)
    today = NOW.date()
    early = _rows(_export(absensi, today, NOW.replace(hour=7, minute=15)))
    morning = _rows(_export(absensi, today, NOW))
    evening = _rows(_export(absensi, today, NOW.replace(hour=18, minute=30)))
    assert _export(absensi, today, NOW.replace(hour=5)) is None
    assert len(early) < len(morning) < len(evening) == len(absensi.staff.nip)
    for rows, limit in ((early, "07:15"), (morning, "10:00")):
        assert all(r["status"] != "alpa" for r in rows)  # unexcused absence is known once the day is over
        assert all(r["jam_masuk"] <= limit for r in rows if r["jam_masuk"])
        assert all(r["jam_pulang"] == "" for r in rows)
    assert {r["nip"] for r in early} <= {r["nip"] for r in morning}
    assert any(r["status"] == "alpa" for r in evening)
    assert sum(bool(r["jam_pulang"]) for r in evening) > 0.9 * sum(r["status"] == "hadir" for r in evening)


def test_absensi_year_has_realistic_rates_and_differing_opds():
    absensi = Absensi(2019)
    statuses: Counter[str] = Counter()
    alpa: Counter[str] = Counter()
    late: dict[str, list[bool]] = defaultdict(list)
    late_by_weekday: dict[bool, list[bool]] = defaultdict(list)
    day = dt.date(2025, 1, 1)
    while day <= dt.date(2025, 12, 31):
        content = _export(absensi, day)
        if content and not CAL.is_ramadan(day):
            for r in _rows(content):
                statuses[r["status"]] += 1
                alpa[r["nip"]] += r["status"] == "alpa"
                if r["jam_masuk"]:
                    is_late = r["jam_masuk"] > "07:30"
                    late[r["kode_opd"]].append(is_late)
                    late_by_weekday[day.weekday() == 0].append(is_late)
        day += dt.timedelta(days=1)
    total = sum(statuses.values())
    assert 0.89 <= statuses["hadir"] / total <= 0.95
    assert 0.02 <= statuses["dinas luar"] / total <= 0.05
    assert 0.002 <= statuses["alpa"] / total <= 0.008
    at_threshold = sum(n >= 3 for n in alpa.values())
    assert 0 < at_threshold < 0.1 * len(absensi.staff.nip)  # concentrated in a few staff
    shares = sorted(statistics.mean(v) for v in late.values())
    assert shares[-1] - shares[0] > 0.05  # some OPDs are consistently more punctual
    assert statistics.mean(late_by_weekday[True]) > statistics.mean(late_by_weekday[False])  # Mondays
