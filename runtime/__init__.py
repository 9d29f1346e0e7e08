"""Composition root: builds the warehouse, simulator, ingest jobs and metrics from configuration and wires them."""
