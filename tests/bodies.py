"""Realistic response bodies, shaped as server-contract.md section 2 describes them."""

from __future__ import annotations

from typing import Any

SERVICE_ID = "a2c3e4f5-1111-4c2d-9e8f-0123456789ab"
SECRET = "d4e5f6a7-2222-4b3c-8d9e-abcdef012345"
API_KEY = f"my_test_key-{SERVICE_ID}-{SECRET}"

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
OLDER_ID = "8e222534-7f05-4972-86e3-17c5d9f894e2"
HOST = "https://api.notifications.service.gov.uk"


def template_ref() -> dict[str, Any]:
    return {
        "id": TEMPLATE_ID,
        "version": 3,
        "uri": f"{HOST}/services/{SERVICE_ID}/templates/{TEMPLATE_ID}",
    }


def sms_response(reference: str | None = "ref-1") -> dict[str, Any]:
    return {
        "id": NOTIFICATION_ID,
        "reference": reference,
        "content": {"body": "Hello Amala, your code is 123", "from_number": "GOVUK"},
        "uri": f"{HOST}/v2/notifications/{NOTIFICATION_ID}",
        "template": template_ref(),
        "scheduled_for": None,
    }


def email_response() -> dict[str, Any]:
    return {
        "id": NOTIFICATION_ID,
        "reference": None,
        "content": {
            "from_email": "my.service@notifications.service.gov.uk",
            "body": "Dear Amala\r\n\r\nDownload: https://documents.service.gov.uk/d/abc",
            "subject": "Your \u201cfile\u201d",
            "one_click_unsubscribe_url": "https://example.gov.uk/unsubscribe?id=1",
        },
        "uri": f"{HOST}/v2/notifications/{NOTIFICATION_ID}",
        "template": template_ref(),
        "scheduled_for": None,
        "sanitised_content": {
            "name": {"unsanitised": "see www.evil.com", "sanitised": "see www. evil. com"}
        },
    }


def letter_response() -> dict[str, Any]:
    return {
        "id": NOTIFICATION_ID,
        "reference": "letter-1",
        "content": {"body": "Dear resident", "subject": "Council tax &amp; you"},
        "uri": f"{HOST}/v2/notifications/{NOTIFICATION_ID}",
        "template": template_ref(),
        "scheduled_for": None,
    }


def precompiled_response() -> dict[str, Any]:
    return {"id": NOTIFICATION_ID, "reference": "pdf-1", "postage": "first"}


def _notification_common(notification_id: str = NOTIFICATION_ID) -> dict[str, Any]:
    return {
        "id": notification_id,
        "reference": "ref-1",
        "email_address": None,
        "phone_number": None,
        "line_1": None,
        "line_2": None,
        "line_3": None,
        "line_4": None,
        "line_5": None,
        "line_6": None,
        "postcode": None,
        "template": {
            "id": TEMPLATE_ID,
            "version": 3,
            "uri": f"{HOST}/v2/template/{TEMPLATE_ID}/version/3",
        },
        "subject": None,
        "created_at": "2024-05-17T15:58:38.342838Z",
        "created_by_name": None,
        "sent_at": "2024-05-17T15:58:39.000001Z",
        "completed_at": None,
        "scheduled_for": None,
        "postage": None,
        "one_click_unsubscribe_url": None,
        "is_cost_data_ready": True,
    }


def sms_notification(
    notification_id: str = NOTIFICATION_ID, status: str = "delivered"
) -> dict[str, Any]:
    return {
        **_notification_common(notification_id),
        "type": "sms",
        "status": status,
        "phone_number": "+(44) 77009-00855",
        "body": "Hello Amala",
        "cost_in_pounds": 0.0454,
        "cost_details": {
            "billable_sms_fragments": 2,
            "international_rate_multiplier": 1.0,
            "sms_rate": 0.0227,
        },
    }


def email_notification() -> dict[str, Any]:
    return {
        **_notification_common(),
        "type": "email",
        "status": "sending",
        "email_address": "Amala@Example.gov.uk",
        "subject": "Your application",
        "body": "Dear Amala",
        "cost_in_pounds": 0.0,
        "cost_details": {},
    }


def letter_notification(status: str = "accepted") -> dict[str, Any]:
    return {
        **_notification_common(),
        "type": "letter",
        "status": status,
        "line_1": "The Occupier",
        "line_2": "123 High Street",
        "postcode": "SW14 6BF",
        "subject": "Council tax",
        "body": "Dear resident",
        "postage": "second",
        "estimated_delivery": "2024-05-20T15:00:00.000000Z",
        "cost_in_pounds": 0.85,
        "cost_details": {"billable_sheets_of_paper": 2, "postage": "second"},
    }


def notification_list(count: int, next_id: str | None = OLDER_ID) -> dict[str, Any]:
    items = [sms_notification(f"{i:08x}-0000-4000-8000-000000000000") for i in range(count)]
    links: dict[str, Any] = {"current": f"{HOST}/v2/notifications?template_type=sms"}
    if next_id is not None:
        links["next"] = f"{HOST}/v2/notifications?template_type=sms&older_than={next_id}"
    return {"notifications": items, "links": links}


def template(template_type: str = "email") -> dict[str, Any]:
    return {
        "id": TEMPLATE_ID,
        "name": "Application received",
        "type": template_type,
        "created_at": "2024-01-02T10:00:00.000000Z",
        "updated_at": None,
        "created_by": "someone@example.gov.uk",
        "version": 3,
        "body": "Dear ((First Name)),\n\n((has_car??Bring your licence.))",
        "subject": "About ((ref))" if template_type != "sms" else None,
        "personalisation": {
            "ref": {"required": True},
            "First Name": {"required": True},
            "has_car": {"required": True},
        },
        "postage": "second" if template_type == "letter" else None,
        "letter_contact_block": None,
    }


def preview() -> dict[str, Any]:
    return {
        "id": TEMPLATE_ID,
        "type": "email",
        "version": 3,
        "body": "Dear Amala",
        "subject": "About 42",
        "html": "<p>Dear Amala</p>",
        "postage": None,
    }


def received_texts(count: int, next_id: str | None = OLDER_ID) -> dict[str, Any]:
    items = [
        {
            "id": f"{i:08x}-1111-4000-8000-000000000000",
            "created_at": "2024-05-17T15:58:38.342838Z",
            "service_id": SERVICE_ID,
            "notify_number": "07700900000",
            "user_number": "447700900111",
            "content": f"reply {i}",
        }
        for i in range(count)
    ]
    links: dict[str, Any] = {"current": f"{HOST}/v2/received-text-messages"}
    if next_id is not None:
        links["next"] = f"{HOST}/v2/received-text-messages?older_than={next_id}"
    return {"received_text_messages": items, "links": links}


def error(status: int, name: str, message: str) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": name, "message": message}]}


# --- callbacks: what Notify POSTs to a service ---------------------------------------------------

# The examples of Notify's OpenAPI components (SmsCallbackRequest, EmailCallbackRequest,
# LetterCallbackRequest) and of its documentation (received text messages).
SMS_RECEIPT: dict[str, Any] = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "reference": "your reference",
    "to": "+447900900123",
    "status": "delivered",
    "created_at": "2023-09-16T16:50:09.090424Z",
    "completed_at": "2023-09-16T16:50:10.042907Z",
    "sent_at": "2023-09-16T16:50:09.219763Z",
    "notification_type": "sms",
    "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "template_version": 3,
}
EMAIL_RECEIPT: dict[str, Any] = {
    "id": "201b576e-c09b-467b-9dfa-9c3b689ee730",
    "reference": "your reference",
    "to": "amala@example.com",
    "status": "delivered",
    "created_at": "2023-09-16T16:50:09.090424Z",
    "completed_at": "2023-09-16T16:50:10.042907Z",
    "sent_at": "2023-09-16T16:50:09.219763Z",
    "notification_type": "email",
    "template_id": "9d751e0e-f929-4891-82a1-a3e1c3c18ee3",
    "template_version": 1,
}
RECEIVED_TEXT: dict[str, Any] = {
    "id": "a2ad3ad2-3c0e-4d3f-9a6b-2b6d4f0c9e11",
    "source_number": "447700912345",
    "destination_number": "07700987654",
    "message": "Hello Notify!",
    "date_received": "2017-05-14T12:15:30.000000Z",
}
RETURNED_LETTER: dict[str, Any] = {
    "notification_id": "3d1ce039-5476-414c-99b2-fac1e6add62c",
    "reference": "your reference",
    "date_sent": "2023-09-16T16:50:09.090424Z",
    "sent_by": "hello@gov.uk",
    "template_name": "Appointment confirmation",
    "template_id": "64415853-cb86-4cc4-b597-2aaa94ef8c39",
    "template_version": 3,
    "spreadsheet_file_name": "contact_list.csv",
    "spreadsheet_row_number": 2,
    "upload_letter_file_name": None,
}
