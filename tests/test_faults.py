"""Faults on real local sockets, against both clients (NotifyClient and AsyncNotifyClient, one
parametrised test set). Each test says how many requests reached the server and which error came
out: a send is retried only when it cannot have reached the server, a read is retried after any
transient failure, and a send that may have arrived raises SendStatusUnknownError."""

from __future__ import annotations

import gzip
import io
import json
import logging
import pickle
import socket
import threading
import time
import zlib
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from govuk_notify import (
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    DailyLimitError,
    ErrorItem,
    InvalidResponseError,
    NotifyClient,
    NotifyConnectionError,
    NotifyError,
    RateLimitError,
    ReadTimeoutError,
    RetryPolicy,
    SendStatusUnknownError,
    ServerError,
    SmsResponse,
    Template,
    Timeout,
    prepare_upload,
)

from . import bodies
from .clients import FLAVOURS, Flavour, make_client
from .wire import Reply, WireServer, free_port

# Every test here runs against every client: the sync NotifyClient, and the AsyncNotifyClient on
# its own pool and on a caller's httpx2.AsyncClient.
_flavour: list[Flavour] = ["sync"]


@pytest.fixture(autouse=True, params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    _flavour[0] = request.param
    yield request.param
    _flavour[0] = "sync"


FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)
QUICK = (1.0, 0.15)
"""For tests where no answer ever comes."""
REFERENCE = "order-42"
RATE_LIMITED = bodies.error(
    429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
)
DAILY_LIMITED = bodies.error(
    429, "TooManyRequestsError", "Exceeded send limits (sms: 250000) for today"
)
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def client_for(
    url: str, *, retry: RetryPolicy = FAST, timeout: Timeout = (1.0, 0.3)
) -> NotifyClient:
    return make_client(_flavour[0], bodies.API_KEY, url, retry=retry, timeout=timeout)


def send(client: NotifyClient, *, timeout: Timeout | None = None) -> SmsResponse:
    return client.send_sms_notification(
        "07700900123",
        bodies.TEMPLATE_ID,
        personalisation={"code": "123456"},
        reference=REFERENCE,
        timeout=timeout,
    )


def read(client: NotifyClient, *, timeout: Timeout | None = None) -> Template:
    return client.get_template(bodies.TEMPLATE_ID, timeout=timeout)


def attempts(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The transport's one-line-per-attempt records."""
    return [r for r in caplog.records if r.name == "govuk_notify" and hasattr(r, "notify_attempt")]


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="govuk_notify")


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


def unknown_send(error: SendStatusUnknownError, cause: type[NotifyError]) -> NotifyError:
    """The send's reference is carried and the cause is the SDK error, with no requests or
    urllib3 exception chained anywhere below it."""
    assert error.reference == REFERENCE
    assert REFERENCE in str(error)
    assert "get_all_notifications" in str(error)
    underlying = error.__cause__
    assert isinstance(underlying, cause)
    assert underlying.__cause__ is None
    assert underlying.__context__ is None
    return underlying


# --- the request never left: retried for sends too -----------------------------------------------


class _FirstFailure(logging.Handler):
    """Sets ``failed`` when the first attempt has been logged as a failure."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.failed = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "notify_attempt", None) == 1 and getattr(record, "notify_error", None):
            self.failed.set()


def test_refused_send_is_retried_and_succeeds_when_the_server_comes_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    late: list[WireServer] = []
    watcher = _FirstFailure()
    logger = logging.getLogger("govuk_notify")
    logger.addHandler(watcher)

    def start_when_refused() -> None:
        if watcher.failed.wait(10):
            wire = WireServer(Reply(201, bodies.sms_response(REFERENCE)), port=port)
            late.append(wire.start())

    starter = threading.Thread(target=start_when_refused)
    starter.start()
    patient = RetryPolicy(max_retries=6, initial_delay=0.1, max_delay=0.5)
    try:
        with client_for(f"http://127.0.0.1:{port}", retry=patient) as client:
            response = send(client)
    finally:
        logger.removeHandler(watcher)
        starter.join(10)
        for wire in late:
            wire.stop()
    assert response.reference == REFERENCE
    assert len(late) == 1
    assert len(late[0].requests) == 1  # the message went out exactly once
    logged = attempts(caplog)
    assert logged[0].notify_error == "ConnectError"  # type: ignore[attr-defined]
    assert logged[-1].notify_status == 201  # type: ignore[attr-defined]
    assert logged[-1].notify_attempt >= 2  # type: ignore[attr-defined]
    assert all(r.notify_error == "ConnectError" for r in logged[:-1])  # type: ignore[attr-defined]


def test_refused_for_good_raises_connect_error_after_every_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    with client_for(f"http://127.0.0.1:{port}") as client, pytest.raises(ConnectError) as caught:
        send(client)
    assert not isinstance(caught.value, SendStatusUnknownError)
    assert "Connection refused" in str(caught.value)
    # the host and port tried are named; the path (which may hold an id) never is
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "/v2" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert [r.notify_attempt for r in attempts(caplog)] == [1, 2, 3]  # type: ignore[attr-defined]


def test_dns_failure_is_retried_for_a_send(caplog: pytest.LogCaptureFixture) -> None:
    # .invalid never resolves (RFC 2606)
    with client_for("https://notify.invalid") as client, pytest.raises(ConnectError) as caught:
        send(client)
    assert "resolve" in str(caught.value)
    assert "notify.invalid:443" in str(caught.value)
    assert [r.notify_error for r in attempts(caplog)] == ["ConnectError"] * 3  # type: ignore[attr-defined]


class FullBacklog:
    """A listening socket whose accept queue is full: the kernel drops new SYNs, so a connect
    times out. Nothing is ever accepted."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.filler = socket.create_connection(self.sock.getsockname(), timeout=2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def queued(self) -> int:
        self.sock.setblocking(False)
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.filler.close()
        self.sock.close()


def test_connect_timeout_is_retried_for_a_send(caplog: pytest.LogCaptureFixture) -> None:
    backlog = FullBacklog()
    try:
        with (
            client_for(backlog.url, timeout=(0.2, 1.0)) as client,
            pytest.raises(ConnectTimeoutError) as caught,
        ):
            send(client)
        assert isinstance(caught.value, ConnectError)  # the request never left
        assert backlog.queued() == 1  # only the filler: no attempt got a connection
    finally:
        backlog.close()
    assert [r.notify_error for r in attempts(caplog)] == ["ConnectTimeoutError"] * 3  # type: ignore[attr-defined]


# --- accepted, then no answer -------------------------------------------------------------------


def test_accept_then_never_answer_send_is_not_retried(server: WireServer) -> None:
    server.default = Reply(action="hang")
    with (
        client_for(server.url, timeout=QUICK) as client,
        pytest.raises(SendStatusUnknownError) as caught,
    ):
        send(client)
    assert len(server.wait_for_requests(1)) == 1
    unknown_send(caught.value, ReadTimeoutError)
    assert caught.value.status_code is None


def test_accept_then_never_answer_get_is_retried(server: WireServer) -> None:
    server.add(Reply(action="hang"), Reply(action="hang"), Reply(200, bodies.template()))
    with client_for(server.url) as client:
        assert read(client).name == "Application received"
    assert len(server.requests) == 3


def test_accept_then_never_answer_get_gives_up_after_the_retries(server: WireServer) -> None:
    server.default = Reply(action="hang")
    with client_for(server.url, timeout=QUICK) as client, pytest.raises(ReadTimeoutError) as caught:
        read(client)
    assert len(server.wait_for_requests(3)) == 3
    assert caught.value.__context__ is None


class SilentListener:
    """A TCP socket that listens but never accepts: the kernel completes each handshake and
    buffers the request, and nothing answers. ``requests()`` accepts afterwards and returns what
    each connection carried."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def requests(self) -> list[bytes]:
        self.sock.setblocking(False)
        received: list[bytes] = []
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return received
            with conn:
                conn.settimeout(2)
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                received.append(data)

    def close(self) -> None:
        self.sock.close()


def test_tcp_listener_that_never_accepts_send_goes_out_once() -> None:
    listener = SilentListener()
    try:
        with (
            client_for(listener.url, timeout=QUICK) as client,
            pytest.raises(SendStatusUnknownError) as caught,
        ):
            send(client)
        unknown_send(caught.value, ReadTimeoutError)
        received = listener.requests()
    finally:
        listener.close()
    assert len(received) == 1
    assert received[0].startswith(b"POST /v2/notifications/sms HTTP/1.1\r\n")
    assert received[0].count(b"POST ") == 1


def test_a_large_send_nobody_answers_goes_out_once_and_may_have_been_sent() -> None:
    document = b"%PDF" + bytes(range(256)) * (2 * 1024 * 1024 // 256 - 1)
    listener = SilentListener()
    try:
        with (
            client_for(listener.url, timeout=QUICK) as client,
            pytest.raises(SendStatusUnknownError) as caught,
        ):
            client.send_email_notification(
                "someone@example.com",
                bodies.TEMPLATE_ID,
                {"file": prepare_upload(io.BytesIO(document))},
                reference=REFERENCE,
            )
        received = listener.requests()
    finally:
        listener.close()
    assert isinstance(caught.value.__cause__, NotifyConnectionError)
    assert len(received) == 1  # never retried
    assert received[0].startswith(b"POST /v2/notifications/email HTTP/1.1\r\n")


def test_tcp_listener_that_never_accepts_get_is_retried() -> None:
    listener = SilentListener()
    try:
        with client_for(listener.url, timeout=QUICK) as client, pytest.raises(ReadTimeoutError):
            read(client)
        received = listener.requests()
    finally:
        listener.close()
    assert len(received) == 3
    assert all(data.startswith(b"GET /v2/template/") for data in received)


@pytest.mark.parametrize("action", ["close", "reset"])
def test_read_then_drop_send_is_not_retried(server: WireServer, action: str) -> None:
    server.default = Reply(action=action)  # type: ignore[arg-type]
    with client_for(server.url) as client, pytest.raises(SendStatusUnknownError) as caught:
        send(client)
    assert len(server.requests) == 1
    unknown_send(caught.value, ConnectionDroppedError)


@pytest.mark.parametrize("action", ["close", "reset"])
def test_read_then_drop_get_is_retried(server: WireServer, action: str) -> None:
    server.add(
        Reply(action=action),  # type: ignore[arg-type]
        Reply(action=action),  # type: ignore[arg-type]
        Reply(200, bodies.template()),
    )
    with client_for(server.url) as client:
        assert read(client).version == 3
    assert len(server.requests) == 3


# --- gateways and broken bodies -----------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_error_with_html_on_a_send_is_status_unknown(
    server: WireServer, status: int
) -> None:
    server.default = Reply(status, HTML_502, {"Content-Type": "text/html"})
    with client_for(server.url) as client, pytest.raises(SendStatusUnknownError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert caught.value.status_code == status
    cause = unknown_send(caught.value, ServerError)
    assert isinstance(cause, ServerError)
    assert cause.status_code == status
    assert "non-JSON body" in cause.message


def test_502_with_html_on_a_get_is_retried(server: WireServer) -> None:
    server.default = Reply(502, HTML_502, {"Content-Type": "text/html"})
    with client_for(server.url) as client, pytest.raises(ServerError) as caught:
        read(client)
    assert len(server.requests) == 3
    assert caught.value.status_code == 502
    assert "<html>" not in str(caught.value)


def test_cut_off_body_on_a_send_is_status_unknown(server: WireServer) -> None:
    server.default = Reply(201, bodies.sms_response(REFERENCE), action="truncate")
    with client_for(server.url) as client, pytest.raises(SendStatusUnknownError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert caught.value.status_code == 201  # created, but the answer was lost
    cause = unknown_send(caught.value, ConnectionDroppedError)
    assert isinstance(cause, ConnectionDroppedError)
    assert cause.status_code == 201


def test_cut_off_body_on_a_get_is_retried(server: WireServer) -> None:
    server.add(Reply(200, bodies.template(), action="truncate"), Reply(200, bodies.template()))
    with client_for(server.url) as client:
        assert read(client).name == "Application received"
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [200, 201])
def test_complete_answer_with_truncated_json_is_an_invalid_response(
    server: WireServer, status: int
) -> None:
    body = b'{"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "order-42", "cont'
    server.default = Reply(status, body)
    with client_for(server.url) as client, pytest.raises(InvalidResponseError) as caught:
        send(client) if status == 201 else read(client)
    assert len(server.requests) == 1  # not retried: the same answer would come again
    assert caught.value.status_code == status
    assert "not valid JSON" in str(caught.value)


def test_a_gzip_body_is_decoded(server: WireServer) -> None:
    packed = gzip.compress(json.dumps(bodies.template()).encode())
    server.default = Reply(200, packed, {"Content-Encoding": "gzip"})
    with client_for(server.url) as client:
        assert read(client).name == "Application received"
    assert server.last.headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_a_deflate_body_is_decoded_with_or_without_its_zlib_header(
    server: WireServer, wbits: int
) -> None:
    packer = zlib.compressobj(wbits=wbits)
    packed = packer.compress(json.dumps(bodies.template()).encode()) + packer.flush()
    server.default = Reply(200, packed, {"Content-Encoding": "deflate"})
    with client_for(server.url) as client:
        assert read(client).name == "Application received"


def test_a_gzip_body_cut_short_is_an_invalid_response(server: WireServer) -> None:
    packed = gzip.compress(json.dumps(bodies.template()).encode())
    server.default = Reply(200, packed[: len(packed) // 2], {"Content-Encoding": "gzip"})
    with client_for(server.url) as client, pytest.raises(InvalidResponseError) as caught:
        read(client)
    assert caught.value.status_code == 200


def test_a_body_that_does_not_decompress_is_an_invalid_response(server: WireServer) -> None:
    server.default = Reply(201, b"not gzip at all", {"Content-Encoding": "gzip"})
    with client_for(server.url) as client, pytest.raises(InvalidResponseError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert caught.value.status_code == 201
    assert "accepted the message" in str(caught.value)


# --- rate limits --------------------------------------------------------------------------------


def test_429_with_retry_after_is_honoured_for_a_send(
    server: WireServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(Reply(429, RATE_LIMITED, {"Retry-After": "0.2"}), Reply(201, bodies.sms_response()))
    with client_for(server.url) as client:
        send(client)
    assert len(server.requests) == 2
    first = attempts(caplog)[0]
    assert first.notify_status == 429  # type: ignore[attr-defined]
    assert first.notify_retry_in == 0.2  # type: ignore[attr-defined]


def test_429_without_retry_after_backs_off_for_a_send(
    server: WireServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(
        Reply(429, RATE_LIMITED), Reply(429, RATE_LIMITED), Reply(201, bodies.sms_response())
    )
    policy = RetryPolicy(max_retries=2, initial_delay=0.02, max_delay=1)
    with client_for(server.url, retry=policy) as client:
        send(client)
    assert len(server.requests) == 3
    waits = [r.notify_retry_in for r in attempts(caplog)[:2]]  # type: ignore[attr-defined]
    assert 0.015 <= waits[0] <= 0.02
    assert 0.03 <= waits[1] <= 0.04


def test_429_asking_for_more_than_a_minute_is_raised(server: WireServer) -> None:
    server.default = Reply(429, RATE_LIMITED, {"Retry-After": "120"})
    with client_for(server.url) as client, pytest.raises(RateLimitError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert caught.value.retry_after == 120


def test_429_rate_limit_that_never_clears_is_raised_after_the_retries(server: WireServer) -> None:
    server.default = Reply(429, RATE_LIMITED)
    with client_for(server.url) as client, pytest.raises(RateLimitError):
        send(client)
    assert len(server.requests) == 3


def test_429_daily_limit_is_never_retried(server: WireServer) -> None:
    server.default = Reply(429, DAILY_LIMITED, {"Retry-After": "0"})
    with client_for(server.url) as client, pytest.raises(DailyLimitError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert not isinstance(caught.value, RateLimitError)
    assert caught.value.error_names == ("TooManyRequestsError",)


# --- 5xx ----------------------------------------------------------------------------------------


def test_503_on_a_get_is_retried_then_succeeds(server: WireServer) -> None:
    unavailable = bodies.error(503, "ServiceUnavailable", "try later")
    server.add(Reply(503, unavailable), Reply(503, unavailable), Reply(200, bodies.template()))
    with client_for(server.url) as client:
        assert read(client).id is not None
    assert len(server.requests) == 3


def test_503_on_a_send_is_not_retried(server: WireServer) -> None:
    server.default = Reply(503, bodies.error(503, "ServiceUnavailable", "try later"))
    with client_for(server.url) as client, pytest.raises(ServerError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert caught.value.status_code == 503


def test_500_on_a_send_without_the_opt_in_is_raised(server: WireServer) -> None:
    server.add(Reply(500, bodies.error(500, "Exception", "Internal server error")))
    server.add(Reply(201, bodies.sms_response()))
    with client_for(server.url) as client, pytest.raises(ServerError) as caught:
        send(client)
    assert len(server.requests) == 1
    assert type(caught.value) is ServerError  # not "status unknown": Notify answered
    assert caught.value.message == "Internal server error"


def test_500_on_a_send_with_the_opt_in_is_retried(server: WireServer) -> None:
    server.add(Reply(500, bodies.error(500, "Exception", "Internal server error")))
    server.add(Reply(201, bodies.sms_response(REFERENCE)))
    opt_in = RetryPolicy(initial_delay=0.01, retry_sends_on_server_error=True)
    with client_for(server.url, retry=opt_in) as client:
        assert send(client).reference == REFERENCE
    assert len(server.requests) == 2


def test_502_on_a_send_with_the_opt_in_ends_status_unknown(server: WireServer) -> None:
    server.default = Reply(502, HTML_502, {"Content-Type": "text/html"})
    opt_in = RetryPolicy(initial_delay=0.01, retry_sends_on_server_error=True)
    with (
        client_for(server.url, retry=opt_in) as client,
        pytest.raises(SendStatusUnknownError) as caught,
    ):
        send(client)
    assert len(server.requests) == 3
    assert caught.value.status_code == 502


# --- slow answers -------------------------------------------------------------------------------


def test_trickle_with_gaps_longer_than_the_read_timeout_on_a_send(server: WireServer) -> None:
    server.default = Reply(201, bodies.sms_response(), action="trickle", delay=1.0)
    with (
        client_for(server.url, timeout=(1.0, 0.2)) as client,
        pytest.raises(SendStatusUnknownError) as caught,
    ):
        send(client)
    assert len(server.requests) == 1
    assert caught.value.status_code == 201
    cause = unknown_send(caught.value, ReadTimeoutError)
    assert isinstance(cause, ReadTimeoutError)
    assert cause.status_code == 201


def test_trickle_with_gaps_longer_than_the_read_timeout_on_a_get(server: WireServer) -> None:
    server.add(
        Reply(200, bodies.template(), action="trickle", delay=1.0), Reply(200, bodies.template())
    )
    with client_for(server.url, timeout=(1.0, 0.2)) as client:
        assert read(client).version == 3
    assert len(server.requests) == 2


def test_steady_trickle_past_the_timeouts_is_cut_short(server: WireServer) -> None:
    # A byte every 20 ms never trips the read timeout between bytes, and the whole body would
    # take about 20 s; the attempt is abandoned once connect + read (0.6 s) have passed.
    server.default = Reply(200, bodies.template(), action="trickle", delay=0.02)
    no_retry = RetryPolicy(max_retries=0)
    started = time.monotonic()
    with (
        client_for(server.url, retry=no_retry, timeout=(0.3, 0.3)) as client,
        pytest.raises(ReadTimeoutError) as caught,
    ):
        read(client)
    assert time.monotonic() - started < 10
    assert caught.value.status_code == 200
    assert "within the timeouts" in str(caught.value)
    assert len(server.requests) == 1


# --- timeouts: per client and per call ----------------------------------------------------------


@pytest.mark.parametrize("per_call", [0.3, (5.0, 0.3)])
def test_a_per_call_timeout_wins_over_a_long_client_timeout(
    server: WireServer, per_call: Timeout
) -> None:
    server.default = Reply(action="hang")
    no_retry = RetryPolicy(max_retries=0)
    started = time.monotonic()
    with (
        client_for(server.url, retry=no_retry, timeout=25) as client,
        pytest.raises(ReadTimeoutError),
    ):
        read(client, timeout=per_call)
    assert time.monotonic() - started < 10  # the client's 25 s did not apply


def test_a_per_call_timeout_wins_over_a_short_client_timeout(server: WireServer) -> None:
    server.default = Reply(200, bodies.template(), delay=0.6)
    no_retry = RetryPolicy(max_retries=0)
    with client_for(server.url, retry=no_retry, timeout=(1.0, 0.2)) as client:
        with pytest.raises(ReadTimeoutError):
            read(client)
        assert read(client, timeout=(1.0, 5.0)).version == 3  # slower than the client's 0.2 s
    assert len(server.requests) == 2


def test_a_client_timeout_pair_sets_the_read_timeout(server: WireServer) -> None:
    server.default = Reply(action="hang")
    started = time.monotonic()
    with (
        client_for(server.url, retry=RetryPolicy(max_retries=0), timeout=(5.0, 0.3)) as client,
        pytest.raises(ReadTimeoutError),
    ):
        read(client)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), (1.0,), (1.0, 0), "5"])
def test_a_bad_per_call_timeout_is_refused_before_sending(server: WireServer, bad: object) -> None:
    with client_for(server.url) as client, pytest.raises(ValidationError) as caught:
        read(client, timeout=bad)  # type: ignore[arg-type]
    assert caught.value.errors()[0]["loc"] == ("timeout",)
    assert server.requests == []


# --- the errors themselves ----------------------------------------------------------------------


def test_a_send_without_a_reference_says_so(server: WireServer) -> None:
    server.default = Reply(action="close")
    with client_for(server.url) as client, pytest.raises(SendStatusUnknownError) as caught:
        client.send_sms_notification("07700900123", bodies.TEMPLATE_ID)
    assert caught.value.reference is None
    assert "no reference" in str(caught.value)


def test_errors_survive_pickling() -> None:
    """Errors cross process boundaries in task queues; the keyword-only fields survive."""
    samples: list[NotifyError] = [
        SendStatusUnknownError("HTTP 502 from a gateway", reference=REFERENCE, status_code=502),
        ReadTimeoutError("Timed out reading", status_code=201),
        ConnectError("Could not connect"),
        RateLimitError(429, [ErrorItem("RateLimitError", "slow down")], retry_after=3.0),
        InvalidResponseError("not JSON", status_code=200, body_excerpt="<html>"),
    ]
    for error in samples:
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301  (our own bytes)
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)
