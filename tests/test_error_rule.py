"""The one error rule, walked over every public method and helper.

A mistake in what you pass, found before anything is sent, raises pydantic's ``ValidationError``
(a ``ValueError``) whose location names the argument, and nothing goes out. Everything else the
SDK raises on purpose is a ``NotifyError``."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from govuk_notify import (
    AsyncNotifyClient,
    EmailRequest,
    LetterRequest,
    NotificationFilters,
    NotifyClient,
    NotifyError,
    PrecompiledLetterRequest,
    SmsRequest,
    prepare_upload,
)
from govuk_notify.bulk import TokenBucket
from govuk_notify.validation import InvalidRecipientError, parse_phone_number

from . import bodies
from .clients import FLAVOURS, make_client
from .wire import WireServer

T = bodies.TEMPLATE_ID
ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "address_line_3": "SW1A 1AA"}

Call = Callable[[NotifyClient], object]

# (what is called, the argument the error must name)
MISTAKES: dict[str, tuple[Call, tuple[str | int, ...]]] = {
    "sms: phone number": (lambda c: c.send_sms_notification("123", T), ("phone_number",)),
    "sms: template id": (lambda c: c.send_sms_notification("07700900123", "x"), ("template_id",)),
    "sms: sender id": (
        lambda c: c.send_sms_notification("07700900123", T, sms_sender_id="x"),
        ("sms_sender_id",),
    ),
    "sms: reference": (
        lambda c: c.send_sms_notification("07700900123", T, reference="r" * 1001),
        ("reference",),
    ),
    "email: address": (lambda c: c.send_email_notification("not-an-email", T), ("email_address",)),
    "email: reply-to id": (
        lambda c: c.send_email_notification("a@example.gov.uk", T, email_reply_to_id="x"),
        ("email_reply_to_id",),
    ),
    "email: unsubscribe url": (
        lambda c: c.send_email_notification(
            "a@example.gov.uk", T, one_click_unsubscribe_url="http://x"
        ),
        ("one_click_unsubscribe_url",),
    ),
    "letter: address": (
        lambda c: c.send_letter_notification(T, {"address_line_1": "A"}),
        ("personalisation",),
    ),
    "letter: template id": (lambda c: c.send_letter_notification("x", ADDRESS), ("template_id",)),
    "precompiled: postage": (
        lambda c: c.send_precompiled_letter_notification(
            "ref", io.BytesIO(b"%PDF-1.4"), postage="third"
        ),
        ("postage",),
    ),
    "send: not a request": (lambda c: c.send({"phone_number": "x"}), ("request",)),  # type: ignore[arg-type]
    "one notification: id": (lambda c: c.get_notification_by_id("../v2"), ("notification_id",)),
    "page: status": (lambda c: c.get_all_notifications(status="lost"), ("status", 0)),
    "page: template type": (
        lambda c: c.get_all_notifications(template_type="fax"),
        ("template_type", 0),
    ),
    "page: older than": (lambda c: c.get_all_notifications(older_than="x"), ("older_than",)),
    "pages: status": (
        lambda c: next(iter(c.get_all_notifications_iterator(status="lost"))),
        ("status", 0),
    ),
    "pdf: id": (lambda c: c.get_pdf_for_letter("x"), ("notification_id",)),
    "template: id": (lambda c: c.get_template("x"), ("template_id",)),
    "template version: id": (lambda c: c.get_template_version("x", 1), ("template_id",)),
    "template version: version": (lambda c: c.get_template_version(T, 0), ("version",)),
    "templates: type": (lambda c: c.get_all_templates("fax"), ("template_type",)),
    "preview: id": (lambda c: c.post_template_preview("x", {}), ("template_id",)),
    "preview: personalisation": (
        lambda c: c.post_template_preview(T, ["a"]),  # type: ignore[arg-type]
        ("personalisation",),
    ),
    "received: older than": (lambda c: c.get_received_texts("x"), ("older_than",)),
    "received pages: older than": (
        lambda c: next(iter(c.get_received_texts_iterator("x"))),
        ("older_than",),
    ),
    "per-call timeout": (lambda c: c.get_template(T, timeout=-1), ("timeout",)),
    "send_many: workers": (
        lambda c: c.send_many([SmsRequest(phone_number="07700900123", template_id=T)], workers=0),
        ("workers",),
    ),
    "send_many: not a request": (lambda c: c.send_many([{}]), ("requests", 0)),  # type: ignore[arg-type]
    "prepare_upload: size": (
        lambda c: prepare_upload(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1))),
        ("f",),
    ),
    "prepare_upload: text mode": (lambda c: prepare_upload(io.StringIO("x")), ("f",)),  # type: ignore[arg-type]
    "prepare_upload: filename": (
        lambda c: prepare_upload(io.BytesIO(b"x"), filename="a.exe"),
        ("filename",),
    ),
    "SmsRequest": (
        lambda c: SmsRequest(phone_number="07700900123", template_id="x"),
        ("template_id",),
    ),
    "EmailRequest": (lambda c: EmailRequest(email_address="x", template_id=T), ("email_address",)),
    "LetterRequest": (
        lambda c: LetterRequest(template_id="x", personalisation=ADDRESS),
        ("template_id",),
    ),
    "PrecompiledLetterRequest": (
        lambda c: PrecompiledLetterRequest(reference="r", content="not bytes"),
        ("content",),
    ),
    "NotificationFilters": (lambda c: NotificationFilters(older_than="x"), ("older_than",)),
    "TokenBucket": (lambda c: TokenBucket(0), ("rate_per_minute",)),
}


@pytest.fixture(scope="module", params=FLAVOURS)
def wired(request: pytest.FixtureRequest) -> Iterator[tuple[NotifyClient, WireServer]]:
    """The walk runs on both clients: NotifyClient and AsyncNotifyClient."""
    with WireServer() as server, make_client(request.param, bodies.API_KEY, server.url) as client:
        yield client, server


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_in_input_is_a_validation_error_naming_the_argument(
    wired: tuple[NotifyClient, WireServer], name: str
) -> None:
    client, server = wired
    call, location = MISTAKES[name]
    before = len(server.requests)
    with pytest.raises(ValidationError) as caught:
        call(client)
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, NotifyError)
    if location == ("workers",) and type(client).__name__ == "AsyncDriver":
        location = ("concurrency",)  # the async send_many's name for it
    locations = [error["loc"][: len(location)] for error in caught.value.errors()]
    assert location in locations, caught.value.errors()
    assert len(server.requests) == before, "nothing may be sent"


def test_every_public_client_method_is_walked() -> None:
    """A new public method must be added to MISTAKES (or here, with its reason)."""
    # from_env reads the environment: a bad key or base URL there is a client setting
    # (ConfigurationError, tested in test_client_setup.py), not a method's argument.
    no_input = {"close", "aclose", "service_id", "base_url", "retry", "timeout", "from_env"}
    public = {n for cls in (NotifyClient, AsyncNotifyClient) for n in dir(cls) if n[0] != "_"}
    methods = public - no_input
    covered = {
        name
        for name in methods
        if any(name in repr(c.__code__.co_names) for c, _ in MISTAKES.values())
    }
    assert methods - covered == set()


def test_the_stand_alone_recipient_checks_raise_a_notify_error() -> None:
    with pytest.raises(InvalidRecipientError) as caught:
        parse_phone_number("123")
    assert isinstance(caught.value, NotifyError)
    assert isinstance(caught.value, ValueError)


def test_a_bad_client_setting_is_a_notify_error() -> None:
    with pytest.raises(NotifyError) as caught:
        NotifyClient("not a key")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(NotifyError):
        NotifyClient(bodies.API_KEY, timeout=0)
    with pytest.raises(NotifyError):
        NotifyClient(bodies.API_KEY, base_url="ftp://example.com")


def test_path_ids_may_be_str_or_uuid(wired: tuple[NotifyClient, WireServer]) -> None:
    client, server = wired
    assert uuid.UUID(T)  # both spellings reach the same path
    seen: list[Any] = []
    for value in (T, uuid.UUID(T), "{" + T.upper() + "}"):
        with pytest.raises(NotifyError):  # the wire server has no answer queued: a 5xx-like error
            client.get_template(value, timeout=5)
        seen.append(server.requests[-1].path)
    assert seen == [f"/v2/template/{T}"] * 3


@pytest.mark.parametrize(
    ("call", "title"),
    [
        (lambda c: c.get_template_version(T, 0), "get_template_version"),
        (lambda c: c.get_notification_by_id("nope"), "get_notification_by_id"),
        (lambda c: c.get_all_templates("fax"), "get_all_templates"),
        (lambda c: c.get_template(T, timeout=-1), "the call's timeout"),
    ],
)
def test_an_argument_error_is_titled_with_the_method_not_one_client(
    wired: tuple[NotifyClient, WireServer], call: Callable[[NotifyClient], object], title: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        call(wired[0])
    assert caught.value.title == title
    assert f"validation error for {title}" in str(caught.value)
