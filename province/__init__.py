"""A province over its regions' warehouses: Parquet exports with manifests, a simulated province, and the rollup of the
whole indicator catalogue per region and for the province on DuckDB or Spark."""
