"""A presentation deck as data: slides of figures, charts, tables and text, built once from one snapshot.

Every renderer reads this and nothing else: the slides in the browser, the PDF, the PowerPoint and the data pack.
So a number is formatted once, here (`Figure.text`, `Column.format`), and the same text appears on the slide, in
its notes and in each file. Values keep full precision beside their text, for the data pack and native charts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from dashboard import formatting

Component = Literal["baseline", "output", "outcome", "impact", "quick_win"]
Status = Literal["green", "amber", "red", "no_data"]
COMPONENTS: tuple[Component, ...] = ("baseline", "output", "outcome", "impact", "quick_win")


def figure_text(value: float | None, decimals: int, unit: str, lang: str) -> str:
    """A value as every slide, note and file shows it: "92,9 %", "1.234 kunjungan", "4,01"; "–" without a value."""
    if value is None:
        return "–"
    text = formatting.number(value, decimals, lang)
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text} %"


@dataclass(frozen=True)
class Figure:
    """One headline number.

    Attributes:
        label: what it is ("Izin diputus tepat waktu").
        value: full precision; None without data.
        text: as shown, formatted once (`figure_text`).
        status: against its target, where it has one.
        detail: the line under it ("632 dari 680 permohonan · target 95 % (PP 28/2025)").
        indicator: the indicator id it reads, so files can point at its definition.
    """

    label: str
    value: float | None
    text: str
    unit: str = ""
    status: Status | None = None
    detail: str = ""
    indicator: str | None = None


@dataclass(frozen=True)
class Stats:
    """A row of headline numbers (at most four fit a slide)."""

    figures: tuple[Figure, ...]
    kind: Literal["stats"] = "stats"


@dataclass(frozen=True)
class Series:
    """One named row of a chart's values, aligned with the chart's categories; None where it has no value.

    `status` gives the series a state's colour (programmes done green, ongoing amber, not started grey) so every
    renderer colours it alike; None: the renderer's own series colours.
    """

    name: str
    values: tuple[float | None, ...]
    status: Status | None = None


@dataclass(frozen=True)
class Chart:
    """A bar, stacked bar or line chart.

    Attributes:
        chart: "bar" (horizontal bars, one series or grouped), "stacked" (horizontal, series stacked), or "line"
            (categories along the x axis, e.g. months).
        categories: labels as shown ("Smart Governance", "Jan 2026").
        keys: machine keys of the categories where they have them (indicator ids, ISO dates), for the data files.
        statuses: per category, the colour of a single-series bar (empty: the series' own colours).
        target: a target line, in the chart's unit.
        decimals: how values are written on the chart and in the files' formatted columns.
        maximum: the axis' upper end (None: from the data).
    """

    chart: Literal["bar", "stacked", "line"]
    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    keys: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    target: float | None = None
    decimals: int = 1
    maximum: float | None = None
    kind: Literal["chart"] = "chart"

    def label(self, value: float | None, lang: str) -> str:
        """A value as written on the chart (no unit: the axis or the title carries it)."""
        return figure_text(value, self.decimals, "", lang)


@dataclass(frozen=True)
class Column:
    """A table column: its heading, and for numbers how many decimals they are written with (None: text)."""

    name: str
    decimals: int | None = None
    unit: str = ""

    def format(self, value: str | float | int | None, lang: str) -> str:
        if value is None:
            return "–"
        if self.decimals is None or isinstance(value, str):
            return str(value)
        return figure_text(float(value), self.decimals, self.unit, lang)


@dataclass(frozen=True)
class Table:
    """Rows of raw cells (text, numbers, None) under typed columns; renderers format numbers with `Column.format`."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str | float | int | None, ...], ...]
    kind: Literal["table"] = "table"

    def formatted(self, lang: str) -> list[list[str]]:
        return [[c.format(v, lang) for c, v in zip(self.columns, row, strict=True)] for row in self.rows]


@dataclass(frozen=True)
class Text:
    """Paragraphs, or a list when `bullets`."""

    paragraphs: tuple[str, ...]
    bullets: bool = False
    kind: Literal["text"] = "text"


Block = Stats | Chart | Table | Text


@dataclass(frozen=True)
class Slide:
    """One slide.

    Attributes:
        key: stable within a deck ("judul", "dampak-izin"): the URL fragment, the data pack's sheet name source.
        component: the evaluation component it evidences (None: title, agenda, closing, sources, SPBE).
        title, subtitle: as shown.
        blocks: top to bottom; a slide holds at most two blocks side by side or stacked (see the renderers).
        notes: sentences for the presenter, every number in them as it is on the slide.
        simulated: some figure on it comes from simulated data ("DATA SIMULASI" in its footer).
        sources: the sources its figures come from.
    """

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    subtitle: str = ""
    component: Component | None = None
    notes: tuple[str, ...] = ()
    simulated: bool = False
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deck:
    """The slides of one snapshot in one language, and what every footer and file header says.

    Attributes:
        snapshot_id, checksum: the snapshot it was built from (SHA-256 of its stored body).
        as_of: the moment its figures are frozen at (aware, WIB).
        as_of_text: "30 Nov 2026 23:59 WIB", as every footer shows it.
        made_note: how the figures were made, e.g. that a past as-of was computed from data loaded later.
        labels: interface words the renderers need in this language ({"simulated": "DATA SIMULASI", ...}).
    """

    snapshot_id: str
    checksum: str
    lang: str
    title: str
    event: str
    presenter: str
    region: str
    as_of: dt.datetime
    as_of_text: str
    slides: tuple[Slide, ...]
    made_note: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    def footer(self, number: int) -> str:
        """A slide's footer text (1-based `number`): as-of time, snapshot id and page; DATA SIMULASI is separate."""
        return f"{self.labels.get('as_of', 'Per')} {self.as_of_text} · {self.snapshot_id} · {number}/{len(self.slides)}"
