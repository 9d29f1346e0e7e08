"""Every source's contract names what its simulated system really sends, in the contract format."""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import sqlite3
import tomllib
from pathlib import Path

import openpyxl
import pytest

from region.calendar import WIB
from region.opd import OPD_BY_CODE
from simulator import SOURCES, SimulatedOPDs
from simulator.registry import SYSTEMS

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)
CONTRACTS = Path(__file__).resolve().parents[2] / "ingest" / "contracts"


def _contract(source: str) -> dict:
    return tomllib.loads((CONTRACTS / f"{source}.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sims(tmp_path_factory: pytest.TempPathFactory) -> SimulatedOPDs:
    """The SQL and file systems synced into a folder (REST ones are read in-process)."""
    sims = SimulatedOPDs(tmp_path_factory.mktemp("contracts"), history_days=60, now=lambda: NOW)
    sims.sync()
    return sims


@pytest.fixture(scope="module")
def punches(tmp_path_factory: pytest.TempPathFactory) -> SimulatedOPDs:
    """The same, with attendance machines that drop raw check-ins instead of daily summaries."""
    sims = SimulatedOPDs(tmp_path_factory.mktemp("punches"), history_days=60, now=lambda: NOW, absensi_export="presensi")
    sims.sync()
    return sims


def test_every_dropped_file_is_read_by_exactly_one_stream(sims: SimulatedOPDs, punches: SimulatedOPDs):
    for source in SOURCES:
        contract = _contract(source)
        if contract["kind"] != "file":
            continue
        for inbox in {sims.inbox(source), punches.inbox(source)}:
            for name in (p.name for p in inbox.iterdir()):
                readers = [s for s, stream in contract["streams"].items() if fnmatch.fnmatch(name, stream["location"])]
                assert len(readers) == 1, (source, name, readers)


def _raw_columns(sims: SimulatedOPDs, source: str, contract: dict, stream: dict, other: SimulatedOPDs | None = None) -> set[str]:
    """The raw field names the simulated system sends for a stream, read the way its connector reads it."""
    if contract["kind"] == "rest":
        system = SYSTEMS[source]
        assert stream["location"] == system.RESOURCE
        records = system(2019, 30).records(NOW)
        return set().union(*(r.keys() for r in records))
    if contract["kind"] == "sql":
        with sqlite3.connect(sims.database_path(source)) as con:
            return {row[1] for row in con.execute(f"PRAGMA table_info({stream['location']})")}
    # Attendance machines drop one of two formats; each stream's files come from the simulator set up for it.
    inbox = next((s.inbox(source) for s in (sims, other) if s and any(fnmatch.fnmatch(p.name, stream["location"]) for p in s.inbox(source).iterdir())), None)
    assert inbox is not None, stream["location"]
    matching = [p.name for p in inbox.iterdir() if fnmatch.fnmatch(p.name, stream["location"])]
    content = (inbox / sorted(matching)[-1]).read_bytes()
    if contract["format"] == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = workbook[contract["sheet"]]
        return {c for c in next(sheet.iter_rows(values_only=True, max_row=1)) if c}
    text = content.decode("utf-8-sig") if content.startswith(b"\xef\xbb\xbf") else content.decode("cp1252")
    return set(next(csv.reader(io.StringIO(text), delimiter=contract["delimiter"])))


@pytest.mark.parametrize("source", SOURCES)
def test_contract_fields_are_what_the_system_sends(sims: SimulatedOPDs, punches: SimulatedOPDs, source: str):
    contract = _contract(source)
    assert contract["opd"] in OPD_BY_CODE and contract["system"]
    for name, stream in contract["streams"].items():
        assert stream["table"].startswith(f"{source}_"), name
        raw = _raw_columns(sims, source, contract, stream, punches)
        sent = {f["from"] for f in stream["fields"].values()}
        assert sent <= raw, sent - raw
        assert raw <= sent, f"raw fields no contract field reads: {raw - sent}"
        if contract["kind"] in ("rest", "sql"):
            assert stream["cursor_field"] in raw and stream["version"] == "diperbarui_utc"


def test_rest_contracts_match_how_the_apis_page_and_authenticate():
    pengaduan, tte, damkar = (_contract(s) for s in ("pengaduan", "tte", "damkar"))
    assert (pengaduan["pagination"], pengaduan["size_param"], pengaduan["auth"]) == ("next_link", "limit", "bearer")
    assert pengaduan["next_link_path"] == "links.next"
    assert (tte["pagination"], tte["auth"], tte["api_key_header"]) == ("page_number", "api_key", "X-API-Key")
    assert (damkar["pagination"], damkar["auth"]) == ("page_number", "none")
    for contract in (tte, damkar):
        assert (contract["page_param"], contract["size_param"], contract["total_pages_path"]) == (
            "page", "per_page", "meta.total_pages",
        )
    assert all(c["page_size"] <= 1000 for c in (pengaduan, tte, damkar))  # the APIs' largest page

