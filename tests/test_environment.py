"""pyproject.toml is the one source of truth for dependencies; environment.yml mirrors it."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("dask", "sql", "lab", "pdf", "dev")


def _name_and_spec(requirement: str) -> tuple[str, str]:
    requirement = requirement.split("#")[0].strip()
    match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    return match.group(1).lower(), match.group(3).replace(" ", "")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = _project()
    wanted = dict(
        _name_and_spec(r)
        for r in project["dependencies"]
        + [r for extra in EXTRAS for r in project["optional-dependencies"][extra]]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _name_and_spec(d)
        for d in env["dependencies"]
        if isinstance(d, str) and not d.startswith(("python", "pip"))
    )
    assert conda == wanted


def test_the_extras_are_dask_sql_lab_pdf_and_dev_and_the_core_stays_lean():
    project = _project()
    assert set(project["optional-dependencies"]) == set(EXTRAS)
    core = {_name_and_spec(r)[0] for r in project["dependencies"]}
    assert not core & {"distributed", "dask", "sqlalchemy", "psycopg", "jupyterlab", "ipywidgets"}


def test_make_setup_installs_every_extra():
    makefile = (ROOT / "Makefile").read_text()
    assert "-e '.[dask,sql,lab,pdf,dev]'" in makefile


def test_the_version_is_written_once():
    project = _project()
    assert "version" not in project and project["dynamic"] == ["version"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "partnerbook.__version__"}


def test_environment_yml_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["--no-deps -e ."]
