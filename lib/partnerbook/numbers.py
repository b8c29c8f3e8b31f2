"""Numbers for people: currency with thousands separators, percentages, counts, and
"—" with a reason where a value is missing. Never NaN.

Every function takes a value that may be None or NaN and returns text.
"""
from __future__ import annotations

import math

DASH = "—"
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


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


def missing(reason: str = "") -> str:
    """'—' alone, or '— (no closed deals)' when a reason is given."""
    return f"{DASH} ({reason})" if reason else DASH


def money(value: object, currency: str = "USD", *, reason: str = "", compact: bool = False) -> str:
    """$1,234,567 (or $1.2M with compact=True); negative as -$1,234."""
    if is_missing(value):
        return missing(reason)
    value = float(value)  # type: ignore[arg-type]
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency, "")
    amount = abs(value)
    if compact and amount >= 1_000_000:
        text = f"{amount / 1_000_000:,.1f}M"
    elif compact and amount >= 10_000:
        text = f"{amount / 1_000:,.0f}K"
    else:
        text = f"{amount:,.0f}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def percent(value: object, *, reason: str = "", digits: int = 0, signed: bool = False) -> str:
    """A fraction as a percentage: 0.256 -> '26%'; signed=True gives '+26%'."""
    if is_missing(value):
        return missing(reason)
    text = f"{float(value) * 100:{'+' if signed else ''},.{digits}f}%"  # type: ignore[arg-type]
    return text.replace("-", "−") if signed else text


def count(value: object, *, reason: str = "") -> str:
    """An integer count with thousands separators: 12345 -> '12,345'."""
    if is_missing(value):
        return missing(reason)
    return f"{round(float(value)):,}"  # type: ignore[arg-type]


def points(value: object, *, reason: str = "") -> str:
    """NPS-style points: 23.4 -> '+23'."""
    if is_missing(value):
        return missing(reason)
    return f"{round(float(value)):+d}"  # type: ignore[arg-type]


def days(value: object, *, reason: str = "") -> str:
    if is_missing(value):
        return missing(reason)
    n = round(float(value))  # type: ignore[arg-type]
    return f"{n:,} day" + ("" if n == 1 else "s")


def by_unit(value: object, unit: str, currency: str = "USD", *, reason: str = "") -> str:
    """Format by a metric's unit: money, count, rate (a fraction), points, days."""
    formatter = {"money": lambda v: money(v, currency, reason=reason),
                 "rate": lambda v: percent(v, reason=reason),
                 "points": lambda v: points(v, reason=reason),
                 "days": lambda v: days(v, reason=reason)}.get(unit, lambda v: count(v, reason=reason))
    return formatter(value)
