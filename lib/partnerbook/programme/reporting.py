"""The `reporting` section: the stakeholder story's cadence, thresholds and audiences."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import ParamsError
from ..usecases import NAMES as USE_CASES
from ..yamlfiles import check_keys

# the story's sections (partnerbook.narrative.plan.SECTIONS has one entry for each)
STORY_SECTIONS = (
    "scorecard",
    "summary",
    "bridge",
    "outlook",
    "pipeline",
    "mdf",
    "leads",
    "training",
    "cohorts",
    "why",
    "portfolio",
    "voices",
    "use_cases",
    "next_steps",
    "sales_steps",
    "marketing_steps",
    "enablement_steps",
)
CADENCES = ("monthly", "quarterly", "yearly")


@dataclass(frozen=True)
class AudiencePlan:
    """One audience of the story: story-<slug>.html and who receives it."""

    slug: str = field(metadata={"doc": "the audience's file name: story-<slug>.html"})
    name: str = field(default="", metadata={"doc": "the audience in words"})
    objectives: tuple[str, ...] = field(
        default=(), metadata={"doc": "ids of the objectives it reads (empty: all)"}
    )
    use_cases: tuple[str, ...] = field(
        default=(), metadata={"doc": "the use cases it reads (empty: all)", "enum": USE_CASES}
    )
    sections: tuple[str, ...] = field(
        default=(), metadata={"doc": "its story's sections, in order", "enum": STORY_SECTIONS}
    )
    recipients: tuple[str, ...] = field(default=(), metadata={"doc": "e-mail addresses its story is sent to"})
    channel: str = field(default="smtp", metadata={"doc": "how it is sent", "enum": ("smtp", "folder")})
    formats: tuple[str, ...] = field(
        default=("html", "pdf"), metadata={"doc": "what is sent", "enum": ("html", "pdf")}
    )


@dataclass(frozen=True)
class Reporting:
    """The `reporting` section."""

    cadence: str = field(
        default="quarterly", metadata={"doc": "how often the story is rendered and sent", "enum": CADENCES}
    )
    change_threshold: float = field(
        default=0.02,
        metadata={
            "doc": "a change smaller than this (2%, or 2 points for a rate) reads as flat",
            "minimum": 0,
        },
    )
    audiences: tuple[AudiencePlan, ...] = field(default=(), metadata={"doc": "one story per audience"})
    voices: int = field(default=4, metadata={"doc": "stories, posts and comments quoted", "minimum": 0})
    movers: int = field(default=3, metadata={"doc": "partners named among the biggest movers", "minimum": 0})
    plan_tiers: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "next steps flag partners of these tiers without an active joint business plan"},
    )
    bridge_top: int = field(default=5, metadata={"doc": "partners named in the revenue bridge", "minimum": 0})

    def audience(self, slug: str) -> AudiencePlan | None:
        """The audience with this slug, None when there is none."""
        return next((a for a in self.audiences if a.slug == slug), None)


REPORTING_KEYS = tuple(f.name for f in fields(Reporting))
AUDIENCE_KEYS = tuple(f.name for f in fields(AudiencePlan))


def parse(raw: Any, file: str, objective_ids: tuple[str, ...]) -> Reporting:
    """The section checked: keys, numbers, each audience's objectives, sections and use cases."""
    plan = check_keys(raw or {}, REPORTING_KEYS, f"{file}: reporting")
    for key in ("change_threshold", "voices", "movers", "bridge_top"):
        value, whole = plan.get(key, 0), key != "change_threshold"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value < 0:
            kind = "a whole number" if whole else "a number"
            raise ParamsError(f"{file}: reporting.{key}: expected {kind} of 0 or more, found {value!r}")
    given = {
        k: v
        for k, v in plan.items()
        if k in ("cadence", "change_threshold", "voices", "movers", "bridge_top")
    }
    audiences = plan.get("audiences") or []
    if not isinstance(audiences, list):
        raise ParamsError(f"{file}: reporting.audiences: expected a list of audiences")
    return Reporting(
        **given,
        plan_tiers=tuple(str(t) for t in plan.get("plan_tiers") or ()),
        audiences=tuple(
            _audience(a, f"{file}: reporting.audiences[{i}]", objective_ids) for i, a in enumerate(audiences)
        ),
    )


def _audience(aud: Any, where: str, objective_ids: tuple[str, ...]) -> AudiencePlan:
    check_keys(aud, AUDIENCE_KEYS, where)
    for oid in aud.get("objectives") or []:
        if objective_ids and str(oid) not in objective_ids:
            raise ParamsError(
                f"{where}.objectives: unknown objective {oid!r} (known: {', '.join(sorted(objective_ids))})"
            )
    for key in aud.get("sections") or []:
        if key not in STORY_SECTIONS:
            raise ParamsError(
                f"{where}.sections: unknown section {key!r} (allowed: {', '.join(STORY_SECTIONS)})"
            )
    for case in aud.get("use_cases") or []:
        if case not in USE_CASES:
            raise ParamsError(
                f"{where}.use_cases: unknown use case {case!r} (allowed: {', '.join(USE_CASES)})"
            )
    slug = str(aud.get("slug") or "")
    if not slug:
        raise ParamsError(f"{where}.slug: required (a short name for story-<slug>.html)")
    formats = aud.get("formats", ("html", "pdf"))
    return AudiencePlan(
        slug=slug,
        name=str(aud.get("name") or slug),
        objectives=tuple(str(o) for o in aud.get("objectives") or ()),
        use_cases=tuple(aud.get("use_cases") or ()),
        sections=tuple(aud.get("sections") or ()),
        recipients=tuple(str(r) for r in aud.get("recipients") or ()),
        channel=str(aud.get("channel", "smtp")),
        formats=tuple(formats.split(",") if isinstance(formats, str) else formats),
    )
