"""Indicators by domain, each declaration beside the query it runs; metrics.catalogue gathers them in one catalogue."""
