"""Cell values as exports write them, turned into the text the data model expects.

Every function takes and returns a Series of text ("" = empty). What cannot be read
is left as it was, so validation reports it with the cell as the user typed it:
nothing is guessed and nothing is dropped in silence.
"""

from __future__ import annotations

import re

import pandas as pd

from .locales import Locale

TRUE = {"1", "true", "yes", "y", "t", "x", "checked"}
FALSE = {"0", "false", "no", "n", "f", "unchecked"}
_ID18 = re.compile(r"^[a-zA-Z0-9]{15}[A-Z0-5]{3}$")
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
NUMBERS = ("money", "share", "count", "score")


def text(values: pd.Series) -> pd.Series:
    """Text cells, stripped, with missing values as ""."""
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def salesforce_id(values: pd.Series) -> pd.Series:
    """18-character case-safe Salesforce ids to their 15-character case-sensitive form.

    Only ids whose last three characters are the true checksum of the first fifteen are
    shortened, so an 18-character id from another system is never cut.
    """
    values = text(values)
    return values.map(lambda v: v[:15] if _ID18.match(v) and _checksum(v[:15]) == v[15:] else v)


def _checksum(id15: str) -> str:
    chunks = (id15[i : i + 5] for i in (0, 5, 10))
    return "".join(_SUFFIX[sum(1 << n for n, ch in enumerate(c) if "A" <= ch <= "Z")] for c in chunks)


def looks_like_id(values: pd.Series) -> pd.Series:
    """True where a cell is a 15- or 18-character Salesforce id (not a name)."""
    v = text(values)
    return v.str.fullmatch(r"[a-zA-Z0-9]{15}") | v.map(lambda x: bool(_ID18.match(x)))


def truth(values: pd.Series) -> pd.Series:
    """Checkbox cells as booleans: 1/empty, true/false, TRUE/FALSE, yes/no; empty is False."""
    return text(values).str.lower().isin(TRUE)


def boolean(values: pd.Series) -> pd.Series:
    """Checkbox cells as "true"/"false" text ("" stays ""); unreadable cells unchanged."""
    v = text(values)
    low = v.str.lower()
    return v.mask(low.isin(TRUE), "true").mask(low.isin(FALSE), "false")


def date(values: pd.Series, fmt: str | None = None, locale: Locale = Locale()) -> pd.Series:
    """Dates as YYYY-MM-DD: ISO dates and datetimes, or the locale's short date order.

    2026-09-30, 2026-09-30T14:03:00.000Z, 2026-09-30T14:03:00.000+0000 (the day as written,
    in the export's time zone) in any locale; 9/30/2026, 9/30/26 and 9/30/2026 2:03 PM in
    en_US (month first), 30/09/2026 in fr_FR. With `fmt` (a strftime format from a mapping)
    that format is used instead. A cell that is not a valid date stays as it was.
    """
    v = text(values)
    if fmt:
        parsed = pd.to_datetime(v, format=fmt, errors="coerce")
        return v.mask(parsed.notna(), parsed.dt.strftime("%Y-%m-%d"))
    return _each(v, locale.date)


def number(values: pd.Series, locale: Locale = Locale()) -> pd.Series:
    """Amounts as plain numbers, read as the locale writes them: "$1,234.50" and "USD 1,234.50"
    to 1234.50 in en_US, "1 054,00 €" to 1054.00 in fr_FR; other cells unchanged."""
    return _each(text(values), locale.number)


def _each(v: pd.Series, read) -> pd.Series:
    """`read` once per distinct non-empty cell; cells it cannot read (None) stay as they were."""
    distinct = {x: read(x) for x in v.unique() if x}
    return v.map(lambda x: x if not x or distinct[x] is None else distinct[x])


def by_kind(values: pd.Series, kind: str, fmt: str | None = None, locale: Locale = Locale()) -> pd.Series:
    """Normalise a column for its canonical kind (date, bool, money...) in the locale."""
    if kind == "date":
        return date(values, fmt, locale)
    if kind == "bool":
        return boolean(values)
    if kind in NUMBERS:
        return number(values, locale)
    return text(values)
