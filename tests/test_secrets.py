"""Secrets: a whole set of failures runs with every logger at DEBUG and warnings recorded, and
neither the API key's secret, nor any bearer token the servers received, nor the Authorization
header shows up in a log record, an exception (through its whole chain), a repr or a warning.
The SDK's own log lines carry method, path template, attempt, status and elapsed time, and never
a body, personalisation, phone number, email address or query string."""

from __future__ import annotations

import logging
import re
import socket
import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from pydantic import ValidationError

from govuk_notify import (
    AsyncNotifyClient,
    InvalidAPIKeyError,
    InvalidBaseURLError,
    NotifyClient,
    NotifyError,
    RetryPolicy,
)
from govuk_notify.auth import ApiKey

from . import bodies
from .clients import FLAVOURS, Flavour, make_client
from .wire import Reply, WireServer, free_port

PHONE = "07700900123"
EMAIL = "amala.okafor@example.gov.uk"
NAME = "Amala-Okafor-Personal"
REFERENCE = "query-reference-8812"
SECRET_PARTS = (bodies.SECRET, bodies.SECRET[:13], bodies.SECRET[-12:])
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def root_records() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger, at DEBUG, through a handler on the root logger."""
    root = logging.getLogger()
    handler = Collect()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def chain(error: BaseException) -> Iterator[BaseException]:
    """The error and everything reachable through ``__cause__`` and ``__context__``."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def record_texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), str(record.msg), repr(record.args), record.exc_text or ""]
    texts.extend(repr(value) for value in vars(record).values())
    return texts


class SilentListener:
    """Accepts TCP connections in the kernel and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def tokens(self) -> list[str]:
        self.sock.setblocking(False)
        found: list[str] = []
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return found
            with conn:
                conn.settimeout(2)
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
            found += re.findall(r"Authorization: Bearer (\S+)", data.decode("latin-1"))


def run_failures(
    wire: WireServer, listener: SilentListener, flavour: Flavour
) -> list[BaseException]:
    """Every kind of failure the SDK knows, plus successful calls carrying personal data."""
    retry = RetryPolicy(max_retries=1, initial_delay=0.01, max_delay=0.01)
    client = make_client(flavour, bodies.API_KEY, wire.url, retry=retry, timeout=(1.0, 0.2))
    opt_in = RetryPolicy(max_retries=1, initial_delay=0.01, retry_sends_on_server_error=True)
    opted_in = make_client(flavour, bodies.API_KEY, wire.url, retry=opt_in, timeout=(1.0, 0.2))
    constructor = NotifyClient if flavour == "sync" else AsyncNotifyClient

    def sms(c: NotifyClient = client) -> object:
        return c.send_sms_notification(
            PHONE, bodies.TEMPLATE_ID, personalisation={"name": NAME}, reference=REFERENCE
        )

    def email() -> object:
        return client.send_email_notification(
            EMAIL, bodies.TEMPLATE_ID, personalisation={"name": NAME}, reference=REFERENCE
        )

    def listing() -> object:
        return client.get_all_notifications(reference=REFERENCE, status="delivered")

    def elsewhere(url: str, *, read: bool = False) -> Callable[[], object]:
        def call() -> object:
            with make_client(flavour, bodies.API_KEY, url, retry=retry, timeout=(1.0, 0.2)) as c:
                if read:
                    return c.get_all_notifications(reference=REFERENCE, status="delivered")
                return sms(c)

        return call

    auth = bodies.error(403, "AuthError", "Invalid token: API key not found")
    server_error = bodies.error(500, "Exception", "Internal server error")
    steps: list[tuple[Reply | None, Callable[[], object]]] = [
        (Reply(201, bodies.sms_response(REFERENCE)), sms),
        (Reply(201, bodies.email_response()), email),
        (Reply(200, bodies.notification_list(2, next_id=None)), listing),
        (Reply(401, bodies.error(401, "AuthError", "Unauthorized: authentication token")), sms),
        (Reply(403, auth), listing),
        (Reply(400, bodies.error(400, "ValidationError", f"phone_number {PHONE} bad")), sms),
        (Reply(action="hang"), sms),
        (Reply(action="hang"), listing),
        (Reply(action="close"), sms),
        (Reply(action="reset"), listing),
        (Reply(502, b"<html>Bad gateway</html>", {"Content-Type": "text/html"}), sms),
        (Reply(201, bodies.sms_response(), action="truncate"), sms),
        (Reply(200, bodies.notification_list(1), action="truncate"), listing),
        (Reply(200, bodies.notification_list(1), action="trickle", delay=0.5), listing),
        (Reply(200, b'{"notifications": [{"phone_number": "07700900123"'), listing),
        (Reply(429, bodies.error(429, "RateLimitError", "slow"), {"Retry-After": "0"}), sms),
        (Reply(429, bodies.error(429, "TooManyRequestsError", "daily")), sms),
        (Reply(503, bodies.error(503, "Unavailable", "busy")), listing),
        (Reply(500, server_error), sms),
        (Reply(500, server_error), lambda: sms(opted_in)),
        (None, elsewhere(f"http://127.0.0.1:{free_port()}")),
        (None, elsewhere(f"http://127.0.0.1:{free_port()}", read=True)),
        (None, elsewhere(listener.url)),
        (None, elsewhere(listener.url, read=True)),
        (None, elsewhere("https://notify.invalid")),
        (None, elsewhere("https://notify.invalid", read=True)),
        (None, elsewhere(wire.url.replace("http://", "https://"))),  # TLS to a plain server
        (None, lambda: client.send_sms_notification("not a phone", bodies.TEMPLATE_ID)),
        (None, lambda: client.send_email_notification("amala@", bodies.TEMPLATE_ID)),
        (None, lambda: client.get_notification_by_id(f"{uuid.uuid4()}x")),
        (None, lambda: client.get_template(bodies.TEMPLATE_ID, timeout=-1)),
        (None, lambda: constructor(bodies.API_KEY[:-1] + "x")),
        (None, lambda: constructor(bodies.API_KEY, base_url=bodies.API_KEY)),  # a mix-up
        (None, lambda: constructor(bodies.API_KEY, base_url="https://u:pw@host.example")),
    ]
    raised: list[BaseException] = []
    try:
        for reply, call in steps:
            if reply is not None:
                wire.default = reply
            try:
                call()
            except (NotifyError, ValidationError, ValueError) as error:
                raised.append(error)
    finally:
        client.close()
        opted_in.close()
    return raised


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_secret_in_logs_errors_reprs_or_warnings(
    root_records: list[logging.LogRecord], caplog: pytest.LogCaptureFixture, flavour: Flavour
) -> None:
    caplog.set_level(logging.DEBUG)
    listener = SilentListener()
    try:
        with WireServer() as wire, warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            raised = run_failures(wire, listener, flavour)
            with make_client(flavour, bodies.API_KEY, wire.url) as client:
                shown = [repr(client), str(client), repr(client._transport), repr(client.retry)]
            shown += [repr(ApiKey.parse(bodies.API_KEY)), str(ApiKey.parse(bodies.API_KEY))]
        tokens = [r.headers["Authorization"].removeprefix("Bearer ") for r in wire.requests]
        tokens += listener.tokens()
    finally:
        listener.sock.close()

    assert len(raised) == 31  # every failure above raised
    assert any(isinstance(e, InvalidAPIKeyError) for e in raised)
    assert any(isinstance(e, InvalidBaseURLError) for e in raised)
    assert len(tokens) >= 25
    forbidden = [*SECRET_PARTS, "Authorization", "Bearer"]
    forbidden += tokens + [token.rsplit(".", 1)[1] for token in tokens]

    records = root_records + caplog.records
    library = "urllib3" if flavour == "sync" else "httpcore2"
    assert any(r.name.startswith(library) for r in records)  # DEBUG really was on
    texts: list[tuple[str, str]] = []
    for record in records:
        texts += [(f"log {record.name}", text) for text in record_texts(record)]
    for error in raised:
        for link in chain(error):
            texts += [
                (f"error {type(link).__name__}", text)
                for text in (str(link), repr(link), repr(link.args))
            ]
    texts += [("repr", text) for text in shown]
    texts += [("warning", str(w.message)) for w in warned]
    for where, text in texts:
        for secret in forbidden:
            assert secret not in text, f"{where} leaks {secret[:12]}...: {text[:200]}"
        if where.startswith("error"):
            # No URL with its query string, as a requests exception's text would have.
            assert f"reference={REFERENCE}" not in text, f"{where}: {text[:200]}"
            assert "status=delivered" not in text, f"{where}: {text[:200]}"
            assert "/v2/" not in text, f"{where}: {text[:200]}"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_sdk_log_lines_carry_the_facts_and_no_personal_data(
    caplog: pytest.LogCaptureFixture, flavour: Flavour
) -> None:
    caplog.set_level(logging.DEBUG, logger="govuk_notify")
    listener = SilentListener()
    try:
        with WireServer() as wire:
            run_failures(wire, listener, flavour)
    finally:
        listener.sock.close()
    records = [r for r in caplog.records if r.name == "govuk_notify"]
    assert len(records) >= 30
    statuses = {getattr(r, "notify_status", None) for r in records}
    assert {200, 201, 401, 403, 429, 500, 502, 503}.issubset(statuses)
    errors = {getattr(r, "notify_error", None) for r in records}
    expected = {"ConnectError", "ReadTimeoutError", "ConnectionDroppedError", "TLSError"}
    assert expected.issubset(errors)
    for record in records:
        facts: dict[str, Any] = {
            name: getattr(record, f"notify_{name}")
            for name in ("method", "path", "attempt", "status", "elapsed", "error", "retry_in")
        }
        message = record.getMessage()
        assert facts["method"] in ("GET", "POST")
        assert facts["path"].startswith("/v2/")
        assert f"{facts['method']} {facts['path']} attempt {facts['attempt']}" in message
        assert isinstance(facts["elapsed"], float)
        assert f"{record.args[4]:.3f}s" in message  # type: ignore[index]
        assert facts["status"] is not None or facts["error"] is not None
        if facts["status"] is not None:
            assert f"HTTP {facts['status']}" in message
        for private in (PHONE, "7700900123", EMAIL, NAME, REFERENCE, "personalisation"):
            assert private not in message
            assert private not in repr(record.args)
        assert "?" not in message
        assert "{" not in message.replace("{id}", "")  # no JSON body
        assert not UUID_RE.search(message)  # the path template, never the ids
        assert "127.0.0.1" not in message


def test_the_token_is_the_one_pyjwt_encode_makes() -> None:
    """The client's token, byte for byte, is PyJWT's for the same claims and secret."""
    key = ApiKey.parse(bodies.API_KEY)
    claims = {"iss": bodies.SERVICE_ID, "iat": 1_700_000_000}
    expected = jwt.encode(claims, bodies.SECRET, algorithm="HS256")
    assert key.create_token(issued_at=1_700_000_000) == expected
