"""What /status needs of sign-in (dashboard.signin): who asks, whether a role may act, CSRF, the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from access import audit as trail
from dashboard import signin
from dashboard.signin import csrf_field, sees_personal, sees_records

__all__ = ["Who", "audit_entries", "csrf_field", "may", "record", "refused", "sees_personal", "sees_records", "who"]


@dataclass(frozen=True)
class Who:
    name: str
    role: str


def who() -> Who | None:
    """The signed-in user or the operator token's bearer (as "token", role operator); None for anyone else."""
    role = signin.current_role()
    return Who(signin.who(), role) if role else None


def may(role: str) -> bool:
    return signin.allowed(role)


def refused(_role: str):
    """JSON 401/403 under /api/, else to the sign-in page and back."""
    return signin.refusal()


def record(action: str, target: str | None = None, detail: dict | None = None) -> None:
    signin.audit(action, target, detail)


def audit_entries(since: dt.datetime | None, action: str | None) -> list[trail.Entry]:
    """The audit trail's entries in the order written; none where the app serves without accounts."""
    found = signin.access()
    return trail.entries(found.warehouse, since=since, action=action) if found is not None else []
