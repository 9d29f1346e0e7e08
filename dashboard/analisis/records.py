"""The records behind a number: the parts counted and not (with counts equal to the numerator and denominator),
a server-side paged, sorted and filtered table, masked keys shown as masked, and links to the source's rejects."""

from __future__ import annotations

import datetime as dt

from dash import dash_table, html

from dashboard import formatting
from dashboard.analisis.words import t

PAGE_STYLE = dict(
    style_table={"overflowX": "auto", "overflowY": "auto", "maxHeight": "70vh"},
    style_cell={"fontFamily": "DejaVu Sans, Liberation Sans, Arial, sans-serif", "fontSize": "14px", "padding": "6px 10px",
                "textAlign": "left", "color": "#1f2933", "backgroundColor": "#ffffff", "maxWidth": "320px", "whiteSpace": "nowrap",
                "overflow": "hidden", "textOverflow": "ellipsis"},
    style_header={"backgroundColor": "#eef2f7", "fontWeight": "700", "color": "#1f2933"},
    style_filter={"backgroundColor": "#fbfcfd"},
)


def table(lang: str) -> dash_table.DataTable:
    """The records table, paged, sorted and filtered on the server (its state lives in the URL)."""
    return dash_table.DataTable(
        id="analisis-records", columns=[], data=[], page_action="custom", page_current=0, page_size=50, page_count=1,
        sort_action="custom", sort_mode="multi", sort_by=[], filter_action="custom", filter_query="",
        cell_selectable=False, markdown_options={"link_target": "_self"}, **PAGE_STYLE,
        css=[{"selector": ".dash-filter input::placeholder", "rule": "color: #52606d; opacity: 1"}],
        filter_options={"case": "insensitive", "placeholder_text": "saring…" if lang == "id" else "filter…"},
    )


def _cell(value, kind: str, masked: bool, lang: str):
    """A value as the page writes it: dates as 3 Nov 2026, times as 3 Nov 2026 04:45 (in the zone the column names),
    numbers in the language's format, yes and no in words; a masked value as it comes."""
    if value is None:
        return "–"
    if masked:
        return str(value)
    if kind in ("date", "datetime") and isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value or kind == "datetime" else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return f"{formatting.date(value.date(), lang)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return formatting.date(value, lang)
    if isinstance(value, bool):
        return ("ya" if value else "tidak") if lang == "id" else ("yes" if value else "no")
    if isinstance(value, float) or kind == "number" and isinstance(value, int | float):
        return formatting.number(float(value), 2, lang)
    if isinstance(value, int) and kind == "integer":
        return formatting.number(value, 0, lang)
    return str(value)


LINK = "penolakan_tautan"  # metrics.records: the link to a record's rejects, where it has any


def columns_and_rows(page, lang: str) -> tuple[list[dict], list[dict]]:
    """DataTable columns and rows for a RecordPage; a masked column says so in its header, a rejects link is a link."""
    cols = []
    for c in page.columns:
        label = c.label_en if lang == "en" else c.label_id
        column = {"name": f"{label} ({t('masked', lang)})" if c.masked else label, "id": c.name}
        if c.name == LINK:
            column["presentation"] = "markdown"
        cols.append(column)
    rows = []
    for r in page.rows:
        row = {c.name: _cell(r.get(c.name), c.kind, c.masked, lang) for c in page.columns if c.name != LINK}
        if r.get(LINK):
            row[LINK] = f"[{t('rejects_short', lang)}]({r[LINK]})"
        rows.append(row)
    return cols, rows


def part_options(page, lang: str) -> list[dict]:
    every = page.counted + page.other
    return [{"label": t("part_dihitung", lang, n=formatting.number(page.counted, 0, lang)), "value": "dihitung"},
            {"label": t("part_lainnya", lang, n=formatting.number(page.other, 0, lang)), "value": "lainnya"},
            {"label": t("part_semua", lang, n=formatting.number(every, 0, lang)), "value": "semua"}]


def counts(page, lang: str) -> list:
    """The counts said in words: what counts (the numerator) of all (the denominator), and the rule behind them."""
    summary = page.summary or {}
    numerator, denominator = summary.get("numerator", page.counted), summary.get("denominator", page.counted + page.other)
    words = [t("counts_note", lang, counted=formatting.number(page.counted, 0, lang), total=formatting.number(page.counted + page.other, 0, lang))]
    if summary.get("measure") not in (None, "share"):
        words.append(" " + t("figure_from", lang, numerator=formatting.number(numerator, 2, lang), denominator=formatting.number(denominator, 2, lang)))
    for key in ("rule", "estimate"):
        if isinstance(summary.get(key), dict):
            words.append(" " + summary[key].get(lang, summary[key].get("id", "")))
    return words


def page_count(page) -> int:
    return max(1, -(-int(page.total) // max(page.size, 1)))


def rejects_links(sources: tuple[str, ...], lang: str) -> html.Ul:
    return html.Ul([html.Li(html.A(t("rejects", lang, source=s), href=f"/api/v1/sumber/{s}/penolakan")) for s in sources], className="a-rejects")
