"""Interactive analysis: the portfolio filtered, ranked, compared and drilled into.

Two layers over the same functions the batch run uses (`metrics.table`, `lifecycle`,
`display.table`, `display.figure`):

- static views for a `Selection` (what explore.ipynb renders under papermill and nbval):

      sel = widgets.selection(wb, tier="Gold", metric="revenue")
      widgets.ranking_view(wb, sel)

- `controls(wb, sel, interactive=...)`: the ipywidgets panel (a partner picker you can
  type into, period, tier, region and stage filters, a metric, a "Save this view" button)
  for a person at a front end: JupyterLab, Notebook 7, VS Code. It shows nothing at all,
  and creates no widget, unless `interactive` is True or `front_end()` says a person's front
  end is running the cell: such a front end lets the kernel ask for input (`allow_stdin` in
  the execute request), which a batch run never does (papermill, nbclient, the runner's
  warm kernels and nbval all send allow_stdin=False). No widget output or widget state
  can therefore reach the HTML of a batch run; `strip` removes any that a notebook saved
  from a front end carries. The widgets need the [lab] extra (ipywidgets).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import HTML, clear_output
from IPython.display import display as show
from matplotlib.ticker import FuncFormatter

from . import charts, display, extras, lifecycle, metrics, numbers, periods, tables
from . import views as views_mod
from .errors import ParamsError
from .i18n import N_, _, ngettext, pgettext
from .tables import STAGES

NOTEBOOK = "explore"
DEFAULT_METRIC = "revenue"
SIDE_BY_SIDE = (
    "revenue",
    "deals_won",
    "win_rate",
    "pipeline",
    "new_logos",
    "deals_registered",
    "certifications",
    "portal_logins",
    "partner_nps",
)
COMPARE_DEFAULT = 5
HISTORY = 8  # periods offered in the period picker
FILTERS = ("period", "tier", "region", "stage")


@dataclass(frozen=True)
class Selection:
    """What an analyst is looking at; its fields are explore.ipynb's parameters."""

    period: str = ""
    tier: str = ""
    region: str = ""
    stage: str = ""
    metric: str = DEFAULT_METRIC
    partner_id: str = ""
    compare: tuple[str, ...] = ()
    top: int = 15

    def parameters(self) -> dict:
        """The view file's parameters (flat YAML)."""
        return {
            "period": self.period,
            "tier": self.tier,
            "region": self.region,
            "stage": self.stage,
            "metric": self.metric,
            "partner_id": self.partner_id,
            "compare": list(self.compare),
            "top": int(self.top),
        }

    def describe(self) -> str:
        """The filters in words, in the language in force: 'tier Gold, region EMEA'."""
        parts = [
            _(template).format(value=value)
            for template, value in (
                (N_("tier {value}"), self.tier),
                (N_("region {value}"), self.region),
                (N_("stage {value}"), self.stage),
            )
            if value
        ]
        return pgettext("list separator", ", ").join(parts) if parts else _("all partners")


# -- data for one period, cached on the workbook ----------------------------------------


def _cache(wb) -> dict:
    cache = getattr(wb, "_cache", None)
    if cache is None:
        cache = {}
        object.__setattr__(wb, "_cache", cache)
    return cache


def _period(wb, name: str = ""):
    if not name or name == wb.period.name:
        return wb.period
    return periods.parse(name, fy_start_month=wb.period.fy_start_month)


def period_names(wb, n: int = HISTORY, start=None) -> list[str]:
    """The workbook's period (or `start`) and the n-1 before it, latest first."""
    out, p = [], start or wb.period
    for _step in range(n):
        out.append(p.name)
        p = p.prior()
    return out


def metric_table(wb, period: str = "") -> pd.DataFrame:
    """metrics.table for the period (the workbook's own when it is that period)."""
    p = _period(wb, period)
    if p.name == wb.period.name:
        return wb.metrics
    key = ("metric_table", p.name)
    if key not in _cache(wb):
        _cache(wb)[key] = metrics.table(wb.dataset, wb.program, p.name)
    return _cache(wb)[key]


def portfolio(wb, period: str = "") -> pd.DataFrame:
    """One row per partner: partner_id, name, tier, region, stage (in the period)."""
    p = _period(wb, period)
    key = ("portfolio", p.name)
    if key not in _cache(wb):
        stages = (wb.stages if p.name == wb.period.name else _stage_at(wb, p)).rename("stage")
        _cache(wb)[key] = (
            wb.dataset["partners"][["partner_id", "name", "tier", "region"]]
            .merge(stages.rename_axis("partner_id").reset_index(), on="partner_id", how="left")
            .astype({"stage": "string"})
            .sort_values("partner_id")
            .reset_index(drop=True)
        )
    return _cache(wb)[key]


def _stage_at(wb, period) -> pd.Series:
    return lifecycle.stage_at(wb.dataset, wb.program, period)


def filtered(frame: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The rows of a portfolio frame that pass the selection's tier, region and stage."""
    keep = pd.Series(True, index=frame.index)
    for column in ("tier", "region", "stage"):
        value = getattr(sel, column)
        if value:
            keep &= frame[column].fillna("").eq(value)
    return frame[keep]


def _catalogue() -> dict:
    return metrics.CATALOGUE


def _choose(value: str, allowed: list[str], what: str) -> str:
    if value in ("", None) or value in allowed:
        return value or ""
    near = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise ParamsError(
        f"{what}: unknown value {value!r}{hint} (expected one of: {', '.join(map(str, allowed))})"
    )


def _ids(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(v).strip() for v in (value or ()) if str(v).strip())


def selection(
    wb,
    *,
    period: str = "",
    tier: str = "",
    region: str = "",
    stage: str = "",
    metric: str = DEFAULT_METRIC,
    partner_id: str = "",
    compare=(),
    top: int = 15,
) -> Selection:
    """A checked Selection: unknown tiers, regions, stages, metrics or partners are a
    ParamsError naming the value; an empty partner becomes the top of the ranking and an
    empty comparison the top five."""
    name = _period(wb, period).name
    frame = portfolio(wb, name)
    ids = frame["partner_id"].tolist()
    sel = Selection(
        period=name,
        tier=_choose(tier, sorted(frame["tier"].dropna().unique()), "tier"),
        region=_choose(region, sorted(frame["region"].dropna().unique()), "region"),
        stage=_choose(stage, list(STAGES), "stage"),
        metric=_choose(metric or DEFAULT_METRIC, list(_catalogue()), "metric"),
        partner_id=_choose(partner_id, ids, "partner_id"),
        compare=tuple(_choose(i, ids, "compare") for i in _ids(compare)),
        top=max(1, int(top)),
    )
    return with_defaults(wb, sel)


def with_defaults(wb, sel: Selection) -> Selection:
    ranked = ranking(wb, sel)["partner_id"].tolist()
    return replace(
        sel,
        partner_id=sel.partner_id or (ranked[0] if ranked else ""),
        compare=sel.compare or tuple(ranked[:COMPARE_DEFAULT]),
    )


# -- tables ---------------------------------------------------------------------------------


def _values(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    rows = table[
        table["partner_id"].notna() & table["breakdown"].fillna("").eq("") & table["metric"].eq(metric)
    ]
    return rows[["partner_id", "value", "prior_value", "year_ago_value"]]


def ranking(wb, sel: Selection) -> pd.DataFrame:
    """The filtered partners ranked by the metric (best first, undefined last):
    rank, partner_id, name, tier, region, stage, value, prior_value, change."""
    good_down = _catalogue()[sel.metric].good == "down"
    return (
        filtered(portfolio(wb, sel.period), sel)
        .merge(_values(metric_table(wb, sel.period), sel.metric), on="partner_id", how="left")
        .assign(change=lambda f: f["value"] - f["prior_value"])
        .sort_values(["value", "partner_id"], ascending=[good_down, True], na_position="last", kind="stable")
        .assign(rank=lambda f: range(1, len(f) + 1))[
            ["rank", "partner_id", "name", "tier", "region", "stage", "value", "prior_value", "change"]
        ]
        .reset_index(drop=True)
    )


def _label(metric: str) -> str:
    """The metric's label in the language in force."""
    return metrics.label(metric)


def _fmt(value, metric: str, currency: str) -> str:
    return numbers.by_unit(value, _catalogue()[metric].unit, currency)


def _currency(wb) -> str:
    return (wb.program.get("program") or {}).get("currency", "USD")


def comparison(wb, sel: Selection, metrics: tuple[str, ...] = SIDE_BY_SIDE) -> pd.DataFrame:
    """Partners side by side: a row per metric (the chosen one first), a column per partner,
    cells formatted for people."""
    table = metric_table(wb, sel.period)
    names = portfolio(wb, sel.period).set_index("partner_id")["name"]
    wanted = [sel.metric, *[m for m in metrics if m != sel.metric]]
    present = [m for m in wanted if m in set(table["metric"])]
    columns = {}
    for pid in sel.compare:
        vals = _values_by_metric(table, pid)
        columns[f"{names.get(pid, pid)} ({pid})"] = [_fmt(vals.get(m), m, _currency(wb)) for m in present]
    return pd.DataFrame({_("metric"): [_label(m) for m in present], **columns})


def _values_by_metric(table: pd.DataFrame, partner_id: str) -> dict:
    rows = table[table["partner_id"].eq(partner_id).fillna(False) & table["breakdown"].fillna("").eq("")]
    return dict(zip(rows["metric"], rows["value"]))


def drill(wb, sel: Selection) -> pd.DataFrame:
    """One partner: its stage's recommended metrics (and the chosen one) with the prior
    period and a year ago, formatted."""
    stage = portfolio(wb, sel.period).set_index("partner_id")["stage"].get(sel.partner_id)
    wanted = [sel.metric] + [
        m for m in (lifecycle.recommended(stage, wb.program) if stage else []) if m != sel.metric
    ]
    table = metric_table(wb, sel.period)
    rows = table[
        table["partner_id"].eq(sel.partner_id).fillna(False) & table["breakdown"].fillna("").eq("")
    ].set_index("metric")
    cur = _currency(wb)
    columns = (
        (pgettext("column", "this period"), "value"),
        (pgettext("column", "prior period"), "prior_value"),
        (pgettext("column", "a year ago"), "year_ago_value"),
    )
    return pd.DataFrame(
        [
            {
                _("metric"): _label(m),
                **{
                    col: _fmt(rows[key].get(m), m, cur)
                    if m in rows.index
                    else numbers.missing(_("not available for this data"))
                    for col, key in columns
                },
            }
            for m in wanted
        ]
    )


# -- static views (HTML) ------------------------------------------------------------------------


def _join(*parts: HTML) -> HTML:
    return HTML("".join(p.data for p in parts))


def summary_view(wb, sel: Selection) -> HTML:
    """How many partners the filters keep, by tier and stage."""
    frame = filtered(portfolio(wb, sel.period), sel)
    unknown = pgettext("stage", "unknown")
    counts = (
        frame.assign(stage=frame["stage"].fillna(unknown))
        .pivot_table(index="tier", columns="stage", values="partner_id", aggfunc="count", fill_value=0)
        .reindex(columns=[s for s in (*STAGES, unknown) if s in set(frame["stage"].fillna(unknown))])
        .reset_index()
        .rename(columns={"tier": _("tier")})
    )
    n = len(frame)
    sentence = ngettext(
        "**{n}** partner in {period} ({which}).", "**{n}** partners in {period} ({which}).", n
    )
    return _join(
        display.paragraph(
            sentence, n=numbers.count(n), period=periods.label_for_people(sel.period), which=sel.describe()
        ),
        display.table(
            counts,
            formats={c: "count" for c in counts.columns if c != _("tier")},
            caption=_("Partners by tier and lifecycle stage"),
        ),
    )


def ranking_view(wb, sel: Selection) -> HTML:
    """The top partners by the metric: a table and a bar chart."""
    metric, label = _catalogue()[sel.metric], _label(sel.metric)
    top = ranking(wb, sel).head(sel.top)
    if top.empty:
        return display.note(_("No partner matches {which}."), which=sel.describe())
    headers = {
        "rank": _("rank"),
        "partner_id": _("partner id"),
        "name": _("name"),
        "tier": _("tier"),
        "region": _("region"),
        "stage": _("stage"),
        "value": label,
        "prior_value": pgettext("column", "prior period"),
        "change": _("change"),
    }
    table = display.table(
        top.rename(columns=headers),
        formats={
            headers["rank"]: "count",
            label: metric.unit,
            headers["prior_value"]: metric.unit,
            headers["change"]: metric.unit,
        },
        currency=_currency(wb),
        caption=_("{metric}, {period}: {which}").format(
            metric=label, period=periods.label_for_people(sel.period), which=sel.describe()
        ),
        sortable=True,
    )
    defined = top.dropna(subset=["value"])
    if defined.empty:
        return table
    alt = _("{metric} by partner, {period}, top {n}").format(
        metric=label, period=periods.label_for_people(sel.period), n=numbers.count(len(defined))
    )
    return _join(table, display.figure(_bar(defined, label, metric.unit, _currency(wb)).figure, alt=alt))


def _bar(frame: pd.DataFrame, label: str, unit: str, currency: str):
    charts.theme()
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(frame) + 1.2))
    data = frame.assign(
        partner=frame["name"].astype(str) + " (" + frame["partner_id"].astype(str) + ")",
        value=frame["value"].astype(float).fillna(0.0),
    )
    sns.barplot(data=data, y="partner", x="value", ax=ax, color=charts.PALETTE[0])
    ax.set(xlabel=label, ylabel="")
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda v, _: (
                numbers.money(v, currency, compact=True)
                if unit == "money"
                else numbers.by_unit(v, unit, currency)
            )
        )
    )
    return ax


def comparison_view(wb, sel: Selection) -> HTML:
    if not sel.compare:
        return display.note(_("No partner to compare."))
    return display.table(
        comparison(wb, sel),
        caption=_("Side by side, {period}").format(period=periods.label_for_people(sel.period)),
    )


def partner_view(wb, sel: Selection) -> HTML:
    if not sel.partner_id:
        return display.note(_("No partner matches {which}."), which=sel.describe())
    row = portfolio(wb, sel.period).set_index("partner_id").loc[sel.partner_id]
    return _join(
        display.paragraph(
            _("**{name}** ({pid}): {tier} tier, {region}, {stage} stage in {period}."),
            name=row["name"],
            pid=sel.partner_id,
            tier=row["tier"],
            region=row["region"],
            stage=tables.stage_label(row["stage"]),
            period=periods.label_for_people(sel.period),
        ),
        display.table(drill(wb, sel), caption=f"{row['name']}, {sel.period}"),
        *_trend(wb, sel, row["name"]),
    )


def _trend(wb, sel: Selection, name: str) -> list[HTML]:
    """The chosen metric over the last quarters for the partner (quarterly periods only)."""
    period = _period(wb, sel.period)
    if period.grain != "quarter":
        return []
    history = wb.history[wb.history["partner_id"].eq(sel.partner_id).fillna(False)]
    quarters = period_names(wb, start=period)[::-1]
    values = charts.series(history, sel.metric, quarters)
    charts.theme()
    ax = plt.subplots(figsize=charts.FIGSIZE)[1]
    ax.plot(range(len(quarters)), values.to_numpy(), marker="o")
    ax.set_xticks(range(len(quarters)), [periods.label_for_people(q) for q in quarters])
    label = _label(sel.metric)
    ax.set_title(_("{metric} by quarter").format(metric=label))
    alt = _("{metric} of {partner} by quarter, {first} to {last}").format(
        metric=label,
        partner=name,
        first=periods.label_for_people(quarters[0]),
        last=periods.label_for_people(quarters[-1]),
    )
    return [display.figure(ax.figure, alt=alt)]


def views(wb, sel: Selection) -> list[HTML]:
    """Every static view, in the notebook's order."""
    return [
        display.heading(_("Portfolio"), 3),
        summary_view(wb, sel),
        display.heading(_("Ranked"), 3),
        ranking_view(wb, sel),
        display.heading(_("Side by side"), 3),
        comparison_view(wb, sel),
        display.heading(_("One partner"), 3),
        partner_view(wb, sel),
    ]


# -- the interactive panel --------------------------------------------------------------------


def front_end() -> bool:
    """True while a person's front end (JupyterLab, Notebook 7, VS Code) runs this cell: it
    lets the kernel ask for input; a batch run (papermill, nbclient, nbval) does not."""
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    request = kernel.get_parent("shell") or {}
    return bool((request.get("content") or {}).get("allow_stdin"))


def controls(wb, sel: Selection | None = None, *, interactive: bool = False):
    """Show the interactive panel and return it; without a front end show nothing, return None."""
    if not (interactive or front_end()):
        return None
    extras.require("ipywidgets", "lab", "The explore panel")
    explorer = Explorer(wb, sel or selection(wb))
    show(explorer.box)
    explorer.refresh()
    return explorer


@dataclass
class Explorer:
    """The widgets, their handlers and the Output they redraw."""

    wb: object
    sel: Selection
    w: dict = field(default_factory=dict, repr=False)
    _busy: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        import ipywidgets as ipw  # noqa: PLC0415 - the optional [lab] extra, only for a front end

        frame = portfolio(self.wb, self.sel.period)
        self.labels = {f"{r.partner_id} · {r.name}": r.partner_id for r in frame.itertuples()}
        by_id = {v: k for k, v in self.labels.items()}

        def choice(values, value, description):
            return ipw.Dropdown(
                options=[(pgettext("filter", "all"), "")] + [(str(v), str(v)) for v in values],
                value=value,
                description=description,
            )

        cat = _catalogue()
        self.w = {
            "partner_id": ipw.Combobox(
                options=list(self.labels),
                value=by_id.get(self.sel.partner_id, ""),
                placeholder=_("type an id or a name"),
                ensure_option=True,
                description=_("Partner"),
            ),
            "period": ipw.Dropdown(
                options=period_names(self.wb), value=self.sel.period, description=_("Period")
            ),
            "tier": choice(sorted(frame["tier"].dropna().unique()), self.sel.tier, _("Tier")),
            "region": choice(sorted(frame["region"].dropna().unique()), self.sel.region, _("Region")),
            "stage": choice(STAGES, self.sel.stage, _("Stage")),
            "metric": ipw.Dropdown(
                options=[(_label(m.name), m.name) for m in cat.values()],
                value=self.sel.metric,
                description=_("Metric"),
            ),
            "compare": ipw.SelectMultiple(
                options=list(self.labels),
                rows=6,
                description=_("Compare"),
                value=[by_id[i] for i in self.sel.compare if i in by_id],
            ),
            "top": ipw.IntSlider(value=self.sel.top, min=3, max=50, description=_("Top")),
        }
        self.name = ipw.Text(placeholder=_("view name, e.g. gold-emea"), description=_("View"))
        self.save_button = ipw.Button(description=_("Save this view"), icon="save")
        self.status = ipw.Label()
        self.out = ipw.Output()
        for widget in self.w.values():
            widget.observe(self.refresh, names="value")
        self.save_button.on_click(self.save)
        filters = ipw.HBox([self.w[k] for k in ("period", "tier", "region", "stage")])
        picks = ipw.HBox(
            [ipw.VBox([self.w["partner_id"], self.w["metric"], self.w["top"]]), self.w["compare"]]
        )
        self.box = ipw.VBox([filters, picks, ipw.HBox([self.name, self.save_button, self.status]), self.out])

    def selection(self) -> Selection:
        """The Selection the widgets show now (an empty partner: the top of the ranking)."""
        w = self.w
        sel = Selection(
            period=w["period"].value,
            tier=w["tier"].value,
            region=w["region"].value,
            stage=w["stage"].value,
            metric=w["metric"].value,
            partner_id=self.labels.get(w["partner_id"].value, ""),
            compare=tuple(self.labels[v] for v in w["compare"].value),
            top=w["top"].value,
        )
        return with_defaults(self.wb, sel)

    def _narrow(self) -> None:
        """Offer only the partners that pass the filters; drop picks that no longer do."""
        w = self.w
        sel = Selection(
            period=w["period"].value, tier=w["tier"].value, region=w["region"].value, stage=w["stage"].value
        )
        keep = set(filtered(portfolio(self.wb, sel.period), sel)["partner_id"])
        labels = [label for label, pid in self.labels.items() if pid in keep]
        picked, compared = w["partner_id"].value, w["compare"].value
        w["partner_id"].options = labels
        w["partner_id"].value = picked if picked in labels else ""
        w["compare"].options = labels
        w["compare"].value = [c for c in compared if c in labels]  # none left: the top five

    def refresh(self, change=None) -> None:
        """The handler of every control: narrow the pickers after a filter, then redraw."""
        if self._busy:
            return
        self._busy = True
        try:
            if change is not None and change["owner"] in [self.w[k] for k in FILTERS]:
                self._narrow()
            self._draw()
        finally:
            self._busy = False

    def _draw(self) -> None:
        with self.out:
            clear_output(wait=True)
            try:
                self.sel = self.selection()
                for part in views(self.wb, self.sel):
                    show(part)
            except ParamsError as exc:
                show(display.note("{error}", error=str(exc)))

    def save(self, button=None):
        """Write the current selection to params/views/<name>.yaml (the button's handler)."""
        try:
            name = self.name.value or f"{self.sel.metric}-{self.sel.period}"
            path = views_mod.save(name, NOTEBOOK, self.selection().parameters())
        except ParamsError as exc:
            self.status.value = str(exc)
            return None
        self.status.value = _("Saved {file}: partnerbook report --view params/views/{file}").format(
            file=path.name
        )
        return path


def strip(nb):
    """Remove widget state and widget views from a notebook (dict or NotebookNode)."""
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("widgets", None)
        if "outputs" in cell:
            cell["outputs"] = [
                o
                for o in cell["outputs"]
                if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
            ]
    return nb
