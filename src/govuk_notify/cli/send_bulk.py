"""``govuk-notify send-bulk``: one message per row of a CSV file, at the rate limit, resumable
without sending anything twice.

Every row's state is kept in a SQLite journal, keyed by the CSV's content (SHA-256) and the
template id::

    pending --> sending --> sent      (Notify answered with the notification's id)
                        \\-> failed    (refused, or never left: certainly not sent)
                        \\-> unknown   (the request went out, the answer was lost)

``sending`` is committed to disk *before* the request goes out, with the row's own reference
(``<prefix>-<CSV hash[:8]>-<row number>``). A run that is killed at any point leaves every row
either unsent (``pending``/``failed``), recorded (``sent``), or in doubt (``sending``/``unknown``).
The next run with the same CSV and template looks each row in doubt up by its reference
(``get_all_notifications(reference=...)``): found, it is ``sent``; absent, it is sent again only
once its last attempt is older than ``--settle-time`` (a request still on its way could otherwise
land after the look-up) and younger than Notify's shortest data retention (3 days), which is
what proves it absent. Rows that cannot be proved either way are listed, and the exit code is 3.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import os
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO

if TYPE_CHECKING:
    from ..bulk import AnyRequest, BulkProgress, BulkResult
    from ..client import NotifyClient
    from ..models.responses import Template

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "Journal",
    "RowProblem",
    "add_send_bulk_parser",
    "normalise_header",
    "run_send_bulk",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNKNOWN = 3
EXIT_INTERRUPTED = 130

DEFAULT_SETTLE_TIME = 120.0
"""Seconds after its last attempt before an absent row counts as never sent. The CLI's client
gives up connecting after 10 s (twice more on a refused connection), so a request reaches Notify
well within this, and Notify answers (or fails) in under a minute."""
RETENTION_FLOOR = 3 * 24 * 3600.0
"""Notify keeps notifications for 3 to 90 days (7 by default): a look-up finding nothing for an
older attempt proves nothing."""

_EXIT_CODES_HELP = """\
exit codes:
  0    every row was sent (rows skipped by --skip-invalid are listed)
  1    Notify refused some rows (listed); they were not sent, and a rerun tries them again
  2    nothing was sent: bad arguments, NOTIFY_API_KEY missing, the CSV or the template could
       not be read, or invalid rows without --skip-invalid
  3    some rows may or may not have been sent and could not be checked yet (listed with their
       references); run the same command again later to resolve them
  130  interrupted (Ctrl-C): run the same command again to continue where it stopped
"""

_DESCRIPTION = """\
Send one message per row of a CSV file with a template: the columns are the personalisation,
and the recipient is in the column Notify's spreadsheet upload uses: "phone number" (text
messages), "email address" (emails), or "address line 1" to "address line 7" and "postcode"
(letters). Headers match ignoring case, spaces, "_" and "-". Row numbers are spreadsheet rows:
the header is row 1.

Every row is checked before the first send; invalid rows are listed and nothing is sent unless
--skip-invalid is given. Progress is kept in a journal (<csv>.journal.sqlite3 by default):
stopped at any point, even by kill -9, the same command sends only the rows not sent yet. Rows
whose outcome was lost (the request went out, the answer did not come back) are looked up by
their reference before anything is sent again. An edited CSV is a new job.

The API key is read from NOTIFY_API_KEY; the base URL from --base-url, NOTIFY_BASE_URL, or
Notify's own."""

RowState = Literal["pending", "sending", "sent", "failed", "unknown"]


def normalise_header(header: str) -> str:
    """A header as Notify matches it: lower case, without spaces, ``_`` and ``-``."""
    return header.translate({ord(c): None for c in " _-"}).lower()


# --- the CSV --------------------------------------------------------------------------------


_ADDRESS_KEYS = {f"addressline{n}": f"address_line_{n}" for n in range(1, 8)} | {
    "postcode": "postcode"
}
_RECIPIENT_NAMES = {
    "sms": "phone number",
    "email": "email address",
    "letter": "address line 1",
}


class InputError(Exception):
    """A problem with the input that stops the command before anything is sent."""


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be sent."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.reason}"


@dataclass(frozen=True)
class CsvRow:
    number: int
    """The spreadsheet row (the header is row 1)."""
    values: dict[str, str | None]
    """Header -> stripped cell; empty cells are None."""
    extra_cells: int


@dataclass(frozen=True)
class CsvFile:
    sha256: str
    headers: list[str]
    rows: list[CsvRow]


def read_csv(path: str) -> CsvFile:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text (save the spreadsheet as CSV UTF-8)") from None
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header_cells = next(records, None)
        if header_cells is None:
            raise InputError(f"{path} is empty")
        headers = [cell.strip() for cell in header_cells]
        rows: list[CsvRow] = []
        for offset, cells in enumerate(records):
            stripped = [cell.strip() for cell in cells]
            if not any(stripped):
                continue  # a blank line
            values: dict[str, str | None] = {}
            for header, cell in zip(headers, stripped, strict=False):
                if header:
                    values[header] = cell or None
            extra = sum(1 for cell in stripped[len(headers) :] if cell)
            rows.append(CsvRow(number=offset + 2, values=values, extra_cells=extra))
    except csv.Error as err:
        raise InputError(f"{path} is not a valid CSV file: {err}") from None
    return CsvFile(hashlib.sha256(data).hexdigest(), headers, rows)


def check_headers(csv_file: CsvFile, template: Template) -> list[str]:
    """File-level problems: a missing recipient column, columns that Notify would read as the
    same one, placeholders without a column."""
    kind = template.type.value
    problems: list[str] = []
    seen: dict[str, str] = {}
    for header in csv_file.headers:
        if not header:
            continue
        key = normalise_header(header)
        if key in seen:
            problems.append(f"columns {seen[key]!r} and {header!r} are the same column to Notify")
        seen.setdefault(key, header)
    if normalise_header(_RECIPIENT_NAMES[kind]) not in seen:
        problems.append(f"there is no {_RECIPIENT_NAMES[kind]!r} column (for a {kind} template)")
    for name in template.missing_personalisation(dict.fromkeys(seen, "")):
        problems.append(f"there is no column for the template's placeholder (({name}))")
    return problems


def _recipient_header(csv_file: CsvFile, key: str) -> str:
    return next(h for h in csv_file.headers if h and normalise_header(h) == key)


@dataclass(frozen=True)
class PlannedRow:
    number: int
    reference: str
    request: AnyRequest


def build_requests(
    csv_file: CsvFile, template: Template, reference_prefix: str
) -> tuple[list[PlannedRow], list[RowProblem]]:
    """A request model per row (validated as the server would), and the rows' problems."""
    from pydantic import ValidationError

    from ..models.requests import EmailRequest, LetterRequest, SmsRequest

    kind = template.type.value
    recipient_key = normalise_header(_RECIPIENT_NAMES[kind])
    recipient_column = _recipient_header(csv_file, recipient_key)
    address_columns = {
        _ADDRESS_KEYS[normalise_header(h)]: h
        for h in csv_file.headers
        if h and normalise_header(h) in _ADDRESS_KEYS
    }
    planned: list[PlannedRow] = []
    problems: list[RowProblem] = []
    for row in csv_file.rows:
        reference = f"{reference_prefix}-{csv_file.sha256[:8]}-{row.number}"
        row_problems: list[RowProblem] = []
        if row.extra_cells:
            row_problems.append(
                RowProblem(row.number, "(no header)", f"{row.extra_cells} cell(s) past the header")
            )
        if kind == "letter":
            personalisation: dict[str, Any] = {
                header: value
                for header, value in row.values.items()
                if value is not None and normalise_header(header) not in _ADDRESS_KEYS
            }
            for key, header in address_columns.items():
                if row.values.get(header) is not None:
                    personalisation[key] = row.values[header]
        else:
            personalisation = {k: v for k, v in row.values.items() if v is not None}
        if row.values.get(recipient_column) is None:
            row_problems.append(RowProblem(row.number, recipient_column, "empty"))
        for name in template.missing_personalisation(personalisation):
            column = next(
                (h for h in row.values if normalise_header(h) == normalise_header(name)), name
            )
            row_problems.append(
                RowProblem(row.number, column, f"empty: the template needs (({name}))")
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        request: AnyRequest
        try:
            if kind == "sms":
                request = SmsRequest(
                    phone_number=row.values[recipient_column] or "",
                    template_id=template.id,
                    personalisation=personalisation,
                    reference=reference,
                )
            elif kind == "email":
                request = EmailRequest(
                    email_address=row.values[recipient_column] or "",
                    template_id=template.id,
                    personalisation=personalisation,
                    reference=reference,
                )
            else:
                request = LetterRequest.model_validate(
                    {
                        "template_id": template.id,
                        "personalisation": personalisation,
                        "reference": reference,
                    }
                )
        except ValidationError as err:
            for error in err.errors(include_url=False, include_input=False):
                field = str(error["loc"][0]) if error["loc"] else ""
                if field in ("phone_number", "email_address"):
                    column = recipient_column
                elif field == "reference":
                    column = "(reference, from --reference-prefix)"
                elif kind == "letter" and field == "personalisation":
                    column = "address"
                else:
                    column = ".".join(str(part) for part in error["loc"]) or "(row)"
                problems.append(RowProblem(row.number, column, error["msg"]))
            continue
        planned.append(PlannedRow(row.number, reference, request))
    return planned, problems


# --- the journal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalRow:
    row: int
    reference: str
    state: RowState
    notification_id: str | None
    error: str | None
    last_attempt_at: float | None


class JournalBusyError(Exception):
    """Another run is using the journal."""


class Journal:
    """The rows of one job (a CSV's content and a template), in SQLite.

    Safe to use from many threads. Every change is committed on its own, in WAL mode with
    ``synchronous=FULL``: what a call wrote survives the process being killed straight after.
    """

    def __init__(self, path: str, csv_sha256: str, template_id: str) -> None:
        self.path = path
        self.key = (csv_sha256, template_id)
        self._lock = threading.Lock()
        self._lock_file = _exclusive_lock(path + ".lock")
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(
                """
                CREATE TABLE IF NOT EXISTS jobs (
                    csv_sha256 TEXT NOT NULL,
                    template_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    reference_prefix TEXT NOT NULL,
                    csv_path TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (csv_sha256, template_id)
                );
                CREATE TABLE IF NOT EXISTS rows (
                    csv_sha256 TEXT NOT NULL,
                    template_id TEXT NOT NULL,
                    row INTEGER NOT NULL,
                    reference TEXT NOT NULL,
                    state TEXT NOT NULL
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
                    notification_id TEXT,
                    error TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_attempt_at REAL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (csv_sha256, template_id, row)
                );
                """
            )
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def job(self, service_id: str, reference_prefix: str, csv_path: str) -> tuple[str, str]:
        """The job's service id and reference prefix, recording them on the first run."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO jobs VALUES (?, ?, ?, ?, ?, ?)",
                (*self.key, service_id, reference_prefix, csv_path, time.time()),
            )
            stored = self._db.execute(
                "SELECT service_id, reference_prefix FROM jobs"
                " WHERE csv_sha256 = ? AND template_id = ?",
                self.key,
            ).fetchone()
        return str(stored[0]), str(stored[1])

    def add_rows(self, rows: Sequence[tuple[int, str]]) -> None:
        """Record ``(row, reference)`` as pending, unless the row is known already."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT OR IGNORE INTO rows (csv_sha256, template_id, row, reference, state,"
                    " updated_at) VALUES (?, ?, ?, ?, 'pending', ?)",
                    [(*self.key, row, reference, now) for row, reference in rows],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def rows(self) -> dict[int, JournalRow]:
        with self._lock:
            found = self._db.execute(
                "SELECT row, reference, state, notification_id, error, last_attempt_at FROM rows"
                " WHERE csv_sha256 = ? AND template_id = ? ORDER BY row",
                self.key,
            ).fetchall()
        return {r[0]: JournalRow(*r) for r in found}

    def _update(self, row: int, sql: str, *values: object) -> None:
        with self._lock:
            self._db.execute(
                f"UPDATE rows SET {sql}, updated_at = ?"  # noqa: S608 (constant SQL)
                " WHERE csv_sha256 = ? AND template_id = ? AND row = ?",
                (*values, time.time(), *self.key, row),
            )

    def mark_sending(self, row: int) -> None:
        self._update(
            row,
            "state = 'sending', attempts = attempts + 1, last_attempt_at = ?",
            time.time(),
        )

    def mark_sent(self, row: int, notification_id: str) -> None:
        self._update(row, "state = 'sent', notification_id = ?, error = NULL", notification_id)

    def mark_failed(self, row: int, error: str) -> None:
        self._update(row, "state = 'failed', error = ?", error)

    def mark_unknown(self, row: int, error: str) -> None:
        self._update(row, "state = 'unknown', error = ?", error)

    def mark_pending(self, row: int) -> None:
        self._update(row, "state = 'pending'")


def _exclusive_lock(path: str) -> IO[bytes] | None:
    """Hold an exclusive lock on ``path`` until the file is closed (or the process dies), so
    that two runs cannot send the same job. Without ``fcntl`` (Windows) nothing is locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    handle = open(path, "ab")  # noqa: SIM115 (held open for the lock's lifetime)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise JournalBusyError(f"{path}: another send-bulk run is using this journal") from None
    return handle


# --- rows in doubt --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    sent: dict[int, str]
    """Row -> notification id, for rows found at Notify."""
    absent: list[int]
    """Rows proved never sent: safe to send."""
    waiting: dict[int, float]
    """Row -> when (time.time()) an absent look-up will prove it never sent."""
    unresolved: dict[int, str]
    """Rows that cannot be proved either way, and why."""
    duplicates: dict[int, int]
    """Rows found more than once (sent twice by something else), and how many times."""


def check_rows(
    client: NotifyClient,
    rows: Sequence[JournalRow],
    template_id: str,
    settle_time: float,
    now: float,
) -> Check:
    """Look each row in doubt up by its reference, and decide."""
    from ..errors import NotifyError

    check = Check({}, [], {}, {}, {})
    for row in rows:
        try:
            page = client.get_all_notifications(reference=row.reference)
        except NotifyError as err:
            check.unresolved[row.row] = f"the look-up failed: {err}"
            continue
        found = [
            n
            for n in page.notifications
            if n.reference == row.reference and str(n.template.id) == template_id
        ]
        if found:
            check.sent[row.row] = str(found[-1].id)  # the oldest, if there are several
            if len(found) > 1:
                check.duplicates[row.row] = len(found)
            continue
        attempted = row.last_attempt_at if row.last_attempt_at is not None else 0.0
        if now - attempted > RETENTION_FLOOR:
            check.unresolved[row.row] = (
                "last tried too long ago for Notify's records to prove it was not sent"
            )
        elif now - attempted >= settle_time:
            check.absent.append(row.row)
        else:
            check.waiting[row.row] = attempted + settle_time
    return check


# --- progress -------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """Sent, failed, rate and time left, on one line redrawn with ``\\r`` on a terminal, or a
    line every ``every`` seconds when the stream is not one."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.every = every
        self.clock = clock
        self._last_line = float("-inf")
        self._width = 0
        self._recent: deque[tuple[float, int]] = deque()

    def line(self, progress: BulkProgress) -> str:
        self._recent.append((progress.elapsed, progress.done))
        while len(self._recent) > 2 and progress.elapsed - self._recent[0][0] > 5.0:
            self._recent.popleft()
        first_at, first_done = self._recent[0]
        span = progress.elapsed - first_at
        rate = (progress.done - first_done) / span if span > 0.5 else progress.rate
        total = max(progress.total, 1)
        filled = int(20 * progress.done / total)
        left = "--:--" if progress.eta is None else _duration(progress.eta)
        return (
            f"[{'#' * filled}{'.' * (20 - filled)}] {progress.done:,}/{progress.total:,}"
            f"  sent {progress.sent:,}  failed {progress.failed:,}"
            + (f"  unknown {progress.unknown:,}" if progress.unknown else "")
            + f"  {rate:.1f}/s  {left} left"
        )

    def update(self, progress: BulkProgress) -> None:
        text = self.line(progress)
        finished = progress.done == progress.total
        if self.tty:
            padding = " " * max(0, self._width - len(text))
            self._width = len(text)
            self.stream.write("\r" + text + padding + ("\n" if finished else ""))
            self.stream.flush()
        else:
            now = self.clock()
            if finished or now - self._last_line >= self.every:
                self._last_line = now
                self.stream.write(text + "\n")
                self.stream.flush()

    def interrupted(self) -> None:
        if self.tty and self._width:
            self.stream.write("\n")
            self.stream.flush()


# --- the command ----------------------------------------------------------------------------


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


def add_send_bulk_parser(subparsers: Any) -> None:
    """Add ``send-bulk`` to a ``govuk-notify`` command's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "send-bulk",
        help="send one message per row of a CSV file, resumably",
        description=_DESCRIPTION,
        epilog=_EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--template", required=True, metavar="ID", help="the template's id")
    parser.add_argument("--csv", required=True, metavar="FILE", help="the CSV file (UTF-8)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the API's base URL (default: NOTIFY_BASE_URL, else Notify's)",
    )
    parser.add_argument(
        "--journal", metavar="PATH", help="the journal file (default: <csv>.journal.sqlite3)"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the valid rows even if some are invalid (they are listed, never sent)",
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
        help="start of each row's reference, <TEXT>-<CSV hash>-<row> (bulk)",
    )
    parser.add_argument(
        "--settle-time",
        type=_non_negative_float,
        default=DEFAULT_SETTLE_TIME,
        metavar="SECONDS",
        help="how long after its last attempt a row that Notify does not have counts as never"
        f" sent, and is sent again ({DEFAULT_SETTLE_TIME:g})",
    )
    parser.set_defaults(handler=run_send_bulk)


class _Output:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def warn(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()

    def listing(self, title: str, lines: Sequence[str], limit: int = 50) -> None:
        self.say(title)
        for line in lines[:limit]:
            self.say(f"  {line}")
        if len(lines) > limit:
            self.say(f"  ... and {len(lines) - limit} more")


def run_send_bulk(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """The ``send-bulk`` command; returns the exit code."""
    output = _Output(stdout or sys.stdout, stderr or sys.stderr)
    env = os.environ if environ is None else environ
    try:
        return _send_bulk(args, output, env)
    except InputError as err:
        output.warn(f"govuk-notify send-bulk: {err}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        output.warn("Interrupted. Run the same command again to continue.")
        return EXIT_INTERRUPTED


def _connect(args: argparse.Namespace, env: Mapping[str, str]) -> NotifyClient:
    from ..client import DEFAULT_BASE_URL, NotifyClient
    from ..errors import ConfigurationError

    api_key = env.get("NOTIFY_API_KEY", "").strip()
    if not api_key:
        raise InputError("set NOTIFY_API_KEY to the API key")
    base_url = args.base_url or env.get("NOTIFY_BASE_URL") or DEFAULT_BASE_URL
    try:
        return NotifyClient(api_key, base_url=base_url, timeout=(10.0, 30.0))
    except ConfigurationError as err:
        raise InputError(str(err)) from None


def _template(client: NotifyClient, template_id: str) -> Template:
    from ..errors import NotifyError

    try:
        return client.get_template(template_id)
    except ValueError as err:  # not a UUID
        raise InputError(f"--template: {err}") from None
    except NotifyError as err:
        raise InputError(f"cannot get template {template_id}: {err}") from None


def _send_bulk(args: argparse.Namespace, output: _Output, env: Mapping[str, str]) -> int:
    csv_file = read_csv(args.csv)
    with contextlib.closing(_connect(args, env)) as client:
        template = _template(client, args.template)
        template_id = str(template.id)
        problems = check_headers(csv_file, template)
        if problems:
            output.listing(f"{args.csv} cannot be sent with this template:", problems)
            return EXIT_USAGE
        planned, invalid = build_requests(csv_file, template, args.reference_prefix)
        if invalid:
            output.listing(
                f"{len({p.row for p in invalid})} invalid row(s):", [str(p) for p in invalid]
            )
            if not args.skip_invalid:
                output.say(
                    "Nothing was sent. Fix the rows, or use --skip-invalid to send the rest."
                )
                return EXIT_USAGE
        journal_path = args.journal or f"{args.csv}.journal.sqlite3"
        try:
            journal = Journal(journal_path, csv_file.sha256, template_id)
        except JournalBusyError as err:
            raise InputError(str(err)) from None
        except sqlite3.Error as err:
            raise InputError(f"cannot use the journal {journal_path}: {err}") from None
        with contextlib.closing(journal):
            return _run_job(args, output, client, template, csv_file, planned, invalid, journal)


def _run_job(
    args: argparse.Namespace,
    output: _Output,
    client: NotifyClient,
    template: Template,
    csv_file: CsvFile,
    planned: list[PlannedRow],
    invalid: list[RowProblem],
    journal: Journal,
) -> int:
    template_id = str(template.id)
    service_id, prefix = journal.job(
        client.service_id, args.reference_prefix, os.path.abspath(args.csv)
    )
    if service_id != client.service_id:
        raise InputError(
            f"the journal {journal.path} belongs to another service ({service_id}); use its API"
            " key, or another --journal"
        )
    if prefix != args.reference_prefix:
        output.warn(f"note: this job's references start with {prefix!r} (from its first run)")
        planned = [
            PlannedRow(
                p.number,
                f"{prefix}-{csv_file.sha256[:8]}-{p.number}",
                p.request.model_copy(
                    update={"reference": f"{prefix}-{csv_file.sha256[:8]}-{p.number}"}
                ),
            )
            for p in planned
        ]
    journal.add_rows([(p.number, p.reference) for p in planned])
    by_number = {p.number: p for p in planned}
    invalid_rows = {p.row for p in invalid}

    state = journal.rows()
    in_doubt = [r for r in state.values() if r.state in ("sending", "unknown")]
    waiting: dict[int, float] = {}
    unresolved: dict[int, str] = {}
    duplicates: dict[int, int] = {}
    if in_doubt:
        output.say(f"Checking {len(in_doubt)} row(s) from an earlier run whose outcome is unknown")
        check = _apply_check(
            journal, check_rows(client, in_doubt, template_id, args.settle_time, time.time())
        )
        waiting, unresolved, duplicates = check.waiting, dict(check.unresolved), check.duplicates
        state = journal.rows()

    to_send = [
        by_number[r.row]
        for r in state.values()
        if r.state in ("pending", "failed") and r.row in by_number
    ]
    already = sum(1 for r in state.values() if r.state == "sent")
    output.say(
        f"Template {template.name!r} ({template.type.value}), {len(csv_file.rows):,} row(s):"
        f" {already:,} sent before, {len(to_send):,} to send"
        + (f", {len(invalid_rows):,} invalid" if invalid_rows else "")
        + (f", {len(waiting):,} to check later" if waiting else "")
        + f". Journal: {journal.path}"
    )

    _send_rows(args, output, client, journal, to_send)

    # Rows still in doubt: the ones an earlier run left that were too recent to decide, and the
    # ones this run lost the answer of. Wait until a look-up can decide, then send the absent.
    state = journal.rows()
    recheck = [
        r
        for r in state.values()
        if r.state in ("sending", "unknown") and r.row not in unresolved and r.row in by_number
    ]
    if recheck:
        now = time.time()
        deadline = max((r.last_attempt_at or now) + args.settle_time for r in recheck)
        if deadline > now:
            output.say(
                f"Waiting {deadline - now:.0f} s before checking {len(recheck)} row(s) whose"
                " outcome is unknown (a request may still be on its way)"
            )
            time.sleep(deadline - now)
        check = _apply_check(
            journal, check_rows(client, recheck, template_id, args.settle_time, time.time())
        )
        unresolved.update(check.unresolved)
        duplicates.update(check.duplicates)
        _send_rows(args, output, client, journal, [by_number[row] for row in check.absent])

    return _report(output, journal, invalid, duplicates, unresolved)


def _apply_check(journal: Journal, check: Check) -> Check:
    for row, notification_id in check.sent.items():
        journal.mark_sent(row, notification_id)
    for row in check.absent:
        journal.mark_pending(row)
    return check


def _send_rows(
    args: argparse.Namespace,
    output: _Output,
    client: NotifyClient,
    journal: Journal,
    rows: Sequence[PlannedRow],
) -> None:
    if not rows:
        return
    from ..bulk import Failed, NotSent, Sent, send_many

    bar = ProgressBar(output.err)

    def before_send(index: int, request: AnyRequest) -> None:
        journal.mark_sending(rows[index].number)

    def on_result(result: BulkResult[Any]) -> None:
        row = rows[result.index].number
        if isinstance(result, Sent):
            journal.mark_sent(row, str(result.response.id))
        elif isinstance(result, Failed):
            journal.mark_failed(row, _describe(result.error))
        elif isinstance(result, NotSent):
            journal.mark_pending(row)
        else:
            journal.mark_unknown(row, _describe(result.error))

    try:
        send_many(
            client,
            [row.request for row in rows],
            workers=args.workers,
            rate_per_minute=args.rate_limit,
            on_progress=bar.update,
            progress_interval=0.2 if bar.tty else 1.0,
            before_send=before_send,
            on_result=on_result,
        )
    except KeyboardInterrupt:
        bar.interrupted()
        raise


def _describe(error: BaseException | None) -> str:
    from ..errors import APIError

    if error is None:
        return "no answer: the run stopped while the request was in flight"
    if isinstance(error, APIError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _report(
    output: _Output,
    journal: Journal,
    invalid: list[RowProblem],
    duplicates: Mapping[int, int],
    unresolved: Mapping[int, str],
) -> int:
    state = journal.rows()
    counts = {s: 0 for s in ("sent", "failed", "unknown")}
    failed: list[str] = []
    unknown: list[str] = []
    invalid_rows = {p.row for p in invalid}
    for row in state.values():
        if row.state == "sent":
            counts["sent"] += 1
        elif row.state == "failed":
            counts["failed"] += 1
            failed.append(f"row {row.row}: {row.error}")
        elif row.state in ("sending", "unknown"):
            counts["unknown"] += 1
            why = unresolved.get(row.row) or row.error or "not checked"
            unknown.append(f"row {row.row} (reference {row.reference}): {why}")
    if duplicates:
        output.listing(
            "Rows that Notify holds more than once (sent twice outside this journal):",
            [f"row {row}: {n} notifications" for row, n in sorted(duplicates.items())],
        )
    if failed:
        output.listing(f"{len(failed)} row(s) refused by Notify (not sent):", failed)
    if unknown:
        output.listing(
            f"{len(unknown)} row(s) may or may not have been sent; run again later to check"
            " them, or look them up by reference:",
            unknown,
        )
    skipped = f", {len(invalid_rows):,} invalid (skipped)" if invalid_rows else ""
    output.say(
        f"Done: {counts['sent']:,} sent, {counts['failed']:,} failed,"
        f" {counts['unknown']:,} unknown{skipped}."
    )
    if unknown:
        return EXIT_UNKNOWN
    if failed:
        return EXIT_FAILED
    return EXIT_OK
