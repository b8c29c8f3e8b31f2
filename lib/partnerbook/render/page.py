"""The dashboards' pages, rendered from their Jinja2 templates (templates/dashboard/) with
autoescaping: outputs/<period>/index.html from the inputs `dashboard.context` saved beside
run.json (dashboard.json), and outputs/index.html from the run.json of every period.

No pandas here (and none imported by what this imports): `cache.mark_reused` re-renders
the period dashboard on the no-op path, which must stay cheap. The run's state (which
reports were rendered, reused or failed) comes from run.json's report entries, so the page
always says what the last run did.

The templates' words are messages of the catalogue (`{{ _("...") }}`, `ngettext`), rendered
in the locale the dashboard was worked out in (saved in its inputs as `locale`, so a reused
run re-renders in the same language); `<html lang>` follows.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .. import i18n
from ..i18n import N_, _
from . import html as html_mod

FOLDER = html_mod.TEMPLATES / "dashboard"
CONTEXT_FILE = "dashboard.json"
PUBLISHED = ("rendered", "reused")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(FOLDER)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(i18n._, i18n.ngettext, pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.filters.update(fill=fill, fill_html=fill_html)
    return env


def fill(message: str, **values) -> Markup:
    """`{{ _("{n} of {total} shown") | fill(n=..., total=...) }}`: a translated message with
    its named placeholders filled after translation, message and values escaped."""
    return escape(message).format(**values)


def fill_html(message: str, **values) -> Markup:
    """As `fill`, for a message of ours that carries markup (`<strong>`): the message is
    trusted (it is the catalogue's), the values are escaped."""
    return Markup(message).format(**values)


def _labels(ctx: dict) -> dict:
    """The inputs with their period names as i18n.Label again (JSON keeps the text only),
    so a French '{period:de}' reads 'du T3 2026' (a dashboard.json without a grain: quarters)."""
    grain = ctx.get("grain") or "quarter"
    named = {
        k: i18n.Label(ctx[k], grain) for k in ("period", "prior", "year_ago") if isinstance(ctx.get(k), str)
    }
    return {**ctx, **named}


def _asset(name: str) -> str:
    return (FOLDER / name).read_text(encoding="utf-8")


def _style() -> Markup:
    """The project stylesheet and the dashboard's own (both our files: no data in them)."""
    return Markup(html_mod.css() + "\n" + _asset("dashboard.css"))


# The programme reports' titles as run.json records them (English, runner.plan_jobs), and as
# the dashboard's links say them; an audience's story adds the audience's name.
TITLES = {"goals": N_("Goals and targets"), "story": N_("Programme story")}


def _title(report: dict) -> str:
    """A programme report's title in the language in force (a saved view keeps its own)."""
    title, key = report.get("title", ""), report.get("key", "")
    if key in TITLES:
        return _(TITLES[key])
    if key.startswith("story:") and ": " in title:
        return _("Programme story: {audience}").format(audience=title.split(": ", 1)[1])
    return title


def run_state(reports: list[dict]) -> dict:
    """What the page says about the run: each report's status by key, the counts, the
    failed reports, and the programme reports' links ({title, href or None when failed})."""
    status = {r.get("key", ""): r.get("status", "") for r in reports}
    counts = {s: sum(r.get("status") == s for r in reports) for s in ("rendered", "reused", "failed")}
    failed = [
        {"title": r.get("title", ""), "error": r.get("error", ""), "cell": r.get("cell") or {}}
        for r in reports
        if r.get("status") == "failed"
    ]
    links = [
        {"title": _title(r), "href": r.get("html") if r.get("status") in PUBLISHED else None}
        for r in reports
        if r.get("kind") != "partner"
    ]
    return {"status": status, "counts": counts, "failed": failed, "links": links}


def period_page(ctx: dict, reports: list[dict]) -> str:
    """outputs/<period>/index.html from the dashboard's inputs and run.json's report entries,
    in the dashboard's locale (its inputs' `locale`, else the one in force)."""
    with i18n.using(ctx.get("locale") or i18n.current()):
        return (
            environment()
            .get_template("period.html.j2")
            .render(
                **_labels(ctx),
                run=run_state(reports),
                published=PUBLISHED,
                style=_style(),
                lang=i18n.tag(),
                script=Markup(_asset("dashboard.js")),
            )
        )


def outputs_page(outputs: Path) -> str:
    """outputs/index.html: every period that has a dashboard, newest first."""
    periods = []
    for folder in sorted((p for p in outputs.iterdir() if (p / "index.html").exists()), reverse=True):
        try:
            info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        reports = info.get("reports", [])
        periods.append(
            {
                "name": folder.name,
                "finished": info.get("finished", ""),
                "reports": len(reports),
                "failed": sum(r.get("status") == "failed" for r in reports),
            }
        )
    return (
        environment().get_template("outputs.html.j2").render(periods=periods, style=_style(), lang=i18n.tag())
    )
