"""Saved views: save -> load round trip, typos named, papermill -f accepts the file."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from partnerbook import views
from partnerbook.errors import ParamsError

ROOT = Path(__file__).resolve().parents[1]
PAPERMILL = Path(sys.executable).with_name("papermill")


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    return tmp_path


def test_save_then_load_round_trip(root):
    params = {
        "period": "2026-Q2",
        "tier": "Gold",
        "region": "",
        "stage": "sell",
        "metric": "win_rate",
        "partner_id": "007",
        "compare": ["P001", "007"],
        "top": 10,
    }
    path = views.save("Gold sellers, Q2!", "explore", params)
    assert path == root / "params" / "views" / "gold-sellers-q2.yaml"
    text = path.read_text()
    assert text.startswith(
        "# A saved view: render it with `partnerbook report --view params/views/gold-sellers-q2.yaml`"
    )
    view = views.load(path)
    assert view == views.View("gold-sellers-q2", "explore", params)
    # an id that looks like a number stays text
    assert view.parameters["partner_id"] == "007"
    assert view.output("2026-Q2") == root / "outputs" / "2026-Q2" / "views" / "gold-sellers-q2.html"
    assert [p.name for p in path.parent.iterdir()] == ["gold-sellers-q2.yaml"]  # no temp file left


def test_save_replaces_a_view_of_the_same_name(root):
    views.save("mine", "explore", {"tier": "Gold"})
    path = views.save("mine", "explore", {"tier": "Silver"})
    assert views.load(path).parameters == {"tier": "Silver"}


def test_typo_key_is_rejected_naming_it(root):
    path = root / "typo.yaml"
    path.write_text("notebook: explore\nperiod: 2026-Q2\ntierr: Gold\n")
    with pytest.raises(ParamsError, match=r"typo\.yaml\.tierr: unknown key; did you mean 'tier'\?"):
        views.load(path)


def test_save_refuses_a_key_the_notebook_does_not_declare(root):
    with pytest.raises(ParamsError, match="metrc: unknown key; did you mean 'metric'"):
        views.save("x", "explore", {"metrc": "revenue"})
    assert not (root / "params" / "views" / "x.yaml").exists()


def test_view_without_notebook_key_says_what_to_add(root):
    path = root / "plain.yaml"
    path.write_text("period: 2026-Q2\n")
    with pytest.raises(ParamsError, match="plain.yaml: expected a 'notebook' key"):
        views.load(path)


def test_unknown_notebook_and_path_like_notebook_refused(root):
    for bad in ("nope", "../notebooks/explore"):
        path = root / "bad.yaml"
        path.write_text(yaml.safe_dump({"notebook": bad}))
        with pytest.raises(ParamsError, match="notebook: expected one of .*explore"):
            views.load(path)


def test_nested_value_refused(root):
    path = root / "nested.yaml"
    path.write_text("notebook: explore\ntier: {a: 1}\n")
    with pytest.raises(ParamsError, match="nested.yaml.tier: expected a text, number"):
        views.load(path)


def test_unsafe_file_name_refused(root):
    path = root / "a b.yaml"
    path.write_text("notebook: explore\n")
    with pytest.raises(ParamsError, match="expected a view file name"):
        views.load(path)


def test_papermill_dash_f_accepts_the_saved_file(root, tmp_path):
    path = views.save("gold", "explore", {"period": "2026-Q2", "tier": "Gold", "compare": ["P001"]})
    out = tmp_path / "out.ipynb"
    subprocess.run(
        [
            str(PAPERMILL),
            str(ROOT / "notebooks" / "explore.ipynb"),
            str(out),
            "-f",
            str(path),
            "--prepare-only",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    cells = json.loads(out.read_text())["cells"]
    injected = next(c for c in cells if "injected-parameters" in c["metadata"].get("tags", []))
    source = "".join(injected["source"])
    assert 'tier = "Gold"' in source
    assert 'period = "2026-Q2"' in source
    assert 'compare = ["P001"]' in source


def test_declared_reads_the_notebooks_parameters():
    assert views.declared("explore")[:6] == ["period", "tier", "region", "stage", "metric", "partner_id"]


def test_example_view_in_params_is_valid():
    files = sorted((ROOT / "params" / "views").glob("*.yaml"))
    assert files, "params/views/ holds an example view"
    for file in files:
        assert views.load(file).notebook == "explore"


@pytest.mark.slow
def test_report_view_renders_the_saved_period_without_widget_state(tmp_path, monkeypatch):
    """`partnerbook report --view FILE`: outputs/<the view's period>/views/<name>.html, static."""
    import shutil

    from partnerbook import runner

    shutil.copytree(ROOT / "params", tmp_path / "params", ignore=shutil.ignore_patterns("views"))
    (ROOT / "data").mkdir(exist_ok=True)
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    path = views.save("gold q2", "explore", {"period": "2026-Q2", "tier": "Gold", "metric": "win_rate"})
    assert runner.report(view=str(path), jobs=1) == 0
    out = tmp_path / "outputs" / "2026-Q2"
    html = (out / "views" / "gold-q2.html").read_text()
    assert "Win rate, 2026-Q2: tier Gold" in html
    assert "widget-view+json" not in html and "widget-state+json" not in html
    executed = json.loads((out / "notebooks" / "view-gold-q2.ipynb").read_text())
    assert "widgets" not in executed["metadata"]
