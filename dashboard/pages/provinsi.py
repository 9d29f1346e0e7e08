"""Provinsi (/provinsi): every region of the province on one indicator, from the rollup warehouse `app.py rollup`
writes: the regions ranked with their values and freshness, the province's own figure, and the regions on an
offline map coloured by the indicator's status."""

from __future__ import annotations

import dash
from dash import html

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.services import services
from metrics.catalogue import BY_ID
from metrics.status import status_of
from region.province import MAP_CREDIT, PROVINCE_NAME

dash.register_page(__name__, path="/provinsi", title="Pantau · Provinsi", name="Provinsi", order=6)

t = translator({
    "prov_title": {"id": "Perbandingan wilayah", "en": "Regions compared"},
    "prov_none": {"id": "Belum ada rollup provinsi: jalankan 'app.py rollup DIR' dan setel province.rollup_warehouse.",
                  "en": "No province rollup yet: run 'app.py rollup DIR' and set province.rollup_warehouse."},
    "prov_unknown": {"id": "Indikator {id} tidak ada di rollup.", "en": "Indicator {id} is not in the rollup."},
    "prov_rank": {"id": "Peringkat", "en": "Rank"},
    "prov_region": {"id": "Wilayah", "en": "Region"},
    "prov_value": {"id": "Nilai", "en": "Value"},
    "prov_parts": {"id": "Pembilang / penyebut", "en": "Numerator / denominator"},
    "prov_fresh": {"id": "Data sampai (WIB)", "en": "Data up to (WIB)"},
    "prov_period": {"id": "Periode {span}, per {as_of} WIB, mesin {engine}", "en": "Period {span}, as of {as_of} WIB, engine {engine}"},
    "prov_total": {"id": "Provinsi dihitung dari jumlah pembilang dan penyebut semua wilayah (median: dari semua catatan), bukan rata-rata wilayah.",
                   "en": "The province is computed from all regions' summed numerators and denominators (a median: from every record), not an average of regions."},
})


def _when(moment, lang: str) -> str:
    if moment is None:
        return "–"
    local = formatting.wib(moment)
    return f"{formatting.date(local.date(), lang)} {local:%H.%M}"


def layout(lang: str = "id", indikator: str | None = None, **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "id"
    rollup = services().province
    if rollup is None or not rollup.available:
        return html.Div([html.H1(t("prov_title", lang)), html.P(t("prov_none", lang), id="prov-none")], className="home province")
    ids = [i for i in rollup.indicators() if i in BY_ID]
    chosen = indikator if indikator in ids else (ids[0] if ids else None)
    nav = html.Ul([html.Li(html.A(BY_ID[i].name_en if lang == "en" else BY_ID[i].name, href=f"/provinsi?indikator={i}&lang={lang}",
                                  className="current" if i == chosen else None, **({"aria-current": "page"} if i == chosen else {})))
                   for i in ids], className="prov-indicators")
    ranking = rollup.ranking(chosen) if chosen else None
    if ranking is None:
        return html.Div([html.H1(t("prov_title", lang)), nav, html.P(t("prov_unknown", lang, id=indikator))], className="home province")
    indicator = BY_ID[chosen]
    places, unit = formatting.decimals(indicator), formatting.unit(indicator, lang)

    def figure(value):
        return "–" if value is None else formatting.number(value, places, lang)

    def status(value):
        if value is None:
            return "no_data"
        # An indicator judged on its change on a year before has no status from its value alone.
        return status_of(value, indicator.thresholds.green, indicator.thresholds.amber, indicator.direction) if indicator.judged_on == "value" else "neutral"

    def row(f, rank):
        parts = "–" if f.numerator is None else f"{formatting.number(f.numerator, 0 if f.numerator == int(f.numerator) else 2, lang)} / {formatting.number(f.denominator, 0, lang)}"
        return html.Tr([html.Td(rank), html.Td(f.nama), html.Td(figure(f.value), className="num"),
                        html.Td(parts, className="num"), html.Td(_when(f.data_sampai, lang), className="when")], className=f"tingkat-{f.tingkat}")

    name = indicator.name_en if lang == "en" else indicator.name
    members = {f.kode: (status(f.value), figure(f.value)) for f in ranking.regions}
    legend = [(s, t(f"status_{s}", lang)) for s in ("green", "amber", "red", "no_data")] if indicator.judged_on == "value" else []
    table = html.Table([
        html.Thead(html.Tr([html.Th(t(k, lang)) for k in ("prov_rank", "prov_region", "prov_value", "prov_parts", "prov_fresh")])),
        html.Tbody([row(ranking.province, "–"), *[row(f, f.peringkat or "–") for f in ranking.regions]]),
    ], className="prov-table", id="prov-table")
    period = t("prov_period", lang, span=formatting.span(ranking.period_start, ranking.period_end, lang), as_of=_when(ranking.as_of, lang), engine=ranking.engine)
    return html.Div([
        html.H1(f"{t('prov_title', lang)} · {PROVINCE_NAME}"),
        nav,
        html.H2(f"{name} ({unit})" if unit else name),
        html.P(period, className="prov-period"),
        html.Div([
            html.Div([table, html.P(t("prov_total", lang), className="prov-note")], className="prov-left"),
            html.Figure([html.Img(src=charts.region_map(members, legend), alt=f"{name}: {PROVINCE_NAME}", id="prov-map"),
                         html.Figcaption(MAP_CREDIT, className="credit")], className="prov-right"),
        ], className="prov-body"),
    ], className="home province")
