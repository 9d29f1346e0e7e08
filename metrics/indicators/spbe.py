"""The SPBE index of the self-assessments (Diskominfo), judged by the framework in force for the assessment year."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE
from metrics.indicators.shapes import identity, records
from metrics.periods import Period
from metrics.spbe.framework import DEFAULT_FRAMEWORK, Bands, available, framework, in_force


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
    s = records(con, "spbe_penilaian", ("tahun", "versi_kerangka", "nomor_indikator"), "tahun", "versi_kerangka", "nomor_indikator", "tingkat")
    w = _spbe_weights()
    j = s.join(w, [s.versi_kerangka == w.w_versi, s.nomor_indikator.cast("int64") == w.w_nomor])
    j = j.mutate(assessed=j.w_nomor.count().over(group_by=["tahun", "versi_kerangka"]))
    complete = j.filter(j.assessed == j.w_jumlah)
    dated = complete.mutate(tanggal=ibis.date(complete.tahun.cast("int32"), 1, 1))
    dated = dated.filter(dated.tanggal.between(start, end))
    return dated.select("tanggal", nilai=dated.w_bobot * dated.tingkat.cast("float64") / 100.0, **identity(dated))


def _target(bands: Bands) -> Target:
    return Target(bands.target, bands.basis())


def _thresholds(bands: Bands) -> Thresholds:
    return Thresholds(green=bands.green, amber=bands.amber)


# Until an assessment says otherwise, the bands of the framework of the evaluations so far. The framework's data is
# the only source of these numbers: PermenPANRB 59/2020 for the evaluations up to 2025, a later one's own after.
_DECLARED = framework(DEFAULT_FRAMEWORK).bands

SPBE_INDEKS = Indicator(
    id="spbe_indeks",
    name="Indeks SPBE",
    name_en="SPBE index",
    description="Indeks SPBE penilaian mandiri terakhir yang lengkap (jumlah bobot × tingkat kematangan ÷ 100), dengan target dan predikat kerangka yang berlaku untuk tahun penilaiannya (PermenPANRB 59/2020 sampai evaluasi 2025).",
    description_en="SPBE index of the latest complete self-assessment (sum of weight × maturity level ÷ 100), with the target and predicates of the framework in force for its assessment year (PermenPANRB 59/2020 up to the 2025 evaluation).",
    measure="latest", unit="indeks", unit_en="index",
    period=Period("year_to_date"), grain="year",
    target=_target(_DECLARED),
    thresholds=_thresholds(_DECLARED),
    sources=("spbe",),
    query=spbe_indeks,
    dimension=GOVERNANCE, element="birokrasi",
)


def judged_for_year(indicator: Indicator, year: int | None) -> Indicator:
    """The SPBE index's declaration with the target and bands of the framework in force for an assessment year.

    An operator's configured target or bands win, and without an assessment the declaration stays as it is.
    """
    if year is None or (indicator.target, indicator.thresholds) != (SPBE_INDEKS.target, SPBE_INDEKS.thresholds):
        return indicator
    bands = in_force(year).bands
    return replace(indicator, target=_target(bands), thresholds=_thresholds(bands))


INDICATORS: tuple[Indicator, ...] = (SPBE_INDEKS,)
