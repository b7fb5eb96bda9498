"""The sandbox service's settings: permissions, trial mode, senders, team members, callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from urllib.parse import urlsplit

__all__ = [
    "ALL_PERMISSIONS",
    "CALLBACK_TOKEN_MIN_LENGTH",
    "DEFAULT_EMAIL_REPLY_TO_ID",
    "DEFAULT_PERMISSIONS",
    "DEFAULT_SMS_SENDER_ID",
    "INBOUND_NUMBER_SENDER_ID",
    "PRECOMPILED_TEMPLATE_ID",
    "CallbackEndpoint",
    "ServiceSettings",
]

ALL_PERMISSIONS: Final = frozenset(
    {
        "sms",
        "email",
        "letter",
        "international_sms",
        "sms_to_uk_landlines",
        "international_letters",
    }
)
DEFAULT_PERMISSIONS: Final = frozenset(
    {"sms", "email", "letter", "international_sms", "international_letters"}
)
"""Every permission except ``sms_to_uk_landlines`` (so a landline gets the server's refusal)."""

DEFAULT_SMS_SENDER_ID: Final = "3bb850c8-f71d-4363-a9b2-a2a5bedc1973"
INBOUND_NUMBER_SENDER_ID: Final = "16b39b7c-362a-48f4-a301-f8bda745742f"
DEFAULT_EMAIL_REPLY_TO_ID: Final = "73cba0a1-e92d-4e36-a125-79ecde662a36"
PRECOMPILED_TEMPLATE_ID: Final = "5af4c6a9-b390-40c7-9589-b90b927f34ff"
"""The hidden template every precompiled letter uses (not listed, not readable)."""

CALLBACK_TOKEN_MIN_LENGTH: Final = 10
"""Notify refuses a callback bearer token shorter than this."""


@dataclass(frozen=True)
class CallbackEndpoint:
    """A URL the sandbox POSTs callbacks to, and the bearer token it sends with them.

    As in Notify's settings, the token must be at least 10 characters. Notify takes only https
    URLs; the sandbox also takes http, so that an application on this machine (or in the next
    container) can be called. The token is left out of ``repr`` and never logged.
    """

    url: str
    bearer_token: str = field(repr=False)

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.url)
            port = parts.port
        except ValueError:
            raise ValueError(f"callback URL {self.url!r} is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"callback URL {self.url!r} must start with https:// (or http://) and name a host"
            )
        if port == 0:
            raise ValueError(f"callback URL {self.url!r} has port 0")
        if any(ch.isspace() or ord(ch) < 32 for ch in self.url):
            raise ValueError("a callback URL cannot contain spaces or control characters")
        token = self.bearer_token
        if not isinstance(token, str) or len(token) < CALLBACK_TOKEN_MIN_LENGTH:
            raise ValueError(
                f"a callback bearer token must be at least {CALLBACK_TOKEN_MIN_LENGTH} characters"
            )
        # It goes into an HTTP header: no line breaks, nothing Latin-1 cannot encode.
        if any(ord(ch) < 32 or ord(ch) == 127 or ord(ch) > 255 for ch in token):
            raise ValueError(
                "a callback bearer token cannot contain control characters or characters"
                " outside Latin-1"
            )


@dataclass(frozen=True)
class ServiceSettings:
    """How the sandbox's one service is set up."""

    name: str = "Sandbox service"
    email_from: str = "sandbox.service"
    """The local part of the ``from_email`` (``<email_from>@notifications.service.gov.uk``)."""
    permissions: frozenset[str] = DEFAULT_PERMISSIONS
    restricted: bool = False
    """Trial mode: live keys can send only to the team, and letters only with a test key."""
    active: bool = True
    team_members: tuple[str, ...] = ("sandbox-team@example.gov.uk", "07700900123")
    """Email addresses and phone numbers a team key (or a trial service) may send to."""
    contact_link: str | None = "https://www.gov.uk/contact"
    """Set up for sending files by email; ``None`` refuses files."""
    inbound_number: str = "07700900456"
    sms_senders: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {DEFAULT_SMS_SENDER_ID: "GOVUK", INBOUND_NUMBER_SENDER_ID: "07700900456"}
        )
    )
    """Sender ids and their text; the first is the default."""
    email_reply_to: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {DEFAULT_EMAIL_REPLY_TO_ID: "sandbox-replies@example.gov.uk"}
        )
    )
    admin_url: str = "https://www.notifications.service.gov.uk"
    delivery_callback: CallbackEndpoint | None = None
    """Where delivery receipts of text messages and emails are POSTed; ``None``: not sent."""
    inbound_callback: CallbackEndpoint | None = None
    """Where received text messages are POSTed; ``None``: not sent."""
    returned_letter_callback: CallbackEndpoint | None = None
    """Where returned letters are reported; ``None``: not sent."""

    def __post_init__(self) -> None:
        unknown = set(self.permissions) - ALL_PERMISSIONS
        if unknown:
            raise ValueError(f"unknown permissions: {', '.join(sorted(unknown))}")
        if not self.sms_senders:
            raise ValueError("the service needs at least one SMS sender")

    @property
    def from_email(self) -> str:
        """The address emails come from: ``<email_from>@notifications.service.gov.uk``."""
        return f"{self.email_from}@notifications.service.gov.uk"

    @property
    def default_sms_sender(self) -> str:
        """The first of the service's SMS senders (the one used when none is chosen)."""
        return next(iter(self.sms_senders.values()))
