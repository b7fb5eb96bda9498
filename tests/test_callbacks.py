"""Callbacks: the payload models, the bearer-token check and the errors."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeAlias
from uuid import UUID

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from govuk_notify.callbacks import (
    CALLBACK_MODELS,
    DELIVERY_RECEIPT_ADAPTER,
    CallbackError,
    EmailDeliveryReceipt,
    InvalidTokenError,
    MalformedCallbackError,
    MissingTokenError,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
    callback_json_schemas,
    check_bearer_token,
    parse_delivery_receipt,
    parse_received_text,
    parse_returned_letter,
)
from govuk_notify.errors import ConfigurationError, NotifyError
from govuk_notify.models.enums import EmailStatus, SmsStatus

from .bodies import EMAIL_RECEIPT, RECEIVED_TEXT, RETURNED_LETTER, SMS_RECEIPT

TOKEN = "s3cret-callback-token-4f1d9c"
AUTH = f"Bearer {TOKEN}"

Parser: TypeAlias = Callable[..., object]
PARSERS: tuple[Parser, ...] = (parse_delivery_receipt, parse_received_text, parse_returned_letter)

VALID: tuple[tuple[Parser, dict[str, Any]], ...] = (
    (parse_delivery_receipt, SMS_RECEIPT),
    (parse_delivery_receipt, EMAIL_RECEIPT),
    (parse_received_text, RECEIVED_TEXT),
    (parse_returned_letter, RETURNED_LETTER),
)

OPENAPI = Path(__file__).resolve().parent / "data" / "openapi" / "schema.json"
UTC = timezone.utc


def encode(payload: object) -> bytes:
    return json.dumps(payload).encode()


def with_changes(payload: dict[str, Any], **changes: Any) -> bytes:
    return encode({**payload, **changes})


def malformed(parser: Parser, body: bytes | str) -> MalformedCallbackError:
    with pytest.raises(MalformedCallbackError) as caught:
        parser(AUTH, body, expected_token=TOKEN)
    return caught.value


# --- the payloads -------------------------------------------------------------------------------


def test_sms_receipt_is_typed() -> None:
    receipt = parse_delivery_receipt(AUTH, encode(SMS_RECEIPT), expected_token=TOKEN)

    assert isinstance(receipt, SmsDeliveryReceipt)
    assert receipt.id == UUID("740e5834-3a29-46b4-9a6f-16142fde533a")
    assert receipt.reference == "your reference"
    assert receipt.to == "+447900900123"
    assert receipt.status is SmsStatus.DELIVERED
    assert receipt.status.is_known
    assert receipt.notification_type == "sms"
    assert receipt.created_at == datetime(2023, 9, 16, 16, 50, 9, 90424, tzinfo=UTC)
    assert receipt.completed_at == datetime(2023, 9, 16, 16, 50, 10, 42907, tzinfo=UTC)
    assert receipt.sent_at == datetime(2023, 9, 16, 16, 50, 9, 219763, tzinfo=UTC)
    assert receipt.template_id == UUID("f33517ff-2a88-4f6e-b855-c550268ce08a")
    assert receipt.template_version == 3


def test_email_receipt_is_typed() -> None:
    receipt = parse_delivery_receipt(AUTH, encode(EMAIL_RECEIPT), expected_token=TOKEN)

    assert isinstance(receipt, EmailDeliveryReceipt)
    assert receipt.status is EmailStatus.DELIVERED
    assert receipt.to == "amala@example.com"
    assert receipt.template_version == 1


def test_the_channel_picks_the_status_enum() -> None:
    # "pending" is a text-message status that emails never have.
    sms = parse_delivery_receipt(
        AUTH, with_changes(SMS_RECEIPT, status="pending"), expected_token=TOKEN
    )
    email = parse_delivery_receipt(
        AUTH, with_changes(EMAIL_RECEIPT, status="pending"), expected_token=TOKEN
    )

    assert sms.status is SmsStatus.PENDING
    assert sms.status.is_known
    assert isinstance(email.status, EmailStatus)
    assert not email.status.is_known


def test_received_text_is_typed() -> None:
    text = parse_received_text(AUTH, encode(RECEIVED_TEXT), expected_token=TOKEN)

    assert text == ReceivedTextCallback(
        id=UUID("a2ad3ad2-3c0e-4d3f-9a6b-2b6d4f0c9e11"),
        source_number="447700912345",
        destination_number="07700987654",
        message="Hello Notify!",
        date_received=datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC),
    )


def test_returned_letter_is_typed() -> None:
    letter = parse_returned_letter(AUTH, encode(RETURNED_LETTER), expected_token=TOKEN)

    assert letter.notification_id == UUID("3d1ce039-5476-414c-99b2-fac1e6add62c")
    assert letter.reference == "your reference"
    assert letter.date_sent == datetime(2023, 9, 16, 16, 50, 9, 90424, tzinfo=UTC)
    assert letter.sent_by == "hello@gov.uk"
    assert letter.template_name == "Appointment confirmation"
    assert letter.template_id == UUID("64415853-cb86-4cc4-b597-2aaa94ef8c39")
    assert letter.template_version == 3
    assert letter.spreadsheet_file_name == "contact_list.csv"
    assert letter.spreadsheet_row_number == 2
    assert letter.upload_letter_file_name is None


def test_returned_uploaded_letter_has_no_template() -> None:
    # What Notify's server sends for an uploaded letter: no reference, no spreadsheet, and the
    # hidden template's id formatted with str(None).
    body = with_changes(
        RETURNED_LETTER,
        reference=None,
        sent_by="API",
        template_name=None,
        template_id="None",
        template_version=None,
        spreadsheet_file_name=None,
        spreadsheet_row_number=None,
        upload_letter_file_name="upload_letter.pdf",
    )

    letter = parse_returned_letter(AUTH, body, expected_token=TOKEN)

    assert letter.reference is None
    assert letter.sent_by == "API"
    assert letter.template_name is None
    assert letter.template_id is None
    assert letter.template_version is None
    assert letter.spreadsheet_file_name is None
    assert letter.spreadsheet_row_number is None
    assert letter.upload_letter_file_name == "upload_letter.pdf"


def test_receipt_nullable_fields() -> None:
    # A message that failed before it reached a provider has no sent_at; reference is optional.
    body = with_changes(
        SMS_RECEIPT, reference=None, status="technical-failure", sent_at=None, completed_at=None
    )

    receipt = parse_delivery_receipt(AUTH, body, expected_token=TOKEN)

    assert receipt.reference is None
    assert receipt.sent_at is None
    assert receipt.completed_at is None
    assert receipt.status is SmsStatus.TECHNICAL_FAILURE


@pytest.mark.parametrize(("parser", "payload"), VALID)
def test_timestamps_are_aware(parser: Parser, payload: dict[str, Any]) -> None:
    parsed = parser(AUTH, encode(payload), expected_token=TOKEN)

    assert isinstance(parsed, BaseModel)
    stamps = [value for value in dict(parsed).values() if isinstance(value, datetime)]
    assert stamps
    assert all(stamp.utcoffset() == timedelta(0) for stamp in stamps)


def test_naive_and_offset_timestamps() -> None:
    body = with_changes(
        SMS_RECEIPT, created_at="2024-05-17 15:58:38.342838", sent_at="2024-05-17T16:58:39+01:00"
    )

    receipt = parse_delivery_receipt(AUTH, body, expected_token=TOKEN)

    assert receipt.created_at == datetime(2024, 5, 17, 15, 58, 38, 342838, tzinfo=UTC)
    assert receipt.sent_at == datetime(2024, 5, 17, 15, 58, 39, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "enum"), [(SMS_RECEIPT, SmsStatus), (EMAIL_RECEIPT, EmailStatus)]
)
def test_unknown_status_is_tolerated(payload: dict[str, Any], enum: type[Any]) -> None:
    receipt = parse_delivery_receipt(
        AUTH, with_changes(payload, status="carrier-pigeon-lost"), expected_token=TOKEN
    )

    assert isinstance(receipt.status, enum)
    assert receipt.status.value == "carrier-pigeon-lost"
    assert not receipt.status.is_known
    assert json.loads(receipt.model_dump_json())["status"] == "carrier-pigeon-lost"


@pytest.mark.parametrize(("parser", "payload"), VALID)
def test_unknown_fields_are_kept(parser: Parser, payload: dict[str, Any]) -> None:
    body = with_changes(payload, provider_response="Not delivered", cost={"pence": 2})

    parsed = parser(AUTH, body, expected_token=TOKEN)

    assert isinstance(parsed, BaseModel)
    assert parsed.model_extra == {
        "provider_response": "Not delivered",
        "cost": {"pence": 2},
    }


@pytest.mark.parametrize(("parser", "payload"), VALID)
def test_model_json_parses_back(parser: Parser, payload: dict[str, Any]) -> None:
    # The sandbox will POST model_dump_json(): what it sends must parse to the same thing.
    parsed = parser(AUTH, encode(payload), expected_token=TOKEN)
    assert isinstance(parsed, BaseModel)
    dumped = parsed.model_dump_json()

    assert parser(AUTH, dumped, expected_token=TOKEN) == parsed
    assert json.loads(dumped) == payload


def test_a_receipt_built_in_python_knows_its_channel() -> None:
    receipt = SmsDeliveryReceipt(
        id=UUID(int=1),
        to="07700900123",
        status=SmsStatus.SENT,
        created_at=datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        template_id=UUID(int=2),
        template_version=7,
    )

    wire = json.loads(receipt.model_dump_json())

    assert wire["notification_type"] == "sms"
    assert wire["created_at"] == "2024-01-02T03:04:05.000006Z"
    assert wire["reference"] is None
    assert parse_delivery_receipt(AUTH, receipt.model_dump_json(), expected_token=TOKEN) == receipt


@pytest.mark.parametrize(
    ("moment", "wire"),
    [
        (datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC), "2017-05-14T12:15:30.000000Z"),
        (
            datetime(2024, 6, 1, 9, 0, 0, 123, tzinfo=timezone(timedelta(hours=1))),
            "2024-06-01T08:00:00.000123Z",
        ),
    ],
)
def test_timestamps_are_written_as_notify_writes_them(moment: datetime, wire: str) -> None:
    text = ReceivedTextCallback(
        id=UUID(int=3),
        source_number="447700900123",
        destination_number="07700900000",
        message="Hi",
        date_received=moment,
    )

    assert json.loads(text.model_dump_json())["date_received"] == wire
    assert text.model_dump()["date_received"] == moment


def test_models_are_frozen() -> None:
    receipt = parse_delivery_receipt(AUTH, encode(SMS_RECEIPT), expected_token=TOKEN)

    with pytest.raises(ValueError, match="frozen"):
        receipt.status = SmsStatus.SENT  # type: ignore[misc]


# --- the models against Notify's description ----------------------------------------------------


@pytest.mark.parametrize(
    ("component", "model"),
    [
        ("SmsCallbackRequest", SmsDeliveryReceipt),
        ("EmailCallbackRequest", EmailDeliveryReceipt),
        ("LetterCallbackRequest", ReturnedLetterCallback),
    ],
)
def test_models_match_the_openapi_components(component: str, model: type[Any]) -> None:
    schema = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"][component]
    example = {name: field["example"] for name, field in schema["properties"].items()}
    # The examples write nullable text as "hello@gov.uk or null": take the value before " or ".
    example = {k: v.split(" or ")[0] if isinstance(v, str) else v for k, v in example.items()}

    assert set(schema["properties"]) == set(model.model_fields)
    parsed = model.model_validate_json(json.dumps(example))
    assert parsed.model_extra == {}


def test_callback_models_for_the_schema_export() -> None:
    assert (
        SmsDeliveryReceipt,
        EmailDeliveryReceipt,
        ReceivedTextCallback,
        ReturnedLetterCallback,
    ) == CALLBACK_MODELS
    assert set(callback_json_schemas()) == {model.__name__ for model in CALLBACK_MODELS} | {
        "DeliveryReceipt"
    }


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("SmsDeliveryReceipt", SMS_RECEIPT),
        ("EmailDeliveryReceipt", EMAIL_RECEIPT),
        ("DeliveryReceipt", SMS_RECEIPT),
        ("DeliveryReceipt", EMAIL_RECEIPT),
        ("ReceivedTextCallback", RECEIVED_TEXT),
        ("ReturnedLetterCallback", RETURNED_LETTER),
    ],
)
def test_json_schemas_accept_the_examples(name: str, payload: dict[str, Any]) -> None:
    schema = callback_json_schemas()[name]

    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(payload)


def test_union_json_schema_is_discriminated() -> None:
    schema = DELIVERY_RECEIPT_ADAPTER.json_schema()

    assert schema["discriminator"]["propertyName"] == "notification_type"
    assert set(schema["discriminator"]["mapping"]) == {"sms", "email"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**SMS_RECEIPT, "notification_type": "letter"}, schema)


# --- the token ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        f"bearer {TOKEN}",
        f"BEARER {TOKEN}",
        f"Bearer   {TOKEN}  ",
        f"  Bearer\t{TOKEN}",
        AUTH.encode(),
    ],
)
def test_accepted_authorization_headers(authorization: str | bytes) -> None:
    receipt = parse_delivery_receipt(authorization, encode(SMS_RECEIPT), expected_token=TOKEN)

    assert isinstance(receipt, SmsDeliveryReceipt)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "   ", b"", "Bearer", "Bearer   ", f"Basic {TOKEN}", TOKEN, f"Bearer{TOKEN}"],
)
@pytest.mark.parametrize("parser", PARSERS)
def test_missing_token(parser: Parser, authorization: str | bytes | None) -> None:
    with pytest.raises(MissingTokenError) as caught:
        parser(authorization, encode(SMS_RECEIPT), expected_token=TOKEN)

    assert caught.value.http_status == 401


@pytest.mark.parametrize(
    "token",
    [
        TOKEN[:-1],
        TOKEN + "x",
        TOKEN[:-1] + "7",
        TOKEN.upper(),
        "x" + TOKEN,
        "s3cret",
        "tökén-ünïcode",
        "\ud800" + TOKEN,
    ],
)
@pytest.mark.parametrize("parser", PARSERS)
def test_wrong_token(parser: Parser, token: str) -> None:
    with pytest.raises(InvalidTokenError) as caught:
        parser(f"Bearer {token}", encode(SMS_RECEIPT), expected_token=TOKEN)

    assert caught.value.http_status == 401


def test_non_ascii_tokens() -> None:
    token = "tökén-ünïcode-£"
    check_bearer_token(f"Bearer {token}", expected_token=token)
    # Header bytes are read as Latin-1, as web servers read them and as Notify writes them.
    check_bearer_token(f"Bearer {token}".encode("latin-1"), expected_token=token)
    with pytest.raises(InvalidTokenError):
        check_bearer_token(f"Bearer {token}".encode(), expected_token=token)
    with pytest.raises(InvalidTokenError):
        check_bearer_token("Bearer token-unicode-£", expected_token=token)


def test_token_is_checked_before_the_body() -> None:
    with pytest.raises(InvalidTokenError):
        parse_delivery_receipt("Bearer wrong-token", b"{not json", expected_token=TOKEN)
    with pytest.raises(MissingTokenError):
        parse_returned_letter(None, b"", expected_token=TOKEN)


def test_several_expected_tokens_while_rotating() -> None:
    old, new = "old-token-0123456789", "new-token-9876543210"

    for token in (old, new):
        check_bearer_token(f"Bearer {token}", expected_token=[old, new])
        check_bearer_token(f"Bearer {token}", expected_token=(new, old))
    with pytest.raises(InvalidTokenError):
        check_bearer_token(f"Bearer {TOKEN}", expected_token=[old, new])


@pytest.mark.parametrize("expected", ["", [], (), [""], [TOKEN, ""], None, b"bytes-token", [None]])
def test_an_empty_expected_token_is_a_configuration_error(expected: Any) -> None:
    # Answering 401 here would hide a deployment mistake (an unset environment variable).
    with pytest.raises(ConfigurationError):
        parse_delivery_receipt(AUTH, encode(SMS_RECEIPT), expected_token=expected)
    with pytest.raises(ConfigurationError):
        parse_delivery_receipt(None, b"", expected_token=expected)


def test_error_classes() -> None:
    for error in (MissingTokenError, InvalidTokenError, MalformedCallbackError):
        assert issubclass(error, CallbackError)
    assert issubclass(CallbackError, NotifyError)
    assert not issubclass(ConfigurationError, CallbackError)
    assert MissingTokenError.http_status == 401
    assert InvalidTokenError.http_status == 401
    assert MalformedCallbackError.http_status == 400


# --- the body -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", b"{", b"not json", b"\xff\xfe\x00", "{\ud800}", b"[" * 500 + b"]" * 500]
)
@pytest.mark.parametrize("parser", PARSERS)
def test_body_not_json(parser: Parser, body: bytes | str) -> None:
    error = malformed(parser, body)

    assert error.fields == ("body",)
    assert error.http_status == 400
    assert "Invalid JSON" in str(error)


@pytest.mark.parametrize("body", [b"[]", b"null", b'"text"', b"42"])
@pytest.mark.parametrize("parser", PARSERS)
def test_body_not_an_object(parser: Parser, body: bytes) -> None:
    error = malformed(parser, body)

    assert error.fields == ("body",)
    assert "should be an object" in str(error)


def test_receipt_without_or_with_an_unknown_channel() -> None:
    without = {k: v for k, v in SMS_RECEIPT.items() if k != "notification_type"}

    assert malformed(parse_delivery_receipt, encode(without)).fields == ("notification_type",)
    for channel in ("letter", None, 3):
        error = malformed(
            parse_delivery_receipt, with_changes(SMS_RECEIPT, notification_type=channel)
        )
        assert error.fields == ("notification_type",)
        assert "'sms' or 'email'" in str(error)


@pytest.mark.parametrize(
    ("parser", "payload", "field", "value"),
    [
        (parse_delivery_receipt, SMS_RECEIPT, "id", "not-a-uuid"),
        (parse_delivery_receipt, SMS_RECEIPT, "status", 3),
        (parse_delivery_receipt, EMAIL_RECEIPT, "status", None),
        (parse_delivery_receipt, EMAIL_RECEIPT, "created_at", "yesterday"),
        (parse_delivery_receipt, SMS_RECEIPT, "sent_at", "2023-13-45T00:00:00Z"),
        (parse_delivery_receipt, SMS_RECEIPT, "template_version", "three"),
        (parse_delivery_receipt, EMAIL_RECEIPT, "to", None),
        (parse_received_text, RECEIVED_TEXT, "date_received", None),
        (parse_received_text, RECEIVED_TEXT, "message", ["Hello"]),
        (parse_returned_letter, RETURNED_LETTER, "notification_id", 12),
        (parse_returned_letter, RETURNED_LETTER, "spreadsheet_row_number", "second"),
        (parse_returned_letter, RETURNED_LETTER, "template_id", "none"),
    ],
)
def test_bad_field_is_named(
    parser: Parser, payload: dict[str, Any], field: str, value: object
) -> None:
    error = malformed(parser, with_changes(payload, **{field: value}))

    assert error.fields == (field,)
    assert str(error).startswith("Malformed ")
    assert f"{field}: " in str(error)


@pytest.mark.parametrize(("parser", "payload"), VALID)
def test_missing_required_fields_are_all_named(parser: Parser, payload: dict[str, Any]) -> None:
    kept = {"notification_type": payload["notification_type"]} if "to" in payload else {}

    error = malformed(parser, encode(kept))

    assert set(error.fields) <= set(payload)
    assert error.fields
    assert all(message == "Field required" for _, message in error.problems)


def test_a_payload_of_another_kind_is_refused() -> None:
    assert set(malformed(parse_received_text, encode(SMS_RECEIPT)).fields) == {
        "source_number",
        "destination_number",
        "message",
        "date_received",
    }
    assert "notification_type" in malformed(parse_delivery_receipt, encode(RECEIVED_TEXT)).fields
    assert "notification_id" in malformed(parse_returned_letter, encode(EMAIL_RECEIPT)).fields


def test_malformed_error_does_not_repeat_the_values_sent() -> None:
    body = with_changes(
        RECEIVED_TEXT, source_number=["+447700900123"], message={"text": "my bank PIN is 8841"}
    )

    error = malformed(parse_received_text, body)

    assert set(error.fields) == {"source_number", "message"}
    for shown in (str(error), repr(error), *map(str, error.args)):
        assert "447700900123" not in shown
        assert "8841" not in shown


# --- secrets stay out of errors and logs ----------------------------------------------------------

EXPECTED_SECRET = "expected-Xq7Lp9Zr2Vb5"
SENT_SECRET = "sent-Wm3Kc8Hd4Tg6"


def _refusals() -> list[tuple[Callable[[], object], type[Exception]]]:
    sms = encode(SMS_RECEIPT)
    return [
        (
            lambda: parse_delivery_receipt(None, sms, expected_token=EXPECTED_SECRET),
            MissingTokenError,
        ),
        (
            lambda: parse_received_text(
                f"Basic {SENT_SECRET}", sms, expected_token=EXPECTED_SECRET
            ),
            MissingTokenError,
        ),
        (
            lambda: parse_returned_letter(SENT_SECRET, sms, expected_token=EXPECTED_SECRET),
            MissingTokenError,
        ),
        (
            lambda: parse_delivery_receipt(
                f"Bearer {SENT_SECRET}", sms, expected_token=EXPECTED_SECRET
            ),
            InvalidTokenError,
        ),
        (
            lambda: parse_delivery_receipt(
                f"Bearer {EXPECTED_SECRET[:-1]}", sms, expected_token=[EXPECTED_SECRET, SENT_SECRET]
            ),
            InvalidTokenError,
        ),
        (
            lambda: parse_delivery_receipt(
                f"Bearer {EXPECTED_SECRET}", b"{oops", expected_token=EXPECTED_SECRET
            ),
            MalformedCallbackError,
        ),
        (
            lambda: parse_received_text(
                f"Bearer {EXPECTED_SECRET}", sms, expected_token=EXPECTED_SECRET
            ),
            MalformedCallbackError,
        ),
    ]


@pytest.mark.parametrize(("refuse", "expected_error"), _refusals())
def test_tokens_never_appear_in_errors_or_logs(
    refuse: Callable[[], object],
    expected_error: type[Exception],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    with pytest.raises(expected_error) as caught:
        refuse()

    error = caught.value
    shown = [
        str(error),
        repr(error),
        repr(error.args),
        "".join(traceback.format_exception(error)),
        *(record.getMessage() for record in caplog.records),
        caplog.text,
    ]
    for text in shown:
        # The secrets, and any long piece of them, stay out.
        for secret in (EXPECTED_SECRET, SENT_SECRET):
            assert secret[:12] not in text
            assert secret[-8:] not in text
    assert error.__cause__ is None
    assert error.__context__ is None
    # The refusal is logged (so the check above looked at something).
    assert any("Refused" in record.getMessage() for record in caplog.records)


def test_an_accepted_callback_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="govuk_notify")

    parse_delivery_receipt(AUTH, encode(SMS_RECEIPT), expected_token=TOKEN)

    assert caplog.records == []


# --- any input at all ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
headers = st.none() | st.text() | st.binary() | st.text().map(lambda token: f"Bearer {token}")
tokens = st.text(min_size=1)
plain_tokens = st.text(
    st.characters(blacklist_categories=["Zs", "Cc", "Zl", "Zp"]), min_size=1, max_size=30
)


def _refusal(
    parser: Parser,
    authorization: str | bytes | None,
    body: bytes | str,
    token: str | Sequence[str],
) -> CallbackError | None:
    """Parse, and return the CallbackError raised if any: any other exception fails the test."""
    try:
        parser(authorization, body, expected_token=token)
    except CallbackError as error:
        return error
    return None


@settings(max_examples=300)
@given(parser=st.sampled_from(PARSERS), authorization=headers, body=st.binary(), token=tokens)
def test_arbitrary_input_raises_only_callback_errors(
    parser: Parser, authorization: str | bytes | None, body: bytes, token: str
) -> None:
    _refusal(parser, authorization, body, token)


@settings(max_examples=300)
@given(parser=st.sampled_from(PARSERS), body=st.binary() | st.text())
def test_arbitrary_body_with_the_right_token(parser: Parser, body: bytes | str) -> None:
    error = _refusal(parser, AUTH, body, TOKEN)

    if error is not None:
        assert isinstance(error, MalformedCallbackError)
        assert error.problems
        assert all(error.fields)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    parser_and_payload=st.sampled_from(VALID),
    field=st.sampled_from(sorted({*SMS_RECEIPT, *RECEIVED_TEXT, *RETURNED_LETTER, "extra"})),
    value=json_values,
)
def test_any_value_in_any_field(
    parser_and_payload: tuple[Parser, dict[str, Any]], field: str, value: object
) -> None:
    parser, payload = parser_and_payload

    error = _refusal(parser, AUTH, with_changes(payload, **{field: value}), TOKEN)

    if error is not None:
        # Only the field that changed can be wrong (a bad channel is reported on its own).
        assert isinstance(error, MalformedCallbackError)
        assert error.fields == (field,)


@given(parser=st.sampled_from(PARSERS), document=json_values)
def test_any_json_document(parser: Parser, document: object) -> None:
    error = _refusal(parser, AUTH, encode(document), TOKEN)

    assert error is None or isinstance(error, MalformedCallbackError)


@given(sent=plain_tokens, expected=plain_tokens)
def test_a_token_is_accepted_exactly_when_it_is_the_expected_one(sent: str, expected: str) -> None:
    try:
        check_bearer_token(f"Bearer {sent}", expected_token=expected)
    except InvalidTokenError:
        assert sent != expected
    else:
        assert sent == expected
