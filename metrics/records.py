"""The records behind a number: a drill-down's page and counts, every record streamed, and no personal data shown.

A drill (metrics.question.Drill) names a bucket of the question's series and a member of its breakdown; the records
are the indicator's query rows for those days and that member, each with the identity of its source record (see
metrics.drill). They split into those that count (a share's numerator: decided on time) and the rest (in the
denominator only), and their counts and sums are the numerator and denominator metrics.compute.buckets gives the
same bucket. The drill is compiled once (and kept until the warehouse changes); counting, sorting, searching and
paging then run as SQL in DuckDB over it, and a page's rows are joined with their source record's other columns,
their load and their rejects for those rows only, so a page costs about the same over 15 million rows as over a
thousand. Sorting or searching by a joined column joins before paging instead.

Until sign-in and roles exist nothing identifies a person (metrics.privacy): a personal key is shown masked and
every other personal field is never selected.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import ibis
import pyarrow as pa
import pyarrow.compute as pc

from metrics.compute import today_wib
from metrics.drill import ESTIMATE, Column, Prepared, label, prepare
from metrics.indicators.shapes import KEY, KEY_PREFIX
from metrics.privacy import link_token
from metrics.question import BadQuestion, Drill, Question

if TYPE_CHECKING:
    from metrics.service import MetricsService

__all__ = ["Column", "RecordPage", "record_batches", "record_page"]

BATCH_ROWS = 65_536
WIB_HOURS = 7
PREPARED_KEPT = 64
RULES: dict[str, tuple[str, str]] = {
    "share": ("Pembilang = rekaman yang dihitung; penyebut = semua rekaman (dihitung + lainnya).",
              "Numerator = the records that count; denominator = every record (counted + other)."),
    "ratio": ("Pembilang = jumlah kolom pembilang; penyebut = jumlah kolom penyebut (dan perkiraan, bila ada). Dihitung: rekaman dengan pembilang bukan nol.",
              "Numerator = the sum of the numerator column; denominator = the sum of the denominator column (and the estimate, if any). "
              "Counted: records with a non-zero numerator."),
    "count": ("Nilai = banyaknya rekaman.", "Value = the number of records."),
    "sum": ("Nilai = jumlah kolom nilai.", "Value = the sum of the value column."),
    "median": ("Nilai = median kolom nilai; penyebut = banyaknya rekaman.", "Value = the median of the value column; denominator = the number of records."),
    "level": ("Nilai = butir yang terbuka pada hari terakhir (hari dihitung).", "Value = the items open on the last day (the day counted)."),
    "latest": ("Nilai = jumlah kolom nilai pada penilaian terakhir (hari dihitung).", "Value = the sum of the value column on the latest assessment (the day counted)."),
}
PER_PERSON = (" Satu baris per pegawai (kunci: NIP disamarkan).", " One row per staff member (key: masked NIP).")
ESTIMATE_WORDS = ("Baris perkiraan (bukan rekaman sumber) menambah penyebut; tidak ada di tabel ini.",
                  "Estimate rows (not source records) add to the denominator; they are not in this table.")


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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _Kept:
    """Prepared drills and their summaries, kept until the warehouse commits a write (a few, least recent dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple, tuple[Prepared, dict]] = OrderedDict()

    def get(self, key: tuple) -> tuple[Prepared, dict] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: tuple[Prepared, dict]) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > PREPARED_KEPT:
                self._items.popitem(last=False)


_KEPT = _Kept()


def _run(cur: duckdb.DuckDBPyConnection, prepared: Prepared, sql: str, params: list | None = None) -> duckdb.DuckDBPyConnection:
    """Run `sql` over the base view `v` on `cur`, with the view's in-memory tables handed to the engine first."""
    for name, table in prepared.memtables:
        cur.register(name, table)
    return cur.execute(f"WITH v AS ({prepared.sql}) {sql}", params or [])


def _prepared(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool, con: ibis.BaseBackend) -> tuple[Prepared, dict]:
    # A question without an as-of moment is for today: the key holds the day, so a new day prepares anew.
    key = (id(metrics), metrics.data_version(), today_wib(metrics.now()) if q.as_of is None else None, q.key(), drill.periode, drill.member,
           personal_visible)
    found = _KEPT.get(key)
    if found is None:
        prepared = prepare(metrics, q, drill, personal_visible, con)
        found = (prepared, _summary(prepared, con.con))
        _KEPT.put(key, found)
    return found


def _summary(p: Prepared, cur: duckdb.DuckDBPyConnection) -> dict:
    """Counted and other, and the number they make as metrics.compute has it."""
    names = {c.name for c in p.columns}
    record = f"NOT {ESTIMATE}"
    parts = [f"count(*) FILTER (WHERE {record}) AS n", f"count(*) FILTER (WHERE {record} AND dihitung) AS counted"]
    if "nilai" in names:
        parts += [f"sum(nilai) FILTER (WHERE {record}) AS nilai", f"quantile_cont(nilai, 0.5) FILTER (WHERE {record}) AS median"]
    if "num" in names:
        parts += [f"sum(num) FILTER (WHERE {record}) AS num", f"sum(den) FILTER (WHERE {record}) AS den",
                  f"count(*) FILTER (WHERE {ESTIMATE}) AS estimate_rows", f"sum(den) FILTER (WHERE {ESTIMATE}) AS estimate_den"]
    got = dict(zip([p.split(" AS ")[1] for p in parts], _run(cur, p, f"SELECT {', '.join(parts)} FROM v").fetchall()[0], strict=True))
    n, counted = int(got["n"] or 0), int(got["counted"] or 0)
    measure = p.measure
    if measure == "share":
        numerator, denominator = counted, n
    elif measure == "ratio":
        numerator, denominator = got["num"], float(got["den"] or 0.0)
    elif measure == "median":
        numerator, denominator = got["median"], n
    elif measure in ("sum", "latest"):
        numerator, denominator = got["nilai"], n
    else:
        numerator = denominator = n
    estimate = None
    if got.get("estimate_rows"):
        estimate = {"rows": int(got["estimate_rows"]), "denominator": float(got["estimate_den"] or 0.0), "id": ESTIMATE_WORDS[0], "en": ESTIMATE_WORDS[1]}
        denominator += estimate["denominator"]
    rule_id, rule_en = RULES[measure]
    if p.per_person:
        rule_id, rule_en = rule_id + PER_PERSON[0], rule_en + PER_PERSON[1]
    return {
        "measure": measure, "numerator": numerator, "denominator": denominator, "records": n, "counted": counted, "other": n - counted,
        "days": [p.days[0].isoformat(), p.days[1].isoformat()], "counts_on": p.counts_on.isoformat() if p.counts_on else None,
        "per_person": p.per_person, "estimate": estimate, "rule": {"id": rule_id, "en": rule_en},
    }


def _wide_sql(p: Prepared, source: bool = True) -> str:
    """The base view `v` with the source record's other columns (unless `source` is False), its load's time (WIB) and
    its rejects joined."""
    if not p.records:
        return "SELECT * FROM v"
    joins, picked = [], []
    if p.source_columns and source:
        keys = ", ".join(f"{_q(k)} AS {_q('_s_' + k)}" for k in p.key_columns)
        on = " AND ".join(f"v.{_q(KEY_PREFIX + k)} = s.{_q('_s_' + k)}" for k in p.key_columns)
        joins.append(f"LEFT JOIN (SELECT {keys}, {', '.join(map(_q, p.source_columns))} FROM {_q(p.table)}) s ON {on}")
        picked += [f"s.{_q(c)}" for c in p.source_columns]
    joins.append(f"LEFT JOIN (SELECT load_id AS _l_id, coalesce(finished_at, started_at) + INTERVAL {WIB_HOURS} HOUR AS dimuat FROM loads) l "
                 "ON v.muatan = l._l_id")
    joins.append(f"LEFT JOIN (SELECT record_key AS _r_key, count(*) AS penolakan FROM rejects WHERE source = {_text(p.source)} GROUP BY 1) r "
                 f"ON v.{_q(KEY)} = r._r_key")
    picked += ["l.dimuat", "coalesce(r.penolakan, 0) AS penolakan"]
    return f"SELECT v.*, {', '.join(picked)} FROM v {' '.join(joins)}"


def _filtered_sql(p: Prepared, drill: Drill, source: str) -> str:
    where = [f"NOT {ESTIMATE}"]
    if drill.part == "dihitung":
        where.append("dihitung")
    elif drill.part == "lainnya":
        where.append("NOT dihitung")
    for column, text in drill.search:
        where.append(f"contains(lower(CAST({_q(column)} AS VARCHAR)), {_text(text.lower())})")
    return f"SELECT * FROM ({source}) w WHERE {' AND '.join(where)}"


def _order_sql(drill: Drill, columns: set[str]) -> str:
    keys = [f"{_q(c)} {'ASC' if ascending else 'DESC'}" for c, ascending in drill.sort]
    ties = [_q(c) for c in ("tanggal", KEY) if c in columns and c not in dict(drill.sort)]
    return f"ORDER BY {', '.join([*keys, *ties])}"


def _sortable(p: Prepared, columns: tuple[Column, ...]) -> set[str]:
    return {c.name for c in columns} | ({KEY} if p.records else set())


def _check_columns(drill: Drill, columns: tuple[Column, ...]) -> None:
    names = {c.name for c in columns}
    for column, _ in drill.sort:
        if column not in names:
            raise BadQuestion("urut", f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(sorted(names))}")
    for column, _ in drill.search:
        if column not in names:
            raise BadQuestion("cari_" + column[:40], f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(sorted(names))}")


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
    p, summary = _prepared(metrics, q, drill, personal_visible, con)
    _check_columns(drill, p.wide)
    narrow = {c.name for c in p.columns}
    wide = any(c not in narrow for c, _ in (*drill.sort, *drill.search))
    columns = p.wide if wide else p.columns
    cur = con.con
    filtered = _filtered_sql(p, drill, _wide_sql(p) if wide else "SELECT * FROM v")
    counted, other = summary["counted"], summary["other"]
    if drill.search:
        total = _run(cur, p, f"SELECT count(*) FROM ({filtered})").fetchall()[0][0]
    else:
        total = {"dihitung": counted, "lainnya": other}.get(drill.part, counted + other)
    page_sql = f"{filtered} {_order_sql(drill, _sortable(p, columns))} LIMIT {int(drill.size)} OFFSET {int((drill.page - 1) * drill.size)}"
    result = _run(cur, p, page_sql)
    names = [d[0] for d in result.description]
    rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    if not wide:
        rows = _joined_after(p, cur, rows)
    shown = [c.name for c in p.wide]
    out_columns = list(p.wide)
    if p.records:
        out_columns.append(Column("penolakan_tautan", *label("penolakan_tautan")))
        shown.append("penolakan_tautan")
        for row in rows:
            row["penolakan_tautan"] = _rejects_link(p, row) if row.get("penolakan") else None
    public = {k: v for k, v in summary.items() if k not in ("counted", "other")}
    return RecordPage(tuple(out_columns), [{c: _plain(row.get(c)) for c in shown} for row in rows], int(total), counted, other, public, drill.page, drill.size)


def _joined_after(p: Prepared, cur: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """A page's rows with their source record's other columns, load time and rejects, looked up for these rows only."""
    if not rows or not p.records:
        return rows
    if p.source_columns:
        where, params = [], []
        for k in p.key_columns:  # a superset of the page's records, found by the key's own columns
            values = list({row[KEY_PREFIX + k] for row in rows if row[KEY_PREFIX + k] is not None})
            where.append(f"{_q(k)} IN ({', '.join('?' for _ in values)})" if values else "FALSE")
            params += values
        found = cur.execute(f"SELECT {', '.join(map(_q, (*p.key_columns, *p.source_columns)))} FROM {_q(p.table)} WHERE {' AND '.join(where)}",
                            params).fetchall()
        width = len(p.key_columns)
        by_key = {tuple(f[:width]): f[width:] for f in found}
        for row in rows:
            match = by_key.get(tuple(row[KEY_PREFIX + k] for k in p.key_columns))
            row.update(dict(zip(p.source_columns, match or (None,) * len(p.source_columns), strict=True)))
    loads = list({row["muatan"] for row in rows if row["muatan"]})
    at = dict(cur.execute(f"SELECT load_id, coalesce(finished_at, started_at) + INTERVAL {WIB_HOURS} HOUR FROM loads WHERE load_id IN "
                          f"({', '.join('?' for _ in loads)})", loads).fetchall()) if loads else {}
    keys = list({row[KEY] for row in rows if row[KEY] is not None})
    rejected = dict(cur.execute(f"SELECT record_key, count(*) FROM rejects WHERE source = ? AND record_key IN ({', '.join('?' for _ in keys)}) "
                                "GROUP BY 1", [p.source, *keys]).fetchall()) if keys else {}
    for row in rows:
        row["dimuat"] = at.get(row["muatan"])
        row["penolakan"] = int(rejected.get(row[KEY], 0))
    return rows


def _rejects_link(p: Prepared, row: dict) -> str:
    """Where the record's rejects are read: by an opaque reference when its key identifies a person."""
    reference = f"ref={link_token(p.source, row[KEY])}" if p.key_masked else f"kunci={row[KEY]}"
    return f"/api/v1/sumber/{p.source}/penolakan?{reference}"


def record_batches(metrics: MetricsService, q: Question, drill: Drill, personal_visible: bool = False,
                   rows_per_batch: int = BATCH_ROWS) -> tuple[tuple[Column, ...], Iterator[pa.RecordBatch]]:
    """Every record the drill names (its part, search and order; paging ignored), streamed from the engine in batches.

    Memory stays bounded by `rows_per_batch`, however many records there are: the engine's result is fetched batch by
    batch over a cursor of its own, closed when the iterator ends or is closed. Consume it in one thread.

    Returns:
        The columns (as record_page's, without the rejects link), and the batches in that column order.
    """
    con, release = metrics.separate_backend()
    lookup, release_lookup = metrics.separate_backend()

    def released() -> None:
        release()
        release_lookup()

    try:
        p = prepare(metrics, q, drill, personal_visible, con)
        _check_columns(drill, p.wide)
        # The source record's other columns join batch by batch, unless the order or search reads them: the engine
        # then never holds a hash of every record the drill names beside the source table.
        per_batch = bool(p.source_columns) and not any(c in p.source_columns for c, _ in (*drill.sort, *drill.search))
        narrow = [c for c in p.wide if not (per_batch and c.name in p.source_columns)]
        hidden = [KEY_PREFIX + k for k in p.key_columns] if per_batch else []
        selected = ", ".join(_q(c) for c in [*(c.name for c in narrow), *hidden])
        sql = f"SELECT {selected} FROM ({_filtered_sql(p, drill, _wide_sql(p, source=not per_batch))}) {_order_sql(drill, _sortable(p, p.wide))}"
        for name, table in p.memtables:
            con.con.register(name, table)
        # A relation streams its result as the engine makes it (a DB-API result would be copied whole first).
        reader = con.con.sql(f"WITH v AS ({p.sql}) {sql}").to_arrow_reader(rows_per_batch)
    except BaseException:
        released()
        raise
    names = [c.name for c in p.wide]

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for batch in reader:
                if batch.num_rows:
                    yield _with_source(p, lookup.con, batch).select(names) if per_batch else batch
        finally:
            released()

    return p.wide, batches()


def _literal(value) -> str | None:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return None


def _with_source(p: Prepared, cur: duckdb.DuckDBPyConnection, batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch with its records' other source columns, read for the batch's keys only (within their ranges, so the
    engine skips the rest of the table), in the batch's order."""
    keys = pa.table({k: batch.column(KEY_PREFIX + k) for k in p.key_columns})
    where = []
    for k in p.key_columns:
        bounds = pc.min_max(keys.column(k))
        low, high = _literal(bounds["min"].as_py()), _literal(bounds["max"].as_py())
        if low is not None and high is not None:
            where.append(f"s.{_q(k)} BETWEEN {low} AND {high}")
    on = " AND ".join(f"s.{_q(k)} = b.{_q(k)}" for k in p.key_columns)
    cur.register("pantau_batch_keys", keys)
    try:
        found = cur.sql(
            f"SELECT {', '.join(f's.{_q(c)}' for c in (*p.key_columns, *p.source_columns))} FROM {_q(p.table)} s "
            f"SEMI JOIN pantau_batch_keys b ON {on} WHERE {' AND '.join(where) or 'TRUE'}"
        ).to_arrow_table()
    finally:
        cur.unregister("pantau_batch_keys")
    table = pa.Table.from_batches([batch]).append_column("_i", pa.array(range(batch.num_rows), pa.int64()))
    joined = table.join(found, keys=[KEY_PREFIX + k for k in p.key_columns], right_keys=list(p.key_columns), join_type="left outer")
    return joined.sort_by("_i").combine_chunks().to_batches()[0]
