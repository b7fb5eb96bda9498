"""Every endpoint of the Notify API, described once, as data.

An :class:`Endpoint` holds the HTTP method, the route template (the string the log line shows),
whether the call is a ``send`` (never retried once it may have arrived) or a ``read``, and how
its answer is parsed into a model. A :class:`Call` is one endpoint with its ids filled in, its
query and its body: both clients build calls the same way and hand them to their transport.

A request model names its endpoint (``SmsRequest.endpoint is SEND_SMS``), so one generic
``send(request: Sendable[R]) -> R`` serves every kind of message.

Example:
    >>> from govuk_notify.endpoints import GET_TEMPLATE
    >>> GET_TEMPLATE.method, GET_TEMPLATE.route, GET_TEMPLATE.kind
    ('GET', '/v2/template/{id}', 'read')
"""

from __future__ import annotations

import io
from typing import Any

from ._endpoint import Call, Endpoint, Sendable, WrongBodyError
from .models.requests import EmailRequest, LetterRequest, PrecompiledLetterRequest, SmsRequest
from .models.responses import (
    NOTIFICATION_ADAPTER,
    EmailNotification,
    LetterNotification,
    NotificationList,
    ReceivedTextList,
    SmsNotification,
    Template,
    TemplateList,
    TemplatePreview,
)

__all__ = [
    "ENDPOINTS",
    "GET_ALL_NOTIFICATIONS",
    "GET_ALL_TEMPLATES",
    "GET_NOTIFICATION_BY_ID",
    "GET_PDF_FOR_LETTER",
    "GET_RECEIVED_TEXTS",
    "GET_TEMPLATE",
    "GET_TEMPLATE_VERSION",
    "POST_TEMPLATE_PREVIEW",
    "SEND_EMAIL",
    "SEND_LETTER",
    "SEND_PRECOMPILED_LETTER",
    "SEND_SMS",
    "Call",
    "Endpoint",
    "Sendable",
]


def _pdf(content: bytes) -> io.BytesIO:
    if not content.startswith(b"%PDF"):
        raise WrongBodyError("the letter's PDF does not start with %PDF")
    return io.BytesIO(content)


def _notification(content: bytes) -> SmsNotification | EmailNotification | LetterNotification:
    return NOTIFICATION_ADAPTER.validate_json(content)


SEND_SMS = SmsRequest.endpoint
SEND_EMAIL = EmailRequest.endpoint
SEND_LETTER = LetterRequest.endpoint
SEND_PRECOMPILED_LETTER = PrecompiledLetterRequest.endpoint
GET_NOTIFICATION_BY_ID = Endpoint(
    "GET", "/v2/notifications/{id}", "read", "Notification", _notification
)
GET_ALL_NOTIFICATIONS = Endpoint(
    "GET", "/v2/notifications", "read", "NotificationList", NotificationList.model_validate_json
)
GET_PDF_FOR_LETTER = Endpoint("GET", "/v2/notifications/{id}/pdf", "read", "PDF", _pdf)
GET_TEMPLATE = Endpoint(
    "GET", "/v2/template/{id}", "read", "Template", Template.model_validate_json
)
GET_TEMPLATE_VERSION = Endpoint(
    "GET", "/v2/template/{id}/version/{version}", "read", "Template", Template.model_validate_json
)
GET_ALL_TEMPLATES = Endpoint(
    "GET", "/v2/templates", "read", "TemplateList", TemplateList.model_validate_json
)
POST_TEMPLATE_PREVIEW = Endpoint(
    "POST",
    "/v2/template/{id}/preview",
    "read",  # nothing is created: safe to retry
    "TemplatePreview",
    TemplatePreview.model_validate_json,
)
GET_RECEIVED_TEXTS = Endpoint(
    "GET",
    "/v2/received-text-messages",
    "read",
    "ReceivedTextList",
    ReceivedTextList.model_validate_json,
)

ENDPOINTS: tuple[Endpoint[Any], ...] = (
    SEND_SMS,
    SEND_EMAIL,
    SEND_LETTER,
    SEND_PRECOMPILED_LETTER,
    GET_NOTIFICATION_BY_ID,
    GET_ALL_NOTIFICATIONS,
    GET_PDF_FOR_LETTER,
    GET_TEMPLATE,
    GET_TEMPLATE_VERSION,
    GET_ALL_TEMPLATES,
    POST_TEMPLATE_PREVIEW,
    GET_RECEIVED_TEXTS,
)
"""Every endpoint, in the order of the API documentation."""
