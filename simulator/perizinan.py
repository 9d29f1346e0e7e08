"""Simulated DPMPTSP online licensing: applications per day, their decisions, and what is visible at a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from simulator.days import (
    DAY_S,
    DayTable,
    day_date,
    day_number,
    iso_wib,
)
from simulator.rest import RestSystem, View
from simulator.rng import rng_for
from simulator.wilayah import kecamatan_weights


@dataclass(frozen=True)
class JenisIzin:
    """A licence type: its name, business or not, SLA, how often it is filed and how it usually goes."""

    nama: str
    jenis: str  # "usaha" | "non_usaha"
    sla_hari_kerja: int
    bobot: float  # relative number of applications
    tepat_waktu: float  # share decided within the SLA
    ditolak: float  # share rejected


# Illustrative catalogue: names are those seen on SiCantik/OSS-RBA portals; SLAs follow the shape of the local
# SOPs (KKPR 25 working days per PP 28/2025) but are demo values. Licences that need another OPD's technical
# review (KKPR, PBG, school and shop permits) run late more often than the one-desk ones.
KATALOG: tuple[JenisIzin, ...] = (
    JenisIzin("Izin Usaha Mikro Kecil (IUMK)", "usaha", 3, 32, 0.965, 0.02),
    JenisIzin("Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)", "usaha", 25, 6, 0.85, 0.12),
    JenisIzin("Izin Reklame", "usaha", 7, 8, 0.93, 0.05),
    JenisIzin("Sertifikat Standar Usaha Pariwisata", "usaha", 7, 5, 0.94, 0.04),
    JenisIzin("Izin Usaha Toko Swalayan", "usaha", 10, 2, 0.86, 0.14),
    JenisIzin("Izin Operasional Klinik", "usaha", 14, 2, 0.90, 0.07),
    JenisIzin("Izin Apotek", "usaha", 10, 3, 0.92, 0.05),
    JenisIzin("Sertifikat Laik Higiene Sanitasi (SLHS)", "usaha", 7, 5, 0.93, 0.05),
    JenisIzin("Persetujuan Bangunan Gedung (PBG)", "non_usaha", 14, 9, 0.86, 0.08),
    JenisIzin("Surat Izin Praktik Dokter", "non_usaha", 5, 5, 0.96, 0.03),
    JenisIzin("Surat Izin Praktik Bidan", "non_usaha", 5, 6, 0.96, 0.03),
    JenisIzin("Surat Izin Praktik Perawat", "non_usaha", 5, 6, 0.96, 0.03),
    JenisIzin("Surat Izin Praktik Apoteker", "non_usaha", 5, 2, 0.95, 0.03),
    JenisIzin("Izin Penelitian", "non_usaha", 3, 4, 0.95, 0.04),
    JenisIzin("Izin Operasional Satuan Pendidikan", "non_usaha", 14, 2, 0.88, 0.09),
)

_WEIGHTS = np.array([k.bobot for k in KATALOG]) / sum(k.bobot for k in KATALOG)
_SLA = np.array([k.sla_hari_kerja for k in KATALOG])
_ON_TIME = np.array([k.tepat_waktu for k in KATALOG])
_REJECT = np.array([k.ditolak for k in KATALOG])

_PER_WORKING_DAY = 33.0  # mean applications on an ordinary working day; Monday and post-holiday days get more
_PER_OTHER_DAY = 1.5  # online applications filed on weekends and holidays
_DARING_2024, _DARING_2027 = 0.70, 0.88  # online share, rising linearly over these three years
_DAY_2024, _DAY_2027 = day_number(dt.date(2024, 1, 1)), day_number(dt.date(2027, 1, 1))


def daring_share(day: int) -> float:
    """The online share of applications filed on a day (day number), rising over time."""
    f = (day - _DAY_2024) / (_DAY_2027 - _DAY_2024)
    return float(np.clip(_DARING_2024 + f * (_DARING_2027 - _DARING_2024), 0.60, 0.92))


@dataclass(frozen=True)
class DayBatch:
    """Applications submitted on one day, with their eventual decisions (local seconds)."""

    submitted_s: np.ndarray
    decided_s: np.ndarray
    izin: np.ndarray  # index into KATALOG
    daring: np.ndarray
    kecamatan: np.ndarray  # index into the codes of kecamatan_weights()
    ditolak: np.ndarray

    @classmethod
    def empty(cls) -> DayBatch:
        """A batch with no applications."""
        ints, flags = np.zeros(0, dtype="int64"), np.zeros(0, dtype=bool)
        return cls(ints, ints, ints, flags, ints, flags)


def generate_day(seed: int, day: int, table: DayTable) -> DayBatch:
    """All applications submitted on a day, a pure function of (seed, day).

    Args:
        seed: simulator seed.
        day: day number (days since 1970-01-01).
        table: calendar facts covering the day and the decisions after it.

    Returns:
        The day's applications ordered by submission time (their sequence numbers are 1, 2, ...).
    """
    rng = rng_for(seed, "perizinan", day_date(day).isoformat())
    working = bool(table.is_working(day))
    if working:
        lam = _PER_WORKING_DAY
        lam *= 1.15 if table.weekdays(day) == 0 else 1.0  # Monday: the weekend's intentions arrive
        lam *= 1.30 if table.is_after_long_break(day) else 1.0
        lam *= 0.90 if table.is_ramadan(day) else 1.0
    else:
        lam = _PER_OTHER_DAY
    n = int(rng.poisson(lam))
    codes, kec_p = kecamatan_weights()

    izin = rng.choice(len(KATALOG), n, p=_WEIGHTS)
    kecamatan = rng.choice(len(codes), n, p=kec_p)
    daring = rng.random(n) < daring_share(day) if working else np.ones(n, dtype=bool)  # desks are closed
    opening, closing = int(table.opening_s(day)), int(table.closing_s(day))
    if working:
        # Two humps: most people come (or click) in the morning, fewer after the midday break.
        morning = rng.random(n) < 0.65
        t = np.where(
            morning,
            rng.uniform(opening, 12 * 3600, n),
            rng.uniform(13 * 3600, closing, n),
        )
    else:
        t = rng.uniform(7 * 3600, 22 * 3600, n)
    order = np.argsort(t, kind="stable")
    submitted_s = day * DAY_S + np.floor(t[order]).astype("int64")
    izin, kecamatan, daring = izin[order], kecamatan[order], daring[order]

    sla = _SLA[izin]
    on_time = rng.random(n) < _ON_TIME[izin]
    within = np.minimum(np.floor(rng.beta(1.3, 2.2, n) * (sla + 1)), sla).astype("int64")
    beyond = sla + rng.geometric(1.0 / (1.0 + 0.3 * sla), n)
    stuck = rng.random(n) < 0.01  # files that sit in someone's tray for months
    beyond = beyond + np.where(stuck, rng.integers(20, 60, n), 0)
    wd = np.where(on_time, within, beyond)
    tod = submitted_s - day * DAY_S
    # A same-day decision needs at least 20 minutes of office time left; weekend filings start on Monday.
    same_day_ok = working & (closing - tod >= 1200)
    wd = np.where((wd == 0) & ~same_day_ok, 1, wd)
    decided_day = table.add_working_days(np.full(n, day), wd)
    same_day_t = tod + rng.uniform(1200, np.maximum(closing - tod, 1201), n)
    dec_open = table.opening_s(decided_day) + 900
    dec_close = table.closing_s(decided_day)
    later_t = rng.uniform(0.0, 1.0, n) * (dec_close - dec_open) + dec_open
    decided_s = decided_day * DAY_S + np.floor(np.where(wd == 0, same_day_t, later_t)).astype("int64")
    ditolak = rng.random(n) < _REJECT[izin]
    return DayBatch(submitted_s, decided_s, izin, daring, kecamatan, ditolak)


@dataclass(frozen=True)
class _Columns:
    """Every application submitted in [first, last], concatenated in id order."""

    ids: list[str]
    submitted_s: np.ndarray
    decided_s: np.ndarray
    izin: np.ndarray
    daring: np.ndarray
    kecamatan: np.ndarray
    ditolak: np.ndarray


class Perizinan(RestSystem):
    """The licensing system's applications as of any moment (REST without authentication, page numbers)."""

    RESOURCE = "permohonan"
    SERVER_NAME = "SiCantik-Sim/1.0"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._days: dict[int, DayBatch] = {}
        self._columns_cache: tuple[tuple[int, int], _Columns] | None = None

    def _columns(self, first: int, last: int) -> _Columns:
        with self._lock:
            if self._columns_cache and self._columns_cache[0] == (first, last):
                return self._columns_cache[1]
            table = self._calendar.table(min(first, last), last + 400)  # decisions land up to months later
            batches, ids = [DayBatch.empty()], []  # so that a span before the start concatenates
            for day in range(first, last + 1):
                batch = self._days.get(day)
                if batch is None:
                    batch = self._days[day] = generate_day(self.seed, day, table)
                batches.append(batch)
                stamp = day_date(day).strftime("%Y%m%d")
                ids.extend(f"IZN-{stamp}-{i:04d}" for i in range(1, len(batch.submitted_s) + 1))
            cols = _Columns(
                ids=ids,
                **{
                    name: np.concatenate([getattr(b, name) for b in batches])
                    for name in ("submitted_s", "decided_s", "izin", "daring", "kecamatan", "ditolak")
                },
            )
            self._columns_cache = ((first, last), cols)
            return cols

    def view(self, now: dt.datetime) -> View:
        """Applications as of `now` (aware): submitted later ones do not exist yet, decisions taken later show as
        "diproses"; ordering and paging are RestSystem's."""
        now_s, first, last = self.window(now)
        cols = self._columns(first, last)
        decided = cols.decided_s <= now_s
        updated = np.where(decided, cols.decided_s, cols.submitted_s)
        codes, _ = kecamatan_weights()

        def render(order: np.ndarray) -> list[dict]:
            out = []
            for i in order.tolist():
                izin = KATALOG[cols.izin[i]]
                is_decided = bool(decided[i])
                out.append(
                    {
                        "id": cols.ids[i],
                        "jenis": izin.jenis,
                        "nama_izin": izin.nama,
                        "kanal": "daring" if cols.daring[i] else "luring",
                        "kode_kecamatan": codes[cols.kecamatan[i]],
                        "diajukan_pada": iso_wib(cols.submitted_s[i]),
                        "diputuskan_pada": iso_wib(cols.decided_s[i]) if is_decided else None,
                        "status": ("ditolak" if cols.ditolak[i] else "terbit") if is_decided else "diproses",
                        "sla_hari_kerja": izin.sla_hari_kerja,
                        "diperbarui_pada": iso_wib(updated[i]),
                    }
                )
            return out

        return View(np.asarray(cols.ids), updated, cols.submitted_s <= now_s, render)
