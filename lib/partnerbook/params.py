"""Loading params/*.yaml: the programme file, saved views, hand-set targets.

Each section of program.yaml is read by the module that owns it; this module loads
the YAML, checks the top-level keys and gives helpers that name a bad key.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterable

import yaml

from . import paths
from .errors import ParamsError

SECTIONS = ("program", "lifecycle", "health", "values", "objectives", "channel_goals",
            "targets", "reporting", "tiers", "surveys", "deal_registrations", "delivery")

PROGRAM_KEYS = {"name": str, "currency": str, "fiscal_year_start_month": int, "peer_minimum": int}


def fy_start_month(program: dict | None) -> int:
    """The month the programme's fiscal year starts (`program.fiscal_year_start_month`, 1-12)."""
    return int(((program or {}).get("program") or {}).get("fiscal_year_start_month", 1))


def load_yaml(path: str | Path) -> dict:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(f"{path}: no such parameters file") from None
    except UnicodeDecodeError as exc:
        raise ParamsError(f"{path}: expected UTF-8 text (byte {exc.start} is not)") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ParamsError(f"{path}{where}: expected valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of keys at the top level")
    return data


def check_keys(mapping: Any, allowed: Iterable[str], where: str) -> dict:
    """Refuse unknown keys, suggesting the nearest allowed one: 'program.yaml: goals.targetz: ...'."""
    allowed = list(allowed)
    if not isinstance(mapping, dict):
        raise ParamsError(f"{where}: expected a mapping with keys {', '.join(allowed)}")
    for key in mapping:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ParamsError(f"{where}.{key}: unknown key{hint} (allowed: {', '.join(allowed)})")
    return mapping


def load_program(path: str | Path | None = None) -> dict:
    """The programme parameters, with top-level keys and the `program` section checked."""
    path = Path(path) if path else paths.program_file()
    data = load_yaml(path)
    check_keys(data, SECTIONS, path.name)
    program = check_keys(data.get("program", {}), PROGRAM_KEYS, f"{path.name}: program")
    for key, kind in PROGRAM_KEYS.items():
        if key in program and not isinstance(program[key], kind):
            raise ParamsError(f"{path.name}: program.{key}: expected {kind.__name__}, found {program[key]!r}")
    month = program.get("fiscal_year_start_month", 1)
    if not 1 <= month <= 12:
        raise ParamsError(f"{path.name}: program.fiscal_year_start_month: expected 1-12, found {month}")
    check_editions(data, path.name)
    data["_path"] = str(path)
    return data


def check_editions(data: dict, name: str) -> None:
    """The sections the partner editions read: `surveys` (min_respondents >= 1, attributable
    true/false), `deal_registrations` (valid_days >= 1) and `tiers` (tiers.check)."""
    from . import tiers
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
