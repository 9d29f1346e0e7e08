"""Exports of an analysis: records and tables as CSV and XLSX (tabular), a chart as SVG, PDF and PNG (chart)."""
