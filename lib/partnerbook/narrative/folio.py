"""The story: folio section."""

from __future__ import annotations

import pandas as pd

from .. import numbers
from ..i18n import _, ngettext, pgettext
from .core import (
    Context,
    Fact,
    Section,
    Writer,
    _e,
    _get,
    _h3,
    _in_period,
    _list_html,
    _named,
    _p,
    _partner_html,
    join,
    partner_rows,
    programme_rows,
    stage,
)
from .usecases import _figure, _plot_funnel

# ---------------------------------------------------------------- portfolio


def portfolio_section(ctx: Context) -> Section:
    """Funnel by stage, stage moves, biggest movers, partners at risk, attrition, best-fit profile."""
    from .. import portfolio

    w = Writer(ctx, "portfolio")
    if ctx.stages is not None:
        _funnel(w, portfolio.funnel(ctx.stages), portfolio)
    _movers(w, *portfolio.movers(ctx.metrics, int(ctx.reporting.get("movers", 3))))
    gone = set() if ctx.left is None else set(ctx.left["partner_id"].astype(str))
    _risk(w, portfolio.at_risk(ctx.health).loc[lambda d: ~d["partner_id"].isin(gone)])
    _tier_review(w)
    _profile(w, portfolio)  # under the portfolio's own heading, before "Left this period"
    _left(w)
    return w.section


def _funnel(w: Writer, frame: pd.DataFrame, portfolio) -> None:
    ctx = w.ctx
    active = frame.loc[frame["stage"] != "churned"]
    if (active["partners"] > 0).any():
        total = int(active["partners"].sum())
        gone = 0 if ctx.left is None else len(ctx.left)
        head = w.num(
            total, "count", "partners", scope="in the programme at the end of the period", kind="group"
        )
        flow = _flow(w, total, gone)
        parts = [
            _("{n} in {stage}").format(
                n=w.num(r.partners, "count", "partners", scope=f"stage={r.stage}", kind="group"),
                stage=stage(r.stage),
            )
            for r in active.itertuples()
            if r.partners
        ]  # recorded in the order shown
        sentence = (
            ngettext(
                "{n} partner in the programme at the end of {period} ({flow}): {stages}.",
                "{n} partners in the programme at the end of {period} ({flow}): {stages}.",
                total,
            )
            if flow
            else ngettext(
                "{n} partner in the programme at the end of {period}: {stages}.",
                "{n} partners in the programme at the end of {period}: {stages}.",
                total,
            )
        )
        w.block(_p(sentence.format(n=head, period=ctx.said(ctx.period), flow=flow, stages=", ".join(parts))))
        w.block(
            _figure(_plot_funnel(active), _("Horizontal bar chart of the partners in each lifecycle stage"))
        )
    if ctx.prior_stages is None:
        return
    moved = portfolio.moves(ctx.prior_stages, ctx.stages)
    sums = moved.groupby("direction")["partners"].sum()
    bits = [
        _move(d, int(sums[d])).format(n=w.num(sums[d], "count", "partners", scope=f"moved {d}", kind="group"))
        for d in ("forward", "back", "joined")
        if sums.get(d, 0)
    ]
    w.block(
        _p(
            _("Since {period}: {moves}.").format(
                period=ctx.said(ctx.prior), moves=pgettext("between clauses", "; ").join(bits)
            )
            if bits
            else _("No partner changed stage since {period}.").format(period=ctx.said(ctx.prior))
        )
    )


def _move(direction: str, n: int) -> str:
    """'{n} moved forward a stage', '{n} moved back', '{n} joined' (the verb agrees in French)."""
    if direction == "forward":
        return ngettext("{n} moved forward a stage", "{n} moved forward a stage", n)
    if direction == "back":
        return ngettext("{n} moved back", "{n} moved back", n)
    return ngettext("{n} joined", "{n} joined", n)


def _flow(w: Writer, total: int, gone: int) -> str:
    """'61 on its first day, 8 joined and 1 left, the partner named below': at the end = at the start +
    joined - left, so the joiners are what the other two leave (the dashboard's count)."""
    ctx = w.ctx
    if ctx.at_start is None:
        return (
            ngettext(
                "{n} left during it, the partner named below",
                "{n} left during it, the partners named below",
                gone,
            ).format(n=w.num(gone, "count", "partners", scope="left this period", kind="group"))
            if gone
            else ""
        )
    start = w.num(ctx.at_start, "count", "partners", scope="in the programme on the first day", kind="group")
    joined = total - ctx.at_start + gone
    bits = [ngettext("{n} on its first day", "{n} on its first day", ctx.at_start).format(n=start)]
    if joined:
        bits.append(
            ngettext("{n} joined", "{n} joined", joined).format(
                n=w.num(joined, "count", "partners", scope="joined this period", kind="group")
            )
        )
    if gone:
        bits.append(
            ngettext("{n} left, the partner named below", "{n} left, the partners named below", gone).format(
                n=w.num(gone, "count", "partners", scope="left this period", kind="group")
            )
        )
    return join(bits)


def _left(w: Writer) -> None:
    """Partners that left during the period (date, last four quarters' revenue) and the
    attrition rate of the metric table, which counts the same partners (membership rule).
    Numbers are recorded in the order they are shown (the page marks them in that order)."""
    ctx = w.ctx
    attr = _get(programme_rows(ctx.metrics), "partner_attrition_rate")
    heading = _h3(_("Left this period"))
    if ctx.left is None:
        if attr is not None:
            w.block(
                _p(
                    _("Attrition in {period} was {rate}.").format(
                        period=ctx.said(ctx.period), rate=w.num(attr, "rate", "partner_attrition_rate")
                    )
                )
            )
        return
    n = len(ctx.left)
    if not n:
        sentence = (
            _("No partner left the programme in {period}; attrition was {rate}.")
            if attr is not None
            else _("No partner left the programme in {period}.")
        )
        rate = w.num(attr, "rate", "partner_attrition_rate") if attr is not None else ""
        w.block(heading + _p(sentence.format(period=ctx.said(ctx.period), rate=rate)))
        return
    values = {
        "n": w.num(n, "count", "partners", scope="left this period", kind="group"),
        "period": ctx.said(ctx.period),
    }
    if attr is None:
        head = ngettext(
            "{n} partner left the programme in {period}:", "{n} partners left the programme in {period}:", n
        )
    else:
        values["rate"] = w.num(attr, "rate", "partner_attrition_rate")
        head = ngettext(
            "{n} partner left the programme in {period}; attrition was {rate}:",
            "{n} partners left the programme in {period}; attrition was {rate}:",
            n,
        )
        if ctx.at_start:
            values["start"] = w.num(
                ctx.at_start, "count", "partners", scope="in the programme on the first day", kind="group"
            )
            head = ngettext(
                "{n} partner left the programme in {period}; attrition was {rate} of the {start} "
                "partners in the programme on its first day:",
                "{n} partners left the programme in {period}; attrition was {rate} of the {start} "
                "partners in the programme on its first day:",
                n,
            )
    items = [
        _named(
            _partner_html(ctx, r.partner_id),
            _("left on {date}; {revenue} revenue in the last four quarters").format(
                date=numbers.date(r.left_on),
                revenue=w.num(
                    r.revenue_4q,
                    "money",
                    "revenue",
                    scope=f"partner:{r.partner_id}, last four quarters",
                    reason=_("no history"),
                ),
            ),
        )
        for r in ctx.left.itertuples()
    ]
    w.block(heading + _p(head.format(**values)) + _list_html(items))


def _movers(w: Writer, up: pd.DataFrame, down: pd.DataFrame) -> None:
    ctx = w.ctx
    for frame, head in (
        (up, _("Biggest movers up in revenue since {period}:")),
        (down, _("Biggest movers down in revenue since {period}:")),
    ):
        if frame.empty:
            continue
        items = [
            _named(
                _partner_html(ctx, r.partner_id),
                _("{value}, from {prior}").format(
                    value=w.num(r.value, "money", "revenue", scope=f"partner:{r.partner_id}"),
                    prior=w.num(
                        r.prior_value,
                        "money",
                        "revenue",
                        scope=f"partner:{r.partner_id}",
                        period=ctx.prior,
                        kind="prior",
                    ),
                ),
            )
            for r in frame.itertuples()
        ]
        w.block(_p(head.format(period=ctx.said(ctx.prior))) + _list_html(items))


def _risk(w: Writer, risk: pd.DataFrame) -> None:
    """Partners at risk, the most at stake first, each with its first reason (the others in a
    title), and how often such flags came true in past quarters (the health rules' backtest)."""
    ctx = w.ctx
    if ctx.health is None:
        return
    if risk.empty:
        w.block(_p(_("No partner is at risk in {period}.").format(period=ctx.said(ctx.period))))
        return
    n = len(risk)
    ranked = at_stake(ctx, risk)
    shown = w.num(n, "count", "partners", scope="health=at risk", kind="group")
    head = (
        ngettext(
            "{n} partner is at risk, the most at stake first (the larger of its revenue in {period} and its "
            "open pipeline now):",
            "{n} partners are at risk, the most at stake first (for each, the larger of its revenue in "
            "{period} and its open pipeline now):",
            n,
        ).format(n=shown, period=ctx.said(ctx.prior))
        if ctx.prior
        else ngettext(
            "{n} partner is at risk, the most at stake first (the larger of its revenue in the prior period "
            "and its open pipeline now):",
            "{n} partners are at risk, the most at stake first (for each, the larger of its revenue in the "
            "prior period and its open pipeline now):",
            n,
        ).format(n=shown)
    )
    items = []
    for r in ranked.itertuples():
        reasons = [x.strip() for x in str(r.reasons).split(";") if x.strip()] or [
            _("flagged by the health rules")
        ]
        stake = w.num(r.stake, "money", "revenue", scope=f"partner:{r.partner_id}, at stake", kind="at_stake")
        first = _reason(w, r.partner_id, reasons[0])  # recorded in the order shown
        extra = len(reasons) - 1
        more = (
            f' <span class="pb-more" title="{_e("; ".join(reasons[1:]))}">'
            + _e(
                ngettext("and {n} more reason", "and {n} more reasons", extra).format(
                    n=w.num(
                        extra, "count", "health", scope=f"partner:{r.partner_id}, other reasons", kind="group"
                    )
                )
            )
            + "</span>"
            if extra
            else ""
        )
        said = _e(_("{partner} ({amount} at stake): {reason}")).format(
            partner=_partner_html(ctx, r.partner_id), amount=_e(stake), reason=_e(first)
        )
        items.append(said + more)
    w.block(_p(head) + _list_html(items) + _risk_caveat(w))


def tier_moves(ctx: Context) -> dict:
    """goals.tier_review of the partners in the programme: the rules' window, the next review's
    day, per tier how many would move down (and why), how many would move up; {} without tier
    rules, partners or history."""
    from .. import goals

    if "tier_moves" not in ctx.cache:
        partners = None if ctx.dataset is None or not ctx.dataset.has("partners") else ctx.dataset["partners"]
        if partners is None or ctx.history is None or "tier" not in partners:
            ctx.cache["tier_moves"] = {}
        else:
            ids = partners["partner_id"].astype(str)
            mine = partners[ids.isin(ctx.members)] if ctx.members is not None else partners
            ctx.cache["tier_moves"] = goals.tier_review(ctx.program, mine, ctx.history, ctx.period)
    return ctx.cache["tier_moves"]


def tier_down(ctx: Context) -> int:
    """How many partners the tier rules would move down (0 without rules)."""
    return sum(t["down"] for t in tier_moves(ctx).get("tiers", []))


def _tier_review(w: Writer) -> None:
    """What the tier rules say over their window (the last quarters to the period's end, not the
    next review's): how many of each tier would move down, how many of those only for a
    certification earned before the window, how many would fall two tiers, how many move up."""
    review = tier_moves(w.ctx)
    if not review or not (tier_down(w.ctx) or review["up"]):
        return
    said = [_window_sentence(w, review)]
    for t in review["tiers"]:
        if t["certifications"]:
            said.append(_certification_sentence(w, t))
    if review["up"]:
        n = w.num(review["up"], "count", "partners", scope="tier rules, would move up", kind="group")
        said.append(
            ngettext(
                "{n} partner would move up a tier.", "{n} partners would move up a tier.", review["up"]
            ).format(n=n)
        )
    said.append(
        _(
            "The next review, on {date}, measures the window moved on by one quarter: each partner's page "
            "says what it still needs for that review."
        ).format(date=numbers.date(review["review"]))
    )
    w.block(_p(" ".join(said)))


def _window_sentence(w: Writer, review: dict) -> str:
    """'On the last 4 quarters (2025-Q4–2026-Q3), 12 of the 15 Gold partners (including 4 down to
    Registered) and 6 of the 17 Silver partners would move down a tier under the programme's rules.'"""
    n = w.num(review["quarters"], "count", "partners", scope="tier rules, window in quarters", kind="window")
    parts = [_tier_part(w, t) for t in review["tiers"] if t["down"]]
    said = {"n": n, "window": review["window"], "moves": join(parts)}
    if not parts:
        return ngettext(
            "On the last {n} quarter ({window}), no partner would move down a tier under the programme's rules.",
            "On the last {n} quarters ({window}), no partner would move down a tier under the programme's rules.",
            review["quarters"],
        ).format(**said)
    return ngettext(
        "On the last {n} quarter ({window}), {moves} would move down a tier under the programme's rules.",
        "On the last {n} quarters ({window}), {moves} would move down a tier under the programme's rules.",
        review["quarters"],
    ).format(**said)


def _tier_part(w: Writer, t: dict) -> str:
    part = ngettext(
        "{n} of the {total} {tier} partner", "{n} of the {total} {tier} partners", int(t["now"])
    ).format(
        n=w.num(t["down"], "count", "partners", scope=f"tier={t['tier']}, would move down", kind="group"),
        total=w.num(t["now"], "count", "partners", scope=f"tier={t['tier']}", kind="group"),
        tier=t["tier"],
    )
    if not t["lower"]:
        return part
    lower = [
        _("{n} down to {tier}").format(
            n=w.num(n, "count", "partners", scope=f"tier={t['tier']}, would fall to {to}", kind="group"),
            tier=to,
        )
        for to, n in t["lower"].items()
    ]
    return _("{part} (including {lower})").format(part=part, lower=join(lower))


def _certification_sentence(w: Writer, t: dict) -> str:
    """'8 of the 12 Gold partners would move down only because they earned no certification in that
    window; 6 of them hold one.' (the goals page's reasons: 'Certifications earned …: 0')."""
    n, held = int(t["certifications"]), int(t["held"])
    said = {
        "n": w.num(n, "count", "partners", scope=f"tier={t['tier']}, only certifications", kind="group"),
        "down": w.num(
            t["down"], "count", "partners", scope=f"tier={t['tier']}, would move down", kind="group"
        ),
        "tier": t["tier"],
        "held": w.num(
            held,
            "count",
            "partners",
            scope=f"tier={t['tier']}, only certifications, holding one",
            kind="group",
        ),
    }
    first = ngettext(
        "{n} of the {down} {tier} partners would move down only because it earned no certification in "
        "that window",
        "{n} of the {down} {tier} partners would move down only because they earned no certification in "
        "that window",
        n,
    ).format(**said)
    if n == 1:
        rest = _("it holds one earned earlier") if held else _("it holds none")
    elif held == n:
        rest = _("each of them holds one earned earlier")
    elif not held:
        rest = _("none of them holds one")
    else:
        rest = ngettext(
            "{held} of them holds one earned earlier", "{held} of them hold one earned earlier", held
        )
        rest = rest.format(**said)
    return _("{first}; {rest}.").format(first=first, rest=rest)


def at_stake(ctx: Context, risk: pd.DataFrame) -> pd.DataFrame:
    """`risk` with `stake` (the larger of the partner's revenue in the prior period and its open
    pipeline at the period's end; 0 without either), largest first, then by partner id."""
    revenue = partner_rows(ctx.metrics, "revenue")
    pipeline = partner_rows(ctx.metrics, "pipeline")
    ids = risk["partner_id"].astype(str)
    before = revenue["prior_value"].reindex(ids).fillna(0.0).to_numpy() if "prior_value" in revenue else 0.0
    open_now = pipeline["value"].reindex(ids).fillna(0.0).to_numpy() if len(pipeline) else 0.0
    out = risk.assign(
        partner_id=ids,
        stake=pd.Series(before, index=risk.index)
        .clip(lower=0)
        .combine(pd.Series(open_now, index=risk.index), max),
    )
    return out.sort_values(["stake", "partner_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def _risk_caveat(w: Writer) -> str:
    """The health rules' precision on past quarters (lifecycle.backtest's 'at risk' row), said once,
    in the words of what the backtest counts: revenue down by 30% or more the next quarter, or
    the partner left the programme; with the 'watch' flag's precision beside it when 'watch' came
    true more often (then: check each partner before acting)."""
    test = w.ctx.risk_backtest
    if test is None or test.empty or "Flag" not in test:
        return ""
    row = test.loc[test["Flag"] == "at risk"]
    if row.empty or pd.isna(row["Precision"].iloc[0]):
        return ""
    at_risk = float(row["Precision"].iloc[0])
    said = {
        "share": w.num(at_risk, "rate", "health", scope="backtest of the at-risk flag", kind="precision"),
        "drop": w.num(
            0.3, "rate", "health", scope="backtest of the at-risk flag: a fall that counts", kind="threshold"
        ),
    }
    watch = test.loc[test["Flag"] == "watch"]
    if watch.empty or pd.isna(watch["Precision"].iloc[0]) or float(watch["Precision"].iloc[0]) <= at_risk:
        return _p(
            _(
                "A flag is a prompt to look, not a verdict: of the partners flagged at risk in past quarters, "
                "{share} saw their revenue fall by {drop} or more the next quarter or left the programme (the "
                "goals page has the health rules' backtest)."
            ).format(**said)
        )
    said["watch"] = w.num(
        float(watch["Precision"].iloc[0]),
        "rate",
        "health",
        scope="backtest of the watch flag",
        kind="precision",
    )
    return _p(
        _(
            "A flag is a prompt to look, not a verdict: of the partners flagged at risk in past quarters, {share} "
            "saw their revenue fall by {drop} or more the next quarter or left the programme, fewer than of "
            "those flagged “watch” ({watch}), so check each partner before acting (the goals page has the "
            "health rules' backtest)."
        ).format(**said)
    )


def _reason(w: Writer, partner_id: str, reason: str) -> str:
    """A health rule's reason, recorded as it is shown (it quotes the rule's numbers)."""
    w.section.facts.append(Fact("health", w.ctx.period, f"partner:{partner_id}", None, reason, "reason"))
    return reason


def best_fit(ctx: Context) -> tuple[dict, pd.DataFrame] | None:
    """The profile of the top partners by revenue and the early-stage partners matching it;
    None without enough top partners (program.peer_minimum) or without stages."""
    if "best_fit" not in ctx.cache:
        ctx.cache["best_fit"] = _best_fit(ctx)
    return ctx.cache["best_fit"]


def _best_fit(ctx: Context):
    from .. import portfolio

    if ctx.dataset is None or ctx.stages is None:
        return None
    top = portfolio.top_partners(ctx.metrics, minimum=ctx.peer_minimum)
    if len(top) < ctx.peer_minimum:
        return None
    opps = ctx.dataset["opportunities"]
    prof = portfolio.profile(
        ctx.dataset["partners"], top, opps.loc[_in_period(ctx, opps["closed_on"])], ctx.metrics
    )
    return prof, portfolio.lookalikes(ctx.dataset["partners"], ctx.stages, prof)


def _profile(w: Writer, portfolio) -> None:
    ctx = w.ctx
    found = best_fit(ctx)
    if found is None:
        return
    prof, like = found
    scope = "top partners by revenue"
    n = w.num(prof["partners"], "count", "partners", scope=scope, kind="group")
    tier = (
        _("all {tier}").format(tier=prof["tier"])
        if prof["tier_share"] >= 1
        else _("most often {tier} ({share})").format(
            tier=prof["tier"], share=w.num(prof["tier_share"], "rate", "partners", scope=scope, kind="share")
        )
    )
    region = (
        _("all in {region}").format(region=prof["region"])
        if prof["region_share"] >= 1
        else _("most often in {region} ({share})").format(
            region=prof["region"],
            share=w.num(prof["region_share"], "rate", "partners", scope=scope, kind="share"),
        )
    )
    if prof["segments"]:
        seg, share = next(iter(prof["segments"].items()))
        text = _(
            "The {n} partners with the most revenue are {tier} and {region}; {share} of their won revenue is "
            "{segment}."
        ).format(
            n=n,
            tier=tier,
            region=region,
            segment=seg,
            share=w.num(share, "rate", "revenue", scope=scope + f", segment={seg}", kind="share"),
        )
    else:
        text = _("The {n} partners with the most revenue are {tier} and {region}.").format(
            n=n, tier=tier, region=region
        )
    w.block(_h3(_("The best partners")) + _p(text))
    if not like.empty:
        w.block(
            _p(
                _("Early-stage partners with the same profile ({tier}, {region}):").format(
                    tier=prof["tier"], region=prof["region"]
                )
            )
            + _list_html(
                [
                    f"{_partner_html(ctx, r.partner_id)} ({_e(stage(r.stage))})"
                    for r in like.head(8).itertuples()
                ]
            )
        )
