"""Where the goals page explains the targets: the cascade from baseline to target in figures
rounded as the target is, that add up to it; and, in one sentence, how many revenue targets sit
below the partner's own run-rate and why (the factors). Worked by hand.

The cascade (one revenue target; its figures come in hundreds, so the target is rounded to 100):
  baseline 10,000 x 1.15 = 11,500; x 0.47 capacity = 5,405; x 0.96 margin = 5,188.8;
  x 0.96 mix = 4,981.248; x 0.94 attach = 4,682.37312; x 0.9025 maturity = 4,225.84...
  target 4,200 (to the hundred: a tenth of 4,225 is above 100). Levels to the hundred:
  10,000; 11,500; 5,400; 5,200; 5,000; 4,700; 4,200. Changes, the differences of those:
  +10,000, +1,500, -6,100, -200, -200, -300, -500; and 10,000 + 1,500 - 6,100 - 200 - 200 - 300
  - 500 = 4,200, the target. Unrounded the page showed 5,188.8 -> $5,189 and a last level of
  $4,226 beside a target of $4,200.

The run-rate sentence, on the small programme (tests/small_programme.py), 2026-Q3, revenue
targets for the sell and enable stages, capacity 0.5, growth +15%, margin 0.96, mix 0.95, attach
0.9, predictability and solution completeness 0.95 (maturity 0.9025):
  P1 (joined 2025-01-15, sell) won 100 in 2025-Q3 (O1), nothing in 2025-Q4 and 2026-Q1, 400 in
  2026-Q2 (O9): its run-rate, its average quarter over 2025-Q3-2026-Q2, is 500 / 4 = 125.
  Its target: 125 / 0.5 = 250 at full capacity x 1.15 x 0.5 x 0.96 x 0.95 x 0.9 x 0.9025 =
  143.75 x 0.740772 = 106.49, rounded to 110 (figures in hundreds, but never a step above a tenth
  of the target: 10). 110 < 125: below.
  P2 (joined 2026-02-01, enable) has too few peers: no target. P3 left during 2026-Q3 and P4
  never joined: not in the programme, no target. So 1 of 1 revenue target is below its
  partner's run-rate; the factors together are x0.74 (0.740772) and 1.15 x 0.740772 = 0.85 < 1:
  the factors take off more than the growth adds.
  With P1's growth at +80% instead: 250 x 1.8 x 0.5 x 0.740772 = 166.67 -> 170 > 125: none below.
"""

import html as _html
import re

import pandas as pd
import pytest

import small_programme as sp
from partnerbook import goals, i18n, membership, metrics, periods, targets

Q3 = periods.parse("2026-Q3")
NBSP, NNBSP = "\u00a0", "\u202f"


def text(shown) -> str:
    """The visible text, tags as spaces; the no-break spaces kept (not collapsed like spaces)."""
    return _html.unescape(re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", shown.data))).strip()


def row(target: float = 4200.0) -> dict:
    return {
        "partner_id": "A",
        "metric": "revenue",
        "target": target,
        "baseline": 10_000.0,
        "growth": 0.15,
        "capacity": 0.47,
        "margin_adj": 0.96,
        "mix_adj": 0.96,
        "attach_adj": 0.94,
        "maturity": 0.9025,
        "stage": "grow",
        "source": "computed",
        "peer_group": "",
    }


def cells(shown) -> list[list[str]]:
    return [
        [_html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", shown.data)
        if "<td" in r
    ]


def test_the_cascade_is_rounded_as_the_target_is_and_adds_up_to_it():
    frame = pd.DataFrame([row()])
    shown = goals.focus_section(frame, "A", "USD", pd.DataFrame({"partner_id": ["A"], "name": ["Alpha"]}))
    assert cells(shown) == [
        ["Baseline", "$0", "$10,000", "$10,000"],
        ["Growth", "$10,000", "$1,500", "$11,500"],
        ["Capacity", "$11,500", "−$6,100", "$5,400"],
        ["Margin", "$5,400", "−$200", "$5,200"],
        ["Product mix", "$5,200", "−$200", "$5,000"],
        ["Add-on attach", "$5,000", "−$300", "$4,700"],
        ["Vendor maturity", "$4,700", "−$500", "$4,200"],
        ["Target", "$0", "$4,200", "$4,200"],
    ]
    assert (
        "Amounts rounded to the nearest $100, as the target is; each change is the difference between the "
        "rounded amounts, so the steps add up to the target." in text(shown)
    )


def test_the_step_is_the_one_the_target_was_rounded_to():
    assert goals.target_step(row(4200.0)) == 100.0  # 4,225.84 to the hundred
    assert goals.target_step(row(4230.0)) == 10.0  # figures in tens: 4,225.84 -> 4,230
    assert goals.target_step(row(4226.0)) == 1.0  # figures in dollars
    assert goals.target_step(row(5000.0)) == 1.0  # set by hand: no rounding gives it
    # to the ten, the levels 10,000; 11,500; 5,410 (5,405 half up); 5,190; 4,980; 4,680; 4,230
    steps = goals.rounded_waterfall(row(4230.0), 10.0)
    assert list(steps["end"]) == [10_000, 11_500, 5_410, 5_190, 4_980, 4_680, 4_230, 4_230]
    assert list(steps["change"]) == [10_000, 1_500, -6_090, -220, -210, -300, -450, 4_230]


def test_the_cascade_note_in_french():
    frame = pd.DataFrame([row()])
    with i18n.using("fr_FR"):
        said = text(goals.focus_section(frame, "A", "EUR"))
    assert (
        f"Montants arrondis à 100{NBSP}€ près, comme la cible{NNBSP}; chaque variation est l’écart entre les "
        "montants arrondis, si bien que les étapes s’additionnent jusqu’à la cible."
    ) in said


# -- revenue targets against the partner's run-rate -------------------------------------------------


def programme(p1_growth: float | None = None) -> dict:
    conf = {
        "metrics": {"sell": ["revenue"], "enable": ["revenue"]},
        "defaults": {
            "growth": 0.15,
            "capacity": 0.5,
            "margin_adj": 0.96,
            "mix_adj": 0.95,
            "attach_adj": 0.9,
            "predictability": 0.95,
            "solution_completeness": 0.95,
        },
    }
    if p1_growth is not None:
        conf["by_partner"] = {"P1": {"growth": p1_growth}}
    return {**sp.program(), "targets": conf}


@pytest.fixture(scope="module")
def small():
    data = sp.dataset()
    history = metrics.compute(data, programme(), "quarter")
    return data, history, membership.members(data["partners"], Q3)


def test_the_run_rate_is_the_average_quarter_before_the_period_as_a_member(small):
    data, history, _members = small
    rates, window = goals.run_rates(history, data["partners"], Q3)
    assert window == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    # P1 (100 + 0 + 0 + 400) / 4; P2 a member from 2026-Q2 only (0); P3 a member all along (0 before
    # 2026-Q3); P4 never joined: none
    assert rates.to_dict() == {"P1": 125.0, "P2": 0.0, "P3": 0.0}


def test_how_many_revenue_targets_are_below_the_run_rate_and_why(small):
    data, history, members = small
    frame = targets.targets(data, history, programme(), Q3)
    found = goals.below_run_rate(frame, history, members, Q3)
    assert (found["below"], found["of"], round(found["factors"], 6), found["growth"]) == (
        1,
        1,
        0.740772,
        0.15,
    )
    assert text(goals.run_rate_section(frame, history, members, Q3)) == (
        "1 of 1 revenue targets is below its partner's run-rate (the partner's average quarter over "
        "2025-Q3–2026-Q2): the margin, product mix, add-on attach and maturity factors (×0.74 together for "
        "the median partner) take off more than the growth asked adds (+15%), as the programme sets them in "
        "params/program.yaml."
    )


def test_with_growth_that_outweighs_the_factors_no_target_is_below(small):
    data, history, members = small
    frame = targets.targets(data, history, programme(p1_growth=0.8), Q3)
    assert frame.loc[frame["partner_id"] == "P1", "target"].tolist() == [170.0]
    assert text(goals.run_rate_section(frame, history, members, Q3)) == (
        "No revenue target is below its partner's run-rate (the partner's average quarter over "
        "2025-Q3–2026-Q2). 1 of 1 is above it, by its baseline: 1 on the last four quarters (the growth "
        "asked outweighs the factors)."
    )


def test_a_target_below_the_run_rate_for_another_reason_says_no_why():
    """A hand-set target of 100 against a run-rate of 125, with factors of 1 and growth +10%: the
    factors do not outweigh the growth (1.1 >= 1), so the sentence gives no reason. Partner B has
    no history before the period: it is left out; C's target of 0 asks nothing: left out."""
    history = pd.DataFrame(
        [
            {"partner_id": "A", "period": q, "metric": "revenue", "breakdown": "", "value": v}
            for q, v in (("2025-Q3", 100.0), ("2025-Q4", 150.0), ("2026-Q1", 125.0), ("2026-Q2", 125.0))
        ]
    )
    partners = pd.DataFrame(
        {
            "partner_id": ["A", "B", "C"],
            "joined_on": pd.to_datetime(["2024-01-01", "2026-08-01", "2024-01-01"]),
        }
    )
    frame = pd.DataFrame(
        {
            "partner_id": ["A", "B", "C"],
            "metric": "revenue",
            "target": [100.0, 500.0, 0.0],
            "growth": 0.1,
            **{c: 1.0 for c in goals.FACTORS},
        }
    )
    assert text(goals.run_rate_section(frame, history, partners, Q3)) == (
        "1 of 1 revenue targets is below its partner's run-rate (the partner's average quarter over "
        "2025-Q3–2026-Q2)."
    )


def test_the_run_rate_sentence_in_french(small):
    data, history, members = small
    frame = targets.targets(data, history, programme(), Q3)
    with i18n.using("fr_FR"):
        said = text(goals.run_rate_section(frame, history, members, Q3))
    assert said == (
        "1 cible de chiffre d’affaires sur 1 est inférieure au niveau habituel de son partenaire (son chiffre "
        f"d’affaires moyen par trimestre sur T3{NBSP}2025–T2{NBSP}2026){NBSP}: les facteurs de marge, de mix produit, de "
        f"ventes additionnelles et de maturité (×0,74 à eux tous pour le partenaire médian) retirent plus que "
        f"n’ajoute la croissance demandée (+15{NBSP}%), comme le programme les fixe dans params/program.yaml."
    )


def test_several_targets_below_the_run_rate_in_english_and_in_french():
    """A and D each had 100, 150, 125 and 125 in the four quarters before 2026-Q3 (run-rate 125);
    their targets are 100 and 110, both below; margin 0.8 and the other factors 1 make x0.80,
    and 0.8 x 1.1 = 0.88 < 1: the factors take off more than the growth of +10% adds."""
    history = pd.DataFrame(
        [
            {"partner_id": p, "period": q, "metric": "revenue", "breakdown": "", "value": v}
            for p in ("A", "D")
            for q, v in (("2025-Q3", 100.0), ("2025-Q4", 150.0), ("2026-Q1", 125.0), ("2026-Q2", 125.0))
        ]
    )
    partners = pd.DataFrame({"partner_id": ["A", "D"], "joined_on": pd.to_datetime(["2024-01-01"] * 2)})
    frame = pd.DataFrame(
        {
            "partner_id": ["A", "D"],
            "metric": "revenue",
            "target": [100.0, 110.0],
            "growth": 0.1,
            "margin_adj": 0.8,
            "mix_adj": 1.0,
            "attach_adj": 1.0,
            "maturity": 1.0,
        }
    )
    assert text(goals.run_rate_section(frame, history, partners, Q3)) == (
        "2 of 2 revenue targets are below their partner's run-rate (the partner's average quarter over "
        "2025-Q3–2026-Q2): the margin, product mix, add-on attach and maturity factors (×0.80 together for "
        "the median partner) take off more than the growth asked adds (+10%), as the programme sets them in "
        "params/program.yaml."
    )
    with i18n.using("fr_FR"):
        said = text(goals.run_rate_section(frame, history, partners, Q3))
    assert said == (
        "2 cibles de chiffre d’affaires sur 2 sont inférieures au niveau habituel de leur partenaire (le chiffre "
        f"d’affaires moyen de celui-ci par trimestre sur T3{NBSP}2025–T2{NBSP}2026){NBSP}: les facteurs de marge, "
        "de mix produit, de ventes additionnelles et de maturité (×0,80 à eux tous pour le partenaire médian) "
        f"retirent plus que n’ajoute la croissance demandée (+10{NBSP}%), comme le programme les fixe dans "
        "params/program.yaml."
    )


def test_the_targets_above_the_run_rate_are_counted_by_their_baseline():
    """Five partners joined in 2024, each with four quarters before 2026-Q3. A and D had 100, 150,
    125 and 125 (run-rate 125); B and C nothing (run-rate 0); E 125 each (125). Targets: A 300 on
    eight quarters (above), B 200 ramping (above 0), C 50 on its peers' median (above 0), D 100 on
    the last four quarters (below 125), E 130 ramping and held to twice its best quarter (above 125).
    Below: 1 of 5, with margin 0.8 and growth +10% (0.88 < 1: the factors' sentence). Above: 4 of
    5: 1 eight quarters, 2 ramping (B and E), 1 peers' median; in that order."""
    quarters = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")
    won = {"A": (100, 150, 125, 125), "B": (0, 0, 0, 0), "C": (0, 0, 0, 0), "D": (100, 150, 125, 125)}
    won["E"] = (125, 125, 125, 125)
    history = pd.DataFrame(
        [
            {"partner_id": p, "period": q, "metric": "revenue", "breakdown": "", "value": float(v)}
            for p, values in won.items()
            for q, v in zip(quarters, values)
        ]
    )
    partners = pd.DataFrame({"partner_id": list(won), "joined_on": pd.to_datetime(["2024-01-01"] * 5)})
    frame = pd.DataFrame(
        {
            "partner_id": list(won),
            "metric": "revenue",
            "target": [300.0, 200.0, 50.0, 100.0, 130.0],
            "basis": ["two years", "ramping", "peer median", "trailing year", "ramping, held"],
            "growth": 0.1,
            "margin_adj": 0.8,
            "mix_adj": 1.0,
            "attach_adj": 1.0,
            "maturity": 1.0,
        }
    )
    assert text(goals.run_rate_section(frame, history, partners, Q3)) == (
        "1 of 5 revenue targets is below its partner's run-rate (the partner's average quarter over "
        "2025-Q3–2026-Q2): the margin, product mix, add-on attach and maturity factors (×0.80 together for "
        "the median partner) take off more than the growth asked adds (+10%), as the programme sets them in "
        "params/program.yaml. 4 of 5 are above it, by their baseline: 1 on the average of the last eight "
        "quarters (higher than over the last four), 2 of partners still ramping up (their peers' median "
        "fills the quarters before their first results) and 1 on its peers' median (no history of its own)."
    )
    with i18n.using("fr_FR"):
        said = text(goals.run_rate_section(frame, history, partners, Q3))
    assert said.endswith(
        f"4 sur 5 lui sont supérieures, selon leur base{NBSP}: 1 sur la moyenne des huit derniers trimestres "
        "(plus élevée que sur les quatre derniers), 2 de partenaires en montée en puissance (la médiane de "
        "leurs pairs complète les trimestres d’avant leurs premiers résultats) et 1 sur la médiane de ses "
        "pairs (sans historique propre)."
    ), said
