"""Lifecycle stages, the metrics recommended for each, and the health flag.

A partner's stage in a period is the last stage change on or before the period's last
day (stage_changes). A partner without stage history takes its lifecycle_stage column,
except that dated facts win: churned on or before the period end -> churned, joined after
it -> recruit. Without either, the inference rules of program.yaml `lifecycle.inference`
decide. Health (healthy / watch / at risk) is separate from the stage and follows the
rules of program.yaml `health`; each flag comes with its reasons in plain words.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import periods
from .errors import ParamsError
from .params import check_keys, fy_start_month
from .tables import STAGES

LIFECYCLE_KEYS = ("stages", "recommended_metrics", "inference")
INFERENCE_KEYS = ("onboard_days", "sell_min_won_deals_trailing_year", "grow_min_won_deals_trailing_year")
INFERENCE_DEFAULTS = {"onboard_days": 90, "sell_min_won_deals_trailing_year": 1,
                      "grow_min_won_deals_trailing_year": 8}
HEALTH_KEYS = ("at_risk_signals", "activity_metrics", "signals")
SIGNAL_KEYS = ("falling_activity", "no_deals_quarters", "lapsed_plan", "low_survey_score")
HEALTH_DEFAULTS = {
    "at_risk_signals": 2,
    "activity_metrics": ["portal_logins", "webinars_attended", "trainings_attended", "certifications",
                         "events_attended", "deals_registered", "opportunities_created", "trials_started"],
    "signals": {"falling_activity": 0.5, "no_deals_quarters": 2, "lapsed_plan": True, "low_survey_score": 6},
}
FLAGS = ("healthy", "watch", "at risk")


# -- parameters ---------------------------------------------------------------------------

def settings(program: dict | None) -> dict:
    """The lifecycle section, keys checked, metric names checked against the catalogue."""
    from .metrics import CATALOGUE

    section = check_keys((program or {}).get("lifecycle") or {}, LIFECYCLE_KEYS, "program.yaml: lifecycle")
    for stage in section.get("stages") or []:
        if stage not in STAGES:
            raise ParamsError(f"program.yaml: lifecycle.stages: unknown stage '{stage}' "
                              f"(expected {', '.join(STAGES)})")
    recommended = check_keys(section.get("recommended_metrics") or {}, STAGES,
                             "program.yaml: lifecycle.recommended_metrics")
    for stage, names in recommended.items():
        _check_metrics(names, f"lifecycle.recommended_metrics.{stage}", CATALOGUE)
    inference = check_keys(section.get("inference") or {}, INFERENCE_KEYS, "program.yaml: lifecycle.inference")
    return {"recommended_metrics": recommended, "inference": {**INFERENCE_DEFAULTS, **inference}}


def health_settings(program: dict | None) -> dict:
    from .metrics import CATALOGUE

    section = check_keys((program or {}).get("health") or {}, HEALTH_KEYS, "program.yaml: health")
    signals = check_keys(section.get("signals") or {}, SIGNAL_KEYS, "program.yaml: health.signals")
    out = {**HEALTH_DEFAULTS, **section, "signals": {**HEALTH_DEFAULTS["signals"], **signals}}
    _check_metrics(out["activity_metrics"], "health.activity_metrics", CATALOGUE)
    return out


def _check_metrics(names, where: str, catalogue) -> None:
    import difflib

    if not isinstance(names, list):
        raise ParamsError(f"program.yaml: {where}: expected a list of metric names")
    for name in names:
        if name not in catalogue:
            near = difflib.get_close_matches(str(name), list(catalogue), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ParamsError(f"program.yaml: {where}: unknown metric '{name}'{hint}")


def recommended(stage: str, program: dict | None = None) -> list[str]:
    """The metrics shown for a partner in `stage`: program.yaml's list, else the catalogue's."""
    from .metrics import CATALOGUE

    if stage not in STAGES:
        raise ParamsError(f"stage '{stage}': expected one of {', '.join(STAGES)}")
    chosen = settings(program)["recommended_metrics"].get(stage)
    return list(chosen) if chosen is not None else [m.name for m in CATALOGUE.values() if stage in m.stages]


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
    conditions = [churned <= end, joined.isna() | (joined > end),
                  (end - joined).dt.days < rules["onboard_days"],
                  wins >= rules["grow_min_won_deals_trailing_year"],
                  wins >= rules["sell_min_won_deals_trailing_year"]]
    choices = ["churned", "recruit", "onboard", "grow", "sell"]
    return pd.Series(np.select([c.fillna(False).to_numpy(bool) for c in conditions], choices, "enable"),
                     index=partners.index)


# -- health -------------------------------------------------------------------------------

def health(dataset, metric_table: pd.DataFrame | None, program: dict | None, period) -> pd.DataFrame:
    """partner_id, health ('healthy' | 'watch' | 'at risk'), reasons (plain words, '; '-joined)."""
    from . import metrics

    period = periods.parse(period, fy_start_month(program))
    rules = health_settings(program)
    if metric_table is None:
        metric_table = metrics.table(dataset, program, period)
    partners = dataset["partners"]["partner_id"]
    stage = stage_at(dataset, program, period)
    signal = rules["signals"]
    reasons = [
        _falling_activity(metric_table, rules["activity_metrics"], signal["falling_activity"]),
        _no_deals(dataset, stage, period, signal["no_deals_quarters"]),
        _lapsed_plan(dataset, period) if signal["lapsed_plan"] and dataset.has("business_plans") else None,
        _low_survey(dataset, period, signal["low_survey_score"]) if dataset.has("surveys") else None,
    ]
    found = (pd.concat([r for r in reasons if r is not None and len(r)])
             if any(r is not None and len(r) for r in reasons) else pd.Series(dtype="string"))
    count = found.groupby(level=0).size().reindex(partners, fill_value=0)
    text = found.groupby(level=0).agg("; ".join).reindex(partners, fill_value="")
    flag = np.select([count >= rules["at_risk_signals"], count >= 1], ["at risk", "watch"], "healthy")
    return pd.DataFrame({"partner_id": partners.to_numpy(), "health": flag, "reasons": text.to_numpy()})


def _falling_activity(table: pd.DataFrame, names: list[str], share) -> pd.Series | None:
    if share is None or share is False:
        return None
    rows = table[table["partner_id"].notna() & (table["breakdown"] == "") & table["metric"].isin(names)]
    sums = rows.groupby("partner_id")[["value", "prior_value"]].sum(min_count=1)
    falling = sums[(sums["prior_value"] > 0) & (sums["value"].fillna(0) < share * sums["prior_value"])]
    ratio = falling["value"].fillna(0) / falling["prior_value"]
    return ratio.map(lambda r: f"leading activity fell to {r:.0%} of the prior period")


def _no_deals(dataset, stage: pd.Series, period, quarters) -> pd.Series | None:
    if not quarters:
        return None
    start = period.end - pd.DateOffset(months=3 * int(quarters))
    opps = dataset["opportunities"]
    won = opps[(opps["status"] == "won") & (opps["closed_on"] > start) & (opps["closed_on"] <= period.end)]
    selling = stage[stage.isin(["sell", "grow"])].index
    quiet = selling[~selling.isin(won["partner_id"].dropna())]
    return pd.Series(f"no won deal in {int(quarters)} quarters", index=quiet, dtype="string")


def _lapsed_plan(dataset, period) -> pd.Series:
    plans = dataset["business_plans"]
    plans = plans[plans["created_on"] <= period.end]
    lapsed = set(plans.loc[plans["status"] == "lapsed", "partner_id"])
    active = set(plans.loc[plans["status"] == "active", "partner_id"])
    return pd.Series("joint business plan lapsed, none active", index=sorted(lapsed - active), dtype="string")


def _low_survey(dataset, period, below) -> pd.Series | None:
    if below is None or below is False:
        return None
    answers = dataset["surveys"]
    year = answers[(answers["answered_on"] > period.end - pd.DateOffset(years=1))
                   & (answers["answered_on"] <= period.end)]
    mean = year.groupby("partner_id")["score"].mean().astype(float)
    low = mean[mean < below]
    return low.map(lambda s: f"average survey score {s:.1f}")
