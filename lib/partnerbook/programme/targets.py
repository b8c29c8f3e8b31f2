"""The `targets` section: the factors of partner targets, by level of precedence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParamsError
from ..tables import STAGES
from ..yamlfiles import check_keys
from .checks import metric_names

FACTORS = (
    "growth",
    "capacity",
    "margin_adj",
    "mix_adj",
    "attach_adj",
    "predictability",
    "solution_completeness",
)
DEFAULTS = {
    "growth": 0.10,
    "capacity": 0.5,
    "margin_adj": 1.0,
    "mix_adj": 1.0,
    "attach_adj": 1.0,
    "predictability": 1.0,
    "solution_completeness": 1.0,
}
SHARES = ("capacity", "predictability", "solution_completeness")
MULTIPLIERS = ("margin_adj", "mix_adj", "attach_adj")
LEVELS = ("by_tier", "by_stage", "by_partner")


@dataclass(frozen=True)
class Targets:
    """The `targets` section: each level maps a name (tier, stage, partner id) to factors."""

    min_history_quarters: int = field(
        default=2,
        metadata={
            "doc": "quarters of own history below which the peers' median is the baseline",
            "minimum": 0,
            "maximum": 4,
        },
    )
    metrics: dict = field(
        default_factory=lambda: {stage: () for stage in STAGES},
        metadata={"doc": "stage -> the metrics given a target", "by_stage": "metrics"},
    )
    defaults: dict = field(
        default_factory=lambda: dict(DEFAULTS),
        metadata={"doc": "the factors of every partner (built-in defaults underneath)", "factors": True},
    )
    by_tier: dict = field(default_factory=dict, metadata={"doc": "tier -> factors", "factors": "by name"})
    by_stage: dict = field(default_factory=dict, metadata={"doc": "stage -> factors", "factors": "by stage"})
    by_partner: dict = field(
        default_factory=dict, metadata={"doc": "partner id -> factors", "factors": "by name"}
    )

    def factors_for(self, tier: str = "", stage: str = "", partner: str = "") -> dict:
        """A partner's factors after precedence (by_partner > by_stage > by_tier > defaults),
        without partners.capacity_share, which sits between by_partner and by_stage."""
        return {
            **self.defaults,
            **self.by_tier.get(tier, {}),
            **self.by_stage.get(stage, {}),
            **self.by_partner.get(partner, {}),
        }

    def metrics_for(self, stage: str) -> tuple[str, ...]:
        """The metrics given a target in `stage`."""
        return tuple(self.metrics.get(stage, ()))


SECTION_KEYS = ("min_history_quarters", "metrics", "defaults", *LEVELS)


def parse(raw: Any, file: str) -> Targets:
    """The section checked, built-in defaults filled in; errors start "<file>: targets."."""
    where = f"{file}: targets"
    section = check_keys(raw or {}, SECTION_KEYS, where)
    minimum = section.get("min_history_quarters", 2)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= 4:
        raise ParamsError(f"{where}.min_history_quarters: expected a whole number 0-4, found {minimum!r}")
    block = check_keys(section.get("metrics") or {}, STAGES, f"{where}.metrics")
    metrics = {stage: metric_names(block.get(stage, []), f"{where}.metrics.{stage}") for stage in STAGES}
    defaults = {**DEFAULTS, **_factors(section.get("defaults") or {}, f"{where}.defaults")}
    check_keys(section.get("by_stage") or {}, STAGES, f"{where}.by_stage")
    levels = {}
    for level in LEVELS:
        block = section.get(level) or {}
        if not isinstance(block, dict):
            raise ParamsError(f"{where}.{level}: expected a mapping of name -> factors")
        levels[level] = {str(k): _factors(v or {}, f"{where}.{level}.{k}") for k, v in block.items()}
    return Targets(min_history_quarters=minimum, metrics=metrics, defaults=defaults, **levels)


def _factors(block: Any, where: str) -> dict:
    check_keys(block, FACTORS, where)
    for key, value in block.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ParamsError(f"{where}.{key}: expected a number, found {value!r}")
        if key in SHARES and not 0 <= value <= 1:
            raise ParamsError(f"{where}.{key}: expected a share from 0 to 1, found {value!r}")
        if key == "growth" and value <= -1:
            raise ParamsError(f"{where}.{key}: expected a growth rate above -1 (-100%), found {value!r}")
        if key in MULTIPLIERS and not 0 < value <= 2:
            raise ParamsError(f"{where}.{key}: expected a multiplier above 0 and at most 2, found {value!r}")
    return dict(block)
