"""The attendance machines' own export, for simulator/absensi.py: raw check-ins in the regency's format (nip,
id_template, inout, time_finger), the staff list, and leave records as date ranges, all from the same days as the
daily summaries, so that the daily record derived from them is the summary's.

Made deterministic from the seed: the second of each tap, duplicate taps (the same minute; now and then the same
record twice), which template was used, and the OPDs whose machines mark no punch in or out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from simulator.days import day_date
from simulator.rng import rng_for

PUNCH_HEADER = "nip;id_template;inout;time_finger"
ROSTER_HEADER = "nip;nama;kode_opd;mulai;selesai"
LEAVE_HEADER = "nip;mulai;selesai;jenis"
TEMPLATES = ("finger", "face", "card")
_TEMPLATE_P = (0.8, 0.15, 0.05)
_UNMARKED_OPDS = 3  # OPDs whose (older) machines leave inout empty
_DOUBLE_TAP_P = 0.04  # a second tap in the same minute
_REPEAT_P = 0.005  # the machine sends the same record twice
_HHMM = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60))
_SS = tuple(f":{s:02d}" for s in range(60))
_MARKS = ("0", "1", "")


def unmarked_opds(seed: int, n_opd: int) -> np.ndarray:
    """Which OPDs' machines leave inout empty (a boolean per OPD index), stable for a seed."""
    rng = rng_for(seed, "absensi", "mesin")
    flags = np.zeros(n_opd, dtype=bool)
    flags[rng.choice(n_opd, size=min(_UNMARKED_OPDS, n_opd), replace=False)] = True
    return flags


def roster_csv(nip: tuple[str, ...], nama: tuple[str, ...], kode_opd: tuple[str, ...]) -> bytes:
    """The staff list: everyone on the machines, with no start or end date (all were there before the history)."""
    lines = [ROSTER_HEADER, *(f"{a};{b};{c};;" for a, b, c in zip(nip, nama, kode_opd, strict=True))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def punches_csv(
    seed: int, day: int, nip: tuple[str, ...], unmarked: np.ndarray, hadir: np.ndarray, masuk_min: np.ndarray, pulang_min: np.ndarray, elapsed_s: int
) -> bytes | None:
    """A working day's check-ins as the machines logged them by `elapsed_s` seconds after local midnight, in time order.

    Args:
        seed: simulator seed.
        day: day number.
        nip: staff NIPs.
        unmarked: per staff, whether their OPD's machine leaves inout empty.
        hadir: per staff, present that day.
        masuk_min, pulang_min: check-in and check-out minutes of the day (-1: none).
        elapsed_s: how far into the day the machines have logged.

    Returns:
        UTF-8 CSV bytes, or None when nobody has tapped yet.
    """
    n = len(nip)
    rng = rng_for(seed, "absensi", "presensi", day_date(day).isoformat())
    second = rng.integers(0, 60, (2, n))  # of the check-in and of the check-out
    double = rng.random((2, n)) < _DOUBLE_TAP_P
    repeat = rng.random(n) < _REPEAT_P
    template = rng.choice(len(TEMPLATES), size=n, p=_TEMPLATE_P)
    # A second tap in the same minute, a second or more later (the very same second when the first was at :59).
    again = np.minimum(1 + rng.integers(0, 60, (2, n)) % (60 - second), 59 - second)
    minute = np.stack([masuk_min, pulang_min]).astype("int64")
    at = minute * 60 + second
    tapped = np.stack([hadir, hadir & (pulang_min >= 0)])
    kinds = [(at, tapped), (at + again, tapped & double), (at[:1], tapped[:1] & repeat)]
    at_all = np.concatenate([a[m] for a, m in kinds])
    staff = np.concatenate([np.nonzero(m)[1] for _, m in kinds])
    out = np.concatenate([np.nonzero(m)[0] for _, m in kinds])
    keep = at_all <= elapsed_s
    at_all, staff, out = at_all[keep], staff[keep], out[keep]
    if not len(at_all):
        return None
    order = np.lexsort((out, staff, at_all))  # the machines' log order: by time
    at_all, staff, out = at_all[order], staff[order], out[order]
    mark = np.where(unmarked[staff], 2, out)  # "0" in, "1" out, "" when the machine does not say
    date = day_date(day).isoformat()
    lines = [PUNCH_HEADER]
    lines += [
        f"{nip[i]};{TEMPLATES[t]};{_MARKS[m]};{date} {_HHMM[a // 60]}{_SS[a % 60]}"
        for a, i, t, m in zip(at_all.tolist(), staff.tolist(), template[staff].tolist(), mark.tolist(), strict=True)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def leave_csv(nip: tuple[str, ...], kinds: tuple[str, ...], days: list[int], statuses: np.ndarray, known_through: int, today_known: bool) -> bytes | None:
    """Leave records of a month: each run of consecutive working days on the same leave, as one date range.

    Args:
        nip: staff NIPs.
        kinds: the leave kind of each status index, or "" for statuses that are no leave (hadir, alpa).
        days: the month's working days (day numbers), in order.
        statuses: status index per (day, staff), shape (len(days), len(nip)).
        known_through: the last day whose leave has started (a record is entered on its first day).
        today_known: whether records starting on `known_through` are entered yet (from 07.00).

    Returns:
        UTF-8 CSV bytes, or None when the month has no leave yet.
    """
    # Runs follow `days`, the working days, so a leave over a weekend is one record.
    lines = [LEAVE_HEADER]
    records: list[tuple[int, str, int, str]] = []
    on_leave = np.array([bool(k) for k in kinds])[statuses]
    for i in np.flatnonzero(on_leave.any(axis=0)).tolist():
        run_start, run_kind = -1, ""
        for j, day in enumerate([*days, -1]):
            kind = kinds[statuses[j, i]] if day >= 0 else ""
            if run_kind and kind != run_kind:
                records.append((days[run_start], nip[i], days[j - 1], run_kind))
                run_start, run_kind = -1, ""
            if kind and not run_kind:
                run_start, run_kind = j, kind
    for first, person, last, kind in sorted(records):
        if first < known_through or (first == known_through and today_known):
            lines.append(f"{person};{_date(first)};{_date(last)};{kind}")
    return ("\n".join(lines) + "\n").encode("utf-8") if len(lines) > 1 else None


def _date(day: int) -> str:
    return f"{day_date(day):%d/%m/%Y}"


def months(first: int, today: int) -> list[dt.date]:
    """First days of the months from the one containing `first` to the one containing `today`."""
    start, end = day_date(first).replace(day=1), day_date(today)
    out = []
    while start <= end:
        out.append(start)
        start = (start + dt.timedelta(days=32)).replace(day=1)
    return out
