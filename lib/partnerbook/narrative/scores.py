"""The story: scores section."""

from __future__ import annotations

import pandas as pd

from .. import goals, numbers
from ..i18n import _, ngettext, pgettext
from ..params import fy_start_month
from .core import (
    Context,
    Section,
    Writer,
    _catalogue,
    _e,
    _get,
    _list_html,
    _p,
    audience,
    objectives,
    programme_rows,
)


def attainment(value: float, target: float, good: str = "up") -> float | None:
    """Share of the target reached; for 'down' metrics, target over value."""
    if good == "down":
        return None if value == 0 else target / value
    return None if target == 0 else value / target


def objective_scores(ctx: Context, only: list | None = None) -> pd.DataFrame:
    """Objectives with their programme value, target and attainment (NaN when undefined), the
    unit to show them in and, for a derived measure with no value, why (`goals.measure_objective`)."""
    from .. import goals

    rows = programme_rows(ctx.metrics)
    known = ctx.catalogue if ctx.catalogue is not None else _catalogue()
    records = []
    for o in objectives(ctx.program, ctx.period):
        if only is not None and o.get("id") not in only:
            continue
        if o["metric"] in goals.DERIVED:
            records.append(_derived_score(ctx, o))
            continue
        if o["metric"] not in rows.index and o["metric"] not in known:
            continue  # neither in the metric table nor in the catalogue: nothing to measure
        value, target = _get(rows, o["metric"]), o.get("target")
        share = (
            attainment(value, float(target), ctx.meta(o["metric"]).good)
            if value is not None and target
            else None
        )
        records.append(
            {
                "id": o.get("id"),
                "name": o.get("name") or o.get("id"),
                "metric": o["metric"],
                "value": value,
                "target": target,
                "attainment": share,
                "unit": ctx.meta(o["metric"]).unit,
                "reason": "",
                "prior": _get(rows, o["metric"], "prior_value"),
            }
        )
    return pd.DataFrame(
        records, columns=["id", "name", "metric", "value", "target", "attainment", "unit", "reason", "prior"]
    )


def _derived_score(ctx: Context, objective: dict) -> dict:
    """channel_roi, cost_of_sales, market_share from partner revenue and the objective's inputs."""
    from .. import goals

    metric, target = objective["metric"], objective.get("target")
    table = ctx.metrics if "period" in ctx.metrics else ctx.metrics.assign(period=ctx.period)
    value, reason = goals.measure_objective(table, objective, ctx.period, fy_start_month(ctx.program))
    share = goals.share_of_target(value, float(target), metric) if target else None
    before = table.assign(value=table["prior_value"], period=ctx.prior) if ctx.prior else None
    prior = (
        goals.measure_objective(before, objective, ctx.prior, fy_start_month(ctx.program))[0]
        if ctx.prior
        else None
    )
    return {
        "prior": None if prior is None or numbers.is_missing(prior) else prior,
        "id": objective.get("id"),
        "name": objective.get("name") or objective.get("id"),
        "metric": metric,
        "value": None if numbers.is_missing(value) else value,
        "target": target,
        "attainment": None if numbers.is_missing(share) else share,
        "unit": goals.unit_of(metric),
        "reason": reason,
    }


# ---------------------------------------------------------------- objectives


def objectives_section(ctx: Context) -> Section:
    """The audience's objectives: value, target, share of target, one line each."""
    w = Writer(ctx, "objectives")
    aud = audience(ctx.program, ctx.audience)
    scores = objective_scores(ctx, aud.get("objectives"))
    if scores.empty:
        w.block(
            _p(
                _(
                    "No business objective with a measure in the metric table is set for {period} "
                    "in the programme parameters."
                ).format(period=ctx.said(ctx.period))
            )
        )
        return w.section
    items = []
    for row in scores.to_dict("records"):
        if (row["value"] is None or numbers.is_missing(row["value"])) and not row["reason"]:
            reason = ctx.unavailable.get(row["metric"]) or _("no value for {period}").format(
                period=ctx.said(ctx.period)
            )
            items.append(_e(_("{objective}: {reason}.").format(objective=row["name"], reason=reason)))
            continue
        items.append(_e(_objective_line(w, row)))
    w.block(_list_html(items))
    return w.section


def _objective_line(w: Writer, row: dict) -> str:
    """'Grow revenue: $1,150,000 against a target of $1,200,000 (96% of target).'"""
    unit, metric = row["unit"], row["metric"]
    value = w.num(row["value"], unit, metric, reason=row["reason"])
    if not row["target"] or numbers.is_missing(row["target"]):
        return _("{objective}: {value}.").format(objective=row["name"], value=value)
    target = w.num(row["target"], unit, metric, kind="target")
    if row["attainment"] is None or numbers.is_missing(row["attainment"]):
        return _("{objective}: {value} against a target of {target}.").format(
            objective=row["name"], value=value, target=target
        )
    share = w.num(row["attainment"], "rate", metric, kind="attainment")
    return _("{objective}: {value} against a target of {target} ({share} of target).").format(
        objective=row["name"], value=value, target=target, share=share
    )


# ---------------------------------------------------------------- the scorecard


def status(share: float | None, has_target: bool) -> str:
    """An objective's status in words: 'met' (100% or more of target), 'close' (90% or
    more), 'behind' (`goals.standing_of`, the goals page's rule); 'no target set' or 'not measured'
    when it cannot be scored."""
    if not has_target:
        return pgettext("objective", "no target set")
    standing = goals.standing_of(share)
    if not standing:
        return pgettext("objective", "not measured")
    return {
        "met": pgettext("objective", "met"),
        "close": pgettext("objective", "close"),
        "behind": pgettext("objective", "behind"),
    }[standing]


def scorecard(ctx: Context) -> Section:
    """One table, first on the page: each objective of the audience with its value, target,
    status in words and change on the prior period."""
    w = Writer(ctx, "scorecard")
    scores = objective_scores(ctx, audience(ctx.program, ctx.audience).get("objectives"))
    if scores.empty:
        w.block(
            _p(
                _(
                    "No business objective with a measure is set for {period} in the programme parameters."
                ).format(period=ctx.said(ctx.period))
            )
        )
        return w.section
    change = (
        _("Change on {period}").format(period=ctx.said(ctx.prior))
        if ctx.prior
        else _("Change on the prior period")
    )
    head = (
        "<tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in (_("Objective"), _("Value"), _("Target"), _("Status"), change))
        + "</tr>"
    )
    body = "".join(_score_row(w, r) for r in scores.to_dict("records"))
    w.block(
        f'<div class="pb-table-wrap"><table class="pb-table pb-scorecard"><thead>{head}</thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
    return w.section


def _score_row(w: Writer, r: dict) -> str:
    ctx, unit, metric = w.ctx, r["unit"], r["metric"]
    has_target = bool(r["target"]) and not numbers.is_missing(r["target"])
    reason = (
        r["reason"]
        or ctx.unavailable.get(metric)
        or _("no value for {period}").format(period=ctx.said(ctx.period))
    )
    fine = has_target and goals.hides_standing(r["value"], r["target"], metric)  # 7.6% against 8.0%: 'close'
    fine = fine or _fine_change(w, r)  # 7.8% beside +2.4 points
    value = w.num(r["value"], unit, metric, reason=reason, finer=fine)
    target = w.num(r["target"], unit, metric, kind="target", finer=fine) if has_target else "—"
    return (
        f'<tr><td>{_e(r["name"])}</td><td class="num">{_e(value)}</td><td class="num">{_e(target)}</td>'
        f"<td>{_e(status(r['attainment'], has_target))}</td><td>{_e(_change(w, r))}</td></tr>"
    )


def _change(w: Writer, r: dict) -> str:
    """Rates in points (+3 points), other measures as a relative change (+12%)."""
    value, prior, unit, metric = r["value"], r.get("prior"), r["unit"], r["metric"]
    if (
        not w.ctx.prior
        or value is None
        or prior is None
        or numbers.is_missing(value)
        or numbers.is_missing(prior)
    ):
        return numbers.missing(_("no earlier value"))
    if unit == "ratio":
        move = value - prior
        if numbers.half_up(abs(move), 2) == 0:  # '+0.00×', '+0,00×'
            return _("no change")
        return w.num(move, "ratio_change", metric, kind="change")
    if unit in ("rate", "points"):
        move = _points(value, prior, unit)
        digits = 1  # one decimal on every programme page
        if numbers.half_up(move, digits) == 0:
            return _("no change")
        text = w.num(move, "points_change", metric, kind="change", signed=True)
        return ngettext("{change} point", "{change} points", numbers.plural(move, digits)).format(change=text)
    if not prior:
        return numbers.missing(_("nothing in {period}").format(period=w.ctx.said(w.ctx.prior)))
    return w.num((value - prior) / prior, "rate", metric, kind="change", signed=True)


def _points(value: float, prior: float, unit: str) -> float:
    """A change in points worked out from the unrounded figures: 7.81% against 5.41% is +2.4
    points (the rounded 8% and 5% would say +3); an NPS of 3.7 against 19.4 is 15.7 points down."""
    scale = 100 if unit == "rate" else 1
    return (float(value) - float(prior)) * scale


def _fine_change(w: Writer, r: dict) -> bool:
    """True when the row's change in points is shown with one decimal, so its figures are too."""
    value, prior = r["value"], r.get("prior")
    if r["unit"] not in ("rate", "points") or not w.ctx.prior:
        return False
    if value is None or prior is None or numbers.is_missing(value) or numbers.is_missing(prior):
        return False
    return True  # one decimal on every programme page: 55.5%, +10.2 points
