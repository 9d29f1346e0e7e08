"""WIB, the time zone of every time Pantau shows: apart from the calendar, so a command that only prints times stays light."""

import datetime as dt

# Asia/Jakarta has kept UTC+7 without daylight saving since 1964: a fixed offset is exact for every record here.
WIB_OFFSET_HOURS = 7
WIB = dt.timezone(dt.timedelta(hours=WIB_OFFSET_HOURS), "WIB")
