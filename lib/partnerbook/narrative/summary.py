"""The story: summary section."""

from __future__ import annotations

import pandas as pd

from .. import goals
from ..metrics import CATALOGUE
from ..usecases import USE_CASES
from ..i18n import N_, _, ngettext
from .core import (
    GROWTH,
    Context,
    Section,
    Writer,
    _get,
    audience,
    _lower,
    join,
    label,
    objectives,
    programme_rows,
    trend,
)
from .scores import attainment, objective_scores

# ---------------------------------------------------------------- the executive summary


def summary(ctx: Context) -> Section:
    """Three to six sentences: revenue, win rate, logos and registrations, objectives, the largest
    rise and fall."""
    w = Writer(ctx, "summary")
    rows = programme_rows(ctx.metrics)
    for part in (
        _revenue_sentence,
        _win_rate_sentence,
        _logos_sentence,
        _objectives_sentence,
        _biggest_change_sentence,
    ):
        sentence = part(w, rows)
        if sentence:
            w.say(sentence)
    w.paragraph()
    return w.section


REVENUE = {  # (revenue won?, comparison?, goal?) -> the whole sentence
    (True, False, False): N_("Partner revenue was {revenue} in {period}."),
    (True, True, False): N_("Partner revenue was {revenue} in {period}, {comparison}."),
    (True, False, True): N_("Partner revenue was {revenue} in {period}: {share} of the {target} goal."),
    (True, True, True): N_(
        "Partner revenue was {revenue} in {period}, {comparison}: {share} of the {target} goal."
    ),
    (False, False, False): N_("No revenue was won through partners in {period}."),
    (False, True, False): N_("No revenue was won through partners in {period}, {comparison}."),
    (False, False, True): N_(
        "No revenue was won through partners in {period}: {share} of the {target} goal."
    ),
    (False, True, True): N_(
        "No revenue was won through partners in {period}, {comparison}: {share} of the {target} goal."
    ),
}


def _revenue_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    revenue = _get(rows, "revenue")
    if revenue is None:
        return _("No revenue figure is available for {period}.").format(period=ctx.said(ctx.period))
    shown = w.num(revenue, "money", "revenue") if revenue else ""
    clauses = [
        c
        for c in (
            _growth(w, rows, "revenue_growth_qoq", ctx.prior),
            _growth(w, rows, "revenue_growth_yoy", ctx.year_ago),
        )
        if c
    ]
    goal = _goal(w, rows, "revenue")
    template = _(REVENUE[(bool(revenue), bool(clauses), goal is not None)])
    share, target = goal or ("", "")
    return template.format(
        revenue=shown, period=ctx.said(ctx.period), comparison=join(clauses), share=share, target=target
    )


def _growth(w: Writer, rows: pd.DataFrame, metric: str, other: str) -> str:
    """One comparison of revenue: 'up 15% on 2026-Q2', 'flat on 2025-Q3'."""
    change = _get(rows, metric)
    if not other:
        return ""
    if change is None:
        return (
            _("with no revenue in {period} to compare").format(period=w.ctx.said(other))
            if metric == "revenue_growth_qoq"
            else ""
        )
    direction = trend(change, w.ctx.threshold)
    if direction == "flat":
        return _("flat on {period}").format(period=w.ctx.said(other))
    shown = w.num(abs(change), "rate", metric, kind="change")
    phrase = _("up {change} on {period}") if direction == "up" else _("down {change} on {period}")
    return phrase.format(change=shown, period=w.ctx.said(other))


def _goal(w: Writer, rows: pd.DataFrame, metric: str) -> tuple[str, str] | None:
    """(share of the goal, the goal) as shown, or None without a goal or a value."""
    goal = next(
        (o for o in objectives(w.ctx.program, w.ctx.period) if o["metric"] == metric and o.get("target")),
        None,
    )
    value = _get(rows, metric)
    if goal is None or value is None:
        return None
    unit = w.ctx.meta(metric).unit
    share = attainment(value, float(goal["target"]), w.ctx.meta(metric).good)
    return (
        w.num(share, "rate", metric, kind="attainment"),
        w.num(goal["target"], unit, metric, kind="target"),
    )


def _win_rate_message(direction: str, closed: int) -> str:
    """The whole win-rate sentence for how it compares with the prior period, by deals closed."""
    if direction == "flat":
        return ngettext(
            "The win rate was {rate} ({won} of {closed} closed deal won), about the same as in "
            "{prior_period}.",
            "The win rate was {rate} ({won} of {closed} closed deals won), about the same as in "
            "{prior_period}.",
            closed,
        )
    if direction == "up":
        return ngettext(
            "The win rate was {rate} ({won} of {closed} closed deal won), up from {prior} in {prior_period}.",
            "The win rate was {rate} ({won} of {closed} closed deals won), up from {prior} in "
            "{prior_period}.",
            closed,
        )
    if direction == "down":
        return ngettext(
            "The win rate was {rate} ({won} of {closed} closed deal won), down from {prior} in "
            "{prior_period}.",
            "The win rate was {rate} ({won} of {closed} closed deals won), down from {prior} in "
            "{prior_period}.",
            closed,
        )
    return ngettext(
        "The win rate was {rate} ({won} of {closed} closed deal won).",
        "The win rate was {rate} ({won} of {closed} closed deals won).",
        closed,
    )


def _win_rate_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    closed, won, rate = _get(rows, "opportunities_closed"), _get(rows, "deals_won"), _get(rows, "win_rate")
    if not closed or rate is None:
        return _("No partner deals were closed in {period}, so there is no win rate.").format(
            period=ctx.said(ctx.period)
        )
    values = {
        "rate": w.num(rate, "rate", "win_rate"),
        "won": w.num(won or 0, "count", "deals_won"),
        "closed": w.num(closed, "count", "opportunities_closed"),
        "prior_period": ctx.said(ctx.prior),
        "prior": "",
    }
    prior = _get(rows, "win_rate", "prior_value")
    direction = "" if prior is None or not ctx.prior else trend(rate - prior, ctx.threshold)
    if direction in ("up", "down"):
        values["prior"] = w.num(prior, "rate", "win_rate", period=ctx.prior, kind="prior")
    return _win_rate_message(direction, round(closed)).format(**values)


LOGOS = {  # (new logos?, registrations: 'absent', 'none' or 'some') -> the whole sentence
    (False, "absent"): N_("Partners brought in no new logos; no deal registration data was supplied."),
    (True, "absent"): N_("Partners brought in {logos}; no deal registration data was supplied."),
    (False, "none"): N_(
        "Partners brought in no new logos, and no deal registrations were recorded in {period}."
    ),
    (True, "none"): N_("Partners brought in {logos}, and no deal registrations were recorded in {period}."),
    (False, "some"): N_("Partners brought in no new logos and submitted {registrations}."),
    (True, "some"): N_("Partners brought in {logos} and submitted {registrations}."),
}


def _logos_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    logos = _get(rows, "new_logos") or 0
    regs = 0 if "deals_registered" in ctx.unavailable else (_get(rows, "deals_registered") or 0)
    told = "absent" if "deals_registered" in ctx.unavailable else ("some" if regs else "none")
    shown = (
        ngettext("{n} new logo", "{n} new logos", round(logos)).format(n=w.num(logos, "count", "new_logos"))
        if logos
        else ""
    )
    registered = (
        ngettext("{n} deal registration", "{n} deal registrations", round(regs)).format(
            n=w.num(regs, "count", "deals_registered")
        )
        if regs
        else ""
    )
    return _(LOGOS[(bool(logos), told)]).format(
        logos=shown, registrations=registered, period=ctx.said(ctx.period)
    )


def _objectives_sentence(w: Writer, rows: pd.DataFrame) -> str:
    """The strongest and the weakest of the objectives the page's scorecard shows (an audience's
    own objectives on its story, all of them on the programme's), measured in the period; one below
    its target is never 'strongest'."""
    shown = audience(w.ctx.program, w.ctx.audience).get("objectives")
    scores = objective_scores(w.ctx, shown).dropna(subset=["attainment"])
    if scores.empty:
        return ""
    scores = scores.sort_values("attainment", ascending=False, kind="stable")
    best, worst = scores.iloc[0], scores.iloc[-1]
    if len(scores) == 1:
        return _("The one objective with data, “{objective}”, is at {share} of target.").format(
            objective=best["name"], share=w.num(best["attainment"], "rate", best["metric"], kind="attainment")
        )
    sentence = (
        _(
            "Of the {n} objectives measured in {period}, the strongest is “{best}” at {best_share} of "
            "target; the weakest is “{worst}” at {worst_share}."
        )
        if goals.standing_of(best["attainment"]) == "met"
        else _(
            "Of the {n} objectives measured in {period}, none met its target: the closest to it is "
            "“{best}” at {best_share} of target; the furthest is “{worst}” at {worst_share}."
        )
    )
    return sentence.format(
        n=w.num(len(scores), "count", "objectives", kind="group"),
        period=w.ctx.said(w.ctx.period),
        best=best["name"],
        best_share=w.num(
            best["attainment"],
            "rate",
            best["metric"],
            kind="attainment",
            finer=goals.share_hides_standing(best["attainment"]),
        ),
        worst=worst["name"],
        worst_share=w.num(
            worst["attainment"],
            "rate",
            worst["metric"],
            kind="attainment",
            finer=goals.share_hides_standing(worst["attainment"]),
        ),
    )


# A relative change needs a base: a count must be at least MIN_BASE in the prior period (1 to 3
# is "+200%" and means nothing); an amount of money any positive sum.
MIN_BASE = 5


def largest_moves(ctx: Context) -> tuple[pd.Series | None, pd.Series | None]:
    """(the largest rise, the largest fall) since the prior period, by relative change, over every
    programme count and amount in the metric table (headline and use-case measures alike) that is
    the audience's own (`_own_tables`), each at least the change threshold; None where there is none."""
    rows = programme_rows(ctx.metrics).reset_index()
    units = rows["metric"].map(lambda m: ctx.meta(m).unit)
    own = _own_tables(ctx)
    cand = (
        rows.assign(unit=units)
        .loc[lambda d: d["unit"].isin(["count", "money"]) & ~d["metric"].isin(GROWTH)]
        .loc[
            lambda d: d["metric"].map(
                lambda m: own is None or m not in CATALOGUE or CATALOGUE[m].source in own
            )
        ]
        .dropna(subset=["value", "prior_value"])
        .loc[lambda d: (d["prior_value"] > 0) & ((d["unit"] == "money") | (d["prior_value"] >= MIN_BASE))]
        .assign(change=lambda d: (d["value"] - d["prior_value"]) / d["prior_value"])
        .loc[lambda d: d["change"].abs() >= ctx.threshold]
        .sort_values("change", ascending=False, kind="stable")
    )
    rises, falls = cand.loc[cand["change"] > 0], cand.loc[cand["change"] < 0]
    return (
        None if rises.empty else rises.iloc[0],
        None if falls.empty else falls.iloc[-1],
    )


def _own_tables(ctx: Context) -> set[str] | None:
    """The source tables of an audience's own measures: the deals everyone reads (opportunities),
    the tables of the use cases it follows and those of its objectives' measures. A sales page
    names no MDF measure and no survey count as its largest fall (the marketing page may name
    MDF). None for everyone's story: every measure is its own."""
    if not ctx.audience:
        return None
    aud = audience(ctx.program, ctx.audience)
    tables = {"opportunities"} | {USE_CASES[c].table for c in aud["use_cases"] if c in USE_CASES}
    chosen = set(aud["objectives"] or ())
    metrics = [o["metric"] for o in objectives(ctx.program) if o.get("id") in chosen]
    return tables | {CATALOGUE[m].source for m in metrics if m in CATALOGUE}


# Measures that are not complete for a recent period: claims and payments on this quarter's MDF
# requests arrive in later quarters, so their fall is partly timing (said when one is named).
IMMATURE = ("mdf_claimed", "mdf_paid", "mdf_roi")

MOVES = {  # (a rise?, a fall?) -> the whole sentence
    (True, True): N_(
        "Since {prior_period}, the largest rise was in {rise}: {rise_value}, up from {rise_prior} "
        "({rise_change}); the largest fall was in {fall}: {fall_value}, down from {fall_prior} ({fall_change})."
    ),
    (True, False): N_(
        "Since {prior_period}, the largest rise was in {rise}: {rise_value}, up from {rise_prior} ({rise_change})."
    ),
    (False, True): N_(
        "Since {prior_period}, the largest fall was in {fall}: {fall_value}, down from {fall_prior} "
        "({fall_change})."
    ),
}


def _biggest_change_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    if not ctx.prior:
        return ""
    rise, fall = largest_moves(ctx)
    if rise is None and fall is None:
        return ""
    values = {"prior_period": ctx.said(ctx.prior), **_move(w, "rise", rise), **_move(w, "fall", fall)}
    sentence = _(MOVES[(rise is not None, fall is not None)]).format(**values)
    if fall is not None and fall["metric"] in IMMATURE:
        sentence += " " + _(
            "Claims and payments on this quarter's MDF keep arriving in later quarters, so that fall is "
            "partly timing."
        )
    return sentence


def _move(w: Writer, key: str, row: pd.Series | None) -> dict:
    """The placeholders of one move ('rise' or 'fall'): measure, value, prior value, change."""
    if row is None:
        return {}
    ctx, metric, unit = w.ctx, row["metric"], row["unit"]
    return {
        key: _lower(label(ctx, metric)),
        f"{key}_value": w.num(row["value"], unit, metric),
        f"{key}_prior": w.num(row["prior_value"], unit, metric, period=ctx.prior, kind="prior"),
        f"{key}_change": w.num(row["change"], "rate", metric, kind="change", signed=True),
    }
