"""The pandera schemas over raw text, cell by cell, and the user documentation of the model."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from partnerbook import schema
from partnerbook.tables import TABLES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"


def surveys(**cells) -> pd.DataFrame:
    """One valid surveys row (row 2), with some cells replaced."""
    row = {"response_id": "S1", "partner_id": "P1", "answered_on": "2026-04-01",
           "respondent": "CEO", "score": "9", "comment": ""}
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


@pytest.mark.parametrize("kind_column, good, bad", [
    ("answered_on", ["2026-04-01", "2024-02-29", "1900-01-01"],
     ["2026-02-30", "2025-02-29", "2026-4-1", "01/04/2026", "2026-04-01T00:00", "yesterday", "2300-01-01"]),
    ("score", ["0", "10", "7", "7.0"], ["11", "-1", "7.5", "nine", "1e1x"]),
    ("partner_id", ["P1", "../../etc", "ACME GmbH", "Ünïcødé"], ["P1\nP2", "P\x07", "", "P1\r"]),
])
def test_surveys_cells(kind_column, good, bad):
    frame = pd.concat([surveys(**{kind_column: v}) for v in good + bad], ignore_index=True)
    # the references to partners are checked by the importer, not the schema
    frame["response_id"] = [f"S{i}" for i in range(len(frame))]
    rows = [r for r, c, _ in found("surveys", frame) if c == kind_column]
    assert rows == list(range(2 + len(good), 2 + len(good) + len(bad)))


@pytest.mark.parametrize("column, good, bad", [
    ("amount", ["0", "1000.50", "5e3", ".5", "999999999999"],
     ["-1", "1,000", "$5", "12k", "1e20", "1000000000000", "inf", "nan", "", " 5"]),
    ("is_new_logo", ["true", "FALSE", "Yes", "no", "1", "0", ""], ["maybe", "y", "2"]),
    ("status", ["open", "won", "lost"], ["Won", "pending", ""]),
    ("closed_on", ["", "2026-03-31"], ["31.03.2026"]),
])
def test_opportunity_cells(column, good, bad):
    base = {"opportunity_id": "O", "partner_id": "P1", "account_id": "A", "created_on": "2026-01-01",
            "closed_on": "", "status": "open", "amount": "1", "segment": "ENT",
            "product_category": "Cloud", "sku": "S", "is_new_logo": ""}
    frame = pd.DataFrame([{**base, "opportunity_id": f"O{i}", column: v}
                          for i, v in enumerate(good + bad)], dtype=str)
    problems = found("opportunities", frame)
    assert [(r, c) for r, c, _ in problems] == [(r, column) for r in range(2 + len(good), 2 + len(good) + len(bad))]
    assert [f for _, _, f in problems] == bad


def test_shares_and_counts():
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3", "P4"], "name": "A", "tier": "Gold",
                             "region": "EMEA", "capacity_share": ["0", "1", "1.01", "40%"]})
    assert found("partners", partners) == [(4, "capacity_share", "1.01"), (5, "capacity_share", "40%")]
    portal = pd.DataFrame({"partner_id": "P1", "contact_id": ["C1", "C2", "C3", "C4"], "day": "2026-01-01",
                           "logins": ["0", "12", "-1", "1.5"], "page_views": ["", "3", "x", ""]})
    assert found("portal_activity", portal) == [(4, "logins", "-1"), (4, "page_views", "x"), (5, "logins", "1.5")]


def test_duplicate_keys_keep_the_first_and_name_the_later_rows():
    frame = pd.concat([surveys(), surveys(score="3"), surveys(response_id="S2"), surveys()], ignore_index=True)
    assert found("surveys", frame) == [(3, "response_id", "S1"), (5, "response_id", "S1")]
    changes = pd.DataFrame({"partner_id": ["P1", "P1", "P1"], "changed_on": ["2026-01-01"] * 3,
                            "stage": ["sell", "grow", "sell"]})
    assert found("stage_changes", changes) == [(4, "partner_id+changed_on+stage", "P1 + 2026-01-01 + sell")]


def test_rows_follow_a_file_row_index():
    frame = surveys(score="12").set_axis(pd.Index([7], name="row"))
    assert found("surveys", frame) == [(7, "score", "12")]


def test_problems_say_what_was_expected():
    [p] = schema.problems("surveys", surveys(answered_on="2026-02-30"), "in/surveys.csv")
    assert str(p) == ("error: in/surveys.csv, row 2, column answered_on: expected a real date as YYYY-MM-DD, "
                      "between 1900 and 2199 (found '2026-02-30')")


def test_as_values_turns_text_into_what_store_coerce_reads():
    frame = pd.DataFrame({"is_new_logo": ["yes", "No", "", "1"], "segment": ["ENT", "", "MM", "SMB"]}, dtype=str)
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
