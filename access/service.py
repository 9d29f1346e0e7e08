"""Signing in and out, and what a signed-in user may see: the one object the server hands the dashboard."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from access import audit
from access.accounts import Accounts, Refusal, User
from access.roles import at_least
from access.sessions import Session, Sessions, csrf_for
from access.throttle import AddressThrottle
from config.settings import AccessSettings
from warehouse import Warehouse

log = logging.getLogger(__name__)


class IdentityProvider(Protocol):
    """Who checks a name and password. The local accounts are one; single sign-on (OpenID Connect) would be another,
    chosen by access.identity_provider, with its own sign-in step but the same sessions, roles and audit."""

    def authenticate(self, name: str, password: str) -> User | Refusal: ...


class LocalAccounts:
    """Names and passwords checked against the accounts in the warehouse."""

    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts

    def authenticate(self, name: str, password: str) -> User | Refusal:
        return self._accounts.verify(name, password)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a session, or nothing and (when the address tried too often) how long to wait."""

    session: Session | None
    user: User | None = None
    wait: dt.timedelta | None = None


class Access:
    """Accounts, sessions, throttling and the audit trail of one warehouse.

    Args:
        secret: the key cookies are signed and CSRF tokens derived with (runtime.token.session_secret).
        clock: UTC now (naive); tests pass their own.
    """

    def __init__(self, warehouse: Warehouse, settings: AccessSettings, secret: bytes, clock: Callable[[], dt.datetime] = audit.utcnow) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self.secret = secret
        self.clock = clock
        self.sessions = Sessions(warehouse, dt.timedelta(hours=settings.session_hours), dt.timedelta(minutes=settings.idle_minutes), clock)
        self.accounts = Accounts(warehouse, settings.lockout_attempts, dt.timedelta(minutes=settings.lockout_minutes), clock, self.sessions.revoke_user)
        self.throttle = AddressThrottle(settings.address_attempts, dt.timedelta(minutes=settings.lockout_minutes), clock=clock)
        self.provider: IdentityProvider = LocalAccounts(self.accounts)

    def sign_in(self, name: str, password: str, address: str, agent: str | None = None) -> SignIn:
        """Check the name and password and start a session; every attempt is in the audit trail with its reason."""
        wait = self.throttle.wait(address)
        if wait is not None:
            self.record("-", "masuk_gagal", target=name[:40], detail={"alasan": "alamat_dibatasi"}, address=address, agent=agent)
            return SignIn(None, wait=wait)
        outcome = self.provider.authenticate(name, password)
        if isinstance(outcome, Refusal):
            self.throttle.failed(address)
            self.record("-", "masuk_gagal", target=name[:40], detail={"alasan": outcome.value}, address=address, agent=agent)
            return SignIn(None)
        self.throttle.succeeded(address)
        session = self.sessions.start(outcome.name, address)
        self.record(outcome.name, "masuk", role=outcome.role, address=address, agent=agent)
        return SignIn(session, outcome)

    def signed_in(self, session_id: str) -> tuple[Session, User] | None:
        """The live session and its still-enabled user."""
        session = self.sessions.current(session_id)
        if session is None:
            return None
        user = self.accounts.user(session.user_name)
        return (session, user) if user else None

    def sign_out(self, session: Session, user: User, address: str | None = None, agent: str | None = None) -> None:
        self.sessions.revoke(session.id)
        self.record(user.name, "keluar", role=user.role, address=address, agent=agent)

    def csrf(self, session_id: str) -> str:
        return csrf_for(self.secret, session_id)

    def sees_records(self, role: str | None) -> bool:
        return at_least(role, self.settings.records_role)

    def sees_personal(self, role: str | None) -> bool:
        return role in self.settings.personal_roles

    def record(self, who: str, action: str, *, role: str | None = None, target: str | None = None, detail: dict | None = None,
               address: str | None = None, agent: str | None = None) -> audit.Entry:
        """One row of the audit trail."""
        return audit.append(self.warehouse, who, action, role=role, target=target, detail=detail, client_address=address,
                            user_agent=agent, at=self.clock())
