"""The Django app: add ``"govuk_notify.django"`` to ``INSTALLED_APPS`` for its system checks."""

from __future__ import annotations

from django.apps import AppConfig


class GovukNotifyConfig(AppConfig):
    """govuk-notify's Django app (label ``govuk_notify``): registers the system checks."""

    name = "govuk_notify.django"
    label = "govuk_notify"
    verbose_name = "GOV.UK Notify"

    def ready(self) -> None:
        """Register the settings checks."""
        from django.core import checks

        from .checks import check_settings

        checks.register(check_settings)
