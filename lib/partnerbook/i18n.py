"""Language for people: the locale in force and one message catalogue (gettext via Babel).

    from .i18n import _, N_, ngettext, pgettext
    i18n.activate("fr_FR")                       # a report's locale (workbook.open does this)
    _("Open pipeline")                           # 'Pipeline ouvert'
    ngettext("{n} partner left", "{n} partners left", n).format(n=n)
    with i18n.using("fr_FR"): ...                # a locale for one block (delivery, tests)

Every sentence, label and heading a reader sees is a message of the catalogue
lib/partnerbook/locale/<language>/LC_MESSAGES/partnerbook.po; `make messages` extracts them
from the library, its templates and the notebooks' markdown, updates each language's .po and
compiles the .mo files read here. Placeholders are named (`{n}`, `{partner}`) and filled with
str.format after translation, so a translation may move them. `N_` marks a message kept in a
table at import time; it is translated where it is shown, with `_(value)`. A period in a
sentence is a `Label` (periods.label_for_people): the French writes the word before it as the
placeholder's format spec, '{period:de}' -> 'du T3 2026', 'de septembre 2026'.

The locale is a Babel locale name (en_US, fr_FR, fr_CA...). Its language must have a
catalogue: English is the source, French is complete; any other is refused, not guessed.
The number, date and currency formats of the locale are in `numbers`.
"""

from __future__ import annotations

import gettext as _gettext
import html
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

DOMAIN = "partnerbook"
DEFAULT = "en_US"
LANGUAGES = ("en", "fr")  # English is the source; every other needs a complete .po
LOCALES_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("partnerbook_locale", default=DEFAULT)


class LocaleError(ValueError):
    """A locale Babel does not know, or whose language has no catalogue."""


def check(name: object) -> str:
    """A locale name as Babel writes it ('fr-fr' -> 'fr_FR'); LocaleError when unknown or
    when its language has no catalogue."""
    if not isinstance(name, str) or not name.strip():
        raise LocaleError(f"expected a locale such as en_US or fr_FR, found {name!r}")
    try:
        parsed = Locale.parse(name.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise LocaleError(f"expected a locale such as en_US or fr_FR, found {name!r}") from None
    if parsed.language not in LANGUAGES:
        raise LocaleError(
            f"no catalogue for the language of {name!r} (partnerbook speaks {', '.join(LANGUAGES)})"
        )
    return str(parsed)


def activate(name: str | None) -> str:
    """Make `name` (default en_US) the locale of what follows; returns it as Babel writes it."""
    locale = check(name) if name else DEFAULT
    _current.set(locale)
    return locale


def current() -> str:
    """The locale in force ('en_US' unless activated)."""
    return _current.get()


def language() -> str:
    """The language of the locale in force: 'en', 'fr'."""
    return current().split("_")[0]


def tag() -> str:
    """The locale as an HTML `lang` value: 'en-US', 'fr-FR'."""
    return current().replace("_", "-")


@contextmanager
def using(name: str | None):
    """The locale `name` for one block, then the one before."""
    token = _current.set(check(name) if name else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (English: the messages as written)."""
    if lang == "en":
        return _gettext.NullTranslations()
    found = Translations.load(str(LOCALES_DIR), [lang], DOMAIN)
    if not isinstance(found, Translations):  # Babel returns NullTranslations when missing
        raise LocaleError(f"{LOCALES_DIR}/{lang}/LC_MESSAGES/{DOMAIN}.mo is missing: run `make messages`")
    return found


def _(message: str) -> str:
    """`message` in the language in force."""
    return catalogue(language()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural of a message, as the language counts `n`."""
    return catalogue(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` read in `context` (a word with two translations: 'Open' a deal, 'Open' a tab)."""
    return catalogue(language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return catalogue(language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is stored; translate it where it is shown."""
    return message


def markdown(source: str) -> str:
    """A notebook's markdown cell in the language in force (each cell is one message)."""
    return _(source.strip())


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor for .ipynb files (babel.cfg): every markdown cell a reader sees
    (not tagged remove-cell) is one message, as `markdown` looks it up."""
    import json  # noqa: PLC0415 - only `make messages` extracts; reports never load it

    for number, cell in enumerate(json.load(fileobj)["cells"], start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        source = "".join(cell["source"]).strip()
        if cell["cell_type"] == "markdown" and "remove-cell" not in tags and source:
            yield number, "_", source, [f"notebook cell {number}"]


class Label(str):
    """A period's name for people (periods.label_for_people) that agrees with the French word
    before it.

    French contracts the article of a quarter with the preposition before it ('le T3 2026':
    'le récit du T3 2026', 'au T3 2026'), a fiscal year takes 'l’' ('de l’exercice 2026') and a
    month none ('en septembre 2026'). So a French translation names that word as the format
    spec of the placeholder and the label writes it in agreement with its own grain:

        "le récit {period:de}"      du T3 2026 · de septembre 2026 · de l’exercice 2026 (d’août 2026)
        "{measure} {period:en}"     au T3 2026 · en septembre 2026 · sur l’exercice 2026
        "par rapport {period:à}"    au T3 2026 · à septembre 2026  · à l’exercice 2026
        "depuis {period:le}"        le T3 2026 · septembre 2026    · l’exercice 2026

    A capital spec ('De', 'En', 'À', 'Le') starts a sentence. English never uses a spec: the
    label is its plain text there, and any other spec is str's (a width, an alignment).
    """

    grain: str

    def __new__(cls, text: str, grain: str) -> "Label":
        label = super().__new__(cls, text)
        label.grain = grain
        return label

    def escaped(self) -> "Label":
        """The label escaped for HTML, still agreeing with the word before it (the escaping
        helpers keep a Label a Label, so a '{period:de}' filled after escaping still works)."""
        return Label(html.escape(str(self), quote=True), self.grain)

    def __format__(self, spec: str) -> str:
        form = _FORMS.get(spec.lower())
        if form is None or not self:  # str's own spec; no period, no words around it
            return format(str(self), "" if form else spec)
        said = form[_ARTICLE[self.grain]] + str(self)
        if said.startswith("de ") and said[3:4].lower() in "aeiouyéh":  # de août -> d’août
            said = "d’" + said[3:]
        return said[:1].upper() + said[1:] if spec[:1].isupper() else said


# the article a French reader puts before the label of each grain: 'le T3 2026', 'l’exercice
# 2026', 'septembre 2026'; and what each preposition becomes before it
_ARTICLE = {"quarter": "le", "year": "l’", "month": ""}
_FORMS = {
    "le": {"le": "le ", "l’": "l’", "": ""},
    "de": {"le": "du ", "l’": "de l’", "": "de "},
    "à": {"le": "au ", "l’": "à l’", "": "à "},
    "en": {"le": "au ", "l’": "sur l’", "": "en "},
}
