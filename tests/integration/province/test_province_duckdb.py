"""A simulated province of two regions, exported as Parquet and rolled up on DuckDB: manifests that hold, each region's
values as its own Pantau computes them, and province totals from summed numerators and exact medians."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import statistics
import urllib.parse

import duckdb
import ibis
import pytest
from click.testing import CliRunner

from app import cli
from config import load_config
from dashboard.components.charts import region_map
from metrics.catalogue import BY_ID, INDICATORS
from metrics.compute import ADDITIVE, period_for, total
from province.collection import CollectionError, read_manifests, tables_of
from province.engines import RegionScope, duckdb_backend
from province.rollup import agree, rollup
from province.view import ProvinceRollup
from region.province import region
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.integration
KODES = ["13.05", "13.72"]  # Padang Pariaman, whose kecamatan the simulated systems write, and Kota Sawahlunto (2 kecamatan)
AS_OF = FIXED_NOW.replace(tzinfo=None)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    from province.simulate import simulate_province

    root = tmp_path_factory.mktemp("province")
    collection, kept = root / "koleksi", root / "gudang"
    done = simulate_province(collection, load_config(None), len(KODES), 45, FIXED_NOW, kodes=KODES, keep=kept, port=8273)
    manifests = read_manifests(collection)
    con = duckdb_backend(collection, tables_of(manifests))
    return {"root": collection, "kept": kept, "done": done, "manifests": manifests, "con": con,
            "values": rollup(con, manifests, INDICATORS, AS_OF)}


def same(indicator, found, expected) -> bool:
    return agree(indicator.measure, found, expected)


def _value(values, kode, indicator_id):
    return values[(values.kode_wilayah == kode) & (values.indicator_id == indicator_id)].iloc[0]


def test_every_table_is_exported_with_its_rows_region_and_checksums(province):
    root, manifests = province["root"], province["manifests"]
    assert sorted(manifests) == KODES and [d.seed for d in province["done"]] == [2019, 2020]
    for kode in KODES:
        manifest = manifests[kode].body
        assert manifest["region"]["nama"] == region(kode).nama and manifest["as_of"] == AS_OF.isoformat()
        with duckdb.connect(str(province["kept"] / kode / "pantau.duckdb"), read_only=True) as db:
            for table, entry in manifest["tables"].items():
                assert entry["rows"] == db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0], table
                assert sum(f["rows"] for f in entry["files"]) == entry["rows"], table
    months = {p.parent.name for p in (root / "absensi_harian" / "kode_wilayah=13.72").rglob("*.parquet")}
    assert months == {"bulan_partisi=2026-10", "bulan_partisi=2026-11"}
    codes = duckdb.sql(f"SELECT DISTINCT kode_wilayah FROM read_parquet('{root}/absensi_harian/*/*/*.parquet', hive_partitioning = true, "
                       "hive_types = {'kode_wilayah': VARCHAR, 'bulan_partisi': VARCHAR}) ORDER BY 1").fetchall()
    assert codes == [("13.05",), ("13.72",)]


def test_a_simulated_region_reports_on_its_own_kecamatan(province):
    con = province["con"]
    for kode in KODES:
        t = RegionScope(con, kode).table("perizinan_permohonan")
        found = set(con.to_pyarrow(t.select("kode_kecamatan").distinct()).column(0).to_pylist()) - {None}
        assert found and found <= {k for k, _ in region(kode).kecamatan}, kode


def test_a_changed_file_is_refused_naming_it(province, tmp_path):
    copy = tmp_path / "koleksi"
    shutil.copytree(province["root"], copy)
    damaged = next((copy / "tte_dokumen" / "kode_wilayah=13.72").rglob("*.parquet"))
    damaged.write_bytes(damaged.read_bytes()[:-20] + b"\0" * 20)
    with pytest.raises(CollectionError, match=str(damaged)):
        read_manifests(copy)
    (copy / "manifests" / "13.72.json").write_text("{", encoding="utf-8")
    with pytest.raises(CollectionError, match="13.72.json: bukan manifest"):
        read_manifests(copy, verify=False)


def test_each_region_gets_the_values_its_own_pantau_computes(province):
    values = province["values"]
    for kode in KODES:
        with duckdb.connect(str(province["kept"] / kode / "pantau.duckdb"), read_only=True) as db:
            own = ibis.duckdb.from_connection(db)
            for indicator in INDICATORS:
                numerator, denominator, value = total(indicator, own, period_for(indicator, AS_OF))
                row = _value(values, kode, indicator.id)
                assert row.denominator == denominator, (kode, indicator.id)
                assert same(indicator, row.numerator, numerator) and same(indicator, row.value, value), (kode, indicator.id)


def test_the_province_sums_numerators_and_takes_exact_medians(province):
    values, con, manifests = province["values"], province["con"], province["manifests"]
    assert len(values) == len(INDICATORS) * (len(KODES) + 1)
    for indicator in INDICATORS:
        regional = values[(values.indicator_id == indicator.id) & (values.tingkat != "provinsi")]
        whole = _value(values, "13", indicator.id)
        if indicator.measure in ADDITIVE or indicator.measure == "level":
            assert same(indicator, whole.numerator, regional.numerator.sum()) and whole.denominator == regional.denominator.sum(), indicator.id
    for indicator_id in ("izin_durasi_median", "akta_terbit_median"):
        indicator, span = BY_ID[indicator_id], period_for(BY_ID[indicator_id], AS_OF)
        every = [v for kode in manifests for v in con.to_pyarrow(indicator.query(RegionScope(con, kode), *span).select("nilai")).column(0).to_pylist()]
        assert every and _value(values, "13", indicator_id).value == statistics.median(every)
    share = _value(values, "13", "izin_tepat_waktu")
    assert share.value == pytest.approx(100.0 * share.numerator / share.denominator, rel=1e-15)
    ranked = values[(values.indicator_id == "izin_tepat_waktu") & (values.tingkat != "provinsi")].sort_values("value", ascending=False)
    assert ranked.peringkat.tolist() == [1, 2]


def test_the_rollup_command_writes_parquet_and_the_rollup_warehouse(province, tmp_path):
    out = tmp_path / "rollup.duckdb"
    result = CliRunner().invoke(cli, ["rollup", str(province["root"]), "--as-of", AS_OF.isoformat(), "--warehouse", str(out)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(out), read_only=True) as db:
        assert db.execute("SELECT count(*), count(DISTINCT kode_wilayah) FROM rollup_nilai WHERE engine = 'duckdb'").fetchone() == (len(INDICATORS) * 3, 3)
        regions = db.execute("SELECT kode_wilayah, sources FROM rollup_wilayah ORDER BY 1").fetchall()
    assert [r[0] for r in regions] == KODES and "perizinan" in json.loads(regions[0][1])
    assert (province["root"] / "rollup" / "nilai.parquet").is_file()
    view = ProvinceRollup(out)
    assert view.indicators() == [i.id for i in INDICATORS]
    ranking = view.ranking("izin_tepat_waktu")
    assert ranking.province.kode == "13" and [f.peringkat for f in ranking.regions] == [1, 2]
    assert ranking.regions[0].value >= ranking.regions[1].value and ranking.as_of == AS_OF
    assert view.ranking("tidak_ada") is None and not ProvinceRollup(tmp_path / "belum.duckdb").available
    drawn = urllib.parse.unquote(region_map({f.kode: ("green", "95,0") for f in ranking.regions}))
    assert drawn.count("<path ") >= 19 and drawn.count(">95,0<") == 2
    missing = CliRunner().invoke(cli, ["rollup", str(tmp_path)])
    assert missing.exit_code == 1 and "tidak ada manifest wilayah" in missing.output


def test_the_export_command_writes_this_regions_files_beside_the_others(province, tmp_path):
    collection = tmp_path / "koleksi"
    shutil.copytree(province["root"], collection, ignore=shutil.ignore_patterns("rollup*"))
    before = {p: p.read_bytes() for p in (collection / "perizinan_permohonan" / "kode_wilayah=13.72").rglob("*.parquet")}
    warehouse = province["kept"] / "13.05" / "pantau.duckdb"
    env = {"PANTAU_WAREHOUSE__PATH": str(warehouse), "PANTAU_REGION__KODE": "13.05"}
    result = CliRunner().invoke(cli, ["export", "--parquet", str(collection)], env=env)
    assert result.exit_code == 0, result.output
    assert "wilayah 13.05 (Kabupaten Padang Pariaman)" in result.output
    assert {p: p.read_bytes() for p in before} == before
    manifests = read_manifests(collection)
    assert manifests["13.05"].params("kunjungan_puskesmas") == {"penduduk": 451388.0}
    assert dt.datetime.fromisoformat(manifests["13.05"].as_of) > AS_OF  # the newest load, made when the simulation ran
