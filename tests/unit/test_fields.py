"""Field mapping: Indonesian formats parse, bad values become rejects naming row, field and reason."""

import pandas as pd
import pytest

from ingest.fields import Check, Field, SchemaDrift, normalise
from ingest.sources import ABSENSI


def _raw(**columns):
    frame = pd.DataFrame(columns, dtype="string")
    frame["_origin"] = [f"f.csv baris {i + 2}" for i in range(len(frame))]
    return frame


def test_instants_become_utc_with_their_wib_date():
    raw = _raw(t=["2025-01-01T23:30:00+07:00", "2025-01-01 23:30:00", "2025-01-01T17:30:00Z"])
    rows = normalise(raw, (Field("x", "t", "instant"),), (), ("x_utc",)).rows
    # 23:30 WIB is 16:30 UTC on the same WIB day; 17:30Z is 00:30 WIB on the next day.
    assert rows["x_utc"].astype(str).tolist() == ["2025-01-01 16:30:00", "2025-01-01 16:30:00", "2025-01-01 17:30:00"]
    assert rows["x_tgl"].tolist() == ["2025-01-01", "2025-01-01", "2025-01-02"]


def test_indonesian_csv_values():
    raw = _raw(
        nip=["1", "2"], nama=["A", "B"], kode_opd=["BKPSDM", "DPMD"], tanggal=["27/11/2026", "02/01/2025"],
        jam_masuk=["07:31", ""], jam_pulang=["16:05", ""], status=["hadir", "Cuti"], jam_kerja=["8,57", ""],
    )
    result = normalise(raw, ABSENSI.fields, ABSENSI.checks, ABSENSI.key)
    assert result.rejects.empty
    first, second = result.rows.to_dict("records")
    assert first["tanggal"] == "2026-11-27" and first["jam_masuk"] == "07:31:00" and first["masuk_menit"] == 451
    assert first["jam_kerja"] == pytest.approx(8.57)
    assert second["status"] == "cuti" and pd.isna(second["jam_masuk"])


def test_thousands_dot_and_decimal_comma():
    rows = normalise(_raw(v=["1.234,5", "12,0", "7"]), (Field("v", "v", "decimal"),), (), ("v",)).rows
    assert rows["v"].tolist() == [1234.5, 12.0, 7.0]


def test_bad_values_are_rejected_with_origin_field_and_reason():
    raw = _raw(
        nip=["1", "2", "3", "4"], nama=["A"] * 4, kode_opd=["X"] * 4,
        tanggal=["31/02/2026", "01/03/2026", "01/03/2026", "01/03/2026"],
        jam_masuk=["07:00", "7.61", "", "08:00"], jam_pulang=["", "", "", "07:00"],
        status=["hadir", "hadir", "hadir", "hadir"], jam_kerja=["", "", "", ""],
    )
    result = normalise(raw, ABSENSI.fields, ABSENSI.checks, ABSENSI.key)
    assert result.rows.empty
    got = result.rejects[["origin", "field", "reason"]].values.tolist()
    assert got[0] == ["f.csv baris 2", "tanggal", "bukan tanggal %d/%m/%Y: '31/02/2026'"]
    assert got[1][1:] == ["jam_masuk", "bukan jam %H:%M: '7.61'"]
    assert got[2][1:] == ["jam_masuk", "hadir tanpa jam masuk"]
    assert got[3][1:] == ["jam_pulang", "jam pulang sebelum jam masuk"]
    assert '"tanggal": "31/02/2026"' in result.rejects["raw"][0]


def test_unknown_kecamatan_and_spelling_variants():
    raw = _raw(k=["Lubuak Alung", "1306100", "Atlantis"])
    result = normalise(raw, (Field("kode_kecamatan", "k", "kecamatan", required=True),), (), ("kode_kecamatan",))
    assert result.rows["kode_kecamatan"].tolist() == ["13.05.01", "13.05.09"]
    assert result.rejects["reason"].tolist() == ["kecamatan tidak dikenal: 'Atlantis'"]


def test_missing_required_value_and_cross_field_check():
    raw = _raw(a=["", "5", "1"], b=["1", "3", "2"])
    fields = (Field("a", "a", "int", required=True), Field("b", "b", "int"))
    checks = (Check("b", "b harus lebih dari a", lambda r: r.b <= r.a),)
    result = normalise(raw, fields, checks, ("a",))
    assert result.rows["a"].tolist() == [1]
    assert result.rejects["reason"].tolist() == ["wajib diisi tetapi kosong", "b harus lebih dari a"]


def test_missing_required_column_is_schema_drift():
    with pytest.raises(SchemaDrift, match="tanggal"):
        normalise(_raw(nip=["1"], kode_opd=["X"], status=["hadir"]), ABSENSI.fields, ABSENSI.checks, ABSENSI.key)
