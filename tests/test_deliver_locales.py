"""A partner in another language: its partner edition and its messages in that language.

The real runner on a 5-partner cut of the seeded sample, in the English programme (en_US),
where P002 has `locale = fr_FR` and every other partner none: P002's partner edition is
French (lang fr-FR, the heading of the tier section "Votre palier"), its account manager's
edition English; P001 stays English in both. `deliver --dry-run` then writes P002's message
in French and P001's in English (subjects and first sentences written out by hand below).
"""

import email
import email.policy
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from partnerbook import cli, delivery, recipients, runner, sample, store
from partnerbook.errors import DataError

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"
IDS = ("P001", "P002", "P003", "P004", "P005")
REPO = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("locales")
    shutil.copytree(REPO / "params", root / "params")
    program = yaml.safe_load((root / "params" / "program.yaml").read_text())
    program["reporting"]["audiences"] = program["reporting"]["audiences"][:1]  # sales only: a shorter run
    (root / "params" / "program.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    tables = {
        name: frame[frame["partner_id"].isna() | frame["partner_id"].isin(IDS)]
        if "partner_id" in frame
        else frame
        for name, frame in sample.generate(partners=12, seed=7).items()
    }
    plans = tables["plan_objectives"]["plan_id"].isin(tables["business_plans"]["plan_id"])
    tables["plan_objectives"] = tables["plan_objectives"][plans]
    tables["partners"] = tables["partners"].assign(
        locale=lambda f: f["partner_id"].map({"P002": "fr_FR"}).astype(object)
    )
    # the contacts read their partner's language; two of P001 and P002's receive the edition
    contacts = tables["contacts"]
    contacts = contacts[~contacts["partner_id"].isin(["P001", "P002"])]
    tables["contacts"] = pd.concat(
        [
            contacts,
            pd.DataFrame(
                {
                    "contact_id": ["X1", "X2"],
                    "partner_id": ["P001", "P002"],
                    "name": ["Ann Lee", "Luc Morel"],
                    "email": ["ann@p001.example", "luc@p002.example"],
                    "role": ["Owner", "Owner"],
                    "locale": [None, None],
                }
            ),
        ],
        ignore_index=True,
    )
    store.write(root / "data" / "sample.duckdb", tables, {"source": "sample", "end": "2026-09-30"})
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(root))
    try:
        assert runner.report(period=PERIOD, jobs=2, partners="P001,P002") == 0
    finally:
        mp.undo()
    return root


def _page(root, rel: str) -> str:
    return (root / "outputs" / PERIOD / rel).read_text(encoding="utf-8")


def _lang(page: str) -> str:
    return re.search(r'<html[^>]*\blang="([^"]+)"', page).group(1)


def _h2(page: str) -> list[str]:
    """The section headings as a reader sees them (no anchor links, no tags)."""
    found = re.findall(r"<h2\b[^>]*>(.*?)</h2>", page, re.S)
    return [
        re.sub(r"<[^>]+>", "", re.sub(r'<a class="anchor-link".*?</a>', "", h, flags=re.S)).strip()
        for h in found
    ]


def _names(root) -> dict[str, str]:
    partners = store.read(root / "data" / "sample.duckdb")["partners"]
    return dict(zip(partners["partner_id"], partners["name"]))


def test_the_french_partner_reads_its_edition_in_french_and_its_account_manager_in_english(root):
    french, internal = _page(root, "for-partners/P002.html"), _page(root, "partners/P002.html")
    assert _lang(french) == "fr-FR" and "Votre palier" in _h2(french) and "Your tier" not in _h2(french)
    assert _lang(internal) == "en-US" and "Tier" in _h2(internal)


def test_the_other_partner_stays_english_in_both_editions(root):
    edition, internal = _page(root, "for-partners/P001.html"), _page(root, "partners/P001.html")
    assert _lang(edition) == "en-US" and "Your tier" in _h2(edition)
    assert _lang(internal) == "en-US" and "Tier" in _h2(internal)


def test_the_french_edition_has_its_own_executed_notebook_and_a_cache_key_of_its_own(root):
    out = root / "outputs" / PERIOD
    executed = json.loads((out / "notebooks" / "for-partner-P002.ipynb").read_text())
    injected = next(c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert 'locale = "fr_FR"' in "".join(injected["source"])
    assert not (out / "notebooks" / "for-partner-P001.ipynb").exists()  # one execution for P001
    assert not any(
        "health" in "".join(c["source"]).lower()
        for c in executed["cells"]
        if c["cell_type"] == "code" and "internal" in c["metadata"].get("tags", [])
    )


def test_deliver_writes_each_partner_its_message_in_its_language(root, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(root))
    assert delivery.deliver(period=PERIOD, dry_run=True, only="partners", formats="html") == 0
    outbox = root / "outputs" / PERIOD / "outbox"
    messages = {
        m["To"].addresses[0].addr_spec: m
        for m in (
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in outbox.glob("*.eml")
        )
    }
    names = _names(root)
    french, english = messages["luc@p002.example"], messages["ann@p001.example"]
    assert (
        french["Subject"]
        == f"Northwind Partner Programme{NBSP}: {names['P002']}, rapport partenaire T3{NBSP}2026"
    )
    assert english["Subject"] == f"Northwind Partner Programme: {names['P001']}, partner report 2026-Q3"
    body_fr, body_en = (m.get_body(("plain",)).get_content() for m in (french, english))
    assert body_fr.startswith(
        f"Vous trouverez ci-joint le rapport du T3{NBSP}2026 de {names['P002']} au sein du "
        "Northwind Partner Programme.\n\n"
    )
    assert body_fr.rstrip().endswith(
        "Merci de répondre à ce message en indiquant votre note et un commentaire."
    )
    assert body_en.startswith(
        f"Attached is the 2026-Q3 report of {names['P001']} in the Northwind Partner Programme.\n\n"
    )
    attached = {p.get_filename(): p.get_content() for p in french.iter_attachments()}
    assert _lang(attached["P002-2026-Q3.html"]) == "fr-FR"  # the edition in the partner's language


def test_a_bad_locale_in_partners_csv_names_the_file_row_and_column(tmp_path, monkeypatch, capsys):
    source = tmp_path / "crm"
    source.mkdir()
    (source / "partners.csv").write_text(
        "partner_id,name,tier,region,joined_on,locale\n"
        "P1,Alpha,Gold,EMEA,2025-01-15,fr-FR\n"
        "P2,Beta,Silver,AMER,2025-02-01,xx-YY\n"
    )
    (source / "opportunities.csv").write_text(
        "opportunity_id,partner_id,account_id,created_on,closed_on,status,amount\n"
        "O1,P1,A1,2026-07-01,2026-08-01,won,100\n"
    )
    shutil.copytree(REPO / "params", tmp_path / "params")
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    assert cli.main(["report", "--data", str(source)]) == 2
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "xx-YY" in x)
    assert "partners.csv" in line and "row 3" in line and "locale" in line
    assert not (tmp_path / "outputs" / PERIOD).exists()


def test_partner_locales_refuse_an_unknown_locale_in_a_store_naming_table_row_and_column():
    partners = pd.DataFrame(
        {"partner_id": ["P1", "P2", "P3", "P4", "P5"], "locale": ["fr-FR", None, "en-US", "de-DE", "en-GB"]}
    )
    wb = SimpleNamespace(partners=partners, locale="en_US")
    # fr-FR: French; en-US is the programme's; de-DE has no catalogue: the programme's edition
    assert runner.partner_locales(wb, "data/crm.duckdb") == {"P1": "fr_FR", "P5": "en_GB"}
    wb = SimpleNamespace(partners=partners.assign(locale=["fr-FR", "", "fr-XX", "", ""]), locale="en_US")
    with pytest.raises(DataError) as err:
        runner.partner_locales(wb, "data/crm.duckdb")
    assert str(err.value) == (
        "data/crm.duckdb: partners, row 4 (partner_id P3), column locale: "
        "expected a locale such as en_US or fr_FR, found 'fr-XX'"
    )


def test_a_reader_gets_the_first_language_partnerbook_writes():
    assert recipients.reading(["", "fr_FR", "en_US"]) == "fr_FR"
    assert recipients.reading(["de_DE", "fr_CA", "en_US"]) == "fr_CA"
    assert recipients.reading(["de_DE", "", "en_US"]) == "en_US"
