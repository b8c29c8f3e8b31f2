"""The stakeholder story, one module per section, written from the metric table with every
number recorded as a Fact (see `core`). The notebook calls these names:

    story = narrative.context(wb, audience="")
    narrative.title(story); narrative.scorecard(story); narrative.summary(story); ...
"""

from .bridge import bridge, revenue_parts
from .core import (
    FACTS_MIME,
    GROWTH,
    PROGRAMME,
    USE_CASES,
    Context,
    Fact,
    Section,
    Writer,
    _names,
    _partner_html,
    audience,
    default_due,
    is_programme,
    objectives,
    partner_link,
    partner_rows,
    plural,
    programme_rows,
    reporting_plan,
    trend,
)
from .folio import best_fit, portfolio_section
from .opening import context, title
from .outlook import backtest, forecast, outlook
from .outlook import quarters as outlook_quarters
from .plan import MAIN, SECTIONS, part, sections_of
from .scores import attainment, objective_scores, objectives_section, scorecard, status
from .steps import next_steps
from .summary import largest_moves, summary
from .usecases import USE_CASE_METRICS, use_cases
from .voices import voices
from .why import association, why

__all__ = [
    "FACTS_MIME",
    "GROWTH",
    "MAIN",
    "PROGRAMME",
    "SECTIONS",
    "USE_CASES",
    "USE_CASE_METRICS",
    "Context",
    "Fact",
    "Section",
    "Writer",
    "_names",
    "_partner_html",
    "association",
    "attainment",
    "audience",
    "backtest",
    "best_fit",
    "bridge",
    "context",
    "default_due",
    "forecast",
    "is_programme",
    "largest_moves",
    "next_steps",
    "objective_scores",
    "objectives",
    "objectives_section",
    "outlook",
    "outlook_quarters",
    "part",
    "partner_link",
    "partner_rows",
    "plural",
    "portfolio_section",
    "programme_rows",
    "reporting_plan",
    "revenue_parts",
    "scorecard",
    "sections_of",
    "status",
    "summary",
    "title",
    "trend",
    "use_cases",
    "voices",
    "why",
]
