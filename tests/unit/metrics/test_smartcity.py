"""Smart-city evaluation index: versioned weights, validation by row and value, the CLI; dimension scores."""

import json
import subprocess
import sys

import pytest

from metrics.catalogue import INDICATORS
from metrics.smartcity.evaluation import EvaluationError, read_scores, score, versions, weights
from metrics.smartcity.overview import DIMENSIONS, dimension_scores
from region.paths import PROJECT_ROOT
from tests.readings import reading


def write(tmp_path, text, name="nilai.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_versions_hold_the_reference_weights():
    assert set(versions()) == {"2024", "pedoman-lama"}
    assert weights("2024") == {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}
    assert weights("pedoman-lama") == {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10}
    assert all(sum(weights(v).values()) == 100 for v in versions())


def test_index_under_each_version(tmp_path):
    scores = read_scores(write(tmp_path, "komponen;nilai\nbaseline;3\noutput;4\noutcome;3,5\nimpact;2\nQuick Win;4\n"))
    assert score(scores, "2024")["index"] == 3.35  # 0.3 + 0.8 + 1.05 + 0.4 + 0.8
    assert score(scores, "pedoman-lama")["index"] == 3.15  # 0.3 + 0.8 + 1.05 + 0.6 + 0.4
    assert score({c: 5 for c in scores}, "2024")["index"] == 5.0


@pytest.mark.parametrize(
    "text, problem",
    [
        ("komponen,nilai\nbaseline,3\n", "komponen tanpa nilai: output, outcome, impact, quick_win"),
        ("komponen,nilai\nbaseline,6\noutput,1\noutcome,1\nimpact,1\nquick_win,1\n", "baris 2 kolom nilai: '6' bukan nilai 0-5"),
        ("komponen,nilai\nbaseline,x\noutput,1\noutcome,1\nimpact,1\nquick_win,1\n", "baris 2 kolom nilai: 'x' bukan nilai 0-5"),
        ("komponen,nilai\nbranding,3\n", "baris 2 kolom komponen: 'branding' bukan salah satu dari"),
        ("komponen,nilai\nbaseline,3\nbaseline,4\n", "baris 3 kolom komponen: 'baseline' sudah ada"),
        ("nama,skor\nbaseline,3\n", "baris 1 harus berkepala komponen,nilai"),
    ],
)
def test_invalid_files_name_row_and_value(tmp_path, text, problem):
    with pytest.raises(EvaluationError) as caught:
        read_scores(write(tmp_path, text))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_cli(tmp_path):
    good = write(tmp_path, "komponen,nilai\nbaseline,3\noutput,4\noutcome,3\nimpact,2\nquick_win,4\n")
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "smartcity", "score", str(good)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["index"] == 3.2 and data["weights"]["quick_win"] == 20 and data["version"] == "2024"
    bad = write(tmp_path, "komponen,nilai\nbaseline,9\n", "salah.csv")
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "smartcity", "score", str(bad)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 1 and "salah.csv: baris 2 kolom nilai: '9' bukan nilai 0-5" in out.stderr


def test_every_dimension_has_indicators_and_economy_is_scored_from_its_two():
    declared = {i.dimension for i in INDICATORS}
    assert declared == {name for _, name in DIMENSIONS}  # all six, Smart Economy included
    values = {"pembayaran_nontunai": 60.0, "pad_realisasi": 50.0}  # targets 75 % and 100 %: attainment 0.8 and 0.5
    readings = [reading(i.id, value=values.get(i.id, i.target.value or 1.0), status="green") for i in INDICATORS]
    scores = {d["dimension"]: d for d in dimension_scores(readings)}
    assert all(d["score"] is not None for d in scores.values())
    assert scores["Smart Economy"]["indicators"] == ["pembayaran_nontunai", "pad_realisasi"]
    assert scores["Smart Economy"]["score"] == 3.25  # 5 x (0.8 + 0.5) / 2
