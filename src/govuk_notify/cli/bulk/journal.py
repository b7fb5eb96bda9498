"""The journal of a ``send-bulk`` job: opening it, checking it, starting a new job in it.

The journal itself (SQLite, schema version, injectable clock) is
:class:`govuk_notify.bulk_journal.SendJournal`, shared with ``send_many(journal=...)``. This
module adds what the command records in it: the service, the template and the reference prefix
of the first run, and the ``--new-job`` and ``--force-journal`` decisions.
"""

from __future__ import annotations

import glob
import os
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import quote

from ...bulk_journal import JournalError, SendJournal
from .files import InputError

__all__ = [
    "JobBinding",
    "bind_job",
    "default_journal_path",
    "open_journal",
    "sent_by_other_journals",
]


def default_journal_path(file_path: str) -> str:
    """``<file>.journal.sqlite3``, beside the file.

    The same file keeps the same journal, however it is edited.
    """
    return file_path + ".journal.sqlite3"


def open_journal(path: str, *, clock: Callable[[], float], settle_time: float) -> SendJournal:
    """Open (or create) the journal, as an :class:`InputError` when it cannot be used.

    Raises:
        InputError: Another run holds it, it is of another schema version (left unchanged), or
            it is not a journal.
    """
    try:
        return SendJournal(path, clock=clock, settle_time=settle_time)
    except JournalError as err:
        raise InputError(str(err)) from None
    except OSError as err:
        raise InputError(f"cannot use the journal {path}: {err.strerror or err}") from None


@dataclass(frozen=True)
class JobBinding:
    """The job a run continues (or starts)."""

    job: int
    reference_prefix: str
    sent_by_previous_job: int
    """With ``--new-job``: how many messages the job before sent (they are sent again)."""


def bind_job(
    journal: SendJournal,
    *,
    service_id: str,
    template_id: str,
    template_name: str,
    reference_prefix: str,
    force: bool,
    new_job: bool,
    note: Callable[[str], object],
) -> JobBinding:
    """Check the journal is this job's, record it on the first run, and start a new job if asked.

    Args:
        journal: The open journal.
        service_id: The API key's service.
        template_id: The template of this run.
        template_name: Its name, for messages.
        reference_prefix: ``--reference-prefix``.
        force: ``--force-journal``: use a journal made for another template or service.
        new_job: ``--new-job``: send every message again, as a new job in this journal.
        note: Prints a line.

    Returns:
        The job number and the reference prefix to use.

    Raises:
        InputError: The journal was made for another service or template, without ``force``.
    """
    stored_service = journal.remember("service_id", service_id)
    stored_template = journal.remember("template_id", template_id)
    journal.remember("template_name", template_name)
    if stored_service != service_id:
        if not force:
            raise InputError(
                f"the journal {journal.path} was made for another service ({stored_service});"
                " use that service's API key, another --journal, or --force-journal to use"
                " it anyway"
            )
        note(f"note: the journal {journal.path} was made for service {stored_service}")
        journal.replace("service_id", service_id)
    if stored_template != template_id:
        name = journal.meta("template_name")
        if not force:
            raise InputError(
                f"the journal {journal.path} was made for another template ({stored_template},"
                f" {name!r}); use another --journal, or --force-journal to use it for this one"
            )
        note(f"note: the journal {journal.path} was made for template {stored_template}")
        journal.replace("template_id", template_id)
        journal.replace("template_name", template_name)
    prefix = journal.remember("reference_prefix", reference_prefix)
    if prefix != reference_prefix:
        note(f"note: this job's references start with {prefix!r} (from its first run)")
    sent_before = 0
    if new_job and journal.entries():  # a new journal is a new job already
        sent_before = journal.count_sent(journal.job)
        journal.new_job()
    return JobBinding(journal.job, prefix, sent_before)


def _sent_keys(path: str, template_id: str) -> set[str]:
    """The messages a journal's current job sent with ``template_id``, read without writing."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        found = db.execute(
            "SELECT key FROM messages WHERE state = 'sent' AND template_id = ?"
            " AND job = (SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'job')",
            (template_id,),
        ).fetchall()
    finally:
        db.close()
    return {key for (key,) in found}


def sent_by_other_journals(
    journal_path: str, file_path: str, template_id: str, keys: Collection[str]
) -> dict[str, int]:
    """The other journals beside the file (or the journal) that sent some of these messages.

    Checked before a new journal is made.

    A file saved under a new name (``people (2).csv``) gets a new journal by default; without
    this check, every row of it would be sent again.

    Args:
        journal_path: The journal this run would create.
        file_path: The file being sent.
        template_id: The run's template.
        keys: The file's message keys.

    Returns:
        Journal path -> how many of ``keys`` its current job sent; empty when none did.
    """
    folders = {os.path.dirname(os.path.abspath(p)) for p in (journal_path, file_path)}
    wanted = set(keys)
    found: dict[str, int] = {}
    for folder in sorted(folders):
        for path in sorted(glob.glob(os.path.join(glob.escape(folder), "*.journal.sqlite3"))):
            if os.path.abspath(path) == os.path.abspath(journal_path):
                continue
            try:
                overlap = len(_sent_keys(path, template_id) & wanted)
            except sqlite3.Error:
                continue  # not a journal this version reads
            if overlap:
                found[path] = overlap
    return found
