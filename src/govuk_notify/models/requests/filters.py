"""The filters of the notification list (`NotificationFilters`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    StrictStr,
)

from .._base import RequestModel
from ..enums import NotificationStatusFilter, TemplateType
from ._fields import (
    Id,
)

if TYPE_CHECKING:
    from ...types import IdLike
    from ..enums import NotificationStatusFilter as _Status
    from ..enums import TemplateType as _TemplateType


def _as_tuple(value: object) -> object:
    if value is None or isinstance(value, (list, tuple)):
        return value
    return (value,)


class NotificationFilters(RequestModel):
    """The filters of `GET /v2/notifications` (`get_all_notifications` and its iterator).

    Raises:
        pydantic.ValidationError: When made with a status or template type Notify does not
            know, an `older_than` that is not a UUID, or an `include_jobs` that is not a bool.
    """

    status: Annotated[tuple[NotificationStatusFilter, ...] | None, BeforeValidator(_as_tuple)] = (
        Field(
            default=None,
            description="One status or several (any of them matches); failed stands for the "
            "three failure statuses.",
        )
    )
    template_type: Annotated[tuple[TemplateType, ...] | None, BeforeValidator(_as_tuple)] = Field(
        default=None, description="sms, email or letter; one or several."
    )
    reference: StrictStr | None = Field(
        default=None, description="Only the notifications sent with this reference."
    )
    older_than: Id | None = Field(
        default=None, description="A notification id: the page starts after it (older)."
    )
    include_jobs: StrictBool | None = Field(
        default=None,
        description="Also list the notifications sent by uploading a spreadsheet.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            status: str | _Status | Sequence[str | _Status] | None = None,
            template_type: str | _TemplateType | Sequence[str | _TemplateType] | None = None,
            reference: str | None = None,
            older_than: IdLike | None = None,
            include_jobs: bool | None = None,
        ) -> None: ...

    def to_params(self) -> list[tuple[str, str]]:
        """The query parameters, as the server reads them.

        Returns:
            `(name, value)` pairs; several statuses or types are repeated keys, and
            `include_jobs` is sent only when true.
        """
        params: list[tuple[str, str]] = []
        for status in self.status or ():
            params.append(("status", status.value))
        for template_type in self.template_type or ():
            params.append(("template_type", template_type.value))
        if self.reference is not None:
            params.append(("reference", self.reference))
        if self.older_than is not None:
            params.append(("older_than", str(self.older_than)))
        if self.include_jobs:
            params.append(("include_jobs", "true"))
        return params
