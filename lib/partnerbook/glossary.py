"""The glossary: every metric of the catalogue defined once, on `outputs/<period>/glossary.html`.

Pages link a metric's label to its entry with `href(metric, prefix)`: `prefix` is the way
from the page to the period folder ("" for the dashboard, goals and story, "../" for a page
under partners/). Every internal report links the page from its footer (`link_from`); a
partner edition (under for-partners/) carries its own short glossary instead of a link.
`page(catalogue, ...)` writes the page from the catalogue (the runner, every run).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

PAGE = "glossary.html"
EDITIONS = "for-partners/"        # pages a partner may receive: no link to the internal glossary
TITLE = "Glossary of metrics"
PIPELINES = ("pipeline", "registered_pipeline")
UNITS = {"count": "a count", "money": "an amount of money", "rate": "a share (percent)",
         "points": "points", "days": "days"}
KINDS = {"leading": "Leading: activity that comes before revenue",
         "lagging": "Lagging: business results"}
GOOD = {"up": "higher is better", "down": "lower is better"}


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
    return ", ".join(stages) if stages else "none (shown where the data has it, not a stage's key metric)"


def entry(metric) -> str:
    """One metric's entry: its label as a heading, then what it is, in words."""
    rows = [("Name in metrics.csv", f"<code>{_e(metric.name)}</code>"),
            ("Kind", _e(KINDS.get(metric.kind, metric.kind))),
            ("Unit", _e(UNITS.get(metric.unit, metric.unit))),
            ("Good direction", _e(GOOD.get(metric.good, metric.good))),
            ("How it is worked out", _e(metric.formula)),
            ("Source table", f"<code>{_e(metric.source)}</code>"),
            ("Key metric in stages", _e(_stages(metric.stages)))]
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<section class="pb-term" id="{_e(anchor(metric.name))}"><h3>{_e(metric.label)}</h3>'
            f'<dl>{items}</dl></section>')


def _pipelines(catalogue: Mapping) -> str:
    """Open pipeline and registered pipeline side by side: two amounts often confused."""
    shown = [catalogue[m] for m in PIPELINES if m in catalogue]
    if len(shown) < 2:
        return ""
    head = "".join(f'<th scope="col"><a href="#{_e(anchor(m.name))}">{_e(m.label)}</a></th>' for m in shown)
    rows = [("What it counts", [m.formula for m in shown]),
            ("When", ["Opportunities still open on the last day of the period, whenever they were created",
                      "Deal registrations submitted during the period, whatever became of them"]),
            ("Source table", [m.source for m in shown]),
            ("Kind", [KINDS.get(m.kind, m.kind) for m in shown])]
    body = "".join(f'<tr><th scope="row">{_e(k)}</th>{"".join(f"<td>{_e(v)}</td>" for v in vs)}</tr>'
                   for k, vs in rows)
    return ('<h2 id="pipelines">Open pipeline and registered pipeline</h2>'
            "<p>Two different amounts. Open pipeline is what partners are working on at the period's "
            "end (opportunities); registered pipeline is what partners registered with us during the "
            "period (deal registrations). A deal can be in one, both or neither.</p>"
            f'<div class="pb-table-wrap"><table class="pb-table pb-pipelines"><thead><tr><th></th>{head}'
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def page(catalogue: Mapping, *, css: str = "", subtitle: str = "", footer: str = "") -> str:
    """The glossary page: one entry per metric of `catalogue` (name -> metrics.Metric),
    leading then lagging, each in catalogue order, with the two pipelines side by side."""
    sections = []
    for kind, words in KINDS.items():
        metrics = [m for m in catalogue.values() if m.kind == kind]
        if metrics:
            sections.append(f"<h2>{_e(words)}</h2>" + "".join(entry(m) for m in metrics))
    other = [m for m in catalogue.values() if m.kind not in KINDS]
    if other:
        sections.append("<h2>Other metrics</h2>" + "".join(entry(m) for m in other))
    contents = "".join(f'<li><a href="#{_e(anchor(m.name))}">{_e(m.label)}</a></li>' for m in catalogue.values())
    sub = f'<p class="pb-subtitle">{_e(subtitle)}</p>' if subtitle else ""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="partnerbook">\n<title>{_e(TITLE)}</title>\n'
            f"<style>\n{css}\n</style>\n</head>\n<body>\n<main class=\"pb-report\">\n"
            f"<h1>{_e(TITLE)}</h1>{sub}"
            "<p>What each metric in the reports means: how it is worked out, from which table, "
            "whether higher or lower is better, and in which lifecycle stages it is a key metric. "
            "Every figure in metrics.csv is one of these.</p>"
            f'<nav aria-label="Metrics"><ul class="pb-glossary-index">{contents}</ul></nav>'
            f"{_pipelines(catalogue)}{''.join(sections)}"
            f'<footer class="pb-footer">{_e(footer)}</footer>\n</main>\n</body>\n</html>\n')
