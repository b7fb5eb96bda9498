"""The FastAPI router and dependencies, served by uvicorn on a real port, called by a sandbox."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
import requests
import uvicorn
from fastapi import Depends, FastAPI

from govuk_notify.callbacks import (
    DeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
)
from govuk_notify.errors import ConfigurationError
from govuk_notify.fastapi import callbacks_router, received_text
from govuk_notify.sandbox import CallbackEndpoint, Sandbox

from .bodies import RETURNED_LETTER

TOKEN = "fastapi-callback-token-set-in-notify"
SMS_TEMPLATE_ID = "27977601-9753-4b18-afab-ef47bb93bc78"
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


def make_app(inbox: Inbox) -> FastAPI:
    app = FastAPI()

    def on_receipt(receipt: DeliveryReceipt) -> None:  # a plain function: run in a thread
        inbox.add("router, sync", receipt)

    async def on_letter(letter: ReturnedLetterCallback) -> None:
        await asyncio.sleep(0)
        inbox.add("router, async", letter)

    app.include_router(
        callbacks_router(
            TOKEN, on_delivery_receipt=on_receipt, on_returned_letter=on_letter, prefix="/notify"
        )
    )

    @app.post("/texts", status_code=204)
    async def texts(
        text: Annotated[ReceivedTextCallback, Depends(received_text(TOKEN))],
    ) -> None:
        inbox.add("dependency", text)

    return app


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def site(inbox: Inbox) -> Iterator[str]:
    """The app, served by uvicorn in a thread on a socket bound to a free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(make_app(inbox), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + DEADLINE
        pause = threading.Event()  # never set: its wait() is the pause between looks
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            pause.wait(0.02)  # uvicorn has a flag, not an event: look until the deadline
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(DEADLINE)
        sock.close()


def test_callbacks_arrive_through_the_router_and_a_dependency(
    notify_sandbox: Sandbox, site: str, inbox: Inbox
) -> None:
    notify_sandbox.set_callbacks(
        delivery=CallbackEndpoint(f"{site}/notify/delivery-receipts", TOKEN),
        inbound=CallbackEndpoint(f"{site}/texts", TOKEN),
        returned_letter=CallbackEndpoint(f"{site}/notify/returned-letters", TOKEN),
    )
    client = notify_sandbox.live_client
    sms = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A", "code": "1"})
    notify_sandbox.advance(60)  # the sandbox's clock: delivered by then
    assert notify_sandbox.wait_for_status(str(sms.id), "delivered", timeout=0)
    notify_sandbox.add_received_text("STOP")
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

    found = dict(inbox.wait_for(3))
    assert isinstance(found["router, sync"], SmsDeliveryReceipt)
    assert found["router, sync"].id == sms.id
    assert isinstance(found["dependency"], ReceivedTextCallback)
    assert found["dependency"].message == "STOP"
    assert isinstance(found["router, async"], ReturnedLetterCallback)
    assert found["router, async"].notification_id == letter.id
    assert {a.status_code for a in notify_sandbox.callback_attempts()} == {204}


def test_wrong_token_and_malformed_bodies(notify_sandbox: Sandbox, site: str, inbox: Inbox) -> None:
    notify_sandbox.set_callbacks(inbound=CallbackEndpoint(f"{site}/texts", "an-older-token-1"))
    notify_sandbox.add_received_text("hello")
    notify_sandbox.flush_callbacks(DEADLINE)
    url = f"{site}/notify/returned-letters"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    malformed = requests.post(url, data=b"{", headers=headers, timeout=DEADLINE)
    bad_field = requests.post(
        url,
        data=json.dumps({**RETURNED_LETTER, "notification_id": "nope"}),
        headers=headers,
        timeout=DEADLINE,
    )
    unrouted = requests.post(f"{site}/notify/received-texts", data=b"{}", timeout=DEADLINE)

    (attempt,) = notify_sandbox.callback_attempts()
    assert (attempt.status_code, attempt.outcome) == (401, "given-up")
    assert malformed.status_code == 400
    assert bad_field.status_code == 400
    assert "notification_id: " in bad_field.json()["detail"]
    assert TOKEN not in bad_field.text
    assert unrouted.status_code == 404  # no handler given for received texts
    assert inbox.items == []


def test_router_needs_a_handler_and_a_token() -> None:
    with pytest.raises(ValueError, match="needs a handler"):
        callbacks_router(TOKEN)
    with pytest.raises(ConfigurationError):
        callbacks_router([], on_text_message=print)
