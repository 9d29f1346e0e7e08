"""Checks that need more than types: configured agencies, known OPD codes, and rules that compile over their stream's columns."""

from __future__ import annotations

import duckdb

from config.settings import Config
from region.opd import BUILTIN, Directory


def semantic_problems(config: Config) -> list[tuple[str, str]]:
    """(dotted key, problem) for every source setting that is well-typed but cannot work.

    Indicator settings are checked beside the catalogue (metrics.indicator_settings); runtime.configuration runs both.
    """
    problems: list[tuple[str, str]] = []
    directory = _opd_directory(config, problems)
    db = duckdb.connect(":memory:")
    try:
        for name, source in config.sources.items():
            if source.opd not in directory.by_code:
                problems.append((f"sources.{name}.opd", f"unknown OPD code '{source.opd}'; known: {', '.join(directory.by_code)}"))
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


def _opd_directory(config: Config, problems: list[tuple[str, str]]) -> Directory:
    """The agencies with the configured ones; a name that would stand for two agencies is a problem at its entry."""
    try:
        return config.opd_directory()
    except ValueError as exc:
        code = next((c for c, o in config.opd.items() if any(f"'{n}'" in str(exc) for n in (c, o.nama, o.nama_lengkap, *o.variants) if n)), None)
        problems.append((f"opd.{code}" if code else "opd", str(exc)))
        return BUILTIN
