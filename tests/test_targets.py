"""Partner targets, attainment and the channel view, with every expected value worked by hand.

The period is 2026-Q3; its trailing quarters are 2025-Q3, 2025-Q4, 2026-Q1, 2026-Q2.
"""

from __future__ import annotations

import pandas as pd
import pytest

from partnerbook import goals, periods, store, targets
from partnerbook.errors import ParamsError
from partnerbook.periods import parse

Q = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
PERIOD = parse("2026-Q3")


def dataset(partners: list[dict], stage_changes: list[dict] | None = None) -> store.Dataset:
    tables = {
        "partners": store.coerce("partners", pd.DataFrame(partners)),
        "opportunities": store.empty_frame("opportunities"),
        "stage_changes": store.coerce(
            "stage_changes", pd.DataFrame(stage_changes or [], columns=["partner_id", "changed_on", "stage"])
        ),
    }
    for name in store.TABLES:
        tables.setdefault(name, store.empty_frame(name))
    return store.Dataset(tables)


def partner(pid, tier, stage, joined, capacity=None):
    return {
        "partner_id": pid,
        "name": f"Partner {pid}",
        "tier": tier,
        "region": "EMEA",
        "lifecycle_stage": stage,
        "joined_on": joined,
        "capacity_share": capacity,
    }


def metric_rows(pid: str, metric: str, values: list) -> list[dict]:
    return [
        {"partner_id": pid, "period": q, "metric": metric, "breakdown": "", "value": v}
        for q, v in zip(Q, values)
    ]


def program(**target_section) -> dict:
    section = {
        "min_history_quarters": 2,
        "metrics": {
            "sell": ["revenue", "win_rate"],
            "enable": ["trainings_attended"],
            "recruit": ["business_plans"],
        },
        "defaults": {
            "growth": 0.1,
            "capacity": 0.4,
            "margin_adj": 0.9,
            "mix_adj": 0.8,
            "attach_adj": 0.5,
            "predictability": 0.9,
            "solution_completeness": 0.5,
        },
    }
    section.update(target_section)
    return {
        "program": {"peer_minimum": 2, "fiscal_year_start_month": 1},
        "targets": section,
        "_path": "/nonexistent/params/program.yaml",
    }


PARTNERS = [
    partner("A", "Gold", "sell", "2024-01-01", 0.5),
    partner("B", "Gold", "sell", "2026-05-01"),  # joined inside 2026-Q2: no full quarter
    partner("C", "Gold", "sell", "2025-01-01", 0.25),
]
TABLE = pd.DataFrame(
    metric_rows("A", "revenue", [100, 200, 300, 400])
    + metric_rows("C", "revenue", [50, 50, 50, 50])
    + metric_rows("A", "win_rate", [0.4, 0.5, float("nan"), 0.6])
    + metric_rows("C", "win_rate", [0.2, 0.2, 0.2, 0.2])
)


def row(frame, pid, metric):
    found = frame[(frame["partner_id"] == pid) & (frame["metric"] == metric)]
    assert len(found) == 1, f"expected one row for {pid}/{metric}, found {len(found)}"
    return found.iloc[0]


def test_revenue_target_from_own_history():
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    a = row(frame, "A", "revenue")
    # mean per quarter 250, at full capacity 250 / 0.5 = 500 for one quarter
    assert a["baseline"] == pytest.approx(500)
    assert a["source"] == "computed"
    assert (a["growth"], a["capacity"], a["margin_adj"], a["mix_adj"], a["attach_adj"]) == (
        0.1,
        0.5,
        0.9,
        0.8,
        0.5,
    )
    assert a["maturity"] == pytest.approx(0.45)
    # 500 x 1.1 = 550; x 0.5 = 275; x 0.9 = 247.5; x 0.8 = 198; x 0.5 = 99; x 0.45 = 44.55;
    # money to the step of the figures (tens), never above a tenth of the target: the whole, 45
    assert a["target"] == 45


def test_rate_target_uses_mean_rate_and_only_growth_and_maturity():
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    a = row(frame, "A", "win_rate")
    # mean of 0.4, 0.5, 0.6 (the quarter with no closed deal is left out) = 0.5
    assert a["baseline"] == pytest.approx(0.5)
    assert (a["capacity"], a["margin_adj"], a["mix_adj"], a["attach_adj"]) == (1.0, 1.0, 1.0, 1.0)
    # 0.5 x 1.1 x 0.45 = 0.2475
    assert a["target"] == pytest.approx(0.2475)


def test_a_rates_basis_is_not_at_full_capacity_and_its_target_reads_to_a_tenth():
    # A's win rate baseline is the mean rate, 0.5, not divided by a capacity share (the factor does not
    # apply to rates): its words say the mean only, over the 3 quarters with a rate (2026-Q1 had no closed
    # deal: left out, and the words say so). Its target 0.2475 reads 24.8% (24.75 to a tenth, halves up),
    # its baseline 50% (50.00: whole)
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    words = dict(zip(zip(frame["partner_id"], frame["metric"]), targets.basis_words(frame)))
    assert words[("A", "win_rate")] == (
        "mean of 3 of the trailing four quarters (2025-Q3 to 2026-Q2: those it was a member for with a rate)"
    )
    assert words[("A", "revenue")] == (
        "mean of the trailing four quarters, at full capacity (figures divided by the capacity share)"
    )
    shown = targets.workings(frame, "USD").set_index(["partner_id", "metric"]).loc[("A", "win_rate")]
    assert (shown["baseline"], shown["target"]) == ("50%", "24.8%")


def test_a_rate_is_shown_to_a_tenth_unless_whole():
    from partnerbook import i18n

    # 0.2424 -> 24.24 -> 24.2; 0.25 -> 25.0 whole; 0.66667 -> 66.7; 0.23979 -> 23.98 -> 24.0 whole;
    # 0.24951 -> 24.951 -> 25.0 whole, never "25.0%"; 0.0 -> 0%
    got = [targets.rate_text(v) for v in (0.2424, 0.25, 0.66667, 0.23979, 0.24951, 0.0)]
    assert got == ["24.2%", "25%", "66.7%", "24%", "25%", "0%"]
    # to a hundredth (a baseline): 23.979 -> 23.98; 20.8333 -> 20.83; 25 whole; 24.951 -> 24.95; 24.5 -> 24.5
    got = [targets.rate_text(v, digits=2) for v in (0.23979, 0.208333, 0.25, 0.24951, 0.245)]
    assert got == ["23.98%", "20.83%", "25%", "24.95%", "24.5%"]
    assert targets.rate_text(float("nan"), reason="no target") == "— (no target)"
    with i18n.using("fr_FR"):
        assert targets.rate_text(0.2424) == "24,2\u00a0%"


def test_a_held_best_quarter_on_a_year_or_a_month():
    # a quarter: 81,276.6 x 0.47 / 2 = 19,100; a year's baseline is four quarters' (325,106.4):
    # 325,106.4 x 0.47 / 2 / 4 = 19,100; a month's a third of one (27,092.2): / (1/3) = 19,100
    assert targets.held_best(81_276.6, 0.47) == 19_100
    assert targets.held_best(325_106.4, 0.47, 4) == 19_100
    assert targets.held_best(81_276.6 / 3, 0.47, 1 / 3) == 19_100
    assert [targets.period_quarters(PERIOD), targets.period_quarters(periods.parse("FY2026"))] == [1, 4]
    # the words over a year: twice the best quarter for each of its 4 quarters, 2 x 19,100 x 4 = 152,800;
    # 325,106.4 x 0.47 = 152,800 as sold at its capacity share
    assert targets.basis_label("ramping, held", 0.5, 325_106.4, 0.47, "USD", quarters=4) == (
        "ramping: its own results since its first for 2 quarters of 4, its peers' median for the rest, held to "
        "twice its best quarter before the period for each quarter of the period (2 × $19,100 × 4 = $152,800; "
        "$325,106 at full capacity)"
    )
    # targets() keeps the span of its period with the frame: the words need no period named
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), periods.parse("FY2026"))
    assert targets.quarters_of(frame) == 4 and targets.quarters_of(frame, 1) == 1
    assert targets.quarters_of(pd.DataFrame()) == 1
    # a year's count or money baseline is four quarters' worth: its words say so; a rate's is the rate.
    # (Before FY2026 the table holds 2025-Q3 and 2025-Q4 only: A's first result comes in the trailing
    # year's third quarter, so it is ramping, and with no peers it takes its mean since that result.)
    words = dict(zip(zip(frame["partner_id"], frame["metric"]), targets.basis_words(frame)))
    assert words[("A", "revenue")] == (
        "mean since its first result (no peers to draw on), at full capacity (figures divided by the capacity "
        "share), scaled to the period's 12 months"
    )
    # its win rate: 0.4 and 0.5, the two quarters the table holds (2025-Q3, 2025-Q4)
    assert words[("A", "win_rate")] == (
        "mean of 2 of the trailing four quarters (2025-Q3 to 2025-Q4: those it was a member for with a rate)"
    )
    from partnerbook import i18n

    with i18n.using("fr_FR"):
        assert targets.basis_label("trailing year", full_capacity=True, quarters=1 / 3) == (
            "moyenne des quatre derniers trimestres, à pleine capacité (chiffres divisés par la part de "
            "capacité), à l’échelle d’une période d’un mois"
        )


def test_a_trailing_mean_over_fewer_quarters_says_which():
    # The data begins in 2024-Q4 (no row of 2024-Q3): of the trailing eight quarters before 2026-Q3
    # (2024-Q3 .. 2026-Q2) the first is unknown, not $0. D (a member since 2022, capacity 1) sold, by
    # quarter from 2024-Q4: 0, 29,400, 304,100, 170,300, 62,400, 78,800, 0 = 645,000 in 7 quarters:
    # 645,000 / 7 = 92,142.86, above its trailing year's (170,300 + 62,400 + 78,800 + 0) / 4 = 77,875.
    # Its words say the mean is over 7 quarters and which. Target: 92,142.86 x 1.1 = 101,357.14;
    # x 0.9 = 91,221.43; x 0.8 = 72,977.14; x 0.5 = 36,488.57; x 0.45 = 16,419.86 -> 16,400 (hundreds).
    # E joined 15 Aug 2025: of the trailing year it was a member for 2025-Q4, 2026-Q1, 2026-Q2 (its
    # 5 new logos of 2025-Q3 came before it joined): (4 + 0 (no row: a quarter at zero) + 2) / 3 = 2;
    # 2 x 1.1 x 0.45 (maturity) = 0.99 -> 1.
    quarters = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    sold = [0, 29_400, 304_100, 170_300, 62_400, 78_800, 0]
    table = pd.DataFrame(
        [
            {"partner_id": "D", "period": q, "metric": "revenue", "breakdown": "", "value": v}
            for q, v in zip(quarters, sold)
        ]
        + [
            {"partner_id": "E", "period": q, "metric": "new_logos", "breakdown": "", "value": v}
            for q, v in (("2025-Q3", 5), ("2025-Q4", 4), ("2026-Q2", 2))
        ]
    )
    people = [
        partner("D", "Gold", "sell", "2022-05-25", 1.0),
        partner("E", "Gold", "sell", "2025-08-15", 1.0),
    ]
    frame = targets.targets(
        dataset(people), table, program(metrics={"sell": ["revenue", "new_logos"]}), PERIOD
    )
    d, e = row(frame, "D", "revenue"), row(frame, "E", "new_logos")
    assert (d["baseline"], d["basis"], d["target"]) == (
        pytest.approx(92_142.857, abs=1e-3),
        "two years",
        16_400,
    )
    assert (d["mean_of"], d["mean_from"], d["mean_to"]) == (7, "2024-Q4", "2026-Q2")
    assert (e["baseline"], e["target"], e["basis"], e["mean_of"], e["mean_from"]) == (
        pytest.approx(2.0),
        1,
        "trailing year",
        3,
        "2025-Q4",
    )
    words = dict(zip(frame["partner_id"] + "/" + frame["metric"], targets.basis_words(frame)))
    assert words["D/revenue"] == (
        "mean of 7 of the trailing eight quarters (2024-Q4 to 2026-Q2: those it was a member for that the data "
        "covers), above the trailing year's, at full capacity (figures divided by the capacity share)"
    )
    assert words["E/new_logos"] == (
        "mean of 3 of the trailing four quarters (2025-Q4 to 2026-Q2: those it was a member for that the data "
        "covers), at full capacity (figures divided by the capacity share)"
    )
    from partnerbook import i18n

    with i18n.using("fr_FR"):
        french = dict(zip(frame["partner_id"] + "/" + frame["metric"], targets.basis_words(frame)))
        assert french["D/revenue"] == (
            "moyenne de 7 des huit derniers trimestres (du T4\u00a02024 au T2\u00a02026\u00a0: ceux où il était membre et "
            "que couvrent les données), supérieure à celle des quatre derniers, à pleine capacité (chiffres "
            "divisés par la part de capacité)"
        )


def test_a_rate_baseline_in_the_workings_reproduces_its_target():
    # a rate baseline to a hundredth (fewer when they are 0): 0.239796 -> 23.98%; 23.98% x 1.12 x 0.9025
    # = 24.2387% -> 24.2%, the target shown (from '24%' a reader would get 24.26% -> 24.3%); 0.25 -> 25%
    frame = pd.DataFrame(
        {
            "partner_id": ["P", "Q"],
            "metric": ["win_rate", "win_rate"],
            "target": [0.242386, 0.2527],
            "baseline": [0.239796, 0.25],
            "growth": [0.12, 0.12],
            "capacity": [1.0, 1.0],
            "margin_adj": [1.0, 1.0],
            "mix_adj": [1.0, 1.0],
            "attach_adj": [1.0, 1.0],
            "maturity": [0.9025, 0.9025],
            "stage": ["sell", "sell"],
            "source": ["computed", "computed"],
            "basis": ["two years", "trailing year"],
            "own_weight": [1.0, 1.0],
            "peer_group": ["", ""],
            "peer_size": [0, 0],
            "mean_of": [7, 4],
            "mean_from": ["2024-Q4", "2025-Q3"],
            "mean_to": ["2026-Q2", "2026-Q2"],
        }
    )
    shown = targets.workings(frame, "USD").set_index("partner_id")
    assert list(shown.loc["P", ["baseline", "growth", "maturity", "before rounding", "target"]]) == [
        "23.98%",
        "+12%",
        "×0.9025",
        "24.2%",
        "24.2%",
    ]
    assert shown.loc["P", "basis"] == (
        "mean of 7 of the trailing eight quarters (2024-Q4 to 2026-Q2: those it was a member for with a rate), "
        "above the trailing year's"
    )
    # 25% x 1.12 x 0.9025 = 25.27%: 25.3%; all four quarters: the words as before
    assert list(shown.loc["Q", ["baseline", "target"]]) == ["25%", "25.3%"]
    assert shown.loc["Q", "basis"] == "mean of the trailing four quarters"


def test_partner_with_no_history_gets_peer_baseline():
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    b = row(frame, "B", "revenue")
    # peers in Gold/sell with history: A at 500, C at 50 / 0.25 = 200; median 350
    assert b["source"] == "peer baseline"
    assert (b["peer_group"], b["peer_size"]) == ("Gold partners in the sell stage", 2)
    assert b["baseline"] == pytest.approx(350)
    # capacity from the default 0.4: 350 x 1.1 x 0.4 x 0.9 x 0.8 x 0.5 x 0.45 = 24.948, to the whole: 25
    assert b["capacity"] == 0.4
    assert b["target"] == 25


def test_peer_group_falls_back_to_the_stage_never_tier_or_programme():
    many = PARTNERS + [partner("S", "Silver", "sell", "2026-06-01")]
    frame = targets.targets(dataset(many), TABLE, program(), PERIOD)
    s = row(frame, "S", "revenue")
    # no Silver partner has history: the sell stage, any tier (A 500, C 200) gives 350
    assert (s["peer_group"], s["peer_size"], s["baseline"]) == (
        "partners in the sell stage",
        2,
        pytest.approx(350),
    )
    p = program()
    p["program"]["peer_minimum"] = 3  # only 2 Gold/sell peers, and 2 in the sell stage
    b = row(targets.targets(dataset(PARTNERS), TABLE, p, PERIOD), "B", "revenue")
    # no peer baseline, so no target, rather than a target that would reveal two other
    # partners' figures
    assert (b["peer_group"], b["peer_size"]) == ("fewer than 3 peers with history", 0)
    assert pd.isna(b["baseline"]) and pd.isna(b["target"])


def test_only_members_get_targets_or_count_as_peers():
    # F (Gold, sell) left on 30 Jun, before 2026-Q3: no target, and not B's peer, though it
    # has history of 1,000 a quarter (which would move B's median from 350 to 500)
    gone = partner("F", "Gold", "sell", "2024-01-01", 1.0) | {"churned_on": "2026-06-30"}
    table = pd.concat([TABLE, pd.DataFrame(metric_rows("F", "revenue", [1000] * 4))])
    frame = targets.targets(dataset(PARTNERS + [gone]), table, program(), PERIOD)
    assert sorted(set(frame["partner_id"])) == ["A", "B", "C"]
    b = row(frame, "B", "revenue")
    assert (b["peer_size"], b["baseline"]) == (2, pytest.approx(350))


def test_hand_set_target_for_a_former_partner_is_refused(tmp_path):
    gone = partner("F", "Gold", "sell", "2024-01-01") | {"churned_on": "2026-06-30"}
    p = hand_program(tmp_path, "partner_id,metric,target\nF,revenue,10\n")
    with pytest.raises(ParamsError, match=r"row 1, column partner_id.*in the programme in 2026-Q3.*'F'"):
        targets.targets(dataset(PARTNERS + [gone]), TABLE, p, PERIOD)


def test_capacity_zero_gives_zero_revenue_target():
    p = program(by_partner={"C": {"capacity": 0}})
    c = row(targets.targets(dataset(PARTNERS), TABLE, p, PERIOD), "C", "revenue")
    # baseline stays at full capacity (50 / 0.25 = 200) and the target is 0
    assert c["baseline"] == pytest.approx(200)
    assert c["capacity"] == 0
    assert c["target"] == 0


def test_overrides_at_each_level_partner_over_stage_over_tier_over_default():
    p = program(
        by_tier={"Gold": {"growth": 0.2}},
        by_stage={"sell": {"growth": 0.3}},
        by_partner={"A": {"growth": 0.4}},
    )
    people = [
        partner("A", "Gold", "sell", "2024-01-01"),
        partner("G", "Gold", "enable", "2024-01-01"),
        partner("S", "Silver", "sell", "2024-01-01"),
        partner("E", "Silver", "enable", "2024-01-01"),
    ]
    stages = pd.Series({"A": "sell", "G": "enable", "S": "sell", "E": "enable"})
    got = targets.factors(dataset(people)["partners"], stages, targets.settings(p)).set_index("partner_id")[
        "growth"
    ]
    assert got.to_dict() == {"A": 0.4, "G": 0.2, "S": 0.3, "E": 0.1}


def test_capacity_share_in_data_sits_between_partner_and_stage():
    p = program(by_stage={"sell": {"capacity": 0.3}}, by_partner={"C": {"capacity": 0.9}})
    stages = pd.Series({"A": "sell", "B": "sell", "C": "sell"})
    got = targets.factors(dataset(PARTNERS)["partners"], stages, targets.settings(p)).set_index("partner_id")[
        "capacity"
    ]
    # A: data 0.5 beats the stage; B: no data, the stage's 0.3; C: partner parameter 0.9 beats data
    assert got.to_dict() == {"A": 0.5, "B": 0.3, "C": 0.9}


def test_stage_at_period_end_decides_the_metrics():
    people = [
        partner("A", "Gold", "sell", "2024-01-01", 0.5),
        partner("C", "Gold", "sell", "2025-01-01", 0.25),
        partner("D", "Gold", "grow", "2025-01-01", 0.5),
    ]
    changes = [
        {"partner_id": "D", "changed_on": "2025-01-01", "stage": "onboard"},
        {"partner_id": "D", "changed_on": "2025-06-01", "stage": "enable"},
        {"partner_id": "D", "changed_on": "2026-08-15", "stage": "sell"},  # inside 2026-Q3
        {"partner_id": "D", "changed_on": "2026-10-05", "stage": "grow"},
    ]  # after it
    frame = targets.targets(dataset(people, changes), TABLE, program(), PERIOD)
    d = frame[frame["partner_id"] == "D"]
    assert sorted(d["metric"]) == ["revenue", "win_rate"]
    assert set(d["stage"]) == {"sell"}


def test_early_stage_partner_gets_activity_target_and_churned_none():
    people = PARTNERS + [partner("R", "Gold", "recruit", None), partner("X", "Gold", "churned", "2024-01-01")]
    table = pd.concat(
        [
            TABLE,
            pd.DataFrame(
                metric_rows("A", "business_plans", [1, 1, 1, 1])
                + metric_rows("C", "business_plans", [2, 2, 2, 2])
            ),
        ]
    )
    frame = targets.targets(
        dataset(people), table, program(metrics={"recruit": ["business_plans"], "sell": ["revenue"]}), PERIOD
    )
    assert list(frame.loc[frame["partner_id"] == "R", "metric"]) == ["business_plans"]
    assert "X" not in set(frame["partner_id"])
    r = row(frame, "R", "business_plans")
    # no recruit with history to compare with (Gold sell partners are not like with like):
    # no peer baseline, so no computed target
    assert (r["source"], r["peer_group"]) == ("peer baseline", "fewer than 2 peers with history")
    assert pd.isna(r["baseline"]) and pd.isna(r["target"])
    # two Gold recruits with four quarters of history (joined 2025-01-01) make a group
    more = people + [
        partner("R2", "Gold", "recruit", "2025-01-01"),
        partner("R3", "Gold", "recruit", "2025-01-01"),
    ]
    table2 = pd.concat(
        [
            table,
            pd.DataFrame(
                metric_rows("R2", "business_plans", [1, 3, 2, 2])
                + metric_rows("R3", "business_plans", [2, 2, 2, 2])
            ),
        ]
    )
    got = targets.targets(dataset(more), table2, program(metrics={"recruit": ["business_plans"]}), PERIOD)
    r = row(got, "R", "business_plans")
    # R2: mean (1 + 3 + 2 + 2) / 4 = 2, at full capacity 2 / 0.4 = 5; R3: 2 / 0.4 = 5; median 5; leading count: growth and capacity
    # only: 5 x 1.1 x 0.4 = 2.2, to the nearest whole plan: 2
    assert (r["peer_group"], r["peer_size"], r["baseline"]) == (
        "Gold partners in the recruit stage",
        2,
        pytest.approx(5),
    )
    assert (r["margin_adj"], r["maturity"]) == (1.0, 1.0)
    assert r["target"] == 2


def test_year_period_scales_the_baseline_by_four_quarters():
    frame = targets.targets(dataset(PARTNERS), TABLE, program(metrics={"sell": ["revenue"]}), parse("FY2026"))
    # FY2026 trails 2025-Q1..2025-Q4; the table begins in 2025-Q3 (the quarters before it are
    # unknown, not zeros); C (joined 2025-01-01) has 50 in Q3 and Q4: its first result is
    # 2025-Q3, so it counts as ramping. Its peer A is ramping too (first result 2025-Q3), so C
    # has no peers and its own results carry it all: (50 + 50) / 2 = 50, / 0.25 = 200 a quarter,
    # x 4 = 800 (the old trailing mean, (0 + 0 + 50 + 50) / 4 x 4 / 0.25 = 400, halved it)
    c = row(frame, "C", "revenue")
    assert (c["baseline"], c["basis"], c["own_weight"]) == (pytest.approx(800), "since first result", 1.0)


# ---- the baseline rule: steady, dry year, ramping, peers --------------------------------------

Q8 = ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", *Q]  # the trailing two years of 2026-Q3


def eight_quarters(pid: str, values: list) -> list[dict]:
    return [
        {"partner_id": pid, "period": q, "metric": "revenue", "breakdown": "", "value": v}
        for q, v in zip(Q8, values)
    ]


RAMP_PARTNERS = [
    partner("E1", "Gold", "sell", "2023-01-01", 0.5),  # steady
    partner("E2", "Gold", "sell", "2023-01-01", 0.25),  # steady
    partner("R", "Gold", "sell", "2025-01-01", 0.5),  # ramping: first sale in 2026-Q1
    partner("N", "Gold", "sell", "2023-01-01", 0.5),  # never sold
    partner("L", "Silver", "sell", "2023-01-01", 0.5),  # lumpy: a dry trailing year
    partner("S", "Gold", "sell", "2025-01-01", 0.5),  # ramping and small: first sale in 2026-Q2
]
RAMP_TABLE = pd.DataFrame(
    eight_quarters("E1", [100] * 8)
    + eight_quarters("E2", [40] * 8)
    + eight_quarters("R", [0, 0, 0, 0, 0, 0, 60, 100])
    + eight_quarters("N", [0] * 8)
    + eight_quarters("L", [400, 0, 400, 0, 0, 0, 0, 40])
    + eight_quarters("S", [0, 0, 0, 0, 0, 0, 0, 10])
)
# Factors of program(): growth 0.1, margin 0.9, mix 0.8, attach 0.5, maturity 0.9 x 0.5 = 0.45;
# capacity is each partner's capacity_share.


def ramp_frame():
    return targets.targets(dataset(RAMP_PARTNERS), RAMP_TABLE, program(metrics={"sell": ["revenue"]}), PERIOD)


def test_steady_partner_target_is_its_trailing_year():
    e1 = row(ramp_frame(), "E1", "revenue")
    # 100 a quarter for two years: trailing year 100 = two years 100; / 0.5 = 200 a quarter at full capacity
    assert (e1["baseline"], e1["basis"], e1["own_weight"], e1["source"]) == (
        pytest.approx(200),
        "trailing year",
        1.0,
        "computed",
    )
    # 200 x 1.1 = 220; x 0.5 = 110; x 0.9 = 99; x 0.8 = 79.2; x 0.5 = 39.6; x 0.45 = 17.82, to the whole: 18
    assert e1["target"] == 18


def test_a_dry_year_does_not_shrink_an_established_partners_baseline():
    l_ = row(ramp_frame(), "L", "revenue")
    # trailing year 0 + 0 + 0 + 40 = 40 / 4 = 10; two years (400 + 400 + 40) / 8 = 105, higher:
    # 105 / 0.5 = 210 a quarter at full capacity
    assert (l_["baseline"], l_["basis"], l_["source"]) == (pytest.approx(210), "two years", "computed")
    # 210 x 1.1 = 231; x 0.5 = 115.5; x 0.9 = 103.95; x 0.8 = 83.16; x 0.5 = 41.58; x 0.45 = 18.711, to the whole: 19
    assert l_["target"] == 19


def test_ramping_partner_blends_its_results_since_the_first_with_its_peers():
    r = row(ramp_frame(), "R", "revenue")
    # R (member from 2025-Q1) sold nothing until 2026-Q1: two quarters of results out of four.
    # Own: (60 + 100) / 2 = 80, / 0.5 = 160. Peers (Gold, sell, a full year of results): E1 at
    # 200, E2 at 40 / 0.25 = 160; median 180 (R and N, still ramping, are no one's peers).
    # Baseline 2/4 x 160 + 2/4 x 180 = 80 + 90 = 170
    assert (r["baseline"], r["own_weight"], r["basis"], r["source"]) == (
        pytest.approx(170),
        0.5,
        "ramping",
        "peer baseline",
    )
    assert (r["peer_group"], r["peer_size"]) == ("Gold partners in the sell stage", 2)
    # 170 x 1.1 = 187; x 0.5 = 93.5; x 0.9 = 84.15; x 0.8 = 67.32; x 0.5 = 33.66; x 0.45 = 15.147, to the whole: 15
    assert r["target"] == 15


def test_peers_may_not_lift_a_ramping_baseline_above_twice_its_best_quarter():
    s_ = row(ramp_frame(), "S", "revenue")
    # S sold 10 in 2026-Q2, its first result: one quarter of four. Own 10 / 0.5 = 20; peers'
    # median 180 (E1 200, E2 160). Blend 1/4 x 20 + 3/4 x 180 = 5 + 135 = 140, above twice its
    # best quarter: 2 x 20 = 40. The baseline is held at 40.
    assert (s_["baseline"], s_["own_weight"], s_["basis"], s_["source"]) == (
        pytest.approx(40),
        0.25,
        "ramping, held",
        "peer baseline",
    )
    # 40 x 1.1 = 44; x 0.5 = 22; x 0.9 = 19.8; x 0.8 = 15.84; x 0.5 = 7.92; x 0.45 = 3.564, to the whole: 4
    assert s_["target"] == 4
    # R's blend (170) is below twice its best quarter (2 x 100 / 0.5 = 400): not held
    assert row(ramp_frame(), "R", "revenue")["basis"] == "ramping"


def test_partner_with_no_result_yet_takes_the_peer_median():
    n = row(ramp_frame(), "N", "revenue")
    # a member for two years with no sale: nothing of its own to go on; the peers' median 180
    assert (n["baseline"], n["own_weight"], n["basis"], n["source"]) == (
        pytest.approx(180),
        0.0,
        "peer median",
        "peer baseline",
    )
    # 180 x 1.1 = 198; x 0.5 = 99; x 0.9 = 89.1; x 0.8 = 71.28; x 0.5 = 35.64; x 0.45 = 16.038, to the whole: 16
    assert n["target"] == 16


def test_quarters_before_the_data_begins_are_unknown_not_zero():
    rows = [{**r, "metric": "deals_registered"} for r in eight_quarters("E1", [None] * 6 + [6, 10])]
    table = pd.DataFrame(rows).dropna()
    program_ = program(metrics={"sell": ["deals_registered"]})
    e1 = row(targets.targets(dataset(RAMP_PARTNERS[:1]), table, program_, PERIOD), "E1", "deals_registered")
    # the table holds 2026-Q1 and 2026-Q2 only: (6 + 10) / 2 = 8, / 0.5 = 16 a quarter (not
    # (0 + 0 + 6 + 10) / 4 = 4 -> 8, as if E1 had registered nothing before the data begins)
    assert e1["baseline"] == pytest.approx(16)
    # 16 x 1.1 = 17.6; x 0.5 = 8.8, to the nearest: 9
    assert e1["target"] == 9


def test_activity_has_no_ramp_and_no_two_years_its_zero_quarters_count():
    table = pd.DataFrame(
        [{**r, "metric": "deals_registered"} for r in eight_quarters("R", [0, 0, 0, 0, 0, 0, 6, 10])]
        + [{**r, "metric": "deals_registered"} for r in eight_quarters("L", [9, 9, 9, 9, 0, 0, 0, 4])]
    )
    program_ = program(metrics={"sell": ["deals_registered"]})
    r = row(targets.targets(dataset(RAMP_PARTNERS), table, program_, PERIOD), "R", "deals_registered")
    # a leading count: quarters without a registration are inactivity, not a ramp.
    # (0 + 0 + 6 + 10) / 4 = 4, / 0.5 = 8
    assert (r["baseline"], r["basis"], r["own_weight"]) == (pytest.approx(8), "trailing year", 1.0)
    # 8 x 1.1 = 8.8; x 0.5 = 4.4 (counts take growth and capacity only), to the nearest: 4
    assert r["target"] == 4
    l_ = row(targets.targets(dataset(RAMP_PARTNERS), table, program_, PERIOD), "L", "deals_registered")
    # activity a year ago is not activity now: (0 + 0 + 0 + 4) / 4 = 1, / 0.5 = 2 (the two
    # years' (36 + 4) / 8 = 5 is for results only); 2 x 1.1 x 0.5 = 1.1, to the nearest: 1
    assert (l_["baseline"], l_["basis"], l_["target"]) == (pytest.approx(2), "trailing year", 1)


def test_a_count_of_results_takes_two_years_but_has_no_ramp():
    table = pd.DataFrame(
        [{**r, "metric": "new_logos"} for r in eight_quarters("L", [2, 0, 2, 0, 0, 0, 0, 0])]
        + [{**r, "metric": "new_logos"} for r in eight_quarters("R", [0, 0, 0, 0, 0, 0, 1, 1])]
    )
    frame = targets.targets(dataset(RAMP_PARTNERS), table, program(metrics={"sell": ["new_logos"]}), PERIOD)
    l_, r = row(frame, "L", "new_logos"), row(frame, "R", "new_logos")
    # L: trailing year 0; two years (2 + 2) / 8 = 0.5, higher; / 0.5 = 1 a quarter.
    # 1 x 1.1 = 1.1; x 0.5 = 0.55; x maturity 0.45 = 0.2475 (a result): below one half, no target
    assert (l_["baseline"], l_["basis"]) == (pytest.approx(1), "two years")
    assert (
        pd.isna(l_["target"])
        and targets.attainment(frame, table, PERIOD).set_index("partner_id").loc["L", "status"] == "no target"
    )
    # R (member from 2025-Q1): no ramp for counts, its zero quarters count:
    # trailing year (0 + 0 + 1 + 1) / 4 = 0.5 (two years 2 / 6 = 0.33, lower); / 0.5 = 1
    assert (r["baseline"], r["basis"], r["own_weight"]) == (pytest.approx(1), "trailing year", 1.0)


# ---- hand-set targets ------------------------------------------------------------------


def hand_program(tmp_path, text: str) -> dict:
    (tmp_path / "params" / "targets").mkdir(parents=True)
    (tmp_path / "params" / "targets" / "2026-Q3.csv").write_text(text, encoding="utf-8")
    return {**program(), "_path": str(tmp_path / "params" / "program.yaml")}


def test_hand_set_target_wins_and_says_so(tmp_path):
    p = hand_program(tmp_path, "partner_id,metric,target,baseline\nA,revenue,999,1\nB,new_logos,3,\n")
    frame = targets.targets(dataset(PARTNERS), TABLE, p, PERIOD)
    a = row(frame, "A", "revenue")
    assert (a["target"], a["source"], a["baseline"]) == (999, "set by hand", pytest.approx(500))
    b = row(frame, "B", "new_logos")
    assert (b["target"], b["source"], b["stage"]) == (3, "set by hand", "sell")


def test_hand_set_problems_name_file_row_and_column(tmp_path):
    p = hand_program(tmp_path, "partner_id,metric,target\nA,revenue,10\nZ,revenue,5\nA,revenu,x\n")
    with pytest.raises(ParamsError) as err:
        targets.targets(dataset(PARTNERS), TABLE, p, PERIOD)
    text = str(err.value)
    assert "2026-Q3.csv, row 2, column partner_id" in text and "'Z'" in text
    assert "row 3, column metric" in text and "'revenu'" in text
    assert "row 3, column target" in text


def test_write_targets_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    out = targets.write_targets_csv(frame, "2026-Q3")
    assert out == tmp_path / "outputs" / "2026-Q3" / "targets.csv"
    back = pd.read_csv(out)
    assert list(back.columns) == targets.COLUMNS
    assert (
        back.loc[(back["partner_id"] == "A") & (back["metric"] == "revenue"), "target"].iloc[0] == 45
    )  # 44.55 to the whole (test_revenue_target_from_own_history)
    a = back[(back["partner_id"] == "A") & (back["metric"] == "revenue")].iloc[0]
    # the baseline is the mean divided by the capacity share: the words say it
    assert (
        a["basis"]
        == "mean of the trailing four quarters, at full capacity (figures divided by the capacity share)"
    )


def test_write_targets_csv_says_a_ramping_baseline_in_words(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    back = pd.read_csv(targets.write_targets_csv(ramp_frame(), "2026-Q3")).set_index("partner_id")
    assert back.loc["R", "basis"] == (
        "ramping: its own results since its first for 2 quarters of 4, its peers' median for the rest, at full "
        "capacity (figures divided by the capacity share)"
    )
    # S (test_a_small_ramping_partner...): baseline held at 40 at full capacity; at its capacity share
    # of 0.5 its best quarter before the period sold 40 x 0.5 / 2 = 10, twice that 20
    assert back.loc["S", "basis"] == (
        "ramping: its own results since its first for 1 quarter of 4, its peers' median for the rest, "
        "held to twice its best quarter before the period (2 × $10 = $20; $40 at full capacity)"
    )
    assert (back.loc["N", "basis"], back.loc["L", "basis"]) == (
        "peers' median, at full capacity (figures divided by the capacity share)",
        "mean of the trailing eight quarters, above the trailing year's, at full capacity (figures divided by "
        "the capacity share)",
    )


# ---- bad parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "section, words",
    [
        ({"defaults": {"capacity": -0.1}}, ["targets.defaults.capacity", "share from 0 to 1", "-0.1"]),
        (
            {"by_tier": {"Gold": {"predictability": 1.2}}},
            ["targets.by_tier.Gold.predictability", "share from 0 to 1"],
        ),
        (
            {"defaults": {"capcity": 0.5}},
            ["targets.defaults.capcity", "did you mean 'capacity'", "allowed: growth, capacity"],
        ),
        (
            {"by_stage": {"sel": {"growth": 0.1}}},
            ["targets.by_stage.sel", "allowed: recruit, onboard, enable, sell"],
        ),
        ({"metrics": {"sell": ["revenu"]}}, ["targets.metrics.sell", "'revenu'", "revenue"]),
        ({"defaults": {"growth": -1.5}}, ["targets.defaults.growth", "above -1"]),
    ],
)
def test_bad_target_parameters_name_the_key(section, words):
    with pytest.raises(ParamsError) as err:
        targets.settings(program(**section))
    for word in words:
        assert word in str(err.value)


def test_unknown_partner_override_is_refused():
    with pytest.raises(ParamsError, match=r"targets.by_partner.P9: unknown partner .*A, B, C"):
        targets.targets(dataset(PARTNERS), TABLE, program(by_partner={"P9": {"growth": 0}}), PERIOD)


# ---- attainment and pacing -------------------------------------------------------------


def test_attainment_and_pace_halfway_through_the_quarter():
    frame = pd.DataFrame(
        {
            "partner_id": ["A", "A", "B"],
            "metric": ["revenue", "win_rate", "revenue"],
            "target": [120.0, 0.5, 100.0],
        }
    )
    actual = pd.DataFrame(
        {
            "partner_id": ["A", "A"],
            "period": ["2026-Q3"] * 2,
            "metric": ["revenue", "win_rate"],
            "breakdown": ["", ""],
            "value": [60.0, 0.4],
        }
    )
    # 2026-Q3 has 92 days; 1 July to 15 August is 46 of them: half the period
    got = targets.attainment(frame, actual, PERIOD, as_of="2026-08-15").set_index(["partner_id", "metric"])
    rev = got.loc[("A", "revenue")]
    assert rev["elapsed"] == pytest.approx(0.5)
    assert (rev["attainment"], rev["expected"], rev["pace"]) == (
        pytest.approx(0.5),
        pytest.approx(60),
        pytest.approx(1.0),
    )
    assert (rev["projection"], rev["projected_attainment"], rev["status"]) == (
        pytest.approx(120),
        pytest.approx(1.0),
        "on pace",
    )
    rate = got.loc[("A", "win_rate")]
    # rates are not prorated: 0.4 / 0.5 = 0.8, behind, projected to stay at 0.4
    assert (rate["attainment"], rate["pace"], rate["projection"], rate["status"]) == (
        pytest.approx(0.8),
        pytest.approx(0.8),
        pytest.approx(0.4),
        "behind",
    )
    assert got.loc[("B", "revenue")]["status"] == "no data"


def test_attainment_at_period_end_defaults_to_the_whole_period():
    frame = pd.DataFrame({"partner_id": ["A"], "metric": ["revenue"], "target": [100.0]})
    actual = pd.DataFrame(
        {
            "partner_id": ["A"],
            "period": ["2026-Q3"],
            "metric": ["revenue"],
            "breakdown": [""],
            "value": [130.0],
        }
    )
    got = targets.attainment(frame, actual, "2026-Q3").iloc[0]
    assert (got["elapsed"], got["attainment"], got["status"]) == (1.0, pytest.approx(1.3), "ahead")


# ---- the channel -----------------------------------------------------------------------


def test_channel_view_sets_partner_targets_against_each_goal():
    p = {
        **program(),
        "objectives": [
            {
                "id": "o1",
                "name": "Grow",
                "kind": "sales_growth",
                "metric": "revenue",
                "target": 1,
                "period": "2026-Q3",
            }
        ],
        "channel_goals": [
            {
                "id": "rev",
                "name": "Revenue",
                "metric": "revenue",
                "target": 4000,
                "grain": "year",
                "supports": ["o1"],
            },
            {"id": "wr", "name": "Win rate", "metric": "win_rate", "target": 0.3, "supports": ["o1"]},
        ],
    }
    frame = pd.DataFrame(
        {
            "partner_id": ["A", "B", "A", "B"],
            "metric": ["revenue", "revenue", "win_rate", "win_rate"],
            "target": [600.0, 250.0, 0.2, 0.3],
        }
    )
    got = goals.channel(frame, p, PERIOD).set_index("goal")
    # a year goal of 4000 is 1000 a quarter; partners sum to 850; gap 150 (15%)
    assert (got.loc["rev", "goal_target"], got.loc["rev", "partner_targets"]) == (1000, 850)
    assert (got.loc["rev", "gap"], got.loc["rev", "gap_share"]) == (150, pytest.approx(0.15))
    # rates are averaged: (0.2 + 0.3) / 2 = 0.25 against 0.3
    assert got.loc["wr", "partner_targets"] == pytest.approx(0.25)
    assert got.loc["wr", "gap"] == pytest.approx(0.05)


def test_without_join_dates_a_quarter_counts_where_the_partner_has_a_value():
    people = [partner("A", "Gold", "sell", None, 0.5), partner("C", "Gold", "sell", None, 0.25)]
    # C has values in 2026-Q1 and 2026-Q2 only: 2 quarters of history, mean 50, / 0.25 = 200
    table = pd.DataFrame(
        metric_rows("A", "revenue", [100, 200, 300, 400])
        + metric_rows("C", "revenue", [float("nan"), float("nan"), 40, 60])
    )
    frame = targets.targets(dataset(people), table, program(metrics={"sell": ["revenue"]}), PERIOD)
    c = row(frame, "C", "revenue")
    assert (c["source"], c["baseline"]) == ("computed", pytest.approx(200))


def test_a_copied_targets_csv_changes_only_the_edited_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    frame = targets.targets(dataset(PARTNERS), TABLE, program(), PERIOD)
    written = pd.read_csv(targets.write_targets_csv(frame, "2026-Q3"), dtype=str, keep_default_na=False)
    edited = written.assign(
        target=written["target"].mask((written["partner_id"] == "C") & (written["metric"] == "revenue"), "75")
    )
    edited.loc[(edited["partner_id"] == "B") & (edited["metric"] == "win_rate"), "target"] = ""
    (tmp_path / "params" / "targets").mkdir(parents=True)
    edited.to_csv(tmp_path / "params" / "targets" / "2026-Q3.csv", index=False)
    again = targets.targets(
        dataset(PARTNERS), TABLE, {**program(), "_path": str(tmp_path / "params" / "program.yaml")}, PERIOD
    )
    assert again.loc[
        again["source"] == "set by hand", ["partner_id", "metric", "target"]
    ].values.tolist() == [["C", "revenue", 75.0]]
    assert row(again, "A", "revenue")["target"] == 45
    assert row(again, "B", "win_rate")["source"] == "peer baseline"


def test_basis_in_french():
    from partnerbook import i18n

    with i18n.using("fr_FR"):
        assert targets.basis_label("ramping", 0.25) == (
            "en montée en puissance\u00a0: ses propres résultats depuis le premier pour 1 trimestre sur 4, "
            "la médiane de ses pairs pour le reste"
        )
        assert targets.basis_label("peer median") == "médiane des pairs"


def test_counts_round_to_the_nearest_and_below_one_half_give_no_target():
    table = pd.DataFrame(
        [{**r, "metric": "deals_registered"} for r in eight_quarters("E1", [0] * 4 + [5, 5, 5, 5])]
        + [{**r, "metric": "deals_registered"} for r in eight_quarters("E2", [0] * 4 + [1, 0, 0, 0])]
        + [{**r, "metric": "deals_registered"} for r in eight_quarters("N", [0] * 4 + [2, 1, 1, 1])]
    )
    frame = targets.targets(
        dataset(RAMP_PARTNERS[:2] + RAMP_PARTNERS[3:4]),
        table,
        program(metrics={"sell": ["deals_registered"]}),
        PERIOD,
    )
    # E1: 5 / 0.5 = 10; x 1.1 x 0.5 = 5.5, a half: up to 6
    # E2: 1 / 4 = 0.25, / 0.25 = 1; x 1.1 x 0.25 = 0.275, below one half: no target
    # N: 5 / 4 = 1.25, / 0.5 = 2.5; x 1.1 x 0.5 = 1.375, to the nearest: 1
    assert row(frame, "E1", "deals_registered")["target"] == 6
    assert pd.isna(row(frame, "E2", "deals_registered")["target"])
    assert row(frame, "N", "deals_registered")["target"] == 1
    words = dict(zip(frame["partner_id"], targets.basis_words(frame)))
    assert words["E2"] == (
        "mean of the trailing four quarters, at full capacity (figures divided by the capacity share); worked "
        "out below one half: no target"
    )
    assert (
        words["N"]
        == "mean of the trailing four quarters, at full capacity (figures divided by the capacity share)"
    )
    # the channel's partner targets add up what is asked: 6 + 1 (E2 has none), two partners
    p = {
        **program(metrics={"sell": ["deals_registered"]}),
        "channel_goals": [{"id": "reg", "name": "Registrations", "metric": "deals_registered", "target": 10}],
    }
    got = goals.channel(frame, p, PERIOD).iloc[0]
    assert (got["partner_targets"], got["partners"]) == (7, 2)
    from partnerbook import i18n

    with i18n.using("fr_FR"):
        assert targets.basis_words(frame)[1] == (
            "moyenne des quatre derniers trimestres, à pleine capacité (chiffres divisés par la part de "
            "capacité)\u00a0; résultat du calcul inférieur à un demi\u00a0: pas de cible"
        )


def test_money_targets_round_to_the_step_the_figures_come_in():
    people = [
        partner("H", "Gold", "sell", "2024-01-01", 0.5),
        partner("T", "Silver", "sell", "2024-01-01", 0.5),
    ]
    table = pd.DataFrame(
        metric_rows("H", "revenue", [10_000] * 4) + metric_rows("T", "revenue", [10_000] * 4)
    )
    frame = targets.targets(dataset(people), table, program(metrics={"sell": ["revenue"]}), PERIOD)
    # 10,000 / 0.5 = 20,000; x 1.1 = 22,000; x 0.5 = 11,000; x 0.9 = 9,900; x 0.8 = 7,920; x 0.5 = 3,960;
    # x 0.45 = 1,782. Every figure a whole hundred: to the hundred, 1,800
    assert row(frame, "H", "revenue")["target"] == 1800
    tens = pd.DataFrame(metric_rows("H", "revenue", [10_010] * 4) + metric_rows("T", "revenue", [10_000] * 4))
    frame = targets.targets(dataset(people), tens, program(metrics={"sell": ["revenue"]}), PERIOD)
    # 10,010 / 0.5 = 20,020; x 1.1 = 22,022; x 0.5 = 11,011; x 0.9 = 9,909.9; x 0.8 = 7,927.92;
    # x 0.5 = 3,963.96; x 0.45 = 1,783.782. A figure in tens: to the ten, 1,780
    assert row(frame, "H", "revenue")["target"] == 1780
    # 10,000 -> 1,782 the same way, now to the ten as well: 1,780
    assert row(frame, "T", "revenue")["target"] == 1780
    assert (
        targets.money_step(pd.Series([1_234.5, 100])),
        targets.money_step(pd.Series([], dtype=float)),
    ) == (1, 1)


def workings_frame():
    """P003's revenue and new logos targets of the 2026-Q3 sample, as targets() gives them."""
    return pd.DataFrame(
        {
            "partner_id": ["P003", "P003"],
            "metric": ["new_logos", "revenue"],
            "target": [float("nan"), 34_300.0],
            "baseline": [0.531915, 81_276.595745],
            "growth": [0.15, 0.15],
            "capacity": [0.47, 0.47],
            "margin_adj": [1.0, 0.96],
            "mix_adj": [1.0, 0.96],
            "attach_adj": [1.0, 0.94],
            "maturity": [0.9025, 0.9025],
            "stage": ["grow", "grow"],
            "source": ["computed", "peer baseline"],
            "basis": ["trailing year", "ramping, held"],
            "own_weight": [1.0, 0.5],
            "peer_group": ["", "partners in the grow stage"],
            "peer_size": [0, 15],
        }
    )


def test_workings_in_words_with_the_decimals_that_make_the_product():
    got = targets.workings(workings_frame(), "USD").set_index("metric")
    # 81,276.60 x 1.15 = 93,468.09; x 0.47 = 43,930.00; x 0.96 = 42,172.80; x 0.96 = 40,485.89;
    # x 0.94 = 38,056.73; x 0.9025 = 34,346.20 -> $34,346 before rounding, $34,300 the target.
    # Held: its best quarter before the period sold 81,276.60 x 0.47 / 2 = 19,100.0; 2 x 19,100 = 38,200
    assert got.loc["revenue", list(targets.WORKINGS)].tolist() == [
        "$81,277",
        "+15%",
        "47%",
        "×0.96",
        "×0.96",
        "×0.94",
        "×0.9025",
        "$34,346",
        "$34,300",
        "ramping: its own results since its first for 2 quarters of 4, its peers' median for the rest, "
        "held to twice its best quarter before the period (2 × $19,100 = $38,200; $81,277 at full capacity)",
        "peer baseline (partners in the grow stage)",
    ]
    # 0.531915 x 1.15 = 0.6117; x 0.47 = 0.2875; x 0.9025 = 0.2595 -> 0.26: below one half, no target
    assert got.loc["new_logos", list(targets.WORKINGS)].tolist() == [
        "0.53",
        "+15%",
        "47%",
        "n/a",
        "n/a",
        "n/a",
        "×0.9025",
        "0.26",
        "— (no target)",
        "mean of the trailing four quarters, at full capacity (figures divided by the capacity share); worked "
        "out below one half: no target",
        "computed",
    ]
    assert list(targets.working_headers().values()) == [
        "baseline",
        "growth",
        "capacity share",
        "margin",
        "product mix",
        "add-on attach",
        "maturity",
        "before rounding",
        "target",
        "baseline from",
        "source",
    ]


def test_workings_in_french():
    from partnerbook import i18n

    nb, nnb = "\u00a0", "\u202f"
    with i18n.using("fr_FR"):
        # the peer group is in the frame in the language it was worked out in
        frame = workings_frame().assign(peer_group=["", "partenaires à l’étape croissance"])
        got = targets.workings(frame, "EUR").set_index("metric")
        assert got.loc["revenue", list(targets.WORKINGS)].tolist() == [
            f"81{nnb}277{nb}€",
            f"+15{nb}%",
            f"47{nb}%",
            "×0,96",
            "×0,96",
            "×0,94",
            "×0,9025",
            f"34{nnb}346{nb}€",
            f"34{nnb}300{nb}€",
            f"en montée en puissance{nb}: ses propres résultats depuis le premier pour 2 trimestres sur 4, "
            "la médiane de ses pairs pour le reste, plafonnée au double de son meilleur trimestre avant la période "
            f"(2 × 19{nnb}100{nb}€ = 38{nnb}200{nb}€{nb}; 81{nnb}277{nb}€ à pleine capacité)",
            "base des pairs (partenaires à l’étape croissance)",
        ]
        assert got.loc[
            "new_logos", ["baseline", "before rounding", "target", "basis", "source"]
        ].tolist() == [
            "0,53",
            "0,26",
            "— (pas de cible)",
            "moyenne des quatre derniers trimestres, à pleine capacité (chiffres divisés par la part de capacité)"
            f"{nb}; résultat du calcul inférieur à un demi{nb}: pas de cible",
            "calculée",
        ]
        assert list(targets.working_headers().values()) == [
            "base",
            "croissance",
            "part de capacité",
            "marge",
            "mix produit",
            "ventes additionnelles",
            "maturité",
            "avant arrondi",
            "cible",
            "base tirée de",
            "source",
        ]
