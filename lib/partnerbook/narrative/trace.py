"""Numbers a reader can trace: each number the story shows is wrapped, on the page, in a link to
its metric's glossary entry (`glossary.href`) with a `title` giving its label, period and scope
(a number of something the catalogue does not define, such as a derived programme measure or a
count of partners, gets the title only).

The facts a section recorded (`Writer.num`, in the order the text was written) are found in
its HTML in that order, in text outside tags, partner links and quoted words; a fact whose text
is not on the page (a reason recorded for the record) is passed over.
"""

from __future__ import annotations

import html
import re

from .. import glossary, periods
from ..i18n import N_, _
from ..tables import stage_label
from ..params import fy_start_month

SPLIT = re.compile(r"(<[^>]+>)")
KINDS = {
    "target": N_("target"),
    "attainment": N_("share of target"),
    "change": N_("change"),
    "group": N_("partners"),
    "group_mean": N_("average per partner"),
    "share": N_("share"),
    "ratio": N_("ratio between groups"),
    "low": N_("low end of the range"),
    "high": N_("high end of the range"),
    "backtest": N_("quarters tested"),
    "reason": N_("the health rule's reasons"),
}
NAMES = {
    "quarters": N_("Quarters"),
    "health": N_("Health"),
    "mdf_requests": N_("MDF requests"),
    "segments": N_("Segments"),
    "regions": N_("Regions"),
}  # counted things the catalogue does not define
SCOPES = {  # a Fact's scope, one comma-separated piece at a time, as a reader reads it
    "programme": N_("the programme"),
    "in the programme at the end of the period": N_("in the programme at the end of the period"),
    "in the programme on the first day": N_("in the programme on the first day"),
    "joined this period": N_("joined this period"),
    "left this period": N_("left this period"),
    "last four quarters": N_("last four quarters"),
    "at stake": N_("at stake"),
    "other reasons": N_("other reasons"),
    "health=at risk": N_("at risk"),
    "backtest of the at-risk flag": N_("backtest of the at-risk flag"),
    "backtest of the at-risk flag: a fall that counts": N_(
        "backtest of the at-risk flag: a fall that counts"
    ),
    "top partners by revenue": N_("top partners by revenue"),
    "outlook for the next quarter": N_("outlook for the next quarter"),
    "backtest of the outlook": N_("backtest of the outlook"),
    "the revenue goal": N_("the revenue goal"),
    "not certified": N_("not certified"),
    "bottom half": N_("bottom half"),
    "partners with a portal login": N_("partners with a portal login"),
    "converted": N_("converted"),
    "decided": N_("decided"),
    "top five partners by leads": N_("top five partners by leads"),
    "partners given leads": N_("partners given leads"),
    "partners that trained": N_("partners that trained"),
    "with a first deal": N_("with a first deal"),
    "partners joined in the last two years": N_("partners joined in the last two years"),
    "joined": N_("joined"),
    "no first deal yet": N_("no first deal yet"),
    "moved forward": N_("moved forward"),
    "moved back": N_("moved back"),
    "moved joined": N_("joined"),
    "by partner": N_("by partner"),
    "by segment": N_("by segment"),
    "by region": N_("by region"),
    "partners not named": N_("partners not named"),
    "segments not named": N_("segments not named"),
    "regions not named": N_("regions not named"),
}
PATTERNS = [  # scopes that carry a value: (pattern, message with the same named groups)
    (re.compile(r"partner:(?P<partner>.+)"), N_("partner {partner}")),
    (re.compile(r"stage=(?P<stage>.+)"), N_("stage {stage}")),
    (re.compile(r"segment=(?P<segment>.+)"), N_("segment {segment}")),
    (re.compile(r"theme:(?P<theme>.+)"), N_("theme “{theme}”")),
    (re.compile(r"change on (?P<period>.+)"), N_("change on {period}")),
    (re.compile(r"certified before (?P<period>.+)"), N_("certified before {period}")),
    (
        re.compile(r"top half of deal registrations in (?P<period>.+)"),
        N_("top half of deal registrations in {period}"),
    ),
    (
        re.compile(r"deal registrations submitted in (?P<period>.+)"),
        N_("deal registrations submitted in {period}"),
    ),
    (re.compile(r"MDF requested in (?P<period>.+)"), N_("MDF requested in {period}")),
    (re.compile(r"partners joined in (?P<cohort>.+)"), N_("partners joined in {cohort}")),
    (re.compile(r"joined during (?P<period>.+)"), N_("joined during {period}")),
]
CLASS = "pb-num"
# How a marked number looks: as the text around it, a dotted underline saying "there is more".
STYLE = (
    "<style>.pb-num{color:inherit;text-decoration:underline dotted;text-decoration-color:#8a9bb5;"
    "text-underline-offset:2px}a.pb-num:hover{color:#2a5b9b}</style>"
)


def title(fact, ctx) -> str:
    """'Revenue · 2026-Q3 · the programme' (scope in words; a partner by its id, its name being
    beside the number on the page); the period as the reader's locale names it."""
    fy = fy_start_month(ctx.program)
    if fact.metric == "partners":
        label = _("Number of partners")
        return f"{label} · {ctx.said(fact.period)} · {scope_text(fact.scope, fy)}"
    from .. import goals

    if fact.metric in goals.DERIVED:
        label = goals.label_of(fact.metric)  # channel ROI, segment share...
    elif _known(fact.metric, ctx):
        label = _(ctx.meta(fact.metric).label)
    else:
        label = _(NAMES[fact.metric]) if fact.metric in NAMES else fact.metric.replace("_", " ").capitalize()
    kind = f" ({_(KINDS[fact.kind])})" if fact.kind in KINDS else ""
    return f"{label}{kind} · {ctx.said(fact.period)} · {scope_text(fact.scope, fy)}"


def scope_text(scope: str, fy: int = 1) -> str:
    """A Fact's scope as a reader reads it: 'partner:P01, change on 2026-Q2' -> 'partner P01,
    change on 2026-Q2' (in the language in force; a piece it does not know stays as written)."""
    return ", ".join(_piece(p.strip(), fy) for p in scope.split(","))


def _piece(piece: str, fy: int = 1) -> str:
    if piece in SCOPES:
        return _(SCOPES[piece])
    for pattern, message in PATTERNS:
        found = pattern.fullmatch(piece)
        if found:
            values = found.groupdict()
            if "stage" in values:
                values["stage"] = stage_label(values["stage"])
            if "period" in values:
                values["period"] = periods.label_for_people(values["period"], fy)
            if "cohort" in values:  # the calendar quarter partners joined in
                values["cohort"] = periods.label_for_people(values["cohort"])
            return _(message).format(**values)
    return piece


def _known(metric: str, ctx) -> bool:
    from .. import goals

    cat = ctx.catalogue if ctx.catalogue is not None else None
    if cat is None:
        from ..metrics import CATALOGUE as cat
    return metric in cat or metric in goals.DERIVED


def _in_glossary(metric: str) -> bool:
    """The glossary page is generated from the metric catalogue: only its metrics have entries."""
    from ..metrics import CATALOGUE

    return metric in CATALOGUE


def mark(body: str, facts, ctx, prefix: str = "") -> str:
    """`body` with each fact's number wrapped (see the module's doc)."""
    chunks = SPLIT.split(body)
    usable = _usable(chunks)
    at = (0, 0)  # (chunk, offset) after the last mark
    for fact in facts:
        if not fact.text:
            continue
        found = _find(chunks, usable, at, html.escape(fact.text, quote=True))
        if found is None:
            continue
        i, start, end = found
        attrs = f'class="{CLASS}" title="{_attribute(title(fact, ctx))}"'
        if _in_glossary(fact.metric) and fact.kind != "reason":
            wrapped = f'<a {attrs} href="{html.escape(glossary.href(fact.metric, prefix), quote=True)}">'
            close = "</a>"
        else:
            wrapped, close = f"<span {attrs}>", "</span>"
        text = chunks[i]
        chunks[i] = text[:start] + wrapped + text[start:end] + close + text[end:]
        at = (i, start + len(wrapped) + (end - start) + len(close))
    return "".join(chunks)


def _attribute(text: str) -> str:
    """Text from the data as an attribute value: escaped, and '=' written as a character
    reference too, so no partner name reads like `onerror=` inside a tag to any checker."""
    return html.escape(text, quote=True).replace("=", "&#61;")


def _usable(chunks: list[str]) -> list[bool]:
    """Text chunks outside tags, links, quoted words and charts (an SVG's tick labels)."""
    out, in_link, in_quote, in_figure = [], 0, False, 0
    for c in chunks:
        if c.startswith("<"):
            low = c.lower()
            in_link += 1 if low.startswith("<a ") or low == "<a>" else (-1 if low == "</a>" else 0)
            in_figure += (
                1 if low.startswith(("<figure", "<svg")) else (-1 if low in ("</figure>", "</svg>") else 0)
            )
            if low.startswith("<blockquote"):
                in_quote = True
            elif low.startswith("<footer") or low == "</blockquote>":
                in_quote = False
            out.append(False)
        else:
            out.append(in_link <= 0 and not in_quote and in_figure <= 0)
    return out


def _find(chunks, usable, at, text):
    pattern = re.compile(r"(?<![\w.,\-−+$€£¥])" + re.escape(text) + r"(?![\w%×]|[.,]\d)")
    for i in range(at[0], len(chunks)):
        if not usable[i]:
            continue
        m = pattern.search(chunks[i], at[1] if i == at[0] else 0)
        if m:
            return i, m.start(), m.end()
    return None
