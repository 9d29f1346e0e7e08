"""SQL sources through SQLAlchemy: any database URL, a table or a query, incremental on a column that grows with changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa

from config.sources import SourceConfig, StreamConfig
from ingest.connectors.base import Batch, Connection, ExtractState, SourceError, text_table, with_origin

CHUNK_ROWS = 20_000
# SQLite keeps timestamps as text, compared as text: the cursor goes in that form. Other databases get a datetime.
SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _cursor_text(value: object) -> str:
    """A cursor column's value as an ISO text, from a datetime or from a database's own text."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return dt.datetime.fromisoformat(str(value)).strftime("%Y-%m-%dT%H:%M:%S.%f")


CONNECT_S = 10.0  # at most: a database that takes longer to answer a connection is not there


def _engine(url: str, query_timeout: dt.timedelta) -> sa.Engine:
    """An engine whose connections give up on a database that stops answering: a connect within CONNECT_S (or the
    query timeout, if shorter), and each round trip for rows within `query_timeout`, as each driver spells it."""
    seconds = max(1, int(query_timeout.total_seconds()))
    backend = sa.engine.make_url(url).get_backend_name()
    connect = min(CONNECT_S, seconds)
    args: dict[str, object] = {}
    if backend in ("mysql", "mariadb"):
        args = {"connect_timeout": connect, "read_timeout": seconds, "write_timeout": seconds}
    elif backend == "postgresql":
        args = {"connect_timeout": max(1, int(connect)), "options": f"-c statement_timeout={seconds * 1000}"}
    elif backend == "sqlite":
        args = {"timeout": connect}  # how long to wait for a writer's lock
    return sa.create_engine(url, pool_pre_ping=True, connect_args=args)


def _statement(engine: sa.Engine, stream: StreamConfig, since_given: bool) -> sa.TextClause:
    quote = engine.dialect.identifier_preparer.quote
    body = f"({stream.query}) AS pantau_src" if stream.query else quote(stream.location)
    column = quote(stream.cursor_field)
    where = f" WHERE {column} >= :since" if since_given else ""
    return sa.text(f"SELECT * FROM {body}{where} ORDER BY {column}")


def extract(source: SourceConfig, stream: StreamConfig, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read the rows whose cursor column is at or after the read-from point, a batch per chunk of rows.

    Raises:
        SourceError: the database cannot be reached or queried.
    """
    engine = _engine(conn.database_url, source.query_timeout)
    start = state.read_from(source.lookback.total_seconds(), "local")
    params = {}
    if start is not None:
        params["since"] = start.strftime(SQLITE_FORMAT) if engine.dialect.name == "sqlite" else start
    cursor, first_row = state.cursor, 1
    where = stream.location or "query"
    try:
        # Rows stream from a server-side cursor: a table of millions is never held whole by the driver.
        with engine.connect().execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS) as db:
            result = db.execute(_statement(engine, stream, start is not None), params)
            columns = list(result.keys())
            if stream.cursor_field not in columns:
                raise SourceError(f"{where}: kolom kursor '{stream.cursor_field}' tidak ada; kolom: {', '.join(columns)}")
            position = columns.index(stream.cursor_field)
            while rows := result.fetchmany(CHUNK_ROWS):
                state.check_stop()
                # Text, as from every other kind: the field mapping parses and validates each value.
                table = with_origin(text_table(columns, rows), f"{where} baris ", first_row)
                first_row += len(rows)
                newest = max((r[position] for r in rows if r[position] is not None), default=None)
                if newest is not None:
                    cursor = max(_cursor_text(newest), cursor or "")
                yield Batch(table=table, cursor_after=cursor)
    except sa.exc.SQLAlchemyError as exc:
        raise SourceError(f"basis data {engine.url.render_as_string(hide_password=True)}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
