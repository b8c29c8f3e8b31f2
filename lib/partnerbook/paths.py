"""Every path the workbook uses, derived from the project root in one place.

Notebooks never build paths: they ask this module. The root is the folder holding
pyproject.toml (the checkout), or $PARTNERBOOK_ROOT when set (tests use that).
"""
from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    env = os.environ.get("PARTNERBOOK_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd().resolve()


def notebooks() -> Path:
    return Path(__file__).resolve().parents[2] / "notebooks" if _in_checkout() else root() / "notebooks"


def _in_checkout() -> bool:
    return (Path(__file__).resolve().parents[2] / "notebooks").is_dir()


def params() -> Path:
    return root() / "params"


def program_file() -> Path:
    return params() / "program.yaml"


def data() -> Path:
    return root() / "data"


def sample_store() -> Path:
    return data() / "sample.duckdb"


def outputs() -> Path:
    return root() / "outputs"


def period_outputs(period: str) -> Path:
    return outputs() / period
