"""One Django configuration for every Django test module, made once per test process.

Django's settings are global: each ``tests/test_django_*.py`` module calls :func:`configure`,
which configures Django the first time only, with settings every module can share. A test
changes what it needs with ``override_settings`` (the sandbox's key and URL, for instance), so
the modules run in one process in any order, beside the rest of the suite.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from subprocess import PIPE, CompletedProcess, Popen

import django
from django.conf import settings

from .processes import finish

PLAIN_TEMPLATE_ID = "24195183-379b-4f65-bb31-7f9b87596cc0"
"""The sandbox's default plain template: subject ``((subject))``, body ``((body))``."""
CALLBACK_TOKEN = "django-callback-token-from-the-settings"
SERVER_EMAIL = "server@example.gov.uk"
ADMIN_EMAIL = "ops@example.gov.uk"


def configure() -> None:
    """Configure Django and set it up, unless that is done already."""
    if settings.configured:
        return
    folder = tempfile.mkdtemp(prefix="govuk-notify-django-tests-")
    atexit.register(shutil.rmtree, folder, True)
    settings.configure(
        DEBUG=False,
        SECRET_KEY="only-for-the-tests-" + "x" * 40,
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.admin",
            "govuk_notify.django",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        ROOT_URLCONF="tests.django_urls",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.path.join(folder, "db.sqlite3"),
            }
        },
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        USE_TZ=True,
        # Django's default logging would mail the admins (through Notify) about a 500.
        LOGGING_CONFIG=None,
        EMAIL_BACKEND="govuk_notify.django.EmailBackend",
        SERVER_EMAIL=SERVER_EMAIL,
        ADMINS=[("Operations", ADMIN_EMAIL)],
        GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID=PLAIN_TEMPLATE_ID,
        GOVUK_NOTIFY_CALLBACK_TOKEN=CALLBACK_TOKEN,
    )
    django.setup()


def run(command: list[str], env: dict[str, str], limit: float = 120.0) -> CompletedProcess[str]:
    """Run a command to its end and capture its output; kill it after ``limit`` seconds.

    A timer kills it, rather than ``subprocess.run(timeout=...)``, whose wait polls with
    ``time.sleep``, which fails when the suite runs under faketime.
    """
    process = Popen(command, env=env, stdout=PIPE, stderr=PIPE, text=True)
    stdout, stderr = finish(process, limit)
    return CompletedProcess(command, process.returncode, stdout, stderr)
