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

from .. import periods
from ..i18n import N_, _, ngettext
from .core import (
    Context,
    Section,
    Writer,
    _absent,
    _e,
    _get,
    _h3,
    _in_period,
    _list_html,
    _named,
    _names,
    _p,
    _partner_html,
    join,
    partner_rows,
    programme_rows,
    stage,
    trend,
)
from .steps import Step, _by_owner, _item, _members


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{c}</td>" if i == 0 else f'<td class="num">{c}</td>' for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return (
        f'<div class="pb-table-wrap"><table class="pb-table {cls}"><thead><tr>{th}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _member_rows(ctx: Context, metric: str) -> pd.DataFrame:
    rows = partner_rows(ctx.metrics, metric)
    return rows if ctx.members is None else rows.loc[rows.index.isin(ctx.members)]


# ---------------------------------------------------------------- sales

PIPELINE = {  # against the end of the prior period -> the whole sentence
    "": N_("Open pipeline stood at {pipeline} at the end of {period}."),
    "flat": N_(
        "Open pipeline stood at {pipeline} at the end of {period}, about where it was at the end of "
        "{prior_period}."
    ),
    "up": N_(
        "Open pipeline stood at {pipeline} at the end of {period}, up {change} from {prior} at the end of "
        "{prior_period}."
    ),
    "down": N_(
        "Open pipeline stood at {pipeline} at the end of {period}, down {change} from {prior} at the end of "
        "{prior_period}."
    ),
}


def pipeline(ctx: Context) -> Section:
    """Open pipeline and its change, registered pipeline and how registrations converted, the
    win rate by segment, and the partners holding the most open pipeline."""
    w = Writer(ctx, "pipeline")
    rows = programme_rows(ctx.metrics)
    pipe, prior = _get(rows, "pipeline"), _get(rows, "pipeline", "prior_value")
    if pipe is None:
        w.block(_p(_("No open pipeline figure is available for this period.")))
        return w.section
    values = {
        "pipeline": w.num(pipe, "money", "pipeline"),
        "period": ctx.said(ctx.period),
        "prior_period": ctx.said(ctx.prior),
    }
    move = ""
    if prior and ctx.prior:
        change = (pipe - prior) / prior
        move = trend(change, ctx.threshold)
        if move != "flat":
            values["change"] = w.num(abs(change), "rate", "pipeline", kind="change")
            values["prior"] = w.num(prior, "money", "pipeline", period=ctx.prior, kind="prior")
    w.say(_(PIPELINE[move]).format(**values))
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
        return _("No deal registration data was supplied, so registration conversion is not known.")
    regs = ctx.dataset["deal_registrations"]
    mine = regs.loc[_in_period(ctx, regs["submitted_on"])]
    if ctx.members is not None:
        mine = mine.loc[mine["partner_id"].astype(str).isin(ctx.members)]
    if mine.empty:
        return _("No deal was registered in {period}.").format(period=ctx.said(ctx.period))
    scope = f"deal registrations submitted in {ctx.period}"
    amount = float(mine.loc[mine["status"] != "rejected", "amount"].sum())
    deals = ngettext(
        "Partners registered {n} deal worth {amount}",
        "Partners registered {n} deals worth {amount}",
        len(mine),
    ).format(
        n=w.num(len(mine), "count", "deals_registered", scope=scope),
        amount=w.num(amount, "money", "registered_pipeline", scope=scope),
    )
    counts = {
        "converted": int((mine["status"] == "converted").sum()),
        "approved": int((mine["status"] == "approved").sum()),
        "rejected or expired": int(mine["status"].isin(["rejected", "expired"]).sum()),
        "pending": int((mine["status"] == "submitted").sum()),
    }
    outcomes = [
        _outcome(key, n).format(
            n=w.num(n, "count", "deals_registered", scope=f"{scope}, {key}", kind="group")
        )
        for key, n in counts.items()
        if n
    ]
    return _("{registered}; {outcomes}.").format(registered=deals, outcomes=join(outcomes))


def _outcome(key: str, n: int) -> str:
    """What became of `n` of the period's registrations, by status, in the language in force."""
    if key == "converted":
        return ngettext(
            "{n} of them has already become an opportunity",
            "{n} of them have already become opportunities",
            n,
        )
    if key == "approved":
        return ngettext(
            "{n} was approved and has not become an opportunity yet",
            "{n} were approved and have not become opportunities yet",
            n,
        )
    if key == "pending":
        return ngettext("{n} is still waiting for a decision", "{n} are still waiting for a decision", n)
    return ngettext(
        "{n} was rejected or expired without becoming an opportunity",
        "{n} were rejected or expired without becoming an opportunity",
        n,
    )


def _segments(w: Writer) -> None:
    ctx = w.ctx
    mt = ctx.metrics
    seg = mt.loc[
        mt["partner_id"].isna()
        & mt["breakdown"].fillna("").str.startswith("segment=")
        & mt["metric"].isin(["win_rate", "revenue", "pipeline"])
    ]
    if seg.empty:
        return
    wide = seg.assign(segment=seg["breakdown"].str.slice(8)).pivot_table(
        index="segment", columns="metric", values="value", aggfunc="first"
    )
    out = []
    for name, r in wide.iterrows():
        scope = f"segment={name}"
        out.append(
            [
                _e(name),
                _e(w.num(r.get("revenue"), "money", "revenue", scope=scope, reason=_("no revenue"))),
                _e(w.num(r.get("win_rate"), "rate", "win_rate", scope=scope, reason=_("no closed deal"))),
                _e(w.num(r.get("pipeline"), "money", "pipeline", scope=scope, reason=_("none open"))),
            ]
        )
    w.block(
        _h3(_("By segment"))
        + _table([_("Segment"), _("Revenue"), _("Win rate"), _("Open pipeline")], out, "pb-segments")
    )


def _largest(w: Writer) -> None:
    ctx = w.ctx
    pipe = _member_rows(ctx, "pipeline")["value"].dropna().sort_values(ascending=False, kind="stable")
    pipe = pipe.loc[pipe > 0].head(int(ctx.reporting.get("movers", 3)) + 2)
    if pipe.empty:
        return
    items = [
        _named(
            _partner_html(ctx, pid),
            _("{amount} open").format(amount=w.num(v, "money", "pipeline", scope=f"partner:{pid}")),
        )
        for pid, v in pipe.items()
    ]
    w.block(_p(_("The partners holding the most open pipeline:")) + _list_html(items))


def sales_steps(ctx: Context) -> Section:
    """Close plans for the largest open pipelines, one step per account manager."""
    w = Writer(ctx, "sales_steps")
    pipe = _member_rows(ctx, "pipeline")["value"].dropna().sort_values(ascending=False, kind="stable")
    ids = _members(ctx, pipe.loc[pipe > 0].head(int(ctx.reporting.get("movers", 3)) + 2).index)
    _follow_up(
        w,
        ctx,
        Step(
            N_("Agree a close plan for the open pipeline of {partners}"),
            ids,
            N_("Done when each open deal over the median size has a next meeting and a close date."),
        ),
        _("No sales follow-up is flagged this period."),
    )
    return w.section


def _follow_up(w, ctx: Context, step: Step, nothing: str) -> None:
    """An audience's follow-up: `step` split by owner as a list, or `nothing` (a translated
    sentence) when no partner needs it."""
    steps = _by_owner(ctx, step)
    w.block(_list_html([_item(ctx, s) for s in steps]) if steps else _p(nothing))


# ---------------------------------------------------------------- marketing


def mdf(ctx: Context) -> Section:
    """The MDF funnel of the period's requests: requested -> approved -> claimed -> paid, and the
    MDF return from the metric table."""
    w = Writer(ctx, "mdf")
    if _absent(ctx, "mdf"):
        w.block(_p(_("No MDF data was supplied.")))
        return w.section
    m = ctx.dataset["mdf"]
    m = m.loc[_in_period(ctx, m["requested_on"])]
    if ctx.members is not None:
        m = m.loc[m["partner_id"].astype(str).isin(ctx.members)]
    if m.empty:
        w.block(_p(_("No MDF was requested in {period}.").format(period=ctx.said(ctx.period))))
        return w.section
    scope = f"MDF requested in {ctx.period}"
    stages = [
        ("requested", "amount_requested", "mdf_requested"),
        ("approved", "amount_approved", "mdf_approved"),
        ("claimed", "amount_claimed", "mdf_claimed"),
        ("paid", "amount_paid", "mdf_paid"),
    ]
    amounts = {k: float(m[c].fillna(0).sum()) for k, c, _ in stages}
    first = amounts["requested"]
    n = len(m)
    count = w.num(n, "count", "mdf_requests", scope=scope)  # recorded in the order shown
    paid = w.num(
        amounts["paid"] / first if first else None,
        "rate",
        "mdf_paid",
        scope=scope,
        kind="share",
        reason=_("nothing requested"),
    )
    text = ngettext(
        "Partners made {n} MDF request in {period}; of every dollar requested, {paid} has been paid so far.",
        "Partners made {n} MDF requests in {period}; of every dollar requested, {paid} has been paid so far.",
        n,
    )
    text = text.format(n=count, period=ctx.said(ctx.period), paid=paid)
    roi = _get(programme_rows(ctx.metrics), "mdf_roi")
    if roi is not None:
        text += " " + _("The MDF return was {ratio}.").format(ratio=w.num(roi, "ratio", "mdf_roi"))
    rows = [
        [
            _e(_(word)),
            _e(w.num(amounts[k], "money", metric, scope=scope)),
            _e(
                w.num(
                    amounts[k] / first if first else None,
                    "rate",
                    metric,
                    scope=scope,
                    kind="share",
                    reason=_("nothing requested"),
                )
            ),
        ]
        for (k, _c, metric), word in zip(stages, MDF_STAGES)
    ]
    w.block(_p(text) + _table([_("Stage"), _("Amount"), _("Share of requested")], rows, "pb-funnel"))
    return w.section


MDF_STAGES = (N_("Requested"), N_("Approved"), N_("Claimed"), N_("Paid"))  # the rows of the MDF funnel


def leads(ctx: Context) -> Section:
    """Leads distributed to partners, how many they accepted and converted."""
    w = Writer(ctx, "leads")
    rows = programme_rows(ctx.metrics)
    n = _get(rows, "leads_distributed")
    if "leads_distributed" in ctx.unavailable or n is None:
        w.block(_p(_("No lead distribution data was supplied.")))
        return w.section
    acc, conv = _get(rows, "lead_acceptance_rate"), _get(rows, "lead_conversion_rate")
    w.say(
        ngettext(
            "We passed {n} lead to partners in {period}; they accepted {accepted} and converted {converted} "
            "of them into opportunities.",
            "We passed {n} leads to partners in {period}; they accepted {accepted} and converted {converted} "
            "of them into opportunities.",
            round(n),
        ).format(
            n=w.num(n, "count", "leads_distributed"),
            period=ctx.said(ctx.period),
            accepted=w.num(acc, "rate", "lead_acceptance_rate", reason=_("none decided")),
            converted=w.num(conv, "rate", "lead_conversion_rate", reason=_("none decided")),
        )
    )
    top = _member_rows(ctx, "leads_distributed")["value"].dropna().sort_values(ascending=False, kind="stable")
    top = top.loc[top > 0]
    if len(top):
        share = float(top.head(5).sum() / top.sum())
        w.say(
            ngettext(
                "The five partners given the most leads received {share} of them, across {n} partner given any.",
                "The five partners given the most leads received {share} of them, across {n} partners given any.",
                len(top),
            ).format(
                share=w.num(
                    share, "rate", "leads_distributed", scope="top five partners by leads", kind="share"
                ),
                n=w.num(len(top), "count", "partners", scope="partners given leads", kind="group"),
            )
        )
    w.paragraph()
    return w.section


def marketing_steps(ctx: Context) -> Section:
    """Remind partners with approved MDF not yet claimed, one step per account manager."""
    w = Writer(ctx, "marketing_steps")
    ids: list[str] = []
    if not _absent(ctx, "mdf"):
        m = ctx.dataset["mdf"]
        open_ = m.loc[
            _in_period(ctx, m["requested_on"])
            & (m["amount_approved"].fillna(0) > m["amount_claimed"].fillna(0))
        ]
        ids = _members(ctx, sorted(set(open_["partner_id"].astype(str))))
    _follow_up(
        w,
        ctx,
        Step(
            N_("Help claim the approved MDF not yet claimed by {partners}"),
            ids,
            N_("Done when each approved activity has run and its claim is filed."),
        ),
        _("No marketing follow-up is flagged this period."),
    )
    return w.section


# ---------------------------------------------------------------- enablement


def training(ctx: Context) -> Section:
    """Trainings and certifications by lifecycle stage and the partners that trained most."""
    w = Writer(ctx, "training")
    if "trainings_attended" in ctx.unavailable or ctx.stages is None:
        w.block(_p(_("No engagement data was supplied.")))
        return w.section
    frame = pd.DataFrame(
        {
            "trainings": _member_rows(ctx, "trainings_attended")["value"],
            "certifications": _member_rows(ctx, "certifications")["value"],
        }
    ).fillna(0.0)
    frame = frame.join(ctx.stages.rename("stage").astype(str), how="left")
    by = frame.groupby("stage")[["trainings", "certifications"]].sum()
    from ..tables import STAGES

    rows = [
        [
            _e(stage(s)),
            _e(w.num(by.at[s, "trainings"], "count", "trainings_attended", scope=f"stage={s}")),
            _e(w.num(by.at[s, "certifications"], "count", "certifications", scope=f"stage={s}")),
        ]
        for s in STAGES
        if s in by.index and s != "churned"
    ]
    total = frame["trainings"].sum()
    trained = int((frame["trainings"] > 0).sum())
    took = ngettext(
        "{n} partner took part in {trainings} in {period}; by stage:",
        "{n} partners took part in {trainings} in {period}; by stage:",
        trained,
    ).format(
        n=w.num(trained, "count", "partners", scope="partners that trained", kind="group"),
        period=ctx.said(ctx.period),
        trainings=_trainings(total, w.num(total, "count", "trainings_attended")),
    )
    w.block(_p(took) + _table([_("Stage"), _("Trainings"), _("Certifications")], rows, "pb-training"))
    most = (
        frame.loc[frame["trainings"] > 0]
        .sort_values(["trainings", "certifications"], ascending=False, kind="stable")
        .head(5)
    )
    if len(most):
        items = [
            _named(
                _partner_html(ctx, pid),
                _("{trainings}, {certifications} ({stage})").format(
                    trainings=_trainings(
                        r.trainings, w.num(r.trainings, "count", "trainings_attended", scope=f"partner:{pid}")
                    ),
                    certifications=ngettext(
                        "{n} certification", "{n} certifications", round(r.certifications)
                    ).format(n=w.num(r.certifications, "count", "certifications", scope=f"partner:{pid}")),
                    stage=stage(r.stage),
                ),
            )
            for pid, r in most.iterrows()
        ]
        w.block(_p(_("The partners that trained most:")) + _list_html(items))
    return w.section


def _trainings(n: float, shown: str) -> str:
    return ngettext("{n} training", "{n} trainings", round(n)).format(n=shown)


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
    frame = pd.DataFrame(
        {"partner_id": partners["partner_id"].astype(str).to_numpy(), "joined": joined.to_numpy()}
    )
    frame = frame.dropna(subset=["joined"]).assign(
        cohort=lambda d: d["joined"].dt.year.astype(str) + "-Q" + d["joined"].dt.quarter.astype(str),
        days=lambda d: d["partner_id"].map(days),
    )
    if ctx.period_end is not None:
        frame = frame.loc[frame["joined"] > ctx.period_end - pd.DateOffset(years=2)]
    if frame.empty:
        w.block(_p(_("No partner in the programme has a joining date in the last two years.")))
        return w.section
    rows = []
    for cohort, g in frame.groupby("cohort"):
        scope = f"partners joined in {cohort}"
        won = g["days"].dropna()
        rows.append(
            [
                _e(periods.label_for_people(cohort)),
                _e(w.num(len(g), "count", "partners", scope=scope, kind="group")),
                _e(w.num(len(won), "count", "partners", scope=scope + ", with a first deal", kind="group")),
                _e(
                    w.num(
                        won.median() if len(won) else None,
                        "days",
                        "time_to_first_deal_days",
                        scope=scope,
                        reason=_("no first deal yet"),
                    )
                ),
            ]
        )
    waiting = int(frame["days"].isna().sum())
    sentence = ngettext(
        "Of the {n} partners that joined in the last two years, {waiting} has not yet won a first "
        "deal. By the quarter they joined:",
        "Of the {n} partners that joined in the last two years, {waiting} have not yet won a first "
        "deal. By the quarter they joined:",
        waiting,
    ).format(
        n=w.num(len(frame), "count", "partners", scope="partners joined in the last two years", kind="group"),
        waiting=w.num(waiting, "count", "partners", scope="joined, no first deal yet", kind="group"),
    )
    head = [_("Joined"), _("Partners"), _("With a first deal"), _("Median days to it")]
    w.block(_p(sentence) + _table(head, rows, "pb-cohorts"))
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
    _follow_up(
        w,
        ctx,
        Step(
            N_("Agree a first-deal plan (a named opportunity and a joint call) with {partners}"),
            ids,
            N_("Done when each has an opportunity registered with us."),
        ),
        _("No enablement follow-up is flagged this period."),
    )
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
