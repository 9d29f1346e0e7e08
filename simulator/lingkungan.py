"""Simulated waste transport log (Dinas LHKPP): tonnes weighed per collection point, a Windows CSV per day.

Collection points, tonnages and service levels are illustrative, not LHKPP statistics.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

import numpy as np

from simulator.days import DAY_S, day_date, local_seconds
from simulator.drops import DailyDropSystem
from simulator.geometri import PARIT_MALINTANG, kecamatan_centroids, km_between
from simulator.rng import rng_for
from simulator.wilayah import kecamatan_names, kecamatan_weights, penduduk_kecamatan

HEADER = ("Tanggal", "Kode TPS", "Nama TPS", "Kecamatan", "Tonase (ton)")
ENCODING = "cp1252"  # the log is kept in Excel on a Windows PC and saved as "CSV (comma delimited)"


@dataclass(frozen=True)
class Tps:
    """A collection point: code, name, kecamatan index, relative size of a pick-up, and its weekly schedule."""

    kode: str
    nama: str
    kecamatan: int  # index into the codes of kecamatan_weights()
    bobot: float  # relative tonnes a pick-up among the kecamatan's points
    hari: tuple[int, ...]  # weekdays served, Monday = 0


# Plausible collection points (markets, nagari depots, beaches, the hospital), placed in the kecamatan that
# data/region/ puts their nagari in; names and sizes are simulated. New points go at the end so that codes
# stay. A few names carry characters outside ASCII as staff type them in Excel ("é", "’"), which is why the
# encoding matters.
_DAILY, _MWF, _TTS = (0, 1, 2, 3, 4, 5, 6), (0, 2, 4), (1, 3, 5)
_TPS: tuple[tuple[str, str, float, tuple[int, ...]], ...] = (
    ("Pasar Lubuk Alung", "13.05.01", 5.2, _DAILY),
    ("Simpang Lubuk Alung", "13.05.01", 2.1, _MWF),
    ("Nagari Sikabu", "13.05.01", 1.4, _TTS),
    ("Pasar Kasang", "13.05.02", 4.6, _DAILY),
    ("Perumahan Ketaping", "13.05.02", 2.4, _MWF),
    ("Kawasan Bandara Minangkabau", "13.05.02", 3.0, _DAILY),
    ("Pasar Usang", "13.05.02", 2.8, _TTS),
    ("Pantai Sunur", "13.05.03", 1.3, _TTS),
    ("Pasar Pauh Kambar", "13.05.03", 2.2, _MWF),
    ("Pasar Sicincin", "13.05.04", 4.1, _DAILY),
    ("Kantor Bupati Parit Malintang", "13.05.17", 0.9, (0, 3)),
    ("RSUD Parit Malintang", "13.05.17", 1.6, _DAILY),
    ("Pasar Pakandangan", "13.05.17", 2.0, _MWF),
    ("Pasar Sungai Sariak", "13.05.05", 2.5, _MWF),
    ("Nagari Lareh Nan Panjang", "13.05.05", 1.1, (1, 4)),
    ("Pasar Kampung Dalam", "13.05.06", 2.3, _TTS),
    ("Pasar Sungai Geringging", "13.05.07", 2.6, _MWF),
    ("Nagari Kuranji Hulu", "13.05.07", 1.0, (2, 5)),
    ("Pasar Pasa’ Baru Sungai Limau", "13.05.08", 2.4, _MWF),
    ("Pantai Arta", "13.05.08", 1.2, (5, 6)),
    ("Pasar III Koto Aur Malintang", "13.05.09", 1.8, _TTS),
    ("Pasar Ulakan", "13.05.10", 2.2, _MWF),
    ("Pantai Tiram (Café Pantai)", "13.05.10", 1.5, (5, 6)),
    ("Kawasan Makam Syekh Burhanuddin", "13.05.10", 1.1, (0, 4)),
    ("Pasar Sintuk", "13.05.11", 1.7, _TTS),
    ("Pasar Padang Sago", "13.05.12", 1.2, (1, 4)),
    ("Pasar Gasan Gadang", "13.05.13", 1.6, _MWF),
    ("Pasar Padang Alai", "13.05.14", 1.1, (2, 5)),
    ("Pasar Kayu Tanam", "13.05.15", 3.2, _DAILY),
    ("Lembah Anai (Kafé dan Rest Area)", "13.05.15", 1.4, (5, 6)),
    ("Nagari Kapalo Hilalang", "13.05.15", 1.0, (1, 4)),
    ("Pasar Tandikek", "13.05.16", 1.5, _TTS),
    ("Perumahan Kasang Indah", "13.05.02", 1.3, (0, 3)),
    ("Sekolah dan Kantor Nagari Toboh Gadang", "13.05.11", 0.8, (2,)),
    ("Nagari Sungai Buluah", "13.05.02", 1.6, _MWF),
    ("Nagari Kurai Taji", "13.05.03", 1.2, _TTS),
    ("Nagari Kuranji Hilir", "13.05.08", 1.0, (1, 4)),
    ("Nagari Kudu Gantiang", "13.05.14", 0.8, (1, 4)),
    ("Nagari Singguliang", "13.05.01", 1.0, (1, 4)),
    ("Nagari Anduriang", "13.05.15", 1.0, (0, 3)),
)
# Waste arising: the residents of each kecamatan (the regency total spread by area) times the kg a person a day
# that sampah_terangkut assumes by default, so the simulated share is what that indicator measures.
_KG_PER_ORANG_PER_HARI = 0.5
# Share of the arising waste the trucks collect: highest near Parit Malintang, where the depot and the fleet
# are, falling with distance, with a per-kecamatan spread fixed by the seed. Illustrative, not LHKPP figures.
_LAYANAN_AT_CAPITAL = 0.82
_LAYANAN_LOSS_PER_KM = 0.012
_BAD_DATE = 0.0015  # a date that cannot exist, e.g. 31-06-2025 (typed by hand over the copied value)
_BAD_TONASE = 0.0005  # a negative weight (a tare entered as gross)


@cache
def tps_list() -> tuple[Tps, ...]:
    """The collection points, numbered TPS-01, TPS-02, ... in list order."""
    codes, _ = kecamatan_weights()
    return tuple(
        Tps(f"TPS-{i:02d}", f"TPS {nama}", codes.index(kec), bobot, hari)
        for i, (nama, kec, bobot, hari) in enumerate(_TPS, start=1)
    )


@cache
def layanan(seed: int) -> np.ndarray:
    """Share of each kecamatan's arising waste that is collected, in code order; a pure function of the seed."""
    centre = kecamatan_centroids()
    km = km_between(centre[:, 0], centre[:, 1], *PARIT_MALINTANG)
    spread = rng_for(seed, "lingkungan", "layanan").normal(0, 0.07, len(km))
    return np.clip(_LAYANAN_AT_CAPITAL - _LAYANAN_LOSS_PER_KM * km + spread, 0.2, 0.95)


def timbulan_ton_per_hari() -> np.ndarray:
    """Tonnes of waste arising a day in each kecamatan, in code order (illustrative, see penduduk_kecamatan)."""
    return penduduk_kecamatan() * _KG_PER_ORANG_PER_HARI / 1000


@cache
def pickup_tonnes(seed: int) -> np.ndarray:
    """Mean tonnes a pick-up at each TPS: its kecamatan's collected tonnes a week, shared by size and rounds."""
    points = tps_list()
    kec = np.array([p.kecamatan for p in points])
    weekly = np.array([p.bobot * len(p.hari) for p in points])
    collected_week = 7 * timbulan_ton_per_hari() * layanan(seed)
    share = weekly / np.bincount(kec, weights=weekly, minlength=len(collected_week))[kec]
    return collected_week[kec] * share / np.array([len(p.hari) for p in points])


@dataclass(frozen=True)
class DayLog:
    """One day's pick-ups, in the order the trucks were weighed at the landfill."""

    tps: np.ndarray  # index into tps_list()
    weighed_s: np.ndarray  # local seconds
    ton: np.ndarray
    bad_date: np.ndarray
    kecamatan_text: np.ndarray


class Lingkungan(DailyDropSystem):
    """The transport log's daily CSV exports as of any moment."""

    FILE_NAME = "angkutan_sampah_{:%Y%m%d}.csv"
    DAY_OVER_S = 18 * 3600  # the last truck has been weighed; the day's file no longer changes

    def day(self, day: int) -> DayLog:
        """A day's pick-ups, a pure function of (seed, day)."""
        table = self._calendar.table(day - 7, day)
        rng = rng_for(self.seed, "lingkungan", day_date(day).isoformat())
        points = tps_list()
        weekday = int(table.weekdays(day))
        holiday = not table.is_working(day) and weekday < 5
        idul_fitri = self._calendar.calendar.holiday_name(day_date(day)) == "Hari Raya Idul Fitri"
        # Crews rest on the first day of Lebaran; on other holidays only the daily rounds run.
        served = [
            i for i, p in enumerate(points)
            if not idul_fitri and weekday in p.hari and (not holiday or len(p.hari) == 7)
        ]
        served_ix = np.array(served, dtype="int64")
        n = len(served_ix)
        mean = pickup_tonnes(self.seed)[served_ix]
        gap = np.array([_days_since_last(points[i].hari, weekday) for i in served], dtype=float)
        # Waste piles up between pick-ups; markets swell in the week before Lebaran.
        before_lebaran = any(
            self._calendar.calendar.holiday_name(day_date(d)) == "Hari Raya Idul Fitri" for d in range(day, day + 8)
        )
        usual_gap = np.array([7 / len(points[i].hari) for i in served])
        ton = mean * np.sqrt(gap / usual_gap) * rng.gamma(16, 1 / 16, n)
        ton *= 1.4 if before_lebaran else 1.0
        ton = np.round(np.maximum(ton, 0.05), 2)
        ton = np.where(rng.random(n) < _BAD_TONASE, -ton, ton)
        weighed = day * DAY_S + np.floor(rng.uniform(7.5 * 3600, 15.5 * 3600, n)).astype("int64")
        order = np.argsort(weighed, kind="stable")
        names = kecamatan_names()
        kecamatan = np.array([points[i].kecamatan for i in served], dtype="int64")
        # The log names kecamatan as the staff say them: common name or local spelling, never the code.
        variant = rng.random(n) < 0.35
        kec_text = np.array(
            [names[k][-1] if v else names[k][0] for k, v in zip(kecamatan.tolist(), variant.tolist(), strict=True)],
            dtype=object,
        )
        return DayLog(
            served_ix[order], weighed[order], ton[order], (rng.random(n) < _BAD_DATE)[order], kec_text[order]
        )

    def csv_bytes(self, day: int, now: dt.datetime) -> bytes | None:
        """The export for a day as the log holds it at `now`: only trucks weighed by then; None when none.

        Returns:
            Windows-1252 CSV bytes with CRLF line ends, or None for a day without pick-ups (yet).
        """
        now_s = local_seconds(now)
        if day * DAY_S > now_s:
            return None
        with self._lock:
            log = self.day(day)
        points = tps_list()
        date = day_date(day)
        tanggal = date.strftime("%d-%m-%Y")
        impossible = _impossible_date(date)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADER)
        rows = 0
        for i, t, ton, bad, kec in zip(
            log.tps.tolist(), log.weighed_s.tolist(), log.ton.tolist(), log.bad_date.tolist(),
            log.kecamatan_text.tolist(), strict=True,
        ):
            if t > now_s:
                break
            p = points[i]
            weight = f"{ton:.2f}".replace(".", ",")  # decimal comma; csv quotes it because of the comma
            writer.writerow((impossible if bad else tanggal, p.kode, p.nama, kec, weight))
            rows += 1
        if rows == 0:
            return None
        return buffer.getvalue().encode(ENCODING)


def _days_since_last(hari: tuple[int, ...], weekday: int) -> int:
    """Days since the previous pick-up on this weekly schedule (7 for once a week)."""
    for back in range(1, 8):
        if (weekday - back) % 7 in hari:
            return back
    return 7


def _impossible_date(date: dt.date) -> str:
    """A dd-mm-yyyy text close to `date` that is no real date (31 in a 30-day month, or 30 February)."""
    month = date.month if date.month in (4, 6, 9, 11) else 6
    return f"31-{month:02d}-{date.year}" if date.day > 15 else f"30-02-{date.year}"
