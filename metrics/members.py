"""The members an indicator is broken down or filtered by, named: codes stay codes, names are for display.

An OPD code reads as the agency's common name (the configured agencies included once the process has started), a
kecamatan code as the kecamatan's name, and the other breakdowns (payment channel, tax, sanction step, smart-city
dimension) in words in Bahasa Indonesia and English. A code nobody names reads as itself.
"""

from __future__ import annotations

from functools import cache

from metrics.indicators.aparatur import CONSECUTIVE_STEP, SANCTION_STEPS
from metrics.indicators.pendapatan import JENIS_PAJAK, KANAL
from metrics.smartcity.overview import DIMENSIONS
from region.kecamatan import all_kecamatan
from region.opd import opd_name

# The sanction steps of PP 94/2021 as the `tahap` breakdown gives them, in English.
_STEPS_EN = {
    "teguran lisan": "verbal reprimand", "teguran tertulis": "written reprimand",
    "pernyataan tidak puas": "written statement of dissatisfaction", "pemotongan tunjangan": "allowance cut",
    "penurunan jabatan": "demotion", "pembebasan jabatan": "release from position", "pemberhentian": "dismissal",
    CONSECUTIVE_STEP: "dismissal (10 consecutive working days)",
}

# Taxes and levies in English; their Indonesian short names are the source's (metrics.indicators.pendapatan).
_JENIS_EN = {
    "pbb_p2": "Land and building tax (PBB-P2)", "bphtb": "Land title transfer duty (BPHTB)", "pbjt_tenaga_listrik": "Electricity tax",
    "pbjt_makanan_minuman": "Food and drink tax", "pbjt_perhotelan": "Hotel tax", "pbjt_parkir": "Parking tax",
    "pbjt_hiburan": "Entertainment tax", "reklame": "Advertising tax", "air_tanah": "Groundwater tax", "mblb": "Non-metal minerals tax",
    "retribusi_pasar": "Market levy", "retribusi_parkir": "Parking levy", "retribusi_persampahan": "Waste levy",
    "retribusi_pbg": "Building approval levy", "retribusi_rekreasi": "Recreation levy",
}


@cache
def _kecamatan() -> dict[str, str]:
    return {k.kode: k.nama for k in all_kecamatan()}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def member_name(column: str, code: str, lang: str = "id") -> str:
    """The display name of `code` of the breakdown `column` in `lang` ("id" or "en"); the code when unknown."""
    if column == "kode_opd":
        return opd_name(code)
    if column == "kode_kecamatan":
        return _kecamatan().get(code, code)
    if column == "kanal" and code in KANAL:
        return KANAL[code]["en" if lang == "en" else "id"]
    if column == "jenis_pajak":
        return _JENIS_EN.get(code, code) if lang == "en" else JENIS_PAJAK.get(code, code)
    if column == "tahap" and code in _STEPS_EN:
        return _capital(_STEPS_EN[code] if lang == "en" else code)
    return code


def known_members(column: str) -> tuple[str, ...]:
    """The codes a breakdown may take whether or not the data has them yet (empty when only the data tells)."""
    if column == "kode_kecamatan":
        return tuple(_kecamatan())
    if column == "kanal":
        return tuple(KANAL)
    if column == "jenis_pajak":
        return tuple(JENIS_PAJAK)
    if column == "tahap":
        return (*(name for _, name in SANCTION_STEPS), CONSECUTIVE_STEP)
    if column == "dimensi":
        return tuple(name for _, name in DIMENSIONS)
    return ()
