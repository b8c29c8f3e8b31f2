import re

import numpy as np
import pandas as pd

from partnerbook import charts

QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3"]


def _history():
    return pd.DataFrame(
        {
            "period": ["2026-Q1", "2026-Q3", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q3"],
            "metric": ["revenue", "revenue", "win_rate", "win_rate", "win_rate", "revenue", "revenue"],
            "breakdown": ["", "", "", "", "", "product_category=Cloud", "product_category=Services"],
            "value": [100.0, 300.0, 0.5, np.nan, 0.25, 120.0, 180.0],
        }
    )


def test_series_fills_missing_periods_with_nan():
    s = charts.series(_history(), "revenue", QUARTERS)
    assert s.loc["2026-Q1"] == 100.0 and np.isnan(s.loc["2026-Q2"]) and s.loc["2026-Q3"] == 300.0


def test_series_of_a_breakdown_and_of_totals_with_missing_breakdown():
    h = _history()
    cloud = charts.series(h, "revenue", QUARTERS, breakdown="product_category=Cloud")
    assert np.isnan(cloud.loc["2026-Q1"]) and cloud.loc["2026-Q3"] == 120.0
    h["breakdown"] = h["breakdown"].replace("", None).astype("string")  # totals as <NA>, as stored
    totals = charts.series(h, "revenue", QUARTERS)
    assert (
        list(totals.index) == QUARTERS and totals.loc["2026-Q3"] == 300.0 and totals.loc["2026-Q1"] == 100.0
    )


def test_revenue_trend_bars_per_quarter_zero_where_none():
    chart = charts.plot_revenue_trend(_history(), periods=QUARTERS)
    assert list(chart.values) == [100.0, 0.0, 300.0] and chart.categories == QUARTERS
    assert len(_bars(_published(chart), charts.PALETTE[0])) == 3  # a zero bar is drawn too


def test_win_rate_line_has_gap_where_nothing_closed():
    chart = charts.plot_win_rate(_history(), periods=QUARTERS)
    y = chart.values
    assert y[0] == 0.5 and np.isnan(y[1]) and y[2] == 0.25
    svg = _published(chart)  # no line across the gap: two dots, no stroke between them
    assert svg.count("<circle ") == 2 and "stroke-width: 1.5" not in svg


def test_revenue_by_category_sorted_largest_on_top():
    chart = charts.plot_revenue_by_category(_history(), period="2026-Q3")
    assert list(chart.values) == [120.0, 180.0] and chart.categories == ["Cloud", "Services"]
    bars = _bars(_published(chart), charts.PALETTE[2])  # (x0, y0, x1, y1), Cloud at the bottom
    assert len(bars) == 2 and bars[0][3] > bars[1][3]


def test_leading_activity_one_line_per_metric_into_given_axes():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    data = pd.DataFrame(
        {
            "period": QUARTERS * 2,
            "metric": ["certifications"] * 3 + ["trials_started"] * 3,
            "breakdown": [""] * 6,
            "value": [1.0, 2.0, 3.0, 0.0, 1.0, 0.0],
        }
    )
    out = charts.plot_leading_activity(
        data,
        periods=QUARTERS,
        metrics=["certifications", "trials_started"],
        labels={"certifications": "Certifications"},
        ax=ax,
    )
    assert out is ax and len(ax.lines) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Certifications", "trials_started"]


# -- charts that cannot mislead ------------------------------------------------------------

import itertools

import pytest
from partnerbook import display

EIGHT = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
ACTIVITY = ["webinars_attended", "deals_registered", "opportunities_created", "trainings_attended"]


def _frame(periods, values, metrics=("revenue",), breakdown=""):
    rows = [(q, m, breakdown, v) for m in metrics for q, v in zip(periods, values)]
    return pd.DataFrame(rows, columns=["period", "metric", "breakdown", "value"])


def _categories(values, period="2026-Q3"):
    names = ["Cloud", "Security and compliance services for regulated industries", "Data", "Services"]
    return pd.DataFrame(
        [(period, "revenue", f"product_category={n}", v) for n, v in zip(names, values)],
        columns=["period", "metric", "breakdown", "value"],
    )


def _every_chart(top: float, periods: list[str], currency: str):
    """Every kind of partner chart, drawn with values up to `top`."""
    values = [top * (i + 1) / len(periods) for i in range(len(periods))]
    yield charts.plot_revenue_trend(_frame(periods, values), periods=periods, currency=currency)
    yield charts.plot_win_rate(
        _frame(periods, [min(v / top, 1.0) for v in values], ("win_rate",)), periods=periods
    )
    yield charts.plot_leading_activity(
        _frame(periods, values, ACTIVITY),
        periods=periods,
        metrics=ACTIVITY,
        labels={m: m.replace("_", " ").capitalize() for m in ACTIVITY},
    )
    yield charts.plot_revenue_by_category(
        _categories([top, top / 3, top / 7, top / 2]), period="2026-Q3", currency=currency
    )


def _published(chart) -> str:
    return display.figure(chart.figure, alt="chart").data


def _outside(chart) -> list[str]:
    """Every tick label, title and legend text of the published SVG not wholly inside it."""
    return _svg_text_outside(_published(chart))


def _bars(svg: str, colour: str) -> list[tuple[float, ...]]:
    """(x0, y0, x1, y1) of every four-cornered closed path filled with `colour`."""
    out = []
    for d, style in re.findall(r'<path d="([^"]*)" style="([^"]*)"', svg):
        points = [(float(x), float(y)) for x, y in re.findall(r"[ML] (-?[\d.]+) (-?[\d.]+)", d)]
        if f"fill: {colour}" in style and len(points) == 4 and d.endswith("z"):
            xs, ys = [x for x, _ in points], [y for _, y in points]
            out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


@pytest.mark.parametrize(
    "top, periods, currency",
    [
        (top, periods, currency)
        for (top, currency), periods in itertools.product(
            [
                (0.1, "USD"),
                (7.0, "CHF"),
                (15.0, "USD"),
                (12_345.0, "CHF"),
                (987_654_321.0, "CHF"),
                (1e9, "USD"),
            ],
            [EIGHT, ["2026-Q3"]],
        )
    ],
)
def test_every_tick_label_lies_inside_the_figure(top, periods, currency):
    for chart in _every_chart(top, periods, currency):
        assert not charts.empty(chart.figure)
        assert chart.labels and chart.categories and _outside(chart) == [], chart.title


def test_count_ticks_are_whole_numbers_one_webinar_is_0_and_1():
    # P001: one webinar in the last quarter, none before: ticks 0 and 1, not 0.3/0.6/0.9
    chart = charts.plot_leading_activity(
        _frame(EIGHT, [0] * 7 + [1], ("webinars_attended",)), periods=EIGHT, metrics=["webinars_attended"]
    )
    assert chart.labels == ["0", "1"]
    # P075: 15 registrations: whole ticks 0, 5, 10, 15 (none cut to "5/0/5/0": checked inside above)
    chart = charts.plot_leading_activity(
        _frame(EIGHT, [0, 3, 15, 0, 2, 0, 4, 6], ("deals_registered",)),
        periods=EIGHT,
        metrics=["deals_registered"],
    )
    assert chart.labels == ["0", "5", "10", "15"]
    assert _outside(chart) == []


def test_money_ticks_are_whole_and_labelled_once_each():
    chart = charts.plot_revenue_trend(_frame(["2026-Q3"], [0.1]), periods=["2026-Q3"])
    assert chart.labels == ["$0", "$1"]
    chart = charts.plot_revenue_trend(_frame(EIGHT[-2:], [100_800.0, 40_000.0]), periods=EIGHT[-2:])
    labels = chart.labels
    assert labels == ["$0", "$50K", "$100K", "$150K"] and len(set(labels)) == len(labels)


def test_win_rate_axis_is_0_to_100_percent():
    chart = charts.plot_win_rate(_frame(EIGHT, [0.5] * 8, ("win_rate",)), periods=EIGHT)
    assert chart.labels == ["0%", "50%", "100%"]


def test_long_category_names_end_with_an_ellipsis_inside_the_figure():
    chart = charts.plot_revenue_by_category(_categories([5.0, 4.0, 3.0, 2.0]), period="2026-Q3")
    names = chart.categories
    assert names[-1] == "Cloud" and any(n.endswith("…") and n.startswith("Security and") for n in names)
    assert _outside(chart) == []


@pytest.mark.parametrize(
    "draw, sentence",
    [
        (
            lambda: charts.plot_revenue_trend(_frame(EIGHT, [0.0] * 8), periods=EIGHT),
            "No revenue in the last eight quarters.",
        ),
        (
            lambda: charts.plot_revenue_trend(_frame([], []), periods=EIGHT),
            "No revenue in the last eight quarters.",
        ),
        (
            lambda: charts.plot_win_rate(_frame([], [], ("win_rate",)), periods=EIGHT),
            "No deal closed in the last eight quarters, so there is no win rate.",
        ),
        (
            lambda: charts.plot_leading_activity(
                _frame(EIGHT, [0.0] * 8, ("certifications",)), periods=EIGHT, metrics=["certifications"]
            ),
            "No leading activity recorded in the last eight quarters.",
        ),
        (
            lambda: charts.plot_revenue_by_category(_categories([0.0, 0.0]), period="2026-Q3"),
            "No revenue by product category in 2026-Q3.",
        ),
    ],
)
def test_an_all_zero_or_absent_series_becomes_a_sentence(draw, sentence):
    ax = draw()
    assert charts.empty(ax.figure) == sentence
    out = display.figure(ax.figure, alt="ignored").data
    assert out == f'<p class="pb-note">{sentence}</p>'


def test_gridlines_are_behind_the_bars():
    svg = _published(charts.plot_revenue_trend(_frame(EIGHT, [1.0] * 8), periods=EIGHT))
    grid = [m.start() for m in re.finditer(f"stroke: {charts.LINE}", svg)]
    bars = [m.start() for m in re.finditer(f"fill: {charts.PALETTE[0]}", svg)]
    assert len(grid) == 2 and len(bars) == 8 and max(grid) < min(bars)  # ticks 0 and 1; painted first


# -- the published SVG: every text inside the drawing, for the story's and goals' plots too ---

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
        moved = re.search(r"translate\((-?[\d.]+) (-?[\d.]+)\)", attrs)  # rotated text is placed so
        if moved:
            x, y = float(moved.group(1)), float(moved.group(2))
        else:
            x, y = (float(re.search(r"\s" + a + r'="([-\d.]+)"', attrs).group(1)) for a in "xy")
        turn = re.search(r"rotate\((-?[\d.]+)", attrs)
        angle = math.radians(-float(turn.group(1))) if turn else 0.0
        anchor = (re.search(r"text-anchor: (\w+)", style) or re.search("(start)", "start")).group(1)
        start = {"start": 0.0, "middle": -0.5, "end": -1.0}[anchor] * w
        ends = [(x + (start + d) * math.cos(angle), y - (start + d) * math.sin(angle)) for d in (0.0, w)]
        xs, ys = [e[0] for e in ends], [e[1] for e in ends]
        if min(xs) < -0.5 or max(xs) > width + 0.5 or min(ys) - h < -0.5 or max(ys) > height + 0.5:
            bad.append(
                f"{text!r} x {min(xs):.1f}..{max(xs):.1f} y {min(ys) - h:.1f}..{max(ys):.1f} "
                f"outside {width}x{height}"
            )
    return bad


def _story_and_goals_plots(top: float):
    meta = SimpleNamespace(label="Registered pipeline", unit="money")
    yield usecases._plot_periods([("2025-Q3", top / 3), ("2026-Q2", top / 2), ("2026-Q3", top)], meta)
    yield usecases._plot_funnel(
        pd.DataFrame(
            {
                "stage": ["recruit", "onboard", "enable", "sell", "grow"],
                "partners": [int(top) % 97 + 1, 8, 13, 23, 16],
            }
        )
    )
    row = {
        "partner_id": "P034",
        "metric": "revenue",
        "baseline": top,
        "growth": 0.1,
        "capacity": 1.05,
        "margin_adj": 0.98,
        "mix_adj": 1.0,
        "attach_adj": 1.02,
        "maturity": 0.95,
        "target": top * 1.1,
    }
    yield goals.plot_waterfall(row, currency="CHF")


@pytest.mark.parametrize("top", [0.1, 15.0, 987_654_321.0])
def test_published_svg_keeps_every_text_inside_for_every_chart_kind(top):
    kinds = [*_every_chart(top, EIGHT, "CHF"), *_story_and_goals_plots(top)]
    for ax in kinds:
        svg = display.figure(ax.figure, alt="chart").data
        assert "<svg " in svg and _svg_text_outside(svg) == [], ax.get_title()


def test_a_french_report_gets_french_ticks_titles_and_sentences():
    from partnerbook import i18n

    nb = "\u00a0"  # Babel's non-breaking spaces in French numbers
    with i18n.using("fr_FR"):
        chart = charts.plot_revenue_trend(_frame(EIGHT[-2:], [100_800.0, 40_000.0]), periods=EIGHT[-2:])
        rate = charts.plot_win_rate(_frame(EIGHT, [0.5] * 8, ("win_rate",)), periods=EIGHT)
        none = charts.plot_revenue_trend(_frame(EIGHT, [0.0] * 8), periods=EIGHT)
        published = _published(chart)
    assert chart.labels == [f"0{nb}$US", f"50{nb}k{nb}$US", f"100{nb}k{nb}$US", f"150{nb}k{nb}$US"]
    assert chart.categories == [f"T2{nb}2026", f"T3{nb}2026"]  # the quarters as French readers name them
    assert chart.title == "Chiffre d’affaires par trimestre" and rate.labels == [
        f"0{nb}%",
        f"50{nb}%",
        f"100{nb}%",
    ]
    assert charts.empty(none) == "Aucun chiffre d’affaires sur les huit derniers trimestres."
    assert f">150{nb}k{nb}$US</text>" in published and _outside(chart) == []


def test_drawn_into_a_matplotlib_axes_the_chart_has_the_same_bars_ticks_and_title():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    out = charts.plot_revenue_trend(_frame(EIGHT[-2:], [100_800.0, 40_000.0]), periods=EIGHT[-2:], ax=ax)
    assert out is ax and [b.get_height() for b in ax.patches] == [100_800.0, 40_000.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["$0", "$50K", "$100K", "$150K"]
    assert [t.get_text() for t in ax.get_xticklabels()] == EIGHT[-2:] and ax.get_title(
        loc="left"
    ) == "Revenue by quarter"
