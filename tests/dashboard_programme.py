"""A small programme written by hand for the dashboard tests (period 2026-Q3, data to 2026-09-30).

Partners (tier, region, account manager, stage, joined, left)
  A1 Alder    Gold        EMEA  Ann      grow    2024-01-01
  B2 Birch    Gold        AMER  Bob      sell    2024-01-01
  C3 Cedar    Silver      EMEA  Bob      enable  2025-01-01
  D4 Dogwood  Silver      AMER  Ann      sell    2024-06-01  left 2026-08-15 (during Q3: in, marked)
  E5 Elm      Registered  EMEA  Ann      sell    2024-01-01  left 2026-03-10 (before Q3: former)
  F6 Fir      Registered  APAC  (none)   onboard 2026-08-01  (joined during Q3)

Won revenue          2025-Q3  2026-Q1  2026-Q2  2026-Q3
  A1                     600               800     1000 (new logo)  + a lost deal of 50 in Q3
  B2                                       500      400
  D4                                       300      100
  E5                              200
  programme              600      200     1600     1500
Open pipeline at the end of Q3: A1 700. Surveys in Q3: A1 scores 10, B2 scores 3 (NPS 0, 2 answers).

Health (set by hand, not from the rules): B2 at risk, C3 watch, A1 and F6 healthy; D4 has
none (it left during Q3: lifecycle.health leaves it out); E5 at risk, but a former partner. Targets: A1 revenue 1,250; B2 revenue 400; C3 trainings 2
(it attended one training in Q3). Objective: revenue 2,000 a quarter.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from partnerbook import store
from partnerbook.workbook import Workbook

NA = None
PERIOD = "2026-Q3"
PROGRAM = {
    "program": {"name": "Test <Programme>", "currency": "USD"},
    "objectives": [
        {"id": "grow", "name": "Grow revenue", "kind": "sales_growth", "metric": "revenue", "target": 2000}
    ],
}


def _frame(name: str, columns: str, rows: list[tuple]) -> pd.DataFrame:
    return store.coerce(name, pd.DataFrame(rows, columns=columns.split()))


def tables() -> dict[str, pd.DataFrame]:
    return {
        "partners": _frame(
            "partners",
            "partner_id name tier region lifecycle_stage joined_on churned_on account_manager",
            [
                ("A1", "Alder", "Gold", "EMEA", "grow", "2024-01-01", NA, "Ann"),
                ("B2", "Birch", "Gold", "AMER", "sell", "2024-01-01", NA, "Bob"),
                ("C3", "Cedar", "Silver", "EMEA", "enable", "2025-01-01", NA, "Bob"),
                ("D4", "Dogwood", "Silver", "AMER", "sell", "2024-06-01", "2026-08-15", "Ann"),
                ("E5", "Elm", "Registered", "EMEA", "sell", "2024-01-01", "2026-03-10", "Ann"),
                ("F6", "Fir", "Registered", "APAC", "onboard", "2026-08-01", NA, NA),
            ],
        ),
        "opportunities": _frame(
            "opportunities",
            "opportunity_id partner_id account_id created_on closed_on status amount segment "
            "product_category sku is_new_logo",
            [
                ("O1", "A1", "X1", "2025-07-01", "2025-08-01", "won", 600, "ENT", "Cloud", "C1", False),
                ("O2", "A1", "X2", "2026-04-01", "2026-05-01", "won", 800, "ENT", "Cloud", "C1", False),
                ("O3", "A1", "X3", "2026-07-01", "2026-08-01", "won", 1000, "ENT", "Cloud", "C1", True),
                ("O4", "A1", "X4", "2026-07-01", "2026-08-05", "lost", 50, "ENT", "Cloud", "C1", False),
                ("O5", "A1", "X5", "2026-09-01", NA, "open", 700, "ENT", "Cloud", "C1", False),
                ("O6", "B2", "X6", "2026-04-01", "2026-05-10", "won", 500, "SMB", "Cloud", "C1", False),
                ("O7", "B2", "X7", "2026-07-01", "2026-07-10", "won", 400, "SMB", "Cloud", "C1", False),
                ("O8", "D4", "X8", "2026-04-01", "2026-06-01", "won", 300, "MM", "Cloud", "C1", False),
                ("O9", "D4", "X9", "2026-07-01", "2026-07-20", "won", 100, "MM", "Cloud", "C1", False),
                ("O10", "E5", "X10", "2026-01-05", "2026-02-01", "won", 200, "MM", "Cloud", "C1", False),
            ],
        ),
        "engagements": _frame(
            "engagements",
            "engagement_id partner_id contact_id kind name occurred_on",
            [
                ("E1", "C3", "c3", "training", "Sales 101", "2026-08-01"),
            ],
        ),
        "surveys": _frame(
            "surveys",
            "response_id partner_id answered_on respondent score comment",
            [
                ("S1", "A1", "2026-08-01", "owner", 10, NA),
                ("S2", "B2", "2026-08-02", "owner", 3, NA),
            ],
        ),
    }


def dataset(end: str = "2026-09-30", won: tuple = ()) -> store.Dataset:
    """`won`: more deals won, (opportunity_id, partner_id, closed_on, amount)."""
    given = tables()
    if won:
        extra = _frame(
            "opportunities",
            "opportunity_id partner_id account_id created_on closed_on status amount "
            "segment product_category sku is_new_logo",
            [
                (oid, pid, f"Y{oid}", closed, closed, "won", amount, "SMB", "Cloud", "C1", False)
                for oid, pid, closed, amount in won
            ],
        )
        given["opportunities"] = pd.concat([given["opportunities"], extra], ignore_index=True)
    full = {name: given.get(name, store.empty_frame(name)) for name in store.TABLES}
    return store.Dataset(full, frozenset(set(store.TABLES) - set(given)), {"end": end})


HEALTH = pd.DataFrame(
    {
        "partner_id": ["A1", "B2", "C3", "E5", "F6"],
        "health": ["healthy", "at risk", "watch", "at risk", "healthy"],
        "reasons": ["", "revenue down 20% on 2026-Q2; <no> registrations", "no revenue", "left", ""],
    }
)
TARGETS = pd.DataFrame(
    {
        "partner_id": ["A1", "B2", "C3"],
        "metric": ["revenue", "revenue", "trainings_attended"],
        "target": [1250.0, 400.0, 2.0],
    }
)


def workbook(end: str = "2026-09-30", won: tuple = (), targets: pd.DataFrame | None = None) -> Workbook:
    """The workbook of 2026-Q3; with an `end` inside the quarter, a period still running;
    `won` adds deals won (see `dataset`), `targets` replaces TARGETS."""
    wb = Workbook(period_name=PERIOD)
    wb.__dict__.update(
        program=PROGRAM,
        dataset=dataset(end, won),
        health=HEALTH,
        targets=TARGETS if targets is None else targets,
        attainment=None,
    )
    return wb


def earlier(at_risk: int, members: int):
    """What `dashboard._other` gives for an earlier period: `members` partners, `at_risk` of them at risk."""
    ids = [f"Z{i}" for i in range(members)]
    return SimpleNamespace(
        members=pd.DataFrame({"partner_id": ids}),
        health=pd.DataFrame(
            {
                "partner_id": ids,
                "health": ["at risk"] * at_risk + ["healthy"] * (members - at_risk),
                "reasons": "",
            }
        ),
    )
