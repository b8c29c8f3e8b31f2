"""Numbers for people: currency with thousands separators, percentages, counts, and
"—" with a reason where a value is missing. Never NaN.

Every function takes a value that may be None or NaN and returns text.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"
MINUS = "\u2212"          # "−", the one minus sign of every number shown to people
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


def money(value: object, currency: str = "USD", *, reason: str = "", compact: bool = False) -> str:
    """$1,234,567 (or $1.2M with compact=True); negative as −$1,234; halves rounded up."""
    if is_missing(value):
        return missing(reason)
    value = float(value)  # type: ignore[arg-type]
    symbol = SYMBOLS.get(currency, "")
    amount = abs(value)
    if compact and amount >= 1_000_000:
        text = f"{half_up(amount / 1_000_000, 1):,.1f}M"
    elif compact and amount >= 10_000:
        text = f"{half_up(amount / 1_000):,.0f}K"
    else:
        text = f"{half_up(amount):,.0f}"
    sign = MINUS if value < 0 and any(c in "123456789" for c in text) else ""
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def percent(value: object, *, reason: str = "", digits: int = 0, signed: bool = False) -> str:
    """A fraction as a percentage: 0.256 -> '26%', 0.625 -> '63%' (halves up), -0.58 -> '−58%';
    signed=True gives '+26%'."""
    if is_missing(value):
        return missing(reason)
    shown = half_up(float(value) * 100, digits)  # type: ignore[arg-type]
    return _signed(f"{shown:{'+' if signed else ''},.{digits}f}%")


def count(value: object, *, reason: str = "") -> str:
    """An integer count with thousands separators: 12345 -> '12,345'."""
    if is_missing(value):
        return missing(reason)
    return _signed(f"{int(half_up(float(value))):,}")  # type: ignore[arg-type]


def points(value: object, *, reason: str = "") -> str:
    """NPS-style points: 23.4 -> '+23', -7.6 -> '−8'."""
    if is_missing(value):
        return missing(reason)
    n = int(half_up(float(value)))  # type: ignore[arg-type]
    return _signed(f"{n:+d}")


def days(value: object, *, reason: str = "") -> str:
    if is_missing(value):
        return missing(reason)
    n = int(half_up(float(value)))  # type: ignore[arg-type]
    return _signed(f"{n:,} day" + ("" if abs(n) == 1 else "s"))


def ratio(value: object, *, reason: str = "") -> str:
    """A multiple: 4 -> '4.0×', 0.25 -> '0.3×' (halves up), 12.5 -> '13×' (whole from ten up)."""
    if is_missing(value):
        return missing(reason)
    value = float(value)  # type: ignore[arg-type]
    digits = 0 if abs(value) >= 10 else 1
    return _signed(f"{half_up(value, digits):,.{digits}f}×")


def by_unit(value: object, unit: str, currency: str = "USD", *, reason: str = "") -> str:
    """Format by a metric's unit: money, count, rate (a fraction), ratio (a multiple), points, days."""
    formatter = {"money": lambda v: money(v, currency, reason=reason),
                 "rate": lambda v: percent(v, reason=reason),
                 "ratio": lambda v: ratio(v, reason=reason),
                 "points": lambda v: points(v, reason=reason),
                 "days": lambda v: days(v, reason=reason)}.get(unit, lambda v: count(v, reason=reason))
    return formatter(value)
