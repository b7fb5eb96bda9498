"""Resuming a bulk send from its journal: deciding messages in doubt, and ``send_many(journal=)``.

A message in doubt (its request went out, its answer never came back) is looked up by its
reference. Found, it was sent. Absent, it is sent again only once its last attempt is older than
the journal's ``settle_time`` (a request still on its way could otherwise land after the look-up)
and younger than Notify's shortest data retention (3 days), which is what proves it absent.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .bulk_identity import derived_reference, message_key
from .bulk_journal import JournalEntry, SendJournal
from .errors import APIError, NotifyError
from .models.requests import PrecompiledLetterRequest

if TYPE_CHECKING:
    from .bulk import AnyRequest, BulkResult
    from .client import NotifyClient

__all__ = [
    "RETENTION_FLOOR",
    "AlreadySent",
    "DoubtCheck",
    "InDoubtError",
    "JournaledBatch",
    "check_in_doubt",
    "describe_error",
]

RETENTION_FLOOR = 3 * 24 * 3600.0
"""Notify keeps notifications for 3 to 90 days (7 by default): a look-up finding nothing for an
older attempt proves nothing."""


class InDoubtError(Exception):
    """A message from an earlier run may have been sent and cannot be proved either way yet."""


@dataclass(frozen=True)
class AlreadySent:
    """The journal shows this message was sent already; it was skipped.

    Sent by an earlier run, or earlier in this batch: ``duplicate_of`` is then the index of the
    request that sends it.
    """

    index: int
    request: AnyRequest = field(repr=False)
    notification_id: str | None
    duplicate_of: int | None = None

    outcome: Literal["already_sent"] = field(default="already_sent", init=False)

    @property
    def response(self) -> None:
        """Always ``None``: no send, no response."""
        return None

    @property
    def error(self) -> None:
        """Always ``None``."""
        return None


@dataclass
class DoubtCheck:
    """What the look-ups decided about messages in doubt, by key."""

    sent: dict[str, str] = field(default_factory=dict)
    """Key -> notification id, for messages found at Notify."""
    absent: list[str] = field(default_factory=list)
    """Messages proved never sent: safe to send."""
    waiting: dict[str, float] = field(default_factory=dict)
    """Key -> when (``clock()``) an absent look-up will prove it never sent."""
    unresolved: dict[str, str] = field(default_factory=dict)
    """Messages that cannot be proved either way, and why."""
    duplicates: dict[str, int] = field(default_factory=dict)
    """Messages Notify holds more than once, and how many times."""


def check_in_doubt(
    client: NotifyClient, entries: Sequence[JournalEntry], journal: SendJournal
) -> DoubtCheck:
    """Look each message in doubt up by its reference, decide, and record what was decided.

    Args:
        client: A client of the journal's service.
        entries: Messages in doubt.
        journal: Their journal: its clock and ``settle_time`` decide, and it records the outcome.

    Returns:
        The decisions, by message key.
    """
    check = DoubtCheck()
    for entry in entries:
        try:
            page = client.get_all_notifications(reference=entry.reference)
        except NotifyError as err:
            check.unresolved[entry.key] = f"the look-up failed: {err}"
            continue
        found = [
            n
            for n in page.notifications
            if n.reference == entry.reference and str(n.template.id) == entry.template_id
        ]
        if found:
            check.sent[entry.key] = str(found[-1].id)  # the oldest, if there are several
            if len(found) > 1:
                check.duplicates[entry.key] = len(found)
            continue
        now = journal.clock()
        attempted = entry.last_attempt_at if entry.last_attempt_at is not None else 0.0
        if now - attempted > RETENTION_FLOOR:
            check.unresolved[entry.key] = (
                "last tried too long ago for Notify's records to prove it was not sent"
            )
        elif now - attempted >= journal.settle_time:
            check.absent.append(entry.key)
        else:
            check.waiting[entry.key] = attempted + journal.settle_time
    for key, notification_id in check.sent.items():
        journal.mark_sent(key, notification_id)
    for key in check.absent:
        journal.mark_pending(key)
    return check


def describe_error(error: BaseException | None) -> str:
    """A one-line account of a send's error, for the journal (never holds the API key)."""
    if error is None:
        return "no answer: the run stopped while the request was in flight"
    if isinstance(error, APIError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class JournaledBatch:
    """``send_many(journal=...)``: the requests to send, the ones to skip, and the journal hooks.

    Args:
        journal: A :class:`SendJournal`, or the path of one (opened, and closed by :meth:`close`).
        client: The client that sends (its service must be the journal's).
        requests: The batch, in order.
        reference_prefix: The start of the reference given to a request without one.
    """

    def __init__(
        self,
        journal: SendJournal | str | os.PathLike[str],
        client: NotifyClient,
        requests: Sequence[AnyRequest],
        reference_prefix: str = "bulk",
    ) -> None:
        """Open the journal, look up the messages in doubt, and decide what to send."""
        self._owned = not isinstance(journal, SendJournal)
        self.journal = journal if isinstance(journal, SendJournal) else SendJournal(journal)
        try:
            self._prepare(client, requests, reference_prefix)
        except BaseException:
            self.close()
            raise

    def _prepare(self, client: NotifyClient, requests: Sequence[AnyRequest], prefix: str) -> None:
        journal = self.journal
        journal.check_service(client.service_id)
        job = journal.job
        self.requests: list[AnyRequest] = []
        self.keys: list[str] = []
        for request in requests:
            key = message_key(request)
            if not isinstance(request, PrecompiledLetterRequest) and request.reference is None:
                request = request.model_copy(
                    update={"reference": derived_reference(prefix, key, job)}
                )
            self.requests.append(request)
            self.keys.append(key)
        journal.add(
            (self.keys[index], str(request.reference), _template_id(request), index)
            for index, request in reversed(list(enumerate(self.requests)))
        )
        entries = journal.entries()
        doubts = [entries[key] for key in dict.fromkeys(self.keys) if entries[key].in_doubt]
        if doubts:
            check_in_doubt(client, doubts, journal)
            entries = journal.entries()
        self.skipped: dict[int, AlreadySent] = {}
        self.in_doubt: dict[int, InDoubtError] = {}
        self.to_send: list[int] = []
        first: dict[str, int] = {}
        for index, key in enumerate(self.keys):
            entry = entries[key]
            if key in first:
                self.skipped[index] = AlreadySent(
                    index, self.requests[index], entry.notification_id, first[key]
                )
                continue
            first[key] = index
            if entry.state == "sent":
                self.skipped[index] = AlreadySent(
                    index, self.requests[index], entry.notification_id
                )
            elif entry.in_doubt:
                self.in_doubt[index] = InDoubtError(
                    f"an earlier attempt (reference {entry.reference}) may have been sent;"
                    " Notify does not have it yet, so it is not sent again now"
                )
            else:
                self.to_send.append(index)

    def close(self) -> None:
        """Close the journal if this batch opened it."""
        if self._owned:
            self.journal.close()

    def send_list(self) -> list[AnyRequest]:
        """The requests to send, in order (references filled in)."""
        return [self.requests[index] for index in self.to_send]

    def before_send(
        self, user: Callable[[int, AnyRequest], object] | None
    ) -> Callable[[int, AnyRequest], object]:
        """A ``before_send`` that calls ``user`` (at the batch's index), then records the try."""

        def hook(position: int, request: AnyRequest) -> None:
            index = self.to_send[position]
            if user is not None:
                user(index, request)  # first: if it raises, the request does not go out
            self.journal.mark_sending(self.keys[index])

        return hook

    def on_result(
        self, user: Callable[[BulkResult[Any]], object] | None
    ) -> Callable[[BulkResult[Any]], object]:
        """An ``on_result`` that records the outcome, then calls ``user`` (batch's index)."""

        def hook(result: BulkResult[Any]) -> None:
            index = self.to_send[result.index]
            key = self.keys[index]
            if result.outcome == "sent":
                self.journal.mark_sent(key, str(result.response.id))
            elif result.outcome == "failed":
                self.journal.mark_failed(key, describe_error(result.error))
            elif result.outcome == "unknown":
                self.journal.mark_unknown(key, describe_error(result.error))
            elif result.outcome == "not_sent":
                self.journal.mark_pending(key)
            if user is not None:
                user(dataclasses.replace(result, index=index))

        return hook

    def merge(
        self,
        results: Sequence[BulkResult[Any]],
        unknown: Callable[[int, AnyRequest, Exception], BulkResult[Any]],
    ) -> list[BulkResult[Any]]:
        """One result per request of the batch, in its order: the sent ones' and the skipped.

        Args:
            results: The results of sending :meth:`send_list`.
            unknown: Makes the result of a message still in doubt from an earlier run.
        """
        merged: dict[int, BulkResult[Any]] = dict(self.skipped)
        for index, error in self.in_doubt.items():
            merged[index] = unknown(index, self.requests[index], error)
        for result in results:
            index = self.to_send[result.index]
            merged[index] = dataclasses.replace(result, index=index)
        for index, skipped in self.skipped.items():
            if skipped.duplicate_of is not None and skipped.notification_id is None:
                sent_as = getattr(merged[skipped.duplicate_of].response, "id", None)
                if sent_as is not None:
                    merged[index] = dataclasses.replace(skipped, notification_id=str(sent_as))
        return [merged[index] for index in range(len(self.requests))]

    def run(
        self,
        send: Callable[
            [
                list[AnyRequest],
                Callable[[int, AnyRequest], object],
                Callable[[BulkResult[Any]], object],
            ],
            list[BulkResult[Any]],
        ],
        *,
        before_send: Callable[[int, AnyRequest], object] | None,
        on_result: Callable[[BulkResult[Any]], object] | None,
        unknown: Callable[[int, AnyRequest, Exception], BulkResult[Any]],
    ) -> list[BulkResult[Any]]:
        """Send what is left with ``send(requests, before_send, on_result)``.

        Returns one result per request of the batch, and closes the journal if the batch opened
        it.

        An exception carrying partial ``results`` (Ctrl-C, a callback's error) gets them merged
        too, at the batch's indices.
        """
        try:
            try:
                results = send(
                    self.send_list(), self.before_send(before_send), self.on_result(on_result)
                )
            except BaseException as err:
                partial = getattr(err, "results", None)
                if isinstance(partial, list):
                    err.results = self.merge(partial, unknown)  # type: ignore[attr-defined]
                raise
            return self.merge(results, unknown)
        finally:
            self.close()


def _template_id(request: AnyRequest) -> str:
    if isinstance(request, PrecompiledLetterRequest):
        return ""
    return str(request.template_id)
