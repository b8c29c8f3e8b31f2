"""Writing for people (issue 15 items 5 and 11): themes counted by hand, no quote or sentence
twice on a page, one minus sign, NPS 0, objective names quoted mid-sentence."""

import html as html_mod
import re

import pandas as pd
import pytest

from partnerbook import narrative, store
from partnerbook.narrative.voices import normalise, themes
from test_narrative import dataset, full_ctx, partner_table

COMMENTS = pd.DataFrame(
    {
        "partner_id": pd.array(["P01", "P02", "P03", "P02", "P04", None, "P01"], dtype="string"),
        "on": pd.to_datetime(
            ["2026-08-01", "2026-09-01", "2026-07-10", "2026-08-05", "2026-08-06", "2026-07-15", "2026-09-10"]
        ),
        "text": [
            "Leads are slow!",
            "leads are   slow",
            "Leads, are slow.",
            "Great portal",
            "great PORTAL!!",
            "New deal desk is live",
            "Leads are slow",
        ],
    }
)


def test_near_duplicates_are_one_theme_counted_by_partners():
    # by hand: "leads are slow" said by P01 (twice), P02, P03 -> 3 partners, 4 mentions;
    # "great portal" by P02 and P04 -> 2 partners; the programme's post -> 1
    found = themes(COMMENTS)
    assert list(zip(found["key"], found["partners"], found["mentions"])) == [
        ("leads are slow", 3, 4),
        ("great portal", 2, 2),
        ("new deal desk is live", 1, 1),
    ]
    assert list(found["text"]) == ["Leads are slow", "great PORTAL!!", "New deal desk is live"]  # the newest
    focus = themes(COMMENTS, {"P04", "P03"})  # a focus partner's words represent its theme
    assert list(focus["text"]) == ["Leads, are slow.", "great PORTAL!!", "New deal desk is live"]
    assert normalise("  Leads—are SLOW?! ") == "leads are slow"


def test_a_comment_from_two_partners_is_quoted_once_with_how_many_said_it():
    data = dataset()
    data.tables["surveys"] = store.coerce(
        "surveys",
        pd.DataFrame(
            {
                "response_id": ["R1", "R2"],
                "partner_id": ["P06", "P07"],
                "answered_on": ["2026-09-01", "2026-08-01"],
                "respondent": ["Owner", "CEO"],
                "score": [9, 7],
                "comment": ["Leads are slow", "leads are slow!"],
            }
        ),
    )
    page = "".join(narrative.voices(full_ctx(dataset=data)).html)
    quotes = re.findall(r"<blockquote><p>(.*?)</p><footer>(.*?)</footer>", page)
    assert [q for q, _ in quotes].count("Leads are slow") == 1
    assert ("Leads are slow", "— a partner in EMEA, survey comment 1 Sep 2026 · said by 2 partners") in quotes
    texts = [normalise(q) for q, _ in quotes]
    assert len(texts) == len(set(texts))


def test_nps_zero_is_zero_with_its_answers_and_change():
    rows = partner_table()
    rows.loc[rows["partner_id"].isna() & (rows["metric"] == "partner_nps"), ["value", "prior_value"]] = [
        0.0,
        -10.0,
    ]
    page = "".join(narrative.voices(full_ctx(metrics=rows)).html)
    assert "<p>Partner NPS was 0.0 from 1 answer, up 10.0 points from −10.0 in 2026-Q2.</p>" in page
    assert "+0" not in page


def test_the_nps_change_is_worked_out_from_the_unrounded_scores():
    # +3.7037 against +19.4444: down 15.74 points: 'down 15.7 points', the scores +3.7 and +19.4
    rows = partner_table()
    rows.loc[rows["partner_id"].isna() & (rows["metric"] == "partner_nps"), ["value", "prior_value"]] = [
        3.7037,
        19.4444,
    ]
    page = "".join(narrative.voices(full_ctx(metrics=rows)).html)
    assert "<p>Partner NPS was +3.7 from 1 answer, down 15.7 points from +19.4 in 2026-Q2.</p>" in page


def test_an_nps_change_under_ten_points_has_one_decimal_and_so_do_the_scores():
    # +12.34 against +19.44: down 7.1 points; the scores beside it +12.3 and +19.4 (7.1 apart)
    rows = partner_table()
    rows.loc[rows["partner_id"].isna() & (rows["metric"] == "partner_nps"), ["value", "prior_value"]] = [
        12.34,
        19.44,
    ]
    page = "".join(narrative.voices(full_ctx(metrics=rows)).html)
    assert "<p>Partner NPS was +12.3 from 1 answer, down 7.1 points from +19.4 in 2026-Q2.</p>" in page


SECTIONS = (
    narrative.scorecard,
    narrative.summary,
    narrative.bridge,
    narrative.outlook,
    narrative.why,
    narrative.portfolio_section,
    narrative.voices,
    narrative.use_cases,
    narrative.next_steps,
)


def page_text(ctx) -> str:
    """The page's visible text, one block (paragraph, list item, cell, caption) a line."""
    html = "".join("".join(f(ctx).html) for f in SECTIONS)
    html = re.sub(r"<(li|td|th)\b[^>]*>", "\n\t", html)  # a list item or a cell: one unit
    html = re.sub(r"<(p|h\d|caption|footer|figcaption|ul|tr)\b[^>]*>", "\n", html)
    return re.sub(r" +", " ", re.sub(r"<[^>]+>", "", html))


def sentences(text: str) -> list[str]:
    """Sentences of paragraphs (a list item or a cell counts as one), four words or more."""
    parts = [
        s
        for line in text.splitlines()
        for s in ([line] if line.startswith("\t") else re.split(r"(?<=[.!?:])\s+(?=[A-Z“])", line))
    ]
    return [p.strip() for p in parts if len(p.split()) >= 4]


def check_page(ctx):
    text = page_text(ctx)
    said = sentences(text)
    twice = {s for s in said if said.count(s) > 1}
    assert not twice, twice
    assert not re.search(r"(?<![\w-])-[$€£\d]", text), "an ASCII hyphen used as a minus sign"
    assert "+0 " not in text and "NaN" not in text
    for o in narrative.objectives(ctx.program, ctx.period):
        name = str(o.get("name") or "")
        for m in re.finditer(re.escape(name), text):
            before = text[max(0, m.start() - 2) : m.start()]
            # mid-sentence an objective's name is quoted; at the start of a cell or sentence it stands alone
            assert before.endswith("“") or before.strip() in ("", ".") or name[:1].islower(), text[
                m.start() - 40 : m.end()
            ]
    return text


def test_the_small_programme_page_says_nothing_twice():
    check_page(full_ctx())


@pytest.fixture(scope="module")
def sample_wb(tmp_path_factory):
    from partnerbook import sample, workbook

    path = sample.build(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    return workbook.open(period="2026-Q3", data=str(path))


@pytest.fixture(scope="module")
def sample_ctx(sample_wb):
    return narrative.context(sample_wb)


def test_the_sample_story_says_nothing_twice_and_every_step_is_owned_and_dated(sample_ctx):
    check_page(sample_ctx)
    steps = re.findall(r"<li>(.*?)</li>", "".join(narrative.next_steps(sample_ctx).html))
    assert steps and all("Owner: " in s and "Due 31 Oct 2026." in s and "Done when " in s for s in steps)
    programme_wide = (
        "Review the channel goals",
        "Review the certification rule",
        "Tell each of the",
    )  # goals page names them
    assert all('<a href="partners/' in s for s in steps if not s.startswith(programme_wide))


def story_sentences(ctx) -> list[str]:
    """The sentences of paragraphs and list items (tables, headings and captions are not prose)."""
    html = "".join("".join(narrative.part(ctx, key).html) for key in narrative.SECTIONS)
    html = re.sub(r"<(table|h\d|figure)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(li|td|th)\b[^>]*>", "\n\t", html)
    html = re.sub(r"<(p|h\d|caption|footer|figcaption|ul|tr)\b[^>]*>", "\n", html)
    return sentences(re.sub(r" +", " ", re.sub(r"<[^>]+>", "", html)))


def test_each_audience_story_is_its_own(sample_wb, sample_ctx):
    main = set(story_sentences(sample_ctx))
    for slug, own in (
        ("sales", "Pipeline and registrations"),
        ("marketing", "Market development funds"),
        ("enablement", "Onboarding speed"),
    ):
        ctx = narrative.context(sample_wb, audience=slug)
        # the summary is the programme's on every page (its objectives ranked across the programme):
        # what must be the audience's own is the rest
        summary = set(sentences(" ".join(narrative.summary(ctx).sentences)))
        said = [s for s in story_sentences(ctx) if s not in summary]
        shared = [s for s in said if s in main]
        assert len(shared) < len(said) / 2, (slug, len(shared), len(said))
        page = "".join("".join(narrative.part(ctx, key).html) for key in narrative.SECTIONS)
        assert f"<h2>{own}</h2>" in page and ("<h2>Revenue bridge</h2>" in page) == (slug == "sales")
        assert page.count("<h2>Next steps</h2>") == 1


NUMBER_TOKEN = re.compile(r"[−+-]?[$€£¥]?\d[\d,]*(?:\.\d+)?[%×MK]?")
DATE_OR_PERIOD = re.compile(
    r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b(?:FY)?\d{4}(?:-Q\d|-\d{2}(?:-\d{2})?)?\b"
)  # "31 Oct 2026" too


def marked_share(html: str) -> tuple[int, int]:
    """(numbers marked, numbers shown) in the page's own words: partner links, quotes, periods,
    dates and charts (their tick labels are axes) aside; a marked number is inside an element of class pb-num."""
    html = re.sub(
        r'<img[^>]*>|<figure\b.*?</figure>|<a href="partners/[^"]*">.*?</a>|<blockquote>\s*<p>.*?</p>',
        " ",
        html,
        flags=re.S,
    )
    marked = re.findall(r'class="pb-num"[^>]*>([^<]*)<', html)
    rest = re.sub(r'<(a|span) class="pb-num"[^>]*>[^<]*</\1>', " ", html)
    rest = re.sub(r"<footer>.*?</footer>", " ", rest, flags=re.S)  # attributions: the data's words
    rest = DATE_OR_PERIOD.sub(" ", html_mod.unescape(re.sub(r"<[^>]+>", " ", rest)))
    rest = re.sub(r"\bPartner \d+\b", " ", rest)  # the small programme's partner names
    loose = [t for t in NUMBER_TOKEN.findall(rest) if any(ch.isdigit() for ch in t)]
    return len(marked), len(marked) + len(loose)


def page_html(ctx) -> str:
    return "".join(narrative.part(ctx, key)._repr_mimebundle_()["text/html"] for key in narrative.SECTIONS)


def test_every_number_is_marked_with_its_label_period_and_scope():
    page = page_html(full_ctx())
    marked, shown = marked_share(page)
    assert shown and marked == shown, (marked, shown)
    assert (
        '<a class="pb-num" title="Revenue · 2026-Q3 · the programme" href="glossary.html#m-revenue">$1,250</a>'
        in page
    )


def test_the_sample_story_marks_every_number(sample_wb, sample_ctx):
    for ctx in (sample_ctx, narrative.context(sample_wb, audience="marketing")):
        marked, shown = marked_share(page_html(ctx))
        assert shown > 30 and marked == shown, (ctx.audience, marked, shown)


def test_portal_engagement_of_the_programme():
    """P01 10 logins, P02 5 (both selling); the programme 15, against 10 in 2026-Q2; page views
    not supplied as a metric row: not mentioned."""
    rows = pd.concat(
        [
            partner_table(),
            pd.DataFrame(
                [
                    {"partner_id": "P01", "metric": "portal_logins", "value": 10.0, "prior_value": 4.0},
                    {"partner_id": "P02", "metric": "portal_logins", "value": 5.0, "prior_value": 6.0},
                    {"partner_id": pd.NA, "metric": "portal_logins", "value": 15.0, "prior_value": 10.0},
                ]
            ).assign(period="2026-Q3", breakdown="", year_ago_value=float("nan")),
        ],
        ignore_index=True,
    ).astype({"partner_id": "string"})
    page = "".join(narrative.voices(full_ctx(metrics=rows)).html)
    assert (
        "<p>On the partner portal, 2 partners were active in 2026-Q3, with 15 logins, up from 10 in 2026-Q2; "
        "partners in the sell stage logged in most (100% of logins).</p>"
    ) in page
