"""Server-side sessions: the id is only in the (signed) cookie; the warehouse keeps its SHA-256, the user, when it
began and was last used, when it ends, and whether it was revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from access.audit import utcnow
from warehouse import Warehouse
from warehouse.rows import first

# A session's last use is written at most this often: every page asks several times a second.
_TOUCH_EVERY = dt.timedelta(seconds=60)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    id: str
    user_name: str
    created_at: dt.datetime
    expires_at: dt.datetime


class Sessions:
    """The sessions of one warehouse.

    Args:
        lifetime: absolute length of a session. idle: it ends after this long unused. clock: UTC now (naive).
    """

    def __init__(self, warehouse: Warehouse, lifetime: dt.timedelta = dt.timedelta(hours=12), idle: dt.timedelta = dt.timedelta(minutes=60),
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._warehouse = warehouse
        self.lifetime = lifetime
        self.idle = idle
        self._clock = clock

    def start(self, user_name: str, client_address: str | None) -> Session:
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._warehouse.transaction(changes_data=False) as tx:
            # Ended sessions are of no use: cleared as new ones begin, so the table stays small.
            tx.execute("DELETE FROM access_sessions WHERE expires_at < ? OR revoked_at < ?", [now - self.idle, now - self.lifetime])
            tx.execute("INSERT INTO access_sessions (id_hash, user_name, created_at, last_seen_at, expires_at, client_address) VALUES (?, ?, ?, ?, ?, ?)",
                       [_hash(session_id), user_name, now, now, now + self.lifetime, client_address])
        return Session(session_id, user_name, now, now + self.lifetime)

    def current(self, session_id: str) -> Session | None:
        """The live session with this id (not revoked, not past its end, used within `idle`), its last use noted."""
        now = self._clock()
        row = first(self._warehouse.cursor().execute(
            "SELECT user_name, created_at, last_seen_at, expires_at, revoked_at FROM access_sessions WHERE id_hash = ?", [_hash(session_id)]
        ))
        if row is None:
            return None
        user_name, created, seen, expires, revoked = row
        if revoked is not None or now >= expires or now - seen >= self.idle:
            return None
        if now - seen >= _TOUCH_EVERY:
            with self._warehouse.transaction(changes_data=False) as tx:
                tx.execute("UPDATE access_sessions SET last_seen_at = ? WHERE id_hash = ?", [now, _hash(session_id)])
        return Session(session_id, user_name, created, expires)

    def revoke(self, session_id: str) -> None:
        with self._warehouse.transaction(changes_data=False) as tx:
            tx.execute("UPDATE access_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL", [self._clock(), _hash(session_id)])

    def revoke_user(self, user_name: str) -> None:
        """End every session of a user (disabled, password changed)."""
        with self._warehouse.transaction(changes_data=False) as tx:
            tx.execute("UPDATE access_sessions SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL", [self._clock(), user_name])


def csrf_for(secret: bytes, session_id: str) -> str:
    """The session's CSRF token: derived from its id with the secret key, so it needs no storage of its own."""
    return hmac.new(secret, b"csrf\n" + session_id.encode(), hashlib.sha256).hexdigest()
