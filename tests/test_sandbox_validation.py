"""The sandbox refuses what the Notify API refuses, with the same status, error name and message,
in the server's order of checks (contract §1.1, §2, §4, §7)."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, ServiceSettings

from .test_sandbox_support import (
    EMAIL_PERSONALISATION,
    LETTER_PERSONALISATION,
    SMS_PERSONALISATION,
    Raw,
    errors,
    messages,
)

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
STATUS_ENUM = (
    "[cancelled, created, sending, sent, delivered, pending, failed, technical-failure, "
    "temporary-failure, permanent-failure, pending-virus-check, validation-failed, "
    "virus-scan-failed, returned-letter, accepted, received]"
)


@pytest.fixture(scope="module")
def raw() -> Iterator[Raw]:
    with Sandbox(rate_limit=100_000) as sandbox:
        client = Raw(sandbox)
        yield client
        client.close()


def sms(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "phone_number": "07700900123",
        "template_id": SMS,
        "personalisation": SMS_PERSONALISATION,
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def email(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email_address": "someone@example.com",
        "template_id": EMAIL,
        "personalisation": EMAIL_PERSONALISATION,
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def letter(**personalisation: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(LETTER_PERSONALISATION)
    values.update(personalisation)
    return {
        "template_id": LETTER,
        "personalisation": {k: v for k, v in values.items() if v is not ...},
    }


# --- JSON and schema ------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["sms", "email", "letter"])
def test_invalid_or_empty_json(raw: Raw, route: str) -> None:
    for data in (b"{not json", b"", b"\xff\xfe"):
        response = raw.post(f"/v2/notifications/{route}", data=data)
        assert response.status_code == 400
        assert errors(response) == [("BadRequestError", "Invalid JSON supplied in POST data")]


def test_a_falsy_body_is_an_empty_object_and_every_error_is_listed(raw: Raw) -> None:
    for data in (b"{}", b"[]", b"0", b"null", b"false", b'""'):
        response = raw.post("/v2/notifications/sms", data=data)
        assert response.status_code == 400
        assert errors(response) == [
            ("ValidationError", "phone_number is a required property"),
            ("ValidationError", "template_id is a required property"),
        ]
    response = raw.post("/v2/notifications/sms", json="text")
    assert messages(response) == ["text is not of type object"]


def test_sms_schema_messages(raw: Raw) -> None:
    response = raw.post(
        "/v2/notifications/sms",
        json={
            "reference": None,
            "phone_number": "07890x32109",
            "template_id": 123,
            "personalisation": "not_a_dict",
            "scheduled_for": 5,
            "zeta": 1,
            "alpha": 2,
        },
    )
    assert response.status_code == 400
    assert messages(response) == [
        "reference None is not of type string",
        "phone_number Must not contain letters or symbols",
        "template_id is not a valid UUID",
        "personalisation not_a_dict is not of type object",
        "scheduled_for 5 is not of type string, null",
        "Additional properties are not allowed (alpha, zeta were unexpected)",
    ]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0772345678910", "phone_number Too many digits"),
        ("", "phone_number Not enough digits"),
        (
            "0400 123 4567",
            "phone_number Number is not valid \u2013 double check the phone number you entered",
        ),
        (7700900123, "phone_number 7700900123 is not of type string"),
    ],
)
def test_phone_number_messages(raw: Raw, number: object, message: str) -> None:
    response = raw.post("/v2/notifications/sms", json=sms(phone_number=number))
    assert messages(response) == [message]


def test_reference_limits_and_quotes_are_deleted(raw: Raw) -> None:
    long = "x" * 1001
    assert messages(raw.post("/v2/notifications/sms", json=sms(reference=long))) == [
        f"reference {long} is too long"
    ]
    quoted = "it's " + "y" * 1000
    assert messages(raw.post("/v2/notifications/sms", json=sms(reference=quoted))) == [
        f'reference "its {"y" * 1000}" is too long'
    ]
    ok = raw.post("/v2/notifications/sms", json=sms(reference="z" * 1000))
    assert ok.status_code == 201


def test_personalisation_types(raw: Raw) -> None:
    for value, shown in (([], "[]"), ({"a": 1} and 3, "3"), (None, "None")):
        response = raw.post("/v2/notifications/sms", json=sms(personalisation=value))
        assert messages(response) == [f"personalisation {shown} is not of type object"]


def test_scheduled_for_is_validated_and_ignored(raw: Raw) -> None:
    past = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).isoformat()
    far = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=30)).isoformat()
    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert messages(raw.post("/v2/notifications/sms", json=sms(scheduled_for=past))) == [
        "scheduled_for datetime can not be in the past"
    ]
    assert messages(raw.post("/v2/notifications/sms", json=sms(scheduled_for=far))) == [
        "scheduled_for datetime can only be 24 hours in the future"
    ]
    assert messages(raw.post("/v2/notifications/sms", json=sms(scheduled_for="soonish"))) == [
        "scheduled_for datetime format is invalid. It must be a valid ISO8601 date time format, "
        "https://en.wikipedia.org/wiki/ISO_8601"
    ]
    response = raw.post("/v2/notifications/sms", json=sms(scheduled_for=soon))
    assert response.status_code == 201
    assert response.json()["scheduled_for"] is None
    assert raw.post("/v2/notifications/sms", json=sms(scheduled_for=None)).status_code == 201
    zulu = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert raw.post("/v2/notifications/sms", json=sms(scheduled_for=zulu)).status_code == 201


def test_email_schema_messages(raw: Raw) -> None:
    response = raw.post(
        "/v2/notifications/email",
        json=email(
            email_address="not an email",
            email_reply_to_id=None,
            one_click_unsubscribe_url="http://example.com/unsubscribe",
            sanitise_content_for=5,
            sms_sender_id=str(uuid.uuid4()),
        ),
    )
    assert messages(response) == [
        "email_address Not a valid email address",
        "email_reply_to_id is not a valid UUID",
        "one_click_unsubscribe_url is not a valid https url",
        "sanitise_content_for 5 is not of type array, null",
        "Additional properties are not allowed (sms_sender_id was unexpected)",
    ]
    for url in ("https://exa mple.com", "https://example.com/caf\u00e9", 7, "ftp://x"):
        response = raw.post("/v2/notifications/email", json=email(one_click_unsubscribe_url=url))
        assert messages(response) == ["one_click_unsubscribe_url is not a valid https url"], url
    good = email(one_click_unsubscribe_url="https://example.com/unsubscribe?u=1&t=%20")
    assert raw.post("/v2/notifications/email", json=good).status_code == 201


def test_letter_and_precompiled_schema_messages(raw: Raw) -> None:
    assert messages(raw.post("/v2/notifications/letter", json={"template_id": LETTER})) == [
        "personalisation is a required property"
    ]
    response = raw.post(
        "/v2/notifications/letter",
        json={"content": 5, "postage": "fourth", "template_id": LETTER},
    )
    assert messages(response) == [
        "content 5 is not of type string",
        "postage invalid. It must be either first, second or economy.",
        "reference is a required property",
        "Additional properties are not allowed (template_id was unexpected)",
    ]
    for postage in ("europe", "rest-of-world"):
        response = raw.post(
            "/v2/notifications/letter",
            json={"reference": "r", "content": "JVBERi0=", "postage": postage},
        )
        assert messages(response) == [
            "postage invalid. It must be either first, second or economy."
        ]
    response = raw.post("/v2/notifications/letter", json={"reference": "r", "content": "abc"})
    assert errors(response) == [
        ("BadRequestError", "Cannot decode letter content (invalid base64 encoding)")
    ]


def test_uuid_checks_follow_python(raw: Raw) -> None:
    lenient = [SMS.replace("-", ""), "{" + SMS + "}", "urn:uuid:" + SMS, SMS.upper()]
    for template_id in lenient:
        assert (
            raw.post("/v2/notifications/sms", json=sms(template_id=template_id)).status_code == 201
        )
    for template_id in (" " + SMS, SMS[:-1], SMS + "\n"):
        response = raw.post("/v2/notifications/sms", json=sms(template_id=template_id))
        assert messages(response) == ["template_id is not a valid UUID"]


# --- checks after the schema, in order ------------------------------------------------------------


def test_template_checks(raw: Raw) -> None:
    cases = [
        (sms(template_id=str(uuid.uuid4())), "Template not found"),
        (sms(template_id=EMAIL), "email template is not suitable for sms notification"),
        (sms(personalisation={"NAME": "x"}), "Missing personalisation: code"),
        (sms(personalisation={"name": None, "code": None}), "Missing personalisation: name, code"),
        (sms(personalisation=...), "Missing personalisation: name, code"),
        (
            sms(personalisation={"name": "A", "code": {"file": "YQ==", "filename": "a.txt"}}),
            "Can only send a file by email",
        ),
        (
            sms(sms_sender_id=(sender := str(uuid.uuid4()))),
            f"sms_sender_id {sender} does not exist in database for service id "
            f"{raw.sandbox.service_id}",
        ),
    ]
    for body, message in cases:
        response = raw.post("/v2/notifications/sms", json=body)
        assert response.status_code == 400, body
        assert errors(response) == [("BadRequestError", message)], body


def test_keys_match_insensitively_and_extra_keys_are_ignored(raw: Raw) -> None:
    body = sms(personalisation={" N-A_M E ": "Ann", "CODE": 1, "unused": True})
    response = raw.post("/v2/notifications/sms", json=body)
    assert response.status_code == 201
    assert response.json()["content"]["body"].startswith("Hello Ann, your security code is 1.")


def test_archived_templates_and_empty_messages(raw: Raw) -> None:
    sandbox = raw.sandbox
    archived = sandbox.add_template("sms", "Old", "Hi ((name))")
    sandbox.archive_template(archived)
    response = raw.post("/v2/notifications/sms", json=sms(template_id=archived))
    assert errors(response) == [("BadRequestError", "Template has been deleted")]
    blank = sandbox.add_template("sms", "Blank", "((text))")
    response = raw.post(
        "/v2/notifications/sms", json=sms(template_id=blank, personalisation={"text": "  "})
    )
    assert errors(response) == [("BadRequestError", "Your message is empty.")]
    blank_email = sandbox.add_template("email", "Blank email", "((text))", "Subject")
    response = raw.post(
        "/v2/notifications/email",
        json=email(template_id=blank_email, personalisation={"text": ""}),
    )
    assert errors(response) == [("BadRequestError", "Your message is empty.")]


def test_email_missing_personalisation_lists_subject_first(raw: Raw) -> None:
    response = raw.post("/v2/notifications/email", json=email(personalisation={}))
    assert errors(response) == [
        ("BadRequestError", "Missing personalisation: document_type, name, link_to_file, urgent")
    ]


def test_unknown_reply_to(raw: Raw) -> None:
    reply_to = str(uuid.uuid4())
    response = raw.post("/v2/notifications/email", json=email(email_reply_to_id=reply_to))
    assert errors(response) == [
        (
            "BadRequestError",
            f"email_reply_to_id {reply_to} does not exist in database for service id "
            f"{raw.sandbox.service_id}",
        )
    ]


def test_message_length_limits(raw: Raw) -> None:
    long_sms = raw.post(
        "/v2/notifications/sms", json=sms(personalisation={"name": "a" * 900, "code": "1"})
    )
    length = len("Hello , your security code is 1. It expires in 10 minutes.") + 900
    assert errors(long_sms) == [
        (
            "BadRequestError",
            "Your message is too long. Text messages cannot be longer than 918 characters. "
            f"Your message is {length} characters long.",
        )
    ]
    plain = DEFAULT_TEMPLATE_IDS["plain_email"]
    body = "\u00e9" * 1_000_001
    response = raw.post(
        "/v2/notifications/email",
        json=email(template_id=plain, personalisation={"subject": "s", "body": body}),
    )
    assert errors(response) == [
        (
            "BadRequestError",
            "Your message is too long. Emails cannot be longer than 2000000 bytes. "
            "Your message is 2000002 bytes.",
        )
    ]


# --- service permissions and recipients ---------------------------------------------------------


def test_permissions_come_before_template_checks() -> None:
    settings = ServiceSettings(permissions=frozenset({"email"}))
    with Sandbox(service=settings) as sandbox:
        raw = Raw(sandbox)
        response = raw.post("/v2/notifications/sms", json=sms(template_id=str(uuid.uuid4())))
        assert errors(response) == [
            ("BadRequestError", "Service is not allowed to send text messages")
        ]
        response = raw.post("/v2/notifications/letter", json=letter())
        assert errors(response) == [("BadRequestError", "Service is not allowed to send letters")]
        precompiled = {"reference": "r", "content": base64.b64encode(b"%PDF-1.4").decode()}
        response = raw.post("/v2/notifications/letter", json=precompiled)
        assert errors(response) == [("BadRequestError", "Service is not allowed to send letters")]
        raw.close()


def test_team_keys_send_only_to_the_team() -> None:
    with Sandbox() as sandbox:
        team = Raw(sandbox, "team")
        response = team.post("/v2/notifications/sms", json=sms(phone_number="07700900999"))
        assert errors(response) == [
            ("BadRequestError", "Can\u2019t send to this recipient using a team-only API key")
        ]
        ok = team.post("/v2/notifications/sms", json=sms(phone_number="+44 7700 900123"))
        assert ok.status_code == 201
        ok = team.post(
            "/v2/notifications/email",
            json=email(email_address="Sandbox-Team@example.gov.uk"),
        )
        assert ok.status_code == 201
        response = team.post("/v2/notifications/letter", json=letter())
        assert response.status_code == 403
        assert errors(response) == [("BadRequestError", "Cannot send letters with a team api key")]
        test = Raw(sandbox, "test")
        response = test.post("/v2/notifications/sms", json=sms(phone_number="07700900999"))
        assert response.status_code == 201
        team.close()
        test.close()


def test_trial_mode() -> None:
    settings = ServiceSettings(restricted=True, team_members=("07700900123",))
    with Sandbox(service=settings) as sandbox:
        live = Raw(sandbox)
        response = live.post("/v2/notifications/sms", json=sms(phone_number="07700900999"))
        assert errors(response) == [
            (
                "BadRequestError",
                "Can\u2019t send to this recipient when service is in trial mode \u2013 see "
                "https://www.notifications.service.gov.uk/trial-mode",
            )
        ]
        assert live.post("/v2/notifications/sms", json=sms()).status_code == 201
        response = live.post("/v2/notifications/letter", json=letter())
        assert response.status_code == 403
        assert errors(response) == [
            ("BadRequestError", "Cannot send letters when service is in trial mode")
        ]
        test = Raw(sandbox, "test")
        assert test.post("/v2/notifications/letter", json=letter()).status_code == 201
        live.close()
        test.close()


def test_international_numbers_and_landlines() -> None:
    settings = ServiceSettings(permissions=frozenset({"sms"}))
    with Sandbox(service=settings) as sandbox:
        raw = Raw(sandbox)
        response = raw.post("/v2/notifications/sms", json=sms(phone_number="+1 202 555 0104"))
        assert errors(response) == [
            ("BadRequestError", "Cannot send to international mobile numbers")
        ]
        response = raw.post("/v2/notifications/sms", json=sms(phone_number="020 7946 0991"))
        assert errors(response) == [("InvalidPhoneError", "Not a UK mobile number")]
        # crown dependencies count as the UK
        response = raw.post("/v2/notifications/sms", json=sms(phone_number="07797 123456"))
        assert response.status_code == 201
        raw.close()
    everything = ServiceSettings(
        permissions=frozenset({"sms", "international_sms", "sms_to_uk_landlines"})
    )
    with Sandbox(service=everything) as sandbox:
        raw = Raw(sandbox)
        for number in ("+1 202 555 0104", "020 7946 0991"):
            response = raw.post("/v2/notifications/sms", json=sms(phone_number=number))
            assert response.status_code == 201, number
        raw.close()


# --- letters --------------------------------------------------------------------------------------


def test_letter_addresses(raw: Raw) -> None:
    last_line = "Last line of address must be a real UK postcode or another country"
    first_characters = (
        "Address lines must not start with any of the following characters: "
        "@ ( ) = [ ] \u201d \\\\ / , < >"
    )
    alphanumeric = (
        "The first 2 lines of the address must both include at least one alphanumeric character"
    )
    cases = [
        (letter(address_line_3=..., postcode=...), "Address must be at least 3 lines"),
        (letter(postcode="SW1A 1ZZZ"), last_line),
        (letter(postcode="Narnia"), last_line),
        (letter(address_line_2="(flat)"), first_characters),
        (letter(address_line_2="No fixed abode"), "Must be a real address"),
        (letter(address_line_1="--", address_line_2="!!"), alphanumeric),
    ]
    for body, message in cases:
        response = raw.post("/v2/notifications/letter", json=body)
        assert response.status_code == 400, body
        assert errors(response) == [("ValidationError", message)], body
    # the exact keys only: capitalised keys are not address lines
    capitalised = letter(address_line_1=..., Address_Line_1="Ann")
    response = raw.post("/v2/notifications/letter", json=capitalised)
    assert response.status_code == 201


def test_letters_abroad_need_the_permission() -> None:
    with Sandbox(service=ServiceSettings(permissions=frozenset({"letter"}))) as sandbox:
        raw = Raw(sandbox)
        response = raw.post("/v2/notifications/letter", json=letter(postcode="France"))
        assert errors(response) == [("ValidationError", "Must be a real UK postcode")]
        raw.close()


def test_letter_checks_in_order(raw: Raw) -> None:
    # missing personalisation (contact block, subject, body order) before the address
    response = raw.post(
        "/v2/notifications/letter",
        json={"template_id": LETTER, "personalisation": {"address_line_1": "x"}},
    )
    assert errors(response) == [
        (
            "BadRequestError",
            "Missing personalisation: application_number, name, date, needs_documents",
        )
    ]
    response = raw.post(
        "/v2/notifications/letter", json=letter(name={"file": "YQ==", "filename": "a.pdf"})
    )
    assert errors(response) == [("BadRequestError", "Can only send a file by email")]


def test_qr_codes_that_are_too_long(raw: Raw) -> None:
    template_id = raw.sandbox.add_template(
        "letter", "QR", "Scan this:\n\nqr: ((link))", "QR letter"
    )
    link = "https://example.com/" + "a" * 600
    body = letter(link=link)
    body["template_id"] = template_id
    response = raw.post("/v2/notifications/letter", json=body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "error": "ValidationError",
            "message": "Cannot create a usable QR code - the link is too long",
            "data": link,
            "num_bytes": len(link),
            "max_bytes": 504,
        }
    ]


# --- files by email ------------------------------------------------------------------------------


def file_email(raw: Raw, **spec: Any) -> Any:
    value = {"file": base64.b64encode(b"a,b\n1,2\n").decode(), "filename": "data.csv"}
    value.update(spec)
    personalisation = dict(EMAIL_PERSONALISATION, link_to_file=value)
    return raw.post("/v2/notifications/email", json=email(personalisation=personalisation))


def test_file_object_rules(raw: Raw) -> None:
    supported = (
        "Supported types are: '.csv', '.doc', '.docx', '.jpeg', '.jpg', '.json', '.odt', "
        "'.pdf', '.png', '.rtf', '.txt', '.xlsx'"
    )
    binary = base64.b64encode(b"\x00\x01\x02binary").decode()
    too_big = base64.b64encode(b"a" * (2 * 1024 * 1024 + 1025)).decode()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"file": False}, "file False is not of type string"),
        (
            {"filename": "no_extension"},
            "filename `filename` must end with a file extension. For example, filename.csv",
        ),
        (
            {"confirm_email_before_download": "yes"},
            "confirm_email_before_download Unsupported value for "
            "confirm_email_before_download: yes. Use a boolean true or false value.",
        ),
        (
            {"retention_period": "79 weeks"},
            "retention_period Unsupported value for retention_period: 79 weeks. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        ({"is_csv": True}, "Do not set a value for `is_csv` if `filename` is set."),
        ({"colour": "red"}, "Additional properties are not allowed (colour was unexpected)"),
        ({"file": "YQ="}, "Document is not base64 encoded"),
        ({"file": ""}, "Document must not be empty"),
        ({"filename": "x" * 97 + ".csv"}, "`filename` cannot be longer than 100 characters"),
        ({"filename": "virus.exe"}, f"Unsupported file type '.exe'. {supported}"),
        (
            {"file": binary, "filename": None},
            f"Unsupported file type 'application/octet-stream'. {supported}",
        ),
        ({"file": too_big}, "Uploaded file exceeds file size limit"),
    ]
    for spec, message in cases:
        response = file_email(raw, **spec)
        assert response.status_code == 400, spec
        assert errors(response) == [("BadRequestError", message)], spec
    for retention in ("1 week", " 78 WEEKS ", None):
        assert file_email(raw, retention_period=retention).status_code == 201


def test_files_need_the_contact_link() -> None:
    with Sandbox(service=ServiceSettings(contact_link=None)) as sandbox:
        raw = Raw(sandbox)
        response = file_email(raw)
        assert errors(response) == [
            (
                "BadRequestError",
                "Send files by email has not been set up - add contact details for your service "
                "at https://www.notifications.service.gov.uk/services/"
                f"{sandbox.service_id}/service-settings/send-files-by-email",
            )
        ]
        raw.close()


def test_sanitise_content_for_with_a_non_string_value_is_a_server_error(raw: Raw) -> None:
    body = email(personalisation=dict(EMAIL_PERSONALISATION, name=7), sanitise_content_for=["name"])
    response = raw.post("/v2/notifications/email", json=body)
    assert response.status_code == 500
    assert errors(response) == [("TypeError", "Internal server error")]
    body = email(sanitise_content_for=[1])
    assert raw.post("/v2/notifications/email", json=body).status_code == 500


# --- URLs, methods and the other endpoints' own checks ---------------------------------------


def test_legacy_error_bodies(raw: Raw) -> None:
    not_found = {
        "result": "error",
        "message": "The requested URL was not found on the server. If you entered the URL "
        "manually please check your spelling and try again.",
    }
    for method, path in (
        ("GET", "/v2/nothing-here"),
        ("GET", "/v2/notifications/"),
        ("GET", f"/v2/template/{SMS}/version/abc"),
        ("GET", f"/v2/template/{SMS}/version/-1"),
        ("POST", "/v2/notifications/carrier-pigeon"),
    ):
        response = raw.request(method, path, json={})
        assert response.status_code == 404, path
        assert response.json() == not_found
    for method, path in (
        ("DELETE", "/v2/notifications"),
        ("POST", "/v2/templates"),
        ("PUT", f"/v2/template/{SMS}"),
        ("GET", f"/v2/template/{SMS}/preview"),
    ):
        response = raw.request(method, path)
        assert response.status_code == 405, path
        assert response.json() == {
            "result": "error",
            "message": "The method is not allowed for the requested URL.",
        }


def test_unknown_notification_types_still_take_a_rate_limit_token() -> None:
    with Sandbox(rate_limit=1) as sandbox:
        raw = Raw(sandbox)
        assert raw.post("/v2/notifications/pigeon", json={}).status_code == 404
        assert raw.post("/v2/notifications/pigeon", json={}).status_code == 404
        assert raw.post("/v2/notifications/pigeon", json={}).status_code == 429
        raw.close()


def test_get_checks(raw: Raw) -> None:
    assert messages(raw.get("/v2/notifications/not-a-uuid")) == [
        "notification_id is not a valid UUID"
    ]
    assert messages(raw.get("/v2/notifications/not-a-uuid/pdf")) == [
        "notification_id is not a valid UUID"
    ]
    response = raw.get(f"/v2/notifications/{uuid.uuid4()}")
    assert response.status_code == 404
    assert errors(response) == [("NoResultFound", "No result found")]
    assert messages(raw.get("/v2/template/abc")) == ["id is not a valid UUID"]
    assert messages(raw.post("/v2/template/abc/preview", json={})) == ["id is not a valid UUID"]
    assert errors(raw.get(f"/v2/template/{uuid.uuid4()}")) == [("NoResultFound", "No result found")]


def test_list_query_checks(raw: Raw) -> None:
    response = raw.get(
        "/v2/notifications",
        params=[
            ("status", "elephant"),
            ("status", "o'neil"),
            ("template_type", "fax"),
            ("include_jobs", "false"),
            ("older_than", "nope"),
            ("colour", "red"),
        ],
    )
    assert messages(response) == [
        f"status elephant is not one of {STATUS_ENUM}",
        f'status "oneil" is not one of {STATUS_ENUM}',  # repr() used double quotes
        "template_type fax is not one of [sms, email, letter]",
        "include_jobs false is not one of [true, True]",
        "older_than is not a valid UUID",
        "Additional properties are not allowed (colour was unexpected)",
    ]
    assert messages(raw.get("/v2/templates", params={"type": "fax"})) == [
        "type fax is not one of [sms, email, letter]"
    ]
    assert messages(raw.get("/v2/templates", params={"kind": "sms"})) == [
        "Additional properties are not allowed (kind was unexpected)"
    ]
    assert messages(raw.get("/v2/received-text-messages", params={"older_than": "x"})) == [
        "older_than is not a valid UUID"
    ]
    assert messages(raw.get("/v2/received-text-messages", params={"page": "2"})) == [
        "Additional properties are not allowed (page was unexpected)"
    ]


def test_preview_checks(raw: Raw) -> None:
    path = f"/v2/template/{SMS}/preview"
    assert messages(raw.post(path, json={"personalisation": None})) == [
        "personalisation None is not of type object"
    ]
    assert errors(raw.post(path, data=b"{bad")) == [
        ("BadRequestError", "Invalid JSON supplied in POST data")
    ]
    assert errors(raw.post(path, data=b"")) == [
        ("BadRequestError", "Missing personalisation: name, code")
    ]
    response = raw.post(path, json={"personalisation": SMS_PERSONALISATION, "extra": 1, "id": 5})
    assert response.status_code == 200
    response = raw.post(f"/v2/template/{uuid.uuid4()}/preview", json={})
    assert response.status_code == 404
    assert errors(response) == [("NoResultFound", "No result found")]
