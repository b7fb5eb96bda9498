"""The sandbox's controls over messages: statuses, returned letters, jobs, received texts, time.

`MessageAdmin` is the part of `Sandbox` that changes what the service has sent and received, and
moves the sandbox's clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .api import NotifyApi
from .callbacks import CallbackDispatcher
from .records import ReceivedTextRecord, SentMessage, utc_datetime
from .schemas import NOTIFICATION_STATUSES
from .store import Store

__all__ = ["MessageAdmin"]


class MessageAdmin:
    """Changing messages and moving time (a part of `Sandbox`)."""

    _callbacks: CallbackDispatcher | None

    def _running_store(self) -> Store:
        raise NotImplementedError

    def _running_api(self) -> NotifyApi:
        raise NotImplementedError

    def notification(self, notification_id: str) -> SentMessage | None:
        """One notification by id, or `None` (`Sandbox` has it from its sent records)."""
        raise NotImplementedError

    def set_status(self, notification_id: str, status: str) -> None:
        """Fix a notification's (raw) status from now on.

        A final status is called back as Notify would.

        Args:
            notification_id: The notification's id.
            status: A raw status, e.g. ``returned-letter`` or ``technical-failure``.

        Raises:
            ValueError: The status is not a raw Notify status, or the id is not a UUID.
            LookupError: There is no notification with that id.
            RuntimeError: The sandbox is not running.
        """
        if status not in NOTIFICATION_STATUSES or status == "failed":
            raise ValueError(f"unknown status {status!r}")
        if not self._running_api().set_notification_status(str(uuid.UUID(notification_id)), status):
            raise LookupError(f"no notification with id {notification_id}")

    def return_letter(self, notification_id: str) -> None:
        """The post returns a letter.

        Its status becomes ``returned-letter`` and, with a returned-letter callback set, the
        service is told.

        Args:
            notification_id: The letter's id.

        Raises:
            LookupError: There is no notification with that id.
            ValueError: The notification is not a letter, or the id is not a UUID.
            RuntimeError: The sandbox is not running.
        """
        record = self.notification(notification_id)
        if record is None:
            raise LookupError(f"no notification with id {notification_id}")
        if record.type != "letter":
            raise ValueError(f"notification {notification_id} is not a letter")
        self.set_status(notification_id, "returned-letter")

    def add_job(
        self,
        template_id: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        reference: str | None = None,
    ) -> tuple[str, list[str]]:
        """Store a CSV batch job (sent with the live key type): one notification per row.

        Each row is one recipient's personalisation, with ``phone number``, ``email address`` or
        the address lines, as CSV columns. Job notifications appear in lists only with
        ``include_jobs=True``.

        Args:
            template_id: The template's id.
            rows: One mapping of CSV column to value for each message.
            reference: The job's reference.

        Returns:
            The job id and the notification ids, in the rows' order.

        Raises:
            ValueError: No usable (existing, not archived) template has that id, or a row lacks
                some personalisation.
            RuntimeError: The sandbox is not running.
        """
        return self._running_api().create_job(template_id, rows, reference)

    def add_received_text(
        self,
        content: str,
        *,
        user_number: str = "447700900123",
        notify_number: str | None = None,
    ) -> ReceivedTextRecord:
        """Pretend a user texted the service's number.

        Args:
            content: The text.
            user_number: The sender's phone number, in any form (stored as the server stores
                it).
            notify_number: The service's number it was sent to; its inbound number by default.

        Returns:
            The received text, as stored.

        Raises:
            RuntimeError: The sandbox is not running.
        """
        stored = self._running_api().add_received_text(content, user_number, notify_number)
        return ReceivedTextRecord(
            stored.id,
            stored.content,
            stored.user_number,
            stored.notify_number,
            utc_datetime(stored.created_at),
        )

    def daily_count(self, kind: str) -> int:
        """How many messages of a type count against today's limit (the sandbox's day, UTC).

        Args:
            kind: ``sms``, ``email``, ``letter`` or ``international_sms``.

        Returns:
            The count.

        Raises:
            RuntimeError: The sandbox is not running.
        """
        return self._running_store().daily_count(kind)

    def advance(self, seconds: float) -> None:
        """Move the sandbox's clock forward: notifications move on as if that time had passed.

        Statuses, ``sent_at`` and new ``created_at`` values all follow this clock.

        Args:
            seconds: How far to move it.

        Raises:
            ValueError: ``seconds`` is negative.
            RuntimeError: The sandbox is not running.
        """
        self._running_store().advance(seconds)
        if self._callbacks is not None:
            self._callbacks.wake()

    def reset(self) -> None:
        """Forget every notification, received text, daily count and callback attempt.

        Keys and templates stay; the rate-limit buckets are refilled.

        Raises:
            RuntimeError: The sandbox is not running.
        """
        self._running_store().clear_notifications()
        self._running_api().buckets.reset()
        if self._callbacks is not None:
            self._callbacks.reset()
