"""The outlook and its backtest on a five-quarter history worked by hand.

  quarter  open pipeline at end  revenue  share = revenue / pipeline at the end of the quarter before
  2025-Q3        100                  -      -
  2025-Q4        200                 50      50 / 100 = 0.50
  2026-Q1        100                 60      60 / 200 = 0.30
  2026-Q2        300                 45      45 / 100 = 0.45
  2026-Q3        200                200     200 / 300 = 0.667

Backtest (at least two earlier shares): 2026-Q2 from 100 x [0.30, 0.50] = 30 to 50, actual 45:
inside; 2026-Q3 from 300 x [0.30, 0.50] = 90 to 150, actual 200: above. 1 of 2 inside.
Outlook for 2026-Q4: 200 x [0.30, 0.667] = 60 to 133.33.
"""

import re

import pandas as pd

from partnerbook import narrative
from test_narrative import CATALOGUE

PERIODS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def history():
    pipe, rev = [100, 200, 100, 300, 200], [0, 50, 60, 45, 200]
    recs = [{"period": p, "metric": "pipeline", "value": float(v)} for p, v in zip(PERIODS, pipe)]
    recs += [{"period": p, "metric": "revenue", "value": float(v)} for p, v in zip(PERIODS, rev)]
    recs += [
        {"period": "2026-Q3", "metric": "revenue", "value": 999.0, "partner_id": "P1"}
    ]  # not the programme
    return pd.DataFrame(recs).assign(breakdown="").astype({"partner_id": "string"})


def test_forecast_and_backtest_by_hand():
    frame = narrative.outlook_quarters(history(), "2026-Q3")
    pipe, low, high = narrative.forecast(frame)
    assert (pipe, round(low, 2), round(high, 2)) == (200, 60.0, 133.33)
    tested = narrative.backtest(frame)
    assert list(tested["period"]) == ["2026-Q2", "2026-Q3"]
    assert [(round(a, 2), round(b, 2)) for a, b in zip(tested["low"], tested["high"])] == [
        (30, 50),
        (90, 150),
    ]
    assert list(tested["inside"]) == [True, False]
    # a history that runs past the period reported is cut at it
    assert narrative.forecast(narrative.outlook_quarters(history(), "2026-Q2"))[0] == 300


def test_the_page_gives_the_range_method_and_backtest():
    metrics = pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "metric": "revenue",
                "breakdown": "",
                "value": 200.0,
                "prior_value": 45.0,
                "year_ago_value": float("nan"),
                "period": "2026-Q3",
            }
        ]
    ).astype({"partner_id": "string"})
    ctx = narrative.Context(
        metrics=metrics, program={}, period="2026-Q3", prior="2026-Q2", catalogue=CATALOGUE, history=history()
    )
    text = re.sub(r"<[^>]+>", " ", "".join(narrative.outlook(ctx).html))
    text = " ".join(text.replace("&#x27;", "'").split())
    assert (
        "An outlook for next quarter's partner revenue: $60 to $133. The actual fell inside such a range in "
        "1 of the last 2 quarters, below it in 0 and above it in 1. Method:"
    ) in text  # half: no caution
    assert "above" in text and "inside" in text and "should fall" not in text and "revenue goal" not in text


def test_the_outlook_says_where_the_goal_lies_and_warns_when_the_range_mostly_missed():
    # range $60 to $133 (above); a goal of $150 a quarter is above it, $100 within it, $50 below it
    metrics = pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "metric": "revenue",
                "breakdown": "",
                "value": 200.0,
                "prior_value": 45.0,
                "year_ago_value": float("nan"),
                "period": "2026-Q3",
            }
        ]
    ).astype({"partner_id": "string"})
    said = {}
    for target in (150, 100, 50):
        program = {"objectives": [{"id": "rev", "name": "Revenue", "metric": "revenue", "target": target}]}
        ctx = narrative.Context(
            metrics=metrics,
            program=program,
            period="2026-Q3",
            prior="2026-Q2",
            catalogue=CATALOGUE,
            history=history(),
        )
        said[target] = " ".join(re.sub(r"<[^>]+>", " ", "".join(narrative.outlook(ctx).html)).split())
    assert "The goal ($150) is above the high end of the range" in said[150]
    assert "The revenue goal of $100 is within the range" in said[100]
    assert "The goal ($50) is below the low end of the range" in said[50]
    # no promise either way: the backtest's record once, just before (2026-Q2 inside, 2026-Q3 above)
    record = (
        "The actual fell inside such a range in 1 of the last 2 quarters, below it in 0 and above it in 1."
    )
    assert f"{record} Method:" in said[50] and said[50].count("fell inside such a range") == 1
    # what a goal outside the range means, plainly, with no guarantee
    assert (
        "The goal ($50) is below the low end of the range: it should be reached if the pipeline converts as "
        "usual, with no guarantee."
    ) in said[50]
    assert (
        "The goal ($150) is above the high end of the range: it would be reached only if the pipeline converts "
        "better than usual."
    ) in said[150]
    # without 2025-Q3: shares 2026-Q1 60/200 = 0.30, Q2 45/100 = 0.45, Q3 200/300 = 0.667; the one
    # quarter testable is 2026-Q3: 300 x [0.30, 0.45] = 90 to 135, actual 200 above: 0 of 1 inside
    short = history().loc[lambda d: d["period"] != "2025-Q3"]
    ctx = narrative.Context(
        metrics=metrics, program={}, period="2026-Q3", prior="2026-Q2", catalogue=CATALOGUE, history=short
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", "".join(narrative.outlook(ctx).html)).split())
    assert (
        "The actual fell inside such a range in 0 of the last 1 quarter, below it in 0 and above it in 1. "
        "Read it as a rough guide, not a forecast."
    ) in text and "$90 to $135" in text


def test_a_goal_outside_the_range_is_said_to_two_decimals_in_millions_and_in_french():
    # goal 7,650,000 against a range in the tens: '$7.65M' (not $7.7M, which would round it up)
    from partnerbook import i18n

    metrics = pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "metric": "pipeline",
                "breakdown": "",
                "value": 300.0,
                "prior_value": 45.0,
                "year_ago_value": float("nan"),
                "period": "2026-Q3",
            }
        ]
    ).astype({"partner_id": "string"})
    program = {"objectives": [{"id": "rev", "name": "Revenue", "metric": "revenue", "target": 7_650_000}]}

    def said():
        ctx = narrative.Context(
            metrics=metrics,
            program=program,
            period="2026-Q3",
            prior="2026-Q2",
            catalogue=CATALOGUE,
            history=history(),
        )
        return " ".join(re.sub(r"<[^>]+>", " ", "".join(narrative.outlook(ctx).html)).split())

    assert "The goal ($7.65M) is above the high end of the range" in said()
    with i18n.using("fr_FR"):
        french = said()
    # said() splits on no-break spaces too: plain spaces here
    assert (
        "L’objectif (7,65 M $US) est au-dessus de la fourchette haute : il ne serait atteint que si "
        "le pipeline se convertit mieux que d’habitude."
    ) in french
