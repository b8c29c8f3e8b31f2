"""`partnerbook deliver` against a real SMTP server on loopback (aiosmtpd), on a period folder
written by hand: who receives what, the log, reruns, failures, header injection, the outbox."""

import email
import io
import email.policy
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from aiosmtpd.controller import Controller

from partnerbook import delivery, mail
from partnerbook.errors import ParamsError, PartnerbookError

PERIOD = "2026-Q3"
PROGRAM = {
    "program": {"name": "Northwind Partner Programme"},
    "reporting": {
        "cadence": "quarterly",
        "audiences": [
            {
                "slug": "sales",
                "name": "Sales leadership",
                "recipients": ["vp@northwind.example"],
                "formats": ["html"],
            },
            {"slug": "marketing", "name": "Marketing", "recipients": []},
        ],
    },
    "delivery": {
        "sender": "Northwind Partner Programme <channel@northwind.example>",
        "partners": {"channel": "smtp", "formats": ["html"]},
    },
}
PARTNERS = pd.DataFrame(
    {"partner_id": ["P001", "P002", "P003"], "name": ["Acme Systems", "Birch Networks", "Cedar Cloud"]}
)
CONTACTS = pd.DataFrame(
    {
        "contact_id": ["C1", "C2", "C3", "C4"],
        "partner_id": ["P001", "P001", "P002", "P003"],
        "name": ["Ana Ruiz", "Ben Okafor", "Cy Lam", "Dee Park"],
        "email": ["ana@acme.example", "ben@acme.example", "cy@birch.example", "dee@cedar.example"],
        "role": ["owner", "sales", "owner", "owner"],
    }
)


def _page(name: str, revenue: str, extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{name}</title><style>p{{color:red}}</style></head>"
        f"<body><h1>Partner report: {name}</h1><div class='pb-kpis'>"
        f"<div class='pb-kpi' data-metric='revenue'><div class='pb-kpi-label'>Revenue</div>"
        f"<div class='pb-kpi-value'>{revenue}</div><div class='pb-kpi-delta'>+12% on the prior period</div></div>"
        f"<div class='pb-kpi' data-metric='win_rate'><div class='pb-kpi-label'>Win rate</div>"
        f"<div class='pb-kpi-value'>41%</div><div class='pb-kpi-delta'></div></div></div>"
        f"<p data-fact='next-tier'>To reach Gold you need 2 more certifications</p>{extra}</body></html>"
    )


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A project root with outputs/2026-Q3 rendered by hand: three partner editions and a story."""
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(tmp_path))
    out = tmp_path / "outputs" / PERIOD
    (out / "for-partners").mkdir(parents=True)
    (out / "run.json").write_text("{}")
    (out / "for-partners" / "P001.html").write_text(_page("Acme Systems", "$120,400"))
    (out / "for-partners" / "P002.html").write_text(_page("Birch Networks", "$80,000"))
    # P003's edition names another partner: it must not go out
    (out / "for-partners" / "P003.html").write_text(_page("Cedar Cloud", "$5", "<p>Unlike Acme Systems</p>"))
    (out / "story-sales.html").write_text(
        "<html><body><div><h1>Programme story</h1><p>What happened in the partner programme this period, "
        "written from the numbers for the people who lead it.</p></div><h2>Scorecard</h2><p>Each objective: where "
        "it stands.</p><h2>Summary</h2><p>Partner revenue was $4.2M in 2026-Q3, "
        "down 12% on the prior quarter. Win rate held at 38%. New logos rose to 14.</p></body></html>"
    )
    return tmp_path


class Box:
    """An SMTP server's mailbox: refuses some recipients, drops the connection on some messages."""

    def __init__(self, refuse=(), drop=None, delay=0.0):
        self.messages, self.refuse, self.drop, self.delay = [], set(refuse), dict(drop or {}), delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        to = envelope.rcpt_tos[0]
        if self.drop.get(to, 0) > 0:
            self.drop[to] -= 1
            server.transport.close()  # the connection drops before the reply
            return "421 4.4.2 connection dropped"
        if self.delay:
            time.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 2.0.0 accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    started = []

    def start(box: Box):
        port = _free_port()
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return port

    yield start
    for c in started:
        c.stop()


def _run(root, port, **kw):
    plan = delivery.plan(kw.pop("program", PROGRAM))
    settings = mail.Settings("127.0.0.1", port)
    return delivery.run(
        plan,
        PERIOD,
        root / "outputs" / PERIOD,
        PARTNERS,
        kw.pop("contacts", CONTACTS),
        smtp_factory=lambda: mail.Smtp(settings, backoff=0.01),
        **kw,
    )


def _text(message) -> str:
    """The plain-text body, line ends as written (SMTP carries CRLF)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


def test_each_contact_gets_its_own_partner_edition_and_each_audience_its_story(root, smtp_server):
    box = Box()
    result = _run(root, smtp_server(box))
    got = {m["To"].addresses[0].addr_spec: m for m in box.messages}
    # P001's two contacts, P002's one, the sales audience; P003 held back by the isolation check
    assert sorted(got) == ["ana@acme.example", "ben@acme.example", "cy@birch.example", "vp@northwind.example"]
    assert result.sent == 4 and len(result.failed) == 1 and "Cedar Cloud" in result.failed[0]
    for who, pid in (
        ("ana@acme.example", "P001"),
        ("ben@acme.example", "P001"),
        ("cy@birch.example", "P002"),
    ):
        files = _attachments(got[who])
        assert list(files) == [f"{pid}-2026-Q3.html"]
        assert (
            files[f"{pid}-2026-Q3.html"]
            == (root / "outputs" / PERIOD / "for-partners" / f"{pid}.html").read_bytes()
        )
    assert b"Birch" not in _attachments(got["ana@acme.example"])["P001-2026-Q3.html"]
    assert list(_attachments(got["vp@northwind.example"])) == ["sales-2026-Q3.html"]
    assert (
        got["ana@acme.example"]["Subject"]
        == "Northwind Partner Programme: Acme Systems, partner report 2026-Q3"
    )
    assert str(got["ana@acme.example"]["From"]) == "Northwind Partner Programme <channel@northwind.example>"


def test_the_partner_message_says_what_the_attached_edition_says(root, smtp_server):
    box = Box()
    _run(root, smtp_server(box), only="partners")
    body = next(m for m in box.messages if m["To"].addresses[0].addr_spec == "cy@birch.example")
    text = _text(body)
    assert text == (
        "Attached is the 2026-Q3 report of Birch Networks in the Northwind Partner Programme.\n\n"
        "This period: revenue $80,000 (+12% on the prior period); win rate 41%.\n\n"
        "To reach Gold you need 2 more certifications.\n\n"
        "One question for you: how likely are you to recommend working with us, from 0 to 10, and what is "
        "the one thing we should change? Please reply to this message with your score and a comment.\n"
    )


def test_the_audience_message_quotes_the_story_summary(root, smtp_server):
    box = Box()
    _run(root, smtp_server(box), only="audiences")
    (message,) = box.messages
    assert _text(message).split("\n\n")[1] == (
        "Partner revenue was $4.2M in 2026-Q3, down 12% on the prior quarter. Win rate held at 38%."
    )


def test_a_second_run_sends_nothing_and_resend_sends_again(root, smtp_server):
    box = Box()
    port = smtp_server(box)
    _run(root, port)
    assert len(box.messages) == 4
    again = _run(root, port)
    assert len(box.messages) == 4 and again.sent == 0 and again.skipped == 4
    resent = _run(root, port, resend=True)
    assert len(box.messages) == 8 and resent.sent == 4
    log = pd.read_csv(root / "data" / "deliveries.csv")
    assert (log["status"] == "sent").sum() == 8
    beside = pd.read_csv(root / "outputs" / PERIOD / "deliveries.csv")
    assert len(beside) == len(log)


def test_a_refused_recipient_is_logged_failed_and_the_rest_still_go(root, smtp_server):
    box = Box(refuse={"ben@acme.example"})
    result = _run(root, smtp_server(box))
    assert sorted(m["To"].addresses[0].addr_spec for m in box.messages) == [
        "ana@acme.example",
        "cy@birch.example",
        "vp@northwind.example",
    ]
    assert any("ben@acme.example" in f and "550" in f for f in result.failed)
    log = pd.read_csv(root / "data" / "deliveries.csv")
    rows = dict(zip(log["recipient"], log["status"]))
    assert rows["ben@acme.example"] == "failed" and rows["ana@acme.example"] == "sent"
    assert delivery.summary(PERIOD, result, False).splitlines()[0] == (
        "deliver 2026-Q3: 3 sent, 0 written to folders, 0 already sent before, 2 failed"
    )


def test_a_dropped_connection_is_retried_and_a_lasting_one_recorded(root, smtp_server):
    box = Box(drop={"ana@acme.example": 1, "cy@birch.example": 99})
    result = _run(root, smtp_server(box))
    received = [m["To"].addresses[0].addr_spec for m in box.messages]
    assert received.count("ana@acme.example") == 1  # dropped once, sent on the retry
    assert "cy@birch.example" not in received
    assert any(f.startswith("Birch Networks -> cy@birch.example: connection failed") for f in result.failed)
    log = pd.read_csv(root / "data" / "deliveries.csv")
    assert dict(zip(log["recipient"], log["status"])) == {
        "ana@acme.example": "sent",
        "ben@acme.example": "sent",
        "cy@birch.example": "failed",
        "dee@cedar.example": "refused",
        "vp@northwind.example": "sent",
    }


def test_header_injection_from_the_data_is_refused_and_the_rest_go(root, smtp_server):
    contacts = pd.concat(
        [
            CONTACTS,
            pd.DataFrame(
                {
                    "contact_id": ["C5", "C6"],
                    "partner_id": ["P002", "P002"],
                    "name": ["Eve\r\nBcc: spy@evil.example", "Mal"],
                    "email": ["eve@birch.example", "mal@birch.example, spy@evil.example"],
                    "role": ["owner", "owner"],
                }
            ),
        ]
    )
    box = Box()
    result = _run(root, smtp_server(box), contacts=contacts)
    received = [a.addr_spec for m in box.messages for a in m["To"].addresses]
    assert "spy@evil.example" not in received and "eve@birch.example" not in received
    assert all("Bcc" not in m for m in box.messages)
    assert "cy@birch.example" in received
    assert sum("contacts, row 5" in f and "line break" in f for f in result.failed) == 1
    assert sum("contacts, row 6" in f and "one e-mail address" in f for f in result.failed) == 1


def test_dry_run_writes_the_messages_the_real_run_sends(root, smtp_server):
    dry = _run(root, 9, dry_run=True)  # port 9: nothing may be sent
    outbox = sorted((root / "outputs" / PERIOD / "outbox").glob("*.eml"))
    assert dry.outbox == len(outbox) == 4
    assert not (root / "data" / "deliveries.csv").exists()
    box = Box()
    _run(root, smtp_server(box))

    def key(m):
        return (str(m["To"]), m["Subject"], _text(m), _attachments(m))

    written = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in outbox]
    assert sorted(map(key, written), key=str) == sorted(map(key, box.messages), key=str)


def test_the_folder_channel_writes_the_files(root):
    program = {
        **PROGRAM,
        "delivery": {
            **PROGRAM["delivery"],
            "folder": str(root / "shared-drive"),
            "partners": {"channel": "folder", "formats": ["html"]},
        },
    }
    result = _run(root, 9, program=program, only="partners")
    assert result.written == 2
    written = sorted(p.name for p in (root / "shared-drive" / PERIOD).iterdir())
    assert written == ["P001-2026-Q3.html", "P002-2026-Q3.html"]


def test_smtp_settings_are_never_written(root, smtp_server, monkeypatch):
    monkeypatch.setenv("PARTNERBOOK_SMTP_PASSWORD", "s3cret-Pa55")
    box = Box()
    _run(root, smtp_server(box))
    _run(root, 9, dry_run=True, resend=True)
    for path in root.rglob("*"):
        if path.is_file():
            assert b"s3cret-Pa55" not in path.read_bytes(), path
    assert "s3cret" not in repr(mail.Settings("h", 1, "u", "s3cret"))


def test_a_long_subject_reads_back_as_written():
    long = "Northwind Partner Programme: Juniper Integrators International Holdings, partner report 2026-Q3"
    message = mail.compose(
        sender=mail.sender("Programme <p@northwind.example>"),
        to=mail.address("Ana", "ana@acme.example"),
        subject=long,
        body="Hello.\n",
    )
    parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
    assert parsed["Subject"] == long


def test_settings_from_the_environment():
    assert mail.Settings.from_env(
        {"PARTNERBOOK_SMTP_HOST": "mx", "PARTNERBOOK_SMTP_PORT": "2525"}
    ) == mail.Settings("mx", 2525, "", "", False)
    with pytest.raises(ParamsError, match="PARTNERBOOK_SMTP_HOST"):
        mail.Settings.from_env({})
    with pytest.raises(ParamsError, match="PARTNERBOOK_SMTP_PORT: expected a port number"):
        mail.Settings.from_env({"PARTNERBOOK_SMTP_HOST": "mx", "PARTNERBOOK_SMTP_PORT": "smtp"})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"sender": "not an address"}, "delivery.sender"),
        ({"partners": {"channel": "pigeon"}}, "delivery.partners.channel: expected one of smtp, folder"),
        ({"partners": {"formats": ["docx"]}}, "delivery.partners.formats"),
        ({"feedback": "ask them"}, "delivery.feedback"),
        ({"partnerz": {}}, "delivery.partnerz: unknown key; did you mean 'partners'"),
    ],
)
def test_a_bad_plan_names_the_key(change, message):
    with pytest.raises(ParamsError, match=message.replace("(", r"\(")):
        delivery.plan({**PROGRAM, "delivery": {**PROGRAM["delivery"], **change}})


def test_the_default_period_is_the_newest_rendered_one_of_the_cadence(tmp_path):
    for name, rendered in (("2026-Q2", True), ("2026-Q3", True), ("2026-Q4", False), ("2026-08", True)):
        (tmp_path / name).mkdir()
        if rendered:
            (tmp_path / name / "run.json").write_text("{}")
    plan = delivery.plan(PROGRAM)
    assert delivery.default_period(plan, tmp_path) == "2026-Q3"
    with pytest.raises(PartnerbookError, match="no quarter rendered yet"):
        delivery.default_period(plan, tmp_path / "nowhere")


def test_ctrl_c_leaves_a_true_log(root, smtp_server):
    """SIGINT in the middle of a batch: the log lists exactly the messages the server accepted."""
    box = Box(delay=0.6)
    port = smtp_server(box)
    script = textwrap.dedent(f"""
        import pandas as pd, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_delivery import PROGRAM, PARTNERS, CONTACTS, PERIOD
        from partnerbook import delivery, mail
        from pathlib import Path
        many = pd.DataFrame({{"contact_id": [f"X{{i}}" for i in range(30)], "partner_id": "P001",
                              "name": "Someone", "email": [f"p{{i}}@acme.example" for i in range(30)]}})
        settings = mail.Settings("127.0.0.1", {port})
        delivery.run(delivery.plan(PROGRAM), PERIOD, Path({str(root)!r}) / "outputs" / PERIOD, PARTNERS, many,
                     only="partners", smtp_factory=lambda: mail.Smtp(settings, backoff=0.01))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PARTNERBOOK_ROOT": str(root)})
    deadline = time.time() + 60
    while len(box.messages) < 3 and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    time.sleep(0.8)  # a message in flight may still be accepted
    log = pd.read_csv(root / "data" / "deliveries.csv")
    accepted = sorted(m["To"].addresses[0].addr_spec for m in box.messages)
    logged = sorted(log.loc[log["status"] == "sent", "recipient"])
    assert 3 <= len(accepted) < 30
    # logged only once accepted; at most the one message in flight at Ctrl-C is accepted, unlogged
    assert set(logged) <= set(accepted) and len(accepted) - len(logged) <= 1


# -- PDF, printed by headless Chromium ----------------------------------------------------


def test_paper_follows_the_locale():
    from partnerbook.render import pdf

    assert [pdf.paper(x) for x in ("en_US", "fr_FR", "fr_CA", "en_GB", "es-MX")] == [
        "Letter",
        "A4",
        "Letter",
        "A4",
        "Letter",
    ]


def _tall_page(path: Path) -> Path:
    """40 rows of eight lines and eight figures with captions: without the print rules Chromium
    splits some rows and a figure from its caption across pages (seen: rows 13, 19, 25, 38)."""
    rows = "".join(
        "<tr><td>" + "<br>".join(f"row {i} line {k}" for k in range(1, 9)) + f"</td><td>{i}</td></tr>"
        for i in range(1, 41)
    )
    figures = "".join(
        f"<figure><svg xmlns='http://www.w3.org/2000/svg' width='500' height='250' role='img'>"
        f"<title>chart {i}</title><text x='10' y='30'>figure {i} top</text></svg>"
        f"<figcaption>figure {i} caption</figcaption></figure>"
        for i in range(8)
    )
    path.write_text(
        f"<html><body><h1>Partner report: Acme Systems</h1><table>{rows}</table>{figures}</body></html>"
    )
    return path


def test_a_pdf_is_a_pdf_with_text_headers_and_whole_rows(browser, tmp_path):
    from pypdf import PdfReader
    from partnerbook.render.pdf import Printer

    with Printer(browser) as printer:
        data = printer.pdf(
            _tall_page(tmp_path / "p.html"), header="Northwind Partner Programme · 2026-Q3", locale="fr_FR"
        )
    assert data[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(data))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 4
    assert abs(float(reader.pages[0].mediabox.width) - 595) < 2  # A4 for fr_FR (595 x 842 pt)
    for number, text in enumerate(pages, start=1):
        assert "Northwind Partner Programme · 2026-Q3" in text
        assert f"Page {number} sur {len(pages)}" in text  # the page numbers in French too
    split_rows = [
        i for i in range(1, 41) if not any(f"row {i} line 1\n" in t and f"row {i} line 8" in t for t in pages)
    ]
    split_figures = [
        i for i in range(8) if not any(f"figure {i} top" in t and f"figure {i} caption" in t for t in pages)
    ]
    assert split_rows == [] and split_figures == []


def test_pdf_delivery_attaches_a_pdf_of_the_edition(root, smtp_server, browser):
    from pypdf import PdfReader
    from partnerbook.render.pdf import Printer

    box = Box()
    plan = delivery.plan(
        {**PROGRAM, "delivery": {**PROGRAM["delivery"], "partners": {"formats": ["pdf", "html"]}}}
    )
    settings = mail.Settings("127.0.0.1", smtp_server(box))
    contacts = CONTACTS.assign(locale=["", "fr_FR", "", ""])  # Ben reads A4, the rest Letter
    delivery.run(
        plan,
        PERIOD,
        root / "outputs" / PERIOD,
        PARTNERS,
        contacts,
        only="partners",
        smtp_factory=lambda: mail.Smtp(settings),
        printer_factory=lambda: Printer(browser),
    )
    got = {m["To"].addresses[0].addr_spec: _attachments(m) for m in box.messages}
    assert sorted(got["cy@birch.example"]) == ["P002-2026-Q3.html", "P002-2026-Q3.pdf"]
    first = PdfReader(io.BytesIO(got["cy@birch.example"]["P002-2026-Q3.pdf"])).pages[0]
    assert "Partner report: Birch Networks" in first.extract_text() and "Acme" not in first.extract_text()
    widths = {
        who: round(float(PdfReader(io.BytesIO(files[name])).pages[0].mediabox.width))
        for who, files in got.items()
        for name in files
        if name.endswith(".pdf")
    }
    assert widths == {"ana@acme.example": 612, "ben@acme.example": 596, "cy@birch.example": 612}


def test_the_pdf_page_numbers_are_in_the_language_asked_for_on_the_paper_of_the_locale(browser, tmp_path):
    from pypdf import PdfReader
    from partnerbook.render.pdf import Printer

    page = tmp_path / "p.html"
    page.write_text("<html><body><h1>Partner report: Acme Systems</h1></body></html>")
    with Printer(browser) as printer:  # a German contact: A4, in the partner's French; en_US: Letter
        german = PdfReader(io.BytesIO(printer.pdf(page, header="H", locale="de_DE", language="fr_FR"))).pages[
            0
        ]
        american = PdfReader(io.BytesIO(printer.pdf(page, header="H", locale="en_US"))).pages[0]
    assert "Page 1 sur 1" in german.extract_text() and abs(float(german.mediabox.width) - 595) < 2  # A4
    assert (
        "Page 1 of 1" in american.extract_text() and abs(float(american.mediabox.width) - 612) < 2
    )  # Letter


# -- each message in its reader's language -------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"  # before ':'; before ';' and '?' (French typography)
ASK_FR = (
    f"Une question pour vous{NBSP}: de 0 à 10, quelle est la probabilité que vous recommandiez de travailler "
    f"avec nous, et quelle est la chose que nous devrions changer{NNBSP}? Merci de répondre à ce message en "
    "indiquant votre note et un commentaire.\n"
)


def test_each_message_is_written_in_its_readers_language(root, smtp_server):
    """Birch Networks reads French (partners.locale), so does Cy; Ben of Acme asks for French
    himself (contacts.locale); Ana (Acme: no locale) and the sales audience read the
    programme's English."""
    box = Box()
    plan = delivery.plan(PROGRAM)
    settings = mail.Settings("127.0.0.1", smtp_server(box))
    delivery.run(
        plan,
        PERIOD,
        root / "outputs" / PERIOD,
        PARTNERS.assign(locale=["", "fr-FR", None]),
        CONTACTS.assign(locale=["", "fr_CA", "", ""]),
        smtp_factory=lambda: mail.Smtp(settings),
    )
    got = {m["To"].addresses[0].addr_spec: m for m in box.messages}
    assert (
        got["cy@birch.example"]["Subject"]
        == f"Northwind Partner Programme{NBSP}: Birch Networks, rapport partenaire T3{NBSP}2026"
    )
    assert _text(got["cy@birch.example"]) == (
        f"Vous trouverez ci-joint le rapport du T3{NBSP}2026 de Birch Networks au sein du Northwind Partner Programme.\n\n"
        f"Sur la période{NBSP}: revenue $80,000 (+12% on the prior period){NNBSP}; win rate 41%.\n\n"
        "To reach Gold you need 2 more certifications.\n\n" + ASK_FR
    )
    assert (
        got["ben@acme.example"]["Subject"]
        == f"Northwind Partner Programme{NBSP}: Acme Systems, rapport partenaire T3{NBSP}2026"
    )
    assert _text(got["ben@acme.example"]).endswith(ASK_FR)
    assert (
        got["ana@acme.example"]["Subject"]
        == "Northwind Partner Programme: Acme Systems, partner report 2026-Q3"
    )
    assert _text(got["ana@acme.example"]).startswith(
        "Attached is the 2026-Q3 report of Acme Systems in the Northwind Partner Programme.\n\n"
    )
    assert (
        got["vp@northwind.example"]["Subject"]
        == "Northwind Partner Programme: Sales leadership, programme story 2026-Q3"
    )


def test_a_french_programme_writes_to_its_audiences_in_french(root, smtp_server):
    box = Box()
    program = {**PROGRAM, "program": {"name": "Programme Partenaires Northwind", "locale": "fr_FR"}}
    (root / "outputs" / PERIOD / "story-sales.html").write_text(
        "<html lang='fr-FR'><body><h1>Récit du programme</h1><h2>Synthèse</h2><p>Le chiffre d'affaires des "
        "partenaires atteint 4,2 M$ en 2026-Q3. Le taux de conversion reste à 38 %. Les nouveaux clients "
        "passent à 14.</p></body></html>"
    )
    _run(root, smtp_server(box), program=program, only="audiences")
    (message,) = box.messages
    assert (
        message["Subject"]
        == f"Programme Partenaires Northwind{NBSP}: Sales leadership, récit du programme, T3{NBSP}2026"
    )
    assert _text(message) == (
        f"Vous trouverez ci-joint le récit du programme pour le T3{NBSP}2026, destiné à Sales leadership, de la part du "
        "Programme Partenaires Northwind.\n\n"
        "Le chiffre d'affaires des partenaires atteint 4,2 M$ en 2026-Q3. Le taux de conversion reste à 38 %.\n\n"
        f"Répondez à ce message pour toute question ou correction{NNBSP}; chaque chiffre du récit dit ce qu’il "
        "mesure.\n"
    )


def test_an_unknown_locale_of_a_contact_stops_delivery_naming_table_row_and_column(root, smtp_server):
    box = Box()
    with pytest.raises(PartnerbookError) as err:
        delivery.run(
            delivery.plan(PROGRAM),
            PERIOD,
            root / "outputs" / PERIOD,
            PARTNERS,
            CONTACTS.assign(locale=["", "", "fr-XX", ""]),
            where="data/crm.duckdb",
            smtp_factory=lambda: mail.Smtp(mail.Settings("127.0.0.1", smtp_server(box))),
        )
    assert str(err.value) == (
        "data/crm.duckdb: contacts, row 4 (contact_id C3), column locale: "
        "expected a locale such as en_US or fr_FR, found 'fr-XX'"
    )
    assert box.messages == []


def test_a_partner_edition_holding_internal_words_is_not_sent(root, smtp_server):
    (root / "outputs" / PERIOD / "for-partners" / "P002.html").write_text(
        _page("Birch Networks", "$80,000", "<p>Health: watch (peer median $9,000)</p>")
    )
    box = Box()
    result = _run(root, smtp_server(box), only="partners")
    assert sorted(m["To"].addresses[0].addr_spec for m in box.messages) == [
        "ana@acme.example",
        "ben@acme.example",
    ]
    assert any(
        f.startswith("Birch Networks -> cy@birch.example: holds what only our own people may read")
        and "the health flag" in f
        for f in result.failed
    )


# -- the plan checked with the programme; PDF without Chromium ------------------------------


def test_a_bad_delivery_plan_stops_loading_the_programme(tmp_path):
    from partnerbook import programme

    text = (Path(__file__).resolve().parents[1] / "params" / "program.yaml").read_text()
    broken = tmp_path / "program.yaml"
    broken.write_text(text.replace("    channel: smtp                # smtp | folder", "    channel: pigeon"))
    with pytest.raises(
        ParamsError, match=r"program.yaml: delivery.partners.channel: expected one of smtp, folder"
    ):
        programme.load(broken)
    broken.write_text(text.replace("recipients: [enablement@northwind.example]", "recipients: [enablement]"))
    with pytest.raises(
        ParamsError, match=r"reporting.audiences\[2\].recipients\[0\]: expected one e-mail address"
    ):
        programme.load(broken)


def test_pdf_without_chromium_says_what_to_install_and_exits_2(root, tmp_path):
    import yaml

    program = tmp_path / "program.yaml"
    program.write_text(yaml.safe_dump({k: v for k, v in PROGRAM.items()}))
    env = {k: v for k, v in os.environ.items() if k != "PARTNERBOOK_CHROMIUM"}
    env.update(PARTNERBOOK_ROOT=str(root), PATH=str(Path(sys.executable).parent))  # no chromium on PATH
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "partnerbook",
            "deliver",
            "--dry-run",
            "--format",
            "pdf",
            "--params",
            str(program),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "apt-get install chromium" in done.stderr and "HTML delivery works without it" in done.stderr
    assert not (root / "outputs" / PERIOD / "outbox").exists()
