"""`app.py rollup DIR`: the whole indicator catalogue for every region of a Parquet collection and for the province.

Each region's values are the catalogue's own Ibis expressions run on the collection seen as that region's warehouse
(engines.RegionScope), with that region's configured parameters, and turned into values by metrics.compute as a
regency's wall does: over each indicator's default period at one as-of for every region, so the regions compare
like for like. The province is never an average of the regions' values:

- a share, ratio, count or sum is the province's summed numerator over its summed denominator (`value_of`);
- a stock (level) is the sum of the regions' stocks on the period's last day;
- a median is the exact median of every region's records together, computed by the engine over their union;
- an assessment (latest: the SPBE index) is made of each region; the province has none of its own.

Regions are ranked per indicator in its good direction; each value says how fresh its sources were (their oldest
last successful load in that region).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import ibis
import pandas as pd

from metrics.compute import ADDITIVE, period_for, total, value_of
from metrics.definition import value_expr
from metrics.indicator import Indicator
from province.collection import Manifest
from province.engines import RegionScope
from region.province import PROVINCE_CODE, PROVINCE_NAME, region

OUTPUT_DIR = "rollup"
COLUMNS = ("kode_wilayah", "nama_wilayah", "tingkat", "indicator_id", "measure", "period_start", "period_end", "as_of",
           "value", "numerator", "denominator", "peringkat", "jumlah_wilayah", "data_sampai")


def default_as_of(manifests: dict[str, Manifest]) -> dt.datetime:
    """The newest moment any region's data stands at: every region is computed at it, the older ones show as less fresh."""
    moments = [dt.datetime.fromisoformat(m.as_of) for m in manifests.values() if m.as_of]
    if not moments:
        raise ValueError("tidak ada wilayah dengan muatan yang berhasil; berikan --as-of")
    return max(moments)


def _with_params(indicator: Indicator, manifest: Manifest) -> Indicator:
    own = {k: v for k, v in manifest.params(indicator.id).items() if k in indicator.params}
    return replace(indicator, params={**indicator.params, **own}) if own else indicator


def _freshness(indicator: Indicator, manifest: Manifest) -> str | None:
    moments = [manifest.last_success(s) for s in indicator.sources]
    return None if not moments or None in moments else min(moments)


def _province_median(indicator: Indicator, con: ibis.BaseBackend, manifests: dict[str, Manifest], span) -> tuple[float, float, float | None]:
    parts = [_with_params(indicator, m).query(RegionScope(con, kode), span[0], span[1], **_with_params(indicator, m).params)
             for kode, m in manifests.items()]
    rows = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    found = con.to_pyarrow(value_expr(indicator, rows, span)).to_pylist()[0]
    numerator, denominator = found["numerator"], float(found["denominator"] or 0)
    value = value_of(indicator, numerator, denominator)
    return (0.0 if numerator is None else float(numerator)), denominator, value


def _rank(frame: pd.DataFrame, indicator: Indicator) -> pd.Series:
    ascending = indicator.direction == "lower"
    return frame["value"].rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


def rollup(con: ibis.BaseBackend, manifests: dict[str, Manifest], catalogue: tuple[Indicator, ...], as_of: dt.datetime) -> pd.DataFrame:
    """One row per region and indicator, and one per indicator for the province (kode_wilayah PROVINCE_CODE)."""
    rows = []
    for indicator in catalogue:
        span = period_for(indicator, as_of)
        regional = []
        for kode, manifest in sorted(manifests.items()):
            numerator, denominator, value = total(_with_params(indicator, manifest), RegionScope(con, kode), span)
            regional.append({"kode_wilayah": kode, "nama_wilayah": manifest.nama, "tingkat": region(kode).jenis,
                             "numerator": numerator, "denominator": denominator, "value": value,
                             "data_sampai": _freshness(indicator, manifest)})
        frame = pd.DataFrame(regional)
        frame["peringkat"] = _rank(frame, indicator)
        if indicator.measure in ADDITIVE or indicator.measure == "level":
            numerator = frame["numerator"].sum(min_count=1)
            province = (float(numerator), float(frame["denominator"].sum()), value_of(indicator, numerator, frame["denominator"].sum()))
        elif indicator.measure == "median":
            province = _province_median(indicator, con, manifests, span)
        else:
            province = (None, None, None)
        fresh = [f for f in frame["data_sampai"] if f]
        frame.loc[len(frame)] = {"kode_wilayah": PROVINCE_CODE, "nama_wilayah": PROVINCE_NAME, "tingkat": "provinsi",
                                 "numerator": province[0], "denominator": province[1], "value": province[2],
                                 "data_sampai": min(fresh) if len(fresh) == len(frame) else None, "peringkat": pd.NA}
        frame["indicator_id"], frame["measure"] = indicator.id, indicator.measure
        frame["period_start"], frame["period_end"], frame["as_of"] = span[0], span[1], as_of
        frame["jumlah_wilayah"] = int(frame["value"].iloc[:-1].notna().sum())
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True)[list(COLUMNS)]
    out["value"] = out["value"].astype("float64")
    return out


def agree(measure: str, found: float | None, expected: float | None) -> bool:
    """Whether two engines' figures are the same: exactly for counts, stocks, shares and medians; within 1e-9
    (relative) for ratios and sums of measured amounts, whose additions a parallel engine orders differently."""
    missing = found is None or pd.isna(found), expected is None or pd.isna(expected)
    if any(missing):
        return all(missing)
    if measure in ("count", "level", "share", "median"):
        return found == expected
    return abs(found - expected) <= 1e-9 * max(abs(expected), 1.0)


def differences(left: pd.DataFrame, right: pd.DataFrame) -> list[str]:
    """Every figure on which two rollups of one collection differ (see `agree`), and rows only one of them has."""
    keys = ["kode_wilayah", "indicator_id"]
    joined = left.merge(right, on=keys, how="outer", suffixes=("", "_other"), indicator=True)
    found = [f"{r.kode_wilayah} {r.indicator_id}: hanya di satu hasil" for r in joined[joined["_merge"] != "both"].itertuples()]
    for r in joined[joined["_merge"] == "both"].itertuples():
        for column in ("value", "numerator", "denominator"):
            a, b = getattr(r, column), getattr(r, f"{column}_other")
            if not agree(r.measure, a, b):
                found.append(f"{r.kode_wilayah} {r.indicator_id} {column}: {a!r} != {b!r}")
    return found


def regions_frame(manifests: dict[str, Manifest]) -> pd.DataFrame:
    """One row per region of the collection: code, name, kind, the moment its data stands at, its sources' last loads."""
    return pd.DataFrame([
        {"kode_wilayah": kode, "nama_wilayah": m.nama, "tingkat": region(kode).jenis, "as_of": m.as_of,
         "exported_at": m.body.get("exported_at"), "sources": json.dumps(m.body.get("sources", {}))}
        for kode, m in sorted(manifests.items())
    ])


def write(values: pd.DataFrame, regions: pd.DataFrame, root: Path, warehouse: Path, engine: str) -> dict[str, Path]:
    """The rollup as Parquet under `root`/rollup/ and as the rollup warehouse `warehouse` (a DuckDB file, replaced
    whole so a reader never sees half a rollup)."""
    computed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    values = values.assign(engine=engine, computed_at=computed_at)
    folder = root / OUTPUT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    values.to_parquet(folder / "nilai.parquet", index=False)
    regions.to_parquet(folder / "wilayah.parquet", index=False)
    staging = warehouse.with_name(f".{warehouse.name}.tmp")
    staging.unlink(missing_ok=True)
    with duckdb.connect(str(staging)) as db:
        db.register("v", values)
        db.register("w", regions)
        db.execute("CREATE TABLE rollup_nilai AS SELECT * FROM v")
        db.execute("CREATE TABLE rollup_wilayah AS SELECT * FROM w")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staging, warehouse)
    return {"parquet": folder, "warehouse": warehouse}
