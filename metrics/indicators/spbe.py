"""The SPBE index (PermenPANRB 59/2020) of the self-assessments (Diskominfo)."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE
from metrics.periods import Period
from metrics.spbe.framework import available, framework


def _spbe_weights() -> ibis.Table:
    """Each framework version's indicators: weight (%) and how many the version has, to tell a complete year."""
    rows = [
        {"w_versi": framework(f).name.split(" (")[0], "w_nomor": i.number, "w_bobot": float(i.weight), "w_jumlah": len(framework(f).indicators)}
        for f in available()
        for i in framework(f).indicators
    ]
    return ibis.memtable(rows, schema={"w_versi": "string", "w_nomor": "int64", "w_bobot": "float64", "w_jumlah": "int64"})


def spbe_indeks(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each complete self-assessment year, dated 1 January (it stands for its year from import on): `nilai` is each
    indicator's weight (%) × level ÷ 100.

    The index is their sum (PermenPANRB 59/2020); a year missing an indicator is left out rather than understated.
    """
    s = con.table("spbe_penilaian").select("tahun", "versi_kerangka", "nomor_indikator", "tingkat")
    w = _spbe_weights()
    j = s.join(w, [s.versi_kerangka == w.w_versi, s.nomor_indikator.cast("int64") == w.w_nomor])
    j = j.mutate(assessed=j.w_nomor.count().over(group_by=["tahun", "versi_kerangka"]))
    complete = j.filter(j.assessed == j.w_jumlah)
    dated = complete.mutate(tanggal=ibis.date(complete.tahun.cast("int32"), 1, 1))
    dated = dated.filter(dated.tanggal.between(start, end))
    return dated.select("tanggal", nilai=dated.w_bobot * dated.tingkat.cast("float64") / 100.0)


SPBE_INDEKS = Indicator(
    id="spbe_indeks",
    name="Indeks SPBE",
    name_en="SPBE index",
    description="Indeks SPBE penilaian mandiri terakhir yang lengkap (PermenPANRB 59/2020: jumlah bobot × tingkat kematangan); predikat Memuaskan mulai 4,2.",
    description_en="SPBE index of the latest complete self-assessment (PermenPANRB 59/2020: sum of weight × maturity level); rated Memuaskan from 4.2.",
    measure="latest", unit="indeks", unit_en="index",
    period=Period("year_to_date"), grain="year",
    target=Target(4.2, "Predikat Memuaskan (PermenPANRB 59/2020: 4,2-5,0)"),
    thresholds=Thresholds(green=4.2, amber=3.5),
    sources=("spbe",),
    query=spbe_indeks,
    dimension=GOVERNANCE, element="birokrasi",
)


INDICATORS: tuple[Indicator, ...] = (SPBE_INDEKS,)
