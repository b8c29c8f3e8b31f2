import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from partnerbook import display
from partnerbook.render import html as html_mod


def test_heading_escapes_and_clamps_level():
    assert display.heading("A <b> & B", 9).data == "<h6>A &lt;b&gt; &amp; B</h6>"


def test_paragraph_bold_from_template_only():
    out = display.paragraph("**{name}** has {n} deals.", name="**Evil** <script>x</script>", n=3)
    assert out.data == ("<p><strong>**Evil** &lt;script&gt;x&lt;/script&gt;</strong> has 3 deals.</p>")


def test_note_has_class():
    assert display.note("No MDF data supplied.").data == '<p class="pb-note">No MDF data supplied.</p>'


def test_table_formats_numbers_and_missing_with_reason():
    frame = pd.DataFrame({"metric": ["Revenue", "<i>Win</i>"], "value": [1234567.4, np.nan]})
    out = display.table(frame, formats={"value": "money"}, reasons={"value": "no closed deals"}).data
    assert "<td>Revenue</td>" in out
    assert '<td class="num"><span class="pb-nb">$1,234,567</span></td>' in out
    assert "<td>&lt;i&gt;Win&lt;/i&gt;</td>" in out
    # the reason is a small span of its own (it wraps instead of widening the number column)
    assert '<td class="num">— <span class="pb-reason">(no closed deals)</span></td>' in out


def test_table_rate_and_pandas_na():
    frame = pd.DataFrame({"who": pd.array(["a", pd.NA], dtype="string"), "rate": [0.256, 0.5]})
    out = display.table(frame, formats={"rate": "rate"}).data
    assert '<td class="num"><span class="pb-nb">26%</span></td>' in out
    assert '<td class="num"><span class="pb-nb">50%</span></td>' in out
    assert "<td>—</td>" in out


def test_dates_and_numbers_never_break_and_reasons_stay_small():
    frame = pd.DataFrame(
        {
            "deal": ["A <1>", "B"],
            "closed": [pd.Timestamp("2026-07-29"), pd.NaT],
            "given": ["2026-08-01", "— (not <set>)"],
            "change": [-0.58, -64_400.0],
        }
    )
    out = display.table(frame, formats={"change": "money"}, reasons={"closed": "still open"}).data
    assert '<td><span class="pb-nb">29 Jul 2026</span></td>' in out  # a Timestamp, as people read it
    assert '<td><span class="pb-nb">2026-08-01</span></td>' in out  # a date as text
    assert '<td>— <span class="pb-reason">(still open)</span></td>' in out
    assert '<td>— <span class="pb-reason">(not &lt;set&gt;)</span></td>' in out  # preformatted, escaped
    assert '<td class="num"><span class="pb-nb">−$1</span></td>' in out  # −0.58 rounds to −$1
    assert '<td class="num"><span class="pb-nb">−$64,400</span></td>' in out
    assert "<td>A &lt;1&gt;</td>" in out  # words are left as they are
    assert (
        display.marked("12 days") == "12 days" and display.marked("−45%") == '<span class="pb-nb">−45%</span>'
    )


def test_figure_is_inline_svg_named_once_by_alt_and_closes():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    ax.set_title("Acme <Partners> & co")
    out = display.figure(fig, alt='Revenue "trend" <8q>').data
    assert (
        out.startswith('<figure class="pb-figure"><svg ') and "data:image" not in out and "<?xml" not in out
    )
    assert 'role="img" aria-label="Revenue &quot;trend&quot; &lt;8q&gt;"' in out
    assert "<title>Revenue &quot;trend&quot; &lt;8q&gt;</title>" in out
    # the caption shows the same words to the eye and is hidden from screen readers (read once)
    assert '<figcaption aria-hidden="true">Revenue &quot;trend&quot; &lt;8q&gt;</figcaption>' in out
    # text is text (svg.fonttype none), escaped, and seen by the isolation check
    assert ">Acme &lt;Partners&gt; &amp; co</text>" in out
    assert "Acme <Partners> & co" in html_mod.visible_text(out)
    assert not plt.get_fignums()


def test_two_charts_on_one_page_share_no_ids():
    pages = []
    for top in (1, 2):
        fig, ax = plt.subplots()
        ax.bar([0, 1], [top, 3])
        pages.append(display.figure(fig, alt=f"chart {top}").data)
    ids = [re.findall(r' id="([^"]+)"', page) for page in pages]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    for page, own in zip(pages, ids):  # every reference points into its own chart
        assert set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page)) and all(
            ref in own for pair in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page) for ref in pair if ref
        )


def test_kpis_escape_and_metric_attribute():
    out = display.kpis([("Revenue", "$1,000", "+5%", "revenue"), ("<x>", "1", "")]).data
    assert 'data-metric="revenue"' in out and "&lt;x&gt;" in out
    assert out.count("data-metric") == 1 and out.count("pb-kpi-value") == 2


def test_quotes_escape():
    out = display.quotes([("<script>alert(1)</script>", "Ann & Bo")]).data
    assert "<script>" not in out and "Ann &amp; Bo" in out


def test_link_refuses_absolute_urls():
    assert display.link("P1", "partners/P1.html").data == '<p><a href="partners/P1.html">P1</a></p>'
    try:
        display.link("x", "javascript:alert(1)")
    except ValueError as exc:
        assert "relative" in str(exc)
    else:
        raise AssertionError("javascript: link accepted")


def test_a_chart_says_how_narrow_it_may_get_before_its_smallest_text_drops_under_9px():
    svg = (
        '<svg width="400pt" height="100pt" viewBox="0 0 400 100"><text style="font-size: 8px">a</text>'
        '<text style="font-size: 10px">b</text></svg>'
    )
    out = display.svg_inline(svg, "A chart")
    # 400 units wide, smallest text 8 units: 8 x w / 400 >= 9.25 px needs w >= 462.5 -> 463 px
    assert out.startswith(
        '<svg width="400pt" height="100pt" viewBox="0 0 400 100" role="img" '
        'aria-label="A chart" class="pb-chart" style="--pb-min: 463px">'
    )
    assert 'style="--pb-min' not in display.svg_inline('<svg width="400pt"><g></g></svg>', "No text")


def test_table_rows_hold_the_values_to_dict_gives():
    import numpy as np

    from partnerbook.display import _records

    frame = pd.DataFrame(
        {
            "text": ["x", None],
            "rate": [1.5, np.nan],
            "count": [1, 2],
            "day": pd.to_datetime(["2024-01-01", None]),
            "flag": [True, False],
            "mixed": [np.float64(2.0), "s"],
        }
    )
    got = _records(frame)
    assert [type(v) for v in got[0].values()] == [str, float, int, pd.Timestamp, bool, float]
    assert got[0] == {
        "text": "x",
        "rate": 1.5,
        "count": 1,
        "day": pd.Timestamp("2024-01-01"),
        "flag": True,
        "mixed": 2.0,
    }
    assert got[1]["text"] is None or pd.isna(got[1]["text"])
    assert np.isnan(got[1]["rate"]) and got[1]["day"] is pd.NaT and got[1]["mixed"] == "s"
    masked = frame.assign(n=pd.array([1, None], dtype="Int64"))  # NA of masked columns: None
    assert _records(masked)[1]["n"] is None
