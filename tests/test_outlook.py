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
    recs += [{"period": "2026-Q3", "metric": "revenue", "value": 999.0, "partner_id": "P1"}]   # not the programme
    return pd.DataFrame(recs).assign(breakdown="").astype({"partner_id": "string"})


def test_forecast_and_backtest_by_hand():
    frame = narrative.outlook_quarters(history(), "2026-Q3")
    pipe, low, high = narrative.forecast(frame)
    assert (pipe, round(low, 2), round(high, 2)) == (200, 60.0, 133.33)
    tested = narrative.backtest(frame)
    assert list(tested["period"]) == ["2026-Q2", "2026-Q3"]
    assert [(round(a, 2), round(b, 2)) for a, b in zip(tested["low"], tested["high"])] == [(30, 50), (90, 150)]
    assert list(tested["inside"]) == [True, False]
    # a history that runs past the period reported is cut at it
    assert narrative.forecast(narrative.outlook_quarters(history(), "2026-Q2"))[0] == 300


def test_the_page_gives_the_range_method_and_backtest():
    metrics = pd.DataFrame([{"partner_id": pd.NA, "metric": "revenue", "breakdown": "", "value": 200.0,
                             "prior_value": 45.0, "year_ago_value": float("nan"), "period": "2026-Q3"}]
                           ).astype({"partner_id": "string"})
    ctx = narrative.Context(metrics=metrics, program={}, period="2026-Q3", prior="2026-Q2",
                            catalogue=CATALOGUE, history=history())
    text = re.sub(r"<[^>]+>", " ", "".join(narrative.outlook(ctx).html))
    assert "Next quarter's partner revenue should fall between $60 and $133." in text.replace("&#x27;", "'")
    assert "in 1 of 2 quarters:" in text and "above" in text and "inside" in text   # half: no caution
