"""An embedded GOV.UK Notify: a local server that speaks the v2 API as the real one does.

It keeps its data in SQLite and needs nothing beyond the package's own dependencies. Your tests
send real HTTP to it, then look at what was sent:

    from govuk_notify.sandbox import Sandbox

    with Sandbox() as sandbox:
        client = sandbox.client()                       # a NotifyClient, live key
        client.send_email_notification("someone@example.com", template_id, personalisation={...})
        [email] = sandbox.sent_emails()

or in one line, ``with sandbox_client() as client: ...``. From a shell: ``govuk-notify sandbox``.
For pytest, the ``notify_sandbox`` and ``notify_client`` fixtures
(`govuk_notify.pytest_plugin`).

Statuses move on as time passes (`Lifecycle`, under a second by default);
``sandbox.advance(seconds)`` moves the sandbox's clock on instead of waiting. The documented test
recipients fail (``07700900003``/``temp-fail@simulator.notify``: temporary failure,
``07700900002``/``perm-fail@simulator.notify``: permanent failure) and the smoke-test ones
(``07700900000``/``111``/``222``, ``simulate-delivered[-2|-3]@notifications.service.gov.uk``) are
accepted but not stored. One sandbox at a time per database file.

The sandbox calls the service back as Notify does (`.callbacks`): give the service a delivery
callback, an inbound (received text) callback or a returned-letter callback, each a
`CallbackEndpoint` (URL and bearer token), and it POSTs delivery receipts, received texts
and returned letters there from a background thread, retried on failure (`CallbackRetry`);
``sandbox.callback_attempts()`` lists every attempt and ``sandbox.flush_callbacks()`` waits for
those due.

Sandbox-only HTTP endpoints (the real API has none of them):

* ``POST /sandbox/received-text-messages`` (authenticated like ``/v2``), body
  ``{"content": str, "user_number": str?, "notify_number": str?}``: inject a text message a user
  sent to the service; answers 201 with the received text as ``/v2/received-text-messages``
  shows it.
* ``POST /sandbox/notifications/<id>/status`` (authenticated), body ``{"status": "<raw status>"}``:
  fix a notification's status, e.g. ``returned-letter``; a final status is called back as
  Notify would.
* ``GET /sandbox/documents/<id>``: a file sent by email (the link put in the email).
* ``GET /_status``: ``{"status": "ok"}``.
"""

from __future__ import annotations

from .callbacks import CallbackAttempt, CallbackRetry
from .config import CallbackEndpoint, ServiceSettings
from .core import Sandbox, sandbox_client
from .lifecycle import SIMULATED_EMAIL_ADDRESSES, SIMULATED_PHONE_NUMBERS, Lifecycle
from .limits import DEFAULT_RATE_LIMIT, DailyLimits
from .pdf import minimal_pdf
from .records import (
    ApiKeys,
    ReceivedTextRecord,
    SentEmail,
    SentFile,
    SentLetter,
    SentMessage,
    SentSms,
)
from .store import StoreVersionError, TemplateVersion
from .templates import (
    DEFAULT_TEMPLATE_IDS,
    TemplateDefinition,
    TemplateFileError,
    default_templates,
    load_templates,
)

__all__ = [
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_TEMPLATE_IDS",
    "SIMULATED_EMAIL_ADDRESSES",
    "SIMULATED_PHONE_NUMBERS",
    "ApiKeys",
    "CallbackAttempt",
    "CallbackEndpoint",
    "CallbackRetry",
    "DailyLimits",
    "Lifecycle",
    "ReceivedTextRecord",
    "Sandbox",
    "SentEmail",
    "SentFile",
    "SentLetter",
    "SentMessage",
    "SentSms",
    "ServiceSettings",
    "StoreVersionError",
    "TemplateDefinition",
    "TemplateFileError",
    "TemplateVersion",
    "default_templates",
    "load_templates",
    "minimal_pdf",
    "sandbox_client",
]
