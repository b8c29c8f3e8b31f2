"""The story: opening section."""

from __future__ import annotations

import pandas as pd

from .. import display
from ..i18n import _
from .core import Context, Section, _e, _p, audience
from .trace import STYLE

# ---------------------------------------------------------------- from a workbook


def context(wb, audience: str = "", due: str = "") -> Context:
    """The story's context from an opened Workbook, over the partners in the programme only
    (`wb.members`): metric table, stages, health, links; partners that left during the period
    with their last four quarters' revenue; `due` the next steps' date (ISO; "" = default)."""
    from .. import lifecycle, membership, metrics, periods, portfolio

    period = wb.period
    plan = globals()["audience"](wb.program, audience)  # checks the slug early
    ids = set(wb.members["partner_id"].astype(str))
    prior_ids = set(membership.members(wb.partners, period.prior())["partner_id"].astype(str))
    quarter = periods.of(period.end, "quarter", wb.fy_start_month)
    left = portfolio.left_this_period(
        wb.left_this_period, wb.history, [q.name for q in periods.last(quarter, 4)]
    )
    return Context(
        metrics=portfolio.only(wb.metrics, ids),
        program=wb.program,
        period=period.name,
        prior=period.prior().name,
        year_ago=period.year_ago().name,
        unavailable=metrics.unavailable(wb.dataset),
        catalogue=metrics.CATALOGUE,
        dataset=wb.dataset,
        audience=plan["slug"],
        stages=_only(wb.stages, ids),
        prior_stages=_only(lifecycle.stage_at(wb.dataset, wb.program, period.prior()), prior_ids),
        health=portfolio.only(wb.health, ids, keep_programme=False),
        period_start=period.start,
        period_end=period.end,
        links=getattr(wb, "reports", None),
        all_metrics=wb.metrics,
        left=left,
        members=frozenset(ids),
        history=wb.history,
        due=due,
        at_start=int(membership.at_start(wb.partners, period).sum()),
        risk_backtest=getattr(wb, "backtest", None),
    )


def _only(stages: pd.Series, ids: set[str]) -> pd.Series:
    return stages.loc[stages.index.astype(str).isin(ids)]


def title(ctx: Context) -> Section:
    """The title block: programme, period, audience."""
    aud = audience(ctx.program, ctx.audience)
    name = ctx.program.get("program", {}).get("name") or _("Partner programme")
    heading = (
        _("{programme}: the story of {period} for {audience}")
        if ctx.audience
        else _("{programme}: the story of {period}")
    )
    section = Section("title")
    section.html.append(
        f"<h1>{_e(heading.format(programme=name, period=ctx.said(ctx.period), audience=aud['name']))}</h1>{STYLE}"
    )
    section.html.append(
        _p(
            _(
                "What happened in the partner programme this period, written from "
                "the numbers for the people who lead it."
            )
        )
    )
    if ctx.dataset is not None:
        section.html.append(display.derived(ctx.dataset).data)  # e.g. new logos from account history
    return section
