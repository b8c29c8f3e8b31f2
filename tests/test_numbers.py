import math

import pandas as pd

from partnerbook import numbers as n


def test_money_has_symbol_and_thousands_separators():
    assert n.money(1234567.4) == "$1,234,567"
    assert n.money(-1234, "EUR") == "-€1,234"
    assert n.money(1500, "CHF") == "1,500 CHF"
    assert n.money(1_500_000, compact=True) == "$1.5M"
    assert n.money(45_000, compact=True) == "$45K"


def test_missing_values_are_a_dash_with_a_reason_never_nan():
    for value in (None, float("nan"), math.nan, pd.NA):
        assert n.money(value) == "—"
        assert n.percent(value, reason="no closed deals") == "— (no closed deals)"
        assert n.count(value) == "—"


def test_percent_count_points_days():
    assert n.percent(0.256) == "26%"
    assert n.percent(0.256, digits=1) == "25.6%"
    assert n.percent(0.05, signed=True) == "+5%"
    assert n.percent(-0.05, signed=True) == "−5%"
    assert n.count(12345) == "12,345"
    assert n.points(23.4) == "+23"
    assert n.points(-7.6) == "-8"
    assert n.days(1) == "1 day"
    assert n.days(12.2) == "12 days"


def test_by_unit_picks_the_formatter_of_the_metric_unit():
    assert n.by_unit(0.5, "rate") == "50%"
    assert n.by_unit(2500, "money") == "$2,500"
    assert n.by_unit(3, "count") == "3"


def test_text_of_a_cell_is_empty_when_missing():
    assert [n.text(v) for v in (None, float("nan"), pd.NA, "Gold", 3)] == ["", "", "", "Gold", "3"]
