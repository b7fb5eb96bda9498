"""The sandbox calls the service back, as GOV.UK Notify does.

When the service has callback URLs (`CallbackEndpoint` in
`ServiceSettings`, or ``Sandbox.set_callbacks``), the sandbox
POSTs JSON to them with ``Content-Type: application/json`` and ``Authorization: Bearer <token>``:

* a **delivery receipt** (`SmsDeliveryReceipt` or
  `EmailDeliveryReceipt`) when a text message or an email reaches
  a final status (`DELIVERY_RECEIPT_STATUSES`), whether it
  got there as time passed, after ``Sandbox.advance``, or through ``Sandbox.set_status`` or
  ``POST /sandbox/notifications/<id>/status``: one receipt for each notification and final
  status, sent for test keys too as Notify does (simulated smoke-test recipients are never
  stored, so they get none);
* a **received text message** (`ReceivedTextCallback`) when one is
  injected, from Python or through ``POST /sandbox/received-text-messages``;
* a **returned letter** (`ReturnedLetterCallback`) when a letter's
  status becomes ``returned-letter`` (``Sandbox.return_letter``, or either way of setting a
  status).

One worker thread (`CallbackDispatcher`) does the sending, so a request to the sandbox never
waits for a receiver, and it reads the store without ever taking its write lock. An attempt that
gets no answer, a 5xx or a 429 is retried (`CallbackRetry`: as Notify does, but 0.2 seconds
apart instead of 5 minutes); any other 4xx is not, as Notify gives up on those at once. Every
attempt is kept as a `CallbackAttempt`.

A 2xx answer is an acceptance; redirects are not followed (a 3xx is given up). Callbacks go one
at a time, so a receiver slow to answer delays the others by up to the timeout. Stopping the
sandbox cuts an attempt in progress short and drops what is not sent yet: call
``Sandbox.flush_callbacks()`` first to wait for what is due.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Final

from .callback_payloads import delivery_receipt, received_text_callback, returned_letter_callback
from .callback_records import (
    CallbackAttempt,
    CallbackKind,
    CallbackOutcome,
    CallbackPayload,
    CallbackRetry,
)
from .callback_sending import CallbackSender, Delivery, abort_socket
from .config import CallbackEndpoint, ServiceSettings
from .lifecycle import DELIVERY_RECEIPT_STATUSES, sends_delivery_receipt
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

_LONGEST_IDLE_WAIT: Final = 0.5
"""The worker looks again at least this often (seconds), whatever moved the clock."""


class CallbackDispatcher(CallbackSender):
    """Finds the callbacks due and sends them from one worker thread.

    It is the API's listener (`ApiListener`): a stored
    notification is put on a schedule at the times its steps reach a final status, in the
    sandbox's clock (so `wake` after that clock moves); a status fixed by hand is looked at
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
        super().__init__(retry)
        self._store = store
        self._settings = settings
        self._schedule: list[tuple[int, int, str]] = []
        """``(sandbox time in µs, order, notification id)``: when to look at a notification."""
        self._ready: deque[Delivery] = deque()
        self._reported: set[tuple[str, str]] = set()
        self._busy = False
        self._thread: threading.Thread | None = None

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread.

        Raises:
            RuntimeError: The dispatcher is already running.
        """
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("the callback dispatcher is already running")
            self._stopping = False
            self._thread = threading.Thread(
                target=self._run, name="govuk-notify-sandbox-callbacks", daemon=True
            )
        self._thread.start()

    def stop(self) -> None:
        """Stop the worker; nothing happens if it is not running.

        An attempt in progress is cut short (and recorded as given up); callbacks not yet sent
        are dropped.
        """
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            self._stopping = True
            sock = self._socket
            self._cond.notify_all()
        if sock is not None:
            abort_socket(sock)
        # Only an attempt still connecting to an unreachable host can keep the worker this long.
        thread.join(self.retry.timeout + 1.0)
        with self._cond:
            self._thread = None
            self._ready.clear()
            self._retrying.clear()
            self._schedule.clear()

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive."""
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
        """Every attempt so far (since the last `reset`), oldest first."""
        with self._cond:
            return list(self._attempts)

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until every callback due by now has been accepted or given up.

        Args:
            timeout: The longest wait, in seconds.

        Returns:
            Whether that happened in time (`False` too if the worker stops first with work left).
        """
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
        """Schedule a look at a new notification at each time it reaches a final status.

        Args:
            notification: The notification just stored.
        """
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
        """Look at a notification whose status was fixed by hand, at once.

        Args:
            notification_id: The notification's id.
        """
        with self._cond:
            heapq.heappush(self._schedule, (0, next(self._order), notification_id))
            self._cond.notify_all()

    def received_text_stored(self, text: StoredReceivedText) -> None:
        """Queue the received-text callback for a new received text, if the service has one.

        Args:
            text: The received text just stored.
        """
        endpoint = self._settings().inbound_callback
        if endpoint is None:
            return
        payload = received_text_callback(text)
        self._queue("received-text", endpoint, text.id, payload)

    # --- the worker ----------------------------------------------------------------------------

    def _queue(
        self,
        kind: CallbackKind,
        endpoint: CallbackEndpoint,
        object_id: str,
        payload: CallbackPayload,
    ) -> None:
        delivery = Delivery(
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
                payload = delivery_receipt(notification, status, reached, sent_at)
            else:
                payload = returned_letter_callback(notification, settings, self._store)
            self._queue(kind, endpoint, notification_id, payload)
