"""The seeded sample programme: deterministic, complete, consistent, and with structure to find.

Every check is computed here with plain pandas on the tables read back from the store.
"""

import inspect

import pandas as pd
import pytest

from partnerbook import cli, importer, paths, sample, store
from partnerbook.errors import ParamsError
from partnerbook.metrics import CATALOGUE
from partnerbook.tables import STAGES, TABLES

START, END = pd.Timestamp("2024-10-01"), pd.Timestamp("2026-09-30")
ACTIVITY = (
    "opportunities",
    "deal_registrations",
    "leads",
    "trials",
    "engagements",
    "portal_activity",
    "business_plans",
    "mdf",
    "stories",
    "surveys",
    "mdf_allocations",
    "actions",
)
LAST_QUARTERS = ("2025Q4", "2026Q1", "2026Q2", "2026Q3")


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
        "2024Q4",
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    assert opps["created_on"].min() >= START


def test_every_table_is_filled(data):
    assert data.absent == frozenset()
    for name in TABLES:
        assert len(data[name]) > 0, name


def test_nothing_is_dated_after_the_end_except_deadlines(data):
    for name, table in TABLES.items():
        for col in table.columns:
            if col.kind == "date" and not col.planned:
                assert not (data[name][col.name] > END).any(), f"{name}.{col.name}"
    assert (data["deal_registrations"]["expires_on"] > END).any()  # some registrations still run
    assert (data["actions"]["due_on"] > END).any()


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
    dates = {
        "opportunities": ("created_on", "closed_on"),
        "engagements": ("occurred_on",),
        "portal_activity": ("day",),
        "deal_registrations": ("submitted_on",),
        "leads": ("distributed_on",),
        "trials": ("started_on", "ended_on"),
        "surveys": ("answered_on",),
        "mdf": ("requested_on",),
        "stories": ("told_on",),
        "business_plans": ("created_on",),
        "mdf_allocations": ("allocated_on",),
        "actions": ("agreed_on",),
    }
    checked = 0
    for name, columns in dates.items():
        rows = data[name].merge(churned, on="partner_id")
        checked += len(rows)
        for column in columns:
            assert not (rows[column] > rows["churned_on"]).any(), f"{name}.{column}"
    assert checked > 500  # churned partners did plenty before they left


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
    funded = opps.dropna(subset=["mdf_request_id"]).merge(
        mdf, left_on="mdf_request_id", right_on="request_id"
    )
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
    assert opps["partner_id"].isna().sum() > 0  # direct deals
    assert set(opps["segment"]) == {"ENT", "MM", "SMB"}
    assert set(opps["product_category"]) == {"Cloud", "Security", "Analytics", "Services"}
    assert opps["sku"].nunique() >= 6
    assert opps["is_new_logo"].any() and not opps["is_new_logo"].all()
    assert opps["mdf_request_id"].notna().sum() > 0
    quarter_end = closed["closed_on"] == closed["closed_on"] + pd.offsets.QuarterEnd(0)
    assert quarter_end.sum() > 0
    assert (opps["amount"] >= 400_000).sum() >= 3  # a few large deals
    assert opps["amount"].median() < 100_000


def test_stories_and_surveys_carry_the_partners_voice(data):
    stories = data["stories"]
    assert set(stories["kind"]) == {"quote", "win_story", "portal_post"}
    assert stories["partner_id"].isna().sum() > 0  # programme-wide
    assert stories["text"].str.len().min() > 10
    surveys = data["surveys"]
    assert surveys["comment"].notna().sum() > 0 and surveys["comment"].isna().sum() > 0


# ---------------------------------------------------------------- structure worth finding


def test_certified_partners_win_more_in_later_quarters(data):
    engaged = data["engagements"]
    certified = set(engaged.loc[engaged["kind"] == "certification", "partner_id"])
    opps = data["opportunities"].dropna(subset=["partner_id"])
    later = opps[(opps["status"] != "open") & (opps["closed_on"] >= "2025-10-01")]
    by_partner = (
        later.assign(
            won=later["status"] == "won", revenue=later["amount"].where(later["status"] == "won", 0.0)
        )
        .groupby("partner_id")[["won", "revenue"]]
        .agg({"won": "mean", "revenue": "sum"})
    )
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


# ---------------------------------------------------------------- a sample worth reading (issue 13)


def quarterly_revenue(data) -> pd.DataFrame:
    """Won amount per partner (rows, every partner) and quarter (columns), 0 where none."""
    deals = data["opportunities"].query("status == 'won'").dropna(subset=["partner_id"])
    table = deals.pivot_table(
        index="partner_id",
        columns=deals["closed_on"].dt.to_period("Q").astype(str),
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
    )
    return table.reindex(data["partners"]["partner_id"], fill_value=0.0)


def members(partners: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Joined by the quarter's last day (or not joined yet: a recruit) and not gone before its first."""
    period = pd.Period(quarter, "Q")
    first, last = period.start_time, period.end_time.normalize()
    joined = partners["joined_on"].isna() | (partners["joined_on"] <= last)
    stayed = partners["churned_on"].isna() | (partners["churned_on"] >= first)
    return partners[joined & stayed]


def test_tiers_mean_something_gold_sells_most_then_silver_then_registered(data):
    revenue = quarterly_revenue(data)
    for quarter in LAST_QUARTERS:
        inside = members(data["partners"], quarter)
        median = (
            revenue.loc[inside["partner_id"], quarter]
            .groupby(inside.set_index("partner_id")["tier"])
            .median()
        )
        assert median["Gold"] > 2 * median["Silver"], (quarter, median.to_dict())
        assert median["Silver"] > median["Registered"], (quarter, median.to_dict())
    selling = data["partners"][data["partners"]["lifecycle_stage"].isin(["sell", "grow"])]
    assert set(selling["tier"]) == {"Gold", "Silver", "Registered"}  # peers by stage and tier exist


def test_a_gold_partner_falls_sharply_while_its_activity_stays_steady(data):
    revenue = quarterly_revenue(data)
    partners = data["partners"].set_index("partner_id")
    active = partners[partners["churned_on"].isna() & partners["lifecycle_stage"].isin(["sell", "grow"])]
    gold = active[active["tier"] == "Gold"].index
    change = revenue.loc[gold, "2026Q3"] / revenue.loc[gold, "2026Q2"] - 1
    fallen = change[change.between(-0.7, -0.4)].index
    assert len(fallen) >= 1
    logins = data["portal_activity"].assign(q=lambda f: f["day"].dt.to_period("Q").astype(str))
    logins = (
        logins[logins["partner_id"].isin(fallen)]
        .groupby(["partner_id", "q"])["logins"]
        .sum()
        .unstack(fill_value=0)
    )
    webinars = data["engagements"][data["engagements"]["partner_id"].isin(fallen)]
    steady = [
        p
        for p in fallen
        if logins.loc[p, "2026Q3"] >= 0.6 * logins.loc[p, "2026Q2"]
        and (webinars["partner_id"] == p).sum() > 0
    ]
    assert steady, "activity of the fallen Gold partners"


def test_a_selling_partner_has_no_revenue_and_no_open_pipeline_for_two_quarters(data):
    revenue = quarterly_revenue(data)
    partners = data["partners"].set_index("partner_id")
    active = partners[
        partners["churned_on"].isna() & partners["lifecycle_stage"].isin(["sell", "grow"])
    ].index
    opps = data["opportunities"].dropna(subset=["partner_id"])

    def open_at(day: str) -> pd.Series:
        day = pd.Timestamp(day)
        open_ = opps[(opps["created_on"] <= day) & ~(opps["closed_on"] <= day)]
        return open_.groupby("partner_id")["amount"].sum().reindex(active, fill_value=0.0)

    dry = (
        (revenue.loc[active, "2026Q2"] == 0)
        & (revenue.loc[active, "2026Q3"] == 0)
        & (open_at("2026-06-30") == 0)
        & (open_at("2026-09-30") == 0)
    )
    earlier = revenue.loc[active, [q for q in revenue.columns if q < "2026Q2"]].sum(axis=1)
    assert (dry & (earlier > 0)).sum() >= 1  # it sold before, then stopped
    quiet = dry[dry].index
    assert (
        data["engagements"]["partner_id"].isin(quiet).any()
        or data["portal_activity"]["partner_id"].isin(quiet).any()
    )


def test_survey_comments_vary_and_repeat_only_as_themes_in_other_words(data):
    comments = data["surveys"].dropna(subset=["comment"])
    assert len(comments) >= 100
    by_text = comments.groupby("comment")["partner_id"].nunique()
    assert (by_text == 1).all(), by_text[by_text > 1].index.tolist()[:3]  # not even one partner repeats
    assert comments["comment"].is_unique
    told = data["stories"].dropna(subset=["partner_id"])
    assert told["text"].is_unique and (told["kind"] == "quote").sum() >= 20  # quotes and posts vary too
    themes = {
        "mdf": "MDF",
        "leads": "lead",
        "deal registration": "regist",
        "account manager": "account manager",
    }
    for theme, word in themes.items():
        said = comments[comments["comment"].str.contains(word, case=False)]
        assert said["partner_id"].nunique() >= 3, theme
        first_sentences = said["comment"].str.split(r"(?<=\.) ", regex=True).str[0]
        assert first_sentences.nunique() >= 3, theme  # the same theme in different words
    low = comments[comments["score"] <= 6]["comment"]
    high = comments[comments["score"] >= 9]["comment"]
    assert low.str.contains("MDF|lead|pric|training|course", case=False).all()
    assert not high.str.contains("hurt|cost us|poorly", case=False).any()


# ---------------------------------------------------------------- partner contacts, MDF, plans, actions


def test_every_contact_id_in_use_is_a_contact_of_that_partner(data):
    contacts = data["contacts"]
    assert contacts["contact_id"].is_unique and contacts["email"].is_unique
    known = set(zip(contacts["contact_id"], contacts["partner_id"]))
    for name in ("engagements", "portal_activity"):
        used = set(zip(data[name]["contact_id"], data[name]["partner_id"]))
        assert used <= known, name
    assert set(contacts["partner_id"]) == set(data["partners"]["partner_id"])
    assert (contacts.groupby("partner_id").size() >= 2).all()


def test_contacts_have_names_and_addresses_at_their_partner_on_an_example_domain(data):
    contacts = data["contacts"].merge(
        data["partners"][["partner_id", "name", "locale"]], on="partner_id", suffixes=("", "_partner")
    )
    assert contacts["name"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][A-Za-z']+").all()
    assert not contacts.duplicated(["partner_id", "name"]).any()
    local, domain = contacts["email"].str.split("@").str[0], contacts["email"].str.split("@").str[1]
    assert local.str.fullmatch(r"[a-z]+\.[a-z]+").all()
    assert (local == contacts["name"].str.lower().str.replace("'", "").str.replace(" ", ".")).all()
    slug = contacts["name_partner"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    assert (domain == slug + ".example").all()  # reserved for examples (RFC 2606)
    assert set(contacts["role"]) >= {"Owner", "Sales Director"}
    assert (
        contacts["locale"].isna().mean() > 0.5 and contacts["locale"].dropna().isin(["en-US", "en-GB"]).all()
    )


def test_partners_have_an_account_manager_email_and_a_locale_from_their_country(data):
    partners = data["partners"]
    expected = (
        partners["account_manager"].str.lower().str.replace("'", "").str.replace(" ", ".") + "@vendor.example"
    )
    assert (partners["account_manager_email"] == expected).all()
    assert (partners.groupby("country")["locale"].nunique() == 1).all()
    assert partners["locale"].str.fullmatch(r"[a-z]{2}-[A-Z]{2}").all()
    assert partners.loc[partners["country"] == "United States", "locale"].eq("en-US").all()


def test_registrations_expire_ninety_days_after_submission(data):
    regs = data["deal_registrations"]
    assert ((regs["expires_on"] - regs["submitted_on"]).dt.days == 90).all()
    expired = regs[regs["status"] == "expired"]
    assert len(expired) > 0 and (expired["expires_on"] <= END).all()
    waiting = regs[regs["status"].isin(["submitted", "approved"])]
    assert (waiting["expires_on"] > END).all()
    soon = waiting[waiting["expires_on"] <= END + pd.Timedelta(days=30)]
    assert len(soon) > 0  # some expire within a month


def test_mdf_has_claim_deadlines_and_allocations_per_partner_and_year(data):
    mdf = data["mdf"]
    approved = mdf[mdf["amount_approved"] > 0]
    assert ((approved["claim_deadline"] - approved["requested_on"]).dt.days == 90).all()
    assert mdf.loc[mdf["amount_approved"] == 0, "claim_deadline"].isna().all()
    alloc = data["mdf_allocations"]
    assert not alloc.assign(year=alloc["allocated_on"].dt.year).duplicated(["partner_id", "year"]).any()
    assert (
        alloc["claim_deadline"] == pd.to_datetime((alloc["allocated_on"].dt.year + 1).astype(str) + "-01-31")
    ).all()
    years = alloc.assign(year=alloc["allocated_on"].dt.year).set_index(["partner_id", "year"])
    asked = (
        mdf.assign(year=mdf["requested_on"].dt.year)
        .groupby(["partner_id", "year"])
        .agg(approved=("amount_approved", "sum"), first=("requested_on", "min"))
    )
    both = asked.join(years, how="left")
    assert both["amount"].notna().all()  # every request draws on an allocation
    assert (both["amount"] >= both["approved"]).all()
    assert (both["allocated_on"] <= both["first"]).all()
    tiers = alloc.merge(data["partners"], on="partner_id").groupby("tier")["amount"].median()
    assert tiers["Gold"] > tiers["Silver"] > tiers["Registered"]


def test_active_plans_have_two_to_four_weighted_objectives_on_catalogue_metrics(data):
    plans, objectives = data["business_plans"], data["plan_objectives"]
    assert set(objectives["plan_id"]) <= set(plans["plan_id"])
    assert set(objectives["metric"]) <= set(CATALOGUE) and objectives["metric"].nunique() >= 4
    per_plan = objectives.groupby("plan_id").size().reindex(plans["plan_id"], fill_value=0)
    active = plans.loc[plans["status"] == "active", "plan_id"]
    assert len(active) >= 10 and per_plan[active].between(2, 4).all()
    weights = objectives.groupby("plan_id")["weight"].sum()
    assert ((weights - 1).abs() < 1e-9).all()
    revenue = objectives[objectives["metric"] == "revenue"].merge(plans, on="plan_id")
    assert len(revenue) == len(plans) and (revenue["target"] == revenue["revenue_target"]).all()
    assert not objectives.duplicated(["plan_id", "metric"]).any()
    assert (objectives["target"] > 0).all() and objectives["description"].notna().all()


def test_partners_have_open_and_done_actions(data):
    actions = data["actions"].merge(data["partners"], on="partner_id")
    assert ((actions["due_on"] - actions["agreed_on"]).dt.days.between(14, 60)).all()
    assert (actions["agreed_on"] >= actions["joined_on"]).all()
    selling = actions[actions["lifecycle_stage"].isin(["sell", "grow"])]
    statuses = selling.groupby("partner_id")["status"].agg(set)
    assert (statuses.map(lambda s: "open" in s)).all()
    assert (statuses.map(lambda s: s == {"open", "done"})).mean() > 0.5
    assert actions.groupby("partner_id").size().between(2, 5).all()
    assert (
        actions["owner"].isin(set(data["contacts"]["name"]) | set(data["partners"]["account_manager"])).all()
    )


def test_a_thousand_partners_generate_with_every_story_in_place():
    big = sample.generate(partners=1000, seed=7)
    assert len(big["partners"]) == 1000 and len(big["contacts"]) > 3000
    comments = big["surveys"]["comment"].dropna()
    assert comments.is_unique and len(comments) > 1000
    assert set(big["plan_objectives"]["plan_id"]) <= set(big["business_plans"]["plan_id"])


def test_the_sample_passes_the_import_checks_of_every_table(data):
    frames = {name: data[name] for name in TABLES}
    clean, problems = importer.validate(frames)
    assert [str(p) for p in problems if p.severity == "error"][:3] == []
    assert {name: len(frame) for name, frame in clean.items()} == {name: len(data[name]) for name in TABLES}
