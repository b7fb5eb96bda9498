"""Notifications as read back: one model per type, the `Notification` union and its adapter."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias, Union
from uuid import UUID

from pydantic import ConfigDict, Field, PlainValidator, TypeAdapter, WithJsonSchema

from .._base import ResponseModel, Timestamp
from ..enums import (
    EmailStatus,
    LetterStatus,
    Postage,
    PrecompiledLetterStatus,
    SmsStatus,
)


class NotificationTemplate(ResponseModel):
    """The template a notification was sent from."""

    id: UUID = Field(description="The template's id.")
    version: int = Field(description="The template's version used.")
    uri: str = Field(description="The template's URL in the API.")


class SmsCostDetails(ResponseModel):
    """What a text message costs; every field is null until the cost is known."""

    billable_sms_fragments: int | None = Field(
        default=None, description="How many message parts (fragments) are charged."
    )
    international_rate_multiplier: float | None = Field(
        default=None, description="The multiplier for a number abroad (1 in the UK)."
    )
    sms_rate: float | None = Field(default=None, description="The price of one fragment, in £.")


class LetterCostDetails(ResponseModel):
    """What a letter costs; every field is null until the cost is known."""

    billable_sheets_of_paper: int | None = Field(
        default=None, description="How many sheets of paper are charged."
    )
    postage: Postage | None = Field(default=None, description="The postage charged.")


class _NotificationBase(ResponseModel):
    id: UUID = Field(
        description="Notify's id for the notification: use it to read the notification later."
    )
    reference: str | None = Field(
        default=None, description="The reference given when sending, or null."
    )
    template: NotificationTemplate = Field(description="The template used.")
    body: str = Field(description="The message as sent, placeholders filled in.")
    subject: str | None = Field(
        default=None, description="The subject (emails) or heading (letters); null for texts."
    )
    created_at: Timestamp = Field(description="When Notify accepted the message (UTC).")
    created_by_name: str | None = Field(
        default=None,
        description="Set for one-off messages sent from the web app: the person who sent it.",
    )
    sent_at: Timestamp | None = Field(
        default=None, description="When it was handed to the provider, or null."
    )
    completed_at: Timestamp | None = Field(
        default=None, description="When it reached its final status, or null."
    )
    scheduled_for: Timestamp | None = Field(
        default=None, description="When a scheduled message will be sent, or null."
    )
    one_click_unsubscribe_url: str | None = Field(
        default=None, description="An email's unsubscribe URL, or null."
    )
    is_cost_data_ready: bool | None = Field(
        default=None, description="Whether cost_in_pounds and cost_details are known yet."
    )
    cost_in_pounds: float | None = Field(
        default=None, description="What the message costs, in £, once known."
    )
    # Every notification carries every channel's recipient keys (null for the other channels).
    email_address: str | None = Field(
        default=None, description="The recipient's email address (null for other channels)."
    )
    phone_number: str | None = Field(
        default=None, description="The recipient's phone number (null for other channels)."
    )
    line_1: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    line_2: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    line_3: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    line_4: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    line_5: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    line_6: str | None = Field(
        default=None,
        description="A line of a letter's address as given (null for texts and emails).",
    )
    postcode: str | None = Field(
        default=None, description="A letter's postcode line as given (legacy), or null."
    )
    postage: Postage | None = Field(
        default=None, description="A letter's postage (null for texts and emails)."
    )


class SmsNotification(_NotificationBase):
    """A text message, as `get_notification_by_id` and the notification lists show it."""

    type: Literal["sms"] = Field(description="Always sms.")
    status: SmsStatus = Field(description="The text message's status.")
    phone_number: str = Field(description="The number as it was submitted, not normalised.")
    cost_details: SmsCostDetails = Field(
        default_factory=SmsCostDetails, description="What it costs, once known."
    )


class EmailNotification(_NotificationBase):
    """An email, as `get_notification_by_id` and the notification lists show it."""

    type: Literal["email"] = Field(description="Always email.")
    status: EmailStatus = Field(description="The email's status.")
    email_address: str = Field(description="The address as it was submitted.")
    subject: str = Field(description="The subject as sent.")
    cost_details: dict[str, object] = Field(
        default_factory=dict, description="Empty: emails are free."
    )


_LETTER_STATUS_VALUES = frozenset(member.value for member in LetterStatus)


def _letter_status(value: object) -> LetterStatus | PrecompiledLetterStatus:
    if isinstance(value, (LetterStatus, PrecompiledLetterStatus)):
        return value
    if not isinstance(value, str):
        raise ValueError("a letter status must be a string")
    if value in _LETTER_STATUS_VALUES:
        return LetterStatus(value)
    return PrecompiledLetterStatus(value)


AnyLetterStatus: TypeAlias = Annotated[
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
"""A letter's status: a `LetterStatus`, or a `PrecompiledLetterStatus` for the statuses only
precompiled letters have."""


class LetterNotification(_NotificationBase):
    """A letter, templated or precompiled.

    `line_1` to `line_6` and `postcode` are the address as given; a precompiled letter reads
    `line_1 == "Provided as PDF"`.
    """

    type: Literal["letter"] = Field(description="Always letter.")
    status: AnyLetterStatus = Field(
        description="A LetterStatus, or a PrecompiledLetterStatus for the statuses only "
        "precompiled letters have (pending-virus-check, virus-scan-failed)."
    )
    estimated_delivery: Timestamp | None = Field(
        default=None, description="When the letter should arrive, once Notify knows."
    )
    cost_details: LetterCostDetails = Field(
        default_factory=LetterCostDetails, description="What it costs, once known."
    )


Notification = Annotated[
    Union[SmsNotification, EmailNotification, LetterNotification],  # noqa: UP007
    Field(discriminator="type"),
]
"""Any notification: an `SmsNotification`, `EmailNotification` or `LetterNotification`.

Its `type` field tells which, and narrows the union for a type checker:

```python
notification = client.get_notification_by_id(notification_id)
if notification.type == "sms":
    print(notification.phone_number)  # a str here
```
"""

NOTIFICATION_ADAPTER: TypeAdapter[SmsNotification | EmailNotification | LetterNotification] = (
    TypeAdapter(Notification, config=ConfigDict(defer_build=True))
)
"""Validates one `Notification` from JSON or Python data (and gives its JSON Schema)."""
