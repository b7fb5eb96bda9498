"""Receiving Notify's callbacks in Starlette (and so FastAPI): an example, run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

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
from govuk_notify.models.enums import EmailStatus

# --- the example --------------------------------------------------------------------------------

NOTIFY_CALLBACK_TOKEN = "another-long-random-token-set-in-notify"

# Stand-ins for the application's own handling (a database update, a queue...).
receipts: list[DeliveryReceipt] = []
texts: list[ReceivedTextCallback] = []
returned_letters: list[ReturnedLetterCallback] = []


async def delivery_receipt(request: Request) -> Response:
    receipt = parse_delivery_receipt(
        request.headers.get("authorization"),
        await request.body(),
        expected_token=NOTIFY_CALLBACK_TOKEN,
    )
    receipts.append(receipt)
    return Response()


async def received_text(request: Request) -> Response:
    text = parse_received_text(
        request.headers.get("authorization"),
        await request.body(),
        expected_token=NOTIFY_CALLBACK_TOKEN,
    )
    texts.append(text)
    return Response()


async def returned_letter(request: Request) -> Response:
    letter = parse_returned_letter(
        request.headers.get("authorization"),
        await request.body(),
        expected_token=NOTIFY_CALLBACK_TOKEN,
    )
    returned_letters.append(letter)
    return Response()


async def refuse_callback(request: Request, error: Exception) -> Response:
    assert isinstance(error, CallbackError)  # the handler is registered for CallbackError only
    return JSONResponse({"error": str(error)}, status_code=error.http_status)


app = Starlette(
    routes=[
        Route("/notify/delivery-receipts", delivery_receipt, methods=["POST"]),
        Route("/notify/received-texts", received_text, methods=["POST"]),
        Route("/notify/returned-letters", returned_letter, methods=["POST"]),
    ],
    exception_handlers={CallbackError: refuse_callback},
)

# --- the tests ----------------------------------------------------------------------------------

TOKEN = NOTIFY_CALLBACK_TOKEN
EMAIL: dict[str, Any] = {
    "id": "201b576e-c09b-467b-9dfa-9c3b689ee730",
    "reference": None,
    "to": "amala@example.com",
    "status": "permanent-failure",
    "created_at": "2023-09-16T16:50:09.090424Z",
    "completed_at": "2023-09-16T16:50:10.042907Z",
    "sent_at": "2023-09-16T16:50:09.219763Z",
    "notification_type": "email",
    "template_id": "9d751e0e-f929-4891-82a1-a3e1c3c18ee3",
    "template_version": 1,
}
SMS: dict[str, Any] = {
    **EMAIL,
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "to": "+447900900123",
    "status": "temporary-failure",
    "notification_type": "sms",
}
TEXT: dict[str, Any] = {
    "id": "a2ad3ad2-3c0e-4d3f-9a6b-2b6d4f0c9e11",
    "source_number": "447700912345",
    "destination_number": "07700987654",
    "message": "STOP",
    "date_received": "2017-05-14T12:15:30.000000Z",
}
LETTER: dict[str, Any] = {
    "notification_id": "3d1ce039-5476-414c-99b2-fac1e6add62c",
    "reference": None,
    "date_sent": "2023-09-16T16:50:09.090424Z",
    "sent_by": "API",
    "template_name": None,
    "template_id": "None",
    "template_version": None,
    "spreadsheet_file_name": None,
    "spreadsheet_row_number": None,
    "upload_letter_file_name": "upload_letter.pdf",
}
ENDPOINTS = [
    ("/notify/delivery-receipts", SMS),
    ("/notify/delivery-receipts", EMAIL),
    ("/notify/received-texts", TEXT),
    ("/notify/returned-letters", LETTER),
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    for store in (receipts, texts, returned_letters):
        store.clear()
    with TestClient(app) as test_client:
        yield test_client


def post(
    client: TestClient,
    path: str,
    body: bytes | str,
    authorization: str | None = f"Bearer {TOKEN}",
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = client.post(path, content=body, headers=headers)
    return response.status_code, response.json() if response.content else None


def test_delivery_receipts_are_accepted(client: TestClient) -> None:
    assert post(client, "/notify/delivery-receipts", json.dumps(SMS)) == (200, None)
    assert post(client, "/notify/delivery-receipts", json.dumps(EMAIL)) == (200, None)

    sms, email = receipts
    assert isinstance(sms, SmsDeliveryReceipt)
    assert sms.reference is None
    assert isinstance(email, EmailDeliveryReceipt)
    assert email.status is EmailStatus.PERMANENT_FAILURE


def test_received_text_is_accepted(client: TestClient) -> None:
    assert post(client, "/notify/received-texts", json.dumps(TEXT)) == (200, None)

    assert [(text.source_number, text.message) for text in texts] == [("447700912345", "STOP")]


def test_returned_uploaded_letter_is_accepted(client: TestClient) -> None:
    assert post(client, "/notify/returned-letters", json.dumps(LETTER)) == (200, None)

    (letter,) = returned_letters
    assert letter.template_id is None
    assert letter.upload_letter_file_name == "upload_letter.pdf"


@pytest.mark.parametrize(("path", "payload"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization", [None, "  ", "Bearer ", f"Token {TOKEN}", f"Bearer {TOKEN}-old", TOKEN]
)
def test_missing_or_wrong_token_is_401(
    client: TestClient, path: str, payload: dict[str, Any], authorization: str | None
) -> None:
    status, answer = post(client, path, json.dumps(payload), authorization)

    assert status == 401
    assert TOKEN not in answer["error"]
    assert len(receipts) + len(texts) + len(returned_letters) == 0


@pytest.mark.parametrize(("path", "payload"), ENDPOINTS)
def test_malformed_body_is_400(client: TestClient, path: str, payload: dict[str, Any]) -> None:
    last_field = list(payload)[-1]
    without_last = {key: value for key, value in payload.items() if key != last_field}

    not_json = post(client, path, "<xml/>")
    not_an_object = post(client, path, json.dumps([payload]))
    bad_field = post(client, path, json.dumps({**payload, last_field: {"nested": True}}))

    assert not_json[0] == not_an_object[0] == bad_field[0] == 400
    assert "body: " in not_json[1]["error"]
    assert "body: " in not_an_object[1]["error"]
    assert f"{last_field}: " in bad_field[1]["error"]
    # Leaving out a field is refused unless the field is optional (only the letter's is).
    missing_status, _ = post(client, path, json.dumps(without_last))
    assert missing_status == (200 if last_field == "upload_letter_file_name" else 400)


def test_wrong_token_wins_over_a_malformed_body(client: TestClient) -> None:
    assert post(client, "/notify/received-texts", "{", "Bearer nope")[0] == 401
