"""The story: steps section."""
from __future__ import annotations

import pandas as pd

from .core import (
    Context,
    Section,
    Writer,
    _absent,
    _e,
    _list_html,
    _p,
    _partner_html,
    audience,
    plural,
)
from .folio import best_fit
from .scores import objective_scores

# ---------------------------------------------------------------- next steps

def next_steps(ctx: Context) -> Section:
    """Actions from rules: key-tier partners without an active plan, partners at risk,
    lookalikes to enable, selling partners without a certification, the weakest objective."""
    w = Writer(ctx, "next_steps")
    steps = [s for s in (_plan_step(w), _risk_step(w), _lookalike_step(w), _certify_step(w),
                         _objective_step(w)) if s]
    w.block(_list_html(steps) if steps else _p("No follow-up is flagged this period."))
    return w.section


def _active(ctx: Context) -> pd.Series:
    if ctx.stages is None:
        return pd.Series(dtype="string")
    return ctx.stages.astype("string").loc[lambda s: ~s.isin(["churned", "recruit"])]


def _plan_step(w: Writer) -> str:
    ctx = w.ctx
    tiers = ctx.reporting.get("plan_tiers") or []
    if _absent(ctx, "business_plans") or not tiers or ctx.stages is None:
        return ""
    partners = ctx.dataset["partners"].assign(partner_id=lambda d: d["partner_id"].astype(str))
    plans = ctx.dataset["business_plans"]
    with_plan = set(plans.loc[plans["status"] == "active", "partner_id"].astype(str))
    steps = []
    for tier in tiers:
        who = partners.loc[(partners["tier"] == tier) & partners["partner_id"].isin(_active(ctx).index.astype(str))
                           & ~partners["partner_id"].isin(with_plan)]
        if len(who):
            steps.append(f"{w.num(len(who), 'count', 'partners', scope=f'tier={tier}, no active plan', kind='group')} "
                         f"{tier} {plural(len(who), 'partner has', 'partners have')} no active joint business plan: "
                         "agree one with each.")
    return _e(" ".join(steps))


def _risk_step(w: Writer) -> str:
    from .. import portfolio
    risk = portfolio.at_risk(w.ctx.health)
    if risk.empty:
        return ""
    if len(risk) == 1:
        return (f"Review the partner at risk, {_partner_html(w.ctx, risk['partner_id'].iloc[0])}, "
                "with its account manager.")
    return _e(f"Review the {w.num(len(risk), 'count', 'partners', scope='health=at risk', kind='group')} "
              "partners at risk with their account managers.")


def _lookalike_step(w: Writer) -> str:
    found = best_fit(w.ctx)
    like = found[1] if found else None
    if like is None or like.empty:
        return ""
    if len(like) == 1:
        return (f"Prioritise enablement for {_partner_html(w.ctx, like['partner_id'].iloc[0])}, an early-stage "
                "partner that matches the profile of the best partners.")
    n = w.num(len(like), 'count', 'partners', scope='early stage like top partners', kind='group')
    return _e(f"Prioritise enablement for the {n} early-stage partners that match the profile of the best partners.")


def _certify_step(w: Writer) -> str:
    ctx = w.ctx
    if _absent(ctx, "engagements") or ctx.stages is None:
        return ""
    eng = ctx.dataset["engagements"]
    certified = set(eng.loc[eng["kind"] == "certification", "partner_id"].astype(str))
    selling = ctx.stages.astype("string").loc[lambda s: s.isin(["sell", "grow"])].index.astype(str)
    n = len(set(selling) - certified)
    if not n:
        return ""
    return _e(f"{w.num(n, 'count', 'partners', scope='sell or grow, never certified', kind='group')} selling "
              f"{plural(n, 'partner has', 'partners have')} no certification yet: invite "
              f"{plural(n, 'it', 'them')} to the next one.")


def _objective_step(w: Writer) -> str:
    aud = audience(w.ctx.program, w.ctx.audience)
    scores = objective_scores(w.ctx, aud.get("objectives")).dropna(subset=["attainment"])
    behind = scores.loc[scores["attainment"] < 1].sort_values("attainment", kind="stable")
    if behind.empty:
        return ""
    row = behind.iloc[0]
    return _e(f"{row['name']} is furthest behind "
              f"({w.num(row['attainment'], 'rate', row['metric'], kind='attainment')} of target): "
              "review the channel goals that support it.")
