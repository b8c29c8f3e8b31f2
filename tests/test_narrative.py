"""The stakeholder story on hand-built metric tables: exact sentences, recorded facts."""

import math
import re
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from partnerbook import goals, i18n, narrative
from partnerbook.errors import ParamsError

UNITS = {
    "revenue": ("money", "Revenue"),
    "revenue_growth_qoq": ("rate", "Revenue growth QoQ"),
    "revenue_growth_yoy": ("rate", "Revenue growth YoY"),
    "win_rate": ("rate", "Win rate"),
    "partner_nps": ("points", "Partner NPS"),
}
CATALOGUE = {
    m: NS(
        name=m,
        label=UNITS.get(m, ("count", m.replace("_", " ").capitalize()))[1],
        unit=UNITS.get(m, ("count",))[0],
        good="up",
    )
    for m in [
        "revenue",
        "revenue_growth_qoq",
        "revenue_growth_yoy",
        "win_rate",
        "deals_won",
        "opportunities_closed",
        "new_logos",
        "deals_registered",
        "trainings_attended",
        "certifications",
        "portal_logins",
        "partner_nps",
    ]
}
PROGRAM = {
    "program": {"currency": "USD", "peer_minimum": 5},
    "objectives": [
        {"id": "revenue", "name": "Grow partner revenue", "metric": "revenue", "target": 1_200_000},
        {"id": "certify", "name": "Certify partners", "metric": "certifications", "target": 20},
        {"id": "logos", "name": "Win new logos", "metric": "new_logos", "target": 2},
    ],
    "reporting": {
        "change_threshold": 0.02,
        "audiences": [
            {"slug": "enablement", "name": "Enablement", "objectives": ["certify"], "use_cases": ["training"]}
        ],
    },
}
NAN = math.nan


def table(rows, partner=pd.NA):
    """rows: metric -> (value, prior_value, year_ago_value) at programme level."""
    return pd.DataFrame(
        [
            {
                "partner_id": partner,
                "period": "2026-Q3",
                "metric": m,
                "breakdown": "",
                "value": v[0],
                "prior_value": v[1],
                "year_ago_value": v[2],
            }
            for m, v in rows.items()
        ]
    ).astype({"partner_id": "string"})


def ctx(rows, program=PROGRAM, **kw):
    return narrative.Context(
        metrics=table(rows),
        program=program,
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=CATALOGUE,
        **kw,
    )


GOOD_QUARTER = {
    "revenue": (1_150_000, 1_000_000, 958_000),
    "revenue_growth_qoq": (0.15, NAN, NAN),
    "revenue_growth_yoy": (0.20, NAN, NAN),
    "opportunities_closed": (35, 30, NAN),
    "deals_won": (12, 9, NAN),
    "win_rate": (12 / 35, 0.30, NAN),
    "new_logos": (3, 2, NAN),
    "deals_registered": (14, 10, NAN),
    "trainings_attended": (30, 12, NAN),
    "certifications": (9, NAN, NAN),
    "portal_logins": (100, 110, NAN),
}


def test_growth_up_against_goal_gives_five_exact_sentences():
    section = narrative.summary(ctx(GOOD_QUARTER))
    assert section.sentences == [
        "Partner revenue was $1,150,000 in 2026-Q3, up 15% on 2026-Q2 and up 20% on 2025-Q3: "
        "96% of the $1,200,000 goal.",
        "The win rate was 34.3% (12 of 35 closed deals won), up from 30.0% in 2026-Q2.",
        "Partners brought in 3 new logos and submitted 14 deal registrations.",
        # the programme's three objectives: new logos 3/2 = 150%, revenue 1,150,000/1,200,000 = 96%,
        # certifications 9/20 = 45%
        "Of the 3 objectives measured in 2026-Q3, the strongest is “Win new logos” at 150% of target; "
        "the weakest is “Certify partners” at 45%.",
        # counts from 5 in 2026-Q2 and amounts: trainings 30/12 = +150% (new logos 3 from 2 is under the
        # base of 5), deals registered +40%, deals won +33%, closed +17%, revenue +15%; portal logins
        # 100/110 = -9%, the only fall
        "Since 2026-Q2, the largest rise was in trainings attended: 30, up from 12 (+150%); the largest "
        "fall was in portal logins: 100, down from 110 (−9%).",
    ]


def test_growth_down_one_logo_no_registrations_no_closed_deals():
    rows = {
        "revenue": (800_000, 1_000_000, NAN),
        "revenue_growth_qoq": (-0.2, NAN, NAN),
        "revenue_growth_yoy": (NAN, NAN, NAN),
        "opportunities_closed": (0, 4, NAN),
        "deals_won": (0, 1, NAN),
        "win_rate": (NAN, 0.25, NAN),
        "new_logos": (1, 0, NAN),
        "deals_registered": (0, 3, NAN),
    }
    section = narrative.summary(ctx(rows, program={"program": {}}))
    assert section.sentences == [
        "Partner revenue was $800,000 in 2026-Q3, down 20% on 2026-Q2.",
        "No partner deals were closed in 2026-Q3, so there is no win rate.",
        "Partners brought in 1 new logo, and no deal registrations were recorded in 2026-Q3.",
        # closed 0 from 4, won 0 from 1, registrations 0 from 3, logos 1 from 0: all under the base of
        # 5; revenue 800,000/1,000,000 - 1 = -20% is the one move measured
        "Since 2026-Q2, the largest fall was in revenue: $800,000, down from $1,000,000 (−20%).",
    ]
    assert "NaN" not in section.text() and not re.search(r"(?<![\d])0%", section.text())


def test_flat_within_threshold_and_absent_registration_table():
    rows = {
        "revenue": (1_010_000, 1_000_000, NAN),
        "revenue_growth_qoq": (0.01, NAN, NAN),
        "opportunities_closed": (1, 1, NAN),
        "deals_won": (1, 1, NAN),
        "win_rate": (1.0, 0.99, NAN),
        "new_logos": (0, 0, NAN),
    }
    section = narrative.summary(
        ctx(rows, program={"program": {}}, unavailable={"deals_registered": "no deal_registrations table"})
    )
    assert section.sentences == [
        "Partner revenue was $1,010,000 in 2026-Q3, flat on 2026-Q2.",
        "The win rate was 100.0% (1 of 1 closed deal won), about the same as in 2026-Q2.",
        "Partners brought in no new logos; no deal registration data was supplied.",
    ]


def test_no_revenue_and_no_prior_period_to_compare():
    rows = {
        "revenue": (0, 0, NAN),
        "revenue_growth_qoq": (NAN, NAN, NAN),
        "new_logos": (2, NAN, NAN),
        "opportunities_closed": (2, NAN, NAN),
        "deals_won": (0, NAN, NAN),
        "win_rate": (0.0, NAN, NAN),
        "deals_registered": (1, NAN, NAN),
    }
    section = narrative.summary(ctx(rows, program={"program": {}}))
    assert section.sentences == [
        "No revenue was won through partners in 2026-Q3, with no revenue in 2026-Q2 to compare.",
        "The win rate was 0.0% (0 of 2 closed deals won).",
        "Partners brought in 2 new logos and submitted 1 deal registration.",
    ]


def test_an_audiences_summary_speaks_of_the_objectives_its_scorecard_shows():
    # the enablement audience's scorecard shows only "Certify partners" (9 of 20: 45%): so does its
    # summary ("Win new logos", 3/2 = 150%, is the programme's strongest, not on this page)
    section = narrative.summary(ctx(GOOD_QUARTER, audience="enablement"))
    assert "The one objective with data, “Certify partners”, is at 45% of target." in section.sentences
    assert not any("Win new logos" in s for s in section.sentences)


def test_an_objective_below_its_target_is_never_the_strongest():
    # new logos 1 of 2 = 50%, revenue 1,150,000 of 1,200,000 = 96% (rounded from 95.8%), certifications
    # 9 of 20 = 45%: none met, so revenue is "closest to its target", not "strongest"
    rows = {**GOOD_QUARTER, "new_logos": (1, 2, NAN)}
    assert narrative.summary(ctx(rows)).sentences[3] == (
        "Of the 3 objectives measured in 2026-Q3, none met its target: the closest to it is "
        "“Grow partner revenue” at 96% of target; the furthest is “Certify partners” at 45%."
    )


def test_every_number_is_recorded_with_its_source():
    section = narrative.summary(ctx(GOOD_QUARTER))
    facts = {(f.metric, f.kind): (f.value, f.text) for f in section.facts}
    assert facts[("revenue", "value")] == (1_150_000, "$1,150,000")
    assert facts[("revenue", "target")] == (1_200_000, "$1,200,000")
    assert facts[("win_rate", "prior")] == (0.30, "30.0%")
    assert facts[("trainings_attended", "change")] == (1.5, "+150%")
    assert all(f.period in ("2026-Q3", "2026-Q2") and f.scope == "programme" for f in section.facts)
    assert numbers_in(section) <= {f.text for f in section.facts}


def test_facts_travel_in_their_own_mime_type_beside_the_html():
    bundle = narrative.summary(ctx(GOOD_QUARTER))._repr_mimebundle_()
    assert set(bundle) == {"text/html", narrative.FACTS_MIME}
    assert bundle[narrative.FACTS_MIME]["section"] == "summary"
    assert {
        "metric": "new_logos",
        "period": "2026-Q3",
        "scope": "programme",
        "value": 3.0,
        "text": "3",
        "kind": "value",
    } in bundle[narrative.FACTS_MIME]["facts"]


def test_unknown_audience_and_use_case_are_named():
    with pytest.raises(ParamsError, match="unknown slug 'board'.*enablement"):
        narrative.audience(PROGRAM, "board")
    bad = {"reporting": {"audiences": [{"slug": "x", "name": "X", "use_cases": ["webinars"]}]}}
    with pytest.raises(ParamsError, match=r"audiences\[0\].use_cases: unknown use case 'webinars'"):
        narrative.reporting_plan(bad)
    wrong = {**PROGRAM, "reporting": {"audiences": [{"slug": "x", "name": "X", "objectives": ["certfy"]}]}}
    with pytest.raises(ParamsError, match=r"audiences\[0\].objectives: unknown objective 'certfy'"):
        narrative.reporting_plan(wrong)
    with pytest.raises(ParamsError, match="reporting.cadense: unknown key; did you mean 'cadence'"):
        narrative.reporting_plan({"reporting": {"cadense": "quarterly"}})


NUMBER = re.compile(r"[−+-]?[$€£¥]?\d(?:[\d,]*\d)?(?:\.\d+)?%?")
PERIOD = re.compile(
    r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b(?:FY)?\d{4}(?:-Q\d|-\d{2}(?:-\d{2})?)?\b"
)  # periods and dates


def numbers_in(section):
    """Number tokens of the page's own text: partner names (links), quotes and their
    attribution are the data's words, not numbers the story states; a chart's tick labels
    (SVG text) are its axis, not statements; a number marked for tracing (pb-num) is the story's."""
    page = re.sub(
        r'<(a|blockquote|figure)\b(?![^>]*class="pb-num").*?</\1>', " ", "".join(section.html), flags=re.S
    )
    text = re.sub(r"<[^>]+>", " ", page)
    text = PERIOD.sub(" ", text)
    return set(NUMBER.findall(text))


# ---------------------------------------------------------------- a small programme built by hand

from partnerbook import store  # noqa: E402

IDS = [f"P{i:02d}" for i in range(1, 11)]


def dataset(absent=(), stories=True):
    """10 partners. P01-P05 Gold, certified in May, $200 each in Q3 and Q2; P06-P10 Silver
    (P09 Gold), never certified, $50 each in Q3 and nothing in Q2. P09 onboard, P10 recruit."""
    frames = {name: store.empty_frame(name) for name in store.TABLES}
    tiers = ["Gold"] * 5 + ["Silver"] * 3 + ["Gold", "Silver"]
    frames["partners"] = store.coerce(
        "partners",
        pd.DataFrame(
            {
                "partner_id": IDS,
                "name": [f"Partner {i}" for i in range(1, 11)],
                "tier": tiers,
                "region": ["EMEA"] * 9 + ["AMER"],
            }
        ),
    )
    frames["engagements"] = store.coerce(
        "engagements",
        pd.DataFrame(
            {
                "engagement_id": [f"E{i}" for i in range(5)],
                "partner_id": IDS[:5],
                "contact_id": "C",
                "kind": "certification",
                "name": "Cert",
                "occurred_on": "2026-05-01",
            }
        ),
    )
    frames["business_plans"] = store.coerce(
        "business_plans",
        pd.DataFrame(
            {"plan_id": ["BP1"], "partner_id": ["P01"], "created_on": ["2026-01-10"], "status": ["active"]}
        ),
    )
    if stories:
        frames["stories"] = store.coerce(
            "stories",
            pd.DataFrame(
                {
                    "story_id": ["S1", "S2", "S3"],
                    "partner_id": ["P01", None, "P02"],
                    "told_on": ["2026-08-01", "2026-07-15", "2026-03-01"],
                    "author": ["Ann Lee", "Programme team", "Bo"],
                    "kind": ["quote", "portal_post", "quote"],
                    "text": ["We <b>love</b> registering & winning", "New deal desk is live", "Old news"],
                }
            ),
        )
        frames["surveys"] = store.coerce(
            "surveys",
            pd.DataFrame(
                {
                    "response_id": ["R1"],
                    "partner_id": ["P06"],
                    "answered_on": ["2026-09-01"],
                    "respondent": ["Owner"],
                    "score": [9],
                    "comment": ["Leads are slow"],
                }
            ),
        )
    return store.Dataset(frames, frozenset(absent))


def partner_table():
    rows = [("revenue", 200.0, 200.0), ("deals_registered", 1.0, 1.0)]
    recs = [
        {"partner_id": p, "metric": m, "value": v, "prior_value": pv} for p in IDS[:5] for m, v, pv in rows
    ]
    recs += [{"partner_id": p, "metric": "revenue", "value": 50.0, "prior_value": 0.0} for p in IDS[5:]]
    recs += [
        {"partner_id": p, "metric": "deals_registered", "value": 0.0, "prior_value": 3.0} for p in IDS[5:]
    ]
    prog = [
        ("revenue", 1250, 1000),
        ("revenue_growth_qoq", 0.25, NAN),
        ("new_logos", 2, 2),
        ("opportunities_closed", 4, 4),
        ("deals_won", 2, 2),
        ("win_rate", 0.5, 0.5),
        ("deals_registered", 5, 20),
        ("partner_nps", 60, 40),
        ("survey_responses", 1, 2),
        ("trainings_attended", 4, 4),
    ]
    recs += [{"partner_id": pd.NA, "metric": m, "value": v, "prior_value": pv} for m, v, pv in prog]
    return (
        pd.DataFrame(recs)
        .assign(period="2026-Q3", breakdown="", year_ago_value=NAN)
        .astype({"partner_id": "string"})
    )


STAGES_Q3 = pd.Series(["sell"] * 8 + ["onboard", "recruit"], index=IDS)
STAGES_Q2 = pd.Series(["sell"] * 5 + ["enable"] * 3 + ["recruit", "recruit"], index=IDS)
HEALTH = pd.DataFrame(
    {
        "partner_id": IDS,
        "health": ["healthy"] * 6 + ["at risk"] + ["healthy"] * 3,
        "reasons": [""] * 6 + ["leading activity fell to 20% of the prior period"] + [""] * 3,
    }
)
PROGRAM_SMALL = {
    "program": {"currency": "USD", "peer_minimum": 5},
    "objectives": [{"id": "revenue", "name": "Grow revenue", "metric": "revenue", "target": 2500}],
    "reporting": {"plan_tiers": ["Gold"], "movers": 3, "voices": 4},
}


def full_ctx(**kw):
    args = dict(
        metrics=partner_table(),
        program=PROGRAM_SMALL,
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=CATALOGUE,
        dataset=dataset(),
        stages=STAGES_Q3,
        prior_stages=STAGES_Q2,
        health=HEALTH,
        period_start=pd.Timestamp("2026-07-01"),
        period_end=pd.Timestamp("2026-09-30"),
    )
    return narrative.Context(**{**args, **kw})


def test_why_compares_groups_with_sizes_and_says_association():
    # certified or not within the sell and grow stages only: P01-P05 certified ($200 each) against
    # P06-P08 ($50 each; P09 onboard and P10 recruit cannot sell yet): 200 / 50 = 4.0x, 5 and 3
    # partners (the groups' minimum set to 3 here). Registrations: all 10 partners, 5 and 5.
    program = {**PROGRAM_SMALL, "program": {**PROGRAM_SMALL["program"], "peer_minimum": 3}}
    section = narrative.why(full_ctx(program=program))
    assert section.sentences == [
        "The 5 partners in the sell and grow stages certified before 2026-Q3 won $200 each on average in 2026-Q3, "
        "against $50 for the 3 in those stages without a certification: 4.0× as much.",
        "The 5 partners in the top half for deal registrations in 2026-Q2 won $50 each on average in "
        "2026-Q3, against $200 for the 5 in the bottom half, so this activity did not go with more revenue.",
        "These are associations across partners, not proof that one causes the other; certified partners are "
        "compared only with others in the sell and grow stages, as partners still being recruited, onboarded "
        "or enabled cannot sell yet.",
    ]
    # with the default minimum of 5, 3 uncertified sellers are too few to compare: no certification claim
    assert not any("certif" in s for s in narrative.why(full_ctx()).sentences)
    groups = {(f.scope, f.kind): f.value for f in section.facts}
    assert groups[("certified before 2026-Q3", "group")] == 5
    assert groups[("not certified", "group_mean")] == 50


def test_why_claims_nothing_for_a_single_partner():
    one = partner_table().loc[lambda d: d["partner_id"].isna() | (d["partner_id"] == "P01")]
    section = narrative.why(full_ctx(metrics=one))
    assert section.sentences == [
        "There are too few partners in the groups to compare leading activity with revenue this period."
    ]
    assert section.facts == []


def test_voices_quote_the_period_movers_first_escaped_with_attribution():
    section = narrative.voices(full_ctx())
    page = "".join(section.html)
    assert "<p>Partner NPS was +60.0 from 1 answer, up 20.0 points from +40.0 in 2026-Q2.</p>" in page
    quotes = re.findall(r"<blockquote><p>(.*?)</p><footer>(.*?)</footer>", page)
    assert quotes == [
        ("Leads are slow", "— a partner in EMEA, survey comment 1 Sep 2026"),
        ("We &lt;b&gt;love&lt;/b&gt; registering &amp; winning", "— Ann Lee, Partner 1, quote 1 Aug 2026"),
        ("New deal desk is live", "— Programme team, the programme, portal post 15 Jul 2026"),
    ]


def test_a_survey_comment_is_quoted_without_the_respondents_role_or_partner():
    # the survey promises confidentiality: P06's "Owner" answered "Leads are slow"; the story
    # says where (P06 is in EMEA), not who; a story told for the narrative keeps its author (Ann
    # Lee, Partner 1). Without a region, "a partner".
    page = "".join(narrative.voices(full_ctx()).html)
    assert "Owner" not in page and "Partner 6" not in page
    assert "— a partner in EMEA, survey comment 1 Sep 2026" in page
    data = dataset()
    data.tables["partners"] = data["partners"].assign(region=pd.Series([None] * 10, dtype="string"))
    page = "".join(narrative.voices(full_ctx(dataset=data)).html)
    assert "<footer>— a partner, survey comment 1 Sep 2026</footer>" in page
    assert "— Ann Lee, Partner 1, quote 1 Aug 2026" in page
    with i18n.using("fr_FR"):
        page = "".join(narrative.voices(full_ctx()).html)
    assert "— un partenaire de la région EMEA, commentaire d’enquête 1er sept. 2026" in page


def test_voices_without_stories_say_so():
    empty = full_ctx(dataset=dataset(stories=False))
    assert "No stories, portal posts or survey comments were recorded in 2026-Q3." in "".join(
        narrative.voices(empty).html
    )
    absent = full_ctx(dataset=dataset(absent=("stories", "surveys"), stories=False))
    page = "".join(narrative.voices(absent).html)
    assert "No partner survey data was supplied." in page
    assert "No stories or survey comments were supplied." in page


def steps_of(section):
    return [re.sub(r"<[^>]+>", "", i) for i in re.findall(r"<li>(.*?)</li>", "".join(section.html))]


def test_next_steps_from_rules():
    """Each step: partners named, owner (no account managers in this data: the channel team),
    the default due date (2026-Q3 ends 2026-09-30: the last day of October) and what done is."""
    section = narrative.next_steps(full_ctx())
    due = " Owner: the channel team. Due 31 Oct 2026. Done when "
    assert steps_of(section) == [
        "Agree a recovery action with Partner 7."
        + due
        + "each at-risk partner has a recovery action with an "
        "owner and a date in its account plan.",
        "Agree a joint business plan with the Gold partners that have none: Partner 2, Partner 3, Partner 4, "
        "Partner 5 and Partner 9." + due + "each has an active plan in the business plans table.",
        # Partner 9 (a lookalike) and Partner 7 (not certified) are named once, in the first rule's step
        "Invite the selling partners without a certification to the next certification session: Partner 6 and "
        "Partner 8." + due + "each has at least one person certified.",
        "Review the channel goals behind “Grow revenue”, the objective furthest behind (50% of target)."
        + due
        + "a plan to close the gap between its actual and its goal is agreed with the owners of the "
        "channel goals behind it.",
    ]
    assert '<a href="partners/P07.html">Partner 7</a>' in "".join(section.html)
    assert "<h" not in "".join(section.html)  # no heading inside the list


def test_next_steps_split_by_account_manager_and_take_a_due_date():
    data = dataset()
    data["partners"]["account_manager"] = ["Ann Lee"] * 3 + [None] * 7  # P01-P03 Ann, the rest nobody
    section = narrative.next_steps(full_ctx(dataset=data, due="2026-11-15"))
    plans = [s for s in steps_of(section) if s.startswith("Agree a joint")]
    assert plans == [
        "Agree a joint business plan with the Gold partners that have none: Partner 2 and Partner 3. "
        "Owner: Ann Lee. Due 15 Nov 2026. Done when each has an active plan in the business plans table.",
        "Agree a joint business plan with the Gold partners that have none: Partner 4, Partner 5 and Partner 9. "
        "Owner: the channel team. Due 15 Nov 2026. Done when each has an active plan in the business plans table.",
    ]


def test_the_default_due_date_is_the_last_day_of_the_next_periods_first_month():
    assert narrative.default_due(pd.Timestamp("2026-09-30")) == "2026-10-31"
    assert narrative.default_due(pd.Timestamp("2026-12-31")) == "2027-01-31"
    assert narrative.default_due(pd.Timestamp("2027-01-31")) == "2027-02-28"


def test_use_cases_only_where_there_is_data():
    ctx = full_ctx(
        unavailable={
            "leads_distributed": "no leads data supplied",
            "mdf_claimed": "no mdf data supplied",
            "business_plans": "x",
        }
    )
    page = "".join(narrative.use_cases(ctx).html)
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["Deal registration", "Training and certification"]
    assert "<p>Deals registered in 2026-Q3: 5, down from 20 in 2026-Q2.</p>" in page
    assert (
        page.count("<svg ") == 2 and 'aria-label="Bar chart of deals registered in 2026-Q2, 2026-Q3"' in page
    )
    assert "No data was supplied for lead distribution, market development funds and onboarding." in page


def test_partner_links_are_relative_and_safe():
    assert narrative.partner_link("P001") == "partners/P001.html"
    odd = narrative.partner_link("../etc/passwd")
    assert odd.startswith("partners/etc-passwd-") and odd.endswith(".html") and ".." not in odd
    assert narrative.partner_link("p1", ["P1", "p1"]) != "partners/p1.html"


def test_a_batch_run_links_only_the_reports_it_publishes():
    # outside a batch run every partner is linked; in one, only those with a report
    assert narrative._partner_html(full_ctx(), "P02") == '<a href="partners/P02.html">Partner 2</a>'
    ctx = full_ctx(links={"P01": "partners/P01.html"})
    assert narrative._partner_html(ctx, "P01") == '<a href="partners/P01.html">Partner 1</a>'
    assert narrative._partner_html(ctx, "P02") == "Partner 2"


def test_every_number_in_every_section_is_a_recorded_fact():
    ctx = full_ctx()
    sections = [
        f(ctx)
        for f in (
            narrative.summary,
            narrative.objectives_section,
            narrative.why,
            narrative.portfolio_section,
            narrative.voices,
            narrative.use_cases,
            narrative.next_steps,
        )
    ]
    shown = set().union(*(numbers_in(s) for s in sections))
    recorded = set().union(*(set(NUMBER.findall(f.text)) for s in sections for f in s.facts))
    assert shown and shown <= recorded


# ---------------------------------------------------------------- on the seeded sample


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from partnerbook import sample

    return sample.build(tmp_path_factory.mktemp("sample") / "sample.duckdb")


def story_of(store_path, period):
    from partnerbook import workbook

    return narrative.context(workbook.open(period=period, data=str(store_path)))


def highlights(ctx):
    """What a story points at: the summary's biggest change and the movers it names."""
    summary, folio = narrative.summary(ctx), narrative.portfolio_section(ctx)
    changed = {f.metric for f in summary.facts if f.kind == "change" and f.metric not in narrative.GROWTH}
    movers = {f.scope for f in folio.facts if f.scope.startswith("partner:")}
    return changed, movers, summary.text()


def test_two_quarters_of_the_sample_highlight_different_things(sample_store):
    q2, q3 = highlights(story_of(sample_store, "2026-Q2")), highlights(story_of(sample_store, "2026-Q3"))
    assert q2[0] and q3[0] and q2[0] != q3[0]  # a different biggest change
    assert q2[1] != q3[1]  # different partners among the movers
    words = lambda text: PERIOD.sub("", NUMBER.sub("", text))
    assert words(q2[2]) != words(q3[2])  # not the same template with new numbers


@pytest.mark.slow
def test_executed_notebook_records_every_number_shown_in_story_html(sample_store, tmp_path):
    import json

    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    from partnerbook import paths

    out = tmp_path / "story.ipynb"
    papermill.execute_notebook(
        str(paths.notebooks() / "program_story.ipynb"),
        str(out),
        kernel_name="python3",
        parameters={"period": "2026-Q3", "data": str(sample_store), "audience": "sales"},
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    facts = [
        f
        for cell in nb.cells
        for o in cell.get("outputs", [])
        for f in o.get("data", {}).get(narrative.FACTS_MIME, {}).get("facts", [])
    ]
    assert {"revenue", "win_rate", "new_logos"} <= {f["metric"] for f in facts}
    assert all(set(f) == {"metric", "period", "scope", "value", "text", "kind"} for f in facts)
    json.dumps(facts, allow_nan=False)  # no NaN recorded
    page, _ = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    ).from_notebook_node(nb)
    without_images = re.sub(
        r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", "data:", page
    )  # "NaN" can occur in base64
    assert narrative.FACTS_MIME not in page and "NaN" not in without_images
    body = re.sub(r"<(style|script)\b.*?</\1\s*>", " ", page, flags=re.S | re.I)
    shown = numbers_in(narrative.Section("page", html=[body]))
    recorded = set().union(*(set(NUMBER.findall(f["text"])) for f in facts))
    assert shown and shown <= recorded


# ---------------------------------------------------------------- derived objectives in the story

DERIVED_PROGRAM = {
    "program": {"currency": "USD"},
    "objectives": [
        {
            "id": "lean",
            "name": "Lean selling",
            "metric": "cost_of_sales",
            "target": 0.15,
            "inputs": {"programme_costs": 700},
        },
        {
            "id": "roi",
            "name": "Channel pays",
            "metric": "channel_roi",
            "target": 3,
            "inputs": {"programme_costs": 700, "gross_margin": 0.4},
        },
        {
            "id": "share",
            "name": "Market share",
            "metric": "market_share",
            "target": 0.08,
            "inputs": {"market_size": 35_000},
        },
        {"id": "logos", "name": "Win new logos", "metric": "new_logos", "target": 2},
        {
            "id": "later",
            "name": "Next year's cost",
            "metric": "cost_of_sales",
            "target": 0.1,
            "period": "FY2027",
            "inputs": {"programme_costs": 100},
        },
    ],
    "reporting": {"audiences": [{"slug": "sales", "name": "Sales", "objectives": ["logos", "lean"]}]},
}


def derived_ctx(partner_revenue=(2_000, 1_500), program=DERIVED_PROGRAM, **kw):
    """Partner revenue P1 2,000 + P2 1,500 = 3,500 (and the programme row beside it); 3 new logos."""
    partners = pd.DataFrame(
        [
            {
                "partner_id": f"P{i}",
                "period": "2026-Q3",
                "metric": "revenue",
                "breakdown": "",
                "value": float(v),
                "prior_value": NAN,
                "year_ago_value": NAN,
            }
            for i, v in enumerate(partner_revenue, 1)
        ]
    ).astype({"partner_id": "string"})
    programme = table({"revenue": (float(sum(partner_revenue)), NAN, NAN), "new_logos": (3, 2, NAN)})
    return narrative.Context(
        metrics=pd.concat([programme, partners], ignore_index=True),
        program=program,
        period="2026-Q3",
        prior="2026-Q2",
        catalogue=CATALOGUE,
        **kw,
    )


def recorded(section):
    """The number tokens of the section's recorded facts ("2.00×" holds the number 2.00)."""
    return set().union(*(set(NUMBER.findall(f.text)) for f in section.facts))


def items(section):
    return [re.sub(r"<[^>]+>", "", i) for i in re.findall(r"<li>(.*?)</li>", "".join(section.html))]


def test_derived_objectives_appear_with_value_target_and_share_of_target():
    section = narrative.objectives_section(derived_ctx())
    assert items(section) == [
        # 700 / 3,500 = 20% against 15%: lower is better, 0.15 / 0.20 = 75%
        "Lean selling: 20.0% against a target of 15.0% (75% of target).",
        # 3,500 x 0.4 / 700 = 2.00 against 3: 67%
        "Channel pays: 2.00× against a target of 3.00× (67% of target).",
        # 3,500 / 35,000 = 10% against 8%: 125%
        "Market share: 10.0% against a target of 8.0% (125% of target).",
        "Win new logos: 3 against a target of 2 (150% of target).",
    ]
    facts = {(f.metric, f.kind): (f.value, f.text) for f in section.facts}
    assert facts[("cost_of_sales", "value")] == (pytest.approx(0.2), "20.0%")
    assert facts[("cost_of_sales", "target")] == (0.15, "15.0%")
    assert facts[("cost_of_sales", "attainment")] == (pytest.approx(0.75), "75%")
    assert facts[("channel_roi", "value")] == (pytest.approx(2.0), "2.00×")
    assert facts[("channel_roi", "target")] == (3.0, "3.00×")
    assert numbers_in(section) <= recorded(section)


def test_the_summary_ranks_the_objectives_its_scorecard_shows():
    ctx = derived_ctx(audience="sales")
    assert items(narrative.objectives_section(ctx)) == [
        "Lean selling: 20.0% against a target of 15.0% (75% of target).",
        "Win new logos: 3 against a target of 2 (150% of target).",
    ]
    # the sales audience's two, not the programme's four: logos 150%, lean selling 75%
    assert (
        "Of the 2 objectives measured in 2026-Q3, the strongest is “Win new logos” at 150% of target; "
        "the weakest is “Lean selling” at 75%."
    ) in narrative.summary(ctx).sentences
    # the programme's story ranks all four: logos 150%, market share 125%, lean 75%, channel pays 67%
    assert (
        "Of the 4 objectives measured in 2026-Q3, the strongest is “Win new logos” at 150% of target; "
        "the weakest is “Channel pays” at 67%."
    ) in narrative.summary(derived_ctx()).sentences


def test_a_missing_input_or_no_revenue_is_said_in_words():
    program = {
        **DERIVED_PROGRAM,
        "objectives": [
            {"id": "lean", "name": "Lean selling", "metric": "cost_of_sales", "target": 0.15},
            {
                "id": "roi",
                "name": "Channel pays",
                "metric": "channel_roi",
                "target": 3,
                "inputs": {"programme_costs": 700},
            },
        ],
    }
    assert items(narrative.objectives_section(derived_ctx(program=program))) == [
        "Lean selling: — (no programme costs given) against a target of 15.0%.",
        "Channel pays: — (no gross margin given) against a target of 3.00×.",
    ]
    section = narrative.objectives_section(derived_ctx(partner_revenue=(0, 0)))
    # no revenue: cost of sales is undefined; ROI 0 x 0.4 / 700 = 0; share 0 / 35,000 = 0
    assert items(section)[:3] == [
        "Lean selling: — (no partner revenue in 2026-Q3) against a target of 15.0%.",
        "Channel pays: 0.00× against a target of 3.00× (0% of target).",
        "Market share: 0.0% against a target of 8.0% (0% of target).",
    ]
    assert "NaN" not in "".join(section.html) and "nan" not in "".join(section.html)
    assert numbers_in(section) <= recorded(section)
    no_value = next(f for f in section.facts if f.metric == "cost_of_sales" and f.kind == "value")
    assert no_value.value is None and no_value.text == "— (no partner revenue in 2026-Q3)"


def test_every_number_with_derived_objectives_is_a_recorded_fact():
    ctx = derived_ctx()
    sections = [f(ctx) for f in (narrative.summary, narrative.objectives_section, narrative.next_steps)]
    shown = set().union(*(numbers_in(s) for s in sections))
    recorded = set().union(*(set(NUMBER.findall(f.text)) for s in sections for f in s.facts))
    assert {"20.0%", "2.00", "3.00", "75%"} <= shown <= recorded


def test_ratios_are_written_sensibly():
    from partnerbook.narrative.core import _format

    assert _format(3.66, "ratio", "USD") == "3.7×"
    assert _format(218.6, "ratio", "USD") == "about 220×"
    assert _format(0, "points", "USD") == "0" and _format(-3, "points", "USD") == "−3"
    assert _format(-1234, "money", "USD") == "−$1,234" and _format(-0.2, "rate", "USD", signed=True) == "−20%"
    # one group's revenue against almost nothing: no ratio at all
    many = partner_table().assign(
        value=lambda d: d["value"].where(~(d["partner_id"].isin(IDS[5:]) & (d["metric"] == "revenue")), 1.0)
    )
    # (certified P01-P05 against the 3 uncertified sellers P06-P08; the groups' minimum set to 3)
    program = {**PROGRAM_SMALL, "program": {**PROGRAM_SMALL["program"], "peer_minimum": 3}}
    first = narrative.why(full_ctx(metrics=many, program=program)).sentences[0]
    assert first.endswith(
        "against $1 for the 3 in those stages without a certification, almost nothing by comparison."
    )


def test_the_reporting_plan_chooses_sections_per_audience():
    program = {
        **PROGRAM,
        "reporting": {
            "audiences": [
                {
                    "slug": "enablement",
                    "name": "Enablement",
                    "objectives": ["certify"],
                    "sections": ["summary", "training"],
                }
            ]
        },
    }
    ctx = full_ctx(program=program, audience="enablement")
    assert narrative.sections_of(program, "enablement") == ("summary", "training")
    assert narrative.part(ctx, "bridge").html == [] and narrative.part(ctx, "next_steps").html == []
    assert narrative.part(ctx, "training").html[0] == "<h2>Training and certification</h2>"
    assert narrative.sections_of(program, "") == narrative.MAIN
    bad = {**program, "reporting": {"audiences": [{"slug": "x", "name": "X", "sections": ["bridges"]}]}}
    with pytest.raises(ParamsError, match=r"reporting.audiences\[0\].sections: unknown section 'bridges'"):
        narrative.reporting_plan(bad)
    from partnerbook.narrative.core import SECTION_KEYS

    assert tuple(narrative.SECTIONS) == SECTION_KEYS


def test_a_partner_is_named_in_one_step_only():
    """Partner 7 is at risk and a selling partner without a certification: it is named in the
    recovery step only; the certification step keeps Partner 6 and Partner 8."""
    items = steps_of(narrative.next_steps(full_ctx()))
    assert sum("Partner 7" in i for i in items) == 1
    assert any(
        i.startswith(
            "Invite the selling partners without a certification to the next certification session: Partner 6 and "
            "Partner 8."
        )
        for i in items
    )


def test_derived_measures_prior_uses_the_programmes_own_prior_revenue():
    # programme revenue 9,377,000 now and 6,492,300 in Q2; today's members A and B had only
    # 3,000,000 + 3,400,000 = 6,400,000 in Q2 (a partner that has since left had the rest).
    # ROI = revenue x 0.45 / 1,400,000: now 9,377,000 x 0.45 / 1.4M = 3.01404,
    # Q2 6,492,300 x 0.45 / 1.4M = 2.08681 (not 6,400,000 x 0.45 / 1.4M = 2.05714): +0.93x.
    program = {
        **PROGRAM,
        "objectives": [
            {
                "id": "roi",
                "name": "A channel that pays for itself",
                "metric": "channel_roi",
                "target": 3.0,
                "inputs": {"programme_costs": 1_400_000, "gross_margin": 0.45},
            }
        ],
    }
    metrics = pd.concat(
        [
            table({"revenue": (9_377_000, 6_492_300, NAN)}),
            table({"revenue": (5_000_000, 3_000_000, NAN)}, partner="A"),
            table({"revenue": (4_377_000, 3_400_000, NAN)}, partner="B"),
        ],
        ignore_index=True,
    )
    c = narrative.Context(
        metrics=metrics,
        program=program,
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=CATALOGUE,
    )
    from partnerbook.narrative import scores

    got = scores.objective_scores(c).iloc[0]
    assert got["value"] == pytest.approx(3.014036, abs=1e-6)
    assert got["prior"] == pytest.approx(2.086811, abs=1e-6)
    assert "<td>+0.93×</td>" in "".join(narrative.part(c, "scorecard").html)


def test_the_largest_fall_in_mdf_still_arriving_is_said_to_be_partly_timing():
    # rises: deals registered 14/10 = +40%, deals won 12/9 = +33%, closed 35/30 = +17%, revenue +15%,
    # trainings 30/29 = +3%; falls: MDF paid 100,000/400,000 = -75%, MDF claimed 216,300/578,500 =
    # -63%, portal logins 80/110 = -27%. MDF paid is named, with what makes it partly timing.
    money = NS(name="m", label="MDF", unit="money", good="up")
    catalogue = {
        **CATALOGUE,
        "mdf_claimed": NS(**{**vars(money), "label": "MDF claimed"}),
        "mdf_paid": NS(**{**vars(money), "label": "MDF paid"}),
    }
    rows = {
        **GOOD_QUARTER,
        "trainings_attended": (30, 29, NAN),
        "portal_logins": (80, 110, NAN),
        "mdf_claimed": (216_300, 578_500, NAN),
        "mdf_paid": (100_000, 400_000, NAN),
    }
    c = narrative.Context(
        metrics=table(rows),
        program=PROGRAM,
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=catalogue,
    )
    assert narrative.summary(c).sentences[-1] == (
        "Since 2026-Q2, the largest rise was in deals registered: 14, up from 10 (+40%); the largest fall "
        "was in MDF paid: $100,000, down from $400,000 (−75%). Claims and payments on this quarter's MDF "
        "keep arriving in later quarters, so that fall is partly timing."
    )


def test_the_certification_step_names_the_next_dated_session_and_an_email_owner():
    # a certification on 2026-10-14 ("Cloud Architect") and one on 2026-11-02, both after Q3 (ends
    # 2026-09-30): the earliest is named. P06 has only an account manager's email: it owns the step.
    data = dataset()
    later = store.coerce(
        "engagements",
        pd.DataFrame(
            {
                "engagement_id": ["E8", "E9"],
                "partner_id": ["P01", "P02"],
                "contact_id": "C",
                "kind": "certification",
                "name": ["Security Pro", "Cloud Architect"],
                "occurred_on": ["2026-11-02", "2026-10-14"],
            }
        ),
    )
    frames = {name: data[name] for name in store.TABLES}
    frames["engagements"] = pd.concat([data["engagements"], later], ignore_index=True)
    data = store.Dataset(frames, frozenset())
    data["partners"]["account_manager_email"] = [None] * 5 + ["ann@example.com"] + [None] * 4
    steps = [s for s in steps_of(narrative.next_steps(full_ctx(dataset=data))) if s.startswith("Invite")]
    assert steps == [
        "Invite the selling partners without a certification to the next certification session "
        "(Cloud Architect, 14 Oct 2026): Partner 6. Owner: ann@example.com. Due 31 Oct 2026. "
        "Done when each has at least one person certified.",
        "Invite the selling partners without a certification to the next certification session "
        "(Cloud Architect, 14 Oct 2026): Partner 8. Owner: the channel team. Due 31 Oct 2026. "
        "Done when each has at least one person certified.",
    ]


def test_a_change_in_points_under_ten_has_one_decimal_and_so_do_the_figures_beside_it():
    # win rate 51.52% against 45.45%: +6.07 points from the unrounded rates, under ten: '+6.1 points',
    # the rate beside it 51.5% and its target 50.0% (not 52%, which with 45% would suggest +7)
    program = {
        **PROGRAM,
        "objectives": [{"id": "win", "name": "Win more", "metric": "win_rate", "target": 0.5}],
    }
    c = ctx({**GOOD_QUARTER, "win_rate": (0.5152, 0.4545, NAN)}, program=program)
    row = re.search(r"<tr><td>Win more</td>.*?</tr>", "".join(narrative.part(c, "scorecard").html)).group(0)
    assert '<td class="num">51.5%</td><td class="num">50.0%</td>' in row and "<td>+6.1 points</td>" in row


def test_a_change_in_points_from_ten_is_whole_from_the_unrounded_rates():
    # 35.6% against 23.4%: +12.2 points, one decimal as every change (35.6%, target 50.0%); a change
    # of 0.04 points is 'no change'; 1.5 points is '+1.5 points' (the figures 24.9% and 50.0%)
    program = {
        **PROGRAM,
        "objectives": [{"id": "win", "name": "Win more", "metric": "win_rate", "target": 0.5}],
    }
    cases = [
        ((0.356, 0.234), "<td>+12.2 points</td>", '<td class="num">35.6%</td><td class="num">50.0%</td>'),
        ((0.2344, 0.234), "<td>no change</td>", '<td class="num">23.4%</td>'),
        ((0.249, 0.234), "<td>+1.5 points</td>", '<td class="num">24.9%</td><td class="num">50.0%</td>'),
    ]
    for (now, before), change, figures in cases:
        c = ctx({**GOOD_QUARTER, "win_rate": (now, before, NAN)}, program=program)
        row = re.search(r"<tr><td>Win more</td>.*?</tr>", "".join(narrative.part(c, "scorecard").html)).group(
            0
        )
        assert change in row and figures in row, row


def test_the_largest_moves_leave_out_counts_under_the_base():
    # new logos 9 from 3 is +200% but 3 is under the base of 5; deals registered 14 from 10 is +40%,
    # trainings 13 from 12 +8%; certifications 5 from 8 is -38%, portal logins 100 from 110 -9%
    rows = {
        **GOOD_QUARTER,
        "new_logos": (9, 3, NAN),
        "trainings_attended": (13, 12, NAN),
        "certifications": (5, 8, NAN),
    }
    assert narrative.summary(ctx(rows)).sentences[-1] == (
        "Since 2026-Q2, the largest rise was in deals registered: 14, up from 10 (+40%); the largest fall "
        "was in certifications: 5, down from 8 (−38%)."
    )


def test_the_scorecard_shows_a_decimal_where_whole_figures_would_contradict_the_status():
    # win rate 39.6% against a target of 40%: 99% of it, 'close'; "40%" against "40%" would say met
    program = {
        "program": {"currency": "USD"},
        "objectives": [{"id": "win", "name": "Win more", "metric": "win_rate", "target": 0.40}],
    }
    close = "".join(narrative.scorecard(ctx({"win_rate": (0.396, 0.35, NAN)}, program=program)).html)
    assert '<td>Win more</td><td class="num">39.6%</td><td class="num">40.0%</td><td>close</td>' in close
    # 37% against 25% in the prior period: +12.0 points, the figures with one decimal as every rate
    apart = "".join(narrative.scorecard(ctx({"win_rate": (0.37, 0.25, NAN)}, program=program)).html)
    assert '<td>Win more</td><td class="num">37.0%</td><td class="num">40.0%</td><td>close</td>' in apart


def joined_in_q3(*ids: str) -> tuple[store.Dataset, pd.DataFrame]:
    """`dataset()` with `ids` joined on 1 Aug 2026 (during 2026-Q3; no deal registered in Q2), the
    others on 1 Jan 2025; `partner_table()` with the joiners' Q2 registrations at 0."""
    ds = dataset()
    partners = ds["partners"].assign(
        joined_on=pd.to_datetime(["2026-08-01" if p in ids else "2025-01-01" for p in IDS])
    )
    table = partner_table()
    joiner = table["partner_id"].isin(ids) & (table["metric"] == "deals_registered")
    table.loc[joiner, "prior_value"] = 0.0
    return store.Dataset({**ds.tables, "partners": partners}, ds.absent), table


def test_why_compares_registrations_only_across_partners_in_both_periods():
    # P09 and P10 joined during 2026-Q3: no 2026-Q2 to register deals in. Left out, 8 partners
    # ranked by Q2 registrations: P06-P08 (3 each), then P01-P05 (1 each): the top half is P06, P07,
    # P08, P01: (50 + 50 + 50 + 200) / 4 = $87.50 -> $88; the bottom half P02-P05: $200.
    # (With the joiners counted, their 0 would put them in the bottom half: 5 against 5.)
    program = {**PROGRAM_SMALL, "program": {**PROGRAM_SMALL["program"], "peer_minimum": 3}}
    ds, table = joined_in_q3("P09", "P10")
    said = narrative.why(full_ctx(program=program, dataset=ds, metrics=table)).sentences
    assert said[1:3] == [
        "The 4 partners in the top half for deal registrations in 2026-Q2 won $88 each on average in "
        "2026-Q3, against $200 for the 4 in the bottom half, so this activity did not go with more revenue.",
        "The 2 partners that joined during 2026-Q3 are left out of the deal registrations comparison: they "
        "were not in the programme in 2026-Q2.",
    ]


TIER_RULES = {
    "window_quarters": 1,
    "levels": [
        {"name": "Registered"},
        {"name": "Silver", "criteria": {"revenue": 100}},
        {"name": "Gold", "criteria": {"revenue": 300}},
    ],
}


def _history(rows: dict[str, float], metric: str = "revenue", period: str = "2026-Q3") -> list[dict]:
    return [
        {"partner_id": p, "period": period, "metric": metric, "breakdown": "", "value": v}
        for p, v in rows.items()
    ]


def test_the_portfolio_says_how_many_partners_of_each_tier_would_move_down_on_the_rules_window():
    # one-quarter window (2026-Q3); Silver needs revenue 100, Gold 300. Gold: P01-P05 and P09 (6);
    # P01 sold 50 (Registered: down two tiers), P02-P04 200 (Silver: down), P05 400 and P09 500 keep
    # Gold: 4 of 6, 1 of them down to Registered. Silver: P06-P08 and P10 (4); P06 sold 50
    # (Registered: down), P07, P08 150 keep Silver, P10 350 (Gold: up): 1 of 4 down, 1 up.
    # The next review: the end of the quarter after 2026-Q3, 31 December 2026.
    program = {**PROGRAM_SMALL, "tiers": TIER_RULES}
    sold = dict(zip(IDS, [50.0] + [200.0] * 3 + [400.0, 50.0, 150.0, 150.0, 500.0, 350.0]))
    history = pd.DataFrame(_history(sold))
    page = "".join(narrative.portfolio_section(full_ctx(program=program, history=history)).html)
    assert (
        "<p>On the last 1 quarter (2026-Q3), 4 of the 6 Gold partners (including 1 down to Registered) and "
        "1 of the 4 Silver partners would move down a tier under the programme&#x27;s rules. 1 partner would "
        "move up a tier. The next review, on 31 Dec 2026, measures the window moved on by one quarter: each "
        "partner&#x27;s page says what it still needs for that review.</p>"
    ) in page
    # without tier rules, nothing is said
    assert "programme&#x27;s rules" not in "".join(
        narrative.portfolio_section(full_ctx(history=history)).html
    )
    # and the next steps give the channel team one action about the 5 partners (4 Gold, 1 Silver)
    steps = narrative.next_steps(full_ctx(program=program, history=history))
    assert (
        "Tell each of the 5 partners what it still needs for the review on 31 Dec 2026 (each partner's page "
        "says it). Owner: the channel team."
    ) in re.sub(r"<[^>]+>", "", "".join(steps.html)).replace("&#x27;", "'")
    with i18n.using("fr_FR"):
        page = "".join(narrative.portfolio_section(full_ctx(program=program, history=history)).html)
    assert (
        "<p>Sur le dernier trimestre (T3\u00a02026), 4 sur 6 partenaires Gold (dont 1 jusqu’à Registered) et "
        "1 sur 4 partenaires Silver descendraient d’un palier selon les règles du programme. 1 partenaire "
        "monterait d’un palier. La prochaine revue, le 31 déc. 2026, mesure la fenêtre décalée d’un "
        "trimestre\u00a0: la page de chaque partenaire dit ce qu’il lui faut encore pour cette revue.</p>"
    ) in page


def test_the_story_says_how_many_would_move_down_only_for_a_certification_and_how_many_hold_one():
    # Gold needs revenue 300 and 1 certification earned in the window (2026-Q3). P01 sold 400 but
    # earned none in 2026-Q3 and holds 1 from 2025-Q1: down for the certification only, holding one.
    # P02 sold 400 and never earned one: down for the certification only too, holding none (the
    # goals page's reason reads the same for both: 'Certifications earned in 2026-Q3: 0'). P03 sold
    # 200 (short of revenue too). P04, P05, P09 sold 400 and earned 1: keep Gold. Gold: 3 of 6 down,
    # 2 of the 3 only for the certification, 1 of those 2 holding one. Silver (P06-P08, P10): P06
    # sold 50, down; the others 150. 4 down in all.
    program = {
        **PROGRAM_SMALL,
        "tiers": {
            **TIER_RULES,
            "levels": [
                *TIER_RULES["levels"][:2],
                {"name": "Gold", "criteria": {"revenue": 300, "certifications": 1}},
            ],
        },
    }
    sold = dict(zip(IDS, [400.0, 400.0, 200.0, 400.0, 400.0, 50.0, 150.0, 150.0, 400.0, 150.0]))
    certified = {"P01": 0.0, "P02": 0.0, "P03": 0.0, "P04": 1.0, "P05": 1.0, "P09": 1.0}
    history = pd.DataFrame(
        _history(sold)
        + _history(certified, "certifications")
        + _history({"P01": 1.0}, "certifications", "2025-Q1")
    )
    ctx = full_ctx(program=program, history=history)
    page = re.sub(r"<[^>]+>", "", "".join(narrative.portfolio_section(ctx).html))
    assert (
        "On the last 1 quarter (2026-Q3), 3 of the 6 Gold partners and 1 of the 4 Silver partners would move "
        "down a tier under the programme's rules. 2 of the 3 Gold partners would move down only because they "
        "earned no certification in that window; 1 of them holds one earned earlier. The next review"
    ) in page.replace("&#x27;", "'")
    steps = re.sub(
        r"<[^>]+>", "", "".join(narrative.next_steps(full_ctx(program=program, history=history)).html)
    )
    assert (
        "Review the certification rule, then tell each of the 4 partners what it still needs for the "
        "review on 31 Dec 2026 (each partner's page says it)."
    ) in steps.replace("&#x27;", "'")
    # the goals page's reasons for P01 and P02: one label, the same count
    _by_tier, movers = goals.tier_what_if(program, ctx.dataset["partners"], history, "2026-Q3")
    why = dict(zip(movers["Partner"], movers["Why"]))
    assert why["Partner 1"] == "Certifications earned in 2026-Q3: 0 (Gold needs 1; holds 1)"
    assert why["Partner 2"] == "Certifications earned in 2026-Q3: 0 (Gold needs 1; holds 0)"
    # P01 earns its certification in 2025-Q1 no more: neither holds one, the rule is not reviewed
    history = history[history["period"] == "2026-Q3"]
    page = re.sub(
        r"<[^>]+>", "", "".join(narrative.portfolio_section(full_ctx(program=program, history=history)).html)
    )
    assert (
        "2 of the 3 Gold partners would move down only because they earned no certification in that window; "
        "none of them holds one."
    ) in page
    steps = re.sub(
        r"<[^>]+>", "", "".join(narrative.next_steps(full_ctx(program=program, history=history)).html)
    )
    assert "Review the certification rule" not in steps
    assert "Tell each of the 4 partners what it still needs for the review on 31 Dec 2026" in steps
    with i18n.using("fr_FR"):
        page = re.sub(r"<[^>]+>", "", "".join(narrative.portfolio_section(ctx).html))
    assert (
        "2 des 3 partenaires Gold descendraient uniquement faute de certification obtenue sur cette période\u00a0; "
        "1 d’entre eux en détient une obtenue auparavant."
    ) in page


def test_an_audiences_largest_moves_come_from_its_own_measures():
    # MDF claimed 100,000 from 400,000 (-75%) is the largest fall over everything, then certifications
    # 5 from 8 (-38%), survey responses 30 from 36 (-17%), portal logins 100 from 110 (-9%). The sales
    # audience reads the deals (opportunities) and follows deal registration: MDF, certifications,
    # surveys and the portal are not its measures; its largest fall is deals registered, 9 from 10
    # (-10%). Everyone's story still names MDF claimed; the marketing one (mdf) too.
    program = {
        **PROGRAM,
        "reporting": {
            "change_threshold": 0.02,
            "audiences": [
                {"slug": "sales", "name": "Sales", "use_cases": ["deal_registration"]},
                {"slug": "marketing", "name": "Marketing", "use_cases": ["mdf"]},
            ],
        },
    }
    rows = {
        **GOOD_QUARTER,
        "certifications": (5, 8, NAN),
        "mdf_claimed": (100_000, 400_000, NAN),
        "survey_responses": (30, 36, NAN),
        "deals_registered": (9, 10, NAN),
    }

    def said_to(slug):  # the library's catalogue: labels, units and source tables
        c = narrative.Context(
            metrics=table(rows), program=program, period="2026-Q3", prior="2026-Q2", audience=slug
        )
        return narrative.summary(c).text()

    said = {a: said_to(a) for a in ("", "sales", "marketing")}
    assert "the largest fall was in deals registered: 9, down from 10 (−10%)." in said["sales"]
    assert (
        "MDF" not in said["sales"] and "certifications" not in said["sales"] and "survey" not in said["sales"]
    )
    assert "the largest fall was in MDF claimed: $100,000, down from $400,000 (−75%)." in said[""]
    assert "the largest fall was in MDF claimed" in said["marketing"]
    with i18n.using("fr_FR"):
        french = said_to("sales")
    assert "FDM" not in french and "la plus forte baisse" in french, french


def test_the_uncertified_partners_left_out_of_the_invitations_are_named_with_why():
    # selling and never certified: P06, P07, P08 (3, as the story's 'why' counts them); P07 is at risk,
    # so the recovery step names it and the invitations do not: one sentence says so
    section = narrative.next_steps(full_ctx())
    text = re.sub(r"<[^>]+>", "", "".join(section.html))
    assert (
        "1 more selling partner without a certification, Partner 7, is not invited: it is at risk, and its "
        "recovery action comes first."
    ) in text
    with i18n.using("fr_FR"):
        french = re.sub(r"<[^>]+>", "", "".join(narrative.next_steps(full_ctx()).html))
    assert (
        "1 autre partenaire qui vend sans certification, Partner 7, n’est pas invité\u00a0: il est à "
        "risque, et son action de redressement passe d’abord."
    ) in french
