"""Simulated BKPSDM e-attendance: staff, daily check-ins, and the CSV exports dropped into an inbox folder, either
the machines' raw check-ins with the staff list and leave records (simulator/absensi_mesin.py), or daily summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np

from region.opd import OPDS
from simulator import absensi_mesin
from simulator.days import DAY_S, day_date, day_number, local_seconds
from simulator.drops import DailyDropSystem, Export
from simulator.rng import rng_for

HEADER = "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja"
STATUSES = ("alpa", "sakit", "izin", "cuti", "dinas luar", "hadir")  # order of the cumulative draw below
_ALPA, _HADIR = 0, 5
_DAY_OVER_S = 18 * 3600  # machines export the day's absences (alpa) once the day is over
_NOTICE_S = 7 * 3600  # leave, sick notes and duty travel are entered from 07.00
# What the machines export: raw check-ins (with the staff list and leave records), or a summary per day.
EXPORTS = ("presensi", "harian")
_LEAVE_KINDS = tuple(s if s not in ("alpa", "hadir") else "" for s in STATUSES)

# Staff per OPD (about 1,500 in all): hospital and health office are the big employers. Illustrative sizes.
OPD_SIZES: dict[str, int] = {
    "RSUD": 300, "DINKES": 200, "SETDA": 150, "PUPR": 120, "SATPOLPP_DAMKAR": 110, "DISTANKP": 100,
    "BPKD": 70, "LHKPP": 70, "DISDUKCAPIL": 60, "BKPSDM": 50, "BAPPERLITBANGDA": 50, "DPMPTSP": 45,
    "DISKOMINFO": 45, "DISPARPORA": 45, "DPMD": 45, "INSPEKTORAT": 40,
}
_DEFAULT_SIZE = 40  # an OPD added to region/opd.py later still gets staff
AWAY_SHARE = 0.002  # staff who walk away for a spell each year (about 3 of 1,500); illustrative
AWAY_DAYS = 16  # calendar days of such a spell: at least ten working days unless holidays fall inside

_MALE = (
    "Afrizal", "Andri", "Budi", "Dedi", "Erwin", "Fadli", "Hendra", "Irwan", "Jonni", "Rahmat", "Rizki",
    "Syafrudin", "Yusrizal", "Zulkifli", "Novri", "Arif", "Firdaus", "Hasan", "Indra", "Masrul", "Yuliandri",
    "Ridwan", "Syamsul", "Taufik", "Wendi", "Zulhendri", "Amril", "Edi", "Febri", "Gusman",
)
_FEMALE = (
    "Nurhayati", "Yeni", "Rina", "Fitri", "Desi", "Sri", "Yusnita", "Elfira", "Suryani", "Rahmi", "Mardiah",
    "Nelvi", "Ratna", "Wirda", "Zulfa", "Hasnah", "Lisa", "Mega", "Nova", "Putri", "Sisca", "Vivi", "Yulia",
    "Dewi", "Elvina", "Gusnita", "Irma", "Leni", "Oktavia", "Rosmaini",
)
_SECOND = (
    "Putra", "Saputra", "Hidayat", "Rahman", "Efendi", "Chaniago", "Koto", "Piliang", "Tanjung", "Sikumbang",
    "Jambak", "Caniago", "Syahputra", "Wahyudi", "Kurniawan", "Yanti", "Wati", "Sari", "Yenti", "Susanti",
)
_GELAR = ("S.Sos", "S.Kom", "S.E.", "S.H.", "S.Pd", "A.Md", "S.Kep", "S.T.", "S.Si", "M.Si", "S.AP")

_HHMM = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60))
_HOURS = tuple(f"{m / 60:.2f}".replace(".", ",") for m in range(24 * 60))  # Indonesian decimal comma


@dataclass(frozen=True)
class Staff:
    """Everyone on the attendance machines, with stable habits (arrays indexed like `nip`)."""

    nip: tuple[str, ...]
    nama: tuple[str, ...]
    kode_opd: tuple[str, ...]
    opd_index: np.ndarray
    early_mean_min: np.ndarray  # usual arrival relative to the start time (negative: early)
    late_p: np.ndarray  # chance of arriving after the start time on an ordinary day
    thresholds: np.ndarray  # per staff: probabilities of alpa, sakit, izin, cuti, dinas luar
    away_from: np.ndarray  # day of the year (0-364) a yearly spell of walking away from work starts; -1: never


def make_staff(seed: int) -> Staff:
    """The staff list and habits, a pure function of the seed.

    Args:
        seed: simulator seed.

    Returns:
        About 1,500 staff grouped by OPD (in region/opd.py order), nip ascending within an OPD.
    """
    rng = rng_for(seed, "absensi", "pegawai")
    n_opd = len(OPDS)
    # OPDs differ in discipline and in how much their staff travel; stable for a seed, so some are
    # consistently better than others.
    opd_early = rng.uniform(-28, -14, n_opd)
    opd_late = rng.uniform(0.03, 0.14, n_opd)
    opd_travel = rng.uniform(0.015, 0.05, n_opd)
    rows: list[tuple[str, str, int]] = []
    used: set[str] = set()
    for i, opd in enumerate(OPDS):
        people = []
        for _ in range(OPD_SIZES.get(opd.kode, _DEFAULT_SIZE)):
            # NIP: birth date (8), civil-service start year and month (6), sex (1), sequence (3).
            born = dt.date(1965, 1, 1) + dt.timedelta(days=int(rng.integers(0, 36 * 365)))
            start_year = min(born.year + int(rng.integers(22, 36)), 2024)
            female = bool(rng.random() < 0.55)
            while True:
                nip = f"{born:%Y%m%d}{start_year}{int(rng.integers(1, 13)):02d}{2 if female else 1}"
                nip += f"{int(rng.integers(1, 1000)):03d}"
                if nip not in used:
                    used.add(nip)
                    break
            first = _FEMALE[int(rng.integers(len(_FEMALE)))] if female else _MALE[int(rng.integers(len(_MALE)))]
            nama = f"{first} {_SECOND[int(rng.integers(len(_SECOND)))]}"
            if rng.random() < 0.45:
                nama += f", {_GELAR[int(rng.integers(len(_GELAR)))]}"
            people.append((nip, nama, i))
        rows.extend(sorted(people))
    opd_index = np.array([r[2] for r in rows])
    n = len(rows)
    early = opd_early[opd_index] + rng.normal(0, 6, n)
    late = np.clip(opd_late[opd_index] * rng.lognormal(0, 0.5, n), 0.005, 0.5)
    # Unexcused absence is concentrated: most staff almost never, a few habitually, so some reach the
    # PP 94/2021 sanction thresholds (3+ days a year) while the overall rate stays near 0.5%.
    habitual = rng.random(n) < 0.06
    alpa = np.where(habitual, rng.uniform(0.02, 0.07, n), 0.0012)
    thresholds = np.column_stack(
        [alpa, np.full(n, 0.015), np.full(n, 0.012), np.full(n, 0.014), opd_travel[opd_index]]
    )
    # A rare few stay away without notice for weeks once a year, so that PP 94/2021's ten consecutive working
    # days (dismissal) is reached now and then, as it is in real regencies. Drawn last: habits above stay as they were.
    away_from = np.where(rng.random(n) < AWAY_SHARE, rng.integers(0, 365, n), -1)
    return Staff(
        nip=tuple(r[0] for r in rows),
        nama=tuple(r[1] for r in rows),
        kode_opd=tuple(OPDS[r[2]].kode for r in rows),
        opd_index=opd_index,
        early_mean_min=early,
        late_p=late,
        thresholds=thresholds,
        away_from=away_from,
    )


@dataclass(frozen=True)
class DayAttendance:
    """One working day's outcome for every staff member; minutes of the day, -1 when none."""

    status: np.ndarray  # index into STATUSES
    masuk_min: np.ndarray
    pulang_min: np.ndarray


class Absensi(DailyDropSystem):
    """The attendance machines' daily CSV exports as of any moment, one for each working day."""

    FILE_NAME = "absensi_{:%Y%m%d}.csv"
    DAY_OVER_S = _DAY_OVER_S

    def __init__(self, *args, export: str = "harian", **kwargs) -> None:
        """As SimulatedSystem; `export` is what the machines drop: "presensi" (raw check-ins) or "harian" (daily summaries)."""
        super().__init__(*args, **kwargs)
        if export not in EXPORTS:
            raise ValueError(f"absensi export {export!r} is none of {', '.join(EXPORTS)}")
        self.export = export
        self._staff: Staff | None = None
        self._prefix: list[str] = []

    @property
    def staff(self) -> Staff:
        """The staff list (generated on first use)."""
        if self._staff is None:
            self._staff = make_staff(self.seed)
            staff = self._staff
            self._prefix = [f"{a};{b};{c};" for a, b, c in zip(staff.nip, staff.nama, staff.kode_opd, strict=True)]
        return self._staff

    def day(self, day: int) -> DayAttendance:
        """The full outcome of a working day (day number), a pure function of (seed, day)."""
        staff = self.staff
        table = self._calendar.table(day, day)
        n = len(staff.nip)
        rng = rng_for(self.seed, "absensi", day_date(day).isoformat())
        monday = bool(table.weekdays(day) == 0)
        after_break = bool(table.is_after_long_break(day))

        thresholds = staff.thresholds.copy()
        if after_break:  # the day after a long break: more extended leave and more no-shows
            thresholds[:, 0] *= 2.0
            thresholds[:, 3] *= 1.8
        status = (rng.random(n)[:, None] >= np.cumsum(thresholds, axis=1)).sum(axis=1)
        away = (staff.away_from >= 0) & ((day - staff.away_from) % 365 < AWAY_DAYS)
        status = np.where(away, _ALPA, status)

        start = int(table.opening_s(day)) // 60  # 07.30, or 08.00 in Ramadan
        end = int(table.closing_s(day)) // 60  # earlier in Ramadan and later on Fridays
        usual = np.clip(rng.normal(staff.early_mean_min, 8.0), -75, -1)
        late_factor = 2.2 if after_break else 1.5 if monday else 1.0
        late = rng.random(n) < np.minimum(staff.late_p * late_factor, 0.9)
        late_by = np.minimum(1 + rng.exponential(14.0, n), 150)
        masuk = start + np.round(np.where(late, late_by, usual)).astype("int64")
        leave_early = rng.random(n) < 0.04
        after_end = np.where(leave_early, -rng.uniform(5, 60, n), rng.exponential(18.0, n))
        pulang = np.minimum(end + np.round(after_end).astype("int64"), min(end + 100, 17 * 60 + 55))
        no_checkout = rng.random(n) < 0.01  # forgot to tap out
        hadir = status == _HADIR
        masuk = np.where(hadir, masuk, -1)
        pulang = np.where(hadir & ~no_checkout, np.maximum(pulang, masuk + 1), -1)
        return DayAttendance(status, masuk, pulang)

    def csv_bytes(self, day: int, now: dt.datetime) -> bytes | None:
        """The export for a day as the machines know it at `now`; None when nothing is known yet.

        Args:
            day: day number of a working day.
            now: the moment (aware). For today, only check-ins that happened, check-outs that passed,
                notices from 07.00 and absences from 18.00 appear.

        Returns:
            UTF-8 CSV bytes, or None for a non-working day, a future day or a day with no rows yet.
        """
        now_s = local_seconds(now)
        table = self._calendar.table(day, day)
        if not table.is_working(day) or day * DAY_S > now_s:
            return None
        with self._lock:
            a = self.day(day)
            prefix = self._prefix
        elapsed_min = (now_s - day * DAY_S) // 60  # minutes since local midnight; > 1440 for past days
        elapsed_s = now_s - day * DAY_S
        tanggal = day_date(day).strftime("%d/%m/%Y")
        lines = [HEADER]
        rows = zip(a.status.tolist(), a.masuk_min.tolist(), a.pulang_min.tolist(), strict=True)
        for i, (st, m, p) in enumerate(rows):
            if st == _HADIR:
                if m > elapsed_min:
                    continue
                if 0 <= p <= elapsed_min:
                    lines.append(f"{prefix[i]}{tanggal};{_HHMM[m]};{_HHMM[p]};hadir;{_HOURS[p - m]}")
                else:
                    lines.append(f"{prefix[i]}{tanggal};{_HHMM[m]};;hadir;")
            elif (st == _ALPA and elapsed_s >= _DAY_OVER_S) or (st != _ALPA and elapsed_s >= _NOTICE_S):
                lines.append(f"{prefix[i]}{tanggal};;;{STATUSES[st]};")
        if len(lines) == 1:
            return None
        return ("\n".join(lines) + "\n").encode("utf-8")

    def exports(self, now: dt.datetime) -> Iterable[Export]:
        """Daily summaries, or the staff list, a file of check-ins per working day and a file of leave records per month."""
        if self.export == "harian":
            return super().exports(now)
        now_s, first, today = self.window(now)
        out = [Export(key="pegawai", name="pegawai.csv", final=True, content=self.roster_bytes)]
        out += [
            Export(key=f"presensi-{day_date(day).isoformat()}", name=f"presensi_{day_date(day):%Y%m%d}.csv",
                   final=now_s >= day * DAY_S + _DAY_OVER_S, content=partial(self.punch_bytes, day, now))
            for day in self.drop_days(first, today)
        ]
        for month in absensi_mesin.months(first, today):
            following = day_number((month + dt.timedelta(days=32)).replace(day=1))
            out.append(Export(key=f"izin-{month:%Y-%m}", name=f"izin_{month:%Y%m}.csv", final=now_s >= following * DAY_S,
                              content=partial(self.leave_bytes, max(first, day_number(month)), following - 1, now)))
        return out

    def roster_bytes(self) -> bytes:
        """The staff list the machines know (pegawai.csv)."""
        staff = self.staff
        return absensi_mesin.roster_csv(staff.nip, staff.nama, staff.kode_opd)

    def punch_bytes(self, day: int, now: dt.datetime) -> bytes | None:
        """A working day's raw check-ins as logged by `now`; None before the first tap."""
        with self._lock:
            staff, a = self.staff, self.day(day)
        unmarked = absensi_mesin.unmarked_opds(self.seed, len(OPDS))[staff.opd_index]
        hadir = a.status == _HADIR
        return absensi_mesin.punches_csv(self.seed, day, staff.nip, unmarked, hadir, a.masuk_min, a.pulang_min, local_seconds(now) - day * DAY_S)

    def leave_bytes(self, first: int, last: int, now: dt.datetime) -> bytes | None:
        """Leave records of the working days in [first, last] (one month) entered by `now`: a record is entered on its first day, from 07.00."""
        now_s = local_seconds(now)
        today = now_s // DAY_S
        days = self.drop_days(first, last)
        if not days or days[0] > today:
            return None
        with self._lock:
            staff = self.staff
            statuses = np.stack([self.day(day).status for day in days])
        return absensi_mesin.leave_csv(staff.nip, _LEAVE_KINDS, days, statuses, today, now_s - today * DAY_S >= _NOTICE_S)

    def drop_days(self, first: int, today: int) -> list[int]:
        """The working days in [first, today]: the machines export nothing on other days."""
        table = self._calendar.table(min(first, today), today)
        return [day for day in range(first, today + 1) if table.is_working(day)]
