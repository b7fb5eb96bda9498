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
* cc, bcc, attachments, custom headers and HTML alternatives are refused (a ``ValidationError``
  of type ``unsupported`` at ``email_messages.<n>.cc`` and so on); HTML alternatives may be
  dropped instead with ``GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES = True``.

Each request is validated here, as Notify would, before anything is sent; a problem is reported
at its place in ``email_messages`` (see :mod:`.errors`), never with the address.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from email.utils import getaddresses, parseaddr
from typing import Any

from pydantic import ValidationError

from ..models.requests import EmailRequest
from .conf import EmailSettings
from .errors import Location, refusal

__all__ = ["email_requests"]

_TITLE = "send_messages"


def _unsupported(position: int, feature: str, advice: str) -> ValidationError:
    return refusal(_TITLE, [(("email_messages", position, feature), advice, "unsupported")])


def _refuse_unsupported(message: Any, position: int, config: EmailSettings) -> None:
    if getattr(message, "cc", None):
        raise _unsupported(
            position,
            "cc",
            "GOV.UK Notify has no cc: put every recipient in `to` (each gets their own email)",
        )
    if getattr(message, "bcc", None):
        raise _unsupported(
            position,
            "bcc",
            "GOV.UK Notify has no bcc: put every recipient in `to` (each gets their own email,"
            " and no one sees the others' addresses)",
        )
    if getattr(message, "attachments", None):
        raise _unsupported(
            position,
            "attachments",
            "GOV.UK Notify cannot attach files to an email: send a link to the file with a"
            " template placeholder and govuk_notify.prepare_upload",
        )
    if getattr(message, "alternatives", None) and not config.ignore_html_alternatives:
        raise _unsupported(
            position,
            "alternatives",
            "GOV.UK Notify makes the HTML of every email from its template: send the text only,"
            " or set GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES = True to drop the HTML alternative",
        )
    if getattr(message, "extra_headers", None):
        raise _unsupported(position, "headers", "GOV.UK Notify does not take custom email headers")


def _reply_to_id(message: Any, position: int, config: EmailSettings) -> str | None:
    explicit = getattr(message, "email_reply_to_id", None)
    if explicit:
        return str(explicit)
    addresses = [parseaddr(a)[1].strip().lower() for a in getattr(message, "reply_to", ())]
    if not addresses:
        return config.email_reply_to_id
    ids = {config.reply_to_ids.get(address) for address in addresses}
    if len(addresses) > 1 or None in ids:
        raise _unsupported(
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
            raise _unsupported(
                position,
                "subject" if subject else "body",
                "do not set subject or body with a template_id: the template has its own",
            )
        return str(template_id), dict(getattr(message, "personalisation", None) or {})
    if getattr(message, "personalisation", None):
        raise _unsupported(
            position,
            "personalisation",
            "a personalisation needs a template_id (the plain template takes only the subject"
            " and body)",
        )
    if config.plain_template_id is None:
        raise _unsupported(
            position,
            "template_id",
            "an email without a template_id is sent with GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID,"
            " which is not set",
        )
    if not (subject and body):
        raise _unsupported(
            position,
            "body" if subject else "subject",
            "a plain email needs both a subject and a body",
        )
    return config.plain_template_id, {"subject": subject, "body": body}


def _bare_address(recipient: object) -> object:
    """The address without its display name.

    Anything but exactly one address is left as it is, for validation to refuse
    (``"a@example.com, b@example.com"`` is not one recipient).
    """
    if not isinstance(recipient, str):
        return recipient
    found = getaddresses([recipient])
    if len(found) == 1 and found[0][1]:
        return found[0][1]
    return recipient


def _problems(error: ValidationError, where: Location) -> list[tuple[Location, str, str]]:
    problems: list[tuple[Location, str, str]] = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        # The address is the recipient itself; the rest belongs to the message as a whole.
        field = item["loc"][:1]
        location = where if field == ("email_address",) else where[:2] + tuple(item["loc"])
        problems.append((location, item["msg"], item["type"]))
    return problems


def email_requests(message: Any, position: int, config: EmailSettings) -> list[EmailRequest]:
    """The validated Notify requests for one Django email, one per recipient.

    Args:
        message: A Django ``EmailMessage`` (or any object with its attributes, such as
            django-gov-notify's ``NotifyEmailMessage``).
        position: The message's index in ``email_messages`` (from 0), for error locations.
        config: The backend's settings.

    Returns:
        One request per address in ``to``, in order (none for a message without recipients).

    Raises:
        ValidationError: The message uses what Notify cannot send (type ``unsupported``), or a
            request fails validation; the location names the message's and the recipient's
            index, never the address.
    """
    _refuse_unsupported(message, position, config)
    recipients: Sequence[str] = list(getattr(message, "to", None) or ())
    if not recipients:
        return []
    template_id, personalisation = _template(message, position, config)
    reply_to_id = _reply_to_id(message, position, config)
    reference = getattr(message, "reference", None)
    requests = []
    for number, recipient in enumerate(recipients):
        try:
            requests.append(
                EmailRequest(
                    email_address=_bare_address(recipient),  # type: ignore[arg-type]
                    template_id=template_id,
                    personalisation=personalisation,
                    reference=reference
                    if reference is not None or not config.auto_reference
                    else str(uuid.uuid4()),
                    email_reply_to_id=reply_to_id,
                )
            )
        except ValidationError as error:
            problems = _problems(error, ("email_messages", position, "to", number))
        else:
            continue
        # Raised outside the except block, so that pydantic's error (with the values) is not
        # chained to it.
        raise refusal(_TITLE, problems)
    return requests
