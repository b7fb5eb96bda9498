"""From a file's rows to the messages to send.

The columns Notify reads, a request per row validated as the server would, each row's message
key, and what the journal says to skip.

A row's identity is the message it sends (:mod:`govuk_notify.bulk_identity`): its normalised
recipient, the template, and the values of the template's placeholders. Its position in the file,
the other rows, columns the template does not use and the file's bytes play no part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...bulk_identity import derived_reference, message_key
from ...validation.placeholders import find_placeholders, normalise_key
from .files import SheetFile

if TYPE_CHECKING:
    from ...bulk import AnyRequest
    from ...bulk_journal import JournalEntry
    from ...models.responses import Template

__all__ = [
    "Plan",
    "PlannedRow",
    "RowProblem",
    "build_requests",
    "check_headers",
    "normalise_header",
    "plan_job",
]

ADDRESS_KEYS = {f"addressline{n}": f"address_line_{n}" for n in range(1, 8)} | {
    "postcode": "postcode"
}
RECIPIENT_COLUMNS = {"sms": "phone number", "email": "email address", "letter": "address line 1"}


def normalise_header(header: str) -> str:
    """A header as Notify matches it: lower case, without spaces, ``_`` and ``-``."""
    return normalise_key(header)


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be sent."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        """``row N, column 'name': reason``."""
        return f"row {self.row}, column {self.column!r}: {self.reason}"


@dataclass(frozen=True)
class PlannedRow:
    """A valid row: its message key and its request (reference filled in by :func:`plan_job`)."""

    number: int
    key: str
    request: AnyRequest


def _template_texts(template: Template) -> tuple[str | None, ...]:
    texts: tuple[str | None, ...] = (template.subject, template.body)
    if template.type.value == "letter":
        texts = (template.letter_contact_block, *texts)
    return texts


def check_headers(sheet: SheetFile, template: Template) -> list[str]:
    """File-level problems.

    No recipient column, two columns Notify reads as one, a placeholder without a column.
    """
    kind = template.type.value
    problems: list[str] = []
    seen: dict[str, str] = {}
    for header in sheet.headers:
        if not header:
            continue
        key = normalise_header(header)
        if key in seen:
            problems.append(f"columns {seen[key]!r} and {header!r} are the same column to Notify")
        seen.setdefault(key, header)
    if normalise_header(RECIPIENT_COLUMNS[kind]) not in seen:
        problems.append(f"there is no {RECIPIENT_COLUMNS[kind]!r} column (for a {kind} template)")
    for name in template.missing_personalisation(dict.fromkeys(seen, "")):
        problems.append(f"there is no column for the template's placeholder (({name}))")
    return problems


def _personalisation(
    values: Mapping[str, str | None], placeholders: set[str], kind: str
) -> dict[str, Any]:
    personalisation: dict[str, Any] = {}
    for header, value in values.items():
        key = normalise_header(header)
        if value is None:
            continue
        if kind == "letter" and key in ADDRESS_KEYS:
            personalisation[ADDRESS_KEYS[key]] = value
        elif key in placeholders:
            personalisation[header] = value
    return personalisation


def build_requests(
    sheet: SheetFile, template: Template
) -> tuple[list[PlannedRow], list[RowProblem]]:
    """A request per row (validated as the server would) with its message key, and problems.

    The problems are those of the rows that have some. Only the template's placeholders (and,
    for a letter, the address) are sent as personalisation.
    """
    from pydantic import ValidationError

    from ...models.requests import EmailRequest, LetterRequest, SmsRequest

    kind = template.type.value
    recipient_key = normalise_header(RECIPIENT_COLUMNS[kind])
    recipient_column = next(h for h in sheet.headers if h and normalise_header(h) == recipient_key)
    placeholders = {normalise_key(p.name) for p in find_placeholders(*_template_texts(template))}
    planned: list[PlannedRow] = []
    problems: list[RowProblem] = []
    for row in sheet.rows:
        row_problems: list[RowProblem] = []
        if row.extra_cells:
            row_problems.append(
                RowProblem(row.number, "(no header)", f"{row.extra_cells} cell(s) past the header")
            )
        personalisation = _personalisation(row.values, placeholders, kind)
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
        recipient = row.values[recipient_column] or ""
        request: AnyRequest
        try:
            if kind == "sms":
                request = SmsRequest(
                    phone_number=recipient,
                    template_id=template.id,
                    personalisation=personalisation,
                )
            elif kind == "email":
                request = EmailRequest(
                    email_address=recipient,
                    template_id=template.id,
                    personalisation=personalisation,
                )
            else:
                request = LetterRequest.model_validate(
                    {"template_id": template.id, "personalisation": personalisation}
                )
        except ValidationError as err:
            for error in err.errors(include_url=False, include_input=False):
                field_name = str(error["loc"][0]) if error["loc"] else ""
                if field_name in ("phone_number", "email_address"):
                    column = recipient_column
                elif kind == "letter" and field_name == "personalisation":
                    column = "address"
                else:
                    column = ".".join(str(part) for part in error["loc"]) or "(row)"
                problems.append(RowProblem(row.number, column, error["msg"]))
            continue
        planned.append(PlannedRow(row.number, message_key(request), request))
    return planned, problems


@dataclass
class Plan:
    """What a run will do with a file's valid rows, given its journal."""

    rows: list[PlannedRow]
    """One per message (the first row of each), references filled in."""
    duplicates: dict[int, int] = field(default_factory=dict)
    """Row -> the earlier row that is the same message (sent once)."""
    already_sent: list[PlannedRow] = field(default_factory=list)
    to_send: list[PlannedRow] = field(default_factory=list)
    in_doubt: list[PlannedRow] = field(default_factory=list)
    not_in_file: list[JournalEntry] = field(default_factory=list)
    """Messages of this job in the journal that no row of the file sends now (left as they
    are)."""


def plan_job(
    planned: list[PlannedRow], prefix: str, job: int, entries: Mapping[str, JournalEntry]
) -> Plan:
    """Split the rows into the messages already sent, to send, and in doubt.

    Args:
        planned: The valid rows, in file order.
        prefix: The job's reference prefix.
        job: The journal's current job number.
        entries: The journal's messages of that job, by key.

    Returns:
        The plan; each message's reference is ``<prefix>-<key[:16]>`` (see
        :func:`~govuk_notify.bulk_identity.derived_reference`).
    """
    plan = Plan(rows=[])
    first: dict[str, int] = {}
    for row in planned:
        if row.key in first:
            plan.duplicates[row.number] = first[row.key]
            continue
        first[row.key] = row.number
        reference = derived_reference(prefix, row.key, job)
        plan.rows.append(
            PlannedRow(row.number, row.key, row.request.model_copy(update={"reference": reference}))
        )
    for row in plan.rows:
        entry = entries.get(row.key)
        if entry is None or entry.state in ("pending", "failed"):
            plan.to_send.append(row)
        elif entry.state == "sent":
            plan.already_sent.append(row)
        else:
            plan.in_doubt.append(row)
    plan.not_in_file = [entry for key, entry in entries.items() if key not in first]
    return plan
