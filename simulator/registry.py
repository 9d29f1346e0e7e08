"""Every simulated OPD system, one line each; its connector kind is the one its contract declares."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast

from simulator.absensi import Absensi
from simulator.base import SimulatedSystem
from simulator.damkar import Damkar
from simulator.drops import DropSystem
from simulator.dukcapil import Dukcapil
from simulator.kesehatan import Kesehatan
from simulator.lingkungan import Lingkungan
from simulator.masterplan import Masterplan
from simulator.pariwisata import Pariwisata
from simulator.pendapatan import Pendapatan
from simulator.pengaduan import Pengaduan
from simulator.perizinan import Perizinan
from simulator.rest import RestSystem
from simulator.spbe import Spbe
from simulator.sqlfile import SqlSystem
from simulator.tte import Tte

Kind = Literal["rest", "sql", "file"]

CONTRACTS = Path(__file__).resolve().parent.parent / "ingest" / "contracts"

# Source name (its contract is CONTRACTS/NAME.toml) -> the class that simulates it. A new source is a module
# and a line here; how it is served or synced follows from its kind.
SYSTEMS: dict[str, type[SimulatedSystem]] = {
    "perizinan": Perizinan,
    "dukcapil": Dukcapil,
    "absensi": Absensi,
    "pengaduan": Pengaduan,
    "tte": Tte,
    "masterplan": Masterplan,
    "kesehatan": Kesehatan,
    "lingkungan": Lingkungan,
    "pariwisata": Pariwisata,
    "damkar": Damkar,
    "spbe": Spbe,
    "pendapatan": Pendapatan,
}

# What a system of each kind must be, so that the simulator knows how to serve or sync it.
BASES: dict[str, type[SimulatedSystem]] = {"rest": RestSystem, "sql": SqlSystem, "file": DropSystem}


@dataclass(frozen=True)
class Registered:
    """A simulated source: its name, its connector kind (from its contract) and the class that makes it."""

    name: str
    kind: Kind
    factory: type[SimulatedSystem]


def contract_kind(name: str, contracts: Path = CONTRACTS) -> Kind:
    """The `kind` a source's contract declares (rest, sql or file).

    Raises:
        FileNotFoundError: when the source has no contract.
        ValueError: when the contract declares no kind the simulator knows.
    """
    with open(contracts / f"{name}.toml", "rb") as f:
        kind = tomllib.load(f).get("kind")
    if kind not in BASES:
        raise ValueError(f"contract {name}.toml: kind {kind!r} is none of {', '.join(BASES)}")
    return cast(Kind, kind)


def register(systems: dict[str, type[SimulatedSystem]], contracts: Path = CONTRACTS) -> dict[str, Registered]:
    """Pair each system with the kind its contract declares, checking that its class is of that kind.

    Raises:
        FileNotFoundError: for a system without a contract.
        TypeError: when a system's class is not of the kind its contract declares.
    """
    out: dict[str, Registered] = {}
    for name, factory in systems.items():
        kind = contract_kind(name, contracts)
        if not issubclass(factory, BASES[kind]):
            raise TypeError(f"{factory.__name__} does not simulate a {kind!r} source, as contract {name}.toml says")
        out[name] = Registered(name, kind, factory)
    return out


@cache
def registered() -> dict[str, Registered]:
    """Every simulated source in registration order; the contracts are read on first use, not on import."""
    return register(SYSTEMS)


def names(kind: Kind | None = None) -> tuple[str, ...]:
    """The simulated sources of one kind (all when None), in registration order."""
    return tuple(n for n, r in registered().items() if kind is None or r.kind == kind)
