"""Imports point down the layers pyproject.toml declares (import-linter; `make lint` runs it).

Here: every module has a layer, the order is the one docs/architecture.md explains, and the
check fails on a planted upward import, inside a function or under TYPE_CHECKING alike.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "partnerbook"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract(kind: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["type"] == kind)


def _layers() -> list[list[str]]:
    return [
        [m.strip().strip("()") for m in layer.replace("|", ":").split(":")]
        for layer in _contract("layers")["layers"]
    ]


def test_every_module_has_a_layer():
    placed = [m for layer in _layers() for m in layer]
    modules = {p.stem for p in LIB.glob("*.py") if p.stem != "__init__"} | {
        p.parent.name for p in LIB.glob("*/__init__.py")
    }
    assert sorted(modules - set(placed)) == []
    assert len(placed) == len(set(placed)), "a module in two layers"


def test_the_layers_run_from_the_command_line_down_to_errors():
    index = {m: i for i, layer in enumerate(_layers()) for m in layer}
    order = [
        "cli",
        "runner",
        "render",
        "workbook",
        "scorecard",
        "goals",
        "metrics",
        "importer",
        "sources",
        "tables",
    ]
    assert [index[m] for m in order] == sorted(index[m] for m in order)
    assert len({index[m] for m in order}) == len(order)
    for same in (
        ("scorecard", "narrative", "widgets"),
        ("goals", "targets", "lifecycle", "portfolio"),
        ("sources", "store", "schema"),
        ("tables", "periods", "params", "numbers", "paths", "files", "errors"),
    ):
        assert len({index[m] for m in same}) == 1, same
    assert index["charts"] > index["goals"] and index["display"] > index["goals"]  # goals draws
    assert index["membership"] == index["glossary"] == index["periods"]


def _lint(lib: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(lib)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_check_passes_on_the_code_and_fails_on_a_planted_upward_import(tmp_path):
    assert _lint(ROOT / "lib").returncode == 0
    lib = tmp_path / "lib"
    shutil.copytree(LIB, lib / "partnerbook", ignore=shutil.ignore_patterns("__pycache__"))
    metrics = lib / "partnerbook" / "metrics.py"
    metrics.write_text(
        metrics.read_text() + "\n\ndef _planted():\n    from . import runner\n    return runner\n"
    )
    tables = lib / "partnerbook" / "tables.py"
    tables.write_text(
        tables.read_text() + "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from .workbook import Workbook\n"
    )
    done = _lint(lib)
    assert done.returncode != 0
    assert "partnerbook.metrics is not allowed to import partnerbook.runner" in done.stdout
    assert "partnerbook.tables is not allowed to import partnerbook.workbook" in done.stdout
