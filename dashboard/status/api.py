"""The upload flow and the run history as JSON, for scripts and `app.py upload`: operator role (the operator token counts)."""

from __future__ import annotations

import flask

from dashboard.services import services
from dashboard.status import guard
from dashboard.status.views import masked, upload_body_limit
from runtime.context import UnknownSource
from runtime.uploads import UnknownUpload, UploadRefused

status_api = flask.Blueprint("status_api", __name__)
status_api.before_request(upload_body_limit)


def _known(name: str) -> tuple[flask.Response, int] | None:
    if services().metrics.source_config(name) is None:
        return flask.jsonify({"error": f"sumber '{name[:60]}' tidak ada"}), 404
    return None


@status_api.get("/api/v1/sumber/<name>/riwayat")
def history(name: str) -> flask.Response | tuple[flask.Response, int]:
    """?n=1-500: the source's latest runs, newest first (UTC instants)."""
    if not guard.may("viewer"):
        return guard.refused("viewer")
    if (unknown := _known(name)) is not None:
        return unknown
    text = flask.request.args.get("n", "30")
    n = int(text) if text.isdigit() and len(text) <= 3 else 0
    if not 1 <= n <= 500:
        return flask.jsonify({"error": "n harus bilangan bulat 1-500", "param": "n"}), 400
    runs = [{**r, "started_at": r["started_at"].isoformat() + "Z", "finished_at": r["finished_at"].isoformat() + "Z"}
            for r in services().controls.run_history(name, n)]
    return flask.jsonify({"source": name, "runs": runs})


@status_api.post("/api/v1/sumber/<name>/unggah")
def upload(name: str) -> flask.Response | tuple[flask.Response, int]:
    """multipart/form-data with the file in `berkas` (and optionally `aliran`, the stream): stages it and answers its
    preview and id; nothing is written to the warehouse."""
    if not guard.may("operator"):
        return guard.refused("operator")
    if (unknown := _known(name)) is not None:
        return unknown
    sent = flask.request.files.get("berkas")
    if sent is None or not sent.filename:
        return flask.jsonify({"error": "kirim berkas sebagai multipart/form-data di kolom 'berkas'", "param": "berkas"}), 400
    try:
        answer = services().controls.preview_upload(name, sent.filename, sent.read(), flask.request.form.get("aliran") or None)
    except (UploadRefused, UnknownSource) as exc:
        guard.record("upload.refused", name, {"file": sent.filename[:200], "reason": str(exc)})
        return flask.jsonify({"error": str(exc)}), 400
    guard.record("upload.preview", name, {"id": answer["id"], "file": answer["client_name"], "sha256": answer["sha256"],
                                          "rows_read": answer["preview"]["rows_read"], "rejected": answer["preview"]["rejected"]})
    return flask.jsonify(masked(name, answer))


@status_api.get("/api/v1/sumber/<name>/unggah/<upload_id>")
def staged(name: str, upload_id: str) -> flask.Response | tuple[flask.Response, int]:
    if not guard.may("operator"):
        return guard.refused("operator")
    try:
        return flask.jsonify(masked(name, services().controls.upload(name, upload_id)))
    except UnknownUpload as exc:
        return flask.jsonify({"error": exc.args[0]}), 404


@status_api.post("/api/v1/sumber/<name>/unggah/<upload_id>/muat")
def commit(name: str, upload_id: str) -> flask.Response | tuple[flask.Response, int]:
    """Load the staged file exactly as previewed (refused, 409, when its bytes changed since); answers the load."""
    if not guard.may("operator"):
        return guard.refused("operator")
    try:
        answer = services().controls.commit_upload(name, upload_id)
    except UnknownUpload as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    except UploadRefused as exc:
        guard.record("upload.refused", name, {"id": upload_id, "reason": str(exc)})
        return flask.jsonify({"error": str(exc)}), 409
    load = answer["load"]
    guard.record("upload.load", name, {"id": upload_id, "file": answer["client_name"], "sha256": answer["sha256"], "load_id": load["load_id"],
                                       "status": load["status"], "rows_read": load["rows_read"], "rejected": load["rejected"]})
    return flask.jsonify(answer)


@status_api.post("/api/v1/sumber/<name>/unggah/<upload_id>/batal")
def cancel(name: str, upload_id: str) -> flask.Response | tuple[flask.Response, int]:
    if not guard.may("operator"):
        return guard.refused("operator")
    try:
        services().controls.cancel_upload(name, upload_id)
    except UnknownUpload as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    guard.record("upload.cancel", name, {"id": upload_id})
    return flask.jsonify({"id": upload_id, "cancelled": True})
