"""Reading a YAML parameters file, and refusing a key nobody reads, naming it.

load_yaml("params/program.yaml")          -> dict (ParamsError naming file, line, column)
check_keys(mapping, allowed, "program.yaml: targets")   -> mapping, or ParamsError
    "program.yaml: targets.defaultz: unknown key; did you mean 'defaults'? (allowed: ...)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import ParamsError


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
