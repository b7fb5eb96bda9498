"""What the sandbox was asked to send, read back as typed records (`.records`).

`SentRecords` is the part of `Sandbox` that reads the store:
every notification (or one, or those of one type), waiting for a status, and received texts.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

from ..validation import address_lines_from_personalisation
from .api import COMPLETED_STATUSES, letter_status_for_output
from .records import (
    ReceivedTextRecord,
    SentEmail,
    SentFile,
    SentLetter,
    SentMessage,
    SentSms,
    utc_datetime,
)
from .rendering import email_html
from .store import Store, StoredNotification

__all__ = ["KEY_TYPES", "SentRecords", "stored_key_type"]

KEY_TYPES = {"live": "normal", "normal": "normal", "team": "team", "test": "test"}
_PAUSE = threading.Event()  # never set: waiting on it is a pause


def stored_key_type(name: str) -> str:
    """The stored key type for ``live``/``normal``, ``team`` or ``test`` (ValueError otherwise)."""
    try:
        return KEY_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown key type {name!r}: use live, team or test") from None


def _raw_address(personalisation: Mapping[str, Any]) -> list[str]:
    return [line for line in address_lines_from_personalisation(personalisation) if line]


class SentRecords:
    """Reading back what was sent (a part of `Sandbox`)."""

    def _running_store(self) -> Store:
        raise NotImplementedError

    def _record(self, stored: StoredNotification, now: int) -> SentMessage:
        store = self._running_store()
        status, reached, sent_at = stored.status_at(now)
        common: dict[str, Any] = {
            "id": stored.id,
            "type": stored.type,
            "status": letter_status_for_output(status) if stored.type == "letter" else status,
            "raw_status": status,
            "key_type": "live" if stored.key_type == "normal" else stored.key_type,
            "template_id": stored.template_id,
            "template_version": stored.template_version,
            "reference": stored.reference,
            "personalisation": stored.personalisation,
            "body": stored.body,
            "subject": stored.subject,
            "created_at": utc_datetime(stored.created_at),
            "sent_at": utc_datetime(sent_at) if sent_at is not None else None,
            "completed_at": utc_datetime(reached) if status in COMPLETED_STATUSES else None,
            "job_id": stored.job_id,
        }
        if stored.type == "sms":
            return SentSms(
                **common,
                phone_number=stored.recipient or "",
                normalised_phone_number=stored.normalised_to or "",
                sender=stored.sender,
            )
        if stored.type == "email":
            template = next(
                (
                    t
                    for t in store.template_versions(stored.template_id)
                    if t.version == stored.template_version
                ),
                None,
            )
            files = tuple(
                SentFile(
                    personalisation_key=doc.personalisation_key,
                    filename=doc.filename,
                    mime_type=doc.mime_type,
                    content=doc.content,
                    url=doc.url,
                    retention_period=doc.retention_period,
                    confirm_email_before_download=doc.confirm_email_before_download,
                )
                for doc in store.documents_for(stored.id)
            )
            return SentEmail(
                **common,
                email_address=stored.recipient or "",
                html=email_html(template.body, stored.personalisation) if template else "",
                files=files,
                one_click_unsubscribe_url=stored.one_click_unsubscribe_url,
                reply_to=stored.sender,
            )
        if stored.precompiled:
            address: tuple[str, ...] = ("Provided as PDF",)
        else:
            address = tuple(_raw_address(stored.personalisation))
        return SentLetter(
            **common,
            address=address,
            postage=stored.postage,
            precompiled=stored.precompiled,
            pdf=store.letter_pdf(stored.id),
        )

    def notifications(
        self,
        *,
        type: str | None = None,
        key_type: str | None = None,
    ) -> list[SentMessage]:
        """Every stored notification, oldest first (simulated recipients are never stored).

        Args:
            type: Only this type: ``sms``, ``email`` or ``letter``.
            key_type: Only those sent with this key type: ``live``, ``team`` or ``test``.

        Returns:
            The typed records.
        """
        now = self._running_store().now()
        stored = self._running_store().list_notifications(
            now=now,
            key_type=None if key_type is None else stored_key_type(key_type),
            types=None if type is None else [type],
            oldest_first=True,
        )
        return [self._record(n, now) for n in stored]

    def notification(self, notification_id: str) -> SentMessage | None:
        """One notification by id, or ``None``."""
        stored = self._running_store().get_notification(str(uuid.UUID(str(notification_id))))
        return None if stored is None else self._record(stored, self._running_store().now())

    def sent_sms(self, *, key_type: str | None = None) -> list[SentSms]:
        """Text messages, oldest first."""
        return [
            n for n in self.notifications(type="sms", key_type=key_type) if isinstance(n, SentSms)
        ]

    def sent_emails(self, *, key_type: str | None = None) -> list[SentEmail]:
        """Emails, oldest first."""
        return [
            n for n in self.notifications(type="email", key_type=key_type)
            if isinstance(n, SentEmail)
        ]  # fmt: skip

    def sent_letters(self, *, key_type: str | None = None) -> list[SentLetter]:
        """Letters (templated and precompiled), oldest first."""
        return [
            n for n in self.notifications(type="letter", key_type=key_type)
            if isinstance(n, SentLetter)
        ]  # fmt: skip

    def wait_for_status(
        self, notification_id: str, *statuses: str, timeout: float = 5.0
    ) -> SentMessage:
        """Wait until the notification has one of ``statuses``.

        Args:
            notification_id: The notification.
            *statuses: As the API shows them, or the raw ones.
            timeout: Seconds to wait at most.

        Returns:
            The notification, at one of the statuses.

        Raises:
            LookupError: There is no such notification.
            TimeoutError: It did not reach one in time.
        """
        deadline = time.monotonic() + timeout
        while True:
            record = self.notification(notification_id)
            if record is None:
                raise LookupError(f"no notification with id {notification_id}")
            if record.status in statuses or record.raw_status in statuses:
                return record
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"notification {notification_id} is still {record.status!r} after {timeout}s"
                )
            # An Event's timed wait, not time.sleep: it behaves under libfaketime as well.
            _PAUSE.wait(0.02)

    def received_texts(self) -> list[ReceivedTextRecord]:
        """Received text messages, newest first."""
        return [
            ReceivedTextRecord(
                t.id, t.content, t.user_number, t.notify_number, utc_datetime(t.created_at)
            )
            for t in self._running_store().list_received_texts()
        ]
