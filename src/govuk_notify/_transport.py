"""The HTTP layer: one ``requests.Session``, a fresh JWT per attempt, timeouts, the retry loop,
and the mapping of every failure to an SDK error.

Notify has no idempotency key, so a send (``POST /v2/notifications/*``) is retried only when the
request cannot have reached the server (it never left: DNS failure, refused connection, connect
timeout) or when the server refused it with a per-minute ``RateLimitError`` before creating
anything. Reads are also retried after read timeouts, dropped connections and 500/502/503/504.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias
from urllib.parse import quote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import NameResolutionError, NewConnectionError
from urllib3.util.retry import Retry

from ._version import __version__
from .auth import ApiKey
from .errors import (
    APIError,
    AuthError,
    BadRequestError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    DailyLimitError,
    ErrorItem,
    InvalidBaseURLError,
    NotFoundError,
    NotifyConnectionError,
    PDFNotReadyError,
    RateLimitError,
    ReadTimeoutError,
    SendStatusUnknownError,
    ServerError,
    TLSError,
)

__all__ = ["USER_AGENT", "RetryPolicy", "Timeout", "Transport", "check_base_url"]

logger = logging.getLogger("govuk_notify")

Timeout: TypeAlias = "float | tuple[float, float]"
"""Seconds: one number for both phases, or ``(connect, read)``."""

CallKind = Literal["send", "read"]

USER_AGENT = f"NOTIFY-API-PYTHON-GOVUK-NOTIFY/{__version__}"

_RETRYABLE_READ_STATUSES = frozenset((500, 502, 503, 504))
_MAYBE_SENT_STATUSES = frozenset((502, 504))


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    * ``max_retries``: retries after the first attempt (0 turns retrying off).
    * The n-th retry (n from 0) waits ``min(initial_delay * 2**n, max_delay)``, shortened by a
      random jitter of up to 25% so that many clients do not retry in step.
    * A 429 with ``Retry-After`` waits that long instead, if it is at most ``max_retry_after``
      seconds; a longer wait is not made and the ``RateLimitError`` is raised.
    * ``retry_sends_on_server_error``: also retry sends after a 500/502/503/504. Off by default,
      because the message may already have been created: turn it on only if a duplicate message
      is better than a missing one.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_sends_on_server_error: bool = False

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry number ``retry_number`` (0 for the first retry)."""
        delay = min(self.initial_delay * 2.0**retry_number, self.max_delay)
        return delay * (1.0 - 0.25 * random.random())

    def delay(self, retry_number: int, retry_after: float | None) -> float | None:
        """Seconds to wait, or None when the retry should not be made."""
        if retry_number >= self.max_retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(retry_number)


_LOOPBACK_NAMES = frozenset(("localhost", "localhost.localdomain"))


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing ``/``; refuse anything but https (or http to a
    loopback host, such as the embedded sandbox)."""
    if not isinstance(base_url, str):
        raise InvalidBaseURLError(f"base_url must be a str, not {type(base_url).__name__}")
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if not host:
        raise InvalidBaseURLError(f"base_url {base_url!r} has no host")
    if parts.scheme == "http":
        if not _is_loopback(host):
            raise InvalidBaseURLError(
                f"base_url {base_url!r} is plain http; Notify needs https "
                "(http is allowed only to a loopback host, such as the embedded sandbox)"
            )
    elif parts.scheme != "https":
        raise InvalidBaseURLError(f"base_url {base_url!r} must start with https://")
    if parts.username or parts.password:
        raise InvalidBaseURLError("base_url must not hold a user name or password")
    if parts.query or parts.fragment:
        raise InvalidBaseURLError("base_url must not have a query string or fragment")
    try:
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError as err:
        raise InvalidBaseURLError(f"base_url {base_url!r}: {err}") from None
    return base_url.rstrip("/")


def _check_timeout(timeout: Timeout) -> Timeout:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if len(values) not in (1, 2) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ValueError(
            "timeout must be a positive number of seconds or a (connect, read) pair of them"
        )
    return timeout


def _parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def _error_items(response: requests.Response) -> list[ErrorItem]:
    """Read both error body shapes: ``{"status_code", "errors"}`` and ``{"result", "message"}``."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    items: list[ErrorItem] = []
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict):
                    items.append(
                        ErrorItem(
                            error=str(item.get("error", "Error")),
                            message=str(item.get("message", "")),
                        )
                    )
                else:
                    items.append(ErrorItem(error="Error", message=str(item)))
        message = body.get("message")
        if not items and message is not None:
            error = str(body.get("result", "error"))
            if isinstance(message, dict):
                for field, detail in message.items():
                    texts = detail if isinstance(detail, list) else [detail]
                    for text in texts:
                        items.append(ErrorItem(error=error, message=f"{field} {text}"))
            else:
                items.append(ErrorItem(error=error, message=str(message)))
    if not items:
        reason = response.reason or ""
        kind = "JSON" if body is not None else "non-JSON"
        items.append(
            ErrorItem(
                error=f"HTTP{response.status_code}",
                message=f"{response.status_code} {reason} ({kind} body without Notify errors)",
            )
        )
    return items


def api_error(response: requests.Response) -> APIError:
    """The SDK error for an error status."""
    status = response.status_code
    items = _error_items(response)
    names = {item.error for item in items}
    if status == 400:
        if "PDFNotReadyError" in names:
            return PDFNotReadyError(status, items)
        return BadRequestError(status, items)
    if status in (401, 403):
        return AuthError(status, items)
    if status == 404:
        return NotFoundError(status, items)
    if status == 429:
        if "TooManyRequestsError" in names:
            return DailyLimitError(status, items)
        return RateLimitError(status, items, _parse_retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        return ServerError(status, items)
    return APIError(status, items)


def _connection_error(err: requests.RequestException) -> tuple[NotifyConnectionError, bool]:
    """Map a requests failure to an SDK error, and say whether the request never left."""
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return ConnectTimeoutError("Timed out connecting to Notify"), True
    if isinstance(err, requests.exceptions.SSLError):
        return TLSError("The TLS handshake with Notify failed"), False
    if isinstance(err, requests.exceptions.ProxyError):
        return ConnectError("Could not connect through the proxy"), True
    if isinstance(err, requests.exceptions.ReadTimeout):
        return ReadTimeoutError("Timed out waiting for Notify's answer"), False
    if isinstance(err, requests.exceptions.ConnectionError):
        reason = getattr(err.args[0], "reason", None) if err.args else None
        if isinstance(reason, NewConnectionError):
            if isinstance(reason, NameResolutionError):
                return ConnectError("Could not resolve Notify's host name"), True
            return ConnectError("Could not connect to Notify (connection refused)"), True
        return ConnectionDroppedError("The connection closed before Notify answered"), False
    if isinstance(
        err, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
    ):
        return ConnectionDroppedError("The answer from Notify was cut off"), False
    return NotifyConnectionError(f"The request failed ({type(err).__name__})"), False


class Transport:
    """Sends requests for one client. Safe to share between threads."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        timeout: Timeout,
        session: requests.Session | None,
        retry: RetryPolicy,
    ) -> None:
        self._key = api_key
        self.base_url = check_base_url(base_url)
        self.timeout = _check_timeout(timeout)
        self.retry = retry
        self.owns_session = session is None
        if session is None:
            session = requests.Session()
            # No retries hidden underneath: every retry decision is made here.
            adapter = HTTPAdapter(max_retries=Retry(total=0, read=False, redirect=False))
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        headers = CaseInsensitiveDict(session.headers)
        headers.update(
            {
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "keep-alive",
            }
        )
        self._headers = headers
        # requests re-reads proxy and CA settings from the environment on every call; they are
        # read once here instead (with the session's own proxies, verify and cert merged in).
        self._send_settings = session.merge_environment_settings(
            self.base_url, {}, None, None, None
        )
        self._send_settings["stream"] = False

    def close(self) -> None:
        if self.owns_session:
            self.session.close()

    def url(self, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
        url = self.base_url + path
        if params:
            url += "?" + urlencode(params, quote_via=quote)
        return url

    def request(
        self,
        method: str,
        path: str,
        *,
        route: str,
        kind: CallKind,
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        reference: str | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        """Send with retries; return a 2xx response or raise an SDK error.

        ``route`` is the path template (no ids), the only part of the URL that is logged.
        """
        url = self.url(path, params)
        request_timeout = self.timeout if timeout is None else _check_timeout(timeout)
        retry_number = 0
        while True:
            attempt = retry_number + 1
            started = time.monotonic()
            try:
                response = self._send(method, url, body, request_timeout)
            except requests.RequestException as err:
                error, never_left = _connection_error(err)
                elapsed = time.monotonic() - started
                logger.warning(
                    "%s %s attempt %d failed after %.3fs: %s",
                    method,
                    route,
                    attempt,
                    elapsed,
                    type(error).__name__,
                )
                if not never_left and kind == "send":
                    raise SendStatusUnknownError(error.args[0], reference=reference) from error
                wait = self.retry.delay(retry_number, None)
                if wait is None:
                    raise error from None
            else:
                status = response.status_code
                logger.debug(
                    "%s %s attempt %d: %d in %.3fs",
                    method,
                    route,
                    attempt,
                    status,
                    time.monotonic() - started,
                )
                if 200 <= status < 300:
                    return response
                error = api_error(response)
                wait = self._wait_after(error, kind, retry_number)
                if wait is None:
                    if kind == "send" and status in _MAYBE_SENT_STATUSES:
                        raise SendStatusUnknownError(
                            f"HTTP {status} from a gateway", reference=reference, status_code=status
                        ) from error
                    raise error
                logger.info(
                    "%s %s attempt %d: %d, retrying in %.2fs", method, route, attempt, status, wait
                )
            time.sleep(wait)
            retry_number += 1

    def _wait_after(self, error: APIError, kind: CallKind, retry_number: int) -> float | None:
        if isinstance(error, RateLimitError):
            return self.retry.delay(retry_number, error.retry_after)
        if error.status_code in _RETRYABLE_READ_STATUSES and (
            kind == "read" or self.retry.retry_sends_on_server_error
        ):
            return self.retry.delay(retry_number, None)
        return None

    def _send(
        self, method: str, url: str, body: bytes | None, timeout: Timeout
    ) -> requests.Response:
        # A PreparedRequest built directly: the URL is already encoded from validated parts and
        # the headers are known, so requests' generic preparation and environment merging are
        # skipped on every call.
        prepared = requests.PreparedRequest()
        prepared.method = method
        prepared.url = url
        headers = self._headers.copy()
        headers["Authorization"] = "Bearer " + self._key.create_token()
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Length"] = str(len(body))
        prepared.headers = headers
        prepared.body = body
        prepared.hooks = {"response": []}
        settings = self._send_settings
        return self.session.send(
            prepared,
            timeout=timeout,
            allow_redirects=False,
            stream=False,
            verify=settings["verify"],
            proxies=settings["proxies"],
            cert=settings["cert"],
        )

