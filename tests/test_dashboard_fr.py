"""The partner dashboard in French (issue 18) on the hand-built programme of
dashboard_programme.py, in euros, with one more deal: F6 (Fir, joined 1 Aug 2026, APAC,
healthy, no target) wins 1,233,067 on 1 Sep 2026, so the programme's Q3 revenue is
1,500 + 1,233,067 = 1,234,567.

Expected strings are written by hand. Babel (on the server) and Intl (in Chromium) write
French numbers with a narrow no-break space (U+202F) between thousands and a no-break space
(U+00A0) before "€" and "%"; sentences put a no-break space before ":" and ";".

Worked out by hand (the rest as in test_dashboard.py):
  tiles     revenue 1,234,567 against the goal of 2,000: 61,728% (goal met); Q2 1,600 ->
            +77,060% (1,234,567 / 1,600 - 1 = 770.60); 2025-Q3 600 -> +205,661%
            (1,234,567 / 600 - 1 = 2,056.61). Win rate 4 won of 5 closed = 80%: Q2 3 of 3
            (100%) -> -20 pts, 2025-Q3 1 of 1 -> -20 pts.
  rows      B2 (at risk), C3 (watch), F6 (healthy, 1,233,067), A1 (healthy, 1,000), D4 (left)
  totals    all five: 1,234,567 against 800 + 500 + 0 + 300 + 0 = 1,600: +77,060%;
            attainment (1,000 + 400) / (1,250 + 400) = 84.8% -> 85%
"""

import html
import json
import re

import dashboard_programme as dp
import pytest
from partnerbook import glossary, i18n, metrics, periods, scorecard
from partnerbook.render import dashboard, page as page_mod

G, S = "\u202f", "\u00a0"  # between thousands; before € % : ;
REPORTS = [
    {
        "key": f"partner:{pid}",
        "kind": "partner",
        "status": "rendered",
        "html": f"partners/{pid}.html",
        "title": f"Partner scorecard: {pid}",
    }
    for pid in ("A1", "B2", "C3", "D4", "F6")
] + [
    {
        "key": "goals",
        "kind": "goals",
        "status": "rendered",
        "html": "goals.html",
        "title": "Goals and targets",
    },
    {"key": "story", "kind": "story", "status": "rendered", "html": "story.html", "title": "Programme story"},
    {
        "key": "story:sales",
        "kind": "story",
        "status": "failed",
        "html": "story-sales.html",
        "title": "Programme story: Direction commerciale",
        "error": "boom",
        "cell": None,
    },
]
SEEN = {"2026-Q2": dp.earlier(3, 4), "2025-Q3": dp.earlier(1, 5)}


def _workbook(end: str = "2026-09-30"):
    wb = dp.workbook(end=end, won=(("W1", "F6", "2026-09-01", 1_233_067),))
    wb.__dict__["program"] = {**dp.PROGRAM, "program": {"name": "Programme <Test>", "currency": "EUR"}}
    return wb


@pytest.fixture(autouse=True)
def earlier_health(monkeypatch):
    monkeypatch.setattr(dashboard, "_other", lambda wb, period: SEEN[period.name])


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard-fr")
    (folder / glossary.PAGE).write_text("<html></html>")
    with pytest.MonkeyPatch.context() as mp, i18n.using("fr_FR"):
        mp.setattr(dashboard, "_other", lambda wb, period: SEEN[period.name])
        wb = _workbook()
        dashboard.write(wb, wb.partners, folder, REPORTS)
    return folder


def _visible(block: str) -> str:
    """Text of an HTML block, tags removed; only ASCII white space collapsed (no-break ones stay)."""
    return re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", block))).strip()


def _tiles(text: str) -> dict:
    return {
        m: _visible(b)
        for m, b in re.findall(r'<li class="pb-tile[^"]*" data-metric="([^"]+)".*?>(.*?)</li>', text, re.S)
    }


def test_the_page_is_french(out):
    text = (out / "index.html").read_text()
    assert '<html lang="fr-FR">' in text
    assert f"<title>Programme &lt;Test&gt;{S}: T3\u00a02026</title>" in text
    assert f'<h2 id="headline">Où en est le programme{S}: T3\u00a02026</h2>' in text
    assert f'<h2 id="partners">Partenaires{S}: qui demande de l’attention</h2>' in text
    nav = _visible(text.split('<p class="pb-nav">', 1)[1].split("</p>", 1)[0])
    assert nav == (
        "Toutes les périodes · Objectifs et cibles · Récit du programme · Récit du programme"
        f"{S}: Direction commerciale (en échec) · Glossaire · metrics.csv · run.json"
    )
    assert f"Rapports{S}: produits 7, réutilisés 0, en échec 1." in text


def test_tiles_word_for_word(out):
    tiles = _tiles((out / "index.html").read_text())
    assert tiles["revenue"] == (
        f"Chiffre d’affaires 1{G}234{G}567{S}€ 61{G}728{S}% de l’objectif de 2{G}000{S}€ "
        f"objectif atteint +77{G}060{S}% par rapport au T2\u00a02026 +205{G}661{S}% par rapport au T3\u00a02025"
    )
    assert tiles["win_rate"] == (
        f"Taux de réussite 80,0{S}% affaires gagnées{S}: 4 sur 5 clôturées "
        "en dégradation par rapport au T2\u00a02026 −20,0 pts par rapport au T2\u00a02026 −20,0 pts par rapport au T3\u00a02025"
    )
    assert tiles["new_logos"].startswith("Nouveaux clients 1 ")
    assert tiles["pipeline"] == (
        f"Pipeline ouvert 700{S}€ ouvert en fin de période (hors pipeline enregistré) "
        "aucun chiffre antérieur — (aucun au T2\u00a02026) — (aucun au T3\u00a02025)"
    )
    assert tiles["members"] == (
        f"Partenaires du programme 4 au 30 sept.{G}; 4 au 1er juil., 1 entrée, 1 sortie "
        f"(attrition{S}: 25{S}%) stable par rapport au T2\u00a02026 inchangé par rapport au T2\u00a02026 −1 par rapport au T3\u00a02025"
    )
    assert tiles["at_risk"] == (
        "Partenaires à risque 1 et 1 à surveiller en baisse par rapport au T2\u00a02026 −2 par rapport au T2\u00a02026 inchangé par rapport au T3\u00a02025"
    )
    assert tiles["partner_nps"].startswith("NPS partenaires 0,0 sur 2 réponses ")


def test_rows_filters_and_sentences(out):
    text = (out / "index.html").read_text()
    options = re.findall(r'<option value="([^"]*)">([^<]+)</option>', html.unescape(text))
    # D4 Dogwood (Silver, AMER, Ann, sortie) left during the period: said apart
    assert options == [
        ("", "Tous les paliers (4\u00a0; 1 parti)"),
        ("Gold", "Gold (2)"),
        ("Registered", "Registered (1)"),
        ("Silver", "Silver (1\u00a0; 1 parti)"),
        ("", "Toutes les régions (4\u00a0; 1 parti)"),
        ("AMER", "AMER (1\u00a0; 1 parti)"),
        ("APAC", "APAC (1)"),
        ("EMEA", "EMEA (2)"),
        ("", "Toutes les étapes (4\u00a0; 1 parti)"),
        ("onboard", "intégration (1)"),
        ("enable", "montée en compétences (1)"),
        ("sell", "vente (1)"),
        ("grow", "croissance (1)"),
        ("churned", "sortie (1 parti)"),
        ("", "Tous les états de santé (4\u00a0; 1 parti)"),
        ("at risk", "à risque (1)"),
        ("watch", "à surveiller (1)"),
        ("healthy", "en bonne santé (2)"),
        ("left", "parti (1)"),
        ("", "Tous les responsables de compte (4\u00a0; 1 parti)"),
        ("Ann", "Ann (1\u00a0; 1 parti)"),
        ("Bob", "Bob (2)"),
        ("not set", "non défini (1)"),
    ]
    heads = re.findall(r'<button type="button" class="pb-sort">([^<]+)</button>', html.unescape(text))
    assert heads == [
        "Partenaire",
        "Santé",
        "Chiffre d’affaires",
        "8 trimestres",
        "Taux d’atteinte",
        "Palier",
        "Région",
        "Étape",
        "Responsable de compte",
    ]
    rows = {
        pid: _visible(re.sub(r"<svg.*?</svg>", "", r))
        for r, pid in re.findall(r'(<tr data-tier.*?<span class="pb-id">([^<]+)</span>.*?</tr>)', text, re.S)
    }
    assert rows["F6"] == (
        f"Fir F6 en bonne santé 1{G}233{G}067{S}€ nouveau — (pas de cible) "
        "Registered APAC intégration non défini"
    )
    assert rows["D4"].startswith(f"Dogwood D4 parti le 15 août 2026 100{S}€ −67{S}%")
    assert rows["C3"].endswith(f"50{S}% Silver EMEA montée en compétences Bob")
    assert 'title="atteinte moyenne de 1 cible d’activité">50' in text
    assert 'title="atteinte de la cible de chiffre d’affaires">80' in text
    spark = re.search(r'aria-label="(Chiffre[^"]*T3\u00a02025 au[^"]*1\u202f233\u202f067[^"]*)"', text).group(
        1
    )
    assert html.unescape(spark) == (
        f"Chiffre d’affaires par trimestre, du T3\u00a02025 au T3\u00a02026 (échelle propre){S}: "
        f"0{S}€, 0{S}€, 0{S}€, 0{S}€, 1{G}233{G}067{S}€{S}; le plus haut 1{G}233{G}067{S}€ "
        f"(T3\u00a02026){S}; le plus bas 0{S}€ (T3\u00a02025, T4\u00a02025, T1\u00a02026, T2\u00a02026)"
    )
    foot = _visible(text.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0])
    assert foot == (
        f"Total pour 5 partenaires listés 1 à risque, 1 à surveiller 1{G}234{G}567{S}€ "
        f"+77{G}060{S}% par rapport à leur propre chiffre d’affaires du T2\u00a02026 " + BOTH
    )
    assert (
        f"<li><strong>Dogwood</strong> est parti le 15 août 2026{S}; chiffre d’affaires des quatre derniers "
        f"trimestres{S}: 400{S}€.</li>"
    ) in html.unescape(text)
    former = _visible(re.search(r'<details class="pb-former">(.*?)</details>', text, re.S).group(1))
    assert former == (
        f"Anciens partenaires (1){S}: partis avant le T3\u00a02026, sans rapport pour cette période "
        "Partenaire Palier Région Parti le Elm Registered EMEA 10 mars 2026"
    )
    assert (
        f"au-delà de 300{S}%, il est signalé «{S}cible très inférieure au résultat réel{S}: vérifier la "
        f"cible{S}», dans les mêmes termes que sur la page du partenaire destinée au responsable de compte "
        f"(la page envoyée au partenaire dit seulement «{S}bien au-delà de la cible{S}»)."
    ) in html.unescape(text)


def test_extreme_attainment_is_flagged_alike_on_both_pages_in_french():
    # A1 sells 1 000 € against a target of 10 €: 10 000 %, above 300 %: the real figure, flagged
    # (the page sent to the partner says only « bien au-delà de la cible »: test_scorecard_fr)
    wb = dp.workbook(targets=dp.TARGETS.assign(target=[10.0, 400.0, 2.0]))
    flagged = f"10{G}000{S}% (cible très inférieure au résultat réel{S}: vérifier la cible)"
    with i18n.using("fr_FR"):
        rows = {r["id"]: r for r in dashboard.rows(wb, wb.partners)}
        partner_page = scorecard.attainment(wb.partner("A1")).data
    assert rows["A1"]["attainment_text"] == flagged
    assert (
        f' class="num">{flagged}</td>' in partner_page
    )  # the cell (data-label before it: a card on a phone)


def test_a_running_period_in_french(tmp_path):
    # data to 2026-08-15: 46 of Q3's 92 days (50%); A1 1,000 / (1,250 x 50%) = 160% ahead
    with i18n.using("fr_FR"):
        wb = _workbook(end="2026-08-15")
        dashboard.write(wb, wb.partners, tmp_path, REPORTS)
    text = _visible((tmp_path / "index.html").read_text())
    assert f"Les données vont jusqu’au 15 août 2026 (50{S}% de la période){S}: chiffres à date." in text
    assert f"80{S}% 160{S}% en avance" in text
    assert "Rythme" in text


def test_a_reused_run_renders_again_in_french(out):
    """dashboard.json keeps the locale: `cache.mark_reused` renders it in French from any locale."""
    saved = json.loads((out / page_mod.CONTEXT_FILE).read_text())
    assert saved["locale"] == "fr_FR"
    with i18n.using("en_US"):
        again = page_mod.period_page(saved, REPORTS)
    assert '<html lang="fr-FR">' in again and "Toutes les périodes" in again and "All periods" not in again


def test_catalogue_words_in_french():
    with i18n.using("fr_FR"):
        assert [metrics.label(m) for m in ("revenue", "win_rate", "pipeline", "mdf_roi")] == [
            "Chiffre d’affaires",
            "Taux de réussite",
            "Pipeline ouvert",
            "Rendement des MDF",
        ]
        assert (
            metrics.definition("deals_won")
            == "Opportunités partenaires gagnées, clôturées pendant la période."
        )
        assert metrics.label("not_a_metric") == "not_a_metric"
        assert [periods.label_for_people(p) for p in ("2026-Q3", "2026-07", "FY2026")] == [
            "T3\u00a02026",
            "juillet 2026",
            "exercice\u00a02026",
        ]
        assert periods.label_for_people("FY2027-Q1", fy_start_month=4) == "T1\u00a0exercice\u00a02027"
    assert metrics.CATALOGUE["revenue"].label == "Revenue"  # the key stays English
    assert (metrics.label("revenue"), periods.label_for_people("2026-Q3")) == ("Revenue", "2026-Q3")
    assert metrics.definition("win_rate") == (
        "Deals won / opportunities closed (won or lost), counting the deals "
        "closed in the period; undefined when none closed."
    )


def test_glossary_in_french():
    with i18n.using("fr_FR"):
        page = glossary.page(metrics.CATALOGUE, subtitle="Northwind · T3 2026", currency="EUR")
    assert '<html lang="fr-FR">' in page
    assert "<title>Glossaire des indicateurs</title>" in page and "<h1>Glossaire des indicateurs</h1>" in page
    revenue = re.search(r'id="m-revenue"><h3>Chiffre d’affaires</h3><dl>(.*?)</dl>', page).group(1)
    assert f"<dt>Nature</dt><dd>Indicateurs de résultat{S}: résultats commerciaux</dd>" in revenue
    assert "<dt>Unité</dt><dd>un montant</dd>" in revenue
    assert "<dt>Bon sens d’évolution</dt><dd>plus haut, c’est mieux</dd>" in revenue
    assert "<dt>Indicateur clé aux étapes</dt><dd>vente, croissance, sortie</dd>" in revenue
    assert (
        "<dt>Mode de calcul</dt><dd>Montant des opportunités apportées par les partenaires et gagnées, "
        "clôturées pendant la période (les affaires directes ne sont pas comptées).</dd>"
    ) in revenue
    roi = re.search(r'id="m-mdf_roi">(.*?)</section>', page).group(1)
    assert (
        f"un multiple (×){S}: le chiffre d’affaires gagné pour chaque 1\u00a0€ de MDF versé" in roi
        and "Vide (—) tant qu’aucun MDF n’a été versé" in roi
    )
    head = re.findall(r'<th scope="col"><a href="#([^"]+)">([^<]+)</a></th>', page)
    assert head == [("m-pipeline", "Pipeline ouvert"), ("m-registered_pipeline", "Pipeline enregistré")]
    assert '<h2 id="pipelines">Pipeline ouvert et pipeline enregistré</h2>' in page
    pipeline = re.search(r'id="m-pipeline">(.*?)</section>', page).group(1)
    assert f"ouvertes à la fin de la période{S}: créées au plus tard" in pipeline  # its no-break space kept
    assert '<nav aria-label="Indicateurs">' in page and "Santé, atteinte et rythme" in page


# -- in Chromium: the script's totals in French --------------------------------------------

TOTALS = (
    "['total-count', 'total-health', 'total-revenue', 'total-change', 'total-attainment']"
    ".map(id => document.getElementById(id).textContent)"
)
VISIBLE = "Array.from(document.querySelectorAll('#pb-partners tbody tr')).map(r => r.querySelector('.pb-id').textContent)"
OWN = " par rapport à leur propre chiffre d’affaires du T2\u00a02026"
# the totals' attainment with what it divides: A1 1 000 of 1 250 and B2 400 of 400 (the partners with a target)
BOTH = f"85{S}% de la somme de leurs cibles{S}: 1{G}400{S}€ réalisés par les 2 partenaires qui ont une cible, pour 1{G}650{S}€"


def _open(page, path):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return errors


def test_french_totals_after_filtering_and_sorting(out, page):
    errors = _open(page, out / "index.html")
    assert page.evaluate(TOTALS) == [
        "Total pour 5 partenaires listés",
        "1 à risque, 1 à surveiller",
        f"1{G}234{G}567{S}€",
        f"+77{G}060{S}%" + OWN,
        BOTH,
    ]
    # APAC: F6 alone, 1,233,067 after 0 in Q2
    page.select_option("#filter-region", "APAC")
    assert page.evaluate(VISIBLE) == ["F6"]
    assert page.evaluate(TOTALS) == [
        "Total pour 1 partenaire listé",
        "0 à risque, 0 à surveiller",
        f"1{G}233{G}067{S}€",
        f"en hausse depuis 0{S}€" + OWN,
        "— (aucune cible de chiffre d’affaires)",
    ]
    assert page.text_content("#pb-shown") == f"Partenaires affichés{S}: 1 sur 5."
    # at risk: B2, 400 after 500 (−20%); 400 / 400
    page.select_option("#filter-region", "")
    page.select_option("#filter-health", "at risk")
    assert page.evaluate(TOTALS) == [
        "Total pour 1 partenaire listé",
        "1 à risque, 0 à surveiller",
        f"400{S}€",
        f"−20{S}%" + OWN,
        f"100{S}% de sa cible{S}: 400{S}€ réalisés par le 1 partenaire qui a une cible, pour 400{S}€",
    ]
    # Gold, sorted by revenue: A1 then B2 (descending: the second press); 1,400 after 1,300 (+7.7%)
    page.select_option("#filter-health", "")
    page.select_option("#filter-tier", "Gold")
    page.click("th[data-key=revenue] button")
    page.click("th[data-key=revenue] button")
    assert page.evaluate(VISIBLE) == ["A1", "B2"]
    assert page.evaluate(TOTALS) == [
        "Total pour 2 partenaires listés",
        "1 à risque, 0 à surveiller",
        f"1{G}400{S}€",
        f"+8{S}%" + OWN,
        BOTH,
    ]
    assert page.text_content("#pb-shown") == f"Partenaires affichés{S}: 2 sur 5."
    assert errors == []


def test_french_long_table_counts_and_more_button(out, page, tmp_path):
    # the 5 rows copied 21 times: 105 rows, 21 x 1,234,567 = 25,925,907
    text = (out / "index.html").read_text()
    start = text.index("<tbody>", text.index('id="pb-partners"')) + len("<tbody>")
    end = text.index("</tbody>", start)
    (tmp_path / "index.html").write_text(text[:start] + text[start:end] * 21 + text[end:])
    errors = _open(page, tmp_path / "index.html")
    assert page.text_content("#pb-shown") == f"Partenaires affichés{S}: 100 sur 105."
    assert page.text_content("#pb-more") == "Afficher 5 de plus sur 5"
    assert page.evaluate(TOTALS)[:3] == [
        "Total pour 105 partenaires listés",
        "21 à risque, 21 à surveiller",
        f"25{G}925{G}907{S}€",
    ]
    page.select_option("#filter-tier", "Gold")  # 42 rows of 105: all shown
    assert page.text_content("#pb-shown") == f"Partenaires affichés{S}: 42 sur 105."
    assert errors == []


def test_a_phone_card_labels_its_cells_in_french(out, page):
    page.set_viewport_size({"width": 390, "height": 800})
    errors = _open(page, out / "index.html")
    first = "#pb-partners tbody tr:first-child "
    label = page.eval_on_selector(first + ".pb-c-manager", "c => getComputedStyle(c, '::before').content")
    assert label == f'"Responsable de compte{S}: "'
    assert errors == []


def test_fiscal_quarters_are_named_in_both_languages():
    # fiscal year from April: April-June 2026 is the first quarter of FY2027
    assert periods.label_for_people("FY2027-Q1", fy_start_month=4) == "FY2027-Q1"
    with i18n.using("fr_FR"):
        q1 = periods.parse("FY2027-Q1", fy_start_month=4)
        assert [periods.label_for_people(p, fy_start_month=4) for p in (q1, q1.prior(), "FY2027")] == [
            "T1\u00a0exercice\u00a02027",
            "T4\u00a0exercice\u00a02026",
            "exercice\u00a02027",
        ]


def test_the_membership_line_counts_arrivals_and_departures_in_french():
    """The tile's line under « 4 »: one arrival and one departure are singular (as in
    test_tiles_word_for_word); eight and two are plural; none is singular in French."""
    with i18n.using("fr_FR"):
        said = [
            i18n.ngettext("+{n} joined", "+{n} joined", n).format(n=n)
            + ", "
            + i18n.ngettext("−{n} left", "−{n} left", k).format(n=k)
            for n, k in ((8, 1), (1, 2), (0, 0))
        ]
    assert said == ["8 entrées, 1 sortie", "1 entrée, 2 sorties", "0 entrée, 0 sortie"]
