"""An imported self-assessment replaces its year and framework whole, next to what the spbe source loaded."""

import duckdb
import pytest

from ingest.spbe_import import AssessedIndicator, replace_assessment

pytestmark = pytest.mark.integration


def stored(warehouse) -> list[tuple]:
    return warehouse.cursor().execute(
        "SELECT tahun, versi_kerangka, nomor_indikator, nama_indikator, tingkat, _load_id FROM spbe_penilaian ORDER BY ALL"
    ).fetchall()


def test_an_import_replaces_its_year_and_framework_only(warehouse):
    assert replace_assessment(warehouse, 2025, "PermenPANRB 59/2020", [AssessedIndicator(2, "b", 3), AssessedIndicator(1, "a", 4)], "first") == 2
    assert replace_assessment(warehouse, 2024, "PermenPANRB 59/2020", [AssessedIndicator(1, "a", 1)], "older") == 1
    assert replace_assessment(warehouse, 2025, "PermenPANRB 59/2020", [AssessedIndicator(1, "a", 5)], "again") == 1
    assert stored(warehouse) == [(2024, "PermenPANRB 59/2020", 1, "a", 1, "older"), (2025, "PermenPANRB 59/2020", 1, "a", 5, "again")]


def test_a_failing_import_keeps_what_was_there(warehouse):
    replace_assessment(warehouse, 2025, "PermenPANRB 59/2020", [AssessedIndicator(1, "a", 4)], "first")
    with pytest.raises(duckdb.ConstraintException):  # the same indicator twice breaks the table's key
        replace_assessment(warehouse, 2025, "PermenPANRB 59/2020", [AssessedIndicator(1, "a", 2), AssessedIndicator(1, "a", 3)])
    assert stored(warehouse) == [(2025, "PermenPANRB 59/2020", 1, "a", 4, "first")]
