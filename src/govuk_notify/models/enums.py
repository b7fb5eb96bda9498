"""Status, type and postage values."""

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
    """The kinds of template (and of notification)."""

    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"

    def __str__(self) -> str:
        return self.value


NotificationType = TemplateType


class SmsStatus(OpenEnum):
    """Statuses a text message can have."""

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
    """Statuses an email can have."""

    CREATED = "created"
    SENDING = "sending"
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    TECHNICAL_FAILURE = "technical-failure"


class LetterStatus(OpenEnum):
    """Statuses a templated letter can have (the API renames created/sending to ``accepted`` and
    delivered/returned to ``received``). ``validation-failed`` covers letters that are too long."""

    ACCEPTED = "accepted"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    TECHNICAL_FAILURE = "technical-failure"
    PERMANENT_FAILURE = "permanent-failure"
    VALIDATION_FAILED = "validation-failed"


class PrecompiledLetterStatus(OpenEnum):
    """Statuses a precompiled (PDF) letter can have."""

    PENDING_VIRUS_CHECK = "pending-virus-check"
    VIRUS_SCAN_FAILED = "virus-scan-failed"
    VALIDATION_FAILED = "validation-failed"
    ACCEPTED = "accepted"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    TECHNICAL_FAILURE = "technical-failure"
    PERMANENT_FAILURE = "permanent-failure"


class Postage(OpenEnum):
    """Postage of a letter. ``europe`` and ``rest-of-world`` are set by Notify for addresses
    abroad; a request can ask only for ``first``, ``second`` or ``economy``."""

    FIRST = "first"
    SECOND = "second"
    ECONOMY = "economy"
    EUROPE = "europe"
    REST_OF_WORLD = "rest-of-world"


class NotificationStatusFilter(str, enum.Enum):
    """The 16 values the ``status`` filter of the notifications list accepts, in the server's
    order. ``failed``, ``accepted`` and ``received`` are aliases the server expands."""

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
