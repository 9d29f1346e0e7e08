"""Operator actions and source status, for the API, the CLI and /status: load now (or in the background),
backfill, pause, resume, the run history, the system's state, and uploads previewed before they load."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
import time
from importlib.metadata import PackageNotFoundError, version

from ingest.connectors import Connection
from ingest.run import preview_file
from metrics.catalogue import depending_on
from metrics.spbe.history import SPBE_TABLE, spbe_history
from runtime.context import Pantau, UnknownSource
from runtime.health import health
from runtime.uploads import Staged, stream_for
from warehouse.operations import load_summaries, run_history, saved_cursors

log = logging.getLogger(__name__)
STARTED = time.time()


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
                "last_loaded": last.loaded if last else None,
                "last_seconds": last.seconds if last else None,
                "cursor": saved_cursors(pantau.warehouse.cursor(), name),
                "next_run_at": next_run.isoformat() if next_run else None,
                "not_recomputed": [i for i in reading_it if i in failing],
            }
        )
    return rows


def _version() -> str:
    try:
        return version("pantau")
    except PackageNotFoundError:
        return "0.1.0"


def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _spbe_changes(before: list[dict]):
    """What a preview's `inspect` reads for the SPBE source: each year whose assessment the file changes, its index
    as it would be and the stored one."""
    stored = {e["year"]: e for e in before}

    def inspect(tx) -> list[dict]:
        changed = []
        for entry in spbe_history(tx):
            old = stored.get(entry["year"])
            if old is not None and old.get("index") == entry.get("index") and old.get("levels") == entry.get("levels"):
                continue
            changed.append({"year": entry["year"], "index": _number(entry.get("index")), "predicate": entry.get("predicate"),
                            "problem": entry.get("problem"), "stored_index": _number(old.get("index")) if old else None,
                            "change": _number(entry["index"] - old["index"]) if old and old.get("index") is not None and entry.get("index") is not None else None})
        return changed

    return inspect


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)


class PantauControls:
    """The dashboard's view of the running process."""

    def __init__(self, pantau: Pantau) -> None:
        self._pantau = pantau
        self._background: dict[str, dt.datetime] = {}  # sources whose operator-started load runs now, since when (UTC)
        self._guard = threading.Lock()

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

    def start_run(self, sources: list[str], since: dt.date | None = None) -> list[str]:
        """Start loading the sources in the background (a load may take minutes); returns the names started.

        A source whose operator-started load still runs is not started again.
        """
        names = self._names(sources)
        started = []
        for name in names:
            with self._guard:
                if name in self._background:
                    continue
                self._background[name] = dt.datetime.now(dt.UTC)
            threading.Thread(target=self._load_in_background, args=(name, since), name=f"load-{name}", daemon=True).start()
            started.append(name)
        return started

    def _load_in_background(self, name: str, since: dt.date | None) -> None:
        try:
            self._pantau.load(name, since)
        except Exception:  # run_source logs its own failures; this is a fault around it
            log.exception("background load of %s failed", name)
        finally:
            with self._guard:
                self._background.pop(name, None)

    def running(self) -> dict[str, str]:
        """The sources an operator started that are still loading, and since when (UTC ISO)."""
        with self._guard:
            return {n: t.isoformat() for n, t in self._background.items()}

    def source_status(self) -> list[dict]:
        running = self.running()
        return [{**row, "running_since": running.get(row["source"])} for row in source_status(self._pantau)]

    def run_history(self, source: str, limit: int = 30) -> list[dict]:
        """The source's latest runs, newest first (see warehouse.operations.run_history)."""
        self._pantau.source(source)
        return run_history(self._pantau.warehouse.cursor(), source, limit)

    def system(self) -> dict:
        """The process and its warehouse: size (with its write-ahead log), free disk, memory, version, uptime, scheduler."""
        path = self._pantau.warehouse.path
        wal = path.with_name(path.name + ".wal")
        recompute = self._pantau.metrics.recompute_times()
        return {
            "warehouse_path": str(path),
            "warehouse_bytes": self._pantau.warehouse.size_bytes() + (wal.stat().st_size if wal.exists() else 0),
            "free_disk_bytes": shutil.disk_usage(path.parent).free,
            "rss_bytes": _rss_bytes(),
            "version": _version(),
            "uptime_s": round(time.time() - STARTED),
            "scheduler": self._pantau.scheduler_state(),
            "recompute": {"count": recompute.count, "total_s": recompute.total_s, "last_s": recompute.last_s},
            "recompute_states": {i: st.as_dict() for i, st in self._pantau.metrics.recompute_states().items()},
        }

    def preview_upload(self, source: str, client_name: str, content: bytes, stream: str | None = None) -> dict:
        """Stage an uploaded file and preview its load (nothing written); the answer carries the upload's id.

        Raises:
            UnknownSource. runtime.uploads.UploadRefused: not a file source, the stream unclear, or the file too large.
        """
        config = self._pantau.source(source)
        stream_name = stream_for(source, config, client_name, stream)
        staged = self._pantau.uploads.stage(source, config, stream_name, content, client_name)
        inspect = _spbe_changes(spbe_history(self._pantau.warehouse.cursor())) if config.streams[stream_name].table == SPBE_TABLE else None
        preview = preview_file(self._pantau.warehouse, source, config, stream_name, staged.path, inspect=inspect).as_dict()
        preview["file_name"] = staged.client_name  # the client's name is shown, never used as a path
        answer = {**staged.as_dict(), "preview": preview}
        self._pantau.uploads.keep_preview(staged, answer)
        return answer

    def upload(self, source: str, upload_id: str) -> dict:
        """A staged upload and its preview, as `preview_upload` answered. Raises: runtime.uploads.UnknownUpload."""
        return self._pantau.uploads.preview_of(self._pantau.uploads.get(source, upload_id))

    def commit_upload(self, source: str, upload_id: str) -> dict:
        """Load exactly the previewed file through the normal load (run log, ledger, recompute), then drop its staging.

        Raises:
            runtime.uploads.UnknownUpload. runtime.uploads.UploadRefused: the staged bytes differ from those previewed.
        """
        uploads = self._pantau.uploads
        staged = uploads.get(source, upload_id)
        uploads.check_unchanged(staged)
        # The staging folder holds only this file: the load reads it and nothing else of the source.
        result = self._pantau.load(source, connection=Connection(folder=staged.folder)).as_dict()
        self._keep_loaded(staged)
        uploads.discard(upload_id)
        answer = {**staged.as_dict(), "load": result}
        if self._pantau.source(source).streams[staged.stream].table == SPBE_TABLE and result["status"] == "ok":
            answer["spbe"] = [e for e in spbe_history(self._pantau.warehouse.cursor()) if e.get("index") is not None][-1:]
            answer["spbe"] = [{"year": e["year"], "index": _number(e["index"]), "predicate": e["predicate"]} for e in answer["spbe"]]
        return answer

    def _keep_loaded(self, staged: Staged) -> None:
        """Keep a loaded upload beside the source's dropped files (its diproses/ folder), as a dropped file is kept."""
        folder = self._pantau.source(staged.source).folder
        loaded = list((staged.folder / "diproses").glob("*"))
        if not folder or not loaded:
            return
        target = self._pantau.connection(staged.source).folder / "diproses"
        try:
            target.mkdir(parents=True, exist_ok=True)
            for path in loaded:
                shutil.move(path, target / path.name)
        except OSError as exc:
            log.warning("loaded upload %s not kept in %s: %s", staged.upload_id, target, exc)

    def cancel_upload(self, source: str, upload_id: str) -> bool:
        """Discard a staged upload; nothing of it stays. Raises: runtime.uploads.UnknownUpload."""
        self._pantau.uploads.get(source, upload_id)
        return self._pantau.uploads.discard(upload_id)

    def import_spbe(self, framework_id: str, year: int, levels: dict[int, int]) -> dict:
        return self._pantau.import_spbe(framework_id, year, levels)

    def health(self) -> dict:
        return health(self._pantau)
