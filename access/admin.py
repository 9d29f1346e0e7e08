"""User administration and the audit trail's reading, as the CLI and the token-protected API ask for them: one
function per request body, each change noted in the trail."""

from __future__ import annotations

import datetime as dt

from access import audit
from access.accounts import AccountError, Accounts
from access.passwords import WeakPassword
from access.roles import UnknownRole

ACTIONS = ("add", "passwd", "role", "disable", "enable", "unlock", "list")


def administer(accounts: Accounts, warehouse, body: dict, who: str, role: str | None = None, address: str | None = None) -> dict:
    """Do `body`: {"op": one of ACTIONS, "name": ..., "role": ..., "password": ...}.

    Raises:
        ValueError: an unknown op, a bad name, role or password, an account that does or does not exist.
    """
    op, name = body.get("op"), str(body.get("name") or "")
    if op not in ACTIONS:
        raise ValueError(f"'op' harus salah satu dari {', '.join(ACTIONS)}")
    if op == "list":
        return {"users": [a.as_dict() for a in accounts.listing()]}
    try:
        if op == "add":
            accounts.add(name, str(body.get("role") or ""), str(body.get("password") or ""))
        elif op == "passwd":
            accounts.set_password(name, str(body.get("password") or ""))
        elif op == "role":
            accounts.set_role(name, str(body.get("role") or ""))
        else:
            getattr(accounts, op)(name)
    except (AccountError, WeakPassword, UnknownRole) as exc:
        raise ValueError(str(exc)) from None
    detail = {"role": body["role"]} if op in ("add", "role") else None
    audit.append(warehouse, who, f"user_{op}", role=role, target=name, detail=detail, client_address=address)
    return {"user": name, "done": op}


def trail(warehouse, since: str | None = None) -> dict:
    """The trail's rows from `since` (YYYY-MM-DD, UTC) on, oldest first.

    Raises:
        ValueError: `since` is not a date.
    """
    start = None
    if since is not None and not isinstance(since, str):
        raise ValueError("'since' harus teks tanggal YYYY-MM-DD")
    if since:
        try:
            start = dt.datetime.combine(dt.date.fromisoformat(since), dt.time())
        except ValueError:
            raise ValueError(f"'since' bukan tanggal YYYY-MM-DD: {since[:40]!r}") from None
    return {"entries": [e.as_dict() for e in audit.entries(warehouse, since=start)]}
