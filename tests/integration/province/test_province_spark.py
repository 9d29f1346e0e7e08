"""Parity: the whole catalogue per region and for the province on Spark (local, one session for the module) equals
DuckDB's on the same Parquet collection: exact for counts, stocks, shares and medians, within 1e-9 for ratios."""

from __future__ import annotations

import gc
import shutil
import warnings

import pytest

from config import load_config
from metrics.catalogue import INDICATORS
from province.collection import read_manifests, tables_of
from province.engines import duckdb_backend, spark_backend, spark_session
from province.rollup import differences, rollup
from tests.conftest import FIXED_NOW

pytestmark = [
    pytest.mark.integration,
    # pyspark 4.0's toPandas and ibis' pandas conversion (the Spark backend's way to Arrow) touch a keyword and an
    # option pandas 3 deprecates; the conversions themselves are right.
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated:DeprecationWarning"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17: `make test` installs Debian's openjdk-17-jre-headless"),
]
KODES = ["13.05", "13.72"]
AS_OF = FIXED_NOW.replace(tzinfo=None)
# The driver's ports on loopback, in this test suite's range.
LOOPBACK = {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1", "spark.driver.port": "8271",
            "spark.blockManager.port": "8272", "spark.port.maxRetries": "4"}


def stop(session) -> None:
    """Stop the session and the JVM it started, waiting for it to end."""
    from pyspark import SparkContext

    session.stop()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        gateway.proc.stdin.close()  # the JVM ends when the pipe from its Python closes
        gateway.proc.wait(timeout=120)
        SparkContext._gateway = SparkContext._jvm = None
    gc.collect()


@pytest.fixture(scope="module")
def rollups(tmp_path_factory):
    from province.simulate import simulate_province

    root = tmp_path_factory.mktemp("province-spark") / "koleksi"
    simulate_province(root, load_config(None), len(KODES), 35, FIXED_NOW, kodes=KODES, port=8274)
    manifests = read_manifests(root)
    on_duckdb = rollup(duckdb_backend(root, tables_of(manifests)), manifests, INDICATORS, AS_OF)
    # py4j leaves a socket per collected result for the garbage collector: not this test's to judge.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        session = spark_session("local[2]", "pantau-parity", LOOPBACK)
        session.sparkContext.setLogLevel("ERROR")
        try:
            on_spark = rollup(spark_backend(session, root, tables_of(manifests)), manifests, INDICATORS, AS_OF)
            time_zone = session.conf.get("spark.sql.session.timeZone")
        finally:
            stop(session)
    return on_duckdb, on_spark, time_zone


def test_spark_gives_duckdbs_figures_for_every_region_and_the_province(rollups):
    on_duckdb, on_spark, time_zone = rollups
    assert time_zone == "UTC"
    assert len(on_spark) == len(INDICATORS) * (len(KODES) + 1)
    assert differences(on_duckdb, on_spark) == []
    province = on_spark[on_spark.tingkat == "provinsi"]
    assert province.value.notna().sum() >= len(INDICATORS) - 2  # all but the assessment (and a source without data)
    assert on_spark.peringkat.tolist() == on_duckdb.peringkat.tolist()


def test_a_difference_would_be_seen(rollups):
    on_duckdb, _, _ = rollups
    changed = on_duckdb.copy()
    row = changed.index[(changed.indicator_id == "izin_durasi_median") & (changed.kode_wilayah == "13")][0]
    changed.loc[row, "value"] += 1e-12
    found = differences(on_duckdb, changed)
    assert len(found) == 1 and found[0].startswith("13 izin_durasi_median value: ")
