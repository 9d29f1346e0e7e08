"""/paparan: the list of snapshots with a button that makes one, each snapshot's files, and the snapshot API.

Presenters need no sign-in to make a snapshot or fetch its files (sign-in comes with the operators' page); a form
post must come from this site's own page, and one snapshot is made at a time, at most one a few seconds from the
browser, so a stranger cannot keep the server computing. Deleting is for the operator (the token), from the CLI
or the API.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from html import escape

import flask

from dashboard import formatting
from dashboard.api import json_body, operator_only
from dashboard.i18n import language, paired
from dashboard.paparan.library import FORMATS, Paparan
from dashboard.paparan.pdf import PdfBusy, PdfFailed
from dashboard.services import services
from dashboard.signin import audit, csrf_field, who
from metrics.snapshot import SnapshotCorrupt, TooManySnapshots, UnknownSnapshot, as_of_from_text
from region.timezone import WIB

log = logging.getLogger(__name__)
paparan_routes = flask.Blueprint("paparan", __name__)
SNAPSHOT_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
WEB_INTERVAL_S = 5.0  # between snapshots made from the browser
THEMES = ("terang", "gelap")


class Turns:
    """Who may make a snapshot from the browser now: nobody while one is being made, and not again for a few seconds."""

    def __init__(self, interval_s: float) -> None:
        self._interval_s = interval_s
        self._lock = threading.Lock()
        self._busy = False
        self._last = -interval_s

    def take(self) -> bool:
        with self._lock:
            if self._busy or time.monotonic() - self._last < self._interval_s:
                return False
            self._busy = True
            return True

    def done(self) -> None:
        with self._lock:
            self._busy, self._last = False, time.monotonic()


WEB_TURNS = Turns(WEB_INTERVAL_S)

TEXT = {
    "title": ("Paparan", "Presentations"),
    "intro": ("Snapshot membekukan semua angka pada satu waktu \"per\": gladi kemarin dan paparan hari ini menampilkan angka yang sama. "
              "Setiap snapshot dapat dibuka sebagai paparan (tombol panah, Page Down/Up, P untuk tampilan penyaji) dan diunduh sebagai PDF, "
              "PowerPoint yang dapat disunting, dan paket data.",
              "A snapshot freezes every figure at one \"as of\" moment: yesterday's rehearsal and today's session show the same figures. "
              "Each snapshot opens as a deck (arrow keys, Page Down/Up, P for the presenter view) and downloads as a PDF, an editable "
              "PowerPoint and a data pack."),
    "make": ("Buat snapshot", "Make a snapshot"),
    "deck_title": ("Judul", "Title"),
    "as_of": ("Per (WIB, kosong: sekarang)", "As of (WIB, empty: now)"),
    "none": ("Belum ada snapshot.", "No snapshots yet."),
    "id": ("Snapshot", "Snapshot"),
    "frozen": ("Per", "As of"),
    "made": ("Dibuat", "Made"),
    "by": ("oleh", "by"),
    "files": ("Berkas", "Files"),
    "open": ("Buka paparan", "Open deck"),
    "presenter": ("Penyaji", "Presenter"),
    "data": ("Paket data", "Data pack"),
    "past": ("dihitung mundur", "computed back"),
    "delete_hint": ("Menghapus snapshot hanya untuk operator: app.py paparan delete ID.", "Only an operator deletes a snapshot: app.py paparan delete ID."),
    "wait": ("Snapshot lain baru saja dibuat; coba lagi sebentar lagi.", "Another snapshot was just made; try again in a moment."),
    "foreign": ("Formulir ini hanya dapat dikirim dari halaman /paparan Pantau sendiri.", "This form can only be sent from Pantau's own /paparan page."),
    "unknown": ("Snapshot {id} tidak ada.", "Snapshot {id} does not exist."),
    "corrupt": ("Snapshot {id} rusak: isinya tidak cocok dengan checksum-nya, jadi tidak ditampilkan.",
                "Snapshot {id} is damaged: its contents do not match its checksum, so it is not shown."),
    "language": ("English", "Bahasa Indonesia"),
}


_t = paired(TEXT)


def _paparan() -> Paparan:
    found = services().paparan
    if found is None:
        flask.abort(404)
    return found


def _wib(iso: str, lang: str) -> str:
    local = dt.datetime.fromisoformat(iso).astimezone(WIB)
    return f"{formatting.date(local.date(), lang)} {local:%H:%M}"


def _index(lang: str, message: str = "", status: int = 200) -> tuple[str, int]:
    paparan = _paparan()
    q = "" if lang == "id" else "?lang=en"
    rows = []
    for s in paparan.snapshots.listing():
        sid = escape(s["id"])
        files = " · ".join(f'<a href="/paparan/{sid}/unduh/{kind}{q}">{escape(label)}</a>'
                           for kind, label in (("pdf", "PDF"), ("pptx", "PPTX"), ("data", _t("data", lang))))
        past = f' <span class="past">({_t("past", lang)})</span>' if s["past_as_of"] else ""
        rows.append(
            f'<tr><td><a href="/paparan/{sid}{q}">{escape(s["title"])}</a><div class="sid">{sid}</div></td>'
            f'<td>{_wib(s["as_of"], lang)} WIB{past}</td><td>{_wib(s["created_at"], lang)} {_t("by", lang)} {escape(s["created_by"])}</td>'
            f'<td><a href="/paparan/{sid}{q}">{_t("open", lang)}</a> · <a href="/paparan/{sid}/penyaji{q}">{_t("presenter", lang)}</a></td>'
            f'<td>{files}</td></tr>'
        )
    table = (f'<table><thead><tr><th>{_t("deck_title", lang)}</th><th>{_t("frozen", lang)}</th><th>{_t("made", lang)}</th><th></th>'
             f'<th>{_t("files", lang)}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>') if rows else f'<p>{_t("none", lang)}</p>'
    note = f'<p class="message" role="alert">{escape(message)}</p>' if message else ""
    other = "/paparan?lang=en" if lang == "id" else "/paparan"
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_t("title", lang)} · Pantau</title><link rel="stylesheet" href="/paparan/static/daftar.css"></head>
<body><main class="daftar">
<header><h1>Pantau · {_t("title", lang)}</h1><a href="{other}" lang="{"en" if lang == "id" else "id"}">{_t("language", lang)}</a></header>
<p>{_t("intro", lang)}</p>{note}
<form method="post" action="/paparan/snapshot{q}" class="make">{csrf_field()}
<label>{_t("deck_title", lang)} <input name="title" maxlength="120" value="{escape(paparan.settings.title)}"></label>
<label>{_t("as_of", lang)} <input name="as_of" type="datetime-local"></label>
<button type="submit">{_t("make", lang)}</button>
</form>
{table}
<p class="hint">{_t("delete_hint", lang)}</p>
</main></body></html>"""
    return page, status


@paparan_routes.get("/paparan")
def index() -> tuple[str, int]:
    return _index(language(flask.request.args.get("lang")))


def _same_origin() -> bool:
    """Whether a form post comes from a page of this site (browsers send Origin with every form post)."""
    own = flask.request.host_url.rstrip("/")
    origin = flask.request.headers.get("Origin")
    if origin is not None:
        return origin == own
    return flask.request.headers.get("Referer", "").startswith(own + "/")


@paparan_routes.post("/paparan/snapshot")
def make() -> flask.Response | tuple[str, int]:
    """The button: freeze the figures now (or at the given WIB moment), then open the new deck."""
    lang = language(flask.request.args.get("lang"))
    if not _same_origin():
        return _index(lang, _t("foreign", lang), 403)
    if not WEB_TURNS.take():
        return _index(lang, _t("wait", lang), 429)
    try:
        text = flask.request.form.get("as_of", "").strip()
        as_of = as_of_from_text(text) if text else None
        title = flask.request.form.get("title", "").strip()[:120] or None
        signed_in = who()
        snapshot = _paparan().snapshots.take(as_of, title, signed_in if signed_in != "-" else f"web:{flask.request.remote_addr}")
        audit("snapshot", snapshot.id, {"as_of": text or None, "title": title})
    except (ValueError, TooManySnapshots) as exc:  # the moment, or too many kept: said on the page, in words
        return _index(lang, str(exc), 400)
    finally:
        WEB_TURNS.done()
    return flask.redirect(f"/paparan/{snapshot.id}" + ("" if lang == "id" else "?lang=en"), 303)


def _checked_id(snapshot_id: str) -> str:
    if not SNAPSHOT_ID.match(snapshot_id):
        flask.abort(404)
    return snapshot_id


@paparan_routes.get("/paparan/<snapshot_id>/unduh/<kind>")
def download(snapshot_id: str, kind: str) -> flask.Response | tuple[str, int] | tuple[str, int, dict]:
    """A deck's PDF, PowerPoint or data pack (?lang=en, ?tema=gelap for the PDF)."""
    lang = language(flask.request.args.get("lang"))
    theme = flask.request.args.get("tema", "")
    if kind not in FORMATS:
        flask.abort(404)
    paparan = _paparan()
    theme = theme if theme in THEMES else paparan.settings.theme
    try:
        made = paparan.export(_checked_id(snapshot_id), kind, lang, theme)
    except UnknownSnapshot:
        return _t("unknown", lang, id=escape(snapshot_id)), 404
    except SnapshotCorrupt:
        return _t("corrupt", lang, id=escape(snapshot_id)), 409
    except PdfBusy as exc:  # one PDF at a time: the presenter asks again in a moment
        return str(exc), 503, {"Retry-After": "5"}
    except PdfFailed as exc:  # no Chromium, or it took too long: said in words, never a traceback
        log.error("PDF of snapshot %s failed: %s", snapshot_id, exc)
        return str(exc), 503
    response = flask.Response(made.content, mimetype=made.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


# The API: list and read for anyone who may read the wall; make and delete with the operator token.


@paparan_routes.get("/api/v1/paparan")
def api_list() -> flask.Response:
    """Every snapshot, newest first: id, title, as_of, created_at, created_by, past_as_of, checksum."""
    return flask.jsonify({"snapshots": _paparan().snapshots.listing()})


@paparan_routes.post("/api/v1/paparan")
def api_take() -> flask.Response | tuple[flask.Response, int]:
    """{"as_of": "2026-11-30 23:59" (WIB; absent: now), "title": ..., "created_by": ...}: freeze and store a
    snapshot. Requires the operator token."""
    if (denied := operator_only()) is not None:
        return denied
    try:
        body = json_body("as_of", "title", "created_by")
        as_of = as_of_from_text(str(body["as_of"])) if body.get("as_of") else None
        by = str(body.get("created_by") or "api")[:80]
        title = str(body["title"])[:120] if body.get("title") else None
        snapshot = _paparan().snapshots.take(as_of, title, by)
    except (ValueError, TooManySnapshots) as exc:
        return flask.jsonify({"error": str(exc)}), 400
    audit("snapshot", snapshot.id, {"as_of": body.get("as_of"), "title": title, "created_by": by})
    listed = next(s for s in _paparan().snapshots.listing() if s["id"] == snapshot.id)
    return flask.jsonify({"snapshot": listed, "computed": snapshot.body["computed"]})


@paparan_routes.get("/api/v1/paparan/<snapshot_id>")
def api_read(snapshot_id: str) -> flask.Response | tuple[flask.Response, int]:
    """One snapshot: {"id", "checksum", "body"} (the body as stored; its checksum verified)."""
    try:
        snapshot = _paparan().snapshots.get(_checked_id(snapshot_id))
    except UnknownSnapshot:
        return flask.jsonify({"error": f"snapshot {snapshot_id[:64]} tidak ada"}), 404
    except SnapshotCorrupt as exc:
        return flask.jsonify({"error": str(exc)}), 409
    return flask.jsonify({"id": snapshot.id, "checksum": snapshot.checksum, "body": snapshot.body})


@paparan_routes.delete("/api/v1/paparan/<snapshot_id>")
@paparan_routes.post("/api/v1/paparan/<snapshot_id>/hapus")
def api_delete(snapshot_id: str) -> flask.Response | tuple[flask.Response, int]:
    """Delete one snapshot. Requires the operator token."""
    if (denied := operator_only()) is not None:
        return denied
    if not _paparan().snapshots.delete(_checked_id(snapshot_id), "operator"):
        return flask.jsonify({"error": f"snapshot {snapshot_id[:64]} tidak ada"}), 404
    audit("hapus_snapshot", snapshot_id)
    return flask.jsonify({"deleted": snapshot_id})
