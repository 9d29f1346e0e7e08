"""Checks that need more than types: known OPD codes, and rules that compile over their stream's columns."""

from __future__ import annotations

import duckdb

from config.settings import Config
from region.opd import OPD_BY_CODE


def semantic_problems(config: Config) -> list[tuple[str, str]]:
    """(dotted key, problem) for every source or indicator setting that is well-typed but cannot work."""
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
    problems += _wall_problems(config)
    if config.indicators:
        from metrics.catalogue import configured

        for indicator_id, override in config.indicator_overrides().items():
            try:
                configured({indicator_id: override})
            except ValueError as exc:
                problems.append((f"indicators.{indicator_id}", str(exc)))
    return problems


def _wall_problems(config: Config) -> list[tuple[str, str]]:
    """Map indicators that do not exist or cannot be broken down by kecamatan."""
    from metrics.catalogue import BY_ID

    mappable = sorted(i.id for i in BY_ID.values() if "kode_kecamatan" in i.breakdowns)
    chosen = [("wall.map_indicator", config.wall.map_indicator)]
    chosen += [(f"wall.screens.{screen}.{n}.indikator", item.indikator)
               for screen, items in config.wall.screens.items() for n, item in enumerate(items) if item.indikator]
    return [(key, f"'{value}' is not an indicator with a kecamatan breakdown; choose one of {', '.join(mappable)}")
            for key, value in chosen if value not in mappable]
