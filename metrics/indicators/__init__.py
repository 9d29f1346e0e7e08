"""Indicators by domain, each declaration beside the query it runs; metrics.catalogue gathers them in one catalogue."""

# The catalogue imports every domain module once its types exist. Importing it first means a domain module imported
# on its own (for its constants) is complete before the catalogue reads it, not read half-built.
import metrics.catalogue  # noqa: F401
