"""Decks and their files from stored snapshots: what /paparan, its downloads and the CLI's export all call.

A snapshot never changes, so its deck in one language is built once and kept (a few at a time); the files are
made from that deck alone, so two exports of one snapshot carry the same numbers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from config.settings import PaparanSettings
from dashboard.paparan import deck as decks
from dashboard.paparan.model import Deck
from metrics.snapshot import Snapshot

DECKS_KEPT = 8  # a deck is about a hundred kilobytes; a presenter switches between a few snapshots and two languages
FORMATS = ("pdf", "pptx", "data")


@dataclass(frozen=True)
class Export:
    """A file made from a deck: its bytes, the name it is offered under, and its media type."""

    content: bytes
    filename: str
    media_type: str


def export(deck: Deck, snapshot: Snapshot, kind: str, theme: str = "terang") -> Export:
    """One file of a deck: "pdf", "pptx" or "data" (the data pack).

    Raises:
        ValueError: an unknown kind.
        PdfFailed: the PDF could not be printed (no Chromium, or it took too long).
    """
    suffix = "" if deck.lang == "id" else f"-{deck.lang}"
    if kind == "pdf":
        from dashboard.paparan.pdf import deck_pdf

        return Export(deck_pdf(deck, theme), f"paparan-{deck.snapshot_id}{suffix}.pdf", "application/pdf")
    if kind == "pptx":
        from dashboard.paparan.pptx import deck_pptx

        return Export(deck_pptx(deck), f"paparan-{deck.snapshot_id}{suffix}.pptx",
                      "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    if kind == "data":
        from dashboard.paparan.datapack import data_pack

        return Export(data_pack(deck, snapshot), f"data-{deck.snapshot_id}{suffix}.zip", "application/zip")
    raise ValueError(f"format '{kind}' tidak dikenal; yang ada: {', '.join(FORMATS)}")


class Paparan:
    """The serving process's decks.

    Args:
        snapshots: where snapshots are kept (dashboard.services.Snapshots).
        settings: the presentation settings as they stand now.
    """

    def __init__(self, snapshots, settings: Callable[[], PaparanSettings]) -> None:
        self.snapshots = snapshots
        self._settings = settings
        self._decks: OrderedDict[tuple, Deck] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def settings(self) -> PaparanSettings:
        return self._settings()

    def deck(self, snapshot_id: str, lang: str) -> Deck:
        """The deck of a stored snapshot in `lang`.

        Raises:
            UnknownSnapshot, SnapshotCorrupt.
        """
        return self._deck(self.snapshots.get(snapshot_id), lang)

    def _deck(self, snapshot: Snapshot, lang: str) -> Deck:
        settings = self._settings()
        key = (snapshot.id, lang, id(settings))  # settings are replaced, never changed, when the file changes
        with self._lock:
            if key in self._decks:
                self._decks.move_to_end(key)
                return self._decks[key]
        made = decks.build(snapshot, settings, lang)
        with self._lock:
            self._decks[key] = made
            while len(self._decks) > DECKS_KEPT:
                self._decks.popitem(last=False)
        return made

    def export(self, snapshot_id: str, kind: str, lang: str, theme: str) -> Export:
        """One file of a stored snapshot's deck (see `export`); the snapshot is read and verified once."""
        snapshot = self.snapshots.get(snapshot_id)
        return export(self._deck(snapshot, lang), snapshot, kind, theme)
