"""Reading in a locale: a French export of the Maven data reads exactly as the original.

The French export is written here from tests/data/maven-crm-sales-opportunities as a French
spreadsheet saves it: semicolons, cp1252 (one manager's name carries an "ä" so the encoding
matters), amounts with a space as thousands separator and a decimal comma (1054 -> "1 054,00"),
dates day first (2016-10-20 -> 20/10/2016). Read with --locale fr_FR through
params/mappings/maven.yaml it must give exactly the metrics of the original export.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from partnerbook import cli, metrics, store
from partnerbook.errors import ParamsError, ProblemsFound
from partnerbook.importer import import_source
from partnerbook.sources import cells, locales
from partnerbook.sources.locales import Locale

REPO = Path(__file__).resolve().parents[1]
MAVEN = REPO / "tests" / "data" / "maven-crm-sales-opportunities"
MAPPING = REPO / "params" / "mappings" / "maven.yaml"
NUMBERS = {
    "sales_pipeline.csv": ["close_value"],
    "accounts.csv": ["revenue"],
    "products.csv": ["sales_price"],
}
DATES = {"sales_pipeline.csv": ["engage_date", "close_date"]}


def french_number(text: str) -> str:
    """1054 -> '1 054,00', 1100.04 -> '1 100,04' (a plain space groups thousands, as typed)."""
    return f"{float(text):,.2f}".replace(",", " ").replace(".", ",") if text else ""


def french_date(text: str) -> str:
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if text else ""


def french_export(folder: Path, *, separator=";", encoding="cp1252", dates=True) -> Path:
    folder.mkdir()
    for source in sorted(MAVEN.glob("*.csv")):
        with source.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            for column in NUMBERS.get(source.name, []):
                row[column] = french_number(row[column])
            for column in DATES.get(source.name, []) if dates else []:
                row[column] = french_date(row[column])
            if row.get("manager") == "Dustin Brinkmann":
                row["manager"] = "Dustin Brinkmänn"
        with (folder / source.name).open("w", newline="", encoding=encoding) as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=separator)
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    into = tmp_path_factory.mktemp("original") / "m.duckdb"
    import_source(MAVEN, into, mapping=MAPPING, lenient=True)
    return store.read(into)


# ---------------------------------------------------------------- the French Maven export


def test_the_french_export_read_in_fr_FR_gives_exactly_the_original_metrics(original, tmp_path):
    folder = french_export(tmp_path / "fr")
    report = import_source(folder, tmp_path / "fr.duckdb", mapping=MAPPING, lenient=True, locale="fr_FR")
    assert report.rejected_rows == 500  # the Prospecting deals, as in the original
    french = store.read(tmp_path / "fr.duckdb")
    pd.testing.assert_frame_equal(french["opportunities"], original["opportunities"])
    pd.testing.assert_frame_equal(metrics.compute(french), metrics.compute(original))
    assert "Dustin Brinkmänn" in set(french["partners"]["account_manager"])
    assert french.meta["locale"] == "fr_FR"


def test_a_locale_key_in_the_mapping_does_the_same(original, tmp_path):
    spec = {**yaml.safe_load(MAPPING.read_text()), "locale": "fr_FR"}
    (tmp_path / "fr.yaml").write_text(yaml.safe_dump(spec))
    import_source(
        french_export(tmp_path / "fr"), tmp_path / "fr.duckdb", mapping=tmp_path / "fr.yaml", lenient=True
    )
    pd.testing.assert_frame_equal(
        metrics.compute(store.read(tmp_path / "fr.duckdb")), metrics.compute(original)
    )


def test_the_french_export_without_a_locale_is_refused_naming_the_file_and_how_to_declare_it(tmp_path):
    folder = french_export(tmp_path / "fr")
    for lenient in (False, True):
        with pytest.raises(
            Exception,
            match=r"sales_teams\.csv, row \d+: expected UTF-8 text, as en_US files "
            r"are saved .*--locale",
        ):
            import_source(folder, tmp_path / "fr.duckdb", mapping=MAPPING, lenient=lenient)
    assert not (tmp_path / "fr.duckdb").exists()


def test_a_semicolon_file_without_a_locale_is_refused_naming_file_and_row(tmp_path):
    folder = french_export(tmp_path / "fr", encoding="utf-8")
    with pytest.raises(
        Exception,
        match=r"sales_teams\.csv, row 1: expected values separated by ',', as en_US "
        r"spreadsheets save CSV .*--locale.* \(found \"columns separated by ';'\"\)",
    ):
        import_source(folder, tmp_path / "fr.duckdb", mapping=MAPPING, lenient=True)


def test_french_values_without_a_locale_are_refused_naming_file_row_and_column(tmp_path):
    # comma-separated UTF-8, but amounts and dates written the French way; row 2 of
    # sales_pipeline.csv: engage_date 20/10/2016 (no month 20), close_value '1 054,00'
    folder = french_export(tmp_path / "fr", separator=",", encoding="utf-8")
    for lenient in (False, True):  # a locale question: exit 2 even with --lenient
        with pytest.raises(ProblemsFound) as caught:
            import_source(folder, tmp_path / "fr.duckdb", mapping=MAPPING, lenient=lenient)
        text = str(caught.value)
        assert (
            "sales_pipeline.csv, row 2, column amount: expected a number as en_US writes it (the default: "
            "no locale declared), like 1,234.50"
            in text
            and "(found '1 054,00')" in text
        )
        assert "sales_pipeline.csv, row 2, column created_on: expected a date as en_US writes it" in text
        assert "(found '20/10/2016')" in text and "--locale" in text
        assert "--lenient does not skip" in text


def test_the_cli_reads_in_a_locale_and_says_how_to_declare_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    shutil.copytree(REPO / "params", tmp_path / "params")
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "partners.csv").write_bytes(
        "partner_id;name;tier;region\nP1;Société Un;Gold;EMEA\n".encode("cp1252")
    )
    (folder / "opportunities.csv").write_bytes(
        (
            "opportunity_id;partner_id;account_id;created_on;closed_on;status;amount;segment;product_category;sku\n"
            "O1;P1;A1;05/07/2026;20/08/2026;won;1\u00a0234,50;ENT;Cloud;S1\n"
        ).encode("cp1252")
    )
    assert cli.main(["import", str(folder), "--into", str(tmp_path / "s.duckdb")]) == 2
    assert "--locale" in capsys.readouterr().err
    assert cli.main(["import", str(folder), "--into", str(tmp_path / "s.duckdb"), "--locale", "fr_FR"]) == 0
    opp = store.read(tmp_path / "s.duckdb")["opportunities"]
    assert opp["amount"].tolist() == [1234.5]
    assert opp["closed_on"].tolist() == [pd.Timestamp("2026-08-20")]  # day first: 20 August
    out = tmp_path / "m.csv"
    assert (
        cli.main(
            ["metrics", "--data", str(folder), "--locale", "fr_FR", "--period", "2026-Q3", "--out", str(out)]
        )
        == 0
    )
    rows = pd.read_csv(out)
    revenue = rows[(rows["partner_id"] == "P1") & (rows["metric"] == "revenue") & rows["breakdown"].isna()]
    assert revenue["value"].tolist() == [1234.5]


# ---------------------------------------------------------------- values in a locale


@pytest.mark.parametrize(
    "name,text,expected",
    [
        ("en_US", "1,234.50", "1234.50"),
        ("en_US", "$1,234", "1234"),
        ("en_US", "1234.5", "1234.5"),
        ("en_US", "1,5", None),
        ("en_US", "1234,50", None),
        ("en_US", "1.234,50", None),
        ("en_US", "1 054,00", None),
        ("fr_FR", "1 054,00", "1054.00"),
        ("fr_FR", "1\u202f054,00", "1054.00"),
        ("fr_FR", "1\u00a0054,00 €", "1054.00"),
        ("fr_FR", "1234,50", "1234.50"),
        ("fr_FR", "1,5", "1.5"),
        ("fr_FR", "1,234.50", None),
        ("fr_FR", "1.234,50", None),
        ("de_DE", "1.234,50", "1234.50"),
        ("de_DE", "1,234.50", None),
    ],
)
def test_numbers_as_each_locale_writes_them(name, text, expected):
    assert Locale.of(name).number(text) == expected


def test_1234_with_a_comma_is_refused_without_a_declared_locale_and_read_with_one():
    assert Locale().number("1,234") is None  # 1234 in en_US, 1.234 in fr_FR: not guessed
    assert Locale.of("en_US").number("1,234") == "1234"
    assert Locale.of("fr_FR").number("1,234") == "1.234"
    assert Locale().number("1,234,567") == "1234567"  # two groups: not a decimal anywhere


@pytest.mark.parametrize(
    "name,text,expected",
    [
        ("en_US", "9/30/2026", "2026-09-30"),
        ("en_US", "9/30/26 2:03 PM", "2026-09-30"),
        ("en_US", "30/9/2026", None),
        ("fr_FR", "30/09/2026", "2026-09-30"),
        ("fr_FR", "09/30/2026", None),
        ("fr_FR", "31/02/2017", None),
        ("de_DE", "30.09.2026", "2026-09-30"),
        ("fr_FR", "2026-09-30T10:00:00.000Z", "2026-09-30"),
    ],
)
def test_dates_in_the_order_of_the_locales_short_date_pattern(name, text, expected):
    assert Locale.of(name).date(text) == expected


def test_the_locale_sets_separator_and_encoding():
    assert (Locale().separator, Locale().encodings) == (",", ("utf-8-sig",))
    assert (Locale.of("fr_FR").separator, Locale.of("fr_FR").encodings) == (";", ("utf-8-sig", "cp1252"))
    assert Locale.of("en_US").encodings == ("utf-8-sig", "cp1252")  # declared: its code page too
    assert Locale.of("fr-FR").name == "fr_FR"


@pytest.mark.parametrize("bad", ["xx_YY", "fr", "français"])
def test_an_unknown_locale_is_refused_naming_the_option(bad):
    with pytest.raises(ParamsError, match=r"--locale: expected a locale"):
        Locale.of(bad)


def test_cells_leave_what_the_locale_cannot_read_as_it_was():
    values = pd.Series(["1 054,00", "12", "", "douze"])
    assert cells.number(values, Locale.of("fr_FR")).tolist() == ["1054.00", "12", "", "douze"]
    assert cells.number(values).tolist() == ["1 054,00", "12", "", "douze"]
    assert locales.looks_like("number", "1 054,00") and not locales.looks_like("number", "douze")
    assert locales.looks_like("date", "20/10/2016") and not locales.looks_like("date", "2026-02-30")
