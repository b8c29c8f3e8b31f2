"""The metric catalogue, and its computation for every partner and period in one pass.

Every metric is defined once in CATALOGUE: name, label, leading or lagging, unit, the
direction that is good, the lifecycle stages it is recommended for, its formula in plain
words, and the table it comes from.

Labels and formulas are messages of the catalogue (marked `N_`): `Metric.label` stays the
English label, the key wherever data is keyed by label; people read `label(name)` and
`definition(name)`, in the language in force.

`compute` turns a Dataset into one long tidy frame
    partner_id (<NA> = the programme), period, metric, breakdown, value
for every partner and every period of the history, grouping each source table once on
(partner_id, period). Counts are 0 when the source table is present and has no rows in a
period; a value is NaN only where it is undefined (a win rate with no closed deal). A
metric whose source table is absent is not emitted: `unavailable` says why.

Partner metrics count partner-sourced deals only: a direct opportunity (no partner_id) is
in no partner's figures and not in the programme totals, which are sums over partners
(rates recomputed from those sums, never averaged).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import files, glossary, logos, membership, periods
from .i18n import N_, _
from .params import fy_start_month

BREAKDOWNS = ("segment", "product_category", "sku")  # per partner and programme
PROGRAMME_BREAKDOWNS = BREAKDOWNS + ("region",)  # region: programme level only
BROKEN_DOWN = ("revenue", "deals_won", "win_rate", "pipeline")
COLUMNS = ["partner_id", "period", "metric", "breakdown", "value"]
TABLE_COLUMNS = ["partner_id", "period", "metric", "breakdown", "value", "prior_value", "year_ago_value"]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    kind: str  # leading | lagging
    unit: str  # count | money | rate | ratio | points | days
    good: str  # up | down
    stages: tuple[str, ...]
    formula: str
    source: str  # the table it comes from; absent table -> metric not emitted

    @property
    def additive(self) -> bool:
        """Counts and amounts add up over partners; rates, points and days do not."""
        return self.unit in ("count", "money")


def _m(name, label, kind, unit, stages, formula, source, good="up") -> Metric:
    return Metric(name, label, kind, unit, good, tuple(stages.split()), formula, source)


CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in (
        # leading: activity that comes before revenue
        _m(
            "trials_started",
            N_("Trials started"),
            "leading",
            "count",
            "enable sell",
            N_("Trials and proofs of concept with started_on in the period."),
            "trials",
        ),
        _m(
            "webinars_attended",
            N_("Webinars attended"),
            "leading",
            "count",
            "recruit",
            N_("Webinar attendances (engagements of kind webinar) with occurred_on in the period."),
            "engagements",
        ),
        _m(
            "trainings_attended",
            N_("Trainings attended"),
            "leading",
            "count",
            "onboard enable",
            N_("Training attendances (engagements of kind training) with occurred_on in the period."),
            "engagements",
        ),
        _m(
            "certifications",
            N_("Certifications"),
            "leading",
            "count",
            "onboard enable sell",
            N_("Certifications earned (engagements of kind certification) with occurred_on in the period."),
            "engagements",
        ),
        _m(
            "events_attended",
            N_("Events attended"),
            "leading",
            "count",
            "",
            N_("In-person event attendances (engagements of kind in_person_event) in the period."),
            "engagements",
        ),
        _m(
            "deals_registered",
            N_("Deals registered"),
            "leading",
            "count",
            "enable sell grow",
            N_("Deal registrations with submitted_on in the period, whatever their status."),
            "deal_registrations",
        ),
        _m(
            "registered_pipeline",
            N_("Registered pipeline"),
            "leading",
            "money",
            "sell",
            N_("Amount of the deal registrations submitted in the period, rejected ones excepted."),
            "deal_registrations",
        ),
        _m(
            "opportunities_created",
            N_("Opportunities created"),
            "leading",
            "count",
            "enable",
            N_("Partner opportunities with created_on in the period."),
            "opportunities",
        ),
        _m(
            "pipeline",
            N_("Open pipeline"),
            "leading",
            "money",
            "sell grow",
            N_(
                "Amount of partner opportunities open at the period end: created on or before the "
                "last day and not closed (won or lost) by it."
            ),
            "opportunities",
        ),
        _m(
            "portal_logins",
            N_("Portal logins"),
            "leading",
            "count",
            "recruit onboard enable churned",
            N_("Sum of daily portal logins in the period."),
            "portal_activity",
        ),
        _m(
            "active_portal_users",
            N_("Active portal users"),
            "leading",
            "count",
            "recruit onboard",
            N_("Distinct portal users (contact_id) with at least one login in the period."),
            "portal_activity",
        ),
        _m(
            "portal_page_views",
            N_("Portal page views"),
            "leading",
            "count",
            "",
            N_("Sum of daily portal page views in the period."),
            "portal_activity",
        ),
        _m(
            "business_plans",
            N_("Business plans created"),
            "leading",
            "count",
            "recruit onboard",
            N_(
                "Joint business plans with created_on in the period, whatever their status now "
                "(a plan's status is known only as it stands today, so plans are counted when made)."
            ),
            "business_plans",
        ),
        _m(
            "leads_distributed",
            N_("Leads distributed"),
            "leading",
            "count",
            "",
            N_("Leads with distributed_on in the period."),
            "leads",
        ),
        _m(
            "lead_acceptance_rate",
            N_("Lead acceptance rate"),
            "leading",
            "rate",
            "sell",
            N_(
                "Of the leads distributed in the period, the share accepted (status accepted or "
                "converted, or an accepted_on date); undefined when none was distributed."
            ),
            "leads",
        ),
        _m(
            "lead_conversion_rate",
            N_("Lead conversion rate"),
            "leading",
            "rate",
            "",
            N_(
                "Of the leads distributed in the period, the share converted (status converted or a "
                "converted opportunity); undefined when none was distributed."
            ),
            "leads",
        ),
        _m(
            "mdf_requested",
            N_("MDF requested"),
            "leading",
            "money",
            "",
            N_("Market development funds asked for in requests with requested_on in the period."),
            "mdf",
        ),
        _m(
            "mdf_approved",
            N_("MDF approved"),
            "leading",
            "money",
            "",
            N_("Amount approved on the MDF requests made in the period."),
            "mdf",
        ),
        _m(
            "mdf_claimed",
            N_("MDF claimed"),
            "leading",
            "money",
            "",
            N_("Amount claimed on the MDF requests made in the period."),
            "mdf",
        ),
        _m(
            "time_to_first_deal_days",
            N_("Days to first deal"),
            "leading",
            "days",
            "enable",
            N_(
                "Days from joined_on to the closed_on of the partner's first won deal, shown for every "
                "period ending on or after that deal (undefined before it or without a join date). "
                "Programme: the average over partners whose first deal was won in the period."
            ),
            "opportunities",
            good="down",
        ),
        _m(
            "survey_responses",
            N_("Survey responses"),
            "leading",
            "count",
            "",
            N_("Survey answers with answered_on in the period."),
            "surveys",
        ),
        _m(
            "partner_nps",
            N_("Partner NPS"),
            "leading",
            "points",
            "grow",
            N_(
                "Net promoter score of the answers in the period: share of scores 9-10 minus share of "
                "scores 0-6, in points from -100 to 100; undefined without answers."
            ),
            "surveys",
        ),
        # lagging: business results
        _m(
            "opportunities_closed",
            N_("Opportunities closed"),
            "lagging",
            "count",
            "",
            N_("Partner opportunities won or lost with closed_on in the period."),
            "opportunities",
        ),
        _m(
            "deals_won",
            N_("Deals won"),
            "lagging",
            "count",
            "sell grow churned",
            N_("Partner opportunities won with closed_on in the period."),
            "opportunities",
        ),
        _m(
            "deals_lost",
            N_("Deals lost"),
            "lagging",
            "count",
            "",
            N_("Partner opportunities lost with closed_on in the period."),
            "opportunities",
            good="down",
        ),
        _m(
            "win_rate",
            N_("Win rate"),
            "lagging",
            "rate",
            "sell grow",
            N_(
                "Deals won / opportunities closed (won or lost), by closed_on in the period; "
                "undefined when none closed."
            ),
            "opportunities",
        ),
        _m(
            "revenue",
            N_("Revenue"),
            "lagging",
            "money",
            "sell grow churned",
            N_(
                "Amount of partner-sourced opportunities won with closed_on in the period "
                "(direct deals are not counted)."
            ),
            "opportunities",
        ),
        _m(
            "revenue_growth_yoy",
            N_("Revenue growth, year on year"),
            "lagging",
            "rate",
            "grow",
            N_(
                "(revenue - revenue a year earlier) / revenue a year earlier, as a fraction; undefined "
                "when the earlier revenue is 0 or before the history."
            ),
            "opportunities",
        ),
        _m(
            "revenue_growth_qoq",
            N_("Revenue growth on prior period"),
            "lagging",
            "rate",
            "",
            N_(
                "(revenue - revenue of the prior period of the same grain) / that prior revenue: quarter "
                "on quarter for quarters, month on month for months; undefined when the base is 0 or "
                "before the history."
            ),
            "opportunities",
        ),
        _m(
            "new_logos",
            N_("New logos"),
            "lagging",
            "count",
            "sell grow",
            N_(
                "Won partner opportunities with closed_on in the period that are new logos: flagged "
                "is_new_logo, or, when the source gives no is_new_logo values, the first won deal of an "
                "account (through any partner or direct); a deal without an account never is."
            ),
            "opportunities",
        ),
        _m(
            "mdf_roi",
            N_("MDF return"),
            "lagging",
            "ratio",
            "grow",
            N_(
                "Revenue of the won opportunities tied to an MDF request (mdf_request_id) with closed_on in "
                "the period / MDF paid on requests made in the period; undefined when nothing was paid."
            ),
            "mdf",
        ),
        _m(
            "partner_attrition_rate",
            N_("Partner attrition rate"),
            "lagging",
            "rate",
            "",
            N_(
                "Programme only: partners that left during the period (churned_on in it) / partners in the "
                "programme on its first day (joined before it or with no joined_on, not left before it); "
                "partners that joined during the period are not counted."
            ),
            "partners",
            good="down",
        ),
    )
}


# -- questions about a metric, answered from the catalogue ------------------------------------


def kind_of(metric: str, default: str = "leading") -> str:
    """'leading' or 'lagging' (`default` for a name not in the catalogue)."""
    m = CATALOGUE.get(metric)
    return m.kind if m else default


def unit_of(metric: str, default: str = "count") -> str:
    """count, money, rate, points or days (`default` for a name not in the catalogue)."""
    m = CATALOGUE.get(metric)
    return m.unit if m else default


def label(metric: str) -> str:
    """The label people read, in the language in force ("Win rate", "Taux de réussite"); the
    name itself for one not in the catalogue. `CATALOGUE[name].label` is the English key."""
    m = CATALOGUE.get(metric)
    return _(m.label) if m else metric


def definition(metric: str) -> str:
    """How the metric is worked out, in words a reader follows (no field names of the data),
    in the language in force; "" for a name not in the catalogue."""
    m = CATALOGUE.get(metric)
    return glossary.plain(_(m.formula)) if m else ""


def lower_is_better(metric: str) -> bool:
    """Whether the catalogue's good direction is down (deals lost, attrition)."""
    m = CATALOGUE.get(metric)
    return bool(m and m.good == "down")


# What each source table holds, as the reason "no {data} data supplied" names it.
SOURCE_WORDS = {
    "trials": N_("trials"),
    "engagements": N_("engagements"),
    "deal_registrations": N_("deal registrations"),
    "opportunities": N_("opportunities"),
    "portal_activity": N_("portal activity"),
    "business_plans": N_("business plans"),
    "leads": N_("leads"),
    "mdf": N_("mdf"),
    "surveys": N_("surveys"),
    "partners": N_("partners"),
}


def unavailable(dataset) -> dict[str, str]:
    """{metric: reason} for every metric that cannot be computed from this dataset (the
    reason in the language in force)."""
    out = {
        name: _("no {data} data supplied").format(data=_(SOURCE_WORDS.get(m.source, m.source)))
        for name, m in CATALOGUE.items()
        if not dataset.has(m.source)
    }
    if "portal_page_views" not in out and dataset["portal_activity"]["page_views"].isna().all():
        out["portal_page_views"] = _("no page_views values in portal activity")
    return out


def derived(dataset) -> dict[str, str]:
    """{metric: how it was derived} for metrics the source did not give directly: new_logos
    from account history when opportunities carry no is_new_logo values (logos.RULE)."""
    if dataset.has("opportunities") and not logos.given(dataset["opportunities"]):
        return {"new_logos": logos.RULE}
    return {}


# -- compute -----------------------------------------------------------------------------


def compute(dataset, program: dict | None = None, grain: str = "quarter") -> pd.DataFrame:
    """The long metric frame for every partner and period of the history (cached per dataset).

    The frame is shared between callers: treat it as read-only."""
    fy = fy_start_month(program)
    cache = dataset.__dict__.setdefault("_partnerbook_metrics", {})
    if (grain, fy) not in cache:
        cache[(grain, fy)] = _Computation(dataset, grain, fy).run()
    return cache[(grain, fy)]


def _divide(num: pd.Series, den: pd.Series) -> pd.Series:
    return num.astype(float) / den.astype(float).where(den != 0)


class _Computation:
    """One pass over the dataset at one grain: additive components per (partner, period),
    then metrics from them. Partners are grouped by integer code (pid: their row in the
    partners table; -1 = the programme), which is much faster than grouping on text ids."""

    CLOSED = ["opportunities_closed", "deals_won", "deals_lost", "revenue", "new_logos", "mdf_revenue"]

    def __init__(self, dataset, grain: str, fy: int) -> None:
        self.ds, self.grain, self.fy = dataset, grain, fy
        self.step = periods.GRAINS[grain]
        self.partners = dataset["partners"].reset_index(drop=True)
        self.ids = pd.Index(self.partners["partner_id"].astype(object))
        grid = periods.span(periods.earliest(dataset), periods.latest(dataset), grain, fy)
        self.keys = [p.key for p in grid]
        self.names = {p.key: p.name for p in grid}
        self.index = pd.MultiIndex.from_product([range(len(self.ids)), self.keys], names=["pid", "key"])
        self.skip = set(unavailable(dataset))
        self._deals = None

    def key(self, dates: pd.Series) -> np.ndarray:
        """Period keys as int64; -1 (outside every history) for a missing date."""
        return periods.keys(dates, self.grain, self.fy).fillna(-1).astype("int64").to_numpy()

    def rows(self, table: str) -> pd.DataFrame:
        """The rows of `table` that belong to a known partner, with their partner code."""
        frame = self.ds[table]
        pid = self.ids.get_indexer(frame["partner_id"].astype(object))
        return frame.assign(pid=pid)[pid >= 0]

    # -- sources: frames indexed by (pid, key) of additive components ---------------------
    def _count(self, table: str, date: str, **columns) -> pd.DataFrame:
        frame = self.rows(table)
        parts = frame.assign(key=self.key(frame[date]), **{k: f(frame) for k, f in columns.items()})
        return parts.groupby(["pid", "key"])[list(columns)].sum()

    def sources(self) -> list[pd.DataFrame]:
        ds, out = self.ds, [self.opportunities()]
        if ds.has("trials"):
            out.append(self._count("trials", "started_on", trials_started=lambda f: 1))
        if ds.has("engagements"):
            kinds = {
                "webinars_attended": "webinar",
                "trainings_attended": "training",
                "certifications": "certification",
                "events_attended": "in_person_event",
            }
            out.append(
                self._count(
                    "engagements",
                    "occurred_on",
                    **{
                        name: (lambda f, k=kind: (f["kind"] == k).astype(int)) for name, kind in kinds.items()
                    },
                )
            )
        if ds.has("deal_registrations"):
            out.append(
                self._count(
                    "deal_registrations",
                    "submitted_on",
                    deals_registered=lambda f: 1,
                    registered_pipeline=lambda f: f["amount"].where(f["status"] != "rejected", 0),
                )
            )
        if ds.has("portal_activity"):
            out.append(self.portal())
        if ds.has("business_plans"):
            out.append(self._count("business_plans", "created_on", business_plans=lambda f: 1))
        if ds.has("leads"):
            out.append(
                self._count(
                    "leads",
                    "distributed_on",
                    leads_distributed=lambda f: 1,
                    leads_accepted=lambda f: (
                        f["status"].isin(["accepted", "converted"]) | f["accepted_on"].notna()
                    ).astype(int),
                    leads_converted=lambda f: (
                        (f["status"] == "converted") | f["converted_opportunity_id"].notna()
                    ).astype(int),
                )
            )
        if ds.has("mdf"):
            out.append(
                self._count(
                    "mdf",
                    "requested_on",
                    mdf_requested=lambda f: f["amount_requested"],
                    mdf_approved=lambda f: f["amount_approved"],
                    mdf_claimed=lambda f: f["amount_claimed"],
                    mdf_paid=lambda f: f["amount_paid"],
                )
            )
        if ds.has("surveys"):
            out.append(
                self._count(
                    "surveys",
                    "answered_on",
                    survey_responses=lambda f: 1,
                    promoters=lambda f: (f["score"] >= 9).astype(int),
                    detractors=lambda f: (f["score"] <= 6).astype(int),
                )
            )
        return out

    def portal(self) -> pd.DataFrame:
        frame = self.rows("portal_activity")
        frame = frame.assign(
            key=self.key(frame["day"]),
            logins=frame["logins"].fillna(0).astype("int64"),
            page_views=frame["page_views"].fillna(0).astype("int64"),
        )
        sums = (
            frame.groupby(["pid", "key"])[["logins", "page_views"]]
            .sum()
            .set_axis(["portal_logins", "portal_page_views"], axis=1)
        )
        active = (
            frame[frame["logins"] > 0]
            .drop_duplicates(["pid", "key", "contact_id"])
            .groupby(["pid", "key"])
            .size()
            .rename("active_portal_users")
        )
        return sums.join(active, how="outer")

    def new_logo(self) -> pd.Series:
        """Every opportunity's new-logo flag (given, or derived over all deals, direct ones too)."""
        return logos.flags(self.ds["opportunities"])

    def deals(self) -> pd.DataFrame:
        """Partner-sourced opportunities with their components and created/closed period keys."""
        if self._deals is None:
            opps = self.rows("opportunities")
            closed = opps["status"].isin(["won", "lost"]) & opps["closed_on"].notna()
            won = closed & (opps["status"] == "won")
            self._deals = opps.assign(
                created_key=self.key(opps["created_on"]),
                closed_key=self.key(opps["closed_on"].where(closed)),
                opportunities_created=1,
                opportunities_closed=closed.astype(int),
                deals_won=won.astype(int),
                deals_lost=(closed & ~won).astype(int),
                revenue=opps["amount"].where(won, 0.0),
                new_logos=(won & self.new_logo().reindex(opps.index)).astype(int),
                mdf_revenue=opps["amount"].where(won & opps["mdf_request_id"].notna(), 0.0),
            )
        return self._deals

    def opportunities(self, by: tuple[str, ...] = ()) -> pd.DataFrame:
        deals = self.deals()
        keys = ["pid", "key", *by]
        created = deals.rename(columns={"created_key": "key"}).groupby(keys)[["opportunities_created"]].sum()
        closed = (
            deals[deals["closed_key"] >= 0]
            .rename(columns={"closed_key": "key"})
            .groupby(keys)[self.CLOSED]
            .sum()
        )
        return created.join(closed, how="outer").join(self.pipeline(deals, by), how="outer")

    def pipeline(self, deals: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.Series:
        """Open amount at each period end. A deal is open at the end of every period from the
        one it was created in up to (not including) the one it closed in; a deal still open,
        up to the last period of the history."""
        last = self.keys[-1]
        lo = np.maximum(deals["created_key"].to_numpy(), self.keys[0])
        closed_key = deals["closed_key"].to_numpy()
        hi = np.minimum(np.where(closed_key >= 0, closed_key, last + self.step) - self.step, last)
        counts = np.where(hi >= lo, (hi - lo) // self.step + 1, 0)
        rows = np.repeat(np.arange(len(deals)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        open_ = deals.iloc[rows][["pid", "amount", *by]].assign(key=lo[rows] + offsets * self.step)
        return open_.groupby(["pid", "key", *by])["amount"].sum().rename("pipeline")

    def components(self) -> pd.DataFrame:
        return pd.concat([f.reindex(self.index) for f in self.sources()], axis=1).fillna(0)

    # -- metrics --------------------------------------------------------------------------
    def run(self) -> pd.DataFrame:
        comp = self.components()
        programme = comp.groupby(level="key").sum()
        parts = [
            self.long(_derive(comp, self.step, growth=True)),
            self.long(_derive(programme, self.step, growth=True)),
            self.long(self.first_deal()),
            self.long(self.attrition()),
            *self.breakdowns(comp),
        ]
        return pd.concat(parts, ignore_index=True)

    def long(self, wide: pd.DataFrame, breakdown: pd.Series | str = "") -> pd.DataFrame:
        """Wide metrics (index with 'key', maybe 'pid') -> the long tidy rows of COLUMNS."""
        metrics = [c for c in wide.columns if c in CATALOGUE and c not in self.skip]
        n = len(wide)
        pid = wide.index.get_level_values("pid").to_numpy() if "pid" in wide.index.names else np.full(n, -1)
        key = wide.index.get_level_values("key").to_numpy()
        ids = np.append(self.ids.to_numpy(dtype=object), None)
        names = np.array([self.names.get(k) for k in key], dtype=object)
        shape = (len(metrics),)
        breakdown = (
            np.asarray(breakdown, dtype=object)
            if not isinstance(breakdown, str)
            else np.full(n, breakdown, dtype=object)
        )
        return pd.DataFrame(
            {
                "partner_id": pd.array(np.tile(ids[pid], shape), dtype="string"),
                "period": pd.array(np.tile(names, shape), dtype="string"),
                "metric": pd.array(np.repeat(np.array(metrics, dtype=object), n), dtype="string"),
                "breakdown": pd.array(np.tile(breakdown, shape), dtype="string"),
                "value": wide[metrics].to_numpy(dtype="float64").reshape(-1, order="F"),
            }
        )

    def first_deal(self) -> pd.DataFrame:
        """time_to_first_deal_days: partners from their first win on; the programme's cohort."""
        deals = self.deals()
        first = deals[deals["deals_won"] == 1].groupby("pid")["closed_on"].min()
        days = (first - self.partners["joined_on"].reindex(first.index)).dt.days.astype("float64")
        first_key = pd.Series(self.key(first), index=first.index)
        pid = self.index.get_level_values("pid")
        reached = self.index.get_level_values("key") >= first_key.reindex(pid).fillna(np.inf).to_numpy()
        partner = pd.DataFrame(
            {"time_to_first_deal_days": np.where(reached, days.reindex(pid).to_numpy(), np.nan)},
            index=self.index,
        )
        cohort = pd.DataFrame({"key": first_key, "days": days}).dropna().groupby("key")["days"].mean()
        programme = pd.DataFrame(
            {"time_to_first_deal_days": cohort.reindex(self.keys).to_numpy()},
            index=pd.MultiIndex.from_arrays([np.full(len(self.keys), -1), self.keys], names=["pid", "key"]),
        )
        return pd.concat([partner, programme])

    def attrition(self) -> pd.DataFrame:
        """partner_attrition_rate, programme only, for every period: membership.attrition_rate
        (left during the period / in the programme on its first day)."""
        rates = [
            membership.attrition_rate(self.partners, periods.from_key(key, self.grain, self.fy))
            for key in self.keys
        ]
        return pd.DataFrame({"partner_attrition_rate": rates}, index=pd.Index(self.keys, name="key"))

    def breakdowns(self, comp: pd.DataFrame) -> list[pd.DataFrame]:
        """revenue, deals_won, win_rate, pipeline by segment, product category and SKU (partner
        and programme; only the combinations that occur) and by region (programme)."""
        out = []
        for dim in BREAKDOWNS:
            part = self.opportunities(by=(dim,)).fillna(0)
            part = part[part.index.get_level_values("key").isin(self.keys)]
            prog = part.groupby(level=["key", dim]).sum()
            for frame in (part, prog):
                wide = _derive(frame, self.step)[list(BROKEN_DOWN)]
                labels = f"{dim}=" + wide.index.get_level_values(dim).astype(str)
                out.append(self.long(wide, labels))
        region = self.partners["region"].astype(object).fillna("").to_numpy()
        by_region = comp.assign(region=region[comp.index.get_level_values("pid")])
        prog = by_region.groupby([by_region.index.get_level_values("key"), "region"]).sum()
        wide = _derive(prog, self.step)[list(BROKEN_DOWN)]
        out.append(self.long(wide, "region=" + wide.index.get_level_values("region").astype(str)))
        return out


def _derive(comp: pd.DataFrame, step: int, growth: bool = False) -> pd.DataFrame:
    """Metrics from additive components (same rule for a partner and for the programme)."""
    has = comp.columns
    out = comp[[c for c in has if c in CATALOGUE]].copy()
    ratios = {
        "win_rate": ("deals_won", "opportunities_closed"),
        "lead_acceptance_rate": ("leads_accepted", "leads_distributed"),
        "lead_conversion_rate": ("leads_converted", "leads_distributed"),
        "mdf_roi": ("mdf_revenue", "mdf_paid"),
    }
    for name, (num, den) in ratios.items():
        if num in has and den in has:
            out[name] = _divide(comp[num], comp[den])
    if "survey_responses" in has:
        out["partner_nps"] = 100 * _divide(comp["promoters"] - comp["detractors"], comp["survey_responses"])
    if growth:
        out["revenue_growth_yoy"] = _growth(comp["revenue"], 12)
        out["revenue_growth_qoq"] = _growth(comp["revenue"], step)
    return out


def _growth(revenue: pd.Series, lag: int) -> pd.Series:
    """(revenue - revenue `lag` months earlier) / that; NaN when the base is 0 or missing."""
    names = list(revenue.index.names)
    earlier = revenue.rename_axis(names).reset_index()
    earlier["key"] = earlier["key"] + lag
    base = earlier.set_index(names)["revenue"].reindex(revenue.index)
    return (revenue - base) / base.where(base != 0)


# -- one period, and the CSV --------------------------------------------------------------


def table(dataset, program: dict | None, period) -> pd.DataFrame:
    """The metrics.csv frame of one period: value, prior_value and year_ago_value beside it."""
    fy = fy_start_month(program)
    period = periods.parse(period, fy)
    frame = compute(dataset, program, period.grain)
    known = set(frame["period"].unique())
    on = ["partner_id", "metric", "breakdown"]

    def values(p: periods.Period, column: str) -> pd.DataFrame:
        return (
            frame[frame["period"] == p.name]
            .drop(columns="period")
            .assign(partner_id=lambda f: f["partner_id"].fillna(""))  # ids are never empty
            .rename(columns={"value": column})
        )

    out = (
        values(period, "value")
        .merge(values(period.prior(), "prior_value"), on=on, how="left")
        .merge(values(period.year_ago(), "year_ago_value"), on=on, how="left")
    )
    additive = out["metric"].map(lambda m: CATALOGUE[m].additive)
    for column, p in (("prior_value", period.prior()), ("year_ago_value", period.year_ago())):
        if p.name in known:  # a breakdown with no rows then was 0, not unknown
            out[column] = out[column].where(~(additive & out[column].isna()), 0.0)
    return (
        out.assign(
            partner_id=lambda f: f["partner_id"].mask(f["partner_id"] == ""),
            period=lambda f: pd.array([period.name] * len(f), dtype="string"),
        )
        .sort_values(["partner_id", "metric", "breakdown"], na_position="first", kind="stable")
        .reset_index(drop=True)[TABLE_COLUMNS]
    )


def write_csv(period=None, data=None, mapping=None, program=None, out=None) -> Path:
    """Compute the metric table of `period` (default: last complete quarter) and write it to
    outputs/<period>/metrics.csv (or `out`), atomically. `program`: the loaded programme
    (`programme.load`, the fiscal year; the caller loads it: programme sits above metrics)."""
    from . import importer, paths

    dataset = importer.load(data, mapping=mapping)
    fy = fy_start_month(program)
    period = periods.parse(period, fy) if period else periods.last_complete_quarter(dataset, fy)
    frame = table(dataset, program, period)
    out = Path(out) if out else paths.period_outputs(period.name) / "metrics.csv"
    return files.write_text(out, frame.to_csv(index=False, na_rep=""))
