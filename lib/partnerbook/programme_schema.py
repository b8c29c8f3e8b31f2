"""The JSON Schema of params/program.yaml, generated from the programme's dataclasses.

    python -m partnerbook.programme_schema > params/program.schema.json     (`make schema`)

Each section of program.yaml is a frozen dataclass of `partnerbook.programme` (its fields'
types, defaults, bounds and descriptions); metric names come from the catalogue and stages
from `tables.STAGES`, so the schema cannot drift from the code (tests/test_programme.py
compares the shipped file with this output). The `delivery` section's shape is
`programme.Delivery` (what `recipients.plan` reads it into, `prog.delivery`, is shaped for
sending). program.yaml's first line points editors at the schema:
`# yaml-language-server: $schema=program.schema.json` (VS Code's YAML extension, and any
editor using yaml-language-server, then completes keys and flags a misspelt one).
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, fields, is_dataclass

from . import programme
from .metrics import CATALOGUE
from .programme.targets import FACTORS, MULTIPLIERS, SHARES
from .tables import STAGES

_JSON = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object"}
_DOCS = {
    "program": "name, currency, fiscal year, peer minimum, locale (partnerbook.programme.settings)",
    "lifecycle": "stages, the metrics recommended per stage, the rules that infer a stage (partnerbook.programme.lifecycle)",
    "health": "the rules of the health flag (partnerbook.programme.lifecycle)",
    "values": "the company's values (partnerbook.programme.goals)",
    "objectives": "business objectives (partnerbook.programme.goals)",
    "channel_goals": "channel goals (partnerbook.programme.goals)",
    "targets": "partner target factors (partnerbook.programme.targets)",
    "reporting": "the stakeholder story's plan (partnerbook.programme.reporting)",
    "tiers": "tier levels and the criteria a partner must meet (partnerbook.programme.tiers)",
    "surveys": "how survey answers are shown in the partner editions (partnerbook.programme.editions)",
    "deal_registrations": "a registration without expires_on expires this many days after submission",
    "delivery": "what `partnerbook deliver` sends, to whom, how (partnerbook.programme.delivery)",
}


def _object(properties: dict, doc: str = "") -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": properties}
    return {"description": doc, **out} if doc else out


def _metrics_list() -> dict:
    return {"type": "array", "items": {"enum": sorted(CATALOGUE)}}


def _factor(name: str) -> dict:
    if name in SHARES:
        return {"type": "number", "minimum": 0, "maximum": 1}
    if name in MULTIPLIERS:
        return {"type": "number", "exclusiveMinimum": 0, "maximum": 2}
    return {"type": "number", "exclusiveMinimum": -1}


def _factors() -> dict:
    return _object({f: _factor(f) for f in FACTORS})


_SPECIAL = {  # a field's metadata key -> its schema (shapes a Python type does not say)
    ("by_stage", "metrics"): lambda: _object({stage: _metrics_list() for stage in STAGES}),
    ("metrics", True): _metrics_list,
    ("factors", True): _factors,
    ("factors", "by name"): lambda: {"type": "object", "additionalProperties": _factors()},
    ("factors", "by stage"): lambda: _object({stage: _factors() for stage in STAGES}),
    ("criteria", True): lambda: _object({m: {"type": "number", "minimum": 0} for m in sorted(CATALOGUE)}),
    ("address_lists", True): lambda: {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}


def _type(tp) -> dict:
    """The schema of a Python type: str, int, float, bool, X | Y, tuple[X, ...], a dataclass."""
    if is_dataclass(tp):
        return dataclass_schema(tp)
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        kinds = [_JSON[t] for t in typing.get_args(tp) if t is not type(None)]
        return {"type": kinds if len(kinds) > 1 else kinds[0]}
    if typing.get_origin(tp) is tuple:
        return {"type": "array", "items": _type(typing.get_args(tp)[0])}
    return {"type": _JSON[tp]}


def _field(f, tp) -> dict:
    meta = f.metadata
    special = next((make for (key, value), make in _SPECIAL.items() if meta.get(key) == value), None)
    if special:
        out = special()
    elif "keys" in meta:
        out = _object({k: {} for k in meta["keys"]})
    elif "enum" in meta:
        enum = {"enum": list(meta["enum"])}
        out = {"type": "array", "items": enum} if typing.get_origin(tp) is tuple else enum
    else:
        out = _type(tp)
    out.update({k: meta[k] for k in ("minimum", "maximum") if k in meta})
    if f.default is not MISSING and isinstance(f.default, (str, int, float, bool)):
        out["default"] = f.default
    return {"description": meta["doc"], **out} if "doc" in meta else out


def dataclass_schema(cls, doc: str = "") -> dict:
    """An object whose properties are the dataclass's fields (no other key allowed)."""
    hints = typing.get_type_hints(cls)
    return _object({f.name: _field(f, hints[f.name]) for f in fields(cls)}, doc)


def _sections() -> dict:
    hints = typing.get_type_hints(programme.Programme)
    out = {"program": dataclass_schema(programme.Settings, _DOCS["program"])}
    for name in programme.SECTIONS[1:-1]:
        tp = hints[name]
        schema = _type(tp) if name != "values" else {"type": "array", "items": {"type": "string"}}
        out[name] = {"description": _DOCS[name], **schema}
    out["delivery"] = dataclass_schema(programme.Delivery, _DOCS["delivery"])
    return out


def schema() -> dict:
    """The schema (JSON Schema 2020-12) of program.yaml."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "partnerbook programme (params/program.yaml)",
        "description": "Generated by `make schema` (partnerbook.programme_schema); do not edit.",
        "type": "object",
        "additionalProperties": False,
        "properties": _sections(),
    }


def text() -> str:
    return json.dumps(schema(), indent=2) + "\n"


if __name__ == "__main__":
    print(text(), end="")
