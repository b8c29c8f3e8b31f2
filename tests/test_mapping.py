"""Column mappings: the YAML is validated first (errors name the key), then any export maps.

The Maven CRM export (tests/data/maven-crm-sales-opportunities, a copy of the public files) has,
counted by hand from sales_pipeline.csv's deal_stage column (see its SOURCE.txt and
issue 7): 4,238 Won, 2,473 Lost, 1,589 Engaging, 500 Prospecting; the 500 Prospecting
deals have no engage_date; 35 sales agents in sales_teams.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from partnerbook import store
from partnerbook.errors import DataError, ParamsError, ProblemsFound
from partnerbook.importer import import_source
from partnerbook.sources import mapping

REPO = Path(__file__).resolve().parents[1]
MAVEN = REPO / "tests" / "data" / "maven-crm-sales-opportunities"
MAVEN_MAPPING = REPO / "params" / "mappings" / "maven.yaml"

PARTNERS = {
    "file": "resellers.csv",
    "columns": {"partner_id": "ID", "name": "Name", "tier": {"value": "Registered"}, "region": "Region"},
}
DEALS = {
    "file": "deals.csv",
    "columns": {
        "opportunity_id": "Deal",
        "partner_id": "Reseller",
        "account_id": "Customer",
        "created_on": {"column": "Opened", "format": "%d.%m.%Y"},
        "closed_on": {"column": "Closed", "format": "%d.%m.%Y"},
        "status": {"column": "Stage", "recode": {"Gewonnen": "won", "Verloren": "lost", "Offen": "open"}},
        "amount": {"column": "Value", "default": 0},
        "segment": {"value": "unknown"},
        "product_category": {
            "column": "Product",
            "lookup": {"file": "products.csv", "key": "code", "value": "family"},
        },
        "sku": "Product",
    },
}


def write_yaml(path: Path, spec: dict) -> Path:
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "resellers.csv").write_text("ID,Name,Region\nR1,Rhein IT,EMEA\nR2,Pacific Tech,APAC\n")
    (folder / "products.csv").write_text("code,family\nA-1,Cloud\nB-2,Security\n")
    (folder / "DEALS.CSV").write_text(
        "deal,reseller,customer,opened,closed,stage,value,product\n"
        "D1,R1,K1,05.01.2026,20.02.2026,gewonnen,1000,A-1\n"
        "D2,R1,K2,06.01.2026,21.02.2026,Verloren,400,B-2\n"
        "D3,R2,K3,07.01.2026,,Offen,,A-1\n"
    )
    return folder


# ---------------------------------------------------------------- validating the mapping


@pytest.mark.parametrize(
    "spec,message",
    [
        ({"tabels": {}}, r"mapping\.tabels: unknown key; did you mean 'tables'\?"),
        ({"preset": "hubspot"}, r"preset: expected one of salesforce"),
        ({"tables": {"partner": PARTNERS}}, r"tables\.partner: unknown key; did you mean 'partners'\?"),
        (
            {"tables": {"partners": {**PARTNERS, "columns": {**PARTNERS["columns"], "regoin": "R"}}}},
            r"tables\.partners\.columns\.regoin: unknown key; did you mean 'region'\?",
        ),
        (
            {
                "tables": {
                    "opportunities": {
                        **DEALS,
                        "columns": {**DEALS["columns"], "status": {"column": "Stage", "recod": {}}},
                    }
                }
            },
            r"tables\.opportunities\.columns\.status\.recod: unknown key; did you mean 'recode'\?",
        ),
        (
            {"tables": {"partners": {"file": "x.csv", "columns": {"partner_id": "ID", "name": "N"}}}},
            r"tables\.partners\.columns: expected the required column\(s\) tier, region",
        ),
        ({"tables": {"partners": {"columns": PARTNERS["columns"]}}}, r"tables\.partners: expected file:"),
        (
            {
                "tables": {
                    "partners": {
                        **PARTNERS,
                        "columns": {**PARTNERS["columns"], "tier": {"column": "T", "value": "x"}},
                    }
                }
            },
            r"tables\.partners\.columns\.tier: expected either column: .* or value:",
        ),
        (
            {
                "tables": {
                    "opportunities": {
                        **DEALS,
                        "columns": {**DEALS["columns"], "sku": {"column": "P", "lookup": {"file": "p.csv"}}},
                    }
                }
            },
            r"tables\.opportunities\.columns\.sku\.lookup: expected key, value",
        ),
        (
            {"preset": "salesforce", "stages": {"wonn": ["Booked"]}},
            r"stages\.wonn: unknown key; did you mean 'won'\?",
        ),
        ({"preset": "salesforce", "partner": {"fields": "OwnerId"}}, r"partner\.fields: unknown key"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key(tmp_path, spec, message):
    path = write_yaml(tmp_path / "mine.yaml", spec)
    with pytest.raises(ParamsError, match=r"mine\.yaml: .*" + message):
        mapping.load(path)


def test_the_example_mappings_in_params_are_valid():
    for name in ("example.yaml", "maven.yaml", "salesforce-standin.yaml"):
        assert mapping.load(REPO / "params" / "mappings" / name)["tables"]


# ---------------------------------------------------------------- mapping an export


def test_columns_are_renamed_recoded_looked_up_defaulted_and_dates_read(crm, tmp_path):
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    extract = mapping.read(crm, spec)
    opp = extract.frames["opportunities"].reset_index(drop=True)
    assert opp["status"].tolist() == ["won", "lost", "open"]  # recode ignores case
    assert opp["created_on"].tolist() == ["2026-01-05", "2026-01-06", "2026-01-07"]
    assert opp["closed_on"].tolist() == ["2026-02-20", "2026-02-21", ""]
    assert opp["amount"].tolist() == ["1000", "400", "0"]
    assert opp["product_category"].tolist() == ["Cloud", "Security", "Cloud"]
    assert extract.frames["partners"]["tier"].tolist() == ["Registered", "Registered"]
    assert extract.files == {"partners": "resellers.csv", "opportunities": "DEALS.CSV"}


def test_only_partners_and_opportunities_import_and_the_rest_is_absent(crm, tmp_path):
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    report = import_source(crm, tmp_path / "s.duckdb", mapping=spec)
    data = store.read(tmp_path / "s.duckdb")
    assert data.has("opportunities") and not data.has("engagements") and not data.has("surveys")
    assert "engagements" in data.meta["absent"]
    assert report.kept == {"partners": 2, "opportunities": 3}
    assert report.dates["opportunities"] == ("2026-01-05", "2026-01-07")
    assert "absent" in str(report) and "leads" in str(report)


def test_a_missing_source_column_names_the_mapping_key_and_the_columns_found(crm, tmp_path):
    deals = {**DEALS, "columns": {**DEALS["columns"], "sku": "Produkt"}}
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": deals}})
    with pytest.raises(
        DataError,
        match=r"m\.yaml: tables\.opportunities\.columns\.sku: no column "
        r"'Produkt' in DEALS\.CSV; its columns are: deal, reseller",
    ):
        mapping.read(crm, spec)


def test_a_missing_file_is_named(crm, tmp_path):
    spec = write_yaml(
        tmp_path / "m.yaml",
        {"tables": {"partners": {**PARTNERS, "file": "partners.xlsx"}, "opportunities": DEALS}},
    )
    with pytest.raises(DataError, match=r"tables\.partners\.file: no file 'partners\.xlsx'"):
        mapping.read(crm, spec)


def test_unknown_stage_names_are_not_dropped_but_refused(crm, tmp_path):
    (crm / "DEALS.CSV").write_text((crm / "DEALS.CSV").read_text().replace("Offen", "Vielleicht"))
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    with pytest.raises(ProblemsFound, match=r"DEALS\.CSV, row 4, column status.*Vielleicht"):
        import_source(crm, tmp_path / "s.duckdb", mapping=spec)


def test_value_spec_applies_recode_then_lookup_then_default():
    frame = pd.DataFrame({"p": ["GTXPro", "MG Special", "", "Other"]})
    lookup = lambda name, where: pd.DataFrame({"product": ["GTX Pro", "MG Special"], "series": ["GTX", "MG"]})
    spec = {
        "column": "P",
        "recode": {"gtxpro": "GTX Pro"},
        "lookup": {"file": "products.csv", "key": "product", "value": "series"},
        "default": "unknown",
    }
    assert mapping.value(frame, spec, "text", "here", lookup).tolist() == ["GTX", "MG", "unknown", "unknown"]


# ---------------------------------------------------------------- the Maven export


def test_maven_through_a_mapping_with_the_sales_agent_as_partner(tmp_path):
    with pytest.raises(ProblemsFound, match=r"sales_pipeline\.csv, row \d+, column created_on"):
        import_source(MAVEN, tmp_path / "m.duckdb", mapping=MAVEN_MAPPING)
    report = import_source(MAVEN, tmp_path / "m.duckdb", mapping=MAVEN_MAPPING, lenient=True)
    opp = store.read(tmp_path / "m.duckdb")["opportunities"]
    assert (opp["status"] == "won").sum() == 4238
    assert (opp["status"] == "lost").sum() == 2473
    assert (opp["status"] == "open").sum() == 1589  # Engaging; Prospecting has no created_on
    assert report.read["opportunities"] == 8800
    assert report.rejected_rows == 500
    assert report.kept["partners"] == 35
    assert "GTXPro" not in set(opp["sku"]) and opp["product_category"].notna().all()


# ---------------------------------------------------------------- real exports: no account, numbers


def test_a_deal_without_a_customer_imports_without_lenient(crm, tmp_path):
    deals = crm / "DEALS.CSV"
    deals.write_text(deals.read_text() + "D4,R2,,08.01.2026,,Offen,300,B-2\n")
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    import_source(crm, tmp_path / "s.duckdb", mapping=spec)
    opp = store.read(tmp_path / "s.duckdb")["opportunities"].set_index("opportunity_id")
    assert pd.isna(opp.loc["D4", "account_id"]) and opp.loc["D4", "amount"] == 300.0


@pytest.mark.parametrize("value", ["1,5", "1234,50", "1.234,50"])
def test_a_value_that_is_not_a_documented_number_is_refused_not_read_without_its_comma(crm, tmp_path, value):
    deals = crm / "DEALS.CSV"
    deals.write_text(deals.read_text().replace("gewonnen,1000,", f'gewonnen,"{value}",'))
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    for lenient in (False, True):
        with pytest.raises(
            ProblemsFound,
            match=r"DEALS\.CSV, row 2, column amount: expected a number as "
            r"en_US writes it",
        ):
            import_source(crm, tmp_path / "s.duckdb", mapping=spec, lenient=lenient)


def test_maven_deals_without_an_account_are_imported(tmp_path):
    import_source(MAVEN, tmp_path / "m.duckdb", mapping=MAVEN_MAPPING, lenient=True)
    opp = store.read(tmp_path / "m.duckdb")["opportunities"]
    # SOURCE.txt: 1,425 blank accounts, all open deals; 337 of them are Prospecting deals
    # (counted in sales_pipeline.csv: deal_stage Prospecting and account empty), rejected for
    # their missing engage_date, so 1,425 - 337 = 1,088 imported without an account.
    blank = opp["account_id"].isna()
    assert blank.sum() == 1088 and (opp.loc[blank, "status"] == "open").all()


def test_1234_with_a_comma_is_refused_without_a_locale_and_read_once_declared(crm, tmp_path):
    deals = crm / "DEALS.CSV"
    deals.write_text(deals.read_text().replace("gewonnen,1000,", 'gewonnen,"1,234",'))
    spec = write_yaml(tmp_path / "m.yaml", {"tables": {"partners": PARTNERS, "opportunities": DEALS}})
    with pytest.raises(ProblemsFound, match=r"DEALS\.CSV, row 2, column amount: .*1,234 alone is ambiguous"):
        import_source(crm, tmp_path / "s.duckdb", mapping=spec)
    import_source(crm, tmp_path / "s.duckdb", mapping=spec, locale="en_US")
    opp = store.read(tmp_path / "s.duckdb")["opportunities"].set_index("opportunity_id")
    assert opp.loc["D1", "amount"] == 1234.0
