"""The limits of file sources as settings, and setting a refused file aside."""

import pytest

from config import ConfigError, load_config
from ingest.connectors.files import FAILED_DIR, PROCESSED_DIR, FileRefused, set_aside


def test_limits_default_to_what_real_exports_need_and_can_be_set():
    sources = load_config(env={}).sources
    absensi, masterplan, spbe = sources["absensi"], sources["masterplan"], sources["spbe"]
    assert (absensi.max_file_bytes, absensi.row_limit, absensi.rejects_kept) == (100_000_000, 1_000_000, 1_000)
    assert (masterplan.row_limit, masterplan.max_unzipped_bytes) == (100_000, 200_000_000)
    assert (spbe.max_file_bytes, spbe.row_limit) == (1_000_000, 10_000)  # a row per indicator and year
    overridden = load_config(env={"PANTAU_SOURCES__ABSENSI__MAX_FILE_BYTES": "5MB", "PANTAU_SOURCES__ABSENSI__MAX_ROWS": "50000"}).sources["absensi"]
    assert (overridden.max_file_bytes, overridden.row_limit) == (5_000_000, 50_000)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("max_rows = 0", "key sources.absensi.max_rows: Input should be greater than or equal to 1"),
        ("max_file_bytes = 'banyak'", "key sources.absensi.max_file_bytes: could not parse value and unit"),
        ("max_unzipped_bytes = 0", "key sources.absensi.max_unzipped_bytes: Input should be greater than or equal to 1"),
        ("rejects_kept = -1", "key sources.absensi.rejects_kept: Input should be greater than or equal to 0"),
    ],
)
def test_a_bad_limit_names_its_key(tmp_path, line, expected):
    path = tmp_path / "pantau.toml"
    path.write_text(f"[sources.absensi]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert expected in str(caught.value)


def refused(path):
    status = path.stat()
    return FileRefused(path, f"berkas {path.name}: rusak", (status.st_size, status.st_mtime_ns))


def test_a_refused_file_goes_beside_diproses_with_its_reason_and_never_over_another(tmp_path):
    first = tmp_path / "setoran.csv"
    first.write_text("a", encoding="utf-8")
    assert set_aside(refused(first), "retribusi", "L1").startswith("berkas dipindah ke gagal/setoran.csv")
    second = tmp_path / "setoran.csv"
    second.write_text("b", encoding="utf-8")
    assert set_aside(refused(second), "retribusi", "L2").startswith("berkas dipindah ke gagal/setoran.2.csv, alasannya di setoran.2.csv.alasan.txt")
    failed = tmp_path / FAILED_DIR
    assert (failed / "setoran.csv").read_text() == "a" and (failed / "setoran.2.csv").read_text() == "b"
    assert "pemuatan L2" in (failed / "setoran.2.csv.alasan.txt").read_text(encoding="utf-8")
    # A file a backfill read again from diproses/ goes to the same gagal/, not into diproses/.
    (tmp_path / PROCESSED_DIR).mkdir()
    loaded = tmp_path / PROCESSED_DIR / "lama.abcd1234.csv"
    loaded.write_text("c", encoding="utf-8")
    set_aside(refused(loaded), "retribusi", "L3")
    assert (failed / "lama.abcd1234.csv").exists() and not (tmp_path / PROCESSED_DIR / FAILED_DIR).exists()


def test_a_file_replaced_since_it_was_read_stays_to_be_read_again(tmp_path):
    path = tmp_path / "setoran.csv"
    path.write_text("lama", encoding="utf-8")
    stale = refused(path)
    path.write_text("yang baru, lebih panjang", encoding="utf-8")
    assert set_aside(stale, "retribusi", "L1") == "berkas berubah sejak dibaca, tetap di folder dan dibaca lagi pada pemuatan berikutnya"
    assert path.exists() and not (tmp_path / FAILED_DIR).exists()
    path.unlink()
    assert set_aside(stale, "retribusi", "L1") == "berkas sudah tidak ada di folder"
