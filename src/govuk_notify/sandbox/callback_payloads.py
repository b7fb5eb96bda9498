"""The bodies of the sandbox's callbacks, built from what the store holds, as Notify builds them."""

from __future__ import annotations

import uuid

from ..callbacks import (
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
)
from ..models.enums import EmailStatus, SmsStatus
from .config import ServiceSettings
from .records import utc_datetime
from .store import Store, StoredNotification, StoredReceivedText

__all__ = ["delivery_receipt", "received_text_callback", "returned_letter_callback"]


def delivery_receipt(
    notification: StoredNotification, status: str, reached: int, sent_at: int | None
) -> SmsDeliveryReceipt | EmailDeliveryReceipt:
    """The delivery receipt for a text message or an email that reached a final status.

    Args:
        notification: The stored text message or email.
        status: The final status it reached (a delivery-receipt status for its type).
        reached: When it reached that status (sandbox time, microseconds since the epoch).
        sent_at: When it was sent (the same clock), or `None` if it never was.

    Returns:
        An `SmsDeliveryReceipt` for a text message, else an `EmailDeliveryReceipt`.

    Raises:
        ValueError: ``status`` is not a status of that type of message.
    """
    common = {
        "id": uuid.UUID(notification.id),
        "reference": notification.reference,
        "to": notification.recipient or "",
        "created_at": utc_datetime(notification.created_at),
        "completed_at": utc_datetime(reached),
        "sent_at": None if sent_at is None else utc_datetime(sent_at),
        "template_id": uuid.UUID(notification.template_id),
        "template_version": notification.template_version,
    }
    if notification.type == "sms":
        return SmsDeliveryReceipt.model_validate({**common, "status": SmsStatus(status)})
    return EmailDeliveryReceipt.model_validate({**common, "status": EmailStatus(status)})


def returned_letter_callback(
    notification: StoredNotification, settings: ServiceSettings, store: Store
) -> ReturnedLetterCallback:
    """The returned-letter callback for a letter, as Notify's returned-letter report has it.

    The reference is given only for a letter sent with an API key, no template for a precompiled
    letter, and ``sent_by`` is the first team member's email address for a letter sent without
    an API key, else ``API``.

    Args:
        notification: The stored letter.
        settings: The service's settings (its team members).
        store: The store, to read the letter's template version.

    Returns:
        The callback's body.
    """
    template = None
    if not notification.precompiled:
        template = next(
            (
                version
                for version in store.template_versions(notification.template_id)
                if version.version == notification.template_version
            ),
            None,
        )
    sent_by = "API"
    if notification.api_key_id is None:
        sent_by = next((m for m in settings.team_members if "@" in m), "API")
    return ReturnedLetterCallback(
        notification_id=uuid.UUID(notification.id),
        reference=notification.reference if notification.api_key_id is not None else None,
        date_sent=utc_datetime(notification.created_at),
        sent_by=sent_by,
        template_name=None if template is None else template.name,
        template_id=None if template is None else uuid.UUID(template.id),
        template_version=None if template is None else template.version,
        spreadsheet_row_number=notification.job_row_number,
    )


def received_text_callback(text: StoredReceivedText) -> ReceivedTextCallback:
    """The callback telling the service about a text message a user sent it.

    Args:
        text: The stored received text.

    Returns:
        The callback's body.
    """
    return ReceivedTextCallback(
        id=uuid.UUID(text.id),
        source_number=text.user_number,
        destination_number=text.notify_number,
        message=text.content,
        date_received=utc_datetime(text.created_at),
    )
