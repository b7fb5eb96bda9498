"""Receiving Notify's callbacks in Flask: the README's example, run."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

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
from govuk_notify.models.enums import SmsStatus

from .bodies import EMAIL_RECEIPT, RECEIVED_TEXT, RETURNED_LETTER, SMS_RECEIPT

# --- the example --------------------------------------------------------------------------------

app = Flask(__name__)
app.config["NOTIFY_CALLBACK_TOKEN"] = "a-long-random-token-set-in-notify"

# Stand-ins for the application's own handling (a database update, a queue...).
receipts: list[DeliveryReceipt] = []
texts: list[ReceivedTextCallback] = []
returned_letters: list[ReturnedLetterCallback] = []


@app.errorhandler(CallbackError)
def refuse_callback(error: CallbackError) -> tuple[dict[str, str], int]:
    # 401 for a missing or wrong token, 400 for a body that is not the payload expected.
    return {"error": str(error)}, error.http_status


@app.post("/notify/delivery-receipts")
def delivery_receipt() -> tuple[str, int]:
    receipt = parse_delivery_receipt(
        request.headers.get("Authorization"),
        request.get_data(),
        expected_token=app.config["NOTIFY_CALLBACK_TOKEN"],
    )
    receipts.append(receipt)
    return "", 200


@app.post("/notify/received-texts")
def received_text() -> tuple[str, int]:
    text = parse_received_text(
        request.headers.get("Authorization"),
        request.get_data(),
        expected_token=app.config["NOTIFY_CALLBACK_TOKEN"],
    )
    texts.append(text)
    return "", 200


@app.post("/notify/returned-letters")
def returned_letter() -> tuple[str, int]:
    letter = parse_returned_letter(
        request.headers.get("Authorization"),
        request.get_data(),
        expected_token=app.config["NOTIFY_CALLBACK_TOKEN"],
    )
    returned_letters.append(letter)
    return "", 200


# --- the tests ----------------------------------------------------------------------------------

TOKEN = "a-long-random-token-set-in-notify"
ENDPOINTS = [
    ("/notify/delivery-receipts", SMS_RECEIPT),
    ("/notify/delivery-receipts", EMAIL_RECEIPT),
    ("/notify/received-texts", RECEIVED_TEXT),
    ("/notify/returned-letters", RETURNED_LETTER),
]


@pytest.fixture
def client() -> FlaskClient:
    for store in (receipts, texts, returned_letters):
        store.clear()
    return app.test_client()


def post(
    client: FlaskClient, path: str, body: bytes | str, authorization: str | None = f"Bearer {TOKEN}"
) -> tuple[int, Any]:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post(path, data=body, headers=headers, content_type="application/json")
    return response.status_code, response.get_json(silent=True)


def test_delivery_receipts_are_accepted(client: FlaskClient) -> None:
    assert post(client, "/notify/delivery-receipts", json.dumps(SMS_RECEIPT)) == (200, None)
    assert post(client, "/notify/delivery-receipts", json.dumps(EMAIL_RECEIPT)) == (200, None)

    sms, email = receipts
    assert isinstance(sms, SmsDeliveryReceipt)
    assert sms.status is SmsStatus.DELIVERED
    assert isinstance(email, EmailDeliveryReceipt)
    assert email.to == "amala@example.com"


def test_received_text_is_accepted(client: FlaskClient) -> None:
    assert post(client, "/notify/received-texts", json.dumps(RECEIVED_TEXT)) == (200, None)

    assert [text.message for text in texts] == ["Hello Notify!"]


def test_returned_letter_is_accepted(client: FlaskClient) -> None:
    assert post(client, "/notify/returned-letters", json.dumps(RETURNED_LETTER)) == (200, None)

    assert [letter.template_name for letter in returned_letters] == ["Appointment confirmation"]


@pytest.mark.parametrize(("path", "payload"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", f"Basic {TOKEN}", "Bearer not-the-token", TOKEN]
)
def test_missing_or_wrong_token_is_401(
    client: FlaskClient, path: str, payload: dict[str, Any], authorization: str | None
) -> None:
    status, answer = post(client, path, json.dumps(payload), authorization)

    assert status == 401
    assert TOKEN not in answer["error"]
    assert "not-the-token" not in answer["error"]
    assert len(receipts) + len(texts) + len(returned_letters) == 0


@pytest.mark.parametrize(("path", "payload"), ENDPOINTS)
def test_malformed_body_is_400(client: FlaskClient, path: str, payload: dict[str, Any]) -> None:
    first_field = next(iter(payload))

    bad_json = post(client, path, b'{"id": ')
    bad_field = post(client, path, json.dumps({**payload, first_field: [1, 2]}))

    assert bad_json[0] == 400
    assert bad_json[1]["error"].startswith("Malformed ")
    assert bad_field[0] == 400
    assert f"{first_field}: " in bad_field[1]["error"]
    assert len(receipts) + len(texts) + len(returned_letters) == 0


def test_a_receipt_sent_to_the_received_texts_url_is_400(client: FlaskClient) -> None:
    status, answer = post(client, "/notify/received-texts", json.dumps(SMS_RECEIPT))

    assert status == 400
    assert "source_number" in answer["error"]


def test_wrong_token_wins_over_a_malformed_body(client: FlaskClient) -> None:
    assert post(client, "/notify/returned-letters", b"{", "Bearer wrong")[0] == 401
