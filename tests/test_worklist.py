"""What a partner acts on (worklist.py) and its tier standing (tiers.py), worked out by hand.

Report day 2026-09-30; registrations valid 90 days unless the data says when they expire.
"""

import pandas as pd
import pytest
from partnerbook import tiers, worklist
from partnerbook.errors import ParamsError
from partnerbook import programme

DAY = "2026-09-30"


def _frame(columns: str, rows):
    return pd.DataFrame(rows, columns=columns.split())


# -- deal registrations --------------------------------------------------------------------


def _registrations():
    #  R1 approved,  submitted 15 Jul, no expiry: 15 Jul + 90 days = 13 Oct -> 13 days left (soon)
    #  R2 submitted, 20 Aug, expires 31 Dec                          -> 92 days left
    #  R3 approved,  1 Jun,  no expiry: 1 Jun + 90 = 30 Aug          -> expired 31 days ago: not open
    #  R4 rejected                                                    -> not open
    #  R5 submitted, 10 Sep, expires 5 Oct                            -> 5 days left (soon, first)
    #  R6 submitted 2 Oct, after the report day                       -> not yet there
    return _frame(
        "registration_id partner_id submitted_on status amount expires_on",
        [
            ("R1", "A", "2026-07-15", "approved", 100.0, None),
            ("R2", "A", "2026-08-20", "submitted", 200.0, "2026-12-31"),
            ("R3", "A", "2026-06-01", "approved", 300.0, None),
            ("R4", "A", "2026-09-01", "rejected", 400.0, None),
            ("R5", "A", "2026-09-10", "submitted", 500.0, "2026-10-05"),
            ("R6", "A", "2026-10-02", "submitted", 600.0, None),
        ],
    )


def test_open_registrations_expiring_soon_first():
    out = worklist.open_registrations(_registrations(), DAY, days=90)
    assert out["registration_id"].tolist() == ["R5", "R1", "R2"]
    assert out["days_left"].tolist() == [5, 13, 92]
    assert out["soon"].tolist() == [True, True, False]
    assert [f"{d:%Y-%m-%d}" for d in out["expires_on"]] == ["2026-10-05", "2026-10-13", "2026-12-31"]


def test_registrations_without_expiry_column_use_valid_days():
    # 30 days valid: R1 15 Jul + 30 = 14 Aug (expired); R2 20 Aug + 30 = 19 Sep (expired);
    # R5 10 Sep + 30 = 10 Oct -> 10 days left
    rows = _registrations().drop(columns="expires_on")
    out = worklist.open_registrations(rows, DAY, days=30)
    assert out["registration_id"].tolist() == ["R5"] and out["days_left"].tolist() == [10]
    assert worklist.valid_days({"deal_registrations": {"valid_days": 45}}) == 45
    assert worklist.valid_days({}) == 90


# -- MDF -------------------------------------------------------------------------------------


def _allocations():
    return _frame(
        "allocation_id partner_id allocated_on amount claim_deadline",
        [
            ("A1", "A", "2026-01-10", 50000.0, "2026-12-31"),
            ("A3", "A", "2026-07-01", 10000.0, "2027-01-31"),
            ("A2", "A", "2025-06-01", 99999.0, None),
        ],
    )  # more than a year before: not counted


def _requests():
    return _frame(
        "request_id partner_id requested_on activity amount_requested amount_approved "
        "amount_claimed amount_paid status claim_deadline",
        [
            ("M1", "A", "2026-02-01", "Webinar", 20000.0, 15000.0, 15000.0, 15000.0, "paid", None),
            ("M2", "A", "2026-08-01", "Event", 10000.0, 8000.0, 3000.0, 0.0, "claimed", "2026-10-31"),
            ("M4", "A", "2026-03-01", "Expo", 4000.0, 4000.0, 0.0, 0.0, "approved", "2026-06-30"),
            ("M3", "A", "2025-03-01", "Old", 7777.0, 7777.0, 0.0, 0.0, "approved", None),
        ],
    )


def test_mdf_funds_of_the_year():
    # the year to 30 Sep 2026: A1 50,000 + A3 10,000 allocated; M1 + M2 + M4: requested 20,000 + 10,000
    # + 4,000 = 34,000, approved 15,000 + 8,000 + 4,000 = 27,000, claimed 18,000, paid 15,000.
    # Still to claim: M2 8,000 - 3,000 = 5,000 (deadline 31 Oct ahead); M4's 4,000 had to be claimed by
    # 30 Jun (passed: not counted); M3 is older than a year and has no deadline.
    funds = worklist.mdf_funds(_allocations(), _requests(), DAY)
    assert funds == {
        "allocated": 60000.0,
        "requested": 34000.0,
        "approved": 27000.0,
        "claimed": 18000.0,
        "paid": 15000.0,
        "unclaimed": 5000.0,
    }


def test_mdf_balance_is_per_allocation():
    # A1 (10 Jan, 50,000) draws the requests made from 10 Jan until A3 on 1 Jul: M1 15,000 + M4 4,000
    # = 19,000 approved -> 31,000 left; A3 (1 Jul, 10,000): M2 8,000 -> 2,000 left. A2 is over a year old.
    out = worklist.allocation_balances(_allocations(), _requests(), DAY)
    assert out["allocation_id"].tolist() == ["A1", "A3"]
    assert out["approved"].tolist() == [19000.0, 8000.0] and out["left"].tolist() == [31000.0, 2000.0]
    assert [f"{d:%Y-%m-%d}" for d in out["claim_deadline"]] == ["2026-12-31", "2027-01-31"]
    # more approved than allocated: a negative left, never mixed with other allocations' approvals
    small = _allocations().assign(amount=[50000.0, 5000.0, 99999.0])
    assert worklist.allocation_balances(small, _requests(), DAY)["left"].tolist() == [31000.0, -3000.0]


def _requests_outside():
    """`_requests()` and two more of the year: M5 on 15 Nov 2025, before its first allocation (A1,
    10 Jan 2026), 6,000 requested, 5,000 approved; M6, rejected, 3,000 requested, none approved."""
    more = _frame(
        "request_id partner_id requested_on activity amount_requested amount_approved "
        "amount_claimed amount_paid status claim_deadline",
        [
            ("M5", "A", "2025-11-15", "Roadshow", 6000.0, 5000.0, 5000.0, 5000.0, "paid", None),
            ("M6", "A", "2026-04-01", "Ads", 3000.0, 0.0, 0.0, 0.0, "rejected", None),
        ],
    )
    return pd.concat([_requests(), more], ignore_index=True)


def test_what_the_mdf_totals_count_beyond_the_allocation_lines():
    # totals: requested 34,000 + 6,000 + 3,000 = 43,000; approved 27,000 + 5,000 = 32,000. The allocation
    # lines approve A1 19,000 (M1 15,000 + M4 4,000 + M6 0) and A3 8,000: 27,000, so 5,000 (M5, made
    # before A1) is outside them; M6's 3,000 was requested and rejected.
    requests = _requests_outside()
    funds = worklist.mdf_funds(_allocations(), requests, DAY)
    assert (funds["requested"], funds["approved"]) == (43000.0, 32000.0)
    assert worklist.allocation_balances(_allocations(), requests, DAY)["approved"].tolist() == [
        19000.0,
        8000.0,
    ]
    out = worklist.mdf_outside_allocations(_allocations(), requests, DAY)
    assert f"{out.pop('before'):%Y-%m-%d}" == "2026-01-10"
    assert out == {
        "earlier_requested": 6000.0,
        "earlier_approved": 5000.0,
        "rejected": 1,
        "rejected_amount": 3000.0,
    }
    assert worklist.mdf_outside_allocations(_allocations(), _requests(), DAY)["earlier_requested"] == 0.0


def test_mdf_without_allocations_has_no_allocated_and_no_balances():
    funds = worklist.mdf_funds(None, _requests(), DAY)
    assert funds["allocated"] is None and funds["approved"] == 27000.0
    assert worklist.allocation_balances(None, _requests(), DAY).empty


def test_claim_deadlines_are_requests_only_and_sum_to_unclaimed():
    # M2: 8,000 approved - 3,000 claimed = 5,000 to claim by 31 Oct (31 days); M4's deadline has passed;
    # the allocations A1 and A3 are not claims
    out = worklist.claim_deadlines(_requests(), DAY)
    assert out["what"].tolist() == ["MDF request M2: Event"]
    assert out["days_left"].tolist() == [31] and out["amount"].tolist() == [5000.0]
    assert out["amount"].sum() == worklist.mdf_funds(_allocations(), _requests(), DAY)["unclaimed"]


# -- certified people, plan objectives, actions ------------------------------------------------


def test_certified_people_by_certification_and_in_all():
    rows = _frame(
        "engagement_id partner_id contact_id kind name occurred_on",
        [
            ("E1", "A", "C1", "certification", "Security", "2026-01-01"),
            ("E2", "A", "C1", "certification", "Security", "2026-05-01"),  # same person again
            ("E3", "A", "C2", "certification", "Security", "2026-06-01"),
            ("E4", "A", "C3", "certification", "Cloud", "2026-07-01"),
            ("E7", "A", "C1", "certification", "Cloud", "2026-08-01"),  # C1 holds two certifications
            ("E5", "A", "C4", "training", "Cloud", "2026-07-01"),  # a training, not a certificate
            ("E6", "A", "C5", "certification", "Cloud", "2026-10-01"),
        ],
    )  # after the report day
    rows = rows.assign(occurred_on=pd.to_datetime(rows["occurred_on"]))
    # Cloud: C3, C1 = 2; Security: C1, C2 = 2 (4 certifications held) but 3 people: C1, C2, C3
    assert worklist.certified(rows, DAY).values.tolist() == [["Cloud", 2], ["Security", 2]]
    assert worklist.certified_total(rows, DAY) == 3


def test_plan_span_plan_to_date():
    assert worklist.plan_span("2026-01-01", "active", DAY) == (pd.Timestamp("2026-01-01"), pd.Timestamp(DAY))
    # an ended plan runs a year: 1 Jan 2025 to 31 Dec 2025
    assert worklist.plan_span("2025-01-01", "completed", DAY) == (
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-12-31"),
    )
    # completed early: its year would end 28 Feb 2027, the data ends on the report day
    assert worklist.plan_span("2026-03-01", "completed", DAY)[1] == pd.Timestamp(DAY)


def test_plan_objectives_progress_plan_to_date():
    plans = _frame(
        "plan_id partner_id created_on status",
        [("BP1", "A", "2026-01-01", "active"), ("BP0", "A", "2025-01-01", "completed")],
    )
    objectives = _frame(
        "objective_id plan_id metric target weight description",
        [
            ("O1", "BP1", "revenue", 1000.0, 0.6, "Grow security revenue"),
            ("O2", "BP1", "certifications", 4.0, 0.4, None),
            ("O3", "BP0", "revenue", 500.0, None, None),
            ("O9", "BP9", "revenue", 1.0, None, None),
        ],
    )  # another partner's plan
    # the metric over each plan's own span: BP1 1 Jan - 30 Sep 2026, BP0 its year 2025
    actuals = {
        ("revenue", "2026-01-01", "2026-09-30"): 700.0,
        ("certifications", "2026-01-01", "2026-09-30"): 1.0,
        ("revenue", "2025-01-01", "2025-12-31"): 600.0,
    }
    out = worklist.plan_objectives(
        plans, objectives, lambda m, a, b: actuals[(m, f"{a:%Y-%m-%d}", f"{b:%Y-%m-%d}")], DAY
    )
    assert out["plan_id"].tolist() == ["BP1", "BP1", "BP0"]
    assert out["actual"].tolist() == [700.0, 1.0, 600.0]
    assert out["progress"].tolist() == [0.7, 0.25, 1.2]  # 700/1000, 1/4, 600/500


def test_actions_overdue_first_with_the_owners_side():
    # report day 30 Sep; account manager Ana. X5 due 31 Aug: overdue 30 days; X4 due 20 Sep: 10 days;
    # then the open ones by due date (X2 1 Oct, X1 15 Oct), then done
    rows = _frame(
        "action_id partner_id agreed_on owner description due_on status",
        [
            ("X1", "A", "2026-07-01", "Ana", "Send plan", "2026-10-15", "open"),
            ("X2", "A", "2026-07-01", "Ben", "Book QBR", "2026-10-01", "open"),
            ("X3", "A", "2026-06-01", "Ana", "Train team", "2026-06-30", "done"),
            ("X4", "A", "2026-07-01", "Ben", "Send forecast", "2026-09-20", "open"),
            ("X5", "A", "2026-07-01", "Ana", "Draft plan", "2026-08-31", "open"),
        ],
    )
    out = worklist.agreed_actions(rows, DAY, "Ana")
    assert out["description"].tolist() == [
        "Draft plan",
        "Send forecast",
        "Book QBR",
        "Send plan",
        "Train team",
    ]
    assert out["overdue_days"].tolist() == [30, 10, 0, 0, 0]
    assert out["side"].tolist() == ["ours", "partner", "partner", "ours", "ours"]


# -- tiers -------------------------------------------------------------------------------------

LEVELS = [
    tiers.Level("Registered"),
    tiers.Level("Silver", {"revenue": 1000, "deals_registered": 4}),
    tiers.Level("Gold", {"revenue": 5000, "deals_registered": 10, "certifications": 2}),
]
WINDOW = ["2026-Q2", "2026-Q3"]


def _history(pid, values):
    return pd.DataFrame(
        [
            {"partner_id": pid, "period": q, "metric": m, "breakdown": "", "value": v}
            for (q, m), v in values.items()
        ]
    )


def test_one_criterion_short_of_the_next_tier():
    # X (Silver): revenue 3,000 + 2,500 = 5,500 >= 5,000; registrations 6 + 5 = 11 >= 10;
    # certifications 1 + 0 = 1 < 2: Gold is one certification away; Silver is safe.
    history = _history(
        "X",
        {
            ("2026-Q2", "revenue"): 3000,
            ("2026-Q3", "revenue"): 2500,
            ("2026-Q2", "deals_registered"): 6,
            ("2026-Q3", "deals_registered"): 5,
            ("2026-Q2", "certifications"): 1,
            ("2026-Q3", "certifications"): 0,
        },
    )
    values = tiers.window_values(history, WINDOW, ["revenue", "deals_registered", "certifications"])
    assert values == {"revenue": 5500.0, "deals_registered": 11.0, "certifications": 1.0}
    found = tiers.standing(LEVELS, "Silver", values)
    assert found["earned"] == "Silver" and found["next"] == "Gold" and not found["at_risk"]
    short = [(c["metric"], c["missing"]) for c in found["next_criteria"] if not c["met"]]
    assert short == [("certifications", 1.0)]


def test_at_risk_of_falling_a_tier():
    # Y (Gold): revenue 2,000 + 1,500 = 3,500 < 5,000 (a 2026-Q1 quarter of 9,999 is outside the
    # window); registrations 12, certifications 3: at risk, it has earned Silver only.
    history = _history(
        "Y",
        {
            ("2026-Q1", "revenue"): 9999,
            ("2026-Q2", "revenue"): 2000,
            ("2026-Q3", "revenue"): 1500,
            ("2026-Q3", "deals_registered"): 12,
            ("2026-Q3", "certifications"): 3,
        },
    )
    values = tiers.window_values(history, WINDOW, ["revenue", "deals_registered", "certifications"])
    found = tiers.standing(LEVELS, "Gold", values)
    assert found["at_risk"] and found["earned"] == "Silver" and found["next"] == ""
    assert [(c["metric"], c["missing"]) for c in found["criteria"] if not c["met"]] == [("revenue", 1500.0)]


def test_a_rate_is_the_mean_of_the_window():
    history = _history("Z", {("2026-Q2", "win_rate"): 0.5, ("2026-Q3", "win_rate"): 0.25})
    assert tiers.window_values(history, WINDOW, ["win_rate"]) == {"win_rate": 0.375}


@pytest.mark.parametrize(
    "section, message",
    [
        (
            {"tiers": {"levels": [{"name": "Gold", "criteria": {"revenu": 1}}]}},
            "program.yaml: tiers.levels[0].criteria.revenu: unknown key; did you mean 'revenue'?",
        ),
        (
            {"tiers": {"levels": [{"name": "Gold", "criteria": {"revenue": "lots"}}]}},
            "program.yaml: tiers.levels[0].criteria.revenue: expected a number >= 0, found 'lots'",
        ),
        (
            {"tiers": {"window_quarters": 0}},
            "program.yaml: tiers.window_quarters: expected a whole number of quarters >= 1, found 0",
        ),
        (
            {"surveys": {"min_respondents": 0}},
            "program.yaml: surveys.min_respondents: expected a whole number >= 1, found 0",
        ),
        (
            {"surveys": {"attributable": "yes"}},
            "program.yaml: surveys.attributable: expected true or false, found 'yes'",
        ),
        (
            {"deal_registrations": {"valid_days": -1}},
            "program.yaml: deal_registrations.valid_days: expected a whole number of days >= 1, found -1",
        ),
    ],
)
def test_bad_sections_are_refused_with_one_line(section, message):
    with pytest.raises(ParamsError) as err:
        programme.of(section)
    assert str(err.value).startswith(message), str(err.value)


def test_what_if_of_the_tier_rules_on_history():
    # X (Silver) 5,500 revenue, 11 registrations, 1 certification: earns Silver -> same
    # Y (Gold) 3,500 revenue: earns Silver -> down; W (Registered) 1,200 revenue, 4 registrations -> Silver, up
    history = pd.concat(
        [
            _history(
                "X",
                {
                    ("2026-Q2", "revenue"): 3000,
                    ("2026-Q3", "revenue"): 2500,
                    ("2026-Q3", "deals_registered"): 11,
                    ("2026-Q3", "certifications"): 1,
                },
            ),
            _history(
                "Y",
                {
                    ("2026-Q2", "revenue"): 2000,
                    ("2026-Q3", "revenue"): 1500,
                    ("2026-Q3", "deals_registered"): 12,
                    ("2026-Q3", "certifications"): 3,
                },
            ),
            _history("W", {("2026-Q3", "revenue"): 1200, ("2026-Q3", "deals_registered"): 4}),
        ]
    )
    partners = pd.DataFrame(
        {"partner_id": ["X", "Y", "W"], "name": ["x", "y", "w"], "tier": ["Silver", "Gold", "Registered"]}
    )
    out = tiers.what_if(LEVELS, 2, partners, history, ["2026-Q1", *WINDOW])
    assert out[["partner_id", "earned", "move"]].values.tolist() == [
        ["X", "Silver", "same"],
        ["Y", "Silver", "down"],
        ["W", "Silver", "up"],
    ]


def test_a_partner_without_a_full_window_is_not_at_risk():
    # the same figures as Y, but it joined inside the window: no tier review yet
    values = {"revenue": 3500.0, "deals_registered": 12.0, "certifications": 3.0}
    assert tiers.standing(LEVELS, "Gold", values, full_window=False)["at_risk"] is False
    assert tiers.standing(LEVELS, "Gold", values)["at_risk"] is True


def test_approved_money_not_claimed_by_a_passed_deadline_has_lapsed():
    # report day 30 Sep 2026. M1: 5,000 approved, 1,000 claimed, deadline 3 Sep -> 4,000 lapsed;
    # M2: 10,000 approved, 500 claimed, deadline 24 Sep -> 9,500 lapsed; M3: deadline ahead (not
    # lapsed); M4: fully claimed; M5: deadline 1 Aug 2025, over a year ago (not counted).
    requests = pd.DataFrame(
        {
            "requested_on": pd.to_datetime(["2026-06-01"] * 4 + ["2025-05-01"]),
            "amount_approved": [5000.0, 10000.0, 7000.0, 2000.0, 3000.0],
            "amount_claimed": [1000.0, 500.0, 0.0, 2000.0, 0.0],
            "claim_deadline": pd.to_datetime(
                ["2026-09-03", "2026-09-24", "2026-10-31", "2026-09-01", "2025-08-01"]
            ),
        }
    )
    assert worklist.lapsed_claims(requests, "2026-09-30") == (13500.0, 2, pd.Timestamp("2026-09-24"))
    assert worklist.lapsed_claims(requests.iloc[2:4], "2026-09-30") == (0.0, 0, None)
    assert worklist.lapsed_claims(requests.drop(columns="claim_deadline"), "2026-09-30") == (0.0, 0, None)


def test_allocation_uses_add_up_per_allocation():
    # MA1 100 on 1 Jan 2026 draws the requests made until MA2 (1 Jul): Q1 60 requested, 50 approved,
    # 20 claimed, deadline 1 Jun passed (30 lapsed); Q2 30 requested, none approved (rejected).
    # MA2 40 on 1 Jul: Q3 10 requested and approved, 0 claimed, deadline 31 Oct ahead (10 to claim).
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA1", "MA2"],
            "allocated_on": pd.to_datetime(["2026-01-01", "2026-07-01"]),
            "amount": [100.0, 40.0],
            "claim_deadline": pd.to_datetime(["2026-12-31", "2027-06-30"]),
        }
    )
    requests = pd.DataFrame(
        {
            "requested_on": pd.to_datetime(["2026-02-01", "2026-03-01", "2026-08-01"]),
            "amount_requested": [60.0, 30.0, 10.0],
            "amount_approved": [50.0, None, 10.0],
            "amount_claimed": [20.0, None, 0.0],
            "claim_deadline": pd.to_datetime(["2026-06-01", None, "2026-10-31"]),
        }
    )
    got = worklist.allocation_uses(allocations, requests, pd.Timestamp("2026-09-30"))
    cols = [
        "allocation_id",
        "amount",
        "requested",
        "approved",
        "not_approved",
        "unrequested",
        "claimed",
        "lapsed",
        "to_claim",
    ]
    assert got[cols].values.tolist() == [
        ["MA1", 100.0, 90.0, 50.0, 40.0, 10.0, 20.0, 30.0, 0.0],
        ["MA2", 40.0, 10.0, 10.0, 0.0, 30.0, 0.0, 0.0, 10.0],
    ]


def test_allocation_uses_say_refused_and_pending_apart():
    # MA1 100 on 1 Jan 2026: R1 60 requested, 50 approved (paid: 10 refused); R2 30 rejected (30
    # refused); R3 5 submitted, no decision yet (5 pending). Requested 95 = 50 approved + 40 refused
    # + 5 pending; not_approved 45 = 40 + 5.
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA1"],
            "allocated_on": pd.to_datetime(["2026-01-01"]),
            "amount": [100.0],
            "claim_deadline": pd.to_datetime(["2026-12-31"]),
        }
    )
    requests = pd.DataFrame(
        {
            "requested_on": pd.to_datetime(["2026-02-01", "2026-03-01", "2026-09-01"]),
            "amount_requested": [60.0, 30.0, 5.0],
            "amount_approved": [50.0, 0.0, 0.0],
            "amount_claimed": [50.0, 0.0, 0.0],
            "status": ["paid", "rejected", "submitted"],
        }
    )
    got = worklist.allocation_uses(allocations, requests, pd.Timestamp("2026-09-30"))
    cols = ["requested", "approved", "not_approved", "refused", "pending", "unrequested"]
    assert got[cols].values.tolist() == [[95.0, 50.0, 45.0, 40.0, 5.0, 5.0]]
    # without a status, refused and pending cannot be told apart: unknown, not 0
    bare = worklist.allocation_uses(allocations, requests.drop(columns="status"), pd.Timestamp("2026-09-30"))
    assert bare["not_approved"].tolist() == [45.0] and bare[["refused", "pending"]].isna().all(axis=None)
