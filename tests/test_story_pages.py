"""The goals page and the story on the sample in Chromium (issue 15 items 6 and 9): the goals
page leads with its finding, uses no ids, fits (under 12,000 px tall at 1,280 px, no sideways
scroll at 1,280 or 390 px); the story's "Next steps" heading is followed by one <li> per step,
each with an owner, a calendar date and what done looks like.

Slow: one real run of the sample for one partner, goals and the stories (about 45-90 s).
"""

import re
import shutil
from pathlib import Path

import pytest

from partnerbook import cli

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
IDS = re.compile(r"\b(?:new_logos|grow_revenue|channel_revenue|deals_registered|launch_ready|win_rate)\b")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(REPO / "params", root / "params")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(root))
    status = cli.main(["report", "--partners", "P001", "--jobs", "2", "--timeout", "180"])
    yield root / "outputs" / "2026-Q3", status
    mp.undo()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_goals_page_leads_with_its_finding_and_fits(out, page, width):
    folder, status = out
    assert status == 0
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((folder / "goals.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1280:
        assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    headings = page.evaluate(
        "Array.from(document.querySelectorAll('h2')).map(h => h.textContent.replace('¶', '').trim())"
    )
    assert headings[0] == "The channel against its goals"
    text = page.evaluate("document.body.innerText")
    assert not IDS.search(text), IDS.search(text)
    # the finding reconciles the actual with the targets, before the objectives' heading (the page's
    # contents list names that heading first)
    finding = text.index("Actual revenue, $9,377,000, beat the goal")
    assert finding < [m.start() for m in re.finditer("Business objectives", text)][-1]
    assert "partner targets set for it add up to" in text[finding : finding + 300]
    assert "68 partners in the programme at its end (30 Sep 2026)." in text
    assert "1 partner left the programme during the period: " in text
    assert page.evaluate("document.querySelectorAll('details').length") > 10
    assert page.evaluate("document.querySelectorAll('a[href=\"targets.csv\"]').length") == 1


def test_every_next_step_has_an_owner_a_date_and_links(out):
    folder, _ = out
    html = (folder / "story.html").read_text(encoding="utf-8")
    after = html.split(">Next steps</h2>", 1)[1]
    steps = re.findall(
        r"<li>(.*?)</li>", re.match(r"\s*(?:<[^>]*>\s*)*?<ul>(.*?)</ul>", after, re.S).group(1), re.S
    )
    assert steps
    for step in steps:
        assert "Owner: " in step and "Due 31 Oct 2026." in step and "Done when " in step, step
        assert "<h" not in step  # (links to partners: a --partners run links only the reports it has;
        # test_story_writing checks them on the whole sample)
