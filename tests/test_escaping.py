"""Text from the data is shown as text: the hostile sample rendered through `partnerbook report`.

The files are checked here as text (executed notebooks, HTML source); test_html_browser.py
opens every page in headless Chromium and checks the DOM.
"""

import html
import json
import re

import pytest

import security_sample as hs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root, _ = hs.rendered(tmp_path_factory)
    return root / "outputs" / hs.PERIOD


def _outputs(nb_path):
    """(mime type, text) of every output of every cell of an executed notebook."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                yield "stream", "".join(o["text"])
            for mime, value in (o.get("data") or {}).items():
                if mime != "image/png":
                    yield mime, "".join(value) if isinstance(value, list) else str(value)


def _injected(text: str) -> list[str]:
    """Tags with an on* handler or a javascript: URL (inside a tag, not escaped text)."""
    return re.findall(
        r"<[a-z][^<>]*\s(?:on[a-z]+\s*=|(?:href|src|action)\s*=\s*[\"']?\s*javascript:)[^<>]*>", text, re.I
    )


def test_hostile_reports_render(out):
    info = {r["key"]: r for r in json.loads((out / "run.json").read_text())["reports"]}
    for key in ("partner:P3", "partner:P4", "goals", "story", "story:sales"):
        assert info[key]["status"] == "rendered", (key, info[key]["error"])


def test_executed_notebooks_hold_hostile_text_only_escaped(out):
    notebooks = sorted((out / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 7
    seen_escaped = False
    for nb in notebooks:
        for mime, text in _outputs(nb):
            # never text/markdown, text/latex, javascript or widgets: only text, escaped HTML and data
            assert mime in ("text/html", "text/plain", "stream", "application/vnd.partnerbook.facts+json"), (
                nb.name,
                mime,
            )
            if mime == "text/html":
                for raw in (hs.SCRIPT, hs.IMG, hs.JS_LINK, "<script"):
                    assert raw not in text, (nb.name, raw)
                assert not _injected(text), (nb.name, _injected(text))
                seen_escaped |= html.escape(hs.SCRIPT, quote=False) in text
    assert seen_escaped


def test_partner_report_shows_every_kind_of_hostile_text(out):
    p3 = html.unescape((out / "partners" / "P3.html").read_text(encoding="utf-8"))
    p4 = html.unescape((out / "partners" / "P4.html").read_text(encoding="utf-8"))
    for text in (hs.SCRIPT, hs.IMG, hs.JS_LINK, hs.MD_LINK, hs.NAMES["P3"]):
        assert text in p3, text
    for text in (hs.RTL, hs.EMOJI, hs.LONG, hs.MATH, hs.NAMES["P4"]):
        assert text in p4, text[:40]


def test_no_script_or_handler_in_report_sources(out):
    reports = [
        *(out / "partners").glob("*.html"),
        out / "goals.html",
        out / "story.html",
        out / "story-sales.html",
    ]
    for page in reports:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), page.name
        assert not _injected(text), (page.name, _injected(text))
    dashboard = (out / "index.html").read_text(encoding="utf-8")
    assert dashboard.lower().count("<script") == 2  # the sort script and its words, no data in either
    script = re.search(r"<script>(.*?)</script>", dashboard, re.S).group(1)
    words = re.search(r'<script type="application/json" id="pb-words">(.*?)</script>', dashboard, re.S).group(
        1
    )
    assert all("alert" not in s and "Acme" not in s for s in (script, words))


def test_hostile_category_labels_do_not_break_charts(out):
    """`$\\nocommand$` in a product category would fail matplotlib's mathtext: charts show it as text."""
    pages = [(out / "partners" / f"{p}.html").read_text(encoding="utf-8") for p in ("P3", "P4")]
    alts = [html.unescape(a) for page in pages for a in re.findall(r'<svg [^>]*aria-label="([^"]*)"', page)]
    assert any(a.startswith("Revenue by product category") for a in alts)
