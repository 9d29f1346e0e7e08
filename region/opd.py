"""Regional agencies (OPD) of the regency, with the names their systems write. Kept as data: regulations rename them.

Two lists. `OPDS` are the agencies whose systems the command center reads (region reference, "names as seen
recently"); the simulated OPD systems draw from them. `OTHER_OPDS` are the regency's other agencies, which
records still name: a complaint's target OPD, a staff member's unit, a programme's lead.

Where `OTHER_OPDS` comes from. No copy of the regency's own organisation regulation (the Perda on the formation
and structure of the Perangkat Daerah of Kabupaten Padang Pariaman, and the Perbup on their positions) could be
found to check against; searches turned up only neighbouring regions' Perda and news items naming single
agencies. The list is therefore UNVERIFIED: it holds the agencies a regency forms for the affairs UU 23/2014
(Pasal 12) makes mandatory for every regency and for the optional affairs of a coastal farming regency, plus the
supporting bodies every regency has (disaster management, national unity, DPRD secretariat), under
the names West Sumatran regencies commonly give them. Where the regency merges or names them differently, an
operator adds or renames an agency in configuration (`[opd.KODE]`, see README) without code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class OPD:
    """One agency: a stable short code, its common name, its full name, and other names seen in OPD systems."""

    kode: str
    nama: str
    nama_lengkap: str
    variants: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.kode, self.nama, self.nama_lengkap, *self.variants)


OPDS: tuple[OPD, ...] = (
    OPD("DISKOMINFO", "Diskominfo", "Dinas Komunikasi dan Informatika", ("Kominfo", "Dinas Kominfo", "Dinas Komunikasi, Informatika dan Statistik")),
    OPD("DISDUKCAPIL", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", ("Dukcapil", "Dinas Dukcapil")),
    OPD("DPMPTSP", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ("DPM-PTSP", "DPMPTSP Kab. Padang Pariaman")),
    OPD("BKPSDM", "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    OPD("BAPPERLITBANGDA", "Bapperlitbangda", "Badan Perencanaan, Penelitian dan Pengembangan Daerah"),
    OPD("INSPEKTORAT", "Inspektorat", "Inspektorat Daerah"),
    # Regional revenue is kept within BPKD: the regency has no separate Bapenda (see ingest/contracts/pendapatan.toml).
    OPD("BPKD", "BPKD", "Badan Pengelolaan Keuangan Daerah", ("Bapenda", "Badan Pendapatan Daerah", "Badan Keuangan Daerah")),
    OPD("DINKES", "Dinas Kesehatan", "Dinas Kesehatan", ("Dinkes",)),
    OPD("RSUD", "RSUD", "Rumah Sakit Umum Daerah"),
    OPD("PUPR", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", ("DPUPR", "Dinas Pekerjaan Umum")),
    OPD("LHKPP", "Dinas LHKPP", "Dinas Lingkungan Hidup, Kebersihan, Pertamanan dan Pertanahan", ("DLH", "Dinas Lingkungan Hidup", "DLHKPP")),
    OPD("SATPOLPP_DAMKAR", "Satpol PP dan Damkar", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", ("Satpol PP", "Damkar", "Satpol PP Damkar")),
    OPD("DISPARPORA", "Disparpora", "Dinas Pariwisata, Pemuda dan Olahraga"),
    OPD("DPMD", "DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    OPD("DISTANKP", "Distankp", "Dinas Pertanian, Tanaman Pangan dan Ketahanan Pangan"),
    OPD("SETDA", "Setda", "Sekretariat Daerah", ("Sekda",)),
)

# Unverified (see the module's docstring): by the affairs of UU 23/2014, in its order.
OTHER_OPDS: tuple[OPD, ...] = (
    OPD("DISDIKBUD", "Dinas Pendidikan", "Dinas Pendidikan dan Kebudayaan", ("Disdik", "Disdikbud", "Dinas Pendidikan dan Kebudayaan Kab. Padang Pariaman")),
    OPD("DISPERKIM", "Dinas Perkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman", ("Disperkim", "Dinas Perumahan dan Kawasan Permukiman")),
    OPD("DINSOS", "Dinas Sosial", "Dinas Sosial", ("Dinsos",)),
    OPD("DISNAKER", "Disnaker", "Dinas Tenaga Kerja", ("Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans", "Dinas Tenaga Kerja dan Perindustrian")),
    OPD(
        "DP3AP2KB", "DP3AP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Dinas PPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana"),
    ),
    OPD("DISHUB", "Dinas Perhubungan", "Dinas Perhubungan", ("Dishub",)),
    OPD(
        "DISKOPERINDAG", "Diskoperindag", "Dinas Koperasi, Usaha Kecil dan Menengah, Perindustrian dan Perdagangan",
        ("Dinas Koperasi dan UKM", "Dinas Koperasi, UKM dan Perdagangan", "Dinas Perdagangan", "Diskopukm", "Disperindag"),
    ),
    OPD("DISPUSIP", "Dispusip", "Dinas Perpustakaan dan Kearsipan", ("Dinas Perpustakaan", "Dinas Kearsipan dan Perpustakaan")),
    OPD("DKP", "Dinas Kelautan dan Perikanan", "Dinas Kelautan dan Perikanan", ("DKP", "Diskanla", "Dinas Perikanan")),
    OPD("BPBD", "BPBD", "Badan Penanggulangan Bencana Daerah"),
    OPD("KESBANGPOL", "Kesbangpol", "Badan Kesatuan Bangsa dan Politik", ("Kesbangpol Kab. Padang Pariaman",)),
    OPD("SETWAN", "Sekretariat DPRD", "Sekretariat Dewan Perwakilan Rakyat Daerah", ("Setwan", "Sekretariat DPRD")),
)


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace(".", " ").split())


class Directory:
    """The agencies names are recognised against, by code; built once, read for every distinct value in a batch.

    Raises:
        ValueError: when one name would stand for two agencies.
    """

    def __init__(self, opds: Iterable[OPD]) -> None:
        self.by_code: dict[str, OPD] = {}
        for opd in opds:
            self.by_code[opd.kode] = opd
        self._lookup: dict[str, str] = {}
        for opd in self.by_code.values():
            for name in opd.names():
                owner = self._lookup.setdefault(_key(name), opd.kode)
                if owner != opd.kode:
                    raise ValueError(f"nama '{name}' dipakai untuk dua OPD: {owner} dan {opd.kode}")

    def with_added(self, added: Mapping[str, OPD]) -> Directory:
        """This directory with agencies added or renamed; a renamed agency is still recognised by its former names."""
        merged = dict(self.by_code)
        for code, opd in added.items():
            old = merged.get(code)
            if old is not None:
                earlier = tuple(n for n in old.names() if _key(n) not in {_key(m) for m in opd.names()})
                opd = replace(opd, variants=(*opd.variants, *earlier))
            merged[code] = opd
        return Directory(merged.values())

    def normalise(self, value: str | None) -> str | None:
        """OPD code for a code, a name or a known variant (case and punctuation ignored); None when unknown."""
        return None if value is None else self._lookup.get(_key(value))

    def name(self, code: str) -> str:
        """The common name of an OPD code, as screens show it; the code itself when unknown."""
        opd = self.by_code.get(code)
        return opd.nama if opd else code


BUILTIN = Directory((*OPDS, *OTHER_OPDS))
# The built-in agencies, by code (an operator's additions are in `current()`).
OPD_BY_CODE: dict[str, OPD] = BUILTIN.by_code
_current = BUILTIN


def use(directory: Directory) -> None:
    """Make `directory` (the built-in agencies and the configured ones) the one this process recognises names by.

    Set once at start from the configuration, as the working-day calendar is; every reader then agrees on it.
    """
    global _current
    _current = directory


def current() -> Directory:
    """The directory in force: the built-in agencies, and the configured ones once the process has started."""
    return _current


def normalise_opd(value: str | None) -> str | None:
    """OPD code for a code, a name or a known variant (case and punctuation ignored); None when unknown."""
    return _current.normalise(value)


def opd_name(code: str) -> str:
    """The common name of an OPD code, as screens show it; the code itself when unknown."""
    return _current.name(code)
