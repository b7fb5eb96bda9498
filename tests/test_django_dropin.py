"""The drop-in case: a project written for django-gov-notify, switched to govuk_notify.django.

Its settings module keeps django-gov-notify's setting names, and only ``EMAIL_BACKEND`` changes
(plus ``GOVUK_NOTIFY_BASE_URL``, to reach the sandbox instead of Notify); its code changes
``django_gov_notify`` to ``govuk_notify.django`` in one import. It runs in its own process, set up
by ``DJANGO_SETTINGS_MODULE`` as ``manage.py`` would. What reaches the sandbox is compared with
what django-gov-notify 0.7.0 sends: its backend calls the official client's
``send_email_notification(email_address=recipient, template_id=..., personalisation=...)`` once
per recipient, with ``{"subject": ..., "body": ...}`` and the plain template for a plain email.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from notifications_python_client import notifications

from govuk_notify.sandbox import Sandbox, SentEmail

from .django_project import run
from .processes import child_env

PLAIN_TEMPLATE_ID = "24195183-379b-4f65-bb31-7f9b87596cc0"
DOCUMENT_TEMPLATE_ID = "6ddb7845-8c78-41be-a04f-c94057b5aabf"
PERSONALISATION = {
    "name": "Patrick",
    "document_type": "The Prisoner",
    "link_to_file": "https://example.gov.uk/6",
    "urgent": "no",
}

# What django-gov-notify's README shows, with its import switched.
PROJECT_CODE = f"""
import django

django.setup()

from django.core.mail import send_mail
from govuk_notify.django.message import NotifyEmailMessage

message = NotifyEmailMessage(
    to=["recipient@example.com"],
    template_id="{DOCUMENT_TEMPLATE_ID}",
    personalisation={PERSONALISATION!r},
)
message.send()

message = NotifyEmailMessage(
    subject="Test subject", body="Test message content", to=["recipient@example.com"]
)
message.send()

send_mail("Subject", "Message content", "from@example.com", ["one@example.com", "two@example.com"])
"""


def _settings_module(sandbox: Sandbox) -> str:
    # As django-gov-notify's own test settings, EMAIL_BACKEND switched, the base URL added.
    return textwrap.dedent(
        f"""
        INSTALLED_APPS = []
        SECRET_KEY = "not needed"
        USE_TZ = True

        EMAIL_BACKEND = "govuk_notify.django.backends.NotifyEmailBackend"
        GOVUK_NOTIFY_API_KEY = {sandbox.api_keys.live!r}
        GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "{PLAIN_TEMPLATE_ID}"

        GOVUK_NOTIFY_BASE_URL = {sandbox.base_url!r}
        """
    )


def _what_arrived(email: SentEmail) -> tuple[Any, ...]:
    return (
        email.email_address,
        email.template_id,
        email.personalisation,
        email.subject,
        email.body,
        email.reply_to,
    )


def test_a_django_gov_notify_project_works_unchanged(
    tmp_path: Path, notify_sandbox: Sandbox
) -> None:
    (tmp_path / "project_settings.py").write_text(_settings_module(notify_sandbox))
    (tmp_path / "send.py").write_text(PROJECT_CODE)
    env = child_env(
        PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="project_settings",
    )

    result = run([sys.executable, str(tmp_path / "send.py")], env)

    assert result.returncode == 0, result.stderr
    ours = notify_sandbox.sent_emails()
    assert len(ours) == 4

    # The same emails, sent as django-gov-notify sends them.
    notify_sandbox.reset()
    official_class: Any = notifications.NotificationsAPIClient  # untyped
    official = official_class(notify_sandbox.api_keys.live, base_url=notify_sandbox.base_url)
    official.send_email_notification(
        email_address="recipient@example.com",
        template_id=DOCUMENT_TEMPLATE_ID,
        personalisation=PERSONALISATION,
    )
    plain = {"subject": "Test subject", "body": "Test message content"}
    official.send_email_notification(
        email_address="recipient@example.com", template_id=PLAIN_TEMPLATE_ID, personalisation=plain
    )
    for recipient in ("one@example.com", "two@example.com"):
        official.send_email_notification(
            email_address=recipient,
            template_id=PLAIN_TEMPLATE_ID,
            personalisation={"subject": "Subject", "body": "Message content"},
        )
    theirs = notify_sandbox.sent_emails()

    assert [_what_arrived(e) for e in ours] == [_what_arrived(e) for e in theirs]
    # The one difference: each of ours has a unique reference, to look it up by.
    assert all(e.reference for e in ours)
    assert len({e.reference for e in ours}) == 4
