"""Reporting periods: months, quarters and (fiscal) years, named as people name them.

    parse("2026-Q3")                      # July-September 2026
    parse("FY2027-Q1", fy_start_month=4)  # April-June 2026
    label(dates, "quarter", fy_start_month=4)

With the fiscal year starting in January, quarters are `2026-Q3` and years `FY2026`.
With another start month, quarters are `FY2027-Q1` and the fiscal year is named for the
calendar year in which it ends (April 2026 - March 2027 is FY2027). Months are always
calendar months, `2026-07`.

Inside the library a period is also a *key*: the month index (year * 12 + month - 1) of
its first month. Keys make prior and year-ago periods plain subtraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import i18n, numbers
from .errors import DataError, ParamsError
from .i18n import pgettext
from .tables import TABLES

GRAINS = {"month": 1, "quarter": 3, "year": 12}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")
_FY = re.compile(r"^FY(\d{4})$")
_FY_QUARTER = re.compile(r"^FY(\d{4})-Q(\d)$")


@dataclass(frozen=True)
class Period:
    name: str
    grain: str
    start: pd.Timestamp
    end: pd.Timestamp  # inclusive: the last day
    fy_start_month: int = 1

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> int:
        return self.start.year * 12 + self.start.month - 1

    def prior(self) -> "Period":
        """The period of the same grain just before this one."""
        return from_key(self.key - GRAINS[self.grain], self.grain, self.fy_start_month)

    def year_ago(self) -> "Period":
        """The period of the same grain one year earlier."""
        return from_key(self.key - 12, self.grain, self.fy_start_month)


def label_for_people(period: "str | Period", fy_start_month: int = 1) -> i18n.Label:
    """A period as a reader of the locale in force names it. English keeps the name people
    type ('2026-Q3', '2026-07', 'FY2026'); French says 'T3 2026', 'juillet 2026',
    'exercice 2026', 'T1 exercice 2027' (the quarter and year words are messages of the
    catalogue, the month name is Babel's). The Label agrees with the French preposition a
    translation puts before it: '{period:de}' is 'du T3 2026' (see i18n.Label). No period ('' or
    None) is an empty label."""
    if not period:
        return i18n.Label("", "month")
    if i18n.language() == "en":  # no spec in English: the grain does not matter
        return i18n.Label(str(period).strip(), "quarter")
    p = parse(period, fy_start_month)
    return i18n.Label(_french(period, p), p.grain)


def _french(period: "str | Period", p: Period) -> str:
    if p.grain == "month":
        return numbers.month(p.start)
    # a fiscal quarter keeps its name when the caller does not know the fiscal year's start
    fiscal = _FY_QUARTER.match(str(period).strip()) or _FY_QUARTER.match(p.name)
    quarter = _QUARTER.match(p.name)
    if p.grain == "year":
        return pgettext("period", "FY{year}").format(year=p.name[2:])
    if fiscal:
        return pgettext("period", "FY{year}-Q{quarter}").format(year=fiscal[1], quarter=fiscal[2])
    return pgettext("period", "{year}-Q{quarter}").format(year=quarter[1], quarter=quarter[2])


def _check(grain: str, fy_start_month: int) -> None:
    if grain not in GRAINS:
        raise ParamsError(f"grain '{grain}': expected one of {', '.join(GRAINS)}")
    if not isinstance(fy_start_month, int) or not 1 <= fy_start_month <= 12:
        raise ParamsError(f"fiscal_year_start_month: expected 1-12, found {fy_start_month!r}")


def name_of(key: int, grain: str, fy_start_month: int = 1) -> str:
    """The name of the period of `grain` whose first month has index `key`."""
    year, month = divmod(int(key), 12)
    month += 1
    if grain == "month":
        return f"{year}-{month:02d}"
    fiscal_year = year + 1 if fy_start_month != 1 and month >= fy_start_month else year
    if grain == "year":
        return f"FY{fiscal_year}"
    quarter = (month - fy_start_month) % 12 // 3 + 1
    return f"{year}-Q{quarter}" if fy_start_month == 1 else f"FY{fiscal_year}-Q{quarter}"


def from_key(key: int, grain: str, fy_start_month: int = 1) -> Period:
    """The Period of `grain` starting at month index `key`."""
    return _from_key(int(key), grain, fy_start_month)


@lru_cache(maxsize=4096)  # a Period is immutable; a report asks for the same few dozen again and again
def _from_key(key: int, grain: str, fy_start_month: int) -> Period:
    _check(grain, fy_start_month)
    year, month = divmod(int(key), 12)
    start = pd.Timestamp(year=year, month=month + 1, day=1)
    end = start + pd.DateOffset(months=GRAINS[grain]) - pd.Timedelta(days=1)
    return Period(name_of(key, grain, fy_start_month), grain, start, end, fy_start_month)


def _fiscal_start(fiscal_year: int, fy_start_month: int) -> int:
    """Month index of the first month of fiscal year `fiscal_year`."""
    calendar_year = fiscal_year if fy_start_month == 1 else fiscal_year - 1
    return calendar_year * 12 + fy_start_month - 1


def parse(text: "str | Period", fy_start_month: int = 1) -> Period:
    """'2026-Q3', '2026-07', 'FY2026' or (fiscal start month != 1) 'FY2027-Q1' -> Period."""
    if isinstance(text, Period):
        return text
    return _parse(str(text), fy_start_month)


@lru_cache(maxsize=4096)  # a Period is immutable; errors are raised again each time, not kept
def _parse(text: str, fy_start_month: int) -> Period:
    _check("quarter", fy_start_month)
    name = str(text).strip().upper()
    if m := _MONTH.match(name):
        if not 1 <= int(m[2]) <= 12:
            raise ParamsError(f"period '{text}': month must be 01-12")
        return from_key(int(m[1]) * 12 + int(m[2]) - 1, "month", fy_start_month)
    if m := _FY.match(name):
        return from_key(_fiscal_start(int(m[1]), fy_start_month), "year", fy_start_month)
    if (m := _FY_QUARTER.match(name)) and 1 <= int(m[2]) <= 4:
        return from_key(
            _fiscal_start(int(m[1]), fy_start_month) + 3 * (int(m[2]) - 1), "quarter", fy_start_month
        )
    if (m := _QUARTER.match(name)) and 1 <= int(m[2]) <= 4:
        if fy_start_month != 1:
            raise ParamsError(
                f"period '{text}': the fiscal year starts in month {fy_start_month}, so quarters "
                f"are named FYYYYY-Qn (e.g. {name_of(_fiscal_start(2027, fy_start_month), 'quarter', fy_start_month)})"
            )
        return from_key(int(m[1]) * 12 + 3 * (int(m[2]) - 1), "quarter", fy_start_month)
    quarters = "YYYY-Qn" if fy_start_month == 1 else "FYYYYY-Qn"
    raise ParamsError(f"period '{text}': expected {quarters}, YYYY-MM or FYYYYY")


def keys(dates, grain: str, fy_start_month: int = 1) -> pd.Series:
    """Vectorised: the key of the period of `grain` holding each date (<NA> for no date)."""
    _check(grain, fy_start_month)
    dates = pd.to_datetime(pd.Series(dates))
    month_index = dates.dt.year * 12 + dates.dt.month - 1
    offset = 0 if grain == "month" else fy_start_month - 1
    return (month_index - (month_index - offset) % GRAINS[grain]).astype("Int64")


def label(dates, grain: str, fy_start_month: int = 1) -> pd.Series:
    """Vectorised: the name of the period of `grain` holding each date (<NA> for no date)."""
    k = keys(dates, grain, fy_start_month)
    names = {key: name_of(key, grain, fy_start_month) for key in k.dropna().unique()}
    return k.map(names).astype("string")


def of(date, grain: str, fy_start_month: int = 1) -> Period:
    """The period of `grain` that holds `date`."""
    day = pd.Timestamp(date) if not isinstance(date, (list, tuple, pd.Series)) else None
    if day is None or pd.isna(day):  # not one date: as `keys` reads it (and fails on no date)
        return from_key(int(keys([date], grain, fy_start_month).iloc[0]), grain, fy_start_month)
    _check(grain, fy_start_month)
    month_index = day.year * 12 + day.month - 1
    offset = 0 if grain == "month" else fy_start_month - 1
    return from_key(month_index - (month_index - offset) % GRAINS[grain], grain, fy_start_month)


def span(first, last, grain: str, fy_start_month: int = 1) -> list[Period]:
    """Every period of `grain` from the one holding `first` to the one holding `last`."""
    lo, hi = of(first, grain, fy_start_month).key, of(last, grain, fy_start_month).key
    return [from_key(k, grain, fy_start_month) for k in range(lo, hi + 1, GRAINS[grain])]


def last(period: Period, n: int) -> list[Period]:
    """The `n` periods ending with `period`, oldest first."""
    step = GRAINS[period.grain]
    return [from_key(period.key - step * i, period.grain, period.fy_start_month) for i in reversed(range(n))]


# -- the time covered by a dataset --------------------------------------------------------

_NOT_ACTIVITY = {"partners", "stage_changes"}


def _date_columns(dataset, names) -> list[pd.Series]:
    return [
        dataset[name][col.name]
        for name in names
        if dataset.has(name)
        for col in TABLES[name].columns
        if col.kind == "date" and not col.planned
    ]


def latest(dataset) -> pd.Timestamp:
    """The last day of the data: dataset meta 'end' when present, else the latest date in it."""
    if dataset.meta.get("end"):
        return pd.Timestamp(dataset.meta["end"]).normalize()
    found = [s.max() for s in _date_columns(dataset, TABLES)]
    found = [d for d in found if pd.notna(d)]
    if not found:
        raise DataError("the data holds no dates: cannot tell which period to report")
    return max(found).normalize()


def earliest(dataset) -> pd.Timestamp:
    """The first day of activity in the data (partners' join dates and stage history aside)."""
    found = [s.min() for s in _date_columns(dataset, set(TABLES) - _NOT_ACTIVITY)]
    found = [d for d in found if pd.notna(d)]
    return min(found).normalize() if found else latest(dataset)


def last_complete_quarter(dataset, fy_start_month: int = 1) -> Period:
    """The last quarter whose last day is on or before the last day of the data."""
    end = latest(dataset)
    quarter = of(end, "quarter", fy_start_month)
    return quarter if quarter.end <= end else quarter.prior()
