"""Lifecycle stage, recommended metrics and health on the programme of small_programme.py."""
import pandas as pd
import pytest

import small_programme as sp
from partnerbook import lifecycle, metrics, params, paths
from partnerbook.errors import ParamsError

PROGRAM = {
    "program": {"fiscal_year_start_month": 1},
    "lifecycle": {
        "recommended_metrics": {"sell": ["revenue", "win_rate"]},
        "inference": {"onboard_days": 90, "sell_min_won_deals_trailing_year": 1,
                      "grow_min_won_deals_trailing_year": 2},
    },
    "health": {"at_risk_signals": 2, "signals": {"falling_activity": 0.5, "no_deals_quarters": 2,
                                                 "lapsed_plan": True, "low_survey_score": 6}},
}


@pytest.fixture(scope="module")
def ds():
    return sp.dataset()


def test_stage_from_history_column_and_inference(ds):
    # end of 2026-Q3 (30 Sep): P1 last change 'sell' (2025-08-20); P3 'churned' (2026-08-15);
    # P2 has neither history nor stage: joined 2026-02-01 (241 days before), no win -> enable;
    # P4 never joined -> recruit
    stage = lifecycle.stage_at(ds, PROGRAM, "2026-Q3")
    assert stage.to_dict() == {"P1": "sell", "P2": "enable", "P3": "churned", "P4": "recruit"}
    # end of 2026-Q1 (31 Mar): P2 joined 58 days before -> onboard; P3 still 'sell'
    assert lifecycle.stage_at(ds, PROGRAM, "2026-Q1").to_dict() == {
        "P1": "sell", "P2": "onboard", "P3": "sell", "P4": "recruit"}
    # end of 2025-Q1 (31 Mar 2025): P1's change to 'enable' came 1 Apr 2025 -> still 'onboard';
    # P2 had not joined yet -> recruit
    assert lifecycle.stage_at(ds, PROGRAM, "2025-Q1")[["P1", "P2"]].tolist() == ["onboard", "recruit"]


def test_stage_change_on_the_last_day_counts():
    ds = sp.dataset()
    ds.tables["stage_changes"] = sp.frame("stage_changes", "partner_id changed_on stage",
                                          [("P2", "2026-09-30", "sell")])
    assert lifecycle.stage_at(ds, PROGRAM, "2026-Q3")["P2"] == "sell"
    # at the end of Aug no change yet: the inference rules decide (joined 211 days before,
    # no win) -> enable
    assert lifecycle.stage_at(ds, PROGRAM, "2026-08")["P2"] == "enable"


def test_inference_rules_without_history():
    ds = sp.dataset(drop=("stage_changes",))
    stage = lifecycle.stage_at(ds, PROGRAM, "2026-Q3")
    # P1 won O9 (30 Jun) and O2 (30 Sep) in the year to 30 Sep: 2 >= grow minimum 2 -> grow
    # P3 churned 15 Aug -> churned
    assert stage.to_dict() == {"P1": "grow", "P2": "enable", "P3": "churned", "P4": "recruit"}


def test_lifecycle_stage_column_with_dated_facts_winning():
    ds = sp.dataset(drop=("stage_changes",))
    ds.tables["partners"] = ds["partners"].assign(
        lifecycle_stage=pd.array(["grow", "sell", "sell", "onboard"], dtype="string"))
    stage = lifecycle.stage_at(ds, PROGRAM, "2026-Q3")
    # P3's column says sell, but it churned on 15 Aug -> churned
    assert stage.to_dict() == {"P1": "grow", "P2": "sell", "P3": "churned", "P4": "onboard"}
    # at 2025-Q4 P2 (joined 2026-02-01) had not joined yet -> recruit
    assert lifecycle.stage_at(ds, PROGRAM, "2025-Q4")["P2"] == "recruit"


def test_recommended_metrics_from_params_else_catalogue():
    assert lifecycle.recommended("sell", PROGRAM) == ["revenue", "win_rate"]
    # not listed for 'recruit' in PROGRAM: the catalogue's stages decide
    recruit = lifecycle.recommended("recruit", PROGRAM)
    assert "portal_logins" in recruit and "revenue" not in recruit
    with pytest.raises(ParamsError, match="stage 'selling'"):
        lifecycle.recommended("selling", PROGRAM)


def test_repo_program_yaml_is_valid_and_names_known_metrics():
    program = params.load_program(paths.program_file())
    lifecycle.settings(program)
    lifecycle.health_settings(program)
    for stage in ("recruit", "onboard", "enable", "sell", "grow", "churned"):
        assert set(lifecycle.recommended(stage, program)) <= set(metrics.CATALOGUE)


@pytest.mark.parametrize("section, message", [
    ({"lifecycle": {"recomended_metrics": {}}}, "lifecycle.recomended_metrics: unknown key; did you mean 'recommended_metrics'"),
    ({"lifecycle": {"recommended_metrics": {"sell": ["revenu"]}}}, "unknown metric 'revenu'; did you mean 'revenue'"),
    ({"lifecycle": {"inference": {"onbord_days": 3}}}, "inference.onbord_days: unknown key; did you mean 'onboard_days'"),
    ({"health": {"signals": {"lapsed_plans": True}}}, "health.signals.lapsed_plans: unknown key; did you mean 'lapsed_plan'"),
])
def test_bad_keys_are_named(section, message):
    with pytest.raises(ParamsError, match=message):
        lifecycle.settings(section)
        lifecycle.health_settings(section)


def test_health_flags_and_reasons(ds):
    table = metrics.table(ds, PROGRAM, "2026-Q3")
    flags = lifecycle.health(ds, table, PROGRAM, "2026-Q3").set_index("partner_id")
    # P3: activity Q2 = 2 opportunities created (O6, O7), Q3 = 0 -> 0% of prior;
    #     BP2 lapsed, no active plan; surveys in the year: one 3 -> three signals: at risk
    assert flags.loc["P3", "health"] == "at risk"
    assert flags.loc["P3", "reasons"] == ("leading activity fell to 0% of the prior period; "
                                          "joint business plan lapsed, none active; average survey score 3.0")
    # P1: activity up, won O2 in Q3, BP1 active, survey mean (10+9+5+7)/4 = 7.75 -> healthy
    # P2: activity Q2 = 1 training + 5 logins = 6, Q3 = 1 event + 1 opportunity + 2 trials
    #     + 1 registration = 5 >= 0.5 * 6; stage enable (no deal rule) -> healthy
    assert flags.loc[["P1", "P2", "P4"], "health"].tolist() == ["healthy", "healthy", "healthy"]
    assert flags.loc["P1", "reasons"] == ""


def test_health_watch_with_one_signal(ds):
    # 2026-Q1: P1 in 'sell' with no win between 1 Oct 2025 and 31 Mar 2026 -> one signal;
    # activity Q4 2025 = 0, so no 'falling' signal; no surveys in the year
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q1").set_index("partner_id")
    assert (flags.loc["P1", "health"], flags.loc["P1", "reasons"]) == ("watch", "no won deal in 2 quarters")
    # P3 in 'sell': no win in those 2 quarters, and BP2 (2025-09-01) lapsed -> at risk
    assert flags.loc["P3", "health"] == "at risk"


def test_health_rules_without_their_data_do_not_fire():
    ds = sp.dataset(drop=("surveys", "business_plans"))
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q3").set_index("partner_id")
    # P3 keeps only the falling-activity signal -> watch
    assert (flags.loc["P3", "health"], flags.loc["P3", "reasons"]) == (
        "watch", "leading activity fell to 0% of the prior period")
