"""``govuk-notify send-bulk``, one module per part.

Reading the file (:mod:`.files`), planning what to send (:mod:`.planning`), the job's journal
(:mod:`.journal`), sending (:mod:`.sending`), progress (:mod:`.progress`), the report
(:mod:`.report`), and the command (:mod:`.command`).
"""

from __future__ import annotations

from .command import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    EXIT_USAGE,
    add_send_bulk_parser,
    run_send_bulk,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "add_send_bulk_parser",
    "run_send_bulk",
]
