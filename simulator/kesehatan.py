"""Simulated Puskesmas information system (Dinas Kesehatan): monthly visits and immunisation, in a SQLite file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from region.population import PENDUDUK
from simulator.days import (
    DAY_S,
    day_date,
    day_number,
    local_texts,
    month_span,
    months_between,
)
from simulator.dukcapil import BIRTHS_PER_DAY
from simulator.rng import rng_for
from simulator.sqlfile import SqlSystem, Table
from simulator.wilayah import kecamatan_names, kecamatan_weights


@dataclass(frozen=True)
class Puskesmas:
    """A community health centre: code, name, kecamatan (Kemendagri code) and relative size."""

    kode: str
    nama: str
    kode_kecamatan: str
    bobot: float


# Plausible names for the regency's Puskesmas, one to three per kecamatan; the list and the sizes are simulated.
_PUSKESMAS: tuple[tuple[str, str, float], ...] = (
    ("13.05.01", "Puskesmas Lubuk Alung", 1.4),
    ("13.05.01", "Puskesmas Sikabu", 0.8),
    ("13.05.02", "Puskesmas Kasang", 1.3),
    ("13.05.02", "Puskesmas Ketaping", 1.0),
    ("13.05.02", "Puskesmas Pasar Usang", 0.9),
    ("13.05.03", "Puskesmas Pauh Kambar", 1.0),
    ("13.05.03", "Puskesmas Kurai Taji", 0.7),
    ("13.05.04", "Puskesmas Sicincin", 1.2),
    ("13.05.05", "Puskesmas Sungai Sariak", 1.0),
    ("13.05.05", "Puskesmas Kudu Gantiang", 0.6),
    ("13.05.06", "Puskesmas Sikucur", 1.0),
    ("13.05.07", "Puskesmas Sungai Geringging", 1.1),
    ("13.05.07", "Puskesmas Kuranji Hilir", 0.7),
    ("13.05.08", "Puskesmas Sungai Limau", 1.1),
    ("13.05.09", "Puskesmas Aur Malintang", 0.9),
    ("13.05.10", "Puskesmas Ulakan", 1.0),
    ("13.05.11", "Puskesmas Sintuk", 0.9),
    ("13.05.12", "Puskesmas Padang Sago", 0.6),
    ("13.05.13", "Puskesmas Gasan Gadang", 0.8),
    ("13.05.14", "Puskesmas Padang Alai", 0.7),
    ("13.05.15", "Puskesmas Kayu Tanam", 1.1),
    ("13.05.15", "Puskesmas Kapalo Hilalang", 0.6),
    ("13.05.16", "Puskesmas Tandikek", 0.8),
    ("13.05.17", "Puskesmas Pakandangan", 1.0),
    ("13.05.17", "Puskesmas Koto Baru", 0.5),
)


def _catalogue() -> tuple[Puskesmas, ...]:
    out, seen = [], {}
    for kec, nama, bobot in _PUSKESMAS:
        seen[kec] = seen.get(kec, 0) + 1
        out.append(Puskesmas(f"P{kec.replace('.', '')}{seen[kec]:02d}", nama, kec, bobot))
    return tuple(out)


PUSKESMAS: tuple[Puskesmas, ...] = _catalogue()
_WEIGHT = np.array([p.bobot for p in PUSKESMAS]) / sum(p.bobot for p in PUSKESMAS)
# Visits: about 1.2 visits a person a year at Puskesmas for the regency's people; infants: one birth cohort a year.
VISITS_PER_MONTH = PENDUDUK * 1.2 / 12
INFANTS_PER_YEAR = BIRTHS_PER_DAY * 365
_DAY_2024 = day_number(dt.date(2024, 1, 1))
_BAD_ROW = 0.003  # a sign typed wrongly (negative visits) or a missing target: rare rejects

KUNJUNGAN = Table(
    "kunjungan",
    """
    CREATE TABLE IF NOT EXISTS kunjungan (
        id TEXT PRIMARY KEY,
        kode_puskesmas TEXT NOT NULL,
        nama_puskesmas TEXT NOT NULL,
        kode_kecamatan TEXT,
        bulan TEXT NOT NULL,
        jumlah_kunjungan INTEGER NOT NULL,
        diperbarui_pada TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ix_kunjungan_diperbarui_pada ON kunjungan (diperbarui_pada)
    """,
    ("id", "kode_puskesmas", "nama_puskesmas", "kode_kecamatan", "bulan", "jumlah_kunjungan", "diperbarui_pada"),
)
IMUNISASI = Table(
    "imunisasi",
    """
    CREATE TABLE IF NOT EXISTS imunisasi (
        id TEXT PRIMARY KEY,
        kode_puskesmas TEXT NOT NULL,
        bulan TEXT NOT NULL,
        sasaran_bayi INTEGER NOT NULL,
        bayi_idl INTEGER NOT NULL,
        diperbarui_pada TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ix_imunisasi_diperbarui_pada ON imunisasi (diperbarui_pada)
    """,
    ("id", "kode_puskesmas", "bulan", "sasaran_bayi", "bayi_idl", "diperbarui_pada"),
)


@cache
def _profile(seed: int) -> tuple[np.ndarray, np.ndarray]:
    # Per Puskesmas: immunisation coverage (stable for a seed, so some centres are consistently behind) and
    # whether its staff type the kecamatan as a name instead of the code (a few do, always the same way).
    rng = rng_for(seed, "kesehatan", "puskesmas")
    coverage = rng.uniform(0.72, 0.97, len(PUSKESMAS))
    by_name = rng.random(len(PUSKESMAS)) < 0.2
    return coverage, by_name


@dataclass(frozen=True)
class MonthEntries:
    """One month of daily entries per Puskesmas (arrays are Puskesmas x days of the month)."""

    entered_s: np.ndarray  # when each day's figures are typed in (local seconds); -1 on days without entry
    visits: np.ndarray
    idl: np.ndarray
    target: np.ndarray  # infants to immunise this month, per Puskesmas
    closed_s: np.ndarray  # when the monthly report is closed (early next month), per Puskesmas
    correction: np.ndarray  # late entries added when the report is closed, per Puskesmas (visits)
    bad: np.ndarray  # the closed report carries a typing error, per Puskesmas


class Kesehatan(SqlSystem):
    """The Puskesmas system's monthly tables as of any moment.

    Each working day (and Saturday morning) every Puskesmas types in the day's visits and immunisations, so
    the current month's rows grow; early in the next month the report is closed with late entries added.
    """

    SCHEMA = "kesehatan-schema-1"
    TABLES = (KUNJUNGAN, IMUNISASI)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._months: dict[int, MonthEntries] = {}

    def month(self, span: tuple[int, int]) -> MonthEntries:
        """The entries of a month ((first, last) day numbers), a pure function of (seed, month)."""
        cached = self._months.get(span[0])
        if cached is not None:
            return cached
        first, last = span
        label = day_date(first).strftime("%Y-%m")
        rng = rng_for(self.seed, "kesehatan", label)
        table = self._calendar.table(first, last + 40)
        days = np.arange(first, last + 1)
        p = len(PUSKESMAS)
        # Saturdays are half days at most Puskesmas; Sundays and holidays only the emergency room (not counted).
        open_weight = np.where(table.is_working(days), 1.0, np.where(table.weekdays(days) == 5, 0.4, 0.0))
        ramadan = table.is_ramadan(days).mean()
        years = (first - _DAY_2024) / 365.25
        season = 1.05 if day_date(first).month in (1, 2, 3, 11, 12) else 1.0  # rainy months: more ISPA
        total = VISITS_PER_MONTH * _WEIGHT * (1 + 0.03 * years) * season * (1 - 0.15 * ramadan)
        total = total * (open_weight.sum() / 21.0) * rng.normal(1.0, 0.05, p)
        share = open_weight / max(open_weight.sum(), 1e-9)
        visits = rng.poisson(np.outer(total, share))
        coverage, _ = _profile(self.seed)
        target = np.round(INFANTS_PER_YEAR * _WEIGHT / 12 * rng.normal(1.0, 0.04, p)).astype("int64")
        idl_total = rng.binomial(target, np.clip(coverage * rng.normal(1.0, 0.06, p), 0.3, 1.0))
        # Immunisation happens at posyandu sessions on some working days, spread over the month.
        sessions = (rng.random((p, len(days))) < 0.35) & (table.is_working(days) > 0)
        sessions[:, np.argmax(table.is_working(days))] |= ~sessions.any(axis=1)  # every centre holds one session
        idl = np.array([rng.multinomial(n, row / row.sum()) for n, row in zip(idl_total, sessions, strict=True)])
        # Figures are typed in at the end of the day's service: about 14.00-16.00, Saturdays before noon.
        entry_tod = np.where(table.weekdays(days) == 5, 11 * 3600, 14 * 3600) + rng.integers(0, 7200, (p, len(days)))
        entered = np.where(open_weight > 0, days * DAY_S + entry_tod, -1)
        # The monthly report is closed on a working day between the 3rd and the 10th of the next month.
        nxt = last + 1
        close_day = table.next_working_on_or_after(nxt + 2 + rng.integers(0, 6, p))
        closed = close_day * DAY_S + 9 * 3600 + rng.integers(0, 6 * 3600, p)
        correction = np.floor(visits.sum(axis=1) * rng.uniform(0.0, 0.02, p)).astype("int64")
        entries = MonthEntries(entered, visits, idl, target, closed, correction, rng.random(p) < _BAD_ROW)
        self._months[span[0]] = entries
        return entries

    def rows(self, now: dt.datetime) -> dict[str, list[tuple]]:
        """Rows as the database holds them at `now`, in column order (KUNJUNGAN.columns, IMUNISASI.columns).

        Args:
            now: the moment (aware); a month's rows exist from its first entry and grow until the report closes.

        Returns:
            {"kunjungan": [...], "imunisasi": [...]}, by month, then Puskesmas.
        """
        now_s, first, today = self.window(now)
        _, by_name = _profile(self.seed)
        codes, _ = kecamatan_weights()
        names = kecamatan_names()
        kec_text = [
            names[codes.index(p.kode_kecamatan)][-1] if by_name[i] else p.kode_kecamatan
            for i, p in enumerate(PUSKESMAS)
        ]
        kunjungan: list[tuple] = []
        imunisasi: list[tuple] = []
        with self._lock:
            for span in months_between(month_span(first)[0], today):
                m = self.month(span)
                bulan = day_date(span[0]).strftime("%Y-%m")
                entered = (m.entered_s >= 0) & (m.entered_s <= now_s)
                closed = m.closed_s <= now_s
                visits = np.where(entered, m.visits, 0).sum(axis=1)
                idl = np.where(entered, m.idl, 0).sum(axis=1)
                last_entry = np.where(entered, m.entered_s, -1).max(axis=1)
                updated = np.where(closed, m.closed_s, last_entry)
                visits = np.where(closed, visits + m.correction, visits)
                texts = local_texts(np.maximum(updated, 0))
                for i, p in enumerate(PUSKESMAS):
                    if updated[i] < 0:
                        continue  # nothing typed in yet this month
                    bad = bool(m.bad[i] and closed[i])
                    suffix = f"{p.kode}-{day_date(span[0]):%Y%m}"  # one row per Puskesmas and month
                    count = -int(visits[i]) if bad else int(visits[i])
                    kunjungan.append((f"KJG-{suffix}", p.kode, p.nama, kec_text[i], bulan, count, texts[i]))
                    target = 0 if bad else int(m.target[i])
                    imunisasi.append((f"IMN-{suffix}", p.kode, bulan, target, int(idl[i]), texts[i]))
        return {"kunjungan": kunjungan, "imunisasi": imunisasi}

