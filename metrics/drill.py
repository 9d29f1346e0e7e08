"""A drill made concrete: the indicator's query rows for a bucket and member, as the view of records shows them.

The rows are the indicator's query (portable Ibis) read over the question's whole span, as metrics.compute.buckets
reads it (a query judges "today" by its span's end), then kept to the bucket's days and the member; a stock keeps the
items open on the bucket's last day, a latest reading the day of the reading valid then. Each row says whether it
counts (`dihitung`: a share's good rows, a ratio's rows with a numerator) and, hidden, its raw key and key columns
to find its source record, and whether it is an estimate rather than a record. The expression is compiled to SQL
once; metrics.records pages, sorts, searches and joins over it in the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import ibis
import ibis.expr.datatypes as dtypes
import pyarrow as pa
from ibis.expr import operations as ops

from metrics.compute import LATEST_LOOKBACK, bucket_end, bucket_start, today_wib
from metrics.indicators.shapes import IDENTITY, KEY, KEY_PREFIX, LOAD, ORIGIN, TABLE, key_text
from metrics.privacy import mask_value, treatment
from metrics.question import BadQuestion, Drill, Question, filtered
from region.kecamatan import all_kecamatan
from region.opd import current as opd_directory

if TYPE_CHECKING:
    from metrics.service import MetricsService

Kind = Literal["text", "date", "datetime", "integer", "number", "bool"]
ESTIMATE = "_perkiraan"
UNKNOWN_ORIGIN = "tidak diketahui (dimuat sebelum asal dicatat)"
NAMES = {"kode_opd": "nama_opd", "kode_kecamatan": "nama_kecamatan"}
MEASURED = ("nilai", "num", "den")
LABELS: dict[str, tuple[str, str]] = {
    "tanggal": ("Tanggal dihitung", "Counted on"),
    "dihitung": ("Dihitung", "Counts"),
    "nilai": ("Nilai", "Value"),
    "num": ("Pembilang", "Numerator"),
    "den": ("Penyebut", "Denominator"),
    "kode_opd": ("Kode OPD", "OPD code"),
    "nama_opd": ("OPD", "OPD"),
    "kode_kecamatan": ("Kode kecamatan", "Kecamatan code"),
    "nama_kecamatan": ("Kecamatan", "Kecamatan"),
    "tahap": ("Tahap sanksi", "Discipline step"),
    "dimensi": ("Dimensi", "Dimension"),
    "jenis_pajak": ("Jenis pajak", "Tax type"),
    "kanal": ("Kanal", "Channel"),
    "kunci": ("Kunci rekaman", "Record key"),
    "sumber": ("Sumber", "Source"),
    "muatan": ("Pemuatan", "Load"),
    "dimuat": ("Dimuat (WIB)", "Loaded (WIB)"),
    "asal": ("Asal", "Origin"),
    "penolakan": ("Penolakan", "Rejects"),
    "penolakan_tautan": ("Tautan penolakan", "Rejects link"),
}


@dataclass(frozen=True)
class Column:
    """A column of a record view: its name in rows, labels, kind of value, and whether its values are masked."""

    name: str
    label_id: str
    label_en: str
    kind: Kind = "text"
    masked: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "label_id": self.label_id, "label_en": self.label_en, "kind": self.kind, "masked": self.masked}


@dataclass(frozen=True)
class Prepared:
    """A drill's records compiled: the base view's SQL and what is needed to page, join and summarise over it.

    Attributes:
        sql: the base view (shown columns, then hidden `_kunci`, `_k_<c>` and `_perkiraan`).
        memtables: the in-memory tables the view reads (a framework's weights), by the name the SQL gives them.
        columns: the base view's shown columns; wide: the columns once the source record's other columns, its load
            time and its rejects are joined.
    """

    sql: str
    memtables: tuple[tuple[str, pa.Table], ...]
    measure: str
    days: tuple[dt.date, dt.date]
    counts_on: dt.date | None
    table: str | None
    source: str
    key_columns: tuple[str, ...]
    source_columns: tuple[str, ...]
    key_masked: bool
    columns: tuple[Column, ...]
    wide: tuple[Column, ...]

    @property
    def records(self) -> bool:
        """Whether the rows are source records (they carry an identity)."""
        return self.table is not None

    @property
    def per_person(self) -> bool:
        return self.records and not self.key_columns


def label(name: str) -> tuple[str, str]:
    return LABELS.get(name) or (name.replace("_", " ").capitalize(),) * 2


def kind_of(dtype: dtypes.DataType) -> Kind:
    if dtype.is_date():
        return "date"
    if dtype.is_timestamp():
        return "datetime"
    if dtype.is_integer():
        return "integer"
    if dtype.is_floating() or dtype.is_decimal():
        return "number"
    if dtype.is_boolean():
        return "bool"
    return "text"


def table_of(rows: ibis.Table) -> str | None:
    """The source table the records come from: the one table the query reads besides the working-day calendar."""
    if TABLE not in rows.columns:
        return None
    tables = sorted({node.name for node in rows.op().find(ops.DatabaseTable)} - {"kalender_kerja"})
    return tables[0] if len(tables) == 1 else None


def _as_of(metrics: MetricsService, q: Question) -> dt.datetime:
    return q.as_of.astimezone(dt.UTC).replace(tzinfo=None) if q.as_of is not None else metrics.now()


def _days(q: Question, drill: Drill, grain, span) -> tuple[dt.date, dt.date]:
    if drill.periode is None:
        return span
    first = bucket_start(drill.periode, grain, span[0])
    low, high = max(first, span[0]), min(bucket_end(first, grain), span[1])
    if low > high:
        raise BadQuestion("titik", f"{drill.periode} di luar periode {span[0]}–{span[1]}")
    return low, high


def prepare(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool, con: ibis.BaseBackend) -> Prepared:
    """The drill's records compiled for `con`; nothing runs except finding a latest reading's day.

    Raises:
        UnknownIndicator: the question's indicator is not served.
        BadQuestion: a bucket outside the period, a member without a breakdown.
    """
    indicator = filtered(metrics.indicator(q.indicator), q.filters)
    span = q.span(indicator, today_wib(_as_of(metrics, q)))
    low, high = _days(q, drill, q.grain_for(indicator), span)
    if drill.member is not None and q.by is None:
        raise BadQuestion("anggota", "perlu 'rinci' yang menyebut rincian anggota itu")
    measure = indicator.measure
    query_start = span[0] - LATEST_LOOKBACK if measure == "latest" and drill.periode is None else span[0]
    rows = indicator.query(con, query_start, span[1], **indicator.params)
    if drill.member is not None:
        rows = rows.filter(rows[q.by].cast("string") == drill.member)
    counts_on = None
    if measure == "level":  # a stock: the items open on the bucket's last day
        counts_on = high
        rows = rows.filter(rows.tanggal == high)
    elif measure == "latest":  # the reading valid at the bucket's end: its most recent day
        found = con.to_pyarrow(rows.filter(rows.tanggal.between(query_start if drill.periode is None else low, high)).tanggal.max()).as_py()
        counts_on = found.date() if isinstance(found, dt.datetime) else found
        rows = rows.filter(rows.tanggal == counts_on) if counts_on else rows.filter(ibis.literal(False))
    else:
        rows = rows.filter(rows.tanggal.between(low, high))
    table = table_of(rows)
    source = metrics.source_of(table, indicator) if table else indicator.sources[0]
    key_columns = tuple(c[len(KEY_PREFIX):] for c in rows.columns if c.startswith(KEY_PREFIX))
    personal: frozenset[str] = frozenset()
    source_columns: tuple[str, ...] = ()
    schema = None
    if table:
        schema = con.table(table).schema()
        personal = metrics.personal_columns(table, schema.names)
        if key_columns:  # a row per person has no single record to join
            taken = set(rows.columns) | set(NAMES.values())
            source_columns = tuple(
                c for c in schema.names
                if c not in (LOAD, ORIGIN, *key_columns, *taken) and treatment(c in personal, False, personal_visible) == "show"
            )
    if key_columns:
        key_masked = any(treatment(c in personal, True, personal_visible) == "mask" for c in key_columns)
    else:
        key_masked = bool(personal) and not personal_visible
    view, names = _view(rows, measure, source, key_columns, personal, key_masked, personal_visible)
    columns = []
    for n in names:
        columns.append(Column(n, *label(n), kind_of(view[n].type()), masked=(n == "kunci" and key_masked)))
        if n in NAMES:
            columns.append(Column(NAMES[n], *label(NAMES[n])))
    columns = tuple(columns)
    wide = list(columns)
    if source_columns:
        at = next((i for i, c in enumerate(wide) if c.name == "kunci"), len(wide))
        wide[at:at] = [Column(c, *label(c), kind_of(schema[c])) for c in source_columns]
    if table:
        wide += [Column("dimuat", *label("dimuat"), "datetime"), Column("penolakan", *label("penolakan"), "integer")]
    memtables = tuple((m.name, m.data.to_pyarrow(m.schema)) for m in view.op().find(ops.InMemoryTable))
    return Prepared(
        sql=_with_names(con.compile(view), [c.name for c in columns], view.columns), memtables=memtables, measure=measure, days=(low, high), counts_on=counts_on, table=table,
        source=source, key_columns=key_columns, source_columns=source_columns, key_masked=key_masked, columns=columns, wide=tuple(wide),
    )


def _view(rows: ibis.Table, measure: str, source: str, key_columns: tuple[str, ...], personal: frozenset[str], key_masked: bool,
          personal_visible: bool) -> tuple[ibis.Table, list[str]]:
    """The rows as shown (personal keys masked, names beside codes), then the hidden columns; and the shown names."""
    if measure == "share":
        counts = rows.good
    elif measure == "ratio":
        counts = rows.num.notnull() & (rows.num != 0)
    else:
        counts = ibis.literal(True)
    shown: dict[str, ibis.Value] = {"tanggal": rows.tanggal, "dihitung": counts}
    shown.update({m: rows[m] for m in MEASURED if m in rows.columns})
    for b in rows.columns:
        if b in IDENTITY or b.startswith(KEY_PREFIX) or b in ("tanggal", "good", *MEASURED):
            continue
        shown[b] = rows[b]
    hidden: dict[str, ibis.Value] = {}
    if TABLE in rows.columns:
        if key_columns:
            parts = [mask_value(rows[KEY_PREFIX + c].cast("string").fill_null("")) if treatment(c in personal, True, personal_visible) == "mask"
                     else rows[KEY_PREFIX + c] for c in key_columns]
            shown["kunci"] = key_text(*parts)
        else:  # a row per person: the person is the key
            shown["kunci"] = mask_value(rows[KEY]) if key_masked else rows[KEY]
        shown["sumber"] = ibis.literal(source)
        shown["muatan"] = rows[LOAD]
        shown["asal"] = rows[ORIGIN].fill_null(UNKNOWN_ORIGIN)
        hidden[KEY] = rows[KEY]
        hidden.update({KEY_PREFIX + c: rows[KEY_PREFIX + c] for c in key_columns})
        hidden[ESTIMATE] = rows[TABLE].isnull()  # an estimate's rows are no records (shapes.against_estimate)
    else:
        hidden[ESTIMATE] = ibis.literal(False)
    return rows.select(**shown, **hidden), list(shown)


def _with_names(sql: str, shown: list[str], selected: list[str]) -> str:
    """The view's SQL with the OPD and kecamatan names beside their codes, from the region's lists (a join to a few
    dozen literal rows in the engine: as an expression the same mapping costs more to compile than to run)."""
    joins, picked = [], []
    for name in shown:
        code = next((c for c, n in NAMES.items() if n == name), None)
        if code is None:
            picked.append(f"r.{_q(name)}")
            continue
        pairs = ", ".join(f"({_text(k)}, {_text(v)})" for k, v in sorted(_names(code).items()))
        joins.append(f"LEFT JOIN (VALUES {pairs}) AS {_q('n_' + code)}(k, nama) ON r.{_q(code)} = {_q('n_' + code)}.k")
        picked.append(f"coalesce({_q('n_' + code)}.nama, r.{_q(code)}) AS {_q(name)}")
    picked += [f"r.{_q(c)}" for c in selected if c not in shown]
    return f"SELECT {', '.join(picked)} FROM ({sql}) AS r {' '.join(joins)}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _names(column: str) -> dict[str, str]:
    if column == "kode_opd":
        return {code: opd.nama for code, opd in opd_directory().by_code.items()}
    return {k.kode: k.nama for k in all_kecamatan()}
