"""Operator actions and source status, for the API and the CLI: load now, backfill, pause, resume."""

from __future__ import annotations

import datetime as dt

from metrics.catalogue import depending_on
from runtime.context import Pantau, UnknownSource
from runtime.health import health
from warehouse.operations import load_summaries


def source_status(pantau: Pantau) -> list[dict]:
    """Each source: kind, OPD, schedule, paused, last run and its counts, freshness, next run (UTC ISO instants), and
    the indicators whose recompute after its loads failed."""
    freshness = pantau.metrics.freshness()
    # By the id freshness names, so counts and notes are of the same run as its status and error.
    summaries = load_summaries(pantau.warehouse.cursor(), [f.last_load_id for f in freshness.values() if f.last_load_id])
    failing = set(pantau.metrics.not_recomputed())
    rows = []
    for name, s in pantau.sources.items():
        last = summaries.get(freshness[name].last_load_id)
        next_run = pantau.scheduler.next_run(name) if pantau.scheduler else None
        reading_it = [i.id for i in depending_on(name, pantau.metrics.indicators)]
        rows.append(
            {
                **freshness[name].as_dict(),
                "kind": s.kind,
                "opd": s.opd,
                "system": s.system,
                "schedule": s.schedule,
                "paused": pantau.is_paused(name),
                "missing_env": pantau.unset_secret_env(name),
                "streams": {n: st.table for n, st in s.streams.items()},
                "last_inserted": last.inserted if last else None,
                "last_updated": last.updated if last else None,
                "last_skipped": last.skipped if last else None,
                "last_notes": last.notes if last else None,
                "next_run_at": next_run.isoformat() if next_run else None,
                "not_recomputed": [i for i in reading_it if i in failing],
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

    def health(self) -> dict:
        return health(self._pantau)
