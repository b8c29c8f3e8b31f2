"""The glossary: every metric of the catalogue defined once, on `outputs/<period>/glossary.html`.

Pages link a metric's label to its entry with `href(metric, prefix)`: `prefix` is the way
from the page to the period folder ("" for the dashboard, goals and story, "../" for a page
under partners/). A partner edition carries its own short glossary instead of a link.
"""
from __future__ import annotations

import re

PAGE = "glossary.html"


def anchor(metric: str) -> str:
    """The id of a metric's entry on the glossary page."""
    return "m-" + re.sub(r"[^a-z0-9_-]+", "-", str(metric).lower())


def href(metric: str, prefix: str = "") -> str:
    """The link from a page to a metric's glossary entry."""
    return f"{prefix}{PAGE}#{anchor(metric)}"
