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

FACTS_MIME = "application/vnd.partnerbook.facts+json"
PROGRAMME = "programme"
USE_CASES = ("deal_registration", "lead_distribution", "mdf", "training", "onboarding")
REPORTING_KEYS = ("cadence", "change_threshold", "audiences", "voices", "movers", "plan_tiers")
AUDIENCE_KEYS = ("slug", "name", "objectives", "use_cases")
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


class Writer:
    """Formats numbers for sentences and records each one as a Fact."""

    def __init__(self, ctx: "Context", key: str) -> None:
        self.ctx, self.section = ctx, Section(key)

    def num(self, value: Any, unit: str, metric: str, *, period: str = "", scope: str = PROGRAMME,
            kind: str = "value", signed: bool = False) -> str:
        text = _format(value, unit, self.ctx.currency, signed=signed)
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


def _format(value: Any, unit: str, currency: str, *, signed: bool = False) -> str:
    if unit == "rate":
        return numbers.percent(value, signed=signed)
    if unit == "ratio":
        return f"{float(value):.1f}"
    return numbers.by_unit(value, unit, currency)


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


def objectives(program: dict) -> list[dict]:
    """The objectives (id, name, metric, target) as a list, whichever YAML shape they use."""
    raw = program.get("objectives") or []
    if isinstance(raw, dict):
        raw = [{"id": k, **(v or {})} for k, v in raw.items()]
    return [o for o in raw if isinstance(o, dict) and o.get("metric")]


# ---------------------------------------------------------------- reading the metric table

def programme_rows(mt: pd.DataFrame) -> pd.DataFrame:
    """Programme-level rows without breakdown, indexed by metric."""
    return (mt.loc[mt["partner_id"].isna() & (mt["breakdown"].fillna("") == "")]
              .drop_duplicates("metric").set_index("metric"))


def partner_rows(mt: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per partner for a metric (no breakdown), indexed by partner_id."""
    return (mt.loc[mt["partner_id"].notna() & (mt["breakdown"].fillna("") == "") & (mt["metric"] == metric)]
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
    goal = next((o for o in objectives(w.ctx.program) if o["metric"] == metric and o.get("target")), None)
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
    """Objectives with their programme value, target and attainment (NaN when undefined)."""
    rows = programme_rows(ctx.metrics)
    records = []
    for o in objectives(ctx.program):
        if only is not None and o.get("id") not in only:
            continue
        value, target = _get(rows, o["metric"]), o.get("target")
        share = (attainment(value, float(target), ctx.meta(o["metric"]).good)
                 if value is not None and target else None)
        records.append({"id": o.get("id"), "name": o.get("name") or o.get("id"), "metric": o["metric"],
                        "value": value, "target": target, "attainment": share})
    return pd.DataFrame(records, columns=["id", "name", "metric", "value", "target", "attainment"])


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
    return (f"The biggest change since {ctx.prior} was in {meta.label.lower()}: "
            f"{w.num(row['value'], meta.unit, row['metric'])}, {direction} from "
            f"{w.num(row['prior_value'], meta.unit, row['metric'], period=ctx.prior, kind='prior')} "
            f"({w.num(row['change'], 'rate', row['metric'], kind='change', signed=True)}).")


# ---------------------------------------------------------------- from a workbook

def context(wb, audience: str = "") -> Context:
    """The story's context from an opened Workbook: metric table, stages, health, links."""
    from . import metrics
    period = wb.period
    audience_plan = globals()["audience"](wb.program, audience)  # checks the slug early
    return Context(metrics=wb.metrics, program=wb.program, period=period.name,
                   prior=period.prior().name, year_ago=period.year_ago().name,
                   unavailable=metrics.unavailable(wb.dataset), catalogue=metrics.CATALOGUE,
                   dataset=wb.dataset, audience=audience_plan["slug"],
                   period_start=period.start, period_end=period.end)


def title(ctx: Context) -> Section:
    """The title block: programme, period, audience."""
    aud = audience(ctx.program, ctx.audience)
    name = ctx.program.get("program", {}).get("name", "Partner programme")
    for_whom = f" for {aud['name']}" if ctx.audience else ""
    section = Section("title")
    section.html.append(f"<h1>{_e(name)}: the story of {_e(ctx.period)}{_e(for_whom)}</h1>")
    return section
