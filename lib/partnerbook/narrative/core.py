"""The story's core: facts, sections, the writer, the context, reading the metric table.

The stakeholder story: sentences written from the metric table, each number recorded.

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
import re
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

import pandas as pd
from babel.lists import format_list

from .. import goals, i18n, numbers, periods, programme
from ..tables import stage_label
from ..i18n import _
from ..errors import ParamsError
from ..params import fy_start_month
from ..paths import file_names
from ..programme.reporting import AUDIENCE_KEYS, REPORTING_KEYS  # noqa: F401 - narrative.core.REPORTING_KEYS...
from ..programme.reporting import STORY_SECTIONS as SECTION_KEYS  # noqa: F401 - the story's sections
from ..usecases import NAMES as USE_CASES

FACTS_MIME = "application/vnd.partnerbook.facts+json"
PROGRAMME = "programme"
GROWTH = ("revenue_growth_qoq", "revenue_growth_yoy")


# ---------------------------------------------------------------- facts and sections


@dataclass(frozen=True)
class Fact:
    """One number shown to a reader and where it came from."""

    metric: str
    period: str
    scope: str  # "programme", "partner:<id>", or a group such as "certified partners"
    value: float | None
    text: str  # exactly as shown
    kind: str = "value"  # value, prior, year_ago, change, target, attainment, group, difference


@dataclass
class Section:
    """A part of the story: HTML blocks and the facts behind their numbers."""

    key: str
    html: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    ctx: Any = field(default=None, repr=False, compare=False)  # set by Writer: numbers are marked on the page
    _shown: dict | None = field(default=None, init=False, repr=False, compare=False)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.bundle()

    def bundle(self) -> dict:
        """The section as the page shows it, worked out once (a finished section). `plan.part`
        calls it in the report's cell, so an error here fails the report; IPython would swallow
        it in `_repr_mimebundle_` and print the section's repr on the page instead."""
        if self._shown is None:
            self._shown = self._render()
        return self._shown

    def _render(self) -> dict:
        body = "".join(self.html) or ""
        if self.ctx is not None:
            from .trace import mark

            body = mark(body, self.facts, self.ctx)
        return {
            "text/html": f'<div class="pb-story-{_e(self.key)}">{body}</div>',
            FACTS_MIME: {"section": self.key, "facts": [asdict(f) for f in self.facts]},
        }

    def text(self) -> str:
        return " ".join(self.sentences)

    def __repr__(self) -> str:
        return f"<story section {self.key}: {len(self.facts)} facts>"


class Writer:
    """Formats numbers for sentences and records each one as a Fact."""

    def __init__(self, ctx: Context, key: str) -> None:
        self.ctx, self.section = ctx, Section(key, ctx=ctx)

    def num(
        self,
        value: Any,
        unit: str,
        metric: str,
        *,
        period: str = "",
        scope: str = PROGRAMME,
        kind: str = "value",
        signed: bool = False,
        reason: str = "",
        finer: bool = False,
    ) -> str:
        """`value` as text ('— (reason)' when missing), recorded as a Fact; `finer`: with one decimal
        more (`goals.finer`), where rounding would hide the difference a status word rests on."""
        text = (
            MINUS.sub("\u2212", goals.finer(value, unit, self.ctx.currency, reason))
            if finer
            else _format(
                value,
                unit,
                self.ctx.currency,
                signed=signed,
                metric=metric,
                reason=reason,
                measured=kind in MEASURED,
            )
        )
        self.section.facts.append(
            Fact(
                metric,
                period or self.ctx.period,
                scope,
                None if numbers.is_missing(value) else float(value),
                text,
                kind,
            )
        )
        return text

    def say(self, sentence: str) -> None:
        """Add one sentence (our text with numbers already formatted); escaped into a paragraph."""
        self.section.sentences.append(sentence)

    def paragraph(self) -> None:
        if self.section.sentences:
            self.section.html.append(f"<p>{_e(' '.join(self.section.sentences))}</p>")

    def block(self, markup: str) -> None:
        self.section.html.append(markup)


def _format(
    value: Any,
    unit: str,
    currency: str,
    *,
    signed: bool = False,
    metric: str = "",
    reason: str = "",
    measured: bool = True,
) -> str:
    """A number as the story writes it: one minus sign (U+2212) everywhere, '+' only when
    `signed`, NPS 0 as '0' (not '+0'), a derived programme measure's ratio as goals shows it
    (channel_roi: 3.10×), any other ratio as a multiplier: '3.7×' under ten, 'about 220×' above."""
    from .. import goals

    if numbers.is_missing(value):
        return numbers.missing(reason)
    if unit == "ratio" and metric in goals.DERIVED:
        text = goals.format_value(value, metric, currency, reason)
    elif (
        measured and unit in ("rate", "points") and goals.one_decimal(metric)
    ):  # a rate, a score: 55.5%, +3.7
        text = goals.finer(value, unit, currency, reason)
    elif unit == "rate":
        text = numbers.percent(value, signed=signed, reason=reason)
    elif unit == "ratio":
        text = _multiplier(float(value))
    elif unit == "money_compact":
        text = numbers.money(value, currency, compact=True)
    elif unit == "money_compact_fine":  # $7.65M: a goal set to the ten thousand, beside a range
        text = numbers.money(value, currency, compact=True, digits=2)
    elif unit == "ratio_change":
        text = ("+" if float(value) >= 0 else "") + numbers.decimal(float(value), 2) + "×"
    elif unit == "points_change":  # from unrounded figures, one decimal, as every programme page
        text = numbers.points(value, reason=reason, change=True, digits=1)
        text = text if signed else text.lstrip("+")
    elif unit == "points":
        text = numbers.points(value, reason=reason)
        text = "0" if text in ("+0", "-0") else text
    else:
        text = numbers.by_unit(value, unit, currency, reason=reason)
        if signed and float(value) > 0 and round(float(value)) != 0:
            text = "+" + text
    return MINUS.sub("\u2212", text)


MEASURED = ("value", "prior", "target", "low", "high", "stable", "group_mean")  # a measure's own figures


MINUS = re.compile(r"(?<![\w])-(?=[$€£¥\d])")


def _multiplier(ratio: float) -> str:
    """3.66 -> '3.7×'; 218.6 -> 'about 220×' (two significant figures from ten up)."""
    if ratio < 10:
        return numbers.decimal(ratio, 1) + "×"
    digits = len(str(int(ratio))) - 2
    return _("about {ratio}×").format(ratio=numbers.decimal(round(ratio, -digits)))


def join(items: list[str], style: str = "standard") -> str:
    """Items in prose as the language lists them: 'A, B and C', « A, B et C » (the house
    English has no serial comma, as en_GB writes it); style "or": 'A or B', « A ou B »."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return items[0] if items else ""
    return format_list(items, style=style, locale="en_GB" if i18n.language() == "en" else i18n.current())


def label(ctx: Context, metric: str) -> str:
    """A metric's label in the language in force (the catalogue's English translated)."""
    return _(ctx.meta(metric).label)


def _lower(label: str) -> str:
    """'Trainings attended' -> 'trainings attended'; 'MDF approved' stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _e(text: object) -> str:
    if isinstance(text, i18n.Label):  # stays a Label: '{period:de}' agrees after escaping
        return text.escaped()
    return html.escape("" if text is None else str(text), quote=True)


# ---------------------------------------------------------------- context


@dataclass
class Context:
    """What the story is written from. Tests build it by hand; `from_workbook` in a run."""

    metrics: pd.DataFrame  # metrics.table: partner_id, metric, breakdown, value, prior_value, year_ago_value
    program: dict
    period: str
    prior: str = ""
    year_ago: str = ""
    unavailable: dict = field(default_factory=dict)  # metric -> reason (source table absent)
    catalogue: dict | None = None
    dataset: Any = None
    audience: str = ""
    stages: pd.Series | None = None  # partner_id -> stage this period
    prior_stages: pd.Series | None = None
    health: pd.DataFrame | None = None  # partner_id, health, reasons
    period_start: pd.Timestamp | None = None
    period_end: pd.Timestamp | None = None
    links: dict | None = None  # partner_id -> relative href
    members: frozenset | None = None  # ids of the partners in the programme (None: all)
    all_metrics: pd.DataFrame | None = None  # the metric table with former partners (the bridge's totals)
    left: pd.DataFrame | None = None  # partner_id, name, left_on, revenue_4q: left during the period
    at_start: int | None = None  # partners in the programme on the period's first day
    history: pd.DataFrame | None = None  # the long quarterly metric frame (outlook)
    due: str = ""  # next steps' due date (ISO); "" = `default_due(period_end)`
    risk_backtest: pd.DataFrame | None = None  # lifecycle.backtest: how often past flags came true
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def everyone(self) -> pd.DataFrame:
        """The metric table including partners that left before the period (for totals)."""
        return self.metrics if self.all_metrics is None else self.all_metrics

    @property
    def due_on(self) -> str:
        """The calendar date next steps are due: `due`, else the last day of the next
        period's first month (2026-Q3 -> 2026-10-31)."""
        if self.due or self.period_end is None:
            return self.due
        return default_due(self.period_end)

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

    def said(self, period: str) -> str:
        """`period` as a reader of the locale in force names it ('2026-Q3'; 'T3 2026' in
        French): for sentences, titles and headers, never for a key or a Fact."""
        return periods.label_for_people(period, fy_start_month(self.program))

    def meta(self, metric: str):
        cat = self.catalogue if self.catalogue is not None else _catalogue()
        found = cat.get(metric)
        return found or SimpleNamespace(name=metric, label=metric.replace("_", " "), unit="count", good="up")


def default_due(period_end) -> str:
    """The last day of the month after `period_end`'s month: 2026-09-30 -> 2026-10-31."""
    first = pd.Timestamp(period_end).normalize() + pd.Timedelta(days=1)
    return (first + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")


def _catalogue() -> dict:
    from ..metrics import CATALOGUE

    return CATALOGUE


def reporting_plan(program: dict) -> dict:
    """The `reporting` section as written (checked by partnerbook.programme): audiences (slug,
    name, objectives, use_cases, sections), cadence, change_threshold..."""
    programme.section_of(program, "reporting")  # checked; once, for a loaded programme
    return (program or {}).get("reporting") or {}


def audience(program: dict, slug: str) -> dict:
    """The audience with this slug; everyone (all objectives, all use cases) for ''."""
    if not slug:
        return {"slug": "", "name": _("Everyone"), "objectives": None, "use_cases": list(USE_CASES)}
    auds = reporting_plan(program).get("audiences") or []
    for aud in auds:
        if aud.get("slug") == slug:
            return {
                **aud,
                "objectives": aud.get("objectives") or None,
                "use_cases": aud.get("use_cases") or list(USE_CASES),
            }
    known = ", ".join(a.get("slug", "") for a in auds) or "none defined"
    raise ParamsError(f"audience: unknown slug {slug!r}; expected one of reporting.audiences ({known})")


def objectives(program: dict, period: str = "") -> list[dict]:
    """The objectives (id, name, metric, target) that apply to `period` (`goals.measured_in`):
    those set for it and those without a period whose grain it has (quarter by default)."""
    from .. import goals

    raw = program.get("objectives") or []
    if isinstance(raw, dict):
        raw = [{"id": k, **(v or {})} for k, v in raw.items()]
    return [
        o
        for o in raw
        if isinstance(o, dict)
        and o.get("metric")
        and (not period or goals.measured_in(o, period, fy_start_month(program)))
    ]


# ---------------------------------------------------------------- reading the metric table


def is_programme(partner_id: pd.Series) -> pd.Series:
    """Programme-level rows: partner_id <NA> (or empty as in metrics.csv, or a stray NUL)."""
    return partner_id.isna() | partner_id.astype("string").fillna("").isin(["", "\0"])


def programme_rows(mt: pd.DataFrame) -> pd.DataFrame:
    """Programme-level rows without breakdown, indexed by metric."""
    return (
        mt.loc[is_programme(mt["partner_id"]) & (mt["breakdown"].fillna("") == "")]
        .drop_duplicates("metric")
        .set_index("metric")
    )


def partner_rows(mt: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per partner for a metric (no breakdown), indexed by partner_id."""
    return (
        mt.loc[
            ~is_programme(mt["partner_id"]) & (mt["breakdown"].fillna("") == "") & (mt["metric"] == metric)
        ]
        .assign(partner_id=lambda d: d["partner_id"].astype(str))
        .drop_duplicates("partner_id")
        .set_index("partner_id")
    )


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
    else:  # outside a batch run: every partner's report
        if "links" not in ctx.cache:
            ctx.cache["links"] = {
                i: f"partners/{stem}.html" for i, stem in file_names(list(_names(ctx))).items()
            }
        href = ctx.cache["links"].get(pid) or partner_link(pid)
    return f'<a href="{_e(href)}">{_e(name)}</a>' if href else _e(name)


def _list_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def _named(partner_html: str, text: str) -> str:
    """A list item: a partner's name (HTML, linked) and our text about it (escaped), punctuated
    as the language writes it ('Alpha: $1,200', « Alpha : 1 200 € »)."""
    return _e(_("{partner}: {detail}")).format(partner=partner_html, detail=_e(text))


def stage(key: object) -> str:
    """A lifecycle stage as readers read it (`tables.stage_label`: 'sell', « vente »)."""
    return stage_label(key)


def _h3(text: str) -> str:
    return f"<h3>{_e(text)}</h3>"


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _in_period(ctx: Context, dates: pd.Series) -> pd.Series:
    if ctx.period_start is None or ctx.period_end is None:
        return pd.Series(True, index=dates.index)
    return (dates >= ctx.period_start) & (dates <= ctx.period_end)


def _absent(ctx: Context, table: str) -> bool:
    return ctx.dataset is None or not ctx.dataset.has(table)
