"""The French sample (`partnerbook sample --locale fr_FR`) and the French programme that goes
with it (params/program.fr.yaml).

The French sample is the English one told in French: the same seed draws the same partners,
stages, deals, dates and scores; names, places and what people write are French, and money is
in euros at 0.90 per dollar. Expected values are worked out here by hand from the English
sample's (whose own tests pin its structure).
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from jsonschema import Draft202012Validator

from partnerbook import cli, programme, sample, store
from partnerbook.errors import ParamsError
from partnerbook.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]
NNBSP, NBSP = "\u202f", "\u00a0"
TIERS = {"Gold": "Or", "Silver": "Argent", "Registered": "Référencé"}
REGIONS = {"AMER": "Île-de-France", "EMEA": "Auvergne-Rhône-Alpes", "APAC": "International"}
SEGMENTS = {"ENT": "Grands comptes", "MM": "ETI", "SMB": "PME"}
CATEGORIES = {"Cloud": "Cloud", "Security": "Sécurité", "Analytics": "Analytique", "Services": "Services"}
ROLES = {
    "Direction commerciale",
    "Ingénierie avant-vente",
    "Direction générale",
    "Responsable marketing",
    "Responsable des alliances",
    "Direction technique",
}
# words of the English comments that no French sentence holds ("but" is French: left out)
ENGLISH = re.compile(r"\b(?:the|and|our|we|with|deal|deals|is|it|to|of|us|for|too|never|this)\b", re.I)
WORDS = (
    "partners",
    "name",
    "tier",
    "region",
    "country",
    "account_manager",
    "account_manager_email",
    "locale",
)


@pytest.fixture(scope="module")
def small():
    return (sample.generate(partners=12, seed=7, locale="fr_FR"), sample.generate(partners=12, seed=7))


@pytest.fixture(scope="module")
def full():
    return sample.generate(seed=7, locale="fr_FR"), sample.generate(seed=7)


# ---------------------------------------------------------------- names and words


def test_the_first_partner_and_its_people_are_french(small):
    fr, _ = small
    first = fr["partners"].iloc[0]
    assert (first["partner_id"], first["name"], first["tier"], first["region"], first["country"]) == (
        "P001",
        "Ardennes Informatique",
        "Référencé",
        "International",
        "Suisse",
    )
    assert (first["account_manager"], first["account_manager_email"], first["locale"]) == (
        "Inès Dubois",
        "ines.dubois@vendor.example",
        "fr-FR",
    )
    people = fr["contacts"][fr["contacts"]["partner_id"] == "P001"]
    assert people[["name", "email", "role"]].head(3).values.tolist() == [
        ["Léa Guérin", "lea.guerin@ardennes-informatique.example", "Direction générale"],
        ["Émilie Bernard", "emilie.bernard@ardennes-informatique.example", "Direction technique"],
        ["Chloé Moreau", "chloe.moreau@ardennes-informatique.example", "Responsable des alliances"],
    ]


def test_every_partner_reads_french_and_lives_in_a_french_region_or_a_french_speaking_country(full):
    partners = full[0]["partners"]
    assert set(partners["locale"]) == {"fr-FR"}
    assert set(partners["tier"]) == {"Or", "Argent", "Référencé"}
    assert set(partners["region"]) == {"Île-de-France", "Auvergne-Rhône-Alpes", "International"}
    assert set(partners.loc[partners["region"] != "International", "country"]) == {"France"}
    assert set(partners.loc[partners["region"] == "International", "country"]) <= {
        "Belgique",
        "Suisse",
        "Luxembourg",
        "Maroc",
        "Tunisie",
        "Sénégal",
        "Côte d’Ivoire",
    }
    assert partners["name"].is_unique and partners["name"].str.contains("Groupe ").any()


def test_addresses_drop_the_accents_of_french_names(full):
    contacts = full[0]["contacts"]
    assert contacts["email"].is_unique
    assert contacts["email"].str.fullmatch(r"[a-z]+(\.[a-z]+)+@[a-z0-9-]+\.example").all()
    assert contacts["name"].str.contains("[éèÉ]").any()  # the names keep them
    assert set(contacts["role"]) == ROLES and set(full[0]["surveys"]["respondent"]) == ROLES


def test_survey_comments_are_french_on_the_english_themes(small, full):
    fr, en = small
    said = fr["surveys"].set_index("response_id")["comment"]
    assert en["surveys"].set_index("response_id").loc["SV0004", "comment"] == (
        "Our account manager knows our business and fights for our deals. "
        "It helped us close more Analytics deals this year."
    )
    assert said["SV0004"] == (
        "Notre responsable de compte connaît notre métier et se bat pour nos affaires. "
        "Cela nous a aidés à signer plus d’affaires Analytique cette année."
    )
    comments = full[0]["surveys"]["comment"].dropna()
    assert len(comments) >= 100 and comments.is_unique
    assert not comments.str.contains(ENGLISH).any(), comments[comments.str.contains(ENGLISH)].head(3).tolist()
    assert comments.str.contains(r"\b(?:nous|notre|nos|les|la|le|de|des)\b", case=False).all()
    for theme in ("FDM", "leads", "tarif", "formation", "enregistr", "responsable de compte", "certifi"):
        assert comments.str.contains(theme, case=False).sum() >= 3, theme


def test_stories_are_french_and_french_typography_is_kept(full):
    stories = full[0]["stories"]
    assert not stories["text"].str.contains(ENGLISH).any()
    wins = stories.loc[stories["kind"] == "win_story", "text"]
    assert wins.str.contains(
        r" a remporté une affaire (?:Cloud|Sécurité|Analytique|Services) "
        r"\((?:Grands comptes|ETI|PME)\) auprès d’un (?:nouveau client|client existant), "
        r"après (?:un essai conjoint|l’avoir enregistrée tôt)\.$"
    ).all()
    texts = pd.concat([stories["text"], full[0]["surveys"]["comment"].dropna()])
    assert not texts.str.contains(r" [:;?!]").any()  # never a plain space before them
    assert texts.str.contains(NBSP + ":").any() and texts.str.contains(NNBSP + ";").any()
    assert stories["text"].str.contains(NNBSP + r"\?").any()


# ---------------------------------------------------------------- money in euros


def test_amounts_are_the_english_ones_in_euros(small):
    fr, en = small
    # O00001: 156,700 $ x 0.9 = 141,030 -> 141,000 EUR; O00002: 46,600 -> 41,940 -> 41,900;
    # O00003: 12,400 -> 11,160 -> 11,200 (to the 100, as the sample draws them)
    assert en["opportunities"]["amount"].head(3).tolist() == [156_700, 46_600, 12_400]
    assert fr["opportunities"]["amount"].head(3).tolist() == [141_000, 41_900, 11_200]
    # M0001: requested 38,000 -> 34,200; approved 30,200 -> 27,180 -> 27,200; claimed and paid 26,400 -> 23,800
    assert fr["mdf"].loc[
        0, ["amount_requested", "amount_approved", "amount_claimed", "amount_paid"]
    ].tolist() == [34_200, 27_200, 23_800, 23_800]
    # a plan's revenue objective: 342,000 $ -> 307,800 -> 308,000 EUR (to the 1,000), written in French
    assert en["plan_objectives"]["description"].iloc[0] == "Grow revenue to 342,000 in the plan year"
    assert fr["plan_objectives"]["description"].iloc[0] == (
        f"Porter le chiffre d’affaires à 308{NNBSP}000{NBSP}€ sur l’année du plan"
    )
    assert fr["plan_objectives"]["target"].iloc[0] == 308_000


def test_allocations_still_cover_what_was_approved_in_euros(full):
    fr = full[0]
    mdf, alloc = fr["mdf"], fr["mdf_allocations"]
    approved = mdf.groupby([mdf["partner_id"], mdf["requested_on"].dt.year])["amount_approved"].sum()
    funds = alloc.set_index([alloc["partner_id"], alloc["allocated_on"].dt.year])["amount"]
    assert (funds.reindex(approved.index) >= approved).all()
    revenue = fr["plan_objectives"][fr["plan_objectives"]["metric"] == "revenue"].merge(fr["business_plans"])
    assert (revenue["target"] == revenue["revenue_target"]).all()


# ---------------------------------------------------------------- the same story


def test_same_seed_gives_the_same_french_data_and_another_seed_differs(small):
    again = sample.generate(partners=12, seed=7, locale="fr-FR")
    for name, frame in small[0].items():
        pd.testing.assert_frame_equal(frame, again[name], obj=name)
    other = sample.generate(partners=12, seed=8, locale="fr_FR")
    assert not other["partners"]["name"].equals(small[0]["partners"]["name"])


def test_the_french_sample_tells_the_english_story(full):
    """Same rows, ids, dates, stages, statuses and scores; tiers, regions, segments and
    categories translated one for one; amounts in euros; so every pattern the English sample's
    tests pin (tiers earned, Silver growing, APAC declining, a Gold partner falling, a partner
    gone dry) is in the French one."""
    fr, en = full
    for name, table in TABLES.items():
        assert len(fr[name]) == len(en[name]), name
        kept = [c.name for c in table.columns if c.kind in ("id", "date", "count", "score", "share", "bool")]
        pd.testing.assert_frame_equal(fr[name][kept], en[name][kept], obj=name)
    p_fr, p_en = fr["partners"], en["partners"]
    assert (p_fr["tier"] == p_en["tier"].map(TIERS)).all() and (
        p_fr["region"] == p_en["region"].map(REGIONS)
    ).all()
    assert (p_fr["lifecycle_stage"] == p_en["lifecycle_stage"]).all()
    o_fr, o_en = fr["opportunities"], en["opportunities"]
    assert (o_fr["status"] == o_en["status"]).all() and (
        o_fr["segment"] == o_en["segment"].map(SEGMENTS)
    ).all()
    assert (o_fr["product_category"] == o_en["product_category"].map(CATEGORIES)).all()
    assert (o_fr["amount"] == np.round(o_en["amount"] * 0.9 / 100) * 100).all()
    assert (fr["surveys"]["comment"].isna() == en["surveys"]["comment"].isna()).all()


# ---------------------------------------------------------------- the command and the store


def test_the_command_builds_the_french_sample_and_names_its_language(tmp_path, capsys):
    path = tmp_path / "echantillon.duckdb"
    assert cli.main(["sample", "--partners", "12", "--locale", "fr_FR", "--into", str(path)]) == 0
    assert capsys.readouterr().out == f"sample: 12 partners in fr_FR written to {path}\n"
    assert store.meta(path)["sample_locale"] == "fr_FR"
    assert store.read(path)["partners"]["name"].iloc[0] == "Ardennes Informatique"


def test_a_locale_without_words_is_refused_naming_the_option(tmp_path, capsys):
    assert (
        cli.main(["sample", "--partners", "12", "--locale", "de_DE", "--into", str(tmp_path / "s.duckdb")])
        == 2
    )
    assert "sample --locale: expected one of en_US, fr_FR (found 'de_DE')" in capsys.readouterr().err
    assert not (tmp_path / "s.duckdb").exists()
    with pytest.raises(ParamsError, match="--locale"):
        sample.generate(partners=12, locale="klingon")


def test_the_english_sample_store_has_no_language_key(tmp_path):
    assert "sample_locale" not in store.meta(sample.build(tmp_path / "en.duckdb", partners=12))


def test_the_french_sample_goes_beside_the_english_one_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    assert sample.build(partners=12, locale="fr_FR") == tmp_path / "data" / "sample_fr_FR.duckdb"
    assert not (tmp_path / "data" / "sample.duckdb").exists()


# ---------------------------------------------------------------- the French programme


def test_the_french_programme_loads_and_passes_the_schema():
    path = ROOT / "params" / "program.fr.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=program.schema.json"
    schema = json.loads((ROOT / "params" / "program.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(yaml.safe_load(text))) == []
    prog = programme.load(path)
    assert (prog.name, prog.currency, prog.locale) == ("Programme partenaires Northwind", "EUR", "fr_FR")
    assert prog.section("values") == [
        "Les résultats de nos clients d’abord",
        "Gagner ensemble avec nos partenaires",
        "Croître de façon responsable",
    ]


def test_the_french_programme_speaks_of_the_french_sample(full):
    """Its tiers, segment and product category are the sample's; its money goals are the
    English ones at 0.90 EUR per dollar."""
    prog = programme.load(ROOT / "params" / "program.fr.yaml")
    english = programme.load(ROOT / "params" / "program.yaml")
    partners, opps = full[0]["partners"], full[0]["opportunities"]
    assert [level["name"] for level in prog.section("tiers")["levels"]] == ["Référencé", "Argent", "Or"]
    assert set(prog.section("targets")["by_tier"]) == set(partners["tier"])
    assert set(prog.section("reporting")["plan_tiers"]) <= set(partners["tier"])
    inputs = {o["id"]: o.get("inputs", {}) for o in prog.section("objectives")}
    assert inputs["enterprise_edge"]["segment"] in set(opps["segment"])
    assert inputs["launch_share"]["product_category"] in set(opps["product_category"])
    goals = {g["id"]: g["target"] for g in prog.section("channel_goals")}
    assert goals["channel_revenue"] == 7_650_000  # 8,500,000 $ x 0.9
    assert {o["id"]: o["target"] for o in english.section("objectives")}["grow_revenue"] == 8_500_000
    assert inputs["channel_return"]["programme_costs"] == 1_260_000  # 1,400,000 $ x 0.9
    assert inputs["share_of_market"]["market_size"] == 108_000_000  # 120,000,000 $ x 0.9
    assert {a["slug"] for a in prog.section("reporting")["audiences"]} == {
        "ventes",
        "marketing",
        "accompagnement",
    }
    assert set(prog.section("delivery")["partners"]["roles"]) <= ROLES
