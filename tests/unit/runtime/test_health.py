"""What turns health red: Pantau's own faults, each said in words; a failing OPD system is not one of them."""

import datetime as dt

from runtime.health import problems
from warehouse.watch import WarehouseFault

GONE = WarehouseFault("missing", "folder gudang data hilang", dt.datetime(2026, 11, 29, tzinfo=dt.UTC))


def test_starting_and_running_are_green():
    assert problems(None, True, "starting", None, [], []) == []
    assert problems(None, True, "running", None, [], []) == []


def test_each_fault_of_pantau_itself_is_a_reason_in_words():
    assert problems(GONE, True, "running", None, [], []) == ["folder gudang data hilang"]
    assert problems(None, False, "running", None, [], []) == ["gudang data tidak dapat dibaca"]
    assert problems(None, True, "failed", "OSError: [Errno 98] Address already in use", [], []) == [
        "penjadwal pemuatan gagal dimulai, tidak ada sumber yang dimuat sesuai jadwal: OSError: [Errno 98] Address already in use"]
    assert problems(None, True, "stopped", None, [], []) == ["penjadwal pemuatan berhenti: tidak ada sumber yang dimuat sesuai jadwal"]
    assert problems(None, True, "running", None, ["tte", "damkar"], []) == ["sumber tanpa jadwal berikutnya padahal tidak dijeda: tte, damkar"]
    assert problems(None, True, "running", None, [], ["izin_daring"]) == [
        "nilai indikator tidak dihitung ulang sesudah muatan terakhirnya: izin_daring"]


def test_the_warehouse_fault_comes_first_and_all_are_said():
    assert problems(GONE, True, "stopped", None, ["tte"], ["izin_daring"])[0] == "folder gudang data hilang"
    assert len(problems(GONE, True, "stopped", None, ["tte"], ["izin_daring"])) == 4
