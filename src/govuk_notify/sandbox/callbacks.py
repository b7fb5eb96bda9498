"""The sandbox calls the service back, as GOV.UK Notify does.

When the service has callback URLs (:class:`~govuk_notify.sandbox.config.CallbackEndpoint` in
:class:`~govuk_notify.sandbox.config.ServiceSettings`, or ``Sandbox.set_callbacks``), the sandbox
POSTs JSON to them with ``Content-Type: application/json`` and ``Authorization: Bearer <token>``:

* a **delivery receipt** (:class:`~govuk_notify.callbacks.SmsDeliveryReceipt` or
  :class:`~govuk_notify.callbacks.EmailDeliveryReceipt`) when a text message or an email reaches
  a final status (:data:`~govuk_notify.sandbox.lifecycle.DELIVERY_RECEIPT_STATUSES`), whether it
  got there as time passed, after ``Sandbox.advance``, or through ``Sandbox.set_status`` or
  ``POST /sandbox/notifications/<id>/status``: one receipt for each notification and final
  status, sent for test keys too as Notify does (simulated smoke-test recipients are never
  stored, so they get none);
* a **received text message** (:class:`~govuk_notify.callbacks.ReceivedTextCallback`) when one is
  injected, from Python or through ``POST /sandbox/received-text-messages``;
* a **returned letter** (:class:`~govuk_notify.callbacks.ReturnedLetterCallback`) when a letter's
  status becomes ``returned-letter`` (``Sandbox.return_letter``, or either way of setting a
  status).

One worker thread (:class:`CallbackDispatcher`) does the sending, so a request to the sandbox never
waits for a receiver, and it reads the store without ever taking its write lock. An attempt that
gets no answer, a 5xx or a 429 is retried (:class:`CallbackRetry`: as Notify does, but 0.2 seconds
apart instead of 5 minutes); any other 4xx is not, as Notify gives up on those at once. Every
attempt is kept as a :class:`CallbackAttempt`.

A 2xx answer is an acceptance; redirects are not followed (a 3xx is given up). Callbacks go one
at a time, so a receiver slow to answer delays the others by up to the timeout. Stopping the
sandbox cuts an attempt in progress short and drops what is not sent yet: call
``Sandbox.flush_callbacks()`` first to wait for what is due.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import http.client
import itertools
import logging
import socket
import ssl
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias
from urllib.parse import urlsplit

from .._version import __version__
from ..callbacks import (
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
)
from ..models.enums import EmailStatus, SmsStatus
from .config import CallbackEndpoint, ServiceSettings
from .lifecycle import DELIVERY_RECEIPT_STATUSES, sends_delivery_receipt
from .records import utc_datetime
from .store import Store, StoredNotification, StoredReceivedText

__all__ = [
    "CallbackAttempt",
    "CallbackDispatcher",
    "CallbackKind",
    "CallbackOutcome",
    "CallbackPayload",
    "CallbackRetry",
]

_log = logging.getLogger(__name__)

CallbackKind: TypeAlias = Literal["delivery-receipt", "received-text", "returned-letter"]
CallbackOutcome: TypeAlias = Literal["accepted", "will-retry", "given-up"]
CallbackPayload: TypeAlias = (
    SmsDeliveryReceipt | EmailDeliveryReceipt | ReceivedTextCallback | ReturnedLetterCallback
)

_ANSWER_BYTES_READ: Final = 64 * 1024
"""How much of a receiver's answer is read (and thrown away) before the connection is closed."""
_LONGEST_IDLE_WAIT: Final = 0.5
"""The worker looks again at least this often (seconds), whatever moved the clock."""
_STOPPED: Final = "the sandbox stopped before the receiver answered"
_USER_AGENT: Final = f"govuk-notify-sandbox/{__version__}"


@dataclass(frozen=True)
class CallbackRetry:
    """How the sandbox retries a callback, and how long it waits for an answer.

    Notify makes a first attempt and retries up to 5 times, 5 minutes apart, when the receiver
    does not answer (a connection error or a timeout) or answers 5xx or 429; it does not retry
    other 4xx answers. The sandbox does the same, ``delay`` seconds apart.
    """

    retries: int = 5
    """Attempts after the first one (so ``retries + 1`` at most)."""
    delay: float = 0.2
    """Seconds between the end of an attempt and the next one."""
    timeout: float = 5.0
    """Seconds to wait for the connection and for each read of the answer (Notify's is 5)."""
    retry_client_errors: bool = False
    """Also retry 4xx answers (401, 404...), which Notify gives up on at once."""

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
        if self.delay < 0:
            raise ValueError("the delay between retries cannot be negative")
        if not self.timeout > 0:
            raise ValueError("the callback timeout must be more than 0 seconds")

    def retries_after(self, status_code: int | None) -> bool:
        """Whether an attempt that ended so is worth another (``None``: no answer at all)."""
        if status_code is None or status_code >= 500 or status_code == 429:
            return True
        return self.retry_client_errors and 400 <= status_code < 500


@dataclass(frozen=True)
class CallbackAttempt:
    """One POST the sandbox made (or tried to make) to a callback URL."""

    kind: CallbackKind
    url: str
    object_id: str
    """The notification's id (the received text's for ``received-text``)."""
    attempt: int
    """1 for the first attempt, 2 for the first retry..."""
    payload: CallbackPayload
    """What was sent, as the model the receiver parses it into."""
    body: bytes = field(repr=False)
    """The exact JSON body sent."""
    status_code: int | None
    """The receiver's HTTP status, or ``None`` if it gave none."""
    error: str | None
    """Why there is no status (a refused connection, a timeout...), or why a 3xx was not taken."""
    outcome: CallbackOutcome
    """``accepted`` (a 2xx), ``will-retry``, or ``given-up`` (the last attempt, or an answer not
    worth retrying)."""
    started_at: dt.datetime
    """When the attempt started (the real time, in UTC)."""
    duration: float
    """Seconds the attempt took."""

    @property
    def ok(self) -> bool:
        return self.outcome == "accepted"


@dataclass
class _Delivery:
    kind: CallbackKind
    url: str
    token: str = field(repr=False)
    object_id: str
    payload: CallbackPayload
    body: bytes = field(repr=False)
    attempts: int = 0


class _StoppingError(Exception):
    """The dispatcher is stopping: the attempt in progress is abandoned."""


def _abort(sock: socket.socket) -> None:
    # The plain socket's shutdown, even for a TLS socket: it wakes a thread blocked reading it
    # without touching the TLS state that thread is using.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _describe(error: BaseException, timeout: float) -> str:
    """Words for a failed attempt; never the request's headers (the token is in one)."""
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or type(error).__name__}"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the receiver closed the connection without answering"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host: {error.strerror}"
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return f"{type(error).__name__}"


class CallbackDispatcher:
    """Finds the callbacks due and sends them from one worker thread.

    It is the API's listener (:class:`~govuk_notify.sandbox.api.ApiListener`): a stored
    notification is put on a schedule at the times its steps reach a final status, in the
    sandbox's clock (so :meth:`wake` after that clock moves); a status fixed by hand is looked at
    at once; a received text is queued at once. The URLs and tokens are read from ``settings()``
    when a callback becomes due, and a queued callback keeps the token it was queued with.
    """

    def __init__(
        self,
        *,
        store: Store,
        settings: Callable[[], ServiceSettings],
        retry: CallbackRetry | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self.retry = retry or CallbackRetry()
        self._cond = threading.Condition()
        self._order = itertools.count()
        self._schedule: list[tuple[int, int, str]] = []
        """``(sandbox time in µs, order, notification id)``: when to look at a notification."""
        self._ready: deque[_Delivery] = deque()
        self._retrying: list[tuple[float, int, _Delivery]] = []
        """``(monotonic time, order, delivery)``: deliveries waiting for their next attempt."""
        self._reported: set[tuple[str, str]] = set()
        self._attempts: list[CallbackAttempt] = []
        self._busy = False
        self._stopping = False
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._tls: ssl.SSLContext | None = None

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("the callback dispatcher is already running")
            self._stopping = False
            self._thread = threading.Thread(
                target=self._run, name="govuk-notify-sandbox-callbacks", daemon=True
            )
        self._thread.start()

    def stop(self) -> None:
        """Stop the worker: an attempt in progress is cut short (and recorded as given up),
        callbacks not yet sent are dropped."""
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            self._stopping = True
            sock = self._socket
            self._cond.notify_all()
        if sock is not None:
            _abort(sock)
        # Only an attempt still connecting to an unreachable host can keep the worker this long.
        thread.join(self.retry.timeout + 1.0)
        with self._cond:
            self._thread = None
            self._ready.clear()
            self._retrying.clear()
            self._schedule.clear()

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def wake(self) -> None:
        """Look at the schedule again now (call it after the sandbox's clock moved)."""
        with self._cond:
            self._cond.notify_all()

    def reset(self) -> None:
        """Forget what is scheduled, queued and recorded."""
        with self._cond:
            self._schedule.clear()
            self._ready.clear()
            self._retrying.clear()
            self._reported.clear()
            self._attempts.clear()

    def attempts(self) -> list[CallbackAttempt]:
        with self._cond:
            return list(self._attempts)

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until every callback due by now has been accepted or given up; False if that
        takes longer than ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._idle():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._thread is None:
                    return self._idle()
                self._cond.wait(min(remaining, 0.05))
            return True

    def _idle(self) -> bool:
        return not (
            self._busy
            or self._ready
            or self._retrying
            or (self._schedule and self._schedule[0][0] <= self._store.now())
        )

    # --- the API's listener --------------------------------------------------------------------

    def notification_stored(self, notification: StoredNotification) -> None:
        finals = DELIVERY_RECEIPT_STATUSES.get(notification.type)
        if not finals:
            return
        due = [at for at, status in notification.steps if status in finals]
        if not due:
            return
        with self._cond:
            for at in due:
                heapq.heappush(self._schedule, (at, next(self._order), notification.id))
            self._cond.notify_all()

    def status_changed(self, notification_id: str) -> None:
        with self._cond:
            heapq.heappush(self._schedule, (0, next(self._order), notification_id))
            self._cond.notify_all()

    def received_text_stored(self, text: StoredReceivedText) -> None:
        endpoint = self._settings().inbound_callback
        if endpoint is None:
            return
        payload = ReceivedTextCallback(
            id=uuid.UUID(text.id),
            source_number=text.user_number,
            destination_number=text.notify_number,
            message=text.content,
            date_received=utc_datetime(text.created_at),
        )
        self._queue("received-text", endpoint, text.id, payload)

    # --- the worker ----------------------------------------------------------------------------

    def _queue(
        self,
        kind: CallbackKind,
        endpoint: CallbackEndpoint,
        object_id: str,
        payload: CallbackPayload,
    ) -> None:
        delivery = _Delivery(
            kind=kind,
            url=endpoint.url,
            token=endpoint.bearer_token,
            object_id=object_id,
            payload=payload,
            body=payload.model_dump_json().encode(),
        )
        with self._cond:
            if self._stopping:
                return
            self._ready.append(delivery)
            self._cond.notify_all()

    def _next_task(self) -> Callable[[], None] | float:
        """Under the lock: the next thing to do, else how many seconds to wait for one."""
        now = self._store.now()
        due: list[str] = []
        while self._schedule and self._schedule[0][0] <= now:
            due.append(heapq.heappop(self._schedule)[2])
        if due:
            return lambda: self._look_at(due)
        moment = time.monotonic()
        while self._retrying and self._retrying[0][0] <= moment:
            self._ready.append(heapq.heappop(self._retrying)[2])
        if self._ready:
            delivery = self._ready.popleft()
            return lambda: self._attempt(delivery)
        waits = [_LONGEST_IDLE_WAIT]
        if self._schedule:
            waits.append((self._schedule[0][0] - now) / 1_000_000)
        if self._retrying:
            waits.append(self._retrying[0][0] - moment)
        return max(min(waits), 0.001)

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        self._cond.notify_all()
                        return
                    task = self._next_task()
                    if not isinstance(task, float):
                        self._busy = True
                        break
                    self._cond.notify_all()
                    self._cond.wait(task)
            try:
                task()
            except Exception:
                _log.exception("The sandbox failed to prepare or send a callback")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _look_at(self, notification_ids: list[str]) -> None:
        settings = self._settings()
        if settings.delivery_callback is None and settings.returned_letter_callback is None:
            return
        now = self._store.now()
        for notification_id in notification_ids:
            notification = self._store.get_notification(notification_id)
            if notification is None:
                continue
            status, reached, sent_at = notification.status_at(now)
            if sends_delivery_receipt(notification.type, status):
                endpoint = settings.delivery_callback
                kind: CallbackKind = "delivery-receipt"
            elif notification.type == "letter" and status == "returned-letter":
                endpoint = settings.returned_letter_callback
                kind = "returned-letter"
            else:
                continue
            with self._cond:
                if (notification_id, status) in self._reported:
                    continue
                self._reported.add((notification_id, status))
            if endpoint is None:
                continue
            payload: CallbackPayload
            if kind == "delivery-receipt":
                payload = self._receipt(notification, status, reached, sent_at)
            else:
                payload = self._returned_letter(notification, settings)
            self._queue(kind, endpoint, notification_id, payload)

    @staticmethod
    def _receipt(
        notification: StoredNotification, status: str, reached: int, sent_at: int | None
    ) -> SmsDeliveryReceipt | EmailDeliveryReceipt:
        common = {
            "id": uuid.UUID(notification.id),
            "reference": notification.reference,
            "to": notification.recipient or "",
            "created_at": utc_datetime(notification.created_at),
            "completed_at": utc_datetime(reached),
            "sent_at": None if sent_at is None else utc_datetime(sent_at),
            "template_id": uuid.UUID(notification.template_id),
            "template_version": notification.template_version,
        }
        if notification.type == "sms":
            return SmsDeliveryReceipt.model_validate({**common, "status": SmsStatus(status)})
        return EmailDeliveryReceipt.model_validate({**common, "status": EmailStatus(status)})

    def _returned_letter(
        self, notification: StoredNotification, settings: ServiceSettings
    ) -> ReturnedLetterCallback:
        # As Notify's returned-letter report: the reference only for a letter sent with an API
        # key, no template for a precompiled letter, the sender's address or "API".
        template = None
        if not notification.precompiled:
            template = next(
                (
                    version
                    for version in self._store.template_versions(notification.template_id)
                    if version.version == notification.template_version
                ),
                None,
            )
        sent_by = "API"
        if notification.api_key_id is None:
            sent_by = next((m for m in settings.team_members if "@" in m), "API")
        return ReturnedLetterCallback(
            notification_id=uuid.UUID(notification.id),
            reference=notification.reference if notification.api_key_id is not None else None,
            date_sent=utc_datetime(notification.created_at),
            sent_by=sent_by,
            template_name=None if template is None else template.name,
            template_id=None if template is None else uuid.UUID(template.id),
            template_version=None if template is None else template.version,
            spreadsheet_row_number=notification.job_row_number,
        )

    def _attempt(self, delivery: _Delivery) -> None:
        delivery.attempts += 1
        started_at = dt.datetime.now(dt.timezone.utc)
        started = time.monotonic()
        status_code, error = self._post(delivery)
        duration = time.monotonic() - started
        if status_code is not None and 200 <= status_code < 300:
            outcome: CallbackOutcome = "accepted"
        elif status_code is not None and status_code < 400:
            outcome, error = "given-up", "the sandbox does not follow redirects"
        elif (
            error != _STOPPED
            and delivery.attempts <= self.retry.retries
            and self.retry.retries_after(status_code)
        ):
            outcome = "will-retry"
        else:
            outcome = "given-up"
        record = CallbackAttempt(
            kind=delivery.kind,
            url=delivery.url,
            object_id=delivery.object_id,
            attempt=delivery.attempts,
            payload=delivery.payload,
            body=delivery.body,
            status_code=status_code,
            error=error,
            outcome=outcome,
            started_at=started_at,
            duration=duration,
        )
        with self._cond:
            self._attempts.append(record)
            if outcome == "will-retry" and not self._stopping:
                heapq.heappush(
                    self._retrying,
                    (time.monotonic() + self.retry.delay, next(self._order), delivery),
                )
        _log.log(
            logging.INFO if outcome == "accepted" else logging.WARNING,
            "%s callback for %s to %s, attempt %d: %s (%s)",
            delivery.kind,
            delivery.object_id,
            delivery.url,
            delivery.attempts,
            status_code if status_code is not None else error,
            outcome,
        )

    def _hold(self, sock: socket.socket) -> None:
        """Make ``sock`` the one :meth:`stop` cuts, unless stopping has begun already."""
        with self._cond:
            if self._stopping:
                raise _StoppingError
            self._socket = sock

    def _post(self, delivery: _Delivery) -> tuple[int | None, str | None]:
        parts = urlsplit(delivery.url)
        host = parts.hostname or ""
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        timeout = self.retry.timeout
        sock: socket.socket | None = None
        connection: http.client.HTTPConnection | None = None
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
            self._hold(sock)
            if secure:
                if self._tls is None:
                    self._tls = ssl.create_default_context()
                sock = self._tls.wrap_socket(
                    sock, server_hostname=host, do_handshake_on_connect=False
                )
                self._hold(sock)
                sock.do_handshake()
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
            connection.sock = sock
            connection.request(
                "POST",
                target,
                body=delivery.body,
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {delivery.token}",
                    "User-Agent": _USER_AGENT,
                },
            )
            response = connection.getresponse()
            response.read(_ANSWER_BYTES_READ)
            return response.status, None
        except _StoppingError:
            return None, _STOPPED
        except (OSError, http.client.HTTPException, ValueError) as error:
            with self._cond:
                stopping = self._stopping
            return None, _STOPPED if stopping else _describe(error, timeout)
        finally:
            with self._cond:
                self._socket = None
            if connection is not None:
                connection.close()
            elif sock is not None:
                sock.close()
