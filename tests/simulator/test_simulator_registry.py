"""The registry of simulated systems agrees with the source contracts, and the simulator serves each kind by it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from simulator import SOURCES, Faults, SimulatedOPDs
from simulator.drops import DropSystem
from simulator.dukcapil import Dukcapil
from simulator.registry import CONTRACTS, SYSTEMS, contract_kind, names, register, registered
from simulator.rest import RestSystem
from simulator.sqlfile import SqlSystem
from tests.simulated import NOW

BASE_OF_KIND = {"rest": RestSystem, "sql": SqlSystem, "file": DropSystem}


def _declared_kind(name: str) -> str:
    return tomllib.loads((CONTRACTS / f"{name}.toml").read_text(encoding="utf-8"))["kind"]


def test_every_contract_has_a_registered_system_and_every_system_a_contract():
    contracts = {p.stem for p in CONTRACTS.glob("*.toml")}
    assert contracts == set(SYSTEMS) == set(SOURCES) == set(registered())
    assert SOURCES == tuple(SYSTEMS) == names()


@pytest.mark.parametrize("name", SOURCES)
def test_a_registered_system_is_of_the_kind_its_contract_declares(name: str):
    entry = registered()[name]
    assert entry.name == name and entry.factory is SYSTEMS[name]
    assert entry.kind == _declared_kind(name)
    assert issubclass(entry.factory, BASE_OF_KIND[entry.kind])
    assert name in names(entry.kind)


def test_the_kinds_split_the_sources():
    by_kind = [names(kind) for kind in ("rest", "sql", "file")]
    assert sorted(n for group in by_kind for n in group) == sorted(SOURCES)


def test_a_rest_system_says_how_it_is_served_as_its_contract_reads_it():
    for name in names("rest"):
        system = SYSTEMS[name]
        contract = tomllib.loads((CONTRACTS / f"{name}.toml").read_text(encoding="utf-8"))
        assert system.RESOURCE, name
        assert (system.PAGING, system.AUTH) == (contract["pagination"], contract.get("auth", "none")), name
        assert all(contract["streams"][s]["location"] == system.RESOURCE for s in contract["streams"]), name


def test_a_system_of_another_kind_than_its_contract_is_refused(tmp_path: Path):
    with pytest.raises(TypeError, match="Dukcapil does not simulate a 'rest' source"):
        register({"perizinan": Dukcapil})
    (tmp_path / "bpbd.toml").write_text('kind = "ftp"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="kind 'ftp' is none of rest, sql, file"):
        contract_kind("bpbd", tmp_path)
    with pytest.raises(FileNotFoundError):
        register({"bpbd2": Dukcapil}, tmp_path)


def test_faults_cover_exactly_the_rest_systems():
    faults = Faults()
    for name in SOURCES:
        if name in names("rest"):
            faults.set(name, "429")
            assert faults.get(name) == "429"
        else:
            with pytest.raises(ValueError, match="unknown REST source"):
                faults.set(name, "429")
    faults.clear()
    assert all(faults.get(name) is None for name in names("rest"))


@pytest.mark.integration  # a REST system has a URL only once the loopback server runs
def test_connection_has_the_shape_of_each_kind(tmp_path: Path):
    with SimulatedOPDs(tmp_path, history_days=3, now=lambda: NOW) as sims:
        for name in SOURCES:
            conn = sims.connection(name)
            kind = registered()[name].kind
            if kind == "rest":
                assert set(conn) == {"url", "token"} and conn["url"].endswith(f"/{name}/api/v1")
                assert (conn["token"] is None) == (SYSTEMS[name].AUTH == "none")
            elif kind == "sql":
                assert conn == {"database_url": f"sqlite:///{(tmp_path / f'{name}.sqlite').resolve().as_posix()}"}
                assert (tmp_path / f"{name}.sqlite").is_file()
            else:
                assert conn == {"folder": tmp_path / name / "inbox"} and conn["folder"].is_dir()
        with pytest.raises(ValueError, match="unknown simulated source 'bpbd'"):
            sims.connection("bpbd")
        with pytest.raises(ValueError, match=f"is not a simulated SQL source; those are {', '.join(names('sql'))}"):
            sims.database_path(names("file")[0])
