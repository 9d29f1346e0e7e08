"""Regional agencies (OPD) whose systems the command center reads. Kept as data: regulations rename them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OPD:
    """One agency: a stable short code, its common name and its full name."""

    kode: str
    nama: str
    nama_lengkap: str


OPDS: tuple[OPD, ...] = (
    OPD("DISKOMINFO", "Diskominfo", "Dinas Komunikasi dan Informatika"),
    OPD("DISDUKCAPIL", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    OPD("DPMPTSP", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    OPD("BKPSDM", "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    OPD("BAPPERLITBANGDA", "Bapperlitbangda", "Badan Perencanaan, Penelitian dan Pengembangan Daerah"),
    OPD("INSPEKTORAT", "Inspektorat", "Inspektorat Daerah"),
    OPD("BPKD", "BPKD", "Badan Pengelolaan Keuangan Daerah"),
    OPD("DINKES", "Dinas Kesehatan", "Dinas Kesehatan"),
    OPD("RSUD", "RSUD", "Rumah Sakit Umum Daerah"),
    OPD("PUPR", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    OPD("LHKPP", "Dinas LHKPP", "Dinas Lingkungan Hidup, Kebersihan, Pertamanan dan Pertanahan"),
    OPD("SATPOLPP_DAMKAR", "Satpol PP dan Damkar", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran"),
    OPD("DISPARPORA", "Disparpora", "Dinas Pariwisata, Pemuda dan Olahraga"),
    OPD("DPMD", "DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    OPD("DISTANKP", "Distankp", "Dinas Pertanian, Tanaman Pangan dan Ketahanan Pangan"),
    OPD("SETDA", "Setda", "Sekretariat Daerah"),
)

OPD_BY_CODE: dict[str, OPD] = {o.kode: o for o in OPDS}
