"""What the sandbox's callbacks are: their kinds, the retry settings and each attempt's record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ..callbacks import (
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
)

__all__ = [
    "CallbackAttempt",
    "CallbackKind",
    "CallbackOutcome",
    "CallbackPayload",
    "CallbackRetry",
]

CallbackKind: TypeAlias = Literal["delivery-receipt", "received-text", "returned-letter"]
"""What a callback tells the service: ``delivery-receipt``, ``received-text`` or
``returned-letter``."""
CallbackOutcome: TypeAlias = Literal["accepted", "will-retry", "given-up"]
"""How an attempt ended: ``accepted`` (a 2xx answer), ``will-retry`` or ``given-up``."""
CallbackPayload: TypeAlias = (
    SmsDeliveryReceipt | EmailDeliveryReceipt | ReceivedTextCallback | ReturnedLetterCallback
)
"""The model a callback's JSON body is made from (and that the receiver parses it into)."""


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
        """Whether the receiver accepted the callback (a 2xx answer)."""
        return self.outcome == "accepted"
