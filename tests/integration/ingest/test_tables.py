"""Source tables follow their contracts: made at start, columns added later, a changed type refused."""

import pytest

from ingest.tables import TableMismatch, ensure_tables

pytestmark = pytest.mark.integration


def columns(warehouse, table):
    return dict(warehouse.cursor().execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]).fetchall())


def test_tables_are_made_then_extended_and_a_changed_type_is_refused(warehouse, sources):
    perizinan = sources["perizinan"]
    assert columns(warehouse, "perizinan_permohonan") == {**perizinan.streams["permohonan"].columns(), "_load_id": "VARCHAR", "_origin": "VARCHAR"}
    stream = perizinan.streams["permohonan"]
    grown = stream.model_copy(update={"fields": {**stream.fields, "biaya": stream.fields["sla_hari_kerja"].model_copy(update={"type": "decimal"})}})
    assert ensure_tables(warehouse, {"perizinan": perizinan.model_copy(update={"streams": {"permohonan": grown}})}) == ["perizinan_permohonan"]
    assert columns(warehouse, "perizinan_permohonan")["biaya"] == "DOUBLE"
    changed = stream.model_copy(update={"fields": {**stream.fields, "sla_hari_kerja": stream.fields["sla_hari_kerja"].model_copy(update={"type": "text"})}})
    with pytest.raises(TableMismatch, match="sla_hari_kerja bertipe BIGINT di gudang data, tetapi kontrak menyatakan VARCHAR"):
        ensure_tables(warehouse, {"perizinan": perizinan.model_copy(update={"streams": {"permohonan": changed}})})


def test_a_table_made_before_origins_were_kept_gains_the_column_and_its_old_rows_say_unknown(warehouse, sources):
    cur = warehouse.cursor()
    cur.execute("ALTER TABLE lingkungan_angkutan DROP COLUMN _origin")
    cur.execute("INSERT INTO lingkungan_angkutan (tanggal, kode_tps, kode_kecamatan, tonase, _load_id) VALUES ('2026-11-02', 'T1', '13.05.01', 1.5, 'old')")
    assert ensure_tables(warehouse, {"lingkungan": sources["lingkungan"]}) == ["lingkungan_angkutan"]
    assert columns(warehouse, "lingkungan_angkutan")["_origin"] == "VARCHAR"
    assert cur.execute("SELECT _origin FROM lingkungan_angkutan").fetchall() == [(None,)]
