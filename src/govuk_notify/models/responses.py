"""Response models: what each endpoint answers, with the types the server really sends.

Every model is frozen and keeps fields Notify adds later in `model_extra`. Ids are `uuid.UUID`,
timestamps aware `datetime`s in UTC, statuses `OpenEnum`s. Each field's description is also in
the model's JSON Schema (`schemas/`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeAlias, Union
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
    """The template a send used, and its version at the time."""

    id: UUID = Field(description="The template's id.")
    version: int = Field(description="The template's version used for this message.")
    uri: str = Field(description="The template's URL in the API.")


class SendResponse(ResponseModel):
    """What every send answers: the new notification's `id` and your `reference`.

    The base of `SmsResponse`, `EmailResponse`, `LetterResponse` and `PrecompiledLetterResponse`:
    a batch of mixed sends is typed with it.
    """

    id: UUID = Field(
        description="Notify's id for the notification: use it to read the notification later."
    )
    reference: str | None = Field(
        default=None, description="The reference given when sending, or null."
    )


class SmsContent(ResponseModel):
    """The text message as Notify sent it."""

    body: str = Field(
        description="The message as sent, after placeholders were filled and GSM sanitisation."
    )
    from_number: str = Field(description="The sender: a phone number or a text such as GOVUK.")


class SmsResponse(SendResponse):
    """The answer to `send_sms_notification`: the text message was accepted."""

    content: SmsContent = Field(description="The message as sent, and its sender.")
    uri: str = Field(description="The notification's URL in the API.")
    template: TemplateRef = Field(description="The template used.")
    scheduled_for: Timestamp | None = Field(
        default=None, description="When a scheduled message will be sent, or null."
    )


class EmailContent(ResponseModel):
    """The email as Notify sent it."""

    body: str = Field(description="The body as sent (Markdown), placeholders filled in.")
    subject: str = Field(description="The subject as sent, placeholders filled in.")
    from_email: str = Field(description="The address the email came from.")
    one_click_unsubscribe_url: str | None = Field(
        default=None, description="The unsubscribe URL given when sending, or null."
    )


class SanitisedValue(ResponseModel):
    """A personalisation value that `sanitise_content_for` changed."""

    unsanitised: str = Field(description="The value as given.")
    sanitised: str = Field(description="The value as sent: links removed, Markdown escaped.")


class EmailResponse(SendResponse):
    """The answer to `send_email_notification`: the email was accepted."""

    content: EmailContent = Field(description="The email as sent.")
    uri: str = Field(description="The notification's URL in the API.")
    template: TemplateRef = Field(description="The template used.")
    scheduled_for: Timestamp | None = Field(
        default=None, description="When a scheduled message will be sent, or null."
    )
    sanitised_content: dict[str, SanitisedValue] = Field(
        default_factory=dict,
        description="The personalisation values that were sanitised, by key; empty when nothing "
        "changed.",
    )


class LetterContent(ResponseModel):
    """The letter's text as Notify will print it."""

    body: str = Field(description="The body (Markdown), placeholders filled in.")
    subject: str = Field(description="The letter's heading, placeholders filled in.")


class LetterResponse(SendResponse):
    """The answer to `send_letter_notification`: the letter was accepted for printing."""

    content: LetterContent = Field(description="The letter's text.")
    uri: str = Field(description="The notification's URL in the API.")
    template: TemplateRef = Field(description="The template used.")
    scheduled_for: Timestamp | None = Field(
        default=None, description="When a scheduled message will be sent, or null."
    )


class PrecompiledLetterResponse(SendResponse):
    """The answer to `send_precompiled_letter_notification`: the PDF was accepted for checks."""

    postage: Postage | None = Field(
        default=None, description="The postage: first, second or economy."
    )


# --- notifications ------------------------------------------------------------------------------


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


class Links(ResponseModel):
    """The links of a page of results."""

    current: str = Field(description="This page's URL.")
    next: str | None = Field(
        default=None,
        description="The next (older) page's URL, or null on the last page. The iterators "
        "read only its older_than id from it.",
    )


class NotificationList(ResponseModel):
    """One page of up to 250 notifications, newest first."""

    notifications: list[Notification] = Field(description="The notifications, newest first.")
    links: Links = Field(description="This page's and the next page's URLs.")


# --- templates ----------------------------------------------------------------------------------


class PlaceholderInfo(ResponseModel):
    """What Notify says about one of a template's placeholders."""

    required: bool = Field(default=True, description="Whether a send needs a value for it.")


class Template(ResponseModel):
    """A template, as `get_template`, `get_template_version` and `get_all_templates` give it."""

    id: UUID = Field(description="The template's id.")
    name: str = Field(description="The template's name in Notify.")
    type: TemplateType = Field(description="sms, email or letter.")
    created_at: Timestamp = Field(description="When this version was made (UTC).")
    updated_at: Timestamp | None = Field(
        default=None, description="When the template last changed, or null."
    )
    created_by: str = Field(description="The email address of who made this version.")
    version: int = Field(description="The version, from 1.")
    body: str = Field(description="The body, with its ((placeholders)).")
    subject: str | None = Field(
        default=None, description="The subject (emails) or heading (letters); null for texts."
    )
    letter_contact_block: str | None = Field(
        default=None, description="A letter's contact block (the sender's address), or null."
    )
    personalisation: dict[str, PlaceholderInfo] | None = Field(
        default=None, description="The placeholders, by name, when Notify lists them."
    )
    postage: Postage | None = Field(
        default=None, description="A letter template's postage; null for texts and emails."
    )

    def missing_personalisation(self, personalisation: Mapping[str, object] | None) -> list[str]:
        """The placeholders this personalisation leaves without a value, as the server finds them.

        Keys match ignoring case, spaces, `_` and `-`; a `None` value counts as missing;
        conditional placeholders are still required. Nothing is sent.

        Args:
            personalisation: The values you would send, or None.

        Returns:
            The names of the placeholders without a value, as first spelt in the template and
            in the template's order (a letter's contact block first, then the subject, then the
            body). An empty list means the send will not fail with *Missing personalisation*.

        Example:
            ```python
            template = client.get_template(template_id)
            missing = template.missing_personalisation({"Name": "Amala"})
            if missing:
                raise ValueError(f"no value for {', '.join(missing)}")
            ```
        """
        texts: tuple[str | None, ...] = (self.subject, self.body)
        if self.type is TemplateType.LETTER:
            texts = (self.letter_contact_block, *texts)
        from ..validation import missing_personalisation

        return missing_personalisation(texts, personalisation)


class TemplateList(ResponseModel):
    """The answer to `get_all_templates`."""

    templates: list[Template] = Field(description="The latest version of each template.")


class TemplatePreview(ResponseModel):
    """The answer to `post_template_preview`: a template with the personalisation filled in."""

    id: UUID = Field(description="The template's id.")
    type: TemplateType = Field(description="sms, email or letter.")
    version: int = Field(description="The template's version used.")
    body: str = Field(description="The body, placeholders filled in.")
    subject: str | None = Field(
        default=None, description="The subject or heading, filled in; null for texts."
    )
    html: str | None = Field(default=None, description="The rendered HTML body, for emails.")
    postage: Postage | None = Field(default=None, description="A letter's postage, or null.")


# --- received text messages ---------------------------------------------------------------------


class ReceivedText(ResponseModel):
    """A text message someone sent to the service's number."""

    id: UUID = Field(description="Notify's id for the received message.")
    user_number: str = Field(description="The number it came from, such as 447700900123.")
    notify_number: str = Field(description="The service's number it was sent to.")
    created_at: Timestamp = Field(description="When Notify received it (UTC).")
    service_id: UUID = Field(description="The service's id.")
    content: str = Field(description="The text of the message.")


class ReceivedTextList(ResponseModel):
    """One page of up to 250 received text messages, newest first."""

    received_text_messages: list[ReceivedText] = Field(
        description="The received text messages, newest first."
    )
    links: Links = Field(description="This page's and the next page's URLs.")
