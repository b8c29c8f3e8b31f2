"""The two waterfalls (the story's revenue bridge, the goals page's baseline-to-target) are
charts.Chart SVG: inline <svg> named by a <title>, each bar as long as its step, worked by hand."""

import importlib
import re

import pandas as pd
import pytest
from partnerbook import display, goals
from partnerbook.charts import text_size

bridge = importlib.import_module("partnerbook.narrative.bridge")  # narrative.bridge is the section

BAR = re.compile(
    r'<path d="M ([-\d.]+) ([-\d.]+) L ([-\d.]+) [-\d.]+ L [-\d.]+ [-\d.]+ L [-\d.]+ [-\d.]+ z" style="fill: (#[0-9a-f]{6})"'
)
TICK = re.compile(r'text-anchor: middle; fill: #1a202c" x="([-\d.]+)" y="[-\d.]+">([^<]+)</text>')


def _bars(svg: str, ticks: dict[str, float]) -> list[tuple[float, float, str]]:
    """(start, end, colour) of each bar, top to bottom, in data units: the value axis from two
    of its tick labels (their x and the value they stand for)."""
    at = {label: float(x) for x, label in TICK.findall(svg)}
    (a, va), (b, vb) = [(at[label], value) for label, value in ticks.items()]
    scale = (b - a) / (vb - va)
    bars = sorted((float(y), float(x0), float(x1), colour) for x0, y, x1, colour in BAR.findall(svg))
    return [((x0 - a) / scale + va, (x1 - a) / scale + va, colour) for _y, x0, x1, colour in bars]


def test_the_revenue_bridge_is_an_inline_svg_whose_bars_are_the_steps():
    # $1,000 in Q2; Ada +$300 (1,000 -> 1,300), Bo -$500 (1,300 -> 800), 2 others +$100 (800 -> 900); $900 in Q3
    parts = pd.DataFrame({"part": ["Ada", "Bo", "2 other partners"], "change": [300.0, -500.0, 100.0]})
    chart = bridge._plot(parts, 1000.0, 900.0, "Q2 2026", "Q3 2026")
    svg = display.figure(chart.figure, alt="Waterfall from Q2 to Q3").data
    assert (
        svg.startswith('<figure class="pb-figure"><svg ') and "<title>Waterfall from Q2 to Q3</title>" in svg
    )
    assert "<img" not in svg and "matplotlib" not in svg
    bars = _bars(svg, {"$0": 0.0, "$1,000": 1000.0})
    assert [(round(s), round(e)) for s, e, _c in bars] == [
        (0, 1000),
        (1000, 1300),
        (800, 1300),
        (800, 900),
        (0, 900),
    ]
    assert [c for _s, _e, c in bars] == ["#2a5b9b", "#55a868", "#c44e52", "#55a868", "#2a5b9b"]
    for text in (
        "Q2 2026",
        "Ada",
        "Bo",
        "2 other partners",
        "Q3 2026",
        "$1,000",
        "+$300",
        "−$500",
        "+$100",
        "$900",
    ):
        assert f">{text}</text>" in svg, text


def test_the_target_waterfall_is_an_inline_svg_whose_bars_are_the_steps():
    # 200 x 1.5 growth = 300; x 0.5 capacity = 150; margin, mix, attach x 1; x 1.2 maturity = 180
    row = {
        "partner_id": "P7",
        "metric": "revenue",
        "baseline": 200.0,
        "growth": 0.5,
        "capacity": 0.5,
        "margin_adj": 1.0,
        "mix_adj": 1.0,
        "attach_adj": 1.0,
        "maturity": 1.2,
        "target": 180.0,
    }
    chart = goals.plot_waterfall(row, currency="EUR")
    svg = display.figure(chart.figure, alt="Waterfall of the revenue target").data
    assert "<title>Waterfall of the revenue target</title>" in svg
    assert ">P7: revenue from baseline to target</text>" in svg
    bars = _bars(svg, {"€0": 0.0, "€100": 100.0})
    expected = [(0, 200), (200, 300), (150, 300), (150, 150), (150, 150), (150, 150), (150, 180), (0, 180)]
    assert [(round(s), round(e)) for s, e, _c in bars] == expected
    assert [c for _s, _e, c in bars][:3] == ["#4c72b0", "#55a868", "#c44e52"]
    assert chart.notes == ["€200", "+€100", "−€150", "€0", "€0", "€0", "+€30", "€180"]
    assert chart.categories[0] == "Baseline" and chart.categories[-1] == "Target"


@pytest.mark.parametrize("top", [0.4, 12_345_678.0])
def test_a_waterfall_keeps_its_notes_on_the_figure(top):
    parts = pd.DataFrame(
        {"part": ["A partner with a very long name indeed, Ltd", "b"], "change": [top, -top / 2]}
    )
    chart = bridge._plot(parts, top, top * 1.5, "Q2", "Q3")
    width = chart.size[0]
    for x, text in re.findall(
        r'text-anchor: start; fill: #1a202c" x="([-\d.]+)" y="[-\d.]+">([^<]+)</text>', chart.svg()
    ):
        assert float(x) + text_size(text)[0] <= width, text
    assert chart.categories[1].endswith("…")
