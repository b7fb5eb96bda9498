"""``govuk-notify send-bulk``: one message per row of a spreadsheet, never sent twice.

The rows go at the rate limit, and no message goes twice: not after ``kill -9``, and not after
the file is edited.

A message is its recipient, template and personalisation (see
:mod:`govuk_notify.bulk_identity`); the journal (``<file>.journal.sqlite3``) records each one's
state, so rerunning the same command after any edit sends exactly the messages not sent before.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from .files import SUPPORTED_EXTENSIONS, InputError, read_rows
from .journal import bind_job, default_journal_path, open_journal, sent_by_other_journals
from .planning import build_requests, check_headers, plan_job
from .report import Output, report_interrupted, report_plan, report_result
from .sending import send_rows

if TYPE_CHECKING:
    from ...bulk_journal import SendJournal
    from ...client import NotifyClient
    from ...models.responses import Template
    from .planning import PlannedRow

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "add_send_bulk_parser",
    "run_send_bulk",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNKNOWN = 3
EXIT_INTERRUPTED = 130

DEFAULT_SETTLE_TIME = 120.0
"""Seconds after its last attempt before an absent message counts as never sent. The CLI's
client gives up connecting after 10 s, so a request reaches Notify well within this."""

_EXIT_CODES_HELP = """\
exit codes:
  0    every message was sent (rows skipped by --skip-invalid are listed)
  1    Notify refused some messages (listed); they were not sent, and a rerun tries them again
  2    nothing was sent: bad arguments, NOTIFY_API_KEY missing, the file, the template or the
       journal could not be used, or invalid rows without --skip-invalid
  3    some messages may or may not have been sent and could not be checked yet (listed with
       their references); run the same command again later to resolve them
  130  interrupted (Ctrl-C): run the same command again to continue where it stopped
"""

_DESCRIPTION = f"""\
Send one message per row of a spreadsheet ({", ".join(SUPPORTED_EXTENSIONS)}; the first sheet)
with a template: the columns are the personalisation, and the recipient is in the column Notify's
spreadsheet upload uses: "phone number" (text messages), "email address" (emails), or "address
line 1" to "address line 7" and "postcode" (letters). Headers match ignoring case, spaces, "_"
and "-". Row numbers are the spreadsheet's: the header is row 1.

Every row is checked before the first send; invalid rows are listed and nothing is sent unless
--skip-invalid is given. Each message (its recipient as Notify normalises it, the template, and
the placeholders' values) is recorded in a journal (<file>.journal.sqlite3 by default). Run the
same command again, after a crash, Ctrl-C or kill -9, or after editing the file (fixing,
changing, adding, removing or reordering rows), and it sends exactly the messages not sent
before. A message whose outcome was lost is looked up by its reference before it is sent again.
To send the same messages again on purpose, use --new-job (or another --journal).

.xlsx, .xls and .ods files need: pip install 'govuk-notify[spreadsheets]'.
The API key is read from NOTIFY_API_KEY; the base URL from --base-url, NOTIFY_BASE_URL, or
Notify's own."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def _reference_prefix(text: str) -> str:
    if not text or len(text) > 100 or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError("must be 1 to 100 characters without spaces")
    return text


def add_send_bulk_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``send-bulk`` to the ``govuk-notify`` command's subparsers."""
    parser = subparsers.add_parser(
        "send-bulk",
        help="send one message per row of a spreadsheet, never twice",
        description=_DESCRIPTION,
        epilog=_EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--template", required=True, metavar="ID", help="the template's id")
    parser.add_argument(
        "--file",
        "--csv",
        dest="file",
        required=True,
        metavar="FILE",
        help="the spreadsheet: .csv or .tsv (UTF-8), .xlsx, .xls or .ods (--csv is an alias)",
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="the API's base URL (default: NOTIFY_BASE_URL)"
    )
    parser.add_argument(
        "--journal", metavar="PATH", help="the journal file (default: <file>.journal.sqlite3)"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the valid rows even if some are invalid (they are listed, never sent)",
    )
    parser.add_argument(
        "--new-job",
        action="store_true",
        help="send every row again, even the messages the journal shows as sent (it says how"
        " many before it starts)",
    )
    parser.add_argument(
        "--force-journal",
        action="store_true",
        help="use a journal made for another template or service",
    )
    parser.add_argument(
        "--workers", type=_positive_int, default=10, metavar="N", help="sends at once (10)"
    )
    parser.add_argument(
        "--rate-limit",
        type=_positive_int,
        default=3000,
        metavar="PER_MINUTE",
        help="the service's rate limit, requests per minute (3000)",
    )
    parser.add_argument(
        "--reference-prefix",
        type=_reference_prefix,
        default="bulk",
        metavar="TEXT",
        help="start of each message's reference, <TEXT>-<16 hex digits of the message> (bulk)",
    )
    parser.add_argument(
        "--settle-time",
        type=_non_negative_float,
        default=DEFAULT_SETTLE_TIME,
        metavar="SECONDS",
        help="how long after its last attempt a message Notify does not have counts as never"
        f" sent, and is sent again ({DEFAULT_SETTLE_TIME:g})",
    )
    parser.set_defaults(handler=run_send_bulk)


def run_send_bulk(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], object] | None = None,
) -> int:
    """Run ``send-bulk``.

    Args:
        args: The parsed arguments.
        stdout: Where the report goes (``sys.stdout``).
        stderr: Where progress and errors go (``sys.stderr``).
        environ: The environment (``os.environ``).
        clock: Seconds since the epoch, for the journal and the checks of messages in doubt.
        sleep: Waits before re-checking messages in doubt (by default on an event that is
            never set: as ``time.sleep``, and interruptible by Ctrl-C).

    Returns:
        The exit code (see ``govuk-notify send-bulk --help``).
    """
    output = Output(stdout or sys.stdout, stderr or sys.stderr)
    env = os.environ if environ is None else environ
    try:
        return _send_bulk(args, output, env, clock, sleep or threading.Event().wait)
    except InputError as err:
        output.warn(f"govuk-notify send-bulk: {err}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        output.say("Interrupted before anything was sent.")
        return EXIT_INTERRUPTED


def _connect(args: argparse.Namespace, env: Mapping[str, str]) -> NotifyClient:
    from ...client import DEFAULT_BASE_URL, NotifyClient
    from ...errors import ConfigurationError

    api_key = env.get("NOTIFY_API_KEY", "").strip()
    if not api_key:
        raise InputError("set NOTIFY_API_KEY to the API key")
    base_url = args.base_url or env.get("NOTIFY_BASE_URL") or DEFAULT_BASE_URL
    try:
        return NotifyClient(api_key, base_url=base_url, timeout=(10.0, 30.0))
    except ConfigurationError as err:
        raise InputError(str(err)) from None


def _template(client: NotifyClient, template_id: str) -> Template:
    from ...errors import NotifyError

    try:
        return client.get_template(template_id)
    except ValueError as err:  # not a UUID
        raise InputError(f"--template: {err}") from None
    except NotifyError as err:
        raise InputError(f"cannot get template {template_id}: {err}") from None


def _send_bulk(
    args: argparse.Namespace,
    output: Output,
    env: Mapping[str, str],
    clock: Callable[[], float],
    sleep: Callable[[float], object],
) -> int:
    sheet = read_rows(args.file)
    with contextlib.closing(_connect(args, env)) as client:
        template = _template(client, args.template)
        problems = check_headers(sheet, template)
        if problems:
            output.listing(f"{args.file} cannot be sent with this template:", problems)
            return EXIT_USAGE
        output.say(
            f"Checking {len(sheet.rows):,} row(s) of {args.file} with template {template.name!r}"
        )
        planned, invalid = build_requests(sheet, template)
        if invalid:
            output.listing(
                f"{len({p.row for p in invalid})} invalid row(s):", [str(p) for p in invalid]
            )
            if not args.skip_invalid:
                output.say(
                    "Nothing was sent. Fix the rows, or use --skip-invalid to send the rest."
                )
                return EXIT_USAGE
        journal_path = args.journal or default_journal_path(args.file)
        if not os.path.exists(journal_path) and not args.new_job:
            _refuse_messages_other_journals_sent(journal_path, args.file, template, planned)
        journal = open_journal(journal_path, clock=clock, settle_time=args.settle_time)
        with contextlib.closing(journal):
            return _run_job(args, output, client, template, planned, len(invalid), journal, sleep)


def _refuse_messages_other_journals_sent(
    journal_path: str, file_path: str, template: Template, planned: list[PlannedRow]
) -> None:
    """Refuse a new journal for messages another journal beside the file sent.

    The message says how to continue that job, or to send them again on purpose.
    """
    others = sent_by_other_journals(
        journal_path, file_path, str(template.id), [row.key for row in planned]
    )
    if others:
        found = "; ".join(f"{n:,} by {path}" for path, n in others.items())
        raise InputError(
            f"some of these messages were sent already ({found}). Nothing was sent. To"
            f" continue that job use --journal {next(iter(others))}; to send them again use"
            " --new-job"
        )


def _run_job(
    args: argparse.Namespace,
    output: Output,
    client: NotifyClient,
    template: Template,
    planned: list[PlannedRow],
    invalid_rows: int,
    journal: SendJournal,
    sleep: Callable[[float], object],
) -> int:
    from ...bulk_resume import check_in_doubt

    binding = bind_job(
        journal,
        service_id=client.service_id,
        template_id=str(template.id),
        template_name=template.name,
        reference_prefix=args.reference_prefix,
        force=args.force_journal,
        new_job=args.new_job,
        note=output.warn,
    )
    if args.new_job and binding.job == 1:
        output.say(f"New journal {journal.path}: every row of the file is sent (--new-job).")
    elif args.new_job:
        output.say(
            f"Starting job {binding.job} in the journal {journal.path}: every row of the file"
            f" is sent again, even if job {binding.job - 1} sent it (job {binding.job - 1} sent"
            f" {binding.sent_by_previous_job:,} message(s))."
        )
    plan = plan_job(planned, binding.reference_prefix, binding.job, journal.entries())
    journal.add((r.key, str(r.request.reference), str(template.id), r.number) for r in plan.rows)
    by_key = {row.key: row for row in plan.rows}
    unresolved: dict[str, str] = {}
    duplicates: dict[str, int] = {}
    try:
        if plan.in_doubt:
            output.say(
                f"Checking {len(plan.in_doubt)} message(s) from an earlier run whose outcome is"
                " unknown"
            )
            entries = journal.entries()
            check = check_in_doubt(client, [entries[r.key] for r in plan.in_doubt], journal)
            unresolved.update(check.unresolved)
            duplicates.update(check.duplicates)
            plan = plan_job(planned, binding.reference_prefix, binding.job, journal.entries())
        report_plan(output, template, plan, invalid_rows, journal)
        send_rows(args, output, client, journal, plan.to_send)

        # Messages still in doubt: the ones an earlier run left that were too recent to decide,
        # and the ones this run lost the answer of. Wait until a look-up can decide.
        entries = journal.entries()
        recheck = [
            entries[key]
            for key in by_key
            if key in entries and entries[key].in_doubt and key not in unresolved
        ]
        if recheck:
            now = journal.clock()
            deadline = max((e.last_attempt_at or now) + journal.settle_time for e in recheck)
            if deadline > now:
                output.say(
                    f"Waiting {deadline - now:.0f} s before checking {len(recheck)} message(s)"
                    " whose outcome is unknown (a request may still be on its way)"
                )
                sleep(deadline - now)
            check = check_in_doubt(client, recheck, journal)
            unresolved.update(check.unresolved)
            duplicates.update(check.duplicates)
            send_rows(args, output, client, journal, [by_key[key] for key in check.absent])
    except KeyboardInterrupt:
        report_interrupted(output, journal, by_key)
        return EXIT_INTERRUPTED
    outcome = report_result(
        output, journal, by_key, len(plan.already_sent), invalid_rows, duplicates, unresolved
    )
    return {"ok": EXIT_OK, "failed": EXIT_FAILED, "unknown": EXIT_UNKNOWN}[outcome]
