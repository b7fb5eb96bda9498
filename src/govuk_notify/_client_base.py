"""What the sync and the async client share besides their calls.

The settings they show, their ``repr``, and reading the environment.
"""

from __future__ import annotations

import os
from typing import Protocol

from ._base_url import DEFAULT_BASE_URL
from .auth import ApiKey
from .errors import ConfigurationError
from .retry import RetryPolicy, Timeout

__all__ = ["ClientBase", "environment_settings"]


class _Settings(Protocol):
    base_url: str
    retry: RetryPolicy
    timeout: Timeout


class ClientBase:
    """The settings of a client, read-only, and a ``repr`` without the secret."""

    _key: ApiKey
    _transport: _Settings

    @property
    def service_id(self) -> str:
        """The service id from the API key."""
        return self._key.service_id

    @property
    def base_url(self) -> str:
        """The base URL, without a trailing ``/``."""
        return self._transport.base_url

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy."""
        return self._transport.retry

    @property
    def timeout(self) -> Timeout:
        """The timeout of every call without its own."""
        return self._transport.timeout

    def __repr__(self) -> str:
        """Show the base URL, service id and key name; never the secret."""
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, service_id={self.service_id!r}, "
            f"key_name={self._key.key_name!r})"
        )


def environment_settings() -> tuple[str, str]:
    """The API key and base URL that ``from_env`` reads.

    Returns:
        ``NOTIFY_API_KEY``, and ``NOTIFY_BASE_URL`` or Notify's base URL when it is not set.

    Raises:
        ConfigurationError: ``NOTIFY_API_KEY`` is not set.
    """
    api_key = os.environ.get("NOTIFY_API_KEY", "").strip()
    if not api_key:
        raise ConfigurationError("set NOTIFY_API_KEY to your Notify API key")
    return api_key, os.environ.get("NOTIFY_BASE_URL", "").strip() or DEFAULT_BASE_URL
