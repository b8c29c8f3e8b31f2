"""Both editions of a partner's report from one real run (slow: real kernels).

A 5-partner cut of the seeded sample where P001 is renamed "Northwind" (a word of the
"Northwind Partner Programme", whose name is on every page's footer) and P002 has survey
answers from two respondents (CTO 5, Head of sales 9), with `surveys.attributable: true`.
Expected: every report is published in both editions (no false isolation alarm); P002's
partner edition shows neither an individual score nor health; its internal edition shows both.
"""

import json
import re
import shutil

import nbformat
import pandas as pd
import pytest
import yaml
from partnerbook import cli, sample, store
from partnerbook.render import editions
from partnerbook.render import html as html_mod

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"
IDS = ("P001", "P002", "P003", "P004", "P005")
REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    shutil.copytree(REPO / "params", root / "params")
    program = yaml.safe_load((root / "params" / "program.yaml").read_text())
    program["surveys"] = {"min_respondents": 3, "attributable": True}
    (root / "params" / "program.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    tables = {
        name: frame[frame["partner_id"].isna() | frame["partner_id"].isin(IDS)]
        if "partner_id" in frame
        else frame
        for name, frame in sample.generate(partners=12, seed=7).items()
    }
    partners = tables["partners"].copy()
    partners.loc[partners["partner_id"] == "P001", "name"] = "Northwind"
    tables["partners"] = partners
    surveys = tables["surveys"]
    tables["surveys"] = pd.concat(
        [
            surveys[surveys["partner_id"] != "P002"],
            pd.DataFrame(
                {
                    "response_id": ["X1", "X2"],
                    "partner_id": ["P002", "P002"],
                    "answered_on": pd.to_datetime(["2026-08-03", "2026-09-04"]),
                    "respondent": ["CTO", "Head of sales"],
                    "score": [5, 9],
                    "comment": ["Approvals are slow.", "Leads are good."],
                }
            ),
        ],
        ignore_index=True,
    )
    store.write(root / "data" / "sample.duckdb", tables, {"source": "sample", "end": "2026-09-30"})
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(root))
    status = cli.main(["report", "--jobs", "2", "--timeout", "120", "--partners", ",".join(IDS)])
    mp.undo()
    assert status == 0
    return root / "outputs" / PERIOD


def _report(out) -> int:
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(out.parents[1]))
    try:
        return cli.main(["report", "--jobs", "2", "--timeout", "120", "--partners", ",".join(IDS)])
    finally:
        mp.undo()


def _text(path) -> str:
    return " ".join(html_mod.visible_text(path.read_text(encoding="utf-8")).split())


def test_every_partner_has_both_editions_and_run_json_names_them(out):
    for folder in ("partners", "for-partners"):
        assert sorted(p.name for p in (out / folder).iterdir()) == [f"{i}.html" for i in IDS]
    info = {r["key"]: r for r in json.loads((out / "run.json").read_text())["reports"]}
    assert info["partner:P002"]["html"] == "partners/P002.html"
    assert info["partner:P002"]["partner_html"] == "for-partners/P002.html"


def test_northwind_in_the_northwind_programme_is_no_false_alarm(out):
    # every page's footer names the programme; P002..P005 were published (exit status 0 above)
    for pid in IDS[1:]:
        assert "Northwind Partner Programme" in _text(out / "for-partners" / f"{pid}.html")


def test_partner_edition_shows_no_individual_score_nor_health(out):
    text = _text(out / "for-partners" / "P002.html")
    assert "survey score" not in text and "CTO" not in text and "Head of sales" not in text
    assert not re.search(r"\bhealth", text, re.IGNORECASE)
    assert "results are shown once at least 3 people have answered" in text
    assert editions.refused((out / "for-partners" / "P002.html").read_text(), "") == []


def test_internal_edition_shows_both(out):
    text = _text(out / "partners" / "P002.html")
    assert "CTO, survey score 5, 3 Aug 2026" in text and "Head of sales, survey score 9, 4 Sep 2026" in text
    assert re.search(r"Health: (healthy|watch|at risk) ?\.", text)
    assert "For your next business review" in text


def test_partner_edition_links_to_no_other_page(out):
    for pid in IDS:
        page = (out / "for-partners" / f"{pid}.html").read_text()
        assert [h for h in re.findall(r'href="([^"]*)"', page) if not h.startswith("#")] == [], pid


def test_dashboard_links_both_editions(out):
    page = (out / "index.html").read_text()
    for pid in IDS:
        assert f'href="partners/{pid}.html"' in page and f'href="for-partners/{pid}.html"' in page, pid


def test_a_missing_partner_edition_is_rendered_again_and_nothing_else(out):
    # (runs last in this module: it renders again)
    (out / "for-partners" / "P003.html").unlink()
    assert _report(out) == 0
    assert (out / "for-partners" / "P003.html").is_file()
    status = {r["key"]: r["status"] for r in json.loads((out / "run.json").read_text())["reports"]}
    assert status["partner:P003"] == "rendered"
    assert [k for k, v in status.items() if v == "rendered"] == ["partner:P003"]


def test_every_executed_notebook_is_a_valid_notebook(out):
    """The workers write executed notebooks without nbformat's validation pass (pool._text):
    what they write must still be valid nbformat 4, programme pages and both editions."""
    executed = sorted((out / "notebooks").glob("*.ipynb"))
    assert len(executed) >= len(IDS) + 2  # every partner, goals and the story at least
    for path in executed:
        nbformat.validate(nbformat.read(path, as_version=4))
