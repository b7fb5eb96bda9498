"""``govuk-notify sandbox add-received-text | return-letter | set-status``.

They act on a running sandbox through its own HTTP endpoints.

They are sent with the SDK's transport (the same key handling, errors and retries as the client)
and never import the sandbox package: the sandbox may run in another process or on another
machine's loopback behind a tunnel.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from ._common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    CliError,
    HelpFormatter,
)
from .notifications import STATUSES
from .output import Style, block, local_and_utc, print_json

if TYPE_CHECKING:
    from .._sync_transport import Transport

__all__ = ["DEFAULT_SANDBOX_URL", "add_control_commands"]

DEFAULT_SANDBOX_URL = "http://127.0.0.1:6011"
"""Where ``govuk-notify sandbox`` listens by default."""

_ENV_HELP = (
    "The sandbox's base URL is --base-url, else NOTIFY_BASE_URL, else "
    f"{DEFAULT_SANDBOX_URL}; its key (any of the three it printed) is NOTIFY_API_KEY."
)


def add_control_commands(parser: argparse.ArgumentParser) -> None:
    """Add the actions on a running sandbox under the ``sandbox`` command.

    Args:
        parser: the ``sandbox`` command's parser.
    """
    actions = parser.add_subparsers(
        title="actions on a running sandbox", metavar="ACTION", dest="action"
    )

    text = _action(
        actions,
        "add-received-text",
        "add a text message as if a user had sent it to the service",
        "Add a received text message to a running sandbox, as if a user had texted the "
        "service's number. It then shows in received-texts, and the sandbox calls the inbound "
        "callback if one is set.",
    )
    text.add_argument("content", help="the message's text")
    text.add_argument(
        "--from",
        dest="user_number",
        metavar="PHONE_NUMBER",
        help="who sent it (default: 447700900123)",
    )
    text.add_argument(
        "--to", dest="notify_number", metavar="NUMBER", help="the service's number it went to"
    )
    text.set_defaults(handler=_add_received_text)

    letter = _action(
        actions,
        "return-letter",
        "mark a letter as returned to sender",
        "Mark a letter in a running sandbox as returned (status returned-letter), as when Royal "
        "Mail sends it back; the sandbox calls the returned-letter callback if one is set.",
    )
    letter.add_argument("notification_id", metavar="ID", help="the letter's notification id")
    letter.set_defaults(handler=_return_letter)

    status = _action(
        actions,
        "set-status",
        "give a notification any status",
        "Give a notification in a running sandbox a status from now on (a final status is "
        "called back as Notify would).",
    )
    status.add_argument("notification_id", metavar="ID", help="the notification's id")
    status.add_argument(
        "status",
        choices=[s for s in STATUSES if s != "failed"],
        metavar="STATUS",
        help="the raw status, e.g. delivered, permanent-failure, returned-letter",
    )
    status.set_defaults(handler=_set_status)


def _action(actions: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(
        name,
        help=summary,
        description=f"{description}\n\n{_ENV_HELP}",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the sandbox's base URL (default: NOTIFY_BASE_URL, else {DEFAULT_SANDBOX_URL})",
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.set_defaults(prog=parser.prog)
    return parser


def _transport(args: argparse.Namespace) -> Transport:
    from .._sync_transport import Transport
    from ..auth import ApiKey
    from ..errors import ConfigurationError
    from ..retry import RetryPolicy

    key = os.environ.get("NOTIFY_API_KEY", "").strip()
    if not key:
        raise CliError("set NOTIFY_API_KEY to one of the sandbox's API keys")
    base_url = args.base_url or os.environ.get("NOTIFY_BASE_URL") or DEFAULT_SANDBOX_URL
    try:
        return Transport(
            ApiKey.parse(key),
            base_url,
            timeout=(10.0, 30.0),
            session=None,
            retry=RetryPolicy(),
        )
    except ConfigurationError as err:
        raise CliError(str(err)) from None


def _raw(content: bytes) -> bytes:
    return content


def _post(args: argparse.Namespace, path: str, route: str, payload: dict[str, Any]) -> bytes:
    from .._endpoint import Call, Endpoint

    endpoint = Endpoint("POST", route, "send", "the sandbox's answer", _raw)
    body = json.dumps(payload).encode("utf-8")
    with contextlib.closing(_transport(args)) as transport:
        return transport.run(Call(endpoint, path, body=body))


def _notification_path(notification_id: str) -> str:
    from ..models.requests import _uuid

    try:
        return f"/sandbox/notifications/{_uuid(notification_id)}/status"
    except ValueError:
        raise CliError(f"{notification_id!r} is not a notification id (a UUID)") from None


def _add_received_text(args: argparse.Namespace) -> int:
    from ..models.responses import ReceivedText

    payload = {"content": args.content}
    if args.user_number is not None:
        payload["user_number"] = args.user_number
    if args.notify_number is not None:
        payload["notify_number"] = args.notify_number
    body = _post(
        args, "/sandbox/received-text-messages", "/sandbox/received-text-messages", payload
    )
    text = ReceivedText.model_validate_json(body)
    if args.json:
        print_json([text], sys.stdout)
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    fields = [
        ("id", str(text.id)),
        ("from", text.user_number),
        ("to", text.notify_number),
        ("received", local_and_utc(text.created_at)),
        ("content", text.content),
    ]
    print(f"{style.paint('Added the received text.', 'bold', 'green')}\n{block(fields, style)}")
    return EXIT_OK


def _return_letter(args: argparse.Namespace) -> int:
    from .._endpoint import Call
    from ..endpoints import GET_NOTIFICATION_BY_ID

    path = _notification_path(args.notification_id).removesuffix("/status")
    path = path.replace("/sandbox/", "/v2/", 1)
    with contextlib.closing(_transport(args)) as transport:
        notification = transport.run(Call(GET_NOTIFICATION_BY_ID, path))
    if notification.type != "letter":
        raise CliError(f"notification {notification.id} is not a letter but {notification.type}")
    return _change_status(args, "returned-letter", "Marked the letter as returned to sender.")


def _set_status(args: argparse.Namespace) -> int:
    return _change_status(args, args.status, f"Set the status to {args.status}.")


def _change_status(args: argparse.Namespace, status: str, done: str) -> int:
    from ..models.responses import NOTIFICATION_ADAPTER

    path = _notification_path(args.notification_id)
    body = _post(args, path, "/sandbox/notifications/{id}/status", {"status": status})
    notification = NOTIFICATION_ADAPTER.validate_json(body)
    if args.json:
        print_json([notification], sys.stdout)
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    print(
        f"{style.paint(done, 'bold', 'green')} The API now shows {notification.type} "
        f"{notification.id} as {style.status(notification.status.value)}."
    )
    return EXIT_OK
