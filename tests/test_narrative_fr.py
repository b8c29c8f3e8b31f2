"""The story in French, word for word, with one and with several partners, objectives and deals:
plurals (0 and 1 singular), agreement (« une affaire conclue », « 1 partenaire a quitté »),
money as French writes it (« 1 234 567 € »: narrow no-break spaces between thousands, a
no-break space before the unit) and French spacing before « : » and « ; ».

Every expected sentence is written out by hand; the English of the same stories is pinned by
test_narrative.py and test_story_*.py."""

import html
import math
import re
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from partnerbook import i18n, narrative, store

NN, NB = "\u202f", "\u00a0"  # French thousands separator; space before « : », « € », « % »
NAN = math.nan
UNITS = {
    "revenue": ("money", "Revenue"),
    "revenue_growth_qoq": ("rate", "Revenue growth QoQ"),
    "revenue_growth_yoy": ("rate", "Revenue growth YoY"),
    "win_rate": ("rate", "Win rate"),
    "partner_attrition_rate": ("rate", "Partner attrition rate"),
    "mdf_roi": ("ratio", "MDF ROI"),
}
CATALOGUE = {
    m: NS(
        name=m,
        label=UNITS.get(m, ("count", m.replace("_", " ").capitalize()))[1],
        unit=UNITS.get(m, ("count",))[0],
        good="up",
    )
    for m in [
        "revenue",
        "revenue_growth_qoq",
        "revenue_growth_yoy",
        "win_rate",
        "deals_won",
        "opportunities_closed",
        "new_logos",
        "deals_registered",
        "certifications",
        "partner_attrition_rate",
        "mdf_roi",
    ]
}
PROGRAM = {
    "program": {"currency": "EUR", "peer_minimum": 5},
    "objectives": [
        {"id": "revenue", "name": "Croître avec les partenaires", "metric": "revenue", "target": 1_500_000},
        {"id": "certify", "name": "Certifier les partenaires", "metric": "certifications", "target": 20},
    ],
    "reporting": {"audiences": [{"slug": "enablement", "name": "Enablement", "objectives": ["certify"]}]},
}


@pytest.fixture(autouse=True)
def french():
    with i18n.using("fr_FR"):
        yield


def table(rows):
    """rows: metric -> (value, prior_value, year_ago_value) at programme level."""
    return pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "period": "2026-Q3",
                "metric": m,
                "breakdown": "",
                "value": v[0],
                "prior_value": v[1],
                "year_ago_value": v[2],
            }
            for m, v in rows.items()
        ]
    ).astype({"partner_id": "string"})


def ctx(rows, program=PROGRAM, **kw):
    return narrative.Context(
        metrics=table(rows),
        program=program,
        period="2026-Q3",
        prior="2026-Q2",
        year_ago="2025-Q3",
        catalogue=CATALOGUE,
        **kw,
    )


# ---------------------------------------------------------------- the summary


def test_several_deals_logos_registrations_and_objectives():
    """1 234 567 € against 1 073 536 € (+15 %); 12 of 35 deals won; 3 logos; 14 registrations;
    revenue at 1 234 567 / 1 500 000 = 82 % of its goal, certifications 9 / 20 = 45 %."""
    rows = {
        "revenue": (1_234_567, 1_073_536, NAN),
        "revenue_growth_qoq": (0.15, NAN, NAN),
        "opportunities_closed": (35, 30, NAN),
        "deals_won": (12, 9, NAN),
        "win_rate": (12 / 35, 0.30, NAN),
        "new_logos": (3, 2, NAN),
        "deals_registered": (14, 14, NAN),
        "certifications": (9, NAN, NAN),
    }
    assert narrative.summary(ctx(rows)).sentences == [
        f"Le chiffre d’affaires partenaires s’élève à 1{NN}234{NN}567{NB}€ au T3\u00a02026, en hausse de 15{NB}% "
        f"par rapport au T2\u00a02026{NB}: 82{NB}% de l’objectif de 1{NN}500{NN}000{NB}€.",
        f"Le taux de réussite est de 34,3{NB}% (12 sur 35 affaires clôturées), en hausse par rapport à 30,0{NB}% "
        "au T2\u00a02026.",
        "Les partenaires ont apporté 3 nouveaux clients et soumis 14 enregistrements d’affaires.",
        f"Sur les 2 objectifs mesurés au T3\u00a02026, aucun n’a atteint sa cible{NB}: le plus proche est "
        f"«{NB}Croître avec les partenaires{NB}», à 82{NB}% de sa cible{NN}; le plus éloigné est "
        f"«{NB}Certifier les partenaires{NB}», à 45{NB}%.",
        # won 12 / 9 = +33 %, closed 35 / 30 = +17 %, revenue +15 %; registrations flat; logos 3 from 2
        # under the base of 5
        f"Depuis le T2\u00a02026, la plus forte hausse concerne l’indicateur «{NB}affaires gagnées{NB}»{NB}: 12, "
        f"en hausse par rapport à 9 (+33{NB}%).",
    ]


def test_one_deal_one_logo_one_registration_one_objective():
    """1 deal closed and won; 1 logo; 1 registration; revenue at 1 000 / 1 500 = 67 % of its goal;
    the enablement audience reads one objective in its scorecard, and its summary speaks of that one."""
    rows = {
        "revenue": (1_000, 1_000, 1_000),
        "revenue_growth_qoq": (0.0, NAN, NAN),
        "revenue_growth_yoy": (-0.25, NAN, NAN),
        "opportunities_closed": (1, 1, NAN),
        "deals_won": (1, 1, NAN),
        "win_rate": (1.0, 1.0, NAN),
        "new_logos": (1, 0, NAN),
        "deals_registered": (1, 1, NAN),
        "certifications": (9, NAN, NAN),
    }
    program = {
        **PROGRAM,
        "objectives": [{**PROGRAM["objectives"][0], "target": 1_500}, PROGRAM["objectives"][1]],
    }
    assert narrative.summary(ctx(rows, program=program, audience="enablement")).sentences == [
        f"Le chiffre d’affaires partenaires s’élève à 1{NN}000{NB}€ au T3\u00a02026, stable par rapport au T2\u00a02026 "
        f"et en baisse de 25{NB}% par rapport au T3\u00a02025{NB}: 67{NB}% de l’objectif de 1{NN}500{NB}€.",
        f"Le taux de réussite est de 100,0{NB}% (1 sur 1 affaire clôturée), à peu près comme au T2\u00a02026.",
        "Les partenaires ont apporté 1 nouveau client et soumis 1 enregistrement d’affaire.",
        f"Le seul objectif disposant de données, «{NB}Certifier les partenaires{NB}», est à 45{NB}% de sa cible.",
    ]


def test_no_deal_no_logo_no_registration():
    rows = {
        "revenue": (0, 0, NAN),
        "opportunities_closed": (0, 2, NAN),
        "deals_won": (0, 1, NAN),
        "win_rate": (NAN, 0.5, NAN),
        "new_logos": (0, 1, NAN),
        "deals_registered": (0, 2, NAN),
    }
    assert narrative.summary(ctx(rows, program={"program": {"currency": "EUR"}})).sentences == [
        "Aucun chiffre d’affaires n’a été réalisé via les partenaires au T3\u00a02026, sans chiffre d’affaires au "
        "T2\u00a02026 pour comparer.",
        f"Aucune affaire partenaire n’a été clôturée au T3\u00a02026{NB}: il n’y a donc pas de taux de réussite.",
        "Les partenaires n’ont apporté aucun nouveau client, et aucun enregistrement d’affaire n’a été saisi "
        "au T3\u00a02026.",
    ]


def test_the_scorecard_speaks_french_with_masculine_statuses():
    """« objectif » is masculine: « atteint », not « atteinte »."""
    rows = {"revenue": (1_600_000, 1_500_000, NAN), "certifications": (9, 10, NAN)}
    html = "".join(narrative.scorecard(ctx(rows)).html)
    assert (
        "<tr><th>Objectif</th><th>Valeur</th><th>Cible</th><th>Statut</th>"
        "<th>Évolution par rapport au T2\u00a02026</th></tr>"
    ) in html
    assert f"<td>atteint</td><td>+7{NB}%</td>" in html  # 1 600 000 / 1 500 000 - 1 = +6.7 %
    assert f"<td>en retard</td><td>\u221210{NB}%</td>" in html  # 9 / 10 - 1 = -10 %


def test_a_ratio_moves_with_a_decimal_comma_or_not_at_all():
    """MDF ROI 3,50× against 3,00× a quarter before: +0,50×; 3,001× against 3,00×: no change."""
    program = {
        "program": {"currency": "EUR"},
        "objectives": [{"id": "roi", "name": "Rentabiliser les FDM", "metric": "mdf_roi", "target": 3}],
    }
    moved = "".join(narrative.scorecard(ctx({"mdf_roi": (3.5, 3.0, NAN)}, program=program)).html)
    still = "".join(narrative.scorecard(ctx({"mdf_roi": (3.001, 3.0, NAN)}, program=program)).html)
    assert "<td>atteint</td><td>+0,50×</td>" in moved
    assert "<td>atteint</td><td>sans changement</td>" in still


# ---------------------------------------------------------------- partners joining and leaving

IDS = [f"P{i:02d}" for i in range(1, 11)]


def partners_ctx(at_start: int, left: list[str], **kw) -> narrative.Context:
    """10 partners in the programme at the end of 2026-Q3, all selling; `left` left during it."""
    gone = pd.DataFrame(
        {
            "partner_id": left,
            "name": [f"Gone {p}" for p in left],
            "left_on": pd.Timestamp("2026-08-15"),
            "revenue_4q": 450.0,
        }
    )
    rows = {"partner_attrition_rate": (len(left) / at_start, NAN, NAN)}
    return ctx(rows, stages=pd.Series("sell", index=IDS), at_start=at_start, left=gone, **kw)


def portfolio_paragraphs(c) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", p))
        for p in re.findall(r"<p>(.*?)</p>", "".join(narrative.portfolio_section(c).html))
    ]


def test_one_partner_joined_and_one_left():
    """10 at the end = 10 on the first day + 1 joined - 1 left; attrition 1 / 10 = 10 %."""
    paragraphs = portfolio_paragraphs(partners_ctx(10, ["P99"]))
    assert paragraphs[0].startswith(
        f"10 partenaires dans le programme à la fin du T3\u00a02026 (10 au premier jour, 1 a rejoint et 1 est parti, "
        f"le partenaire nommé ci-dessous){NB}: 10 à l’étape "
    )
    assert paragraphs[-1] == (
        f"1 partenaire a quitté le programme au T3\u00a02026{NN}; l’attrition est de 10{NB}% "
        f"des 10 partenaires présents au premier jour{NB}:"
    )


def test_several_partners_joined_and_several_left():
    """10 at the end = 4 on the first day + 8 joined - 2 left; attrition 2 / 4 = 50 %."""
    paragraphs = portfolio_paragraphs(partners_ctx(4, ["P98", "P99"]))
    assert paragraphs[0].startswith(
        f"10 partenaires dans le programme à la fin du T3\u00a02026 (4 au premier jour, 8 ont rejoint et 2 sont "
        f"partis, les partenaires nommés ci-dessous){NB}: 10 à l’étape "
    )
    assert paragraphs[-1] == (
        f"2 partenaires ont quitté le programme au T3\u00a02026{NN}; l’attrition est de 50{NB}% "
        f"des 4 partenaires présents au premier jour{NB}:"
    )


def test_one_partner_in_the_programme_and_none_left():
    c = ctx(
        {"partner_attrition_rate": (0.0, NAN, NAN)},
        stages=pd.Series(["grow"], index=["P01"]),
        at_start=1,
        left=pd.DataFrame(columns=["partner_id", "name", "left_on", "revenue_4q"]),
    )
    paragraphs = portfolio_paragraphs(c)
    assert paragraphs[0].startswith(
        f"1 partenaire dans le programme à la fin du T3\u00a02026 (1 au premier jour){NB}: "
    )
    assert (
        paragraphs[-1]
        == f"Aucun partenaire n’a quitté le programme au T3\u00a02026{NN}; l’attrition est de 0{NB}%."
    )


# ---------------------------------------------------------------- deals registered (feminine)


def registrations(statuses: list[str], amounts: list[float]) -> store.Dataset:
    frames = {name: store.empty_frame(name) for name in store.TABLES}
    frames["partners"] = store.coerce("partners", pd.DataFrame({"partner_id": ["P01"], "name": ["Alpha"]}))
    frames["deal_registrations"] = store.coerce(
        "deal_registrations",
        pd.DataFrame(
            {
                "registration_id": [f"R{i}" for i in range(len(statuses))],
                "partner_id": "P01",
                "submitted_on": "2026-08-01",
                "status": statuses,
                "amount": amounts,
            }
        ),
    )
    return store.Dataset(frames, frozenset())


def pipeline_sentences(data) -> list[str]:
    c = ctx(
        {"pipeline": (2_000_000, NAN, NAN)},
        dataset=data,
        period_start=pd.Timestamp("2026-07-01"),
        period_end=pd.Timestamp("2026-09-30"),
    )
    return narrative.audiences.pipeline(c).sentences


def test_one_registered_deal_agrees_in_the_feminine_singular():
    assert pipeline_sentences(registrations(["converted"], [5_000]))[1] == (
        f"Les partenaires ont enregistré 1 affaire d’une valeur de 5{NN}000{NB}€{NN}; 1 d’entre elles est déjà "
        "devenue une opportunité."
    )


def test_twelve_registered_deals_agree_in_the_feminine_plural():
    """12 deals: 5 converted, 2 approved, 1 rejected, 4 submitted; the rejected one's
    1 000 € is not counted: 11 x 1 000 € = 11 000 €."""
    statuses = ["converted"] * 5 + ["approved", "approved", "rejected"] + ["submitted"] * 4
    assert pipeline_sentences(registrations(statuses, [1_000.0] * 12))[1] == (
        f"Les partenaires ont enregistré 12 affaires d’une valeur de 11{NN}000{NB}€{NN}; 5 d’entre elles sont "
        "déjà devenues des opportunités, 2 ont été approuvées sans être encore devenues des opportunités, 1 a "
        "été refusée ou a expiré sans devenir une opportunité et 4 attendent encore une décision."
    )


# ---------------------------------------------------------------- lists and steps


def test_lists_are_joined_as_french_writes_them():
    assert narrative.core.join(["A"]) == "A"
    assert narrative.core.join(["A", "B"]) == "A et B"
    assert narrative.core.join(["A", "B", "C"]) == "A, B et C"
    assert narrative.core.join(["Gold", "Silver"], "or") == "Gold ou Silver"


def test_a_step_names_its_partners_owner_and_due_date_in_french():
    data = registrations(["converted"], [1.0])
    frames = {name: data[name] for name in store.TABLES if data.has(name)}
    frames["partners"] = store.coerce(
        "partners", pd.DataFrame({"partner_id": ["P01", "P02", "P03"], "name": ["Alpha", "Beta", "Gamma"]})
    )
    c = ctx(
        {"revenue": (1.0, 1.0, NAN)},
        dataset=store.Dataset({**{n: store.empty_frame(n) for n in store.TABLES}, **frames}, frozenset()),
        health=pd.DataFrame({"partner_id": ["P01", "P02", "P03"], "health": "at risk", "reasons": ""}),
        due="2026-10-31",
        program={"program": {"currency": "EUR"}},
    )
    items = [
        html.unescape(re.sub(r"<[^>]+>", "", i))
        for i in re.findall(r"<li>(.*?)</li>", "".join(narrative.next_steps(c).html))
    ]
    assert items == [
        f"Convenir d’une action de redressement avec Alpha, Beta et Gamma. Responsable{NB}: l’équipe partenaires. "
        f"Échéance{NB}: 31 oct. 2026. Terminé quand chaque partenaire à risque a, dans son plan de compte, une action "
        "de redressement avec un responsable et une date."
    ]


def test_the_headings_of_the_sections_are_french():
    c = ctx({"revenue": (1_000, 1_000, NAN)})
    assert narrative.part(c, "summary").html[0] == "<h2>Synthèse</h2>"
    assert narrative.part(c, "scorecard").html[0] == "<h2>Bilan des objectifs</h2>"
    assert (
        narrative.title(c)
        .html[0]
        .startswith("<h1>Programme partenaires\u00a0: le récit du T3\u00a02026</h1>")
    )


# ---------------------------------------------------------------- periods as readers name them


def test_an_audience_story_names_the_period_for_readers_and_the_audience_after_a_dash():
    c = ctx({"revenue": (1_000, 1_000, NAN)}, audience="enablement")
    assert (
        narrative.title(c)
        .html[0]
        .startswith("<h1>Programme partenaires\u00a0: le récit du T3\u00a02026 — Enablement</h1>")
    )


def test_a_number_s_title_names_the_period_and_the_change_for_readers():
    from partnerbook.narrative import trace

    fact = narrative.Fact("revenue", "2026-Q3", "partner:P1, change on 2026-Q2", 5.0, "5", "change")
    assert trace.title(fact, ctx({"revenue": (1_000, 1_000, NAN)})) == (
        "Chiffre d’affaires (évolution) · T3\u00a02026 · partenaire P1, évolution par rapport au T2\u00a02026"
    )


def test_registrations_say_what_became_of_them_in_english():
    """12 deals: 5 converted, 2 approved, 1 rejected, 4 submitted (the same as in French; in euros)."""
    statuses = ["converted"] * 5 + ["approved", "approved", "rejected"] + ["submitted"] * 4
    with i18n.using("en_US"):
        said = pipeline_sentences(registrations(statuses, [1_000.0] * 12))[1]
    assert said == (
        "Partners registered 12 deals worth €11,000; 5 of them have already become opportunities, 2 were "
        "approved and have not become opportunities yet, 1 was rejected or expired without becoming an "
        "opportunity and 4 are still waiting for a decision."
    )


def test_the_scorecard_writes_the_decimal_that_tells_close_from_met_in_french():
    """39,6 % against 40 %: 99 %, « proche »; whole percents would read 40 % against 40 %."""
    program = {
        "program": {"currency": "EUR"},
        "objectives": [{"id": "win", "name": "Gagner plus", "metric": "win_rate", "target": 0.40}],
    }
    html = "".join(narrative.scorecard(ctx({"win_rate": (0.396, 0.35, NAN)}, program=program)).html)
    assert f'<td class="num">39,6{NB}%</td><td class="num">40,0{NB}%</td><td>proche</td>' in html


def test_joiners_are_left_out_of_the_registrations_comparison_in_french():
    """test_narrative's joiners: P09 and P10 joined during T3 2026 and are left out, said in French."""
    from test_narrative import PROGRAM_SMALL, full_ctx, joined_in_q3

    program = {**PROGRAM_SMALL, "program": {**PROGRAM_SMALL["program"], "peer_minimum": 3}}
    ds, table = joined_in_q3("P09", "P10")
    said = narrative.why(full_ctx(program=program, dataset=ds, metrics=table)).sentences
    assert said[2] == (
        f"Les 2 partenaires entrés dans le programme au T3{NB}2026 sont exclus de la comparaison des "
        f"enregistrements d’affaires{NB}: ils n’étaient pas dans le programme au T2{NB}2026."
    )
    ds, table = joined_in_q3("P10")
    said = narrative.why(full_ctx(program=program, dataset=ds, metrics=table)).sentences
    assert said[2].startswith(f"1 partenaire entré dans le programme au T3{NB}2026 est exclu")
    # the number's tooltip names its group in French too
    assert narrative.trace.scope_text("joined during 2026-Q3") == f"entrés dans le programme au T3{NB}2026"


def test_an_audiences_summary_ranks_only_the_objectives_its_scorecard_shows_in_french():
    """Enablement shows « Certifier les partenaires » alone (9 of 20: 45 %): the summary speaks of
    it alone, not of the programme's two (revenue 1 600 000 of 1 500 000 would be the strongest)."""
    rows = {"revenue": (1_600_000, 1_500_000, NAN), "certifications": (9, NAN, NAN)}
    said = narrative.summary(ctx(rows, audience="enablement")).sentences
    assert (
        f"Le seul objectif disposant de données, «{NB}Certifier les partenaires{NB}», est à 45{NB}% de sa cible."
    ) in said
    assert not any("Croître avec les partenaires" in s for s in said)


def test_a_bridge_parts_tooltip_names_segment_and_region_in_words():
    # the bridge's parts are scoped 'segment:SMB', 'region:EMEA': a reader reads « Segment : PME »
    with i18n.using("en_US"):
        assert narrative.trace.scope_text("segment:SMB") == "Segment: SMB"
        assert (
            narrative.trace.scope_text("region:EMEA, change on 2026-Q2") == "Region: EMEA, change on 2026-Q2"
        )
    with i18n.using("fr_FR"):
        assert narrative.trace.scope_text("segment:PME") == f"Segment{NB}: PME"
        assert narrative.trace.scope_text("region:Île-de-France") == f"Région{NB}: Île-de-France"
