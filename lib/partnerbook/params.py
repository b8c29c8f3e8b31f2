"""Loading params/*.yaml: the programme file, saved views, hand-set targets.

`load_program` gives the modules not yet on the typed `programme.Programme` the checked
file as a dict; `load_yaml` and `check_keys` (from yamlfiles) name a bad key.
"""
from __future__ import annotations

from pathlib import Path

from . import programme, recipients
from .errors import ParamsError
from .programme import SECTIONS  # noqa: F401 - params.SECTIONS
from .yamlfiles import check_keys, load_yaml  # noqa: F401 - params.check_keys, params.load_yaml


def fy_start_month(program: dict | None) -> int:
    """The month the programme's fiscal year starts (`program.fiscal_year_start_month`, 1-12)."""
    return int(((program or {}).get("program") or {}).get("fiscal_year_start_month", 1))


def load_program(path: str | Path | None = None) -> dict:
    """The programme parameters as a dict (with `_path`), checked once by `programme.load`,
    with the sections the partner editions read."""
    data = programme.load(path).as_dict()
    check_editions(data, Path(data["_path"]).name)
    recipients.check(data, Path(data["_path"]).name)
    return data


def check_editions(data: dict, name: str) -> None:
    """The sections the partner editions read: `surveys` (min_respondents >= 1, attributable
    true/false), `deal_registrations` (valid_days >= 1) and `tiers` (tiers.check)."""
    from . import tiers  # noqa: PLC0415 - tiers reads the metric catalogue, a layer above: see pyproject
    surveys = check_keys(data.get("surveys") or {}, ("min_respondents", "attributable"), f"{name}: surveys")
    minimum = surveys.get("min_respondents", 3)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ParamsError(f"{name}: surveys.min_respondents: expected a whole number >= 1, found {minimum!r}")
    if not isinstance(surveys.get("attributable", False), bool):
        raise ParamsError(f"{name}: surveys.attributable: expected true or false, found {surveys['attributable']!r}")
    regs = check_keys(data.get("deal_registrations") or {}, ("valid_days",), f"{name}: deal_registrations")
    days = regs.get("valid_days", 90)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ParamsError(f"{name}: deal_registrations.valid_days: expected a whole number of days >= 1, found {days!r}")
    tiers.check(data.get("tiers") or {}, f"{name}: tiers")
