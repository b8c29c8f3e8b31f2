"""Periods: names, bounds, prior and year-ago, fiscal years, labels, last complete quarter."""

import pandas as pd
import pytest

import small_programme as sp
from partnerbook import periods, store
from partnerbook.errors import DataError, ParamsError

T = pd.Timestamp


@pytest.mark.parametrize(
    "name, grain, start, end",
    [
        ("2026-Q3", "quarter", "2026-07-01", "2026-09-30"),
        ("2026-07", "month", "2026-07-01", "2026-07-31"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),  # leap year
        ("FY2026", "year", "2026-01-01", "2026-12-31"),
        ("2026-q1", "quarter", "2026-01-01", "2026-03-31"),  # case does not matter
    ],
)
def test_parse_calendar_periods(name, grain, start, end):
    p = periods.parse(name)
    assert (p.grain, p.start, p.end) == (grain, T(start), T(end))


def test_fiscal_year_starting_in_april():
    # FY2027 runs April 2026 - March 2027 (named for the year in which it ends)
    q1 = periods.parse("FY2027-Q1", fy_start_month=4)
    assert (q1.start, q1.end) == (T("2026-04-01"), T("2026-06-30"))
    q4 = periods.parse("FY2027-Q4", fy_start_month=4)
    assert (q4.start, q4.end) == (T("2027-01-01"), T("2027-03-31"))
    year = periods.parse("FY2027", fy_start_month=4)
    assert (year.start, year.end) == (T("2026-04-01"), T("2027-03-31"))
    assert q1.prior().name == "FY2026-Q4" and q1.prior().start == T("2026-01-01")
    assert q1.year_ago().name == "FY2026-Q1" and q1.year_ago().start == T("2025-04-01")
    assert year.prior().name == "FY2026" and year.year_ago().name == "FY2026"


def test_prior_and_year_ago_cross_year_boundaries():
    assert periods.parse("2026-Q1").prior().name == "2025-Q4"
    assert periods.parse("2026-Q1").year_ago().name == "2025-Q1"
    assert periods.parse("2026-01").prior().name == "2025-12"
    assert periods.parse("2026-01").year_ago().name == "2025-01"
    assert periods.parse("FY2026").prior().name == "FY2025"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-Q5", "period '2026-Q5': expected YYYY-Qn, YYYY-MM or FYYYYY"),
        ("2026-13", "period '2026-13': month must be 01-12"),
        ("Q3 2026", "period 'Q3 2026': expected YYYY-Qn, YYYY-MM or FYYYYY"),
        ("", "period '': expected YYYY-Qn, YYYY-MM or FYYYYY"),
    ],
)
def test_bad_period_names_say_what_is_expected(text, message):
    with pytest.raises(ParamsError) as err:
        periods.parse(text)
    assert str(err.value) == message


def test_calendar_quarter_name_refused_when_fiscal_year_is_not_calendar():
    with pytest.raises(ParamsError, match=r"quarters are named FYYYYY-Qn \(e.g. FY2027-Q1\)"):
        periods.parse("2026-Q3", fy_start_month=4)


def test_label_is_vectorised_and_keeps_missing_dates():
    dates = pd.Series(pd.to_datetime(["2026-04-01", "2026-06-30", "2026-07-01", "2027-03-31", None]))
    assert periods.label(dates, "quarter", 4).tolist() == [
        "FY2027-Q1",
        "FY2027-Q1",
        "FY2027-Q2",
        "FY2027-Q4",
        pd.NA,
    ]
    assert periods.label(dates, "year", 4).tolist() == ["FY2027", "FY2027", "FY2027", "FY2027", pd.NA]
    assert periods.label(dates, "quarter", 1).tolist() == ["2026-Q2", "2026-Q2", "2026-Q3", "2027-Q1", pd.NA]
    assert periods.label(dates, "month").tolist() == ["2026-04", "2026-06", "2026-07", "2027-03", pd.NA]
    assert periods.label(dates, "year").tolist() == ["FY2026", "FY2026", "FY2026", "FY2027", pd.NA]


def test_last_n_periods_oldest_first():
    names = [p.name for p in periods.last(periods.parse("2026-Q1"), 3)]
    assert names == ["2025-Q3", "2025-Q4", "2026-Q1"]


def test_last_complete_quarter_from_meta_end():
    ds = sp.dataset(fy_end="2026-09-30")
    assert periods.last_complete_quarter(ds).name == "2026-Q3"  # 30 Sep ends Q3
    ds = sp.dataset(fy_end="2026-09-29")
    assert periods.last_complete_quarter(ds).name == "2026-Q2"  # Q3 not complete
    assert periods.last_complete_quarter(ds, 4).name == "FY2027-Q1"  # Apr-Jun 2026


def test_last_complete_quarter_from_latest_date_without_meta():
    ds = sp.dataset()
    ds = store.Dataset(ds.tables, ds.absent, {})
    # the latest date in the fixture is 2026-09-30 (O2 closed, E3, portal c2)
    assert periods.last_complete_quarter(ds).name == "2026-Q3"


def test_no_dates_at_all_is_a_clear_error():
    empty = {name: store.empty_frame(name) for name in store.TABLES}
    with pytest.raises(DataError, match="holds no dates"):
        periods.last_complete_quarter(store.Dataset(empty, frozenset(), {}))
