import math

import pandas as pd

from partnerbook import i18n
from partnerbook import numbers as n


def test_money_has_symbol_and_thousands_separators():
    assert n.money(1234567.4) == "$1,234,567"
    assert n.money(-1234, "EUR") == "−€1,234"
    assert (
        n.money(-64_400) == "−$64,400" and n.money(-1234, "CHF") == "−CHF\u00a01,234"
    )  # CLDR en_US: code first, spaced
    assert n.money(-2_450_000, compact=True) == "−$2.5M"  # 2.45 -> 2.5, half up
    assert n.money(-0.4) == "$0"  # rounds to zero: no sign
    assert n.money(1500, "CHF") == "CHF\u00a01,500"
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
    assert n.points(-7.6) == "−8"
    assert n.days(-3) == "−3 days" and n.days(-1) == "−1 day"
    assert n.count(-1234) == "−1,234"
    assert n.days(1) == "1 day"
    assert n.days(12.2) == "12 days"


def test_by_unit_picks_the_formatter_of_the_metric_unit():
    assert n.by_unit(0.5, "rate") == "50%"
    assert n.by_unit(2500, "money") == "$2,500"
    assert n.by_unit(3, "count") == "3"
    assert (
        n.by_unit(4, "ratio") == "4.0×"
        and n.by_unit(None, "ratio", reason="no MDF paid") == "— (no MDF paid)"
    )


def test_ratio_is_a_multiple_not_a_percent():
    assert n.ratio(4) == "4.0×" and n.ratio(0.25) == "0.3×" and n.ratio(2.45) == "2.5×"
    assert n.ratio(12.5) == "13×" and n.ratio(1234) == "1,234×" and n.ratio(-0.5) == "−0.5×"


def test_text_of_a_cell_is_empty_when_missing():
    assert [n.text(v) for v in (None, float("nan"), pd.NA, "Gold", 3)] == ["", "", "", "Gold", "3"]


def test_one_minus_sign_everywhere():
    """U+2212, never the hyphen-minus, whatever the formatter or its options."""
    assert n.percent(-0.58) == "−58%" and n.percent(-0.45, signed=True) == "−45%"
    assert n.percent(-0.0449, digits=1) == "−4.5%"
    assert n.percent(-0.001) == "0%"  # −0.1% rounds to 0: no sign
    for text in (
        n.money(-64_400),
        n.percent(-0.58),
        n.count(-3),
        n.points(-12),
        n.days(-2),
        n.by_unit(-0.2, "rate"),
        n.by_unit(-5, "money"),
    ):
        assert "-" not in text and text.startswith("−"), text


def test_halves_round_up_not_to_even():
    # Python's round() gives 62 and 88 (to even) for these; people expect 63 and 88.
    assert n.percent(0.625) == "63%" and n.percent(0.875) == "88%"
    assert n.percent(0.125) == "13%" and n.percent(0.0125, digits=1) == "1.3%"
    assert n.money(2.5) == "$3" and n.money(1_234.5) == "$1,235"
    assert n.count(2.5) == "3" and n.count(0.5) == "1"
    assert n.points(12.5) == "+13" and n.points(-12.5) == "−13"  # half away from zero
    assert n.days(10.5) == "11 days"
    assert n.money(12_500, compact=True) == "$13K" and n.money(1_250_000, compact=True) == "$1.3M"


def test_a_change_in_points_has_one_decimal_under_ten():
    # 7.81% - 5.41% = 2.4 points; 56.0 - 50.8 = 5.2; -15.74 is ten or more: whole; 9.96 rounds to 10.0
    assert n.points(2.4, change=True) == "+2.4"
    assert n.points(-5.2, change=True) == "−5.2"
    assert n.points(-15.74, change=True) == "−16"
    assert n.points(9.96, change=True) == "+10"
    assert n.change_digits(9.94) == 1 and n.change_digits(9.96) == 0 and n.change_digits(-12) == 0
    assert n.points(2.4) == "+2"  # a score, not a change: whole as before
    with i18n.using("fr_FR"):
        assert n.points(2.45, change=True) == "+2,5"
    # the programme pages: one decimal whatever the size (-15.74 -> −15.7, 13.04 -> +13.0)
    assert n.points(-15.74, change=True, digits=1) == "−15.7"
    assert n.points(13.04, change=True, digits=1) == "+13.0"


def test_plural_follows_the_language_rule_for_decimals():
    # English: only a whole 1 is singular ('1.5 points', '1.0 points'); French: under 2 is singular
    assert [n.plural(v, d) for v, d in ((1, 0), (1.5, 1), (1.0, 1), (0.5, 1), (2.4, 1))] == [1, 2, 2, 2, 2]
    with i18n.using("fr_FR"):
        assert [n.plural(v, d) for v, d in ((1, 0), (1.5, 1), (0.5, 1), (0, 0), (2.4, 1))] == [1, 1, 1, 1, 2]
