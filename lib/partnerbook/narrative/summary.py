"""The story: summary section."""
from __future__ import annotations

import pandas as pd

from .core import (
    GROWTH,
    Context,
    Section,
    Writer,
    _get,
    _lower,
    audience,
    objectives,
    plural,
    programme_rows,
    trend,
)
from .scores import attainment, objective_scores

# ---------------------------------------------------------------- the executive summary

def summary(ctx: Context) -> Section:
    """Three to six sentences: revenue, win rate, logos and registrations, objectives, biggest change."""
    w = Writer(ctx, "summary")
    rows = programme_rows(ctx.metrics)
    for part in (_revenue_sentence, _win_rate_sentence, _logos_sentence, _objectives_sentence,
                 _biggest_change_sentence):
        sentence = part(w, rows)
        if sentence:
            w.say(sentence)
    w.paragraph()
    return w.section


def _revenue_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    revenue = _get(rows, "revenue")
    if revenue is None:
        return f"No revenue figure is available for {ctx.period}."
    if revenue == 0:
        head = f"No revenue was won through partners in {ctx.period}"
    else:
        head = f"Partner revenue was {w.num(revenue, 'money', 'revenue')} in {ctx.period}"
    clauses = [c for c in (_growth(w, rows, "revenue_growth_qoq", ctx.prior),
                           _growth(w, rows, "revenue_growth_yoy", ctx.year_ago)) if c]
    text = head + (", " + " and ".join(clauses) if clauses else "")
    goal = _goal_clause(w, rows, "revenue")
    return text + (goal or "") + "."


def _growth(w: Writer, rows: pd.DataFrame, metric: str, other: str) -> str:
    change = _get(rows, metric)
    if not other:
        return ""
    if change is None:
        return f"with no revenue in {other} to compare" if metric == "revenue_growth_qoq" else ""
    direction = trend(change, w.ctx.threshold)
    if direction == "flat":
        return f"flat on {other}"
    return f"{direction} {w.num(abs(change), 'rate', metric, kind='change')} on {other}"


def _goal_clause(w: Writer, rows: pd.DataFrame, metric: str) -> str:
    goal = next((o for o in objectives(w.ctx.program, w.ctx.period) if o["metric"] == metric and o.get("target")), None)
    value = _get(rows, metric)
    if goal is None or value is None:
        return ""
    unit = w.ctx.meta(metric).unit
    share = attainment(value, float(goal["target"]), w.ctx.meta(metric).good)
    return (f": {w.num(share, 'rate', metric, kind='attainment')} of the "
            f"{w.num(goal['target'], unit, metric, kind='target')} goal")



def _win_rate_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    closed, won, rate = _get(rows, "opportunities_closed"), _get(rows, "deals_won"), _get(rows, "win_rate")
    if not closed or rate is None:
        return f"No partner deals were closed in {ctx.period}, so there is no win rate."
    text = (f"The win rate was {w.num(rate, 'rate', 'win_rate')} "
            f"({w.num(won or 0, 'count', 'deals_won')} of {w.num(closed, 'count', 'opportunities_closed')} "
            f"closed {plural(closed, 'deal')} won)")
    prior = _get(rows, "win_rate", "prior_value")
    if prior is None or not ctx.prior:
        return text + "."
    direction = trend(rate - prior, ctx.threshold)
    if direction == "flat":
        return text + f", about the same as in {ctx.prior}."
    return text + f", {direction} from {w.num(prior, 'rate', 'win_rate', period=ctx.prior, kind='prior')} in {ctx.prior}."


def _logos_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    logos = _get(rows, "new_logos") or 0
    first = ("Partners brought in no new logos" if logos == 0 else
             f"Partners brought in {w.num(logos, 'count', 'new_logos')} new {plural(logos, 'logo')}")
    if "deals_registered" in ctx.unavailable:
        return first + "; no deal registration data was supplied."
    regs = _get(rows, "deals_registered") or 0
    if regs == 0:
        return first + f", and no deal registrations were recorded in {ctx.period}."
    return (first + f" and submitted {w.num(regs, 'count', 'deals_registered')} "
            f"deal {plural(regs, 'registration')}.")



def _objectives_sentence(w: Writer, rows: pd.DataFrame) -> str:
    aud = audience(w.ctx.program, w.ctx.audience)
    scores = objective_scores(w.ctx, aud.get("objectives")).dropna(subset=["attainment"])
    if scores.empty:
        return ""
    scores = scores.sort_values("attainment", ascending=False, kind="stable")
    best, worst = scores.iloc[0], scores.iloc[-1]
    if len(scores) == 1:
        return (f"The one objective with data, “{best['name']}”, is at "
                f"{w.num(best['attainment'], 'rate', best['metric'], kind='attainment')} of target.")
    return (f"The strongest objective is “{best['name']}” at "
            f"{w.num(best['attainment'], 'rate', best['metric'], kind='attainment')} of target; "
            f"the weakest is “{worst['name']}” at "
            f"{w.num(worst['attainment'], 'rate', worst['metric'], kind='attainment')}.")


def biggest_change(ctx: Context, exclude: tuple = ()) -> pd.Series | None:
    """The programme metric (count or money) that changed most since the prior period."""
    rows = programme_rows(ctx.metrics).reset_index()
    units = rows["metric"].map(lambda m: ctx.meta(m).unit)
    cand = (rows.loc[units.isin(["count", "money"]) & ~rows["metric"].isin(exclude)]
                .dropna(subset=["value", "prior_value"])
                .loc[lambda d: d["prior_value"] > 0]
                .assign(change=lambda d: (d["value"] - d["prior_value"]) / d["prior_value"])
                .loc[lambda d: d["change"].abs() >= ctx.threshold])
    if cand.empty:
        return None
    return cand.loc[cand["change"].abs().sort_values(ascending=False, kind="stable").index[0]]


# Measures that are not complete for a recent period: claims and payments on this quarter's MDF
# requests arrive in later quarters, so their fall is timing, not news (and MDF return rests on them).
IMMATURE = ("mdf_claimed", "mdf_paid", "mdf_roi")


def _biggest_change_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    if not ctx.prior:
        return ""
    skip = ("revenue", "deals_won", "opportunities_closed", "new_logos", "deals_registered", *GROWTH, *IMMATURE)
    row = biggest_change(ctx, skip)
    if row is None:
        return ""
    meta = ctx.meta(row["metric"])
    direction = "up" if row["change"] > 0 else "down"
    return (f"The biggest change since {ctx.prior} was in {_lower(meta.label)}: "
            f"{w.num(row['value'], meta.unit, row['metric'])}, {direction} from "
            f"{w.num(row['prior_value'], meta.unit, row['metric'], period=ctx.prior, kind='prior')} "
            f"({w.num(row['change'], 'rate', row['metric'], kind='change', signed=True)}).")
