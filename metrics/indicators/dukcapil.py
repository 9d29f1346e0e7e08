"""Civil registration (Disdukcapil): UU 23/2006 as amended by UU 24/2013."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE, SPBE_SERVICE
from metrics.indicators.shapes import facts, records, values


def registered_within(con: ibis.BaseBackend, start: dt.date, end: dt.date, table: str, event: str, days: int) -> ibis.Table:
    """Registrations in `table` by registration day; good when registered within `days` days of the `event` date.

    Args:
        con, start, end: the backend and the registration days to count.
        table: a civil-registration table with `daftar_tgl` (registered on) and `kode_kecamatan`.
        event: the column dating what was registered (a birth, a death).
        days: the legal limit in calendar days.
    """
    r = records(con, table, ("id",), event, "daftar_tgl", "kode_kecamatan")
    registered = r.filter(r.daftar_tgl.between(start, end))
    return facts(registered, registered.daftar_tgl, registered.daftar_tgl.delta(registered[event], unit="day") <= days, "kode_kecamatan")


def lahir_tercatat_60h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Birth registrations by registration day; good when within 60 days of the birth."""
    return registered_within(con, start, end, "dukcapil_kelahiran", "tanggal_lahir", days=60)


LAHIR_TERCATAT_60H = Indicator(
    id="lahir_tercatat_60h",
    name="Kelahiran tercatat ≤ 60 hari",
    name_en="Births registered within 60 days",
    short="Kelahiran ≤ 60 hari", short_en="Births ≤ 60 days",
    description="Persentase kelahiran yang didaftarkan paling lambat 60 hari setelah lahir, dari pendaftaran 30 hari terakhir.",
    description_en="Share of births registered within 60 days of the birth, of registrations in the last 30 days.",
    target=Target(95.0, "Target daerah (konfigurasi); batas 60 hari menurut UU 23/2006 jo. UU 24/2013"),
    thresholds=Thresholds(green=95.0, amber=85.0),
    sources=("dukcapil",),
    query=lahir_tercatat_60h,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE, wall=True,
)


def akta_terbit_median(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Birth certificates by issue day; `nilai` is the days from registration to issue."""
    b = records(con, "dukcapil_kelahiran", ("id",), "daftar_tgl", "akta_terbit_tgl", "kode_kecamatan")
    issued = b.filter(b.akta_terbit_tgl.between(start, end))
    return values(issued, issued.akta_terbit_tgl, "kode_kecamatan", nilai=issued.akta_terbit_tgl.delta(issued.daftar_tgl, unit="day").cast("float64"))


AKTA_TERBIT_MEDIAN = Indicator(
    id="akta_terbit_median",
    name="Lama terbit akta kelahiran (median)",
    name_en="Median birth-certificate issue time",
    short="Lama terbit akta", short_en="Certificate issue time",
    description="Median hari dari pendaftaran kelahiran sampai akta terbit, untuk akta yang terbit 30 hari terakhir.",
    description_en="Median days from birth registration to certificate issue, for certificates issued in the last 30 days.",
    measure="median", unit="hari", unit_en="days", direction="lower",
    target=Target(1.0, "Target daerah (konfigurasi); layanan Dukcapil lazimnya selesai di hari yang sama"),
    thresholds=Thresholds(green=1.0, amber=3.0),
    sources=("dukcapil",),
    query=akta_terbit_median,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE,
)


def kematian_tercatat_30h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Death registrations by registration day; good when within 30 days of the death."""
    return registered_within(con, start, end, "dukcapil_kematian", "tanggal_meninggal", days=30)


KEMATIAN_TERCATAT_30H = Indicator(
    id="kematian_tercatat_30h",
    name="Kematian tercatat ≤ 30 hari",
    name_en="Deaths registered within 30 days",
    short="Kematian ≤ 30 hari", short_en="Deaths ≤ 30 days",
    description="Persentase kematian yang didaftarkan paling lambat 30 hari setelah kejadian, dari pendaftaran 30 hari terakhir.",
    description_en="Share of deaths registered within 30 days, of registrations in the last 30 days.",
    target=Target(90.0, "Target daerah (konfigurasi); pelaporan kematian lazimnya paling lambat 30 hari"),
    thresholds=Thresholds(green=90.0, amber=80.0),
    sources=("dukcapil",),
    query=kematian_tercatat_30h,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE,
)


INDICATORS: tuple[Indicator, ...] = (LAHIR_TERCATAT_60H, AKTA_TERBIT_MEDIAN, KEMATIAN_TERCATAT_30H)
