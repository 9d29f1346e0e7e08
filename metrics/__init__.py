"""Indicators: declared objects whose queries are Ibis expressions over the warehouse tables."""
