"""``govuk-notify templates``, ``template ID`` and ``preview ID``: the service's templates."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING, Any

from ._common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    HelpFormatter,
    add_api_options,
    add_personalisation_options,
    client_from_env,
    load_personalisation,
    positive_int,
)
from .completion import template_ids
from .output import Style, block, local_and_utc, local_time, one_line, print_json, table

if TYPE_CHECKING:
    from ..models.responses import Template

__all__ = ["add_preview_command", "add_template_command", "add_templates_command"]


def _parser(subparsers: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.set_defaults(prog=parser.prog)
    return parser


def _template_id_argument(parser: argparse.ArgumentParser) -> None:
    action = parser.add_argument("template_id", metavar="ID", help="the template's id")
    action.completer = template_ids  # type: ignore[attr-defined]


def add_templates_command(subparsers: Any) -> None:
    """Add ``templates`` (the list) to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser = _parser(
        subparsers,
        "templates",
        "list the service's templates",
        "List the latest version of every template of the service.",
    )
    parser.add_argument(
        "--type", dest="template_type", choices=("sms", "email", "letter"), help="only this kind"
    )
    add_api_options(parser, json_help="print each template as JSON, one a line")
    parser.set_defaults(handler=_templates)


def add_template_command(subparsers: Any) -> None:
    """Add ``template ID [--version N]`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser = _parser(
        subparsers,
        "template",
        "show one template",
        "Show a template: its name, type, version, placeholders, subject and body.",
    )
    _template_id_argument(parser)
    parser.add_argument(
        "--version", metavar="N", type=positive_int, help="this version (default: the latest)"
    )
    add_api_options(parser, json_help="print the template as JSON (one object)")
    parser.set_defaults(handler=_template)


def add_preview_command(subparsers: Any) -> None:
    """Add ``preview ID --set NAME=VALUE ...`` to the ``govuk-notify`` subparsers.

    Args:
        subparsers: the top-level subparsers.
    """
    parser = _parser(
        subparsers,
        "preview",
        "show a template filled in, without sending it",
        "Show a template's subject and body with the personalisation filled in, as Notify "
        "renders them. Nothing is sent.",
    )
    _template_id_argument(parser)
    add_personalisation_options(parser)
    add_api_options(parser, json_help="print Notify's preview as JSON (one object)")
    parser.set_defaults(handler=_preview)


def _templates(args: argparse.Namespace) -> int:
    with contextlib.closing(client_from_env(args)) as client:
        templates = client.get_all_templates(args.template_type).templates
    if args.json:
        print_json(templates, sys.stdout)
        return EXIT_OK
    if not templates:
        sys.stderr.write("No templates.\n")
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    rows = (
        [
            str(t.id),
            t.type.value,
            str(t.version),
            local_time(t.updated_at or t.created_at),
            one_line(t.name, 50),
        ]
        for t in templates
    )
    print(table(["ID", "TYPE", "VERSION", "UPDATED", "NAME"], rows, style))
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    with contextlib.closing(client_from_env(args)) as client:
        if args.version is None:
            template = client.get_template(args.template_id)
        else:
            template = client.get_template_version(args.template_id, args.version)
    if args.json:
        print_json([template], sys.stdout)
    else:
        print(describe_template(template, Style.for_stream(sys.stdout)))
    return EXIT_OK


def describe_template(template: Template, style: Style) -> str:
    """A template as a block of fields.

    Args:
        template: the template.
        style: how to print.

    Returns:
        The block, without a final newline.
    """
    t = template
    placeholders = ", ".join(
        name if info.required else f"{name} (optional)"
        for name, info in (t.personalisation or {}).items()
    )
    fields = [
        ("name", t.name),
        ("id", str(t.id)),
        ("type", t.type.value),
        ("version", str(t.version)),
        ("created", local_and_utc(t.created_at)),
        ("updated", local_and_utc(t.updated_at)),
        ("created by", t.created_by),
        ("postage", t.postage.value if t.postage is not None else ""),
        ("placeholders", placeholders),
        ("letter contact", t.letter_contact_block or ""),
        ("subject", t.subject or ""),
        ("body", t.body),
    ]
    return block(fields, style)


def _preview(args: argparse.Namespace) -> int:
    personalisation = load_personalisation(args)
    with contextlib.closing(client_from_env(args)) as client:
        preview = client.post_template_preview(args.template_id, personalisation)
    if args.json:
        print_json([preview], sys.stdout)
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    if preview.subject is not None:
        print(f"{style.heading('Subject:')} {preview.subject}\n")
    print(preview.body)
    return EXIT_OK
