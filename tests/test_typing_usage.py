"""Typed usage, as application code writes it. mypy --strict checks this file (it is part of the
``make test`` mypy run), so the types users get from autocomplete are the ones asserted here; the
tests also run it, and one test runs mypy on code with mistakes to prove they are caught."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typing_extensions import assert_type

from govuk_notify import (
    EmailRequest,
    EmailResponse,
    EmailStatus,
    LetterRequest,
    LetterResponse,
    Notification,
    NotifyClient,
    PrecompiledLetterRequest,
    PrecompiledLetterResponse,
    RetryPolicy,
    SmsNotification,
    SmsRequest,
    SmsResponse,
    SmsStatus,
)

from . import bodies
from .wire import Reply, WireServer


def send_queued(client: NotifyClient, queued: list[SmsRequest | EmailRequest]) -> list[str]:
    """Requests built and validated earlier (in a form, a queue) are sent later."""
    sent: list[str] = []
    for request in queued:
        if isinstance(request, SmsRequest):
            sms = client.send(request)
            assert_type(sms, SmsResponse)
            sent.append(sms.content.from_number)
        else:
            email = client.send(request)
            assert_type(email, EmailResponse)
            sent.append(email.content.subject)
    return sent


def describe(notification: Notification) -> str:
    """The type checker narrows a notification by its ``type``."""
    if notification.type == "sms":
        assert_type(notification, SmsNotification)
        assert_type(notification.status, SmsStatus)
        return f"text to {notification.phone_number}: {notification.status.value}"
    if notification.type == "email":
        assert_type(notification.status, EmailStatus)
        return f"email to {notification.email_address}: {notification.status.value}"
    return f"letter to {notification.line_1}: {notification.status.value}"


def other_overloads(client: NotifyClient) -> None:  # pragma: no cover - only type-checked
    letter = LetterRequest(
        template_id=uuid.uuid4(),
        personalisation={
            "address_line_1": "A",
            "address_line_2": "B",
            "address_line_3": "SW1A 1AA",
        },
    )
    assert_type(client.send(letter), LetterResponse)
    pdf = PrecompiledLetterRequest(reference="r", content=b"%PDF-1.4")
    assert_type(client.send(pdf), PrecompiledLetterResponse)


@pytest.fixture
def client() -> Iterator[tuple[NotifyClient, WireServer]]:
    retry = RetryPolicy(max_retries=0)
    with WireServer() as server, NotifyClient(bodies.API_KEY, server.url, retry=retry) as c:
        yield c, server


def test_send_queued_requests(client: tuple[NotifyClient, WireServer]) -> None:
    notify, server = client
    server.add(Reply(201, bodies.sms_response()), Reply(201, bodies.email_response()))
    queued: list[SmsRequest | EmailRequest] = [
        SmsRequest(phone_number="07700900123", template_id=uuid.UUID(bodies.TEMPLATE_ID)),
        EmailRequest(email_address="a@example.gov.uk", template_id=uuid.UUID(bodies.TEMPLATE_ID)),
    ]
    assert send_queued(notify, queued) == ["GOVUK", "Your \u201cfile\u201d"]
    assert [r.path for r in server.requests] == [
        "/v2/notifications/sms",
        "/v2/notifications/email",
    ]


def test_narrowing_by_type(client: tuple[NotifyClient, WireServer]) -> None:
    notify, server = client
    server.add(Reply(200, bodies.sms_notification()), Reply(200, bodies.email_notification()))
    assert describe(notify.get_notification_by_id(bodies.NOTIFICATION_ID)) == (
        "text to +(44) 77009-00855: delivered"
    )
    assert describe(notify.get_notification_by_id(bodies.NOTIFICATION_ID)) == (
        "email to Amala@Example.gov.uk: sending"
    )


MISTAKES = """
    import uuid
    from govuk_notify import NotifyClient, SmsRequest, SmsStatus

    client = NotifyClient("key")
    client.send_sms_notification(7700900123, uuid.uuid4())
    client.send_sms_notificaton("07700900123", uuid.uuid4())
    response = client.send(SmsRequest(phone_number="07700900123", template_id=uuid.uuid4()))
    response.content.subject
    SmsRequest(phone_numbr="07700900123", template_id=uuid.uuid4())
    status: SmsStatus = "delivered"
    SmsRequest(phone_number="07700900123", template_id="27977601-9753-4b18-afab-ef47bb93bc78")
    request = EmailRequest(email_address="a@example.gov.uk", template_id=uuid.uuid4())
    reply_to: uuid.UUID | None = request.email_reply_to_id
    NotificationFilters(status="failed", older_than="27977601-9753-4b18-afab-ef47bb93bc78")
    SmsRequest(phone_number="07700900123", template_id=27977601)
"""

PLAIN_MYPY_INI = """\
[mypy]
strict = True
"""


@pytest.mark.parametrize("config", ["project", "plain"])
def test_mypy_catches_mistakes(tmp_path: Path, config: str) -> None:
    """The same mistakes are caught with the project's mypy.ini (pydantic's plugin) and with a
    plain ``strict = True`` (a user's project); ids written as ``str`` pass both."""
    mypy_api = pytest.importorskip("mypy.api")
    source = tmp_path / "mistakes.py"
    source.write_text(
        textwrap.dedent(MISTAKES).replace(
            "import NotifyClient, SmsRequest, SmsStatus",
            "import EmailRequest, NotificationFilters, NotifyClient, SmsRequest, SmsStatus",
        )
    )
    if config == "plain":
        ini = tmp_path / "mypy.ini"
        ini.write_text(PLAIN_MYPY_INI)
    else:
        ini = Path(__file__).resolve().parents[1] / "mypy.ini"
    stdout, _, status = mypy_api.run(
        ["--config-file", str(ini), "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    assert status == 1
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    lines = {int(line.split(":")[1]) for line in errors}
    assert lines == {6, 7, 9, 10, 11, 16}, stdout
