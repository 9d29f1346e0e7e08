"""A simulated province: N regions, each a regency's simulated OPD systems from a seed of its own, loaded by the
real ingest into a warehouse of its own and exported as that region, so a rollup can be tried with no real data.

The simulated systems write Padang Pariaman's 17 kecamatan; each region's records are moved onto that region's own
kecamatan (from data/region/, in code order, the 17 taken round its list) before the export, so every region
reports on its own places.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.settings import Config
from ingest.calendar import refresh_calendar
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables
from metrics.catalogue import INDICATORS
from province.export import export_parquet, regency_tables
from region.calendar import WorkingCalendar
from region.kecamatan import all_kecamatan
from region.province import Region, regions
from simulator import SimulatedOPDs
from warehouse import Warehouse


@dataclass(frozen=True)
class SimulatedRegion:
    kode: str
    seed: int
    rows: int
    load_s: float
    export_s: float


def kecamatan_mapping(target: Region) -> dict[str, str]:
    """The simulated systems' kecamatan codes onto `target`'s own, in code order, taken round its list."""
    own = [kode for kode, _ in target.kecamatan]
    return {k.kode: own[i % len(own)] for i, k in enumerate(all_kecamatan())}


def _move_kecamatan(warehouse: Warehouse, mapping: dict[str, str]) -> None:
    cur = warehouse.cursor()
    tables = [t for (t,) in cur.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'kode_kecamatan'").fetchall()]
    values = ", ".join(f"('{old}', '{new}')" for old, new in mapping.items() if old != new)
    if not values:
        return
    with warehouse.transaction() as tx:
        for table in tables:
            tx.execute(f'UPDATE "{table}" AS t SET kode_kecamatan = m.new FROM (VALUES {values}) AS m(old, new) WHERE t.kode_kecamatan = m.old')


def simulate_province(out: Path, config: Config, count: int, history_days: int, now: dt.datetime, base_seed: int = 2019,
                      kodes: list[str] | None = None, keep: Path | None = None, port: int = 0) -> list[SimulatedRegion]:
    """Simulate `count` regions (the first of the province's in code order, or `kodes`) into the collection `out`.

    Args:
        config: the configuration whose sources and indicator parameters every region uses.
        history_days: days of records before `now` each region holds.
        now: the simulated systems' clock (aware); every region's data stands at it.
        base_seed: region i (0-based) is simulated from seed base_seed + i.
        keep: a folder to keep each region's warehouse in (`keep`/KODE/pantau.duckdb); none are kept when None.
        port: the loopback port the simulated REST systems of each region in turn listen on (0: any free one).
    """
    import time

    chosen = [r for r in regions() if kodes is None or r.kode in kodes][:count]
    sources = config.enabled_sources
    params = {i.id: dict(i.params) for i in INDICATORS if i.params}
    done = []
    for index, target in enumerate(chosen):
        seed = base_seed + index
        with contextlib.ExitStack() as stack:
            tmp = keep / target.kode if keep else stack.enter_context(tempfile.TemporaryDirectory(prefix=f"pantau-region-{target.kode}-"))
            started = time.perf_counter()
            warehouse = Warehouse(Path(tmp) / "pantau.duckdb")
            sim = SimulatedOPDs(Path(tmp) / "sim", seed=seed, history_days=history_days, port=port, sync_every_s=3600, now=lambda: now)
            try:
                refresh_calendar(warehouse, WorkingCalendar())
                ensure_tables(warehouse, sources)
                sim.start()
                for name, source in sources.items():
                    result = run_source(warehouse, name, source, Connection(**sim.connection(name)))
                    if result.status != "ok":
                        raise RuntimeError(f"wilayah {target.kode}: muatan {name} gagal: {result.error}")
                _move_kecamatan(warehouse, kecamatan_mapping(target))
                loaded = time.perf_counter()
                manifest = export_parquet(warehouse.cursor(), out, target.kode, regency_tables(sources), params,
                                          as_of=now.astimezone(dt.UTC).replace(tzinfo=None))
            finally:
                sim.stop()
                warehouse.close()
        rows = sum(t["rows"] for t in manifest["tables"].values())
        done.append(SimulatedRegion(target.kode, seed, rows, round(loaded - started, 2), round(time.perf_counter() - loaded, 2)))
    return done
