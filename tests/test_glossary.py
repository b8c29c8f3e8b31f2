"""The glossary page: one entry per catalogue metric, the two pipelines side by side, its own
title, links that resolve, and text escaped."""

import re

from partnerbook import glossary, metrics
from partnerbook.metrics import Metric


def test_every_catalogue_metric_has_one_entry_with_its_anchor():
    page = glossary.page(metrics.CATALOGUE, subtitle="Northwind · 2026-Q3")
    ids = re.findall(r'<section class="pb-term" id="([^"]+)"', page)
    extra = [
        "channel_roi",
        "cost_of_sales",
        "market_share",
        "segment_share",
        "product_share",
        "health",
        "attainment",
        "pace",
    ]  # derived measures and words, after the catalogue
    assert sorted(ids) == sorted(glossary.anchor(m) for m in [*metrics.CATALOGUE, *extra])
    assert len(ids) == len(set(ids)) == len(metrics.CATALOGUE) + 8
    revenue = re.search(r'id="m-revenue"><h3>Revenue</h3><dl>(.*?)</dl>', page).group(1)
    assert "<dt>Kind</dt><dd>Lagging: business results</dd>" in revenue
    assert "<dt>Unit</dt><dd>an amount of money</dd>" in revenue
    assert "<dt>Good direction</dt><dd>higher is better</dd>" in revenue
    assert "<dt>Source table</dt><dd><code>opportunities</code></dd>" in revenue
    assert "<dt>Key metric in stages</dt><dd>sell, grow, churned</dd>" in revenue
    lost = re.search(r'id="m-deals_lost">(.*?)</section>', page).group(1)
    assert "lower is better" in lost


def test_title_is_the_heading_and_every_link_on_the_page_resolves():
    page = glossary.page(metrics.CATALOGUE)
    assert "<title>Glossary of metrics</title>" in page and "<h1>Glossary of metrics</h1>" in page
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    targets = re.findall(r'href="#([^"]+)"', page)
    assert targets and set(targets) <= ids
    # every metric is in the index at the top
    assert {glossary.anchor(m) for m in metrics.CATALOGUE} <= set(targets)


def test_open_and_registered_pipeline_side_by_side():
    page = glossary.page(metrics.CATALOGUE)
    table = re.search(r'<h2 id="pipelines">(.*?)</table>', page, re.S).group(1)
    head = re.findall(r'<th scope="col"><a href="#([^"]+)">([^<]+)</a></th>', table)
    assert head == [("m-pipeline", "Open pipeline"), ("m-registered_pipeline", "Registered pipeline")]
    assert "open at the period end" in table and "deal registrations submitted in the period" in table
    assert "<td>opportunities</td><td>deal_registrations</td>" in table


def test_links_from_pages_to_the_glossary():
    assert glossary.link_from("goals.html") == "glossary.html"
    assert glossary.link_from("partners/P001.html") == "../glossary.html"
    assert glossary.link_from("for-partners/P001.html") == ""  # a partner edition: no link
    assert glossary.href("win_rate", "../") == "../glossary.html#m-win_rate"


def test_text_is_escaped():
    odd = Metric("x<y>", "A <b>bold</b> label", "leading", "count", "up", (), "a < b & c", "t<1>")
    page = glossary.page({odd.name: odd})
    assert "<b>" not in page and "A &lt;b&gt;bold&lt;/b&gt; label" in page
    assert "a &lt; b &amp; c" in page and "<code>t&lt;1&gt;</code>" in page
    assert "Other" not in page and 'id="m-x-y-"' in page


def test_derived_measures_flags_attainment_and_pace_have_entries():
    page = glossary.page(metrics.CATALOGUE)
    index = set(re.findall(r'<li><a href="#([^"]+)">', page))
    for name in (
        "channel_roi",
        "cost_of_sales",
        "market_share",
        "segment_share",
        "product_share",
        "health",
        "attainment",
        "pace",
    ):
        assert f'<section class="pb-term" id="m-{name}">' in page, name
        assert f"m-{name}" in index, name
    roi = re.search(r'id="m-channel_roi"><h3>Channel ROI</h3>(.*?)</section>', page).group(1)
    assert "Partner revenue × gross margin ÷ programme costs" in roi and "a ratio (×)" in roi
    cost = re.search(r'id="m-cost_of_sales">(.*?)</section>', page).group(1)
    assert "Programme costs ÷ partner revenue" in cost and "lower is better" in cost
    assert "÷ the size of the market" in re.search(r'id="m-market_share">(.*?)</section>', page).group(1)
    health = re.search(r'id="m-health">(.*?)</section>', page).group(1)
    assert "healthy" in health and "watch" in health and "at risk" in health and "program.yaml" in health
    assert "Actual ÷ target" in re.search(r'id="m-attainment">(.*?)</section>', page).group(1)


def test_mdf_return_is_a_ratio_empty_until_mdf_is_paid():
    page = glossary.page(metrics.CATALOGUE)
    roi = re.search(r'id="m-mdf_roi">(.*?)</section>', page).group(1)
    assert "<dt>Unit</dt><dd>a ratio (×)" in roi and "percent" not in roi
    assert "Empty (—) until MDF has been paid" in roi


def test_no_definition_shows_a_field_name_of_the_data():
    page = glossary.page(metrics.CATALOGUE)
    shown = re.findall(r"<dt>How it is worked out</dt><dd>(.*?)</dd>", page) + re.findall(
        r'<section class="pb-term" id="[^"]+"><h3>[^<]*</h3><p>(.*?)</p>', page
    )
    assert len(shown) == len(metrics.CATALOGUE) + 5 + 3
    for text in shown:
        assert not re.search(r"\b[a-z]+(?:_[a-z]+)+\b", text), text
    assert "Deals won / opportunities closed (won or lost), counting the deals closed in the period" in page
    assert "Days from the day the partner joined to the day the partner&#x27;s first deal was won" in page
    # the field words of the pipelines table too
    table = re.search(r'<h2 id="pipelines">(.*?)</table>', page, re.S).group(1)
    assert "Amount of partner opportunities open at the period end" in table


def test_money_ratios_name_the_programmes_currency_and_lost_deals_read_plainly():
    page = glossary.page(metrics.CATALOGUE, currency="EUR")
    assert "revenue won for each €1 of MDF paid" in page
    assert "for each €1 spent on the programme" in page and "for each €1 of revenue partners won" in page
    assert "each 1 " not in page
    assert "Partner opportunities lost in the period." in page and "lost closed" not in page
    assert "for each $1 of MDF paid" in glossary.page(metrics.CATALOGUE)
