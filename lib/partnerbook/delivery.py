"""`partnerbook deliver`: what `report` rendered, sent to the people the plan names.

    plan (program.yaml `delivery` + reporting.audiences' recipients)
      -> items: one per partner contact (its partner edition, for-partners/<file>.html)
                and one per audience recipient (its story, story-<slug>.html)
      -> each item: checked (isolation again, for a partner), its attachments (HTML, PDF),
         a short body drawn from the attached page, then sent by SMTP, written into a folder,
         or (--dry-run) written as .eml into outputs/<period>/outbox/
      -> the delivery log, data/deliveries.csv (kept by `make clean`), a row per message
         only once the server accepted it; the period's rows copied beside the reports.

Each message is written in its reader's language: a partner's contact's locale, else the
partner's, else the programme's (the first whose language partnerbook writes; an audience
reads the programme's), every sentence from the catalogue; the PDF's paper follows the first
locale given, its page numbers the reader's language. The attached partner edition is the one
`report` rendered in the partner's language.

A rerun sends nothing already sent (same recipient, page, period and channel) unless
`resend`. A failed send is retried with backoff, then logged as failed and named in the
summary (exit 1); the rest still go.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, UTC
from email.headerregistry import Address
from html.parser import HTMLParser
from pathlib import Path

from . import files, i18n, importer, mail, paths, periods, programme, recipients
from . import params as params_mod
from .errors import ParamsError, PartnerbookError
from .i18n import N_, _, pgettext
from .recipients import CHANNELS, FORMATS, GRAIN_OF_CADENCE, Audience, Plan, Route, plan  # noqa: F401 - the plan is read there
from .render import pdf
from .render import editions
from .render.html import Names, file_names, fixed_text
from .urls import redact

LOG_COLUMNS = ["time", "period", "recipient", "what", "formats", "channel", "message_id", "status", "detail"]
DONE = ("sent", "written")


# -- the period ----------------------------------------------------------------------------


def default_period(plan_: Plan, outputs: Path, fy_start_month: int = 1) -> str:
    """The newest period of the plan's cadence that `report` rendered (has a run.json)."""
    grain = GRAIN_OF_CADENCE[plan_.cadence]
    found = []
    for folder in outputs.iterdir() if outputs.is_dir() else ():
        try:
            period = periods.parse(folder.name, fy_start_month)
        except PartnerbookError:
            continue
        if period.grain == grain and (folder / "run.json").is_file():
            found.append((period.key, folder.name))
    if not found:
        raise PartnerbookError(
            f"{outputs}: no {grain} rendered yet (cadence {plan_.cadence}): run "
            "`partnerbook report` (or `make report`) first"
        )
    return max(found)[1]


# -- what each recipient gets --------------------------------------------------------------


@dataclass
class Item:
    """One message (smtp) or one set of files (folder)."""

    kind: str  # partner | audience
    key: str  # partner_id or audience slug
    name: str  # partner name or audience name
    what: str  # the page, relative to the period folder
    stem: str  # attachment name stem: file name or slug
    route: Route
    recipient: Address | None = None  # None for a folder channel
    problem: str = ""  # a recipient refused before sending
    locale: str = "en_US"  # the contact's (else the partner's, the programme's): PDF paper
    language: str = "en_US"  # the locale its message is written in (recipients.reading)

    @property
    def to(self) -> str:
        """Who it goes to, as logged: the address, 'folder', or 'refused contact'."""
        if self.recipient is not None:
            return self.recipient.addr_spec
        return "folder" if self.route.channel == "folder" else "refused contact"

    @property
    def address(self) -> str:
        return self.recipient.addr_spec if self.recipient is not None else ""


def items(
    plan_: Plan, out: Path, partners, contacts, *, only: str = "", where: str = "the data"
) -> tuple[list[Item], list[str]]:
    """Every message the plan gives for the period folder `out`, and notes on who gets none.
    A partner's message is in its contact's locale, else the partner's, else the programme's
    (the first whose language partnerbook writes); an audience's in the programme's. A locale
    Babel does not know stops delivery, naming `where`, the table, the row and the column."""
    found, notes = [], []
    if only in ("", "partners"):
        f, n = _partner_items(plan_, out, partners, contacts, where)
        found += f
        notes += n
    if only in ("", "audiences"):
        for aud in plan_.audiences:
            page = f"story-{aud.slug}.html"
            if not (out / page).is_file():
                notes.append(f"{aud.name}: {page} was not rendered for this period")
                continue
            targets = aud.recipients if aud.route.channel == "smtp" else (None,)
            found += [
                Item(
                    "audience",
                    aud.slug,
                    aud.name,
                    page,
                    aud.slug,
                    aud.route,
                    r,
                    locale=plan_.locale,
                    language=plan_.locale,
                )
                for r in targets
            ]
    return found, notes


def _partner_items(plan_: Plan, out: Path, partners, contacts, where: str) -> tuple[list[Item], list[str]]:
    names = dict(zip(partners["partner_id"].astype(str), partners["name"].astype(str)))
    locales = recipients.locales(partners, "partners", where)
    stems = file_names(list(names))
    rows = _contacts_by_partner(plan_, contacts, where)
    found, notes = [], []
    for pid, stem in stems.items():
        page = f"for-partners/{stem}.html"
        if not (out / page).is_file():
            continue
        chain = [locales.get(pid, ""), plan_.locale]
        item = Item(
            "partner",
            pid,
            names[pid],
            page,
            stem,
            plan_.partners,
            locale=_first(chain),
            language=recipients.reading(chain),
        )
        if plan_.partners.channel == "folder":
            found.append(item)
            continue
        people = [(a, "") for a in plan_.addresses.get(pid, ())] or rows.get(pid) or []
        if not people:
            notes.append(f"{names[pid]} ({pid}): no contact with an e-mail address: not sent")
        for who, locale in people:
            if isinstance(who, str):  # a contact refused when read: named, never sent
                found.append(replace(item, problem=who))
            else:
                found.append(
                    replace(
                        item,
                        recipient=who,
                        locale=_first([locale, *chain]),
                        language=recipients.reading([locale, *chain]),
                    )
                )
    return found, notes


def _first(locales: list[str]) -> str:
    return next((x for x in locales if x), i18n.DEFAULT)


def _contacts_by_partner(plan_: Plan, contacts, where: str = "the data") -> dict[str, list]:
    """partner_id -> [(Address, or the reason a contact was refused; the contact's locale)]."""
    if contacts is None or not len(contacts):
        return {}
    spoken = recipients.column(
        contacts, "contacts", where, "contact_id" if "contact_id" in contacts else "email"
    )
    out: dict[str, list] = {}
    for i, (row, locale) in enumerate(zip(contacts.to_dict("records"), spoken), start=1):
        email = row.get("email")
        if email is None or str(email).strip() in ("", "nan", "<NA>"):
            continue
        if plan_.roles and str(row.get("role") or "") not in plan_.roles:
            continue
        try:
            who = mail.address(str(row.get("name") or ""), str(email), where=f"contacts, row {i}")
        except mail.BadAddress as exc:
            who = str(exc)
        out.setdefault(str(row["partner_id"]), []).append((who, locale))
    return out


# -- the message ---------------------------------------------------------------------------


class _Facts(HTMLParser):
    """Reads a rendered report: its title, headline cards, marked facts, first summary paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.kpis, self.facts, self.paragraphs = "", [], {}, []
        self._section = ""  # the h2 the text is under
        self._stack: list[tuple[str, str]] = []  # (tag, what we collect)
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script", "svg"):
            self._skip += 1
        classes = (a.get("class") or "").split()
        role = (
            "h1"
            if tag == "h1"
            else "h2"
            if tag == "h2"
            else f"fact:{a['data-fact']}"
            if a.get("data-fact")
            else "kpi"
            if "pb-kpi" in classes
            else next((c for c in classes if c.startswith("pb-kpi-")), "") or ("p" if tag == "p" else "")
        )
        if role == "kpi":
            self.kpis.append({})
        self._stack.append((tag, role))
        if role and role != "kpi":
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("style", "script", "svg"):
            self._skip = max(0, self._skip - 1)
        while self._stack:
            open_tag, role = self._stack.pop()
            if open_tag == tag:
                self._collect(role)
                break

    def _collect(self, role: str) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if role == "h1" and not self.title:
            self.title = text
        elif role.startswith("fact:"):
            self.facts[role[5:]] = text
        elif role.startswith("pb-kpi-") and self.kpis:
            self.kpis[-1][role[7:]] = text
        elif role == "h2":
            self._section = text
        elif role == "p" and text:
            self.paragraphs.append((self._section, text))

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)


def facts(page: str) -> _Facts:
    reader = _Facts()
    reader.feed(page)
    return reader


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# The feedback ask, whole sentences for the translator: with a survey address, or by reply.
_ASK = N_(
    "One question for you: how likely are you to recommend working with us, from 0 to 10, and what is "
    "the one thing we should change? Please answer at {address}."
)
_ASK_REPLY = N_(
    "One question for you: how likely are you to recommend working with us, from 0 to 10, and what "
    "is the one thing we should change? Please reply to this message with your score and a comment."
)


def partner_body(item: Item, page: str, period: str, plan_: Plan) -> str:
    """Three or four plain sentences from the partner edition only, then the feedback ask, in
    the language in force (`_message` sets the item's)."""
    f = facts(page)
    lines = [
        _("Attached is the {period} report of {partner} in the {programme}.").format(
            period=periods.label_for_people(period), partner=item.name, programme=plan_.programme
        )
    ]
    shown = [k for k in f.kpis if k.get("label") and k.get("value")][:3]
    if shown:
        parts = [
            (_("{label} {value} ({change})") if k.get("delta") else _("{label} {value}")).format(
                label=_lower_first(k["label"]), value=k["value"], change=k.get("delta", "")
            )
            for k in shown
        ]
        lines.append(
            _("This period: {figures}.").format(figures=pgettext("list separator", "; ").join(parts))
        )
    if f.facts.get("next-tier"):
        lines.append(f.facts["next-tier"].rstrip(".") + ".")
    lines.append(_(_ASK).format(address=plan_.feedback) if plan_.feedback else _(_ASK_REPLY))
    return "\n\n".join(lines) + "\n"


def audience_body(item: Item, page: str, period: str, plan_: Plan) -> str:
    """The story's own first sentences, introduced and closed in one sentence each."""
    f = facts(page)
    lines = [
        _("Attached is the {period} programme story for {audience} from the {programme}.").format(
            period=periods.label_for_people(period), audience=item.name, programme=plan_.programme
        )
    ]
    # the story's summary section, under its heading as the story writes it (narrative.plan)
    summary = next((p for section, p in f.paragraphs if section == _("Summary")), "") or next(
        (p for section, p in f.paragraphs if section and len(p) > 40), ""
    )
    if summary:
        sentences = re.split(r"(?<=[.!?])\s+", summary)
        lines.append(" ".join(sentences[:2]))
    lines.append(
        _(
            "Reply to this message with questions or corrections; every number in the story "
            "says what it measures."
        )
    )
    return "\n\n".join(lines) + "\n"


def subject(item: Item, period: str, plan_: Plan) -> str:
    """The subject line, in the language in force (the period as its readers name it)."""
    period = periods.label_for_people(period)
    if item.kind == "partner":
        return _("{programme}: {partner}, partner report {period}").format(
            programme=plan_.programme, partner=item.name, period=period
        )
    return _("{programme}: {audience}, programme story {period}").format(
        programme=plan_.programme, audience=item.name, period=period
    )


def attachment_name(item: Item, period: str, fmt: str) -> str:
    return f"{item.stem}-{period}.{fmt}"


# -- the log -------------------------------------------------------------------------------


def log_path() -> Path:
    return paths.data() / "deliveries.csv"


def read_log(path: Path | None = None) -> list[dict]:
    path = path or log_path()
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def append_log(row: dict, path: Path | None = None) -> None:
    """One row, appended and flushed to disk (a line at a time: never half a file)."""
    path = path or log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.is_file() or path.stat().st_size == 0
    buf = io.StringIO()
    writer = csv.DictWriter(buf, LOG_COLUMNS)
    if new:
        writer.writeheader()
    writer.writerow({k: row.get(k, "") for k in LOG_COLUMNS})
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())
        fh.flush()
        os.fsync(fh.fileno())


def copy_period_log(period: str, out: Path) -> None:
    rows = [r for r in read_log() if r.get("period") == period]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, LOG_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    files.write_text(out / "deliveries.csv", buf.getvalue())


def _done_before(log: list[dict], period: str) -> set[tuple[str, str, str]]:
    return {
        (r["recipient"], r["what"], r["channel"])
        for r in log
        if r.get("period") == period and r.get("status") in DONE
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- the run -------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int = 0
    written: int = 0
    skipped: int = 0
    outbox: int = 0
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Pages:
    """Each page read, checked and printed once, however many recipients it has."""

    def __init__(self, out: Path, plan_: Plan, period: str, check, printer_factory) -> None:
        self.out, self.plan, self.period, self.check = out, plan_, period, check
        self._printer_factory, self._printer = printer_factory, None
        self._html: dict[str, str] = {}
        self._pdf: dict[str, bytes] = {}
        self._problem: dict[str, str] = {}

    def html(self, item: Item) -> str:
        if item.what not in self._html:
            page = (self.out / item.what).read_text(encoding="utf-8")
            self._problem[item.what] = self.check(item, page) if item.kind == "partner" else ""
            self._html[item.what] = page
        return self._html[item.what]

    def problem(self, item: Item) -> str:
        self.html(item)
        return self._problem[item.what]

    def attachments(self, item: Item) -> list[tuple[str, bytes]]:
        out = []
        for fmt in item.route.formats:
            if fmt == "html":
                out.append((attachment_name(item, self.period, "html"), self.html(item).encode("utf-8")))
            else:
                key = (item.what, pdf.paper(item.locale), item.language)
                if key not in self._pdf:
                    if self._printer is None:
                        self._printer = self._printer_factory()
                    header = f"{self.plan.programme} · {self.period}"
                    self._pdf[key] = self._printer.pdf(
                        self.out / item.what, header=header, locale=item.locale, language=item.language
                    )
                out.append((attachment_name(item, self.period, "pdf"), self._pdf[key]))
        return out

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()


def isolation_check(partners, program: dict | None = None):
    """Checked again at send time: a partner edition names no other partner (the programme's own
    fixed text aside, as when it was published) and holds nothing internal (render.editions)."""
    names = Names(
        partners, fixed=fixed_text(program or {}, [str(paths.notebooks() / "partner_scorecard.ipynb")])
    )
    own = dict(zip(partners["partner_id"].astype(str), partners["name"].fillna("").astype(str)))

    def check(item: Item, page: str) -> str:
        leaks = names.leaks(page, item.key)
        if leaks:
            return f"holds other partners' names or ids ({', '.join(leaks[:3])}): not sent"
        internal = editions.refused(page, own.get(item.key, ""))
        return (
            f"holds what only our own people may read ({'; '.join(internal[:2])}): not sent"
            if internal
            else ""
        )

    return check


def run(
    plan_: Plan,
    period: str,
    out: Path,
    partners,
    contacts,
    *,
    dry_run: bool = False,
    only: str = "",
    formats: tuple[str, ...] | None = None,
    resend: bool = False,
    smtp_factory=None,
    printer_factory=None,
    program: dict | None = None,
    where: str = "the data",
) -> Outcome:
    """Deliver the period folder `out` as the plan says; the log is true after every message.
    `where` names the data in an error about it (a locale Babel does not know)."""
    found, notes = items(plan_, out, partners, contacts, only=only, where=where)
    if formats:
        found = [_with_formats(i, formats) for i in found]
    result = Outcome(notes=notes)
    done = set() if resend else _done_before(read_log(), period)
    pages = _Pages(out, plan_, period, isolation_check(partners, program), printer_factory or pdf.Printer)
    smtp = None
    try:
        for item in found:
            if (item.to, item.what, item.route.channel) in done:
                result.skipped += 1
                continue
            smtp = _deliver(item, pages, plan_, period, out, result, dry_run, smtp, smtp_factory)
    finally:
        pages.close()
        if smtp is not None:
            smtp.close()
        if not dry_run:
            copy_period_log(period, out)
    return result


def _with_formats(item: Item, formats: tuple[str, ...]) -> Item:
    return replace(item, route=Route(item.route.channel, formats))


def _deliver(
    item: Item,
    pages: _Pages,
    plan_: Plan,
    period: str,
    out: Path,
    result: Outcome,
    dry_run: bool,
    smtp,
    smtp_factory,
):
    """One item: refused, written into a folder, written to the outbox, or sent."""
    problem = item.problem or pages.problem(item)
    if problem:
        result.failed.append(f"{item.name} -> {item.to}: {problem}")
        if not dry_run:
            _log(item, period, "refused", "", problem)
        return smtp
    if item.route.channel == "folder":
        if dry_run:
            result.notes.append(f"would write {item.what} into {plan_.folder / period}")
            return smtp
        for name, data in pages.attachments(item):
            files.write_bytes(_folder(plan_) / period / name, data)
        _log(item, period, "written", "", "")
        result.written += 1
        return smtp
    message = _message(item, pages, plan_, period)
    if dry_run:
        result.outbox += 1
        stem = re.sub(r"[^A-Za-z0-9.@_-]+", "-", f"{result.outbox:04d}-{item.stem}-{item.address}")
        files.write_bytes(out / "outbox" / f"{stem}.eml", bytes(message))
        return smtp
    smtp = smtp or (smtp_factory or _smtp_from_env)()
    try:
        smtp.send(message)
    except mail.SendFailed as exc:
        result.failed.append(f"{item.name} -> {item.to}: {exc}")
        _log(item, period, "failed", message["Message-ID"], str(exc))
        return smtp
    _log(item, period, "sent", message["Message-ID"], "")
    result.sent += 1
    return smtp


def _message(item: Item, pages: _Pages, plan_: Plan, period: str):
    """The message in the recipient's language (`item.language`)."""
    page = pages.html(item)
    with i18n.using(item.language):
        body = (partner_body if item.kind == "partner" else audience_body)(item, page, period, plan_)
        title = subject(item, period, plan_)
    return mail.compose(
        sender=plan_.sender, to=item.recipient, subject=title, body=body, attachments=pages.attachments(item)
    )


def _folder(plan_: Plan) -> Path:
    return plan_.folder if plan_.folder.is_absolute() else paths.root() / plan_.folder


def _smtp_from_env():
    return mail.Smtp(mail.Settings.from_env())


def _log(item: Item, period: str, status: str, message_id: str, detail: str) -> None:
    append_log(
        {
            "time": _now(),
            "period": period,
            "recipient": item.to,
            "what": item.what,
            "formats": ",".join(item.route.formats),
            "channel": item.route.channel,
            "message_id": message_id or "",
            "status": status,
            "detail": detail,
        }
    )


def summary(period: str, result: Outcome, dry_run: bool) -> str:
    if dry_run:
        head = f"deliver {period} (dry run): {result.outbox} message(s) written to the outbox, nothing sent"
    else:
        head = (
            f"deliver {period}: {result.sent} sent, {result.written} written to folders, "
            f"{result.skipped} already sent before, {len(result.failed)} failed"
        )
    return "\n".join(
        [head, *(f"  note: {n}" for n in result.notes), *(f"  failed: {f}" for f in result.failed)]
    )


def deliver(
    *,
    period: str | None = None,
    dry_run: bool = False,
    only: str = "",
    formats: str = "",
    resend: bool = False,
    data: str | None = None,
    mapping: str | None = None,
    params: str | None = None,
) -> int:
    """`partnerbook deliver`: 0 all delivered, 1 some failed, 2 bad plan or input (nothing sent)."""
    program = programme.load(params)  # checks the plan (recipients.check)
    plan_ = plan(program, Path(program.get("_path", "program.yaml")).name)
    if only not in ("", "partners", "audiences"):
        raise ParamsError(f"--only: expected partners or audiences, found {only!r}")
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip()) if formats else None
    if chosen and any(f not in FORMATS for f in chosen):
        raise ParamsError(f"--format: expected html, pdf or html,pdf, found {formats!r}")
    fy = params_mod.fy_start_month(program)
    name = periods.parse(period, fy).name if period else default_period(plan_, paths.outputs(), fy)
    out = paths.period_outputs(name)
    if not (out / "run.json").is_file():
        raise PartnerbookError(
            f"{out}: no reports rendered for {name}: run `partnerbook report --period {name}` first"
        )
    if "pdf" in (set(chosen) if chosen else _formats(plan_, only)) and not pdf.chromium():
        raise PartnerbookError(pdf.INSTALL)  # before reading anything; the outbox holds PDFs too
    dataset = importer.load(data, mapping=mapping)
    where = redact(str(data)) if data else str(paths.sample_store())  # a database URL without its password
    found, _notes = items(plan_, out, dataset["partners"], _contacts(dataset), only=only, where=where)
    if not dry_run and any(i.route.channel == "smtp" for i in found):
        mail.Settings.from_env()  # fail before anything is sent
    result = run(
        plan_,
        name,
        out,
        dataset["partners"],
        _contacts(dataset),
        dry_run=dry_run,
        only=only,
        formats=chosen,
        resend=resend,
        program=program,
        where=where,
    )
    print(summary(name, result, dry_run))
    return 1 if result.failed else 0


def _formats(plan_: Plan, only: str) -> set[str]:
    """The formats the plan sends to partners and/or audiences."""
    routes = ([plan_.partners] if only in ("", "partners") else []) + (
        [a.route for a in plan_.audiences] if only in ("", "audiences") else []
    )
    return {f for r in routes for f in r.formats}


def _contacts(dataset):
    return dataset["contacts"] if "contacts" in dataset.tables and dataset.has("contacts") else None
