"""The `delivery` section: what `partnerbook deliver` sends, to whom, how.

The section as written is described here (for the schema and its key lists); it is read and
checked by `recipients.plan` into a `recipients.Plan` (sender, routes, addresses, and the
audiences' recipients from `reporting.audiences`), which is `prog.delivery`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from .. import recipients
from ..recipients import CHANNELS, FORMATS, Plan


@dataclass(frozen=True)
class PartnerDelivery:
    """`delivery.partners`: how every partner edition goes to its partner's contacts."""

    channel: str = field(
        default="smtp", metadata={"doc": "smtp, or folder: written under `folder`", "enum": CHANNELS}
    )
    formats: tuple[str, ...] = field(
        default=("pdf",), metadata={"doc": "what is sent: html, pdf", "enum": FORMATS}
    )
    roles: tuple[str, ...] = field(
        default=(), metadata={"doc": "only contacts with these roles (contacts.role); empty: every contact"}
    )
    addresses: dict = field(
        default_factory=dict,
        metadata={"doc": "partner_id -> addresses used instead of the contacts table", "address_lists": True},
    )


@dataclass(frozen=True)
class Delivery:
    """The `delivery` section as written."""

    sender: str = field(
        default="", metadata={"doc": "the From address: 'Partner Programme <channel@example.com>'"}
    )
    feedback: str = field(
        default="",
        metadata={"doc": "a survey address (https://...), or empty: partners reply to the message"},
    )
    folder: str = field(default="deliveries", metadata={"doc": "where the folder channel writes"})
    partners: PartnerDelivery = field(
        default_factory=PartnerDelivery, metadata={"doc": "the partner editions"}
    )
    audiences: dict = field(
        default_factory=dict,
        metadata={
            "doc": "unused: each audience's recipients, channel and formats are in reporting.audiences"
        },
    )


def parse(raw: dict, file: str) -> Plan | None:
    """The delivery plan when the file has a `delivery` section (recipients.plan checks every
    key, errors naming file and key); without one, only the audiences' recipients are checked."""
    if raw.get("delivery") is not None:
        return recipients.plan(raw, file)
    recipients.check(raw, file)
    return None
