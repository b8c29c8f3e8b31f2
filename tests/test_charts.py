import numpy as np
import pandas as pd

from partnerbook import charts

QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3"]


def _history():
    return pd.DataFrame({
        "period": ["2026-Q1", "2026-Q3", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q3"],
        "metric": ["revenue", "revenue", "win_rate", "win_rate", "win_rate", "revenue", "revenue"],
        "breakdown": ["", "", "", "", "", "product_category=Cloud", "product_category=Services"],
        "value": [100.0, 300.0, 0.5, np.nan, 0.25, 120.0, 180.0]})


def test_series_fills_missing_periods_with_nan():
    s = charts.series(_history(), "revenue", QUARTERS)
    assert s.loc["2026-Q1"] == 100.0 and np.isnan(s.loc["2026-Q2"]) and s.loc["2026-Q3"] == 300.0


def test_series_of_a_breakdown_and_of_totals_with_missing_breakdown():
    h = _history()
    cloud = charts.series(h, "revenue", QUARTERS, breakdown="product_category=Cloud")
    assert np.isnan(cloud.loc["2026-Q1"]) and cloud.loc["2026-Q3"] == 120.0
    h["breakdown"] = h["breakdown"].replace("", None).astype("string")      # totals as <NA>, as stored
    totals = charts.series(h, "revenue", QUARTERS)
    assert list(totals.index) == QUARTERS and totals.loc["2026-Q3"] == 300.0 and totals.loc["2026-Q1"] == 100.0


def test_revenue_trend_bars_per_quarter_zero_where_none():
    ax = charts.plot_revenue_trend(_history(), periods=QUARTERS)
    assert [b.get_height() for b in ax.patches] == [100.0, 0.0, 300.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == QUARTERS


def test_win_rate_line_has_gap_where_nothing_closed():
    ax = charts.plot_win_rate(_history(), periods=QUARTERS)
    y = ax.lines[0].get_ydata()
    assert y[0] == 0.5 and np.isnan(y[1]) and y[2] == 0.25


def test_revenue_by_category_sorted_largest_on_top():
    ax = charts.plot_revenue_by_category(_history(), period="2026-Q3")
    assert [b.get_width() for b in ax.patches] == [120.0, 180.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Cloud", "Services"]


def test_leading_activity_one_line_per_metric_into_given_axes():
    import matplotlib.pyplot as plt
    _, ax = plt.subplots()
    data = pd.DataFrame({"period": QUARTERS * 2, "metric": ["certifications"] * 3 + ["trials_started"] * 3,
                         "breakdown": [""] * 6, "value": [1.0, 2.0, 3.0, 0.0, 1.0, 0.0]})
    out = charts.plot_leading_activity(data, periods=QUARTERS, metrics=["certifications", "trials_started"],
                                       labels={"certifications": "Certifications"}, ax=ax)
    assert out is ax and len(ax.lines) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Certifications", "trials_started"]


# -- charts that cannot mislead ------------------------------------------------------------

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from partnerbook import display

EIGHT = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
ACTIVITY = ["webinars_attended", "deals_registered", "opportunities_created", "trainings_attended"]


def _frame(periods, values, metrics=("revenue",), breakdown=""):
    rows = [(q, m, breakdown, v) for m in metrics for q, v in zip(periods, values)]
    return pd.DataFrame(rows, columns=["period", "metric", "breakdown", "value"])


def _categories(values, period="2026-Q3"):
    names = ["Cloud", "Security and compliance services for regulated industries", "Data", "Services"]
    return pd.DataFrame([(period, "revenue", f"product_category={n}", v) for n, v in zip(names, values)],
                        columns=["period", "metric", "breakdown", "value"])


def _every_chart(top: float, periods: list[str], currency: str):
    """Every kind of partner chart, drawn with values up to `top`."""
    values = [top * (i + 1) / len(periods) for i in range(len(periods))]
    yield charts.plot_revenue_trend(_frame(periods, values), periods=periods, currency=currency)
    yield charts.plot_win_rate(_frame(periods, [min(v / top, 1.0) for v in values], ("win_rate",)),
                               periods=periods)
    yield charts.plot_leading_activity(_frame(periods, values, ACTIVITY), periods=periods, metrics=ACTIVITY,
                                       labels={m: m.replace("_", " ").capitalize() for m in ACTIVITY})
    yield charts.plot_revenue_by_category(_categories([top, top / 3, top / 7, top / 2]), period="2026-Q3",
                                          currency=currency)


def _outside(fig) -> list[str]:
    """Every tick label, title and legend text whose box is not wholly inside the figure."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    inside = fig.bbox
    texts = []
    for ax in fig.axes:
        texts += [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_visible() and t.get_text()]
        texts += [ax.title] + ([*ax.get_legend().get_texts()] if ax.get_legend() else [])
    bad = []
    for text in texts:
        box = text.get_window_extent(renderer)
        if not (box.x0 >= inside.x0 and box.x1 <= inside.x1 and box.y0 >= inside.y0 and box.y1 <= inside.y1):
            bad.append(f"{text.get_text()!r} at {box.bounds} outside {inside.bounds}")
    return bad


@pytest.mark.parametrize("top, periods, currency", [
    (top, periods, currency) for (top, currency), periods in itertools.product(
        [(0.1, "USD"), (7.0, "CHF"), (15.0, "USD"), (12_345.0, "CHF"), (987_654_321.0, "CHF"), (1e9, "USD")],
        [EIGHT, ["2026-Q3"]])])
def test_every_tick_label_lies_inside_the_figure(top, periods, currency):
    for ax in _every_chart(top, periods, currency):
        assert not charts.empty(ax.figure)
        assert _outside(ax.figure) == []


def test_count_ticks_are_whole_numbers_one_webinar_is_0_and_1():
    # P001: one webinar in the last quarter, none before: ticks 0 and 1, not 0.3/0.6/0.9
    ax = charts.plot_leading_activity(_frame(EIGHT, [0] * 7 + [1], ("webinars_attended",)), periods=EIGHT,
                                      metrics=["webinars_attended"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1"]
    # P075: 15 registrations: whole ticks 0, 5, 10, 15 (none cut to "5/0/5/0": checked inside above)
    ax = charts.plot_leading_activity(_frame(EIGHT, [0, 3, 15, 0, 2, 0, 4, 6], ("deals_registered",)),
                                      periods=EIGHT, metrics=["deals_registered"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "5", "10", "15"]
    assert _outside(ax.figure) == []


def test_money_ticks_are_whole_and_labelled_once_each():
    ax = charts.plot_revenue_trend(_frame(["2026-Q3"], [0.1]), periods=["2026-Q3"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["$0", "$1"]
    ax = charts.plot_revenue_trend(_frame(EIGHT[-2:], [100_800.0, 40_000.0]), periods=EIGHT[-2:])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["$0", "$50K", "$100K", "$150K"] and len(set(labels)) == len(labels)


def test_win_rate_axis_is_0_to_100_percent():
    ax = charts.plot_win_rate(_frame(EIGHT, [0.5] * 8, ("win_rate",)), periods=EIGHT)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0%", "50%", "100%"]


def test_long_category_names_end_with_an_ellipsis_inside_the_figure():
    ax = charts.plot_revenue_by_category(_categories([5.0, 4.0, 3.0, 2.0]), period="2026-Q3")
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[-1] == "Cloud" and any(n.endswith("…") and n.startswith("Security and") for n in names)
    assert _outside(ax.figure) == []


@pytest.mark.parametrize("draw, sentence", [
    (lambda: charts.plot_revenue_trend(_frame(EIGHT, [0.0] * 8), periods=EIGHT),
     "No revenue in the last eight quarters."),
    (lambda: charts.plot_revenue_trend(_frame([], []), periods=EIGHT),
     "No revenue in the last eight quarters."),
    (lambda: charts.plot_win_rate(_frame([], [], ("win_rate",)), periods=EIGHT),
     "No deal closed in the last eight quarters, so there is no win rate."),
    (lambda: charts.plot_leading_activity(_frame(EIGHT, [0.0] * 8, ("certifications",)), periods=EIGHT,
                                          metrics=["certifications"]),
     "No leading activity recorded in the last eight quarters."),
    (lambda: charts.plot_revenue_by_category(_categories([0.0, 0.0]), period="2026-Q3"),
     "No revenue by product category in 2026-Q3."),
])
def test_an_all_zero_or_absent_series_becomes_a_sentence(draw, sentence):
    ax = draw()
    assert charts.empty(ax.figure) == sentence
    out = display.figure(ax.figure, alt="ignored").data
    assert out == f'<p class="pb-note">{sentence}</p>'


def test_gridlines_are_behind_the_bars():
    ax = charts.plot_revenue_trend(_frame(EIGHT, [1.0] * 8), periods=EIGHT)
    grid = ax.yaxis.get_gridlines()[0]
    assert ax.get_axisbelow() is True
    FigureCanvasAgg(ax.figure).draw()        # the axis' zorder is settled when drawn
    assert all(ax.yaxis.get_zorder() < bar.get_zorder() for bar in ax.patches)


# -- the published SVG: every text inside the drawing, for the story's and goals' plots too ---

import re
from types import SimpleNamespace

from partnerbook import goals
from partnerbook.narrative import usecases

_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")


def _svg_text_outside(svg: str) -> list[str]:
    """Texts of an inline SVG chart whose extent (measured in the charts' font at the size the
    SVG gives, rotation included) leaves its viewBox."""
    import html as html_mod
    import math
    _, _, width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    bad = []
    for attrs, text in _TEXT.findall(svg):
        text = html_mod.unescape(text)
        style = re.search(r'style="([^"]*)"', attrs).group(1)
        size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
        w, h = charts.text_size(text, size, bold="font-weight: 700" in style)
        moved = re.search(r'translate\((-?[\d.]+) (-?[\d.]+)\)', attrs)     # rotated text is placed so
        if moved:
            x, y = float(moved.group(1)), float(moved.group(2))
        else:
            x, y = (float(re.search(r'\s' + a + r'="([-\d.]+)"', attrs).group(1)) for a in "xy")
        turn = re.search(r'rotate\((-?[\d.]+)', attrs)
        angle = math.radians(-float(turn.group(1))) if turn else 0.0
        anchor = (re.search(r"text-anchor: (\w+)", style) or re.search("(start)", "start")).group(1)
        start = {"start": 0.0, "middle": -0.5, "end": -1.0}[anchor] * w
        ends = [(x + (start + d) * math.cos(angle), y - (start + d) * math.sin(angle)) for d in (0.0, w)]
        xs, ys = [e[0] for e in ends], [e[1] for e in ends]
        if min(xs) < -0.5 or max(xs) > width + 0.5 or min(ys) - h < -0.5 or max(ys) > height + 0.5:
            bad.append(f"{text!r} x {min(xs):.1f}..{max(xs):.1f} y {min(ys) - h:.1f}..{max(ys):.1f} "
                       f"outside {width}x{height}")
    return bad


def _story_and_goals_plots(top: float):
    meta = SimpleNamespace(label="Registered pipeline", unit="money")
    yield usecases._plot_periods([("2025-Q3", top / 3), ("2026-Q2", top / 2), ("2026-Q3", top)], meta)
    yield usecases._plot_funnel(pd.DataFrame({"stage": ["recruit", "onboard", "enable", "sell", "grow"],
                                               "partners": [int(top) % 97 + 1, 8, 13, 23, 16]}))
    row = {"partner_id": "P034", "metric": "revenue", "baseline": top, "growth": 0.1, "capacity": 1.05,
           "margin_adj": 0.98, "mix_adj": 1.0, "attach_adj": 1.02, "maturity": 0.95, "target": top * 1.1}
    yield goals.plot_waterfall(row, currency="CHF")


@pytest.mark.parametrize("top", [0.1, 15.0, 987_654_321.0])
def test_published_svg_keeps_every_text_inside_for_every_chart_kind(top):
    kinds = [*_every_chart(top, EIGHT, "CHF"), *_story_and_goals_plots(top)]
    for ax in kinds:
        svg = display.figure(ax.figure, alt="chart").data
        assert "<svg " in svg and _svg_text_outside(svg) == [], ax.get_title()


def _fresh(draw):
    """What `draw()` publishes on a newly made figure (no chart of its kind drawn before)."""
    charts._REUSED.clear()
    return display.figure(draw().figure, alt="chart").data


@pytest.mark.parametrize("first, second", [
    (lambda: charts.plot_revenue_by_category(_categories([9e6, 2.0, 3.0, 4.0]), period="2026-Q3"),
     lambda: charts.plot_revenue_by_category(_categories([5.0, 7.0]), period="2026-Q3", currency="CHF")),
    (lambda: charts.plot_leading_activity(_frame(EIGHT, range(8), ACTIVITY), periods=EIGHT, metrics=ACTIVITY),
     lambda: charts.plot_leading_activity(_frame(EIGHT[-1:], [1], ("certifications",)), periods=EIGHT[-1:],
                                          metrics=["certifications"])),
    (lambda: charts.plot_revenue_trend(_frame(EIGHT, [0.0] * 8), periods=EIGHT),
     lambda: charts.plot_revenue_trend(_frame(EIGHT[-3:], [1.0, 2e5, 3.0]), periods=EIGHT[-3:])),
    (lambda: charts.plot_win_rate(_frame(EIGHT, [0.5] * 8, ("win_rate",)), periods=EIGHT),
     lambda: charts.plot_win_rate(_frame(EIGHT, [np.nan] * 7 + [0.25], ("win_rate",)), periods=EIGHT)),
])
def test_a_reused_figure_keeps_nothing_of_the_chart_before(first, second):
    """Charts reuse one figure per kind: the second chart, drawn after the first, publishes
    exactly what it publishes on a new figure (no bar, line, label, legend or colour left over)."""
    expected = _fresh(second)
    charts._REUSED.clear()
    display.figure(first().figure, alt="chart")
    assert display.figure(second().figure, alt="chart").data == expected
