"""The catalogue gathers every domain module's indicators once, in a fixed order, addressable by id and by source."""

import importlib
import pkgutil
from dataclasses import replace

import pytest

import metrics.indicators
from metrics import catalogue
from metrics.catalogue import BY_ID, INDICATORS, depending_on

# Screens, the API and exports list indicators in this order.
ORDER = (
    "izin_tepat_waktu", "izin_durasi_median", "izin_daring", "izin_lewat_sla", "izin_usaha_terbit",
    "aduan_verifikasi_3hk", "aduan_selesai_60h", "aduan_tertunggak",
    "lahir_tercatat_60h", "akta_terbit_median", "kematian_tercatat_30h",
    "absensi_tepat_waktu", "absensi_kehadiran", "asn_ambang_sanksi", "tte_porsi", "tte_gagal",
    "masterplan_realisasi", "imunisasi_lengkap", "kunjungan_puskesmas", "sampah_terangkut", "kunjungan_wisata",
    "damkar_respons_15m", "pembayaran_nontunai", "pad_realisasi", "spbe_indeks",
)


def domain_modules():
    """Every module of metrics.indicators that declares indicators."""
    modules = [importlib.import_module(f"metrics.indicators.{m.name}") for m in pkgutil.iter_modules(metrics.indicators.__path__)]
    return [m for m in modules if hasattr(m, "INDICATORS")]


def test_every_domain_module_is_in_the_catalogue():
    domains = domain_modules()
    assert len(domains) == 11
    for module in domains:
        assert module.INDICATORS, module.__name__
        assert all(i in INDICATORS for i in module.INDICATORS), module.__name__
    assert sorted(i.id for m in domains for i in m.INDICATORS) == sorted(i.id for i in INDICATORS)


def test_the_order_is_stable():
    assert tuple(i.id for i in INDICATORS) == ORDER


def test_each_query_sits_in_its_domain_module():
    for module in domain_modules():
        for indicator in module.INDICATORS:
            assert indicator.query.__module__ == module.__name__, indicator.id


def test_ids_are_unique_and_by_id_finds_each():
    assert len({i.id for i in INDICATORS}) == len(INDICATORS) == len(BY_ID)
    assert all(BY_ID[i.id] is i for i in INDICATORS)
    with pytest.raises(KeyError):
        BY_ID["tidak_ada"]


def test_a_duplicate_id_is_refused():
    twice = (*INDICATORS, replace(INDICATORS[0], name="Salinan"))
    with pytest.raises(ValueError, match="izin_tepat_waktu"):
        catalogue._unique_by_id(twice)


@pytest.mark.parametrize("source", sorted({s for i in INDICATORS for s in i.sources}))
def test_depending_on_matches_the_declared_sources(source):
    declared = tuple(i for i in INDICATORS if source in i.sources)
    assert declared and depending_on(source) == declared
    subset = INDICATORS[::2]
    assert depending_on(source, subset) == tuple(i for i in subset if source in i.sources)


def test_depending_on_an_unknown_source_is_nothing():
    assert depending_on("tidak_ada") == ()


# Targets the reference gives no number for are the region's own; these cite a regulation or a published figure.
REFERENCED = {
    "aduan_verifikasi_3hk": "Perpres 76/2013", "aduan_tertunggak": "Perpres 76/2013", "izin_lewat_sla": "PP 28/2025",
    "masterplan_realisasi": "44 dari 62 program", "spbe_indeks": "PermenPANRB",
}


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.id)
def test_every_target_cites_its_basis(indicator):
    basis = indicator.target.basis
    if indicator.id in REFERENCED:
        assert REFERENCED[indicator.id] in basis
    else:
        assert basis.startswith("Target daerah (konfigurasi)")


def test_a_declared_short_name_is_shorter_than_the_name_it_stands_for():
    for indicator in BY_ID.values():
        for short, name in ((indicator.short, indicator.name), (indicator.short_en, indicator.name_en)):
            assert not short or len(short) < len(name), (indicator.id, short)
