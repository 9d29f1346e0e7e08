"""The DuckDB warehouse: one process owns the file, a cursor per thread, schema from versioned migrations."""

from warehouse.db import Warehouse, WarehouseBusy

__all__ = ["Warehouse", "WarehouseBusy"]
