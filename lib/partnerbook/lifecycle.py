"""Lifecycle stages, the metrics recommended for each, and the health flag.

A partner's stage in a period is the last stage change on or before the period's last
day (stage_changes). A partner without stage history takes its lifecycle_stage column,
except that dated facts win: churned on or before the period end -> churned, joined after
it -> recruit. Without either, the inference rules of program.yaml `lifecycle.inference`
decide. Health (healthy / watch / at risk) is separate from the stage and follows the
rules of program.yaml `health`; each flag comes with its reasons in plain words.

Health rules (program.yaml `health.signals`; each rule that fires is one signal with its
reason; `at_risk_signals` or more -> "at risk", one -> "watch", none -> "healthy"). Results:
revenue down on the prior period, or on the same period a year ago, by `revenue_drop` /
`revenue_drop_year_ago` or more; no revenue and no open pipeline at any quarter end for
`no_revenue_no_pipeline_quarters` quarters (sell and grow); no won deal in
`no_deals_quarters` quarters (sell and grow); win rate down `win_rate_drop_points` points or
more on the prior period; revenue below `low_attainment` of its target. Activity: leading
activity below `falling_activity` of the prior period's; a lapsed joint business plan and
none active; an average survey score below `low_survey_score`. Only partners in the programme
at the period's end (membership.at_end) get a flag: a partner that left during the period
stays in it (its report, "left this period") but is not flagged. `backtest` checks the rules on the history.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from . import membership, metrics, numbers, periods, programme, tables
from .errors import ParamsError
from .i18n import N_, _, ngettext, pgettext
from .params import fy_start_month
from .tables import STAGES

SELLING = ("sell", "grow")
FLAGS = ("healthy", "watch", "at risk")
# what each stage means, in a sentence for readers (translated where shown: stage_description)
STAGE_DESCRIPTIONS = {
    "recruit": N_("Being recruited: not yet a member of the programme."),
    "onboard": N_("Joined recently: setting up and training its first people."),
    "enable": N_("Learning to sell: training, certifying and building pipeline before winning deals."),
    "sell": N_("Selling: winning deals with us."),
    "grow": N_("Growing: winning deals often and selling more with us."),
    "churned": N_("Has left the programme."),
}


# -- words for readers --------------------------------------------------------------------


def stage_description(stage: str) -> str:
    """What a stage means, in one sentence in the language in force ('' for an unknown stage)."""
    return _(STAGE_DESCRIPTIONS[stage]) if stage in STAGE_DESCRIPTIONS else ""


def health_label(flag: object) -> str:
    """A health flag as readers see it ('at risk'; 'à risque' in French); the data keeps
    'healthy', 'watch', 'at risk' (and the backtest's 'watch or at risk')."""
    key = numbers.text(flag)
    labels = {
        "healthy": pgettext("health", "healthy"),
        "watch": pgettext("health", "watch"),
        "at risk": pgettext("health", "at risk"),
        "watch or at risk": pgettext("health", "watch or at risk"),
    }
    return labels.get(key, key)


def _limit(value) -> str:
    """A rule's limit that is a plain number (a survey score): '6', '6.5' ('6,5' in French)."""
    return numbers.decimal(float(value), 0 if float(value).is_integer() else 1)


# -- parameters ---------------------------------------------------------------------------


def settings(program: dict | None) -> dict:
    """The lifecycle section (checked by partnerbook.programme): recommended metrics per
    stage listed, and the inference rules with their defaults."""
    section = programme.section_of(program, "lifecycle")
    return {
        "recommended_metrics": {k: list(v) for k, v in section.recommended_metrics.items()},
        "inference": asdict(section.inference),
    }


def health_settings(program: dict | None) -> dict:
    """The health section (checked by partnerbook.programme), with the defaults filled in."""
    return programme.section_of(program, "health").as_dict()


def recommended(stage: str, program: dict | None = None) -> list[str]:
    """The metrics shown for a partner in `stage`: program.yaml's list, else the catalogue's."""
    if stage not in STAGES:
        raise ParamsError(f"stage '{stage}': expected one of {', '.join(STAGES)}")
    chosen = settings(program)["recommended_metrics"].get(stage)
    return (
        list(chosen)
        if chosen is not None
        else [m.name for m in metrics.CATALOGUE.values() if stage in m.stages]
    )


# -- stage --------------------------------------------------------------------------------


def stage_at(dataset, program: dict | None, period) -> pd.Series:
    """partner_id -> the partner's stage at the last day of `period`."""
    period = periods.parse(period, fy_start_month(program))
    partners = dataset["partners"].set_index("partner_id")
    end = period.end
    history = _from_history(dataset, end)
    given = _from_column(partners, end)
    inferred = _inferred(dataset, partners, end, settings(program)["inference"])
    has_history = partners.index.isin(dataset["stage_changes"]["partner_id"])
    stage = history.reindex(partners.index)
    stage = stage.where(stage.notna() | has_history, given)
    return stage.fillna(inferred).astype("string").rename("stage")


def _from_history(dataset, end: pd.Timestamp) -> pd.Series:
    changes = dataset["stage_changes"]
    changes = changes[changes["changed_on"] <= end].sort_values("changed_on", kind="stable")
    return changes.groupby("partner_id")["stage"].last()


def _from_column(partners: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    stage = partners["lifecycle_stage"].astype("string")
    stage = stage.mask(stage.notna() & (partners["joined_on"] > end), "recruit")
    return stage.mask(stage.notna() & (partners["churned_on"] <= end), "churned")


def _inferred(dataset, partners: pd.DataFrame, end: pd.Timestamp, rules: dict) -> pd.Series:
    opps = dataset["opportunities"]
    year_start = end - pd.DateOffset(years=1)
    won = opps[(opps["status"] == "won") & (opps["closed_on"] > year_start) & (opps["closed_on"] <= end)]
    wins = won.groupby("partner_id").size().reindex(partners.index, fill_value=0)
    joined, churned = partners["joined_on"], partners["churned_on"]
    conditions = [
        churned <= end,
        joined.isna() | (joined > end),
        (end - joined).dt.days < rules["onboard_days"],
        wins >= rules["grow_min_won_deals_trailing_year"],
        wins >= rules["sell_min_won_deals_trailing_year"],
    ]
    choices = ["churned", "recruit", "onboard", "grow", "sell"]
    return pd.Series(
        np.select([c.fillna(False).to_numpy(bool) for c in conditions], choices, "enable"),
        index=partners.index,
    )


# -- health -------------------------------------------------------------------------------


def health(
    dataset,
    metric_table: pd.DataFrame | None,
    program: dict | None,
    period,
    *,
    attainment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per partner in the programme at the end of `period` (a partner that left during
    it gets no flag; membership.at_end): partner_id, health ('healthy' |
    'watch' | 'at risk'; `health_label` for readers), reasons (plain words in the language in
    force, joined by '; ' (' ; ' in French); empty only when healthy),
    signals (how many rules fired).

    `metric_table` is the period's metric table (metrics.table: value, prior_value,
    year_ago_value; computed when None). `attainment` (targets.attainment: partner_id,
    metric, target, attainment) feeds the low-attainment rule; without it that rule is
    silent. The rules are in the module doc and program.yaml `health`."""
    period = periods.parse(period, fy_start_month(program))
    rules = health_settings(program)
    if metric_table is None:
        metric_table = metrics.table(dataset, program, period)
    signal = rules["signals"]
    currency = ((program or {}).get("program") or {}).get("currency", "USD")
    stage = stage_at(dataset, program, period)
    stage = stage.set_axis(stage.index.astype(str))
    metric_table = _partner_level(metric_table)
    found = [
        _revenue_drop(metric_table, "prior_value", signal["revenue_drop"], currency),
        _revenue_drop(metric_table, "year_ago_value", signal["revenue_drop_year_ago"], currency),
        _no_revenue_no_pipeline(dataset, program, stage, period, signal["no_revenue_no_pipeline_quarters"]),
        _no_deals(dataset, stage, period, signal["no_deals_quarters"]),
        _win_rate_drop(metric_table, signal["win_rate_drop_points"]),
        _low_attainment(attainment, signal["low_attainment"]),
        _falling_activity(metric_table, rules["activity_metrics"], signal["falling_activity"]),
        _lapsed_plan(dataset, period) if signal["lapsed_plan"] and dataset.has("business_plans") else None,
        _low_survey(dataset, period, signal["low_survey_score"]) if dataset.has("surveys") else None,
    ]
    partners = dataset["partners"]
    members = partners.loc[membership.at_end(partners, period), "partner_id"].astype(str)
    return _flags(members, [f for f in found if f is not None and len(f)], rules["at_risk_signals"])


def _flags(ids: pd.Series, found: list[pd.Series], at_risk: int) -> pd.DataFrame:
    """Count the signals per partner and join their reasons, in the order of the rules."""
    if found:
        every = pd.concat([f.set_axis(f.index.astype(str)) for f in found])
        count = every.groupby(level=0).size().reindex(ids, fill_value=0)
        text = (
            every.groupby(level=0, sort=False)
            .agg(pgettext("list separator", "; ").join)
            .reindex(ids, fill_value="")
        )
    else:
        count, text = pd.Series(0, index=ids), pd.Series("", index=ids)
    flag = np.select([count >= at_risk, count >= 1], ["at risk", "watch"], "healthy")
    return pd.DataFrame(
        {
            "partner_id": ids.to_numpy(),
            "health": flag,
            "reasons": text.to_numpy(),
            "signals": count.to_numpy().astype(int),
        }
    )


def _partner_level(table: pd.DataFrame) -> pd.DataFrame:
    """The partner rows of a metric table without breakdown, partner_id as text."""
    rows = table[table["partner_id"].notna() & (table["breakdown"].fillna("") == "")]
    return rows.assign(partner_id=rows["partner_id"].astype(str))


def _metric(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """partner_id -> value, prior_value, year_ago_value of one metric (of _partner_level rows)."""
    rows = table[table["metric"] == name].drop_duplicates("partner_id")
    return rows.set_index("partner_id")[[c for c in ("value", "prior_value", "year_ago_value") if c in rows]]


def _off(value) -> bool:
    return value is None or value is False


def _revenue_drop(table: pd.DataFrame, column: str, share, currency: str) -> pd.Series | None:
    """Revenue down on `column` (prior_value: the prior period; year_ago_value: the same period
    a year ago) by `share` or more."""
    if _off(share) or column not in table:
        return None
    rows = _metric(table, "revenue")
    before, now = rows[column].astype(float), rows["value"].astype(float).fillna(0.0)
    fall = (1 - now / before.where(before > 0)).dropna()
    fell = fall[fall >= float(share) - 1e-9].index
    said = (
        _("revenue down {share} on the prior period ({before} to {now})")
        if column == "prior_value"
        else _("revenue down {share} on the same period a year ago ({before} to {now})")
    )
    return pd.Series(
        [
            said.format(
                share=numbers.percent(fall[p]),
                before=numbers.money(before[p], currency),
                now=numbers.money(now[p], currency),
            )
            for p in fell
        ],
        index=fell,
        dtype="string",
    )


def _no_revenue_no_pipeline(dataset, program, stage: pd.Series, period, quarters) -> pd.Series | None:
    """Sell and grow partners with no revenue in, and no open pipeline at the end of, each of
    the last `quarters` quarters up to the period's end."""
    if _off(quarters):
        return None
    window = periods.last(periods.of(period.end, "quarter", fy_start_month(program)), int(quarters))
    names = [q.name for q in window]
    history = metrics.compute(dataset, program, "quarter")
    rows = history[
        history["partner_id"].notna()
        & (history["breakdown"].fillna("") == "")
        & history["metric"].isin(["revenue", "pipeline"])
        & history["period"].isin(names)
    ]
    busy = set(rows.loc[rows["value"].fillna(0) > 0, "partner_id"].astype(str))
    quiet = [p for p in stage[stage.isin(SELLING)].index if p not in busy]
    n = int(quarters)
    shown = [periods.label_for_people(q, fy_start_month(program)) for q in (names[0], names[-1])]
    said = ngettext(
        "no revenue and no open pipeline for {n} quarter ({first} to {last}), in the {stage} stage",
        "no revenue and no open pipeline for {n} quarters ({first} to {last}), in the {stage} stage",
        n,
    )
    return pd.Series(
        [
            said.format(
                n=numbers.count(n), first=shown[0], last=shown[-1], stage=tables.stage_label(stage[p])
            )
            for p in quiet
        ],
        index=quiet,
        dtype="string",
    )


def _no_deals(dataset, stage: pd.Series, period, quarters) -> pd.Series | None:
    if _off(quarters):
        return None
    start = period.end - pd.DateOffset(months=3 * int(quarters))
    opps = dataset["opportunities"]
    won = opps[(opps["status"] == "won") & (opps["closed_on"] > start) & (opps["closed_on"] <= period.end)]
    selling = stage[stage.isin(SELLING)].index
    quiet = selling[~selling.isin(won["partner_id"].dropna().astype(str))]
    n = int(quarters)
    said = ngettext(
        "no deal won in the last {n} quarter, in the {stage} stage",
        "no deal won in the last {n} quarters, in the {stage} stage",
        n,
    )
    return pd.Series(
        [said.format(n=numbers.count(n), stage=tables.stage_label(stage[p])) for p in quiet],
        index=quiet,
        dtype="string",
    )


def _win_rate_drop(table: pd.DataFrame, points) -> pd.Series | None:
    """Win rate down `points` percentage points or more on the prior period (both defined)."""
    if _off(points):
        return None
    rows = _metric(table, "win_rate").astype(float).dropna(subset=["value", "prior_value"])
    drop = (rows["prior_value"] - rows["value"]) * 100
    fell = drop[drop >= float(points) - 1e-9].index
    return pd.Series(
        [_win_rate_fell(drop[p], rows.loc[p, "prior_value"], rows.loc[p, "value"]) for p in fell],
        index=fell,
        dtype="string",
    )


def _win_rate_fell(points: float, before: float, now: float) -> str:
    n = int(numbers.half_up(points))
    return ngettext(
        "win rate down {n} point on the prior period ({before} to {now})",
        "win rate down {n} points on the prior period ({before} to {now})",
        n,
    ).format(n=numbers.count(n), before=numbers.percent(before), now=numbers.percent(now))


def _low_attainment(attainment: pd.DataFrame | None, share) -> pd.Series | None:
    """Revenue below `share` of its target (targets.attainment; a target of 0 is no target)."""
    if _off(share) or attainment is None or attainment.empty:
        return None
    rows = attainment[
        (attainment["metric"] == "revenue") & (attainment["target"] > 0) & attainment["attainment"].notna()
    ]
    low = rows[rows["attainment"] < float(share)]
    said = _("revenue at {share} of its target (below {limit})")
    return pd.Series(
        [said.format(share=_below(a, share), limit=numbers.percent(share)) for a in low["attainment"]],
        index=low["partner_id"].astype(str).to_numpy(),
        dtype="string",
    )


def _falling_activity(table: pd.DataFrame, names: list[str], share) -> pd.Series | None:
    if _off(share):
        return None
    rows = table[table["metric"].isin(names)]
    sums = rows.groupby("partner_id")[["value", "prior_value"]].sum(min_count=1)
    falling = sums[(sums["prior_value"] > 0) & (sums["value"].fillna(0) < share * sums["prior_value"])]
    ratio = falling["value"].fillna(0) / falling["prior_value"]
    said = _(
        "leading activity (training, registrations, portal use and the like) fell to {share} of the prior "
        "period's (below {limit})"
    )
    return ratio.map(lambda r: said.format(share=_below(r, share), limit=numbers.percent(share)))


def _below(value: float, limit: float) -> str:
    """A share under `limit`, with a decimal when whole percentages would read as the limit."""
    text = numbers.percent(value)
    return numbers.percent(value, digits=1) if text == numbers.percent(limit) else text


def _lapsed_plan(dataset, period) -> pd.Series:
    plans = dataset["business_plans"]
    plans = plans[plans["created_on"] <= period.end]
    lapsed = set(plans.loc[plans["status"] == "lapsed", "partner_id"])
    active = set(plans.loc[plans["status"] == "active", "partner_id"])
    return pd.Series(
        _("joint business plan lapsed and none is active"), index=sorted(lapsed - active), dtype="string"
    )


def _low_survey(dataset, period, below) -> pd.Series | None:
    if _off(below):
        return None
    answers = dataset["surveys"]
    year = answers[
        (answers["answered_on"] > period.end - pd.DateOffset(years=1))
        & (answers["answered_on"] <= period.end)
    ]
    mean = year.groupby("partner_id")["score"].mean().astype(float)
    low = mean[mean < below]
    said = _("average survey score {score} out of 10 in the last year (below {limit})")
    return low.map(lambda s: said.format(score=numbers.decimal(s, 1), limit=_limit(below)))


# -- backtest -----------------------------------------------------------------------------

BACKTEST_COLUMNS = [
    "Flag",
    "Flagged",
    "Followed by a drop or departure",
    "Precision",
    "Drops and departures",
    "Caught",
    "Missed",
    "Recall",
]


def backtest_headers() -> dict[str, str]:
    """BACKTEST_COLUMNS (the frame's keys) -> the headers readers see, in the language in force."""
    return {
        "Flag": pgettext("health backtest", "Flag"),
        "Flagged": pgettext("health backtest", "Flagged"),
        "Followed by a drop or departure": pgettext("health backtest", "Followed by a drop or departure"),
        "Precision": pgettext("health backtest", "Precision"),
        "Drops and departures": pgettext("health backtest", "Drops and departures"),
        "Caught": pgettext("health backtest", "Caught"),
        "Missed": pgettext("health backtest", "Missed"),
        "Recall": pgettext("health backtest", "Recall"),
    }


def backtest_for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """`backtest`'s frame as readers see it: the flags and the headers in the language in force."""
    return frame.assign(Flag=frame["Flag"].map(health_label)).rename(columns=backtest_headers())


def backtest(dataset, program: dict | None = None, *, drop: float = 0.3, until=None) -> pd.DataFrame:
    """How well the health rules foresaw the next quarter, over every quarter of the history.

    For each quarter q that has a prior quarter and whose next quarter n is in the data (and
    ends by `until`'s end, when given), the partners in the programme in q that had not left
    by its end are flagged as `health` would have flagged them then (without the attainment
    rule: past targets are not kept). An *event* is a partner that left during n, or whose
    revenue in n was down by `drop` (0.3 = 30%) or more on its revenue in q (q's above 0).

    One row per flag ('at risk', 'watch', 'watch or at risk'): Flagged (partner-quarters
    with that flag), Followed by a drop or departure (of those, with an event), Precision
    (followed / flagged), Drops and departures (all events), Caught (events with that flag),
    Missed (events without it), Recall (caught / events). Precision or recall is NaN when
    its denominator is 0."""
    fy = fy_start_month(program)
    history = metrics.compute(dataset, program, "quarter")
    revenue = _revenue_by_partner(history)
    seen = [_outcomes(dataset, program, revenue, q, drop) for q in _backtest_quarters(dataset, fy, until)]
    frame = pd.concat(seen, ignore_index=True) if seen else pd.DataFrame(columns=["health", "event"])
    return _score(frame)


def _backtest_quarters(dataset, fy: int, until) -> list:
    last_day = periods.latest(dataset)
    if until is not None:
        last_day = min(last_day, periods.parse(until, fy).end)
    every = periods.span(periods.earliest(dataset), periods.latest(dataset), "quarter", fy)
    return [q for q in every[1:] if periods.from_key(q.key + 3, "quarter", fy).end <= last_day]


def _outcomes(dataset, program, revenue: dict, quarter, drop: float) -> pd.DataFrame:
    """partner_id, health at `quarter`, event in the next quarter (a drop or leaving)."""
    after = periods.from_key(quarter.key + 3, "quarter", quarter.fy_start_month)
    flags = health(dataset, metrics.table(dataset, program, quarter), program, quarter)
    partners = (
        dataset["partners"].assign(partner_id=lambda d: d["partner_id"].astype(str)).set_index("partner_id")
    )
    left = (
        pd.to_datetime(partners["churned_on"])
        if "churned_on" in partners
        else pd.Series(pd.NaT, index=partners.index)
    )
    still = left.isna() | (left > quarter.end)
    flags = flags[flags["partner_id"].map(still).fillna(False).astype(bool)]
    leaves = membership.left_during(partners.reset_index(), after).to_numpy()
    leaving = set(partners.index[leaves])
    before, then = revenue.get(quarter.name, {}), revenue.get(after.name, {})
    event = [
        pid in leaving or _dropped(before.get(pid, 0.0), then.get(pid, 0.0), drop)
        for pid in flags["partner_id"]
    ]
    return flags[["partner_id", "health"]].assign(event=event)


def _revenue_by_partner(history: pd.DataFrame) -> dict:
    """period name -> {partner_id: revenue} (partner level, no breakdown)."""
    rows = history[
        history["partner_id"].notna()
        & (history["breakdown"].fillna("") == "")
        & (history["metric"] == "revenue")
    ]
    return {
        name: dict(zip(g["partner_id"].astype(str), g["value"].fillna(0.0).astype(float)))
        for name, g in rows.groupby("period")
    }


def _dropped(before: float, then: float, drop: float) -> bool:
    return before > 0 and 1 - then / before >= drop - 1e-9


def _score(frame: pd.DataFrame) -> pd.DataFrame:
    events = int(frame["event"].sum()) if len(frame) else 0
    rows = []
    for label, levels in (
        ("at risk", {"at risk"}),
        ("watch", {"watch"}),
        ("watch or at risk", {"watch", "at risk"}),
    ):
        flagged = frame["health"].isin(levels) if len(frame) else pd.Series(dtype=bool)
        n, hit = int(flagged.sum()), int((flagged & frame["event"].astype(bool)).sum()) if len(frame) else 0
        rows.append(
            [
                label,
                n,
                hit,
                hit / n if n else np.nan,
                events,
                hit,
                events - hit,
                hit / events if events else np.nan,
            ]
        )
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)
