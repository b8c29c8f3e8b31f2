"""Charts for the reports, seaborn-style: `plot_x(data, *, ax=None, **kw) -> Axes`.

Data first (a long metric frame: period, metric, breakdown, value), options keyword-only,
an `ax` to draw into, the Axes returned. Nothing is shown or written here: pass
`ax.figure` to `display.figure(fig, alt=...)`, which writes it as inline SVG (text as text).
One theme, set in `theme()`.

Charts that cannot mislead: every tick is placed and labelled here (integer ticks for counts
and money, 0-100% for rates), so the labels are known before drawing and the margins are
measured from them; a series that is all zero or absent is not drawn: the figure carries a
sentence instead (`empty(fig)`), which `display.figure` shows in place of the chart.
"""
from __future__ import annotations

from functools import lru_cache

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from . import numbers

PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#c53030", "#718096"]
FIGSIZE = (6.4, 2.6)
INK, MUTED, LINE, EDGE = "#1a202c", "#4a5568", "#e2e8f0", "#a0aec0"     # partnerbook.css colours
FONT_SIZE, TITLE_SIZE, LEGEND_SIZE = 9, 10, 8
_themed = False


def theme() -> None:
    """The one look of every chart (set once per process): the report stylesheet's colours."""
    global _themed
    if _themed:
        return
    matplotlib.rcParams.update({
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "axes.grid.axis": "y", "grid.color": LINE, "axes.edgecolor": EDGE,
        "axes.axisbelow": True,                  # gridlines behind bars and lines
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "font.size": FONT_SIZE,
        "text.color": INK, "axes.labelcolor": INK, "xtick.color": MUTED, "ytick.color": MUTED,
        "xtick.labelcolor": INK, "ytick.labelcolor": INK,
        "axes.titlesize": TITLE_SIZE, "axes.titleweight": "bold", "axes.titlelocation": "left",
        "legend.frameon": False, "figure.dpi": 72, "savefig.dpi": 72,
        "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
        "svg.fonttype": "none",                  # text stays text: crisp, searchable, selectable
        "svg.hashsalt": "partnerbook",           # the same chart gives the same SVG (caching)
        "text.parse_math": False,      # text from the data ($5-$10, $$x$$) is text, never mathtext
        "axes.titley": 1.0, "axes.titlepad": 6,   # a fixed title place: no layout pass to find one
        "path.simplify": True,
    })
    _themed = True


# Speed: one figure per chart kind is made once per process and drawn into again for the
# next partner: its Axes, spines and tick objects are kept (making them was a third of a
# chart's cost), the data artists, legend, title and sentence of the last chart removed.
# So a chart made here is valid until the next chart of its kind: pass it on (display.figure)
# before drawing another, or give your own `ax`.
_REUSED: dict[str, object] = {}


def _axes(ax, kind: str):
    theme()
    if ax is not None:
        return ax
    ax = _REUSED.get(kind)
    if ax is None:
        fig = Figure(figsize=FIGSIZE)            # not through pyplot: nothing to register or close
        ax = _REUSED[kind] = fig.add_subplot()
        fig.partnerbook_fixed_layout = True      # margins set by _fit once drawn into
        return ax
    return _emptied(ax)


def _emptied(ax):
    """The Axes of the last chart of a kind with nothing of that chart left in it."""
    for artist in [*ax.patches, *ax.lines, *ax.collections, *ax.texts]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_prop_cycle(None)                      # the first line is blue again
    ax.set_title("")
    ax.figure.partnerbook_empty = ""
    return ax


# -- text and layout -------------------------------------------------------------------------
# Speed and honesty: a chart drawn with savefig(bbox_inches="tight") is laid out twice (once
# to measure, once to paint). Here the ticks and their labels are chosen before drawing, the
# labels are measured with the font (one cached call per distinct string, no figure drawn),
# and the margins set from them: display.figure paints once and no label is cut.

_TICK_SPACE = 3.5 + 3.5 + 3        # tick length + label pad + a little air, in points
_EDGE = 4.0                        # air between the text and the figure's edge, in points
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")


@lru_cache(maxsize=1)
def _renderer():
    from matplotlib.backends.backend_agg import RendererAgg
    return RendererAgg(1, 1, 72)     # 72 dpi: one pixel is one point, the SVG's unit


@lru_cache(maxsize=4096)
def text_size(text: str, size: float = FONT_SIZE, bold: bool = False) -> tuple[float, float]:
    """Width and height of `text` in points, in the charts' font (measured, cached)."""
    theme()
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, height, _ = _renderer().get_text_width_height_descent(text, prop, ismath=False)
    return float(width), float(height)


def _width(texts, size: float = FONT_SIZE) -> float:
    return max((text_size(t, size)[0] for t in texts), default=0.0)


def _ticks(lo: float, hi: float, *, integer: bool) -> np.ndarray:
    """Three to five round ticks (1, 2, 2.5 or 5 times a power of ten; whole numbers only when
    `integer`) covering lo to hi: the axis then runs to the outer ticks, so the top is labelled."""
    steps = [1, 2, 5, 10] if integer else [1, 2, 2.5, 5, 10]
    return MaxNLocator(nbins=4, integer=integer, steps=steps, min_n_ticks=2).tick_values(lo, hi)


def _value_axis(ax, values, fmt, *, axis: str = "y", integer: bool = True, limits=None) -> list[str]:
    """Limits, ticks and labels of the value axis, from the values (0 always shown).
    Counts and money get whole-number ticks, and at least 0 to 1, so one webinar is not drawn
    against 0.3/0.6/0.9. Returns the labels (for the margins)."""
    if limits is None:
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        lo = min(0.0, float(finite.min()) if finite.size else 0.0)
        hi = max(0.0, float(finite.max()) if finite.size else 0.0)
        if integer:
            hi = max(hi, 1.0)
            lo = min(lo, -1.0) if lo < 0 else lo
        ticks = _ticks(lo, hi, integer=integer)
        lo, hi = min(lo, ticks.min()), max(hi, ticks.max())
        pad = (hi - lo) * 0.04
        limits = (lo - (pad if lo < 0 else 0.0), hi + pad)
    else:
        ticks = _ticks(*limits, integer=integer)
        ticks = ticks[(ticks >= limits[0]) & (ticks <= limits[1])]
    labels = [fmt(t) for t in ticks]
    (ax.set_ylim if axis == "y" else ax.set_xlim)(*limits)
    (ax.set_yticks if axis == "y" else ax.set_xticks)(ticks, labels)
    return labels


def _fit(ax, *, left: list[str], bottom: list[str] | None = None, right: str = "", legend_rows: int = 0):
    """Margins that hold the tick labels (`left`: the y labels, `bottom`: the x labels,
    `right`: the last x label when it sits on the axis end), the title and a legend."""
    fig = ax.figure
    if not getattr(fig, "partnerbook_fixed_layout", False):
        return ax
    width, height = (fig.get_size_inches() * 72).tolist()
    line = text_size("Qg", FONT_SIZE)[1]
    title = text_size("Qg", TITLE_SIZE, bold=True)[1] + 6 if ax.get_title(loc="left") else 0.0
    legend = legend_rows * (text_size("Qg", LEGEND_SIZE)[1] + 4) + (4 if legend_rows else 0)
    fig.subplots_adjust(
        left=min(_width(left) + _TICK_SPACE + _EDGE, 0.6 * width) / width,
        right=1 - max(8.0, _width([right]) / 2 + _EDGE) / width,
        bottom=(line + _TICK_SPACE + _EDGE if bottom is None or bottom else _EDGE + 4) / height,
        top=1 - (title + legend + _EDGE) / height)
    return ax


def shorten(text: str, points: float, size: float = FONT_SIZE) -> str:
    """`text`, ended with '…' where it is wider than `points` (a label never runs off the figure)."""
    text = str(text)
    if text_size(text, size)[0] <= points:
        return text
    while len(text) > 1 and text_size(text + "…", size)[0] > points:
        text = text[:-1]
    return text.rstrip() + "…"


def empty(fig) -> str:
    """The sentence a chart stands for when it has nothing to draw ('' when it has)."""
    return getattr(fig, "partnerbook_empty", "")


def _nothing(ax, sentence: str):
    ax.figure.partnerbook_empty = sentence
    return ax


def _quarters(n: int) -> str:
    return f"the last {_NUMBER_WORDS[n]} quarters" if 1 < n < len(_NUMBER_WORDS) else (
        "the quarter" if n == 1 else f"the last {n:,} quarters")


def _periods_axis(ax, periods: list[str]) -> list[str]:
    ax.set_xticks(range(len(periods)), periods)
    ax.set_xlim(-0.5, len(periods) - 0.5)      # every label centred in its own slot
    return list(periods)


def series(data: pd.DataFrame, metric: str, periods: list[str], breakdown: str = "") -> pd.Series:
    """One metric's values over `periods` (period name -> value; NaN where absent)."""
    # plain arrays: pandas' masks on string columns cost ~2 ms a call, and a report makes ~15
    keep = ((data["metric"].to_numpy(dtype=object) == metric)
            & (data["breakdown"].to_numpy(dtype=object, na_value="") == breakdown))
    found = dict(zip(data["period"].to_numpy(dtype=object)[keep], data["value"].to_numpy(dtype=float)[keep]))
    return pd.Series([found.get(q, np.nan) for q in periods], index=pd.Index(periods, name="period"),
                     name="value", dtype=float)


def _money(currency: str):
    return lambda v: numbers.money(v, currency, compact=True)


def _count(v: float) -> str:
    return numbers.count(v)


def plot_revenue_trend(data: pd.DataFrame, *, periods: list[str], currency: str = "USD",
                       ax=None, **kwargs):
    """Revenue by quarter as bars over `periods` (a sentence instead when there is none)."""
    ax = _axes(ax, "revenue_trend")
    values = series(data, "revenue", periods).fillna(0.0).to_numpy()
    if not np.any(values):
        return _nothing(ax, f"No revenue in {_quarters(len(periods))}.")
    ax.bar(range(len(periods)), values, color=kwargs.pop("color", PALETTE[0]), **kwargs)
    bottom = _periods_axis(ax, periods)
    left = _value_axis(ax, values, _money(currency))
    ax.set_title("Revenue by quarter")
    return _fit(ax, left=left, bottom=bottom)


def plot_win_rate(data: pd.DataFrame, *, periods: list[str], ax=None, **kwargs):
    """Win rate (won ÷ closed) by quarter as a line; gaps where nothing closed."""
    ax = _axes(ax, "win_rate")
    values = series(data, "win_rate", periods).to_numpy()
    if not np.any(np.isfinite(values)):
        return _nothing(ax, f"No deal closed in {_quarters(len(periods))}, so there is no win rate.")
    if not np.nansum(values):
        return _nothing(ax, f"No deal won in {_quarters(len(periods))}: the win rate was 0% "
                            "in every quarter with closed deals.")
    ax.plot(range(len(periods)), values, marker="o", color=kwargs.pop("color", PALETTE[1]), clip_on=False,
            **kwargs)
    bottom = _periods_axis(ax, periods)
    left = _value_axis(ax, values, numbers.percent, integer=False, limits=(0.0, 1.04))
    ax.set_title("Win rate by quarter")
    return _fit(ax, left=left, bottom=bottom)


def plot_leading_activity(data: pd.DataFrame, *, periods: list[str], metrics: list[str],
                          labels: dict[str, str] | None = None, ax=None, **kwargs):
    """Leading activity counts by quarter, one line per metric (whole-number ticks)."""
    ax = _axes(ax, "leading_activity")
    labels = labels or {}
    drawn = {m: series(data, m, periods).to_numpy() for m in metrics}
    drawn = {m: v for m, v in drawn.items() if np.nansum(np.abs(v)) > 0}
    if not drawn:
        return _nothing(ax, f"No leading activity recorded in {_quarters(len(periods))}.")
    for metric, values in drawn.items():
        ax.plot(range(len(periods)), values, marker="o", label=labels.get(metric, metric), clip_on=False,
                **kwargs)
    bottom = _periods_axis(ax, periods)
    left = _value_axis(ax, np.concatenate(list(drawn.values())), _count)
    columns = min(len(drawn), 2)
    rows = -(-len(drawn) // columns)
    # the legend sits above the plot, under the title: it never hides a line
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=LEGEND_SIZE, ncols=columns,
              borderaxespad=0.2, borderpad=0.1, handlelength=1.5, columnspacing=1.5)
    ax.set_title("Leading activity by quarter",
                 pad=6 + rows * (text_size("Qg", LEGEND_SIZE)[1] + 4) + 4)
    return _fit(ax, left=left, bottom=bottom, legend_rows=rows)


def plot_revenue_by_category(data: pd.DataFrame, *, period: str, currency: str = "USD",
                             ax=None, **kwargs):
    """Revenue in `period` by product category, largest first, as horizontal bars."""
    ax = _axes(ax, "revenue_by_category")
    rows = (data[(data["metric"] == "revenue") & (data["period"] == period)
                 & data["breakdown"].fillna("").str.startswith("product_category=")]
            .assign(category=lambda f: f["breakdown"].str.split("=", n=1).str[1])
            .sort_values("value"))
    values = rows["value"].fillna(0.0).to_numpy(dtype=float)
    if not np.any(values):
        return _nothing(ax, f"No revenue by product category in {period}.")
    width = ax.figure.get_size_inches()[0] * 72
    names = [shorten(c, 0.35 * width) for c in rows["category"].astype(str)]
    ax.barh(range(len(names)), values, color=kwargs.pop("color", PALETTE[2]), **kwargs)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    bottom = _value_axis(ax, values, _money(currency), axis="x")
    ax.grid(axis="x", color=LINE)
    ax.grid(axis="y", visible=False)
    ax.set_title(f"Revenue by product category, {period}")
    return _fit(ax, left=names, bottom=bottom, right=bottom[-1])
