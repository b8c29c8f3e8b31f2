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

from .. import glossary

SPLIT = re.compile(r"(<[^>]+>)")
KINDS = {"target": "target", "attainment": "share of target", "change": "change", "group": "partners",
         "group_mean": "average per partner", "share": "share", "ratio": "ratio between groups",
         "low": "low end of the range", "high": "high end of the range", "backtest": "quarters tested",
         "reason": "the health rule's reasons"}
CLASS = "pb-num"
# How a marked number looks: as the text around it, a dotted underline saying "there is more".
STYLE = ("<style>.pb-num{color:inherit;text-decoration:underline dotted;text-decoration-color:#8a9bb5;"
         "text-underline-offset:2px}a.pb-num:hover{color:#2a5b9b}</style>")


def title(fact, ctx) -> str:
    """'Revenue · 2026-Q3 · the programme' (scope in words; a partner by its id, its name being
    beside the number on the page)."""
    label = ctx.meta(fact.metric).label if _known(fact.metric, ctx) else fact.metric.replace("_", " ").capitalize()
    scope = fact.scope
    if scope == "programme":
        scope = "the programme"
    elif scope.startswith("partner:"):
        pid, _, rest = scope[len("partner:"):].partition(",")
        scope = f"partner {pid}" + ("," + rest if rest else "")   # the id: a name is the data's words
    kind = f" ({KINDS[fact.kind]})" if fact.kind in KINDS else ""
    if fact.metric == "partners":
        label, kind = "Number of partners", ""
    return f"{label}{kind} · {fact.period} · {scope}"


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
    at = (0, 0)                                   # (chunk, offset) after the last mark
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
            in_figure += 1 if low.startswith(("<figure", "<svg")) else (-1 if low in ("</figure>", "</svg>") else 0)
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
