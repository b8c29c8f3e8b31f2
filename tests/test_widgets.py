"""widgets: selection checks, ranking, side by side, drill-down, the panel and its save button.

The workbook is a hand-made stand-in: three partners and a metric table written out here,
so every expected value below is read off these lines.
"""

import sys
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import yaml

from partnerbook import i18n, periods, store, widgets
from partnerbook.errors import ParamsError
from partnerbook.extras import MissingExtra

NAN = np.nan
PROGRAM = {
    "program": {"currency": "USD"},
    "lifecycle": {
        "recommended_metrics": {
            "sell": ["revenue", "win_rate"],
            "grow": ["revenue"],
            "enable": ["certifications"],
        }
    },
}


def _metric_rows():
    rows = [  # partner, metric, value, prior, year ago
        ("P1", "revenue", 100.0, 50.0, NAN),
        ("P2", "revenue", 300.0, 400.0, 10.0),
        ("P3", "revenue", NAN, NAN, NAN),
        ("P1", "deals_lost", 2.0, 0.0, 0.0),
        ("P2", "deals_lost", 1.0, 1.0, 1.0),
        ("P3", "deals_lost", 5.0, 1.0, 0.0),
        ("P1", "win_rate", 0.25, 0.5, NAN),
        ("P2", "win_rate", 0.75, NAN, NAN),
        ("P3", "win_rate", NAN, NAN, NAN),
        ("P3", "certifications", 4.0, 1.0, 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["partner_id", "metric", "value", "prior_value", "year_ago_value"])
    programme = pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "metric": "revenue",
                "value": 400.0,
                "prior_value": 450.0,
                "year_ago_value": 10.0,
            },
            {
                "partner_id": "P2",
                "metric": "revenue",
                "breakdown": "segment=ENT",
                "value": 999.0,
                "prior_value": 0.0,
                "year_ago_value": 0.0,
            },
        ]
    )
    return pd.concat([frame, programme], ignore_index=True).assign(
        partner_id=lambda f: f["partner_id"].astype("string"),
        period="2026-Q2",
        breakdown=lambda f: f["breakdown"].fillna("") if "breakdown" in f else "",
    )[["partner_id", "period", "metric", "breakdown", "value", "prior_value", "year_ago_value"]]


@dataclass
class FakeWorkbook:
    period: object = field(default_factory=lambda: periods.parse("2026-Q2"))
    program: dict = field(default_factory=lambda: PROGRAM)
    _cache: dict = field(default_factory=dict)

    def __post_init__(self):
        partners = pd.DataFrame(
            {
                "partner_id": ["P1", "P2", "P3"],
                "name": ["Acme <b>", "Bolt", "Core"],
                "tier": ["Gold", "Silver", "Gold"],
                "region": ["EMEA", "EMEA", "AMER"],
            }
        )
        self.dataset = store.Dataset({"partners": store.coerce("partners", partners)})
        self.metrics = _metric_rows()
        self.stages = pd.Series(
            ["sell", "grow", "enable"], index=pd.Index(["P1", "P2", "P3"], name="partner_id")
        )
        self.history = pd.DataFrame(
            {
                "partner_id": pd.array(["P1", "P1"], dtype="string"),
                "period": ["2026-Q1", "2026-Q2"],
                "metric": ["revenue", "revenue"],
                "breakdown": ["", ""],
                "value": [50.0, 100.0],
            }
        )


@pytest.fixture
def wb():
    return FakeWorkbook()


def test_ranking_best_first_undefined_last(wb):
    sel = widgets.selection(wb)
    ranked = widgets.ranking(wb, sel)
    assert ranked["partner_id"].tolist() == ["P2", "P1", "P3"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["value"].tolist()[:2] == [300.0, 100.0]
    assert ranked["change"].tolist()[:2] == [-100.0, 50.0]
    assert ranked["stage"].tolist() == ["grow", "sell", "enable"]


def test_ranking_where_down_is_good_is_ascending(wb):
    sel = widgets.selection(wb, metric="deals_lost")
    assert widgets.ranking(wb, sel)["partner_id"].tolist() == ["P2", "P1", "P3"]  # 1, 2, 5 lost


def test_filters_keep_matching_partners(wb):
    assert widgets.ranking(wb, widgets.selection(wb, tier="Gold"))["partner_id"].tolist() == ["P1", "P3"]
    assert widgets.ranking(wb, widgets.selection(wb, region="EMEA", stage="sell"))["partner_id"].tolist() == [
        "P1"
    ]


def test_selection_defaults_to_top_of_ranking(wb):
    sel = widgets.selection(wb, tier="Gold")
    assert sel.partner_id == "P1" and sel.compare == ("P1", "P3")
    assert sel.period == "2026-Q2"
    assert widgets.selection(wb, compare="P3, P1").compare == ("P3", "P1")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"tier": "Gld"}, r"tier: unknown value 'Gld'; did you mean 'Gold'\?"),
        ({"metric": "revenu"}, r"metric: unknown value 'revenu'; did you mean 'revenue'\?"),
        ({"stage": "growing"}, r"stage: unknown value 'growing'"),
        ({"partner_id": "P9"}, r"partner_id: unknown value 'P9'"),
        ({"compare": ["P1", "X"]}, r"compare: unknown value 'X'"),
    ],
)
def test_selection_names_the_bad_value(wb, kwargs, message):
    with pytest.raises(ParamsError, match=message):
        widgets.selection(wb, **kwargs)


def test_comparison_side_by_side_formatted(wb):
    sel = widgets.selection(wb, compare=["P1", "P2"], metric="win_rate")
    frame = widgets.comparison(wb, sel)
    assert list(frame.columns) == ["metric", "Acme <b> (P1)", "Bolt (P2)"]
    # the chosen metric first, then those of SIDE_BY_SIDE the table has (deals_lost is not one)
    assert frame["metric"].tolist() == ["Win rate", "Revenue", "Certifications"]
    assert frame["Acme <b> (P1)"].tolist() == ["25%", "$100", "—"]
    assert frame["Bolt (P2)"].tolist() == ["75%", "$300", "—"]  # the segment=ENT row is not used


def test_drill_shows_the_stage_metrics_with_prior_and_year_ago(wb):
    sel = widgets.selection(wb, partner_id="P1")
    frame = widgets.drill(wb, sel)
    assert frame["metric"].tolist() == ["Revenue", "Win rate"]
    assert frame.iloc[0].tolist() == ["Revenue", "$100", "$50", "—"]
    assert frame.iloc[1].tolist() == ["Win rate", "25%", "50%", "—"]


def test_static_views_escape_names_and_carry_the_chart(wb):
    sel = widgets.selection(wb, partner_id="P1")
    html = "".join(part.data for part in widgets.views(wb, sel))
    assert "Acme &lt;b&gt;" in html and "Acme <b>" not in html
    assert html.count("<svg ") == 2 and "data:image" not in html  # ranking bars + the partner's trend
    assert "<strong>3</strong> partners in 2026-Q2 (all partners)." in html
    assert "Revenue of Acme &lt;b&gt; by quarter, 2024-Q3 to 2026-Q2" in html  # 8 quarters


def test_no_match_is_a_note_not_an_error(wb):
    sel = widgets.selection(wb, tier="Silver", stage="sell")
    assert sel.partner_id == "" and sel.compare == ()
    assert "No partner matches tier Silver, stage sell." in widgets.ranking_view(wb, sel).data
    assert "No partner matches" in widgets.partner_view(wb, sel).data


class _Kernel:
    """An ipykernel stand-in: the execute request being answered."""

    def __init__(self, allow_stdin):
        self.request = {
            "header": {"msg_type": "execute_request"},
            "content": {"code": "widgets.controls(wb)", "allow_stdin": allow_stdin},
        }

    def get_parent(self, channel="shell"):
        return self.request


@dataclass
class _Shell:
    kernel: object = None


def test_controls_show_nothing_without_a_front_end(wb, capsys, monkeypatch):
    monkeypatch.setattr(widgets, "get_ipython", lambda: None)  # plain Python: no kernel
    assert widgets.controls(wb, widgets.selection(wb)) is None
    monkeypatch.setattr(
        widgets, "get_ipython", lambda: _Shell(_Kernel(allow_stdin=False))
    )  # papermill, nbval
    assert widgets.controls(wb, widgets.selection(wb)) is None
    assert capsys.readouterr().out == ""


def test_a_front_end_is_a_request_that_allows_input(monkeypatch):
    # JupyterLab, Notebook 7 and VS Code send allow_stdin=True; nbclient and nbval send False
    monkeypatch.setattr(widgets, "get_ipython", lambda: _Shell(_Kernel(allow_stdin=True)))
    assert widgets.front_end()
    monkeypatch.setattr(widgets, "get_ipython", lambda: _Shell(_Kernel(allow_stdin=False)))
    assert not widgets.front_end()
    monkeypatch.setattr(widgets, "get_ipython", lambda: _Shell(kernel=None))  # a terminal IPython
    assert not widgets.front_end()


def test_controls_without_ipywidgets_say_what_to_install(wb, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails as when absent
    with pytest.raises(MissingExtra, match=r"^The explore panel needs .*: pip install 'partnerbook\[lab\]'$"):
        widgets.controls(wb, widgets.selection(wb), interactive=True)


def test_panel_follows_its_widgets_and_saves_the_view(wb, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    explorer = widgets.Explorer(wb, widgets.selection(wb))
    assert explorer.w["partner_id"].value == "P2 · Bolt"
    assert explorer.w["period"].options[:3] == ("2026-Q2", "2026-Q1", "2025-Q4")
    explorer.w["tier"].value = "Gold"  # the pickers narrow to Gold partners; Bolt (Silver) drops out
    assert explorer.w["partner_id"].options == ("P1 · Acme <b>", "P3 · Core")
    assert explorer.w["compare"].value == ("P1 · Acme <b>", "P3 · Core")
    assert explorer.sel.tier == "Gold" and explorer.sel.compare == ("P1", "P3")
    assert explorer.sel.partner_id == "P1"
    explorer.w["metric"].value = "deals_lost"
    explorer.w["partner_id"].value = "P3 · Core"
    assert (explorer.sel.metric, explorer.sel.partner_id) == ("deals_lost", "P3")
    explorer.name.value = "Gold losses"
    path = explorer.save()
    assert path == tmp_path / "params" / "views" / "gold-losses.yaml"
    saved = yaml.safe_load(path.read_text())
    assert saved == {
        "notebook": "explore",
        "period": "2026-Q2",
        "tier": "Gold",
        "region": "",
        "stage": "",
        "metric": "deals_lost",
        "partner_id": "P3",
        "compare": ["P1", "P3"],
        "top": 15,
    }
    assert (
        explorer.status.value
        == "Saved gold-losses.yaml: partnerbook report --view params/views/gold-losses.yaml"
    )


def test_strip_removes_widget_state_and_views():
    nb = {
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}, "kernelspec": {}},
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {"application/vnd.jupyter.widget-view+json": {}, "text/plain": "VBox()"},
                    },
                    {"output_type": "display_data", "data": {"text/html": "<p>kept</p>"}},
                ],
            }
        ],
    }
    out = widgets.strip(nb)
    assert out["metadata"] == {"kernelspec": {}}
    assert out["cells"][0]["outputs"] == [
        {"output_type": "display_data", "data": {"text/html": "<p>kept</p>"}}
    ]


def test_committed_notebooks_carry_no_widget_state():
    """A notebook saved from JupyterLab with widget state would pass it on to every report."""
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        assert "widgets" not in nb["metadata"], path.name
        views = [
            o
            for c in nb["cells"]
            for o in c.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        assert views == [], path.name


def test_the_views_speak_the_language_in_force(wb):
    with i18n.using("fr_FR"):
        gold = widgets.selection(wb, tier="Gold", partner_id="P1")
        html = "".join(part.data for part in widgets.views(wb, gold))
        silver = widgets.selection(wb, tier="Silver", stage="sell")
        one = widgets.summary_view(wb, widgets.selection(wb, tier="Silver")).data
        none = widgets.ranking_view(wb, silver).data
    for heading in ("Portefeuille", "Classement", "Côte à côte", "Un partenaire"):
        assert f"<h3>{heading}</h3>" in html
    assert "<strong>2</strong> partenaires au T2\u00a02026 (palier Gold)." in html
    assert "<strong>1</strong> partenaire au T2\u00a02026 (palier Silver)." in one  # 1: singular
    assert (
        "<strong>Acme &lt;b&gt;</strong> (P1)\u00a0: palier Gold, EMEA, étape vente au T2\u00a02026." in html
    )
    for header in ("indicateur", "cette période", "période précédente", "il y a un an"):
        assert f">{header}</th>" in html
    assert " de Acme &lt;b&gt; par trimestre, du T3\u00a02024 au T2\u00a02026" in html
    assert "Aucun partenaire ne correspond aux filtres (palier Silver, étape sell)." in none
