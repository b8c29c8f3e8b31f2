"""A partner's report in two editions, from one execution of the scorecard notebook.

    partners/<file>.html      the account manager's edition ("internal"): everything
    for-partners/<file>.html  the partner edition ("partner"): what the partner may receive

The notebook runs once per partner. Its cells carry tags that say which edition shows them:

    internal      shown in the internal edition only (health, peers, target workings, the
                  business review, surveys per respondent)
    partner-only  shown in the partner edition only (the same section worded for the partner,
                  its own glossary)
    (no tag)      shown in both

`select(nb, edition)` gives the notebook one edition exports; the runner exports both and
publishes a partner edition only when `refused(page, name)` finds nothing: none of the
internal-only phrases of `partnerbook.confidential` and no link to another page of the run.
"""

from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser

from .. import confidential
from .html import visible_text

INTERNAL, PARTNER = "internal", "partner"
EDITIONS = (INTERNAL, PARTNER)
FOLDERS = {INTERNAL: "partners", PARTNER: "for-partners"}
TAGS = {INTERNAL: "internal", PARTNER: "partner-only"}  # the cell tag that keeps a cell to one edition

INTERNAL_PHRASES = confidential.INTERNAL_PHRASES  # the one list: partnerbook/confidential.py


class _Links(HTMLParser):
    """The href of every real tag (text that only looks like a tag is not one)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found += [value or "" for name, value in attrs if name == "href"]


def links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    parser.close()
    return parser.found


_ANY_HREF = re.compile(r"""href\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)""", re.I)


def outside_links(page: str) -> list[str]:
    """The href of every real tag that points outside the page (not '#...'). A quick look
    first: every `href=` anywhere in the page (a tag's, or text, a comment, a script: more than
    the parser finds); only when one of those points outside is the page parsed (`links`, 4 ms
    a page), so a page with anchors only costs a regular expression (0.1 ms)."""
    if all(_inside(m.group(1)) for m in _ANY_HREF.finditer(page)):
        return []
    return [h for h in links(page) if not _inside(h)]


def _inside(value: str) -> bool:
    if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0]:
        value = value[1:-1]
    value = html.unescape(value).strip()
    return not value or value.startswith("#")


def path(edition: str, stem: str) -> str:
    """The page of one edition, relative to the period folder: 'for-partners/P001.html'."""
    return f"{FOLDERS[edition]}/{stem}.html"


def select(nb, edition: str):
    """A copy of the executed notebook `nb` holding the cells `edition` shows."""
    if edition not in EDITIONS:
        raise ValueError(f"edition {edition!r}: expected one of {', '.join(EDITIONS)}")
    other = TAGS[PARTNER if edition == INTERNAL else INTERNAL]
    out = copy.copy(nb)
    out.cells = [c for c in nb.cells if other not in (c.get("metadata", {}).get("tags") or [])]
    return out


def refused(page: str, own_name: str = "") -> list[str]:
    """Why a partner edition may not be sent: internal-only phrases in its visible text (the
    partner's own name masked, so 'Health Systems Ltd' is not refused for its name) and links
    to any other page (only links within the page are allowed). Empty when it may be sent."""
    found = confidential.found(visible_text(page), own_name)
    out = outside_links(page)
    if out:
        found.append(f"a link to another page ({out[0]})")
    return found
