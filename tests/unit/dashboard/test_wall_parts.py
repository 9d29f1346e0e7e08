"""Wall parts without a browser: the alert strip's order, the SVG charts, playlists and the refresh interval."""

import os
import urllib.parse
import xml.etree.ElementTree as ET

from config import load_config
from config.settings import PlaylistItem, WallSettings
from dashboard.components import charts
from dashboard.components.alerts import alerts
from dashboard.wall.shell import playlist
from runtime.wall_live import auto_refresh_s
from tests.readings import reading, row, source

SVG = "{http://www.w3.org/2000/svg}"


def svg(uri: str) -> ET.Element:
    assert uri.startswith("data:image/svg+xml;utf8,")
    return ET.fromstring(urllib.parse.unquote(uri.split(",", 1)[1]))



def texts(drawing: ET.Element) -> list[str]:
    """Each <text> of a drawing as read, its lines (<tspan>) joined."""
    return ["".join(t.itertext()) for t in drawing.iter(f"{SVG}text")]


def test_alerts_put_untrusted_sources_first_then_legal_deadlines_then_red():
    readings = [
        reading("izin_lewat_sla", status="red", value=7.0), reading("aduan_tertunggak", status="red", value=30.0),
        reading("tte_porsi", status="red", previous_status="red"), reading("izin_daring", status="red", previous_status="green"),
        reading("lahir_tercatat_60h", status="green"),
    ]
    sources = [source("perizinan", "fresh"), source("absensi", "failing"), source("tte", "late")]
    overdue = [row("DPMPTSP", 3.0), row("PUPR", 27.0), row("BPKD", 0.0)]
    found = alerts(readings, sources, overdue)
    assert [a.kind for a in found] == ["source", "sla", "overdue", "overdue", "turned_red", "red"]
    assert found[0].text == "Sumber absensi gagal dibaca"  # a late source is on its tiles, not an alert
    assert found[1].text == "7 izin lewat SLA (fiktif positif)"
    assert found[2].text.endswith("27 aduan > 60 hari") and found[3].text.endswith("3 aduan > 60 hari")
    # The strip names indicators by their declared short forms.
    assert (found[4].text, found[5].text) == ("Izin daring: baru merah", "Dokumen ber-TTE: merah")
    assert alerts([reading("lahir_tercatat_60h", status="green")], [], [], "en") == []


def test_a_warehouse_fault_leads_the_strip_in_both_languages_and_says_loads_stopped():
    import datetime as dt

    from dashboard.components.alerts import alert_strip
    from warehouse.watch import WarehouseFault

    since = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
    gone = WarehouseFault("missing", "folder gudang data hilang", since)
    full = WarehouseFault("disk_full", "ruang disk gudang data tinggal 1234 MB", since, free_mb=1234)
    readings = [reading("izin_lewat_sla", status="red", value=7.0), reading("izin_daring", status="red")]
    found = alerts(readings, [source("absensi", "failing")], [], "id", gone, ["izin_daring"])
    assert [a.kind for a in found] == ["warehouse", "recompute", "source", "sla", "red"]
    assert found[0].text == "Gudang data hilang: pemuatan dihentikan"
    assert found[1].text == "Nilai belum diperbarui: Izin daring"
    assert alerts([], [], [], "en", gone)[0].text == "Warehouse file gone: loads stopped"
    assert alerts([], [], [], "id", full)[0].text == "Disk gudang data hampir penuh (1.234 MB): pemuatan dihentikan"
    assert alerts([], [], [], "en", full)[0].text == "Warehouse disk almost full (1,234 MB): loads stopped"
    for kind in ("replaced", "unwritable", "unusable"):
        indonesian, english = (alerts([], [], [], lang, WarehouseFault(kind, "-", since))[0].text for lang in ("id", "en"))
        assert indonesian.endswith("pemuatan dihentikan") and english.endswith("loads stopped")
    first = alert_strip(found)[0]
    assert (first.className, first.children) == ("alert alert-warehouse", found[0].text)


def test_charts_are_well_formed_svg():
    radar = svg(charts.radar([("Governance", 3.9), ("Economy", None), ("Living", 2.0)]))
    assert {"3,90", "–", "Economy"} <= set(texts(radar))
    bars = svg(charts.bars([charts.Bar("Satpol PP dan Damkar", 5, "5", "red"), charts.Bar("BPKD", 0, "0", "green")], target=4))
    # A long label is wrapped between words onto two lines, never cut: the label room is 252 - 18 = 234 units, and
    # at 26 units "Satpol PP dan" is 26 × 6.889 em = 179.1 wide while "Satpol PP dan Damkar" is 26 × 11.167 em = 290.3.
    labels = [[span.text for span in t.iter(f"{SVG}tspan")] for t in bars.iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.get("font-weight") != "bold"]
    assert labels == [["Satpol PP dan", "Damkar"], ["BPKD"]]
    assert not any("…" in text for text in texts(bars))
    assert len(bars.findall(f".//{SVG}line")) == 1  # the target line
    stacked = svg(charts.stacked([("Governance", [(20, "#0f0"), (2, "#fa0")])], [("Selesai", "#0f0")]))
    assert "20" in texts(stacked)
    history = svg(charts.columns([("2024", 3.65), ("2025", None)], 5.0, [(4.2, "Memuaskan")]))
    assert "3,65" in texts(history)


def test_map_draws_all_17_kecamatan_with_their_figure_and_a_pattern_per_status():
    drawing = svg(charts.kecamatan_map({"13.05.01": ("red", "81,0")}, [("red", "Di bawah target")]))
    written = texts(drawing)
    assert "Lubuk Alung" in written and "81,0" in written and written.count("–") == 16
    fills = [p.get("fill") for p in drawing.iter(f"{SVG}path")]
    assert "url(#cross)" in fills and fills.count("url(#dots)") == 16


def test_an_unknown_screen_plays_the_first_playlist():
    settings = WallSettings(screens={"1": [PlaylistItem(page="spbe")], "2": [PlaylistItem(page="peta")]})
    assert [i.page for i in playlist(settings, "2")] == ["peta"]
    assert [i.page for i in playlist(settings, "9")] == ["spbe"] == [i.page for i in playlist(settings, None)]


def test_refresh_follows_the_shortest_source_schedule_within_bounds():
    assert auto_refresh_s(load_config(None, env={})) == 30.0  # the fastest built-in sources load every minute
    slow = {f"PANTAU_SOURCES__{name.upper()}__SCHEDULE": "1h" for name in load_config(None, env={}).sources}
    assert auto_refresh_s(load_config(None, env=slow)) == 120.0  # never less often than every 2 minutes
    assert auto_refresh_s(load_config(None, env={**slow, "PANTAU_SOURCES__ABSENSI__SCHEDULE": "20s"})) == 15.0


def test_a_wall_edit_is_checked_like_a_start_and_a_bad_one_keeps_the_last_good(tmp_path, monkeypatch):
    from runtime import wall_live
    from runtime.configuration import load_checked

    monkeypatch.setattr(wall_live, "CHECK_EVERY_S", 0.0)
    path = tmp_path / "pantau.toml"
    path.write_text("[wall]\nmap_indicator = 'izin_daring'\n")
    live = wall_live.LiveWallSettings(path, load_checked(path, env={}))
    for n, (map_indicator, shown) in enumerate([("tte_porsi", "izin_daring"), ("kunjungan_wisata", "kunjungan_wisata")], start=1):
        path.write_text(f"[wall]\nmap_indicator = '{map_indicator}'\n")
        mtime = path.stat().st_mtime_ns + n * 1_000_000_000  # a distinct mtime even on a coarse clock
        os.utime(path, ns=(mtime, mtime))
        assert live.current().map_indicator == shown  # tte_porsi has no kecamatan breakdown: not applied


def test_the_strip_gets_every_alert_whole_and_the_count_to_rewrite_when_fewer_fit():
    from dashboard.components.alerts import SENT, Alert, alert_strip

    found = [Alert(3, "overdue", f"OPD {n}: {n} aduan > 60 hari") for n in range(SENT + 2)]
    strip = alert_strip(found)
    alerts_sent, more = strip[:-1], strip[-1]
    assert [a.children for a in alerts_sent] == [a.text for a in found[:SENT]]  # whole texts, in order of severity
    # wall.js hides the trailing ones that do not fit and writes the count from the total and the template.
    assert (more.children, more.hidden, getattr(more, "data-total"), getattr(more, "data-more")) == ("+2 lainnya", False, "10", "+{n} lainnya")
    few = alert_strip(found[:2], "en")[-1]
    assert (few.hidden, getattr(few, "data-total"), getattr(few, "data-more")) == (True, "2", "+{n} more")


def test_not_recomputed_names_three_indicators_by_their_short_names_and_counts_the_rest():
    ids = ["izin_daring", "tte_porsi", "absensi_tepat_waktu", "tte_gagal", "izin_tepat_waktu"]
    readings = [reading(i, status="green") for i in ids]
    found = alerts(readings, [], [], "en", None, ids)
    assert found[0].text == "Values not updated: Online applications, E-signed documents, Staff on time +2 more"


def test_every_discipline_step_has_its_wall_names():
    from metrics.indicators.aparatur import STEP_NAMES
    from tests.pages_loaded import page_module

    assert sorted(page_module("/wall/aparatur").STEP_LABEL) == sorted(STEP_NAMES)
