"""explore.ipynb in a real JupyterLab, driven by headless Chromium.

JupyterLab is started as anyone would, plain `jupyter lab` (nothing in the environment tells
the kernel it is in a front end: the widgets show because JupyterLab's execute requests
allow input, which a batch run's never do), on a free loopback port with a random token, on
a copy of the notebook in a temporary folder; the notebook asks for the `partnerbook` kernel. The test runs
every cell, changes the metric and the tier, checks that the table and chart changed, types
a Gold partner into the partner picker and sees it, clicks
"Save this view" and checks the file, and that no error or stderr output appeared.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from browser_fixtures import chromium_path, free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")
ERRORS = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)


def _project(tmp: Path) -> Path:
    """A project root for the lab: notebooks copied, params copied, data shared with the checkout."""
    (tmp / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", tmp / "notebooks")
    shutil.copytree(ROOT / "params", tmp / "params", ignore=shutil.ignore_patterns("views"))
    (ROOT / "data").mkdir(exist_ok=True)
    (tmp / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return tmp


def _settings(folder: Path) -> None:
    """Every cell kept in the page (no virtual scrolling) and no question about news."""
    for plugin, values in (
        ("notebook-extension/tracker", {"windowingMode": "none"}),
        ("apputils-extension/notification", {"fetchNews": "false"}),
    ):
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _wait_http(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"jupyter lab exited with status {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer on {url} within {seconds} s")


@pytest.fixture
def lab(tmp_path):
    chromium_path()  # skip before starting a server we cannot use
    project = _project(tmp_path / "project")
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path / "jupyter"
    env = {
        **os.environ,
        "PARTNERBOOK_ROOT": str(project),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "MPLBACKEND": "Agg",
    }
    command = [
        str(JUPYTER),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={project / 'notebooks'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])
    _settings(home / "settings")
    log_path = tmp_path / "lab.log"
    log = log_path.open("w")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/status?token={token}", proc, log_path)
        yield f"http://127.0.0.1:{port}/lab/tree/explore.ipynb?token={token}", project
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _output_text(page) -> str:
    return page.locator(".widget-output").first.inner_text()


def test_explore_widgets_redraw_and_save_a_view(lab, page):
    url, project = lab
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator(".jp-Notebook").first.wait_for()
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.commands.hasCommand('notebook:run-all-cells')"
    )
    page.wait_for_function(
        "window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
    )
    kernel = page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")
    assert kernel == "partnerbook"
    # Run > Run All Cells (not awaited: the command's promise settles only when every cell ran)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

    output = page.locator(".widget-output").first
    output.get_by_text("Revenue, ").first.wait_for()  # the ranking caption, drawn by the panel
    before = output.text_content()
    chart_before = output.locator("svg.pb-chart").first.inner_html()  # charts are inline SVG
    assert "Side by side" in before and "One partner" in before

    page.locator(".widget-dropdown", has_text="Metric").locator("select").select_option(label="Win rate")
    output.get_by_text("Win rate, ").first.wait_for()
    page.locator(".widget-dropdown", has_text="Tier").locator("select").select_option(label="Gold")
    output.get_by_text(": tier Gold").first.wait_for()
    after = output.text_content()
    assert after != before
    assert output.locator("svg.pb-chart").first.inner_html() != chart_before

    # after the tier filter the picker offers Gold partners; typing the last one shows it as Gold
    combo = page.get_by_placeholder("type an id or a name")
    offered = combo.evaluate("i => Array.from(i.list ? i.list.options : []).map(o => o.value)")
    assert offered and all(" · " in label for label in offered)
    label = offered[-1]
    combo.fill(label)
    combo.press("Enter")
    output.get_by_text(f"({label.split(' · ')[0]}): Gold tier").first.wait_for()

    page.locator(".widget-text", has_text="View").locator("input").fill("gold win rate")
    page.locator("button", has_text="Save this view").click()
    page.get_by_text("Saved gold-win-rate.yaml").wait_for()
    saved = yaml.safe_load((project / "params" / "views" / "gold-win-rate.yaml").read_text())
    assert (saved["notebook"], saved["metric"], saved["tier"]) == ("explore", "win_rate", "Gold")
    assert saved["partner_id"] == label.split(" · ")[0]

    # the static sections below the panel rendered too, and nothing went to stderr
    assert page.locator(".jp-OutputArea-output", has_text="partners in").count() >= 2
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()


def test_missing_chromium_skips_on_a_desk_and_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr("browser_fixtures.CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        chromium_path()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="needs Chromium: apt-get install chromium"):
        chromium_path()
