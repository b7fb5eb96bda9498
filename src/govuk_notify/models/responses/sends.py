"""The answers to the sends: `SmsResponse`, `EmailResponse` and the letter responses."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from .._base import ResponseModel, Timestamp
from ..enums import (
    Postage,
)


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
