"""The indicator catalogue: each indicator declared once, addressable by id.

An indicator is a declaration here and a query in metrics.queries: an Ibis expression returning one row per
record counted, which its measure turns into a value (metrics.compute). Queries read local dates stored at load
(no time-zone conversion), so the same expression runs on DuckDB here and on Spark for a province. Targets,
thresholds and parameters are defaults an operator overrides in the configuration file ([indicators.ID]).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import ibis

from metrics import queries
from metrics.periods import Period

Query = Callable[..., ibis.Table]
Measure = Literal["share", "ratio", "count", "sum", "median", "level", "latest"]

# Padang Pariaman Dalam Angka 2025 (BPS), via the region reference.
PENDUDUK = 451_388.0


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
        name, name_en: Indonesian and English names; description, description_en: definitions.
        unit, unit_en: display unit.
        measure: how query rows become a value (see metrics.compute).
        scale: the factor of a ratio measure (100 for a percentage).
        direction: whether higher or lower values are better; drives the status colour.
        judged_on: "value" compares the value with the thresholds; "year_change" compares its change (%) on
            the same period a year before (indicators whose target is growth or a trend).
        target, thresholds: what good looks like.
        sources: the sources it reads; a load of one of them recomputes it.
        period: the default period ending on the as-of date.
        grain: grain of the trend series shown with the value.
        history: False when the source keeps only its current state, so no earlier period can be computed.
        params: named numbers the query takes (population, kg per person); configuration may change them.
        query: the Ibis expression, see the module docstring.
        dimension, element: the smart-city dimension and element it gives evidence for.
        spbe: numbers of the SPBE indicators (PermenPANRB 59/2020) it gives evidence for.
        breakdowns: columns its values can be broken down by (kode_opd, kode_kecamatan, ...).
        wall: shown on the wall page.
    """

    id: str
    name: str
    name_en: str
    description: str
    description_en: str
    target: Target
    thresholds: Thresholds
    sources: tuple[str, ...]
    query: Query
    # The usual case, so that a declaration states only what differs.
    measure: Measure = "share"
    unit: str = "%"
    unit_en: str = "%"
    scale: float = 100.0
    direction: Literal["higher", "lower"] = "higher"
    judged_on: Literal["value", "year_change"] = "value"
    period: Period = Period()
    grain: Literal["day", "week", "month", "year"] = "day"
    history: bool = True
    params: Mapping[str, float] = field(default_factory=dict)
    dimension: str = ""
    element: str = ""
    spbe: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    wall: bool = False


# Dimensions and their elements as the Gerakan Menuju 100 Smart City guide names them (reference/smart-city.md).
# Smart Economy (industry, welfare, financial transactions) has no source yet, so no indicator and no score.
_GOV, _SOC, _LIV, _ENV, _BRAND = "Smart Governance", "Smart Society", "Smart Living", "Smart Environment", "Smart Branding"
_SERVICE = (45, 46, 47)  # SPBE sector-service indicators
_GROWTH = Target(0.0, "Tumbuh dibanding periode yang sama tahun lalu (target daerah)")
_GROWTH_BANDS = Thresholds(green=0.0, amber=-10.0)  # change on a year before, %

INDICATORS: tuple[Indicator, ...] = (
    # Licensing (DPMPTSP, OSS-RBA): PP 28/2025 sets each stage's SLA; a missed SLA counts as granted (fiktif positif).
    Indicator(
        id="izin_tepat_waktu",
        name="Izin diputus tepat waktu",
        name_en="Licences decided within SLA",
        description="Persentase permohonan izin yang diputus (terbit atau ditolak) dalam SLA hari kerjanya, menurut tanggal putusan, 30 hari terakhir.",
        description_en="Share of licence applications decided (issued or refused) within their SLA in working days, by decision date, last 30 days.",
        target=Target(95.0, "Target daerah; SLA per jenis izin (PP 28/2025, OSS-RBA)"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("perizinan",),
        query=queries.izin_tepat_waktu,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE, wall=True,
    ),
    Indicator(
        id="izin_durasi_median",
        name="Lama putusan izin (median)",
        name_en="Median licence decision time",
        description="Median hari kerja dari pengajuan sampai putusan, untuk permohonan yang diputus 30 hari terakhir.",
        description_en="Median working days from submission to decision, for applications decided in the last 30 days.",
        measure="median", unit="hari kerja", unit_en="working days", direction="lower",
        target=Target(5.0, "Target daerah (konfigurasi); SLA per jenis izin menurut PP 28/2025"),
        thresholds=Thresholds(green=5.0, amber=10.0),
        sources=("perizinan",),
        query=queries.izin_durasi_median,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE,
    ),
    Indicator(
        id="izin_daring",
        name="Permohonan izin secara daring",
        name_en="Licence applications filed online",
        description="Persentase permohonan izin yang diajukan secara daring, 30 hari terakhir.",
        description_en="Share of licence applications filed online, last 30 days.",
        target=Target(90.0, "Target daerah"),
        thresholds=Thresholds(green=90.0, amber=75.0),
        sources=("perizinan",),
        query=queries.izin_daring,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE,
    ),
    Indicator(
        id="izin_lewat_sla",
        name="Izin melewati SLA (belum diputus)",
        name_en="Open applications past their SLA",
        description="Jumlah permohonan yang belum diputus padahal SLA hari kerjanya sudah lewat; menurut PP 28/2025 izin itu dianggap terbit (fiktif positif). Nilai pada hari ini, tren harian 30 hari.",
        description_en="Undecided applications already past their SLA in working days; under PP 28/2025 such a licence counts as granted. Value today, daily trend over 30 days.",
        measure="level", unit="permohonan", unit_en="applications", direction="lower",
        target=Target(0.0, "PP 28/2025: izin yang melewati SLA dianggap terbit (fiktif positif)"),
        thresholds=Thresholds(green=0.0, amber=5.0),
        sources=("perizinan",),
        query=queries.izin_lewat_sla,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE,
    ),
    Indicator(
        id="izin_usaha_terbit",
        name="Izin usaha terbit",
        name_en="Business licences issued",
        description="Jumlah izin usaha yang terbit sejak 1 Januari, dibanding periode yang sama tahun lalu.",
        description_en="Business licences issued since 1 January, compared with the same period a year before.",
        measure="count", unit="izin", unit_en="licences", judged_on="year_change",
        period=Period("year_to_date"), grain="month",
        target=_GROWTH, thresholds=_GROWTH_BANDS,
        sources=("perizinan",),
        query=queries.izin_usaha_terbit,
        breakdowns=("kode_kecamatan",),
        dimension=_BRAND, element="bisnis",
    ),
    # Complaints (SP4N-LAPOR!): UU 25/2009 and Perpres 76/2013.
    Indicator(
        id="aduan_verifikasi_3hk",
        name="Aduan diverifikasi ≤ 3 hari kerja",
        name_en="Complaints verified within 3 working days",
        description="Persentase aduan SP4N-LAPOR! yang diverifikasi paling lambat 3 hari kerja setelah dilaporkan, dari aduan 30 hari terakhir yang tenggatnya sudah lewat.",
        description_en="Share of SP4N-LAPOR! complaints verified within 3 working days of the report, of those reported in the last 30 days whose deadline has passed.",
        target=Target(100.0, "Perpres 76/2013 dan UU 25/2009: verifikasi paling lambat 3 hari kerja"),
        thresholds=Thresholds(green=100.0, amber=90.0),
        sources=("pengaduan",),
        query=queries.aduan_verifikasi_3hk,
        breakdowns=("kode_opd", "kode_kecamatan"),
        dimension=_GOV, element="pelayanan publik", spbe=(42,),
    ),
    Indicator(
        id="aduan_selesai_60h",
        name="Aduan selesai ≤ 60 hari",
        name_en="Complaints closed within 60 days",
        description="Persentase aduan yang ditutup paling lambat 60 hari setelah dilaporkan, dari aduan yang tenggat 60 harinya jatuh dalam 30 hari terakhir.",
        description_en="Share of complaints closed within 60 days of the report, of those whose 60-day deadline fell in the last 30 days.",
        target=Target(90.0, "Target daerah; penyelesaian paling lambat 60 hari (Perpres 76/2013)"),
        thresholds=Thresholds(green=90.0, amber=75.0),
        sources=("pengaduan",),
        query=queries.aduan_selesai_60h,
        breakdowns=("kode_opd", "kode_kecamatan"),
        dimension=_GOV, element="pelayanan publik", spbe=(42,),
    ),
    Indicator(
        id="aduan_tertunggak",
        name="Aduan tertunggak > 60 hari",
        name_en="Complaints open over 60 days",
        description="Jumlah aduan yang masih terbuka lebih dari 60 hari setelah dilaporkan, per OPD tujuan. Nilai hari ini, tren harian 30 hari.",
        description_en="Complaints still open more than 60 days after the report, by responsible OPD. Value today, daily trend over 30 days.",
        measure="level", unit="aduan", unit_en="complaints", direction="lower",
        target=Target(0.0, "Perpres 76/2013: aduan diselesaikan paling lambat 60 hari"),
        thresholds=Thresholds(green=0.0, amber=10.0),
        sources=("pengaduan",),
        query=queries.aduan_tertunggak,
        breakdowns=("kode_opd", "kode_kecamatan"),
        dimension=_GOV, element="pelayanan publik", spbe=(42,),
    ),
    # Civil registration (Disdukcapil): UU 23/2006 as amended by UU 24/2013.
    Indicator(
        id="lahir_tercatat_60h",
        name="Kelahiran tercatat ≤ 60 hari",
        name_en="Births registered within 60 days",
        description="Persentase kelahiran yang didaftarkan paling lambat 60 hari setelah lahir, dari pendaftaran 30 hari terakhir.",
        description_en="Share of births registered within 60 days of the birth, of registrations in the last 30 days.",
        target=Target(95.0, "Target daerah; batas 60 hari menurut UU 23/2006 jo. UU 24/2013"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("dukcapil",),
        query=queries.lahir_tercatat_60h,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE, wall=True,
    ),
    Indicator(
        id="akta_terbit_median",
        name="Lama terbit akta kelahiran (median)",
        name_en="Median birth-certificate issue time",
        description="Median hari dari pendaftaran kelahiran sampai akta terbit, untuk akta yang terbit 30 hari terakhir.",
        description_en="Median days from birth registration to certificate issue, for certificates issued in the last 30 days.",
        measure="median", unit="hari", unit_en="days", direction="lower",
        target=Target(1.0, "Target daerah; layanan Dukcapil lazimnya selesai di hari yang sama"),
        thresholds=Thresholds(green=1.0, amber=3.0),
        sources=("dukcapil",),
        query=queries.akta_terbit_median,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE,
    ),
    Indicator(
        id="kematian_tercatat_30h",
        name="Kematian tercatat ≤ 30 hari",
        name_en="Deaths registered within 30 days",
        description="Persentase kematian yang didaftarkan paling lambat 30 hari setelah kejadian, dari pendaftaran 30 hari terakhir.",
        description_en="Share of deaths registered within 30 days, of registrations in the last 30 days.",
        target=Target(90.0, "Target daerah; pelaporan kematian lazimnya paling lambat 30 hari"),
        thresholds=Thresholds(green=90.0, amber=80.0),
        sources=("dukcapil",),
        query=queries.kematian_tercatat_30h,
        breakdowns=("kode_kecamatan",),
        dimension=_GOV, element="pelayanan publik", spbe=_SERVICE,
    ),
    # E-attendance (BKPSDM): Perpres 21/2023 working hours, PP 94/2021 discipline.
    Indicator(
        id="absensi_tepat_waktu",
        name="ASN masuk tepat waktu",
        name_en="Staff arriving on time",
        description="Persentase kehadiran hari kerja dengan jam masuk paling lambat 07.30 WIB (08.00 saat Ramadan), 30 hari terakhir sampai kemarin.",
        description_en="Share of working-day check-ins at or before 07.30 WIB (08.00 in Ramadan), last 30 days to yesterday.",
        target=Target(95.0, "Target daerah; jam kerja menurut Perpres 21/2023"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("absensi",),
        period=Period(include_today=False),
        query=queries.absensi_tepat_waktu,
        breakdowns=("kode_opd",),
        dimension=_GOV, element="birokrasi", spbe=(36, 41), wall=True,
    ),
    Indicator(
        id="absensi_kehadiran",
        name="Kehadiran ASN",
        name_en="Staff attendance",
        description="Persentase hari kerja pegawai dengan status hadir atau dinas luar, 30 hari terakhir sampai kemarin.",
        description_en="Share of staff working days present or on duty elsewhere, last 30 days to yesterday.",
        target=Target(98.0, "Target daerah"),
        thresholds=Thresholds(green=98.0, amber=95.0),
        sources=("absensi",),
        period=Period(include_today=False),
        query=queries.absensi_kehadiran,
        breakdowns=("kode_opd",),
        dimension=_GOV, element="birokrasi", spbe=(36, 41),
    ),
    Indicator(
        id="asn_ambang_sanksi",
        name="ASN di ambang sanksi disiplin",
        name_en="Staff at a discipline threshold",
        description="Jumlah pegawai dengan 3 hari kerja atau lebih tanpa keterangan sejak 1 Januari (PP 94/2021: 3 hari teguran lisan, 4-6 teguran tertulis, dst.). Nilai hari ini, tren mingguan.",
        description_en="Staff with 3 or more unexcused working-day absences since 1 January (PP 94/2021: 3 days verbal warning, 4-6 written warning, and so on). Value today, weekly trend.",
        measure="level", unit="pegawai", unit_en="staff", direction="lower",
        period=Period("year_to_date"), grain="week",
        target=Target(0.0, "PP 94/2021 tentang Disiplin PNS"),
        thresholds=Thresholds(green=0.0, amber=15.0),
        sources=("absensi",),
        query=queries.asn_ambang_sanksi,
        breakdowns=("kode_opd", "tahap"),
        dimension=_GOV, element="birokrasi", spbe=(36, 41),
    ),
    # Electronic signature (BSrE/BSSN): no national target.
    Indicator(
        id="tte_porsi",
        name="Dokumen keluar bertanda tangan elektronik",
        name_en="Outgoing documents signed electronically",
        description="Persentase dokumen keluar yang ditandatangani secara elektronik (BSrE), dari dokumen yang dibuat 30 hari terakhir.",
        description_en="Share of outgoing documents signed electronically (BSrE), of documents made in the last 30 days.",
        target=Target(80.0, "Target daerah (tidak ada target nasional)"),
        thresholds=Thresholds(green=80.0, amber=60.0),
        sources=("tte",),
        query=queries.tte_porsi,
        breakdowns=("kode_opd",),
        dimension=_GOV, element="birokrasi", spbe=(37,),
    ),
    Indicator(
        id="tte_gagal",
        name="Tanda tangan elektronik gagal",
        name_en="Failed electronic signatures",
        description="Persentase percobaan tanda tangan elektronik yang gagal atau terhalang sertifikat kedaluwarsa, 30 hari terakhir.",
        description_en="Share of electronic signing attempts that failed or met an expired certificate, last 30 days.",
        direction="lower",
        target=Target(1.0, "Target daerah"),
        thresholds=Thresholds(green=1.0, amber=3.0),
        sources=("tte",),
        query=queries.tte_gagal,
        breakdowns=("kode_opd",),
        dimension=_GOV, element="birokrasi", spbe=(37,),
    ),
    Indicator(
        id="masterplan_realisasi",
        name="Program masterplan selesai",
        name_en="Masterplan programmes done",
        description="Persentase program masterplan smart city berstatus selesai, menurut laporan terakhir (sumber tidak menyimpan riwayat); rincian per dimensi.",
        description_en="Share of smart-city masterplan programmes done, as last reported (the source keeps no history); breakdown by dimension.",
        target=Target(71.0, "Tahapan masterplan: 44 dari 62 program (71%) terlaksana pada evaluasi 2024; sesuaikan dengan rencana tahun berjalan"),
        thresholds=Thresholds(green=71.0, amber=60.0),
        sources=("masterplan",),
        period=Period(n=1),  # the sheet as it stands today
        history=False,
        query=queries.masterplan_realisasi,
        breakdowns=("dimensi", "kode_opd"),
        dimension=_GOV, element="kebijakan publik",
    ),
    # Health (Dinas Kesehatan): monthly reports per Puskesmas.
    Indicator(
        id="imunisasi_lengkap",
        name="Imunisasi dasar lengkap",
        name_en="Complete basic immunisation",
        description="Bayi yang mendapat imunisasi dasar lengkap dibanding sasaran bayi, sejak Januari sampai bulan lalu.",
        description_en="Infants with complete basic immunisation against the infant target, January to last month.",
        measure="ratio",
        period=Period("year_to_month"), grain="month",
        target=Target(95.0, "Target daerah; cakupan imunisasi dasar lengkap (SPM bidang kesehatan)"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("kesehatan",),
        query=queries.imunisasi_lengkap,
        dimension=_LIV, element="kesehatan", spbe=_SERVICE,
    ),
    Indicator(
        id="kunjungan_puskesmas",
        name="Kunjungan Puskesmas per 1.000 penduduk",
        name_en="Puskesmas visits per 1,000 residents",
        description="Kunjungan Puskesmas bulan lalu per 1.000 penduduk (penduduk kabupaten 451.388, Padang Pariaman Dalam Angka 2025); dinilai dari perubahan dibanding bulan yang sama tahun lalu.",
        description_en="Puskesmas visits last month per 1,000 residents (regency population 451,388, Padang Pariaman Dalam Angka 2025); judged on the change on the same month a year before.",
        measure="ratio", scale=1.0, unit="per 1.000 penduduk", unit_en="per 1,000 residents", judged_on="year_change",
        period=Period("months", 1), grain="month",
        params={"penduduk": PENDUDUK},
        target=Target(0.0, "Tren: tidak turun dibanding bulan yang sama tahun lalu (target daerah)"),
        thresholds=_GROWTH_BANDS,
        sources=("kesehatan",),
        query=queries.kunjungan_puskesmas,
        dimension=_LIV, element="kesehatan", spbe=_SERVICE,
    ),
    # Waste (Dinas LHKPP): weighbridge tonnage per TPS and day.
    Indicator(
        id="sampah_terangkut",
        name="Sampah terangkut",
        name_en="Waste collected",
        description="Tonase sampah terangkut dibanding perkiraan timbulan (penduduk × kg per orang per hari), 30 hari terakhir sampai kemarin.",
        description_en="Tonnes of waste collected over estimated generation (residents × kg per person per day), last 30 days to yesterday.",
        measure="ratio",
        period=Period(include_today=False),
        params={"penduduk": PENDUDUK, "kg_per_orang_per_hari": 0.5},
        target=Target(70.0, "Target daerah; timbulan 0,5 kg/orang/hari adalah asumsi awal, ganti dengan hasil kajian timbulan daerah"),
        thresholds=Thresholds(green=70.0, amber=50.0),
        sources=("lingkungan",),
        query=queries.sampah_terangkut,
        dimension=_ENV, element="sampah dan limbah",
    ),
    # Tourism (Disparpora): monthly visitors per destination.
    Indicator(
        id="kunjungan_wisata",
        name="Kunjungan wisatawan",
        name_en="Tourist visits",
        description="Wisatawan nusantara dan mancanegara sejak Januari sampai bulan lalu, dibanding periode yang sama tahun lalu.",
        description_en="Domestic and foreign visitors from January to last month, compared with the same period a year before.",
        measure="sum", unit="wisatawan", unit_en="visitors", judged_on="year_change",
        period=Period("year_to_month"), grain="month",
        target=_GROWTH, thresholds=_GROWTH_BANDS,
        sources=("pariwisata",),
        query=queries.kunjungan_wisata,
        breakdowns=("kode_kecamatan",),
        dimension=_BRAND, element="pariwisata",
    ),
    Indicator(
        id="damkar_respons_15m",
        name="Damkar tiba ≤ 15 menit",
        name_en="Fire brigade on scene within 15 minutes",
        description="Persentase kejadian kebakaran dan penyelamatan yang didatangi paling lambat 15 menit setelah laporan, 30 hari terakhir.",
        description_en="Share of fire and rescue incidents reached within 15 minutes of the report, last 30 days.",
        target=Target(100.0, "Target daerah: tiba di lokasi paling lambat 15 menit setelah laporan"),
        thresholds=Thresholds(green=100.0, amber=80.0),
        sources=("damkar",),
        query=queries.damkar_respons_15m,
        breakdowns=("kode_kecamatan",),
        dimension=_SOC, element="keamanan",
    ),
    Indicator(
        id="spbe_indeks",
        name="Indeks SPBE",
        name_en="SPBE index",
        description="Indeks SPBE penilaian mandiri terakhir yang lengkap (PermenPANRB 59/2020: jumlah bobot × tingkat kematangan); predikat Memuaskan mulai 4,2.",
        description_en="SPBE index of the latest complete self-assessment (PermenPANRB 59/2020: sum of weight × maturity level); rated Memuaskan from 4.2.",
        measure="latest", unit="indeks", unit_en="index",
        period=Period("year_to_date"), grain="year",
        target=Target(4.2, "Predikat Memuaskan (PermenPANRB 59/2020: 4,2-5,0)"),
        thresholds=Thresholds(green=4.2, amber=3.5),
        sources=("spbe",),
        query=queries.spbe_indeks,
        dimension=_GOV, element="birokrasi",
    ),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def depending_on(source: str, catalogue: tuple[Indicator, ...] = INDICATORS) -> tuple[Indicator, ...]:
    """The indicators a load of `source` can change."""
    return tuple(i for i in catalogue if source in i.sources)


@dataclass(frozen=True)
class Override:
    """An operator's change to an indicator's target, thresholds or parameters (configuration [indicators.ID])."""

    target: float | None = None
    target_basis: str | None = None
    green: float | None = None
    amber: float | None = None
    params: Mapping[str, float] = field(default_factory=dict)


def configured(overrides: Mapping[str, Override], catalogue: tuple[Indicator, ...] = INDICATORS) -> tuple[Indicator, ...]:
    """The catalogue with the operator's overrides applied.

    Raises:
        ValueError: an override names an unknown indicator or parameter, or leaves thresholds out of order.
    """
    by_id = {i.id: i for i in catalogue}
    unknown = sorted(set(overrides) - set(by_id))
    if unknown:
        raise ValueError(f"indikator tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(by_id)}")
    out = []
    for indicator in catalogue:
        o = overrides.get(indicator.id)
        if o is None:
            out.append(indicator)
            continue
        extra = sorted(set(o.params) - set(indicator.params))
        if extra:
            raise ValueError(f"{indicator.id}: parameter tidak dikenal: {', '.join(extra)}; yang ada: {', '.join(indicator.params) or 'tidak ada'}")
        target = Target(indicator.target.value if o.target is None else o.target,
                        o.target_basis or (indicator.target.basis if o.target is None else "Target daerah (konfigurasi)"))
        thresholds = Thresholds(indicator.thresholds.green if o.green is None else o.green,
                                indicator.thresholds.amber if o.amber is None else o.amber)
        better = thresholds.green >= thresholds.amber if indicator.direction == "higher" else thresholds.green <= thresholds.amber
        if not better:
            side = "lebih rendah" if indicator.direction == "higher" else "lebih tinggi"
            raise ValueError(f"{indicator.id}: ambang kuning ({thresholds.amber}) harus {side} atau sama dengan ambang hijau ({thresholds.green})")
        out.append(replace(indicator, target=target, thresholds=thresholds, params={**indicator.params, **o.params}))
    return tuple(out)
