"""REST/JSON sources: page-number or next-link pagination, bearer or API-key auth, incremental by a cursor parameter."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from typing import Any

import httpx

from config.sources import SourceConfig, StreamConfig
from ingest.connectors.base import Batch, Connection, ExtractState, SourceError, header_key, text_table, with_origin
from region.calendar import WIB
from spreadsheets import describe_size

RETRY_STATUS = {429, 500, 502, 503, 504}
CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # UTC instants, as the cursor is saved and sent


def _dig(body: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(body, dict) or part not in body:
            raise KeyError(path)
        body = body[part]
    return body


def _get(client: httpx.Client, url: str, params: dict | None, source: SourceConfig, state: ExtractState) -> tuple[int, bytes]:
    """GET with bounded exponential backoff and jitter on refused connections, timeouts, 429 and 5xx: the status
    and the body, read within `max_page_bytes` and `timeout` as a whole (a system that drips a byte at a time never
    trips a read timeout)."""
    problem = ""
    for attempt in range(source.retries):
        state.check_stop()
        try:
            with client.stream("GET", url, params=params) as response:
                if response.status_code not in RETRY_STATUS:
                    return response.status_code, _bounded_body(response, url, source)
                problem = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc or 'tanpa keterangan'}"
        if attempt + 1 < source.retries:
            state.stop.wait(min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.5))
    raise SourceError(f"{url} gagal setelah {source.retries} percobaan: {problem}")


def _bounded_body(response: httpx.Response, url: str, source: SourceConfig) -> bytes:
    limit, seconds = int(source.max_page_bytes), source.timeout.total_seconds()
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise SourceError(f"{url}: halaman {describe_size(int(declared))}, melebihi max_page_bytes {describe_size(limit)}")
    deadline = time.monotonic() + seconds
    parts, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise SourceError(f"{url}: halaman lebih dari max_page_bytes {describe_size(limit)}")
        if time.monotonic() > deadline:
            raise SourceError(f"{url}: halaman tidak selesai dikirim dalam {seconds:g} detik (batas timeout)")
        parts.append(chunk)
    return b"".join(parts)


def _same_origin(link: str, base: httpx.URL) -> bool:
    """Whether a next-page link stays on the source's own scheme, host and port (the token goes with every request)."""
    target = base.join(link)
    return (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)


def _newest(page: list[dict], field: str) -> str | None:
    """The page's largest cursor value, as a UTC instant in the cursor format; None when none parses."""
    newest = None
    for record in page:
        try:
            instant = dt.datetime.fromisoformat(str(record.get(field)).replace("Z", "+00:00"))
        except ValueError:
            continue
        instant = instant.astimezone(dt.UTC) if instant.tzinfo else instant.replace(tzinfo=WIB).astimezone(dt.UTC)
        newest = instant if newest is None or instant > newest else newest
    return newest.strftime(CURSOR_FORMAT) if newest else None


class _RequiredKeys:
    """Finds a record that lacks a required field's key altogether (nor any alias), as when the source renamed it.

    A key present with an empty value is the record's fault, and a reject; a key gone is the source's, and fails the
    load. Records of one API share their keys, so each distinct set of keys is judged once.
    """

    def __init__(self, stream: StreamConfig) -> None:
        self._required = [(f.source, {header_key(n) for n in (f.source, *f.aliases)}) for f in stream.fields.values() if f.required]
        self._judged: dict[tuple[str, ...], list[str]] = {}

    def check(self, page: list[dict], where: str) -> None:
        for position, record in enumerate(page, start=1):
            keys = tuple(record)
            missing = self._judged.get(keys)
            if missing is None:
                present = {header_key(k) for k in keys}
                missing = self._judged[keys] = [name for name, accepted in self._required if not accepted & present]
            if missing:
                raise SourceError(f"{where} #{position}: kolom wajib tidak ada di data sumber: {', '.join(missing)}")


def _headers(source: SourceConfig, conn: Connection) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if source.auth != "none" and not conn.token:
        missing = f"variabel lingkungan {source.token_env} belum disetel" if source.token_env else "token_env tidak dikonfigurasi"
        raise SourceError(f"sumber memakai autentikasi {source.auth}, tetapi token tidak ada: {missing}")
    if source.auth == "bearer":
        headers["Authorization"] = f"Bearer {conn.token}"
    elif source.auth == "api_key":
        headers[source.api_key_header] = conn.token
    return headers


def extract(source: SourceConfig, stream: StreamConfig, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read every page changed since the cursor, one batch per page.

    Raises:
        SourceError: unreachable after retries, refused, an HTTP error, a page that is not the expected JSON, a
            record without a required field's key (the source renamed it), naming the page, record and field.
    """
    params: dict[str, object] = {source.size_param: source.page_size}
    start = state.read_from(source.lookback.total_seconds(), "utc")
    if start is not None:
        params[source.cursor_param] = start.strftime(CURSOR_FORMAT)
    if source.pagination == "page_number":
        params[source.page_param] = 1
    cursor = state.cursor
    required = _RequiredKeys(stream)
    url: str | None = stream.location
    page_number = 1
    base = httpx.URL(conn.url.rstrip("/") + "/")
    followed: set[str] = set()
    with httpx.Client(base_url=base, timeout=source.timeout.total_seconds(), headers=_headers(source, conn)) as client:
        while url:
            where = f"{stream.location} halaman {page_number}"
            if page_number > source.max_pages:
                raise SourceError(f"{where}: lebih dari max_pages {source.max_pages} halaman; sistem sumber tidak pernah menyebut halaman terakhir")
            status, content = _get(client, url, params, source, state)
            if status in (401, 403):
                raise SourceError(f"{where}: ditolak (HTTP {status}); periksa token atau kunci API")
            if status != 200:
                raise SourceError(f"{where}: HTTP {status}: {content[:200].decode('utf-8', 'replace')}")
            try:
                body = json.loads(content)
                page = _dig(body, source.records_path)
                if source.pagination == "page_number":
                    more = page_number < int(_dig(body, source.total_pages_path))
                    url, params[source.page_param] = (stream.location if more and page else None), page_number + 1
                else:
                    url, params = _dig(body, source.next_link_path) if page else None, None
            except (ValueError, KeyError, TypeError, RecursionError) as exc:
                raise SourceError(f"{where}: bukan JSON halaman yang diharapkan ({type(exc).__name__}: {str(exc)[:200]})") from None
            if url is not None:
                if not isinstance(url, str) or not _same_origin(url, base):
                    raise SourceError(f"{where}: tautan halaman berikutnya {str(url)[:120]!r} keluar dari {base.scheme}://{base.netloc.decode()}; "
                                      "tidak diikuti, agar token tidak terkirim ke sistem lain")
                if source.pagination == "next_link" and url in followed:
                    raise SourceError(f"{where}: tautan halaman berikutnya kembali ke halaman yang sudah dibaca ({url[:120]}); pemuatan dihentikan")
                followed.add(url)
            if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
                raise SourceError(f"{where}: '{source.records_path}' bukan daftar rekaman")
            if page:
                required.check(page, where)
                names = list(dict.fromkeys(k for record in page for k in record))
                cursor = max(_newest(page, stream.cursor_field) or "", cursor or "") or None
                yield Batch(table=with_origin(text_table(names, page), f"{where} #", 1), cursor_after=cursor)
            page_number += 1
