"""Receiving Notify's callbacks: typed payloads, with the bearer token checked first.

GOV.UK Notify POSTs JSON to URLs a service configures, each request carrying the header
``Authorization: Bearer <the token the service chose>``:

* a **delivery receipt** when an email's or a text message's status changes
  (`EmailDeliveryReceipt` or `SmsDeliveryReceipt`, told apart by `notification_type`;
  `DeliveryReceipt` is either),
* a **received text message** when someone texts the service's number
  (`ReceivedTextCallback`),
* a **returned letter** when the post sends a letter back (`ReturnedLetterCallback`).

Each kind has its own URL in Notify's settings, so each has its own function here:
`parse_delivery_receipt`, `parse_received_text` and `parse_returned_letter`. They take the
`Authorization` header, the raw body and the token you expect; they check the token in constant
time *before* reading the body, then return the typed payload or raise a `CallbackError` whose
`http_status` (401 or 400) is the answer to give. No web framework is involved. Neither the
expected token nor the received one ever appears in an error or a log.

Example:
    ```python
    try:
        receipt = parse_delivery_receipt(
            request.headers.get("Authorization"), request.body, expected_token=TOKEN
        )
    except CallbackError as error:
        return Response(str(error), status=error.http_status)
    save_status(receipt.id, receipt.status)
    ```
"""


# The payload models (_payloads), the errors (_errors), the token check (_token) and the
# parse functions (_parse) each have a module; every public name is importable from here.

from ._errors import CallbackError, InvalidTokenError, MalformedCallbackError, MissingTokenError
from ._parse import parse_delivery_receipt, parse_received_text, parse_returned_letter
from ._payloads import (
    CALLBACK_MODELS,
    DELIVERY_RECEIPT_ADAPTER,
    DeliveryReceipt,
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    SmsDeliveryReceipt,
    callback_json_schemas,
)
from ._token import _expected_tokens as _expected_tokens
from ._token import check_bearer_token

__all__ = [
    "CALLBACK_MODELS",
    "DELIVERY_RECEIPT_ADAPTER",
    "CallbackError",
    "DeliveryReceipt",
    "EmailDeliveryReceipt",
    "InvalidTokenError",
    "MalformedCallbackError",
    "MissingTokenError",
    "ReceivedTextCallback",
    "ReturnedLetterCallback",
    "SmsDeliveryReceipt",
    "callback_json_schemas",
    "check_bearer_token",
    "parse_delivery_receipt",
    "parse_received_text",
    "parse_returned_letter",
]
