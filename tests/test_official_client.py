"""The official ``notifications-python-client`` works against the embedded sandbox, unchanged.

Teams moving to govuk-notify can point the client they have at the sandbox first. The official
client is a development dependency only (``[dependency-groups] dev``); this module is skipped
where it is not installed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, minimal_pdf

official = pytest.importorskip("notifications_python_client")
from notifications_python_client.errors import HTTPError  # noqa: E402
from notifications_python_client.notifications import NotificationsAPIClient  # noqa: E402

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
ADDRESS = {
    "address_line_1": "A Person",
    "address_line_2": "1 High Street",
    "address_line_3": "SW1A 2AA",
}


@pytest.fixture
def pair() -> Iterator[tuple[Sandbox, Any]]:
    with Sandbox() as sandbox:
        client = NotificationsAPIClient(sandbox.api_keys.live, base_url=sandbox.base_url)  # type: ignore[no-untyped-call]
        yield sandbox, client


def test_every_kind_of_message_sends(pair: tuple[Sandbox, Any]) -> None:
    sandbox, client = pair
    sms = client.send_sms_notification("07700900123", SMS, {"name": "Amala", "code": "123456"})
    assert sms["content"]["body"].startswith("Hello Amala, your security code is 123456")
    email = client.send_email_notification(
        "amala@example.gov.uk",
        EMAIL,
        {
            "name": "Amala",
            "document_type": "licence",
            "link_to_file": "https://example.gov.uk",
            "urgent": "no",
        },
    )
    assert email["content"]["subject"] == "Your licence is ready"
    letter = client.send_letter_notification(
        LETTER,
        {
            **ADDRESS,
            "name": "Amala",
            "application_number": "A1",
            "date": "1 May",
            "needs_documents": "no",
        },
    )
    assert letter["content"]["subject"] == "Your application A1"
    precompiled = client.send_precompiled_letter_notification("pdf-1", io.BytesIO(minimal_pdf()))
    assert precompiled["reference"] == "pdf-1"
    sent = {n.id for n in sandbox.notifications()}
    assert sent == {sms["id"], email["id"], letter["id"], precompiled["id"]}


def test_reads_work(pair: tuple[Sandbox, Any]) -> None:
    sandbox, client = pair
    sms = client.send_sms_notification(
        "07700900123", SMS, {"name": "A", "code": "1"}, reference="r1"
    )
    assert client.get_notification_by_id(sms["id"])["reference"] == "r1"
    page = client.get_all_notifications(status="created", template_type="sms")
    assert [n["id"] for n in page["notifications"]] == [sms["id"]]
    assert [n["id"] for n in client.get_all_notifications_iterator()] == [sms["id"]]
    assert client.get_template(SMS)["id"] == SMS
    assert client.get_template_version(SMS, 1)["version"] == 1
    assert {t["id"] for t in client.get_all_templates()["templates"]} == set(
        DEFAULT_TEMPLATE_IDS.values()
    )
    preview = client.post_template_preview(SMS, {"name": "B", "code": "2"})
    assert preview["body"].startswith("Hello B")
    sandbox.add_received_text("hello", user_number="447700900111")
    [received] = client.get_received_texts()["received_text_messages"]
    assert received["content"] == "hello"
    assert [t["content"] for t in client.get_received_texts_iterator()] == ["hello"]


def test_errors_come_back_as_the_official_client_reports_them(pair: tuple[Sandbox, Any]) -> None:
    _, client = pair
    with pytest.raises(HTTPError) as caught:
        client.send_sms_notification("12345", SMS, {"name": "A", "code": "1"})
    assert caught.value.status_code == 400
    assert caught.value.message == [
        {"error": "ValidationError", "message": "phone_number Not enough digits"}
    ]
