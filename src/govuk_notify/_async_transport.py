"""The async transport.

A fresh JWT per attempt, timeouts, and the retry loop, awaited. What to retry is decided by
:mod:`govuk_notify.retry`, exactly as for the sync transport; only the I/O and the waiting are
written here. The I/O goes through the ``httpx2.AsyncClient`` you pass, or one made for a proxy
set in the environment; otherwise through httpcore2's pool on the asyncio backend
(:mod:`govuk_notify._async_pool`).

Cancelling an awaited call (``asyncio.wait_for``, ``task.cancel()``) closes the connection the
attempt was using, so no half-read answer is left in the pool, and the cancellation propagates.
A cancelled send is never retried; when it may have gone out, a WARNING line says so (with its
reference) and a note on the ``CancelledError`` says it too.

No exception of ``httpx2`` or ``httpcore2`` is chained to the errors raised here: their text can
hold the URL, and they keep the request (with the ``Authorization`` header).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from typing import TYPE_CHECKING, Any, TypeVar

from ._async_answer import body_error, connection_error, read_body
from ._attempt import Answer, Wait, settle
from ._base_url import USER_AGENT, build_url, check_base_url, where
from ._endpoint import Call
from ._logging import logger
from .auth import ApiKey
from .errors import ConfigurationError, NotifyError
from .retry import (
    RetryPolicy,
    Timeout,
    attempt_limit,
    check_timeout,
    transport_retries_rate_limits,
)

if TYPE_CHECKING:
    import httpx2

    from ._async_pool import Pool

__all__ = ["AsyncTransport", "import_httpx2"]

R = TypeVar("R")

_POOL_SIZE = 100
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
}


def import_httpx2() -> Any:
    """Import httpx2, or say how to install it.

    Returns:
        The ``httpx2`` module.

    Raises:
        ImportError: httpx2 is not installed (it needs Python 3.11 or later).
    """
    try:
        import httpx2
    except ImportError as err:
        raise ImportError(
            "AsyncNotifyClient needs httpx2, on Python 3.11 or later: "
            "pip install 'govuk-notify[async]'"
        ) from err
    return httpx2


def _environment_proxies() -> bool:
    """Whether the environment names a proxy that httpx2's client would use (``HTTPS_PROXY``)."""
    proxies = urllib.request.getproxies()
    return any(scheme in proxies for scheme in ("http", "https", "all"))


class AsyncTransport:
    """Sends requests for one async client; safe to share between the tasks of one event loop."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        timeout: Timeout,
        http_client: httpx2.AsyncClient | None,
        retry: RetryPolicy,
    ) -> None:
        """Check the settings; make an ``httpx2.AsyncClient`` unless one is given."""
        httpx = import_httpx2()
        if not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, not {type(retry).__name__}")
        self._httpx = httpx
        self._key = api_key
        self.base_url = check_base_url(base_url)
        self.where = where(self.base_url)
        """The ``host:port`` connection errors name."""
        self.timeout = check_timeout(timeout)
        self.retry = retry
        self.owns_client = http_client is None
        self.pool: Pool | None = None
        """httpcore2's pool on the asyncio backend, used when this transport makes its own."""
        if http_client is None:
            if _environment_proxies():
                # httpx2's client reads the proxy variables and routes through the proxy.
                limits = httpx.Limits(
                    max_connections=_POOL_SIZE, max_keepalive_connections=_POOL_SIZE
                )
                http_client = httpx.AsyncClient(limits=limits, follow_redirects=False)
            else:
                from ._async_pool import Pool

                self.pool = Pool(httpx.create_ssl_context(), _POOL_SIZE, self.base_url, _HEADERS)
        elif not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError(
                f"http_client must be an httpx2.AsyncClient, not {type(http_client).__name__}"
            )
        self.http_client: httpx2.AsyncClient | None = http_client
        self._timeouts: dict[Timeout, Any] = {}

    def __repr__(self) -> str:
        """Show the settings; never the key."""
        return (
            f"AsyncTransport(base_url={self.base_url!r}, timeout={self.timeout!r}, "
            f"retry={self.retry!r})"
        )

    @property
    def is_closed(self) -> bool:
        """Whether the HTTP client or pool this client made has been closed."""
        if self.http_client is not None:
            return bool(self.http_client.is_closed)
        return self.pool is not None and self.pool.closed

    async def aclose(self) -> None:
        """Close the HTTP client or pool, if this transport made it."""
        if not self.owns_client:
            return
        if self.pool is not None:
            await self.pool.aclose()
        elif self.http_client is not None:
            await self.http_client.aclose()

    def _timeout(self, timeout: Timeout) -> Any:
        """httpx2's ``Timeout`` for a client's timeout setting (kept for the settings in use)."""
        found = self._timeouts.get(timeout)
        if found is None:
            connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
            found = self._httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
            if len(self._timeouts) < 16:
                self._timeouts[timeout] = found
        return found

    async def run(self, call: Call[R], timeout: Timeout | None = None) -> R:
        """Make a call with retries and parse its answer.

        Args:
            call: the endpoint, path, query and body.
            timeout: this call's timeout, instead of the client's.

        Returns:
            The endpoint's response model.

        Raises:
            NotifyError: the call failed (``SendStatusUnknownError`` for a send that may have
                arrived).
            asyncio.CancelledError: the call was cancelled; never retried.
        """
        endpoint = call.endpoint
        method = endpoint.method
        url = build_url(self.base_url, call.path, call.params)
        request_timeout = self.timeout if timeout is None else check_timeout(timeout, per_call=True)
        limit = attempt_limit(request_timeout)
        retry_rate_limits = transport_retries_rate_limits()
        retry_number = 0
        while True:
            attempt = retry_number + 1
            started = time.monotonic()
            try:
                outcome = await self._attempt(method, url, call.body, request_timeout, limit)
            except asyncio.CancelledError as cancelled:
                if endpoint.kind == "send":
                    self._cancelled_send(cancelled, call, attempt, time.monotonic() - started)
                raise
            elapsed = time.monotonic() - started
            settled = settle(
                call,
                outcome,
                retry_number,
                elapsed,
                self.retry,
                retry_rate_limits=retry_rate_limits,
            )
            if not isinstance(settled, Wait):
                return settled
            await asyncio.sleep(settled.seconds)
            retry_number += 1

    @staticmethod
    def _cancelled_send(
        cancelled: asyncio.CancelledError, call: Call[Any], attempt: int, elapsed: float
    ) -> None:
        """Say that a cancelled send may have gone out: a WARNING line and a note."""
        reference = "no reference" if call.reference is None else f"reference {call.reference!r}"
        message = (
            "the send was cancelled after its request may have gone out: the message may have "
            f"been sent ({reference}); look it up with get_all_notifications before sending again"
        )
        logger.warning(
            "%s %s attempt %d: cancelled after %.3fs, %s",
            call.endpoint.method,
            call.endpoint.route,
            attempt,
            elapsed,
            message,
            extra={
                "notify_method": call.endpoint.method,
                "notify_path": call.endpoint.route,
                "notify_attempt": attempt,
                "notify_status": None,
                "notify_error": "CancelledError",
                "notify_elapsed": round(elapsed, 6),
                "notify_retry_in": None,
            },
        )
        if hasattr(cancelled, "add_note"):
            cancelled.add_note(f"govuk-notify: {message}")

    async def _attempt(
        self, method: str, url: str, body: bytes | None, timeout: Timeout, limit: float
    ) -> Answer | NotifyError:
        """One attempt.

        Returns the answer with its body read, or the error that ended it. The error is
        returned, not raised, so that the httpx2 or httpcore2 exception is not its
        ``__context__``.
        """
        token = self._key.create_token()
        deadline = time.monotonic() + limit
        if self.pool is not None:
            timeouts = self._timeout(timeout).as_dict()
            return await self.pool.attempt(method, url, token, body, timeouts, deadline, self.where)
        headers = dict(_HEADERS)
        headers["Authorization"] = "Bearer " + token
        if body is not None:
            headers["Content-Type"] = "application/json"
        httpx = self._httpx
        client = self.http_client
        assert client is not None
        try:
            request = client.build_request(
                method, url, content=body, headers=headers, timeout=self._timeout(timeout)
            )
            response = await client.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as err:
            return connection_error(httpx, err, self.where)
        status = response.status_code
        try:
            content = await read_body(response.aiter_bytes(), status, deadline)
        except (httpx.HTTPError, httpx.StreamError, OSError) as err:
            return body_error(httpx, err, status)
        finally:
            # A shielded close: a second cancellation cannot leave the connection half-read
            # in the pool (an unread answer's connection is closed, not reused).
            await asyncio.shield(response.aclose())
        if not isinstance(content, bytes):
            return content
        return Answer(status, response.reason_phrase, response.headers.get("Retry-After"), content)
