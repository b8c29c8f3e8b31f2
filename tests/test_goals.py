"""Values, objectives, channel goals, alignment, flags and objective progress, worked by hand."""

from __future__ import annotations

import copy

import matplotlib
import pandas as pd
import pytest

from partnerbook import goals, paths, programme
from partnerbook.errors import ParamsError

matplotlib.use("Agg")

PROGRAM = {
    "_path": "/x/params/program.yaml",
    "values": ["Customers first", "Win together"],
    "objectives": [
        {
            "id": "grow",
            "name": "Grow revenue",
            "kind": "sales_growth",
            "metric": "revenue",
            "target": 2000,
            "period": "2026-Q3",
            "value": "Win together",
        },
        {
            "id": "roi",
            "name": "Channel pays",
            "kind": "channel_roi",
            "metric": "channel_roi",
            "target": 3,
            "period": "2026-Q3",
            "value": "Win together",
            "inputs": {"programme_costs": 200, "gross_margin": 0.4},
        },
        {
            "id": "cost",
            "name": "Cheap selling",
            "kind": "cost_of_sales",
            "metric": "cost_of_sales",
            "target": 0.25,
            "period": "2026-Q3",
            "value": "Customers first",
            "inputs": {"programme_costs": 200},
        },
        {
            "id": "share",
            "name": "Market share",
            "kind": "market_share",
            "metric": "market_share",
            "target": 0.05,
            "period": "2026-Q3",
            "value": "Customers first",
            "inputs": {"market_size": 10000},
        },
        {"id": "edge", "name": "Strategic edge", "kind": "strategic_advantage"},
    ],
    "channel_goals": [
        {
            "id": "rev",
            "name": "Channel revenue",
            "metric": "revenue",
            "target": 1000,
            "supports": ["grow", "roi"],
        },
        {
            "id": "logos",
            "name": "New logos",
            "metric": "new_logos",
            "target": 5,
            "grain": "year",
            "supports": ["grow", "share"],
        },
    ],
}

TABLE = pd.DataFrame(
    {
        "partner_id": ["A", "B", "A", "B", pd.NA],
        "period": ["2026-Q3", "2026-Q3", "2026-Q3", "2026-Q2", "2026-Q3"],
        "metric": ["revenue", "revenue", "new_logos", "revenue", "new_logos"],
        "breakdown": ["", "", "", "", ""],
        "value": [600.0, 400.0, 3.0, 999.0, 7.0],
    }
)


def changed(**kw) -> dict:
    program = copy.deepcopy(PROGRAM)
    for key, value in kw.items():
        section, index, field = key.split("__")
        program[section][int(index)][field] = value
    return program


def test_values_in_order():
    assert goals.values(PROGRAM) == ["Customers first", "Win together"]


def test_objectives_and_channel_goals_read_back():
    objs = goals.objectives(PROGRAM)
    assert list(objs["id"]) == ["grow", "roi", "cost", "share", "edge"]
    cg = goals.channel_goals(PROGRAM).set_index("id")
    assert cg.loc["rev", "grain"] == "quarter" and cg.loc["logos", "grain"] == "year"


def test_alignment_matrix():
    matrix = goals.alignment(PROGRAM)
    assert list(matrix.index) == ["Channel revenue", "New logos"]
    assert matrix.loc["Channel revenue"].tolist() == [1, 1, 0, 0, 0]
    assert matrix.loc["New logos"].tolist() == [1, 0, 0, 1, 0]


def test_flags_name_missing_metric_goal_and_value():
    got = goals.flags(PROGRAM)
    found = set(zip(got["objective"], got["flag"]))
    assert ("cost", "has no channel goal behind it") in found
    assert ("edge", "names no metric, so it cannot be measured") in found
    assert ("edge", "has no channel goal behind it") in found
    assert ("edge", "names none of the company's values") in found
    assert ("edge", "has no target") in found
    assert not any(o in ("grow", "roi", "share") for o, _ in found)


def test_progress_of_plain_and_derived_measures():
    got = goals.progress(TABLE, PROGRAM).set_index("id")
    # partner revenue in 2026-Q3: 600 + 400 = 1000
    assert got.loc["grow", "actual"] == 1000 and got.loc["grow", "attainment"] == pytest.approx(0.5)
    # ROI 1000 x 0.4 / 200 = 2.0 against 3
    assert got.loc["roi", "actual"] == pytest.approx(2.0)
    assert got.loc["roi", "attainment"] == pytest.approx(2 / 3)
    # cost of sales 200 / 1000 = 0.2; lower is better: 0.25 / 0.2 = 1.25
    assert got.loc["cost", "actual"] == pytest.approx(0.2)
    assert got.loc["cost", "attainment"] == pytest.approx(1.25)
    # share 1000 / 10000 = 0.1 against 0.05
    assert got.loc["share", "actual"] == pytest.approx(0.1)
    assert pd.isna(got.loc["edge", "actual"])


def test_measure_prefers_the_programme_row():
    # the programme row for new_logos (7) wins over the partner sum (3)
    assert goals.measure(TABLE, "new_logos", "2026-Q3") == 7


@pytest.mark.parametrize(
    "program, words",
    [
        (
            changed(objectives__0__metric="revenu"),
            ["objectives[0].metric", "'revenu'", "allowed:", "revenue", "channel_roi"],
        ),
        (
            changed(objectives__0__kind="growth"),
            ["objectives[0].kind", "allowed: market_expansion, new_product_launch"],
        ),
        (
            changed(objectives__0__value="Speed"),
            ["objectives[0].value", "'Speed'", "allowed: Customers first, Win together"],
        ),
        (
            changed(objectives__0__metrc="revenue"),
            ["objectives[0].metrc", "did you mean 'metric'", "allowed: id, name"],
        ),
        (
            changed(objectives__1__inputs={"gross_margin": 0.4}),
            ["objectives[1].inputs.programme_costs", "channel_roi needs"],
        ),
        (
            changed(objectives__1__inputs={"programme_costs": 1, "gross_margin": 1.4}),
            ["inputs.gross_margin", "share"],
        ),
        (
            changed(channel_goals__0__supports=["grow", "grwo"]),
            ["channel_goals[0].supports", "'grwo'", "allowed: grow, roi"],
        ),
        (
            changed(channel_goals__1__grain="week"),
            ["channel_goals[1].grain", "allowed: quarter, year, month"],
        ),
    ],
)
def test_bad_goal_parameters_name_the_key_and_allowed_values(program, words):
    with pytest.raises(ParamsError) as err:
        goals.channel_goals(program)
    for word in words:
        assert word in str(err.value)


def test_typo_in_a_section_name_is_refused(tmp_path):
    (tmp_path / "program.yaml").write_text("objectivs: []\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"program.yaml.objectivs: unknown key; did you mean 'objectives'"):
        programme.load(tmp_path / "program.yaml")


def test_the_shipped_programme_is_valid_and_aligned():
    program = programme.load(paths.program_file())
    assert len(goals.values(program)) >= 3
    kinds = set(goals.objectives(program)["kind"])
    assert {"channel_roi", "cost_of_sales", "market_share", "sales_growth"} <= kinds
    assert goals.flags(program).empty
    assert goals.alignment(program).to_numpy().sum() >= len(goals.objectives(program))


def test_waterfall_steps_multiply_to_the_target():
    row = {
        "partner_id": "A",
        "metric": "revenue",
        "baseline": 500.0,
        "growth": 0.1,
        "capacity": 0.5,
        "margin_adj": 0.9,
        "mix_adj": 0.8,
        "attach_adj": 0.5,
        "maturity": 0.45,
        "target": 44.55,
    }
    steps = goals.waterfall(row)
    assert list(steps["step"]) == [
        "baseline",
        "growth",
        "capacity",
        "margin",
        "product mix",
        "add-on attach",
        "vendor maturity",
        "target",
    ]
    # 500 -> 550 -> 275 -> 247.5 -> 198 -> 99 -> 44.55
    assert steps["end"].round(2).tolist() == [500, 550, 275, 247.5, 198, 99, 44.55, 44.55]
    assert steps.loc[2, "change"] == pytest.approx(-275)
    chart = goals.plot_waterfall(row)
    assert len(chart.categories) == len(chart.values) == 8
    heat = goals.plot_alignment(goals.alignment(PROGRAM))
    assert (heat.get_title("left") + heat.get_title()).startswith("Which channel goal")


def test_year_objective_sums_its_quarters_and_refuses_a_partial_year():
    quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    table = pd.DataFrame(
        {
            "partner_id": ["A"] * 4 + ["B"] * 4,
            "period": quarters * 2,
            "metric": ["revenue"] * 8,
            "breakdown": [""] * 8,
            "value": [100.0, 200.0, 300.0, 400.0, 10.0, 20.0, 30.0, 40.0],
        }
    )
    # 1000 + 100 = 1100 over FY2025
    assert goals.measure(table, "revenue", "FY2025") == 1100
    # ROI over the year: 1100 x 0.5 / 100 = 5.5
    assert goals.measure(
        table, "channel_roi", "FY2025", {"programme_costs": 100, "gross_margin": 0.5}
    ) == pytest.approx(5.5)
    assert pd.isna(goals.measure(table[table["period"] != "2025-Q4"], "revenue", "FY2025"))
    assert pd.isna(goals.measure(table, "win_rate", "FY2025"))


def test_bad_objective_period_and_check_all_sections():
    with pytest.raises(ParamsError, match=r"objectives\[0\].period"):
        goals.objectives(changed(objectives__0__period="2026-Q7"))
    bad = {**copy.deepcopy(PROGRAM), "targets": {"defaults": {"capacity": 1.5}}}
    with pytest.raises(
        ParamsError, match=r"targets.defaults.capacity: expected a share from 0 to 1, found 1.5"
    ):
        goals.check(bad)
    goals.check(PROGRAM)


def test_targets_and_attainment_come_from_targets_and_the_channel_from_goals():
    from partnerbook import targets

    frame = pd.DataFrame({"partner_id": ["A"], "metric": ["revenue"], "target": [1200.0]})
    got = targets.attainment(frame, TABLE, "2026-Q3")
    assert got.loc[0, "attainment"] == pytest.approx(0.5)  # 600 of 1200
    # no forwarding wrappers: goals and targets do not import each other both ways
    assert not hasattr(goals, "targets") and not hasattr(goals, "attainment")
    assert not hasattr(targets, "channel") and goals.channel.__doc__


# ---- objectives without a period: measured in the period reported ---------------------------

Q2 = pd.DataFrame(
    {
        "partner_id": ["A", "B", "A", pd.NA],
        "period": ["2026-Q2", "2026-Q2", "2026-Q3", "2026-Q2"],
        "metric": ["revenue", "revenue", "revenue", "new_logos"],
        "breakdown": ["", "", "", ""],
        "value": [300.0, 500.0, 900.0, 4.0],
    }
)


def without_period(program: dict, *ids: str) -> dict:
    program = copy.deepcopy(program)
    for o in program["objectives"]:
        if o["id"] in ids:
            o.pop("period", None)
    return program


def test_an_objective_without_period_is_measured_in_the_period_reported():
    program = without_period(PROGRAM, "grow", "cost")
    got = goals.progress(Q2, program, period="2026-Q2").set_index("id")
    # partner revenue in 2026-Q2: 300 + 500 = 800, against 2000: 0.4
    assert got.loc["grow", "period"] == "2026-Q2"
    assert got.loc["grow", "actual"] == 800 and got.loc["grow", "attainment"] == pytest.approx(0.4)
    # cost of sales 200 / 800 = 0.25 against 0.25: lower is better, 0.25 / 0.25 = 1.0
    assert got.loc["cost", "actual"] == pytest.approx(0.25) and got.loc[
        "cost", "attainment"
    ] == pytest.approx(1.0)
    # the same objective in 2026-Q3: A's 900 alone
    assert goals.progress(Q2, program, period="2026-Q3").set_index("id").loc["grow", "actual"] == 900


def test_an_objective_set_for_another_period_is_not_measured_and_says_why():
    program = without_period(PROGRAM, "grow")
    got = goals.progress(Q2, program, period="2026-Q2").set_index("id")
    assert pd.isna(got.loc["roi", "actual"]) and pd.isna(got.loc["roi", "attainment"])
    assert got.loc["roi", "reason"] == "set for 2026-Q3" and got.loc["roi", "period"] == "2026-Q3"
    table = goals.objective_summary(Q2, program, "USD", period="2026-Q2").set_index("objective")
    assert table.loc["Grow revenue", ["period", "target", "actual", "attainment"]].tolist() == [
        "2026-Q2",
        "$2,000",
        "$800",
        "40%",
    ]
    assert table.loc["Channel pays", ["period", "target", "actual", "attainment"]].tolist() == [
        "2026-Q3",
        "3.00×",
        "— (set for 2026-Q3)",
        "— (set for 2026-Q3)",
    ]
    assert table.loc["Strategic edge", ["target", "actual", "attainment"]].tolist() == [
        "— (no target)",
        "— (no metric)",
        "— (no metric)",
    ]
    assert "nan" not in table.to_string().lower()


def test_without_a_period_reported_each_objective_keeps_its_own():
    # the old call: objectives with a period in it (2026-Q3: 900), one without none
    got = goals.progress(Q2, without_period(PROGRAM, "cost")).set_index("id")
    assert got.loc["grow", "actual"] == 900 and got.loc["grow", "period"] == "2026-Q3"
    assert pd.isna(got.loc["cost", "actual"]) and got.loc["cost", "reason"] == "no period given"


def test_a_derived_objective_with_no_revenue_says_so():
    program = without_period(PROGRAM, "cost", "roi")
    none = Q2.assign(value=[0.0, 0.0, 900.0, 4.0])
    table = goals.objective_summary(none, program, "USD", period="2026-Q2").set_index("objective")
    # cost of sales 200 / 0 is undefined; ROI 0 x 0.4 / 200 = 0
    assert table.loc["Cheap selling", ["actual", "attainment"]].tolist() == [
        "— (no partner revenue in 2026-Q2)",
        "— (no partner revenue in 2026-Q2)",
    ]
    assert table.loc["Channel pays", ["actual", "attainment"]].tolist() == ["0.00×", "0%"]
    value, reason = goals.measure_objective(none, {"metric": "cost_of_sales", "inputs": {}}, "2026-Q2")
    assert pd.isna(value) and reason == "no programme costs given"


def test_the_shipped_objectives_are_measured_in_any_period_reported():
    program = programme.load(paths.program_file())
    got = goals.progress(Q2, program, period="2026-Q2").set_index("id")
    # revenue 800 against 8,500,000; new logos: the programme row, 4 against 12
    assert got.loc["grow_revenue", "actual"] == 800
    assert got.loc["grow_revenue", "attainment"] == pytest.approx(800 / 8_500_000)
    assert got.loc["new_markets", "actual"] == 4 and got.loc["new_markets", "attainment"] == pytest.approx(
        1 / 3
    )
    # cost of sales 1,400,000 / 800 = 1,750; 0.15 / 1,750
    assert got.loc["lean_selling", "actual"] == pytest.approx(1750)
    assert got.loc["launch_ready", "reason"] == "no data for 2026-Q2"  # no certifications row
    assert got["period"].eq("2026-Q2").all()


def test_an_objective_without_period_is_measured_only_in_periods_of_its_grain():
    # quarterly by default: a year report does not set a quarter's target against a year's revenue
    program = without_period(PROGRAM, "grow")
    year = Q2.assign(period="FY2026")
    got = goals.progress(year, program, period="FY2026").set_index("id")
    assert pd.isna(got.loc["grow", "actual"]) and got.loc["grow", "reason"] == "set per quarter"
    yearly = copy.deepcopy(program)
    next(o for o in yearly["objectives"] if o["id"] == "grow")["grain"] = "year"
    got = goals.progress(year, yearly, period="FY2026").set_index("id")
    # every row of the table relabelled FY2026: partner revenue 300 + 500 + 900 = 1700, of 2000
    assert got.loc["grow", "actual"] == 1700 and got.loc["grow", "attainment"] == pytest.approx(0.85)
    assert (
        goals.progress(Q2, yearly, period="2026-Q2").set_index("id").loc["grow", "reason"] == "set per year"
    )


def test_objective_grain_checked():
    with pytest.raises(ParamsError, match=r"objectives\[0\].grain: unknown grain 'week'"):
        goals.objectives(changed(objectives__0__grain="week"))
    with pytest.raises(ParamsError, match=r"objectives\[0\]: give `period` \(one period\) or `grain`"):
        goals.objectives(changed(objectives__0__grain="year"))


def test_an_objective_where_lower_is_better_scores_target_over_actual():
    # deals lost: 8 against a target of at most 4 -> 4 / 8 = 50% (not 200%), as the story says
    lost = pd.DataFrame(
        {
            "partner_id": [pd.NA],
            "period": ["2026-Q2"],
            "metric": ["deals_lost"],
            "breakdown": [""],
            "value": [8.0],
        }
    )
    program = copy.deepcopy(PROGRAM)
    program["objectives"] = [
        {
            "id": "fewer",
            "name": "Lose fewer deals",
            "kind": "sales_growth",
            "metric": "deals_lost",
            "target": 4,
        }
    ]
    program[
        "channel_goals"
    ] = []  # the dict is checked whole, as the file is: no goal supports a gone objective
    got = goals.progress(lost, program, period="2026-Q2").set_index("id")
    assert got.loc["fewer", "actual"] == 8 and got.loc["fewer", "attainment"] == pytest.approx(0.5)
    assert goals.share_of_target(0.10, 0.05, "partner_attrition_rate") == pytest.approx(0.5)
    assert goals.share_of_target(300.0, 200.0, "revenue") == pytest.approx(1.5)


def test_the_target_waterfall_writes_falls_with_a_true_minus_sign():
    # capacity 0.5 halves 550 to 275: a step of -275, written "−275.0" (not "-275.0")
    row = {
        "partner_id": "A",
        "metric": "deals_won",
        "baseline": 500.0,
        "growth": 0.1,
        "capacity": 0.5,
        "margin_adj": 1.0,
        "mix_adj": 1.0,
        "attach_adj": 1.0,
        "maturity": 1.0,
        "target": 275.0,
    }
    labels = goals.plot_waterfall(row).notes
    assert "−275.0" in labels and not any("-" in t for t in labels)


def test_the_tier_rules_on_history_say_who_would_move():
    # window 2 quarters; Silver needs revenue 100, Gold 300 (sums over the window)
    program = {
        "tiers": {
            "window_quarters": 2,
            "levels": [
                {"name": "Registered"},
                {"name": "Silver", "criteria": {"revenue": 100}},
                {"name": "Gold", "criteria": {"revenue": 300}},
            ],
        }
    }
    partners = pd.DataFrame(
        {
            "partner_id": ["A", "B", "C", "D"],
            "name": ["Acme", "Birch", "Cedar", "Dogwood"],
            "tier": ["Gold", "Registered", "Silver", "Gold"],
            # Dogwood left on 15 Aug 2026, during 2026-Q3: it holds no tier and is left out
            "churned_on": [None, None, None, "2026-08-15"],
        }
    )
    rows = [
        ("A", "2026-Q2", 100.0),
        ("A", "2026-Q3", 50.0),  # 150: Silver, down from Gold
        ("B", "2026-Q2", 200.0),
        ("B", "2026-Q3", 150.0),  # 350: Gold, up from Registered
        ("C", "2026-Q2", 60.0),
        ("C", "2026-Q3", 60.0),  # 120: Silver, stays
        ("B", "2026-Q1", 900.0),  # outside the window
        ("D", "2026-Q3", 10.0),  # Dogwood: would fall to Registered, but has left
    ]
    history = pd.DataFrame(
        [{"partner_id": p, "period": q, "metric": "revenue", "breakdown": "", "value": v} for p, q, v in rows]
    )
    by_tier, movers = goals.tier_what_if(program, partners, history, "2026-Q3")
    assert by_tier.values.tolist() == [
        ["Gold", 1, 1, 0, 1],
        ["Silver", 1, 2, 0, 0],
        ["Registered", 1, 0, 1, 0],
    ]
    assert list(by_tier.columns) == [
        "Tier",
        "Partners now",
        "Under the rules",
        "Would move up",
        "Would move down",
    ]
    # Acme's 150 over the window against Gold's 300: the value and what the tier needs side by side
    assert movers.values.tolist() == [
        ["Acme", "Gold", "Silver", "down", "Revenue $150 (Gold needs $300)"],
        ["Birch", "Registered", "Gold", "up", "meets every Gold criterion"],
    ]
    assert "no tier rules" in goals.tier_section({}, partners, history, "2026-Q3").data
    page = goals.tier_section(program, partners, history, "2026-Q3").data
    assert (
        '<p class="pb-note">1 partner that left the programme during the period (Dogwood) is left out: '
        "a partner that has left holds no tier.</p>"
    ) in page
    assert '<th scope="col">Why</th>' in page and "Dogwood</td>" not in page
    # the window the figures are for, and the next review's (a partner page's next-review figures)
    assert (
        '<p class="pb-note">Figures over the last 2 quarters (2026-Q2–2026-Q3). The next review, on 31 Dec '
        "2026, measures the window moved on by one quarter (2026-Q3–2026-Q4): each partner&#x27;s page says "
        "what it still needs for that review.</p>"
    ) in page


def test_a_tier_reason_says_certifications_earned_in_the_window_and_those_held():
    # window 2026-Q2..Q3; Gold needs revenue 300 and 1 certification earned in the window. Acme sold
    # 150 and earned 2 certifications in 2026-Q1 (before the window), none in it: it holds 2, earned 0.
    # Birch earned none ever: 'holds 0', the same label as Acme's, so the story's count of partners
    # short only of a certification earned in the window counts both.
    program = {
        "tiers": {
            "window_quarters": 2,
            "levels": [
                {"name": "Registered"},
                {"name": "Gold", "criteria": {"revenue": 300, "certifications": 1}},
            ],
        }
    }
    partners = pd.DataFrame(
        {
            "partner_id": ["A", "B"],
            "name": ["Acme", "Birch"],
            "tier": ["Gold", "Gold"],
            "churned_on": [None, None],
        }
    )
    rows = [
        ("A", "2026-Q2", "revenue", 100.0),
        ("A", "2026-Q3", "revenue", 50.0),
        ("A", "2026-Q1", "certifications", 2.0),
        ("A", "2026-Q3", "certifications", 0.0),
        ("B", "2026-Q3", "revenue", 400.0),
        ("B", "2026-Q3", "certifications", 0.0),
    ]
    history = pd.DataFrame(
        [{"partner_id": p, "period": q, "metric": m, "breakdown": "", "value": v} for p, q, m, v in rows]
    )
    _by_tier, movers = goals.tier_what_if(program, partners, history, "2026-Q3")
    assert movers["Why"].tolist() == [
        "Revenue $150 (Gold needs $300); Certifications earned 2026-Q2–2026-Q3: 0 (Gold needs 1; holds 2)",
        "Certifications earned 2026-Q2–2026-Q3: 0 (Gold needs 1; holds 0)",
    ]
    # one label for the criterion whatever is held: Birch holds none (its 0 row) and says so; a
    # partner with no certification row at all (held unknown) says no 'holds'
    criterion = {"metric": "certifications", "minimum": 1.0, "value": 0.0, "held": None}
    assert goals._short_of(criterion, "Gold", "USD", ("2026-Q2", "2026-Q3")) == (
        "Certifications earned 2026-Q2–2026-Q3: 0 (Gold needs 1)"
    )
    # a one-quarter window names its quarter
    criterion = {"metric": "certifications", "minimum": 1.0, "value": 0.0, "held": 2.0}
    assert goals._short_of(criterion, "Gold", "USD", ("2026-Q3", "2026-Q3")) == (
        "Certifications earned in 2026-Q3: 0 (Gold needs 1; holds 2)"
    )


def test_objectives_are_met_close_or_behind_by_the_storys_rule():
    # revenue 600 + 400 = 1,000 of 1,100: 91% (close); roi 1,000 x 0.4 / 200 = 2.0 of 3: 67% (behind);
    # cost of sales 200 / 1,000 = 0.2 against at most 0.25 (met); share 1,000 / 10,000 = 0.1 of 0.05 (met)
    assert goals.objectives_finding(TABLE, changed(objectives__0__target=1100), "2026-Q3") == (
        "In 2026-Q3: 2 objectives met; 1 objective close; 1 objective behind; 1 objective not assessed."
    )
    assert [goals.standing_of(x) for x in (1.0, 0.9, 0.899, None)] == ["met", "close", "behind", ""]


def test_an_actual_within_ten_percent_of_its_goal_is_close_in_words_as_in_the_table():
    # 11 new logos against a goal of 12: 92% of it, 'close' in the table (goals.standing_of), so the
    # sentence says close too, 1 (8%) short; the partner targets (14) back the goal, 2 over.
    g = {"goal_target": 12.0, "partner_targets": 14.0, "gap": -2.0}
    said = {"measure": "new logos", "goal": "Win new customers", "target": "12"}
    text = goals._reconciled(g, 11.0, lambda v: f"{v:g}", said, None, "2026-Q3")
    assert text == (
        "Actual new logos, 11, is close to the goal “Win new customers” (12) in 2026-Q3, 1 (8%) short, "
        "although the partner targets set for it add up to 14, more than it asks: the gap is in reaching "
        "the targets, not in setting them."
    )
    assert goals.standing_of(11 / 12) == "close"
    behind = goals._reconciled(g, 9.0, lambda v: f"{v:g}", said, None, "2026-Q3")  # 75%: behind
    assert behind.startswith(
        "Actual new logos, 9, is behind the goal “Win new customers” (12) in 2026-Q3 by 3 (25%)"
    )


def test_attainment_of_a_closed_period_says_met_close_behind_and_of_a_running_one_its_pace():
    # revenue in 2026-Q3: A 600 against a target of 600 (100%: met), B 400 against 420 (95.2%:
    # close); new logos: A 3 against 10 (30%: behind). Data to 15 Aug: 46 of 92 days, half the
    # period: A's revenue 600 against 300 expected (ahead), B's 400 against 210 (ahead), A's new
    # logos 3 against 5 (60%: behind).
    from partnerbook import targets

    frame = pd.DataFrame(
        {
            "partner_id": ["A", "B", "A"],
            "metric": ["revenue", "revenue", "new_logos"],
            "target": [600.0, 420.0, 10.0],
        }
    )
    ended = targets.attainment(frame, TABLE, "2026-Q3")
    table = goals.attainment_table(ended).set_index("measure")
    assert list(table.columns) == ["met", "close", "behind"]
    assert table.loc["Revenue"].tolist() == [1, 1, 0] and table.loc["New logos"].tolist() == [0, 0, 1]
    shown = goals.attainment_section(ended).data
    assert "<h2>Attainment</h2>" in shown and "pacing" not in shown and "elapsed" not in shown
    assert "met at 100% of target or more, close from 90%, behind below." in shown
    running = targets.attainment(frame, TABLE, "2026-Q3", as_of="2026-08-15")
    table = goals.attainment_table(running).set_index("measure")
    assert list(table.columns) == ["ahead", "behind"]
    assert table.loc["Revenue"].tolist() == [2, 0] and table.loc["New logos"].tolist() == [0, 1]
    shown = goals.attainment_section(running).data
    assert "<h2>Attainment so far</h2>" in shown and "against the share of the period elapsed" in shown


def test_figures_that_round_alike_are_shown_with_a_decimal_so_the_status_word_agrees():
    # market share 1,000 / 13,090 = 0.07639: 95.5% of the 8% target, 'close'; whole percents would
    # print "8%" against "8%": with one decimal, "7.6%" against "8.0%"
    program = changed(objectives__3__target=0.08, objectives__3__inputs={"market_size": 13090})
    row = goals.objectives_table(TABLE, program, period="2026-Q3").set_index("objective").loc["Market share"]
    assert (row["actual"], row["target"], row["attainment"]) == ("7.6%", "8.0%", "95%")
    assert "1 objective close" in goals.objectives_finding(TABLE, program, "2026-Q3")
    # 37% against 40% (92.5%, close): a rate has one decimal on every programme page
    assert goals.figures(0.37, 0.40, "market_share") == ("37.0%", "40.0%")
    # 7.24% against 8% is 90.5% ('close') but 7% against 8% reads 87.5% ('behind'): one decimal
    assert goals.figures(0.0724, 0.08, "market_share") == ("7.2%", "8.0%")
    # a share of target that rounds across a threshold keeps a decimal: 99.6% is close, not 100%
    assert [goals.share_text(s) for s in (0.996, 0.92, 0.897, 1.0)] == ["99.6%", "92%", "89.7%", "100%"]


def test_the_channel_table_shows_a_goal_and_actual_that_round_alike_with_a_decimal():
    # win rate 39.84% against a goal of 40%: 99.6% of it, 'close'; "40%" / "40%" / "100% · close"
    # would contradict itself
    view = pd.DataFrame(
        {
            "name": ["Win more"],
            "metric": ["win_rate"],
            "goal_target": [0.40],
            "actual": [0.3984],
            "partner_targets": [0.0],
            "partners": [0],
            "gap": [0.0],
        }
    )
    row = goals.channel_table(view, PROGRAM).iloc[0]
    assert (row["goal"], row["actual"], row["actual against goal"]) == ("40.0%", "39.8%", "99.6% · close")


def test_a_target_of_zero_is_no_target_in_the_channel_table_and_in_attainment_alike():
    # revenue targets: A 1,200, B 0 (asks nothing), C none. One partner has a target in both the
    # channel table and "Attainment so far": A (600 of 1,200 at the period's end: 50%, behind)
    from partnerbook import targets

    frame = pd.DataFrame(
        {"partner_id": ["A", "B", "C"], "metric": ["revenue"] * 3, "target": [1200.0, 0.0, float("nan")]}
    )
    view = goals.channel(frame, PROGRAM, "2026-Q3").set_index("goal")
    assert view.loc["rev", "partners"] == 1 and view.loc["rev", "partner_targets"] == 1200
    counts = goals.attainment_table(targets.attainment(frame, TABLE, "2026-Q3")).iloc[0]
    assert (counts["behind"], counts["no target"]) == (1, 2)
    rule = (
        "A partner counts as having a target for a measure when that target is above zero: a target of "
        "zero asks nothing and counts under “no target”, in the channel table and in the attainment table alike."
    )
    assert rule in goals.attainment_section(targets.attainment(frame, TABLE, "2026-Q3")).data
    assert rule in goals.channel_section(frame, PROGRAM, "2026-Q3").data


def test_measure_is_worked_out_once_per_frame_and_never_taken_from_another():
    import gc

    def frame(value: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "partner_id": [None],
                "period": ["2026-Q3"],
                "metric": ["revenue"],
                "breakdown": [None],
                "value": [value],
            }
        )

    first = frame(100.0)
    assert goals.measure(first, "revenue", "2026-Q3") == 100.0
    assert goals.measure(first, "revenue", "2026-Q3") == 100.0  # the same frame: answered again
    assert goals.measure(frame(250.0), "revenue", "2026-Q3") == 250.0  # an equal-looking other frame
    del first
    gc.collect()
    for value in (300.0, 400.0, 500.0):  # new frames, one of which may reuse the freed frame's id
        assert goals.measure(frame(value), "revenue", "2026-Q3") == value
