"""Analisis (/analisis): ask one indicator a question, see the answer as charts and numbers, open the records
behind any number, read its definition, and download what is shown; the whole view lives in the URL."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import replace
from functools import lru_cache

import dash
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import formatting
from dashboard.analisis import figures, records, result, source, state
from dashboard.analisis.words import t
from dashboard.services import services
from dashboard.signin import audit, sees_personal, sees_records, sign_in_url
from metrics.members import member_name
from metrics.question import COMPARISONS, GRAIN_WORDS, PERIODS, BadQuestion, Drill, Question, question_from_args
from metrics.slots import Busy

log = logging.getLogger(__name__)
dash.register_page(__name__, path="/analisis", title="Pantau · Analisis", name="Analisis", order=5)

P = "analisis-"
GRAPH_CONFIG = {"displayModeBar": False}
QUESTION_CONTROLS = ("indikator", "periode", "dari", "sampai", "satuan", "banding", "rinci")


def _label(text: str, for_id: str) -> html.Label:
    return html.Label(text, htmlFor=for_id, className="a-label")


def _field(label: str, control, for_id: str, class_name: str = "") -> html.Div:
    return html.Div([_label(label, for_id), control], className=f"a-field {class_name}".strip())


def layout(lang: str = "id", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "id"
    radio = dict(inline=True, className="a-radios", inputClassName="a-radio-input", labelClassName="a-radio-label")
    controls = html.Section([
        html.H2(t("controls", lang), className="a-section-title"),
        html.Div([
            _field(t("indicator", lang), dcc.Dropdown(id=P + "indikator", options=[], clearable=False, searchable=True,
                                                       placeholder=t("indicator", lang)), P + "indikator", "a-wide"),
            _field(t("period", lang), dcc.Dropdown(id=P + "periode", clearable=False, searchable=False,
                                                    options=[{"label": t(f"p_{p}", lang), "value": p} for p in PERIODS]), P + "periode"),
            html.Div([
                _field(t("from", lang), dcc.DatePickerSingle(id=P + "dari", display_format="DD/MM/YYYY", first_day_of_week=1), P + "dari"),
                _field(t("to", lang), dcc.DatePickerSingle(id=P + "sampai", display_format="DD/MM/YYYY", first_day_of_week=1), P + "sampai"),
            ], id=P + "rentang", className="a-range", hidden=True),
            _field(t("breakdown", lang), dcc.Dropdown(id=P + "rinci", options=[], clearable=True, searchable=False,
                                                       placeholder=t("no_breakdown", lang)), P + "rinci"),
        ], className="a-controls-row"),
        html.Div([
            html.Fieldset([html.Legend(t("grain", lang)), dcc.RadioItems(
                id=P + "satuan", options=[{"label": t(f"g_{g}", lang), "value": w} for w, g in GRAIN_WORDS.items()], **radio)], className="a-fieldset"),
            html.Fieldset([html.Legend(t("comparison", lang)), dcc.RadioItems(
                id=P + "banding", options=[{"label": t(f"c_{c}", lang), "value": c} for c in COMPARISONS], **radio)], className="a-fieldset"),
        ], className="a-controls-row"),
        html.Div(id=P + "filters", className="a-controls-row a-filters"),
    ], className="a-controls", **{"aria-label": t("controls", lang)})

    def chart_section(kind: str) -> html.Section:
        return html.Section([html.H2(id=P + kind + "-title", className="a-section-title"),
                             dcc.Graph(id=P + kind, config=GRAPH_CONFIG, className="a-graph", figure={"data": [], "layout": {"height": 60, "xaxis": {"visible": False}, "yaxis": {"visible": False}}})],
                            id=P + kind + "-box", className=f"a-card a-chart a-chart-{kind}", hidden=True)

    drill = html.Section([
        dcc.Store(id=P + "scrolled"),
        html.Div([html.H2(id=P + "drill-title", className="a-section-title", tabIndex="-1"),
                  html.Button(t("close", lang), id=P + "drill-close", className="a-button")], className="a-drill-head"),
        html.P(id=P + "drill-counts", className="a-counts"),
        html.Fieldset([html.Legend(t("part", lang)), dcc.RadioItems(id=P + "bagian", options=[], value="semua", **radio)], className="a-fieldset"),
        records.table(lang),
        html.Div(id=P + "rejects"),
    ], id=P + "drill", className="a-card a-drill", hidden=True, **{"aria-label": t("records_title", lang)})

    other = "id" if lang == "en" else "en"
    return html.Div([
        dcc.Location(id=P + "url", refresh="callback-nav"),
        html.Header([
            html.Div([html.A("Pantau", href=f"/?lang={lang}", className="a-brand"), html.H1(t("title", lang))], className="a-title"),
            html.Span(id=P + "simulated", className="a-simulated"),
            html.A(t("language", lang), id=P + "lang", href=f"/analisis?lang={other}", lang=other, className="a-lang"),
        ], className="a-header"),
        html.Main([
            html.P(t("intro", lang), className="a-intro"),
            controls,
            html.Div(id=P + "message", role="alert", className="a-message"),
            html.Div(id=P + "result", className="a-card"),
            html.Div([chart_section("seri"), chart_section("rincian"), chart_section("peta")], className="a-charts"),
            drill,
            html.Div(id=P + "numbers", className="a-card"),
            html.Div(id=P + "def", className="a-card"),
        ]),
    ], className="analisis", lang=lang)


# Records that open come into view, their title focused (a keyboard user's next Tab is in them).
clientside_callback(
    """function (hidden) {
        if (hidden === false) {
            setTimeout(function () {
                var title = document.getElementById("analisis-drill-title");
                var at = document.activeElement;
                if (!title) { return; }
                title.scrollIntoView({block: "start"});
                // Focus follows only from where the records were asked for, never away from a control in use.
                if (!at || at === document.body || (at.classList && at.classList.contains("a-row-button"))) {
                    title.focus({preventScroll: true});
                }
            }, 50);
        }
        return window.dash_clientside.no_update;
    }""",
    Output(P + "scrolled", "data"), Input(P + "drill", "hidden"), prevent_initial_call=True,
)


# ---- reading the state, with caches that last until the warehouse changes ----

def _metrics():
    return services().metrics


def _catalogue() -> dict:
    return {i.id: i for i in _metrics().indicators}


def _default() -> str:
    served = _metrics().indicators
    return next((i.id for i in served if i.wall), served[0].id)


@lru_cache(maxsize=64)
def _members(indicator_id: str, column: str, version: int, metrics) -> tuple:
    return tuple(source.explorer(metrics).members(indicator_id, column))


@lru_cache(maxsize=4)
def _indicator_options(lang: str, version: int, metrics) -> tuple:
    options = []
    for dimension, indicators in source.explorer(metrics).catalogue(lang):
        options.append({"label": dimension, "value": f"__{dimension}", "disabled": True, "title": dimension})
        options += [{"label": f"\u2003{name}", "value": ind_id, "search": f"{dimension} {name} {ind_id}"} for ind_id, name in indicators]
    return tuple(options)


def _lang(search: str | None) -> str:
    return "en" if state.args_of(search).get("lang") == "en" else "id"


def _question_from_controls(values: dict, filters: dict, q: Question | None) -> Question:
    """The question after the controls changed: what differs from the view shown applies, the rest stays as it was.

    A new indicator keeps the period, grain and comparison chosen, and drops the breakdown and filters (another
    indicator has other columns).
    """
    if q is None:
        return question_from_args({"indikator": values["indikator"] or ""}, _catalogue(), dt.datetime.now(dt.UTC))
    shown = dict(zip(QUESTION_CONTROLS, _control_values(q, None)[:len(QUESTION_CONTROLS)], strict=True))
    changed = {c: v for c, v in values.items() if v != shown[c] and not (c in ("dari", "sampai") and (v or "")[:10] == (shown[c] or ""))}
    args = q.to_args()
    if "indikator" in changed:
        args = {k: v for k, v in args.items() if k not in ("rinci",) and not k.startswith("f_")}
        args["indikator"] = values["indikator"] or ""
    if "periode" in changed:
        args.pop("dari", None), args.pop("sampai", None), args.pop("periode", None)
        if values["periode"] and values["periode"] != "bawaan":
            args["periode"] = values["periode"]
        if values["periode"] == "rentang":
            start, end = q.span(_catalogue()[q.indicator], _today(q))
            args["dari"], args["sampai"] = start.isoformat(), end.isoformat()
    for control in ("dari", "sampai"):
        if control in changed and args.get("periode") == "rentang":
            args[control] = (values[control] or "")[:10]
    if "satuan" in changed and values["satuan"]:
        args["satuan"] = values["satuan"]
    if "banding" in changed:
        args.pop("banding", None)
        if values["banding"] and values["banding"] != "setara":
            args["banding"] = values["banding"]
    if "rinci" in changed:
        args.pop("rinci", None)
        if values["rinci"]:
            args["rinci"] = values["rinci"]
    if "indikator" not in changed:
        args = {k: v for k, v in args.items() if not k.startswith("f_")}
        args.update({"f_" + column: ",".join(members) for column, members in filters.items() if members})
    return question_from_args(args, _catalogue(), dt.datetime.now(dt.UTC))


def _today(q: Question) -> dt.date:
    from metrics.compute import today_wib

    return today_wib(source.explorer(_metrics()).moment(q))


OUTPUTS = [
    Output(P + "url", "search"),
    *[Output(P + c, "date" if c in ("dari", "sampai") else "value") for c in QUESTION_CONTROLS],
    Output(P + "bagian", "value"), Output(P + "records", "page_current"), Output(P + "records", "sort_by"), Output(P + "records", "filter_query"),
    Output(P + "indikator", "options"), Output(P + "rinci", "options"), Output(P + "rentang", "hidden"), Output(P + "filters", "children"),
    Output(P + "message", "children"), Output(P + "result", "children"), Output(P + "simulated", "children"), Output(P + "lang", "href"),
    Output(P + "seri", "figure"), Output(P + "seri-box", "hidden"), Output(P + "seri-title", "children"),
    Output(P + "rincian", "figure"), Output(P + "rincian-box", "hidden"), Output(P + "rincian-title", "children"),
    Output(P + "peta", "figure"), Output(P + "peta-box", "hidden"), Output(P + "peta-title", "children"),
    Output(P + "numbers", "children"), Output(P + "def", "children"),
    Output(P + "drill", "hidden"), Output(P + "drill-title", "children"), Output(P + "drill-counts", "children"), Output(P + "bagian", "options"),
    Output(P + "records", "columns"), Output(P + "records", "data"), Output(P + "records", "page_count"), Output(P + "records", "page_size"),
    Output(P + "rejects", "children"),
]


@callback(
    *OUTPUTS,
    Input(P + "url", "search"),
    *[Input(P + c, "date" if c in ("dari", "sampai") else "value") for c in QUESTION_CONTROLS],
    Input({"type": P + "filter", "column": ALL}, "value"),
    Input(P + "seri", "clickData"), Input(P + "rincian", "clickData"), Input(P + "peta", "clickData"),
    Input({"type": P + "row", "key": ALL}, "n_clicks"),
    Input(P + "bagian", "value"), Input(P + "records", "page_current"), Input(P + "records", "sort_by"), Input(P + "records", "filter_query"),
    Input(P + "drill-close", "n_clicks"),
    State({"type": P + "filter", "column": ALL}, "id"),
)
def update(search, indikator, periode, dari, sampai, satuan, banding, rinci, filter_values, click_seri, click_rincian, click_peta,
           _rows, part, page_current, sort_by, filter_query, _close, filter_ids):
    """One state change (the URL, a control, a click) to the view: the URL written, then everything computed from it."""
    texts = (search, indikator, periode, dari, sampai, satuan, banding, rinci, part, filter_query)
    if not all(v is None or isinstance(v, str) for v in texts) or not all(
            v is None or (isinstance(v, list) and all(isinstance(m, str) for m in v)) for v in filter_values):
        raise dash.exceptions.PreventUpdate  # this page's controls hold only text; no browser of it sent this
    lang = _lang(search)
    trigger = ctx.triggered_id
    shown_filters = {i["column"]: tuple(v or ()) for i, v in zip(filter_ids, filter_values, strict=True)}
    try:
        current_q, current_d = state.read(search, _catalogue(), _default(), dt.datetime.now(dt.UTC))
    except BadQuestion as bad:
        current_q, current_d = None, None
        if trigger in (None, P + "url"):
            return _bad(bad, search, lang)
    try:
        question, drill = _changed(trigger, current_q, current_d, dict(zip(QUESTION_CONTROLS, (indikator, periode, dari, sampai, satuan, banding, rinci), strict=True)),
                                   shown_filters, click_seri, click_rincian, click_peta, part, page_current, sort_by, filter_query)
    except BadQuestion as bad:
        return _bad(bad, search, lang, keep_controls=True)
    if question is None:
        raise dash.exceptions.PreventUpdate
    new_search = state.search_of(question, drill, lang)
    from_url = trigger in (None, P + "url")
    if not from_url and new_search == state.search_of(current_q, current_d, lang) and (search or "") not in ("", "?"):
        raise dash.exceptions.PreventUpdate
    controls = _control_values(question, drill)
    return [new_search if new_search != (search or "") else no_update, *controls, *_render(question, drill, lang, shown_filters)]


def _changed(trigger, q, d, values, filters, click_seri, click_rincian, click_peta, part, page_current, sort_by, filter_query):
    """The question and drill-down after the change `trigger` made (None: nothing to change)."""
    if trigger in (None, P + "url"):
        return q, d
    if trigger in QUESTION_CONTROLS_IDS or (isinstance(trigger, dict) and trigger.get("type") == P + "filter"):
        asked = _question_from_controls(values, filters, q)
        # Dropdowns that a render has just drawn report their values as a change: the same question keeps its records.
        if q is not None and asked.to_args() == q.to_args():
            return q, d
        return asked, None
    if q is None:
        return None, None
    if trigger == P + "seri":
        day = figures.clicked_day(click_seri)
        return (q, state.drill_for(d, periode=day)) if day else (None, None)
    if trigger in (P + "rincian", P + "peta"):
        code = figures.clicked(click_rincian if trigger == P + "rincian" else click_peta)
        if code is None and trigger == P + "peta":
            code = figures.clicked_area(click_peta)
        return (q, state.drill_for(d, member=code)) if code and q.by else (None, None)
    if isinstance(trigger, dict) and trigger.get("type") == P + "row":
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return None, None  # a new table's buttons appearing, not a click
        kind, _, key = trigger["key"].partition(":")
        if kind == "m":
            return q, state.drill_for(d, member=key)
        return q, state.drill_for(d, periode=dt.date.fromisoformat(key))
    if trigger == P + "drill-close":
        return q, None
    if d is None:
        return None, None
    if trigger == P + "bagian":
        return q, replace(d, part=part or "semua", page=1)
    if trigger == P + "records" and ctx.triggered_prop_ids:
        prop = next(iter(ctx.triggered_prop_ids)).rsplit(".", 1)[1]
        if prop == "page_current":
            return q, replace(d, page=(page_current or 0) + 1)
        if prop == "sort_by":
            return q, replace(d, sort=state.sort_of(sort_by), page=1)
        return q, replace(d, search=state.search_from_query(filter_query), page=1)
    return None, None


QUESTION_CONTROLS_IDS = tuple(P + c for c in QUESTION_CONTROLS)


def _control_values(q: Question, d: Drill | None) -> list:
    grain = next((w for w, g in GRAIN_WORDS.items() if g == q.grain), None)
    if grain is None:
        own = _catalogue()[q.indicator].grain
        grain = next(w for w, g in GRAIN_WORDS.items() if g == own)
    return [q.indicator, q.period, q.start.isoformat() if q.start else None, q.end.isoformat() if q.end else None, grain, q.comparison, q.by,
            d.part if d else "semua", (d.page - 1) if d else 0, state.sort_by_of(d), state.query_of(d)]


def _filters(q: Question, lang: str, shown: dict, metrics, version: int):
    ind = _catalogue()[q.indicator]
    wanted = {c: q.filter_map().get(c, ()) for c in ind.breakdowns}
    if {c: tuple(sorted(v)) for c, v in shown.items()} == wanted:
        return no_update  # the same dropdowns: keep them (and the keyboard focus in them)
    fields = []
    for column in ind.breakdowns:
        options = [{"label": member_name(column, code, lang), "value": code} for code, _ in _members(ind.id, column, version, metrics)]
        known = {o["value"] for o in options}
        options += [{"label": m, "value": m} for m in wanted[column] if m not in known]
        control_id = {"type": P + "filter", "column": column}
        fields.append(html.Div([
            html.Label(f"{t('filters', lang)}: {t(column, lang) if column in _BREAKDOWN_WORDS else column}", htmlFor=json.dumps(control_id, sort_keys=True, separators=(",", ":")), className="a-label"),
            dcc.Dropdown(id=control_id, options=options, value=list(wanted[column]), multi=True, searchable=True, placeholder=t("filter_all", lang)),
        ], className="a-field"))
    return fields


_BREAKDOWN_WORDS = ("kode_opd", "kode_kecamatan", "kanal", "jenis_pajak", "tahap", "dimensi")


def _render(q: Question, d: Drill | None, lang: str, shown_filters: dict) -> list:
    metrics = _metrics()
    version = metrics.data_version()
    ind = _catalogue()[q.indicator]
    rinci_options = [{"label": t(c, lang) if c in _BREAKDOWN_WORDS else c, "value": c} for c in ind.breakdowns]
    head = [list(_indicator_options(lang, version, metrics)), rinci_options, q.period != "rentang", _filters(q, lang, shown_filters, metrics, version)]
    try:
        answer = source.explorer(metrics).answer(q)  # remembered by the explorer per data version
        definition = source.explorer(metrics).definition(q, lang)
    except Busy as exc:
        return [*head, html.P(t("failed", lang, message=str(exc))), *_empty(state.search_of(q, d, "en" if lang == "id" else "id"))]
    except Exception as exc:  # a figure that cannot be computed is said in words, never a traceback
        log.exception("analisis: %s", q)
        return [*head, html.P(t("failed", lang, message=str(exc)[:200])), *_empty(state.search_of(q, d, "en" if lang == "id" else "id"))]
    dec = formatting.decimals(ind)
    by = q.by
    grain_word = t(f"g_{answer.grain}", lang).lower()
    by_word = t(by, lang) if by in _BREAKDOWN_WORDS else (by or "")
    out = [*head, None, [result.headline(answer, lang), result.exports(q, d, lang, records=sees_records())],
           t("simulated", lang) if answer.simulated else None, "/analisis" + state.search_of(q, d, "en" if lang == "id" else "id"),
           figures.series_figure(answer, lang, dec), False, t("series_title", lang, grain=grain_word),
           figures.bar_figure(answer, lang, dec) if by else no_update, not by, t("bar_title", lang, by=by_word) if by else "",
           figures.map_figure(answer, lang, dec) if by == "kode_kecamatan" else no_update, by != "kode_kecamatan", t("map_title", lang),
           result.numbers_table(answer, lang), result.definition(definition, ind, lang)]
    return out + _drill(q, d, lang, answer)


def _drill(q: Question, d: Drill | None, lang: str, answer) -> list:
    """The drill-down's outputs. Its title and counts are figure-level (public); its rows need access.records_role."""
    if d is None:
        return [True, "", "", [], no_update, no_update, no_update, no_update, None]
    shown = sees_records()
    try:
        page = source.records(_metrics(), q, d, personal_visible=shown and sees_personal())
    except BadQuestion as bad:  # a sort or search column, or a bucket, that the records do not have
        return [False, result.what_drilled(q, d, lang), t("bad_param", lang, param=bad.param, message=str(bad).split(": ", 1)[-1]),
                [], [], [], 1, d.size, None]
    except Busy as exc:
        return [False, result.what_drilled(q, d, lang), str(exc), [], [], [], 1, d.size, None]
    head = [False, result.what_drilled(q, d, lang), records.counts(page, lang), records.part_options(page, lang)]
    if not shown:
        view = "/analisis" + state.search_of(q, d, lang)
        note = html.P([t("records_signin", lang), html.A(t("sign_in", lang), href=sign_in_url(view), className="a-signin-link")],
                      className="a-signin-note", role="note")
        return [*head, [], [], 1, d.size, note]
    if not audit("lihat_rekaman", q.indicator, {**q.to_args(), **d.to_args()}):
        return [*head, [], [], 1, d.size, html.P(t("records_unlogged", lang), className="a-signin-note", role="note")]
    columns, rows = records.columns_and_rows(page, lang)
    return [*head, columns, rows, records.page_count(page), d.size, records.rejects_links(answer.indicator.sources, lang)]


def _empty(other_search: str) -> list:
    """The outputs from the result on, when there is nothing to show: no charts, no table, no records."""
    return [None, None, "/analisis" + other_search, no_update, True, "", no_update, True, "", no_update, True, "", None, None,
            True, "", "", [], no_update, no_update, no_update, no_update, None]


def _bad(bad: BadQuestion, search: str | None, lang: str, keep_controls: bool = False) -> list:
    """A parameter that cannot be read, named in words; the rest of the page stays empty (or as it was)."""
    message = [html.Strong(t("bad_param", lang, param=bad.param, message=str(bad).split(": ", 1)[-1])), " ",
               t("bad_hint", lang), html.A(t("reset", lang), href="/analisis" + ("?lang=en" if lang == "en" else "")), "."]
    if keep_controls:
        return [no_update] * (1 + len(QUESTION_CONTROLS) + 4 + 4) + [message] + [no_update] * (len(OUTPUTS) - 1 - len(QUESTION_CONTROLS) - 4 - 4 - 1)
    metrics = _metrics()
    options = list(_indicator_options(lang, metrics.data_version(), metrics))
    return [no_update, *[no_update] * len(QUESTION_CONTROLS), no_update, no_update, no_update, no_update,
            options, [], True, [], message, *_empty("?lang=" + ("id" if lang == "en" else "en"))]
