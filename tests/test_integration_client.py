"""Every method of both clients (NotifyClient and AsyncNotifyClient) against the embedded
sandbox, over real sockets."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterator
from datetime import timezone

import pytest

from govuk_notify import (
    AuthError,
    BadRequestError,
    DailyLimitError,
    EmailNotification,
    EmailRequest,
    EmailResponse,
    EmailStatus,
    LetterNotification,
    LetterRequest,
    LetterResponse,
    LetterStatus,
    NotFoundError,
    NotificationList,
    NotifyClient,
    PDFNotReadyError,
    Postage,
    PrecompiledLetterRequest,
    PrecompiledLetterResponse,
    PrecompiledLetterStatus,
    RateLimitError,
    ReceivedText,
    ReceivedTextList,
    RetryPolicy,
    SmsNotification,
    SmsRequest,
    SmsResponse,
    SmsStatus,
    Template,
    TemplateList,
    TemplatePreview,
    TemplateType,
    prepare_upload,
)
from govuk_notify.bulk import Sent
from govuk_notify.sandbox import (
    DEFAULT_TEMPLATE_IDS,
    Lifecycle,
    Sandbox,
    minimal_pdf,
    sandbox_client,
)
from govuk_notify.sandbox.config import DEFAULT_EMAIL_REPLY_TO_ID, INBOUND_NUMBER_SENDER_ID

from .clients import FLAVOURS, Flavour, make_client

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
PLAIN = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
STEPS = Lifecycle(sending_after=10, delivered_after=20, virus_scan_after=5)
"""Slow on the wall clock: the tests move the sandbox's clock on with ``advance``."""
ADDRESS = {
    "address_line_1": "Ann Smith",
    "address_line_2": "1 High Street",
    "address_line_3": "London",
    "postcode": "SW1A 1AA",
}
LETTER_VALUES = {
    **ADDRESS,
    "name": "Ann",
    "application_number": "A-1",
    "date": "1 May",
    "needs_documents": "no",
}
NO_RETRY = RetryPolicy(max_retries=0)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lifecycle=STEPS) as sandbox:
        yield sandbox


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return request.param  # type: ignore[no-any-return]


def client_of(sandbox: Sandbox, flavour: Flavour, key_type: str = "live") -> NotifyClient:
    """A client of this flavour for the sandbox, without retries."""
    key = sandbox.api_keys.for_type(key_type)
    return make_client(flavour, key, sandbox.base_url, retry=NO_RETRY)


@pytest.fixture
def client(sandbox: Sandbox, flavour: Flavour) -> Iterator[NotifyClient]:
    with client_of(sandbox, flavour) as client:
        yield client


def test_sandbox_client_one_liner() -> None:
    with sandbox_client() as client:
        assert isinstance(client, NotifyClient)
        assert client.base_url.startswith("http://127.0.0.1:")
        assert len(client.get_all_templates().templates) == 4


def test_send_sms_and_read_it_back(client: NotifyClient, sandbox: Sandbox) -> None:
    response = client.send_sms_notification(
        "07700 900123",
        SMS,
        personalisation={"name": "Ann", "code": 42},
        reference="sms-1",
        sms_sender_id=INBOUND_NUMBER_SENDER_ID,
    )
    assert isinstance(response, SmsResponse)
    assert response.reference == "sms-1"
    assert response.content.body == "Hello Ann, your security code is 42. It expires in 10 minutes."
    assert response.content.from_number == "447700900456"
    assert response.template.id == uuid.UUID(SMS)
    assert response.template.version == 2
    assert response.scheduled_for is None

    notification = client.get_notification_by_id(response.id)
    assert isinstance(notification, SmsNotification)
    assert notification.status is SmsStatus.CREATED
    assert notification.phone_number == "07700 900123"
    assert notification.created_at.tzinfo == timezone.utc
    sandbox.advance(20)
    delivered = client.get_notification_by_id(str(response.id))
    assert isinstance(delivered, SmsNotification)
    assert delivered.status is SmsStatus.DELIVERED
    assert delivered.completed_at is not None
    assert delivered.sent_at is not None
    assert delivered.cost_details.billable_sms_fragments == 1
    assert delivered.is_cost_data_ready is True


def test_send_email_with_a_file(client: NotifyClient, sandbox: Sandbox) -> None:
    upload = prepare_upload(
        io.BytesIO(b"%PDF-1.4 tiny\n%%EOF\n"), filename="letter.pdf", retention_period="2 weeks"
    )
    response = client.send_email_notification(
        "ann@example.com",
        EMAIL,
        personalisation={
            "name": "Ann",
            "document_type": "report",
            "urgent": "yes",
            "link_to_file": upload,
        },
        reference="email-1",
        email_reply_to_id=DEFAULT_EMAIL_REPLY_TO_ID,
        one_click_unsubscribe_url="https://example.com/unsubscribe",
    )
    assert isinstance(response, EmailResponse)
    assert response.content.subject == "Your report is ready"
    assert response.content.from_email == "sandbox.service@notifications.service.gov.uk"
    assert response.content.one_click_unsubscribe_url == "https://example.com/unsubscribe"
    assert response.sanitised_content == {}
    [email] = sandbox.sent_emails()
    assert email.files[0].url in response.content.body
    assert email.files[0].retention_period == "2 weeks"
    assert email.reply_to == "sandbox-replies@example.gov.uk"

    notification = client.get_notification_by_id(response.id)
    assert isinstance(notification, EmailNotification)
    assert notification.status in (EmailStatus.CREATED, EmailStatus.SENDING)
    assert notification.email_address == "ann@example.com"
    assert notification.one_click_unsubscribe_url == "https://example.com/unsubscribe"


def test_sanitise_content_for(client: NotifyClient) -> None:
    response = client.send_email_notification(
        "ann@example.com",
        PLAIN,
        personalisation={"subject": "Hi", "body": "Click *here*"},
        sanitise_content_for=["body"],
    )
    assert response.sanitised_content["body"].sanitised == "Click \\*here\\*"
    assert response.content.body == "Click \\*here\\*"


def test_send_letter_and_get_its_pdf(client: NotifyClient, sandbox: Sandbox) -> None:
    response = client.send_letter_notification(LETTER, LETTER_VALUES, reference="letter-1")
    assert isinstance(response, LetterResponse)
    assert response.content.subject == "Your application A-1"
    with pytest.raises(PDFNotReadyError):
        client.get_pdf_for_letter(response.id)
    notification = client.get_notification_by_id(response.id)
    assert isinstance(notification, LetterNotification)
    assert notification.status is LetterStatus.ACCEPTED
    assert notification.line_1 == "Ann Smith"
    assert notification.postcode == "SW1A 1AA"
    assert notification.postage is Postage.SECOND
    assert notification.estimated_delivery is not None
    sandbox.advance(10)
    pdf = client.get_pdf_for_letter(response.id)
    assert isinstance(pdf, io.BytesIO)
    assert pdf.read().startswith(b"%PDF-")
    sandbox.advance(10)
    received = client.get_notification_by_id(response.id)
    assert isinstance(received, LetterNotification)
    assert received.status is LetterStatus.RECEIVED
    assert received.cost_details.billable_sheets_of_paper == 1


def test_send_precompiled_letter(client: NotifyClient, sandbox: Sandbox) -> None:
    pdf = minimal_pdf("Dear Ann,\nHello from a PDF.")
    response = client.send_precompiled_letter_notification("pre-1", io.BytesIO(pdf), "first")
    assert isinstance(response, PrecompiledLetterResponse)
    assert response.reference == "pre-1"
    assert response.postage is Postage.FIRST
    notification = client.get_notification_by_id(response.id)
    assert isinstance(notification, LetterNotification)
    assert notification.status is PrecompiledLetterStatus.PENDING_VIRUS_CHECK
    assert notification.line_1 == "Provided as PDF"
    with pytest.raises(PDFNotReadyError):
        client.get_pdf_for_letter(response.id)
    sandbox.advance(5)
    assert client.get_pdf_for_letter(response.id).getvalue() == pdf

    bad = client.send_precompiled_letter_notification("pre-2", b"not a pdf at all")
    sandbox.advance(5)
    failed = client.get_notification_by_id(bad.id)
    assert isinstance(failed, LetterNotification)
    assert failed.status is LetterStatus.VALIDATION_FAILED


def test_lists_pages_filters_and_the_iterator(client: NotifyClient, sandbox: Sandbox) -> None:
    ids = [
        client.send_sms_notification("07700900123", SMS, {"name": "A", "code": n}, reference="r").id
        for n in range(3)
    ]
    email = client.send_email_notification(
        "a@example.com", PLAIN, {"subject": "s", "body": "b"}, reference="e"
    )
    page = client.get_all_notifications()
    assert isinstance(page, NotificationList)
    assert [n.id for n in page.notifications] == [email.id, *ids[::-1]]
    assert page.links.next is not None
    assert str(ids[0]) in page.links.next

    only_sms = client.get_all_notifications(template_type="sms", reference="r", status="created")
    assert [n.id for n in only_sms.notifications] == ids[::-1]
    older = client.get_all_notifications(older_than=ids[2])
    assert [n.id for n in older.notifications] == ids[1::-1]
    assert client.get_all_notifications(status=["delivered", "failed"]).notifications == []

    _, job_ids = sandbox.add_job(SMS, [{"phone number": "07700900123", "name": "J", "code": 1}])
    with_jobs = client.get_all_notifications(include_jobs=True)
    assert str(with_jobs.notifications[0].id) == job_ids[0]
    every = list(client.get_all_notifications_iterator(template_type="sms"))
    assert [n.id for n in every] == ids[::-1]
    newest = next(client.get_all_notifications_iterator(include_jobs=True))
    assert str(newest.id) == job_ids[0]


def test_the_iterator_follows_next_links_across_pages(flavour: Flavour) -> None:
    with Sandbox(rate_limit=100_000) as sandbox, client_of(sandbox, flavour) as client:
        sandbox.add_job(
            SMS, [{"phone number": "07700900123", "name": "J", "code": n} for n in range(260)]
        )
        assert len(list(client.get_all_notifications_iterator(include_jobs=True))) == 260
        assert len(client.get_all_notifications(include_jobs=True).notifications) == 250


def test_templates(client: NotifyClient) -> None:
    template = client.get_template(SMS)
    assert isinstance(template, Template)
    assert template.type is TemplateType.SMS
    assert template.version == 2
    assert template.personalisation is not None
    assert set(template.personalisation) == {
        "name",
        "code",
    }
    assert template.missing_personalisation({"Name": "x"}) == ["code"]
    first = client.get_template_version(SMS, 1)
    assert first.version == 1
    assert first.updated_at is None
    letters = client.get_all_templates("letter")
    assert isinstance(letters, TemplateList)
    assert [t.id for t in letters.templates] == [uuid.UUID(LETTER)]
    assert letters.templates[0].postage is Postage.SECOND
    assert len(client.get_all_templates().templates) == 4
    with pytest.raises(NotFoundError):
        client.get_template(uuid.uuid4())


def test_template_preview(client: NotifyClient) -> None:
    preview = client.post_template_preview(
        EMAIL,
        {
            "name": "Ann",
            "document_type": "form",
            "urgent": "no",
            "link_to_file": "https://x.test/f",
        },
    )
    assert isinstance(preview, TemplatePreview)
    assert preview.type is TemplateType.EMAIL
    assert preview.subject == "Your form is ready"
    assert preview.html is not None
    assert 'href="https://x.test/f"' in preview.html
    with pytest.raises(BadRequestError) as info:
        client.post_template_preview(EMAIL, {"name": "Ann"})
    assert info.value.message == "Missing personalisation: document_type, link_to_file, urgent"


def test_received_texts(client: NotifyClient, sandbox: Sandbox) -> None:
    first = sandbox.add_received_text("first")
    second = sandbox.add_received_text("second", user_number="447700900999")
    page = client.get_received_texts()
    assert isinstance(page, ReceivedTextList)
    assert [t.content for t in page.received_text_messages] == ["second", "first"]
    assert page.received_text_messages[0].user_number == "447700900999"
    assert page.received_text_messages[0].service_id == uuid.UUID(sandbox.service_id)
    older = client.get_received_texts(older_than=second.id)
    assert [str(t.id) for t in older.received_text_messages] == [first.id]
    texts = list(client.get_received_texts_iterator())
    assert all(isinstance(t, ReceivedText) for t in texts)
    assert [t.content for t in texts] == ["second", "first"]


def test_errors_become_typed_exceptions(
    sandbox: Sandbox, client: NotifyClient, flavour: Flavour
) -> None:
    with pytest.raises(BadRequestError) as bad:
        client.send_sms_notification("07700900123", uuid.uuid4(), {"name": "A", "code": 1})
    assert bad.value.status_code == 400
    assert bad.value.message == "Template not found"
    with pytest.raises(NotFoundError):
        client.get_notification_by_id(uuid.uuid4())
    simulated = client.send_sms_notification("07700900000", SMS, {"name": "A", "code": 1})
    with pytest.raises(NotFoundError):
        client.get_notification_by_id(simulated.id)

    sandbox.revoke_api_key("test")
    with client_of(sandbox, flavour, "test") as test_client, pytest.raises(AuthError) as auth:
        test_client.get_all_templates()
    assert auth.value.status_code == 403
    assert auth.value.message == "Invalid token: API key revoked"


def test_rate_and_daily_limits_as_exceptions(flavour: Flavour) -> None:
    with (
        Sandbox(rate_limit=3, daily_limit={"email": 1}) as sandbox,
        client_of(sandbox, flavour) as client,
    ):
        client.send_email_notification("a@example.com", PLAIN, {"subject": "s", "body": "b"})
        with pytest.raises(DailyLimitError) as daily:
            client.send_email_notification("a@example.com", PLAIN, {"subject": "s", "body": "b"})
        assert daily.value.message == "Exceeded send limits (email: 1) for today"
        with pytest.raises(RateLimitError) as rate:
            client.send_sms_notification("07700900123", SMS, {"name": "A", "code": 1})
        assert rate.value.status_code == 429


def test_latency_is_seen_by_the_client(flavour: Flavour) -> None:
    with Sandbox(latency_ms=100) as sandbox, client_of(sandbox, flavour) as client:
        started = time.monotonic()
        client.get_all_templates()
        assert time.monotonic() - started >= 0.1


def test_send_with_request_models(client: NotifyClient, sandbox: Sandbox) -> None:
    sms = client.send(
        SmsRequest(
            phone_number="07700900123", template_id=SMS, personalisation={"name": "A", "code": 1}
        )
    )
    assert isinstance(sms, SmsResponse)
    email = client.send(
        EmailRequest(
            email_address="a@example.com",
            template_id=PLAIN,
            personalisation={"subject": "Hi", "body": "Hello"},
        )
    )
    assert isinstance(email, EmailResponse)
    letter = client.send(LetterRequest(template_id=LETTER, personalisation=LETTER_VALUES))
    assert isinstance(letter, LetterResponse)
    precompiled = client.send(PrecompiledLetterRequest(reference="p", content=minimal_pdf()))
    assert isinstance(precompiled, PrecompiledLetterResponse)
    assert {n.id for n in sandbox.notifications()} == {
        str(r.id) for r in (sms, email, letter, precompiled)
    }


def test_send_many(client: NotifyClient, sandbox: Sandbox) -> None:
    requests = [
        SmsRequest(
            phone_number="07700900123",
            template_id=SMS,
            personalisation={"name": "A", "code": n},
            reference=f"bulk-{n}",
        )
        for n in range(20)
    ]
    results = client.send_many(requests, workers=4)
    assert [type(r).__name__ for r in results] == ["Sent"] * 20
    sent_ids = {str(r.response.id) for r in results if isinstance(r, Sent)}
    assert sent_ids == {n.id for n in sandbox.sent_sms()}
    assert sorted(n.reference or "" for n in sandbox.sent_sms()) == sorted(
        f"bulk-{n}" for n in range(20)
    )
