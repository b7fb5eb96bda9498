"""The Django callback views, served on a real port, called back by a real sandbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests

from .bodies import EMAIL_RECEIPT, RECEIVED_TEXT
from .django_project import CALLBACK_TOKEN, configure

configure()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.dispatch import Signal  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from govuk_notify.callbacks import (  # noqa: E402
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
)
from govuk_notify.django.signals import (  # noqa: E402
    delivery_receipt_received,
    letter_returned,
    text_message_received,
)
from govuk_notify.django.views import ReceivedTextView  # noqa: E402
from govuk_notify.sandbox import CallbackEndpoint, Sandbox  # noqa: E402

from .django_urls import CUSTOM_TOKEN  # noqa: E402

LETTER_TEMPLATE_ID = "a7fbf154-fb22-468b-8fd8-4e236b126152"
SMS_TEMPLATE_ID = "27977601-9753-4b18-afab-ef47bb93bc78"
EMAIL_TEMPLATE_ID = "24195183-379b-4f65-bb31-7f9b87596cc0"
DEADLINE = 30.0


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The Django project, served by wsgiref on a free port of 127.0.0.1."""
    server = make_server(
        "127.0.0.1",
        0,
        WSGIHandler(),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(DEADLINE)


class Received:
    """What a signal delivered, with a way to wait for it."""

    def __init__(self) -> None:
        self.payloads: list[Any] = []
        self.senders: list[type] = []
        self._changed = threading.Condition()

    def __call__(self, sender: type, payload: Any, request: Any, **kwargs: Any) -> None:
        with self._changed:
            self.payloads.append(payload)
            self.senders.append(sender)
            self._changed.notify_all()

    def wait_for(self, count: int) -> list[Any]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.payloads) >= count, DEADLINE)
            return list(self.payloads)


@contextmanager
def connected(signal: Signal, receiver: Callable[..., None] | None = None) -> Iterator[Received]:
    received = Received()
    handler = receiver or received
    signal.connect(handler, weak=False)
    try:
        yield received
    finally:
        signal.disconnect(handler)


def test_delivery_receipts_arrive_as_typed_models(notify_sandbox: Sandbox, site: str) -> None:
    notify_sandbox.set_callbacks(
        delivery=CallbackEndpoint(f"{site}/notify/delivery-receipts/", CALLBACK_TOKEN)
    )
    client = notify_sandbox.live_client
    with connected(delivery_receipt_received) as received:
        email = client.send_email_notification(
            "amala@example.com", EMAIL_TEMPLATE_ID, {"subject": "S", "body": "B"}, "e-1"
        )
        sms = client.send_sms_notification(
            "07700900123", SMS_TEMPLATE_ID, {"name": "Amala", "code": "123"}, "s-1"
        )
        notify_sandbox.advance(60)  # the sandbox's clock: both are delivered by then
        for sent in (email, sms):
            assert notify_sandbox.wait_for_status(str(sent.id), "delivered", timeout=0)
        notify_sandbox.flush_callbacks(DEADLINE)
        payloads = received.wait_for(2)

    by_type = {type(p): p for p in payloads}
    assert by_type[EmailDeliveryReceipt].id == email.id
    assert by_type[EmailDeliveryReceipt].reference == "e-1"
    assert by_type[SmsDeliveryReceipt].id == sms.id
    assert by_type[SmsDeliveryReceipt].status == "delivered"
    assert {a.status_code for a in notify_sandbox.callback_attempts()} == {204}


def test_received_text_messages_arrive(notify_sandbox: Sandbox, site: str) -> None:
    notify_sandbox.set_callbacks(
        inbound=CallbackEndpoint(f"{site}/notify/received-texts/", CALLBACK_TOKEN)
    )
    with connected(text_message_received) as received:
        notify_sandbox.add_received_text("STOP", user_number="447700900111")
        notify_sandbox.flush_callbacks(DEADLINE)
        (text,) = received.wait_for(1)

    assert isinstance(text, ReceivedTextCallback)
    assert (text.message, text.source_number) == ("STOP", "447700900111")
    assert received.senders[0].__name__ == "ReceivedTextView"


def test_returned_letters_arrive(notify_sandbox: Sandbox, site: str) -> None:
    notify_sandbox.set_callbacks(
        returned_letter=CallbackEndpoint(f"{site}/notify/returned-letters/", CALLBACK_TOKEN)
    )
    letter = notify_sandbox.live_client.send_letter_notification(
        LETTER_TEMPLATE_ID,
        {
            "address_line_1": "Amala Ode",
            "address_line_2": "1 High Street",
            "address_line_3": "SW1A 1AA",
            "name": "Amala",
            "application_number": "A-1",
            "date": "1 December",
            "needs_documents": "no",
        },
        reference="letter-1",
    )
    with connected(letter_returned) as received:
        notify_sandbox.return_letter(str(letter.id))
        notify_sandbox.flush_callbacks(DEADLINE)
        (returned,) = received.wait_for(1)

    assert isinstance(returned, ReturnedLetterCallback)
    assert returned.notification_id == letter.id
    assert returned.reference == "letter-1"


def test_a_wrong_token_is_refused_401_and_no_signal_is_sent(
    notify_sandbox: Sandbox, site: str
) -> None:
    notify_sandbox.set_callbacks(
        inbound=CallbackEndpoint(f"{site}/notify/received-texts/", "not-the-configured-token")
    )
    with connected(text_message_received) as received:
        notify_sandbox.add_received_text("hello")
        notify_sandbox.flush_callbacks(DEADLINE)

    (attempt,) = notify_sandbox.callback_attempts()
    assert (attempt.status_code, attempt.outcome) == (401, "given-up")
    assert received.payloads == []


def test_a_class_based_view_with_its_own_token(notify_sandbox: Sandbox, site: str) -> None:
    with connected(text_message_received) as received:
        for token in (CUSTOM_TOKEN, CALLBACK_TOKEN):
            notify_sandbox.set_callbacks(inbound=CallbackEndpoint(f"{site}/custom/texts/", token))
            notify_sandbox.add_received_text(f"sent with {token[:8]}")
            notify_sandbox.flush_callbacks(DEADLINE)

    assert [a.status_code for a in notify_sandbox.callback_attempts()] == [204, 401]
    assert [p.message for p in received.payloads] == [f"sent with {CUSTOM_TOKEN[:8]}"]
    assert received.senders == [ReceivedTextView]


def test_a_failing_receiver_makes_notify_try_again(notify_sandbox: Sandbox, site: str) -> None:
    calls: list[str] = []

    def flaky(sender: type, payload: ReceivedTextCallback, **kwargs: Any) -> None:
        calls.append(payload.message)
        if len(calls) == 1:
            raise RuntimeError("the database is down")

    notify_sandbox.set_callbacks(
        inbound=CallbackEndpoint(f"{site}/notify/received-texts/", CALLBACK_TOKEN)
    )
    with connected(text_message_received, flaky):
        notify_sandbox.add_received_text("again")
        notify_sandbox.flush_callbacks(DEADLINE)

    assert [a.status_code for a in notify_sandbox.callback_attempts()] == [500, 204]
    assert calls == ["again", "again"]


def _post(url: str, body: bytes, token: str | None = CALLBACK_TOKEN) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(url, data=body, headers=headers, timeout=DEADLINE)


def test_answers_for_bad_requests(site: str) -> None:
    with connected(delivery_receipt_received) as received:
        malformed = _post(f"{site}/notify/delivery-receipts/", b'{"id": ')
        wrong_kind = _post(f"{site}/notify/delivery-receipts/", json.dumps(RECEIVED_TEXT).encode())
        no_token = _post(f"{site}/notify/delivery-receipts/", b"{}", token=None)
        get = requests.get(f"{site}/notify/delivery-receipts/", timeout=DEADLINE)

    assert malformed.status_code == 400
    assert malformed.json()["error"].startswith("Malformed delivery receipt")
    assert wrong_kind.status_code == 400
    assert "notification_type: Field required" in wrong_kind.json()["error"]
    assert no_token.status_code == 401
    assert CALLBACK_TOKEN not in no_token.text
    assert get.status_code == 405
    assert received.payloads == []


def test_only_the_callback_views_are_csrf_exempt(site: str) -> None:
    with connected(delivery_receipt_received) as received:
        accepted = _post(f"{site}/notify/delivery-receipts/", json.dumps(EMAIL_RECEIPT).encode())
    other = requests.post(f"{site}/other/", data=b"x", timeout=DEADLINE)

    assert accepted.status_code == 204
    assert len(received.payloads) == 1
    assert other.status_code == 403  # the application's own view is still protected


def test_no_token_configured_is_a_500_not_a_401(site: str) -> None:
    with override_settings(GOVUK_NOTIFY_CALLBACK_TOKEN=None):
        answer = _post(f"{site}/notify/received-texts/", b"{}")

    assert answer.status_code == 500
