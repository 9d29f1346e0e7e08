"""A question and a drill-down read from and written to a URL's query string, every bad parameter named; the spans
its named periods and comparisons stand for; and its filters keeping an indicator's rows."""

import datetime as dt
from dataclasses import replace

import ibis
import pytest

from metrics.catalogue import BY_ID
from metrics.question import (
    BadQuestion,
    Drill,
    Question,
    drill_from_args,
    filtered,
    period_span,
    previous_span,
    question_from_args,
    year_before_dates,
)
from region.calendar import WIB

D = dt.date
TODAY = D(2026, 11, 27)
IZIN = BY_ID["izin_tepat_waktu"]


def test_a_full_question_reads_back_from_its_args():
    q = Question("pembayaran_nontunai", period="rentang", start=D(2026, 1, 1), end=D(2026, 6, 30), grain="week", comparison="tahun_lalu",
                 by="kanal", as_of=dt.datetime(2026, 11, 30, 23, 59, tzinfo=WIB)).with_filter("kode_kecamatan", ("13.05.02", "13.05.01", "13.05.02"))
    args = q.to_args()
    assert args["f_kode_kecamatan"] == "13.05.01,13.05.02" and args["satuan"] == "minggu" and args["pada"] == "2026-11-30 23:59"
    assert question_from_args(args, BY_ID) == q
    assert question_from_args(args, BY_ID).key() == q.key()


def test_defaults_are_left_out_of_the_args():
    assert Question("izin_tepat_waktu").to_args() == {"indikator": "izin_tepat_waktu"}
    assert question_from_args({"indikator": "izin_tepat_waktu"}, BY_ID) == Question("izin_tepat_waktu")


def test_a_filter_without_members_is_no_filter():
    q = Question("izin_tepat_waktu").with_filter("kode_kecamatan", ("13.05.01",)).with_filter("kode_kecamatan", ())
    assert q.filters == () and question_from_args({"indikator": "izin_tepat_waktu", "f_kode_kecamatan": " , "}, BY_ID).filters == ()


@pytest.mark.parametrize(("choice", "span"), [
    ("30_hari", (D(2026, 10, 29), TODAY)),
    ("bulan_lalu", (D(2026, 10, 1), D(2026, 10, 31))),
    ("kuartal_ini", (D(2026, 10, 1), TODAY)),
    ("tahun_berjalan", (D(2026, 1, 1), TODAY)),
    ("tahun_lalu", (D(2025, 1, 1), D(2025, 12, 31))),
    ("bawaan", IZIN.period.span(TODAY)),
])
def test_named_periods(choice, span):
    assert period_span(choice, IZIN, TODAY) == span == Question("izin_tepat_waktu", period=choice).span(IZIN, TODAY)


def test_a_custom_range_is_its_own_span():
    assert Question("izin_tepat_waktu", period="rentang", start=D(2026, 2, 3), end=D(2026, 2, 9)).span(IZIN, TODAY) == (D(2026, 2, 3), D(2026, 2, 9))


def test_comparison_spans():
    assert previous_span((D(2026, 10, 29), D(2026, 11, 27))) == (D(2026, 9, 29), D(2026, 10, 28))
    assert previous_span((D(2026, 3, 1), D(2026, 3, 1))) == (D(2026, 2, 28), D(2026, 2, 28))
    assert year_before_dates((D(2028, 2, 1), D(2028, 2, 29))) == (D(2027, 2, 1), D(2027, 2, 28))


@pytest.mark.parametrize(("args", "param"), [
    ({}, "indikator"),
    ({"indikator": "tidak_ada"}, "indikator"),
    ({"indikator": "izin_tepat_waktu", "periode": "minggu_ini"}, "periode"),
    ({"indikator": "izin_tepat_waktu", "periode": "rentang", "sampai": "2026-11-01"}, "dari"),
    ({"indikator": "izin_tepat_waktu", "periode": "rentang", "dari": "2026-11-02", "sampai": "2026-11-01"}, "dari"),
    ({"indikator": "izin_tepat_waktu", "periode": "rentang", "dari": "2000-01-01", "sampai": "2026-11-01"}, "sampai"),
    ({"indikator": "izin_tepat_waktu", "periode": "rentang", "dari": "1999-12-31", "sampai": "2026-11-01"}, "dari"),
    ({"indikator": "izin_tepat_waktu", "satuan": "jam"}, "satuan"),
    ({"indikator": "izin_tepat_waktu", "banding": "kemarin"}, "banding"),
    ({"indikator": "izin_tepat_waktu", "rinci": "kanal"}, "rinci"),
    ({"indikator": "izin_tepat_waktu", "f_kode_opd": "BKPSDM"}, "f_kode_opd"),
    ({"indikator": "izin_tepat_waktu", "f_kode_kecamatan": ",".join(str(n) for n in range(201))}, "f_kode_kecamatan"),
    ({"indikator": "izin_tepat_waktu", "pada": "besok"}, "pada"),
    ({"indikator": "izin_tepat_waktu", "pada": "2027-01-01 00:00"}, "pada"),
])
def test_every_bad_parameter_is_named(args, param):
    with pytest.raises(BadQuestion) as raised:
        question_from_args(args, BY_ID, now=dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC))
    assert raised.value.param == param and str(raised.value).startswith(param)


def test_a_drill_reads_back_from_its_args():
    q = Question("aduan_selesai_60h", by="kode_opd")
    drill = Drill(periode=D(2026, 11, 2), member="BKPSDM", part="dihitung", sort=(("tanggal", False),), search=(("nama", "budi"),), page=3, size=100)
    assert drill_from_args(drill.to_args(), q, ("tanggal", "nama")) == drill
    assert Drill().to_args() == {}
    with pytest.raises(BadQuestion, match="anggota"):
        drill_from_args({"anggota": "BKPSDM"}, Question("aduan_selesai_60h"))
    with pytest.raises(BadQuestion, match="urut"):
        drill_from_args({"urut": "-rahasia"}, q, ("tanggal",))
    with pytest.raises(BadQuestion, match="per"):
        drill_from_args({"per": "30"}, q)


def test_filters_keep_only_their_members_rows():
    con = ibis.duckdb.connect()  # a real in-memory DuckDB
    con.raw_sql("CREATE TABLE r AS SELECT DATE '2026-11-01' AS tanggal, g AS good, k AS kode_kecamatan "
                "FROM (VALUES (true, 'a'), (false, 'b'), (true, 'c'), (true, 'a')) AS v(g, k)")
    indicator = replace(IZIN, query=lambda con, start, end: con.table("r"))
    assert filtered(indicator, ()) is indicator
    kept = filtered(indicator, (("kode_kecamatan", ("a", "c")),)).query(con, D(2026, 11, 1), D(2026, 11, 1))
    assert sorted(con.to_pyarrow(kept).column("kode_kecamatan").to_pylist()) == ["a", "a", "c"]
