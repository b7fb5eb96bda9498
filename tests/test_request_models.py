"""Local validation of the request models beyond recipients (server-contract.md sections 1, 2,
5.5, 9 and 11): every rule with an accepted and a refused case, and the server's wording."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from govuk_notify import (
    EmailRequest,
    FileUpload,
    LetterRequest,
    NotificationFilters,
    NotificationStatusFilter,
    PrecompiledLetterRequest,
    SmsRequest,
    prepare_upload,
)

TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "address_line_3": "SW1A 1AA"}


def problem(err: ValidationError) -> tuple[str, str]:
    """(location, message) of the single error."""
    (only,) = err.errors()
    return ".".join(str(p) for p in only["loc"]), only["msg"]


def sms(**fields: Any) -> SmsRequest:
    return SmsRequest.model_validate(
        {"phone_number": "07700900123", "template_id": TEMPLATE, **fields}
    )


def email(**fields: Any) -> EmailRequest:
    return EmailRequest.model_validate(
        {"email_address": "a@example.gov.uk", "template_id": TEMPLATE, **fields}
    )


# --- uuids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        TEMPLATE,
        TEMPLATE.upper(),
        TEMPLATE.replace("-", ""),
        "{" + TEMPLATE + "}",
        "urn:uuid:" + TEMPLATE,
        uuid.UUID(TEMPLATE),
    ],
)
def test_uuid_forms_the_server_accepts(value: object) -> None:
    assert sms(template_id=value).to_payload()["template_id"] == TEMPLATE


@pytest.mark.parametrize("value", [" " + TEMPLATE, TEMPLATE + "\n", TEMPLATE[:-1], "", 123, None])
def test_uuid_forms_the_server_refuses(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        sms(template_id=value)
    assert problem(caught.value) == ("template_id", "is not a valid UUID")


def test_sender_ids_are_uuids() -> None:
    with pytest.raises(ValidationError) as caught:
        sms(sms_sender_id="sender")
    assert problem(caught.value) == ("sms_sender_id", "is not a valid UUID")
    with pytest.raises(ValidationError) as caught:
        email(email_reply_to_id="nope")
    assert problem(caught.value) == ("email_reply_to_id", "is not a valid UUID")


# --- reference, personalisation, unknown fields -----------------------------------------------


def test_reference_limit_is_1000_characters() -> None:
    assert sms(reference="é" * 1000).reference == "é" * 1000
    with pytest.raises(ValidationError) as caught:
        sms(reference="x" * 1001)
    assert caught.value.errors()[0]["loc"] == ("reference",)
    assert "1000" in caught.value.errors()[0]["msg"]
    with pytest.raises(ValidationError):
        sms(reference=5)


def test_precompiled_reference_has_no_limit_but_is_required() -> None:
    assert PrecompiledLetterRequest(reference="x" * 5000, content=b"%PDF").reference
    with pytest.raises(ValidationError) as caught:
        PrecompiledLetterRequest.model_validate({"content": b"%PDF"})
    assert caught.value.errors()[0]["loc"] == ("reference",)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        sms(phone_numbr="07700900123")
    assert problem(caught.value)[0] == "phone_numbr"
    with pytest.raises(ValidationError):
        sms(email_reply_to_id=TEMPLATE)  # the SMS route has no reply-to


def test_personalisation_is_a_dict_of_json_values() -> None:
    assert sms(personalisation={"a": [1, None, {"b": True}], "c": 1.5}).personalisation
    with pytest.raises(ValidationError):
        sms(personalisation=["not", "a", "dict"])
    with pytest.raises(ValidationError):
        sms(personalisation={"when": object()})


@pytest.mark.parametrize(
    "make",
    [
        sms,
        lambda **f: LetterRequest.model_validate(
            {"template_id": TEMPLATE, "personalisation": {**ADDRESS, **f["personalisation"]}}
        ),
    ],
)
def test_a_file_only_in_email_personalisation(make: Any) -> None:
    upload = prepare_upload(io.BytesIO(b"data"), filename="a.pdf")
    with pytest.raises(ValidationError) as caught:
        make(personalisation={"link": upload})
    assert "Can only send a file by email" in str(caught.value)
    with pytest.raises(ValidationError):
        make(personalisation={"link": {"file": "ZGF0YQ=="}})


# --- email-only fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.gov.uk/unsubscribe?id=1&x=%20",
        "https://example.gov.uk",
        "https://[::1]:8443/u#frag",
        "https:relative-path",
        "httpsx://odd-but-accepted.example",
    ],
)
def test_unsubscribe_urls_the_server_accepts(url: str) -> None:
    assert email(one_click_unsubscribe_url=url).one_click_unsubscribe_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://example.gov.uk",
        "HTTPS://example.gov.uk",
        "https://example.gov.uk/with space",
        "https://exämple.gov.uk",
        "https://example.gov.uk/%zz",
        "/relative",
        "",
    ],
)
def test_unsubscribe_urls_the_server_refuses(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        email(one_click_unsubscribe_url=url)
    assert problem(caught.value) == ("one_click_unsubscribe_url", "is not a valid https url")


def test_sanitise_content_for_names_string_values() -> None:
    request = email(
        personalisation={"First Name": "x", "n": 1}, sanitise_content_for=["first_name", "unknown"]
    )
    assert request.to_payload()["sanitise_content_for"] == ["first_name", "unknown"]
    with pytest.raises(ValidationError) as caught:
        email(personalisation={"n": 1}, sanitise_content_for=["N"])
    assert "sanitise_content_for names 'N'" in str(caught.value)
    with pytest.raises(ValidationError):
        email(personalisation={"n": None}, sanitise_content_for=["n"])
    with pytest.raises(ValidationError):
        email(personalisation={"n": "x"}, sanitise_content_for=[1])
    with pytest.raises(ValidationError):
        email(sanitise_content_for="n")


# --- files ------------------------------------------------------------------------------------


def upload(**fields: Any) -> FileUpload:
    return FileUpload.model_validate({"file": base64.b64encode(b"hello").decode(), **fields})


@pytest.mark.parametrize("period", ["1 week", "1 weeks", " 78 Weeks ", "26 weeks"])
def test_retention_periods_accepted(period: str) -> None:
    assert upload(retention_period=period).retention_period == period


@pytest.mark.parametrize(
    "period", ["0 weeks", "79 weeks", "1 month", "weeks", "2weeks", "-1 weeks"]
)
def test_retention_periods_refused(period: str) -> None:
    with pytest.raises(ValidationError) as caught:
        upload(retention_period=period)
    assert problem(caught.value) == (
        "retention_period",
        f"Unsupported value for retention_period: {period}. Supported periods are from 1 to"
        " 78 weeks.",
    )


@pytest.mark.parametrize("name", ["report.PDF", "a.b.csv", "x" * 96 + ".txt", "photo.jpeg"])
def test_filenames_accepted(name: str) -> None:
    assert upload(filename=name).filename == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report", "`filename` must end with a file extension. For example, filename.csv"),
        ("x" * 97 + ".txt", "`filename` cannot be longer than 100 characters"),
        (
            "virus.exe",
            "Unsupported file type '.exe'. Supported types are: '.csv', '.doc', '.docx', "
            "'.jpeg', '.jpg', '.json', '.odt', '.pdf', '.png', '.rtf', '.txt', '.xlsx'",
        ),
    ],
)
def test_filenames_refused(name: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        upload(filename=name)
    assert problem(caught.value) == ("filename", message)


def test_file_content_rules() -> None:
    with pytest.raises(ValidationError) as caught:
        FileUpload(file="")
    assert problem(caught.value) == ("file", "Document must not be empty")
    with pytest.raises(ValidationError) as caught:
        FileUpload(file="abc")
    assert problem(caught.value) == ("file", "Document is not base64 encoded")
    big = base64.b64encode(b"x" * (2 * 1024 * 1024 + 1025)).decode()
    with pytest.raises(ValidationError) as caught:
        FileUpload(file=big)
    assert problem(caught.value) == ("file", "Uploaded file exceeds file size limit")
    # The server allows 1 KiB over 2 MiB in personalisation; so does the model.
    assert FileUpload(file=base64.b64encode(b"x" * (2 * 1024 * 1024 + 1024)).decode())


def test_confirm_and_is_csv_are_booleans_and_is_csv_not_with_filename() -> None:
    assert upload(confirm_email_before_download=False).confirm_email_before_download is False
    with pytest.raises(ValidationError):
        upload(confirm_email_before_download="yes")
    assert upload(is_csv=True).to_payload()["is_csv"] is True
    with pytest.raises(ValidationError) as caught:
        upload(is_csv=True, filename="a.csv")
    assert "Do not set a value for `is_csv` if `filename` is set." in str(caught.value)


def test_prepare_upload_refuses_more_than_2_mib_before_sending() -> None:
    assert prepare_upload(io.BytesIO(b"x" * (2 * 1024 * 1024))).file
    with pytest.raises(ValidationError, match="larger than 2MB") as too_large:
        prepare_upload(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)))
    assert too_large.value.errors()[0]["loc"] == ("f",)
    with pytest.raises(ValidationError, match="binary") as text_mode:
        prepare_upload(io.StringIO("text"))  # type: ignore[arg-type]
    assert text_mode.value.errors()[0]["loc"] == ("f",)


def test_prepare_upload_payload_has_the_documented_keys() -> None:
    payload = prepare_upload(io.BytesIO(b"a,b"), is_csv=True).to_payload()
    assert payload == {
        "file": base64.b64encode(b"a,b").decode(),
        "filename": None,
        "confirm_email_before_download": None,
        "retention_period": None,
        "is_csv": True,
    }


# --- letters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("postage", ["first", "second", "economy", None])
def test_precompiled_postage_accepted(postage: str | None) -> None:
    request = PrecompiledLetterRequest.model_validate(
        {"reference": "r", "content": b"%PDF", "postage": postage}
    )
    assert request.to_payload().get("postage") == postage


@pytest.mark.parametrize("postage", ["europe", "rest-of-world", "First", "third"])
def test_precompiled_postage_refused(postage: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PrecompiledLetterRequest.model_validate(
            {"reference": "r", "content": b"%PDF", "postage": postage}
        )
    assert caught.value.errors()[0]["loc"] == ("postage",)


def test_precompiled_content_is_bytes() -> None:
    with pytest.raises(ValidationError):
        PrecompiledLetterRequest.model_validate({"reference": "r", "content": "%PDF as text"})
    request = PrecompiledLetterRequest(reference="r", content=bytearray(b"%PDF"))
    assert request.to_payload()["content"] == base64.b64encode(b"%PDF").decode()


def test_letter_keeps_other_placeholders_and_reads_numbers() -> None:
    request = LetterRequest.model_validate(
        {"template_id": TEMPLATE, "personalisation": {**ADDRESS, "address_line_2": 10, "name": "J"}}
    )
    assert request.to_payload()["personalisation"] == {**ADDRESS, "address_line_2": 10, "name": "J"}


def test_letter_address_errors_name_personalisation() -> None:
    with pytest.raises(ValidationError) as caught:
        LetterRequest.model_validate(
            {
                "template_id": TEMPLATE,
                "personalisation": {"address_line_1": "A", "postcode": "SW1A 1AA"},
            }
        )
    assert problem(caught.value) == ("personalisation", "Address must be at least 3 lines")
    assert "SW1A" not in str(caught.value)  # inputs are never quoted


# --- list filters -----------------------------------------------------------------------------


def test_status_filter_has_the_16_values_in_the_server_order() -> None:
    assert [s.value for s in NotificationStatusFilter] == [
        "cancelled", "created", "sending", "sent", "delivered", "pending", "failed",
        "technical-failure", "temporary-failure", "permanent-failure", "pending-virus-check",
        "validation-failed", "virus-scan-failed", "returned-letter", "accepted", "received",
    ]  # fmt: skip


def test_filters() -> None:
    filters = NotificationFilters.model_validate(
        {"status": "failed", "template_type": ["sms", "letter"], "include_jobs": False}
    )
    assert filters.to_params() == [
        ("status", "failed"),
        ("template_type", "sms"),
        ("template_type", "letter"),
    ]
    for bad in (
        {"status": "elephant"},
        {"template_type": "Apple"},
        {"include_jobs": "yes"},
        {"older_than": "x"},
    ):
        with pytest.raises(ValidationError):
            NotificationFilters.model_validate(bad)
