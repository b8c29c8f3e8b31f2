"""The partner's report in two editions (render/editions.py, scorecard edition wording) and the
isolation check without false alarms for the programme's own name. Fast: no kernel.
(The end-to-end render of both editions is tests/test_editions_render.py.)"""

from pathlib import Path

import nbformat
import pandas as pd
import pytest
import test_scorecard as ts
from partnerbook import confidential, scorecard, store
from partnerbook.render import editions
from partnerbook.render import html as html_mod

REPO = Path(__file__).resolve().parents[1]


# -- which cells each edition shows -----------------------------------------------------------


def test_select_keeps_untagged_cells_and_drops_the_other_editions():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("both"),
            nbformat.v4.new_code_cell("am", metadata={"tags": ["internal"]}),
            nbformat.v4.new_code_cell("partner", metadata={"tags": ["partner-only"]}),
            nbformat.v4.new_markdown_cell("title", metadata={"tags": ["remove-cell"]}),
        ]
    )
    assert [c.source for c in editions.select(nb, "internal").cells] == ["both", "am", "title"]
    assert [c.source for c in editions.select(nb, "partner").cells] == ["both", "partner", "title"]
    assert len(nb.cells) == 4  # the executed notebook is left whole
    assert editions.path("partner", "P001") == "for-partners/P001.html"
    assert editions.path("internal", "P001") == "partners/P001.html"


def test_the_scorecard_notebook_tags_every_internal_section():
    nb = nbformat.read(str(REPO / "notebooks" / "partner_scorecard.ipynb"), as_version=4)
    tagged = {c.source: c.metadata.get("tags", []) for c in nb.cells}
    for source in (
        "scorecard.health(p)",
        "scorecard.business_review(p)",
        "scorecard.stage(p)",
        "scorecard.attainment(p)",
        "scorecard.stories(p)",
        "scorecard.leading_lagging(p)",
    ):
        assert tagged[source] == ["internal"], source
    assert tagged["scorecard.glossary_section(p)"] == ["partner-only"]
    assert tagged['scorecard.stories(p, edition="partner")'] == ["partner-only"]


# -- the internal-content check ------------------------------------------------------------

CLEAN = (
    "<html><body><h1>Partner scorecard: Acme</h1><p>Revenue $1,000. At risk of falling a tier.</p>"
    '<h2 id="goals">Goals<a class="anchor-link" href="#goals">¶</a></h2></body></html>'
)


def test_a_clean_partner_page_passes():
    assert editions.refused(CLEAN, "Acme") == []


@pytest.mark.parametrize(
    "planted, why",
    [
        ("Health: watch.", "the health flag ('Health')"),
        ("Looks healthy", "the health flag ('healthy')"),
        ("Peer median $200", "peers ('Peer')"),
        ("too few peers to compare", "peers ('peers')"),
        ("Stage sell: judged on the metrics below.", "'judged on' wording ('judged on')"),
        ("capacity share 40%", "the capacity share behind a target ('capacity share')"),
        ("CTO, survey score 5", "an individual survey score ('survey score 5')"),
        ("Predictability ×0.95", "a target factor (predictability) ('Predictability')"),
        ("solution completeness", "a target factor (solution completeness) ('solution completeness')"),
        (
            "For your next business review",
            "the account manager's business review points ('next business review')",
        ),
        ("Target workings", "the target workings ('Target workings')"),
        # the French of the same, as the catalogue words them
        ("Santé : à surveiller.", "the health flag ('Santé')"),
        ("Médiane des pairs 200 $", "peers ('pairs')"),
        ("Étape vente : évaluée sur les indicateurs ci-dessous.", "'judged on' wording ('évaluée sur')"),
        ("part de capacité 40 %", "the capacity share behind a target ('part de capacité')"),
        ("DSI, note d’enquête 5", "an individual survey score ('note d’enquête 5')"),
        ("Prévisibilité ×0,95", "a target factor (predictability) ('Prévisibilité')"),
        ("complétude de la solution", "a target factor (solution completeness) ('complétude')"),
        (
            "Pour votre prochaine revue d'affaires",
            "the account manager's business review points ('prochaine revue d'affaires')",
        ),
        ("Calcul des objectifs", "the target workings ('Calcul des objectifs')"),
        ("Calcul des cibles", "the target workings ('Calcul des cibles')"),  # the catalogue's heading
    ],
)
def test_each_internal_phrase_is_refused(planted, why):
    page = CLEAN.replace("</body>", f"<p>{planted}</p></body>")
    assert editions.refused(page, "Acme") == [why]
    assert len(editions.INTERNAL_PHRASES) == 18  # each phrase of the list is planted above


def test_a_phrase_in_alt_text_is_refused_and_a_link_out_is_refused():
    assert editions.refused(CLEAN.replace("</body>", '<img alt="peer median" src="data:,"></body>'))
    assert editions.refused(
        CLEAN.replace("</body>", '<a href="../glossary.html#m-revenue">x</a></body>')
    ) == ["a link to another page (../glossary.html#m-revenue)"]


def test_the_partners_own_name_is_not_refused():
    page = CLEAN.replace("Acme", "Peerless Health Systems")
    assert editions.refused(page, "Peerless Health Systems") == []
    assert editions.refused(page, "Acme") != []


# -- isolation without false alarms ----------------------------------------------------------


def test_programme_name_is_not_taken_for_a_partner_and_a_real_mention_is():
    partners = pd.DataFrame({"partner_id": ["P1", "P2"], "name": ["Northwind", "Contoso"]})
    names = html_mod.Names(partners, fixed=["Northwind Partner Programme", "Win together with partners"])
    footer = '<footer class="pb-footer">Northwind Partner Programme · 2026-Q3 · partnerbook 1.0</footer>'
    assert names.leaks(f"<h1>Contoso</h1>{footer}", "P2") == []
    assert names.leaks("<h1>Contoso</h1><p>Northwind\n  partner programme</p>", "P2") == []  # case, spacing
    assert names.leaks(f"<h1>Contoso</h1><p>We beat Northwind.</p>{footer}", "P2") == ["Northwind"]
    assert names.leaks("<h1>Contoso</h1><p>Northwind Partner Programmes</p>", "P2") == ["Northwind"]
    assert names.leaks(f"<h1>Northwind</h1><p>P2</p>{footer}", "P1") == ["P2"]
    # without the fixed text, the footer alone was a false alarm
    assert html_mod.Names(partners).leaks(f"<h1>Contoso</h1>{footer}", "P2") == ["Northwind"]


# -- sections worded per edition (the hand-built workbook of test_scorecard) -----------------


def _surveys(rows):
    return pd.DataFrame(
        rows, columns=["response_id", "partner_id", "answered_on", "respondent", "score", "comment"]
    ).assign(answered_on=lambda f: pd.to_datetime(f["answered_on"]))


def _with_tables(wb, program_extra=None, **tables):
    wb.__dict__["dataset"] = store.Dataset(tables=tables, absent=frozenset(), meta={"end": "2026-09-30"})
    if program_extra:
        wb.__dict__["program"] = {**wb.program, **program_extra}
    return wb


TWO = _surveys(
    [
        ("S1", "A", "2026-08-01", "CTO", 5, "Slow approvals."),
        ("S2", "A", "2026-09-01", "Sales lead", 9, "Great leads."),
    ]
)


def _visible(fragment) -> str:
    return " ".join(html_mod.visible_text(fragment.data).split())


def test_two_respondents_partner_edition_shows_no_individual_answer():
    wb = _with_tables(ts.workbook(), {"surveys": {"attributable": True}}, surveys=TWO, stories=_stories())
    partner = _visible(scorecard.stories(wb.partner("A"), edition="partner"))
    internal = _visible(scorecard.stories(wb.partner("A")))
    # 2 people < min_respondents 3: no figure, no comment in the partner edition
    assert "survey score" not in partner and "CTO" not in partner and "Slow approvals" not in partner
    assert (
        "Survey: 2 answers in the last year; results are shown once at least 3 people have answered"
        in partner
    )
    assert (
        "CTO, survey score 5, 1 Aug 2026" in internal and "Sales lead, survey score 9, 1 Sep 2026" in internal
    )


def test_not_attributable_internal_edition_shows_no_respondent_either():
    wb = _with_tables(ts.workbook(), surveys=TWO, stories=_stories())
    internal = _visible(scorecard.stories(wb.partner("A")))
    assert "survey score" not in internal and "CTO" not in internal


def test_enough_respondents_aggregates_only_in_the_partner_edition():
    # scores 5, 9, 7 from three people: 3 answers, average (5 + 9 + 7) / 3 = 7.0. The partner edition
    # shows no comment (a colleague could recognise it); the internal one, unattributed, as before
    three = pd.concat([TWO, _surveys([("S3", "A", "2026-09-10", "CEO", 7, None)])], ignore_index=True)
    wb = _with_tables(ts.workbook(), surveys=three, stories=_stories())
    partner = _visible(scorecard.stories(wb.partner("A"), edition="partner"))
    assert "Survey: 3 answers from 3 people in the last year, average score 7.0 of 10." in partner
    assert "Slow approvals." not in partner and "Great leads." not in partner
    assert "CTO" not in partner and "survey score" not in partner
    internal = _visible(scorecard.stories(wb.partner("A")))
    assert "Slow approvals." in internal and "CTO" not in internal


def _stories():
    return pd.DataFrame(columns=["story_id", "partner_id", "told_on", "author", "kind", "text"]).astype(
        {"told_on": "datetime64[ns]"}
    )


def test_headline_and_stage_partner_wording():
    p = ts.workbook().partner("A")
    assert "Peer" not in scorecard.headline(p, "partner").data
    assert "Peer median" in scorecard.headline(p).data
    assert "judged on" in scorecard.stage(p).data
    assert "judged on" not in scorecard.stage(p, "partner").data
    assert editions.refused(scorecard.headline(p, "partner").data + scorecard.stage(p, "partner").data) == []


def test_target_sentence_instead_of_factors():
    targets = pd.DataFrame(
        {
            "partner_id": ["A"],
            "metric": ["revenue"],
            "target": [1000.0],
            "baseline": [800.0],
            "growth": [0.1],
            "capacity": [0.6],
            "margin_adj": [0.94],
            "mix_adj": [1.0],
            "attach_adj": [1.0],
            "maturity": [0.9],
            "source": ["computed"],
        }
    )
    p = ts.workbook(targets=targets).partner("A")
    internal, partner = _visible(scorecard.attainment(p)), _visible(scorecard.attainment(p, "partner"))
    assert "Target workings" in internal and "Capacity share" in internal and "60%" in internal
    assert "×0.94" in internal
    assert "Your revenue target is set from your own results over the last four quarters." in partner
    assert "Capacity" not in partner and "×" not in partner


def test_partner_glossary_defines_what_it_shows_without_links():
    out = scorecard.glossary_section(ts.workbook().partner("A")).data
    assert "<dt>Revenue</dt><dd>Amount of partner-sourced opportunities won" in out
    assert "<a " not in out


def test_a_link_written_as_text_is_not_a_link():
    # a story quoting '<a href="javascript:...">' is escaped text, not a link (test_escaping checks that)
    page = CLEAN.replace(
        "</body>",
        "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;</p>"
        '<img alt="&lt;a href=&quot;x.html&quot;&gt;" src="data:,"></body>',
    )
    assert editions.refused(page, "Acme") == []
    assert editions.refused(CLEAN.replace("</body>", "<a class=x href='story.html'>s</a></body>")) == [
        "a link to another page (story.html)"
    ]


def test_the_notebooks_headings_are_fixed_text(tmp_path):
    # a partner named "Leading" (a word of the heading "Leading and lagging metrics") is not found
    # in another's report, and a real mention still is; a heading that is exactly a partner's
    # name ("Trends") is not masked, as that would hide every mention of the partner
    program = {"program": {"name": "Northwind Partner Programme"}, "values": ["Grow"]}
    fixed = html_mod.fixed_text(program, {str(REPO / "notebooks" / "partner_scorecard.ipynb")})
    assert fixed[:2] == ["Northwind Partner Programme", "Grow"]
    assert "Leading and lagging metrics" in fixed and "Trends" in fixed
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3"], "name": ["Leading", "Contoso", "Trends"]})
    names = html_mod.Names(partners, fixed=fixed)
    assert names.leaks("<h1>Contoso</h1><h2>Leading and lagging metrics</h2>", "P2") == []
    assert names.leaks("<h1>Contoso</h1><p>We met Leading.</p>", "P2") == ["Leading"]
    assert names.leaks("<h1>Contoso</h1><p>We met Trends.</p>", "P2") == ["Trends"]


def test_a_story_in_internal_wording_is_left_out_of_the_partner_edition_only():
    stories = pd.DataFrame(
        {
            "story_id": ["T1", "T2"],
            "partner_id": ["A", "A"],
            "told_on": pd.to_datetime(["2026-08-01", "2026-09-01"]),
            "author": ["Ana", "Ben"],
            "kind": ["quote", "quote"],
            "text": ["Our pipeline is healthy again.", "Registering early pays off."],
        }
    )
    wb = _with_tables(ts.workbook(), surveys=TWO.iloc[0:0], stories=stories)
    partner = _visible(scorecard.stories(wb.partner("A"), edition="partner"))
    internal = _visible(scorecard.stories(wb.partner("A")))
    assert "Registering early pays off." in partner and "healthy" not in partner
    assert "1 more left out of this edition." in partner
    assert "Our pipeline is healthy again." in internal and "left out" not in internal


@pytest.mark.parametrize(
    "tag, shown",
    [
        ("<a HREF = 'https://x.example/p'>x</a>", "https://x.example/p"),  # any case, spaces, quotes
        ("<a href=other.html>x</a>", "other.html"),  # no quotes
        ('<a href="&#104;ttp://x.example">x</a>', "http://x.example"),  # written with an entity
        ('<a href="#top">up</a><a href=\'#m\'>m</a><a href="  http://y.example">y</a>', "  http://y.example"),
    ],
)
def test_a_link_out_is_refused_however_it_is_written(tag, shown):
    """outside_links looks at every href= quickly and parses the page only when one points out:
    each way of writing a link out is still found, with its value as the parser reads it."""
    assert editions.refused(CLEAN.replace("</body>", tag + "</body>")) == [
        f"a link to another page ({shown})"
    ]


def test_links_within_the_page_only_are_not_refused():
    page = CLEAN.replace(
        "</body>", '<a href="#top">up</a><a HREF = \'#m-revenue\'>r</a><a href="">x</a></body>'
    )
    assert editions.outside_links(page) == [] and editions.refused(page) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Our PEERS grew", "peers ('PEERS')"),
        ("a Healthy quarter", "the health flag ('Healthy')"),
        ("ÉVALUÉE SUR le chiffre", "'judged on' wording ('ÉVALUÉE SUR')"),
        ("Note d’enquête 9 reçue", "an individual survey score ('Note d’enquête 9')"),
        ("Calcul des cibles", "the target workings ('Calcul des cibles')"),
    ],
)
def test_an_internal_phrase_is_found_whatever_its_case(text, why):
    assert confidential.found(text) == [why]


def test_a_phrase_inside_a_longer_word_or_the_partners_own_name_is_not_internal():
    assert confidential.found("peerless sales; unhealthy? no: wealth") == []
    assert confidential.found("Health Systems Ltd did well", own_name="Health  Systems Ltd") == []
