"""Fidelity with the real server, table by table, each row taken from the server's own code.

* "Additional properties are not allowed (...)": the server validates with jsonschema 4.26, which
  lists the unexpected names sorted; the oracle here is jsonschema itself (the same version).
* A received text injected with any form of a phone number is stored in the international form
  without ``+``, as the server's ``try_parse_and_format_phone_number`` does (and as given when the
  number cannot be read).
* Postal addresses with a BFPO line or a "no fixed abode" line in every position: the expected
  outcome of each row is what notifications-utils' ``PostalAddress`` and notifications-api's
  ``validate_address`` give (checked against their code, allow_international_letters=True).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from govuk_notify.sandbox import Sandbox
from govuk_notify.sandbox.countries import country_zone
from govuk_notify.validation import InvalidPostalAddressError, validate_postal_address

from .test_sandbox_support import LETTER_PERSONALISATION, Raw, messages

SMS_TEMPLATE = "27977601-9753-4b18-afab-ef47bb93bc78"
LETTER_TEMPLATE = "a7fbf154-fb22-468b-8fd8-4e236b126152"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:  # the default service may send letters abroad
        yield running


@pytest.fixture
def raw(sandbox: Sandbox) -> Iterator[Raw]:
    client = Raw(sandbox)
    yield client
    client.close()


# --- "Additional properties are not allowed (...)": names sorted, as jsonschema lists them ---


def _server_message(body: dict[str, Any], known: list[str]) -> str:
    """What the server says: jsonschema's own message, with quotes removed as the server does."""
    schema = {
        "type": "object",
        "properties": {key: {} for key in known},
        "additionalProperties": False,
    }
    [error] = jsonschema.Draft7Validator(schema).iter_errors(body)
    return str(error.message).replace("'", "")


SMS_KEYS = ["reference", "phone_number", "template_id", "personalisation", "scheduled_for",
            "sms_sender_id"]  # fmt: skip


@pytest.mark.parametrize(
    "extras",
    [
        ["zeta"],
        ["zeta", "alpha"],
        ["b", "a", "c"],
        ["Zulu", "alpha", "Bravo"],  # upper case sorts first, as str does
        ["template", "_private", "10"],
    ],
)
def test_additional_properties_are_listed_as_the_server_lists_them(
    raw: Raw, extras: list[str]
) -> None:
    body: dict[str, Any] = {"phone_number": "07700900001", "template_id": SMS_TEMPLATE,
                            "personalisation": {"name": "Ann", "code": "1"}}  # fmt: skip
    body.update({name: 1 for name in extras})
    expected = _server_message(body, SMS_KEYS)
    assert expected.startswith("Additional properties are not allowed (")
    response = raw.post("/v2/notifications/sms", json=body)
    assert response.status_code == 400
    assert messages(response) == [expected]


def test_injected_received_text_extras_are_sorted_too(raw: Raw) -> None:
    body = {"content": "hi", "zz": 1, "aa": 2}
    response = raw.post("/sandbox/received-text-messages", json=body)
    assert response.status_code == 400
    assert messages(response) == [
        _server_message(body, ["content", "user_number", "notify_number"])
    ]


# --- received texts: the sender's number in the international form ------------------------------

# (as injected, as the server stores it: notifications-utils' PhoneNumber.get_normalised_format,
# or the number unchanged when it raises InvalidPhoneError)
RECEIVED_NUMBERS = [
    ("07700 900123", "447700900123"),
    ("+447700900123", "447700900123"),
    ("447700900123", "447700900123"),
    ("0044 7700 900 123", "447700900123"),
    ("(07700) 900-123", "447700900123"),
    ("+1 202 555 0123", "12025550123"),
    ("+33 6 12 34 56 78", "33612345678"),
    ("020 7946 0000", "442079460000"),
    ("hello", "hello"),
]


@pytest.mark.parametrize(("given", "stored"), RECEIVED_NUMBERS)
def test_received_text_injected_over_http_is_stored_in_international_form(
    sandbox: Sandbox, raw: Raw, given: str, stored: str
) -> None:
    content = f"over http from {given}"
    response = raw.post(
        "/sandbox/received-text-messages", json={"content": content, "user_number": given}
    )
    assert response.status_code == 201, response.text
    assert response.json()["user_number"] == stored
    listed = raw.get("/v2/received-text-messages").json()["received_text_messages"]
    assert [t["user_number"] for t in listed if t["content"] == content] == [stored]


@pytest.mark.parametrize(("given", "stored"), RECEIVED_NUMBERS)
def test_received_text_added_in_python_is_stored_in_international_form(
    sandbox: Sandbox, given: str, stored: str
) -> None:
    record = sandbox.add_received_text(f"python from {given}", user_number=given)
    assert record.user_number == stored
    client = sandbox.client()
    [found] = [
        t
        for t in client.get_received_texts().received_text_messages
        if t.content == f"python from {given}"
    ]
    assert found.user_number == stored


# --- postal addresses: BFPO and "no fixed abode" in every line position ---------------------------

# (the lines as sent, then the server's normalised lines or its error message)
ADDRESSES: list[tuple[list[str], list[str] | str]] = [
    (
        ["BFPO 123", "Sgt A Smith", "No fixed abode", "Unit 5", "Camp Bastion"],
        "Must be a real address",
    ),
    (
        ["BFPO 123", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
    ),
    (
        ["BFPO 123", "Sgt A Smith", "Unit 5", "Camp Bastion", "France"],
        "The last line of a BFPO address must not be a country.",
    ),
    (
        ["BFPO 123", "Sgt A Smith", "Unit 5", "Camp Bastion", "United Kingdom"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["BFPO 123", "Sgt A Smith", "Unit 5", "Camp Bastion"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["France", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["France", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["No fixed abode", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        "Must be a real address",
    ),
    (
        ["Scotland", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Scotland", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "BFPO 123", "No fixed abode", "Unit 5", "Camp Bastion"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "BFPO 123", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "BFPO 123", "Unit 5", "Camp Bastion", "France"],
        "The last line of a BFPO address must not be a country.",
    ),
    (
        ["Sgt A Smith", "BFPO 123", "Unit 5", "Camp Bastion", "United Kingdom"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "BFPO 123", "Unit 5", "Camp Bastion"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "France", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "France", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "No fixed abode", "Unit 5", "Camp Bastion", "BF1 1AA"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "Scotland", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Scotland", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "BFPO 123", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "BFPO 123", "Camp Bastion", "France"],
        "The last line of a BFPO address must not be a country.",
    ),
    (
        ["Sgt A Smith", "Unit 5", "BFPO 123", "Camp Bastion", "United Kingdom"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "BFPO 123", "Camp Bastion"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "France"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "France"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "No fixed abode"],
        "Last line of address must be a real UK postcode or another country",
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "Scotland"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "United Kingdom"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "bfpo c/o 9"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 9"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123", "France"],
        "The last line of a BFPO address must not be a country.",
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123", "United Kingdom"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BFPO 123"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "France", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "France", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "No fixed abode", "BF1 1AA"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "Scotland", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "Scotland", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "United Kingdom", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "United Kingdom", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "bfpo c/o 9", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 9"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "France", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "France", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "No fixed abode", "BFPO 123", "Camp Bastion"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "Unit 5", "No fixed abode", "Camp Bastion", "BF1 1AA"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "Unit 5", "No fixed abode", "Camp Bastion", "BFPO 123"],
        "Must be a real address",
    ),
    (
        ["Sgt A Smith", "Unit 5", "Scotland", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Scotland", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "United Kingdom", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "United Kingdom", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "Unit 5", "bfpo c/o 9", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 9"],
    ),
    (
        ["Sgt A Smith", "United Kingdom", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "United Kingdom", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["Sgt A Smith", "bfpo c/o 9", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 9"],
    ),
    (
        ["United Kingdom", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["United Kingdom", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
    ),
    (
        ["bfpo c/o 9", "Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA"],
        ["Sgt A Smith", "Unit 5", "Camp Bastion", "BF1 1AA", "BFPO 9"],
    ),
]


def _personalisation(lines: list[str]) -> dict[str, str]:
    return {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}


def _sandbox_reading(lines: list[str]) -> list[str] | str:
    try:
        address = validate_postal_address(
            _personalisation(lines), foreign_country=lambda line: country_zone(line) is not None
        )
    except InvalidPostalAddressError as err:
        return str(err)
    return list(address.lines)


@pytest.mark.parametrize(("lines", "server"), ADDRESSES)
def test_address_is_read_as_the_server_reads_it(lines: list[str], server: list[str] | str) -> None:
    assert _sandbox_reading(lines) == server


@pytest.mark.parametrize(("lines", "server"), ADDRESSES)
def test_sandbox_accepts_and_refuses_letters_as_the_server_does(
    sandbox: Sandbox, raw: Raw, lines: list[str], server: list[str] | str
) -> None:
    personalisation = {
        key: value for key, value in LETTER_PERSONALISATION.items()
        if not key.startswith("address_line") and key != "postcode"
    }  # fmt: skip
    personalisation.update(_personalisation(lines))
    response = raw.post(
        "/v2/notifications/letter",
        json={"template_id": LETTER_TEMPLATE, "personalisation": personalisation},
    )
    if isinstance(server, str):
        assert response.status_code == 400
        assert messages(response) == [server]
    else:
        assert response.status_code == 201, response.text
        letter = sandbox.notification(response.json()["id"])
        assert letter is not None


def test_client_side_check_still_leaves_unknown_names_to_the_server() -> None:
    """Without a country list the SDK refuses nothing the server might accept."""
    lines = ["Sgt A Smith", "Unit 5", "No fixed abode", "Camp Bastion", "BFPO 123"]
    # "Camp Bastion" is no country to the server, so it refuses the address; the SDK alone cannot
    # know that, but with the sandbox's list it can.
    assert _sandbox_reading(lines) == "Must be a real address"
    validate_postal_address(_personalisation(lines))
