"""The indicator catalogue: each indicator declared once, addressable by id.

An indicator's query is an Ibis expression returning one row per record counted, with `tanggal`, `good` and
its breakdown columns; the value over any period is 100 × good records / counted records (metrics.compute). Queries read local dates
stored at load (no time-zone conversion), so the same expression runs on DuckDB here and on Spark for a province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis

from metrics import queries

Query = Callable[[ibis.BaseBackend, dt.date, dt.date], ibis.Table]


@dataclass(frozen=True)
class Target:
    """The value to reach and where it comes from (a regulation, or "target daerah" set by the region)."""

    value: float
    basis: str


@dataclass(frozen=True)
class Thresholds:
    """Green at or beyond `green`, amber at or beyond `amber`, red otherwise (beyond: in the good direction)."""

    green: float
    amber: float


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    Attributes:
        id: stable id, the contract with screens, API and exports.
        name: Indonesian name; name_en: English name.
        unit: display unit.
        direction: whether higher or lower values are better; drives the status colour.
        target, thresholds: what good looks like.
        sources: the sources it reads; a load of one of them recomputes it.
        period_days: length of the default period ending on the as-of date.
        include_today: whether the running day counts (False where a partial day biases the value).
        grain: grain of the trend series.
        query: the Ibis expression, see the module docstring.
        dimension, element: the smart-city dimension and element it gives evidence for.
        spbe: numbers of the SPBE indicators (PermenPANRB 59/2020) it gives evidence for.
        breakdowns: columns its values can be broken down by (kode_opd, kode_kecamatan).
        wall: shown on the wall page.
    """

    id: str
    name: str
    name_en: str
    description: str
    target: Target
    thresholds: Thresholds
    sources: tuple[str, ...]
    query: Query
    # The usual case, so that a declaration states only what differs.
    unit: str = "%"
    direction: Literal["higher", "lower"] = "higher"
    period_days: int = 30
    include_today: bool = True
    grain: Literal["day"] = "day"
    dimension: str = ""
    element: str = ""
    spbe: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    wall: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="izin_tepat_waktu",
        name="Izin diputus tepat waktu",
        name_en="Licences decided within SLA",
        description="Persentase permohonan izin yang diputus (terbit atau ditolak) dalam SLA hari kerjanya, 30 hari terakhir.",
        target=Target(95.0, "Target daerah; SLA per jenis izin (PP 28/2025, OSS-RBA)"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("perizinan",),
        query=queries.izin_tepat_waktu,
        breakdowns=("kode_kecamatan",),
        dimension="Smart Governance",
        element="pelayanan publik",
        spbe=(45, 46, 47),
        wall=True,
    ),
    Indicator(
        id="lahir_tercatat_60h",
        name="Kelahiran tercatat ≤ 60 hari",
        name_en="Births registered within 60 days",
        description="Persentase kelahiran yang didaftarkan paling lambat 60 hari setelah lahir, dari pendaftaran 30 hari terakhir.",
        target=Target(95.0, "Target daerah; batas 60 hari menurut UU 23/2006 jo. UU 24/2013"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("dukcapil",),
        query=queries.lahir_tercatat_60h,
        breakdowns=("kode_kecamatan",),
        dimension="Smart Governance",
        element="pelayanan publik",
        spbe=(45, 46, 47),
        wall=True,
    ),
    Indicator(
        id="absensi_tepat_waktu",
        name="ASN masuk tepat waktu",
        name_en="Staff arriving on time",
        description="Persentase kehadiran hari kerja dengan jam masuk paling lambat 07.30 WIB (08.00 saat Ramadan), 30 hari terakhir sampai kemarin.",
        target=Target(95.0, "Target daerah; jam kerja menurut Perpres 21/2023"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("absensi",),
        include_today=False,
        query=queries.absensi_tepat_waktu,
        breakdowns=("kode_opd",),
        dimension="Smart Governance",
        element="birokrasi",
        spbe=(36, 41),
        wall=True,
    ),
    Indicator(
        id="izin_daring",
        name="Permohonan izin secara daring",
        name_en="Licence applications filed online",
        description="Persentase permohonan izin yang diajukan secara daring, 30 hari terakhir.",
        target=Target(90.0, "Target daerah"),
        thresholds=Thresholds(green=90.0, amber=75.0),
        sources=("perizinan",),
        query=queries.izin_daring,
        breakdowns=("kode_kecamatan",),
        dimension="Smart Governance",
        element="pelayanan publik",
        spbe=(45, 46, 47),
    ),
    Indicator(
        id="aduan_verifikasi_3hk",
        name="Aduan diverifikasi ≤ 3 hari kerja",
        name_en="Complaints verified within 3 working days",
        description="Persentase aduan SP4N-LAPOR! yang diverifikasi paling lambat 3 hari kerja setelah dilaporkan, dari aduan 30 hari terakhir yang tenggatnya sudah lewat.",
        target=Target(100.0, "Perpres 76/2013 dan UU 25/2009: verifikasi paling lambat 3 hari kerja"),
        thresholds=Thresholds(green=100.0, amber=90.0),
        sources=("pengaduan",),
        query=queries.aduan_verifikasi_3hk,
        breakdowns=("kode_opd", "kode_kecamatan"),
        dimension="Smart Governance",
        element="pelayanan publik",
        spbe=(42,),
    ),
    Indicator(
        id="kematian_tercatat_30h",
        name="Kematian tercatat ≤ 30 hari",
        name_en="Deaths registered within 30 days",
        description="Persentase kematian yang didaftarkan paling lambat 30 hari setelah kejadian, dari pendaftaran 30 hari terakhir.",
        target=Target(90.0, "Target daerah; pelaporan kematian lazimnya paling lambat 30 hari"),
        thresholds=Thresholds(green=90.0, amber=80.0),
        sources=("dukcapil",),
        query=queries.kematian_tercatat_30h,
        breakdowns=("kode_kecamatan",),
        dimension="Smart Governance",
        element="pelayanan publik",
        spbe=(45, 46, 47),
    ),
    Indicator(
        id="tte_porsi",
        name="Dokumen keluar bertanda tangan elektronik",
        name_en="Outgoing documents signed electronically",
        description="Persentase dokumen keluar yang ditandatangani secara elektronik (BSrE), dari dokumen yang dibuat 30 hari terakhir.",
        target=Target(80.0, "Target daerah (tidak ada target nasional)"),
        thresholds=Thresholds(green=80.0, amber=60.0),
        sources=("tte",),
        query=queries.tte_porsi,
        breakdowns=("kode_opd",),
        dimension="Smart Governance",
        element="birokrasi",
        spbe=(37,),
    ),
    Indicator(
        id="tte_gagal",
        name="Tanda tangan elektronik gagal",
        name_en="Failed electronic signatures",
        description="Persentase percobaan tanda tangan elektronik yang gagal atau terhalang sertifikat kedaluwarsa, 30 hari terakhir.",
        direction="lower",
        target=Target(1.0, "Target daerah"),
        thresholds=Thresholds(green=1.0, amber=3.0),
        sources=("tte",),
        query=queries.tte_gagal,
        breakdowns=("kode_opd",),
        dimension="Smart Governance",
        element="birokrasi",
        spbe=(37,),
    ),
    Indicator(
        id="damkar_respons_15m",
        name="Damkar tiba ≤ 15 menit",
        name_en="Fire brigade on scene within 15 minutes",
        description="Persentase kejadian kebakaran dan penyelamatan yang didatangi paling lambat 15 menit setelah laporan, 30 hari terakhir.",
        target=Target(100.0, "Target daerah: tiba di lokasi paling lambat 15 menit setelah laporan"),
        thresholds=Thresholds(green=100.0, amber=80.0),
        sources=("damkar",),
        query=queries.damkar_respons_15m,
        breakdowns=("kode_kecamatan",),
        dimension="Smart Society",
        element="keamanan",
    ),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def depending_on(source: str) -> tuple[Indicator, ...]:
    """The indicators a load of `source` can change."""
    return tuple(i for i in INDICATORS if source in i.sources)
