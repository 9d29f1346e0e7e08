"""SQL sources through SQLAlchemy: any database URL, one table, incremental on a column that grows with changes."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ingest.connectors.base import (
    Connection,
    Extracted,
    ExtractState,
    SourceError,
    read_from,
)

# The cursor is the source's own value of its change column; read-from points are written back in this form,
# which SQLite text and SQL timestamp columns alike compare correctly.
CURSOR_FORMAT = "%Y-%m-%d %H:%M:%S"


def extract(spec, conn: Connection, state: ExtractState) -> Extracted:
    """Read the rows whose cursor column is at or after the saved cursor.

    Raises:
        SourceError: the database cannot be reached or queried.
    """
    engine = sa.create_engine(conn.database_url, pool_pre_ping=True)
    try:
        table = sa.table(spec.location, sa.column(spec.cursor_field))
        query = sa.select(sa.text("*")).select_from(table).order_by(table.c[spec.cursor_field])
        if state.cursor:
            query = query.where(table.c[spec.cursor_field] >= read_from(state.cursor, conn.lookback_s, CURSOR_FORMAT))
        with engine.connect() as db:
            result = db.execute(query)
            columns = list(result.keys())
            chunks = []
            while rows := result.fetchmany(20_000):
                state.check_stop()
                chunks.append(pd.DataFrame(rows, columns=columns, dtype="object"))
    except sa.exc.SQLAlchemyError as exc:
        raise SourceError(f"basis data {engine.url.render_as_string(hide_password=True)}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
    frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=columns)
    frame = frame.map(lambda v: None if v is None else str(v)).astype("string") if len(frame) else frame
    frame["_origin"] = [f"{spec.location} baris {i + 1}" for i in range(len(frame))]
    cursor_after = max(str(frame[spec.cursor_field].max()), state.cursor or "") if len(frame) else state.cursor
    return Extracted(frame=frame, cursor_after=cursor_after)
