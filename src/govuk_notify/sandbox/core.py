"""The `Sandbox`: a local Notify server in a thread, and what it has been asked to send."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
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
from .message_admin import MessageAdmin
from .records import (
    ApiKeys,
)
from .sent import SentRecords
from .server import SandboxHTTPServer
from .store import Store
from .template_admin import TemplateAdmin, TemplatesSetting

__all__ = ["Sandbox", "sandbox_client"]

logger = logging.getLogger("govuk_notify.sandbox")


class Sandbox(SentRecords, TemplateAdmin, KeyAdmin, LimitSettings, CallbackAdmin, MessageAdmin):
    """A GOV.UK Notify API on this machine, speaking the v2 API over real HTTP.

    Use it as a context manager (or call `start` and `stop`).

    Example:
        ```python
        with Sandbox() as sandbox:
            client = sandbox.client()            # a NotifyClient with the live key
            client.send_email_notification(...)
            assert sandbox.sent_emails()[0].subject == "..."
        ```

    ``port=0`` picks a free port. Without ``db`` the data lives in a temporary file deleted on
     `stop`; with ``db`` it (and the API keys and templates) survives a restart.
    ``templates`` is a template file (see `govuk_notify.sandbox.templates`) or a list of
    definitions; without it, a new database gets the default templates.

    With callback URLs in ``service`` (or `set_callbacks`) the sandbox POSTs delivery
    receipts, received text messages and returned letters to them, retried as ``callback_retry``
    says ([`CallbackRetry`][govuk_notify.sandbox.CallbackRetry]); `callback_attempts` shows
    every attempt.

    ``clock`` is the sandbox's wall clock, a function returning seconds since the epoch (UTC;
    ``time.time`` by default): notification times, status changes and the daily limits' day
    follow it (and `advance`). Give a fixed or stepping clock for tests that cross
    midnight or a month end on purpose.

    The sandbox serves a web inbox of everything sent at `inbox_url`
    (`govuk_notify.sandbox.inbox`). On a loopback ``host`` it is open; on any other address
    it requires ``inbox_token`` (and stays shut without one). A token given on a loopback address
    is required too.

    Args:
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        db: The SQLite file to keep the data in; `None` for a temporary one.
        templates: A template file, a list of `TemplateDefinition`, or `None` (the defaults for
            a new database).
        rate_limit: Requests a minute allowed for each API key.
        daily_limit: The daily limits: an int for sms, email and letter, a mapping of the types
            it sets, a `DailyLimits`, or `None` for Notify's defaults.
        latency_ms: Milliseconds to wait before each answer.
        lifecycle: How statuses move on; `Lifecycle()` by default.
        service: The service's settings (callbacks, senders, team); `ServiceSettings()` by default.
        callback_retry: How callbacks are retried; `CallbackRetry()` by default.
        clock: The sandbox's wall clock (seconds since the epoch, UTC); `time.time` by default.
        inbox_token: The token the web inbox asks for (required on a non-loopback ``host``).

    Raises:
        ValueError: ``rate_limit`` is less than 1, ``latency_ms`` is negative, or
            ``daily_limit`` is negative or names an unknown type.
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
        """Open the database and start serving in a background thread.

        Returns:
            The sandbox itself.

        Raises:
            RuntimeError: The sandbox is already running.
            StoreVersionError: The database was written by a newer govuk-notify.
            TemplateFileError: The templates cannot be read or change a template's type.
            OSError: The address cannot be listened on.
        """
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
        """Stop serving and close everything (clients made by `client` included)."""
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
        """Whether the sandbox is serving (between `start` and `stop`)."""
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
        """The address clients send to, e.g. ``http://127.0.0.1:8025``.

        Raises:
            RuntimeError: The sandbox is not running.
        """
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
        """Where the inbox is and who may open it.

        This is the line logged (and printed by the command line) at start-up, e.g.
        ``Inbox: http://127.0.0.1:8025/_sandbox/ (open: ...)``.

        Raises:
            RuntimeError: The sandbox is not running.
        """
        return self._inbox_access.describe(self.inbox_url)

    @property
    def port(self) -> int:
        """The port the sandbox listens on (the one picked, with ``port=0``).

        Raises:
            RuntimeError: The sandbox is not running.
        """
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        return self._server.port

    @property
    def service_id(self) -> str:
        """The id of the sandbox's one service (kept in the database).

        Raises:
            RuntimeError: The sandbox is not running.
        """
        return self._running_api().service_id

    def client(self, key_type: str = "live", **client_options: Any) -> NotifyClient:
        """A new `NotifyClient` for this sandbox; it is closed when the sandbox stops.

        Args:
            key_type: The key it signs with: ``live``, ``team`` or ``test``.
            **client_options: More arguments for `NotifyClient` (``timeout``, ``retries``...).

        Returns:
            The client.

        Raises:
            ValueError: ``key_type`` is not one of those.
            RuntimeError: The sandbox is not running.
        """
        client = NotifyClient(
            self.api_keys.for_type(key_type), base_url=self.base_url, **client_options
        )
        self._clients.append(client)
        return client

    @property
    def live_client(self) -> NotifyClient:
        """A ready client with the live key (the same one each time).

        Raises:
            RuntimeError: The sandbox is not running.
        """
        if self._live_client is None:
            self._live_client = self.client("live")
        return self._live_client

    def __repr__(self) -> str:
        where = self._server.base_url if self._server is not None else "stopped"
        return f"Sandbox({where})"


@contextmanager
def sandbox_client(key_type: str = "live", **sandbox_options: Any) -> Iterator[NotifyClient]:
    """A running sandbox and a `NotifyClient` for it, in one line.

    Args:
        key_type: The client's key: ``live``, ``team`` or ``test``.
        **sandbox_options: Arguments for `Sandbox`.

    Yields:
        The client; the sandbox stops when the block ends.

    Example:
        ```python
        with sandbox_client() as client:
            client.send_sms_notification("07700900123", template_id)
        ```
    """
    with Sandbox(**sandbox_options) as sandbox:
        yield sandbox.client(key_type)
