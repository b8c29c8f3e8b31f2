"""The report stylesheet's print rules and the PDF printer's copy of them, and the "On this
page" contents every report page opens with."""

import re

from partnerbook.render import contents, html as html_mod, pdf


def _rules(css: str) -> dict[str, set[str]]:
    """{selector: {declaration, ...}} of flat CSS rules (one selector of a list each)."""
    out: dict[str, set[str]] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = {re.sub(r"\s+", " ", d).strip() for d in body.split(";") if d.strip()}
        for selector in selectors.split(","):
            out.setdefault(re.sub(r"\s+", " ", selector).strip(), set()).update(decls)
    return out


def _print_block(css: str) -> str:
    start = css.index("@media print {") + len("@media print {")
    depth, i = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[i], 0)
        i += 1
    return css[start : i - 1]


def test_print_keeps_figures_rows_cards_and_quotes_whole_and_headings_with_what_follows():
    rules = _rules(_print_block(html_mod.css()))
    for selector in ("figure", ".pb-figure", "svg", "tr", ".pb-kpi", ".pb-kpis", "blockquote"):
        assert "break-inside: avoid" in rules[selector], selector
    for selector in ("h1", "h2", "h3"):
        assert "break-after: avoid" in rules[selector], selector
    # collapsed sections print open; the contents list and the screen's sticky column do not print
    assert "content-visibility: visible" in rules["details::details-content"]
    assert "display: block" in rules["details:not([open]) > :not(summary)"]
    assert "display: none" in rules[".pb-contents"]
    assert "position: static" in rules[".pb-table tr > :first-child"]


def test_pdf_print_css_only_repeats_the_template():
    template = _rules(_print_block(html_mod.css()))
    template.update(_rules(re.search(r"@page \{[^}]*\}", html_mod.css()).group(0)))
    printer = _rules(pdf.PRINT_CSS)
    assert printer and "break-inside: avoid" in printer["tr"] and "break-after: avoid" in printer["h2"]
    for selector, decls in printer.items():
        assert decls <= template.get(selector, set()), (selector, decls, template.get(selector))


def test_contents_lists_the_sections_and_gives_every_heading_an_id():
    page = (
        '<main><div><h1 id="Title">Partner &amp; co<a class="anchor-link" href="#Title">¶</a></h1>'
        '<p>intro</p></div><h2 id="Goals">Goals<a class="anchor-link" href="#Goals">¶</a></h2>'
        "<h2>The partners&#x27; voice</h2><h2>Next steps</h2><h2>Next steps</h2></main>"
    )
    out = contents.add(page)
    nav = (
        '<nav class="pb-contents" aria-label="On this page"><p class="pb-contents-title">On this page</p><ol>'
        '<li><a href="#Goals">Goals</a></li>'
        '<li><a href="#s-the-partners-x27-voice">The partners&#x27; voice</a></li>'
        '<li><a href="#s-next-steps">Next steps</a></li><li><a href="#s-next-steps-2">Next steps</a></li></ol></nav>'
    )
    assert out.startswith(
        '<main><div><h1 id="Title">Partner &amp; co<a class="anchor-link" href="#Title">¶</a></h1>'
        + nav
        + "<p>intro</p>"
    )
    assert '<h2 id="s-the-partners-x27-voice">' in out and '<h2 id="s-next-steps-2">Next steps</h2>' in out


def test_a_page_with_one_section_or_no_title_gets_no_contents():
    assert "pb-contents" not in contents.add("<h1>T</h1><h2>Only</h2>")
    assert "pb-contents" not in contents.add("<h2>A</h2><h2>B</h2>")
