"""REST/JSON sources: page-numbered pages of {"data": [...], "meta": {"total_pages": N}}, incremental by cursor."""

from __future__ import annotations

import random
from collections.abc import Iterator

import httpx
import pandas as pd

from ingest.connectors.base import (
    Batch,
    Connection,
    ExtractState,
    SourceError,
    read_from,
)

CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # UTC instants, as the cursor is saved

RETRY_STATUS = {429, 500, 502, 503, 504}


def _get(client: httpx.Client, path: str, params: dict, conn: Connection, state: ExtractState) -> httpx.Response:
    """GET with bounded exponential backoff and jitter on refused connections, timeouts, 429 and 5xx."""
    problem = ""
    for attempt in range(conn.retries):
        state.check_stop()
        try:
            response = client.get(path, params=params)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc or 'tanpa keterangan'}"
        else:
            if response.status_code not in RETRY_STATUS:
                return response
            problem = f"HTTP {response.status_code}"
        if attempt + 1 < conn.retries:
            state.stop.wait(min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.5))
    raise SourceError(f"{client.base_url}{path} gagal setelah {conn.retries} percobaan: {problem}")


def extract(spec, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read every page changed since the cursor, one batch per page.

    Raises:
        SourceError: unreachable after retries, an HTTP error, a page that is not the expected JSON.
    """
    headers = {"Accept": "application/json"}
    if conn.token:
        headers["Authorization"] = f"Bearer {conn.token}"
    params: dict[str, object] = {"page": 1, "per_page": conn.page_size}
    if state.cursor:
        params[spec.cursor_param] = read_from(state.cursor, conn.lookback_s, CURSOR_FORMAT)
    cursor = state.cursor
    with httpx.Client(base_url=conn.url.rstrip("/") + "/", timeout=conn.timeout_s, headers=headers) as client:
        while True:
            response = _get(client, spec.location, params, conn, state)
            where = f"{spec.location} halaman {params['page']}"
            if response.status_code != 200:
                raise SourceError(f"{where}: HTTP {response.status_code}: {response.text[:200]}")
            try:
                body = response.json()
                page = body["data"]
                total_pages = int(body["meta"]["total_pages"])
            except (ValueError, KeyError, TypeError) as exc:
                raise SourceError(f"{where}: bukan JSON halaman yang diharapkan ({type(exc).__name__}: {exc})") from None
            if not isinstance(page, list):
                raise SourceError(f"{where}: 'data' bukan daftar")
            if page:
                frame = pd.DataFrame.from_records(page)
                frame["_origin"] = [f"{where} #{i + 1}" for i in range(len(frame))]
                if spec.cursor_field in frame.columns:
                    newest = pd.to_datetime(frame[spec.cursor_field], format="ISO8601", utc=True, errors="coerce").max()
                    if pd.notna(newest):
                        cursor = max(newest.strftime(CURSOR_FORMAT), cursor or "")
                yield Batch(frame=frame, cursor_after=cursor)
            if not page or int(params["page"]) >= total_pages:
                return
            params["page"] = int(params["page"]) + 1
