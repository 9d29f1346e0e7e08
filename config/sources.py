"""A source's configuration: where and how often to read it, and its contract (streams, fields, checks).

Every built-in source ships its contract in `ingest/contracts/NAME.toml`; a `[sources.NAME]` table in the
configuration file overrides its keys, or declares a whole new source of any kind with no code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ByteSize, ConfigDict, Field, field_validator, model_validator

from config.durations import Duration
from config.schedules import Schedule
from config.secrets import password_in_url

FieldType = Literal["text", "int", "decimal", "bool", "date", "time", "instant", "kecamatan", "opd", "choice"]
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Rows read from one dropped file at most, unless the source says otherwise: a CSV parses fast, a workbook slowly
# (about 3 s per 100,000 rows), and no real export of an OPD comes near either.
CSV_MAX_ROWS, XLSX_MAX_ROWS = 1_000_000, 100_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldConfig(_Strict):
    """One canonical column of a stream and where its value comes from."""

    source: str = Field(alias="from", description="Raw column (file header, JSON key, SQL column) the value comes from.")
    type: FieldType = Field("text", description="How the raw text is parsed.")
    required: bool = Field(False, description="A record without a value is rejected.")
    aliases: tuple[str, ...] = Field((), description="Other raw column names accepted for this field (header aliases).")
    format: str | tuple[str, ...] | None = Field(None, description="date, time, instant: strftime format(s) tried in order; an instant without an offset is WIB.")
    choices: tuple[str, ...] = Field((), description="choice: the allowed canonical values.")
    values: dict[str, str] = Field(default_factory=dict, description="Raw values to rewrite before checking, e.g. { \"DL\" = \"dinas luar\" }.")
    minutes_to: str | None = Field(None, description="time: also write minutes after midnight to this column.")
    personal: bool | None = Field(
        None,
        description="Whether the value identifies a person (NIK, NIP, a name, phone, e-mail, address): record views and exports "
        "mask it as a key and leave it out otherwise. Empty: personal when the name looks so (nik, nip, nama*, no_kk, telepon*, hp, email, alamat*).",
    )

    @model_validator(mode="after")
    def _check(self) -> FieldConfig:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice field needs choices")
        if self.minutes_to and self.type != "time":
            raise ValueError("minutes_to is only for time fields")
        return self

    @property
    def formats(self) -> tuple[str, ...]:
        if self.format is None:
            return ()
        return (self.format,) if isinstance(self.format, str) else self.format


# Field names that identify a person unless a contract says `personal = false` (nama_puskesmas, nama_izin: no person).
PERSONAL_NAMES = re.compile(r"^(nik|nip|no_kk|nomor_kk|nama.*|.*_nama|telepon.*|telp.*|hp|no_hp|nomor_hp|.*email.*|alamat.*)$")


def personal_name(name: str) -> bool:
    """Whether a column name looks like a personal identifier (the safety net for fields a contract does not declare)."""
    return bool(PERSONAL_NAMES.match(name))


class CheckConfig(_Strict):
    """A rule across fields, as a SQL boolean over canonical columns; a record for which it is false is rejected."""

    valid: str = Field(description="SQL boolean over canonical columns that holds for a valid record (NULL counts as valid).")
    field: str = Field(description="Raw field named in the reject.")
    reason: str = Field(description="Why such a record cannot be right, in words for the operator.")


class SkipRule(_Strict):
    """Rows that are no records, such as an export's total row: skipped and counted, neither loaded nor rejected."""

    field: str = Field(description="Raw column (as in the header; case, spaces and underscores ignored) or canonical field whose value marks the row.")
    matches: tuple[str, ...] = Field(min_length=1, description="Patterns of the whole trimmed value, case ignored, * for any text: [\"JUMLAH*\", \"TOTAL*\", \"GRAND TOTAL*\"].")


class StreamConfig(_Strict):
    """One kind of record a source offers, loaded into its own warehouse table."""

    table: str = Field(description="Warehouse table, lower_snake.")
    location: str | None = Field(None, description="rest: path under the base URL; sql: table name; file: file-name glob.")
    query: str | None = Field(None, description="sql: a SELECT to read instead of a table.")
    key: tuple[str, ...] = Field(description="Canonical key column(s); records merge on it.")
    version: str | None = Field(None, description="Canonical column whose latest value wins within a batch; omitted: the last read wins.")
    cursor_field: str | None = Field(None, description="rest, sql: raw field that grows with every change; the cursor is its largest value.")
    fields: dict[str, FieldConfig] = Field(description="Canonical column name to field.")
    checks: tuple[CheckConfig, ...] = Field((), description="Rules across fields.")
    skip_rows: tuple[SkipRule, ...] = Field((), description="Rows to skip as no records (a footer or total row), counted as skipped.")

    @model_validator(mode="after")
    def _check(self) -> StreamConfig:
        if not _NAME.match(self.table):
            raise ValueError(f"table '{self.table}' must be lower_snake")
        if self.location is None and self.query is None:
            raise ValueError("give location (or, for sql, query)")
        columns = set(self.columns())
        for name in (*self.key, *([self.version] if self.version else [])):
            if name not in columns:
                raise ValueError(f"'{name}' is not a canonical column; columns: {', '.join(sorted(columns))}")
        for name in self.fields:
            if not _NAME.match(name):
                raise ValueError(f"field name '{name}' must be lower_snake")
        return self

    def columns(self) -> dict[str, str]:
        """Canonical columns and their warehouse types, as the fields produce them."""
        out: dict[str, str] = {}
        for name, f in self.fields.items():
            if f.type == "instant":
                out[f"{name}_utc"] = "TIMESTAMP"
                out[f"{name}_tgl"] = "DATE"
                continue
            out[name] = SQL_TYPES[f.type]
            if f.minutes_to:
                out[f.minutes_to] = "INTEGER"
        return out

    def personal_columns(self) -> frozenset[str]:
        """The canonical columns that identify a person: a field declared `personal`, or undeclared with a personal-looking name."""
        out: set[str] = set()
        for name, f in self.fields.items():
            if f.personal if f.personal is not None else personal_name(name):
                out |= {f"{name}_utc", f"{name}_tgl"} if f.type == "instant" else {name, *([f.minutes_to] if f.minutes_to else [])}
        return frozenset(out)


SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR", "int": "BIGINT", "decimal": "DOUBLE", "bool": "BOOLEAN", "date": "DATE", "time": "TIME",
    "kecamatan": "VARCHAR", "opd": "VARCHAR", "choice": "VARCHAR",
}


# What a presensi derivation reads from the streams it names: canonical column -> type (the contract's fields make them).
PRESENSI_READS: dict[str, dict[str, str]] = {
    "punches": {"nip": "VARCHAR", "waktu_utc": "TIMESTAMP", "waktu_tgl": "DATE", "inout": "VARCHAR"},
    "roster": {"nip": "VARCHAR", "nama": "VARCHAR", "kode_opd": "VARCHAR", "mulai": "DATE", "selesai": "DATE"},
    "leave": {"nip": "VARCHAR", "mulai": "DATE", "selesai": "DATE", "jenis": "VARCHAR"},
}
# The daily attendance record a presensi derivation writes: the columns of a daily-summary stream.
PRESENSI_WRITES: dict[str, str] = {
    "nip": "VARCHAR", "nama": "VARCHAR", "kode_opd": "VARCHAR", "tanggal": "DATE", "jam_masuk": "TIME", "masuk_menit": "INTEGER",
    "jam_pulang": "TIME", "status": "VARCHAR", "jam_kerja": "DOUBLE",
}


class DeriveConfig(_Strict):
    """A table derived in SQL from the source's streams during its load (today one kind: daily attendance from punches)."""

    kind: Literal["presensi"] = Field("presensi", description="presensi: the daily attendance record from raw check-ins, a staff list and leave records.")
    table: str = Field(description="Warehouse table written, lower_snake; it may be a stream's table of the same columns (a daily-summary stream).")
    punches: str = Field(description="presensi: stream of raw check-ins (columns nip, waktu_utc, waktu_tgl, inout).")
    roster: str = Field(description="presensi: stream of the staff list (nip, nama, kode_opd, mulai, selesai): who is expected at work, in which OPD.")
    leave: str = Field(description="presensi: stream of leave records (nip, mulai, selesai, jenis: sakit, cuti, izin, dinas luar).")
    gap_minutes: int = Field(
        60, ge=0, le=720, description="presensi: a punch the machine did not mark in or out is the check-out only when more than this many minutes after the check-in."
    )
    day_over: dt.time = Field(dt.time(18, 0), description="presensi: WIB time after which a working day without punch or leave is unexcused absence (alpa); earlier days are over.")

    @property
    def key(self) -> tuple[str, ...]:
        return ("nip", "tanggal")

    @property
    def version(self) -> None:
        return None  # one derived row per key: nothing to choose between

    def columns(self) -> dict[str, str]:
        """The derived table's columns and their warehouse types."""
        return dict(PRESENSI_WRITES)

    def personal_columns(self) -> frozenset[str]:
        """The derived columns that identify a person, by name (the staff number and name)."""
        return frozenset(c for c in self.columns() if personal_name(c))

    def reads(self) -> dict[str, str]:
        """Role (punches, roster, leave) -> the stream read for it."""
        return {"punches": self.punches, "roster": self.roster, "leave": self.leave}


class SourceConfig(_Strict):
    """One OPD system: its connector kind and connection, schedule, freshness policy and contract."""

    kind: Literal["rest", "sql", "file"] = Field(description="Connector kind: rest, sql or file.")
    opd: str = Field(description="Code of the OPD that runs the system (see region/opd.py).")
    system: str = Field("", description="What the system is, in a few words.")
    enabled: bool = Field(True, description="Whether the source is scheduled and shown.")
    schedule: Schedule = Field("5m", description="Interval of at least 10s (30s, 5m, 1h) or a five-field cron line in WIB ('*/5 7-17 * * mon-fri').")
    fresh_within: Duration = Field(dt.timedelta(minutes=15), description="A successful read within this age is fresh.")
    stale_after: Duration = Field(dt.timedelta(hours=2), description="With no successful read for this long, the source is stale (in between: late).")
    lookback: Duration = Field(
        dt.timedelta(minutes=10),
        description="rest, sql: each read starts this long before the saved cursor, to catch records that arrive late; re-read records merge unchanged.",
    )
    revision_window: Duration | None = Field(
        None,
        description="How long after a day or month ends the source may still revise what it delivered for it (\"45d\"); "
        "until then its figures show as provisional. Empty: it never revises.",
    )
    streams: dict[str, StreamConfig] = Field(description="The source's streams, [sources.NAME.streams.STREAM].")
    derive: dict[str, DeriveConfig] = Field(
        default_factory=dict, description="Tables derived in SQL from the streams during each load, [sources.NAME.derive.NAME] (see Raw attendance punches)."
    )
    rejects_kept: int = Field(
        1000, ge=0, description="Rejected records kept in `rejects` per stream and load, the first read; the rest are counted in the load's reconciliation but not kept."
    )
    # rest
    url: str | None = Field(None, description="rest: base URL of the API; empty: the embedded simulator.")
    pagination: Literal["page_number", "next_link"] = Field("page_number", description="rest: page_number (page parameter, total pages in the body) or next_link (follow a URL in the body).")
    records_path: str = Field("data", description="rest: dotted path of the list of records in a page.")
    total_pages_path: str = Field("meta.total_pages", description="rest, page_number: dotted path of the number of pages.")
    next_link_path: str = Field("links.next", description="rest, next_link: dotted path of the next page's URL (null on the last page).")
    page_param: str = Field("page", description="rest, page_number: name of the page parameter.")
    size_param: str = Field("per_page", description="rest: name of the page-size parameter.")
    page_size: int = Field(500, ge=1, le=10000, description="rest: records asked for per page.")
    cursor_param: str = Field("updated_since", description="rest: parameter that takes the cursor (an ISO 8601 instant).")
    auth: Literal["none", "bearer", "api_key"] = Field("none", description="rest: none, bearer (Authorization: Bearer) or api_key (a header).")
    api_key_header: str = Field("X-API-Key", description="rest, api_key: the header carrying the key.")
    token_env: str | None = Field(None, description="rest: environment variable holding the bearer token or API key; required with a url and an auth other than none.")
    timeout: Duration = Field(dt.timedelta(seconds=15), description="rest: time limit of one HTTP request.")
    retries: int = Field(4, ge=1, le=10, description="rest: attempts per request on refusal, timeout, 429 and 5xx, with exponential backoff and jitter.")
    max_page_bytes: ByteSize = Field(
        ByteSize(64_000_000), ge=1, description="rest: largest page body read, in bytes or as \"16MB\"; a larger one fails the load before it fills memory."
    )
    max_pages: int = Field(
        100_000, ge=1, description="rest: most pages one load follows; a system that never says \"last page\" fails the load instead of looping."
    )
    # sql
    database_url: str | None = Field(None, description="sql: SQLAlchemy URL without a password; empty: the embedded simulator.")
    database_url_env: str | None = Field(None, description="sql: environment variable holding the SQLAlchemy URL (use this when it has a password).")
    query_timeout: Duration = Field(
        dt.timedelta(minutes=5), description="sql: how long the database may take to connect (at most 10 s) and to answer each fetch of rows; "
        "a database that stops answering fails the load then instead of holding it for ever."
    )
    # file
    folder: str | None = Field(None, description="file: folder where files are dropped; empty: the embedded simulator.")
    format: Literal["csv", "xlsx"] = Field("csv", description="file: csv or xlsx.")
    encoding: Literal["auto", "utf-8", "utf-8-sig", "cp1252"] = Field("auto", description="file, csv: auto tries UTF-8 (with or without BOM), then Windows-1252.")
    delimiter: str = Field(";", description="file, csv: field delimiter.")
    number_format: Literal["auto", "id", "plain"] = Field(
        "auto",
        description="How numbers are written: id (1.234,5: thousands dot, decimal comma), plain (1234.5), or auto (id for file sources, plain for rest and sql).",
    )
    sheet: str | None = Field(None, description="file, xlsx: sheet name (default: the first sheet).")
    max_file_bytes: ByteSize = Field(
        ByteSize(100_000_000), ge=1, description="file: largest file read, in bytes or as \"50MB\"; a larger one fails the load and is set aside in gagal/ unread."
    )
    max_rows: int | None = Field(
        None, ge=1, description=f"file: most rows read from one file (empty: {CSV_MAX_ROWS:,} for csv, {XLSX_MAX_ROWS:,} for xlsx); a longer one fails the load and is set aside in gagal/."
    )
    max_unzipped_bytes: ByteSize = Field(
        ByteSize(200_000_000), ge=1, description="file, xlsx: largest total size of a workbook's parts once unpacked, so that a small file cannot unpack to gigabytes."
    )

    @field_validator("database_url")
    @classmethod
    def _no_password(cls, url: str | None) -> str | None:
        # A configuration file is shared, copied and kept in version control; a password belongs in the environment.
        if url and (where := password_in_url(url)):
            raise ValueError(f"contains a password ({where}); put the URL in an environment variable and name it in database_url_env")
        return url

    @model_validator(mode="after")
    def _check(self) -> SourceConfig:
        if self.fresh_within >= self.stale_after:
            raise ValueError("fresh_within must be shorter than stale_after")
        if not self.streams:
            raise ValueError("a source needs at least one stream")
        for name, stream in self.streams.items():
            if self.kind in ("rest", "sql") and not stream.cursor_field:
                raise ValueError(f"streams.{name}: a {self.kind} stream needs cursor_field")
            if stream.query and self.kind != "sql":
                raise ValueError(f"streams.{name}: query is only for sql sources")
        if self.kind == "rest" and self.url and self.auth != "none" and not self.token_env:
            raise ValueError(f"auth {self.auth} needs token_env: the environment variable that holds the token")
        tables = [s.table for s in self.streams.values()]
        if len(set(tables)) != len(tables):
            raise ValueError("two streams write the same table")
        for name, derived in self.derive.items():
            self._check_derived(name, derived)
        return self

    def _check_derived(self, name: str, derived: DeriveConfig) -> None:
        if not _NAME.match(derived.table):
            raise ValueError(f"derive.{name}: table '{derived.table}' must be lower_snake")
        for role, stream_name in derived.reads().items():
            stream = self.streams.get(stream_name)
            if stream is None:
                raise ValueError(f"derive.{name}.{role}: no stream '{stream_name}'; streams: {', '.join(self.streams)}")
            have = stream.columns()
            wrong = [f"{c} {t}" for c, t in PRESENSI_READS[role].items() if have.get(c) != t]
            if wrong:
                raise ValueError(f"derive.{name}.{role}: stream '{stream_name}' lacks the columns {', '.join(wrong)}")
            if stream.table == derived.table:
                raise ValueError(f"derive.{name}: table '{derived.table}' is the table of the stream it reads ({stream_name})")
        # A daily-summary stream may share the table (either format loads into it), if its columns are the same.
        for stream_name, stream in self.streams.items():
            if stream.table == derived.table and (stream.columns() != derived.columns() or stream.key != derived.key):
                raise ValueError(f"derive.{name}: table '{derived.table}' is also written by stream '{stream_name}' with other columns or another key")

    def personal_columns(self, table: str) -> frozenset[str]:
        """The columns of `table` (written by a stream or a derivation of this source) that identify a person."""
        out: frozenset[str] = frozenset()
        for stream in [*self.streams.values(), *self.derive.values()]:
            if stream.table == table:
                out |= stream.personal_columns()
        return out

    def table_key(self, table: str) -> tuple[str, ...] | None:
        """The key of `table` as this source writes it (None: not its table)."""
        return next((s.key for s in [*self.streams.values(), *self.derive.values()] if s.table == table), None)

    @property
    def indonesian_numbers(self) -> bool:
        """Whether numbers are read as 1.234,5 (files kept by people) rather than 1234.5 (machine values)."""
        return self.number_format == "id" or (self.number_format == "auto" and self.kind == "file")

    @property
    def row_limit(self) -> int:
        """Rows read from one dropped file at most: `max_rows`, or the format's default."""
        return self.max_rows or (XLSX_MAX_ROWS if self.format == "xlsx" else CSV_MAX_ROWS)

    @property
    def simulated(self) -> bool:
        """True when no connection is configured, so the embedded simulator provides this source."""
        return {"rest": self.url, "sql": self.database_url or self.database_url_env, "file": self.folder}[self.kind] is None

    def unset_secret_env(self, env: Mapping[str, str]) -> str | None:
        """The environment variable that should hold this source's token or database URL but is unset or empty;
        None when the source lacks nothing (the embedded simulator gives its own)."""
        if self.simulated:
            return None
        if self.kind == "rest" and self.auth != "none" and not env.get(self.token_env or ""):
            return self.token_env
        if self.kind == "sql" and not self.database_url and not env.get(self.database_url_env or ""):
            return self.database_url_env
        return None
