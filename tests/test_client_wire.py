"""What each NotifyClient method sends on the wire, and what it returns from realistic bodies."""

from __future__ import annotations

import base64
import io
import time
import uuid
from collections.abc import Iterator
from datetime import timezone

import jwt
import pytest

from govuk_notify import (
    EmailNotification,
    EmailStatus,
    LetterNotification,
    LetterStatus,
    NotifyClient,
    Postage,
    RetryPolicy,
    SmsNotification,
    SmsStatus,
    TemplateType,
    __version__,
    prepare_upload,
)

from . import bodies
from .wire import Recorded, Reply, WireServer


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


@pytest.fixture
def client(server: WireServer) -> Iterator[NotifyClient]:
    with NotifyClient(bodies.API_KEY, base_url=server.url, retry=RetryPolicy(max_retries=0)) as c:
        yield c


def check_auth(request: Recorded) -> None:
    """The request carries a fresh HS256 JWT for the service, and the package's User-Agent."""
    scheme, token = request.headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, bodies.SECRET, algorithms=["HS256"])
    assert set(claims) == {"iss", "iat"}
    assert claims["iss"] == bodies.SERVICE_ID
    assert isinstance(claims["iat"], int)
    assert abs(claims["iat"] - time.time()) <= 2
    user_agent = request.headers["User-Agent"]
    assert user_agent.startswith("NOTIFY")
    assert "GOVUK-NOTIFY" in user_agent
    assert user_agent.endswith(f"/{__version__}")


def test_send_sms_wire_and_model(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(201, bodies.sms_response()))
    response = client.send_sms_notification(
        "07700 900123",
        uuid.UUID(bodies.TEMPLATE_ID),
        personalisation={"name": "Amala", "count": 3, "items": ["a", None]},
        reference="ref-1",
        sms_sender_id=bodies.OLDER_ID.upper(),
    )
    request = server.last
    assert (request.method, request.path, request.query) == ("POST", "/v2/notifications/sms", {})
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "phone_number": "07700 900123",
        "template_id": bodies.TEMPLATE_ID,
        "personalisation": {"name": "Amala", "count": 3, "items": ["a", None]},
        "reference": "ref-1",
        "sms_sender_id": bodies.OLDER_ID,
    }
    check_auth(request)
    assert response.id == uuid.UUID(bodies.NOTIFICATION_ID)
    assert response.content.from_number == "GOVUK"
    assert response.template.version == 3
    assert response.reference == "ref-1"


def test_optional_fields_are_left_out(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(201, bodies.sms_response(reference=None)))
    client.send_sms_notification("+447700900123", bodies.TEMPLATE_ID)
    assert server.last.json() == {
        "phone_number": "+447700900123",
        "template_id": bodies.TEMPLATE_ID,
    }


def test_send_email_with_file(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(201, bodies.email_response()))
    upload = prepare_upload(
        io.BytesIO(b"a,b\n1,2\n"),
        filename="report.csv",
        confirm_email_before_download=False,
        retention_period="4 weeks",
    )
    response = client.send_email_notification(
        "amala@example.gov.uk",
        bodies.TEMPLATE_ID,
        personalisation={"name": "see www.evil.com", "link_to_file": upload},
        email_reply_to_id=bodies.OLDER_ID,
        one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?id=1",
        sanitise_content_for=["name"],
    )
    body = server.last.json()
    assert server.last.path == "/v2/notifications/email"
    assert body["personalisation"]["link_to_file"] == {
        "file": base64.b64encode(b"a,b\n1,2\n").decode(),
        "filename": "report.csv",
        "confirm_email_before_download": False,
        "retention_period": "4 weeks",
    }
    assert body["email_reply_to_id"] == bodies.OLDER_ID
    assert body["one_click_unsubscribe_url"] == "https://example.gov.uk/unsubscribe?id=1"
    assert body["sanitise_content_for"] == ["name"]
    check_auth(server.last)
    assert response.sanitised_content["name"].sanitised == "see www. evil. com"
    assert response.content.one_click_unsubscribe_url == "https://example.gov.uk/unsubscribe?id=1"


def test_send_letter(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(201, bodies.letter_response()))
    personalisation = {
        "address_line_1": "The Occupier",
        "address_line_2": "123 High Street",
        "address_line_3": "SW14 6BF",
        "name": "John Smith",
    }
    response = client.send_letter_notification(bodies.TEMPLATE_ID, personalisation, "letter-1")
    assert server.last.path == "/v2/notifications/letter"
    assert server.last.json() == {
        "template_id": bodies.TEMPLATE_ID,
        "personalisation": personalisation,
        "reference": "letter-1",
    }
    assert response.content.subject == "Council tax &amp; you"


def test_send_precompiled_letter(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(201, bodies.precompiled_response()))
    pdf = b"%PDF-1.4\n%fake but bytes\n"
    response = client.send_precompiled_letter_notification("pdf-1", io.BytesIO(pdf), "first")
    assert server.last.json() == {
        "reference": "pdf-1",
        "content": base64.b64encode(pdf).decode(),
        "postage": "first",
    }
    assert response.postage is Postage.FIRST


def test_get_notification_by_id_is_typed_by_channel(
    server: WireServer, client: NotifyClient
) -> None:
    server.add(
        Reply(200, bodies.sms_notification()),
        Reply(200, bodies.email_notification()),
        Reply(200, bodies.letter_notification("pending-virus-check")),
    )
    sms = client.get_notification_by_id(bodies.NOTIFICATION_ID)
    assert server.last.method == "GET"
    assert server.last.path == f"/v2/notifications/{bodies.NOTIFICATION_ID}"
    assert server.last.body == b""
    check_auth(server.last)
    assert isinstance(sms, SmsNotification)
    assert sms.status is SmsStatus.DELIVERED
    assert sms.created_at.tzinfo == timezone.utc
    assert sms.created_at.microsecond == 342838
    assert sms.cost_details.billable_sms_fragments == 2
    assert sms.phone_number == "+(44) 77009-00855"

    email = client.get_notification_by_id(uuid.UUID(bodies.NOTIFICATION_ID))
    assert isinstance(email, EmailNotification)
    assert email.status is EmailStatus.SENDING

    letter = client.get_notification_by_id(bodies.NOTIFICATION_ID)
    assert isinstance(letter, LetterNotification)
    assert letter.status.value == "pending-virus-check"
    assert letter.status.is_known
    assert letter.postage is Postage.SECOND
    assert letter.estimated_delivery is not None


def test_letter_status_values_are_letter_statuses(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(200, bodies.letter_notification("received")))
    letter = client.get_notification_by_id(bodies.NOTIFICATION_ID)
    assert isinstance(letter, LetterNotification)
    assert letter.status is LetterStatus.RECEIVED


def test_unknown_fields_and_values_do_not_crash(server: WireServer, client: NotifyClient) -> None:
    body = bodies.sms_notification(status="queued-on-the-moon")
    body["brand_new_field"] = {"x": 1}
    body["cost_details"]["new_cost"] = 5
    server.add(Reply(200, body))
    sms = client.get_notification_by_id(bodies.NOTIFICATION_ID)
    assert isinstance(sms, SmsNotification)
    assert sms.status.value == "queued-on-the-moon"
    assert not sms.status.is_known
    assert sms.model_extra == {"brand_new_field": {"x": 1}}
    assert sms.cost_details.model_extra == {"new_cost": 5}
    assert sms.email_address is None


def test_get_all_notifications_query(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(200, bodies.notification_list(2)))
    page = client.get_all_notifications(
        status=["failed", "delivered"],
        template_type="sms",
        reference="ref with spaces&=",
        older_than=bodies.OLDER_ID,
        include_jobs=True,
    )
    request = server.last
    assert request.path == "/v2/notifications"
    assert request.query == {
        "status": ["failed", "delivered"],
        "template_type": ["sms"],
        "reference": ["ref with spaces&="],
        "older_than": [bodies.OLDER_ID],
        "include_jobs": ["true"],
    }
    check_auth(request)
    assert len(page.notifications) == 2
    assert page.links.next is not None


def test_iterator_follows_pages_with_filters(server: WireServer, client: NotifyClient) -> None:
    second_cursor = "00000001-0000-4000-8000-000000000000"
    server.add(
        Reply(200, bodies.notification_list(3, next_id=bodies.OLDER_ID)),
        Reply(200, bodies.notification_list(2, next_id=second_cursor)),
        Reply(200, bodies.notification_list(0, next_id=None)),
    )
    items = list(
        client.get_all_notifications_iterator(status="sending", include_jobs=True, reference="r")
    )
    assert len(items) == 5
    assert len(server.requests) == 3
    for request in server.requests:
        assert request.query["include_jobs"] == ["true"]
        assert request.query["status"] == ["sending"]
        assert request.query["reference"] == ["r"]
    assert "older_than" not in server.requests[0].query
    assert server.requests[1].query["older_than"] == [bodies.OLDER_ID]
    assert server.requests[2].query["older_than"] == [second_cursor]


def test_iterator_never_contacts_a_host_from_links(
    server: WireServer, client: NotifyClient
) -> None:
    body = bodies.notification_list(1)
    body["links"]["next"] = f"https://evil.example/v2/notifications?older_than={bodies.OLDER_ID}"
    server.add(Reply(200, body), Reply(200, bodies.notification_list(0, next_id=None)))
    assert len(list(client.get_all_notifications_iterator())) == 1
    assert len(server.requests) == 2  # the second page came from our own server


def test_get_pdf_for_letter(server: WireServer, client: NotifyClient) -> None:
    pdf = b"%PDF-1.7\nbytes\n%%EOF"
    server.add(Reply(200, pdf, headers={"Content-Type": "application/pdf"}))
    result = client.get_pdf_for_letter(bodies.NOTIFICATION_ID)
    assert server.last.path == f"/v2/notifications/{bodies.NOTIFICATION_ID}/pdf"
    assert isinstance(result, io.BytesIO)
    assert result.read() == pdf


def test_templates(server: WireServer, client: NotifyClient) -> None:
    server.add(
        Reply(200, bodies.template()),
        Reply(200, bodies.template("letter")),
        Reply(200, {"templates": [bodies.template("sms"), bodies.template()]}),
    )
    template = client.get_template(bodies.TEMPLATE_ID)
    assert server.last.path == f"/v2/template/{bodies.TEMPLATE_ID}"
    assert template.type is TemplateType.EMAIL
    assert template.personalisation is not None
    assert template.missing_personalisation({"first_name": "A", "REF": 1}) == ["has_car"]

    version = client.get_template_version(bodies.TEMPLATE_ID, 2)
    assert server.last.path == f"/v2/template/{bodies.TEMPLATE_ID}/version/2"
    assert version.postage is Postage.SECOND

    templates = client.get_all_templates(TemplateType.SMS)
    assert server.last.path == "/v2/templates"
    assert server.last.query == {"type": ["sms"]}
    assert [t.type for t in templates.templates] == [TemplateType.SMS, TemplateType.EMAIL]


def test_template_preview(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(200, bodies.preview()))
    result = client.post_template_preview(bodies.TEMPLATE_ID, {"First Name": "Amala", "ref": 42})
    assert server.last.method == "POST"
    assert server.last.path == f"/v2/template/{bodies.TEMPLATE_ID}/preview"
    assert server.last.json() == {"personalisation": {"First Name": "Amala", "ref": 42}}
    check_auth(server.last)
    assert result.html == "<p>Dear Amala</p>"


def test_received_texts(server: WireServer, client: NotifyClient) -> None:
    server.add(
        Reply(200, bodies.received_texts(2)),
        Reply(200, bodies.received_texts(1)),
        Reply(200, bodies.received_texts(0, next_id=None)),
        Reply(200, bodies.received_texts(0, next_id=None)),
    )
    page = client.get_received_texts(older_than=bodies.NOTIFICATION_ID)
    assert server.last.path == "/v2/received-text-messages"
    assert server.last.query == {"older_than": [bodies.NOTIFICATION_ID]}
    assert [m.content for m in page.received_text_messages] == ["reply 0", "reply 1"]
    assert str(page.received_text_messages[0].service_id) == bodies.SERVICE_ID

    texts = list(client.get_received_texts_iterator())
    assert [m.content for m in texts] == ["reply 0"]
    assert server.requests[-1].query == {"older_than": [bodies.OLDER_ID]}
    assert list(client.get_received_texts_iterator()) == []


def test_every_request_has_a_fresh_token(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(200, bodies.template()), Reply(200, bodies.template()))
    client.get_template(bodies.TEMPLATE_ID)
    client.get_template(bodies.TEMPLATE_ID)
    for request in server.requests:
        check_auth(request)


def test_base_url_path_prefix_is_kept(server: WireServer) -> None:
    server.add(Reply(200, bodies.template()))
    with NotifyClient(bodies.API_KEY, base_url=server.url + "/notify/") as c:
        c.get_template(bodies.TEMPLATE_ID)
    assert server.last.path == f"/notify/v2/template/{bodies.TEMPLATE_ID}"
