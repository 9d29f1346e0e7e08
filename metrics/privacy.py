"""What a record view may show of a person: one policy, and the masks that carry it out in Python and in the engine.

Until sign-in and roles exist nobody sees personal data: a personal key (a NIP) is shown masked, keeping its last
four characters, and every other personal field (a name) is never selected. A later role check relaxes the policy by
passing `personal_visible`; nothing else decides.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

import ibis

MASK = "•"
SHOWN_TAIL = 4  # enough to tell two records apart, too few to find the person
# Links to a masked record's rejects carry a reference, not the key; it holds while this process runs.
_LINK_SALT = secrets.token_hex(16)


def treatment(personal: bool, key: bool, personal_visible: bool = False) -> Literal["show", "mask", "omit"]:
    """The policy for one value: shown, masked (a key) or left out (any other personal field).

    Args:
        personal: the value identifies a person (config.sources: a field's `personal`, or its name).
        key: the value is (part of) the record's key, which a view needs to tell records apart.
        personal_visible: the viewer may see personal data (a role check's decision; none exists yet).
    """
    if not personal or personal_visible:
        return "show"
    return "mask" if key else "omit"


def mask_text(text: object) -> str | None:
    """A personal key masked: "••••••••••••••1002"; a key of four characters or fewer is masked whole."""
    if text is None:
        return None
    text = str(text)
    return MASK * (len(text) - SHOWN_TAIL) + text[-SHOWN_TAIL:] if len(text) > SHOWN_TAIL else MASK * len(text)


def mask_value(expr: ibis.Value) -> ibis.StringValue:
    """mask_text in the engine, for sorting, searching and streaming without the key leaving it."""
    text = expr.cast("string")
    n = text.length()
    return ibis.ifelse(n > SHOWN_TAIL, ibis.literal(MASK).repeat(n - SHOWN_TAIL).concat(text.right(SHOWN_TAIL)), ibis.literal(MASK).repeat(n))


def link_token(source: str, record_key: str) -> str:
    """An opaque reference to a record key's rejects in `source` (see metrics.rejects)."""
    return hashlib.sha256(f"{_LINK_SALT}{source}\x1f{record_key}".encode()).hexdigest()[:24]


def token_sql(source_param: str, key_sql: str) -> tuple[str, str]:
    """The SQL that computes link_token for a key column, and the salt to bind as its first parameter."""
    return f"substr(sha256(? || {source_param} || chr(31) || {key_sql}), 1, 24)", _LINK_SALT
