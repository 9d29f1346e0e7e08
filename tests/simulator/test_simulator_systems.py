"""Every simulated OPD system running for real: REST with auth and faults, SQLite files, file inboxes."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from pathlib import Path

import httpx
import openpyxl
import pytest
import sqlalchemy as sa

from conftest import Clock
from region.calendar import WIB
from simulator import SOURCES, SimulatedOPDs
from simulator.damkar import Damkar
from simulator.pengaduan import Pengaduan
from simulator.registry import SYSTEMS, names, registered
from simulator.tte import Tte
from tests.simulated import HISTORY, NOW, file_snapshot, sql_digest

pytestmark = pytest.mark.integration



def _auth(sims: SimulatedOPDs, source: str) -> dict[str, str]:
    secret = sims.connection(source)["token"]
    if SYSTEMS[source].AUTH == "bearer":
        return {"Authorization": f"Bearer {secret}"}
    return {"X-API-Key": secret} if SYSTEMS[source].AUTH == "api_key" else {}


RESOURCES = {source: SYSTEMS[source].RESOURCE for source in names("rest")}


def _get(sims: SimulatedOPDs, source: str, timeout: float = 10, **params: object) -> httpx.Response:
    url = f"{sims.connection(source)['url']}/{RESOURCES[source]}"
    return httpx.get(url, params=params, headers=_auth(sims, source), timeout=timeout)


def _follow(sims: SimulatedOPDs, limit: int, source: str = "pengaduan", **params: object) -> tuple[list[dict], list[str]]:
    """Every page of a next-link system (pengaduan unless told) by next links, with the links followed."""
    headers = _auth(sims, source)
    response = httpx.get(f"{sims.connection(source)['url']}/{RESOURCES[source]}", params={"limit": limit, **params},
                         headers=headers, timeout=10)
    records, links = [], []
    while True:
        body = response.json()
        assert len(body["data"]) <= limit
        records += body["data"]
        link = body["links"]["next"]
        if link is None:
            return records, links
        links.append(link)
        response = httpx.get(link, headers=headers, timeout=10)


def _pages(sims: SimulatedOPDs, source: str, per_page: int, **params: object) -> tuple[list[dict], int]:
    records, page = [], 1
    while True:
        body = _get(sims, source, page=page, per_page=per_page, **params).json()
        records += body["data"]
        if page >= body["meta"]["total_pages"]:
            return records, body["meta"]["total"]
        page += 1


# --- where every system is -----------------------------------------------------------------------------------


def test_connection_settings_for_every_source(running: SimulatedOPDs):
    assert SOURCES == tuple(registered())
    base = running.perizinan_url.removesuffix("/perizinan/api/v1")
    for source in SOURCES:
        conn = running.connection(source)
        kind = registered()[source].kind
        if kind == "rest":
            assert set(conn) == {"url", "token"} and conn["url"] == f"{base}/{source}/api/v1"
            assert httpx.get(f"{conn['url']}/health", timeout=5).json() == {"status": "ok"}
            assert (conn["token"] is not None) == (SYSTEMS[source].AUTH != "none")
        elif kind == "sql":
            assert conn == {"database_url": f"sqlite:///{(running.data_dir / f'{source}.sqlite').resolve()}"}
            assert sql_digest(conn["database_url"])
        else:
            assert conn == {"folder": running.data_dir / source / "inbox"}
            assert any(conn["folder"].iterdir()), source
            assert not (running.data_dir / source / "export_state.json").is_relative_to(conn["folder"])
    assert running.connection("perizinan")["url"] == running.perizinan_url
    assert running.connection("dukcapil")["database_url"] == running.dukcapil_url
    assert running.connection("absensi")["folder"] == running.absensi_inbox
    secrets = {running.connection(s)["token"] for s in ("pengaduan", "tte")}
    assert len(secrets) == 2 and secrets == {SimulatedOPDs(running.data_dir, now=lambda: NOW).secret(s)
                                              for s in ("pengaduan", "tte")}
    with pytest.raises(ValueError, match="unknown simulated source"):
        running.connection("bpbd")


def test_rest_connection_needs_a_started_simulator(tmp_path: Path):
    sims = SimulatedOPDs(tmp_path, history_days=5, now=lambda: NOW)
    with pytest.raises(RuntimeError):
        sims.connection("tte")
    assert sims.connection("spbe") == {"folder": tmp_path / "spbe" / "inbox"}


# --- REST: auth and paging -----------------------------------------------------------------------------------


def test_pengaduan_needs_the_bearer_token(running: SimulatedOPDs):
    url = f"{running.connection('pengaduan')['url']}/laporan"
    for headers in ({}, {"Authorization": "Bearer salah"}, {"Authorization": running.connection("pengaduan")["token"]}):
        response = httpx.get(url, headers=headers, timeout=10)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert httpx.get(url, headers=_auth(running, "pengaduan"), timeout=10).status_code == 200


def test_pengaduan_next_links_cover_every_record_once(running: SimulatedOPDs):
    records, links = _follow(running, limit=200)
    expected = Pengaduan(2019, history_start=running.history_start).records(NOW)
    assert records == expected and len(records) > 12 * HISTORY
    assert len(links) == -(-len(records) // 200) - 1
    assert all(link.startswith(f"{running.connection('pengaduan')['url']}/laporan?") for link in links)
    since = records[len(records) // 2]["diperbarui_pada"]
    tail, links = _follow(running, limit=100, updated_since=since)
    assert tail == [r for r in records if dt.datetime.fromisoformat(r["diperbarui_pada"]) >= dt.datetime.fromisoformat(since)]
    assert links and all("updated_since=" in link for link in links)  # the cursor rides along
    bad = _get(running, "pengaduan", after="bukan-kunci")
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"


def test_tte_needs_the_api_key(running: SimulatedOPDs):
    url = f"{running.connection('tte')['url']}/dokumen"
    key = running.connection("tte")["token"]
    for headers in ({}, {"X-API-Key": "salah"}, {"Authorization": f"Bearer {key}"}):
        response = httpx.get(url, headers=headers, timeout=10)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    assert httpx.get(url, headers={"X-API-Key": key}, timeout=10).status_code == 200


@pytest.mark.parametrize("source,system", [("tte", Tte), ("damkar", Damkar)])
def test_page_numbers_cover_every_record_once(running: SimulatedOPDs, source: str, system: type):
    records, total = _pages(running, source, per_page=1000 if source == "tte" else 25)
    assert records == system(2019, history_start=running.history_start).records(NOW) and total == len(records)
    since = records[len(records) // 2]["diperbarui_pada"]
    later, _ = _pages(running, source, per_page=500, updated_since=since)
    assert later and later == [r for r in records if r["diperbarui_pada"] >= since]  # one offset: text order is time order
    assert later[0]["diperbarui_pada"] == since  # inclusive


# --- faults --------------------------------------------------------------------------------------------------


def test_fault_modes_answer_as_broken_systems_do(faulty: SimulatedOPDs):
    healthy = _get(faulty, "tte", per_page=50)
    for mode, check in (
        ("refuse", lambda r: r.status_code == 503 and r.headers["Retry-After"]),
        ("error", lambda r: r.status_code == 500),
        ("429", lambda r: r.status_code == 429 and r.headers["Retry-After"] == "1"),
    ):
        faulty.faults.set("tte", mode)
        started = time.perf_counter()
        assert check(_get(faulty, "tte", per_page=50)), mode
        assert time.perf_counter() - started < 1
    faulty.faults.set("tte", "garbage")
    garbage = _get(faulty, "tte", per_page=50)
    assert garbage.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        garbage.json()
    faulty.faults.set("tte", "truncated")
    cut = _get(faulty, "tte", per_page=50)
    assert cut.status_code == 200 and healthy.content.startswith(cut.content) and len(cut.content) < len(healthy.content)
    with pytest.raises(json.JSONDecodeError):
        cut.json()
    faulty.faults.set("tte", "renamed")
    renamed = _get(faulty, "tte", per_page=50).json()
    assert renamed["meta"] == healthy.json()["meta"]
    for before, after in zip(healthy.json()["data"], renamed["data"], strict=True):
        assert "diperbarui_pada" not in after and after["updated"] == before["diperbarui_pada"]
    faulty.faults.set("tte", None)
    assert _get(faulty, "tte", per_page=50).content == healthy.content


@pytest.mark.parametrize("source", ["perizinan", "pengaduan", "damkar"])
def test_faults_are_per_system(faulty: SimulatedOPDs, source: str):
    faulty.faults.set(source, "refuse")
    assert faulty.faults.get(source) == "refuse"
    assert _get(faulty, source).status_code == 503
    others = [s for s in RESOURCES if s != source]
    assert all(_get(faulty, s, per_page=1).status_code == 200 for s in others if s != "pengaduan")
    if source != "pengaduan":
        assert _get(faulty, "pengaduan", limit=1).status_code == 200
    faulty.faults.set(source, "renamed")
    data = _get(faulty, source).json()["data"]
    assert data and all("updated" in r and "diperbarui_pada" not in r for r in data)


def test_fault_switches_are_checked(running: SimulatedOPDs):
    with pytest.raises(ValueError, match="unknown fault mode"):
        running.faults.set("tte", "explode")
    with pytest.raises(ValueError, match="unknown REST source"):
        running.faults.set("dukcapil", "refuse")
    running.faults.perizinan = "429"
    assert running.faults.get("perizinan") == "429" and running.faults.perizinan == "429"
    running.faults.perizinan = None
    assert running.faults.get("perizinan") is None


def test_fault_hang_holds_only_the_hanging_request(faulty: SimulatedOPDs):
    faulty.faults.set("damkar", "hang")
    outcome: list[BaseException] = []

    def hanging_client() -> None:
        try:
            _get(faulty, "damkar", timeout=1.5)
        except httpx.TimeoutException as e:
            outcome.append(e)

    thread = threading.Thread(target=hanging_client)
    thread.start()
    time.sleep(0.3)  # the request now waits in the server
    started = time.perf_counter()
    assert _get(faulty, "tte", per_page=1).status_code == 200  # other systems answer at once
    assert time.perf_counter() - started < 1
    thread.join()
    assert len(outcome) == 1


# --- kesehatan in SQLite -------------------------------------------------------------------------------------


def test_kesehatan_sync_is_idempotent_and_moves_forward(tmp_path: Path):
    clock = Clock(NOW)
    sims = SimulatedOPDs(tmp_path, history_days=HISTORY, now=clock)
    sims.sync()
    url = sims.connection("kesehatan")["database_url"]
    first = sql_digest(url)
    assert set(first) == {"kunjungan", "imunisasi"} and first["kunjungan"][0] == first["imunisasi"][0] >= 3 * 25
    sims.sync()
    assert sql_digest(url) == first
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            current = dict(con.execute(sa.text("SELECT id, jumlah_kunjungan FROM kunjungan WHERE bulan = '2026-11'")).all())
            indexes = set(con.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
            assert {"ix_kunjungan_diperbarui_pada", "ix_imunisasi_diperbarui_pada"} <= indexes
        sims.sync(NOW + dt.timedelta(days=5))
        with engine.connect() as con:
            grown = dict(con.execute(sa.text("SELECT id, jumlah_kunjungan FROM kunjungan WHERE bulan = '2026-11'")).all())
            december = con.execute(sa.text("SELECT count(*) FROM kunjungan WHERE bulan = '2026-12'")).scalar_one()
    finally:
        engine.dispose()
    assert set(grown) == set(current) and all(grown[i] > current[i] for i in current)
    assert december == 25  # a new month's rows appear with its first entries
    moved = sql_digest(url)
    sims.sync(NOW)  # an earlier clock undoes nothing
    assert sql_digest(url) == moved


# --- file inboxes --------------------------------------------------------------------------------------------


def test_file_inboxes_hold_what_each_system_drops(running: SimulatedOPDs):
    lingkungan = sorted(p.name for p in running.connection("lingkungan")["folder"].iterdir())
    assert 40 <= len(lingkungan) <= HISTORY + 1 and lingkungan[-1] == f"angkutan_sampah_{NOW:%Y%m%d}.csv"
    assert all(n.startswith("angkutan_sampah_") and n.endswith(".csv") for n in lingkungan)
    pariwisata = sorted(p.name for p in running.connection("pariwisata")["folder"].iterdir())
    assert pariwisata == ["kunjungan_wisata_2026_09.xlsx", "kunjungan_wisata_2026_10.xlsx"]
    for name in pariwisata:
        content = (running.connection("pariwisata")["folder"] / name).read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Kunjungan"]
        assert [c.value for c in sheet[1]] == ["Destinasi", "Kecamatan", "Bulan", "Wisatawan Nusantara",
                                               "Wisatawan Mancanegara"]
    masterplan = list(running.connection("masterplan")["folder"].iterdir())
    assert [p.name for p in masterplan] == ["masterplan_smart_city.xlsx"]
    assert openpyxl.load_workbook(masterplan[0]).sheetnames == ["Program"]
    spbe = sorted(p.name for p in running.connection("spbe")["folder"].iterdir())
    assert spbe == ["spbe_penilaian_mandiri_2024.csv", "spbe_penilaian_mandiri_2025.csv"]
    for folder in (running.connection(s)["folder"] for s in ("lingkungan", "pariwisata", "masterplan", "spbe")):
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_file_drops_appear_as_time_passes_and_unchanged_files_stay(tmp_path: Path):
    clock = Clock(NOW)
    sims = SimulatedOPDs(tmp_path, history_days=HISTORY, now=clock)
    sims.sync()
    folders = {s: sims.connection(s)["folder"] for s in ("lingkungan", "pariwisata", "masterplan", "spbe")}
    before = {s: file_snapshot(f) for s, f in folders.items()}
    sims.sync()
    assert {s: file_snapshot(f) for s, f in folders.items()} == before
    for folder in folders.values():  # the ingester moves loaded files away
        for p in folder.iterdir():
            p.rename(tmp_path / p.name)
    sims.sync(NOW.replace(hour=16))
    assert [p.name for p in folders["lingkungan"].iterdir()] == [f"angkutan_sampah_{NOW:%Y%m%d}.csv"]  # it grew
    assert all(list(folders[s].iterdir()) == [] for s in ("pariwisata", "masterplan", "spbe"))
    sims.sync(dt.datetime(2027, 1, 31, 12, tzinfo=WIB))
    assert "kunjungan_wisata_2026_12.xlsx" in {p.name for p in folders["pariwisata"].iterdir()}
    assert [p.name for p in folders["spbe"].iterdir()] == ["spbe_penilaian_mandiri_2026.csv"]
    assert [p.name for p in folders["masterplan"].iterdir()] == ["masterplan_smart_city.xlsx"]  # a new version


# --- restart -------------------------------------------------------------------------------------------------


def test_restart_on_the_same_folder_duplicates_nothing_in_any_system(tmp_path: Path):
    def snapshot(sims: SimulatedOPDs) -> dict:
        out: dict = {}
        for source in SOURCES:
            kind = registered()[source].kind
            if kind == "rest" and SYSTEMS[source].PAGING == "next_link":
                out[source] = _follow(sims, limit=1000, source=source)[0]
            elif kind == "rest":
                out[source] = _pages(sims, source, per_page=1000)
            elif kind == "sql":
                out[source] = sql_digest(sims.connection(source)["database_url"])
            else:
                out[source] = file_snapshot(sims.connection(source)["folder"])
                out[f"{source} state"] = (sims.data_dir / source / "export_state.json").read_bytes()
        return out

    with SimulatedOPDs(tmp_path, history_days=HISTORY, now=lambda: NOW) as first:
        before = snapshot(first)
    started = time.perf_counter()
    with SimulatedOPDs(tmp_path, history_days=HISTORY, now=lambda: NOW) as second:
        elapsed = time.perf_counter() - started
        assert snapshot(second) == before
    print(f"\nrestart of every system on an existing folder ({HISTORY} days): {elapsed:.2f} s")
