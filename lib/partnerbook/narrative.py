"""The stakeholder story: sentences written from the metric table, each number recorded.

    ctx = narrative.Context(metrics=table, program=program, period="2026-Q3", prior="2026-Q2")
    narrative.summary(ctx)            # -> Section: sentences + the facts behind every number

A `Section` shows as HTML in a notebook and carries its facts in a second mime type,
`application/vnd.partnerbook.facts+json`, which the HTML export drops and the executed
.ipynb keeps: tests read the numbers from there rather than scraping the page.

Every number in a sentence goes through `Writer.num`, which formats it with
`partnerbook.numbers` and records it as a `Fact` (metric, period, scope, value, text).
Missing data is said in words ("no deal registration data was supplied"), never "0%" or NaN.
"""
from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

import pandas as pd

from . import numbers
from .errors import ParamsError
from .params import fy_start_month
from .render.html import file_names

FACTS_MIME = "application/vnd.partnerbook.facts+json"
PROGRAMME = "programme"
USE_CASES = ("deal_registration", "lead_distribution", "mdf", "training", "onboarding")
REPORTING_KEYS = ("cadence", "change_threshold", "audiences", "voices", "movers", "plan_tiers")
AUDIENCE_KEYS = ("slug", "name", "objectives", "use_cases", "recipients", "channel", "formats")
GROWTH = ("revenue_growth_qoq", "revenue_growth_yoy")


# ---------------------------------------------------------------- facts and sections

@dataclass(frozen=True)
class Fact:
    """One number shown to a reader and where it came from."""
    metric: str
    period: str
    scope: str          # "programme", "partner:<id>", or a group such as "certified partners"
    value: float | None
    text: str           # exactly as shown
    kind: str = "value"  # value, prior, year_ago, change, target, attainment, group, difference


@dataclass
class Section:
    """A part of the story: HTML blocks and the facts behind their numbers."""
    key: str
    html: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        body = "".join(self.html) or ""
        return {"text/html": f'<div class="pb-story-{_e(self.key)}">{body}</div>',
                FACTS_MIME: {"section": self.key, "facts": [asdict(f) for f in self.facts]}}

    def text(self) -> str:
        return " ".join(self.sentences)

    def __repr__(self) -> str:
        return f"<story section {self.key}: {len(self.facts)} facts>"


class Writer:
    """Formats numbers for sentences and records each one as a Fact."""

    def __init__(self, ctx: "Context", key: str) -> None:
        self.ctx, self.section = ctx, Section(key)

    def num(self, value: Any, unit: str, metric: str, *, period: str = "", scope: str = PROGRAMME,
            kind: str = "value", signed: bool = False, reason: str = "") -> str:
        """`value` as text ('— (reason)' when missing), recorded as a Fact."""
        text = _format(value, unit, self.ctx.currency, signed=signed, metric=metric, reason=reason)
        self.section.facts.append(Fact(metric, period or self.ctx.period, scope,
                                       None if numbers.is_missing(value) else float(value), text, kind))
        return text

    def say(self, sentence: str) -> None:
        """Add one sentence (our text with numbers already formatted); escaped into a paragraph."""
        self.section.sentences.append(sentence)

    def paragraph(self) -> None:
        if self.section.sentences:
            self.section.html.append(f"<p>{_e(' '.join(self.section.sentences))}</p>")

    def block(self, markup: str) -> None:
        self.section.html.append(markup)


def _format(value: Any, unit: str, currency: str, *, signed: bool = False, metric: str = "",
            reason: str = "") -> str:
    """A derived programme measure's ratio as goals shows it (channel_roi: 3.10×); any other
    ratio is a multiplier in words (4.0, as in "4.0 times as much")."""
    from . import goals
    if unit == "ratio" and metric in goals.DERIVED:
        return goals.format_value(value, metric, currency, reason)
    if unit == "rate":
        return numbers.percent(value, signed=signed, reason=reason)
    if unit == "ratio":
        return numbers.missing(reason) if numbers.is_missing(value) else f"{float(value):.1f}"
    return numbers.by_unit(value, unit, currency, reason=reason)


def _lower(label: str) -> str:
    """'Trainings attended' -> 'trainings attended'; 'MDF approved' stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ---------------------------------------------------------------- context

@dataclass
class Context:
    """What the story is written from. Tests build it by hand; `from_workbook` in a run."""
    metrics: pd.DataFrame                   # metrics.table: partner_id, metric, breakdown, value, prior_value, year_ago_value
    program: dict
    period: str
    prior: str = ""
    year_ago: str = ""
    unavailable: dict = field(default_factory=dict)   # metric -> reason (source table absent)
    catalogue: dict | None = None
    dataset: Any = None
    audience: str = ""
    stages: pd.Series | None = None          # partner_id -> stage this period
    prior_stages: pd.Series | None = None
    health: pd.DataFrame | None = None       # partner_id, health, reasons
    period_start: pd.Timestamp | None = None
    period_end: pd.Timestamp | None = None
    links: dict | None = None                # partner_id -> relative href
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def currency(self) -> str:
        return self.program.get("program", {}).get("currency", "USD")

    @property
    def reporting(self) -> dict:
        return reporting_plan(self.program)

    @property
    def threshold(self) -> float:
        return float(self.reporting.get("change_threshold", 0.02))

    @property
    def peer_minimum(self) -> int:
        return int(self.program.get("program", {}).get("peer_minimum", 5))

    def meta(self, metric: str):
        cat = self.catalogue if self.catalogue is not None else _catalogue()
        found = cat.get(metric)
        return found or SimpleNamespace(name=metric, label=metric.replace("_", " "), unit="count", good="up")


def _catalogue() -> dict:
    from .metrics import CATALOGUE
    return CATALOGUE


def reporting_plan(program: dict) -> dict:
    """The `reporting` section, checked: audiences (slug, name, objectives, use_cases), cadence."""
    from .params import check_keys
    plan = check_keys(program.get("reporting") or {}, REPORTING_KEYS, "program.yaml: reporting")
    for i, aud in enumerate(plan.get("audiences") or []):
        check_keys(aud, AUDIENCE_KEYS, f"program.yaml: reporting.audiences[{i}]")
        known = {str(o.get("id")) for o in program.get("objectives") or [] if isinstance(o, dict)}
        for oid in aud.get("objectives") or []:
            if known and str(oid) not in known:
                raise ParamsError(f"program.yaml: reporting.audiences[{i}].objectives: unknown objective "
                                  f"{oid!r} (known: {', '.join(sorted(known))})")
        for case in aud.get("use_cases") or []:
            if case not in USE_CASES:
                raise ParamsError(f"program.yaml: reporting.audiences[{i}].use_cases: "
                                  f"unknown use case {case!r} (allowed: {', '.join(USE_CASES)})")
    return plan


def audience(program: dict, slug: str) -> dict:
    """The audience with this slug; everyone (all objectives, all use cases) for ''."""
    if not slug:
        return {"slug": "", "name": "Everyone", "objectives": None, "use_cases": list(USE_CASES)}
    auds = reporting_plan(program).get("audiences") or []
    for aud in auds:
        if aud.get("slug") == slug:
            return {**aud, "objectives": aud.get("objectives") or None,
                    "use_cases": aud.get("use_cases") or list(USE_CASES)}
    known = ", ".join(a.get("slug", "") for a in auds) or "none defined"
    raise ParamsError(f"audience: unknown slug {slug!r}; expected one of reporting.audiences ({known})")


def objectives(program: dict, period: str = "") -> list[dict]:
    """The objectives (id, name, metric, target) that apply to `period` (`goals.measured_in`):
    those set for it and those without a period whose grain it has (quarter by default)."""
    from . import goals
    raw = program.get("objectives") or []
    if isinstance(raw, dict):
        raw = [{"id": k, **(v or {})} for k, v in raw.items()]
    return [o for o in raw if isinstance(o, dict) and o.get("metric")
            and (not period or goals.measured_in(o, period, fy_start_month(program)))]


# ---------------------------------------------------------------- reading the metric table

def is_programme(partner_id: pd.Series) -> pd.Series:
    """Programme-level rows: partner_id <NA> (or empty as in metrics.csv, or a stray NUL)."""
    return partner_id.isna() | partner_id.astype("string").fillna("").isin(["", "\0"])


def programme_rows(mt: pd.DataFrame) -> pd.DataFrame:
    """Programme-level rows without breakdown, indexed by metric."""
    return (mt.loc[is_programme(mt["partner_id"]) & (mt["breakdown"].fillna("") == "")]
              .drop_duplicates("metric").set_index("metric"))


def partner_rows(mt: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per partner for a metric (no breakdown), indexed by partner_id."""
    return (mt.loc[~is_programme(mt["partner_id"]) & (mt["breakdown"].fillna("") == "") & (mt["metric"] == metric)]
              .assign(partner_id=lambda d: d["partner_id"].astype(str))
              .drop_duplicates("partner_id").set_index("partner_id"))


def _get(rows: pd.DataFrame, metric: str, column: str = "value") -> float | None:
    if metric not in rows.index or column not in rows.columns:
        return None
    value = rows.at[metric, column]
    return None if numbers.is_missing(value) else float(value)


def plural(n: float, singular: str, plural_form: str | None = None) -> str:
    return singular if round(n) == 1 else (plural_form or singular + "s")


def trend(change: float | None, threshold: float) -> str:
    """'up', 'down' or 'flat' for a relative change; '' when undefined."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return ""
    if abs(change) < threshold:
        return "flat"
    return "up" if change > 0 else "down"


# ---------------------------------------------------------------- the executive summary

def summary(ctx: Context) -> Section:
    """Three to six sentences: revenue, win rate, logos and registrations, objectives, biggest change."""
    w = Writer(ctx, "summary")
    rows = programme_rows(ctx.metrics)
    for part in (_revenue_sentence, _win_rate_sentence, _logos_sentence, _objectives_sentence,
                 _biggest_change_sentence):
        sentence = part(w, rows)
        if sentence:
            w.say(sentence)
    w.paragraph()
    return w.section


def _revenue_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    revenue = _get(rows, "revenue")
    if revenue is None:
        return f"No revenue figure is available for {ctx.period}."
    if revenue == 0:
        head = f"No revenue was won through partners in {ctx.period}"
    else:
        head = f"Partner revenue was {w.num(revenue, 'money', 'revenue')} in {ctx.period}"
    clauses = [c for c in (_growth(w, rows, "revenue_growth_qoq", ctx.prior),
                           _growth(w, rows, "revenue_growth_yoy", ctx.year_ago)) if c]
    text = head + (", " + " and ".join(clauses) if clauses else "")
    goal = _goal_clause(w, rows, "revenue")
    return text + (goal or "") + "."


def _growth(w: Writer, rows: pd.DataFrame, metric: str, other: str) -> str:
    change = _get(rows, metric)
    if not other:
        return ""
    if change is None:
        return f"with no revenue in {other} to compare" if metric == "revenue_growth_qoq" else ""
    direction = trend(change, w.ctx.threshold)
    if direction == "flat":
        return f"flat on {other}"
    return f"{direction} {w.num(abs(change), 'rate', metric, kind='change')} on {other}"


def _goal_clause(w: Writer, rows: pd.DataFrame, metric: str) -> str:
    goal = next((o for o in objectives(w.ctx.program, w.ctx.period) if o["metric"] == metric and o.get("target")), None)
    value = _get(rows, metric)
    if goal is None or value is None:
        return ""
    unit = w.ctx.meta(metric).unit
    share = attainment(value, float(goal["target"]), w.ctx.meta(metric).good)
    return (f": {w.num(share, 'rate', metric, kind='attainment')} of the "
            f"{w.num(goal['target'], unit, metric, kind='target')} goal")


def attainment(value: float, target: float, good: str = "up") -> float | None:
    """Share of the target reached; for 'down' metrics, target over value."""
    if good == "down":
        return None if value == 0 else target / value
    return None if target == 0 else value / target


def _win_rate_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    closed, won, rate = _get(rows, "opportunities_closed"), _get(rows, "deals_won"), _get(rows, "win_rate")
    if not closed or rate is None:
        return f"No partner deals were closed in {ctx.period}, so there is no win rate."
    text = (f"The win rate was {w.num(rate, 'rate', 'win_rate')} "
            f"({w.num(won or 0, 'count', 'deals_won')} of {w.num(closed, 'count', 'opportunities_closed')} "
            f"closed {plural(closed, 'deal')} won)")
    prior = _get(rows, "win_rate", "prior_value")
    if prior is None or not ctx.prior:
        return text + "."
    direction = trend(rate - prior, ctx.threshold)
    if direction == "flat":
        return text + f", about the same as in {ctx.prior}."
    return text + f", {direction} from {w.num(prior, 'rate', 'win_rate', period=ctx.prior, kind='prior')} in {ctx.prior}."


def _logos_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    logos = _get(rows, "new_logos") or 0
    first = ("Partners brought in no new logos" if logos == 0 else
             f"Partners brought in {w.num(logos, 'count', 'new_logos')} new {plural(logos, 'logo')}")
    if "deals_registered" in ctx.unavailable:
        return first + "; no deal registration data was supplied."
    regs = _get(rows, "deals_registered") or 0
    if regs == 0:
        return first + f", and no deal registrations were recorded in {ctx.period}."
    return (first + f" and submitted {w.num(regs, 'count', 'deals_registered')} "
            f"deal {plural(regs, 'registration')}.")


def objective_scores(ctx: Context, only: list | None = None) -> pd.DataFrame:
    """Objectives with their programme value, target and attainment (NaN when undefined), the
    unit to show them in and, for a derived measure with no value, why (`goals.measure_objective`)."""
    from . import goals
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
        share = (attainment(value, float(target), ctx.meta(o["metric"]).good)
                 if value is not None and target else None)
        records.append({"id": o.get("id"), "name": o.get("name") or o.get("id"), "metric": o["metric"],
                        "value": value, "target": target, "attainment": share,
                        "unit": ctx.meta(o["metric"]).unit, "reason": ""})
    return pd.DataFrame(records, columns=["id", "name", "metric", "value", "target", "attainment", "unit", "reason"])


def _derived_score(ctx: Context, objective: dict) -> dict:
    """channel_roi, cost_of_sales, market_share from partner revenue and the objective's inputs."""
    from . import goals
    metric, target = objective["metric"], objective.get("target")
    table = ctx.metrics if "period" in ctx.metrics else ctx.metrics.assign(period=ctx.period)
    value, reason = goals.measure_objective(table, objective, ctx.period, fy_start_month(ctx.program))
    share = goals.share_of_target(value, float(target), metric) if target else None
    return {"id": objective.get("id"), "name": objective.get("name") or objective.get("id"), "metric": metric,
            "value": None if numbers.is_missing(value) else value, "target": target,
            "attainment": None if numbers.is_missing(share) else share,
            "unit": goals.unit_of(metric), "reason": reason}


def _objectives_sentence(w: Writer, rows: pd.DataFrame) -> str:
    aud = audience(w.ctx.program, w.ctx.audience)
    scores = objective_scores(w.ctx, aud.get("objectives")).dropna(subset=["attainment"])
    if scores.empty:
        return ""
    scores = scores.sort_values("attainment", ascending=False, kind="stable")
    best, worst = scores.iloc[0], scores.iloc[-1]
    if len(scores) == 1:
        return (f"The one objective with data, {best['name']}, is at "
                f"{w.num(best['attainment'], 'rate', best['metric'], kind='attainment')} of target.")
    return (f"The strongest objective is {best['name']} at "
            f"{w.num(best['attainment'], 'rate', best['metric'], kind='attainment')} of target; "
            f"the weakest is {worst['name']} at "
            f"{w.num(worst['attainment'], 'rate', worst['metric'], kind='attainment')}.")


def biggest_change(ctx: Context, exclude: tuple = ()) -> pd.Series | None:
    """The programme metric (count or money) that changed most since the prior period."""
    rows = programme_rows(ctx.metrics).reset_index()
    units = rows["metric"].map(lambda m: ctx.meta(m).unit)
    cand = (rows.loc[units.isin(["count", "money"]) & ~rows["metric"].isin(exclude)]
                .dropna(subset=["value", "prior_value"])
                .loc[lambda d: d["prior_value"] > 0]
                .assign(change=lambda d: (d["value"] - d["prior_value"]) / d["prior_value"])
                .loc[lambda d: d["change"].abs() >= ctx.threshold])
    if cand.empty:
        return None
    return cand.loc[cand["change"].abs().sort_values(ascending=False, kind="stable").index[0]]


def _biggest_change_sentence(w: Writer, rows: pd.DataFrame) -> str:
    ctx = w.ctx
    if not ctx.prior:
        return ""
    skip = ("revenue", "deals_won", "opportunities_closed", "new_logos", "deals_registered", *GROWTH)
    row = biggest_change(ctx, skip)
    if row is None:
        return ""
    meta = ctx.meta(row["metric"])
    direction = "up" if row["change"] > 0 else "down"
    return (f"The biggest change since {ctx.prior} was in {_lower(meta.label)}: "
            f"{w.num(row['value'], meta.unit, row['metric'])}, {direction} from "
            f"{w.num(row['prior_value'], meta.unit, row['metric'], period=ctx.prior, kind='prior')} "
            f"({w.num(row['change'], 'rate', row['metric'], kind='change', signed=True)}).")


# ---------------------------------------------------------------- from a workbook

def context(wb, audience: str = "") -> Context:
    """The story's context from an opened Workbook: metric table, stages, health, links."""
    from . import lifecycle, metrics
    period = wb.period
    plan = globals()["audience"](wb.program, audience)  # checks the slug early
    stages = getattr(wb, "stages", None)
    if stages is None:
        stages = lifecycle.stage_at(wb.dataset, wb.program, period)
    health = getattr(wb, "health", None)
    if health is None:
        health = lifecycle.health(wb.dataset, wb.metrics, wb.program, period)
    return Context(metrics=wb.metrics, program=wb.program, period=period.name,
                   prior=period.prior().name, year_ago=period.year_ago().name,
                   unavailable=metrics.unavailable(wb.dataset), catalogue=metrics.CATALOGUE,
                   dataset=wb.dataset, audience=plan["slug"], stages=stages,
                   prior_stages=lifecycle.stage_at(wb.dataset, wb.program, period.prior()),
                   health=health, period_start=period.start, period_end=period.end,
                   links=getattr(wb, "reports", None))


def title(ctx: Context) -> Section:
    """The title block: programme, period, audience."""
    aud = audience(ctx.program, ctx.audience)
    name = ctx.program.get("program", {}).get("name", "Partner programme")
    for_whom = f" for {aud['name']}" if ctx.audience else ""
    section = Section("title")
    section.html.append(f"<h1>{_e(name)}: the story of {_e(ctx.period)}{_e(for_whom)}</h1>")
    section.html.append("<p>What happened in the partner programme this period, written from "
                        "the numbers for the people who lead it.</p>")
    return section


# ---------------------------------------------------------------- helpers for partner sections

def partner_link(partner_id: str, ids=None) -> str:
    """The relative link to a partner's report, `partners/<file>.html`, named as the runner
    names it (render.html.file_names): the id when it is safe (letters, digits, '-', '_',
    unique ignoring case), else a slug of it plus a short hash. `ids`: every partner id."""
    ids = [str(i) for i in (ids if ids is not None else [partner_id])]
    return f"partners/{file_names(ids if str(partner_id) in ids else [*ids, str(partner_id)])[str(partner_id)]}.html"


def _names(ctx: Context) -> dict:
    if ctx.dataset is None:
        return {}
    if "names" not in ctx.cache:
        partners = ctx.dataset["partners"]
        ctx.cache["names"] = dict(zip(partners["partner_id"].astype(str), partners["name"].astype(str)))
    return ctx.cache["names"]


def _partner_html(ctx: Context, partner_id: str) -> str:
    """The partner's name, linked to its report. `ctx.links` (set by a batch run) holds the
    reports that run publishes or already had: a partner without one is named, not linked."""
    pid = str(partner_id)
    name = _names(ctx).get(pid, pid)
    if ctx.links is not None:
        href = ctx.links.get(pid)
    else:                                      # outside a batch run: every partner's report
        if "links" not in ctx.cache:
            ctx.cache["links"] = {i: f"partners/{stem}.html" for i, stem in file_names(list(_names(ctx))).items()}
        href = ctx.cache["links"].get(pid) or partner_link(pid)
    return f'<a href="{_e(href)}">{_e(name)}</a>' if href else _e(name)


def _list_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _in_period(ctx: Context, dates: pd.Series) -> pd.Series:
    if ctx.period_start is None or ctx.period_end is None:
        return pd.Series(True, index=dates.index)
    return (dates >= ctx.period_start) & (dates <= ctx.period_end)


def _absent(ctx: Context, table: str) -> bool:
    return ctx.dataset is None or not ctx.dataset.has(table)


# ---------------------------------------------------------------- objectives

def objectives_section(ctx: Context) -> Section:
    """The audience's objectives: value, target, share of target, one line each."""
    w = Writer(ctx, "objectives")
    aud = audience(ctx.program, ctx.audience)
    scores = objective_scores(ctx, aud.get("objectives"))
    if scores.empty:
        w.block(_p(f"No business objective with a measure in the metric table is set for {ctx.period} "
                   "in the programme parameters."))
        return w.section
    items = []
    for row in scores.to_dict("records"):
        unit = row["unit"]
        if (row["value"] is None or numbers.is_missing(row["value"])) and not row["reason"]:
            reason = ctx.unavailable.get(row["metric"], f"no value for {ctx.period}")
            items.append(_e(f"{row['name']}: {reason}."))
            continue
        text = f"{row['name']}: {w.num(row['value'], unit, row['metric'], reason=row['reason'])}"
        if row["target"] and not numbers.is_missing(row["target"]):
            text += f" against a target of {w.num(row['target'], unit, row['metric'], kind='target')}"
            if row["attainment"] is not None and not numbers.is_missing(row["attainment"]):
                text += f" ({w.num(row['attainment'], 'rate', row['metric'], kind='attainment')} of target)"
        items.append(_e(text + "."))
    w.block(_list_html(items))
    return w.section


# ---------------------------------------------------------------- leading explains lagging

def association(frame: pd.DataFrame, minimum: int) -> dict | None:
    """frame: partner_id, group (bool), outcome. Mean outcome in each group and the
    difference; None when either group has fewer than `minimum` partners."""
    yes, no = frame.loc[frame["group"], "outcome"], frame.loc[~frame["group"], "outcome"]
    if len(yes) < minimum or len(no) < minimum:
        return None
    a, b = float(yes.mean()), float(no.mean())
    return {"n_yes": len(yes), "n_no": len(no), "mean_yes": a, "mean_no": b,
            "difference": a - b, "ratio": a / b if b > 0 else None}


def why(ctx: Context) -> Section:
    """Which leading activities went with revenue: certified vs not, registrations last
    period (top half vs bottom half) against revenue this period. Associations only."""
    w = Writer(ctx, "why")
    revenue = partner_rows(ctx.metrics, "revenue")["value"].fillna(0.0)
    found = [s for s in (_certified(w, revenue), _registrations(w, revenue)) if s]
    for sentence in found:
        w.say(sentence)
    if found:
        w.say("These are associations across partners, not proof that one causes the other.")
    else:
        w.say("There are too few partners in the groups to compare leading activity with revenue this period.")
    w.paragraph()
    return w.section


def _certified(w: Writer, revenue: pd.Series) -> str:
    ctx = w.ctx
    if _absent(ctx, "engagements") or revenue.empty:
        return ""
    eng = ctx.dataset["engagements"]
    before = eng["occurred_on"] < ctx.period_start if ctx.period_start is not None else True
    certified = set(eng.loc[(eng["kind"] == "certification") & before, "partner_id"].astype(str))
    frame = pd.DataFrame({"group": revenue.index.isin(certified), "outcome": revenue.to_numpy()})
    stats = association(frame, ctx.peer_minimum)
    if stats is None:
        return ""
    return _comparison(w, stats, f"certified before {ctx.period}", "without a certification",
                       f"certified before {ctx.period}", "not certified")


def _registrations(w: Writer, revenue: pd.Series) -> str:
    ctx = w.ctx
    if "deals_registered" in ctx.unavailable or not ctx.prior:
        return ""
    regs = partner_rows(ctx.metrics, "deals_registered")["prior_value"].reindex(revenue.index).fillna(0.0)
    ranked = regs.sort_values(ascending=False, kind="stable")
    top = set(ranked.index[: len(ranked) // 2])
    frame = pd.DataFrame({"group": revenue.index.isin(top), "outcome": revenue.to_numpy()})
    stats = association(frame, ctx.peer_minimum)
    if stats is None or ranked.iloc[0] == 0:
        return ""
    return _comparison(w, stats, f"in the top half for deal registrations in {ctx.prior}", "in the bottom half",
                       f"top half of deal registrations in {ctx.prior}", "bottom half")


def _comparison(w: Writer, s: dict, yes: str, no: str, scope_yes: str, scope_no: str) -> str:
    ctx = w.ctx
    text = (f"The {w.num(s['n_yes'], 'count', 'partners', scope=scope_yes, kind='group')} partners {yes} "
            f"won {w.num(s['mean_yes'], 'money', 'revenue', scope=scope_yes, kind='group_mean')} each on average "
            f"in {ctx.period}, against {w.num(s['mean_no'], 'money', 'revenue', scope=scope_no, kind='group_mean')} "
            f"for the {w.num(s['n_no'], 'count', 'partners', scope=scope_no, kind='group')} {no}")
    if s["ratio"] is not None and s["difference"] > 0:
        return text + f": {w.num(s['ratio'], 'ratio', 'revenue', scope=scope_yes, kind='ratio')} times as much."
    if s["difference"] > 0:
        return text + "."
    return text + ", so this activity did not go with more revenue."


# ---------------------------------------------------------------- portfolio

def portfolio_section(ctx: Context) -> Section:
    """Funnel by stage, stage moves, biggest movers, partners at risk, attrition, best-fit profile."""
    from . import portfolio
    w = Writer(ctx, "portfolio")
    if ctx.stages is not None:
        _funnel(w, portfolio.funnel(ctx.stages), portfolio)
    _movers(w, *portfolio.movers(ctx.metrics, int(ctx.reporting.get("movers", 3))))
    _risk(w, portfolio.at_risk(ctx.health))
    _profile(w, portfolio)
    return w.section


def _funnel(w: Writer, frame: pd.DataFrame, portfolio) -> None:
    ctx = w.ctx
    active = frame.loc[frame["stage"] != "churned"]
    parts = [f"{w.num(r.partners, 'count', 'partners', scope=f'stage={r.stage}', kind='group')} in {r.stage}"
             for r in active.itertuples() if r.partners]
    if parts:
        w.block(_p("Partners by stage at the end of " + ctx.period + ": " + ", ".join(parts) + "."))
        w.block(_figure(_plot_funnel(active), "Partners by lifecycle stage: " + ", ".join(parts)))
    if ctx.prior_stages is None:
        return
    moved = portfolio.moves(ctx.prior_stages, ctx.stages)
    sums = moved.groupby("direction")["partners"].sum()
    bits = [f"{w.num(sums[d], 'count', 'partners', scope=f'moved {d}', kind='group')} {label}"
            for d, label in (("forward", "moved forward a stage"), ("back", "moved back"),
                             ("joined", "joined"), ("churned", "left the programme")) if sums.get(d, 0)]
    w.block(_p(f"Since {ctx.prior}: " + "; ".join(bits) + "." if bits else f"No partner changed stage since {ctx.prior}."))
    attr = _get(programme_rows(ctx.metrics), "partner_attrition_rate")
    if attr is not None:
        w.block(_p(f"Attrition in {ctx.period} was {w.num(attr, 'rate', 'partner_attrition_rate')} of active partners."))


def _movers(w: Writer, up: pd.DataFrame, down: pd.DataFrame) -> None:
    ctx = w.ctx
    for frame, word in ((up, "up"), (down, "down")):
        if frame.empty:
            continue
        items = [f"{_partner_html(ctx, r.partner_id)}: "
                 + _e(f"{w.num(r.value, 'money', 'revenue', scope=f'partner:{r.partner_id}')}, "
                      f"from {w.num(r.prior_value, 'money', 'revenue', scope=f'partner:{r.partner_id}', period=ctx.prior, kind='prior')}")
                 for r in frame.itertuples()]
        w.block(_p(f"Biggest movers {word} in revenue since {ctx.prior}:") + _list_html(items))


def _risk(w: Writer, risk: pd.DataFrame) -> None:
    ctx = w.ctx
    if ctx.health is None:
        return
    if risk.empty:
        w.block(_p(f"No partner is at risk in {ctx.period}."))
        return
    n = len(risk)
    w.block(_p(f"{w.num(n, 'count', 'partners', scope='health=at risk', kind='group').capitalize()} "
               f"{plural(n, 'partner is', 'partners are')} at risk:")
            + _list_html([f"{_partner_html(ctx, r.partner_id)}: {_e(_reason(w, r))}" for r in risk.itertuples()]))


def _reason(w: Writer, row) -> str:
    """The health rule's reasons, recorded as they are shown (they quote the rule's numbers)."""
    w.section.facts.append(Fact("health", w.ctx.period, f"partner:{row.partner_id}", None, str(row.reasons), "reason"))
    return str(row.reasons)


def best_fit(ctx: Context) -> tuple[dict, pd.DataFrame] | None:
    """The profile of the top partners by revenue and the early-stage partners matching it;
    None without enough top partners (program.peer_minimum) or without stages."""
    if "best_fit" not in ctx.cache:
        ctx.cache["best_fit"] = _best_fit(ctx)
    return ctx.cache["best_fit"]


def _best_fit(ctx: Context):
    from . import portfolio
    if ctx.dataset is None or ctx.stages is None:
        return None
    top = portfolio.top_partners(ctx.metrics, minimum=ctx.peer_minimum)
    if len(top) < ctx.peer_minimum:
        return None
    opps = ctx.dataset["opportunities"]
    prof = portfolio.profile(ctx.dataset["partners"], top, opps.loc[_in_period(ctx, opps["closed_on"])], ctx.metrics)
    return prof, portfolio.lookalikes(ctx.dataset["partners"], ctx.stages, prof)


def _profile(w: Writer, portfolio) -> None:
    ctx = w.ctx
    found = best_fit(ctx)
    if found is None:
        return
    prof, like = found
    scope = "top partners by revenue"
    text = (f"The {w.num(prof['partners'], 'count', 'partners', scope=scope, kind='group')} partners with the most revenue "
            f"are most often {prof['tier']} ({w.num(prof['tier_share'], 'rate', 'partners', scope=scope, kind='share')}) "
            f"and in {prof['region']} ({w.num(prof['region_share'], 'rate', 'partners', scope=scope, kind='share')})")
    if prof["segments"]:
        seg, share = next(iter(prof["segments"].items()))
        text += f"; {w.num(share, 'rate', 'revenue', scope=scope + f', segment={seg}', kind='share')} of their won revenue is {seg}"
    w.block(_p(text + "."))
    if not like.empty:
        w.block(_p(f"Early-stage partners with the same profile ({prof['tier']}, {prof['region']}):")
                + _list_html([f"{_partner_html(ctx, r.partner_id)} ({_e(r.stage)})" for r in like.head(8).itertuples()]))


# ---------------------------------------------------------------- the partners' voice

def voices(ctx: Context) -> Section:
    """Stories, portal posts and survey comments of the period, quoted with attribution,
    favouring the biggest movers and the partners at risk; the partner NPS and its trend."""
    w = Writer(ctx, "voices")
    _nps(w)
    quotes = _quotes(ctx)
    if quotes is None:
        w.block(_p("No stories or survey comments were supplied."))
    elif quotes.empty:
        w.block(_p(f"No stories, portal posts or survey comments were recorded in {ctx.period}."))
    else:
        w.block('<div class="pb-quotes">' + "".join(
            f"<blockquote><p>{_e(q.text)}</p><footer>{_e(q.who)}</footer></blockquote>"
            for q in quotes.itertuples()) + "</div>")
    return w.section


def _nps(w: Writer) -> None:
    ctx = w.ctx
    if "partner_nps" in ctx.unavailable or _absent(ctx, "surveys"):
        w.block(_p("No partner survey data was supplied."))
        return
    rows = programme_rows(ctx.metrics)
    nps, prior = _get(rows, "partner_nps"), _get(rows, "partner_nps", "prior_value")
    answers = _get(rows, "survey_responses") or 0
    if nps is None or not answers:
        text = f"No partner answered the survey in {ctx.period}"
        prior_answers = _get(rows, "survey_responses", "prior_value")
        if prior is not None and prior_answers and ctx.prior:
            text += (f"; in {ctx.prior} the partner NPS was "
                     f"{w.num(prior, 'points', 'partner_nps', period=ctx.prior, kind='prior')} from "
                     f"{w.num(prior_answers, 'count', 'survey_responses', period=ctx.prior, kind='prior')} "
                     f"{plural(prior_answers, 'answer')}")
        w.block(_p(text + "."))
        return
    text = (f"Partner NPS was {w.num(nps, 'points', 'partner_nps')} from "
            f"{w.num(answers, 'count', 'survey_responses')} {plural(answers, 'answer')}")
    if prior is not None and ctx.prior:
        move = nps - prior
        word = "flat on" if abs(move) < 100 * ctx.threshold else ("up from" if move > 0 else "down from")
        text += (f", {word} {w.num(prior, 'points', 'partner_nps', period=ctx.prior, kind='prior')} in {ctx.prior}"
                 if word != "flat on" else f", about the same as in {ctx.prior}")
    w.block(_p(text + "."))


def _quotes(ctx: Context) -> pd.DataFrame | None:
    """text, who, rank: the period's quotes, relevant first (mover or at-risk partner, then newest)."""
    if _absent(ctx, "stories") and _absent(ctx, "surveys"):
        return None
    from . import portfolio
    up, down = portfolio.movers(ctx.metrics, int(ctx.reporting.get("movers", 3)))
    focus = set(up["partner_id"]) | set(down["partner_id"]) | set(portfolio.at_risk(ctx.health)["partner_id"])
    names = _names(ctx)
    frames = []
    if not _absent(ctx, "stories"):
        s = ctx.dataset["stories"]
        frames.append(pd.DataFrame({"partner_id": s["partner_id"].astype("string"), "on": s["told_on"],
                                    "text": s["text"].astype(str), "author": s["author"].astype(str),
                                    "kind": s["kind"].astype(str)}))
    if not _absent(ctx, "surveys"):
        v = ctx.dataset["surveys"].dropna(subset=["comment"])
        frames.append(pd.DataFrame({"partner_id": v["partner_id"].astype("string"), "on": v["answered_on"],
                                    "text": v["comment"].astype(str), "author": v["respondent"].astype(str),
                                    "kind": "survey comment"}))
    quotes = pd.concat(frames, ignore_index=True).loc[lambda d: _in_period(ctx, d["on"])]
    quotes = quotes.loc[quotes["text"].str.strip() != ""]
    if quotes.empty:
        return quotes.assign(who=pd.Series(dtype=str))
    return (quotes.assign(focus=quotes["partner_id"].astype(str).isin(focus),
                          who=[_attribution(r, names) for r in quotes.itertuples()])
                  .sort_values(["focus", "on"], ascending=[False, False], kind="stable")
                  .head(int(ctx.reporting.get("voices", 4))))


def _attribution(row, names: dict) -> str:
    partner = names.get(str(row.partner_id), "") if not pd.isna(row.partner_id) else "the programme"
    day = row.on.strftime("%Y-%m-%d") if not pd.isna(row.on) else ""
    kind = str(row.kind).replace("_", " ")
    partner = "" if partner and partner in str(row.author) else partner
    return "— " + ", ".join(x for x in (row.author, partner, f"{kind} {day}".strip()) if x)


# ---------------------------------------------------------------- use cases

USE_CASE_METRICS = {   # use case -> (main metric, second metric, source table, title)
    "deal_registration": ("deals_registered", "registered_pipeline", "deal_registrations", "Deal registration"),
    "lead_distribution": ("leads_distributed", "lead_conversion_rate", "leads", "Lead distribution"),
    "mdf": ("mdf_claimed", "mdf_approved", "mdf", "Market development funds"),
    "training": ("trainings_attended", "certifications", "engagements", "Training"),
    "onboarding": ("business_plans", "active_portal_users", "business_plans", "Onboarding"),
}


def use_cases(ctx: Context) -> Section:
    """One chart and one sentence per use case of the audience, only where there is data."""
    w = Writer(ctx, "use_cases")
    rows = programme_rows(ctx.metrics)
    missing = []
    for case in audience(ctx.program, ctx.audience)["use_cases"]:
        main, second, table, title = USE_CASE_METRICS[case]
        value = _get(rows, main)
        if main in ctx.unavailable or value is None:
            missing.append(title.lower())
            continue
        sentence = _use_case_sentence(w, rows, main, second)
        w.block(f"<h3>{_e(title)}</h3>" + _p(sentence))
        w.block(_figure(_plot_periods(_period_values(ctx, rows, main), ctx.meta(main)), sentence))
    if missing:
        w.block(_p("No data was supplied for " + ", ".join(missing) + "."))
    return w.section


def _period_values(ctx: Context, rows: pd.DataFrame, metric: str) -> list[tuple[str, float]]:
    pairs = [(ctx.year_ago, "year_ago_value"), (ctx.prior, "prior_value"), (ctx.period, "value")]
    return [(name, _get(rows, metric, col)) for name, col in pairs if name and _get(rows, metric, col) is not None]


def _use_case_sentence(w: Writer, rows: pd.DataFrame, main: str, second: str) -> str:
    ctx = w.ctx
    meta = ctx.meta(main)
    value, prior = _get(rows, main), _get(rows, main, "prior_value")
    text = f"{meta.label} in {ctx.period}: {w.num(value, meta.unit, main)}"
    if prior is not None and ctx.prior:
        change = (value - prior) / prior if prior else None
        direction = trend(change, ctx.threshold) if change is not None else ("up" if value > 0 else "flat")
        text += (f", about the same as in {ctx.prior}" if direction == "flat" else
                 f", {direction} from {w.num(prior, meta.unit, main, period=ctx.prior, kind='prior')} in {ctx.prior}")
    other = _get(rows, second)
    if second not in ctx.unavailable and other is not None:
        m2 = ctx.meta(second)
        text += f"; {_lower(m2.label)}: {w.num(other, m2.unit, second)}"
    return text + "."


def _plot_periods(values: list[tuple[str, float]], meta, *, ax=None):
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 2.4))
    labels = [v[0] for v in values]
    ax.bar(labels, [v[1] for v in values], color=["#b8c4d6"] * (len(values) - 1) + ["#2a5b9b"])
    ax.set_title(meta.label, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.set_major_formatter(lambda v, _: _format(v, meta.unit, "USD") if meta.unit != "money"
                                 else numbers.money(v, compact=True))
    return ax


def _plot_funnel(frame: pd.DataFrame, *, ax=None):
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 2.4))
    ax.barh(frame["stage"][::-1], frame["partners"][::-1], color="#2a5b9b")
    ax.set_xlabel("partners")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _figure(ax, alt: str) -> str:
    from .display import figure
    return figure(ax.figure, alt=alt).data


# ---------------------------------------------------------------- next steps

def next_steps(ctx: Context) -> Section:
    """Actions from rules: key-tier partners without an active plan, partners at risk,
    lookalikes to enable, selling partners without a certification, the weakest objective."""
    w = Writer(ctx, "next_steps")
    steps = [s for s in (_plan_step(w), _risk_step(w), _lookalike_step(w), _certify_step(w),
                         _objective_step(w)) if s]
    w.block(_list_html(steps) if steps else _p("No follow-up is flagged this period."))
    return w.section


def _active(ctx: Context) -> pd.Series:
    if ctx.stages is None:
        return pd.Series(dtype="string")
    return ctx.stages.astype("string").loc[lambda s: ~s.isin(["churned", "recruit"])]


def _plan_step(w: Writer) -> str:
    ctx = w.ctx
    tiers = ctx.reporting.get("plan_tiers") or []
    if _absent(ctx, "business_plans") or not tiers or ctx.stages is None:
        return ""
    partners = ctx.dataset["partners"].assign(partner_id=lambda d: d["partner_id"].astype(str))
    plans = ctx.dataset["business_plans"]
    with_plan = set(plans.loc[plans["status"] == "active", "partner_id"].astype(str))
    steps = []
    for tier in tiers:
        who = partners.loc[(partners["tier"] == tier) & partners["partner_id"].isin(_active(ctx).index.astype(str))
                           & ~partners["partner_id"].isin(with_plan)]
        if len(who):
            steps.append(f"{w.num(len(who), 'count', 'partners', scope=f'tier={tier}, no active plan', kind='group')} "
                         f"{tier} {plural(len(who), 'partner has', 'partners have')} no active joint business plan: "
                         "agree one with each.")
    return _e(" ".join(steps))


def _risk_step(w: Writer) -> str:
    from . import portfolio
    risk = portfolio.at_risk(w.ctx.health)
    if risk.empty:
        return ""
    if len(risk) == 1:
        return (f"Review the partner at risk, {_partner_html(w.ctx, risk['partner_id'].iloc[0])}, "
                "with its account manager.")
    return _e(f"Review the {w.num(len(risk), 'count', 'partners', scope='health=at risk', kind='group')} "
              "partners at risk with their account managers.")


def _lookalike_step(w: Writer) -> str:
    found = best_fit(w.ctx)
    like = found[1] if found else None
    if like is None or like.empty:
        return ""
    if len(like) == 1:
        return (f"Prioritise enablement for {_partner_html(w.ctx, like['partner_id'].iloc[0])}, an early-stage "
                "partner that matches the profile of the best partners.")
    n = w.num(len(like), 'count', 'partners', scope='early stage like top partners', kind='group')
    return _e(f"Prioritise enablement for the {n} early-stage partners that match the profile of the best partners.")


def _certify_step(w: Writer) -> str:
    ctx = w.ctx
    if _absent(ctx, "engagements") or ctx.stages is None:
        return ""
    eng = ctx.dataset["engagements"]
    certified = set(eng.loc[eng["kind"] == "certification", "partner_id"].astype(str))
    selling = ctx.stages.astype("string").loc[lambda s: s.isin(["sell", "grow"])].index.astype(str)
    n = len(set(selling) - certified)
    if not n:
        return ""
    return _e(f"{w.num(n, 'count', 'partners', scope='sell or grow, never certified', kind='group')} selling "
              f"{plural(n, 'partner has', 'partners have')} no certification yet: invite "
              f"{plural(n, 'it', 'them')} to the next one.")


def _objective_step(w: Writer) -> str:
    aud = audience(w.ctx.program, w.ctx.audience)
    scores = objective_scores(w.ctx, aud.get("objectives")).dropna(subset=["attainment"])
    behind = scores.loc[scores["attainment"] < 1].sort_values("attainment", kind="stable")
    if behind.empty:
        return ""
    row = behind.iloc[0]
    return _e(f"{row['name']} is furthest behind "
              f"({w.num(row['attainment'], 'rate', row['metric'], kind='attainment')} of target): "
              "review the channel goals that support it.")
