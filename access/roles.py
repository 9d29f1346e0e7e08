"""The roles, from least to most allowed; each role may do everything the roles before it may."""

from __future__ import annotations

ROLES = ("viewer", "analyst", "operator", "admin")


class UnknownRole(ValueError):
    """A role name that is not one of ROLES."""


def checked(role: str) -> str:
    """`role` when it is one of ROLES.

    Raises:
        UnknownRole: it is not.
    """
    if role not in ROLES:
        raise UnknownRole(f"peran '{str(role)[:40]}' tidak dikenal; pilih {', '.join(ROLES)}")
    return role


def at_least(role: str | None, needed: str) -> bool:
    """Whether `role` (None: nobody signed in) is `needed` or above."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(checked(needed))
