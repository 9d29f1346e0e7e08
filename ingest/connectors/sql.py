"""SQL sources through SQLAlchemy: any database URL, one table, incremental on a column that grows with changes."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import sqlalchemy as sa

from ingest.connectors.base import (
    Batch,
    Connection,
    ExtractState,
    SourceError,
    read_from,
)

# The cursor is the source's own value of its change column; read-from points are written back in this form,
# which SQLite text and SQL timestamp columns alike compare correctly.
CURSOR_FORMAT = "%Y-%m-%d %H:%M:%S"
CHUNK_ROWS = 20_000


def extract(spec, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read the rows whose cursor column is at or after the read-from point, a batch per chunk of rows.

    Raises:
        SourceError: the database cannot be reached or queried.
    """
    engine = sa.create_engine(conn.database_url, pool_pre_ping=True)
    table = sa.table(spec.location, sa.column(spec.cursor_field))
    query = sa.select(sa.text("*")).select_from(table).order_by(table.c[spec.cursor_field])
    if state.cursor:
        query = query.where(table.c[spec.cursor_field] >= read_from(state.cursor, conn.lookback_s, CURSOR_FORMAT))
    cursor, first_row = state.cursor, 1
    try:
        with engine.connect() as db:
            result = db.execute(query)
            columns = list(result.keys())
            while rows := result.fetchmany(CHUNK_ROWS):
                state.check_stop()
                # Text, as from every other kind: the field mapping parses and validates each value.
                frame = pd.DataFrame(rows, columns=columns, dtype="object").map(lambda v: None if v is None else str(v)).astype("string")
                frame["_origin"] = [f"{spec.location} baris {first_row + i}" for i in range(len(frame))]
                first_row += len(frame)
                cursor = max(str(frame[spec.cursor_field].max()), cursor or "")
                yield Batch(frame=frame, cursor_after=cursor)
    except sa.exc.SQLAlchemyError as exc:
        raise SourceError(f"basis data {engine.url.render_as_string(hide_password=True)}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
