"""The deck of one snapshot in the browser: the slides, the presenter's view and the print page for the PDF.

/paparan/<snapshot_id> (?lang=en, ?tema=gelap), /paparan/<snapshot_id>/penyaji, /paparan/<snapshot_id>/cetak; the
stylesheet, script and fonts under /paparan/static/. The deck comes from `services().paparan.deck(id, lang)`.
"""

from __future__ import annotations

import logging
import re
from html import escape

import flask

from dashboard.i18n import language
from dashboard.paparan import render
from dashboard.paparan.model import Deck
from dashboard.services import services
from metrics.snapshot import SnapshotCorrupt, UnknownSnapshot

log = logging.getLogger(__name__)

BASE = "/paparan"
SNAPSHOT_ID = re.compile(r"[0-9A-Za-z-]{1,64}")
deck_views = flask.Blueprint("paparan_deck", __name__, static_folder=str(render.STATIC), static_url_path=f"{BASE}/static")


def _not_found(snapshot_id: str, reason: str, title: str = "Paparan tidak ditemukan", status: int = 404) -> tuple[str, int, dict[str, str]]:
    page = (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f'<body style="font-family: DejaVu Sans, sans-serif; margin: 3rem; font-size: 1.25rem; line-height: 1.5">'
            f"<h1>{escape(title)}</h1><p>{escape(reason)}</p><p>Kode snapshot: <code>{escape(snapshot_id[:80])}</code></p>"
            f'<p><a href="{BASE}">Kembali ke daftar paparan</a></p></body></html>')
    return page, status, {"Content-Type": "text/html; charset=utf-8"}


def _deck(snapshot_id: str) -> Deck | tuple[str, int, dict[str, str]]:
    if not SNAPSHOT_ID.fullmatch(snapshot_id):
        return _not_found(snapshot_id, "Kode snapshot hanya boleh huruf, angka dan tanda hubung, paling panjang 64 karakter.")
    source = services().paparan
    if source is None:
        return _not_found(snapshot_id, "Server ini tidak menyimpan snapshot (tidak ada gudang data).")
    try:
        return source.deck(snapshot_id, language(flask.request.args.get("lang")))
    except UnknownSnapshot:
        return _not_found(snapshot_id, "Tidak ada snapshot tersimpan dengan kode ini. Mungkin sudah dihapus, atau alamatnya salah ketik.")
    except SnapshotCorrupt:
        log.error("snapshot %s no longer matches its checksum: not shown", snapshot_id)
        return _not_found(snapshot_id, "Isi snapshot ini tidak lagi cocok dengan checksum-nya, jadi tidak ditampilkan. Buat snapshot baru.",
                          "Snapshot rusak", 500)


def _theme() -> str:
    return flask.request.args.get("tema", render.THEMES[0])


@deck_views.get(f"{BASE}/<snapshot_id>")
def deck(snapshot_id: str):
    """The slides, one at a time, driven by keyboard and clicker."""
    found = _deck(snapshot_id)
    return found if isinstance(found, tuple) else render.deck_page(found, _theme(), BASE)


@deck_views.get(f"{BASE}/<snapshot_id>/penyaji")
def presenter(snapshot_id: str):
    """The presenter's view: current and next slide, notes, timer."""
    found = _deck(snapshot_id)
    return found if isinstance(found, tuple) else render.presenter_page(found, _theme(), BASE)


@deck_views.get(f"{BASE}/<snapshot_id>/cetak")
def printed(snapshot_id: str):
    """Every slide one per 1280x720 page, for printing to PDF."""
    found = _deck(snapshot_id)
    return found if isinstance(found, tuple) else render.print_page(found, _theme(), f"{BASE}/static")
