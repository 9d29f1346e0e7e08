"""Breakdown members read as names in both languages, codes stay codes; and the members known without the data."""

import pytest

from metrics.indicators.pendapatan import JENIS_PAJAK, KANAL
from metrics.members import known_members, member_name
from region.kecamatan import all_kecamatan
from region.opd import BUILTIN, OPD, current, use


def test_kecamatan_and_opd_codes_read_as_their_names():
    first = all_kecamatan()[0]
    assert member_name("kode_kecamatan", first.kode) == first.nama == member_name("kode_kecamatan", first.kode, "en")
    assert member_name("kode_opd", "DISKOMINFO") == "Diskominfo"


def test_a_configured_opd_is_named_once_the_process_knows_it():
    before = current()
    try:
        use(BUILTIN.with_added({"DISPERKIMTAN": OPD("DISPERKIMTAN", "Disperkimtan", "Dinas Perumahan, Kawasan Permukiman dan Pertanahan")}))
        assert member_name("kode_opd", "DISPERKIMTAN") == "Disperkimtan"
    finally:
        use(before)
    assert member_name("kode_opd", "DISPERKIMTAN") == "DISPERKIMTAN"


@pytest.mark.parametrize(("column", "code", "words_id", "words_en"), [
    ("kanal", "tunai", "Tunai di loket", "Cash at the counter"),
    ("jenis_pajak", "retribusi_pasar", "Ret. Pasar", "Market levy"),
    ("tahap", "teguran lisan", "Teguran lisan", "Verbal reprimand"),
    ("tahap", "pemberhentian (10 hari kerja berturut-turut)", "Pemberhentian (10 hari kerja berturut-turut)", "Dismissal (10 consecutive working days)"),
    ("dimensi", "Smart Living", "Smart Living", "Smart Living"),
])
def test_other_breakdowns_read_in_words_in_both_languages(column, code, words_id, words_en):
    assert (member_name(column, code, "id"), member_name(column, code, "en")) == (words_id, words_en)


def test_an_unknown_code_reads_as_itself():
    assert member_name("kanal", "merpati_pos") == "merpati_pos" and member_name("kode_kecamatan", "99.99") == "99.99"


def test_known_members():
    assert len(known_members("kode_kecamatan")) == 17 and set(known_members("kanal")) == set(KANAL)
    assert set(known_members("jenis_pajak")) == set(JENIS_PAJAK) and len(known_members("dimensi")) == 6
    assert known_members("tahap")[0] == "teguran lisan" and known_members("kode_opd") == ()
    assert all(member_name("jenis_pajak", code, "en") != code for code in JENIS_PAJAK)
