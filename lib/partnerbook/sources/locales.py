"""The locale an export is written in: how its numbers, dates and CSV files read.

    Locale.of("fr_FR", declared=True)  ->  decimal ",", group U+202F (any space accepted),
    dates dd/MM/y, CSV separator ";", UTF-8 (with or without BOM) or cp1252

Numbers and dates are read with Babel's locale data: `babel.numbers.parse_decimal`
(strict: a grouping that is not the locale's is refused) with the locale's decimal and
group symbols, and the order and separator of the locale's short date pattern. Nothing
is guessed: a value that is not valid in the locale gives None and the caller reports
it, naming file, row and column.

Without a declared locale the default is en_US (comma-separated UTF-8, `1,234.50`,
`$1,234`, month/day/year), with one more rule: "1,234" alone is refused, because it
reads 1234 in en_US and 1.234 in fr_FR; declare the locale to read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

import babel
from babel.dates import get_date_format
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from ..errors import ParamsError

DEFAULT = "en_US"
SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space
CURRENCY = re.compile(r"^(?:[A-Z]{3}\s*|[$€£¥]\s*)|\s*(?:[$€£¥]|[A-Z]{3})$")
# Windows ("ANSI") code pages of the languages whose spreadsheets save CSV in them.
LEGACY = {
    **dict.fromkeys("en fr de es it pt nl da sv nb nn no fi is ca eu gl ga id ms af".split(), "cp1252"),
    **dict.fromkeys("pl cs sk hu ro hr sl sq".split(), "cp1250"),
    **dict.fromkeys("ru uk bg sr mk be".split(), "cp1251"),
    "el": "cp1253",
    "tr": "cp1254",
}
HOW = (
    "declare the file's locale with --locale (e.g. --locale fr_FR) or a top-level locale: key in the mapping"
)


@dataclass(frozen=True)
class Locale:
    name: str = DEFAULT
    declared: bool = False

    @classmethod
    def of(cls, name: str | None, declared: bool = True, where: str = "--locale") -> "Locale":
        """A locale by identifier (fr_FR, fr-FR, en_US); None is the undeclared default."""
        if name is None or str(name).strip() == "":
            return cls()
        try:
            parsed = babel.Locale.parse(str(name).strip().replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            raise ParamsError(f"{where}: expected a locale such as en_US or fr_FR, found {name!r}") from None
        if not parsed.territory:
            raise ParamsError(
                f"{where}: expected a locale with its country, such as fr_FR or fr_CA, found {name!r}"
            )
        return cls(str(parsed), declared)

    # -- the locale's data

    @property
    def decimal(self) -> str:
        return get_decimal_symbol(self.name)

    @property
    def group(self) -> str:
        return get_group_symbol(self.name)

    @property
    def separator(self) -> str:
        """The CSV separator spreadsheets use here: ";" where the decimal symbol is a comma."""
        return ";" if self.decimal == "," else ","

    @property
    def encodings(self) -> tuple[str, ...]:
        """UTF-8 (a BOM is fine); a declared locale also its Windows code page (cp1252 ...)."""
        legacy = LEGACY.get(self.name.split("_")[0]) if self.declared else None
        return ("utf-8-sig",) + ((legacy,) if legacy else ())

    @property
    def date_order(self) -> tuple[str, str, str]:
        """The order of day, month and year in the locale's short date pattern, e.g. (M, d, y)."""
        pattern = get_date_format("short", self.name).pattern
        return tuple(dict.fromkeys(ch for ch in pattern if ch in "dMy"))  # type: ignore[return-value]

    @property
    def date_separator(self) -> str:
        pattern = get_date_format("short", self.name).pattern
        return re.sub(r"[dMy]+", "\x00", pattern).split("\x00")[1]

    # -- reading values

    def number(self, text: str) -> str | None:
        """A number as this locale writes it, as plain text ("1 054,00" -> "1054.00"); None if not."""
        value = CURRENCY.sub("", text.strip())
        marked = value != text.strip()
        if self.group in SPACES:
            value = re.sub(f"[{SPACES}]", self.group, value)
        if not value or not re.fullmatch(rf"[+-]?[0-9{re.escape(self.decimal + self.group)}]+", value):
            return None
        if not self.declared and not marked and re.fullmatch(r"[+-]?\d{1,3},\d{3}", value):
            return None  # 1,234: 1234 in en_US, 1.234 in fr_FR
        try:
            parsed = parse_decimal(value, self.name, strict=True)
        except NumberFormatError:
            return None
        return format(parsed, "f")

    def date(self, text: str) -> str | None:
        """An ISO date, or a date in the locale's order (9/30/2026 in en_US), as YYYY-MM-DD; None if not."""
        text = text.strip()
        iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])", text)
        sep = re.escape(self.date_separator)
        local = re.match(rf"^(\d{{1,2}}){sep}(\d{{1,2}}){sep}(\d{{4}}|\d{{2}})(?:$|,?\s)", text)
        if iso:
            parts = dict(zip("yMd", iso.groups()))
        elif local and self.date_order[2] == "y":
            parts = dict(zip(self.date_order, local.groups()))
        else:
            return None
        year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
        try:
            return Date(year, int(parts["M"]), int(parts["d"])).isoformat()
        except ValueError:
            return None

    # -- saying what was expected

    def example(self, kind: str) -> str:
        if kind == "date":
            sample = {"d": "30", "M": "9", "y": "2026"}
            return self.date_separator.join(sample[k] for k in self.date_order) + " or 2026-09-30"
        return f"1{self.group}234{self.decimal}50"

    def expected(self, kind: str) -> str:
        """What a value must look like in this locale, and how to declare another one."""
        what = "a date" if kind == "date" else "a number"
        whose = f"as {self.name} writes it" + ("" if self.declared else " (the default: no locale declared)")
        extra = "" if self.declared or kind == "date" else "; 1,234 alone is ambiguous (1234 or 1.234)"
        return f"{what} {whose}, like {self.example(kind)}{extra}; {HOW}"

    def __str__(self) -> str:
        return self.name


def looks_like(kind: str, text: str) -> bool:
    """A cell that is a number or a date written in some locale: a question of locale, not a bad row."""
    if kind == "date":  # an impossible ISO date (2026-02-30) is a bad row, not a locale question
        return bool(re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:[ ,T].*)?", text.strip()))
    body = CURRENCY.sub("", text.strip())
    return bool(re.fullmatch(rf"[+-]?\d[\d.,'’{SPACES}]*", body)) and bool(re.search(r"[.,'’\s]", body))
