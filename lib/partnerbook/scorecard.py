"""The partner scorecard's sections, one function each: `partner_scorecard.ipynb` calls them.

Each takes a `workbook.Partner` (`wb.partner(partner_id)`) and returns display HTML built
with `partnerbook.display`, so everything from the data is escaped. A partner's report
shows that partner's rows only.
"""
from __future__ import annotations

import pandas as pd

from . import charts, display, numbers, peers
from .workbook import Partner

REASONS = {"win_rate": "no closed deals", "lead_acceptance_rate": "no leads",
           "lead_conversion_rate": "no leads", "revenue_growth_yoy": "no revenue a year ago",
           "revenue_growth_qoq": "no revenue the prior quarter", "mdf_roi": "no MDF paid",
           "partner_nps": "no survey answers", "time_to_first_deal_days": "no deal won yet"}
HEADLINE = peers.METRICS
ACTIVITY = ("trainings_attended", "certifications", "webinars_attended", "deals_registered",
            "opportunities_created", "trials_started", "events_attended")
USE_CASES = {
    "deal_registration": ("Deal registration", "deal_registrations", "deal registration",
                          ("deals_registered", "registered_pipeline")),
    "lead_distribution": ("Lead distribution", "leads", "lead",
                          ("leads_distributed", "lead_acceptance_rate", "lead_conversion_rate")),
    "mdf": ("Market development funds", "mdf", "MDF",
            ("mdf_requested", "mdf_approved", "mdf_claimed", "mdf_roi")),
    "training": ("Training and certification", "engagements", "engagement",
                 ("trainings_attended", "certifications", "webinars_attended", "events_attended")),
    "onboarding": ("Onboarding", "business_plans", "business plan",
                   ("business_plans", "time_to_first_deal_days", "portal_logins", "active_portal_users")),
}


def _catalogue() -> dict:
    from .metrics import CATALOGUE
    return CATALOGUE


def _label(metric: str) -> str:
    m = _catalogue().get(metric)
    return m.label if m else metric.replace("_", " ").capitalize()


def _unit(metric: str) -> str:
    m = _catalogue().get(metric)
    return m.unit if m else "count"


def _fmt(p: Partner, metric: str, value) -> str:
    return numbers.by_unit(value, _unit(metric), p.wb.currency, reason=REASONS.get(metric, "no data"))


def _row(p: Partner, metric: str) -> dict:
    return p.by_metric.get(metric, {})


# -- title and headline ----------------------------------------------------------------

PURPOSE = ("One partner's period at a glance: its lifecycle stage, health, leading and lagging "
           "metrics, goals, programme use cases and its own words.")


def title(p: Partner):
    """The report's one title (the partner's name), its facts, the purpose and the company's values."""
    facts = " · ".join(x for x in (p.id, p.tier, p.region, p.wb.period.name) if x)
    return display.join(display.heading(f"Partner scorecard: {p.name}", 1),
                        display.HTML(display.paragraph("{facts}", facts=facts).data
                                     .replace("<p>", '<p class="pb-subtitle">', 1)),
                        display.paragraph(PURPOSE), values(p))


def values(p: Partner):
    """The company's values (params `values`), shown on every partner report."""
    from . import goals
    items = goals.values(p.wb.program)
    if not items:
        return display.HTML("")
    return display.join(display.paragraph("**Our values**, which every goal here serves:"),
                        display.chips(items, label="Our values"))


def headline(p: Partner):
    """Headline KPIs: revenue, win rate, pipeline, registrations, each against the prior period
    and, beside it, the median of the partner's peers (never naming them)."""
    items = []
    for metric in HEADLINE:
        row = _row(p, metric)
        if not row and metric in p.wb.unavailable:
            continue
        value, prior = row.get("value"), row.get("prior_value")
        items.append((_label(metric), _fmt(p, metric, value), _delta(p, metric, value, prior), metric,
                      _peer_text(p, metric)))
    return display.kpis(items)


# -- peers --------------------------------------------------------------------------------

def peer_median(p: Partner, metric: str) -> tuple[float | None, str, int]:
    """(median, group description, partners counted) of `metric` over the peer group, or
    (None, '', n) when fewer than `peer_minimum` peers have a value."""
    row = p.wb.peers.loc[(p.id, metric)] if (p.id, metric) in p.wb.peers.index else None
    if row is None or pd.isna(row["median"]):
        return None, "", int(row["n"]) if row is not None else 0
    return float(row["median"]), str(row["group"]), int(row["n"])


def _peer_text(p: Partner, metric: str) -> str:
    value, group, n = peer_median(p, metric)
    if value is None:
        return "Peers: too few peers to compare"
    return f"Peer median {_fmt(p, metric, value)} ({group}, {n})"


def _delta(p: Partner, metric: str, value, prior) -> str:
    if numbers.is_missing(value) or numbers.is_missing(prior):
        return ""
    if _unit(metric) == "rate":
        return f"{(float(value) - float(prior)) * 100:+.0f} pts on prior period".replace("-", "−")
    if float(prior) == 0:
        return "none in the prior period"
    return f"{numbers.percent(float(value) / float(prior) - 1, signed=True)} on prior period"


# -- stage, health -------------------------------------------------------------------------

def stage(p: Partner):
    """The lifecycle stage and the metrics recommended for it (this period, prior, year ago)."""
    if not p.stage:
        return display.note("No lifecycle stage could be set for this partner.")
    metrics = [m for m in p.recommended if m not in p.wb.unavailable]
    missing = [f"{_label(m)} ({p.wb.unavailable[m]})" for m in p.recommended if m in p.wb.unavailable]
    text = display.paragraph("Stage **{stage}**: judged on the metrics below.", stage=p.stage)
    gap = display.note("Not shown, as their data was not supplied: {names}.", names="; ".join(missing)) \
        if missing else None
    return display.join(text, metric_table(p, metrics), gap)


def absent(p: Partner):
    """A plain note naming the data the source did not supply (nothing when all is there)."""
    return display.absent(p.wb.dataset)


def health(p: Partner):
    """The health flag and the reasons for it."""
    flag, reasons = p.health.get("health") or "", p.health.get("reasons") or ""
    if not flag:
        return display.note("No health flag for this partner.")
    body = display.paragraph("Health: **{flag}**.", flag=flag).data
    if reasons:
        body += display.paragraph("Why: {reasons}", reasons=reasons).data
    klass = "pb-health-" + flag.replace(" ", "-")
    return display.HTML(f'<div class="pb-health {klass}">{body}</div>')


def metric_table(p: Partner, metrics) -> display.HTML:
    """This period, prior period and a year ago for each metric (partner level, no breakdown)."""
    wb = p.wb
    records = []
    for metric in metrics:
        row = _row(p, metric)
        records.append({"metric": metric, "Metric": _label(metric),
                        wb.period.name: _fmt(p, metric, row.get("value")),
                        "Prior period": _fmt(p, metric, row.get("prior_value")),
                        "A year ago": _fmt(p, metric, row.get("year_ago_value"))})
    if not records:
        return display.note("No metrics to show for this stage.")
    cols = [wb.period.name, "Prior period", "A year ago"]
    return display.table(pd.DataFrame(records), row_ids="metric", numeric=cols)


def _has_values(p: Partner, metric: str) -> bool:
    row = _row(p, metric)
    return any(not numbers.is_missing(row.get(c)) and row.get(c) != 0
               for c in ("value", "prior_value", "year_ago_value"))


def leading_lagging(p: Partner):
    """Leading and lagging metrics side by side: the stage's, and any other with activity."""
    cat = _catalogue()
    shown = [m for m in cat if m not in p.wb.unavailable and cat[m].kind in ("leading", "lagging")
             and m != "partner_attrition_rate" and (m in p.recommended or _has_values(p, m))]
    parts = []
    for kind, heading in (("leading", "Leading: activity"), ("lagging", "Lagging: results")):
        names = [m for m in shown if cat[m].kind == kind]
        parts.append(f'<div>{display.heading(heading, 3).data}{metric_table(p, names).data}</div>')
    return display.HTML(f'<div class="pb-pair">{"".join(parts)}</div>')


# -- goals --------------------------------------------------------------------------------

def data_end(p: Partner) -> pd.Timestamp:
    """The last day of the data (dataset meta 'end', else its latest date)."""
    from . import periods
    return periods.latest(p.wb.dataset)


def progress(p: Partner) -> pd.DataFrame | None:
    """The partner's attainment as of the end of the data: target, actual, attainment,
    elapsed, expected, pace, projection, projected_attainment, status (goals.attainment).
    None when the programme sets no targets."""
    from . import goals
    if p.targets is None:
        return None
    period = p.wb.period
    as_of = min(data_end(p), period.end)
    if as_of >= period.end and p.attainment is not None:
        return p.attainment
    return goals.attainment(p.targets, p.wb.metrics, period, as_of=as_of)


def attainment(p: Partner):
    """The partner's targets for the period: target, actual, attainment, pace and status; a
    projection to the period's end while the data ends inside the period."""
    frame = progress(p)
    if frame is None:
        return display.note("No targets are set for this programme yet.")
    if frame.empty:
        return display.note("No targets are set for this partner this period.")
    elapsed = float(frame["elapsed"].iloc[0]) if "elapsed" in frame and len(frame) else 1.0
    records = [_progress_record(p, r, elapsed < 1) for r in frame.to_dict("records")]
    cols = [c for c in records[0] if c not in ("metric", "Metric", "Status")]
    return display.join(display.table(pd.DataFrame(records), row_ids="metric", numeric=cols),
                        display.note(_pacing_note(p, elapsed)))


def _progress_record(p: Partner, r: dict, in_progress: bool) -> dict:
    metric = r["metric"]
    absent = p.wb.unavailable.get(metric)
    actual = r.get("actual", _row(p, metric).get("value"))
    no_target = numbers.is_missing(r.get("target")) or r.get("target") == 0
    record = {"metric": metric, "Metric": _label(metric),
              "Target": _fmt(p, metric, r.get("target")) if not no_target else numbers.missing("none set"),
              "Actual": numbers.missing(absent) if absent else _fmt(p, metric, actual),
              "Attainment": _share(r.get("attainment"), absent or "no target")}
    if in_progress:
        record["Pace"] = _share(r.get("pace"), absent or "no target")
        record["Projected"] = numbers.missing(absent) if absent else _fmt(p, metric, r.get("projection"))
        record["Projected attainment"] = _share(r.get("projected_attainment"), absent or "no target")
    record["Status"] = "data not supplied" if absent else str(r.get("status") or "")
    return record


def _share(value, reason: str) -> str:
    return numbers.percent(value, reason=reason)


def _pacing_note(p: Partner, elapsed: float) -> str:
    end = min(data_end(p), p.wb.period.end)
    if elapsed >= 1:
        return (f"The period is complete (data to {end:%Y-%m-%d}), so pace is the attainment itself: "
                "actual against the full target. On pace means within 10% of target.")
    return (f"The data runs to {end:%Y-%m-%d}, {numbers.percent(elapsed)} of the period. Pace is the "
            f"actual against {numbers.percent(elapsed)} of the target (rates against the whole target); "
            "projected carries the rate so far to the end of the period.")


# -- use cases ----------------------------------------------------------------------------

def use_case(p: Partner, name: str):
    """A use-case section (deal_registration, lead_distribution, mdf, training, onboarding):
    a note when the data was not supplied, nothing when the partner has no such rows."""
    heading, table, noun, metrics = USE_CASES[name]
    head = display.heading(heading, 3).data
    if not p.has(table):
        return display.HTML(head + display.note(f"No {noun} data supplied.").data)
    if p.rows(table).empty:
        return display.HTML("")
    names = [m for m in metrics if m not in p.wb.unavailable]
    return display.HTML(head + metric_table(p, names).data)


# -- stories ------------------------------------------------------------------------------

def stories(p: Partner, limit: int = 5):
    """The partner's own stories and survey comments of the last year, newest first."""
    end = p.wb.period.end
    start = end - pd.DateOffset(years=1)
    parts = []
    if p.has("stories"):
        rows = p.rows("stories")
        rows = rows[(rows["told_on"] > start) & (rows["told_on"] <= end)].sort_values("told_on", ascending=False)
        parts += [(r.text, f"{r.author}, {r.kind.replace('_', ' ')}, {r.told_on:%Y-%m-%d}")
                  for r in rows.head(limit).itertuples()]
    if p.has("surveys"):
        rows = p.rows("surveys").dropna(subset=["comment"])
        rows = rows[(rows["answered_on"] > start) & (rows["answered_on"] <= end)]
        parts += [(r.comment, f"{r.respondent}, survey score {r.score}, {r.answered_on:%Y-%m-%d}")
                  for r in rows.sort_values("answered_on", ascending=False).head(limit).itertuples()]
    if not parts:
        supplied = p.has("stories") or p.has("surveys")
        return display.note("No stories or survey comments from this partner in the last year."
                            if supplied else "No stories or survey data supplied.")
    return display.quotes(parts)


# -- charts -------------------------------------------------------------------------------

def quarters(p: Partner, n: int = 8) -> list[str]:
    """The names of the last `n` quarters ending with the report period."""
    from . import periods
    q = periods.of(p.wb.period.end, "quarter", p.wb.fy_start_month)
    return [x.name for x in periods.last(q, n)]


def revenue_chart(p: Partner):
    qs = quarters(p)
    ax = charts.plot_revenue_trend(p.history, periods=qs, currency=p.wb.currency)
    latest = _fmt(p, "revenue", charts.series(p.history, "revenue", qs).iloc[-1])
    return display.figure(ax.figure, alt=f"Revenue by quarter, {qs[0]} to {qs[-1]}; {qs[-1]}: {latest}")


def win_rate_chart(p: Partner):
    qs = quarters(p)
    ax = charts.plot_win_rate(p.history, periods=qs)
    latest = _fmt(p, "win_rate", charts.series(p.history, "win_rate", qs).iloc[-1])
    return display.figure(ax.figure, alt=f"Win rate by quarter, {qs[0]} to {qs[-1]}; {qs[-1]}: {latest}")


def activity_chart(p: Partner, most: int = 4):
    qs = quarters(p)
    names = [m for m in ACTIVITY if m not in p.wb.unavailable
             and charts.series(p.history, m, qs).fillna(0).sum() > 0][:most]
    if not names:
        return display.note("No leading activity recorded in the last eight quarters.")
    ax = charts.plot_leading_activity(p.history, periods=qs, metrics=names,
                                      labels={m: _label(m) for m in names})
    return display.figure(ax.figure, alt="Leading activity by quarter, " + ", ".join(_label(m) for m in names))


def category_chart(p: Partner):
    rows = p.history[(p.history["metric"] == "revenue") & (p.history["period"] == p.wb.period.name)
                     & p.history["breakdown"].fillna("").str.startswith("product_category=")]
    if rows.empty or rows["value"].fillna(0).sum() == 0:
        return display.note("No revenue by product category this period.")
    ax = charts.plot_revenue_by_category(p.history, period=p.wb.period.name, currency=p.wb.currency)
    top = rows.sort_values("value").iloc[-1]
    return display.figure(ax.figure, alt=f"Revenue by product category, {p.wb.period.name}; largest "
                                         f"{top['breakdown'].split('=', 1)[1]}: {_fmt(p, 'revenue', top['value'])}")
