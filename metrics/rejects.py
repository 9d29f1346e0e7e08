"""The rejects of one source for a record key or a load, paged, with every personal value masked or left out.

A drill-down row links here when its record's key has rejects: the raw record as the source offered it, the field
and reason it was refused for, and where it was read. Raw column names are the source's own (a file header), so a
personal field is found by its contract's `from` and `aliases` as well as by name (metrics.privacy decides).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from config.sources import SourceConfig, StreamConfig, personal_name
from ingest.connectors.base import header_key
from metrics.privacy import mask_text, token_sql, treatment
from metrics.question import PAGE_SIZES, BadQuestion

if TYPE_CHECKING:
    from metrics.service import MetricsService

WIB_HOURS = 7


class UnknownSource(KeyError):
    """No configured source has this name."""


def _raw_personal(stream: StreamConfig | None) -> tuple[set[str], set[str]]:
    """The raw column names (as header_key reads them) of the stream's personal key fields, and of its other personal fields."""
    keys: set[str] = set()
    others: set[str] = set()
    if stream is None:
        return keys, others
    personal = stream.personal_columns()
    for name, f in stream.fields.items():
        if name in personal or (f.type == "instant" and f"{name}_utc" in personal):
            (keys if name in stream.key else others).update(header_key(n) for n in (f.source, *f.aliases))
    return keys, others


def _shown_raw(raw: dict, stream: StreamConfig | None, personal_visible: bool) -> dict:
    keys, others = _raw_personal(stream)
    shown = {}
    for column, value in raw.items():
        name = header_key(column)
        is_key = name in keys
        personal = is_key or name in others or personal_name(name.replace(" ", "_"))
        what = treatment(personal, is_key, personal_visible)
        if what == "show":
            shown[column] = value
        elif what == "mask":
            shown[column] = mask_text(value)
    return shown


def _shown_key(record_key: str | None, stream: StreamConfig | None, personal_visible: bool) -> str | None:
    if record_key is None:
        return None
    parts = record_key.split("|")
    if stream is None or len(parts) != len(stream.key):
        return record_key if personal_visible else mask_text(record_key)
    personal = stream.personal_columns()
    return "|".join(mask_text(p) if treatment(k in personal, True, personal_visible) == "mask" else p for k, p in zip(stream.key, parts, strict=True))


def rejects_page(
    metrics: MetricsService, source: str, *, kunci: str | None = None, ref: str | None = None, load: str | None = None,
    page: int = 1, size: int = 50, personal_visible: bool = False,
) -> dict:
    """One page of `source`'s rejects, newest first, for a record key (`kunci`, or the opaque `ref` a drill-down
    links with), a load, or both.

    Raises:
        UnknownSource: no configured source has this name.
        BadQuestion: a page size not in PAGE_SIZES.
    """
    config: SourceConfig | None = metrics.source_config(source)
    if config is None:
        raise UnknownSource(f"sumber '{source}' tidak ada")
    if size not in PAGE_SIZES:
        raise BadQuestion("per", f"pilih salah satu: {', '.join(map(str, PAGE_SIZES))}")
    where, params = ["source = ?"], [source]
    if kunci is not None:
        where.append("record_key = ?")
        params.append(kunci)
    if ref is not None:
        token, salt = token_sql("?", "record_key")
        where.append(f"{token} = ?")
        params += [salt, source, ref]
    if load is not None:
        where.append("load_id = ?")
        params.append(load)
    cur = metrics.cursor()
    condition = " AND ".join(where)
    total = cur.execute(f"SELECT count(*) FROM rejects WHERE {condition}", params).fetchall()[0][0]
    found = cur.execute(
        f"SELECT load_id, stream, origin, record_key, field, reason, raw, rejected_at FROM rejects WHERE {condition} "
        "ORDER BY rejected_at DESC, origin LIMIT ? OFFSET ?",
        [*params, size, (page - 1) * size],
    ).fetchall()
    rows = []
    for load_id, stream_name, origin, record_key, field, reason, raw, at in found:
        stream = config.streams.get(stream_name)
        rows.append({
            "load_id": load_id, "stream": stream_name, "origin": origin, "record_key": _shown_key(record_key, stream, personal_visible),
            "field": field, "reason": reason, "raw": _shown_raw(json.loads(raw) if isinstance(raw, str) else raw, stream, personal_visible),
            "rejected_at": (at + dt.timedelta(hours=WIB_HOURS)).isoformat() if at else None,
        })
    return {"source": source, "total": total, "page": page, "size": size, "rows": rows}


def shown_preview(preview: dict, stream: StreamConfig, personal_visible: bool) -> dict:
    """An upload's preview (ingest.run.Preview.as_dict) as a viewer may see it: its rows' and rejects' personal
    values masked (a key) or left out (blank), as rejects_page shows stored rejects."""
    if personal_visible:
        return preview
    personal = stream.personal_columns()
    shown_columns = [treatment(c in personal, c in stream.key) for c in preview["columns"]]

    def row(values: list) -> list:
        origin, rest = values[0], values[1:]
        return [origin, *(v if how == "show" else mask_text(v) if how == "mask" else None for v, how in zip(rest, shown_columns, strict=True))]

    return {**preview, "rows": [row(r) for r in preview["rows"]],
            "rejects": [{**r, "raw": _shown_raw(r["raw"], stream, False)} for r in preview["rejects"]]}
