"""The partner dashboard of a period (outputs/<period>/index.html): headline tiles, then one
row per partner in the programme, attention first, with filters and a totals row.

`context(wb, partners, out)` works out everything the page shows as plain JSON-ready data:
the tiles (from the metric table's programme rows, so they equal metrics.csv and the story),
the rows (`wb.members`), filters, totals, partners that left. `write` saves it beside
run.json (dashboard.json) and renders it with `page.period_page` (a Jinja2 template with
autoescape), which also says what the run did; `cache.mark_reused` re-renders the same
inputs without recomputing anything. `outputs_index` is outputs/index.html.

Every word is in the language in force (the context records its `locale`, and the page is
rendered in it): sentences are messages of the catalogue, numbers and dates come from
`numbers`, periods from `periods.label_for_people`. Values the page filters and sorts on
(tier, stage, health, the pace word) stay the English keys; their `*_text` is what is shown.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from .. import (
    files,
    glossary,
    goals,
    i18n,
    lifecycle,
    membership,
    metrics,
    narrative,
    numbers,
    periods,
    tables,
    targets,
)
from ..i18n import N_, _, ngettext, pgettext
from ..metrics import CATALOGUE
from ..workbook import Workbook
from . import html as html_mod
from . import page

RESULT_STAGES = ("sell", "grow")
STAGE_ORDER = ("recruit", "onboard", "enable", "sell", "grow", "churned")
HEALTH_ORDER = ("at risk", "watch", "healthy")
LEFT = "left"  # the health cell of a partner that left during the period (no flag)
TOLERANCE = 0.1  # as targets.attainment: within 10% of pace is 'on pace'
NOT_SET = "not set"  # the key of a missing tier, region, stage or manager; shown as _(NOT_SET_SAID)
NOT_SET_SAID = N_("not set")
SPARK_QUARTERS = 8
FILTERS = (
    ("tier", N_("Tier"), N_("All tiers ({n})")),
    ("region", N_("Region"), N_("All regions ({n})")),
    ("stage", N_("Stage"), N_("All stages ({n})")),
    ("health", N_("Health"), N_("Any health ({n})")),
    ("manager", N_("Account manager"), N_("All account managers ({n})")),
)


# -- attainment (the table's last columns) -------------------------------------------------


def headline_attainment(
    attainment: pd.DataFrame | None, stages: pd.Series, unavailable: dict | None = None
) -> pd.DataFrame:
    """Each partner's headline attainment and pace, and what it is measured on: the revenue
    target for partners in sell or grow, else the mean over its activity targets (targets of
    0 and metrics whose data was not supplied left out).
    Columns: partner_id, basis (in words, in the language in force), attainment, pace (NaN
    where there is nothing to measure), on_revenue (measured on the revenue target)."""
    cols = ["partner_id", "basis", "attainment", "pace"]
    if attainment is None or attainment.empty or "attainment" not in attainment:
        return pd.DataFrame(columns=[*cols, "on_revenue"])
    a = attainment.assign(partner_id=attainment["partner_id"].astype(str))
    stage = a["partner_id"].map(stages.set_axis(stages.index.astype(str))).fillna("").astype(str)
    by_revenue = stage.isin(RESULT_STAGES)
    usable = (
        (a["target"] > 0)
        & ~a["metric"].isin(list(unavailable or {}))
        & (~by_revenue | (a["metric"] == "revenue"))
    )
    ids = a["partner_id"].drop_duplicates()
    counted = usable.groupby(a["partner_id"]).sum().reindex(ids).astype(int)
    found = a[usable & a["attainment"].notna()]
    if "pace" not in found:
        found = found.assign(pace=float("nan"))
    means = found.groupby("partner_id")[["attainment", "pace"]].mean().reindex(ids)
    measured = found["partner_id"].value_counts().reindex(ids, fill_value=0)
    revenue_based = by_revenue.groupby(a["partner_id"]).first().reindex(ids)
    basis = [
        _("no target to measure")
        if not n
        else _("revenue target")
        if rev
        else ngettext("mean of {n} activity target", "mean of {n} activity targets", k).format(
            n=numbers.count(k)
        )
        for n, rev, k in zip(measured, revenue_based, counted)
    ]
    return pd.DataFrame(
        {
            "partner_id": ids.to_numpy(),
            "basis": basis,
            "attainment": means["attainment"].to_numpy(),
            "pace": means["pace"].to_numpy(),
            "on_revenue": [bool(n) and bool(rev) for n, rev in zip(measured, revenue_based)],
        },
        columns=[*cols, "on_revenue"],
    )


def _progress(wb) -> pd.DataFrame | None:
    """Attainment as of the end of the data (pace and projection while the period runs)."""
    if wb.targets is None:
        return None
    if _as_of(wb) >= wb.period.end and wb.attainment is not None:
        return wb.attainment
    return targets.attainment(wb.targets, wb.metrics, wb.period, as_of=_as_of(wb))


def _as_of(wb) -> pd.Timestamp:
    return min(periods.latest(wb.dataset), wb.period.end)


def _elapsed(wb) -> float:
    days = (wb.period.end - wb.period.start).days + 1
    return min(max((_as_of(wb) - wb.period.start).days + 1, 0), days) / days


# -- small helpers ---------------------------------------------------------------------------


def _float(value) -> float | None:
    return None if numbers.is_missing(value) else float(value)


def _get(rows: pd.DataFrame, metric: str, column: str = "value") -> float | None:
    """A programme row's value (`narrative.programme_rows`), None where there is none."""
    return _float(rows.at[metric, column]) if metric in rows.index else None


def _change(value, before, unit: str, when: str) -> dict:
    """A tile's change on an earlier period, in words ('+12% on 2026-Q2'): relative for money,
    points for rates and scores, a difference for counts; '—' with a reason where undefined.
    `when` is the earlier period as people read it."""
    value, before = _float(value), _float(before)
    if before is None or value is None:
        return {"text": numbers.missing(_("no figure for {period}").format(period=when)), "delta": None}
    if unit == "money":
        if before == 0:
            return {"text": numbers.missing(_("none in {period}").format(period=when)), "delta": None}
        delta = value / before - 1
        text = _("{change} on {period}").format(change=numbers.percent(delta, signed=True), period=when)
        return {
            "text": _("no change on {period}").format(period=when)
            if numbers.half_up(delta * 100) == 0
            else text,
            "delta": delta,
        }
    if unit in ("rate", "points"):
        delta = (value - before) * (100 if unit == "rate" else 1)  # from the unrounded figures
        digits = 1  # one decimal on every programme page: +6.1 pts, +13.0 pts
        text = _("{change} pts on {period}").format(
            change=numbers.points(delta, change=True, digits=digits), period=when
        )
        return {
            "text": _("no change on {period}").format(period=when)
            if numbers.half_up(delta, digits) == 0
            else text,
            "delta": delta / 100,
            "fine": digits == 1,  # the tile's figure then shown with one decimal too
        }
    delta = value - before
    text = (_("no change on {period}") if delta == 0 else _("{change} on {period}")).format(
        change=numbers.points(delta), period=when
    )
    return {"text": text, "delta": (delta / before) if before else (1.0 if delta else 0.0)}


BETTER_WORSE = (N_("better than {period}"), N_("worse than {period}"))
MORE_FEWER = (N_("more than in {period}"), N_("fewer than in {period}"))


def _trend_status(
    change: dict, good: str, threshold: float, when: str, words: tuple[str, str] = BETTER_WORSE
) -> tuple[str, str]:
    """('better than 2026-Q2', 'good') etc. from a change and the good direction; counts of
    partners say 'more than in' / 'fewer than in' (`words` MORE_FEWER: for up, for down)."""
    direction = narrative.trend(change["delta"], threshold)
    if not direction:
        return _("no earlier figure"), "neutral"
    if direction == "flat":
        return _("steady on {period}").format(period=when), "neutral"
    good_move = (direction == "up") == (good == "up")
    if words == BETTER_WORSE:
        said = words[0] if good_move else words[1]
    else:
        said = words[0] if direction == "up" else words[1]
    return _(said).format(period=when), "good" if good_move else "bad"


def _goal_status(share: float, elapsed: float) -> tuple[str, str]:
    """A tile's status against its goal; while the period runs, against the goal's pace."""
    if elapsed < 1:
        pace = share / elapsed if elapsed else math.nan
        return (
            (_("on pace for the goal"), "good")
            if pace >= 1 - TOLERANCE
            else (_("behind the goal's pace"), "bad")
        )
    if share >= 1:
        return _("goal met"), "good"
    return (_("close to goal"), "watch") if share >= 1 - TOLERANCE else (_("below goal"), "bad")


# -- the tiles -------------------------------------------------------------------------------

TILES = ("revenue", "win_rate", "new_logos", "pipeline")  # labelled by the catalogue


def tiles(wb, earlier: tuple | None = None) -> list[dict]:
    """Revenue against goal, win rate, new logos, open pipeline, partners in the programme,
    partners at risk, partner NPS: each with its change on the prior period and a year ago
    and a status in words (and a tone the page colours). `earlier`: `at_risk_earlier(wb)`,
    when worked out already."""
    rows = narrative.programme_rows(wb.metrics)
    return [
        *(_metric_tile(wb, rows, m) for m in TILES),
        _members_tile(wb),
        _at_risk_tile(wb, earlier),
        _nps_tile(wb, rows),
    ]


def _threshold(wb) -> float:
    return float(narrative.reporting_plan(wb.program).get("change_threshold", 0.02))


def _when(wb) -> tuple[str, str]:
    """The prior period and a year ago, as people read them."""
    return _said(wb.period.prior()), _said(wb.period.year_ago())


def _said(period, wb=None) -> str:
    """A period (or a period's name, of `wb`'s fiscal year) as people read it."""
    return periods.label_for_people(period, wb.period.fy_start_month if wb is not None else 1)


def _metric_tile(wb, rows: pd.DataFrame, metric: str) -> dict:
    meta = CATALOGUE[metric]
    unit, prior, year_ago = meta.unit, *_when(wb)
    tile = {
        "metric": metric,
        "label": metrics.label(metric),
        "href": glossary.href(metric),
        "value": None,
        "sub": "",
    }
    if metric in (wb.unavailable or {}):
        reason = wb.unavailable[metric]
        return {
            **tile,
            "text": numbers.missing(reason),
            "changes": [],
            "status": _("not measured"),
            "tone": "neutral",
        }
    value = _get(rows, metric)
    changes = [
        _change(value, _get(rows, metric, "prior_value"), unit, prior),
        _change(value, _get(rows, metric, "year_ago_value"), unit, year_ago),
    ]
    reason = _("no closed deals") if metric == "win_rate" else _("no figure")
    fine = value is not None and unit in ("rate", "points")  # 24.2% beside +6.1 pts, as every page
    text = (
        goals.finer(value, unit, wb.currency)
        if fine
        else numbers.by_unit(value, unit, wb.currency, reason=reason)
    )
    tile.update(value=value, text=text, changes=changes)
    status, tone = _trend_status(changes[0], meta.good, _threshold(wb), prior)
    goal = _goal(wb, metric)
    if goal is not None and value is not None:
        share = goals.share_of_target(value, goal, metric)
        tile["sub"] = _("{share} of the {goal} goal").format(
            share=numbers.percent(share), goal=goals.format_value(goal, metric, wb.currency)
        )
        status, tone = _goal_status(share, _elapsed(wb))
    elif metric == "win_rate" and value is not None:
        won, closed = _get(rows, "deals_won") or 0, _get(rows, "opportunities_closed") or 0
        tile["sub"] = ngettext(
            "{won} of {closed} closed deal won", "{won} of {closed} closed deals won", int(closed)
        ).format(won=numbers.count(won), closed=numbers.count(closed))
    elif metric == "pipeline":
        tile["sub"] = _("open at the period's end (not registered pipeline)")
    if metric in metrics.derived(wb.dataset):
        derived = _("derived from account history")
        tile["sub"] = (
            _("{first}; {second}").format(first=tile["sub"], second=derived) if tile["sub"] else derived
        )
    return {**tile, "status": status, "tone": tone}


def _goal(wb, metric: str) -> float | None:
    """The target of the programme objective on `metric` measured in this period, if any
    (the same objective the story compares with)."""
    found = [
        o
        for o in narrative.objectives(wb.program, wb.period.name)
        if o["metric"] == metric and o.get("target")
    ]
    return float(found[0]["target"]) if found else None


def _known(wb, which: str) -> bool:
    """Whether the history reaches the prior period / a year ago (the programme's revenue
    row has a figure for it)."""
    rows = narrative.programme_rows(wb.metrics)
    return _get(rows, "revenue", which) is not None


def _count_tile(wb, key: str, label: str, counts: tuple, good: str, **extra) -> dict:
    prior, year_ago = _when(wb)
    value = counts[0]
    changes = [_change(value, counts[1], "count", prior), _change(value, counts[2], "count", year_ago)]
    status, tone = _trend_status(changes[0], good, _threshold(wb), prior, MORE_FEWER)
    return {
        "metric": key,
        "label": label,
        "href": "",
        "value": float(value),
        "text": numbers.count(value),
        "changes": changes,
        "status": status,
        "tone": tone,
        **extra,
    }


def _earlier(wb) -> list[tuple]:
    """(the prior period, a year ago), each with whether the history reaches it."""
    return [
        (wb.period.prior(), _known(wb, "prior_value")),
        (wb.period.year_ago(), _known(wb, "year_ago_value")),
    ]


def _members_tile(wb) -> dict:
    """The count at the period's end (membership.at_end), which reconciles: at the start,
    + joined, − left; its changes are on the prior period's and a year ago's end counts."""
    partners, period = wb.partners, wb.period
    counts = (
        int(membership.at_end(partners, period).sum()),
        *(int(membership.at_end(partners, p).sum()) if known else None for p, known in _earlier(wb)),
    )
    start = int(membership.at_start(partners, period).sum())
    left = int(membership.left_during(partners, period).sum())
    joined = int(membership.joined_during(partners, period).sum())
    attrition = _get(narrative.programme_rows(wb.metrics), "partner_attrition_rate")
    said = (
        _("on {end}: {start} on {first_day}, {joined}, {left}")
        if attrition is None
        else _("on {end}: {start} on {first_day}, {joined}, {left} (attrition {rate})")
    )
    sub = said.format(
        end=numbers.day_month(period.end),
        start=numbers.count(start),  # the year is the period's
        first_day=numbers.day_month(period.start),
        joined=ngettext("+{n} joined", "+{n} joined", joined).format(n=numbers.count(joined)),
        left=ngettext("−{n} left", "−{n} left", left).format(n=numbers.count(left)),
        rate=numbers.percent(attrition),
    )  # the story's figure, same row
    return _count_tile(wb, "members", _("Partners in the programme"), counts, "up", sub=sub)


def at_risk_earlier(wb) -> tuple:
    """The partners at risk at the prior period and a year ago (None where the history does not
    reach): each needs that period's metrics, targets and health, the dashboard's costliest part,
    so the runner works it out while the reports render."""
    return tuple(_flagged(_other(wb, p)) if known else None for p, known in _earlier(wb))


def _at_risk_tile(wb, earlier: tuple | None = None) -> dict:
    counts = (_flagged(wb), *(at_risk_earlier(wb) if earlier is None else earlier))
    tile = _count_tile(
        wb,
        "at_risk",
        _("Partners at risk"),
        counts,
        "down",
        sub=_("and {n} on watch").format(n=numbers.count(_flagged(wb, "watch"))),
    )
    if counts[0] == 0:
        tile.update(status=_("none at risk"), tone="good")
    return tile


def _other(wb, period) -> Workbook:
    """The same data and programme seen in another period (for its health)."""
    other = Workbook(period_name=period.name, data=wb.data, params_path=wb.params_path, mapping=wb.mapping)
    other.__dict__.update(program=wb.program, dataset=wb.dataset)
    return other


def _flagged(seen, flag: str = "at risk") -> int:
    """Partners in the programme in `seen`'s period with health `flag` there."""
    ids = set(seen.members["partner_id"].astype(str))
    health = seen.health
    return int((health["partner_id"].astype(str).isin(ids) & (health["health"] == flag)).sum())


def _nps_tile(wb, rows: pd.DataFrame) -> dict:
    tile = _metric_tile(wb, rows, "partner_nps")
    if "partner_nps" in (wb.unavailable or {}):
        return tile
    answers = _get(rows, "survey_responses") or 0
    tile["sub"] = ngettext("from {n} answer", "from {n} answers", int(answers)).format(
        n=numbers.count(answers)
    )
    if tile["value"] is None:
        tile.update(text=numbers.missing(_("no answers")), status=_("no answers"), tone="neutral")
    return tile


# -- the rows --------------------------------------------------------------------------------


def quarters(wb) -> list[str]:
    """The SPARK_QUARTERS quarters ending with the one holding the period's last day."""
    last = periods.of(wb.period.end, "quarter", wb.period.fy_start_month)
    return [p.name for p in periods.last(last, SPARK_QUARTERS)]


def revenue_by_quarter(wb, ids: list[str]) -> pd.DataFrame:
    """partner_id x quarter (the sparkline's quarters) -> revenue: 0 where none was won, NaN
    for a quarter before the history (no figure for anyone)."""
    names = quarters(wb)
    h = wb.history
    rows = h[
        h["partner_id"].notna()
        & (h["metric"] == "revenue")
        & (h["breakdown"].fillna("") == "")
        & h["period"].isin(names)
    ]
    table = rows.assign(partner_id=rows["partner_id"].astype(str)).pivot_table(
        index="partner_id", columns="period", values="value", aggfunc="sum"
    )
    known = [n for n in names if n in set(rows["period"])]
    return table.reindex(index=ids, columns=known).fillna(0.0).reindex(columns=names)


def sparkline(values: list[float], names: list[str], currency: str) -> dict:
    """The points of an inline SVG line (100 x 24, one place per quarter, quarters before
    the history left out) and its accessible name (`names`: the quarters as people read them)."""
    shown = [(i, float(v)) for i, v in enumerate(values) if not numbers.is_missing(v)]
    if not shown:
        return {"points": "", "label": _("Revenue by quarter: no history"), "total": 0.0}
    top = max(v for _i, v in shown)
    step = 100 / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{22 - (v / top * 20 if top > 0 else 0):.1f}" for i, v in shown)
    low = min(v for _i, v in shown)
    label = _(
        "Revenue by quarter, {first} to {last} (own scale): {amounts}; highest {highest} in {highest_in}; "
        "lowest {lowest} in {lowest_in}"
    ).format(
        first=names[shown[0][0]],
        last=names[-1],
        amounts=", ".join(numbers.money(v, currency) for _i, v in shown),
        highest=numbers.money(top, currency),
        highest_in=_at(top, shown, names),
        lowest=numbers.money(low, currency),
        lowest_in=_at(low, shown, names),
    )
    return {"points": points, "label": label, "total": float(sum(v for _i, v in shown))}


def _at(value: float, shown: list[tuple], names: list[str]) -> str:
    """'2025-Q4, 2026-Q1': every quarter at `value`."""
    return ", ".join(names[i] for i, v in shown if v == value)


def _revenue_cell(value, before, currency: str = "USD", joined: bool = False) -> dict:
    """The change under a revenue figure: a percentage; from 0 before, 'new' for a partner
    that joined during the period and 'up from $0' for one that was there (and sold nothing)."""
    value, before = _float(value), _float(before)
    if value is None or before is None:
        return {"change": None, "change_text": numbers.missing(), "tone": "neutral"}
    if before != 0 and numbers.half_up((value / before - 1) * 100) == 0:  # '+0%': one wording for zero
        return {"change": 0.0, "change_text": _("no change"), "tone": "neutral"}
    if before == 0:
        said = (
            (
                pgettext("partner", "new")
                if joined
                else _("up from {amount}").format(amount=numbers.money(0, currency))
            )
            if value
            else _("no change")
        )
        return {"change": None, "change_text": said, "tone": "good" if value else "neutral"}
    change = value / before - 1
    return {
        "change": change,
        "change_text": numbers.percent(change, signed=True),
        "tone": "good" if change > 0 else "bad" if change < 0 else "neutral",
    }


def _values(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    rows = narrative.partner_rows(metrics, metric)
    return rows[["value", "prior_value"]] if len(rows) else pd.DataFrame(columns=["value", "prior_value"])


def _revenue_targets(wb) -> dict[str, float]:
    t = wb.targets
    if t is None or t.empty:
        return {}
    rows = t[(t["metric"] == "revenue") & (t["target"] > 0)]
    return dict(zip(rows["partner_id"].astype(str), rows["target"].astype(float)))


def rows(wb, partners: pd.DataFrame, out: Path | None = None) -> list[dict]:
    """One row per partner of `partners` in the programme, at risk first, then watch, then by
    revenue (highest first)."""
    members = wb.members[wb.members["partner_id"].astype(str).isin(set(partners["partner_id"].astype(str)))]
    ids = members["partner_id"].astype(str).tolist()
    names = html_mod.file_names(wb.partners["partner_id"].astype(str))
    health = wb.health.assign(partner_id=wb.health["partner_id"].astype(str)).set_index("partner_id")
    revenue = _values(wb.metrics, "revenue")
    head = headline_attainment(_progress(wb), wb.stages, wb.unavailable).set_index("partner_id")
    targets = _revenue_targets(wb)
    spark, qnames = revenue_by_quarter(wb, ids), [_said(q, wb) for q in quarters(wb)]
    left = pd.to_datetime(members["churned_on"], errors="coerce") if "churned_on" in members else None
    joined = set(members.loc[membership.joined_during(members, wb.period), "partner_id"].astype(str))
    out_rows = []
    for i, p in enumerate(members.to_dict("records")):
        pid = str(p["partner_id"])
        left_on = left.iloc[i] if left is not None else pd.NaT
        gone = not pd.isna(left_on) and left_on <= wb.period.end
        word = LEFT if gone else numbers.text(health["health"].get(pid, "")) if pid in health.index else ""
        value, before = (
            (revenue.loc[pid, "value"], revenue.loc[pid, "prior_value"])
            if pid in revenue.index
            else (None, None)
        )
        mine = head.loc[pid] if pid in head.index else None
        att = None if mine is None else _float(mine["attainment"])
        basis = _("no targets set") if mine is None else str(mine["basis"])
        pace = None if mine is None else _float(mine["pace"])
        edition = f"for-partners/{names[pid]}.html"
        keys = {
            "tier": numbers.text(p.get("tier")) or NOT_SET,
            "region": numbers.text(p.get("region")) or NOT_SET,
            "stage": numbers.text(wb.stages.get(pid, "")) or NOT_SET,
            "manager": numbers.text(p.get("account_manager")) or NOT_SET,
            "health": word or NOT_SET,
        }
        out_rows.append(
            {
                "id": pid,
                "name": numbers.text(p.get("name")) or pid,
                "key": f"partner:{pid}",
                "href": f"partners/{names[pid]}.html",
                "edition": edition
                if not gone and out is not None and (Path(out) / edition).is_file()
                else "",
                "on_disk": out is not None and (Path(out) / f"partners/{names[pid]}.html").is_file(),
                **keys,
                **{f"{k}_text": _value_said(k, v) for k, v in keys.items()},
                "health_rank": _rank(word, HEALTH_ORDER),
                "stage_rank": _rank(numbers.text(wb.stages.get(pid, "")), STAGE_ORDER),
                **_reasons(
                    "" if gone or pid not in health.index else numbers.text(health["reasons"].get(pid, ""))
                ),
                "revenue": _float(value),
                "revenue_text": numbers.money(value, wb.currency, reason="no figure"),
                "prior": _float(before),
                **_revenue_cell(value, before, wb.currency, pid in joined),
                "spark": sparkline(spark.loc[pid].tolist(), qnames, wb.currency),
                "attainment": att,
                **_attainment_cell(att, basis),
                "target": targets.get(pid) if mine is not None and mine["on_revenue"] else None,
                "pace": pace,
                "pace_text": numbers.percent(pace) if pace is not None else numbers.missing(),
                "pace_word": "" if pace is None else _pace_word(pace),
                "pace_said": "" if pace is None else _(PACE_SAID[_pace_word(pace)]),
                "left_on": numbers.date(left_on) if gone else "",
            }
        )
    return sorted(out_rows, key=_attention)


def _value_said(key: str, value: str) -> str:
    """A filter value as people read it: stages and health flags in words of the language in
    force, 'not set' translated; tiers, regions and managers are the data's own."""
    if value == NOT_SET:
        return _(NOT_SET_SAID)
    if key == "stage":
        return tables.stage_label(value)
    if key == "health":
        return pgettext("health", "left") if value == LEFT else lifecycle.health_label(value)
    return value


def _reasons(reasons: str) -> dict:
    """The health reasons ('; '-joined) and the first of them (shown on a phone's card)."""
    return {"reasons": reasons, "reason1": reasons.split("; ")[0]}


def _attainment_cell(att: float | None, basis: str) -> dict:
    """The attainment figure as the internal partner page prints it (`goals.attainment_text`): the
    real figure, flagged above goals.EXTREME_ATTAINMENT ('2,136% (target far below the actual
    result: check the target)'); the title says which target it is measured on."""
    return {
        "attainment_text": goals.attainment_text(att, _("no target")),
        "attainment_title": basis,
        "basis": basis,
    }


def _rank(word: str, order: tuple) -> int:
    return order.index(word) if word in order else len(order)


PACE_SAID = {"ahead": N_("ahead"), "on pace": N_("on pace"), "behind": N_("behind")}


def _pace_word(pace: float) -> str:
    """The pace's key: 'ahead', 'on pace' or 'behind' (PACE_SAID says it)."""
    return "ahead" if pace >= 1 + TOLERANCE else "on pace" if pace >= 1 - TOLERANCE else "behind"


def _attention(row: dict) -> tuple:
    rank = HEALTH_ORDER.index(row["health"]) if row["health"] in HEALTH_ORDER else len(HEALTH_ORDER)
    revenue = row["revenue"] if row["revenue"] is not None else -math.inf
    return rank, -revenue, row["name"].lower(), row["id"]


def totals(rows_: list[dict], currency: str, prior_name: str) -> dict:
    """The totals row over `rows_` (the page's script works out the same over the rows shown).
    It sums the partners listed: its change is on their own revenue in the prior period (so
    it leaves out partners that have left since, unlike the Revenue tile) and its attainment
    is their revenue against the sum of their revenue targets (not the programme's goal)."""
    revenue = sum(r["revenue"] or 0 for r in rows_)
    prior = [r["prior"] for r in rows_ if r["prior"] is not None]
    targeted = [r for r in rows_ if r["target"]]
    target = sum(r["target"] for r in targeted)
    change = _revenue_cell(revenue, sum(prior) if prior else None, currency)["change_text"]
    won = sum(r["revenue"] or 0 for r in targeted)  # the revenue the share divides: partners with a target
    share = won / target if target else None
    n = len(rows_)
    at_risk, watch = sum(r["health"] == "at risk" for r in rows_), sum(r["health"] == "watch" for r in rows_)
    return {
        "count": n,
        "label": ngettext("Total of the {n} partner listed", "Total of the {n} partners listed", n).format(
            n=numbers.count(n)
        ),
        "at_risk": at_risk,
        "watch": watch,
        "health_text": _("{at_risk} at risk, {watch} watch").format(
            at_risk=numbers.count(at_risk), watch=numbers.count(watch)
        ),
        "revenue_text": numbers.money(revenue, currency),
        "change_text": change
        if change.startswith(numbers.DASH)
        else _("{change} on their own {period} revenue").format(change=change, period=prior_name),
        "attainment_text": (
            of_targets(len(targeted)).format(
                share=numbers.percent(share),
                revenue=numbers.money(won, currency),
                n=numbers.count(len(targeted)),
                target=numbers.money(target, currency),
            )
            if target
            else numbers.missing(_("no revenue targets"))
        ),
    }


def of_targets(n: int) -> str:
    """The totals' attainment with the figures it divides: the revenue of the `n` partners listed
    that have a revenue target (not of every partner listed) against the sum of their targets."""
    return ngettext(
        "{share} of its target: {revenue} won by the {n} partner with a target, against {target}",
        "{share} of the sum of their targets: {revenue} won by the {n} partners with a target, against {target}",
        n,
    )


def filters(rows_: list[dict], has_manager: bool) -> list[dict]:
    """One select per column people filter on; options with their number of partners in the
    programme, partners that have left said apart ('Gold (15; 1 left)'), so the counts are the
    story's and the goals page's; the health option 'left' counts those."""
    order = {"stage": STAGE_ORDER, "health": (*HEALTH_ORDER, LEFT)}
    out = []
    for key, label, everyone in FILTERS:
        if key == "manager" and not has_manager:
            continue
        counts: dict[str, list[int]] = {}
        for r in rows_:
            counts.setdefault(r[key], [0, 0])[r["health"] == LEFT and r[key] != LEFT] += 1
        known = order.get(key, ())
        values = sorted(
            counts, key=lambda v: (known.index(v) if v in known else len(known), v == NOT_SET, v.lower())
        )
        gone = sum(r["health"] == LEFT for r in rows_)
        out.append(
            {
                "key": key,
                "label": _(label),
                "all": _(everyone).format(n=_count_said(len(rows_) - gone, gone)),
                "options": [
                    {"value": v, "text": _value_said(key, v), "count": _count_said(*counts[v])}
                    for v in values
                ],
            }
        )
    return out


def _count_said(staying: int, gone: int) -> str:
    """A filter's number of partners: '15', or '15; 1 left' with partners that have left."""
    if not gone:
        return numbers.count(staying)
    if not staying:
        return ngettext("{left} left", "{left} left", gone).format(left=numbers.count(gone))
    return ngettext("{n}; {left} left", "{n}; {left} left", gone).format(
        n=numbers.count(staying), left=numbers.count(gone)
    )


# -- partners that left ---------------------------------------------------------------------


def left_this_period(wb, partners: pd.DataFrame) -> list[dict]:
    """Partners that left during the period: name, date, the last four quarters' revenue."""
    gone = wb.left_this_period[
        wb.left_this_period["partner_id"].astype(str).isin(set(partners["partner_id"].astype(str)))
    ]
    ids = gone["partner_id"].astype(str).tolist()
    if not ids:
        return []
    last4 = revenue_by_quarter(wb, ids).iloc[:, -4:].sum(axis=1)
    when = pd.to_datetime(gone["churned_on"], errors="coerce")
    return [
        {
            "id": pid,
            "name": numbers.text(name) or pid,
            "left_on": numbers.date(day),
            "revenue_text": numbers.money(last4.loc[pid], wb.currency),
        }
        for pid, name, day in zip(ids, gone["name"], when)
    ]


def former(wb) -> list[dict]:
    """Partners that left before the period (shown collapsed, below the table)."""
    gone = membership.former(wb.partners, wb.period)
    when = pd.to_datetime(gone["churned_on"], errors="coerce")
    found = sorted(
        zip(gone["partner_id"], gone["name"], gone["tier"], gone["region"], when),
        key=lambda f: f[4],
        reverse=True,
    )
    return [
        {
            "name": numbers.text(n) or str(pid),
            "tier": numbers.text(t),
            "region": numbers.text(r),
            "left_on": numbers.date(d),
        }
        for pid, n, t, r, d in found
    ]


# -- the page ----------------------------------------------------------------------------------


def context(wb, partners: pd.DataFrame, out: Path | None = None, earlier: tuple | None = None) -> dict:
    """Everything the period dashboard shows, as JSON-ready data (the template's inputs)."""
    rows_ = rows(wb, partners, out)
    has_glossary = out is not None and (Path(out) / glossary.PAGE).is_file()
    tiles_ = [t if has_glossary else {**t, "href": ""} for t in tiles(wb, earlier)]
    has_manager = "account_manager" in wb.partners and wb.partners["account_manager"].notna().any()
    name = (wb.program.get("program") or {}).get("name") or _("Partner programme")
    prior, year_ago = _when(wb)
    symbol = numbers.symbol(wb.currency)
    return {
        "locale": i18n.current(),
        "title": _("{programme}: {period}").format(programme=name, period=_said(wb.period)),
        "period": _said(wb.period),
        "prior": prior,
        "year_ago": year_ago,
        "grain": wb.period.grain,  # the template's period labels agree with French words by grain
        "closed": _as_of(wb) >= wb.period.end,
        "as_of": numbers.date(_as_of(wb)),
        "elapsed_text": numbers.percent(_elapsed(wb)),
        "cap": numbers.percent(goals.EXTREME_ATTAINMENT),
        "currency": {"code": wb.currency, "symbol": symbol},
        "tiles": tiles_,
        "rows": rows_,
        "totals": totals(rows_, wb.currency, prior),
        "filters": filters(rows_, has_manager),
        "has_manager": bool(has_manager),
        "left": left_this_period(wb, partners),
        "former": former(wb),
        "glossary": has_glossary,
    }


def period_index(wb, partners: pd.DataFrame, reports: list[dict], out: Path | None = None) -> str:
    """The partner dashboard of one period. `reports` are run.json report entries."""
    return page.period_page(_plain(context(wb, partners, out)), reports)


def _plain(ctx: dict) -> dict:
    """The context as JSON would give it back (numpy numbers made plain): what is rendered
    now is exactly what `cache.mark_reused` renders later."""
    return json.loads(json.dumps(ctx, default=_number))


def _number(value):
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"dashboard context: {type(value).__name__} is not JSON data")


def write(wb, partners: pd.DataFrame, out: Path, reports: list[dict], earlier: tuple | None = None) -> Path:
    """Save the dashboard's inputs beside run.json (dashboard.json) and render index.html
    (`earlier`: see `at_risk_earlier`)."""
    ctx = _plain(context(wb, partners, out, earlier))
    files.write_text(out / page.CONTEXT_FILE, json.dumps(ctx, indent=1, ensure_ascii=False))
    return files.write_text(out / "index.html", page.period_page(ctx, reports))


def outputs_index(outputs: Path) -> str:
    """outputs/index.html: every period that has a dashboard, newest first."""
    return page.outputs_page(outputs)
