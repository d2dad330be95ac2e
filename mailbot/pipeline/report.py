"""The counts of one pass over the mail (kept apart from the stages, so that a pass with
nothing to process need not load them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailbot.models import Outcome


@dataclass
class PassReport:
    """Counts of one pass (mutable while the pass runs; returned when it ends)."""

    processed: int = 0
    skipped: int = 0
    deferred: int = 0
    by_disposition: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        if outcome.disposition == "skipped":
            self.skipped += 1
            return
        if outcome.disposition == "deferred":
            self.deferred += 1
            return
        self.processed += 1
        self.by_disposition[outcome.disposition] = (
            self.by_disposition.get(outcome.disposition, 0) + 1
        )
        if outcome.status:
            self.by_status[outcome.status] = self.by_status.get(outcome.status, 0) + 1
