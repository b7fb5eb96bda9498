"""The pages of results: `Links` and the list of notifications, templates and received texts."""

from __future__ import annotations

from pydantic import Field

from .._base import ResponseModel
from .notifications import Notification
from .received import ReceivedText
from .templates import Template


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


class TemplateList(ResponseModel):
    """The answer to `get_all_templates`."""

    templates: list[Template] = Field(description="The latest version of each template.")


class ReceivedTextList(ResponseModel):
    """One page of up to 250 received text messages, newest first."""

    received_text_messages: list[ReceivedText] = Field(
        description="The received text messages, newest first."
    )
    links: Links = Field(description="This page's and the next page's URLs.")
