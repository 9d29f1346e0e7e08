"""The daily attendance record from raw check-ins: first in and last out per nip and WIB day, leave from its own
records, unexcused absence (alpa) once the day is over. One SQL statement, merged on (nip, tanggal).

Which days are derived again: every day from the earliest one this load touched (a punch, a leave record or a
staff-list entry it inserted or changed, all told by their `_load_id`) to today, and always the last OPEN_DAYS,
so that a day's absences are written once it is over even when no new punch arrives. Re-reading the same punches
changes nothing (the punch merge leaves them unchanged and the daily rows come out equal); a late punch is new,
so its day is derived again and updated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from config.sources import DeriveConfig, SourceConfig
from ingest.fields import PARSED, quote_name
from ingest.merge import MergeCounts, merge
from region.calendar import WIB_OFFSET_HOURS

OPEN_DAYS = 7  # a paused or stopped Pantau still writes a week's absences when it resumes


@dataclass(frozen=True)
class Derived:
    """What one derivation wrote: rows made, their merge, and what it could not use (for the load's note)."""

    rows: int = 0
    merged: MergeCounts = MergeCounts()
    note: str | None = None

    def counts(self) -> dict[str, int]:
        m = self.merged
        return {"derived": self.rows, "inserted": m.inserted, "updated": m.updated, "unchanged": m.unchanged}


def _scope_start(cur: duckdb.DuckDBPyConnection, punches: str, roster: str, leave: str, load_id: str, floor: dt.date) -> dt.date:
    """The earliest day this load touched, or `floor` when that is earlier (least() skips NULLs)."""
    return cur.execute(
        f"""SELECT least(
            (SELECT min(waktu_tgl) FROM {punches} WHERE _load_id = $id),
            (SELECT min(mulai) FROM {leave} WHERE _load_id = $id),
            (SELECT min(coalesce(mulai, (SELECT min(waktu_tgl) FROM {punches}))) FROM {roster} WHERE _load_id = $id),
            $floor)""",
        {"id": load_id, "floor": floor},
    ).fetchall()[0][0]


def _daily_sql(punches: str, roster: str, leave: str) -> str:
    """The daily records of every staff member on every reported day in [$start, $today], as `pantau_parsed`."""
    return f"""
    CREATE OR REPLACE TEMP TABLE {PARSED} AS
    WITH
    -- Days the machines reported (a punch from anyone): a day they did not report makes nobody absent.
    reported AS (SELECT DISTINCT waktu_tgl AS tanggal FROM {punches} WHERE waktu_tgl BETWEEN $start AND $today),
    -- Taps count by the minute, so repeated taps in one minute are one punch. The check-in is the first punch not
    -- marked out; the check-out the last not marked in, if more than $gap minutes after the check-in (one tap, or taps
    -- close together, are no check-out). The last such punch is the latest candidate, so one pass finds both.
    day_punches AS (
        SELECT nip, tanggal, masuk, CASE WHEN masuk IS NULL OR last_out > masuk + to_minutes($gap) THEN last_out END AS pulang
        FROM (
            SELECT nip, waktu_tgl AS tanggal,
                   min(date_trunc('minute', waktu_utc)) FILTER (WHERE inout IS DISTINCT FROM 'pulang') + INTERVAL {WIB_OFFSET_HOURS} HOUR AS masuk,
                   max(date_trunc('minute', waktu_utc)) FILTER (WHERE inout IS DISTINCT FROM 'masuk') + INTERVAL {WIB_OFFSET_HOURS} HOUR AS last_out
            FROM {punches} WHERE waktu_tgl BETWEEN $start AND $today GROUP BY ALL
        )
    ),
    staff_days AS (
        SELECT r.nip, r.nama, r.kode_opd, d.tanggal, coalesce(k.hari_kerja, FALSE) AS hari_kerja
        FROM {roster} r
        JOIN reported d ON d.tanggal BETWEEN coalesce(r.mulai, $feed_first) AND coalesce(r.selesai, d.tanggal)
        LEFT JOIN kalender_kerja k ON k.tanggal = d.tanggal
    ),
    -- Overlapping leave records: the one that starts last is the one in force.
    leave_days AS (
        SELECT s.nip, s.tanggal, arg_max(l.jenis, l.mulai) AS jenis
        FROM staff_days s JOIN {leave} l ON l.nip = s.nip AND s.tanggal BETWEEN l.mulai AND coalesce(l.selesai, l.mulai)
        WHERE s.hari_kerja GROUP BY ALL
    )
    SELECT s.nip, s.nama, s.kode_opd, s.tanggal,
           CAST(p.masuk AS TIME) AS jam_masuk, CAST(hour(p.masuk) * 60 + minute(p.masuk) AS INTEGER) AS masuk_menit,
           CAST(p.pulang AS TIME) AS jam_pulang,
           CASE WHEN p.nip IS NOT NULL THEN 'hadir' WHEN lv.jenis IS NOT NULL THEN lv.jenis ELSE 'alpa' END AS status,
           round(date_diff('minute', p.masuk, p.pulang) / 60, 2) AS jam_kerja,
           CAST(0 AS BIGINT) AS _row, $origin AS _origin, CAST(NULL AS VARCHAR) AS _bad_field, CAST(NULL AS VARCHAR) AS _reason
    FROM staff_days s LEFT JOIN day_punches p USING (nip, tanggal) LEFT JOIN leave_days lv USING (nip, tanggal)
    WHERE p.nip IS NOT NULL OR (s.hari_kerja AND (lv.jenis IS NOT NULL OR s.tanggal < $today OR $today_over))
    """


def derive(
    cur: duckdb.DuckDBPyConnection, source: SourceConfig, derived: DeriveConfig, load_id: str, now: dt.datetime, since: dt.date | None = None
) -> Derived:
    """Derive the daily records the load's changes touch and merge them into `derived.table`.

    Args:
        cur: the load's transaction cursor, after every stream of the source has merged.
        source: the source, whose streams `derived` names.
        derived: the derivation's declaration.
        load_id: the load; rows it inserted or changed carry it.
        now: the load's moment (naive UTC): what is today in WIB, and whether today is over.
        since: a backfill's first day, derived again from there.

    Returns:
        Rows derived, their merge counts, and a note on punches of staff not on the staff list.
    """
    punches, roster, leave = (quote_name(source.streams[s].table) for s in (derived.punches, derived.roster, derived.leave))
    feed_first = cur.execute(f"SELECT min(waktu_tgl) FROM {punches}").fetchall()[0][0]
    if feed_first is None:  # no punches at all: the source sends daily summaries, or nothing yet
        return Derived()
    local = now + dt.timedelta(hours=WIB_OFFSET_HOURS)
    today = local.date()
    floor = min(today - dt.timedelta(days=OPEN_DAYS), since or today)
    start = max(_scope_start(cur, punches, roster, leave, load_id, floor), feed_first)
    # A derived row comes from no single file row: its origin states the derivation and what it read.
    origin = f"turunan {derived.table} dari ketukan {punches}, daftar pegawai {roster} dan izin {leave} (nip, tanggal)".replace('"', "")
    parameters = {"origin": origin, "start": start, "today": today, "today_over": local.time() >= derived.day_over, "gap": derived.gap_minutes, "feed_first": feed_first}
    cur.execute(_daily_sql(punches, roster, leave), parameters)
    rows = cur.execute(f"SELECT count(*) FROM {PARSED}").fetchall()[0][0]
    unknown = cur.execute(
        f"SELECT count(DISTINCT nip) FROM {punches} WHERE waktu_tgl BETWEEN $start AND $today AND nip NOT IN (SELECT nip FROM {roster})",
        {"start": start, "today": today},
    ).fetchall()[0][0]
    # merge reads the target's table, key, version and columns(), which a derivation declares as a stream does.
    merged = merge(cur, derived, load_id)  # drops pantau_parsed
    note = f"{unknown} NIP dengan ketukan tidak ada di daftar pegawai; rekap hariannya dibuat setelah mereka ada di daftar" if unknown else None
    return Derived(rows=rows, merged=merged, note=note)
