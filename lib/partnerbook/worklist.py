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
  approved, claimed, paid (mdf). The balance is per allocation (`allocation_balances`): the
  approvals of requests made on or after its allocated_on (and before the next allocation's)
  against its amount. Unclaimed = approved - claimed on the requests still to claim whose
  claim deadline is on or after the report day (all of them when the data has no deadlines):
  the sum of the claim table (`claim_deadlines`, requests only; an allocation is not a claim).
- certified people: distinct people (contact_id) per certification and in all.
- actions: an open action due before the report day is overdue by the days between; overdue
  first, then open by due date, then done; each owner is ours when it is the partner's
  account manager (partners.account_manager), else the partner's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import programme
from .i18n import _

OPEN_REGISTRATION = ("submitted", "approved")
SOON_DAYS = 30
VALID_DAYS = 90


def valid_days(program: dict | None) -> int:
    """`deal_registrations.valid_days` of program.yaml (default 90, VALID_DAYS)."""
    return programme.section_of(program, "deal_registrations").valid_days


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def open_registrations(
    rows: pd.DataFrame, as_of, days: int = VALID_DAYS, soon: int = SOON_DAYS
) -> pd.DataFrame:
    """registration_id, submitted_on, expires_on, days_left, amount, status, soon (bool): the
    open registrations on `as_of`, those expiring within `soon` days first, soonest first."""
    as_of = pd.Timestamp(as_of).normalize()
    cols = ["registration_id", "submitted_on", "expires_on", "days_left", "amount", "status", "soon"]
    if rows is None or rows.empty:
        return pd.DataFrame(columns=cols)
    submitted = _dates(rows, "submitted_on")
    expires = _dates(rows, "expires_on").fillna(submitted + pd.Timedelta(days=days))
    left = (expires - as_of).dt.days.to_numpy()  # int, or float with NaN where no expiry
    keep = np.flatnonzero(
        rows["status"].astype(str).isin(OPEN_REGISTRATION).to_numpy(dtype=bool)
        & (submitted.to_numpy() <= np.datetime64(as_of, "ns"))
        & (left.astype(float) >= 0)
    )
    ids, ends = rows["registration_id"].array, expires.to_numpy()
    # as sort_values(["soon", "expires_on", "registration_id"], ascending=[False, True, True]):
    # stable, a missing id last (a kept registration always has an expiry)
    order = np.array(
        sorted(keep, key=lambda i: (not left[i] <= soon, ends[i], *_last_if_missing(ids[i]))), dtype="int64"
    )
    return pd.DataFrame(
        {
            "registration_id": ids.take(order),
            "submitted_on": submitted.to_numpy()[order],
            "expires_on": ends[order],
            "days_left": left[order],
            "amount": rows["amount"].array.take(order),
            "status": rows["status"].array.take(order),
            "soon": left[order] <= soon,
        },
        columns=cols,
    )


def _last_if_missing(value) -> tuple:
    """A sort key putting a missing value after every other."""
    return (True, "") if pd.isna(value) else (False, value)


def mdf_funds(allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of) -> dict:
    """MDF over the year to `as_of`: allocated, requested, approved, claimed, paid and unclaimed
    (approved - claimed on requests still to claim by a deadline ahead, see the module doc);
    None for what the data lacks. The balance is per allocation: `allocation_balances`."""
    as_of = pd.Timestamp(as_of).normalize()
    start, day = np.datetime64(as_of - pd.DateOffset(years=1), "ns"), np.datetime64(as_of, "ns")

    def within(frame, column):  # plain arrays: a few rows, where pandas' masks cost more than the sums
        dates = _dates(frame, column).to_numpy()
        return (dates > start) & (dates <= day)

    def total(frame, column, rows):  # a missing amount counts as 0
        values = frame[column].to_numpy(dtype=float, na_value=np.nan)[rows]
        return float(np.where(np.isnan(values), 0.0, values).sum())

    out = dict.fromkeys(("allocated", "requested", "approved", "claimed", "paid", "unclaimed"))
    if allocations is not None:
        out["allocated"] = total(allocations, "amount", within(allocations, "allocated_on"))
    if requests is not None:
        made = within(requests, "requested_on")
        for key, column in (
            ("requested", "amount_requested"),
            ("approved", "amount_approved"),
            ("claimed", "amount_claimed"),
            ("paid", "amount_paid"),
        ):
            out[key] = total(requests, column, made)
        kept, left, _deadline = _to_claim(requests, as_of)
        out["unclaimed"] = float(left[kept].sum())
    return out


def _unclaimed(requests: pd.DataFrame) -> pd.Series:
    """Per request: approved minus claimed (a missing amount counts as 0)."""
    return requests["amount_approved"].fillna(0) - requests["amount_claimed"].fillna(0)


def _to_claim(requests: pd.DataFrame, as_of: pd.Timestamp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Requests with an approved amount still to claim whose deadline has not passed (all with
    an amount left when the data has no claim deadlines): (their positions, the amount left of
    every request, every request's deadline). Plain arrays: a partner has a few requests, and
    pandas' fixed cost per operation was most of the time."""
    left = _unclaimed(requests).to_numpy(dtype=float)
    deadline = _dates(requests, "claim_deadline").to_numpy()
    day = np.datetime64(as_of, "ns")
    keep = (left > 0) & (_dates(requests, "requested_on").to_numpy() <= day)
    if "claim_deadline" in requests:
        keep &= ~np.isnat(deadline) & (deadline >= day)
    return np.flatnonzero(keep), left, deadline


def lapsed_claims(requests: pd.DataFrame | None, as_of) -> tuple[float, int, pd.Timestamp | None]:
    """(amount, requests, last deadline) approved but not claimed by a claim deadline that passed
    in the year to `as_of`: money the partner had and lost. (0.0, 0, None) when none, or when the
    data has no claim deadlines."""
    if requests is None or "claim_deadline" not in requests or requests.empty:
        return 0.0, 0, None
    as_of = pd.Timestamp(as_of).normalize()
    left = _unclaimed(requests)
    deadline = _dates(requests, "claim_deadline")
    gone = (left > 0) & deadline.notna() & (deadline < as_of) & (deadline > as_of - pd.DateOffset(years=1))
    if not gone.any():
        return 0.0, 0, None
    return float(left[gone].sum()), int(gone.sum()), deadline[gone].max()


def allocation_balances(
    allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of
) -> pd.DataFrame:
    """allocation_id, allocated_on, amount, approved, left, claim_deadline: for each allocation
    made in the year to `as_of`, the approvals of the requests made from its allocated_on until
    the next allocation (or `as_of`) and what is left to request (amount - approved; negative
    when more was approved than allocated). Oldest first."""
    cols = ["allocation_id", "allocated_on", "amount", "approved", "left", "claim_deadline"]
    if allocations is None or allocations.empty:
        return pd.DataFrame(columns=cols)
    as_of = pd.Timestamp(as_of).normalize()
    rows = allocations.assign(
        allocated_on=_dates(allocations, "allocated_on"), claim_deadline=_dates(allocations, "claim_deadline")
    )
    rows = rows[rows["allocated_on"] <= as_of].sort_values(["allocated_on", "allocation_id"])
    until = list(rows["allocated_on"].iloc[1:]) + [as_of + pd.Timedelta(days=1)]
    approved = []
    if requests is not None:  # plain arrays: a mask per allocation in pandas cost ~0.3 ms each
        asked = _dates(requests, "requested_on").to_numpy()
        amounts = requests["amount_approved"].fillna(0).to_numpy(dtype=float)
        day = np.datetime64(as_of, "ns")
    for start, stop in zip(rows["allocated_on"], until):
        if requests is None:
            approved.append(0.0)
            continue
        mask = (asked >= np.datetime64(start, "ns")) & (asked < np.datetime64(stop, "ns")) & (asked <= day)
        approved.append(float(amounts[mask].sum()))
    rows = rows.assign(amount=rows["amount"].astype(float), approved=approved)
    rows = rows.assign(left=rows["amount"] - rows["approved"])
    rows = rows[rows["allocated_on"] > as_of - pd.DateOffset(years=1)]
    return rows.reset_index(drop=True)[cols]


USES = (
    "amount",
    "requested",
    "approved",
    "not_approved",
    "unrequested",
    "claimed",
    "lapsed",
    "to_claim",
    "refused",
    "pending",
)
PENDING_MDF = ("submitted", "pending")  # mdf.status of a request still awaiting a decision


def allocation_uses(allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """What became of each allocation of `allocation_balances` (its requests: those made from its
    allocated_on until the next allocation), in parts that add up: amount = requested + unrequested
    (never requested; 0 when more was requested); requested = approved + not_approved, and
    not_approved = refused (decided: a rejected request, or the part of a request not granted) +
    pending (still awaiting a decision: status in PENDING_MDF); both NaN when the requests have no
    status; approved = claimed + lapsed (not claimed by a claim deadline now passed) + to_claim
    (the rest: a deadline ahead, or none)."""
    rows = allocation_balances(allocations, requests, as_of)
    parts = USES[3:] + ("requested",)
    if rows.empty:
        return rows.assign(**dict.fromkeys(parts, 0.0))
    as_of = pd.Timestamp(as_of).normalize()
    until = list(rows["allocated_on"].iloc[1:]) + [as_of + pd.Timedelta(days=1)]
    sums = [_uses(requests, start, stop, as_of) for start, stop in zip(rows["allocated_on"], until)]
    rows = rows.assign(
        requested=[x[0] for x in sums],
        claimed=[x[1] for x in sums],
        lapsed=[x[2] for x in sums],
        pending=[x[3] for x in sums],
    )
    rows = rows.assign(
        not_approved=(rows["requested"] - rows["approved"]).clip(lower=0),
        unrequested=(rows["amount"] - rows["requested"]).clip(lower=0),
        to_claim=rows["approved"] - rows["claimed"] - rows["lapsed"],
    )
    return rows.assign(refused=(rows["not_approved"] - rows["pending"]).clip(lower=0))


def _uses(requests: pd.DataFrame | None, start, stop, as_of) -> tuple[float, float, float, float]:
    """(requested, claimed, lapsed, pending) over the requests made from `start` to before `stop`;
    pending: what was asked and not approved on requests still awaiting a decision (NaN when the
    requests have no status)."""
    if requests is None or requests.empty:
        return 0.0, 0.0, 0.0, 0.0
    asked = _dates(requests, "requested_on")
    made = requests[(asked >= start) & (asked < stop) & (asked <= as_of)]
    left = _unclaimed(made).clip(lower=0)
    deadline = (
        _dates(made, "claim_deadline") if "claim_deadline" in made else pd.Series(pd.NaT, index=made.index)
    )
    lapsed = float(left[deadline.notna() & (deadline < as_of)].sum())
    if "status" in made:
        waiting = made[made["status"].astype(str).str.strip().str.lower().isin(PENDING_MDF)]
        pending = float(
            (waiting["amount_requested"].fillna(0) - waiting["amount_approved"].fillna(0)).clip(lower=0).sum()
        )
    else:
        pending = float("nan")
    return (
        float(made["amount_requested"].fillna(0).sum()),
        float(made["amount_claimed"].fillna(0).sum()),
        lapsed,
        pending,
    )


def mdf_outside_allocations(allocations: pd.DataFrame | None, requests: pd.DataFrame | None, as_of) -> dict:
    """What `mdf_funds`' twelve-month totals count that no line of `allocation_balances` shows:
    the requests of the year made before its first allocation (`before`: that allocation's day;
    they draw on an earlier allocation; all the year's requests when it has none), their
    requested and approved sums (`earlier_requested`, `earlier_approved`; 0 without allocation
    data), and the year's rejected requests (`rejected`: how many, `rejected_amount`: requested)."""
    as_of = pd.Timestamp(as_of).normalize()
    start = as_of - pd.DateOffset(years=1)
    out = {
        "before": None,
        "earlier_requested": 0.0,
        "earlier_approved": 0.0,
        "rejected": 0,
        "rejected_amount": 0.0,
    }
    if requests is None or requests.empty:
        return out
    asked = _dates(requests, "requested_on")
    year = requests[(asked > start) & (asked <= as_of)]
    rejected = year[year["status"].astype(str) == "rejected"] if "status" in year else year.iloc[0:0]
    out |= {"rejected": len(rejected), "rejected_amount": float(rejected["amount_requested"].fillna(0).sum())}
    if allocations is None:
        return out
    days = _dates(allocations, "allocated_on")
    days = days[(days > start) & (days <= as_of)]
    before = days.min() if len(days) else as_of + pd.Timedelta(days=1)
    earlier = year[_dates(year, "requested_on") < before]
    return out | {
        "before": days.min() if len(days) else None,
        "earlier_requested": float(earlier["amount_requested"].fillna(0).sum()),
        "earlier_approved": float(earlier["amount_approved"].fillna(0).sum()),
    }


def claim_deadlines(requests: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """what (a line for readers in the language in force), deadline, days_left, amount: approved
    amounts still to claim by a deadline on or
    after `as_of` (mdf.claim_deadline), soonest first. Their sum is mdf_funds' unclaimed when
    the data has deadlines. An allocation is not a claim (see allocation_balances)."""
    cols = ["what", "deadline", "days_left", "amount"]
    if requests is None or "claim_deadline" not in requests:
        return pd.DataFrame(columns=cols)
    as_of = pd.Timestamp(as_of).normalize()
    kept, left, deadline = _to_claim(requests, as_of)
    said = _("MDF request {request}: {activity}")
    due = requests.iloc[kept]
    what = [
        said.format(request=r, activity=a)
        for r, a in zip(due["request_id"].astype(str), due["activity"].astype(str))
    ]
    order = sorted(range(len(kept)), key=lambda i: (deadline[kept[i]], what[i]))  # stable, as sort_values
    rows = kept[order] if len(kept) else kept
    return pd.DataFrame(
        {
            "what": [what[i] for i in order],
            "deadline": deadline[rows],
            "days_left": ((deadline[rows] - np.datetime64(as_of, "ns")) // np.timedelta64(1, "D")).astype(
                "int64"
            ),
            "amount": left[rows],
        },
        columns=cols,
    )


def _certifications(engagements: pd.DataFrame, as_of) -> pd.DataFrame:
    return engagements[
        (engagements["kind"].astype(str) == "certification")
        & (_dates(engagements, "occurred_on") <= pd.Timestamp(as_of))
    ]


def certified(engagements: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """certification, people: distinct people (contact_id) holding each certification by `as_of`
    (a person certified twice in it counts once)."""
    if engagements is None or engagements.empty:
        return pd.DataFrame(columns=["certification", "people"])
    rows = _certifications(engagements, as_of)
    out = rows.groupby(rows["name"].astype(str))["contact_id"].nunique()
    return (
        out.rename("people")
        .rename_axis("certification")
        .reset_index()
        .sort_values(["people", "certification"], ascending=[False, True])
        .reset_index(drop=True)
    )


def certified_total(engagements: pd.DataFrame | None, as_of) -> int:
    """Distinct people (contact_id) holding at least one certification by `as_of`."""
    if engagements is None or engagements.empty:
        return 0
    return int(_certifications(engagements, as_of)["contact_id"].nunique())


ENDED_PLAN = ("completed", "lapsed")


def plan_span(created_on, status: str, as_of) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(first, last day) a plan's progress is counted over, "plan to date": from its created_on
    to the report day `as_of` for a plan still running (draft, active); for an ended plan
    (completed, lapsed) to its own end, one year after created_on (the day before the
    anniversary), or `as_of` (the last day of the data the report uses) if that comes first."""
    first, as_of = pd.Timestamp(created_on).normalize(), pd.Timestamp(as_of).normalize()
    if str(status) in ENDED_PLAN:
        return first, min(first + pd.DateOffset(years=1) - pd.Timedelta(days=1), as_of)
    return first, as_of


def plan_objectives(
    plans: pd.DataFrame | None, objectives: pd.DataFrame | None, actual_of, as_of
) -> pd.DataFrame:
    """The objectives of the partner's joint business plans (active first, heaviest first):
    plan_id, status, first, last (plan_span), metric, description, weight, target, actual
    (`actual_of(metric, first, last)`: the metric plan to date) and progress (actual / target,
    the target being the plan-year's)."""
    cols = [
        "plan_id",
        "status",
        "first",
        "last",
        "metric",
        "description",
        "weight",
        "target",
        "actual",
        "progress",
    ]
    if plans is None or objectives is None or plans.empty:
        return pd.DataFrame(columns=cols)
    plans = plans.assign(plan_id=plans["plan_id"].astype(str))
    spans = {
        plan: (str(status), *plan_span(created_on, status, as_of))
        for plan, status, created_on in zip(plans["plan_id"], plans["status"], plans["created_on"])
    }
    rows = objectives[objectives["plan_id"].astype(str).isin(spans)].copy()
    rows["plan_id"] = rows["plan_id"].astype(str)
    for i, column in enumerate(("status", "first", "last")):
        rows[column] = rows["plan_id"].map(lambda x, i=i: spans[x][i])
    for column in ("weight", "description"):
        if column not in rows:
            rows[column] = None
    rows["actual"] = [
        actual_of(str(m), f, last) for m, f, last in zip(rows["metric"], rows["first"], rows["last"])
    ]
    target = pd.to_numeric(rows["target"], errors="coerce")
    rows["progress"] = pd.to_numeric(rows["actual"], errors="coerce") / target.where(target > 0)
    rows["_order"] = (rows["status"] != "active").astype(int)
    rows["_weight"] = -pd.to_numeric(rows["weight"], errors="coerce").fillna(0)
    return rows.sort_values(["_order", "plan_id", "_weight", "metric"]).reset_index(drop=True)[cols]


def agreed_actions(actions: pd.DataFrame | None, as_of, ours: str = "") -> pd.DataFrame:
    """agreed_on, owner, side ('ours' when the owner is `ours`, the account manager, else
    'partner'), description, due_on, status, overdue_days (days from due_on to `as_of` for an
    open action due before it, else 0): overdue first (most overdue first), then open by due
    date, then done."""
    cols = ["agreed_on", "owner", "side", "description", "due_on", "status", "overdue_days"]
    if actions is None or actions.empty:
        return pd.DataFrame(columns=cols)
    day = np.datetime64(pd.Timestamp(as_of).normalize(), "ns")
    due = _dates(actions, "due_on").to_numpy()
    agreed = _dates(actions, "agreed_on").to_numpy()
    is_open = (actions["status"].astype(str) == "open").to_numpy(dtype=bool)
    late = is_open & (due < day)
    overdue = np.zeros(len(actions), dtype="int64")
    overdue[late] = (day - due[late]) // np.timedelta64(1, "D")
    mine = str(ours or "").strip().casefold()
    side = ["ours" if mine and str(o).strip().casefold() == mine else "partner" for o in actions["owner"]]
    group = (~late).astype(int) + (~is_open).astype(int)
    # as sort_values(["group", "due_on", "agreed_on"], na_position="last"): stable, no date last
    rows = np.array(
        sorted(
            range(len(actions)), key=lambda i: (group[i], *_last_if_none(due[i]), *_last_if_none(agreed[i]))
        ),
        dtype="int64",
    )
    return pd.DataFrame(
        {
            "agreed_on": agreed[rows],
            "owner": actions["owner"].array.take(rows),
            "side": [side[i] for i in rows],
            "description": actions["description"].array.take(rows),
            "due_on": due[rows],
            "status": actions["status"].array.take(rows),
            "overdue_days": overdue[rows],
        },
        columns=cols,
    )


def _last_if_none(day: np.datetime64) -> tuple:
    """A sort key putting a missing date (NaT) after every date."""
    return (True, 0) if np.isnat(day) else (False, day)
