"""Portfolio frames on hand-built stages and metric tables."""

import pandas as pd

from partnerbook import portfolio


def test_funnel_counts_every_stage_in_order():
    stages = pd.Series(["sell", "sell", "grow", "recruit", "churned"], index=list("abcde"))
    out = portfolio.funnel(stages)
    assert list(out["stage"]) == ["recruit", "onboard", "enable", "sell", "grow", "churned"]
    assert list(out["partners"]) == [1, 0, 0, 2, 1, 1]


def test_moves_forward_back_joined_churned():
    before = pd.Series(["enable", "sell", "grow", "sell"], index=["a", "b", "c", "d"])
    after = pd.Series(["sell", "enable", "churned", "sell", "recruit"], index=["a", "b", "c", "d", "e"])
    out = portfolio.moves(before, after).sort_values("to_stage").reset_index(drop=True)
    assert out.to_dict("records") == [
        {"from_stage": "grow", "to_stage": "churned", "partners": 1, "direction": "churned"},
        {"from_stage": "sell", "to_stage": "enable", "partners": 1, "direction": "back"},
        {"from_stage": "", "to_stage": "recruit", "partners": 1, "direction": "joined"},
        {"from_stage": "enable", "to_stage": "sell", "partners": 1, "direction": "forward"},
    ]
    assert portfolio.churned_in(before, after) == ["c"]


def metric_table():
    return pd.DataFrame(
        {
            "partner_id": pd.array([pd.NA, "a", "b", "c", "d", "e", "a"], dtype="string"),
            "metric": ["revenue"] * 6 + ["certifications"],
            "breakdown": [""] * 7,
            "value": [900, 100, 50, 300, 0, None, 2],
            "prior_value": [800, 40, 80, 300, 10, 5, 0],
        }
    )


def test_movers_up_and_down_by_revenue_change_never_the_programme_row():
    up, down = portfolio.movers(metric_table(), n=2)
    assert up.to_dict("records") == [{"partner_id": "a", "value": 100.0, "prior_value": 40.0, "change": 60.0}]
    assert list(down["partner_id"]) == ["b", "d"]  # -30, then -10 (e: -5 is third)
    assert list(down["change"]) == [-30.0, -10.0]


def test_at_risk_keeps_only_at_risk():
    health = pd.DataFrame(
        {"partner_id": ["b", "a"], "health": ["at risk", "watch"], "reasons": ["no deals", "x"]}
    )
    assert portfolio.at_risk(health).to_dict("records") == [{"partner_id": "b", "reasons": "no deals"}]
    assert portfolio.at_risk(None).empty


def test_top_profile_and_lookalikes():
    partners = pd.DataFrame(
        {
            "partner_id": list("abcdef"),
            "name": list("ABCDEF"),
            "tier": ["Gold", "Gold", "Silver", "Gold", "Gold", "Silver"],
            "region": ["EMEA", "EMEA", "EMEA", "APAC", "EMEA", "EMEA"],
        }
    )
    top = portfolio.top_partners(metric_table(), share=0.5, minimum=2)
    assert top == ["c", "a"]  # revenue 300, 100 (b 50 is third)
    opps = pd.DataFrame(
        {
            "partner_id": ["c", "a", "a", "b"],
            "status": ["won", "won", "lost", "won"],
            "segment": ["ENT", "SMB", "ENT", "ENT"],
            "amount": [300.0, 100.0, 999.0, 50.0],
        }
    )
    prof = portfolio.profile(partners, ["a", "b", "c"], opps, metric_table())
    assert (prof["tier"], round(prof["tier_share"], 4), prof["region"], prof["region_share"]) == (
        "Gold",
        0.6667,
        "EMEA",
        1.0,
    )
    assert prof["segments"] == {"ENT": 350 / 450, "SMB": 100 / 450}
    assert prof["activity"] == {"certifications": 2 / 3}
    stages = pd.Series(["enable", "recruit", "onboard", "sell"], index=["e", "d", "f", "a"])
    like = portfolio.lookalikes(partners, stages, prof)
    assert like[["partner_id", "stage"]].to_dict("records") == [{"partner_id": "e", "stage": "enable"}]
