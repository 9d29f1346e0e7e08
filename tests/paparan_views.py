"""A Flask app serving the deck's views with a stand-in deck source (the real snapshot store is not needed to test
the slides): the sample deck, a deck of long labels, and UnknownSnapshot for any other id."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import flask
from werkzeug.serving import make_server

from dashboard import http_policy
from dashboard.paparan.model import Chart, Column, Deck, Figure, Series, Slide, Stats, Table, Text, figure_text
from dashboard.paparan.views import deck_views
from metrics.snapshot import SnapshotCorrupt, UnknownSnapshot
from tests.paparan_sample import sample_deck

SAMPLE = "20261130-2359-3fa9c2"
LONG = "20261201-0900-panjang"
CORRUPT = "20261201-1000-rusak"  # stored, but its body no longer matches its checksum


def long_deck(lang: str = "id") -> Deck:
    """The sample deck with slides whose words run long: every kind of block at its most crowded."""
    base = sample_deck(lang)
    names = ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Dinas Kependudukan dan Pencatatan Sipil",
             "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
             "Dinas Komunikasi dan Informatika", "Rumah Sakit Umum Daerah Padang Pariaman", "Dinas Pekerjaan Umum dan Penataan Ruang",
             "Badan Pengelolaan Keuangan Daerah")
    figures = tuple(Figure(f"Aduan masyarakat nomor {i} selesai dalam 60 hari", v, figure_text(v, 1, "%", lang), "%", s,
                           "1.234 dari 1.456 aduan · target 90 % (Perpres 76/2013)")
                    for i, (v, s) in enumerate(((84.75, "red"), (99.9, "green"), (100.0, "green"), (None, "no_data")), start=1))
    months = tuple(f"{m} 2026" for m in ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"))
    slides = (
        base.slides[0],
        Slide("empat", "Empat indikator layanan publik yang dipantau setiap hari oleh command center kabupaten",
              (Stats(figures), Chart("bar", "Indikator per OPD penanggung jawab layanan", "%", names[:4],
                                      (Series("Nilai", (84.75, 99.9, 100.0, None)),), statuses=("red", "green", "green", "no_data"), target=95.0)),
              subtitle="Perbandingan capaian per OPD terhadap target nasional dan daerah yang berlaku untuk tahun berjalan",
              component="quick_win", simulated=True),
        Slide("per-opd", "Capaian per OPD", (Chart("bar", "Dua periode", "%", names, (
            Series("2025", (80.0, 91.0, 72.5, 60.0, 99.0, 88.8, 70.0, 65.0)), Series("2026", (90.0, 95.5, 85.0, 75.0, 100.0, 90.0, 80.0, None))), target=90.0),),
              component="baseline"),
        Slide("bulanan", "Dua belas bulan", (Chart("line", "Izin diputus tepat waktu per bulan", "%", months, (
            Series("Perizinan", (90.1, 91.7, None, 92.9, 93.3, 94.0, 95.2, None, None, 96.1, 97.0, 97.4)),
            Series("Non-perizinan", (80.0, 82.5, 85.0, 86.0, 84.0, None, 88.0, 89.5, 90.0, 91.0, 92.0, 93.0))), target=95.0),
            Table("Rincian per OPD", (Column("OPD"), Column("Permohonan", 0), Column("Tepat waktu", 1, "%")),
                  tuple((n, 1234 * (i + 1), 90.0 + i) for i, n in enumerate(names[:6])))),
              component="output", simulated=True),
        Slide("tabel", "Sumber data", (Table("Semua sumber", (Column("Sumber"), Column("OPD"), Column("Sistem"), Column("Status"), Column("Baris dibaca", 0)),
                                              tuple((f"sumber_{i}", n, "Aplikasi daerah (REST)", "terkini", 1000 * i) for i, n in enumerate(names))),),
              component="outcome", simulated=True),
        Slide("teks", "Langkah berikutnya", (Text(tuple(f"Langkah {i}: memperluas integrasi data antar-OPD agar setiap indikator dihitung dari sistem sumbernya sendiri, bukan dari rekap manual." for i in range(1, 8)), bullets=True),),
              component="impact"),
        base.slides[-1],
    )
    return dataclasses.replace(base, snapshot_id=LONG, slides=slides)


class StandInDecks:
    """`services().paparan` for the views: decks by id, as the snapshot store's deck builder answers."""

    def __init__(self, more: dict[tuple[str, str], Deck] | None = None) -> None:
        self.more = more or {}  # (snapshot id, language): deck, for decks built elsewhere

    def deck(self, snapshot_id: str, lang: str) -> Deck:
        if (snapshot_id, lang) in self.more:
            return self.more[(snapshot_id, lang)]
        if snapshot_id == SAMPLE:
            return sample_deck(lang)
        if snapshot_id == LONG:
            return long_deck(lang)
        if snapshot_id == CORRUPT:
            raise SnapshotCorrupt(snapshot_id)
        raise UnknownSnapshot(snapshot_id)


class _NoDash:
    """What the security policy asks of the Dash app: its inline scripts' hashes (the deck has none)."""

    def csp_hashes(self) -> list[str]:
        return []


def make_app(more: dict[tuple[str, str], Deck] | None = None) -> flask.Flask:
    app = flask.Flask(__name__)
    app.register_blueprint(deck_views)
    app.config["PANTAU"] = SimpleNamespace(paparan=StandInDecks(more), embed_origins=())
    policy = http_policy.content_security_policy(_NoDash(), ())

    @app.after_request
    def headers(response: flask.Response) -> flask.Response:
        # The real server's policy: scripts from this origin only, no inline script, fonts from this origin.
        response.headers["Content-Security-Policy"] = policy
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    return app


@contextmanager
def serving(port: int, more: dict[tuple[str, str], Deck] | None = None) -> Iterator[str]:
    """The app on 127.0.0.1:`port` in a thread; yields its URL."""
    server = make_server("127.0.0.1", port, make_app(more), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)
