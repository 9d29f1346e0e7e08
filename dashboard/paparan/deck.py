"""The default deck for a review panel, built from one snapshot: the evaluation's five components in order.

The smart-city panel scores baseline, output, outcome, impact and quick win from a self-assessment it confirms by
interview, so the deck walks them in that order, each slide naming the component it evidences; then the SPBE
index, the data's freshness and sources, and a closing. `[paparan]` in the configuration chooses and orders the
slides and adds text slides. Every slide reads the snapshot alone, and its notes are made from the same figures
as the slide, so every number said is a number shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from config.settings import PaparanSettings
from dashboard import formatting
from dashboard.i18n import paired
from dashboard.paparan.figures import Frozen
from dashboard.paparan.model import COMPONENTS, Chart, Column, Deck, Figure, Series, Slide, Stats, Table, Text, figure_text
from metrics.smartcity.overview import DIMENSIONS
from metrics.snapshot import Snapshot
from region.timezone import WIB

TEXT: dict[str, tuple[str, str]] = {
    "as_of": ("Per", "As of"),
    "simulated": ("DATA SIMULASI", "SIMULATED DATA"),
    "component": ("Komponen", "Component"),
    "baseline": ("Baseline", "Baseline"),
    "output": ("Output", "Output"),
    "outcome": ("Outcome", "Outcome"),
    "impact": ("Dampak", "Impact"),
    "quick_win": ("Quick Win", "Quick Win"),
    "agenda": ("Agenda", "Agenda"),
    "weight": ("bobot", "weight"),
    "past_note": ("Angka dihitung untuk periode yang berakhir {as_of} dari data yang dimuat sampai {loaded}.",
                  "Figures computed for periods ending {as_of} from the data loaded by {loaded}."),
    "snapshot_note": ("Semua angka dalam paparan ini dibekukan per {as_of} (snapshot {id}).",
                      "Every figure in this deck is frozen as of {as_of} (snapshot {id})."),
    "agenda_note": ("Paparan mengikuti lima komponen penilaian: {parts}.", "The deck follows the five evaluation components: {parts}."),
    "baseline_title": ("Perubahan sejak evaluasi sebelumnya", "Change since the previous evaluation"),
    "baseline_sub": ("Program masterplan terlaksana, dan indikator dibanding periode sama tahun lalu",
                     "Masterplan programmes carried out, and indicators on the same period a year before"),
    "programmes_then": ("Program terlaksana {year}", "Programmes carried out {year}"),
    "programmes_now": ("Program terlaksana kini", "Programmes carried out now"),
    "of_programmes": ("{done} dari {total} program", "{done} of {total} programmes"),
    "baseline_note": ("Pada evaluasi {year}, {then} terlaksana ({then_share}); kini {now} ({now_share}).",
                      "At the {year} evaluation {then} were carried out ({then_share}); now {now} ({now_share})."),
    "indicator": ("Indikator", "Indicator"),
    "year_before": ("Tahun lalu", "A year before"),
    "now": ("Sekarang", "Now"),
    "change": ("Perubahan", "Change"),
    "points": ("poin", "points"),
    "output_title": ("Fondasi: regulasi, kelembagaan dan anggaran", "Foundations: regulation, institutions and budget"),
    "regulations": ("Regulasi", "Regulations"),
    "institutions": ("Kelembagaan", "Institutions"),
    "not_configured": ("Belum diisi (konfigurasi paparan.{setting})", "Not filled in yet (configuration paparan.{setting})"),
    "budget": ("Anggaran program per dimensi (Rp miliar)", "Programme budget by dimension (Rp billion)"),
    "budget_total": ("Anggaran program masterplan", "Masterplan programme budget"),
    "budget_note": ("Anggaran program masterplan Rp {total} miliar; terbesar untuk {top} (Rp {top_value} miliar).",
                    "The masterplan programmes' budget is Rp {total} billion; the largest share goes to {top} (Rp {top_value} billion)."),
    "billion": ("miliar", "billion"),
    "outcome_title": ("Pelaksanaan program masterplan", "Masterplan programmes carried out"),
    "done": ("Selesai", "Done"),
    "ongoing": ("Berjalan", "Ongoing"),
    "not_started": ("Belum mulai", "Not started"),
    "done_share": ("Terlaksana", "Carried out"),
    "programmes": ("program", "programmes"),
    "by_dimension": ("Program per dimensi", "Programmes by dimension"),
    "by_opd": ("Program per OPD pelaksana", "Programmes by lead agency"),
    "outcome_opd_title": ("Program masterplan per OPD pelaksana", "Masterplan programmes by lead agency"),
    "outcome_note": ("Dari {total} program, {done} selesai, {ongoing} berjalan dan {not_started} belum mulai; {share} terlaksana.",
                     "Of {total} programmes, {done} are done, {ongoing} ongoing and {not_started} not started; {share} carried out."),
    "opd_note": ("OPD dengan program terbanyak: {opd}, {total} program ({done} selesai).",
                 "The agency with the most programmes: {opd}, {total} programmes ({done} done)."),
    "dimensions_title": ("Enam dimensi smart city", "The six smart-city dimensions"),
    "dimension_scores": ("Skor dimensi dari indikator Pantau (0–5)", "Dimension scores from Pantau's indicators (0–5)"),
    "dimension_method": ("Skor: rata-rata capaian indikator dimensi terhadap targetnya, dikali 5",
                         "Score: the mean of the dimension's indicators' attainment of their targets, times 5"),
    "dimension": ("Dimensi", "Dimension"),
    "score": ("Skor", "Score"),
    "indicators_n": ("Indikator", "Indicators"),
    "green": ("Hijau", "Green"),
    "amber": ("Kuning", "Amber"),
    "red": ("Merah", "Red"),
    "dimension_note": ("Skor tertinggi {best} ({best_score}), terendah {worst} ({worst_score}).",
                       "Highest score {best} ({best_score}), lowest {worst} ({worst_score})."),
    "impact_trend": ("{name} per {grain}", "{name} by {grain}"),
    "day": ("hari", "day"),
    "week": ("minggu", "week"),
    "month": ("bulan", "month"),
    "year": ("tahun", "year"),
    "quick_win_title": ("Quick win", "Quick wins"),
    "no_quick_wins": ("Belum ada quick win di konfigurasi (paparan.quick_wins)", "No quick wins configured (paparan.quick_wins)"),
    "spbe_title": ("Indeks SPBE", "SPBE index"),
    "spbe_sub": ("Penilaian mandiri {year}, kerangka {framework}", "Self-assessment {year}, framework {framework}"),
    "spbe_index": ("Indeks SPBE {year}", "SPBE index {year}"),
    "predicate": ("Predikat", "Predicate"),
    "spbe_change": ("Perubahan dari {year}", "Change on {year}"),
    "domains": ("Indeks per domain", "Index by domain"),
    "aspects": ("Indeks per aspek", "Index by aspect"),
    "history": ("Indeks per tahun penilaian", "Index by assessment year"),
    "spbe_aspects_title": ("SPBE: aspek dan riwayat", "SPBE: aspects and history"),
    "spbe_note": ("Indeks SPBE {year} {index}, predikat {predicate}; {change}.", "SPBE index {year} {index}, predicate {predicate}; {change}."),
    "spbe_none": ("Belum ada penilaian mandiri SPBE yang lengkap.", "No complete SPBE self-assessment yet."),
    "spbe_plan_title": ("SPBE: kenaikan paling sedikit ke predikat {predicate}", "SPBE: fewest raises to {predicate}"),
    "spbe_plan_sub": ("Dari {index} ke {lower}: naikkan indikator berbobot terbesar lebih dulu",
                      "From {index} to {lower}: raise the heaviest indicators first"),
    "spbe_top": ("Predikat tertinggi {predicate} sudah tercapai.", "The top predicate {predicate} is reached."),
    "step": ("Langkah", "Step"),
    "spbe_indicator": ("Indikator SPBE", "SPBE indicator"),
    "level": ("Tingkat", "Level"),
    "index_after": ("Indeks sesudahnya", "Index after"),
    "plan_note": ("{n} kenaikan satu tingkat membawa indeks dari {index} ke {after}, predikat {predicate}.",
                  "{n} one-level raises take the index from {index} to {after}, predicate {predicate}."),
    "sources_title": ("Kesegaran data dan sumber", "Data freshness and sources"),
    "source": ("Sumber", "Source"),
    "system": ("Sistem", "System"),
    "state": ("Keadaan", "State"),
    "last_success": ("Muatan berhasil terakhir (WIB)", "Last successful load (WIB)"),
    "rows_read": ("Baris dibaca", "Rows read"),
    "rejected": ("Ditolak", "Rejected"),
    "sources_note": ("{fresh} dari {total} sumber terkini per {as_of}.", "{fresh} of {total} sources current as of {as_of}."),
    "fresh": ("terkini", "current"),
    "late": ("terlambat", "late"),
    "stale": ("basi", "stale"),
    "failing": ("gagal", "failing"),
    "never": ("belum termuat", "never loaded"),
    "closing": ("Terima kasih", "Thank you"),
    "closing_text": ("Angka dan data di balik setiap gambar diserahkan bersama paparan ini (PDF, PPTX dan paket data).",
                     "The figures and the data behind every chart are handed over with this deck (PDF, PPTX and data pack)."),
    "contact": ("Pantau · command center {region}", "Pantau · command center {region}"),
    "no_data": ("Belum ada data", "No data yet"),
    "no_data_short": ("tanpa data", "no data"),
    "indicators_title": ("Indikator di balik skor dimensi", "The indicators behind the dimension scores"),
    "target_word": ("Target", "Target"),
    "status": ("Status", "Status"),
    "part": ("Bagian {n} dari {of}", "Part {n} of {of}"),
}
TABLE_ROWS = 12  # rows that stay legible on a 1280x720 slide; longer tables continue on the next slide


def _parts(rows: list) -> list[list]:
    """Rows split over as few slides as TABLE_ROWS allows, evenly (25 rows: 9, 8, 8, not 12, 12, 1)."""
    if not rows:
        return []
    count = -(-len(rows) // TABLE_ROWS)
    size = -(-len(rows) // count)
    return [rows[i:i + size] for i in range(0, len(rows), size)]
GRAINS = {"day": "day", "week": "week", "month": "month", "year": "year"}


t = paired(TEXT)


def _share(done: int, total: int, lang: str) -> str:
    return figure_text(100 * done / total if total else None, 1, "%", lang)


@dataclass(frozen=True)
class Context:
    """What every slide reads: the snapshot, the presentation settings, the language."""

    snapshot: Snapshot
    settings: PaparanSettings
    lang: str

    @cached_property
    def indicators(self) -> dict[str, Frozen]:
        return {e["id"]: Frozen(e, self.lang) for e in self.snapshot.body["indicators"]}

    @property
    def body(self) -> dict:
        return self.snapshot.body

    @cached_property
    def as_of_text(self) -> str:
        return _wib_text(self.snapshot.as_of, self.lang)

    def source_simulated(self, name: str) -> bool:
        source = self.body["sources"].get(name)
        return bool(source and source["simulated"])


def _wib_text(instant: dt.datetime, lang: str) -> str:
    local = instant.astimezone(WIB)
    return f"{formatting.date(local.date(), lang)} {local:%H:%M} WIB"


def _component_line(ctx: Context) -> str:
    weights = ctx.body["evaluation"]["weights"]
    return ", ".join(f"{t(c, ctx.lang).lower()} ({t('weight', ctx.lang)} {weights[c]})" for c in COMPONENTS)


# The slides, each a function of the context returning its slides (one, several, or none when it has nothing).


def title_slide(ctx: Context) -> list[Slide]:
    s, lang = ctx.settings, ctx.lang
    region = ctx.body["region"]["name"]
    lines = [p for p in (s.event, s.presenter, region) if p]
    notes = [t("snapshot_note", lang, as_of=ctx.as_of_text, id=ctx.snapshot.id)]
    if ctx.snapshot.past_as_of:
        notes.append(_made_note(ctx))
    return [Slide("judul", ctx.snapshot.title, (Text(tuple(lines)),), subtitle=f"{t('as_of', lang)} {ctx.as_of_text}", notes=tuple(notes))]


def _made_note(ctx: Context) -> str:
    loaded = ctx.body.get("data_loaded_at")
    loaded_text = _wib_text(dt.datetime.fromisoformat(loaded), ctx.lang) if loaded else "–"
    return t("past_note", ctx.lang, as_of=ctx.as_of_text, loaded=loaded_text)


def agenda_slide(ctx: Context, following: list[Slide]) -> Slide:
    """The components in the order the deck walks them, each with its weight and its slides; then the rest."""
    lang = ctx.lang
    weights = ctx.body["evaluation"]["weights"]
    grouped: dict[str, list[str]] = {}
    for slide in following:
        if slide.key in ("judul", "agenda", "penutup"):
            continue
        group = grouped.setdefault(slide.component or slide.title, [])
        if slide.component and slide.title not in group:
            group.append(slide.title)
    items = tuple(f"{t(key, lang)} ({t('weight', lang)} {weights[key]}): {', '.join(titles)}" if key in weights else key
                  for key, titles in grouped.items())
    return Slide("agenda", t("agenda", lang), (Text(items, bullets=True),), notes=(t("agenda_note", lang, parts=_component_line(ctx)),))


def baseline_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    masterplan = ctx.body["smartcity"].get("masterplan") or {}
    figures, notes = [], []
    previous = ctx.settings.previous_evaluation
    if previous and masterplan.get("total"):
        then = t("of_programmes", lang, done=previous.programmes_done, total=previous.programmes_total)
        now = t("of_programmes", lang, done=masterplan["done"], total=masterplan["total"])
        then_share = _share(previous.programmes_done, previous.programmes_total, lang)
        now_share = _share(masterplan["done"], masterplan["total"], lang)
        figures += [Figure(t("programmes_then", lang, year=previous.year), 100 * previous.programmes_done / previous.programmes_total, then_share, "%", None, f"{then} · {previous.source}"),
                    Figure(t("programmes_now", lang), 100 * masterplan["done"] / masterplan["total"], now_share, "%", None, now)]
        notes.append(t("baseline_note", lang, year=previous.year, then=then, then_share=then_share, now=now, now_share=now_share))
    rows = []
    for ind in ctx.indicators.values():
        e = ind.entry
        if not e["wall"] or e["value"] is None or e["year_before_value"] is None or e["measure"] == "latest":
            continue
        # Each row in its own unit and precision, as its tile writes it; the exact values are in the data pack's sheet
        # of numerators and denominators.
        difference = e["value"] - e["year_before_value"]
        sign = "+" if round(difference, ind.decimals) > 0 else "−" if round(difference, ind.decimals) < 0 else "±"
        rows.append((ind.name, figure_text(e["year_before_value"], ind.decimals, ind.unit, lang), ind.text,
                     f"{sign}{ind.number(abs(difference))}" + (f" {t('points', lang)}" if e["unit"] == "%" else "")))
    table = Table(t("baseline_sub", lang), (Column(t("indicator", lang)), Column(t("year_before", lang)), Column(t("now", lang)),
                                            Column(t("change", lang))), tuple(rows[:TABLE_ROWS]))
    blocks = ((Stats(tuple(figures)),) if figures else ()) + ((table,) if rows else ())
    simulated = any(ctx.indicators[i].simulated for i in ctx.indicators) or ctx.source_simulated("masterplan")
    return [Slide("baseline", t("baseline_title", lang), blocks, component="baseline", notes=tuple(notes), simulated=simulated,
                  sources=("masterplan",))]


def output_slide(ctx: Context) -> list[Slide]:
    lang, s = ctx.lang, ctx.settings

    def foundations(items, key: str) -> tuple[str, ...]:
        heading = t(key, lang)
        if not items:
            return (f"{heading}: {t('not_configured', lang, setting=key).lower()}",)
        return tuple(f"{heading}: {f.name}" + (f" ({f.year})" if f.year else "") + (f", {f.about}" if f.about else "") for f in items)

    text = Text((*foundations(s.regulations, "regulations"), *foundations(s.institutions, "institutions")), bullets=True)
    budget: dict[str, float] = {}
    for p in ctx.body["smartcity"].get("programmes") or []:
        budget[p["dimensi"]] = budget.get(p["dimensi"], 0.0) + (p["anggaran"] or 0) / 1e9
    blocks: list = [text]
    notes = []
    if budget:
        names = tuple(name for _, name in DIMENSIONS)
        values = tuple(budget.get(code, 0.0) for code, _ in DIMENSIONS)
        total = formatting.number(sum(values), 1, lang)
        blocks.append(Chart("bar", f"{t('budget', lang)} · Σ {total}", "Rp " + t("billion", lang), names, (Series(t("budget_total", lang), values),),
                            keys=tuple(code for code, _ in DIMENSIONS), decimals=1))
        top = max(range(len(values)), key=lambda i: values[i])
        notes.append(t("budget_note", lang, total=total, top=names[top], top_value=formatting.number(values[top], 1, lang)))
    return [Slide("output", t("output_title", lang), tuple(blocks), component="output", notes=tuple(notes),
                  simulated=ctx.source_simulated("masterplan"), sources=("masterplan",))]


def _progress_series(rows: list[dict], lang: str) -> tuple[Series, ...]:
    return tuple(Series(t(k, lang), tuple(float(r[k]) for r in rows), status)
                 for k, status in (("done", "green"), ("ongoing", "amber"), ("not_started", "no_data")))


def outcome_programmes_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    m = ctx.body["smartcity"].get("masterplan")
    if not m or not m["total"]:
        return []
    ongoing = sum(d["ongoing"] for d in m["dimensions"])
    not_started = sum(d["not_started"] for d in m["dimensions"])
    share = _share(m["done"], m["total"], lang)
    unit = t("programmes", lang)
    # Counts without their unit in the big figure, so each stays on one line; the label names the unit. No status:
    # a count of programmes under way is not "needs attention".
    stats = Stats((
        Figure(f"{t('done', lang)} ({unit})", float(m["done"]), figure_text(m["done"], 0, "", lang), unit, None,
               t("of_programmes", lang, done=m["done"], total=m["total"])),
        Figure(f"{t('ongoing', lang)} ({unit})", float(ongoing), figure_text(ongoing, 0, "", lang), unit),
        Figure(f"{t('not_started', lang)} ({unit})", float(not_started), figure_text(not_started, 0, "", lang), unit),
        Figure(t("done_share", lang), 100 * m["done"] / m["total"], share, "%"),
    ))
    dims = m["dimensions"]
    chart = Chart("stacked", t("by_dimension", lang), unit, tuple(d["dimension"] for d in dims), _progress_series(dims, lang),
                  keys=tuple(code for code, _ in DIMENSIONS), decimals=0)
    note = t("outcome_note", lang, total=m["total"], done=m["done"], ongoing=ongoing, not_started=not_started, share=share)
    return [Slide("outcome-program", t("outcome_title", lang), (stats, chart), component="outcome", notes=(note,),
                  simulated=ctx.source_simulated("masterplan"), sources=("masterplan",))]


def outcome_opd_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    m = ctx.body["smartcity"].get("masterplan")
    if not m or not m["opds"]:
        return []
    rows = m["opds"][:TABLE_ROWS]
    names = tuple(r.get("name") or r["opd"] for r in rows)
    chart = Chart("stacked", t("by_opd", lang), t("programmes", lang), names, _progress_series(rows, lang), keys=tuple(r["opd"] for r in rows), decimals=0)
    top = rows[0]
    note = t("opd_note", lang, opd=names[0], total=top["total"], done=top["done"])
    return [Slide("outcome-opd", t("outcome_opd_title", lang), (chart,), component="outcome", notes=(note,),
                  simulated=ctx.source_simulated("masterplan"), sources=("masterplan",))]


def outcome_dimensions_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    dims = ctx.body["smartcity"]["dimensions"]
    scores = tuple(d["score"] for d in dims)
    # No status colours: the evaluation sets no bands for a dimension score, and Pantau invents none.
    chart = Chart("bar", t("dimension_scores", lang), t("score", lang), tuple(d["dimension"] for d in dims), (Series(t("score", lang), scores),),
                  keys=tuple(code for code, _ in DIMENSIONS), decimals=2, maximum=5.0)
    rows = []
    for d in dims:
        members = [ctx.indicators[i] for i in d["indicators"] if i in ctx.indicators]
        count = {k: sum(1 for m in members if m.status == k) for k in ("green", "amber", "red")}
        rows.append((d["dimension"], d["score"], len(members), count["green"], count["amber"], count["red"]))
    table = Table(t("dimensions_title", lang), (Column(t("dimension", lang)), Column(t("score", lang), 2), Column(t("indicators_n", lang), 0),
                                                Column(t("green", lang), 0), Column(t("amber", lang), 0), Column(t("red", lang), 0)), tuple(rows))
    scored = [(d["dimension"], d["score"]) for d in dims if d["score"] is not None]
    notes = []
    if scored:
        best, worst = max(scored, key=lambda x: x[1]), min(scored, key=lambda x: x[1])
        notes.append(t("dimension_note", lang, best=best[0], best_score=formatting.number(best[1], 2, lang), worst=worst[0],
                       worst_score=formatting.number(worst[1], 2, lang)))
    simulated = any(m.simulated for m in ctx.indicators.values())
    return [Slide("outcome-dimensi", t("dimensions_title", lang), (chart, table), component="outcome", subtitle=t("dimension_method", lang),
                  notes=tuple(notes), simulated=simulated)]


def outcome_indicators_slides(ctx: Context) -> list[Slide]:
    """The indicators behind each dimension's score: value, target and status, dimension by dimension."""
    lang = ctx.lang
    rows = []
    for d in ctx.body["smartcity"]["dimensions"]:
        for indicator_id in d["indicators"]:
            ind = ctx.indicators.get(indicator_id)
            if ind is None:
                continue
            rows.append((d["dimension"], ind.name, ind.text, ind.short_target(), t(ind.status if ind.status != "no_data" else "no_data_short", lang)))
    columns = (Column(t("dimension", lang)), Column(t("indicator", lang)), Column(t("now", lang)), Column(t("target_word", lang)),
               Column(t("status", lang)))
    slides = []
    parts = _parts(rows)
    for part, chunk in enumerate(parts):
        members = [i for i in ctx.indicators.values() if i.name in {r[1] for r in chunk}]
        slides.append(Slide("outcome-indikator" if part == 0 else f"outcome-indikator-{part + 1}", t("indicators_title", lang),
                            (Table(t("indicators_title", lang), columns, tuple(chunk)),), component="outcome",
                            subtitle=t("part", lang, n=part + 1, of=len(parts)), simulated=any(m.simulated for m in members)))
    return slides


def _trend(ind: Frozen, lang: str) -> Chart | None:
    """An indicator's series as a line chart with its target; None with fewer than two points."""
    series = ind.entry["series"]
    if len(series) < 2:
        return None
    grain = _grain_of(series)
    days = [dt.date.fromisoformat(p[0]) for p in series]
    labels = tuple(_bucket_label(d, grain, lang) for d in days)
    target = ind.entry["target"] if ind.entry["judged_on"] == "value" else None
    title = t("impact_trend", lang, name=ind.name, grain=t(grain, lang)) + f", {formatting.span(days[0], _bucket_end(days[-1], grain), lang)}"
    return Chart("line", title, ind.unit, labels, (Series(ind.name, tuple(p[1] for p in series)),),
                 keys=tuple(p[0] for p in series), target=target, decimals=ind.decimals)


def _grain_of(series: list) -> str:
    days = [dt.date.fromisoformat(p[0]) for p in series]
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    if min(gaps) >= 360:
        return "year"
    if min(gaps) >= 28:
        return "month"
    return "week" if min(gaps) == 7 else "day"


def _bucket_label(day: dt.date, grain: str, lang: str) -> str:
    """A point's label as short as the chart's title lets it be: the title names the whole span with its year."""
    if grain == "year":
        return str(day.year)
    if grain == "month":
        return formatting.span(day, _month_end(day), lang)
    return formatting.date(day, lang).rsplit(" ", 1)[0]


def _bucket_end(day: dt.date, grain: str) -> dt.date:
    if grain == "year":
        return day.replace(month=12, day=31)
    if grain == "month":
        return _month_end(day)
    return day + dt.timedelta(days=6) if grain == "week" else day


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def impact_slides(ctx: Context, only: str | None = None) -> list[Slide]:
    lang = ctx.lang
    slides = []
    for service in ctx.settings.flagships:
        if only and service.key != only:
            continue
        members = [ctx.indicators[i] for i in service.indicators if i in ctx.indicators]
        if not members:
            continue
        name = service.name_en if lang == "en" and service.name_en else service.name
        gained = service.gained_en if lang == "en" and service.gained_en else service.gained
        blocks: list = [Stats(tuple(m.figure() for m in members[:3]))]
        trend = _trend(members[0], lang)
        if trend:
            blocks.append(trend)
        notes = ([gained] if gained else []) + [m.sentence() for m in members[:3]]
        sources = tuple(dict.fromkeys(s["source"] for m in members for s in m.entry["sources"]))
        slides.append(Slide(f"dampak-{service.key}", name, tuple(blocks), subtitle=gained, component="impact", notes=tuple(notes),
                            simulated=any(m.simulated for m in members), sources=sources))
    return slides


def quick_win_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    wins = ctx.settings.quick_wins
    if not wins:
        return [Slide("quick-win", t("quick_win_title", lang), (Text((t("no_quick_wins", lang),)),), component="quick_win")]
    lines = tuple(f"{w.name}" + (f" ({w.dimension}, {w.year})" if w.dimension and w.year else f" ({w.dimension})" if w.dimension else "")
                  + (f": {w.about}" if w.about else "") for w in wins)
    members = [ctx.indicators[i] for w in wins for i in w.indicators if i in ctx.indicators][:4]
    blocks: list = [Text(lines, bullets=len(lines) > 1)]
    if members:
        blocks.append(Stats(tuple(m.figure() for m in members)))
    notes = [m.sentence() for m in members]
    return [Slide("quick-win", t("quick_win_title", lang), tuple(blocks), component="quick_win", notes=tuple(notes),
                  simulated=any(m.simulated for m in members))]


def _spbe_names(ctx: Context, kind: str) -> dict[str, str]:
    return ctx.body["spbe"].get("names", {}).get(kind, {})


def spbe_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    spbe = ctx.body["spbe"]
    latest = spbe.get("latest")
    simulated = bool(spbe.get("simulated"))
    if not latest:
        return [Slide("spbe", t("spbe_title", lang), (Text((t("spbe_none", lang),)),), notes=(t("spbe_none", lang),), simulated=simulated)]
    index = Frozen(ctx.indicators["spbe_indeks"].entry, lang) if "spbe_indeks" in ctx.indicators else None
    status = index.status if index else None
    index_text = figure_text(latest["index"], 2, "", lang)
    change = None
    figures = [Figure(t("spbe_index", lang, year=latest["year"]), latest["index"], index_text, "", status,
                      index.target() if index else ""),
               Figure(t("predicate", lang), None, latest["predicate"], "")]
    if latest.get("change") is not None:
        sign = "+" if latest["change"] >= 0 else "−"
        change = f"{sign}{formatting.number(abs(latest['change']), 2, lang)}"
        figures.append(Figure(t("spbe_change", lang, year=latest["previous_year"]), latest["change"], change, ""))
    names = _spbe_names(ctx, "domains")
    domains = latest["domains"]
    thresholds = spbe.get("thresholds") or {}
    chart = Chart("bar", t("domains", lang), "", tuple(names.get(k, k) for k in domains), (Series(t("domains", lang), tuple(domains.values())),),
                  keys=tuple(domains), statuses=tuple(_spbe_status(v, thresholds) for v in domains.values()), target=thresholds.get("target"),
                  decimals=2, maximum=5.0)
    change_words = (f"{change} {'dibanding' if lang == 'id' else 'on'} {latest['previous_year']}" if change else "")
    note = t("spbe_note", lang, year=latest["year"], index=index_text, predicate=latest["predicate"], change=change_words).replace("; .", ".")
    return [Slide("spbe", t("spbe_title", lang), (Stats(tuple(figures)), chart), subtitle=t("spbe_sub", lang, year=latest["year"], framework=latest["framework"]),
                  notes=(note,), simulated=simulated, sources=("spbe",))]


def _spbe_status(value: float, thresholds: dict) -> str:
    if not thresholds:
        return "no_data"
    return "green" if value >= thresholds["green"] else "amber" if value >= thresholds["amber"] else "red"


def spbe_aspects_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    spbe = ctx.body["spbe"]
    latest = spbe.get("latest")
    if not latest:
        return []
    names = _spbe_names(ctx, "aspects")
    aspects = latest["aspects"]
    thresholds = spbe.get("thresholds") or {}
    chart = Chart("bar", t("aspects", lang), "", tuple(names.get(k, k) for k in aspects), (Series(t("aspects", lang), tuple(aspects.values())),),
                  keys=tuple(aspects), statuses=tuple(_spbe_status(v, thresholds) for v in aspects.values()), target=thresholds.get("target"),
                  decimals=2, maximum=5.0)
    scored = [h for h in spbe["history"] if h.get("index") is not None]
    blocks: list = [chart]
    if len(scored) >= 2:
        blocks.append(Chart("line", t("history", lang), "", tuple(str(h["year"]) for h in scored), (Series(t("spbe_title", lang), tuple(h["index"] for h in scored)),),
                            keys=tuple(str(h["year"]) for h in scored), target=thresholds.get("target"), decimals=2, maximum=5.0))
    weakest = min(aspects, key=aspects.get)
    note = (f"Aspek terendah {names.get(weakest, weakest)} ({formatting.number(aspects[weakest], 2, lang)})." if lang == "id"
            else f"The lowest aspect is {names.get(weakest, weakest)} ({formatting.number(aspects[weakest], 2, lang)}).")
    return [Slide("spbe-aspek", t("spbe_aspects_title", lang), tuple(blocks), notes=(note,), simulated=bool(spbe.get("simulated")), sources=("spbe",))]


def spbe_plan_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    spbe = ctx.body["spbe"]
    latest, plan = spbe.get("latest"), spbe.get("next_predicate")
    if not latest:
        return []
    simulated = bool(spbe.get("simulated"))
    if not plan:
        top = t("spbe_top", lang, predicate=latest["predicate"])
        return [Slide("spbe-rencana", t("spbe_title", lang), (Text((top,)),), notes=(top,), simulated=simulated, sources=("spbe",))]
    index_text, lower_text = formatting.number(plan["index"], 2, lang), formatting.number(plan["lower"], 2, lang)
    rows = tuple((n, f"{s['indicator']}. {s['name']}", f"{s['from']} → {s['to']}", s["index"]) for n, s in enumerate(plan["steps"][:TABLE_ROWS], start=1))
    table = Table(t("spbe_plan_sub", lang, index=index_text, lower=lower_text),
                  (Column(t("step", lang), 0), Column(t("spbe_indicator", lang)), Column(t("level", lang)), Column(t("index_after", lang), 3)), rows)
    after = figure_text(plan["steps"][-1]["index"], 3, "", lang) if plan["steps"] else index_text
    note = t("plan_note", lang, n=len(plan["steps"]), index=index_text, after=after, predicate=plan["predicate"])
    return [Slide("spbe-rencana", t("spbe_plan_title", lang, predicate=plan["predicate"]), (table,), notes=(note,), simulated=simulated, sources=("spbe",))]


def sources_slides(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    sources = ctx.body["sources"]
    rows = []
    for name, s in sorted(sources.items()):
        success = _wib_text(dt.datetime.fromisoformat(s["last_success_at"]), lang) if s["last_success_at"] else "–"
        rows.append((name, s.get("opd_name") or s.get("opd") or "–", s.get("system", ""), t(s["state"], lang), success,
                     s["last_rows_read"], s["last_rejected"]))
    columns = (Column(t("source", lang)), Column("OPD"), Column(t("system", lang)), Column(t("state", lang)), Column(t("last_success", lang)),
               Column(t("rows_read", lang), 0), Column(t("rejected", lang), 0))
    fresh = sum(1 for s in sources.values() if s["state"] == "fresh")
    note = t("sources_note", lang, fresh=fresh, total=len(sources), as_of=ctx.as_of_text)
    slides = []
    for part, chunk in enumerate(_parts(rows)):
        key = "sumber" if part == 0 else f"sumber-{part + 1}"
        slides.append(Slide(key, t("sources_title", lang), (Table(t("sources_title", lang), columns, tuple(chunk)),), notes=(note,) if part == 0 else (),
                            simulated=any(sources[r[0]]["simulated"] for r in chunk), sources=tuple(r[0] for r in chunk)))
    return slides


def closing_slide(ctx: Context) -> list[Slide]:
    lang = ctx.lang
    return [Slide("penutup", t("closing", lang), (Text((t("closing_text", lang), t("contact", lang, region=ctx.body["region"]["name"]))),),
                  notes=(t("closing_text", lang),))]


def text_slide(ctx: Context, key: str) -> list[Slide]:
    found = next((s for s in ctx.settings.text if s.key == key), None)
    if found is None:
        return []
    return [Slide(found.key, found.title, (Text(tuple(found.body), bullets=found.bullets),) if found.body else (), notes=tuple(found.notes))]


BUILDERS: dict[str, Callable[[Context], list[Slide]]] = {
    "judul": title_slide,
    "baseline": baseline_slide,
    "output": output_slide,
    "outcome-program": outcome_programmes_slide,
    "outcome-opd": outcome_opd_slide,
    "outcome-dimensi": outcome_dimensions_slide,
    "outcome-indikator": outcome_indicators_slides,
    "dampak": impact_slides,
    "quick-win": quick_win_slide,
    "spbe": spbe_slide,
    "spbe-aspek": spbe_aspects_slide,
    "spbe-rencana": spbe_plan_slide,
    "sumber": sources_slides,
    "penutup": closing_slide,
}
KNOWN = frozenset({*BUILDERS, "agenda"})


def slide_keys_problem(settings: PaparanSettings, flagship_keys: set[str] | None = None) -> str | None:
    """Why `paparan.slides` names a slide no builder or text slide makes, or None."""
    texts = {s.key for s in settings.text}
    flagships = {f"dampak-{f.key}" for f in settings.flagships} if flagship_keys is None else flagship_keys
    unknown = [k for k in settings.slides if k not in KNOWN and k not in texts and k not in flagships]
    if not unknown:
        return None
    return f"slide tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(sorted(KNOWN | texts | flagships))}"


def build(snapshot: Snapshot, settings: PaparanSettings, lang: str = "id") -> Deck:
    """The deck of `snapshot` in `lang`, its slides in the order `settings.slides` names them."""
    ctx = Context(snapshot, settings, lang)
    slides: list[Slide] = []
    agenda_at = None
    for key in settings.slides:
        if key == "agenda":
            agenda_at = len(slides)
        elif key.startswith("dampak-") and key not in {s.key for s in settings.text}:
            slides += impact_slides(ctx, key.removeprefix("dampak-"))
        elif key in BUILDERS:
            slides += BUILDERS[key](ctx)
        else:
            slides += text_slide(ctx, key)
    if agenda_at is not None:
        slides.insert(agenda_at, agenda_slide(ctx, slides))
    s = settings
    return Deck(
        snapshot_id=snapshot.id, checksum=snapshot.checksum, lang=lang, title=snapshot.title, event=s.event, presenter=s.presenter,
        region=snapshot.body["region"]["name"], as_of=snapshot.as_of.astimezone(WIB), as_of_text=ctx.as_of_text, slides=tuple(slides),
        made_note=_made_note(ctx) if snapshot.past_as_of else "",
        labels={"as_of": t("as_of", lang), "simulated": t("simulated", lang), "component": t("component", lang),
                **{c: t(c, lang) for c in COMPONENTS}},
    )


def paparan_problems(config) -> list[tuple[str, str]]:
    """The configuration check for [paparan] (runtime.configuration runs it with the others): slides no builder or
    text slide makes, indicators that do not exist, and evaluation weights that are not there."""
    from metrics.catalogue import BY_ID
    from metrics.smartcity.evaluation import versions

    settings = config.paparan
    problems = []
    if (problem := slide_keys_problem(settings)) is not None:
        problems.append(("paparan.slides", problem))
    named = [(f"paparan.flagships.{n}.indicators", i) for n, f in enumerate(settings.flagships) for i in f.indicators]
    named += [(f"paparan.quick_wins.{n}.indicators", i) for n, w in enumerate(settings.quick_wins) for i in w.indicators]
    problems += [(key, f"'{i}' bukan indikator; yang ada: {', '.join(sorted(BY_ID))}") for key, i in named if i not in BY_ID]
    if settings.evaluation_version not in versions():
        problems.append(("paparan.evaluation_version", f"'{settings.evaluation_version}' tidak dikenal; yang ada: {', '.join(versions())}"))
    keys = [s.key for s in settings.text] + [f.key for f in settings.flagships]
    if len(set(keys)) != len(keys):
        problems.append(("paparan.text", "kunci slide teks atau layanan unggulan dipakai dua kali"))
    return problems
