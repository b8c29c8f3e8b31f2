"""The story: why section."""

from __future__ import annotations

import pandas as pd

from .. import membership, periods
from ..i18n import N_, _, ngettext
from ..params import fy_start_month
from .core import Context, Section, Writer, _absent, partner_rows

# ---------------------------------------------------------------- leading explains lagging

TINY = 50  # a group that won more than 50 times the other's: the other's base is 'almost nothing'


def association(frame: pd.DataFrame, minimum: int) -> dict | None:
    """frame: partner_id, group (bool), outcome. Mean outcome in each group and the
    difference; None when either group has fewer than `minimum` partners."""
    yes, no = frame.loc[frame["group"], "outcome"], frame.loc[~frame["group"], "outcome"]
    if len(yes) < minimum or len(no) < minimum:
        return None
    a, b = float(yes.mean()), float(no.mean())
    return {
        "n_yes": len(yes),
        "n_no": len(no),
        "mean_yes": a,
        "mean_no": b,
        "difference": a - b,
        "ratio": a / b if b > 0 else None,
    }


def why(ctx: Context) -> Section:
    """Which leading activities went with revenue: certified vs not, registrations last
    period (top half vs bottom half) against revenue this period. Associations only."""
    w = Writer(ctx, "why")
    revenue = partner_rows(ctx.metrics, "revenue")["value"].fillna(0.0)
    certified = _certified(w, revenue)
    registrations, joined = _registrations(w, revenue)
    found = [s for s in (certified, registrations) if s]
    for sentence in found:
        w.say(sentence)
    if registrations and joined:
        w.say(joined)
    if found:
        w.say(
            _(
                "These are associations across partners, not proof that one causes the other; certified partners "
                "are compared only with others in the sell and grow stages, as partners still being recruited, "
                "onboarded or enabled cannot sell yet."
            )
            if certified
            else _("These are associations across partners, not proof that one causes the other.")
        )
    else:
        w.say(
            _(
                "There are too few partners in the groups to compare leading activity with revenue this period."
            )
        )
    w.paragraph()
    return w.section


SELLING = ("sell", "grow")


def _certified(w: Writer, revenue: pd.Series) -> str:
    """Certified against uncertified partners within the sell and grow stages only (a partner
    being recruited or onboarded cannot sell yet, so it would make any activity look good)."""
    ctx = w.ctx
    if _absent(ctx, "engagements") or ctx.stages is None:
        return ""
    selling = set(ctx.stages.astype("string").loc[lambda s: s.isin(SELLING)].index.astype(str))
    revenue = revenue.loc[revenue.index.astype(str).isin(selling)]
    if revenue.empty:
        return ""
    eng = ctx.dataset["engagements"]
    before = eng["occurred_on"] < ctx.period_start if ctx.period_start is not None else True
    certified = set(eng.loc[(eng["kind"] == "certification") & before, "partner_id"].astype(str))
    frame = pd.DataFrame({"group": revenue.index.isin(certified), "outcome": revenue.to_numpy()})
    stats = association(frame, ctx.peer_minimum)
    if stats is None:
        return ""
    return _comparison(w, stats, "certified", f"certified before {ctx.period}", "not certified")


def _registrations(w: Writer, revenue: pd.Series) -> tuple[str, str]:
    """Last period's deal registrations (top half against bottom half) against this period's
    revenue, like with like: only partners in the programme in both periods (one that joined
    during this period had no last period to register deals in). (The comparison, the sentence
    saying how many joiners were left out; '' for either when there is nothing to say.)"""
    ctx = w.ctx
    if "deals_registered" in ctx.unavailable or not ctx.prior:
        return "", ""
    both = _in_both_periods(ctx)
    kept = revenue if both is None else revenue.loc[revenue.index.astype(str).isin(both)]
    regs = partner_rows(ctx.metrics, "deals_registered")["prior_value"].reindex(kept.index).fillna(0.0)
    ranked = regs.sort_values(ascending=False, kind="stable")
    top = set(ranked.index[: len(ranked) // 2])
    frame = pd.DataFrame({"group": kept.index.isin(top), "outcome": kept.to_numpy()})
    stats = association(frame, ctx.peer_minimum)
    if stats is None or ranked.iloc[0] == 0:
        return "", ""
    compared = _comparison(
        w, stats, "registrations", f"top half of deal registrations in {ctx.prior}", "bottom half"
    )
    return compared, _joiners_left_out(w, len(revenue) - len(kept))


def _in_both_periods(ctx: Context) -> set[str] | None:
    """Ids of the partners in the programme in both the prior period and this one
    (`membership.in_programme`); None when the story has no partners table to tell."""
    if _absent(ctx, "partners"):
        return None
    partners = ctx.dataset["partners"]
    fy = fy_start_month(ctx.program)
    now, before = periods.parse(ctx.period, fy), periods.parse(ctx.prior, fy)
    both = membership.in_programme(partners, now) & membership.in_programme(partners, before)
    return set(partners.loc[both, "partner_id"].astype(str))


def _joiners_left_out(w: Writer, n: int) -> str:
    """'The 8 partners that joined during 2026-Q3 are left out of the deal registrations
    comparison: they were not in the programme in 2026-Q2.' ('' when none were)."""
    if not n:
        return ""
    ctx = w.ctx
    return ngettext(
        "{n} partner that joined during {period} is left out of the deal registrations comparison: "
        "it was not in the programme in {prior_period}.",
        "The {n} partners that joined during {period} are left out of the deal registrations comparison: "
        "they were not in the programme in {prior_period}.",
        n,
    ).format(
        n=w.num(n, "count", "partners", scope=f"joined during {ctx.period}", kind="group"),
        period=ctx.said(ctx.period),
        prior_period=ctx.said(ctx.prior),
    )


COMPARISONS = {  # (groups, how they compare) -> the whole sentence
    ("certified", "tiny"): N_(
        "The {n_yes} partners in the sell and grow stages certified before {period} won {mean_yes} each on average "
        "in {period}, against {mean_no} for the {n_no} in those stages without a certification, almost nothing by "
        "comparison."
    ),
    ("certified", "ratio"): N_(
        "The {n_yes} partners in the sell and grow stages certified before {period} won {mean_yes} each on average "
        "in {period}, against {mean_no} for the {n_no} in those stages without a certification: {ratio} as much."
    ),
    ("certified", "more"): N_(
        "The {n_yes} partners in the sell and grow stages certified before {period} won {mean_yes} each on average "
        "in {period}, against {mean_no} for the {n_no} in those stages without a certification."
    ),
    ("certified", "not"): N_(
        "The {n_yes} partners in the sell and grow stages certified before {period} won {mean_yes} each on average "
        "in {period}, against {mean_no} for the {n_no} in those stages without a certification, so this activity "
        "did not go with more revenue."
    ),
    ("registrations", "tiny"): N_(
        "The {n_yes} partners in the top half for deal registrations in {prior_period} won {mean_yes} each on "
        "average in {period}, against {mean_no} for the {n_no} in the bottom half, almost nothing by comparison."
    ),
    ("registrations", "ratio"): N_(
        "The {n_yes} partners in the top half for deal registrations in {prior_period} won {mean_yes} each on "
        "average in {period}, against {mean_no} for the {n_no} in the bottom half: {ratio} as much."
    ),
    ("registrations", "more"): N_(
        "The {n_yes} partners in the top half for deal registrations in {prior_period} won {mean_yes} each on "
        "average in {period}, against {mean_no} for the {n_no} in the bottom half."
    ),
    ("registrations", "not"): N_(
        "The {n_yes} partners in the top half for deal registrations in {prior_period} won {mean_yes} each on "
        "average in {period}, against {mean_no} for the {n_no} in the bottom half, so this activity did not go "
        "with more revenue."
    ),
}


def _comparison(w: Writer, s: dict, groups: str, scope_yes: str, scope_no: str) -> str:
    """Two groups of at least `peer_minimum` partners (five by default) and their mean revenue."""
    ctx = w.ctx
    values = {
        "n_yes": w.num(s["n_yes"], "count", "partners", scope=scope_yes, kind="group"),
        "mean_yes": w.num(s["mean_yes"], "money", "revenue", scope=scope_yes, kind="group_mean"),
        "mean_no": w.num(s["mean_no"], "money", "revenue", scope=scope_no, kind="group_mean"),
        "n_no": w.num(s["n_no"], "count", "partners", scope=scope_no, kind="group"),
        "period": ctx.said(ctx.period),
        "prior_period": ctx.said(ctx.prior),
        "ratio": "",
    }
    if s["ratio"] is not None and s["difference"] > 0 and s["ratio"] > TINY:
        how = "tiny"
    elif s["ratio"] is not None and s["difference"] > 0:
        how = "ratio"
        values["ratio"] = w.num(s["ratio"], "ratio", "revenue", scope=scope_yes, kind="ratio")
    else:
        how = "more" if s["difference"] > 0 else "not"
    return _(COMPARISONS[(groups, how)]).format(**values)
