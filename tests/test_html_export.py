"""The report exporter on hand-made notebooks (no kernel): the page's <title> is its heading,
markdown placeholders in angle brackets stay text, the glossary link only where asked."""

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from partnerbook.render import html


def _nb(*cells):
    return new_notebook(cells=list(cells), metadata={"title": "Notebook"})


def _title(page):
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_title_is_the_first_heading_of_markdown():
    page = html.to_html(_nb(new_markdown_cell("# Goal setting\n\nText."), new_markdown_cell("# Later")))
    assert _title(page) == "Goal setting"


def test_title_is_a_heading_from_an_output_escaped_not_a_chart_title():
    out = new_output(
        "display_data",
        data={
            "text/html": '<figure><svg role="img"><title>chart</title></svg>'
            "</figure><h1>Partner scorecard: Acme &lt;b&gt; &amp; Co</h1>"
        },
    )
    page = html.to_html(_nb(new_code_cell("x", outputs=[out])))
    assert _title(page) == "Partner scorecard: Acme &lt;b&gt; &amp; Co"
    assert page.count("<title>chart</title>") == 1  # the chart keeps its own


def test_angle_brackets_in_markdown_are_shown_as_typed():
    page = html.to_html(
        _nb(
            new_markdown_cell(
                "# Goals\n\nTo set a target by hand, copy outputs/<period>/targets.csv to params/targets/<period>.csv "
                "and `<code>` stays code; <script>alert(1)</script>"
            )
        )
    )
    assert "copy outputs/&lt;period&gt;/targets.csv to params/targets/&lt;period&gt;.csv" in page
    assert "<code>&lt;code&gt;</code>" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_glossary_link_in_the_footer_only_when_given():
    nb = _nb(new_markdown_cell("# Partner scorecard"))
    linked = html.to_html(nb, "Northwind · 2026-Q3", glossary="../glossary.html")
    assert re.search(
        r'<footer class="pb-footer">Northwind · 2026-Q3 · <a class="pb-glossary-link" '
        r'href="\.\./glossary\.html">Glossary: what each metric means</a></footer>',
        linked,
    )
    assert "glossary.html" not in html.to_html(nb, "Northwind · 2026-Q3")


def test_visible_text_reads_chart_text_and_names():
    page = (
        '<figure><svg role="img" aria-label="Revenue of Beta"><title>Revenue of Beta</title>'
        '<style>*{x:y}</style><text x="1">Gamma Ltd</text></svg></figure>'
    )
    text = html.visible_text(page)
    assert "Gamma Ltd" in text and "Revenue of Beta" in text and "x:y" not in text


def test_a_page_is_exported_without_normalising_or_validating_the_notebook(monkeypatch):
    """nbconvert wraps its CSS header preprocessor in a deep copy, a normalisation and a
    validation of the whole notebook, for every page; the exporter works that preprocessor's
    output out once, so a page costs none of them, and two exports are the same page."""
    import nbformat
    from nbformat import validator

    nb = _nb(new_markdown_cell("# One"), new_code_cell("1", outputs=[]))
    first = html.to_html(nb)
    calls = []
    monkeypatch.setattr(nbformat, "validate", lambda *a, **k: calls.append("validate"))
    monkeypatch.setattr(validator, "normalize", lambda nb, *a, **k: calls.append("normalize") or (0, nb))
    assert html.to_html(nb) == first
    assert calls == []
