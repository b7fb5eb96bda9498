"""Response models: what each endpoint answers, with the types the server really sends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, Union
from uuid import UUID

from pydantic import ConfigDict, Field, PlainValidator, TypeAdapter, WithJsonSchema

from ._base import ResponseModel, Timestamp
from .enums import (
    EmailStatus,
    LetterStatus,
    Postage,
    PrecompiledLetterStatus,
    SmsStatus,
    TemplateType,
)

__all__ = [
    "EmailContent",
    "EmailNotification",
    "EmailResponse",
    "LetterContent",
    "LetterCostDetails",
    "LetterNotification",
    "LetterResponse",
    "Links",
    "Notification",
    "NotificationList",
    "NotificationTemplate",
    "PlaceholderInfo",
    "PrecompiledLetterResponse",
    "ReceivedText",
    "ReceivedTextList",
    "SanitisedValue",
    "SendResponse",
    "SmsContent",
    "SmsCostDetails",
    "SmsNotification",
    "SmsResponse",
    "Template",
    "TemplateList",
    "TemplatePreview",
    "TemplateRef",
]


# --- sends --------------------------------------------------------------------------------------


class TemplateRef(ResponseModel):
    """The template a send used."""

    id: UUID
    version: int
    uri: str


class SendResponse(ResponseModel):
    """What every send answers: the new notification's ``id`` and your ``reference``.

    The base of ``SmsResponse``, ``EmailResponse``, ``LetterResponse`` and
    ``PrecompiledLetterResponse``: a batch of mixed sends is typed with it.
    """

    id: UUID
    reference: str | None = None


class SmsContent(ResponseModel):
    body: str
    """The message as sent, after placeholders were filled and GSM sanitisation."""
    from_number: str
    """The sender: a phone number or a text such as ``GOVUK``."""


class SmsResponse(SendResponse):
    """Answer to ``send_sms_notification``."""

    content: SmsContent
    uri: str
    template: TemplateRef
    scheduled_for: Timestamp | None = None


class EmailContent(ResponseModel):
    body: str
    subject: str
    from_email: str
    one_click_unsubscribe_url: str | None = None


class SanitisedValue(ResponseModel):
    """A personalisation value that ``sanitise_content_for`` changed."""

    unsanitised: str
    sanitised: str


class EmailResponse(SendResponse):
    """Answer to ``send_email_notification``."""

    content: EmailContent
    uri: str
    template: TemplateRef
    scheduled_for: Timestamp | None = None
    sanitised_content: dict[str, SanitisedValue] = Field(default_factory=dict)
    """The personalisation values that were sanitised, by key; empty when nothing changed."""


class LetterContent(ResponseModel):
    body: str
    subject: str


class LetterResponse(SendResponse):
    """Answer to ``send_letter_notification``."""

    content: LetterContent
    uri: str
    template: TemplateRef
    scheduled_for: Timestamp | None = None


class PrecompiledLetterResponse(SendResponse):
    """Answer to ``send_precompiled_letter_notification``."""

    postage: Postage | None = None


# --- notifications ------------------------------------------------------------------------------


class NotificationTemplate(ResponseModel):
    id: UUID
    version: int
    uri: str


class SmsCostDetails(ResponseModel):
    """Empty until the cost is known."""

    billable_sms_fragments: int | None = None
    international_rate_multiplier: float | None = None
    sms_rate: float | None = None


class LetterCostDetails(ResponseModel):
    """Empty until the cost is known."""

    billable_sheets_of_paper: int | None = None
    postage: Postage | None = None


class _NotificationBase(ResponseModel):
    id: UUID
    reference: str | None = None
    template: NotificationTemplate
    body: str
    subject: str | None = None
    created_at: Timestamp
    created_by_name: str | None = None
    """Set for one-off messages sent from the web app by this person."""
    sent_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    scheduled_for: Timestamp | None = None
    one_click_unsubscribe_url: str | None = None
    is_cost_data_ready: bool | None = None
    cost_in_pounds: float | None = None
    # Every notification carries every channel's recipient keys (null for the other channels).
    email_address: str | None = None
    phone_number: str | None = None
    line_1: str | None = None
    line_2: str | None = None
    line_3: str | None = None
    line_4: str | None = None
    line_5: str | None = None
    line_6: str | None = None
    postcode: str | None = None
    postage: Postage | None = None


class SmsNotification(_NotificationBase):
    """A text message."""

    type: Literal["sms"]
    status: SmsStatus
    phone_number: str
    """As it was submitted, not normalised."""
    cost_details: SmsCostDetails = Field(default_factory=SmsCostDetails)


class EmailNotification(_NotificationBase):
    """An email."""

    type: Literal["email"]
    status: EmailStatus
    email_address: str
    subject: str
    cost_details: dict[str, object] = Field(default_factory=dict)


_LETTER_STATUS_VALUES = frozenset(member.value for member in LetterStatus)


def _letter_status(value: object) -> LetterStatus | PrecompiledLetterStatus:
    if isinstance(value, (LetterStatus, PrecompiledLetterStatus)):
        return value
    if not isinstance(value, str):
        raise ValueError("a letter status must be a string")
    if value in _LETTER_STATUS_VALUES:
        return LetterStatus(value)
    return PrecompiledLetterStatus(value)


AnyLetterStatus = Annotated[
    LetterStatus | PrecompiledLetterStatus,
    PlainValidator(_letter_status),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A letter status; precompiled letters have three more.",
            "examples": [m.value for m in PrecompiledLetterStatus],
        }
    ),
]


class LetterNotification(_NotificationBase):
    """A letter, templated or precompiled. ``line_1`` to ``line_6`` and ``postcode`` are the
    address as given; a precompiled letter reads ``line_1 == "Provided as PDF"``."""

    type: Literal["letter"]
    status: AnyLetterStatus
    """A :class:`LetterStatus`, or a :class:`PrecompiledLetterStatus` for the statuses only
    precompiled letters have (``pending-virus-check``, ``virus-scan-failed``)."""
    estimated_delivery: Timestamp | None = None
    cost_details: LetterCostDetails = Field(default_factory=LetterCostDetails)


Notification = Annotated[
    Union[SmsNotification, EmailNotification, LetterNotification],  # noqa: UP007
    Field(discriminator="type"),
]
"""Any notification; ``type`` tells which, and narrows the type for a type checker."""

NOTIFICATION_ADAPTER: TypeAdapter[SmsNotification | EmailNotification | LetterNotification] = (
    TypeAdapter(Notification, config=ConfigDict(defer_build=True))
)


class Links(ResponseModel):
    current: str
    next: str | None = None


class NotificationList(ResponseModel):
    """One page (up to 250) of notifications, newest first."""

    notifications: list[Notification]
    links: Links


# --- templates ----------------------------------------------------------------------------------


class PlaceholderInfo(ResponseModel):
    required: bool = True


class Template(ResponseModel):
    """A template, as ``get_template`` returns it."""

    id: UUID
    name: str
    type: TemplateType
    created_at: Timestamp
    updated_at: Timestamp | None = None
    created_by: str
    version: int
    body: str
    subject: str | None = None
    letter_contact_block: str | None = None
    personalisation: dict[str, PlaceholderInfo] | None = None
    postage: Postage | None = None

    def missing_personalisation(self, personalisation: Mapping[str, object] | None) -> list[str]:
        """The placeholders this personalisation leaves without a value, as the server finds them.

        Keys match ignoring case, spaces, ``_`` and ``-``; a ``None`` value counts as missing;
        conditional placeholders are still required. An empty list means the send will not fail
        with ``Missing personalisation``.
        """
        texts: tuple[str | None, ...] = (self.subject, self.body)
        if self.type is TemplateType.LETTER:
            texts = (self.letter_contact_block, *texts)
        from ..validation import missing_personalisation

        return missing_personalisation(texts, personalisation)


class TemplateList(ResponseModel):
    templates: list[Template]


class TemplatePreview(ResponseModel):
    """A template with the personalisation filled in."""

    id: UUID
    type: TemplateType
    version: int
    body: str
    subject: str | None = None
    html: str | None = None
    """The rendered HTML body, for email templates."""
    postage: Postage | None = None


# --- received text messages ---------------------------------------------------------------------


class ReceivedText(ResponseModel):
    """A text message someone sent to the service."""

    id: UUID
    user_number: str
    notify_number: str
    created_at: Timestamp
    service_id: UUID
    content: str


class ReceivedTextList(ResponseModel):
    """One page (up to 250) of received text messages, newest first."""

    received_text_messages: list[ReceivedText]
    links: Links
