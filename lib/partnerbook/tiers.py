"""Programme tiers: the rules of program.yaml `tiers`, and a partner's standing against them.

    tiers:
      window_quarters: 4           # criteria are measured over the trailing quarters to the period end
      levels:                      # lowest first; a level's criteria: catalogue metric -> minimum
        - {name: Registered}
        - {name: Silver, criteria: {revenue: 150000, certifications: 2}}
        - {name: Gold, criteria: {revenue: 600000, certifications: 5, business_plans: 1}}

A criterion's value is the metric over the window: the sum of its quarters for an additive
metric (revenue, certifications, deals registered, business plans), else the mean of the
quarters that have a value (a rate). The rules, stated once:

- earned: the highest level whose criteria are all met (the lowest level has none);
- next: the level above the partner's current tier (partners.tier), with what is missing;
- at risk of falling a tier: the partner's current tier has a criterion not met over the window
  (at the next review it would fall to the level it has earned); a partner that joined after
  the window's first day (or has not joined yet) is not at risk: it has no full window yet;
- the next review: at the end of the quarter after the window, over the window moved on by one
  quarter (`next_window`: its oldest quarter dropped, that quarter added). What a partner at risk
  still needs for it (`still_needed`) counts the quarters it keeps: for an additive criterion the
  minimum less their sum, for a rate the minimum its mean must reach.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import programme
from .i18n import pgettext
from .programme.tiers import Level


def rules(program: dict | None) -> tuple[list[Level], int]:
    """(levels lowest first, window in quarters); ([], 4) when the programme sets no tiers
    (the section is checked by partnerbook.programme)."""
    conf = programme.section_of(program, "tiers")
    return list(conf.levels), conf.window_quarters


def window_values(history: pd.DataFrame, quarters: list[str], metrics) -> dict[str, float]:
    """Each metric over the window `quarters` of one partner's quarterly history (see module doc)."""
    return window_of(by_quarter(history), quarters, metrics)


def by_quarter(history: pd.DataFrame) -> dict[str, list[tuple[str, float]]]:
    """One partner's quarterly history read once for `window_of`: metric -> [(period, value)]
    of its partner-level rows (no breakdown), in the frame's order, values as numbers (NaN
    where not one). A report asks for several windows (tier, each plan objective)."""
    rows = history[history["breakdown"].fillna("") == ""]
    values = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    out: dict[str, list[tuple[str, float]]] = {}
    for metric, period, value in zip(
        rows["metric"].to_numpy(dtype=object), rows["period"].to_numpy(dtype=object), values
    ):
        out.setdefault(metric, []).append((period, value))
    return out


def window_of(index: dict[str, list[tuple[str, float]]], quarters: list[str], metrics) -> dict[str, float]:
    """`window_values` over a history read by `by_quarter`: the sum of an additive metric's
    values in the window, else their mean (NaN with none); values that are NaN left out."""
    from .metrics import CATALOGUE

    wanted = set(quarters)
    out = {}
    for metric in metrics:
        values = np.array(
            [v for q, v in index.get(metric, ()) if q in wanted and not math.isnan(v)], dtype=float
        )
        additive = CATALOGUE[metric].additive if metric in CATALOGUE else True
        out[metric] = (
            float(values.sum())
            if additive
            else (float(values.sum() / len(values)) if len(values) else float("nan"))
        )
    return out


def standing(levels: list[Level], current: str, values: dict[str, float], full_window: bool = True) -> dict:
    """The partner's standing: earned level, its current tier, each criterion of the current and
    next tier (metric, minimum, value, met, missing), the next tier's name and at_risk (never
    for a partner that has not been in the programme for the whole window: `full_window`)."""

    def met(level: Level) -> list[dict]:
        out = []
        for metric, minimum in level.criteria.items():
            value = values.get(metric, float("nan"))
            known = not math.isnan(value)
            ok = known and value >= float(minimum)
            out.append(
                {
                    "metric": metric,
                    "minimum": float(minimum),
                    "value": value,
                    "met": ok,
                    "missing": 0.0 if ok else float(minimum) - (value if known else 0.0),
                }
            )
        return out

    names = [x.name for x in levels]
    earned = ""
    for level in levels:
        if all(c["met"] for c in met(level)):
            earned = level.name
        else:
            break
    at = names.index(current) if current in names else None
    now = met(levels[at]) if at is not None else []
    nxt = levels[at + 1] if at is not None and at + 1 < len(levels) else None
    return {
        "current": current,
        "earned": earned,
        "criteria": now,
        "next": nxt.name if nxt else "",
        "next_criteria": met(nxt) if nxt else [],
        "at_risk": full_window and any(not c["met"] for c in now),
    }


def next_window(quarters: list[str], following: str) -> list[str]:
    """The quarters the next review measures: `quarters` (the window reported) without its oldest,
    with `following` (the quarter after it) added."""
    return [*quarters[1:], following]


def still_needed(level: Level, so_far: dict[str, float]) -> list[dict]:
    """What the next review still needs of `level`'s criteria, given each metric over the quarters
    of its window already past (`so_far`, `window_values`): metric, additive and amount (the
    minimum less the sum so far; for a rate, the minimum itself), only for criteria not yet met."""
    from .metrics import CATALOGUE

    out = []
    for metric, minimum in level.criteria.items():
        value = so_far.get(metric, float("nan"))
        value = 0.0 if math.isnan(value) else value
        if value >= float(minimum):
            continue
        additive = CATALOGUE[metric].additive if metric in CATALOGUE else True
        out.append(
            {
                "metric": metric,
                "additive": additive,
                "amount": float(minimum) - value if additive else float(minimum),
            }
        )
    return out


def move_label(move: str) -> str:
    """A move of `what_if` ('up', 'down', 'same') as readers see it ('monte', 'descend', 'reste')."""
    labels = {
        "up": pgettext("tier move", "up"),
        "down": pgettext("tier move", "down"),
        "same": pgettext("tier move", "same"),
    }
    return labels.get(move, move)


HELD = ("certifications",)  # counted in the window, but held longer: a reason says both


def held(history: pd.DataFrame, last: str) -> dict[tuple[str, str], float]:
    """(partner_id, metric) -> the `HELD` metrics earned over all the history to quarter `last`
    (a partner with none earned in the window may hold older ones)."""
    rows = history[
        (history["breakdown"].fillna("") == "")
        & history["metric"].isin(HELD)
        & (history["period"].astype(str) <= last)
    ]
    values = pd.to_numeric(rows["value"], errors="coerce")
    sums = values.groupby([rows["partner_id"].astype(str), rows["metric"]]).sum()
    return {k: float(v) for k, v in sums.items()}


def what_if(
    levels: list[Level], window: int, partners: pd.DataFrame, history: pd.DataFrame, quarters: list[str]
) -> pd.DataFrame:
    """The tier rules applied to history, for the goals page: partner_id, name, tier (now),
    earned (under the rules over the `window` quarters ending with `quarters[-1]`), move
    ('up', 'down', 'same'; '' when the current tier is not in the rules; `move_label` for readers)
    and unmet (the criteria of the current tier the partner does not meet: `standing`'s criteria
    dicts, metric, minimum, value, and held: a `HELD` metric over all the history to the window's
    end, else None). Counting the earned column gives how many partners each tier
    would hold."""
    names = [x.name for x in levels]
    metrics = {m for x in levels for m in x.criteria}
    window_q = list(quarters)[-window:]
    base = history[(history["breakdown"].fillna("") == "") & history["period"].isin(window_q)]
    by_partner = {str(k): g for k, g in base.groupby(base["partner_id"].astype(str))}
    ever = held(history, window_q[-1]) if window_q else {}
    rows = []
    for pid, name, tier in zip(
        partners["partner_id"].astype(str),
        partners["name"].astype(str),
        partners["tier"].astype("string").fillna(""),
    ):
        rows_of = by_partner.get(pid, base.iloc[0:0])
        now = standing(levels, str(tier), window_values(rows_of, window_q, metrics))
        earned = now["earned"]
        move = (
            ""
            if tier not in names or not earned
            else "up"
            if names.index(earned) > names.index(tier)
            else "down"
            if names.index(earned) < names.index(tier)
            else "same"
        )
        unmet = [{**c, "held": ever.get((pid, c["metric"]))} for c in now["criteria"] if not c["met"]]
        rows.append((pid, name, str(tier), earned, move, unmet))
    return pd.DataFrame(rows, columns=["partner_id", "name", "tier", "earned", "move", "unmet"])
