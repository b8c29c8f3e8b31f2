"""The `tiers` section: tier levels, lowest first, and the criteria a partner must meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ParamsError
from ..metrics import CATALOGUE
from ..yamlfiles import check_keys


@dataclass(frozen=True)
class Level:
    """A tier: its name and its criteria (catalogue metric -> minimum over the window)."""

    name: str = field(metadata={"doc": "the tier's name, as in partners.tier"})
    criteria: dict = field(
        default_factory=dict,
        metadata={"doc": "catalogue metric -> the minimum over the window", "criteria": True},
    )


@dataclass(frozen=True)
class Tiers:
    """The `tiers` section."""

    window_quarters: int = field(
        default=4,
        metadata={"doc": "criteria are measured over this many quarters to the period end", "minimum": 1},
    )
    levels: tuple[Level, ...] = field(default=(), metadata={"doc": "lowest first"})


def parse(raw: Any, file: str) -> Tiers:
    """Refuse a malformed `tiers` section with one line naming the key ("<file>: tiers...")."""
    where = f"{file}: tiers"
    conf = check_keys(raw or {}, ("window_quarters", "levels"), where)
    window = conf.get("window_quarters", 4)
    if not isinstance(window, int) or window < 1:
        raise ParamsError(
            f"{where}.window_quarters: expected a whole number of quarters >= 1, found {window!r}"
        )
    levels = conf.get("levels") or []
    if not isinstance(levels, list):
        raise ParamsError(f"{where}.levels: expected a list of levels, lowest first")
    return Tiers(
        window_quarters=window, levels=tuple(_level(x, f"{where}.levels[{i}]") for i, x in enumerate(levels))
    )


def _level(level: Any, at: str) -> Level:
    check_keys(level, ("name", "criteria"), at)
    if not str(level.get("name") or "").strip():
        raise ParamsError(f"{at}.name: expected the tier's name")
    criteria = level.get("criteria") or {}
    check_keys(criteria, CATALOGUE, f"{at}.criteria")
    for metric, minimum in criteria.items():
        if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or minimum < 0:
            raise ParamsError(f"{at}.criteria.{metric}: expected a number >= 0, found {minimum!r}")
    return Level(str(level["name"]), dict(criteria))
