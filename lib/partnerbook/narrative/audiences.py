"""The story: sections of the audience stories (reporting.audiences[].sections).

Sales: `pipeline` (open and registered pipeline, registration conversion, win rate by
segment, the largest open pipelines) and `sales_steps`. Marketing: `mdf` (the funnel
requested -> approved -> claimed -> paid and its return), `leads` (distribution, acceptance,
conversion) and `marketing_steps`. Enablement: `training` (trainings and certifications by
stage, the partners that trained most), `cohorts` (onboarding speed: days to first deal by
the quarter partners joined) and `enablement_steps`. Each writes its own sentences, so an
audience story shares little more than the summary with story.html.
"""
from __future__ import annotations

import pandas as pd

from .core import (
    Context,
    Section,
    Writer,
    _absent,
    _e,
    _get,
    _in_period,
    _list_html,
    _names,
    _p,
    _partner_html,
    partner_rows,
    plural,
    programme_rows,
    trend,
)
from .steps import Step, _by_owner, _item, _members


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" if i == 0 else f'<td class="num">{c}</td>'
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="pb-table-wrap"><table class="pb-table {cls}"><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _member_rows(ctx: Context, metric: str) -> pd.DataFrame:
    rows = partner_rows(ctx.metrics, metric)
    return rows if ctx.members is None else rows.loc[rows.index.isin(ctx.members)]


# ---------------------------------------------------------------- sales

def pipeline(ctx: Context) -> Section:
    """Open pipeline and its change, registered pipeline and how registrations converted, the
    win rate by segment, and the partners holding the most open pipeline."""
    w = Writer(ctx, "pipeline")
    rows = programme_rows(ctx.metrics)
    pipe, prior = _get(rows, "pipeline"), _get(rows, "pipeline", "prior_value")
    if pipe is None:
        w.block(_p("No open pipeline figure is available for this period."))
        return w.section
    text = f"Open pipeline stood at {w.num(pipe, 'money', 'pipeline')} at the end of {ctx.period}"
    if prior and ctx.prior:
        change = (pipe - prior) / prior
        move = trend(change, ctx.threshold)
        text += (f", about where it was at the end of {ctx.prior}" if move == "flat" else
                 f", {move} {w.num(abs(change), 'rate', 'pipeline', kind='change')} from "
                 f"{w.num(prior, 'money', 'pipeline', period=ctx.prior, kind='prior')} at the end of {ctx.prior}")
    w.say(text + ".")
    conv = _registrations(w)
    if conv:
        w.say(conv)
    w.paragraph()
    _segments(w)
    _largest(w)
    return w.section


def _registrations(w: Writer) -> str:
    ctx = w.ctx
    if _absent(ctx, "deal_registrations"):
        return "No deal registration data was supplied, so registration conversion is not known."
    regs = ctx.dataset["deal_registrations"]
    mine = regs.loc[_in_period(ctx, regs["submitted_on"])]
    if ctx.members is not None:
        mine = mine.loc[mine["partner_id"].astype(str).isin(ctx.members)]
    if mine.empty:
        return f"No deal was registered in {ctx.period}."
    scope = f"deal registrations submitted in {ctx.period}"
    converted = int((mine["status"] == "converted").sum())
    decided = int(mine["status"].isin(["approved", "rejected", "converted", "expired"]).sum())
    amount = float(mine.loc[mine["status"] != "rejected", "amount"].sum())
    return (f"Partners registered {w.num(len(mine), 'count', 'deals_registered', scope=scope)} "
            f"{plural(len(mine), 'deal')} worth {w.num(amount, 'money', 'registered_pipeline', scope=scope)}; "
            f"{w.num(converted, 'count', 'deals_registered', scope=scope + ', converted', kind='group')} of them "
            f"{'has' if converted == 1 else 'have'} already become opportunities and "
            f"{w.num(decided - converted, 'count', 'deals_registered', scope=scope + ', decided', kind='group')} more "
            f"{'was' if decided - converted == 1 else 'were'} decided without converting yet.")


def _segments(w: Writer) -> None:
    ctx = w.ctx
    mt = ctx.metrics
    seg = mt.loc[mt["partner_id"].isna() & mt["breakdown"].fillna("").str.startswith("segment=")
                 & mt["metric"].isin(["win_rate", "revenue", "pipeline"])]
    if seg.empty:
        return
    wide = seg.assign(segment=seg["breakdown"].str.slice(8)).pivot_table(
        index="segment", columns="metric", values="value", aggfunc="first")
    out = []
    for name, r in wide.iterrows():
        scope = f"segment={name}"
        out.append([_e(name), _e(w.num(r.get("revenue"), "money", "revenue", scope=scope, reason="no revenue")),
                    _e(w.num(r.get("win_rate"), "rate", "win_rate", scope=scope, reason="no closed deal")),
                    _e(w.num(r.get("pipeline"), "money", "pipeline", scope=scope, reason="none open"))])
    w.block("<h3>By segment</h3>" + _table(["Segment", "Revenue", "Win rate", "Open pipeline"], out, "pb-segments"))


def _largest(w: Writer) -> None:
    ctx = w.ctx
    pipe = _member_rows(ctx, "pipeline")["value"].dropna().sort_values(ascending=False, kind="stable")
    pipe = pipe.loc[pipe > 0].head(int(ctx.reporting.get("movers", 3)) + 2)
    if pipe.empty:
        return
    items = [f"{_partner_html(ctx, pid)}: "
             + _e(w.num(v, 'money', 'pipeline', scope=f'partner:{pid}') + " open") for pid, v in pipe.items()]
    w.block(_p("The partners holding the most open pipeline:") + _list_html(items))


def sales_steps(ctx: Context) -> Section:
    """Close plans for the largest open pipelines, one step per account manager."""
    w = Writer(ctx, "sales_steps")
    pipe = _member_rows(ctx, "pipeline")["value"].dropna().sort_values(ascending=False, kind="stable")
    ids = _members(ctx, pipe.loc[pipe > 0].head(int(ctx.reporting.get("movers", 3)) + 2).index)
    steps = _by_owner(ctx, Step("Agree a close plan for the open pipeline of", ids,
                                "each open deal over the median size has a next meeting and a close date"))
    w.block(_list_html([_item(ctx, s) for s in steps]) if steps else _p("No sales follow-up is flagged this period."))
    return w.section


# ---------------------------------------------------------------- marketing

def mdf(ctx: Context) -> Section:
    """The MDF funnel of the period's requests: requested -> approved -> claimed -> paid, and the
    MDF return from the metric table."""
    w = Writer(ctx, "mdf")
    if _absent(ctx, "mdf"):
        w.block(_p("No MDF data was supplied."))
        return w.section
    m = ctx.dataset["mdf"]
    m = m.loc[_in_period(ctx, m["requested_on"])]
    if ctx.members is not None:
        m = m.loc[m["partner_id"].astype(str).isin(ctx.members)]
    if m.empty:
        w.block(_p(f"No MDF was requested in {ctx.period}."))
        return w.section
    scope = f"MDF requested in {ctx.period}"
    stages = [("requested", "amount_requested", "mdf_requested"), ("approved", "amount_approved", "mdf_approved"),
              ("claimed", "amount_claimed", "mdf_claimed"), ("paid", "amount_paid", "mdf_paid")]
    amounts = {k: float(m[c].fillna(0).sum()) for k, c, _ in stages}
    first = amounts["requested"]
    n = len(m)
    text = (f"Partners made {w.num(n, 'count', 'mdf_requests', scope=scope)} MDF {plural(n, 'request')} in "
            f"{ctx.period}; of every dollar requested, "
            f"{w.num(amounts['paid'] / first if first else None, 'rate', 'mdf_paid', scope=scope, kind='share', reason='nothing requested')}"
            " has been paid so far.")
    roi = _get(programme_rows(ctx.metrics), "mdf_roi")
    if roi is not None:
        text += f" The MDF return was {w.num(roi, 'ratio', 'mdf_roi')}."
    rows = [[_e(k.capitalize()), _e(w.num(amounts[k], "money", metric, scope=scope)),
             _e(w.num(amounts[k] / first if first else None, "rate", metric, scope=scope, kind="share",
                      reason="nothing requested"))] for k, _, metric in stages]
    w.block(_p(text) + _table(["Stage", "Amount", "Share of requested"], rows, "pb-funnel"))
    return w.section


def leads(ctx: Context) -> Section:
    """Leads distributed to partners, how many they accepted and converted."""
    w = Writer(ctx, "leads")
    rows = programme_rows(ctx.metrics)
    n = _get(rows, "leads_distributed")
    if "leads_distributed" in ctx.unavailable or n is None:
        w.block(_p("No lead distribution data was supplied."))
        return w.section
    acc, conv = _get(rows, "lead_acceptance_rate"), _get(rows, "lead_conversion_rate")
    w.say(f"We passed {w.num(n, 'count', 'leads_distributed')} {plural(n, 'lead')} to partners in {ctx.period}; "
          f"they accepted {w.num(acc, 'rate', 'lead_acceptance_rate', reason='none decided')} and converted "
          f"{w.num(conv, 'rate', 'lead_conversion_rate', reason='none decided')} of them into opportunities.")
    top = _member_rows(ctx, "leads_distributed")["value"].dropna().sort_values(ascending=False, kind="stable")
    top = top.loc[top > 0]
    if len(top):
        share = float(top.head(5).sum() / top.sum())
        w.say(f"The five partners given the most leads received "
              f"{w.num(share, 'rate', 'leads_distributed', scope='top five partners by leads', kind='share')} "
              f"of them, across {w.num(len(top), 'count', 'partners', scope='partners given leads', kind='group')} "
              f"{plural(len(top), 'partner')} given any.")
    w.paragraph()
    return w.section


def marketing_steps(ctx: Context) -> Section:
    """Remind partners with approved MDF not yet claimed, one step per account manager."""
    w = Writer(ctx, "marketing_steps")
    ids: list[str] = []
    if not _absent(ctx, "mdf"):
        m = ctx.dataset["mdf"]
        open_ = m.loc[_in_period(ctx, m["requested_on"]) & (m["amount_approved"].fillna(0) > m["amount_claimed"].fillna(0))]
        ids = _members(ctx, sorted(set(open_["partner_id"].astype(str))))
    steps = _by_owner(ctx, Step("Help claim the approved MDF not yet claimed by", ids,
                                "each approved activity has run and its claim is filed"))
    w.block(_list_html([_item(ctx, s) for s in steps]) if steps else _p("No marketing follow-up is flagged this period."))
    return w.section


# ---------------------------------------------------------------- enablement

def training(ctx: Context) -> Section:
    """Trainings and certifications by lifecycle stage and the partners that trained most."""
    w = Writer(ctx, "training")
    if "trainings_attended" in ctx.unavailable or ctx.stages is None:
        w.block(_p("No engagement data was supplied."))
        return w.section
    frame = pd.DataFrame({"trainings": _member_rows(ctx, "trainings_attended")["value"],
                          "certifications": _member_rows(ctx, "certifications")["value"]}).fillna(0.0)
    frame = frame.join(ctx.stages.rename("stage").astype(str), how="left")
    by = frame.groupby("stage")[["trainings", "certifications"]].sum()
    from ..tables import STAGES
    rows = [[_e(s), _e(w.num(by.at[s, "trainings"], "count", "trainings_attended", scope=f"stage={s}")),
             _e(w.num(by.at[s, "certifications"], "count", "certifications", scope=f"stage={s}"))]
            for s in STAGES if s in by.index and s != "churned"]
    total = frame["trainings"].sum()
    trained = int((frame["trainings"] > 0).sum())
    w.block(_p(f"{w.num(trained, 'count', 'partners', scope='partners that trained', kind='group')} "
               f"{plural(trained, 'partner')} took part in "
               f"{w.num(total, 'count', 'trainings_attended')} {plural(total, 'training')} in {ctx.period}; "
               f"by stage:") + _table(["Stage", "Trainings", "Certifications"], rows, "pb-training"))
    most = frame.loc[frame["trainings"] > 0].sort_values(["trainings", "certifications"], ascending=False,
                                                          kind="stable").head(5)
    if len(most):
        items = [f"{_partner_html(ctx, pid)}: " + _e(
                 f"{w.num(r.trainings, 'count', 'trainings_attended', scope=f'partner:{pid}')} "
                 f"{plural(r.trainings, 'training')}, "
                 f"{w.num(r.certifications, 'count', 'certifications', scope=f'partner:{pid}')} "
                 f"{plural(r.certifications, 'certification')} ({r.stage})") for pid, r in most.iterrows()]
        w.block(_p("The partners that trained most:") + _list_html(items))
    return w.section


def cohorts(ctx: Context) -> Section:
    """Onboarding speed by cohort: partners by the quarter they joined, how many have won a
    first deal and their median days from joining to it."""
    w = Writer(ctx, "cohorts")
    if ctx.dataset is None:
        return w.section
    partners = ctx.dataset["partners"]
    if ctx.members is not None:
        partners = partners.loc[partners["partner_id"].astype(str).isin(ctx.members)]
    joined = pd.to_datetime(partners["joined_on"], errors="coerce")
    days = _member_rows(ctx, "time_to_first_deal_days")["value"]
    frame = pd.DataFrame({"partner_id": partners["partner_id"].astype(str).to_numpy(), "joined": joined.to_numpy()})
    frame = frame.dropna(subset=["joined"]).assign(
        cohort=lambda d: d["joined"].dt.year.astype(str) + "-Q" + d["joined"].dt.quarter.astype(str),
        days=lambda d: d["partner_id"].map(days))
    if ctx.period_end is not None:
        frame = frame.loc[frame["joined"] > ctx.period_end - pd.DateOffset(years=2)]
    if frame.empty:
        w.block(_p("No partner in the programme has a joining date in the last two years."))
        return w.section
    rows = []
    for cohort, g in frame.groupby("cohort"):
        scope = f"partners joined in {cohort}"
        won = g["days"].dropna()
        rows.append([_e(cohort), _e(w.num(len(g), "count", "partners", scope=scope, kind="group")),
                     _e(w.num(len(won), "count", "partners", scope=scope + ", with a first deal", kind="group")),
                     _e(w.num(won.median() if len(won) else None, "days", "time_to_first_deal_days", scope=scope,
                              reason="no first deal yet"))])
    waiting = int(frame["days"].isna().sum())
    w.block(_p(f"Of the {w.num(len(frame), 'count', 'partners', scope='partners joined in the last two years', kind='group')} "
               f"partners that joined in the last two years, "
               f"{w.num(waiting, 'count', 'partners', scope='joined, no first deal yet', kind='group')} "
               f"{'has' if waiting == 1 else 'have'} not yet won a first deal. By the quarter they joined:")
            + _table(["Joined", "Partners", "With a first deal", "Median days to it"], rows, "pb-cohorts"))
    return w.section


def enablement_steps(ctx: Context) -> Section:
    """Partners that joined over two quarters ago and have no first deal: a first-deal plan."""
    w = Writer(ctx, "enablement_steps")
    ids: list[str] = []
    if ctx.dataset is not None and ctx.period_end is not None:
        p = ctx.dataset["partners"]
        joined = pd.to_datetime(p["joined_on"], errors="coerce")
        old = p.loc[joined <= ctx.period_end - pd.Timedelta(days=182), "partner_id"].astype(str)
        days = _member_rows(ctx, "time_to_first_deal_days")["value"].dropna()
        ids = _members(ctx, [i for i in old if i not in days.index])
    steps = _by_owner(ctx, Step("Agree a first-deal plan (a named opportunity and a joint call) with", ids,
                                "each has an opportunity registered with us"))
    w.block(_list_html([_item(ctx, s) for s in steps]) if steps else _p("No enablement follow-up is flagged this period."))
    return w.section


__all__ = [
    "_names",
    "cohorts",
    "enablement_steps",
    "leads",
    "marketing_steps",
    "mdf",
    "pipeline",
    "sales_steps",
    "training",
]
