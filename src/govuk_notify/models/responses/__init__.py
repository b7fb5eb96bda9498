"""Response models: what each endpoint answers, with the types the server really sends.

Every model is frozen and keeps fields Notify adds later in `model_extra`. Ids are `uuid.UUID`,
timestamps aware `datetime`s in UTC, statuses `OpenEnum`s. Each field's description is also in
the model's JSON Schema (`schemas/`).
"""


# One module per concern: the answers to sends (sends), notifications (notifications),
# templates (templates), received texts (received) and the pages of results (lists).
# Every name is importable from here.

from .lists import Links, NotificationList, ReceivedTextList, TemplateList
from .notifications import NOTIFICATION_ADAPTER as NOTIFICATION_ADAPTER
from .notifications import AnyLetterStatus as AnyLetterStatus
from .notifications import (
    EmailNotification,
    LetterCostDetails,
    LetterNotification,
    Notification,
    NotificationTemplate,
    SmsCostDetails,
    SmsNotification,
)
from .received import ReceivedText
from .sends import (
    EmailContent,
    EmailResponse,
    LetterContent,
    LetterResponse,
    PrecompiledLetterResponse,
    SanitisedValue,
    SendResponse,
    SmsContent,
    SmsResponse,
    TemplateRef,
)
from .templates import PlaceholderInfo, Template, TemplatePreview

__all__ = [
    "EmailContent",
    "EmailNotification",
    "EmailResponse",
    "LetterContent",
    "LetterCostDetails",
    "LetterNotification",
    "LetterResponse",
    "Links",
    "Notification",
    "NotificationList",
    "NotificationTemplate",
    "PlaceholderInfo",
    "PrecompiledLetterResponse",
    "ReceivedText",
    "ReceivedTextList",
    "SanitisedValue",
    "SendResponse",
    "SmsContent",
    "SmsCostDetails",
    "SmsNotification",
    "SmsResponse",
    "Template",
    "TemplateList",
    "TemplatePreview",
    "TemplateRef",
]
