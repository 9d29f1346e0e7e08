"""Wall components as trees, without a browser."""

import urllib.parse

from dashboard import formatting
from dashboard.components.tile import sparkline_src, tile
from tests.readings import reading


def _texts(component):
    found = []
    children = getattr(component, "children", None)
    if isinstance(children, str):
        found.append(children)
    for child in children if isinstance(children, list) else [children] if children is not None and not isinstance(children, str) else []:
        found.extend(_texts(child))
    return found


def _joined(texts):
    return "".join(texts)


def test_indonesian_number_format():
    assert formatting.number(1234.5) == "1.234,5"
    assert formatting.number(1234.5, lang="en") == "1,234.5"
    assert formatting.number(None) == "–"


def test_spans_read_as_briefly_as_they_read_whole():
    import datetime as dt

    D = dt.date
    assert formatting.span(D(2026, 1, 1), D(2026, 10, 31)) == "Jan–Okt 2026"
    assert formatting.span(D(2026, 1, 1), D(2026, 10, 31), "en") == "Jan–Oct 2026"
    assert formatting.span(D(2025, 1, 1), D(2025, 12, 31)) == "2025"
    assert formatting.span(D(2026, 11, 1), D(2026, 11, 30)) == "Nov 2026"
    assert formatting.span(D(2025, 12, 1), D(2026, 2, 28)) == "Des 2025–Feb 2026"
    assert formatting.span(D(2026, 11, 3), D(2026, 12, 2)) == "3 Nov–2 Des 2026"
    assert formatting.span(D(2026, 11, 3), D(2026, 11, 30)) == "3–30 Nov 2026"
    assert formatting.span(D(2025, 12, 20), D(2026, 1, 2), "en") == "20 Dec 2025–2 Jan 2026"
    assert formatting.span(D(2026, 12, 2), D(2026, 12, 2)) == "2 Des 2026"


def test_tile_shows_value_target_status_and_change():
    texts = _texts(tile(reading()))
    assert "93,5" in texts
    assert "Perlu perhatian" in texts
    assert "Target ≥ 95 %" in texts
    assert "▲ 2,5 poin dari 30 hari sebelumnya" in texts


def test_counts_with_a_growth_target_show_the_change_on_a_year_before():
    texts = _texts(tile(reading("izin_usaha_terbit", value=4721.0, previous_value=None, year_change=2.23, status="green",
                                period=("2026-01-01", "2026-11-29"))))
    assert "4.721" in texts and "izin" in texts
    assert "Target: tumbuh dari tahun lalu" in texts
    assert "▲ 2,2% dari periode sama tahun lalu" in texts
    # Without the spans compared (a value stored before they were), the period's days, as briefly as they read whole.
    assert "Tahun berjalan: 1 Jan–29 Nov 2026" in _joined(texts)


def test_a_tile_names_the_spans_it_compared_like_for_like():
    # Tourist visits on 2 December 2026: November is not delivered yet, so January-October is set against
    # January-October 2025; October may still be revised.
    visits = reading("kunjungan_wisata", value=1234277.0, previous_value=None, year_before_value=1210821.0, year_change=1.94,
                     status="green", period=("2026-01-01", "2026-11-30"), covered=("2026-01-01", "2026-10-31"),
                     year_before_span=("2025-01-01", "2025-10-31"), provisional_from="2026-10-01")
    texts = _texts(tile(visits))
    assert "▲ 1,9% dari periode sama tahun lalu" in texts
    # Each span is one unbreakable piece, so a narrow tile wraps between them, never inside one.
    assert "Jan–Okt 2026 vs Jan–Okt 2025" in texts and "Okt 2026 sementara" in texts
    assert "Tahun berjalan s.d. bulan lalu: Jan–Okt 2026 vs Jan–Okt 2025 · Okt 2026 sementara" in _joined(texts)
    english = _joined(_texts(tile(visits, "en")))
    assert "Year to last month: Jan–Oct 2026 vs Jan–Oct 2025 · Oct 2026 provisional" in english


def test_a_daily_tile_names_the_days_it_compared():
    texts = _texts(tile(reading(period=("2026-11-03", "2026-12-02"), covered=("2026-11-03", "2026-11-30"), previous_span=("2026-10-04", "2026-10-31"))))
    assert "▲ 2,5 poin dari 30 hari sebelumnya" in texts
    assert "30 hari terakhir: 3–30 Nov 2026 vs 4–31 Okt 2026" in _joined(texts)


def test_an_assessment_changes_in_points_on_the_previous_assessment_year():
    index = reading("spbe_indeks", value=4.0085, previous_value=None, year_before_value=3.6525, year_change=9.75, status="amber",
                    period=("2026-01-01", "2026-12-02"), covered=("2025-01-01", "2025-12-31"), year_before_span=("2024-01-01", "2024-12-31"),
                    series=(("2024-01-01", 3.6525), ("2025-01-01", 4.0085)))
    texts = _texts(tile(index))
    assert "▲ 0,36 dari penilaian sebelumnya" in texts and "Penilaian: 2025 vs 2024" in _joined(texts)
    assert "Assessment: 2025 vs 2024" in _joined(_texts(tile(index, "en")))


def test_a_one_day_period_names_the_day_once():
    texts = _texts(tile(reading("masterplan_realisasi", period=("2026-11-29", "2026-11-29"))))
    assert "Hari ini: 29 Nov 2026" in _joined(texts)


def test_a_level_lower_is_better_reads_whole_with_its_unit():
    texts = _texts(tile(reading("izin_lewat_sla", value=7.0, previous_value=11.0, status="red"), "en"))
    assert "7" in texts and "applications" in texts and "Target ≤ 0 applications" in texts
    assert "▼ 4 on the previous period" in texts


def test_stale_source_is_named_on_the_tile_and_value_kept():
    t = tile(reading(freshness="stale"))
    assert "tile-body status-amber freshness-stale" == t.children.className
    texts = _texts(t)
    assert "93,5" in texts
    assert "◑ Sumber basi" in texts


def test_no_data_is_its_own_state():
    texts = _texts(tile(reading(value=None, previous_value=None, status="no_data", series=())))
    assert "Belum ada data" in texts and "Tanpa data" in texts


def test_sparkline_is_inline_svg():
    svg = urllib.parse.unquote(sparkline_src([1.0, 3.0, 2.0], "#fff"))
    assert svg.startswith("data:image/svg+xml;utf8,<svg")
    assert svg.count(",") >= 3 and "polyline" in svg


def test_sparkline_draws_provisional_points_dashed_from_the_last_final_one():
    svg = urllib.parse.unquote(sparkline_src([1.0, 2.0, 3.0, 4.0], "#fff", provisional_from=3))
    final, provisional = svg.split("<polyline")[1:]
    assert final.count(",") == 3 and "stroke-dasharray" not in final  # three final points, solid
    assert 'class="provisional"' in provisional and provisional.count(",") == 2  # the third point joined to the fourth, dashed
    assert "provisional" not in urllib.parse.unquote(sparkline_src([1.0, 2.0], "#fff"))


def test_a_provisional_point_reaches_the_sparkline():
    texts_tile = tile(reading(series=(("2026-09-01", 90.0, False), ("2026-10-01", 91.0, False), ("2026-11-01", 95.0, True))))
    img = texts_tile.children.children[1].children[1]
    assert 'class="provisional"' in urllib.parse.unquote(img.src)


def test_sparkline_scale_includes_the_target():
    svg = urllib.parse.unquote(sparkline_src([90.0, 91.0], "#fff", target=95.0))
    assert 'stroke-dasharray="6 6"' in svg
    # With the target above both values, the target line is near the top and the values below it.
    target_y = float(svg.split('y1="')[1].split('"')[0])
    points = [float(p.split(",")[1]) for p in svg.split('points="')[1].split('"')[0].split()]
    assert all(target_y < y for y in points)


def test_a_tile_is_a_fixed_shell_whose_body_refreshes_in_place():
    from dash import html

    from tests.trees import assert_component_equal

    shell = tile(reading(), style={"gridRow": "2"})
    body = shell.children
    expected = html.Div(
        html.Div(body.children, id={"type": "wall-tile-body", "id": "izin_tepat_waktu"}, className="tile-body status-amber freshness-fresh"),
        id={"type": "wall-tile", "id": "izin_tepat_waktu"}, className="tile", style={"gridRow": "2"},
    )
    assert_component_equal(shell, expected)
    # The body's parts, in order: name, figure with sparkline, status, change, period, sources.
    assert [c.className for c in body.children] == ["tile-name", "tile-main", "tile-status status-amber", "tile-change", "tile-period", "tile-footer"]
