"""A progress bar on stderr for long command-line jobs (an import of tens of thousands of rows).

Drawn only when stderr is a terminal, so scripts, pipes and tests see no control characters;
redrawn at most every ``interval`` seconds, so a fast job spends nothing on it. Thirty lines of
our own rather than ``tqdm``: one bar in one place does not earn a dependency.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    """``导入 ██████░░░░ 12000/70000 行``, redrawn in place on a terminal."""

    def __init__(self, label: str, *, stream: TextIO | None = None, interval: float = 0.1,
                 minimum: int = 2000):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty()
        self.interval, self.minimum = interval, minimum
        self.shown, self._last, self.done, self.total = False, 0.0, 0, 0

    def update(self, done: int, total: int | None) -> None:
        """``done`` rows of ``total`` (None while unknown); redraw when enough time has passed."""
        self.done, self.total = done, max(total or 0, done)
        # Small files finish before a bar could be read.
        if not self.terminal or self.total < self.minimum:
            return
        now = time.monotonic()
        if now - self._last >= self.interval or done >= self.total:
            self._last, self.shown = now, True
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        """The bar as text."""
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        return f"{self.label} {'█' * filled}{'░' * (WIDTH - filled)} {self.done}/{self.total} 行"

    def close(self) -> None:
        """End the bar's line so the summary starts on its own."""
        if self.shown:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
