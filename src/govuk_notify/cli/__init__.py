"""The ``govuk-notify`` command: GOV.UK Notify from a terminal.

Each command group is a module of this package with a function that adds its parser to the
subparsers and sets ``handler`` (a function taking the parsed arguments and returning the exit
code) and ``prog``. To add one, write such a function and list it, with its name and summary, as a
:class:`Command` in :data:`SUBCOMMANDS`. Only the module of the command being run is imported.

Building the parser imports no pydantic, requests or sandbox code: ``govuk-notify --help`` stays
fast, and each command imports the client (or the sandbox) when it runs.

Example:
    >>> from govuk_notify.cli import main
    >>> main(["--version"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ._common import EXIT_CODES_HELP, EXIT_USAGE, Handler, HelpFormatter, run_handler

__all__ = ["SUBCOMMANDS", "Command", "build_parser", "main"]


@dataclass(frozen=True)
class Command:
    """One command of ``govuk-notify``, found by name so that only its module is imported.

    Attributes:
        name: the command's name (``send``).
        summary: its line in ``govuk-notify --help`` (the same as the help its adder gives).
        adder: ``module:function`` in this package; the function adds the command's parser to
            the subparsers and sets ``handler`` and ``prog``.
    """

    name: str
    summary: str
    adder: str

    def add(self, subparsers: Any) -> None:
        """Import the command's module and add its parser.

        Args:
            subparsers: the top-level subparsers.
        """
        module, function = self.adder.split(":")
        add_command: Callable[[Any], None] = getattr(
            importlib.import_module(f".{module}", __name__), function
        )
        add_command(subparsers)


SUBCOMMANDS: list[Command] = [
    Command("send", "send one text message, email or letter", "send:add_send_command"),
    Command(
        "status",
        "show one notification: its status and its history",
        "status:add_status_command",
    ),
    Command(
        "notifications",
        "list notifications, newest first, with filters",
        "notifications:add_notifications_command",
    ),
    Command("templates", "list the service's templates", "templates:add_templates_command"),
    Command("template", "show one template", "templates:add_template_command"),
    Command(
        "preview",
        "show a template filled in, without sending it",
        "templates:add_preview_command",
    ),
    Command(
        "received-texts",
        "list the text messages sent to the service",
        "received:add_received_texts_command",
    ),
    Command(
        "send-bulk",
        "send one message per row of a spreadsheet, never twice",
        "bulk:add_send_bulk_parser",
    ),
    Command(
        "sandbox",
        "run a local Notify-compatible API (the embedded sandbox), or act on one",
        "sandbox:add_sandbox_command",
    ),
    Command(
        "completion",
        "print the shell code for tab completion (bash, zsh)",
        "completion:add_completion_command",
    ),
]
"""The commands, in the order ``--help`` lists them."""

_DESCRIPTION = """\
Work with GOV.UK Notify from a terminal: send a message, see what happened to it, list
notifications, templates and received text messages, send to every row of a spreadsheet,
run a local sandbox.

Commands that call the API read the key from NOTIFY_API_KEY (never from the command line) and
the base URL from --base-url or NOTIFY_BASE_URL. They print a readable table or block, or with
--json the API's objects as JSON (one a line for lists). Errors are one line on stderr."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``govuk-notify`` parser with every command of :data:`SUBCOMMANDS`.

    Args:
        only: build this command's parser in full and the others as their names and summaries
            alone (enough for ``--help`` and for choosing the command), importing only its
            module; None builds every command in full.

    Returns:
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="govuk-notify",
        description=_DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in SUBCOMMANDS:
        if only is None or command.name == only:
            command.add(subparsers)
        else:
            # A stand-in: never parsed with (naming the command builds it in full), so it needs
            # no -h of its own, which would cost a formatter each.
            subparsers.add_parser(command.name, help=command.summary, add_help=False)
    return parser


def _chosen_command(argv: Sequence[str]) -> str:
    """The command named in ``argv`` ("" when none is), so that only it is built in full."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            continue
        return arg if any(c.name == arg for c in SUBCOMMANDS) else ""
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``govuk-notify`` with these arguments.

    Args:
        argv: the arguments after the program's name (default: ``sys.argv[1:]``).

    Returns:
        The exit code (see ``govuk-notify --help``).
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if "_ARGCOMPLETE" in os.environ:
        parser = build_parser()
        from .completion import autocomplete

        autocomplete(parser)
    else:
        parser = build_parser(only=_chosen_command(arguments))
    args = parser.parse_args(arguments)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return run_handler(handler, args, getattr(args, "prog", parser.prog))
