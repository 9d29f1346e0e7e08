"""Region facts: kecamatan from the shipped boundaries, the working-day calendar against the SKB list."""

import csv
import datetime as dt
from pathlib import Path

from region.calendar import WorkingCalendar
from region.kecamatan import all_kecamatan, normalise_kecamatan

FIXTURES = Path(__file__).parents[2] / "fixtures"


def test_seventeen_kecamatan_with_plausible_areas():
    kecamatan = all_kecamatan()
    assert len(kecamatan) == 17
    assert len({k.kode for k in kecamatan}) == 17
    # The regency is 1,343.56 km2 (BPS); the simplified boundaries must land within 1%.
    assert abs(sum(k.area_km2 for k in kecamatan) - 1343.56) / 1343.56 < 0.01


def test_spelling_variants_map_to_codes():
    assert normalise_kecamatan("Sungai Garingging") == normalise_kecamatan("Sungai Geringging") is not None
    assert normalise_kecamatan("VI Lingkung") == normalise_kecamatan("Enam Lingkung")
    assert normalise_kecamatan("Nowhere") is None


def test_calendar_agrees_with_the_skb_holiday_list():
    calendar = WorkingCalendar()
    with open(FIXTURES / "holidays-skb-2023-2027.csv", encoding="utf-8") as f:
        listed = {dt.date.fromisoformat(r["date"]) for r in csv.DictReader(f)}
    for year in range(2023, 2028):
        day = dt.date(year, 1, 1)
        while day.year == year:
            assert (calendar.holiday_name(day) is not None) == (day in listed), day
            day += dt.timedelta(days=1)


def test_working_days_and_ramadan():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(dt.date(2026, 3, 23))  # cuti bersama Idul Fitri
    assert calendar.is_working_day(dt.date(2026, 3, 25))
    assert calendar.is_ramadan(dt.date(2026, 3, 1)) and not calendar.is_ramadan(dt.date(2026, 3, 21))
    # Submitted on Friday 20 Nov 2026, decided Tuesday 24 Nov: two working days (Mon, Tue).
    assert calendar.working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 24)) == 2


def test_configured_regional_holiday_is_not_a_working_day():
    day = dt.date(2026, 12, 1)
    assert WorkingCalendar().is_working_day(day)
    assert not WorkingCalendar(extra_holidays=[day]).is_working_day(day)


def test_calendar_frame_running_count():
    frame = WorkingCalendar().frame(dt.date(2026, 11, 20), dt.date(2026, 11, 24))
    counts = dict(zip(frame["tanggal"].astype(str), frame["urutan_hari_kerja"], strict=True))
    assert counts["2026-11-24"] - counts["2026-11-20"] == 2


def test_every_agency_of_the_regency_is_known_once():
    from region.opd import BUILTIN, OPDS, OTHER_OPDS

    codes = [o.kode for o in (*OPDS, *OTHER_OPDS)]
    assert len(codes) == len(set(codes)) == len(BUILTIN.by_code)
    # Rejected as unknown before the regency's other agencies were listed.
    assert BUILTIN.normalise("Dinas Pendidikan") == "DISDIKBUD" and BUILTIN.normalise("dinas perhubungan") == "DISHUB"
    assert BUILTIN.normalise("Bapenda") == "BPKD" and BUILTIN.normalise("Dinas Rahasia") is None  # revenue is within BPKD
