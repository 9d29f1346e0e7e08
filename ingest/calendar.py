"""Write the working-day calendar into the warehouse, where indicator queries join it."""

from __future__ import annotations

import datetime as dt

from region.calendar import WorkingCalendar
from warehouse import Warehouse

CALENDAR_START = dt.date(2020, 1, 1)
CALENDAR_END = dt.date(2030, 12, 31)


def refresh_calendar(warehouse: Warehouse, calendar: WorkingCalendar) -> int:
    """Replace kalender_kerja with the calendar's days from 2020 to 2030; returns the number of days."""
    frame = calendar.frame(CALENDAR_START, CALENDAR_END)
    with warehouse.transaction() as tx:
        tx.execute("DELETE FROM kalender_kerja")
        tx.register("pantau_calendar", frame)
        tx.execute("INSERT INTO kalender_kerja SELECT CAST(tanggal AS DATE), hari_kerja, urutan_hari_kerja, ramadan, libur FROM pantau_calendar")
        tx.unregister("pantau_calendar")
    return len(frame)
