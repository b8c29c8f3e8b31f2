"""The pandera schemas over raw text, cell by cell, and the user documentation of the model."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa
import pytest

from partnerbook import importer, schema, store
from partnerbook.tables import TABLES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"


def surveys(**cells) -> pd.DataFrame:
    """One valid surveys row (row 2), with some cells replaced."""
    row = {
        "response_id": "S1",
        "partner_id": "P1",
        "answered_on": "2026-04-01",
        "respondent": "CEO",
        "score": "9",
        "comment": "",
    }
    return pd.DataFrame([{**row, **cells}], dtype=str)


def found(name: str, frame: pd.DataFrame) -> list[tuple]:
    return [(p.row, p.column, p.found) for p in schema.problems(name, frame, f"{name}.csv")]


def test_every_table_has_a_schema_with_its_columns():
    for name, table in TABLES.items():
        s = schema.for_table(name)
        assert isinstance(s, pa.DataFrameSchema)
        assert list(s.columns) == table.names
        assert [s.columns[c.name].required for c in table.columns] == [not c.optional for c in table.columns]


def test_a_valid_row_has_no_problem():
    assert found("surveys", surveys()) == []


@pytest.mark.parametrize(
    "kind_column, good, bad",
    [
        (
            "answered_on",
            ["2026-04-01", "2024-02-29", "1900-01-01"],
            [
                "2026-02-30",
                "2025-02-29",
                "2026-4-1",
                "01/04/2026",
                "2026-04-01T00:00",
                "yesterday",
                "2300-01-01",
            ],
        ),
        ("score", ["0", "10", "7", "7.0"], ["11", "-1", "7.5", "nine", "1e1x"]),
        ("partner_id", ["P1", "../../etc", "ACME GmbH", "Ünïcødé"], ["P1\nP2", "P\x07", "", "P1\r"]),
    ],
)
def test_surveys_cells(kind_column, good, bad):
    frame = pd.concat([surveys(**{kind_column: v}) for v in good + bad], ignore_index=True)
    # the references to partners are checked by the importer, not the schema
    frame["response_id"] = [f"S{i}" for i in range(len(frame))]
    rows = [r for r, c, _ in found("surveys", frame) if c == kind_column]
    assert rows == list(range(2 + len(good), 2 + len(good) + len(bad)))


@pytest.mark.parametrize(
    "column, good, bad",
    [
        (
            "amount",
            ["0", "1000.50", "5e3", ".5", "999999999999"],
            ["-1", "1,000", "$5", "12k", "1e20", "1000000000000", "inf", "nan", "", " 5"],
        ),
        ("is_new_logo", ["true", "FALSE", "Yes", "no", "1", "0", ""], ["maybe", "y", "2"]),
        ("status", ["open", "won", "lost"], ["Won", "pending", ""]),
        ("closed_on", ["", "2026-03-31"], ["31.03.2026"]),
    ],
)
def test_opportunity_cells(column, good, bad):
    base = {
        "opportunity_id": "O",
        "partner_id": "P1",
        "account_id": "A",
        "created_on": "2026-01-01",
        "closed_on": "",
        "status": "open",
        "amount": "1",
        "segment": "ENT",
        "product_category": "Cloud",
        "sku": "S",
        "is_new_logo": "",
    }
    frame = pd.DataFrame(
        [{**base, "opportunity_id": f"O{i}", column: v} for i, v in enumerate(good + bad)], dtype=str
    )
    problems = found("opportunities", frame)
    assert [(r, c) for r, c, _ in problems] == [
        (r, column) for r in range(2 + len(good), 2 + len(good) + len(bad))
    ]
    assert [f for _, _, f in problems] == bad


def test_shares_and_counts():
    partners = pd.DataFrame(
        {
            "partner_id": ["P1", "P2", "P3", "P4"],
            "name": "A",
            "tier": "Gold",
            "region": "EMEA",
            "capacity_share": ["0", "1", "1.01", "40%"],
        }
    )
    assert found("partners", partners) == [(4, "capacity_share", "1.01"), (5, "capacity_share", "40%")]
    portal = pd.DataFrame(
        {
            "partner_id": "P1",
            "contact_id": ["C1", "C2", "C3", "C4"],
            "day": "2026-01-01",
            "logins": ["0", "12", "-1", "1.5"],
            "page_views": ["", "3", "x", ""],
        }
    )
    assert found("portal_activity", portal) == [
        (4, "logins", "-1"),
        (4, "page_views", "x"),
        (5, "logins", "1.5"),
    ]


def test_duplicate_keys_keep_the_first_and_name_the_later_rows():
    frame = pd.concat(
        [surveys(), surveys(score="3"), surveys(response_id="S2"), surveys()], ignore_index=True
    )
    assert found("surveys", frame) == [(3, "response_id", "S1"), (5, "response_id", "S1")]
    changes = pd.DataFrame(
        {
            "partner_id": ["P1", "P1", "P1"],
            "changed_on": ["2026-01-01"] * 3,
            "stage": ["sell", "grow", "sell"],
        }
    )
    assert found("stage_changes", changes) == [(4, "partner_id+changed_on+stage", "P1 + 2026-01-01 + sell")]


def test_rows_follow_a_file_row_index():
    frame = surveys(score="12").set_axis(pd.Index([7], name="row"))
    assert found("surveys", frame) == [(7, "score", "12")]


def test_problems_say_what_was_expected():
    [p] = schema.problems("surveys", surveys(answered_on="2026-02-30"), "in/surveys.csv")
    assert str(p) == (
        "error: in/surveys.csv, row 2, column answered_on: expected a real date as YYYY-MM-DD, "
        "between 1900 and 2199 (found '2026-02-30')"
    )


def test_as_values_turns_text_into_what_store_coerce_reads():
    frame = pd.DataFrame(
        {"is_new_logo": ["yes", "No", "", "1"], "segment": ["ENT", "", "MM", "SMB"]}, dtype=str
    )
    out = schema.as_values("opportunities", frame)
    assert out["is_new_logo"].tolist()[:2] == [True, False] and out["is_new_logo"].tolist()[3] is True
    assert pd.isna(out["is_new_logo"].iloc[2]) and pd.isna(out["segment"].iloc[1])


# ---------------------------------------------------------------- docs/data-model.md


def test_the_docs_mention_every_table_and_column():
    text = DOCS.read_text(encoding="utf-8")
    for name, table in TABLES.items():
        assert f"### {name}\n" in text and f"`{name}.csv`" in text
        for col in table.names:
            assert f"| `{col}` |" in text.split(f"### {name}\n")[1].split("### ")[0], (name, col)


def test_the_docs_table_section_is_generated_from_the_model():
    text = DOCS.read_text(encoding="utf-8")
    section = re.search(r"<!-- tables:start -->\n(.*)<!-- tables:end -->", text, re.S).group(1)
    assert section == schema.markdown(), "regenerate the section with schema.markdown()"


def test_the_docs_state_the_rules():
    text = DOCS.read_text(encoding="utf-8")
    for phrase in ("--lenient", "exit status 2", "header is row 1", "absent", "UTF-8", "nothing was changed"):
        assert phrase in text


# ---------------------------------------------------------------- the optional partner-portal tables


def test_contact_emails_and_locales_have_their_shape():
    good = ["maria.lopez@brightpath-systems.example", "o'brien+reports@x.example.com"]
    bad = [
        "maria",
        "Maria <maria@x.example>",
        "a@x.example, b@x.example",
        "a@x.example\nBcc: c@y.example",
        "a b@x.example",
        "a@x",
        "a@@x.example",
    ]
    frame = pd.DataFrame(
        {
            "contact_id": [f"C{i}" for i in range(len(good + bad))],
            "partner_id": "P1",
            "name": "Maria Lopez",
            "email": good + bad,
            "locale": "en-US",
        }
    )
    assert found("contacts", frame) == [
        (r, "email", v) for r, v in zip(range(2 + len(good), 9 + len(good)), bad)
    ]
    locales = pd.DataFrame(
        {
            "contact_id": ["C1", "C2", "C3", "C4", "C5"],
            "partner_id": "P1",
            "name": "A",
            "email": "a@x.example",
            "locale": ["de-DE", "fr", "", "English", "en US"],
        }
    )
    assert found("contacts", locales) == [(5, "locale", "English"), (6, "locale", "en US")]


def test_actions_allow_open_or_done_and_objectives_need_a_metric_and_a_target():
    actions = pd.DataFrame(
        {
            "action_id": ["A1", "A2", "A3"],
            "partner_id": "P1",
            "agreed_on": "2026-07-01",
            "owner": "Maria Lopez",
            "description": "Send the plan",
            "due_on": ["2026-12-31", "", ""],
            "status": ["open", "done", "closed"],
        }
    )
    assert found("actions", actions) == [(4, "status", "closed")]
    objectives = pd.DataFrame(
        {
            "objective_id": ["O1", "O2", "O3"],
            "plan_id": "BP1",
            "metric": ["revenue", "", "deals_won"],
            "target": ["250000", "3", "-2"],
            "weight": ["0.5", "0.3", "1.5"],
        }
    )
    assert found("plan_objectives", objectives) == [
        (3, "metric", ""),
        (4, "target", "-2"),
        (4, "weight", "1.5"),
    ]


def test_new_tables_and_columns_are_optional():
    for name in ("contacts", "mdf_allocations", "plan_objectives", "actions"):
        assert not TABLES[name].required
    for name, column in (
        ("deal_registrations", "expires_on"),
        ("mdf", "claim_deadline"),
        ("partners", "account_manager_email"),
        ("partners", "locale"),
    ):
        assert TABLES[name].column(column).optional, (name, column)
    assert TABLES["plan_objectives"].column("plan_id").references == "business_plans.plan_id"


def test_a_plan_objective_must_name_a_plan_that_passed_and_deadlines_may_be_later_than_today():
    frames = {
        "partners": pd.DataFrame({"partner_id": ["P1"], "name": ["A"], "tier": ["Gold"], "region": ["EMEA"]}),
        "opportunities": pd.DataFrame(
            {
                "opportunity_id": ["O1"],
                "partner_id": ["P1"],
                "account_id": ["A1"],
                "created_on": ["2026-01-01"],
                "status": ["open"],
                "amount": ["1"],
                "segment": ["ENT"],
                "product_category": ["Cloud"],
                "sku": ["S"],
            }
        ),
        "business_plans": pd.DataFrame(
            {
                "plan_id": ["BP1", "BP2"],
                "partner_id": ["P1", "P9"],
                "created_on": "2026-01-01",
                "status": "active",
            }
        ),
        "plan_objectives": pd.DataFrame(
            {
                "objective_id": ["J1", "J2", "J3"],
                "plan_id": ["BP1", "BP2", "BP3"],
                "metric": "revenue",
                "target": "100",
            }
        ),
        "mdf_allocations": pd.DataFrame(
            {
                "allocation_id": ["M1"],
                "partner_id": ["P1"],
                "allocated_on": ["2026-01-01"],
                "amount": ["5000"],
                "claim_deadline": ["2199-01-31"],
            }
        ),
    }
    clean, problems = importer.validate(frames)
    assert [(p.file, p.row, p.column, p.found) for p in problems] == [
        ("business_plans.csv", 3, "partner_id", "P9"),
        ("plan_objectives.csv", 3, "plan_id", "BP2"),
        ("plan_objectives.csv", 4, "plan_id", "BP3"),
    ]
    assert "a plan whose row is valid (BP2 is in business_plans.csv row 3" in problems[1].expected
    assert problems[2].expected == "a plan_id listed in business_plans.csv"
    assert clean["plan_objectives"]["objective_id"].tolist() == ["J1"]
    assert clean["mdf_allocations"]["claim_deadline"].tolist() == [pd.Timestamp("2199-01-31")]


def test_a_store_written_before_the_new_tables_existed_reads_them_as_absent(tmp_path):
    path = store.write(
        tmp_path / "old.duckdb",
        {
            "partners": pd.DataFrame(
                {"partner_id": ["P1"], "name": ["A"], "tier": ["Gold"], "region": ["EMEA"]}
            ),
            "opportunities": pd.DataFrame(
                {
                    "opportunity_id": ["O1"],
                    "partner_id": ["P1"],
                    "account_id": ["A1"],
                    "created_on": [pd.Timestamp("2026-01-01")],
                    "status": ["open"],
                    "amount": [1.0],
                    "segment": ["ENT"],
                    "product_category": ["Cloud"],
                    "sku": ["S"],
                }
            ),
        },
    )
    con = duckdb.connect(str(path))
    for name in ("contacts", "mdf_allocations", "plan_objectives", "actions"):
        con.execute(f'DROP TABLE "{name}"')
    con.execute('ALTER TABLE "partners" DROP COLUMN "locale"')
    con.close()
    data = store.read(path)
    assert {"contacts", "mdf_allocations", "plan_objectives", "actions"} <= data.absent
    assert list(data["contacts"].columns) == TABLES["contacts"].names and data["contacts"].empty
    assert data["partners"]["locale"].isna().all()
