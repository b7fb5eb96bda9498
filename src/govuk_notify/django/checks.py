"""System checks (``manage.py check``) for the ``GOVUK_NOTIFY_*`` settings.

Registered when ``"govuk_notify.django"`` is in ``INSTALLED_APPS``. The API key and the plain
template are required only while ``EMAIL_BACKEND`` (or, from Django 6.1, a backend in
``MAILERS``) is this package's; every setting that is set is checked for its form. The
messages never quote the key or a token.

========================  ==============================================================
id                        problem
========================  ==============================================================
``govuk_notify.E001``     ``GOVUK_NOTIFY_API_KEY`` is not set
``govuk_notify.E002``     ``GOVUK_NOTIFY_API_KEY`` is not a Notify API key
``govuk_notify.W003``     ``GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID`` is not set
``govuk_notify.E004``     ``GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID`` is not a UUID
``govuk_notify.E005``     ``GOVUK_NOTIFY_BASE_URL`` is not a usable URL
``govuk_notify.E006``     ``GOVUK_NOTIFY_TIMEOUT`` is not seconds
``govuk_notify.E007``     ``GOVUK_NOTIFY_RETRY`` is not a ``RetryPolicy`` or its fields
``govuk_notify.E008``     a reply-to id setting is not a UUID
``govuk_notify.E009``     ``GOVUK_NOTIFY_CALLBACK_TOKEN`` is too short or not text
``govuk_notify.W010``     ``EMAIL_BACKEND`` is still django-gov-notify's
========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.utils.module_loading import import_string

from .conf import setting_problems

__all__ = ["check_settings"]

_DJANGO_GOV_NOTIFY_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"


def _configured_backends() -> list[str]:
    """The backend paths in use: Django 6.1's ``MAILERS`` if set, else ``EMAIL_BACKEND``."""
    mailers = getattr(settings, "MAILERS", None)
    if isinstance(mailers, Mapping) and mailers:
        return [
            str(config.get("BACKEND", ""))
            for config in mailers.values()
            if isinstance(config, Mapping)
        ]
    return [str(getattr(settings, "EMAIL_BACKEND", ""))]


def _is_ours(path: str) -> bool:
    if not path.startswith("govuk_notify."):
        return False
    from .backends import EmailBackend

    try:
        backend = import_string(path)
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, EmailBackend)


def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Check the ``GOVUK_NOTIFY_*`` settings.

    Args:
        app_configs: The apps being checked (unused: settings are global).
        **kwargs: What Django passes to every check.

    Returns:
        One message for each problem found.
    """
    messages: list[CheckMessage] = []
    backends = _configured_backends()
    for problem in setting_problems(backend_in_use=any(map(_is_ours, backends))):
        kind = Warning if problem.warning else Error
        letter = "W" if problem.warning else "E"
        messages.append(
            kind(
                f"{problem.setting} {problem.message}",
                id=f"govuk_notify.{letter}{problem.code:03d}",
            )
        )
    if _DJANGO_GOV_NOTIFY_BACKEND in backends:
        messages.append(
            Warning(
                "EMAIL_BACKEND (or a MAILERS BACKEND) is django-gov-notify's backend",
                hint='Set EMAIL_BACKEND = "govuk_notify.django.EmailBackend": it reads the same'
                " settings.",
                id="govuk_notify.W010",
            )
        )
    return messages
