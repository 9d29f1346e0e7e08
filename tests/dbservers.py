"""Throwaway databases on the MariaDB and PostgreSQL servers of this machine, one per test, dropped afterwards.

Both servers run on 127.0.0.1 on this machine and on CI beside it (MariaDB: root, no password; PostgreSQL: trust
auth). On a machine without them the tests that need them skip, saying why; `.ci/run` refuses to skip them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

SERVERS = {
    "mariadb": ("mysql+pymysql://root@127.0.0.1:3306/test", "mysql+pymysql://root@127.0.0.1:3306/{db}"),
    "postgresql": ("postgresql+psycopg://root@127.0.0.1:5432/test", "postgresql+psycopg://root@127.0.0.1:5432/{db}"),
}


def unavailable(kind: str) -> str | None:
    """Why the server cannot be used here, or None when it can."""
    admin_url, _ = SERVERS[kind]
    engine = sa.create_engine(admin_url)
    try:
        with engine.connect() as db:
            db.execute(sa.text("SELECT 1"))
        return None
    except sa.exc.SQLAlchemyError as exc:
        return f"{kind} server on 127.0.0.1 is not reachable ({str(exc).splitlines()[0]})"
    finally:
        engine.dispose()


def required_here() -> bool:
    """CI sets PANTAU_REQUIRE_DB_SERVERS=1: there a missing server fails the test instead of skipping it."""
    return os.environ.get("PANTAU_REQUIRE_DB_SERVERS") == "1"


def require(kind: str) -> None:
    """Go on only when the server can be used: else fail where CI requires it, skip (saying why) elsewhere."""
    why = unavailable(kind)
    if why:
        if required_here():
            pytest.fail(why)
        pytest.skip(why)


@contextmanager
def throwaway_database(kind: str) -> Iterator[str]:
    """A new database with a unique name; yields its SQLAlchemy URL and drops it afterwards."""
    admin_url, url = SERVERS[kind]
    name = f"pantau_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as db:
            db.execute(sa.text(f"CREATE DATABASE {name}"))
        yield url.format(db=name)
    finally:
        with admin.connect() as db:
            if kind == "postgresql":
                db.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                db.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
