"""The story: next steps a person can do. One `<li>` per step; each step names the partners
it concerns (linked to their reports), its owner (the partners' account manager from the
data, else the channel team), a calendar due date (`Context.due_on`) and what done looks like.

A rule that concerns partners with different account managers gives one step per manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import numbers
from ..i18n import N_, _, ngettext
from .core import (
    Context,
    Section,
    Writer,
    _absent,
    _e,
    _get,
    _list_html,
    _p,
    _partner_html,
    audience,
    join,
)
from .folio import best_fit, tier_down, tier_moves
from .scores import objective_scores

TEAM = N_("the channel team")


@dataclass
class Step:
    """What to do, about whom, and when it is done: `action` a message whose {partners} are the
    partners named and linked, its other placeholders filled from `values` (text, numbers
    already formatted); `done` a message, the whole 'Done when ...' sentence."""

    action: str  # e.g. N_("Agree a recovery action with {partners}")
    partners: list[str]  # partner ids
    done: str  # e.g. N_("Done when each has an active plan in the business plans table.")
    owner: str = TEAM
    values: dict = field(default_factory=dict)


def next_steps(ctx: Context) -> Section:
    """Actions from rules, in this order: the partner behind most of a revenue fall, partners at
    risk, key-tier partners without an active plan, lookalikes to enable, selling partners
    without a certification, the partners a tier review would move down, the objective furthest
    behind. A partner is named in one step only, the first rule's."""
    w = Writer(ctx, "next_steps")
    steps, named, uninvited = [], set(), []
    for rule in (_fall_step, _risk_step, _plan_step, _lookalike_step, _certify_step):
        step = rule(w)
        if step is not None:  # a partner gets one step: the first rule that names it
            if rule is _certify_step:
                uninvited = [p for p in step.partners if p in named]
            step.partners = [p for p in step.partners if p not in named]
            named |= set(step.partners)
        steps += _by_owner(ctx, step)
    steps += _tier_step(w)
    steps += _objective_step(w)
    w.block(
        _list_html([_item(ctx, s) for s in steps]) if steps else _p(_("No follow-up is flagged this period."))
    )
    if uninvited:
        w.block(f"<p>{_uninvited(w, uninvited)}</p>")
    return w.section


def _uninvited(w: Writer, ids: list[str]) -> str:
    """The selling partners without a certification that an earlier step names, so that the
    invitations and the story's count of uncertified partners agree: why they are not invited."""
    from .. import portfolio

    at_risk = (
        set(portfolio.at_risk(w.ctx.health)["partner_id"].astype(str)) if w.ctx.health is not None else set()
    )
    n = w.num(
        len(ids), "count", "partners", scope="selling, not certified, named in an earlier step", kind="group"
    )
    message = (
        ngettext(
            "{n} more selling partner without a certification, {partners}, is not invited: it is at risk, and "
            "its recovery action comes first.",
            "{n} more selling partners without a certification, {partners}, are not invited: they are at risk, "
            "and their recovery actions come first.",
            len(ids),
        )
        if set(ids) <= at_risk
        else ngettext(
            "{n} more selling partner without a certification, {partners}, is not invited: a step above names "
            "it, and comes first.",
            "{n} more selling partners without a certification, {partners}, are not invited: a step above names "
            "them, and comes first.",
            len(ids),
        )
    )
    return _e(message).format(n=_e(n), partners=join([_partner_html(w.ctx, p) for p in ids]))


def _item(ctx: Context, s: Step) -> str:
    names = join([_partner_html(ctx, p) for p in s.partners])
    action = _e(_(s.action)).format(partners=names, **{k: _e(v) for k, v in s.values.items()})
    owner = _(TEAM) if s.owner == TEAM else s.owner
    owned = _("Owner: {owner}.").format(owner=owner)
    due = _("Due {date}.").format(date=numbers.date(ctx.due_on) if ctx.due_on else "")
    return (
        f'{action}. <span class="pb-owner">{_e(owned)}</span> '
        f'<span class="pb-due">{_e(due)}</span> {_e(_(s.done))}'
    )


def owners(ctx: Context) -> dict[str, str]:
    """partner_id -> account manager from the partners table (its name, else its email address;
    absent when the data has neither, and only then does the channel team own the step)."""
    if "owners" not in ctx.cache:
        found = {}
        p = ctx.dataset["partners"] if ctx.dataset is not None else pd.DataFrame()
        for column in ("account_manager_email", "account_manager"):  # the name wins over the address
            if column in p:
                found |= {
                    str(i): str(m)
                    for i, m in zip(p["partner_id"], p[column])
                    if not pd.isna(m) and str(m).strip()
                }
        ctx.cache["owners"] = found
    return ctx.cache["owners"]


def _by_owner(ctx: Context, step: Step | None) -> list[Step]:
    """One step per account manager of its partners (the channel team for those without)."""
    if step is None or not step.partners:
        return []
    groups: dict[str, list[str]] = {}
    for pid in step.partners:
        groups.setdefault(owners(ctx).get(pid, TEAM), []).append(pid)
    return [
        Step(step.action, ids, step.done, owner, step.values)
        for owner, ids in sorted(groups.items(), key=lambda kv: (kv[0] == TEAM, kv[0]))
    ]


def _members(ctx: Context, ids) -> list[str]:
    """`ids` of partners in the programme that have not left during the period."""
    gone = set() if ctx.left is None else set(ctx.left["partner_id"].astype(str))
    return [i for i in map(str, ids) if (ctx.members is None or i in ctx.members) and i not in gone]


def _fall_step(w: Writer) -> Step | None:
    """The partner in the programme whose revenue fell most on the prior period, when that
    fall is at least half the programme's (the bridge's largest part)."""
    from .bridge import revenue_parts

    ctx = w.ctx
    if not ctx.prior:
        return None
    parts = revenue_parts(ctx, "partner", "prior")
    total = _get(_programme(ctx), "revenue")
    before = _get(_programme(ctx), "revenue", "prior_value")
    if parts is None or total is None or before is None or total >= before:
        return None
    falls = parts.loc[(parts["key"] != "") & (parts["change"] < 0)]
    falls = falls.loc[falls["key"].isin(_members(ctx, falls["key"]))]
    if falls.empty or falls["change"].iloc[0] > (total - before) / 2:
        return None
    r = falls.iloc[0]
    change = w.num(
        r["change"], "money", "revenue", scope=f"partner:{r['key']}, change on {ctx.prior}", kind="change"
    )
    return Step(
        N_("Meet {partners} to find out why its revenue fell ({change} on {period})"),
        [r["key"]],
        N_(
            "Done when the reason for the fall and a plan to recover it are written in the partner's account "
            "plan."
        ),
        values={"change": change, "period": ctx.said(ctx.prior)},
    )


def _programme(ctx: Context):
    from .core import programme_rows

    return programme_rows(ctx.everyone)


def _risk_step(w: Writer) -> Step | None:
    from .. import portfolio

    risk = portfolio.at_risk(w.ctx.health)
    ids = _members(w.ctx, risk["partner_id"])
    return (
        Step(
            N_("Agree a recovery action with {partners}"),
            ids,
            N_(
                "Done when each at-risk partner has a recovery action with an owner and a date in its account "
                "plan."
            ),
        )
        if ids
        else None
    )


def _active(ctx: Context) -> pd.Series:
    if ctx.stages is None:
        return pd.Series(dtype="string")
    return ctx.stages.astype("string").loc[lambda s: ~s.isin(["churned", "recruit"])]


def _plan_step(w: Writer) -> Step | None:
    ctx = w.ctx
    tiers = ctx.reporting.get("plan_tiers") or []
    if _absent(ctx, "business_plans") or not tiers or ctx.stages is None:
        return None
    partners = ctx.dataset["partners"].assign(partner_id=lambda d: d["partner_id"].astype(str))
    plans = ctx.dataset["business_plans"]
    with_plan = set(plans.loc[plans["status"] == "active", "partner_id"].astype(str))
    who = partners.loc[
        partners["tier"].isin(tiers)
        & partners["partner_id"].isin(_active(ctx).index.astype(str))
        & ~partners["partner_id"].isin(with_plan),
        "partner_id",
    ]
    return (
        Step(
            N_("Agree a joint business plan with the {tiers} partners that have none: {partners}"),
            _members(ctx, who),
            N_("Done when each has an active plan in the business plans table."),
            values={"tiers": join(tiers, "or")},
        )
        if len(who)
        else None
    )


def _lookalike_step(w: Writer) -> Step | None:
    found = best_fit(w.ctx)
    like = found[1] if found else None
    if like is None or like.empty:
        return None
    return Step(
        N_(
            "Prioritise enablement for the early-stage partners that match the profile of the best partners: "
            "{partners}"
        ),
        _members(w.ctx, like["partner_id"]),
        N_("Done when each has a training booked or attended."),
    )


def _certify_step(w: Writer) -> Step | None:
    ctx = w.ctx
    if _absent(ctx, "engagements") or ctx.stages is None:
        return None
    eng = ctx.dataset["engagements"]
    certified = set(eng.loc[eng["kind"] == "certification", "partner_id"].astype(str))
    selling = ctx.stages.astype("string").loc[lambda s: s.isin(["sell", "grow"])].index.astype(str)
    ids = sorted(set(selling) - certified)
    if not ids:
        return None
    name, day = _next_session(ctx, eng)
    action = (
        N_(
            "Invite the selling partners without a certification to the next certification session "
            "({session}, {date}): {partners}"
        )
        if name
        else N_(
            "Invite the selling partners without a certification to the next certification session "
            "({date}): {partners}"
        )
        if day
        else N_(
            "Invite the selling partners without a certification to the next certification session: {partners}"
        )
    )
    return Step(
        action,
        _members(ctx, ids),
        N_("Done when each has at least one person certified."),
        values={"session": name, "date": day},
    )


def _next_session(ctx: Context, eng: pd.DataFrame) -> tuple[str, str]:
    """The name and date of the earliest certification session the data has after the period
    ('' for what it does not say)."""
    if ctx.period_end is None:
        return "", ""
    when = pd.to_datetime(eng["occurred_on"], errors="coerce")
    later = eng.assign(on=when).loc[lambda d: (d["kind"] == "certification") & (d["on"] > ctx.period_end)]
    if later.empty:
        return "", ""
    first = later.sort_values("on", kind="stable").iloc[0]
    return str(first.get("name") or "").strip(), numbers.date(first["on"])


def _tier_step(w: Writer) -> list[Step]:
    """One step for the channel team when the tier rules would move partners down a tier: tell
    each what it still needs before the next review (each partner's page says it: the goals page
    gives the closed window's shortfalls, not the next review's); first review the certification
    rule when it alone moves down partners that hold a certification earned before the window."""
    review = tier_moves(w.ctx)
    down = tier_down(w.ctx)
    if not down:
        return []
    n = w.num(down, "count", "partners", scope="tier rules, would move down", kind="group")
    values = {
        "count": ngettext("{n} partner", "{n} partners", down).format(n=n),
        "date": numbers.date(review["review"]),
    }
    if any(t["held"] for t in review["tiers"]):
        return [
            Step(
                N_(
                    "Review the certification rule, then tell each of the {count} what it still needs for the "
                    "review on {date} (each partner's page says it)"
                ),
                [],
                N_(
                    "Done when the certification rule is settled and each of them has heard what it needs "
                    "to keep its tier."
                ),
                values=values,
            )
        ]
    return [
        Step(
            N_(
                "Tell each of the {count} what it still needs for the review on {date} (each partner's page "
                "says it)"
            ),
            [],
            N_("Done when each of them has heard what it needs to keep its tier."),
            values=values,
        )
    ]


def _objective_step(w: Writer) -> list[Step]:
    aud = audience(w.ctx.program, w.ctx.audience)
    scores = objective_scores(w.ctx, aud.get("objectives")).dropna(subset=["attainment"])
    behind = scores.loc[scores["attainment"] < 1].sort_values("attainment", kind="stable")
    if behind.empty:
        return []
    row = behind.iloc[0]
    share = w.num(row["attainment"], "rate", row["metric"], kind="attainment")
    return [
        Step(
            N_(
                "Review the channel goals behind “{objective}”, the objective furthest behind ({share} of target)"
            ),
            [],
            N_(
                "Done when a plan to close the gap between its actual and its goal is agreed with the owners "
                "of the channel goals behind it."
            ),
            values={"objective": row["name"], "share": share},
        )
    ]
