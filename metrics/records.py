"""The records behind a number: a drill-down's page and counts, every record streamed, and no personal data shown.

A drill (metrics.question.Drill) names a bucket of the question's series and a member of its breakdown; the records
are the indicator's query rows for those days and that member, each with the identity of its source record (see
metrics.indicators.shapes). They split into those that count (a share's numerator: decided on time) and the rest
(in the denominator only), and their counts and sums are the numerator and denominator that metrics.compute.buckets
gives the same bucket. Sorting, searching and paging run in the engine; a page's rows are then joined with their
source record's other columns, its load and its rejects, so a page of 50 costs the same over 15 million rows as
over a thousand.

Until sign-in and roles exist nothing identifies a person: `treatment` is the one policy, a personal key is shown
masked and every other personal field is never selected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import ibis
import ibis.expr.datatypes as dtypes
import pyarrow as pa

from metrics.compute import LATEST_LOOKBACK, bucket_end, bucket_start, today_wib
from metrics.indicator import Indicator
from metrics.indicators.shapes import IDENTITY, KEY, KEY_PREFIX, LOAD, ORIGIN, TABLE, key_text
from metrics.privacy import link_token, mask_value, treatment
from metrics.question import BadQuestion, Drill, Question, filtered
from region.kecamatan import all_kecamatan
from region.opd import current as opd_directory

if TYPE_CHECKING:
    from metrics.service import MetricsService

Kind = Literal["text", "date", "datetime", "integer", "number", "bool"]
BATCH_ROWS = 65_536
UNKNOWN_ORIGIN = "tidak diketahui (dimuat sebelum asal dicatat)"


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
class RecordPage:
    """One page of the records behind a number.

    Attributes:
        total: records matching the drill, its part and its search (what the pages page through).
        counted, other: the drill's records that count and those that do not (part and search aside): for a share
            the numerator and the denominator less it.
        summary: the number these records make (numerator, denominator, measure) and how (`rule`).
    """

    columns: tuple[Column, ...]
    rows: list[dict]
    total: int
    counted: int
    other: int
    summary: dict
    page: int
    size: int

    def as_dict(self) -> dict:
        return {"columns": [c.as_dict() for c in self.columns], "rows": self.rows, "total": self.total, "counted": self.counted,
                "other": self.other, "summary": self.summary, "page": self.page, "size": self.size}


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
NAMES = {"kode_opd": "nama_opd", "kode_kecamatan": "nama_kecamatan"}
MEASURED = ("nilai", "num", "den")
# Columns a page joins after paging; sorting or searching by one of them joins before.
JOINED = ("dimuat", "penolakan")
RULES: dict[str, tuple[str, str]] = {
    "share": ("Pembilang = rekaman yang dihitung; penyebut = semua rekaman (dihitung + lainnya).",
              "Numerator = the records that count; denominator = every record (counted + other)."),
    "ratio": ("Pembilang = jumlah kolom pembilang; penyebut = jumlah kolom penyebut (dan perkiraan, bila ada). Dihitung: rekaman dengan pembilang bukan nol.",
              "Numerator = the sum of the numerator column; denominator = the sum of the denominator column (and the estimate, if any). Counted: records with a non-zero numerator."),
    "count": ("Nilai = banyaknya rekaman.", "Value = the number of records."),
    "sum": ("Nilai = jumlah kolom nilai.", "Value = the sum of the value column."),
    "median": ("Nilai = median kolom nilai; penyebut = banyaknya rekaman.", "Value = the median of the value column; denominator = the number of records."),
    "level": ("Nilai = butir yang terbuka pada hari terakhir (hari dihitung).", "Value = the items open on the last day (the day counted)."),
    "latest": ("Nilai = jumlah kolom nilai pada penilaian terakhir (hari dihitung).", "Value = the sum of the value column on the latest assessment (the day counted)."),
}


@dataclass
class _Drilled:
    """A drill made concrete: the records (query rows with `_dihitung`), estimate rows, and how to show them."""

    indicator: Indicator
    records: ibis.Table
    estimate: ibis.Table | None
    days: tuple[dt.date, dt.date]
    counts_on: dt.date | None
    table: str | None
    source: str
    key_columns: tuple[str, ...]  # the source key's columns the rows carry (`_k_<c>`); empty for a row per person
    personal: frozenset[str]
    source_columns: tuple[str, ...] = ()  # the source table's other columns shown
    columns: list[Column] = field(default_factory=list)


def _kind(dtype: dtypes.DataType) -> Kind:
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


def _label(name: str) -> tuple[str, str]:
    return LABELS.get(name) or (name.replace("_", " ").capitalize(),) * 2


def _as_of(metrics: MetricsService, q: Question) -> dt.datetime:
    return q.as_of.astimezone(dt.UTC).replace(tzinfo=None) if q.as_of is not None else metrics.now()


def _drill(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool, con: ibis.BaseBackend) -> _Drilled:
    """The drill's records as an expression on `con`; nothing runs yet except a latest reading's day."""
    indicator = filtered(metrics.indicator(q.indicator), q.filters)
    span = q.span(indicator, today_wib(_as_of(metrics, q)))
    grain = q.grain_for(indicator)
    if drill.periode is not None:
        first = bucket_start(drill.periode, grain, span[0])
        low, high = max(first, span[0]), min(bucket_end(first, grain), span[1])
        if low > high:
            raise BadQuestion("titik", f"{drill.periode} di luar periode {span[0]}–{span[1]}")
    else:
        low, high = span
    if drill.member is not None and q.by is None:
        raise BadQuestion("anggota", "perlu 'rinci' yang menyebut rincian anggota itu")
    measure = indicator.measure
    # As compute.buckets reads it: the question's whole span (queries judge "today" by its end), then the days.
    query_start = span[0] - LATEST_LOOKBACK if measure == "latest" and drill.periode is None else span[0]
    rows = indicator.query(con, query_start, span[1], **indicator.params)
    if drill.member is not None:
        rows = rows.filter(rows[q.by].cast("string") == drill.member)
    counts_on = None
    if measure == "level":  # a stock: the items open on the bucket's last day
        counts_on = high
        rows = rows.filter(rows.tanggal == high)
    elif measure == "latest":  # the reading valid at the bucket's end: its most recent day
        earliest = query_start if drill.periode is None else low
        counts_on = con.to_pyarrow(rows.filter(rows.tanggal.between(earliest, high)).tanggal.max()).as_py()
        counts_on = None if counts_on is None else _day(counts_on)
        rows = rows.filter(rows.tanggal == counts_on) if counts_on else rows.filter(ibis.literal(False))
    else:
        rows = rows.filter(rows.tanggal.between(low, high))
    if measure == "share":
        counts = rows.good
    elif measure == "ratio":
        counts = rows.num.notnull() & (rows.num != 0)
    else:
        counts = ibis.literal(True)
    rows = rows.mutate(_dihitung=counts)
    estimate = None
    if TABLE in rows.columns and measure == "ratio":
        estimate = rows.filter(rows[TABLE].isnull())  # an estimate's rows are no records (shapes.against_estimate)
        rows = rows.filter(rows[TABLE].notnull())
    table = _table_of(rows)
    key_columns = tuple(c[len(KEY_PREFIX):] for c in rows.columns if c.startswith(KEY_PREFIX))
    source = metrics.source_of(table, indicator) if table else indicator.sources[0]
    personal = frozenset()
    source_columns: tuple[str, ...] = ()
    if table:
        src = con.table(table)
        personal = metrics.personal_columns(table, src.columns)
        if key_columns:
            shown = set(rows.columns) | set(NAMES.values())
            source_columns = tuple(
                c for c in src.columns
                if c not in (LOAD, ORIGIN) and c not in key_columns and c not in shown and treatment(c in personal, False, personal_visible) == "show"
            )
    return _Drilled(indicator, rows, estimate, (low, high), counts_on, table, source, key_columns, personal, source_columns)


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _table_of(rows: ibis.Table) -> str | None:
    """The source table the records come from: the one table the query reads besides the working-day calendar."""
    from ibis.expr import operations as ops

    if TABLE not in rows.columns:
        return None
    tables = sorted({node.name for node in rows.op().find(ops.DatabaseTable)} - {"kalender_kerja"})
    return tables[0] if len(tables) == 1 else None


def _base_view(d: _Drilled, personal_visible: bool) -> tuple[ibis.Table, list[Column]]:
    """The records as shown, before the source's other columns, load times and rejects are joined: the columns shown
    (personal keys masked) and, hidden, the raw key and key columns to join and order by."""
    r = d.records
    shown: dict[str, ibis.Value] = {"tanggal": r.tanggal, "dihitung": r._dihitung}
    for name in MEASURED:
        if name in r.columns:
            shown[name] = r[name]
    breakdowns = [c for c in r.columns if c not in IDENTITY and not c.startswith(KEY_PREFIX) and c not in ("tanggal", "good", "_dihitung", *MEASURED)]
    names = {}
    for b in breakdowns:
        shown[b] = r[b]
        if b in NAMES:
            names[b] = _names_table(b)
    if TABLE in r.columns:
        shown["kunci"] = _shown_key(d, r, personal_visible)
        shown["sumber"] = ibis.literal(d.source)
        shown["muatan"] = r[LOAD]
        shown["asal"] = r[ORIGIN].fill_null(UNKNOWN_ORIGIN)
    hidden = {c: r[c] for c in r.columns if c == KEY or c.startswith(KEY_PREFIX)}
    view = r.select(**shown, **hidden)
    for b, table in names.items():
        view = view.left_join(table, view[b] == table[f"_{b}"]).drop(f"_{b}")
    order = [*shown]
    for b in names:
        order.insert(order.index(b) + 1, NAMES[b])
    view = view.select(*order, *hidden)
    columns = [Column(n, *_label(n), _kind(view[n].type()), masked=(n == "kunci" and _key_masked(d, personal_visible))) for n in order]
    return view, columns


def _names_table(column: str) -> ibis.Table:
    if column == "kode_opd":
        pairs = [(code, opd.nama) for code, opd in opd_directory().by_code.items()]
    else:
        pairs = [(k.kode, k.nama) for k in all_kecamatan()]
    # From Arrow: ibis reads a dict through pandas, whose option it sets is deprecated.
    return ibis.memtable(pa.table({f"_{column}": pa.array([p[0] for p in pairs], pa.string()), NAMES[column]: pa.array([p[1] for p in pairs], pa.string())}))


def _key_masked(d: _Drilled, personal_visible: bool) -> bool:
    if d.key_columns:
        return any(treatment(c in d.personal, True, personal_visible) == "mask" for c in d.key_columns)
    return bool(d.personal) and not personal_visible


def _shown_key(d: _Drilled, r: ibis.Table, personal_visible: bool) -> ibis.StringValue:
    """The record's key as shown: each personal part masked; a person's key (no key columns) masked whole."""
    if not d.key_columns:
        return mask_value(r[KEY]) if _key_masked(d, personal_visible) else r[KEY]
    parts = []
    for c in d.key_columns:
        value = r[KEY_PREFIX + c]
        parts.append(mask_value(value.cast("string").fill_null("")) if treatment(c in d.personal, True, personal_visible) == "mask" else value)
    return key_text(*parts)


def _wide(d: _Drilled, con: ibis.BaseBackend, view: ibis.Table) -> ibis.Table:
    """The view with the source record's other columns, its load's time (WIB) and its rejects joined, in the engine."""
    if d.source_columns:
        src = con.table(d.table)
        src = src.select(*d.source_columns, **{f"_s_{k}": src[k] for k in d.key_columns})
        view = view.left_join(src, [view[KEY_PREFIX + k] == src[f"_s_{k}"] for k in d.key_columns]).drop(*(f"_s_{k}" for k in d.key_columns))
    if TABLE in d.records.columns:
        loads = con.table("loads")
        loads = loads.select(_l_id=loads.load_id, dimuat=(loads.finished_at.fill_null(loads.started_at) + ibis.interval(hours=7)))
        view = view.left_join(loads, view.muatan == loads._l_id).drop("_l_id")
        rejects = con.table("rejects")
        rejects = rejects.filter(rejects.source == d.source)
        rejects = rejects.group_by(_r_key=rejects.record_key).aggregate(penolakan=rejects.count())
        view = view.left_join(rejects, view[KEY] == rejects._r_key).drop("_r_key")
        view = view.mutate(penolakan=view.penolakan.fill_null(0))
    return view


def _wide_columns(d: _Drilled, con: ibis.BaseBackend, base: list[Column]) -> list[Column]:
    columns = list(base)
    if d.source_columns:
        schema = con.table(d.table).schema()
        at = next((i for i, c in enumerate(columns) if c.name == "kunci"), len(columns))
        columns[at:at] = [Column(c, *_label(c), _kind(schema[c])) for c in d.source_columns]
    if TABLE in d.records.columns:
        columns += [Column("dimuat", *_label("dimuat"), "datetime"), Column("penolakan", *_label("penolakan"), "integer")]
    return columns


def _searched(view: ibis.Table, search: tuple[tuple[str, str], ...]) -> ibis.Table:
    for column, text in search:
        view = view.filter(view[column].cast("string").lower().contains(text.lower()))
    return view


def _sorted(view: ibis.Table, sort: tuple[tuple[str, bool], ...]) -> ibis.Table:
    keys = [ibis.asc(c) if ascending else ibis.desc(c) for c, ascending in sort]
    ties = [c for c in ("tanggal", KEY) if c in view.columns and c not in dict(sort)]
    return view.order_by([*keys, *ties])


def _check_columns(drill: Drill, names: set[str]) -> None:
    for column, _ in drill.sort:
        if column not in names:
            raise BadQuestion("urut", f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(sorted(names))}")
    for column, _ in drill.search:
        if column not in names:
            raise BadQuestion("cari_" + column[:40], f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(sorted(names))}")


def _part(view: ibis.Table, part: str) -> ibis.Table:
    if part == "dihitung":
        return view.filter(view.dihitung)
    if part == "lainnya":
        return view.filter(~view.dihitung)
    return view


def _summary(d: _Drilled, con: ibis.BaseBackend) -> tuple[int, int, dict]:
    """Counted and other, and the number they make, as metrics.compute has it."""
    r = d.records
    measure = d.indicator.measure
    sums = {"n": r.count(), "counted": r._dihitung.cast("int64").sum()}
    if "nilai" in r.columns:
        sums["nilai"] = r.nilai.sum().cast("float64")
        if measure == "median":
            sums["median"] = r.nilai.median().cast("float64")
    if "num" in r.columns:
        sums["num"], sums["den"] = r.num.sum().cast("float64"), r.den.sum().cast("float64")
    got = con.to_pyarrow(r.aggregate(**sums)).to_pylist()[0]
    n, counted = int(got["n"] or 0), int(got["counted"] or 0)
    if measure == "share":
        numerator, denominator = counted, n
    elif measure == "ratio":
        numerator, denominator = got["num"], got["den"] or 0.0
    elif measure == "median":
        numerator, denominator = got["median"], n
    elif measure in ("sum", "latest"):
        numerator, denominator = got["nilai"], n
    else:
        numerator = denominator = n
    estimate = None
    if d.estimate is not None:
        e = con.to_pyarrow(d.estimate.aggregate(rows=d.estimate.count(), den=d.estimate.den.sum().cast("float64"))).to_pylist()[0]
        if e["rows"]:
            estimate = {"rows": int(e["rows"]), "denominator": float(e["den"] or 0.0),
                        "id": "Baris perkiraan (bukan rekaman sumber) menambah penyebut; tidak ada di tabel ini.",
                        "en": "Estimate rows (not source records) add to the denominator; they are not in this table."}
            denominator = (denominator or 0.0) + estimate["denominator"]
    rule_id, rule_en = RULES[measure]
    summary = {
        "measure": measure, "numerator": numerator, "denominator": denominator, "records": n,
        "days": [d.days[0].isoformat(), d.days[1].isoformat()],
        "counts_on": d.counts_on.isoformat() if d.counts_on else None,
        "per_person": TABLE in r.columns and not d.key_columns,
        "estimate": estimate, "rule": {"id": rule_id, "en": rule_en},
    }
    if summary["per_person"]:
        summary["rule"] = {"id": rule_id + " Satu baris per pegawai (kunci: NIP disamarkan).", "en": rule_en + " One row per staff member (key: masked NIP)."}
    return counted, n - counted, summary


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def record_page(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool = False) -> RecordPage:
    """One page of the records behind the number `q` shows for the bucket and member `drill` names.

    Args:
        metrics: the service over the warehouse.
        q: the question (indicator, period, grain, breakdown, filters, as-of).
        drill: the bucket, member, part, order, search and page.
        personal_visible: show personal keys and fields (a role check's decision; none exists yet).

    Raises:
        UnknownIndicator: the question's indicator is not served.
        BadQuestion: naming the parameter (a bucket outside the period, an unknown column).
    """
    con = metrics.backend()
    d = _drill(metrics, q, drill, personal_visible, con)
    base, base_columns = _base_view(d, personal_visible)
    columns = _wide_columns(d, con, base_columns)
    names = {c.name for c in columns}
    _check_columns(drill, names)
    counted, other, summary = _summary(d, con)
    needs_wide = any(c not in base.columns for c, _ in (*drill.sort, *drill.search))
    view = _wide(d, con, base) if needs_wide else base
    view = _searched(_part(view, drill.part), drill.search)
    if drill.search:
        total = int(con.to_pyarrow(view.count()).as_py())
    else:
        total = {"dihitung": counted, "lainnya": other}.get(drill.part, counted + other)
    page = _sorted(view, drill.sort).limit(drill.size, offset=(drill.page - 1) * drill.size)
    rows = con.to_pyarrow(page).to_pylist()
    if not needs_wide:
        rows = _joined_after(d, con, rows)
    rows = _with_links(d, rows)
    shown = [c.name for c in columns]
    if TABLE in d.records.columns:
        columns.append(Column("penolakan_tautan", *_label("penolakan_tautan")))
        shown.append("penolakan_tautan")
    return RecordPage(tuple(columns), [{c: _plain(row.get(c)) for c in shown} for row in rows], total, counted, other, summary, drill.page, drill.size)


def _joined_after(d: _Drilled, con: ibis.BaseBackend, rows: list[dict]) -> list[dict]:
    """A page's rows with their source record's other columns, load time and rejects: looked up for these rows only."""
    if not rows or TABLE not in d.records.columns:
        return rows
    if d.source_columns:
        src = con.table(d.table)
        wanted = src
        for k in d.key_columns:  # a superset of the page's records, found by the key's own columns
            wanted = wanted.filter(src[k].isin(list({row[KEY_PREFIX + k] for row in rows if row[KEY_PREFIX + k] is not None})))
        found = con.to_pyarrow(wanted.select(*d.key_columns, *d.source_columns)).to_pylist()
        by_key = {tuple(f[k] for k in d.key_columns): f for f in found}
        for row in rows:
            match = by_key.get(tuple(row[KEY_PREFIX + k] for k in d.key_columns), {})
            row.update({c: match.get(c) for c in d.source_columns})
    loads = con.table("loads")
    ids = list({row["muatan"] for row in rows if row["muatan"]})
    times = con.to_pyarrow(loads.filter(loads.load_id.isin(ids)).select("load_id", at=loads.finished_at.fill_null(loads.started_at))).to_pylist() if ids else []
    at = {t["load_id"]: t["at"] + dt.timedelta(hours=7) for t in times if t["at"] is not None}
    rejects = con.table("rejects")
    keys = list({row[KEY] for row in rows if row[KEY] is not None})
    mine = rejects.filter(rejects.source == d.source, rejects.record_key.isin(keys))
    counted = mine.group_by("record_key").aggregate(n=mine.count())
    per_key = {c["record_key"]: c["n"] for c in con.to_pyarrow(counted).to_pylist()} if keys else {}
    for row in rows:
        row["dimuat"] = at.get(row["muatan"])
        row["penolakan"] = int(per_key.get(row[KEY], 0))
    return rows


def _with_links(d: _Drilled, rows: list[dict]) -> list[dict]:
    for row in rows:
        if row.get("penolakan"):
            key = row[KEY]
            masked = _key_masked(d, False) if d.personal else False
            reference = f"ref={link_token(d.source, key)}" if masked else f"kunci={key}"
            row["penolakan_tautan"] = f"/api/v1/sumber/{d.source}/penolakan?{reference}"
        else:
            row["penolakan_tautan"] = None
    return rows


def record_batches(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool = False,
                   rows_per_batch: int = BATCH_ROWS) -> tuple[tuple[Column, ...], Iterator[pa.RecordBatch]]:
    """Every record the drill names (its part, search and order; paging ignored), streamed from the engine in batches.

    Memory stays bounded by `rows_per_batch`, however many records there are: the engine's result is fetched
    batch by batch over a cursor of its own, closed when the iterator ends or is closed. Consume it in one thread.

    Returns:
        The columns (as record_page's, without the rejects link), and the batches in that column order.
    """
    con, release = metrics.separate_backend()
    try:
        d = _drill(metrics, q, drill, personal_visible, con)
        base, base_columns = _base_view(d, personal_visible)
        columns = tuple(_wide_columns(d, con, base_columns))
        _check_columns(drill, {c.name for c in columns})
        view = _searched(_part(_wide(d, con, base), drill.part), drill.search)
        view = _sorted(view, drill.sort).select(*(c.name for c in columns))
    except BaseException:
        release()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        # The engine's own streaming reader (ibis' to_pyarrow_batches calls a method DuckDB 2 no longer has); the
        # relation registers the expression's in-memory tables as to_pyarrow does.
        try:
            reader = con._to_duckdb_relation(view).fetch_record_batch(rows_per_batch)
            for batch in reader:
                if batch.num_rows:
                    yield batch
        finally:
            release()

    return columns, batches()
