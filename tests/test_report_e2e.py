"""`partnerbook report` end to end on a 5-partner sample (slow: two runs of real kernels)."""
import csv
import html as html_mod
import json
import re
import shutil

import pytest

from partnerbook import cli, numbers, runner

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"


@pytest.fixture(scope="module")
def rendered(small_root):
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(small_root))
    status = cli.main(["report", "--jobs", "2", "--timeout", "120"])
    yield small_root / "outputs" / PERIOD, status
    mp.undo()


def _metrics(out):
    with open(out / "metrics.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_partner_has_a_report_and_exit_zero(rendered):
    out, status = rendered
    assert status == 0
    ids = sorted({r["partner_id"] for r in _metrics(out) if r["partner_id"]})
    assert ids == ["P001", "P002", "P003", "P004", "P005"]
    assert sorted(p.name for p in (out / "partners").iterdir()) == [f"{i}.html" for i in ids]
    for name in ("index.html", "goals.html", "story.html", "run.json", "metrics.csv"):
        assert (out / name).exists(), name
    assert (out.parent / "index.html").read_text().count(f'href="{PERIOD}/index.html"') == 1


def test_no_code_prompts_parameters_or_network_in_html(rendered):
    out, _ = rendered
    pages = [*out.glob("*.html"), *(out / "partners").glob("*.html"), out.parent / "index.html"]
    for page in pages:
        text = page.read_text()
        for bad in ("In [", "In&nbsp;[", "Out[", "injected-parameters", "import partnerbook",
                    "from partnerbook", "wb = workbook", 'class="input_area"', "jp-InputArea"):
            assert bad not in text, (page.name, bad)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I), page.name
        assert "@import" not in text and "<link" not in text, page.name
    report = (out / "partners" / "P001.html").read_text()
    assert "<script" not in report
    assert len(report.encode()) < 250_000
    assert "data:image" not in report and "<img" not in report        # every chart is inline SVG
    charts = re.findall(r"<svg [^>]*>", report)
    assert len(charts) >= 3      # revenue, win rate, activity (+ categories when revenue)
    assert all('role="img"' in svg and re.search(r'aria-label="[^"]+"', svg) for svg in charts)


def test_numbers_shown_match_metrics_csv(rendered):
    out, _ = rendered
    rows = {(r["partner_id"], r["metric"]): r for r in _metrics(out) if r["breakdown"] == ""}
    for pid in ("P001", "P002", "P003", "P004", "P005"):
        page = (out / "partners" / f"{pid}.html").read_text()
        shown = re.search(r'data-metric="revenue"><div class="pb-kpi-label">Revenue</div>'
                          r'<div class="pb-kpi-value">([^<]*)</div>', page)
        value = rows[(pid, "revenue")]["value"]
        expected = numbers.money(float(value) if value else None, "USD")
        assert shown and html_mod.unescape(shown.group(1)) == expected, pid


def test_run_json_records_every_report(rendered):
    out, _ = rendered
    info = json.loads((out / "run.json").read_text())
    assert info["period"] == PERIOD and info["data_fingerprint"]
    assert {"partnerbook", "python", "nbclient", "nbconvert", "papermill"} <= set(info["versions"])
    reports = {r["key"]: r for r in info["reports"]}
    assert {"partner:P001", "partner:P005", "goals", "story"} <= set(reports)
    assert all(r["status"] == "rendered" and r["seconds"] > 0 and r["error"] == "" for r in reports.values())
    assert (out / reports["partner:P001"]["notebook"]).exists()
    executed = json.loads((out / reports["partner:P001"]["notebook"]).read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])


def test_second_run_reuses_unchanged_reports(rendered, small_root, monkeypatch):
    out, _ = rendered
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(small_root))
    before = (out / "partners" / "P001.html").stat().st_mtime_ns
    assert cli.main(["report", "--partners", "P001,P002"]) == 0
    info = json.loads((out / "run.json").read_text())
    assert {r["status"] for r in info["reports"]} == {"reused"}
    assert (out / "partners" / "P001.html").stat().st_mtime_ns == before


def test_one_failing_report_does_not_stop_the_others(rendered, small_root, tmp_path, monkeypatch, capsys):
    out, _ = rendered
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(small_root))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(runner.paths.notebooks(), notebooks)
    nb = json.loads((notebooks / runner.SCORECARD).read_text())
    nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "id": "boom", "source": 'assert partner_id != "P002", "broken on purpose"'})
    (notebooks / runner.SCORECARD).write_text(json.dumps(nb))
    good = (out / "partners" / "P002.html").read_text()
    status = runner.report(partners="P002,P003", jobs=2, notebooks=str(notebooks), force=True, timeout=120)
    assert status == 1
    info = json.loads((out / "run.json").read_text())
    reports = {r["key"]: r for r in info["reports"]}
    assert reports["partner:P003"]["status"] == "rendered"
    failed = reports["partner:P002"]
    assert failed["status"] == "failed" and "broken on purpose" in failed["error"]
    assert failed["cell"]["index"] == 3
    assert (out / "partners" / "P002.html").read_text() == good       # the good one is kept
    assert "report failed" in (out / "index.html").read_text()
    printed = capsys.readouterr().out
    assert "failed: Partner scorecard" in printed and "broken on purpose" in printed
