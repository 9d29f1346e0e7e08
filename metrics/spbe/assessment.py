"""A self-assessment file (CSV or XLSX: `indikator,level`, optionally `tahun`, `catatan`), read and validated.

The yearly drops of the spbe source (`nomor_indikator`, `tingkat`) read the same way.

Every problem is reported with its row and value, and a file with any problem yields nothing: a half-read
assessment would give a wrong index.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from metrics.spbe.framework import Framework

REQUIRED = ("indikator", "level")
# Header names of the same columns in the yearly drops of the spbe source.
ALIASES = {"nomor_indikator": "indikator", "tingkat": "level"}


class AssessmentError(Exception):
    """The file cannot be scored; `problems` says where and why, one line each."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__("\n".join(f"{path.name}: {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Assessment:
    """One level per indicator of a framework version, with the year when the file gives it."""

    levels: dict[int, int]
    year: int | None
    notes: dict[int, str]


def _rows(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:  # a read-only workbook keeps its file open until closed
            values = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        values = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not values:
        return []
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in values[0]]
    return [dict(zip(header, (v.strip() for v in row), strict=False)) for row in values[1:] if any(v.strip() for v in row)]


def _whole(text: str) -> int | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def read_assessment(path: Path, framework: Framework) -> Assessment:
    """Read and validate a self-assessment against a framework version.

    Raises:
        AssessmentError: every problem found (missing column, a level that is not a whole number from 1 to 5,
            an unknown, repeated or missing indicator, more than one year), with row and value.
    """
    try:
        rows = _rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise AssessmentError(path, [f"tidak terbaca: {exc}"]) from None
    if not rows:
        raise AssessmentError(path, ["berkas kosong: harus ada kolom indikator dan level"])
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise AssessmentError(path, [f"kolom wajib tidak ada: {', '.join(missing)} (kolom yang ada: {', '.join(rows[0])})"])
    known = {i.number for i in framework.indicators}
    problems, levels, notes, years, first_row = [], {}, {}, set(), {}
    for line, row in enumerate(rows, start=2):
        number, level = _whole(row["indikator"]), _whole(row["level"])
        if number is None or number not in known:
            problems.append(f"baris {line} kolom indikator: '{row['indikator']}' bukan nomor indikator {framework.name} (1-{len(known)})")
            continue
        if number in first_row:
            problems.append(f"baris {line} kolom indikator: indikator {number} sudah ada di baris {first_row[number]}")
            continue
        first_row[number] = line
        if level is None or not 1 <= level <= 5:
            problems.append(f"baris {line} kolom level: '{row['level']}' bukan tingkat bulat 1-5")
            continue
        levels[number] = level
        if row.get("catatan"):
            notes[number] = row["catatan"]
        if row.get("tahun"):
            year = _whole(row["tahun"])
            if year is None:
                problems.append(f"baris {line} kolom tahun: '{row['tahun']}' bukan tahun")
            else:
                years.add(year)
    absent = sorted(known - set(first_row))
    if absent:
        problems.append(f"indikator tanpa nilai: {', '.join(map(str, absent))}")
    if len(years) > 1:
        problems.append(f"lebih dari satu tahun dalam satu berkas: {', '.join(map(str, sorted(years)))}")
    if problems:
        raise AssessmentError(path, problems)
    return Assessment(levels=levels, year=next(iter(years), None), notes=notes)


class InvalidLevels(ValueError):
    """Levels that do not cover a framework's indicators exactly once with integers 1-5."""


def check_levels(version: Framework, levels: dict[int, int]) -> None:
    """Raise InvalidLevels naming every problem; the file reader checks the same, this guards the API."""
    numbers = {i.number for i in version.indicators}
    problems = []
    missing, extra = sorted(numbers - set(levels)), sorted(set(levels) - numbers)
    if missing:
        problems.append(f"indikator tanpa nilai: {', '.join(map(str, missing))}")
    if extra:
        problems.append(f"indikator tidak ada di {version.id}: {', '.join(map(str, extra))}")
    problems += [f"indikator {n}: tingkat {v!r} bukan bilangan bulat 1-5" for n, v in sorted(levels.items())
                 if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5]
    if problems:
        raise InvalidLevels("; ".join(problems))
