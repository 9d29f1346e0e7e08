"""A self-assessment file (CSV or XLSX: `indikator,level`, optionally `tahun`, `catatan`), read and validated.

The yearly drops of the spbe source (`nomor_indikator`, `tingkat`) read the same way.

Every problem is reported with its row and value, and a file with any problem yields nothing: a half-read
assessment would give a wrong index. Such a file has a row per indicator of its framework (47 at most), so it is
refused unread past a few megabytes, and no more than a thousand rows are read from it; the problems shown are
capped, so that a file of a million bad rows gives a short message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from metrics.spbe.framework import Framework
from spreadsheets import WorkbookError, describe_size, open_workbook, utf16_as_utf8

REQUIRED = ("indikator", "level")
# Header names of the same columns in the yearly drops of the spbe source.
ALIASES = {"nomor_indikator": "indikator", "tingkat": "level"}
# Limits far above any real self-assessment (a few kilobytes, a row per indicator), far below what costs time.
MAX_BYTES = 2_000_000
MAX_UNZIPPED_BYTES = 20_000_000
MAX_ROWS = 1_000
MAX_COLUMNS = 50
# Problems shown in the message, and characters of a value shown in a problem.
PROBLEMS_SHOWN = 20
VALUE_SHOWN = 40


class AssessmentError(Exception):
    """The file cannot be scored; `problems` says where and why, one line each (the message shows the first few)."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        lines = [f"{path.name}: {p}" for p in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append(f"{path.name}: ... dan {len(problems) - PROBLEMS_SHOWN} masalah lain")
        super().__init__("\n".join(lines))
        self.problems = problems


@dataclass(frozen=True)
class Assessment:
    """One level per indicator of a framework version, with the year when the file gives it."""

    levels: dict[int, int]
    year: int | None
    notes: dict[int, str]


def _shown(value: str) -> str:
    return value if len(value) <= VALUE_SHOWN else value[:VALUE_SHOWN] + "..."


def _too_many_rows(path: Path) -> AssessmentError:
    return AssessmentError(path, [f"lebih dari {MAX_ROWS:,} baris; penilaian mandiri berisi satu baris per indikator".replace(",", ".")])


def _content(path: Path) -> bytes:
    """The file's bytes, or refused unread when it is larger than any self-assessment."""
    size = path.stat().st_size
    if size <= MAX_BYTES:
        with path.open("rb") as f:
            content = f.read(MAX_BYTES + 1)  # the file may have grown since
        size = len(content)
    if size > MAX_BYTES:
        raise AssessmentError(path, [f"berkas {describe_size(size)}, melebihi batas {describe_size(MAX_BYTES)}; penilaian mandiri berisi satu baris per indikator"])
    return content


def _sheet_values(path: Path, content: bytes) -> list[list[str]]:
    try:
        book = open_workbook(content, MAX_UNZIPPED_BYTES)
    except WorkbookError as exc:
        raise AssessmentError(path, [str(exc)]) from None
    values = []
    try:
        for row in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if len(values) == MAX_ROWS:
                raise _too_many_rows(path)
            cells = ["" if v is None else str(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            values.append(cells)
    except AssessmentError:
        raise
    except Exception as exc:  # a damaged workbook can fail anywhere in openpyxl, with any exception
        raise AssessmentError(path, [f"tidak terbaca sebagai XLSX ({type(exc).__name__}: {_shown(str(exc))})"]) from None
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    return values


def _csv_values(path: Path, content: bytes) -> list[list[str]]:
    try:
        content = utf16_as_utf8(content)
    except WorkbookError as exc:
        raise AssessmentError(path, [str(exc)]) from None
    if b"\x00" in content:
        raise AssessmentError(path, ["bukan teks CSV (berisi data biner); sebuah XLSX harus berakhiran .xlsx"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = max(";,\t", key=first.count)  # Excel writes ";" or "," by locale, a tab as "Unicode Text"
    values = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(values) == MAX_ROWS:
            raise _too_many_rows(path)
        values.append(row[:MAX_COLUMNS])
    return values


def _rows(path: Path) -> list[dict[str, str]]:
    content = _content(path)
    values = _sheet_values(path, content) if path.suffix.lower() == ".xlsx" else _csv_values(path, content)
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
        raise AssessmentError(path, [f"tidak terbaca: {_shown(str(exc))}"]) from None
    if not rows:
        raise AssessmentError(path, ["berkas kosong: harus ada kolom indikator dan level"])
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        present = [_shown(c) for c in rows[0] if c][:PROBLEMS_SHOWN]
        raise AssessmentError(path, [f"kolom wajib tidak ada: {', '.join(missing)} (kolom yang ada: {', '.join(present)})"])
    known = {i.number for i in framework.indicators}
    problems, levels, notes, years, first_row = [], {}, {}, set(), {}
    for line, row in enumerate(rows, start=2):
        number, level = _whole(row["indikator"]), _whole(row["level"])
        if number is None or number not in known:
            problems.append(f"baris {line} kolom indikator: '{_shown(row['indikator'])}' bukan nomor indikator {framework.name} (1-{len(known)})")
            continue
        if number in first_row:
            problems.append(f"baris {line} kolom indikator: indikator {number} sudah ada di baris {first_row[number]}")
            continue
        first_row[number] = line
        if level is None or not 1 <= level <= 5:
            problems.append(f"baris {line} kolom level: '{_shown(row['level'])}' bukan tingkat bulat 1-5")
            continue
        levels[number] = level
        if row.get("catatan"):
            notes[number] = row["catatan"]
        if row.get("tahun"):
            year = _whole(row["tahun"])
            if year is None:
                problems.append(f"baris {line} kolom tahun: '{_shown(row['tahun'])}' bukan tahun")
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
