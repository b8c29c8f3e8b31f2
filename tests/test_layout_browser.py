"""The rendered pages' layout in headless Chromium, at a phone's 390 px and a laptop's 1280 px
(the reader reviews of 2026-Q3: tables and charts cut off on a phone, table columns clipped
on a laptop, the dashboard's cards on a phone).

At 390 px: the page never scrolls sideways; every chart is at most as wide as its container
(charts shrink, they are not cropped); the dashboard is a list of clean cards. At 1280 px: no
table cell reaches outside its table's box unless that box scrolls, and no table needs to.
"""

import dashboard_programme as dp
import pandas as pd
import pytest
import security_sample as hs
from partnerbook import glossary, i18n
from partnerbook.render import dashboard

pytestmark = pytest.mark.slow

PAGES = ("partners/P3.html", "story.html", "goals.html", "index.html")

PHONE = """() => {
  const charts = Array.from(document.querySelectorAll('figure.pb-figure svg')).map(svg => {
    const figure = svg.closest('figure');
    return {label: (svg.getAttribute('aria-label') || '').slice(0, 60),
            width: svg.getBoundingClientRect().width, room: figure.clientWidth,
            figureRight: figure.getBoundingClientRect().right};
  });
  return {scrollWidth: document.documentElement.scrollWidth, charts};
}"""

# every cell of every table on screen: whether its content, or the cell, reaches outside the
# box the table sits in (its .pb-table-wrap, else its parent), and whether that box scrolls
CELLS = """() => {
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1;
  const out = [];
  for (const table of document.querySelectorAll('table')) {
    if (table.closest('details:not([open])')) continue;
    const box = table.closest('.pb-table-wrap') || table.parentElement;
    const b = box.getBoundingClientRect();
    for (const cell of table.querySelectorAll('th, td')) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const rects = [cell.getBoundingClientRect(), ...Array.from(range.getClientRects())].filter(r => r.width > 0);
      const outside = rects.some(r => r.left < b.left - 1 || r.right > b.right + 1);
      out.push({text: cell.textContent.trim().slice(0, 40), outside, scrolls: scrolls(box),
                table: (table.caption ? table.caption.textContent : '').slice(0, 40)});
    }
  }
  return out;
}"""

CARDS = """() => {
  const heads = Array.from(document.querySelectorAll('#pb-partners thead th'));
  const tops = new Set(heads.map(th => Math.round(th.getBoundingClientRect().top)));
  const row = document.querySelector('#pb-partners thead tr');
  const cards = Array.from(document.querySelectorAll('#pb-partners tbody tr')).map(tr => {
    const r = tr.getBoundingClientRect();
    const name = tr.querySelector('.pb-c-name'), reason = tr.querySelector('.pb-reason1');
    const shown = reason && getComputedStyle(reason).display !== 'none';
    return {
      inside: Array.from(tr.children).every(c => {
        const x = c.getBoundingClientRect();
        return getComputedStyle(c).display === 'none' || (x.left >= r.left - 0.5 && x.right <= r.right + 0.5);
      }),
      nameRule: getComputedStyle(name).boxShadow,
      nameWidth: name.getBoundingClientRect().width / r.width,
      reason: !!shown,
      reasonDash: shown ? getComputedStyle(reason, '::before').content : 'none',
      reasonOwnLine: !shown || Math.abs(reason.getBoundingClientRect().left - tr.querySelector('.pb-c-health').getBoundingClientRect().left) < 1,
    };
  });
  return {label: getComputedStyle(row, '::before').content, rows: tops.size, cards};
}"""


@pytest.fixture(scope="module")
def period(tmp_path_factory):
    root, _ = hs.rendered(tmp_path_factory)
    return root / "outputs" / hs.PERIOD


def _context(browser, width):
    return browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)


def _on_a_phone(browser, page_file, section: str, script: str):
    """`section` alone on a page with the report's stylesheet, read at 390 px by `script`."""
    from partnerbook.render import html as html_mod

    page_file.write_text(
        f"<!doctype html><html lang='en'><head><meta name='viewport' content='width=device-width'>"
        f"<style>{html_mod.css()}</style></head><body><main class='pb-report'><div class='output_html'>"
        f"{section}</div></main></body></html>"
    )
    context = _context(browser, 390)
    page = context.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        return page.evaluate(script)
    finally:
        context.close()


def test_on_a_phone_no_page_scrolls_sideways_and_charts_fit(period, browser):
    context = _context(browser, 390)
    page = context.new_page()
    charts = 0
    try:
        for name in PAGES:
            page.goto((period / name).as_uri(), wait_until="load")
            facts = page.evaluate(PHONE)
            assert facts["scrollWidth"] <= 390, (name, facts["scrollWidth"])
            for chart in facts["charts"]:
                assert chart["width"] <= chart["room"] + 0.5 and chart["figureRight"] <= 390, (name, chart)
            charts += len(facts["charts"])
    finally:
        context.close()
    # the partner page's four charts and the story's revenue waterfall at least
    assert charts >= 5


# every cell of the tables shown as cards on a phone (.pb-stack): its column and right edge
STACKED = """() => Array.from(document.querySelectorAll('table.pb-stack td')).map(td => ({
  label: td.dataset.label || '', text: td.textContent.trim().slice(0, 40),
  left: td.getBoundingClientRect().left, right: td.getBoundingClientRect().right,
  scrollWidth: td.scrollWidth, clientWidth: td.clientWidth}))"""


def test_on_a_phone_the_status_of_goals_registrations_and_actions_is_on_screen(period, browser):
    """The French review of the partner page at 390 px: the goals table showed Target and Actual
    only (a long attainment note pushed Attainment and Status off the screen), the registrations
    lost Amount and Status, the plan Target, Plan to date and Progress. On a phone these tables
    are cards: every cell, the Status cells among them, within the screen and not cut."""
    context = _context(browser, 390)
    page = context.new_page()
    try:
        for name in ("partners/P3.html", "for-partners/P3.html"):
            page.goto((period / name).as_uri(), wait_until="load")
            cells = page.evaluate(STACKED)
            labels = {c["label"] for c in cells}
            assert {"Status", "Attainment", "Amount", "Plan to date", "Progress"} <= labels, (name, labels)
            for c in cells:
                assert c["left"] >= 0 and c["right"] <= 390 and c["scrollWidth"] <= c["clientWidth"] + 1, (
                    name,
                    c,
                )
            assert [c for c in cells if c["label"] == "Status"], name
    finally:
        context.close()


def test_on_a_phone_the_dashboard_is_clean_cards(period, browser):
    """One labelled row of sort buttons (was two orphan lines of headings); each card holds its
    cells; the name has no column rule and the card's width; the health reason is a line of
    its own with no leading dash."""
    context = _context(browser, 390)
    page = context.new_page()
    try:
        page.goto((period / "index.html").as_uri(), wait_until="load")
        facts = page.evaluate(CARDS)
    finally:
        context.close()
    assert facts["label"] == '"Sort by:"'
    assert len(facts["cards"]) == 6
    for card in facts["cards"]:
        assert card["inside"] and card["nameRule"] == "none" and card["nameWidth"] > 0.9, card
        assert card["reasonDash"] == "none" and card["reasonOwnLine"], card
    assert any(card["reason"] for card in facts["cards"])  # a flagged partner's reason is shown


def test_on_a_laptop_no_table_cell_is_clipped(period, browser):
    context = _context(browser, 1280)
    page = context.new_page()
    try:
        for name in PAGES + ("partners/P4.html",):
            page.goto((period / name).as_uri(), wait_until="load")
            cells = page.evaluate(CELLS)
            assert cells, name
            clipped = [c for c in cells if c["outside"] and not c["scrolls"]]
            assert clipped == [], (name, clipped[:5])
            scrolling = {c["table"] for c in cells if c["scrolls"]}
            assert scrolling == set(), (name, scrolling)
    finally:
        context.close()


# the French dashboard of test_dashboard_fr.py, whose longer words overflowed at 1280 px
# ("+77 060 % vs leur propre chiffre d'affaires du T2 2026" on one line) and whose periods
# wrapped between "T2" and "2026"
FR_REPORTS = [
    {
        "key": f"partner:{pid}",
        "kind": "partner",
        "status": "rendered",
        "html": f"partners/{pid}.html",
        "title": pid,
    }
    for pid in ("A1", "B2", "C3", "D4", "F6")
]
NOWRAP = """() => Array.from(document.querySelectorAll('.pb-tile-changes span, .pb-tile-status')).filter(
  el => /T[1-4]\u00a0\\d{4}/.test(el.textContent)).map(el => {
    const range = document.createRange();
    const text = el.lastChild;
    const at = text.textContent.search(/T[1-4]\u00a0\\d{4}/);
    range.setStart(text, at);
    range.setEnd(text, at + 7);
    return range.getClientRects().length;
  })"""


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard-fr-layout")
    (folder / glossary.PAGE).write_text("<html></html>")
    seen = {"2026-Q2": dp.earlier(3, 4), "2025-Q3": dp.earlier(1, 5)}
    with pytest.MonkeyPatch.context() as mp, i18n.using("fr_FR"):
        mp.setattr(dashboard, "_other", lambda wb, period: seen[period.name])
        wb = dp.workbook(end="2026-09-30", won=(("W1", "F6", "2026-09-01", 1_233_067),))
        wb.__dict__["program"] = {**dp.PROGRAM, "program": {"name": "Programme", "currency": "EUR"}}
        dashboard.write(wb, wb.partners, folder, FR_REPORTS)
    return folder / "index.html"


def test_the_french_dashboard_fits_and_keeps_periods_whole(french, browser):
    for width in (1280, 390):
        context = _context(browser, width)
        page = context.new_page()
        try:
            page.goto(french.as_uri(), wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            cells = page.evaluate(CELLS)
            assert [c for c in cells if c["outside"] and not c["scrolls"]] == [], width
            if width == 1280:
                assert not any(c["scrolls"] for c in cells)
            lines = page.evaluate(NOWRAP)
            assert lines and all(n == 1 for n in lines), (width, lines)  # "T2 2026" on one line
        finally:
            context.close()


WATERFALL_FONTS = """() => Array.from(document.querySelectorAll('svg.pb-chart'))
  .filter(svg => (svg.getAttribute('aria-label') || '').startsWith('Waterfall'))
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(...Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
  })"""


def test_on_a_phone_the_waterfalls_write_readable_text(period, browser):
    """The story's revenue waterfall and the goals page's target waterfall were 7- and 8-inch
    matplotlib figures whose 8-point text came out at 4-5 px on a phone; drawn 400 units wide
    with 9-unit text, in a column of at most 390 px, their smallest text is 7 px and more."""
    context = _context(browser, 390)
    page = context.new_page()
    try:
        smallest = {}
        for name in ("story.html", "goals.html"):
            page.goto((period / name).as_uri(), wait_until="load")
            smallest[name] = page.evaluate(WATERFALL_FONTS)
    finally:
        context.close()
    assert len(smallest["story.html"]) >= 1 and len(smallest["goals.html"]) == 1, smallest
    assert min(min(sizes) for sizes in smallest.values()) >= 7.0, smallest


TIER_TABLE = """() => {
  const why = Array.from(document.querySelectorAll('td[data-label="Why"]'));
  const wraps = Array.from(document.querySelectorAll('.pb-table-wrap'));
  return {why: why.map(td => td.getBoundingClientRect().width), right: Math.max(...why.map(td => td.getBoundingClientRect().right)),
          rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
          scrolls: wraps.some(w => w.scrollWidth > w.clientWidth + 1), page: document.documentElement.scrollWidth,
          cut: why.some(td => td.scrollWidth > td.clientWidth + 1)};
}"""


def test_on_a_phone_the_tier_tables_are_cards_and_the_why_is_readable(browser, tmp_path):
    """The goals page's tier tables at 390 px: the Why column was squeezed to three characters,
    then kept 16rem in a table that scrolled sideways. Now each partner that would move is a card
    on a phone, as the partner page's goals: its Why a line of the card at least 16rem wide (224 px
    at the phone's 14 px), nothing cut, no table scrolling, the page not either. Acme would fall
    from Gold (revenue 150 of 300)."""
    from partnerbook import goals

    program = {
        "tiers": {
            "window_quarters": 1,
            "levels": [{"name": "Registered"}, {"name": "Gold", "criteria": {"revenue": 300}}],
        }
    }
    partners = pd.DataFrame(
        {"partner_id": ["A"], "name": ["Acme Distribution"], "tier": ["Gold"], "churned_on": [None]}
    )
    history = pd.DataFrame(
        [{"partner_id": "A", "period": "2026-Q3", "metric": "revenue", "breakdown": "", "value": 150.0}]
    )
    section = goals.tier_section(program, partners, history, "2026-Q3").data
    facts = _on_a_phone(browser, tmp_path / "tiers.html", section, TIER_TABLE)
    assert len(facts["why"]) == 1 and facts["why"][0] >= 16 * 14 - 1, facts
    assert facts["right"] <= 390 and not facts["cut"], facts
    assert not facts["scrolls"] and facts["page"] <= 390, facts


# every table of the goals page, the partners' target workings opened: its box and whether the
# box it sits in scrolls sideways; and whether it is shown as cards (.pb-stack)
GOALS_TABLES = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  return Array.from(document.querySelectorAll('table')).map(table => {
    const r = table.getBoundingClientRect(), wrap = table.closest('.pb-table-wrap');
    return {first: (table.querySelector('th, td') || {textContent: ''}).textContent.trim().slice(0, 30),
            left: r.left, right: r.right, cards: table.classList.contains('pb-stack'),
            scrolls: !!wrap && wrap.scrollWidth > wrap.clientWidth + 1,
            cut: Array.from(table.querySelectorAll('td')).some(td => {
              const x = td.getBoundingClientRect();
              return x.width > 0 && (x.left < -0.5 || x.right > 390.5);
            })};
  });
}"""


def test_on_a_phone_no_table_of_the_goals_page_is_wider_than_the_screen(period, browser):
    """The VP's review of goals.html at 390 px: the objectives, backtest and tier tables scrolled
    sideways. Now no table of the page (the channel, objectives, attainment, backtest, tier tables
    and every partner's target workings, opened) reaches past the screen or scrolls in its box:
    the wide ones are cards, as the partner page's goals are."""
    context = _context(browser, 390)
    page = context.new_page()
    try:
        page.goto((period / "goals.html").as_uri(), wait_until="load")
        tables = page.evaluate(GOALS_TABLES)
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert width <= 390
    wide = [t for t in tables if t["left"] < -0.5 or t["right"] > 390.5 or t["scrolls"] or t["cut"]]
    assert wide == [], wide[:5]
    cards = {t["first"] for t in tables if t["cards"]}
    assert {"objective", "Flag", "Tier", "Partner", "channel goal", "measure"} <= cards, cards


# the partner page's target workings: the table, whether it is cards, and each cell's box
WORKINGS = """() => {
  const table = document.querySelector('table');
  const r = table.getBoundingClientRect(), wrap = table.closest('.pb-table-wrap');
  return {cards: table.classList.contains('pb-stack'), right: r.right, page: document.documentElement.scrollWidth,
          scrolls: !!wrap && wrap.scrollWidth > wrap.clientWidth + 1,
          labels: Array.from(table.querySelectorAll('tbody td')).map(td => td.dataset.label || ''),
          cut: Array.from(table.querySelectorAll('td')).filter(td => {
            const x = td.getBoundingClientRect();
            return x.width > 0 && (x.left < -0.5 || x.right > 390.5 || td.scrollWidth > td.clientWidth + 1);
          }).map(td => td.textContent.trim().slice(0, 40))};
}"""


def test_on_a_phone_the_target_workings_are_cards(browser, tmp_path):
    """The review of the account manager's page at 390 px: the target workings (12 columns: metric,
    baseline, growth, five factors, before rounding, target, where the baseline came from, source)
    ran off the screen. Now each target is a card (display.cards, as the goals page's and the
    partner edition's wide tables): no cell past the screen or cut, no scrolling, the page neither.
    The figures are P013's revenue and win rate of the 2026-Q3 sample, with their long basis words."""
    import test_scorecard as ts
    from partnerbook import scorecard

    frame = pd.DataFrame(
        {
            "partner_id": ["A", "A"],
            "metric": ["revenue", "win_rate"],
            "target": [80_700.0, 0.242386],
            "baseline": [279_220.78, 0.239796],
            "growth": [0.12, 0.12],
            "capacity": [0.33, 1.0],
            "margin_adj": [0.96, 1.0],
            "mix_adj": [0.96, 1.0],
            "attach_adj": [0.94, 1.0],
            "maturity": [0.9025, 0.9025],
            "stage": ["grow", "grow"],
            "source": ["computed", "computed"],
            "basis": ["two years", "two years"],
            "own_weight": [1.0, 1.0],
            "peer_group": ["", ""],
            "peer_size": [0, 0],
            "mean_of": [7, 7],
            "mean_from": ["2024-Q4", "2024-Q4"],
            "mean_to": ["2026-Q2", "2026-Q2"],
        }
    )
    section = scorecard.target_workings(ts.workbook(targets=frame).partner("A")).data
    assert 'class="pb-table pb-stack' in section
    facts = _on_a_phone(browser, tmp_path / "workings.html", section, WORKINGS)
    assert facts["cards"] and facts["cut"] == [], facts
    assert facts["right"] <= 390.5 and not facts["scrolls"] and facts["page"] <= 390, facts
    # every cell headed by its column on the card: 12 a row, two rows
    assert facts["labels"][:3] == ["Metric", "Baseline", "Growth"] and len(facts["labels"]) == 24, facts
