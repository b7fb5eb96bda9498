"""Typed records of what the sandbox was asked to send, for tests to inspect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ApiKeys",
    "ReceivedTextRecord",
    "SentEmail",
    "SentFile",
    "SentLetter",
    "SentMessage",
    "SentSms",
]


def utc_datetime(at_us: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=at_us)


@dataclass(frozen=True)
class ApiKeys:
    """One API key of each type. ``repr`` hides them; read the attributes to use them."""

    live: str = field(repr=False)
    team: str = field(repr=False)
    test: str = field(repr=False)

    def for_type(self, key_type: str) -> str:
        """``live`` (or ``normal``), ``team`` or ``test``."""
        if key_type in ("live", "normal"):
            return self.live
        if key_type == "team":
            return self.team
        if key_type == "test":
            return self.test
        raise ValueError(f"unknown key type {key_type!r}: use live, team or test")


@dataclass(frozen=True)
class SentMessage:
    """What every stored notification has.

    ``status`` reads as the API shows it (letters' statuses renamed); ``raw_status`` is the
    stored one.
    """

    id: str
    type: str
    status: str
    raw_status: str
    key_type: str
    """``live``, ``team`` or ``test`` (the key that sent it; ``live`` for CSV jobs)."""
    template_id: str
    template_version: int
    reference: str | None
    personalisation: dict[str, Any]
    """As stored: after ``sanitise_content_for``, with file links in place of files."""
    body: str
    subject: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    completed_at: dt.datetime | None
    job_id: str | None


@dataclass(frozen=True)
class SentSms(SentMessage):
    """A text message the sandbox was asked to send."""

    phone_number: str = ""
    """As submitted."""
    normalised_phone_number: str = ""
    """E.164 without ``+``, e.g. ``447700900123``."""
    sender: str | None = None


@dataclass(frozen=True)
class SentFile:
    """A file sent by email (a ``prepare_upload`` value in the personalisation)."""

    personalisation_key: str
    filename: str | None
    mime_type: str
    content: bytes = field(repr=False)
    url: str
    retention_period: str
    confirm_email_before_download: bool


@dataclass(frozen=True)
class SentEmail(SentMessage):
    """An email the sandbox was asked to send, with its HTML and the files sent with it."""

    email_address: str = ""
    """As submitted."""
    html: str = ""
    """The HTML body, as the template preview renders it."""
    files: tuple[SentFile, ...] = ()
    one_click_unsubscribe_url: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class SentLetter(SentMessage):
    """A letter the sandbox was asked to send (templated, or a precompiled PDF)."""

    address: tuple[str, ...] = ()
    """The address lines as given (templated letters); ``("Provided as PDF",)`` for a PDF."""
    postage: str | None = None
    precompiled: bool = False
    pdf: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ReceivedTextRecord:
    """A text message a user sent to the service (injected into the sandbox)."""

    id: str
    content: str
    user_number: str
    notify_number: str
    created_at: dt.datetime
