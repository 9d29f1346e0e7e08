"""The explorer on a real warehouse loaded from every simulated OPD system: its default view is the wall's figure,
filters split the records without losing any, comparisons and custom ranges cover the spans they say, and the SQL
it hands over reproduces the value."""

import datetime as dt
from dataclasses import replace

import pytest

from config import load_config
from metrics.catalogue import INDICATORS
from metrics.periods import year_before_span
from metrics.question import Question, previous_span, year_before_dates
from region.kecamatan import all_kecamatan
from tests.loaded import Loaded

pytestmark = pytest.mark.integration
D = dt.date


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("explore"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture(scope="module")
def explorer(loaded):
    return loaded.metrics.explorer()


def close(a, b):
    return a == b or (a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a)))


def test_the_service_keeps_one_explorer(loaded):
    assert loaded.metrics.explorer() is loaded.metrics.explorer()


def test_the_default_view_of_every_indicator_is_the_walls_figure(loaded, explorer):
    for indicator in loaded.metrics.indicators:
        reading = loaded.metrics.reading(indicator.id)
        answer = explorer.answer(Question(indicator.id))
        assert close(answer.value, reading.value), indicator.id
        assert close(answer.numerator, reading.numerator) and close(answer.denominator, reading.denominator), indicator.id
        assert answer.status == reading.status, indicator.id
        assert answer.span == (reading.period.start, reading.period.end), indicator.id
        assert answer.covered == ((reading.covered.start, reading.covered.end) if reading.covered else None), indicator.id
        if indicator.history:
            assert answer.compared_span == (reading.year_before_span.start, reading.year_before_span.end), indicator.id
            assert close(answer.compared_value, reading.year_before_value), indicator.id
        else:
            assert answer.compared_span is None and answer.compared_series == (), indicator.id
        if indicator.judged_on == "year_change":
            assert close(answer.change, reading.year_change) and answer.change_relative, indicator.id
        assert answer.simulated == reading.simulated and answer.sources == reading.sources, indicator.id
        assert answer.data_version == loaded.metrics.data_version()


def test_a_repeated_view_is_not_computed_again_until_the_warehouse_changes(loaded, explorer):
    q = Question("izin_tepat_waktu", period="30_hari", by="kode_kecamatan")
    first = explorer.answer(q)
    assert explorer.answer(q) is first
    with loaded.warehouse.transaction() as tx:
        tx.execute("SELECT 1")
    again = explorer.answer(q)
    assert again is not first and again.data_version == first.data_version + 1 and again.value == first.value


@pytest.mark.parametrize("indicator_id", ["izin_tepat_waktu", "izin_usaha_terbit", "aduan_selesai_60h", "kunjungan_wisata"])
def test_filters_split_the_records_by_kecamatan_without_losing_any(explorer, indicator_id):
    whole = explorer.answer(Question(indicator_id, by="kode_kecamatan"))
    assert len({m.code for m in whole.breakdown}) == len(all_kecamatan())  # every kecamatan, those without data last
    numerators = denominators = 0.0
    for member in whole.breakdown:
        part = explorer.answer(Question(indicator_id).with_filter("kode_kecamatan", (member.code,)))
        assert close(part.numerator, member.numerator) and close(part.denominator, member.denominator), member.code
        assert part.value == member.value or close(part.value, member.value), member.code
        numerators += part.numerator
        denominators += part.denominator
    assert close(numerators, whole.numerator) and close(denominators, whole.denominator)
    assert close(sum(m.numerator for m in whole.breakdown), whole.numerator)


def test_a_filter_on_two_members_is_their_sum_and_the_breakdown_keeps_only_them(explorer):
    whole = explorer.answer(Question("aduan_verifikasi_3hk", by="kode_opd"))
    two = [m for m in whole.breakdown if m.value is not None][:2]
    both = explorer.answer(Question("aduan_verifikasi_3hk", by="kode_opd").with_filter("kode_opd", tuple(m.code for m in two)))
    assert close(both.denominator, sum(m.denominator for m in two)) and close(both.numerator, sum(m.numerator for m in two))
    assert {m.code for m in both.breakdown} == {m.code for m in two}
    assert all(p.denominator <= w.denominator for p, w in zip(both.series, whole.series, strict=True))


def test_the_breakdown_is_best_first_by_direction_with_names(explorer):
    higher = explorer.answer(Question("absensi_tepat_waktu", by="kode_opd")).breakdown
    values = [m.value for m in higher if m.value is not None]
    assert values == sorted(values, reverse=True) and len(values) > 3
    assert {m.code: m.name for m in higher}["DISKOMINFO"] == "Diskominfo"
    lower = explorer.answer(Question("izin_durasi_median", by="kode_kecamatan")).breakdown
    values = [m.value for m in lower if m.value is not None]
    assert values == sorted(values)
    assert [m.value for m in lower[len(values):]] == [None] * (len(lower) - len(values))
    names = {k.kode: k.nama for k in all_kecamatan()}
    assert all(m.name == names[m.code] for m in lower)


def test_comparison_spans(explorer):
    base = Question("izin_tepat_waktu", period="30_hari")
    today = D(2026, 11, 27)
    span = (today - dt.timedelta(days=29), today)
    before = explorer.answer(replace(base, comparison="sebelumnya"))
    assert before.span == span and before.compared_span == previous_span(span) == (D(2026, 9, 29), D(2026, 10, 28))
    alone = explorer.answer(Question("izin_tepat_waktu", period="rentang", start=D(2026, 9, 29), end=D(2026, 10, 28)))
    assert close(before.compared_value, alone.value)
    assert len(before.compared_series) == len(before.series) == 30
    assert close(before.change, before.value - before.compared_value)  # points
    last_year = explorer.answer(Question("izin_tepat_waktu", period="30_hari", comparison="tahun_lalu"))
    assert last_year.compared_span == year_before_dates(span) == (D(2025, 10, 29), D(2025, 11, 27))
    like = explorer.answer(Question("kunjungan_wisata"))
    assert like.compared_span == year_before_span(like.covered)


def test_a_custom_range_by_week_adds_up_to_its_value(loaded, explorer):
    q = Question("absensi_kehadiran", period="rentang", start=D(2026, 10, 7), end=D(2026, 11, 20), grain="week")
    answer = explorer.answer(q)
    assert answer.span == (D(2026, 10, 7), D(2026, 11, 20)) and answer.grain == "week"
    assert answer.series[0].periode == D(2026, 10, 7) and answer.series[0].end == D(2026, 10, 11)  # a Wednesday to Sunday
    assert answer.series[-1].end == D(2026, 11, 20)
    assert close(sum(p.numerator for p in answer.series), answer.numerator)
    assert close(sum(p.denominator for p in answer.series), answer.denominator)
    rows = loaded.metrics.series("absensi_kehadiran", D(2026, 10, 7), D(2026, 11, 20), "day")
    assert close(100 * sum(r["numerator"] for r in rows) / sum(r["denominator"] for r in rows), answer.value)


def test_members_offer_the_data_and_the_known_lists(explorer):
    kecamatan = explorer.members("izin_tepat_waktu", "kode_kecamatan")
    assert {code for code, _ in kecamatan} == {k.kode for k in all_kecamatan()}
    opds = dict(explorer.members("absensi_tepat_waktu", "kode_opd"))
    assert opds["DISKOMINFO"] == "Diskominfo" and len(opds) > 5
    channels = dict(explorer.members("pembayaran_nontunai", "kanal"))
    assert channels["tunai"] == "Tunai di loket" and "qris" in channels
    with pytest.raises(ValueError, match="kanal"):
        explorer.members("izin_tepat_waktu", "kanal")


def test_the_catalogue_groups_every_served_indicator_once_by_dimension(loaded, explorer):
    groups = explorer.catalogue()
    assert groups[0][0] == "Smart Governance"
    ids = [i for _, items in groups for i, _ in items]
    assert sorted(ids) == sorted(i.id for i in loaded.metrics.indicators)
    english = dict(explorer.catalogue("en"))
    assert dict(english["Smart Governance"])["absensi_kehadiran"] == loaded.metrics.indicator("absensi_kehadiran").name_en


@pytest.mark.parametrize("indicator_id", [i.id for i in INDICATORS])
def test_the_definitions_sql_reproduces_the_value(loaded, explorer, indicator_id):
    indicator = loaded.metrics.indicator(indicator_id)
    q = Question(indicator_id, filters=(("kode_kecamatan", ("13.05.01", "13.05.02", "13.05.03")),) if "kode_kecamatan" in indicator.breakdowns else ())
    answer = explorer.answer(q)
    found = explorer.definition(q, "id")
    elsewhere = loaded.warehouse.cursor().cursor()  # a connection of its own, as an analyst's tool would have
    try:
        for statement in found["sql_setup"]:
            elsewhere.execute(statement)
        (row,) = elsewhere.execute(found["sql_value"]).fetchall()
    finally:
        elsewhere.close()
    assert close(row[-1], answer.value), found["sql_value"]
    assert found["formula"] and found["period"]["start"] == answer.span[0].isoformat()
    assert all(s["last_success_wib"].endswith("+07:00") for s in found["sources"])
    assert explorer.definition(q, "en")["definition"] == indicator.description_en
