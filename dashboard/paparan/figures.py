"""One frozen indicator in words and figures: its value, its change, its target, formatted once for slides and notes.

Reads the indicator entries of a snapshot's body (metrics.snapshot) and nothing else. Every phrase here is used
both on a slide and in its notes, so a number in a sentence is always the number on the slide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard import formatting
from dashboard.i18n import paired
from dashboard.paparan.model import Figure, figure_text

# What a share or ratio counts, by source, for "632 dari 680 permohonan".
COUNTED = {
    "perizinan": ("permohonan", "applications"),
    "pengaduan": ("aduan", "complaints"),
    "dukcapil": ("pencatatan", "registrations"),
    "absensi": ("hari kerja pegawai", "staff working days"),
    "tte": ("dokumen", "documents"),
    "masterplan": ("program", "programmes"),
    "damkar": ("kejadian", "incidents"),
    "pendapatan": ("", ""),
    "kesehatan": ("", ""),
    "lingkungan": ("", ""),
}
WORDS = {
    "of": ("dari", "of"),
    "up": ("naik", "up"),
    "down": ("turun", "down"),
    "same": ("tetap", "unchanged"),
    "points": ("poin", "points"),
    "target": ("target", "target"),
    "target_growth": ("target: tumbuh dari tahun lalu", "target: growth on a year before"),
    "no_data": ("belum ada data", "no data yet"),
    "vs": ("dibanding", "on"),
    "previous_assessment": ("penilaian sebelumnya", "the previous assessment"),
    "growth": ("tumbuh dari tahun lalu", "growth on a year before"),
}


word = paired(WORDS)


def _span(span: dict | None, lang: str) -> str | None:
    if not span:
        return None
    return formatting.span(dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]), lang)


@dataclass(frozen=True)
class Frozen:
    """A snapshot's indicator entry, read for a deck in one language."""

    entry: dict
    lang: str

    @property
    def id(self) -> str:
        return self.entry["id"]

    @property
    def value(self) -> float | None:
        return self.entry["value"]

    @property
    def name(self) -> str:
        return self.entry["name_en"] if self.lang == "en" else self.entry["name"]

    @property
    def unit(self) -> str:
        return self.entry["unit_en"] if self.lang == "en" else self.entry["unit"]

    @property
    def status(self) -> str:
        return self.entry["status"]

    @property
    def simulated(self) -> bool:
        return bool(self.entry["simulated"])

    @property
    def decimals(self) -> int:
        """As the wall's tiles: counts whole, an index to two places, shares, medians and rates to one."""
        if self.entry["unit"] == "%":
            return 1
        return {"count": 0, "sum": 0, "level": 0, "latest": 2}.get(self.entry["measure"], 1)

    def number(self, value: float | None, decimals: int | None = None) -> str:
        return formatting.number(value, self.decimals if decimals is None else decimals, self.lang)

    @property
    def text(self) -> str:
        """The value as shown: "92,9 %", "672 aduan", "4,01 indeks"; "–" without data."""
        return figure_text(self.value, self.decimals, self.unit, self.lang)

    def counted(self) -> str | None:
        """"632 dari 680 permohonan" for shares and ratios with a count behind them; None otherwise."""
        e = self.entry
        if e["measure"] != "share" or not e["denominator"] or self.value is None:
            return None
        noun = COUNTED.get(e["sources"][0]["source"] if e["sources"] else "", ("", ""))[0 if self.lang == "id" else 1]
        text = f"{formatting.number(e['numerator'], 0, self.lang)} {word('of', self.lang)} {formatting.number(e['denominator'], 0, self.lang)}"
        return f"{text} {noun}".strip()

    def change(self) -> str | None:
        """The change the wall's tile shows, in words with its spans: "naik 1,2 poin dibanding 4 Okt–2 Nov 2026"."""
        e, lang = self.entry, self.lang
        if self.value is None:
            return None
        if e["judged_on"] == "year_change" or e["previous_value"] is None:
            if e["measure"] == "latest" and e["year_difference"] is not None:
                return f"{self._direction(e['year_difference'])} {self.number(abs(e['year_difference']))} {word('vs', lang)} {word('previous_assessment', lang)} ({_span(e['year_before_span'], lang)})"
            if e["year_change"] is None:
                return None
            return f"{self._direction(e['year_change'])} {formatting.number(abs(e['year_change']), 1, lang)} % {word('vs', lang)} {_span(e['year_before_span'], lang)}"
        delta = self.value - e["previous_value"]
        if round(delta, 1 if e["unit"] == "%" else self.decimals) == 0:
            return f"{word('same', lang)} {word('vs', lang)} {_span(e['previous_span'], lang)}"
        if e["unit"] == "%":
            return f"{self._direction(delta)} {formatting.number(abs(delta), 1, lang)} {word('points', lang)} {word('vs', lang)} {_span(e['previous_span'], lang)}"
        return f"{self._direction(delta)} {self.number(abs(delta))} {word('vs', lang)} {_span(e['previous_span'], lang)}"

    def _direction(self, delta: float) -> str:
        shown = round(delta, self.decimals)
        return word("up" if shown > 0 else "down" if shown < 0 else "same", self.lang)

    def target(self) -> str:
        """"target ≥ 95 % (PP 28/2025)", or the growth target in words."""
        e = self.entry
        if e["judged_on"] == "year_change":
            return word("target_growth", self.lang)
        sign = "≥" if e["direction"] == "higher" else "≤"
        value = e["target"]
        decimals = 0 if float(value).is_integer() else self.decimals
        return f"{word('target', self.lang)} {sign} {figure_text(value, decimals, self.unit, self.lang)} ({e['target_basis']})"

    def short_target(self) -> str:
        """"≥ 95 %", or "tumbuh" for a growth target: the target without its basis, for a table cell."""
        e = self.entry
        if e["judged_on"] == "year_change":
            return word("growth", self.lang)
        value = e["target"]
        decimals = 0 if float(value).is_integer() else self.decimals
        return f"{'≥' if e['direction'] == 'higher' else '≤'} {figure_text(value, decimals, self.unit, self.lang)}"

    def covered(self) -> str | None:
        return _span(self.entry["covered"] or self.entry["period"], self.lang)

    def figure(self) -> Figure:
        """The indicator as a headline figure: its value, and under it what it counts, its change and its target."""
        detail = " · ".join(p for p in (self.counted(), self.change(), self.target()) if p)
        return Figure(self.name, self.value, self.text, self.unit, self.status, detail, self.id)

    def sentence(self) -> str:
        """The figure in a sentence: "Izin diputus tepat waktu 92,9 % (632 dari 680 permohonan), naik 1,2 poin
        dibanding 4 Okt–2 Nov 2026; target ≥ 95 % (PP 28/2025)." """
        if self.value is None:
            return f"{self.name}: {word('no_data', self.lang)}."
        counted, change = self.counted(), self.change()
        text = f"{self.name} {self.text}" + (f" ({counted})" if counted else "")
        if change:
            text += f", {change}"
        return f"{text}; {self.target()}."
