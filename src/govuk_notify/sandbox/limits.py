"""Rate and daily limits, as the Notify API applies them (server contract §5.6 and §5.7).

* The rate limit is a token bucket per service and key type. It refills at ``rate_limit / 60``
  tokens a second and holds at most ``min(ceil(rate_limit / 3) + 1, 1000)`` tokens. Each POST to
  ``/v2/notifications/*`` takes one token (a templated letter takes two); with fewer than one
  token left the request gets a 429 ``RateLimitError``.
* Daily limits count the messages of each type stored today (UTC) for non-test keys. A send is
  refused with a 429 ``TooManyRequestsError`` when ``count + 1 > limit``. The counters themselves
  live in the store, so they survive a restart.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_DAILY_LIMITS",
    "DEFAULT_RATE_LIMIT",
    "DailyLimits",
    "TokenBuckets",
    "bucket_capacity",
    "daily_limit_message",
    "rate_limit_message",
]

DEFAULT_RATE_LIMIT = 3000
"""Requests per 60 seconds, the server's default ``service.rate_limit``."""

DEFAULT_DAILY_LIMITS: Mapping[str, int] = {
    "sms": 999_999_999,
    "email": 999_999_999,
    "letter": 999_999_999,
    "international_sms": 250_000,
}
"""The server model's defaults for a service's daily limits."""

_KEY_TYPE_LABELS = {"normal": "LIVE", "team": "TEAM", "test": "TEST"}


def bucket_capacity(rate_limit: int) -> float:
    """The most tokens a bucket holds: ``min(ceil(rate_limit / 3) + 1, 1000)``."""
    return float(min(math.ceil(rate_limit / 3) + 1, 1000))


def rate_limit_message(key_type: str, rate_limit: int) -> str:
    """The server's 429 message; the ``normal`` key type reads ``LIVE``."""
    label = _KEY_TYPE_LABELS.get(key_type, key_type.upper())
    return f"Exceeded rate limit for key type {label} of {rate_limit} requests per 60 seconds"


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class TokenBuckets:
    """One token bucket per ``(service id, key type)``, safe to use from many threads."""

    rate_limit: int = DEFAULT_RATE_LIMIT
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request per minute")

    @property
    def capacity(self) -> float:
        """How many tokens a full bucket holds (requests allowed in a burst)."""
        return bucket_capacity(self.rate_limit)

    def take(self, service_id: str, key_type: str) -> bool:
        """Take one token; False when fewer than one is left (nothing is taken then)."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get((service_id, key_type))
            capacity = self.capacity
            if bucket is None:
                bucket = self._buckets[(service_id, key_type)] = _Bucket(capacity, now)
            else:
                refill = (now - bucket.updated) * self.rate_limit / 60.0
                bucket.tokens = min(capacity, bucket.tokens + max(refill, 0.0))
                bucket.updated = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def tokens_left(self, service_id: str, key_type: str) -> float:
        """How many tokens the bucket holds now (a full bucket if it was never used)."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get((service_id, key_type))
            if bucket is None:
                return self.capacity
            refill = (now - bucket.updated) * self.rate_limit / 60.0
            return min(self.capacity, bucket.tokens + max(refill, 0.0))

    def reset(self) -> None:
        """Refill every bucket (forget them all)."""
        with self._lock:
            self._buckets.clear()


@dataclass(frozen=True)
class DailyLimits:
    """A service's daily limits per notification type (and the international SMS sub-limit)."""

    sms: int = DEFAULT_DAILY_LIMITS["sms"]
    email: int = DEFAULT_DAILY_LIMITS["email"]
    letter: int = DEFAULT_DAILY_LIMITS["letter"]
    international_sms: int = DEFAULT_DAILY_LIMITS["international_sms"]

    @classmethod
    def from_setting(cls, setting: int | Mapping[str, int] | DailyLimits | None) -> DailyLimits:
        """The daily limits a setting describes.

        Args:
            setting: `None` for the defaults; an int for that limit on sms, email and letter; a
                mapping for the limits it names (keys ``sms``, ``email``, ``letter``,
                ``international_sms``; the others keep their defaults); a `DailyLimits` as it is.

        Returns:
            The limits.

        Raises:
            ValueError: A limit is negative, or a mapping names an unknown type.
        """
        if setting is None:
            return cls()
        if isinstance(setting, DailyLimits):
            return setting
        if isinstance(setting, int):
            if setting < 0:
                raise ValueError("a daily limit cannot be negative")
            return cls(sms=setting, email=setting, letter=setting)
        unknown = set(setting) - set(DEFAULT_DAILY_LIMITS)
        if unknown:
            raise ValueError(f"unknown daily limit types: {', '.join(sorted(unknown))}")
        values = {**DEFAULT_DAILY_LIMITS, **setting}
        if any(value < 0 for value in values.values()):
            raise ValueError("a daily limit cannot be negative")
        return cls(**values)

    def limit_for(self, kind: str) -> int:
        """The limit for one type.

        Args:
            kind: ``sms``, ``email``, ``letter`` or ``international_sms``.

        Returns:
            The limit.

        Raises:
            AttributeError: ``kind`` is not one of those.
        """
        value: int = getattr(self, kind)
        return value

    def as_dict(self) -> dict[str, int]:
        """The limits by type, keyed ``sms``, ``email``, ``letter`` and ``international_sms``."""
        return {
            "sms": self.sms,
            "email": self.email,
            "letter": self.letter,
            "international_sms": self.international_sms,
        }


def daily_limit_message(kind: str, limit: int) -> str:
    """The server's 429 ``TooManyRequestsError`` message."""
    return f"Exceeded send limits ({kind}: {limit}) for today"
