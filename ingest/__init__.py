"""Ingestion: read each OPD system through its connector kind, validate, and merge into the warehouse."""
