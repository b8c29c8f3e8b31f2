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


def page(title: str, body: str, script: bool = False, wide: bool = False) -> str:
    js = f"<script>{SORT_JS}</script>" if script else ""
    main = "pb-report pb-wide" if wide else "pb-report"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>\n{html_mod.css()}\n</style>\n</head>\n"
            f'<body>\n<main class="{main}">\n{body}\n</main>\n{js}\n</body>\n</html>\n')


def _values(metrics: pd.DataFrame, wanted) -> dict[tuple[str, str], float]:
    """(partner_id, metric) -> the period's value, for the `wanted` metrics (one pass)."""
    rows = metrics[metrics["metric"].isin(list(wanted)) & (metrics["breakdown"].fillna("") == "")
                   & metrics["partner_id"].notna() & metrics["value"].notna()]
    rows = rows.drop_duplicates(["partner_id", "metric"])
    return dict(zip(zip(rows["partner_id"].astype(str), rows["metric"]), rows["value"].astype(float)))


def _num(value, unit: str, currency: str, reason: str = "", title: str = "") -> str:
    sort = "" if value is None else f"{value:.12g}"
    tip = f' title="{_e(title)}"' if title else ""
    return (f'<td class="num" data-sort="{sort}"{tip}>'
            f'{_e(numbers.by_unit(value, unit, currency, reason=reason))}</td>')


RESULT_STAGES = ("sell", "grow")
STAGE_ORDER = ("recruit", "onboard", "enable", "sell", "grow", "churned")
HEALTH_ORDER = ("at risk", "watch", "healthy")
TOLERANCE = 0.1          # as targets.attainment: within 10% of pace is 'on pace'


def headline_attainment(attainment: pd.DataFrame | None, stages: pd.Series,
                        unavailable: dict | None = None) -> pd.DataFrame:
    """Each partner's headline attainment and pace, and what it is measured on: the revenue
    target for partners in sell or grow, else the mean over its activity targets (targets of
    0 and metrics whose data was not supplied left out).
    Columns: partner_id, basis, attainment, pace (NaN where there is nothing to measure)."""
    cols = ["partner_id", "basis", "attainment", "pace"]
    if attainment is None or attainment.empty or "attainment" not in attainment:
        return pd.DataFrame(columns=cols)
    a = attainment.assign(partner_id=attainment["partner_id"].astype(str))
    stage = a["partner_id"].map(stages.set_axis(stages.index.astype(str))).fillna("").astype(str)
    by_revenue = stage.isin(RESULT_STAGES)
    usable = ((a["target"] > 0) & ~a["metric"].isin(list(unavailable or {}))
              & (~by_revenue | (a["metric"] == "revenue")))
    ids = a["partner_id"].drop_duplicates()
    counted = usable.groupby(a["partner_id"]).sum().reindex(ids).astype(int)
    found = a[usable & a["attainment"].notna()]
    if "pace" not in found:
        found = found.assign(pace=float("nan"))
    means = found.groupby("partner_id")[["attainment", "pace"]].mean().reindex(ids)
    measured = found["partner_id"].value_counts().reindex(ids, fill_value=0)
    revenue_based = by_revenue.groupby(a["partner_id"]).first().reindex(ids)
    basis = ["no target to measure" if not n else "revenue target" if rev
             else f"mean of {k} activity target" + ("" if k == 1 else "s")
             for n, rev, k in zip(measured, revenue_based, counted)]
    return pd.DataFrame({"partner_id": ids.to_numpy(), "basis": basis,
                         "attainment": means["attainment"].to_numpy(),
                         "pace": means["pace"].to_numpy()}, columns=cols)


def _pace_cell(pace) -> str:
    if pace is None or pd.isna(pace):
        return f'<td class="num" data-sort="">{_e(numbers.missing())}</td>'
    word = "ahead" if pace >= 1 + TOLERANCE else "on pace" if pace >= 1 - TOLERANCE else "behind"
    return (f'<td class="num" data-sort="{pace:.6g}">{_e(numbers.percent(pace))} '
            f'<span class="pb-pace-{word.replace(" ", "-")}">{_e(word)}</span></td>')


def _ranked(text: str, order: tuple) -> str:
    rank = order.index(text) if text in order else ""
    return f'<td data-sort="{rank}">{_e(text)}</td>'


def _progress(wb) -> pd.DataFrame | None:
    """Attainment as of the end of the data (pace and projection while the period runs)."""
    from .. import goals, periods
    if wb.targets is None:
        return None
    as_of = min(periods.latest(wb.dataset), wb.period.end)
    if as_of >= wb.period.end and wb.attainment is not None:
        return wb.attainment
    return goals.attainment(wb.targets, wb.metrics, wb.period, as_of=as_of)


def period_index(wb, partners: pd.DataFrame, reports: list[dict], links: dict) -> str:
    """The partner dashboard of one period. `reports` are run.json report entries."""
    by_key = {r["key"]: r for r in reports}
    currency, metrics, unavailable = wb.currency, wb.metrics, dict(wb.unavailable or {})
    health = wb.health.set_index("partner_id")["health"] if wb.health is not None else pd.Series(dtype=str)
    shown = [(m, label) for m, label in (*LEADING, *LAGGING) if m not in unavailable]
    head = headline_attainment(_progress(wb), wb.stages, unavailable).set_index("partner_id")
    values = _values(metrics, [m for m, _ in shown])
    columns = [("Partner", ""), ("ID", ""), ("Tier", ""), ("Region", ""), ("Stage", ""), ("Health", ""),
               *((label, "num") for _, label in shown),
               ("Attainment", "num", ATTAINMENT_TIP), ("Pace", "num", PACE_TIP), ("Report", "")]
    rows = []
    for p in partners.to_dict("records"):
        pid = str(p["partner_id"])
        report = by_key.get(f"partner:{pid}", {})
        status = report.get("status", "not rendered")
        name = _e(p.get("name") or pid)
        edition = (f' · <a class="pb-edition" href="{_e(report["partner_html"])}">partner edition</a>'
                   if report.get("partner_html") else "")       # for-partners/: what the partner may receive
        cell = (f'<a href="{_e(report["html"])}">{name}</a>{edition}' if status in ("rendered", "reused")
                else f'{name} <span class="pb-failed">(report {_e(status)})</span>')
        tds = [f"<td>{cell}</td>", f"<td>{_e(pid)}</td>", f"<td>{_e(numbers.text(p.get('tier')))}</td>",
               f"<td>{_e(numbers.text(p.get('region')))}</td>", _ranked(numbers.text(wb.stages.get(pid, "")), STAGE_ORDER),
               _ranked(numbers.text(health.get(pid, "")), HEALTH_ORDER)]
        for metric, _ in shown:
            unit = "money" if metric in ("revenue", "pipeline") else "rate" if metric == "win_rate" else "count"
            reason = "no closed deals" if metric == "win_rate" else ""
            tds.append(_num(values.get((pid, metric)), unit, currency, reason))
        mine = head.loc[pid] if pid in head.index else None
        value = None if mine is None or pd.isna(mine["attainment"]) else float(mine["attainment"])
        basis = "no targets set" if mine is None else mine["basis"]
        tds.append(_num(value, "rate", currency, reason="no target", title=basis))
        tds.append(_pace_cell(None if mine is None else mine["pace"]))
        tds.append(f'<td class="status-{_e(status)}">{_e(status)}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    name = (wb.program.get("program") or {}).get("name", "Partner programme")
    body = [f"<h1>{_e(name)}: {_e(wb.period.name)}</h1>",
            f'<p><a href="../index.html">All periods</a> · {_links(links)}</p>',
            _failed(reports),
            "<h2>Partners</h2>",
            '<p class="pb-note">Click a column heading to sort (numbers sort as numbers).</p>',
            '<div class="pb-table-wrap"><table class="pb-table sortable"><thead><tr>'
            + "".join(_th(*c) for c in columns)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
            _column_notes(wb, shown, unavailable),
            _summary(reports)]
    return page(f"{name}: {wb.period.name}", "\n".join(b for b in body if b), script=True, wide=True)


ATTAINMENT_TIP = ("Revenue target attainment for partners in sell or grow; for earlier stages the mean "
                  "attainment over the partner's activity targets")
PACE_TIP = "Actual against the share of the target due by the end of the data (on pace: within 10%)"


def _th(label: str, klass: str, tip: str = "") -> str:
    cls = f' class="{klass}"' if klass else ""
    title = f' title="{_e(tip)}"' if tip else ""
    return f'<th scope="col"{cls}{title}>{_e(label)}</th>'


def _column_notes(wb, shown: list, unavailable: dict) -> str:
    """What the columns mean, and which were left out because their data was not supplied."""
    from .. import periods
    end = min(periods.latest(wb.dataset), wb.period.end)
    days = (wb.period.end - wb.period.start).days + 1
    elapsed = min(max((end - wb.period.start).days + 1, 0), days) / days
    labels = ", ".join(label for _, label in shown)
    items = [
        f"<li><strong>{_e(labels)}</strong>: the partner's figures for {_e(wb.period.name)}; "
        "pipeline is the open amount at the period's end.</li>",
        "<li><strong>Attainment</strong>: actual against target. For partners in the sell or grow stage "
        "it is the revenue target; for earlier stages the mean over their activity targets (training, "
        "certification, registrations, portal use, a joint plan). Hover a figure to see which.</li>",
        "<li><strong>Pace</strong>: actual against the part of the target due by the last day of the "
        f"data ({end:%Y-%m-%d}, {_e(numbers.percent(elapsed))} of the period); with the period complete "
        "it equals attainment. On pace means within 10%.</li>",
        "<li><strong>Health</strong>: healthy, watch or at risk, from the programme's rules (falling "
        "activity, no deals, a lapsed plan, low survey scores); sorting puts at risk first.</li>",
    ]
    left_out = [label for m, label in (*LEADING, *LAGGING) if m in unavailable]
    if left_out:
        reasons = sorted({unavailable[m] for m, _ in (*LEADING, *LAGGING) if m in unavailable})
        items.append(f"<li><strong>Not shown</strong>: {_e(', '.join(left_out))} "
                     f"({_e('; '.join(reasons))}).</li>")
    return f'<h3>About the columns</h3><ul class="pb-note">{"".join(items)}</ul>'


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
