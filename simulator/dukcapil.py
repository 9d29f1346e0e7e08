"""Simulated Disdukcapil civil registration: births and deaths, materialised into a SQLite database file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from region.population import PENDUDUK
from simulator.days import (
    DAY_S,
    DayTable,
    date_texts,
    day_date,
    day_number,
    local_texts,
    month_span,
)
from simulator.rng import rng_for
from simulator.sqlfile import SqlSystem, Table
from simulator.wilayah import kecamatan_weights

# The regency's population and a crude birth rate of about 17 per 1000 a year give ~21 births a day; a crude
# death rate of about 6.5 per 1000 gives ~8 deaths a day.
BIRTHS_PER_DAY = PENDUDUK * 17 / 1000 / 365
DEATHS_PER_DAY = 8.0
KANAL = ("loket", "daring", "jemput_bola")
MAX_DELAY_DAYS = 365
# Events this many days before the history start are generated too, so the first days of history already
# carry the late registrations of earlier births (a registration book does not start empty).
_LOOKBACK_DAYS = MAX_DELAY_DAYS + 35
_DAY_2024 = day_number(dt.date(2024, 1, 1))

KELAHIRAN_DDL = """
CREATE TABLE IF NOT EXISTS kelahiran (
    id TEXT PRIMARY KEY,
    tanggal_lahir TEXT NOT NULL,
    tanggal_daftar TEXT NOT NULL,
    tanggal_terbit_akta TEXT,
    kode_kecamatan TEXT NOT NULL,
    kanal TEXT NOT NULL,
    diperbarui_pada TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_kelahiran_diperbarui_pada ON kelahiran (diperbarui_pada);
"""
KEMATIAN_DDL = """
CREATE TABLE IF NOT EXISTS kematian (
    id TEXT PRIMARY KEY,
    tanggal_meninggal TEXT NOT NULL,
    tanggal_daftar TEXT NOT NULL,
    kode_kecamatan TEXT NOT NULL,
    kanal TEXT NOT NULL,
    diperbarui_pada TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_kematian_diperbarui_pada ON kematian (diperbarui_pada);
"""
KELAHIRAN_COLUMNS = (
    "id", "tanggal_lahir", "tanggal_daftar", "tanggal_terbit_akta", "kode_kecamatan", "kanal", "diperbarui_pada",
)
KEMATIAN_COLUMNS = ("id", "tanggal_meninggal", "tanggal_daftar", "kode_kecamatan", "kanal", "diperbarui_pada")
KELAHIRAN = Table("kelahiran", KELAHIRAN_DDL, KELAHIRAN_COLUMNS)
KEMATIAN = Table("kematian", KEMATIAN_DDL, KEMATIAN_COLUMNS)


@dataclass(frozen=True)
class _Kind:
    """What differs between births and deaths."""

    table: str
    prefix: str
    per_day: float
    limit_days: int  # legal registration deadline (60 days for births, 30 for deaths)
    on_time_base: tuple[float, float]  # range of per-kecamatan on-time shares in 2024
    on_time_gamma: tuple[float, float]  # shape, scale of the delay in days when on time
    late_mean_days: float
    with_akta: bool


BIRTHS = _Kind("kelahiran", "LHR", BIRTHS_PER_DAY, 60, (0.84, 0.89), (1.3, 9.0), 70.0, True)
DEATHS = _Kind("kematian", "KMT", DEATHS_PER_DAY, 30, (0.74, 0.84), (1.2, 6.0), 60.0, False)


@cache
def _kecamatan_on_time(seed: int, kind: _Kind) -> np.ndarray:
    # Kecamatan differ (distance to the office, outreach) in a way that is stable for a seed.
    low, high = kind.on_time_base
    return rng_for(seed, "dukcapil", kind.table, "kecamatan").uniform(low, high, len(kecamatan_weights()[0]))


def _on_time_share(seed: int, kind: _Kind, kecamatan: np.ndarray, day: np.ndarray) -> np.ndarray:
    # Every kecamatan improves a little each year as online and pick-up services spread.
    return np.clip(_kecamatan_on_time(seed, kind)[kecamatan] + 0.015 * (day - _DAY_2024) / 365.25, 0.5, 0.95)


def _daring_share(day: np.ndarray) -> np.ndarray:
    return np.clip(0.15 + 0.2 * (day - _DAY_2024) / (3 * 365.25), 0.05, 0.40)


@dataclass(frozen=True)
class EventBatch:
    """Births or deaths of one month, ordered by event day, and when each gets registered (local seconds)."""

    event_day: np.ndarray
    registered_s: np.ndarray
    akta_s: np.ndarray  # certificate issued (births); equal to registered_s for deaths
    kecamatan: np.ndarray
    kanal: np.ndarray  # index into KANAL


def generate_events(seed: int, kind: _Kind, month: tuple[int, int], table: DayTable) -> EventBatch:
    """The births or deaths of one calendar month, a pure function of (seed, kind, month).

    A month at a time rather than a day at a time: about 20 events a day are too few to vectorise well,
    and the data of a month still never depends on the window being generated.

    Args:
        seed: simulator seed.
        kind: BIRTHS or DEATHS.
        month: (first, last) day numbers of the month, from `month_span`.
        table: calendar facts covering the month and up to a year and a half after it.

    Returns:
        The month's events with their registration (and certificate) times.
    """
    first, last = month
    rng = rng_for(seed, "dukcapil", kind.table, day_date(first).strftime("%Y-%m"))
    days = np.arange(first, last + 1)
    day = np.repeat(days, rng.poisson(kind.per_day, len(days)))
    n = len(day)
    codes, kec_p = kecamatan_weights()  # volume by area: see kecamatan_weights
    kecamatan = rng.choice(len(codes), n, p=kec_p)
    daring = _daring_share(day)
    u = rng.random(n)
    kanal = np.where(u < daring, 1, np.where(u < daring + 0.1, 2, 0))  # jemput bola a steady 10%

    on_time = rng.random(n) < _on_time_share(seed, kind, kecamatan, day)
    shape, scale = kind.on_time_gamma
    # Keep on-time delays a few days inside the deadline: moving to the next working day can add days.
    within = np.minimum(1 + np.floor(rng.gamma(shape, scale, n)), kind.limit_days - 5)
    late = np.minimum(kind.limit_days + 1 + np.floor(rng.exponential(kind.late_mean_days, n)), MAX_DELAY_DAYS)
    reg_day = table.next_working_on_or_after(day + np.where(on_time, within, late).astype("int64"))
    opening, closing = table.opening_s(reg_day), table.closing_s(reg_day)
    reg_tod = opening + 300 + np.floor(rng.random(n) * (closing - 900 - opening - 300)).astype("int64")
    registered_s = reg_day * DAY_S + reg_tod

    # Certificates: usually printed while the applicant waits at the desk; online and pick-up applications
    # more often wait a few working days for verification and signature.
    same = rng.random(n) < np.array([0.9, 0.6, 0.4])[kanal]
    same_tod = reg_tod + np.floor(rng.uniform(600, 9000, n)).astype("int64")
    overflow = same & (same_tod >= closing)
    wait = np.minimum(rng.geometric(0.55, n), 5)
    wait = np.where(same & ~overflow, 0, np.where(overflow, 1, wait))
    akta_day = table.add_working_days(reg_day, wait)
    a_open, a_close = table.opening_s(akta_day), table.closing_s(akta_day)
    later_tod = a_open + np.floor(rng.random(n) * (a_close - a_open)).astype("int64")
    morning_tod = a_open + np.floor(rng.uniform(0, 7200, n)).astype("int64")
    akta_tod = np.where(wait == 0, same_tod, np.where(overflow, morning_tod, later_tod))
    akta_s = akta_day * DAY_S + akta_tod if kind.with_akta else registered_s
    return EventBatch(day, registered_s, akta_s, kecamatan, kanal)


@dataclass(frozen=True)
class _Register:
    """All events of a span with ids and text columns ready, in generation order."""

    registered_s: np.ndarray
    akta_s: np.ndarray
    ids: np.ndarray
    event_date: np.ndarray
    registered_text: np.ndarray
    akta_text: np.ndarray
    kecamatan: np.ndarray
    kanal: np.ndarray


class Dukcapil(SqlSystem):
    """The civil-registration database's contents as of any moment: a row once registered, its certificate later."""

    SCHEMA = "dukcapil-schema-1"
    TABLES = (KELAHIRAN, KEMATIAN)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._batches: dict[tuple[str, int], EventBatch] = {}  # by (table, first day of month)
        self._registers: dict[str, tuple[tuple[int, int], _Register]] = {}

    def _register(self, kind: _Kind, first: int, last: int) -> _Register:
        cached = self._registers.get(kind.table)
        if cached and cached[0] == (first, last):
            return cached[1]
        month = month_span(first)
        table = self._calendar.table(month[0], last + MAX_DELAY_DAYS + 60)
        batches = []
        while month[0] <= last:
            batch = self._batches.get((kind.table, month[0]))
            if batch is None:
                batch = self._batches[(kind.table, month[0])] = generate_events(self.seed, kind, month, table)
            keep = (batch.event_day >= first) & (batch.event_day <= last)
            batches.append(EventBatch(*(getattr(batch, f)[keep] for f in EventBatch.__dataclass_fields__)))
            month = month_span(month[1] + 1)
        registered_s = np.concatenate([b.registered_s for b in batches])
        # Registration numbers count the registrations of each day in the order they were made, like a
        # register book. Every registration up to `last` comes from an event in the span, so the numbers of
        # visible rows never change as the span moves.
        order = np.lexsort((np.arange(len(registered_s)), registered_s))
        reg_day = registered_s[order] // DAY_S
        group_start = np.flatnonzero(np.r_[True, reg_day[1:] != reg_day[:-1]])
        seq = np.empty(len(order), dtype="int64")
        seq[order] = np.arange(len(order)) - np.repeat(group_start, np.diff(np.r_[group_start, len(order)])) + 1
        reg_dates = np.array(date_texts(registered_s // DAY_S))
        ids = np.char.add(np.char.add(f"{kind.prefix}-", np.char.replace(reg_dates, "-", "")), "-")
        ids = np.char.add(ids, np.char.zfill(seq.astype(str), 4))
        akta_s = np.concatenate([b.akta_s for b in batches])
        codes, _ = kecamatan_weights()
        register = _Register(
            registered_s=registered_s,
            akta_s=akta_s,
            ids=ids,
            event_date=np.array(date_texts(np.concatenate([b.event_day for b in batches]))),
            registered_text=np.array(local_texts(registered_s)),
            akta_text=np.array(local_texts(akta_s)),
            kecamatan=np.array(codes)[np.concatenate([b.kecamatan for b in batches])],
            kanal=np.array(KANAL)[np.concatenate([b.kanal for b in batches])],
        )
        self._registers[kind.table] = ((first, last), register)
        return register

    def rows(self, now: dt.datetime) -> dict[str, list[tuple]]:
        """Rows as the database holds them at `now`, in column order (KELAHIRAN_COLUMNS, KEMATIAN_COLUMNS).

        Args:
            now: the moment (aware); a row exists once its registration time has passed, and its
                certificate column fills in once the certificate is issued.

        Returns:
            {"kelahiran": [...], "kematian": [...]}, each in generation order.
        """
        now_s, start, today = self.window(now)
        out: dict[str, list[tuple]] = {}
        with self._lock:
            for kind in (BIRTHS, DEATHS):
                r = self._register(kind, start - _LOOKBACK_DAYS, today)
                visible = np.flatnonzero((r.registered_s <= now_s) & (r.registered_s >= start * DAY_S))
                issued = r.akta_s[visible] <= now_s
                akta = np.where(issued, r.akta_text[visible], None)
                updated = np.where(issued, r.akta_text[visible], r.registered_text[visible])
                columns = [r.ids[visible], r.event_date[visible], r.registered_text[visible]]
                columns += [akta] if kind.with_akta else []
                columns += [r.kecamatan[visible], r.kanal[visible], updated]
                out[kind.table] = list(zip(*(c.tolist() for c in columns), strict=True))
        return out

