"""Loading params/*.yaml: the programme file, saved views, hand-set targets.

`load_program` gives the modules not yet on the typed `programme.Programme` the checked
file as a dict; `load_yaml` and `check_keys` (from yamlfiles) name a bad key.
"""
from __future__ import annotations

from pathlib import Path

from . import programme
from .programme import SECTIONS  # noqa: F401 - params.SECTIONS
from .yamlfiles import check_keys, load_yaml  # noqa: F401 - params.check_keys, params.load_yaml


def fy_start_month(program: dict | None) -> int:
    """The month the programme's fiscal year starts (`program.fiscal_year_start_month`, 1-12)."""
    return int(((program or {}).get("program") or {}).get("fiscal_year_start_month", 1))


def load_program(path: str | Path | None = None) -> dict:
    """The programme parameters as a dict (with `_path`), checked once by `programme.load`."""
    return programme.load(path).as_dict()
