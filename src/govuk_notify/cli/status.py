"""``govuk-notify status ID``: one notification, what happened to it and when.

For a letter, ``--pdf FILE`` saves its PDF.
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
    client_from_env,
)
from .output import Style, block, local_and_utc, print_json

if TYPE_CHECKING:
    from ..models.responses import Notification

__all__ = ["add_status_command", "describe_notification"]


def add_status_command(subparsers: Any) -> None:
    """Add ``status ID`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "status",
        help="show one notification: its status and its history",
        description=(
            "Show one notification: its status, when it was created, sent and completed (as far "
            "as Notify tells), the recipient and the message. For a letter, --pdf saves its PDF."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("notification_id", metavar="ID", help="the notification's id")
    parser.add_argument("--pdf", metavar="FILE", help="save a letter's PDF to FILE")
    add_api_options(parser, json_help="print the notification as JSON (one object)")
    parser.set_defaults(handler=_status, prog=parser.prog)


def _status(args: argparse.Namespace) -> int:
    with contextlib.closing(client_from_env(args)) as client:
        notification = client.get_notification_by_id(args.notification_id)
        if args.pdf is not None:
            if notification.type != "letter":
                raise CliError(f"--pdf: notification {notification.id} is not a letter")
            pdf = client.get_pdf_for_letter(notification.id).getvalue()
            try:
                Path(args.pdf).write_bytes(pdf)
            except OSError as err:
                raise CliError(f"--pdf: cannot write {args.pdf}: {err.strerror}") from None
            sys.stderr.write(f"Saved the letter's PDF to {args.pdf} ({len(pdf):,} bytes).\n")
    if args.json:
        print_json([notification], sys.stdout)
    else:
        print(describe_notification(notification, Style.for_stream(sys.stdout)))
    return EXIT_OK


def describe_notification(notification: Notification, style: Style) -> str:
    """A notification as a block of fields, its history in time order.

    Args:
        notification: the notification.
        style: how to print.

    Returns:
        The block, without a final newline.
    """
    n = notification
    if n.type == "letter":
        address = [n.line_1, n.line_2, n.line_3, n.line_4, n.line_5, n.line_6, n.postcode]
        recipient = "\n".join(line for line in address if line)
    else:
        recipient = (n.phone_number if n.type == "sms" else n.email_address) or ""
    fields = [
        ("id", str(n.id)),
        ("type", {"sms": "text message", "email": "email", "letter": "letter"}[n.type]),
        ("status", style.status(n.status.value)),
        ("to", recipient),
        ("reference", n.reference or ""),
        ("template", f"{n.template.id} version {n.template.version}"),
        ("created by", n.created_by_name or ""),
        ("created", local_and_utc(n.created_at)),
        ("scheduled for", local_and_utc(n.scheduled_for)),
        ("sent", local_and_utc(n.sent_at)),
        ("completed", local_and_utc(n.completed_at)),
    ]
    if n.type == "letter":
        fields.append(("estimated delivery", local_and_utc(n.estimated_delivery)))
        fields.append(("postage", n.postage.value if n.postage is not None else ""))
    if n.cost_in_pounds is not None:
        fields.append(("cost", f"£{n.cost_in_pounds:.2f}"))
    fields.append(("subject", n.subject or ""))
    fields.append(("body", n.body))
    return block(fields, style)
