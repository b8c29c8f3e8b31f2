"""Saved analyst views: a flat YAML of notebook parameters in params/views/<name>.yaml.

    # params/views/gold-emea.yaml
    notebook: explore          # which notebook renders the view (notebooks/explore.ipynb)
    period: 2026-Q2
    tier: Gold
    metric: revenue

Every key other than `notebook` is a parameter the notebook declares in its `parameters`
cell (read with papermill's inspector), so a typo is an error naming the key. The file is
accepted as it is by

    partnerbook report --view params/views/gold-emea.yaml   # -> outputs/<period>/views/gold-emea.html
    papermill notebooks/explore.ipynb out.ipynb -f params/views/gold-emea.yaml

(papermill injects `notebook = "explore"` as well; no notebook uses that name, so it is
harmless, and papermill only warns that it is not a declared parameter).
The runner calls `load(path)` and renders `view.notebook` with `view.parameters`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import files
from . import params as params_mod
from . import paths
from .errors import ParamsError

NOTEBOOK_KEY = "notebook"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class View:
    name: str  # the file's stem: safe as a file name
    notebook: str  # a notebook in notebooks/, without .ipynb
    parameters: dict = field(default_factory=dict)

    @property
    def notebook_path(self) -> Path:
        return notebook_path(self.notebook)

    def output(self, period: str) -> Path:
        """Where the runner writes this view's report: outputs/<period>/views/<name>.html."""
        return paths.period_outputs(period) / "views" / f"{self.name}.html"


def folder() -> Path:
    return paths.params() / "views"


def notebook_path(notebook: str) -> Path:
    """notebooks/<notebook>.ipynb; the name must be a plain notebook name (never a path)."""
    path = paths.notebooks() / f"{notebook}.ipynb"
    if not (isinstance(notebook, str) and _NAME.match(notebook)) or not path.exists():
        known = ", ".join(sorted(p.stem for p in paths.notebooks().glob("*.ipynb")))
        raise ParamsError(f"notebook: expected one of {known}, found {notebook!r}")
    return path


def declared(notebook: str) -> list[str]:
    """The parameters a notebook declares in its `parameters` cell, in order."""
    import papermill

    return list(papermill.inspect_notebook(str(notebook_path(notebook))))


def slug(text: str) -> str:
    """A view name from what an analyst typed: 'Gold EMEA, Q2' -> 'gold-emea-q2'."""
    name = re.sub(r"[^a-z0-9_]+", "-", str(text).strip().lower()).strip("-_")[:64]
    if not name:
        raise ParamsError(f"view name: expected letters or digits, found {text!r}")
    return name


def check(notebook: str, parameters: dict, where: str) -> dict:
    """Refuse keys the notebook does not declare and values that are not flat."""
    params_mod.check_keys(parameters, declared(notebook), where)
    for key, value in parameters.items():
        flat = isinstance(value, _SCALARS) or (
            isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value)
        )
        if not flat:
            raise ParamsError(
                f"{where}.{key}: expected a text, number, true/false or a list "
                f"of them, found {type(value).__name__}"
            )
    return parameters


def load(path: str | os.PathLike) -> View:
    """Read and check a view file: View(name, notebook, parameters)."""
    path = Path(path)
    data = params_mod.load_yaml(path)
    if not _NAME.match(path.stem):
        raise ParamsError(
            f"{path.name}: expected a view file name of letters, digits, '-' "
            f"or '_' (it names outputs/<period>/views/<name>.html)"
        )
    notebook = data.pop(NOTEBOOK_KEY, None)
    if notebook is None:
        raise ParamsError(
            f"{path.name}: expected a '{NOTEBOOK_KEY}' key naming the notebook "
            f"to render, e.g. 'notebook: explore'"
        )
    notebook_path(notebook)
    return View(path.stem, notebook, check(notebook, data, path.name))


def save(name: str, notebook: str, parameters: dict, into: str | os.PathLike | None = None) -> Path:
    """Write a view file atomically (temp file + rename) and return its path."""
    name = slug(name)
    check(notebook, dict(parameters), f"{name}.yaml")
    target = Path(into) if into else folder()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.yaml"
    files.write_text(path, _text(name, notebook, parameters))
    return path


def _text(name: str, notebook: str, parameters: dict) -> str:
    rel = f"params/views/{name}.yaml"
    head = (
        f"# A saved view: render it with `partnerbook report --view {rel}`\n"
        f"# or `papermill notebooks/{notebook}.ipynb out.ipynb -f {rel}`.\n"
    )
    body = yaml.safe_dump(
        {NOTEBOOK_KEY: notebook, **parameters}, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
    return head + body


def papermill_parameters(view: View, **overrides: object) -> dict:
    """The parameters to pass to papermill for this view (runner's own keys win)."""
    return {**view.parameters, **{k: v for k, v in overrides.items() if v is not None}}
