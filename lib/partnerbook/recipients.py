"""Who receives what: the delivery plan of program.yaml (`delivery`, and the `recipients`,
`channel` and `formats` of each audience in `reporting.audiences`), checked when the programme
is loaded, so a misspelt key or a bad address stops `report` as well as `deliver`.

    plan(program) -> Plan      # sender, feedback, folder, partners' route, audiences
    check(program)             # what programme.load runs: the plan when there is a delivery
                               # section, else each audience's recipients

The language each reader gets, from the optional `locale` columns of the data:

    locales(partners, "partners", where) -> {partner_id: 'fr_FR'}   # a value Babel does not
                                              # know: one line naming where, row and column
    reading([contact's, partner's, programme's]) -> the first whose language partnerbook
                                              # speaks (a de-DE partner reads the programme's)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path

from babel import Locale, UnknownLocaleError

from . import i18n, mail
from .errors import DataError, ParamsError
from .yamlfiles import check_keys

CHANNELS = ("smtp", "folder")
FORMATS = ("html", "pdf")
PLAN_KEYS = ("sender", "feedback", "folder", "partners", "audiences")
PARTNER_KEYS = ("channel", "formats", "roles", "addresses")
GRAIN_OF_CADENCE = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


# -- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    channel: str = "smtp"
    formats: tuple[str, ...] = ("html",)


@dataclass(frozen=True)
class Audience:
    slug: str
    name: str
    recipients: tuple[Address, ...]
    route: Route


@dataclass(frozen=True)
class Plan:
    sender: Address
    programme: str
    cadence: str
    feedback: str = ""  # a survey address; empty: "reply to this message"
    folder: Path = Path("deliveries")
    partners: Route = Route()
    roles: tuple[str, ...] = ()  # contacts of these roles only (empty: every contact)
    addresses: dict = field(default_factory=dict)  # partner_id -> (Address, ...) instead of contacts
    audiences: tuple[Audience, ...] = ()
    locale: str = i18n.DEFAULT  # the programme's: internal audiences read it


def _route(block: dict, where: str, default: Route) -> Route:
    channel = block.get("channel", default.channel)
    if channel not in CHANNELS:
        raise ParamsError(f"{where}.channel: expected one of {', '.join(CHANNELS)}, found {channel!r}")
    formats = block.get("formats", list(default.formats))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",")]
    if not formats or any(f not in FORMATS for f in formats):
        raise ParamsError(f"{where}.formats: expected a list of {', '.join(FORMATS)}, found {formats!r}")
    return Route(channel, tuple(dict.fromkeys(formats)))


def _recipients(items, where: str) -> tuple[Address, ...]:
    if not isinstance(items, list):
        raise ParamsError(f"{where}: expected a list of e-mail addresses")
    out = []
    for i, item in enumerate(items):
        name, email = parseaddr(str(item))
        try:
            out.append(mail.address(name, email or str(item), where=f"{where}[{i}]"))
        except mail.BadAddress as exc:
            raise ParamsError(str(exc)) from None
    return tuple(out)


def plan(program: dict, where: str = "program.yaml") -> Plan:
    """The delivery plan of a programme, every key checked (errors name file and key)."""
    block = check_keys((program or {}).get("delivery") or {}, PLAN_KEYS, f"{where}: delivery")
    if "sender" not in block:
        raise ParamsError(
            f"{where}: delivery.sender: expected the From address, e.g. "
            "'Partner Programme <channel@example.com>'"
        )
    reporting = (program or {}).get("reporting") or {}
    cadence = str(reporting.get("cadence", "quarterly"))
    if cadence not in GRAIN_OF_CADENCE:
        raise ParamsError(
            f"{where}: reporting.cadence: expected one of {', '.join(GRAIN_OF_CADENCE)}, found {cadence!r}"
        )
    part = check_keys(block.get("partners") or {}, PARTNER_KEYS, f"{where}: delivery.partners")
    addresses = {}
    for pid, items in (part.get("addresses") or {}).items():
        addresses[str(pid)] = _recipients(items, f"{where}: delivery.partners.addresses.{pid}")
    feedback = str(block.get("feedback") or "")
    if feedback and not re.match(r"^https?://\S+$", feedback):
        raise ParamsError(
            f"{where}: delivery.feedback: expected a survey address (https://...) or "
            f"nothing (partners reply to the message), found {feedback!r}"
        )
    return Plan(
        sender=mail.sender(block["sender"], where=f"{where}: delivery.sender"),
        programme=str(((program or {}).get("program") or {}).get("name", "")),
        cadence=cadence,
        feedback=feedback,
        folder=Path(str(block.get("folder", "deliveries"))),
        partners=_route(part, f"{where}: delivery.partners", Route("smtp", ("pdf",))),
        roles=tuple(str(r) for r in part.get("roles") or ()),
        addresses=addresses,
        audiences=tuple(_audiences(reporting, where)),
        locale=_programme_locale(program, where),
    )


def _programme_locale(program: dict, where: str) -> str:
    name = ((program or {}).get("program") or {}).get("locale") or i18n.DEFAULT
    try:
        return i18n.check(name)
    except i18n.LocaleError as exc:
        raise ParamsError(f"{where}: program.locale: {exc}") from None


def _audiences(reporting: dict, where: str) -> list[Audience]:
    out = []
    for i, aud in enumerate(reporting.get("audiences") or []):
        here = f"{where}: reporting.audiences[{i}]"
        recipients = _recipients(aud.get("recipients") or [], f"{here}.recipients")
        if recipients:
            out.append(
                Audience(
                    str(aud["slug"]),
                    str(aud.get("name") or aud["slug"]),
                    recipients,
                    _route(aud, here, Route("smtp", ("html", "pdf"))),
                )
            )
    return out


def check(program: dict, where: str = "program.yaml") -> None:
    """Check the delivery plan as the programme is loaded (without a `delivery` section, only
    the audiences' recipients)."""
    if (program or {}).get("delivery") is not None:
        plan(program, where)
    else:
        _audiences((program or {}).get("reporting") or {}, where)


# -- the language of each reader -----------------------------------------------------------


def known(name: object) -> str:
    """A locale as Babel writes it ('fr-FR' -> 'fr_FR'); i18n.LocaleError when Babel does not
    know it ('fr-XX', 'english'): refused, never taken for the nearest one."""
    try:
        return str(Locale.parse(str(name).strip().replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        raise i18n.LocaleError(f"expected a locale such as en_US or fr_FR, found {name!r}") from None


def locales(frame, table: str, where: str, key: str = "partner_id") -> dict[str, str]:
    """`key` -> the locale of each row of `frame` with a non-empty `locale` (as Babel writes
    it); a value Babel does not know is refused (`column`)."""
    if frame is None or "locale" not in frame:
        return {}
    return {ident: x for ident, x in zip(frame[key].astype(str), column(frame, table, where, key)) if x}


def column(frame, table: str, where: str, key: str) -> list[str]:
    """The `locale` of each row of `frame` as Babel writes it ("" when empty or no column). A
    value Babel does not know is a DataError naming `where`, the table, the row (the header is
    row 1, as a spreadsheet shows it), the row's `key` and the column."""
    if frame is None or "locale" not in frame:
        return [""] * (0 if frame is None else len(frame))
    out = []
    for row, (ident, value) in enumerate(zip(frame[key].astype(str), frame["locale"]), start=2):
        text = value.strip() if isinstance(value, str) else ""
        try:
            out.append(known(text) if text else "")
        except i18n.LocaleError as exc:
            raise DataError(f"{where}: {table}, row {row} ({key} {ident}), column locale: {exc}") from None
    return out


def spoken(name: str) -> bool:
    """Whether partnerbook writes the language of the (known) locale `name`."""
    return bool(name) and Locale.parse(name).language in i18n.LANGUAGES


def reading(candidates) -> str:
    """The locale a reader gets: the first of `candidates` (the contact's, the partner's, the
    programme's; empty ones skipped) whose language partnerbook writes, else en_US."""
    return next((i18n.check(c) for c in candidates if c and spoken(c)), i18n.DEFAULT)
