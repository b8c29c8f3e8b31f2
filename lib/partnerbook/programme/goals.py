"""The `values`, `objectives` and `channel_goals` sections: what the programme aims at."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .. import periods
from ..errors import ParamsError
from ..metrics import CATALOGUE
from ..yamlfiles import check_keys

KINDS = (
    "market_expansion",
    "new_product_launch",
    "sales_growth",
    "strategic_advantage",
    "channel_roi",
    "cost_of_sales",
    "market_share",
)
# Derived programme measures and the inputs each needs (parameters of the objective).
DERIVED = {
    "channel_roi": ("programme_costs", "gross_margin"),
    "cost_of_sales": ("programme_costs",),
    "market_share": ("market_size",),
    "segment_share": ("segment",),
    "product_share": ("product_category", "product_sales"),
}
# Inputs that name something (a segment, a product category) rather than give an amount.
TEXT_INPUTS = ("segment", "product_category")
INPUTS = tuple(sorted({k for v in DERIVED.values() for k in v}))
GRAINS = ("quarter", "year", "month")


@dataclass(frozen=True)
class Objective:
    """A business objective, measured by one metric (a catalogue name or a derived measure)."""

    id: str = field(metadata={"doc": "a short id other sections refer to"})
    name: str = field(metadata={"doc": "the objective in words"})
    kind: str = field(metadata={"doc": "the kind of objective", "enum": KINDS})
    metric: str = field(
        default="",
        metadata={
            "doc": "a catalogue metric or a derived measure",
            "enum": tuple(sorted(CATALOGUE)) + tuple(sorted(DERIVED)),
        },
    )
    target: float | None = field(default=None, metadata={"doc": "the target per period of its grain"})
    period: str = field(default="", metadata={"doc": "the one period it is measured in (2026-Q4, FY2026)"})
    grain: str = field(
        default="quarter",
        metadata={"doc": "measured in every period of this length (without `period`)", "enum": GRAINS},
    )
    value: str = field(default="", metadata={"doc": "the company value it serves (one of `values`)"})
    inputs: dict = field(
        default_factory=dict,
        metadata={"doc": "a derived measure's inputs, in the programme currency per period", "keys": INPUTS},
    )
    description: str = field(default="", metadata={"doc": "a sentence for readers"})


@dataclass(frozen=True)
class ChannelGoal:
    """What the channel must deliver each period, and the objectives it supports."""

    id: str = field(metadata={"doc": "a short id"})
    name: str = field(metadata={"doc": "the goal in words (default: its id)"})
    metric: str = field(metadata={"doc": "a catalogue metric", "enum": tuple(sorted(CATALOGUE))})
    target: float = field(metadata={"doc": "the target per period of its grain", "minimum": 0})
    grain: str = field(default="quarter", metadata={"doc": "quarter, year or month", "enum": GRAINS})
    supports: tuple[str, ...] = field(default=(), metadata={"doc": "ids of the objectives it supports"})
    description: str = field(default="", metadata={"doc": "a sentence for readers"})


OBJECTIVE_KEYS = tuple(f.name for f in fields(Objective))
GOAL_KEYS = tuple(f.name for f in fields(ChannelGoal))
REQUIRED = {"objectives": ("id", "name", "kind"), "channel_goals": ("id", "metric", "target")}


def parse_values(raw: Any, file: str) -> tuple[str, ...]:
    """The company's values, in the order given."""
    items = raw or []
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ParamsError(f"{file}: values: expected a list of short texts, found {items!r}")
    return tuple(items)


def _list_of_mappings(raw: Any, file: str, section: str) -> list[dict]:
    items = raw or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ParamsError(f"{file}: {section}: expected a list of mappings, one per item")
    return items


def _unique(ids: list, file: str, section: str) -> None:
    seen = set()
    for i, key in enumerate(ids):
        if key in seen:
            raise ParamsError(f"{file}: {section}[{i}].id: {key!r} is used twice")
        seen.add(key)


def parse_objectives(
    raw: Any, file: str, values: tuple[str, ...], fy_start_month: int
) -> tuple[Objective, ...]:
    """The objectives checked: kind, metric, value, period or grain, target, a derived measure's inputs."""
    items = [
        _objective(o, f"{file}: objectives[{i}]", values, fy_start_month)
        for i, o in enumerate(_list_of_mappings(raw, file, "objectives"))
    ]
    _unique([o.id for o in items], file, "objectives")
    return tuple(items)


def _objective(item: dict, where: str, values: tuple[str, ...], fy_start_month: int) -> Objective:
    check_keys(item, OBJECTIVE_KEYS, where)
    for key in ("id", "name"):
        if not item.get(key):
            raise ParamsError(f"{where}.{key}: required (a short text)")
    kind = item.get("kind")
    if kind not in KINDS:
        raise ParamsError(f"{where}.kind: unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
    metric = item.get("metric")
    if metric and metric not in CATALOGUE and metric not in DERIVED:
        allowed = ", ".join(sorted(CATALOGUE) + sorted(DERIVED))
        raise ParamsError(f"{where}.metric: unknown metric {metric!r} (allowed: {allowed})")
    value = item.get("value")
    if value and value not in values:
        raise ParamsError(f"{where}.value: {value!r} is not one of the values (allowed: {', '.join(values)})")
    _period_and_grain(item, where, fy_start_month)
    target = item.get("target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float))):
        raise ParamsError(f"{where}.target: expected a number, found {target!r}")
    inputs = _inputs(item.get("inputs") or {}, metric, f"{where}.inputs")
    return Objective(
        id=item["id"],
        name=item["name"],
        kind=kind,
        metric=metric or "",
        target=None if target is None else float(target),
        period=str(item.get("period") or ""),
        grain="" if item.get("period") else item.get("grain") or "quarter",
        value=value or "",
        inputs=inputs,
        description=str(item.get("description") or ""),
    )


def _period_and_grain(item: dict, where: str, fy_start_month: int) -> None:
    if item.get("period") is not None:
        try:
            periods.parse(str(item["period"]), fy_start_month=fy_start_month)
        except ParamsError as exc:
            raise ParamsError(f"{where}.period: {exc}") from None
    if item.get("grain") is not None:
        if item["grain"] not in GRAINS:
            raise ParamsError(
                f"{where}.grain: unknown grain {item['grain']!r} (allowed: {', '.join(GRAINS)})"
            )
        if item.get("period") is not None:
            raise ParamsError(
                f"{where}: give `period` (one period) or `grain` (every period of that length), not both"
            )


def _inputs(raw: Any, metric: str | None, where: str) -> dict:
    inputs = check_keys(raw, INPUTS, where)
    for key in DERIVED.get(metric, ()):
        number = inputs.get(key)
        if key in TEXT_INPUTS:
            if not isinstance(number, str) or not number.strip():
                raise ParamsError(
                    f"{where}.{key}: {metric} needs {key} as a name (e.g. ENT, Security), found {number!r}"
                )
            continue
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number <= 0:
            raise ParamsError(f"{where}.{key}: {metric} needs {key} as a number above 0, found {number!r}")
    if "gross_margin" in inputs and not 0 < inputs["gross_margin"] <= 1:
        raise ParamsError(
            f"{where}.gross_margin: expected a share in (0, 1], found {inputs['gross_margin']!r}"
        )
    return dict(inputs)


def parse_channel_goals(raw: Any, file: str, objectives: tuple[Objective, ...]) -> tuple[ChannelGoal, ...]:
    """The channel goals checked: metric, target, grain, the objectives each supports."""
    objective_ids = [o.id for o in objectives]
    goals = []
    for i, item in enumerate(_list_of_mappings(raw, file, "channel_goals")):
        where = f"{file}: channel_goals[{i}]"
        check_keys(item, GOAL_KEYS, where)
        if not item.get("id"):
            raise ParamsError(f"{where}.id: required (a short text)")
        metric = item.get("metric")
        if metric not in CATALOGUE:
            raise ParamsError(
                f"{where}.metric: unknown metric {metric!r} (allowed: {', '.join(sorted(CATALOGUE))})"
            )
        target = item.get("target")
        if isinstance(target, bool) or not isinstance(target, (int, float)) or target < 0:
            raise ParamsError(f"{where}.target: expected a number of 0 or more, found {target!r}")
        grain = item.get("grain", "quarter")
        if grain not in GRAINS:
            raise ParamsError(f"{where}.grain: unknown grain {grain!r} (allowed: {', '.join(GRAINS)})")
        supports = item.get("supports") or []
        for ref in supports:
            if ref not in objective_ids:
                raise ParamsError(
                    f"{where}.supports: unknown objective {ref!r} (allowed: {', '.join(objective_ids)})"
                )
        goals.append(
            ChannelGoal(
                id=item["id"],
                name=item.get("name", item["id"]),
                metric=metric,
                target=float(target),
                grain=grain,
                supports=tuple(supports),
                description=str(item.get("description") or ""),
            )
        )
    _unique([g.id for g in goals], file, "channel_goals")
    return tuple(goals)
