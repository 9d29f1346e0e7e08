"""Every OPD source Pantau knows, declared in one place: what it is, where its rows go, how its fields map.

Where a source is read from (URL, database, folder) and how often is configuration (config.SourceConfig).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.fields import Check, Field

ABSENSI_STATUS = ("hadir", "izin", "sakit", "cuti", "dinas luar", "alpa")


@dataclass(frozen=True)
class SourceSpec:
    """What one OPD source is.

    Attributes:
        name: the source id used in configuration, the run log and indicators.
        opd: the agency that runs the system.
        system: what the system is, in a few words.
        kind: connector kind that reads it: rest, sql or file.
        table: canonical warehouse table.
        key: primary-key columns of the canonical table; records merge on it.
        version: canonical column whose latest value wins among versions of one record in a batch
            (None: the last one read wins).
        fields: raw-to-canonical mapping.
        checks: rules across fields; violating records are rejected.
        location: rest: path under the base URL; sql: table name; file: file-name pattern.
        cursor_field: source field that grows with every change (rest, sql); the cursor is its largest value.
        cursor_param: rest: query parameter that takes the cursor.
        csv_delimiter: file: field delimiter.
    """

    name: str
    opd: str
    system: str
    kind: str
    table: str
    key: tuple[str, ...]
    version: str | None
    fields: tuple[Field, ...]
    checks: tuple[Check, ...] = ()
    location: str = ""
    cursor_field: str | None = None
    cursor_param: str = "updated_since"
    csv_delimiter: str = ";"


PERIZINAN = SourceSpec(
    name="perizinan",
    opd="DPMPTSP",
    system="Perizinan daring",
    kind="rest",
    table="perizinan_permohonan",
    key=("id",),
    version="diperbarui_utc",
    location="permohonan",
    cursor_field="diperbarui_pada",
    fields=(
        Field("id", "id", required=True),
        Field("jenis", "jenis", "choice", required=True, choices=("usaha", "non_usaha")),
        Field("nama_izin", "nama_izin", required=True),
        Field("kanal", "kanal", "choice", required=True, choices=("daring", "luring")),
        Field("kode_kecamatan", "kode_kecamatan", "kecamatan", required=True),
        Field("diajukan", "diajukan_pada", "instant", required=True),
        Field("diputuskan", "diputuskan_pada", "instant"),
        Field("status", "status", "choice", required=True, choices=("diproses", "terbit", "ditolak")),
        Field("sla_hari_kerja", "sla_hari_kerja", "int", required=True),
        Field("diperbarui", "diperbarui_pada", "instant", required=True),
    ),
    checks=(
        Check("diputuskan_pada", "keputusan sebelum pengajuan", lambda r: r.diputuskan_utc < r.diajukan_utc),
        Check("status", "status diproses tetapi sudah diputuskan", lambda r: (r.status == "diproses") & r.diputuskan_utc.notna()),
        Check("diputuskan_pada", "status final tanpa waktu keputusan", lambda r: (r.status != "diproses") & r.diputuskan_utc.isna()),
        Check("sla_hari_kerja", "SLA harus lebih dari 0 hari kerja", lambda r: r.sla_hari_kerja <= 0),
    ),
)

DUKCAPIL = SourceSpec(
    name="dukcapil",
    opd="DISDUKCAPIL",
    system="Database pencatatan sipil (kelahiran)",
    kind="sql",
    table="dukcapil_kelahiran",
    key=("id",),
    version="diperbarui_utc",
    location="kelahiran",
    cursor_field="diperbarui_pada",
    fields=(
        Field("id", "id", required=True),
        Field("tanggal_lahir", "tanggal_lahir", "date", required=True, fmt="%Y-%m-%d"),
        Field("daftar", "tanggal_daftar", "instant", required=True),
        Field("akta_terbit", "tanggal_terbit_akta", "instant"),
        Field("kode_kecamatan", "kode_kecamatan", "kecamatan", required=True),
        Field("kanal", "kanal", "choice", required=True, choices=("loket", "daring", "jemput_bola")),
        Field("diperbarui", "diperbarui_pada", "instant", required=True),
    ),
    checks=(
        Check("tanggal_daftar", "pendaftaran sebelum kelahiran", lambda r: r.daftar_tgl < r.tanggal_lahir),
        Check("tanggal_terbit_akta", "akta terbit sebelum pendaftaran", lambda r: r.akta_terbit_utc < r.daftar_utc),
    ),
)

ABSENSI = SourceSpec(
    name="absensi",
    opd="BKPSDM",
    system="Mesin absensi elektronik (ekspor CSV harian)",
    kind="file",
    table="absensi_harian",
    key=("nip", "tanggal"),
    version=None,
    location="absensi_*.csv",
    fields=(
        Field("nip", "nip", required=True),
        Field("nama", "nama"),
        Field("kode_opd", "kode_opd", required=True),
        Field("tanggal", "tanggal", "date", required=True, fmt="%d/%m/%Y"),
        Field("jam_masuk", "jam_masuk", "time", fmt="%H:%M", minutes_to="masuk_menit"),
        Field("jam_pulang", "jam_pulang", "time", fmt="%H:%M"),
        Field("status", "status", "choice", required=True, choices=ABSENSI_STATUS),
        Field("jam_kerja", "jam_kerja", "decimal"),
    ),
    checks=(
        Check("jam_masuk", "hadir tanpa jam masuk", lambda r: (r.status == "hadir") & r.jam_masuk.isna()),
        Check("jam_pulang", "jam pulang sebelum jam masuk", lambda r: r.jam_pulang < r.jam_masuk),
    ),
)

SOURCES: dict[str, SourceSpec] = {s.name: s for s in (PERIZINAN, DUKCAPIL, ABSENSI)}
