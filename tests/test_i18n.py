"""The message catalogue and the formats of a locale (issue 18, items 2 and 3).

Expected strings are written by hand here; Babel's CLDR data decides the separators, so the
French ones carry the narrow no-break space (U+202F) and the no-break space (U+00A0).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from partnerbook import i18n, numbers, periods, programme
from partnerbook.errors import ParamsError

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "lib" / "partnerbook" / "locale"
NNBSP, NBSP = "\u202f", "\u00a0"


def _fr_catalogue():
    with (LOCALES / "fr" / "LC_MESSAGES" / "partnerbook.po").open("rb") as fh:
        return read_po(fh)


# -- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale, expected",
    [
        (
            "en_US",
            [
                "$1,234,567",
                "−$1,235",
                "26%",
                "12.5%",
                "+26%",
                "12,345",
                "+23",
                "−8",
                "4.0×",
                "1 day",
                "12 days",
                "30 Sep 2026",
                "September 2026",
                "1 Jul",
            ],
        ),
        (
            "fr_FR",
            [
                f"1{NNBSP}234{NNBSP}567{NBSP}$US",
                f"−1{NNBSP}235{NBSP}$US",
                f"26{NBSP}%",
                f"12,5{NBSP}%",
                f"+26{NBSP}%",
                f"12{NNBSP}345",
                "+23",
                "−8",
                "4,0×",
                "1 jour",
                "12 jours",
                "30 sept. 2026",
                "septembre 2026",
                "1er juil.",
            ],
        ),
    ],
)
def test_numbers_and_dates_follow_the_locale(locale, expected):
    with i18n.using(locale):
        shown = [
            numbers.money(1234567.4, "USD"),
            numbers.money(-1234.5, "USD"),
            numbers.percent(0.256),
            numbers.percent(0.125, digits=1),
            numbers.percent(0.26, signed=True),
            numbers.count(12345),
            numbers.points(23.4),
            numbers.points(-7.6),
            numbers.ratio(4),
            numbers.days(1),
            numbers.days(12),
            numbers.date(pd.Timestamp("2026-09-30")),
            numbers.month("2026-09-30"),
            numbers.day_month("2026-07-01"),
        ]
    assert shown == expected


def test_euros_in_french_put_the_unit_after_the_number():
    with i18n.using("fr_FR"):
        assert numbers.money(1234567, "EUR") == f"1{NNBSP}234{NNBSP}567{NBSP}€"
        assert numbers.money(1_250_000, "EUR", compact=True) == f"1,3{NBSP}M{NBSP}€"
    with i18n.using("en_US"):
        assert numbers.money(1234567, "EUR") == "€1,234,567"
        assert numbers.money(1_250_000, "USD", compact=True) == "$1.3M"


def test_a_missing_value_is_a_dash_in_every_locale():
    with i18n.using("fr_FR"):
        assert numbers.money(float("nan"), "EUR") == "—"


# -- the locale in force ---------------------------------------------------------------------


def test_a_locale_without_a_catalogue_is_refused_not_guessed():
    with pytest.raises(i18n.LocaleError, match="no catalogue for the language of 'de_DE'"):
        i18n.check("de_DE")
    with pytest.raises(i18n.LocaleError, match="expected a locale such as en_US or fr_FR, found 'xx_YY'"):
        i18n.check("xx_YY")
    assert i18n.check("fr-ca") == "fr_CA"


def test_program_locale_is_checked_when_the_programme_is_loaded(tmp_path):
    path = tmp_path / "program.yaml"
    path.write_text("program:\n  locale: klingon\n")
    with pytest.raises(ParamsError, match=r"program.yaml: program.locale: expected a locale such as en_US"):
        programme.load(path)
    path.write_text("program:\n  locale: fr_FR\n")
    assert programme.load(path).locale == "fr_FR"


def test_using_restores_the_locale_before_it():
    i18n.activate("en_US")
    with i18n.using("fr_FR"):
        assert (i18n.current(), i18n.tag()) == ("fr_FR", "fr-FR")
    assert i18n.current() == "en_US"


# -- the catalogue ---------------------------------------------------------------------------


def test_the_template_lists_what_the_code_says(tmp_path, monkeypatch):
    """`make messages` was run after the last change to a message (the .pot is current)."""
    with (LOCALES / "partnerbook.pot").open("rb") as fh:
        committed = {m.id for m in read_po(fh) if m.id}
    pot = tmp_path / "now.pot"
    argv = [
        "pybabel",
        "-q",
        "extract",
        "-F",
        "babel.cfg",
        "--no-location",
        "--omit-header",
        "-k",
        "_",
        "-k",
        "N_",
        "-k",
        "ngettext:1,2",
        "-k",
        "pgettext:1c,2",
        "-k",
        "npgettext:1c,2,3",
        "-o",
        str(pot),
        "lib/partnerbook",
        "notebooks",
    ]  # as `make messages` does
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(argv)
    with pot.open("rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    assert sorted(map(str, extracted - committed)) == [], "run `make messages`"
    assert sorted(map(str, committed - extracted)) == [], "run `make messages`"


def test_every_message_has_a_french_translation_with_the_same_placeholders():
    missing, wrong = [], []
    for m in _fr_catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            missing.append(ids[0])
            continue
        wanted = set(re.findall(r"\{(\w*)", ids[-1]))
        for s in strings:
            if set(re.findall(r"\{(\w*)", s)) - wanted or (
                len(strings) == 1 and wanted - set(re.findall(r"\{(\w*)", s))
            ):
                wrong.append((ids[0], s))
    assert missing == [], f"{len(missing)} messages without a French translation"
    assert wrong == []


def test_the_compiled_catalogue_is_the_po():
    with (LOCALES / "fr" / "LC_MESSAGES" / "partnerbook.mo").open("rb") as fh:
        compiled = {_tuple(m.id): _tuple(m.string) for m in read_mo(fh) if m.id}
    written = {
        _tuple(m.id): _tuple(m.string)
        for m in _fr_catalogue()
        if m.id and not m.fuzzy and all(_tuple(m.string))
    }
    assert compiled == written, "run `make messages`"


def _tuple(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def test_french_plurals_count_one_as_singular():
    with i18n.using("fr_FR"):
        assert [numbers.days(n) for n in (0, 1, 2)] == ["0 jour", "1 jour", "2 jours"]


def test_french_writes_the_first_of_a_month_as_1er():
    with i18n.using("fr_FR"):
        assert numbers.date(pd.Timestamp("2026-01-01")) == "1er janv. 2026"
        assert numbers.day_month("2026-07-01") == "1er juil."
        assert numbers.date("2026-07-02") == "2 juil. 2026"  # only the first is an ordinal
        assert numbers.day_month("2026-07-31") == "31 juil."
    assert (numbers.date("2026-01-01"), numbers.day_month("2026-07-01")) == ("1 Jan 2026", "1 Jul")


# the French text of a message; a straight ' may stay inside {placeholders}, <tags> and `code`
_NOT_TEXT = re.compile(r"\{[^}]*\}|<[^>]*>|`[^`]*`")


def test_no_french_message_has_a_straight_apostrophe():
    found = [s for m in _fr_catalogue() if m.id for s in _tuple(m.string) if "'" in _NOT_TEXT.sub("", s)]
    assert found == [], "write ’ (U+2019) in French"


@pytest.mark.parametrize("path", ["params/program.fr.yaml", "lib/partnerbook/sample_fr_FR.yaml"])
def test_the_french_programme_and_sample_write_typographic_apostrophes(path):
    def strings(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield str(k)
                yield from strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v)
        elif isinstance(node, str):
            yield node

    found = [s for s in strings(yaml.safe_load((ROOT / path).read_text())) if "'" in s]
    assert found == []


def test_a_french_quarter_never_breaks_across_lines():
    with i18n.using("fr_FR"):
        assert [periods.label_for_people(p) for p in ("2026-Q3", "FY2026", "FY2027-Q1")] == [
            f"T3{NBSP}2026",
            f"exercice{NBSP}2026",
            f"T1{NBSP}exercice{NBSP}2027",
        ]
