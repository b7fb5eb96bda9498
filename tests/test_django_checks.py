"""Django's system checks for the GOV.UK Notify settings: in process, and ``manage.py check``."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from .django_project import configure, run
from .processes import child_env

configure()

import django  # noqa: E402
from django.core.checks import run_checks  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from govuk_notify.sandbox import Sandbox  # noqa: E402

SERVICE = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
KEY = f"my_key-{SERVICE}-{SECRET}"


def notify_checks(**overrides: Any) -> dict[str, str]:
    """The ids and messages of the govuk_notify checks that fail with these settings."""
    with override_settings(**overrides):
        return {
            str(message.id): message.msg
            for message in run_checks()
            if str(message.id).startswith("govuk_notify.")
        }


def test_good_settings_pass() -> None:
    assert notify_checks(GOVUK_NOTIFY_API_KEY=KEY) == {}


@pytest.mark.parametrize(
    ("overrides", "check_id", "words"),
    [
        ({}, "govuk_notify.E001", "GOVUK_NOTIFY_API_KEY is not set"),
        ({"GOVUK_NOTIFY_API_KEY": KEY[:-1]}, "govuk_notify.E002", "GOVUK_NOTIFY_API_KEY"),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY.replace(SECRET, SECRET.replace("-", "x"))},
            "govuk_notify.E002",
            "not a UUID",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID": None},
            "govuk_notify.W003",
            "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID is not set",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID": "plain"},
            "govuk_notify.E004",
            "not a template id",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_BASE_URL": "http://notify.example.com"},
            "govuk_notify.E005",
            "plain http",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_TIMEOUT": -1},
            "govuk_notify.E006",
            "GOVUK_NOTIFY_TIMEOUT",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_RETRY": {"retries": 3}},
            "govuk_notify.E007",
            "max_retries",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_EMAIL_REPLY_TO_ID": "help@x.gov.uk"},
            "govuk_notify.E008",
            "GOVUK_NOTIFY_EMAIL_REPLY_TO_ID",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_REPLY_TO_IDS": {"help@x.gov.uk": "1"}},
            "govuk_notify.E008",
            "entry 1",
        ),
        (
            {"GOVUK_NOTIFY_API_KEY": KEY, "GOVUK_NOTIFY_CALLBACK_TOKEN": "short"},
            "govuk_notify.E009",
            "at least 10 characters",
        ),
    ],
)
def test_each_problem_is_reported_without_the_key(
    overrides: dict[str, Any], check_id: str, words: str
) -> None:
    found = notify_checks(**overrides)

    assert list(found) == [check_id]
    assert words in found[check_id]
    assert SECRET not in found[check_id]
    assert SECRET[:-1] not in found[check_id]


def test_key_and_template_are_not_required_without_the_backend() -> None:
    found = notify_checks(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")

    assert found == {}


def test_django_gov_notify_backend_left_in_place_is_pointed_out() -> None:
    found = notify_checks(
        GOVUK_NOTIFY_API_KEY=KEY, EMAIL_BACKEND="django_gov_notify.backends.NotifyEmailBackend"
    )

    assert list(found) == ["govuk_notify.W010"]


def _manage_check(tmp_path: Path, settings_text: str) -> CompletedProcess[str]:
    (tmp_path / "checked_settings.py").write_text(textwrap.dedent(settings_text))
    env = child_env(
        PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="checked_settings",
    )
    return run([sys.executable, "-m", "django", "check"], env)


def test_manage_py_check_fails_on_a_malformed_key_without_printing_it(tmp_path: Path) -> None:
    bad_key = KEY.replace(SECRET, SECRET[:-2])
    result = _manage_check(
        tmp_path,
        f"""
        SECRET_KEY = "x" * 50
        INSTALLED_APPS = ["govuk_notify.django"]
        EMAIL_BACKEND = "govuk_notify.django.EmailBackend"
        GOVUK_NOTIFY_API_KEY = {bad_key!r}
        GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "not-a-uuid"
        """,
    )

    assert result.returncode == 1
    assert "govuk_notify.E002" in result.stderr
    assert "govuk_notify.E004" in result.stderr
    assert SECRET[:-2] not in result.stdout + result.stderr


def test_manage_py_check_passes_with_the_sandbox_settings(
    tmp_path: Path, notify_sandbox: Sandbox
) -> None:
    result = _manage_check(
        tmp_path,
        f"""
        SECRET_KEY = "x" * 50
        INSTALLED_APPS = ["govuk_notify.django"]
        EMAIL_BACKEND = "govuk_notify.django.EmailBackend"
        GOVUK_NOTIFY_API_KEY = {notify_sandbox.api_keys.live!r}
        GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "24195183-379b-4f65-bb31-7f9b87596cc0"
        GOVUK_NOTIFY_BASE_URL = {notify_sandbox.base_url!r}
        """,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif(django.VERSION < (6, 1), reason="MAILERS is new in Django 6.1")
def test_the_backend_named_in_mailers_counts_as_in_use() -> None:
    found = notify_checks(
        MAILERS={"default": {"BACKEND": "govuk_notify.django.EmailBackend"}},
    )

    assert list(found) == ["govuk_notify.E001"]
