"""A small programme written by hand for the metric, period and lifecycle tests.

History: 2025-07-01 (the first activity, webinar E6) to 2026-09-30 (meta 'end'), so the
quarters are 2025-Q3 .. 2026-Q3. Expected values are worked out by hand in the tests.

Partners
  P1 Gold EMEA, joined 2025-01-15, stage history onboard -> enable -> sell (2025-08-20)
  P2 Silver AMER, joined 2026-02-01, no stage history or stage: inferred; never closes a deal
  P3 Gold EMEA, joined 2024-06-01, churned 2026-08-15 (history ends in churned)
  P4 Registered APAC, never joined, no activity at all

Opportunities (amount, segment, category, sku)
  O1 P1 created 2025-07-10 won  2025-08-20 100 ENT Cloud    C1 new logo
  O9 P1 created 2026-01-10 won  2026-06-30 400 ENT Cloud    C1   (last day of Q2)
  O4 P1 created 2026-05-01 open            300 ENT Cloud    C2
  O2 P1 created 2026-07-01 won  2026-09-30 200 ENT Cloud    C1   (last day of Q3; MDF M1)
  O3 P1 created 2026-08-01 lost 2026-09-15  50 SMB Security S1
  O5 P2 created 2026-08-10 open             80 SMB Security S1
  O6 P3 created 2026-04-01 won  2026-07-05 150 MM  Cloud    C1 new logo
  O7 P3 created 2026-06-15 lost 2026-09-01  70 MM  Security S1
  O8 direct created 2026-07-01 won 2026-08-01 1000 ENT Cloud C1 (no partner: excluded)
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from partnerbook import store

NA = None


def frame(name: str, columns: str, rows: list[tuple]) -> pd.DataFrame:
    return store.coerce(name, pd.DataFrame(rows, columns=columns.split()))


def tables() -> dict[str, pd.DataFrame]:
    """Fresh copies of the tables (built once: coercing them is the slow part)."""
    return {name: frame.copy() for name, frame in _tables().items()}


@lru_cache(maxsize=1)
def _tables() -> dict[str, pd.DataFrame]:
    return {
        "partners": frame(
            "partners",
            "partner_id name tier region lifecycle_stage joined_on churned_on",
            [
                ("P1", "Alpha", "Gold", "EMEA", NA, "2025-01-15", NA),
                ("P2", "Beta", "Silver", "AMER", NA, "2026-02-01", NA),
                ("P3", "Gamma", "Gold", "EMEA", NA, "2024-06-01", "2026-08-15"),
                ("P4", "Delta", "Registered", "APAC", NA, NA, NA),
            ],
        ),
        "stage_changes": frame(
            "stage_changes",
            "partner_id changed_on stage",
            [
                ("P1", "2025-01-15", "onboard"),
                ("P1", "2025-04-01", "enable"),
                ("P1", "2025-08-20", "sell"),
                ("P3", "2024-06-01", "onboard"),
                ("P3", "2025-01-01", "sell"),
                ("P3", "2026-08-15", "churned"),
            ],
        ),
        "opportunities": frame(
            "opportunities",
            "opportunity_id partner_id account_id created_on closed_on status amount segment "
            "product_category sku is_new_logo mdf_request_id",
            [
                ("O1", "P1", "A1", "2025-07-10", "2025-08-20", "won", 100, "ENT", "Cloud", "C1", True, NA),
                ("O9", "P1", "A9", "2026-01-10", "2026-06-30", "won", 400, "ENT", "Cloud", "C1", False, NA),
                ("O4", "P1", "A4", "2026-05-01", NA, "open", 300, "ENT", "Cloud", "C2", NA, NA),
                ("O2", "P1", "A2", "2026-07-01", "2026-09-30", "won", 200, "ENT", "Cloud", "C1", False, "M1"),
                ("O3", "P1", "A3", "2026-08-01", "2026-09-15", "lost", 50, "SMB", "Security", "S1", NA, NA),
                ("O5", "P2", "A5", "2026-08-10", NA, "open", 80, "SMB", "Security", "S1", NA, NA),
                ("O6", "P3", "A6", "2026-04-01", "2026-07-05", "won", 150, "MM", "Cloud", "C1", True, NA),
                ("O7", "P3", "A7", "2026-06-15", "2026-09-01", "lost", 70, "MM", "Security", "S1", NA, NA),
                ("O8", NA, "A8", "2026-07-01", "2026-08-01", "won", 1000, "ENT", "Cloud", "C1", True, NA),
            ],
        ),
        "engagements": frame(
            "engagements",
            "engagement_id partner_id contact_id kind name occurred_on",
            [
                ("E1", "P1", "c1", "webinar", "Intro", "2026-07-10"),
                ("E2", "P1", "c1", "training", "Sales 101", "2026-08-01"),
                ("E3", "P1", "c2", "certification", "Cert A", "2026-09-30"),
                ("E4", "P2", "c9", "in_person_event", "Summit", "2026-07-20"),
                ("E5", "P2", "c9", "training", "Sales 101", "2026-04-10"),
                ("E6", "P1", "c1", "webinar", "Kick-off", "2025-07-01"),
            ],
        ),
        "trials": frame(
            "trials",
            "trial_id partner_id account_id started_on outcome",
            [
                ("T1", "P1", "A1", "2026-08-05", "open"),
                ("T2", "P2", "A5", "2026-07-15", "open"),
                ("T3", "P2", "A6", "2026-09-01", "open"),
            ],
        ),
        "deal_registrations": frame(
            "deal_registrations",
            "registration_id partner_id submitted_on status amount",
            [
                ("R1", "P1", "2026-07-02", "approved", 500),
                ("R2", "P1", "2026-08-02", "rejected", 100),
                ("R3", "P2", "2026-09-10", "submitted", 60),
            ],
        ),
        "leads": frame(
            "leads",
            "lead_id partner_id distributed_on status accepted_on converted_opportunity_id",
            [
                ("L1", "P1", "2026-07-01", "accepted", "2026-07-02", NA),
                ("L2", "P1", "2026-07-03", "converted", "2026-07-04", "O2"),
                ("L3", "P1", "2026-08-01", "rejected", NA, NA),
                ("L4", "P1", "2026-09-01", "new", NA, NA),
            ],
        ),
        "portal_activity": frame(
            "portal_activity",
            "partner_id contact_id day logins page_views",
            [
                ("P1", "c1", "2026-07-01", 3, 10),
                ("P1", "c1", "2026-08-01", 2, 5),
                ("P1", "c2", "2026-09-30", 1, NA),
                ("P1", "c3", "2026-08-10", 0, 4),
                ("P2", "c9", "2026-06-15", 5, 20),
            ],
        ),
        "business_plans": frame(
            "business_plans",
            "plan_id partner_id created_on status",
            [
                ("BP1", "P1", "2026-07-15", "active"),
                ("BP2", "P3", "2025-09-01", "lapsed"),
                ("BP3", "P2", "2026-05-01", "draft"),
            ],
        ),
        "mdf": frame(
            "mdf",
            "request_id partner_id requested_on activity amount_requested amount_approved "
            "amount_claimed amount_paid status",
            [
                ("M1", "P1", "2026-07-05", "webinar series", 100, 80, 60, 50, "paid"),
                ("M2", "P3", "2026-08-01", "event", 40, 0, 0, 0, "rejected"),
            ],
        ),
        "surveys": frame(
            "surveys",
            "response_id partner_id answered_on respondent score comment",
            [
                ("S1", "P1", "2026-07-10", "owner", 10, NA),
                ("S2", "P1", "2026-08-10", "sales", 9, NA),
                ("S3", "P1", "2026-09-10", "tech", 5, "portal is slow"),
                ("S4", "P1", "2026-09-20", "sales", 7, NA),
                ("S5", "P3", "2026-08-01", "owner", 3, "slow payouts"),
            ],
        ),
    }


def dataset(drop: tuple[str, ...] = (), fy_end: str = "2026-09-30") -> store.Dataset:
    """The programme as a Dataset; tables in `drop` are absent (not supplied)."""
    given = tables()
    kept = {k: v for k, v in given.items() if k not in drop}
    full = {name: kept.get(name, store.empty_frame(name)) for name in store.TABLES}
    return store.Dataset(full, frozenset(drop) | (set(store.TABLES) - set(given)), {"end": fy_end})


def program(fy_start_month: int = 1) -> dict:
    return {"program": {"fiscal_year_start_month": fy_start_month}}
