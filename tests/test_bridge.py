"""The revenue bridge on a fixture worked by hand, to the cent.

Partner revenue, 2026-Q2 -> 2026-Q3 (2025-Q3 a year ago):
  P1 Alpha   1,000.10 -> 1,500.35   +500.25    (a year ago   900.00: +600.35)
  P2 Beta      800.00 ->   200.00   -600.00    (a year ago   200.00:    0.00)
  P3 Gamma      50.05 ->    60.00     +9.95    (a year ago    60.00:    0.00)
  P4 Delta       0.00 ->    30.30    +30.30    (a year ago     0.00: +30.30)
  P5 Former    100.00 ->     0.00   -100.00    (left before Q3; a year ago 100.01: -100.01)
Programme: 1,950.15 -> 1,790.65, change -159.50. With the two largest named:
  Beta -600.00, Alpha +500.25, 3 other partners +9.95 + 30.30 - 100.00 = -59.75;
  -600.00 + 500.25 - 59.75 = -159.50 exactly.
A year ago: 1,260.01 -> 1,790.65 = +530.64; named Alpha +600.35, Former -100.01 (the two
largest; Beta and Gamma did not change, so they join the rest), rest = +30.30 + 0 + 0 = +30.30;
600.35 - 100.01 + 30.30 = 530.64.
By segment (programme rows): ENT 1,400.00 -> 1,000.00 (-400.00), SMB 550.15 -> 790.65 (+240.50).

As the story shows them, in whole dollars that add up (each column's parts rounded down, then
a dollar to the largest remainders until the column reaches its rounded total; a change is the
difference of the shown figures):
  against Q2, by partner: before Beta 800.00, Alpha 1,000.10, rest 150.05 = 1,950.15 -> $1,950;
    rounded down 800 + 1,000 + 150 = 1,950, nothing left over. Now Beta 200.00, Alpha 1,500.35,
    rest 90.30 = 1,790.65 -> $1,791; rounded down 200 + 1,500 + 90 = 1,790, one dollar left, to
    the largest remainder (Alpha .35 > rest .30): Alpha $1,501. Changes: Beta -$600, Alpha +$501,
    rest -$60; total -$159 = $1,791 - $1,950.
  against a year ago: before Alpha 900.00, Former 100.01, rest 260.00 (Beta 200 + Gamma 60) =
    1,260.01 -> $1,260, nothing left over; now Alpha 1,500.35, Former 0, rest 290.30 -> $1,791:
    Alpha $1,501 again. Changes +$601, -$100, +$30; total +$531 = $1,791 - $1,260.
  by segment against Q2: before ENT 1,400, SMB 550.15 -> $1,950 (1,400 + 550); now ENT 1,000,
    SMB 790.65 -> $1,791: one dollar left, to SMB (.65): $791. Changes -$400, +$241; total -$159.
"""

import importlib
import re

import pandas as pd

from partnerbook import i18n, narrative, portfolio
from test_narrative import CATALOGUE

ROWS = [  # partner, value, prior, year ago
    ("P1", 1500.35, 1000.10, 900.00),
    ("P2", 200.00, 800.00, 200.00),
    ("P3", 60.00, 50.05, 60.00),
    ("P4", 30.30, 0.0, 0.0),
    ("P5", 0.0, 100.00, 100.01),
]
NAMES = {"P1": "Alpha", "P2": "Beta", "P3": "Gamma", "P4": "Delta", "P5": "Former"}


def metrics():
    recs = [
        {"partner_id": p, "breakdown": "", "value": v, "prior_value": pv, "year_ago_value": ya}
        for p, v, pv, ya in ROWS
    ]
    recs += [
        {
            "partner_id": pd.NA,
            "breakdown": "",
            "value": 1790.65,
            "prior_value": 1950.15,
            "year_ago_value": 1260.01,
        },
        {
            "partner_id": pd.NA,
            "breakdown": "segment=ENT",
            "value": 1000.0,
            "prior_value": 1400.0,
            "year_ago_value": 1000.0,
        },
        {
            "partner_id": pd.NA,
            "breakdown": "segment=SMB",
            "value": 790.65,
            "prior_value": 550.15,
            "year_ago_value": 260.01,
        },
    ]
    return pd.DataFrame(recs).assign(metric="revenue", period="2026-Q3").astype({"partner_id": "string"})


class Names:
    def __getitem__(self, table):
        return pd.DataFrame({"partner_id": list(NAMES), "name": list(NAMES.values())})


def ctx():
    everyone = metrics()
    members = frozenset(["P1", "P2", "P3", "P4"])
    return narrative.Context(
        metrics=everyone.loc[everyone["partner_id"].fillna("").isin(["", *members])],
        all_metrics=everyone,
        members=members,
        program={"reporting": {"bridge_top": 2}},
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=CATALOGUE,
        dataset=Names(),
    )


def test_the_parts_add_up_to_the_change_to_the_cent():
    parts = narrative.revenue_parts(ctx(), "partner", "prior")
    assert list(parts["part"]) == ["Beta", "Alpha", "3 other partners"]
    assert [round(c * 100) for c in parts["change"]] == [-60000, 50025, -5975]
    assert round(parts["change"].sum() * 100) == -15950  # 1,790.65 - 1,950.15
    year = narrative.revenue_parts(ctx(), "partner", "year_ago")
    assert list(year["part"]) == ["Alpha", "Former", "3 other partners"]
    assert [round(c * 100) for c in year["change"]] == [60035, -10001, 3030]
    assert round(year["change"].sum() * 100) == 53064


def test_segments_add_up_and_the_page_says_who_moved_it():
    seg = narrative.revenue_parts(ctx(), "segment", "prior")
    assert list(zip(seg["part"], [round(c * 100) for c in seg["change"]])) == [
        ("ENT", -40000),
        ("SMB", 24050),
    ]
    section = narrative.bridge(ctx())
    text = re.sub(r"<[^>]+>", " ", "".join(section.html))
    # the shown totals are $1,950 (1,950.15) and $1,791 (1,790.65, half up), so the change said is
    # their difference, $159, not the exact 159.50 rounded ($160): the reader can check it
    assert (
        "Partner revenue fell by $159 on 2026-Q2, from $1,950 to $1,791; Beta alone accounts for −$600 of it."
        in re.sub(r"\s+", " ", text)
    )
    assert "Former" in text and '<a href="partners/P5.html">' not in "".join(
        section.html
    )  # named, not linked
    assert '<a href="partners/P2.html">Beta</a>' in "".join(section.html)


def test_bridge_keeps_small_inputs_exact():
    frame = pd.DataFrame(
        {"key": ["a", "b", "c"], "label": ["a", "b", "c"], "now": [0.1, 0.2, 0.0], "before": [0.0, 0.0, 0.3]}
    )
    parts = portfolio.bridge(frame, top=1)
    assert [round(c * 100) for c in parts["change"]] == [-30, 30] and list(parts["part"]) == [
        "c",
        "2 other partners",
    ]


def test_the_waterfall_names_parts_whole_and_puts_each_value_on_its_bar():
    import importlib

    bridge = importlib.import_module("partnerbook.narrative.bridge")  # narrative.bridge is the section
    parts = pd.DataFrame(
        {
            "part": ["Northstar Cloud Services", "Alpha", "3 other partners"],
            "change": [-600.0, 500.25, -59.75],
        }
    )
    chart = bridge._plot(parts, 1950.15, 1790.65, "2026-Q2", "2026-Q3")
    # top to bottom: Q2 total, the parts, Q3 total; the names whole (not cut at 18 characters)
    assert chart.kind == "waterfall" and chart.categories == [
        "2026-Q2",
        "Northstar Cloud Services",
        "Alpha",
        "3 other partners",
        "2026-Q3",
    ]
    # each bar's value on it, with one minus sign style: $1,950 -> -$600 +$500 -$60 -> $1,791 (compact)
    values = chart.notes
    assert len(values) == 5 and values[1].startswith("−$") and values[2].startswith("+$")
    assert not any("-" in v for v in values)
    # the bars: Northstar from 1,350.15 to 1,950.15 (width 600), the Q3 total from 0 to 1,790.65
    assert round(chart.starts[1], 2) == 1350.15 and round(chart.values[1], 2) == 600.0
    assert chart.starts[-1] == 0.0 and round(chart.values[-1], 2) == 1790.65
    # and drawn: the labels are text of the SVG, in the order of the bars
    svg = chart.svg()
    assert [svg.index(f">{v}</text>") for v in values] == sorted(svg.index(f">{v}</text>") for v in values)


def _rows(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with `caption`, each cell's text."""
    table = html[html.index(f"<caption>{caption}</caption>") :]
    table = table[: table.index("</table>")]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table)
    ]


def test_the_shown_parts_add_up_to_the_shown_totals():
    html = "".join(narrative.bridge(ctx()).html)
    assert _rows(html, "Revenue change on 2026-Q2 by partner") == [
        ["Partner", "2026-Q2", "2026-Q3", "Change"],
        ["Beta", "$800", "$200", "−$600"],
        ["Alpha", "$1,000", "$1,501", "+$501"],
        ["3 other partners", "$150", "$90", "−$60"],
        ["Total", "", "", "−$159"],
    ]
    assert _rows(html, "Revenue change on 2025-Q3 by partner")[1:] == [
        ["Alpha", "$900", "$1,501", "+$601"],
        ["Former", "$100", "$0", "−$100"],
        ["3 other partners", "$260", "$290", "+$30"],
        ["Total", "", "", "+$531"],
    ]
    assert _rows(html, "Revenue change on 2026-Q2 by segment")[1:] == [
        ["ENT", "$1,400", "$1,000", "−$400"],
        ["SMB", "$550", "$791", "+$241"],
        ["Total", "", "", "−$159"],
    ]
    assert (
        "Amounts are rounded to the nearest $1 so that each table's parts add up to its totals: a part's "
        "change may differ by $1 from the exact figure." in html.replace("&#x27;", "'")
    )


def test_whole_figures_are_shown_as_they_are_and_need_no_note():
    """Figures in whole hundreds (as the sample's): nothing moves, nothing is said about rounding."""
    module = importlib.import_module("partnerbook.narrative.bridge")  # narrative.bridge is the section

    parts = pd.DataFrame(
        {
            "part": ["Birchwood Group", "2 other partners"],
            "key": ["P1", ""],
            "before": [355_400.0, 1_200.0],
            "now": [1_351_600.0, 900.0],
            "change": [996_200.0, -300.0],
        }
    )
    shown = module.shown(parts)
    assert list(shown["before"]) == [355_400.0, 1_200.0] and list(shown["now"]) == [1_351_600.0, 900.0]
    assert list(shown["change"]) == [996_200.0, -300.0] and not shown["rounded"].any()
    whole = metrics().assign(
        value=lambda d: d["value"].round(-1),
        prior_value=lambda d: d["prior_value"].round(-1),
        year_ago_value=lambda d: d["year_ago_value"].round(-1),
    )
    c = ctx()
    c.metrics = c.all_metrics = whole
    html = "".join(narrative.bridge(c).html)
    assert "rounded" not in html


def test_the_rounding_note_in_french():
    with i18n.using("fr_FR"):
        html = "".join(narrative.bridge(ctx()).html)
    plain = html.replace("\u00a0", " ").replace("\u202f", " ")
    assert (
        "Montants arrondis à 1 $US près, de sorte que les parties de chaque tableau s’additionnent jusqu’à "
        "ses totaux : l’évolution d’une partie peut s’écarter de 1 $US du chiffre exact." in plain
    )
