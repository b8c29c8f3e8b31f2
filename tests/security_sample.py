"""A small hostile programme for the isolation, escaping, browser and secrets tests.

Six partners cut from the seeded sample, renamed so that names and ids are substrings of
each other (P1 "Acme", P11 "Acme Systems", P2 "Acme Systems Group") and so that the data
carries every kind of hostile text: HTML and script, `javascript:` links, Markdown, `$$math$$`
(matplotlib mathtext), a 5,000-character string, right-to-left text and emoji. Partner P5
("Globex") has a story that names another partner ("Acme Systems"): its report must fail the
isolation check and not be published.

`rendered(tmp_path_factory)` renders it once per test session (every test module shares the
result) through `partnerbook report` in a subprocess, with a database URL holding a password
and a token as `--data` (a tiny stand-in loader serves it: see SITE below), and returns the
root, exit status and output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PERIOD = "2026-Q3"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">click me</a>'
MD_LINK = "**[x](javascript:alert(1))**"
MATH = "$$\\frac{1}{0}$$ and $\\nocommand{x}$"
RTL = "شريك موثوق ✦ שותף אמין"
EMOJI = "🚀🤝🏽👩‍💻"
LONG = ("lorem ipsum " * 417)[:5000]
HOSTILE = (SCRIPT, IMG, JS_LINK, MD_LINK, MATH, RTL, EMOJI)

# P3 and P4 (the hostile partners) have won deals in 2026-Q3: their category chart shows hostile labels
IDS = {"P001": "P1", "P002": "P11", "P003": "P2", "P008": "P3", "P011": "P4", "P006": "P5"}
NAMES = {
    "P1": "Acme",
    "P11": "Acme Systems",
    "P2": "Acme Systems Group",
    "P3": f"Evil {SCRIPT} Ltd",
    "P4": f"{IMG} {RTL} {EMOJI}",
    "P5": "Globex",
}
LEAKER, LEAKED = "P5", "Acme Systems"

# secrets that must never reach an output: a password in the data URL, a token in its query
PASSWORD, TOKEN = "hunter2-s3cret", "tok-9f8e7d6c5b"
DATA_URL = f"postgresql://analyst:{PASSWORD}@db.example.invalid:5432/crm?token={TOKEN}"

# A stand-in for the SQL source: `importer.load` of DATA_URL reads the store named in
# $PB_TEST_STORE (and $PB_TEST_NOTEBOOKS replaces the notebooks folder) (the runner computes everything in the parent and passes the notebooks a
# context, so this is the only place the URL is used).
SITE = """
import os
if os.environ.get("PB_TEST_NOTEBOOKS"):
    from pathlib import Path
    from partnerbook import paths
    paths.notebooks = lambda: Path(os.environ["PB_TEST_NOTEBOOKS"])
if os.environ.get("PB_TEST_STORE"):
    from partnerbook import importer, store
    _load = importer.load
    def load(data=None, mapping=None):
        if str(data or "").startswith("postgresql://"):
            return store.read(os.environ["PB_TEST_STORE"])
        return _load(data, mapping)
    importer.load = load
"""


def tables() -> dict[str, pd.DataFrame]:
    from partnerbook import sample

    raw = sample.generate(partners=12, seed=7)
    out = {}
    for name, frame in raw.items():
        if "partner_id" in frame:
            frame = frame[frame["partner_id"].isna() | frame["partner_id"].isin(IDS)]
            frame = frame.assign(partner_id=frame["partner_id"].map(IDS).where(frame["partner_id"].notna()))
        out[name] = frame.reset_index(drop=True)
    return _hostile(out)


def _hostile(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    partners = t["partners"].assign(name=lambda f: f["partner_id"].map(NAMES))
    partners["account_manager"] = partners["account_manager"].astype(object)
    partners.loc[partners["partner_id"] == "P3", "account_manager"] = f"{IMG} {JS_LINK}"
    partners.loc[partners["partner_id"] == "P4", "account_manager"] = f"{MD_LINK} {RTL}"
    t["partners"] = partners

    opps = t["opportunities"].copy()
    mine = opps.index[opps["partner_id"].isin(["P3", "P4"])]
    for i, idx in enumerate(mine):
        opps.loc[idx, "product_category"] = (f"{SCRIPT} {MATH}", f"{IMG} {RTL}", f"{MD_LINK} {EMOJI}")[i % 3]
        opps.loc[idx, "sku"] = f"SKU {SCRIPT}"
    t["opportunities"] = opps

    texts = [*HOSTILE, LONG, f"{MD_LINK} {MATH} {RTL} {EMOJI} {SCRIPT}"]
    day = pd.Timestamp("2026-08-01")
    story_rows = [
        {
            "story_id": f"HS{i}",
            "partner_id": pid,
            "told_on": day + pd.Timedelta(days=i),
            "author": f"{IMG} author",
            "kind": "quote",
            "text": text,
        }
        for i, (pid, text) in enumerate(
            [
                *(("P3", x) for x in texts[:4]),
                *(("P4", x) for x in texts[4:]),
                (None, f"Programme-wide: {SCRIPT} {RTL}"),
            ]
        )
    ]
    story_rows.append(
        {
            "story_id": "LEAK",
            "partner_id": LEAKER,
            "told_on": day,
            "author": "Sam",
            "kind": "win_story",
            "text": f"We beat {LEAKED} in the bake-off.",
        }
    )
    t["stories"] = pd.concat([t["stories"], pd.DataFrame(story_rows)], ignore_index=True)

    survey_rows = [
        {
            "response_id": f"HV{i}",
            "partner_id": pid,
            "answered_on": day + pd.Timedelta(days=i),
            "respondent": f"{SCRIPT}",
            "score": 3,
            "comment": text,
        }
        for i, (pid, text) in enumerate([("P3", f"{JS_LINK} {LONG[:300]}"), ("P4", f"{MATH} {EMOJI}")])
    ]
    t["surveys"] = pd.concat([t["surveys"], pd.DataFrame(survey_rows)], ignore_index=True)
    return t


def make_root(root: Path) -> Path:
    """A project root with params/, notebooks/ and the hostile store (not the sample path:
    the report reads it through DATA_URL)."""
    from partnerbook import store

    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "params", root / "params")
    _one_audience(root / "params" / "program.yaml")
    store.write(root / "data" / "hostile.duckdb", tables(), {"source": "test", "end": "2026-09-30"})
    site = root / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITE)
    return root


def _one_audience(path: Path) -> None:
    """Keep the first audience only (each one is another story to render: time)."""
    import yaml

    program = yaml.safe_load(path.read_text(encoding="utf-8"))
    program["reporting"]["audiences"] = program["reporting"]["audiences"][:1]
    path.write_text(yaml.safe_dump(program, sort_keys=False, allow_unicode=True), encoding="utf-8")


def env(root: Path) -> dict:
    return {
        **os.environ,
        "PARTNERBOOK_ROOT": str(root),
        "PB_TEST_STORE": str(root / "data" / "hostile.duckdb"),
        "PYTHONPATH": os.pathsep.join([str(root / "site"), os.environ.get("PYTHONPATH", "")]),
        "PYTHONWARNINGS": "ignore",
    }


def report(root: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "partnerbook", "report", "--data", DATA_URL, *args],
        env=env(root),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


_RENDERED: dict = {}


def rendered(tmp_path_factory):
    """(root, completed process) of one report run of the hostile sample, once per session."""
    if "run" not in _RENDERED:
        root = make_root(tmp_path_factory.mktemp("hostile"))
        _RENDERED["run"] = (root, report(root, "--jobs", "2", "--timeout", "120"))
    return _RENDERED["run"]


def html_outputs(root: Path) -> list[Path]:
    out = root / "outputs"
    return sorted(p for p in out.rglob("*.html") if ".partnerbook" not in p.parts)
