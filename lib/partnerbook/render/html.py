"""HTML for people: the project template, the isolation check and safe file names.

`exporter()` builds one nbconvert HTMLExporter with the project template (no code, no
prompts, no parameters cells, CSS inlined, nothing fetched from a network); a worker
creates it once. `leaks()` is the check a partner report passes before it is published.
"""

from __future__ import annotations

import html as html_mod
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from .. import i18n
from ..paths import file_names  # noqa: F401 - the rule lives in paths; render.html.file_names stays
from . import contents

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE = "partnerbook"


@lru_cache(maxsize=1)
def exporter():
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
    from nbformat import NotebookNode

    rendered: dict[str, str] = {}  # markdown text (in the language in force) -> its HTML
    css: list[dict] = []  # the CSS header preprocessor's output, the same for every page

    class _Shared(NotebookNode):
        """The notebook handed to the template as it is: nbconvert deep-copies a notebook
        before exporting it, twice, in case a preprocessor changes it; we have none and the
        template only reads (the copies of every output, charts included, cost ~2 ms a page)."""

        def __deepcopy__(self, memo):
            return self

    class Exporter(HTMLExporter):
        """Markdown cells are text: an angle-bracket placeholder such as `<period>` in a
        notebook's markdown is shown as typed, never swallowed as an HTML tag."""

        @pass_context
        def markdown2html(self, context, source):
            attachments = context.get("cell", {}).get("attachments", {})
            text = i18n.markdown(source)
            if attachments:
                return self._markdown(text, attachments)
            if text not in rendered:  # a notebook's markdown cells are the same in every report
                rendered[text] = self._markdown(text, {})
            return rendered[text]

        def _markdown(self, text, attachments):
            renderer = IPythonRenderer(
                escape=True,
                attachments=attachments,
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
            )
            return MarkdownWithMath(renderer=renderer).render(text)

        def _create_environment(self):
            """nbconvert's environment with gettext: the template's words are messages."""
            environment = super()._create_environment()
            environment.add_extension("jinja2.ext.i18n")
            environment.install_gettext_callables(i18n._, i18n.ngettext)
            return environment

        def from_notebook_node(self, nb, resources=None, **kw):
            """HTMLExporter's export without its BeautifulSoup pass over the finished page: that
            pass re-parses every report (tens of ms) to add alt text our figures already carry
            and tab stops for a template we do not use, and it rewrites inline SVG (`viewBox`
            lowercased, attributes reordered)."""
            from nbconvert.exporters.templateexporter import TemplateExporter
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter(
                "highlight_code",
                self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)),
            )
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
            )
            return TemplateExporter.from_notebook_node(self, _Shared(nb), resources, **kw)

        def _preprocess(self, nb, resources):
            """No preprocessors: nothing to copy (nbconvert deep-copies the notebook and
            validates it here for preprocessors we do not have)."""
            if not self._preprocessors:
                return nb, resources
            if [type(p).__name__ for p in self._preprocessors] == ["CSSHTMLHeaderPreprocessor"]:
                # HTMLExporter's only one: it puts the same Pygments CSS in every page's resources;
                # worked out once, without the copy, normalisation and validation of the whole
                # notebook nbconvert wraps around any preprocessor (~8 ms a page)
                if not css:
                    css.append(super()._preprocess(nb, resources)[1]["inlining"])
                return nb, {**resources, "inlining": css[0]}
            return super()._preprocess(nb, resources)

    # The template drops parameters and remove-cell cells itself, so no preprocessor is needed
    # (each one also re-validates the whole notebook: 0.03 s a report for nothing).
    return Exporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        default_preprocessors=[],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
    )


def to_html(nb, footer: str = "", glossary: str = "") -> str:
    """The notebook as one self-contained HTML page in the project's look, titled by its
    first heading. `glossary`, when given, is the link to the glossary page ("glossary.html"
    or "../glossary.html") put in the page's footer."""
    resources = {
        "partnerbook_footer": footer,
        "partnerbook_glossary": glossary,
        "partnerbook_lang": i18n.tag(),
    }
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return titled(contents.add(body))


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
_HEAD_TITLE = re.compile(r"<title>.*?</title>", re.S)


def heading_text(page: str) -> str:
    """The page's first `<h1>` as text, still escaped (tags and the ¶ anchor link removed)."""
    found = _H1.search(page)
    if not found:
        return ""
    return re.sub(r"\s+", " ", _TAG.sub("", _ANCHOR.sub("", found.group(1)))).strip()


def titled(page: str) -> str:
    """`page` with its `<title>` (the head's, before any chart's) equal to its first heading."""
    text = heading_text(page)
    head_end = page.find("</head>")
    if not text or head_end < 0:
        return page
    head = _HEAD_TITLE.sub(lambda _: f"<title>{text}</title>", page[:head_end], count=1)
    return head + page[head_end:]


def css() -> str:
    """The project stylesheet (the dashboards share it)."""
    return (TEMPLATES / TEMPLATE / "partnerbook.css").read_text(encoding="utf-8")


# -- isolation -----------------------------------------------------------------------------

_DROP = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)
_SEEN = ("alt", "title", "aria-label")  # the attributes a reader sees (or hears) the value of
_VALUE = r"""\s*=\s*"([^"]*)\""""
_ATTR = re.compile(rf"\b(?:{'|'.join(_SEEN)}){_VALUE}", re.I)
_TAG = re.compile(r"<[^>]*>")


_NAMED = [re.compile(name + _VALUE) for name in _SEEN]


def visible_text(page: str) -> str:
    """What a reader can see: text and alt/title attributes, entities decoded; no CSS, no data URIs."""
    page = _DROP.sub(" ", page)
    attrs = " ".join(_attributes(page))
    return html_mod.unescape(_TAG.sub(" ", page) + " " + attrs)


def _attributes(page: str) -> list[str]:
    """The values of the alt, title and aria-label attributes, in order: what `_ATTR.findall`
    gives, found faster. A case-blind alternation makes the regular expression try every place of
    the page (2 ms a report page); each name alone, in lower case, is looked for as a literal
    (0.4 ms). A page whose lower case is not as long as itself is read the slow way."""
    low = page.lower()
    if len(low) != len(page):
        return _ATTR.findall(page)
    found = []
    for pattern in _NAMED:  # every place one matches (overlapping too), after no word character
        m = pattern.search(low)
        while m is not None:
            if not (m.start() and _is_word(low[m.start() - 1])):
                found.append((m.start(), m.end(), m.span(1)))
            m = pattern.search(low, m.start() + 1)
    found.sort()
    values, end = [], 0
    for start, stop, (a, b) in found:
        if start >= end:  # one left-to-right scan: no match inside another's value
            values.append(page[a:b])
            end = stop
    return values


_TOKEN = re.compile(r"\w+|[^\w\s]")  # a run of word characters, or one other visible character


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches


def _norm(text: str) -> str:
    """Runs of white space (a line break, a non-breaking space) read as one space."""
    return re.sub(r"\s+", " ", str(text)).strip()


class Names:
    """Every partner's id and name, to find other partners in a partner's report.

    Speed: a page is read once, a token at a time; a name is only tried where the page has
    its first token (a dict lookup), so the cost grows with the page, not with the number
    of partners (one regular expression of every name took 0.5 s a page for 1,000 partners).
    """

    def __init__(self, partners, fixed=()) -> None:
        # the programme's own name and other fixed text of every page (its values): never
        # read as a partner's name, so a partner called "Northwind" in the "Northwind Partner
        # Programme" is not found in every other partner's footer
        self.owner: dict[str, set[str]] = {}
        for pid, name in zip(partners["partner_id"].astype(str), partners["name"].fillna("").astype(str)):
            for token in (pid, _norm(name)):
                if token:
                    self.owner.setdefault(token, set()).add(pid)
        self._folded: dict[str, tuple[str, set[str]]] = {}
        for token, owners in self.owner.items():
            shown, known = self._folded.get(token.lower(), (token, set()))
            self._folded[token.lower()] = (shown, known | owners)
        # a fixed phrase that is exactly a partner's name or id is not masked: it would hide
        # every mention of that partner (a heading "Trends" and a partner "Trends" still clash)
        self._fixed = sorted(
            {_norm(t).lower() for t in fixed if _norm(t)} - set(self._folded), key=len, reverse=True
        )
        self._starting: dict[str, list[str]] = {}  # first token -> names, longest first
        for folded in sorted(self._folded, key=len, reverse=True):
            self._starting.setdefault(_TOKEN.match(folded).group(0), []).append(folded)

    def leaks(self, page: str, partner_id: str) -> list[str]:
        """Other partners' ids and names found as whole words in `page`, ignoring case and
        how white space is written. The longest name wins at each place, so 'Acme Systems'
        in Acme's report is found, and 'Acme Systems Group' in its own report is not read
        as 'Acme'. A name this partner shares with another is its own."""
        text = self._masked(_norm(visible_text(page)).lower())
        found, resume = set(), 0
        for start, first in self._starts(text):
            if start < resume:
                continue
            for candidate in self._starting[first]:
                end = start + len(candidate)
                if text.startswith(candidate, start) and not (end < len(text) and _is_word(text[end])):
                    shown, owners = self._folded[candidate]
                    if partner_id not in owners:
                        found.add(shown)
                    resume = end
                    break
        return sorted(found)

    def _starts(self, text: str) -> list[tuple[int, str]]:
        """Where a token of `text` that begins some name starts (not after a word character),
        in order, with that token: the places `leaks` tries. The page's distinct tokens are
        met with the names' first tokens as sets, and only those found are looked for (a page
        has a few thousand tokens, of which a handful begin a name)."""
        starts = []
        for first in self._starting.keys() & set(_TOKEN.findall(text)):
            word, at = _is_word(first[0]), text.find(first)
            while at >= 0:
                end = at + len(first)
                whole = not word or end == len(text) or not _is_word(text[end])  # the whole token
                if whole and (at == 0 or not _is_word(text[at - 1])):
                    starts.append((at, first))
                at = text.find(first, at + 1)
        return sorted(starts)

    def _masked(self, text: str) -> str:
        """`text` with each fixed phrase, as a whole phrase, blanked out (same length)."""
        for phrase in self._fixed:
            text = _blank(text, phrase)
        return text


def _blank(text: str, phrase: str) -> str:
    r"""Every whole-word occurrence of `phrase` in `text` blanked, left to right, as
    `re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", spaces, text)` does; but found with
    `str.find` (the look-behind kept the regular expression from searching for the phrase's
    letters, so it tried every position: 12 ms a page for the sample's 50 phrases, now 1 ms)."""
    start, n = 0, len(phrase)
    while (at := text.find(phrase, start)) >= 0:
        end = at + n
        if (at == 0 or not _is_word(text[at - 1])) and (end == len(text) or not _is_word(text[end])):
            text, start = text[:at] + " " * n + text[end:], end
        else:
            start = at + 1
    return text


def fixed_text(program: dict, notebooks=()) -> list[str]:
    """Text every page carries whoever it is about (the programme's name, the company's values,
    the partner notebooks' headings and plain sentences): the isolation check never reads it
    as a partner's name, so a partner called "Trends" is not found in every other report."""
    # the programme was checked when loaded: read its name and values as they are (no goals
    # import here: the no-op `report` path renders the dashboard through this module)
    program = program or {}
    fixed = [str((program.get("program") or {}).get("name") or ""), *map(str, program.get("values") or [])]
    for notebook in sorted(notebooks):
        fixed += _template_lines(notebook)
    return fixed


def _template_lines(notebook: str) -> list[str]:
    """The headings and plain lines (no Markdown markup) of a notebook's markdown cells."""
    try:
        cells = notebook_cells(notebook)
    except (OSError, ValueError):
        return []
    lines = (
        line.lstrip("#").strip()
        for cell in cells
        if cell.get("cell_type") == "markdown" and "remove-cell" not in cell["metadata"].get("tags", [])
        for line in cell["source"].splitlines()
    )
    return [line for line in lines if line and not re.search(r"[`*_\[\]<>]", line)]


def notebook_cells(notebook: str | os.PathLike) -> list[dict]:
    """The cells of a notebook file as plain dicts, each `source` one string and `metadata`
    always there: what the runner's process reads of a notebook (its parameters cell, its
    markdown), without importing nbformat and validating the file against its schema. A file
    that is not notebook JSON: ValueError."""
    with open(notebook, encoding="utf-8") as fh:
        nb = json.load(fh)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{notebook}: not a notebook (no cells)")
    return [
        {
            **cell,
            "metadata": cell.get("metadata") or {},
            "source": "".join(cell["source"])
            if isinstance(cell.get("source"), list)
            else cell.get("source") or "",
        }
        for cell in nb["cells"]
    ]
