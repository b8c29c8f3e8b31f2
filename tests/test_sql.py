"""The SQL source against a real PostgreSQL server (tests/pg.py starts one per session).

Without Debian's postgresql these tests skip saying what to install; with CI=true they
fail instead. The password in the URL must never reach a message, report or store.
"""

from __future__ import annotations


import pytest

from partnerbook import importer, store
from partnerbook.errors import DataError, ParamsError
from partnerbook.importer import import_source
from partnerbook.sources import kind, redact, sql
from pg import PASSWORD, postgres  # noqa: F401 - the session fixture

pytestmark = pytest.mark.postgres

SCHEMA = """
DROP TABLE IF EXISTS partners, opportunities, engagements, deals;
CREATE TABLE partners (partner_id text, name text, tier text, region text, joined_on date,
                       capacity_share numeric);
INSERT INTO partners VALUES ('P1', 'Rhein IT', 'Gold', 'EMEA', '2025-01-02', 0.4),
                            ('P2', 'Pacific Tech', 'Silver', 'APAC', NULL, NULL);
CREATE TABLE opportunities (opportunity_id text, partner_id text, account_id text, created_on timestamp,
                            closed_on date, status text, amount numeric(12, 2), segment text,
                            product_category text, sku text, is_new_logo boolean);
INSERT INTO opportunities VALUES
  ('O1', 'P1', 'A1', '2026-01-05 10:30', '2026-02-01', 'won', 1200.50, 'ENT', 'Cloud', 'C-1', true),
  ('O2', 'P2', 'A2', '2026-03-05 00:00', '2026-03-20', 'lost', 300, 'SMB', 'Cloud', 'C-1', false),
  ('O3', NULL, 'A3', '2026-04-05 00:00', NULL, 'open', 80, 'MM', 'Security', 'S-1', NULL);
CREATE TABLE deals (id text, agent text, stage text, opened date, value numeric);
INSERT INTO deals VALUES ('D1', 'P1', 'Closed Won', '2026-05-01', 10), ('D2', 'P1', 'Pending', '2026-05-02', 20);
"""


@pytest.fixture(scope="module")
def crm(postgres):
    for statement in filter(str.strip, SCHEMA.split(";")):
        postgres.sql(statement)
    return postgres


# ---------------------------------------------------------------- redaction (no server needed)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("postgresql://ann:s3cret@db.example:5432/crm", "postgresql://ann:***@db.example:5432/crm"),
        ("postgresql+psycopg://ann:p%40ss@127.0.0.1/crm", "postgresql+psycopg://ann:***@127.0.0.1/crm"),
        ("postgresql://ann@127.0.0.1/crm", "postgresql://ann@127.0.0.1/crm"),
        (
            "postgresql://127.0.0.1/crm?user=ann&password=s3cret",
            "postgresql://127.0.0.1/crm?password=***&user=ann",
        ),
        ("not a url ann:s3cret@host", "not a url ann:s3cret@host"),
    ],
)
def test_redact_hides_the_password(url, expected):
    assert redact(url) == expected


def test_a_url_is_a_sql_source_and_its_store_name_holds_no_secret():
    assert kind("postgresql://ann:s3cret@h/crm") == "sql"
    assert sql.store_name("postgresql://ann:s3cret@h:5432/crm?sslmode=require") == "sql-crm.duckdb"


# ---------------------------------------------------------------- a real server


def test_a_mapping_for_a_database_needs_queries_not_files(crm):
    mapping = {
        "tables": {
            "partners": {
                "file": "p.csv",
                "columns": {"partner_id": "a", "name": "b", "tier": "c", "region": "d"},
            }
        }
    }
    with pytest.raises(ParamsError, match=r"tables\.partners: expected query: \(SQL\) or table:"):
        sql.read(crm.url, mapping)


def test_canonical_tables_are_read_and_the_rest_is_absent(crm, tmp_path):
    report = import_source(crm.url, tmp_path / "pg.duckdb")
    data = store.read(tmp_path / "pg.duckdb")
    opp = data["opportunities"]
    assert opp["status"].tolist() == ["won", "lost", "open"]
    assert opp["amount"].tolist() == [1200.5, 300.0, 80.0]
    assert opp["created_on"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-05", "2026-03-05", "2026-04-05"]
    assert opp["is_new_logo"].tolist()[:2] == [True, False]
    assert data["partners"]["capacity_share"].tolist()[0] == 0.4
    assert not data.has("engagements") and not data.has("deal_registrations")
    assert report.kept == {"partners": 2, "opportunities": 3}
    assert "absent" in str(report)


def test_mapped_queries_with_recodes(crm, tmp_path):
    mapping = {
        "tables": {
            "partners": {
                "table": "partners",
                "columns": {"partner_id": "partner_id", "name": "name", "tier": "tier", "region": "region"},
            },
            "opportunities": {
                "query": "SELECT id, agent, stage, opened, value FROM deals ORDER BY id",
                "columns": {
                    "opportunity_id": "id",
                    "partner_id": "agent",
                    "account_id": {"value": "unknown"},
                    "created_on": "opened",
                    "status": {"column": "stage", "recode": {"Closed Won": "won", "Pending": "open"}},
                    "amount": "value",
                    "segment": {"value": "unknown"},
                    "product_category": {"value": "unknown"},
                    "sku": {"value": "unknown"},
                },
            },
        }
    }
    extract = sql.read(crm.url, mapping)
    assert extract.frames["opportunities"]["status"].tolist() == ["won", "open"]
    import_source(crm.url, tmp_path / "pg.duckdb", mapping=mapping)
    assert store.read(tmp_path / "pg.duckdb")["opportunities"]["amount"].tolist() == [10.0, 20.0]


def test_importer_load_reads_a_url_into_a_store_without_the_password(crm, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    data = importer.load(crm.url)
    assert len(data["opportunities"]) == 3
    target = tmp_path / "data" / "sql-crm.duckdb"
    assert target.exists()
    assert PASSWORD not in repr(data.meta) and "***" in data.meta["source"]
    assert PASSWORD.encode() not in target.read_bytes()


def test_a_wrong_password_fails_clearly_without_printing_either_password(crm):
    wrong = crm.url.replace(PASSWORD, "Wr0ng-Secret")
    with pytest.raises(DataError) as failure:
        sql.read(wrong)
    message = str(failure.value)
    assert "password authentication failed" in message and "***" in message
    assert "Wr0ng-Secret" not in message and PASSWORD not in message


def test_an_unreachable_server_names_the_redacted_url(crm):
    from pg import free_port

    url = f"postgresql://ann:{PASSWORD}@127.0.0.1:{free_port()}/crm"
    with pytest.raises(
        DataError, match=r"postgresql://ann:\*\*\*@127\.0\.0\.1:\d+/crm: cannot read"
    ) as failure:
        sql.read(url)
    assert PASSWORD not in str(failure.value)


def test_a_failing_query_names_the_table_and_hides_the_password(crm):
    mapping = {
        "tables": {
            "partners": {
                "query": "SELECT * FROM no_such_table",
                "columns": {"partner_id": "a", "name": "b", "tier": "c", "region": "d"},
            }
        }
    }
    with pytest.raises(DataError, match=r"the query for table partners failed .*no_such_table") as failure:
        sql.read(crm.url, mapping)
    assert PASSWORD not in str(failure.value)
