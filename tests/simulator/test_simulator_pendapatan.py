"""The simulated BPKD revenue system: deterministic tax and levy payments, realistic in scale, rhythm and channel."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from conftest import Clock
from region.calendar import WIB, WorkingCalendar
from region.kecamatan import all_kecamatan, normalise_kecamatan
from simulator import SimulatedOPDs
from simulator.pendapatan import JENIS, KANAL, Pendapatan
from tests.simulated import HISTORY, NOW, sql_digest

KODES = {k.kode for k in all_kecamatan()}
NONTUNAI = {"QRIS", "TRANSFER", "VA"}
CAL = WorkingCalendar()


@cache
def _rows(seed: int = 2019, days: int = 800) -> list[tuple]:
    return Pendapatan(seed, days).rows(NOW)["pembayaran"]


def _standing(year: int) -> list[tuple]:
    return [r for r in _rows() if r[5].startswith(str(year)) and r[6] == "LUNAS" and r[4] > 0]


def test_same_seed_and_now_give_the_same_rows_whatever_the_window():
    short = Pendapatan(2019, 60).rows(NOW)["pembayaran"]
    assert short == Pendapatan(2019, 60).rows(NOW)["pembayaran"] != Pendapatan(3, 60).rows(NOW)["pembayaran"]
    start = (NOW - dt.timedelta(days=60)).date().isoformat()
    assert short == [r for r in Pendapatan(2019, 120).rows(NOW)["pembayaran"] if r[5][:10] >= start]


def test_row_invariants():
    rows = _rows()
    assert len({r[0] for r in rows}) == len(rows)
    codes = {j.kode for j in JENIS}
    for id_, jenis, kanal, kecamatan, jumlah, dibayar, status, diperbarui in rows:
        assert re.fullmatch(r"BYR-\d{6}-\d{6}", id_) and id_[4:10] == dibayar[:7].replace("-", "")
        assert jenis in codes and kanal in KANAL and status in ("LUNAS", "BATAL") and isinstance(jumlah, int)
        assert dibayar <= diperbarui <= NOW.strftime("%Y-%m-%d %H:%M:%S")
        assert kecamatan is None or jenis != "PBJT-LISTRIK"  # PLN remits for the whole regency
    assert {r[3] for r in rows if r[3]} - KODES  # some cashiers type the kecamatan by name
    unknown = [r for r in rows if r[3] and normalise_kecamatan(r[3]) is None]
    zero = [r for r in rows if r[4] == 0]
    assert len([r for r in rows if r[3] is None and r[1] != "PBJT-LISTRIK"]) <= 0.002 * len(rows)  # left empty
    assert 0 < len(unknown) <= 0.005 * len(rows) and 0 < len(zero) <= 0.005 * len(rows)  # rare rejects
    reversed_ = [r for r in rows if r[6] == "BATAL"]
    assert 0 < len(reversed_) <= 0.01 * len(rows) and all(r[7] > r[5] for r in reversed_)


def test_volume_is_a_regency_of_some_430_thousand_people():
    year = _standing(2025)
    total = sum(r[4] for r in year)
    assert 40_000 <= len(year) <= 70_000 and 70e9 <= total <= 110e9  # illustrative: a hundred-odd billion PAD
    pln = [r for r in year if r[1] == "PBJT-LISTRIK"]
    assert len(pln) == 12 and {r[5][:7] for r in pln} == {f"2025-{m:02d}" for m in range(1, 13)}
    assert all(r[2] == "TRANSFER" for r in pln) and 0.2 < sum(r[4] for r in pln) / total < 0.35


def test_pbb_piles_up_before_its_due_date_and_monthly_taxes_by_the_tenth():
    months = defaultdict(int)
    for r in _standing(2025):
        if r[1] == "PBB-P2":
            months[int(r[5][5:7])] += r[4]
    assert months[9] == max(months.values()) and months[9] > 3 * months[2]
    mamin = [int(r[5][8:10]) for r in _standing(2025) if r[1] == "PBJT-MAMIN"]
    assert sum(d <= 10 for d in mamin) > 0.7 * len(mamin)


def test_channels_and_kecamatan_differ_and_cash_gives_way():
    by_type = defaultdict(lambda: defaultdict(int))
    for r in _standing(2026):
        by_type[r[1]][r[2]] += r[4]
    assert by_type["BPHTB"]["TUNAI"] == 0 and by_type["RET-PASAR"]["TUNAI"] > 0.7 * sum(by_type["RET-PASAR"].values())

    def nontunai_share(rows: list[tuple]) -> dict[str, float]:
        paid, digital = defaultdict(int), defaultdict(int)
        for r in rows:
            kecamatan = normalise_kecamatan(r[3]) if r[3] else None
            if kecamatan:
                paid[kecamatan] += r[4]
                digital[kecamatan] += r[4] * (r[2] in NONTUNAI)
        return {k: digital[k] / paid[k] for k in paid}

    shares = nontunai_share(_standing(2026))
    assert set(shares) == KODES and max(shares.values()) - min(shares.values()) > 0.25

    def cash_share(year: int) -> float:
        rows = [r for r in _standing(year) if r[5][5:7] <= "10"]
        return sum(r[4] for r in rows if r[2] == "TUNAI") / sum(r[4] for r in rows)

    assert cash_share(2026) < cash_share(2025)


def test_collectors_cash_is_recorded_when_deposited_the_next_working_day():
    collected = [r for r in _standing(2026) if r[1] == "RET-PASAR" and r[2] == "TUNAI"]
    for r in collected[:500]:
        paid, recorded = dt.date.fromisoformat(r[5][:10]), dt.date.fromisoformat(r[7][:10])
        assert recorded > paid and CAL.working_days_between(paid, recorded) == 1
    online = [r for r in _standing(2026) if r[2] == "QRIS"][:500]
    assert all(dt.datetime.fromisoformat(r[7]) - dt.datetime.fromisoformat(r[5]) < dt.timedelta(minutes=10) for r in online)


def test_rows_appear_and_reversals_update_them_as_time_passes():
    source = Pendapatan(2019, history_start=dt.date(2026, 10, 1))
    now = {r[0]: r for r in source.rows(NOW)["pembayaran"]}
    later = {r[0]: r for r in source.rows(NOW + dt.timedelta(days=14))["pembayaran"]}
    assert set(now) < set(later)
    changed = [i for i in now if later[i] != now[i]]
    assert changed and all(now[i][6] == "LUNAS" and later[i][6] == "BATAL" and later[i][7] > now[i][7] for i in changed)


def test_sqlite_sync_is_idempotent_and_moves_forward(tmp_path: Path):
    clock = Clock(NOW)
    sims = SimulatedOPDs(tmp_path, history_days=HISTORY, now=clock)
    sims.sync()
    url = sims.connection("pendapatan")["database_url"]
    first = sql_digest(url)
    assert set(first) == {"pembayaran"} and first["pembayaran"][0] > 50 * HISTORY
    sims.sync()
    assert sql_digest(url) == first
    sims.sync(NOW + dt.timedelta(days=2))
    moved = sql_digest(url)
    assert moved["pembayaran"][0] > first["pembayaran"][0]
    sims.sync(NOW)  # an earlier clock undoes nothing
    assert sql_digest(url) == moved
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            indexes = set(con.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
            newest = con.execute(sa.text("SELECT max(diperbarui_pada) FROM pembayaran")).scalar_one()
    finally:
        engine.dispose()
    assert "ix_pembayaran_diperbarui_pada" in indexes
    assert newest <= (NOW + dt.timedelta(days=2)).astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S")
