"""Simulated OPD systems for the embedded demo: REST APIs, SQLite databases and file drops, from one seed."""

from simulator.systems import SOURCES, Faults, SimulatedOPDs

__all__ = ["SOURCES", "Faults", "SimulatedOPDs"]
