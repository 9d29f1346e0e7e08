"""Snapshots in the serving process: taken one at a time, stored in the warehouse, listed, read and deleted."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping

from config import SourceConfig
from config.settings import PaparanSettings
from metrics.service import MetricsService
from metrics.smartcity.evaluation import weights
from metrics.snapshot import Snapshot, TooManySnapshots, take
from region import regency
from warehouse import Warehouse, snapshots
from warehouse.rows import scalar

log = logging.getLogger(__name__)


class WarehouseSnapshots:
    """The snapshots of one warehouse. Taking one may compute figures, so takes run one at a time.

    Args:
        now: the current instant (aware); tests set it.
    """

    def __init__(self, warehouse: Warehouse, metrics: MetricsService, settings: PaparanSettings, sources: Mapping[str, SourceConfig],
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self._warehouse = warehouse
        self._metrics = metrics
        self._settings = settings
        self._sources = {name: {"opd": s.opd, "system": s.system, "kind": s.kind} for name, s in sources.items()}
        self._now = now
        self._taking = threading.Lock()

    def take(self, as_of: dt.datetime | None, title: str | None, created_by: str) -> Snapshot:
        """Freeze every figure at `as_of` (aware; None: now) and store it.

        Raises:
            ValueError: `as_of` is in the future.
            TooManySnapshots: paparan.max_snapshots are stored already.
        """
        settings = self._settings
        with self._taking:
            count = scalar(self._warehouse.cursor().execute("SELECT count(*) FROM snapshots"))
            if count >= settings.max_snapshots:
                raise TooManySnapshots(f"sudah ada {count} snapshot (paparan.max_snapshots = {settings.max_snapshots}); hapus yang tidak dipakai dulu")
            snapshot = take(self._metrics, as_of=as_of, now=self._now(), title=title or settings.title, created_by=created_by,
                            region={"name": regency.NAME, "code": regency.KEMENDAGRI_CODE}, sources=self._sources,
                            evaluation={"version": settings.evaluation_version, "weights": weights(settings.evaluation_version)})
            with self._warehouse.transaction() as tx:
                if snapshots.exists(tx, snapshot.id):  # the same body made at the same instant: it is that snapshot
                    return snapshots.read(tx, snapshot.id)
                snapshots.insert(tx, snapshot)
        log.info("snapshot %s taken by %s for %s (computed for it: %d indicators)", snapshot.id, created_by, snapshot.body["as_of"],
                 len(snapshot.body["computed"]))
        return snapshot

    def listing(self) -> list[dict]:
        return [s.as_dict() for s in snapshots.listing(self._warehouse.cursor())]

    def get(self, snapshot_id: str) -> Snapshot:
        """Raises: UnknownSnapshot, SnapshotCorrupt."""
        return snapshots.read(self._warehouse.cursor(), snapshot_id)

    def delete(self, snapshot_id: str, deleted_by: str) -> bool:
        with self._warehouse.transaction() as tx:
            found = snapshots.delete(tx, snapshot_id)
        if found:
            log.info("snapshot %s deleted by %s", snapshot_id, deleted_by)
        return found


def of(pantau) -> WarehouseSnapshots:
    """The snapshots of a running Pantau (runtime.context.Pantau)."""
    return WarehouseSnapshots(pantau.warehouse, pantau.metrics, pantau.config.paparan, pantau.sources)
