"""The analysis view's files: each chart as PNG, SVG or PDF, its table of numbers and the records behind it as CSV or XLSX.

Every file is made from the URL's state alone (the question, the drill-down and the file's own choices), so a link
downloads the same figure the page shows, and the file says what it is: a chart carries its title, the period,
comparison and filters, the source, the as-of time, the regency and "DATA SIMULASI" where simulated; a workbook
carries the same on its Info sheet. Records are streamed from the warehouse batch by batch and never cut.

Served at /analisis/unduh/<file> for the page's links and at /api/v1/analisis/unduh/<file> for scripts (where
errors answer as JSON, as everything under /api/ does).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from urllib.parse import urlencode

import flask

from dashboard import formatting
from dashboard.exports import chart as charts
from dashboard.exports import tabular
from dashboard.i18n import language, paired
from dashboard.paparan.pdf import PdfBusy, PdfFailed, PdfTimeout
from dashboard.services import services
from dashboard.signin import audit, refusal, sees_personal, sees_records
from metrics import records
from metrics.explore import Answer
from metrics.members import member_name
from metrics.question import BadQuestion, Drill, Question, drill_from_args, question_from_args
from metrics.slots import Busy, slot
from region.opd import opd_name
from region.timezone import WIB

downloads = flask.Blueprint("analisis_downloads", __name__)

CHARTS = ("seri", "rincian", "peta")
TABLES = ("seri", "rincian")
MEDIA = {
    "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

t = paired({
    "period": ("Periode {span}", "Period {span}"),
    "setara": ("dibanding rentang setara tahun lalu, {span}", "against the like-for-like span a year before, {span}"),
    "sebelumnya": ("dibanding periode sebelumnya, {span}", "against the previous period, {span}"),
    "tahun_lalu": ("dibanding tanggal sama tahun lalu, {span}", "against the same dates a year before, {span}"),
    "no_comparison": ("tanpa pembanding (sumber tidak menyimpan riwayat)", "no comparison (the source keeps no history)"),
    "all": ("semua {what}", "every {what}"),
    "by": ("menurut {what}", "by {what}"),
    "kode_opd": ("OPD", "agency (OPD)"), "kode_kecamatan": ("kecamatan", "kecamatan"), "kanal": ("kanal", "channel"),
    "jenis_pajak": ("jenis pajak", "tax type"), "tahap": ("tahap", "stage"), "dimensi": ("dimensi", "dimension"),
    "source": ("Sumber: {sources}. Diolah Pantau, {regency}.", "Source: {sources}. Compiled by Pantau, {regency}."),
    "value": ("Nilai", "Value"), "compared": ("Pembanding", "Compared"), "start": ("Awal periode", "Period start"),
    "end": ("Akhir periode", "Period end"), "numerator": ("Pembilang", "Numerator"), "denominator": ("Penyebut", "Denominator"),
    "provisional": ("Sementara", "Provisional"), "delivered": ("Ada data", "Delivered"), "code": ("Kode", "Code"),
    "name": ("Nama", "Name"), "status": ("Status", "Status"),
    "i_indicator": ("Indikator", "Indicator"), "i_definition": ("Definisi", "Definition"), "i_unit": ("Satuan", "Unit"),
    "i_target": ("Target", "Target"), "i_period": ("Periode", "Period"), "i_comparison": ("Pembanding", "Comparison"),
    "i_filters": ("Saringan", "Filters"), "i_breakdown": ("Rincian", "Breakdown"), "i_records": ("Rekaman", "Records"),
    "i_as_of": ("Data per", "Data as of"), "i_source": ("Sumber", "Source"), "i_region": ("Wilayah", "Region"),
    "i_view": ("Tampilan di Pantau", "View in Pantau"), "i_value": ("Nilai", "Value"), "i_simulated": ("Catatan", "Note"),
    "simulated": ("DATA SIMULASI: angka dari sistem OPD tiruan, bukan data resmi.", "SIMULATED DATA: figures from simulated OPD systems, not official data."),
    "none": ("tidak ada", "none"), "no_filters": ("tanpa saringan", "no filters"), "whole": ("seluruh periode", "the whole period"),
    "p_dihitung": ("yang dihitung (pembilang)", "those counted (numerator)"), "p_lainnya": ("yang tidak dihitung", "those not counted"),
    "p_semua": ("semua", "all"), "series_name": ("Nilai", "Value"), "compared_name": ("Pembanding", "Compared"),
    "s_green": ("hijau", "green"), "s_amber": ("kuning", "amber"), "s_red": ("merah", "red"), "s_no_data": ("tanpa data", "no data"),
})


class Refused(Exception):
    """A request the files cannot answer: its HTTP status and the words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _lang() -> str:
    return language(flask.request.args.get("lang"))


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = flask.request.args.get(name) or default
    if value not in allowed:
        raise BadQuestion(name, f"'{value[:30]}' tidak dikenal; pilih salah satu: {', '.join(allowed)}")
    return value


def _question() -> Question:
    metrics = services().metrics
    return question_from_args(flask.request.args, {i.id: i for i in metrics.indicators}, dt.datetime.now(WIB))


def _answer(question: Question) -> Answer:
    try:
        return services().metrics.explorer().answer(question)
    except Busy as exc:
        raise Refused(503, str(exc)) from None


def _name(indicator, lang: str) -> str:
    return indicator.name_en if lang == "en" else indicator.name


def subtitle(answer: Answer, lang: str) -> str:
    """The period, the comparison and the filters in words: what the figure reflects."""
    q = answer.question
    parts = [t("period", lang, span=formatting.span(*answer.span, lang))]
    if answer.compared_span:
        parts.append(t(q.comparison, lang, span=formatting.span(*answer.compared_span, lang)))
    else:
        parts.append(t("no_comparison", lang))
    parts.append(filters_text(q, lang))
    return " · ".join(parts)


def filters_text(q: Question, lang: str) -> str:
    """Every filter with its members' names ("Kecamatan: Batang Anai, Lubuk Alung"), or that there is none."""
    if not q.filters:
        return t("no_filters", lang)
    return "; ".join(f"{t(column, lang).capitalize()}: {', '.join(member_name(column, m, lang) for m in members)}" for column, members in q.filters)


def source_line(answer: Answer, lang: str) -> str:
    """Each source's agency and system, as the source line of an official chart states it."""
    metrics, names = services().metrics, []
    for freshness in answer.sources:
        config = metrics.source_config(freshness.source)
        agency = opd_name(config.opd) if config is not None and config.opd else ""
        system = (config.system if config is not None else "") or freshness.source
        names.append(f"{agency}, {system}" if agency else system)
    return t("source", lang, sources="; ".join(names) or t("none", lang), regency=services().region_name)


def document(answer: Answer, kind: str, lang: str) -> charts.ChartDocument:
    """The official chart of one part of the view: the series, the ranked breakdown or the kecamatan map."""
    indicator, q = answer.indicator, answer.question
    decimals, unit = formatting.decimals(answer.indicator), formatting.unit(indicator, lang)
    judged_on_value = indicator.judged_on == "value"
    title = _name(indicator, lang)
    if kind == "seri":
        plot = charts.SeriesChart(
            points=[(p.periode.isoformat(), p.value, p.provisional) for p in answer.series],
            compared=[(p.periode.isoformat(), p.value) for p in answer.compared_series] or None,
            target=indicator.target.value if judged_on_value else None,
            bands=charts.Bands(indicator.thresholds.green, indicator.thresholds.amber, indicator.direction) if judged_on_value else None,
            unit=unit, decimals=decimals, name=t("series_name", lang), compared_name=t("compared_name", lang),
        )
    else:
        if not q.by:
            raise BadQuestion("rinci", "grafik rincian dan peta perlu 'rinci'")
        title = f"{title} {t('by', lang, what=t(q.by, lang))}"
        if kind == "rincian":
            plot = charts.BarChart(rows=[(m.name, m.value, m.status) for m in answer.breakdown],
                                   target=indicator.target.value if judged_on_value else None, unit=unit, decimals=decimals)
        else:
            if q.by != "kode_kecamatan":
                raise BadQuestion("grafik", "peta hanya untuk rincian menurut kecamatan (rinci=kode_kecamatan)")
            plot = charts.MapChart(members={m.code: (formatting.number(m.value, decimals, lang) if m.value is not None else "–", m.status)
                                            for m in answer.breakdown})
    return charts.ChartDocument(
        title=title, subtitle=subtitle(answer, lang), source_line=source_line(answer, lang),
        as_of_text=charts.as_of_text(answer.as_of.replace(tzinfo=dt.UTC), lang), regency=services().region_name,
        simulated=answer.simulated, chart=plot, lang=lang,
    )


def info_lines(answer: Answer, lang: str, drill: Drill | None = None) -> list[tuple[str, str]]:
    """What a workbook's Info sheet says the data is."""
    indicator, q = answer.indicator, answer.question
    value = formatting.number(answer.value, formatting.decimals(answer.indicator), lang) if answer.value is not None else "–"
    lines = [
        (t("i_indicator", lang), f"{_name(indicator, lang)} ({indicator.id})"),
        (t("i_definition", lang), indicator.description_en if lang == "en" else indicator.description),
        (t("i_unit", lang), formatting.unit(indicator, lang)),
        (t("i_target", lang), f"{formatting.number(indicator.target.value, formatting.decimals(answer.indicator), lang)} {formatting.unit(indicator, lang)}; {indicator.target.basis}"),
        (t("i_value", lang), f"{value} {formatting.unit(indicator, lang)}"),
        (t("i_period", lang), formatting.span(*answer.span, lang)),
        (t("i_comparison", lang), t(q.comparison, lang, span=formatting.span(*answer.compared_span, lang)) if answer.compared_span else t("no_comparison", lang)),
        (t("i_filters", lang), filters_text(q, lang)),
        (t("i_breakdown", lang), t(q.by, lang) if q.by else t("none", lang)),
    ]
    if drill is not None:
        where = [formatting.date(drill.periode, lang)] if drill.periode else []
        if drill.member is not None and q.by:
            where.append(member_name(q.by, drill.member, lang))
        lines.append((t("i_records", lang), f"{' · '.join(where) or t('whole', lang)}; {t('p_' + drill.part, lang)}"))
    lines += [
        (t("i_as_of", lang), charts.as_of_text(answer.as_of.replace(tzinfo=dt.UTC), lang)),
        (t("i_source", lang), source_line(answer, lang)),
        (t("i_region", lang), services().region_name),
        (t("i_view", lang), view_url(q, drill)),
    ]
    if answer.simulated:
        lines.append((t("i_simulated", lang), t("simulated", lang)))
    return lines


def view_url(q: Question, drill: Drill | None) -> str:
    """The address of the page showing this view."""
    args = q.to_args()
    if drill is not None:
        args.update(drill.to_args())
    return f"{flask.request.host_url.rstrip('/')}/analisis?{urlencode(args, safe=',:')}"


def _file_name(answer: Answer, what: str, extension: str) -> str:
    stamp = answer.as_of.replace(tzinfo=dt.UTC).astimezone(WIB).strftime("%Y%m%d-%H%M")
    return f"pantau-{answer.indicator.id}-{what}-{stamp}.{extension}"


def _attachment(body, media: str, name: str) -> flask.Response:
    response = flask.Response(body, mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "_", name)}"'
    return response


def _table(answer: Answer, which: str, lang: str) -> tuple[list[tabular.Column], list[list]]:
    """The table of numbers the page shows: the series by bucket, or the breakdown by member."""
    decimals = formatting.decimals(answer.indicator)  # the XLSX cell shows the page's places and keeps every digit
    if which == "seri":
        columns = [tabular.Column("start", t("start", lang), "date"), tabular.Column("end", t("end", lang), "date"),
                   tabular.Column("value", t("value", lang), "number", decimals), tabular.Column("numerator", t("numerator", lang), "number"),
                   tabular.Column("denominator", t("denominator", lang), "number"), tabular.Column("provisional", t("provisional", lang), "bool")]
        compared = list(answer.compared_series)
        if compared:
            columns.insert(3, tabular.Column("compared", t("compared", lang), "number", decimals))
        rows = []
        for n, p in enumerate(answer.series):
            row = [p.periode, p.end, p.value, p.numerator, p.denominator, p.provisional]
            if compared:
                row.insert(3, compared[n].value if n < len(compared) else None)
            rows.append(row)
        return columns, rows
    if not answer.question.by:
        raise BadQuestion("tabel", "tabel rincian perlu 'rinci'")
    columns = [tabular.Column("code", t("code", lang)), tabular.Column("name", t("name", lang)),
               tabular.Column("value", t("value", lang), "number", decimals), tabular.Column("numerator", t("numerator", lang), "number"),
               tabular.Column("denominator", t("denominator", lang), "number"), tabular.Column("status", t("status", lang))]
    rows = [[m.code, m.name, m.value, m.numerator, m.denominator, t("s_" + m.status, lang)] for m in answer.breakdown]
    return columns, rows


def _chart(kind: str, extension: str) -> flask.Response:
    lang = _lang()
    question = _question()
    grafik = _choice("grafik", CHARTS, "seri")
    answer = _answer(question)
    doc = document(answer, grafik, lang)
    try:
        if extension == "svg":
            body: bytes | str = charts.to_svg(doc)
        elif extension == "pdf":
            body = charts.to_pdf(doc)
        else:
            body = charts.to_png(doc)
    except PdfBusy:
        raise Refused(503, "pencetak sedang membuat berkas lain; coba lagi sebentar lagi") from None
    except (PdfFailed, PdfTimeout) as exc:
        raise Refused(503, f"berkas tidak dapat dibuat: {exc}") from None
    return _attachment(body, MEDIA[extension], _file_name(answer, f"grafik-{grafik}", extension))


def _data(extension: str) -> flask.Response:
    lang = _lang()
    question = _question()
    answer = _answer(question)
    which = _choice("tabel", TABLES, "rincian" if question.by else "seri")
    columns, rows = _table(answer, which, lang)
    name = _file_name(answer, f"data-{which}", extension)
    if extension == "csv":
        dialect = _choice("pemisah", ("koma", "titik_koma"), "titik_koma")
        return _attachment(tabular.table_csv(columns, rows, dialect, lang=lang), MEDIA["csv"], name)
    created = answer.as_of.replace(tzinfo=dt.UTC)
    return _attachment(tabular.table_xlsx(columns, rows, info_lines(answer, lang), lang=lang, created=created), MEDIA["xlsx"], name)


def _columns(found: tuple[records.Column, ...], lang: str) -> list[tabular.Column]:
    return [tabular.Column(c.name, c.label_en if lang == "en" else c.label_id, c.kind) for c in found]


def _records(extension: str) -> flask.Response:
    """Every record behind the number, streamed: CSV straight to the client, XLSX through a temporary file."""
    lang = _lang()
    question = _question()
    drill = drill_from_args(flask.request.args, question)
    answer = _answer(question)
    name = _file_name(answer, "rekaman", extension)
    dialect = _choice("pemisah", ("koma", "titik_koma"), "titik_koma") if extension == "csv" else None
    info = info_lines(answer, lang, drill)
    metrics = services().metrics
    personal = sees_personal()  # decided now: the CSV's body is made after the request's context has gone
    held = ExitStack()
    try:
        held.enter_context(slot())
    except Busy as exc:
        raise Refused(503, str(exc)) from None
    if not audit("ekspor_rekaman", question.indicator, {**flask.request.args.to_dict(), "berkas": f"rekaman.{extension}"}):
        held.close()
        raise Refused(503, "jejak audit tidak dapat ditulis (lihat /api/health); rekaman tidak diekspor")
    if extension == "csv":
        def body() -> Iterator[bytes]:
            found, batches = records.record_batches(metrics, question, drill, personal_visible=personal)
            yield from tabular.csv_chunks(_columns(found, lang), batches, dialect, lang=lang)

        return _attachment(_Closing(body, held.close), MEDIA["csv"], name)
    handle, path = tempfile.mkstemp(prefix="pantau-rekaman-", suffix=".xlsx")
    os.close(handle)
    try:
        with held:
            found, batches = records.record_batches(metrics, question, drill, personal_visible=personal)
            tabular.write_xlsx(path, _columns(found, lang), batches, info, lang=lang, created=answer.as_of.replace(tzinfo=dt.UTC))
    except BaseException:
        os.unlink(path)
        raise
    return _attachment(_Closing(lambda: _chunks_of(path), lambda: os.path.exists(path) and os.unlink(path)), MEDIA["xlsx"], name)


class _Closing:
    """A response body made when the server starts sending it, whose `done` runs once it is sent or abandoned.

    The server calls close() whether or not it read the body (a client that hangs up first), so a query slot or a
    temporary file is never left behind; a plain generator's `finally` would not run if it never started.
    """

    def __init__(self, make: Callable[[], Iterator[bytes]], done: Callable[[], object]) -> None:
        self._make, self._done, self._closed = make, done, False

    def __iter__(self) -> Iterator[bytes]:
        return self._make()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._done()


def _chunks_of(path: str, chunk: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while piece := file.read(chunk):
            yield piece


@downloads.get("/analisis/unduh/<name>")
@downloads.get("/api/v1/analisis/unduh/<name>")
def download(name: str) -> flask.Response | tuple:
    """grafik.png|svg|pdf (?grafik=seri|rincian|peta), data.csv|xlsx (?tabel=seri|rincian, ?pemisah=koma|titik_koma),
    rekaman.csv|xlsx (the drill-down's records, with the drill's arguments: they need access.records_role or the
    operator token, and are noted in the audit trail)."""
    what, _, extension = name.partition(".")
    if what == "rekaman" and not sees_records():
        return refusal()
    try:
        if what == "grafik" and extension in ("png", "svg", "pdf"):
            return _chart(what, extension)
        if what == "data" and extension in ("csv", "xlsx"):
            return _data(extension)
        if what == "rekaman" and extension in ("csv", "xlsx"):
            return _records(extension)
        raise Refused(404, f"berkas '{name[:40]}' tidak dikenal; ada grafik.png, grafik.svg, grafik.pdf, data.csv, data.xlsx, rekaman.csv, rekaman.xlsx")
    except BadQuestion as exc:
        return _refusal(400, str(exc), exc.param)
    except Refused as exc:
        return _refusal(exc.status, str(exc))


def _refusal(status: int, message: str, param: str | None = None):
    if flask.request.path.startswith("/api/"):
        return flask.jsonify({"error": message, **({"param": param} if param else {})}), status
    return flask.Response(f"Berkas tidak dapat dibuat: {message}\n", status=status, mimetype="text/plain"), status
