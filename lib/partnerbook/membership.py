"""Who is in the programme in a period: one rule, used by every page, list and comparison.

A partner is *in the programme* for a period when it joined on or before the period's last
day (an empty `joined_on` counts as joined: a recruit) and did not leave before the period's
first day (`churned_on` empty, or on or after the first day). So:

- a partner that left *before* the period is a former partner: no report, in no list, peer
  group, association, next step or target of that period;
- a partner that left *during* the period is in it, and is listed as "left this period";
- a partner that joined during the period is in it, but was not there on its first day
  (it is not in the denominator of the attrition rate).

Partner attrition rate = partners that left during the period / partners in the programme
on its first day.
"""

from __future__ import annotations

import pandas as pd


def _dates(partners: pd.DataFrame, column: str) -> pd.Series:
    if column not in partners:
        return pd.Series(pd.NaT, index=partners.index, dtype="datetime64[ns]")
    return pd.to_datetime(partners[column], errors="coerce")


def in_programme(partners: pd.DataFrame, period) -> pd.Series:
    """A boolean mask over `partners`: in the programme for `period` (the rule above)."""
    joined, left = _dates(partners, "joined_on"), _dates(partners, "churned_on")
    return ((joined.isna() | (joined <= period.end)) & (left.isna() | (left >= period.start))).astype(bool)


def left_during(partners: pd.DataFrame, period) -> pd.Series:
    """A boolean mask over `partners`: left during `period` (churned_on within it)."""
    left = _dates(partners, "churned_on")
    return (left.notna() & (left >= period.start) & (left <= period.end)).astype(bool)


def at_start(partners: pd.DataFrame, period) -> pd.Series:
    """A boolean mask over `partners`: in the programme on the period's first day (joined
    before it, or with no joined_on; not left before it)."""
    joined, left = _dates(partners, "joined_on"), _dates(partners, "churned_on")
    return ((joined.isna() | (joined < period.start)) & (left.isna() | (left >= period.start))).astype(bool)


def at_end(partners: pd.DataFrame, period) -> pd.Series:
    """A boolean mask over `partners`: in the programme at the period's end, i.e. in it for
    the period and not left by its last day (`churned_on` empty or after the last day).
    So the count at the end = at_start + joined during the period - left during it: the
    figure of "Partners in the programme" (dashboard, goals, story)."""
    return (in_programme(partners, period) & ~left_during(partners, period)).astype(bool)


def joined_during(partners: pd.DataFrame, period) -> pd.Series:
    """A boolean mask over `partners`: in the programme for `period` but not on its first day."""
    return (in_programme(partners, period) & ~at_start(partners, period)).astype(bool)


def members(partners: pd.DataFrame, period) -> pd.DataFrame:
    """The partners in the programme for `period`."""
    return partners[in_programme(partners, period)]


def former(partners: pd.DataFrame, period) -> pd.DataFrame:
    """The partners that left before `period` (not in it)."""
    left = _dates(partners, "churned_on")
    return partners[left.notna() & (left < period.start)]


def attrition_rate(partners: pd.DataFrame, period) -> float:
    """Left during the period / in the programme on its first day; NaN with nobody at the start."""
    base = at_start(partners, period)
    n = int(base.sum())
    return float((left_during(partners, period) & base).sum()) / n if n else float("nan")
