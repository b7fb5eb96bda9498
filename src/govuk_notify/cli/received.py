"""``govuk-notify received-texts``: the text messages people sent to the service."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from ._common import EXIT_CODES_HELP, EXIT_OK, HelpFormatter, add_api_options, client_from_env
from .notifications import PAGE_SIZE, add_paging_options, take
from .output import Style, local_time, one_line, print_json, table, utc_time

__all__ = ["add_received_texts_command"]


def add_received_texts_command(subparsers: Any) -> None:
    """Add ``received-texts`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "received-texts",
        help="list the text messages sent to the service",
        description=(
            "List the text messages people sent to the service's number, newest first. One page "
            "(up to 250) by default; --all follows the pages, --limit N stops at N."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    add_paging_options(parser, "received texts")
    add_api_options(parser, json_help="print each received text as JSON, one a line")
    parser.set_defaults(handler=_received_texts, prog=parser.prog)


def _received_texts(args: argparse.Namespace) -> int:
    with contextlib.closing(client_from_env(args)) as client:
        if args.all or args.limit is not None:
            texts = take((), client.get_received_texts_iterator(args.older_than), args)
            more = False
        else:
            page = client.get_received_texts(args.older_than)
            texts = page.received_text_messages
            more = bool(page.links.next) and len(texts) >= PAGE_SIZE
    if args.json:
        print_json(texts, sys.stdout)
        return EXIT_OK
    if not texts:
        sys.stderr.write("No received text messages.\n")
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    rows = (
        [
            local_time(t.created_at),
            utc_time(t.created_at),
            t.user_number,
            t.notify_number,
            str(t.id),
            one_line(t.content, 60),
        ]
        for t in texts
    )
    print(table(["RECEIVED", "RECEIVED (UTC)", "FROM", "TO", "ID", "CONTENT"], rows, style))
    if more:
        sys.stderr.write(
            f"More are older: --all, or --older-than {texts[-1].id} for the next page.\n"
        )
    return EXIT_OK
