"""Progress of a long pass (a first import, a backlog) on a terminal: count, rate, ETA."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from mailbot.models import Outcome


class Progress(Protocol):
    def expect(self, total: int) -> None: ...
    def advance(self, outcome: Outcome | None) -> None: ...
    def close(self) -> None: ...


class TerminalProgress:
    """One self-rewriting line on stderr, refreshed at most every ``interval`` seconds."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 0.5):
        self.stream = stream
        self.interval = interval
        self.total: int | None = None
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0
        self._wrote = False

    def expect(self, total: int) -> None:
        self.total = (self.total or 0) + total

    def advance(self, outcome: Outcome | None) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self._shown >= self.interval:
            self._shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        line = f"{self.done}"
        if self.total:
            line += f"/{self.total}"
        line += f" messages, {rate:.1f}/s"
        if self.total and rate > 0 and self.done < self.total:
            eta = int((self.total - self.done) / rate)
            line += f", ETA {eta // 3600}:{eta // 60 % 60:02d}:{eta % 60:02d}"
        self.stream.write("\r" + line.ljust(60))
        self.stream.flush()
        self._wrote = True

    def close(self) -> None:
        if self._wrote:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
