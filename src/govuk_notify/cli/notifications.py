"""``govuk-notify notifications``: list notifications, newest first, with the API's filters."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from ._common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    HelpFormatter,
    add_api_options,
    client_from_env,
    positive_int,
)
from .output import Style, local_time, one_line, print_json, table, utc_time

if TYPE_CHECKING:
    from ..models.responses import Notification

__all__ = ["PAGE_SIZE", "STATUSES", "add_notifications_command", "add_paging_options", "take"]

STATUSES = (
    "cancelled",
    "created",
    "sending",
    "sent",
    "delivered",
    "pending",
    "failed",
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "pending-virus-check",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
    "accepted",
    "received",
)
"""The statuses Notify filters on (``failed`` is every kind of failure)."""

PAGE_SIZE = 250
"""Notify's page size: a full page means there may be more."""

_T = TypeVar("_T")


def add_paging_options(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--all``, ``--limit N`` and ``--older-than ID`` to a listing command.

    Args:
        parser: the command's parser.
        what: what is listed, for the help (``notifications``).
    """
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"follow the pages: all the {what}, not just the first 250",
    )
    parser.add_argument(
        "--limit",
        metavar="N",
        type=positive_int,
        help=f"at most N {what} (following pages until there are N)",
    )
    parser.add_argument(
        "--older-than", metavar="ID", help=f"only {what} older than the one with this id"
    )


def take(first_page: Iterable[_T], every: Iterator[_T], args: argparse.Namespace) -> list[_T]:
    """The items a listing shows: one page, or with ``--all``/``--limit`` page after page.

    Args:
        first_page: the first page's items (used when neither option is given).
        every: an iterator over every item (used with ``--all`` or ``--limit``).
        args: parsed arguments with ``all`` and ``limit``.

    Returns:
        The items.
    """
    if args.all or args.limit is not None:
        return list(itertools.islice(every, args.limit))
    return list(first_page)


def add_notifications_command(subparsers: Any) -> None:
    """Add ``notifications`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "notifications",
        help="list notifications, newest first, with filters",
        description=(
            "List the notifications sent in the last days (as long as Notify keeps them), newest "
            "first. One page (up to 250) by default; --all follows the pages, --limit N stops "
            "at N. Filters combine; --status and --type can be repeated."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        metavar="STATUS",
        help="only this status (failed: every failure); one of " + ", ".join(STATUSES),
    )
    parser.add_argument(
        "--type",
        dest="template_type",
        action="append",
        choices=("sms", "email", "letter"),
        help="only this kind of message",
    )
    parser.add_argument("--reference", help="only notifications with this reference")
    parser.add_argument(
        "--include-jobs",
        action="store_true",
        help="include those sent by uploading a spreadsheet",
    )
    add_paging_options(parser, "notifications")
    add_api_options(parser, json_help="print each notification as JSON, one a line")
    parser.set_defaults(handler=_notifications, prog=parser.prog)


def _notifications(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {
        "status": args.status,
        "template_type": args.template_type,
        "reference": args.reference,
        "older_than": args.older_than,
        "include_jobs": True if args.include_jobs else None,
    }
    with contextlib.closing(client_from_env(args)) as client:
        if args.all or args.limit is not None:
            items = take((), client.get_all_notifications_iterator(**filters), args)
            more = False
        else:
            page = client.get_all_notifications(**filters)
            items = page.notifications
            more = bool(page.links.next) and len(items) >= PAGE_SIZE
    if args.json:
        print_json(items, sys.stdout)
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    if not items:
        sys.stderr.write("No notifications.\n")
        return EXIT_OK
    print(
        table(
            ["CREATED", "CREATED (UTC)", "TYPE", "STATUS", "RECIPIENT", "REFERENCE", "ID"],
            (_row(n, style) for n in items),
            style,
        )
    )
    if more:
        sys.stderr.write(
            f"More are older: --all, or --older-than {items[-1].id} for the next page.\n"
        )
    return EXIT_OK


def _row(n: Notification, style: Style) -> list[str]:
    if n.type == "letter":
        recipient = n.line_1 or ""
    else:
        recipient = (n.phone_number if n.type == "sms" else n.email_address) or ""
    return [
        local_time(n.created_at),
        utc_time(n.created_at),
        n.type,
        style.status(n.status.value),
        one_line(recipient, 40),
        one_line(n.reference, 40),
        str(n.id),
    ]
