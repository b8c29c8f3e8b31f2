"""Import: a canonical CSV folder into a store, and every kind of bad input refused clearly.

The fixture is a tiny programme written here: 3 partners, 4 opportunities, and three
optional tables (stage_changes, portal_activity, surveys); the other eight are absent.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from partnerbook import cli, importer, sample, store
from partnerbook.errors import DataError, ProblemsFound
from partnerbook.sources import canonical
from partnerbook.tables import TABLES

GOOD = {
    "partners.csv": (
        "partner_id,name,tier,region,country,lifecycle_stage,joined_on,churned_on,capacity_share,account_manager\n"
        "P1,Acme,Gold,EMEA,DE,sell,2024-01-15,,0.4,Ann\n"
        'P2,"Beta, Inc",Silver,AMER,US,onboard,2025-06-01,,,Bob\n'
        "P3,Gamma,Registered,APAC,,recruit,,,,\n"
    ),
    "opportunities.csv": (
        "opportunity_id,partner_id,account_id,created_on,closed_on,status,amount,segment,product_category,sku,is_new_logo\n"
        "O1,P1,A1,2026-01-10,2026-03-31,won,1000.50,ENT,Cloud,SKU-1,yes\n"
        "O2,P1,A2,2026-02-10,,open,200,MM,Security,SKU-2,\n"
        "O3,,A3,2026-02-11,2026-04-02,lost,0,SMB,Cloud,SKU-1,0\n"
        "O4,P2,A4,2026-05-01,2026-06-30,won,5000,ENT,Cloud,SKU-3,TRUE\n"
    ),
    "stage_changes.csv": ("partner_id,changed_on,stage\nP1,2024-01-15,onboard\nP1,2024-06-01,sell\n"),
    "portal_activity.csv": (
        "partner_id,contact_id,day,logins,page_views\nP1,C1,2026-03-02,2,14\nP2,C2,2026-03-02,1,\n"
    ),
    "surveys.csv": (
        "response_id,partner_id,answered_on,respondent,score,comment\n"
        "S1,P1,2026-04-01,CEO,9,Great support\n"
        "S2,P2,2026-04-02,Sales lead,6,\n"
    ),
}
ABSENT = sorted(set(TABLES) - {"partners", "opportunities", "stage_changes", "portal_activity", "surveys"})


def write_folder(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def frames_of(folder: Path) -> tuple[dict, dict]:
    extract = canonical.read(folder)
    return extract.frames, extract.files


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    return tmp_path


def run(argv, capsys):
    status = cli.main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------- a good folder


def test_a_valid_folder_imports_with_counts_and_absent_tables(root, capsys):
    folder = write_folder(root / "acme", GOOD)
    status, out, err = run([folder], capsys)
    assert (status, err) == (0, "")
    data = store.read(root / "data" / "acme.duckdb")
    assert {
        name: len(data[name])
        for name in ("partners", "opportunities", "stage_changes", "portal_activity", "surveys")
    } == {"partners": 3, "opportunities": 4, "stage_changes": 2, "portal_activity": 2, "surveys": 2}
    assert sorted(data.absent) == ABSENT
    assert not data.has("engagements") and data.has("surveys")
    assert len(data["engagements"]) == 0
    assert "partners: 3 rows read, 3 imported; 2024-01-15 to 2025-06-01" in out
    assert "opportunities: 4 rows read, 4 imported; 2026-01-10 to 2026-05-01" in out
    assert "absent (no file; reports say so): " + ", ".join(n for n in TABLES if n in ABSENT) in out


def test_values_arrive_with_their_types(root, capsys):
    folder = write_folder(root / "acme", GOOD)
    run([folder, "--into", root / "s.duckdb"], capsys)
    data = store.read(root / "s.duckdb")
    opp = data["opportunities"].set_index("opportunity_id")
    assert opp.loc["O1", "amount"] == 1000.5
    assert opp.loc["O1", "closed_on"] == pd.Timestamp("2026-03-31")
    assert pd.isna(opp.loc["O2", "closed_on"])
    assert pd.isna(opp.loc["O3", "partner_id"])
    assert list(opp["is_new_logo"].astype(object).where(opp["is_new_logo"].notna(), None)) == [
        True,
        None,
        False,
        True,
    ]
    partners = data["partners"].set_index("partner_id")
    assert partners.loc["P2", "name"] == "Beta, Inc"
    assert partners.loc["P1", "capacity_share"] == 0.4
    assert pd.isna(partners.loc["P3", "joined_on"])
    assert list(data["surveys"]["score"]) == [9, 6]
    assert pd.isna(data["surveys"]["comment"].iloc[1])


def test_a_bom_upper_case_file_name_and_header_are_accepted(root, capsys):
    files = drop("partners.csv")(GOOD)
    files["Partners.CSV"] = (
        b"\xef\xbb\xbf" + GOOD["partners.csv"].replace("partner_id,name", "Partner_ID,Name").encode()
    )
    folder = write_folder(root / "bom", files)
    status, out, err = run([folder, "--into", root / "s.duckdb"], capsys)
    assert (status, err) == (0, "")
    assert list(store.read(root / "s.duckdb")["partners"]["partner_id"]) == ["P1", "P2", "P3"]


def test_an_extra_column_warns_and_does_not_stop(root, capsys):
    files = {
        **GOOD,
        "surveys.csv": GOOD["surveys.csv"]
        .replace("comment\n", "comment,channel\n", 1)
        .replace("Great support\n", "Great support,email\n")
        .replace("6,\n", "6,,phone\n"),
    }
    folder = write_folder(root / "extra", files)
    status, out, err = run([folder, "--into", root / "s.duckdb"], capsys)
    assert status == 0
    assert (
        "warning: "
        + str(folder / "surveys.csv")
        + ", row 1, column channel: expected a column of the data model"
        in out
    )
    assert len(store.read(root / "s.duckdb")["surveys"]) == 2


def test_a_date_after_today_warns_and_imports(root, capsys):
    files = {**GOOD, "surveys.csv": GOOD["surveys.csv"].replace("2026-04-02", "2199-01-01")}
    folder = write_folder(root / "future", files)
    status, out, err = run([folder, "--into", root / "s.duckdb"], capsys)
    assert status == 0
    assert "surveys.csv, row 3, column answered_on: expected dates up to today" in out
    assert "1 later date(s), latest 2199-01-01" in out


def test_a_partner_id_that_looks_like_a_path_is_kept_as_text(root, capsys):
    files = {**GOOD, "partners.csv": GOOD["partners.csv"].replace("P3,Gamma", "../../etc,Gamma")}
    folder = write_folder(root / "pathy", files)
    status, out, err = run([folder, "--into", root / "s.duckdb"], capsys)
    assert (status, err) == (0, "")
    assert "../../etc" in set(store.read(root / "s.duckdb")["partners"]["partner_id"])


def test_the_command_exits_2_as_a_process(root):
    folder = write_folder(root / "acme", drop("partners.csv")(GOOD))
    env = {"PARTNERBOOK_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    bad = subprocess.run(
        [sys.executable, "-m", "partnerbook", "import", str(folder)], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2
    assert f"error: {folder / 'partners.csv'}: expected a file partners.csv" in bad.stderr


# ---------------------------------------------------------------- the catalogue of bad input


def edit(file: str, old: str, new: str):
    def change(files: dict) -> dict:
        assert old in files[file], old
        return {**files, file: files[file].replace(old, new, 1)}

    return change


def put(file: str, content):
    return lambda files: {**files, file: content}


def drop(file: str):
    return lambda files: {k: v for k, v in files.items() if k != file}


def append(file: str, line: str):
    return lambda files: {**files, file: files[file] + line}


CASES = {
    # name: (change to the good folder, fragments one stderr line must hold)
    "missing required file": (
        drop("opportunities.csv"),
        ["opportunities.csv: ", "expected a file opportunities.csv", "required"],
    ),
    "missing column": (
        edit("partners.csv", "partner_id,name,tier,", "partner_id,name,"),
        None,
    ),  # filled below: the data rows become ragged too; see test
    "misspelled column": (
        edit("partners.csv", ",tier,", ",teir,"),
        ["partners.csv, row 1, column tier: expected a column named tier; found 'teir'"],
    ),
    "wrong type (count)": (
        edit("portal_activity.csv", "P1,C1,2026-03-02,2,", "P1,C1,2026-03-02,two,"),
        ["portal_activity.csv, row 2, column logins: expected a whole number >= 0", "'two'"],
    ),
    "fractional count": (
        edit("portal_activity.csv", ",2,14", ",2.5,14"),
        ["portal_activity.csv, row 2, column logins: expected a whole number", "'2.5'"],
    ),
    "unparseable date": (
        edit("opportunities.csv", "2026-02-10", "10/02/2026"),
        ["opportunities.csv, row 3, column created_on: expected a real date as YYYY-MM-DD", "'10/02/2026'"],
    ),
    "impossible date": (
        edit("opportunities.csv", "2026-02-11", "2026-02-30"),
        ["opportunities.csv, row 4, column created_on: expected a real date", "'2026-02-30'"],
    ),
    "negative amount": (
        edit("opportunities.csv", ",won,5000,", ",won,-5000,"),
        ["opportunities.csv, row 5, column amount: expected an amount: a plain number >= 0", "'-5000'"],
    ),
    "non-numeric amount": (
        edit("opportunities.csv", ",open,200,", ",open,200 EUR,"),
        ["opportunities.csv, row 3, column amount: expected an amount", "'200 EUR'"],
    ),
    "thousands separator": (
        edit("opportunities.csv", ",won,5000,", ',won,"5,000",'),
        [
            "opportunities.csv, row 5, column amount: expected an amount",
            "no currency sign or thousands separator",
            "'5,000'",
        ],
    ),
    "huge value": (
        edit("opportunities.csv", ",won,5000,", ",won,1e20,"),
        ["opportunities.csv, row 5, column amount: expected an amount", "below 1e+12", "'1e20'"],
    ),
    "infinite value": (
        edit("opportunities.csv", ",won,5000,", ",won,inf,"),
        ["opportunities.csv, row 5, column amount: expected an amount", "'inf'"],
    ),
    "duplicate id": (
        edit("opportunities.csv", "O4,P2", "O2,P2"),
        ["opportunities.csv, row 5, column opportunity_id: expected a unique opportunity_id", "'O2'"],
    ),
    "duplicate composite key": (
        append("stage_changes.csv", "P1,2024-06-01,sell\n"),
        [
            "stage_changes.csv, row 4, column partner_id+changed_on+stage: expected a unique",
            "'P1 + 2024-06-01 + sell'",
        ],
    ),
    "unknown partner reference": (
        edit("surveys.csv", "S2,P2", "S2,P9"),
        ["surveys.csv, row 3, column partner_id: expected a partner_id listed in", "partners.csv", "'P9'"],
    ),
    "unknown status": (
        edit("opportunities.csv", ",open,", ",pending,"),
        ["opportunities.csv, row 3, column status: expected one of open, won, lost", "'pending'"],
    ),
    "unknown stage": (
        edit("stage_changes.csv", "onboard", "onboarding"),
        [
            "stage_changes.csv, row 2, column stage: expected one of recruit, onboard, enable, "
            "sell, grow, churned",
            "'onboarding'",
        ],
    ),
    "empty required value": (
        edit("partners.csv", "P3,Gamma,Registered", "P3,,Registered"),
        ["partners.csv, row 4, column name: expected a value (this column may not be empty)"],
    ),
    "bad boolean": (
        edit("opportunities.csv", "SKU-1,yes", "SKU-1,maybe"),
        ["opportunities.csv, row 2, column is_new_logo: expected true/false, yes/no, 1/0", "'maybe'"],
    ),
    "share above 1": (
        edit("partners.csv", ",0.4,", ",40,"),
        ["partners.csv, row 2, column capacity_share: expected a fraction from 0 to 1", "'40'"],
    ),
    "score 11": (
        edit("surveys.csv", "CEO,9,", "CEO,11,"),
        ["surveys.csv, row 2, column score: expected a whole number from 0 to 10", "'11'"],
    ),
    "id with a line break": (
        edit("partners.csv", "P3,Gamma", '"P3\nP4",Gamma'),
        [
            "partners.csv, row 4, column partner_id: expected an id: printable text without "
            "control characters or line breaks"
        ],
    ),
    "empty required table": (
        put("partners.csv", GOOD["partners.csv"].splitlines(keepends=True)[0]),
        ["partners.csv: expected at least one data row", "found 'only a header'"],
    ),
    "empty file": (
        put("opportunities.csv", b""),
        ["opportunities.csv: expected a header row naming the columns", "'an empty file'"],
    ),
    "not UTF-8": (
        put("partners.csv", GOOD["partners.csv"].replace("Gamma", "Gämma").encode("latin-1")),
        ["partners.csv, row 4: expected UTF-8 text", "0xe4"],
    ),
    "not CSV (a spreadsheet)": (
        put("opportunities.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U"),
        ["opportunities.csv, row 1: expected UTF-8 text"],
    ),
    "truncated file": (
        append("opportunities.csv", 'O5,P2,A5,2026-05-02,,open,10,ENT,Cloud,"SKU-'),
        ["opportunities.csv, row 6: expected well-formed CSV (every quote closed)"],
    ),
    "ragged row": (
        append("surveys.csv", "S3,P1,2026-04-03,CTO,8,ok,extra\n"),
        ["surveys.csv, row 4: expected 6 fields, as in the header (found 7)"],
    ),
    "semicolons, not commas": (
        put("surveys.csv", GOOD["surveys.csv"].replace(",", ";")),
        [
            "surveys.csv, row 1: expected values separated by ',', as en_US spreadsheets save CSV",
            "separated by ';'",
            "--locale",
        ],
    ),
    "duplicate header": (
        edit("surveys.csv", "respondent,score", "respondent,respondent"),
        ["surveys.csv, row 1, column respondent: expected distinct, non-empty column names"],
    ),
}
CASES["missing column"] = (
    lambda files: {
        **files,
        "partners.csv": "\n".join(
            ",".join(f for i, f in enumerate(_split(line)) if i != 2)
            for line in files["partners.csv"].splitlines()
        )
        + "\n",
    },
    ["partners.csv, row 1, column tier: expected a column named tier"],
)


def _split(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 25


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> bytes:
    """The bytes of a store imported from the good folder (built once)."""
    tmp = tmp_path_factory.mktemp("good")
    into = tmp / "good.duckdb"
    importer.import_frames(*frames_of(write_folder(tmp / "good", GOOD)), into)
    return into.read_bytes()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_names_the_place_and_changes_nothing(case, root, capsys, good_store):
    change, fragments = CASES[case]
    into = root / "data" / "acme.duckdb"
    into.parent.mkdir()
    into.write_bytes(good_store)
    before = into.read_bytes()
    folder = write_folder(root / "acme", change(dict(GOOD)))
    status, out, err = run([folder], capsys)
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("partnerbook: ") and "nothing was changed" in lines[0]
    assert any(all(f in line for f in fragments) for line in lines), err
    assert all(line.startswith(("error: ", "warning: ")) and str(folder) in line for line in lines[1:]), err
    assert into.read_bytes() == before
    assert sorted(p.name for p in into.parent.iterdir()) == ["acme.duckdb"]


def test_every_problem_is_listed_not_only_the_first(root, capsys):
    files = edit("opportunities.csv", ",open,", ",pending,")(GOOD)
    files = edit("surveys.csv", "CEO,9,", "CEO,11,")(files)
    status, out, err = run([write_folder(root / "acme", files)], capsys)
    assert status == 2
    assert err.splitlines()[0] == (
        "partnerbook: 2 problem(s) found; nothing was changed; "
        "fix them, or import the rows that pass with --lenient"
    )
    assert len(err.splitlines()) == 3


def test_a_misspelled_file_name_is_pointed_out(root, capsys):
    files = {("partner.csv" if k == "partners.csv" else k): v for k, v in GOOD.items()}
    folder = write_folder(root / "acme", files)
    status, out, err = run([folder], capsys)
    assert status == 2
    assert err.splitlines()[0].startswith(
        "partnerbook: 1 problem(s) found (and 1 warning(s)); nothing was changed"
    )
    assert (
        f"error: {folder / 'partners.csv'}: expected a file partners.csv: the partners table is required"
        in err
    )
    assert (
        f"warning: {folder / 'partner.csv'}: expected a file named <table>.csv; did you mean partners.csv?"
        in err
    )


def test_a_folder_without_any_table_lists_the_required_files(root, capsys):
    folder = write_folder(root / "empty", {"notes.txt": "hello"})
    status, out, err = run([folder], capsys)
    assert status == 2
    assert f"error: {folder / 'partners.csv'}: expected a file partners.csv" in err
    assert f"error: {folder / 'opportunities.csv'}: expected a file opportunities.csv" in err


def test_a_missing_folder_is_one_clear_line(root, capsys):
    status, out, err = run([root / "nowhere"], capsys)
    assert status == 2
    assert (
        err
        == f"partnerbook: {root / 'nowhere'}: no such folder; expected a folder of CSV files, a .duckdb store or a database URL\n"
    )


def test_no_store_is_created_when_the_import_fails(root, capsys):
    status, out, err = run([write_folder(root / "acme", drop("partners.csv")(GOOD))], capsys)
    assert status == 2
    assert not (root / "data" / "acme.duckdb").exists()


# ---------------------------------------------------------------- --lenient


def test_lenient_imports_the_good_rows_and_lists_each_rejected_one(root, capsys):
    files = edit("opportunities.csv", ",open,", ",pending,")(GOOD)  # O2, row 3
    files = edit("surveys.csv", "S2,P2", "S2,P9")(files)  # S2, row 3
    files = append("surveys.csv", "S3,P1,2026-04-03,CTO,8,ok,extra\n")(files)  # ragged, row 4
    folder = write_folder(root / "acme", files)
    status, out, err = run([folder, "--into", root / "s.duckdb", "--lenient"], capsys)
    assert (status, err) == (0, "")
    data = store.read(root / "s.duckdb")
    assert list(data["opportunities"]["opportunity_id"]) == ["O1", "O3", "O4"]
    assert list(data["surveys"]["response_id"]) == ["S1"]
    assert "opportunities: 4 rows read, 3 imported, 1 rejected" in out
    assert "surveys: 3 rows read, 1 imported, 2 rejected" in out
    assert (
        f"error: {folder / 'opportunities.csv'}, row 3, column status: expected one of open, won, lost" in out
    )
    assert (
        f"error: {folder / 'surveys.csv'}, row 3, column partner_id: expected a partner_id listed in" in out
    )
    assert f"error: {folder / 'surveys.csv'}, row 4: expected 6 fields" in out
    assert data.meta["rejected_rows"] == 3


def test_lenient_also_rejects_rows_of_a_rejected_partner(root, capsys):
    files = edit("partners.csv", ",0.4,", ",1.4,")(GOOD)  # P1 rejected
    status, out, err = run(
        [write_folder(root / "acme", files), "--into", root / "s.duckdb", "--lenient"], capsys
    )
    assert status == 0
    data = store.read(root / "s.duckdb")
    assert list(data["partners"]["partner_id"]) == ["P2", "P3"]
    assert list(data["opportunities"]["opportunity_id"]) == ["O3", "O4"]
    assert list(data["surveys"]["response_id"]) == ["S2"]
    assert "P1 is in" in out and "which was rejected" in out


def test_lenient_cannot_import_without_a_required_table(root, capsys):
    status, out, err = run([write_folder(root / "acme", drop("partners.csv")(GOOD)), "--lenient"], capsys)
    assert status == 2
    assert "--lenient cannot import around them: no usable rows in partners" in err


def test_a_file_in_another_encoding_is_a_locale_question_that_lenient_does_not_skip(root, capsys):
    files = put("surveys.csv", GOOD["surveys.csv"].replace("CEO", "Direktör").encode("cp1252"))(GOOD)
    folder = write_folder(root / "acme", files)
    status, out, err = run([folder, "--into", root / "s.duckdb", "--lenient"], capsys)
    assert status == 2 and not (root / "s.duckdb").exists()
    assert "surveys.csv, row 2: expected UTF-8 text, as en_US files are saved" in err
    assert "--locale" in err
    # declared, a cp1252 file reads (the values of this file are plain, as any locale writes them)
    status, out, err = run([folder, "--into", root / "s.duckdb", "--locale", "en_US"], capsys)
    assert status == 0, err
    data = store.read(root / "s.duckdb")
    assert "Direktör" in set(data["surveys"]["respondent"]) and data.meta["locale"] == "en_US"


# ---------------------------------------------------------------- validate() and load()


def test_validate_numbers_rows_of_any_frame_from_2(root):
    frames = {
        "partners": pd.DataFrame(
            {
                "partner_id": ["P1", "P1"],
                "name": ["A", "B"],
                "tier": ["Gold", "Gold"],
                "region": ["EMEA", "EMEA"],
            }
        ),
        "opportunities": pd.DataFrame({c: [] for c in TABLES["opportunities"].names}),
    }
    clean, problems = importer.validate(frames, {"partners": "crm:Account"})
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == [
        "error: crm:Account, row 3, column partner_id: expected a unique partner_id (it already appears "
        "in an earlier row) (found 'P1')",
        "error: opportunities.csv: expected at least one data row (the opportunities table is required) "
        "(found 'only a header')",
    ]
    assert list(clean["partners"]["name"]) == ["A"]
    assert "opportunities" not in clean


def test_import_frames_is_the_entry_point_for_other_sources(root):
    frames = {
        "partners": pd.DataFrame({"partner_id": ["P1"], "name": ["A"], "tier": ["Gold"], "region": ["EMEA"]}),
        "opportunities": pd.DataFrame(
            {
                "opportunity_id": ["O1"],
                "partner_id": ["P1"],
                "account_id": ["A"],
                "created_on": pd.to_datetime(["2026-01-02"]),
                "status": ["open"],
                "amount": [10.0],
                "segment": ["ENT"],
                "product_category": ["Cloud"],
                "sku": ["S"],
            }
        ),
    }
    report = importer.import_frames(
        frames, None, root / "x.duckdb", source="salesforce export", meta={"kind": "salesforce"}
    )
    assert report.read == {"partners": 1, "opportunities": 1}
    assert report.dates["opportunities"] == ("2026-01-02", "2026-01-02")
    data = store.read(root / "x.duckdb")
    assert data.meta["kind"] == "salesforce"
    assert data["opportunities"]["amount"].tolist() == [10.0]


def test_load_a_folder_imports_once_then_reuses_the_store(root):
    folder = write_folder(root / "acme", GOOD)
    first = importer.load(folder)
    assert len(first["opportunities"]) == 4
    target = root / "data" / "acme.duckdb"
    stamp = target.stat().st_mtime_ns
    assert len(importer.load(str(folder))["partners"]) == 3
    assert target.stat().st_mtime_ns == stamp
    assert len(importer.load(target)["surveys"]) == 2


def test_load_a_folder_imports_again_when_a_file_changes(root):
    folder = write_folder(root / "acme", GOOD)
    assert len(importer.load(folder)["surveys"]) == 2
    target = root / "data" / "acme.duckdb"
    os.utime(target, (1_000_000_000, 1_000_000_000))
    (folder / "surveys.csv").write_text(GOOD["surveys.csv"] + "S3,P3,2026-04-03,CTO,10,\n", encoding="utf-8")
    assert len(importer.load(folder)["surveys"]) == 3


def test_load_a_bad_folder_raises_problems(root):
    folder = write_folder(root / "acme", edit("surveys.csv", "CEO,9,", "CEO,11,")(GOOD))
    with pytest.raises(ProblemsFound, match="column score"):
        importer.load(folder)


def test_load_a_missing_path_says_what_was_expected(root):
    with pytest.raises(DataError, match=r"nowhere: no such store or folder; expected a .duckdb store"):
        importer.load(root / "nowhere")


def test_load_nothing_builds_the_sample_when_missing(root, monkeypatch):
    built = []

    def build(into=None, **kw):
        built.append(Path(into))
        importer.import_frames(*frames_of(write_folder(root / "s", GOOD)), into)
        return Path(into)

    monkeypatch.setattr(sample, "build", build)  # importer imports the generator only then
    assert len(importer.load()["partners"]) == 3
    assert len(importer.load("")["partners"]) == 3
    assert built == [root / "data" / "sample.duckdb"]


# ---------------------------------------------------------------- a fresh clone passes alone

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["maven-crm-sales-opportunities", "salesforce-data-export-sample"])
def test_the_public_data_sets_the_tests_read_are_in_the_repository_with_source_and_licence(folder):
    here = REPO / "tests" / "data" / folder
    assert (here / "SOURCE.txt").is_file() and (here / "LICENSE.txt").is_file()
    assert any(here.glob("*.csv"))


def test_no_test_or_library_module_reads_outside_the_repository():
    outside = ("../shared", "shared/datasets", '.parent / "shared"', 'parents[2] / "shared"')
    found = [
        f"{path.relative_to(REPO)}: {needle}"
        for top in ("tests", "lib")
        for path in (REPO / top).rglob("*.py")
        for needle in outside
        if needle in path.read_text(encoding="utf-8") and path.name != "test_import.py"
    ]
    assert found == []


# ---------------------------------------------------------------- opportunities without an account


def test_an_opportunity_without_an_account_imports_without_lenient(root):
    files = {**GOOD, "opportunities.csv": GOOD["opportunities.csv"].replace("O2,P1,A2,", "O2,P1,,")}
    importer.import_source(write_folder(root / "acme", files), root / "s.duckdb")
    opp = store.read(root / "s.duckdb")["opportunities"].set_index("opportunity_id")
    assert pd.isna(opp.loc["O2", "account_id"]) and opp.loc["O2", "amount"] == 200.0


def test_an_opportunities_file_without_an_account_id_column_imports(root):
    lines = GOOD["opportunities.csv"].splitlines()
    rows = [",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in lines]
    files = {**GOOD, "opportunities.csv": "\n".join(rows) + "\n"}
    report = importer.import_source(write_folder(root / "acme", files), root / "s.duckdb")
    assert report.kept["opportunities"] == 4
    assert store.read(root / "s.duckdb")["opportunities"]["account_id"].isna().all()


# ---------------------------------------------------------------- imports point down


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function) for every import statement of a module."""
    tree, found = ast.parse(path.read_text(encoding="utf-8")), []
    inner = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in ast.walk(f)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [f"{'.' * node.level}{node.module or ''}:{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [(n, id(node) in inner) for n in names]
    return found


def test_sources_never_import_the_importer_and_mapping_never_imports_salesforce():
    lib = REPO / "lib" / "partnerbook"
    for path in (lib / "sources").glob("*.py"):
        assert not [n for n, _ in _imports(path) if "importer" in n], path.name
    assert not [n for n, _ in _imports(lib / "sources" / "mapping.py") if "salesforce" in n]


def test_reading_modules_import_at_the_top():
    lib = REPO / "lib" / "partnerbook"
    modules = [
        lib / "importer.py",
        lib / "store.py",
        lib / "schema.py",
        lib / "logos.py",
        *(lib / "sources").glob("*.py"),
    ]
    # sql.py imports SQLAlchemy in the functions that talk to a database (optional, slow to import);
    # importer.py imports pandera (schema) where it checks data and the generator where it builds the
    # sample: reading a store, all `partnerbook report` does with it, goes without them (0.15 s)
    inside = {(p.name, n) for p in modules for n, nested in _imports(p) if nested}
    allowed = {("importer.py", ".:schema"), ("importer.py", ".:sample")}
    assert {m for m in inside if not m[1].startswith("sqlalchemy")} == allowed
