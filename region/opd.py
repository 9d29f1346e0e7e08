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


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace(".", " ").split())


# Names seen in OPD systems besides the code, common name and full name.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "DISKOMINFO": ("Kominfo", "Dinas Kominfo", "Dinas Komunikasi, Informatika dan Statistik"),
    "DISDUKCAPIL": ("Dukcapil", "Dinas Dukcapil"),
    "DPMPTSP": ("DPM-PTSP", "DPMPTSP Kab. Padang Pariaman"),
    "DINKES": ("Dinkes",),
    "PUPR": ("DPUPR", "Dinas Pekerjaan Umum"),
    "LHKPP": ("DLH", "Dinas Lingkungan Hidup", "DLHKPP"),
    "SATPOLPP_DAMKAR": ("Satpol PP", "Damkar", "Satpol PP Damkar"),
    "SETDA": ("Sekretariat Daerah", "Sekda"),
}


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for o in OPDS:
        for name in (o.kode, o.nama, o.nama_lengkap, *_VARIANTS.get(o.kode, ())):
            table[_key(name)] = o.kode
    return table


_LOOKUP = _lookup()


def normalise_opd(value: str | None) -> str | None:
    """OPD code for a code, a name or a known variant (case and punctuation ignored); None when unknown."""
    return None if value is None else _LOOKUP.get(_key(value))


def opd_name(code: str) -> str:
    """The common name of an OPD code, as screens show it; the code itself when unknown."""
    opd = OPD_BY_CODE.get(code)
    return opd.nama if opd else code
