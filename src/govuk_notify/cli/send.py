"""``govuk-notify send sms|email|letter|precompiled-letter``: send one message.

Example:
    ``govuk-notify send sms 07700900123 --template 27977601-... --set name=Amala --set code=1``
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    CliError,
    HelpFormatter,
    add_api_options,
    add_personalisation_options,
    client_from_env,
    load_personalisation,
    name_value,
)
from .completion import template_ids
from .output import Style, block, print_json

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["add_send_command"]

_POSTAGE = ("first", "second", "economy", "europe", "rest-of-world")
_JSON_HELP = "print Notify's answer as JSON (one object)"


def add_send_command(subparsers: Any) -> None:
    """Add ``send`` and its four kinds to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "send",
        help="send one text message, email or letter",
        description="Send one message with a template (or a letter as a PDF).",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    kinds = parser.add_subparsers(title="kinds", metavar="KIND", required=True)

    sms = _kind(kinds, "sms", "send a text message", "PHONE_NUMBER", "the phone number")
    sms.add_argument("--sms-sender-id", metavar="ID", help="the text message sender's id")
    sms.set_defaults(handler=_send_sms)

    email = _kind(kinds, "email", "send an email", "EMAIL_ADDRESS", "the email address")
    email.add_argument("--email-reply-to-id", metavar="ID", help="the reply-to address's id")
    email.add_argument(
        "--attach",
        metavar="NAME=PATH",
        type=name_value,
        action="append",
        default=[],
        help="send the file at PATH by a download link in the placeholder NAME (up to 2 MiB)",
    )
    email.add_argument(
        "--one-click-unsubscribe-url", metavar="URL", help="the unsubscribe link for the email"
    )
    email.set_defaults(handler=_send_email)

    letter = _kind(kinds, "letter", "send a letter from a template", None, None)
    letter.add_argument(
        "--address",
        metavar="LINE",
        action="append",
        default=[],
        help="one line of the address, in order, the postcode (or country) last; 3 to 7 lines"
        " (or give address_line_1... with --set)",
    )
    letter.set_defaults(handler=_send_letter)

    precompiled = kinds.add_parser(
        "precompiled-letter",
        help="send a letter made as a PDF",
        description="Send a letter you made as a PDF (A4, the address in the address block).",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    precompiled.add_argument("pdf", metavar="PDF_FILE", help="the letter as a PDF file")
    precompiled.add_argument(
        "--reference", required=True, help="your reference for the letter (required)"
    )
    precompiled.add_argument("--postage", choices=_POSTAGE, help="the postage (Notify's default)")
    add_api_options(precompiled, json_help=_JSON_HELP)
    precompiled.set_defaults(handler=_send_precompiled, prog=precompiled.prog)


def _kind(
    kinds: Any, name: str, summary: str, recipient: str | None, recipient_help: str | None
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = kinds.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]} with a template.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    if recipient is not None:
        parser.add_argument("recipient", metavar=recipient, help=recipient_help)
    template = parser.add_argument(
        "--template", required=True, metavar="ID", help="the template's id"
    )
    template.completer = template_ids  # type: ignore[attr-defined]
    add_personalisation_options(parser)
    parser.add_argument("--reference", help="your reference, to find the message by later")
    add_api_options(parser, json_help=_JSON_HELP)
    parser.set_defaults(prog=parser.prog)
    return parser


def _send_sms(args: argparse.Namespace) -> int:
    from ..models.requests import SmsRequest

    request = SmsRequest(
        phone_number=args.recipient,
        template_id=args.template,
        personalisation=load_personalisation(args),
        reference=args.reference,
        sms_sender_id=args.sms_sender_id,
    )
    return _send(args, request, "text message", args.recipient)


def _send_email(args: argparse.Namespace) -> int:
    from ..models.requests import EmailRequest

    personalisation = load_personalisation(args) or {}
    for name, path in args.attach:
        personalisation[name] = _upload(name, path)
    request = EmailRequest(
        email_address=args.recipient,
        template_id=args.template,
        personalisation=personalisation or None,
        reference=args.reference,
        email_reply_to_id=args.email_reply_to_id,
        one_click_unsubscribe_url=args.one_click_unsubscribe_url,
    )
    return _send(args, request, "email", args.recipient)


def _upload(name: str, path: str) -> Any:
    from ..uploads import prepare_upload

    try:
        with open(path, "rb") as file:
            return prepare_upload(file, filename=Path(path).name)
    except OSError as err:
        raise CliError(f"--attach {name}: cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise CliError(f"--attach {name}: {_first_line(err)}") from None


def _first_line(err: Exception) -> str:
    errors = getattr(err, "errors", None)
    if callable(errors):
        return "; ".join(item["msg"] for item in errors(include_url=False, include_input=False))
    return str(err)


def _send_letter(args: argparse.Namespace) -> int:
    from ..models.requests import LetterRequest

    personalisation = load_personalisation(args) or {}
    if args.address:
        if len(args.address) > 7:
            raise CliError("--address: an address has at most 7 lines")
        for number, line in enumerate(args.address, start=1):
            personalisation[f"address_line_{number}"] = line
    request = LetterRequest(
        template_id=args.template, personalisation=personalisation, reference=args.reference
    )
    recipient = personalisation.get("address_line_1")
    return _send(args, request, "letter", recipient if isinstance(recipient, str) else "")


def _send_precompiled(args: argparse.Namespace) -> int:
    from ..models.requests import PrecompiledLetterRequest

    try:
        content = Path(args.pdf).read_bytes()
    except OSError as err:
        raise CliError(f"cannot read {args.pdf}: {err.strerror}") from None
    request = PrecompiledLetterRequest(
        reference=args.reference, content=content, postage=args.postage
    )
    return _send(args, request, "letter (PDF)", args.pdf)


def _send(args: argparse.Namespace, request: Any, what: str, recipient: str) -> int:
    """Send a request model built (and so checked) before the client is even made."""
    with contextlib.closing(client_from_env(args)) as client:
        try:
            response = client.send(request)
        except KeyboardInterrupt:
            ref = f" (reference {request.reference})" if request.reference else ""
            sys.stderr.write(f"\nInterrupted: the {what} may have been sent{ref}.\n")
            raise
    if args.json:
        print_json([response], sys.stdout)
    else:
        print(_describe(response, what, recipient, Style.for_stream(sys.stdout)))
    return EXIT_OK


def _describe(response: BaseModel, what: str, recipient: str, style: Style) -> str:
    data: Any = response
    fields = [
        ("id", str(data.id)),
        ("to", recipient),
        ("reference", data.reference or ""),
    ]
    template = getattr(data, "template", None)
    if template is not None:
        fields.append(("template", f"{template.id} version {template.version}"))
    content = getattr(data, "content", None)
    if content is not None:
        fields.append(("subject", getattr(content, "subject", "") or ""))
        fields.append(("from", getattr(content, "from_number", "") or ""))
        fields.append(("body", content.body))
    postage = getattr(data, "postage", None)
    if postage is not None:
        fields.append(("postage", str(postage.value)))
    heading = style.paint(f"Sent the {what}.", "bold", "green")
    hint = style.paint(f"See what happens to it: govuk-notify status {data.id}", "dim")
    return f"{heading}\n{block(fields, style)}\n{hint}"
