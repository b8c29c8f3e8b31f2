"""The story: an outlook for the next quarter from the open pipeline and how much of the
opening pipeline became revenue in past quarters, with its backtest on the history.

Method (one sentence, as the page says it): next quarter's revenue = the open pipeline at the
end of this quarter x the share of the opening pipeline that became revenue in a quarter
(revenue of the quarter / open pipeline at the end of the quarter before), lowest to highest
over the last four quarters (at least two). The backtest applies the same rule to every past
quarter with at least two earlier shares and counts how often the actual fell inside.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import _, ngettext
from .core import Context, Section, Writer, _e, _get, _p, objectives, programme_rows

WINDOW, MINIMUM = 4, 2


def quarters(history: pd.DataFrame, last: str) -> pd.DataFrame:
    """Programme revenue and open pipeline by quarter up to `last`: period, revenue, pipeline,
    share (revenue / the pipeline at the end of the quarter before; NaN without one)."""
    rows = history.loc[
        history["partner_id"].isna()
        & (history["breakdown"].fillna("") == "")
        & history["metric"].isin(["revenue", "pipeline"])
    ]
    wide = (
        rows.pivot_table(index="period", columns="metric", values="value", aggfunc="sum")
        .reindex(columns=["revenue", "pipeline"])
        .sort_index()
    )
    wide = wide.loc[wide.index.astype(str) <= last]
    opening = wide["pipeline"].shift(1)
    return (
        wide.assign(share=(wide["revenue"] / opening).where(opening > 0))
        .reset_index()
        .rename(columns={"index": "period"})
    )


def forecast(frame: pd.DataFrame, upto: int | None = None) -> tuple[float, float, float] | None:
    """(pipeline, low, high) for the quarter after row `upto` (default: the last): that row's
    open pipeline x the lowest and highest share of the up to four quarters ending with it."""
    upto = len(frame) - 1 if upto is None else upto
    shares = frame["share"].iloc[: upto + 1].dropna().tail(WINDOW)
    if len(shares) < MINIMUM or pd.isna(frame["pipeline"].iloc[upto]):
        return None
    pipe = float(frame["pipeline"].iloc[upto])
    return pipe, pipe * float(shares.min()), pipe * float(shares.max())


def backtest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each past quarter the rule could have forecast: period, low, high, actual, inside."""
    out = []
    for i in range(1, len(frame)):
        found = forecast(frame, i - 1)
        if found is None:
            continue
        actual = float(frame["revenue"].iloc[i])
        out.append(
            {
                "period": frame["period"].iloc[i],
                "low": found[1],
                "high": found[2],
                "actual": actual,
                "inside": found[1] <= actual <= found[2],
            }
        )
    return pd.DataFrame(out, columns=["period", "low", "high", "actual", "inside"])


def outlook(ctx: Context) -> Section:
    """The range for the next quarter, its method in one sentence, and its backtest beside it."""
    w = Writer(ctx, "outlook")
    frame = quarters(ctx.history, ctx.period) if ctx.history is not None else None
    if frame is None or frame.empty or str(frame["period"].iloc[-1]) != ctx.period:
        w.block(_p(_("An outlook is given for quarters only, from the quarterly history.")))
        return w.section
    found = forecast(frame)
    if found is None:
        w.block(_p(_("There are too few quarters of pipeline history for an outlook.")))
        return w.section
    pipe, low, high = found
    scope = "outlook for the next quarter"
    tested = backtest(frame)
    low_text = w.num(low, "money_compact", "revenue", scope=scope, kind="low")
    high_text = w.num(high, "money_compact", "revenue", scope=scope, kind="high")
    sentences = [
        _("An outlook for next quarter's partner revenue: {low} to {high}.").format(
            low=low_text, high=high_text
        ),
        _track_record(w, tested),
        _(
            "Method: the open pipeline at the end of {period} ({pipeline}) times the lowest and highest share "
            "of the opening pipeline that became revenue in each of the last four quarters."
        ).format(period=ctx.said(ctx.period), pipeline=w.num(pipe, "money_compact", "pipeline")),
    ]
    regs = _get(programme_rows(ctx.metrics), "registered_pipeline")
    if regs is not None and "registered_pipeline" not in ctx.unavailable:
        sentences.append(
            _(
                "Deal registrations submitted in {period} ({amount}) are not added: those that go ahead "
                "become opportunities in the open pipeline."
            ).format(period=ctx.said(ctx.period), amount=w.num(regs, "money_compact", "registered_pipeline"))
        )
    text = " ".join(sentences)
    w.block(_p(text))
    goal = _goal_line(w, low, high, tested)
    if goal:
        w.block(_p(goal))
    _backtest(w, tested)
    return w.section


def _track_record(w: Writer, tested: pd.DataFrame) -> str:
    """How often such a range held on the history, in one sentence (the range is no promise)."""
    if tested.empty:
        return _("There is not yet enough history to say how often such a range held.")
    record = _record(w, tested)
    sentence = record[:1].upper() + record[1:] + "."
    if 2 * int(tested["inside"].sum()) < len(tested):
        sentence += " " + _("Read it as a rough guide, not a forecast.")
    return sentence


def _goal_line(w: Writer, low: float, high: float, tested: pd.DataFrame) -> str:
    """Whether the quarterly revenue goal (the target of a revenue objective set for every quarter,
    not for one period) lies within the range and, when it does not, the range's record on the
    backtest quarters: the range is no promise that the goal will or will not be met."""
    goal = next(
        (
            o
            for o in objectives(w.ctx.program)
            if o.get("metric") == "revenue"
            and o.get("target")
            and not o.get("period")
            and (o.get("grain") or "quarter") == "quarter"
        ),
        None,
    )
    if goal is None:
        return ""
    target = float(goal["target"])
    if low <= target <= high:
        shown = w.num(target, "money_compact", "revenue", scope="the revenue goal", kind="target")
        return _(
            "The revenue goal of {goal} is within the range: next quarter could land either side of it."
        ).format(goal=shown)
    shown = w.num(target, "money_compact_fine", "revenue", scope="the revenue goal", kind="target")
    if target < low:  # the range's record is the sentence before
        return _(
            "The goal ({goal}) is below the low end of the range: it should be reached if the pipeline converts "
            "as usual, with no guarantee."
        ).format(goal=shown)
    return _(
        "The goal ({goal}) is above the high end of the range: it would be reached only if the pipeline "
        "converts better than usual."
    ).format(goal=shown)


def _record(w: Writer, tested: pd.DataFrame) -> str:
    """'the actual fell inside such a range in 3 of the last 5 quarters, below it in 1 and above
    it in 1'; '' without a backtest."""
    if tested.empty:
        return ""
    n = len(tested)
    inside = int(tested["inside"].sum())
    below = int((~tested["inside"].astype(bool) & (tested["actual"] < tested["low"])).sum())
    scope = "backtest of the outlook"
    return ngettext(
        "the actual fell inside such a range in {inside} of the last {n} quarter, below it in {below} and "
        "above it in {above}",
        "the actual fell inside such a range in {inside} of the last {n} quarters, below it in {below} and "
        "above it in {above}",
        n,
    ).format(
        inside=w.num(inside, "count", "quarters", scope=scope, kind="backtest"),
        n=w.num(n, "count", "quarters", scope=scope, kind="backtest"),
        below=w.num(below, "count", "quarters", scope=scope, kind="backtest"),
        above=w.num(n - inside - below, "count", "quarters", scope=scope, kind="backtest"),
    )


def _backtest(w: Writer, tested: pd.DataFrame) -> None:
    if tested.empty:
        return
    scope = "backtest of the outlook"
    w.block(_p(_("The same rule on each past quarter it could have forecast:")))
    rows = "".join(
        f"<tr><td>{_e(w.ctx.said(r.period))}</td>"
        + "<td>"
        + _e(
            _("{low} to {high}").format(
                low=w.num(r.low, "money_compact", "revenue", period=r.period, scope=scope, kind="low"),
                high=w.num(r.high, "money_compact", "revenue", period=r.period, scope=scope, kind="high"),
            )
        )
        + "</td>"
        f"<td>{_e(w.num(r.actual, 'money_compact', 'revenue', period=r.period, scope=scope, kind='actual'))}</td>"
        f"<td>{_e(_result(r))}</td></tr>"
        for r in tested.itertuples()
    )
    head = "".join(f"<th>{_e(h)}</th>" for h in (_("Quarter"), _("Range"), _("Actual"), _("Result")))
    w.block(
        '<div class="pb-table-wrap"><table class="pb-table pb-backtest"><thead><tr>'
        f"{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _result(r) -> str:
    """Where the actual fell against the range (French: 'dans la fourchette', 'au-dessus', 'en dessous')."""
    if r.inside:
        return _("inside")
    return _("above") if r.actual > r.high else _("below")
