"""The Django email backend, sending through a real sandbox with real Django."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from .django_project import ADMIN_EMAIL, PLAIN_TEMPLATE_ID, configure

configure()

import django  # noqa: E402
from django.contrib.auth.forms import PasswordResetForm  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from govuk_notify.django import EmailBackend, NotifyEmailMessage, SettingsError  # noqa: E402
from govuk_notify.errors import BadRequestError, SendStatusUnknownError  # noqa: E402
from govuk_notify.sandbox import Sandbox  # noqa: E402
from govuk_notify.sandbox.config import DEFAULT_EMAIL_REPLY_TO_ID  # noqa: E402

DOCUMENT_TEMPLATE_ID = "6ddb7845-8c78-41be-a04f-c94057b5aabf"
REPLY_TO = "sandbox-replies@example.gov.uk"


@pytest.fixture
def sandbox(notify_sandbox: Sandbox) -> Iterator[Sandbox]:
    """The sandbox, with the Django settings pointing at it."""
    with override_settings(
        GOVUK_NOTIFY_API_KEY=notify_sandbox.api_keys.live,
        GOVUK_NOTIFY_BASE_URL=notify_sandbox.base_url,
    ):
        yield notify_sandbox


def test_send_mail_goes_through_the_plain_template(sandbox: Sandbox) -> None:
    sent = mail.send_mail("Your visit", "See you **soon**.", "ignored@example.com", ["a@b.gov.uk"])

    assert sent == 1
    (email,) = sandbox.sent_emails()
    assert email.template_id == PLAIN_TEMPLATE_ID
    assert email.email_address == "a@b.gov.uk"
    assert email.personalisation == {"subject": "Your visit", "body": "See you **soon**."}
    assert email.subject == "Your visit"
    assert email.reference is not None
    uuid.UUID(email.reference)  # a unique reference, made for it


def test_one_email_per_recipient_and_the_responses_are_kept(sandbox: Sandbox) -> None:
    message = mail.EmailMessage(
        "Notice",
        "The office is closed on Monday.",
        to=["Amala Ode <amala@example.com>", "bo@example.com", "cy@example.com"],
    )

    assert message.send() == 1

    emails = sandbox.sent_emails()
    assert [e.email_address for e in emails] == [
        "amala@example.com",
        "bo@example.com",
        "cy@example.com",
    ]
    responses = message.notify_responses  # type: ignore[attr-defined]
    assert [str(r.id) for r in responses] == [e.id for e in emails]
    assert len({e.reference for e in emails}) == 3


def test_send_mass_mail_counts_messages(sandbox: Sandbox) -> None:
    sent = mail.send_mass_mail(
        [
            ("First", "One", None, ["one@example.com", "two@example.com"]),
            ("Second", "Two", None, ["three@example.com"]),
        ]
    )

    assert sent == 2
    assert [(e.subject, e.email_address) for e in sandbox.sent_emails()] == [
        ("First", "one@example.com"),
        ("First", "two@example.com"),
        ("Second", "three@example.com"),
    ]


def test_mail_admins(sandbox: Sandbox) -> None:
    mail.mail_admins("Disk nearly full", "92% used")

    (email,) = sandbox.sent_emails()
    assert email.email_address == ADMIN_EMAIL
    assert email.subject == "[Django] Disk nearly full"
    assert email.body == "92% used"


@pytest.fixture(scope="module")
def database() -> None:
    call_command("migrate", verbosity=0, interactive=False)


@pytest.mark.usefixtures("database")
def test_password_reset_email(sandbox: Sandbox) -> None:
    User.objects.filter(username="amala").delete()
    User.objects.create_user("amala", "amala@example.com", "a-long-password-1")
    form = PasswordResetForm({"email": "amala@example.com"})
    assert form.is_valid()

    form.save(domain_override="service.example.gov.uk")

    (email,) = sandbox.sent_emails()
    assert email.email_address == "amala@example.com"
    assert "service.example.gov.uk" in (email.subject or "")
    assert "service.example.gov.uk/accounts/reset/" in email.body


def test_a_template_message(sandbox: Sandbox) -> None:
    message = NotifyEmailMessage(
        to=["amala@example.com"],
        template_id=DOCUMENT_TEMPLATE_ID,
        personalisation={
            "name": "Amala",
            "document_type": "licence",
            "link_to_file": "https://example.gov.uk/f/1",
            "urgent": "no",
        },
        reference="licence-42",
        email_reply_to_id=DEFAULT_EMAIL_REPLY_TO_ID,
    )

    assert message.send() == 1

    (email,) = sandbox.sent_emails()
    assert email.template_id == DOCUMENT_TEMPLATE_ID
    assert email.reference == "licence-42"
    assert email.reply_to == REPLY_TO
    assert "Amala" in email.body


def test_reply_to_is_mapped_to_its_id(sandbox: Sandbox) -> None:
    message = mail.EmailMessage("Hi", "Hello", to=["a@example.com"], reply_to=[f"Us <{REPLY_TO}>"])

    with override_settings(GOVUK_NOTIFY_REPLY_TO_IDS={REPLY_TO.upper(): DEFAULT_EMAIL_REPLY_TO_ID}):
        assert message.send() == 1

    assert [e.reply_to for e in sandbox.sent_emails()] == [REPLY_TO]


def test_an_unmapped_reply_to_is_refused(sandbox: Sandbox) -> None:
    message = mail.EmailMessage("Hi", "Hello", to=["a@example.com"], reply_to=["x@example.com"])

    with pytest.raises(ValidationError, match="GOVUK_NOTIFY_REPLY_TO_IDS") as caught:
        message.send()

    (problem,) = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("email_messages", 0, "reply_to"), "unsupported")
    assert sandbox.sent_emails() == []


def _unsupported(feature: str) -> mail.EmailMessage:
    to = ["a@example.com"]
    if feature == "cc":
        return mail.EmailMessage("S", "B", to=to, cc=["c@example.com"])
    if feature == "bcc":
        return mail.EmailMessage("S", "B", to=to, bcc=["c@example.com"])
    if feature == "attachments":
        message = mail.EmailMessage("S", "B", to=to)
        message.attach("a.txt", "text", "text/plain")
        return message
    if feature == "alternatives":
        html = mail.EmailMultiAlternatives("S", "B", to=to)
        html.attach_alternative("<p>B</p>", "text/html")
        return html
    assert feature == "headers"
    return mail.EmailMessage("S", "B", to=to, headers={"X-Campaign": "1"})


@pytest.mark.parametrize("feature", ["cc", "bcc", "attachments", "alternatives", "headers"])
def test_what_notify_cannot_send_is_refused_and_nothing_is_sent(
    sandbox: Sandbox, feature: str
) -> None:
    good = mail.EmailMessage("Fine", "Fine", to=["ok@example.com"])

    with pytest.raises(ValidationError) as caught, mail.get_connection() as connection:
        connection.send_messages([good, _unsupported(feature)])

    (problem,) = caught.value.errors()
    assert problem["loc"] == ("email_messages", 1, feature)
    assert problem["type"] == "unsupported"
    assert "GOV.UK Notify" in problem["msg"]
    assert sandbox.sent_emails() == []


def test_html_alternatives_can_be_dropped_by_a_setting(sandbox: Sandbox) -> None:
    with override_settings(GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES=True):
        sent = mail.send_mail("S", "Text body", None, ["a@example.com"], html_message="<p>B</p>")

    assert sent == 1
    assert [e.body for e in sandbox.sent_emails()] == ["Text body"]


@pytest.mark.parametrize("bad", ["amala.at.example.com", "amala@example.com, bo@example.com"])
def test_a_bad_address_is_named_by_position_and_nothing_is_sent(sandbox: Sandbox, bad: str) -> None:
    message = mail.EmailMessage("S", "B", to=["ok@example.com", bad])

    with pytest.raises(ValidationError) as caught:
        mail.get_connection().send_messages([mail.EmailMessage("S", "B", to=["x@y.com"]), message])

    (problem,) = caught.value.errors()
    assert problem["loc"] == ("email_messages", 1, "to", 1)
    assert problem["msg"] == "Not a valid email address"
    assert "email_messages.1.to.1" in str(caught.value)
    assert "amala" not in str(caught.value)
    assert "amala" not in repr(caught.value)
    assert sandbox.sent_emails() == []


def test_fail_silently_skips_the_bad_message_and_sends_the_rest(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    bad = mail.EmailMessage("S", "B", to=["amala.at.example.com"])
    good = mail.EmailMessage("S", "B", to=["ok@example.com"])

    with caplog.at_level(logging.ERROR, logger="govuk_notify.django"):
        sent = mail.get_connection(fail_silently=True).send_messages([bad, good])

    assert sent == 1
    assert [e.email_address for e in sandbox.sent_emails()] == ["ok@example.com"]
    assert "email_messages.0 not sent" in caplog.text
    assert "email_messages.0.to.0" in caplog.text
    assert "amala" not in caplog.text


def test_a_refusal_from_notify_is_raised_or_silenced(sandbox: Sandbox) -> None:
    unknown_template = str(uuid.uuid4())

    def messages() -> list[mail.EmailMessage]:
        return [
            NotifyEmailMessage(to=["a@example.com"], template_id=unknown_template),
            mail.EmailMessage("S", "B", to=["b@example.com"]),
        ]

    with pytest.raises(BadRequestError):
        mail.get_connection().send_messages(messages())
    assert sandbox.sent_emails() == []

    assert mail.get_connection(fail_silently=True).send_messages(messages()) == 1
    assert [e.email_address for e in sandbox.sent_emails()] == ["b@example.com"]


def _wait_for_emails(sandbox: Sandbox, count: int) -> None:
    deadline = time.monotonic() + 30
    pause = threading.Event()  # never set: its wait() is the pause between looks
    while len(sandbox.sent_emails()) < count and time.monotonic() < deadline:
        pause.wait(0.05)


@pytest.mark.notify_sandbox(latency_ms=5000)  # ten times the read timeout below
@pytest.mark.parametrize("fail_silently", [False, True])
def test_a_send_with_an_unknown_outcome_is_not_retried_and_is_reported(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture, fail_silently: bool
) -> None:
    message = NotifyEmailMessage(subject="S", body="B", to=["a@example.com"], reference="order-7")
    connection = mail.get_connection(fail_silently=fail_silently, timeout=(10, 0.5))

    with caplog.at_level(logging.ERROR, logger="govuk_notify.django"):
        if fail_silently:
            assert connection.send_messages([message]) == 0
        else:
            with pytest.raises(SendStatusUnknownError) as caught:
                connection.send_messages([message])
            assert caught.value.reference == "order-7"

    (record,) = [r for r in caplog.records if r.name == "govuk_notify.django"]
    assert "may have reached Notify" in record.getMessage()
    assert "'order-7'" in record.getMessage()
    # It did reach the sandbox, once: the backend did not send it again.
    _wait_for_emails(sandbox, 1)
    assert [e.reference for e in sandbox.sent_emails()] == ["order-7"]


def test_missing_or_malformed_key(sandbox: Sandbox) -> None:
    key = sandbox.api_keys.live
    with override_settings(GOVUK_NOTIFY_API_KEY=None):
        with pytest.raises(ImproperlyConfigured, match="GOVUK_NOTIFY_API_KEY is not set"):
            mail.send_mail("S", "B", None, ["a@example.com"])
        assert mail.send_mail("S", "B", None, ["a@example.com"], fail_silently=True) == 0
    with (
        override_settings(GOVUK_NOTIFY_API_KEY=key[:-1]),
        pytest.raises(ImproperlyConfigured, match="GOVUK_NOTIFY_API_KEY") as caught,
    ):
        mail.send_mail("S", "B", None, ["a@example.com"])
    assert isinstance(caught.value, SettingsError)  # also the SDK's ConfigurationError
    assert key[-36:-1] not in str(caught.value)
    assert sandbox.sent_emails() == []


def test_the_backend_argument_overrides_the_key(sandbox: Sandbox) -> None:
    with override_settings(GOVUK_NOTIFY_API_KEY="not a real API key"):
        backend = EmailBackend(govuk_notify_api_key=sandbox.api_keys.team)
        sent = backend.send_messages(
            [mail.EmailMessage("S", "B", to=["sandbox-team@example.gov.uk"])]
        )

    assert sent == 1
    assert [e.key_type for e in sandbox.sent_emails()] == ["team"]
    assert sandbox.api_keys.team not in repr(backend)


@pytest.mark.parametrize(
    ("arguments", "location"),
    [
        ({"cc": ["c@example.com"]}, "cc"),
        ({"bcc": ["c@example.com"]}, "bcc"),
        ({"from_email": "me@example.com"}, "from_email"),
        ({"headers": {"X-A": "1"}}, "headers"),
        ({"attachments": [("a.txt", "a", "text/plain")]}, "attachments"),
        ({"template_id": "welcome"}, "template_id"),
        ({"template_id": 42}, "template_id"),
        ({"email_reply_to_id": "help@example.gov.uk"}, "email_reply_to_id"),
    ],
)
def test_notify_email_message_refuses_what_notify_cannot_do(
    arguments: dict[str, object], location: str
) -> None:
    with pytest.raises(ValueError, match=location) as caught:  # a ValidationError is a ValueError
        NotifyEmailMessage(to=["a@example.com"], **arguments)  # type: ignore[arg-type]

    assert isinstance(caught.value, ValidationError)
    assert caught.value.errors()[0]["loc"] == (location,)
    message = NotifyEmailMessage(subject="S", body="B", to=["a@example.com"])
    with pytest.raises(ValidationError, match="attachments"):
        message.attach("a.txt", "a", "text/plain")


def test_a_template_message_takes_no_subject(sandbox: Sandbox) -> None:
    message = NotifyEmailMessage(
        subject="S", to=["a@example.com"], template_id=DOCUMENT_TEMPLATE_ID
    )

    with pytest.raises(ValidationError) as caught:
        message.send()

    assert caught.value.errors()[0]["loc"] == ("email_messages", 0, "subject")
    assert sandbox.sent_emails() == []


def test_a_failure_after_a_recipient_was_sent_says_so(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    backend = EmailBackend(govuk_notify_api_key=sandbox.api_keys.team)
    message = mail.EmailMessage(
        "S", "B", to=["sandbox-team@example.gov.uk", "outsider@example.com", "x@example.com"]
    )

    with (
        caplog.at_level(logging.ERROR, logger="govuk_notify.django"),
        pytest.raises(BadRequestError),
    ):
        backend.send_messages([message])

    # The first went out, the second was refused, the third was not tried.
    assert [e.email_address for e in sandbox.sent_emails()] == ["sandbox-team@example.gov.uk"]
    assert [str(r.id) for r in message.notify_responses] == [  # type: ignore[attr-defined]
        sandbox.sent_emails()[0].id
    ]
    assert "email_messages.0.to.1: not sent" in caplog.text
    assert "1 of the email's 3 recipients sent before it" in caplog.text
    assert "outsider" not in caplog.text


@pytest.mark.skipif(django.VERSION < (6, 1), reason="MAILERS is new in Django 6.1")
def test_django_6_1_mailers_with_options(notify_sandbox: Sandbox) -> None:
    mailers = {
        "default": {
            "BACKEND": "govuk_notify.django.EmailBackend",
            "OPTIONS": {
                "govuk_notify_api_key": notify_sandbox.api_keys.live,
                "base_url": notify_sandbox.base_url,
            },
        }
    }
    with override_settings(MAILERS=mailers):
        sent = mail.send_mail("Mailers", "Body", None, ["a@example.com"])

    assert sent == 1
    assert [e.subject for e in notify_sandbox.sent_emails()] == ["Mailers"]
