"""Lifecycle stage, recommended metrics and health on the programme of small_programme.py."""

import pandas as pd
import pytest

import small_programme as sp
from partnerbook import lifecycle, metrics, paths, programme, store
from partnerbook.errors import ParamsError

PROGRAM = {
    "program": {"fiscal_year_start_month": 1},
    "lifecycle": {
        "recommended_metrics": {"sell": ["revenue", "win_rate"]},
        "inference": {
            "onboard_days": 90,
            "sell_min_won_deals_trailing_year": 1,
            "grow_min_won_deals_trailing_year": 2,
        },
    },
    "health": {
        "at_risk_signals": 2,
        "signals": {
            "falling_activity": 0.5,
            "no_deals_quarters": 2,
            "lapsed_plan": True,
            "low_survey_score": 6,
        },
    },
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
        "P1": "sell",
        "P2": "onboard",
        "P3": "sell",
        "P4": "recruit",
    }
    # end of 2025-Q1 (31 Mar 2025): P1's change to 'enable' came 1 Apr 2025 -> still 'onboard';
    # P2 had not joined yet -> recruit
    assert lifecycle.stage_at(ds, PROGRAM, "2025-Q1")[["P1", "P2"]].tolist() == ["onboard", "recruit"]


def test_stage_change_on_the_last_day_counts():
    ds = sp.dataset()
    ds.tables["stage_changes"] = sp.frame(
        "stage_changes", "partner_id changed_on stage", [("P2", "2026-09-30", "sell")]
    )
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
        lifecycle_stage=pd.array(["grow", "sell", "sell", "onboard"], dtype="string")
    )
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
    program = programme.load(paths.program_file())
    lifecycle.settings(program)
    lifecycle.health_settings(program)
    for stage in ("recruit", "onboard", "enable", "sell", "grow", "churned"):
        assert set(lifecycle.recommended(stage, program)) <= set(metrics.CATALOGUE)


@pytest.mark.parametrize(
    "section, message",
    [
        (
            {"lifecycle": {"recomended_metrics": {}}},
            "lifecycle.recomended_metrics: unknown key; did you mean 'recommended_metrics'",
        ),
        (
            {"lifecycle": {"recommended_metrics": {"sell": ["revenu"]}}},
            "unknown metric 'revenu'; did you mean 'revenue'",
        ),
        (
            {"lifecycle": {"inference": {"onbord_days": 3}}},
            "inference.onbord_days: unknown key; did you mean 'onboard_days'",
        ),
        (
            {"health": {"signals": {"lapsed_plans": True}}},
            "health.signals.lapsed_plans: unknown key; did you mean 'lapsed_plan'",
        ),
    ],
)
def test_bad_keys_are_named(section, message):
    with pytest.raises(ParamsError, match=message):
        lifecycle.settings(section)
        lifecycle.health_settings(section)


def test_health_flags_and_reasons(ds):
    table = metrics.table(ds, PROGRAM, "2026-Q3")
    flags = lifecycle.health(ds, table, PROGRAM, "2026-Q3").set_index("partner_id")
    # P3 left on 15 Aug: in the programme in Q3 (its report, "left this period") but gone at
    #     its end, so no flag (it would have had three: activity fell, plan lapsed, survey 3)
    assert sorted(flags.index) == ["P1", "P2", "P4"]
    # P1 (sell): revenue Q3 200 (O2) against Q2 400 (O9): down 50% >= 30%; win rate Q3 1 won
    #     of 2 closed (O2, O3) = 50% against Q2 1 of 1 = 100%: down 50 points >= 20 -> at risk
    assert flags.loc["P1", "health"] == "at risk"
    assert flags.loc["P1", "reasons"] == (
        "revenue down 50% on the prior period ($400 to $200); "
        "win rate down 50 points on the prior period (100% to 50%)"
    )
    # P2: activity Q2 = 1 training + 5 logins = 6, Q3 = 1 event + 1 opportunity + 2 trials
    #     + 1 registration = 5 >= 0.5 * 6; stage enable (no deal rules), no revenue -> healthy
    assert flags.loc[["P2", "P4"], "health"].tolist() == ["healthy", "healthy"]
    assert flags.loc["P2", "reasons"] == ""


ACTIVITY_FELL = (
    "leading activity (training, registrations, portal use and the like) fell to 0% of the "
    "prior period's (below 50%)"
)


def test_activity_plan_and_survey_rules_for_a_partner_still_there():
    # P3 as if it had not left (churned_on emptied; its stage history still ends in 'churned',
    #     so no sell/grow rules): activity Q2 = 2 opportunities created (O6, O7), Q3 = 0 -> 0%
    #     of prior; BP2 lapsed, no active plan; surveys in the year: one 3 -> three signals:
    #     at risk. Revenue Q3 150 (O6) against 0 before: no drop.
    ds = sp.dataset()
    partners = ds["partners"].copy()
    partners["churned_on"] = pd.NaT
    ds = store.Dataset({**ds.tables, "partners": partners}, ds.absent, ds.meta)
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q3").set_index("partner_id")
    assert flags.loc["P3", "health"] == "at risk"
    assert flags.loc["P3", "reasons"] == (
        f"{ACTIVITY_FELL}; joint business plan lapsed and none is active; "
        "average survey score 3.0 out of 10 in the last year (below 6)"
    )


def test_health_watch_with_one_signal(ds):
    # 2026-Q1: P1 in 'sell' with no win between 1 Oct 2025 and 31 Mar 2026 -> one signal;
    # O9 (created 10 Jan, won 30 Jun) is open at the end of Q1, so it has pipeline; activity
    # Q4 2025 = 0, so no 'falling' signal; no surveys in the year; no revenue before to fall
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q1").set_index("partner_id")
    assert (flags.loc["P1", "health"], flags.loc["P1", "reasons"]) == (
        "watch",
        "no deal won in the last 2 quarters, in the sell stage",
    )
    # P3 in 'sell': no win in those 2 quarters, nothing open at the end of 2025-Q4 or
    # 2026-Q1 (O6 and O7 were created in Q2), and BP2 (2025-09-01) lapsed -> at risk
    assert flags.loc["P3", "health"] == "at risk"
    assert flags.loc["P3", "reasons"] == (
        "no revenue and no open pipeline for 2 quarters (2025-Q4 to 2026-Q1), in the sell stage; "
        "no deal won in the last 2 quarters, in the sell stage; joint business plan lapsed and none is active"
    )
    # P2 joined 1 Feb 2026: in the programme in Q1 (joined by its last day)
    assert sorted(flags.index) == ["P1", "P2", "P3", "P4"]


def test_health_rules_without_their_data_do_not_fire():
    ds = sp.dataset(drop=("surveys", "business_plans"))
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q3").set_index("partner_id")
    # P3 left during Q3: no flag; P1 keeps its revenue and win-rate signals (no survey or
    # plan data was needed for them) -> at risk, P2 and P4 healthy
    assert "P3" not in flags.index
    assert flags["health"].to_dict() == {"P1": "at risk", "P2": "healthy", "P4": "healthy"}


def test_rules_turned_off_and_thresholds_from_params(ds):
    program = {
        **PROGRAM,
        "health": {
            "at_risk_signals": 2,
            "signals": {
                "revenue_drop": 0.6,
                "win_rate_drop_points": False,
                "falling_activity": False,
                "lapsed_plan": False,
                "low_survey_score": False,
            },
        },
    }
    flags = lifecycle.health(ds, None, program, "2026-Q3").set_index("partner_id")
    # P1's revenue fell 50%, short of 60%; its win-rate rule is off -> healthy
    assert (flags.loc["P1", "health"], flags.loc["P1", "reasons"]) == ("healthy", "")
    assert set(flags["health"]) == {"healthy"}


def test_health_only_for_partners_in_the_programme():
    ds = sp.dataset()
    # 2026-Q4 (1 Oct - 31 Dec): P3 left on 15 Aug, before it: no flag at all
    flags = lifecycle.health(ds, None, PROGRAM, "2026-Q4")
    assert sorted(flags["partner_id"]) == ["P1", "P2", "P4"]


def test_low_attainment_reads_the_attainment_given():
    ds = sp.dataset()
    att = pd.DataFrame(
        {
            "partner_id": ["P1", "P2", "P4"],
            "metric": ["revenue", "revenue", "revenue"],
            "target": [1000.0, 0.0, 100.0],
            "attainment": [0.2, float("nan"), 0.495],
        }
    )
    program = {**PROGRAM, "health": {"signals": {"revenue_drop": False, "win_rate_drop_points": False}}}
    flags = lifecycle.health(ds, None, program, "2026-Q3", attainment=att).set_index("partner_id")
    # P1 at 200 of a 1,000 target: 20% < 50%; P2 has no target (0); P4 at 49.5%: shown with a
    # decimal, as 50% would read as the limit itself
    assert flags.loc["P1", "reasons"] == "revenue at 20% of its target (below 50%)"
    assert flags.loc["P2", "reasons"] == ""
    assert flags.loc["P4", "reasons"] == "revenue at 49.5% of its target (below 50%)"


def test_revenue_down_on_a_year_ago():
    ds = sp.dataset()
    # P1 in 2026-Q3: 200 against 2025-Q3's 100 (O1): up, no signal. Move O1 to 500:
    # 200 against 500 = down 60% on a year ago
    opps = ds["opportunities"]
    ds.tables["opportunities"] = opps.assign(
        amount=opps["amount"].mask(opps["opportunity_id"] == "O1", 500.0)
    )
    program = {**PROGRAM, "health": {"signals": {"revenue_drop": False, "win_rate_drop_points": False}}}
    flags = lifecycle.health(ds, None, program, "2026-Q3").set_index("partner_id")
    assert flags.loc["P1", "reasons"] == "revenue down 60% on the same period a year ago ($500 to $200)"
    assert flags.loc["P1", "health"] == "watch"


@pytest.mark.parametrize(
    "signals, words",
    [
        ({"revenue_drop": 30}, ["health.signals.revenue_drop", "a share from 0 to 1", "30"]),
        (
            {"no_revenue_no_pipeline_quarters": 1.5},
            ["no_revenue_no_pipeline_quarters", "whole number of quarters"],
        ),
        ({"win_rate_drop_points": -5}, ["win_rate_drop_points", "percentage points above 0"]),
        ({"low_survey_score": 11}, ["low_survey_score", "score from 0 to 10"]),
        ({"revenue_dorp": 0.3}, ["health.signals.revenue_dorp", "did you mean 'revenue_drop'"]),
    ],
)
def test_bad_health_values_are_named(signals, words):
    with pytest.raises(ParamsError) as err:
        lifecycle.health_settings({"health": {"signals": signals}})
    for word in words:
        assert word in str(err.value)


def test_shipped_defaults_watch_a_30_percent_drop_and_two_quiet_quarters():
    signals = lifecycle.health_settings(programme.load(paths.program_file()))["signals"]
    assert signals["revenue_drop"] <= 0.3 and signals["no_revenue_no_pipeline_quarters"] == 2
