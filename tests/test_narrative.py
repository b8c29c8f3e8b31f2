"""The stakeholder story on hand-built metric tables: exact sentences, recorded facts."""
import math
import re
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from partnerbook import narrative
from partnerbook.errors import ParamsError

UNITS = {"revenue": ("money", "Revenue"), "revenue_growth_qoq": ("rate", "Revenue growth QoQ"),
         "revenue_growth_yoy": ("rate", "Revenue growth YoY"), "win_rate": ("rate", "Win rate"),
         "partner_nps": ("points", "Partner NPS")}
CATALOGUE = {m: NS(name=m, label=UNITS.get(m, ("count", m.replace("_", " ").capitalize()))[1],
                   unit=UNITS.get(m, ("count",))[0], good="up")
             for m in ["revenue", "revenue_growth_qoq", "revenue_growth_yoy", "win_rate", "deals_won",
                       "opportunities_closed", "new_logos", "deals_registered", "trainings_attended",
                       "certifications", "portal_logins", "partner_nps"]}
PROGRAM = {"program": {"currency": "USD", "peer_minimum": 5},
           "objectives": [{"id": "revenue", "name": "Grow partner revenue", "metric": "revenue", "target": 1_200_000},
                          {"id": "certify", "name": "Certify partners", "metric": "certifications", "target": 20},
                          {"id": "logos", "name": "Win new logos", "metric": "new_logos", "target": 2}],
           "reporting": {"change_threshold": 0.02,
                         "audiences": [{"slug": "enablement", "name": "Enablement",
                                        "objectives": ["certify"], "use_cases": ["training"]}]}}
NAN = math.nan


def table(rows, partner=pd.NA):
    """rows: metric -> (value, prior_value, year_ago_value) at programme level."""
    return pd.DataFrame(
        [{"partner_id": partner, "period": "2026-Q3", "metric": m, "breakdown": "", "value": v[0],
          "prior_value": v[1], "year_ago_value": v[2]} for m, v in rows.items()]
    ).astype({"partner_id": "string"})


def ctx(rows, program=PROGRAM, **kw):
    return narrative.Context(metrics=table(rows), program=program, period="2026-Q3", prior="2026-Q2",
                             year_ago="2025-Q3", catalogue=CATALOGUE, **kw)


GOOD_QUARTER = {
    "revenue": (1_150_000, 1_000_000, 958_000), "revenue_growth_qoq": (0.15, NAN, NAN),
    "revenue_growth_yoy": (0.20, NAN, NAN), "opportunities_closed": (35, 30, NAN), "deals_won": (12, 9, NAN),
    "win_rate": (12 / 35, 0.30, NAN), "new_logos": (3, 2, NAN), "deals_registered": (14, 10, NAN),
    "trainings_attended": (30, 12, NAN), "certifications": (9, NAN, NAN), "portal_logins": (100, 110, NAN),
}


def test_growth_up_against_goal_gives_five_exact_sentences():
    section = narrative.summary(ctx(GOOD_QUARTER))
    assert section.sentences == [
        "Partner revenue was $1,150,000 in 2026-Q3, up 15% on 2026-Q2 and up 20% on 2025-Q3: "
        "96% of the $1,200,000 goal.",
        "The win rate was 34% (12 of 35 closed deals won), up from 30% in 2026-Q2.",
        "Partners brought in 3 new logos and submitted 14 deal registrations.",
        "The strongest objective is Win new logos at 150% of target; the weakest is Certify partners at 45%.",
        "The biggest change since 2026-Q2 was in trainings attended: 30, up from 12 (+150%).",
    ]


def test_growth_down_one_logo_no_registrations_no_closed_deals():
    rows = {"revenue": (800_000, 1_000_000, NAN), "revenue_growth_qoq": (-0.2, NAN, NAN),
            "revenue_growth_yoy": (NAN, NAN, NAN), "opportunities_closed": (0, 4, NAN),
            "deals_won": (0, 1, NAN), "win_rate": (NAN, 0.25, NAN), "new_logos": (1, 0, NAN),
            "deals_registered": (0, 3, NAN)}
    section = narrative.summary(ctx(rows, program={"program": {}}))
    assert section.sentences == [
        "Partner revenue was $800,000 in 2026-Q3, down 20% on 2026-Q2.",
        "No partner deals were closed in 2026-Q3, so there is no win rate.",
        "Partners brought in 1 new logo, and no deal registrations were recorded in 2026-Q3.",
    ]
    assert "NaN" not in section.text() and not re.search(r"(?<![\d])0%", section.text())


def test_flat_within_threshold_and_absent_registration_table():
    rows = {"revenue": (1_010_000, 1_000_000, NAN), "revenue_growth_qoq": (0.01, NAN, NAN),
            "opportunities_closed": (1, 1, NAN), "deals_won": (1, 1, NAN), "win_rate": (1.0, 0.99, NAN),
            "new_logos": (0, 0, NAN)}
    section = narrative.summary(ctx(rows, program={"program": {}},
                                    unavailable={"deals_registered": "no deal_registrations table"}))
    assert section.sentences == [
        "Partner revenue was $1,010,000 in 2026-Q3, flat on 2026-Q2.",
        "The win rate was 100% (1 of 1 closed deal won), about the same as in 2026-Q2.",
        "Partners brought in no new logos; no deal registration data was supplied.",
    ]


def test_no_revenue_and_no_prior_period_to_compare():
    rows = {"revenue": (0, 0, NAN), "revenue_growth_qoq": (NAN, NAN, NAN), "new_logos": (2, NAN, NAN),
            "opportunities_closed": (2, NAN, NAN), "deals_won": (0, NAN, NAN), "win_rate": (0.0, NAN, NAN),
            "deals_registered": (1, NAN, NAN)}
    section = narrative.summary(ctx(rows, program={"program": {}}))
    assert section.sentences == [
        "No revenue was won through partners in 2026-Q3, with no revenue in 2026-Q2 to compare.",
        "The win rate was 0% (0 of 2 closed deals won).",
        "Partners brought in 2 new logos and submitted 1 deal registration.",
    ]


def test_audience_narrows_the_objectives_to_its_own():
    section = narrative.summary(ctx(GOOD_QUARTER, audience="enablement"))
    assert "The one objective with data, Certify partners, is at 45% of target." in section.sentences


def test_every_number_is_recorded_with_its_source():
    section = narrative.summary(ctx(GOOD_QUARTER))
    facts = {(f.metric, f.kind): (f.value, f.text) for f in section.facts}
    assert facts[("revenue", "value")] == (1_150_000, "$1,150,000")
    assert facts[("revenue", "target")] == (1_200_000, "$1,200,000")
    assert facts[("win_rate", "prior")] == (0.30, "30%")
    assert facts[("trainings_attended", "change")] == (1.5, "+150%")
    assert all(f.period in ("2026-Q3", "2026-Q2") and f.scope == "programme" for f in section.facts)
    assert numbers_in(section) <= {f.text for f in section.facts}


def test_facts_travel_in_their_own_mime_type_beside_the_html():
    bundle = narrative.summary(ctx(GOOD_QUARTER))._repr_mimebundle_()
    assert set(bundle) == {"text/html", narrative.FACTS_MIME}
    assert bundle[narrative.FACTS_MIME]["section"] == "summary"
    assert {"metric": "new_logos", "period": "2026-Q3", "scope": "programme", "value": 3.0,
            "text": "3", "kind": "value"} in bundle[narrative.FACTS_MIME]["facts"]


def test_unknown_audience_and_use_case_are_named():
    with pytest.raises(ParamsError, match="unknown slug 'board'.*enablement"):
        narrative.audience(PROGRAM, "board")
    bad = {"reporting": {"audiences": [{"slug": "x", "name": "X", "use_cases": ["webinars"]}]}}
    with pytest.raises(ParamsError, match=r"audiences\[0\].use_cases: unknown use case 'webinars'"):
        narrative.reporting_plan(bad)
    with pytest.raises(ParamsError, match="reporting.cadense: unknown key; did you mean 'cadence'"):
        narrative.reporting_plan({"reporting": {"cadense": "quarterly"}})


NUMBER = re.compile(r"[−+-]?[$€£¥]?\d(?:[\d,]*\d)?(?:\.\d+)?%?")
PERIOD = re.compile(r"\b(?:FY)?\d{4}(?:-Q\d|-\d{2})?\b")


def numbers_in(section):
    text = re.sub(r"<[^>]+>", " ", "".join(section.html))
    text = PERIOD.sub(" ", text)
    return set(NUMBER.findall(text))
