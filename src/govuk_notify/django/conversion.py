"""Turning a Django email into GOV.UK Notify email requests, one per recipient.

The rules (the mapping the guide documents):

* each address in ``to`` becomes one request; a display name (``Amala <amala@example.com>``)
  is dropped, as Notify's emails have none;
* ``from_email`` is not sent: Notify sends from the service's address (``send_mail`` and
  ``mail_admins`` always give one, so it cannot be refused);
* a message with ``template_id`` (a :class:`~.message.NotifyEmailMessage`, or django-gov-notify's)
  is sent with that template and its ``personalisation``; any other with the plain template,
  ``{"subject": subject, "body": body}``;
* ``reply_to`` becomes an ``email_reply_to_id`` through ``GOVUK_NOTIFY_REPLY_TO_IDS``;
* cc, bcc, attachments, custom headers and HTML alternatives are refused
  (:class:`~.errors.EmailNotSupportedError`); HTML alternatives may be dropped instead with
  ``GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES = True``.

Each request is validated here, as Notify would, before anything is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from email.utils import parseaddr
from typing import Any

from pydantic import ValidationError

from ..models.requests import EmailRequest
from .conf import EmailSettings
from .errors import EmailNotSupportedError, InvalidEmailError

__all__ = ["email_requests"]


def _refuse_unsupported(message: Any, position: int, config: EmailSettings) -> None:
    if getattr(message, "cc", None):
        raise EmailNotSupportedError(
            position,
            "cc",
            "GOV.UK Notify has no cc: put every recipient in `to` (each gets their own email)",
        )
    if getattr(message, "bcc", None):
        raise EmailNotSupportedError(
            position,
            "bcc",
            "GOV.UK Notify has no bcc: put every recipient in `to` (each gets their own email,"
            " and no one sees the others' addresses)",
        )
    if getattr(message, "attachments", None):
        raise EmailNotSupportedError(
            position,
            "attachments",
            "GOV.UK Notify cannot attach files to an email: send a link to the file with a"
            " template placeholder and govuk_notify.prepare_upload",
        )
    if getattr(message, "alternatives", None) and not config.ignore_html_alternatives:
        raise EmailNotSupportedError(
            position,
            "alternatives",
            "GOV.UK Notify makes the HTML of every email from its template: send the text only,"
            " or set GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES = True to drop the HTML alternative",
        )
    if getattr(message, "extra_headers", None):
        raise EmailNotSupportedError(
            position, "headers", "GOV.UK Notify does not take custom email headers"
        )


def _reply_to_id(message: Any, position: int, config: EmailSettings) -> str | None:
    explicit = getattr(message, "email_reply_to_id", None)
    if explicit:
        return str(explicit)
    addresses = [parseaddr(a)[1].strip().lower() for a in getattr(message, "reply_to", ())]
    if not addresses:
        return config.email_reply_to_id
    ids = {config.reply_to_ids.get(address) for address in addresses}
    if len(addresses) > 1 or None in ids:
        raise EmailNotSupportedError(
            position,
            "reply_to",
            "GOV.UK Notify takes one reply-to address, set up in the service's settings and"
            " given by its id: map the address to that id in GOVUK_NOTIFY_REPLY_TO_IDS, or pass"
            " email_reply_to_id to NotifyEmailMessage",
        )
    return ids.pop()


def _template(message: Any, position: int, config: EmailSettings) -> tuple[str, dict[str, Any]]:
    template_id = getattr(message, "template_id", None)
    subject = getattr(message, "subject", "") or ""
    body = getattr(message, "body", "") or ""
    if template_id is not None:
        if subject or body:
            raise EmailNotSupportedError(
                position,
                "template",
                "do not set subject or body with a template_id: the template has its own",
            )
        return str(template_id), dict(getattr(message, "personalisation", None) or {})
    if getattr(message, "personalisation", None):
        raise EmailNotSupportedError(
            position,
            "template",
            "a personalisation needs a template_id (the plain template takes only the subject"
            " and body)",
        )
    if config.plain_template_id is None:
        raise EmailNotSupportedError(
            position,
            "template",
            "an email without a template_id is sent with GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID,"
            " which is not set",
        )
    if not (subject and body):
        raise EmailNotSupportedError(
            position, "template", "a plain email needs both a subject and a body"
        )
    return config.plain_template_id, {"subject": subject, "body": body}


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    return [
        (".".join(str(part) for part in item["loc"]) or "email", item["msg"])
        for item in error.errors(include_url=False, include_input=False, include_context=False)
    ]


def email_requests(message: Any, position: int, config: EmailSettings) -> list[EmailRequest]:
    """The validated Notify requests for one Django email, one per recipient.

    Args:
        message: A Django ``EmailMessage`` (or any object with its attributes, such as
            django-gov-notify's ``NotifyEmailMessage``).
        position: The message's position (from 1) in the list being sent, for error messages.
        config: The backend's settings.

    Returns:
        One request per address in ``to``, in order (none for a message without recipients).

    Raises:
        EmailNotSupportedError: The message uses what Notify cannot send.
        InvalidEmailError: A request fails validation; it names the recipient's position,
            never the address.
    """
    _refuse_unsupported(message, position, config)
    recipients: Sequence[str] = list(getattr(message, "to", None) or ())
    if not recipients:
        return []
    template_id, personalisation = _template(message, position, config)
    reply_to_id = _reply_to_id(message, position, config)
    reference = getattr(message, "reference", None)
    requests = []
    for number, recipient in enumerate(recipients, start=1):
        address = parseaddr(recipient)[1] if isinstance(recipient, str) else recipient
        try:
            requests.append(
                EmailRequest(
                    email_address=address or recipient,
                    template_id=template_id,
                    personalisation=personalisation,
                    reference=reference
                    if reference is not None or not config.auto_reference
                    else str(uuid.uuid4()),
                    email_reply_to_id=reply_to_id,
                )
            )
        except ValidationError as error:
            problems = _problems(error)
        else:
            continue
        # Raised outside the except block: pydantic's error text quotes the values.
        raise InvalidEmailError(position, number, len(recipients), problems)
    return requests
