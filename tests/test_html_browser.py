"""Every HTML output of the hostile sample opened in headless Chromium.

No console error, no network request (only the file itself and data: URIs), every image
decoded, no injected element or script in the DOM, the hostile text shown as text, no
dialog (alert) opened. A screenshot of every page goes to outputs/screenshots/ of the test
root and of the repository (git-ignored) for people to look at.
"""

import shutil

import pytest

import security_sample as hs

pytestmark = pytest.mark.slow

DOM_CHECK = """() => {
  const all = Array.from(document.querySelectorAll('*'));
  const handlers = all.filter(el => Array.from(el.attributes).some(a => /^on/i.test(a.name)))
                      .map(el => el.outerHTML.slice(0, 120));
  const jsLinks = Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
      .filter(el => /^\\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src')
                    || el.getAttribute('action') || el.getAttribute('formaction') || ''))
      .map(el => el.outerHTML.slice(0, 120));
  const scripts = Array.from(document.scripts).filter(s => s.type !== 'application/json')
      .map(s => s.src || s.textContent.slice(0, 60));
  const data = Array.from(document.scripts).filter(s => s.type === 'application/json').map(s => s.id);
  const embeds = document.querySelectorAll('iframe,object,embed,frame,base,form,meta[http-equiv]').length;
  const images = Array.from(document.images).map(i => ({src: i.src.slice(0, 30), ok: i.complete && i.naturalWidth > 0}));
  return {handlers, jsLinks, scripts, data, embeds, images, text: document.body.innerText};
}"""


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root, _ = hs.rendered(tmp_path_factory)
    return root


def _open(browser, path, shots):
    """Open `path`; return (DOM facts, console errors, page errors, requests, dialogs)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    errors, crashes, requests, dialogs = [], [], [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: crashes.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(100)
        facts = page.evaluate(DOM_CHECK)
        page.screenshot(path=str(shots / f"{path.parent.name}-{path.stem}.png"), full_page=False)
    finally:
        context.close()
    return facts, errors, crashes, requests, dialogs


def test_every_html_output_in_chromium(root, browser):
    out = root / "outputs"
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    pages = hs.html_outputs(root)
    names = {p.relative_to(out).as_posix() for p in pages}
    assert {
        "index.html",
        f"{hs.PERIOD}/index.html",
        f"{hs.PERIOD}/goals.html",
        f"{hs.PERIOD}/story.html",
        f"{hs.PERIOD}/story-sales.html",
        f"{hs.PERIOD}/partners/P3.html",
    } <= names
    texts = {}
    for path in pages:
        facts, errors, crashes, requests, dialogs = _open(browser, path, shots)
        where = path.relative_to(out).as_posix()
        assert errors == [] and crashes == [] and dialogs == [], (where, errors, crashes, dialogs)
        assert all(u == path.as_uri() or u.startswith("data:") for u in requests), (where, requests)
        assert facts["handlers"] == [] and facts["jsLinks"] == [] and facts["embeds"] == 0, (where, facts)
        dashboard = where.endswith("index.html")
        period_dashboard = where == f"{hs.PERIOD}/index.html"  # its one script, and its words as JSON data
        assert len(facts["scripts"]) == (1 if period_dashboard else 0), (where, facts["scripts"])
        assert facts["data"] == (["pb-words"] if period_dashboard else []), (where, facts["data"])
        if not dashboard:
            assert all(i["ok"] for i in facts["images"]), (where, facts["images"])
        texts[where] = facts["text"]
    p3, p4 = texts[f"{hs.PERIOD}/partners/P3.html"], texts[f"{hs.PERIOD}/partners/P4.html"]
    for hostile in (hs.SCRIPT, hs.IMG, hs.JS_LINK, hs.MD_LINK, hs.NAMES["P3"]):
        assert hostile in p3, hostile
    for hostile in (hs.RTL, hs.EMOJI, hs.MATH, hs.LONG[:200], hs.NAMES["P4"]):
        assert hostile in p4, hostile
    assert (
        hs.NAMES["P3"] in texts[f"{hs.PERIOD}/index.html"]
        and hs.NAMES["P4"] in texts[f"{hs.PERIOD}/index.html"]
    )
    assert len(list(shots.glob("*.png"))) == len(pages)
    keep = hs.REPO / "outputs" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for shot in shots.glob("*.png"):
        shutil.copy2(shot, keep / shot.name)


def test_dashboard_sorts_in_chromium(root, browser):
    """The dashboard's one script works (a click on a heading sorts) and adds no element."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((root / "outputs" / hs.PERIOD / "index.html").as_uri())
        before = page.evaluate("document.querySelectorAll('*').length")
        page.click("th[data-key=name] button")
        names = page.eval_on_selector_all("#pb-partners tbody th", "els => els.map(e => e.dataset.sort)")
        assert names == sorted(names) and len(names) == 6
        assert page.evaluate("document.querySelectorAll('*').length") == before
    finally:
        context.close()


CHARTS = """() => {
  const figures = Array.from(document.querySelectorAll('figure.pb-figure'));
  return {
    title: document.title,
    heading: document.querySelector('h1').innerText.trim(),
    images: document.images.length,
    glossary: (document.querySelector('a.pb-glossary-link') || {}).href || '',
    charts: figures.map(f => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
      const texts = svg ? Array.from(svg.querySelectorAll('text')).map(t => t.getBBox().width) : [];
      return {svg: !!svg, role: svg && svg.getAttribute('role'), label: svg && svg.getAttribute('aria-label'),
              title: svg && svg.querySelector('title') ? svg.querySelector('title').textContent : null,
              caption: f.querySelector('figcaption').textContent,
              hidden: f.querySelector('figcaption').getAttribute('aria-hidden'),
              width: box.width, height: box.height, texts};
    })};
}"""


def test_partner_charts_are_named_svg_and_draw_without_requests(root, browser):
    """A partner report's charts are inline <svg role=img> named by their alt text (aria-label
    and <title>), drawn with text as text, no network request; the page is titled by its heading
    and links the glossary next to it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    path = root / "outputs" / hs.PERIOD / "partners" / "P3.html"
    try:
        page.goto(path.as_uri(), wait_until="load")
        facts = page.evaluate(CHARTS)
    finally:
        context.close()
    assert requests == [path.as_uri()]
    assert facts["title"] == facts["heading"] and facts["title"].startswith("Partner scorecard: ")
    assert facts["images"] == 0 and facts["charts"]
    for chart in facts["charts"]:
        assert chart["svg"] and chart["role"] == "img" and chart["label"], chart
        assert chart["title"] == chart["label"] == chart["caption"] and chart["hidden"] == "true", chart
        assert chart["width"] > 100 and chart["height"] > 50 and chart["texts"] and min(chart["texts"]) > 0, (
            chart
        )
    assert facts["glossary"] == (root / "outputs" / hs.PERIOD / "glossary.html").as_uri()
    assert (root / "outputs" / hs.PERIOD / "glossary.html").exists()


PHONE = """() => {
  const doc = document.documentElement;
  const wraps = Array.from(document.querySelectorAll('.pb-table-wrap'));
  // a table in a collapsed section is not on the screen until the reader opens it
  const wide = wraps.filter(w => !w.closest('details:not([open])') && w.scrollWidth > w.clientWidth + 1);
  const unreachable = [], cues = [], broken = [];
  for (const wrap of wide) {
    cues.push(getComputedStyle(wrap).backgroundImage.split('gradient').length - 1);
    const row = wrap.querySelector('tbody tr');
    if (!row) continue;
    const cells = Array.from(row.children);
    const first = cells[0];
    row.scrollIntoView({block: 'center'});
    for (const cell of cells) {
      // scroll the cell just right of the sticky first column, then look at its middle
      wrap.scrollLeft = Math.max(0, cell.offsetLeft - first.offsetWidth);
      const w = wrap.getBoundingClientRect(), c = cell.getBoundingClientRect(), f = first.getBoundingClientRect();
      const x = Math.min(c.left + c.width / 2, w.right - 2), y = c.top + Math.min(c.height / 2, 8);
      const hit = document.elementFromPoint(x, y);
      const seen = hit && (hit === cell || cell.contains(hit));
      const firstStays = Math.abs(f.left - w.left) < 1.5;
      if (!seen || !firstStays || c.left < w.left - 1) unreachable.push([cell.textContent.slice(0, 40), seen, firstStays]);
    }
    wrap.scrollLeft = 0;
  }
  for (const span of document.querySelectorAll('.pb-nb')) {
    if (span.getClientRects().length > 1 || span.getBoundingClientRect().height > 30) broken.push(span.textContent);
  }
  for (const td of document.querySelectorAll('td.num')) {
    const reason = td.querySelector('.pb-reason');
    if (reason && reason.getBoundingClientRect().width > td.getBoundingClientRect().width + 1) broken.push(td.textContent);
  }
  const fonts = [];
  for (const svg of document.querySelectorAll('svg.pb-chart')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) fonts.push(parseFloat(getComputedStyle(t).fontSize) * scale);
  }
  const nav = document.querySelector('nav.pb-contents');
  const links = nav ? Array.from(nav.querySelectorAll('a')).map(a => a.getAttribute('href').slice(1)) : [];
  const h2 = Array.from(document.querySelectorAll('h2')).map(h => h.id);
  return {sideways: doc.scrollWidth - doc.clientWidth, wide: wide.length, unreachable, cues, broken,
          fonts, links, h2, navFirst: !!nav && nav.getBoundingClientRect().top < document.querySelector('h2').getBoundingClientRect().top};
}"""


def test_pages_on_a_phone_read_without_sideways_scroll(root, browser):
    """At 390 px: the page never scrolls sideways; a wide table keeps its first column in place
    while every other cell of its first row can be scrolled into view inside the table, with a
    shadow as the cue; numbers and dates are one line; a chart shrinks to the phone's width
    (it used to keep a 9 px minimum text and scroll, which hid the current quarter at the
    right): a partner chart, 460.8 units wide with an 8-unit legend, drawn 390 px wide (the
    page's side margins included) writes its smallest text at 8 x 390 / 460.8 = 6.77 px; the
    page opens with a contents list of its sections, hidden in print."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    wide_tables = cards = 0
    try:
        for name in ("partners/P3.html", "partners/P4.html", "goals.html", "story.html"):
            page.goto((root / "outputs" / hs.PERIOD / name).as_uri(), wait_until="load")
            facts = page.evaluate(PHONE)
            assert facts["sideways"] <= 0, (name, facts["sideways"])
            assert facts["unreachable"] == [] and facts["broken"] == [], (
                name,
                facts["unreachable"],
                facts["broken"],
            )
            assert all(n == 4 for n in facts["cues"]), (name, facts["cues"])  # 2 covers + 2 shadows
            wide_tables += facts["wide"]
            cards += page.evaluate("document.querySelectorAll('table.pb-stack').length")
            if name.startswith("partners/"):
                assert facts["fonts"] and min(facts["fonts"]) >= 6.77, (name, sorted(facts["fonts"])[:3])
            assert facts["navFirst"] and facts["links"] == facts["h2"] and len(facts["links"]) >= 2, (
                name,
                facts,
            )
            page.emulate_media(media="print")
            assert (
                page.evaluate("getComputedStyle(document.querySelector('nav.pb-contents')).display") == "none"
            )
            page.emulate_media(media="screen")
        # the phone really does get wide tables: they turn into cards (display.cards) or, the
        # few that stay tables, scroll inside themselves
        assert cards + wide_tables >= 3, (cards, wide_tables)
    finally:
        context.close()
