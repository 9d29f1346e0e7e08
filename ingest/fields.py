"""Field mapping in SQL: raw text columns become typed canonical columns, or rejects naming field and reason.

A batch arrives as an Arrow table of text (registered in DuckDB without copying). Every field's parse is a SQL
expression, so a million rows are typed at the engine's speed. A value that is present but does not parse, or a
required value that is missing, marks its record with the raw field and the reason; such records go to the
rejects table and the rest of the batch loads. A field's `values` rewrite its raw values first, whatever its type.
Names of kecamatan and OPDs, and choice values, are mapped once per distinct value by the region's own
normalisers. Rows a stream's `skip_rows` rule marks (an export's total row) are counted and left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from config.sources import FieldConfig, SkipRule, StreamConfig
from ingest.connectors.base import LINE, META_COLUMNS, ORIGIN, ROW, header_key, origin_of
from region.calendar import WIB_OFFSET_HOURS
from region.kecamatan import normalise_kecamatan
from region.opd import normalise_opd

RAW, PARSED = "pantau_raw", "pantau_parsed"
QUOTE = "''''"  # a SQL literal holding one single quote
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"
_TRUE = ("1", "true", "ya", "y", "yes", "benar")
_FALSE = ("0", "false", "tidak", "t", "no", "salah")


class SchemaDrift(Exception):
    """A required column is absent from what the source sent: the load fails and writes nothing."""

    def __init__(self, columns: list[str], where: str | None = None) -> None:
        super().__init__(f"{where + ': ' if where else ''}kolom wajib tidak ada di data sumber: {', '.join(columns)}")
        self.columns, self.where = columns, where


@dataclass(frozen=True)
class Parsed:
    """A batch typed into the temporary table `pantau_parsed`: counts, and raw columns nobody maps.

    `rows` are the records typed (valid or rejected); `skipped` the rows a skip rule left out, not in `rows`.
    """

    rows: int
    rejected: int
    extra_columns: tuple[str, ...]
    columns: dict[str, str | None]  # field -> the raw column it was read from
    skipped: int = 0


def resolve_columns(raw_columns: list[str], fields: dict[str, FieldConfig]) -> tuple[dict[str, str | None], list[str]]:
    """Which raw column feeds each field (its name or an alias, ignoring case, spaces and underscores),
    and the raw columns no field uses."""
    by_key = {header_key(c): c for c in raw_columns if c not in META_COLUMNS}
    chosen = {name: next((by_key[header_key(n)] for n in (f.source, *f.aliases) if header_key(n) in by_key), None) for name, f in fields.items()}
    used = {c for c in chosen.values() if c}
    return chosen, [c for c in raw_columns if c not in META_COLUMNS and c not in used]


def check_required(raw: pa.Table, stream: StreamConfig) -> None:
    """Fail when a part of a read (a page, a file) lacks a required field's column, naming the field and the part.

    Checked on each part before parts are joined: joined, a column that a later page or file renamed would only be
    empty in its records, and they would be rejected one by one as empty instead of the source being named.

    Raises:
        SchemaDrift: naming the missing raw columns and where (the file, the page).
    """
    if not set(raw.column_names) - set(META_COLUMNS):  # an empty read has no columns to check
        return
    columns, _ = resolve_columns(raw.column_names, stream.fields)
    missing = [stream.fields[n].source for n, c in columns.items() if c is None and stream.fields[n].required]
    if missing:
        raise SchemaDrift(missing, origin_of(raw))


def quote_name(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _formats(formats: tuple[str, ...]) -> str:
    return "[" + ", ".join(quote_text(f) for f in formats) + "]"


def _number(v: str, indonesian: bool) -> str:
    # Indonesian: "1.234,5" and "250.000"; plain: "1234.5", a lone decimal comma accepted ("8,25").
    text = f"replace(replace({v}, '.', ''), ',', '.')" if indonesian else f"replace({v}, ',', '.')"
    return f"TRY_CAST({text} AS DOUBLE)"


def _lookup(kind: str, f: FieldConfig) -> Callable[[str], str | None] | None:
    if kind == "kecamatan":
        return normalise_kecamatan
    if kind == "opd":
        return normalise_opd
    if kind == "choice":

        def choose(value: str) -> str | None:  # `values` were applied before, in SQL
            lowered = value.strip().lower()
            return lowered if lowered in f.choices else None

        return choose
    return None


def _rewritten(column: str, f: FieldConfig) -> str:
    """SQL for the trimmed raw value after the field's `values` (keys matched ignoring case); '' becomes NULL."""
    trimmed = f"NULLIF(trim({column}), '')"
    if not f.values:
        return trimmed
    cases = " ".join(f"WHEN {quote_text(k.strip().lower())} THEN {quote_text(v.strip())}" for k, v in f.values.items())
    return f"NULLIF(CASE lower({trimmed}) {cases} ELSE {trimmed} END, '')"


def _skip_condition(rules: tuple[SkipRule, ...], raw_columns: list[str], columns: dict[str, str | None]) -> tuple[str, set[str]]:
    """SQL true for a row a skip rule marks, and the raw columns the rules read; a rule whose column the batch lacks
    marks nothing."""
    by_key = {header_key(c): c for c in raw_columns if c not in META_COLUMNS}
    tests, used = [], set()
    for rule in rules:
        column = by_key.get(header_key(rule.field)) or columns.get(rule.field)
        if column:
            used.add(column)
            value = f"lower(trim(r.{quote_name(column)}))"
            tests += [f"{value} GLOB {quote_text(pattern.strip().lower())}" for pattern in rule.matches]
    return (f"coalesce({' OR '.join(tests)}, FALSE)" if tests else "FALSE"), used


def _expressions(name: str, f: FieldConfig, v: str, indonesian: bool, lookup_column: str | None) -> tuple[dict[str, str], str]:
    """SQL for the field's canonical column(s) from the trimmed raw value `v`, and the reason text for a bad value."""
    kind = f.type
    if kind == "text":
        return {name: v}, ""
    if kind == "int":
        number = _number(v, indonesian)
        return {name: f"CASE WHEN {number} = floor({number}) THEN CAST({number} AS BIGINT) END"}, "bukan bilangan bulat"
    if kind == "decimal":
        return {name: _number(v, indonesian)}, "bukan angka"
    if kind == "bool":
        lowered = f"lower({v})"
        return {name: f"CASE WHEN {lowered} IN ({', '.join(map(quote_text, _TRUE))}) THEN TRUE WHEN {lowered} IN ({', '.join(map(quote_text, _FALSE))}) THEN FALSE END"}, "bukan ya/tidak"
    if kind == "date":
        formats = f.formats or ("%Y-%m-%d",)
        return {name: f"CAST(try_strptime({v}, {_formats(formats)}) AS DATE)"}, f"bukan tanggal {' atau '.join(formats)}"
    if kind == "time":
        formats = f.formats or ("%H:%M", "%H:%M:%S")
        time = f"CAST(try_strptime({v}, {_formats(formats)}) AS TIME)"
        out = {name: time}
        if f.minutes_to:
            out[f.minutes_to] = f"CAST(hour({time}) * 60 + minute({time}) AS INTEGER)"
        return out, f"bukan jam {' atau '.join(formats)}"
    if kind == "instant":
        # With an offset the instant is explicit; without one it is the region's local time (WIB has no DST).
        local = f"try_strptime({v}, {_formats(f.formats)})" if f.formats else f"TRY_CAST({v} AS TIMESTAMP)"
        utc = (
            f"CASE WHEN regexp_matches({v}, {quote_text(_OFFSET)}) THEN make_timestamp(epoch_us(TRY_CAST({v} AS TIMESTAMPTZ))) "
            f"ELSE {local} - INTERVAL {WIB_OFFSET_HOURS} HOUR END"
        )
        day = f"CAST(({utc}) + INTERVAL {WIB_OFFSET_HOURS} HOUR AS DATE)"
        return {f"{name}_utc": utc, f"{name}_tgl": day}, f"bukan waktu {' atau '.join(f.formats) if f.formats else 'ISO 8601'}"
    reasons = {"kecamatan": "kecamatan tidak dikenal", "opd": "OPD tidak dikenal", "choice": f"bukan salah satu dari {', '.join(f.choices)}"}
    return {name: lookup_column or "NULL"}, reasons[kind]


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, raw: pa.Table) -> Iterator[None]:
    """Make the raw batch visible to SQL as `pantau_raw` while it is parsed, checked and its rejects written."""
    cur.register(RAW, raw)
    try:
        yield
    finally:
        _unregister(cur, RAW)


def _unregister(cur: duckdb.DuckDBPyConnection, view: str) -> None:
    # After a failed statement the transaction refuses everything; keep the first error, not this one.
    try:
        cur.unregister(view)
    except duckdb.Error:
        pass


def parse(cur: duckdb.DuckDBPyConnection, raw: pa.Table, stream: StreamConfig, indonesian_numbers: bool = False) -> Parsed:
    """Type the registered raw batch (`pantau_raw`: text columns, origin and row) into the temporary table `pantau_parsed`.

    `pantau_parsed` holds every canonical column, `_row`, `_origin` (file and row, or page and position), and `_bad_field`/`_reason` for the records to reject;
    the rows without a `_bad_field` are the batch's valid rows.

    Raises:
        SchemaDrift: when a required field's column (or any of its aliases) is missing altogether.
    """
    check_required(raw, stream)
    columns, extra = resolve_columns(raw.column_names, stream.fields)
    skip, marker_columns = _skip_condition(stream.skip_rows, raw.column_names, columns)
    extra = [c for c in extra if c not in marker_columns]  # read by a skip rule, so not ignored
    lookups = []
    try:
        # Three layers so that each expression is computed once: trimmed (and rewritten) raw text, parsed values,
        # reject marks. A value is parsed as rewritten by `values`; a reject quotes it as the source wrote it.
        trimmed, parsed, joins, bad_cases, reason_cases = [], [], [], [], []
        for i, (name, f) in enumerate(stream.fields.items()):
            source = columns[name]
            value_name = quote_name("_value_" + name)
            raw_name = quote_name("_raw_" + name) if f.values else value_name
            value = _rewritten(f"r.{quote_name(source)}", f) if source else "CAST(NULL AS VARCHAR)"
            trimmed.append(f"{value} AS {value_name}")
            if f.values:
                trimmed.append(f"NULLIF(trim(r.{quote_name(source)}), '') AS {raw_name}" if source else f"CAST(NULL AS VARCHAR) AS {raw_name}")
            lookup, lookup_column = _lookup(f.type, f), None
            if lookup and source:
                distinct = [row[0] for row in cur.execute(f"SELECT DISTINCT {value} AS v FROM {RAW} r WHERE v IS NOT NULL").fetchall()]
                mapping = pa.table({"raw": pa.array(distinct, pa.string()), "code": pa.array([lookup(d) for d in distinct], pa.string())})
                lookups.append(f"pantau_lookup_{i}")
                cur.register(lookups[-1], mapping)
                joins.append(f"LEFT JOIN pantau_lookup_{i} l{i} ON l{i}.raw = t.{value_name}")
                lookup_column = f"l{i}.code"
            outputs, why = _expressions(name, f, f"t.{value_name}", indonesian_numbers, lookup_column)
            parsed += [f"{expr} AS {quote_name(column)}" for column, expr in outputs.items()]
            first, shown = quote_name(next(iter(outputs))), quote_text(source or f.source)
            if f.type != "text":
                bad_cases.append(f"WHEN {value_name} IS NOT NULL AND {first} IS NULL THEN {shown}")
                reason_cases.append(f"WHEN {value_name} IS NOT NULL AND {first} IS NULL THEN {quote_text(why + ': ')} || {QUOTE} || {raw_name} || {QUOTE}")
            if f.required:
                bad_cases.append(f"WHEN {value_name} IS NULL THEN {shown}")
                reason_cases.append(f"WHEN {value_name} IS NULL THEN 'wajib diisi tetapi kosong'")
        bad = f"CASE {' '.join(bad_cases)} END" if bad_cases else "CAST(NULL AS VARCHAR)"
        reason = f"CASE {' '.join(reason_cases)} END" if reason_cases else "CAST(NULL AS VARCHAR)"
        canonical = ", ".join(quote_name(c) for c in stream.columns())
        # The accepted row keeps where it came from, as its reject would say it ("absensi_x.csv baris 17").
        origin = f"r.{ORIGIN} || CAST(r.{LINE} AS VARCHAR)" if {ORIGIN, LINE} <= set(raw.column_names) else "CAST(NULL AS VARCHAR)"
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {PARSED} AS "
            f"WITH t AS (SELECT {', '.join(trimmed)}, r.{ROW} AS {ROW}, {origin} AS {ORIGIN} FROM {RAW} r WHERE NOT {skip}), "
            f"p AS (SELECT t.*, {', '.join(parsed)} FROM t {' '.join(joins)}) "
            f"SELECT {canonical}, {ROW}, {ORIGIN}, {bad} AS _bad_field, {reason} AS _reason FROM p"
        )
    finally:
        for view in lookups:
            _unregister(cur, view)
    rows, rejected = cur.execute(f"SELECT count(*), count(_bad_field) FROM {PARSED}").fetchall()[0]
    return Parsed(rows=rows, rejected=rejected, extra_columns=tuple(extra), columns=columns, skipped=raw.num_rows - rows)
