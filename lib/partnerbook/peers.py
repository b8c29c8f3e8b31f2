"""Peers: the partners a partner is compared with, chosen by one rule on every page.

The rule, like with like:

1. the partners in the programme for the period (membership) in the same lifecycle stage
   and the same tier, when there are at least `program.peer_minimum` of them;
2. else those in the same stage, any tier, when there are at least that many;
3. else no peer group: no peer figure is shown (a figure over one or two partners would let
   a reader pick them out).

The partner itself is never its own peer and is never counted in a group's size. A partner
without a known stage has no peers. The group is stated in words ("Gold partners in the sell
stage", "partners in the sell stage") with its size.

    peers.groups(info, minimum, eligible=None)    # who is compared with whom
    peers.table(members, stages, metric_table, minimum)   # wb.peers: medians of METRICS

Targets use `groups` for peer baselines (eligible: peers with enough history); the scorecard
reads `table` through `Workbook.peers`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import numbers
from .i18n import _
from .tables import stage_label

METRICS = ("revenue", "win_rate", "pipeline", "deals_registered")
DEFAULT_MINIMUM = 5
TABLE_COLUMNS = ["partner_id", "metric", "median", "group", "n", "peer_group", "peer_size"]


def minimum(program: dict | None) -> int:
    """program.peer_minimum (5 when not set)."""
    return int(((program or {}).get("program") or {}).get("peer_minimum", DEFAULT_MINIMUM))


def describe(tier: str, stage: str, key: str) -> str:
    """The group in words, in the language in force: 'Gold partners in the sell stage' ('partenaires
    Gold à l'étape vente'), 'partners in the sell stage', ''. The tier is the data's name."""
    if key == "tier and stage":
        return _("{tier} partners in the {stage} stage").format(tier=tier, stage=stage_label(stage))
    return _("partners in the {stage} stage").format(stage=stage_label(stage)) if key == "stage" else ""


def groups(
    info: pd.DataFrame, minimum: int, eligible: pd.Series | None = None, with_peers: bool = True
) -> pd.DataFrame:
    """Each partner's peer group by the rule of the module doc.

    `info`: partner_id, tier, stage, one row per partner to place (the members of the
    period). `eligible` (a boolean mask aligned with `info`, default all): who may count as a
    peer (e.g. only partners with enough history). Indexed by partner_id: peer_key
    ('tier and stage' | 'stage' | ''), peer_group (words, '' when none), peer_size (int,
    the partner itself excluded; 0 when none), peers (the peer ids; never shown; left out
    with `with_peers=False`: each list is a scan of the group, so building them all grows
    with the square of the programme), tier and stage (as placed)."""
    ids = info["partner_id"].astype(str).to_numpy()
    tiers = (
        np.array([numbers.text(t) for t in info["tier"]], dtype=object)
        if "tier" in info
        else np.full(len(ids), "", dtype=object)
    )
    stages = np.array([numbers.text(s) for s in info["stage"]], dtype=object)
    able = np.ones(len(ids), bool) if eligible is None else np.asarray(eligible, dtype=bool)
    by_both, by_stage = {}, {}
    for pid, tier, stage, ok in zip(ids, tiers, stages, able):
        if ok and stage:
            by_stage.setdefault(stage, []).append(pid)
            if tier:
                by_both.setdefault((tier, stage), []).append(pid)
    rows = []
    for pid, tier, stage, ok in zip(ids, tiers, stages, able):
        own = bool(ok and stage)  # the partner is in its own groups' lists: not its own peer
        n_both = len(by_both.get((tier, stage), ())) - (own and bool(tier)) if tier and stage else 0
        n_same = len(by_stage.get(stage, ())) - own if stage else 0
        key, size = (
            ("tier and stage", n_both)
            if n_both >= minimum
            else ("stage", n_same)
            if n_same >= minimum
            else ("", 0)
        )
        row = (pid, key, describe(tier, stage, key), size, tier, stage)
        if with_peers:
            group = (
                by_both.get((tier, stage), [])
                if key == "tier and stage"
                else by_stage.get(stage, [])
                if key == "stage"
                else []
            )
            row += ([i for i in group if i != pid],)
        rows.append(row)
    columns = ["partner_id", "peer_key", "peer_group", "peer_size", "tier", "stage"] + (
        ["peers"] if with_peers else []
    )
    return pd.DataFrame(rows, columns=columns).set_index("partner_id")


def table(
    members: pd.DataFrame,
    stages: pd.Series,
    metric_table: pd.DataFrame,
    minimum: int,
    metrics: tuple[str, ...] = METRICS,
) -> pd.DataFrame:
    """Every member's peer figures for `metrics`, indexed by (partner_id, metric): median
    (NaN when fewer than `minimum` peers have a value), group (the words, '' when hidden), n
    (peers with a value), peer_group and peer_size (the group, whatever the metric)."""
    info = pd.DataFrame(
        {
            "partner_id": members["partner_id"].astype(str).to_numpy(),
            "tier": members["tier"].to_numpy() if "tier" in members else "",
            "stage": [stages.get(pid, "") for pid in members["partner_id"].astype(str)],
        }
    )
    placed = groups(info, minimum, with_peers=False)
    # one sorted array of values per peer group and metric, each partner's own value left out
    # by position (a list of peers per partner grew with the square of the programme)
    grid = _values(metric_table, metrics).reindex(placed.index).to_numpy(dtype=float)
    keys = [
        (tier, stage) if key == "tier and stage" else stage if key == "stage" else None
        for key, tier, stage in zip(placed["peer_key"], placed["tier"], placed["stage"])
    ]
    members_of: dict = {}
    for i, (tier, stage) in enumerate(zip(placed["tier"], placed["stage"])):
        if stage:
            members_of.setdefault(stage, []).append(i)
            if tier:
                members_of.setdefault((tier, stage), []).append(i)
    ordered = {}
    rows = []
    for i, (pid, key) in enumerate(zip(placed.index, keys)):
        group, size = placed["peer_group"].iat[i], int(placed["peer_size"].iat[i])
        for j, metric in enumerate(metrics):
            median, n = float("nan"), 0
            if key is not None:
                if (key, j) not in ordered:
                    column = grid[members_of[key], j]
                    ordered[key, j] = np.sort(column[~np.isnan(column)])
                values, own = ordered[key, j], grid[i, j]
                skip = len(values) if np.isnan(own) else int(np.searchsorted(values, own))
                n = len(values) - (skip < len(values))
            enough = key is not None and size > 0 and n >= minimum
            if enough and n:
                median = median_without(values, skip, n)
            rows.append((pid, metric, median, group if enough else "", n, group, size))
    return pd.DataFrame(rows, columns=TABLE_COLUMNS).set_index(["partner_id", "metric"])


def median_without(values: np.ndarray, skip: int, n: int) -> float:
    """The median of sorted `values` with the one at position `skip` left out (`skip` =
    len(values): none), `n` values remaining."""

    def nth(j: int) -> float:
        return float(values[j if j < skip else j + 1])

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def _values(metric_table: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """partner_id x metric: the period's value of each metric (no breakdown)."""
    mt = metric_table
    base = mt[mt["metric"].isin(metrics) & (mt["breakdown"].fillna("") == "") & mt["partner_id"].notna()]
    wide = base.assign(partner_id=base["partner_id"].astype(str)).pivot_table(
        index="partner_id", columns="metric", values="value", aggfunc="first"
    )
    return wide.reindex(columns=list(metrics))  # a metric not in the data: all NaN
