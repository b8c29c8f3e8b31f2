"""New logos derived from account history when the source does not flag them.

A canonical folder written here, without an is_new_logo column (or with the column left
empty), one partner deal won without an account and one open without an account. By hand:

  O1  P1  A1  won  2026-02-10  100   A1's first win                 -> new logo (P1, Q1)
  O3  --  A2  won  2026-03-01  900   direct; A2's first win         -> new logo, not a partner's
  O2  P2  A1  won  2026-07-05   50   A1 won before (O1)             -> no
  O4  P2  A2  won  2026-08-01   70   A2 won before, directly (O3)   -> no
  O5  P2  A3  won  2026-08-15   80   A3's first win                 -> new logo (P2, Q3)
  O6  P1  --  won  2026-09-01  500   no account                     -> never a new logo
  O7  P1  A4  lost 2026-07-10   40   lost                           -> no
  O8  P1  A4  won  2026-09-20  200   A4's first win (O7 was lost)   -> new logo (P1, Q3)
  O9  P2  A3  won  2026-09-30   60   A3 won before (O5)             -> no
  O10 P1  --  open             300   no account, open               -> pipeline
  O11 P1  A5  won  2026-09-10  100   A5's first win, first in file  -> new logo (P1, Q3)
  O12 P2  A5  won  2026-09-10   10   same day as O11, later in file -> no

2026-Q3: P1 new logos 2 (O8, O11), revenue 500 + 200 + 100 = 800, deals won 3, pipeline 300
(O10); P2 new logos 1 (O5), revenue 50 + 70 + 80 + 60 + 10 = 270; programme new logos 3.
2026-Q1: P1 1 (O1), P2 0.
"""

from __future__ import annotations

import pytest

from partnerbook import importer, logos, metrics, store

PARTNERS = (
    "partner_id,name,tier,region,joined_on\nP1,Alpha,Gold,EMEA,2025-01-01\nP2,Beta,Silver,AMER,2025-01-01\n"
)
DEALS = [  # id, partner, account, created, closed, status, amount
    ("O1", "P1", "A1", "2026-01-05", "2026-02-10", "won", 100),
    ("O3", "", "A2", "2026-01-06", "2026-03-01", "won", 900),
    ("O2", "P2", "A1", "2026-06-01", "2026-07-05", "won", 50),
    ("O4", "P2", "A2", "2026-06-02", "2026-08-01", "won", 70),
    ("O5", "P2", "A3", "2026-06-03", "2026-08-15", "won", 80),
    ("O6", "P1", "", "2026-06-04", "2026-09-01", "won", 500),
    ("O7", "P1", "A4", "2026-06-05", "2026-07-10", "lost", 40),
    ("O8", "P1", "A4", "2026-07-11", "2026-09-20", "won", 200),
    ("O9", "P2", "A3", "2026-08-16", "2026-09-30", "won", 60),
    ("O10", "P1", "", "2026-08-01", "", "open", 300),
    ("O11", "P1", "A5", "2026-08-02", "2026-09-10", "won", 100),
    ("O12", "P2", "A5", "2026-08-03", "2026-09-10", "won", 10),
]
PROGRAM = {"program": {"fiscal_year_start_month": 1}}


def opportunities_csv(with_empty_column: bool) -> str:
    head = (
        "opportunity_id,partner_id,account_id,created_on,closed_on,status,amount,segment,product_category,sku"
    )
    extra = ",is_new_logo" if with_empty_column else ""
    rows = [",".join(map(str, d)) + ",ENT,Cloud,S1" + ("," if with_empty_column else "") for d in DEALS]
    return "\n".join([head + extra, *rows]) + "\n"


@pytest.fixture(params=[False, True], ids=["no is_new_logo column", "an empty is_new_logo column"])
def imported(request, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "partners.csv").write_text(PARTNERS)
    (folder / "opportunities.csv").write_text(opportunities_csv(request.param))
    report = importer.import_source(folder, tmp_path / "s.duckdb")  # no --lenient needed
    return report, store.read(tmp_path / "s.duckdb")


def value(frame, partner, metric):
    rows = frame[(frame["metric"] == metric) & (frame["breakdown"] == "")]
    rows = rows[rows["partner_id"].isna()] if partner is None else rows[rows["partner_id"] == partner]
    assert len(rows) == 1
    return rows["value"].iloc[0]


def test_new_logos_per_partner_are_derived_from_account_history(imported):
    _, data = imported
    q3, q1 = metrics.table(data, PROGRAM, "2026-Q3"), metrics.table(data, PROGRAM, "2026-Q1")
    assert value(q3, "P1", "new_logos") == 2 and value(q3, "P2", "new_logos") == 1
    assert value(q3, None, "new_logos") == 3
    assert value(q1, "P1", "new_logos") == 1 and value(q1, "P2", "new_logos") == 0


def test_deals_without_an_account_count_in_results_and_pipeline(imported):
    _, data = imported
    q3 = metrics.table(data, PROGRAM, "2026-Q3")
    assert value(q3, "P1", "revenue") == 800 and value(q3, "P1", "deals_won") == 3
    assert value(q3, "P1", "pipeline") == 300
    assert value(q3, "P2", "revenue") == 270


def test_the_import_report_and_the_metric_say_new_logos_were_derived(imported):
    report, data = imported
    assert (
        "note: new_logos: derived from account history: a won deal is a new logo when its account "
        "had no earlier won deal, through any partner or direct" in str(report)
    )
    assert metrics.derived(data) == {"new_logos": logos.RULE}
    assert data.meta["derived"] == {"new_logos": logos.RULE}
    assert "new_logos" not in metrics.unavailable(data)


def test_given_flags_win_but_a_deal_without_an_account_never_is_a_new_logo(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "partners.csv").write_text(PARTNERS)
    flagged = {"O6": "true", "O9": "true"}  # O6 has no account; O9 is flagged by the CRM
    text = opportunities_csv(True).splitlines()
    text = [text[0]] + [line + flagged.get(line.split(",")[0], "") for line in text[1:]]
    (folder / "opportunities.csv").write_text("\n".join(text) + "\n")
    report = importer.import_source(folder, tmp_path / "s.duckdb")
    data = store.read(tmp_path / "s.duckdb")
    q3 = metrics.table(data, PROGRAM, "2026-Q3")
    # the CRM's flags are used: only O9 (P2) counts; O6 is flagged but has no account
    assert value(q3, "P1", "new_logos") == 0 and value(q3, "P2", "new_logos") == 1
    assert metrics.derived(data) == {} and "derived" not in str(report)


def test_the_pages_say_new_logos_were_derived():
    import pandas as pd

    from partnerbook import display

    class Data:  # a dataset with every table present and only opportunities read
        def __init__(self, flags):
            self.absent, self.frame = (
                frozenset(),
                pd.DataFrame(
                    {"opportunity_id": ["O1"], "account_id": ["A1"], "status": ["won"], "is_new_logo": flags}
                ),
            )

        def has(self, name):
            return True

        def __getitem__(self, name):
            return self.frame

    text = display.absent(Data(pd.array([pd.NA], dtype="boolean"))).data
    assert "New logos are worked out from account history, as the data does not mark them" in text
    assert display.absent(Data(pd.array([True], dtype="boolean"))).data == ""
