"""Simulated smart-city masterplan sheet (Bapperlitbangda/Diskominfo): 62 programmes, updated about monthly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from region.opd import OPD_BY_CODE
from simulator.days import DAY_S, day_date, day_number, local_seconds, month_span, wib_datetime
from simulator.drops import DropSystem, Export, xlsx_bytes
from simulator.rng import rng_for

FILE_NAME = "masterplan_smart_city.xlsx"
SHEET = "Program"
HEADER = (
    "No", "Kode Program", "Program", "Dimensi", "Elemen", "OPD Pelaksana", "Tahun Mulai", "Status", "Progres (%)",
    "Anggaran (Rp)",
)
AUTHOR = "Bapperlitbangda Kabupaten Padang Pariaman"
DIMENSI = {  # code prefix -> dimension and its three elements (smart-city.md)
    "SG": ("Smart Governance", ("Pelayanan Publik", "Birokrasi", "Kebijakan Publik")),
    "SB": ("Smart Branding", ("Pariwisata", "Bisnis", "Wajah Kota")),
    "SE": ("Smart Economy", ("Industri", "Kesejahteraan", "Transaksi Keuangan")),
    "SL": ("Smart Living", ("Harmonisasi Tata Ruang", "Kesehatan", "Mobilitas")),
    "SS": ("Smart Society", ("Komunitas", "Ekosistem Belajar", "Keamanan")),
    "SV": ("Smart Environment", ("Proteksi Lingkungan", "Sampah dan Limbah", "Energi")),
}
STATUS = ("Belum Mulai", "Berjalan", "Selesai")


@dataclass(frozen=True)
class Program:
    """One masterplan programme and its course: started and finished on (day numbers), None when not (yet)."""

    kode: str
    nama: str
    dimensi: str
    elemen: str
    opd: str  # OPD code
    tahun_mulai: int
    mulai: int
    selesai: int | None
    anggaran: int


# (dimension prefix, element index, name, lead OPD code, start year, finish: year it is done by, or None when
# it is still running or not started). Programme names are simulated, in the style of regency masterplans.
# Finishes follow smart-city.md: by 2021 Governance 17, Branding 3, Economy 6, Society 5, Living 5,
# Environment 2 were done; 44 of the 62 by the 2024 evaluation; a few more since.
_DONE_2021, _DONE_2024, _DONE_2026 = 2021, 2024, 2026
_PROGRAMS: tuple[tuple[str, int, str, str, int, int | None], ...] = (
    ("SG", 0, "Mal Pelayanan Publik Padang Pariaman", "DPMPTSP", 2020, _DONE_2021),
    ("SG", 0, "Perizinan Daring (SiCantik)", "DPMPTSP", 2019, _DONE_2021),
    ("SG", 0, "Pengaduan Terpadu SP4N-LAPOR!", "DISKOMINFO", 2019, _DONE_2021),
    ("SG", 0, "Layanan Adminduk Daring", "DISDUKCAPIL", 2019, _DONE_2021),
    ("SG", 0, "Jemput Bola Adminduk Nagari", "DISDUKCAPIL", 2020, _DONE_2021),
    ("SG", 0, "Command Center Kabupaten", "DISKOMINFO", 2021, _DONE_2024),
    ("SG", 0, "Portal Layanan Publik Terpadu", "DISKOMINFO", 2022, None),
    ("SG", 1, "E-Office dan Tanda Tangan Elektronik", "DISKOMINFO", 2019, _DONE_2021),
    ("SG", 1, "Absensi Elektronik ASN", "BKPSDM", 2019, _DONE_2021),
    ("SG", 1, "SIKAP (Sistem Informasi Kinerja Aparatur)", "BKPSDM", 2020, _DONE_2021),
    ("SG", 1, "E-Budgeting dan E-Planning", "BAPPERLITBANGDA", 2019, _DONE_2021),
    ("SG", 1, "Sistem Informasi Keuangan Daerah", "BPKD", 2019, _DONE_2021),
    ("SG", 1, "Jaringan Intra Pemerintah (Fiber Optik)", "DISKOMINFO", 2019, _DONE_2021),
    ("SG", 1, "Pusat Data Daerah", "DISKOMINFO", 2020, _DONE_2021),
    ("SG", 1, "Sistem Pengawasan Internal Daring", "INSPEKTORAT", 2020, _DONE_2021),
    ("SG", 1, "Arsip Digital Daerah", "SETDA", 2022, _DONE_2026),
    ("SG", 1, "Manajemen Aset TIK", "DISKOMINFO", 2023, None),
    ("SG", 2, "Satu Data Padang Pariaman", "DISKOMINFO", 2019, _DONE_2021),
    ("SG", 2, "JDIH Daring", "SETDA", 2019, _DONE_2021),
    ("SG", 2, "Portal Data Terbuka", "DISKOMINFO", 2020, _DONE_2021),
    ("SG", 2, "Musrenbang Elektronik", "BAPPERLITBANGDA", 2020, _DONE_2021),
    ("SG", 2, "Dashboard Kinerja Pembangunan", "BAPPERLITBANGDA", 2021, _DONE_2024),
    ("SB", 0, "Aplikasi Wisata Piaman", "DISPARPORA", 2019, _DONE_2021),
    ("SB", 0, "Festival Budaya Basapa dan Tabuik", "DISPARPORA", 2019, _DONE_2021),
    ("SB", 0, "Penataan Kawasan Wisata Lembah Anai", "DISPARPORA", 2021, _DONE_2024),
    ("SB", 1, "Katalog Produk UMKM Daring", "DPMPTSP", 2020, _DONE_2021),
    ("SB", 1, "Promosi Investasi Digital", "DPMPTSP", 2022, None),
    ("SB", 2, "Penataan Wajah Ibu Kota Parit Malintang", "PUPR", 2022, _DONE_2026),
    ("SB", 2, "Taman Kota dan Ruang Terbuka Hijau", "LHKPP", 2023, None),
    ("SE", 0, "Sentra Industri Kecil Olahan Pangan", "DISTANKP", 2019, _DONE_2021),
    ("SE", 0, "Pelatihan Wirausaha Digital", "DPMPTSP", 2019, _DONE_2021),
    ("SE", 0, "Kawasan Industri Batang Anai", "DPMPTSP", 2023, None),
    ("SE", 1, "Kartu Tani Digital", "DISTANKP", 2019, _DONE_2021),
    ("SE", 1, "Sistem Informasi Harga Pangan", "DISTANKP", 2020, _DONE_2021),
    ("SE", 1, "Bantuan Sosial Tepat Sasaran", "SETDA", 2021, _DONE_2024),
    ("SE", 2, "Pembayaran Pajak Daerah Non Tunai", "BPKD", 2019, _DONE_2021),
    ("SE", 2, "Retribusi Pasar Non Tunai", "BPKD", 2020, _DONE_2021),
    ("SE", 2, "Transaksi Non Tunai Nagari", "DPMD", 2022, None),
    ("SL", 0, "Sistem Informasi Tata Ruang", "PUPR", 2019, _DONE_2021),
    ("SL", 0, "Perizinan Bangunan Daring (SIMBG)", "PUPR", 2020, _DONE_2021),
    ("SL", 1, "Pendaftaran Puskesmas Daring", "DINKES", 2019, _DONE_2021),
    ("SL", 1, "Rekam Medis Elektronik RSUD", "RSUD", 2020, _DONE_2021),
    ("SL", 1, "Ambulans Gratis 24 Jam", "DINKES", 2019, _DONE_2021),
    ("SL", 1, "Telemedicine Puskesmas", "DINKES", 2022, _DONE_2026),
    ("SL", 2, "Informasi Angkutan Umum", "PUPR", 2021, _DONE_2024),
    ("SL", 2, "Penerangan Jalan Cerdas", "PUPR", 2023, None),
    ("SL", 2, "Halte dan Jalur Sepeda Ibu Kota", "PUPR", 2026, None),
    ("SS", 0, "Nagari Digital", "DPMD", 2019, _DONE_2021),
    ("SS", 0, "Komunitas TIK Anak Nagari", "DISKOMINFO", 2019, _DONE_2021),
    ("SS", 1, "Sekolah Digital", "SETDA", 2020, _DONE_2021),
    ("SS", 1, "Perpustakaan Digital", "SETDA", 2021, None),
    ("SS", 1, "Beasiswa Anak Nagari Daring", "SETDA", 2022, None),
    ("SS", 2, "CCTV Simpang dan Pasar", "DISKOMINFO", 2019, _DONE_2021),
    ("SS", 2, "Layanan Darurat 112", "SATPOLPP_DAMKAR", 2020, _DONE_2021),
    ("SS", 2, "Sistem Peringatan Dini Bencana", "SATPOLPP_DAMKAR", 2023, None),
    ("SV", 0, "Pemantauan Kualitas Udara dan Air", "LHKPP", 2019, _DONE_2021),
    ("SV", 0, "Rehabilitasi Mangrove Pesisir", "LHKPP", 2021, _DONE_2024),
    ("SV", 1, "Bank Sampah Nagari", "LHKPP", 2019, _DONE_2021),
    ("SV", 1, "Aplikasi Angkutan Sampah", "LHKPP", 2022, None),
    ("SV", 1, "TPS 3R Kecamatan", "LHKPP", 2024, None),
    ("SV", 2, "PLTS Atap Kantor Pemerintah", "PUPR", 2024, None),
    ("SV", 2, "Lampu Jalan Tenaga Surya", "PUPR", 2027, None),
)
# The 2024 evaluation was done by the end of September 2024.
_EVALUATION_2024 = day_number(dt.date(2024, 9, 30))
_END_2021 = day_number(dt.date(2021, 12, 31))
_BAD_PROGRESS = 0.06  # a version where someone typed a progress above 100 (fixed the next month)


@cache
def programs(seed: int) -> tuple[Program, ...]:
    """The 62 programmes with their course, a pure function of the seed (names and lists are simulated)."""
    rng = rng_for(seed, "masterplan", "program")
    out = []
    counters: dict[str, int] = {}
    for prefix, elemen, nama, opd, year, done_by in _PROGRAMS:
        counters[prefix] = counters.get(prefix, 0) + 1
        dimensi, elements = DIMENSI[prefix]
        start = day_number(dt.date(year, 1, 1)) + int(rng.integers(15, 200))
        if done_by == _DONE_2021:
            finish = int(rng.integers(max(start + 200, day_number(dt.date(2020, 6, 1))), _END_2021))
        elif done_by == _DONE_2024:
            finish = int(rng.integers(max(start + 300, _END_2021 + 30), _EVALUATION_2024))
        elif done_by == _DONE_2026:
            finish = int(rng.integers(_EVALUATION_2024 + 60, day_number(dt.date(2026, 10, 31))))
        else:
            finish = None
        # Budgets from a few hundred million to a few billion rupiah, in thousands.
        anggaran = int(np.round(rng.lognormal(np.log(650e6), 0.9) / 1000)) * 1000
        out.append(
            Program(f"{prefix}-{counters[prefix]:02d}", nama, dimensi, elements[elemen], opd, year, start, finish, anggaran)
        )
    return tuple(out)


class Masterplan(DropSystem):
    """The programme sheet as staff keep it: rewritten on one working day a month with the progress so far.

    The sheet is one file, always the latest version, so the history window does not apply to it.
    """

    def saved_at(self, now: dt.datetime) -> int:
        """When the version current at `now` was saved (local seconds): a working day each month, mid-month."""
        now_s = local_seconds(now)
        month = month_span(now_s // DAY_S)
        for _ in range(2):
            rng = rng_for(self.seed, "masterplan", "save", day_date(month[0]).strftime("%Y-%m"))
            table = self._calendar.table(month[0], month[1] + 10)
            day = int(table.next_working_on_or_after(np.array([month[0] + 7 + int(rng.integers(0, 14))]))[0])
            saved = day * DAY_S + 9 * 3600 + int(rng.integers(0, 6 * 3600))
            if saved <= now_s:
                return saved
            month = month_span(month[0] - 1)  # this month's update has not happened yet: last month's holds
        return saved

    def rows(self, saved_s: int) -> list[tuple]:
        """The sheet's rows as saved at `saved_s` (local seconds)."""
        day = saved_s // DAY_S
        label = day_date(day).strftime("%Y-%m")
        rng = rng_for(self.seed, "masterplan", "typo", label)
        typo_at = int(rng.integers(0, len(_PROGRAMS))) if rng.random() < _BAD_PROGRESS else -1
        rows = []
        for i, p in enumerate(programs(self.seed)):
            if day < p.mulai:
                status, progres = STATUS[0], 0
            elif p.selesai is not None and day >= p.selesai:
                status, progres = STATUS[2], 100
            else:
                # Progress moves toward completion; programmes without a finish date creep toward 90%.
                end = p.selesai if p.selesai is not None else p.mulai + 365 * 6
                fraction = (day - p.mulai) / max(end - p.mulai, 1)
                status, progres = STATUS[1], int(min(95, 5 + 5 * round(18 * fraction)))
            if i == typo_at and status == STATUS[1]:
                progres += 100  # "85" typed as "185"
            opd = OPD_BY_CODE[p.opd]
            # Staff write the OPD's common name; a few rows (every seventh) carry the full name from a decree.
            pelaksana = opd.nama_lengkap if i % 7 == 3 else opd.nama
            rows.append(
                (i + 1, p.kode, p.nama, p.dimensi, p.elemen, pelaksana, p.tahun_mulai, status, progres, p.anggaran)
            )
        return rows

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._workbook: tuple[int, bytes] | None = None  # the last version made, as (saved at, bytes)

    def xlsx(self, now: dt.datetime) -> bytes:
        """The workbook as it stands at `now`."""
        saved = self.saved_at(now)
        with self._lock:
            if self._workbook is None or self._workbook[0] != saved:
                self._workbook = (saved, self._make_xlsx(saved))
            return self._workbook[1]

    def _make_xlsx(self, saved: int) -> bytes:
        return xlsx_bytes(
            SHEET,
            HEADER,
            self.rows(saved),
            saved_at=wib_datetime(saved),
            author=AUTHOR,
            number_formats={9: "#,##0"},
            widths=(5, 13, 46, 20, 24, 30, 12, 13, 12, 18),
        )

    def exports(self, now: dt.datetime) -> list[Export]:
        """The one sheet, as the version current at `now`; rewritten when that version differs from the last."""
        return [Export(key="program", name=FILE_NAME, final=False, content=lambda: self.xlsx(now))]
