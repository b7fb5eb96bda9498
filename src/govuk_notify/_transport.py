"""The HTTP layer: one ``requests.Session``, a fresh JWT per attempt, timeouts, the retry loop,
and the mapping of every failure to an SDK error.

Notify has no idempotency key, so a send (``POST /v2/notifications/*``) is retried only when the
request cannot have reached the server (it never left: DNS failure, refused connection, connect
timeout) or when the server refused it with a per-minute ``RateLimitError`` before creating
anything. Reads are also retried after read timeouts, dropped connections and 500/502/503/504.
A send that may have reached Notify without a clear answer raises ``SendStatusUnknownError``.

No exception of ``requests`` or ``urllib3`` is chained to the errors raised here: their text holds
the URL (with its query string) and they keep the prepared request (with the ``Authorization``
header) as an attribute.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeAlias
from urllib.parse import quote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import DecodeError, HTTPError, NameResolutionError, NewConnectionError
from urllib3.exceptions import ReadTimeoutError as _Urllib3ReadTimeout
from urllib3.util.retry import Retry

from ._version import __version__
from .auth import ApiKey
from .errors import (
    APIError,
    AuthError,
    BadRequestError,
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    DailyLimitError,
    ErrorItem,
    InvalidBaseURLError,
    InvalidResponseError,
    NotFoundError,
    NotifyConnectionError,
    NotifyError,
    PDFNotReadyError,
    RateLimitError,
    ReadTimeoutError,
    SendStatusUnknownError,
    ServerError,
    TLSError,
)

__all__ = [
    "USER_AGENT",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "check_base_url",
    "send_may_have_arrived",
]

logger = logging.getLogger("govuk_notify")

Timeout: TypeAlias = "float | tuple[float, float]"
"""Seconds: one number for both phases, or ``(connect, read)``."""

CallKind = Literal["send", "read"]
"""``send`` for ``POST /v2/notifications/*``; ``read`` for GETs and template previews."""

USER_AGENT = f"NOTIFY-API-PYTHON-GOVUK-NOTIFY/{__version__}"

RETRYABLE_STATUSES = frozenset((500, 502, 503, 504))
"""Statuses after which a read is retried (and a send, with ``retry_sends_on_server_error``)."""
MAYBE_SENT_STATUSES = frozenset((502, 504))
"""Gateway statuses: the gateway may have passed the send on before it failed."""

_CHUNK_SIZE = 16 * 1024
_POOL_SIZE = 32


def _seconds(name: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ConfigurationError(f"{name} must be a finite number of seconds, 0 or more")
    return float(value)


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

    What is retried (:meth:`wait_before_retry` decides):

    ============================================  =======  ======================================
    failure                                       send     read (GET, template preview)
    ============================================  =======  ======================================
    DNS failure, refused connection, connect      yes      yes
    timeout (``ConnectError``)
    429 ``RateLimitError``                        yes      yes
    read timeout, connection dropped              no [1]   yes
    500, 502, 503, 504                            opt-in   yes
    429 daily limit, any other 4xx, TLS failure   no       no
    ============================================  =======  ======================================

    [1] raised as ``SendStatusUnknownError``, as are 502 and 504 answers to a send.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_sends_on_server_error: bool = False

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ConfigurationError("max_retries must be a whole number, 0 or more")
        _seconds("initial_delay", self.initial_delay)
        _seconds("max_delay", self.max_delay)
        _seconds("max_retry_after", self.max_retry_after)
        if not isinstance(self.retry_sends_on_server_error, bool):
            raise ConfigurationError("retry_sends_on_server_error must be True or False")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry number ``retry_number`` (0 for the first retry)."""
        if retry_number < 0:
            raise ValueError("retry_number must be 0 or more")
        try:
            delay = min(self.initial_delay * 2.0**retry_number, self.max_delay)
        except OverflowError:  # 2.0 ** 1024 and beyond
            delay = self.max_delay if self.initial_delay > 0 else 0.0
        return delay * (1.0 - 0.25 * random.random())

    def delay(self, retry_number: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number ``retry_number``, or None when no retry is left
        or the server asked for a longer wait than ``max_retry_after``."""
        if retry_number >= self.max_retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(retry_number)

    def wait_before_retry(
        self, kind: CallKind, error: NotifyError, retry_number: int
    ) -> float | None:
        """Seconds to wait before trying again after ``error``, or None: do not retry.

        ``retry_number`` counts the retries already made (0 after the first attempt).
        """
        if isinstance(error, RateLimitError):
            return self.delay(retry_number, error.retry_after)
        if isinstance(error, ConnectError):
            # The request never left (ConnectTimeoutError is a ConnectError too).
            return self.delay(retry_number, None)
        if isinstance(error, (ReadTimeoutError, ConnectionDroppedError)):
            return self.delay(retry_number, None) if kind == "read" else None
        if (
            isinstance(error, ServerError)
            and error.status_code in RETRYABLE_STATUSES
            and (kind == "read" or self.retry_sends_on_server_error)
        ):
            return self.delay(retry_number, None)
        return None


def send_may_have_arrived(error: NotifyError) -> bool:
    """Whether a send that failed with ``error`` may nevertheless have reached Notify: the
    request went out and no clear answer came back (a read timeout, a connection dropped after
    sending, an unclassified connection failure, or a 502/504 from a gateway)."""
    if isinstance(error, (ConnectError, TLSError)):
        return False
    if isinstance(error, NotifyConnectionError):
        return True
    return isinstance(error, ServerError) and error.status_code in MAYBE_SENT_STATUSES


_LOOPBACK_NAMES = frozenset(("localhost",))


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # Only 127.0.0.0/8 and ::1: an IPv4-mapped address (::ffff:127.0.0.1) counts as loopback
    # from Python 3.13 on but not before, so it is refused on every version.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return False
    return address.is_loopback


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing ``/``.

    Only ``https`` is accepted, except plain ``http`` to a loopback host (``localhost``,
    127.0.0.0/8 or ``::1``), such as the embedded sandbox. The URL may have a path, but no user
    name, password, query string or fragment. The messages name the scheme and host only.
    """
    if not isinstance(base_url, str):
        raise InvalidBaseURLError(f"base_url must be a str, not {type(base_url).__name__}")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in base_url):
        raise InvalidBaseURLError("base_url must not contain spaces or control characters")
    parts = urlsplit(base_url)
    scheme = parts.scheme
    if scheme not in ("http", "https"):
        raise InvalidBaseURLError(
            "base_url must start with https:// "
            f"(it starts with {scheme + ':' if scheme else 'no scheme'})"
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidBaseURLError("base_url must not hold a user name or password")
    host = parts.hostname or ""
    if not host:
        raise InvalidBaseURLError("base_url has no host name")
    if "?" in base_url or "#" in base_url:
        raise InvalidBaseURLError("base_url must not have a query string or fragment")
    try:
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError:
        raise InvalidBaseURLError(f"base_url for host {host!r} has an invalid port") from None
    if scheme == "http" and not _is_loopback(host):
        raise InvalidBaseURLError(
            f"base_url http://{host} is plain http; Notify needs https (http is allowed only to "
            "a loopback host: localhost, 127.0.0.0/8 or ::1, such as the embedded sandbox)"
        )
    return base_url.rstrip("/")


_TIMEOUT_RULE = "must be a positive number of seconds or a (connect, read) pair of them"


def _check_timeout(timeout: Timeout, *, per_call: bool = False) -> Timeout:
    """The timeout, checked: a client setting (``ConfigurationError``) or, ``per_call``, a
    method's argument (pydantic's ``ValidationError``, the rule for every argument)."""
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if (isinstance(timeout, tuple) and len(values) != 2) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0
        for v in values
    ):
        if per_call:
            from .models._base import argument_error

            raise argument_error("timeout", _TIMEOUT_RULE, title="NotifyClient")
        raise ConfigurationError(f"timeout {_TIMEOUT_RULE}")
    return timeout


def _attempt_limit(timeout: Timeout) -> float:
    """The most seconds one attempt may take: the connect and the read timeouts added up."""
    if isinstance(timeout, tuple):
        return float(timeout[0]) + float(timeout[1])
    return 2.0 * float(timeout)


def _parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date; None if unreadable."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
            seconds = when.timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def _error_items(response: requests.Response) -> list[ErrorItem]:
    """Read both error body shapes: ``{"status_code", "errors"}`` and ``{"result", "message"}``."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
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
        return RateLimitError(
            status, items, _parse_retry_after(response.headers.get("Retry-After"))
        )
    if status >= 500:
        return ServerError(status, items)
    return APIError(status, items)


def _os_reason(err: BaseException) -> str:
    """The operating system's words for the innermost socket error (``Connection refused``),
    never the text of a requests or urllib3 exception (which holds the URL)."""
    seen: set[int] = set()
    current: BaseException | None = err
    found = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and isinstance(current.strerror, str):
            found = current.strerror
        current = current.__cause__ or current.__context__
    return found


_CONFIGURATION_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.URLRequired,
)


def _connection_error(err: requests.RequestException, where: str) -> NotifyError:
    """The SDK error for a failure before the answer's headers arrived. ``where`` is the
    ``host:port`` tried; a path or query string is never named (it may hold an id)."""
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return ConnectTimeoutError(f"Timed out connecting to Notify at {where}")
    if isinstance(err, requests.exceptions.ProxyError):
        return ConnectError("Could not connect to the proxy")
    if isinstance(err, requests.exceptions.SSLError):
        detail = _os_reason(err) or "is the certificate trusted?"
        return TLSError(f"The TLS handshake with Notify at {where} failed ({detail})")
    if isinstance(err, requests.exceptions.ReadTimeout):
        return ReadTimeoutError(f"Timed out waiting for the answer of Notify at {where}")
    if isinstance(err, _CONFIGURATION_ERRORS):
        return ConfigurationError(
            f"The request could not be made ({type(err).__name__}): check the session's "
            "proxies and headers"
        )
    if isinstance(err, requests.exceptions.ConnectionError):
        inner = err.args[0] if err.args else None
        reason = getattr(inner, "reason", None)  # urllib3's MaxRetryError says why
        if isinstance(reason, NameResolutionError):
            detail = _os_reason(reason) or "unknown host"
            return ConnectError(f"Could not resolve the host name of Notify at {where} ({detail})")
        if isinstance(reason, NewConnectionError):
            detail = _os_reason(reason) or "no connection"
            return ConnectError(f"Could not connect to Notify at {where} ({detail})")
        if isinstance(inner, _Urllib3ReadTimeout) or isinstance(reason, _Urllib3ReadTimeout):
            return ReadTimeoutError(f"Timed out waiting for the answer of Notify at {where}")
        detail = _os_reason(err) or "closed by the other end"
        return ConnectionDroppedError(
            f"The connection to Notify at {where} dropped before it answered ({detail})"
        )
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return ConnectionDroppedError(
            f"The connection to Notify at {where} dropped before it answered"
        )
    return NotifyConnectionError(f"The request to Notify at {where} failed ({type(err).__name__})")


def _body_error(err: Exception, status: int) -> NotifyError:
    """The SDK error for a failure while reading the body of an answer with status ``status``
    (``err`` is a urllib3 or a requests exception, whichever read the body)."""
    inner = err.args[0] if isinstance(err, requests.RequestException) and err.args else err
    if isinstance(inner, DecodeError) or isinstance(err, requests.exceptions.ContentDecodingError):
        detail = "the compressed body could not be decoded"
        if status == 201:  # worded as the client words an unreadable 201
            detail = f"Notify accepted the message (HTTP 201), but {detail}; do not send it again"
        return InvalidResponseError(detail, status_code=status)
    if isinstance(inner, _Urllib3ReadTimeout):
        return ReadTimeoutError(
            f"Timed out reading Notify's answer (HTTP {status})", status_code=status
        )
    detail = _os_reason(err) or "closed by the other end"
    return ConnectionDroppedError(
        f"Notify's answer (HTTP {status}) was cut off ({detail})", status_code=status
    )


class _AttemptTooLongError(Exception):
    pass


def _read_body(response: requests.Response, deadline: float) -> None:
    """Read the whole body, giving up once ``deadline`` has passed: the read timeout bounds each
    wait for more bytes, and the deadline bounds a body trickled slowly byte after byte.

    ``read1`` returns whatever has arrived (urllib3 2.3 and later); ``iter_content`` waits for
    whole chunks, so it is only the fallback for other ``raw`` objects."""
    chunks: list[bytes] = []
    read1 = getattr(response.raw, "read1", None)
    if read1 is None:
        for chunk in response.iter_content(_CHUNK_SIZE):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _AttemptTooLongError
    else:
        while chunk := read1(_CHUNK_SIZE, decode_content=True):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _AttemptTooLongError
    response._content = b"".join(chunks)
    response._content_consumed = True  # type: ignore[attr-defined]


class Transport:
    """Sends requests for one client. Safe to share between threads: every attempt builds its own
    request and token, and the session's connection pool is thread-safe."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        timeout: Timeout,
        session: requests.Session | None,
        retry: RetryPolicy,
    ) -> None:
        if not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, not {type(retry).__name__}")
        self._key = api_key
        self.base_url = check_base_url(base_url)
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.where = f"{parts.hostname}:{port}"
        """The ``host:port`` connection errors name."""
        self.timeout = _check_timeout(timeout)
        self.retry = retry
        self.owns_session = session is None
        if session is None:
            session = requests.Session()
            # No retries hidden underneath: every retry decision is made here.
            adapter = HTTPAdapter(
                pool_maxsize=_POOL_SIZE,
                max_retries=Retry(total=0, read=False, redirect=False),
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        # Header values may be bytes in a session; http.client sends bytes as latin-1.
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(
            {
                name: value.decode("latin-1") if isinstance(value, bytes) else value
                for name, value in session.headers.items()
                if value is not None  # requests' way of removing a default header
            }
        )
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
        # read once here instead, with the session's own proxies, verify and cert merged in.
        # The session's verify is passed explicitly so that a CA bundle set on the session wins
        # over REQUESTS_CA_BUNDLE (requests would let the environment win), and verification
        # stays on unless the session itself turns it off.
        self._send_settings = session.merge_environment_settings(
            self.base_url, {}, None, session.verify, session.cert
        )

    def __repr__(self) -> str:
        return (
            f"Transport(base_url={self.base_url!r}, timeout={self.timeout!r}, retry={self.retry!r})"
        )

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
        """Send with retries; return a 2xx response (its body read) or raise an SDK error.

        ``route`` is the path template (no ids), the only part of the URL that is logged.
        """
        url = self.url(path, params)
        request_timeout = (
            self.timeout if timeout is None else _check_timeout(timeout, per_call=True)
        )
        limit = _attempt_limit(request_timeout)
        retry_number = 0
        while True:
            attempt = retry_number + 1
            started = time.monotonic()
            outcome = self._attempt(method, url, body, request_timeout, started + limit)
            elapsed = time.monotonic() - started
            if isinstance(outcome, requests.Response):
                status: int | None = outcome.status_code
                if 200 <= outcome.status_code < 300:
                    if logger.isEnabledFor(logging.DEBUG):
                        _log(logging.DEBUG, method, route, attempt, status, None, elapsed, None)
                    return outcome
                error: NotifyError = api_error(outcome)
            else:
                error = outcome
                status = getattr(error, "status_code", None)
            wait = self.retry.wait_before_retry(kind, error, retry_number)
            if logger.isEnabledFor(logging.INFO):
                _log(logging.INFO, method, route, attempt, status, error, elapsed, wait)
            if wait is None:
                if kind == "send" and send_may_have_arrived(error):
                    reason = (
                        f"HTTP {error.status_code} from a gateway"
                        if isinstance(error, APIError)
                        else str(error)
                    )
                    raise SendStatusUnknownError(
                        reason, reference=reference, status_code=status
                    ) from error
                raise error
            time.sleep(wait)
            retry_number += 1

    def _attempt(
        self, method: str, url: str, body: bytes | None, timeout: Timeout, deadline: float
    ) -> requests.Response | NotifyError:
        """One attempt: the response with its body read, or the error that ended it. The error
        is returned, not raised, so that the requests exception is not its ``__context__``."""
        try:
            response = self._send(method, url, body, timeout)
        except requests.RequestException as err:
            return _connection_error(err, self.where)
        try:
            _read_body(response, deadline)
        except (requests.RequestException, HTTPError, OSError) as err:
            response.close()
            return _body_error(err, response.status_code)
        except _AttemptTooLongError:
            response.close()
            status = response.status_code
            return ReadTimeoutError(
                f"Notify's answer (HTTP {status}) did not arrive in full within the timeouts",
                status_code=status,
            )
        return response

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
            stream=True,
            verify=settings["verify"],
            proxies=settings["proxies"],
            cert=settings["cert"],
        )


def _log(
    level: int,
    method: str,
    route: str,
    attempt: int,
    status: int | None,
    error: NotifyError | None,
    elapsed: float,
    wait: float | None,
) -> None:
    """One line per attempt: method, path template, attempt, status (or the error's class),
    elapsed seconds and what happens next. Never the URL, a body, a header or the key."""
    extra: dict[str, Any] = {
        "notify_method": method,
        "notify_path": route,
        "notify_attempt": attempt,
        "notify_status": status,
        "notify_error": type(error).__name__ if error is not None else None,
        "notify_elapsed": round(elapsed, 6),
        "notify_retry_in": wait,
    }
    if error is None:
        logger.log(
            level,
            "%s %s attempt %d: HTTP %d in %.3fs",
            method,
            route,
            attempt,
            status,
            elapsed,
            extra=extra,
        )
        return
    outcome = type(error).__name__ if status is None else f"HTTP {status} {type(error).__name__}"
    after = "no retry" if wait is None else f"retrying in {wait:.2f}s"
    logger.log(
        level,
        "%s %s attempt %d: %s after %.3fs, %s",
        method,
        route,
        attempt,
        outcome,
        elapsed,
        after,
        extra=extra,
    )
