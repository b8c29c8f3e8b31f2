"""The conventions a Python user expects: --version, one kernel name, notebooks committed
without outputs, optional extras that say what to install, run.json's versions."""

import json
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

import partnerbook
from partnerbook import cli, runner
from partnerbook.render import kernelspec

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_version_is_printed_and_exits_0(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"\d+\.\d+\.\d+", partnerbook.__version__)
    assert capsys.readouterr().out == f"partnerbook {partnerbook.__version__}\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a notebook with no code cell"
    assert [c.get("outputs") for c in code] == [[]] * len(code), "run nbstripout (pre-commit does)"
    assert [c.get("execution_count") for c in code] == [None] * len(code)
    assert "widgets" not in nb["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_names_the_partnerbook_kernel(path):
    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert (spec["name"], spec["display_name"]) == ("partnerbook", "Python (partnerbook)")


def test_make_setup_and_the_warm_kernel_use_the_same_kernel_name():
    assert kernelspec.NAME == "partnerbook"
    assert re.search(r"^KERNEL := partnerbook#", (ROOT / "Makefile").read_text(), re.M)
    assert "--name $(KERNEL)" in (ROOT / "Makefile").read_text()
    from partnerbook.render.kernel import WarmKernel

    assert WarmKernel.__dataclass_fields__["kernel_name"].default == "partnerbook"


def test_the_partnerbook_kernel_is_this_interpreter_even_when_not_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # no kernelspec anywhere we look first
    spec = kernelspec.Specs().get_kernel_spec("partnerbook")
    assert spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]
    assert spec.language == "python"


def test_make_lab_starts_plain_jupyter_lab_and_ci_runs_make_lint():
    makefile = (ROOT / "Makefile").read_text()
    assert "PARTNERBOOK_LAB_PID" not in makefile
    assert re.search(
        r"^lint: .*\n\t\$\(BIN\)/ruff check \.\n\t\$\(BIN\)/ruff format --check \.\n\t\$\(BIN\)/lint-imports",
        makefile,
        re.M,
    )
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci.index("make lint") < ci.index("make test")


def test_pre_commit_strips_notebooks_and_runs_the_linters():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert {"nbstripout", "ruff", "layers", "deptry"} <= hooks


# -- extras: a missing one is one line saying what to install, exit 2 ------------------------


def test_dask_executor_without_the_dask_extra_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails, as when absent
    status = cli.main(["report", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "partnerbook: --executor dask needs the optional 'dask' dependencies, which are not "
        "installed: pip install 'partnerbook[dask]'\n"
    )
    assert not (tmp_path / "outputs" / "2026-Q3").exists()  # nothing was rendered


def test_a_database_url_without_the_sql_extra_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    monkeypatch.setitem(sys.modules, "sqlalchemy.engine", None)
    status = cli.main(["import", "postgresql://ann:s3cret@127.0.0.1:9/crm"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "partnerbook: --data postgresql://ann:***@127.0.0.1:9/crm needs the optional 'sql' "
        "dependencies, which are not installed: pip install 'partnerbook[sql]'\n"
    )


# -- run.json: the version of every direct dependency ----------------------------------------


def test_run_json_versions_name_every_direct_dependency(monkeypatch):
    real = metadata.version

    def version(name):
        if name.lower() == "distributed":
            raise metadata.PackageNotFoundError(name)  # the [dask] extra left out
        return real(name)

    monkeypatch.setattr(runner.metadata, "version", version)
    found = runner.versions()
    assert found["partnerbook"] == partnerbook.__version__
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    for name in (
        "pandas",
        "numpy",
        "duckdb",
        "pandera",
        "pyyaml",
        "matplotlib",
        "seaborn",
        "papermill",
        "nbformat",
        "nbclient",
        "nbconvert",
        "ipykernel",
        "tqdm",
        "sqlalchemy",
        "jupyterlab",
        "ipywidgets",
    ):
        assert found[name] == real(name), name
    assert found["distributed"] == "not installed"
    assert "pytest" not in found and "aiosmtpd" not in found  # dev tools are not the run's
    assert found["playwright"] == real("playwright")  # the [pdf] extra's: it prints PDFs
