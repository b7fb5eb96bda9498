"""Templates and their previews: `Template`, `TemplatePreview`, `PlaceholderInfo`."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from pydantic import Field

from .._base import ResponseModel, Timestamp
from ..enums import (
    Postage,
    TemplateType,
)


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
        from ...validation import missing_personalisation

        return missing_personalisation(texts, personalisation)


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
