"""The dashboards: outputs/<period>/index.html (a sortable row per partner, links to every
report, failed reports listed) and outputs/index.html (every period rendered).

Plain HTML built here with everything escaped, the project stylesheet inlined and a few
lines of inline script to sort the table: no request to any network.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from .. import numbers
from . import html as html_mod

LEADING = (("deals_registered", "Deals registered"), ("trainings_attended", "Trainings"))
LAGGING = (("revenue", "Revenue"), ("win_rate", "Win rate"), ("pipeline", "Pipeline"))
SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.setAttribute('tabindex', '0');
    function sort() {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      function key(r) { var c = r.cells[col]; var v = c.getAttribute('data-sort');
        return v === null ? c.textContent.trim().toLowerCase() : (v === '' ? null : parseFloat(v)); }
      rows.sort(function (a, b) { var x = key(a), y = key(b);
        if (x === null) return 1; if (y === null) return -1;
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
  });
});
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str, script: bool = False) -> str:
    js = f"<script>{SORT_JS}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>\n{html_mod.css()}\n</style>\n</head>\n"
            f'<body>\n<main class="pb-report">\n{body}\n</main>\n{js}\n</body>\n</html>\n')


def _value(metrics: pd.DataFrame, pid: str, metric: str) -> float | None:
    rows = metrics[(metrics["partner_id"] == pid) & (metrics["metric"] == metric)
                   & (metrics["breakdown"].fillna("") == "")]
    return None if rows.empty or pd.isna(rows["value"].iloc[0]) else float(rows["value"].iloc[0])


def _num(value, unit: str, currency: str) -> str:
    sort = "" if value is None else f"{value:.6g}"
    return f'<td class="num" data-sort="{sort}">{_e(numbers.by_unit(value, unit, currency))}</td>'


def _attainment(attainment: pd.DataFrame | None, pid: str) -> float | None:
    if attainment is None or attainment.empty or "attainment" not in attainment:
        return None
    rows = attainment[(attainment["partner_id"] == pid) & (attainment["metric"] == "revenue")]
    if rows.empty or pd.isna(rows["attainment"].iloc[0]):
        return None
    return float(rows["attainment"].iloc[0])


def period_index(wb, partners: pd.DataFrame, reports: list[dict], links: dict) -> str:
    """The partner dashboard of one period. `reports` are run.json report entries."""
    by_key = {r["key"]: r for r in reports}
    currency, metrics = wb.currency, wb.metrics
    health = wb.health.set_index("partner_id")["health"] if wb.health is not None else pd.Series(dtype=str)
    attainment = wb.attainment
    head = ["Partner", "ID", "Tier", "Region", "Stage", "Health",
            *(label for _, label in LEADING), *(label for _, label in LAGGING), "Revenue attainment", "Report"]
    rows = []
    for p in partners.to_dict("records"):
        pid = str(p["partner_id"])
        report = by_key.get(f"partner:{pid}", {})
        status = report.get("status", "not rendered")
        name = _e(p.get("name") or pid)
        cell = (f'<a href="{_e(report["html"])}">{name}</a>' if status in ("rendered", "reused")
                else f'{name} <span class="pb-failed">(report {_e(status)})</span>')
        tds = [f"<td>{cell}</td>", f"<td>{_e(pid)}</td>", f"<td>{_e(_text(p.get('tier')))}</td>",
               f"<td>{_e(_text(p.get('region')))}</td>", f"<td>{_e(_text(wb.stages.get(pid, '')))}</td>",
               f"<td>{_e(_text(health.get(pid, '')))}</td>"]
        for metric, _ in (*LEADING, *LAGGING):
            unit = "money" if metric in ("revenue", "pipeline") else "rate" if metric == "win_rate" else "count"
            tds.append(_num(_value(metrics, pid, metric), unit, currency))
        tds.append(_num(_attainment(attainment, pid), "rate", currency))
        tds.append(f'<td class="status-{_e(status)}">{_e(status)}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    name = (wb.program.get("program") or {}).get("name", "Partner programme")
    body = [f"<h1>{_e(name)}: {_e(wb.period.name)}</h1>",
            f'<p><a href="../index.html">All periods</a> · {_links(links)}</p>',
            _failed(reports),
            "<h2>Partners</h2>",
            '<p class="pb-note">Click a column heading to sort.</p>',
            '<div class="pb-table-wrap"><table class="pb-table sortable"><thead><tr>'
            + "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
            _summary(reports)]
    return page(f"{name}: {wb.period.name}", "\n".join(b for b in body if b), script=True)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _links(links: dict) -> str:
    """Links to the programme-level reports: {title: (href or None when failed)}."""
    parts = []
    for title, href in links.items():
        parts.append(f'<a href="{_e(href)}">{_e(title)}</a>' if href
                     else f'{_e(title)} <span class="pb-failed">(failed)</span>')
    parts += ['<a href="metrics.csv">metrics.csv</a>', '<a href="run.json">run.json</a>']
    return " · ".join(parts)


def _failed(reports: list[dict]) -> str:
    failed = [r for r in reports if r["status"] == "failed"]
    if not failed:
        return ""
    items = "".join(f"<li><strong>{_e(r['title'])}</strong>: {_e(r['error'])}"
                    + (f" (cell {_e(r['cell'].get('index'))}: <code>{_e(r['cell'].get('source'))}</code>)"
                       if r.get("cell") else "") + "</li>" for r in failed)
    return f'<h2 class="pb-failed">{len(failed)} report(s) failed</h2><ul>{items}</ul>'


def _summary(reports: list[dict]) -> str:
    counts = {s: sum(r["status"] == s for r in reports) for s in ("rendered", "reused", "failed")}
    return f'<p class="pb-note">Reports: {counts["rendered"]} rendered, {counts["reused"]} reused, {counts["failed"]} failed.</p>'


def outputs_index(outputs: Path) -> str:
    """outputs/index.html: every period that has a dashboard, newest first."""
    rows = []
    for folder in sorted((p for p in outputs.iterdir() if (p / "index.html").exists()), reverse=True):
        info = {}
        try:
            info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        reports = info.get("reports", [])
        failed = sum(r.get("status") == "failed" for r in reports)
        rows.append(f'<tr><td><a href="{_e(folder.name)}/index.html">{_e(folder.name)}</a></td>'
                    f'<td>{_e(info.get("finished", ""))}</td><td class="num">{len(reports)}</td>'
                    f'<td class="num">{failed}</td></tr>')
    body = ("<h1>Partner reports</h1><p>Every period rendered.</p>"
            '<div class="pb-table-wrap"><table class="pb-table"><thead><tr><th>Period</th><th>Rendered at</th>'
            '<th class="num">Reports</th><th class="num">Failed</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
    return page("Partner reports", body)
