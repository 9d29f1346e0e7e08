"""Simulated BPKD regional revenue system: tax and levy payments (pajak daerah, retribusi) in a SQLite database file.

In Padang Pariaman regional finance and revenue sit with BPKD (Badan Pengelolaan Keuangan Daerah): the regency has
no separate Bapenda, so the source is named after what it holds (`pendapatan`), not after an agency it lacks.

The scale is illustrative, not official: about Rp 90 billion of taxes and levies a year in 2026 (a regency's
own-source revenue, PAD, is of the order of a hundred-odd billion rupiah, part of it outside this system), in some
55,000 payments a year. PBB-P2 payments are fewer and larger than real SPPT counts, so the history stays light.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from simulator.days import DAY_S, DayTable, day_date, day_number, local_texts, months_between
from simulator.geometri import PARIT_MALINTANG, kecamatan_centroids, km_between
from simulator.rng import rng_for
from simulator.sqlfile import SqlSystem, Table
from simulator.wilayah import kecamatan_texts, kecamatan_weights

# Channels as the system writes them; Pantau's contract reads "VA" as virtual_account.
KANAL = ("QRIS", "TRANSFER", "VA", "TELLER", "TUNAI")
QRIS, TRANSFER, VA, TELLER, TUNAI = range(len(KANAL))
_DAY_2026 = day_number(dt.date(2026, 1, 1))
_CASH_FALL_PER_YEAR = 0.12  # cash and teller payments give way to QRIS and virtual accounts, year by year
_CANCELLED = 0.003  # payments reversed later (paid twice, wrong object): rows updated to "BATAL"
_ZERO_AMOUNT = 0.001  # a nominal typed as 0 at the counter: rare rejects


@dataclass(frozen=True)
class Jenis:
    """One kind of tax or levy as the system codes it, with its illustrative volume and how it is paid.

    Attributes:
        kode: the system's code for it.
        per_year: payments a year at the 2026 level.
        mean_rp: mean payment in rupiah (lognormal with spread `sigma`).
        kanal: weights of QRIS, transfer, virtual account, teller, cash.
        months: relative volume by calendar month (January first), e.g. PBB-P2 piling up before its due date.
        rhythm: "office" (mostly working days), "due10" (monthly self-assessed taxes paid by the 10th),
            "daily" (levies collected every day), "weekend" (recreation sites, busiest on days off).
        regional: paid for an object in a kecamatan; False for a regency-wide remittance (no kecamatan).
    """

    kode: str
    per_year: float
    mean_rp: float
    sigma: float
    kanal: tuple[float, float, float, float, float]
    months: tuple[float, ...] = (1,) * 12
    rhythm: str = "office"
    regional: bool = True


_YEAR_END = (0.9, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1.05, 1.3)  # offices chase the year's target in December
JENIS: tuple[Jenis, ...] = (
    # PBB-P2 falls due on 30 September here (illustrative); many rural payers pay cash to a nagari collector.
    Jenis("PBB-P2", 20_000, 450_000, 0.9, (0.12, 0.04, 0.16, 0.30, 0.38), (0.3, 0.3, 0.6, 1, 1, 1.1, 1.3, 2, 3.2, 0.6, 0.4, 0.7)),
    Jenis("BPHTB", 2_600, 6_000_000, 1.0, (0, 0.35, 0.30, 0.35, 0), (0.8, 0.85, 0.95, 1, 1, 1, 1, 1, 1, 1.05, 1.1, 1.35)),
    # PLN collects the tax on electricity with its bills and remits it once a month, by transfer.
    Jenis("PBJT-LISTRIK", 12, 2_250_000_000, 0.04, (0, 1, 0, 0, 0), rhythm="monthly", regional=False),
    Jenis("PBJT-MAMIN", 7_200, 1_250_000, 0.8, (0.30, 0.10, 0.20, 0.20, 0.20), rhythm="due10"),
    Jenis("PBJT-HOTEL", 720, 3_500_000, 0.8, (0.10, 0.35, 0.30, 0.15, 0.10), rhythm="due10"),
    Jenis("PBJT-PARKIR", 480, 1_700_000, 0.7, (0.25, 0.05, 0.10, 0.20, 0.40), rhythm="due10"),
    Jenis("PBJT-HIBURAN", 600, 2_000_000, 0.8, (0.25, 0.10, 0.10, 0.25, 0.30), rhythm="due10"),
    Jenis("REKLAME", 1_500, 1_600_000, 0.9, (0.05, 0.25, 0.20, 0.30, 0.20), (2, 1.6, 1.2, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7)),
    Jenis("PAT", 960, 1_150_000, 0.7, (0, 0.45, 0.10, 0.35, 0.10), rhythm="due10"),
    Jenis("MBLB", 1_200, 5_400_000, 0.9, (0, 0.40, 0.10, 0.35, 0.15), rhythm="due10"),
    Jenis("RET-PASAR", 9_000, 600_000, 0.6, (0.20, 0, 0, 0, 0.80), rhythm="daily"),
    Jenis("RET-PARKIR", 3_000, 650_000, 0.6, (0.12, 0, 0, 0, 0.88), rhythm="daily"),
    Jenis("RET-SAMPAH", 3_000, 700_000, 0.8, (0.15, 0, 0.20, 0.10, 0.55)),
    Jenis("RET-PBG", 600, 5_000_000, 1.0, (0, 0.40, 0.30, 0.30, 0)),
    Jenis("RET-REKREASI", 2_500, 900_000, 0.7, (0.35, 0, 0, 0, 0.65), (1.3, 0.8, 0.8, 1, 1, 1.3, 1.4, 0.9, 0.8, 0.8, 0.8, 1.3), rhythm="weekend"),
)
# Collected in cash by collectors in the field (markets, parking, sites, nagari PBB collectors) and recorded when
# the collector deposits the money, the next working day; cash at the office counter is recorded at once.
_COLLECTED = frozenset({"PBB-P2", "RET-PASAR", "RET-PARKIR", "RET-REKREASI"})
_ALL_DAYS = frozenset({"daily", "weekend"})

PEMBAYARAN = Table(
    "pembayaran",
    """
    CREATE TABLE IF NOT EXISTS pembayaran (
        id TEXT PRIMARY KEY,
        jenis_pajak TEXT NOT NULL,
        kanal TEXT NOT NULL,
        kode_kecamatan TEXT,
        jumlah NUMERIC NOT NULL,
        dibayar_pada TEXT NOT NULL,
        status TEXT NOT NULL,
        diperbarui_pada TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ix_pembayaran_diperbarui_pada ON pembayaran (diperbarui_pada)
    """,
    ("id", "jenis_pajak", "kanal", "kode_kecamatan", "jumlah", "dibayar_pada", "status", "diperbarui_pada"),
)


@cache
def _cash_factor(seed: int) -> np.ndarray:
    # Per kecamatan: how much more (or less) its payers use cash than the regency as a whole. Far from the capital
    # (and its banks and QRIS merchants) cash holds on; stable for a seed, so the map shows the same pattern.
    centre = kecamatan_centroids()
    km = km_between(centre[:, 0], centre[:, 1], *PARIT_MALINTANG)
    spread = rng_for(seed, "pendapatan", "kecamatan").uniform(0.75, 1.3, len(km))
    return (0.35 + 1.7 * km / km.max()) * spread


def _day_weights(jenis: Jenis, table: DayTable, days: np.ndarray) -> np.ndarray:
    """Relative volume of each day of a month (mean 1 over the month's days)."""
    working = table.is_working(days).astype(float)
    weekday = table.weekdays(days)
    if jenis.rhythm == "daily":
        weight = np.ones(len(days))
    elif jenis.rhythm == "weekend":
        weight = np.where(working > 0, 0.6, 2.0)
    elif jenis.rhythm == "due10":
        dom = np.array([day_date(d).day for d in days])
        weight = np.where(dom <= 10, 1.0 + dom / 2.5, 0.25) * np.where(working > 0, 1.0, 0.2)
    else:  # office; QRIS and virtual accounts still take a few payments on days off
        weight = np.where(working > 0, 1.0, np.where(weekday == 5, 0.25, 0.12))
    return weight / weight.mean()


def _growth(day: np.ndarray | int) -> np.ndarray:
    return np.exp(0.06 * (np.asarray(day) - _DAY_2026) / 365.25)


@dataclass(frozen=True)
class MonthPayments:
    """The payments made in one calendar month, in order of payment time, and what happens to each later."""

    paid_s: np.ndarray  # local seconds
    recorded_s: np.ndarray  # when the row appears in the system
    cancelled_s: np.ndarray  # when it is reversed; -1 when never
    jenis: np.ndarray  # index into JENIS
    kanal: np.ndarray  # index into KANAL
    kecamatan: np.ndarray  # text as written; "" for a regency-wide remittance
    jumlah: np.ndarray  # rupiah


def generate_month(seed: int, month: tuple[int, int], table: DayTable) -> MonthPayments:
    """The payments of one calendar month, a pure function of (seed, month).

    Args:
        seed: simulator seed.
        month: (first, last) day numbers, from `month_span`.
        table: calendar facts covering the month and a month after it.
    """
    first, last = month
    rng = rng_for(seed, "pendapatan", day_date(first).strftime("%Y-%m"))
    days = np.arange(first, last + 1)
    m = day_date(first).month - 1
    codes, kec_p = kecamatan_weights()
    cash_factor = _cash_factor(seed)
    parts: list[tuple[np.ndarray, ...]] = []
    for j, jenis in enumerate(JENIS):
        if jenis.rhythm == "monthly":
            pay_day = table.next_working_on_or_after(np.array([first + 14]))
            amount = jenis.mean_rp * _growth(first) * rng.normal(1.0, jenis.sigma, 1)
            tod = np.array([10 * 3600]) + rng.integers(0, 4 * 3600, 1)
            parts.append((pay_day * DAY_S + tod, np.full(1, j), np.full(1, TRANSFER), np.full(1, -1), amount))
            continue
        months = np.array(jenis.months) / np.mean(jenis.months) * np.array(_YEAR_END)
        expected = jenis.per_year / 365.25 * months[m] * _day_weights(jenis, table, days) * _growth(days)
        day = np.repeat(days, rng.poisson(expected))
        n = len(day)
        kec = rng.choice(len(codes), n, p=kec_p)
        years = (day - _DAY_2026) / 365.25
        weights = np.tile(np.array(jenis.kanal), (n, 1))
        weights[:, TUNAI] *= cash_factor[kec] * np.exp(-_CASH_FALL_PER_YEAR * years)
        weights[:, TELLER] *= cash_factor[kec] * np.exp(-_CASH_FALL_PER_YEAR / 2 * years)
        weights[:, :TELLER] /= cash_factor[kec, None]
        cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        kanal = (rng.random((n, 1)) > cumulative).sum(axis=1).clip(0, len(KANAL) - 1)
        # A bank counter or the office counter is shut on days off: such a payer pays by QRIS or virtual account.
        closed = ~table.is_working(day).astype(bool)
        office_cash = (kanal == TUNAI) & (jenis.rhythm not in _ALL_DAYS)
        kanal = np.where(closed & (kanal == TELLER), VA, np.where(closed & office_cash, QRIS, kanal))
        # Times of day: counters in office hours, collectors from early morning, apps any time but mostly by day.
        counter = table.opening_s(day) + 1800 + rng.random(n) * (table.closing_s(day) - 3600 - table.opening_s(day) - 1800)
        field = 7 * 3600 + rng.random(n) * 10 * 3600
        online = 6 * 3600 + rng.beta(2.2, 2.0, n) * 17 * 3600
        tod = np.where(np.isin(kanal, (TELLER, TUNAI)), np.where(jenis.rhythm in _ALL_DAYS, field, counter), online)
        amount = jenis.mean_rp * np.exp(rng.normal(-jenis.sigma**2 / 2, jenis.sigma, n)) * _growth(day)
        parts.append((day * DAY_S + tod.astype("int64"), np.full(n, j), kanal, kec, amount))
    paid = np.concatenate([p[0] for p in parts]).astype("int64")
    order = np.argsort(paid, kind="stable")
    paid = paid[order]
    jenis_ix, kanal, kec = (np.concatenate([p[i] for p in parts])[order] for i in (1, 2, 3))
    jumlah = np.maximum(np.round(np.concatenate([p[4] for p in parts])[order], -2), 1000)
    n = len(paid)
    jumlah = np.where(rng.random(n) < _ZERO_AMOUNT, 0, jumlah).astype("int64")
    regional = np.array([JENIS[j].regional for j in jenis_ix], dtype=bool)
    kec_text = np.where(regional, kecamatan_texts(rng, np.maximum(kec, 0), name_share=0.06, bad_share=0.002), "")

    # Electronic channels and counters record the payment within minutes; collectors deposit the next working day.
    collected = np.isin(jenis_ix, [i for i, j in enumerate(JENIS) if j.kode in _COLLECTED]) & (kanal == TUNAI)
    paid_day = paid // DAY_S
    deposit_day = table.add_working_days(paid_day, np.ones(n, dtype="int64"))
    deposit = deposit_day * DAY_S + table.opening_s(deposit_day) + rng.integers(1800, 5 * 3600, n)
    recorded = np.where(collected, deposit, paid + rng.integers(5, 600, n))
    later = table.add_working_days(recorded // DAY_S, rng.integers(1, 10, n))
    cancelled = np.where(rng.random(n) < _CANCELLED, later * DAY_S + 10 * 3600 + rng.integers(0, 5 * 3600, n), -1)
    return MonthPayments(paid, recorded, cancelled, jenis_ix, kanal, kec_text, jumlah)


@dataclass(frozen=True)
class _Texts:
    """A month's payments with ids and text columns ready, as numpy arrays in payment order."""

    batch: MonthPayments
    ids: np.ndarray
    jenis: np.ndarray
    kanal: np.ndarray
    kecamatan: np.ndarray  # None for a regency-wide remittance
    paid: np.ndarray
    recorded: np.ndarray
    cancelled: np.ndarray


class Pendapatan(SqlSystem):
    """The revenue system's payments as of any moment: a row once recorded, updated when a payment is reversed."""

    SCHEMA = "pendapatan-schema-1"
    TABLES = (PEMBAYARAN,)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._months: dict[int, _Texts] = {}

    def _month(self, span: tuple[int, int]) -> _Texts:
        cached = self._months.get(span[0])
        if cached is None:
            b = generate_month(self.seed, span, self._calendar.table(span[0], span[1] + 45))
            # Receipt numbers follow payment order within the month, so they never change as the window moves.
            ids = np.char.add(f"BYR-{day_date(span[0]):%Y%m}-", np.char.zfill(np.arange(1, len(b.paid_s) + 1).astype(str), 6))
            cached = self._months[span[0]] = _Texts(
                batch=b, ids=ids, jenis=np.array([j.kode for j in JENIS])[b.jenis], kanal=np.array(KANAL)[b.kanal],
                kecamatan=np.where(b.kecamatan == "", None, b.kecamatan.astype(object)),
                paid=np.array(local_texts(b.paid_s)), recorded=np.array(local_texts(b.recorded_s)),
                cancelled=np.array(local_texts(np.maximum(b.cancelled_s, 0))),
            )
        return cached

    def rows(self, now: dt.datetime) -> dict[str, list[tuple]]:
        """Rows as the database holds them at `now`, in PEMBAYARAN.columns order.

        Args:
            now: the moment (aware); a payment exists once recorded, and turns "BATAL" once reversed.

        Returns:
            {"pembayaran": [...]}, in payment order.
        """
        now_s, start, today = self.window(now)
        out: list[tuple] = []
        with self._lock:
            for span in months_between(start, today):
                m = self._month(span)
                b = m.batch
                v = np.flatnonzero((b.recorded_s <= now_s) & (b.paid_s >= start * DAY_S))
                reversed_ = (b.cancelled_s[v] >= 0) & (b.cancelled_s[v] <= now_s)
                columns = (
                    m.ids[v], m.jenis[v], m.kanal[v], m.kecamatan[v], b.jumlah[v], m.paid[v],
                    np.where(reversed_, "BATAL", "LUNAS"), np.where(reversed_, m.cancelled[v], m.recorded[v]),
                )
                out += zip(*(c.tolist() for c in columns), strict=True)
        return {"pembayaran": out}
