"""The list endpoints' query parameters: cursor, page numbers or a next-link key, checked as a real API would."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from urllib.parse import parse_qs

from region.calendar import WIB

PER_PAGE_DEFAULT, PER_PAGE_MAX = 500, 1000
LIMIT_DEFAULT = 100


class BadRequest(Exception):
    """A query parameter the API does not accept; the message goes back to the client."""


def parse_query(query: str) -> tuple[dt.datetime | None, int, int]:
    """Read `updated_since`, `page` and `per_page` from a query string.

    Args:
        query: the raw query string.

    Returns:
        (updated_since as an aware datetime or None, page, per_page).

    Raises:
        BadRequest: on a malformed, repeated or out-of-range parameter.
    """
    params = _params(query)
    page = _integer(params, "page", 1, 1, None)
    per_page = _integer(params, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    return _since(params), page, per_page


def parse_keyset_query(query: str) -> tuple[dt.datetime | None, int, tuple[int, str] | None]:
    """Read `updated_since`, `limit` and the opaque `after` key of a next link from a query string.

    Raises:
        BadRequest: on a malformed, repeated or out-of-range parameter.
    """
    params = _params(query)
    limit = _integer(params, "limit", LIMIT_DEFAULT, 1, PER_PAGE_MAX)
    raw = params.get("after", [""])[0]
    after = None
    if raw:
        try:
            updated, _, key = base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8").partition("|")
            after = (int(updated), key)
        except (ValueError, UnicodeError, binascii.Error):
            raise BadRequest(f"after is not a key this API gave out: {raw!r}") from None
    return _since(params), limit, after


def encode_after(key: tuple[int, str]) -> str:
    """The opaque `after` parameter of a next link for (diperbarui_pada local seconds, id)."""
    return base64.urlsafe_b64encode(f"{key[0]}|{key[1]}".encode()).decode("ascii")


def _params(query: str) -> dict[str, list[str]]:
    params = parse_qs(query, keep_blank_values=True)
    for name, values in params.items():
        if len(values) > 1:
            raise BadRequest(f"parameter {name} given more than once")
    return params


def _since(params: dict[str, list[str]]) -> dt.datetime | None:
    raw = params.get("updated_since", [""])[0]
    if not raw:
        return None
    try:
        since = dt.datetime.fromisoformat(raw)
    except ValueError:
        hint = " (a '+' in a URL must be sent as %2B)" if " " in raw else ""
        raise BadRequest(
            f"updated_since must be an ISO 8601 timestamp such as 2025-01-03T08:00:00+07:00{hint}, got {raw!r}"
        ) from None
    return since if since.tzinfo is not None else since.replace(tzinfo=WIB)  # the system's own clock is WIB


def _integer(params: dict[str, list[str]], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name, [""])[0]
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {limit}, got {value}")
    return value
