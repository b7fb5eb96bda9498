"""The email request (`EmailRequest`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import (
    Field,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..._endpoint import Endpoint
from .._base import RequestModel
from ..responses import EmailResponse
from ._fields import (
    Id,
    Reference,
    _recipient_error,
)
from .files import (
    EmailPersonalisationValue,
    FileUpload,
    _personalisation_payload,
)

if TYPE_CHECKING:
    from ...types import IdLike, JSONValue


_HTTPS_URI = re.compile(
    r"""^https[A-Za-z0-9+.\-]*:
    (?:
      //(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*@)?
        (?:\[[0-9A-Fa-f:.vV]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)
        (?::[0-9]*)?
        (?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*
      |
      /?(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+
         (?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*)?
    )
    (?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?
    (?:\#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$""",
    re.VERBOSE,
)


class EmailRequest(RequestModel):
    """An email to send (`POST /v2/notifications/email`).

    Raises:
        pydantic.ValidationError: When made with an address Notify would refuse (`Not a valid
            email address`), an id that is not a UUID, a reference over 1000 characters, an
            unsubscribe URL that is not an absolute https URL, a `sanitise_content_for` key
            whose value is not a string, a bad file, or an unknown field.

    Example:
        ```python
        request = EmailRequest(
            email_address="amala@example.gov.uk",
            template_id="24195183-379b-4f65-bb31-7f9b87596cc0",
            personalisation={"subject": "Your application", "body": "Thank you."},
            one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?u=1",
        )
        ```
    """

    endpoint: ClassVar[Endpoint[EmailResponse]] = Endpoint(
        "POST",
        "/v2/notifications/email",
        "send",
        "EmailResponse",
        EmailResponse.model_validate_json,
    )
    """Where the request is sent, and how the answer is read (see ``govuk_notify.endpoints``)."""

    email_address: StrictStr = Field(
        description="The recipient's address; surrounding spaces and zero-width characters are "
        "ignored, as Notify ignores them."
    )
    template_id: Id = Field(description="The template's id (a UUID, as str or uuid.UUID).")
    personalisation: dict[str, EmailPersonalisationValue] | None = Field(
        default=None,
        description="Values for the template's placeholders, by name (matched ignoring case, "
        "spaces, _ and -). A value may be a file made by prepare_upload().",
    )
    reference: Reference | None = Field(
        default=None,
        description="Your identifier for the message or batch, at most 1000 characters; no "
        "personal data. Find the message by it with get_all_notifications(reference=...).",
    )
    email_reply_to_id: Id | None = Field(
        default=None,
        description="One of the service's reply-to addresses (its id); the default when null.",
    )
    one_click_unsubscribe_url: StrictStr | None = Field(
        default=None, description="An absolute https URL put in the List-Unsubscribe header."
    )
    sanitise_content_for: list[StrictStr] | None = Field(
        default=None,
        description="Personalisation keys whose (string) values Notify should make safe: "
        "links removed, markdown escaped.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            email_address: str,
            template_id: IdLike,
            personalisation: Mapping[str, FileUpload | Mapping[str, object] | JSONValue]
            | None = None,
            reference: str | None = None,
            email_reply_to_id: IdLike | None = None,
            one_click_unsubscribe_url: str | None = None,
            sanitise_content_for: Sequence[str] | None = None,
        ) -> None: ...

    @field_validator("email_address")
    @classmethod
    def _check_email_address(cls, value: str) -> str:
        from ...validation import InvalidRecipientError, validate_email_address

        try:
            validate_email_address(value)
        except InvalidRecipientError as err:
            raise _recipient_error(err) from None
        return value

    @field_validator("one_click_unsubscribe_url")
    @classmethod
    def _check_unsubscribe_url(cls, value: str | None) -> str | None:
        if value is not None and not _HTTPS_URI.match(value):
            raise PydanticCustomError("https_url", "is not a valid https url")
        return value

    @model_validator(mode="after")
    def _check_sanitise_content_for(self) -> EmailRequest:
        if not self.sanitise_content_for or not self.personalisation:
            return self
        from ...validation import normalise_key

        values: dict[str, object] = {}
        for key, value in self.personalisation.items():
            values[normalise_key(key)] = value  # later keys win, as on the server
        for name in self.sanitise_content_for:
            key = normalise_key(name)
            if key in values and not isinstance(values[key], str):
                raise PydanticCustomError(
                    "sanitise_content_for",
                    "sanitise_content_for names '{name}', whose personalisation value is not a "
                    "string; only string values can be sanitised",
                    {"name": name},
                )
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Notify expects.

        Returns:
            The fields that are set, ids in canonical form and files as Notify's file objects;
            null fields are left out.
        """
        payload: dict[str, Any] = {
            "email_address": self.email_address,
            "template_id": str(self.template_id),
        }
        if self.personalisation is not None:
            payload["personalisation"] = _personalisation_payload(self.personalisation)
        if self.reference is not None:
            payload["reference"] = self.reference
        if self.email_reply_to_id is not None:
            payload["email_reply_to_id"] = str(self.email_reply_to_id)
        if self.one_click_unsubscribe_url is not None:
            payload["one_click_unsubscribe_url"] = self.one_click_unsubscribe_url
        if self.sanitise_content_for is not None:
            payload["sanitise_content_for"] = self.sanitise_content_for
        return payload
