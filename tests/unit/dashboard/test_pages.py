"""Pages register themselves: the wall pages come from dashboard/pages/wall, in order, with their titles; playlists
are checked against them; a page file dropped into the folder appears in navigation and is accepted in a playlist."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from config.settings import PlaylistItem, WallSettings
from dashboard.registry import discover, wall_page, wall_setting_problems

ROOT = Path(__file__).resolve().parents[3]
# What the command room has always shown, in this order; a new page is added by a file, not here.
BUILT_IN = ["ringkasan", "layanan", "aparatur", "peta", "spbe", "masterplan"]


def test_the_wall_pages_are_the_page_modules_in_their_declared_order():
    pages = discover()
    assert [p.slug for p in pages][: len(BUILT_IN)] == BUILT_IN
    assert wall_page("layanan").title == {"id": "Layanan Publik", "en": "Public Services"}
    assert wall_page("layanan").title_in("en") == "Public Services" and wall_page("nope") is None


def test_a_playlist_naming_an_unknown_page_is_refused_naming_the_key():
    discover()
    good = WallSettings(screens={"1": [PlaylistItem(page=p) for p in BUILT_IN]})
    assert wall_setting_problems(good) == []
    bad = WallSettings(screens={"1": [PlaylistItem(page="ringkasan")], "2": [PlaylistItem(page="spbe"), PlaylistItem(page="beranda")]})
    [(key, problem)] = wall_setting_problems(bad)
    assert key == "wall.screens.2.1.page" and "'beranda' is not a wall page" in problem and "masterplan" in problem


PROBE = '''
"""Cuaca (/wall/cuaca): a page added as one file."""

from dash import html

from dashboard.wall.page import register_page


def view(data):
    return [html.Div("cuaca")]


register_page(__name__, "cuaca", {"id": "Cuaca", "en": "Weather"}, view, order=7)
'''

CHECK = '''
import json
from config.settings import PlaylistItem, WallSettings
from dashboard.app import create_app
from dashboard.registry import wall_pages, wall_setting_problems
from dashboard.services import DashboardServices
from dashboard.wall.shell import navigation

create_app(DashboardServices(metrics=None, controls=None, operator_token="-", region_name="Kab"))
nav = [a.children for a in navigation("en").children]
problems = wall_setting_problems(WallSettings(screens={"1": [PlaylistItem(page="cuaca")]}))
print(json.dumps({"pages": [p.slug for p in wall_pages()], "nav": nav, "problems": problems}))
'''


def test_a_page_file_dropped_into_the_pages_folder_appears_in_navigation_and_playlists(tmp_path):
    # A copy of the project, so the page is added as an operator would add it, without touching this tree.
    copy = tmp_path / "pantau"
    packages = [p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in ("tests", "bench")]
    for part in (*packages, "data/region"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "dashboard/pages/wall/cuaca.py").write_text(textwrap.dedent(PROBE))
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=copy, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(copy)})
    assert done.returncode == 0, done.stderr
    import json

    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["pages"] == [*BUILT_IN, "cuaca", "ekonomi"]
    assert found["nav"] == ["Overview", "Public Services", "Civil Service", "Kecamatan Map", "SPBE", "Smart City Masterplan", "Weather",
                            "Regional Economy", "▶"]
    assert found["problems"] == []


def test_a_page_view_places_its_panels_on_the_grid():
    from dashboard.wall.data import WallData
    from tests.readings import reading, row
    from tests.trees import tree

    discover()
    readings = {i: reading(i) for i in ("izin_tepat_waktu", "izin_lewat_sla", "lahir_tercatat_60h", "aduan_verifikasi_3hk", "aduan_selesai_60h", "damkar_respons_15m")}
    data = WallData(readings=readings, breakdown=lambda _i, _by: [row("PUPR", 27.0, "red"), row("BPKD", 3.0, "red")],
                    spbe=dict, smartcity=dict, sources=(), lang="id", map_indicator="izin_tepat_waktu")
    shown = tree(wall_page("layanan").view(data), keep=("className", "style", "id"))
    assert [p["className"] for p in shown] == ["tile"] * 6 + ["panel panel-side"]
    assert [p["id"]["id"] for p in shown[:6]] == list(readings)
    assert shown[-1]["style"] == {"gridColumn": "4", "gridRow": "1 / span 2"}
    assert shown[-1]["children"][0] == {"type": "H2", "className": "panel-title", "children": "Aduan tertunggak > 60 hari per OPD"}


def test_the_economy_page_shows_rupiah_by_channel_and_the_lowest_non_cash_shares_first():
    import urllib.parse
    import xml.etree.ElementTree as ET

    from dashboard.wall.data import WallData
    from metrics.reading import BreakdownRow
    from tests.readings import reading, row
    from tests.trees import tree

    discover()
    readings = {i: reading(i) for i in ("pembayaran_nontunai", "pad_realisasi")}
    members = {
        "kanal": [BreakdownRow("qris", 100.0, 5e8, 5e8, "green"), BreakdownRow("transfer", 100.0, 7e9, 7e9, "green"),
                  BreakdownRow("tunai", 0.0, 0.0, 2e9, "red")],
        "jenis_pajak": [row("bphtb", 63.2, "amber"), row("retribusi_pasar", 19.6, "red")],
        "kode_kecamatan": [row("13.05.17", 81.5, "green"), row("13.05.09", 25.8, "red")],
    }
    data = WallData(readings=readings, breakdown=lambda _i, by: members[by], spbe=dict, smartcity=dict, sources=(), lang="id",
                    map_indicator="izin_tepat_waktu")
    shown = tree(wall_page("ekonomi").view(data), keep=("className", "style", "id", "src"))
    assert [p["className"] for p in shown] == ["tile", "tile"] + ["panel panel-side"] * 3
    assert [p["style"] for p in shown] == [{"gridColumn": "1", "gridRow": "1"}, {"gridColumn": "1", "gridRow": "2"}] + [
        {"gridColumn": str(c), "gridRow": "1 / span 2"} for c in (2, 3, 4)]

    def texts(panel: dict) -> list[str]:
        image = ET.fromstring(urllib.parse.unquote(panel["children"][1]["src"].split(",", 1)[1]))
        return [" ".join(t.strip() for t in e.itertext()) for e in image.iter() if e.tag.endswith("}text")]  # wrapped lines joined

    assert texts(shown[2]) == ["Transfer bank", "7,0", "Tunai di loket", "2,0", "QRIS", "0,5"]  # rupiah (billions), largest first
    assert texts(shown[3]) == ["Ret. Pasar", "19,6", "BPHTB", "63,2"]  # lowest share first
    assert texts(shown[4]) == ["IV Koto Aur Malintang", "25,8", "Enam Lingkung", "81,5"]  # long names whole (wrapped where needed)
