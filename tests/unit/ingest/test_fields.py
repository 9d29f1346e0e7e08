"""Field mapping in SQL: Indonesian formats parse, bad values are marked with the raw field and the reason."""

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from config import load_config
from config.sources import StreamConfig
from ingest.connectors.base import ROW, with_origin
from ingest.fields import SchemaDrift, parse, registered, resolve_columns

ABSENSI = load_config(env={}).sources["absensi"].streams["harian"]


def stream(**fields) -> StreamConfig:
    """A one-off stream keyed on the first column its first field produces."""
    name, first = next(iter(fields.items()))
    key = f"{name}_utc" if first.get("type") == "instant" else name
    return StreamConfig.model_validate({"table": "t", "location": "x", "key": [key], "fields": fields})


def run(columns: dict[str, list], spec: StreamConfig, indonesian: bool = False):
    table = with_origin(pa.table({c: pa.array(v, pa.string()) for c, v in columns.items()}), "f.csv baris ", 2)
    table = table.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
    db = duckdb.connect()
    with registered(db, table):
        result = parse(db, table, spec, indonesian)
    good = db.execute(f"SELECT {', '.join(spec.columns())} FROM pantau_parsed WHERE _bad_field IS NULL ORDER BY _row").fetchall()
    bad = db.execute("SELECT 'f.csv baris ' || (_row + 2), _bad_field, _reason FROM pantau_parsed WHERE _bad_field IS NOT NULL ORDER BY _row").fetchall()
    db.close()
    return result, good, bad


def test_instants_become_utc_with_their_wib_date():
    values = ["2025-01-01T23:30:00+07:00", "2025-01-01 23:30:00", "2025-01-01T17:30:00Z"]
    _, good, _ = run({"t": values}, stream(x={"from": "t", "type": "instant"}))
    # 23:30 WIB is 16:30 UTC on the same WIB day; 17:30Z is 00:30 WIB on the next day.
    assert good == [
        (dt.datetime(2025, 1, 1, 16, 30), dt.date(2025, 1, 1)),
        (dt.datetime(2025, 1, 1, 16, 30), dt.date(2025, 1, 1)),
        (dt.datetime(2025, 1, 1, 17, 30), dt.date(2025, 1, 2)),
    ]
    _, custom, _ = run({"t": ["01-01-2025 23:30"]}, stream(x={"from": "t", "type": "instant", "format": "%d-%m-%Y %H:%M"}))
    assert custom == [(dt.datetime(2025, 1, 1, 16, 30), dt.date(2025, 1, 1))]


def test_indonesian_attendance_values():
    columns = {"nip": ["1", "2"], "nama": ["A", "B"], "kode_opd": ["BKPSDM", "Dinas Kesehatan"], "tanggal": ["27/11/2026", "02-01-2025"],
               "jam_masuk": ["07:31", ""], "jam_pulang": ["16:05", ""], "status": ["hadir", "Cuti"], "jam_kerja": ["8,57", ""]}
    result, good, bad = run(columns, ABSENSI, indonesian=True)
    assert bad == [] and result.rows == 2
    first, second = (dict(zip(ABSENSI.columns(), row, strict=True)) for row in good)
    assert first["tanggal"] == dt.date(2026, 11, 27) and first["jam_masuk"] == dt.time(7, 31) and first["masuk_menit"] == 451
    assert first["jam_kerja"] == pytest.approx(8.57)
    assert second["status"] == "cuti" and second["kode_opd"] == "DINKES" and second["tanggal"] == dt.date(2025, 1, 2)


@pytest.mark.parametrize(
    "indonesian, text, expected",
    [(True, "1.234,5", 1234.5), (True, "250.000", 250000.0), (True, "12", 12.0), (False, "1234.5", 1234.5), (False, "8,25", 8.25)],
)
def test_number_formats(indonesian, text, expected):
    _, good, _ = run({"v": [text]}, stream(v={"from": "v", "type": "decimal"}), indonesian)
    assert good == [(expected,)]


def test_header_aliases_value_aliases_and_booleans():
    chosen, extra = resolve_columns(["NIP", "Nama Pegawai", "x"], stream(nip={"from": "nip"}, nama={"from": "nama", "aliases": ["nama_pegawai"]}).fields)
    assert chosen == {"nip": "NIP", "nama": "Nama Pegawai"} and extra == ["x"]
    spec = stream(s={"from": "s", "type": "choice", "choices": ["dinas luar", "alpa"], "values": {"DL": "dinas luar", "TK": "alpa"}}, b={"from": "b", "type": "bool"})
    _, good, _ = run({"s": ["dl", "TK"], "b": ["Ya", "0"]}, spec)
    assert good == [("dinas luar", True), ("alpa", False)]


def test_bad_values_are_marked_with_origin_field_and_reason():
    columns = {"nip": ["1", "2", ""], "nama": ["A"] * 3, "kode_opd": ["BKPSDM", "Dinas Rahasia", "BKPSDM"], "tanggal": ["31/02/2026", "01/03/2026", "01/03/2026"],
               "jam_masuk": ["07:00"] * 3, "jam_pulang": [""] * 3, "status": ["hadir"] * 3, "jam_kerja": [""] * 3}
    result, good, bad = run(columns, ABSENSI)
    assert good == [] and result.rejected == 3
    assert bad == [
        ("f.csv baris 2", "tanggal", "bukan tanggal %d/%m/%Y atau %d-%m-%Y: '31/02/2026'"),
        ("f.csv baris 3", "kode_opd", "OPD tidak dikenal: 'Dinas Rahasia'"),
        ("f.csv baris 4", "nip", "wajib diisi tetapi kosong"),
    ]


def test_kecamatan_spelling_variants_and_unknown_names():
    _, good, bad = run({"k": ["Lubuak Alung", "1306100", "Atlantis"]}, stream(kode_kecamatan={"from": "k", "type": "kecamatan", "required": True}))
    assert good == [("13.05.01",), ("13.05.09",)]
    assert [b[2] for b in bad] == ["kecamatan tidak dikenal: 'Atlantis'"]


def test_missing_required_column_is_schema_drift_and_extra_columns_are_reported():
    with pytest.raises(SchemaDrift, match="tanggal"):
        run({"nip": ["1"], "kode_opd": ["BKPSDM"], "status": ["hadir"]}, ABSENSI)
    result, good, _ = run({"nip": ["1"], "kode_opd": ["BKPSDM"], "tanggal": ["01/03/2026"], "status": ["izin"], "lokasi": ["x"]}, ABSENSI)
    assert result.extra_columns == ("lokasi",) and len(good) == 1


def test_values_rewrite_every_type_kecamatan_and_opd_included():
    spec = stream(
        nomor={"from": "n", "required": True, "values": {"-": ""}},
        kode_kecamatan={"from": "k", "type": "kecamatan", "values": {"Kec. 2x11 Kayu Tanam": "2x11 Kayu Tanam", "Kab. Padang Pariaman": "13.05.01"}},
        kode_opd={"from": "o", "type": "opd", "values": {"Kantor Perhubungan": "DISHUB", "Dishubkominfo": "Dinas Perhubungan"}},
        jumlah={"from": "j", "type": "int", "values": {"nihil": "0"}},
    )
    columns = {"n": ["1", "2", "3", "-"], "k": ["kec. 2X11 kayu tanam", "Kab. Padang Pariaman", "Kec. Antah", "Lubuk Alung"],
               "o": ["KANTOR PERHUBUNGAN", " Dishubkominfo ", "Dinas Rahasia", "DPMPTSP"], "j": ["Nihil", "5", "x", "1"]}
    result, good, bad = run(columns, spec)
    assert good == [("1", "13.05.15", "DISHUB", 0), ("2", "13.05.01", "DISHUB", 5)]
    # A reject quotes the value as the source wrote it; a value rewritten to "" is empty.
    assert bad == [("f.csv baris 4", "k", "kecamatan tidak dikenal: 'Kec. Antah'"), ("f.csv baris 5", "n", "wajib diisi tetapi kosong")]
    assert result.rows == 4 and result.rejected == 2


def test_rows_a_skip_rule_marks_are_counted_apart_and_their_column_is_not_extra():
    spec = StreamConfig.model_validate({
        "table": "t", "location": "x", "key": ["nomor"], "fields": {"nomor": {"from": "Nomor", "required": True}, "jumlah": {"from": "Jumlah", "type": "int"}},
        "skip_rows": [{"field": "no", "matches": ["JUMLAH*", "grand total"]}, {"field": "nomor", "matches": ["TOTAL*"]}],
    })
    columns = {"No": ["1", "2", "Jumlah :", "Grand Total", "grand total x", ""], "Nomor": ["A", "B", "", "", "C", "Total (Rp)"], "Jumlah": ["1", "2", "3", "3", "4", "3"]}
    result, good, bad = run(columns, spec)
    assert (result.rows, result.skipped, result.rejected, result.extra_columns) == (3, 3, 0, ())
    assert good == [("A", 1), ("B", 2), ("C", 4)] and bad == []
