"""`partnerbook report` end to end on a 5-partner sample (slow: two runs of real kernels)."""

import csv
import datetime
import html as html_mod
import json
import re
import shutil

import pytest

from partnerbook import cli, numbers, runner

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"


@pytest.fixture(scope="module")
def rendered(small_root):
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTNERBOOK_ROOT", str(small_root))
    status = cli.main(["report", "--jobs", "2", "--timeout", "120"])
    yield small_root / "outputs" / PERIOD, status
    mp.undo()


def _metrics(out):
    with open(out / "metrics.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_partner_has_a_report_and_exit_zero(rendered):
    out, status = rendered
    assert status == 0
    ids = sorted({r["partner_id"] for r in _metrics(out) if r["partner_id"]})
    assert ids == ["P001", "P002", "P003", "P004", "P005"]
    assert sorted(p.name for p in (out / "partners").iterdir()) == [f"{i}.html" for i in ids]
    for name in ("index.html", "goals.html", "story.html", "run.json", "metrics.csv"):
        assert (out / name).exists(), name
    assert (out.parent / "index.html").read_text().count(f'href="{PERIOD}/index.html"') == 1


def test_no_code_prompts_parameters_or_network_in_html(rendered):
    out, _ = rendered
    pages = [*out.glob("*.html"), *(out / "partners").glob("*.html"), out.parent / "index.html"]
    for page in pages:
        text = page.read_text()
        for bad in (
            "In [",
            "In&nbsp;[",
            "Out[",
            "injected-parameters",
            "import partnerbook",
            "from partnerbook",
            "wb = workbook",
            'class="input_area"',
            "jp-InputArea",
        ):
            assert bad not in text, (page.name, bad)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I), page.name
        assert "@import" not in text and "<link" not in text, page.name
    report = (out / "partners" / "P001.html").read_text()
    assert "<script" not in report
    assert len(report.encode()) < 250_000
    assert "data:image" not in report and "<img" not in report  # every chart is inline SVG
    charts = re.findall(r"<svg [^>]*>", report)
    assert len(charts) >= 3  # revenue, win rate, activity (+ categories when revenue)
    assert all('role="img"' in svg and re.search(r'aria-label="[^"]+"', svg) for svg in charts)


def test_numbers_shown_match_metrics_csv(rendered):
    out, _ = rendered
    rows = {(r["partner_id"], r["metric"]): r for r in _metrics(out) if r["breakdown"] == ""}
    for pid in ("P001", "P002", "P003", "P004", "P005"):
        page = (out / "partners" / f"{pid}.html").read_text()
        shown = re.search(
            r'data-metric="revenue"><div class="pb-kpi-label">Revenue</div>'
            r'<div class="pb-kpi-value">([^<]*)</div>',
            page,
        )
        value = rows[(pid, "revenue")]["value"]
        expected = numbers.money(float(value) if value else None, "USD")
        assert shown and html_mod.unescape(shown.group(1)) == expected, pid


def _chart(page: str, name: str) -> str:
    found = re.search(r'<svg [^>]*aria-label="' + re.escape(name) + r'[^"]*"[^>]*>(.*?)</svg>', page, re.S)
    return found.group(1) if found else ""


def _money(label: str) -> float:
    """A compact money tick label read back: '$1.5M' -> 1500000, '$50K' -> 50000, '$0' -> 0."""
    text = html_mod.unescape(label).replace("$", "").replace(",", "").replace("−", "-")
    scale = {"K": 1e3, "M": 1e6}.get(text[-1:], 1.0)
    return float(text.rstrip("KM")) * scale


TAG = re.compile(r"<(path|text)\b([^>]*)>([^<]*)")
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def _elements(svg: str, name: str):
    """(attributes, text) of every `name` element of an SVG, whatever the order of attributes."""
    return [(dict(ATTR.findall(attrs)), text) for tag, attrs, text in TAG.findall(svg) if tag == name]


def _bars(svg: str, colour: str) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of every rectangle filled with `colour` (a bar: four corners and z)."""
    out = []
    for attrs, _ in _elements(svg, "path"):
        points = re.findall(r"[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)", attrs.get("d", ""))
        if (
            f"fill: {colour}" in attrs.get("style", "")
            and len(points) == 4
            and attrs["d"].rstrip().endswith("z")
        ):
            xs, ys = [float(x) for x, _ in points], [float(y) for _, y in points]
            out.append((min(xs), max(ys), max(xs), min(ys)))
    return sorted(out)


def _ticks(svg: str, anchor: str, position: str) -> list[tuple[float, float]]:
    """(position, value) of the money tick labels anchored `anchor` (end: y axis, middle: x)."""
    return [
        (float(a[position]), _money(text))
        for a, text in _elements(svg, "text")
        if f"text-anchor: {anchor}" in a.get("style", "") and re.search(r"\d", text)
    ]


def _scale(ticks) -> float:
    """Value per point along an axis, from its first and last tick labels."""
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    return (v1 - v0) / (p1 - p0)


def test_charts_draw_the_values_of_metrics_csv(rendered):
    """The bars a partner report draws, read back from its SVG, equal that partner's rows of
    metrics.csv: the revenue bars of the period, the prior quarter and a year ago (5th bar
    from the right of 8 quarters, or of the quarters since the partner joined), and the bar of
    every product category."""
    out, _ = rendered
    rows = {(r["partner_id"], r["metric"], r["breakdown"]): r for r in _metrics(out)}
    checked = 0
    for pid in ("P001", "P002", "P003", "P004", "P005"):
        page = (out / "partners" / f"{pid}.html").read_text()
        svg = _chart(page, "Revenue by quarter")
        if not svg:
            row = rows[(pid, "revenue", "")]
            assert (
                re.search(r"No revenue in the (last \w+ quarters|quarter)\.", page)
                and float(row["value"] or 0) == 0
            ), pid
            continue
        ticks = _ticks(svg, "end", "y")
        per_point = -_scale(ticks)  # SVG y grows downwards
        bars = [(y0 - y1) * per_point for _, y0, _, y1 in _bars(svg, "#2b6cb0")]
        # eight quarters, or the quarters since the partner joined (earlier ones are left out, not drawn as 0)
        assert 1 <= len(bars) <= 8, pid
        if len(bars) < 8:
            joined = re.search(r"joined (\d{1,2} [A-Z][a-z]{2} \d{4})", page)  # numbers.date: '16 Feb 2025'
            assert joined, pid
            day = datetime.datetime.strptime(joined.group(1), "%d %b %Y")
            year, month = day.year, day.month
            assert len(bars) == (2026 - year) * 4 + 3 - (month - 1) // 3, (pid, len(bars), joined.group(0))
        row, tolerance = rows[(pid, "revenue", "")], abs(ticks[-1][1] - ticks[0][1]) / 2000
        for back, column in ((1, "value"), (2, "prior_value"), (5, "year_ago_value")):
            if back <= len(bars):
                drawn = bars[-back]
                assert abs(drawn - float(row[column] or 0)) <= tolerance, (pid, column, drawn, row[column])
        checked += 1
        svg = _chart(page, "Revenue by product category")
        if svg:
            ticks = _ticks(svg, "middle", "x")
            widths = sorted((x1 - x0) * _scale(ticks) for x0, _, x1, _ in _bars(svg, "#2f855a"))
            expected = sorted(
                float(r["value"] or 0)
                for (p, m, b), r in rows.items()
                if p == pid and m == "revenue" and b.startswith("product_category=")
            )
            assert len(widths) == len(expected), pid
            assert all(abs(w - e) <= abs(ticks[-1][1]) / 2000 for w, e in zip(widths, expected)), (
                pid,
                widths,
            )
    assert checked >= 2


def _pages(out):
    return [*out.glob("*.html"), *(out / "partners").glob("*.html")]


def test_every_page_is_titled_by_its_heading(rendered):
    out, _ = rendered
    for page in _pages(out):
        text = page.read_text()
        title = html_mod.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
        heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", text, re.S).group(1)
        heading = html_mod.unescape(re.sub(r"<[^>]+>", "", heading)).replace("¶", "").strip()
        assert title == heading and title != "Notebook", (page.name, title, heading)
    assert re.search(r"<title>Partner scorecard: [^<]+</title>", (out / "partners" / "P001.html").read_text())


def test_angle_bracket_placeholders_in_markdown_are_text(rendered):
    out, _ = rendered
    goals = (out / "goals.html").read_text()
    assert "outputs/&lt;period&gt;/targets.csv" in goals and "params/targets/&lt;period&gt;.csv" in goals
    assert "<period>" not in goals


def test_glossary_is_written_and_every_internal_page_links_it(rendered):
    from partnerbook import glossary, metrics

    out, _ = rendered
    page = (out / "glossary.html").read_text()
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert {glossary.anchor(m) for m in metrics.CATALOGUE} <= ids
    for report in [p for p in _pages(out) if p.name not in ("index.html", "glossary.html")]:
        links = re.findall(r'href="([^"#]*glossary\.html)(?:#([^"]*))?"', report.read_text())
        assert links, report.name
        for target, fragment in links:
            assert (report.parent / target).resolve() == (out / "glossary.html").resolve(), report.name
            assert not fragment or fragment in ids, (report.name, fragment)


def test_run_json_records_every_report(rendered):
    out, _ = rendered
    info = json.loads((out / "run.json").read_text())
    assert info["period"] == PERIOD and info["data_fingerprint"]
    assert {"partnerbook", "python", "nbclient", "nbconvert", "papermill"} <= set(info["versions"])
    reports = {r["key"]: r for r in info["reports"]}
    assert {"partner:P001", "partner:P005", "goals", "story"} <= set(reports)
    assert all(r["status"] == "rendered" and r["seconds"] > 0 and r["error"] == "" for r in reports.values())
    assert (out / reports["partner:P001"]["notebook"]).exists()
    executed = json.loads((out / reports["partner:P001"]["notebook"]).read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])


def test_second_run_reuses_unchanged_reports(rendered, small_root, monkeypatch):
    out, _ = rendered
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(small_root))
    before = (out / "partners" / "P001.html").stat().st_mtime_ns
    assert cli.main(["report", "--partners", "P001,P002"]) == 0
    info = json.loads((out / "run.json").read_text())
    assert {r["status"] for r in info["reports"]} == {"reused"}
    assert (out / "partners" / "P001.html").stat().st_mtime_ns == before


def test_one_failing_report_does_not_stop_the_others(rendered, small_root, tmp_path, monkeypatch, capsys):
    out, _ = rendered
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(small_root))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(runner.paths.notebooks(), notebooks)
    nb = json.loads((notebooks / runner.SCORECARD).read_text())
    nb["cells"].insert(
        3,
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "id": "boom",
            "source": 'assert partner_id != "P002", "broken on purpose"',
        },
    )
    (notebooks / runner.SCORECARD).write_text(json.dumps(nb))
    good = (out / "partners" / "P002.html").read_text()
    status = runner.report(partners="P002,P003", jobs=2, notebooks=str(notebooks), force=True, timeout=120)
    assert status == 1
    info = json.loads((out / "run.json").read_text())
    reports = {r["key"]: r for r in info["reports"]}
    assert reports["partner:P003"]["status"] == "rendered"
    failed = reports["partner:P002"]
    assert failed["status"] == "failed" and "broken on purpose" in failed["error"]
    assert failed["cell"]["index"] == 3
    assert (out / "partners" / "P002.html").read_text() == good  # the good one is kept
    assert "report failed" in (out / "index.html").read_text()
    printed = capsys.readouterr().out
    assert "failed: Partner scorecard" in printed and "broken on purpose" in printed
