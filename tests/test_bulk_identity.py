"""A message's identity: its recipient as Notify normalises it, its template, its
personalisation values; nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from govuk_notify import EmailRequest, LetterRequest, SmsRequest
from govuk_notify.bulk_identity import derived_reference, message_identity, message_key
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]


def sms(number: str, template: str = SMS, **values: Any) -> SmsRequest:
    return SmsRequest(
        phone_number=number,
        template_id=template,
        personalisation=values or {"name": "Ann", "code": "1"},
    )


def email(address: str, **values: Any) -> EmailRequest:
    return EmailRequest(
        email_address=address,
        template_id=EMAIL,
        personalisation=values or {"subject": "Hi", "body": "Text"},
    )


def letter(*lines: str, **values: Any) -> LetterRequest:
    personalisation: dict[str, Any] = {f"address_line_{n}": v for n, v in enumerate(lines, 1)}
    return LetterRequest.model_validate(
        {"template_id": LETTER, "personalisation": {**personalisation, **values}}
    )


@pytest.mark.parametrize(
    "number", ["07700 900123", "+447700900123", "7700900123", "0044 7700 900 123", "(07700)900123"]
)
def test_one_phone_number_written_many_ways_is_one_recipient(number: str) -> None:
    assert message_key(sms(number)) == message_key(sms("07700900123"))
    assert message_identity(sms(number))["recipient"] == "447700900123"


def test_email_addresses_are_compared_as_notify_stores_them() -> None:
    assert message_key(email("  Someone@Example.COM\u200b ")) == message_key(
        email("someone@example.com")
    )
    assert message_key(email("someone.else@example.com")) != message_key(
        email("someone@example.com")
    )


def test_address_lines_are_normalised() -> None:
    tidy = letter("A Person", "1 High Street", "SW1A 1AA", name="A", date="1 May")
    messy = letter("A  Person ", "1 High Street,", "sw1a1aa", name="A", date="1 May")
    assert message_key(messy) == message_key(tidy)
    moved = letter("A Person", "2 High Street", "SW1A 1AA", name="A", date="1 May")
    assert message_key(moved) != message_key(tidy)
    assert message_identity(tidy)["recipient"] == "A Person\n1 High Street\nSW1A 1AA"


def test_personalisation_keys_match_as_placeholders_do_and_values_are_stripped() -> None:
    a = sms("07700900123", **{"Name": " Ann ", "CODE": "1"})
    b = sms("07700900123", **{"name": "Ann", "co_de": "1"})
    assert message_key(a) == message_key(b)


def test_what_is_sent_makes_the_message() -> None:
    base = message_key(sms("07700900123", name="Ann", code="1"))
    assert message_key(sms("07700900123", name="Ann", code="2")) != base
    assert message_key(sms("07700900124", name="Ann", code="1")) != base
    other_template = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    assert message_key(sms("07700900123", other_template, name="Ann", code="1")) != base
    # the reference is not part of the message
    with_reference = sms("07700900123", name="Ann", code="1").model_copy(
        update={"reference": "mine"}
    )
    assert message_key(with_reference) == base


def test_references_are_derived_from_the_key_and_the_job() -> None:
    key = message_key(sms("07700900123"))
    assert derived_reference("bulk", key) == f"bulk-{key[:16]}"
    assert derived_reference("bulk", key, 2) == f"bulk-{key[:16]}-2"
