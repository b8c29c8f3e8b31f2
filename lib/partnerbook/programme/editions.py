"""The sections the partner editions read: `surveys` and `deal_registrations`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ParamsError
from ..yamlfiles import check_keys


@dataclass(frozen=True)
class Surveys:
    """How survey answers are shown in the partner editions."""

    min_respondents: int = field(
        default=3,
        metadata={"doc": "results shown only over at least this many people and answers", "minimum": 1},
    )
    attributable: bool = field(
        default=False, metadata={"doc": "per respondent (role, score) on the account manager's edition"}
    )


@dataclass(frozen=True)
class DealRegistrations:
    """Registrations without expires_on in the data."""

    valid_days: int = field(
        default=90,
        metadata={
            "doc": "a registration without expires_on expires this many days after submission",
            "minimum": 1,
        },
    )


def parse_surveys(raw: Any, file: str) -> Surveys:
    surveys = check_keys(raw or {}, ("min_respondents", "attributable"), f"{file}: surveys")
    minimum = surveys.get("min_respondents", 3)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ParamsError(f"{file}: surveys.min_respondents: expected a whole number >= 1, found {minimum!r}")
    if not isinstance(surveys.get("attributable", False), bool):
        raise ParamsError(
            f"{file}: surveys.attributable: expected true or false, found {surveys['attributable']!r}"
        )
    return Surveys(min_respondents=minimum, attributable=surveys.get("attributable", False))


def parse_deal_registrations(raw: Any, file: str) -> DealRegistrations:
    regs = check_keys(raw or {}, ("valid_days",), f"{file}: deal_registrations")
    days = regs.get("valid_days", 90)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ParamsError(
            f"{file}: deal_registrations.valid_days: expected a whole number of days >= 1, found {days!r}"
        )
    return DealRegistrations(valid_days=days)
