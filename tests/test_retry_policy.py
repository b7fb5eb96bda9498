"""The retry policy as pure functions (delays, Retry-After, the retry table), then the decisions
it makes proven on the wire: a fresh JWT per attempt, and no retries hidden underneath."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any

import jwt
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from govuk_notify import (
    AsyncNotifyClient,
    AuthError,
    BadRequestError,
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    DailyLimitError,
    InvalidResponseError,
    NotFoundError,
    NotifyClient,
    NotifyConnectionError,
    NotifyError,
    RateLimitError,
    ReadTimeoutError,
    RetryPolicy,
    SendStatusUnknownError,
    ServerError,
    TLSError,
)
from govuk_notify._errors_map import api_error
from govuk_notify._errors_map import parse_retry_after as _parse_retry_after
from govuk_notify.retry import CallKind, send_may_have_arrived

from . import bodies
from .clients import FLAVOURS, Flavour, make_client
from .wire import Reply, WireServer

DEFAULT = RetryPolicy()


def cap(n: int) -> float:
    """``min(0.5 * 2**n, 8)`` without overflowing for large n."""
    return min(0.5 * 2.0 ** min(n, 64), 8.0)


# --- delays -------------------------------------------------------------------------------------


def test_defaults_are_the_documented_ones() -> None:
    assert DEFAULT.max_retries == 2
    assert DEFAULT.initial_delay == 0.5
    assert DEFAULT.max_delay == 8
    assert DEFAULT.max_retry_after == 60
    assert DEFAULT.retry_sends_on_server_error is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.max_retries = 5  # type: ignore[misc]


@given(st.integers(min_value=0, max_value=5000))
def test_default_backoff_stays_in_the_jitter_band(n: int) -> None:
    delay = DEFAULT.backoff(n)
    assert 0.75 * cap(n) <= delay <= cap(n)


@given(
    initial=st.floats(min_value=0, max_value=30),
    maximum=st.floats(min_value=0, max_value=120),
    n=st.integers(min_value=0, max_value=200),
)
def test_backoff_band_for_any_policy(initial: float, maximum: float, n: int) -> None:
    policy = RetryPolicy(initial_delay=initial, max_delay=maximum)
    ceiling = min(initial * 2.0**n, maximum)
    assert 0.75 * ceiling <= policy.backoff(n) <= ceiling


def test_backoff_has_jitter() -> None:
    assert len({DEFAULT.backoff(3) for _ in range(50)}) > 1


@given(
    max_retries=st.integers(min_value=0, max_value=8),
    n=st.integers(min_value=0, max_value=12),
    retry_after=st.none() | st.floats(min_value=0, max_value=300),
)
def test_delay_honours_retry_after_up_to_a_minute_and_stops_after_max_retries(
    max_retries: int, n: int, retry_after: float | None
) -> None:
    policy = RetryPolicy(max_retries=max_retries)
    delay = policy.delay(n, retry_after)
    if n >= max_retries:
        assert delay is None
    elif retry_after is None:
        assert delay is not None
        assert 0.75 * cap(n) <= delay <= cap(n)
    elif retry_after <= 60:
        assert delay == retry_after
    else:
        assert delay is None


def test_retry_after_at_the_edge() -> None:
    assert DEFAULT.delay(0, 60.0) == 60.0
    assert DEFAULT.delay(0, 60.001) is None
    assert RetryPolicy(max_retry_after=5).delay(0, 6) is None
    assert RetryPolicy(max_retries=0).delay(0, 1) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"initial_delay": -0.1},
        {"initial_delay": float("nan")},
        {"max_delay": float("inf")},
        {"max_retry_after": "60"},
        {"retry_sends_on_server_error": "yes"},
    ],
)
def test_bad_policies_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        RetryPolicy(**changes)
    assert isinstance(caught.value, ValueError)


# --- Retry-After --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("5", 5.0), ("0.25", 0.25), ("0", 0.0), ("-3", 0.0), ("soon", None), ("nan", None)],
)
def test_retry_after_values(header: str, seconds: float | None) -> None:
    assert _parse_retry_after(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    ahead = _parse_retry_after(formatdate(time.time() + 30, usegmt=True))
    assert ahead is not None
    assert 25 <= ahead <= 31
    assert _parse_retry_after(formatdate(time.time() - 3600, usegmt=True)) == 0.0
    assert _parse_retry_after("Fri, 99 Foo 2024 99:99:99 GMT") is None


@given(st.text(max_size=40))
def test_any_retry_after_text_parses_or_is_ignored(header: str) -> None:
    seconds = _parse_retry_after(header)
    assert seconds is None or seconds >= 0


# --- the retry table ----------------------------------------------------------------------------


def from_status(status: int, name: str = "Error", headers: dict[str, str] | None = None) -> Any:
    """An answer mapped as both transports map it: status, reason, body, ``Retry-After``."""
    content = json.dumps(bodies.error(status, name, "x")).encode()
    retry_after = (headers or {}).get("Retry-After")
    return lambda: api_error(status, "", content, retry_after)


FAILURES: dict[str, Callable[[], NotifyError]] = {
    "dns": lambda: ConnectError("Could not resolve Notify's host name"),
    "refused": lambda: ConnectError("Could not connect to Notify (Connection refused)"),
    "connect timeout": lambda: ConnectTimeoutError("Timed out connecting to Notify"),
    "rate limit": from_status(429, "RateLimitError"),
    "rate limit, Retry-After 1": from_status(429, "RateLimitError", {"Retry-After": "1"}),
    "read timeout": lambda: ReadTimeoutError("Timed out waiting"),
    "dropped": lambda: ConnectionDroppedError("The connection dropped"),
    "body cut off": lambda: ConnectionDroppedError("cut off", status_code=201),
    "500": from_status(500, "Exception"),
    "502": from_status(502),
    "503": from_status(503),
    "504": from_status(504, "EventletTimeout"),
    "501": from_status(501),
    "505": from_status(505),
    "daily limit": from_status(429, "TooManyRequestsError"),
    "daily limit, Retry-After 0": from_status(429, "TooManyRequestsError", {"Retry-After": "0"}),
    "400": from_status(400, "BadRequestError"),
    "401": from_status(401, "AuthError"),
    "403": from_status(403, "AuthError"),
    "404": from_status(404, "NoResultFound"),
    "405": from_status(405),
    "409": from_status(409),
    "TLS": lambda: TLSError("handshake failed"),
    "unclassified": lambda: NotifyConnectionError("The request failed (RequestException)"),
    "invalid response": lambda: InvalidResponseError("not JSON", status_code=200),
}

# failure: (retried for a send, for a read, for a send with retry_sends_on_server_error)
RETRIED: dict[str, tuple[bool, bool, bool]] = {
    "dns": (True, True, True),
    "refused": (True, True, True),
    "connect timeout": (True, True, True),
    "rate limit": (True, True, True),
    "rate limit, Retry-After 1": (True, True, True),
    "read timeout": (False, True, False),
    "dropped": (False, True, False),
    "body cut off": (False, True, False),
    "500": (False, True, True),
    "502": (False, True, True),
    "503": (False, True, True),
    "504": (False, True, True),
    "501": (False, False, False),
    "505": (False, False, False),
    "daily limit": (False, False, False),
    "daily limit, Retry-After 0": (False, False, False),
    "400": (False, False, False),
    "401": (False, False, False),
    "403": (False, False, False),
    "404": (False, False, False),
    "405": (False, False, False),
    "409": (False, False, False),
    "TLS": (False, False, False),
    "unclassified": (False, False, False),
    "invalid response": (False, False, False),
}

# A send that ends with one of these may have reached Notify: SendStatusUnknownError.
MAYBE_SENT = {"read timeout", "dropped", "body cut off", "502", "504", "unclassified"}


def test_the_table_covers_every_failure() -> None:
    assert set(RETRIED) == set(FAILURES)
    assert MAYBE_SENT.issubset(FAILURES)


def test_status_mapping_behind_the_table() -> None:
    assert type(FAILURES["daily limit"]()) is DailyLimitError
    assert type(FAILURES["rate limit"]()) is RateLimitError
    assert type(FAILURES["400"]()) is BadRequestError
    assert type(FAILURES["403"]()) is AuthError
    assert type(FAILURES["404"]()) is NotFoundError
    assert type(FAILURES["503"]()) is ServerError


@given(
    failure=st.sampled_from(sorted(FAILURES)),
    kind=st.sampled_from(["send", "read"]),
    opt_in=st.booleans(),
    max_retries=st.integers(min_value=0, max_value=4),
    retry_number=st.integers(min_value=0, max_value=5),
)
def test_retry_decisions_follow_the_table(
    failure: str, kind: CallKind, opt_in: bool, max_retries: int, retry_number: int
) -> None:
    policy = RetryPolicy(max_retries=max_retries, retry_sends_on_server_error=opt_in)
    error = FAILURES[failure]()
    send, read, send_opted_in = RETRIED[failure]
    expected = read if kind == "read" else (send_opted_in if opt_in else send)
    wait = policy.wait_before_retry(kind, error, retry_number)
    if not expected or retry_number >= max_retries:
        assert wait is None
        return
    assert wait is not None
    if failure == "rate limit, Retry-After 1":
        assert wait == 1.0
    else:
        assert 0.75 * cap(retry_number) <= wait <= cap(retry_number)


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_which_failed_sends_may_have_arrived(failure: str) -> None:
    assert send_may_have_arrived(FAILURES[failure]()) is (failure in MAYBE_SENT)


# --- on the wire --------------------------------------------------------------------------------

FAST = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.02)


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


def do_send(client: NotifyClient) -> object:
    return client.send_sms_notification("07700900123", bodies.TEMPLATE_ID, reference="r-1")


def do_read(client: NotifyClient) -> object:
    return client.get_template(bodies.TEMPLATE_ID)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_attempt_signs_a_fresh_jwt(server: WireServer, flavour: Flavour) -> None:
    rate_limited = bodies.error(429, "RateLimitError", "Exceeded rate limit")
    server.add(
        Reply(429, rate_limited, {"Retry-After": "1"}),
        Reply(429, rate_limited, {"Retry-After": "1"}),
        Reply(201, bodies.sms_response()),
    )
    with make_client(flavour, bodies.API_KEY, server.url, retry=FAST) as client:
        do_send(client)
    assert len(server.requests) == 3
    tokens = [r.headers["Authorization"].removeprefix("Bearer ") for r in server.requests]
    claims = [jwt.decode(t, bodies.SECRET, algorithms=["HS256"]) for t in tokens]
    assert all(set(c) == {"iss", "iat"} and c["iss"] == bodies.SERVICE_ID for c in claims)
    issued = [c["iat"] for c in claims]
    assert issued[0] < issued[1] < issued[2]  # signed at each attempt, a second apart
    assert len(set(tokens)) == 3


@pytest.mark.parametrize(
    "reply", [Reply(action="close"), Reply(action="reset")], ids=["close", "reset"]
)
@pytest.mark.parametrize("own_client", [False, True], ids=["client-made", "caller-made"])
def test_no_retries_hidden_underneath_the_async_client(
    server: WireServer, reply: Reply, own_client: bool
) -> None:
    server.default = reply
    httpx2 = pytest.importorskip("httpx2")

    async def main() -> None:
        http = httpx2.AsyncClient() if own_client else None
        no_retry = RetryPolicy(max_retries=0)
        async with AsyncNotifyClient(
            bodies.API_KEY, server.url, retry=no_retry, timeout=(5, 10), http_client=http
        ) as client:
            with pytest.raises(NotifyError):
                await client.get_template(bodies.TEMPLATE_ID)
        if http is not None:
            await http.aclose()

    asyncio.run(main())
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(action="close"),
        Reply(action="reset"),
        Reply(action="hang"),
        Reply(200, bodies.template(), action="truncate"),
        Reply(503, bodies.error(503, "Unavailable", "busy")),
    ],
    ids=["close", "reset", "hang", "truncate", "503"],
)
@pytest.mark.parametrize("own_session", [False, True], ids=["client-session", "caller-session"])
def test_no_retries_hidden_underneath(server: WireServer, reply: Reply, own_session: bool) -> None:
    server.default = reply
    session = requests.Session() if own_session else None
    no_retry = RetryPolicy(max_retries=0)
    with NotifyClient(
        bodies.API_KEY, server.url, retry=no_retry, timeout=(1, 0.2), session=session
    ) as client:
        with pytest.raises(NotifyError):
            do_read(client)
        if session is None:
            adapter = client._transport.session.get_adapter(server.url)
            assert adapter.max_retries.total == 0  # type: ignore[attr-defined]
    assert len(server.requests) == 1
    if session is not None:
        session.close()


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthError"),
        (403, "AuthError"),
        (404, "NoResultFound"),
        (405, "error"),
        (429, "TooManyRequestsError"),
        (501, "Error"),
    ],
)
@pytest.mark.parametrize("call", [do_send, do_read], ids=["send", "read"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_never_retried_on_the_wire(
    server: WireServer,
    status: int,
    name: str,
    call: Callable[[NotifyClient], object],
    flavour: Flavour,
) -> None:
    server.default = Reply(status, bodies.error(status, name, "no"), {"Retry-After": "0"})
    with (
        make_client(flavour, bodies.API_KEY, server.url, retry=FAST) as client,
        pytest.raises(NotifyError) as caught,
    ):
        call(client)
    assert len(server.requests) == 1
    assert not isinstance(caught.value, SendStatusUnknownError)
    assert getattr(caught.value, "status_code", None) == status


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_reads_are_retried_on_server_errors(
    server: WireServer, status: int, flavour: Flavour
) -> None:
    server.add(*[Reply(status, bodies.error(status, "Error", "x"))] * 3)
    server.add(Reply(200, bodies.template()))
    with make_client(flavour, bodies.API_KEY, server.url, retry=FAST) as client:
        do_read(client)
    assert len(server.requests) == 4


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_template_preview_counts_as_a_read(server: WireServer, flavour: Flavour) -> None:
    server.add(Reply(action="close"), Reply(503, bodies.error(503, "E", "x")))
    server.add(Reply(200, bodies.preview()))
    with make_client(flavour, bodies.API_KEY, server.url, retry=FAST) as client:
        assert client.post_template_preview(bodies.TEMPLATE_ID, {"name": "Amala"}).version == 3
    assert len(server.requests) == 3


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_sends_are_retried_on_a_per_minute_rate_limit(server: WireServer, flavour: Flavour) -> None:
    server.add(Reply(429, bodies.error(429, "RateLimitError", "Exceeded rate limit")))
    server.add(Reply(201, bodies.sms_response()))
    with make_client(flavour, bodies.API_KEY, server.url, retry=FAST) as client:
        do_send(client)
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body
