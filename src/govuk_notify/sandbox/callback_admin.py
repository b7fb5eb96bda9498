"""The sandbox's callback controls: setting the service's callbacks, the attempts, flushing.

`CallbackAdmin` is the part of `Sandbox` that manages callbacks.
"""

from __future__ import annotations

import dataclasses
from types import EllipsisType

from .api import NotifyApi
from .callbacks import CallbackAttempt, CallbackDispatcher, CallbackKind
from .config import CallbackEndpoint, ServiceSettings

__all__ = ["CallbackAdmin"]


class CallbackAdmin:
    """Managing callbacks (a part of `Sandbox`)."""

    service: ServiceSettings
    _api: NotifyApi | None
    _callbacks: CallbackDispatcher | None
    _finished_attempts: list[CallbackAttempt]

    def set_callbacks(
        self,
        *,
        delivery: CallbackEndpoint | EllipsisType | None = ...,
        inbound: CallbackEndpoint | EllipsisType | None = ...,
        returned_letter: CallbackEndpoint | EllipsisType | None = ...,
    ) -> None:
        """Set (or with `None` remove) the service's callbacks, whether running or not.

        An argument left out keeps its setting. A callback already queued is sent with the URL
        and token it was queued with.

        Args:
            delivery: Where to send delivery receipts.
            inbound: Where to send received text messages.
            returned_letter: Where to send returned letters.

        Raises:
            TypeError: An argument is neither a `CallbackEndpoint` nor `None`.
        """
        current = self.service
        self.service = dataclasses.replace(
            current,
            delivery_callback=_endpoint("delivery", delivery, current.delivery_callback),
            inbound_callback=_endpoint("inbound", inbound, current.inbound_callback),
            returned_letter_callback=_endpoint(
                "returned_letter", returned_letter, current.returned_letter_callback
            ),
        )
        if self._api is not None:
            self._api.settings = self.service

    def callback_attempts(self, kind: CallbackKind | None = None) -> list[CallbackAttempt]:
        """Every attempt to POST a callback, oldest first (after `stop`, those of the last run).

        Args:
            kind: Only attempts of this kind: ``delivery-receipt``, ``received-text`` or
                ``returned-letter``; `None` for all.

        Returns:
            The attempts' records.
        """
        found = self._callbacks.attempts() if self._callbacks else self._finished_attempts
        return [a for a in found if kind is None or a.kind == kind]

    def flush_callbacks(self, timeout: float = 5.0) -> None:
        """Wait until every callback due by now has been accepted or given up, retries included.

        "By now" is on the sandbox's clock. A message not yet at its final status is not waited
        for: call `wait_for_status` first.

        Args:
            timeout: The longest wait, in seconds.

        Raises:
            RuntimeError: The sandbox is not running.
            TimeoutError: Callbacks were still being sent after ``timeout`` seconds.
        """
        if self._callbacks is None:
            raise RuntimeError("the sandbox is not running: use it in a `with` block or start()")
        if not self._callbacks.wait_until_idle(timeout):
            raise TimeoutError(f"callbacks were still being sent after {timeout}s")


def _endpoint(
    name: str, value: CallbackEndpoint | EllipsisType | None, current: CallbackEndpoint | None
) -> CallbackEndpoint | None:
    if isinstance(value, EllipsisType):
        return current
    if value is not None and not isinstance(value, CallbackEndpoint):
        raise TypeError(f"{name} must be a CallbackEndpoint, or None to remove the callback")
    return value
