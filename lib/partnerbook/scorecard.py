"""The partner scorecard's sections, one function each: `partner_scorecard.ipynb` calls them.

Each takes a `workbook.Partner` (`wb.partner(partner_id)`) and returns display HTML built
with `partnerbook.display`, so everything from the data is escaped. A partner's report
shows that partner's rows only.

Editions (render/editions.py): the notebook runs once and is exported twice. A section whose
internal and partner wording differ takes `edition` ("internal", the default: the account
manager's page, or "partner": what the partner may receive, with no health, peers, target
factors, per-respondent survey answers or links to other pages).
"""
from __future__ import annotations

import html
import re

import pandas as pd

from . import charts, confidential, display, glossary, numbers, peers, programme
from .usecases import USE_CASES
from .workbook import Partner

INTERNAL, PARTNER = "internal", "partner"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)

REASONS = {"win_rate": "no closed deals", "lead_acceptance_rate": "no leads",
           "lead_conversion_rate": "no leads", "revenue_growth_yoy": "no revenue a year ago",
           "revenue_growth_qoq": "no revenue the prior quarter",
           "mdf_roi": "nothing paid yet on this quarter's requests",
           "partner_nps": "no survey answers", "time_to_first_deal_days": "no deal won yet"}
# the reason beside an undefined figure, per column, where it depends on the column's own period
GROWTH_REASONS = {
    "revenue_growth_yoy": {"value": "no revenue a year ago", "prior_value": "no revenue a year before the prior period",
                           "year_ago_value": "no revenue two years ago"},
    "revenue_growth_qoq": {"value": "no revenue the prior quarter",
                           "prior_value": "no revenue the quarter before the prior one",
                           "year_ago_value": "no revenue the quarter before the one a year ago"},
    "mdf_roi": {"value": "nothing paid yet on this quarter's requests",
                "prior_value": "nothing paid on the prior quarter's requests",
                "year_ago_value": "nothing paid on the requests of a year ago"},
}
# labels that say which amount they use (the catalogue's definition: revenue / MDF paid)
LABELS = {"mdf_roi": "MDF return on MDF paid"}
# partner attributes: shown once, in the title's facts, never per period
ATTRIBUTES = ("time_to_first_deal_days",)
HEADLINE = peers.METRICS
ACTIVITY = ("trainings_attended", "certifications", "webinars_attended", "deals_registered",
            "opportunities_created", "trials_started", "events_attended")


def _catalogue() -> dict:
    from .metrics import CATALOGUE
    return CATALOGUE


def _label(metric: str) -> str:
    if metric in LABELS:
        return LABELS[metric]
    m = _catalogue().get(metric)
    return m.label if m else metric.replace("_", " ").capitalize()


def _unit(metric: str) -> str:
    m = _catalogue().get(metric)
    return m.unit if m else "count"


SURVEY_METRICS = ("partner_nps", "survey_responses")
SURVEY_SCORES = ("partner_nps",)      # hidden over too few answers; the number of answers never is
# leading metrics that are not the partner's own activity (what we send it, what it tells us)
NOT_THE_PARTNERS = (*SURVEY_METRICS, "leads_distributed")


def _survey_hidden(p: Partner, metric: str, column: str, edition: str) -> bool:
    """A survey figure of a column with fewer than `surveys.min_respondents` answers (it could
    tell one person's score) is hidden, except on the internal edition of an attributable survey;
    the number of answers is always shown."""
    minimum, attributable = survey_settings(p.wb.program)
    if metric not in SURVEY_SCORES or (edition == INTERNAL and attributable):
        return False
    answers = _row(p, "survey_responses").get(column)
    return numbers.is_missing(answers) or 0 < float(answers) < minimum


def joined_on(p: Partner) -> pd.Timestamp:
    """The day the partner joined the programme (NaT when the data leaves it empty: a recruit)."""
    joined = p.info.get("joined_on")
    day = pd.NaT if numbers.is_missing(joined) else pd.Timestamp(joined)
    return pd.NaT if pd.isna(day) else day.normalize()


COLUMN_PERIODS = {"value": lambda period: period, "prior_value": lambda period: period.prior(),
                  "year_ago_value": lambda period: period.year_ago()}
NOT_YET = "not yet in the programme"


def before_joining(p: Partner, column: str) -> bool:
    """True when the period of `column` (value, prior_value, year_ago_value) ended before the
    partner joined: its figures are not the partner's in the programme, whatever the data holds."""
    joined = joined_on(p)
    return not pd.isna(joined) and COLUMN_PERIODS[column](p.wb.period).end < joined


def _fmt(p: Partner, metric: str, value, column: str = "value") -> str:
    reason = GROWTH_REASONS.get(metric, {}).get(column) or REASONS.get(metric, "no data")
    return numbers.by_unit(value, _unit(metric), p.wb.currency, reason=reason)


def _row(p: Partner, metric: str) -> dict:
    return p.by_metric.get(metric, {})


# -- title and headline ----------------------------------------------------------------

PURPOSE = ("One partner's period at a glance: its tier, lifecycle stage, leading and lagging "
           "metrics, goals, what to act on, programme use cases and its own words.")


PURPOSE_PARTNER = ("Your quarter at a glance: your tier, what to do next, your activity and results, "
                   "your goals and how you use the programme.")


def title(p: Partner, edition: str = INTERNAL):
    """The report's one title (the partner's name), its facts, the purpose and the company's
    values; the partner edition written to the partner, without internal attributes."""
    facts = " · ".join(x for x in (p.id, p.tier, p.region, p.wb.period.name, *attributes(p, edition)) if x)
    return display.join(display.heading(f"Partner scorecard: {p.name}", 1),
                        display.HTML(display.paragraph("{facts}", facts=facts).data
                                     .replace("<p>", '<p class="pb-subtitle">', 1)),
                        display.paragraph(PURPOSE if edition == INTERNAL else PURPOSE_PARTNER), values(p))


def attributes(p: Partner, edition: str = INTERNAL) -> list[str]:
    """The partner's attributes, once: joined on, days to first deal (tier is in the facts)."""
    joined = p.info.get("joined_on")
    joined = pd.Timestamp(joined) if not numbers.is_missing(joined) else pd.NaT
    out = [f"joined {joined:%Y-%m-%d}" if not pd.isna(joined) else "not joined yet"]
    days = _row(p, "time_to_first_deal_days").get("value")
    if "time_to_first_deal_days" not in p.wb.unavailable and edition == INTERNAL:
        out.append(f"first deal after {numbers.days(days)}" if not numbers.is_missing(days) else "no deal won yet")
    return out


def values(p: Partner):
    """The company's values (params `values`), shown on every partner report."""
    from . import goals
    items = goals.values(p.wb.program)
    if not items:
        return display.HTML("")
    return display.join(display.paragraph("**Our values**, which every goal here serves:"),
                        display.chips(items, label="Our values"))


def headline(p: Partner, edition: str = INTERNAL):
    """Headline KPIs: revenue, win rate, pipeline, registrations, each against the prior period
    and, in the internal edition, the median of the partner's peers (never naming them)."""
    items = []
    for metric in HEADLINE:
        row = _row(p, metric)
        if not row and metric in p.wb.unavailable:
            continue
        value, prior = row.get("value"), row.get("prior_value")
        delta = f"joined {joined_on(p):%Y-%m-%d}" if before_joining(p, "prior_value") else \
            _delta(p, metric, value, prior)
        items.append((_label(metric), _fmt(p, metric, value), delta, metric,
                      _peer_text(p, metric) if edition == INTERNAL else ""))
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

def stage(p: Partner, edition: str = INTERNAL):
    """The lifecycle stage and the metrics recommended for it (this period, prior, year ago)."""
    if not p.stage:
        return display.note("No lifecycle stage could be set for this partner.")
    metrics = [m for m in p.recommended if m not in p.wb.unavailable]
    missing = [f"{_label(m)} ({p.wb.unavailable[m]})" for m in p.recommended if m in p.wb.unavailable]
    text = (display.paragraph("Stage **{stage}**: judged on the metrics below.", stage=p.stage)
            if edition == INTERNAL else display.paragraph("The figures that matter most for you now:"))
    gap = display.note("Not shown, as their data was not supplied: {names}.", names="; ".join(missing)) \
        if missing else None
    return display.join(text, metric_table(p, metrics, edition), gap)


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


def metric_table(p: Partner, metrics, edition: str = INTERNAL) -> display.HTML:
    """This period, prior period and a year ago for each metric (partner level, no breakdown);
    each column's undefined growth with its own reason; attributes (days to first deal) are
    in the title, not here. In the internal edition each label links to its glossary entry."""
    wb = p.wb
    records = []
    for metric in (m for m in metrics if m not in ATTRIBUTES):
        row = _row(p, metric)
        cells = {}
        for heading, column in ((wb.period.name, "value"), ("Prior period", "prior_value"),
                                ("A year ago", "year_ago_value")):
            cells[heading] = (numbers.missing(NOT_YET) if before_joining(p, column)
                              else numbers.missing(f"fewer than {survey_settings(wb.program)[0]} answers")
                              if _survey_hidden(p, metric, column, edition)
                              else _fmt(p, metric, row.get(column), column))
        records.append({"metric": metric, "Metric": _label(metric), **cells})
    if not records:
        return display.note("No metrics to show for this stage.")
    cols = [wb.period.name, "Prior period", "A year ago"]
    out = display.table(pd.DataFrame(records), row_ids="metric", numeric=cols)
    return _linked(out, [r["metric"] for r in records]) if edition == INTERNAL else out


def _linked(table: display.HTML, metrics) -> display.HTML:
    """Each row's first cell (the label) as a link to the metric's glossary entry."""
    page = table.data
    for metric in metrics:
        href = glossary.href(metric, "../")
        page = re.sub(rf'(<tr data-id="{re.escape(metric)}"><td>)(.*?)(</td>)',
                      rf'\1<a href="{href}">\2</a>\3', page, count=1)
    return display.HTML(page)


def _has_values(p: Partner, metric: str) -> bool:
    row = _row(p, metric)
    return any(not numbers.is_missing(row.get(c)) and row.get(c) != 0
               for c in ("value", "prior_value", "year_ago_value"))


def leading_lagging(p: Partner, edition: str = INTERNAL):
    """Leading and lagging metrics side by side: the stage's, and any other with activity."""
    cat = _catalogue()
    shown = [m for m in cat if m not in p.wb.unavailable and cat[m].kind in ("leading", "lagging")
             and m != "partner_attrition_rate" and (m in p.recommended or _has_values(p, m))]
    parts = []
    for kind, heading in (("leading", "Leading: activity"), ("lagging", "Lagging: results")):
        names = [m for m in shown if cat[m].kind == kind]
        parts.append(f'<div>{display.heading(heading, 3).data}{metric_table(p, names, edition).data}</div>')
    return display.HTML(f'<div class="pb-pair">{"".join(parts)}</div>')


# -- goals --------------------------------------------------------------------------------

def data_end(p: Partner) -> pd.Timestamp:
    """The last day of the data (dataset meta 'end', else its latest date)."""
    from . import periods
    return periods.latest(p.wb.dataset)


def progress(p: Partner) -> pd.DataFrame | None:
    """The partner's attainment as of the end of the data: target, actual, attainment,
    elapsed, expected, pace, projection, projected_attainment, status (targets.attainment).
    None when the programme sets no targets."""
    from . import targets
    if p.targets is None:
        return None
    period = p.wb.period
    as_of = min(data_end(p), period.end)
    if as_of >= period.end and p.attainment is not None:
        return p.attainment
    return targets.attainment(p.targets, p.wb.metrics, period, as_of=as_of)


def attainment(p: Partner, edition: str = INTERNAL):
    """The partner's targets for the period: target, actual, attainment, pace and status; a
    projection to the period's end while the data ends inside the period. Then how the targets
    were set: the workings (baseline and factors) in the internal edition, a plain sentence in
    the partner's."""
    frame = progress(p)
    if frame is None:
        return display.note("No targets are set for this programme yet.")
    if frame.empty or (edition == PARTNER and frame["target"].map(numbers.is_missing).all()):
        if edition == PARTNER:
            joined = joined_on(p)
            new = not pd.isna(joined) and joined > p.wb.period.prior().start
            return display.note("Your targets start once you have a full quarter of results in the programme."
                                if new else "No targets are set for you this period; your account manager "
                                "agrees them with you.")
        return display.note("No targets are set for this partner this period.")
    elapsed = float(frame["elapsed"].iloc[0]) if "elapsed" in frame and len(frame) else 1.0
    records = [_progress_record(p, r, elapsed < 1) for r in frame.to_dict("records")]
    cols = [c for c in records[0] if c not in ("metric", "Metric", "Status")]
    how = target_workings(p) if edition == INTERNAL else display.paragraph(how_targets_were_set(p))
    return display.join(display.table(pd.DataFrame(records), row_ids="metric", numeric=cols),
                        display.note(_pacing_note(p, elapsed)), how)


WORKINGS = (("baseline", "Baseline", None), ("growth", "Growth", "rate"), ("capacity", "Capacity share", "rate"),
            ("margin_adj", "Margin", "factor"), ("mix_adj", "Mix", "factor"), ("attach_adj", "Attach", "factor"),
            ("maturity", "Maturity", "factor"))


def target_workings(p: Partner):
    """Internal: each target's baseline and factors (targets.py), and where the baseline came from."""
    frame = p.targets
    if frame is None or frame.empty or "baseline" not in frame:
        return display.HTML("")
    records = []
    for r in frame.to_dict("records"):
        record = {"metric": r["metric"], "Metric": _label(r["metric"])}
        for column, heading, unit in WORKINGS:
            value = r.get(column)
            record[heading] = (_fmt(p, r["metric"], value) if unit is None
                               else numbers.percent(value) if unit == "rate"
                               else "—" if numbers.is_missing(value) else f"×{float(value):.2f}")
        record["Source"] = numbers.text(r.get("source"))
        records.append(record)
    cols = [h for _, h, _ in WORKINGS]
    return display.join(display.heading("Target workings", 4),
                        display.table(pd.DataFrame(records), row_ids="metric", numeric=cols))


def how_targets_were_set(p: Partner) -> str:
    """Partner edition: one plain sentence on how its targets were set (no factors)."""
    sources = set() if p.targets is None or "source" not in p.targets else \
        {numbers.text(x) for x in p.targets["source"]}
    if sources == {"set by hand"}:
        return "These targets were agreed with your account manager for this period."
    base = ("your own results over the last four quarters" if "computed" in sources or not sources
            else "the results of partners like you in the programme")
    if "peer baseline" in sources and "computed" in sources:
        base += " (where your history is shorter, the results of partners like you)"
    return (f"How these targets were set: from {base}, with the growth the programme plans for "
            "partners in your tier and stage for this period.")


def _progress_record(p: Partner, r: dict, in_progress: bool) -> dict:
    metric = r["metric"]
    absent = p.wb.unavailable.get(metric)
    actual = r.get("actual", _row(p, metric).get("value"))
    target = r.get("target")
    no_target = numbers.is_missing(target)
    record = {"metric": metric, "Metric": _label(metric),       # a target of 0 (or -0.0) is a target of 0
              "Target": _fmt(p, metric, 0.0 if not no_target and float(target) == 0 else target)
              if not no_target else numbers.missing("none set"),
              "Actual": numbers.missing(absent) if absent else _fmt(p, metric, actual),
              "Attainment": _share(r.get("attainment"), absent or ("no target" if no_target else "target of 0"))}
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

def use_case(p: Partner, name: str, edition: str = INTERNAL):
    """A use-case section (deal_registration, lead_distribution, mdf, training, onboarding):
    a note when the data was not supplied, nothing when the partner has no such rows."""
    case = USE_CASES[name]
    heading, table, noun, metrics = case.title, case.table, case.noun, case.metrics
    head = display.heading(heading, 3).data
    if not p.has(table):
        return display.HTML(head + display.note(f"No {noun} data supplied.").data)
    if p.rows(table).empty:
        return display.HTML("")
    names = [m for m in metrics if m not in p.wb.unavailable]
    return display.HTML(head + metric_table(p, names, edition).data)


# -- stories ------------------------------------------------------------------------------

def survey_settings(program: dict) -> tuple[int, bool]:
    """(min_respondents, attributable) from program.yaml `surveys` (defaults 3, false)."""
    conf = programme.section_of(program, "surveys")
    return conf.min_respondents, conf.attributable


def _answers(p: Partner) -> pd.DataFrame:
    """The partner's survey answers of the year up to the period end."""
    if not p.has("surveys"):
        return pd.DataFrame()
    end = p.wb.period.end
    rows = p.rows("surveys")
    return rows[(rows["answered_on"] > end - pd.DateOffset(years=1)) & (rows["answered_on"] <= end)]


def stories(p: Partner, limit: int = 5, edition: str = INTERNAL):
    """The partner's own stories of the last year, newest first, and its survey answers: one
    line of aggregates over the year's answers when there are at least `surveys.min_respondents`
    (else a sentence saying so), and the comments with each respondent and score only in the
    internal edition of a programme whose survey says answers are attributable
    (`surveys.attributable`); otherwise comments unattributed, and only over enough respondents.
    The partner edition shows no survey comment at all (colleagues could recognise one's words):
    the aggregates only; and it leaves out a story holding an internal-only phrase (confidential.py)."""
    end = p.wb.period.end
    start = end - pd.DateOffset(years=1)
    parts, aggregate = [], None
    if p.has("stories"):
        rows = p.rows("stories")
        rows = rows[(rows["told_on"] > start) & (rows["told_on"] <= end)].sort_values("told_on", ascending=False)
        parts += [(r.text, f"{r.author}, {r.kind.replace('_', ' ')}, {r.told_on:%Y-%m-%d}")
                  for r in rows.head(limit).itertuples()]
    answers = _answers(p)
    if len(answers):
        minimum, attributable = survey_settings(p.wb.program)
        enough = answers["respondent"].nunique() >= minimum and len(answers) >= minimum
        aggregate = survey_summary(answers, minimum)
        comments = answers.dropna(subset=["comment"]).sort_values("answered_on", ascending=False).head(limit)
        if edition == INTERNAL and attributable:
            parts += [(r.comment, f"{r.respondent}, survey score {r.score}, {r.answered_on:%Y-%m-%d}")
                      for r in comments.itertuples()]
        elif enough and edition == INTERNAL:
            parts += [(r.comment, "survey comment") for r in comments.itertuples()]
    left_out = 0
    if edition == PARTNER:           # the partner's own words may hold internal wording ("healthy")
        kept = [(text, who) for text, who in parts if not confidential.found(f"{text} {who}", p.name)]
        parts, left_out = kept, len(parts) - len(kept)
    if not parts and aggregate is None and not left_out:
        supplied = p.has("stories") or p.has("surveys")
        whose = "you" if edition == PARTNER else "this partner"
        return display.note(f"No stories or survey answers from {whose} in the last year."
                            if supplied else "No stories or survey data supplied.")
    gone = display.note("{n} more left out of this edition.", n=numbers.count(left_out)) if left_out else None
    return display.join(display.paragraph(aggregate) if aggregate else None,
                        display.quotes(parts) if parts else None, gone)


def survey_summary(answers: pd.DataFrame, minimum: int) -> str:
    """The year's survey answers as aggregates only: 'Survey: 4 answers from 3 people, average
    score 7.5 of 10.'; fewer than `minimum` answers or people: a sentence, no figure."""
    n, people = len(answers), answers["respondent"].nunique()
    if n < minimum or people < minimum:
        return (f"Survey: {numbers.count(n)} answer{'' if n == 1 else 's'} in the last year; results are shown "
                f"once at least {minimum} people have answered (answers are confidential).")
    return (f"Survey: {numbers.count(n)} answers from {numbers.count(people)} people in the last year, "
            f"average score {float(answers['score'].mean()):.1f} of 10.")


# -- charts -------------------------------------------------------------------------------

def quarters(p: Partner, n: int = 8) -> list[str]:
    """The names of the last `n` quarters ending with the report period."""
    from . import periods
    q = periods.of(p.wb.period.end, "quarter", p.wb.fy_start_month)
    return [x.name for x in periods.last(q, n)]


def chart_quarters(p: Partner, n: int = 8) -> list[str]:
    """The quarters a trend chart draws: the last `n`, starting no earlier than the quarter the
    partner joined in (a quarter before it is left out, not drawn as 0)."""
    from . import periods
    joined = joined_on(p)
    qs = quarters(p, n)
    if pd.isna(joined):
        return qs
    return [q for q in qs if periods.parse(q, p.wb.fy_start_month).end >= joined] or qs[-1:]


def revenue_chart(p: Partner):
    qs = chart_quarters(p)
    ax = charts.plot_revenue_trend(p.history, periods=qs, currency=p.wb.currency)
    latest = _fmt(p, "revenue", charts.series(p.history, "revenue", qs).iloc[-1])
    return display.figure(ax.figure, alt=f"Revenue by quarter, {qs[0]} to {qs[-1]}; {qs[-1]}: {latest}")


def win_rate_chart(p: Partner):
    qs = chart_quarters(p)
    ax = charts.plot_win_rate(p.history, periods=qs)
    latest = _fmt(p, "win_rate", charts.series(p.history, "win_rate", qs).iloc[-1])
    return display.figure(ax.figure, alt=f"Win rate by quarter, {qs[0]} to {qs[-1]}; {qs[-1]}: {latest}")


def activity_chart(p: Partner, most: int = 4):
    qs = chart_quarters(p)
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


# -- the partner edition's glossary ---------------------------------------------------------

# the partner edition's definitions: plain words, written to the partner, no field names
PLAIN = {
    "trials_started": "Trials and proofs of concept you started in the period.",
    "webinars_attended": "Webinars your people attended in the period.",
    "trainings_attended": "Trainings your people attended in the period.",
    "certifications": "Certifications your people earned in the period.",
    "events_attended": "In-person events your people attended in the period.",
    "deals_registered": "Deals you registered with us in the period, whatever became of them.",
    "registered_pipeline": "The value of the deals you registered in the period, leaving out those we turned down.",
    "opportunities_created": "Sales opportunities you opened in the period.",
    "pipeline": "The value of your sales opportunities still open (not yet won or lost) on the last day of the period.",
    "portal_logins": "How many times your people logged in to the partner portal in the period.",
    "active_portal_users": "How many of your people logged in to the partner portal at least once in the period.",
    "portal_page_views": "Pages your people viewed on the partner portal in the period.",
    "business_plans": "Joint business plans agreed with us in the period.",
    "leads_distributed": "Leads we passed to you in the period.",
    "lead_acceptance_rate": "Of the leads we passed to you in the period, the share you accepted.",
    "lead_conversion_rate": "Of the leads we passed to you in the period, the share that became opportunities.",
    "mdf_requested": "Market development funds you asked for in the period.",
    "mdf_approved": "The part of those requests we approved.",
    "mdf_claimed": "The amount you claimed on those requests after the activity.",
    "time_to_first_deal_days": "Days from joining the programme to your first won deal.",
    "survey_responses": "Answers your people gave to our partner survey in the period.",
    "partner_nps": "Net promoter score of your survey answers: the share who would recommend working with us "
                   "(9 or 10 of 10) minus the share who would not (0 to 6), from -100 to 100.",
    "opportunities_closed": "Your opportunities won or lost in the period.",
    "deals_won": "Your opportunities won in the period.",
    "deals_lost": "Your opportunities lost in the period.",
    "win_rate": "Of your opportunities won or lost in the period, the share won.",
    "revenue": "Amount of partner-sourced opportunities won in the period: the deals you brought and won "
               "(our direct deals are not counted).",
    "revenue_growth_yoy": "How much your revenue grew on the same period a year earlier.",
    "revenue_growth_qoq": "How much your revenue grew on the period before.",
    "new_logos": "Won deals with customers that had never bought from us before, through any partner or directly.",
    "mdf_roi": "Revenue from the deals tied to your market development fund activities, against the funds "
               "paid out on the period's requests.",
}


def glossary_of(p: Partner, metrics) -> display.HTML:
    """Partner edition: its own short glossary of the metrics it shows, in plain words (PLAIN),
    no field name and no link to another page."""
    cat = _catalogue()
    seen = [m for m in dict.fromkeys(metrics) if m in cat]
    if not seen:
        return display.HTML("")
    items = "".join(f"<dt>{_esc(_label(m))}</dt><dd>{_esc(PLAIN.get(m, cat[m].label + '.'))}</dd>" for m in seen)
    return display.HTML(f'<dl class="pb-glossary">{items}</dl>')


def shown_metrics(p: Partner) -> list[str]:
    """The metrics the partner edition shows: headline, stage, leading and lagging, use cases, targets."""
    cat = _catalogue()
    names = [*HEADLINE, *p.recommended]
    names += [m for m in cat if cat[m].kind in ("leading", "lagging") and m != "partner_attrition_rate"
              and (m in p.recommended or _has_values(p, m))]
    names += [m for case in USE_CASES.values() for m in case.metrics]
    if p.targets is not None and len(p.targets):
        names += list(p.targets["metric"].astype(str))
    return [m for m in names if m not in p.wb.unavailable]


def glossary_section(p: Partner) -> display.HTML:
    return glossary_of(p, shown_metrics(p))


# -- tier ---------------------------------------------------------------------------------

def tier_standing(p: Partner) -> dict | None:
    """tiers.standing of the partner over the programme's window, with the levels (criteria on
    data not supplied left out), the window's quarters and those absent metrics; None without tiers."""
    from . import periods, tiers
    levels, window = tiers.rules(p.wb.program)
    if not levels:
        return None
    metrics = {m for x in levels for m in x.criteria}
    absent = sorted(m for m in metrics if m in p.wb.unavailable)
    levels = [tiers.Level(x.name, {m: v for m, v in x.criteria.items() if m not in absent}) for x in levels]
    qs = quarters(p, window)
    first_day = periods.parse(qs[0], p.wb.fy_start_month).start
    joined = joined_on(p)
    full = not pd.isna(joined) and joined <= first_day
    found = tiers.standing(levels, p.tier, tiers.window_values(p.history, qs, metrics - set(absent)), full)
    return {**found, "levels": levels, "quarters": qs, "absent": absent}


def tier_status(p: Partner):
    """The partner's tier, its standing on the tier's criteria and the next tier's over the
    trailing window (program.yaml `tiers`), what is missing, and whether it is at risk of falling."""
    found = tier_standing(p)
    if found is None:
        return display.note("The programme sets no tier criteria.")
    levels, qs, absent = found["levels"], found["quarters"], found["absent"]
    span = qs[0] if len(qs) == 1 else f"{qs[0]} to {qs[-1]}"
    parts = [display.paragraph("Tier **{tier}**, measured over {span}.", tier=p.tier or "not set", span=span)]
    if p.tier and p.tier not in [x.name for x in levels]:
        parts.append(display.note("This tier has no criteria in the programme's rules."))
    if found["at_risk"]:
        parts.append(display.paragraph(
            "**At risk of falling a tier**, to {to}, at the next review: {why}. The criteria count over {span} "
            "only ({before}).", to=found["earned"] or "no tier", span=span,
            why="; ".join(_short(p, c) for c in found["criteria"] if not c["met"]),
            before=_not_counted([c for c in found["criteria"] if not c["met"]], qs[0])))
    elif found["criteria"] and all(c["met"] for c in found["criteria"]):
        parts.append(display.paragraph("Every criterion of this tier is met."))
    elif found["criteria"]:
        parts.append(display.paragraph("Joined during these quarters: the tier is reviewed on its criteria once "
                                       "the partner has been in the programme for all of them."))
    if p.tier and levels and p.tier == levels[-1].name:
        parts.append(display.paragraph("{tier} is the programme's top tier.", tier=p.tier))
    if found["next"]:
        missing = [c for c in found["next_criteria"] if not c["met"]]
        # marked: the delivery message quotes it (delivery.partner_body)
        parts.append(_fact("next-tier", display.paragraph(
            "To reach **{next}**: {what}.", next=found["next"],
            what="; ".join(_short(p, c) for c in missing) if missing else "every criterion is met already")))
    rows = [{"metric": c["metric"], "Tier": name, "Criterion": _label(c["metric"]),
             "Needed": _fmt(p, c["metric"], c["minimum"]), "Yours": _fmt(p, c["metric"], c["value"]),
             "Met": "yes" if c["met"] else "no"}
            for name, cs in ((p.tier, found["criteria"]), (found["next"], found["next_criteria"])) for c in cs]
    if rows:
        parts.append(display.table(pd.DataFrame(rows), row_ids="metric", numeric=["Needed", "Yours"]))
    if absent:
        parts.append(display.note("Not measured, as their data was not supplied: {names}.",
                                  names=", ".join(_label(m) for m in absent)))
    return display.join(*parts)


def _not_counted(criteria: list[dict], first: str) -> str:
    """'certifications from before 2025-Q4 are not counted' for the criteria not met."""
    labels = [_label(c["metric"]).lower() for c in criteria]
    verb = "are" if len(labels) > 1 or labels[0].endswith("s") else "is"
    return f"{' and '.join(labels)} from before {first} {verb} not counted"


def _fact(name: str, paragraph: display.HTML) -> display.HTML:
    """A paragraph marked as a named fact (`data-fact`), for what reads the page (delivery)."""
    return display.HTML(paragraph.data.replace("<p>", f'<p data-fact="{name}">', 1))


def _short(p: Partner, c: dict) -> str:
    return f"{_label(c['metric']).lower()} {_fmt(p, c['metric'], c['missing'])} short"


# -- what the partner acts on ---------------------------------------------------------------

def _table_of(p: Partner, name: str) -> pd.DataFrame | None:
    """The partner's rows of an optional table, or None when the source did not supply it."""
    if not p.has(name) or name not in p.wb.dataset.tables:
        return None
    return p.rows(name)


def as_of(p: Partner) -> pd.Timestamp:
    """The day the report stands on: the period end, or the end of the data inside the period."""
    return min(data_end(p), p.wb.period.end)


def registrations(p: Partner, limit: int = 15):
    """Open deal registrations with submission and expiry dates, those expiring within 30 days first."""
    from . import worklist
    rows = _table_of(p, "deal_registrations")
    if rows is None:
        return display.note("No deal registration data supplied.")
    days = worklist.valid_days(p.wb.program)
    open_ = worklist.open_registrations(rows, as_of(p), days)
    if open_.empty:
        return display.note("No open deal registrations on {day}.", day=f"{as_of(p):%Y-%m-%d}")
    soon = open_[open_["soon"]]
    source = ("expiry dates from the data" if "expires_on" in rows and rows["expires_on"].notna().any()
              else f"a registration expires {days} days after submission")
    head = display.paragraph("{n} open, {k} expiring within {d} days ({source}).", n=numbers.count(len(open_)),
                             k=numbers.count(len(soon)), d=worklist.SOON_DAYS, source=source)
    shown = open_.head(limit)
    table = pd.DataFrame({"Registration": shown["registration_id"].astype(str),
                          "Submitted": shown["submitted_on"].dt.strftime("%Y-%m-%d"),
                          "Expires": shown["expires_on"].dt.strftime("%Y-%m-%d"),
                          "Days left": [numbers.count(d) for d in shown["days_left"]],
                          "Amount": [_fmt(p, "registered_pipeline", a) for a in shown["amount"]],
                          "Status": shown["status"].astype(str)})
    more = display.note("And {n} more.", n=numbers.count(len(open_) - limit)) if len(open_) > limit else None
    return display.join(head, display.table(table, numeric=["Days left", "Amount"]), more)


def mdf_funds(p: Partner, edition: str = INTERNAL):
    """MDF over the year: allocated, requested, approved, claimed, paid; per allocation what is
    left to request (worklist.allocation_balances); the claims still to make by their deadline.
    The partner edition of a partner with no MDF at all in the year says so in one sentence."""
    from . import worklist
    allocations, requests = _table_of(p, "mdf_allocations"), _table_of(p, "mdf")
    if allocations is None and requests is None:
        return display.note("No MDF data supplied.")
    day = as_of(p)
    funds = worklist.mdf_funds(allocations, requests, day)
    if edition == PARTNER and not any(funds[k] for k in funds if funds[k] is not None):
        return display.paragraph("You have no market development funds allocated or requested in the last "
                                 "twelve months; ask your account manager how to apply.")
    why = {"allocated": "no MDF allocation data supplied"}
    labels = (("allocated", "Allocated"), ("requested", "Requested"), ("approved", "Approved"),
              ("claimed", "Claimed"), ("paid", "Paid"),
              ("unclaimed", "Approved, still to claim before its deadline"))
    table = pd.DataFrame([{"MDF, last twelve months": text,
                           "Amount": numbers.money(funds[key], p.wb.currency, reason=why.get(key, "no MDF data supplied"))}
                          for key, text in labels])
    return display.join(display.table(table, numeric=["Amount"]), _balances(p, allocations, requests, day),
                        _claims(p, requests, day))


def balance_lines(p: Partner, allocations, requests, day) -> list[str]:
    """'MA0129: $10,900 left to request by 2027-01-31', one per allocation of the year."""
    from . import worklist
    out = []
    for r in worklist.allocation_balances(allocations, requests, day).itertuples():
        by = f" by {r.claim_deadline:%Y-%m-%d}" if not pd.isna(r.claim_deadline) else ""
        if r.left >= 0:
            out.append(f"{r.allocation_id}: {numbers.money(r.left, p.wb.currency)} left to request{by} "
                       f"(of {numbers.money(r.amount, p.wb.currency)} allocated on {r.allocated_on:%Y-%m-%d})")
        else:
            out.append(f"{r.allocation_id}: {numbers.money(-r.left, p.wb.currency)} approved beyond the "
                       f"{numbers.money(r.amount, p.wb.currency)} allocated on {r.allocated_on:%Y-%m-%d}")
    return out


def _balances(p: Partner, allocations, requests, day):
    if allocations is None:
        return display.note("No MDF allocation data supplied, so no balance to request.")
    lines = balance_lines(p, allocations, requests, day)
    if not lines:
        return display.note("No MDF allocated in the last twelve months.")
    items = "".join(f"<li>{_esc(x)}</li>" for x in lines)
    return display.HTML(f'<ul class="pb-balances">{items}</ul>')


def _claims(p: Partner, requests, day):
    from . import worklist
    deadlines = worklist.claim_deadlines(requests, day)
    if not len(deadlines):
        return display.note("No claim deadline ahead in the data.")
    return display.table(pd.DataFrame({"Claim": deadlines["what"],
                                       "Deadline": deadlines["deadline"].dt.strftime("%Y-%m-%d"),
                                       "Days left": [numbers.count(d) for d in deadlines["days_left"]],
                                       "Amount": [numbers.money(a, p.wb.currency) for a in deadlines["amount"]]}),
                         numeric=["Days left", "Amount"])


def certified_people(p: Partner):
    """Distinct people certified, per certification and in all (names are not shown)."""
    from . import worklist
    rows = _table_of(p, "engagements")
    if rows is None:
        return display.note("No training and certification data supplied.")
    found = worklist.certified(rows, as_of(p))
    if found.empty:
        return display.note("Nobody holds a certification yet.")
    total = worklist.certified_total(rows, as_of(p))
    table = pd.DataFrame({"Certification": found["certification"],
                          "People holding it": [numbers.count(n) for n in found["people"]]})
    return display.join(display.paragraph("{n} certified, {k} certifications held.",
                                          n=f"{numbers.count(total)} {'person' if total == 1 else 'people'}",
                                          k=numbers.count(int(found["people"].sum()))),
                        display.table(table, numeric=["People holding it"]))


def plan_actual(p: Partner, metric: str, first, last) -> float:
    """A metric plan to date, in whole quarters: over the quarters from the one holding `first`
    to the one holding `last`, at most four (a plan's year); summed for a count or amount,
    averaged for a rate (tiers.window_values)."""
    from . import periods, tiers
    qs = [q.name for q in periods.span(first, last, "quarter", p.wb.fy_start_month)][:4]
    return tiers.window_values(p.history, qs, [metric])[metric]


def _objective_text(p: Partner, description, metric: str, target) -> str:
    """The objective in words; a money target written in it gets its currency sign."""
    text = numbers.text(description) or _label(metric)
    if _unit(metric) == "money" and not numbers.is_missing(target):
        bare = f"{float(target):,.0f}"
        text = re.sub(rf"(?<![\d$€£,.]){re.escape(bare)}(?![\d,])", _fmt(p, metric, target), text)
    return text


def business_plan(p: Partner):
    """The joint business plan's objectives with weights, targets and progress plan to date
    (worklist.plan_span: from the plan's creation to the report day, an ended plan to its end;
    counted in whole quarters, plan_actual)."""
    from . import worklist
    plans = _table_of(p, "business_plans")
    if plans is None:
        return display.note("No business plan data supplied.")
    if not p.has("plan_objectives") or "plan_objectives" not in p.wb.dataset.tables:
        return display.note("No business plan objectives supplied.")
    found = worklist.plan_objectives(plans, p.wb.dataset["plan_objectives"],
                                     lambda m, first, last: plan_actual(p, m, first, last), as_of(p))
    if found.empty:
        return display.note("No joint business plan objectives yet.")
    table = pd.DataFrame({"Plan": [f"{i} ({s}, {a:%Y-%m-%d} to {b:%Y-%m-%d})" for i, s, a, b in
                                   zip(found["plan_id"], found["status"], found["first"], found["last"])],
                          "Objective": [_objective_text(p, d, m, t) for d, m, t in
                                        zip(found["description"], found["metric"], found["target"])],
                          "Metric": [_label(m) for m in found["metric"]],
                          "Weight": [numbers.percent(w, reason="not set") for w in found["weight"]],
                          "Target": [_fmt(p, m, t) for m, t in zip(found["metric"], found["target"])],
                          "Plan to date": [_fmt(p, m, a) for m, a in zip(found["metric"], found["actual"])],
                          "Progress": [numbers.percent(x, reason="no target") for x in found["progress"]]})
    return display.join(display.table(table, numeric=["Weight", "Target", "Plan to date", "Progress"]),
                        display.note("Plan to date counts whole quarters, from the quarter the plan was made "
                                     "in to this one (a finished plan: its four quarters)."))


def actions_frame(p: Partner):
    from . import worklist
    rows = _table_of(p, "actions")
    if rows is None:
        return None
    return worklist.agreed_actions(rows, as_of(p), numbers.text(p.info.get("account_manager")))


def agreed_actions(p: Partner, edition: str = INTERNAL):
    """The agreed next actions: overdue first ("overdue N days" to the report day), then open by
    due date, then done; whose side each owner is on."""
    found = actions_frame(p)
    if found is None:
        return display.note("No agreed actions supplied.")
    if found.empty:
        return display.note("No actions agreed yet.")
    side = ({"ours": "your account manager", "partner": "your side"} if edition == PARTNER
            else {"ours": "ours: account manager", "partner": "the partner's side"})
    table = pd.DataFrame({"Action": found["description"].astype(str),
                          "Owner": [f"{o} ({side[s]})" for o, s in zip(found["owner"].astype(str), found["side"])],
                          "Agreed": found["agreed_on"].dt.strftime("%Y-%m-%d"),
                          "Due": [f"{d:%Y-%m-%d}" if not pd.isna(d) else numbers.missing("no date") for d in found["due_on"]],
                          "Status": [f"overdue {numbers.days(n)}" if n > 0 else str(st)
                                     for n, st in zip(found["overdue_days"], found["status"])]})
    return display.table(table)


def account_manager(p: Partner):
    """The partner's account manager: name and e-mail (partners.account_manager, account_manager_email)."""
    name = numbers.text(p.info.get("account_manager"))
    email = numbers.text(p.info.get("account_manager_email"))
    if not name and not email:
        return display.note("No account manager is recorded for this partner.")
    return display.paragraph("Account manager: **{name}**{email}.", name=name or "not named",
                             email=f", {email}" if email else "")


# -- the partner's next steps (partner edition) ------------------------------------------------

def _span(qs: list[str]) -> str:
    return qs[0] if len(qs) == 1 else f"{qs[0]} to {qs[-1]}"


def next_steps(p: Partner) -> list[str]:
    """What the partner should do next, each with its date and amount: registrations expiring
    within 30 days, MDF claim deadlines within 30 days, what keeps or gets its tier, overdue actions."""
    from . import worklist
    out, day = [], as_of(p)
    rows = _table_of(p, "deal_registrations")
    if rows is not None:
        regs = worklist.open_registrations(rows, day, worklist.valid_days(p.wb.program))
        for r in regs[regs["soon"]].itertuples():
            out.append(f"Registration {r.registration_id} ({_fmt(p, 'registered_pipeline', r.amount)}) expires on "
                       f"{r.expires_on:%Y-%m-%d}: move it forward or ask to extend it.")
    requests = _table_of(p, "mdf")
    if requests is not None:
        due = worklist.claim_deadlines(requests, day)
        for r in due[due["days_left"] <= worklist.SOON_DAYS].itertuples():
            out.append(f"Claim {numbers.money(r.amount, p.wb.currency)} on {r.what} by {r.deadline:%Y-%m-%d}.")
    found = tier_standing(p)
    if found and found["at_risk"]:
        out.append(f"To keep {p.tier} at the next review: "
                   + "; ".join(_short(p, c) for c in found["criteria"] if not c["met"])
                   + f" over {_span(found['quarters'])}.")
    elif found and found["next"]:
        missing = [c for c in found["next_criteria"] if not c["met"]]
        if missing:
            out.append(f"To reach {found['next']}: " + "; ".join(_short(p, c) for c in missing) + ".")
    late = actions_frame(p)
    if late is not None:
        for r in late[late["overdue_days"] > 0].itertuples():
            who = "your account manager" if r.side == "ours" else "you"
            out.append(f"Overdue since {r.due_on:%Y-%m-%d} ({numbers.days(r.overdue_days)}): {r.description} "
                       f"({r.owner}, {who}).")
    return out


def next_steps_box(p: Partner):
    """Partner edition: the 'Your next steps' box near the top of the page."""
    steps = next_steps(p)
    body = ("".join(f"<li>{_esc(x)}</li>" for x in steps) if steps
            else "<li>Nothing falls due in the next 30 days.</li>")
    return display.HTML(f'<div class="pb-next-steps"><ul>{body}</ul></div>')


# -- for the next business review (internal) --------------------------------------------------

RARE = ("business_plans",)         # counted once a year or so: a fall on the prior quarter says nothing
FALL_BASE = 3                      # a count must have been at least this in the prior period to "fall"


def _gap_point(p: Partner) -> str | None:
    """The largest gap to target by what is at stake: among money targets not met, the largest
    amount short; without one, the lowest attainment among count targets of at least FALL_BASE."""
    frame = progress(p)
    gaps = [] if frame is None or frame.empty else [
        r for r in frame.to_dict("records")
        if not numbers.is_missing(r.get("attainment")) and float(r["attainment"]) < 1
        and r["metric"] not in p.wb.unavailable and not numbers.is_missing(r.get("actual"))]
    money = [r for r in gaps if _unit(r["metric"]) == "money"]
    if money:
        worst = max(money, key=lambda r: (float(r["target"]) - float(r["actual"]), r["metric"]))
    else:
        counts = [r for r in gaps if _unit(r["metric"]) == "count" and float(r["target"]) >= FALL_BASE]
        if not counts:
            return None
        worst = min(counts, key=lambda r: (float(r["attainment"]), r["metric"]))
    short = float(worst["target"]) - float(worst["actual"])
    return (f"Largest gap to target: {_label(worst['metric'])}, {_fmt(p, worst['metric'], short)} short of "
            f"{_fmt(p, worst['metric'], worst['target'])} ({numbers.percent(worst['attainment'])} reached).")


def _tier_risk_point(p: Partner) -> str | None:
    found = tier_standing(p)
    if not found or not found["at_risk"]:
        return None
    why = "; ".join(_short(p, c) for c in found["criteria"] if not c["met"])
    return f"Tier at risk: {p.tier} would fall to {found['earned'] or 'no tier'} at the next review ({why})."


def _overdue_point(p: Partner) -> str | None:
    found = actions_frame(p)
    late = None if found is None else found[found["overdue_days"] > 0]
    if late is None or late.empty:
        return None
    first = late.iloc[0]
    return (f"Overdue actions: {numbers.count(len(late))}, the oldest \u201c{first['description']}\u201d "
            f"({first['owner']}), due {first['due_on']:%Y-%m-%d}, overdue {numbers.days(first['overdue_days'])}.")


def _claims_point(p: Partner) -> str | None:
    from . import worklist
    requests = _table_of(p, "mdf")
    due = worklist.claim_deadlines(requests, as_of(p)) if requests is not None else None
    due = None if due is None else due[due["days_left"] <= worklist.SOON_DAYS]
    if due is None or due.empty:
        return None
    return (f"MDF to claim within {worklist.SOON_DAYS} days: {numbers.money(due['amount'].sum(), p.wb.currency)} "
            f"on {numbers.count(len(due))} request{'s' if len(due) > 1 else ''}, the first by "
            f"{due['deadline'].iloc[0]:%Y-%m-%d}.")


def _registrations_point(p: Partner) -> str | None:
    from . import worklist
    rows = _table_of(p, "deal_registrations")
    if rows is None:
        return None
    soon = worklist.open_registrations(rows, as_of(p), worklist.valid_days(p.wb.program))
    soon = soon[soon["soon"]]
    if soon.empty:
        return None
    return (f"Registrations expiring within {worklist.SOON_DAYS} days: {numbers.count(len(soon))}, "
            f"{_fmt(p, 'registered_pipeline', soon['amount'].sum())}, the first on {soon['expires_on'].iloc[0]:%Y-%m-%d}.")


def _fall_point(p: Partner) -> str | None:
    cat = _catalogue()
    falls = []
    for metric, row in p.by_metric.items():
        if metric in cat and cat[metric].kind == "leading" and cat[metric].good == "up" \
                and cat[metric].unit not in ("rate", "points") and metric not in NOT_THE_PARTNERS \
                and metric not in RARE:
            value, prior = row.get("value"), row.get("prior_value")
            base = FALL_BASE if cat[metric].unit == "count" else 0
            if not numbers.is_missing(value) and not numbers.is_missing(prior) and float(prior) > 0 \
                    and float(prior) >= base and float(value) < float(prior):
                falls.append((float(value) / float(prior) - 1, metric, value, prior))
    if not falls:
        return None
    change, metric, value, prior = min(falls)
    return (f"Leading metric that fell most: {_label(metric)}, {numbers.percent(change, signed=True)} "
            f"on the prior period ({_fmt(p, metric, value)} from {_fmt(p, metric, prior)}).")


def review_points(p: Partner) -> list[str]:
    """Points for the next business review, by stated rules, each only when it has a figure:
    1. the largest gap to target by what is at stake: the money target furthest short in
       money; without one, the count target (of at least 3) with the lowest attainment;
    2. tier risk: the tier it would fall to and the criteria short;
    3. overdue actions: how many, the oldest with its owner and days overdue;
    4. MDF claim deadlines within 30 days: the amount and the first deadline;
    5. registrations expiring within 30 days: how many, their amount, the first expiry;
    6. the leading metric that fell most on the prior period: the partner's own activity
       (counts and money; not leads we sent it, not surveys, not yearly ones such as
       business plans), a count only from a prior figure of at least 3."""
    found = [point(p) for point in (_gap_point, _tier_risk_point, _overdue_point, _claims_point,
                                    _registrations_point, _fall_point)]
    return [x for x in found if x] or ["Nothing stands out by these rules this period."]


def business_review(p: Partner):
    """Internal: the points for the next business review (review_points)."""
    items = "".join(f"<li>{_esc(x)}</li>" for x in review_points(p))
    return display.HTML(f'<ol class="pb-review">{items}</ol>')
