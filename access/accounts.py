"""Local accounts in the warehouse: name, role, Argon2id password hash, disabled, failed attempts and lock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from access import passwords
from access.audit import utcnow
from access.roles import checked
from warehouse import Warehouse
from warehouse.rows import first, scalar

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


@dataclass(frozen=True)
class User:
    """Who is signed in, and in which role."""

    name: str
    role: str


class Refusal(Enum):
    """Why a sign-in failed. Only the log and the audit trail tell these apart: the person signing in gets one
    message for all, so that which names exist cannot be learnt from it."""

    UNKNOWN = "unknown"
    WRONG = "wrong"
    DISABLED = "disabled"
    LOCKED = "locked"


class AccountError(ValueError):
    """An account change that cannot be made, in words for the administrator."""


@dataclass(frozen=True)
class Account:
    """An account as a listing shows it (never its hash)."""

    name: str
    role: str
    disabled: bool
    created_at: dt.datetime
    changed_at: dt.datetime
    failed_attempts: int
    locked_until: dt.datetime | None

    def as_dict(self) -> dict:
        def iso(t: dt.datetime | None) -> str | None:
            return t.replace(tzinfo=dt.UTC).isoformat() if t else None

        return {"name": self.name, "role": self.role, "disabled": self.disabled, "created_at": iso(self.created_at),
                "changed_at": iso(self.changed_at), "failed_attempts": self.failed_attempts, "locked_until": iso(self.locked_until)}


def checked_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise AccountError(f"nama akun '{str(name)[:40]}' tidak sah: 2-40 huruf kecil, angka, titik, garis bawah atau tanda hubung, diawali huruf atau angka")
    return name


class Accounts:
    """The accounts of one warehouse.

    Args:
        lockout_attempts: failed sign-ins in a row after which the account is locked.
        lockout: how long it stays locked (an administrator may unlock it sooner).
        clock: now, in UTC (naive); tests pass their own.
        on_revoke: called with a user name whose sessions must end (disabled, password changed).
    """

    def __init__(self, warehouse: Warehouse, lockout_attempts: int = 5, lockout: dt.timedelta = dt.timedelta(minutes=15),
                 clock: Callable[[], dt.datetime] = utcnow, on_revoke: Callable[[str], None] | None = None) -> None:
        self._warehouse = warehouse
        self.lockout_attempts = lockout_attempts
        self.lockout = lockout
        self._clock = clock
        self._on_revoke = on_revoke or (lambda _name: None)

    def _change(self, name: str, sql: str, args: list) -> None:
        with self._warehouse.transaction(changes_data=False) as tx:
            if not scalar(tx.execute("SELECT count(*) FROM access_users WHERE name = ?", [name])):
                raise AccountError(f"akun '{name[:40]}' tidak ada")
            tx.execute(f"UPDATE access_users SET {sql}, changed_at = ? WHERE name = ?", [*args, self._clock(), name])

    def add(self, name: str, role: str, password: str) -> User:
        """A new account.

        Raises:
            AccountError: the name is not valid or taken. WeakPassword: too short. UnknownRole.
        """
        checked_name(name)
        checked(role)
        digest = passwords.hashed(password)
        now = self._clock()
        with self._warehouse.transaction(changes_data=False) as tx:
            if scalar(tx.execute("SELECT count(*) FROM access_users WHERE name = ?", [name])):
                raise AccountError(f"akun '{name}' sudah ada")
            tx.execute("INSERT INTO access_users (name, role, password_hash, created_at, changed_at) VALUES (?, ?, ?, ?, ?)",
                       [name, role, digest, now, now])
        return User(name, role)

    def set_password(self, name: str, password: str) -> None:
        """A new password; the account's sessions end. Raises: AccountError, WeakPassword."""
        self._change(name, "password_hash = ?", [passwords.hashed(password)])
        self._on_revoke(name)

    def set_role(self, name: str, role: str) -> None:
        self._change(name, "role = ?", [checked(role)])

    def disable(self, name: str) -> None:
        """No more sign-ins; the account's sessions end."""
        self._change(name, "disabled = true", [])
        self._on_revoke(name)

    def enable(self, name: str) -> None:
        self._change(name, "disabled = false", [])

    def unlock(self, name: str) -> None:
        self._change(name, "failed_attempts = 0, locked_until = NULL", [])

    def get(self, name: str) -> Account | None:
        row = first(self._warehouse.cursor().execute(
            "SELECT name, role, disabled, created_at, changed_at, failed_attempts, locked_until FROM access_users WHERE name = ?", [name]
        ))
        return Account(*row) if row else None

    def listing(self) -> list[Account]:
        rows = self._warehouse.cursor().execute(
            "SELECT name, role, disabled, created_at, changed_at, failed_attempts, locked_until FROM access_users ORDER BY name"
        ).fetchall()
        return [Account(*r) for r in rows]

    def user(self, name: str) -> User | None:
        """The enabled account's User, or None (unknown or disabled): what a session still stands for."""
        row = first(self._warehouse.cursor().execute("SELECT role, disabled FROM access_users WHERE name = ?", [name]))
        return User(name, row[0]) if row and not row[1] else None

    def verify(self, name: str, password: str) -> User | Refusal:
        """The User when `password` is this enabled, unlocked account's; else why not.

        An unknown name costs one hash verification as a known one does, so names cannot be told apart by timing.
        A wrong password counts towards the lock; the lock itself does not say whether the password was right.
        """
        row = first(self._warehouse.cursor().execute(
            "SELECT role, password_hash, disabled, locked_until FROM access_users WHERE name = ?", [name]
        ))
        if row is None:
            passwords.matches(passwords.DUMMY_HASH, password)
            return Refusal.UNKNOWN
        role, stored, disabled, locked_until = row
        good = passwords.matches(stored, password)
        now = self._clock()
        if locked_until is not None and locked_until > now:
            return Refusal.LOCKED
        if not good:
            self._failed(name, now)
            return Refusal.WRONG
        if disabled:
            return Refusal.DISABLED
        with self._warehouse.transaction(changes_data=False) as tx:
            tx.execute("UPDATE access_users SET failed_attempts = 0, locked_until = NULL WHERE name = ?", [name])
            if passwords.needs_rehash(stored):
                tx.execute("UPDATE access_users SET password_hash = ? WHERE name = ?", [passwords.HASHER.hash(password), name])
        return User(name, role)

    def _failed(self, name: str, now: dt.datetime) -> None:
        with self._warehouse.transaction(changes_data=False) as tx:
            # A lock that has run out starts the count afresh.
            count = scalar(tx.execute("SELECT CASE WHEN locked_until IS NOT NULL THEN 0 ELSE failed_attempts END FROM access_users WHERE name = ?",
                                      [name])) + 1
            locked = now + self.lockout if count >= self.lockout_attempts else None
            tx.execute("UPDATE access_users SET failed_attempts = ?, locked_until = ? WHERE name = ?", [count, locked, name])
