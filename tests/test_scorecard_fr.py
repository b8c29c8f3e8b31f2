"""The scorecard in French (issue 18, item 3): sentences checked word for word with one and with
several items (plural agreement), tables with French headers and number formats.

The hand-built workbook of test_scorecard (report day 30 Sep 2026, period 2026-Q3), in euros.
French typography: a no-break space (U+00A0) before ':' and inside « », a narrow one (U+202F)
before ';' and between thousands; '€' and '%' after the number with a no-break space.
Metric labels come from metrics.py (translated there), so the sentences below avoid them or use
one whose French is the English word (Certifications).
"""

import html
import re

import pandas as pd
import test_scorecard as ts
from partnerbook import i18n, scorecard

NBSP, NNBSP = "\u00a0", "\u202f"


def _words(fragment: str) -> str:
    """The visible text, tags as spaces; only ASCII white space collapsed (str.split would eat the
    no-break spaces this test checks)."""
    return re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _euros(wb):
    wb.__dict__["program"] = {**wb.program, "program": {**wb.program["program"], "currency": "EUR"}}
    return wb


def _registrations(submitted: list[str], amounts: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "registration_id": [f"R{i}" for i in range(1, len(submitted) + 1)],
            "partner_id": "A",
            "submitted_on": pd.to_datetime(submitted),
            "status": "approved",
            "amount": amounts,
        }
    )


def _actions(due: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "action_id": [f"X{i}" for i in range(len(due))],
            "partner_id": "A",
            "agreed_on": pd.to_datetime(["2026-07-01"] * len(due)),
            "owner": ["Ana", "Ben"][: len(due)],
            "description": ["Draft plan", "Send plan"][: len(due)],
            "due_on": pd.to_datetime(due),
            "status": "open",
        }
    )


def _mdf(deadlines: list[str], approved: list[float], claimed: list[float]) -> pd.DataFrame:
    n = len(deadlines)
    return pd.DataFrame(
        {
            "request_id": [f"M{i}" for i in range(1, n + 1)],
            "partner_id": "A",
            "requested_on": pd.to_datetime(["2026-08-01"] * n),
            "activity": "Event",
            "amount_requested": approved,
            "amount_approved": approved,
            "amount_claimed": claimed,
            "amount_paid": [0.0] * n,
            "status": "approved",
            "claim_deadline": pd.to_datetime(deadlines),
        }
    )


def _points(**tables) -> list[str]:
    # B has no target and no tier rule here: only the points of the tables given
    wb = _euros(ts._dataset(ts.workbook(), **tables))
    for frame in tables.values():
        frame["partner_id"] = "B"
    with i18n.using("fr_FR"):
        return scorecard.review_points(ts.partner(wb, "B"))


# -- sentences with one and with several -------------------------------------------------------


def test_registrations_expiring_agree_with_their_number():
    # valid 90 days: submitted 15 Jul -> expires 13 Oct; 10 Jul -> 8 Oct; 20 Jul -> 18 Oct (all within 30 days
    # of 30 Sep); 1 200 + 300 + 500 = 2 000
    one = _points(deal_registrations=_registrations(["2026-07-15"], [1200.0]))
    assert one == [f"1 enregistrement expire dans les 30 jours{NBSP}: 1{NNBSP}200{NBSP}€, le 13 oct. 2026."]
    three = _points(
        deal_registrations=_registrations(["2026-07-15", "2026-07-10", "2026-07-20"], [1200.0, 300.0, 500.0])
    )
    assert three == [
        f"3 enregistrements expirent dans les 30 jours{NBSP}: 2{NNBSP}000{NBSP}€, le premier le 8 oct. 2026."
    ]


def test_overdue_actions_agree_with_their_number():
    # report day 30 Sep: Draft plan due 31 Aug is 30 days overdue, Send plan due 25 Sep 5 days
    one = _points(actions=_actions(["2026-08-31"]))
    assert one == [
        f"1 action en retard{NBSP}: «{NBSP}Draft plan{NBSP}» (Ana), échue le 31 août 2026, "
        "en retard de 30 jours."
    ]
    two = _points(actions=_actions(["2026-08-31", "2026-09-25"]))
    assert two == [
        f"2 actions en retard{NNBSP}; la plus ancienne{NBSP}: «{NBSP}Draft plan{NBSP}» (Ana), "
        "échue le 31 août 2026, en retard de 30 jours."
    ]


def test_mdf_to_claim_agrees_with_the_number_of_requests():
    # M1: 8 000 approved - 3 000 claimed = 5 000 by 20 Oct; M2: 2 000 by 25 Oct
    one = _points(mdf=_mdf(["2026-10-20"], [8000.0], [3000.0]))
    assert one == [
        f"MDF à réclamer dans les 30 jours{NBSP}: 5{NNBSP}000{NBSP}€ sur 1 demande, "
        "au plus tard le 20 oct. 2026."
    ]
    two = _points(mdf=_mdf(["2026-10-20", "2026-10-25"], [8000.0, 2000.0], [3000.0, 0.0]))
    assert two == [
        f"MDF à réclamer dans les 30 jours{NBSP}: 7{NNBSP}000{NBSP}€ sur 2 demandes, "
        "la première au plus tard le 20 oct. 2026."
    ]


def test_nothing_to_say_in_french():
    assert _points() == ["Rien ne ressort selon ces règles sur cette période."]


def test_survey_summary_agrees_with_the_number_of_answers():
    one = pd.DataFrame({"respondent": ["CTO"], "score": [8]})
    several = pd.DataFrame({"respondent": ["CTO", "CEO", "CFO", "CTO"], "score": [7, 8, 6, 9]})  # mean 7.5
    with i18n.using("fr_FR"):
        assert scorecard.survey_summary(one, 3) == (
            f"Enquête{NBSP}: 1 réponse au cours de la dernière année{NNBSP}; les résultats s’affichent dès qu’au "
            "moins 3 personnes ont répondu (les réponses sont confidentielles)."
        )
        assert scorecard.survey_summary(several, 3) == (
            f"Enquête{NBSP}: 4 réponses de 3 personnes au cours de la dernière année, note moyenne de 7,5 sur 10."
        )
        assert scorecard.survey_summary(one, 1) == (
            f"Enquête{NBSP}: 1 réponse de 1 personne au cours de la dernière année, note moyenne de 8,0 sur 10."
        )


def _engagements(people: list[str], names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "engagement_id": [f"E{i}" for i in range(len(people))],
            "partner_id": "A",
            "contact_id": people,
            "kind": "certification",
            "name": names,
            "occurred_on": pd.to_datetime(["2026-01-01"] * len(people)),
        }
    )


def test_certified_people_agree_with_their_numbers():
    one = ts._dataset(ts.workbook(), engagements=_engagements(["C1"], ["Security"]))
    several = ts._dataset(
        ts.workbook(),
        engagements=_engagements(["C1", "C1", "C2", "C3"], ["Security", "Cloud", "Security", "Cloud"]),
    )
    with i18n.using("fr_FR"):
        assert _words(scorecard.certified_people(ts.partner(one, "A")).data).startswith(
            "1 collaborateur certifié, 1 certification détenue."
        )
        out = scorecard.certified_people(ts.partner(several, "A")).data
    assert _words(out).startswith("3 collaborateurs certifiés, 4 certifications détenues.")
    assert re.findall(r"<th scope[^>]*>(.*?)</th>", out) == ["Certification", "Collaborateurs certifiés"]


def test_open_registrations_head_and_table_in_french():
    wb = _euros(
        ts._dataset(
            ts.workbook(), deal_registrations=_registrations(["2026-07-15", "2026-09-20"], [1200.0, 300.0])
        )
    )
    with i18n.using("fr_FR"):
        out = scorecard.registrations(ts.partner(wb, "A")).data
    # R1 expires 13 Oct (13 days left), R2 (20 Sep) on 19 Dec
    assert _words(out).startswith(
        f"2 enregistrements ouverts{NBSP}; nombre expirant dans les 30 jours{NBSP}: 1 (un "
        "enregistrement expire 90 jours après sa soumission)."
    )
    assert re.findall(r"<th scope[^>]*>(.*?)</th>", out) == [
        "Enregistrement",
        "Soumis le",
        "Expire le",
        "Jours restants",
        "Montant",
        "Statut",
    ]
    one = _euros(ts._dataset(ts.workbook(), deal_registrations=_registrations(["2026-09-20"], [300.0])))
    with i18n.using("fr_FR"):
        assert _words(scorecard.registrations(ts.partner(one, "A")).data).startswith(
            f"1 enregistrement ouvert{NBSP}; nombre expirant dans les 30 jours{NBSP}: 0 (un enregistrement expire "
            "90 jours après sa soumission)."
        )
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", out)
        if "<td" in r
    ]
    assert rows == [
        ["R1", "15 juil. 2026", "13 oct. 2026", "13", f"1{NNBSP}200{NBSP}€", "approuvé"],
        ["R2", "20 sept. 2026", "19 déc. 2026", "80", f"300{NBSP}€", "approuvé"],
    ]


def test_partner_next_steps_in_french():
    regs = _registrations(["2026-07-15"], [1200.0]).assign(partner_id="B")
    actions = _actions(["2026-08-31"]).assign(partner_id="B")
    wb = _euros(ts._dataset(ts.workbook(), deal_registrations=regs, actions=actions))
    wb.partners["account_manager"] = "Ana"
    with i18n.using("fr_FR"):
        assert scorecard.next_steps(ts.partner(wb, "B")) == [
            f"L’enregistrement R1 (1{NNBSP}200{NBSP}€) expire le 13 oct. 2026{NBSP}: faites-le avancer ou "
            "demandez sa prolongation.",
            f"En retard depuis le 31 août 2026 (30 jours){NBSP}: Draft plan (Ana, votre responsable de compte).",
        ]
        empty = scorecard.next_steps_box(ts.partner(ts._dataset(ts.workbook()), "C")).data
    assert "<li>Rien n’arrive à échéance dans les 30 jours à venir.</li>" in empty
    assert f"<p>Au 30 sept. 2026, dernier jour des chiffres de ce rapport{NBSP}:</p>" in empty


# -- tables: French headers and number formats -------------------------------------------------


def test_attainment_table_in_french():
    # data to 15 Aug: 50% of the period. Revenue 400 of 1 000: 40%, pace 80% (behind), projected 800.
    wb = _euros(ts.workbook(end="2026-08-15"))
    with i18n.using("fr_FR"):
        out = scorecard.attainment(ts.partner(wb, "A")).data
    assert re.findall(r"<th scope[^>]*>(.*?)</th>", out) == [
        "Indicateur",
        "Cible",
        "Réalisé",
        "Taux d’atteinte",
        "Rythme",
        "Projection",
        "Taux d’atteinte projeté",
        "Statut",
    ]
    assert ts._row(out, "revenue")[1:] == [
        f"1{NNBSP}000{NBSP}€",
        f"400{NBSP}€",
        f"40{NBSP}%",
        f"80{NBSP}%",
        f"800{NBSP}€",
        f"80{NBSP}%",
        "en retard",
    ]
    assert ts._row(out, "certifications")[1:] == [
        "0",
        "0",
        "— (cible de 0)",
        "— (pas de cible)",
        "0",
        "— (pas de cible)",
        "sans cible",
    ]
    assert (
        f"Les données vont jusqu’au 15 août 2026, soit 50{NBSP}% de la période. Le rythme compare le "
        f"réalisé à 50{NBSP}% de la cible"
    ) in ts._text(out)


def test_metric_table_in_french_with_each_columns_reason():
    wb = ts._with_rows(ts.workbook(), "A", [("mdf_roi", ts.NAN, 2.0, ts.NAN)])
    with i18n.using("fr_FR"):
        out = scorecard.metric_table(ts.partner(wb, "A"), ["mdf_roi"], "partner").data
    assert re.findall(r"<th scope[^>]*>(.*?)</th>", out) == [
        "Indicateur",
        "T3\u00a02026",
        "Période précédente",
        "Il y a un an",
    ]
    assert ts._row(out, "mdf_roi") == [
        "Rendement des MDF",
        "— (rien de versé pour l’instant sur les demandes de ce trimestre)",
        "2,0×",
        "— (rien de versé sur les demandes d’il y a un an)",
    ]


def test_mdf_funds_in_french():
    # MA1 draws M1 (paid): 20 000 requested, 15 000 approved, 5 000 refused, none awaiting a decision;
    # 50 000 - 20 000 = 30 000 not requested; still to claim: M2 8 000 - 3 000 = 5 000 by 31 Oct
    wb = _euros(ts._mdf(ts.workbook()))
    with i18n.using("fr_FR"):
        text = _words(scorecard.mdf_funds(ts.partner(wb, "A")).data)
    assert (
        f"MA1{NBSP}: sur les 50{NNBSP}000{NBSP}€ alloués le 10 janv. 2026, 20{NNBSP}000{NBSP}€ demandés "
        f"(15{NNBSP}000{NBSP}€ approuvés, 5{NNBSP}000{NBSP}€ refusés, 0{NBSP}€ en attente de décision) et "
        f"30{NNBSP}000{NBSP}€ "
        "non demandés, à demander d’ici le 31 déc. 2026" in text
    )
    assert f"Approuvés, encore à réclamer avant la date limite 5{NNBSP}000{NBSP}€" in text
    assert f"MDF, douze derniers mois Montant Alloués 60{NNBSP}000{NBSP}€" in text


def test_title_facts_in_french():
    wb = ts._with_rows(ts.workbook(), "A", [("time_to_first_deal_days", 204.0, 204.0, ts.NAN)])
    wb.partners.loc[wb.partners["partner_id"] == "A", "joined_on"] = "2024-11-19"
    with i18n.using("fr_FR"):
        out = scorecard.title(ts.partner(wb, "A")).data
        partner = _words(scorecard.title(ts.partner(wb, "A"), "partner").data)
    assert f"<h1>Bilan partenaire{NBSP}: Partner &lt;A&gt;</h1>" in out
    assert (
        "A · Gold · EMEA · T3\u00a02026 · membre depuis le 19 nov. 2024 · première affaire après 204 jours"
        in out
    )
    assert "Votre trimestre en un coup d’œil" in partner and "première affaire" not in partner


def _raw(fragment: str) -> str:
    """The text of `fragment` with its no-break spaces kept (ts._plain folds them)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_tier_window_is_named_for_readers_one_quarter_and_two():
    """One quarter is « sur le T3 2026 », two are « du T2 2026 au T3 2026 », a no-break space
    inside each name; B (Gold, revenue 100 against 300) is at risk, as in test_scorecard."""
    wb = ts._history(ts.workbook())
    with i18n.using("fr_FR"):
        one = _raw(scorecard.tier_status(ts.partner(wb, "B")).data)
        wb.program["tiers"] = {**ts.TIERS, "window_quarters": 2}
        two = _raw(scorecard.tier_status(ts.partner(wb, "B")).data)
    assert one.startswith(f"Palier Gold, mesuré sur le T3{NBSP}2026.")
    # the gap over the window reported, then what the next review's window (2026-Q4 alone) asks: all 300
    assert (
        f"Risque de descendre d’un palier, vers Silver{NBSP}: sur le T3{NBSP}2026, il manque 200{NBSP}$US en "
        f"chiffre d’affaires. Les critères ne portent que sur ces trimestres (chiffre d’affaires{NBSP}: rien "
        f"d’avant le T3{NBSP}2026 n’est compté).À la prochaine revue, le 31 déc. 2026, les critères seront "
        f"mesurés sur le T4{NBSP}2026{NBSP}: le T3{NBSP}2026 ne comptera plus, et pour garder le palier Gold, le "
        f"T4{NBSP}2026 devra apporter 300{NBSP}$US de chiffre d’affaires."
    ) in one
    assert two.startswith(f"Palier Gold, mesuré du T2{NBSP}2026 au T3{NBSP}2026.")
    assert "2026-Q" not in one + two


def test_trend_charts_name_their_quarters_for_readers():
    """The revenue chart's ticks and its alt text say « T3 2026 », never '2026-Q3': eight quarters
    back from 2026-Q3 (A joined in 2024) start at 2024-Q4."""
    wb = ts._history(ts.workbook())
    with i18n.using("fr_FR"):
        out = scorecard.revenue_chart(ts.partner(wb, "A")).data
    assert f"Chiffre d’affaires par trimestre, du T4{NBSP}2024 au T3{NBSP}2026" in html.unescape(out)
    assert f">T3{NBSP}2026<" in html.unescape(out) and "2026-Q3" not in out


def test_a_money_objective_gets_one_currency_sign_however_its_text_writes_the_amount():
    """A plan objective's text from the data may already carry the amount with its unit (French
    sample: « 303 000 € ») or bare as English writes it ("492,000"): one sign, the locale's way."""
    p = ts.partner(_euros(ts.workbook()), "A")
    french_data = f"Porter le chiffre d’affaires à 303{NNBSP}000{NBSP}€ sur l’année du plan"
    with i18n.using("fr_FR"):
        assert scorecard._objective_text(p, french_data, "revenue", 303000) == french_data
        assert (
            scorecard._objective_text(p, "Grow revenue to 492,000 in the plan year", "revenue", 492000)
            == f"Grow revenue to 492{NNBSP}000{NBSP}€ in the plan year"
        )
    assert (
        scorecard._objective_text(p, "Grow revenue to 492,000 in the plan year", "revenue", 492000)
        == "Grow revenue to €492,000 in the plan year"
    )


def test_a_change_in_points_is_worked_out_from_the_unrounded_rates():
    """51.52% against 45.45%: +6.07 points, under ten: one decimal, and so the rate beside it (51.5%);
    a revenue of 1,002 against 1,000 (+0.2%) is 'no change', as 0.04 points is."""
    p = ts.partner(ts.workbook(), "A")
    assert scorecard._delta(p, "win_rate", 0.5152, 0.4545) == "+6.1 pts on prior period"
    assert scorecard._delta(p, "win_rate", 0.4545, 0.5152) == "−6.1 pts on prior period"
    assert scorecard._headline_value(p, "win_rate", 0.5152, 0.4545) == "51.5%"
    assert scorecard._delta(p, "win_rate", 0.6, 0.45) == "+15 pts on prior period"
    assert scorecard._headline_value(p, "win_rate", 0.6, 0.45) == "60%"
    assert scorecard._delta(p, "win_rate", 0.2344, 0.234) == "no change on prior period"
    assert scorecard._delta(p, "revenue", 1002, 1000) == "no change on prior period"


def test_lapsed_mdf_is_said_with_its_amount_and_last_deadline():
    # report day 30 Sep 2026: M1 4,000 (5,000 - 1,000) lapsed on 3 Sep, M2 9,500 on 24 Sep
    requests = _mdf(["2026-09-03", "2026-09-24"], [5000.0, 10000.0], [1000.0, 500.0])
    p = ts.partner(_euros(ts.workbook()), "A")
    with i18n.using("fr_FR"):
        text = _words(scorecard._claims(p, requests, pd.Timestamp("2026-09-30")).data)
    assert text == (
        f"Aucune demande approuvée n’a de date limite de réclamation encore à venir. 13{NNBSP}500{NBSP}€ approuvés n’ont pas été "
        f"réclamés avant leur date limite et sont perdus (2 demandes dont la date limite de réclamation est "
        "passée, la dernière le 24 sept. 2026)."
    )
    one = _mdf(["2026-09-03"], [5000.0], [1000.0])
    assert _words(scorecard._claims(p, one, pd.Timestamp("2026-09-30")).data) == (
        "No approved request has a claim deadline still to come. €4,000 approved was not claimed by its deadline and has lapsed "
        "(1 request, whose claim deadline was 3 Sep 2026)."
    )


def test_what_the_mdf_totals_count_beyond_the_allocation_lines_in_french():
    # test_scorecard's M0 (15 Nov 2025, before MA1: 6 000 requested, 5 000 approved) and M9 (rejected, 3 000)
    wb = _euros(ts._mdf_outside(ts.workbook()))
    with i18n.using("fr_FR"):
        text = _words(scorecard.mdf_funds(ts.partner(wb, "A")).data)
    assert (
        f"Les totaux sur douze mois comptent aussi 6{NNBSP}000{NBSP}€ demandés et 5{NNBSP}000{NBSP}€ approuvés "
        "sur des demandes faites avant le 10 janv. 2026, au titre d’une allocation antérieure."
    ) in text
    # M9's 3 000 € is in MA1's refused amount: said once
    assert "demande refusée" not in text


def test_an_extreme_attainment_is_flagged_for_us_and_only_praised_to_the_partner():
    # revenue 400 against a target of 100: 400%, above 300%. Internal page: check the target;
    # the page sent to the partner: only that it is well above target.
    targets = pd.DataFrame({"partner_id": ["A"], "metric": ["revenue"], "target": [100.0]})
    wb = _euros(ts.workbook(targets=targets))
    with i18n.using("fr_FR"):
        ours = scorecard.attainment(ts.partner(wb, "A")).data
        sent = scorecard.attainment(ts.partner(wb, "A"), "partner").data
    assert (
        ts._row(ours, "revenue")[3]
        == f"400{NBSP}% (cible très inférieure au résultat réel{NBSP}: vérifier la cible)"
    )
    assert ts._row(sent, "revenue")[3] == f"400{NBSP}% (bien au-delà de la cible)"
    assert "vérifier" not in sent and "rythme réel" not in sent
    with i18n.using("en_US"):
        sent = scorecard.attainment(ts.partner(ts.workbook(targets=targets), "A"), "partner").data
    assert ts._row(sent, "revenue")[3] == "400% (well above target)"


def test_a_complete_period_says_met_close_or_behind_in_french():
    # revenue 400 of 400: 100 % (atteint); certifications 0 of 2: 0 % (en retard); no pace note
    targets = pd.DataFrame(
        {"partner_id": ["A", "A"], "metric": ["revenue", "certifications"], "target": [400.0, 2.0]}
    )
    wb = _euros(ts.workbook(targets=targets))
    with i18n.using("fr_FR"):
        out = scorecard.attainment(ts.partner(wb, "A"), "partner").data
    # said of a target (« cible », feminine), as the section's intro says « atteintes, proches ou en retard »
    assert ts._row(out, "revenue")[-1] == "atteinte"
    assert ts._row(out, "certifications")[-1] == "en retard"
    assert "rythme" not in _words(out).lower()
    assert (
        f"La période est terminée (données jusqu’au 30 sept. 2026){NBSP}: une cible «{NBSP}atteinte{NBSP}» l’est "
        f"en entier, «{NBSP}proche{NBSP}» l’est à 90{NBSP}% au moins, «{NBSP}en retard{NBSP}» en deçà."
    ) in _words(out)


def test_a_target_not_set_and_the_values_line_in_french():
    targets = pd.DataFrame(
        {"partner_id": ["A", "A"], "metric": ["revenue", "certifications"], "target": [400.0, float("nan")]}
    )
    wb = _euros(ts.workbook(targets=targets))
    with i18n.using("fr_FR"):
        out = scorecard.attainment(ts.partner(wb, "A"), "partner").data
        values = scorecard.values(ts.partner(wb, "A")).data
    assert "— (non fixée)" in _words(out) and "non fixé)" not in _words(out)
    assert (
        f"<p>Chacun des objectifs présentés ici sert l’une de <strong>nos valeurs</strong>{NBSP}:</p>"
        in values
    )


def test_registrations_with_their_own_expiry_dates_need_no_explanation():
    # R1 submitted 15 Jul, expiring 13 Oct (13 days after 30 Sep): 1 of 1 within 30 days
    rows = _registrations(["2026-07-15"], [1200.0]).assign(expires_on=pd.to_datetime(["2026-10-13"]))
    wb = _euros(ts._dataset(ts.workbook(), deal_registrations=rows))
    with i18n.using("fr_FR"):
        said = _words(scorecard.registrations(ts.partner(wb, "A")).data)
    assert said.startswith(f"1 enregistrement ouvert{NBSP}; nombre expirant dans les 30 jours{NBSP}: 1. ")
    assert "données" not in said
    assert _words(scorecard.registrations(ts.partner(wb, "A")).data).startswith(
        "1 open, 1 expiring within 30 days. "
    )


def test_the_step_to_keep_a_tier_names_the_next_review_in_french():
    # Gold needs 300 over four quarters; the next review (31 Dec 2026) keeps 2026-Q1 to Q3: 40 + 20
    # + 31 = 91, so 209 still to make in 2026-Q4 (test_scorecard works the same case in English)
    revenue = {"2025-Q4": 50.0, "2026-Q1": 40.0, "2026-Q2": 20.0, "2026-Q3": 31.0}
    wb = _euros(ts._four_quarters(ts._dataset(ts.workbook()), revenue))
    with i18n.using("fr_FR"):
        steps = scorecard.next_steps(ts.partner(wb, "B"))
    assert steps == [
        "Pour garder le palier Gold à la prochaine revue, le 31 déc. 2026 (du T1\u00a02026 au T4\u00a02026), il "
        f"vous faut encore, au T4\u00a02026, 209{NBSP}€ de chiffre d’affaires."
    ]
    # the business review point names the same review and figure, and what the closed window lacked
    with i18n.using("fr_FR"):
        points = scorecard.review_points(ts.partner(wb, "B"))
    assert points == [
        f"Palier menacé{NBSP}: Gold descendrait à Silver à la prochaine revue, le 31 déc. 2026 (du T1{NBSP}2026 "
        f"au T4{NBSP}2026), sauf si le T4{NBSP}2026 apporte 209{NBSP}€ de chiffre d’affaires (il manque "
        f"159{NBSP}€ en chiffre d’affaires, du T4{NBSP}2025 au T3{NBSP}2026)."
    ]


def test_the_partner_edition_says_what_matters_for_its_stage_in_french():
    # A is in sell: its metrics hold results (revenue), so results first, then activity; in
    # onboard (trainings, certifications, logins...) only activity
    wb = ts.workbook()
    with i18n.using("fr_FR"):
        sell = _words(scorecard.stage(ts.partner(wb, "A"), "partner").data)
        wb.__dict__["stages"] = wb.stages.replace({"sell": "onboard"})
        onboard = _words(scorecard.stage(ts.partner(wb, "A"), "partner").data)
    assert sell.startswith(
        f"À votre étape (vente), ce sont d’abord vos résultats qui comptent, suivis de votre activité{NBSP}:"
    )
    assert onboard.startswith(f"À votre étape (intégration), c’est votre activité qui compte le plus{NBSP}:")


def _platinum(registered: float):
    # tiers over one quarter: Gold 300 €, Platinum 1 000 € and 20 deals registered; A sells 400 €
    wb = _euros(ts._history(ts._dataset(ts.workbook())))
    wb.__dict__["program"] = {
        **wb.program,
        "tiers": {
            "window_quarters": 1,
            "levels": [
                {"name": "Gold", "criteria": {"revenue": 300}},
                {"name": "Platinum", "criteria": {"revenue": 1000, "deals_registered": 20}},
            ],
        },
    }
    row = {
        "partner_id": "A",
        "period": "2026-Q3",
        "metric": "deals_registered",
        "breakdown": "",
        "value": registered,
    }
    wb.__dict__["history"] = pd.concat([wb.history, pd.DataFrame([row])], ignore_index=True)
    return wb


def test_what_the_partner_lacks_for_a_tier_is_said_to_it_in_french():
    # A lacks 600 € of revenue for Platinum, and 6 deals registered with 14 of 20, 1 with 19 (the
    # singular form, which keeps the plural label away from the number 1)
    for registered, lacks in (
        (14.0, "6 affaires enregistrées"),
        (19.0, "1 en affaires enregistrées"),
    ):
        wb = _platinum(registered)
        with i18n.using("fr_FR"):
            ours = _words(scorecard.tier_status(ts.partner(wb, "A")).data)
            sent = _words(scorecard.tier_status(ts.partner(wb, "A"), "partner").data)
            steps = scorecard.next_steps(ts.partner(wb, "A"))
        money = f"600{NBSP}€ de chiffre d’affaires"
        # Platinum in bold; the window named; what it lacks listed with « et », « il manque » said once
        assert (
            f"Pour atteindre Platinum (critères mesurés sur le T3{NBSP}2026), il manque {money} et {lacks}."
            in sent
        )
        assert "vous" not in ours and f"il manque 600{NBSP}€ en chiffre d’affaires" in ours
    # the step counts the next review's window (2026-Q4 alone): all of 1 000 € and 20 deals to make,
    # the two needs joined as French lists things (« A et B », no semicolon)
    assert steps == [
        f"Pour atteindre le palier Platinum à la prochaine revue, le 31 déc. 2026 (sur le T4{NBSP}2026), il vous "
        f"faut encore, au T4{NBSP}2026, 1{NNBSP}000{NBSP}€ de chiffre d’affaires et 20 affaires enregistrées."
    ]
    # the tier section says the same figures for the next review, and why they differ from the gap
    assert (
        f"À la prochaine revue, le 31 déc. 2026, les critères seront mesurés sur le T4{NBSP}2026{NBSP}: le "
        f"T3{NBSP}2026 ne comptera plus, et pour atteindre le palier Platinum, le T4{NBSP}2026 devra apporter "
        f"1{NNBSP}000{NBSP}€ de chiffre d’affaires et 20 affaires enregistrées."
    ) in sent


def test_the_partner_edition_mdf_lines_add_up_in_french():
    # test_scorecard's reviewer case: 62 000 € allocated, 60 700 requested (55 200 approved, 5 500
    # refused, 0 awaiting a decision), 1 300 not requested; of the 55 200 approved 41 500 claimed,
    # 13 700 lapsed, 0 to claim
    wb = _euros(ts._reviewed_mdf(ts.workbook()))
    with i18n.using("fr_FR"):
        text = _words(scorecard.mdf_funds(ts.partner(wb, "A"), "partner").data)
    assert (
        f"Votre enveloppe MDF 2026, ouverte le 1er janv. 2026{NBSP}: 62{NNBSP}000{NBSP}€ "
        f"Demandé{NBSP}: 60{NNBSP}700{NBSP}€, dont 55{NNBSP}200{NBSP}€ approuvés, 5{NNBSP}500{NBSP}€ refusés et "
        f"0{NBSP}€ en attente de décision Non demandé{NBSP}: 1{NNBSP}300{NBSP}€ (demandes sur cette enveloppe possibles jusqu’au "
        "31 janv. 2027) "
        f"Sur les 55{NNBSP}200{NBSP}€ approuvés{NBSP}: 41{NNBSP}500{NBSP}€ réclamés, 13{NNBSP}700{NBSP}€ perdus "
        f"(non réclamés avant la date limite), 0{NBSP}€ encore à réclamer"
    ) in text
    assert "MA" not in text


def test_how_targets_were_set_in_french():
    p = ts.workbook(targets=ts.bases_frame()).partner("A")
    with i18n.using("fr_FR"):
        assert scorecard.how_targets_were_set(p) == (
            "Vos cibles en affaires enregistrées et taux de réussite sont fixées à partir de vos propres "
            "résultats des quatre derniers trimestres. "
            "Votre cible en certifications est fixée à partir des résultats de partenaires qui vous ressemblent "
            "dans le programme. "
            "Votre cible en chiffre d’affaires est fixée à partir de vos propres résultats depuis votre première "
            "vente, complétés par ceux de partenaires qui vous ressemblent le temps que vos ventes montent en "
            f"puissance, sans dépasser 38{NNBSP}200{NBSP}$US, le double de votre meilleur trimestre avant cette "
            f"période (19{NNBSP}100{NBSP}$US). "
            f"Vous n’avez pas de cible en nouveaux clients sur cette période{NBSP}: vos résultats à ce jour la "
            "rendraient inférieure à 0,5. "
            "Votre cible en plans d’affaires créés a été convenue avec votre responsable de compte pour cette "
            "période. "
            "Les cibles fixées à partir des résultats incluent la croissance que le programme prévoit pour les "
            "partenaires de votre palier et de votre étape sur cette période. "
            "Elles tiennent aussi compte de ce que nous attendons en matière de marge et de mix de produits, de "
            "la maturité de notre propre offre et de nos ventes, et de la capacité commerciale que vous nous consacrez"
            f"{NBSP}: ce ne sont donc pas simplement votre propre moyenne plus cette croissance."
        )
        others = ts.bases_frame().iloc[[0, 3]].assign(basis=["two years", "since first result"])
        assert scorecard.how_targets_were_set(ts.workbook(targets=others).partner("A")).startswith(
            "Votre cible en affaires enregistrées est fixée à partir de vos propres résultats des huit derniers "
            "trimestres, pour qu’une année calme ne la fasse pas baisser. "
            "Votre cible en chiffre d’affaires est fixée à partir de vos propres résultats depuis votre première "
            "vente. "
        )


def test_the_tier_table_says_certifications_earned_in_french():
    # test_scorecard's case: Gold needs 2 certifications over 2025-Q4 to 2026-Q3, those earned there
    wb = ts._four_quarters(ts._dataset(ts.workbook()), {"2025-Q4": 50.0, "2026-Q1": 40.0, "2026-Q2": 20.0})
    levels = [{"name": "Silver"}, {"name": "Gold", "criteria": {"revenue": 100, "certifications": 2}}]
    wb.__dict__["program"] = {**wb.program, "tiers": {"window_quarters": 4, "levels": levels}}
    with i18n.using("fr_FR"):
        out = scorecard.tier_status(ts.partner(_euros(wb), "B"), "partner").data
    assert ts._row(out, "certifications")[1] == f"Certifications obtenues (T4{NBSP}2025–T3{NBSP}2026)"


def test_refused_and_pending_mdf_in_french():
    # test_scorecard's case with R4 pending: 63 200 requested = 55 200 approved + 5 500 refused + 2 500
    # awaiting a decision
    wb = _euros(ts._pending_mdf(ts.workbook()))
    with i18n.using("fr_FR"):
        sent = _words(scorecard.mdf_funds(ts.partner(wb, "A"), "partner").data)
        ours = _words(scorecard.mdf_funds(ts.partner(wb, "A")).data)
    assert (
        f"Demandé{NBSP}: 63{NNBSP}200{NBSP}€, soit 1{NNBSP}200{NBSP}€ de plus que l’enveloppe, dont "
        f"55{NNBSP}200{NBSP}€ approuvés, 5{NNBSP}500{NBSP}€ refusés et 2{NNBSP}500{NBSP}€ en attente de décision"
    ) in sent
    assert (
        f"63{NNBSP}200{NBSP}€ demandés pour 62{NNBSP}000{NBSP}€ alloués le 1er janv. 2026, soit 1{NNBSP}200{NBSP}€ "
        f"de plus que l’allocation (55{NNBSP}200{NBSP}€ approuvés, 5{NNBSP}500{NBSP}€ refusés, 2{NNBSP}500{NBSP}€ en "
        "attente de décision)"
    ) in ours


def test_a_held_ramping_target_on_a_yearly_report_in_french():
    # test_scorecard's FY2026 case: best quarter 19 100, the cap over the year 2 x 19 100 x 4 = 152 800
    frame = ts.bases_frame().iloc[[3]].assign(baseline=4 * 81_276.6, target=137_400.0)
    wb = ts.workbook(targets=frame)
    wb.__dict__["period"] = ts.periods.parse("FY2026")
    with i18n.using("fr_FR"):
        said = scorecard.how_targets_were_set(wb.partner("A"))
    assert said.startswith(
        "Votre cible en chiffre d’affaires est fixée à partir de vos propres résultats depuis votre première "
        "vente, complétés par ceux de partenaires qui vous ressemblent le temps que vos ventes montent en "
        f"puissance, sans dépasser 152{NNBSP}800{NBSP}$US sur les 12 mois de cette période{NBSP}: le double de "
        f"votre meilleur trimestre avant cette période (19{NNBSP}100{NBSP}$US) par tranche de trois mois."
    )
