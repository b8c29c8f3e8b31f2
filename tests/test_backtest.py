"""The health backtest (lifecycle.backtest) on a hand-built history, every number worked by hand.

Data 2025-Q1 .. 2025-Q4 (ends 31 Dec 2025), partners and opportunities only. Four Gold
partners in the sell stage, joined 2024. Rules on: revenue down 30% or more on the prior
quarter, win rate down 20 points or more; every other rule off; 2 signals -> at risk.

Won revenue by quarter (every deal won unless said):

      Q1    Q2    Q3                     Q4
  A   100   50    50                     10
  B   100   100   40 (+ one lost deal)   0
  C   100   100   100                    100
  D   100   100   left 15 Aug 2025

Quarters tested: Q2 (next Q3) and Q3 (next Q4); Q1 has no prior quarter, Q4 no next one.
  at Q2: A watch (100 -> 50, down 50%); B, C, D healthy.
  at Q3: B at risk (100 -> 40, down 60%; win rate 100% -> 50%, down 50 points);
         A (50 -> 50), C healthy; D left during Q3, so it is not tested at Q3.
Events (next quarter: revenue down 30% or more, or left):
  after Q2: B (100 -> 40, down 60%), D (left in Q3); A (50 -> 50) and C: none
  after Q3: A (50 -> 10, down 80%), B (40 -> 0, down 100%); C: none
So 7 partner-quarters, 4 events.
"""

import math

import pandas as pd
import pytest

from partnerbook import lifecycle, store

PROGRAM = {
    "program": {"fiscal_year_start_month": 1},
    "health": {
        "at_risk_signals": 2,
        "signals": {
            "revenue_drop": 0.3,
            "win_rate_drop_points": 20,
            "revenue_drop_year_ago": False,
            "no_revenue_no_pipeline_quarters": False,
            "no_deals_quarters": False,
            "low_attainment": False,
            "falling_activity": False,
            "lapsed_plan": False,
            "low_survey_score": False,
        },
    },
}
WON = {"A": (100, 50, 50, 10), "B": (100, 100, 40, 0), "C": (100, 100, 100, 100), "D": (100, 100, 0, 0)}
CLOSED = ("2025-02-15", "2025-05-15", "2025-08-15", "2025-11-15")


def _dataset() -> store.Dataset:
    partners = pd.DataFrame(
        [
            {
                "partner_id": pid,
                "name": f"Partner {pid}",
                "tier": "Gold",
                "region": "EMEA",
                "lifecycle_stage": "sell",
                "joined_on": "2024-01-01",
                "churned_on": "2025-08-15" if pid == "D" else None,
            }
            for pid in WON
        ]
    )
    opps = [
        (pid, day, "won", amount)
        for pid, amounts in WON.items()
        for day, amount in zip(CLOSED, amounts)
        if amount
    ]
    opps.append(("B", "2025-08-20", "lost", 70))
    frame = pd.DataFrame(
        [
            {
                "opportunity_id": f"O{i}",
                "partner_id": pid,
                "account_id": f"X{i}",
                "created_on": "2025-01-05",
                "closed_on": day,
                "status": status,
                "amount": amount,
                "segment": "ENT",
                "product_category": "Cloud",
                "sku": "C1",
            }
            for i, (pid, day, status, amount) in enumerate(opps)
        ]
    )
    tables = {
        "partners": store.coerce("partners", partners),
        "opportunities": store.coerce("opportunities", frame),
    }
    full = {name: tables.get(name, store.empty_frame(name)) for name in store.TABLES}
    return store.Dataset(full, frozenset(set(store.TABLES) - set(tables)), {"end": "2025-12-31"})


def _rows(frame: pd.DataFrame) -> dict:
    return {r.pop("Flag"): r for r in frame.to_dict("records")}


def test_precision_and_recall_per_flag_and_overall():
    got = _rows(lifecycle.backtest(_dataset(), PROGRAM))
    # at risk: (B, Q3) only, followed by B's fall to 0: precision 1/1; caught 1 of 4 events
    assert got["at risk"] == {
        "Flagged": 1,
        "Followed by a drop or departure": 1,
        "Precision": 1.0,
        "Drops and departures": 4,
        "Caught": 1,
        "Missed": 3,
        "Recall": 0.25,
    }
    # watch: (A, Q2), but A held at 50 in Q3: precision 0/1, caught none of the 4
    assert got["watch"] == {
        "Flagged": 1,
        "Followed by a drop or departure": 0,
        "Precision": 0.0,
        "Drops and departures": 4,
        "Caught": 0,
        "Missed": 4,
        "Recall": 0.0,
    }
    # either flag: 2 flagged, 1 followed -> 1/2; missed B after Q2, D's leaving, A after Q3
    assert got["watch or at risk"] == {
        "Flagged": 2,
        "Followed by a drop or departure": 1,
        "Precision": 0.5,
        "Drops and departures": 4,
        "Caught": 1,
        "Missed": 3,
        "Recall": 0.25,
    }


def test_the_drop_is_a_parameter():
    # a drop of 70% or more: B's 60% fall after Q2 no longer counts; D's leaving, A's 80%
    # and B's 100% do -> 3 events, at risk catches 1 of them
    got = _rows(lifecycle.backtest(_dataset(), PROGRAM, drop=0.7))
    assert (got["at risk"]["Drops and departures"], got["at risk"]["Recall"]) == (3, pytest.approx(1 / 3))
    assert got["watch or at risk"]["Missed"] == 2


def test_until_keeps_to_quarters_whose_next_quarter_has_been_reported():
    # until 2025-Q3: only Q2 is tested (its next quarter, Q3, ends by then); events B and D;
    # nothing at risk (precision undefined), A's watch not followed
    got = _rows(lifecycle.backtest(_dataset(), PROGRAM, until="2025-Q3"))
    assert got["at risk"]["Flagged"] == 0 and math.isnan(got["at risk"]["Precision"])
    assert got["watch or at risk"] == {
        "Flagged": 1,
        "Followed by a drop or departure": 0,
        "Precision": 0.0,
        "Drops and departures": 2,
        "Caught": 0,
        "Missed": 2,
        "Recall": 0.0,
    }
