"""Status, type and postage values.

The status and postage enums are `OpenEnum`s: a value Notify adds later is kept (with
`is_known` False) instead of failing the response. Every member is also a `str`.
"""

from __future__ import annotations

import enum

from ._base import OpenEnum

__all__ = [
    "EmailStatus",
    "LetterStatus",
    "NotificationStatusFilter",
    "NotificationType",
    "Postage",
    "PrecompiledLetterStatus",
    "SmsStatus",
    "TemplateType",
]


class TemplateType(str, enum.Enum):
    """The kinds of template and of notification: `sms`, `email` or `letter`.

    `NotificationType` is another name for it.
    """

    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"

    def __str__(self) -> str:
        return self.value


NotificationType = TemplateType
"""The kinds of notification: the same enum as `TemplateType`."""


class SmsStatus(OpenEnum):
    """Statuses a text message can have.

    `created` (queued), `sending` (with the provider), `pending` (waiting for the phone to
    answer the provider), `sent` (to an international number that gives no receipt),
    `delivered`; and the failures: `permanent-failure` (a wrong number, or the network refused
    it), `temporary-failure` (the phone is off, has no signal or a full inbox: you can try
    again), `technical-failure` (between Notify and the provider; the message was not sent).
    """

    CREATED = "created"
    SENDING = "sending"
    PENDING = "pending"
    SENT = "sent"
    """Sent to an international number whose network gives no further receipt."""
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    TECHNICAL_FAILURE = "technical-failure"


class EmailStatus(OpenEnum):
    """Statuses an email can have.

    `created`, `sending`, `delivered`; `permanent-failure` (the address was wrong: remove it),
    `temporary-failure` (the inbox is full or a spam filter refused it), `technical-failure`
    (between Notify and the provider; the email was not sent).
    """

    CREATED = "created"
    SENDING = "sending"
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    TECHNICAL_FAILURE = "technical-failure"


class LetterStatus(OpenEnum):
    """Statuses a templated letter can have.

    The API shows `created` and `sending` as `accepted` (Notify is printing it) and `delivered`
    and `returned-letter` as `received` (posted). `validation-failed` covers letters that are
    too long, `cancelled` letters cancelled before printing.
    """

    ACCEPTED = "accepted"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    TECHNICAL_FAILURE = "technical-failure"
    PERMANENT_FAILURE = "permanent-failure"
    VALIDATION_FAILED = "validation-failed"


class PrecompiledLetterStatus(OpenEnum):
    """Statuses a precompiled (PDF) letter can have.

    Those of `LetterStatus` and, while Notify checks the PDF, `pending-virus-check`, then
    `virus-scan-failed` or `validation-failed` (the PDF is outside the letter specification).
    """

    PENDING_VIRUS_CHECK = "pending-virus-check"
    VIRUS_SCAN_FAILED = "virus-scan-failed"
    VALIDATION_FAILED = "validation-failed"
    ACCEPTED = "accepted"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    TECHNICAL_FAILURE = "technical-failure"
    PERMANENT_FAILURE = "permanent-failure"


class Postage(OpenEnum):
    """Postage of a letter.

    `europe` and `rest-of-world` are set by Notify for addresses abroad; a request can ask only
    for `first`, `second` or `economy`.
    """

    FIRST = "first"
    SECOND = "second"
    ECONOMY = "economy"
    EUROPE = "europe"
    REST_OF_WORLD = "rest-of-world"


class NotificationStatusFilter(str, enum.Enum):
    """The 16 values the `status` filter of the notifications list accepts, in Notify's order.

    `failed` stands for the three failure statuses; `accepted` and `received` are the letter
    statuses Notify expands to its own. A closed enum: a value outside it is refused before
    anything is sent.
    """

    CANCELLED = "cancelled"
    CREATED = "created"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    PENDING = "pending"
    FAILED = "failed"
    TECHNICAL_FAILURE = "technical-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    PERMANENT_FAILURE = "permanent-failure"
    PENDING_VIRUS_CHECK = "pending-virus-check"
    VALIDATION_FAILED = "validation-failed"
    VIRUS_SCAN_FAILED = "virus-scan-failed"
    RETURNED_LETTER = "returned-letter"
    ACCEPTED = "accepted"
    RECEIVED = "received"

    def __str__(self) -> str:
        return self.value
