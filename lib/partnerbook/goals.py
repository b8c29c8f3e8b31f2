"""Goals: the company's values, business objectives, channel goals and how they line up.

Read from params/program.yaml (sections `values`, `objectives`, `channel_goals`):

    goals.values(program)          # the short list shown on every partner report
    goals.objectives(program)      # one row per objective (validated)
    goals.channel_goals(program)   # one row per channel goal
    goals.alignment(program)       # channel goal x objective matrix of 0/1
    goals.flags(program)           # objectives with no metric, no goal behind them, no value
    goals.progress(metric_table, program, period="2026-Q2")  # each objective's actual against
                                   # its target in the period reported (no period: every period)

Partner targets and attainment live in `partnerbook.targets`; `goals.channel(targets, program,
period)` sets the partner targets against each channel goal.
Plots: plot_alignment (heat map) and plot_waterfall (baseline to target for one partner).
"""

from __future__ import annotations

import functools
import html as _html
import math
import weakref

import pandas as pd
from babel.lists import format_list

from . import display, i18n, lifecycle, membership, metrics, numbers, periods, programme, tables, tiers
from .errors import ParamsError
from .i18n import N_, _, ngettext, pgettext
from .metrics import CATALOGUE
from .params import fy_start_month
from .programme.goals import DERIVED, GRAINS, KINDS, TEXT_INPUTS  # noqa: F401 - goals.DERIVED, goals.KINDS...
from .targets import MONTHS, WORKINGS, basis_of, status_label, trailing_quarters, working_headers, workings

DERIVED_UNITS = {
    "channel_roi": "ratio",
    "cost_of_sales": "rate",
    "market_share": "rate",
    "segment_share": "rate",
    "product_share": "rate",
}


def catalogue() -> dict[str, tuple[str, str]]:
    """Metric name -> (kind 'leading'|'lagging', unit), from partnerbook.metrics.CATALOGUE."""
    return {name: (m.kind, m.unit) for name, m in CATALOGUE.items()}


def unit_of(metric: str) -> str:
    if metric in DERIVED_UNITS:
        return DERIVED_UNITS[metric]
    return metrics.unit_of(metric)


def values(program: dict) -> list[str]:
    """The company's values, in the order given (shown on every partner report)."""
    return list(programme.section_of(program, "values"))


def check(program: dict) -> None:
    """Validate every goals section (values, objectives, channel_goals, targets) at once,
    so a run can stop with exit 2 before any work: raises ParamsError naming the key
    (partnerbook.programme checks the whole file)."""
    programme.of(program)


def objectives(program: dict) -> pd.DataFrame:
    """One row per business objective: id, name, kind, metric, target, period, grain (of an
    objective without period: 'quarter' unless given), value, inputs."""
    cols = ["id", "name", "kind", "metric", "target", "period", "grain", "value", "inputs"]
    rows = [
        {c: getattr(o, c) for c in cols} | {"target": _number(o.target), "inputs": dict(o.inputs)}
        for o in programme.section_of(program, "objectives")
    ]
    return pd.DataFrame(rows, columns=cols).astype({"target": "float64"})


def _number(value) -> float:
    return math.nan if value is None else float(value)


def channel_goals(program: dict) -> pd.DataFrame:
    """One row per channel goal: id, name, metric, target (per grain), grain, supports."""
    cols = ["id", "name", "metric", "target", "grain", "supports"]
    rows = [
        {c: getattr(g, c) for c in cols} | {"supports": list(g.supports)}
        for g in programme.section_of(program, "channel_goals")
    ]
    return pd.DataFrame(rows, columns=cols)


def alignment(program: dict) -> pd.DataFrame:
    """Channel goals (rows, by name) x objectives (columns, by name): 1 where the goal supports it."""
    objs, goals = objectives(program), channel_goals(program)
    matrix = pd.DataFrame(
        0,
        index=pd.Index(goals["name"], name="channel goal"),
        columns=pd.Index(objs["name"], name="objective"),
    )
    names = dict(zip(objs["id"], objs["name"]))
    for goal_name, supports in zip(goals["name"], goals["supports"]):
        for ref in supports:
            matrix.loc[goal_name, names[ref]] = 1
    return matrix


def flags(program: dict) -> pd.DataFrame:
    """Objectives that break the method: no metric, no channel goal behind them, no value named.

    One row per problem: objective (id), name, flag (a sentence in the language in force)."""
    objs, goals = objectives(program), channel_goals(program)
    backed = {ref for refs in goals["supports"] for ref in refs}
    rows = []
    for o in objs.to_dict("records"):
        if not o["metric"]:
            rows.append((o["id"], o["name"], _("names no metric, so it cannot be measured")))
        if o["id"] not in backed:
            rows.append((o["id"], o["name"], _("has no channel goal behind it")))
        if not o["value"]:
            rows.append((o["id"], o["name"], _("names none of the company's values")))
        if math.isnan(o["target"]):
            rows.append((o["id"], o["name"], _("has no target")))
    return pd.DataFrame(rows, columns=["objective", "name", "flag"])


def _partner_revenue(metric_table: pd.DataFrame, period: str) -> float:
    """The programme's partner revenue in `period`: its own row when the table has one (in a
    prior period that is the programme's revenue then, not today's members'), else the sum over
    partners."""
    rows = _rows(metric_table, period, "revenue")
    programme = rows[rows["partner_id"].isna()]["value"].dropna()
    if len(programme):
        return float(programme.iloc[0])
    partner_rows = rows[rows["partner_id"].notna()]
    if len(partner_rows):
        return float(partner_rows["value"].sum())
    return float(rows["value"].sum()) if len(rows) else math.nan


def _breakdown_revenue(metric_table: pd.DataFrame, period: str, breakdown: str) -> float:
    """Partner revenue in one breakdown (segment=ENT, product_category=Security): the
    programme's row, else the sum over partners; 0 when no deal of it was won."""
    rows = metric_table[
        (metric_table["period"] == period)
        & (metric_table["metric"] == "revenue")
        & (metric_table["breakdown"].fillna("") == breakdown)
    ]
    programme = rows[rows["partner_id"].isna()]["value"].dropna()
    return float(programme.iloc[0]) if len(programme) else float(rows["value"].fillna(0).sum())


def _rows(metric_table: pd.DataFrame, period: str, metric: str) -> pd.DataFrame:
    breakdown = metric_table["breakdown"].fillna("") if "breakdown" in metric_table else ""
    return metric_table[
        (metric_table["period"] == period) & (metric_table["metric"] == metric) & (breakdown == "")
    ]


_MEASURED: dict[tuple, tuple] = {}  # see measure


def measure(
    metric_table: pd.DataFrame, metric: str, period: str, inputs: dict | None = None, fy_start_month: int = 1
) -> float:
    """The programme's value of `metric` in `period`: the programme row when there is one,
    else the sum over partners (counts and money); derived measures from partner revenue.
    A year with no rows of its own is the sum of its quarters (counts and money only).

    Worked out once per table (the same frame, not an equal one), measure, period and inputs:
    the goals page and the stories ask for the same objectives several times each, and each
    answer filters the whole history (a third of the goals page's CPU)."""
    try:
        key = (id(metric_table), metric, period, frozenset((inputs or {}).items()), fy_start_month)
    except TypeError:  # an input that cannot be a key
        return _measure(metric_table, metric, period, inputs, fy_start_month)
    known = _MEASURED.get(key)
    if known is not None and known[0]() is metric_table:
        return known[1]
    value = _measure(metric_table, metric, period, inputs, fy_start_month)
    if len(_MEASURED) >= 4096:
        _MEASURED.clear()
    _MEASURED[key] = (weakref.ref(metric_table), value)
    return value


def _measure(
    metric_table: pd.DataFrame, metric: str, period: str, inputs: dict | None, fy_start_month: int
) -> float:
    inputs = inputs or {}
    if not (metric_table["period"] == period).any():
        return _from_quarters(metric_table, metric, period, inputs, fy_start_month)
    if metric in DERIVED:
        revenue = _partner_revenue(metric_table, period)
        if metric == "channel_roi":
            return revenue * inputs["gross_margin"] / inputs["programme_costs"]
        if metric == "cost_of_sales":
            return inputs["programme_costs"] / revenue if revenue else math.nan
        if metric == "segment_share":
            part = _breakdown_revenue(metric_table, period, f"segment={inputs['segment']}")
            return part / revenue if revenue else math.nan
        if metric == "product_share":
            return (
                _breakdown_revenue(metric_table, period, f"product_category={inputs['product_category']}")
                / inputs["product_sales"]
            )
        return revenue / inputs["market_size"]
    rows = _rows(metric_table, period, metric)
    programme = rows[rows["partner_id"].isna()]["value"].dropna()
    if len(programme):
        return float(programme.iloc[0])
    if unit_of(metric) in ("count", "money") and len(rows):
        return float(rows["value"].sum())
    return math.nan


def _from_quarters(metric_table, metric, period, inputs, fy_start_month) -> float:
    whole = periods.parse(period, fy_start_month)
    if whole.grain != "year" or (unit_of(metric) not in ("count", "money") and metric not in DERIVED):
        return math.nan
    names = [q.name for q in periods.span(whole.start, whole.end, "quarter", fy_start_month)]
    rows = metric_table[metric_table["period"].isin(names)]
    if rows["period"].nunique() < len(names):
        return math.nan  # part of the year is missing: no honest total
    summed = (
        rows.assign(breakdown=rows["breakdown"].fillna(""))
        .groupby(["partner_id", "metric", "breakdown"], dropna=False, as_index=False)["value"]
        .sum(min_count=1)
        .assign(period=period)
    )
    return measure(summed, metric, period, inputs, fy_start_month)


def measured_in(objective: dict, period: str = "", fy_start_month: int = 1) -> str:
    """The period an objective is measured in: its own `period`, or with none the period
    reported when it has the objective's grain (a quarterly objective is not compared with a
    year); '' when the objective is not measured in the period reported."""
    own = str(objective.get("period") or "")
    if own or not period:
        return "" if own and period and own != period else own
    grain = objective.get("grain") or "quarter"
    return period if periods.parse(period, fy_start_month=fy_start_month).grain == grain else ""


def share_of_target(actual: float, target: float, metric: str) -> float:
    """actual / target; where lower is better (cost of sales, deals lost, attrition: the
    catalogue's `good` is 'down'), target / actual. NaN when undefined."""
    if lower_is_better(metric):
        return target / actual if actual else math.nan
    return actual / target if target else math.nan


def lower_is_better(metric: str) -> bool:
    return metric == "cost_of_sales" or getattr(CATALOGUE.get(metric), "good", "up") == "down"


def measure_objective(
    metric_table: pd.DataFrame, objective: dict, period: str, fy_start_month: int = 1
) -> tuple[float, str]:
    """An objective's actual in `period` (see `measure`) and, when it has none, why in words:
    no metric, an input of a derived measure not given, no partner revenue, no data."""
    metric, inputs = objective.get("metric"), objective.get("inputs") or {}
    if not metric:
        return math.nan, _("no metric")
    lacking = tuple(
        key
        for key in DERIVED.get(metric, ())
        if not (str(inputs.get(key) or "").strip() if key in TEXT_INPUTS else _above_zero(inputs.get(key)))
    )
    if lacking:
        return math.nan, _not_given(lacking)
    actual = measure(metric_table, metric, period, inputs, fy_start_month)
    if not math.isnan(actual):
        return actual, ""
    if metric in DERIVED:
        revenue = measure(metric_table, "revenue", period, fy_start_month=fy_start_month)
        said = _("no partner revenue in {period}") if revenue == 0 else _("no revenue figure for {period}")
        return actual, said.format(period=periods.label_for_people(period, fy_start_month))
    return actual, _("no data for {period}").format(period=periods.label_for_people(period, fy_start_month))


def _not_given(keys: tuple[str, ...]) -> str:
    """Why a derived measure has no value: the inputs of DERIVED it lacks, in words."""
    said = {
        ("programme_costs",): _("no programme costs given"),
        ("gross_margin",): _("no gross margin given"),
        ("programme_costs", "gross_margin"): _("no programme costs or gross margin given"),
        ("market_size",): _("no market size given"),
        ("segment",): _("no segment given"),
        ("product_category",): _("no product category given"),
        ("product_sales",): _("no product sales given"),
        ("product_category", "product_sales"): _("no product category or product sales given"),
    }
    return said[keys]


def _not_measured(objective: dict, period: str) -> str:
    """Why an objective is not measured in `period`: set for another period, or per another grain."""
    if objective["period"]:
        return _("set for {period}").format(period=periods.label_for_people(objective["period"]))
    if not period:
        return _("no period given")
    return {"quarter": _("set per quarter"), "year": _("set per year"), "month": _("set per month")}.get(
        objective["grain"], objective["grain"]
    )


def _above_zero(number) -> bool:
    return not isinstance(number, bool) and isinstance(number, (int, float)) and number > 0


def progress(metric_table: pd.DataFrame, program: dict, period: str = "") -> pd.DataFrame:
    """Each objective's actual against its target: id, name, metric, period (where it is
    measured), target, actual, attainment (`share_of_target`), reason (why there is no actual).

    `period` is the period reported: an objective without a period of its own is measured in
    it, one with a period only in that period (another period's objective is not measured).
    Without `period`, each objective is measured in its own period and one with none is not."""
    rows = []
    for o in objectives(program).to_dict("records"):
        when = measured_in(o, period, fy_start_month(program))
        if when:
            actual, reason = measure_objective(metric_table, o, when, fy_start_month(program))
        else:
            actual, reason = math.nan, _not_measured(o, period)
        rows.append(
            {
                "id": o["id"],
                "name": o["name"],
                "metric": o["metric"],
                "period": when or o["period"],
                "target": o["target"],
                "actual": actual,
                "attainment": share_of_target(actual, o["target"], o["metric"]),
                "reason": reason,
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "name", "metric", "period", "target", "actual", "attainment", "reason"]
    )


# ---- tables for people (text formatted by each row's unit) ---------------------------------


def format_value(value, metric: str, currency: str, reason: str = "") -> str:
    """`value` as text by the unit of `metric` (a ratio as 3.10×; a rate or a score in points with
    one decimal, as every programme page shows them: 55.5%, +3.7); '— (reason)' when missing."""
    unit = unit_of(metric)
    if one_decimal(metric):
        return finer(value, unit, currency, reason)
    if unit == "ratio":
        return (
            numbers.missing(reason) if numbers.is_missing(value) else numbers.decimal(float(value), 2) + "×"
        )
    if unit == "count" and not numbers.is_missing(value) and float(value) != round(float(value)):
        return numbers.decimal(float(value), 1)
    return numbers.by_unit(value, unit, currency, reason=reason)


WHOLE_RATES = ("revenue_growth_yoy", "revenue_growth_qoq", "partner_attrition_rate")  # changes, shares: whole


def one_decimal(metric: str) -> bool:
    """True for a measure every programme page shows with one decimal, the story, the goals page
    and the dashboard alike: a rate (win rate 51.5%) or a score in points (NPS +3.7); growth and
    attrition, relative changes and shares of partners, stay whole (+15%, 9%)."""
    return unit_of(metric) in ("rate", "points") and metric not in WHOLE_RATES


def finer(value, unit: str, currency: str = "USD", reason: str = "") -> str:
    """`value` with one decimal more than its unit usually shows: 0.0764 -> '7.6%' ('7,6 %'),
    12.25 points -> '+12.3', a ratio 3.004 -> '3.004×'; money stays whole ('$8,500,000')."""
    if numbers.is_missing(value):
        return numbers.missing(reason)
    value = float(value)
    if unit == "rate":
        return numbers.percent(value, digits=1)
    if unit == "ratio":
        return numbers.decimal(value, 3) + "×"
    if unit == "points":
        return ("+" if value > 0 else "") + numbers.decimal(value, 1)
    if unit == "money":
        return numbers.money(value, currency)
    return numbers.decimal(value, 1)


def _as_shown(value: float, unit: str) -> float:
    """`value` rounded as `format_value` shows it (a rate to a tenth of a percent, a score to a tenth
    of a point, a ratio to 2 decimals)."""
    digits = {"rate": 3, "ratio": 2, "points": 1}.get(unit, 0)
    return numbers.half_up(float(value), digits)


def hides_standing(actual, target, metric: str) -> bool:
    """True when the actual and the target, rounded as shown, would hide the difference their status
    word rests on: they read the same although they differ (8% against 8%), or the rounded figures
    give another word than the exact ones (7.6% against 8.0% is 'close'; 8% against 8% would be
    'met'). Such figures are shown with one decimal more (`finer`)."""
    if numbers.is_missing(actual) or numbers.is_missing(target) or not target:
        return False
    unit = unit_of(metric)
    shown_actual, shown_target = _as_shown(actual, unit), _as_shown(target, unit)
    if shown_actual == shown_target and float(actual) != float(target):
        return True
    exact = standing_of(share_of_target(float(actual), float(target), metric))
    return exact != standing_of(share_of_target(shown_actual, shown_target, metric))


def figures(actual, target, metric: str, currency: str = "USD", reason: str = "") -> tuple[str, str]:
    """(actual, target) as text that agrees with the status word beside them: as `format_value`
    writes them, or both with one decimal more when rounding would hide the difference the word
    rests on (`hides_standing`): '7.6%' and '8.0%', not '8%' and '8%', for a 'close'."""
    if hides_standing(actual, target, metric):
        unit = unit_of(metric)
        return finer(actual, unit, currency, reason), finer(target, unit, currency)
    return format_value(actual, metric, currency, reason), format_value(target, metric, currency)


def share_text(share, reason: str = "") -> str:
    """A share of target as a percentage that agrees with its status word: whole ('92%') unless
    rounding would move it across a threshold of `standing_of` (0.996 reads '100%' but is 'close':
    '99.6%'; 0.897 reads '90%' but is 'behind': '89.7%')."""
    if numbers.is_missing(share):
        return numbers.missing(reason)
    return numbers.percent(share, digits=1 if share_hides_standing(share) else 0)


EXTREME_ATTAINMENT = 3.0  # above 300% of its target, a target is far below what the partner achieves


def attainment_text(share, reason: str = "", *, for_partner: bool = False) -> str:
    """A partner's attainment as every page prints it: the real figure ('154%'), and above
    EXTREME_ATTAINMENT a flag: for us (the dashboard, the internal partner page) '2,136% (target
    far below the actual result: check the target)'; on the edition sent to the partner
    (`for_partner`) only '2,136% (well above target)'. '— (reason)' when there is none."""
    if numbers.is_missing(share):
        return numbers.missing(reason)
    if float(share) > EXTREME_ATTAINMENT:
        flag = (
            _("{share} (well above target)")
            if for_partner
            else _("{share} (target far below the actual result: check the target)")
        )
        return flag.format(share=numbers.percent(share))
    return numbers.percent(share)


def share_hides_standing(share) -> bool:
    """True when `share`, rounded to a whole percent, would cross a threshold of `standing_of`."""
    if numbers.is_missing(share):
        return False
    return standing_of(float(share)) != standing_of(numbers.half_up(float(share), 2))


def objective_summary(
    metric_table: pd.DataFrame, program: dict, currency: str = "USD", period: str = ""
) -> pd.DataFrame:
    """Objectives with their value, metric, period, target, actual and attainment, as text for
    people. `period`: the period reported (see `progress`); a missing figure says why."""
    objs = objectives(program).set_index("id")
    got = progress(metric_table, program, period).set_index("id")
    no_target = [_("no target") if numbers.is_missing(t) or not t else "" for t in got["target"]]
    shown = [
        (format_value(a, m, currency, r), format_value(t, m, currency, n))
        if n or numbers.is_missing(a)
        else figures(a, t, m, currency, r)
        for a, t, m, r, n in zip(got["actual"], objs["target"], objs["metric"], got["reason"], no_target)
    ]
    return pd.DataFrame(
        {
            "objective": objs["name"],
            "kind": objs["kind"].str.replace("_", " "),
            "serves value": objs["value"],
            "metric": objs["metric"],
            "period": [
                periods.label_for_people(p, fy_start_month(program)) if isinstance(p, str) and p else p
                for p in got["period"]
            ],
            "target": [t for _a, t in shown],
            "actual": [a for a, _t in shown],
            "attainment": [
                share_text(v, reason=r or t or _("no data"))
                for v, r, t in zip(got["attainment"], got["reason"], no_target)
            ],
        }
    ).reset_index(drop=True)


def channel_summary(view: pd.DataFrame, currency: str = "USD") -> pd.DataFrame:
    """The channel view (targets.channel) as text: goal, partner targets, gap."""
    return pd.DataFrame(
        {
            "channel goal": view["name"],
            "metric": view["metric"],
            "supports": view["supports"],
            "goal": [format_value(v, m, currency) for v, m in zip(view["goal_target"], view["metric"])],
            "partner targets": [
                format_value(v, m, currency) for v, m in zip(view["partner_targets"], view["metric"])
            ],
            "partners": view["partners"],
            "gap": [format_value(v, m, currency) for v, m in zip(view["gap"], view["metric"])],
            "gap share": [numbers.percent(v, signed=True) for v in view["gap_share"]],
        }
    )


def targets_summary(
    frame: pd.DataFrame, partners: pd.DataFrame | None = None, currency: str = "USD"
) -> pd.DataFrame:
    """Every partner's targets with their workings as text (the goals page table): partner,
    name, tier, stage, metric, then targets.WORKINGS as targets.workings writes them (the
    partner page's workings are the same text). A factor that does not apply says 'n/a'."""
    names = (
        {}
        if partners is None
        else dict(zip(partners["partner_id"].astype(str), partners["name"].astype(str)))
    )
    tiers = (
        {}
        if partners is None
        else dict(zip(partners["partner_id"].astype(str), partners["tier"].astype(str)))
    )
    shown = workings(frame, currency)
    return pd.DataFrame(
        {
            "partner": frame["partner_id"].to_numpy(),
            "name": frame["partner_id"].map(names).fillna("").to_numpy(),
            "tier": frame["partner_id"].map(tiers).fillna("").to_numpy(),
            "stage": frame["stage"].to_numpy(),
            "metric": frame["metric"].to_numpy(),
            **{key: shown[key].to_numpy() for key in WORKINGS},
        }
    )


def attainment_summary(att: pd.DataFrame) -> pd.DataFrame:
    """Partners per metric by status: while the period runs, by pacing status (ahead, on pace,
    behind); once it is complete (`closed`), by where they ended against target, as
    `standing_of` says (met, close, behind); then no data, no target."""
    if closed(att):
        paced = att["status"].isin(["ahead", "on pace", "behind"])
        ended = [standing_of(a) if p else s for a, p, s in zip(att["attainment"], paced, att["status"])]
        att, order = att.assign(status=ended), ["met", "close", "behind", "no data", "no target"]
    else:
        order = ["ahead", "on pace", "behind", "no data", "no target"]
    counts = att.groupby(["metric", "status"]).size().unstack("status", fill_value=0)
    return counts.reindex(columns=[c for c in order if c in counts.columns]).reset_index()


def closed(att: pd.DataFrame | None) -> bool:
    """True when the attainment is measured on the whole period (its `elapsed` is 1 throughout)."""
    return att is not None and len(att) > 0 and bool((att["elapsed"] >= 1).all())


NO_FOCUS = N_(
    "No partner has a computed target this period (a target needs a baseline from the "
    "metrics of its stage, and this data has none), so there is no waterfall to show."
)


def focus_row(frame: pd.DataFrame, partner_id: str = "", metric: str = "revenue") -> pd.Series | None:
    """The target row for the waterfall: `partner_id`'s `metric` (else its largest target);
    with no partner named, the largest `metric` target in the frame; None when no partner
    has a computed target (NO_FOCUS says so)."""
    rows = frame.dropna(subset=["target", "baseline"])
    if rows.empty and not partner_id:
        return None
    if partner_id:
        mine = rows[rows["partner_id"] == partner_id]
        if mine.empty:
            known = ", ".join(sorted(rows["partner_id"].unique())[:8])
            raise ParamsError(
                f"focus_partner: {partner_id!r} has no computed target this period "
                f"(allowed: a partner id such as {known})"
            )
        pick = mine[mine["metric"] == metric]
        return (pick if len(pick) else mine).sort_values("target", ascending=False).iloc[0]
    pick = rows[rows["metric"] == metric]
    return (pick if len(pick) else rows).sort_values("target", ascending=False).iloc[0]


# ---- plots (seaborn style: data first, ax=None, returns the Axes) -----------------------------


def plot_alignment(matrix: pd.DataFrame, *, ax=None, **kwargs):
    """Heat map of the alignment matrix (channel goals x objectives)."""
    import matplotlib.pyplot as plt  # noqa: PLC0415 - plotting libraries load only when a chart is drawn
    import seaborn as sns  # noqa: PLC0415 - plotting libraries load only when a chart is drawn

    if ax is None:
        _fig, ax = plt.subplots(figsize=(1.2 * max(len(matrix.columns), 3) + 3, 0.5 * len(matrix) + 2))
    options = {
        "cmap": "Blues",
        "cbar": False,
        "linewidths": 0.5,
        "linecolor": "white",
        "vmin": 0,
        "vmax": 1,
        "annot": matrix.replace({1: "✓", 0: ""}),
        "fmt": "",
    }
    sns.heatmap(matrix.astype(float), ax=ax, **{**options, **kwargs})
    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="right")
    ax.set_xlabel(_("business objective"))
    ax.set_ylabel(_headers()["channel goal"])
    ax.set_title(_("Which channel goal supports which business objective"))
    return ax


WATERFALL_STEPS = (
    ("growth", "growth"),
    ("capacity", "capacity"),
    ("margin_adj", "margin"),
    ("mix_adj", "product mix"),
    ("attach_adj", "add-on attach"),
    ("maturity", "vendor maturity"),
)


def step_label(step: str) -> str:
    """A step of `waterfall` ('baseline', 'growth', ..., 'target') as readers see it."""
    labels = {
        "baseline": pgettext("target step", "baseline"),
        "growth": pgettext("target step", "growth"),
        "capacity": pgettext("target step", "capacity"),
        "margin": pgettext("target step", "margin"),
        "product mix": pgettext("target step", "product mix"),
        "add-on attach": pgettext("target step", "add-on attach"),
        "vendor maturity": pgettext("target step", "vendor maturity"),
        "target": pgettext("target step", "target"),
    }
    return labels.get(step, step)


def waterfall(row: pd.Series | dict) -> pd.DataFrame:
    """The steps from baseline to target for one target row: step (a key: `step_label` for
    readers), start, change, end."""
    row = dict(row)
    level, steps = float(row["baseline"]), [("baseline", 0.0, float(row["baseline"]), float(row["baseline"]))]
    for column, label in WATERFALL_STEPS:
        factor = 1 + float(row[column]) if column == "growth" else float(row[column])
        new = level * factor
        steps.append((label, level, new - level, new))
        level = new
    steps.append(("target", 0.0, float(row["target"]), float(row["target"])))
    return pd.DataFrame(steps, columns=["step", "start", "change", "end"])


def plot_waterfall(row: pd.Series | dict, *, ax=None, currency: str = ""):
    """Waterfall from a target's baseline to the target, one bar per factor, each labelled;
    drawn as SVG (`charts.plot_waterfall`), or into `ax`."""
    from . import charts  # noqa: PLC0415 - matplotlib: here, so the runner and the dashboard do without it

    steps = waterfall(row)
    metric = str(row["metric"])
    measure_name = label_of(metric).lower()
    return charts.plot_waterfall(
        [
            (step_label(s).capitalize(), a, b, s in ("baseline", "target"))
            for s, a, b in zip(steps["step"], steps["start"], steps["end"])
        ],
        fmt=_axis_label(metric, currency),
        integer=unit_of(metric) != "rate",
        title=_("{partner}: {measure} from baseline to target").format(
            partner=row["partner_id"], measure=measure_name
        ),
        ax=ax,
    )


def _axis_label(metric: str, currency: str):
    unit = unit_of(metric)

    def text(value: float, signed: bool = False) -> str:
        sign = "+" if signed and value > 0 else ""
        if unit == "money":
            shown = sign + numbers.money(value, currency or "USD", compact=True)
        elif unit == "rate":
            shown = numbers.percent(value, digits=1, signed=signed)
        else:
            shown = sign + numbers.decimal(value, 1)
        return shown.replace("-", "−")  # one minus sign style, as in the text

    return text


def with_target(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (partner_id, metric, target...) whose partner has a target: one above zero.
    A target of zero asks nothing: it counts under 'no target', as `targets.attainment`'s status
    does, so the channel table and the attainment table count the same partners (`TARGET_RULE`)."""
    return frame[pd.to_numeric(frame["target"], errors="coerce") > 0]


TARGET_RULE = N_(
    "A partner counts as having a target for a measure when that target is above zero: a target of "
    "zero asks nothing and counts under “no target”, in the channel table and in the attainment table alike."
)


def channel(targets_frame: pd.DataFrame, program: dict, period) -> pd.DataFrame:
    """Each channel goal against the partner targets that serve it (same metric).

    The goal is scaled from its grain to the period's for counts and money; partner
    targets are summed (counts, money) or averaged (rates). gap = goal - partners' total
    (positive: the partners' targets fall short; the channel needs more capacity).
    Columns: goal, name, metric, supports, goal_target, partner_targets, partners (with a target
    above zero: `with_target`), gap, gap_share."""
    if isinstance(period, str):
        period = periods.parse(period, fy_start_month=fy_start_month(program))
    rows = []
    for g in channel_goals(program).to_dict("records"):
        mine = with_target(targets_frame[targets_frame["metric"] == g["metric"]])["target"]
        additive = unit_of(g["metric"]) in ("count", "money")
        goal = g["target"] * MONTHS[period.grain] / MONTHS[g["grain"]] if additive else g["target"]
        total = float(mine.sum()) if additive else (float(mine.mean()) if len(mine) else math.nan)
        rows.append(
            {
                "goal": g["id"],
                "name": g["name"],
                "metric": g["metric"],
                "supports": ", ".join(g["supports"]),
                "goal_target": goal,
                "partner_targets": total,
                "partners": int(len(mine)),
                "gap": goal - total,
                "gap_share": (goal - total) / goal if goal else math.nan,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "goal",
            "name",
            "metric",
            "supports",
            "goal_target",
            "partner_targets",
            "partners",
            "gap",
            "gap_share",
        ],
    )


# ---- the goals page: its finding first, plain labels, partner targets collapsed --------------

DERIVED_LABELS = {
    "channel_roi": N_("Channel ROI"),
    "cost_of_sales": N_("Cost of sales"),
    "market_share": N_("Market share"),
    "segment_share": N_("Share of partner revenue in a segment"),
    "product_share": N_("Channel share of a product's sales"),
}


def label_of(metric: str) -> str:
    """A metric's label for people ('Revenue', 'New logos', 'Channel ROI'), never its id; the
    catalogue's through metrics.label, the derived measures' here, in the language in force."""
    if metric in DERIVED_LABELS:
        return _(DERIVED_LABELS[metric])
    if metric in CATALOGUE:
        return metrics.label(metric)
    return str(metric).replace("_", " ").capitalize()


def channel_findings(
    view: pd.DataFrame, targets_frame: pd.DataFrame | None, currency: str = "USD", period: str = ""
) -> list[str]:
    """One sentence per channel goal: the partners' targets against it, the gap, and what closing
    it needs (more partners at the median target, or more from each partner with a target). With an
    `actual` column (`with_actuals`), the sentence starts from the period's actual and reconciles it
    with the targets, so the page never says "short" of a goal the channel beat, nor "no gap" when
    the actual is behind. In the language in force, each a whole sentence of the catalogue."""
    return [
        _finding(
            g, targets_frame, functools.partial(format_value, metric=g["metric"], currency=currency), period
        )
        for g in view.to_dict("records")
    ]


def _finding(g: dict, targets_frame, fmt, period: str) -> str:
    measure_name = label_of(g["metric"]).lower()
    said = {"measure": measure_name, "goal": g["name"], "target": fmt(g["goal_target"])}
    if not g["partners"]:
        return _(
            "No partner has a {measure} target this period, so nothing backs the goal “{goal}” ({target})."
        ).format(**said)
    if unit_of(g["metric"]) not in ("count", "money"):
        return _(
            "The partners' {measure} targets average {average} against the goal “{goal}” of {target}."
        ).format(average=fmt(g["partner_targets"]), **said)
    actual = g.get("actual")
    if actual is not None and not pd.isna(actual):
        return _reconciled(g, actual, fmt, said, targets_frame, period)
    said |= {"total": fmt(g["partner_targets"])}
    if g["gap"] <= 0:
        return _(
            "Partner targets add up to {total} against the goal “{goal}” of {target}: {over} more than it "
            "asks."
        ).format(over=fmt(-g["gap"]), **said)
    return _(
        "Partner targets add up to {total} against the goal “{goal}” of {target}: {gap} ({share}) short. "
        "Closing it needs more selling capacity: {how}."
    ).format(gap=fmt(g["gap"]), share=_pct(g["gap_share"]), how=_closing(g, targets_frame, fmt), **said)


def _pct(share: float) -> str:
    return numbers.percent(share)


def _closing(g: dict, targets_frame: pd.DataFrame, fmt) -> str:
    """What closing a targets' shortfall needs: more partners at the median target, or more from
    each partner with a target; 'more partners, or more from each' when neither can be counted."""
    mine = with_target(targets_frame[targets_frame["metric"] == g["metric"]])["target"]
    median = float(mine.median())
    more = math.ceil(g["gap"] / median) if median > 0 else None
    need = (
        ngettext(
            "about {n} more partner at the median target of {median}",
            "about {n} more partners at the median target of {median}",
            more,
        ).format(n=numbers.count(more), median=fmt(median))
        if more
        else ""
    )
    partners = int(g["partners"])
    each = (
        ngettext(
            "{share} more from each of the {n} partner with a target",
            "{share} more from each of the {n} partners with a target",
            partners,
        ).format(share=_pct(g["gap"] / g["partner_targets"]), n=numbers.count(partners))
        if g["partner_targets"] > 0
        else ""
    )
    if need and each:
        return _("{more_partners}, or {more_from_each}").format(more_partners=need, more_from_each=each)
    return need or each or _("more partners, or more from each")


def _reconciled(g: dict, actual: float, fmt, said: dict, targets_frame, period: str) -> str:
    """The actual against the goal first, then the partner targets against both: one of six
    whole sentences (beat, met, close to or behind the goal, as `standing_of` says; targets short of
    it or not)."""
    goal, total = g["goal_target"], g["partner_targets"]
    said = {
        **said,
        "actual": fmt(actual),
        "total": fmt(total),
        "when": _("in {period}").format(period=periods.label_for_people(period))
        if period
        else _("this period"),
    }
    verdict = "behind" if actual < goal else ("met" if actual == goal else "beat")
    if verdict == "behind" and goal and standing_of(actual / goal) == "close":
        verdict = "close"  # the status word the table beside it shows (standing_of)
    if verdict in ("behind", "close"):
        said |= {
            "behind": fmt(goal - actual),
            "behind_share": _pct((goal - actual) / goal) if goal else numbers.DASH,
        }
    if g["gap"] > 0:
        said |= {"gap": fmt(g["gap"]), "share": _pct(g["gap_share"]), "how": _closing(g, targets_frame, fmt)}
        if verdict in ("beat", "met"):  # an order of size: 939,479 -> 939,500 (the table has the exact gap)
            said["gap"] = fmt(numbers.half_up(g["gap"], -2) if g["gap"] >= 10_000 else g["gap"])
        return _SHORT[verdict]().format(**said)
    return _BACKED[verdict]().format(over=fmt(-g["gap"]), **said)


# The six sentences of `_reconciled`, by how the actual stands against the goal, as functions so
# that each is looked up in the language in force when it is said.
_SHORT = {
    "beat": lambda: _(
        "Actual {measure}, {actual}, beat the goal “{goal}” ({target}) {when}, but the partner targets set for it "
        "add up to only {total}: targets are set from each partner's trailing results adjusted for capacity, "
        "margin, mix and our maturity, so the goal relies on partners beating their targets, as they did {when}. "
        "For the partner targets to cover the goal, they would need {gap} more: {how}."
    ),
    "met": lambda: _(
        "Actual {measure}, {actual}, met the goal “{goal}” ({target}) {when}, but the partner targets set for it "
        "add up to only {total}: targets are set from each partner's trailing results adjusted for capacity, "
        "margin, mix and our maturity, so the goal relies on partners beating their targets, as they did {when}. "
        "For the partner targets to cover the goal, they would need {gap} more: {how}."
    ),
    "behind": lambda: _(
        "Actual {measure}, {actual}, is behind the goal “{goal}” ({target}) {when} by {behind} ({behind_share}), "
        "and the partner targets set for it add up to only {total}, {gap} ({share}) short of it. Closing it "
        "needs more selling capacity: {how}."
    ),
    "close": lambda: _(
        "Actual {measure}, {actual}, is close to the goal “{goal}” ({target}) {when}, {behind} ({behind_share}) "
        "short, and the partner targets set for it add up to only {total}, {gap} ({share}) short of it. Closing "
        "it needs more selling capacity: {how}."
    ),
}
_BACKED = {
    "beat": lambda: _(
        "Actual {measure}, {actual}, beat the goal “{goal}” ({target}) {when}; the partner targets set for it "
        "add up to {total}, {over} more than it asks."
    ),
    "met": lambda: _(
        "Actual {measure}, {actual}, met the goal “{goal}” ({target}) {when}; the partner targets set for it "
        "add up to {total}, {over} more than it asks."
    ),
    "behind": lambda: _(
        "Actual {measure}, {actual}, is behind the goal “{goal}” ({target}) {when} by {behind} ({behind_share}), "
        "although the partner targets set for it add up to {total}, more than it asks: the gap is in reaching "
        "the targets, not in setting them."
    ),
    "close": lambda: _(
        "Actual {measure}, {actual}, is close to the goal “{goal}” ({target}) {when}, {behind} ({behind_share}) "
        "short, although the partner targets set for it add up to {total}, more than it asks: the gap is in "
        "reaching the targets, not in setting them."
    ),
}


def with_actuals(view: pd.DataFrame, metric_table: pd.DataFrame | None, period: str) -> pd.DataFrame:
    """`view` with `actual`: the programme's value of each goal's measure in `period` (`measure`)."""
    if metric_table is None or metric_table.empty:
        return view.assign(actual=math.nan)
    return view.assign(actual=[measure(metric_table, m, period) for m in view["metric"]])


# ---- headers and words of the goals page -------------------------------------------------------


def _headers() -> dict[str, str]:
    """The goals page's column keys -> the headers readers see, in the language in force."""
    return {
        "channel goal": pgettext("goals page", "channel goal"),
        "measure": pgettext("goals page", "measure"),
        "goal": pgettext("goals page", "goal"),
        "actual": pgettext("goals page", "actual"),
        "actual against goal": pgettext("goals page", "actual against goal"),
        "partner targets": pgettext("goals page", "partner targets"),
        "partners": pgettext("goals page", "partners"),
        "gap": pgettext("goals page", "gap"),
        "targets short of goal": pgettext("goals page", "targets short of goal"),
        "objective": pgettext("goals page", "objective"),
        "kind": pgettext("goals page", "kind"),
        "serves value": pgettext("goals page", "serves value"),
        "period": pgettext("goals page", "period"),
        "target": pgettext("goals page", "target"),
        "attainment": pgettext("goals page", "attainment"),
        "supports": pgettext("goals page", "supports"),
        "flag": pgettext("goals page", "flag"),
        "step": pgettext("goals page", "step"),
        "start": pgettext("goals page", "start"),
        "change": pgettext("goals page", "change"),
        "end": pgettext("goals page", "end"),
        "baseline": pgettext("goals page", "baseline"),
        "growth": pgettext("goals page", "growth"),
        "capacity": pgettext("goals page", "capacity"),
        "margin": pgettext("goals page", "margin"),
        "mix": pgettext("goals page", "mix"),
        "attach": pgettext("goals page", "attach"),
        "maturity": pgettext("goals page", "maturity"),
        "source": pgettext("goals page", "source"),
        "Tier": pgettext("goals page", "Tier"),
        "Partners now": pgettext("goals page", "Partners now"),
        "Under the rules": pgettext("goals page", "Under the rules"),
        "Would move up": pgettext("goals page", "Would move up"),
        "Would move down": pgettext("goals page", "Would move down"),
        "Partner": pgettext("goals page", "Partner"),
        "Tier now": pgettext("goals page", "Tier now"),
        "Move": pgettext("goals page", "Move"),
        "Why": pgettext("goals page", "Why"),
    }


def _for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the goals page's headers in the language in force (other columns as they are)."""
    names = _headers()
    return frame.rename(columns=lambda c: names.get(c, c))


def _shown(*keys: str) -> list[str]:
    """Column keys as `_for_people` names them (for `display.table`'s numeric and formats)."""
    names = _headers()
    return [names.get(k, k) for k in keys]


def kind_label(kind: str) -> str:
    """An objective's kind ('sales_growth') as readers see it ('sales growth'; 'croissance des ventes')."""
    labels = {
        "market_expansion": pgettext("objective kind", "market expansion"),
        "new_product_launch": pgettext("objective kind", "new product launch"),
        "sales_growth": pgettext("objective kind", "sales growth"),
        "strategic_advantage": pgettext("objective kind", "strategic advantage"),
        "channel_roi": pgettext("objective kind", "channel ROI"),
        "cost_of_sales": pgettext("objective kind", "cost of sales"),
        "market_share": pgettext("objective kind", "market share"),
    }
    return labels.get(kind, str(kind).replace("_", " "))


def _separator() -> str:
    """'; ' between the items of a list in a cell (' ; ' in French)."""
    return pgettext("list separator", "; ")


# ---- the goals page, section by section ------------------------------------------------------


def channel_table(view: pd.DataFrame, program: dict, currency: str = "USD") -> pd.DataFrame:
    """The channel view for people: goal, measure, goal target, the period's actual and where it
    stands (when `view` has `actual`), partner targets, partners, targets' gap (the objectives
    each supports are on the page's alignment list). Headers in the language in force."""
    no_targets = numbers.missing(_("no targets"))
    table = pd.DataFrame(
        {
            "channel goal": view["name"],
            "measure": [label_of(m) for m in view["metric"]],
            "goal": [format_value(v, m, currency) for v, m in zip(view["goal_target"], view["metric"])],
        }
    )
    if "actual" in view:
        shown = [
            figures(v, g, m, currency, _("no data"))
            if g
            else (format_value(v, m, currency, _("no data")), "")
            for v, g, m in zip(view["actual"], view["goal_target"], view["metric"])
        ]
        table["goal"] = [t or goal for (_a, t), goal in zip(shown, table["goal"])]
        table["actual"] = [a for a, _t in shown]
        table["actual against goal"] = [
            _standing(a, g, m) for a, g, m in zip(view["actual"], view["goal_target"], view["metric"])
        ]
    table = table.assign(
        **{
            "partner targets": [
                format_value(v, m, currency, _("no targets")) if p else no_targets
                for v, m, p in zip(view["partner_targets"], view["metric"], view["partners"])
            ],
            "partners": view["partners"],
            "gap": [
                _gap(v, m, currency) if p else no_targets
                for v, m, p in zip(view["gap"], view["metric"], view["partners"])
            ],
        }
    ).rename(columns={"gap": "targets short of goal"} if "actual" in view else {})
    return _for_people(table)


def _standing(actual: float, goal: float, metric: str) -> str:
    """'110% · met' / '33% · behind'; '—' with a reason when there is no actual."""
    if actual is None or pd.isna(actual):
        return numbers.missing(_("no data"))
    if not goal:
        return _("no goal")
    share = share_of_target(actual, goal, metric)
    word = {
        "met": pgettext("goal standing", "met"),
        "close": pgettext("goal standing", "close"),
        "behind": pgettext("goal standing", "behind"),
    }[standing_of(share)]
    return f"{share_text(share)} · {word}"


CLOSE = 0.9  # at 90% or more of its target (but below it), an objective or a goal is "close"


def standing_of(share: float | None) -> str:
    """The one rule for an objective's or a goal's status, on the story and the goals page alike:
    'met' at 100% of its target or more, 'close' from 90%, 'behind' below; '' without a share."""
    if share is None or numbers.is_missing(share):
        return ""
    return "met" if share >= 1 else ("close" if share >= CLOSE else "behind")


def _gap(gap: float, metric: str, currency: str) -> str:
    """A shortfall as a number; targets above the goal as 'none (5 over)'."""
    if gap > 0:
        return format_value(gap, metric, currency)
    if gap == 0:
        return pgettext("gap", "none")
    return _("none ({over} over)").format(over=format_value(-gap, metric, currency))


def membership_line(partners: pd.DataFrame, period):
    """The page's first line: the partners in the programme at the period's end
    (`membership.at_end`, the count the story and the dashboard give), those that left during it
    named apart in a sentence of their own."""
    n = int(membership.at_end(partners, period).sum())
    gone = partners[membership.left_during(partners, period)]
    names = [str(r.get("name") or r["partner_id"]) for r in gone.to_dict("records")]
    first = display.paragraph(
        ngettext(
            "Period **{period}**: {n} partner in the programme at its end ({end}).",
            "Period **{period}**: {n} partners in the programme at its end ({end}).",
            n,
        ),
        period=periods.label_for_people(period, period.fy_start_month),
        n=numbers.count(n),
        end=numbers.date(period.end),
    )
    if not names:
        return first
    left = ngettext(
        "{n} partner left the programme during the period: {names}.",
        "{n} partners left the programme during the period: {names}.",
        len(names),
    )
    return display.join(first, display.paragraph(left, n=numbers.count(len(names)), names=", ".join(names)))


def no_targets_reason(targets_frame: pd.DataFrame | None, period: str) -> str:
    """Why a goals page has no partner targets to show ('' when it has some)."""
    if targets_frame is not None and len(targets_frame.dropna(subset=["target"])):
        return ""
    return _(
        "No partner targets were computed for {period}: no partner in the programme has a target metric "
        "for its lifecycle stage (program.yaml targets.metrics) with enough data behind it, so the "
        "channel goals below stand without partner targets."
    ).format(period=periods.label_for_people(period))


def channel_section(
    targets_frame: pd.DataFrame | None,
    program: dict,
    period,
    currency: str = "USD",
    metric_table: pd.DataFrame | None = None,
):
    """The goals page's first section: its finding in sentences, then the table. With
    `metric_table` (the history: period, partner_id, metric, breakdown, value) each goal is also
    set against the period's actual."""
    frame = (
        targets_frame
        if targets_frame is not None
        else pd.DataFrame(columns=["partner_id", "metric", "target", "baseline"])
    )
    name = getattr(period, "name", str(period))
    view = channel(frame, program, period)
    if metric_table is not None:
        view = with_actuals(view, metric_table, name)
    reason = no_targets_reason(targets_frame, name)
    said = (
        [display.note(reason)]
        if reason
        else [display.paragraph(s) for s in channel_findings(view, frame, currency, name)]
    )
    numeric = _shown("goal", "actual", "partner targets", "partners", "gap", "targets short of goal")
    return display.join(
        *said,
        display.cards(display.table(channel_table(view, program, currency), numeric=numeric)),
        None if reason else display.note(_(TARGET_RULE)),
    )


def objectives_table(
    metric_table: pd.DataFrame, program: dict, currency: str = "USD", period: str = ""
) -> pd.DataFrame:
    """`objective_summary` for people: the measure's label instead of its id, the kind in words,
    the headers in the language in force."""
    table = objective_summary(metric_table, program, currency, period)
    return _for_people(
        table.assign(
            metric=[label_of(m) for m in table["metric"]],
            kind=[kind_label(k) for k in objectives(program)["kind"]],
        ).rename(columns={"metric": "measure"})
    )


def objectives_finding(metric_table: pd.DataFrame, program: dict, period: str = "") -> str:
    """The objectives in one sentence: how many were met, how many are close, how many are behind
    (`standing_of`, the story's scorecard rule) and how many have no attainment in `period` (not
    measured in it, no data, no target): 'In 2026-Q3: 1 objective met; 1 objective close;
    2 objectives behind; 1 objective not assessed.'; '' when the programme sets no objectives."""
    got = progress(metric_table, program, period)
    if got.empty:
        return ""
    standings = [standing_of(a) for a in got["attainment"]]
    met, close, behind = (standings.count(k) for k in ("met", "close", "behind"))
    parts = [
        ngettext("{n} objective met", "{n} objectives met", met).format(n=numbers.count(met)),
        ngettext("{n} objective close", "{n} objectives close", close).format(n=numbers.count(close)),
        ngettext("{n} objective behind", "{n} objectives behind", behind).format(n=numbers.count(behind)),
    ]
    if not close:
        del parts[1]  # 'close' is said only when there is one: '2 objectives met; 1 objective behind'
    unmeasured = len(got) - met - close - behind
    if unmeasured:
        parts.append(
            ngettext("{n} objective not assessed", "{n} objectives not assessed", unmeasured).format(
                n=numbers.count(unmeasured)
            )
        )
    when = _("In {period}: {counts}.") if period else _("Objectives: {counts}.")
    return when.format(
        period=periods.label_for_people(period, fy_start_month(program)) if period else "",
        counts=_separator().join(parts),
    )


def objectives_section(metric_table: pd.DataFrame, program: dict, currency: str = "USD", period: str = ""):
    """The business objectives: how many were met in a sentence, then each with its measure,
    target, actual and attainment."""
    finding = objectives_finding(metric_table, program, period)
    table = display.cards(
        display.table(
            objectives_table(metric_table, program, currency, period),
            numeric=_shown("period", "target", "actual", "attainment"),
        )
    )
    return display.join(display.paragraph(finding), table) if finding else table


def alignment_table(program: dict) -> pd.DataFrame:
    """Each channel goal and the objectives it supports, by name (the alignment as a list)."""
    matrix = alignment(program)
    return _for_people(
        pd.DataFrame(
            {
                "channel goal": matrix.index,
                "supports": [
                    _separator().join(c for c in matrix.columns if row[c]) or "—"
                    for _row, row in matrix.iterrows()
                ],
            }
        )
    )


def flags_table(program: dict) -> pd.DataFrame:
    """`flags` without ids: the objective's name and the flag."""
    found = flags(program)
    return _for_people(found[["name", "flag"]].rename(columns={"name": "objective"})) if len(found) else found


def flags_section(program: dict):
    """The objectives that break the method, or a note that none does."""
    found = flags_table(program)
    if len(found):
        return display.table(found)
    return display.note(_("Every objective has a measure, a target, a channel goal behind it and a value."))


def attainment_table(att: pd.DataFrame | None) -> pd.DataFrame:
    """`attainment_summary` with the measures' labels, the statuses and headers in the language in force."""
    if att is None or att.empty:
        return _for_people(pd.DataFrame(columns=["measure"]))
    table = attainment_summary(att)
    table = table.assign(metric=[label_of(m) for m in table["metric"]]).rename(columns={"metric": "measure"})
    return _for_people(table).rename(columns=_standing_label if closed(att) else status_label)


def _standing_label(status: str) -> str:
    """met, close, behind (`standing_of`) as readers see them; the other statuses as `status_label`."""
    words = {
        "met": pgettext("goal standing", "met"),
        "close": pgettext("goal standing", "close"),
        "behind": pgettext("goal standing", "behind"),
    }
    return words.get(status) or status_label(status)


def attainment_section(att: pd.DataFrame | None):
    """ "Attainment so far" while the period runs (partners per measure by pacing status), or
    "Attainment" once it is complete (by where they ended: met, close, behind), with the
    sentence that says which (`attainment_table`); then the rule that says which partners have a
    target (`TARGET_RULE`, the channel table's too)."""
    if closed(att):
        head = display.heading(_("Attainment"))
        said = _(
            "Partners by status for each measure at the period's end: met at {met} of target or more, "
            "close from {close}, behind below."
        )
    else:
        head = display.heading(_("Attainment so far"))
        said = _(
            "Partners by pacing status for each measure: actual against target, against the share of the "
            "period elapsed."
        )
    return display.join(
        head,
        display.paragraph(said, met=numbers.percent(1), close=numbers.percent(CLOSE)),
        display.cards(display.table(attainment_table(att))),
        display.note(_(TARGET_RULE)),
    )


def focus_section(
    targets_frame: pd.DataFrame | None,
    partner_id: str = "",
    currency: str = "USD",
    partners: pd.DataFrame | None = None,
):
    """One partner's target from baseline to target (chart and table), or why there is none."""
    focus = focus_row(targets_frame, partner_id) if targets_frame is not None else None
    if focus is None:
        return display.note(_(NO_FOCUS))
    label = label_of(str(focus["metric"])).lower()
    names = (
        {}
        if partners is None
        else dict(zip(partners["partner_id"].astype(str), partners["name"].astype(str)))
    )
    who = names.get(str(focus["partner_id"]), str(focus["partner_id"]))
    unit = "money" if unit_of(str(focus["metric"])) == "money" else "count"
    step = target_step(focus) if unit == "money" else None
    steps = waterfall(focus) if step is None else rounded_waterfall(focus, step)
    steps = steps.assign(step=lambda d: d["step"].map(step_label).str.capitalize())
    return display.join(
        display.paragraph(_("**{who}**: {label} from baseline to target."), who=who, label=label),
        display.figure(
            plot_waterfall(focus, currency=currency).figure,
            alt=_(
                "Waterfall of the {label} target above, from baseline to target, one bar per factor"
            ).format(label=label),
        ),
        display.table(
            _for_people(steps),
            formats=dict(zip(_shown("start", "change", "end"), [unit] * 3)),
            currency=currency,
        ),
        None if step is None else display.note(_(ROUNDED_STEPS), step=numbers.money(step, currency)),
    )


ROUNDED_STEPS = N_(
    "Amounts rounded to the nearest {step}, as the target is; each change is the difference between "
    "the rounded amounts, so the steps add up to the target."
)


def target_step(row: pd.Series | dict) -> float:
    """The step a money target was rounded to (`targets`: the step its figures come in, 100, 10 or
    1, never above a tenth of the target): the largest that turns the product of its columns (the
    last level of `waterfall`) into the target; 1 when none does (a target set by hand)."""
    target, product = float(row["target"]), float(waterfall(row)["end"].iloc[-2])
    for step in (100.0, 10.0):
        if step <= target / 10 and math.floor(product / step + 0.5 + 1e-9) * step == target:
            return step
    return 1.0


def rounded_waterfall(row: pd.Series | dict, step: float) -> pd.DataFrame:
    """`waterfall` with every level rounded half up to `step` (`target_step`: as the target is) and
    each change the difference between the rounded levels, so the steps a reader adds up come to
    the rounded levels and, at the end, to the target."""
    exact = waterfall(row)
    levels = [math.floor(v / step + 0.5 + 1e-9) * step for v in exact["end"].iloc[:-1]]
    starts = [0.0, *levels[:-1]]
    target = float(row["target"])
    return pd.DataFrame(
        {
            "step": exact["step"],
            "start": [*starts, 0.0],
            "change": [b - a for a, b in zip(starts, levels)] + [target],
            "end": [*levels, target],
        }
    )


def targets_details(
    targets_frame: pd.DataFrame | None,
    partners: pd.DataFrame,
    currency: str = "USD",
    csv: str = "targets.csv",
):
    """Every partner's targets, collapsed per partner (`<details>`), its targets in the summary
    line and its factors inside; targets.csv linked for the whole table."""
    anchor = f'<a href="{_html.escape(csv)}">{_html.escape(csv)}</a>'
    link = (
        "<p>" + _html.escape(_("All targets with their factors: {link}.")).replace("{link}", anchor) + "</p>"
    )
    if targets_frame is None or targets_frame.empty:
        return display.join(display.note(_("No partner targets were computed this period.")))
    table = targets_summary(targets_frame, partners, currency).assign(
        metric=lambda d: d["metric"].map(label_of)
    )
    blocks = []
    # columns dropped and renamed once for the whole table, not once per partner
    headers = working_headers()
    shown = _for_people(
        table.drop(columns=["partner", "name", "tier", "stage"])
        .rename(columns=headers)
        .rename(columns={"metric": "measure"})
    )
    numeric = [headers[k] for k in WORKINGS if k not in ("basis", "source")]
    for (pid, rows), (_key, own) in zip(
        table.groupby("partner", sort=False), shown.groupby(table["partner"], sort=False)
    ):
        first = rows.iloc[0]
        head = _("{partner} ({tier}, {stage}): {targets}").format(
            partner=first["name"] or pid,
            tier=first["tier"],
            stage=tables.stage_label(first["stage"]),
            targets=_separator().join(f"{m} {t}" for m, t in zip(rows["metric"], rows["target"])),
        )
        inner = display.cards(display.table(own, numeric=numeric)).data
        blocks.append(f'<details class="pb-targets"><summary>{_html.escape(head)}</summary>{inner}</details>')
    return display.join(display.HTML(link + "".join(blocks)))


def backtest_section(backtest: pd.DataFrame):
    """The health rules' backtest (lifecycle.backtest) as a table, its flags and headers in the
    language in force; precision and recall say why when they cannot be worked out."""
    names = lifecycle.backtest_headers()
    counts = ("Flagged", "Followed by a drop or departure", "Drops and departures", "Caught", "Missed")
    formats = {**{names[c]: "count" for c in counts}, names["Precision"]: "rate", names["Recall"]: "rate"}
    reasons = {names["Precision"]: _("nothing flagged"), names["Recall"]: _("no drops or departures")}
    return display.cards(
        display.table(lifecycle.backtest_for_people(backtest), formats=formats, reasons=reasons)
    )


# -- tier rules on history -----------------------------------------------------------------


def tier_what_if(
    program: dict, partners: pd.DataFrame, history: pd.DataFrame, period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The programme's tier rules (program.yaml `tiers`) applied to the partners' results over
    the rules' window ending with `period`: per tier, how many partners hold it now and how many
    would earn it, how many would move up and down; and the partners that would move, each with
    why (the criteria of its tier it falls short of, or that it meets the higher tier's). A partner
    that left the programme during `period` holds no tier: it is left out (`tier_leavers`).
    Two empty frames when the programme sets no tier rules."""
    levels, window = tiers.rules(program)
    if not levels:
        return pd.DataFrame(), pd.DataFrame()
    when = periods.parse(period, fy_start_month(program))
    quarters = [q.name for q in periods.last(when, window)]
    staying = partners[~membership.left_during(partners, when)]
    moves = tiers.what_if(levels, window, staying, history, quarters)
    window = _window_span(quarters, fy_start_month(program))
    rows = [
        {
            "Tier": level.name,
            "Partners now": int((moves["tier"] == level.name).sum()),
            "Under the rules": int((moves["earned"] == level.name).sum()),
            "Would move up": int(((moves["tier"] == level.name) & (moves["move"] == "up")).sum()),
            "Would move down": int(((moves["tier"] == level.name) & (moves["move"] == "down")).sum()),
        }
        for level in reversed(levels)
    ]
    currency = programme.section_of(program, "program").currency
    movers = (
        moves[moves["move"].isin(["up", "down"])]
        .assign(Why=lambda d: [_why_move(r, currency, window) for r in d.to_dict("records")])
        .rename(columns={"name": "Partner", "tier": "Tier now", "earned": "Under the rules", "move": "Move"})
        .sort_values(["Move", "Partner"], kind="stable")[
            ["Partner", "Tier now", "Under the rules", "Move", "Why"]
        ]
    )
    return pd.DataFrame(rows), movers.reset_index(drop=True)


def tier_review(program: dict, partners: pd.DataFrame, history: pd.DataFrame, period) -> dict:
    """What the story says of the tier rules (program.yaml `tiers`) over the rules' window ending
    with `period`: window (its label), quarters (how many), review (the next review's day: the end
    of the quarter after `period`), up (how many would move up) and tiers, top tier first, each
    with tier, now, down, certifications (of those down, how many only because they earned no
    `tiers.HELD` count in the window, as the goals page's reasons say 'Certifications earned …: 0'),
    held (of those, how many hold one earned before the window) and lower ({tier: n} of those that would fall two
    tiers or more, by the tier they would fall to). {} without tier rules."""
    levels, window = tiers.rules(program)
    if not levels:
        return {}
    fy = fy_start_month(program)
    when = periods.parse(period, fy)
    quarters = [q.name for q in periods.last(when, window)]
    staying = partners[~membership.left_during(partners, when)]
    moves = tiers.what_if(levels, window, staying, history, quarters)
    names = [x.name for x in levels]
    following = periods.of(when.end + pd.Timedelta(days=1), "quarter", fy)
    rows = []
    for level in reversed(levels):
        mine = moves[moves["tier"] == level.name]
        down = mine[mine["move"] == "down"]
        lower: dict[str, int] = {}
        for earned in down["earned"]:
            if names.index(level.name) - names.index(earned) >= 2:
                lower[earned] = lower.get(earned, 0) + 1
        rows.append(
            {
                "tier": level.name,
                "now": len(mine),
                "down": len(down),
                "certifications": sum(_only_earned(unmet) for unmet in down["unmet"]),
                "held": sum(_only_held(unmet) for unmet in down["unmet"]),
                "lower": lower,
            }
        )
    return {
        "window": _window_label(quarters, fy),
        "quarters": len(quarters),
        "review": following.end,
        "up": int((moves["move"] == "up").sum()),
        "tiers": rows,
    }


def _only_earned(unmet: list[dict]) -> bool:
    """True when every criterion a partner misses is a `tiers.HELD` count it earned none of in the
    window (whether or not it holds one from before)."""
    return bool(unmet) and all(
        c["metric"] in tiers.HELD and (numbers.is_missing(c["value"]) or c["value"] == 0) for c in unmet
    )


def _only_held(unmet: list[dict]) -> bool:
    """True when every criterion a partner misses is a `tiers.HELD` count it earned none of in the
    window though it holds at least one (a certification earned earlier)."""
    return bool(unmet) and all(
        c["metric"] in tiers.HELD
        and c.get("held") is not None
        and not numbers.is_missing(c["held"])
        and c["held"] > 0
        and (numbers.is_missing(c["value"]) or c["value"] == 0)
        for c in unmet
    )


def _window_span(quarters: list[str], fy_start: int) -> tuple[str, str]:
    """The rules' first and last quarters as people read them: ('2025-Q4', '2026-Q3')."""
    first, last = (periods.label_for_people(q, fy_start) for q in (quarters[0], quarters[-1]))
    return str(first), str(last)


def _window_label(quarters: list[str], fy_start: int) -> str:
    """The rules' window as people read it: '2025-Q4–2026-Q3' ('T4 2025–T3 2026')."""
    first, last = (periods.label_for_people(q, fy_start) for q in (quarters[0], quarters[-1]))
    return str(last) if first == last else _("{first}–{last}").format(first=first, last=last)


def _why_move(move: dict, currency: str, window: tuple[str, str] | None = None) -> str:
    """Why a partner would move: 'Revenue $12,400 (Gold needs $50,000)' for each criterion of its
    tier now it falls short of (one down); 'meets every Silver criterion' (one up)."""
    if move["move"] == "up":
        return _("meets every {tier} criterion").format(tier=move["earned"])
    return _separator().join(_short_of(c, move["tier"], currency, window) for c in move["unmet"])


def _short_of(criterion: dict, tier: str, currency: str, window: tuple[str, str] | None = None) -> str:
    """One criterion not met, the value and what the tier needs side by side: 'Revenue $115,900
    (Silver needs $135,000)'; a count held longer than the window (tiers.HELD; its first and last
    quarters) always says it was earned in the window and how many are held, 0 included, so one
    label reads the same for every partner and the story's count: 'Certifications earned
    2025-Q4–2026-Q3: 0 (Gold needs 1; holds 3)'; without a value, 'Certifications: no data (Gold
    needs 5)'."""
    metric = criterion["metric"]
    said = {
        "measure": label_of(metric),
        "tier": tier,
        "floor": format_value(criterion["minimum"], metric, currency),
    }
    if numbers.is_missing(criterion["value"]):
        return _("{measure}: no data ({tier} needs {floor})").format(**said)
    said["value"] = format_value(criterion["value"], metric, currency)
    held = criterion.get("held")
    if metric in tiers.HELD and window:  # one label whether or not it holds one: 'earned <window>'
        first, last = window
        if held is None or numbers.is_missing(held):
            if first == last:
                return _("{measure} earned in {period}: {value} ({tier} needs {floor})").format(
                    **said, period=last
                )
            return _("{measure} earned {first}–{last}: {value} ({tier} needs {floor})").format(
                **said, first=first, last=last
            )
        said["held"] = format_value(held, metric, currency)
        if first == last:
            return _("{measure} earned in {period}: {value} ({tier} needs {floor}; holds {held})").format(
                **said, period=last
            )
        return _("{measure} earned {first}–{last}: {value} ({tier} needs {floor}; holds {held})").format(
            **said, first=first, last=last
        )
    return _("{measure} {value} ({tier} needs {floor})").format(**said)


def tier_leavers(partners: pd.DataFrame, period, fy_start: int = 1):
    """The note saying which partners the tier table leaves out and why, in one sentence: those that
    left the programme during `period` (None when none did)."""
    when = periods.parse(period, fy_start)
    gone = partners[membership.left_during(partners, when)]
    if gone.empty:
        return None
    names = [str(r.get("name") or r["partner_id"]) for r in gone.to_dict("records")]
    sentence = ngettext(
        "{n} partner that left the programme during the period ({names}) is left out: a partner that "
        "has left holds no tier.",
        "{n} partners that left the programme during the period ({names}) are left out: a partner that "
        "has left holds no tier.",
        len(names),
    )
    return display.note(sentence, n=numbers.count(len(names)), names=", ".join(names))


def _tier_windows(program: dict, period):
    """Which window the table measures (the one that closed with `period`) and which the next review
    will (moved on by one quarter, tiers.next_window), so its figures are not read as what a partner
    page says the next review still needs."""
    _levels, window = tiers.rules(program)
    fy = fy_start_month(program)
    when = periods.parse(period, fy)
    quarters = [q.name for q in periods.last(when, window)]
    following = periods.of(when.end + pd.Timedelta(days=1), "quarter", fy)
    said = ngettext(
        "Figures over the last {n} quarter ({window}). The next review, on {date}, measures the window moved "
        "on by one quarter ({next}): each partner's page says what it still needs for that review.",
        "Figures over the last {n} quarters ({window}). The next review, on {date}, measures the window moved "
        "on by one quarter ({next}): each partner's page says what it still needs for that review.",
        window,
    )
    return display.note(
        said,
        n=numbers.count(window),
        window=_window_label(quarters, fy),
        date=numbers.date(following.end),
        next=_window_label(tiers.next_window(quarters, following.name), fy),
    )


def tier_section(program: dict, partners: pd.DataFrame, history: pd.DataFrame, period):
    """The goals page's what-if of the tier rules: counts per tier, then the partners that would move."""
    by_tier, movers = tier_what_if(program, partners, history, period)
    if by_tier.empty:
        return display.note(_("The programme sets no tier rules (program.yaml `tiers`)."))
    shown = _for_people(movers.assign(Move=movers["Move"].map(tiers.move_label))) if len(movers) else None
    return display.join(
        tier_leavers(partners, period, fy_start_month(program)),
        display.cards(display.table(_for_people(by_tier))),
        _tier_windows(program, period),
        display.HTML(
            f'<div class="pb-tier-moves">{display.cards(display.table(shown)).data}</div>'
        )  # its Why: partnerbook.css
        if shown is not None
        else display.note(_("Nobody would change tier under the rules.")),
    )


# -- revenue targets against the partners' run-rate ----------------------------------------


def run_rates(history: pd.DataFrame, partners: pd.DataFrame, period) -> tuple[pd.Series, list[str]]:
    """Each partner's run-rate before `period`: its mean revenue per quarter over the four quarters
    before the period's first quarter (`targets.trailing_quarters`), counting only the quarters it
    was in the programme for from their first day (joined on or before it, as a target's 'trailing
    year' does), times the quarters in the period. A partner with no such quarter has none (left
    out). Returns (partner_id -> run-rate, the quarters' names, oldest first)."""
    quarters = list(reversed(trailing_quarters(period)))
    names = [q.name for q in quarters]
    joined = pd.to_datetime(partners["joined_on"]) if "joined_on" in partners else None
    ids = partners["partner_id"].astype(str).to_numpy()
    member = (
        set()
        if joined is None
        else {(pid, q.name) for q in quarters for pid, on in zip(ids, (joined <= q.start).to_numpy()) if on}
    )
    rows = history[
        history["partner_id"].notna()
        & (history["breakdown"].fillna("") == "")
        & (history["metric"] == "revenue")
        & history["period"].isin(names)
    ]
    rows = rows.assign(partner_id=rows["partner_id"].astype(str))
    kept = rows[[(p, q) in member for p, q in zip(rows["partner_id"], rows["period"])]]
    per_quarter = kept.groupby("partner_id")["value"].mean()
    return per_quarter * MONTHS[period.grain] / 3, names


FACTORS = ("margin_adj", "mix_adj", "attach_adj", "maturity")  # what a revenue target takes off
ABOVE_BASES = {  # a target's basis (targets.basis_of) -> its group in the run-rate sentence
    "two years": "two years",
    "ramping": "ramping",
    "ramping, held": "ramping",
    "peer median": "peer median",
    "since first result": "since first result",
    "trailing year": "trailing year",
    "set by hand": "set by hand",
}
ABOVE_ORDER = (
    "two years",
    "ramping",
    "peer median",
    "since first result",
    "trailing year",
    "set by hand",
    "other",
)


def below_run_rate(
    targets_frame: pd.DataFrame | None, history: pd.DataFrame, partners: pd.DataFrame, period
) -> dict:
    """How many revenue targets sit below the partner's run-rate (`run_rates`): below (how many),
    above ({baseline group: how many} of those above it, by ABOVE_BASES of their basis), of (partners with a revenue target above zero and a run-rate), factors (the median over them of
    margin x mix x attach x maturity), growth (the median growth asked), window (the quarters' names,
    oldest first). {} without a revenue target."""
    if targets_frame is None or targets_frame.empty:
        return {}
    rates, window = run_rates(history, partners, period)
    mine = with_target(targets_frame[targets_frame["metric"] == "revenue"])
    mine = mine.assign(partner_id=mine["partner_id"].astype(str))
    mine = mine[mine["partner_id"].isin(rates.index)]
    if mine.empty:
        return {}
    rate = mine["partner_id"].map(rates)
    product = mine[list(FACTORS)].astype(float).prod(axis=1)
    above = (mine["target"].astype(float) > rate).to_numpy()
    bases = pd.Series([ABOVE_BASES.get(b, "other") for b in basis_of(mine)])[above].value_counts()
    return {
        "below": int((mine["target"].astype(float) < rate).sum()),
        "above": {k: int(bases[k]) for k in ABOVE_ORDER if k in bases},
        "of": len(mine),
        "factors": float(product.median()),
        "growth": float(mine["growth"].astype(float).median()),
        "window": window,
    }


def run_rate_section(
    targets_frame: pd.DataFrame | None, history: pd.DataFrame, partners: pd.DataFrame, period
):
    """One sentence where the targets are explained: how many partners' revenue targets are below
    their run-rate, and why when it is the factors (margin x mix x attach x maturity take off more
    than the growth asked adds, for the median partner); None without a revenue target."""
    found = below_run_rate(targets_frame, history, partners, period)
    if not found:
        return None
    window = _window_label(found["window"], period.fy_start_month)
    above = _above_sentence(found)
    if not found["below"]:
        return display.paragraph(
            _(
                "No revenue target is below its partner's run-rate (the partner's average quarter over {window})."
            )
            + (" {above}" if above else ""),
            window=window,
            above=above,
        )
    said = {
        "n": numbers.count(found["below"]),
        "m": numbers.count(found["of"]),
        "window": window,
        "factors": numbers.decimal(found["factors"], 2),
        "growth": numbers.percent(found["growth"], signed=True),
    }
    if found["factors"] * (1 + found["growth"]) < 1:
        sentence = ngettext(
            "{n} of {m} revenue targets is below its partner's run-rate (the partner's average quarter over "
            "{window}): the margin, product mix, add-on attach and maturity factors (×{factors} together for "
            "the median partner) take off more than the growth asked adds ({growth}), as the programme sets "
            "them in params/program.yaml.",
            "{n} of {m} revenue targets are below their partner's run-rate (the partner's average quarter over "
            "{window}): the margin, product mix, add-on attach and maturity factors (×{factors} together for "
            "the median partner) take off more than the growth asked adds ({growth}), as the programme sets "
            "them in params/program.yaml.",
            found["below"],
        )
    else:
        sentence = ngettext(
            "{n} of {m} revenue targets is below its partner's run-rate (the partner's average quarter over "
            "{window}).",
            "{n} of {m} revenue targets are below their partner's run-rate (the partner's average quarter over "
            "{window}).",
            found["below"],
        )
    return display.paragraph(sentence + " {above}" if above else sentence, **said, above=above)


def _above_sentence(found: dict) -> str:
    """The targets above the run-rate by the baseline that puts them there: '18 of 39 are above
    it, by their baseline: 12 on the average of the last eight quarters (higher than over the
    last four), 5 …'; '' when none is."""
    groups = found.get("above") or {}
    n = sum(groups.values())
    if not n:
        return ""
    parts = [_above_part(key, count) for key, count in groups.items()]
    listed = parts[0] if len(parts) == 1 else format_list(parts, locale=_list_locale())
    return ngettext(
        "{n} of {m} is above it, by its baseline: {parts}.",
        "{n} of {m} are above it, by their baseline: {parts}.",
        n,
    ).format(n=numbers.count(n), m=numbers.count(found["of"]), parts=listed)


def _list_locale() -> str:
    """The locale a list is joined in: en_GB for English (no serial comma), else the one in force."""
    return "en_GB" if i18n.language() == "en" else i18n.current()


def _above_part(key: str, count: int) -> str:
    """'12 on the average of the last eight quarters (higher than over the last four)': how many
    targets above the run-rate start from one baseline group (ABOVE_BASES)."""
    if key == "two years":
        said = ngettext(
            "{n} on the average of the last eight quarters (higher than over the last four)",
            "{n} on the average of the last eight quarters (higher than over the last four)",
            count,
        )
    elif key == "ramping":
        said = ngettext(
            "{n} of a partner still ramping up (its peers' median fills the quarters before its first results)",
            "{n} of partners still ramping up (their peers' median fills the quarters before their first "
            "results)",
            count,
        )
    elif key == "peer median":
        said = ngettext(
            "{n} on its peers' median (no history of its own)",
            "{n} on their peers' median (no history of their own)",
            count,
        )
    elif key == "since first result":
        said = ngettext(
            "{n} on the average since the partner's first result",
            "{n} on the average since the partners' first result",
            count,
        )
    elif key == "trailing year":
        said = ngettext(
            "{n} on the last four quarters (the growth asked outweighs the factors)",
            "{n} on the last four quarters (the growth asked outweighs the factors)",
            count,
        )
    elif key == "set by hand":
        said = ngettext("{n} set by hand", "{n} set by hand", count)
    else:
        said = ngettext("{n} on another baseline", "{n} on other baselines", count)
    return said.format(n=numbers.count(count))
