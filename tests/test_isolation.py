"""A partner's report holds that partner only: names that are substrings of each other
("Acme", "Acme Systems", "Acme Systems Group"; ids P1, P11), a story that names another
partner (the report fails the check and is not published), no peer figures."""

import json
import re

import pandas as pd
import pytest

import security_sample as hs
from partnerbook.render import html as html_mod

pytestmark = pytest.mark.slow
PUBLISHED = ("P1", "P11", "P2", "P3", "P4")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root, proc = hs.rendered(tmp_path_factory)
    return root / "outputs" / hs.PERIOD, proc


def _visible(path) -> str:
    return html_mod.visible_text(path.read_text(encoding="utf-8"))


def _others_in(text: str, pid: str) -> list[str]:
    """Other partners' names and ids as whole words, after masking this partner's own name:
    written out here by hand, longest first, so 'Acme Systems Group' is not read as 'Acme'."""
    text = text.replace(hs.NAMES[pid], " ")
    found = []
    for other, name in sorted(hs.NAMES.items(), key=lambda kv: -len(kv[1])):
        if other == pid:
            continue
        if name in text:
            found.append(name)
            text = text.replace(name, " ")
        if re.search(rf"(?<!\w){other}(?!\w)", text):
            found.append(other)
    return found


def test_leaking_report_is_failed_and_not_published(run):
    out, proc = run
    assert proc.returncode == 1, proc.stderr[-2000:]
    info = {r["key"]: r for r in json.loads((out / "run.json").read_text())["reports"]}
    leak = info[f"partner:{hs.LEAKER}"]
    assert leak["status"] == "failed" and "isolation check" in leak["error"] and hs.LEAKED in leak["error"]
    assert not (out / "partners" / f"{hs.LEAKER}.html").exists()
    assert not (out / "for-partners" / f"{hs.LEAKER}.html").exists()
    assert not (out / "notebooks" / f"partner-{hs.LEAKER}.ipynb").exists()
    failed = json.loads((out / "notebooks" / "failed" / f"partner-{hs.LEAKER}.ipynb").read_text())
    first = failed["cells"][0]
    assert first["cell_type"] == "markdown" and first["metadata"]["tags"] == ["partnerbook-error"]
    assert "".join(first["source"]).startswith("This report failed: isolation check: other partners found")
    assert "failed: Partner scorecard: Globex: isolation check" in proc.stdout
    dashboard = (out / "index.html").read_text()
    assert f'href="partners/{hs.LEAKER}.html"' not in dashboard and "report failed" in dashboard


def test_every_published_report_holds_only_its_partner(run):
    """Both editions: the account manager's (partners/) and the partner's (for-partners/)."""
    out, _ = run
    for folder in ("partners", "for-partners"):
        assert sorted(p.stem for p in (out / folder).glob("*.html")) == sorted(PUBLISHED), folder
        for pid in PUBLISHED:
            text = _visible(out / folder / f"{pid}.html")
            assert hs.NAMES[pid] in text, (folder, pid)
            assert _others_in(text, pid) == [], (folder, pid)


def test_executed_partner_notebooks_hold_only_their_partner(run):
    out, _ = run
    for pid in PUBLISHED:
        nb = json.loads((out / "notebooks" / f"partner-{pid}.ipynb").read_text(encoding="utf-8"))
        texts = [
            html_mod.visible_text("".join(o.get("data", {}).get("text/html", "")))
            + "".join(o.get("data", {}).get("text/plain", ""))
            + "".join(o.get("text", ""))
            for c in nb["cells"]
            for o in c.get("outputs", [])
        ]
        assert _others_in(" ".join(texts), pid) == [], pid


def test_peer_figures_only_over_enough_partners(run):
    """Peer figures need at least program.peer_minimum (5) partners. In this sample the largest
    tier has 3 partners (Silver: P11, P3, P4), so every peer comparison says there are too few."""
    out, _ = run
    for pid in PUBLISHED:
        text = " ".join(_visible(out / "partners" / f"{pid}.html").split()).lower()
        for word in ("median", "average of", "rank "):
            assert word not in text, (pid, word)
        shown = re.findall(r"peers?: ([^$\d]{0,40})", text)
        assert all(s.startswith("too few peers to compare") for s in shown), (pid, shown)


def test_names_check_with_substring_names():
    partners = pd.DataFrame(
        {"partner_id": ["P1", "P11", "P2"], "name": ["Acme", "Acme Systems", "Acme Systems Group"]}
    )
    names = html_mod.Names(partners)
    own = "<h1>Acme Systems Group</h1><p>P2 · Gold</p>"
    assert names.leaks(own, "P2") == []
    assert names.leaks("<h1>Acme</h1><p>P1 and P11</p>", "P1") == ["P11"]
    assert names.leaks("<h1>Acme</h1><p>beat Acme Systems.</p>", "P1") == ["Acme Systems"]
    assert names.leaks("<p>Acme Systems Group, not Acme</p>", "P11") == ["Acme", "Acme Systems Group"]
    assert names.leaks("<p>ACME&nbsp;systems\n</p>", "P1") == ["Acme Systems"]  # case, spacing
    assert names.leaks("<p>Acme\n  Systems Group</p>", "P1") == ["Acme Systems Group"]
    twins = html_mod.Names(pd.DataFrame({"partner_id": ["P1", "P7"], "name": ["Acme", "Acme"]}))
    assert twins.leaks("<h1>Acme</h1>", "P1") == [] and twins.leaks("<p>P7</p>", "P1") == ["P7"]
    assert names.leaks('<img alt="P2 revenue" src="data:,">', "P1") == ["P2"]


@pytest.mark.parametrize(
    ("page", "values"),
    [
        ('<img alt="Acme logo" title="T">', ["Acme logo", "T"]),
        ('<i data-alt="x" alt="y">', ["x", "y"]),  # "-" is not a word character: data-alt counts
        ('<i xalt="no" subtitle="no">', []),
        ('<IMG ALT="Upper" Title="Mixed">', ["Upper", "Mixed"]),
        ('<i title="a alt=" b">', ["a alt="]),  # an attribute's value hides what it contains
        ('<i aria-label = "spaced">', ["spaced"]),
        ('İstanbul <i title="dotted">', ["dotted"]),  # "İ" lower-cased is two characters long
    ],
)
def test_the_attributes_a_reader_sees_are_read_whole_and_in_order(page, values):
    assert html_mod._attributes(page) == values
