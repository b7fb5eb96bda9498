"""Method arguments to calls: the checking and encoding both clients share.

Each function takes a client method's arguments, checks them (raising before anything is sent)
and returns the :class:`~govuk_notify.endpoints.Call` to make. The sync and the async client
then differ only in how they make it.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError

from . import endpoints as ep
from ._endpoint import Call, Endpoint, Sendable
from .models._base import argument_error
from .models.enums import NotificationStatusFilter, TemplateType
from .models.requests import NotificationFilters, _uuid
from .models.responses import (
    EmailNotification,
    LetterNotification,
    NotificationList,
    ReceivedTextList,
    SmsNotification,
    Template,
    TemplateList,
    TemplatePreview,
)
from .types import IdLike

__all__ = [
    "IdLike",
    "StatusArg",
    "TemplateTypeArg",
    "filters",
    "get_all_notifications",
    "get_all_templates",
    "get_notification_by_id",
    "get_pdf_for_letter",
    "get_received_texts",
    "get_template",
    "get_template_version",
    "next_cursor",
    "path_id",
    "post_template_preview",
    "send",
]

R = TypeVar("R")

StatusArg = str | NotificationStatusFilter | Sequence[str | NotificationStatusFilter]
TemplateTypeArg = str | TemplateType | Sequence[str | TemplateType]


def dumps(payload: Mapping[str, Any]) -> bytes:
    """Encode a JSON body compactly, as UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _argument_error(method: str, name: str, message: str) -> ValidationError:
    """The error for a bad argument of ``method`` (its title), either client's."""
    return argument_error(name, message, title=method)


def path_id(value: IdLike, name: str, method: str) -> str:
    """A UUID for a URL path, canonical; anything else is refused before sending.

    Args:
        value: a ``uuid.UUID`` or its text.
        name: the argument's name, for the error.
        method: the method's name, the error's title.

    Returns:
        The canonical text.

    Raises:
        pydantic.ValidationError: not a UUID (its loc is ``name``).
    """
    try:
        return str(_uuid(value))
    except ValueError:
        raise _argument_error(method, name, "is not a valid UUID") from None


def send(request: Sendable[R]) -> Call[R]:
    """The call that sends a request model.

    Args:
        request: an ``SmsRequest``, ``EmailRequest``, ``LetterRequest`` or
            ``PrecompiledLetterRequest``.

    Returns:
        The call.

    Raises:
        pydantic.ValidationError: ``request`` is not a request model that can be sent.
    """
    endpoint = getattr(type(request), "endpoint", None)
    if not isinstance(endpoint, Endpoint) or endpoint.kind != "send":
        raise _argument_error(
            "send",
            "request",
            "must be an SmsRequest, EmailRequest, LetterRequest or PrecompiledLetterRequest, "
            f"not {type(request).__name__}",
        )
    return request.endpoint.call(body=dumps(request.to_payload()), reference=request.reference)


def get_notification_by_id(
    notification_id: IdLike,
) -> Call[SmsNotification | EmailNotification | LetterNotification]:
    """The call for ``get_notification_by_id``."""
    notification = path_id(notification_id, "notification_id", "get_notification_by_id")
    return ep.GET_NOTIFICATION_BY_ID.call(ids={"id": notification})


def filters(
    status: StatusArg | None,
    template_type: TemplateTypeArg | None,
    reference: str | None,
    older_than: IdLike | None,
    include_jobs: bool | None,
) -> NotificationFilters:
    """The checked filters of ``get_all_notifications`` (pydantic's error when one is bad)."""
    return NotificationFilters(
        status=status,
        template_type=template_type,
        reference=reference,
        older_than=older_than,
        include_jobs=include_jobs,
    )


def get_all_notifications(
    page_filters: NotificationFilters, cursor: str | None = None
) -> Call[NotificationList]:
    """The call for one page of notifications.

    Args:
        page_filters: the checked filters.
        cursor: an ``older_than`` id from the previous page, which replaces the filters' own.

    Returns:
        The call.
    """
    if cursor is not None:
        page_filters = page_filters.model_copy(update={"older_than": uuid.UUID(cursor)})
    return ep.GET_ALL_NOTIFICATIONS.call(params=page_filters.to_params())


def get_pdf_for_letter(notification_id: IdLike) -> Call[io.BytesIO]:
    """The call for ``get_pdf_for_letter``."""
    notification = path_id(notification_id, "notification_id", "get_pdf_for_letter")
    return ep.GET_PDF_FOR_LETTER.call(ids={"id": notification})


def get_template(template_id: IdLike) -> Call[Template]:
    """The call for ``get_template``."""
    return ep.GET_TEMPLATE.call(ids={"id": path_id(template_id, "template_id", "get_template")})


def get_template_version(template_id: IdLike, version: int) -> Call[Template]:
    """The call for ``get_template_version``; versions start at 1."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _argument_error(
            "get_template_version", "version", "must be a whole number of 1 or more"
        )
    ids = {
        "id": path_id(template_id, "template_id", "get_template_version"),
        "version": str(version),
    }
    return ep.GET_TEMPLATE_VERSION.call(ids=ids)


def get_all_templates(template_type: str | TemplateType | None) -> Call[TemplateList]:
    """The call for ``get_all_templates``."""
    params: list[tuple[str, str]] = []
    if template_type is not None:
        try:
            params.append(("type", TemplateType(template_type).value))
        except ValueError:
            raise _argument_error(
                "get_all_templates", "template_type", "must be one of sms, email, letter"
            ) from None
    return ep.GET_ALL_TEMPLATES.call(params=params)


def post_template_preview(
    template_id: IdLike, personalisation: Mapping[str, Any] | None
) -> Call[TemplatePreview]:
    """The call for ``post_template_preview``."""
    ids = {"id": path_id(template_id, "template_id", "post_template_preview")}
    if personalisation is not None and not isinstance(personalisation, Mapping):
        raise _argument_error(
            "post_template_preview", "personalisation", "must be a dict of placeholder values"
        )
    body = dumps({} if personalisation is None else {"personalisation": personalisation})
    return ep.POST_TEMPLATE_PREVIEW.call(ids=ids, body=body)


def get_received_texts(older_than: IdLike | None) -> Call[ReceivedTextList]:
    """The call for one page of received text messages."""
    params: list[tuple[str, str]] = []
    if older_than is not None:
        params.append(("older_than", path_id(older_than, "older_than", "get_received_texts")))
    return ep.GET_RECEIVED_TEXTS.call(params=params)


def _older_than(next_link: str | None) -> str | None:
    """The ``older_than`` id of a ``links.next`` URL.

    Only the id is used: a host found in a response is never contacted.
    """
    if not next_link:
        return None
    values = parse_qs(urlsplit(next_link).query).get("older_than")
    if not values:
        return None
    try:
        return str(uuid.UUID(values[0]))
    except ValueError:
        return None


def next_cursor(page_size: int, next_link: str | None, seen: set[str]) -> str | None:
    """Where the next page starts, or None when the pages have run out.

    Both clients' iterators follow pages with this: they stop at an empty page, a page with no
    next link, or a cursor seen before (so a looping server cannot keep them going).

    Args:
        page_size: how many items the page just read held.
        next_link: its ``links.next``.
        seen: the cursors used so far; the returned cursor is added to it.

    Returns:
        The ``older_than`` id for the next page, or None.
    """
    if not page_size:
        return None
    cursor = _older_than(next_link)
    if cursor is None or cursor in seen:
        return None
    seen.add(cursor)
    return cursor
