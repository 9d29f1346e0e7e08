"""An exported chart's SVG: well-formed and self-contained, carrying its title, subtitle, source, as-of time and the
simulated-data mark; every text inside the page at its measured width, none over another, long text wrapped whole."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from dashboard.components import textfit
from dashboard.exports import chart
from dashboard.exports.chart import Bands, BarChart, ChartDocument, MapChart, SeriesChart, as_of_text, to_svg
from region.kecamatan import boundaries

NS = "{http://www.w3.org/2000/svg}"
AS_OF = as_of_text(dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
KECAMATAN = {f["properties"]["kode"]: f["properties"]["kecamatan"] for f in boundaries()["features"]}


def series_chart(**changes) -> SeriesChart:
    values = [78.2, 81.5, 84.0, None, 86.3, 88.1, 90.4, 91.2, 89.9, 92.5, 93.1, 94.0]
    base = {"points": [(f"{m} 2026", v, i >= 10) for i, (m, v) in enumerate(zip(MONTHS, values, strict=True))],
            "compared": [(f"{m} 2025", 70.0 + i) for i, m in enumerate(MONTHS)], "target": 90.0, "bands": (90.0, 80.0, "higher"),
            "unit": "%", "decimals": 1, "name": "Izin tepat waktu", "compared_name": "Tahun lalu"}
    return SeriesChart(**{**base, **changes})


def bar_chart() -> BarChart:
    statuses = ("green", "amber", "red")
    return BarChart([(name, None if i == 3 else 2.0 + i * 0.6, "no_data" if i == 3 else statuses[i % 3])
                     for i, name in enumerate(KECAMATAN.values())], target=7.0, unit="hari")


def map_chart() -> MapChart:
    return MapChart({kode: (f"{60 + i * 2},5", ("green", "amber", "red")[i % 3]) for i, kode in enumerate(list(KECAMATAN)[:15])})


def document(plot=None, **changes) -> ChartDocument:
    base = {"title": "Izin terbit tepat waktu", "subtitle": "Jan–Des 2026 · dibandingkan periode sama tahun lalu · Kecamatan: semua",
            "source_line": "Sumber: DPMPTSP (SiCantik)", "as_of_text": AS_OF, "regency": "Kabupaten Padang Pariaman", "simulated": True,
            "chart": plot or series_chart()}
    return ChartDocument(**{**base, **changes})


def _all_text(root: ET.Element) -> str:
    return " ".join(" ".join(el.itertext()) for el in root.iter(f"{NS}text"))


def _boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """Every text's box (left, top, right, bottom, text) in page units, from its measured width; the faint
    simulated-data mark across the plot (a rotated group) left out."""
    found = []

    def walk(el: ET.Element, dx: float, dy: float, scale: float) -> None:
        if el.tag == f"{NS}g" and "rotate" in el.get("transform", ""):
            return
        if el.tag == f"{NS}g" and (m := re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)", el.get("transform", ""))):
            dx, dy = dx + float(m.group(1)) * scale, dy + float(m.group(2)) * scale
        if el.tag == f"{NS}svg" and el.get("x") is not None:  # a nested drawing scaled into its box
            vb = [float(v) for v in el.get("viewBox").split()]
            dx, dy = dx + float(el.get("x")) * scale, dy + float(el.get("y")) * scale
            scale *= float(el.get("width")) / vb[2]
        if el.tag == f"{NS}text":
            size, content = float(el.get("font-size")), "".join(el.itertext())
            width = textfit.width(content, size, el.get("font-weight") == "bold")
            x, y = float(el.get("x")), float(el.get("y"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[el.get("text-anchor", "start")]
            found.append((dx + left * scale, dy + (y - size * 0.76) * scale, dx + (left + width) * scale, dy + (y + size * 0.24) * scale, content))
        for child in el:
            walk(child, dx, dy, scale)

    walk(root, 0.0, 0.0, 1.0)
    return found


def _check_layout(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}"
    boxes = _boxes(root)
    for left, top, right, bottom, content in boxes:
        assert 0 <= left and right <= width + 0.5, f"{content!r} runs past the page's side ({left:.0f}..{right:.0f})"
        assert 0 <= top and bottom <= height, f"{content!r} runs past the page's top or foot"
    for a, b in itertools.combinations(boxes, 2):
        overlap_x = min(a[2], b[2]) - max(a[0], b[0])
        overlap_y = min(a[3], b[3]) - max(a[1], b[1])
        assert overlap_x <= 1 or overlap_y <= 1, f"{a[4]!r} overlaps {b[4]!r}"
    return root


@pytest.mark.parametrize("plot", [series_chart(), bar_chart(), map_chart()], ids=["series", "bars", "map"])
def test_svg_carries_every_part_of_the_document(plot):
    svg = to_svg(document(plot))
    root = _check_layout(svg)
    assert root.tag == f"{NS}svg"
    assert "DejaVu Sans" in root.get("font-family")
    assert not re.search(r"(href|src)=\"(?!#)|url\((?!#)", svg)  # nothing outside the file
    words = _all_text(root)
    for part in ("PEMERINTAH KABUPATEN PADANG PARIAMAN", "Izin terbit tepat waktu", "Sumber: DPMPTSP (SiCantik)",
                 "Data per 1 Des 2026 14.00 WIB", "DATA SIMULASI"):
        assert part in words
    assert "Jan–Des 2026 · dibandingkan periode sama tahun lalu · Kecamatan: semua" in words
    assert root.find(f"{NS}title").text == "Izin terbit tepat waktu"
    assert (int(root.get("width")), int(root.get("height"))) == (chart.WIDTH, chart.HEIGHT)


def test_real_data_carries_no_simulated_mark():
    words = _all_text(ET.fromstring(to_svg(document(simulated=False))))
    assert "SIMULASI" not in words and "Data per 1 Des 2026 14.00 WIB" in words


def test_series_shows_target_bands_provisional_and_indonesian_numbers():
    words = _all_text(ET.fromstring(to_svg(document())))
    assert "Target 90,0 %" in words
    assert "Tercapai ≥ 90,0 %" in words and "Perlu perhatian 80,0–90,0 %" in words and "Di bawah target < 80,0 %" in words
    assert "Sementara" in words and "94,0 %" in words and "Tahun lalu" in words
    svg = to_svg(document())
    assert svg.count('fill-opacity="0.13"') == 1 and svg.count('fill-opacity="0.16"') == 1  # the green and amber bands
    assert 'stroke-dasharray="9 6"' in svg  # the dashed target
    assert svg.count('fill="#ffffff" stroke="#1f5fbf"') == 2 + 1  # two hollow provisional points, and the legend's


def test_series_in_english_writes_english_numbers():
    doc = document(series_chart(points=[("Nov 2026", 1234.5, False), ("Dec 2026", 2345.25, False)], compared=None, bands=Bands(2000, 1000),
                                target=None, unit="", decimals=2), lang="en", as_of_text=as_of_text(dt.datetime(2026, 12, 1, 7, 0), "en"))
    words = _all_text(ET.fromstring(to_svg(doc)))
    assert "2,345.25" in words and "Data as of 1 Dec 2026 14:00 WIB" in words and "SIMULATED DATA" in words
    assert "On target ≥ 2,000.00" in words and "GOVERNMENT OF KABUPATEN PADANG PARIAMAN" in words


def test_lower_is_better_bands_read_the_other_way():
    doc = document(series_chart(bands=(5.0, 10.0, "lower"), unit="hari", target=None, compared=None,
                                points=[("Okt", 4.0, False), ("Nov", 12.5, False)]))
    words = _all_text(ET.fromstring(to_svg(doc)))
    assert "Tercapai ≤ 5,0" in words and "Perlu perhatian 5,0–10,0" in words and "Di bawah target > 10,0" in words
    assert "Satuan: hari" in words


def test_bars_are_ranked_with_no_value_last():
    root = ET.fromstring(to_svg(document(bar_chart())))
    names = [t for t in (" ".join(el.itertext()) for el in root.iter(f"{NS}text")) if t in KECAMATAN.values()]
    assert names[-1] == list(KECAMATAN.values())[3]
    assert names[0] == list(KECAMATAN.values())[-1]


def test_the_map_lists_every_kecamatan_with_its_figure():
    texts = [" ".join(el.itertext()) for el in ET.fromstring(to_svg(document(map_chart()))).iter(f"{NS}text")]
    for name in KECAMATAN.values():
        assert texts.count(name) == 2  # on the map and in the list
    assert "Tanpa data" in texts


def test_bad_bands_are_named():
    with pytest.raises(ValueError, match="direction 'up'"):
        to_svg(document(series_chart(bands=(1, 2, "up"))))


LONG_TITLE = ("Persentase permohonan izin usaha mikro dan kecil yang diterbitkan tepat waktu sesuai standar pelayanan minimal "
              "di seluruh kecamatan Kabupaten Padang Pariaman")
LONG_FILTERS = "Jan 2025–Des 2026 · dibandingkan periode sama tahun lalu · " + " · ".join(
    f"Kecamatan: {name}" for name in KECAMATAN.values()) + " · Jenis izin: NIB, PBG, SLF, IMB, SIUP, TDP, izin reklame, izin keramaian"


@pytest.mark.parametrize("plot", [series_chart(), bar_chart(), map_chart()], ids=["series", "bars", "map"])
def test_long_title_and_filters_wrap_whole_and_never_overflow(plot):
    doc = document(plot, title=LONG_TITLE, subtitle=LONG_FILTERS, source_line="Sumber: " + ", ".join(
        f"Sistem informasi {n} (OPD {i})" for i, n in enumerate(KECAMATAN.values())))
    root = _check_layout(to_svg(doc))
    words = _all_text(root).split()
    for text in (LONG_TITLE, LONG_FILTERS):
        tokens = text.split()
        start = words.index(tokens[0])
        assert words[start:start + len(tokens)] == tokens  # every word, in order, on its lines


def test_text_too_long_for_the_page_grows_it_and_keeps_every_word():
    doc = document(subtitle=LONG_FILTERS * 12)
    assert chart.layout_height(doc) > chart.HEIGHT
    root = _check_layout(to_svg(doc))
    assert int(root.get("height")) == chart.layout_height(doc)
    assert " ".join(_all_text(root).split()).count("Jenis izin: NIB") == 12


def test_as_of_text_in_both_languages():
    assert as_of_text(dt.datetime(2026, 12, 1, 7, 5, tzinfo=dt.UTC)) == "Data per 1 Des 2026 14.05 WIB"
    assert as_of_text(dt.datetime(2026, 12, 1, 7, 5, tzinfo=dt.UTC), "en") == "Data as of 1 Dec 2026 14:05 WIB"


def test_many_bars_grow_the_page_and_each_keeps_its_row():
    rows = [(f"Nagari {i} di kecamatan yang namanya panjang sekali", 100.0 - i, ("green", "amber", "red")[i % 3]) for i in range(80)]
    doc = document(BarChart(rows, target=50.0, unit="%"))
    assert chart.layout_height(doc) > chart.HEIGHT
    texts = [" ".join(el.itertext()) for el in _check_layout(to_svg(doc)).iter(f"{NS}text")]
    for label, _, _ in rows:  # each label whole, on one line or wrapped onto two
        assert f" {label} " in f" {' '.join(texts)} "


def test_a_daily_year_keeps_its_labels_apart():
    start = dt.date(2026, 1, 1)
    points = [(f"{(start + dt.timedelta(days=i)).day} Jan", 50.0 + (i % 17), i > 360) for i in range(365)]
    svg = to_svg(document(series_chart(points=points, compared=None)))
    _check_layout(svg)
    assert svg.count("<circle") < 60  # markers only where the points stand apart (and the provisional ones)


@pytest.mark.parametrize("seed", range(12))
def test_random_series_never_write_over_each_other(seed):
    import random

    rng = random.Random(seed)
    n = rng.choice([2, 5, 12, 24, 60])
    points = [(f"P{i + 1}", None if rng.random() < 0.1 else rng.uniform(0, 100), i >= n - rng.randint(0, 2)) for i in range(n)]
    compared = [(f"Q{i + 1}", rng.uniform(0, 100)) for i in range(n)] if rng.random() < 0.5 else None
    target = rng.choice([None, rng.uniform(0, 100)])
    bands = rng.choice([None, (70.0, 50.0, "higher"), (30.0, 50.0, "lower")])
    _check_layout(to_svg(document(series_chart(points=points, compared=compared, target=target, bands=bands))))
