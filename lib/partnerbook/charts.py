"""Charts for the reports, seaborn-style: `plot_x(data, *, ax=None, **kw)`.

Data first (a long metric frame: period, metric, breakdown, value), options keyword-only.
Without `ax` a chart is drawn straight as SVG (`Chart`): pass `chart.figure` to
`display.figure(fig, alt=...)`, which publishes it inline (text as text), exactly as it
publishes a matplotlib figure. With `ax` (a matplotlib Axes) the same chart is drawn into it
and the Axes returned. One theme, set in `theme()` and the constants below.

Charts that cannot mislead: every tick is placed and labelled here (integer ticks for counts
and money, 0-100% for rates), so the labels are known before drawing and the margins are
measured from them; a series that is all zero or absent is not drawn: the chart carries a
sentence instead (`empty(fig)`), which `display.figure` shows in place of the chart.

Speed: matplotlib took about 25 ms a chart to build and paint a figure (creating Axes and
ticks, walking its artists, writing its SVG), a quarter of a partner report's kernel time for
four small charts of a few bars and lines. `Chart.svg()` writes the same drawing (axes,
gridlines, ticks, bars, lines with markers, legend, title, in the theme's colours and font)
in well under a millisecond; text is measured with the font as before (cached per string).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from . import numbers
from .i18n import N_, _, ngettext
from .periods import label_for_people

PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#c53030", "#718096"]
FIGSIZE = (6.4, 2.6)
INK, MUTED, LINE, EDGE = "#1a202c", "#4a5568", "#e2e8f0", "#a0aec0"  # partnerbook.css colours
FONT_SIZE, TITLE_SIZE, LEGEND_SIZE = 9, 10, 8
PERIOD, EARLIER = "#2a5b9b", "#b8c4d6"  # the period reported on, and the ones it is compared with
FAMILY = "'DejaVu Sans', 'Arial', 'Helvetica', sans-serif"
_themed = False


def theme() -> None:
    """The one look of every matplotlib chart (set once per process): the report stylesheet's
    colours; the SVG charts below use the same constants."""
    global _themed
    if _themed:
        return
    matplotlib.rcParams.update(
        {
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": LINE,
            "axes.edgecolor": EDGE,
            "axes.axisbelow": True,  # gridlines behind bars and lines
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "font.size": FONT_SIZE,
            "text.color": INK,
            "axes.labelcolor": INK,
            "xtick.color": MUTED,
            "ytick.color": MUTED,
            "xtick.labelcolor": INK,
            "ytick.labelcolor": INK,
            "axes.titlesize": TITLE_SIZE,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "legend.frameon": False,
            "figure.dpi": 72,
            "savefig.dpi": 72,
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
            "svg.fonttype": "none",  # text stays text: crisp, searchable, selectable
            "svg.hashsalt": "partnerbook",  # the same chart gives the same SVG (caching)
            "text.parse_math": False,  # text from the data ($5-$10, $$x$$) is text, never mathtext
            "axes.titley": 1.0,
            "axes.titlepad": 6,  # a fixed title place: no layout pass to find one
            "path.simplify": True,
        }
    )
    _themed = True


# -- text and layout -------------------------------------------------------------------------
# Speed and honesty: a chart drawn with savefig(bbox_inches="tight") is laid out twice (once
# to measure, once to paint). Here the ticks and their labels are chosen before drawing, the
# labels are measured with the font (one cached call per distinct string, no figure drawn),
# and the margins set from them: display.figure paints once and no label is cut.

_TICK_SPACE = 3.5 + 3.5 + 3  # tick length + label pad + a little air, in points
_EDGE = 4.0  # air between the text and the figure's edge, in points
# how many quarters a sentence speaks of, in words ("the last eight quarters"); 13 and more in figures
_NUMBER_WORDS = {
    2: N_("two"),
    3: N_("three"),
    4: N_("four"),
    5: N_("five"),
    6: N_("six"),
    7: N_("seven"),
    8: N_("eight"),
    9: N_("nine"),
    10: N_("ten"),
    11: N_("eleven"),
    12: N_("twelve"),
}


@lru_cache(maxsize=1)
def _renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, 72)  # 72 dpi: one pixel is one point, the SVG's unit


@lru_cache(maxsize=4096)
def text_size(text: str, size: float = FONT_SIZE, bold: bool = False) -> tuple[float, float]:
    """Width and height of `text` in points, in the charts' font (measured, cached)."""
    theme()
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, height, _descent = _renderer().get_text_width_height_descent(text, prop, ismath=False)
    return float(width), float(height)


def _width(texts, size: float = FONT_SIZE) -> float:
    return max((text_size(t, size)[0] for t in texts), default=0.0)


def _ticks(lo: float, hi: float, *, integer: bool) -> np.ndarray:
    """Three to five round ticks (1, 2, 2.5 or 5 times a power of ten; whole numbers only when
    `integer`) covering lo to hi: the axis then runs to the outer ticks, so the top is labelled."""
    steps = [1, 2, 5, 10] if integer else [1, 2, 2.5, 5, 10]
    return MaxNLocator(nbins=4, integer=integer, steps=steps, min_n_ticks=2).tick_values(lo, hi)


def _value_axis(
    values, fmt, *, integer: bool = True, limits=None
) -> tuple[tuple[float, float], list, list[str]]:
    """Limits, ticks and labels of the value axis, from the values (0 always shown).
    Counts and money get whole-number ticks, and at least 0 to 1, so one webinar is not drawn
    against 0.3/0.6/0.9."""
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
    return (float(limits[0]), float(limits[1])), [float(t) for t in ticks], [fmt(t) for t in ticks]


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


def _quarters(n: int) -> dict:
    """The `n` of a sentence about the last `n` quarters: a word from two to twelve."""
    return {"n": _(_NUMBER_WORDS[n]) if n in _NUMBER_WORDS else numbers.count(n)}


# -- the chart -----------------------------------------------------------------------------


@dataclass
class Chart:
    """One chart: what it shows (categories, values, ticks, title, legend) and its drawing.

    `kind` is "bars" (vertical bars, one per category), "hbars" (horizontal bars, categories
    down the side), "waterfall" (horizontal bars floating from `starts`, first category at the
    top, one colour a bar, `notes` written at the bars' ends) or "lines" (one line per series,
    gaps where a value is NaN). `chart.figure`
    is the chart itself: `display.figure` writes it with `savefig(file, format="svg")`."""

    kind: str
    categories: list[str] = field(default_factory=list)  # x labels (bars, lines), y labels (hbars)
    series: dict[str, np.ndarray] = field(default_factory=dict)  # label -> values, one per category
    colours: list[str] = field(default_factory=list)
    limits: tuple[float, float] = (0.0, 1.0)  # of the value axis
    ticks: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # the value axis' tick labels
    title: str = ""
    legend: list[str] = field(default_factory=list)
    partnerbook_empty: str = ""
    size: tuple[float, float] = (FIGSIZE[0] * 72, FIGSIZE[1] * 72)  # points
    starts: list[float] = field(default_factory=list)  # waterfall: where each bar starts
    notes: list[str] = field(default_factory=list)  # waterfall: the value written at each bar
    bar_colours: list[str] = field(default_factory=list)  # bars: one colour a bar, in place of the series'
    partnerbook_fixed_layout = True  # laid out here: no tight bbox
    canvas = None  # nothing for pyplot to close

    @property
    def figure(self) -> Chart:
        return self

    @property
    def values(self) -> np.ndarray:
        """The values of a one-series chart (the bars)."""
        return next(iter(self.series.values()))

    def get_title(self) -> str:
        return self.title

    def savefig(self, file, format: str = "svg", **_options) -> None:
        if format != "svg":
            raise ValueError(f"charts.Chart.savefig: only SVG is drawn here, not {format!r}")
        file.write(self.svg())

    def svg(self) -> str:
        """The chart as an SVG document (points; text as text in the charts' font)."""
        return _Drawing(self).svg()

    def draw(self, ax):
        """The same chart drawn into a matplotlib Axes (returned)."""
        theme()
        if self.partnerbook_empty:
            ax.figure.partnerbook_empty = self.partnerbook_empty
            return ax
        where = range(len(self.categories))
        if self.kind == "waterfall":
            return self._draw_waterfall(ax)
        for (label, values), colour in zip(self.series.items(), self.colours):
            if self.kind == "bars":
                ax.bar(where, values, color=self.bar_colours or colour)
            elif self.kind == "hbars":
                ax.barh(where, values, color=colour)
            else:
                ax.plot(where, values, marker="o", color=colour, label=label, clip_on=False)
        category_axis, value_axis = (ax.yaxis, ax.xaxis) if self.kind == "hbars" else (ax.xaxis, ax.yaxis)
        category_axis.set_ticks(list(where), self.categories)
        value_axis.set_ticks(self.ticks, self.labels)
        (ax.set_xlim if self.kind == "hbars" else ax.set_ylim)(*self.limits)
        if self.kind == "hbars":
            ax.set_ylim(-0.6, len(self.categories) - 0.4)
            ax.grid(axis="x", color=LINE)
            ax.grid(axis="y", visible=False)
        else:
            ax.set_xlim(-0.5, len(self.categories) - 0.5)
        if self.legend:
            ax.legend(
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                fontsize=LEGEND_SIZE,
                ncols=min(len(self.legend), 2),
            )
        ax.set_title(self.title)
        return ax

    def _draw_waterfall(self, ax):
        rows = list(range(len(self.categories)))[::-1]  # the first bar at the top
        bars = ax.barh(rows, self.values, left=self.starts, color=self.colours, height=0.6)
        ax.bar_label(bars, labels=self.notes, label_type="edge", padding=3, fontsize=FONT_SIZE)
        ax.set_yticks(rows, self.categories)
        ax.set_xticks(self.ticks, self.labels)
        ax.set_xlim(*self.limits)
        ax.grid(axis="x", color=LINE)
        ax.grid(axis="y", visible=False)
        ax.set_title(self.title)
        return ax


def _nothing(kind: str, sentence: str, ax):
    chart = Chart(kind, partnerbook_empty=sentence)
    return chart if ax is None else chart.draw(ax)


def _colour(kwargs: dict, default: str) -> str:
    colour = kwargs.pop("color", default)
    if kwargs:
        raise TypeError(
            f"charts: unexpected option {next(iter(kwargs))!r} (a chart drawn as SVG takes "
            "color=; pass ax= to draw into a matplotlib Axes)"
        )
    return colour


# -- SVG -------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate to 1/100 point."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(
    x: float, y: float, text: str, *, size: float = FONT_SIZE, anchor: str = "start", bold: bool = False
) -> str:
    weight = "font-weight: 700; " if bold else ""
    return (
        f'<text style="{weight}font-size: {_n(size)}px; font-family: {FAMILY}; text-anchor: {anchor}; '
        f'fill: {INK}" x="{_n(x)}" y="{_n(y)}">{html.escape(text, quote=False)}</text>'
    )


def _path(points, style: str, closed: bool = False) -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'} {_n(x)} {_n(y)}" for i, (x, y) in enumerate(points))
    return f'<path d="{d}{" z" if closed else ""}" style="{style}"/>'


def _rule(x0: float, y0: float, x1: float, y1: float, colour: str) -> str:
    return _path(
        [(x0, y0), (x1, y1)], f"fill: none; stroke: {colour}; stroke-width: 0.8; stroke-linecap: square"
    )


_ASCENT, _MIDDLE = 0.759, 0.379  # the font's cap height below the baseline's top, and half of it (per size)
_TICK, _PAD = 3.5, 3.5  # tick length and the gap to its label, in points
_HANDLE, _HANDLE_PAD, _COLUMN_GAP = 12.0, 6.4, 12.0  # legend: line sample, gap to its text, between columns


class _Drawing:
    """A Chart laid out on its figure: margins from the measured labels (as charts always
    did: see `_TICK_SPACE`), then axes, gridlines, ticks, data, spines, legend and title."""

    def __init__(self, chart: Chart) -> None:
        self.chart = chart
        self.width, self.height = chart.size
        self.rows = -(-len(chart.legend) // min(len(chart.legend), 2)) if chart.legend else 0
        across = chart.kind in ("hbars", "waterfall")  # the values along the bottom
        side = chart.categories if across else chart.labels
        right = chart.labels[-1] if across and chart.labels else ""
        line = text_size("Qg", FONT_SIZE)[1]
        self.legend_row = text_size("Qg", LEGEND_SIZE)[1] + 4
        title = text_size("Qg", TITLE_SIZE, bold=True)[1] + 6 if chart.title else 0.0
        legend = self.rows * self.legend_row + (4 if self.rows else 0)
        self.x0 = min(_width(side) + _TICK_SPACE + _EDGE, 0.6 * self.width)
        self.x1 = self.width - max(8.0, _width([right]) / 2 + _EDGE)
        self.y0 = title + legend + _EDGE
        self.y1 = self.height - (line + _TICK_SPACE + _EDGE)
        if chart.kind == "waterfall":
            self.x1 = self._room_for_notes()

    def _room_for_notes(self) -> float:
        """The plot's right end, pulled in until every bar's note fits on the figure."""
        lo, hi = self.chart.limits
        x1, edge = self.x1, self.width - _EDGE - _PAD
        for start, width, note in zip(self.chart.starts, self.chart.values, self.chart.notes):
            end = max(start, start + float(width))
            if end > lo:
                x1 = min(x1, self.x0 + (edge - text_size(note)[0] - self.x0) * (hi - lo) / (end - lo))
        return x1

    def value(self, v: float) -> float:
        lo, hi = self.chart.limits
        share = (v - lo) / (hi - lo)
        return (
            self.x0 + share * (self.x1 - self.x0)
            if self.chart.kind in ("hbars", "waterfall")
            else self.y1 - share * (self.y1 - self.y0)
        )

    def slot(self, i: float) -> float:
        n = len(self.chart.categories)
        if self.chart.kind == "waterfall":  # categories top to bottom
            i = n - 1 - i
        if self.chart.kind in ("hbars", "waterfall"):  # categories bottom to top, -0.6 .. n - 0.4
            return self.y1 - (i + 0.6) / (n + 0.2) * (self.y1 - self.y0)
        return self.x0 + (i + 0.5) / n * (self.x1 - self.x0)

    def svg(self) -> str:
        w, h = _n(self.width), _n(self.height)
        parts = [
            # as wide as its container up to its own size (a point a unit, as before), the
            # height from the viewBox's proportions: a phone shrinks the chart, never crops it
            f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {w} {h}" '
            f'style="max-width: {w}pt; height: auto" version="1.1">',
            '<defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>',
            f'<rect x="0" y="0" width="{w}" height="{h}" style="fill: #ffffff"/>',
            *self.value_axis(),
            *self.category_axis(),
            *self.data(),
            *self.spines(),
            *self.legend(),
        ]
        if self.chart.title:
            pad = 6 + (self.rows * self.legend_row + 4 if self.rows else 0)
            parts.append(_text(self.x0, self.y0 - pad, self.chart.title, size=TITLE_SIZE, bold=True))
        return "".join(parts) + "</svg>"

    def value_axis(self):
        for tick, label in zip(self.chart.ticks, self.chart.labels):
            at = self.value(tick)
            if self.chart.kind in ("hbars", "waterfall"):
                yield _rule(at, self.y0, at, self.y1, LINE)
                yield _rule(at, self.y1, at, self.y1 + _TICK, MUTED)
                yield _text(at, self.y1 + _TICK + _PAD + _ASCENT * FONT_SIZE, label, anchor="middle")
            else:
                yield _rule(self.x0, at, self.x1, at, LINE)
                yield _rule(self.x0 - _TICK, at, self.x0, at, MUTED)
                yield _text(self.x0 - _TICK - _PAD, at + _MIDDLE * FONT_SIZE, label, anchor="end")

    def category_axis(self):
        for i, label in enumerate(self.chart.categories):
            at = self.slot(i)
            if self.chart.kind in ("hbars", "waterfall"):
                yield _rule(self.x0 - _TICK, at, self.x0, at, MUTED)
                yield _text(self.x0 - _TICK - _PAD, at + _MIDDLE * FONT_SIZE, label, anchor="end")
            else:
                yield _rule(at, self.y1, at, self.y1 + _TICK, MUTED)
                yield _text(at, self.y1 + _TICK + _PAD + _ASCENT * FONT_SIZE, label, anchor="middle")

    def data(self):
        n = len(self.chart.categories)
        across = self.chart.kind in ("hbars", "waterfall")
        half = (0.3 if self.chart.kind == "waterfall" else 0.4) * (
            (self.y1 - self.y0) / (n + 0.2) if across else (self.x1 - self.x0) / n
        )
        if self.chart.kind == "waterfall":
            yield from self.floating(half)
            return
        zero = self.value(max(self.chart.limits[0], 0.0))
        for values, colour in zip(self.chart.series.values(), self.chart.colours):
            if self.chart.kind == "bars":
                for i, v in enumerate(values):
                    x, y = self.slot(i), self.value(float(v))
                    yield _path(
                        [(x - half, zero), (x + half, zero), (x + half, y), (x - half, y)],
                        f"fill: {self.chart.bar_colours[i] if self.chart.bar_colours else colour}",
                        closed=True,
                    )
            elif self.chart.kind == "hbars":
                for i, v in enumerate(values):
                    y, x = self.slot(i), self.value(float(v))
                    yield _path(
                        [(zero, y + half), (x, y + half), (x, y - half), (zero, y - half)],
                        f"fill: {colour}",
                        closed=True,
                    )
            else:
                yield from self.line(values, colour)

    def floating(self, half: float):
        """The waterfall's bars, each from its start, in its colour, its note just past its end."""
        chart = self.chart
        for i, (start, width) in enumerate(zip(chart.starts, chart.values)):
            y, a, b = self.slot(i), self.value(start), self.value(start + float(width))
            a, b = min(a, b), max(a, b)
            yield _path(
                [(a, y + half), (b, y + half), (b, y - half), (a, y - half)],
                f"fill: {chart.colours[i]}",
                closed=True,
            )
            yield _text(b + _PAD, y + _MIDDLE * FONT_SIZE, chart.notes[i])

    def line(self, values, colour: str):
        points = [
            (self.slot(i), self.value(float(v))) if np.isfinite(v) else None for i, v in enumerate(values)
        ]
        run: list = []
        for point in [*points, None]:  # a NaN breaks the line, as matplotlib draws it
            if point is not None:
                run.append(point)
                continue
            if len(run) > 1:
                yield _path(run, f"fill: none; stroke: {colour}; stroke-width: 1.5; stroke-linecap: square")
            run = []
        for point in points:
            if point is not None:
                yield (
                    f'<circle cx="{_n(point[0])}" cy="{_n(point[1])}" r="3" '
                    f'style="fill: {colour}; stroke: {colour}"/>'
                )

    def spines(self):
        style = (
            f"fill: none; stroke: {EDGE}; stroke-width: 0.8; stroke-linejoin: miter; stroke-linecap: square"
        )
        yield _path([(self.x0, self.y1), (self.x0, self.y0)], style)
        yield _path([(self.x0, self.y1), (self.x1, self.y1)], style)

    def legend(self):
        if not self.rows:
            return
        columns = min(len(self.chart.legend), 2)
        room = (self.width - self.x0 - _EDGE) / columns - _HANDLE - _HANDLE_PAD - _COLUMN_GAP
        names = [shorten(t, room, LEGEND_SIZE) for t in self.chart.legend]
        x = self.x0 + 0.8
        for column in range(columns):
            entries = list(range(column * self.rows, min((column + 1) * self.rows, len(names))))
            for row, k in enumerate(entries):  # filled column by column, as matplotlib does
                y = (
                    self.y0
                    - 2.4
                    - text_size("Qg", LEGEND_SIZE)[1] / 2
                    - (self.rows - 1 - row) * self.legend_row
                )
                colour = self.chart.colours[k]
                yield _path(
                    [(x, y), (x + _HANDLE, y)],
                    f"fill: none; stroke: {colour}; stroke-width: 1.5; stroke-linecap: square",
                )
                yield f'<circle cx="{_n(x + _HANDLE / 2)}" cy="{_n(y)}" r="3" style="fill: {colour}; stroke: {colour}"/>'
                yield _text(x + _HANDLE + _HANDLE_PAD, y + _MIDDLE * LEGEND_SIZE, names[k], size=LEGEND_SIZE)
            x += _HANDLE + _HANDLE_PAD + _width([names[k] for k in entries], LEGEND_SIZE) + _COLUMN_GAP


# -- the report's charts ---------------------------------------------------------------------


def lookup(data: pd.DataFrame) -> dict[tuple[str, str], dict[str, float]]:
    """A history frame (metric, breakdown, period, value) read once: (metric, breakdown) ->
    {period: value}, the last row winning as in `series`. `series` and the trend charts take it
    in place of the frame: one partner's several charts read its history once, not per line."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for metric, breakdown, period, value in zip(
        data["metric"].to_numpy(dtype=object),
        data["breakdown"].to_numpy(dtype=object, na_value=""),
        data["period"].to_numpy(dtype=object),
        data["value"].to_numpy(dtype=float),
    ):
        out.setdefault((metric, breakdown), {})[period] = value
    return out


def series(data: pd.DataFrame | dict, metric: str, periods: list[str], breakdown: str = "") -> pd.Series:
    """One metric's values over `periods` (period name -> value; NaN where absent); `data` a
    history frame or its `lookup`."""
    if isinstance(data, dict):
        found = data.get((metric, breakdown), {})
    else:  # plain arrays: pandas' masks on string columns cost ~2 ms a call
        keep = (data["metric"].to_numpy(dtype=object) == metric) & (
            data["breakdown"].to_numpy(dtype=object, na_value="") == breakdown
        )
        found = dict(
            zip(data["period"].to_numpy(dtype=object)[keep], data["value"].to_numpy(dtype=float)[keep])
        )
    return pd.Series(
        [found.get(q, np.nan) for q in periods],
        index=pd.Index(periods, name="period"),
        name="value",
        dtype=float,
    )


def _said(names: list[str], fy_start_month: int) -> list[str]:
    """The periods as a reader of the locale names them: the ticks of a chart by quarter."""
    return [label_for_people(name, fy_start_month) for name in names]


def _money(currency: str):
    return lambda v: numbers.money(v, currency, compact=True)


def _count(v: float) -> str:
    return numbers.count(v)


def _done(chart: Chart, ax):
    return chart if ax is None else chart.draw(ax)


def plot_revenue_trend(
    data: pd.DataFrame,
    *,
    periods: list[str],
    currency: str = "USD",
    fy_start_month: int = 1,
    ax=None,
    **kwargs,
):
    """Revenue by quarter as bars over `periods` (a sentence instead when there is none)."""
    values = series(data, "revenue", periods).fillna(0.0).to_numpy()
    if not np.any(values):
        return _nothing(
            "bars",
            ngettext(
                "No revenue in the quarter.", "No revenue in the last {n} quarters.", len(periods)
            ).format(**_quarters(len(periods))),
            ax,
        )
    limits, ticks, labels = _value_axis(values, _money(currency))
    return _done(
        Chart(
            "bars",
            _said(periods, fy_start_month),
            {"revenue": values},
            [_colour(kwargs, PALETTE[0])],
            limits,
            ticks,
            labels,
            _("Revenue by quarter"),
        ),
        ax,
    )


def plot_periods(
    values: list[tuple[str, float]], fmt, *, title: str, integer: bool = True, size=(4.5, 2.4), ax=None
):
    """A measure in a few periods (name, value) as bars, the last (the period reported on) in
    the main colour, the earlier ones lighter; `fmt` writes the value axis' ticks."""
    numbers_ = np.array([v for _name, v in values], dtype=float)
    limits, ticks, labels = _value_axis(numbers_, fmt, integer=integer)
    return _done(
        Chart(
            "bars",
            [name for name, _v in values],
            {"value": numbers_},
            [PERIOD],
            limits,
            ticks,
            labels,
            title,
            size=(size[0] * 72, size[1] * 72),
            bar_colours=[EARLIER] * (len(values) - 1) + [PERIOD],
        ),
        ax,
    )


def plot_win_rate(data: pd.DataFrame, *, periods: list[str], fy_start_month: int = 1, ax=None, **kwargs):
    """Win rate (won ÷ closed) by quarter as a line; gaps where nothing closed."""
    values = series(data, "win_rate", periods).to_numpy()
    n = len(periods)
    if not np.any(np.isfinite(values)):
        return _nothing(
            "lines",
            ngettext(
                "No deal closed in the quarter, so there is no win rate.",
                "No deal closed in the last {n} quarters, so there is no win rate.",
                n,
            ).format(**_quarters(n)),
            ax,
        )
    if not np.nansum(values):
        return _nothing(
            "lines",
            ngettext(
                "No deal won in the quarter: the win rate was {zero} in every quarter with closed deals.",
                "No deal won in the last {n} quarters: the win rate was {zero} in every quarter with closed deals.",
                n,
            ).format(**_quarters(n), zero=numbers.percent(0.0)),
            ax,
        )
    limits, ticks, labels = _value_axis(values, numbers.percent, integer=False, limits=(0.0, 1.04))
    return _done(
        Chart(
            "lines",
            _said(periods, fy_start_month),
            {"win_rate": values},
            [_colour(kwargs, PALETTE[1])],
            limits,
            ticks,
            labels,
            _("Win rate by quarter"),
        ),
        ax,
    )


def plot_leading_activity(
    data: pd.DataFrame,
    *,
    periods: list[str],
    metrics: list[str],
    labels: dict[str, str] | None = None,
    fy_start_month: int = 1,
    ax=None,
    **kwargs,
):
    """Leading activity counts by quarter, one line per metric (whole-number ticks); the
    legend sits above the plot, under the title: it never hides a line."""
    labels = labels or {}
    _colour(kwargs, "")
    drawn = {m: series(data, m, periods).to_numpy() for m in metrics}
    drawn = {labels.get(m, m): v for m, v in drawn.items() if np.nansum(np.abs(v)) > 0}
    if not drawn:
        n = len(periods)
        return _nothing(
            "lines",
            ngettext(
                "No leading activity recorded in the quarter.",
                "No leading activity recorded in the last {n} quarters.",
                n,
            ).format(**_quarters(n)),
            ax,
        )
    limits, ticks, ticklabels = _value_axis(np.concatenate(list(drawn.values())), _count)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(drawn))]
    return _done(
        Chart(
            "lines",
            _said(periods, fy_start_month),
            drawn,
            colours,
            limits,
            ticks,
            ticklabels,
            _("Leading activity by quarter"),
            list(drawn),
        ),
        ax,
    )


def category_rows(data: pd.DataFrame, period: str) -> pd.DataFrame:
    """The rows of revenue by product category (breakdown `product_category=...`) in `period`;
    masks on plain arrays (pandas' string masks cost a millisecond on a partner's history)."""
    breakdown = data["breakdown"].to_numpy(dtype=object, na_value="")
    keep = (
        (data["metric"].to_numpy(dtype=object, na_value="") == "revenue")
        & (data["period"].to_numpy(dtype=object, na_value="") == period)
        & np.array([str(b).startswith("product_category=") for b in breakdown], dtype=bool)
    )
    return data.iloc[np.flatnonzero(keep)]


def plot_revenue_by_category(
    data: pd.DataFrame, *, period: str, currency: str = "USD", fy_start_month: int = 1, ax=None, **kwargs
):
    """Revenue in `period` by product category, largest first (at the top), as horizontal bars."""
    rows = category_rows(data, period)
    order = rows["value"].reset_index(drop=True).sort_values().index.to_numpy()  # pandas' order: NaN last
    values = rows["value"].to_numpy(dtype=float, na_value=np.nan)[order]
    values = np.where(np.isnan(values), 0.0, values)
    categories = [str(b).split("=", 1)[1] for b in rows["breakdown"].to_numpy(dtype=object)[order]]
    if not np.any(values):
        return _nothing(
            "hbars",
            _("No revenue by product category in {period}.").format(
                period=label_for_people(period, fy_start_month)
            ),
            ax,
        )
    names = [shorten(c, 0.35 * FIGSIZE[0] * 72) for c in categories]
    limits, ticks, labels = _value_axis(values, _money(currency))
    return _done(
        Chart(
            "hbars",
            names,
            {"revenue": values},
            [_colour(kwargs, PALETTE[2])],
            limits,
            ticks,
            labels,
            _("Revenue by product category, {period}").format(
                period=label_for_people(period, fy_start_month)
            ),
        ),
        ax,
    )


RISE, FALL, TOTAL = "#55a868", "#c44e52", "#4c72b0"  # the waterfalls' colours
_WATERFALL_ROW, _WATERFALL_WIDTH = 20.0, 400.0  # points: a bar's row; the figure's width


def plot_waterfall(
    steps: list[tuple[str, float, float, bool]],
    *,
    fmt,
    integer: bool = True,
    title: str = "",
    total: str = TOTAL,
    ax=None,
):
    """A horizontal waterfall, first step at the top: `steps` are (name, start, end, is_total);
    a total is a bar from 0 to its end labelled with its end, any other step a bar floating
    from its start to its end (green up, red down) labelled with the change, signed.
    `fmt(value, signed)` writes the labels and the ticks (signed=False for the ticks).
    Names are cut with '…' only past 40% of the figure's width; 400 points wide, it keeps its
    text at 7 px and more on a phone's 390 px screen."""
    names = [shorten(name, 0.4 * _WATERFALL_WIDTH) for name, *_rest in steps]
    starts = [min(0.0, end) if t else min(start, end) for _n, start, end, t in steps]
    widths = [abs(end) if t else abs(end - start) for _n, start, end, t in steps]
    colours = [total if t else (RISE if end >= start else FALL) for _n, start, end, t in steps]
    notes = [fmt(end) if t else fmt(end - start, True) for _n, start, end, t in steps]
    ends = [v for _n, start, end, _t in steps for v in (start, end)]
    limits, ticks, labels = _value_axis(ends, fmt, integer=integer)
    line = text_size("Qg", FONT_SIZE)[1]
    head = text_size("Qg", TITLE_SIZE, bold=True)[1] + 6 if title else 0.0
    height = _WATERFALL_ROW * (len(steps) + 0.2) + head + line + _TICK_SPACE + 2 * _EDGE
    chart = Chart(
        "waterfall",
        names,
        {"": np.asarray(widths, dtype=float)},
        colours,
        limits,
        ticks,
        labels,
        title,
        size=(_WATERFALL_WIDTH, height),
        starts=starts,
        notes=notes,
    )
    return _done(chart, ax)
