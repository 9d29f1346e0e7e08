"""The smart-city evaluation index: five component scores (0-5) combined by versioned weights.

Index = Σ(component weight × score) / 100, on the same 0-5 scale as the scores. The weights changed between
guides, so each version is a file in `evaluations/`; the result names the version and the weights used.
"""

from __future__ import annotations

import csv
import io
import tomllib
from fractions import Fraction
from pathlib import Path

EVALUATIONS = Path(__file__).parent / "evaluations"
DEFAULT_VERSION = "2024"
COMPONENTS = ("baseline", "output", "outcome", "impact", "quick_win")
_ALIASES = {"quick win": "quick_win", "quickwin": "quick_win"}


class EvaluationError(Exception):
    """The scores cannot be combined; `problems` says where and why."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        super().__init__("\n".join(f"{origin}: {p}" for p in problems))
        self.problems = problems


def versions() -> list[str]:
    return sorted(p.stem for p in EVALUATIONS.glob("*.toml"))


def weights(version: str = DEFAULT_VERSION) -> dict[str, int | float]:
    """The component weights of a version (they sum to 100).

    Raises:
        KeyError: naming the versions there are.
    """
    path = EVALUATIONS / f"{version}.toml"
    if not path.exists():
        raise KeyError(f"versi evaluasi smart city '{version}' tidak dikenal; yang ada: {', '.join(versions())}")
    return tomllib.loads(path.read_text(encoding="utf-8"))["weights"]


def read_scores(path: Path) -> dict[str, float]:
    """`komponen,nilai` rows (`;` also accepted, decimal comma too), one per component, each 0-5.

    Raises:
        EvaluationError: every problem, with its row and value.
    """
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["komponen", "nilai"]:
        raise EvaluationError(path.name, ["baris 1 harus berkepala komponen,nilai"])
    scores: dict[str, float] = {}
    problems: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        name = row[0].strip().lower().replace("-", "_")
        name = _ALIASES.get(name, name)
        value = row[1].strip() if len(row) > 1 else ""
        if name not in COMPONENTS:
            problems.append(f"baris {line} kolom komponen: '{row[0]}' bukan salah satu dari {', '.join(COMPONENTS)}")
            continue
        if name in scores:
            problems.append(f"baris {line} kolom komponen: '{row[0]}' sudah ada")
            continue
        try:
            score = float(value.replace(",", "."))
        except ValueError:
            score = -1.0
        if not 0 <= score <= 5:
            problems.append(f"baris {line} kolom nilai: '{value}' bukan nilai 0-5")
            continue
        scores[name] = score
    missing = [c for c in COMPONENTS if c not in scores and not any(c in p for p in problems)]
    if missing:
        problems.append(f"komponen tanpa nilai: {', '.join(missing)}")
    if problems:
        raise EvaluationError(path.name, problems)
    return scores


def score(scores: dict[str, float], version: str = DEFAULT_VERSION) -> dict:
    """The index of five component scores under a version's weights, exact to the decimals given."""
    used = weights(version)
    index = sum(Fraction(str(used[c])) * Fraction(str(scores[c])) for c in COMPONENTS) / 100
    return {"version": version, "index": float(index), "weights": used, "scores": {c: scores[c] for c in COMPONENTS}}
