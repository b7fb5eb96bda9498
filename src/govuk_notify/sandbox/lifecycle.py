"""How sandbox notifications move through their statuses as time passes.

* Text messages and emails: ``created`` → ``sending`` → ``delivered`` (or ``temporary-failure`` /
  ``permanent-failure`` for the documented test recipients).
* Templated letters: ``created`` → ``sending`` → ``delivered`` (shown as ``accepted``,
  ``accepted``, ``received``); a letter longer than 10 pages ends ``validation-failed``.
* Precompiled letters: ``pending-virus-check``, then ``virus-scan-failed`` (the EICAR test string),
  ``validation-failed`` (not a PDF) or ``created`` → ``sending`` → ``delivered``.

The simulated recipients get a 201 but are not stored at all (so a later GET gives 404).

A text message or an email whose status settles on one of `DELIVERY_RECEIPT_STATUSES`
gets a delivery receipt, if the service has a delivery callback (see
`govuk_notify.sandbox.callbacks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "DELIVERY_RECEIPT_STATUSES",
    "LETTER_MAX_PAGE_COUNT",
    "SIMULATED_EMAIL_ADDRESSES",
    "SIMULATED_PHONE_NUMBERS",
    "Lifecycle",
    "Steps",
    "failure_for_email",
    "failure_for_phone",
    "is_simulated_email",
    "is_simulated_phone",
    "looks_like_pdf",
    "sends_delivery_receipt",
]

LETTER_MAX_PAGE_COUNT: Final = 10

SIMULATED_PHONE_NUMBERS: Final = frozenset({"447700900000", "447700900111", "447700900222"})
"""Smoke-test numbers (normalised): accepted, never stored."""

SIMULATED_EMAIL_ADDRESSES: Final = frozenset(
    {
        "simulate-delivered@notifications.service.gov.uk",
        "simulate-delivered-2@notifications.service.gov.uk",
        "simulate-delivered-3@notifications.service.gov.uk",
    }
)
"""Smoke-test addresses: accepted, never stored."""

_PHONE_FAILURES: Final = {
    "447700900003": "temporary-failure",
    "447700900002": "permanent-failure",
}
_EMAIL_FAILURES: Final = {
    "temp-fail@simulator.notify": "temporary-failure",
    "perm-fail@simulator.notify": "permanent-failure",
}

_FINAL_MESSAGE_STATUSES: Final = frozenset(
    {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
)
DELIVERY_RECEIPT_STATUSES: Final = {
    "sms": _FINAL_MESSAGE_STATUSES | {"sent"},
    "email": _FINAL_MESSAGE_STATUSES,
}
"""The final statuses, by notification type, that Notify sends a delivery receipt for (``sent``
is final for a text message to an international number with no delivery reports)."""

_EICAR: Final = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def is_simulated_phone(normalised: str) -> bool:
    """Whether a number is one of Notify's smoke-test numbers (accepted, never stored).

    Args:
        normalised: The number, normalised (international form without ``+``).

    Returns:
        Whether it is one of `SIMULATED_PHONE_NUMBERS`.
    """
    return normalised in SIMULATED_PHONE_NUMBERS


def is_simulated_email(address: str) -> bool:
    """Whether an address is one of Notify's smoke-test addresses (accepted, never stored).

    Args:
        address: The address, in any case and with any surrounding spaces.

    Returns:
        Whether it is one of `SIMULATED_EMAIL_ADDRESSES`.
    """
    return address.strip().lower() in SIMULATED_EMAIL_ADDRESSES


def sends_delivery_receipt(notification_type: str, status: str) -> bool:
    """Whether reaching ``status`` gets a notification of that type a delivery receipt."""
    return status in DELIVERY_RECEIPT_STATUSES.get(notification_type, frozenset())


def failure_for_phone(normalised: str) -> str | None:
    """The failure a test number simulates.

    Args:
        normalised: The number, normalised (international form without ``+``).

    Returns:
        ``temporary-failure`` or ``permanent-failure``, or `None` for a number that does not fail.
    """
    return _PHONE_FAILURES.get(normalised)


def failure_for_email(address: str) -> str | None:
    """The failure a test address simulates.

    Args:
        address: The address, in any case and with any surrounding spaces.

    Returns:
        ``temporary-failure`` or ``permanent-failure``, or `None` for an address that does not fail.
    """
    return _EMAIL_FAILURES.get(address.strip().lower())


@dataclass(frozen=True)
class Steps:
    """A notification's first status and its later ``(seconds after creation, status)`` steps.

    ``sent_step`` is the index (counting the first status as 0) of the step that sets ``sent_at``.
    """

    first: str
    later: tuple[tuple[float, str], ...]
    sent_step: int | None


@dataclass(frozen=True)
class Lifecycle:
    """The timing of status changes, in seconds after a notification is created."""

    sending_after: float = 0.1
    """``created`` → ``sending``."""
    delivered_after: float = 0.5
    """→ ``delivered`` (or the failure of a test recipient)."""
    virus_scan_after: float = 0.2
    """How long a precompiled letter stays ``pending-virus-check``."""

    def __post_init__(self) -> None:
        if min(self.sending_after, self.delivered_after, self.virus_scan_after) < 0:
            raise ValueError("lifecycle delays cannot be negative")
        if self.delivered_after < self.sending_after:
            raise ValueError("delivered_after must not be shorter than sending_after")

    def message(self, final_status: str | None = None) -> Steps:
        """A text message or an email; ``final_status`` replaces ``delivered``."""
        return Steps(
            "created",
            (
                (self.sending_after, "sending"),
                (self.delivered_after, final_status or "delivered"),
            ),
            1,
        )

    def letter(self, page_count: int, *, test_key: bool = False) -> Steps:
        """A templated letter. A test key's letter is never printed: it starts as ``sending``."""
        if page_count > LETTER_MAX_PAGE_COUNT:
            return Steps("created", ((self.sending_after, "validation-failed"),), None)
        if test_key:
            return Steps("sending", ((self.delivered_after, "delivered"),), 0)
        return Steps(
            "created",
            ((self.sending_after, "sending"), (self.delivered_after, "delivered")),
            1,
        )

    def precompiled_letter(self, content: bytes) -> Steps:
        """A precompiled letter, judged on its bytes."""
        scan = self.virus_scan_after
        if _EICAR in content:
            return Steps("pending-virus-check", ((scan, "virus-scan-failed"),), None)
        if not looks_like_pdf(content):
            return Steps("pending-virus-check", ((scan, "validation-failed"),), None)
        return Steps(
            "pending-virus-check",
            (
                (scan, "created"),
                (scan + self.sending_after, "sending"),
                (scan + self.delivered_after, "delivered"),
            ),
            2,
        )


def looks_like_pdf(content: bytes) -> bool:
    """A PDF starts with ``%PDF-`` (within the first KiB) and has an ``%%EOF`` marker."""
    head = content[:1024]
    return b"%PDF-" in head and b"%%EOF" in content[-2048:]
