"""The `program` section: name, currency, fiscal year, peer minimum, locale."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .. import i18n
from ..errors import ParamsError
from ..yamlfiles import check_keys


@dataclass(frozen=True)
class Settings:
    """The `program` section."""

    name: str = field(default="", metadata={"doc": "the programme's name, shown on every report"})
    currency: str = field(
        default="USD", metadata={"doc": "ISO code of the programme currency, e.g. USD, EUR"}
    )
    fiscal_year_start_month: int = field(
        default=1,
        metadata={
            "doc": "month the fiscal year starts: 1 = January; 4 = April gives FY2027-Q1 for Apr-Jun 2026",
            "minimum": 1,
            "maximum": 12,
        },
    )
    peer_minimum: int = field(
        default=5,
        metadata={"doc": "peer figures are shown only over at least this many partners", "minimum": 1},
    )
    locale: str = field(
        default="en_US",
        metadata={
            "doc": "language and formats of the reports (numbers, money, dates): en_US, fr_FR, fr_CA..."
        },
    )


_TYPES = {str: "a text", int: "an integer"}


def parse(raw: Any, where: str) -> Settings:
    """The section checked ("program.yaml: program"): types, bounds, a known locale."""
    check_keys(raw, [f.name for f in fields(Settings)], where)
    values = {}
    for f in fields(Settings):
        if f.name not in raw:
            continue
        value, kind = raw[f.name], {"str": str, "int": int}[f.type]
        low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ParamsError(f"{where}.{f.name}: expected {_TYPES[kind]}, found {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise ParamsError(f"{where}.{f.name}: expected an integer {span}, found {value}")
        values[f.name] = value
    if "locale" in values:
        try:
            values["locale"] = i18n.check(values["locale"])
        except i18n.LocaleError as exc:
            raise ParamsError(f"{where}.locale: {exc}") from None
    return Settings(**values)
