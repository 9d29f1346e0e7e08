"""Default periods resolved for an as-of day, and the period each compares with."""

import datetime as dt

import pytest

from metrics.periods import Period, year_before, year_before_span

D = dt.date


@pytest.mark.parametrize(
    ("period", "today", "span", "previous"),
    [
        (Period(), D(2026, 11, 29), (D(2026, 10, 31), D(2026, 11, 29)), (D(2026, 10, 1), D(2026, 10, 30))),
        (Period(include_today=False), D(2026, 11, 29), (D(2026, 10, 30), D(2026, 11, 28)), (D(2026, 9, 30), D(2026, 10, 29))),
        (Period("months", 1), D(2026, 11, 29), (D(2026, 10, 1), D(2026, 10, 31)), (D(2026, 9, 1), D(2026, 9, 30))),
        (Period("months", 3), D(2026, 1, 5), (D(2025, 10, 1), D(2025, 12, 31)), (D(2025, 7, 1), D(2025, 9, 30))),
        (Period("month_to_date"), D(2026, 3, 31), (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 2, 1), D(2026, 2, 28))),
        (Period("year_to_date"), D(2026, 11, 29), (D(2026, 1, 1), D(2026, 11, 29)), None),
        (Period("year_to_month"), D(2026, 11, 29), (D(2026, 1, 1), D(2026, 10, 31)), None),
        # In January the last complete month is December: the whole of last year.
        (Period("year_to_month"), D(2027, 1, 10), (D(2026, 1, 1), D(2026, 12, 31)), None),
    ],
)
def test_span_and_previous(period, today, span, previous):
    assert period.span(today) == span
    assert period.previous(span) == previous


def test_year_before_keeps_29_february_in_february():
    assert year_before(D(2028, 2, 29)) == D(2027, 2, 28)
    assert year_before_span((D(2026, 1, 1), D(2026, 10, 31))) == (D(2025, 1, 1), D(2025, 10, 31))


def test_labels_in_both_languages():
    assert Period().label("id") == "30 hari terakhir" and Period().label("en") == "last 30 days"
    assert Period("year_to_month").label("id") == "tahun berjalan s.d. bulan lalu"


@pytest.mark.parametrize(
    ("period", "span", "covered", "previous"),
    [
        # The last 30 days with nothing delivered on their last two: the 30 days before, cut the same.
        (Period(), (D(2026, 11, 3), D(2026, 12, 2)), (D(2026, 11, 3), D(2026, 11, 30)), (D(2026, 10, 4), D(2026, 10, 31))),
        # A source that began within the period: its first day, moved back by the period's length.
        (Period(), (D(2026, 11, 3), D(2026, 12, 2)), (D(2026, 11, 10), D(2026, 12, 2)), (D(2026, 10, 11), D(2026, 11, 2))),
        # Whole months stay whole months, whatever their lengths: October-November against July-August.
        (Period("months", 3), (D(2025, 10, 1), D(2025, 12, 31)), (D(2025, 10, 1), D(2025, 11, 30)), (D(2025, 7, 1), D(2025, 8, 31))),
        (Period("months", 1), (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 2, 1), D(2026, 2, 28))),
        # Month to date on 31 March with data to the 30th: 1-28 February (February has no 30th).
        (Period("month_to_date"), (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 3, 1), D(2026, 3, 30)), (D(2026, 2, 1), D(2026, 2, 28))),
        (Period("year_to_month"), (D(2026, 1, 1), D(2026, 11, 30)), (D(2026, 1, 1), D(2026, 10, 31)), None),
    ],
)
def test_the_previous_period_is_cut_to_the_span_the_data_covers(period, span, covered, previous):
    assert period.previous_like(span, covered) == previous


def test_a_span_of_whole_months_is_whole_months_a_year_before():
    assert year_before_span((D(2029, 1, 1), D(2029, 2, 28))) == (D(2028, 1, 1), D(2028, 2, 29))  # 29 February 2028 included
    assert year_before_span((D(2026, 11, 3), D(2026, 11, 30))) == (D(2025, 11, 3), D(2025, 11, 30))
    assert year_before_span((D(2026, 1, 1), D(2026, 11, 15))) == (D(2025, 1, 1), D(2025, 11, 15))
