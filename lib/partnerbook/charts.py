"""Charts for the reports, seaborn-style: `plot_x(data, *, ax=None, **kw) -> Axes`.

Data first (a long metric frame: period, metric, breakdown, value), options keyword-only,
an `ax` to draw into, the Axes returned. Nothing is shown or written here: pass
`ax.figure` to `display.figure(fig, alt=...)`. One theme, set in `theme()`.
"""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import numbers

PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#c53030", "#718096"]
FIGSIZE = (6.4, 2.6)
_themed = False


def theme() -> None:
    """The one look of every chart (set once per process)."""
    global _themed
    if _themed:
        return
    plt.rcParams.update({
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "axes.grid.axis": "y", "grid.color": "#e2e8f0", "axes.edgecolor": "#a0aec0",
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "font.size": 9,
        "axes.titlesize": 10, "axes.titleweight": "bold", "axes.titlelocation": "left",
        "legend.frameon": False, "figure.dpi": 80, "savefig.dpi": 80,
        "text.parse_math": False,      # text from the data ($5-$10, $$x$$) is text, never mathtext
        "axes.titley": 1.0, "axes.titlepad": 6,   # a fixed title place: no layout pass to find one
        "path.simplify": True,
    })
    _themed = True


def _axes(ax):
    theme()
    if ax is None:
        fig, ax = plt.subplots(figsize=FIGSIZE)
        fig.partnerbook_fixed_layout = True      # margins set by _fit once drawn into
    return ax


# Speed: a chart drawn with savefig(bbox_inches="tight") is laid out twice (once to measure,
# once to paint), and text is most of the cost. A figure made here gets margins computed
# from its tick labels (a few string lengths, no drawing), so display.figure paints it once;
# y axes carry at most four ticks.
_CHAR_PX, _LINE_PX = 6.0, 15.0


def _fit(ax, numeric_y: bool = True):
    """Margins that hold the tick labels and title, estimated from their text (no draw)."""
    (ax.yaxis if numeric_y else ax.xaxis).set_major_locator(MaxNLocator(nbins=4))
    fig = ax.figure
    if not getattr(fig, "partnerbook_fixed_layout", False):
        return ax
    width, height = (fig.get_size_inches() * fig.dpi).tolist()
    labels = [""]
    if numeric_y:
        lo, hi = ax.get_ylim()
        formatter = ax.yaxis.get_major_formatter()
        labels += [str(formatter(t, i)) for i, t in
                   enumerate(ax.yaxis.get_major_locator().tick_values(lo, hi)) if lo <= t <= hi]
    else:
        labels += [t.get_text() for t in ax.get_yticklabels()]
    left = (max(len(x) for x in labels) * _CHAR_PX + 14) / width
    xlabels = [t.get_text() for t in ax.get_xticklabels()] or [""]
    right = max(8.0, len(xlabels[-1]) * _CHAR_PX / 2 + 4) / width
    fig.subplots_adjust(left=min(left, 0.6), right=1 - right, bottom=(_LINE_PX + 12) / height,
                        top=1 - (_LINE_PX + 12) / height)
    return ax


def series(data: pd.DataFrame, metric: str, periods: list[str], breakdown: str = "") -> pd.Series:
    """One metric's values over `periods` (period name -> value; NaN where absent)."""
    # plain arrays: pandas' masks on string columns cost ~2 ms a call, and a report makes ~15
    keep = ((data["metric"].to_numpy(dtype=object) == metric)
            & (data["breakdown"].to_numpy(dtype=object, na_value="") == breakdown))
    found = dict(zip(data["period"].to_numpy(dtype=object)[keep], data["value"].to_numpy(dtype=float)[keep]))
    return pd.Series([found.get(q, np.nan) for q in periods], index=pd.Index(periods, name="period"),
                     name="value", dtype=float)


def _money_axis(ax, currency: str) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.money(v, currency, compact=True)))


def plot_revenue_trend(data: pd.DataFrame, *, periods: list[str], currency: str = "USD",
                       ax=None, **kwargs):
    """Revenue by quarter as bars over `periods`."""
    ax = _axes(ax)
    values = series(data, "revenue", periods).fillna(0.0)
    ax.bar(range(len(periods)), values.to_numpy(), color=kwargs.pop("color", PALETTE[0]), **kwargs)
    ax.set_xticks(range(len(periods)), periods)
    _money_axis(ax, currency)
    ax.set_title("Revenue by quarter")
    return _fit(ax)


def plot_win_rate(data: pd.DataFrame, *, periods: list[str], ax=None, **kwargs):
    """Win rate (won ÷ closed) by quarter as a line; gaps where nothing closed."""
    ax = _axes(ax)
    values = series(data, "win_rate", periods)
    ax.plot(range(len(periods)), values.to_numpy(), marker="o", color=kwargs.pop("color", PALETTE[1]),
            **kwargs)
    ax.set_xticks(range(len(periods)), periods)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.percent(v)))
    ax.set_title("Win rate by quarter")
    return _fit(ax)


def plot_leading_activity(data: pd.DataFrame, *, periods: list[str], metrics: list[str],
                          labels: dict[str, str] | None = None, ax=None, **kwargs):
    """Leading activity counts by quarter, one line per metric."""
    ax = _axes(ax)
    labels = labels or {}
    for metric in metrics:
        values = series(data, metric, periods)
        ax.plot(range(len(periods)), values.to_numpy(), marker="o", label=labels.get(metric, metric),
                **kwargs)
    ax.set_xticks(range(len(periods)), periods)
    if metrics:
        ax.legend(loc="upper left", fontsize=8, ncols=min(len(metrics), 3))
    ax.set_title("Leading activity by quarter")
    return _fit(ax)


def plot_revenue_by_category(data: pd.DataFrame, *, period: str, currency: str = "USD",
                             ax=None, **kwargs):
    """Revenue in `period` by product category, largest first, as horizontal bars."""
    ax = _axes(ax)
    rows = (data[(data["metric"] == "revenue") & (data["period"] == period)
                 & data["breakdown"].fillna("").str.startswith("product_category=")]
            .assign(category=lambda f: f["breakdown"].str.split("=", n=1).str[1])
            .sort_values("value"))
    ax.barh(rows["category"].astype(str).to_list(), rows["value"].to_numpy(),
            color=kwargs.pop("color", PALETTE[2]), **kwargs)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.money(v, currency, compact=True)))
    ax.grid(axis="x", color="#e2e8f0")
    ax.grid(axis="y", visible=False)
    ax.set_title(f"Revenue by product category, {period}")
    return _fit(ax, numeric_y=False)
