"""The sandbox's web inbox: every message it was asked to send, as its recipient would see it.

Served by the sandbox's own HTTP server at ``/_sandbox/`` (``/`` redirects there), with nothing
fetched from elsewhere: server-rendered HTML, one stylesheet and one small script that keeps the
lists up to date. Pages:

* ``/_sandbox/``: every message, newest first, filtered by type, status, recipient and
  reference; a reset button. ``/_sandbox/api/notifications`` is its JSON (rows and version).
* ``/_sandbox/notifications/<id>``: one message rendered (`.message`), its status history
  and the callbacks sent for it; a button to return a letter. ``.../pdf`` is a letter's PDF.
* ``/_sandbox/received``: received texts, and a form to send one to the service.
* ``/_sandbox/service``: templates, and the API keys on a loopback address.

Who may open it is `InboxAccess`'s rule: open on a loopback address, otherwise
only with the token given at start-up.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Final, Protocol
from urllib.parse import parse_qs

from ..api import NotifyApi, Request, Response, letter_status_for_output
from ..callbacks import CallbackAttempt
from ..config import ServiceSettings
from ..records import ApiKeys, ReceivedTextRecord, SentMessage
from ..schemas import NOTIFICATION_STATUSES
from ..store import Store, TemplateVersion
from .access import COOKIE_NAME, InboxAccess, is_loopback
from .assets import INBOX_CSS, INBOX_JS
from .message import message_page
from .pages import (
    BASE,
    Filters,
    login_page,
    message_rows,
    messages_page,
    received_page,
    received_rows,
    service_page,
    shut_page,
)

__all__ = ["Inbox", "InboxAccess", "InboxBackend", "is_loopback"]

LIST_LIMIT: Final = 500
"""The most messages the list shows (the newest)."""
_CSP: Final = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
_FAILED: Final = frozenset(
    {"technical-failure", "temporary-failure", "permanent-failure", "validation-failed",
     "virus-scan-failed", "returned-letter"}
)  # fmt: skip
_STATUS_CHOICES: Final = (*NOTIFICATION_STATUSES, "accepted", "received")
"""Every status the list can filter on: the stored ones, ``failed`` (any failure) and the
letters' ``accepted`` and ``received``."""
_STATIC: Final[Mapping[str, tuple[str, str]]] = {
    "inbox.css": (INBOX_CSS, "text/css; charset=utf-8"),
    "inbox.js": (INBOX_JS, "text/javascript; charset=utf-8"),
}


class InboxBackend(Protocol):
    """What the inbox needs of the sandbox (`Sandbox` has it)."""

    service: ServiceSettings

    @property
    def service_id(self) -> str:
        """The service's id."""

    @property
    def api_keys(self) -> ApiKeys:
        """One API key of each type."""

    def notification(self, notification_id: str) -> SentMessage | None:
        """A stored message, or None."""

    def received_texts(self) -> list[ReceivedTextRecord]:
        """Received texts, newest first."""

    def add_received_text(
        self, content: str, *, user_number: str = ..., notify_number: str | None = ...
    ) -> ReceivedTextRecord:
        """Store a text a user sent to the service."""

    def return_letter(self, notification_id: str) -> None:
        """Mark a letter returned by the post."""

    def reset(self) -> None:
        """Forget every message and received text."""

    def callback_attempts(self) -> list[CallbackAttempt]:
        """Every callback attempt, oldest first."""

    def templates(self) -> list[TemplateVersion]:
        """The latest version of each template."""


def _html(body: str, status: int = 200) -> Response:
    return Response(
        status,
        body.encode(),
        content_type="text/html; charset=utf-8",
        headers=[("Content-Security-Policy", _CSP), ("Referrer-Policy", "same-origin")],
    )


def _redirect(location: str, *headers: tuple[str, str]) -> Response:
    return Response(303, b"", content_type="text/plain", headers=[("Location", location), *headers])


def _version(rows: str) -> str:
    return hashlib.sha256(rows.encode()).hexdigest()[:16]


def _form(request: Request) -> dict[str, str]:
    fields = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


_Handler = Callable[["Inbox", Request, str], Response]


class Inbox:
    """The web inbox of one running sandbox.

    Args:
        backend: The sandbox (its records, received texts, callbacks and controls).
        store: The sandbox's store (for the lists).
        api: The sandbox's API (for a notification as the API shows it).
        access: Who may open the inbox.
    """

    def __init__(
        self, backend: InboxBackend, store: Store, api: NotifyApi, access: InboxAccess
    ) -> None:
        """Serve the inbox of ``backend`` (see the class's arguments)."""
        self.backend = backend
        self.store = store
        self.api = api
        self.access = access

    @staticmethod
    def handles(path: str) -> bool:
        """Whether ``path`` is the inbox's (``/``, ``/_sandbox`` and under ``/_sandbox/``)."""
        return path in ("/", BASE) or path.startswith(BASE + "/")

    def handle(self, request: Request) -> Response:
        """Answer one request to the inbox.

        Args:
            request: A request whose path `handles`.

        Returns:
            The page, JSON, file or redirect.
        """
        path, method = request.path, "GET" if request.method == "HEAD" else request.method
        if path in ("/", BASE):
            return _redirect(BASE + "/")
        if path.startswith(BASE + "/static/"):
            found = _STATIC.get(path[len(BASE + "/static/") :])
            if found is None or method != "GET":
                return _html("Not found", 404)
            return Response(200, found[0].encode(), content_type=found[1])
        if not self.access.enabled:
            return _html(shut_page(), 403)
        if path == BASE + "/login":
            return self._login(request, method)
        if not self.access.allows(request.headers, request.authorization):
            if path.startswith(BASE + "/api/"):
                return Response.json(401, {"error": "the inbox token is required"})
            return _html(login_page(failed=False), 401)
        if method == "POST" and not self._same_origin(request):
            return _html("Cross-site form refused", 403)
        for pattern, methods in _ROUTES:
            match = pattern.fullmatch(path[len(BASE) :])
            if match is None:
                continue
            handler = methods.get(method)
            if handler is None:
                return _html("Method not allowed", 405)
            return handler(self, request, match.groupdict().get("id") or "")
        return _html("Not found", 404)

    @staticmethod
    def _same_origin(request: Request) -> bool:
        """Whether a form post comes from the inbox itself.

        A browser says where a post came from (``Sec-Fetch-Site``, else ``Origin``); scripts and
        tools send neither and are let through.
        """
        site = request.headers.get("sec-fetch-site")
        if site is not None:
            return site in ("same-origin", "none")
        origin = request.headers.get("origin")
        return origin is None or origin == request.host_url

    def _login(self, request: Request, method: str) -> Response:
        if method == "GET":
            return _html(login_page(failed=False))
        if method != "POST":
            return _html("Method not allowed", 405)
        if not self.access.token_matches(_form(request).get("token", "")):
            return _html(login_page(failed=True), 401)
        cookie = f"{COOKIE_NAME}={self.access.cookie_value()}; Path=/; HttpOnly; SameSite=Strict"
        return _redirect(BASE + "/", ("Set-Cookie", cookie))

    # --- messages ----------------------------------------------------------------------------

    def _filters(self, request: Request) -> Filters:
        values = {name: value.strip() for name, value in request.query}
        return Filters(
            type=values.get("type", ""),
            status=values.get("status", ""),
            recipient=values.get("recipient", ""),
            reference=values.get("reference", ""),
            text=values.get("text", ""),
        )

    def _message_rows(self, filters: Filters) -> tuple[str, int]:
        now = self.store.now()
        found = self.store.list_notifications(
            now=now, types=[filters.type] if filters.type else None, limit=LIST_LIMIT
        )
        wanted = []
        for notification in found:
            status = notification.status_at(now)[0]
            shown = letter_status_for_output(status) if notification.type == "letter" else status
            failed = filters.status == "failed" and status in _FAILED
            if filters.status and filters.status not in (status, shown) and not failed:
                continue
            recipient = f"{notification.recipient or ''} {notification.normalised_to or ''}"
            if filters.recipient.lower() not in recipient.lower():
                continue
            if filters.reference.lower() not in (notification.reference or "").lower():
                continue
            words = f"{notification.subject or ''}\n{notification.body}".lower()
            if filters.text.lower() not in words:
                continue
            wanted.append(notification)
        return message_rows(wanted, now), len(wanted)

    def _messages(self, request: Request, _: str) -> Response:
        filters = self._filters(request)
        rows, count = self._message_rows(filters)
        return _html(
            messages_page(filters, _STATUS_CHOICES, rows, _version(rows), count, LIST_LIMIT)
        )

    def _messages_json(self, request: Request, _: str) -> Response:
        rows, count = self._message_rows(self._filters(request))
        return Response.json(200, {"version": _version(rows), "count": count, "rows_html": rows})

    def _message(self, request: Request, raw_id: str) -> Response:
        notification_id = _uuid(raw_id)
        stored = self.store.get_notification(notification_id) if notification_id else None
        message = self.backend.notification(notification_id) if stored else None
        if stored is None or message is None:
            return _html("No such message", 404)
        now = self.store.now()
        attempts = [a for a in self.backend.callback_attempts() if a.object_id == stored.id]
        api_json = self.api.notification_json(request.host_url, stored, now)
        page = message_page(
            message, stored, now, attempts, api_json, self.backend.service.from_email
        )
        return _html(page)

    def _pdf(self, request: Request, raw_id: str) -> Response:
        notification_id = _uuid(raw_id)
        pdf = self.store.letter_pdf(notification_id) if notification_id else None
        if pdf is None:
            return _html("No PDF for this message", 404)
        return Response(
            200,
            pdf,
            content_type="application/pdf",
            headers=[("Content-Disposition", f'inline; filename="letter-{notification_id}.pdf"')],
        )

    def _return_letter(self, request: Request, raw_id: str) -> Response:
        notification_id = _uuid(raw_id)
        try:
            self.backend.return_letter(notification_id)
        except (LookupError, ValueError):
            return _html("No such letter", 404)
        return _redirect(f"{BASE}/notifications/{notification_id}")

    def _reset(self, request: Request, _: str) -> Response:
        self.backend.reset()
        return _redirect(BASE + "/")

    # --- received texts, templates and keys ----------------------------------------------------

    def _received_rows(self) -> tuple[str, int]:
        texts = self.backend.received_texts()
        return received_rows(texts), len(texts)

    def _received(self, request: Request, _: str) -> Response:
        rows, count = self._received_rows()
        notify_number = self.backend.service.inbound_number
        return _html(received_page(rows, _version(rows), count, notify_number))

    def _received_json(self, request: Request, _: str) -> Response:
        rows, count = self._received_rows()
        return Response.json(200, {"version": _version(rows), "count": count, "rows_html": rows})

    def _inject(self, request: Request, _: str) -> Response:
        form = _form(request)
        content = form.get("content", "")
        if not content.strip():
            return _html("A received text needs a message", 400)
        user_number = form.get("user_number", "").strip() or "447700900123"
        self.backend.add_received_text(content, user_number=user_number)
        return _redirect(BASE + "/received")

    def _service(self, request: Request, _: str) -> Response:
        keys = self.backend.api_keys if self.access.show_keys else None
        templates = sorted(self.backend.templates(), key=lambda t: (t.name, t.type))
        return _html(service_page(self.backend.service_id, templates, keys))


def _uuid(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return ""


_ROUTES: Final[Sequence[tuple[re.Pattern[str], Mapping[str, _Handler]]]] = (
    (re.compile(r"/"), {"GET": Inbox._messages}),
    (re.compile(r"/api/notifications"), {"GET": Inbox._messages_json}),
    (re.compile(r"/notifications/(?P<id>[^/]+)"), {"GET": Inbox._message}),
    (re.compile(r"/notifications/(?P<id>[^/]+)/pdf"), {"GET": Inbox._pdf}),
    (re.compile(r"/notifications/(?P<id>[^/]+)/return"), {"POST": Inbox._return_letter}),
    (re.compile(r"/reset"), {"POST": Inbox._reset}),
    (re.compile(r"/received"), {"GET": Inbox._received, "POST": Inbox._inject}),
    (re.compile(r"/api/received"), {"GET": Inbox._received_json}),
    (re.compile(r"/service"), {"GET": Inbox._service}),
)
