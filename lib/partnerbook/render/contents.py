"""A report page's contents: a compact "On this page" list of its h2 sections, linked to them.

`add(page)` gives every `<h2>` an id (its own, or one made from its text, unique on the page)
and puts the list right after the page's `<h1>`; pages with fewer than two sections get none.
Its title is in the language in force.
The list is hidden in print (partnerbook.css, `.pb-contents`).
"""

from __future__ import annotations

import html
import re

from ..i18n import N_, _

_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2\s*>", re.S | re.I)
_H1_END = re.compile(r"</h1\s*>", re.I)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
TITLE = N_("On this page")  # translated where shown


def _slug(text: str) -> str:
    return "s-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section")


def add(page: str) -> str:
    """`page` with ids on its h2 headings and the "On this page" list after its h1."""
    sections, taken = [], set(_ID.findall(page))

    def named(match: re.Match) -> str:
        attrs, inner = match.group(1), match.group(2)
        text = re.sub(r"\s+", " ", _TAG.sub("", _ANCHOR.sub("", inner))).strip()
        found = _ID.search(attrs)
        if found:
            ident = found.group(1)
        else:
            ident, base, n = _slug(text), _slug(text), 1
            while ident in taken:
                n += 1
                ident = f"{base}-{n}"
            taken.add(ident)
            attrs = f' id="{ident}"{attrs}'
        if text:
            sections.append((ident, text))
        return f"<h2{attrs}>{inner}</h2>"

    body = _H2.sub(named, page)
    h1 = _H1_END.search(body)
    if len(sections) < 2 or not h1:
        return body
    items = "".join(f'<li><a href="#{ident}">{text}</a></li>' for ident, text in sections)
    title = html.escape(_(TITLE))
    nav = (
        f'<nav class="pb-contents" aria-label="{title}"><p class="pb-contents-title">{title}</p>'
        f"<ol>{items}</ol></nav>"
    )
    return body[: h1.end()] + nav + body[h1.end() :]
