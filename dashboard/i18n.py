"""Interface text, Bahasa Indonesia first, English available; look-ups by key.

Text shared by several screens lives here; a page keeps its own text in its module (see `translator`).
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("id", "en")  # Bahasa Indonesia first

TEXT: dict[str, dict[str, str]] = {
    "simulated": {"id": "DATA SIMULASI", "en": "SIMULATED DATA"},
    "target": {"id": "Target", "en": "Target"},
    "no_data": {"id": "Belum ada data", "en": "No data yet"},
    "status_green": {"id": "Tercapai", "en": "On target"},
    "status_amber": {"id": "Perlu perhatian", "en": "Needs attention"},
    "status_red": {"id": "Di bawah target", "en": "Below target"},
    "status_no_data": {"id": "Tanpa data", "en": "No data"},
    "fresh_fresh": {"id": "Sumber terkini", "en": "Source current"},
    "fresh_late": {"id": "Sumber terlambat", "en": "Source late"},
    "fresh_stale": {"id": "Sumber basi", "en": "Source stale"},
    "fresh_failing": {"id": "Sumber gagal", "en": "Source failing"},
    "fresh_never": {"id": "Sumber belum termuat", "en": "Source not loaded yet"},
    "vs_previous": {"id": "poin dari {days} hari sebelumnya", "en": "points on the previous {days} days"},
    "vs_previous_period": {"id": "dari periode sebelumnya", "en": "on the previous period"},
    "vs_year_before": {"id": "dari periode sama tahun lalu", "en": "on the same period a year before"},
    "vs_previous_assessment": {"id": "dari penilaian sebelumnya", "en": "on the previous assessment"},
    "assessment": {"id": "Penilaian", "en": "Assessment"},
    "provisional": {"id": "{span} sementara", "en": "{span} provisional"},
    "target_growth": {"id": "Target: tumbuh dari tahun lalu", "en": "Target: growth on a year before"},
    "source": {"id": "Sumber", "en": "Source"},
    "spbe_index": {"id": "Indeks SPBE", "en": "SPBE index"},
    "no_assessment": {"id": "Belum ada penilaian mandiri yang lengkap", "en": "No complete self-assessment yet"},
    "map_credit": {
        "id": "Batas administrasi: BIG, via cahyadsn/wilayah_boundaries (MIT); kode wilayah Kepmendagri 300.2.2-2138/2025. Batas indikatif, bukan batas hukum.",
        "en": "Administrative boundaries: BIG, via cahyadsn/wilayah_boundaries (MIT); area codes Kepmendagri 300.2.2-2138/2025. Indicative, not legal boundaries.",
    },
    "alerts_none": {"id": "Tidak ada yang perlu ditindak saat ini", "en": "Nothing needs action now"},
    "alerts_more": {"id": "+{n} lainnya", "en": "+{n} more"},
    # The warehouse watch's faults (warehouse/watch.py), first in the alert strip and never cut short: loads stop until they clear.
    "warehouse_missing": {"id": "Gudang data hilang: pemuatan dihentikan", "en": "Warehouse file gone: loads stopped"},
    "warehouse_replaced": {"id": "Berkas gudang data diganti: pemuatan dihentikan", "en": "Warehouse file replaced: loads stopped"},
    "warehouse_unwritable": {"id": "Gudang data tak dapat ditulis: pemuatan dihentikan", "en": "Warehouse not writable: loads stopped"},
    "warehouse_disk_full": {"id": "Disk gudang data hampir penuh ({free} MB): pemuatan dihentikan", "en": "Warehouse disk almost full ({free} MB): loads stopped"},
    "warehouse_unusable": {"id": "Gudang data tidak menjawab: pemuatan dihentikan", "en": "Warehouse not answering: loads stopped"},
    "not_recomputed": {"id": "Nilai belum diperbarui: {names}", "en": "Values not updated: {names}"},
    "wall_playlist": {"id": "Dinding (playlist layar 1)", "en": "Wall (screen 1 playlist)"},
    "wall_setup": {"id": "dengan navigasi untuk menyiapkan layar", "en": "with navigation, for setting a screen up"},
    "paparan": {"id": "Paparan untuk panel penilai (snapshot, PDF, PPTX, paket data)", "en": "Presentations for review panels (snapshots, PDF, PPTX, data pack)"},
    "home_intro": {
        "id": "Dasbor command center: indikator layanan publik dan SPBE dari sistem OPD.",
        "en": "Command-center dashboard: public-service and SPBE indicators from agency systems.",
    },
}


def t(key: str, lang: str = "id", **values: object) -> str:
    """The text for `key` in `lang` (Indonesian when the language is unknown), with {placeholders} filled."""
    entry = TEXT[key]
    return entry.get(lang, entry["id"]).format(**values)


def translator(own: dict[str, dict[str, str]]) -> Callable[..., str]:
    """A `t` for one page: its own text first, then the shared text above."""

    def lookup(key: str, lang: str = "id", **values: object) -> str:
        entry = own.get(key) or TEXT[key]
        return entry.get(lang, entry["id"]).format(**values)

    return lookup


def paired(own: dict[str, tuple[str, str]]) -> Callable[..., str]:
    """A `translator` for a module that keeps its text as (Indonesian, English) pairs."""
    return translator({key: dict(zip(LANGUAGES, words, strict=True)) for key, words in own.items()})


def language(requested: str | None) -> str:
    """The language to show for a requested one (?lang=): English when asked for, else Bahasa Indonesia."""
    return requested if requested in LANGUAGES else LANGUAGES[0]
