"""The JSON Schema of params/program.yaml, generated from the code that reads the file.

    python -m partnerbook.programme_schema > params/program.schema.json     (`make schema`)

The `program` section comes from `programme.Settings` (types, bounds, descriptions); the
other sections from the key lists, stages, factors and metric catalogue of the modules that
read them, so the schema cannot drift from the code (tests/test_programme.py compares the
shipped file with this output). program.yaml's first line points editors at it:
`# yaml-language-server: $schema=program.schema.json` (VS Code's YAML extension, and any
editor using yaml-language-server, then completes keys and flags a misspelt one).
"""
from __future__ import annotations

import json
from dataclasses import fields

from . import goals, lifecycle, programme, recipients, targets
from .narrative import core as narrative
from .metrics import CATALOGUE
from .tables import STAGES

_JSON = {"str": "string", "int": "integer"}


def _object(properties: dict, doc: str = "") -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": properties}
    return {"description": doc, **out} if doc else out


def _metrics_list(doc: str = "") -> dict:
    out = {"type": "array", "items": {"enum": sorted(CATALOGUE)}}
    return {"description": doc, **out} if doc else out


def _by_stage(value: dict) -> dict:
    return _object({stage: value for stage in STAGES})


def _program() -> dict:
    props = {}
    for f in fields(programme.Settings):
        prop = {"type": _JSON[f.type], "description": f.metadata["doc"], "default": f.default}
        prop.update({k: f.metadata[k] for k in ("minimum", "maximum") if k in f.metadata})
        props[f.name] = prop
    return _object(props, "name, currency and fiscal year (partnerbook.programme)")


def _factors() -> dict:
    return _object({f: {"type": "number", "minimum": 0} for f in targets.FACTORS})


def schema() -> dict:
    """The schema (JSON Schema 2020-12) of program.yaml."""
    sections = {
        "program": _program(),
        "lifecycle": _object({
            "stages": {"type": "array", "items": {"enum": list(STAGES)}},
            "recommended_metrics": _by_stage(_metrics_list()),
            "inference": _object({k: {"type": "integer", "minimum": 0} for k in lifecycle.INFERENCE_KEYS}),
        }, "stages, the metrics recommended per stage, the rules that infer a stage (partnerbook.lifecycle)"),
        "health": _object({
            "at_risk_signals": {"type": "integer", "minimum": 1},
            "activity_metrics": _metrics_list(),
            "signals": _object({k: {} for k in lifecycle.SIGNAL_KEYS}),
        }, "the rules of the health flag (partnerbook.lifecycle)"),
        "values": {"type": "array", "items": {"type": "string"},
                   "description": "the company's values (partnerbook.goals)"},
        "objectives": {"type": "array", "description": "business objectives (partnerbook.goals)",
                       "items": _object({**{k: {} for k in goals.OBJECTIVE_KEYS},
                                         "kind": {"enum": list(goals.KINDS)},
                                         "grain": {"enum": list(goals.GRAINS)}})},
        "channel_goals": {"type": "array", "description": "channel goals (partnerbook.goals)",
                          "items": _object({**{k: {} for k in goals.GOAL_KEYS},
                                            "metric": {"enum": sorted(CATALOGUE)},
                                            "grain": {"enum": list(goals.GRAINS)},
                                            "supports": {"type": "array", "items": {"type": "string"}}})},
        "targets": _object({
            **{k: {} for k in targets.SECTION_KEYS},
            "min_history_quarters": {"type": "integer", "minimum": 0},
            "metrics": _by_stage(_metrics_list()),
            "defaults": _factors(),
            "by_tier": {"type": "object", "additionalProperties": _factors()},
            "by_stage": _by_stage(_factors()),
            "by_partner": {"type": "object", "additionalProperties": _factors()},
        }, "partner target factors (partnerbook.targets)"),
        "reporting": _object({
            **{k: {} for k in narrative.REPORTING_KEYS},
            "audiences": {"type": "array", "items": _object({
                **{k: {} for k in narrative.AUDIENCE_KEYS},
                "use_cases": {"type": "array", "items": {"enum": list(narrative.USE_CASES)}}})},
        }, "the stakeholder story's plan (partnerbook.narrative)"),
        "tiers": _object({
            "window_quarters": {"type": "integer", "minimum": 1},
            "levels": {"type": "array", "description": "lowest first", "items": _object({
                "name": {"type": "string"},
                "criteria": _object({m: {"type": "number"} for m in sorted(CATALOGUE)})})},
        }, "tier levels and the criteria a partner must meet (partnerbook.tiers)"),
        "surveys": _object({
            "min_respondents": {"type": "integer", "minimum": 1},
            "attributable": {"type": "boolean"},
        }, "how survey answers are shown in the partner editions (partnerbook.params.check_editions)"),
        "deal_registrations": _object({
            "valid_days": {"type": "integer", "minimum": 1},
        }, "a registration without expires_on expires this many days after submission"),
        "delivery": _object({
            **{k: {} for k in recipients.PLAN_KEYS},
            "partners": _object({k: {} for k in recipients.PARTNER_KEYS}),
        }, "what `partnerbook deliver` sends, to whom, how (partnerbook.delivery)"),
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "partnerbook programme (params/program.yaml)",
            "description": "Generated by `make schema` (partnerbook.programme_schema); do not edit.",
            "type": "object", "additionalProperties": False, "properties": sections}


def text() -> str:
    return json.dumps(schema(), indent=2) + "\n"


if __name__ == "__main__":
    print(text(), end="")
