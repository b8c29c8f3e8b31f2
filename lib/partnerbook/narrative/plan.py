"""The story: which sections each audience reads, in the reporting plan's order.

`reporting.audiences[].sections` in program.yaml lists the section keys of an audience's
story; story.html (no audience) has `MAIN`. The notebook calls `part(story, key)` once per key
it knows: a section the audience does not read comes back empty (nothing on the page).
"""

from __future__ import annotations

from ..i18n import N_, _
from . import audiences
from .bridge import bridge
from .core import Context, Section, _e, audience
from .folio import portfolio_section
from .outlook import outlook
from .scores import scorecard
from .steps import next_steps
from .summary import summary
from .usecases import use_cases
from .voices import voices
from .why import why

MAIN = ("scorecard", "summary", "bridge", "outlook", "why", "portfolio", "voices", "use_cases", "next_steps")

SECTIONS = {  # key -> (heading, one-line purpose, function)
    "scorecard": (
        N_("Scorecard"),
        (N_("Each objective: where it stands, its target, its status and its change on the prior period.")),
        scorecard,
    ),
    "summary": (N_("Summary"), "", summary),
    "bridge": (
        N_("Revenue bridge"),
        (
            N_(
                "Where the change in revenue came from, by partner (the largest named, the rest "
                "summed), by segment and by region; the parts add up to the change."
            )
        ),
        bridge,
    ),
    "outlook": (N_("Outlook"), "", outlook),
    "pipeline": (N_("Pipeline and registrations"), "", audiences.pipeline),
    "mdf": (N_("Market development funds"), "", audiences.mdf),
    "leads": (N_("Lead distribution"), "", audiences.leads),
    "training": (N_("Training and certification"), "", audiences.training),
    "cohorts": (N_("Onboarding speed"), "", audiences.cohorts),
    "why": (
        N_("Why: leading activity and later revenue"),
        (N_("What the partners who won more had done before; these are associations, not causes.")),
        why,
    ),
    "portfolio": (N_("The portfolio"), "", portfolio_section),
    "voices": (N_("The partners' voice"), "", voices),
    "use_cases": (N_("Use cases"), "", use_cases),
    "next_steps": (N_("Next steps"), "", next_steps),
    "sales_steps": (N_("Next steps"), "", audiences.sales_steps),
    "marketing_steps": (N_("Next steps"), "", audiences.marketing_steps),
    "enablement_steps": (N_("Next steps"), "", audiences.enablement_steps),
}


def sections_of(program: dict, slug: str) -> tuple[str, ...]:
    """The section keys of an audience's story (MAIN for story.html or when none are listed)."""
    return tuple(audience(program, slug).get("sections") or MAIN)


def part(ctx: Context, key: str) -> Section:
    """Section `key` with its heading when the audience reads it, else an empty Section."""
    if key not in SECTIONS:
        raise KeyError(f"story section {key!r}: expected one of {', '.join(SECTIONS)}")
    if key not in sections_of(ctx.program, ctx.audience):
        return Section(key)
    heading, purpose, make = SECTIONS[key]
    section = make(ctx)
    intro = [f"<h2>{_e(_(heading))}</h2>"] + (
        [f'<p class="pb-purpose">{_e(_(purpose))}</p>'] if purpose else []
    )
    section.html[:0] = intro
    section.bundle()  # any error in marking its numbers fails here, in the cell, not silently
    return section
