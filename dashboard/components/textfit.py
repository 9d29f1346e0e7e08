"""Text laid out to fit inside the server-drawn charts: widths in DejaVu Sans, words wrapped onto lines, never cut.

The charts are SVG drawn on the server, where no browser measures text; widths come from the advance widths of
DejaVu Sans (the wall's first font), measured once in Chromium in thousandths of an em. Kerning only narrows text,
so an estimate errs towards more room. The wall's browser test measures the drawn result.
"""

from __future__ import annotations

from html import escape

_REGULAR = {
    275: "'", 278: "ijl", 295: "IJ", 318: " \u00a0,.·’‘", 337: "/:;\\|", 352: "f", 361: "-", 390: "()[]", 392: "t", 401: "!",
    411: "r", 460: '"', 500: "*_`–", 518: "“”", 521: "s", 525: "z", 531: "?", 550: "c", 557: "L", 575: "F", 579: "k",
    592: "vxy", 603: "P", 611: "TY", 612: "o", 613: "a", 615: "eéè", 632: "E", 634: "hnu", 635: "Sbdgpq",
    636: "0123456789${}", 656: "K", 684: "AVÀ", 685: "XZ", 686: "B", 695: "R", 698: "C", 732: "U", 748: "N", 752: "H",
    770: "D", 775: "G", 780: "&", 787: "OQ", 818: "w", 838: "#+<=>^~→≤≥×", 863: "M", 950: "%", 974: "m", 989: "W",
    1000: "@—…",
}
_BOLD = {
    306: "'", 343: "ijl", 348: " \u00a0", 365: "/\\|", 372: "IJ", 380: ",.·’‘", 400: ":;", 415: "-", 435: "f", 456: "!",
    457: "()[]", 478: "t", 493: "r", 500: "_`–", 521: '"', 523: "*", 580: "?", 582: "z", 593: "c", 595: "s", 637: "L",
    645: "x", 652: "vy", 657: "“”", 665: "k", 675: "a", 678: "eéè", 682: "T", 683: "EF", 687: "o", 696: "0123456789$",
    712: "hnu{}", 716: "bdgpq", 720: "S", 724: "Y", 725: "Z", 733: "P", 734: "C", 762: "B", 770: "R", 771: "X",
    774: "AVÀ", 775: "K", 812: "U", 821: "G", 830: "D", 837: "HN", 838: "#+<=>^~→≤≥×", 850: "OQ", 872: "&", 924: "w",
    995: "M", 1000: "@—…", 1002: "%", 1042: "m", 1103: "W",
}
_WIDTHS = {weight: {c: w / 1000 for w, chars in table.items() for c in chars} for weight, table in (("regular", _REGULAR), ("bold", _BOLD))}
_UNKNOWN = 0.84  # wider than any letter above: a character not in the table is never underestimated
LINE = 1.1  # line spacing, in em, of wrapped labels


def width(text: str, size: float, bold: bool = False) -> float:
    """The drawn width of `text` at font size `size`, in the drawing's units."""
    table = _WIDTHS["bold" if bold else "regular"]
    return sum(table.get(c, _UNKNOWN) for c in text) * size


def wrap(text: str, room: float, size: float, bold: bool = False) -> list[str]:
    """`text` broken at spaces (not at no-break spaces) into lines no wider than `room`; a word wider than `room` stands
    on its own line."""
    lines: list[str] = []
    for word in filter(None, text.split(" ")):
        if lines and width(f"{lines[-1]} {word}", size, bold) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fit(text: str, room: float, size: float, max_lines: int = 2, smallest: float = 0.0, bold: bool = False) -> tuple[list[str], float]:
    """Lines of `text` within `room`, at most `max_lines` of them, at `size` or, when it must, a smaller size.

    The size steps down (to `smallest`, by default three quarters of `size`) until every word fits on at most
    `max_lines` lines; at the smallest size the text is wrapped whole even if it then takes more lines.

    Returns:
        (lines, font size)
    """
    smallest = smallest or size * 0.75
    current = size
    while current > smallest:
        lines = wrap(text, room, current, bold)
        if len(lines) <= max_lines and all(width(line, current, bold) <= room for line in lines):
            return lines, current
        current = max(current - 1, smallest)
    return wrap(text, room, smallest, bold), smallest


def text_block(x: float, middle: float, lines: list[str], size: float, attributes: str) -> str:
    """An SVG <text> of `lines` (one <tspan> each) centred vertically on `middle`; `attributes` go on the <text>."""
    step = size * LINE
    # The baseline of a single line sits about a third of the size below its middle (DejaVu's capitals are 0.73 em).
    first = middle + size * 0.36 - step * (len(lines) - 1) / 2
    spans = "".join(f'<tspan x="{x:.1f}" y="{first + i * step:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return f'<text x="{x:.1f}" y="{first:.1f}" font-size="{size:g}" {attributes}>{spans}</text>'
