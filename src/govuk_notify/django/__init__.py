"""GOV.UK Notify for Django: an email backend, a template message, and callback views.

Install with ``pip install 'govuk-notify[django]'``. In the settings::

    EMAIL_BACKEND = "govuk_notify.django.EmailBackend"
    GOVUK_NOTIFY_API_KEY = "..."
    GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "..."   # subject ((subject)), body ((body))
    INSTALLED_APPS = [..., "govuk_notify.django"]   # for the system checks

The setting names, the plain-template convention and ``NotifyEmailMessage`` are
django-gov-notify's, so a project using it switches by changing ``EMAIL_BACKEND`` (and
``django_gov_notify`` to ``govuk_notify.django`` in imports: ``.backends.NotifyEmailBackend`` and
``.message.NotifyEmailMessage`` exist under those names).

The modules: :mod:`.backends` (the backend), :mod:`.message` (``NotifyEmailMessage``),
:mod:`.conf` (the settings), :mod:`.conversion` (Django email to Notify requests),
:mod:`.errors`, :mod:`.views` and :mod:`.urls` (the callback views), :mod:`.signals`,
:mod:`.checks` and :mod:`.apps`. The names below are loaded when first used, so that
``EMAIL_BACKEND`` and ``INSTALLED_APPS`` can name this package before Django is set up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

try:
    import django  # noqa: F401  (only to say what is missing)
except ImportError as error:  # pragma: no cover (the extra is installed for the tests)
    raise ImportError(
        "govuk_notify.django needs Django: pip install 'govuk-notify[django]'"
    ) from error

if TYPE_CHECKING:
    from .backends import EmailBackend, NotifyEmailBackend
    from .errors import SettingsError
    from .message import NotifyEmailMessage
    from .views import (
        DeliveryReceiptView,
        NotifyCallbackView,
        ReceivedTextView,
        ReturnedLetterView,
        delivery_receipt_view,
        received_text_view,
        returned_letter_view,
    )

__all__ = [
    "DeliveryReceiptView",
    "EmailBackend",
    "NotifyCallbackView",
    "NotifyEmailBackend",
    "NotifyEmailMessage",
    "ReceivedTextView",
    "ReturnedLetterView",
    "SettingsError",
    "delivery_receipt_view",
    "received_text_view",
    "returned_letter_view",
]

_HOMES = {
    "EmailBackend": "backends",
    "NotifyEmailBackend": "backends",
    "SettingsError": "errors",
    "NotifyEmailMessage": "message",
    "DeliveryReceiptView": "views",
    "NotifyCallbackView": "views",
    "ReceivedTextView": "views",
    "ReturnedLetterView": "views",
    "delivery_receipt_view": "views",
    "received_text_view": "views",
    "returned_letter_view": "views",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module when it is first used (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded ones included."""
    return sorted(set(globals()) | set(__all__))
