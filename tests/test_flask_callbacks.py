"""The Flask blueprint, served by werkzeug on a real port, called back by a real sandbox."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from govuk_notify.callbacks import (
    DeliveryReceipt,
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
)
from govuk_notify.errors import ConfigurationError
from govuk_notify.flask import (
    callbacks_blueprint,
    delivery_receipt_received,
    letter_returned,
    text_message_received,
)
from govuk_notify.sandbox import CallbackEndpoint, Sandbox

from .bodies import RECEIVED_TEXT
from .django_project import run
from .processes import child_env

TOKEN = "flask-callback-token-set-in-notify"
EMAIL_TEMPLATE_ID = "24195183-379b-4f65-bb31-7f9b87596cc0"
LETTER_TEMPLATE_ID = "a7fbf154-fb22-468b-8fd8-4e236b126152"
DEADLINE = 30.0


class Inbox:
    """What arrived, with a way to wait for it."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self._changed = threading.Condition()

    def add(self, how: str, payload: Any) -> None:
        with self._changed:
            self.items.append((how, payload))
            self._changed.notify_all()

    def wait_for(self, count: int) -> list[tuple[str, Any]]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.items) >= count, DEADLINE)
            return list(self.items)


def make_app(inbox: Inbox) -> Flask:
    app = Flask(__name__)
    app.config["GOVUK_NOTIFY_CALLBACK_TOKEN"] = TOKEN

    def on_receipt(receipt: DeliveryReceipt) -> None:
        inbox.add("handler", receipt)

    app.register_blueprint(
        callbacks_blueprint(on_delivery_receipt=on_receipt), url_prefix="/notify"
    )
    return app


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    found = Inbox()

    def receiver(sender: Flask, payload: Any, **kwargs: Any) -> None:
        found.add(f"signal from {sender.name}", payload)

    for signal in (delivery_receipt_received, text_message_received, letter_returned):
        signal.connect(receiver)
    try:
        yield found
    finally:
        for signal in (delivery_receipt_received, text_message_received, letter_returned):
            signal.disconnect(receiver)


@pytest.fixture
def site(inbox: Inbox) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, make_app(inbox), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(DEADLINE)


def test_all_three_kinds_arrive_through_handler_and_signals(
    notify_sandbox: Sandbox, site: str, inbox: Inbox
) -> None:
    notify_sandbox.set_callbacks(
        delivery=CallbackEndpoint(f"{site}/notify/delivery-receipts", TOKEN),
        inbound=CallbackEndpoint(f"{site}/notify/received-texts", TOKEN),
        returned_letter=CallbackEndpoint(f"{site}/notify/returned-letters", TOKEN),
    )
    client = notify_sandbox.live_client
    email = client.send_email_notification(
        "amala@example.com", EMAIL_TEMPLATE_ID, {"subject": "S", "body": "B"}
    )
    notify_sandbox.advance(60)  # the sandbox's clock: delivered by then
    assert notify_sandbox.wait_for_status(str(email.id), "delivered", timeout=0)
    notify_sandbox.add_received_text("Hello")
    letter = client.send_letter_notification(
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
    )
    notify_sandbox.return_letter(str(letter.id))
    notify_sandbox.flush_callbacks(DEADLINE)

    items = inbox.wait_for(4)
    kinds = sorted((how, type(payload).__name__) for how, payload in items)
    assert kinds == [
        ("handler", "EmailDeliveryReceipt"),
        (f"signal from {__name__}", "EmailDeliveryReceipt"),
        (f"signal from {__name__}", "ReceivedTextCallback"),
        (f"signal from {__name__}", "ReturnedLetterCallback"),
    ]
    payloads = {type(p): p for _, p in items}
    assert payloads[EmailDeliveryReceipt].id == email.id
    assert payloads[ReceivedTextCallback].message == "Hello"
    assert payloads[ReturnedLetterCallback].notification_id == letter.id
    assert {a.status_code for a in notify_sandbox.callback_attempts()} == {204}


def test_a_wrong_token_is_401(notify_sandbox: Sandbox, site: str, inbox: Inbox) -> None:
    notify_sandbox.set_callbacks(
        inbound=CallbackEndpoint(f"{site}/notify/received-texts", f"{TOKEN}-old")
    )
    notify_sandbox.add_received_text("Hello")
    notify_sandbox.flush_callbacks(DEADLINE)

    (attempt,) = notify_sandbox.callback_attempts()
    assert (attempt.status_code, attempt.outcome) == (401, "given-up")
    assert inbox.items == []


def test_bad_requests(site: str, inbox: Inbox) -> None:
    url = f"{site}/notify/received-texts"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    malformed = requests.post(url, data=b"[", headers=headers, timeout=DEADLINE)
    missing_field = requests.post(
        url, data=json.dumps({**RECEIVED_TEXT, "message": None}), headers=headers, timeout=DEADLINE
    )
    no_token = requests.post(url, data=json.dumps(RECEIVED_TEXT), timeout=DEADLINE)
    get = requests.get(url, timeout=DEADLINE)

    assert malformed.status_code == 400
    assert missing_field.status_code == 400
    assert "message: " in missing_field.json()["error"]
    assert "Hello Notify" not in missing_field.text
    assert no_token.status_code == 401
    assert get.status_code == 405
    assert inbox.items == []


def test_a_token_given_to_the_blueprint_and_a_missing_config() -> None:
    app = Flask("two")
    app.register_blueprint(callbacks_blueprint("given", expected_token=[TOKEN, "new-token-123"]))
    app.register_blueprint(callbacks_blueprint("from_config"), url_prefix="/config")
    client = app.test_client()
    body = json.dumps(RECEIVED_TEXT)

    new = client.post(
        "/received-texts", data=body, headers={"Authorization": "Bearer new-token-123"}
    )
    unset = client.post("/config/received-texts", data=body, headers={"Authorization": "Bearer x"})

    assert new.status_code == 204
    assert unset.status_code == 500  # not a 401: the mistake is the app's
    with pytest.raises(ConfigurationError):
        callbacks_blueprint(expected_token="")


@pytest.mark.parametrize(
    ("module", "framework", "extra"),
    [
        ("govuk_notify.flask", "flask", "flask"),
        ("govuk_notify.fastapi", "fastapi", "fastapi"),
        ("govuk_notify.django", "django", "django"),
        ("govuk_notify.django.backends", "django", "django"),
    ],
)
def test_a_missing_framework_names_the_extra(module: str, framework: str, extra: str) -> None:
    # In a fresh interpreter where the framework cannot be imported.
    code = f"import sys; sys.modules[{framework!r}] = None; import {module}"

    result = run([sys.executable, "-c", code], child_env())

    assert result.returncode == 1
    assert f"pip install 'govuk-notify[{extra}]'" in result.stderr
