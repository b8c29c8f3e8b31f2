"""Bad parameters and options of `partnerbook report`, beyond the importer's catalogue of
malformed files (tests/test_import.py): each ends with one line naming the file (or option),
the place (key, the row of a YAML file) and what was expected, exit status 2, and the store
and outputs byte for byte as they were.

The two catalogues together hold more than 25 malformed inputs (test_catalogue_size).
"""

from pathlib import Path

import pytest
import yaml

import security_sample as hs
from partnerbook import cli

PERIOD = hs.PERIOD


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """The hostile store and a previous run's outputs (synthetic bytes, the lock file a run leaves)."""
    root = hs.make_root(tmp_path_factory.mktemp("badinput"))
    out = root / "outputs" / PERIOD
    for rel, text in {
        "index.html": "<html>dashboard</html>",
        "run.json": "{}",
        "metrics.csv": "a,b\n",
        f"{PERIOD}/index.html": "<html>old</html>",
        f"{PERIOD}/partners/P1.html": "<html>P1</html>",
        ".partnerbook/report.lock": "",
    }.items():
        path = root / "outputs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert out.exists()
    return root


def _tree(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _program(root, tmp_path, change) -> str:
    program = yaml.safe_load((root / "params" / "program.yaml").read_text())
    change(program)
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(program, sort_keys=False))
    return str(path)


def _view(tmp_path, text: str, name="bad-view") -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return str(path)


def _set(path: str, value):
    def change(program):
        node = program
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _rename(section: str, old: str, new: str):
    def change(program):
        node = program[section] if section else program
        node[new] = node.pop(old)

    return change


CASES = {
    # id: (arguments builder, expected pieces of the one line)
    "params top-level key misspelt": (
        lambda r, t: ["--params", _program(r, t, _rename("", "program", "programme"))],
        ["program.yaml", "programme", "program"],
    ),
    "params nested key misspelt": (
        lambda r, t: ["--params", _program(r, t, _rename("program", "currency", "currancy"))],
        ["currancy", "currency"],
    ),
    "negative capacity in params": (
        lambda r, t: ["--params", _program(r, t, _set("targets.defaults.capacity", -0.4))],
        ["capacity", "-0.4"],
    ),
    "capacity above one in params": (
        lambda r, t: ["--params", _program(r, t, _set("targets.by_tier.Gold.capacity", 1.5))],
        ["capacity", "1.5"],
    ),
    "peer minimum not a number": (
        lambda r, t: ["--params", _program(r, t, _set("program.peer_minimum", "five"))],
        ["peer_minimum", "five"],
    ),
    "params file missing": (lambda r, t: ["--params", str(t / "nope.yaml")], ["nope.yaml"]),
    "params file not YAML": (
        lambda r, t: ["--params", _view(t, "program: [\n  name: x\n", "broken")],
        ["broken.yaml"],
    ),
    "unknown partner id": (lambda r, t: ["--partners", "P1,P999"], ["--partners", "P999"]),
    "partner id that is a path": (
        lambda r, t: ["--partners", "../../etc/passwd"],
        ["--partners", "../../etc/passwd"],
    ),
    "partner filter key misspelt": (
        lambda r, t: ["--partners", "tierr=Gold"],
        ["--partners", "tierr=Gold", "expected"],
    ),
    "partner filter matching nobody": (
        lambda r, t: ["--partners", "region=Atlantis"],
        ["--partners", "region=Atlantis"],
    ),
    "period quarter 5": (lambda r, t: ["--period", "2026-Q5"], ["2026-Q5", "expected"]),
    "period month 13": (lambda r, t: ["--period", "2026-13"], ["2026-13", "01-12"]),
    "period unparseable": (lambda r, t: ["--period", "last quarter"], ["last quarter", "expected"]),
    "view key misspelt": (
        lambda r, t: ["--view", _view(t, "notebook: explore\ntierr: Gold\n")],
        ["bad-view.yaml", "tierr", "tier"],
    ),
    "view without notebook": (
        lambda r, t: ["--view", _view(t, "tier: Gold\n")],
        ["bad-view.yaml", "notebook"],
    ),
    "view of unknown notebook": (lambda r, t: ["--view", _view(t, "notebook: nosuch\n")], ["nosuch"]),
    "view value not flat": (
        lambda r, t: ["--view", _view(t, "notebook: explore\ntier: {a: 1}\n")],
        ["tier", "expected"],
    ),
    "data that does not exist": (
        lambda r, t: ["--data", str(t / "missing.duckdb")],
        ["missing.duckdb", "expected"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_report_input_one_line_exit_2_nothing_changed(case, root, tmp_path, monkeypatch, capsys):
    build, pieces = CASES[case]
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(root))
    args = build(root, tmp_path)
    before_out, before_data = _tree(root / "outputs"), _tree(root / "data")
    status = cli.main(
        ["report", "--data", str(root / "data" / "hostile.duckdb"), *args]
        if "--data" not in args
        else ["report", *args]
    )
    err = capsys.readouterr().err.strip()
    assert status == 2, (case, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("partnerbook: "), (case, err)
    for piece in pieces:
        assert piece in lines[0], (case, piece, lines[0])
    assert "Traceback" not in err
    assert _tree(root / "outputs") == before_out, case
    assert _tree(root / "data") == before_data, case


def test_catalogue_size():
    """This file's cases and the importer's catalogue of malformed files: at least 25 together."""
    import test_import

    assert len(CASES) >= 15 and len(test_import.CASES) >= 25
    assert len(CASES) + len(test_import.CASES) >= 40
