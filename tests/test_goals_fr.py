"""The goals page, health reasons, stages, peer groups and targets in French (issue 18 item 3),
checked word for word against sentences written here by hand.

French typography: a no-break space (U+00A0) before ':' and '%', inside « guillemets » and
between an amount and its unit; a narrow no-break space (U+202F) before ';' and in thousands
(Babel's fr_FR). French counts 0 and 1 in the singular.
"""

import html as _html
import re

import pandas as pd
import pytest

import small_programme as sp
from partnerbook import (
    goals,
    i18n,
    lifecycle,
    numbers,
    peers,
    periods,
    portfolio,
    store,
    tables,
    targets,
    worklist,
)
from test_goals import PROGRAM, TABLE
from test_goals_page import targets as page_targets
from test_lifecycle import PROGRAM as HEALTH_PROGRAM

NBSP, NNBSP = "\u00a0", "\u202f"
Q3 = periods.parse("2026-Q3")


@pytest.fixture(autouse=True)
def french():
    with i18n.using("fr_FR"):
        yield


def text(html) -> str:
    """The visible text, tags as spaces; the no-break spaces kept (not collapsed like spaces)."""
    shown = re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", html.data)).replace(" " + NBSP, NBSP).strip()
    return _html.unescape(shown)


def members(left: list[str]) -> pd.DataFrame:
    """A in the programme all along; the partners named in `left` left on 20 August 2026 (in Q3)."""
    ids = ["A", *left]
    return pd.DataFrame(
        {
            "partner_id": ids,
            "name": ["Alpha", *left],
            "joined_on": pd.to_datetime(["2024-01-01"] * len(ids)),
            "churned_on": pd.to_datetime([None] + ["2026-08-20"] * len(left)),
        }
    )


# -- partners counted, one and several ----------------------------------------------------------


def test_one_partner_left_the_programme():
    # A and B in at the end of Q3 (30 Sep 2026); Gamma left on 20 August
    partners = pd.concat(
        [members(["Gamma"]), members([]).assign(partner_id="B", name="Beta")], ignore_index=True
    )
    assert text(goals.membership_line(partners, Q3)) == (
        f"Période T3{NBSP}2026{NBSP}: 2 partenaires dans le programme en fin de période (30 sept. 2026). "
        f"1 partenaire a quitté le programme pendant la période{NBSP}: Gamma."
    )


def test_several_partners_left_the_programme():
    # only A is left at the end: one partner (singular), three gone (plural, "ont quitté")
    assert text(goals.membership_line(members(["Beta", "Gamma", "Delta"]), Q3)) == (
        f"Période T3{NBSP}2026{NBSP}: 1 partenaire dans le programme en fin de période (30 sept. 2026). "
        f"3 partenaires ont quitté le programme pendant la période{NBSP}: Beta, Gamma, Delta."
    )


# -- objectives met, one and several --------------------------------------------------------------


def only(*ids: str) -> dict:
    return {**PROGRAM, "objectives": [o for o in PROGRAM["objectives"] if o["id"] in ids]}


def test_objectives_met_one_and_several():
    # TABLE in 2026-Q3 (test_goals): grow 1,000 of 2,000 (50%: behind); roi 2.0 of 3 (behind);
    # cost of sales 0.2 against at most 0.25 (met); share 0.1 against 0.05 (met); edge has no
    # metric (not assessed)
    assert goals.objectives_finding(TABLE, PROGRAM, "2026-Q3") == (
        f"Au T3{NBSP}2026{NBSP}: 2 objectifs atteints{NNBSP}; 2 objectifs en retard{NNBSP}; 1 objectif non évalué."
    )
    assert goals.objectives_finding(TABLE, only("grow", "roi", "cost"), "2026-Q3") == (
        f"Au T3{NBSP}2026{NBSP}: 1 objectif atteint{NNBSP}; 2 objectifs en retard."
    )
    # none met: 0 takes the singular in French
    assert goals.objectives_finding(TABLE, only("grow"), "2026-Q3") == (
        f"Au T3{NBSP}2026{NBSP}: 0 objectif atteint{NNBSP}; 1 objectif en retard."
    )


def test_an_objective_not_measured_says_why_in_french():
    got = goals.progress(TABLE, only("grow", "cost"), "2026-Q2").set_index("id")
    assert got.loc["grow", "reason"] == "fixé pour le T3\u00a02026"
    reason = goals.measure_objective(TABLE, {"metric": "channel_roi", "inputs": {}}, "2026-Q3")[1]
    assert reason == "coûts du programme et marge brute non renseignés"


# -- the channel against its goals ----------------------------------------------------------------


def test_the_finding_with_several_partners_and_with_one():
    # goal 1,000 a quarter. A 600 + B 200 = 800: 200 (20%) short; median 400 -> 1 more partner
    # (singular); 200 / 800 = 25% more from each of the 2 partners
    two = page_targets().loc[lambda d: d["metric"] == "revenue"].head(2).assign(target=[600.0, 200.0])
    assert goals.channel_findings(goals.channel(two, PROGRAM, Q3), two, "USD")[0] == (
        f"Les cibles des partenaires totalisent 800{NBSP}$US pour l’objectif «{NBSP}Channel revenue{NBSP}» de "
        f"1{NNBSP}000{NBSP}$US{NBSP}: il manque 200{NBSP}$US (20{NBSP}%). Combler cet écart demande plus de "
        f"capacité de vente{NBSP}: environ 1 partenaire de plus à la cible médiane de 400{NBSP}$US, ou 25{NBSP}% "
        "de plus de la part de chacun des 2 partenaires ayant une cible."
    )
    # A alone, 300: 700 (70%) short; 700 / 300 = 2.33 -> 3 more partners (plural); 233% more from
    # the one partner with a target (singular)
    one = page_targets().head(1)
    assert goals.channel_findings(goals.channel(one, PROGRAM, Q3), one, "USD")[0] == (
        f"Les cibles des partenaires totalisent 300{NBSP}$US pour l’objectif «{NBSP}Channel revenue{NBSP}» de "
        f"1{NNBSP}000{NBSP}$US{NBSP}: il manque 700{NBSP}$US (70{NBSP}%). Combler cet écart demande plus de "
        f"capacité de vente{NBSP}: environ 3 partenaires de plus à la cible médiane de 300{NBSP}$US, ou "
        f"233{NBSP}% de plus de la part du seul partenaire ayant une cible."
    )


def test_targets_above_the_goal_in_french_numbers():
    # new logos: 5 a year = 1.25 a quarter (1,3), targets 1 + 2 = 3: 1.75 (1,8) more
    view = goals.channel(page_targets(), PROGRAM, Q3)
    assert goals.channel_findings(view, page_targets(), "EUR")[1] == (
        f"Les cibles des partenaires totalisent 3 pour l’objectif «{NBSP}New logos{NBSP}» de 1,3{NBSP}: "
        "1,8 de plus que ce qu’il demande."
    )
    table = goals.channel_table(view, PROGRAM, "EUR")
    assert list(table.columns) == [
        "objectif du canal",
        "mesure",
        "objectif",
        "cibles des partenaires",
        "partenaires",
        "écart",
    ]
    assert list(table["écart"]) == [f"400{NBSP}€", "aucun (1,8 de plus)"]


# -- health reasons, with their limits in French formats ----------------------------------------


def test_health_reasons_in_french():
    # as test_lifecycle: P1 in 2026-Q3, revenue 400 -> 200 (down 50%), win rate 100% -> 50%
    ds = sp.dataset()
    flags = lifecycle.health(ds, None, HEALTH_PROGRAM, "2026-Q3").set_index("partner_id")
    assert flags.loc["P1", "reasons"] == (
        f"chiffre d’affaires en baisse de 50{NBSP}% par rapport à la période précédente (de 400{NBSP}$US à 200{NBSP}$US)"
        f"{NNBSP}; taux de réussite en baisse de 50 points par rapport à la période précédente (de 100{NBSP}% à 50{NBSP}%)"
    )
    assert lifecycle.health_label(flags.loc["P1", "health"]) == "à risque"


def test_activity_plan_and_a_survey_limit_with_a_decimal_comma():
    # P3 as if it had not left (test_lifecycle): activity 2 -> 0, BP2 lapsed, one survey of 3,
    # below a limit of 6.5 written "6,5"
    ds = sp.dataset()
    ds = store.Dataset(
        {**ds.tables, "partners": ds["partners"].assign(churned_on=pd.NaT)}, ds.absent, ds.meta
    )
    program = {
        **HEALTH_PROGRAM,
        "health": {
            **HEALTH_PROGRAM["health"],
            "signals": {**HEALTH_PROGRAM["health"]["signals"], "low_survey_score": 6.5},
        },
    }
    flags = lifecycle.health(ds, None, program, "2026-Q3").set_index("partner_id")
    assert flags.loc["P3", "reasons"] == (
        "activité amont (formations, enregistrements d’affaires, usage du portail, etc.) tombée à 0\u00a0% de celle "
        f"de la période précédente (sous le seuil de 50{NBSP}%){NNBSP}; plan d’affaires commun expiré et aucun autre "
        f"actif{NNBSP}; note moyenne aux enquêtes de 3,0 sur 10 sur les douze derniers mois (sous le seuil de 6,5)"
    )


def test_no_deal_rules_name_the_stage_in_french_one_quarter_and_two():
    # 2026-Q1: P1 in 'sell' with no win from 1 Oct 2025 to 31 Mar 2026 (test_lifecycle)
    ds = sp.dataset()
    flags = lifecycle.health(ds, None, HEALTH_PROGRAM, "2026-Q1").set_index("partner_id")
    assert (
        flags.loc["P1", "reasons"]
        == "aucune affaire gagnée au cours des 2 derniers trimestres, à l’étape vente"
    )
    assert flags.loc["P3", "reasons"].startswith(
        f"ni chiffre d’affaires ni pipeline ouvert depuis 2 trimestres (du T4{NBSP}2025 au T1{NBSP}2026), à l’étape vente"
    )
    one = {
        **HEALTH_PROGRAM,
        "health": {
            "signals": {
                "no_deals_quarters": 1,
                "no_revenue_no_pipeline_quarters": False,
                "lapsed_plan": False,
            }
        },
    }
    flags = lifecycle.health(ds, None, one, "2026-Q1").set_index("partner_id")
    assert (
        flags.loc["P1", "reasons"] == "aucune affaire gagnée au cours du dernier trimestre, à l’étape vente"
    )


def test_low_attainment_with_a_decimal_comma():
    # P4 at 49.5% of its target: one decimal, as "50 %" would read as the limit itself
    att = pd.DataFrame(
        {"partner_id": ["P4"], "metric": ["revenue"], "target": [100.0], "attainment": [0.495]}
    )
    program = {
        **HEALTH_PROGRAM,
        "health": {"signals": {"revenue_drop": False, "win_rate_drop_points": False}},
    }
    flags = lifecycle.health(sp.dataset(), None, program, "2026-Q3", attainment=att).set_index("partner_id")
    assert (
        flags.loc["P4", "reasons"]
        == f"chiffre d’affaires à 49,5{NBSP}% de sa cible (sous le seuil de 50{NBSP}%)"
    )


# -- stages, peer groups, targets ----------------------------------------------------------------


def test_stage_words_and_peer_groups_in_french():
    assert [tables.stage_label(s) for s in ("recruit", "onboard", "enable", "sell", "grow", "churned")] == [
        "recrutement",
        "intégration",
        "montée en compétences",
        "vente",
        "croissance",
        "sortie",
    ]
    assert lifecycle.stage_description("sell") == f"Vend{NBSP}: gagne des affaires avec nous."
    # A, B, C Gold in sell; D Silver in sell; minimum 2: A has 2 Gold peers; D only 0 Silver, 3 in sell
    info = pd.DataFrame(
        {
            "partner_id": ["A", "B", "C", "D"],
            "tier": ["Gold", "Gold", "Gold", "Silver"],
            "stage": ["sell"] * 4,
        }
    )
    placed = peers.groups(info, 2)
    assert placed.loc["A", "peer_group"] == "partenaires Gold à l’étape vente"
    assert placed.loc["D", "peer_group"] == "partenaires à l’étape vente"


def test_target_sources_statuses_and_the_other_partners():
    assert [targets.source_label(s) for s in targets.SOURCES] == [
        "calculée",
        "base des pairs",
        "saisie à la main",
    ]
    assert [targets.status_label(s) for s in targets.STATUSES] == [
        "en avance",
        "dans le rythme",
        "en retard",
        "sans données",
        "sans cible",
    ]
    assert [portfolio.others(1), portfolio.others(3), portfolio.others(2, "region")] == [
        "1 autre partenaire",
        "3 autres partenaires",
        "2 autres régions",
    ]
    requests = pd.DataFrame(
        {
            "request_id": ["M2"],
            "activity": ["Salon"],
            "requested_on": ["2026-09-01"],
            "amount_approved": [5000.0],
            "amount_claimed": [0.0],
            "claim_deadline": ["2026-10-31"],
        }
    )
    assert worklist.claim_deadlines(requests, "2026-09-30")["what"].tolist() == [
        f"Demande MDF M2{NBSP}: Salon"
    ]


def test_every_partners_targets_in_french():
    # A: Gold, sell; its two targets in its summary line, the factors' headers in French
    page = goals.targets_details(
        page_targets(),
        pd.DataFrame(
            {
                "partner_id": ["A", "B", "C"],
                "name": ["Alpha", "Beta", "Gamma"],
                "tier": ["Gold", "Silver", "Silver"],
            }
        ),
        "EUR",
    ).data
    assert f'Toutes les cibles et leurs facteurs{NBSP}: <a href="targets.csv">targets.csv</a>.' in page
    summary = re.findall(r"<summary>(.*?)</summary>", page)[0]
    assert summary.startswith(f"Alpha (Gold, vente){NBSP}: ") and f"300{NBSP}€{NNBSP}; " in summary
    assert (
        '<th scope="col">mesure</th><th scope="col" class="num">base</th>'
        '<th scope="col" class="num">croissance</th>'
    ) in page
    assert ">calculée<" in page and ">s.o.<" in page


def test_the_backtest_table_in_french():
    frame = pd.DataFrame(
        [["at risk", 0, 0, float("nan"), 0, 0, 0, float("nan")]], columns=lifecycle.BACKTEST_COLUMNS
    )
    shown = text(goals.backtest_section(frame))
    assert shown.startswith(
        "Signal Signalés Suivis d’une baisse ou d’un départ Précision Baisses et départs "
        "Détectés Manqués Rappel à risque 0 0 — (aucun signal) 0 0 0 — (aucune baisse ni aucun départ)"
    )


def test_the_tier_rules_on_history_in_french():
    # test_goals' rules and history: Acme falls from Gold to Silver, Birch rises from Registered
    # to Gold, Cedar stays Silver; Dogwood left on 15 Aug 2026 and is left out, in one sentence;
    # Acme's 150 € is below the 300 € Gold floor, named
    program = {
        "program": {"currency": "EUR"},
        "tiers": {
            "window_quarters": 2,
            "levels": [
                {"name": "Registered"},
                {"name": "Silver", "criteria": {"revenue": 100}},
                {"name": "Gold", "criteria": {"revenue": 300}},
            ],
        },
    }
    partners = pd.DataFrame(
        {
            "partner_id": ["A", "B", "C", "D"],
            "name": ["Acme", "Birch", "Cedar", "Dogwood"],
            "tier": ["Gold", "Registered", "Silver", "Gold"],
            "churned_on": [None, None, None, "2026-08-15"],
        }
    )
    history = pd.DataFrame(
        [
            {"partner_id": p, "period": q, "metric": "revenue", "breakdown": "", "value": v}
            for p, q, v in [
                ("A", "2026-Q2", 100.0),
                ("A", "2026-Q3", 50.0),
                ("B", "2026-Q2", 200.0),
                ("B", "2026-Q3", 150.0),
                ("C", "2026-Q2", 60.0),
                ("C", "2026-Q3", 60.0),
                ("D", "2026-Q3", 10.0),
            ]
        ]
    )
    assert text(goals.tier_section(program, partners, history, "2026-Q3")) == (
        f"1 partenaire sorti du programme pendant la période (Dogwood) n’est pas compté{NBSP}: un partenaire "
        "sorti n’a plus de palier. "
        "Palier Partenaires aujourd’hui Selon les règles Monteraient Descendraient Gold 1 1 0 1 Silver 1 2 0 0 "
        "Registered 1 0 1 0 "
        # the window measured, 2026-Q2 and Q3, and the next review's (31 Dec 2026): 2026-Q3 and Q4
        "Chiffres des 2 derniers trimestres (T2\u00a02026–T3\u00a02026). La prochaine revue, le 31 déc. 2026, "
        f"mesurera la fenêtre décalée d’un trimestre (T3\u00a02026–T4\u00a02026){NBSP}: la page de chaque "
        "partenaire dit ce qu’il lui faut encore pour cette revue. "
        "Partenaire Palier actuel Selon les règles Mouvement Pourquoi Acme Gold Silver descend "
        f"Chiffre d’affaires{NBSP}: 150{NBSP}€ (le palier Gold exige 300{NBSP}€) "
        "Birch Registered Gold monte remplit tous les critères du palier Gold"
    )
    assert text(goals.tier_section({}, partners, history, "2026-Q3")) == (
        "Le programme ne fixe aucune règle de palier (program.yaml `tiers`)."
    )


def test_a_tier_reason_in_french_says_certifications_earned_in_the_window_and_held():
    # 0 certifications earned in the window T4 2025–T3 2026, 3 held; Gold needs 1
    criterion = {"metric": "certifications", "minimum": 1.0, "value": 0.0, "held": 3.0}
    with i18n.using("fr_FR"):
        window = goals._window_span(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"], 1)
        said = goals._short_of(criterion, "Gold", "EUR", window)
        bare = goals._short_of({**criterion, "held": 0.0}, "Gold", "EUR", window)
    assert said == (
        f"Certifications obtenues du T4{NBSP}2025 au T3{NBSP}2026{NBSP}: 0 (le palier Gold en exige 1{NBSP}; "
        "en détient 3)"
    )
    # one label for the criterion whatever is held (the story counts both alike)
    assert bare == (
        f"Certifications obtenues du T4{NBSP}2025 au T3{NBSP}2026{NBSP}: 0 (le palier Gold en exige 1{NBSP}; "
        "en détient 0)"
    )
    unknown = {**criterion, "held": None}
    with i18n.using("fr_FR"):
        said = goals._short_of(unknown, "Gold", "EUR", window)
    assert (
        said
        == f"Certifications obtenues du T4{NBSP}2025 au T3{NBSP}2026{NBSP}: 0 (le palier Gold en exige 1)"
    )


def test_figures_that_round_alike_get_a_decimal_comma_in_french():
    # 39,6 % against 40 %: 99 % of it, « proche »; whole percents would read 40 % against 40 %
    with i18n.using("fr_FR"):
        assert goals.figures(0.396, 0.40, "market_share") == ("39,6\u00a0%", "40,0\u00a0%")
        assert goals.share_text(0.996) == "99,6\u00a0%"


def test_the_rule_of_who_has_a_target_is_said_in_french():
    # A has a revenue target of 1 200, B one of 0: one partner with a target, under both headings
    frame = pd.DataFrame({"partner_id": ["A", "B"], "metric": ["revenue"] * 2, "target": [1200.0, 0.0]})
    with i18n.using("fr_FR"):
        shown = text(goals.attainment_section(targets.attainment(frame, TABLE, "2026-Q3")))
    assert shown.endswith(
        f"Un partenaire a une cible pour une mesure quand cette cible est supérieure à zéro{NBSP}: une cible "
        f"de zéro ne demande rien et compte dans «{NBSP}sans cible{NBSP}», dans le tableau des objectifs du "
        f"canal comme dans le tableau d’atteinte."
    )
    # the period is complete: its heading and the standing words (A: 600 of 1 200, 50 %: en retard)
    assert shown.startswith(
        f"Taux d’atteinte Les partenaires par statut, pour chaque mesure, à la fin de la période{NBSP}: atteint à "
        f"partir de 100{NBSP}% de la cible, proche à partir de 90{NBSP}%, en retard en dessous. "
        "mesure en retard sans cible Chiffre d’affaires 1 1"
    )


def test_a_targets_shortfall_under_a_beaten_goal_is_said_as_what_it_would_take():
    # goal 8,500,000 beaten by 9,377,000; targets add up to 7,560,521: 939,479 short, said to the
    # hundred (939,500; the table keeps the exact gap); two partners with targets of 3,000,000 and
    # 4,560,521: median 3,780,260.5 -> 1 more partner, or 939,479 / 7,560,521 = 12% more from each
    g = {
        "metric": "revenue",
        "goal_target": 8_500_000.0,
        "partner_targets": 7_560_521.0,
        "gap": 939_479.0,
        "gap_share": 939_479 / 8_500_000,
        "partners": 2,
    }
    frame = pd.DataFrame(
        {"partner_id": ["A", "B"], "metric": "revenue", "target": [3_000_000.0, 4_560_521.0]}
    )
    said = {"measure": "revenue", "goal": "Channel revenue", "target": "8,500,000"}
    with i18n.using("en_US"):
        english = goals._reconciled(g, 9_377_000.0, lambda v: numbers.money(v, "EUR"), said, frame, "2026-Q3")
    assert english.endswith(
        "For the partner targets to cover the goal, they would need €939,500 more: about 1 more partner at the "
        "median target of €3,780,261, or 12% more from each of the 2 partners with a target."
    )
    with i18n.using("fr_FR"):
        french = goals._reconciled(g, 9_377_000.0, lambda v: numbers.money(v, "EUR"), said, frame, "2026-Q3")
    assert (
        f"Pour que la somme des cibles couvre l’objectif, il faudrait 939{NNBSP}500{NBSP}€ de plus{NBSP}: "
        in french
    )
    assert "Adosser" not in french and "(12" not in french.split("il faudrait")[1].split(":")[0]


def test_french_pages_keep_file_paths_in_french_sentences():
    # the analyst's paths stay, with « <période> » and in a sentence that reads as French
    said = [v for v in i18n.catalogue("fr")._catalog.values() if isinstance(v, str)]
    assert not [s for s in said if "<period>" in s]
    assert any(
        "copiez le fichier `outputs/<période>/targets.csv` sous le nom `params/targets/<période>.csv`" in s
        for s in said
    )
    assert any(
        "ajuster les seuils des règles de santé (fichier params/program.yaml, rubrique `health`)" in s
        for s in said
    )
    assert not [s for s in said if "données de params/program.yaml" in s or "section `health` de params" in s]
