"""The glossary: every metric of the catalogue defined once, on `outputs/<period>/glossary.html`.

Pages link a metric's label to its entry with `href(metric, prefix)`: `prefix` is the way
from the page to the period folder ("" for the dashboard, goals and story, "../" for a page
under partners/). Every internal report links the page from its footer (`link_from`); a
partner edition (under for-partners/) carries its own short glossary instead of a link.
`page(catalogue, ...)` writes the page from the catalogue (the runner, every run), in the
language in force: labels and formulas are the catalogue's messages, translated here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from . import i18n, numbers, tables
from .i18n import N_, _

PAGE = "glossary.html"
EDITIONS = "for-partners/"  # pages a partner may receive: no link to the internal glossary
TITLE = N_("Glossary of metrics")
PIPELINES = ("pipeline", "registered_pipeline")
UNITS = {
    "count": N_("a count"),
    "money": N_("an amount of money"),
    "rate": N_("a share (percent)"),
    "ratio": N_("a ratio (×)"),
    "points": N_("points"),
    "days": N_("days"),
}
KINDS = {
    "leading": N_("Leading: activity that comes before revenue"),
    "lagging": N_("Lagging: business results"),
}
GOOD = {"up": N_("higher is better"), "down": N_("lower is better")}
# A metric whose catalogue unit word would mislead: MDF return is revenue per unit of MDF paid.
UNIT_WORDS = {"mdf_roi": N_("a ratio (×): revenue won for each {one} of MDF paid (4× = four times the MDF)")}
NOTES = {"mdf_roi": N_("Empty (—) until MDF has been paid on the requests made in the period.")}

# The catalogue's formulas name the data's fields; readers get words. Whole phrases first,
# then single fields (the test checks that no field name is left in what a reader sees).
PLAIN = (
    ("the closed_on of the partner's first won deal", "the day the partner's first deal was won"),
    ("Days from joined_on to", "Days from the day the partner joined to"),
    ("without a join date", "without the day it joined"),
    ("(churned_on in it)", "(the day it left falls in the period)"),
    (
        "(joined before it or with no joined_on, not left before it)",
        "(joined before it, or with no join date, and not left before it)",
    ),
    ("won or lost with closed_on in", "won or lost in"),
    ("lost with closed_on in", "lost in"),
    ("won with closed_on in", "won in"),
    (
        "Certifications earned (engagements of kind certification) with occurred_on in",
        "Certifications earned in",
    ),
    ("requests with requested_on in", "requests made in"),
    ("answers with answered_on in", "answers given in"),
    (
        "Revenue of the won opportunities tied to an MDF request (mdf_request_id) with closed_on in the period",
        "Revenue of the partner deals won in the period that are tied to an MDF request",
    ),
    ("by closed_on in the period", "counting the deals closed in the period"),
    ("with closed_on in", "closed in"),
    ("with submitted_on in", "submitted in"),
    ("with occurred_on in", "that took place in"),
    ("with created_on in", "created in"),
    ("with started_on in", "started in"),
    ("with answered_on in", "answered in"),
    ("with distributed_on in", "distributed in"),
    ("with requested_on in", "requested in"),
    ("(engagements of kind in_person_event)", ""),
    ("(engagements of kind webinar)", ""),
    ("(engagements of kind training)", ""),
    ("(engagements of kind certification)", ""),
    ("(contact_id)", ""),
    ("(mdf_request_id)", ""),
    (
        "flagged is_new_logo, or, when the source gives no is_new_logo values,",
        "marked as a new logo in the data, or, when the data does not mark new logos,",
    ),
    ("or an accepted_on date", "or a date of acceptance"),
    ("(status accepted or converted, or", "(accepted or converted, or"),
    ("(status converted or a converted opportunity)", "(converted, or turned into an opportunity)"),
)
FIELDS = {
    "closed_on": "the day the deal closed",
    "joined_on": "the day the partner joined",
    "churned_on": "the day the partner left",
    "is_new_logo": "the new-logo mark",
    "mdf_request_id": "the MDF request",
    "contact_id": "the contact",
    "page_views": "page views",
}
_FIELD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")

# Measures the objectives use (goals.DERIVED), worked out from partner revenue and the
# inputs given with the objective in program.yaml.
DERIVED = (
    (
        "channel_roi",
        N_("Channel ROI"),
        N_("a ratio (×)"),
        N_("higher is better"),
        N_(
            "Partner revenue × gross margin ÷ programme costs: the margin the partners' sales earn for "
            "each {one} spent on the programme. Gross margin and programme costs are given with the objective."
        ),
    ),
    (
        "cost_of_sales",
        N_("Cost of sales"),
        N_("a share (percent)"),
        N_("lower is better"),
        N_(
            "Programme costs ÷ partner revenue: what the programme costs for each {one} of revenue partners "
            "won. Empty when partners won no revenue."
        ),
    ),
    (
        "market_share",
        N_("Market share"),
        N_("a share (percent)"),
        N_("higher is better"),
        N_("Partner revenue ÷ the size of the market given with the objective."),
    ),
    (
        "segment_share",
        N_("Segment share"),
        N_("a share (percent)"),
        N_("higher is better"),
        N_(
            "Partner revenue from customers in the segment named by the objective ÷ all partner revenue. "
            "Empty when partners won no revenue."
        ),
    ),
    (
        "product_share",
        N_("Product share"),
        N_("a share (percent)"),
        N_("higher is better"),
        N_(
            "Partner revenue in the product category named by the objective ÷ that product's total "
            "sales (given with the objective), direct and through partners."
        ),
    ),
)
# Words the reports use about partners and objectives.
TERMS = (
    (
        "health",
        N_("Health: healthy, watch, at risk"),
        N_(
            "A flag for each partner in the programme, separate from its lifecycle stage. Each rule that "
            "fires is a signal: results (revenue down on the prior period or on a year ago, no revenue "
            "and no open pipeline, no deal won, win rate down, revenue far below its target) and "
            "activity (activity falling, no logins, and the like). No signal: healthy; one signal: "
            "watch; two or more: at risk. The reasons are shown beside the flag. The rules and their "
            "thresholds are in the programme's settings (program.yaml, section health)."
        ),
    ),
    (
        "attainment",
        N_("Attainment"),
        N_("Actual ÷ target for the period: 100% means the target is met. Empty without a target."),
    ),
    (
        "pace",
        N_("Pace"),
        N_(
            "Whether a target will be met at the present rate: actual ÷ the share of the target due "
            "by now (the target × the part of the period gone). Ahead: at least 10% above that; on "
            "pace: within 10%; behind: more than 10% below. Rates and shares are not spread over the "
            "period: their pace is their attainment."
        ),
    ),
)


def anchor(metric: str) -> str:
    """The id of a metric's entry on the glossary page."""
    return "m-" + re.sub(r"[^a-z0-9_-]+", "-", str(metric).lower())


def href(metric: str, prefix: str = "") -> str:
    """The link from a page to a metric's glossary entry."""
    return f"{prefix}{PAGE}#{anchor(metric)}"


def link_from(page: str) -> str:
    """The link from a report at `page` (a path relative to the period folder, e.g.
    "partners/P001.html") to the glossary page; "" for a partner edition."""
    page = str(page).replace("\\", "/")
    if not page or page.startswith(EDITIONS):
        return ""
    return "../" * page.count("/") + PAGE


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _stages(stages: tuple[str, ...]) -> str:
    if not stages:
        return _("none (shown where the data has it, not a stage's key metric)")
    return ", ".join(tables.stage_label(s) for s in stages)


def plain(formula: str) -> str:
    """A catalogue formula in words: the data's field names replaced by what they mean."""
    for field, words in PLAIN:
        formula = formula.replace(field, words)
    formula = _FIELD.sub(lambda m: FIELDS.get(m.group(0), m.group(0).replace("_", " ")), formula)
    # ASCII spaces only: a French definition keeps its no-break space before ':' and ';'
    return re.sub(r" +([,.;:)])", r"\1", re.sub(r"  +", " ", formula)).strip()


def definition(metric) -> str:
    """A metric's formula in words, in the language in force (the catalogue's message, its
    field names replaced by what they mean), with its note when it has one."""
    how = plain(_(metric.formula))
    return how + (" " + _(NOTES[metric.name]) if metric.name in NOTES else "")


def entry(metric, currency: str = "USD") -> str:
    """One metric's entry: its label as a heading, then what it is, in words ('for each $1' in
    the programme's `currency`)."""
    unit = UNIT_WORDS.get(metric.name) or UNITS.get(metric.unit)
    rows = [
        (_("Name in metrics.csv"), f"<code>{_e(metric.name)}</code>"),
        (_("Kind"), _e(_(KINDS[metric.kind]) if metric.kind in KINDS else metric.kind)),
        (_("Unit"), _e(_(unit).format(one=numbers.money(1, currency)) if unit else metric.unit)),
        (_("Good direction"), _e(_(GOOD[metric.good]) if metric.good in GOOD else metric.good)),
        (_("How it is worked out"), _e(definition(metric))),
        (_("Source table"), f"<code>{_e(metric.source)}</code>"),
        (_("Key metric in stages"), _e(_stages(metric.stages))),
    ]
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<section class="pb-term" id="{_e(anchor(metric.name))}"><h3>{_e(_(metric.label))}</h3>'
        f"<dl>{items}</dl></section>"
    )


def _kind(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


def _pipelines(catalogue: Mapping) -> str:
    """Open pipeline and registered pipeline side by side: two amounts often confused."""
    shown = [catalogue[m] for m in PIPELINES if m in catalogue]
    if len(shown) < 2:
        return ""
    head = "".join(
        f'<th scope="col"><a href="#{_e(anchor(m.name))}">{_e(_(m.label))}</a></th>' for m in shown
    )
    rows = [
        (_("What it counts"), [plain(_(m.formula)) for m in shown]),
        (
            _("When"),
            [
                _("Opportunities still open on the last day of the period, whenever they were created"),
                _("Deal registrations submitted during the period, whatever became of them"),
            ],
        ),
        (_("Source table"), [m.source for m in shown]),
        (_("Kind"), [_kind(m.kind) for m in shown]),
    ]
    body = "".join(
        f'<tr><th scope="row">{_e(k)}</th>{"".join(f"<td>{_e(v)}</td>" for v in vs)}</tr>' for k, vs in rows
    )
    heading = _e(_("Open pipeline and registered pipeline"))
    return (
        f'<h2 id="pipelines">{heading}</h2>'
        f"<p>{_e(_(PIPELINES_SAID))}</p>"
        f'<div class="pb-table-wrap"><table class="pb-table pb-pipelines"><thead><tr><th></th>{head}'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


PIPELINES_SAID = N_(
    "Two different amounts. Open pipeline is what partners are working on at the period's "
    "end (opportunities); registered pipeline is what partners registered with us during the "
    "period (deal registrations). A deal can be in one, both or neither."
)
OBJECTIVES_SAID = N_(
    "Worked out for the whole programme from partner revenue (the revenue of every partner "
    "in the programme in the period) and the figures given with each objective in the "
    "programme's settings."
)
PAGE_SAID = N_(
    "What each metric in the reports means: how it is worked out, from which table, whether "
    "higher or lower is better, and in which lifecycle stages it is a key metric. Every figure "
    "in metrics.csv is one of these."
)


def _derived(currency: str = "USD") -> str:
    """The measures objectives use and the words about partners' flags and targets."""
    unit, good, how_said = _e(_("Unit")), _e(_("Good direction")), _e(_("How it is worked out"))
    measures = "".join(
        f'<section class="pb-term" id="{_e(anchor(name))}"><h3>{_e(_(label))}</h3><dl>'
        f"<dt>{unit}</dt><dd>{_e(_(u))}</dd><dt>{good}</dt><dd>{_e(_(g))}</dd>"
        f"<dt>{how_said}</dt><dd>{_e(_(how).format(one=numbers.money(1, currency)))}</dd></dl></section>"
        for name, label, u, g, how in DERIVED
    )
    terms = "".join(
        f'<section class="pb-term" id="{_e(anchor(name))}"><h3>{_e(_(label))}</h3>'
        f"<p>{_e(_(what))}</p></section>"
        for name, label, what in TERMS
    )
    objectives, flags = _e(_("Measures the objectives use")), _e(_("Health, attainment and pace"))
    return (
        f'<h2 id="objectives">{objectives}</h2>'
        f"<p>{_e(_(OBJECTIVES_SAID))}</p>" + measures + f'<h2 id="flags">{flags}</h2>' + terms
    )


def page(
    catalogue: Mapping, *, css: str = "", subtitle: str = "", footer: str = "", currency: str = "USD"
) -> str:
    """The glossary page: one entry per metric of `catalogue` (name -> metrics.Metric),
    leading then lagging, each in catalogue order, with the two pipelines side by side; in
    the language in force (`<html lang>` too)."""
    sections = []
    for kind in KINDS:
        metrics = [m for m in catalogue.values() if m.kind == kind]
        if metrics:
            sections.append(f"<h2>{_e(_kind(kind))}</h2>" + "".join(entry(m, currency) for m in metrics))
    other = [m for m in catalogue.values() if m.kind not in KINDS]
    if other:
        sections.append(
            "<h2>" + _e(_("Other metrics")) + "</h2>" + "".join(entry(m, currency) for m in other)
        )
    listed = (
        [(m.name, m.label) for m in catalogue.values()]
        + [(d[0], d[1]) for d in DERIVED]
        + [(t[0], t[1]) for t in TERMS]
    )
    contents = "".join(f'<li><a href="#{_e(anchor(name))}">{_e(_(label))}</a></li>' for name, label in listed)
    sub = f'<p class="pb-subtitle">{_e(subtitle)}</p>' if subtitle else ""
    title, index = _e(_(TITLE)), _e(_("Metrics"))
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(i18n.tag())}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="partnerbook">\n<title>{title}</title>\n'
        f'<style>\n{css}\n</style>\n</head>\n<body>\n<main class="pb-report">\n'
        f"<h1>{title}</h1>{sub}<p>{_e(_(PAGE_SAID))}</p>"
        f'<nav aria-label="{index}"><ul class="pb-glossary-index">{contents}</ul></nav>'
        f"{_pipelines(catalogue)}{''.join(sections)}{_derived(currency)}"
        f'<footer class="pb-footer">{_e(footer)}</footer>\n</main>\n</body>\n</html>\n'
    )
