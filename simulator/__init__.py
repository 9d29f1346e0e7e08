"""Simulated OPD systems (licensing REST API, civil-registration database, attendance CSV drops) for the demo."""

from simulator.systems import Faults, SimulatedOPDs

__all__ = ["Faults", "SimulatedOPDs"]
