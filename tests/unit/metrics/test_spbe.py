"""SPBE: the framework as data, published results reproduced, predicate boundaries, file validation, the plan."""

import json
import subprocess
import sys

import openpyxl
import pytest

from metrics.catalogue import BY_ID, Thresholds
from metrics.spbe.assessment import AssessmentError, read_assessment
from metrics.spbe.framework import available, framework, in_force
from metrics.spbe.plan import plan
from region.paths import PROJECT_ROOT
from tests.hostile import run_app, workbook

F = framework("permenpanrb-59-2020")


def test_framework_59_2020_is_complete():
    assert len(F.indicators) == 47 and len(F.aspects) == 8 and len(F.domains) == 4
    assert sum(d.weight for d in F.domains) == 100
    assert [i.weight for i in F.indicators if i.aspect == "A8"] == [3.0] * 6
    assert F.verified and not framework("permenpanrb-8-2026").verified
    assert set(available()) == {"permenpanrb-59-2020", "permenpanrb-8-2026"}


def test_national_2024_result_is_reproduced():
    aspects = dict(zip(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"], [3.36, 2.41, 2.75, 2.80, 1.91, 1.73, 3.77, 3.80], strict=True))
    index = F.index_from_aspects(aspects)
    assert index == pytest.approx(3.1206, abs=1e-12)
    assert round(index, 2) == 3.12 and F.predicate(index) == "Baik"


@pytest.mark.parametrize(
    "index, predicate",
    [(4.2, "Memuaskan"), (4.19, "Sangat Baik"), (3.5, "Sangat Baik"), (3.49, "Baik"), (2.6, "Baik"), (2.59, "Cukup"), (1.8, "Cukup"), (1.79, "Kurang"), (5.0, "Memuaskan")],
)
def test_predicate_boundaries(index, predicate):
    assert F.predicate(index) == predicate


def test_exact_arithmetic_at_a_boundary():
    # Exactly 4.2: every indicator at 4, and the eight of 2.5 % (numbers 11-18) at 5.
    levels = {i.number: 4 for i in F.indicators}
    for number in range(11, 19):
        levels[number] = 5
    result = F.score(levels)
    assert result["index"] == 4.2 and result["predicate"] == "Memuaskan"
    assert result["aspects"]["A2"] == 5.0 and result["domains"]["D2"] == 4.8


def write_csv(tmp_path, rows, header="indikator,level", name="penilaian.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def all_levels(level=3, year=None):
    return [f"{n},{level}" + (f",{year}" if year else "") for n in range(1, 48)]


def test_valid_csv_and_xlsx_score_the_same(tmp_path):
    csv_file = write_csv(tmp_path, all_levels(3, 2025), header="Indikator,Level,Tahun")
    book = openpyxl.Workbook()
    book.active.append(["indikator", "level", "catatan"])
    for n in range(1, 48):
        book.active.append([n, 3, "ok"])
    book.save(tmp_path / "penilaian.xlsx")
    from_csv, from_xlsx = read_assessment(csv_file, F), read_assessment(tmp_path / "penilaian.xlsx", F)
    assert from_csv.levels == from_xlsx.levels and from_csv.year == 2025 and from_xlsx.notes[1] == "ok"
    assert F.score(from_csv.levels)["index"] == 3.0


@pytest.mark.parametrize(
    "rows, header, problem",
    [
        (all_levels()[:-1], "indikator,level", "indikator tanpa nilai: 47"),
        ([*all_levels()[:-1], "47,3.5"], "indikator,level", "baris 48 kolom level: '3.5' bukan tingkat bulat 1-5"),
        ([*all_levels()[:-1], "47,6"], "indikator,level", "baris 48 kolom level: '6' bukan tingkat bulat 1-5"),
        ([*all_levels()[:-1], "47,0"], "indikator,level", "baris 48 kolom level: '0' bukan tingkat bulat 1-5"),
        ([*all_levels(), "12,4"], "indikator,level", "baris 49 kolom indikator: indikator 12 sudah ada di baris 13"),
        ([*all_levels(), "48,4"], "indikator,level", "baris 49 kolom indikator: '48' bukan nomor indikator PermenPANRB 59/2020 (1-47)"),
        ([*all_levels(3, 2024)[:-1], "47,3,2025"], "indikator,level,tahun", "lebih dari satu tahun dalam satu berkas: 2024, 2025"),
        (["1,3"], "nomor,nilai", "kolom wajib tidak ada: indikator, level"),
        ([], "", "berkas kosong"),
    ],
)
def test_every_kind_of_invalid_file_is_refused_with_row_and_value(tmp_path, rows, header, problem):
    with pytest.raises(AssessmentError) as caught:
        read_assessment(write_csv(tmp_path, rows, header), F)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_plan_takes_the_heaviest_raises_first_and_reaches_the_target():
    levels = {n: 1 for n in range(1, 48)}
    one_step = plan(F, levels, 1.03)
    assert [s["indicator"] for s in one_step["steps"]] == [42] and one_step["steps"][0]["index"] == 1.03
    result = plan(F, {n: 3 for n in range(1, 48)}, 4.2)
    assert result["reachable"] and result["steps"][-1]["index"] >= 4.2
    # Fewest steps: every raise adds weight/100 and the heaviest come first, so no shorter list reaches 4.2.
    weights = sorted((i.weight for i in F.indicators for _ in range(2)), reverse=True)
    fewest = next(k for k in range(1, len(weights) + 1) if 3.0 + sum(weights[:k]) / 100 >= 4.2 - 1e-12)
    assert len(result["steps"]) == fewest
    assert not plan(F, levels, 5.1)["reachable"]


def test_cli_prints_json_and_fails_clearly(tmp_path):
    good = write_csv(tmp_path, all_levels(4, 2025), header="indikator,level,tahun")
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "spbe", "score", str(good)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["index"], data["predicate"], data["year"], data["framework"]) == (4.0, "Sangat Baik", 2025, "permenpanrb-59-2020")
    assert set(data["domains"]) == {"D1", "D2", "D3", "D4"} and len(data["aspects"]) == 8
    bad = write_csv(tmp_path, ["1,9"], name="salah.csv")
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "spbe", "score", str(bad)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 1 and "salah.csv: baris 2 kolom level: '9' bukan tingkat bulat 1-5" in out.stderr and out.stdout == ""
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "spbe", "plan", str(good), "--target", "4.2", "--framework", "nope"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 1 and "kerangka SPBE 'nope' tidak dikenal" in out.stderr


def test_the_self_assessment_drops_of_the_spbe_source_score_too(tmp_path):
    path = tmp_path / "spbe_penilaian_mandiri_2025.csv"
    lines = ["tahun;versi_kerangka;nomor_indikator;nama_indikator;tingkat"] + [f"2025;PermenPANRB 59/2020;{n};x;2" for n in range(1, 48)]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    assessment = read_assessment(path, F)
    assert assessment.year == 2025 and F.score(assessment.levels)["index"] == 2.0


def test_levels_sent_to_the_server_are_checked_again():
    from metrics.spbe.assessment import InvalidLevels, check_levels

    check_levels(F, {n: 3 for n in range(1, 48)})
    with pytest.raises(InvalidLevels) as error:
        check_levels(F, {**{n: 3 for n in range(1, 47)}, 48: 2, 3: 6, 4: True})
    message = str(error.value)
    assert "indikator tanpa nilai: 47" in message and "tidak ada di permenpanrb-59-2020: 48" in message
    assert "indikator 3: tingkat 6 bukan" in message and "indikator 4: tingkat True bukan" in message


# Input limits: a self-assessment is a row per indicator, so anything far larger is refused at once, briefly.
# Generous bounds, on CPU time: before these limits the 50 MB file took 24 s, 2.2 GB and printed 236 MB.


def test_a_50_mb_file_is_refused_unread_with_a_short_message(tmp_path):
    big = tmp_path / "besar.csv"
    with big.open("w") as f:
        f.write("indikator,level\n")
        for _ in range(2_200):
            f.write("xxxxxxxxxx,bukan-level\n" * 1_000)  # 50 MB of rows that are all wrong
    run = run_app(tmp_path, "spbe", "score", str(big))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("Error: besar.csv: berkas 50.600.016 bita (50,6 MB), melebihi batas 2.000.000 bita (2 MB)"), run.stderr[:300]
    assert len(run.stderr) < 10_000 and run.cpu_seconds < 10 and run.peak_mb < 300, (len(run.stderr), run.cpu_seconds, run.peak_mb)


def test_a_tiny_workbook_of_a_million_rows_is_refused_in_bounded_time_and_memory(tmp_path):
    # About 120 KB that unpack to 42 MB of sheet: before, 31 s, 1 GB and 98 MB of messages.
    small = workbook(tmp_path / "penilaian.xlsx", ["indikator", "level"], [[99, 9]], repeat=1_000_000)
    assert small.stat().st_size < 200_000
    run = run_app(tmp_path, "spbe", "score", str(small))
    assert run.returncode == 1 and "penilaian.xlsx: isinya 42.001.702 bita (42 MB) setelah diurai" in run.stderr and "melebihi batas 20.000.000 bita" in run.stderr, run.stderr[:300]
    assert len(run.stderr) < 10_000 and run.cpu_seconds < 10 and run.peak_mb < 300, (len(run.stderr), run.cpu_seconds, run.peak_mb)


@pytest.mark.parametrize("name, write", [
    ("penilaian.xlsx", lambda path: path.write_text("indikator,level\n1,3\n", encoding="utf-8")),  # a CSV named .xlsx
    ("lama.xlsx", lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2_000))),  # an old binary .xls renamed
])
@pytest.mark.parametrize("command", [["score"], ["plan", "--target", "4.2"], ["import", "--year", "2025"]])
def test_a_file_named_xlsx_that_is_not_one_ends_in_one_clear_message(tmp_path, name, write, command):
    path = tmp_path / name
    write(path)
    run = run_app(tmp_path, "spbe", command[0], str(path), *command[1:])
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr == f"Error: {name}: bukan berkas XLSX (bukan arsip zip); simpan ulang dari Excel sebagai .xlsx\n"


def test_rows_past_the_limit_are_not_read(tmp_path):
    # Under the size limits, yet far more rows than a framework has indicators: refused at the thousandth row.
    many = workbook(tmp_path / "banyak.xlsx", ["indikator", "level"], [[1, 3]], repeat=100_000)
    with pytest.raises(AssessmentError) as caught:
        read_assessment(many, F)
    assert caught.value.problems == ["lebih dari 1.000 baris; penilaian mandiri berisi satu baris per indikator"]
    with pytest.raises(AssessmentError) as caught:
        read_assessment(write_csv(tmp_path, ["1,3"] * 5_000), F)
    assert caught.value.problems == ["lebih dari 1.000 baris; penilaian mandiri berisi satu baris per indikator"]


def test_problems_are_shown_up_to_twenty_with_the_count_of_the_rest(tmp_path):
    rows = [f"{n},9" for n in range(1, 48)] + [f"{'x' * 5_000},1"] * 300
    with pytest.raises(AssessmentError) as caught:
        read_assessment(write_csv(tmp_path, rows, name="salah.csv"), F)
    assert len(caught.value.problems) == 347  # every problem is kept
    lines = str(caught.value).splitlines()
    assert len(lines) == 21 and lines[0] == "salah.csv: baris 2 kolom level: '9' bukan tingkat bulat 1-5"
    assert lines[-1] == "salah.csv: ... dan 327 masalah lain"
    assert len(str(caught.value)) < 5_000  # a long value is shown cut short
    assert f"'{'x' * 40}...' bukan nomor indikator" in caught.value.problems[47]


def test_a_workbook_declaring_its_whole_grid_still_reads_as_it_is(tmp_path):
    # The declared size is not trusted: the 47 rows are read, not 1,048,576 rows of 16,384 cells.
    path = workbook(tmp_path / "penilaian.xlsx", ["indikator", "level"], [[n, 4] for n in range(1, 48)], dimension="A1:XFD1048576")
    assert F.score(read_assessment(path, F).levels)["index"] == 4.0


@pytest.mark.parametrize("year, framework_id", [(2019, "permenpanrb-59-2020"), (2020, "permenpanrb-59-2020"), (2025, "permenpanrb-59-2020"),
                                                (2026, "permenpanrb-8-2026"), (2031, "permenpanrb-8-2026")])
def test_each_evaluation_year_has_the_framework_in_force(year, framework_id):
    # 59/2020 for the evaluations up to 2025 (and, as the earliest shipped, for any before), 8/2026 after.
    assert in_force(year).id == framework_id


def test_target_and_bands_are_the_frameworks_two_highest_predicates():
    # spbe.md: 59/2020 Memuaskan from 4.2, Sangat Baik from 3.5; 8/2026 Memuaskan from 4.00, Sangat Baik from 3.50.
    assert (F.bands.target, F.bands.green, F.bands.amber) == (4.2, 4.2, 3.5)
    new = framework("permenpanrb-8-2026").bands
    assert (new.target, new.green, new.amber, new.top, new.second) == (4.0, 4.0, 3.5, "Memuaskan", "Sangat Baik")
    # The declared SPBE indicator takes them from the data, not from numbers of its own.
    assert (BY_ID["spbe_indeks"].target.value, BY_ID["spbe_indeks"].thresholds) == (4.2, Thresholds(green=4.2, amber=3.5))


def test_every_domain_and_aspect_has_a_wall_name_and_a_declared_short_one_is_shorter():
    from metrics.spbe.framework import available

    for version in available():
        for group in (*framework(version).domains, *framework(version).aspects):
            assert group.short_name and len(group.short_name) <= len(group.name), (version, group.id)
    assert framework("permenpanrb-59-2020").aspects[6].short_name == "Layanan Administrasi"  # A7, in full "... Berbasis Elektronik"


def test_a_self_assessment_saved_as_unicode_text_scores_like_the_csv(tmp_path):
    # Excel's "Unicode Text": UTF-16 with a byte-order mark, columns split by tabs.
    (tmp_path / "penilaian.txt.csv").write_bytes("\n".join(["Indikator\tLevel\tTahun", *(r.replace(",", "\t") for r in all_levels(3, 2025))]).encode("utf-16"))
    read = read_assessment(tmp_path / "penilaian.txt.csv", F)
    assert read.year == 2025 and F.score(read.levels)["index"] == 3.0
