"""The partner dashboard (outputs/<period>/index.html) on a hand-built workbook: headline
attainment and pace, numeric sort keys, column notes, links, and a real sort in Chromium.

Period 2026-Q3, data to 2026-08-15 (46 of 92 days: 50% elapsed).
  P1 sell    revenue 400 of a 1,000 target: attainment 40%, pace 400 / 500 = 80% (behind)
             (its certifications target, met at 100%, does not count: revenue is its headline)
  P2 enable  trainings 2 of 4 (50%), certifications 2 of 2 (100%), deals registered target 0
             (left out), portal logins not supplied (left out): mean attainment 75%;
             pace: trainings 2 / 2 = 100%, certifications 2 / 1 = 200%: mean 150% (ahead)
  P3 recruit only a target of 0: nothing to measure
"""
import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from partnerbook import periods
from partnerbook.render import dashboard
from partnerbook.workbook import Workbook


TARGETS = pd.DataFrame({
    "partner_id": ["P1", "P1", "P2", "P2", "P2", "P2", "P3"],
    "metric": ["revenue", "certifications", "trainings_attended", "certifications", "deals_registered",
               "portal_logins", "business_plans"],
    "target": [1000.0, 1.0, 4.0, 2.0, 0.0, 10.0, 0.0]})
VALUES = {("P1", "revenue"): 400.0, ("P1", "certifications"): 1.0, ("P2", "trainings_attended"): 2.0,
          ("P2", "certifications"): 2.0, ("P2", "deals_registered"): 0.0, ("P2", "revenue"): 1234567.0,
          ("P3", "revenue"): 90.0, ("P1", "win_rate"): 0.5}


def workbook() -> Workbook:
    wb = Workbook()
    metrics = pd.DataFrame([{"partner_id": pid, "period": "2026-Q3", "metric": m, "breakdown": "",
                             "value": v, "prior_value": float("nan"), "year_ago_value": float("nan")}
                            for (pid, m), v in VALUES.items()]).astype({"partner_id": "string"})
    wb.__dict__.update(
        program={"program": {"name": "Test <Programme>", "currency": "USD"}},
        dataset=SimpleNamespace(meta={"end": "2026-08-15"}, absent=frozenset({"portal_activity"})),
        period=periods.parse("2026-Q3"), metrics=metrics, targets=TARGETS, attainment=None,
        stages=pd.Series({"P1": "sell", "P2": "enable", "P3": "recruit"}),
        health=pd.DataFrame({"partner_id": ["P1", "P2", "P3"], "health": ["healthy", "at risk", "watch"],
                             "reasons": ["", "", ""]}),
        unavailable={"portal_logins": "no portal activity data supplied"})
    return wb


PARTNERS = pd.DataFrame({"partner_id": ["P1", "P2", "P3"], "name": ["Alpha & Co", "<b>Beta</b>", "Gamma"],
                         "tier": ["Gold", "Silver", "Gold"], "region": ["EMEA", "AMER", "APAC"]})
REPORTS = [{"key": "partner:P1", "status": "rendered", "html": "partners/P1.html", "title": "A"},
           {"key": "partner:P2", "status": "reused", "html": "partners/P2.html", "title": "B"},
           {"key": "partner:P3", "status": "failed", "html": "partners/P3.html", "title": "Partner scorecard: Gamma",
            "error": "boom", "cell": None},
           {"key": "goals", "status": "rendered", "html": "goals.html", "title": "Goals and targets"}]


def test_headline_attainment_by_hand():
    wb = workbook()
    head = dashboard.headline_attainment(dashboard._progress(wb), wb.stages, wb.unavailable).set_index("partner_id")
    assert head.loc["P1", "basis"] == "revenue target"
    assert head.loc["P1", "attainment"] == pytest.approx(0.4) and head.loc["P1", "pace"] == pytest.approx(0.8)
    assert head.loc["P2", "basis"] == "mean of 2 activity targets"
    assert head.loc["P2", "attainment"] == pytest.approx(0.75) and head.loc["P2", "pace"] == pytest.approx(1.5)
    assert head.loc["P3", "basis"] == "no target to measure" and pd.isna(head.loc["P3", "attainment"])


def _cells(page: str, pid: str) -> list[str]:
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page) if f"<td>{pid}</td>" in r)
    return re.findall(r"<td([^>]*)>(.*?)</td>", row)


def test_dashboard_row_numbers_sort_keys_and_tooltips():
    page = dashboard.period_index(workbook(), PARTNERS, REPORTS, {"Goals and targets": "goals.html"})
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page)
    assert heads == ["Partner", "ID", "Tier", "Region", "Stage", "Health", "Deals registered", "Trainings",
                     "Revenue", "Win rate", "Pipeline", "Attainment", "Pace", "Report"]
    assert re.search(r'<th scope="col" class="num" title="Revenue target attainment for partners in sell or '
                     r'grow; for earlier stages the mean attainment', page)
    p1 = dict(enumerate(_cells(page, "P1")))
    assert p1[11] == (' class="num" data-sort="0.4" title="revenue target"', "40%")
    assert p1[12][0] == ' class="num" data-sort="0.8"' and "80%" in p1[12][1] and "behind" in p1[12][1]
    p2 = _cells(page, "P2")
    assert p2[8] == (' class="num" data-sort="1234567"', "$1,234,567")
    assert p2[11] == (' class="num" data-sort="0.75" title="mean of 2 activity targets"', "75%")
    assert "ahead" in p2[12][1]
    assert p2[5] == (' data-sort="0"', "at risk") and p2[4] == (' data-sort="2"', "enable")
    p3 = _cells(page, "P3")
    assert p3[11] == (' class="num" data-sort="" title="no target to measure"', "— (no target)")


def test_dashboard_escapes_links_and_notes():
    page = dashboard.period_index(workbook(), PARTNERS, REPORTS, {"Goals and targets": "goals.html"})
    assert '<a href="partners/P1.html">Alpha &amp; Co</a>' in page
    assert '<a href="partners/P2.html">&lt;b&gt;Beta&lt;/b&gt;</a>' in page
    assert 'href="partners/P3.html"' not in page          # a failed report is not linked
    assert "<b>Beta</b>" not in page and "Test &lt;Programme&gt;" in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "About the columns" in text and "2026-08-15, 50% of the period" in text
    assert "Hover a figure to see which" in text
    assert re.findall(r'href="([^"]+)"', page) == ["../index.html", "goals.html", "metrics.csv", "run.json",
                                                   "partners/P1.html", "partners/P2.html"]


def test_absent_columns_are_left_out_and_named():
    wb = workbook()
    wb.__dict__["unavailable"] = {"deals_registered": "no deal registrations data supplied",
                                  "trainings_attended": "no engagements data supplied"}
    page = dashboard.period_index(wb, PARTNERS, REPORTS, {})
    assert ">Deals registered</th>" not in page and ">Trainings</th>" not in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert ("Not shown : Deals registered, Trainings (no deal registrations data supplied; "
            "no engagements data supplied)") in re.sub(r"\s+", " ", text)


def test_sort_is_numeric_in_a_browser(tmp_path, page):
    # by text "$1,234,567" < "$400" < "$90"; by number 90 < 400 < 1,234,567
    out = tmp_path / "index.html"
    out.write_text(dashboard.period_index(workbook(), PARTNERS, REPORTS, {}))
    page.goto(out.as_uri())
    ids = lambda: page.eval_on_selector_all("tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")
    page.click("th:has-text('Revenue')")
    assert ids() == ["P3", "P1", "P2"]
    page.click("th:has-text('Revenue')")
    assert ids() == ["P2", "P1", "P3"]
    page.click("th:has-text('Health')")
    assert ids() == ["P2", "P3", "P1"]                # at risk, watch, healthy


def test_nothing_overflows_a_phone(tmp_path, page):
    out = tmp_path / "index.html"
    out.write_text(dashboard.period_index(workbook(), PARTNERS, REPORTS, {}))
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(out.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.querySelector('.pb-table-wrap').scrollWidth") > 390   # the table scrolls
