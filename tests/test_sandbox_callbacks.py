"""The sandbox calls the service back: a real Flask application on a real port receives what it
sends, with ``govuk_notify.callbacks`` parsing each request as it would from Notify."""

from __future__ import annotations

import itertools
import logging
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
import requests
from flask import Flask, request
from werkzeug.serving import BaseWSGIServer, make_server

from govuk_notify import NotifyClient
from govuk_notify.callbacks import (
    CallbackError,
    DeliveryReceipt,
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
    parse_delivery_receipt,
    parse_received_text,
    parse_returned_letter,
)
from govuk_notify.cli import main
from govuk_notify.models.enums import EmailStatus, SmsStatus
from govuk_notify.sandbox import (
    DEFAULT_TEMPLATE_IDS,
    CallbackEndpoint,
    CallbackRetry,
    Lifecycle,
    Sandbox,
    SentMessage,
    ServiceSettings,
)

from .processes import child_env, finish
from .test_sandbox_support import make_token

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
SMS_VALUES = {"name": "Ann", "code": "123456"}
EMAIL_VALUES = {"subject": "Your claim", "body": "Hello"}
LETTER_VALUES = {
    "address_line_1": "Ann Smith",
    "address_line_2": "1 High Street",
    "address_line_3": "London",
    "postcode": "SW1A 1AA",
    "name": "Ann",
    "application_number": "A-1",
    "date": "1 May",
    "needs_documents": "no",
}
TOKEN = "receiver-secret-0123456789"
"""The token the service configured in Notify, and that the receiving application expects."""
WORKER = "govuk-notify-sandbox-callbacks"
SRC = Path(__file__).resolve().parent.parent / "src"

T = TypeVar("T")


# --- the user's application: a real Flask app on a real local port ------------------------------


@dataclass
class Receiver:
    """A Flask application receiving Notify's callbacks, served by werkzeug in a thread."""

    expected_token: str = TOKEN
    failures_to_answer: int = 0
    """``/notify/flaky`` answers 500 this many times before it takes a receipt."""
    receipts: list[DeliveryReceipt] = field(default_factory=list)
    texts: list[ReceivedTextCallback] = field(default_factory=list)
    letters: list[ReturnedLetterCallback] = field(default_factory=list)
    refusals: list[int] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    server: BaseWSGIServer | None = None

    def app(self) -> Flask:
        app = Flask("receiver")

        @app.errorhandler(CallbackError)
        def refuse(error: CallbackError) -> tuple[dict[str, str], int]:
            self.refusals.append(error.http_status)
            return {"error": str(error)}, error.http_status

        @app.before_request
        def keep_headers() -> None:
            self.headers.append(dict(request.headers))

        @app.post("/notify/delivery-receipts")
        def delivery_receipt() -> tuple[str, int]:
            self.receipts.append(
                parse_delivery_receipt(
                    request.headers.get("Authorization"),
                    request.get_data(),
                    expected_token=self.expected_token,
                )
            )
            return "", 200

        @app.post("/notify/flaky")
        def flaky() -> tuple[str, int]:
            if self.failures_to_answer > 0:
                self.failures_to_answer -= 1
                return "busy", 500
            return delivery_receipt()

        @app.post("/notify/received-texts")
        def received_text() -> tuple[str, int]:
            self.texts.append(
                parse_received_text(
                    request.headers.get("Authorization"),
                    request.get_data(),
                    expected_token=self.expected_token,
                )
            )
            return "", 204

        @app.post("/notify/returned-letters")
        def returned_letter() -> tuple[str, int]:
            self.letters.append(
                parse_returned_letter(
                    request.headers.get("Authorization"),
                    request.get_data(),
                    expected_token=self.expected_token,
                )
            )
            return "", 200

        return app

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def endpoint(self, path: str, token: str = TOKEN) -> CallbackEndpoint:
        return CallbackEndpoint(self.url(path), token)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    found.server = make_server("127.0.0.1", 0, found.app(), threaded=True)
    thread = threading.Thread(target=found.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()
        thread.join(5)


@pytest.fixture
def silent_port() -> Iterator[socket.socket]:
    """A port that takes connections (the kernel completes them) but never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener
    finally:
        listener.close()


def callbacks(
    *,
    delivery: CallbackEndpoint | None = None,
    inbound: CallbackEndpoint | None = None,
    returned_letter: CallbackEndpoint | None = None,
) -> ServiceSettings:
    return ServiceSettings(
        delivery_callback=delivery,
        inbound_callback=inbound,
        returned_letter_callback=returned_letter,
    )


def only(items: list[T]) -> T:
    assert len(items) == 1, items
    return items[0]


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()  # its timed wait works under libfaketime; time.sleep does not
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        pause.wait(0.01)


def worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == WORKER]


def assert_times_match(receipt: DeliveryReceipt, record: SentMessage) -> None:
    assert receipt.created_at == record.created_at
    assert receipt.sent_at == record.sent_at
    assert receipt.completed_at == record.completed_at


# --- delivery receipts ----------------------------------------------------------------------------


def test_a_delivered_text_message_reaches_the_application_as_a_typed_receipt(
    receiver: Receiver,
) -> None:
    settings = callbacks(delivery=receiver.endpoint("/notify/delivery-receipts"))
    with Sandbox(service=settings) as sandbox:
        sent = sandbox.live_client.send_sms_notification(
            "07700 900123", SMS, SMS_VALUES, reference="order-17"
        )
        record = sandbox.wait_for_status(str(sent.id), "delivered")
        sandbox.flush_callbacks()

        receipt = only(receiver.receipts)
        assert isinstance(receipt, SmsDeliveryReceipt)
        assert receipt.id == sent.id
        assert receipt.reference == "order-17"
        assert receipt.status is SmsStatus.DELIVERED
        assert receipt.to == "07700 900123"
        assert receipt.notification_type == "sms"
        assert str(receipt.template_id) == SMS
        assert receipt.template_version == record.template_version
        assert_times_match(receipt, record)

        attempt = only(sandbox.callback_attempts())
        assert (attempt.kind, attempt.attempt, attempt.status_code, attempt.outcome) == (
            "delivery-receipt",
            1,
            200,
            "accepted",
        )
        assert attempt.ok
        assert attempt.url == receiver.url("/notify/delivery-receipts")
        assert attempt.object_id == str(sent.id)
        assert attempt.payload == receipt
        assert attempt.body == receipt.model_dump_json().encode()
        headers = only(receiver.headers)
        assert headers["Content-Type"] == "application/json"
        assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_permanent_failure_email_gets_one_receipt_with_that_status(receiver: Receiver) -> None:
    settings = callbacks(delivery=receiver.endpoint("/notify/delivery-receipts"))
    with Sandbox(service=settings) as sandbox:
        client = sandbox.live_client
        failed = client.send_email_notification(
            "perm-fail@simulator.notify", EMAIL, EMAIL_VALUES, reference="mail-1"
        )
        record = sandbox.wait_for_status(str(failed.id), "permanent-failure")
        # Move the clock a day on: any further status (and its receipt) would now be due.
        sandbox.advance(86_400)
        sandbox.flush_callbacks()

        receipt = only(receiver.receipts)
        assert isinstance(receipt, EmailDeliveryReceipt)
        assert (receipt.id, receipt.reference) == (failed.id, "mail-1")
        assert receipt.status is EmailStatus.PERMANENT_FAILURE
        assert receipt.to == "perm-fail@simulator.notify"
        assert_times_match(receipt, record)


def test_test_keys_get_receipts_and_smoke_test_numbers_do_not(receiver: Receiver) -> None:
    # As Notify documents: receipts work with test API keys, not with smoke-test recipients.
    settings = callbacks(delivery=receiver.endpoint("/notify/delivery-receipts"))
    with Sandbox(service=settings, lifecycle=Lifecycle(0, 0.05)) as sandbox:
        test_key = sandbox.client("test")
        failed = test_key.send_sms_notification("07700900003", SMS, SMS_VALUES)
        sandbox.live_client.send_sms_notification("07700900000", SMS, SMS_VALUES)
        sandbox.live_client.send_email_notification(
            "simulate-delivered@notifications.service.gov.uk", EMAIL, EMAIL_VALUES
        )
        sandbox.wait_for_status(str(failed.id), "temporary-failure")
        sandbox.advance(86_400)  # every status and receipt the others could get is now due
        sandbox.flush_callbacks()

        receipt = only(receiver.receipts)
        assert (receipt.id, receipt.status) == (failed.id, SmsStatus.TEMPORARY_FAILURE)


def test_statuses_reached_lazily_send_exactly_one_receipt_per_final_status(
    receiver: Receiver,
) -> None:
    # Slow on the wall clock: only advance() and set_status() move these notifications on.
    settings = callbacks(delivery=receiver.endpoint("/notify/delivery-receipts"))
    with Sandbox(service=settings, lifecycle=Lifecycle(60, 120)) as sandbox:
        client = sandbox.live_client
        sent = client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        sandbox.flush_callbacks()
        assert sandbox.callback_attempts() == []

        sandbox.advance(61)  # sending: no receipt
        assert client.get_notification_by_id(sent.id).status == "sending"
        sandbox.flush_callbacks()
        assert sandbox.callback_attempts() == []

        sandbox.advance(60)  # delivered, seen by nobody until the receipt goes
        sandbox.flush_callbacks()
        assert [r.status for r in receiver.receipts] == [SmsStatus.DELIVERED]

        # Reading it, moving the clock further, setting the same status: nothing more.
        for _ in range(3):
            assert client.get_notification_by_id(sent.id).status == "delivered"
            sandbox.advance(30)
        sandbox.set_status(str(sent.id), "delivered")
        sandbox.flush_callbacks()
        assert len(receiver.receipts) == 1

        # A new final status is a new receipt (through the sandbox's HTTP endpoint this time).
        answer = requests.post(
            f"{sandbox.base_url}/sandbox/notifications/{sent.id}/status",
            json={"status": "technical-failure"},
            headers={"Authorization": "Bearer " + make_token(sandbox.api_keys.live)},
            timeout=10,
        )
        assert answer.status_code == 200
        sandbox.flush_callbacks()
        assert [r.status for r in receiver.receipts] == [
            SmsStatus.DELIVERED,
            SmsStatus.TECHNICAL_FAILURE,
        ]
        assert [a.attempt for a in sandbox.callback_attempts()] == [1, 1]


def test_callbacks_set_while_running_apply_from_then_on(receiver: Receiver) -> None:
    with Sandbox(lifecycle=Lifecycle(0, 0.05)) as sandbox:
        client = sandbox.live_client

        def deliver() -> str:
            sent = client.send_sms_notification("07700900123", SMS, SMS_VALUES)
            sandbox.wait_for_status(str(sent.id), "delivered")
            sandbox.flush_callbacks()
            return str(sent.id)

        deliver()
        sandbox.set_callbacks(delivery=receiver.endpoint("/notify/delivery-receipts"))
        second = deliver()
        sandbox.set_callbacks(inbound=receiver.endpoint("/notify/received-texts"))
        third = deliver()
        assert sandbox.service.inbound_callback is not None
        sandbox.set_callbacks(delivery=None)
        deliver()

        assert [str(r.id) for r in receiver.receipts] == [second, third]
        assert sandbox.service.delivery_callback is None
        assert sandbox.service.inbound_callback is not None
        with pytest.raises(TypeError):
            sandbox.set_callbacks(delivery=receiver.url("/x"))  # type: ignore[arg-type]


# --- received text messages and returned letters --------------------------------------------------


def test_received_texts_reach_the_application_from_python_and_http(receiver: Receiver) -> None:
    settings = callbacks(inbound=receiver.endpoint("/notify/received-texts"))
    with Sandbox(service=settings) as sandbox:
        injected = sandbox.add_received_text("STOP", user_number="447700900111")
        answer = requests.post(
            f"{sandbox.base_url}/sandbox/received-text-messages",
            json={"content": "Yes please", "user_number": "447700900222"},
            headers={"Authorization": "Bearer " + make_token(sandbox.api_keys.live)},
            timeout=10,
        )
        assert answer.status_code == 201
        sandbox.flush_callbacks()

        first, second = receiver.texts
        assert isinstance(first, ReceivedTextCallback)
        assert str(first.id) == injected.id
        assert (first.source_number, first.destination_number) == ("447700900111", "07700900456")
        assert first.message == "STOP"
        assert first.date_received == injected.created_at
        assert str(second.id) == answer.json()["id"]
        assert (second.source_number, second.message) == ("447700900222", "Yes please")
        assert [(a.kind, a.status_code) for a in sandbox.callback_attempts()] == [
            ("received-text", 204),
            ("received-text", 204),
        ]


def test_a_returned_letter_is_reported(receiver: Receiver) -> None:
    settings = callbacks(returned_letter=receiver.endpoint("/notify/returned-letters"))
    with Sandbox(service=settings) as sandbox:
        sent = sandbox.live_client.send_letter_notification(
            LETTER, LETTER_VALUES, reference="letter-9"
        )
        sandbox.advance(1)
        sandbox.return_letter(str(sent.id))
        sandbox.flush_callbacks()

        letter = only(receiver.letters)
        record = sandbox.notification(str(sent.id))
        assert record is not None
        assert record.status == "received"
        assert record.raw_status == "returned-letter"
        assert (letter.notification_id, letter.reference) == (sent.id, "letter-9")
        assert letter.date_sent == record.created_at
        assert letter.sent_by == "API"
        assert str(letter.template_id) == LETTER
        assert letter.template_version == record.template_version
        assert letter.template_name == "Application received (letter)"
        assert only(sandbox.callback_attempts()).kind == "returned-letter"

        text = sandbox.live_client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        with pytest.raises(ValueError, match="not a letter"):
            sandbox.return_letter(str(text.id))


# --- retries, refusals, receivers that never answer -----------------------------------------------


def test_a_receiver_failing_twice_then_accepting_gets_three_attempts(receiver: Receiver) -> None:
    receiver.failures_to_answer = 2
    with Sandbox(service=callbacks(delivery=receiver.endpoint("/notify/flaky"))) as sandbox:
        sent = sandbox.live_client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        sandbox.wait_for_status(str(sent.id), "delivered")
        sandbox.flush_callbacks()

        attempts = sandbox.callback_attempts()
        assert [(a.attempt, a.status_code, a.outcome) for a in attempts] == [
            (1, 500, "will-retry"),
            (2, 500, "will-retry"),
            (3, 200, "accepted"),
        ]
        assert [a.ok for a in attempts] == [False, False, True]
        assert len({a.body for a in attempts}) == 1
        for before, after in itertools.pairwise(attempts):
            gap = (after.started_at - before.started_at).total_seconds()
            assert gap >= CallbackRetry().delay
        assert [r.id for r in receiver.receipts] == [sent.id]


def test_a_wrong_token_gets_a_401_which_is_not_retried_as_notify_does(
    receiver: Receiver,
) -> None:
    endpoint = receiver.endpoint("/notify/received-texts", token="an-old-token-0000")
    with Sandbox(service=callbacks(inbound=endpoint)) as sandbox:
        sandbox.add_received_text("Hello")
        sandbox.flush_callbacks()

        attempt = only(sandbox.callback_attempts())
        assert (attempt.status_code, attempt.outcome, attempt.error) == (401, "given-up", None)
        assert receiver.refusals == [401]
        assert receiver.texts == []


def test_retrying_client_errors_retries_the_401_then_gives_up(receiver: Receiver) -> None:
    endpoint = receiver.endpoint("/notify/received-texts", token="an-old-token-0000")
    retry = CallbackRetry(retries=2, delay=0.05, retry_client_errors=True)
    with Sandbox(service=callbacks(inbound=endpoint), callback_retry=retry) as sandbox:
        sandbox.add_received_text("Hello")
        sandbox.flush_callbacks()

        attempts = sandbox.callback_attempts()
        assert [(a.attempt, a.status_code, a.outcome) for a in attempts] == [
            (1, 401, "will-retry"),
            (2, 401, "will-retry"),
            (3, 401, "given-up"),
        ]
        assert receiver.refusals == [401, 401, 401]


def test_a_refused_connection_is_retried_then_given_up() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = CallbackEndpoint(f"http://127.0.0.1:{port}/gone", TOKEN)
    retry = CallbackRetry(retries=2, delay=0.01)
    with Sandbox(service=callbacks(inbound=endpoint), callback_retry=retry) as sandbox:
        sandbox.add_received_text("Hello")
        sandbox.flush_callbacks()
        attempts = sandbox.callback_attempts()
    assert [(a.status_code, a.error, a.outcome) for a in attempts] == [
        (None, "connection refused", "will-retry"),
        (None, "connection refused", "will-retry"),
        (None, "connection refused", "given-up"),
    ]


def test_a_receiver_that_never_answers_times_out(silent_port: socket.socket) -> None:
    port = silent_port.getsockname()[1]
    endpoint = CallbackEndpoint(f"http://127.0.0.1:{port}/notify", TOKEN)
    retry = CallbackRetry(retries=1, delay=0.01, timeout=0.3)
    with Sandbox(service=callbacks(inbound=endpoint), callback_retry=retry) as sandbox:
        sandbox.add_received_text("Hello")
        sandbox.flush_callbacks(timeout=3)
        attempts = sandbox.callback_attempts()
    assert [(a.error, a.outcome) for a in attempts] == [
        ("no answer within 0.3 s", "will-retry"),
        ("no answer within 0.3 s", "given-up"),
    ]
    assert all(0.25 < a.duration < 10 for a in attempts)


def test_the_sandbox_stops_at_once_while_a_receiver_never_answers(
    silent_port: socket.socket,
) -> None:
    port = silent_port.getsockname()[1]
    endpoint = CallbackEndpoint(f"http://127.0.0.1:{port}/notify", TOKEN)
    # A receiver timeout far longer than stopping may take, even on a loaded machine.
    patient = CallbackRetry(timeout=60)
    sandbox = Sandbox(service=callbacks(inbound=endpoint), callback_retry=patient).start()
    try:
        assert len(worker_threads()) == 1
        sandbox.add_received_text("Hello")
        # The sandbox has connected once the connection waits in the listener's queue.
        readable, _, _ = select.select([silent_port], [], [], 30)
        assert readable
        with pytest.raises(TimeoutError):
            sandbox.flush_callbacks(timeout=0.2)
    finally:
        started = time.monotonic()
        sandbox.stop()
        took = time.monotonic() - started
    assert took < 20  # not the 60 s the receiver would have been given
    assert worker_threads() == []
    attempt = only(sandbox.callback_attempts())
    assert (attempt.error, attempt.outcome) == (
        "the sandbox stopped before the receiver answered",
        "given-up",
    )


# --- https --------------------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_receivers_are_verified(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    found = Receiver()
    found.server = make_server(
        "127.0.0.1",
        0,
        found.app(),
        threaded=True,
        ssl_context=(str(certificate[0]), str(certificate[1])),
    )
    thread = threading.Thread(target=found.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"https://localhost:{found.server.server_port}/notify/received-texts"
    retry = CallbackRetry(retries=0)
    try:
        # A certificate nobody trusts: refused, as Notify would.
        endpoint = CallbackEndpoint(url, TOKEN)
        with Sandbox(service=callbacks(inbound=endpoint), callback_retry=retry) as sandbox:
            sandbox.add_received_text("Hello")
            sandbox.flush_callbacks()
            refused = only(sandbox.callback_attempts())
        assert refused.status_code is None
        assert refused.error is not None
        assert refused.error.startswith("TLS certificate not trusted")
        assert found.texts == []

        # The same certificate trusted (OpenSSL reads SSL_CERT_FILE): the text arrives.
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        with Sandbox(service=callbacks(inbound=endpoint), callback_retry=retry) as sandbox:
            sandbox.add_received_text("Hello")
            sandbox.flush_callbacks()
            assert only(sandbox.callback_attempts()).status_code == 204
        assert [t.message for t in found.texts] == ["Hello"]
    finally:
        found.server.shutdown()
        found.server.server_close()
        thread.join(5)


# --- settings and secrecy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token", "problem"),
    [
        ("https://example.com/cb", "short", "at least 10 characters"),
        ("ftp://example.com/cb", TOKEN, "https://"),
        ("https:///cb", TOKEN, "name a host"),
        ("https://example.com:0/cb", TOKEN, "port 0"),
        ("https://example.com/c b", TOKEN, "spaces"),
        ("https://example.com/cb", TOKEN + "\r\nX-Injected: 1", "control characters"),
        ("https://example.com/cb", "token-\u20ac-0123456", "Latin-1"),
    ],
)
def test_callback_endpoints_are_checked(url: str, token: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)) as refusal:
        CallbackEndpoint(url, token)
    assert token not in str(refusal.value)


def test_callback_retry_is_checked() -> None:
    assert CallbackRetry() == CallbackRetry(5, 0.2, 5.0, False)
    for bad in ({"retries": -1}, {"delay": -0.1}, {"timeout": 0}):
        with pytest.raises(ValueError, match=r"cannot be negative|more than 0"):
            CallbackRetry(**bad)
    retry = CallbackRetry()
    assert [retry.retries_after(code) for code in (None, 500, 503, 429, 401, 404, 400)] == [
        True, True, True, True, False, False, False,
    ]  # fmt: skip


def test_the_token_appears_in_no_repr_and_no_log(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.failures_to_answer = 1
    endpoint = receiver.endpoint("/notify/flaky")
    with Sandbox(service=callbacks(delivery=endpoint)) as sandbox:
        sent = sandbox.live_client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        sandbox.wait_for_status(str(sent.id), "delivered")
        sandbox.flush_callbacks()
        attempts = sandbox.callback_attempts()
        shown = [repr(endpoint), repr(sandbox.service), repr(sandbox), repr(attempts)]
        shown += [str(a) for a in attempts] + [a.body.decode() for a in attempts]
    assert [a.outcome for a in attempts] == ["will-retry", "accepted"]
    assert receiver.url("/notify/flaky") in caplog.text
    assert "will-retry" in caplog.text
    for text in [*shown, caplog.text]:
        assert TOKEN not in text


def test_callback_attempts_filter_by_kind_and_reset_forgets_them(receiver: Receiver) -> None:
    settings = callbacks(
        delivery=receiver.endpoint("/notify/delivery-receipts"),
        inbound=receiver.endpoint("/notify/received-texts"),
    )
    with Sandbox(service=settings, lifecycle=Lifecycle(0, 0.05)) as sandbox:
        sent = sandbox.live_client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        sandbox.add_received_text("Hi")
        sandbox.wait_for_status(str(sent.id), "delivered")
        sandbox.flush_callbacks()
        assert [a.kind for a in sandbox.callback_attempts("received-text")] == ["received-text"]
        assert [a.object_id for a in sandbox.callback_attempts("delivery-receipt")] == [
            str(sent.id)
        ]
        sandbox.reset()
        assert sandbox.callback_attempts() == []
    with pytest.raises(RuntimeError):
        sandbox.flush_callbacks()


# --- the command ----------------------------------------------------------------------------------


def test_the_command_refuses_a_url_without_its_token(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sandbox", "--port", "0", "--delivery-callback-url", "http://127.0.0.1:9/x"])
    assert code == 2
    assert "--delivery-callback-url needs --delivery-callback-token" in capsys.readouterr().err
    code = main(["sandbox", "--port", "0", "--inbound-callback-url", "http://127.0.0.1:9/x",
                 "--inbound-callback-token", "short"])  # fmt: skip
    assert code == 2
    assert "at least 10 characters" in capsys.readouterr().err


def test_the_command_calls_the_application_back(receiver: Receiver) -> None:
    env = child_env(PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "govuk_notify.cli", "sandbox", "--port", "0",
         "--delivered-after", "0.1",
         "--delivery-callback-url", receiver.url("/notify/delivery-receipts"),
         "--delivery-callback-token", TOKEN,
         "--inbound-callback-url", receiver.url("/notify/received-texts"),
         "--inbound-callback-token", TOKEN,
         "--callback-retries", "1", "--callback-retry-delay", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = ""
        while not banner.endswith("Press Ctrl-C to stop.\n"):
            line = process.stdout.readline()
            assert line, banner
            banner += line
        base_url = re.search(r"running at (\S+)", banner)
        live = re.search(r"^  live  (\S+)$", banner, re.MULTILINE)
        assert base_url is not None
        assert live is not None
        assert f"delivery receipts of text messages and emails: {receiver.url('/notify/')}" in (
            banner
        )
        assert TOKEN not in banner

        with NotifyClient(live.group(1), base_url=base_url.group(1)) as client:
            sent = client.send_sms_notification("07700900123", SMS, SMS_VALUES)
        wait_for(lambda: len(receiver.receipts) == 1)
        assert receiver.receipts[0].id == sent.id

        process.send_signal(signal.SIGINT)
        out, err = finish(process, 10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Sandbox stopped." in out
    assert f"for {sent.id} to {receiver.url('/notify/delivery-receipts')}" in err
    assert TOKEN not in err
