"""Secrets kept out of sight: passwords refused in database URLs, and every secret masked in text that leaves the process.

The masking knows the values the process read (the environment variables the configuration names, the operator
token) and also recognises secrets by their shape: a password in a URL's userinfo, a password-like parameter
(`password=`, `api_key=`, ... also URL-encoded), an `Authorization` or `Bearer` value.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, unquote_plus

if TYPE_CHECKING:
    from config.settings import Config

MASK = "***"
# Names of parameters whose value is a secret, in a URL query or a key=value text (matched on the decoded name).
SECRET_NAME = re.compile(r"password|passwd|passphrase|^pass$|^pwd$|secret|token|api[_-]?key|^key$|credential|signature|^sig$", re.I)
_SHORTEST_SECRET = 4  # a shorter value would mask ordinary words; such a secret protects nothing anyway

_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/?#@'\"<>]*:)(?P<secret>[^\s'\"<>]*)@")
_PAIR = re.compile(r"(?P<key>(?<![\w.%\-])[\w.%\-]{1,64})(?P<eq>\s*=\s*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s&;,#'\")]*[^\s&;,#'\"):])")
_QUOTED_PAIR = re.compile(r"(?P<key>[\"'][\w.%\- ]{1,64}[\"'])(?P<eq>\s*:\s*)(?P<value>\"[^\"]*\"|'[^']*')")
_AUTHORIZATION = re.compile(r"(?P<head>authorization[\"']?\s*[:=]\s*[\"']?(?:(?:bearer|basic|token|digest)\s+)?)(?P<value>[^\s\"',})]+)", re.I)
_BEARER = re.compile(r"(?P<head>\bbearer\s+)(?P<value>[A-Za-z0-9._~+/\-]{8,}=*)", re.I)
# Inside a URL's decoded parts: a libpq-style "password=..." (a dbname may carry a whole connection string).
_CONNINFO_PASSWORD = re.compile(r"(?<![a-z])(password|passwd|pwd|sslpassword)\s*=", re.I)


def _decoded(text: str) -> str:
    """`text` with percent-encoding undone until nothing changes (so %2577 cannot hide a 'w')."""
    for _ in range(5):
        plain = unquote_plus(text)
        if plain == text:
            break
        text = plain
    return text


def password_in_url(url: str) -> str | None:
    """Where a database URL carries a password, in words; None when it carries none.

    SQLAlchemy's own parser decides what the driver would receive: userinfo (`user:pw@`, `:pw@`, a `/` or `@`
    in it) and query parameters (`password`, `PWD`, `sslpassword`, also percent-encoded).
    """
    from sqlalchemy.engine import make_url  # only a configuration with a database_url pays for the import
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        # Not a URL SQLAlchemy reads; still refuse one that looks like user:password@ once decoded.
        match = _USERINFO.search(_decoded(url))
        return "a password after the user name" if match and match["secret"] else None
    if parsed.password:
        return "a password after the user name"
    if parsed.username and ":" in parsed.username:
        return "a password after the user name (written as %3A)"
    for key, values in parsed.query.items():
        if SECRET_NAME.search(_decoded(key).strip()):
            return f"query parameter '{key}'"
        for value in (values,) if isinstance(values, str) else values:
            if _CONNINFO_PASSWORD.search(_decoded(value)):
                return f"a password inside query parameter '{key}'"
    if parsed.database and _CONNINFO_PASSWORD.search(_decoded(parsed.database)):
        return "a password inside the database name"
    return None


def _url_parts(value: str) -> list[str] | None:
    """The secret pieces of a URL, as it may be echoed: its password (as written and decoded) and secret parameters.

    None when `value` is not a URL: then the whole value is the secret.
    """
    if "://" not in value:
        return None
    from sqlalchemy.engine import make_url  # only for a URL: a token or key alone needs no parser
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(value)
    except ArgumentError:
        return None
    written = _USERINFO.match(value)
    parts = [p for p in (parsed.password, written["secret"] if written else None) if p]
    for key, values in parsed.query.items():
        if SECRET_NAME.search(_decoded(key)):
            parts.extend((values,) if isinstance(values, str) else values)
    return parts


class Redactor:
    """Masks secrets in text: the values it was given (also URL-encoded), and secrets recognised by their shape."""

    def __init__(self, values: Iterable[str | None] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._known: re.Pattern[str] | None = None
        self.add(*values)

    def add(self, *values: str | None) -> None:
        """Remember more secret values; of a URL, its password and secret parameters (the rest of it is no secret)."""
        found = set()
        for value in values:
            if not value:
                continue
            parts = _url_parts(value)
            for piece in [value] if parts is None else parts:
                found.update({piece, quote(piece, safe=""), quote(piece), quote_plus(piece)})
        found = {v for v in found if len(v) >= _SHORTEST_SECRET}
        with self._lock:
            if found <= self._values:
                return
            self._values |= found
            longest_first = sorted(self._values, key=len, reverse=True)
            self._known = re.compile("|".join(re.escape(v) for v in longest_first))

    def __call__(self, text: str) -> str:
        known = self._known
        if known is not None:
            text = known.sub(MASK, text)
        text = _USERINFO.sub(lambda m: f"{m['head']}{MASK}@" if m["secret"] else m[0], text)
        text = _AUTHORIZATION.sub(lambda m: m["head"] + MASK, text)
        text = _BEARER.sub(lambda m: m["head"] + MASK, text)
        text = _PAIR.sub(_masked_pair, text)
        return _QUOTED_PAIR.sub(_masked_pair, text)


def _masked_pair(match: re.Match[str]) -> str:
    if not SECRET_NAME.search(_decoded(match["key"]).strip("\"' ")):
        return match[0]
    value = match["value"]
    quote_char = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['key']}{match['eq']}{quote_char}{MASK}{quote_char}"


# The process's redactor: every secret the process reads is added, and log records and stored errors pass through it.
REDACTOR = Redactor()


def redact(text: str | None, *values: str | None) -> str | None:
    """`text` with the process's known secrets, `values` and secret-shaped parts masked (None stays None)."""
    if not text:
        return text
    return Redactor(values)(REDACTOR(text)) if any(values) else REDACTOR(text)


def secret_env_names(config: Config) -> list[str]:
    """The environment variables that the configuration says hold secrets."""
    names = [config.server.operator_token_env, config.server.metrics_token_env]
    names.extend(n for n in (config.alerts.webhook_url_env, config.alerts.smtp_password_env) if n)
    for source in config.sources.values():
        names.extend(n for n in (source.database_url_env, source.token_env) if n)
    return names


class RedactingFilter(logging.Filter):
    """A handler filter that masks secrets in every record: the message, and the traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = REDACTOR(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # What the formatter would write, made here so that it is masked before any handler writes it.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = REDACTOR(record.exc_text)
        if record.stack_info:
            record.stack_info = REDACTOR(record.stack_info)
        return True
