"""The data pack: a deck's exact figures, its indicators' definitions and its sources as one ZIP of XLSX, CSV and a manifest.

Everything in it is read from the deck and its snapshot, and nothing says when it was exported, so one snapshot
exported twice gives byte-identical files: XlsxWriter writes in memory (its zip members dated 1980-01-01) with the
document date set to the as-of moment; the pack's members are dated at the as-of moment (WIB), with fixed
permissions, order and compression. Numbers keep full precision: each XLSX cell holds the shortest text that reads
back as the same double (XlsxWriter itself writes 16 digits, which can change the last bit) and each CSV field the
same digits with a decimal comma.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import math
import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from dashboard import formatting
from dashboard.i18n import TEXT
from dashboard.paparan.model import Chart, Deck, Figure, Stats, Table, figure_text
from metrics.snapshot import Snapshot
from region.paths import PROJECT_ROOT

Value = str | int | float | dt.date | dt.datetime | None
SHEET_NAME_MAX = 31  # Excel's limit, in UTF-16 code units
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_WIDEST = 60  # columns stop growing here; longer text wraps
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a CSV field starting so is a formula to Excel

# Headings and words, (Bahasa Indonesia, English).
_W = {
    "deck": ("Paparan", "Deck"), "slide": ("Slide", "Slide"), "number": ("Nomor slide", "Slide number"),
    "sheet": ("Lembar", "Sheet"), "snapshot": ("Snapshot", "Snapshot"), "as_of": ("Per (WIB)", "As of (WIB)"),
    "note": ("Catatan", "Note"), "yes": ("ya", "yes"), "no": ("tidak", "no"),
    "figures": ("Angka utama", "Headline figures"),
    "stats": (("Label", "Nilai", "Tampilan", "Satuan", "Status", "Keterangan", "ID indikator"),
              ("Label", "Value", "As shown", "Unit", "Status", "Detail", "Indicator id")),
    "key": ("Kunci", "Key"), "category": ("Kategori", "Category"), "target": ("Target", "Target"), "status": ("Status", "Status"),
    "definisi": ("Definisi", "Definitions"), "definisi_title": ("Definisi indikator", "Indicator definitions"),
    "definisi_head": (("ID indikator", "Nama", "Definisi", "Rumus", "Satuan", "Arah", "Aturan periode", "Target", "Dasar hukum target",
                       "Ambang hijau", "Ambang kuning", "Asumsi", "Sumber data"),
                      ("Indicator id", "Name", "Definition", "Formula", "Unit", "Direction", "Period rule", "Target", "Target legal basis",
                       "Green threshold", "Amber threshold", "Assumptions", "Data sources")),
    "sumber": ("Sumber", "Sources"), "sumber_title": ("Sumber data dan kesegarannya per as-of", "Data sources and their freshness at the as-of moment"),
    "sumber_head": (("Sumber", "OPD", "Sistem", "Jenis", "Keadaan per as-of", "Sukses terakhir (WIB)", "Proses terakhir (WIB)",
                     "Status proses terakhir", "Baris dibaca", "Ditolak", "Galat terakhir", "Simulasi"),
                    ("Source", "OPD", "System", "Kind", "State at as-of", "Last success (WIB)", "Last run (WIB)", "Last run status",
                     "Rows read", "Rejected", "Last error", "Simulated")),
    "pp": ("Pembilang-Penyebut", "Numerators-Denominators"), "pp_title": ("Pembilang dan penyebut", "Numerators and denominators"),
    "pp_head": (("ID indikator", "Nama", "Nilai", "Satuan", "Status", "Pembilang", "Penyebut", "Periode mulai", "Periode akhir",
                 "Jenis periode", "Cakupan mulai", "Cakupan akhir", "Nilai sebelumnya", "Sebelumnya mulai", "Sebelumnya akhir",
                 "Nilai setahun sebelumnya", "Setahun sebelumnya mulai", "Setahun sebelumnya akhir", "Sementara sejak", "Simulasi"),
                ("Indicator id", "Name", "Value", "Unit", "Status", "Numerator", "Denominator", "Period start", "Period end",
                 "Period kind", "Covered from", "Covered to", "Previous value", "Previous from", "Previous to",
                 "Year-before value", "Year-before from", "Year-before to", "Provisional from", "Simulated")),
    "breakdown_title": ("Rincian per anggota", "Breakdowns by member"),
    "breakdown_head": (("ID indikator", "Rincian menurut", "Anggota", "Nilai", "Pembilang", "Penyebut", "Status"),
                       ("Indicator id", "Broken down by", "Member", "Value", "Numerator", "Denominator", "Status")),
}


def _word(key: str, lang: str) -> str | tuple[str, ...]:
    return _W[key][lang == "en"]


@dataclass(frozen=True)
class _Shown:
    """A number with the decimals its XLSX cell shows it with (the cell and the CSV keep every digit)."""

    value: float | int | None
    decimals: int


@dataclass
class _Table:
    caption: str
    head: tuple[str, ...]
    rows: list[tuple[Value | _Shown, ...]]
    decimals: tuple[int | None, ...] = ()  # per column, for numbers; None or missing: as few as show the column exactly

    @functools.cached_property
    def shown(self) -> tuple[int, ...]:
        """Per column, the decimals its plain numbers are shown with."""
        def places(col: int) -> int:
            if col < len(self.decimals) and self.decimals[col] is not None:
                return self.decimals[col]
            return max((_places(float(row[col])) for row in self.rows if col < len(row) and _plain_number(row[col])), default=0)

        return tuple(places(col) for col in range(len(self.head)))


@dataclass
class _Sheet:
    name: str
    path: str  # the CSV's path in the pack
    about: list[tuple[str, Value]]
    tables: list[_Table]
    simulated: str = ""  # the DATA SIMULASI line, where it applies


@functools.cache
def _version() -> str:
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def data_pack(deck: Deck, snapshot: Snapshot) -> bytes:
    """The data pack of a deck: a ZIP of `paparan-<id>.xlsx`, `csv/*.csv` (one per sheet) and `manifest.json`.

    Args:
        deck: the deck as built from `snapshot`, in its language.
        snapshot: the snapshot it was built from; its checksum is verified first.

    Returns:
        The ZIP's bytes, the same for the same deck and snapshot whenever made.

    Raises:
        ValueError: the deck was built from another snapshot.
        SnapshotCorrupt: the snapshot's body no longer matches its checksum.
    """
    if deck.snapshot_id != snapshot.id:
        raise ValueError(f"paparan dari snapshot {deck.snapshot_id}, bukan {snapshot.id}")
    snapshot = snapshot.verified()
    sheets = _sheets(deck, snapshot)
    files = [(f"paparan-{_ascii(snapshot.id, '.')}.xlsx", _xlsx(deck, snapshot, sheets))]
    files += [(s.path, _csv(s)) for s in sheets]
    as_of = formatting.wib(snapshot.as_of)
    manifest = {
        "snapshot_id": snapshot.id, "checksum": snapshot.checksum, "title": deck.title, "as_of": as_of.isoformat(),
        "as_of_text": deck.as_of_text, "made_note": deck.made_note, "language": deck.lang, "generated_by": f"Pantau {_version()}",
        "files": [{"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in files],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return _zip([("manifest.json", text.encode("utf-8")), *files], as_of.timetuple()[:6])


def _zip(files: list[tuple[str, bytes]], when: tuple[int, ...]) -> bytes:
    """Members in the given order, each dated `when`, mode 644 as if made on Unix; the XLSX stored (it is deflated
    already), the text deflated at level 9."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, when)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            stored = name.endswith(".xlsx")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if stored else 9)
    return out.getvalue()


def sheet_name(number: int, title: str, width: int = 2) -> str:
    """A slide's sheet name: "03 Perizinan daring", without []:*?/\\, at most 31 characters (Excel's rules)."""
    name = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", f"{number:0{width}d} {title}").split())
    return _fit(name, SHEET_NAME_MAX)


def _fit(text: str, limit: int) -> str:
    while len(text.encode("utf-16-le")) > 2 * limit:
        text = text[:-1]
    return text.rstrip(" '")


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or with "~2", "~3"... where Excel (case-blind) already has it."""
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f"~{n}"
        candidate, n = _fit(name, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def _ascii(text: str, keep: str = "") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(f"[^a-z0-9{re.escape(keep)}]+", "-", plain).strip("-") or "x"


def _sheets(deck: Deck, snapshot: Snapshot) -> list[_Sheet]:
    """One sheet per slide with figures, then Definisi, Sumber and Pembilang-Penyebut."""
    lang = deck.lang
    as_of = formatting.wib(snapshot.as_of).replace(tzinfo=None)
    simulated = deck.labels.get("simulated") or TEXT["simulated"][lang]
    fixed = [_word("definisi", lang), _word("sumber", lang), _word("pp", lang)]
    taken = {name.casefold() for name in fixed}
    width = max(2, len(str(len(deck.slides))))

    def about(what: str, name: str | int, *more: tuple[str, Value]) -> list[tuple[str, Value]]:
        """What a sheet's first rows say: the deck, the slide or sheet, the snapshot, the as-of moment and any note."""
        lines = [(_word("deck", lang), deck.title), (_word(what, lang), name), *more, (_word("snapshot", lang), snapshot.id),
                 (_word("as_of", lang), as_of)]
        return lines + ([(_word("note", lang), deck.made_note)] if deck.made_note else [])

    sheets = []
    for number, slide in enumerate(deck.slides, start=1):
        tables = [t for block in slide.blocks for t in _block_tables(block, lang)]
        if tables:
            name = _unique(sheet_name(number, slide.title, width), taken)
            sheets.append(_Sheet(name, f"csv/{number:0{width}d}-{_ascii(slide.key)}.csv",
                                 about("slide", slide.title, (_word("number", lang), number)), tables, simulated if slide.simulated else ""))
    indicators = snapshot.body.get("indicators", [])
    sources = snapshot.body.get("sources", {})

    def flagged(items) -> str:
        return simulated if any(item.get("simulated") for item in items) else ""

    definitions = _Table("", _word("definisi_head", lang), [_definition(i, lang) for i in indicators])
    freshness = _Table("", _word("sumber_head", lang), [_source(name, sources[name], lang) for name in sorted(sources)])
    return sheets + [
        _Sheet(fixed[0], "csv/definisi.csv", about("sheet", _word("definisi_title", lang)), [definitions]),
        _Sheet(fixed[1], "csv/sumber.csv", about("sheet", _word("sumber_title", lang)), [freshness], flagged(sources.values())),
        _Sheet(fixed[2], "csv/pembilang-penyebut.csv", about("sheet", _word("pp_title", lang)), _numbers_tables(indicators, lang),
               flagged(indicators)),
    ]


def _block_tables(block, lang: str) -> list[_Table]:
    if isinstance(block, Stats):
        return [_Table(_word("figures", lang), _word("stats", lang), [_figure(f, lang) for f in block.figures])]
    if isinstance(block, Chart):
        return [_chart(block, lang)]
    if isinstance(block, Table):
        head = tuple(f"{c.name} ({c.unit})" if c.unit else c.name for c in block.columns)
        return [_Table(block.title, head, [tuple(row) for row in block.rows], tuple(c.decimals for c in block.columns))]
    return []


def _figure(figure: Figure, lang: str) -> tuple[Value | _Shown, ...]:
    shown = next((d for d in range(7) if figure.value is not None and figure_text(figure.value, d, figure.unit, lang) == figure.text), None)
    value = figure.value if shown is None else _Shown(figure.value, shown)
    return (figure.label, value, figure.text, figure.unit, figure.status, figure.detail, figure.indicator)


def _chart(chart: Chart, lang: str) -> _Table:
    keyed, targeted, coloured = bool(chart.keys), chart.target is not None, bool(chart.statuses)
    head = ((_word("key", lang),) if keyed else ()) + (_word("category", lang),) + tuple(s.name for s in chart.series)
    head += ((_word("target", lang),) if targeted else ()) + ((_word("status", lang),) if coloured else ())
    rows = []
    for n, category in enumerate(chart.categories):
        row: tuple = ((chart.keys[n],) if keyed else ()) + (category,) + tuple(_Shown(s.values[n], chart.decimals) for s in chart.series)
        rows.append(row + ((_Shown(chart.target, chart.decimals),) if targeted else ()) + ((chart.statuses[n],) if coloured else ()))
    return _Table(f"{chart.title} ({chart.unit})" if chart.unit else chart.title, head, rows)


def _localized(indicator: dict, key: str, lang: str):
    return (indicator.get(f"{key}_en") or indicator.get(key)) if lang == "en" else indicator.get(key)


def _definition(indicator: dict, lang: str) -> tuple[Value, ...]:
    thresholds = indicator.get("thresholds") or {}
    period = indicator.get("period_label") or {}
    assumptions = "\n".join(a.get("text_en" if lang == "en" else "text", "") if isinstance(a, dict) else str(a)
                            for a in indicator.get("assumptions") or [])
    sources = ", ".join(s.get("source", "") if isinstance(s, dict) else str(s) for s in indicator.get("sources") or [])
    formula = indicator.get("formula")
    if isinstance(formula, dict):  # {"id": ..., "en": ...}
        formula = formula.get(lang) or formula.get("id")
    return (indicator["id"], _localized(indicator, "name", lang), _localized(indicator, "description", lang), formula,
            _localized(indicator, "unit", lang), indicator.get("direction"), period.get(lang) or period.get("id"), indicator.get("target"),
            indicator.get("target_basis"), thresholds.get("green"), thresholds.get("amber"), assumptions, sources)


def _source(name: str, source: dict, lang: str) -> tuple[Value, ...]:
    return (name, source.get("opd"), source.get("system"), source.get("kind"), source.get("state"), _instant(source.get("last_success_at")),
            _instant(source.get("last_run_at")), source.get("last_status"), source.get("last_rows_read"), source.get("last_rejected"),
            source.get("last_error"), _word("yes" if source.get("simulated") else "no", lang))


def _numbers_tables(indicators: list[dict], lang: str) -> list[_Table]:
    """Each indicator's value, numerator, denominator and spans; then each breakdown member's, where it has any."""
    tables = [_Table(_word("pp_title", lang), _word("pp_head", lang), [_numbers(i, lang) for i in indicators])]
    members = [(i["id"], by, m.get("member"), m.get("value"), m.get("numerator"), m.get("denominator"), m.get("status"))
               for i in indicators for by, rows in sorted(_mapping(i.get("breakdowns")).items()) if isinstance(rows, list) for m in rows]
    return tables + ([_Table(_word("breakdown_title", lang), _word("breakdown_head", lang), members)] if members else [])


def _numbers(indicator: dict, lang: str) -> tuple[Value, ...]:
    def span(key: str) -> tuple[dt.date | None, dt.date | None]:
        days = indicator.get(key) or {}
        return _day(days.get("start")), _day(days.get("end"))

    return (indicator["id"], _localized(indicator, "name", lang), indicator.get("value"), _localized(indicator, "unit", lang),
            indicator.get("status"), indicator.get("numerator"), indicator.get("denominator"), *span("period"),
            (indicator.get("period") or {}).get("kind"), *span("covered"), indicator.get("previous_value"), *span("previous_span"),
            indicator.get("year_before_value"), *span("year_before_span"), _day(indicator.get("provisional_from")),
            _word("yes" if indicator.get("simulated") else "no", lang))


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _instant(text: str | None) -> dt.datetime | None:
    """An ISO instant as the naive WIB time a spreadsheet shows."""
    return formatting.wib(dt.datetime.fromisoformat(text)).replace(tzinfo=None) if text else None


def _lines(sheet: _Sheet) -> Iterator[tuple[str, int, tuple[Value | _Shown, ...], _Table | None]]:
    """The sheet's rows, top to bottom, as both files lay them out: (kind, row, cells, table)."""
    row = 0
    for label, value in sheet.about:
        yield "about", row, (label, value), None
        row += 1
    if sheet.simulated:
        yield "simulated", row, (sheet.simulated,), None
        row += 1
    for table in sheet.tables:
        row += 1
        if table.caption:
            yield "caption", row, (table.caption,), table
            row += 1
        yield "head", row, table.head, table
        row += 1
        for cells in table.rows:
            yield "body", row, cells, table
            row += 1


# The XLSX


class _ExactWorksheet(Worksheet):
    """A worksheet whose numbers read back as the same doubles: written as Python's shortest round-trip text."""

    def _xml_number_element(self, number, attributes=()) -> None:
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{number!r}</v></c>")


def _places(value: float) -> int:
    """As few decimals as show the value exactly, at most four."""
    return next((d for d in range(4) if float(f"{value:.{d}f}") == value), 4)


def _plain_number(cell: Value | _Shown) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool) and math.isfinite(cell)


def _number(cell: Value | _Shown, table: _Table | None, col: int) -> tuple[Value, int | None]:
    """A cell's value and, for a number, the decimals it is shown with (a table's column's, outside tables its own)."""
    if isinstance(cell, _Shown):
        return cell.value, cell.decimals
    if _plain_number(cell):
        return cell, table.shown[col] if table is not None and col < len(table.shown) else _places(float(cell))
    return cell, None


def _shown_width(value: Value, decimals: int | None) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if decimals is not None:
        return len(formatting.number(float(value), decimals))
    return max(len(line) for line in str(value).split("\n"))


class _Formats:
    """The workbook's cell formats, made once each: bold headings, numbers with their decimals, dates, wrapped text."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book, self.made = book, {}

    def __call__(self, kind: str, decimals: int | None = None, wrap: bool = False):
        key = (kind, decimals, wrap)
        if key not in self.made:
            spec: dict = {"valign": "top", "bold": kind in ("head", "caption", "label", "simulated"), "text_wrap": wrap}
            if kind == "head":
                spec["bottom"] = 1
            if kind == "simulated":
                spec["font_color"] = "#C00000"
            if kind in ("date", "datetime"):
                spec["num_format"] = "yyyy-mm-dd hh:mm" if kind == "datetime" else "yyyy-mm-dd"
            elif decimals is not None:
                spec["num_format"] = "#,##0" + ("." + "0" * decimals if decimals else "")
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def _xlsx(deck: Deck, snapshot: Snapshot, sheets: list[_Sheet]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": deck.title, "subject": deck.event, "author": "Pantau", "company": deck.region,
                         "keywords": snapshot.id, "comments": deck.made_note,
                         "created": snapshot.as_of.astimezone(dt.UTC).replace(tzinfo=None)})  # XlsxWriter writes it as UTC
    formats = _Formats(book)
    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet.name, worksheet_class=_ExactWorksheet), sheet, formats)
    book.close()
    return out.getvalue()


def _write_sheet(page: Worksheet, sheet: _Sheet, formats: _Formats) -> None:
    lines = list(_lines(sheet))
    widths: dict[int, int] = {}  # from headings and cells; of the first rows, labels, numbers and dates (text runs on)
    for kind, _, cells, table in lines:
        if kind in ("head", "body", "about"):
            for col, cell in enumerate(cells[:1] if kind == "about" and isinstance(cells[1], str | None) else cells):
                value, decimals = _number(cell, table, col)
                widths[col] = max(widths.get(col, 0), _shown_width(value, decimals) + (2 if kind == "head" else 0))
    for col, width in widths.items():
        page.set_column(col, col, min(max(width, 6) + 1, _WIDEST))
    for kind, row, cells, table in lines:
        for col, cell in enumerate(cells):
            value, decimals = _number(cell, table if kind == "body" else None, col)
            style = ("label" if col == 0 else "body") if kind == "about" else kind
            _put(page, row, col, value, decimals, style, formats, widths.get(col, 0) >= _WIDEST)
    # Frozen: a lone table's heading with all above it; with several tables, what the sheet is about.
    first = next(row for _, row, _, table in lines if table is sheet.tables[0])
    head = next(row for kind, row, _, table in lines if table is sheet.tables[0] and kind == "head")
    page.freeze_panes(head + 1 if len(sheet.tables) == 1 else first, 0)
    page.set_paper(9)  # A4, landscape, as wide as one page
    page.set_landscape()
    page.fit_to_pages(1, 0)


def _put(page: Worksheet, row: int, col: int, value: Value, decimals: int | None, style: str, fmt: _Formats, wide: bool) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        page.write_datetime(row, col, value, fmt("datetime"))
    elif isinstance(value, dt.date):
        page.write_datetime(row, col, value, fmt("date"))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            page.write_number(row, col, value, fmt(style, decimals))
    else:
        page.write_string(row, col, str(value), fmt(style, wrap=wide and style == "body"))


# The CSV


def csv_number(value: float | int) -> str:
    """Every digit Python needs to read the same double back, with a decimal comma and no exponent: "92,94117647"."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f").replace(".", ",")


def _csv_field(cell: Value | _Shown) -> str:
    value = cell.value if isinstance(cell, _Shown) else cell
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return csv_number(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(sheet: _Sheet) -> bytes:
    """The sheet as Indonesian Excel reads a CSV: `;` between fields, decimal commas, UTF-8 with a BOM, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    last = -1
    for _, row, cells, _ in _lines(sheet):
        writer.writerows([] for _ in range(row - last - 1))
        writer.writerow([_csv_field(c) for c in cells])
        last = row
    return out.getvalue().encode("utf-8-sig")
