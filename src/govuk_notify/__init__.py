"""govuk-notify: a strongly typed client for the GOV.UK Notify API.

Everything a program needs is importable from here: `NotifyClient` and `RetryPolicy`, the
request models (`SmsRequest`, `EmailRequest`, `LetterRequest`, `PrecompiledLetterRequest`,
`FileUpload`, `LetterPersonalisation`, `NotificationFilters`), the response models, the status
enums, `prepare_upload`, and every error. The submodules `govuk_notify.validation`,
`govuk_notify.callbacks`, `govuk_notify.bulk` and `govuk_notify.sandbox` are imported on their
own.

The errors are imported with the package; every other public name is imported when it is first
used (PEP 562). `import govuk_notify` is then cheap, and a part of the package loads only what
it needs: `govuk_notify.callbacks` in a web application loads no HTTP client,
`govuk_notify.validation` no pydantic.

Example:
    ```python
    from govuk_notify import NotifyClient

    with NotifyClient(api_key) as client:
        response = client.send_sms_notification(
            "07700 900123", template_id, {"name": "Amala", "code": "4821"}
        )
        print(response.id)
    ```
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import (
    APIError,
    AuthError,
    BadRequestError,
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    DailyLimitError,
    ErrorItem,
    InvalidAPIKeyError,
    InvalidBaseURLError,
    InvalidResponseError,
    NotFoundError,
    NotifyConnectionError,
    NotifyError,
    NotifyTimeoutError,
    PDFNotReadyError,
    RateLimitError,
    ReadTimeoutError,
    SendStatusUnknownError,
    ServerError,
    TLSError,
)

if TYPE_CHECKING:
    from .async_client import AsyncNotifyClient
    from .client import DEFAULT_BASE_URL, NotifyClient
    from .endpoints import Sendable
    from .models import (
        EmailContent,
        EmailNotification,
        EmailRequest,
        EmailResponse,
        EmailStatus,
        FileUpload,
        LetterContent,
        LetterCostDetails,
        LetterNotification,
        LetterPersonalisation,
        LetterRequest,
        LetterResponse,
        LetterStatus,
        Links,
        Notification,
        NotificationFilters,
        NotificationList,
        NotificationStatusFilter,
        NotificationTemplate,
        NotificationType,
        PlaceholderInfo,
        Postage,
        PrecompiledLetterRequest,
        PrecompiledLetterResponse,
        PrecompiledLetterStatus,
        ReceivedText,
        ReceivedTextList,
        SanitisedValue,
        SmsContent,
        SmsCostDetails,
        SmsNotification,
        SmsRequest,
        SmsResponse,
        SmsStatus,
        Template,
        TemplateList,
        TemplatePreview,
        TemplateRef,
        TemplateType,
    )
    from .retry import RetryPolicy, Timeout
    from .uploads import prepare_upload

TooManyRequestsError = DailyLimitError
"""The server's name for `DailyLimitError` (429, the daily limit is used up)."""

_LAZY: dict[str, str] = {
    "RetryPolicy": ".retry",
    "Timeout": ".retry",
    "AsyncNotifyClient": ".async_client",
    "Sendable": ".endpoints",
    "DEFAULT_BASE_URL": ".client",
    "NotifyClient": ".client",
    "EmailContent": ".models",
    "EmailNotification": ".models",
    "EmailRequest": ".models",
    "EmailResponse": ".models",
    "EmailStatus": ".models",
    "FileUpload": ".models",
    "LetterContent": ".models",
    "LetterCostDetails": ".models",
    "LetterNotification": ".models",
    "LetterPersonalisation": ".models",
    "LetterRequest": ".models",
    "LetterResponse": ".models",
    "LetterStatus": ".models",
    "Links": ".models",
    "Notification": ".models",
    "NotificationFilters": ".models",
    "NotificationList": ".models",
    "NotificationStatusFilter": ".models",
    "NotificationTemplate": ".models",
    "NotificationType": ".models",
    "PlaceholderInfo": ".models",
    "Postage": ".models",
    "PrecompiledLetterRequest": ".models",
    "PrecompiledLetterResponse": ".models",
    "PrecompiledLetterStatus": ".models",
    "ReceivedText": ".models",
    "ReceivedTextList": ".models",
    "SanitisedValue": ".models",
    "SmsContent": ".models",
    "SmsCostDetails": ".models",
    "SmsNotification": ".models",
    "SmsRequest": ".models",
    "SmsResponse": ".models",
    "SmsStatus": ".models",
    "Template": ".models",
    "TemplateList": ".models",
    "TemplatePreview": ".models",
    "TemplateRef": ".models",
    "TemplateType": ".models",
    "prepare_upload": ".uploads",
}
"""Where each lazily imported public name lives."""


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is not None:
        value: object = getattr(importlib.import_module(module, __name__), name)
    elif name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        # A submodule read as an attribute (``govuk_notify.validation``) is imported, as it was
        # when the package imported everything at once.
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DEFAULT_BASE_URL",
    "APIError",
    "AsyncNotifyClient",
    "AuthError",
    "BadRequestError",
    "ConfigurationError",
    "ConnectError",
    "ConnectTimeoutError",
    "ConnectionDroppedError",
    "DailyLimitError",
    "EmailContent",
    "EmailNotification",
    "EmailRequest",
    "EmailResponse",
    "EmailStatus",
    "ErrorItem",
    "FileUpload",
    "InvalidAPIKeyError",
    "InvalidBaseURLError",
    "InvalidResponseError",
    "LetterContent",
    "LetterCostDetails",
    "LetterNotification",
    "LetterPersonalisation",
    "LetterRequest",
    "LetterResponse",
    "LetterStatus",
    "Links",
    "NotFoundError",
    "Notification",
    "NotificationFilters",
    "NotificationList",
    "NotificationStatusFilter",
    "NotificationTemplate",
    "NotificationType",
    "NotifyClient",
    "NotifyConnectionError",
    "NotifyError",
    "NotifyTimeoutError",
    "PDFNotReadyError",
    "PlaceholderInfo",
    "Postage",
    "PrecompiledLetterRequest",
    "PrecompiledLetterResponse",
    "PrecompiledLetterStatus",
    "RateLimitError",
    "ReadTimeoutError",
    "ReceivedText",
    "ReceivedTextList",
    "RetryPolicy",
    "SanitisedValue",
    "SendStatusUnknownError",
    "Sendable",
    "ServerError",
    "SmsContent",
    "SmsCostDetails",
    "SmsNotification",
    "SmsRequest",
    "SmsResponse",
    "SmsStatus",
    "TLSError",
    "Template",
    "TemplateList",
    "TemplatePreview",
    "TemplateRef",
    "TemplateType",
    "Timeout",
    "TooManyRequestsError",
    "__version__",
    "prepare_upload",
]
