"""Fire and rescue (Satpol PP dan Damkar): how soon the brigade reaches an incident."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import SOCIETY
from metrics.indicators.shapes import facts, records


def damkar_respons_15m(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Fire and rescue incidents by report day; good when reached within 15 minutes (never reached: not good)."""
    d = records(con, "damkar_kejadian", ("id",), "dilaporkan_utc", "dilaporkan_tgl", "tiba_utc", "kode_kecamatan")
    reported = d.filter(d.dilaporkan_tgl.between(start, end))
    reached = reported.tiba_utc.notnull() & (reported.tiba_utc.delta(reported.dilaporkan_utc, unit="second") <= 15 * 60)
    return facts(reported, reported.dilaporkan_tgl, reached, "kode_kecamatan")


DAMKAR_RESPONS_15M = Indicator(
    id="damkar_respons_15m",
    name="Damkar tiba ≤ 15 menit",
    name_en="Fire brigade on scene within 15 minutes",
    short_en="Fire brigade ≤ 15 min",
    description="Persentase kejadian kebakaran dan penyelamatan yang didatangi paling lambat 15 menit setelah laporan, 30 hari terakhir.",
    description_en="Share of fire and rescue incidents reached within 15 minutes of the report, last 30 days.",
    target=Target(100.0, "Target daerah (konfigurasi); batas 15 menit juga ditetapkan daerah"),
    thresholds=Thresholds(green=100.0, amber=80.0),
    sources=("damkar",),
    query=damkar_respons_15m,
    breakdowns=("kode_kecamatan",),
    dimension=SOCIETY, element="keamanan",
)


INDICATORS: tuple[Indicator, ...] = (DAMKAR_RESPONS_15M,)
