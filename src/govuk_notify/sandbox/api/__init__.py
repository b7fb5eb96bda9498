"""The Notify v2 API as the sandbox serves it: routes, checks in the server's order, responses.

Nothing here knows about sockets: `NotifyApi.handle` turns a `Request` into a
`Response`. `govuk_notify.sandbox.server` puts it on HTTP. Each resource lives in its
own module: `.messages` (sending texts and emails), `.documents` (files sent by email),
`.letters` (letters and their PDFs), `.read` (notifications read back), `.jobs`,
`.templates`, `.received` (received texts) and `.controls` (sandbox-only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final
from urllib.parse import unquote

from .. import rendering
from ..auth import AuthenticationError, authenticate
from .base import ApiBase, ApiListener, Ctx
from .controls import ControlsMixin
from .http import (
    NOT_FOUND_MESSAGE,
    LegacyError,
    Request,
    Response,
    V2Error,
    error,
    format_timestamp,
    letter_status_for_output,
    parse_json,
)
from .jobs import JobsMixin
from .messages import MessagesMixin
from .read import API_PAGE_SIZE, COMPLETED_STATUSES, LETTER_RATES, SMS_RATE
from .received import ReceivedMixin
from .templates import TemplatesMixin

__all__ = [
    "API_PAGE_SIZE",
    "COMPLETED_STATUSES",
    "LETTER_RATES",
    "SMS_RATE",
    "ApiBase",
    "ApiListener",
    "NotifyApi",
    "Request",
    "Response",
    "format_timestamp",
    "letter_status_for_output",
]

_Handler = Callable[["NotifyApi", Request, "Ctx | None", Mapping[str, str]], Response]


class NotifyApi(MessagesMixin, JobsMixin, TemplatesMixin, ReceivedMixin, ControlsMixin):
    """The sandbox's API: one service, its keys and templates, its notifications."""

    def handle(self, request: Request) -> Response:
        """Answer one request as the real API would.

        Args:
            request: The request.

        Returns:
            The response (errors included, in the server's shapes).
        """
        try:
            handler, params, authenticated = self._route(request)
            ctx: Ctx | None = None
            if authenticated:
                _, key = authenticate(request.authorization, self._service_auth, clock=self.clock)
                ctx = Ctx(request.host_url, key)
            return handler(self, request, ctx, params)
        except AuthenticationError as failure:
            return error(failure.status_code, "AuthError", failure.message).response()
        except (V2Error, LegacyError) as err:
            return err.response()
        except rendering.ContentSanitisationError:
            return error(500, "TypeError", "Internal server error").response()

    def _route(self, request: Request) -> tuple[_Handler, dict[str, str], bool]:
        path = request.path
        method = "GET" if request.method == "HEAD" else request.method
        for pattern, methods, authenticated in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method not in methods:
                raise LegacyError(405, "The method is not allowed for the requested URL.")
            params = {name: unquote(value) for name, value in match.groupdict().items()}
            return methods[method], params, authenticated
        raise LegacyError(404, NOT_FOUND_MESSAGE)

    def _post_notification(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        kind = params["segment"]
        if kind not in ("sms", "email", "letter"):
            self._check_rate_limits(ctx.key, None)
            raise LegacyError(404, NOT_FOUND_MESSAGE)
        self._check_rate_limits(ctx.key, kind)
        body = parse_json(request.body, empty_ok=False)
        if kind == "letter":
            if isinstance(body, dict) and "content" in body:
                return self._send_precompiled(ctx, body)
            self._check_rate_limits(ctx.key, kind)
            return self._send_letter(ctx, body)
        if kind == "sms":
            return self._send_sms(ctx, body)
        return self._send_email(ctx, body)


_ROUTES: Final[Sequence[tuple[re.Pattern[str], Mapping[str, _Handler], bool]]] = (
    (re.compile(r"/v2/notifications"), {"GET": NotifyApi._list_notifications}, True),
    (
        re.compile(r"/v2/notifications/(?P<notification_id>[^/]+)/pdf"),
        {"GET": NotifyApi._get_pdf},
        True,
    ),
    (
        re.compile(r"/v2/notifications/(?P<segment>[^/]+)"),
        {"GET": NotifyApi._get_notification, "POST": NotifyApi._post_notification},
        True,
    ),
    (re.compile(r"/v2/templates"), {"GET": NotifyApi._list_templates}, True),
    (
        re.compile(r"/v2/template/(?P<template_id>[^/]+)/version/(?P<version>[0-9]+)"),
        {"GET": NotifyApi._get_template},
        True,
    ),
    (
        re.compile(r"/v2/template/(?P<template_id>[^/]+)/preview"),
        {"POST": NotifyApi._preview},
        True,
    ),
    (re.compile(r"/v2/template/(?P<template_id>[^/]+)"), {"GET": NotifyApi._get_template}, True),
    (re.compile(r"/v2/received-text-messages"), {"GET": NotifyApi._list_received}, True),
    (
        re.compile(r"/sandbox/received-text-messages"),
        {"POST": NotifyApi._inject_received},
        True,
    ),
    (
        re.compile(r"/sandbox/notifications/(?P<notification_id>[^/]+)/status"),
        {"POST": NotifyApi._set_status},
        True,
    ),
    (
        re.compile(r"/sandbox/documents/(?P<document_id>[^/]+)"),
        {"GET": NotifyApi._get_document},
        False,
    ),
    (re.compile(r"/_status"), {"GET": NotifyApi._status}, False),
)
