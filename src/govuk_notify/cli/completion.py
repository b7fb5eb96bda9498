"""Shell completion for ``govuk-notify`` (bash and zsh), with argcomplete.

argcomplete is an optional extra: ``pip install 'govuk-notify[completion]'``.

argcomplete is imported only while a shell asks for completions (``_ARGCOMPLETE`` is set) or
``govuk-notify completion`` prints the shell code, so ``govuk-notify --help`` never pays for it.

Example:
    In ``~/.bashrc`` (or ``~/.zshrc``)::

        eval "$(govuk-notify completion bash)"    # or: completion zsh
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import Any

from ._common import HelpFormatter

__all__ = ["add_completion_command", "autocomplete", "template_ids"]

_MISSING = (
    "shell completion needs argcomplete: pip install 'govuk-notify[completion]'"
    " (or pip install argcomplete)"
)


def _argcomplete() -> Any:
    try:
        import argcomplete
    except ImportError:
        from ._common import CliError

        raise CliError(_MISSING) from None
    return argcomplete


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit, when one is under way.

    Does nothing when argcomplete is not installed (the shell then gets no completions rather
    than an error in the middle of the command line).

    Args:
        parser: the ``govuk-notify`` parser.
    """
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)


def template_ids(prefix: str, parsed_args: argparse.Namespace, **kwargs: Any) -> dict[str, str]:
    """An argcomplete completer: the ids of the service's templates, with their names.

    Only when ``NOTIFY_API_KEY`` is set; no key, or no answer within a few seconds: nothing.

    Args:
        prefix: what is typed of the id so far.
        parsed_args: the arguments parsed so far (``base_url`` may be among them).
        **kwargs: what else argcomplete passes.

    Returns:
        The matching ids, each with ``type: name`` as its description.
    """
    key = os.environ.get("NOTIFY_API_KEY", "").strip()
    if not key:
        return {}
    from ..client import DEFAULT_BASE_URL, NotifyClient
    from ..errors import NotifyError

    base_url = (
        getattr(parsed_args, "base_url", None)
        or os.environ.get("NOTIFY_BASE_URL")
        or DEFAULT_BASE_URL
    )
    try:
        with NotifyClient(key, base_url=base_url, timeout=(3.0, 5.0)) as client:
            templates = client.get_all_templates().templates
    except (NotifyError, ValueError):
        return {}
    return {
        str(t.id): f"{t.type.value}: {t.name}" for t in templates if str(t.id).startswith(prefix)
    }


# --- govuk-notify completion -------------------------------------------------------------------


def add_completion_command(subparsers: Any) -> None:
    """Add ``completion SHELL`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "completion",
        help="print the shell code for tab completion (bash, zsh)",
        description=(
            "Print the code that makes your shell complete govuk-notify's commands, options and "
            "template ids (when NOTIFY_API_KEY is set). Needs argcomplete: "
            "pip install 'govuk-notify[completion]'."
        ),
        epilog=(
            "install:\n"
            "  bash:  echo 'eval \"$(govuk-notify completion bash)\"' >> ~/.bashrc\n"
            "  zsh:   echo 'eval \"$(govuk-notify completion zsh)\"' >> ~/.zshrc\n"
            "         (after compinit: autoload -U compinit && compinit)\n"
        ),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("shell", choices=("bash", "zsh"), help="your shell")
    parser.set_defaults(handler=_print_shellcode, prog=parser.prog)


def _print_shellcode(args: argparse.Namespace) -> int:
    argcomplete = _argcomplete()
    code: str = argcomplete.shellcode(["govuk-notify"], shell=args.shell)
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.write(code)
        sys.stdout.flush()
    return 0
