"""`partnerbook report` on the two public exports in tests/data renders every report (slow).

- The Salesforce sample through the preset, its branch standing in for the partner
  (params/mappings/salesforce-standin.yaml): 5 partners (Branch__c.csv holds Branch0..Branch4).
- The Maven CRM export through params/mappings/maven.yaml, imported with --lenient (its 500
  Prospecting deals have no engage_date): 35 partners (the sales agents of sales_teams.csv).

Each run renders one report per partner plus 5 programme reports: goals, the story, and one
story per audience of params/program.yaml (sales, marketing, enablement).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from partnerbook import cli

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
PROGRAMME_REPORTS = ["goals", "story", "story:sales", "story:marketing", "story:enablement"]


@pytest.fixture
def root(tmp_path, monkeypatch):
    shutil.copytree(REPO / "params", tmp_path / "params")
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    return tmp_path


def run_info(root: Path) -> dict:
    (found,) = (root / "outputs").glob("*/run.json")
    return json.loads(found.read_text())


def check(info: dict, partners: int) -> None:
    keys = [r["key"] for r in info["reports"]]
    failed = [(r["key"], r["error"]) for r in info["reports"] if r["status"] != "rendered"]
    assert failed == []
    assert len(keys) == partners + len(PROGRAMME_REPORTS)
    assert sorted(k for k in keys if not k.startswith("partner:")) == sorted(PROGRAMME_REPORTS)


def test_the_salesforce_sample_renders_every_report(root):
    status = cli.main(
        [
            "report",
            "--data",
            str(DATA / "salesforce-data-export-sample"),
            "--mapping",
            str(REPO / "params" / "mappings" / "salesforce-standin.yaml"),
            "--jobs",
            "2",
            "--timeout",
            "300",
        ]
    )
    assert status == 0
    check(run_info(root), partners=5)


def test_the_maven_export_renders_every_report(root):
    store = root / "data" / "maven.duckdb"
    assert (
        cli.main(
            [
                "import",
                str(DATA / "maven-crm-sales-opportunities"),
                "--lenient",
                "--mapping",
                str(REPO / "params" / "mappings" / "maven.yaml"),
                "--into",
                str(store),
            ]
        )
        == 0
    )
    assert cli.main(["report", "--data", str(store), "--jobs", "2", "--timeout", "300"]) == 0
    check(run_info(root), partners=35)
