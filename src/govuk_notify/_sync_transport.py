"""The sync transport.

One ``requests.Session``, a fresh JWT per attempt, timeouts, and the retry loop. What to retry is
decided by :mod:`govuk_notify.retry`; only the I/O and the waiting are written here (the async
transport has its own loop over the same decisions).

No exception of ``requests`` or ``urllib3`` is chained to the errors raised here: their text holds
the URL (with its query string) and they keep the prepared request (with the ``Authorization``
header) as an attribute.
"""

from __future__ import annotations

import time
from typing import TypeVar

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import DecodeError, HTTPError, NameResolutionError, NewConnectionError
from urllib3.exceptions import ReadTimeoutError as _Urllib3ReadTimeout
from urllib3.util.retry import Retry

from ._attempt import Answer, Wait, settle
from ._base_url import USER_AGENT, build_url, check_base_url, where
from ._endpoint import Call
from ._errors_map import os_reason
from .auth import ApiKey
from .errors import (
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    InvalidResponseError,
    NotifyConnectionError,
    NotifyError,
    ReadTimeoutError,
    TLSError,
)
from .retry import (
    RetryPolicy,
    Timeout,
    attempt_limit,
    check_timeout,
    transport_retries_rate_limits,
)

__all__ = ["Transport"]

R = TypeVar("R")

_CHUNK_SIZE = 16 * 1024
_POOL_SIZE = 32


_CONFIGURATION_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.URLRequired,
)


def _connection_error(err: requests.RequestException, where: str) -> NotifyError:
    """The SDK error for a failure before the answer's headers arrived.

    ``where`` is the ``host:port`` tried; a path or query string is never named (it may hold an id).
    """
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return ConnectTimeoutError(f"Timed out connecting to Notify at {where}")
    if isinstance(err, requests.exceptions.ProxyError):
        return ConnectError("Could not connect to the proxy")
    if isinstance(err, requests.exceptions.SSLError):
        detail = os_reason(err) or "is the certificate trusted?"
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
            detail = os_reason(reason) or "unknown host"
            return ConnectError(f"Could not resolve the host name of Notify at {where} ({detail})")
        if isinstance(reason, NewConnectionError):
            detail = os_reason(reason) or "no connection"
            return ConnectError(f"Could not connect to Notify at {where} ({detail})")
        if isinstance(inner, _Urllib3ReadTimeout) or isinstance(reason, _Urllib3ReadTimeout):
            return ReadTimeoutError(f"Timed out waiting for the answer of Notify at {where}")
        detail = os_reason(err) or "closed by the other end"
        return ConnectionDroppedError(
            f"The connection to Notify at {where} dropped before it answered ({detail})"
        )
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return ConnectionDroppedError(
            f"The connection to Notify at {where} dropped before it answered"
        )
    return NotifyConnectionError(f"The request to Notify at {where} failed ({type(err).__name__})")


def _body_error(err: Exception, status: int) -> NotifyError:
    """The SDK error for a failure while reading the body of an answer.

    ``err`` is a urllib3 or a requests exception, whichever read the body.
    """
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
    detail = os_reason(err) or "closed by the other end"
    return ConnectionDroppedError(
        f"Notify's answer (HTTP {status}) was cut off ({detail})", status_code=status
    )


class _AttemptTooLongError(Exception):
    pass


def _read_body(response: requests.Response, deadline: float) -> None:
    """Read the whole body, giving up once ``deadline`` has passed.

    The read timeout bounds each wait for more bytes, and the deadline bounds a body trickled slowly
    byte after byte.

    ``read1`` returns whatever has arrived (urllib3 2.3 and later); ``iter_content`` waits for
    whole chunks, so it is only the fallback for other ``raw`` objects.
    """
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
    """Sends requests for one sync client.

    Safe to share between threads: every attempt builds its own request and token, and the
    session's connection pool is thread-safe.
    """

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
        self.where = where(self.base_url)
        """The ``host:port`` connection errors name."""
        self.timeout = check_timeout(timeout)
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

    def run(self, call: Call[R], timeout: Timeout | None = None) -> R:
        """Make a call with retries and parse its answer.

        Args:
            call: the endpoint, path, query and body.
            timeout: this call's timeout, instead of the client's.

        Returns:
            The endpoint's response model.

        Raises:
            NotifyError: the call failed (``SendStatusUnknownError`` for a send that may have
                arrived).
        """
        method = call.endpoint.method
        url = build_url(self.base_url, call.path, call.params)
        request_timeout = self.timeout if timeout is None else check_timeout(timeout, per_call=True)
        limit = attempt_limit(request_timeout)
        retry_rate_limits = transport_retries_rate_limits()
        retry_number = 0
        while True:
            started = time.monotonic()
            outcome = self._attempt(method, url, call.body, request_timeout, started + limit)
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
            time.sleep(settled.seconds)
            retry_number += 1

    def _attempt(
        self, method: str, url: str, body: bytes | None, timeout: Timeout, deadline: float
    ) -> Answer | NotifyError:
        """One attempt.

        Returns the answer with its body read, or the error that ended it. The error is
        returned, not raised, so that the requests exception is not its ``__context__``.
        """
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
        return Answer(
            response.status_code,
            response.reason or "",
            response.headers.get("Retry-After"),
            response.content,
        )

    def _send(
        self, method: str, url: str, body: bytes | None, timeout: Timeout
    ) -> requests.Response:
        # A PreparedRequest built directly: the URL is already encoded from validated parts and
        # the headers are known, so requests' generic preparation and environment merging are
        # skipped on every call. It goes straight to the session's adapter for the URL (its
        # mounts, pools and TLS settings): Session.send would only add hooks and a cookie jar,
        # which a Notify call does not use, at about a tenth of a send's CPU.
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
        return self.session.get_adapter(url).send(
            prepared,
            stream=True,
            timeout=timeout,
            verify=True if settings["verify"] is None else settings["verify"],  # never off by None
            cert=settings["cert"],
            proxies=settings["proxies"],
        )
