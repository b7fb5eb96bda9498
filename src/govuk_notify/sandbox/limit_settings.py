"""The sandbox's limits and latency, which can change while it runs.

`LimitSettings` is the part of `Sandbox` that holds the rate limit, the daily limits and the
latency added to every answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from .api import NotifyApi
from .limits import DailyLimits
from .server import SandboxHTTPServer

__all__ = ["LimitSettings"]


class LimitSettings:
    """The rate limit, the daily limits and the latency (a part of `Sandbox`)."""

    _rate_limit: int
    _daily_limits: DailyLimits
    _latency_ms: float
    _api: NotifyApi | None
    _server: SandboxHTTPServer | None

    @property
    def rate_limit(self) -> int:
        """Requests a minute allowed for each API key; setting it refills the buckets.

        Raises:
            ValueError: On setting, the value is less than 1.
        """
        return self._rate_limit

    @rate_limit.setter
    def rate_limit(self, per_minute: int) -> None:
        if per_minute < 1:
            raise ValueError("rate_limit must be at least 1 request per minute")
        self._rate_limit = per_minute
        if self._api is not None:
            self._api.set_rate_limit(per_minute)

    @property
    def daily_limits(self) -> DailyLimits:
        """The messages of each type the service may send a day (change with `set_daily_limit`)."""
        return self._daily_limits

    def set_daily_limit(self, limit: int | Mapping[str, int] | DailyLimits | None) -> None:
        """Change the daily limits, whether running or not.

        Args:
            limit: An int applies to sms, email and letter; a mapping sets the types it names
                (``sms``, ``email``, ``letter``, ``international_sms``); `None` restores the
                defaults.

        Raises:
            ValueError: A limit is negative, or a mapping names an unknown type.
        """
        self._daily_limits = DailyLimits.from_setting(limit)
        if self._api is not None:
            self._api.daily_limits = self._daily_limits

    @property
    def latency_ms(self) -> float:
        """Milliseconds the sandbox waits before answering each request.

        Raises:
            ValueError: On setting, the value is negative.
        """
        return self._latency_ms

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        if value < 0:
            raise ValueError("latency_ms cannot be negative")
        self._latency_ms = value
        if self._server is not None:
            self._server.latency_ms = value
