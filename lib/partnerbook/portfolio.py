"""The partner portfolio as frames: the stage funnel, stage moves, movers, partners at risk,
the profile of the best partners and the early-stage partners that look like them.

Pure functions on the metric table, the stage series and the dataset's tables; the story
(`partnerbook.narrative`) turns them into sentences.
"""

from __future__ import annotations

import pandas as pd

from . import numbers
from .i18n import ngettext
from .tables import STAGES

EARLY = ("recruit", "onboard", "enable")
ACTIVITY = ("trainings_attended", "certifications", "deals_registered", "portal_logins")


def _partner(metric_table: pd.DataFrame) -> pd.Series:
    """Rows of one partner (not the programme: <NA> or empty partner_id)."""
    ids = metric_table["partner_id"].astype("string")
    return ids.notna() & ~ids.fillna("").isin(["", "\0"])


def funnel(stages: pd.Series) -> pd.DataFrame:
    """Partners per lifecycle stage, in stage order (churned last): stage, partners."""
    counts = stages.astype("string").value_counts()
    return pd.DataFrame({"stage": list(STAGES), "partners": [int(counts.get(s, 0)) for s in STAGES]})


def moves(before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """Stage moves between two periods: from_stage, to_stage, partners, direction
    ('forward', 'back', 'churned', 'joined'). Partners new to the programme come from ''."""
    both = (
        pd.DataFrame({"from_stage": before.astype("string"), "to_stage": after.astype("string")})
        .fillna({"from_stage": ""})
        .dropna(subset=["to_stage"])
        .loc[lambda d: d["from_stage"] != d["to_stage"]]
    )
    order = {s: i for i, s in enumerate(STAGES)}
    out = both.groupby(["from_stage", "to_stage"], as_index=False).size().rename(columns={"size": "partners"})
    return out.assign(direction=[_direction(f, t, order) for f, t in zip(out["from_stage"], out["to_stage"])])


def _direction(before: str, after: str, order: dict) -> str:
    if after == "churned":
        return "churned"
    if not before:
        return "joined"
    return "forward" if order.get(after, 0) > order.get(before, 0) else "back"


def movers(
    metric_table: pd.DataFrame, n: int = 3, metric: str = "revenue"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n partners whose `metric` rose most and fell most since the prior period:
    partner_id, value, prior_value, change (value - prior_value); no zero changes."""
    rows = (
        metric_table.loc[
            _partner(metric_table)
            & (metric_table["breakdown"].fillna("") == "")
            & (metric_table["metric"] == metric)
        ]
        .assign(
            partner_id=lambda d: d["partner_id"].astype(str),
            value=lambda d: d["value"].fillna(0.0),
            prior_value=lambda d: d["prior_value"].fillna(0.0),
        )
        .assign(change=lambda d: d["value"] - d["prior_value"])[
            ["partner_id", "value", "prior_value", "change"]
        ]
    )
    up = rows.loc[rows["change"] > 0].sort_values(["change", "partner_id"], ascending=[False, True]).head(n)
    down = rows.loc[rows["change"] < 0].sort_values(["change", "partner_id"]).head(n)
    return up.reset_index(drop=True), down.reset_index(drop=True)


def at_risk(health: pd.DataFrame | None) -> pd.DataFrame:
    """Partners flagged 'at risk' by lifecycle.health: partner_id, reasons."""
    if health is None or health.empty:
        return pd.DataFrame(columns=["partner_id", "reasons"])
    return (
        health.loc[health["health"] == "at risk", ["partner_id", "reasons"]]
        .assign(partner_id=lambda d: d["partner_id"].astype(str))
        .sort_values("partner_id")
        .reset_index(drop=True)
    )


def churned_in(before: pd.Series, after: pd.Series) -> list[str]:
    """Partners that were active before and churned by now."""
    joined = pd.DataFrame({"b": before.astype("string"), "a": after.astype("string")})
    return sorted(
        joined.loc[(joined["a"] == "churned") & (joined["b"].fillna("") != "churned")].index.astype(str)
    )


def top_partners(metric_table: pd.DataFrame, share: float = 0.2, minimum: int = 5) -> list[str]:
    """The best partners by revenue in the period: the top `share`, at least `minimum` of
    those with revenue (fewer when fewer partners have revenue)."""
    revenue = (
        metric_table.loc[
            _partner(metric_table)
            & (metric_table["metric"] == "revenue")
            & (metric_table["breakdown"].fillna("") == "")
        ]
        .assign(partner_id=lambda d: d["partner_id"].astype(str))
        .loc[lambda d: d["value"].fillna(0) > 0]
        .sort_values(["value", "partner_id"], ascending=[False, True])
    )
    size = max(minimum, round(len(revenue) * share))
    return list(revenue["partner_id"].head(size))


def profile(
    partners: pd.DataFrame,
    top: list[str],
    opportunities: pd.DataFrame | None = None,
    metric_table: pd.DataFrame | None = None,
) -> dict:
    """What the top partners have in common: the most common tier and region (with their
    shares), the segment mix of their won revenue, and their average activity per partner."""
    group = partners.assign(partner_id=lambda d: d["partner_id"].astype(str)).set_index("partner_id").loc[top]
    out = {"partners": len(group)}
    for col in ("tier", "region"):
        counts = group[col].astype("string").value_counts()
        out[col], out[f"{col}_share"] = (
            (counts.index[0], counts.iloc[0] / len(group)) if len(counts) else ("", 0.0)
        )
    out["segments"] = _segment_mix(opportunities, top)
    out["activity"] = _activity(metric_table, top)
    return out


def _segment_mix(opportunities: pd.DataFrame | None, top: list[str]) -> dict:
    if opportunities is None or opportunities.empty:
        return {}
    won = opportunities.loc[
        (opportunities["status"] == "won") & opportunities["partner_id"].astype(str).isin(top)
    ]
    mix = won.groupby(won["segment"].astype(str))["amount"].sum()
    return (mix / mix.sum()).sort_values(ascending=False).to_dict() if mix.sum() > 0 else {}


def _activity(metric_table: pd.DataFrame | None, who: list[str]) -> dict:
    if metric_table is None:
        return {}
    rows = metric_table.loc[
        metric_table["partner_id"].astype(str).isin(who)
        & metric_table["metric"].isin(ACTIVITY)
        & (metric_table["breakdown"].fillna("") == "")
    ]
    return (rows.groupby("metric")["value"].sum() / max(len(who), 1)).to_dict()


def lookalikes(partners: pd.DataFrame, stages: pd.Series, prof: dict) -> pd.DataFrame:
    """Early-stage partners (recruit, onboard, enable) sharing the top partners' tier and
    region: partner_id, name, stage, tier, region, matches (1 or 2), best first."""
    early = stages.astype("string").loc[lambda s: s.isin(EARLY)]
    frame = (
        partners.assign(partner_id=lambda d: d["partner_id"].astype(str))
        .loc[lambda d: d["partner_id"].isin(early.index.astype(str))]
        .assign(
            stage=lambda d: d["partner_id"].map(dict(zip(early.index.astype(str), early))),
            matches=lambda d: (
                (d["tier"] == prof.get("tier")).astype(int) + (d["region"] == prof.get("region")).astype(int)
            ),
        )
    )
    return (
        frame.loc[frame["matches"] == 2, ["partner_id", "name", "stage", "tier", "region", "matches"]]
        .sort_values(
            ["stage", "partner_id"],
            key=lambda s: s.map({v: i for i, v in enumerate(EARLY)}) if s.name == "stage" else s,
        )
        .reset_index(drop=True)
    )


def only(frame: pd.DataFrame | None, ids: set[str], keep_programme: bool = True) -> pd.DataFrame | None:
    """`frame`'s rows of the partners in `ids` (the programme's members); programme-level rows
    (empty partner_id) kept when `keep_programme`."""
    if frame is None or "partner_id" not in frame:
        return frame
    pid = frame["partner_id"].astype("string")
    mine = pid.fillna("").isin(ids)
    return frame.loc[mine | (~_partner(frame) if keep_programme else False)]


def left_this_period(
    partners: pd.DataFrame, history: pd.DataFrame | None, quarters: list[str]
) -> pd.DataFrame:
    """Partners that left during the period (`partners` holds only those): partner_id, name,
    left_on (date), revenue_4q (won revenue in `quarters`, the last four up to the period;
    NaN without a history)."""
    out = pd.DataFrame(
        {
            "partner_id": partners["partner_id"].astype(str).to_numpy(),
            "name": partners["name"].astype(str).to_numpy(),
            "left_on": pd.to_datetime(partners["churned_on"]).to_numpy(),
        }
    )
    if history is None:
        return out.assign(revenue_4q=float("nan"))
    rev = history.loc[
        (history["metric"] == "revenue")
        & (history["breakdown"].fillna("") == "")
        & history["period"].astype(str).isin(quarters)
    ]
    sums = rev.groupby(rev["partner_id"].astype(str))["value"].sum()
    return (
        out.assign(revenue_4q=out["partner_id"].map(sums).fillna(0.0).astype(float))
        .sort_values(["left_on", "partner_id"])
        .reset_index(drop=True)
    )


def others(n: int, kind: str = "partner") -> str:
    """The part of a bridge that sums the parts not named, in the language in force: '3 other
    partners', '1 other segment', '2 other regions' ('3 autres partenaires'). `kind`: partner,
    segment, region; any other word as '<n> <kind>' (as it is)."""
    said = {
        "partner": ngettext("{n} other partner", "{n} other partners", n),
        "segment": ngettext("{n} other segment", "{n} other segments", n),
        "region": ngettext("{n} other region", "{n} other regions", n),
    }.get(kind, "{n} " + kind)
    return said.format(n=numbers.count(n))


def bridge(values: pd.DataFrame, top: int = 5, rest: str = "partner") -> pd.DataFrame:
    """A change decomposed into parts that add up to it exactly, to the cent.

    `values`: key, label, now, before (money; missing = 0). Each key's change is worked in
    whole cents; the `top` largest changes (by size, then key) are named, the rest summed in
    one part labelled `others(n, rest)` ("3 other partners"; `rest` is the kind of the parts:
    partner, segment, region). Returns part, key, now, before, change (in currency units, each
    a whole number of cents), largest first, the summed part last."""
    cents = (
        values.assign(
            now=lambda d: (d["now"].fillna(0.0) * 100).round().astype("int64"),
            before=lambda d: (d["before"].fillna(0.0) * 100).round().astype("int64"),
        )
        .assign(change=lambda d: d["now"] - d["before"])
        .loc[lambda d: (d["now"] != 0) | (d["before"] != 0)]
    )
    ranked = cents.assign(size=cents["change"].abs()).sort_values(["size", "key"], ascending=[False, True])
    named, unnamed = ranked.head(top), ranked.iloc[top:]
    parts = named.loc[named["change"] != 0, ["key", "label", "now", "before", "change"]].rename(
        columns={"label": "part"}
    )
    unnamed = pd.concat([unnamed, named.loc[named["change"] == 0]])
    if len(unnamed):
        summed = unnamed[["now", "before", "change"]].sum()
        parts = pd.concat(
            [parts, pd.DataFrame([{"key": "", "part": others(len(unnamed), rest), **summed.to_dict()}])],
            ignore_index=True,
        )
    return parts.assign(
        **{c: parts[c].astype("int64") / 100 for c in ("now", "before", "change")}
    ).reset_index(drop=True)
