"""Each thread keeps its DuckDB cursor across requests, so no read may leave a result open on it: a health check, a
snapshot look-up or an audit row in one request must not break the indicator query of the next one on that thread."""

import ast
from pathlib import Path

import ibis
import pytest

from access import audit
from access.accounts import Accounts
from warehouse import snapshots

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
PRODUCT = ("access", "dashboard", "ingest", "metrics", "province", "runtime", "warehouse")




@pytest.mark.parametrize("read", [
    lambda w: w.is_usable(),
    lambda w: snapshots.exists(w.cursor(), "20261130-2359-3fa9c2"),
    lambda w: pytest.raises(snapshots.UnknownSnapshot, snapshots.read, w.cursor(), "20261130-2359-3fa9c2"),
    lambda w: audit.append(w, "tester", "lihat_rekaman", target="izin_tepat_waktu"),
    lambda w: Accounts(w).add("analis", "viewer", "kata-sandi-panjang-sekali"),
], ids=["health", "snapshot exists", "snapshot read", "audit row", "account added"])
def test_a_single_row_read_leaves_the_threads_cursor_free(warehouse, read):
    backend = ibis.duckdb.from_connection(warehouse.cursor())  # kept per thread by the metrics service, as here
    read(warehouse)
    # The relation API is what refuses a cursor with an unfinished result; indicator queries go through it.
    assert backend.table("loads").limit(1).to_pyarrow().num_rows >= 0


def test_no_product_module_reads_a_duckdb_result_with_fetchone():
    # fetchone() stops before the result's end; warehouse.rows.first reads it whole.
    found = []
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "fetchone":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
