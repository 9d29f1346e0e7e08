"""A source's run history as a small SVG drawn on the server: rows offered as bars, run time as a line, failed runs
marked in words as well as colour (a cross and a title), oldest on the left."""

from __future__ import annotations

from markupsafe import Markup, escape

from dashboard import formatting

WIDTH, HEIGHT, PAD = 720, 160, 28


def history_svg(runs: list[dict], title: str, lang: str = "id") -> Markup:
    """The SVG of `runs` (newest first, as run_history gives them, started_at naive UTC); empty when there are none.
    Each bar's title gives its start in WIB."""
    if not runs:
        return Markup("")
    runs = list(reversed(runs))
    most_rows = max((r["rows_read"] or 0) for r in runs) or 1
    most_s = max((r["seconds"] or 0) for r in runs) or 1
    step = (WIDTH - 2 * PAD) / len(runs)
    bar = max(2.0, step * 0.6)
    bottom = HEIGHT - PAD
    tall = HEIGHT - 2 * PAD
    parts = [f'<svg class="history-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="history-chart-title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="history-chart-title">{escape(title)}</title>',
             f'<line x1="{PAD}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" stroke="var(--panel-edge)"/>']
    line = []
    for i, r in enumerate(runs):
        x = PAD + i * step + (step - bar) / 2
        h = tall * (r["rows_read"] or 0) / most_rows
        failed = r["status"] != "ok"
        rows = formatting.number(r["rows_read"] or 0, 0, lang)
        label = f'{formatting.wib(r["started_at"]):%d-%m %H:%M} WIB: {r["status"]}, {rows} {"baris" if lang == "id" else "rows"}, {r["seconds"] or 0:.1f} s'
        colour = "var(--red)" if failed else "var(--green)"
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{max(h, 1):.1f}" fill="{colour}" opacity="0.75"><title>{escape(label)}</title></rect>')
        if failed:
            cx = x + bar / 2
            parts.append(f'<text x="{cx:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle" fill="var(--red)" font-size="12">×</text>')
        line.append(f"{x + bar / 2:.1f},{bottom - tall * (r['seconds'] or 0) / most_s:.1f}")
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="var(--amber)" stroke-width="2"/>')
    parts.append(f'<text x="{PAD}" y="{PAD - 10}" fill="var(--muted)" font-size="12">max {formatting.number(most_rows, 0, lang)} {"baris" if lang == "id" else "rows"} · {most_s:.1f} s</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
