"""What every API command of ``govuk-notify`` shares.

Exit codes, the key and base URL, the common options, argument types, and turning an error into
one line on stderr.

Nothing here imports pydantic, requests or the client at module level: ``govuk-notify --help``
must stay fast. The client is imported when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ._args import (
    name_value,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
)

if TYPE_CHECKING:
    from ..client import NotifyClient

__all__ = [
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_IN_DOUBT",
    "EXIT_NETWORK",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "CliError",
    "Handler",
    "HelpFormatter",
    "add_api_options",
    "add_personalisation_options",
    "client_from_env",
    "describe_error",
    "exit_code_for",
    "load_personalisation",
    "name_value",
    "non_negative_float",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "run_handler",
]

EXIT_OK = 0
"""Success."""
EXIT_REFUSED = 1
"""Notify answered with an error (refused, not found, rate limited, its own failure)."""
EXIT_USAGE = 2
"""Bad input: nothing was sent."""
EXIT_IN_DOUBT = 3
"""A send may or may not have reached Notify."""
EXIT_NETWORK = 4
"""No usable answer: connection refused, timeout, TLS, an answer that is not Notify's."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C."""

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    Notify refused the request (the error is printed in Notify's words)
  2    bad input: bad arguments, NOTIFY_API_KEY missing, a file unreadable; nothing was sent
  3    a send may or may not have reached Notify: look it up by its reference before sending
       again
  4    network: no usable answer from Notify (connection, timeout, TLS, not Notify's answer)
  130  interrupted (Ctrl-C)

environment:
  NOTIFY_API_KEY   the API key (never given on the command line)
  NOTIFY_BASE_URL  the API's base URL when --base-url is not given (default: Notify's)
  NO_COLOR         set to anything to turn colour off (colour is only used on a terminal)
"""

Handler = Callable[[argparse.Namespace], int]
"""A command: takes the parsed arguments, returns the exit code."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps descriptions and epilogs to the terminal's width, but keeps listings as written.

    A paragraph is kept as written when a line of it is indented or ends with ``:`` (a listing
    such as the exit codes).
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        # Never break a status such as permanent-failure at its hyphen.
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.strip("\n").split("\n\n"):
            lines = paragraph.split("\n")
            if any(line.startswith(" ") or line.endswith(":") for line in lines):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(
                    textwrap.fill(
                        " ".join(paragraph.split()),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                    )
                )
        return "\n\n".join(paragraphs)


class CliError(Exception):
    """Bad input found before anything was sent; the message is printed, the exit code is 2."""


# --- common options ----------------------------------------------------------------------------


def add_api_options(parser: argparse.ArgumentParser, *, json_help: str) -> None:
    """Add ``--base-url`` and ``--json`` to a command that calls the API.

    Args:
        parser: the command's parser.
        json_help: what ``--json`` prints for this command.
    """
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the API's base URL (default: NOTIFY_BASE_URL, else Notify's)",
    )
    parser.add_argument("--json", action="store_true", help=json_help)


def add_personalisation_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--set NAME=VALUE`` (repeatable) and ``--personalisation FILE.json``.

    Args:
        parser: the command's parser.
    """
    parser.add_argument(
        "--set",
        dest="values",
        metavar="NAME=VALUE",
        type=name_value,
        action="append",
        default=[],
        help="a personalisation value (repeat for each placeholder; wins over the file)",
    )
    parser.add_argument(
        "--personalisation",
        metavar="FILE",
        help="a JSON file holding an object of personalisation values",
    )


def load_personalisation(args: argparse.Namespace) -> dict[str, Any] | None:
    """The personalisation from ``--personalisation FILE`` and the ``--set`` values.

    Args:
        args: parsed arguments with ``personalisation`` (a path or None) and ``values``.

    Returns:
        The values by placeholder name, or None when neither option was given.

    Raises:
        CliError: the file cannot be read, is not JSON, or does not hold an object.
    """
    values: dict[str, Any] | None = None
    if args.personalisation is not None:
        path = args.personalisation
        import json

        try:
            with open(path, encoding="utf-8") as file:
                loaded = json.load(file)
        except OSError as err:
            raise CliError(f"--personalisation: cannot read {path}: {err.strerror}") from None
        except (ValueError, UnicodeDecodeError) as err:
            raise CliError(f"--personalisation: {path} is not valid JSON: {err}") from None
        if not isinstance(loaded, dict):
            raise CliError(f"--personalisation: {path} must hold a JSON object")
        values = loaded
    pairs: Sequence[tuple[str, str]] = args.values
    if pairs:
        values = dict(values or {})
        values.update(pairs)
    return values


# --- the client --------------------------------------------------------------------------------


def client_from_env(
    args: argparse.Namespace, environ: Mapping[str, str] | None = None
) -> NotifyClient:
    """A client with the key from ``NOTIFY_API_KEY``.

    The base URL is ``--base-url``, else ``NOTIFY_BASE_URL``, else Notify's.

    Args:
        args: parsed arguments with ``base_url``.
        environ: the environment (default: ``os.environ``).

    Returns:
        The client; the caller closes it.

    Raises:
        CliError: no key, or a key or base URL the client refuses (the message never holds the
            key).
    """
    from ..client import DEFAULT_BASE_URL, NotifyClient
    from ..errors import ConfigurationError

    env = os.environ if environ is None else environ
    api_key = env.get("NOTIFY_API_KEY", "").strip()
    if not api_key:
        raise CliError("set NOTIFY_API_KEY to the API key")
    base_url = getattr(args, "base_url", None) or env.get("NOTIFY_BASE_URL") or DEFAULT_BASE_URL
    try:
        return NotifyClient(api_key, base_url=base_url, timeout=(10.0, 30.0))
    except ConfigurationError as err:
        raise CliError(str(err)) from None


# --- errors ------------------------------------------------------------------------------------


def exit_code_for(error: BaseException) -> int:
    """The exit code for an error a command let through.

    Args:
        error: the error.

    Returns:
        One of the ``EXIT_*`` codes.
    """
    from ..errors import (
        APIError,
        InvalidResponseError,
        NotifyConnectionError,
        SendStatusUnknownError,
    )

    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, SendStatusUnknownError):
        return EXIT_IN_DOUBT
    if isinstance(error, InvalidResponseError):
        return EXIT_IN_DOUBT if error.status_code == 201 else EXIT_NETWORK
    if isinstance(error, APIError):
        return EXIT_REFUSED
    if isinstance(error, NotifyConnectionError):
        return EXIT_NETWORK
    return EXIT_USAGE


def describe_error(error: BaseException) -> str:
    """One line saying what went wrong, in Notify's words when Notify answered.

    Args:
        error: the error (an SDK error, pydantic's ``ValidationError``, ``CliError``, ...).

    Returns:
        The text, without newlines. It never holds the key or a token: the SDK's errors never
        do, and pydantic's errors are described without their input.
    """
    import shlex

    from ..errors import APIError, SendStatusUnknownError

    if isinstance(error, SendStatusUnknownError):
        look_up = (
            "look it up with: govuk-notify notifications --reference "
            + shlex.quote(error.reference)
            if error.reference is not None
            else "it had no --reference, so look for it in: govuk-notify notifications"
        )
        text = (
            f"the message may have reached Notify ({error.reason}); it was not retried. "
            f"Before sending it again, {look_up}"
        )
    elif isinstance(error, APIError):
        words = error.message or "no details given"
        text = f"Notify refused it ({error.status_code} {', '.join(error.error_names)}): {words}"
    elif _is_validation_error(error):
        text = _describe_validation(error)
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())


def _is_validation_error(error: BaseException) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(error, pydantic.ValidationError)


def _describe_validation(error: Any) -> str:
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"]) or "the request"
        parts.append(f"{where}: {item['msg']}")
    return "invalid input, nothing was sent: " + "; ".join(parts)


def run_handler(
    handler: Handler, args: argparse.Namespace, prog: str, err: TextIO | None = None
) -> int:
    """Run a command, turning what it raises into one line on stderr and an exit code.

    Args:
        handler: the command.
        args: its parsed arguments.
        prog: the command's name for the message (``govuk-notify send sms``).
        err: where errors go (default: ``sys.stderr``).

    Returns:
        The exit code.
    """
    from .output import Style

    stream = sys.stderr if err is None else err
    try:
        return handler(args)
    except KeyboardInterrupt:
        stream.write("\nInterrupted.\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): nothing to say, and nobody to say it to.
        _silence_stdout()
        return EXIT_OK
    except Exception as error:
        if not (isinstance(error, (CliError, ValueError, OSError)) or _is_notify_error(error)):
            raise
        style = Style.for_stream(stream)
        stream.write(f"{prog}: {style.error('error:')} {describe_error(error)}\n")
        stream.flush()
        return exit_code_for(error)


def _is_notify_error(error: BaseException) -> bool:
    from ..errors import NotifyError

    return isinstance(error, NotifyError)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
