"""Numbers for people: currency with thousands separators, percentages, counts, and
"—" with a reason where a value is missing. Never NaN.

Every function takes a value that may be None or NaN and returns text.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, get_currency_symbol, parse_pattern

from . import i18n
from .i18n import ngettext

DASH = "—"
MINUS = "\u2212"  # "−", the one minus sign of every number shown to people


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return value is getattr(__import__("pandas"), "NA", object())


def text(value: object) -> str:
    """A cell as text: '' when missing (None, NaN, <NA>), else `str(value)`."""
    return "" if is_missing(value) else str(value)


def half_up(value: float, digits: int = 0) -> float:
    """`value` rounded half away from zero (62.5 -> 63, -2.5 -> -3), not to even as `round`
    does; the decimal text of the float is what is rounded (0.625 * 100 -> 62.5 -> 63)."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def _signed(text: str) -> str:
    """ASCII "-" of a formatted number as "−"; a rounded negative zero loses its sign."""
    text = text.replace("-", MINUS)
    return text[1:] if text.startswith(MINUS) and not any(c in "123456789" for c in text) else text


def missing(reason: str = "") -> str:
    """'—' alone, or '— (no closed deals)' when a reason is given."""
    return f"{DASH} ({reason})" if reason else DASH


def _locale() -> Locale:
    """The Babel Locale of the locale in force."""
    return _parsed(i18n.current())


@cache
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _pattern(locale: str, kind: str, digits: int = 0, signed: bool = False):
    """The locale's pattern of a kind (decimal, percent, currency) with `digits` decimals."""
    loc = _parsed(locale)
    base = {
        "decimal": loc.decimal_formats[None],
        "percent": loc.percent_formats[None],
        "currency": loc.currency_formats["standard"],
    }[kind].pattern.split(";")[0]
    body = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = re.sub(r"[#,0.]+", body, base, count=1)
    return parse_pattern(f"+{pattern};-{pattern}" if signed else pattern)


def _apply(
    value: float, kind: str, digits: int = 0, *, signed: bool = False, currency: str | None = None
) -> str:
    # a report writes the same few hundred numbers again and again (0, 1, 100%...): each text is
    # worked out once per locale; the key holds the value's type and repr, so 0, 0.0 and -0.0
    # (equal, but not written alike by a signed pattern) are apart
    return _applied(i18n.current(), type(value), repr(value), value, kind, digits, signed, currency)


@lru_cache(maxsize=8192)
def _applied(
    locale: str, _type: type, _repr: str, value, kind: str, digits: int, signed: bool, currency
) -> str:
    text = _signed(
        _pattern(locale, kind, digits, signed).apply(
            value, _parsed(locale), currency=currency, currency_digits=False
        )
    )
    return _SPACED.sub("\u00a0", text) if currency else text  # CLDR currency spacing: CHF 1,234


_SPACED = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def decimal(value: float, digits: int = 0) -> str:
    """A number with the locale's separators: 1234.5 -> '1,234.5' (en_US), '1 234,5' (fr_FR)."""
    return _apply(half_up(value, digits), "decimal", digits)


def money(
    value: object, currency: str = "USD", *, reason: str = "", compact: bool = False, digits: int = 1
) -> str:
    """$1,234,567 (or $1.2M with compact=True; $1.23M with digits=2 as well); negative as −$1,234;
    halves rounded up. In the locale in force: '1 234 567 €' and '1,2 M €' in fr_FR."""
    if is_missing(value):
        return missing(reason)
    value = float(value)  # type: ignore[arg-type]
    amount = abs(value)
    if compact and amount >= 10_000:
        digits = digits if amount >= 1_000_000 else 0
        step = 1_000_000 if amount >= 1_000_000 else 1_000
        shown = half_up(amount / step, digits) * step
        text = format_compact_currency(shown, currency, locale=_locale(), fraction_digits=digits)
    else:
        text = _apply(half_up(amount), "currency", currency=currency)
    sign = MINUS if value < 0 and any(c in "123456789" for c in text) else ""
    return f"{sign}{text}"


def percent(value: object, *, reason: str = "", digits: int = 0, signed: bool = False) -> str:
    """A fraction as a percentage: 0.256 -> '26%', 0.625 -> '63%' (halves up), -0.58 -> '−58%';
    signed=True gives '+26%'. fr_FR: '12,5 %'."""
    if is_missing(value):
        return missing(reason)
    shown = half_up(float(value) * 100, digits)  # type: ignore[arg-type]
    return _apply(shown / 100, "percent", digits, signed=signed)


def count(value: object, *, reason: str = "") -> str:
    """An integer count with thousands separators: 12345 -> '12,345' ('12 345' in fr_FR)."""
    if is_missing(value):
        return missing(reason)
    return _apply(int(half_up(float(value))), "decimal")  # type: ignore[arg-type]


def points(value: object, *, reason: str = "", change: bool = False, digits: int | None = None) -> str:
    """NPS-style points: 23.4 -> '+23', -7.6 -> '−8'. `change=True`: a change in points, worked
    out from the unrounded figures, with one decimal under ten points (`change_digits`):
    2.4 -> '+2.4', -15.7 -> '−16'. `digits`: that many decimals whatever the size (the programme
    pages show every rate, score and change with one: -15.74 -> '−15.7')."""
    if is_missing(value):
        return missing(reason)
    if digits is None:
        digits = change_digits(value) if change else 0  # type: ignore[arg-type]
    return _apply(half_up(float(value), digits), "decimal", digits, signed=True)  # type: ignore[arg-type]


def change_digits(change: object) -> int:
    """The decimals a change in points is shown with, and the figures beside it too, so that
    they agree: one under ten points (7.8% against 5.4%: +2.4), none from ten (+16)."""
    return 1 if abs(half_up(float(change), 1)) < 10 else 0  # type: ignore[arg-type]


def plural(value: float, digits: int = 0) -> int:
    """The n to give `ngettext` for a number shown with `digits` decimals, by the language's
    rule for decimals: '1.5 points' but « 1,5 point », '1 point', '2.4 points'."""
    shown = Decimal(repr(abs(half_up(value, digits)))).quantize(Decimal(1).scaleb(-digits))
    return 1 if _locale().plural_form(shown) == "one" else 2


def days(value: object, *, reason: str = "") -> str:
    """'1 day', '12 days' ('12 jours')."""
    if is_missing(value):
        return missing(reason)
    n = int(half_up(float(value)))  # type: ignore[arg-type]
    return ngettext("{n} day", "{n} days", abs(n)).format(n=_apply(n, "decimal"))


def ratio(value: object, *, reason: str = "") -> str:
    """A multiple: 4 -> '4.0×', 0.25 -> '0.3×' (halves up), 12.5 -> '13×' (whole from ten up)."""
    if is_missing(value):
        return missing(reason)
    value = float(value)  # type: ignore[arg-type]
    digits = 0 if abs(value) >= 10 else 1
    return _apply(half_up(value, digits), "decimal", digits) + "×"


def date(value: object, *, reason: str = "") -> str:
    """A day for people: '30 Sep 2026' (en), '30 sept. 2026', '1er janv. 2026' (fr_FR)."""
    if is_missing(value):
        return missing(reason)
    day = _day(value)
    return _formatted(day, _first_of_month(day, "d MMM y"), i18n.current())


def day_month(value: object) -> str:
    """'1 Jul' (en), '1er juil.' (fr)."""
    day = _day(value)
    return _formatted(day, _first_of_month(day, "d MMM"), i18n.current())


@lru_cache(maxsize=4096)  # a report writes the same days again and again (the report day, deadlines)
def _formatted(day: _dt.date, pattern: str, locale: str) -> str:
    return format_date(day, pattern, locale=_parsed(locale))


def _first_of_month(day: _dt.date, pattern: str) -> str:
    """French writes the first day of a month as an ordinal: '1er juillet'."""
    if day.day == 1 and i18n.language() == "fr":
        return pattern.replace("d", "d'er'", 1)
    return pattern


def month(value: object) -> str:
    """'September 2026' (en), 'septembre 2026' (fr)."""
    return format_date(_day(value), "LLLL y", locale=_locale())


def _day(value: object) -> _dt.date:
    if isinstance(value, str):
        return _dt.date.fromisoformat(value[:10])
    if isinstance(value, _dt.datetime):  # pandas Timestamps too
        return value.date()
    return value  # type: ignore[return-value]


def symbol(currency: str) -> str:
    """The currency's symbol in the locale in force: '$', '€', 'CHF'."""
    return get_currency_symbol(currency, locale=_locale())


def by_unit(value: object, unit: str, currency: str = "USD", *, reason: str = "") -> str:
    """Format by a metric's unit: money, count, rate (a fraction), ratio (a multiple), points, days."""
    formatter = {
        "money": lambda v: money(v, currency, reason=reason),
        "rate": lambda v: percent(v, reason=reason),
        "ratio": lambda v: ratio(v, reason=reason),
        "points": lambda v: points(v, reason=reason),
        "days": lambda v: days(v, reason=reason),
    }.get(unit, lambda v: count(v, reason=reason))
    return formatter(value)
