"""Simulated visitor counts (Disparpora): a monthly XLSX of visitors per destination, dropped after the month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, partial

import numpy as np

from simulator.days import (
    DAY_S,
    day_date,
    day_number,
    local_seconds,
    month_span,
    months_between,
    wib_datetime,
)
from simulator.drops import DropSystem, Export, xlsx_bytes
from simulator.rng import rng_for
from simulator.wilayah import OUTSIDE_REGENCY, kecamatan_names, kecamatan_weights

SHEET = "Kunjungan"
HEADER = ("Destinasi", "Kecamatan", "Bulan", "Wisatawan Nusantara", "Wisatawan Mancanegara")
AUTHOR = "Disparpora Kabupaten Padang Pariaman"


@dataclass(frozen=True)
class Destinasi:
    """A destination: name, kecamatan code, usual domestic visitors a month, foreign share."""

    nama: str
    kode_kecamatan: str
    nusantara: float
    mancanegara: float  # foreign visitors as a share of domestic ones


# Plausible destinations in the regency (beaches, waterfalls, religious sites); the list and all numbers are
# simulated, not Disparpora figures.
DESTINASI: tuple[Destinasi, ...] = (
    Destinasi("Air Terjun Lembah Anai", "13.05.15", 21000, 0.012),
    Destinasi("Pantai Tiram", "13.05.10", 14000, 0.004),
    Destinasi("Makam Syekh Burhanuddin Ulakan", "13.05.10", 12000, 0.002),
    Destinasi("Pantai Arta", "13.05.08", 9000, 0.006),
    Destinasi("Pantai Sunur", "13.05.03", 6500, 0.003),
    Destinasi("Pantai Ketaping", "13.05.02", 7000, 0.003),
    Destinasi("Lubuk Nyarai", "13.05.01", 3500, 0.015),
    Destinasi("Pemandian Lubuk Bonta", "13.05.15", 4200, 0.002),
    Destinasi("Pantai Gasan Gadang", "13.05.13", 3000, 0.004),
    Destinasi("Pantai Sungai Limau", "13.05.08", 2600, 0.002),
    Destinasi("Air Terjun Nyarai Salibutan", "13.05.01", 2000, 0.010),
    Destinasi("Taman Wisata Anai Resort", "13.05.02", 5200, 0.020),
    Destinasi("Bukit Kamang Tandikek", "13.05.16", 1500, 0.001),
    Destinasi("Pulau Bando", "13.05.09", 800, 0.060),
    Destinasi("Pasar Wisata Sicincin", "13.05.04", 4000, 0.001),
)
_BAD_KECAMATAN = 0.004  # a destination filed under the neighbouring city


@cache
def _lebaran_days(calendar: object, year: int) -> tuple[int, ...]:
    """Day numbers of the Lebaran holiday week (the day before Idul Fitri to six days after) in a year."""
    fitri = [
        d for d in range(day_number(dt.date(year, 1, 1)), day_number(dt.date(year, 12, 31)) + 1)
        if calendar.holiday_name(day_date(d)) == "Hari Raya Idul Fitri"  # type: ignore[attr-defined]
    ]
    return tuple(range(fitri[0] - 1, fitri[0] + 7)) if fitri else ()


class Pariwisata(DropSystem):
    """The monthly visitor reports as of any moment.

    A month's workbook is dropped on a working day between the 5th and the 12th of the next month; now and
    then a corrected one replaces it a couple of weeks later.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._workbooks: dict[tuple[int, bool], bytes] = {}  # by (first day of month, corrected)

    def seasonal(self, month: tuple[int, int]) -> float:
        """How busy a month is compared with an ordinary one: Lebaran, school holidays, year end, Ramadan."""
        first, last = month
        table = self._calendar.table(first, last)
        days = np.arange(first, last + 1)
        lebaran = set(_lebaran_days(self._calendar.calendar, day_date(first).year))
        factor = np.ones(len(days))
        factor[[d in lebaran for d in days.tolist()]] = 4.0  # the whole province travels to the beaches
        factor[table.weekdays(days) >= 5] *= 2.0  # weekends
        factor[~table.is_working(days) & (table.weekdays(days) < 5)] *= 1.8  # public holidays
        factor[table.is_ramadan(days)] *= 0.4
        date = day_date(first)
        if date.month in (6, 7):  # school holidays, late June to mid July
            factor[[day_date(d).month * 100 + day_date(d).day >= 620 for d in days.tolist()]] *= 1.6
            factor[[day_date(d).month == 7 and day_date(d).day > 15 for d in days.tolist()]] /= 1.6
        if date.month == 12:
            factor[[day_date(d).day >= 20 for d in days.tolist()]] *= 2.0  # year-end holidays
        return float(factor.sum() / (len(days) * 1.3))  # an ordinary month (weekends included) is about 1

    def month_rows(self, month: tuple[int, int], corrected: bool) -> list[tuple]:
        """The sheet's rows for a month, a pure function of (seed, month, corrected)."""
        label = day_date(month[0]).strftime("%Y-%m")
        rng = rng_for(self.seed, "pariwisata", label)
        n = len(DESTINASI)
        years = (month[0] - day_number(dt.date(2024, 1, 1))) / 365.25
        season = self.seasonal(month)
        base = np.array([d.nusantara for d in DESTINASI])
        nusantara = np.round(base * season * (1 + 0.06 * years) * rng.lognormal(0, 0.12, n)).astype("int64")
        foreign = np.array([d.mancanegara for d in DESTINASI])
        mancanegara = rng.poisson(nusantara * foreign * rng.lognormal(0, 0.3, n))
        codes, _ = kecamatan_weights()
        names = kecamatan_names()
        variant = rng.random(n) < 0.3
        bad = rng.random(n) < _BAD_KECAMATAN
        # A correction revises a few counts that were reported incomplete.
        fix = rng.random(n) < 0.2
        uplift = np.round(nusantara * rng.uniform(0.02, 0.15, n)).astype("int64")
        if corrected:
            nusantara = np.where(fix, nusantara + uplift, nusantara)
        bulan = dt.datetime(*day_date(month[0]).timetuple()[:3])
        rows = []
        for i, d in enumerate(DESTINASI):
            spellings = names[codes.index(d.kode_kecamatan)]
            kecamatan = OUTSIDE_REGENCY[1] if bad[i] else spellings[-1] if variant[i] else spellings[0]
            rows.append((d.nama, kecamatan, bulan, int(nusantara[i]), int(mancanegara[i])))
        return rows

    def _drops(self, month: tuple[int, int]) -> tuple[int, int | None]:
        """When a month's report is dropped and, for some months, when a correction replaces it (local s)."""
        rng = rng_for(self.seed, "pariwisata", "drop", day_date(month[0]).strftime("%Y-%m"))
        table = self._calendar.table(month[1], month[1] + 45)
        drop_day = int(table.next_working_on_or_after(np.array([month[1] + 5 + int(rng.integers(0, 7))]))[0])
        drop = drop_day * DAY_S + 9 * 3600 + int(rng.integers(0, 6 * 3600))
        if rng.random() >= 0.15:
            return drop, None
        again = int(table.next_working_on_or_after(np.array([drop_day + 10 + int(rng.integers(0, 10))]))[0])
        return drop, again * DAY_S + 9 * 3600 + int(rng.integers(0, 6 * 3600))

    def xlsx(self, month: tuple[int, int], now: dt.datetime) -> bytes | None:
        """The workbook for a month as dropped by `now`; None before its first drop."""
        now_s = local_seconds(now)
        drop, again = self._drops(month)
        if now_s < drop:
            return None
        corrected = again is not None and now_s >= again
        with self._lock:
            cached = self._workbooks.get((month[0], corrected))
            if cached is None:
                saved = again if corrected and again is not None else drop
                cached = self._workbooks[(month[0], corrected)] = self._make_xlsx(month, corrected, saved)
            return cached

    def _make_xlsx(self, month: tuple[int, int], corrected: bool, saved: int) -> bytes:
        return xlsx_bytes(
            SHEET,
            HEADER,
            self.month_rows(month, corrected),
            saved_at=wib_datetime(saved),
            author=AUTHOR,
            number_formats={2: "mmmm yyyy", 3: "#,##0", 4: "#,##0"},
            widths=(34, 24, 14, 22, 24),
        )

    def exports(self, now: dt.datetime) -> list[Export]:
        """Every month's workbook from the history start that is due by `now`, and corrections."""
        now_s, first, today = self.window(now)
        exports = []
        for month in months_between(month_span(first)[0], today):
            if month[1] >= today:
                continue  # the month is not over
            drop, again = self._drops(month)
            exports.append(
                Export(
                    key=day_date(month[0]).strftime("%Y-%m"),
                    name=f"kunjungan_wisata_{day_date(month[0]):%Y_%m}.xlsx",
                    final=now_s >= (again if again is not None else drop),
                    content=partial(self.xlsx, month, now),
                )
            )
        return exports
