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
