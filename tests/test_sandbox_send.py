"""Sends and what comes back: response fields, statuses over time, test and simulated
recipients, files by email, letters and their PDFs (contract §2, §3, §5.5)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Lifecycle, Sandbox, minimal_pdf

from .test_sandbox_support import (
    EMAIL_PERSONALISATION,
    LETTER_PERSONALISATION,
    SMS_PERSONALISATION,
    Raw,
    errors,
)

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
PLAIN = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
STEPS = Lifecycle(sending_after=10, delivered_after=20, virus_scan_after=5)
"""Slow on the wall clock: the tests move the sandbox's clock on with ``advance``."""
NOTIFICATION_KEYS = {
    "id", "reference", "email_address", "phone_number", "line_1", "line_2", "line_3", "line_4",
    "line_5", "line_6", "postcode", "type", "status", "template", "body", "subject",
    "created_at", "created_by_name", "sent_at", "completed_at", "scheduled_for", "postage",
    "one_click_unsubscribe_url", "is_cost_data_ready", "cost_in_pounds", "cost_details",
}  # fmt: skip


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lifecycle=STEPS) as sandbox:
        yield sandbox


@pytest.fixture
def raw(sandbox: Sandbox) -> Iterator[Raw]:
    client = Raw(sandbox)
    yield client
    client.close()


def send_sms(raw: Raw, **fields: Any) -> Any:
    body = {"phone_number": "07700900123", "template_id": SMS}
    body["personalisation"] = SMS_PERSONALISATION  # type: ignore[assignment]
    body.update(fields)
    response = raw.post("/v2/notifications/sms", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def send_email(raw: Raw, **fields: Any) -> Any:
    body: dict[str, Any] = {
        "email_address": "someone@example.com",
        "template_id": EMAIL,
        "personalisation": EMAIL_PERSONALISATION,
    }
    body.update(fields)
    response = raw.post("/v2/notifications/email", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def later(raw: Raw, seconds: float, notification_id: str) -> Any:
    """Move the sandbox's clock on, then read the notification."""
    raw.sandbox.advance(seconds)
    response = raw.get(f"/v2/notifications/{notification_id}")
    assert response.status_code == 200
    return response.json()


def test_sms_response_and_its_life(raw: Raw, sandbox: Sandbox) -> None:
    sent = send_sms(raw, reference="ref-1", phone_number="+44 (0)7700 900 123")
    assert set(sent) == {"id", "reference", "content", "uri", "template", "scheduled_for"}
    assert sent["reference"] == "ref-1"
    assert sent["content"] == {
        "body": "Hello Ann, your security code is 1234. It expires in 10 minutes.",
        "from_number": "GOVUK",
    }
    assert sent["uri"] == f"{sandbox.base_url}/v2/notifications/{sent['id']}"
    assert sent["template"] == {
        "id": SMS,
        "version": 2,
        "uri": f"{sandbox.base_url}/services/{sandbox.service_id}/templates/{SMS}",
    }
    first = raw.get(f"/v2/notifications/{sent['id']}").json()
    assert set(first) == NOTIFICATION_KEYS
    assert first["status"] == "created"
    assert first["phone_number"] == "+44 (0)7700 900 123"  # as submitted
    assert first["email_address"] is None
    assert first["line_1"] is None
    assert first["type"] == "sms"
    assert first["subject"] is None
    assert TIMESTAMP.match(first["created_at"])
    assert first["sent_at"] is None
    assert first["completed_at"] is None
    assert first["template"]["uri"] == f"{sandbox.base_url}/v2/template/{SMS}/version/2"
    assert first["is_cost_data_ready"] is False
    assert first["cost_details"] == {}
    assert first["cost_in_pounds"] is None

    sending = later(raw, 10, sent["id"])
    assert sending["status"] == "sending"
    assert TIMESTAMP.match(sending["sent_at"])
    assert sending["completed_at"] is None
    assert sending["is_cost_data_ready"] is True
    assert sending["cost_details"] == {
        "billable_sms_fragments": 1,
        "international_rate_multiplier": 1.0,
        "sms_rate": 0.0227,
    }
    delivered = later(raw, 10, sent["id"])
    assert delivered["status"] == "delivered"
    assert delivered["completed_at"] >= delivered["sent_at"] >= delivered["created_at"]
    assert delivered["cost_in_pounds"] == pytest.approx(0.0227)


def test_sms_text_is_gsm_sanitised_and_senders_are_normalised(raw: Raw, sandbox: Sandbox) -> None:
    sender_id = next(i for i, text in sandbox.service.sms_senders.items() if text[0].isdigit())
    sent = send_sms(
        raw,
        personalisation={"name": "\u201cJo\u00e3o\u201d \U0001f600 \u2013 \u0175", "code": 7},
        sms_sender_id=sender_id,
    )
    assert sent["content"]["body"].startswith('Hello "Joao" ? - \u0175, your security code is 7.')
    assert sent["content"]["from_number"] == "447700900456"


def test_test_recipients_fail_and_simulated_ones_are_not_stored(raw: Raw, sandbox: Sandbox) -> None:
    temporary = send_sms(raw, phone_number="07700900003")
    permanent = send_sms(raw, phone_number="07700 900002")
    temp_email = send_email(raw, email_address="temp-fail@simulator.notify")
    perm_email = send_email(raw, email_address="Perm-Fail@Simulator.Notify")
    assert later(raw, 20, temporary["id"])["status"] == "temporary-failure"
    for sent, status in (
        (temporary, "temporary-failure"),
        (permanent, "permanent-failure"),
        (temp_email, "temporary-failure"),
        (perm_email, "permanent-failure"),
    ):
        body = raw.get(f"/v2/notifications/{sent['id']}").json()
        assert body["status"] == status
        assert body["completed_at"] is not None

    simulated = [
        send_sms(raw, phone_number=n) for n in ("07700900000", "07700900111", "07700900222")
    ]
    simulated += [
        send_email(raw, email_address=f"simulate-delivered{suffix}@notifications.service.gov.uk")
        for suffix in ("", "-2", "-3")
    ]
    for sent in simulated:
        response = raw.get(f"/v2/notifications/{sent['id']}")
        assert response.status_code == 404
        assert errors(response) == [("NoResultFound", "No result found")]
    assert len(sandbox.notifications()) == 4


def test_email_response_and_sanitised_content(raw: Raw, sandbox: Sandbox) -> None:
    sent = send_email(
        raw,
        personalisation=dict(EMAIL_PERSONALISATION, document_type="\"tax\" form - 'A'"),
        one_click_unsubscribe_url="https://example.com/unsubscribe",
    )
    assert set(sent) == {
        "id", "reference", "uri", "template", "scheduled_for", "content", "sanitised_content"
    }  # fmt: skip
    assert sent["sanitised_content"] == {}
    assert sent["content"]["from_email"] == "sandbox.service@notifications.service.gov.uk"
    assert sent["content"]["subject"] == "Your \u201ctax\u201d form \u2013 \u2018A\u2019 is ready"
    assert sent["content"]["one_click_unsubscribe_url"] == "https://example.com/unsubscribe"
    assert sent["content"]["body"].startswith("Dear Ann,\n\nYour \"tax\" form - 'A' is ready.")
    stored = raw.get(f"/v2/notifications/{sent['id']}").json()
    assert stored["one_click_unsubscribe_url"] == "https://example.com/unsubscribe"
    assert stored["email_address"] == "someone@example.com"
    assert (stored["is_cost_data_ready"], stored["cost_in_pounds"], stored["cost_details"]) == (
        True,
        0.0,
        {},
    )
    assert "estimated_delivery" not in stored

    cleaned = send_email(
        raw,
        template_id=PLAIN,
        personalisation={"Subject": "Hi", "body": "Visit evil.com or https://x.test/a *now*!"},
        sanitise_content_for=["BODY", "subject", "unknown"],
    )
    assert cleaned["sanitised_content"] == {
        "body": {
            "unsanitised": "Visit evil.com or https://x.test/a *now*!",
            "sanitised": "Visit evil\\. com or  \\*now\\*\\!",
        }
    }
    assert cleaned["content"]["body"] == "Visit evil\\. com or  \\*now\\*\\!"
    assert cleaned["content"]["one_click_unsubscribe_url"] is None


def test_files_by_email(raw: Raw, sandbox: Sandbox) -> None:
    csv = b"name,amount\nAnn,3\n"
    upload = {
        "file": base64.b64encode(csv).decode(),
        "filename": "report.csv",
        "confirm_email_before_download": None,
        "retention_period": "4 week",
    }
    sent = send_email(raw, personalisation=dict(EMAIL_PERSONALISATION, link_to_file=upload))
    link = re.search(r"(http://\S+/sandbox/documents/\S+)", sent["content"]["body"])
    assert link is not None
    download = raw.session.get(link.group(1), timeout=10)
    assert download.status_code == 200
    assert download.content == csv
    assert download.headers["Content-Disposition"] == 'attachment; filename="report.csv"'
    [email] = sandbox.sent_emails()
    [document] = email.files
    assert (document.filename, document.mime_type, document.content) == (
        "report.csv",
        "text/csv",
        csv,
    )
    assert document.retention_period == "4 weeks"
    assert document.confirm_email_before_download is True
    assert email.personalisation["link_to_file"] == document.url == link.group(1)
    assert f'href="{document.url}"' in email.html

    simulated = send_email(
        raw,
        email_address="simulate-delivered@notifications.service.gov.uk",
        personalisation=dict(EMAIL_PERSONALISATION, link_to_file=upload),
    )
    assert "/sandbox/documents/test-document" in simulated["content"]["body"]


def test_letters_accepted_received_and_their_pdf(raw: Raw, sandbox: Sandbox) -> None:
    personalisation = dict(LETTER_PERSONALISATION, application_number="A&B <1>")
    response = raw.post(
        "/v2/notifications/letter",
        json={"template_id": LETTER, "personalisation": personalisation, "reference": "L1"},
    )
    assert response.status_code == 201
    sent = response.json()
    assert set(sent) == {"id", "reference", "uri", "template", "content", "scheduled_for"}
    assert sent["content"]["subject"] == "Your application A&amp;B &lt;1&gt;"
    assert "We received your application A&B <1> on 1 May 2026." in sent["content"]["body"]

    first = raw.get(f"/v2/notifications/{sent['id']}").json()
    assert first["status"] == "accepted"
    assert (first["line_1"], first["line_2"], first["line_3"], first["postcode"]) == (
        "Ann Smith",
        "1 High Street",
        "London",
        "SW1A 1AA",
    )
    assert first["line_4"] is None
    assert first["postage"] == "second"
    assert TIMESTAMP.match(first["estimated_delivery"])
    assert first["is_cost_data_ready"] is False
    not_ready = raw.get(f"/v2/notifications/{sent['id']}/pdf")
    assert errors(not_ready) == [("PDFNotReadyError", "PDF not available yet, try again later")]

    assert later(raw, 10, sent["id"])["status"] == "accepted"
    assert sandbox.wait_for_status(sent["id"], "sending", timeout=0).status == "accepted"
    pdf = raw.get(f"/v2/notifications/{sent['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.content.rstrip().endswith(b"%%EOF")
    received = later(raw, 10, sent["id"])
    assert received["status"] == "received"
    assert received["cost_details"] == {"billable_sheets_of_paper": 1, "postage": "second"}
    assert received["cost_in_pounds"] == 0.68

    [letter] = sandbox.sent_letters()
    assert letter.address == ("Ann Smith", "1 High Street", "London", "SW1A 1AA")
    assert letter.pdf == pdf.content


def test_letters_abroad_get_international_postage(raw: Raw) -> None:
    for country, postage in (("France", "europe"), ("New Zealand", "rest-of-world")):
        personalisation = dict(LETTER_PERSONALISATION, address_line_3="Somewhere", postcode=country)
        response = raw.post(
            "/v2/notifications/letter",
            json={"template_id": LETTER, "personalisation": personalisation},
        )
        assert response.status_code == 201, response.text
        stored = raw.get(f"/v2/notifications/{response.json()['id']}").json()
        assert stored["postage"] == postage


def test_precompiled_letters(raw: Raw, sandbox: Sandbox) -> None:
    pdf = minimal_pdf("Dear Ann")
    response = raw.post(
        "/v2/notifications/letter",
        json={"reference": "pre-1", "content": base64.b64encode(pdf).decode(), "postage": "first"},
    )
    assert response.status_code == 201
    sent = response.json()
    assert set(sent) == {"id", "reference", "postage"}
    assert (sent["reference"], sent["postage"]) == ("pre-1", "first")
    stored = raw.get(f"/v2/notifications/{sent['id']}").json()
    assert stored["status"] == "pending-virus-check"
    assert stored["line_1"] == "Provided as PDF"
    assert stored["line_2"] is None
    assert stored["postcode"] is None
    assert errors(raw.get(f"/v2/notifications/{sent['id']}/pdf")) == [
        ("PDFNotReadyError", "PDF not available yet, try again later")
    ]
    assert later(raw, 5, sent["id"])["status"] == "accepted"
    assert raw.get(f"/v2/notifications/{sent['id']}/pdf").content == pdf
    assert later(raw, 20, sent["id"])["status"] == "received"

    junk = raw.post(
        "/v2/notifications/letter",
        json={"reference": "pre-2", "content": base64.b64encode(b"not a pdf").decode()},
    ).json()
    assert junk["postage"] == "second"
    failed = later(raw, 5, junk["id"])
    assert failed["status"] == "validation-failed"
    assert failed["completed_at"] is not None
    assert failed["cost_details"] == {"billable_sheets_of_paper": 0, "postage": "second"}


def test_pdf_errors(raw: Raw, sandbox: Sandbox) -> None:
    sms = send_sms(raw)
    assert errors(raw.get(f"/v2/notifications/{sms['id']}/pdf")) == [
        ("BadRequestError", "Notification is not a letter")
    ]
    letter = raw.post(
        "/v2/notifications/letter",
        json={"template_id": LETTER, "personalisation": LETTER_PERSONALISATION},
    ).json()
    sandbox.set_status(letter["id"], "technical-failure")
    assert errors(raw.get(f"/v2/notifications/{letter['id']}/pdf")) == [
        ("BadRequestError", "PDF not available for letters in status technical-failure")
    ]
    sandbox.set_status(letter["id"], "virus-scan-failed")
    assert errors(raw.get(f"/v2/notifications/{letter['id']}/pdf")) == [
        ("BadRequestError", "File did not pass the virus scan")
    ]
    response = raw.post(
        f"/sandbox/notifications/{letter['id']}/status", json={"status": "returned-letter"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "received"


def test_a_test_key_can_read_a_live_notification(sandbox: Sandbox, raw: Raw) -> None:
    sent = send_sms(raw)
    test = Raw(sandbox, "test")
    assert test.get(f"/v2/notifications/{sent['id']}").status_code == 200
    test.close()


def test_received_texts_can_be_injected_over_http(raw: Raw, sandbox: Sandbox) -> None:
    response = raw.post(
        "/sandbox/received-text-messages", json={"content": "STOP", "user_number": "447700900111"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["content"] == "STOP"
    assert body["user_number"] == "447700900111"
    assert body["notify_number"] == "07700900456"
    assert body["service_id"] == sandbox.service_id
    listed = raw.get("/v2/received-text-messages").json()
    assert listed["received_text_messages"] == [body]
    bad = raw.post("/sandbox/received-text-messages", json={"text": "x"})
    assert errors(bad) == [
        ("ValidationError", "content is a required property"),
        ("ValidationError", "Additional properties are not allowed (text was unexpected)"),
    ]
    unauthenticated = raw.session.post(
        raw.base_url + "/sandbox/received-text-messages", json={"content": "x"}, timeout=10
    )
    assert unauthenticated.status_code == 401


def test_every_answer_has_the_servers_headers(raw: Raw) -> None:
    response = raw.get("/v2/templates")
    assert response.headers["Cache-Control"] == "no-store, no-cache, private, must-revalidate"
    assert "Strict-Transport-Security" in response.headers
    assert response.headers["Content-Type"] == "application/json"
    assert raw.session.get(raw.base_url + "/_status", timeout=10).json()["status"] == "ok"


def test_a_test_keys_letter_is_never_printed_and_starts_sending(sandbox: Sandbox) -> None:
    test = Raw(sandbox, "test")
    sent = test.post(
        "/v2/notifications/letter",
        json={"template_id": LETTER, "personalisation": LETTER_PERSONALISATION},
    ).json()
    [letter] = sandbox.sent_letters(key_type="test")
    assert letter.raw_status == "sending"
    assert letter.sent_at == letter.created_at
    assert test.get(f"/v2/notifications/{sent['id']}/pdf").status_code == 200
    assert later(test, 20, sent["id"])["status"] == "received"
    test.close()
