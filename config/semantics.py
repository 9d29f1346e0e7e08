"""Checks that need more than types: known OPD codes, and rules that compile over their stream's columns."""

from __future__ import annotations

import duckdb

from config.settings import Config
from region.opd import OPD_BY_CODE


def semantic_problems(config: Config) -> list[tuple[str, str]]:
    """(dotted key, problem) for every source setting that is well-typed but cannot work.

    Indicator settings are checked beside the catalogue (metrics.indicator_settings); runtime.configuration runs both.
    """
    problems: list[tuple[str, str]] = []
    db = duckdb.connect(":memory:")
    try:
        for name, source in config.sources.items():
            if source.opd not in OPD_BY_CODE:
                problems.append((f"sources.{name}.opd", f"unknown OPD code '{source.opd}'; known: {', '.join(OPD_BY_CODE)}"))
            for stream_name, stream in source.streams.items():
                columns = ", ".join(f'"{c}" {t}' for c, t in stream.columns().items())
                db.execute(f"CREATE OR REPLACE TEMP TABLE probe ({columns})")
                for i, check in enumerate(stream.checks):
                    try:
                        db.execute(f"SELECT CAST(({check.valid}) AS BOOLEAN) FROM probe")
                    except duckdb.Error as exc:
                        key = f"sources.{name}.streams.{stream_name}.checks.{i}.valid"
                        problems.append((key, f"rule does not compile over the stream's columns: {str(exc).splitlines()[0]}"))
    finally:
        db.close()
    return problems
