"""The story: the revenue bridge. The change in partner revenue on the prior period and on a
year ago, decomposed by partner (the largest contributors named, the rest summed), by segment
and by region; a waterfall and tables whose parts add up exactly to the change."""
from __future__ import annotations

import pandas as pd

from .core import (
    Context,
    Section,
    Writer,
    _e,
    _get,
    _names,
    _p,
    _partner_html,
    programme_rows,
)
from .usecases import _figure

COLUMNS = {"prior": "prior_value", "year_ago": "year_ago_value"}


def revenue_parts(ctx: Context, by: str, against: str = "prior") -> pd.DataFrame | None:
    """`portfolio.bridge` of revenue `by` 'partner', 'segment' or 'region' against 'prior' or
    'year_ago'; partners from the whole metric table (a partner that left before the period
    still takes its revenue of the earlier period with it). None without revenue rows."""
    from .. import portfolio
    mt, before = ctx.everyone, COLUMNS[against]
    rows = mt.loc[mt["metric"] == "revenue"]
    if by == "partner":
        rows = rows.loc[~rows["partner_id"].isna() & (rows["breakdown"].fillna("") == "")
                        & (rows["partner_id"].astype("string").fillna("") != "")]
        keys = rows["partner_id"].astype(str)
        labels = keys.map(lambda k: _names(ctx).get(k, k))
    else:
        prefix = f"{by}="
        rows = rows.loc[rows["partner_id"].isna() & rows["breakdown"].fillna("").str.startswith(prefix)]
        keys = labels = rows["breakdown"].str.slice(len(prefix))
    if rows.empty:
        return None
    frame = pd.DataFrame({"key": keys.to_numpy(), "label": labels.to_numpy(),
                          "now": rows["value"].to_numpy(dtype=float), "before": rows[before].to_numpy(dtype=float)})
    top = int(ctx.reporting.get("bridge_top", 5)) if by == "partner" else len(frame)
    return portfolio.bridge(frame, top=top, rest=by)


def bridge(ctx: Context) -> Section:
    """For the prior period and a year ago: the change in a sentence naming its largest
    contributor, then a table per view (partner, segment, region); a waterfall of the partner
    view on the prior period."""
    w = Writer(ctx, "bridge")
    rows = programme_rows(ctx.everyone)
    for against, other in (("prior", ctx.prior), ("year_ago", ctx.year_ago)):
        now, before = _get(rows, "revenue"), _get(rows, "revenue", COLUMNS[against])
        if not other or now is None or before is None:
            continue
        _one(w, against, other, now, before)
    if not w.section.html:
        w.block(_p("There is no earlier revenue to compare this period with."))
    return w.section


def _one(w: Writer, against: str, other: str, now: float, before: float) -> None:
    ctx = w.ctx
    change = now - before
    parts = revenue_parts(ctx, "partner", against)
    scope = f"change on {other}"
    verb = "rose" if change > 0 else ("fell" if change < 0 else "did not move")
    text = (f"Partner revenue {verb} by {w.num(abs(change), 'money', 'revenue', scope=scope, kind='change')} "
            f"on {other}, from {w.num(before, 'money', 'revenue', period=other, kind=against)} to "
            f"{w.num(now, 'money', 'revenue')}") if change else f"Partner revenue did not move on {other}"
    lead = parts.loc[parts["key"] != ""].head(1) if parts is not None else None
    if lead is not None and len(lead) and change:
        r = lead.iloc[0]
        who = f"partner:{r['key']}, {scope}"
        part = w.num(r["change"], "money", "revenue", scope=who, kind="change", signed=True)
        text += (f"; {r['part']} alone accounts for {part} of it" if (r["change"] < 0) == (change < 0)
                 else f"; the partner that moved most, {r['part']}, went against the trend ({part})")
    w.block(f"<h3>{_e('Against ' + other)}</h3>" + _p(text + "."))
    if against == "prior" and parts is not None and len(parts):
        w.block(_figure(_plot(parts, before, now, other, ctx.period),
                        f"Waterfall from partner revenue in {other} to {ctx.period}, one bar per named partner "
                        "and one for the rest"))
    for by in ("partner", "segment", "region"):
        found = parts if by == "partner" else revenue_parts(ctx, by, against)
        if found is not None and len(found):
            w.block(_table(w, found, by, other, change))


def _table(w: Writer, parts: pd.DataFrame, by: str, other: str, change: float) -> str:
    ctx = w.ctx
    scope = f"change on {other}, by {by}"
    head = (f"<tr><th>{_e(by.capitalize())}</th><th>{_e(other)}</th><th>{_e(ctx.period)}</th>"
            "<th>Change</th></tr>")
    body = []
    for r in parts.itertuples():
        if by == "partner" and r.key and (ctx.members is None or r.key in ctx.members):
            name = _partner_html(ctx, r.key)
        elif not r.key:                       # "<n> other partners": the count is a number shown
            n, _, rest = str(r.part).partition(" ")
            name = _e(w.num(int(n), "count", by + "s", scope=f"{by}s not named, change on {other}", kind="group")
                      + " " + rest)
        else:
            name = _e(r.part)
        who = f"{by}:{r.key}" if r.key else f"{by}:{r.part}"
        body.append(f"<tr><td>{name}</td>"
                    f"<td class=\"num\">{_e(w.num(r.before, 'money', 'revenue', period=other, scope=who, kind='bridge'))}</td>"
                    f"<td class=\"num\">{_e(w.num(r.now, 'money', 'revenue', scope=who, kind='bridge'))}</td>"
                    f"<td class=\"num\">{_e(w.num(r.change, 'money', 'revenue', scope=f'{who}, {scope}', kind='change', signed=True))}</td></tr>")
    total = (f"<tr class=\"pb-total\"><th>Total</th><td></td><td></td>"
             f"<td class=\"num\">{_e(w.num(parts['change'].sum(), 'money', 'revenue', scope=scope, kind='change', signed=True))}</td></tr>")
    caption = f"Revenue change on {other} by {by}"
    return (f'<div class="pb-table-wrap"><table class="pb-table pb-bridge"><caption>{_e(caption)}</caption>'
            f"<thead>{head}</thead><tbody>{''.join(body)}{total}</tbody></table></div>")


def _plot(parts: pd.DataFrame, before: float, now: float, other: str, period: str, *, ax=None):
    """A horizontal waterfall, top to bottom: the prior total, one bar per part, the total now;
    names whole on the left, each bar's value on it (totals as amounts, parts signed)."""
    import matplotlib.pyplot as plt

    from .. import numbers
    labels = [other, *[str(p) for p in parts["part"]], period]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 0.8))
    level, lefts, widths, colours = before, [0.0], [before], ["#2a5b9b"]
    for c in parts["change"]:
        lefts.append(min(level, level + c))
        widths.append(abs(c))
        colours.append("#55a868" if c >= 0 else "#c44e52")
        level += c
    lefts.append(0.0)
    widths.append(now)
    colours.append("#2a5b9b")
    money = lambda v, signed=False: (("+" if signed and v > 0 else "")  # noqa: E731
                                     + numbers.money(v, compact=True).replace("-", "−"))
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#e5e5e5")
    rows = list(range(len(labels)))[::-1]                   # the first bar at the top
    bars = ax.barh(rows, widths, left=lefts, color=colours, height=0.6)
    values = [money(before), *[money(c, signed=True) for c in parts["change"]], money(now)]
    ax.bar_label(bars, labels=values, label_type="edge", padding=3, fontsize=8, color="#333333")
    ax.set_xlim(0, max(lefts[i] + widths[i] for i in range(len(widths))) * 1.15 or 1)
    ax.set_yticks(rows, labels, fontsize=8)
    ax.xaxis.set_major_formatter(lambda v, _: money(v))
    ax.spines[["top", "right"]].set_visible(False)
    return ax
