"""The callback payloads: delivery receipts, received texts and returned letters."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal, TypeAlias
from uuid import UUID

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
)

from govuk_notify.models._base import ResponseModel, Timestamp
from govuk_notify.models.enums import EmailStatus, SmsStatus


def _notify_time(value: datetime) -> str:
    # Notify's own format ("%Y-%m-%dT%H:%M:%S.%fZ", always in UTC with six digits of fraction),
    # so that a payload built here (by the sandbox, say) is what Notify would send.
    utc = value.astimezone(timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


_CallbackTime = Annotated[
    Timestamp, PlainSerializer(_notify_time, return_type=str, when_used="json")
]


class _CallbackModel(ResponseModel):
    """Callback payloads: unknown fields kept, frozen, attribute docstrings in the JSON Schema."""

    model_config = ConfigDict(use_attribute_docstrings=True)


class _DeliveryReceiptBase(_CallbackModel):
    # The fields in the order Notify sends them; the subclasses narrow ``status`` and
    # ``notification_type`` without moving them.
    id: UUID
    """Notify's id for the notification."""
    reference: str | None = None
    """The reference the service gave when sending, or null."""
    to: str
    """The email address or phone number of the recipient."""
    status: str
    """The status of the notification."""
    created_at: _CallbackTime
    """When the service sent the request."""
    completed_at: _CallbackTime | None = None
    """The last time the status was updated, or null."""
    sent_at: _CallbackTime | None = None
    """When the notification was handed to the provider, or null if it never was."""
    notification_type: str
    """The channel: ``sms`` or ``email``."""
    template_id: UUID
    """The id of the template that was used."""
    template_version: int
    """The version of the template that was used."""


class SmsDeliveryReceipt(_DeliveryReceiptBase):
    """A text message's delivery receipt (``SmsCallbackRequest`` in Notify's OpenAPI)."""

    status: SmsStatus
    """The status of the text message (a status Notify adds later is kept, not refused)."""
    notification_type: Literal["sms"] = "sms"
    """Always ``sms``."""


class EmailDeliveryReceipt(_DeliveryReceiptBase):
    """An email's delivery receipt (``EmailCallbackRequest`` in Notify's OpenAPI)."""

    status: EmailStatus
    """The status of the email (a status Notify adds later is kept, not refused)."""
    notification_type: Literal["email"] = "email"
    """Always ``email``."""


DeliveryReceipt: TypeAlias = Annotated[
    SmsDeliveryReceipt | EmailDeliveryReceipt, Field(discriminator="notification_type")
]
"""A delivery receipt of either channel, chosen by its `notification_type`.

Notify sends delivery receipts for emails and text messages only; letters have none (a letter
that comes back is reported by `ReturnedLetterCallback`).
"""

DELIVERY_RECEIPT_ADAPTER: TypeAdapter[DeliveryReceipt] = TypeAdapter(DeliveryReceipt)
"""Validates (and gives the JSON Schema of) `DeliveryReceipt`."""


class ReceivedTextCallback(_CallbackModel):
    """A text message someone sent to the service's number."""

    id: UUID
    """Notify's id for the received message."""
    source_number: str
    """The phone number the message came from, as Notify received it (for example
    ``447700912345``)."""
    destination_number: str
    """The service's number the message was sent to."""
    message: str
    """The text of the message."""
    date_received: _CallbackTime
    """When Notify received the message."""


def _absent_if_text_none(value: object) -> object:
    # For a letter whose template is hidden (an uploaded or precompiled letter) Notify's server
    # formats a missing template id with str(), so the JSON holds the text "None".
    return None if value == "None" else value


class ReturnedLetterCallback(_CallbackModel):
    """A letter the post returned to Notify (``LetterCallbackRequest`` in Notify's OpenAPI)."""

    notification_id: UUID
    """Notify's id for the returned letter."""
    reference: str | None = None
    """The reference the service gave when sending through the API, or null."""
    date_sent: _CallbackTime
    """When the letter was sent to Notify."""
    sent_by: str | None = None
    """The email address of the team member who sent the letter, ``API`` if it came through
    the API, or null."""
    template_name: str | None = None
    """The name of the template used, or null for an uploaded or precompiled letter."""
    template_id: Annotated[UUID | None, BeforeValidator(_absent_if_text_none)] = None
    """The id of the template used, or null for an uploaded or precompiled letter."""
    template_version: int | None = None
    """The version of the template used, or null for an uploaded or precompiled letter."""
    spreadsheet_file_name: str | None = None
    """The uploaded spreadsheet the letter came from, or null."""
    spreadsheet_row_number: int | None = None
    """The letter's row in that spreadsheet, or null."""
    upload_letter_file_name: str | None = None
    """The file name of an uploaded letter, or null."""


CALLBACK_MODELS: tuple[type[ResponseModel], ...] = (
    SmsDeliveryReceipt,
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
)
"""Every callback model class, for exporting their JSON Schemas.

See also `callback_json_schemas`, which adds the `DeliveryReceipt` union.
"""


def callback_json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each callback payload.

    Returns:
        The schemas keyed by a name fit for a file name: one per class in `CALLBACK_MODELS`, and
        `DeliveryReceipt` for the union of both channels.
    """
    schemas = {model.__name__: model.model_json_schema() for model in CALLBACK_MODELS}
    schemas["DeliveryReceipt"] = DELIVERY_RECEIPT_ADAPTER.json_schema()
    return schemas
