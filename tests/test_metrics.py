"""Metrics on the hand-written programme of small_programme.py (read its docstring first).

Every expected value is worked out by hand in the comments beside it.
"""

import math

import pandas as pd
import pytest

import small_programme as sp
from partnerbook import metrics, paths, store, tables


def row(frame, partner, metric, breakdown="", column="value"):
    mask = (frame["metric"] == metric) & (frame["breakdown"] == breakdown)
    mask &= frame["partner_id"].isna() if partner is None else (frame["partner_id"] == partner)
    found = frame.loc[mask.fillna(False), column]
    assert len(found) == 1, f"{partner} {metric} {breakdown}: {len(found)} rows"
    return found.iloc[0]


@pytest.fixture(scope="module")
def ds():
    """One dataset for the module, so compute() runs once per grain (it caches on the dataset)."""
    return sp.dataset()


@pytest.fixture(scope="module")
def q3(ds):
    return metrics.table(ds, sp.program(), "2026-Q3")


# -- catalogue --------------------------------------------------------------------------


def test_catalogue_holds_every_metric_of_the_design():
    leading = """trials_started webinars_attended trainings_attended certifications events_attended
        deals_registered registered_pipeline opportunities_created pipeline portal_logins
        active_portal_users portal_page_views business_plans leads_distributed
        lead_acceptance_rate lead_conversion_rate mdf_requested mdf_approved mdf_claimed
        time_to_first_deal_days survey_responses partner_nps""".split()
    lagging = """opportunities_closed deals_won deals_lost win_rate revenue revenue_growth_yoy
        revenue_growth_qoq new_logos mdf_roi partner_attrition_rate""".split()
    assert set(metrics.CATALOGUE) == set(leading) | set(lagging)
    for name, m in metrics.CATALOGUE.items():
        assert m.name == name and m.label and m.formula
        assert m.kind == ("leading" if name in leading else "lagging")
        assert m.unit in ("count", "money", "rate", "ratio", "points", "days")
        assert m.good in ("up", "down")
        assert set(m.stages) <= set(tables.STAGES)
        assert m.source in tables.TABLES


# -- opportunities: the lagging metrics -------------------------------------------------


def test_deal_metrics_for_a_partner(q3):
    # P1 in 2026-Q3: O2 won 200 on 30 Sep (last day: counted), O3 lost 50 on 15 Sep
    assert row(q3, "P1", "deals_won") == 1
    assert row(q3, "P1", "deals_lost") == 1
    assert row(q3, "P1", "opportunities_closed") == 2
    assert row(q3, "P1", "win_rate") == 0.5  # 1 / 2
    assert row(q3, "P1", "revenue") == 200
    assert row(q3, "P1", "new_logos") == 0  # O2 not a new logo
    assert row(q3, "P1", "opportunities_created") == 2  # O2 (1 Jul), O3 (1 Aug)
    # P3: O6 won 150 (new logo), O7 lost 70
    assert row(q3, "P3", "new_logos") == 1
    assert row(q3, "P3", "revenue") == 150


def test_deal_closed_on_last_day_of_quarter_counts_in_that_quarter(ds):
    q2 = metrics.table(ds, sp.program(), "2026-Q2")
    # O9 won 400 on 30 Jun 2026 -> 2026-Q2, not Q3
    assert row(q2, "P1", "revenue") == 400
    assert row(q2, "P1", "deals_won") == 1


def test_partner_without_a_closed_deal_has_undefined_win_rate(q3):
    # P2 has only the open O5: nothing closed -> win rate undefined (NaN), counts 0
    assert math.isnan(row(q3, "P2", "win_rate"))
    assert row(q3, "P2", "deals_won") == 0
    assert row(q3, "P2", "revenue") == 0
    # P4 has no data at all
    assert math.isnan(row(q3, "P4", "win_rate"))
    assert row(q3, "P4", "opportunities_created") == 0


def test_pipeline_is_open_amount_at_period_end(q3, ds):
    # end of Q3 (30 Sep): P1 O4 300 open; O2 closed on 30 Sep is not open; O3 closed 15 Sep
    assert row(q3, "P1", "pipeline") == 300
    assert row(q3, "P2", "pipeline") == 80  # O5
    assert row(q3, "P3", "pipeline") == 0
    # end of Q2 (30 Jun): P1 O4 300 (O9 closed that day); P3 O6 150 + O7 70 = 220
    assert row(q3, "P1", "pipeline", column="prior_value") == 300
    assert row(q3, "P3", "pipeline", column="prior_value") == 220
    assert row(q3, None, "pipeline", column="prior_value") == 520
    # months: end of Aug: P1 O4 300 + O2 200 + O3 50 = 550
    aug = metrics.table(ds, sp.program(), "2026-08")
    assert row(aug, "P1", "pipeline") == 550


def test_direct_deals_are_not_in_partner_or_programme_figures(q3):
    # O8 (direct, won 1000 in Q3) excluded: programme revenue = P1 200 + P3 150 = 350
    assert row(q3, None, "revenue") == 350
    assert row(q3, None, "opportunities_created") == 3  # O2, O3, O5 (not O8)


def test_revenue_growth_against_prior_and_year_ago(q3):
    # P1: Q3 200, Q2 400, 2025-Q3 100 (O1)
    assert row(q3, "P1", "revenue", column="prior_value") == 400
    assert row(q3, "P1", "revenue", column="year_ago_value") == 100
    assert row(q3, "P1", "revenue_growth_qoq") == pytest.approx(-0.5)  # (200-400)/400
    assert row(q3, "P1", "revenue_growth_yoy") == pytest.approx(1.0)  # (200-100)/100
    # P3: Q2 revenue 0 and 2025-Q3 revenue 0 -> undefined, not infinite
    assert math.isnan(row(q3, "P3", "revenue_growth_qoq"))
    assert math.isnan(row(q3, "P3", "revenue_growth_yoy"))
    # programme: 350 against Q2 400 and 2025-Q3 100
    assert row(q3, None, "revenue_growth_qoq") == pytest.approx(-0.125)  # (350-400)/400
    assert row(q3, None, "revenue_growth_yoy") == pytest.approx(2.5)  # (350-100)/100


def test_year_ago_before_the_history_is_unknown(ds):
    # the history starts in 2025-Q3: 2025-Q3's prior (2025-Q2) is before it
    first = metrics.table(ds, sp.program(), "2025-Q3")
    assert row(first, "P1", "revenue") == 100
    assert math.isnan(row(first, "P1", "revenue", column="prior_value"))
    assert math.isnan(row(first, "P1", "revenue_growth_qoq"))


def test_time_to_first_deal(q3):
    # P1 joined 2025-01-15, first win O1 2025-08-20: 16+28+31+30+31+30+31+20 = 217 days
    assert row(q3, "P1", "time_to_first_deal_days") == 217
    # P3 joined 2024-06-01, first win O6 2026-07-05: 365 + 365 + 34 = 764 days
    assert row(q3, "P3", "time_to_first_deal_days") == 764
    assert math.isnan(row(q3, "P3", "time_to_first_deal_days", column="prior_value"))  # not yet won
    assert math.isnan(row(q3, "P2", "time_to_first_deal_days"))  # never won
    # programme: mean over partners whose first win fell in the period: only P3 in Q3
    assert row(q3, None, "time_to_first_deal_days") == 764


# -- activity tables --------------------------------------------------------------------


def test_engagement_trial_and_registration_counts(q3):
    assert row(q3, "P1", "webinars_attended") == 1  # E1 (E6 was 2025-Q3)
    assert row(q3, "P1", "trainings_attended") == 1  # E2
    assert row(q3, "P1", "certifications") == 1  # E3 on 30 Sep
    assert row(q3, "P2", "events_attended") == 1  # E4
    assert row(q3, "P2", "trainings_attended") == 0  # E5 was in Q2 ...
    assert row(q3, "P2", "trainings_attended", column="prior_value") == 1  # ... as prior shows
    assert row(q3, "P2", "trials_started") == 2  # T2, T3
    assert row(q3, "P1", "deals_registered") == 2  # R1, R2
    assert row(q3, "P1", "registered_pipeline") == 500  # R1 500; R2 rejected
    assert row(q3, None, "registered_pipeline") == 560  # + R3 60


def test_portal_metrics(q3):
    # P1: logins 3 + 2 + 1 + 0 = 6; page views 10 + 5 + (empty) + 4 = 19;
    # active users c1, c2 (c3 viewed pages without logging in)
    assert row(q3, "P1", "portal_logins") == 6
    assert row(q3, "P1", "portal_page_views") == 19
    assert row(q3, "P1", "active_portal_users") == 2
    assert row(q3, "P2", "active_portal_users", column="prior_value") == 1  # c9 in June


def test_leads_plans_and_mdf(q3):
    # P1 leads L1 accepted, L2 converted, L3 rejected, L4 new: 4 distributed
    assert row(q3, "P1", "leads_distributed") == 4
    assert row(q3, "P1", "lead_acceptance_rate") == 0.5  # L1, L2 of 4
    assert row(q3, "P1", "lead_conversion_rate") == 0.25  # L2 of 4
    assert math.isnan(row(q3, "P2", "lead_acceptance_rate"))  # no lead: undefined
    assert row(q3, "P1", "business_plans") == 1  # BP1 created 15 Jul
    assert row(q3, "P1", "mdf_requested") == 100
    assert row(q3, "P1", "mdf_approved") == 80
    assert row(q3, "P1", "mdf_claimed") == 60
    assert row(q3, "P1", "mdf_roi") == 4.0  # O2 200 (MDF M1) / paid 50
    assert math.isnan(row(q3, "P3", "mdf_roi"))  # M2 paid 0: undefined
    assert row(q3, None, "mdf_requested") == 140  # 100 + 40
    assert row(q3, None, "mdf_roi") == 4.0  # 200 / (50 + 0)


def test_surveys_and_nps(q3):
    # P1 scores 10, 9, 5, 7: 2 promoters, 1 detractor of 4 -> (2 - 1) / 4 = 25 points
    assert row(q3, "P1", "survey_responses") == 4
    assert row(q3, "P1", "partner_nps") == 25
    assert row(q3, "P3", "partner_nps") == -100  # one 3
    assert math.isnan(row(q3, "P2", "partner_nps"))  # no answers
    # programme from totals, not averaged: (2 promoters - 2 detractors) / 5 = 0
    assert row(q3, None, "partner_nps") == 0


def test_attrition_rate_with_a_churned_partner(q3):
    # in the programme on 1 Jul 2026 (membership): P1, P2, P3, and P4 (no joined_on: a
    # recruit, in); P3 left on 15 Aug -> 1/4
    assert row(q3, None, "partner_attrition_rate") == pytest.approx(1 / 4)
    assert row(q3, None, "partner_attrition_rate", column="prior_value") == 0  # Q2: none left
    assert not ((q3["metric"] == "partner_attrition_rate") & q3["partner_id"].notna()).any()


def test_attrition_rate_in_every_period_of_the_history(ds):
    # the history runs 2025-Q3 .. 2026-Q3; only P3 ever leaves (15 Aug 2026)
    frame = metrics.compute(ds)
    rates = frame[frame["metric"] == "partner_attrition_rate"].set_index("period")["value"].to_dict()
    assert rates == {"2025-Q3": 0, "2025-Q4": 0, "2026-Q1": 0, "2026-Q2": 0, "2026-Q3": 0.25}
    # P3 leaving on 1 Oct 2025 instead: on 1 Oct 2025 P1 (joined 15 Jan 2025), P3 and P4 are
    # in (P2 joins 1 Feb 2026) -> 1/3 in 2025-Q4; from 2026-Q1 P3 is a former partner:
    # P1, P4 on 1 Jan 2026 (P2 joins during Q1) -> 0; 2026-Q2: P1, P2, P4 -> 0
    partners = ds["partners"].assign(
        churned_on=ds["partners"]["churned_on"].mask(
            ds["partners"]["partner_id"] == "P3", pd.Timestamp("2025-10-01")
        )
    )
    ds2 = store.Dataset({**ds.tables, "partners": partners}, absent=ds.absent, meta=dict(ds.meta))
    frame = metrics.compute(ds2)
    rates = frame[frame["metric"] == "partner_attrition_rate"].set_index("period")["value"].to_dict()
    assert rates == {"2025-Q3": 0, "2025-Q4": pytest.approx(1 / 3), "2026-Q1": 0, "2026-Q2": 0, "2026-Q3": 0}


def test_period_with_no_data_gives_zero_counts_and_undefined_rates(ds):
    # 2025-Q4 holds no activity at all
    q4 = metrics.table(ds, sp.program(), "2025-Q4")
    for metric in (
        "deals_won",
        "revenue",
        "portal_logins",
        "webinars_attended",
        "pipeline",
        "survey_responses",
        "mdf_requested",
        "leads_distributed",
    ):
        assert row(q4, "P1", metric) == 0, metric
        assert row(q4, None, metric) == 0, metric
    for metric in ("win_rate", "partner_nps", "lead_acceptance_rate", "mdf_roi"):
        assert math.isnan(row(q4, "P1", metric)), metric


# -- programme and breakdowns -----------------------------------------------------------


def test_programme_totals_are_sums_of_partners(q3):
    partners = q3[q3["partner_id"].notna() & (q3["breakdown"] == "")]
    programme = q3[q3["partner_id"].isna() & (q3["breakdown"] == "")].set_index("metric")["value"]
    for name, m in metrics.CATALOGUE.items():
        if m.additive:
            assert partners.loc[partners["metric"] == name, "value"].sum() == programme[name], name
    # rates from totals: win rate = 2 won / 4 closed
    assert programme["win_rate"] == 0.5


def test_breakdowns_by_segment_sku_category_and_region(q3):
    assert row(q3, "P1", "revenue", "segment=ENT") == 200
    assert row(q3, "P1", "win_rate", "segment=ENT") == 1.0  # O2 won of 1 closed
    assert row(q3, "P1", "pipeline", "segment=ENT") == 300  # O4
    assert row(q3, "P1", "win_rate", "segment=SMB") == 0.0  # O3 lost
    assert row(q3, "P1", "revenue", "segment=SMB", "prior_value") == 0  # nothing then: 0
    assert math.isnan(row(q3, "P1", "win_rate", "segment=SMB", "prior_value"))
    assert row(q3, "P1", "revenue", "segment=ENT", "prior_value") == 400  # O9
    assert row(q3, "P1", "revenue", "segment=ENT", "year_ago_value") == 100  # O1
    assert math.isnan(row(q3, "P2", "win_rate", "segment=SMB"))
    assert row(q3, None, "revenue", "segment=MM") == 150
    assert row(q3, None, "win_rate", "segment=MM") == 0.5  # O6 won, O7 lost
    assert row(q3, None, "revenue", "sku=C1") == 350  # O2 + O6
    assert row(q3, None, "deals_won", "sku=C1") == 2
    assert row(q3, None, "pipeline", "product_category=Security") == 80  # O5
    assert row(q3, None, "revenue", "region=EMEA") == 350  # P1 + P3
    assert row(q3, None, "win_rate", "region=EMEA") == 0.5  # 2 won / 4 closed
    assert row(q3, None, "pipeline", "region=AMER") == 80
    assert math.isnan(row(q3, None, "win_rate", "region=APAC"))
    assert not q3.loc[q3["partner_id"].notna(), "breakdown"].str.startswith("region=").any()


def test_fiscal_year_starting_in_april(ds):
    program = sp.program(fy_start_month=4)
    q = metrics.table(ds, program, "FY2027-Q2")  # Jul-Sep 2026
    assert set(q["period"]) == {"FY2027-Q2"}
    assert row(q, "P1", "revenue") == 200
    assert row(q, "P1", "revenue", column="prior_value") == 400  # FY2027-Q1: O9
    assert row(q, "P1", "revenue", column="year_ago_value") == 100  # FY2026-Q2: O1
    year = metrics.table(ds, program, "FY2027")  # Apr 2026 - Mar 2027
    assert row(year, "P1", "revenue") == 600  # O9 400 + O2 200
    assert row(year, "P1", "revenue", column="prior_value") == 100  # FY2026: O1
    assert row(year, "P1", "revenue_growth_yoy") == pytest.approx(5.0)  # (600-100)/100


def test_month_grain(ds):
    sep = metrics.table(ds, sp.program(), "2026-09")
    assert row(sep, "P1", "win_rate") == 0.5  # O2 won, O3 lost in Sep
    assert row(sep, "P1", "revenue", column="prior_value") == 0  # nothing closed in Aug
    assert math.isnan(row(sep, "P1", "win_rate", column="prior_value"))


# -- absent tables, the long frame, caching and the CSV ---------------------------------


def test_absent_table_metrics_not_emitted_and_listed():
    ds = sp.dataset(drop=("surveys", "mdf"))
    frame = metrics.compute(ds, sp.program())
    assert not frame["metric"].isin(["partner_nps", "survey_responses", "mdf_requested", "mdf_roi"]).any()
    missing = metrics.unavailable(ds)
    assert missing["partner_nps"] == "no surveys data supplied"
    assert missing["mdf_roi"] == "no mdf data supplied"
    assert "revenue" not in missing and row(frame[frame["period"] == "2026-Q3"], "P1", "revenue") == 200


def test_compute_is_long_tidy_and_cached(ds):
    frame = metrics.compute(ds, sp.program())
    assert list(frame.columns) == ["partner_id", "period", "metric", "breakdown", "value"]
    assert sorted(frame["period"].unique()) == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert frame["value"].dtype == "float64"
    assert not frame.duplicated(["partner_id", "period", "metric", "breakdown"]).any()
    assert metrics.compute(ds, sp.program()) is frame


def test_write_csv_writes_the_period_table(tmp_path, monkeypatch, ds):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "program.yaml").write_text("program:\n  fiscal_year_start_month: 1\n")
    source = store.write(tmp_path / "small.duckdb", {k: ds[k] for k in sp.tables()}, {"end": "2026-09-30"})
    path = metrics.write_csv(data=str(source))  # default: last complete quarter, 2026-Q3
    assert path == paths.outputs() / "2026-Q3" / "metrics.csv"
    written = pd.read_csv(path, keep_default_na=False)
    assert list(written.columns) == metrics.TABLE_COLUMNS
    p2 = written[
        (written["partner_id"] == "P2") & (written["metric"] == "win_rate") & (written["breakdown"] == "")
    ]
    assert p2["value"].tolist() == [""]  # undefined: empty, not 0
    revenue = written[
        (written["partner_id"] == "") & (written["metric"] == "revenue") & (written["breakdown"] == "")
    ]
    assert revenue[["value", "prior_value", "year_ago_value"]].astype(float).values.tolist() == [
        [350, 400, 100]
    ]
    assert not list(path.parent.glob(".*tmp"))
