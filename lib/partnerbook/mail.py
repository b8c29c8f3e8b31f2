"""E-mail: safe addresses, the message, and a real SMTP connection that retries.

    address("Ana Ruiz", "ana@partner.example")      -> Address (refuses a newline or a 2nd address)
    compose(sender=..., to=..., subject=..., body=..., attachments=[(name, bytes)])
    with Smtp.from_env() as smtp: smtp.send(message)

SMTP settings come from the environment only — PARTNERBOOK_SMTP_HOST, _PORT, _USER,
_PASSWORD, _STARTTLS — and are never written to outputs, logs or run.json. With only
host and port set, plain SMTP without login.
"""

from __future__ import annotations

import mimetypes
import os
import re
import smtplib
import socket
import time
from dataclasses import dataclass
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from .errors import ParamsError, PartnerbookError

ENV = (
    "PARTNERBOOK_SMTP_HOST",
    "PARTNERBOOK_SMTP_PORT",
    "PARTNERBOOK_SMTP_USER",
    "PARTNERBOOK_SMTP_PASSWORD",
    "PARTNERBOOK_SMTP_STARTTLS",
)
_ADDR = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Headers folded only past RFC 5322's hard limit: the standard 78 folds a long subject
# before its first word, which some readers (Python's among them) show with a leading space.
POLICY = email_policy.default.clone(max_line_length=998)


class BadAddress(PartnerbookError):
    """An address or display name that could smuggle a header or a second recipient."""


def address(name: str, email: str, *, where: str = "") -> Address:
    """One recipient: a display name (may be empty) and exactly one plain address.

    Refused, naming `where` (e.g. 'contacts, row 12'): a line break or other control
    character anywhere, a second address (',' or ';' or '<' in the address), or an address
    that is not name@domain."""
    name, email = str(name or "").strip(), str(email or "").strip()
    here = f"{where}: " if where else ""
    if _CONTROL.search(name) or _CONTROL.search(email):
        raise BadAddress(
            f"{here}a line break or control character in {name!r} <{email!r}>: refused "
            "(it could add a header to the message)"
        )
    if not _ADDR.fullmatch(email):
        raise BadAddress(f"{here}expected one e-mail address like name@example.com, found {email!r}")
    return Address(display_name=name, addr_spec=email)


def sender(text: str, *, where: str = "delivery.sender") -> Address:
    """The From address of the plan, 'Name <addr>' or 'addr'."""
    name, email = parseaddr(str(text or ""))
    if not email:
        raise ParamsError(
            f"{where}: expected a sender like 'Partner Programme <channel@example.com>', found {text!r}"
        )
    try:
        return address(name, email, where=where)
    except BadAddress as exc:
        raise ParamsError(str(exc)) from None


def compose(
    *, sender: Address, to: Address, subject: str, body: str, attachments: list[tuple[str, bytes]] = ()
) -> EmailMessage:
    """A plain-text message with its attachments (content type from the file name)."""
    if _CONTROL.search(subject):
        raise BadAddress(f"subject {subject!r}: a line break is not allowed")
    msg = EmailMessage(policy=POLICY)
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.domain or None)
    msg.set_content(body)
    for name, data in attachments:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg


@dataclass
class Settings:
    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = False

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        host = env.get("PARTNERBOOK_SMTP_HOST", "").strip()
        if not host:
            raise ParamsError(
                "SMTP delivery needs PARTNERBOOK_SMTP_HOST (and PARTNERBOOK_SMTP_PORT) in the "
                "environment; use --dry-run to write the messages to the outbox instead"
            )
        port = env.get("PARTNERBOOK_SMTP_PORT", "25").strip() or "25"
        if not port.isdigit():
            raise ParamsError(f"PARTNERBOOK_SMTP_PORT: expected a port number, found {port!r}")
        tls = env.get("PARTNERBOOK_SMTP_STARTTLS", "").strip().lower()
        if tls not in ("", "0", "1", "true", "false", "yes", "no"):
            raise ParamsError(f"PARTNERBOOK_SMTP_STARTTLS: expected true or false, found {tls!r}")
        return cls(
            host,
            int(port),
            env.get("PARTNERBOOK_SMTP_USER", ""),
            env.get("PARTNERBOOK_SMTP_PASSWORD", ""),
            tls in ("1", "true", "yes"),
        )

    def __repr__(self) -> str:  # never print the password (or the user) anywhere
        return f"Settings(host={self.host!r}, port={self.port})"


class SendFailed(Exception):
    """The server did not accept a message (after the retries)."""


# Transient troubles are retried: a dropped connection, a refused connection, a 4xx reply.
_TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    socket.timeout,
    TimeoutError,
)


class Smtp:
    """One connection, opened lazily and re-opened after a drop; `send` retries with backoff."""

    def __init__(
        self, settings: Settings, *, retries: int = 3, backoff: float = 1.0, timeout: float = 30
    ) -> None:
        self.settings, self.retries, self.backoff, self.timeout = settings, retries, backoff, timeout
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> "Smtp":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                self._conn.close()
            self._conn = None

    def _connect(self) -> smtplib.SMTP:
        if self._conn is None:
            s = self.settings
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.starttls:
                conn.starttls()
            if s.user:
                conn.login(s.user, s.password)
            self._conn = conn
        return self._conn

    def send(self, message: EmailMessage) -> None:
        """Hand `message` to the server; returns only once the server accepted it for every
        recipient. Raises SendFailed with the server's words otherwise."""
        for attempt in range(self.retries + 1):
            try:
                refused = self._connect().send_message(message)
                if refused:
                    raise SendFailed(_refused(refused))
                return
            except smtplib.SMTPRecipientsRefused as exc:
                raise SendFailed(_refused(exc.recipients)) from None
            except smtplib.SMTPResponseException as exc:
                if not 400 <= exc.smtp_code < 500 or attempt == self.retries:
                    raise SendFailed(f"server replied {exc.smtp_code} {_words(exc.smtp_error)}") from None
            except _TRANSIENT as exc:
                self._drop()
                if attempt == self.retries:
                    raise SendFailed(f"connection failed: {exc or type(exc).__name__}") from None
            except OSError as exc:
                self._drop()
                if attempt == self.retries:
                    raise SendFailed(f"connection failed: {exc.strerror or exc}") from None
            time.sleep(self.backoff * 2**attempt)

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def _words(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _refused(recipients: dict) -> str:
    return "; ".join(f"{who} refused: {code} {_words(text)}" for who, (code, text) in recipients.items())
