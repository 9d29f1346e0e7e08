"""What one wall refresh reads, each piece once: freshness, readings, and breakdowns, SPBE and smart city on demand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from metrics.freshness import Freshness
from metrics.reading import BreakdownRow, Reading
from metrics.service import MetricsService
from warehouse.watch import WarehouseFault


@dataclass(frozen=True)
class WallData:
    """Everything a wall page reads, gathered once per refresh."""

    readings: dict[str, Reading]
    breakdown: Callable[[str, str], list[BreakdownRow]]
    spbe: Callable[[], dict]
    smartcity: Callable[[], dict]
    sources: tuple[Freshness, ...]
    lang: str
    map_indicator: str
    warehouse_fault: WarehouseFault | None = None
    not_recomputed: tuple[str, ...] = ()

    @property
    def simulated(self) -> bool:
        return any(r.simulated for r in self.readings.values())


def gather(metrics: MetricsService, lang: str, map_indicator: str) -> WallData:
    """The data of one refresh; breakdowns, SPBE and smart city are read when a page first asks, then kept."""
    freshness = metrics.freshness()
    readings = metrics.readings(freshness)
    served = {r.id for r in readings}  # a disabled source's indicators are not served, nor their breakdowns
    cache: dict[object, object] = {}

    def once(key: object, make: Callable[[], object]):
        if key not in cache:
            cache[key] = make()
        return cache[key]

    return WallData(
        readings={r.id: r for r in readings},
        breakdown=lambda indicator_id, by: once((indicator_id, by), lambda: metrics.breakdown(indicator_id, by) if indicator_id in served else []),
        spbe=lambda: once("spbe", lambda: metrics.spbe(readings, freshness)),
        smartcity=lambda: once("smartcity", lambda: metrics.smartcity(readings, freshness)),
        sources=tuple(freshness.values()),
        lang=lang,
        map_indicator=map_indicator,
        warehouse_fault=metrics.warehouse_fault(),
        not_recomputed=tuple(metrics.not_recomputed()),
    )
