"""``govuk-notify sandbox``: run the embedded sandbox, and act on a running one.

``govuk-notify sandbox [OPTIONS]`` runs the server (the sandbox package is imported only then).
``govuk-notify sandbox add-received-text``, ``return-letter`` and ``set-status`` call a running
sandbox's own HTTP endpoints (``/sandbox/...``, authenticated with ``NOTIFY_API_KEY`` as ``/v2``
is), so they need nothing from the sandbox package.

To add a server option, add it in :func:`add_server_options` and read it in
:func:`run_sandbox`.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

from ._common import (
    EXIT_CODES_HELP,
    HelpFormatter,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
)
from .sandbox_control import add_control_commands

__all__ = ["add_sandbox_command", "add_server_options", "run_sandbox"]

_CALLBACK_KINDS = (
    ("delivery", "delivery receipts of text messages and emails"),
    ("inbound", "received text messages"),
    ("returned-letter", "returned letters"),
)


def add_sandbox_command(subparsers: Any) -> None:
    """Add ``sandbox`` (the server, and its actions on a running one) to the subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sandbox",
        help="run a local Notify-compatible API (the embedded sandbox), or act on one",
        description=(
            "Run the embedded sandbox: a local server that speaks the GOV.UK Notify v2 API. It "
            "prints its base URL, one API key of each type and the template ids, then serves "
            "until Ctrl-C. Data is kept in SQLite (--db), so it survives a restart.\n\n"
            "With an ACTION, act on a running sandbox instead (its base URL from --base-url or "
            "NOTIFY_BASE_URL, its key from NOTIFY_API_KEY): see govuk-notify sandbox ACTION "
            "--help."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    add_server_options(parser)
    parser.set_defaults(handler=run_sandbox, prog=parser.prog)
    add_control_commands(parser)


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the sandbox server (``govuk-notify sandbox [OPTIONS]``).

    Args:
        parser: the ``sandbox`` command's parser.
    """
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=6011, help="port to listen on (6011; 0 picks a free port)"
    )
    parser.add_argument(
        "--db", metavar="PATH", help="SQLite file to keep data in (default: a temporary file)"
    )
    parser.add_argument(
        "--inbox-token",
        metavar="TOKEN",
        help="token the web inbox (/_sandbox/) requires; without it the inbox is open on a "
        "loopback --host and shut on any other",
    )
    parser.add_argument(
        "--templates",
        metavar="FILE",
        help="JSON template file (see govuk_notify.sandbox.templates for the format)",
    )
    parser.add_argument(
        "--rate-limit",
        metavar="PER_MINUTE",
        type=positive_int,
        default=3000,
        help="requests per 60 seconds for each key type (3000)",
    )
    parser.add_argument(
        "--daily-limit",
        metavar="N",
        type=positive_int,
        help="messages a day of each type (sms, email, letter)",
    )
    parser.add_argument(
        "--latency",
        metavar="MS",
        type=non_negative_float,
        default=0.0,
        help="delay every answer by this many milliseconds",
    )
    parser.add_argument(
        "--sending-after",
        metavar="SECONDS",
        type=non_negative_float,
        default=0.1,
        help="seconds before a message goes from created to sending (0.1)",
    )
    parser.add_argument(
        "--delivered-after",
        metavar="SECONDS",
        type=non_negative_float,
        default=0.5,
        help="seconds before a message is delivered, or fails for a test recipient (0.5)",
    )
    callbacks = parser.add_argument_group(
        "callbacks",
        "POST what Notify would to your application, with 'Authorization: Bearer TOKEN'. Each "
        "URL needs its token (at least 10 characters). Attempts are logged on stderr.",
    )
    for kind, what in _CALLBACK_KINDS:
        callbacks.add_argument(
            f"--{kind}-callback-url", metavar="URL", help=f"where to POST {what}"
        )
        callbacks.add_argument(
            f"--{kind}-callback-token",
            metavar="TOKEN",
            help=f"the bearer token sent with {what}",
        )
    callbacks.add_argument(
        "--callback-retries",
        metavar="N",
        type=non_negative_int,
        default=5,
        help="retries after a failed attempt: no answer, 5xx or 429 (5)",
    )
    callbacks.add_argument(
        "--callback-retry-delay",
        metavar="SECONDS",
        type=non_negative_float,
        default=0.2,
        help="seconds between attempts (0.2; Notify waits 5 minutes)",
    )
    callbacks.add_argument(
        "--callback-timeout",
        metavar="SECONDS",
        type=positive_float,
        default=5.0,
        help="seconds to wait for a receiver's answer (5)",
    )


def _sandbox_callbacks(args: argparse.Namespace) -> dict[str, Any]:
    """``ServiceSettings`` fields for the callback options; ValueError if they do not pair."""
    from ..sandbox import CallbackEndpoint

    fields: dict[str, Any] = {}
    for kind, _ in _CALLBACK_KINDS:
        option = kind.replace("-", "_")
        url = getattr(args, f"{option}_callback_url")
        token = getattr(args, f"{option}_callback_token")
        if (url is None) != (token is None):
            given, missing = ("url", "token") if token is None else ("token", "url")
            raise ValueError(f"--{kind}-callback-{given} needs --{kind}-callback-{missing}")
        if url is not None:
            fields[f"{option}_callback"] = CallbackEndpoint(url, token)
    return fields


def _print_sandbox_banner(sandbox: Any, db: str | None, out: TextIO) -> None:
    keys = sandbox.api_keys
    lines = [
        f"GOV.UK Notify sandbox running at {sandbox.base_url}",
        sandbox.inbox_description,
        f"  service id  {sandbox.service_id}",
        f"  database    {db or 'temporary (deleted on exit)'}",
        "",
        "API keys (NotifyClient(key, base_url=...)):",
        f"  live  {keys.live}",
        f"  team  {keys.team}",
        f"  test  {keys.test}",
        "",
        "Templates:",
    ]
    for template in sandbox.templates():
        state = "  (archived)" if template.archived else ""
        lines.append(
            f"  {template.type:<6} {template.id}  v{template.version}  {template.name}{state}"
        )
    service = sandbox.service
    endpoints = [
        (what, endpoint.url)
        for (_, what), endpoint in zip(
            _CALLBACK_KINDS,
            (
                service.delivery_callback,
                service.inbound_callback,
                service.returned_letter_callback,
            ),
            strict=True,
        )
        if endpoint is not None
    ]
    if endpoints:
        lines += ["", "Callbacks (attempts are logged on stderr):"]
        lines += [f"  {what}: {url}" for what, url in endpoints]
    lines += ["", "Press Ctrl-C to stop."]
    out.write("\n".join(lines) + "\n")
    out.flush()


def run_sandbox(args: argparse.Namespace) -> int:
    """Run the sandbox server until Ctrl-C or SIGTERM.

    Args:
        args: the parsed ``sandbox`` options.

    Returns:
        The exit code: 0 once stopped, 2 if it could not start.
    """
    from ..sandbox import (
        CallbackRetry,
        Lifecycle,
        Sandbox,
        ServiceSettings,
        StoreVersionError,
        TemplateFileError,
    )

    try:
        lifecycle = Lifecycle(
            sending_after=args.sending_after, delivered_after=args.delivered_after
        )
        callbacks = _sandbox_callbacks(args)
        retry = CallbackRetry(
            retries=args.callback_retries,
            delay=args.callback_retry_delay,
            timeout=args.callback_timeout,
        )
        sandbox = Sandbox(
            host=args.host,
            port=args.port,
            db=args.db,
            templates=args.templates,
            rate_limit=args.rate_limit,
            daily_limit=args.daily_limit,
            latency_ms=args.latency,
            lifecycle=lifecycle,
            service=ServiceSettings(**callbacks),
            callback_retry=retry,
            inbox_token=args.inbox_token,
        )
        sandbox.start()
    except (TemplateFileError, StoreVersionError, ValueError, OSError) as err:
        print(f"govuk-notify sandbox: {err}", file=sys.stderr)
        return 2

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_signal) if in_main_thread else None
    callback_log = logging.getLogger("govuk_notify.sandbox.callbacks")
    log_handler = logging.StreamHandler(sys.stderr)
    log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    previous_level = callback_log.level
    if callbacks:
        callback_log.addHandler(log_handler)
        callback_log.setLevel(logging.INFO)
    try:
        _print_sandbox_banner(sandbox, args.db, sys.stdout)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
        sandbox.stop()
        if callbacks:
            callback_log.removeHandler(log_handler)
            callback_log.setLevel(previous_level)
    print("Sandbox stopped.", flush=True)
    return 0
