"""The /status pages: server-rendered HTML forms (no script needed), each action a POST answered by a redirect back
with a message named by key, so that no text of a request is ever shown as the page's own words."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import flask

from dashboard.api import since_day
from dashboard.formatting import WIB, number, wib
from dashboard.http_policy import palette_style
from dashboard.i18n import language
from dashboard.services import services
from dashboard.status import guard
from dashboard.status.chart import history_svg
from dashboard.status.texts import t
from metrics.question import PAGE_SIZES
from metrics.rejects import UnknownSource, rejects_page, shown_preview
from metrics.spbe.history import SPBE_TABLE
from runtime.uploads import UnknownUpload, UploadRefused, upload_limit

HERE = Path(__file__).parent
HISTORY_RUNS = 30
REJECTS_CSV_MAX = 100_000  # rows in one CSV of rejects (the rejects table keeps at most rejects_kept per load)
status_views = flask.Blueprint("status_views", __name__, template_folder="templates", static_folder="static", static_url_path="/status/static")
# Where the upload routes are: their bodies may be as large as the source's file limit.
UPLOAD_ENDPOINTS = {"status_views.upload", "status_api.upload"}


def lang() -> str:
    return language(flask.request.args.get("lang") or flask.request.form.get("lang"))


def wib_text(value: str | dt.datetime | None) -> str:
    """An instant (ISO text or naive UTC) as "27-11-2026 10:00 WIB"; "–" for none."""
    if not value:
        return "–"
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{wib(instant):%d-%m-%Y %H:%M} WIB"


def size_text(n: int | None) -> str:
    if n is None:
        return "–"
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= step:
            return f"{number(n / step, 1, lang())} {unit}"
    return f"{n} B"


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    return (f"{days} h " if days else "") + f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def here_url(endpoint: str, **values) -> str:
    """A URL of this page family that keeps the language shown."""
    if lang() == "en":
        values["lang"] = "en"
    return flask.url_for(endpoint, **values)


@status_views.app_template_global()
def status_text(key: str, **values) -> str:
    return t(key, lang(), **values)


def _render(template: str, **context) -> str:
    user = guard.who()
    return flask.render_template(
        template, lang=lang(), palette=palette_style(), user=user, may=guard.may, csrf_field=guard.csrf_field, url=here_url,
        wib=wib_text, size=size_text, duration=duration_text, num=lambda v, d=0: number(v, d, lang()), message=_message(), **context,
    )


def _message() -> str | None:
    key = flask.request.args.get("pesan")
    if not key or f"msg_{key}" not in MESSAGES:
        return None
    values = {k: flask.request.args.get(k, "")[:80] for k in ("source", "since", "load")}
    return t(f"msg_{key}", lang(), **values)


MESSAGES = {f"msg_{k}" for k in ("started", "already", "backfill", "bad_date", "paused", "resumed", "loaded", "load_failed", "cancelled", "gone", "changed", "no_file")}


def _back(endpoint: str, key: str, **values) -> flask.Response:
    return flask.redirect(here_url(endpoint, pesan=key, **values), 303)


def _viewer_or_sign_in() -> flask.Response | None:
    """None when the one asking may see the page, else the answer to give."""
    if guard.may("viewer"):
        return None
    return guard.refused("viewer")


def _source_or_404(name: str) -> dict:
    row = next((r for r in services().controls.source_status() if r["source"] == name), None)
    if row is None:
        flask.abort(404)
    return row


@status_views.get("/status")
def index() -> str | flask.Response:
    if (denied := _viewer_or_sign_in()) is not None:
        return denied
    controls = services().controls
    system = controls.system()
    states = system["recompute_states"]
    names = {i.id: i.name for i in services().metrics.indicators}
    recompute = [{"id": i, "name": names.get(i, i), **s} for i, s in sorted(states.items())]
    return _render("status/index.html", sources=controls.source_status(), health=controls.health(), system=system, recompute=recompute)


@status_views.get("/status/sumber/<name>")
def source(name: str) -> str | flask.Response:
    if (denied := _viewer_or_sign_in()) is not None:
        return denied
    row = _source_or_404(name)
    controls = services().controls
    runs = controls.run_history(name, HISTORY_RUNS)
    rejects = None
    if guard.sees_records():
        page, size = _page_args()
        rejects = rejects_page(services().metrics, name, load=flask.request.args.get("load") or None, page=page, size=size,
                               personal_visible=guard.sees_personal())
        rejects["pages"] = max(1, -(-rejects["total"] // size))
    config = services().metrics.source_config(name)
    limit = upload_limit(config) if config is not None and config.kind == "file" else None
    spbe = services().metrics.spbe()["history"] if config is not None and any(s.table == SPBE_TABLE for s in config.streams.values()) else None
    return _render("status/source.html", row=row, runs=runs, chart=history_svg(runs, t("history_chart", lang()), lang()), rejects=rejects,
                   upload_limit=limit, load_shown=flask.request.args.get("load"), spbe=spbe)


def _page_args() -> tuple[int, int]:
    args = flask.request.args
    page = int(args["hal"]) if args.get("hal", "").isdigit() and 0 < len(args["hal"]) <= 6 and int(args["hal"]) > 0 else 1
    size = int(args["per"]) if args.get("per", "").isdigit() and int(args["per"]) in PAGE_SIZES else 50
    return page, size


@status_views.get("/status/sumber/<name>/penolakan.csv")
def rejects_csv(name: str) -> flask.Response:
    """Every kept reject of the source (or of one load), masked as the page masks them, as CSV."""
    if not guard.sees_records():
        return guard.refused("analyst")
    try:
        found = rejects_page(services().metrics, name, load=flask.request.args.get("load") or None, page=1, size=500, personal_visible=guard.sees_personal())
    except UnknownSource:
        flask.abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["load_id", "stream", "origin", "record_key", "field", "reason", "raw", "rejected_at_wib"])
    page = 1
    while True:
        for r in found["rows"]:
            writer.writerow([r["load_id"], r["stream"], r["origin"], r["record_key"], r["field"], r["reason"], json.dumps(r["raw"], ensure_ascii=False), r["rejected_at"]])
        if page * 500 >= min(found["total"], REJECTS_CSV_MAX):
            break
        page += 1
        found = rejects_page(services().metrics, name, load=flask.request.args.get("load") or None, page=page, size=500, personal_visible=guard.sees_personal())
    guard.record("status.rejects_csv", name, {"rows": min(found["total"], REJECTS_CSV_MAX)})
    return flask.Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                          headers={"Content-Disposition": f'attachment; filename="penolakan_{name}.csv"'})


# Actions: operator role, CSRF-checked POST forms.


def _operator() -> flask.Response | None:
    return None if guard.may("operator") else guard.refused("operator")


@status_views.post("/status/sumber/<name>/muat")
def run_now(name: str) -> flask.Response:
    if (denied := _operator()) is not None:
        return denied
    _source_or_404(name)
    started = services().controls.start_run([name])
    guard.record("source.run_now", name, {"started": bool(started)})
    return _back("status_views.index", "started" if started else "already", source=name)


@status_views.post("/status/sumber/<name>/muat-ulang")
def backfill(name: str) -> flask.Response:
    if (denied := _operator()) is not None:
        return denied
    _source_or_404(name)
    try:
        day = since_day({"since": flask.request.form.get("sejak", "").strip()[:20]})
    except ValueError:
        day = None
    if day is None:
        return _back("status_views.source", "bad_date", name=name)
    started = services().controls.start_run([name], day)
    guard.record("source.backfill", name, {"since": day.isoformat(), "started": bool(started)})
    return _back("status_views.index", "backfill" if started else "already", source=name, since=day.isoformat())


@status_views.post("/status/sumber/<name>/jeda")
def pause(name: str) -> flask.Response:
    return _set_paused(name, True)


@status_views.post("/status/sumber/<name>/lanjutkan")
def resume(name: str) -> flask.Response:
    return _set_paused(name, False)


def _set_paused(name: str, paused: bool) -> flask.Response:
    if (denied := _operator()) is not None:
        return denied
    _source_or_404(name)
    services().controls.set_paused([name], paused)
    guard.record("source.pause" if paused else "source.resume", name)
    return _back("status_views.index", "paused" if paused else "resumed", source=name)


def upload_body_limit() -> None:
    """An upload's body may be as large as its source's file limit (and a little for the form); others keep theirs.

    A blueprint's hook, so it runs after the app's (dashboard.http_policy), which set the limit of every route.
    """
    if flask.request.endpoint in UPLOAD_ENDPOINTS and flask.request.view_args:
        config = services().metrics.source_config(flask.request.view_args.get("name", ""))
        if config is not None and config.kind == "file":
            flask.request.max_content_length = upload_limit(config) + 64 * 1024


status_views.before_request(upload_body_limit)


@status_views.post("/status/sumber/<name>/unggah")
def upload(name: str) -> str | flask.Response | tuple[str, int]:
    if (denied := _operator()) is not None:
        return denied
    row = _source_or_404(name)
    sent = flask.request.files.get("berkas")
    if sent is None or not sent.filename:
        return _back("status_views.source", "no_file", name=name)
    try:
        answer = services().controls.preview_upload(name, sent.filename, sent.read())
    except UploadRefused as exc:
        guard.record("upload.refused", name, {"file": sent.filename[:200], "reason": str(exc)})
        return _render("status/upload.html", row=row, answer=None, refused=str(exc)), 400
    guard.record("upload.preview", name, {"id": answer["id"], "file": answer["client_name"], "sha256": answer["sha256"],
                                          "rows_read": answer["preview"]["rows_read"], "rejected": answer["preview"]["rejected"]})
    return flask.redirect(here_url("status_views.upload_preview", name=name, upload_id=answer["id"]), 303)


@status_views.get("/status/sumber/<name>/unggah/<upload_id>")
def upload_preview(name: str, upload_id: str) -> str | flask.Response:
    if (denied := _operator()) is not None:
        return denied
    row = _source_or_404(name)
    try:
        answer = services().controls.upload(name, upload_id)
    except UnknownUpload:
        return _back("status_views.source", "gone", name=name)
    return _render("status/upload.html", row=row, answer=masked(name, answer), refused=None)


def masked(name: str, answer: dict) -> dict:
    """An upload's answer with personal values masked unless the one asking may see them."""
    stream = services().metrics.source_config(name).streams[answer["stream"]]
    return {**answer, "preview": shown_preview(answer["preview"], stream, guard.sees_personal())}


@status_views.post("/status/sumber/<name>/unggah/<upload_id>/muat")
def upload_commit(name: str, upload_id: str) -> flask.Response:
    if (denied := _operator()) is not None:
        return denied
    _source_or_404(name)
    try:
        answer = services().controls.commit_upload(name, upload_id)
    except UnknownUpload:
        return _back("status_views.source", "gone", name=name)
    except UploadRefused as exc:
        guard.record("upload.refused", name, {"id": upload_id, "reason": str(exc)})
        return _back("status_views.source", "changed", name=name)
    load = answer["load"]
    guard.record("upload.load", name, {"id": upload_id, "file": answer["client_name"], "sha256": answer["sha256"], "load_id": load["load_id"],
                                       "status": load["status"], "rows_read": load["rows_read"], "rejected": load["rejected"]})
    key = "loaded" if load["status"] == "ok" else "load_failed"
    return _back("status_views.source", key, name=name, load=load["load_id"] or "")


@status_views.post("/status/sumber/<name>/unggah/<upload_id>/batal")
def upload_cancel(name: str, upload_id: str) -> flask.Response:
    if (denied := _operator()) is not None:
        return denied
    _source_or_404(name)
    try:
        services().controls.cancel_upload(name, upload_id)
    except UnknownUpload:
        return _back("status_views.source", "gone", name=name)
    guard.record("upload.cancel", name, {"id": upload_id})
    return _back("status_views.source", "cancelled", name=name)


AUDIT_SHOWN = 500


@status_views.get("/status/audit")
def audit() -> str | flask.Response:
    """The audit trail, newest first, filtered by action, who and a WIB start day; ?format=csv for all that match."""
    if not guard.may("admin"):
        return guard.refused("admin")
    args = flask.request.args
    action = (args.get("tindakan") or "").strip()[:80] or None
    who_filter = (args.get("siapa") or "").strip()[:80] or None
    since_text = (args.get("sejak") or "").strip()[:10]
    try:
        since_date = dt.date.fromisoformat(since_text) if since_text else None
    except ValueError:
        since_date = None
    since = dt.datetime.combine(since_date, dt.time(), tzinfo=WIB).astimezone(dt.UTC).replace(tzinfo=None) if since_date else None
    rows = [e for e in guard.audit_entries(since, action) if who_filter is None or e.who == who_filter]
    rows.reverse()  # newest first
    if args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "at_wib", "who", "role", "action", "target", "detail", "client_address", "row_hash"])
        for e in rows:
            writer.writerow([e.id, wib_text(e.at), e.who, e.role, e.action, e.target, e.detail, e.client_address, e.row_hash])
        guard.record("audit.csv", None, {"rows": len(rows)})
        return flask.Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="jejak_audit.csv"'})
    actions = sorted({e.action for e in guard.audit_entries(None, None)})
    chosen = {"tindakan": action or "", "siapa": who_filter or "", "sejak": since_date.isoformat() if since_date else ""}
    return _render("status/audit.html", entries=rows[:AUDIT_SHOWN], total=len(rows), actions=actions, chosen=chosen,
                   csv_args={k: v for k, v in chosen.items() if v})
