"""What a partner acts on, as plain frames: open deal registrations and their expiry, MDF
funds and deadlines, certified people, the joint business plan's objectives, agreed actions.

Each function takes one partner's rows (a frame, or None when the source did not supply the
table) and dates, and returns a frame the scorecard shows; the scorecard says in a sentence
when a table is absent (never zeros). Rules, worked by hand in tests/test_worklist.py:

- a registration is open when its status is submitted or approved and it has not expired by
  the day of the report; it expires on `expires_on` when the data has it, else
  `submitted_on + deal_registrations.valid_days` (program.yaml, default 90). Those expiring
  within `soon` days (30) come first, soonest first.
- MDF over the trailing year to the report day: allocated (mdf_allocations), requested,
  approved, claimed, paid (mdf); balance = allocated - approved (funds still to request);
  unclaimed = approved - claimed on requests not yet fully claimed, with their claim deadline.
"""
from __future__ import annotations

import pandas as pd

OPEN_REGISTRATION = ("submitted", "approved")
SOON_DAYS = 30
VALID_DAYS = 90


def valid_days(program: dict | None) -> int:
    """`deal_registrations.valid_days` of program.yaml (default 90)."""
    return int(((program or {}).get("deal_registrations") or {}).get("valid_days", VALID_DAYS))


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def open_registrations(rows: pd.DataFrame, as_of, days: int = VALID_DAYS, soon: int = SOON_DAYS) -> pd.DataFrame:
    """registration_id, submitted_on, expires_on, days_left, amount, status, soon (bool): the
    open registrations on `as_of`, those expiring within `soon` days first, soonest first."""
    as_of = pd.Timestamp(as_of).normalize()
    cols = ["registration_id", "submitted_on", "expires_on", "days_left", "amount", "status", "soon"]
    if rows is None or rows.empty:
        return pd.DataFrame(columns=cols)
    submitted = _dates(rows, "submitted_on")
    expires = _dates(rows, "expires_on").fillna(submitted + pd.Timedelta(days=days))
    out = rows.assign(submitted_on=submitted, expires_on=expires,
                      days_left=(expires - as_of).dt.days)
    out = out[out["status"].astype(str).isin(OPEN_REGISTRATION) & (out["submitted_on"] <= as_of)
              & (out["days_left"] >= 0)]
    out = out.assign(soon=out["days_left"] <= soon)
    return (out.sort_values(["soon", "expires_on", "registration_id"], ascending=[False, True, True])
            .reset_index(drop=True)[cols])


def mdf_funds(allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of) -> dict:
    """MDF over the year to `as_of`: allocated, requested, approved, claimed, paid, balance
    (allocated - approved) and unclaimed (approved - claimed); None for what the data lacks."""
    as_of = pd.Timestamp(as_of).normalize()
    start = as_of - pd.DateOffset(years=1)

    def within(frame, column):
        dates = _dates(frame, column)
        return frame[(dates > start) & (dates <= as_of)]

    out = dict.fromkeys(("allocated", "requested", "approved", "claimed", "paid", "balance", "unclaimed"))
    if allocations is not None:
        out["allocated"] = float(within(allocations, "allocated_on")["amount"].sum())
    if requests is not None:
        made = within(requests, "requested_on")
        for key, column in (("requested", "amount_requested"), ("approved", "amount_approved"),
                            ("claimed", "amount_claimed"), ("paid", "amount_paid")):
            out[key] = float(made[column].fillna(0).sum())
        out["unclaimed"] = out["approved"] - out["claimed"]
    if out["allocated"] is not None and out["approved"] is not None:
        out["balance"] = out["allocated"] - out["approved"]
    return out


def claim_deadlines(allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """what, deadline, days_left, amount: claims still to make by a deadline on or after `as_of`
    (approved requests not fully claimed with mdf.claim_deadline; allocations with
    claim_deadline), soonest first."""
    as_of = pd.Timestamp(as_of).normalize()
    parts = []
    if requests is not None and "claim_deadline" in requests:
        left = requests["amount_approved"].fillna(0) - requests["amount_claimed"].fillna(0)
        due = requests.assign(deadline=_dates(requests, "claim_deadline"), amount=left)
        due = due[(left > 0) & due["deadline"].notna()]
        parts.append(pd.DataFrame({"what": "MDF request " + due["request_id"].astype(str) + ": "
                                   + due["activity"].astype(str),
                                   "deadline": due["deadline"], "amount": due["amount"]}))
    if allocations is not None and "claim_deadline" in allocations:
        due = allocations.assign(deadline=_dates(allocations, "claim_deadline"))
        due = due[due["deadline"].notna()]
        parts.append(pd.DataFrame({"what": "MDF allocation " + due["allocation_id"].astype(str),
                                   "deadline": due["deadline"], "amount": due["amount"].astype(float)}))
    if not parts:
        return pd.DataFrame(columns=["what", "deadline", "days_left", "amount"])
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(days_left=(out["deadline"] - as_of).dt.days)
    return out[out["days_left"] >= 0].sort_values(["deadline", "what"]).reset_index(drop=True)[
        ["what", "deadline", "days_left", "amount"]]


def certified(engagements: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """certification, people: distinct people (contact_id) holding each certification by `as_of`."""
    if engagements is None or engagements.empty:
        return pd.DataFrame(columns=["certification", "people"])
    rows = engagements[(engagements["kind"].astype(str) == "certification")
                       & (_dates(engagements, "occurred_on") <= pd.Timestamp(as_of))]
    out = rows.groupby(rows["name"].astype(str))["contact_id"].nunique()
    return (out.rename("people").rename_axis("certification").reset_index()
            .sort_values(["people", "certification"], ascending=[False, True]).reset_index(drop=True))


def plan_objectives(plans: pd.DataFrame | None, objectives: pd.DataFrame | None, actuals: dict) -> pd.DataFrame:
    """The objectives of the partner's joint business plans (active first, heaviest first): plan_id, metric,
    description, weight, target, actual (from `actuals`, metric -> value this period), progress."""
    cols = ["plan_id", "status", "metric", "description", "weight", "target", "actual", "progress"]
    if plans is None or objectives is None or plans.empty:
        return pd.DataFrame(columns=cols)
    status = plans.set_index(plans["plan_id"].astype(str))["status"].astype(str)
    rows = objectives[objectives["plan_id"].astype(str).isin(status.index)].copy()
    rows["plan_id"] = rows["plan_id"].astype(str)
    rows["status"] = rows["plan_id"].map(status)
    for column in ("weight", "description"):
        if column not in rows:
            rows[column] = None
    rows["actual"] = rows["metric"].astype(str).map(lambda m: actuals.get(m))
    target = pd.to_numeric(rows["target"], errors="coerce")
    rows["progress"] = pd.to_numeric(rows["actual"], errors="coerce") / target.where(target > 0)
    rows["_order"] = (rows["status"] != "active").astype(int)
    rows["_weight"] = -pd.to_numeric(rows["weight"], errors="coerce").fillna(0)
    return rows.sort_values(["_order", "plan_id", "_weight", "metric"]).reset_index(drop=True)[cols]


def agreed_actions(actions: pd.DataFrame | None) -> pd.DataFrame:
    """agreed_on, owner, description, due_on, status: open actions first, by due date."""
    cols = ["agreed_on", "owner", "description", "due_on", "status"]
    if actions is None or actions.empty:
        return pd.DataFrame(columns=cols)
    out = actions.assign(due_on=_dates(actions, "due_on"), agreed_on=_dates(actions, "agreed_on"))
    out = out.assign(_order=(out["status"].astype(str) != "open").astype(int))
    return out.sort_values(["_order", "due_on", "agreed_on"], na_position="last").reset_index(drop=True)[cols]
