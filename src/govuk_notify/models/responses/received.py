"""Text messages received by the service's number (`ReceivedText`)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from .._base import ResponseModel, Timestamp


class ReceivedText(ResponseModel):
    """A text message someone sent to the service's number."""

    id: UUID = Field(description="Notify's id for the received message.")
    user_number: str = Field(description="The number it came from, such as 447700900123.")
    notify_number: str = Field(description="The service's number it was sent to.")
    created_at: Timestamp = Field(description="When Notify received it (UTC).")
    service_id: UUID = Field(description="The service's id.")
    content: str = Field(description="The text of the message.")
