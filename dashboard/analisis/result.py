"""The explorer's answer in words and tables: the value with target and status, the compared value and change,
the period, freshness and as-of time; the table of the same numbers as the charts; the definition; export links."""

from __future__ import annotations

import datetime as dt

from dash import dcc, html

from dashboard import formatting
from dashboard.analisis.state import export_args
from dashboard.analisis.words import t
from dashboard.components.tile import STATUS_ICON
from metrics.members import member_name

GRAIN_KEY = {"day": "g_day", "week": "g_week", "month": "g_month", "year": "g_year"}


def moment(instant: dt.datetime, lang: str) -> str:
    """An instant (naive: UTC) as a WIB day and time: "2 Des 2026 21:50"."""
    local = formatting.wib(instant)
    return f"{formatting.date(local.date(), lang)} {local:%H:%M}"


def status_badge(status: str, lang: str) -> html.Span:
    """Status as a shape, a word and a colour (never the colour alone)."""
    return html.Span([html.Span(STATUS_ICON[status], className="a-icon", **{"aria-hidden": "true"}), t(f"status_{status}", lang)],
                     className=f"a-status a-status-{status}")


def headline(answer, lang: str) -> html.Section:
    ind, d = answer.indicator, formatting.decimals(answer.indicator)
    sign = "≥" if ind.direction == "higher" else "≤"
    figure = ([html.Span(formatting.number(answer.value, d, lang), className="a-value"), html.Span(formatting.unit(ind, lang), className="a-unit")]
              if answer.value is not None else [html.Span(t("no_value", lang), className="a-value a-no-data")])
    change = []
    if answer.compared_value is not None and answer.compared_span:
        span = formatting.span(*answer.compared_span, lang)
        words = [html.Span(f"{t('compared_value', lang)}: {formatting.number(answer.compared_value, d, lang)} {formatting.unit(ind, lang)}")]
        if answer.change is not None:
            delta = answer.change
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "＝"
            unit_text = "%" if answer.change_relative else ("poin" if lang == "id" else "points") if ind.unit == "%" else formatting.unit(ind, lang)
            words.append(html.Span(" · " + t("change_words", lang, arrow=arrow, delta=formatting.number(abs(delta), d, lang), unit=unit_text, span=span)))
        else:
            words.append(html.Span(" · " + t("against", lang, span=span)))
        change = [html.Div(words, className="a-change", id="analisis-change")]
    elif answer.compared_span:
        span = formatting.span(*answer.compared_span, lang)
        change = [html.Div(t("compared_none", lang, span=span), className="a-change", id="analisis-change")]
    fresh = []
    for s in answer.sources:
        state = t(f"fresh_{s.state}", lang)
        if s.last_success_at:
            when = moment(s.last_success_at, lang)
            fresh.append(t("loaded_at", lang, source=s.source, state=state, time=when))
        else:
            fresh.append(t("never_loaded", lang, source=s.source, state=state))
    return html.Section([
        html.H2(ind.name_en if lang == "en" else ind.name, id="analisis-name"),
        html.Div([*figure, status_badge(answer.status, lang),
                  html.Span(f"{t('target', lang)} {sign} {formatting.number(ind.target.value, d, lang)} {formatting.unit(ind, lang)}", className="a-target")],
                 className="a-figure", id="analisis-value"),
        *change,
        html.Div(t("period_words", lang, span=formatting.span(*answer.span, lang)), className="a-period", id="analisis-period"),
        html.Div(f"{t('freshness', lang)}: " + "; ".join(fresh), className="a-fresh", id="analisis-fresh"),
        html.Div(t("as_of", lang, time=moment(answer.as_of, lang)), className="a-asof", id="analisis-asof"),
    ], className="a-headline", **{"aria-live": "polite"})


def numbers_table(answer, lang: str) -> html.Table:
    """The numbers of the breakdown (when there is one) or the series, each row with a button to its records."""
    ind, d = answer.indicator, formatting.decimals(answer.indicator)
    by = answer.question.by
    head = [t("member", lang) if by else t("bucket", lang), f"{t('value', lang)} ({formatting.unit(ind, lang)})", t("numerator", lang),
            t("denominator", lang), t("status", lang), t("open_records", lang)]
    rows = []
    if by:
        for m in answer.breakdown:
            name = m.name_en if lang == "en" else m.name
            rows.append(html.Tr([
                html.Th(name, scope="row"), html.Td(formatting.number(m.value, d, lang), className="num"),
                html.Td(formatting.number(m.numerator, 0, lang), className="num"), html.Td(formatting.number(m.denominator, 0, lang), className="num"),
                html.Td(status_badge(m.status, lang)),
                html.Td(html.Button(t("open_records", lang), id={"type": "analisis-row", "key": "m:" + m.code}, className="a-row-button",
                                    **{"aria-label": t("open_records_of", lang, name=name)})),
            ]))
    else:
        for p in answer.series:
            name = formatting.date(p.periode, lang)
            rows.append(html.Tr([
                html.Th(name + (f" ({t('provisional_point', lang)})" if p.provisional else ""), scope="row"),
                html.Td(formatting.number(p.value, d, lang), className="num"),
                html.Td(formatting.number(p.numerator, 0, lang), className="num"), html.Td(formatting.number(p.denominator, 0, lang), className="num"),
                html.Td("–"),
                html.Td(html.Button(t("open_records", lang), id={"type": "analisis-row", "key": "p:" + p.periode.isoformat()}, className="a-row-button",
                                    **{"aria-label": t("open_records_of", lang, name=name)})),
            ]))
    return html.Table([html.Caption(t("table_title", lang)), html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
                      className="a-table", id="analisis-table")


def definition(d: dict, indicator, lang: str) -> html.Details:
    """Words, formula, unit, direction, target and basis, thresholds, period rule, sources; the SQL to reproduce it."""
    dec = formatting.decimals(indicator)
    target, bands, period = d.get("target", {}), d.get("thresholds", {}), d.get("period", {})
    sources = []
    for s in d.get("sources", []):
        when = (s.get("last_success_wib") or "")[:16].replace("T", " ")
        sources.append(html.Li(f"{s.get('source')}: {t('fresh_' + s.get('state', 'never'), lang)}" + (f" · {when} WIB" if when else "")))
    rows = [
        (t("d_words", lang), d.get("definition", "")),
        (t("d_formula", lang), d.get("formula", "")),
        (t("d_unit", lang), d.get("unit", "")),
        (t("d_direction", lang), d.get("direction_words") or t("d_higher" if d.get("direction") == "higher" else "d_lower", lang)),
        (t("d_target", lang), f"{formatting.number(target.get('value'), dec, lang)} — {target.get('basis', '')}"),
        (t("d_thresholds", lang), t("d_thresholds_text", lang, g=formatting.number(bands.get("green"), dec, lang), a=formatting.number(bands.get("amber"), dec, lang))),
        (t("d_period", lang), f"{period.get('words', '')} · {formatting.span(dt.date.fromisoformat(period['start']), dt.date.fromisoformat(period['end']), lang)}"
         if period.get("start") else period.get("words", "")),
    ]
    if d.get("comparison", {}).get("words"):
        rows.append((t("comparison", lang), d["comparison"]["words"]))
    items = [html.Div([html.Dt(k), html.Dd(v)]) for k, v in rows]
    if d.get("assumptions"):
        items.append(html.Div([html.Dt(t("d_assumptions", lang)), html.Dd(html.Ul([html.Li(a) for a in d["assumptions"]]))]))
    items.append(html.Div([html.Dt(t("d_sources", lang)), html.Dd(html.Ul(sources))]))
    sql = "\n\n".join(part for part in (*d.get("sql_setup", []), d.get("sql_rows", ""), d.get("sql_value", "")) if part)
    return html.Details([
        html.Summary(t("definition", lang)),
        html.Dl(items, className="a-definition"),
        html.Div([html.H3(t("d_sql", lang)), dcc.Clipboard(target_id="analisis-sql", title=t("copy_sql", lang), className="a-copy")], className="a-sql-head"),
        html.Pre(sql, id="analisis-sql", className="a-sql", tabIndex="0", **{"aria-label": t("d_sql", lang)}),
    ], id="analisis-definition", className="a-details")


def exports(question, drill, lang: str, records: bool = True) -> html.Nav:
    """Plain links, so a download carries the view's URL state; the records' only where `records` (the role to see them)."""
    def link(text: str, path: str, **extra: str) -> html.A:
        return html.A(text, href=f"/analisis/unduh/{path}?{export_args(question, None, **extra)}", className="a-export", download="")

    charts = ["seri", *(["rincian"] if question.by else []), *(["peta"] if question.by == "kode_kecamatan" else [])]
    items = [html.Span(f"{t('chart', lang)}:", className="a-export-label")]
    for kind in charts:
        items += [link(f"{fmt.upper()} {t('g_' + kind, lang)}", f"grafik.{fmt}", grafik=kind) for fmt in ("png", "svg", "pdf")]
    items += [html.Span(f"{t('data', lang)}:", className="a-export-label"), link(t("csv_comma", lang), "data.csv", pemisah="koma"),
              link(t("csv_semicolon", lang), "data.csv", pemisah="titik_koma"), link("XLSX", "data.xlsx")]
    if drill is not None and records:
        items += [html.Span(f"{t('records', lang)}:", className="a-export-label"),
                  html.A("CSV", href=f"/analisis/unduh/rekaman.csv?{export_args(question, drill)}", className="a-export", download=""),
                  html.A("XLSX", href=f"/analisis/unduh/rekaman.xlsx?{export_args(question, drill)}", className="a-export", download="")]
    return html.Nav(items, className="a-exports", id="analisis-exports", **{"aria-label": t("exports", lang)})


def what_drilled(question, drill, lang: str) -> str:
    parts = []
    if drill.periode:
        parts.append(formatting.date(drill.periode, lang))
    if drill.member is not None and question.by:
        parts.append(member_name(question.by, drill.member, lang))
    return t("records_of", lang, what=" · ".join(parts) or t("whole_period", lang))
