"""The story: the revenue bridge. The change in partner revenue on the prior period and on a
year ago, decomposed by partner (the largest contributors named, the rest summed), by segment
and by region; a waterfall and tables whose parts add up exactly to the change."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import numbers
from ..i18n import N_, _
from .core import (
    Context,
    Section,
    Writer,
    _e,
    _get,
    _h3,
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
        rows = rows.loc[
            ~rows["partner_id"].isna()
            & (rows["breakdown"].fillna("") == "")
            & (rows["partner_id"].astype("string").fillna("") != "")
        ]
        keys = rows["partner_id"].astype(str)
        labels = keys.map(lambda k: _names(ctx).get(k, k))
    else:
        prefix = f"{by}="
        rows = rows.loc[rows["partner_id"].isna() & rows["breakdown"].fillna("").str.startswith(prefix)]
        keys = labels = rows["breakdown"].str.slice(len(prefix))
    if rows.empty:
        return None
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "label": labels.to_numpy(),
            "now": rows["value"].to_numpy(dtype=float),
            "before": rows[before].to_numpy(dtype=float),
        }
    )
    top = int(ctx.reporting.get("bridge_top", 5)) if by == "partner" else len(frame)
    parts = portfolio.bridge(frame, top=top, rest=by)  # the rest: '3 other partners' (portfolio.others)
    return parts.assign(others=[_count(p) if k == "" else None for k, p in zip(parts["key"], parts["part"])])


def _count(part: str) -> int:
    """How many the part of the rest sums: '3 other partners', '1 234 autres partenaires' -> 3, 1234."""
    found = re.match(r"[\d\s,.]+", str(part))
    return int(re.sub(r"\D", "", found.group(0))) if found else 0


SENTENCES = {  # (direction, what the partner that moved most did) -> the whole sentence
    ("rose", ""): N_("Partner revenue rose by {change} on {period}, from {before} to {now}."),
    ("fell", ""): N_("Partner revenue fell by {change} on {period}, from {before} to {now}."),
    ("rose", "alone"): N_(
        "Partner revenue rose by {change} on {period}, from {before} to {now}; "
        "{partner} alone accounts for {part} of it."
    ),
    ("fell", "alone"): N_(
        "Partner revenue fell by {change} on {period}, from {before} to {now}; "
        "{partner} alone accounts for {part} of it."
    ),
    ("rose", "against"): N_(
        "Partner revenue rose by {change} on {period}, from {before} to {now}; "
        "the partner that moved most, {partner}, went against the trend ({part})."
    ),
    ("fell", "against"): N_(
        "Partner revenue fell by {change} on {period}, from {before} to {now}; "
        "the partner that moved most, {partner}, went against the trend ({part})."
    ),
}
VIEWS = {
    "partner": (N_("Partner"), N_("Revenue change on {period} by partner")),
    "segment": (N_("Segment"), N_("Revenue change on {period} by segment")),
    "region": (N_("Region"), N_("Revenue change on {period} by region")),
}


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
        w.block(_p(_("There is no earlier revenue to compare this period with.")))
    return w.section


def _one(w: Writer, against: str, other: str, now: float, before: float) -> None:
    ctx = w.ctx
    now, before = _whole(now), _whole(before)  # as the story shows money: the change is theirs
    change = now - before
    parts = shown(revenue_parts(ctx, "partner", against))
    scope = f"change on {other}"
    if not change:
        text = _("Partner revenue did not move on {period}.").format(period=ctx.said(other))
    else:
        values = {
            "change": w.num(abs(change), "money", "revenue", scope=scope, kind="change"),
            "period": ctx.said(other),
            "before": w.num(before, "money", "revenue", period=other, kind=against),
            "now": w.num(now, "money", "revenue"),
            "partner": "",
            "part": "",
        }
        lead = parts.loc[parts["key"] != ""].head(1) if parts is not None else None
        how = ""
        if lead is not None and len(lead):
            r = lead.iloc[0]
            values["part"] = w.num(
                r["change"],
                "money",
                "revenue",
                scope=f"partner:{r['key']}, {scope}",
                kind="change",
                signed=True,
            )
            values["partner"] = r["part"]
            how = "alone" if (r["change"] < 0) == (change < 0) else "against"
        text = _(SENTENCES[("rose" if change > 0 else "fell", how)]).format(**values)
    w.block(_h3(_("Against {period}").format(period=ctx.said(other))) + _p(text))
    if against == "prior" and parts is not None and len(parts):
        w.block(
            _figure(
                _plot(parts, before, now, ctx.said(other), ctx.said(ctx.period), currency=ctx.currency),
                _(
                    "Waterfall from partner revenue in {prior} to {period}, one bar per named partner "
                    "and one for the rest"
                ).format(prior=ctx.said(other), period=ctx.said(ctx.period)),
            )
        )
    rounded = False
    for by in ("partner", "segment", "region"):
        found = parts if by == "partner" else shown(revenue_parts(ctx, by, against))
        if found is not None and len(found):
            w.block(_table(w, found, by, other, change))
            rounded = rounded or bool(found["rounded"].any())
    if rounded:
        unit = numbers.money(1, ctx.currency)
        w.block(f'<p class="pb-note">{_e(_(ROUNDED).format(unit=unit))}</p>')


ROUNDED = N_(
    "Amounts are rounded to the nearest {unit} so that each table's parts add up to its totals: a part's "
    "change may differ by {unit} from the exact figure."
)


def _whole(amount: float) -> float:
    """`amount` half up to the whole currency unit, as `numbers.money` shows it."""
    return numbers.half_up(float(amount), 0)


def shown(parts: pd.DataFrame | None) -> pd.DataFrame | None:
    """`revenue_parts` as the story shows them: `before` and `now` in whole currency units, each
    column apportioned to its rounded total (the largest remainders take the units rounding down
    leaves over), so the parts a reader adds up come to the totals; `change` = now - before of
    the shown figures, so the changes add up to the shown change too. `rounded`: a figure moved
    (the parts had cents)."""
    if parts is None:
        return None
    before, now = _apportioned(parts["before"]), _apportioned(parts["now"])
    moved = (before != parts["before"].to_numpy()) | (now != parts["now"].to_numpy())
    return parts.assign(before=before, now=now, change=now - before, rounded=moved)


def _apportioned(amounts: pd.Series) -> np.ndarray:
    """Whole units that add up to the whole-unit total of `amounts` (each a whole number of cents):
    each rounded down, then one more unit to the largest remainders (the first on a tie) until
    the total is reached."""
    cents = [int(round(float(a) * 100)) for a in amounts]
    units = [c // 100 for c in cents]
    left = int(_whole(sum(cents) / 100)) - sum(units)
    for i in sorted(range(len(cents)), key=lambda i: (-(cents[i] - 100 * units[i]), i))[:left]:
        units[i] += 1
    return np.array(units, dtype=float)


def _table(w: Writer, parts: pd.DataFrame, by: str, other: str, change: float) -> str:
    ctx = w.ctx
    scope = f"change on {other}, by {by}"
    view, caption = VIEWS[by]
    head = (
        "<tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in (_(view), ctx.said(other), ctx.said(ctx.period), _("Change")))
        + "</tr>"
    )
    body = []
    for r in parts.itertuples():
        if by == "partner" and r.key and (ctx.members is None or r.key in ctx.members):
            name = _partner_html(ctx, r.key)
        elif not r.key:  # "<n> other partners": the count is a number shown
            w.num(int(r.others), "count", by + "s", scope=f"{by}s not named, change on {other}", kind="group")
            name = _e(r.part)
        else:
            name = _e(r.part)
        who = f"{by}:{r.key}" if r.key else f"{by}:{r.part}"
        body.append(
            f"<tr><td>{name}</td>"
            f'<td class="num">{_e(w.num(r.before, "money", "revenue", period=other, scope=who, kind="bridge"))}</td>'
            f'<td class="num">{_e(w.num(r.now, "money", "revenue", scope=who, kind="bridge"))}</td>'
            f'<td class="num">{_e(w.num(r.change, "money", "revenue", scope=f"{who}, {scope}", kind="change", signed=True))}</td></tr>'
        )
    total_label = _("Total")
    total = (
        f'<tr class="pb-total"><th>{_e(total_label)}</th><td></td><td></td>'
        f'<td class="num">{_e(w.num(parts["change"].sum(), "money", "revenue", scope=scope, kind="change", signed=True))}</td></tr>'
    )
    caption = _(caption).format(period=ctx.said(other))
    return (
        f'<div class="pb-table-wrap"><table class="pb-table pb-bridge"><caption>{_e(caption)}</caption>'
        f"<thead>{head}</thead><tbody>{''.join(body)}{total}</tbody></table></div>"
    )


def _plot(
    parts: pd.DataFrame, before: float, now: float, other: str, period: str, *, currency: str = "USD", ax=None
):
    """A horizontal waterfall, top to bottom: the prior total, one bar per part, the total now;
    names whole on the left, each bar's value at it (totals as amounts, parts signed); drawn
    as SVG (`charts.plot_waterfall`), or into `ax`."""
    steps, level = [(other, 0.0, before, True)], before
    for part, c in zip(parts["part"], parts["change"]):
        steps.append((str(part), level, level + c, False))
        level += c
    steps.append((period, 0.0, now, True))

    def money(v: float, signed: bool = False) -> str:
        return ("+" if signed and v > 0 else "") + numbers.money(v, currency, compact=True)

    from .. import charts  # matplotlib: here, so the runner and the dashboard do without it

    return charts.plot_waterfall(steps, fmt=money, total="#2a5b9b", ax=ax)
