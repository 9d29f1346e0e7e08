"""Simulated SPBE self-assessment (Diskominfo): a level 1-5 per indicator, one CSV per year, dropped in January."""

from __future__ import annotations

import datetime as dt
from functools import cache, partial

import numpy as np

from simulator.days import DAY_S, day_date, day_number
from simulator.drops import DropSystem, Export
from simulator.rng import rng_for

FRAMEWORK = "PermenPANRB 59/2020"
HEADER = "tahun;versi_kerangka;nomor_indikator;nama_indikator;tingkat"
FIRST_YEAR = 2020  # the first evaluation under PermenPANRB 59/2020

# The 47 indicators of PermenPANRB 59/2020 (spbe.md), each officially "Tingkat Kematangan ...".
INDICATORS: tuple[str, ...] = (
    "Kebijakan Internal Arsitektur SPBE",
    "Kebijakan Internal Peta Rencana SPBE",
    "Kebijakan Internal Manajemen Data",
    "Kebijakan Internal Pembangunan Aplikasi SPBE",
    "Kebijakan Internal Layanan Pusat Data",
    "Kebijakan Internal Layanan Jaringan Intra Pemerintah Daerah",
    "Kebijakan Internal Penggunaan Sistem Penghubung Layanan",
    "Kebijakan Internal Manajemen Keamanan Informasi",
    "Kebijakan Internal Audit TIK",
    "Kebijakan Internal Tim Koordinasi SPBE",
    "Arsitektur SPBE",
    "Peta Rencana SPBE",
    "Keterpaduan Rencana dan Anggaran SPBE",
    "Inovasi Proses Bisnis SPBE",
    "Pembangunan Aplikasi SPBE",
    "Layanan Pusat Data",
    "Layanan Jaringan Intra Pemerintah Daerah",
    "Penggunaan Sistem Penghubung Layanan",
    "Pelaksanaan Tim Koordinasi SPBE",
    "Kolaborasi Penerapan SPBE",
    "Penerapan Manajemen Risiko SPBE",
    "Penerapan Manajemen Keamanan Informasi",
    "Penerapan Manajemen Data",
    "Penerapan Manajemen Aset TIK",
    "Penerapan Manajemen SDM SPBE",
    "Penerapan Manajemen Pengetahuan",
    "Penerapan Manajemen Perubahan",
    "Penerapan Manajemen Layanan SPBE",
    "Pelaksanaan Audit Infrastruktur SPBE",
    "Pelaksanaan Audit Aplikasi SPBE",
    "Pelaksanaan Audit Keamanan SPBE",
    "Layanan Perencanaan",
    "Layanan Penganggaran",
    "Layanan Keuangan",
    "Layanan Pengadaan Barang dan Jasa",
    "Layanan Kepegawaian",
    "Layanan Kearsipan Dinamis",
    "Layanan Pengelolaan Barang Milik Daerah",
    "Layanan Pengawasan Internal Pemerintah",
    "Layanan Akuntabilitas Kinerja Organisasi",
    "Layanan Kinerja Pegawai",
    "Layanan Pengaduan Pelayanan Publik",
    "Layanan Data Terbuka",
    "Layanan Jaringan Dokumentasi dan Informasi Hukum (JDIH)",
    "Layanan Publik Sektor 1",
    "Layanan Publik Sektor 2",
    "Layanan Publik Sektor 3",
)
# Weight of each indicator in percent (spbe.md: the aspect weight shared equally by its indicators).
WEIGHTS = np.array([1.3] * 10 + [2.5] * 10 + [1.5] * 11 + [2.75] * 10 + [3.0] * 6)
# The index the simulated self-assessments land near, by year: rising, like the regency's published figures
# (about 3.5-3.65 for 2024 and 4.07 for 2025); the levels themselves are simulated.
_TARGET = {2020: 3.42, 2021: 3.48, 2022: 3.55, 2023: 3.60, 2024: 3.66, 2025: 4.02}
_TARGET_GROWTH = 0.06  # a year, after the last listed year
# Typical starting maturity by indicator group: policies and services ahead, audits behind.
_START = np.array([3.6] * 10 + [3.2] * 10 + [3.0] * 8 + [2.0] * 3 + [3.9] * 10 + [3.8] * 6)
_BAD_LEVEL = 0.15  # chance that a year's file carries one indicator at level 0 ("belum dinilai")


def spbe_index(levels: np.ndarray) -> float:
    """Indeks SPBE: the sum over the 47 indicators of weight x level, over 100 (spbe.md)."""
    return float((WEIGHTS * levels).sum() / 100)


def _target(year: int) -> float:
    last = max(_TARGET)
    return _TARGET.get(year, min(_TARGET[last] + _TARGET_GROWTH * (year - last), 4.6))


@cache
def levels_by_year(seed: int, last_year: int) -> dict[int, np.ndarray]:
    """Levels (1-5) of the 47 indicators for each year from 2020 to `last_year`, a pure function of the seed.

    Levels only rise: each year, indicators chosen at random (weighted toward the lower ones) move up one
    level until the index reaches the year's target.
    """
    rng = rng_for(seed, "spbe", "levels")
    levels = np.clip(np.round(_START + rng.normal(0, 0.7, len(WEIGHTS))), 1, 5).astype("int64")
    while spbe_index(levels) > _target(FIRST_YEAR) + 0.02:  # too mature for the first year: take some back
        candidates = np.flatnonzero(levels > 1)
        levels[rng.choice(candidates)] -= 1
    out = {}
    for year in range(FIRST_YEAR, last_year + 1):
        while spbe_index(levels) < _target(year) - 0.02:
            candidates = np.flatnonzero(levels < 5)
            p = (6 - levels[candidates]).astype(float)
            levels[rng.choice(candidates, p=p / p.sum())] += 1
        out[year] = levels.copy()
    return out


class Spbe(DropSystem):
    """The yearly self-assessment files as of any moment.

    A year's file reaches the inbox on a working day in January of the following year. The files of the
    years overlapping the history are there, and always those of the two latest evaluations, from 2020 on.
    """

    def dropped_at(self, year: int) -> int:
        """When the file of a year's evaluation is dropped (local seconds): a working day in mid-January."""
        rng = rng_for(self.seed, "spbe", "drop", year)
        first = day_number(dt.date(year + 1, 1, 8)) + int(rng.integers(0, 18))
        table = self._calendar.table(first, first + 10)
        day = int(table.next_working_on_or_after(np.array([first]))[0])
        return day * DAY_S + 9 * 3600 + int(rng.integers(0, 6 * 3600))

    def years(self, now: dt.datetime) -> list[int]:
        """Evaluation years whose file is in the inbox by `now`."""
        now_s, first, today = self.window(now)
        start_year = day_date(first).year
        last = day_date(today).year - 1
        if now_s < self.dropped_at(last):
            last -= 1
        return list(range(max(FIRST_YEAR, min(start_year, last - 1)), last + 1))

    def csv_bytes(self, year: int) -> bytes:
        """A year's file: UTF-8 with BOM, ';' delimited, one row per indicator."""
        levels = levels_by_year(self.seed, max(year, FIRST_YEAR))[year]
        rng = rng_for(self.seed, "spbe", "typo", year)
        typo = int(rng.integers(0, len(INDICATORS))) if rng.random() < _BAD_LEVEL else -1
        lines = [HEADER]
        for i, (name, level) in enumerate(zip(INDICATORS, levels.tolist(), strict=True)):
            lines.append(f"{year};{FRAMEWORK};{i + 1};{name};{0 if i == typo else level}")
        return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")

    def exports(self, now: dt.datetime) -> list[Export]:
        """Every year's file due by `now`; final as soon as it is dropped."""
        return [
            Export(str(year), f"spbe_penilaian_mandiri_{year}.csv", True, partial(self.csv_bytes, year))
            for year in self.years(now)
        ]
