"""What a run reuses: nothing changed -> nothing rendered (and no heavy import); one partner's
data changed -> that partner's report and the programme-level reports only."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from partnerbook import store
from partnerbook.render import cache

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def root(small_root, tmp_path_factory):
    """A private copy of the 5-partner root (this module changes its data), and a snapshot of
    the library and notebooks that every run here uses (the fingerprint covers the library's
    source, so edits to the checkout while the tests run must not reach them)."""
    base = tmp_path_factory.mktemp("cache")
    here = base / "root"
    shutil.copytree(small_root / "params", here / "params")
    shutil.copytree(small_root / "data", here / "data")
    shutil.copytree(
        REPO / "lib" / "partnerbook",
        base / "snapshot" / "lib" / "partnerbook",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(REPO / "notebooks", base / "snapshot" / "notebooks")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(here))
    yield here
    mp.undo()


def _statuses(root):
    info = json.loads((root / "outputs" / PERIOD / "run.json").read_text())
    return {r["key"]: r["status"] for r in info["reports"]}, info


def _report(root, *args):
    """`partnerbook report` in a fresh process on the snapshot library; returns (exit status,
    heavy modules it imported, its output)."""
    code = (
        "import sys; from partnerbook import cli; status = cli.main(sys.argv[1:]);"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'nbclient', 'partnerbook.runner')"
        " if m in sys.modules); print('HEAVY', ','.join(heavy)); sys.exit(status)"
    )
    lib = root.parent / "snapshot" / "lib"
    done = subprocess.run(
        [sys.executable, "-c", code, "report", "--jobs", "2", "--timeout", "120", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PARTNERBOOK_ROOT": str(root), "PYTHONPATH": str(lib)},
    )
    heavy = [line for line in done.stdout.splitlines() if line.startswith("HEAVY")]
    assert heavy, done.stdout + done.stderr[-3000:]
    return done.returncode, [m for m in heavy[0][len("HEAVY ") :].split(",") if m], done.stdout


def test_first_run_renders_every_report(root):
    status, heavy, stdout = _report(root)
    assert status == 0, stdout
    assert "partnerbook.runner" in heavy
    assert "matplotlib" not in heavy  # the kernels draw; the runner's process does not import it
    statuses, info = _statuses(root)
    assert set(statuses.values()) == {"rendered"}
    assert {"partner:P001", "partner:P005", "goals", "story"} <= set(statuses)
    assert "up_to_date" not in info


def test_second_run_with_nothing_changed_renders_nothing_and_imports_nothing_heavy(root):
    page = root / "outputs" / PERIOD / "partners" / "P002.html"
    before = page.stat().st_mtime_ns
    status, heavy, stdout = _report(root)
    assert status == 0, stdout
    assert heavy == [], heavy  # answered from hashes, before pandas
    assert "0 rendered" in stdout and "0 failed" in stdout
    statuses, info = _statuses(root)
    assert set(statuses.values()) == {"reused"} and info["up_to_date"] is True
    assert page.stat().st_mtime_ns == before
    dashboard = (root / "outputs" / PERIOD / "index.html").read_text()  # rendered again from dashboard.json
    assert f"Reports: 0 rendered, {len(statuses)} reused, 0 failed." in dashboard
    assert dashboard.count('<span class="pb-id">') == 5  # one row per partner


def test_one_partners_data_changed_rerenders_that_partner_and_programme_reports_only(root):
    path = root / "data" / "sample.duckdb"
    ds = store.read(path)
    tables = {name: ds[name] for name in ds.tables if ds.has(name)}
    opps = tables["opportunities"]
    won = opps.index[(opps["partner_id"] == "P003") & (opps["status"] == "won")][0]
    tables["opportunities"] = opps.assign(
        amount=opps["amount"].where(opps.index != won, opps.loc[won, "amount"] + 1000.0)
    )
    store.write(path, tables, ds.meta)

    status, _, stdout = _report(root)
    assert status == 0, stdout
    statuses, _ = _statuses(root)
    rendered = sorted(k for k, s in statuses.items() if s == "rendered")
    programme = sorted(k for k in statuses if not k.startswith("partner:"))
    assert rendered == sorted(["partner:P003", *programme])
    assert {k for k, s in statuses.items() if s == "reused"} == {
        "partner:P001",
        "partner:P002",
        "partner:P004",
        "partner:P005",
    }


def test_force_and_changed_inputs_skip_the_fast_path(root, capsys, monkeypatch):
    snapshot = root.parent / "snapshot"
    library = subprocess.run(
        [sys.executable, "-c", "from partnerbook.render import cache; print(cache.library_fingerprint())"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(snapshot / "lib")},
    ).stdout.strip()
    monkeypatch.setattr(cache, "library_fingerprint", lambda: library)
    args = dict(
        data="", params="", mapping="", view="", period="", partners="", notebooks=snapshot / "notebooks"
    )
    assert cache.fast_report(force=True, **args) is None
    assert cache.fast_report(force=False, **args) == 0  # the last run completed
    capsys.readouterr()
    before = cache.run_fingerprint(**args)
    (root / "params" / "targets").mkdir(exist_ok=True)
    (root / "params" / "targets" / f"{PERIOD}.csv").write_text("partner_id,metric,target\n")
    assert cache.run_fingerprint(**args) != before  # a hand-set target is an input
    assert cache.fast_report(force=False, **args) is None
    (root / "params" / "targets" / f"{PERIOD}.csv").unlink()
    assert cache.run_fingerprint(**args) == before
    assert cache.run_fingerprint(**{**args, "partners": "P001"}) != before
    assert cache.run_fingerprint(**{**args, "data": "postgresql://u@localhost/db"}) is None
    (snapshot / "notebooks" / "partner_scorecard.ipynb").write_text("{}")
    assert cache.run_fingerprint(**args) != before  # so is a notebook
    cache._TAKEN.clear()
