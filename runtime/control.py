"""Operator actions and source status, for the API and the CLI: load now, backfill, pause, resume."""

from __future__ import annotations

import datetime as dt

from runtime.context import Pantau, UnknownSource


def source_status(pantau: Pantau) -> list[dict]:
    """Each source: kind, OPD, schedule, paused, last run and its counts, freshness and next run (UTC ISO instants)."""
    freshness = pantau.metrics.freshness()
    last = {
        r[0]: r[1:]
        for r in pantau.warehouse.cursor().execute(
            "SELECT source, arg_max(inserted, started_at), arg_max(updated, started_at), arg_max(load_id, started_at), "
            "arg_max(notes, started_at) FROM loads GROUP BY source"
        ).fetchall()
    }
    rows = []
    for name, s in pantau.sources.items():
        inserted, updated, load_id, notes = last.get(name, (None, None, None, None))
        next_run = pantau.scheduler.next_run(name) if pantau.scheduler else None
        rows.append(
            {
                **freshness[name].as_dict(),
                "kind": s.kind,
                "opd": s.opd,
                "system": s.system,
                "schedule": s.schedule,
                "paused": pantau.is_paused(name),
                "streams": {n: st.table for n, st in s.streams.items()},
                "last_load_id": load_id,
                "last_inserted": inserted,
                "last_updated": updated,
                "last_notes": notes,
                "next_run_at": next_run.isoformat() if next_run else None,
            }
        )
    return rows


class PantauControls:
    """The dashboard's view of the running process."""

    def __init__(self, pantau: Pantau) -> None:
        self._pantau = pantau

    def _names(self, sources: list[str]) -> list[str]:
        names = sources or list(self._pantau.sources)
        unknown = [n for n in names if n not in self._pantau.sources]
        if unknown:
            raise UnknownSource(f"sumber tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(self._pantau.sources)}")
        return names

    def run_now(self, sources: list[str], since: dt.date | None = None) -> list[dict]:
        return [self._pantau.load(n, since).as_dict() for n in self._names(sources)]

    def set_paused(self, sources: list[str], paused: bool) -> list[dict]:
        names = self._names(sources)
        for name in names:
            self._pantau.set_paused(name, paused)
        return [r for r in self.source_status() if r["source"] in names]

    def source_status(self) -> list[dict]:
        return source_status(self._pantau)

    def import_spbe(self, framework_id: str, year: int, levels: dict[int, int]) -> dict:
        return self._pantau.import_spbe(framework_id, year, levels)

    def warehouse_usable(self) -> bool:
        return self._pantau.warehouse.is_usable()
