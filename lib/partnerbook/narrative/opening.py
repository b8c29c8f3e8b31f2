"""The story: opening section."""
from __future__ import annotations

from .core import Context, Section, _e, audience

# ---------------------------------------------------------------- from a workbook

def context(wb, audience: str = "") -> Context:
    """The story's context from an opened Workbook: metric table, stages, health, links."""
    from .. import lifecycle, metrics
    period = wb.period
    plan = globals()["audience"](wb.program, audience)  # checks the slug early
    stages = getattr(wb, "stages", None)
    if stages is None:
        stages = lifecycle.stage_at(wb.dataset, wb.program, period)
    health = getattr(wb, "health", None)
    if health is None:
        health = lifecycle.health(wb.dataset, wb.metrics, wb.program, period)
    return Context(metrics=wb.metrics, program=wb.program, period=period.name,
                   prior=period.prior().name, year_ago=period.year_ago().name,
                   unavailable=metrics.unavailable(wb.dataset), catalogue=metrics.CATALOGUE,
                   dataset=wb.dataset, audience=plan["slug"], stages=stages,
                   prior_stages=lifecycle.stage_at(wb.dataset, wb.program, period.prior()),
                   health=health, period_start=period.start, period_end=period.end,
                   links=getattr(wb, "reports", None))


def title(ctx: Context) -> Section:
    """The title block: programme, period, audience."""
    aud = audience(ctx.program, ctx.audience)
    name = ctx.program.get("program", {}).get("name", "Partner programme")
    for_whom = f" for {aud['name']}" if ctx.audience else ""
    section = Section("title")
    section.html.append(f"<h1>{_e(name)}: the story of {_e(ctx.period)}{_e(for_whom)}</h1>")
    section.html.append("<p>What happened in the partner programme this period, written from "
                        "the numbers for the people who lead it.</p>")
    return section
