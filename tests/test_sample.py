"""The seeded sample programme: deterministic, complete, consistent, and with structure to find.

Every check is computed here with plain pandas on the tables read back from the store.
"""
import inspect

import pandas as pd
import pytest

from partnerbook import cli, paths, sample, store
from partnerbook.errors import ParamsError
from partnerbook.tables import STAGES, TABLES

START, END = pd.Timestamp("2024-10-01"), pd.Timestamp("2026-09-30")
ACTIVITY = ("opportunities", "deal_registrations", "leads", "trials", "engagements", "portal_activity",
            "business_plans", "mdf", "stories", "surveys")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return sample.build(tmp_path_factory.mktemp("sample") / "sample.duckdb")


@pytest.fixture(scope="module")
def data(built):
    return store.read(built)


def won(data):
    opps = data["opportunities"]
    return opps[opps["status"] == "won"].merge(data["partners"], on="partner_id")


# ---------------------------------------------------------------- determinism

def test_same_seed_gives_identical_tables_and_another_seed_differs(tmp_path, data):
    again = store.read(sample.build(tmp_path / "again.duckdb", seed=7))
    for name in TABLES:
        pd.testing.assert_frame_equal(data[name], again[name], obj=name)
    other = sample.generate(seed=8)
    assert not data["partners"].equals(store.coerce("partners", other["partners"]))
    assert not data["opportunities"].equals(store.coerce("opportunities", other["opportunities"]))


def test_never_reads_the_clock():
    source = inspect.getsource(sample)
    for call in ("today(", "now(", "time.time", "date.today"):
        assert call not in source


def test_default_store_is_the_sample_store_under_the_root(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    path = sample.build(partners=12)
    assert path == paths.sample_store() == tmp_path / "data" / "sample.duckdb"
    assert len(store.read(path)["partners"]) == 12
    assert not list((tmp_path / "data").glob(".*tmp"))


def test_bad_parameters_are_a_params_error_naming_the_option(tmp_path):
    with pytest.raises(ParamsError, match="--partners"):
        sample.build(tmp_path / "s.duckdb", partners=5)
    with pytest.raises(ParamsError, match="--end"):
        sample.build(tmp_path / "s.duckdb", end="next tuesday")
    assert not (tmp_path / "s.duckdb").exists()


# ---------------------------------------------------------------- shape of the programme

def test_programme_has_partners_in_every_stage_tier_and_region(data):
    partners = data["partners"]
    assert len(partners) >= 60
    assert partners["partner_id"].iloc[0] == "P001"
    assert set(partners["lifecycle_stage"]) == set(STAGES)
    assert set(partners["tier"]) == {"Gold", "Silver", "Registered"}
    assert set(partners["region"]) == {"AMER", "EMEA", "APAC"}
    assert partners["name"].is_unique
    assert partners["account_manager"].nunique() >= 6
    share = partners["capacity_share"]
    assert share.between(0.1, 0.7).all() and share.nunique() > 10
    by_tier = share.groupby(partners["tier"]).mean()
    assert by_tier["Gold"] > by_tier["Silver"] > by_tier["Registered"]


def test_eight_quarters_of_opportunities_ending_on_the_end_date(data):
    opps = data["opportunities"]
    quarters = opps["closed_on"].dropna().dt.to_period("Q")
    assert sorted(quarters.astype(str).unique()) == [
        "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert opps["created_on"].min() >= START


def test_every_table_is_filled(data):
    assert data.absent == frozenset()
    for name in TABLES:
        assert len(data[name]) > 0, name


def test_nothing_is_dated_after_the_end(data):
    for name, table in TABLES.items():
        for col in table.columns:
            if col.kind == "date":
                assert not (data[name][col.name] > END).any(), f"{name}.{col.name}"


def test_activity_lies_within_the_eight_quarters(data):
    for name in ACTIVITY:
        column = data[name][TABLES[name].date_column]
        assert column.min() >= START, name


def test_values_are_allowed_and_keys_unique(data):
    for name, table in TABLES.items():
        frame = data[name]
        if table.key:
            assert not frame.duplicated(list(table.key)).any(), name
        for col in table.columns:
            values = frame[col.name]
            if not col.nullable:
                assert values.notna().all(), f"{name}.{col.name}"
            if col.allowed:
                assert set(values.dropna()) <= set(col.allowed), f"{name}.{col.name}"
            if col.kind == "money":
                assert (values.dropna() >= 0).all(), f"{name}.{col.name}"
    scores = data["surveys"]["score"]
    assert scores.between(0, 10).all() and scores.nunique() >= 6


# ---------------------------------------------------------------- lifecycle

def test_stage_history_agrees_with_the_partner_row(data):
    partners = data["partners"].set_index("partner_id")
    changes = data["stage_changes"].sort_values(["partner_id", "changed_on"])
    assert set(changes["partner_id"]) == set(partners.index)
    last = changes.groupby("partner_id")["stage"].last()
    assert (last == partners["lifecycle_stage"].reindex(last.index)).all()
    order = changes["stage"].map({s: i for i, s in enumerate(STAGES)})
    assert (order.groupby(changes["partner_id"]).diff().dropna() > 0).all()
    onboarded = changes[changes["stage"] == "onboard"].set_index("partner_id")["changed_on"]
    assert (partners["joined_on"].dropna() == onboarded.reindex(partners["joined_on"].dropna().index)).all()
    assert partners.loc[partners["lifecycle_stage"] == "recruit", "joined_on"].isna().all()


def test_churned_partners_have_churned_on_and_stage_churned(data):
    partners = data["partners"]
    churned = partners[partners["lifecycle_stage"] == "churned"]
    assert len(churned) >= 5
    assert churned["churned_on"].notna().all()
    assert partners.loc[partners["lifecycle_stage"] != "churned", "churned_on"].isna().all()
    assert (churned["churned_on"] > churned["joined_on"]).all()
    changes = data["stage_changes"]
    left = changes[changes["stage"] == "churned"].set_index("partner_id")["changed_on"]
    assert (churned.set_index("partner_id")["churned_on"] == left.reindex(churned["partner_id"])).all()


def test_some_partners_have_no_activity_at_all(data):
    active = set().union(*(set(data[name]["partner_id"].dropna()) for name in ACTIVITY))
    quiet = data["partners"][~data["partners"]["partner_id"].isin(active)]
    assert len(quiet) >= 1
    assert set(quiet["lifecycle_stage"]) == {"recruit"}


def test_no_activity_after_a_partner_churned(data):
    churned = data["partners"].dropna(subset=["churned_on"])[["partner_id", "churned_on"]]
    for name in ("opportunities", "engagements", "portal_activity", "deal_registrations", "trials"):
        rows = data[name].merge(churned, on="partner_id")
        assert not (rows[TABLES[name].date_column] > rows["churned_on"]).any(), name


# ---------------------------------------------------------------- integrity

def test_every_reference_points_at_a_row_that_exists(data):
    ids = set(data["partners"]["partner_id"])
    for name, table in TABLES.items():
        if "partner_id" in table.names:
            assert set(data[name]["partner_id"].dropna()) <= ids, name
    opps = data["opportunities"]
    regs = data["deal_registrations"]
    mdf = data["mdf"]
    leads = data["leads"]
    assert set(leads["converted_opportunity_id"].dropna()) <= set(opps["opportunity_id"])
    assert leads.loc[leads["status"] == "converted", "converted_opportunity_id"].notna().all()
    assert leads.loc[leads["status"] == "accepted", "accepted_on"].notna().all()
    assert set(opps["registration_id"].dropna()) <= set(regs["registration_id"])
    assert set(opps["mdf_request_id"].dropna()) <= set(mdf["request_id"])
    converted = regs[regs["status"] == "converted"]
    assert converted["opportunity_id"].notna().all() and len(converted) > 0
    both = converted.merge(opps, on="opportunity_id", suffixes=("_reg", "_opp"))
    assert len(both) == len(converted)
    assert (both["registration_id_reg"] == both["registration_id_opp"]).all()
    assert (both["partner_id_reg"] == both["partner_id_opp"]).all()
    funded = opps.dropna(subset=["mdf_request_id"]).merge(mdf, left_on="mdf_request_id", right_on="request_id")
    assert (funded["partner_id_x"] == funded["partner_id_y"]).all()
    assert (funded["requested_on"] <= funded["created_on"]).all()
    contacts = data["engagements"]
    assert contacts.apply(lambda r: r["contact_id"].startswith(r["partner_id"] + "-"), axis=1).all()


def test_opportunities_look_like_a_real_pipeline(data):
    opps = data["opportunities"]
    open_ = opps[opps["status"] == "open"]
    closed = opps[opps["status"] != "open"]
    assert len(open_) > 0 and open_["closed_on"].isna().all()
    assert closed["closed_on"].notna().all()
    assert (closed["created_on"] <= closed["closed_on"]).all()
    assert opps["partner_id"].isna().sum() > 0                      # direct deals
    assert set(opps["segment"]) == {"ENT", "MM", "SMB"}
    assert set(opps["product_category"]) == {"Cloud", "Security", "Analytics", "Services"}
    assert opps["sku"].nunique() >= 6
    assert opps["is_new_logo"].any() and not opps["is_new_logo"].all()
    assert opps["mdf_request_id"].notna().sum() > 0
    quarter_end = closed["closed_on"] == closed["closed_on"] + pd.offsets.QuarterEnd(0)
    assert quarter_end.sum() > 0
    assert (opps["amount"] >= 400_000).sum() >= 3                  # a few large deals
    assert opps["amount"].median() < 100_000


def test_stories_and_surveys_carry_the_partners_voice(data):
    stories = data["stories"]
    assert set(stories["kind"]) == {"quote", "win_story", "portal_post"}
    assert stories["partner_id"].isna().sum() > 0                   # programme-wide
    assert stories["text"].str.len().min() > 10
    surveys = data["surveys"]
    assert surveys["comment"].notna().sum() > 0 and surveys["comment"].isna().sum() > 0


# ---------------------------------------------------------------- structure worth finding

def test_certified_partners_win_more_in_later_quarters(data):
    engaged = data["engagements"]
    certified = set(engaged.loc[engaged["kind"] == "certification", "partner_id"])
    opps = data["opportunities"].dropna(subset=["partner_id"])
    later = opps[(opps["status"] != "open") & (opps["closed_on"] >= "2025-10-01")]
    by_partner = (later.assign(won=later["status"] == "won",
                               revenue=later["amount"].where(later["status"] == "won", 0.0))
                  .groupby("partner_id")[["won", "revenue"]]
                  .agg({"won": "mean", "revenue": "sum"}))
    is_cert = by_partner.index.isin(certified)
    assert is_cert.sum() >= 10 and (~is_cert).sum() >= 10
    assert by_partner.loc[is_cert, "won"].mean() > by_partner.loc[~is_cert, "won"].mean() + 0.05
    assert by_partner.loc[is_cert, "revenue"].mean() > 1.5 * by_partner.loc[~is_cert, "revenue"].mean()


def test_apac_declines_and_silver_grows(data):
    deals = won(data)
    later = deals["closed_on"] >= "2025-10-01"
    apac, silver = deals["region"] == "APAC", deals["tier"] == "Silver"
    assert deals.loc[apac & later, "amount"].sum() < deals.loc[apac & ~later, "amount"].sum()
    assert deals.loc[silver & later, "amount"].sum() > deals.loc[silver & ~later, "amount"].sum()


def test_fourth_quarter_is_the_peak_of_the_year(data):
    deals = data["opportunities"].query("status == 'won'")
    year = deals[deals["closed_on"].dt.year == 2025]
    by_quarter = year.groupby(year["closed_on"].dt.quarter)["amount"].sum()
    assert by_quarter.idxmax() == 4


def test_churning_partners_stall_before_they_leave(data):
    churned = data["partners"].dropna(subset=["churned_on"])[["partner_id", "churned_on"]]
    churned = churned[churned["churned_on"] >= START + pd.Timedelta(days=271)]  # both windows in history
    assert len(churned) >= 3
    logins = data["portal_activity"].merge(churned, on="partner_id")
    before = (logins["churned_on"] - logins["day"]).dt.days
    last_quarter = logins.loc[before.between(0, 90), "logins"].sum()
    two_quarters_earlier = logins.loc[before.between(181, 271), "logins"].sum()
    assert last_quarter < 0.6 * two_quarters_earlier


# ---------------------------------------------------------------- scale and options

def test_cli_scales_to_more_partners_and_another_end(tmp_path):
    path = tmp_path / "big.duckdb"
    assert cli.main(["sample", "--partners", "200", "--into", str(path), "--end", "2025-12-31"]) == 0
    big = store.read(path)
    assert len(big["partners"]) == 200 and big["partners"]["partner_id"].iloc[-1] == "P200"
    assert set(big["partners"]["lifecycle_stage"]) == set(STAGES)
    opps = big["opportunities"]
    assert opps["created_on"].min() >= pd.Timestamp("2024-01-01")
    assert opps["closed_on"].max() <= pd.Timestamp("2025-12-31")
    assert opps["closed_on"].dt.to_period("Q").nunique() == 8
    assert big.meta["partners"] == 200
