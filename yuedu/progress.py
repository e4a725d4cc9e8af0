"""Progress of a long build on stderr: a bar on a terminal, a few plain lines elsewhere (CI logs).

Only builds that annotate at least :data:`MIN_ITEMS` articles show progress; small and warm
builds stay quiet.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

#: Fewer articles to annotate than this: no progress output.
MIN_ITEMS = 20
#: Redraws of the terminal bar per second, at most.
REDRAWS_PER_S = 8
#: Without a terminal, one line per this share of the work (and at the end).
LINE_EVERY = 0.1


class Progress:
    """Count items done out of ``total`` and show it on ``stream``."""

    def __init__(self, total: int, what: str = "articles", stream: TextIO | None = None,
                 *, clock=time.monotonic) -> None:
        self.total, self.what, self.done = total, what, 0
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = self.last = clock()
        self.enabled = total >= MIN_ITEMS
        isatty = getattr(self.stream, "isatty", lambda: False)()
        self.bar = self.enabled and isatty and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")
        self.next_line = LINE_EVERY

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = self.clock()
        if self.bar:
            if now - self.last >= 1 / REDRAWS_PER_S or self.done >= self.total:
                self.last = now
                self._draw(now)
        elif self.done / self.total >= self.next_line - 1e-9 or self.done >= self.total:
            while self.next_line <= self.done / self.total + 1e-9:
                self.next_line += LINE_EVERY
            self.stream.write(f"rendered {self.done}/{self.total} {self.what} "
                              f"({100 * self.done // self.total}%) in {now - self.start:.1f} s\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        width = 30
        filled = width * self.done // self.total
        elapsed = now - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        self.stream.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} {self.what}"
                          f"  {elapsed:.0f} s, about {eta:.0f} s left ")
        self.stream.flush()

    def close(self) -> None:
        if self.bar:
            self.stream.write("\r\033[K")  # clear the bar; the build's summary line follows
            self.stream.flush()
