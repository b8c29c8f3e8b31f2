"""The only way a notebook puts something on the page. Everything is escaped.

Each function returns an `IPython.display.HTML` object: make the call the last
expression of a cell (or pass it to `IPython.display.display`).

    display.heading("Revenue", 2)
    display.paragraph("**{name}** is in the {stage} stage.", name=partner_name, stage=stage)
    display.table(frame, formats={"value": "money"}, currency="USD")
    display.figure(fig, alt="Revenue by quarter, last eight quarters")
    display.kpis([("Revenue", "$1,234", "+12% on prior", "revenue")])
    display.note("No MDF data supplied.")

Text from the data is never markup: `paragraph` turns `**bold**` into bold only in
its template (our own text); the values substituted into it are escaped after that.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from babel.lists import format_list
from IPython.display import HTML

from . import i18n, metrics, numbers
from .i18n import N_, _, pgettext

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _e(value: object) -> str:
    if isinstance(value, i18n.Label):  # stays a Label: '{period:de}' agrees after escaping
        return value.escaped()
    return html.escape("" if value is None else str(value), quote=True)


def heading(text: str, level: int = 2) -> HTML:
    """A section heading (h1..h6); the text is escaped."""
    level = min(max(int(level), 1), 6)
    return HTML(f"<h{level}>{_e(text)}</h{level}>")


def paragraph(text: str, **values: object) -> HTML:
    """A paragraph from our own template `text` (with `**bold**`), data passed as `values`.

    `paragraph("**{name}** won {n} deals.", name=..., n=...)`: the template is escaped and
    its `**bold**` made bold; then every value is escaped and substituted, so text from the
    data can never become markup (its own `**` stays as typed).
    """
    body = _BOLD.sub(r"<strong>\1</strong>", _e(text))
    if values:
        body = body.format(**{k: _e(v) for k, v in values.items()})
    return HTML(f"<p>{body}</p>")


def note(text: str, **values: object) -> HTML:
    """A quiet note, e.g. 'No MDF data supplied.' (same escaping as `paragraph`)."""
    return HTML(paragraph(text, **values).data.replace("<p>", '<p class="pb-note">', 1))


_REASON = re.compile(r"\A— \((.+)\)\Z", re.S)
# a date, an amount, a percentage or a count: one unbreakable token ("2026-07-29", "−$64,400",
# "30 Sep 2026", "30 sept. 2026")
_UNBROKEN = re.compile(r"\A(?:[−+-]?[$€£¥]?\d[\d,.:/−-]*(?:[%×KM]| ?[A-Z]{3})?|\d{1,2} \w{3,5}\.? \d{4})\Z")


def cell(value: object, unit: str | None = None, currency: str = "USD", reason: str = "") -> str:
    """One formatted, escaped table cell: numbers by unit, missing as '—' with a reason.

    A date or number never breaks inside (`<span class="pb-nb">`); the reason of a '— (reason)'
    is a small span of its own that wraps instead of widening a number column (the cell's
    text stays '— (reason)')."""
    if unit:
        text = numbers.by_unit(value, unit, currency, reason=reason)
    elif numbers.is_missing(value) or value is pd.NA or value is pd.NaT:
        text = numbers.missing(reason)
    elif isinstance(value, pd.Timestamp):
        text = numbers.date(value)
    else:
        text = str(value)
    return marked(text)


def marked(text: str) -> str:
    """Cell text escaped, with the spans that keep numbers whole and reasons small."""
    reason = _REASON.match(text)
    if reason:
        return f'{numbers.DASH} <span class="pb-reason">({_e(reason.group(1))})</span>'
    if len(text) <= 32 and _UNBROKEN.match(text):
        return f'<span class="pb-nb">{_e(text)}</span>'
    return _e(text)


def table(
    frame: pd.DataFrame | list[dict],
    formats: Mapping[str, str] | None = None,
    currency: str = "USD",
    *,
    reasons: Mapping[str, str] | None = None,
    caption: str = "",
    sortable: bool = False,
    row_ids: str | None = None,
    numeric: Iterable[str] = (),
) -> HTML:
    """An HTML table of `frame`. `formats` maps a column to a unit (money, rate, count, points,
    days); `reasons` maps a column to the reason shown beside '—' where it is missing.
    Headers and cells are escaped. `row_ids` names a column whose value is put on each row
    as `data-id` (and not shown); `numeric` names preformatted columns to align as numbers.
    `frame` may also be its rows as dicts (column -> value; the columns in the order they first
    appear, a column a row lacks is missing there): what a report builds row by row is shown
    without a DataFrame made and read back."""
    formats, reasons = dict(formats or {}), dict(reasons or {})
    aligned = {**{c: "" for c in numeric}, **formats}
    if isinstance(frame, list):
        columns, records = list(dict.fromkeys(c for record in frame for c in record)), frame
    else:
        columns, records = frame.columns, _records(frame)
    cols = [c for c in columns if c != row_ids]
    head = "".join(f'<th scope="col"{_num_class(c, aligned)}>{_e(c)}</th>' for c in cols)
    rows = []
    for record in records:
        attr = f' data-id="{_e(record[row_ids])}"' if row_ids else ""
        tds = "".join(
            f"<td{_num_class(c, aligned)}>"
            f"{cell(record.get(c), formats.get(c), currency, reasons.get(c, ''))}</td>"
            for c in cols
        )
        rows.append(f"<tr{attr}>{tds}</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    klass = "pb-table sortable" if sortable else "pb-table"
    return HTML(
        f'<div class="pb-table-wrap"><table class="{klass}">{cap}<thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


_HEADINGS = re.compile(r'<th scope="col"[^>]*>(.*?)</th>')
_ROW = re.compile(r"(<tr[^>]*>)(.*?)(</tr>)")


def cards(table: HTML) -> HTML:
    """A `table` too wide for a phone, as cards there (the page CSS, `.pb-stack` under 40rem):
    each row a card, each cell headed by its column's name; on a wider screen the same table.
    The cells gain `data-label` (the column's heading, already escaped) in the table's body.
    One function for every page: the goals page, the partner page and its partner edition."""
    page = table.data.replace('<table class="pb-table', '<table class="pb-table pb-stack', 1)
    head, sep, body = page.partition("<tbody>")
    labels = _HEADINGS.findall(head)

    def row(m: re.Match) -> str:
        cells = iter(labels)
        return (
            m.group(1)
            + re.sub(r"<td", lambda _m: f'<td data-label="{next(cells, "")}"', m.group(2))
            + m.group(3)
        )

    return HTML(head + sep + _ROW.sub(row, body))


def _records(frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")`, the same values (numpy scalars as Python's), in a
    third of its time on the small tables of a report (one conversion, not one per column)."""
    if any(getattr(dtype, "na_value", None) is pd.NA for dtype in frame.dtypes):
        return frame.to_dict("records")  # it gives None for their NA: keep its way
    columns = frame.columns.tolist()
    return [dict(zip(columns, map(_native, row))) for row in frame.to_numpy(dtype=object)]


def _native(value):
    """A numpy number or bool as Python's (what to_dict gives); anything else as it is."""
    return value.item() if isinstance(value, (np.integer, np.floating, np.bool_)) else value


def _num_class(column: str, formats: Mapping[str, str]) -> str:
    return ' class="num"' if column in formats else ""


def figure(fig, alt: str, *, dpi: int = 72) -> HTML:
    """A matplotlib figure as inline SVG (text kept as text) named by `alt`; closes the figure.

    The SVG is `role="img"` with `alt` as its accessible name (`aria-label` and a `<title>`,
    a tooltip too); the visible caption says the same and is hidden from screen readers so
    they read it once. A chart from `charts` with nothing to draw comes back as its sentence
    (e.g. "No revenue in the last eight quarters.") instead of an empty chart."""
    from . import charts

    sentence = charts.empty(fig)
    try:
        if not sentence:
            buf = io.StringIO()
            # charts.py lays its own figures out (one paint instead of a measuring pass too)
            tight = None if getattr(fig, "partnerbook_fixed_layout", False) else "tight"
            charts.theme()
            fig.savefig(buf, format="svg", dpi=dpi, bbox_inches=tight, metadata={"Date": None})
    finally:
        _close(fig)
    if sentence:
        return note(sentence)
    svg = svg_inline(buf.getvalue(), alt)
    return HTML(
        f'<figure class="pb-figure">{svg}<figcaption aria-hidden="true">{_e(alt)}</figcaption></figure>'
    )


def _close(fig) -> None:
    """Close a pyplot figure (a figure made without pyplot has nothing to close)."""
    if getattr(fig.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)


_SVG_HEAD = re.compile(r"\A.*?(?=<svg\b)", re.S)
_SVG_META = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SVG_ID = re.compile(r'\s(?:id)="([^"]*)"')
_SVG_REF = re.compile(r'(?:url\(#|href="#)([^)"]+)')
_SVG_TAG = re.compile(r"<[^<>]+>")
_SVG_FLOAT = re.compile(r"(\d\.\d{2})\d+")
_SVG_NOOP = re.compile(r' transform="rotate\(-?0 [^)"]*\)"')


def svg_inline(svg: str, alt: str) -> str:
    """matplotlib's SVG document as an element to put in a page: no XML prologue or metadata,
    ids only where something refers to them and made unique to this chart (many charts share
    a page), coordinates to 1/100 point, named by `alt`."""
    svg = _SVG_META.sub("", _SVG_HEAD.sub("", svg, count=1), count=1)
    used = set(_SVG_REF.findall(svg))
    prefix = "c" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:8] + "-"
    svg = _SVG_ID.sub(lambda m: f' id="{prefix}{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = _SVG_REF.sub(lambda m: m.group(0)[: -len(m.group(1))] + prefix + m.group(1), svg)
    svg = _SVG_TAG.sub(lambda m: _SVG_NOOP.sub("", _SVG_FLOAT.sub(r"\1", m.group(0))), svg)
    svg = re.sub(r">\s+<", "><", svg)
    head_end = svg.index(">") + 1
    return (
        svg[: head_end - 1] + f' role="img" aria-label="{_e(alt)}" class="pb-chart"{_min_width(svg)}>'
        f"<title>{_e(alt)}</title>" + svg[head_end:]
    )


_SVG_WIDTH = re.compile(r'\A<svg\b[^>]*?\swidth="([\d.]+)pt"')
_SVG_FONT = re.compile(r"font-size: ([\d.]+)px")
READABLE_PX = 9.25  # the smallest text of a chart is drawn at least this big on a phone


def _min_width(svg: str) -> str:
    """The width below which the chart's smallest text would fall under READABLE_PX, as
    `--pb-min` (the stylesheet makes it the chart's min-width: a narrower screen scrolls the
    figure instead of shrinking its text)."""
    width, sizes = _SVG_WIDTH.search(svg), [float(s) for s in _SVG_FONT.findall(svg)]
    if not width or not sizes or min(sizes) <= 0:
        return ""
    return f' style="--pb-min: {math.ceil(float(width.group(1)) * READABLE_PX / min(sizes))}px"'


def kpis(items: Iterable[tuple]) -> HTML:
    """Headline figures: (label, value text, delta text[, metric name[, peer text]]) each.

    The metric name, when given, is written as `data-metric` so tests can find the number;
    the peer text (e.g. 'Peer median: $12,000') is a quiet line under the delta."""
    cards = []
    for item in items:
        label, value, delta = item[0], item[1], item[2] if len(item) > 2 else ""
        metric = f' data-metric="{_e(item[3])}"' if len(item) > 3 and item[3] else ""
        peer = f'<div class="pb-kpi-peer">{_e(item[4])}</div>' if len(item) > 4 and item[4] else ""
        cards.append(
            f'<div class="pb-kpi"{metric}><div class="pb-kpi-label">{_e(label)}</div>'
            f'<div class="pb-kpi-value">{_e(value)}</div>'
            f'<div class="pb-kpi-delta">{_e(delta)}</div>{peer}</div>'
        )
    return HTML(f'<div class="pb-kpis">{"".join(cards)}</div>')


def chips(items: Iterable[str], label: str = "") -> HTML:
    """A short list shown as chips (e.g. the company's values); `label` names it for screen readers."""
    aria = f' aria-label="{_e(label)}"' if label else ""
    lis = "".join(f"<li>{_e(item)}</li>" for item in items)
    return HTML(f'<ul class="pb-values"{aria}>{lis}</ul>') if lis else HTML("")


def quotes(texts: Iterable[tuple[str, str]]) -> HTML:
    """Stories and comments as block quotes: (text, attribution) each, all escaped."""
    blocks = [f"<blockquote><p>{_e(text)}</p><footer>{_e(who)}</footer></blockquote>" for text, who in texts]
    return HTML(f'<div class="pb-quotes">{"".join(blocks)}</div>')


def absent_names() -> dict[str, str]:
    """The optional tables a reader may miss, named as the absent-data note lists them."""
    return {
        "deal_registrations": pgettext("absent data", "deal registration"),
        "leads": pgettext("absent data", "lead distribution"),
        "trials": pgettext("absent data", "trial"),
        "engagements": pgettext("absent data", "engagement (training, webinar, certification, event)"),
        "portal_activity": pgettext("absent data", "partner portal"),
        "business_plans": pgettext("absent data", "business plan"),
        "mdf": pgettext("absent data", "MDF"),
        "stories": pgettext("absent data", "story"),
        "surveys": pgettext("absent data", "survey"),
    }


def absent(dataset) -> HTML:
    """A note naming the optional tables the source did not supply, e.g. 'No engagement or
    MDF data supplied: the figures built on them are left out, not shown as zero.'"""
    gone = set(getattr(dataset, "absent", ()) or ())
    names = [name for table, name in absent_names().items() if table in gone]
    said = derived(dataset)
    if not names:
        return said
    listed = format_list(names, style="or", locale=i18n.current())
    return join(
        note(
            _("No {listed} data supplied: the figures built on them are left out, not shown as zero."),
            listed=listed,
        ),
        said,
    )


def derived(dataset) -> HTML:
    """A note for each figure the workbook derived because the source did not give it, e.g. new
    logos from account history when the opportunities carry no is_new_logo values."""
    found = metrics.derived(dataset)
    return join(*(note(_(DERIVED.get(m, WORKED_OUT)), label=metrics.label(m)) for m in found))


WORKED_OUT = N_("{label}: worked out by the workbook.")


DERIVED = {
    "new_logos": N_(
        "{label} are worked out from account history, as the data does not mark them: a won "
        "deal is a new logo when its customer had no earlier won deal, through any partner or "
        "direct; a deal without a customer account never is."
    )
}


def link(text: str, href: str) -> HTML:
    """A link to another report (a relative path we built, never one from the data)."""
    if re.match(r"^\s*[a-z][a-z0-9+.-]*:", href, re.I):
        raise ValueError(f"link: only relative links are allowed, got {href!r}")
    return HTML(f'<p><a href="{_e(href)}">{_e(text)}</a></p>')


def join(*parts: HTML) -> HTML:
    """Several display results as one (a cell shows only its last expression)."""
    return HTML("".join(part.data for part in parts if part is not None and part.data))
