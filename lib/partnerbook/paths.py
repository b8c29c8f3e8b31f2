"""Every path the workbook uses, derived from the project root in one place.

Notebooks never build paths: they ask this module. The root is the folder holding
pyproject.toml (the checkout), or $PARTNERBOOK_ROOT when set (tests use that).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_SAFE = re.compile(r"[A-Za-z0-9_-]+")


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


def file_names(ids) -> dict[str, str]:
    """partner_id -> file stem: the id when safe (letters, digits, -, _ and unique ignoring
    case), else a slug of it plus a short hash. No id ever becomes a path."""
    ids = [str(i) for i in ids]
    lower: dict[str, int] = {}
    for i in ids:
        lower[i.lower()] = lower.get(i.lower(), 0) + 1
    out = {}
    for i in ids:
        if _SAFE.fullmatch(i) and lower[i.lower()] == 1 and len(i) <= 64:
            out[i] = i
        else:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", i).strip("-")[:40] or "partner"
            out[i] = f"{slug}-{hashlib.sha1(i.encode('utf-8')).hexdigest()[:8]}"
    return out
