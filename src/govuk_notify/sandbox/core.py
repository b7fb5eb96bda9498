"""The :class:`Sandbox`: a local Notify server in a thread, and what it has been asked to send."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from ..client import NotifyClient
from .api import NotifyApi
from .callback_admin import CallbackAdmin
from .callbacks import CallbackAttempt, CallbackDispatcher, CallbackRetry
from .config import ServiceSettings
from .inbox import Inbox, InboxAccess
from .key_admin import KeyAdmin, ensure_default_keys
from .lifecycle import Lifecycle
from .limit_settings import LimitSettings
from .limits import DEFAULT_RATE_LIMIT, DailyLimits
from .records import (
    ApiKeys,
    ReceivedTextRecord,
    utc_datetime,
)
from .schemas import NOTIFICATION_STATUSES
from .sent import SentRecords
from .server import SandboxHTTPServer
from .store import Store
from .template_admin import TemplateAdmin, TemplatesSetting

__all__ = ["Sandbox", "sandbox_client"]

logger = logging.getLogger("govuk_notify.sandbox")


class Sandbox(SentRecords, TemplateAdmin, KeyAdmin, LimitSettings, CallbackAdmin):
    """A GOV.UK Notify API on this machine, speaking the v2 API over real HTTP.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`)::

        with Sandbox() as sandbox:
            client = sandbox.client()            # a NotifyClient with the live key
            client.send_email_notification(...)
            assert sandbox.sent_emails()[0].subject == "..."

    ``port=0`` picks a free port. Without ``db`` the data lives in a temporary file deleted on
    :meth:`stop`; with ``db`` it (and the API keys and templates) survives a restart.
    ``templates`` is a template file (see :mod:`govuk_notify.sandbox.templates`) or a list of
    definitions; without it, a new database gets the default templates.

    With callback URLs in ``service`` (or :meth:`set_callbacks`) the sandbox POSTs delivery
    receipts, received text messages and returned letters to them, retried as ``callback_retry``
    says (:class:`~govuk_notify.sandbox.callbacks.CallbackRetry`); :meth:`callback_attempts`
    shows every attempt.

    ``clock`` is the sandbox's wall clock, a function returning seconds since the epoch (UTC;
    ``time.time`` by default): notification times, status changes and the daily limits' day
    follow it (and :meth:`advance`). Give a fixed or stepping clock for tests that cross
    midnight or a month end on purpose.

    The sandbox serves a web inbox of everything sent at :attr:`inbox_url`
    (:mod:`govuk_notify.sandbox.inbox`). On a loopback ``host`` it is open; on any other address
    it requires ``inbox_token`` (and stays shut without one). A token given on a loopback address
    is required too.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | os.PathLike[str] | None = None,
        templates: TemplatesSetting = None,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        daily_limit: int | Mapping[str, int] | DailyLimits | None = None,
        latency_ms: float = 0,
        lifecycle: Lifecycle | None = None,
        service: ServiceSettings | None = None,
        callback_retry: CallbackRetry | None = None,
        clock: Callable[[], float] | None = None,
        inbox_token: str | None = None,
    ) -> None:
        if rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request per minute")
        if latency_ms < 0:
            raise ValueError("latency_ms cannot be negative")
        self._host = host
        self._port = port
        self._db = None if db is None else os.fspath(db)
        self._templates_setting = templates
        self._rate_limit = rate_limit
        self._daily_limits = DailyLimits.from_setting(daily_limit)
        self._latency_ms = latency_ms
        # The sandbox's wall clock (seconds since the epoch, UTC): notification times, statuses,
        # the daily limits' day. API tokens are checked against the real time, as the client
        # signs them with it.
        self._clock = clock if clock is not None else time.time
        self.lifecycle = lifecycle or Lifecycle()
        self.service = service or ServiceSettings()
        self.callback_retry = callback_retry or CallbackRetry()
        self._callbacks: CallbackDispatcher | None = None
        self._finished_attempts: list[CallbackAttempt] = []
        self._store: Store | None = None
        self._api: NotifyApi | None = None
        self._server: SandboxHTTPServer | None = None
        self._tmpdir: str | None = None
        self._clients: list[NotifyClient] = []
        self._api_keys: ApiKeys | None = None
        self._live_client: NotifyClient | None = None
        self._inbox_access = InboxAccess(host, inbox_token)

    # --- starting and stopping -----------------------------------------------------------------

    def start(self) -> Sandbox:
        """Open the database and start serving in a background thread."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        try:
            if self._db is None:
                self._tmpdir = tempfile.mkdtemp(prefix="govuk-notify-sandbox-")
                path = os.path.join(self._tmpdir, "sandbox.db")
            else:
                path = self._db
            self._store = store = Store(path, clock=self._clock)
            service_id = store.set_meta_if_missing("service_id", str(uuid.uuid4()))
            self._api_keys = ensure_default_keys(store, service_id)
            self._load_templates(store)
            self._callbacks = CallbackDispatcher(
                store=store, settings=lambda: self.service, retry=self.callback_retry
            )
            self._callbacks.start()
            self._api = NotifyApi(
                store=store,
                service_id=service_id,
                settings=self.service,
                lifecycle=self.lifecycle,
                rate_limit=self._rate_limit,
                daily_limits=self._daily_limits,
                listener=self._callbacks,
            )
            inbox = Inbox(self, store, self._api, self._inbox_access)
            self._server = SandboxHTTPServer(
                self._api, self._host, self._port, self._latency_ms, inbox=inbox
            )
            self._server.start()
            logger.info("%s", self.inbox_description)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving and close everything (clients made by :meth:`client` included)."""
        for client in self._clients:
            client.close()
        self._clients.clear()
        self._live_client = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._callbacks is not None:
            self._callbacks.stop()
            self._finished_attempts = self._callbacks.attempts()
            self._callbacks = None
        if self._store is not None:
            self._store.close()
            self._store = None
        self._api = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    def _running_api(self) -> NotifyApi:
        if self._api is None:
            raise RuntimeError("the sandbox is not running: use it in a `with` block or start()")
        return self._api

    def _running_store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the sandbox is not running: use it in a `with` block or start()")
        return self._store

    # --- what a client needs -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        return self._server.base_url

    @property
    def inbox_url(self) -> str:
        """The web inbox's address (``<base_url>/_sandbox/``).

        Raises:
            RuntimeError: The sandbox is not running.
        """
        return self.base_url + "/_sandbox/"

    @property
    def inbox_description(self) -> str:
        """Where the inbox is and who may open it: the line logged (and printed by the CLI) at
        start-up, e.g. ``Inbox: http://127.0.0.1:8025/_sandbox/ (open: ...)``.

        Raises:
            RuntimeError: The sandbox is not running.
        """
        return self._inbox_access.describe(self.inbox_url)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        return self._server.port

    @property
    def service_id(self) -> str:
        return self._running_api().service_id

    def client(self, key_type: str = "live", **client_options: Any) -> NotifyClient:
        """A new :class:`~govuk_notify.NotifyClient` for this sandbox, with the key of that type
        (``live``, ``team`` or ``test``). It is closed when the sandbox stops.
        """
        client = NotifyClient(
            self.api_keys.for_type(key_type), base_url=self.base_url, **client_options
        )
        self._clients.append(client)
        return client

    @property
    def live_client(self) -> NotifyClient:
        """A ready client with the live key (the same one each time)."""
        if self._live_client is None:
            self._live_client = self.client("live")
        return self._live_client

    def set_status(self, notification_id: str, status: str) -> None:
        """Fix a notification's (raw) status from now on, e.g. ``returned-letter`` or
        ``technical-failure``.
        """
        if status not in NOTIFICATION_STATUSES or status == "failed":
            raise ValueError(f"unknown status {status!r}")
        if not self._running_api().set_notification_status(str(uuid.UUID(notification_id)), status):
            raise LookupError(f"no notification with id {notification_id}")

    def return_letter(self, notification_id: str) -> None:
        """The post returns a letter: its status becomes ``returned-letter`` and, with a
        returned-letter callback set, the service is told.
        """
        record = self.notification(notification_id)
        if record is None:
            raise LookupError(f"no notification with id {notification_id}")
        if record.type != "letter":
            raise ValueError(f"notification {notification_id} is not a letter")
        self.set_status(notification_id, "returned-letter")

    def add_job(
        self,
        template_id: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        reference: str | None = None,
    ) -> tuple[str, list[str]]:
        """Store a CSV batch job (sent with the live key type): one notification per row.

        Each row is one recipient's personalisation, with ``phone number``, ``email address`` or
        the address lines, as CSV columns. Job notifications appear in lists only with
        ``include_jobs=True``. Returns the job id and the notification ids.
        """
        return self._running_api().create_job(template_id, rows, reference)

    def add_received_text(
        self,
        content: str,
        *,
        user_number: str = "447700900123",
        notify_number: str | None = None,
    ) -> ReceivedTextRecord:
        """Pretend a user texted the service's number."""
        stored = self._running_api().add_received_text(content, user_number, notify_number)
        return ReceivedTextRecord(
            stored.id,
            stored.content,
            stored.user_number,
            stored.notify_number,
            utc_datetime(stored.created_at),
        )

    def daily_count(self, kind: str) -> int:
        """How many ``sms``/``email``/``letter``/``international_sms`` count against today's
        limit (UTC).
        """
        return self._running_store().daily_count(kind)

    def advance(self, seconds: float) -> None:
        """Move the sandbox's clock forward: notifications move on as if that time had passed
        (statuses, ``sent_at``, and new ``created_at`` values all follow this clock).
        """
        self._running_store().advance(seconds)
        if self._callbacks is not None:
            self._callbacks.wake()

    def reset(self) -> None:
        """Forget every notification, received text and daily count (keys and templates stay),
        and refill the rate-limit buckets.
        """
        self._running_store().clear_notifications()
        self._running_api().buckets.reset()
        if self._callbacks is not None:
            self._callbacks.reset()

    def __repr__(self) -> str:
        where = self._server.base_url if self._server is not None else "stopped"
        return f"Sandbox({where})"


@contextmanager
def sandbox_client(key_type: str = "live", **sandbox_options: Any) -> Iterator[NotifyClient]:
    """A running sandbox and a :class:`~govuk_notify.NotifyClient` for it, in one line::

    with sandbox_client() as client:
        client.send_sms_notification("07700900123", template_id)
    """
    with Sandbox(**sandbox_options) as sandbox:
        yield sandbox.client(key_type)
