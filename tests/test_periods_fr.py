"""A period in a French sentence agrees with the word before it: « le récit du T3 2026 »,
« au T3 2026 », « en septembre 2026 », « de l’exercice 2026 », « du T4 2025 au T3 2026 »
(i18n.Label, from periods.label_for_people). English is untouched: no spec there.

Every expected string is written out by hand."""

import re
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from partnerbook import display, i18n, narrative, periods

NB = "\u00a0"  # the no-break space inside « T3 2026 » and before « : »
PO = Path(__file__).parents[1] / "lib/partnerbook/locale/fr/LC_MESSAGES/partnerbook.po"
# a French word that does not agree with a label that follows: « de T3 », « en T3 », « à T3 »,
# « de le T3 », « en l’exercice », « de août » (the label makes the contraction and the elision)
WRONG = re.compile(r"(?<![\w’])(?:de|en|à|De|En|À) (?:le )?T\d|\ben l’exercice|\bde (?:avril|août|octobre)")


def said(name, spec, fy_start_month=1):
    with i18n.using("fr_FR"):
        return format(periods.label_for_people(name, fy_start_month), spec)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        # a quarter is masculine with its article: le T3 -> du T3, au T3
        ("2026-Q3", ["T3 2026", "le T3 2026", "du T3 2026", "au T3 2026", "au T3 2026"]),
        # a month has no article: de septembre, à septembre, en septembre
        (
            "2026-09",
            [
                "septembre 2026",
                "septembre 2026",
                "de septembre 2026",
                "à septembre 2026",
                "en septembre 2026",
            ],
        ),
        # a fiscal year is « l’exercice »: de l’exercice, à l’exercice, sur l’exercice
        (
            "FY2026",
            [
                "exercice 2026",
                "l’exercice 2026",
                "de l’exercice 2026",
                "à l’exercice 2026",
                "sur l’exercice 2026",
            ],
        ),
    ],
)
def test_each_grain_takes_its_own_preposition(name, forms):
    got = [said(name, spec).replace(NB, " ") for spec in ("", "le", "de", "à", "en")]
    assert got == forms


def test_a_fiscal_quarter_is_a_quarter():
    """April start: FY2027-Q1 is April-June 2026, « T1 exercice 2027 », masculine like any quarter."""
    assert said("FY2027-Q1", "de", 4).replace(NB, " ") == "du T1 exercice 2027"
    assert said("FY2027-Q1", "en", 4).replace(NB, " ") == "au T1 exercice 2027"


def test_a_capital_spec_starts_a_sentence():
    assert said("2026-Q3", "En").replace(NB, " ") == "Au T3 2026"
    assert said("2026-09", "En").replace(NB, " ") == "En septembre 2026"
    assert said("FY2026", "De").replace(NB, " ") == "De l’exercice 2026"


def test_a_range_of_quarters_and_of_months():
    """The catalogue's « {first:de} {last:à} »: du T4 2025 au T3 2026, de juin à septembre."""
    with i18n.using("fr_FR"):
        quarters = "{first:de} {last:à}".format(
            first=periods.label_for_people("2025-Q4"), last=periods.label_for_people("2026-Q3")
        )
        months = "{first:de} {last:à}".format(
            first=periods.label_for_people("2026-06"), last=periods.label_for_people("2026-09")
        )
    assert quarters.replace(NB, " ") == "du T4 2025 au T3 2026"
    assert months.replace(NB, " ") == "de juin 2026 à septembre 2026"


def test_english_is_the_name_people_type_and_keeps_str_specs():
    label = periods.label_for_people("2026-Q3")
    assert f"the story of {label}" == "the story of 2026-Q3"
    assert f"[{label:>9}]" == "[  2026-Q3]"
    assert "{p:de}".format(p=periods.label_for_people("")) == ""  # no period: no words around it


def test_escaping_keeps_the_agreement():
    """display.paragraph escapes its values; a label stays a label and still agrees."""
    with i18n.using("fr_FR"):
        shown = display.paragraph(
            "Rien {period:en} ni {prior:de}.",
            period=periods.label_for_people("2026-Q3"),
            prior=periods.label_for_people("2026-08"),
        )
    assert shown.data.replace(NB, " ") == "<p>Rien au T3 2026 ni d’août 2026.</p>"


def test_de_elides_before_a_vowel():
    assert said("2026-04", "de").replace(NB, " ") == "d’avril 2026"
    assert said("2026-10", "De").replace(NB, " ") == "D’octobre 2026"
    assert said("2026-04", "en").replace(NB, " ") == "en avril 2026"


# ---------------------------------------------------------------- the story, rendered in French

PROGRAM = {
    "program": {"currency": "EUR"},
    "objectives": [{"id": "revenue", "name": "Croître", "metric": "revenue", "target": 1_500_000}],
}


def _story(period, prior, year_ago):
    metrics = pd.DataFrame(
        [
            {
                "partner_id": pd.NA,
                "period": period,
                "metric": m,
                "breakdown": "",
                "value": v,
                "prior_value": p,
                "year_ago_value": y,
            }
            for m, v, p, y in [
                ("revenue", 1_200.0, 1_000.0, 900.0),
                ("revenue_growth_qoq", 0.2, None, None),
                ("win_rate", 0.4, 0.3, 0.35),
                ("opportunities_closed", 10, 10, 10),
                ("deals_won", 4, 3, 3),
            ]
        ]
    ).astype({"partner_id": "string"})
    c = narrative.Context(metrics=metrics, program=PROGRAM, period=period, prior=prior, year_ago=year_ago)
    with i18n.using("fr_FR"):
        return " ".join(narrative.title(c).html + narrative.summary(c).sentences).replace(NB, " ")


def test_a_quarter_s_story_says_du_and_au():
    text = _story("2026-Q3", "2026-Q2", "2025-Q3").replace("\u202f", " ")
    assert "le récit du T3 2026</h1>" in text
    assert "s’élève à 1 200 € au T3 2026, en hausse de 20 % par rapport au T2 2026 :" in text
    assert "en hausse par rapport à 30,0 % au T2 2026." in text  # rates: one decimal
    assert "aucun enregistrement d’affaire n’a été saisi au T3 2026." in text
    assert "Depuis le T2 2026, la plus forte hausse" in text
    assert not WRONG.search(text), WRONG.search(text)


def test_a_month_s_story_says_de_and_en():
    text = _story("2026-09", "2026-08", "2025-09").replace("\u202f", " ")
    assert "le récit de septembre 2026</h1>" in text
    assert "s’élève à 1 200 € en septembre 2026, en hausse de 20 % par rapport à août 2026." in text
    assert "en hausse par rapport à 30,0 % en août 2026." in text
    assert "Depuis août 2026, la plus forte hausse" in text
    assert not WRONG.search(text), WRONG.search(text)


# ---------------------------------------------------------------- the catalogue

# the placeholders the library fills with a period label (periods.label_for_people); {prior} is
# a period where the English says « in/on {prior} » (elsewhere it is the prior value)
PERIODS = {"period", "prior_period", "year_ago", "cohort"}


def _periods_in(msgid):
    found = set(re.findall(r"\{(\w+)\}", msgid)) & PERIODS
    if re.search(r"\b(?:in|on) \{prior\}", msgid):
        found.add("prior")
    if "before {quarter}" in msgid or re.search(r"\{first\} to \{last\}", msgid) and "{plan}" not in msgid:
        found |= {"quarter", "first", "last"} & set(re.findall(r"\{(\w+)\}", msgid))
    return found


def _with_periods():
    """(msgid, French strings, period placeholders) of every message that slots a period."""
    with PO.open("rb") as f:
        catalogue = read_po(f)
    for m in catalogue:
        msgid = m.id[0] if isinstance(m.id, tuple) else m.id
        names = _periods_in(msgid or "")
        if names:
            yield msgid, m.string if isinstance(m.string, tuple) else (m.string,), names


def test_no_french_sentence_puts_a_bare_preposition_before_a_period():
    """« de {period} » would read « de T3 2026 »: the catalogue writes « {period:de} »."""
    found = list(_with_periods())
    assert len(found) > 120  # about 130 messages slot a period (the survey of the catalogue)
    bare = [
        s
        for _msgid, strings, names in found
        for s in strings
        for name in names
        if re.search(rf"(?<![\w’])(?:de|du|en|au|à|le|De|Du|En|Au|À|Le) \{{{name}\}}", s)
    ]
    assert bare == []


def test_every_french_sentence_reads_right_for_a_quarter_a_month_and_a_year():
    """Each French message with a period, filled with T3 2026, avril 2026, exercice 2026."""
    wrong = []
    with i18n.using("fr_FR"):
        for name in ("2026-Q3", "2026-04", "FY2026"):
            label = periods.label_for_people(name)
            for _msgid, strings, names in _with_periods():
                for s in strings:
                    values = {k: label if k in names else "X" for k in re.findall(r"\{(\w+)", s)}
                    text = s.format(**values).replace(NB, " ")
                    if WRONG.search(text):
                        wrong.append(text)
    assert wrong == []
