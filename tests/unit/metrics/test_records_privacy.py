"""Personal data in contracts and the one masking policy, in Python and in the engine."""

from __future__ import annotations

import ibis

from config import load_config
from config.sources import FieldConfig, StreamConfig, personal_name
from metrics.privacy import MASK, link_token, mask_text, mask_value, treatment


def test_personal_fields_are_declared_and_a_personal_looking_name_is_personal_unless_said_otherwise():
    for name in ("nik", "nip", "nama", "nama_pelapor", "no_kk", "telepon", "hp", "email", "alamat_rumah"):
        assert personal_name(name), name
    for name in ("kode_opd", "status", "kanal", "id", "tanggal"):
        assert not personal_name(name), name
    stream = StreamConfig(table="t", location="x", key=("nik",), fields={
        "nik": FieldConfig(**{"from": "NIK"}), "nama_puskesmas": FieldConfig(**{"from": "p", "personal": False}),
        "catatan": FieldConfig(**{"from": "c", "personal": True}), "jenis": FieldConfig(**{"from": "j"}),
    })
    assert stream.personal_columns() == {"nik", "catatan"}


def test_the_contracts_declare_every_staff_number_and_name_personal():
    sources = load_config(env={}).sources
    absensi = sources["absensi"]
    for stream in absensi.streams.values():
        assert "nip" in stream.personal_columns()
    assert absensi.personal_columns("absensi_harian") == {"nip", "nama"} and absensi.personal_columns("absensi_pegawai") == {"nip", "nama"}
    assert not sources["kesehatan"].personal_columns("kesehatan_kunjungan")  # nama_puskesmas names no person
    assert not sources["perizinan"].personal_columns("perizinan_permohonan")


def test_masking_keeps_the_last_four_in_python_and_in_the_engine():
    assert mask_text("199001012020121002") == MASK * 14 + "1002" and mask_text("1234") == MASK * 4 and mask_text(None) is None
    con = ibis.duckdb.connect()
    for text in ("199001012020121002", "12345", "123", ""):
        assert con.to_pyarrow(mask_value(ibis.literal(text))).as_py() == mask_text(text)
    assert treatment(True, True) == "mask" and treatment(True, False) == "omit" and treatment(False, True) == "show"
    assert treatment(True, True, personal_visible=True) == treatment(True, False, personal_visible=True) == "show"


def test_a_link_reference_is_the_engines_own():
    con = ibis.duckdb.connect().con
    from metrics.privacy import token_sql

    sql, salt = token_sql("?", "?")
    assert con.execute(f"SELECT {sql}", [salt, "absensi", "1002|2026-11-02"]).fetchone()[0] == link_token("absensi", "1002|2026-11-02")
