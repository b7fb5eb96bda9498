"""Testing an application that sends email through Notify, with the ``notify_sandbox`` fixture.

This is how a user of the package writes such a test: the fixtures come with the package (a
pytest plugin), so the test only asks for ``notify_sandbox`` and ``notify_client``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govuk_notify import EmailResponse, NotifyClient, RateLimitError, RetryPolicy
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, SentEmail

# The plugin loads through the package's entry point once it is installed; this line only
# makes the file work in a checkout where the entry point is not installed yet.
if "govuk_notify.pytest_plugin" not in sys.modules:
    pytest_plugins = ["govuk_notify.pytest_plugin"]


# --- the application under test (in a real project this lives in the application) ----------------

PLAIN_EMAIL_TEMPLATE = DEFAULT_TEMPLATE_IDS["plain_email"]  # "((subject))" / "((body))"


class PasswordResets:
    def __init__(self, notify: NotifyClient) -> None:
        self.notify = notify

    def send_reset_email(self, email_address: str, name: str, token: str) -> str:
        """Email a reset link; return the Notify id of the email."""
        link = f"https://app.example.gov.uk/reset/{token}"
        response: EmailResponse = self.notify.send_email_notification(
            email_address=email_address,
            template_id=PLAIN_EMAIL_TEMPLATE,
            personalisation={
                "subject": "Reset your password",
                "body": f"Hello {name},\n\nUse this link to reset your password:\n\n{link}",
            },
            reference=f"password-reset-{token}",
        )
        return str(response.id)


# --- the tests ------------------------------------------------------------------------------------


def test_the_reset_email_is_sent(notify_client: NotifyClient, notify_sandbox: Sandbox) -> None:
    notification_id = PasswordResets(notify_client).send_reset_email(
        "ann@example.com", "Ann", "t0k3n"
    )

    [email] = notify_sandbox.sent_emails()
    assert isinstance(email, SentEmail)
    assert email.id == notification_id
    assert email.email_address == "ann@example.com"
    assert email.subject == "Reset your password"
    assert "https://app.example.gov.uk/reset/t0k3n" in email.body
    assert 'href="https://app.example.gov.uk/reset/t0k3n"' in email.html
    assert email.reference == "password-reset-t0k3n"
    assert email.key_type == "live"


def test_an_application_configured_with_a_base_url_and_key(notify_sandbox: Sandbox) -> None:
    # An application usually builds its own client from its settings.
    settings = {
        "NOTIFY_API_KEY": notify_sandbox.api_keys.test,
        "NOTIFY_BASE_URL": notify_sandbox.base_url,
    }
    with NotifyClient(settings["NOTIFY_API_KEY"], base_url=settings["NOTIFY_BASE_URL"]) as client:
        PasswordResets(client).send_reset_email("bob@example.com", "Bob", "abc")

    assert [e.email_address for e in notify_sandbox.sent_emails(key_type="test")] == [
        "bob@example.com"
    ]
    delivered = notify_sandbox.wait_for_status(
        notify_sandbox.sent_emails()[0].id, "delivered", timeout=30
    )
    assert delivered.status == "delivered"


@pytest.mark.notify_sandbox(rate_limit=1)
def test_the_application_sees_the_rate_limit(notify_sandbox: Sandbox) -> None:
    client = notify_sandbox.client(retry=RetryPolicy(max_retries=0))
    resets = PasswordResets(client)
    resets.send_reset_email("a@example.com", "A", "1")
    resets.send_reset_email("a@example.com", "A", "2")
    with pytest.raises(RateLimitError):
        resets.send_reset_email("a@example.com", "A", "3")
    assert len(notify_sandbox.sent_emails()) == 2


def test_each_test_gets_a_fresh_sandbox(notify_sandbox: Sandbox) -> None:
    assert notify_sandbox.sent_emails() == []


# --- the session-wide sandbox ---------------------------------------------------------------


def test_the_shared_sandbox_is_the_session_one(
    notify_sandbox_session: Sandbox, notify_shared_sandbox: Sandbox
) -> None:
    assert notify_shared_sandbox is notify_sandbox_session
    assert notify_shared_sandbox.running


@pytest.mark.parametrize("name", ["first", "second"])
def test_the_shared_sandbox_is_reset_before_each_test(
    notify_shared_client: NotifyClient, notify_shared_sandbox: Sandbox, name: str
) -> None:
    # Whichever runs second would see two emails without the reset.
    PasswordResets(notify_shared_client).send_reset_email(f"{name}@example.com", name, name)
    assert [e.email_address for e in notify_shared_sandbox.sent_emails()] == [f"{name}@example.com"]


# --- the plugin costs nothing until used ------------------------------------------------------

UNRELATED_TEST = """
import sys

def test_nothing_of_the_sandbox_is_loaded():
    assert "govuk_notify.pytest_plugin" in sys.modules  # the entry point loaded the plugin
    assert "govuk_notify.sandbox" not in sys.modules
    assert "pydantic" not in sys.modules
    assert "requests" not in sys.modules
"""


def test_an_unrelated_project_loads_no_sandbox(tmp_path: Path) -> None:
    (tmp_path / "test_unrelated.py").write_text(UNRELATED_TEST)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
