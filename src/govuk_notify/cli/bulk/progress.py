r"""The progress of a bulk send: one line redrawn on a terminal, whole lines elsewhere.

On a terminal the bar is redrawn in place with ``\\r``. Written to a file or a pipe (a log, CI,
``| tee``), it prints a complete line every few seconds and always a last one, at the end or when
the run is interrupted, so the output read later says where the run got to.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ...bulk import BulkProgress

__all__ = ["ProgressBar", "format_duration"]


def format_duration(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """Sent, failed, in doubt, rate and time left.

    Args:
        stream: Where to write (standard error for the command).
        tty: Redraw one line (True) or print whole lines (False); by default, whether
            ``stream`` is a terminal.
        every: Seconds between lines when not on a terminal.
        clock: A monotonic clock, for ``every``.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Show progress on ``stream``; see the class for the arguments."""
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.every = every
        self.clock = clock
        self._last_line = float("-inf")
        self._width = 0
        self._recent: deque[tuple[float, int]] = deque()
        self._last: BulkProgress | None = None
        self._last_written: BulkProgress | None = None

    def line(self, progress: BulkProgress) -> str:
        """The progress as one line of text."""
        self._recent.append((progress.elapsed, progress.done))
        while len(self._recent) > 2 and progress.elapsed - self._recent[0][0] > 5.0:
            self._recent.popleft()
        first_at, first_done = self._recent[0]
        span = progress.elapsed - first_at
        rate = (progress.done - first_done) / span if span > 0.5 else progress.rate
        total = max(progress.total, 1)
        filled = int(20 * progress.done / total)
        left = "--:--" if progress.eta is None else format_duration(progress.eta)
        return (
            f"[{'#' * filled}{'.' * (20 - filled)}] {progress.done:,}/{progress.total:,}"
            f"  sent {progress.sent:,}  failed {progress.failed:,}"
            + (f"  in doubt {progress.unknown:,}" if progress.unknown else "")
            + f"  {rate:.1f}/s  {left} left"
        )

    def _write(self, progress: BulkProgress, finished: bool) -> None:
        text = self.line(progress)
        self._last_written = progress
        if self.tty:
            padding = " " * max(0, self._width - len(text))
            self._width = len(text)
            self.stream.write("\r" + text + padding + ("\n" if finished else ""))
        else:
            self._last_line = self.clock()
            self.stream.write(text + "\n")
        self.stream.flush()

    def update(self, progress: BulkProgress) -> None:
        """Show ``progress`` (on a non-terminal, only every ``every`` seconds and at the end)."""
        self._last = progress
        finished = progress.done == progress.total
        if self.tty or finished or self.clock() - self._last_line >= self.every:
            self._write(progress, finished)

    def interrupted(self, final: BulkProgress | None = None) -> None:
        """The run stopped: show where it got to, as a whole line, on a terminal too.

        Args:
            final: Where it stopped; the last progress seen when None.
        """
        progress = final or self._last
        if progress is not None and progress is not self._last_written:
            self._write(progress, True)
        elif self.tty and self._width:
            self.stream.write("\n")
            self.stream.flush()
